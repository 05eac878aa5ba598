"""Forward-mode partial derivatives at a point (proofs.scan.derivatives) against sympy's symbolic derivative, and the
matrix scan's reports with and without them: the same, step for step."""

import dataclasses
import sys
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.scan import derivatives, instances
from proofs.scan.derivatives import partial_at, partials_at, solve_index

MATERIAL = Path(__file__).parent / "scan_material"
x, y = sympy.Dummy("x", real=True), sympy.Dummy("y", real=True)
phi = sympy.Function("phi")
_NUMBERS = st.fractions(min_value=-3, max_value=3, max_denominator=3).map(lambda f: sympy.Rational(f.numerator, f.denominator))


def _expressions():
    leaves = st.one_of(st.just(x), st.just(y), _NUMBERS)

    def grow(inner):
        return st.one_of(
            st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
            st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
            st.tuples(inner, st.integers(-2, 3)).map(lambda p: p[0] ** p[1]),
            inner.map(sympy.exp),
            inner.map(lambda e: sympy.log(e**2 + 1)),
        )
    return st.recursive(leaves, grow, max_leaves=6)


def _symbolic(e, symbol, point):
    others = {s: v for s, v in point.items() if s != symbol}
    return sympy.diff(e.xreplace(others), symbol).subs(symbol, point[symbol])


@settings(max_examples=60, deadline=None, database=None)
@given(_expressions(), _NUMBERS, _NUMBERS)
def test_the_forward_derivatives_are_sympy_s_derivatives_at_the_point(e, a, b):
    point = {x: a, y: b}
    quick = partials_at(e, point)
    for symbol in point:
        exact = _symbolic(e, symbol, point)
        if symbol not in quick:  # only where sympy's value is no finite number either
            assert exact.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not exact.is_finite
            continue
        assert quick[symbol].is_number
        if quick[symbol].is_Rational or exact.is_Rational:
            assert quick[symbol] == exact
        else:
            assert abs(sympy.N(quick[symbol] - exact, 50)) < sympy.Float(10) ** -40


@settings(max_examples=60, deadline=None, database=None)
@given(_expressions().map(lambda e: e + sympy.tanh(e) * y))
def test_the_built_derivative_is_sympy_s_expression(e):
    assert derivatives.diff(e, x) == sympy.diff(e, x)
    assert derivatives.diff(e, y) == sympy.diff(e, y)


def _second(e, point, i, j):
    return sympy.diff(e, i, j).xreplace(point)


@settings(max_examples=60, deadline=None, database=None)
@given(_expressions(), _NUMBERS, _NUMBERS)
def test_the_forward_hessian_is_sympy_s_second_derivatives_at_the_point(e, a, b):
    point = {x: a, y: b}
    quick = derivatives.hessian_at(e, [x, y], point)
    for (i, si), (j, sj) in [((i, si), (j, sj)) for i, si in enumerate(point) for j, sj in enumerate(point)]:
        exact = _second(e, point, si, sj)
        if exact.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            continue
        if quick[i, j].is_Rational or exact.is_Rational:
            assert quick[i, j] == exact
        else:  # relative to the size of the value (exp(exp(6)) has 176 digits)
            assert abs(sympy.N((quick[i, j] - exact) / (1 + abs(exact)), 50)) < sympy.Float(10) ** -40


def test_a_wrong_hessian_is_told_apart_and_what_forward_mode_leaves_is_sympy_s():
    one, two = sympy.Integer(1), sympy.Integer(2)
    assert derivatives.hessian_at(x**3 * y + sympy.exp(x * y), [x, y], {x: one, y: two}) == sympy.Matrix(
        [[12 + 4 * sympy.exp(2), 3 + 3 * sympy.exp(2)], [3 + 3 * sympy.exp(2), sympy.exp(2)]])
    assert derivatives.hessian_at(x**3, [x], {x: two}) != sympy.Matrix([[6]])  # 12, not 6: the comparison can fail
    # |x| is not taken by forward mode: sympy's second derivative at the point
    assert derivatives.hessian_at(sympy.Abs(x) * y, [x, y], {x: one, y: two}) == sympy.Matrix(
        [[_second(sympy.Abs(x) * y, {x: one, y: two}, s, t) for t in (x, y)] for s in (x, y)])


def test_a_wrong_derivative_is_told_apart():
    # (the oracle above can fail: x^2 at 3 is 6, not 9)
    assert partial_at(x**2, x, sympy.Integer(3)) == 6
    assert partial_at(sympy.exp(2 * x), x, sympy.Integer(0)) == 2
    assert partial_at(sympy.log(x), x, sympy.Rational(1, 2)) == 2
    assert partials_at(x * y + y**2, {x: sympy.Integer(5), y: sympy.Integer(2)}) == {x: 2, y: 9}
    assert partials_at(sympy.tanh(x), {x: sympy.Integer(0)}) == {x: 1}


def test_what_it_does_not_take_is_left_to_the_symbolic_route():
    assert partial_at(phi(2 * x), x, sympy.Integer(1)) is None  # an arbitrary function: its derivative values are drawn
    assert partial_at(x**x, x, sympy.Integer(1)) is None  # an exponent that varies
    assert partial_at(1 / x, x, sympy.Integer(0)) is None  # no finite value there
    assert partial_at(sympy.Abs(x), x, sympy.Integer(1)) is None
    assert partial_at(x * sympy.Float(0.5), x, sympy.Integer(1)) is None  # a float: sympy's route makes it exact
    assert partial_at(sympy.Integer(3), x, sympy.Integer(1)) == 0
    assert partials_at(x * phi(y), {x: sympy.Integer(1), y: sympy.Integer(2)}) == {}  # (every symbol, not only y)


def test_an_index_equation_is_solved_once_and_alike():
    t = sympy.Symbol("t", integer=True)
    assert solve_index(t + 1, 3, t) == (2,)
    assert solve_index(t + 1, 3, t) is solve_index(t + 1, 3, t)
    assert solve_index(2 * t, 3, t) == ()  # (t is an integer)


def _reports(documents, forward: bool, monkeypatch) -> list:
    from proofs.scan.steps import scan_document

    monkeypatch.setattr(instances, "FORWARD_MODE", forward)
    return [[dataclasses.asdict(s) for s in scan_document(d, timeout=1e6, second_reader=False)] for d in documents]


SOFTMAX = r"""# Softmax regression

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{K \times n}$ and a label $y \in \mathbb{R}^{K}$ with $\sum_i y_i = 1$.

$$z = W x$$

$$\hat{y} = \mathrm{softmax}(z)$$

$$L = -\sum_i y_i \log \hat{y}_i$$

$$\frac{\partial L}{\partial x} = W^T (\hat{y} - y)$$

$$\frac{\partial L}{\partial x} = W^T \hat{y}$$

Let $X \in \mathbb{R}^{m \times n}$, $w \in \mathbb{R}^{n}$ and $u \in \mathbb{R}^{m}$, and $E = \|X w - u\|^2$.

$$\nabla_w E = 2 X^T (X w - u)$$

$$\nabla_w E = X^T (X w - u)$$
"""


@pytest.mark.slow
def test_the_reports_are_the_same_with_forward_derivatives_and_a_wrong_one_shows(monkeypatch):
    from proofs.material import parse

    documents = [parse("a.md", SOFTMAX, "markdown")]
    symbolic = _reports(documents, False, monkeypatch)
    assert _reports(documents, True, monkeypatch) == symbolic
    decided = [s for s in symbolic[0] if s["text"].startswith(("\\frac", "\\nabla"))]
    assert [s["status"] for s in decided] == ["checked", "refuted", "checked", "refuted"]
    assert all("fails at" in s["reason"] for s in decided if s["status"] == "refuted")
    # a derivative off by one is seen: the comparison can fail
    right = derivatives.partials_at
    monkeypatch.setattr(derivatives, "partials_at", lambda e, point: {s: d + 1 for s, d in right(e, point).items()})
    assert _reports(documents, True, monkeypatch) != symbolic


MLP = r"""# A layer

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $x \in \mathbb{R}^{n}$, $W_1 \in \mathbb{R}^{m \times n}$, $W_2 \in \mathbb{R}^{k \times m}$ and $y \in \mathbb{R}^{k}$.

$$z = W_1 x$$

$$h = \phi(z)$$

$$\hat{y} = W_2 h$$

$$L = \frac{1}{2} \|\hat{y} - y\|^2$$

$$\frac{\partial L}{\partial W_2} = (\hat{y} - y) \phi'(z)^T$$
"""


def test_a_step_that_draws_values_of_an_arbitrary_function_is_decided_alike(monkeypatch):
    """The derivative values of phi the right side reads are drawn after the left side's gradient: a gradient that drew
    more or fewer values, or drew them in another order, would change the counterexample."""
    from proofs.material import parse

    documents = [parse("a.md", MLP, "markdown")]
    symbolic = _reports(documents, False, monkeypatch)
    assert symbolic[0][-1]["status"] == "refuted" and "phi'(0)" in symbolic[0][-1]["counterexample"]["values"]
    assert _reports(documents, True, monkeypatch) == symbolic


@pytest.mark.slow
def test_every_scan_material_report_is_the_same_with_forward_derivatives(monkeypatch, soak):
    """All of tests/scan_material scanned twice (a soak: `pytest --soak`); every run compares the matrix oracle's fixed
    sample below, and the property above compares each partial derivative with sympy's."""
    if not soak:
        pytest.skip("the whole material is compared under --soak; the oracle's fixed sample is compared in every run")
    from proofs.material import discover, read

    documents = [read(folder, name) for folder in sorted(MATERIAL.iterdir()) for name in discover(folder)]
    assert len(documents) >= 15
    # each document is scanned again symbolically where it takes a gradient (elsewhere the two cannot differ)
    taken: set = set()
    gradient = instances.Evaluator.gradient

    def spy(self, *args):
        taken.add(current[0])
        return gradient(self, *args)
    monkeypatch.setattr(instances.Evaluator, "gradient", spy)
    current = [None]
    forward = []
    for i, d in enumerate(documents):
        current[0] = i
        forward.extend(_reports([d], True, monkeypatch))
    chosen = sorted(taken)
    assert len(chosen) >= 6
    assert [forward[i] for i in chosen] == _reports([documents[i] for i in chosen], False, monkeypatch)


# Documents of the matrix oracle's fixed sample compared in every run: each model of network whose gradient the
# generator writes (`pytest --soak`: the whole sample, range(12)).
_EVERY_RUN = (0, 1, 3, 4)
_MODELS = {"least_squares", "linear", "mlp", "softmax"}


@pytest.mark.slow
def test_the_matrix_oracle_s_fixed_sample_is_decided_the_same_with_forward_derivatives(monkeypatch, soak):
    from proofs.material import parse

    sys.path.insert(0, str(Path(__file__).parent))
    from matrix_oracle import RandomSource, generate

    generated = [generate(RandomSource(seed), parts=4) for seed in (range(12) if soak else _EVERY_RUN)]
    assert _MODELS <= {e.family.split("/")[0] for m in generated for e in m.steps}
    documents = [parse("generated.md", m.text, "markdown") for m in generated]
    assert _reports(documents, True, monkeypatch) == _reports(documents, False, monkeypatch)


def _instance(seed: str = "s", scale=1):
    import random
    from fractions import Fraction

    return instances.Instance({}, {}, "column", random.Random(seed), scale=Fraction(scale), seed=seed)


def test_an_arbitrary_function_s_drawn_value_does_not_depend_on_the_order_it_is_met_in():
    points = [sympy.Integer(1), sympy.Rational(-1, 2), sympy.Integer(0), sympy.Integer(3)]
    met = [(name, p, d) for name in ("phi", "psi") for p in points for d in (False, True)]
    first, second = _instance(), _instance()
    a, b = instances.Evaluator(None, None, first, {}), instances.Evaluator(None, None, second, {})
    forward = {key: a.function(*key) for key in met}
    instances._draw(second)  # other values drawn from the instance's generator first do not change them either
    backward = {key: b.function(*key) for key in reversed(met)}
    assert forward == backward
    assert all(v == a.function(*key) for key, v in forward.items())  # read again: the same value (the tables keep it)
    assert first.function_values == second.function_values and first.derivative_values == second.derivative_values
    # drawn as `_draw` draws (from its pool, times the instance's scale), and not all alike: the check can fail
    pool = {sympy.Rational(x.numerator, x.denominator) for x in instances._POOL}
    assert set(forward.values()) <= pool and len(set(forward.values())) > 2
    other = instances.Evaluator(None, None, _instance("t"), {})
    assert {key: other.function(*key) for key in met} != forward
    scaled = instances.Evaluator(None, None, _instance(scale=10), {})
    assert {key: scaled.function(*key) for key in met} == {key: 10 * v for key, v in forward.items()}


def test_an_instance_made_without_a_seed_draws_from_its_generator_s_state():
    import random

    made = [instances.Instance({}, {}, "column", random.Random(k)) for k in (1, 1, 2)]
    assert made[0].seed == made[1].seed != made[2].seed


def _d(name, e):
    """phi'(e), as the scan writes a derivative applied at an expression."""
    u = sympy.Dummy("u")
    return sympy.Subs(sympy.Derivative(sympy.Function(name)(u), u), u, e)


def _through_functions():
    leaves = st.one_of(st.just(x), st.just(y), _NUMBERS)

    def grow(inner):
        return st.one_of(
            st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
            st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
            st.tuples(inner, st.integers(1, 3)).map(lambda p: p[0] ** p[1]),
            inner.map(phi),
            inner.map(lambda e: sympy.Function("psi")(2 * e)),
            st.tuples(inner, inner).map(lambda p: p[0] * _d("phi", p[1].xreplace({x: sympy.Integer(1)}))),
            st.tuples(inner, inner).map(lambda p: p[0] + _d("psi", p[1])),
        )
    return st.recursive(leaves, grow, max_leaves=6)


def _symbolic_at(e, symbol, point, ev):
    """The scan's symbolic route: differentiate with the other entries at the point, then fill in the functions'
    values (`Evaluator._resolve`)."""
    others = {s: v for s, v in point.items() if s != symbol}
    return ev._resolve(derivatives.diff(e.xreplace(others), symbol).subs(symbol, point[symbol]))


@settings(max_examples=80, deadline=None, database=None)
@given(_through_functions(), _NUMBERS, _NUMBERS)
def test_forward_mode_through_an_arbitrary_function_is_the_symbolic_route_exactly(e, a, b):
    point = {x: a, y: b}
    ev = instances.Evaluator(None, None, _instance(), {})
    quick = partials_at(e, point, ev.function)
    for symbol in quick:
        assert quick[symbol] == _symbolic_at(e, symbol, point, ev)


def test_forward_mode_through_an_arbitrary_function_by_hand_and_what_it_leaves():
    ev = instances.Evaluator(None, None, _instance(), {})
    f = ev.function
    one, two = sympy.Integer(1), sympy.Integer(2)
    # d/dx x phi(x y) at (1, 2) = phi(2) + x y phi'(2) ... with y: x^2 phi'(2)
    e = x * phi(x * y)
    assert partials_at(e, {x: one, y: two}, f) == {x: f("phi", two, False) + 2 * f("phi", two, True),
                                                   y: f("phi", two, True)}
    for symbol, d in partials_at(e, {x: one, y: two}, f).items():
        assert d == _symbolic_at(e, symbol, {x: one, y: two}, ev)
    # phi'(e) of an e that depends on the symbol needs phi'': that symbol is left to the symbolic route, the other not
    assert set(partials_at(y * _d("phi", x), {x: one, y: two}, f)) == {y}
    # a function at a value that is not rational: every symbol is left
    assert partials_at(phi(sympy.exp(x)) + y, {x: one, y: two}, f) == {}
    # a wrong drawn derivative is told apart (the comparison above can fail)
    wrong = lambda name, v, d: f(name, v, d) + (1 if d else 0)  # noqa: E731
    assert partials_at(e, {x: one, y: two}, wrong)[y] != _symbolic_at(e, y, {x: one, y: two}, ev)


def test_hessians_of_generated_material_are_decided_the_same_with_forward_derivatives(monkeypatch):
    """Hessians of quadratics and least squares (tests/matrix_oracle_calculus.py), each entry by forward mode and each
    by sympy's second derivative: the same reports, and some steps refuted (the comparison can fail)."""
    from proofs.material import parse

    sys.path.insert(0, str(Path(__file__).parent))
    from matrix_oracle_calculus import RandomSource, generate

    generated = [generate(RandomSource(seed), parts=2, kinds=["quadratic", "least-squares"]) for seed in (0, 1)]
    documents = [parse("generated.md", m.text, "markdown") for m in generated]
    forward = _reports(documents, True, monkeypatch)
    assert forward == _reports(documents, False, monkeypatch)
    hessians = [s for d in forward for s in d if "nabla^2" in s["text"] or ("nabla_" in s["text"] and "^2" in s["text"])]
    assert hessians and {"refuted", "checked"} <= {s["status"] for s in hessians}
