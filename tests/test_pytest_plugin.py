"""The pytest plugin, run as a course would run it: `pytest --proofs` in a directory of its own."""

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import GOLDEN, ROOT, shared

pytestmark = pytest.mark.slow  # every test is a pytest session of its own, checking claims

ERRATUM_PACK = '''
import z3
from proofs import Erratum, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove


@claim("unit.ex1.a.not_wrong_after_all", exercise=1, part="a", statement="x + x = 2x.", asserts="x + x = 2x",
       formal="for every real x: x + x = 2x", requires=Verdict.PROVED,
       erratum=Erratum("recorded as wrong, but it holds", corrected_by="unit.ex1.a.other"))
def not_wrong_after_all():
    x = z3.Real("x")
    return validity(prove(x + x == 2 * x, [x]))


@claim("unit.ex1.a.other", exercise=1, part="a", statement="x + x + x = 3x.", asserts="x + x + x = 3x",
       formal="for every real x: x + x + x = 3x", requires=Verdict.PROVED)
def other():
    x = z3.Real("x")
    return validity(prove(x + x + x == 3 * x, [x]))


CLAIMS = (not_wrong_after_all, other)
'''


def pytest_run(cwd, *args, timeout=300):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)
    outcomes = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS) proofs::(\S+)", line)
        if m:
            outcomes[m.group(2)] = m.group(1)
    return proc, outcomes


# The seed's modules the pytest-xdist session runs: two modules of claims that pass and errata of the material (the
# same collection, scheduling and reports as the whole catalogue, whose checks take four times as long).
SESSION_MODULES = ("ex1", "ex2")


@pytest.fixture(scope="session")
def whole_catalogue(request):
    """`pytest --proofs=ex1,ex2 -n 2` in a directory of its own, run once per test session and shared by every worker:
    the claims of two seed modules as tests, spread over two pytest-xdist workers."""

    def make(directory):
        (directory / "course").mkdir()
        proc, outcomes = pytest_run(directory / "course", f"--proofs={','.join(SESSION_MODULES)}", "-n", "2")
        (directory / "run.json").write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout,
                                                         "outcomes": outcomes}))

    stored = json.loads((shared(request, "plugin-whole-catalogue", make) / "run.json").read_text())
    return subprocess.CompletedProcess([], stored["returncode"], stored["stdout"]), stored["outcomes"]


def test_claims_become_tests_with_errata_as_strict_xfail(whole_catalogue, catalogue):
    proc, outcomes = whole_catalogue
    assert proc.returncode == 0, proc.stdout
    expected = {c.id: "XFAIL" if c.erratum else "PASSED" for c in catalogue.claims if c.id.startswith(("ex1.", "ex2."))}
    assert {i: o for i, o in outcomes.items() if i.startswith(("ex1.", "ex2."))} == expected
    assert "XFAIL proofs::ex1.d.max_pool_derivative - erratum of the material: at a tie" in proc.stdout


# A pack module whose import fails with a message that would drive a terminal (a link, a screen clear).
CONTROL_SEQUENCES = 'raise RuntimeError("\\x1b]8;;https://example.com/\\x07click\\x1b[2J")\n'


def test_failures_errors_load_errors_and_stale_errata_carry_the_cli_messages(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "erratum.py").write_text(ERRATUM_PACK)
    (pack / "good.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    (pack / "broken.py").write_text("import z3\n\nCLAIMS = [\n")
    (pack / "hostile.py").write_text(CONTROL_SEQUENCES)
    proc, outcomes = pytest_run(tmp_path, "--proofs=ex90,ex91,ex99.raises,ex99.exits,ex99.unknown,ex99.hangs,unit,ex1.d.max_pool_derivative",
                                f"--proofs-claims={GOLDEN / 'false'}", f"--proofs-claims={GOLDEN / 'faults'}",
                                f"--proofs-claims={pack}", "--proofs-timeout=2")
    assert proc.returncode == 1
    assert outcomes == {"ex90.a.square_expansion": "PASSED", "ex90.b.small_squares": "PASSED",
                        "ex91.a.square_is_linear": "FAILED", "ex99.unknown": "ERROR", "ex99.raises": "ERROR",
                        "ex99.exits": "ERROR", "ex99.hangs": "ERROR", "load[pack/broken]": "ERROR", "load[pack/hostile]": "ERROR",
                        "unit.ex1.a.not_wrong_after_all": "FAILED", "unit.ex1.a.other": "PASSED",
                        "ex1.d.max_pool_derivative": "XFAIL"}
    assert "XFAIL proofs::ex1.d.max_pool_derivative - erratum of the material: at a tie" in proc.stdout  # in one process too
    assert "counterexample: x = " in proc.stdout and "evaluated: x^2 = " in proc.stdout
    assert f"rerun: python -m proofs check --claims {GOLDEN / 'false'}" in proc.stdout
    assert re.search(r"ERROR at setup of claim ex99\.hangs.*?timeout: killed after 2 s", proc.stdout, re.S)
    assert f"load error: {pack / 'broken.py'}:3" in proc.stdout
    assert "recorded as an erratum but no longer refuted" in proc.stdout  # strict: not an xfail, not an xpass
    assert "Traceback" not in proc.stdout
    # a load error's message is printed as data: its control sequences escaped, never sent to the terminal
    assert "\x1b]8" not in proc.stdout and "\\x1b]8;;https://example.com/\\x07click" in proc.stdout


COUNTED_PACK = '''
import os

import z3
from proofs import Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove

with open(os.environ["IMPORTS"], "a") as imports:
    imports.write(f"{os.getpid()}\\n")


def _more(n):
    @claim(f"unit.ex1.a.more_{n}", exercise=1, part="a", statement=f"x + {n} > x.", asserts=f"x + {n} > x",
           formal=f"for every real x: x + {n} > x", requires=Verdict.PROVED)
    def more():
        x = z3.Real("x")
        return validity(prove(x + n > x, [x]))
    return more


CLAIMS = tuple(_more(n) for n in range(1, 7))
'''


def test_a_process_checks_the_claims_it_runs_next_in_one_run(tmp_path):
    """Six claims of one module, as six tests in one process, each with its own outcome: the module is imported by
    the module processes of one run (and the description before it), not once per test."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "counted.py").write_text(COUNTED_PACK)
    imports = tmp_path / "imports.txt"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-n", "0", "--proofs=unit",
                           f"--proofs-claims={pack}"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "IMPORTS": str(imports)})
    outcomes = re.findall(r"^PASSED proofs::(\S+)", proc.stdout, re.M)
    assert proc.returncode == 0 and sorted(outcomes) == [f"unit.ex1.a.more_{n}" for n in range(1, 7)], proc.stdout
    pids = imports.read_text().split()
    assert 1 <= len(pids) <= 2 and str(os.getpid()) not in pids, pids


def test_material_without_a_cited_snippet_fails_and_runxfail_fails_the_errata(tmp_path):
    seed = ROOT.parent / "shared" / "seed"
    sheet = next(seed.glob("*.txt"), None) if seed.is_dir() else None
    if sheet is None:
        pytest.skip("the course material is not next to this checkout")
    (tmp_path / "material").mkdir()
    (tmp_path / "material" / sheet.name).write_text(sheet.read_text().replace("3 * 10 = 30", "3 * 10 = 31"))
    proc, outcomes = pytest_run(tmp_path, "--proofs=ex1.b,ex3.a.bigram_reason", f"--proofs-material={tmp_path / 'material'}",
                                "--runxfail")
    assert proc.returncode == 1
    # --runxfail: an erratum, refuted as expected, is a failure with its counterexample
    assert outcomes == {"ex1.b.conv_units": "PASSED", "ex1.b.conv_params": "FAILED", "ex3.a.bigram_reason": "FAILED"}
    assert 'not found: the claim cites text the material does not have: ' in proc.stdout and '"3 * 10 = 30"' in proc.stdout
    assert "counterexample: p = [" in proc.stdout


def test_xdist_spreads_the_catalogue_with_the_same_outcomes(whole_catalogue, catalogue):
    proc, outcomes = whole_catalogue
    assert proc.returncode == 0, proc.stdout
    assert re.search(r"created: 2/2 workers", proc.stdout)
    expected = {c.id: "XFAIL" if c.erratum else "PASSED" for c in catalogue.claims if c.id.split(".")[0] in SESSION_MODULES}
    assert outcomes == expected
    assert len(expected) >= 10 and set(expected.values()) == {"XFAIL", "PASSED"}


def test_without_the_option_nothing_is_collected(tmp_path):
    proc, outcomes = pytest_run(tmp_path)
    assert proc.returncode == 5 and outcomes == {}


def test_unknown_selector_is_a_usage_error(tmp_path):
    proc, _ = pytest_run(tmp_path, "--proofs=ex77")
    assert proc.returncode == 4 and "selector 'ex77' matches no claim" in proc.stderr
