"""The scan's matrix steps: shapes, matrix algebra on instances, gradients against forward equations, the replay."""

import io
import itertools
import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

from drafts_shared import audit_drafts, matrix_drafts

from proofs.scan.command import run

ROOT = Path(__file__).resolve().parent.parent
MATERIAL = Path(__file__).resolve().parent / "scan_material"
SEED = ROOT.parent / "shared" / "seed"
SHEET = "000_40bb9e3d6bfa7e9d.txt"


def scan_json(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args] + ["--format", "json"], out, err)
    assert "Traceback" not in err.getvalue()
    return code, json.loads(out.getvalue())


def matrix_steps(tmp_path, text, timeout=10.0):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=timeout, second_reader=False)}


def test_true_matrix_material_has_every_step_checked_and_none_refuted(scan_matrix):
    code, report, _ = scan_matrix
    assert code == 0 and report["summary"]["refuted"] == 0 and report["summary"]["unknown"] == 0
    claims = [s for s in report["steps"] if s["status"] != "definition" and s["file"] == "backprop.md"]
    assert len(claims) == 28 and all(s["status"] == "checked" for s in claims), [s for s in claims if s["status"] != "checked"]
    by_text = {s["text"]: s for s in report["steps"]}
    # the sizes each step held at are named
    assert "k = 1..3, m = 1..3" in by_text[r"\frac{\partial L}{\partial W_2} = (\hat{y} - y) h^T"]["reason"]
    # a boxed step is found and checked
    assert by_text[r"\frac{\partial L}{\partial x} = W_1^T \left(\phi'(z) \odot W_2^T (\hat{y} - y)\right)"]["status"] == "checked"


def test_every_planted_matrix_slip_is_refuted(scan_matrix_slips):
    code, report, _ = scan_matrix_slips
    assert code == 1
    refuted = {s["line"]: s for s in report["steps"] if s["status"] == "refuted" and s["file"] == "slips.md"}
    others = [s for s in report["steps"] if s["status"] not in ("refuted", "definition") and s["file"] == "slips.md"]
    assert not others, others
    # a transposed gradient, a missing transpose, a sign error, a product in the wrong order (RNN), a missing transpose
    # (RNN), a missing factor, a product in the wrong order (least squares), a non-cyclic trace permutation, a
    # transposed product in the wrong order, an additive norm, a missing square root
    assert sorted(refuted) == [19, 21, 23, 35, 37, 45, 47, 53, 55, 61, 63]
    assert "the shapes do not fit" in refuted[19]["reason"]                  # shapes are the counterexample
    assert refuted[53]["counterexample"]["values"]["A"]                      # a concrete matrix


def test_each_matrix_counterexample_replays_and_a_holding_instance_does_not():
    from proofs.material import read
    from proofs.scan.matrices import read as read_side
    from proofs.scan.matrix_replay import replay
    from proofs.scan.matrix_steps import MatrixScan
    from proofs.scan.steps import scan_document

    document = read(MATERIAL / "matrix_slips", "slips.md")
    steps = [s for s in scan_document(document, second_reader=False) if s.status == "refuted"]
    assert len(steps) == 11
    # the model of the least-squares section, rebuilt as the scan builds it
    scan = MatrixScan(document.text)
    scan.advance(len(document.text))
    scan.define("E", r"\|X w - y\|^2", 1)
    trace = next(s for s in steps if "tr}(A B C)" in s.text)
    left, right = read_side(trace.left), read_side(trace.right)
    assert replay(left, "=", right, scan.model, trace.counterexample)
    # not a formality: the same instance does not refute the cyclic permutation, which holds
    assert not replay(left, "=", read_side(r"\operatorname{tr}(C A B)"), scan.model, trace.counterexample)
    factor = next(s for s in steps if s.text == r"\nabla_w E = X^T (X w - y)")
    assert replay(read_side(factor.left), "=", read_side(factor.right), scan.model, factor.counterexample)
    assert not replay(read_side(factor.left), "=", read_side("2 X^T (X w - y)"), scan.model, factor.counterexample)


@pytest.mark.skipif(not (SEED / SHEET).is_file(), reason="the seed sheet is not beside the checkout")
def test_the_seed_product_formula_is_refuted_by_the_scan_with_a_concrete_instance(scan_seed):
    from types import SimpleNamespace

    steps = [SimpleNamespace(**s) for s in scan_seed[1]["steps"] if s["line"] in (211, 215)]
    product = next(s for s in steps if s.line == 211)
    assert product.status == "refuted" and product.counterexample["layout"] == "row"
    w = [[Fraction(x) for x in row] for row in product.counterexample["values"]["W_1"]]
    assert w != [list(c) for c in zip(*w)]  # a W that is not symmetric: D W^T and D W differ
    assert "every layout" in product.reason
    assert next(s for s in steps if s.line == 215).status == "refuted"


def test_a_loaded_pack_s_erratum_is_reported_as_that_erratum(scan_seed):
    code, report, _ = scan_seed
    assert code == 0 and report["passed"] is True
    errata = {s["line"]: s["erratum"] for s in report["steps"] if s["status"] == "refuted"}
    assert errata == {211: "ex5.a.gradient_product", 215: "ex5.b.norm_equality"}


def test_an_erratum_matches_only_the_step_its_claim_cites():
    from proofs.scan.errata import apply
    from proofs.scan.steps import Step

    step = Step(file="a.md", line=1, cell=None, text="W x = x W", left="W x", relation="=", right="x W", status="refuted",
                reason="r")
    assert apply([step], [("a.md", "W x = x W", "c.id", "why")])[0].erratum == "c.id"
    assert apply([step], [("b.md", "W x = x W", "c.id", "why")])[0].erratum == ""
    assert apply([step], [("a.md", "U x = x U", "c.id", "why")])[0].erratum == ""


def test_a_step_that_needs_review_and_that_a_pack_records_as_an_erratum_is_acknowledged_as_that_erratum():
    from proofs.scan.errata import apply
    from proofs.scan.report import Report
    from proofs.scan.steps import Step

    step = Step(file="a.md", line=1, cell=None, text="|n| = n", left="|n|", relation="=", right="n", status="needs review",
                reason="r")
    assert not Report("m", ("a.md",), 1, (step,)).passed
    marked = apply([step], [("a.md", "|n| = n", "c.id", "why")])[0]
    assert marked.erratum == "c.id" and marked.status == "needs review" and "c.id" in marked.acknowledged
    assert Report("m", ("a.md",), 1, (marked,)).passed
    unread = Step(file="a.md", line=1, cell=None, text="|n| = n", left="|n|", relation="=", right="n", status="unknown",
                  reason="r")
    assert apply([unread], [("a.md", "|n| = n", "c.id", "why")])[0].erratum == ""


def test_orthogonality_stated_as_an_equation_or_in_words_restricts_the_instances(tmp_path):
    steps = matrix_steps(tmp_path, "A matrix $W$ with $W^T W = I$ keeps norms: $\\|W v\\| = \\|v\\|$.\n\n"
                                   "Let $U$ be a matrix. Then $\\|U v\\| = \\|v\\|$.\n\n"
                                   "Hint: if $Q$ is orthogonal, we have $\\|M Q\\| = \\|M\\|$.\n")
    assert steps["W^T W = I"].status == "skipped"  # a condition ("with"), which holds for what follows
    assert steps[r"\|W v\| = \|v\|"].status == "checked"
    assert steps[r"\|U v\| = \|v\|"].status == "refuted"  # the same step without the condition
    assert steps[r"\|M Q\| = \|M\|"].status == "checked"


def test_a_condition_in_words_the_scan_cannot_attach_makes_a_failing_step_need_review(tmp_path):
    steps = matrix_steps(tmp_path, "If the weights were orthogonal, then $\\|M W\\| = \\|M\\|$.\n")
    step = steps[r"\|M W\| = \|M\|"]
    # never refuted (the condition may exclude the instance), never skipped (it may be wrong): a person looks
    assert step.status == "needs review" and "orthogonal" in step.reason
    assert step.counterexample["values"]["W"]
    # the same wording over a step that holds anyway stays checked
    holds = matrix_steps(tmp_path, "If the weights were orthogonal, then $\\|M^T\\| = \\|M\\|$.\n")
    assert holds[r"\|M^T\| = \|M\|"].status == "checked"


def test_a_matrix_step_under_a_sentence_condition_it_does_not_honour_needs_review(tmp_path):
    steps = matrix_steps(tmp_path, "For $t > 1$ we have $\\|A B\\| = \\|B A\\|$ and $\\|A^T\\| = \\|A\\|$ "
                                   "for every square matrix $A$ and $B$.\n")
    assert steps[r"\|A B\| = \|B A\|"].status == "needs review"
    assert steps[r"\|A B\| = \|B A\|"].counterexample is not None
    assert steps[r"\|A^T\| = \|A\|"].status == "checked"


def test_a_gradient_is_refuted_only_when_every_layout_fails(tmp_path):
    base = ("Let $x \\in \\mathbb{R}^{n}$, $W \\in \\mathbb{R}^{m \\times n}$ and $y \\in \\mathbb{R}^{m}$.\n\n"
            "$$L = \\|W x - y\\|^2$$\n\n")
    steps = matrix_steps(tmp_path, base + "$$\\frac{\\partial L}{\\partial x} = 2 (W x - y)^T W$$\n")
    # a row: the numerator layout, which the notation allows
    assert steps[r"\frac{\partial L}{\partial x} = 2 (W x - y)^T W"].status == "checked"
    assert "numerator layout" in steps[r"\frac{\partial L}{\partial x} = 2 (W x - y)^T W"].reason
    stated = matrix_steps(tmp_path, "A gradient has the shape of the variable.\n\n" + base
                          + "$$\\frac{\\partial L}{\\partial x} = 2 (W x - y)^T W$$\n")
    assert stated[r"\frac{\partial L}{\partial x} = 2 (W x - y)^T W"].status == "refuted"


def test_a_gradient_through_equations_the_material_does_not_write_is_not_refuted(tmp_path):
    steps = matrix_steps(tmp_path, "The states $h_t$ are vectors and $z_t$ is the input to the activation.\n\n"
                                   "$$h_{t+1} = \\phi(z_t)$$\n\n"
                                   "$$\\frac{\\partial l}{\\partial h_t} = \\frac{\\partial l}{\\partial h_{t+1}} W$$\n")
    step = steps[r"\frac{\partial l}{\partial h_t} = \frac{\partial l}{\partial h_{t+1}} W"]
    assert step.status == "skipped"


def test_shapes_declared_in_words_and_products_that_do_not_fit(tmp_path):
    steps = matrix_steps(tmp_path, "For a matrix $A$ and vectors $u$ and $v$: $A u v = v A u$ and $u^T v = v^T u$.\n")
    assert steps["A u v = v A u"].status == "refuted" and "shapes do not fit" in steps["A u v = v A u"].reason
    assert steps["u^T v = v^T u"].status == "checked"


def test_a_number_on_one_side_is_a_fact_the_material_states_not_a_refutation(tmp_path):
    steps = matrix_steps(tmp_path, "For the matrix $D$ assume $\\|D\\| = 1$. Then $\\|D v\\| \\leq \\|v\\|$.\n")
    assert steps[r"\|D\| = 1"].status == "skipped"
    # it relies on ||D|| = 1, stated in words: decided on instances that honour it
    step = steps[r"\|D v\| \leq \|v\|"]
    assert step.status == "checked" and "honouring the stated fact" in step.reason
    # printed as a step ("we have"), the relation is no fact: the step that needs it is never checked on its strength
    printed = matrix_steps(tmp_path, "For the matrix $D$ we have $\\|D\\| = 1$ and so $\\|D v\\| \\leq \\|v\\|$.\n")
    assert printed[r"\|D\| = 1"].status == "skipped"
    assert printed[r"\|D v\| \leq \|v\|"].status == "needs review" and r"\|D\| = 1" in printed[r"\|D v\| \leq \|v\|"].reason
    # a fact that does not make it true: it fails on an instance honouring the fact exactly (no other condition in words)
    wrong = matrix_steps(tmp_path, "For the matrix $D$ assume $\\|D\\| = 2$. Then $\\|D v\\| \\leq \\|v\\|$.\n")
    found = wrong[r"\|D v\| \leq \|v\|"]
    assert found.status == "refuted", found.reason
    d, v = found.counterexample["values"]["D"], Fraction(found.counterexample["values"]["v"])
    assert len(d) == 1 and len(d[0]) == 1  # (a 1 x 1 D: its norm is |D|, and ||D v|| = |D v|)
    assert abs(Fraction(d[0][0])) == 2 and abs(Fraction(d[0][0]) * v) > abs(v)


def test_a_fact_about_every_member_of_a_family_is_honoured_for_each_member_read(tmp_path):
    base = ("Let $h_t \\in \\mathbb{{R}}^n$ and $W_k \\in \\mathbb{{R}}^{{n \\times n}}$. We have $\\|W_k\\| = {}$ "
            "for all layers $k$.\n\n$$\\|h_t\\| \\prod_{{k=t}}^{{T-1}} \\|W_k\\| = \\|h_t\\|$$\n")
    text = r"\|h_t\| \prod_{k=t}^{T-1} \|W_k\| = \|h_t\|"
    assert matrix_steps(tmp_path, base.format(1))[text].status == "checked"
    assert matrix_steps(tmp_path, base.format(2))[text].status == "needs review"


def test_scalar_notation_of_published_solutions(tmp_path):
    steps = matrix_steps(tmp_path, "$$L = \\sum_i (\\phi_0 + \\phi_1 x_i - y_i)^2$$\n\n"
                                   "$$\\boxed{\\frac{\\partial L}{\\partial \\phi_0} = \\sum_i 2(\\phi_0 + \\phi_1 x_i)}$$\n\n"
                                   "The loss is $\\ell(w) = (w - 3)^2$, so $\\frac{\\delta \\ell}{\\delta w} = 2(w - 3)$.\n\n"
                                   "$$\\hat\\theta = \\operatorname*{argmin}_\\theta \\sum_i (y_i - \\theta)^2$$\n\n"
                                   "$$(x + 1)^2 = x^2 + 2x + 1$$\n\n$$\\leq 2x^2 + 2$$\n")
    boxed = steps[r"\frac{\partial L}{\partial \phi_0} = \sum_i 2(\phi_0 + \phi_1 x_i)"]
    assert boxed.status == "refuted"  # the dropped -2 y_i term
    assert steps[r"\frac{\delta \ell}{\delta w} = 2(w - 3)"].status == "proved"
    argmin = steps[r"\hat\theta = \operatorname*{argmin}_\theta \sum_i (y_i - \theta)^2"]
    assert "argmin over a set" in argmin.reason
    assert steps[r"x^2 + 2x + 1 \leq 2x^2 + 2"].status == "checked"  # continued from the display before


# An independent oracle: identities whose truth is fixed when they are built, decided by the scan.
_PERMUTATIONS = list(itertools.permutations("ABC"))


@pytest.mark.parametrize("order", _PERMUTATIONS)
def test_trace_permutations_are_decided_as_their_construction_says(tmp_path, order):
    cyclic = "".join(order) in ("ABC", "BCA", "CAB")
    text = (f"For square matrices $A$, $B$ and $C$ of one size: "
            f"$\\operatorname{{tr}}(A B C) = \\operatorname{{tr}}({' '.join(order)})$.\n")
    step = next(iter(s for s in matrix_steps(tmp_path, text).values() if s.relation == "="))
    assert step.status == ("checked" if cyclic else "refuted"), step.reason


def test_generated_transpose_identities_agree_with_a_plain_oracle(tmp_path):
    """Products of transposes of random shapes: the truth of (X Y)^T = Z is decided by plain list arithmetic on
    random matrices, sharing no code with the scan."""
    rng = random.Random(7)

    def t(m):
        return [list(c) for c in zip(*m)]

    def mm(a, b):
        return [[sum(x * y for x, y in zip(r, c)) for c in zip(*b)] for r in a]

    forms = {"B^T A^T": lambda a, b: mm(t(b), t(a)), "A^T B^T": lambda a, b: mm(t(a), t(b)),
             "(B A)^T": lambda a, b: t(mm(b, a)), "A B": lambda a, b: mm(a, b)}
    for form, plain in forms.items():
        a = [[Fraction(rng.randint(-3, 3)) for _ in range(2)] for _ in range(2)]
        b = [[Fraction(rng.randint(-3, 3)) for _ in range(2)] for _ in range(2)]
        truth = all(t(mm(a, b)) == plain(a, b) for a, b in [(a, b)] + [
            ([[Fraction(rng.randint(-3, 3)) for _ in range(2)] for _ in range(2)],
             [[Fraction(rng.randint(-3, 3)) for _ in range(2)] for _ in range(2)]) for _ in range(5)])
        step = next(s for s in matrix_steps(tmp_path, f"For square matrices $A$ and $B$: $(A B)^T = {form}$.\n").values()
                    if s.relation == "=")
        assert step.status == ("checked" if truth else "refuted"), (form, step.reason)


@pytest.mark.slow
def test_matrix_steps_are_drafted_over_matrix_domains_and_a_true_one_checks_green(request, tmp_path):
    from conftest import cli

    true = matrix_drafts(request)  # the scan of `scan_matrix`, which drafts the steps chosen
    assert true.code == 0, true.stderr
    drafts = true.folder
    written = sorted(p.name for p in drafts.glob("*.py"))
    assert written == ["scan_backprop_md_l69_1.py", "scan_backprop_md_l73_1.py"]
    text = (drafts / "scan_backprop_md_l73_1.py").read_text()
    # the sides as printed, over matrices, with the exercise named
    assert "_tr(_mul(A, B, C)), _tr(_mul(B, C, A))" in text and "Matrix(Real," in text and "(exercise 4)" in text
    done = cli("check", "scan", "--claims", str(drafts))  # the drafts, not the seed pack
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "scan.backprop_md.ex4.l73_1" in done.stdout
    # a refuted matrix step is drafted as the printed erratum, with the correction the scan checked beside it
    slips = tmp_path / "slips"
    run(["--material", str(MATERIAL / "matrix_slips"), str(MATERIAL / "matrix_slips" / "slips.md"), "--draft-claims", str(slips)],
        io.StringIO(), io.StringIO())
    trace = (slips / "scan_slips_md_l53_1.py").read_text()
    # (drafted at the counterexample's sizes: B A C fits only where p = q = r, and p, q, r are the material's own)
    assert "erratum=Correction(REASON, '\\\\operatorname{tr}(A B C) = \\\\operatorname{tr}(C A B)'" in trace, trace[-1500:]
    assert "A: Matrix(Real, 1, 2)" in trace and "a product in the other order" in trace


@pytest.mark.slow
@pytest.mark.parametrize("name", ["backprop.md", "softmax.md"])
def test_each_slip_of_every_kind_is_refuted_and_no_true_step_is(request, name):
    """Issue #23's planted slips (a transposed gradient, a missing transpose, a product in the wrong order, a sign
    error, a missing factor, a non-cyclic trace permutation, an additive norm) in each area they can be written in:
    MLP and RNN backprop, least squares, softmax cross-entropy, traces and transposes, norms; a line that says "slip"
    holds one, every other step holds. (The backpropagation sheet's scan is the one its drafts are made by, shared.)"""
    folder = MATERIAL / "matrix_audit"
    if name == "backprop.md":
        drafts = audit_drafts(request)
        code, report = drafts.code, drafts.report
    else:
        code, report = scan_json("--material", folder, folder / name, "--no-cache")
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    decided = [s for s in report["steps"] if s["status"] != "definition"]
    slips = [s for s in decided if "slip" in lines[s["line"] - 1]]
    held = [s for s in decided if "slip" not in lines[s["line"] - 1]]
    assert code == 1 and len(slips) == {"backprop.md": 31, "softmax.md": 7}[name]
    assert all(s["status"] == "refuted" for s in slips), [(s["line"], s["status"], s["reason"]) for s in slips if s["status"] != "refuted"]
    assert all(s["status"] in ("checked", "proved", "skipped") for s in held), [(s["line"], s["reason"]) for s in held
                                                                                 if s["status"] not in ("checked", "proved")]
    assert sum(s["status"] in ("checked", "proved") for s in held) == {"backprop.md": 18, "softmax.md": 4}[name]



def _m(raw):
    return [[Fraction(x) for x in row] for row in raw]


def _mm(a, b):
    assert len(a[0]) == len(b), "the shapes do not fit"
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def _t(a):
    return [list(c) for c in zip(*a)]


UNDECLARED = r"""# Vectors the material does not declare

## 1 Part

Some identities of vectors.

$$STEP$$
"""


@pytest.mark.parametrize("step, status, plain", [
    # a bold small letter is a vector: the outer product does not commute (it does for numbers)
    (r"\mathbf{x}\mathbf{y}^T = \mathbf{y}\mathbf{x}^T", "refuted", lambda v: _mm(v["x"], _t(v["y"])) != _mm(v["y"], _t(v["x"]))),
    (r"\mathbf{x}^T\mathbf{y} = \mathbf{y}^T\mathbf{x}", "checked", None),
    (r"\boldsymbol{\theta} \mathbf{x}^T = \mathbf{x} \boldsymbol{\theta}^T", "refuted",
     lambda v: _mm(v["theta"], _t(v["x"])) != _mm(v["x"], _t(v["theta"]))),
    # so is a small letter the material transposes
    (r"x y^T = y x^T", "refuted", lambda v: _mm(v["x"], _t(v["y"])) != _mm(v["y"], _t(v["x"]))),
    (r"u^T A v = v^T A u", "refuted", lambda v: _mm(_mm(_t(v["u"]), v["A"]), v["v"]) != _mm(_mm(_t(v["v"]), v["A"]), v["u"])),
    (r"u^T A v = v^T A^T u", "checked", None),
    (r"(x + y)^T (x + y) = x^T x + 2 x^T y + y^T y", "checked", None),
])
def test_a_bold_or_transposed_small_letter_is_a_vector_not_a_number(tmp_path, step, status, plain):
    s = matrix_steps(tmp_path, UNDECLARED.replace("STEP", step))[step]
    assert s.status == status, s.reason
    if plain is not None:
        assert plain(_values(s.counterexample)), s.counterexample  # the counterexample, evaluated plainly


def _values(example):
    return {k: _m(v) for k, v in example["values"].items() if isinstance(v, list)}


def test_a_symmetric_greek_matrix_is_attached_its_condition(tmp_path):
    text = (r"# S" "\n\n## 1 Part\n\n"
            r"Take $\Sigma \in \mathbb{R}^{d \times d}$. The matrix $\Sigma$ is symmetric. Let $x \in \mathbb{R}^{d}$ and "
            r"$y \in \mathbb{R}^{d}$. Then $x^\top \Sigma y = y^\top \Sigma x$ and $x^\top \Sigma y = 2 y^\top \Sigma x$."
            "\n\n## 2 Part\n\n"
            r"Let $x \in \mathbb{R}^{d}$ and $y \in \mathbb{R}^{d}$. Then $x^\top \Sigma y = y^\top \Sigma x$." "\n")
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    found = [s for s in scan_document(read(tmp_path, "a.md"), second_reader=False) if s.status != "definition"]
    assert [s.status for s in found] == ["checked", "refuted", "refuted"], [s.reason for s in found]
    # an undeclared \Sigma is a matrix (as an undeclared A is), symmetric only where the material says so
    v = _values(found[2].counterexample)
    assert _mm(_mm(_t(v["x"]), v["Sigma"]), v["y"]) != _mm(_mm(_t(v["y"]), v["Sigma"]), v["x"])


RECTANGULAR = r"""# Rectangular

## 1 Part

Let $A \in \mathbb{R}^{m \times n}$ and $B \in \mathbb{R}^{n \times m}$.

$$STEP$$
"""


@pytest.mark.parametrize("step, status", [
    (r"\mathrm{tr}(A B) = \mathrm{tr}(B A)", "checked"),
    (r"(A B)^T = B^T A^T", "checked"),
    # true only where m = n: two sizes the material names are not made one to fit a step
    (r"(A B)^{-1} = B^{-1} A^{-1}", "refuted"),
    (r"\mathrm{tr}(A) = \mathrm{tr}(A^T)", "refuted"),
    (r"\mathrm{tr}(A A) = \mathrm{tr}(A^T A^T)", "refuted"),
])
def test_sizes_the_material_names_stay_apart(tmp_path, step, status):
    s = matrix_steps(tmp_path, RECTANGULAR.replace("STEP", step))[step]
    assert s.status == status, s.reason
    if status == "refuted":
        sizes = s.counterexample["sizes"]
        assert sizes["m"] != sizes["n"] and "the shapes do not fit" in s.reason


UPDATE = r"""# An update

## 1 Part

Let $W \in \mathbb{R}^{m \times n}$, $x \in \mathbb{R}^{n}$ and $y \in \mathbb{R}^{m}$, and $L = \frac{1}{2}\|W x - y\|^2$.

$$\Delta W = -\eta \frac{\partial L}{\partial W}$$

$$STEP$$
"""


def _residual(v):
    return [[a - b for a, b in zip(p, q)] for p, q in zip(_mm(v["W"], v["x"]), v["y"])]


def _scaled(k, a):
    return [[k * e for e in row] for row in a]


@pytest.mark.parametrize("step, status, printed", [
    (r"\Delta W = -\eta (W x - y) x^T", "checked", None),
    # a transposed gradient (the layout is the variable's), a sign
    (r"\Delta W = -\eta x (W x - y)^T", "refuted", lambda v, eta: _scaled(-eta, _mm(v["x"], _t(_residual(v))))),
    (r"\Delta W = \eta (W x - y) x^T", "refuted", lambda v, eta: _scaled(eta, _mm(_residual(v), _t(v["x"])))),
])
def test_a_change_written_with_delta_is_a_name_the_material_defines(tmp_path, step, status, printed):
    text = UPDATE.replace("## 1 Part", "A gradient has the shape of the variable.\n\n## 1 Part").replace("STEP", step)
    found = matrix_steps(tmp_path, text)
    defined = found[r"\Delta W = -\eta \frac{\partial L}{\partial W}"]
    assert defined.status == "definition", defined.reason  # not a product of \Delta and W, refuted
    s = found[step]
    assert s.status == status, s.reason
    if printed is not None:  # the counterexample, evaluated plainly: the true update differs from the printed one
        v, eta = _values(s.counterexample), Fraction(s.counterexample["values"]["eta"])
        assert printed(v, eta) != _scaled(-eta, _mm(_residual(v), _t(v["x"])))


RECURRENCE = r"""# Backpropagation through time

A gradient has the shape of the variable.

## 1 Part

Let $h_t \in \mathbb{R}^{n}$, $x_t \in \mathbb{R}^{d}$, $W \in \mathbb{R}^{n \times n}$ and $U \in \mathbb{R}^{n \times d}$, for an
activation function $\phi$ applied to each entry.

$$z_{t+1} = W h_t + U x_{t+1}$$

$$h_{t+1} = \phi(z_{t+1})$$

$$STEP$$
"""


@pytest.mark.parametrize("printed, status", [
    (r"W^T \left(\phi'(z_{t+1}) \odot \frac{\partial l}{\partial h_{t+1}}\right)", "checked"),
    (r"W^T \mathrm{diag}(\phi'(z_{t+1})) \frac{\partial l}{\partial h_{t+1}}", "checked"),
    (r"W \left(\phi'(z_{t+1}) \odot \frac{\partial l}{\partial h_{t+1}}\right)", "refuted"),           # a missing transpose
    (r"\mathrm{diag}(\phi'(z_{t+1})) W^T \frac{\partial l}{\partial h_{t+1}}", "refuted"),            # the wrong order
    (r"W^T \frac{\partial l}{\partial h_{t+1}}", "refuted"),                                           # a missing factor
])
def test_a_recurrence_through_a_state_the_step_also_reads(tmp_path, printed, status):
    # z_{t+1} is computed from h_t, which the step reads: it is not an input of the recurrence (drawn freely, it
    # left l independent of h_t and every step skipped); h_t declared once declares every member
    step = r"\frac{\partial l}{\partial h_t} = " + printed
    s = matrix_steps(tmp_path, RECURRENCE.replace("STEP", step), timeout=120)[step]
    assert s.status == status, s.reason
    if status == "refuted":
        assert "phi'(" in str(s.counterexample["values"]) or "phi(" in str(s.counterexample["values"])


def test_a_recurrence_of_matrices_through_a_loss_the_material_leaves_undefined(tmp_path):
    text = RECURRENCE.replace(r"$h_t \in \mathbb{R}^{n}$, $x_t \in \mathbb{R}^{d}$", r"$H_t \in \mathbb{R}^{n \times b}$")
    text = text.replace(r" and $U \in \mathbb{R}^{n \times d}$", "").replace("$$z_{t+1} = W h_t + U x_{t+1}$$\n\n", "")
    text = text.replace(r"h_{t+1} = \phi(z_{t+1})", r"H_{t+1} = \phi(W H_t)")
    for printed, status in ((r"W^T \left(\phi'(W H_t) \odot \frac{\partial l}{\partial H_{t+1}}\right)", "checked"),
                            (r"W \left(\phi'(W H_t) \odot \frac{\partial l}{\partial H_{t+1}}\right)", "refuted")):
        step = r"\frac{\partial l}{\partial H_t} = " + printed
        s = matrix_steps(tmp_path, text.replace("STEP", step), timeout=120)[step]
        assert s.status == status, s.reason
        # (l is the entries of the given dl/dH_T times those of H_T: a number at every b, not a b x b matrix)
        assert status == "refuted" or "b = 1..3" in s.reason


SAMPLES = r"""# Samples

## 1 Part

Let $x_i \in \mathbb{R}^{d}$ and $w \in \mathbb{R}^{d}$.

$$STEP$$
"""


@pytest.mark.parametrize("step, status", [
    (r"\sum_{i=1}^{3} (w^T x_i)^2 = w^T \left(\sum_{i=1}^{3} x_i x_i^T\right) w", "checked"),
    (r"\sum_{i=1}^{3} (w^T x_i)^2 = w^T \left(\sum_{i=1}^{3} x_i^T x_i\right) w", "refuted"),  # inner for outer
])
def test_a_family_declared_at_a_letter_index_is_a_family_of_vectors(tmp_path, step, status):
    # x_i in R^d declares every sample x_1, x_2, ... a vector; inside the sum x_i is a member, not entry i of x
    s = matrix_steps(tmp_path, SAMPLES.replace("STEP", step))[step]
    assert s.status == status, s.reason
    if status == "refuted":
        v = _values(s.counterexample)
        xs, w = [v[f"x_{i}"] for i in (1, 2, 3)], v["w"]
        left = sum(_mm(_t(w), x)[0][0] ** 2 for x in xs)
        right = sum(_mm(_t(x), x)[0][0] for x in xs) * _mm(_t(w), w)[0][0]
        assert len(w) == 2 and left != right
