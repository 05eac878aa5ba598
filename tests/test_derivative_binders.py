"""Derivatives around and inside binders (limits, quantifiers, recurrences): one walker writes derivatives out and
stops at every binder; a derivative inside a limit's body counts only where the body is smooth near the point; a
derivative of a limit or a quantified statement is unknown, never an error. True statements are not refuted, false
ones are not proved, and each refutation is replayed."""

import pytest

from proofs import Function, IntRange, Real, Verdict, diff, every, forall, limit, log, oo, sigmoid, sqrt
from proofs.backends import written_out, _written_derivative
from proofs.evaluate import evaluate
from proofs.terms import var
from proofs.uninterpreted import derivative

f = Function("f")


def _refuted_and_replayed(claim):
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert claim.replay(result.evidence["counterexample"]).holds is False
    return result


@forall("t.ex1.a.inside_limit", "lim_{a→∞} ∂/∂x (x·a/(a+1)) = 1.")
def inside_limit(x: Real, c=1):
    return limit(lambda a: diff(x * a / (a + 1), x), oo) == c


@forall("t.ex1.a.inside_limit_wrong", "lim_{a→∞} ∂/∂x (x·a/(a+1)) = 2 (false).")
def inside_limit_wrong(x: Real, c=2):
    return limit(lambda a: diff(x * a / (a + 1), x), oo) == c


def test_a_derivative_by_a_free_variable_inside_a_limit_is_taken_before_the_point_is_put_in():
    assert evaluate(inside_limit).verdict is Verdict.PROVED
    _refuted_and_replayed(inside_limit_wrong)


@forall("t.ex1.b.log_slope_at_minus_infinity", "lim_{a→-∞} d/da log(a) = 0 (false: log has no value there).")
def log_slope_at_minus_infinity(x: Real):
    return limit(lambda a: diff(log(a), a), -oo) == 0


@forall("t.ex1.b.sigmoid_slope_vanishes", "lim_{a→∞} d/da σ(a) = 0.")
def sigmoid_slope_vanishes(x: Real):
    return limit(lambda a: diff(sigmoid(a), a), oo) == 0


@forall("t.ex1.b.root_from_the_right", "lim_{a→0} ∂/∂x (x·sqrt(a)) = 0 (false: sqrt(a) has no value left of 0).")
def root_from_the_right(x: Real):
    return limit(lambda a: diff(x * sqrt(a), x), 0) == 0


@forall("t.ex1.b.root_of_a_square", "lim_{a→0} ∂/∂x (x·sqrt(a²)) = 0.")
def root_of_a_square(x: Real):
    return limit(lambda a: diff(x * sqrt(a * a), x), 0) == 0


def test_a_derivative_inside_a_limit_needs_its_body_defined_near_the_point():
    """sympy's d/da log(a) = 1/a has a value at a < 0, where log(a) has none: the limit does not exist; nor does
    one whose body has no value on one side of a finite point."""
    result = _refuted_and_replayed(log_slope_at_minus_infinity)
    assert "logarithm" in result.reason
    assert evaluate(sigmoid_slope_vanishes).verdict is Verdict.PROVED
    result = _refuted_and_replayed(root_from_the_right)
    assert "square root" in result.reason
    assert evaluate(root_of_a_square).verdict is Verdict.PROVED


@forall("t.ex1.c.every_function_inside_limit", "lim_{a→∞} f'(x)·a/(a+1) = f'(x) for every f.")
def every_function_inside_limit(x: Real):
    return limit(lambda a: diff(f(x), x) * a / (a + 1), oo) == f.prime(x)


@forall("t.ex1.c.every_function_inside_limit_wrong", "lim_{a→∞} f'(x)·a/(a+1) = f(x) (false).")
def every_function_inside_limit_wrong(x: Real):
    return limit(lambda a: diff(f(x), x) * a / (a + 1), oo) == f(x)


@pytest.mark.slow
def test_a_limit_over_an_uninterpreted_function_reads_the_chosen_polynomial():
    assert evaluate(every_function_inside_limit).verdict is Verdict.PROVED
    result = _refuted_and_replayed(every_function_inside_limit_wrong)
    assert result.evidence["counterexample"]["functions"]


@forall("t.ex1.d.derivative_of_a_limit", "∂/∂x lim_{a→∞} x·a/(a+1) = 1.", perturb={"two": {"c": 2}})
def derivative_of_a_limit(x: Real, c=1):
    return diff(limit(lambda a: x * a / (a + 1), oo), x) == c


def test_the_derivative_of_a_limit_that_moves_is_unknown_not_an_error():
    for result in (evaluate(derivative_of_a_limit), evaluate(derivative_of_a_limit, derivative_of_a_limit.perturbation("two"))):
        assert result.verdict is Verdict.UNKNOWN and "the derivative of a limit" in result.reason, result.reason


@forall("t.ex1.e.around_limit", "∂/∂x (f(x)·lim_{a→∞} a/(a+1)) = f'(x).")
def around_limit(x: Real):
    return diff(f(x) * limit(lambda a: a / (a + 1), oo), x) == f.prime(x)


@forall("t.ex1.e.inside_every", "∀ y ∈ {1, 2, 3}: ∂/∂x (x·y) = y.", perturb={"wrong": {"k": 1}})
def inside_every(x: Real, k=0):
    return every(IntRange(1, 3), lambda y: diff(x * y, x) == y + k * x * x)


def test_the_walker_stops_at_every_binder_and_differentiates_around_one_only_where_it_does_not_move():
    x, y = var("x"), var("y")
    for walk in (_written_derivative, derivative):
        inside = every(Real, lambda y: diff(x * y, x) == y)
        assert written_out(inside, walk) is None  # the body's definedness is the quantifier's business
        assert written_out(limit(lambda a: diff(log(a), a), -oo) == 0, walk) is None
        moving = diff(limit(lambda a: x * a / (a + 1), oo), x)
        assert written_out(moving, walk) is None  # not pushed through a limit
        # a limit whose bound variable is named like the variable differentiated by does not move with it
        still = written_out(diff(x * limit(lambda x: x / (x + 1), oo), x) == y, walk)
        assert still is not None and "∂" not in str(still) and "lim" in str(still)
    # and the statements: around a limit that does not move, inside a quantifier, never a wrong verdict
    assert evaluate(around_limit).verdict is Verdict.PROVED
    assert evaluate(inside_every).verdict in (Verdict.PROVED, Verdict.UNKNOWN)
    wrong = evaluate(inside_every, inside_every.perturbation("wrong"))
    assert wrong.verdict in (Verdict.REFUTED, Verdict.UNKNOWN), wrong.reason
    if wrong.verdict is Verdict.REFUTED:
        assert inside_every.replay(wrong.evidence["counterexample"], k=1).holds is False
