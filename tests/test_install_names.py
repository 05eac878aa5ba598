"""The engine's import names cannot be shadowed by a user's folders, and every package folder is installed."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _installed_packages():
    setup = PYPROJECT["tool"]["setuptools"]
    return set(setup["packages"]), setup["package-dir"]


def test_every_package_folder_is_installed_under_its_name():
    packages, folders = _installed_packages()
    found = set()
    for top, name in (("proofs", "proofs"), ("claims", "proofs.claims"), ("solvers", "proofs.solvers")):
        assert folders.get(name, top) == top
        for init in (ROOT / top).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((name, *relative)))
    assert found == packages


def test_no_module_imports_the_top_level_folders_by_their_own_names():
    pattern = re.compile(r"^\s*(from|import)\s+(claims|solvers)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for top in ("proofs", "claims", "solvers", "tests", "benchmarks")
                 for p in (ROOT / top).rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.slow
def test_check_runs_from_a_folder_holding_claims_solvers_and_proofs_folders_of_its_own(tmp_path):
    for name in ("claims", "solvers", "proofs"):
        (tmp_path / name).mkdir()
    (tmp_path / "claims" / "__init__.py").write_text("raise RuntimeError('the user folder was imported')\n")
    (tmp_path / "solvers" / "__init__.py").write_text("raise RuntimeError('the user folder was imported')\n")
    (tmp_path / "solvers" / "smt.py").write_text("raise RuntimeError('the user folder was imported')\n")
    (tmp_path / "proofs" / "notes.txt").write_text("a folder of the user's own\n")
    script = shutil.which("proofs", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    for command in ([sys.executable, "-m", "proofs"], *([[script]] if script else [])):
        proc = subprocess.run([*command, "check", "ex1", "ex4", "-q", "--no-cache"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert re.search(r"\d+ claims: \d+ pass, \d+ erratum, 0 fail", proc.stdout), proc.stdout
        assert "user folder" not in proc.stdout + proc.stderr
