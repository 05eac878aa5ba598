"""Regressions for verdicts that were wrong: sums under a backend's convention, derivatives at kinks, algebraic
counterexamples, and the boundary probes every proof must survive."""

from fractions import Fraction

from proofs import Verdict
from proofs.domains import Int, Nat, Real
from proofs.evaluate import evaluate
from proofs.statement import forall
from proofs.terms import summation


def _refuted_at(claim, **point):
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED, (claim.id, result.verdict, result.reason)
    assert result.evidence["counterexample"] == point, result.evidence["counterexample"]
    assert claim.replay(point).holds is False
    return result


def test_an_empty_sum_is_zero_even_where_its_upper_bound_is_below_lower_minus_one():
    """sympy's Sum follows Karr's convention (Σ_a^b = -Σ_{b+1}^{a-1} for b < a - 1); the tool's sum is 0 there."""
    @forall("t.ex1.a.shifted_count", "Σ_{t=1}^{T-1} 1 = T - 1 for every natural T (false at T = 0).")
    def shifted_count(T: Nat):
        return summation(lambda t: 1, 1, T - 1) == T - 1

    @forall("t.ex1.b.from_two", "Σ_{i=2}^{n} i = n(n+1)/2 - 1 for every natural n (false at n = 0).")
    def from_two(n: Nat):
        return summation(lambda i: i, 2, n) == n * (n + 1) / 2 - 1

    @forall("t.ex1.c.over_int", "Σ_{i=1}^{n} i = n(n+1)/2 for every integer n (false at n = -2).")
    def over_int(n: Int):
        return summation(lambda i: i, 1, n) == n * (n + 1) / 2

    @forall("t.ex1.d.split", "Σ_1^n = Σ_1^m + Σ_{m+1}^n for all natural m, n (false where m > n).")
    def split(n: Nat, m: Nat):
        return summation(lambda i: i * i, 1, n) == summation(lambda i: i * i, 1, m) + summation(lambda i: i * i, m + 1, n)

    _refuted_at(shifted_count, T=0)
    _refuted_at(from_two, n=0)
    _refuted_at(over_int, n=-2)
    result = evaluate(split)
    assert result.verdict is Verdict.REFUTED
    point = result.evidence["counterexample"]
    assert point["m"] > point["n"] and split.replay(point).holds is False


def test_sums_that_hold_under_the_tool_s_semantics_are_still_proved():
    @forall("t.ex1.a.gauss", "Σ_{i=1}^{n} i = n(n+1)/2 for every natural n.")
    def gauss(n: Nat):
        return summation(lambda i: i, 1, n) == n * (n + 1) / 2

    @forall("t.ex1.b.shifted_from_one", "Σ_{t=1}^{T-1} 1 = T - 1 for every natural T ≥ 1: T + 1 written for T.")
    def shifted_from_one(T: Nat):
        return summation(lambda t: 1, 1, T) == T

    @forall("t.ex1.c.nested", "Σ_{i=1}^{n} Σ_{j=1}^{i} 1 = n(n+1)/2.")
    def nested(n: Nat):
        return summation(lambda i: summation(lambda j: 1, 1, i), 1, n) == n * (n + 1) / 2

    for claim in (gauss, shifted_from_one, nested):
        result = evaluate(claim)
        assert result.verdict is Verdict.PROVED, (claim.id, result.reason)
