"""Claims as an outside course author writes them for typical exercises, each with its truth computed by hand: a
false one is refuted with a counterexample that replays by an independent computation, a true one is never refuted."""

from fractions import Fraction

import pytest
import sympy

from proofs import Interval, Positive, Real, Verdict, diff, forall, log, relu, sigmoid, softplus, tanh
from proofs.evaluate import evaluate

PASSES = (Verdict.PROVED, Verdict.EXHAUSTED)


# Second derivatives (convexity, curvature of a loss, Hessian entries): an identity is proved, a wrong one refuted at
# a point where the second derivative, computed again by sympy from the formula, breaks the relation.
def _second(expression, variable, other, relation, rhs):
    """The claim ∀ x, y ∈ ℝ: d/d(other) d/d(variable) expression(x, y) RELATION rhs(x, y)."""
    def body(x: Real, y: Real):
        lhs = diff(diff(expression(x, y), variable(x, y)), other(x, y))
        return {"==": lhs == rhs(x, y), ">=": lhs >= rhs(x, y), "<": lhs < rhs(x, y)}[relation]
    return forall("rt.ex1.a.second", "a second derivative")(body)


SECOND = [
    # (f(x, y), first variable, second variable, relation, right side, truth)
    (lambda x, y: (x * y - 1) ** 2, "x", "x", "==", lambda x, y: 2 * y * y, True),
    (lambda x, y: (x * y - 1) ** 2, "x", "x", "==", lambda x, y: 2 * y, False),
    (lambda x, y: (x * y - 1) ** 2, "x", "y", "==", lambda x, y: 4 * x * y - 2, True),
    (lambda x, y: (x * y - 1) ** 2, "x", "y", "==", lambda x, y: 2 * x * y, False),
    (lambda x, y: x ** 4 - 2 * x ** 2 + y, "x", "x", ">=", lambda x, y: 0, False),
    (lambda x, y: tanh(x) + y, "x", "x", "==", lambda x, y: -2 * tanh(x) * (1 - tanh(x) ** 2), True),
    (lambda x, y: tanh(x) + y, "x", "x", "==", lambda x, y: 2 * tanh(x) * (1 - tanh(x) ** 2), False),
    (lambda x, y: -log(sigmoid(x)) + y, "x", "x", "==", lambda x, y: sigmoid(x) * (1 - sigmoid(x)), True),
    (lambda x, y: -log(sigmoid(x)) + y, "x", "x", "==", lambda x, y: -sigmoid(x) * (1 - sigmoid(x)), False),
    (lambda x, y: softplus(x * y), "x", "x", "==", lambda x, y: y * y * sigmoid(x * y) * (1 - sigmoid(x * y)), True),
    (lambda x, y: softplus(x * y), "x", "x", "==", lambda x, y: y * sigmoid(x * y) * (1 - sigmoid(x * y)), False),
    (lambda x, y: sigmoid(x) + y, "x", "x", ">=", lambda x, y: 0, False),
]

_SYMPY = {"tanh": sympy.tanh, "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)), "log": sympy.log,
          "softplus": lambda a: sympy.log(1 + sympy.exp(a))}


def _by_sympy(f, x, y):
    """f written again with sympy's functions (the claim's own functions are swapped out by name)."""
    module = globals()
    saved = {name: module[name] for name in _SYMPY}
    try:
        module.update(_SYMPY)
        return f(x, y)
    finally:
        module.update(saved)


@pytest.mark.parametrize("f, first, second, relation, rhs, truth", SECOND)
def test_a_second_derivative_is_decided_and_a_wrong_one_replays_independently(f, first, second, relation, rhs, truth):
    pick = {"x": lambda x, y: x, "y": lambda x, y: y}
    claim = _second(f, pick[first], pick[second], relation, rhs)
    result = evaluate(claim)
    if truth:
        assert result.verdict is not Verdict.REFUTED, result.reason
        if relation == "==":
            assert result.verdict in PASSES, result.reason
        return
    assert result.verdict is Verdict.REFUTED, result.reason
    point = result.evidence["counterexample"]
    x, y = sympy.symbols("x y", real=True)
    lhs = sympy.diff(_by_sympy(f, x, y), sympy.Symbol(first, real=True), sympy.Symbol(second, real=True))
    at = {x: sympy.Rational(str(point["x"])), y: sympy.Rational(str(point["y"]))}
    left, right = sympy.N(lhs.subs(at), 50), sympy.N(sympy.sympify(_by_sympy(rhs, x, y)).subs(at), 50)
    assert not {"==": abs(left - right) < 1e-40, ">=": left >= right, "<": left < right}[relation], (point, left, right)


# A second derivative through a corner or a square root at 0 has no value there: never passed.
def _relu_second(z: Real):
    return diff(diff(relu(z), z), z) == 0


def _abs_cubed(x: Real):
    return diff(diff(abs(x) ** 3, x), x) == 6 * x


@pytest.mark.parametrize("body", [_relu_second, _abs_cubed])
def test_second_derivatives_through_corners_are_not_passed(body):
    assert evaluate(forall("rt.ex1.c.corner", "corner")(body)).verdict not in PASSES


def test_log_is_concave_and_a_convexity_slip_is_refuted():
    @forall("rt.ex1.d.log_convex", "log is convex (false)")
    def log_convex(x: Positive):
        return diff(diff(log(x), x), x) >= 0

    wrong = evaluate(log_convex)
    assert wrong.verdict is Verdict.REFUTED
    x = Fraction(str(wrong.evidence["counterexample"]["x"]))
    assert x > 0 and -1 / x**2 < 0  # (log x)'' = -1/x^2


def test_second_derivative_on_a_closed_interval_with_a_root_at_the_end_is_not_passed():
    from proofs import sqrt

    @forall("rt.ex1.e.sqrt", "sqrt''(x) x sqrt(x) = -1/4 on [0, oo) (no value at 0)")
    def root(x: Interval(0, None)):
        return diff(diff(sqrt(x), x), x) * x * sqrt(x) == -Fraction(1, 4)

    assert evaluate(root).verdict not in PASSES


# A proof counts once the exact replay agrees at the boundary probes: where the replay cannot decide the statement at
# a single probe (a second derivative through a square root has no exact replay), the proof is not confirmed.
def test_a_proof_that_no_boundary_probe_can_replay_is_not_a_proof():
    from proofs import sqrt

    @forall("rt.ex1.f.sqrt_curvature", "(sqrt x)'' = -1/(4 x sqrt x) for x > 0")
    def curvature(x: Positive):
        return diff(diff(sqrt(x), x), x) == -1 / (4 * x * sqrt(x))

    result = evaluate(curvature)
    assert result.verdict is Verdict.UNKNOWN
    assert "could not decide the statement at any of the" in result.reason
