"""Hostile statements against the statement language's newer forms (known ranges, conditional derivatives, inner
quantifiers, unique, induction), each with its truth derived by hand and checked by a plain computation here."""

from fractions import Fraction

from proofs import Verdict, forall, unique
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
