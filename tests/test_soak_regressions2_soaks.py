"""Wrong or unsettled verdicts found by fresh-seed soaks of the statement and shaped oracles on the merged code, each
reduced to the least statement that shows it."""

from fractions import Fraction

import pytest

from proofs import Real, Verdict, diff, forall, ite, relu, sqrt
from proofs.domains import Nat
from proofs.terms import const, summation
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


# sympy 1.14's limit of c^w at -∞ is inverted for a constant base (2^w → ∞, (1/2)^w → 0), and the limit of r(x)^w at
# ±∞ for a base depending on x is exp(±∞·sign(log r(x))), which was taken as infinite: lim_{w→-∞} (1/2)^w = 0 was
# proved, lim_{w→-∞} 2^w = 0 refuted, lim_{w→∞} ((x² + 1)/(x² + 2))^w = 0 unknown.

def _plain_power_limit(r: Fraction, towards: int):
    """lim r^w as w → towards·∞ from plain Fractions: r^(towards·n) at n = 40 and 80, 0 or 1 when both agree there,
    None where it grows (no value)."""
    far = [r ** (towards * n) if r or towards > 0 else None for n in (40, 80)]
    if None in far or far[1] > far[0] > 10**6:
        return None
    return Fraction(1) if far == [1, 1] else Fraction(0) if far[1] < Fraction(1, 10**6) else None


def _power_limit_claim(base, towards, expected, slug):
    from proofs import forall, limit, oo
    from proofs.terms import const

    def statement(x: Real, k=expected):
        b = const(base) if isinstance(base, Fraction) else (x * x + base[0]) / (x * x + base[1])
        return limit(lambda w: b ** w, oo if towards > 0 else -oo) == k
    return forall(f"soak2.ex2.a.{slug}", "the limit of a power as its exponent grows or falls",
                  perturb={"off": {"k": expected + 1}})(statement)


@pytest.mark.parametrize("base, towards", [(Fraction(2), -1), (Fraction(5, 4), -1), ((3, 1), -1),
                                           ((1, 2), 1), ((2, 3), 1), ((2, 1), -1)])
def test_the_limit_of_a_power_whose_base_is_away_from_one_is_proved_and_a_wrong_value_refuted(base, towards):
    r = base if isinstance(base, Fraction) else Fraction(base[0], base[1])  # the base at x = 0; r - 1 keeps its sign
    assert _plain_power_limit(r, towards) == 0
    claim = _power_limit_claim(base, towards, Fraction(0), "vanishing")
    proof = evaluate(claim)
    assert proof.verdict is Verdict.PROVED, proof.reason
    wrong = evaluate(claim, claim.perturbation("off"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    point = {k: Fraction(str(v)) for k, v in wrong.evidence["counterexample"].items()}
    assert claim.replay(point, k=1).holds is False


@pytest.mark.parametrize("base, towards", [(Fraction(1, 2), -1), (Fraction(3, 4), -1), ((1, 3), -1)])
def test_the_limit_of_a_power_that_grows_without_bound_is_refuted_never_proved(base, towards):
    r = base if isinstance(base, Fraction) else Fraction(base[0], base[1])
    assert _plain_power_limit(r, towards) is None
    for expected in (Fraction(0), Fraction(1)):
        result = evaluate(_power_limit_claim(base, towards, expected, "growing"))
        assert result.verdict is Verdict.REFUTED, result.reason
        assert "not finite" in result.reason


# A power of a power of relu at its kink: relu(x)^2 (or ^3) kept only "value 0, slope 0", so a fractional power of it
# had no derivative decided; on the side where relu is 0, a whole power dropped the mark that the base is 0 there.
# The order of the leading term is kept now: (relu(x)^n)^p has slope 0 at 0 exactly when n·p > 1.

@pytest.mark.parametrize("inner, outer, exists", [(2, Fraction(3, 2), True), (3, Fraction(1, 2), True),
                                                  (2, Fraction(1, 2), False), (3, Fraction(1, 3), False),
                                                  (4, Fraction(1, 8), False)])
def test_a_fractional_power_of_a_whole_power_of_relu_has_a_slope_at_the_kink_exactly_when_its_order_is_above_one(
        inner, outer, exists):
    order = inner * outer
    h = Fraction(1, 2**24)  # the oracle: relu(h)^(n·p) / h, exact for h a power of 2 and n·p·24 whole
    assert (order * 24).denominator == 1
    quotient = Fraction(2) ** (-(order * 24)) / h
    assert (quotient < Fraction(1, 100)) is exists  # from the left relu is 0: the left quotient is 0

    @forall("soak2.ex3.a.order", "d/dx (relu(x)^n)^p = 0 at x = 0")
    def order_at_kink(x: Real):
        return diff((relu(x) ** inner) ** outer, x) == 0

    if exists:
        assert order_at_kink.replay({"x": 0}).holds is True
    else:
        result = evaluate(order_at_kink)
        assert result.verdict is Verdict.REFUTED and result.evidence["counterexample"] == {"x": 0}, result.reason


# A bound on a sum up to n that is true but not inductive (P(n) does not imply P(n + 1) for every n ≥ 0) was unknown;
# the sum is now put as its checked closed form (tests/test_soak_regressions3.py). Σ_{i=1..n} (1 - i) = n/2 - n²/2,
# and 1 - n + n²/2 minus it is n² - 3n/2 + 1 > 0 for every real n.

@forall("soak2.ex4.a.loose_bound", "Σ_{i=1..n} (1 - i) ≤ 1 - n + n²/2 for every n ≥ 0.")
def loose_bound(n: Nat):
    return summation(lambda i: 1 - i, 1, n) <= 1 - n + const(Fraction(1, 2)) * n ** 2


def test_a_true_bound_on_a_sum_that_is_not_inductive_is_proved():
    for n in range(60):  # the oracle: plain arithmetic
        assert sum(1 - i for i in range(1, n + 1)) <= 1 - n + Fraction(n * n, 2)
    assert evaluate(loose_bound).verdict is Verdict.PROVED
