"""Matrix forms the scan once skipped, now decided: multiples of I inside a sum (ridge regression), the vector of ones,
index sums against matrix forms and entries of matrix expressions, and a backprop slip whose counterexample lacked a
derivative value. Each true step's truth was worked out by hand; each slip is refuted with a counterexample that a
plain evaluation in this file (fractions, no code of the scan) confirms."""

from fractions import Fraction

import pytest

from proofs.material import parse as read_text
from proofs.scan.steps import scan_document

TRUE = r"""# Regularisation, averages and index notation

## 1 Ridge regression

Let $\mathbf{X} \in \mathbb{R}^{N \times d}$, $\mathbf{y} \in \mathbb{R}^{N}$, $\mathbf{w} \in \mathbb{R}^{d}$ and $\lambda > 0$. The regularised loss is

$$J = \frac{1}{2} \left\| \mathbf{X}\mathbf{w} - \mathbf{y} \right\|^2 + \frac{\lambda}{2} \|\mathbf{w}\|^2$$

Its gradient is

\begin{align}
\nabla_{\mathbf{w}} J &= \mathbf{X}^\top (\mathbf{X}\mathbf{w} - \mathbf{y}) + \lambda \mathbf{w} \\
&= \left(\mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I}\right) \mathbf{w} - \mathbf{X}^\top \mathbf{y}
\end{align}

and the quadratic form of the normal matrix is
$\mathbf{w}^\top (\mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I}) \mathbf{w} = \|\mathbf{X}\mathbf{w}\|^2 + \lambda \|\mathbf{w}\|^2$.

## 2 Shifted matrices

Let $A \in \mathbb{R}^{n \times n}$, $\mathbf{x} \in \mathbb{R}^{n}$ and let $\mu$ be a scalar.

$$(A + 2I)\mathbf{x} = A\mathbf{x} + 2\mathbf{x}$$

$$(A - \mu I)^{T} = A^{T} - \mu I$$

$$(A - \mu I)(A + \mu I) = A^2 - \mu^2 I$$

$$\mathbf{x}^\intercal (A + \mu I) \mathbf{x} = \mathbf{x}^\intercal A \mathbf{x} + \mu \mathbf{x}^\intercal \mathbf{x}$$

## 3 The ones vector

Let $\mathbf{x} \in \mathbb{R}^{n}$ and $\mathbf{X} \in \mathbb{R}^{n \times d}$, and let $\mathbf 1$ be the vector of ones.

$$\mathbf{1}^\top \mathbf{x} = \sum_{i=1}^{n} x_i$$

$$\mathbf 1^\top \mathbf{x} = \mathbf{x}^\top \mathbf 1$$

$$\left(\mathbf{1}^\top \mathbf{X}\right)^\top = \mathbf{X}^\top \mathbf{1}$$

$$\frac{1}{n} \mathbf{1}^\top \mathbf{X} = \frac{1}{n} (\mathbf{X}^\top \mathbf{1})^\top$$

$$\mathbb{1}^\top (\mathbf{x} + \mathbf{1}) = \mathbb{1}^\top \mathbf{x} + n$$

## 4 A distribution

Let $\mathbf{z} \in \mathbb{R}^{K}$ and let $\mathbf{p} \in \mathbb{R}^{K}$ be a distribution, with $\mathbf{1}^\top \mathbf{p} = 1$.

$$\mathbf{1}^\top \mathbf{p} \mathbf{1}^\top \mathbf{z} = \mathbf{1}^\top \mathbf{z}$$

## 5 Index notation

Let $x, y \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{m \times n}$, $A \in \mathbb{R}^{m \times p}$ and $B \in \mathbb{R}^{p \times q}$.

$$\sum_{i=1}^{n} x_i y_i = x^\top y$$

$$\sum_i x_i^2 = \|x\|^2$$

$$(W x)_i = \sum_{j=1}^{n} W_{ij} x_j$$

$$\sum_k A_{ik} B_{kj} = (A B)_{ij}$$

$$(A^\top)_{ij} = A_{ji}$$

$$(B^\top A^\top)_{ij} = \sum_k A_{jk} B_{ki}$$
"""

# The same sections with one planted slip per step, under a stated layout (so that a gradient written as a row is a
# slip, not the numerator layout): (step, kind of slip).
SLIPS = r"""# Regularisation, averages and index notation (with slips)

A gradient has the shape of the variable.

## 1 Ridge regression

Let $\mathbf{X} \in \mathbb{R}^{N \times d}$, $\mathbf{y} \in \mathbb{R}^{N}$, $\mathbf{w} \in \mathbb{R}^{d}$ and $\lambda > 0$. The regularised loss is

$$J = \frac{1}{2} \left\| \mathbf{X}\mathbf{w} - \mathbf{y} \right\|^2 + \frac{\lambda}{2} \|\mathbf{w}\|^2$$

$$\nabla_{\mathbf{w}} J = \left(\mathbf{X}^\top \mathbf{X} - \lambda \mathbf{I}\right) \mathbf{w} - \mathbf{X}^\top \mathbf{y}$$

$$\nabla_{\mathbf{w}} J = \left(\mathbf{X}^\top \mathbf{X} + \mathbf{I}\right) \mathbf{w} - \mathbf{X}^\top \mathbf{y}$$

$$\nabla_{\mathbf{w}} J = \left(\mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I}\right) \mathbf{w} - \mathbf{X} \mathbf{y}$$

$$\nabla_{\mathbf{w}} J = \left(\mathbf{X} \mathbf{X}^\top + \lambda \mathbf{I}\right) \mathbf{w} - \mathbf{X}^\top \mathbf{y}$$

$$\nabla_{\mathbf{w}} J = \mathbf{w}^\top \left(\mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I}\right) - \mathbf{y}^\top \mathbf{X}$$

## 2 Shifted matrices

Let $A \in \mathbb{R}^{n \times n}$, $\mathbf{x} \in \mathbb{R}^{n}$ and let $\mu$ be a scalar.

$$(A + 2I)\mathbf{x} = A\mathbf{x} + \mathbf{x}$$

$$(A - \mu I)^{T} = A^{T} + \mu I$$

$$(A - \mu I)(A + \mu I) = A^2 - \mu I$$

$$(A + \mu I)^{T} = A + \mu I$$

## 3 The ones vector

Let $\mathbf{x} \in \mathbb{R}^{n}$ and $\mathbf{X} \in \mathbb{R}^{n \times d}$, and let $\mathbf 1$ be the vector of ones.

$$\mathbf{1}^\top \mathbf{x} = \sum_{i=1}^{n} x_i^2$$

$$\left(\mathbf{1}^\top \mathbf{X}\right)^\top = \mathbf{X} \mathbf{1}$$

$$\mathbb{1}^\top (\mathbf{x} + \mathbf{1}) = \mathbb{1}^\top \mathbf{x} + 1$$

$$\mathbf{1}^\top \mathbf{x} = \mathbf{x}^\top \mathbf{x}$$

## 4 A distribution

Let $\mathbf{z} \in \mathbb{R}^{K}$ and let $\mathbf{p} \in \mathbb{R}^{K}$ be a distribution, with $\mathbf{1}^\top \mathbf{p} = 1$.

$$\mathbf{1}^\top \mathbf{p} \mathbf{1}^\top \mathbf{z} = 2 \mathbf{1}^\top \mathbf{z}$$

## 5 Index notation

Let $x, y \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{m \times n}$, $A \in \mathbb{R}^{m \times p}$ and $B \in \mathbb{R}^{p \times q}$.

$$\sum_{i=1}^{n} x_i y_i = x y^\top$$

$$\sum_i x_i^2 = \|x\|$$

$$(W x)_i = \sum_j W_{ji} x_j$$

$$\sum_k A_{ik} B_{kj} = (B A)_{ij}$$

$$(A^\top)_{ij} = A_{ij}$$

$$(B^\top A^\top)_{ij} = \sum_k A_{ik} B_{kj}$$
"""

# The kind of each slip, in the order of the document: sign, missing factor (lambda), missing transpose, wrong order,
# transposed gradient; missing factor (2), sign, missing square, missing transpose; a square for a sum, a missing
# transpose, a missing factor (n), a wrong form; a missing factor (2) under the stated total; a wrong shape, a missing
# square, transposed indices, a wrong order, a missing transpose, transposed indices.
SLIP_COUNT = 20


def _scan(text: str):
    return [s for s in scan_document(read_text("recall.md", text, "markdown"), second_reader=False)
            if s.status != "definition" and "a condition or a wish" not in s.reason]


@pytest.fixture(scope="module")
def true_steps():
    return _scan(TRUE)


@pytest.fixture(scope="module")
def slips():
    return _scan(SLIPS)


def test_every_true_step_of_the_new_forms_is_checked(true_steps):
    assert len(true_steps) == 19
    bad = [(s.text, s.status, s.reason) for s in true_steps if s.status != "checked"]
    assert not bad, bad


def test_every_planted_slip_of_the_new_forms_is_refuted_with_a_replayed_counterexample(slips):
    assert len(slips) == SLIP_COUNT
    bad = [(s.text, s.status, s.reason) for s in slips if s.status != "refuted"]
    assert not bad, bad
    assert all(s.counterexample for s in slips)


def _m(raw) -> list:
    return [[Fraction(x) for x in row] for row in raw]


def _mm(a, b):
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))] for i in range(len(a))]


def test_the_counterexamples_of_identity_and_ones_slips_are_false_by_a_plain_evaluation(slips):
    by_text = {s.text: s for s in slips}
    # (A + 2I) x = A x + x: the sides differ by x, which is not 0
    ex = by_text[r"(A + 2I)\mathbf{x} = A\mathbf{x} + \mathbf{x}"].counterexample["values"]
    A, x = _m(ex["A"]), _m(ex["x"])
    n = len(A)
    left = [[sum((A[i][k] + 2 * (i == k)) * x[k][0] for k in range(n))] for i in range(n)]
    right = [[v[0] + w[0]] for v, w in zip(_mm(A, x), x)]
    assert left != right
    # (A - mu I)^T = A^T + mu I: entry (1, 1) differs by 2 mu
    ex = by_text[r"(A - \mu I)^{T} = A^{T} + \mu I"].counterexample["values"]
    A, mu = _m(ex["A"]), Fraction(ex["mu"])
    assert A[0][0] - mu != A[0][0] + mu
    # 1^T x = x^T x
    ex = by_text[r"\mathbf{1}^\top \mathbf{x} = \mathbf{x}^\top \mathbf{x}"].counterexample["values"]
    x = [row[0] for row in _m(ex["x"])]
    assert sum(x) != sum(v * v for v in x)
    # 1^T p 1^T z = 2 1^T z at a p whose entries sum to 1
    ex = by_text[r"\mathbf{1}^\top \mathbf{p} \mathbf{1}^\top \mathbf{z} = 2 \mathbf{1}^\top \mathbf{z}"].counterexample["values"]
    p, z = [r[0] for r in _m(ex["p"])], [r[0] for r in _m(ex["z"])]
    assert sum(p) == 1 and sum(p) * sum(z) != 2 * sum(z)
    # (A^T)_{ij} = A_{ij} at the indices of the counterexample
    step = by_text[r"(A^\top)_{ij} = A_{ij}"]
    A, at = _m(step.counterexample["values"]["A"]), step.counterexample["indices"]
    assert A[at["j"] - 1][at["i"] - 1] != A[at["i"] - 1][at["j"] - 1]


def test_a_multiple_of_i_takes_the_size_a_factor_fixes_and_none_where_none_does():
    steps = {s.text: s for s in _scan("Let $\\lambda$ be a scalar and $x \\in \\mathbb{R}^n$. Then $(\\lambda I)^T = "
                                      "\\lambda I$ and $(\\lambda I)^T = 2 \\lambda I$ and $(\\lambda I) x = \\lambda x$.\n")}
    assert steps[r"(\lambda I) x = \lambda x"].status == "checked"
    # c I alone: its size is not fixed, so it is not decided (never read as the number c)
    for text in (r"(\lambda I)^T = \lambda I", r"(\lambda I)^T = 2 \lambda I"):
        assert steps[text].status not in ("refuted", "checked", "proved"), steps[text].reason


def test_an_elementwise_product_with_i_is_not_the_other_factor():
    # I ⊙ A keeps A's diagonal only: read as the product I A it was A
    steps = {s.text: s for s in _scan("Let $A \\in \\mathbb{R}^{n \\times n}$. Then $I \\odot A = A$.\n")}
    assert steps["I \\odot A = A"].status not in ("checked", "proved")


def test_a_blackboard_one_is_the_vector_of_ones_but_an_indicator_written_with_it_is_not():
    steps = {s.text: s for s in _scan("Let $y \\in \\{1, \\dots, K\\}$ and $\\mathbf{p} \\in \\mathbb{R}^K$. Then "
                                      "$\\sum_k \\mathbb{1}[y = k] = 1$ and $\\sum_k \\mathbb{1}\\{y = k\\} = 1$ and "
                                      "$\\mathbb{1}^T \\mathbf{p} = \\mathbf{p}^T "
                                      "\\mathbb 1$ and $\\mathbb{1}_K^T \\mathbf{p} = 2 \\mathbf{p}^T \\mathbb 1$.\n")}
    assert steps[r"\mathbb{1}^T \mathbf{p} = \mathbf{p}^T \mathbb 1"].status == "checked"
    assert steps[r"\mathbb{1}_K^T \mathbf{p} = 2 \mathbf{p}^T \mathbb 1"].status == "refuted"
    for indicator in (r"\sum_k \mathbb{1}[y = k] = 1", r"\sum_k \mathbb{1}\{y = k\} = 1"):
        assert steps[indicator].status not in ("refuted", "checked", "proved"), steps[indicator].reason


def test_a_sum_bound_that_is_a_declared_size_is_that_size_on_every_instance():
    # \sum_{i=1}^{n} with x in R^n: n was an index of its own (1..4), past the end of x: skipped
    steps = {s.text: s for s in _scan("Let $x, y \\in \\mathbb{R}^{n}$.\n\n$$\\sum_{i=1}^{n} x_i y_i = y^T x$$\n\n"
                                      "$$\\sum_{i=1}^{n} x_i y_i = 2 y^T x$$\n")}
    assert steps[r"\sum_{i=1}^{n} x_i y_i = y^T x"].status == "checked"
    assert steps[r"\sum_{i=1}^{n} x_i y_i = 2 y^T x"].status == "refuted"


# The two-layer network of the matrix oracle's mlp family (seed 460932926, its fourth part): a hidden size of 3 and a
# weight of 0 in W_2, so that the true gradient never reads phi' at one hidden unit's pre-activation; the replay,
# which carries every value's derivative, found no value for it and the missing-factor slip was left unknown.
MLP = r"""A gradient has the shape of the variable.

For $\boldsymbol{x} \in \mathbb{R}^{m}$, $\boldsymbol{W}_1 \in \mathbb{R}^{3 \times m}$, $\boldsymbol{W}_2 \in \mathbb{R}^{n \times 3}$
and $\boldsymbol{y} \in \mathbb{R}^{n}$. The network computes

$$\boldsymbol{z} = \boldsymbol{W}_1 \boldsymbol{x}$$

$$\boldsymbol{h} = \phi(\boldsymbol{z})$$

$$\hat{y} = \boldsymbol{W}_2 \boldsymbol{h}$$

$$L = \frac{1}{2} \|\hat{y} - \boldsymbol{y}\|^2$$

Backpropagation gives.

$$\frac{\partial L}{\partial \boldsymbol{z}} = \boldsymbol{W}_2^{\mathsf T} (\hat{y} - \boldsymbol{y})$$

$$\frac{\partial L}{\partial \boldsymbol{z}} = \phi'(\boldsymbol{z}) \odot \boldsymbol{W}_2^{\mathsf T} (\hat{y} - \boldsymbol{y})$$
"""


def test_a_missing_derivative_factor_is_refuted_even_where_a_zero_weight_hides_one_derivative_value():
    wrong, right = _scan(MLP)
    assert right.status == "checked", right.reason
    assert wrong.status == "refuted", wrong.reason
    values = wrong.counterexample["values"]
    # every point phi is read at has its derivative value, drawn freely where the sides do not depend on it
    points = {k[len("phi("):-1] for k in values if k.startswith("phi(")}
    assert points and all(f"phi'({p})" in values for p in points)


# Jacobians and Hessians. By hand: for h = sigma(z) entry by entry, dh_k/dz_i = sigma'(z_i) [i = k], the diagonal
# matrix diag(sigma'(z)) in either layout; d(Wx)/dx is W (numerator layout) or W^T (denominator layout); the Hessian
# of x^T A x / 2 is (A + A^T) / 2, A only for a symmetric A; for E = ||Xw - y||^2 / (2N), the gradient is
# X^T (Xw - y) / N and the Hessian X^T X / N.
JACOBIANS = r"""## Jacobians and Hessians

Let $\mathbf{W} \in \mathbb{R}^{m \times n}$, $\mathbf{x} \in \mathbb{R}^{n}$, $A \in \mathbb{R}^{n \times n}$, $\mathbf{z} \in \mathbb{R}^{n}$ and
$\mathbf{X} \in \mathbb{R}^{N \times d}$, $\mathbf{w} \in \mathbb{R}^{d}$, $\mathbf{y} \in \mathbb{R}^{N}$. For an activation function
$\sigma$ applied elementwise, $\mathbf{h} = \sigma(\mathbf{z})$.

$$\frac{\partial \mathbf{h}}{\partial \mathbf{z}} = \operatorname{diag}(\sigma'(\mathbf{z}))$$

$$\frac{\partial (\mathbf{W}\mathbf{x})}{\partial \mathbf{x}} = \mathbf{W}$$

$$\frac{\partial (\mathbf{W}\mathbf{x})}{\partial \mathbf{x}} = \mathbf{W}^\top$$

$$\nabla^2_{\mathbf{x}} \frac{1}{2} \mathbf{x}^\top A \mathbf{x} = \frac{1}{2}\left(A + A^\top\right)$$

$$\nabla_{\mathbf{x}} \left(\mathbf{x}^\top A \mathbf{x}\right) = \left(A + A^\top\right) \mathbf{x}$$

$$\nabla_{\mathbf{w}} \frac{1}{2N} \left\|\mathbf{X}\mathbf{w} - \mathbf{y}\right\|^2 = \frac{1}{N} \mathbf{X}^\top (\mathbf{X}\mathbf{w} - \mathbf{y})$$

$$\nabla^2_{\mathbf{w}} \frac{1}{2N} \left\|\mathbf{X}\mathbf{w} - \mathbf{y}\right\|^2 = \frac{1}{N} \mathbf{X}^\top \mathbf{X}$$
"""

JACOBIAN_SLIPS = r"""## Jacobians and Hessians

Let $\mathbf{W} \in \mathbb{R}^{m \times n}$, $\mathbf{x} \in \mathbb{R}^{n}$, $A \in \mathbb{R}^{n \times n}$, $\mathbf{z} \in \mathbb{R}^{n}$ and
$\mathbf{X} \in \mathbb{R}^{N \times d}$, $\mathbf{w} \in \mathbb{R}^{d}$, $\mathbf{y} \in \mathbb{R}^{N}$. For an activation function
$\sigma$ applied elementwise, $\mathbf{h} = \sigma(\mathbf{z})$.

$$\frac{\partial \mathbf{h}}{\partial \mathbf{z}} = \operatorname{diag}(\sigma(\mathbf{z}))$$

$$\frac{\partial (\mathbf{W}\mathbf{x})}{\partial \mathbf{x}} = \mathbf{x}^\top$$

$$\nabla^2_{\mathbf{x}} \frac{1}{2} \mathbf{x}^\top A \mathbf{x} = A$$

$$\nabla_{\mathbf{x}} \left(\mathbf{x}^\top A \mathbf{x}\right) = 2 A \mathbf{x}$$

$$\nabla_{\mathbf{w}} \frac{1}{2N} \left\|\mathbf{X}\mathbf{w} - \mathbf{y}\right\|^2 = \mathbf{X}^\top (\mathbf{X}\mathbf{w} - \mathbf{y})$$

$$\nabla^2_{\mathbf{w}} \frac{1}{2N} \left\|\mathbf{X}\mathbf{w} - \mathbf{y}\right\|^2 = \frac{2}{N} \mathbf{X}^\top \mathbf{X}$$

$$\nabla^2_{\mathbf{w}} \frac{1}{2N} \left\|\mathbf{X}\mathbf{w} - \mathbf{y}\right\|^2 = \frac{1}{N} \mathbf{X} \mathbf{X}^\top$$
"""


def test_jacobians_and_hessians_hold_under_a_layout_the_notation_allows():
    steps = _scan(JACOBIANS)
    assert len(steps) == 7
    bad = [(s.text, s.status, s.reason) for s in steps if s.status != "checked"]
    assert not bad, bad
    by_text = {s.text: s for s in steps}
    assert "numerator layout" in by_text[r"\frac{\partial (\mathbf{W}\mathbf{x})}{\partial \mathbf{x}} = \mathbf{W}"].reason
    assert "denominator layout" in by_text[r"\frac{\partial (\mathbf{W}\mathbf{x})}{\partial \mathbf{x}} = \mathbf{W}^\top"].reason


def test_jacobian_and_hessian_slips_are_refuted():
    steps = _scan(JACOBIAN_SLIPS)
    assert len(steps) == 7
    bad = [(s.text, s.status, s.reason) for s in steps if s.status != "refuted"]
    assert not bad, bad
    # x^T A x / 2 has the Hessian (A + A^T)/2: A at the counterexample is not symmetric, and the sides differ there
    hessian = next(s for s in steps if s.text.endswith("= A"))
    A = _m(hessian.counterexample["values"]["A"])
    assert any(A[i][j] != A[j][i] for i in range(len(A)) for j in range(len(A)))


def test_a_stated_layout_decides_a_jacobian_and_symmetry_makes_2ax_true():
    steps = {s.text: s for s in _scan(
        "We use the numerator layout. Let $W \\in \\mathbb{R}^{m \\times n}$, $x \\in \\mathbb{R}^{n}$ and let "
        "$S \\in \\mathbb{R}^{n \\times n}$ be symmetric.\n\n$$\\frac{\\partial (W x)}{\\partial x} = W^T$$\n\n"
        "$$\\frac{\\partial (W x)}{\\partial x} = W$$\n\n$$\\nabla^2_x x^T S x = 2 S$$\n")}
    assert steps[r"\frac{\partial (W x)}{\partial x} = W^T"].status == "refuted"
    assert steps[r"\frac{\partial (W x)}{\partial x} = W"].status == "checked"
    assert steps[r"\nabla^2_x x^T S x = 2 S"].status == "checked"


def test_a_jacobian_written_as_the_vector_of_its_diagonal_is_not_refuted():
    # dh/dz = phi'(z) for h = phi(z): the derivative entry by entry, as ML notation often writes it
    steps = _scan("Let $\\mathbf{z} \\in \\mathbb{R}^n$ and $\\mathbf{h} = \\phi(\\mathbf{z})$.\n\n"
                  "$$\\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}} = \\phi'(\\mathbf{z})$$\n\n"
                  "$$\\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}} = \\operatorname{diag}(\\phi'(\\mathbf{z}))$$\n")
    assert [s.status for s in steps] == ["skipped", "checked"], [(s.text, s.reason) for s in steps]


def test_a_multiple_of_i_next_to_a_matrix_of_a_numbered_size_takes_that_size():
    steps = {s.text: s for s in _scan("For $W_1 \\in \\mathbb{R}^{3 \\times 3}$, $u \\in \\mathbb{R}^{3}$ and "
                                      "$\\lambda \\in \\mathbb{R}$. Then $(W_1 - \\lambda I) u = W_1 u - u$ and "
                                      "$(W_1 - \\lambda I) u = W_1 u - \\lambda u$.\n")}
    assert steps[r"(W_1 - \lambda I) u = W_1 u - u"].status == "refuted"
    assert steps[r"(W_1 - \lambda I) u = W_1 u - \lambda u"].status == "checked"


# Backpropagation to the first layer of a two-layer network, with the derivative factor as diag(sigma'(z_1)) or as
# sigma'(z_1) ⊙ (...), and hats over bold letters. By hand (denominator layout): dL/dW_1 = diag(sigma'(z_1)) W_2^T
# (yhat - y) x^T. Slips: the factor dropped; diag on the wrong side of W_2^T (m x m after k x m: the shapes do not fit
# unless k = m); the transposed gradient x delta^T; a 2 for a loss with 1/2.
MLP_W1 = r"""# Backpropagation through a two-layer network

Let $\mathbf{x} \in \mathbb{R}^{n}$, $\mathbf{W}_1 \in \mathbb{R}^{m \times n}$, $\mathbf{W}_2 \in \mathbb{R}^{k \times m}$ and $\mathbf{y} \in \mathbb{R}^{k}$.
For an activation function $\sigma$ applied elementwise, the network computes

$$\mathbf{z}_1 = \mathbf{W}_1 \mathbf{x}$$

$$\mathbf{h} = \sigma(\mathbf{z}_1)$$

$$\hat{\mathbf{y}} = \mathbf{W}_2 \mathbf{h}$$

$$L = \frac{1}{2} \left\| \hat{\mathbf{y}} - \mathbf{y} \right\|^2$$

A gradient has the shape of the variable. Then

$$\frac{\partial L}{\partial \mathbf{W}_1} = \operatorname{diag}(\sigma'(\mathbf{z}_1)) \mathbf{W}_2^\top (\hat{\mathbf{y}} - \mathbf{y}) \mathbf{x}^\top$$

$$\frac{\partial L}{\partial \mathbf{W}_1} = \left(\sigma'(\mathbf{z}_1) \odot \mathbf{W}_2^\top (\hat{\mathbf{y}} - \mathbf{y})\right) \mathbf{x}^\top$$

$$\frac{\partial L}{\partial \mathbf{W}_1} = \mathbf{W}_2^\top (\hat{\mathbf{y}} - \mathbf{y}) \mathbf{x}^\top$$

$$\frac{\partial L}{\partial \mathbf{W}_1} = \mathbf{W}_2^\top \operatorname{diag}(\sigma'(\mathbf{z}_1)) (\hat{\mathbf{y}} - \mathbf{y}) \mathbf{x}^\top$$

$$\frac{\partial L}{\partial \mathbf{W}_1} = \mathbf{x} \left(\sigma'(\mathbf{z}_1) \odot \mathbf{W}_2^\top (\hat{\mathbf{y}} - \mathbf{y})\right)^\top$$

$$\frac{\partial L}{\partial \hat{\mathbf{y}}} = 2 (\hat{\mathbf{y}} - \mathbf{y})$$

$$\frac{\partial \mathbf{h}}{\partial \mathbf{z}_1} = \operatorname{diag}(\sigma'(\mathbf{z}_1))$$
"""


def test_backprop_to_the_first_layer_with_the_derivative_factor_and_its_slips():
    steps = _scan(MLP_W1)
    status = [s.status for s in steps]
    assert status == ["checked", "checked", "refuted", "refuted", "refuted", "refuted", "checked"], \
        [(s.text, s.status, s.reason) for s in steps]


def test_a_diagonal_jacobian_in_a_hadamard_product_is_not_refuted_and_the_chain_rule_holds():
    # dL/dh ⊙ dh/dz reads dh/dz as the vector of its diagonal (true that way, a shape error as a Jacobian): skipped;
    # dh/dz dL/dh (denominator layout) is the chain rule, true; twice it is not
    steps = _scan("Let $\\mathbf{z} \\in \\mathbb{R}^n$, $\\mathbf{v} \\in \\mathbb{R}^n$ and $\\mathbf{h} = "
                  "\\phi(\\mathbf{z})$, $L = \\mathbf{v}^\\top \\mathbf{h}$.\n\n"
                  "$$\\frac{\\partial L}{\\partial \\mathbf{z}} = \\frac{\\partial L}{\\partial \\mathbf{h}} \\odot "
                  "\\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}}$$\n\n"
                  "$$\\frac{\\partial L}{\\partial \\mathbf{z}} = \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}} "
                  "\\frac{\\partial L}{\\partial \\mathbf{h}}$$\n\n"
                  "$$\\frac{\\partial L}{\\partial \\mathbf{z}} = 2 \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}} "
                  "\\frac{\\partial L}{\\partial \\mathbf{h}}$$\n")
    assert [s.status for s in steps] == ["skipped", "checked", "refuted"], [(s.text, s.reason) for s in steps]
