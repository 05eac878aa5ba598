"""Hostile statements against the statement language's newer forms (known ranges, conditional derivatives, inner
quantifiers, unique, induction), each with its truth derived by hand and checked by a plain computation here."""

from fractions import Fraction

from proofs import Verdict, forall, log, sigmoid, softplus, tanh, unique
from proofs import backends
from proofs.terms import var
from proofs.domains import IntRange, Real
from proofs.evaluate import evaluate


# 1/a = 1 holds at a = 1 and nowhere else; at a = 0 the condition has no value, so 0 is not a second solution.
@forall("t.ex1.a.reciprocal", "a = 1 is the unique solution of 1/a = 1.", perturb={"two": {"v": 2}})
def reciprocal(v=1):
    return unique(Real, lambda a: 1 / a == 1, v)


@forall("t.ex1.b.reciprocal_finite", "a = 1 is the unique a in {-1, 0, 1} with 1/a = 1.", perturb={"minus": {"v": -1}})
def reciprocal_finite(v=1):
    return unique(IntRange(-1, 1), lambda a: 1 / a == 1, v)


@forall("t.ex1.c.quotient", "for x in {1, 2, 3}, a = x is the unique solution of x/a = 1.")
def quotient(x: IntRange(1, 3)):
    return unique(Real, lambda a: x / a == 1, x)


def _solutions(condition, points):
    """The points where the condition has a value and holds (a plain reference, exact arithmetic)."""
    out = []
    for a in points:
        try:
            if condition(Fraction(a)):
                out.append(a)
        except ZeroDivisionError:
            pass
    return out


def test_a_point_where_uniques_condition_has_no_value_is_not_a_second_solution():
    assert _solutions(lambda a: 1 / a == 1, range(-1, 2)) == [1]
    result = evaluate(reciprocal)
    assert result.verdict is Verdict.PROVED, result.reason
    assert evaluate(reciprocal, reciprocal.perturbation("two")).verdict is Verdict.REFUTED
    finite = evaluate(reciprocal_finite)
    assert finite.verdict is Verdict.PROVED, finite.reason
    assert evaluate(reciprocal_finite, reciprocal_finite.perturbation("minus")).verdict is Verdict.REFUTED
    assert all(_solutions(lambda a, x=x: x / a == 1, range(-5, 6)) == [x] for x in (1, 2, 3))
    outer = evaluate(quotient)
    assert outer.verdict is Verdict.EXHAUSTED, outer.reason


# 1 - σ(1000 z) is 1 minus a number below e^-1000 at z = -1: its logarithm is negative, but by less than 10^-434, and
# softplus(-1000 - 1000 z²) = log(1 + e^(-1000 - ...)) is positive by as little. Both statements hold everywhere.
@forall("t.ex1.d.tiny_log", "log(1 - sigma(1000 z)) < 0 for every real z.")
def tiny_log(z: Real, k=1000):
    return log(1 - sigmoid(k * z)) < 0


@forall("t.ex1.e.tiny_softplus", "softplus(-1000 - 1000 z^2) > 0 for every real z.")
def tiny_softplus(z: Real, k=1000):
    return softplus(-k * z * z - k) > 0


def test_a_comparison_is_not_decided_by_a_float_that_lost_the_difference():
    import mpmath

    with mpmath.workdps(2000):  # the plain check, at a precision that keeps the difference
        assert mpmath.log(1 - 1 / (1 + mpmath.exp(1000))) < 0 and mpmath.log(1 + mpmath.exp(-1000)) > 0
    assert backends.decide_exact(log(1 - sigmoid(var("z"))) < 0, {"z": -1000}) is True
    assert backends.decide_exact(softplus(var("z")) > 0, {"z": -1000}) is True
    assert backends.decide_exact(tanh(var("z")) < 1, {"z": 1000}) is True
    assert backends.decide_exact(log(1 - sigmoid(var("z"))) >= 0, {"z": -1000}) is False
    for claim in (tiny_log, tiny_softplus):
        result = evaluate(claim)
        assert result.verdict is not Verdict.REFUTED, result.reason
