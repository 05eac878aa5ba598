"""Every report format, from the same results: structure, counts, escaping, and the page as a browser shows it."""

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import GOLDEN, ROOT, cli, run_cli, shared
from proofs.writers import FORMATS
from proofs.writers.markdown import cell, fenced

HOSTILE = ["--claims", str(GOLDEN / "hostile"), "--claims", str(GOLDEN / "holds"), "--claims", str(GOLDEN / "false"),
           "--claims", str(ROOT / "tests" / "hostile" / "writers")]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def reports(request, seed_serial):
    """One run writing every format: the seed pack plus golden packs that pass, fail and misbehave in their text, and
    the writers' hostile pack (evidence that would execute, hang or inject, and mathematics as trees). The seed's results
    are reused from a copy of the session's seed run's cache (the writers write what they are given); the other packs
    are checked."""
    def make(out):
        shutil.copytree(seed_serial.directory / "cache", os.environ["PROOFS_CACHE_DIR"], dirs_exist_ok=True)
        summary = out / "step-summary.md"
        summary.write_text("previous content\n")
        proc = run_cli("check", "all", *HOSTILE, "--report-dir", str(out), "-q", env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert proc.returncode == 1, proc.stderr  # the golden false and hostile claims fail

    out = shared(request, "writers-reports", make)
    return out, json.loads((out / "report.json").read_text())


def test_every_format_is_written(reports):
    out, _ = reports
    assert sorted(p.name for p in out.iterdir() if p.name != "step-summary.md") == sorted(c.filename for c in FORMATS.values())


def test_junit_counts_with_a_junit_library(reports):
    junitparser = pytest.importorskip("junitparser", reason="junitparser is in the test extra")
    out, report = reports
    xml = junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    suite = next(iter(xml))
    results = report["results"]
    fails = [r for r in results if r["status"] == "fail"]
    assert suite.tests == len(results)
    undecided = ("unknown", "timeout", "error")
    assert suite.failures == sum(r["verdict"] not in undecided for r in fails)
    assert suite.errors == sum(r["verdict"] in undecided for r in fails)
    assert suite.skipped == sum(r["status"] == "erratum" for r in results)
    cases = {case.name: case for case in suite}
    assert cases["ex2.weights.all_sequences"].classname == "ex2"
    erratum = cases["ex2.nonunique.output_params"]
    assert isinstance(erratum.result[0], junitparser.Skipped) and "erratum" in erratum.result[0].message
    failed = cases["ex91.a.square_is_linear"]
    assert isinstance(failed.result[0], junitparser.Failure) and "counterexample: x = " in failed.result[0].text


def test_markdown_table_and_sections(reports):
    out, report = reports
    md = (out / "report.md").read_text()
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    assert len(rows) == len(report["results"])
    assert all(line.count(" | ") == 3 for line in rows)
    assert "### Errata in the material" in md and "### Failures" in md
    assert "rerun: python -m proofs check" in md and "counterexample: x = " in md


def test_github_step_summary_is_appended(reports):
    out, _ = reports
    text = (out / "step-summary.md").read_text()
    assert text.startswith("previous content\n") and "## proofs report" in text


def test_hostile_text_is_escaped_everywhere(reports):
    out, _ = reports
    page = (out / "report.html").read_text()
    assert "<script>alert" not in page and page.count("<script>") == 1
    assert "&lt;script&gt;alert" in page
    ET.fromstring((out / "junit.xml").read_text().split("\n", 1)[1])  # well-formed despite ]]> and control characters
    md = (out / "report.md").read_text()
    outside_fences = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", md, flags=re.S | re.M)
    assert "<script>" not in outside_fences and "&lt;script&gt;" in outside_fences and "\\|" in md
    assert "````\n" in md  # the fence outgrows the ``` inside the claim's text
    hostile_rows = [line for line in md.splitlines() if "ex97" in line and line.startswith("| ")]
    assert all(line.count(" | ") == 3 for line in hostile_rows)


def test_markdown_helpers():
    assert cell("a|b `c` <d>") == "a\\|b \\`c\\` &lt;d&gt;"
    block = fenced("x ```` y")
    assert block.startswith("`````\n") and block.endswith("\n`````")


def test_html_has_math_plots_filters_and_pairs(reports):
    out, _ = reports
    page = (out / "report.html").read_text()
    assert page.count('<math xmlns="http://www.w3.org/1998/Math/MathML"') >= 7  # from evidence trees (proofs.mathtree)
    assert '<pre class="formula">Eq(x**2, y)</pre>' in page  # formulas are shown as written, never parsed
    assert 'data-filter="fail"' in page and 'data-status="erratum"' in page
    assert "corrected: ex1.d.max_pool_derivative_unique_max" in page
    if shutil.which("python3") and _has_matplotlib():
        assert page.count('<svg role="img"') >= 3
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page)  # offline: nothing is fetched (addresses in data are text)


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def test_html_without_matplotlib_says_plots_are_unavailable(monkeypatch):
    from proofs.writers import html, plots
    from proofs.writers.base import ReportContext

    monkeypatch.setattr(plots, "available", lambda: False)
    page = html.HtmlWriter(ReportContext()).finish(0.0)
    assert "Plots are unavailable" in page


@pytest.mark.parametrize("args, words", [
    (("--format", "json", "--format", "html"), "only one report can go to standard output"),
    (("--output", "a", "--output", "b"), "--output files for 1 --format"),
    (("--format", "pdf"), "invalid choice"),
])
def test_format_usage_errors(args, words):
    proc = cli("check", "ex1.b", *args)
    assert proc.returncode == 4 and words in proc.stderr


def test_formats_pair_with_outputs(tmp_path):
    proc = run_cli("check", "ex1.b", "--format", "junit", "--output", str(tmp_path / "j.xml"),
                   "--format", "markdown", "--output", str(tmp_path / "r.md"), "--format", "json")
    assert proc.returncode == 0
    total = json.loads(proc.stdout)["summary"]["total"]
    assert total >= 2  # every ex1.b claim, whatever their number
    junit = (tmp_path / "j.xml").read_text()
    assert junit.startswith("<?xml") and ET.fromstring(junit.split("\n", 1)[1]).get("tests") == str(total)
    assert (tmp_path / "r.md").read_text().startswith("## proofs")


@pytest.mark.slow  # beside the other page rendered in a browser, which it shares
def test_html_report_in_a_headless_browser(reports, browser):
    """The page loads with no console errors and no network requests; math has a size; plots are drawn."""
    out, _ = reports
    page = browser.new_page(viewport={"width": 1200, "height": 1600})
    try:
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "report.html").as_uri())
        sizes = page.evaluate("[...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width * m.getBoundingClientRect().height)")
        plots = page.evaluate("document.querySelectorAll('svg.plot').length")
        page.uncheck('input[data-filter="pass"]')
        hidden = page.evaluate("[...document.querySelectorAll('section.claim[data-status=pass]')].every(s => s.hidden)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    finally:
        page.context.close()
    assert errors == []
    assert [u for u in requests if not u.startswith("file:")] == []
    assert sizes and all(s > 0 for s in sizes)
    assert hidden
    if _has_matplotlib():
        assert plots >= 3


def test_every_format_reports_a_pack_that_did_not_load(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "good.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    (claims / "broken.py").write_text("import z3\nraise ImportError('no <module> here & there')\n")
    out = tmp_path / "out"
    out.mkdir()
    proc = cli("check", "ex90", "--claims", str(claims), "--report-dir", str(out), "-q")
    assert proc.returncode == 1
    where = f"{claims / 'broken.py'}:2"
    assert f"load error: {where}: pack 'claims/broken'" in (out / "report.txt").read_text()
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["load_errors"] == 1 and report["load_errors"][0]["line"] == 2
    assert cell(where) in (out / "report.md").read_text() and "### Packs that could not be loaded" in (out / "report.md").read_text()
    suite = ET.fromstring((out / "junit.xml").read_text().split("\n", 1)[1])
    assert suite.get("errors") == "1" and suite.get("tests") == "3"
    case = suite.find(".//testcase[@classname='packs']")
    assert case is not None and where in case.find("error").get("message")
    page = (out / "report.html").read_text()
    assert 'class="note load-error"' in page and "no &lt;module&gt; here &amp; there" in page


def test_every_format_shows_what_each_claim_checked_and_labels_a_hand_written_formal_as_commentary(reports):
    out, report = reports
    derived = [r for r in report["results"] if "checked" in r["evidence"]]
    seed = [r for r in report["results"] if r["id"].startswith("ex") and r["id"].split(".")[0] in {f"ex{k}" for k in range(1, 7)}]
    assert len(seed) == 63 and all("checked" in r["evidence"] for r in seed)
    md = (out / "report.md").read_text()
    section = md.split("### What each claim checked\n", 1)[1].split("\n### ", 1)[0]
    assert all(f"- `{r['id']}`: checked" in section for r in derived)
    junit = ET.fromstring((out / "junit.xml").read_text().split("\n", 1)[1])
    outputs = {case.get("name"): case.findtext("system-out") for case in junit.iter("testcase")}
    assert all("\nchecked" in outputs[r["id"]] for r in derived)
    page = (out / "report.html").read_text()
    assert page.count('<div class="checked">') >= len(derived)
    assert "formal (the author&#x27;s commentary, not what was checked): sampled: 120 random rational" in page
    text = cli("check", "ex1.b.conv_units", "ex5.b.lemma_matrix_vector", "--no-cache", "-v").stdout
    assert "    checked: ∀ p ∈ ℤ: 0 ≤ p ⇒ 258 = 256 + 2·1" in text and "    checked: ∀ s ∈ 120 samples drawn with seed 11" in text
    assert "    formal (the author's commentary, not what was checked): sampled: 120 random rational" in text
    quiet = cli("check", "ex1.b.conv_units", "--no-cache").stdout
    assert quiet.splitlines()[1].startswith("    checked: ∀ p ∈ ℤ:") and len(quiet.splitlines()[1]) <= 4 + 160


def test_statement_trees_render_as_mathml_and_plain_text_and_malformed_ones_are_refused():
    import sympy
    import z3

    from proofs import mathtree

    x, n = z3.Real("x"), z3.Int("n")
    query = z3.ForAll([x], z3.Implies(z3.And(x > 0, n >= 1), z3.Or(x * x > 0, z3.Not(x == 1))))
    tree = mathtree.z3_tree(query)
    assert mathtree.plain(tree) == "∀ x ∈ ℝ: x > 0 ∧ n ≥ 1 ⇒ x·x > 0 ∨ x ≠ 1"
    assert mathtree.mathml(tree).count("<mo>∀</mo>") == 1
    i, m = sympy.Symbol("i", integer=True), sympy.Symbol("m", integer=True)
    y = sympy.IndexedBase("y")
    limit = sympy.Limit(sympy.Sum(y[i + 1] - y[i], (i, 1, m)) / m, m, sympy.oo)
    assert mathtree.plain(mathtree.tree(limit)) == "lim_{m → ∞} (Σ_{i = 1..m} (y_(i + 1) - y_i)/m)"
    assert "<msub>" in mathtree.mathml(mathtree.tree(limit)) and "<munder>" in mathtree.mathml(mathtree.tree(limit))
    for malformed in (["quant", "∀", ["sym", "x"], ["sym", "x"]], ["quant", "<script>", ["sym", "x"], [["sym", "x"], ["sym", "R"]]],
                      ["and", ["sym", "x"]], ["index", ["sym", "x"]], ["implies", ["sym", "<b>"]]):
        assert mathtree.mathml(malformed) is None, malformed
    deep = ["not", ["sym", "x"]]
    for _ in range(100):
        deep = ["not", deep]
    assert mathtree.mathml(deep) is None and mathtree.plain(deep).count("…") == 1


def test_the_html_report_labels_as_the_material_only_what_the_material_prints(catalogue):
    """The material's own text is the snippets a claim cites; the claim's `asserts` is its author's summary."""
    import re as _re

    from proofs.model import Result
    from proofs.verdicts import Status, Verdict
    from proofs.writers import ReportContext, writer_for

    claim = next(c for c in catalogue.claims if c.anchors and c.asserts not in [a.snippet for a in c.anchors])
    result = Result(id=claim.id, exercise=claim.exercise, part=claim.part, statement=claim.statement, verdict=Verdict.PROVED,
                    status=Status.PASS, method="z3", evidence={"material": [{"file": a.file, "snippet": a.snippet, "found": True,
                                                                            "line": 7} for a in claim.anchors]},
                    assumptions=(), erratum=None, reason="proved")
    writer = writer_for("html", ReportContext(claims={claim.id: claim}))
    page = writer.add(result) + writer.finish(1.0)
    [material] = _re.findall(r"<em>The material:</em>(.*?)</div>", page, flags=_re.S)
    quoted = _re.findall(r'<q class="material">(.*?)</q>', material)
    from proofs.writers.escape import xml_text

    assert quoted == [xml_text(a.snippet) for a in claim.anchors]
    assert xml_text(claim.asserts) not in material and f"{claim.anchors[0].file}:7" in material
    assert "the claim author" in page and xml_text(claim.asserts) in page
