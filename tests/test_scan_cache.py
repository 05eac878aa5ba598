"""The scan's result cache and its jobs: a file's steps are reused only when nothing the scan read or decided with
changed, and the report is the same however many files were reused or how many processes scanned them."""

import io
import json

import pytest

from proofs.scan.command import run

SHEETS = {
    "a.md": "# 1 Squares\n\n(a) $$(x + 1)^2 = x^2 + 2x + 1$$\n\n(b) $$(x - 1)^2 = x^2 - 2x + 1$$\n",
    "b.md": "# 2 Sums\n\n$$\\sum_{i=1}^{3} i = 6$$ and $$2 \\cdot 3 + 1 = 7$$\n",
    "c.tex": "\\section{Exercise 3}\n\\paragraph{(a)} $\\frac{a}{b} \\cdot b = a$ for $b \\neq 0$.\n",
}


def scan(material, cache, *args):
    out, err = io.StringIO(), io.StringIO()
    code = run(["--material", str(material), "--cache-dir", str(cache), *map(str, args)], out, err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


def report(material, cache, *args):
    code, text = scan(material, cache, "--format", "json", *args)
    return code, json.loads(text)


@pytest.fixture
def course(tmp_path):
    material = tmp_path / "m"
    material.mkdir()
    for name, text in SHEETS.items():
        (material / name).write_text(text)
    return material


def test_an_unchanged_rescan_reuses_every_file_and_reports_the_same(course, tmp_path):
    cache = tmp_path / "cache"
    cold = report(course, cache)
    _, text = scan(course, cache)
    assert "3 of 3 file(s) unchanged since a scan" in text
    assert report(course, cache) == cold == report(course, tmp_path / "other", "--no-cache")


def test_an_edited_file_is_scanned_again_and_only_it(course, tmp_path):
    cache = tmp_path / "cache"
    code, before = report(course, cache)
    assert code == 0
    (course / "b.md").write_text(SHEETS["b.md"].replace("= 7", "= 8"))
    _, text = scan(course, cache)
    assert "2 of 3 file(s) unchanged" in text and "b.md:3: refuted: 2 \\cdot 3 + 1 = 8" in text
    code, after = report(course, cache)
    assert code == 1 and after == report(course, tmp_path / "fresh")[1]


@pytest.mark.parametrize("change", [("--no-sympy-reader",), ("--timeout", "7")])
def test_other_options_rescan(course, tmp_path, change):
    cache = tmp_path / "cache"
    scan(course, cache)
    _, text = scan(course, cache, *change)
    assert "unchanged since a scan" not in text


def test_another_checker_rescans(course, tmp_path, monkeypatch):
    from proofs.scan import cache as scan_cache

    cache = tmp_path / "cache"
    scan(course, cache)
    monkeypatch.setattr(scan_cache, "tool_digest", lambda: "another version of the checker")
    _, text = scan(course, cache)
    assert "unchanged since a scan" not in text


def test_a_damaged_entry_is_scanned_again(course, tmp_path):
    cache = tmp_path / "cache"
    _, cold = report(course, cache)
    entries = sorted(cache.glob("*/*.json"))
    assert len(entries) == 3
    entries[0].write_text(entries[0].read_text()[:-20])
    forged = json.loads(entries[1].read_text())
    forged["steps"][0]["error"] = True
    entries[1].write_text(json.dumps(forged))
    _, text = scan(course, cache)
    assert "1 of 3 file(s) unchanged" in text
    assert report(course, cache)[1] == cold


def test_a_step_that_ran_out_of_time_is_never_stored(course, tmp_path, monkeypatch):
    from proofs.scan import sympy_reader

    cache = tmp_path / "cache"
    real = sympy_reader._lark_readings

    def slow(text):  # every second reading of this run runs out of its time
        sympy_reader.PARSE_TIMEOUTS[0] += 1
        return real(text)

    monkeypatch.setattr(sympy_reader, "_lark_readings", slow)
    scan(course, cache, "--jobs", "1")
    assert list(cache.glob("*/*.json")) == []


def test_jobs_do_not_change_the_report(course, tmp_path):
    one = report(course, tmp_path / "c1", "--jobs", "1", "--no-cache")
    two = report(course, tmp_path / "c2", "--jobs", "2", "--no-cache")
    assert one == two and one[1]["summary"]["files"] == 3


def test_the_parser_and_notebook_libraries_are_part_of_the_key_by_their_installed_version(monkeypatch):
    from proofs.scan import cache as scan_cache

    before, real = scan_cache.tool_digest(), scan_cache._installed
    monkeypatch.setattr(scan_cache, "_installed", lambda name: "9.9" if name == "lark" else real(name))
    assert scan_cache.tool_digest() != before


@pytest.mark.slow
def test_a_run_whose_every_file_is_reused_imports_neither_parser_nor_notebook_library(course, tmp_path):
    """What an unchanged re-scan costs beyond the import floor: it reads its steps back, and parses nothing."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    scan(course, cache)
    probe = ("import io, sys; from proofs.scan.command import run; "
             f"code = run(['--material', {str(course)!r}, '--cache-dir', {str(cache)!r}], io.StringIO(), io.StringIO()); "
             "print(code, sorted(m for m in ('lark', 'nbformat', 'jsonschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split(None, 1)[1].strip() == "[]"
