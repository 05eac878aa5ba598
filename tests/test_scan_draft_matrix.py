"""scan --draft-claims on matrix steps: gradients through the forward equations, inverses, I, the checked sizes, and
a refuted step drafted as the literal erratum beside the correction the scan checked."""

import io
import json
import re
from pathlib import Path

import pytest

from conftest import cli
from drafts_shared import audit_drafts, only

from proofs.scan.command import run

MATERIAL = Path(__file__).resolve().parent / "scan_material"

GRADIENT = r"""# 1 One layer

Conventions: a gradient has the shape of the variable, vectors are columns.

Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{m \times n}$ and $y \in \mathbb{R}^{m}$. The layer computes

$$z = W x$$

$$h = \phi(z)$$

$$L = \frac{1}{2} \|h - y\|^2$$

True: $$\frac{\partial L}{\partial W} = \left(\phi'(z) \odot (h - y)\right) x^T$$

True: $$\frac{\partial L}{\partial z} = \phi'(z) \odot (h - y)$$

A transposed gradient: $$\frac{\partial L}{\partial W} = x \left(\phi'(z) \odot (h - y)\right)^T$$

A sign error: $$\frac{\partial L}{\partial z} = \phi'(z) \odot (y - h)$$

A missing factor: $$\frac{\partial L}{\partial z} = h - y$$
"""

ALGEBRA = r"""# 1 Inverses and the identity

For invertible matrices $P$ and $Q$, $(P Q)^{-1} = Q^{-1} P^{-1}$.

For invertible matrices $P$ and $Q$, $(P Q)^{-1} = P^{-1} Q^{-1}$.

For a square matrix $A$, $(A + I)^T = A^T + I$ and $(A + I)^T = A + I$.
"""

W_ONE = r"""# 1 One matrix

Let $W \in \mathbb{R}^{m \times n}$ be a matrix and $x \in \mathbb{R}^{n}$.

True: $$(W_1 x)^T = x^T W_1^T$$

False: $$(W_1 x)^T = x^T W_1$$
"""


def _draft(tmp_path, text, *lines):
    material = tmp_path / "m"
    material.mkdir(exist_ok=True)
    (material / "a.md").write_text(text, encoding="utf-8")
    drafts = tmp_path / "drafts"
    out, err = io.StringIO(), io.StringIO()
    selects = [x for line in lines for x in ("--select", f"a.md:{line}")]
    code = run(["--material", str(material), "--draft-claims", str(drafts), *selects, "--format", "json", "--no-cache"], out, err)
    report = json.loads(out.getvalue())
    verdicts = {s["line"]: s["status"] for s in report["steps"] if s["status"] != "definition"}
    return code, verdicts, drafts, {p.name: p.read_text() for p in drafts.glob("*.py")}


def _check(drafts):
    return cli("check", "scan", "--claims", str(drafts))


# The sizes at which the drafts of the true gradients are checked in every run (drafted at 6 and 8 sizes, the largest
# ones taking the most time): the smallest, and the one where every size is 2.
_GRADIENT_SIZES = ("m1_n1", "m2_n2")


@pytest.mark.slow
def test_gradient_steps_are_drafted_through_the_forward_equations_and_check_green_with_their_corrections(tmp_path, soak):
    code, verdicts, drafts, texts = _draft(tmp_path, GRADIENT, 13, 15)
    assert verdicts == {13: "checked", 15: "checked", 17: "refuted", 19: "refuted", 21: "refuted"}
    true = texts["scan_a_md_l13_1.py"]
    # the forward equations as helpers, as the material writes them; the gradient taken by diff of them
    assert "def z(W, x):\n    # as the material defines it\n    return _mul(W, x)" in true
    assert "def L(h, y):" in true and "phi = Function('phi')" in true
    assert "_grad(L(h(z(W, x)), y), W, 'column')" in true and "denominator layout" in true
    # drafted at the sizes the scan checked, each in the claim's id
    assert "'m1_n1'" in true and "'m2_n2'" in true
    # dL/dz: z a parameter tied to its forward equation
    assert "implies((_eq(z, z_of(W, x)))" in texts["scan_a_md_l15_1.py"]
    # the transposed gradient: the erratum as printed, the transposed side beside it as the correction
    transposed = texts["scan_a_md_l17_1.py"]
    assert "the right side transposed" in transposed
    assert r"\\left(\\phi'(z) \\odot \\left(h - y\\right)\\right) x^T" in transposed
    assert "the sign of" in texts["scan_a_md_l19_1.py"]
    # the missing factor: the derivative of the section's function, put in (tests/test_scan_draft_matrix9.py)
    missing = texts["scan_a_md_l21_1.py"]
    assert "the factor phi' ⊙ missing" in missing and r"\\phi'(z) \\odot \\left(h - y\\right)" in missing
    # the true steps at the sizes of `_GRADIENT_SIZES` (`pytest --soak`: at every size), the errata whole
    true_ids = [f"scan.a_md.ex1.l{line}_1_{size}" for line in (13, 15) for size in _GRADIENT_SIZES]
    errata = [str(drafts / f"scan_a_md_l{line}_1.py") for line in (17, 19, 21)]
    done = cli("check", *(["scan"] if soak else [*true_ids, *errata]), "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for i in true_ids:
        assert re.search(rf"^{re.escape(i)} +proved +pass", done.stdout, re.MULTILINE), (i, done.stdout[-3000:])
    for line in (17, 19, 21):
        assert re.search(rf"scan\.a_md\.ex1\.l{line}_1 +refuted +erratum", done.stdout), done.stdout[-3000:]
        assert re.search(rf"scan\.a_md\.ex1\.l{line}_1_corrected +proved +pass", done.stdout), done.stdout[-3000:]
    # a perturbed draft (the other sign in the printed side, not in the forward equations) fails
    perturbed = [line.replace("_scale(-1, y)", "y") if line.startswith("        return ") else line for line in true.splitlines()]
    assert perturbed != true.splitlines()
    (drafts / "scan_a_md_l13_1.py").write_text("\n".join(perturbed) + "\n")
    for size in _GRADIENT_SIZES:
        assert cli("check", f"scan.a_md.ex1.l13_1_{size}", "--claims", str(drafts)).returncode == 1, size


@pytest.mark.slow
def test_inverses_are_drafted_under_the_premise_that_the_matrices_are_invertible_and_i_at_the_size_it_is_used(tmp_path):
    code, verdicts, drafts, texts = _draft(tmp_path, ALGEBRA, 3, 7)
    assert verdicts == {3: "checked", 5: "refuted", 7: "checked"} or verdicts.get(5) == "refuted", verdicts
    inverse = texts["scan_a_md_l3_1.py"]
    assert "implies((_det(P) != 0) & (_det(Q) != 0)" in inverse and "_inv(_mul(P, Q))" in inverse
    order = texts["scan_a_md_l5_1.py"]
    assert "a product in the other order" in order and "Q^{-1} P^{-1}" in order
    assert re.search(r"'size_of_[pq]2'", inverse) and not re.search(r"'size_of_[pq]3'", inverse)  # (8 entries at most)
    assert "_t(_add(A, _I))" in texts["scan_a_md_l7_1.py"]
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"scan\.a_md\.ex1\.l5_1 +refuted +erratum", done.stdout)
    assert re.search(r"scan\.a_md\.ex1\.l5_1_corrected +proved +pass", done.stdout)
    # without the premise the inverse has no value where the determinant is 0: the draft fails
    (drafts / "scan_a_md_l3_1.py").write_text(inverse.replace("(_det(P) != 0) & (_det(Q) != 0)", "(_det(P) == _det(P))"))
    assert _check(drafts).returncode == 1


def test_a_numbered_name_of_a_matrix_the_material_declares_once_is_skipped_not_read(tmp_path):
    """W_1 where the material declares only "a matrix W": W itself, a member of a family the material never declares,
    or a matrix of its own; the material does not say which, so neither the true nor the false step is decided (reading
    it as a matrix of free shape refuted a true step on shapes; reading it as W checks false steps where W has a
    condition W_1 need not have)."""
    from proofs.material import read
    from proofs.scan.steps import scan_document

    square = W_ONE.replace(r"\mathbb{R}^{m \times n}", r"\mathbb{R}^{n \times n}")
    for text in (W_ONE, square, W_ONE.replace("be a matrix", "be an orthogonal matrix")):
        (tmp_path / "a.md").write_text(text, encoding="utf-8")
        steps = {s.line: s for s in scan_document(read(tmp_path, "a.md"), second_reader=False) if s.status != "definition"}
        for line in (5, 7):
            assert steps[line].status == "skipped" and "W_1 is not declared" in steps[line].reason, (text, steps[line])


def test_a_correction_is_kept_only_where_the_scan_checks_it():
    """Candidates of a refuted step: the transposed side, the sign, a factor, another order; `repair` keeps the first
    one the scan's own decision checks, and none when a term is missing."""
    from proofs.scan.draft_repairs import candidates, latex, pushed
    from proofs.scan.matrices import read

    right = read(r"2 (X w - y)^T X")
    left = read(r"\nabla_w E")
    found = [(latex(r), rel, what) for r, rel, what in candidates(left, "=", right, {"shapes_only": True})]
    assert found[0] == ("2 X^T \\left(X w - y\\right)", "=", "the right side transposed (the other layout)")
    assert all(rel == "=" for _, rel, _ in found)  # no inequality for a counterexample of shapes
    values = [(latex(r), rel) for r, rel, _ in candidates(left, "=", read("X^T (X w - y)"), {"left": "[[12]]", "right": "[[6]]"})]
    assert ("2 X^T \\left(X w - y\\right)", "=") in values and ("-X^T \\left(X w - y\\right)", "=") in values
    assert latex(pushed(read("((A B)^T)^T"))) == "A B"


# The lines of the audit material's drafts that are checked: a true step and the slips of the backpropagation, least
# squares, trace and norm sections; in every run, each section's slips of two kinds or more (`pytest --soak`: all).
_AUDIT_LINES = (19, 25, 27, 29, 31, 35, 71, 73, 75, 77, 79, 93, 95, 103, 105, 107, 121, 123, 125, 129, 131)
_AUDIT_EVERY_RUN = (19, 25, 29, 31, 71, 79, 93, 103, 121, 131)
# The sizes of the true step's draft (line 19, drafted at 18 sizes: a minute of proofs) checked in every run: the
# smallest, and the one where every size is 2 (`pytest --soak`: every size).
_AUDIT_TRUE_SIZES = ("k1_m1_n1", "k2_m2_n2")


@pytest.mark.slow
def test_matrix_audit_drafts_load_and_check_green_where_the_scan_corrects_them(request, tmp_path, soak):
    """The trace, transpose and least-squares slips of the audit material: each drafted as the printed erratum with
    the correction the scan checked beside it, and every draft checks green."""
    drafts = audit_drafts(request)
    assert {f"scan_backprop_md_l{n}_1.py" for n in _AUDIT_LINES} <= {p.name for p in drafts.folder.glob("*.py")}
    keep = {f"scan_backprop_md_l{n}_1.py" for n in (_AUDIT_LINES if soak else _AUDIT_EVERY_RUN)}
    folder = only(drafts, tmp_path / "drafts", *sorted(keep))
    assert {p.name for p in folder.glob("*.py")} == keep
    true = [f"scan.backprop_md.ex1.l19_1_{size}" for size in _AUDIT_TRUE_SIZES]
    slips = [str(folder / name) for name in sorted(keep - {"scan_backprop_md_l19_1.py"})]
    done = cli("check", *(["scan"] if soak else [*true, *slips]), "--claims", str(folder))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert all(re.search(rf"^{re.escape(i)} +proved +pass", done.stdout, re.MULTILINE) for i in true), done.stdout[-3000:]
    errata = re.findall(r"^(scan\.\S+) +refuted +erratum", done.stdout, re.MULTILINE)
    corrected = re.findall(r"^(scan\.\S+)_corrected +proved +pass", done.stdout, re.MULTILINE)
    assert len(errata) == len(keep) - 1 and sorted(errata) == sorted(corrected)


SIZE_AS_NUMBER = r"""# 1 Sums

Let $u \in \mathbb{R}^{q}$.

$$\sum_i (u_i + 1) = \sum_i u_i + q$$

$$\sum_i (u_i + 2) = \sum_i u_i + q$$
"""


@pytest.mark.slow
def test_a_size_the_step_reads_as_a_number_is_that_size_in_each_drafted_claim(tmp_path):
    """q of u in R^q read as a number is the size at each choice drafted, never a real parameter of its own (which
    would refute the true step)."""
    code, verdicts, drafts, texts = _draft(tmp_path, SIZE_AS_NUMBER, 5)
    assert verdicts == {5: "checked", 7: "refuted"}
    assert "q = sizes['q']" in texts["scan_a_md_l5_1.py"] and "q: Real" not in texts["scan_a_md_l5_1.py"]
    assert "    q = 1  # the size" in texts["scan_a_md_l7_1.py"]
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"scan\.a_md\.ex1\.l5_1_q3 +proved +pass", done.stdout)
    assert re.search(r"scan\.a_md\.ex1\.l7_1 +refuted +erratum", done.stdout)


@pytest.mark.slow
def test_an_orthogonal_matrix_is_a_premise_of_the_draft_and_without_it_the_draft_fails(tmp_path):
    text = "# 1 Norms\n\nAn orthogonal matrix $Q$ keeps norms: $\\|Q a\\| = \\|a\\|$.\n"
    code, verdicts, drafts, texts = _draft(tmp_path, text, 3)
    assert verdicts == {3: "checked"}
    kept = texts["scan_a_md_l3_1.py"]
    assert "implies((_eq(_mul(_t(Q), Q), _I))" in kept and "_norm(_mul(Q, a), '2')" in kept
    done = _check(drafts)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    (drafts / "scan_a_md_l3_1.py").write_text(kept.replace("(_eq(_mul(_t(Q), Q), _I))", "(_eq(Q, Q))"))
    assert _check(drafts).returncode == 1
