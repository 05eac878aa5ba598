"""`proofs scan` is wired to proofs.scan.command, imported only when that command is asked for."""

import io
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli
from proofs import cli

command = pytest.importorskip("proofs.scan.command")


def test_scan_is_listed_and_takes_its_own_options():
    listed = run_cli("--help")
    assert listed.returncode == 0 and "scan" in listed.stdout
    helped = run_cli("scan", "--help")
    assert helped.returncode == 0 and "--material" in helped.stdout


def test_scan_without_its_required_option_is_a_usage_error():
    proc = run_cli("scan")
    assert proc.returncode == 4 and "--material" in proc.stderr and "Traceback" not in proc.stderr


def test_other_commands_do_not_import_scan():
    probe = ("import sys; from proofs.cli import build_parser; build_parser('check').parse_args(['check', 'all']); "
             "print(any(m == 'proofs.scan' or m.startswith('proofs.scan.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_scan_runs_the_scan_modules_main_with_the_cli_streams(monkeypatch, tmp_path):
    seen = []

    def fake(args, stdout, stderr):
        seen.append((args.material, stdout, stderr))
        return 7

    monkeypatch.setattr(command, "main", fake)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["scan", "--material", str(tmp_path)], out, err) == 7
    assert seen == [(tmp_path, out, err)]
