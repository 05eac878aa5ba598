"""Wrong or unsettled verdicts found by fresh-seed soaks of the statement and shaped oracles on the merged code, each
reduced to the least statement that shows it."""

from fractions import Fraction

import pytest

from proofs import Real, Verdict, diff, forall, ite, relu, sqrt
from proofs.evaluate import evaluate

# A square root (or a power below 1) of relu's argument growing from 0 has an infinite one-sided slope at the kink;
# a whole power of it (sqrt(relu(x))^3, the kink_power oracle's second form) was left undecided there, so every such
# statement was unknown, true or false. Its order is now kept: (c·h)^(q·p) has slope 0 above q·p = 1, c at 1.


def _root(v: Fraction) -> Fraction:
    """The exact square root of a perfect square Fraction (the oracle's steps are chosen so that it is one)."""
    n, d = v.numerator, v.denominator
    rn, rd = int(n ** 0.5), int(d ** 0.5)
    assert rn * rn == n and rd * rd == d, v
    return Fraction(rn, rd)


def _quotients(f, x0: Fraction, steps=(Fraction(1, 10**4), Fraction(1, 10**8))):
    """One-sided difference quotients of f at x0 for steps h that are perfect squares: plain Fractions, no engine."""
    return [((f(x0 + h) - f(x0)) / h, (f(x0 - h) - f(x0)) / -h) for h in steps]


def _plain_relu(v):
    return max(v, Fraction(0))


PLAIN = {  # f(x) as plain exact arithmetic, with its claimed derivative away from the kink
    "cubed": (lambda x: _root(_plain_relu(x)) ** 3, lambda x: Fraction(3, 2) * _root(_plain_relu(x))),
    "fifth": (lambda x: _root(_plain_relu(x)) ** 5, lambda x: Fraction(5, 2) * _root(_plain_relu(x)) ** 3),
    "times": (lambda x: _root(_plain_relu(x)) * _plain_relu(x), lambda x: Fraction(3, 2) * _root(_plain_relu(x))),
}


def _cubed(x, k=Fraction(3, 2)):
    return diff(sqrt(relu(x)) ** 3, x) == k * sqrt(relu(x))


def _fifth(x, k=Fraction(5, 2)):
    return diff(sqrt(relu(x)) ** 5, x) == k * relu(x) ** Fraction(3, 2)


def _times(x, k=Fraction(3, 2)):
    return diff(relu(x) ** Fraction(1, 2) * relu(x), x) == k * sqrt(relu(x))


@pytest.mark.parametrize("name, body", [("cubed", _cubed), ("fifth", _fifth), ("times", _times)])
def test_a_whole_power_of_a_root_of_relu_is_proved_and_a_wrong_coefficient_refuted(name, body):
    f, slope = PLAIN[name]
    for right, left in _quotients(f, Fraction(0)):  # the oracle: both one-sided quotients tend to 0 at the kink
        assert 0 <= right <= Fraction(1, 10**2) and left == 0
    assert slope(Fraction(0)) == 0

    def statement(x: Real, k=body.__defaults__[0]):
        return body(x, k)

    claim = forall(f"soak2.ex1.a.{name}", "the slope of a whole power of a root of relu",
                   perturb={"off": {"k": body.__defaults__[0] + 1}})(statement)
    proof = evaluate(claim)
    assert proof.verdict is Verdict.PROVED, proof.reason
    assert claim.replay({"x": 0}).holds is True
    wrong = evaluate(claim, claim.perturbation("off"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    x = Fraction(str(wrong.evidence["counterexample"]["x"]))
    assert claim.replay({"x": x}, k=body.__defaults__[0] + 1).holds is False


@forall("soak2.ex1.b.square", "d/dx sqrt(relu(x))^2 = [x > 0]: false, relu(x) has no derivative at 0.")
def square(x: Real):
    return diff(sqrt(relu(x)) ** 2, x) == ite(x > 0, 1, 0)


@forall("soak2.ex1.c.fourth", "d/dx sqrt(sqrt(relu(x)))^4 = [x > 0]: false, relu(x) has no derivative at 0.")
def fourth(x: Real):
    return diff(sqrt(sqrt(relu(x))) ** 4, x) == ite(x > 0, 1, 0)


@forall("soak2.ex1.d.at_kink", "d/dx sqrt(relu(x))^3 = 3/2 sqrt(relu(x)) + [x = 0]: false at 0 only.")
def at_kink(x: Real):
    return diff(sqrt(relu(x)) ** 3, x) == Fraction(3, 2) * sqrt(relu(x)) + ite(x == 0, 1, 0)


@pytest.mark.parametrize("claim, plain", [(square, lambda x: _plain_relu(x)), (fourth, lambda x: _plain_relu(x))])
def test_a_power_of_a_root_that_gives_relu_back_has_no_derivative_at_the_kink(claim, plain):
    for right, left in _quotients(plain, Fraction(0)):  # the oracle: the one-sided quotients are 1 and 0
        assert (right, left) == (1, 0)
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert result.evidence["counterexample"] == {"x": 0} and "undefined" in result.reason


def test_a_power_of_a_root_of_relu_wrong_only_at_the_kink_is_refuted_there():
    result = evaluate(at_kink)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert result.evidence["counterexample"] == {"x": 0}
    assert at_kink.replay({"x": 0}).holds is False
