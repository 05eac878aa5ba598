"""A course in each material format: anchors are located to file and line (and cell), and fail clearly when edited."""

import json

import nbformat
import pytest

from conftest import run_cli

PACK = '''
from proofs import Real, forall


@forall("course.ex1.a.text", "(x + 1)^2 = x^2 + 2x + 1.", cites=("week1.txt", "(x + 1)^2 = x^2 + 2x + 1"),
        perturb={"one": {"k": 1}})
def text(x: Real, k=2):
    return (x + 1) ** 2 == x * x + k * x + 1


@forall("course.ex1.b.markdown", "(x - 1)^2 = x^2 - 2x + 1.", cites=("week2.md", "$(x - 1)^2 = x^2 - 2x + 1$"),
        perturb={"one": {"k": 1}})
def markdown(x: Real, k=2):
    return (x - 1) ** 2 == x * x - k * x + 1


@forall("course.ex1.c.latex", "(x + 2)^2 = x^2 + 4x + 4.", cites=("week3.tex", r"(x + 2)^2 = x^2 + 4x + 4"),
        perturb={"three": {"k": 3}})
def latex(x: Real, k=4):
    return (x + 2) ** 2 == x * x + k * x + 4


@forall("course.ex1.d.notebook", "(x + 3)^2 = x^2 + 6x + 9.", cites=("week4.ipynb", "(x + 3)^2 = x^2 + 6x + 9"),
        perturb={"five": {"k": 5}})
def notebook(x: Real, k=6):
    return (x + 3) ** 2 == x * x + k * x + 9


CLAIMS = (text, markdown, latex, notebook)
'''


@pytest.fixture
def course(packs):
    packs.write(formats=PACK)
    material = packs.material_dir
    packs.material("week1.txt", "Week 1\n\nExpand: (x + 1)^2 = x^2 + 2x + 1.\n")
    packs.material("week2.md", "# Week 2\n\n**Solution:**\n\n$(x - 1)^2 = x^2 - 2x + 1$\n")
    packs.material("week3.tex", "\\section{Week 3}\n\nWe have\n\\begin{equation}\n(x + 2)^2 = x^2 + 4x\\, + 4\n"
                                        "\\end{equation}\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Week 4"), nbformat.v4.new_code_cell("x = 3\nprint(x)"),
                nbformat.v4.new_markdown_cell("The \"solution\":\n\n$$(x + 3)^2 = x^2 + 6x + 9$$")]
    nbformat.write(nb, str(material / "week4.ipynb"))
    packs.reports = True
    return packs


def test_every_format_checks_green_with_anchors_located(course):
    proc = course.check("course", material=True, cache=True)
    results = proc.results
    assert proc.returncode == 0, proc.stdout + proc.stderr
    places = {i: r["evidence"]["material"][0] for i, r in results.items()}
    assert {i: (p["file"], p["line"], p.get("cell")) for i, p in places.items()} == {
        "course.ex1.a.text": ("week1.txt", 3, None),
        "course.ex1.b.markdown": ("week2.md", 5, None),
        "course.ex1.c.latex": ("week3.tex", 5, None),
        "course.ex1.d.notebook": ("week4.ipynb", 3, 3),
    }
    shown = course.run("show", "course.ex1.d.notebook", "--material", course.material_dir)
    assert "cites week4.ipynb:3 (cell 3): (x + 3)^2 = x^2 + 6x + 9" in shown.stdout


@pytest.mark.parametrize("file, old, new, claim", [
    ("week1.txt", "2x + 1", "2x + 2", "course.ex1.a.text"),
    ("week2.md", "- 2x", "- 3x", "course.ex1.b.markdown"),
    ("week3.tex", "4x", "5x", "course.ex1.c.latex"),
])
def test_an_edited_snippet_fails_clearly_naming_the_closest_passage(course, file, old, new, claim):
    assert course.check("course", material=True, cache=True).returncode == 0
    path = course / "material" / file
    path.write_text(path.read_text().replace(old, new))
    proc = course.check("course", material=True, cache=True)
    results = proc.results
    assert proc.returncode == 1
    assert results[claim]["status"] == "fail" and results[claim]["reason"].startswith("stale: the material changed")
    assert f"not found in {file}; closest (line" in results[claim]["reason"]
    assert all(r["status"] == "pass" for i, r in results.items() if i != claim)


def test_an_edited_notebook_cell_names_the_cell(course):
    path = course / "material" / "week4.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("6x", "7x")
    nbformat.write(nb, str(path))
    proc = course.check("course", material=True, cache=True)
    results = proc.results
    assert proc.returncode == 1
    reason = results["course.ex1.d.notebook"]["reason"]
    assert reason.startswith("not found: ") and "not found in week4.ipynb; closest (cell 3, line 3)" in reason


def test_every_report_format_names_where_each_cited_snippet_is(course):
    out = course / "reports"
    proc = course.run("check", "course", "--material", course.material_dir, "--no-cache", "--report-dir", out, "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    place = "cites week4.ipynb:3 (cell 3): (x + 3)^2 = x^2 + 6x + 9"
    assert place in proc.stdout and place in (out / "junit.xml").read_text()
    assert '"line": 3' in (out / "report.json").read_text().replace('"line":3', '"line": 3')
    assert "week4.ipynb" in (out / "report.html").read_text() and "week4.ipynb" in (out / "sheet.html").read_text()


def test_a_notebook_without_cell_ids_is_read_without_a_warning_from_a_plain_run(tmp_path):
    """nbformat 4.5 wants an id on every cell; older writers leave them out. The notebook is normalised before it is
    validated, so nbformat's MissingIDFieldWarning never reaches the course's output."""

    material = tmp_path / "m"
    material.mkdir()
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["$$(x + 1)^2 = x^2 + 2x + 1$$"]},
             {"cell_type": "markdown", "metadata": {}, "id": "same", "source": "$$a + b = b + a$$"},
             {"cell_type": "markdown", "metadata": {}, "id": "same", "source": "$$a b = b a$$"}]
    (material / "old.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    proc = run_cli("scan", "--material", str(material))
    assert proc.returncode == 0 and "3 steps: 3 proved" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr == ""
