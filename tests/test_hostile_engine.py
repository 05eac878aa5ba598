"""Pack code never runs in the checker's own process: a module's import, in its module process, cannot change how the
command ends, not by ending a process, not by patching the engine, not through the import path; a module process or a
check's process cannot turn a verdict into a pass by patching the engine there."""

import json
import subprocess
import sys
import time

import pytest

from conftest import GOLDEN, ROOT, Packs, run_cli

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server runs on Linux")

HEADER = Packs.HEADER


def _false(claim_id, body=""):
    """A claim whose check runs `body` and reports a refutation it asserted: it always fails."""
    return Packs.claim(claim_id, f"{body}\nholds = False")


@linux_only
@pytest.mark.parametrize("ending", [
    "atexit.register(lambda: os._exit(0))",
    "signal.signal(signal.SIGTERM, lambda *a: os._exit(0))\natexit.register(lambda: os.kill(os.getpid(), signal.SIGTERM))",
    "sys.exit = lambda code=0: os._exit(0)",
])
def test_an_exit_hook_left_by_a_pack_cannot_turn_a_failed_run_into_exit_0(tmp_path, ending, packs):
    packs.write(**{"ends": HEADER + _false("hostile.ex1.fails") + ending + "\nCLAIMS = (hostile_ex1_fails,)\n"})
    proc = packs.check("hostile.*", process=True)
    report = proc.report
    assert proc.returncode == 1, proc.stderr
    assert report["summary"]["fail"] == 1


@linux_only
def test_a_thread_that_ends_the_checker_mid_run_is_never_a_pass(tmp_path, packs):
    starts = "threading.Thread(target=lambda: (time.sleep(1), os._exit(0)), daemon=True).start()\n"
    packs.write(**{"ends": HEADER + starts + _false("hostile.ex1.slow", "time.sleep(6)")
                            + "CLAIMS = (hostile_ex1_slow,)\n",
                            "slow": HEADER + _false("hostile.ex2.slow", "time.sleep(3)") + "CLAIMS = (hostile_ex2_slow,)\n"})
    proc = packs.check("hostile.*", process=True)
    assert proc.returncode in (1, 3), proc.stderr
    if proc.returncode == 3:
        assert "ended without finishing: it exited with code 0" in proc.stderr and "Traceback" not in proc.stderr


PATCHES = {
    "classify": "import proofs.evaluate, proofs.verdicts\n"
                "proofs.evaluate.classify = lambda verdict, **k: (Status.PASS, 'patched')\n"
                "proofs.verdicts.classify = proofs.evaluate.classify\n",
    "exit codes": "sys.modules['proofs.cli'].ExitCode = type('E', (), dict(OK=0, FAILURES=0, INTERRUPTED=0, "
                  "INTERNAL_ERROR=0, USAGE_ERROR=0, NO_CLAIMS=0))\n",
    "code in place": "import proofs.verdicts\nproofs.verdicts.classify.__code__ = "
                     "(lambda verdict, *, requires, erratum, strict=False: (Status.PASS, 'x')).__code__\n",
    "strengths": "import proofs.verdicts as v\nv._STRENGTH[v.Verdict.SUPPORTED] = 4\n",
    "class": "import proofs.model\nproofs.model.Result.from_json = classmethod(lambda cls, d: None)\n",
    "module": "import types\nsys.modules['proofs.writers.json_'] = types.ModuleType('proofs.writers.json_')\n",
}


@pytest.fixture(scope="module")
def honest_alone(tmp_path_factory):
    pack = Packs(tmp_path_factory.mktemp("honest")).write(**{"honest": HEADER + _false("hostile.ex2.fails")
                                                          + "CLAIMS = (hostile_ex2_fails,)\n"})
    (result,) = Packs(pack.parent).check("hostile.*", process=True).report["results"]
    return result


@linux_only
@pytest.mark.parametrize("patch", sorted(PATCHES))
def test_a_module_that_patches_the_engine_when_imported_changes_nothing_in_the_checker(tmp_path, patch, honest_alone, packs):
    # the patch is made in the module's own process only: the checker never imports the module, classifies its
    # results again, and the other module's process never sees it
    packs.write(**{"patches": HEADER + PATCHES[patch] + _false("hostile.ex1.fails")
                            + "CLAIMS = (hostile_ex1_fails,)\n",
                            "honest": HEADER + _false("hostile.ex2.fails") + "CLAIMS = (hostile_ex2_fails,)\n"})
    proc = packs.check("hostile.*", process=True)
    report = proc.report
    assert proc.returncode == 1, proc.stderr
    assert report["load_errors"] == []
    assert {r["id"]: r["status"] for r in report["results"]} == {"hostile.ex1.fails": "fail", "hostile.ex2.fails": "fail"}
    honest = next(r for r in report["results"] if r["id"] == "hostile.ex2.fails")
    assert {**honest, "seconds": 0} == {**honest_alone, "seconds": 0}  # as when the patching module is not there


@linux_only
def test_a_module_may_still_patch_a_library_for_its_own_checks(tmp_path, packs):
    # the module's own checks, forked from its module process, see what its import did
    packs.write(**{"own": HEADER + "import statistics\nstatistics.mean = lambda data: -1\n\n"
                            "@claim('hostile.ex1.own', exercise=1, part=None, statement='s.', asserts='s', formal='s',\n"
                            "       requires=Verdict.PROVED)\n"
                            "def own():\n"
                            "    import statistics\n"
                            "    return Outcome(Verdict.PROVED if statistics.mean([1, 3]) == -1 else Verdict.REFUTED, 'x', {})\n\n"
                            "CLAIMS = (own,)\n"})
    proc = packs.check("hostile.*", process=True)
    report = proc.report
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["load_errors"] == []


@linux_only
def test_a_thread_a_module_leaves_running_stays_in_its_module_process(tmp_path, packs):
    starts = ("threading.Thread(target=lambda: (time.sleep(0.5), os._exit(0)), daemon=True).start()\n"
              "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n")
    packs.write(**{"threads": HEADER + starts + _false("hostile.ex1.fails") + "CLAIMS = (hostile_ex1_fails,)\n",
                                 "honest": HEADER + _false("hostile.ex2.fails") + "CLAIMS = (hostile_ex2_fails,)\n"})
    started = time.monotonic()
    proc = packs.check("hostile.*", process=True)
    report = proc.report
    assert proc.returncode == 1, proc.stderr
    assert {r["id"]: r["status"] for r in report["results"]} == {"hostile.ex1.fails": "fail", "hostile.ex2.fails": "fail"}
    assert time.monotonic() - started < 25  # nothing waited for the thread


@linux_only
def test_a_check_that_patches_the_engine_in_its_own_process_cannot_pass(tmp_path, packs):
    patch = "import proofs.evaluate\nproofs.evaluate.classify = lambda verdict, **k: (Status.PASS, 'patched')"
    packs.write(**{"inside": HEADER + _false("hostile.ex1.inside", patch) + "CLAIMS = (hostile_ex1_inside,)\n"})
    proc = packs.check("hostile.*", process=True)
    report = proc.report
    assert proc.returncode == 1, proc.stderr
    (result,) = report["results"]
    assert (result["verdict"], result["status"]) == ("error", "fail")
    assert "the engine was changed in that process" in result["reason"]


@linux_only
def test_a_file_in_a_claims_folder_named_like_a_standard_module_is_never_imported_by_the_engine(tmp_path, packs):
    # `resource` and `pickle` are imported by the engine after the packs are loaded (the job limit, the reports)
    shadow = "import os\nopen(os.path.join(os.path.dirname(__file__), 'ran-' + __name__), 'w').close()\n"
    pack = packs.write(**{"claims": HEADER + _false("hostile.ex1.fails") + "CLAIMS = (hostile_ex1_fails,)\n",
                            "_helper": "VALUE = 1\n", "resource": shadow, "pickle": shadow})
    proc = run_cli("check", "hostile.*", "--claims", str(pack), "--no-cache", "--report-dir", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    ran = sorted(p.name for p in pack.iterdir() if p.name.startswith("ran-"))
    # each is imported as a claim module of its own (and is a load error, having no CLAIMS), never as the standard one
    assert ran == ["ran-proofs_pack_pack_pickle", "ran-proofs_pack_pack_resource"]
    assert (tmp_path / "out" / "report.html").exists()


def test_the_golden_packs_still_pass_under_the_guard():
    proc = run_cli("check", "ex90", "--claims", str(GOLDEN / "holds"), "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@linux_only
def test_an_exit_hook_left_by_a_pack_cannot_turn_a_failed_plugin_session_into_exit_0(tmp_path, packs):
    # under the pytest plugin the packs are imported in pytest's own process, which no other process guards
    pack = packs.write(**{"ends": HEADER + _false("hostile.ex1.fails") + "atexit.register(os._exit, 0)\n"
                            "CLAIMS = (hostile_ex1_fails,)\n"})
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--proofs=hostile",
                           f"--proofs-claims={pack}"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr


@linux_only
def test_the_environment_and_working_directory_a_module_changes_are_set_back_before_reports_are_written(tmp_path, packs):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    changes = (f"os.environ['GITHUB_STEP_SUMMARY'] = {str(tmp_path / 'planted.md')!r}\n"
               f"os.environ['NO_COLOR'] = '1'\nos.chdir({str(elsewhere)!r})\n")
    pack = packs.write(**{"moves": HEADER + changes + _false("hostile.ex1.fails") + "CLAIMS = (hostile_ex1_fails,)\n"})
    proc = run_cli("check", "hostile.*", "--claims", str(pack), "--no-cache", "--format", "json", "--output",
                   "proofs-hostile-report.json", env={"GITHUB_STEP_SUMMARY": ""})
    try:
        assert proc.returncode == 1, proc.stderr
        assert not (tmp_path / "planted.md").exists() and not list(elsewhere.iterdir())
        report = json.loads((ROOT / "proofs-hostile-report.json").read_text())
        assert report["summary"]["fail"] == 1 and report["load_errors"] == []
    finally:
        (ROOT / "proofs-hostile-report.json").unlink(missing_ok=True)
