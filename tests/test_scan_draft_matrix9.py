"""scan --draft-claims on the matrix slips a small change of the printed step did not correct: a missing factor (a
derivative of the section's function, a diagonal the section names, a number on one term, a norm, a square), a
transposed gradient through a recurrence (sides of different shapes), a gradient printed as the sum of its entries."""

import re

import pytest

from test_scan_draft_matrix import _check
from test_scan_draft_matrix import _draft as drafted

from proofs.scan.draft_repairs import _unsummed, _vocabulary, factors_added, latex
from proofs.scan.matrices import Node, read
from proofs.scan.shapes import Model


def _model(**equations):
    model = Model()
    for letter, (pattern, body) in equations.items():
        model.equations[letter] = [(pattern, read(body))]
    return model


def _shown(left, right, model, names=(), relation="="):
    return [(latex(item[0]), item[2]) + ((latex(item[3]),) if len(item) > 3 else ())
            for item in factors_added(read(left), relation, read(right), model, list(names))]


def test_the_derivative_of_the_sections_function_is_a_candidate_factor_at_each_place():
    model = _model(z=(None, r"W_1 x"), h=(None, r"\phi(z)"))
    found = _shown(r"\frac{\partial L}{\partial z}", r"W_2^T (\hat{y} - y)", model)
    assert ("\\phi'(z) \\odot W_{2}^T \\left(\\hat{y} - y\\right)", "the factor phi' ⊙ missing") in found
    assert any(text.startswith("\\mathrm{Diag}(\\phi'(z))") for text, _ in found)
    # no gradient printed: no derivative is a candidate
    assert not any("phi'" in text for text, _ in _shown(r"E", r"W_2^T y", model))


def test_the_logistic_functions_derivative_is_also_tried_as_the_material_writes_it_through_h():
    model = _model(h=(None, r"\sigma(W x)"))
    found = [text for text, _ in _shown(r"\frac{\partial f}{\partial x}", r"W^T (v \odot h)", model)]
    assert "W^T \\left(\\left(1 - h\\right) \\odot \\left(v \\odot h\\right)\\right)" in found


def test_a_diagonal_the_recurrence_names_is_put_in_at_each_place_of_the_product():
    import sympy

    k = sympy.Symbol("k", integer=True)
    model = Model()
    model.equations["D"] = [(k + 1, Node("Diag", (read(r"\phi'(z)"),)))]
    found = [text for text, _ in _shown(r"\frac{\partial l}{\partial h_t}", r"W_t^T \frac{\partial l}{\partial h_{t+1}}", model)]
    assert "W_{t}^T D_{t + 1} \\frac{\\partial l}{\\partial h_{t + 1}}" in found
    assert "D_{t} W_{t}^T \\frac{\\partial l}{\\partial h_{t + 1}}" in found  # each index the side reads


def test_a_number_on_one_term_a_norm_and_a_square_are_candidates():
    found = _shown(r"E", r"w^T X^T X w - y^T X w + y^T y", Model())
    assert ("w^T X^T X w - 2 y^T X w + y^T y", "one term times 2") in found
    bound = _shown(r"\|M a\|", r"\|a\|", Model(), relation="<=")
    assert ("\\|M\\| \\|a\\|", "the factor \\|M\\| missing") in bound
    root = _shown(r"\|M\|_F", r"\operatorname{tr}(M^T M)", Model())
    assert ("\\operatorname{tr}(M^T M)", "the left side squared (a missing square root)", "\\|M\\|_F^2") in root
    over = _shown(r"E", r"X^T y", Model(), names=[read("N")])
    assert ("\\frac{X^T y}{N}", "the right side over N") in over


def test_a_sum_of_entries_is_replaced_by_the_vector_of_its_terms():
    assert [latex(r) for r in _unsummed(read(r"\sum_i (\hat{y}_i - y_i)"))] == ["\\hat{y} - y"]
    assert list(_unsummed(read(r"\sum_i (\hat{y}_i - y_j)"))) == []  # a term at another index: not a vector of terms


def test_a_declared_vector_read_only_by_its_entries_is_a_name_of_the_section():
    class Step:
        exprs = (read(r"\frac{\partial L}{\partial x}"), read(r"W^T \hat{y}"))

    model = Model()
    model.kinds.update({"y": "vector", "W": "matrix", "x": "vector"})
    model.equations["L"] = [(None, read(r"-\sum_i y_i \log \hat{y}_i"))]
    assert "y" in [str(n) for n in _vocabulary(Step(), model)]


MATERIAL = r"""# 1 A two-layer network

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $x \in \mathbb{R}^{n}$, $W_1 \in \mathbb{R}^{m \times n}$, $W_2 \in \mathbb{R}^{k \times m}$ and $y \in \mathbb{R}^{k}$.

$$z = W_1 x$$

$$h = \phi(z)$$

$$\hat{y} = W_2 h$$

$$L = \frac{1}{2} \|\hat{y} - y\|^2$$

A missing derivative: $$\frac{\partial L}{\partial z} = W_2^T (\hat{y} - y)$$

# 2 A recurrent network

Conventions: a gradient has the shape of the variable, vectors are columns.

The hidden states $h_t$ are vectors. For each step,

$$z_{t+1} = W_t h_t + V_t x_{t+1}$$

$$h_{t+1} = \phi(z_{t+1})$$

and we write $D_{k+1} = \text{Diag}(\phi'(z_{k+1}))$. The loss $l$ depends on the last state $h_T$.

A transposed gradient: $$\frac{\partial l}{\partial h_t} = \left(\frac{\partial l}{\partial h_{t+1}}\right)^T D_{t+1} W_t$$

A missing diagonal: $$\frac{\partial l}{\partial h_t} = W_t^T \frac{\partial l}{\partial h_{t+1}}$$

# 3 Least squares

Let $X \in \mathbb{R}^{m \times n}$, $w \in \mathbb{R}^{n}$ and $y \in \mathbb{R}^{m}$, and

$$E = \|X w - y\|^2$$

A missing 2 on one term: $$E = w^T X^T X w - y^T X w + y^T y$$

# 4 Norms

Conventions: the norm of a matrix is the operator 2-norm.

For a matrix $M \in \mathbb{R}^{p \times q}$ and a vector $a \in \mathbb{R}^{q}$:

A missing norm: $$\|M a\| \leq \|a\|$$

A missing square root: $$\|M\|_F = \operatorname{tr}(M^T M)$$

# 5 A sigmoid layer

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{m \times n}$, $v \in \mathbb{R}^{m}$ and, with the logistic function $\sigma$ acting on each entry,

$$h = \sigma(W x)$$

$$f = v^T h$$

A missing 1 - h: $$\frac{\partial f}{\partial x} = W^T (v \odot h)$$

# 6 Softmax regression

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{K \times n}$ and a label $y \in \mathbb{R}^{K}$ with $\sum_i y_i = 1$.

$$z = W x$$

$$\hat{y} = \mathrm{softmax}(z)$$

$$L = -\sum_i y_i \log \hat{y}_i$$

A missing term: $$\frac{\partial L}{\partial x} = W^T \hat{y}$$

A sum for a vector: $$\frac{\partial L}{\partial z} = \sum_i (\hat{y}_i - y_i)$$
"""

SLIPS = {"derivative": "A missing derivative", "transposed": "A transposed gradient", "diagonal": "A missing diagonal",
         "two": "A missing 2", "norm": "A missing norm", "root": "A missing square root", "sigmoid": "A missing 1 - h",
         "term": "A missing term", "sum": "A sum for a vector"}
LINES = {key: 1 + MATERIAL.splitlines().index(next(x for x in MATERIAL.splitlines() if x.startswith(start)))
         for key, start in SLIPS.items()}
CORRECTED = {
    "derivative": "\\\\frac{\\\\partial L}{\\\\partial z} = \\\\phi'(z) \\\\odot W_{2}^T \\\\left(\\\\hat{y} - y\\\\right)",
    "transposed": "(W[t].T @ D[t + 1].T @ backward(g, J, t + 1, T))",
    "diagonal": "(W[t].T @ D[t + 1] @ backward(g, J, t + 1, T))",
    "two": "E = w^T X^T X w - 2 y^T X w + y^T y",
    "norm": "\\\\|M a\\\\| \\\\leq \\\\|M\\\\| \\\\|a\\\\|",
    "root": "\\\\|M\\\\|_F^2 = \\\\operatorname{tr}(M^T M)",
    "sigmoid": "\\\\left(1 - h\\\\right) \\\\odot \\\\left(v \\\\odot h\\\\right)",
    "term": "W^T \\\\left(\\\\hat{y} - y\\\\right)",
    "sum": "\\\\frac{\\\\partial L}{\\\\partial z} = \\\\hat{y} - y",
}


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """One scan of the material, drafting every slip, and one check of the drafts."""
    tmp = tmp_path_factory.mktemp("drafts9")
    verdicts, folder, texts = drafted(tmp, MATERIAL)[1:]
    return verdicts, folder, texts, _check(folder)


def _file(line):
    return f"scan_a_md_l{line}_1.py"


@pytest.mark.slow
def test_every_slip_is_drafted_whole_with_its_correction_and_checks_green(drafts):
    verdicts, folder, texts, done = drafts
    assert all(verdicts[line] == "refuted" for line in LINES.values()), verdicts
    for key, line in LINES.items():
        text = texts[_file(line)]
        assert "todo(" not in text, (key, text[:400])
        assert CORRECTED[key] in text, (key, text[-1500:])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for key, line in LINES.items():
        assert re.search(rf"scan\.a_md\.ex\d\.l{line}_1 +refuted +erratum", done.stdout), (key, done.stdout[-3000:])
        assert re.search(rf"scan\.a_md\.ex\d\.l{line}_1_corrected +proved +pass", done.stdout), (key, done.stdout[-3000:])


@pytest.mark.slow
def test_the_transposed_recurrence_gradient_is_the_printed_step_at_the_scans_instance_with_shapes(drafts):
    verdicts, folder, texts, done = drafts
    text = texts[_file(LINES["transposed"])]
    # the printed right side as printed (a row), at the instance, over matrices of that size
    assert "_mul(_t(_backward(g, J, t + 1, T)), D[t + 1], W[t])" in text
    assert "g: Matrix(Real, 2, 1)" in text and "erratum=Erratum(REASON, 'scan.a_md.ex2." in text
    # the correction is a sized statement for every size and every t, T
    assert "def corrected(t: Nat, T: Nat," in text and "given(t + 1 <= T, backward(g, J, t, T) == " in text


def _perturbed(tmp_path, texts, line, old, new):
    """A folder holding only the draft of `line` with `old` replaced by `new`; the check's exit code."""
    text = texts[_file(line)]
    assert old in text, (old, text[-2000:])
    folder = tmp_path / "perturbed"
    folder.mkdir()
    (folder / _file(line)).write_text(text.replace(old, new))
    return _check(folder).returncode


@pytest.mark.slow
@pytest.mark.parametrize("key, old, new", [
    # the printed row written as the column: the erratum then holds, which an erratum must not
    ("transposed", "_mul(_t(_backward(g, J, t + 1, T)), D[t + 1], W[t])", "_mul(_t(W[t]), D[t + 1], _backward(g, J, t + 1, T))"),
    # the correction at another index of the diagonal, or in the other order
    ("transposed", "(W[t].T @ D[t + 1].T @ backward(g, J, t + 1, T))", "(W[t].T @ D[t].T @ backward(g, J, t + 1, T))"),
    ("diagonal", "(W[t].T @ D[t + 1] @ backward(g, J, t + 1, T))", "(D[t + 1] @ W[t].T @ backward(g, J, t + 1, T))"),
    # another factor in place of the one found: the correction fails
    ("derivative", "_had(_map(phi.prime, z), ", "_had(_map(phi, z), "),
    ("two", "_mul(2, _mul(_t(y), X, w))", "_mul(3, _mul(_t(y), X, w))"),
    ("norm", "_mul(_norm(M, '2'), _norm(a, '2'))", "_mul(_norm(a, '2'), _norm(a, '2'))"),
    # a sign: the term subtracted added instead
    ("term", "_add(hat_y(z(W, x)), _scale(-1, y))", "_add(hat_y(z(W, x)), y)"),
])
def test_a_perturbed_draft_fails(drafts, tmp_path, key, old, new):
    assert _perturbed(tmp_path, drafts[2], LINES[key], old, new) == 1
