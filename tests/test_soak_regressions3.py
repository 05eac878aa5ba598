"""Wrong or unsettled verdicts found by fresh-seed soaks of the statement, shaped and sized oracles and by a red team
of hand-written statements, each reduced to the least statement that shows it."""

from fractions import Fraction

import pytest

from proofs import Nat, Verdict, forall
from proofs.evaluate import evaluate
from proofs.terms import const, summation

# A bound on a sum up to n that holds but is not inductive (the statement at n does not imply it at n + 1 for every n)
# was unknown. Each sum Σ_{i=lo}^{n} f(i) with a polynomial summand is now put as its closed form S(n), counted only
# once exact arithmetic shows S(lo - 1) = 0 and S(m) - S(m - 1) = f(m), and z3 decides the bound for every real n ≥ k
# (so every whole one) or, failing that, for every whole n ≥ k.


def _plain_sum(f, lo, n):
    return sum((f(Fraction(i)) for i in range(lo, n + 1)), Fraction(0))


def _bound(c):
    @forall("soak3.ex1.a.loose", "Σ_{i=1..n} (1 - i) ≤ n²/2 - n + c for every n ≥ 0.",
            perturb={"tight": {"c": Fraction(1, 4)}})
    def loose(n: Nat, c=c):
        return summation(lambda i: 1 - i, 1, n) <= const(Fraction(1, 2)) * n ** 2 - n + c
    return loose


@pytest.mark.parametrize("c, over", [(Fraction(9, 16), "real"), (Fraction(1, 2), "whole")])
def test_a_true_bound_that_is_not_inductive_is_proved_through_the_closed_form_of_its_sum(c, over):
    def gap(n):  # the oracle: the bound minus the sum, in plain Fractions; n² - 3n/2 + c, least at the real n = 3/4
        return Fraction(n * n, 2) - n + c - _plain_sum(lambda i: 1 - i, 1, n)
    assert all(gap(n) >= 0 for n in range(200))
    assert (Fraction(9, 16) - Fraction(9, 8) + c >= 0) is (over == "real")  # the whole-number bound is false at 3/4
    claim = _bound(c)
    result = evaluate(claim)
    assert result.verdict is Verdict.PROVED, result.reason
    assert f"every {over} n ≥ 0" in result.evidence["closed_form"]["relation"]
    wrong = evaluate(claim, claim.perturbation("tight"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"n": 1}, wrong.reason
    assert gap(1) - c + Fraction(1, 4) < 0
    assert claim.replay({"n": 1}, c=Fraction(1, 4)).holds is False


@forall("soak3.ex1.b.late_start", "Σ_{i=2..n} i ≤ n(n + 1)/2 - 1 for every n ≥ 0 (false at n = 0: the sum is empty).")
def late_start(n: Nat):
    return summation(lambda i: i, 2, n) <= const(Fraction(1, 2)) * n * (n + 1) - 1


@forall("soak3.ex1.c.squares", "3 Σ_{i=1..n} i² ≤ n³ + 2n² - n + c for every n ≥ 0.", perturb={"half": {"c": Fraction(1, 2)}})
def squares(n: Nat, c=1):
    return 3 * summation(lambda i: i * i, 1, n) <= n ** 3 + 2 * n ** 2 - n + c


def test_a_bound_on_a_sum_of_squares_true_only_at_whole_numbers_is_proved_and_no_closed_form_is_read_below_its_sum():
    def gap(n, c):  # the oracle: (n - 1)(n - 2)/2 + c - 1, not negative at whole n for c = 1, negative at n = 3/2
        return n ** 3 + 2 * n ** 2 - n + c - 3 * _plain_sum(lambda i: i * i, 1, n)
    assert all(gap(n, 1) >= 0 for n in range(200)) and gap(1, Fraction(1, 2)) < 0
    result = evaluate(squares)
    assert result.verdict is Verdict.PROVED, result.reason
    assert "every whole n ≥ 0" in result.evidence["closed_form"]["relation"]
    wrong = evaluate(squares, squares.perturbation("half"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    assert squares.replay(wrong.evidence["counterexample"], c=Fraction(1, 2)).holds is False
    # Σ_{i=2..n} starts above n = 0 + 1: its closed form is not the sum at n = 0 (empty, 0), and is not used
    assert _plain_sum(lambda i: i, 2, 0) == 0 > Fraction(0) - 1
    early = evaluate(late_start)
    assert early.verdict is Verdict.REFUTED and early.evidence["counterexample"] == {"n": 0}, early.reason


# A statement in one real variable proved piece by piece skipped a piece between two kinks closer than about 10^-10:
# no rational was found between them by rounding, and the piece was passed over instead of failing closed (points
# closer than 30 digits were also ordered by their floats). exp(2x)·(relu(x - 1) - relu(x - 1 - ε)) =
# exp(x)²·[x > 1]·ε was proved; it is false on (1, 1 + ε). The points are ordered exactly now, a rational between two
# rationals is their midpoint, and a piece on which no point is found leaves the statement unproved.

from proofs import Real, exp, ite, minimum, relu  # noqa: E402


def _thin(eps, right):
    @forall("soak3.ex2.a.thin", "relu(x - 1) - relu(x - 1 - ε) is ε past 1 + ε and x - 1 between.")
    def thin(x: Real):
        step = minimum(relu(x - 1), eps) if right else ite(x > 1, eps, 0)
        return exp(2 * x) * (relu(x - 1 - eps) * -1 + relu(x - 1)) == exp(x) * exp(x) * step
    return thin


def _plain_gap(x, eps):  # the oracle: relu(x - 1) - relu(x - 1 - ε) minus ε·[x > 1], in Fractions (exp(2x) > 0)
    return max(x - 1, 0) - max(x - 1 - eps, 0) - (eps if x > 1 else 0)


@pytest.mark.parametrize("digits", [12, 40])
def test_a_piece_between_two_close_kinks_is_never_skipped(digits):
    eps = Fraction(1, 10 ** digits)
    assert _plain_gap(1 + eps / 2, eps) == -eps / 2 and _plain_gap(1 + 2 * eps, eps) == 0 == _plain_gap(1, eps)
    wrong = evaluate(_thin(eps, right=False))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    x = Fraction(wrong.evidence["counterexample"]["x"])
    assert 1 < x < 1 + eps and _plain_gap(x, eps) != 0
    assert _thin(eps, right=False).replay({"x": x}).holds is False
    proof = evaluate(_thin(eps, right=True))
    assert proof.verdict is Verdict.PROVED, proof.reason
    assert any(piece.startswith(f"(1, {1 + eps})") for piece in proof.evidence["pieces"])



# A power whose exponent is a fraction within float rounding of a whole number (1 + 10^-30) was taken as a whole
# power, continuous on an open set, when a premise settles a switch (a fractional power has a value only from 0 up).

def test_a_power_whose_exponent_rounds_to_a_whole_number_is_not_taken_as_continuous():
    from proofs import premises
    from proofs.terms import var

    x = var("x")
    assert premises._continuous(x ** 3) and premises._continuous(x ** Fraction(4, 2))
    assert not premises._continuous(x ** Fraction(10 ** 30 + 1, 10 ** 30))
    assert not premises._continuous(x ** Fraction(1, 2))


# A sum over a range that may be empty (an integer bound of any sign) equal to a closed form written with relu, max or
# |·| was unknown: each case of the sum (range empty or not) was compared with the relu as a whole, and a case
# region that is a conjunction (n ≥ 0 ∧ n ≤ 0) could not be read. relu, max, min and |·| are now written as cases too,
# and a conjunction of conditions in one variable is read as its set.

from proofs import Int, IntRange, maximum  # noqa: E402


@forall("soak3.ex3.a.count", "Σ_{i=1..n} 1 = relu(n) for every integer n.", perturb={"shifted": {"low": -1}})
def count(n: Int, low=0):
    return summation(lambda i: 1, 1, n) == maximum(n, low)


@forall("soak3.ex3.b.pairs", "2 Σ_{i=1..n} i = relu(n)(relu(n) + 1) for every integer n.", perturb={"abs": {"k": -1}})
def pairs(n: Int, k=1):
    return 2 * summation(lambda i: i, 1, n) == relu(n) * (k * relu(n) + 1)


@forall("soak3.ex3.c.from_below", "Σ_{i=n..3} 1 = relu(4 - n) for every integer n ≥ -5.", perturb={"abs": {"absolute": True}})
def from_below(n: IntRange(-5, None), absolute=False):
    return summation(lambda i: 1, n, 3) == (abs(4 - n) if absolute else relu(4 - n))


@pytest.mark.parametrize("claim, plain, wrong_at", [
    (count, lambda n: (n, max(n, 0)), -1),
    (pairs, lambda n: (2 * sum(range(1, n + 1)), max(n, 0) * (max(n, 0) + 1)), 1),
    (from_below, lambda n: (len(range(n, 4)), max(4 - n, 0)), 5),
])
def test_a_sum_over_a_range_that_may_be_empty_equals_its_closed_form_written_with_relu(claim, plain, wrong_at):
    for n in range(-5, 40):  # the oracle: Python's own sums and ranges (an empty range sums to 0)
        total, closed = plain(n)
        assert (len(range(1, n + 1)) if claim is count else total) == closed
    result = evaluate(claim)
    assert result.verdict is Verdict.PROVED, result.reason
    perturbation, = claim.perturbations
    wrong = evaluate(claim, perturbation)
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    assert claim.replay(wrong.evidence["counterexample"], **perturbation.params).holds is False
    assert claim.replay({"n": wrong_at}, **perturbation.params).holds is False
