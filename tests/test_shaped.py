"""Statements over vectors and matrices of independent symbolic sizes (proofs.shaped, proofs.shaped_decision): true
ones proved for every size, false ones refuted at concrete sizes with a counterexample numpy confirms, a term with no
value a refutation, anything else unknown, never a pass; forged witnesses rejected."""

from fractions import Fraction

import numpy as np
import pytest

from proofs import (Distributions, ForgedWitness, Function, IndexOf, IntRange, Matrix, Perturbation, Real, Size, Vector, Verdict, concat, elementwise, forall,
                    number, onehot, softmax)
from proofs.evaluate import evaluate

V, M = Size("V", at_least=2), Size("m")
F = Function("f")


def _array(witness, name):
    raw = witness[name]
    return np.array([[float(Fraction(v)) for v in row] for row in raw] if isinstance(raw[0], list) else
                    [float(Fraction(v)) for v in raw])


def _refuted(claim, **params):
    result = evaluate(claim, Perturbation("planted", params, "a planted error")) if params else evaluate(claim)
    assert result.verdict is Verdict.REFUTED, (result.verdict, result.reason)
    assert result.evidence["replay"]["holds"] is False
    return result.evidence["counterexample"]


@forall("test.ex3.d.interaction", "l(0,0) + l(1,1) - l(0,1) - l(1,0) = 0 for a concatenation of one-hots.")
def interaction(U: Matrix(Real, V, 2 * V), P: Matrix(Real, V, V + V * V), pair=False):
    def gap(a, b):
        z = (P @ concat(onehot(a, V), onehot(a * V + b, V * V)) if pair else U @ concat(onehot(a, V), onehot(b, V))) - 1
        return z[1] - z[0]
    return gap(0, 0) + gap(1, 1) - gap(0, 1) - gap(1, 0) == 0


def test_an_additive_model_has_no_interaction_for_every_size_and_a_pair_model_has_one():
    result = evaluate(interaction)
    assert result.verdict is Verdict.PROVED and result.evidence["sizes"] == "every V ≥ 2"
    assert any("onehot(1, V) has a value: 1 < V" in line for line in result.evidence["defined"])
    point = _refuted(interaction, pair=True)
    P, n = _array(point, "P"), point["V"]  # numpy, independently of the engine's evaluator
    z = lambda a, b: P @ np.concatenate([np.eye(n)[a], np.eye(n * n)[a * n + b]]) - 1  # noqa: E731
    gap = lambda a, b: z(a, b)[1] - z(a, b)[0]  # noqa: E731
    assert abs(gap(0, 0) + gap(1, 1) - gap(0, 1) - gap(1, 0)) > 1e-9


@forall("test.ex3.b.bigram", "softmax(U f(W phi - 1) - 1) does not depend on h.")
def bigram(W: Matrix(Real, M, V), R: Matrix(Real, M, M), U: Matrix(Real, V, M), phi: Vector(Real, V), h: Vector(Real, M),
           g: Vector(Real, M), recurrent=False):
    def dist(prev):
        pre = W @ phi - 1
        return softmax(U @ elementwise(F, pre + R @ prev if recurrent else pre) - 1)
    return dist(h) == dist(g)


def test_a_distribution_that_never_reads_the_state_is_proved_and_one_that_does_is_refuted_with_a_chosen_function():
    result = evaluate(bigram)
    assert result.verdict is Verdict.PROVED and result.evidence["sizes"] == "every V ≥ 2, every m ≥ 1"
    assert "f: ℝ → ℝ" in bigram.formal and "m ≥ 1" in bigram.formal
    point = _refuted(bigram, recurrent=True)
    W, R, U, phi, h, g = (_array(point, k) for k in ("W", "R", "U", "phi", "h", "g"))
    f = np.polynomial.Polynomial([float(Fraction(c)) for c in point["f"]])  # the function the counterexample chose

    def dist(prev):
        e = np.exp(U.reshape(point["V"], point["m"]) @ f(W.reshape(point["m"], -1) @ phi - 1 + R.reshape(point["m"], -1) @ prev) - 1)
        return e / e.sum()
    assert not np.allclose(dist(h), dist(g))


@forall("test.ex3.e.column", "A e_c reads column c.")
def column(A: Matrix(Real, M, V), c=1, other=1):
    return (A @ onehot(c, V))[0] == A[0, other]


def test_a_one_hot_reads_one_column_another_column_is_refuted_and_one_past_the_size_has_no_value():
    assert evaluate(column).verdict is Verdict.PROVED
    point = _refuted(column, other=0)
    A = _array(point, "A")
    assert A.reshape(point["m"], point["V"])[0, 1] != A.reshape(point["m"], point["V"])[0, 0]
    result = evaluate(column, Perturbation("past", {"c": 2, "other": 0}, "a one-hot past the least size"))
    assert result.verdict is Verdict.REFUTED and result.evidence["counterexample"]["V"] == 2
    assert "outside" in result.evidence["sides"]["undefined"]


@forall("test.ex3.d.entry", "An entry of a one-size-shorter vector.")
def entry(u: Vector(Real, M), index=0):
    return u[index] == u[index]


def test_an_entry_past_the_least_size_is_refuted_not_proved():
    assert evaluate(entry).verdict is Verdict.PROVED
    result = evaluate(entry, Perturbation("past", {"index": 1}, "an entry past m = 1"))
    assert result.verdict is Verdict.REFUTED and result.evidence["counterexample"]["m"] == 1


@forall("test.ex3.b.shift", "log undoes exp entry by entry.")
def shift(u: Vector(Real, V), c=1):
    return elementwise("log", elementwise("exp", u + c)) == u + c


def test_a_true_statement_the_identity_cannot_show_is_unknown_never_a_pass():
    # log(exp(u + 1)) = u + 1 holds for real entries, but the entries' difference is not simplified to 0 here (sympy
    # does not take them as real): unknown, which fails
    result = evaluate(shift)
    assert result.verdict is Verdict.UNKNOWN and result.status.value == "fail"
    assert evaluate(shift, Perturbation("zero", {"c": 0}, "no shift")).verdict is Verdict.UNKNOWN


@pytest.mark.parametrize("forged", [
    {},
    {"V": 2, "P": [["1"] * 6] * 2, "extra": 1},
    {"V": 1, "P": [["1"] * 2]},
    {"V": 9, "P": [["1"] * 90] * 9},
    {"V": True, "P": [["1"] * 6] * 2},
    {"V": 2, "P": [["1"] * 5] * 2},
    {"V": 2, "P": [["1"] * 6] * 3},
    {"V": 2, "P": [["x"] * 6] * 2},
    {"V": 2},
])
def test_a_forged_witness_is_rejected(forged):
    with pytest.raises(ForgedWitness):
        interaction.replay(forged, pair=True)


def test_a_forged_function_is_rejected():
    point = _refuted(bigram, recurrent=True)
    for f in (None, [], ["1"] * 5, ["cat"], "01"):
        with pytest.raises(ForgedWitness):
            bigram.replay({**point, "f": f}, recurrent=True)
    assert bigram.replay(point, recurrent=False).holds is True  # the counterexample does not refute the claim that holds


def test_sizes_are_checked_when_the_statement_is_built():
    with pytest.raises(TypeError):
        Vector(Real, V - 1)  # a size is built by + and * only
    with pytest.raises(TypeError):
        Vector(Real, 0 * V)
    with pytest.raises(TypeError):
        Size("1V")
    with pytest.raises(TypeError):
        Matrix(Real, M, V).variable("A") @ Matrix(Real, M, V).variable("B")  # m × V times m × V
    with pytest.raises(ValueError):
        Vector(Matrix(Real, 2, 2), V)
    with pytest.raises(TypeError):
        softmax(Matrix(Real, M, V).variable("A"))
    with pytest.raises(TypeError):
        elementwise(Function("L", 2), Vector(Real, V).variable("u"))


@forall("test.ex3.e.word", "A one-hot of a word below the least size.")
def word(a: IntRange(0, 1), k0: IntRange(0, 1), A: Matrix(Real, M, V), past=0):
    return (A @ onehot(a + past, V))[0] + k0 == A[0, a + past] + k0


def test_an_integer_variable_indexes_a_one_hot_within_its_domain_and_past_the_size_is_refuted():
    assert evaluate(word).verdict is Verdict.PROVED  # k0 is the user's, not a sum's index
    point = _refuted(word, past=1)
    assert point["a"] == 1 and point["V"] == 2


W = Size("W")


@forall("test.ex3.e.table", "softmax(s log T e_c - 1) = T e_c for a table whose columns are distributions.")
def table(T: Distributions(W, W * W), a: IndexOf(W), b: IndexOf(W), scale=1, swap=False):
    weights = elementwise("log", T) if scale == 1 else scale * elementwise("log", T)
    read = b * W + a if swap else a * W + b
    return softmax(weights @ onehot(read, W * W) - 1) == T @ onehot(a * W + b, W * W)


def test_a_softmax_of_log_probabilities_gives_the_table_and_a_scaled_or_swapped_one_is_refuted():
    result = evaluate(table)
    assert result.verdict is Verdict.PROVED and "sums to 1" in result.evidence["columns"]
    for params in ({"scale": 2}, {"swap": True}):
        point = _refuted(table, **params)
        T, n, a, b = _array(point, "T").reshape(point["W"], -1), point["W"], point["a"], point["b"]
        col = (b * n + a) if params.get("swap") else a * n + b
        e = np.exp(params.get("scale", 1) * np.log(T[:, col]) - 1)  # numpy, independently of the engine
        assert not np.allclose(e / e.sum(), T[:, a * n + b])


@forall("test.ex3.e.log_real", "log of entries not known positive.")
def log_real(u: Vector(Real, W)):
    return elementwise("exp", elementwise("log", u)) == u


def test_a_log_of_entries_that_may_be_negative_is_not_proved_and_refuted_where_it_has_no_value():
    result = evaluate(log_real)
    assert result.verdict is Verdict.REFUTED and "not positive" in result.evidence["sides"]["undefined"]


def test_a_table_witness_must_have_positive_columns_summing_to_one_and_indices_below_the_size():
    point = _refuted(table, scale=2)
    assert table.replay(point, scale=2).holds is False and table.replay(point, scale=1).holds is True
    n = point["W"]
    for forged in ({**point, "T": [["1/2"] * (n * n)] * (n - 1) + [["1/3"] * (n * n)]},
                   {**point, "T": [["1"] + ["0"] * (n * n - 1)] + [["0"] + ["1"] * (n * n - 1)] * (n - 1)},
                   {**point, "a": n}, {**point, "b": -1}):
        with pytest.raises(ForgedWitness):
            table.replay(forged, scale=2)


@forall("test.ex3.d.cross_ratio", "The model's interaction is 0, and the table's odds cross-ratio is not 1.")
def cross_ratio(U: Matrix(Real, V, 2 * V), odds=(Fraction(1, 2), Fraction(2), Fraction(2), Fraction(1, 2)), pair=False):
    def gap(a, b):
        h = concat(onehot(a, V), onehot(b, V))
        z = U @ h - 1
        return z[1] - z[0] if not pair else z[1] - z[0] + U[0, 0] * (a * b)
    o00, o01, o10, o11 = (number(o) for o in odds)
    return (gap(0, 0) + gap(1, 1) - gap(0, 1) - gap(1, 0) == 0) & (o00 * o11 != o01 * o10)


def test_a_conjunction_with_a_table_inequality_is_proved_and_an_additive_table_or_an_interaction_is_refuted():
    result = evaluate(cross_ratio)
    assert result.verdict is Verdict.PROVED, result.reason
    assert "1/2 · 1/2 ≠ 2 · 2" in cross_ratio.formal and " ∧ " in cross_ratio.formal
    # a table whose log-odds add up over the two words (odds 2^(a+b-1)): cross-ratio 1, the claim fails on that part
    additive = (Fraction(1, 2), Fraction(1), Fraction(1), Fraction(2))
    point = _refuted(cross_ratio, odds=additive)
    assert cross_ratio.replay(point, odds=additive).holds is False
    assert additive[0] * additive[3] == additive[1] * additive[2]  # plain arithmetic agrees
    # a model term that depends on both words: refuted on the model part, confirmed by numpy
    point = _refuted(cross_ratio, pair=True)
    U = _array(point, "U")
    assert abs(U[0, 0]) > 1e-9  # the interaction is U[0, 0] * (1·1), non-zero at the counterexample
    assert cross_ratio.replay(point, pair=False).holds is True


@forall("test.ex9.a.differs", "An entry differs from 0 (false: it may be 0).")
def differs(u: Vector(Real, M), shift=None):
    return u[0] != number(0) if shift is None else u[0] + shift != u[0]


def test_an_inequality_is_proved_only_by_a_non_zero_constant_difference_and_refuted_only_where_exactly_equal():
    assert evaluate(differs, Perturbation("shifted", {"shift": 3}, "u0 + 3 != u0")).verdict is Verdict.PROVED
    # u[0] != 0 is false where u[0] = 0: the search finds an exact 0, the replay confirms it
    point = _refuted(differs)
    assert Fraction(point["u"][0]) == 0
    assert differs.replay({**point, "u": ["1"] * point["m"]}).holds is True


@forall("test.ex9.b.exp_apart", "exp of an entry is not 0 (true, but not a constant difference).")
def exp_apart(u: Vector(Real, M)):
    return elementwise("exp", u)[0] != number(0)


def test_a_true_inequality_whose_difference_is_not_a_constant_is_unknown_never_a_pass():
    result = evaluate(exp_apart)
    assert result.verdict is Verdict.UNKNOWN and result.status.value == "fail"


def test_inequality_and_conjunction_are_checked_when_built():
    u = Vector(Real, V).variable("u")
    with pytest.raises(TypeError):
        u != u  # noqa: B015 - arrays are not compared by ≠
    with pytest.raises(TypeError):
        (u[0] == u[1]) & u[0]
    with pytest.raises(TypeError):
        number("x")
    assert str((u[0] == u[1]) & (u[0] != number(1))) == "u[0] = u[1] ∧ u[0] ≠ 1"


def test_generated_cross_ratios_and_inequalities_agree_with_numpy_and_fractions():
    """tests/oracle_shaped.py's interactions with a table's cross-ratio, and entries apart by a constant: truth fixed
    by numpy and plain Fractions; no wrong verdict, none unknown."""
    import oracle_shaped
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(16):
        case = oracle_shaped._cross_ratio(oracle_sized.Seeded(seed), f"cross{seed}")
        result = evaluate(case.claim())
        assert oracle.verdict_class(case, result.verdict.value, result.status.value) == "ok", (case.text, result.reason)
        seen.add((case.truth, "!=" in case.text))
    assert {(True, False), (False, False), (True, True), (False, True)} <= seen, seen
