"""exp, log, sigma, tanh and softmax in the matrix reading: gradients through them decided against the forward
equations, equal only symbolically, apart only by certified intervals, counterexamples replayed and checked against
a float oracle that shares no code with the scan."""

import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings

REGRESSION = r"""# Softmax regression

Conventions: a gradient has the shape of the variable, vectors are columns.

## 1 The layer

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{K \times n}$ and a label $y \in \mathbb{R}^{K}$ with $\sum_i y_i = 1$.

$$z = W x$$

$$\hat{y} = \mathrm{softmax}(z)$$

$$L = -\sum_i y_i \log \hat{y}_i$$

$$STEP$$
"""


def steps(tmp_path, text):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=60, second_reader=False)}


def regression(tmp_path, step):
    return steps(tmp_path, REGRESSION.replace("STEP", step))[step]


def _loss(W, x, y):
    """L = -sum_i y_i log softmax(W x)_i in floats (the oracle: no code of the scan)."""
    z = [sum(w * v for w, v in zip(row, x)) for row in W]
    m = max(z)
    s = sum(math.exp(v - m) for v in z)
    return -sum(yi * ((zi - m) - math.log(s)) for yi, zi in zip(y, z))


def _oracle_dx(W, x, y, h=1e-6):
    out = []
    for j in range(len(x)):
        up, down = list(x), list(x)
        up[j] += h
        down[j] -= h
        out.append((_loss(W, up, y) - _loss(W, down, y)) / (2 * h))
    return out


def test_true_gradients_through_a_softmax_are_checked_exactly(tmp_path):
    for step in (r"\frac{\partial L}{\partial z} = \hat{y} - y", r"\frac{\partial L}{\partial x} = W^T (\hat{y} - y)"):
        s = regression(tmp_path, step)
        assert s.status == "checked", (step, s.reason)
        assert "shown equal symbolically" in s.reason and "K = 1..3" in s.reason


def test_a_transposed_gradient_through_a_softmax_is_refuted_with_the_shapes(tmp_path):
    s = regression(tmp_path, r"\frac{\partial L}{\partial z} = (\hat{y} - y)^T")
    assert s.status == "refuted" and s.counterexample["shapes_only"]


def _square(tmp_path, step):
    """The regression with W square (K = n), where W for W^T fits and fails on values."""
    text = REGRESSION.replace(r"W \in \mathbb{R}^{K \times n}", r"W \in \mathbb{R}^{n \times n}")
    return steps(tmp_path, text.replace(r"y \in \mathbb{R}^{K}", r"y \in \mathbb{R}^{n}").replace("STEP", step))[step]


def test_w_for_w_transposed_through_a_softmax_is_refuted_and_the_oracle_agrees(tmp_path):
    # with K and n the material's own sizes, W (yhat - y) fits only where K = n: refuted with the shapes
    s = regression(tmp_path, r"\frac{\partial L}{\partial x} = W (\hat{y} - y)")
    assert s.status == "refuted" and s.counterexample["shapes_only"], s.reason
    assert s.counterexample["sizes"]["K"] != s.counterexample["sizes"]["n"]
    s = _square(tmp_path, r"\frac{\partial L}{\partial x} = W (\hat{y} - y)")
    assert s.status == "refuted", s.reason
    values = s.counterexample["values"]
    W = [[float(Fraction(v)) for v in row] for row in values["W"]]
    x = [float(Fraction(r[0])) for r in values["x"]]
    y = [Fraction(r[0]) for r in values["y"]]
    assert sum(y) == 1  # the instance honours the stated fact
    y = [float(v) for v in y]
    z = [sum(w * v for w, v in zip(row, x)) for row in W]
    p = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
    printed = [sum(W[i][j] * (p[j] - y[j]) for j in range(len(p))) for i in range(len(W))]
    true = _oracle_dx(W, x, y)
    assert len(printed) == len(true) and max(abs(a - b) for a, b in zip(printed, true)) > 1e-3


def test_the_counterexample_replays_and_does_not_refute_the_true_gradient(tmp_path):
    from proofs.scan.matrices import read
    from proofs.scan.matrix_replay import replay
    from proofs.scan.shapes import Model
    from proofs.scan.elementwise import entries

    s = _square(tmp_path, r"\frac{\partial L}{\partial x} = W (\hat{y} - y)")
    model = Model(layouts=("column",))
    model.kinds.update({"x": "vector", "W": "matrix", "y": "vector"})
    model.dims.update({"x": ("n", 1), "W": ("K", "n"), "y": ("K", 1)})
    model.totals["y"] = Fraction(1)
    model.equations["z"] = [(None, read("W x"))]
    model.equations["hat_y"] = [(None, read(r"\mathrm{softmax}(z)"))]
    model.equations["L"] = [(None, entries(read(r"-\sum_i y_i \log \hat{y}_i"), model))]
    left = read(r"\frac{\partial L}{\partial x}")
    assert replay(left, "=", read(r"W (\hat{y} - y)"), model, s.counterexample)
    assert not replay(left, "=", read(r"W^T (\hat{y} - y)"), model, s.counterexample)
    # an instance that breaks the stated fact is not a counterexample
    broken = {**s.counterexample, "values": {**s.counterexample["values"],
                                             "y": [[str(Fraction(r[0]) + 1)] for r in s.counterexample["values"]["y"]]}}
    assert not replay(left, "=", read(r"W (\hat{y} - y)"), model, broken)


def test_without_the_stated_fact_the_simplified_gradient_is_refuted(tmp_path):
    text = REGRESSION.replace(r" with $\sum_i y_i = 1$", "").replace("STEP", r"\frac{\partial L}{\partial z} = \hat{y} - y")
    s = steps(tmp_path, text)[r"\frac{\partial L}{\partial z} = \hat{y} - y"]
    assert s.status == "refuted"


SIGMOID = r"""# A sigmoid layer

Conventions: a gradient has the shape of the variable, vectors are columns.

## 1 The layer

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{m \times n}$, $v \in \mathbb{R}^{m}$, with $\sigma$ the logistic function.

$$h = \sigma(W x)$$

$$f = v^T h$$

$$STEP$$
"""


@pytest.mark.parametrize("printed, status", [
    (r"W^T (v \odot h \odot (1 - h))", "checked"),
    (r"W^T (v \odot \sigma'(W x))", "checked"),
    (r"W^T (v \odot h)", "refuted"),                      # a missing factor
    (r"W (v \odot h \odot (1 - h))", "refuted"),          # a missing transpose
    (r"-W^T (v \odot h \odot (1 - h))", "refuted"),       # a sign error
])
def test_gradients_through_a_sigmoid_layer(tmp_path, printed, status):
    step = r"\frac{\partial f}{\partial x} = " + printed
    s = steps(tmp_path, SIGMOID.replace("STEP", step))[step]
    assert s.status == status, s.reason


def _plain_gradient(values):
    """d(v^T sigma(W x))/dx = W^T (v * sigma'(W x)) and the printed W^T (v * h * (1 - h)), h = sigma(W x), from the
    counterexample's table of sigma and sigma' (plain fractions: no code of the scan)."""
    W = [[Fraction(x) for x in row] for row in values["W"]]
    v = [Fraction(r[0]) for r in values["v"]]
    x = [Fraction(r[0]) for r in values["x"]]
    z = [sum(w * e for w, e in zip(row, x)) for row in W]
    s = [Fraction(values[f"sigma({Fraction(e)})"]) for e in z]
    ds = [Fraction(values[f"sigma'({Fraction(e)})"]) for e in z]
    true = [sum(W[i][j] * v[i] * ds[i] for i in range(len(z))) for j in range(len(x))]
    printed = [sum(W[i][j] * v[i] * s[i] * (1 - s[i]) for i in range(len(z))) for j in range(len(x))]
    return true, printed


@pytest.mark.parametrize("words", [r"for an activation function $\sigma$", r"with any differentiable $\sigma$",
                                   r"with $\sigma$ an activation applied to each entry"])
def test_an_arbitrary_sigma_is_not_the_logistic_function(tmp_path, words):
    # sigma' = sigma (1 - sigma) holds for the logistic function only: where the material leaves sigma arbitrary, a step
    # that needs it is not a consequence, and its counterexample (a table of sigma and sigma') replays plainly
    text = SIGMOID.replace("A sigmoid layer", "A layer").replace(r"with $\sigma$ the logistic function", words)
    step = r"\frac{\partial f}{\partial x} = W^T (v \odot h \odot (1 - h))"
    s = steps(tmp_path, text.replace("STEP", step))[step]
    assert s.status == "refuted", s.reason
    true, printed = _plain_gradient(s.counterexample["values"])
    assert true != printed
    # what holds for every sigma is still checked; the slips are still refuted
    for printed, status in ((r"W^T (v \odot \sigma'(W x))", "checked"), (r"W (v \odot \sigma'(W x))", "refuted"),
                            (r"W^T (v \odot h)", "refuted")):
        step = r"\frac{\partial f}{\partial x} = " + printed
        s = steps(tmp_path, text.replace("STEP", step))[step]
        assert s.status == status, (printed, s.reason)


@pytest.mark.parametrize("words, status", [(r"with $\sigma$ the logistic function", "checked"),
                                           (r"with the sigmoid $\sigma$", "checked"),
                                           (r"for an activation function $\sigma$", "refuted")])
def test_the_derivative_of_sigma_entry_by_entry(tmp_path, words, status):
    text = (f"# A layer\n\n## 1 The layer\n\nLet $\\mathbf{{z}} \\in \\mathbb{{R}}^{{n}}$, {words}.\n\n$$STEP$$\n")
    step = r"\sigma'(\mathbf{z}) = \sigma(\mathbf{z}) \odot (1 - \sigma(\mathbf{z}))"
    s = steps(tmp_path, text.replace("STEP", step))[step]
    assert s.status == status, s.reason
    assert s.status != "refuted" or "sigma'(" in str(s.counterexample["values"])


def test_a_value_equal_only_to_sixty_digits_is_neither_equal_nor_apart():
    from proofs.scan.instances import compare

    e = sympy.exp(1)
    close = sympy.Rational(str(sympy.N(e, 90)))  # e to 90 digits: not e, but no 60-digit interval separates them
    assert compare(e, "=", close) is None
    assert compare(e, "=", sympy.Rational(27, 10)) is False
    assert compare(sympy.exp(sympy.Rational(1, 2)) ** 2, "=", e) is True
    # a step that holds to every digit evaluated but not exactly is not checked (nor refuted)
    from proofs.scan.instances import decide
    from proofs.scan.matrices import Node, read
    from proofs.scan.shapes import Model

    verdict = decide(read(r"\exp(1)"), "=", Node("num", (), Fraction(close.p, close.q)), Model(), "seed", {})
    assert verdict.status == "skipped" and "not shown equal exactly" in verdict.reason
    assert decide(read(r"\exp(1)"), "=", read(r"\exp(1/2) \exp(1/2)"), Model(), "seed", {}).status == "checked"


def test_exact_sign_is_symbolic_for_zero_and_certified_otherwise():
    from proofs.scan.elementwise import exact_sign

    r, exp = sympy.Rational, sympy.exp
    softmax_1 = exp(r(1, 2)) / (exp(r(1, 2)) + exp(r(1, 3)))
    assert exact_sign(softmax_1 - 1 / (1 + exp(-r(1, 6)))) == 0
    assert exact_sign(softmax_1 - 1 / (1 + exp(-r(1, 5)))) == -1
    assert exact_sign(sympy.tanh(r(1, 3)) - (exp(r(2, 3)) - 1) / (exp(r(2, 3)) + 1)) == 0
    assert exact_sign(sympy.log(1 + exp(1)) - 1) == 1


def _transcendental():
    from hypothesis import strategies as st

    r = st.fractions(min_value=-2, max_value=2, max_denominator=4).map(lambda f: sympy.Rational(f.numerator, f.denominator))
    leaves = st.one_of(r, r.map(sympy.exp), r.map(lambda q: sympy.log(sympy.exp(q) + 2)))

    def grow(inner):
        return st.one_of(st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
                         st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
                         st.tuples(inner, st.integers(-2, 2)).map(lambda p: p[0] ** p[1] if p[0] != 0 else p[0]))
    return st.recursive(leaves, grow, max_leaves=5)


@settings(max_examples=80, deadline=None, database=None)
@given(_transcendental(), _transcendental(), _transcendental())
def test_exact_sign_is_0_for_a_rearranged_identity_and_the_sign_of_a_high_precision_value_otherwise(u, v, w):
    from proofs.scan.elementwise import exact_sign

    # (u + v)(u - v) w = u^2 w - v^2 w, written apart (sympy expands neither side): 0 exactly
    identity = sympy.Mul(sympy.Add(u, v), sympy.Add(u, -v), w) - (u**2 * w - v**2 * w)
    assert exact_sign(identity) in (0, None) if identity.has(sympy.log) else exact_sign(identity) == 0
    for d in (identity + sympy.Rational(1, 10**30) * sympy.exp(sympy.Rational(1, 3)), u - v * w):
        value = sympy.N(d, 80)
        sign = exact_sign(d)
        if sign is not None and value.is_real:  # never 0 for a value apart from 0, never the wrong sign
            assert abs(value) < sympy.Float(10) ** -60 if sign == 0 else sign * value > 0


def test_exact_sign_reads_logs_of_one_argument_written_two_ways_as_one():
    from proofs.scan.elementwise import exact_sign

    half = sympy.exp(sympy.Rational(1, 2))
    assert exact_sign(sympy.log((half + 1) ** 2) - sympy.log(sympy.E + 2 * half + 1)) == 0
    assert exact_sign(sympy.log((half + 1) ** 2) - sympy.log(sympy.E + 2 * half)) == 1
    zero = sympy.Mul(half + 1, half - 1) - (sympy.E - 1)  # 0, not written so
    assert exact_sign(zero) == 0 and exact_sign(1 / zero + 1) is None  # a division by 0: no sign


def test_the_replay_encloses_exp_and_log():
    from proofs.scan.matrix_replay import _Interval, elementary

    e = elementary("exp", Fraction(1))
    digits = Fraction(27182818284590452353602874713526624977, 10 ** 37)  # e = 2.71828182845904523536028747135266249775...
    assert digits < e.lo < e.hi < digits + Fraction(1, 10 ** 37) and e.hi - e.lo < Fraction(1, 10 ** 50)
    log = elementary("log", e)
    assert log.lo <= 1 <= log.hi
    assert elementary("sigma", Fraction(0)) == Fraction(1, 2)  # exp(0) = 1 exactly
    s = elementary("sigma", Fraction(1))
    assert isinstance(s, _Interval) and Fraction(7310585, 10 ** 7) < s.lo < s.hi < Fraction(7310586, 10 ** 7)
