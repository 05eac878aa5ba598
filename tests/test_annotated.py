"""The annotated material page: hostile text escaped, no external fetch, errata marked, renders offline."""

import io
import re
from pathlib import Path

import pytest

from proofs import Anchor
from proofs.annotated import math_html, render
from proofs.coverage import citations, measure
from proofs.material import parse, read
from proofs.model import Erratum

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"
SHEET = "000_40bb9e3d6bfa7e9d.txt"


class _Claim:
    """What the page reads of a claim: id, statement, formal, anchors, erratum."""

    def __init__(self, id, anchors, erratum=None):
        self.id, self.anchors, self.erratum = id, anchors, erratum
        self.statement, self.formal = "<script>alert(1)</script>", "for all x: x <img src=x onerror=alert(1)>"


def _result(id, status, verdict="proved", **extra):
    return {"id": id, "exercise": 1, "part": "a", "statement": "<b>s</b>", "verdict": verdict, "status": status,
            "method": "z3", "evidence": extra, "assumptions": [], "erratum": None, "reason": "</pre><script>x</script>"}


def _no_external(page):
    assert not re.search(r"""<[^>]*\s(src|href)\s*=\s*["']?\s*(https?:|//)""", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page and "<script" not in page.lower()


def test_hostile_material_claims_and_results_are_escaped():
    doc = parse("w.md", "# 1 X\n\n<script>alert(1)</script> <img src=http://evil/x.png>\n\n"
                "**Solution:** $x = \\text{<script>y</script>}$ and $\\href{http://evil}{a} = 1$ and $$y = 2$$\n", "markdown")
    claims = [_Claim("ex1.a.one", (Anchor("w.md", "y = 2"),)),
              _Claim("ex1.a.two", (Anchor("w.md", "y = 2"), Anchor("w.md", "missing text"))),
              _Claim("ex1.a.bad", (Anchor("w.md", "<script>alert(1)"),), Erratum("<script>", "ex1.a.one"))]
    results = [_result("ex1.a.one", "pass"), _result("ex1.a.two", "fail", "refuted", counterexample={"x": "<script>"}),
               _result("ex1.a.bad", "erratum", "refuted"), {"id": "broken"}]
    page = render([doc], results, claims, measure([doc], citations(claims)))
    _no_external(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=http://evil/x.png&gt;" in page
    assert 'href="http' not in page and "<mtext><script>" not in page
    # both claims on the passage are shown, the passage takes the worst status
    passage = next(p for p in page.split('<div class="passage') if "ex1.a.one: pass" in p)
    assert "ex1.a.two: fail" in passage and 'data-status="fail"' in passage
    assert 'id="claim-ex1.a.two"' in page and "&lt;script&gt;" in page.split('id="claim-ex1.a.two"')[1]
    assert "not found in w.md" in page and "result 4 is unreadable" in page
    assert 'href="#claim-ex1.a.one"' in page and "uncovered formula" in page


def test_math_is_mathml_or_escaped_source():
    assert math_html("x^2", False).startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert math_html(r"\text{<script>}", False).startswith('<code class="tex">$\\text{&lt;script&gt;}$')
    assert "href=" not in math_html(r"\href{http://e}{a}", True)


def test_a_notebook_is_shown_cell_by_cell(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("**Solution:** $x = 1$"), nbformat.v4.new_code_cell("a < b & c")]
    nbformat.write(nb, str(tmp_path / "n.ipynb"))
    page = render([read(tmp_path, "n.ipynb")], [], [_Claim("ex1.a.n", (Anchor("n.ipynb", "x = 1"),))])
    assert "cell 1 (markdown)" in page and "cell 2 (code)" in page and "<pre>a &lt; b &amp; c</pre>" in page
    assert 'data-status="missing"' in page  # a claim without a result is never shown as passing
    _no_external(page)


@pytest.fixture
def seed_page(seed_check, catalogue):
    """The annotated sheet of the seed, as `check all --material ... --report-dir` writes it (one run per session)."""
    if not (SEED / SHEET).is_file():
        pytest.skip("the seed material is not here")
    assert seed_check.returncode == 0, seed_check.stdout + seed_check.stderr
    return seed_check.directory / "reports" / "sheet.html", catalogue.claims


def test_the_seed_errata_are_marked(seed_page):
    path, claims = seed_page
    page = path.read_text()
    _no_external(page)
    errata = [c.id for c in claims if c.erratum is not None]
    assert errata and all(f'href="#claim-{c}">{c}: erratum' in page for c in errata)
    assert 'data-status="fail"' not in page and 'data-status="missing"' not in page


@pytest.mark.slow
def test_the_annotated_seed_page_renders_offline(seed_page, browser):
    path, _ = seed_page
    page = browser.new_page()
    try:
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        marked = page.evaluate("document.querySelectorAll('.passage[data-status=erratum]').length")
        sizes = page.evaluate("[...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width)")
        page.set_viewport_size({"width": 1200, "height": 1600})
        page.evaluate("document.querySelector('.passage[data-status=erratum]').scrollIntoView()")
        shot = page.screenshot(type="png")
    finally:
        page.context.close()
    # what a person sees: the erratum's orange border and the pass green, as pixels of the rendered page
    image = pytest.importorskip("PIL.Image").open(io.BytesIO(shot)).convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(0, image.width, 2) for y in range(0, image.height, 2)}
    assert (0xED, 0x6C, 0x02) in colours and (0x2E, 0x7D, 0x32) in colours
    assert errors == []
    assert [u for u in requests if not u.startswith("file:")] == []
    assert marked > 0 and all(s > 0 for s in sizes)



LATEX_SHEET = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\R}{\mathbb{R}}
\title{Week 9}
\begin{document}
\maketitle
\section{Exercise 1}

\paragraph{(a)} Expand \textbf{the} square:
\[ (x + 1)^2 = x^2 + 1 \]

\begin{enumerate}
\item First $a + b = b + a$.
\end{enumerate}
\end{document}
"""


@pytest.mark.parametrize("page_of", ["check", "scan"])
def test_a_latex_sheet_shows_what_it_prints_not_its_preamble(tmp_path, page_of):
    from proofs.annotated import render_scan
    from proofs.scan.steps import scan_document

    (tmp_path / "week9.tex").write_text(LATEX_SHEET)
    doc = read(tmp_path, "week9.tex")
    if page_of == "check":
        page = render([doc], [], [_Claim("ex1.a.square", (Anchor("week9.tex", "(x + 1)^2 = x^2 + 1"),))])
    else:
        page = render_scan([doc], scan_document(doc), {})
    text = re.sub(r"<math.*?</math>", "", page, flags=re.S)
    for command in ("documentclass", "usepackage", "newcommand", "begin{document}", "end{document}", "maketitle", "title{",
                    "section{", "paragraph{", "textbf", "begin{enumerate}", "item "):
        assert command not in text, command
    assert "<strong>(a)</strong>" in page and "<strong>the</strong>" in page and "Exercise 1" in page
    assert page.count("<math") == 2
    _no_external(page)


def test_math_renders_from_the_plain_install_and_notebooks_read_from_it():
    """What the README's first command installs (the plain dependencies, no extra) renders the material's math and
    reads notebooks."""
    from importlib.metadata import requires

    plain = {re.split(r"[<>=;\s\[]", r)[0].lower() for r in requires("proofs") if "extra ==" not in r}
    assert {"latex2mathml", "nbformat"} <= plain


def test_the_annotated_sheet_names_each_part_where_it_starts(tmp_path):
    (tmp_path / "week9.tex").write_text(LATEX_SHEET)
    page = render([read(tmp_path, "week9.tex")], [], [])
    assert re.findall(r'data-part="([^"]*)"', page) == ["ex1", "ex1.a", "ex1.a"]
    assert re.findall(r'<p class="part">([^<]*)</p>', page) == ["ex1", "ex1.a"]


def test_the_scan_pages_counts_are_in_words_as_the_text_report_says_them():
    from proofs.annotated import render_scan

    page = render_scan([], [], {"steps": 3, "spans": 2, "proved": 1, "needs_review": 1, "definition": 1})
    summary = re.search(r'<p class="summary">(.*?)</p>', page).group(1)
    assert "1 need review" in summary and "1 definitions" in summary and "_" not in summary
