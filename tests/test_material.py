"""Material readers: formats, locations to file, cell and line, the closest passage of a miss, hostile files."""

import os
from pathlib import Path

import pytest

from proofs.material import Location, MaterialError, Miss, discover, locate, read

COURSE = Path(__file__).resolve().parent / "material" / "course"
nbformat = pytest.importorskip("nbformat", reason="nbformat (needed for notebooks) is not installed")


def _notebook(directory: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 2 Attention\n\nThe scale is $1/\\sqrt{d}$."),
                nbformat.v4.new_raw_cell("raw $x = 1$"),
                nbformat.v4.new_code_cell('print("a\\tb")\nscale = 1 / d ** 0.5'),
                nbformat.v4.new_markdown_cell("**Solution:** with $d = 64$\nthe scale is $0.125$.")]
    nbformat.write(nb, str(directory / "week9.ipynb"))
    return "week9.ipynb"


@pytest.mark.parametrize("file, snippet, line", [
    ("week8.md", r"\mathrm{softmax}(z + c) = \mathrm{softmax}(z)", 7),
    ("week8.txt", "sigma^2 = 1", 4),
    ("week8.tex", r"\|Av\| \leq \|A\| \|v\|", 8),
])
def test_a_snippet_is_located_to_file_and_line(file, snippet, line):
    doc = read(COURSE, file)
    where = locate(doc, snippet)
    assert isinstance(where, Location) and (where.file, where.line, where.cell) == (file, line, None)
    # the span covers the snippet as the file writes it, spacing included
    assert doc.text[where.start:where.end].replace(" ", "").replace("\\,", "") == snippet.replace(" ", "")


def test_a_notebook_is_read_cell_by_cell_without_its_json(tmp_path):
    name = _notebook(tmp_path)
    doc = read(tmp_path, name)
    assert [(p.cell, p.kind) for p in doc.passages] == [(1, "markdown"), (3, "code"), (4, "markdown")]
    assert 'print("a\\tb")\nscale' in doc.text and "\\n" not in doc.text and '"cell_type"' not in doc.text
    where = locate(doc, "the scale is $0.125$")
    assert (where.cell, where.line) == (4, 2) and str(where) == f"{name}: cell 4, line 2"
    assert (locate(doc, "scale = 1 / d").cell, locate(doc, "scale = 1 / d").line) == (3, 2)
    # the raw cell is not material, and a snippet never spans two cells
    assert isinstance(locate(doc, "x = 1"), Miss)
    assert isinstance(locate(doc, "scale = 1 / d ** 0.5 **Solution:**"), Miss)


def test_an_edited_snippet_names_the_closest_passage_and_its_line():
    miss = locate(read(COURSE, "week8.md"), "A $4 \\times 4$ weight matrix and 5 biases")
    assert isinstance(miss, Miss) and miss.line == 11
    assert str(miss).startswith("not found in week8.md; closest (line 11): ")
    assert "4 biases" in miss.closest


def test_a_miss_in_a_notebook_names_the_cell(tmp_path):
    miss = locate(read(tmp_path, _notebook(tmp_path)), "with $d = 65$")
    assert (miss.cell, miss.line) == (4, 1) and "cell 4, line 1" in str(miss)


def test_text_is_nfc_and_line_ends_are_unified(tmp_path):
    (tmp_path / "a.txt").write_bytes("caf\u0065\u0301\r\nsecond line\r\n".encode())
    doc = read(tmp_path, "a.txt")
    assert doc.text == "caf\u00e9\nsecond line\n"
    assert locate(doc, "second").line == 2


@pytest.mark.parametrize("make, message", [
    (lambda d: (d / "bad.txt").write_bytes(b"ok \xff"), "not UTF-8 (byte 0xff at offset 3)"),
    (lambda d: (d / "bad.txt").mkdir(), "not a regular file"),
    (lambda d: os.mkfifo(d / "bad.txt"), "not a regular file"),
    (lambda d: (d / "bad.ipynb").write_text("{not json"), "is not a Jupyter notebook"),
    (lambda d: (d / "bad.docx").write_text("x"), "unsupported material format '.docx'"),
])
def test_unreadable_material_is_an_error_naming_the_problem(tmp_path, make, message):
    make(tmp_path)
    name = next(p.name for p in tmp_path.iterdir())
    with pytest.raises(MaterialError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(tmp_path, name)


def test_a_file_too_large_or_outside_the_directory_is_refused(tmp_path, monkeypatch):
    import proofs.material as material

    monkeypatch.setattr(material, "MAX_MATERIAL_BYTES", 10)
    (tmp_path / "big.txt").write_text("x" * 11)
    with pytest.raises(MaterialError, match="too large"):
        read(tmp_path, "big.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    course = tmp_path / "course"
    course.mkdir()
    (course / "link.txt").symlink_to(outside)
    with pytest.raises(MaterialError, match="outside the material directory"):
        read(course, "link.txt")
    with pytest.raises(MaterialError, match="relative to the material directory"):
        read(course, "../outside.txt")
    assert read(tmp_path, "outside.txt", format="markdown").format == "markdown"


def test_discover_lists_material_files_only(tmp_path):
    _notebook(tmp_path)
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.md").write_text("x")
    assert discover(tmp_path) == ["notes.md", "week9.ipynb"]
    assert discover(COURSE) == ["week8.md", "week8.tex", "week8.txt"]
