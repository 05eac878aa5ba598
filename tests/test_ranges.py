"""Known ranges (proofs/ranges.py): σ ∈ (0, 1), tanh ∈ (-1, 1), exp > 0, softplus > max(·, 0) used in definedness and
in proofs; statements that need them are decided both ways, and every fact given to z3 is a theorem."""

from fractions import Fraction

import mpmath
import pytest
import z3

from proofs import Verdict, exists, forall, softplus
from proofs.domains import Real
from proofs.evaluate import evaluate
from proofs.ranges import FACTS, _facts
from proofs.terms import exp, log, relu, sigmoid, sqrt, tanh


@forall("t.ex1.a.log_one_minus_sigmoid", "log(1 - σ(z)) = -softplus(z).", perturb={"flipped": {"sign": -1}})
def log_one_minus_sigmoid(z: Real, sign=1):
    return log(1 - sigmoid(z)) == -softplus(sign * z)


@forall("t.ex1.b.log_sigmoid_negative", "log σ(z) < 0.", perturb={"below": {"c": Fraction(-1, 2)}})
def log_sigmoid_negative(z: Real, c=0):
    return log(sigmoid(z)) < c


@forall("t.ex1.c.sech", "sqrt(1 - tanh(z)²) > 0.", perturb={"half": {"c": Fraction(1, 2)}})
def sech(z: Real, c=0):
    return sqrt(1 - tanh(z) ** 2) > c


@forall("t.ex1.d.logit", "log σ(z) - log(1 - σ(z)) = z.", perturb={"double": {"k": 2}})
def logit(z: Real, k=1):
    return log(sigmoid(2 * z + 1)) - log(1 - sigmoid(2 * z + 1)) == k * (2 * z + 1)


@forall("t.ex1.e.cross_entropy_slope", "d/dz log(1 - σ(z)) = -σ(z).", perturb={"plus": {"k": 1}})
def cross_entropy_slope(z: Real, k=-1):
    from proofs import diff

    return diff(log(1 - sigmoid(z)), z) == k * sigmoid(z)


@forall("t.ex1.f.softplus_above_relu", "softplus(z) > relu(z), exp(z) > 0.", perturb={"close": {"c": Fraction(1, 2)}})
def softplus_above_relu(z: Real, c=0):
    return (softplus(z) > relu(z) + c) & (exp(z) > c)


@pytest.mark.parametrize("claim,mutant", [(log_one_minus_sigmoid, "flipped"), (log_sigmoid_negative, "below"),
                                          (sech, "half"), (logit, "double"), (cross_entropy_slope, "plus"),
                                          (softplus_above_relu, "close")])
def test_a_statement_defined_by_a_range_is_proved_and_its_perturbation_refuted_at_a_replayed_point(claim, mutant):
    result = evaluate(claim)
    assert result.verdict is Verdict.PROVED, result.reason
    wrong = evaluate(claim, claim.perturbation(mutant))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    point = wrong.evidence["counterexample"]
    assert claim.replay(point, **{**claim.params, **claim.perturbation(mutant).params}).holds is False
    z = mpmath.mpf(Fraction(point["z"]).numerator) / Fraction(point["z"]).denominator
    assert _plain(claim, z, {**claim.params, **claim.perturbation(mutant).params}) is False


def _plain(claim, z, values):
    """The perturbed statement at z in 50-digit floats, written out again without the engine."""
    mpmath.mp.dps = 50
    values = {k: mpmath.mpf(v.numerator) / v.denominator if isinstance(v, Fraction) else v for k, v in values.items()}
    sig = 1 / (1 + mpmath.e ** (-z))
    if claim is log_one_minus_sigmoid:
        return abs(mpmath.log(1 - sig) + mpmath.log(1 + mpmath.e ** (values["sign"] * z))) < 1e-40
    if claim is log_sigmoid_negative:
        return bool(mpmath.log(sig) < values["c"])
    if claim is sech:
        return bool(mpmath.sqrt(1 - mpmath.tanh(z) ** 2) > values["c"])
    if claim is logit:
        u = 2 * z + 1
        s = 1 / (1 + mpmath.e ** (-u))
        return abs(mpmath.log(s) - mpmath.log(1 - s) - values["k"] * u) < 1e-40
    if claim is cross_entropy_slope:
        return abs(-sig - values["k"] * sig) < 1e-40
    return bool(mpmath.log(1 + mpmath.e ** z) > max(z, 0) + values["c"] and mpmath.e ** z > values["c"])


def test_the_conditions_a_range_settles_are_named_in_the_evidence():
    result = evaluate(log_one_minus_sigmoid)
    assert any("1 - sigmoid(z) > 0: z3, with the known ranges of sigmoid" in c for c in result.evidence["conditions_proved"])
    assert set(evaluate(sech).evidence["known_ranges"]) == {"sqrt", "tanh"}


@exists("t.ex1.g.sigmoid_reaches_one", "σ(z) = 1 for some z (false).")
def sigmoid_reaches_one(z: Real, c=1):
    return sigmoid(z) >= c


def test_no_witness_exists_by_a_range_and_the_certificate_replays():
    result = evaluate(sigmoid_reaches_one)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert sigmoid_reaches_one.replay(result.evidence["counterexample"]).holds is False


@forall("t.ex1.h.not_by_ranges", "σ(z) ≤ 1/2 (false for z > 0).")
def not_by_ranges(z: Real):
    return (sigmoid(z) <= Fraction(1, 2)) & (tanh(z) < 1)


def test_a_model_of_the_ranges_is_never_taken_as_a_counterexample_and_a_false_statement_is_refuted_exactly():
    result = evaluate(not_by_ranges)
    assert result.verdict is Verdict.REFUTED and "z3" not in result.method, result
    assert Fraction(result.evidence["counterexample"]["z"]) > 0


POINTS = [Fraction(v) for v in (-7, -2, -1, Fraction(-1, 3), 0, Fraction(1, 5), 1, 2, 9)]
TRUE = {"exp": mpmath.exp, "log": mpmath.log, "sigmoid": lambda a: 1 / (1 + mpmath.exp(-a)), "tanh": mpmath.tanh,
        "softplus": lambda a: mpmath.log(1 + mpmath.exp(a)), "sqrt": mpmath.sqrt}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_fact_given_to_z3_holds_at_the_function_s_true_values(name):
    """At each argument, some value within 10^-60 of the true one (mpmath, 80 digits) satisfies the facts; and the
    facts rule out a value outside the function's range, so they say something."""
    mpmath.mp.dps = 80
    for q in POINTS:
        if name in ("log", "sqrt") and q < 0:
            continue
        if name == "log" and q == 0:
            continue
        true = TRUE[name](mpmath.mpf(q.numerator) / q.denominator)
        near = Fraction(int(mpmath.floor(true * 10 ** 70)), 10 ** 70)
        a, v = z3.Real("a"), z3.Real("v")
        solver = z3.Solver()
        solver.add(*_facts(name, a, v), a == z3.RealVal(q), v >= z3.RealVal(near - Fraction(1, 10 ** 60)),
                   v <= z3.RealVal(near + Fraction(1, 10 ** 60)))
        assert solver.check() == z3.sat, (name, q)
    a, v = z3.Real("a"), z3.Real("v")
    outside = {"exp": v == 0, "log": z3.And(a == 2, v < 0), "sigmoid": v == 1, "tanh": v == -1, "softplus": v == 0,
               "sqrt": z3.And(a == 4, v == -2)}[name]
    solver = z3.Solver()
    solver.add(*_facts(name, a, v), outside)
    assert solver.check() == z3.unsat
