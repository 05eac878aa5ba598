"""Limits in statements: limit(lambda a: body, point) decided, refuted where it has no value, and replayed exactly."""

from fractions import Fraction

import pytest

from proofs import Real, Verdict, exp, forall, ite, limit, log, oo, sqrt
from proofs.errors import InvalidClaim
from proofs.evaluate import evaluate


def _softmax(w, rivals):
    return exp(w) / (exp(w) + rivals * exp(w) + 7)


@forall("demo.ex1.a.limit_one", "A growing logit's probability is below 1 and tends to 1.",
        perturb={"rival": {"rivals": 1}, "two_rivals": {"rivals": 2}})
def limit_one(a: Real, rivals=0):
    return (_softmax(a, rivals) < 1) & (limit(lambda w: _softmax(w, rivals), oo) == 1)


def test_a_limit_at_infinity_is_proved_and_a_wrong_one_refuted_with_the_limit_shown():
    proved = evaluate(limit_one)
    assert proved.verdict is Verdict.PROVED
    assert proved.evidence["limits"] == ["lim_{w → ∞} (exp(w)/(exp(w) + rivals·exp(w) + 7)) = 1: sympy"]
    for name, value in (("rival", Fraction(1, 2)), ("two_rivals", Fraction(1, 3))):
        wrong = evaluate(limit_one, limit_one.perturbation(name))
        assert wrong.verdict is Verdict.REFUTED
        sides = wrong.evidence["replay"]["sides"]
        assert [v for k, v in sides.items() if k.startswith("2. left: lim_")] == [str(value)]
        # the counterexample replays: the statement is false there whatever the point
        replayed = limit_one.replay(wrong.evidence["counterexample"], **{**limit_one.params, "rivals": value.denominator - 1})
        assert replayed.holds is False


@forall("demo.ex1.b.towards_minus", "As w -> -oo, (x e^{-w} + e^{w})/(2 e^{-w}) tends to x/2.", perturb={"off": {"k": 1}})
def towards_minus(x: Real, k=0):
    return limit(lambda w: (x * exp(-w) + exp(w)) / (2 * exp(-w)), -oo) == x / 2 + k


def test_a_limit_reading_the_statements_variable_is_decided_by_sympy_and_replayed():
    assert evaluate(towards_minus).verdict is Verdict.PROVED
    wrong = evaluate(towards_minus, towards_minus.perturbation("off"))
    assert wrong.verdict is Verdict.REFUTED
    assert towards_minus.replay(wrong.evidence["counterexample"], **{"k": 1}).holds is False


@forall("demo.ex1.c.two_sided", "|w|/w tends to 1 at 0 (false: -1 from the left).")
def two_sided(a: Real):
    return limit(lambda w: abs(w) / w, 0) == 1


@forall("demo.ex1.d.infinite", "w^2 tends to a number (false: it grows without bound).")
def infinite(a: Real):
    return limit(lambda w: w * w, oo) >= a


@forall("demo.ex1.e.rational", "(2w + 1)/(w + 3) tends to 2 at oo and 1/3 at 0.", perturb={"at_zero": {"value": 1}})
def rational(a: Real, value=Fraction(1, 3)):
    return (limit(lambda w: (2 * w + 1) / (w + 3), oo) == 2) & (limit(lambda w: (2 * w + 1) / (w + 3), 0) == value) \
        & (a * a >= 0)


def test_a_limit_that_does_not_exist_or_is_infinite_has_no_value_and_is_refuted():
    one_sided = evaluate(two_sided)
    assert one_sided.verdict is Verdict.REFUTED and "does not exist" in one_sided.reason
    unbounded = evaluate(infinite)
    assert unbounded.verdict is Verdict.REFUTED and "not finite" in unbounded.reason


def test_a_closed_rational_limit_is_a_number_z3_takes():
    result = evaluate(rational)
    assert result.verdict is Verdict.PROVED and result.evidence["z3"] == "unsat"
    assert evaluate(rational, rational.perturbation("at_zero")).verdict is Verdict.REFUTED


def test_a_limit_is_a_number_with_a_variable_of_its_own():
    assert str(limit(lambda w: w / (w + 1), oo)) == "lim_{w → ∞} (w/(w + 1))"
    with pytest.raises(InvalidClaim, match="number, not the relation"):
        @forall("demo.ex1.f.bad", "bad")
        def bad(a: Real):
            return limit(lambda w: w > a, oo) == 1


# A limit at a finite point is taken from both sides: where the body has no value on one side (sqrt, log left of
# 0) or the sides tend to different values (a step), the limit does not exist. sympy's own limit takes the right-hand
# one by default, and its dir="+-" reads sqrt(w) left of 0 as a complex number and a Piecewise wrongly from the left.
def _at_zero(claim_id, body, value):
    @forall(claim_id, "a limit at 0")
    def statement(x: Real, v=value):
        return limit(body, 0) == v
    return statement


@pytest.mark.parametrize("body, value", [
    (lambda w: sqrt(w), 0),
    (lambda w: w * log(w), 0),
    (lambda w: w ** Fraction(1, 2), 0),
    (lambda w: ite(w >= 0, 1, 0), 1),
    (lambda w: ite(w > 0, 1, 0), 0),
])
def test_a_limit_at_a_point_where_one_side_has_no_value_or_another_limit_is_refuted(body, value):
    result = evaluate(_at_zero("demo.ex1.f.one_sided", body, value))
    assert result.verdict is Verdict.REFUTED, result.reason
    assert "does not exist" in result.reason


@pytest.mark.parametrize("body, value", [
    (lambda w: sqrt(w + 1), 1),
    (lambda w: (exp(w) - 1) / w, 1),
    (lambda w: ite(w >= 0, w, -w), 0),
    (lambda w: (w * w - 1) / (w - 1) - w, 1),
])
def test_a_limit_at_a_point_whose_sides_agree_is_proved(body, value):
    assert evaluate(_at_zero("demo.ex1.g.two_sided", body, value)).verdict is Verdict.PROVED


def test_a_limit_at_the_statement_s_variable_is_refuted_at_the_closed_end_where_one_side_has_no_value():
    from proofs import Interval

    @forall("demo.ex1.h.root_continuous", "sqrt is continuous on [0, 1] (false two-sided at 0).")
    def closed(x: Interval(0, 1)):
        return limit(lambda w: sqrt(w), x) == sqrt(x)

    @forall("demo.ex1.i.root_continuous_open", "sqrt is continuous on (0, 1].")
    def half_open(x: Interval(0, 1, lower_open=True)):
        return limit(lambda w: sqrt(w), x) == sqrt(x)

    refuted = evaluate(closed)
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["counterexample"] == {"x": 0}, refuted.reason
    assert closed.replay(refuted.evidence["counterexample"]).holds is False
    assert evaluate(half_open).verdict is Verdict.PROVED
