import io
import json
import os
import re
import shutil
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, cli, run_cli
from proofs.cli import main


def test_check_all_passes_with_errata(seed_check):
    proc = seed_check  # `python -m proofs check all`, run once for the tests that read it
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert " fail" in last and "0 fail" in last and "erratum" in last


def test_json_report_schema():
    proc = cli("check", "ex1", "ex2.weights", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["schema"] == "proofs-report/1"
    assert set(report["tool"]) >= {"proofs", "python", "z3", "sympy"}
    assert set(report["summary"]) >= {"total", "pass", "erratum", "fail", "seconds"}
    assert report["summary"]["total"] == len(report["results"])
    verdicts = {"proved", "exhausted", "not_refuted", "supported", "refuted", "unknown", "timeout", "error"}
    for r in report["results"]:
        assert set(r) >= {"id", "exercise", "part", "statement", "verdict", "status", "method", "evidence",
                          "assumptions", "erratum", "seconds"}
        assert isinstance(r["exercise"], int) and r["verdict"] in verdicts and r["status"] in {"pass", "erratum", "fail"}
        assert isinstance(r["assumptions"], list) and isinstance(r["evidence"], dict)


def test_refuted_claim_shows_counterexample_values_and_rerun():
    proc = cli("check", "--claims", str(GOLDEN / "false"), "ex91")
    assert proc.returncode == 1
    assert "counterexample: x = " in proc.stdout and "evaluated: x^2 = " in proc.stdout
    assert f"rerun: python -m proofs check --claims {GOLDEN / 'false'} ex91.a.square_is_linear" in proc.stdout


def test_golden_holds_is_clean():
    proc = cli("check", "--claims", str(GOLDEN / "holds"), "ex90")
    assert proc.returncode == 0 and "2 pass, 0 erratum, 0 fail" in proc.stdout


@pytest.mark.slow
def test_faults_exit_1_and_report_each_claim(tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("check", "--claims", str(GOLDEN / "faults"), "--claims", str(GOLDEN / "holds"), "ex99", "ex90",
                   "--timeout", "5", "--memory-mb", "512", "--format", "json", "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    results = {r["id"]: r for r in json.loads(out.read_text())["results"]}
    assert results["ex99.hangs"]["verdict"] == results["ex99.hangs_in_c"]["verdict"] == "timeout"
    assert results["ex99.unknown"]["verdict"] == "unknown"
    for name in ("raises", "exits", "garbage", "forged", "memory"):
        assert results[f"ex99.{name}"]["verdict"] == "error"
    assert all(results[i]["status"] == "pass" for i in results if i.startswith("ex90"))


@pytest.mark.parametrize("args, words", [
    (("check", "ex1.b.conv_unit"), "closest: ex1.b.conv_units"),
    (("check", "ex7"), "matches no claim"),
    (("check", "all", "--bogus"), "unrecognized arguments"),
    (("check", "all", "--timeout", "soon"), "expected a finite number of seconds, more than 0 and at most 86400, got 'soon'"),
    (("check", "all", "--jobs", "0"), "at least 1"),
    (("show", "ex2.nope"), "no claim"),
    (("frobnicate",), "invalid choice"),
    ((), "a command is required"),
])
def test_usage_errors_are_one_line_exit_4(args, words):
    proc = cli(*args)
    assert proc.returncode == 4
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""


def test_a_usage_error_from_the_shell_is_one_line_and_exit_status_4():
    for args in (("check", "all", "--bogus"), ()):
        proc = run_cli(*args)
        assert proc.returncode == 4, proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""


def test_glob_selecting_nothing_exits_5():
    proc = cli("check", "ex1.zz*")
    assert proc.returncode == 5


def test_version_and_console_script_agree():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("proofs ")
    script = shutil.which("proofs", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if script is None:
        pytest.skip("the proofs console script is not installed (pip install -e . installs it)")
    for args, module in ((["--version"], proc), (["list"], cli("list"))):  # what `python -m proofs` runs: proofs.cli.main
        installed = subprocess.run([script, *args], cwd=ROOT, capture_output=True, text=True)
        assert installed.returncode == module.returncode == 0 and installed.stdout == module.stdout


def test_list_and_show():
    listed = cli("list")
    assert listed.returncode == 0 and "ex2.nonunique.output_params" in listed.stdout and "erratum" in listed.stdout
    shown = cli("show", "ex1.b.conv_params")
    assert shown.returncode == 0
    for words in ("statement:", "formal:", "assumes: the input image has one channel", "perturbation rgb_input",
                  "under the other reading of the input's channels (3): 84 parameters", "cites 000_40bb9e3d6bfa7e9d.txt: 3 * 10 = 30"):
        assert words in shown.stdout


ERRATUM_PACK = """
from proofs import Erratum, Outcome, Replay, Verdict, claim


@claim("ex96.a.printed", exercise=96, part="a", statement="1 + 1 = 3.", asserts="1 + 1 = 3", formal="1 + 1 = 3",
       requires=Verdict.PROVED, erratum=Erratum("1 + 1 = 2", "ex96.a.fixed"),
       replay=lambda witness: Replay(1 + 1 == 3, {"1 + 1": 1 + 1}))
def printed():
    return Outcome(Verdict.REFUTED, "inspection", {}, witness={})


@claim("ex96.a.fixed", exercise=96, part="a", statement="1 + 1 = 2.", asserts="1 + 1 = 2", formal="1 + 1 = 2",
       requires=Verdict.PROVED)
def fixed():
    return Outcome(Verdict.PROVED if 1 + 1 == 2 else Verdict.REFUTED, "inspection", {})


CLAIMS = (printed, fixed)
"""


def test_strict_fails_on_errata(packs):
    packs.write(errata=ERRATUM_PACK)
    checked = packs.check("ex96")
    assert checked.returncode == 0 and checked.results["ex96.a.printed"]["status"] == "erratum", checked.stdout
    strict = packs.check("ex96", "--strict")
    assert strict.returncode == 1 and strict.results["ex96.a.printed"]["status"] == "fail", strict.stdout


def test_output_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("previous")
    import proofs.report as report

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken)
    err = io.StringIO()
    code = main(["check", "ex1.b", "--format", "json", "--output", str(target)], io.StringIO(), err)
    assert code == 3 and err.getvalue() == f"error: cannot write the json report to {target}: disk full\n"
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_text_output_file_and_colour(tmp_path):
    target = tmp_path / "report.txt"
    assert main(["check", "ex1.b", "--output", str(target)], io.StringIO(), io.StringIO()) == 0
    text = target.read_text()
    assert "ex1.b.conv_units" in text and "\x1b[" not in text


def test_interrupt_writes_what_it_has_and_exits_2(tmp_path):
    out = tmp_path / "partial.json"
    proc = subprocess.Popen([sys.executable, "-m", "proofs", "check", "--claims", str(GOLDEN / "holds"),
                             "--claims", str(GOLDEN / "faults"), "ex90", "ex99.hangs", "--jobs", "1",
                             "--format", "json", "--output", str(out), "--format", "text"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    seen = []  # the claim lines (details are indented): the two quick claims have finished; the hang is running
    while len(seen) < 2 and (line := proc.stdout.readline()):
        if not line.startswith(" "):
            seen.append(line)
    assert len(seen) == 2 and all(line.startswith("ex90.") for line in seen), seen
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 2
    report = json.loads(out.read_text())
    assert report["interrupted"] is True
    assert [r["id"] for r in report["results"]] == ["ex90.a.square_expansion", "ex90.b.small_squares"]


def _mixed_packs(tmp_path):
    (tmp_path / "good.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    (tmp_path / "broken.py").write_text("import z3\n\nCLAIMS = [\n")
    return tmp_path


def test_broken_pack_fails_the_run_while_the_others_are_checked(tmp_path):
    packs = _mixed_packs(tmp_path)
    report = tmp_path / "report.json"
    proc = cli("check", "ex90", "--claims", str(packs), "--format", "json", "--output", str(report), "--format", "text")
    assert proc.returncode == 1, proc.stderr
    assert f"load error: {packs / 'broken.py'}:3: pack '{packs.name}/broken': syntax error" in proc.stdout
    assert "ex90.a.square_expansion" in proc.stdout and "2 pack load error" not in proc.stdout
    data = json.loads(report.read_text())
    assert data["summary"]["load_errors"] == 1 and data["summary"]["fail"] == 0
    assert data["load_errors"] == [{"pack": f"{packs.name}/broken", "file": str(packs / "broken.py"), "line": 3,
                                    "message": data["load_errors"][0]["message"]}]
    assert {r["status"] for r in data["results"]} == {"pass"}


def test_list_names_each_claims_pack_and_fails_on_a_broken_pack(tmp_path):
    packs = _mixed_packs(tmp_path)
    proc = cli("list", "--claims", str(packs))
    assert proc.returncode == 1 and "broken.py:3" in proc.stderr
    line = next(l for l in proc.stdout.splitlines() if l.startswith("ex90.a.square_expansion"))
    assert f"pack {packs.name}/good" in line
    assert "pack seed" in next(l for l in proc.stdout.splitlines() if l.startswith("ex1."))


def test_selector_in_a_pack_that_did_not_load_is_a_failure_not_a_usage_error(tmp_path):
    packs = _mixed_packs(tmp_path)
    proc = cli("check", "ex95", "--claims", str(packs))
    assert proc.returncode == 1 and "broken.py:3" in proc.stderr and "matches no claim" in proc.stderr


def test_a_reader_that_goes_away_is_not_an_internal_error():
    proc = subprocess.run(["bash", "-c", f"{shlex.quote(sys.executable)} -m proofs check ex1 ex2 --jobs 1 | head -1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith("ex1.") and "error" not in proc.stderr


def test_an_installed_pack_is_found_through_its_entry_point(tmp_path):
    site = tmp_path / "site"
    (site / "coursepack").mkdir(parents=True)
    (site / "coursepack" / "__init__.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    info = site / "coursepack-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: coursepack\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[proofs.packs]\nweek90 = coursepack\n")
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = run_cli("list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^ex90\.a\.square_expansion +pack week90 ", listed.stdout, re.M)
    assert re.search(r"^ex1\.a\.receptive_field +pack seed ", listed.stdout, re.M)
    checked = run_cli("check", "ex90", env=env)
    assert checked.returncode == 0 and "2 claims: 2 pass" in checked.stdout


def test_a_claim_a_report_cannot_render_fails_the_run_naming_it(monkeypatch, tmp_path):
    from proofs.writers.json_ import JsonWriter

    original = JsonWriter.entry

    def broken(self, r):
        if r.id == "ex1.b.conv_params" and r.status.value == "pass":
            raise ValueError("cannot render this one")
        return original(self, r)

    monkeypatch.setattr(JsonWriter, "entry", broken)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "ex1.b", "--no-cache", "--format", "json", "--output", str(tmp_path / "r.json"),
                 "--format", "text"], out, err)
    assert code == 3, out.getvalue() + err.getvalue()
    assert "could not render 1 claim(s): ex1.b.conv_params" in err.getvalue()
    report = json.loads((tmp_path / "r.json").read_text())
    assert any(r["id"] == "ex1.b.conv_params" and r["status"] == "fail" for r in report["results"])
