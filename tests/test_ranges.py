"""Known ranges (proofs/ranges.py): σ ∈ (0, 1), tanh ∈ (-1, 1), exp > 0, softplus > max(·, 0) used in definedness and
in proofs; statements that need them are decided both ways, and every fact given to z3 is a theorem."""

from fractions import Fraction

import mpmath
import pytest
import z3

from proofs import Verdict, exists, forall, softplus
from proofs.domains import Interval, Positive, Real
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


# --- fractional powers: a^(p/q) ≥ 0 where it has a value, > 0 where a > 0, and its q-th power is a^p ---------------

@forall("t.ex2.a.root_positive", "(2x + 1)^(±1/2) > 0 for x > 0.", perturb={"shifted": {"b": -1}})
def root_positive(x: Positive, b=1, k=Fraction(1, 2)):
    return ((2 * x + b) ** k > 0) & ((2 * x + b) ** -k > 0)


@forall("t.ex2.b.two_thirds_at_least_one", "(x + 1)^(2/3) ≥ 1 on [0, 1].", perturb={"above": {"c": Fraction(3, 2)}})
def two_thirds_at_least_one(x: Interval(0, 1), c=1):
    return (x + 1) ** Fraction(2, 3) >= c


@forall("t.ex2.c.square_of_root", "(3x + 2)^(1/2) · (3x + 2)^(1/2) = 3x + 2 on [0, ∞).",
        perturb={"negative_somewhere": {"b": -2}})
def square_of_root(x: Interval(0, None), b=2):
    return (3 * x + b) ** Fraction(1, 2) * (3 * x + b) ** Fraction(1, 2) == 3 * x + b


@pytest.mark.parametrize("claim,mutant", [(root_positive, "shifted"), (two_thirds_at_least_one, "above"),
                                          (square_of_root, "negative_somewhere")])
def test_a_fractional_power_of_a_base_positive_on_the_domain_is_proved_and_a_base_that_reaches_zero_refuted(claim, mutant):
    """True where the base is positive on the whole domain; refuted, at a point the exact replay confirms, where the
    base reaches 0 (to a negative power), is negative somewhere, or the power falls below the bound."""
    result = evaluate(claim)
    assert result.verdict is Verdict.PROVED, result.reason
    assert "pow" in result.evidence.get("known_ranges", {}) or any(
        "pow" in line for line in result.evidence.get("conditions_proved", [])), result.evidence
    wrong = evaluate(claim, claim.perturbation(mutant))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    params = {**claim.params, **claim.perturbation(mutant).params}
    point = wrong.evidence["counterexample"]
    assert claim.replay(point, **params).holds is False
    x = Fraction(point["x"])
    if claim is two_thirds_at_least_one:  # (x + 1)^(2/3) < 3/2 exactly where (x + 1)^2 < (3/2)^3
        assert (x + 1) ** 2 < Fraction(3, 2) ** 3
    else:  # the power has no value there: the base is 0 to a negative power, or negative
        assert (2 if claim is root_positive else 3) * x + params["b"] <= 0


@exists("t.ex2.d.root_reaches_two", "(x + 1)^(1/2) ≥ 2 for some x in [0, 5].", perturb={"too_far": {"c": 3}})
def root_reaches_two(x: Interval(0, 5), c=2):
    return (x + 1) ** Fraction(1, 2) >= c


def test_a_witness_of_a_fractional_power_is_a_point_the_exact_arithmetic_confirms():
    result = evaluate(root_reaches_two)
    assert result.verdict is Verdict.PROVED, result.reason
    x = Fraction(result.evidence["witness"]["x"])
    assert 0 <= x <= 5 and x + 1 >= 4
    assert root_reaches_two.replay(result.evidence["witness"]).holds is True
    assert evaluate(root_reaches_two, root_reaches_two.perturbation("too_far")).verdict is not Verdict.PROVED


@pytest.mark.parametrize("k", [Fraction(1, 2), Fraction(-1, 2), Fraction(2, 3), Fraction(-3, 2), Fraction(7, 3)])
def test_every_power_fact_holds_at_the_true_power_and_rules_out_a_wrong_value(k):
    from proofs.ranges import _power_facts

    mpmath.mp.dps = 80
    for q in POINTS:
        if q < 0 or (q == 0 and k < 0):
            continue
        true = mpmath.power(mpmath.mpf(q.numerator) / q.denominator, mpmath.mpf(k.numerator) / k.denominator)
        near = Fraction(int(mpmath.floor(true * 10 ** 70)), 10 ** 70)
        a, v = z3.Real("a"), z3.Real("v")
        solver = z3.Solver()
        solver.add(*_power_facts(a, k, v), a == z3.RealVal(q), v >= z3.RealVal(near - Fraction(1, 10 ** 60)),
                   v <= z3.RealVal(near + Fraction(1, 10 ** 60)))
        assert solver.check() == z3.sat, (k, q)
    a, v = z3.Real("a"), z3.Real("v")
    solver = z3.Solver()
    solver.add(*_power_facts(a, k, v), a == 2, v <= 0)
    assert solver.check() == z3.unsat
