"""Coverage of the material by claims' anchors: units, exclusions (a stale one fails), the JSON and text forms."""

import json
from pathlib import Path

import pytest

from proofs.coverage import SCHEMA, CoverageError, citations, fail_under, load_exclusions, measure, units
from proofs.material import parse, read
from proofs.model import Anchor

COURSE = Path(__file__).resolve().parent / "material" / "course"
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
ROOT = Path(__file__).resolve().parent.parent


def test_units_of_a_markdown_course():
    found = [(u.kind, u.text, u.part, u.solution, u.line) for u in units(read(COURSE, "week8.md"))]
    assert found == [
        ("formula", r"z \in \mathbb{R}^n", "ex1", False, 3),
        ("formula", r"\mathrm{softmax}(z + c) = \mathrm{softmax}(z)", "ex1.a", True, 7),
        ("formula", r"4 \times 4", "ex1.b", True, 11),
        ("value", "4", "ex1.b", True, 11),
        ("value", "20", "ex1.b", True, 11),
    ]  # $c$ names a symbol; "4 x 4" in the question is not solution text


def test_units_of_latex():
    found = [(u.kind, u.text, u.part, u.solution) for u in units(read(COURSE, "week8.tex"))]
    assert found == [("formula", r"\|Av\| \leq \|A\|\, \|v\|", "ex1.a", True), ("value", "1", "ex1.a", True)]


def _write(tmp_path, text):
    path = tmp_path / "x.toml"
    path.write_text(text)
    return load_exclusions(path)


def test_coverage_counted_on_a_known_example(tmp_path):
    doc = read(COURSE, "week8.md")
    excluded = _write(tmp_path, '[[exclude]]\nfile = "week8.md"\nunit = "z \\\\in \\\\mathbb{R}^n"\nreason = "definition"\n')
    cov = measure([doc], [("ex1.a.shift", Anchor("week8.md", r"\mathrm{softmax}(z+c)"))], excluded)
    data = cov.to_json()
    assert data["schema"] == SCHEMA == "proofs-coverage/1"
    assert data["totals"] == {"covered": 1, "excluded": 1, "uncovered": 3, "total": 5, "percent": 40.0}
    parts = {p["part"]: (p["covered"], p["excluded"], p["total"]) for p in data["files"][0]["parts"]}
    assert parts == {"ex1": (0, 1, 1), "ex1.a": (1, 0, 1), "ex1.b": (0, 0, 3)}
    assert [(u["line"], u["kind"], u["text"]) for u in data["uncovered"]] == [(11, "formula", r"4 \times 4"), (11, "value", "4"), (11, "value", "20")]
    assert {"status": "covered", "claims": ["ex1.a.shift"]}.items() <= data["units"][1].items()
    assert data["units"][0]["reason"] == "definition"
    json.dumps(data)
    text = cov.to_text()
    assert "TOTAL" in text and "40%" in text and "week8.md:11 [ex1.b] value: 20" in text
    assert fail_under(cov, 40) is False and fail_under(cov, 41) is True


def test_a_stale_or_ambiguous_exclusion_fails_the_gate(tmp_path):
    doc = read(COURSE, "week8.md")
    stale = _write(tmp_path, '[[exclude]]\nfile = "week8.md"\nunit = "x = 99"\nreason = "gone"\n')
    cov = measure([doc], [], stale)
    assert "names no unit of the material: it is stale" in cov.problems[0]
    assert fail_under(cov, 0) is True
    twice = parse("t.md", "**Solution:** $x = 3$ here,\nand $x = 3$ there.", "markdown")
    ambiguous = _write(tmp_path, '[[exclude]]\nfile = "t.md"\nunit = "x=3"\nreason = "twice"\n')
    assert "names 2 units (lines 1, 2), not 1" in measure([twice], [], ambiguous).problems[0]
    assert not measure([twice], [], _write(tmp_path, '[[exclude]]\nfile = "t.md"\nunit = "x = 3"\noccurrences = 2\nreason = "r"\n')).problems


def test_an_anchor_not_found_fails_the_gate():
    cov = measure([read(COURSE, "week8.md")], [("ex1.a.x", Anchor("week8.md", "softmax(z + d)"))])
    assert cov.problems and "not found in week8.md; closest (line 7)" in cov.problems[0] and fail_under(cov, 0)
    assert fail_under(measure([], []), 0) is True  # nothing measured is never a pass


@pytest.mark.parametrize("text, message", [
    ("exclude = 1", "only \\[\\[exclude\\]\\] tables"),
    ("[[exclude]]\nfile = 'a'\nunit = 'b'\n", "reason must be a non-empty string"),
    ("[[exclude]]\nfile = 'a'\nunit = 'b'\nreason = 'c'\nwhy = 1\n", "unknown keys \\['why'\\]"),
    ("[[exclude]]\nfile = 'a'\nunit = 'b'\nreason = 'c'\noccurrences = true\n", "occurrences must be a int"),
    ("[[exclude]]\nfile = 'a'\nunit = 'b'\nreason = 'c'\noccurrences = 9223372036854775807\n",
     "occurrences must be a whole number from 1 to 1000000"),
    ("[[exclude]\n", "not valid UTF-8 TOML"),
])
def test_malformed_exclusions_are_errors(tmp_path, text, message):
    with pytest.raises(CoverageError, match=message):
        _write(tmp_path, text)


@pytest.mark.skipif(not SEED.is_dir(), reason="the seed material is not here")
def test_the_seed_exclusions_are_current(catalogue):
    doc = read(SEED, "000_40bb9e3d6bfa7e9d.txt")
    cov = measure([doc], citations(catalogue.claims), load_exclusions(ROOT / "claims" / "coverage-exclusions.toml"))
    assert cov.problems == ()
    assert all(m.reason for m in cov.marks if m.status == "excluded")
    assert cov.percent >= 80


def test_coverage_command_gates_and_speaks_json(tmp_path):
    import json as _json

    from conftest import cli

    material = tmp_path / "material"
    material.mkdir()
    (material / "sheet.md").write_text("## 1 Sums\n\n(a) Add.\n\n**Solution:** $1 + 1 = 2$ and $2 + 2 = 4$.\n")
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "sums.py").write_text(
        "from proofs import forall\n\n"
        "@forall('t.ex1.a.two', '1 + 1 = 2.', cites=('sheet.md', '1 + 1 = 2'), perturb={'three': {'s': 3}})\n"
        "def two(s=2):\n    return 1 + 1 == s\n\nCLAIMS = (two,)\n")
    text = cli("coverage", "--material", str(material), "--claims", str(claims))
    assert text.returncode == 0 and "50%" in text.stdout and "2 + 2 = 4" in text.stdout, text.stdout + text.stderr
    gate = cli("coverage", "--material", str(material), "--claims", str(claims), "--fail-under", "60")
    assert gate.returncode == 1
    report = _json.loads(cli("coverage", "--material", str(material), "--claims", str(claims), "--format", "json").stdout)
    assert report["schema"] == "proofs-coverage/1" and report["files"][0]["file"] == "sheet.md"
    excluded = tmp_path / "exclude.toml"
    excluded.write_text('[[exclude]]\nfile = "sheet.md"\nunit = "2 + 2 = 4"\nreason = "given data"\n')
    passed = cli("coverage", "--material", str(material), "--claims", str(claims), "--exclusions", str(excluded),
                     "--fail-under", "100")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    bad = cli("coverage", "--material", str(material), "--fail-under", "101")
    assert bad.returncode == 4


def _parts(file, text):
    from proofs.coverage import units
    from proofs.material import parse

    document = parse(file, text, {"md": "markdown", "tex": "latex", "txt": "text"}[file.split(".")[1]])
    return [(u.text, u.part) for u in units(document) if u.kind == "formula"]


@pytest.mark.parametrize("file, text", [
    ("a.md", "# Exercise 2\n\n(a) First: $x = 1$\n\n(b) Then: $y = 2$\n"),
    ("a.md", "## Exercise 2\n\n**(a)** First: $x = 1$\n\n**(b)** Then: $y = 2$\n"),
    ("a.md", "**Exercise 2.** Two parts.\n\n1. First: $x = 1$\n2. Then: $y = 2$\n"),
    ("a.md", "# Exercise 2\n\n### Part a\n\nFirst: $x = 1$\n\n### (b) The next\n\nThen: $y = 2$\n"),
    ("a.txt", "Exercise sheet\n\n## 2 Things\n\na) First: $x = 1$\nb) Then: $y = 2$\n"),
    ("a.tex", "\\section{Exercise 2}\n\\paragraph{(a)} First: $x = 1$\n\n\\paragraph{(b)} Then: $y = 2$\n"),
    ("a.tex", "\\section{Exercise 2}\n\\subsection{(a) Start}\nFirst: $x = 1$\n\\subsection{(b) End}\nThen: $y = 2$\n"),
    ("a.tex", "\\section{Exercise 2}\n\\begin{enumerate}\n\\item First: $x = 1$\n\\item Then: $y = 2$\n\\end{enumerate}\n"),
    ("a.tex", "\\section{Exercise 2}\n\\begin{enumerate}\n\\item[(a)] First: $x = 1$\n\\item[(b)] Then: $y = 2$\n\\end{enumerate}\n"),
])
def test_parts_are_found_however_a_sheet_marks_them(file, text):
    assert _parts(file, text) == [("x = 1", "ex2.a"), ("y = 2", "ex2.b")]


def test_parts_in_notebook_markdown_cells(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Exercise 2"), nbformat.v4.new_markdown_cell("(a) First: $x = 1$"),
                nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("(b) Then: $y = 2$")]
    nbformat.write(nb, str(tmp_path / "n.ipynb"))
    from proofs.coverage import units
    from proofs.material import read

    assert [(u.text, u.part, u.cell) for u in units(read(tmp_path, "n.ipynb"))] == [("x = 1", "ex2.a", 2), ("y = 2", "ex2.b", 4)]


@pytest.mark.parametrize("file, text", [
    # a list inside an exercise that marks its parts with letters is not its parts
    ("a.tex", "\\section{Exercise 2}\n\\paragraph{(a)} First: $x = 1$\n\\begin{enumerate}\n\\item $y = 2$\n\\item $z = 3$\n\\end{enumerate}\n"),
    # steps numbered in a solution are not parts
    ("a.md", "# Exercise 2\n\n(a) First: $x = 1$\n\n**Solution:**\n\n1. $y = 2$\n2. $z = 3$\n"),
])
def test_lists_that_are_not_parts_leave_the_part_as_it_is(file, text):
    assert _parts(file, text) == [("x = 1", "ex2.a"), ("y = 2", "ex2.a"), ("z = 3", "ex2.a")]
