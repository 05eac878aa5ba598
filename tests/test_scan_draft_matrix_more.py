"""scan --draft-claims on the matrix steps drafted last: gradients through an indexed recurrence (sized statements for
every size and every T), and the other steps each check green as printed or red as an erratum with its correction."""

import re

import pytest

from test_scan_draft_matrix import _check
from test_scan_draft_matrix import _draft as drafted


RECURRENCE = r"""# 2 A recurrent network

The hidden states $h_t$ are vectors. For each step,

$$z_{t+1} = W_t h_t + V_t x_{t+1}$$

$$h_{t+1} = \phi(z_{t+1})$$

and we write $D_{k+1} = \text{Diag}(\phi'(z_{k+1}))$. The loss $l$ depends on the last state $h_T$.

True: $$\frac{\partial l}{\partial h_t} = W_t^T D_{t+1} \frac{\partial l}{\partial h_{t+1}}$$

True: $$\frac{\partial l}{\partial h_t} = \left(\prod_{k=t}^{T-1} W_k^T D_{k+1}\right) \frac{\partial l}{\partial h_T}$$

A missing transpose (slip): $$\frac{\partial l}{\partial h_t} = W_t D_{t+1} \frac{\partial l}{\partial h_{t+1}}$$

A product in the wrong order (slip): $$\frac{\partial l}{\partial h_t} = \left(\prod_{k=t}^{T-1} D_{k+1} W_k^T\right) \frac{\partial l}{\partial h_T}$$
"""


def _draft(tmp_path, text, *lines):
    """(verdicts, drafts directory, {file: text}) of a scan of `text` drafting the steps of `lines`."""
    return drafted(tmp_path, text, *lines)[1:]


@pytest.mark.slow
def test_recurrence_gradients_are_drafted_for_every_size_and_every_t_and_check_green_or_as_corrected_errata(tmp_path):
    verdicts, drafts, texts = _draft(tmp_path, RECURRENCE, 11, 13)
    assert verdicts == {11: "checked", 13: "checked", 15: "refuted", 17: "refuted"}
    one = texts["scan_a_md_l11_1.py"]
    # the Jacobian dh_(k+1)/dh_k from the forward equations, D the material's name for Diag(phi'(z_{k+1}))
    assert "return lambda k: (D[k + 1] @ W[k])" in one
    assert "given(t + 1 <= T, backward(g, J, t, T) == (W[t].T @ D[t + 1] @ backward(g, J, t + 1, T)))" in one
    product = texts["scan_a_md_l13_1.py"]
    assert "given(t <= T, backward(g, J, t, T) == (mprod(lambda k: (W[k].T @ D[k + 1]), t, T - 1) @ g))" in product
    assert "todo(" not in "".join(texts.values())
    # no convention is stated: the product in the other order holds with gradients as rows, and is drafted so
    assert "backward(g, J, t, T).T == (backward(g, J, t + 1, T).T @ D[t + 1] @ W[t])" in texts["scan_a_md_l15_1.py"]
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for line in (11, 13):
        assert re.search(rf"scan\.a_md\.ex2\.l{line}_1 +proved +pass", done.stdout), done.stdout[-3000:]
    for line in (15, 17):
        assert re.search(rf"scan\.a_md\.ex2\.l{line}_1 +refuted +erratum", done.stdout), done.stdout[-3000:]
        assert re.search(rf"scan\.a_md\.ex2\.l{line}_1_corrected +proved +pass", done.stdout), done.stdout[-3000:]
    # a perturbed draft (the product's factors swapped in the printed side, not in the Jacobian) fails
    (drafts / "scan_a_md_l13_1.py").write_text(product.replace("(W[k].T @ D[k + 1])", "(D[k + 1] @ W[k].T)"))
    assert _check(drafts).returncode == 1


MISSING_TERM = r"""# 1 Softmax

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $z \in \mathbb{R}^{K}$ and $y \in \mathbb{R}^{K}$ with $\sum_i y_i = 1$.

$$\hat{y} = \mathrm{softmax}(z)$$

$$L = -\sum_i y_i \log \hat{y}_i$$

A missing term: $$\frac{\partial L}{\partial z} = \hat{y}$$

# 2 Ridge regression

Let $X \in \mathbb{R}^{m \times n}$, $w \in \mathbb{R}^{n}$, $y \in \mathbb{R}^{m}$ and $\lambda \in \mathbb{R}$.

$$E = \|X w - y\|^2 + \lambda \|w\|^2$$

A dropped term: $$\nabla_w E = 2 X^T (X w - y)$$
"""


@pytest.mark.slow
def test_a_missing_term_is_found_as_the_correction_and_the_erratum_checks_with_it(tmp_path):
    """ŷ for ŷ - y (under the label's total, which the engine now uses) and a dropped 2λw: each correction adds a term
    of the section's names, which the scan checks on every instance; λ, a Python keyword, is the parameter lambda_."""
    verdicts, drafts, texts = _draft(tmp_path, MISSING_TERM)
    assert verdicts[11] == "refuted" and verdicts[19] == "refuted"
    assert r"\\frac{\\partial L}{\\partial z} = \\hat{y} - y'" in texts["scan_a_md_l11_1.py"]
    ridge = texts["scan_a_md_l19_1.py"]
    assert r"2 X^T \\left(X w - y\\right) + 2 \\lambda w'" in ridge and "lambda_: Real" in ridge
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for line in (11, 19):
        assert re.search(rf"scan\.a_md\.ex\d\.l{line}_1 +refuted +erratum", done.stdout), done.stdout[-3000:]
        assert re.search(rf"scan\.a_md\.ex\d\.l{line}_1_corrected +proved +pass", done.stdout), done.stdout[-3000:]
    # the correction without its term is the printed step again: it fails
    assert "_mul(_mul(2, lambda_), w)" in ridge
    (drafts / "scan_a_md_l19_1.py").write_text(ridge.replace("_mul(_mul(2, lambda_), w)", "_mul(_mul(1, lambda_), w)"))
    assert _check(drafts).returncode == 1


OPERATOR_NORM = r"""# 1 Norms

Conventions: the norm of a matrix is the operator 2-norm.

For a matrix $M \in \mathbb{R}^{p \times q}$:

An inequality the wrong way (slip): $$\|M\|_F \leq \|M\|$$
"""


@pytest.mark.slow
def test_the_operator_norm_of_a_full_matrix_is_drafted_from_its_gram_matrix_and_the_turned_inequality_proved(tmp_path):
    verdicts, drafts, texts = _draft(tmp_path, OPERATOR_NORM)
    assert verdicts == {7: "refuted"}
    text = texts["scan_a_md_l7_1.py"]
    assert "todo(" not in text and "M: Matrix(Real, 2, 2)" in text and "def _largest_eigenvalue(g):" in text
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"scan\.a_md\.ex1\.l7_1 +refuted +erratum", done.stdout), done.stdout[-3000:]
    assert re.search(r"scan\.a_md\.ex1\.l7_1_corrected +proved +pass", done.stdout), done.stdout[-3000:]
    # the operator norm read as the Frobenius norm (no square root of the largest eigenvalue) makes the slip hold
    (drafts / "scan_a_md_l7_1.py").write_text(text.replace("return _largest_eigenvalue(_gram(m))",
                                                           "return _add(*[v * v for row in m for v in row])"))
    assert _check(drafts).returncode == 1


def test_the_largest_eigenvalue_of_a_gram_matrix_is_the_square_of_the_operator_norm():
    """The closed form against numpy's singular values (an oracle that shares no code with it)."""
    import numpy as np
    from fractions import Fraction

    namespace = {"matmul": lambda a, b: [[sum(x * y for x, y in zip(r, c)) for c in zip(*b)] for r in a],
                 "sqrt": lambda v: float(v) ** 0.5, "Fraction": Fraction}
    from proofs.scan.draft_helpers import HELPERS

    exec(HELPERS, namespace)  # noqa: S102 - the helpers a draft is written with
    rng = np.random.default_rng(7)
    for shape in ((2, 2), (2, 3), (3, 2), (1, 3)):
        m = rng.integers(-4, 5, size=shape)
        want = np.linalg.norm(m.astype(float), 2) ** 2
        got = namespace["_sq"]([[int(v) for v in row] for row in m], "2")
        assert abs(float(got) - want) < 1e-9 * max(1, want), (shape, m)


DEFINITE = r"""# 1 Quadratic forms

Let $S \in \mathbb{R}^{n \times n}$ be a positive definite matrix and $x \in \mathbb{R}^{n}$.

True: $$x^T S x \geq 0$$
"""


@pytest.mark.slow
def test_positive_definiteness_is_a_premise_of_the_draft_and_without_it_the_draft_fails(tmp_path):
    verdicts, drafts, texts = _draft(tmp_path, DEFINITE, 5)
    assert verdicts == {5: "checked"}
    text = texts["scan_a_md_l5_1.py"]
    assert "implies((_definite(S)), _holds(lambda: (_mul(_t(x), S, x), 0), '>='))" in text
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"scan\.a_md\.ex1\.l5_1_n2 +proved +pass", done.stdout), done.stdout[-3000:]
    (drafts / "scan_a_md_l5_1.py").write_text(text.replace("implies((_definite(S)), ", "implies((_eq(S, S)), "))
    assert _check(drafts).returncode == 1
