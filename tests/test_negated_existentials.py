"""¬∃ inside a statement over scalars: an inner existential over ℝ whose body z3 reads only through the known ranges
(σ, tanh, exp, ...) is settled at each exact point by those ranges (unsat: no witness), so a true statement is proved
and its exact replay at the boundary probes agrees; a false one is never proved."""

from fractions import Fraction

from proofs import Positive, Real, Verdict, forall, sigmoid, some, tanh
from proofs.evaluate import evaluate


@forall("t.ex1.a.sigmoid_misses", "No y has σ(y) = x² + c for c ≥ 1.", perturb={"inside": {"c": Fraction(1, 2)}})
def sigmoid_misses(x: Real, c=1):
    return ~some(Real, lambda y: sigmoid(y) == x * x + c)


@forall("t.ex1.b.tanh_bounded", "No y has tanh(y) ≥ 1 + x for x > 0.", perturb={"below": {"c": -2}})
def tanh_bounded(x: Positive, c=1):
    return ~some(Real, lambda y: tanh(y) >= c + x)


@forall("t.ex1.c.no_root", "No real square root of -x² - 1.", perturb={"shifted": {"c": 1}})
def no_root(x: Real, c=-1):
    return ~some(Real, lambda y: y * y == c - x * x) if c < 0 else ~some(Real, lambda y: y * y == c + x * x)


def test_a_negated_existential_settled_by_the_known_ranges_is_proved_and_its_perturbations_are_not():
    for claim, mutant in ((sigmoid_misses, "inside"), (tanh_bounded, "below"), (no_root, "shifted")):
        result = evaluate(claim)
        assert result.verdict is Verdict.PROVED, (claim.id, result.reason)
        wrong = evaluate(claim, claim.perturbation(mutant))
        assert wrong.verdict is Verdict.REFUTED, (claim.id, wrong.reason)
        point = wrong.evidence["counterexample"]
        assert claim.replay(point, **claim.perturbation(mutant).params).holds is False
    # checked without the engine: σ(y) = x² + 1/2 has the solution y = 0 at x = 0; tanh(y) ≥ x - 2 a solution
    # wherever x - 2 < 1
    wrong = evaluate(sigmoid_misses, sigmoid_misses.perturbation("inside"))
    assert Fraction(wrong.evidence["counterexample"]["x"]) ** 2 + Fraction(1, 2) < 1
    wrong = evaluate(tanh_bounded, tanh_bounded.perturbation("below"))
    assert wrong.verdict is Verdict.REFUTED and Fraction(wrong.evidence["counterexample"]["x"]) - 2 < 1
    wrong = evaluate(no_root, no_root.perturbation("shifted"))
    assert wrong.verdict is Verdict.REFUTED  # y = sqrt(1 + x²) always exists
