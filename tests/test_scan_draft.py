"""scan --draft-claims: a finding becomes a reviewed claim in one command, and the draft checks green as written."""

import io
import re
from pathlib import Path

import pytest

from conftest import cli
from drafts_shared import slips_drafts

from proofs.anchors import verify
from proofs.registry import load
from proofs.scan.command import run

MATERIAL = Path(__file__).resolve().parent / "scan_material"


def scan(*args):
    out, err = io.StringIO(), io.StringIO()
    return run([str(a) for a in args], out, err), out.getvalue(), err.getvalue()


def test_drafts_for_planted_slips_check_green_as_written(request):
    shared = slips_drafts(request)
    code, err, drafts = shared.code, shared.stderr, shared.folder
    assert code == 1, err  # the slips still fail the scan's gate
    written = sorted(p.name for p in drafts.glob("*.py"))
    assert written == ["scan_momentum_ipynb_l3_1.py", "scan_slips_md_l11_1.py", "scan_slips_md_l13_1.py", "scan_slips_md_l4_1.py",
                       "scan_slips_md_l7_1.py", "scan_slips_md_l9_1.py", "scan_slips_tex_l5_1.py", "scan_slips_tex_l7_1.py",
                       "scan_slips_tex_l9_1.py"]
    lost_factor = (drafts / "scan_slips_md_l7_1.py").read_text()
    assert "cites=('slips.md', '\\\\frac{\\\\partial}{\\\\partial w} (wx - y)^2 = 2(wx - y)')" in lost_factor
    assert "erratum=Correction(" in lost_factor and "lost a factor x" in lost_factor
    assert "return diff((w*x - y)**2, w) == " in lost_factor  # the derivative as printed, not taken by the scan
    assert "return diff(tanh(z), z) == " in (drafts / "scan_slips_md_l9_1.py").read_text()
    done = cli("check", "scan", "--claims", str(drafts))  # the drafts, not the seed pack
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    # each draft cites the material where the step is
    claims = [c for c in load([drafts]).claims if c.id.startswith("scan.")]
    assert len(claims) == 17
    assert all(r["found"] for c in claims for r in verify(c.anchors, MATERIAL / "slips"))
    errata = re.findall(r"^(scan\.\S+) +refuted +erratum", done.stdout, re.MULTILINE)
    corrected = re.findall(r"^(scan\.\S+)_corrected +proved +pass", done.stdout, re.MULTILINE)
    assert len(errata) == 8 and sorted(errata) == sorted(corrected)
    assert re.search(r"scan\.slips_md\.ex1\.e\.l13_1 +proved +pass", done.stdout)  # the selected correct step: exercise 1, part (e)


def test_a_slip_without_an_evident_correction_is_drafted_unfinished_and_fails_until_finished(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text("A wrong claim: $\\tanh(x) = x$.\n")
    drafts = tmp_path / "drafts"
    code, _, _ = scan("--material", material, "--draft-claims", drafts)
    assert code == 1
    (draft,) = drafts.glob("*.py")
    text = draft.read_text()
    assert "UNFINISHED" in text and "todo(" in text and "# TODO: finish this claim" in text
    done = cli("check", "scan", "--claims", str(drafts))  # the drafts, not the seed pack
    assert done.returncode == 1 and "todo" in (done.stdout + done.stderr).lower()


def test_a_draft_never_overwrites_a_file(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "scan_slips_md_l4_1.py").write_text("# reviewed by hand\n")
    code, _, err = scan("--material", MATERIAL / "slips", "--draft-claims", drafts)
    assert code == 4 and "exists" in err
    assert (drafts / "scan_slips_md_l4_1.py").read_text() == "# reviewed by hand\n"


def test_select_names_a_step_or_is_a_usage_error(tmp_path):
    code, _, err = scan("--material", MATERIAL / "slips", "--draft-claims", tmp_path / "d", "--select", "nowhere:99")
    assert code == 4 and "names no step" in err


def test_a_json_report_on_standard_output_stays_one_document_when_drafting(request):
    shared = slips_drafts(request)  # the report is read from standard output as one JSON document
    assert shared.code == 1 and shared.report["schema"] == "proofs-scan/1" and "drafted" in shared.stderr


def test_a_draft_is_never_written_through_a_link_and_a_refused_run_writes_none(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    outside = tmp_path / "outside.py"
    (drafts / "scan_slips_md_l9_1.py").symlink_to(outside)  # dangling, named like a later draft
    code, _, err = scan("--material", MATERIAL / "slips", "--draft-claims", drafts)
    assert code == 4 and "scan_slips_md_l9_1.py exists" in err
    assert not outside.exists()
    assert sorted(p.name for p in drafts.iterdir()) == ["scan_slips_md_l9_1.py"]  # the drafts before it are not written


def test_a_link_or_file_appearing_at_a_draft_path_is_refused_and_what_was_made_is_removed(tmp_path, monkeypatch):
    from proofs.errors import UsageError
    from proofs.scan import draft

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    outside = tmp_path / "outside.py"
    real = draft._create

    def racing(path, data):  # an entry appears at the second path after the check for existing entries
        if path.name == "scan_slips_md_l7_1.py":
            path.symlink_to(outside)
        return real(path, data)

    monkeypatch.setattr(draft, "_create", racing)
    code, _, err = scan("--material", MATERIAL / "slips", "--draft-claims", drafts)
    assert code == 4 and "exists" in err
    assert not outside.exists() and sorted(p.name for p in drafts.iterdir()) == ["scan_slips_md_l7_1.py"]
    assert (drafts / "scan_slips_md_l7_1.py").is_symlink()
    with pytest.raises(UsageError, match="exists"):
        real(drafts / "scan_slips_md_l7_1.py", b"x")
    assert not outside.exists()


SUMS = r"""# Least squares by hand

## 1 The intercept

For data $x_i$ and $y_i$, the loss is $E = \sum_i (a + b x_i - y_i)^2$. Then

$$\frac{\partial E}{\partial a} = \sum_i (a + b x_i - y_i)$$

$$\frac{\partial E}{\partial b} = \sum_i 2 x_i (a + b x_i - y_i)$$

$$\sum_i (x_i + y_i)^2 = \sum_i x_i^2 + \sum_i y_i^2$$
"""


def test_a_step_with_sums_is_drafted_for_every_length_and_checks_as_the_scan_decided(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text(SUMS, encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, out, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:9", "--format", "json")
    assert code == 1, err
    import json

    decided = {s["line"]: s["status"] for s in json.loads(out)["steps"] if s["status"] != "definition"}
    assert decided == {7: "refuted", 9: "proved", 11: "refuted"}
    for draft in drafts.glob("*.py"):
        text = draft.read_text()
        assert "n: IntRange(1, None)" in text and "x: Indexed(Real)" in text and "summation(lambda i:" in text
        assert "drafted at" not in text  # not at one length
    assert "fix = 1 adds what it is missing: 2*summation(lambda i: x[i]*y[i], 1, n)" in (drafts / "scan_a_md_l11_1.py").read_text()
    # each side as printed: E a helper defined once, as the material defines it; the derivative diff(...) of it
    for line, variable in ((7, "a"), (9, "b")):
        text = (drafts / f"scan_a_md_l{line}_1.py").read_text()
        assert text.count("def E(n, a, b, x, y):") == 1
        assert "    return summation(lambda i: (a + b*x[i] - y[i])**2, 1, n)" in text
        assert f"return diff(E(n, a, b, x, y), {variable}) == " in text
    assert "2*a + 2*b*x[i]" not in (drafts / "scan_a_md_l7_1.py").read_text()  # not the derivative taken by the scan
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    # as the scan decided: the refuted steps are errata whose corrections are proved, the true one is proved
    assert re.search(r"scan\.a_md\.ex1\.l7_1 +refuted +erratum", done.stdout)
    assert re.search(r"scan\.a_md\.ex1\.l11_1 +refuted +erratum", done.stdout)
    assert re.search(r"scan\.a_md\.ex1\.l7_1_corrected +proved +pass", done.stdout)
    assert re.search(r"scan\.a_md\.ex1\.l9_1 +proved +pass", done.stdout)
    # for every length: the printed step fails at one term already, which a draft at a fixed length would not show
    assert re.search(r"counterexample: n = \d", done.stdout)


def test_a_derivative_with_respect_to_an_entry_is_drafted_as_the_scan_takes_it_and_says_so(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text(SUMS.split("Then")[0] + "Then\n\n$$\\frac{\\partial E}{\\partial x_j} = 2 b (a + b x_j - y_j)$$\n",
                                   encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:7")
    assert code == 0, err
    text = (drafts / "scan_a_md_l7_1.py").read_text()
    assert "with respect to the entry x[j]" in text and "diff(" not in text.split("@forall")[1]
    assert "def E(" not in text


def test_printed_sides_that_do_not_agree_with_the_sides_checked_are_not_drafted():
    import sympy

    from proofs.scan.draft_sums import printed_sides
    from proofs.scan.steps import Step

    a, b, E = sympy.symbols("a b E", real=True)
    x = sympy.IndexedBase("x")
    i, n = sympy.Symbol("i", integer=True), sympy.Symbol("#i", real=True)
    body = sympy.Sum((a + b * x[i]) ** 2, (i, 1, n))
    checked = (sympy.Sum(2 * (a + b * x[i]), (i, 1, n)), sympy.Sum(a + b * x[i], (i, 1, n)))
    shown = (sympy.Derivative(E, a, evaluate=False), checked[1], ((E, body),))
    step = Step(file="a.md", line=1, cell=None, text="", left="", relation="=", right="", status="refuted", reason="",
                exprs=checked, printed=shown)
    assert printed_sides(step) == shown
    perturbed = (sympy.Derivative(E, b, evaluate=False), checked[1], ((E, body),))  # not the derivative checked
    assert printed_sides(Step(**{**step.__dict__, "printed": perturbed})) is None
    other = (shown[0], checked[1], ((E, sympy.Sum((a - b * x[i]) ** 2, (i, 1, n))),))  # another definition
    assert printed_sides(Step(**{**step.__dict__, "printed": other})) is None


def test_a_draft_of_a_file_whose_name_starts_with_a_digit_loads(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "000_notes.md").write_text("# 1 Slips\n\nA wrong claim: $(x + 1)^2 = x^2 + 1$.\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts)
    assert code == 1, err
    ids = sorted(c.id for c in load([drafts]).claims if c.id.startswith("scan."))
    assert ids == ["scan.file_000_notes_md.ex1.l3_1", "scan.file_000_notes_md.ex1.l3_1_corrected"]


def test_a_variable_only_the_printed_derivative_names_is_a_parameter_of_the_draft(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text("# 1 Slope\n\n$$\\frac{\\partial}{\\partial a} \\sum_i a x_i = \\sum_i x_i$$\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:3")
    assert code == 0, err
    text = (drafts / "scan_a_md_l3_1.py").read_text()
    assert "def claim(n: IntRange(1, None), a: Real, x: Indexed(Real)):" in text
    assert "return diff(summation(lambda i: a*x[i], 1, n), a) == summation(lambda i: x[i], 1, n)" in text
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0 and re.search(r"scan\.a_md\.ex1\.l3_1 +proved +pass", done.stdout), done.stdout[-2000:]


def test_an_unfinished_draft_defines_the_helpers_its_sides_call(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text("# 1 Variance\n\n$\\bar x = \\frac{1}{n}\\sum_{i=1}^n x_i$ and "
                                   "$\\frac{1}{n}\\sum_{i=1}^n (x_i - \\bar x)^2 = \\frac{1}{n}\\sum_{i=1}^n x_i^2 + \\bar x^2$.\n",
                                   encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts)
    assert code == 1, err
    (draft,) = drafts.glob("*.py")
    text = draft.read_text()
    assert "UNFINISHED" in text and text.count("def bar_x(n, x):") == 1
    assert "return (1/n)*summation(lambda i: (x[i] - bar_x(n, x))**2, 1, n) == " in text  # as printed
    compile(text, str(draft), "exec")
    assert text.index("def bar_x(n, x):") < text.index("def claim(")


FUNCTIONS = r"""# 1 Functions

Let $f(w) = w^2 + 1$ and $g(x, y) = x y + 1$, and define $J(w) := (w - 3)^2$.

(a) Then $f(2) = 5$ and $f'(w) = 2w$, and $g(1, 2) = 3$.

(b) The slope is $\frac{d J}{d w} = 2(w - 3)$.

(c) A slip: $f(3) = 11$, and another: $\frac{d J}{d w} = 2(w + 3)$.
"""


def test_a_function_the_material_defines_is_drafted_as_a_helper_and_each_step_as_printed(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text(FUNCTIONS, encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, out, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:5", "--select", "a.md:7",
                          "--format", "json")
    assert code == 1, err
    import json

    verdicts = {s["text"]: s["status"] for s in json.loads(out)["steps"] if s["status"] != "definition"}
    assert verdicts == {"f(2) = 5": "proved", "f'(w) = 2w": "proved", "g(1, 2) = 3": "proved",
                        "\\frac{d J}{d w} = 2(w - 3)": "proved", "f(3) = 11": "refuted", "\\frac{d J}{d w} = 2(w + 3)": "refuted"}
    texts = {p.name: p.read_text() for p in drafts.glob("*.py")}
    returned = {line.strip() for t in texts.values() for line in t.splitlines() if line.strip().startswith("return ")}
    # each function a helper, as the material defines it; each step calls it as printed, never its formula inlined
    assert {"return f(2) == 5", "return diff(f(w), w) == 2*w", "return g(1, 2) == 3", "return diff(J(w), w) == 2*(w - 3)",
            "return f(3) == 11 + fix * (-1)"} <= returned
    assert "return diff(J(w), w) == 2*(w + 3) + fix * (-12)" in returned
    assert {"return w**2 + 1", "return x*y + 1", "return (w - 3)**2"} <= returned
    assert all(t.count("def f(w):") <= 1 and t.count("def J(w):") <= 1 for t in texts.values())
    assert "def g(x, y):" in texts["scan_a_md_l5_3.py"] and "def claim():" in texts["scan_a_md_l5_3.py"]
    # the drafts, checked, give the scan's verdicts: the true steps pass, the slips are errata
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for line, n in (("l5", 1), ("l5", 2), ("l5", 3), ("l7", 1)):
        assert re.search(rf"scan\.a_md\.ex1\.\w+\.{line}_{n} +proved +pass", done.stdout), (line, n, done.stdout[-3000:])
    for n in (1, 2):
        assert re.search(rf"scan\.a_md\.ex1\.c\.l9_{n} +refuted +erratum", done.stdout), done.stdout[-3000:]
        assert re.search(rf"scan\.a_md\.ex1\.c\.l9_{n}_corrected +proved +pass", done.stdout), done.stdout[-3000:]


PRINTED = r"""# 1 Sides as printed

$$2(x + 1) = 2x + 2$$

$$x + x = 2x$$

$$3 \cdot 4 + x = x + 12$$

$$\frac{6}{4} x - 2^{-1} = \frac{3}{2} x - \frac{1}{2}$$

$$\sqrt{4} \, y + e^{0} = 2y + 1$$

$$2(x + 1) = 2x + 1$$

$$x + x + x = 2x$$
"""


def test_each_side_is_drafted_as_printed_and_checks_as_the_scan_decided(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text(PRINTED, encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, out, err = scan("--material", material, "--draft-claims", drafts, *(a for n in (3, 5, 7, 9, 11) for a in ("--select", f"a.md:{n}")),
                          "--format", "json")
    assert code == 1, err
    import json

    verdicts = {s["line"]: s["status"] for s in json.loads(out)["steps"]}
    assert verdicts == {3: "proved", 5: "proved", 7: "proved", 9: "proved", 11: "proved", 13: "refuted", 15: "refuted"}
    returned = {n: next(line.strip() for line in (drafts / f"scan_a_md_l{n}_1.py").read_text().splitlines()
                        if line.strip().startswith("return ")) for n in verdicts}
    # not distributed, collected or folded by sympy: the structure each side is printed with
    assert returned[3] == "return 2*(x + 1) == 2*x + 2"
    assert returned[5] == "return x + x == 2*x"
    assert returned[7] == "return 3*4 + x == x + 12"
    assert returned[9] == "return Fraction(6, 4)*x - Fraction(2)**(-1) == Fraction(3, 2)*x - Fraction(1, 2)"
    assert returned[11] == "return sqrt(4)*y + exp(0) == 2*y + 1"
    assert returned[13] == "return 2*(x + 1) == 2*x + 1 + fix * (1)"
    assert returned[15] == "return x + x + x == 2*x + fix * (x)"
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for n in (3, 5, 7, 9, 11):
        assert re.search(rf"scan\.a_md\.ex1\.l{n}_1 +proved +pass", done.stdout), (n, done.stdout[-3000:])
    for n in (13, 15):
        assert re.search(rf"scan\.a_md\.ex1\.l{n}_1 +refuted +erratum", done.stdout), (n, done.stdout[-3000:])
        assert re.search(rf"scan\.a_md\.ex1\.l{n}_1_corrected +proved +pass", done.stdout), (n, done.stdout[-3000:])


def test_a_side_read_as_printed_is_the_side_read_once_evaluated():
    """The printed reading (kept for drafts) and the reading the scan checks are the same value: two readings of
    random sides, compared at exact points by a plain evaluation."""
    import dataclasses
    from fractions import Fraction

    import sympy

    from proofs.scan.definitions import Definitions, head
    from proofs.scan.parse import parse

    defs = Definitions()
    defs.record(head("f(w)"), "w^2 - 3w", 1)
    ctx = defs.context()
    printed = dataclasses.replace(ctx, printed=True)
    sides = ["2(x + 1) - x", "x + x + x", "\\frac{x - 1}{2} \\cdot 3", "-(x - y)^2 + 2^{-2} y", "f(x + 1) - f(2)",
             "\\frac{6}{4} x y / 3", "|x - 4| + \\max(x, y)", "\\sqrt{9} x - e^{0}", "x - -y", "f'(x) + 1"]
    assert parse("x + x", printed).args == (sympy.Symbol("x", real=True),) * 2  # not 2x
    assert {type(f).__name__ for f in parse("f(x + 1) - f(2)", printed).atoms(sympy.core.function.AppliedUndef)} == {"f"}
    for side in sides:
        kept, read = parse(side, printed), parse(side, ctx)
        plain = kept.replace(lambda e: isinstance(e, sympy.core.function.AppliedUndef),
                             lambda e: (e.args[0] ** 2 - 3 * e.args[0])).doit()
        for x, y in ((Fraction(1, 3), Fraction(-2)), (Fraction(5), Fraction(7, 2))):
            at = {sympy.Symbol("x", real=True): sympy.Rational(x), sympy.Symbol("y", real=True): sympy.Rational(y)}
            assert plain.xreplace(at).doit() == read.xreplace(at), side


SHAPES = r"""# 1 Shapes

Let $\sigma(z) = \frac{1}{1 + e^{-z}}$. Then $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ and $\sigma(0) = \frac{1}{2}$.

Let $r(x) = \begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}$. Then $r(2) = 2$ and $r(-1) = 1$.

# 2 Named

We have $h_t = \tanh(w x_t + b)$, written $h_t = g(x_t, b)$. Then $g(0, 0) = 0$.
"""


@pytest.mark.slow
def test_every_shape_of_function_definition_is_drafted_as_a_helper(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text(SHAPES, encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:3", "--select", "a.md:5",
                        "--select", "a.md:9")
    assert code == 1, err
    text = "\n".join(p.read_text() for p in drafts.glob("*.py"))
    assert "def sigma(z):" in text and "    return 1/(1 + exp(-z))" in text
    assert "return diff(sigma(z), z) == sigma(z)*(1 - sigma(z))" in text and "return sigma(0) == Fraction(1, 2)" in text
    assert "    return ite(x > 0, x, 0)" in text and "return r(2) == 2" in text
    assert "return r(-1) == 1 + fix * (-1)" in text  # the slip
    # named by a second formula: its other names are the claim's, passed on
    assert "def g(x_t, b, w):" in text and "return g(0, 0, w) == 0" in text
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    for claim in ("ex1.l3_1", "ex1.l3_2", "ex1.l5_2", "ex1.l5_1_corrected", "ex2.l9_1"):
        assert re.search(rf"scan\.a_md\.{claim} +proved +pass", done.stdout), (claim, done.stdout[-3000:])
    assert re.search(r"scan\.a_md\.ex1\.l5_1 +refuted +erratum", done.stdout), done.stdout[-3000:]


@pytest.mark.slow
def test_a_sum_whose_length_the_prose_names_is_drafted_over_that_length(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text("# 1 Samples\n\nWith $n$ samples $x_i$, $\\sum_i (x_i + 1) = \\sum_i x_i + n$ and "
                                   "$\\sum_i (x_i + 2) = \\sum_i x_i + n$.\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    code, _, err = scan("--material", material, "--draft-claims", drafts, "--select", "a.md:3")
    assert code == 1, err
    text = "\n".join(p.read_text() for p in drafts.glob("*.py"))
    assert "def claim(n: IntRange(1, None), x: Indexed(Real)):" in text  # n is the sums' length, not a free number
    assert "return summation(lambda i: x[i] + 1, 1, n) == summation(lambda i: x[i], 1, n) + n" in text
    done = cli("check", "scan", "--claims", str(drafts))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"scan\.a_md\.ex1\.l3_2 +proved +pass", done.stdout), done.stdout[-3000:]
    assert re.search(r"scan\.a_md\.ex1\.l3_1 +refuted +erratum", done.stdout), done.stdout[-3000:]
