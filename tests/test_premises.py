"""Conditional derivatives (proofs/premises.py): a derivative that holds where a condition does is proved when the
condition keeps every corner it passes through strictly on one side, and refuted where the condition lets a kink in."""

from fractions import Fraction

from proofs import Verdict, diff, forall, implies, ite, maximum, relu, sigmoid, sqrt
from proofs.domains import Real
from proofs.evaluate import evaluate
from proofs.premises import settled
from proofs.terms import text, var


@forall("t.ex3.a.hidden_slope", "∂y/∂w1 = w2·x where w1·x + b1 > 0, for y = w2·relu(w1·x + b1) + b2.",
        perturb={"kink_in": {"strict": False}, "no_x": {"k": 0}})
def hidden_slope(w1: Real, x: Real, b1: Real, w2: Real, b2: Real, strict=True, k=1):
    y = w2 * relu(w1 * x + b1) + b2
    condition = w1 * x + b1 > 0 if strict else w1 * x + b1 >= 0
    return implies(condition, diff(y, w1) == w2 * (x if k else 1))


def _plain_u(point):
    value = {k: Fraction(v) for k, v in point.items()}
    return value["w1"] * value["x"] + value["b1"]


def test_a_derivative_under_a_strict_condition_is_proved_with_the_branches_named():
    result = evaluate(hidden_slope)
    assert result.verdict is Verdict.PROVED, result.reason
    assert result.evidence["premise_settles"] == ["relu(w1·x + b1) is w1·x + b1 where w1·x + b1 > 0"]


def test_a_condition_that_lets_the_kink_in_is_refuted_on_the_kink_and_a_wrong_value_where_the_condition_holds():
    kink = evaluate(hidden_slope, hidden_slope.perturbation("kink_in"))
    assert kink.verdict is Verdict.REFUTED, kink.reason
    point = kink.evidence["counterexample"]
    assert _plain_u(point) == 0 and Fraction(point["x"]) != 0 and Fraction(point["w2"]) != 0  # no derivative there
    assert hidden_slope.replay(point, strict=False, k=1).holds is False
    wrong = evaluate(hidden_slope, hidden_slope.perturbation("no_x"))
    assert wrong.verdict is Verdict.REFUTED, wrong.reason
    point = wrong.evidence["counterexample"]
    assert _plain_u(point) > 0  # the condition holds where it fails
    values = {k: Fraction(v) for k, v in point.items()}
    assert values["w2"] * values["x"] != values["w2"]
    assert hidden_slope.replay(point, strict=True, k=0).holds is False


@forall("t.ex3.b.dead_side", "∂/∂w σ(relu(w·x)) is 0 where w·x < 0 and σ'(w·x)·x where w·x > 0.")
def dead_side(w: Real, x: Real):
    s = sigmoid(w * x)
    return implies(w * x < 0, diff(sigmoid(relu(w * x)), w) == 0) & \
        implies(w * x > 0, diff(sigmoid(relu(w * x)), w) == s * (1 - s) * x)


@forall("t.ex3.c.max_slope", "d/dx (max(x, 1)·x) = 2x for x > 1.", perturb={"kink_in": {"strict": False}})
def max_slope(x: Real, strict=True):
    return implies(x > 1 if strict else x >= 1, diff(maximum(x, 1) * x, x) == 2 * x)


def test_conditions_on_either_side_and_a_premise_on_the_variable_itself():
    both = evaluate(dead_side)
    assert both.verdict is Verdict.PROVED and len(both.evidence["premise_settles"]) == 2, both.reason
    assert evaluate(max_slope).verdict is Verdict.PROVED
    killed = evaluate(max_slope, max_slope.perturbation("kink_in"))
    assert killed.verdict is Verdict.REFUTED and killed.evidence["counterexample"] == {"x": 1}, killed.reason


def test_only_a_strict_sign_of_a_continuous_argument_settles_a_branch():
    x = var("x")

    def positive(premise, expression):
        return 1
    relation = implies(x > 0, diff(relu(sqrt(x)) + relu(x) + ite(x > 0, x, 0), x) == 1)
    fixed, notes = settled(relation, positive)
    # sqrt is defined on a closed set: relu(sqrt(x)) is kept; relu(x) and the ite take their branches
    assert text(fixed) == "x > 0 ⇒ ∂/∂x (relu(sqrt(x)) + x + x) = 1"
    assert len(notes) == 2
    assert settled(relation, lambda p, e: 0) is None
    assert settled(diff(relu(x), x) == 1, positive) is None
