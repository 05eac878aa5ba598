import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs import Anchor
from proofs.anchors import normalise, verify
from conftest import ROOT, cli

SHEET_DIR = ROOT.parent / "shared" / "seed"

PACK = r'''
import z3
from proofs import Anchor, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove


@claim(
    "unit.ex1.a.square",
    exercise=1, part="a",
    statement="(x + 3)^2 = x^2 + 6x + 9 for every real x.",
    asserts="(x + 3)^2 = x^2 + 6x + 9",
    formal="for every real x: (x + 3)^2 = x^2 + 6x + 9",
    requires=Verdict.PROVED,
    anchors=(Anchor("week1/sheet.md", r"$$(x + 3)^2 = x^2 + 6x + 9$$"), Anchor("week1/sheet.md", r"a \, b")),
)
def square():
    x = z3.Real("x")
    return validity(prove((x + 3) ** 2 == x * x + 6 * x + 9, [x]))


CLAIMS = (square,)
'''

SHEET = "# Week 1\n\nExpand:\n\n$$(x + 3)^2 = x^2 + 6x + 9$$\n\nand note a \\, b.\n"


@pytest.fixture
def course(packs):
    packs.write(week1=PACK)
    packs.material("week1/sheet.md", SHEET)
    return packs


def test_cited_snippets_present_pass_and_are_reported(course):
    proc = course.check("unit", material=True, cache=True)
    result = proc.results.get("unit.ex1.a.square")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result["status"] == "pass" and [r["found"] for r in result["evidence"]["material"]] == [True, True]


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("(x + 3)^2 = x^2 + 6x + 9", "(x+3)^2=x^2+6x+9"),
    lambda t: t.replace("(x + 3)^2", "(x\\,+\\;3)^2").replace("6x", "6\\quad x"),
    lambda t: t.replace("$$(x + 3)^2 = x^2 + 6x + 9$$", "$$\n  (x + 3)^2 =\n  x^2 + 6x + 9\n$$"),
    lambda t: t.replace("a \\, b", "a b").replace("x^2 + 6x", "x^2 ~+ 6x"),
], ids=["spaces removed", "latex spacing", "line breaks", "spacing command dropped"])
def test_whitespace_and_latex_spacing_are_not_changes(course, edit):
    sheet = course / "material" / "week1" / "sheet.md"
    sheet.write_text(edit(SHEET))
    proc = course.check("unit", material=True, cache=True)
    result = proc.results.get("unit.ex1.a.square")
    assert proc.returncode == 0 and result["status"] == "pass", proc.stdout


@pytest.mark.parametrize("old, new", [("6x", "5x"), ("+ 9", "- 9"), ("(x + 3)^2", "(x + 3)^3"), ("a \\, b", "a \\, c")])
def test_changed_material_fails_as_stale_naming_file_and_snippet(course, old, new):
    assert course.check("unit", material=True, cache=True).returncode == 0  # an earlier run finds every snippet
    sheet = course / "material" / "week1" / "sheet.md"
    sheet.write_text(SHEET.replace(old, new))
    proc = course.check("unit", material=True, cache=True)
    result = proc.results.get("unit.ex1.a.square")
    assert proc.returncode == 1
    assert result["status"] == "fail" and result["verdict"] == "proved" and result["reason"].startswith("stale:")
    line = next(l for l in proc.stdout.splitlines() if l.strip().startswith("reason: stale"))
    assert "week1/sheet.md" in line
    assert any(f'"{snippet}" was at line' in line for snippet in ("$$(x + 3)^2 = x^2 + 6x + 9$$", "a \\, b"))
    assert "--material" in proc.stdout  # the rerun command keeps the material


def test_missing_material_file_is_stale(course):
    (course / "material" / "week1" / "sheet.md").unlink()
    proc = course.check("unit", material=True, cache=True)
    result = proc.results.get("unit.ex1.a.square")
    assert proc.returncode == 1 and "does not exist" in result["reason"]


def test_without_material_anchors_are_not_checked(course):
    (course / "material" / "week1" / "sheet.md").write_text("gone")
    proc = course.run("check", "unit")
    assert proc.returncode == 0


def test_material_must_be_a_directory(course):
    proc = course.run("check", "unit", "--material", course / "nope")
    assert proc.returncode == 4 and "not a directory" in proc.stderr


def test_normalise_removes_only_spacing():
    assert normalise("a \\, b\\;c \\quad d\\qquad e~f \\hspace{2em} g\t\nh\\!i\\ j") == "abcdefghij"
    assert normalise("\\alpha \\sim \\quadrant x\\~y") == "\\alpha\\sim\\quadrantx\\~y"


_SPACING = st.sampled_from([" ", "\n", "\t", "\\,", "\\;", "\\:", "\\!", "\\quad ", "\\qquad ", "~", "\\ ", "\\hspace{1em}"])


@given(st.text(alphabet="abcxyz0123456789+-=^(){}_|", min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(0, 30), _SPACING), max_size=6))
def test_spacing_anywhere_still_matches(snippet, insertions):
    spaced = snippet
    for position, space in sorted(insertions, reverse=True):
        position = min(position, len(spaced))
        spaced = spaced[:position] + space + spaced[position:]
    assert normalise(snippet) in normalise(f"before {spaced} after")


@given(st.text(alphabet="abc0123456789", min_size=1, max_size=20), st.integers(0, 19), st.sampled_from("xyz7"))
def test_a_changed_character_is_a_change(snippet, index, replacement):
    index %= len(snippet)
    changed = snippet[:index] + replacement + snippet[index + 1:]
    if changed != snippet:
        assert normalise(snippet) not in normalise(f"<{changed}>")


def test_every_seed_claim_cites_the_sheet(catalogue):
    missing = [c.id for c in catalogue.claims if c.pack == "seed" and not c.anchors]
    assert not missing


@pytest.mark.skipif(not SHEET_DIR.is_dir(), reason="the course material is not next to this checkout")
def test_seed_anchors_are_all_in_the_sheet(catalogue):
    cache = {}
    stale = [(c.id, r["snippet"]) for c in catalogue.claims for r in verify(c.anchors, SHEET_DIR, cache) if not r["found"]]
    assert not stale


@pytest.mark.skipif(not SHEET_DIR.is_dir(), reason="the course material is not next to this checkout")
def test_seed_claim_goes_stale_when_its_value_changes(tmp_path, catalogue):
    sheet = next(SHEET_DIR.glob("*.txt"))
    (tmp_path / sheet.name).write_text(sheet.read_text().replace("3 * 10 = 30", "3 * 10 = 33"))
    proc = cli("check", "ex1.b", "--material", str(tmp_path))
    assert proc.returncode == 1
    assert re.search(r"ex1\.b\.conv_params .* fail", proc.stdout) and '"3 * 10 = 30" (not found in' in proc.stdout
    assert re.search(r"ex1\.b\.conv_units .* pass", proc.stdout)


def test_anchor_paths_stay_inside_the_material():
    with pytest.raises(TypeError):
        Anchor("../outside.txt", "x")
    assert Path(Anchor("a/b.txt", "x").file).parts == ("a", "b.txt")


def test_material_that_is_not_utf8_is_named_as_such_not_stale(course):
    sheet = course / "material" / "week1" / "sheet.md"
    text = SHEET.replace("Expand:", "Développer :")
    sheet.write_bytes(text.encode("latin-1"))
    proc = course.check("unit", material=True, cache=True)
    result = proc.results.get("unit.ex1.a.square")
    assert proc.returncode == 1
    offset = text.encode("latin-1").index(b"\xe9")
    problems = {r["problem"] for r in result["evidence"]["material"]}
    assert problems == {f"{sheet} is not UTF-8 (byte 0xe9 at offset {offset})"}
    assert "snippet no longer in" not in result["reason"]


@pytest.mark.parametrize("snippet_form, material_form", [("NFC", "NFD"), ("NFD", "NFC"), ("NFD", "NFD")])
def test_snippet_and_material_are_compared_in_nfc(tmp_path, snippet_form, material_form):
    import unicodedata

    words = "la dérivée de ŷ est égale à 0"
    (tmp_path / "sheet.md").write_text("avant " + unicodedata.normalize(material_form, words) + " après", encoding="utf-8")
    [record] = verify([Anchor("sheet.md", unicodedata.normalize(snippet_form, words))], tmp_path)
    assert record == {"file": "sheet.md", "snippet": unicodedata.normalize(snippet_form, words), "found": True, "line": 1}


def test_a_found_snippet_is_located_and_a_typo_names_the_closest_passage(tmp_path):
    (tmp_path / "sheet.md").write_text("# Week 8\n\nIntro.\n\n**Solution:** $E = w^2x^2 + 2wx(b - t) + (b - t)^2$.\n")
    found, typo = verify([Anchor("sheet.md", "2wx(b - t)"), Anchor("sheet.md", "E = w^2x^2 + 2wx(b + t)")], tmp_path)
    assert (found["found"], found["line"]) == (True, 5)
    assert typo["found"] is False
    assert typo["problem"].startswith("not found in sheet.md; closest (line 5): ") and "2wx(b - t)" in typo["problem"]


def test_only_regular_files_are_read(tmp_path):
    import os

    os.mkfifo(tmp_path / "fifo.md")  # opening it to read would wait for a writer forever
    (tmp_path / "dir.md").mkdir()
    (tmp_path / "link.md").symlink_to(tmp_path / "fifo.md")
    records = verify([Anchor(name, "x") for name in ("fifo.md", "dir.md", "link.md")], tmp_path)
    assert [r["problem"] for r in records] == [f"material file {tmp_path / n} is not a regular file" for n in ("fifo.md", "dir.md", "link.md")]


def test_a_material_file_over_the_size_limit_is_not_read(tmp_path):
    from proofs.anchors import MAX_MATERIAL_BYTES

    with open(tmp_path / "huge.md", "wb") as fh:  # sparse: no disk space used
        fh.truncate(MAX_MATERIAL_BYTES + 1)
    (tmp_path / "limit.md").write_bytes(b"x" * (MAX_MATERIAL_BYTES - 3) + b"end")
    huge, limit = verify([Anchor("huge.md", "x"), Anchor("limit.md", "end")], tmp_path)
    assert not huge["found"] and huge["problem"] == (f"material file {tmp_path / 'huge.md'} is too large "
                                                     f"({MAX_MATERIAL_BYTES + 1} bytes; the limit is {MAX_MATERIAL_BYTES} bytes)")
    assert limit["found"]


def test_an_unreadable_material_file_is_named_with_the_reason(tmp_path, monkeypatch):
    import proofs.material as readers

    (tmp_path / "sheet.md").write_text("x")

    def refuse(path, flags, *args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(readers.os, "open", refuse)
    [record] = verify([Anchor("sheet.md", "x")], tmp_path)
    assert record["problem"] == f"cannot read material file {tmp_path / 'sheet.md'}: Permission denied"


def test_a_snippet_gone_since_an_earlier_run_is_stale_and_one_never_found_is_not_found(course):
    proc = course.check("unit", material=True, cache=True)
    result = proc.results["unit.ex1.a.square"]
    assert proc.returncode == 0 and result["evidence"]["material"][0]["line"] == 5
    sheet = course / "material" / "week1" / "sheet.md"
    sheet.write_text(SHEET.replace("6x + 9", "6x + 10"))
    proc = course.check("unit", material=True, cache=True)
    result = proc.results["unit.ex1.a.square"]
    assert proc.returncode == 1
    assert result["reason"].startswith("stale: the material changed; review the claim against it: week1/sheet.md: "
                                       '"$$(x + 3)^2 = x^2 + 6x + 9$$" was at line 5 in an earlier run and is gone '
                                       "(not found in week1/sheet.md; closest (line 5): $$(x + 3)^2 = x^2 + 6x + 10$$)")
    fresh = course / "fresh-cache"
    proc = course.check("unit", material=True, cache=fresh)  # no earlier run saw it: a mistake in the anchor
    result = proc.results["unit.ex1.a.square"]
    assert result["reason"].startswith("not found: the claim cites text the material does not have: week1/sheet.md: ")
    assert "closest (line 5)" in result["reason"]
