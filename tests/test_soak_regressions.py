"""Wrong or unsettled verdicts found by fresh-seed soaks of the oracles (benchmarks/soundness*.py), each reduced to the
least statement that shows it."""

from proofs import Real, Verdict, forall, limit, oo
from proofs.evaluate import evaluate
from proofs.terms import term


@forall("soak.ex1.a.zero_power", "0^w tends to 0 as w grows.", perturb={"off": {"k": 1}})
def zero_power(x: Real, k=0):
    return limit(lambda w: term(0) ** w, oo) == k


@forall("soak.ex1.b.zero_power_below", "0^w as w falls has no value (0 to a negative power).")
def zero_power_below(x: Real):
    return limit(lambda w: term(0) ** w, -oo) == 0


def test_a_power_limit_sympy_leaves_unevaluated_is_taken_as_e_to_0_and_proved():
    # sympy's own limit of 0**w at oo is exp(Limit(zoo*w, ...)): unknown; as e → 0+ in w = 1/e it is 0
    assert evaluate(zero_power).verdict is Verdict.PROVED
    assert evaluate(zero_power_below).verdict is Verdict.REFUTED  # w = -1/e: 0 to a negative power has no value


def test_a_wrong_power_limit_is_refuted_and_its_counterexample_replays():
    wrong = evaluate(zero_power, zero_power.perturbation("off"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    assert zero_power.replay(wrong.evidence["counterexample"], k=1).holds is False

