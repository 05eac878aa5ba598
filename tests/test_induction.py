"""Induction over n ≥ k (proofs/induction.py): the base case in exact arithmetic, the step by z3 with each sum up to n
a constant; a statement that is not inductive as written stays unknown, never proved."""

from fractions import Fraction

from proofs import IntRange, Nat, Verdict, forall, summation
from proofs.evaluate import evaluate
from proofs.induction import step
from proofs.terms import text, var


@forall("t.ex2.a.below_square", "Σ_{i=1}^{n} i ≤ n² for every n ≥ 1.", perturb={"half": {"k": Fraction(1, 2)}})
def below_square(n: IntRange(1, None), k=1):
    return summation(lambda i: i, 1, n) <= k * n * n


@forall("t.ex2.b.telescoping_bound", "Σ_{i=1}^{n} 1/(i(i+1)) < 1 (true, but not inductive as written).")
def telescoping_bound(n: IntRange(1, None)):
    return summation(lambda i: 1 / (i * (i + 1)), 1, n) < 1


def test_an_inequality_over_every_length_is_proved_by_induction_and_its_perturbation_refuted():
    result = evaluate(below_square)
    assert result.verdict is Verdict.PROVED, result.reason
    assert result.evidence["induction"]["base"] == "holds at n = 1 (exact arithmetic)"
    assert result.evidence["induction"]["sums"] == ["Σ1 = Σ_{i = 1..n} (i)"]
    wrong = evaluate(below_square, below_square.perturbation("half"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"n": 1}
    assert not 1 <= Fraction(1, 2)  # Σ_{i=1}^{1} i = 1 > 1/2


def test_a_step_that_does_not_follow_is_not_a_proof():
    result = evaluate(telescoping_bound)
    assert result.verdict is Verdict.UNKNOWN, result.reason


def test_the_step_writes_the_sum_at_n_plus_one_as_the_sum_at_n_plus_its_last_term():
    n = var("n")
    relation = summation(lambda i: i * i, 1, n) >= n
    now, after, sums = step(relation, "n", 0)
    assert text(now) == "Σ1 ≥ n" and text(after) == "Σ1 + (n + 1)·(n + 1) ≥ n + 1"
    assert step(summation(lambda i: i * n, 1, n) >= 0, "n", 0) is None  # the summand reads n
    assert step(summation(lambda i: i, 3, n) >= 0, "n", 0) is None  # from 3: Σ up to 1 is not Σ up to 0 plus 1


@forall("t.ex2.c.squares", "Σ_{i=1}^{n} i² ≥ n for every natural n.")
def squares(n: Nat):
    return summation(lambda i: i * i, 1, n) >= n


def test_over_the_naturals_from_zero():
    assert evaluate(squares).verdict is Verdict.PROVED
