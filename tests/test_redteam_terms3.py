"""Statements over a real domain of one point ([a, a]) or of none ([a, b] with b < a, (a, a)), each with its truth
computed by hand in a true and a near-miss false variant. Such a domain is finite: the statement is decided by exact
evaluation at its one point (or vacuously over none), where a transcendental value at the point left it unknown, and a
counterexample replays."""

from fractions import Fraction

import pytest

from proofs import Interval, Real, Vector, Verdict, diff, dot, exists, exp, forall, ite, log, relu, sigmoid, softplus, sqrt
from proofs.backends import Undecided
from proofs.evaluate import evaluate
from proofs.terms import const

TINY = const(Fraction(1, 10**30))


def _softplus_at_zero(x: Interval(0, 0), c=2):
    return softplus(x) == log(c)  # log(1 + e^0) = log 2


def _exp_just_above(x: Interval(0, 0), d=61):
    # e^t - 1 = t + t²/2 + ... with t = 10^-30 and t²/2 = 5·10^-61: above t + 10^-61, not above t + 10^-59
    return exp(TINY) - 1 > TINY + const(Fraction(1, 10**d))


def _log_below(x: Interval(0, 0), d=0):
    # log(1 + t) = t - t²/2 + ...: below t, not below t - 10^-59 (t²/2 = 5·10^-61)
    return log(1 + TINY) < TINY - d * const(Fraction(1, 10**59))


def _sigmoid_slope_at_zero(x: Interval(0, 0), q=Fraction(1, 4)):
    return diff(sigmoid(x), x) == q  # σ'(0) = σ(0)(1 - σ(0)) = 1/4


def _vector_of_ones(v: Vector(Interval(1, 1), 2), c=2):
    return dot(v, v) == c


@pytest.mark.parametrize("body, wrong", [
    (_softplus_at_zero, {"c": 3}),
    (_exp_just_above, {"d": 59}),
    (_log_below, {"d": 1}),
    (_sigmoid_slope_at_zero, {"q": Fraction(1, 5)}),
    (_vector_of_ones, {"c": 1}),
])
def test_a_statement_over_a_single_real_point_is_decided_at_that_point(body, wrong):
    claim = forall("rt.ex1.a.point", "at the one point of the domain", perturb={"wrong": wrong})(body)
    assert claim.requires is Verdict.EXHAUSTED
    right = evaluate(claim)
    assert right.verdict is Verdict.EXHAUSTED, right.reason
    refuted = evaluate(claim, claim.perturbation("wrong"))
    assert refuted.verdict is Verdict.REFUTED, refuted.reason
    assert claim.replay(refuted.evidence["counterexample"], **wrong).holds is False


@pytest.mark.parametrize("domain", [Interval(3, 2), Interval(2, 2, open=True), Interval(2, 2, lower_open=True)])
def test_an_empty_real_interval_makes_forall_vacuous_and_exists_false(domain):
    def everywhere(x: domain):
        return log(x - 10) == 1  # no value at any real x <= 10, but there is no point: vacuously true

    def somewhere(x: domain):
        return x == x

    held = evaluate(forall("rt.ex1.c.vacuous", "over no points")(everywhere))
    assert held.verdict is Verdict.EXHAUSTED and held.evidence["domain_size"] == 0
    assert evaluate(exists("rt.ex1.c.none", "no point exists")(somewhere)).verdict is Verdict.REFUTED


# A fractional power (or square root) of a base that is 0 at a kink and grows from it on one side only: relu(x)^(3/2)
# is 0 for x <= 0 and x^(3/2) for x > 0, so its slope is 0 from both sides and its derivative at 0 is 0. The one-sided
# slope along the side where relu grows was taken as a base that changes sign, so a true statement was refuted at 0.
# Along that side the base is positive: a power above 1 has slope 0 there, and a power below 1 (or a square root) an
# infinite slope that another factor may cancel, which is not decided at first order (unknown, never refuted); on the
# side where relu's argument is below 0, relu is exactly 0, and so is any positive power of it.
def _relu_power(x, k=Fraction(3, 2)):
    return diff(relu(x) ** Fraction(3, 2), x) == k * sqrt(relu(x))


def _relu_power_left(x, k=Fraction(-5, 2)):
    return diff(relu(-x) ** Fraction(5, 2), x) == k * relu(-x) ** Fraction(3, 2)


def _square_root_cubed(x, k=Fraction(3, 2)):
    return diff(sqrt(relu(x)) ** 3, x) == k * sqrt(relu(x))


def _root_times_relu(x, k=Fraction(3, 2)):
    return diff(relu(x) ** Fraction(1, 2) * relu(x), x) == k * sqrt(relu(x))


@pytest.mark.parametrize("body", [_relu_power, _relu_power_left, _square_root_cubed, _root_times_relu])
def test_a_power_of_a_base_growing_from_zero_at_a_kink_is_not_refuted_there(body):
    """True at every x (at 0 both sides and the derivative are 0); with k = 1 false at every x where relu's argument
    is above 0."""
    def statement(x: Real, k=body.__defaults__[0]):
        return body(x, k)

    claim = forall("rt.ex2.a.power", "the slope of a power of relu", perturb={"one": {"k": 1}})(statement)
    right = evaluate(claim)
    assert right.verdict is not Verdict.REFUTED, right.evidence.get("counterexample")
    for x in (-1, Fraction(1, 4)):
        assert claim.replay({"x": x}).holds is True
    try:  # at the kink: holds, or (an infinite one-sided slope cancelled by another factor) not decided
        assert claim.replay({"x": 0}).holds is True
    except Undecided:
        assert body in (_square_root_cubed, _root_times_relu)
    wrong = evaluate(claim, claim.perturbation("one"))
    assert wrong.verdict is Verdict.REFUTED
    x = Fraction(str(wrong.evidence["counterexample"]["x"]))
    assert claim.replay({"x": x}, k=1).holds is False


@pytest.mark.parametrize("power", [Fraction(3, 2), Fraction(4, 3)])
def test_a_wrong_slope_of_a_power_of_relu_is_refuted_at_the_kink_by_the_derivative_there(power):
    """d/dx relu(x)^p is 0 at 0 (p > 1): a statement wrong only at 0 is refuted there, the slope computed as 0."""
    @forall("rt.ex2.b.at_kink", "d/dx relu(x)^p = p relu(x)^(p - 1) + [x = 0] (false at 0 only)")
    def at_kink(x: Real):
        return diff(relu(x) ** power, x) == power * relu(x) ** (power - 1) + ite(x == 0, 1, 0)

    wrong = evaluate(at_kink)
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"x": 0}
    assert "sides differ" in wrong.reason and "undefined" not in wrong.reason, wrong.reason


def test_a_point_where_the_slope_of_a_power_of_relu_is_zero_is_a_witness():
    @exists("rt.ex2.c.flat", "relu(x)^(3/2) is flat somewhere")
    def flat(x: Real):
        return diff(relu(x) ** Fraction(3, 2), x) == 0

    found = evaluate(flat)
    assert found.verdict is Verdict.PROVED
    assert flat.replay(found.evidence["witness"]).holds is True


@pytest.mark.parametrize("body", [_relu_power, _relu_power_left])
def test_a_power_of_relu_is_proved_piece_by_piece(body):
    """relu(±x) is 0 on a whole half-line: the end of that half-line cuts the line into a piece where the power is 0
    throughout and one where it is smooth, each an identity, and the kink is decided by the exact replay."""
    def statement(x: Real, k=body.__defaults__[0]):
        return body(x, k)

    proof = evaluate(forall("rt.ex2.d.pieces", "the slope of a power of relu, proved by pieces")(statement))
    assert proof.verdict is Verdict.PROVED, proof.reason
    assert any("x = 0: exact replay" in line for line in proof.evidence["pieces"]), proof.evidence


# Where a base grows from 0 along one side, a square root or a power below 1 of it has an infinite one-sided slope: a
# sum, a product with a factor that is not 0, or a smooth function with a slope other than 0 keeps it infinite, so the
# derivative does not exist there; where two infinite slopes cancel (or meet a factor 0) nothing is decided.
@pytest.mark.parametrize("term", [
    lambda x: sqrt(abs(x)),
    lambda x: abs(x) ** Fraction(1, 2),
    lambda x: relu(x) ** Fraction(1, 3),
    lambda x: 3 * sqrt(relu(x)) + x,
    lambda x: exp(sqrt(relu(-x))),
    lambda x: sqrt(relu(x)) / (1 + x * x),
])
def test_an_infinite_one_sided_slope_means_no_derivative(term):
    @forall("rt.ex2.e.steep", "a slope at 0 where one side is infinite (false: no derivative there)")
    def steep(x: Interval(0, 0)):
        return diff(term(x), x) == 0

    wrong = evaluate(steep)
    assert wrong.verdict is Verdict.REFUTED and "one-sided slope is infinite" in wrong.reason, wrong.reason


def test_infinite_one_sided_slopes_that_cancel_are_not_refuted():
    @forall("rt.ex2.f.cancel", "sqrt(relu(x)) - sqrt(relu(x)) is 0, so its slope is 0")
    def cancel(x: Real):
        return diff(sqrt(relu(x)) - sqrt(relu(x)), x) == 0

    assert evaluate(cancel).verdict is not Verdict.REFUTED
