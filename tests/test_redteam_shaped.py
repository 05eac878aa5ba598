"""Hostile statements over vectors of independent symbolic sizes, each with its truth worked out by hand: a true one is
proved or left unknown, a false one refuted with a counterexample plain numpy confirms, never the other way round."""

from fractions import Fraction

import numpy as np
import pytest

from proofs import (Function, IndexOf, IntRange, Matrix, Real, Size, Vector, Verdict, elementwise, forall, number, onehot,
                    softmax)
from proofs.errors import InvalidClaim
from proofs.evaluate import evaluate

V = Size("V", at_least=2)
F = Function("f")


@forall("redteam.ex1.a.bare_function", "f(u_0 + u_0) = f(2 u_0) for every function f.")
def bare_function(u: Vector(Real, V), factor=1):
    return elementwise(F, u + u)[0] == elementwise(F, 2 * u)[0] * factor


@forall("redteam.ex1.a.bare_function_array", "f(u) = f(1 u) entry by entry, for every function f.")
def bare_function_array(u: Vector(Real, V), scale=1):
    return elementwise(F, u) == elementwise(F, scale * u)


def test_a_side_that_is_a_bare_function_application_is_proved_and_its_perturbation_refuted():
    # f(2 u_0) alone as a side once crashed the report of the identity (an error, never a pass, but a true claim failed).
    assert evaluate(bare_function).verdict is Verdict.PROVED
    assert evaluate(bare_function_array).verdict is Verdict.PROVED
    from proofs import Perturbation
    wrong = evaluate(bare_function_array, Perturbation("scaled", {"scale": 2}, "f(2u) is not f(u)"))
    assert wrong.verdict is Verdict.REFUTED
    point = wrong.evidence["counterexample"]
    u = np.array([float(Fraction(v)) for v in point["u"]])
    f = np.polynomial.Polynomial([float(Fraction(c)) for c in point["f"]])  # the chosen f, evaluated by numpy
    assert np.abs(f(u) - f(2 * u)).max() > 1e-9


@forall("redteam.ex1.b.shifted_index", "x[a - 5] is an entry for a in 5..9: false where a - 5 >= |V|.")
def shifted_index(x: Vector(Real, V), a: IntRange(5, 9)):
    return x[a - 5] == x[a - 5]


@forall("redteam.ex1.b.negative_index", "onehot(a, V) for a in -1..1 has a value: false at a = -1.")
def negative_index(x: Vector(Real, V), a: IntRange(-1, 1)):
    return (x + onehot(a, V))[0] == (x + onehot(a, V))[0]


@forall("redteam.ex1.b.shifted_index_true", "x[a - 5] for a in 5..6 is an entry of a vector of size at least 2.")
def shifted_index_true(x: Vector(Real, V), a: IntRange(5, 6), scale=1):
    return (scale * x)[a - 5] == x[a - 5]


def test_an_index_out_of_range_only_at_values_away_from_0_is_refuted_there():
    # The search once tried index values 0..3 only: a false statement over a in 5..9 or -1..1 was left unknown.
    point = evaluate(shifted_index).evidence["counterexample"]
    assert point["a"] - 5 >= point["V"]
    assert evaluate(negative_index).evidence["counterexample"]["a"] == -1
    assert evaluate(shifted_index_true).verdict is Verdict.PROVED
    from proofs import Perturbation
    wrong = evaluate(shifted_index_true, Perturbation("doubled", {"scale": 2}, "2x is not x"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"]["a"] in (5, 6)


B = Size("B", at_least=50)


@forall("redteam.ex1.c.large", "A(x + x) = A(2x) for every size at least 50.")
def large(A: Matrix(Real, B, B), x: Vector(Real, B), scale=2):
    return A @ (x + x) == A @ (scale * x)


def test_a_proof_no_exact_instance_could_check_is_not_a_pass():
    # Sizes whose least instance has more than the searched number of entries: the proof was reported replayed though
    # no instance was evaluated. It is now unknown, which fails; sizes that can be replayed still prove it.
    result = evaluate(large)
    assert result.verdict is Verdict.UNKNOWN and "no exact instance" in result.reason
    assert "replayed" not in result.evidence


def test_a_size_no_variable_declares_is_rejected_when_the_claim_is_built():
    W = Size("W")
    with pytest.raises(InvalidClaim, match="W"):
        @forall("redteam.ex1.d.undeclared", "onehot(0, W)[0] = 0 with W declared nowhere.")
        def undeclared(x: Vector(Real, V)):
            return onehot(0, W)[0] == number(0)


def test_generated_entries_read_at_an_offset_index_agree_with_their_truth():
    """tests/oracle_shaped.py's entries read at an index offset from its domain's least value (which may be away from 0
    or negative): truth fixed there; no wrong verdict, none unknown."""
    import oracle_shaped
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(24):
        case = oracle_shaped._offset_index(oracle_sized.Seeded(seed), f"offset{seed}")
        result = evaluate(case.claim())
        assert oracle.verdict_class(case, result.verdict.value, result.status.value) == "ok", (case.text, result.reason)
        seen.add((case.truth, "- 5]" in case.text or "- 7]" in case.text or "- -" in case.text))
    assert {(True, True), (False, True), (False, False)} <= seen, seen


W = Size("W", at_least=9)


@forall("redteam.ex1.g.least_past_max", "2x = x for every size at least 9: false.")
def least_past_max(x: Vector(Real, W), scale=2):
    return scale * x == x


def test_a_size_whose_least_value_is_past_the_witness_bound_is_refuted_not_an_error():
    # The search tried W = 9, but the replay accepted sizes up to MAX_SIZE = 8 only: its own witness was rejected.
    result = evaluate(least_past_max)
    assert result.verdict is Verdict.REFUTED and result.evidence["counterexample"]["W"] == 9
    x = np.array([float(Fraction(v)) for v in result.evidence["counterexample"]["x"]])
    assert np.abs(2 * x - x).max() > 0
    from proofs import Perturbation
    assert evaluate(least_past_max, Perturbation("one", {"scale": 1}, "x = x")).verdict is Verdict.PROVED


@forall("redteam.ex1.h.tiny_log", "log(softmax(u + 1) - softmax(u) + 10^-200) has a value: its argument is 10^-200.")
def tiny_log(u: Vector(Real, V), tiny=Fraction(1, 10**200)):
    z = softmax(u + 1) - softmax(u) + tiny
    return elementwise("log", z) == elementwise("log", z)


def test_a_logarithm_of_an_entry_positive_only_by_a_tiny_margin_is_never_called_undefined():
    # softmax(u + 1) - softmax(u) is exactly 0, so the argument is 10^-200 > 0; sympy's is_positive does not settle it,
    # which was read as "not positive": a true statement refuted. With tiny = 0 the argument is 0: no value, refuted.
    assert evaluate(tiny_log).verdict is Verdict.UNKNOWN
    from proofs import Perturbation
    wrong = evaluate(tiny_log, Perturbation("zero", {"tiny": 0}, "log 0 has no value"))
    assert wrong.verdict is Verdict.REFUTED and "not positive" in wrong.evidence["sides"]["undefined"]


@forall("redteam.ex1.i.scaled_shift", "10^300 softmax(u + 1) = 10^300 softmax(u): true (shift invariance, scaled).")
def scaled_shift(u: Vector(Real, V), factor=1):
    return 10**300 * softmax(u + 1) == 10**300 * softmax(factor * u)


def test_a_large_multiple_of_an_exact_zero_difference_is_never_a_refutation():
    # 15 digits of a difference that cancels to 0 at magnitude 10^300 are not correct digits: they were read as a
    # non-zero sign and a true statement refuted. Only digits sympy guarantees decide a sign now.
    assert evaluate(scaled_shift).verdict is Verdict.PROVED  # and its exact replay at 10^300 is never a disagreement
    from proofs import Perturbation
    wrong = evaluate(scaled_shift, Perturbation("scaled", {"factor": 2}, "softmax is not scale invariant"))
    assert wrong.verdict is Verdict.REFUTED
    u = np.array([float(Fraction(v)) for v in wrong.evidence["counterexample"]["u"]])
    sm = lambda z: np.exp(z) / np.exp(z).sum()  # noqa: E731
    assert np.abs(sm(u + 1) - sm(2 * u)).max() > 1e-9


L = Size("L", at_least=5)


@forall("redteam.ex1.j.last_word", "onehot(a, L)[4] = 0 for every word a of at least 5: false at a = 4.")
def last_word(x: Vector(Real, L), a: IndexOf(L), read=4):
    return onehot(a, L)[read] * onehot(a, L)[read] == onehot(a, L)[read] * 0


def test_a_statement_false_only_at_the_last_index_of_a_larger_least_size_is_refuted_there():
    # IndexOf values 0..3 only were tried: with L >= 5 the last index a = L - 1 was never reached, leaving it unknown.
    point = evaluate(last_word).evidence["counterexample"]
    assert point["a"] == 4 and point["L"] == 5
