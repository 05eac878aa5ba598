"""`proofs scan` is wired to proofs.scan.command, imported only when that command is asked for."""

import io
import subprocess
import sys

import pytest

from conftest import ROOT, cli as in_process, run_cli
from proofs import cli

command = pytest.importorskip("proofs.scan.command")


def test_scan_is_listed_and_takes_its_own_options():
    listed = run_cli("--help")
    assert listed.returncode == 0 and "scan" in listed.stdout
    helped = run_cli("scan", "--help")
    assert helped.returncode == 0 and "--material" in helped.stdout


def test_scan_without_its_required_option_is_a_usage_error():
    proc = in_process("scan")
    assert proc.returncode == 4 and "--material" in proc.stderr and "Traceback" not in proc.stderr


def test_other_commands_do_not_import_scan():
    probe = ("import sys; from proofs.cli import build_parser; build_parser('check').parse_args(['check', 'all']); "
             "print(any(m == 'proofs.scan' or m.startswith('proofs.scan.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


# The check engine and the solvers: what `check`, `show`, `audit`, `mutants` and `export-smt` import, `scan` need not.
_ENGINE = ("proofs.runner", "proofs.interpret", "proofs.evaluate", "proofs.trust", "sympy", "z3")


def _imported_by(*argv: str) -> list:
    """The modules of _ENGINE that `python -m proofs ARGV` has imported when its command returns."""
    probe = ("import io, sys; from proofs.cli import main; "
             f"code = main({list(argv)!r}, io.StringIO(), io.StringIO()); "
             f"print(code, [m for m in {_ENGINE!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code, modules = done.stdout.strip().splitlines()[-1].split(" ", 1)  # after what --help prints
    return [int(code), modules]


def test_scan_help_imports_neither_the_check_engine_nor_the_solvers():
    assert _imported_by("scan", "--help") == [0, "[]"]
    assert _imported_by("--help") == [0, "[]"]


def test_a_cached_scan_does_not_import_the_check_engine(tmp_path):
    """An unchanged re-scan reads its steps back: the scan's own modules (and the libraries they name) only."""
    material, cache = tmp_path / "course", tmp_path / "cache"
    material.mkdir()
    (material / "a.md").write_text("# Ex\n\nStep 1: $$(x + 1)^2 = x^2 + 2x + 1$$\n\nStep 2: $$2 + 2 = 4$$\n")
    argv = ("scan", "--material", str(material), "--cache-dir", str(cache))
    _imported_by(*argv)
    code, modules = _imported_by(*argv)
    assert code == 0
    assert not any(m in modules for m in ("proofs.runner", "proofs.interpret", "proofs.evaluate", "proofs.trust")), modules


def test_check_still_imports_the_engine_when_it_checks():
    assert "proofs.runner" in _imported_by("check", "ex1.a.receptive_field", "--no-cache")[1]


def test_scan_runs_the_scan_modules_main_with_the_cli_streams(monkeypatch, tmp_path):
    seen = []

    def fake(args, stdout, stderr):
        seen.append((args.material, stdout, stderr))
        return 7

    monkeypatch.setattr(command, "main", fake)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["scan", "--material", str(tmp_path)], out, err) == 7
    assert seen == [(tmp_path, out, err)]


def test_a_named_file_that_does_not_exist_is_a_usage_error_not_a_passing_scan(tmp_path):
    material = tmp_path / "course"
    material.mkdir()
    (material / "a.md").write_text("Step: $$2 + 2 = 5$$\n")
    typo = in_process("scan", "--material", str(material), str(material / "b.md"))
    assert typo.returncode == 4 and "no such file" in typo.stderr and "b.md" in typo.stderr, typo.stderr
    outside = tmp_path / "notes.md"
    outside.write_text("$$1 = 1$$\n")
    left_out = in_process("scan", "--material", str(material), str(outside))  # exists, outside the material: left out
    assert left_out.returncode == 0, left_out.stderr
    named = in_process("scan", "--material", str(material), str(material / "a.md"))
    assert named.returncode == 1  # the slip in the named file fails the gate
