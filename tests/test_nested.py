"""Quantifiers inside a statement (some, every): decided by enumeration over finite domains, by z3 over infinite
ones, with every counterexample and witness replayed at its point."""

from fractions import Fraction

import pytest

from proofs import Verdict, every, exists, forall, some, unique
from proofs.domains import IntRange, Nat, Positive, Real
from proofs.evaluate import evaluate


@forall("t.ex1.a.complement", "every n in {0..5} has m in {0..5} with n + m = 5.", perturb={"from_one": {"low": 1}})
def complement(n: IntRange(0, 5), low=0):
    return some(IntRange(low, 5), lambda m: n + m == 5)


def test_a_finite_nesting_is_exhausted_over_the_named_domain_and_its_perturbation_refuted():
    result = evaluate(complement)
    assert result.verdict is Verdict.EXHAUSTED and "{0, …, 5}" in result.reason, result.reason
    assert complement.formal == "for all n ∈ {0, …, 5}: ∃ m ∈ {0, …, 5}: n + m = 5, where low = 0"
    wrong = evaluate(complement, complement.perturbation("from_one"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"n": 5}
    assert complement.replay({"n": 5}, low=1).holds is False
    assert not any(n + m == 5 for n in (5,) for m in range(1, 6))  # the plain check of the counterexample


@forall("t.ex1.b.root", "every x > 0 has a root y > 0 with y·y = x.", perturb={"reals": {"c": -1}})
def root(x: Positive, c=0):
    return some(Positive, lambda y: y * y == x + c)


def test_exists_inside_forall_is_proved_by_z3_and_a_false_one_refuted_at_a_point_with_no_witness():
    result = evaluate(root)
    assert result.verdict is Verdict.PROVED, result.reason
    wrong = evaluate(root, root.perturbation("reals"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    x = Fraction(wrong.evidence["counterexample"]["x"])
    assert 0 < x <= 1  # x - 1 <= 0: no positive y has y² = x - 1
    assert root.replay(wrong.evidence["counterexample"], c=-1).holds is False


@exists("t.ex1.c.floor", "some x is at most every square.", perturb={"every_real": {"k": 0}})
def floor(x: Real, k=1):
    return every(Real, lambda y: x <= y * y * k + (1 - k) * y)


def test_forall_inside_exists_is_shown_with_a_witness_and_a_false_one_has_none():
    result = evaluate(floor)
    assert result.verdict is Verdict.PROVED and Fraction(result.evidence["witness"]["x"]) <= 0, result.reason
    assert floor.replay(result.evidence["witness"]).holds is True
    wrong = evaluate(floor, floor.perturbation("every_real"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason


@forall("t.ex1.d.inner_real", "every n in {0..3} has a real y with y·y = n.", perturb={"minus": {"s": -1}})
def inner_real(n: IntRange(0, 3), s=1):
    return some(Real, lambda y: y * y == s * n)


def test_a_finite_outer_domain_with_an_infinite_inner_one_replays_z3_s_witness_at_every_point():
    assert evaluate(inner_real).verdict is Verdict.EXHAUSTED
    wrong = evaluate(inner_real, inner_real.perturbation("minus"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"n": 1}


def test_a_quantifier_takes_a_number_domain_and_a_relation():
    with pytest.raises(TypeError):
        some(3, lambda y: y == 0)
    with pytest.raises(TypeError):
        some(Nat, lambda y: y + 1)


@forall("t.ex4.a.alpha", "α = 4 is the unique solution of α² - 8α + 16 = 0.", perturb={"five": {"alpha": 5}})
def alpha_unique(alpha=4):
    return unique(Real, lambda a: a * a - 8 * a + 16 == 0, alpha)


@forall("t.ex4.b.square", "α = 4 is the unique solution of α² = 16 (false over ℝ: -4 too).")
def square_unique(alpha=4):
    return unique(Real, lambda a: a * a == 16, alpha)


@forall("t.ex4.c.positive_square", "α = 4 is the unique positive solution of α² = 16.", perturb={"minus": {"alpha": -4}})
def positive_square(alpha=4):
    return unique(Positive, lambda a: a * a == 16, alpha)


def test_a_stated_value_is_decided_as_the_unique_solution_existence_and_uniqueness_both():
    result = evaluate(alpha_unique)
    assert result.verdict is Verdict.PROVED, result.reason
    assert result.evidence["inner"] == ["∀ a ∈ ℝ: z3 shows there is no counterexample (unsat)"]
    assert evaluate(alpha_unique, alpha_unique.perturbation("five")).verdict is Verdict.REFUTED  # 5 is no solution
    second = evaluate(square_unique)
    assert second.verdict is Verdict.REFUTED, second.reason
    assert second.evidence["inner"] == ["∀ a ∈ ℝ: counterexample a = -4, found by z3 and replayed exactly"]
    assert (-4) ** 2 == 16 and -4 != 4
    assert evaluate(positive_square).verdict is Verdict.PROVED
    assert evaluate(positive_square, positive_square.perturbation("minus")).verdict is Verdict.REFUTED  # -4 is not > 0
