"""Hostile packs against loading and the runner, run through the real CLI: nothing a pack does at import or in a
check may end, hang or mislead the checker, mix into its reports, or outlive the run."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, run_cli

HOSTILE = Path(__file__).resolve().parent / "hostile" / "runner"
# `python -m proofs` with a short import time limit, so that hanging modules are reported quickly.
SHORT_LOAD = ("import sys, proofs.registry as r; r.LOAD_TIMEOUT = 2; from proofs.cli import main; "
              "sys.exit(main(sys.argv[1:]))")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _all_gone(pid_dir: Path) -> list[int]:
    """The pids recorded in pid_dir that are still alive after a grace period of a few seconds."""
    pids = [int(p.read_text()) for p in pid_dir.iterdir()]
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc to see processes")


# 1. loading cannot be escaped


def test_every_escape_from_an_import_is_a_load_error_at_its_line():
    proc = run_cli("check", "ex90", "--claims", str(HOSTILE / "load"), "--format", "json", "--no-cache",
                prefix=("-c", SHORT_LOAD))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)  # what modules print while they are imported never reaches the report
    errors = {Path(e["pack"]).name: (e["line"], e["message"]) for e in report["load_errors"]}
    assert errors == {
        "exits": (5, "SystemExit: 0"),
        "interrupts": (3, "KeyboardInterrupt"),
        "generator_exit": (3, "GeneratorExit: closing"),
        "custom_base": (8, "Escape: out of here"),
        "hangs": (6, "timed out: did not finish within 2 s"),
        "hangs_in_c": errors.get("hangs_in_c"),
        "os_exit": (0, "importing it ended its process: the process exited with code 0"),
        "kills_itself": (0, "importing it ended its process: the process was killed by SIGKILL"),
        "bad_preload": (0, "PRELOAD must be a tuple of 'module' or 'module:function' names, got 'z3:main_ctx; rm -rf /'"),
    }
    assert "timed out" in errors["hangs_in_c"][1]
    assert [(r["id"], r["status"]) for r in report["results"]] == [("ex90.a.square_expansion", "pass"),
                                                                   ("ex90.b.small_squares", "pass")]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("source, words", [("import sys\nsys.exit(0)\n", "SystemExit: 0"),
                                           ("import os\nos._exit(0)\n", "ended its process")])
def test_an_entry_point_pack_cannot_escape_either(tmp_path, source, words):
    # in a process of its own: a loader that let the pack escape would end the test run itself
    (tmp_path / "escapingpack.py").write_text(source)
    script = (
        "import json, sys\n"
        "from importlib import metadata\n"
        "from proofs.registry import ENTRY_POINT_GROUP, load\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "real = metadata.entry_points\n"
        "def fake(**kw):\n"
        "    found = list(real(**kw))\n"
        "    if kw.get('group') == ENTRY_POINT_GROUP:\n"
        "        found.append(metadata.EntryPoint(name='escaping', value='escapingpack', group=ENTRY_POINT_GROUP))\n"
        "    return found\n"
        "metadata.entry_points = fake\n"
        "catalogue = load()\n"
        "print(json.dumps({'errors': [e.to_json() for e in catalogue.errors],\n"
        "                  'packs': sorted({c.pack for c in catalogue.claims})}))\n"
    )
    proc = run_cli(prefix=("-c", script))
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    loaded = json.loads(proc.stdout)
    (error,) = loaded["errors"]
    assert error["pack"] == "escaping" and words in error["message"] and loaded["packs"] == ["seed"]


def test_a_warm_up_that_exits_is_a_pack_error(tmp_path, monkeypatch):
    from proofs.errors import PackError
    from proofs.registry import Catalogue

    (tmp_path / "exitingwarmup.py").write_text("import sys\n\ndef warm():\n    sys.exit(0)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PackError, match="cannot preload 'exitingwarmup:warm': SystemExit: 0"):
        Catalogue((), ("exitingwarmup:warm",)).warm()


# 2. junk in a claims folder


def test_junk_in_a_claims_folder_is_skipped(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "arith.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    (pack / ".#arith.py").symlink_to("someone@host.1234:1700000000")  # an editor's lock: a dangling link
    (pack / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (pack / "folder.py").mkdir()
    os.mkfifo(pack / "fifo.py")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(pack / "sock.py"))
    try:
        proc = run_cli("check", "ex90", "--claims", str(pack), "--no-cache", timeout=60)
    finally:
        listener.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 claims: 2 pass" in proc.stdout and "load error" not in proc.stdout + proc.stderr


def test_a_claim_module_that_cannot_be_read_is_a_load_error(tmp_path, monkeypatch):
    from proofs import registry

    (tmp_path / "locked.py").write_text("CLAIMS = ()\n")

    def refuse(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(registry, "_read_source", refuse)
    (error,) = registry.load([tmp_path], entry_points=False).errors
    assert Path(error.file).name == "locked.py" and error.message == "cannot read the file: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_claim_module_is_a_load_error_through_the_cli(tmp_path):
    (tmp_path / "locked.py").write_text("CLAIMS = ()\n")
    (tmp_path / "locked.py").chmod(0)
    proc = run_cli("check", "all", "--claims", str(tmp_path), "--no-cache")
    assert proc.returncode == 1 and "cannot read the file" in proc.stdout + proc.stderr


# 3. errata must link to a loaded claim

ERRATA = '''
from proofs import Erratum, Outcome, Verdict, claim

COMMON = dict(part="a", asserts="x", formal="x", requires=Verdict.PROVED)


@claim("ex9.a.dangling", exercise=9, statement="Corrected by a claim nobody wrote.",
       erratum=Erratum("wrong", corrected_by="ex9.a.x"), **COMMON)
def dangling():
    return Outcome(Verdict.PROVED, "exact arithmetic")


@claim("ex9.a.selfish", exercise=9, statement="Corrected by itself.",
       erratum=Erratum("wrong", corrected_by="ex9.a.selfish"), **COMMON)
def selfish():
    return Outcome(Verdict.PROVED, "exact arithmetic")


CLAIMS = (dangling, selfish)
'''


def test_an_erratum_must_be_corrected_by_another_loaded_claim(tmp_path):
    (tmp_path / "errata.py").write_text(ERRATA)
    proc = run_cli("check", "ex9", "--claims", str(tmp_path), "--format", "json", "--no-cache")
    assert proc.returncode == 1
    errors = [(Path(e["file"]).name, e["line"], e["message"]) for e in json.loads(proc.stdout)["load_errors"]]
    assert errors == [("errata.py", 7, "corrected by ex9.a.x, which is not a loaded claim; closest: ex9.a.selfish, ex9.a.dangling"),
                      ("errata.py", 13, "ex9.a.selfish names itself as its correction; "
                                        "name the corrected claim that stands beside it")]


# 4 and 5. a check owns its process group; nothing a run started outlives it


# these checks build their verdicts themselves, which every report says
ASSERTED = "verdict asserted by the claim's code, not derived from a solver's answer"


@linux_only
def test_nothing_a_check_starts_outlives_the_run_and_checks_may_use_processes(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    proc = run_cli("check", "ex98", "--claims", str(HOSTILE / "checks"), "--format", "json", "--no-cache",
                "--timeout", "3", "--jobs", "2", env={"PROOFS_TEST_PIDS": str(pids)}, timeout=60)
    statuses = {r["id"]: (r["verdict"], r["reason"]) for r in json.loads(proc.stdout)["results"]}
    assert statuses == {
        "ex98.spawns_sleep": ("proved", ASSERTED),
        "ex98.forks_stubborn": ("proved", ASSERTED),
        "ex98.leaves_thread": ("proved", ASSERTED),
        "ex98.ignores_sigterm": ("proved", ASSERTED),
        "ex98.uses_a_pool": ("proved", ASSERTED),
        "ex98.sleeps_then_spawns": ("timeout", "killed after 3 s"),
    }, proc.stderr
    assert proc.returncode == 1 and len(list(pids.iterdir())) == 3
    assert _all_gone(pids) == []


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_kills_the_checks_and_reports_what_finished(tmp_path, signum):
    pids = tmp_path / "pids"
    pids.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment["PROOFS_TEST_PIDS"] = str(pids)
    cli = subprocess.Popen([sys.executable, "-m", "proofs", "check", "ex90", "ex98.sleeps_then_spawns",
                            "--claims", str(GOLDEN / "holds"), "--claims", str(HOSTILE / "checks"),
                            "--format", "json", "--no-cache", "--timeout", "120", "--jobs", "1"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        deadline = time.monotonic() + 60
        while not list(pids.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(pids.iterdir()), "the hanging check never started"
        cli.send_signal(signum)
        out, err = cli.communicate(timeout=30)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()
    assert cli.returncode == 2, err
    report = json.loads(out)
    assert report["interrupted"] is True
    assert [r["id"] for r in report["results"]] == ["ex90.a.square_expansion", "ex90.b.small_squares"]
    assert _all_gone(pids) == []


@linux_only
def test_a_check_dies_with_a_checker_that_is_killed_outright(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment["PROOFS_TEST_PIDS"] = str(pids)
    cli = subprocess.Popen([sys.executable, "-m", "proofs", "check", "ex93", "--claims", str(HOSTILE / "checks"),
                            "--no-cache", "--timeout", "120"], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=environment)
    try:
        deadline = time.monotonic() + 60
        while not (pids / "check").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (pids / "check").exists(), "the check never started"
        time.sleep(0.2)  # the pid is written before the file is closed
    finally:
        cli.kill()
        cli.wait()
    assert _all_gone(pids) == []


def test_run_stops_on_sigterm_and_restores_the_handlers():
    # in a process of its own: a runner that did not handle SIGTERM would end the test run itself
    script = (
        "import json, os, signal, threading\n"
        "from pathlib import Path\n"
        "from proofs.registry import load\n"
        "from proofs.runner import Task, run\n"
        f"hangs = {{c.id: c for c in load([Path({str(GOLDEN / 'faults')!r})], entry_points=False).claims}}['ex99.hangs']\n"
        "stops = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)\n"
        "before = [signal.getsignal(s) for s in stops]\n"
        "threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()\n"
        "outcome = run([Task(hangs)], timeout=60)\n"
        "print(json.dumps({'interrupted': outcome.interrupted, 'results': len(outcome.results),\n"
        "                  'quick': outcome.seconds < 30, 'restored': [signal.getsignal(s) for s in stops] == before}))\n"
    )
    proc = run_cli(prefix=("-c", script))
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    assert json.loads(proc.stdout) == {"interrupted": True, "results": 0, "quick": True, "restored": True}


# 6. what a check prints stays out of the reports


def test_what_checks_print_is_kept_in_their_evidence_not_in_the_report():
    proc = run_cli("check", "ex96", "--claims", str(HOSTILE / "checks"), "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    printed = results["ex96.prints"]["evidence"]["output"]
    for line in ("{not json: print}", "sys.stdout line", "sys.stderr line", "fd 1 line", "fd 2 line", "from a subprocess"):
        assert line + "\n" in printed
    flood = results["ex96.floods"]["evidence"]["output"]
    assert flood.startswith("\ufffd" + "x" * 100)
    assert flood.endswith("[output truncated: the first 4096 of 100001 bytes are shown]") and len(flood) < 4200
    assert "output" not in results["ex96.silent"]["evidence"]
    assert proc.stderr == ""


# 7. signal deaths are named honestly


def test_signal_deaths_name_the_signal_and_only_suspect_the_memory_limit_when_it_could_be():
    from proofs.registry import load
    from proofs.runner import Task, run

    claims = load([HOSTILE / "checks"], entry_points=False).claims
    results = {r.id: r.reason for r in run([Task(c) for c in claims if c.id.startswith("ex95.")], memory_mb=2048).results}
    assert "killed by SIGSEGV (possibly the memory limit of 2048 MiB) before reporting" in results["ex95.segfault"]
    assert results["ex95.terminated"].endswith("the check's process was killed by SIGTERM before reporting")
    assert results["ex95.exits_quietly"].endswith("SystemExit: 0")


# 8. verdicts do not depend on --jobs or the selection


@pytest.mark.parametrize("args", [("ex94", "--jobs", "1"), ("ex94", "--jobs", "2"), ("ex94.second",)])
def test_the_warm_up_runs_whatever_the_jobs_and_selection(args):
    proc = run_cli("check", *args, "--claims", str(HOSTILE / "preload"), "--format", "json", "--no-cache")
    verdicts = {r["id"]: r["verdict"] for r in json.loads(proc.stdout)["results"]}
    assert proc.returncode == 0 and set(verdicts.values()) == {"proved"}, verdicts


# 9. more jobs than file descriptors allow


def test_jobs_beyond_the_descriptor_limit_still_give_every_result():
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from proofs.registry import load\n"
        "from proofs.runner import Task, run\n"
        f"claims = load([Path({str(GOLDEN / 'holds')!r})], entry_points=False).claims\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))\n"
        "outcome = run([Task(c) for c in claims] * 30, jobs=1000)\n"
        "print(len(outcome.results), sorted({r.status.value for r in outcome.results}))\n"
    )
    proc = run_cli(prefix=("-c", script))
    assert proc.stdout.split() == ["60", "['pass']"], proc.stderr


@linux_only
def test_a_result_sent_in_another_claims_name_is_refused():
    from proofs.registry import load
    from proofs.runner import Task, run

    (claim,) = [c for c in load([HOSTILE / "checks"], entry_points=False).claims if c.id.startswith("ex92.")]
    (result,) = run([Task(claim)]).results
    assert result.id == "ex92.forges_another_result" and result.verdict.value == "error"
    assert "unreadable result" in result.reason and "ex90.a.square_expansion" in result.reason


SESSIONS = Path(__file__).resolve().parent / "hostile" / "runner" / "sessions"


@linux_only
def test_nothing_a_check_or_an_import_starts_in_a_session_of_its_own_outlives_the_run(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    proc = run_cli("check", "ex94", "--claims", str(SESSIONS), "--format", "json", "--no-cache", "--timeout", "3",
                env={"PROOFS_TEST_PIDS": str(pids)}, timeout=120)
    statuses = {r["id"]: r["verdict"] for r in json.loads(proc.stdout)["results"]}
    assert statuses == {"ex94.new_session": "proved", "ex94.daemon": "proved", "ex94.daemon_then_hang": "timeout"}, proc.stderr
    names = {p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in pids.iterdir()}
    assert {"import-session", "import-daemon", "check-session", "check-daemon", "hang-daemon", "hang-session"} <= names
    assert _all_gone(pids) == []


@linux_only
@pytest.mark.slow
def test_nothing_started_in_a_session_of_its_own_outlives_a_pytest_session(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment["PROOFS_TEST_PIDS"] = str(pids)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-rA",
                           "--proofs=ex94", f"--proofs-claims={SESSIONS}", "--proofs-timeout=3"],
                          cwd=tmp_path, capture_output=True, text=True, env=environment, timeout=300)
    assert "PASSED proofs::ex94.new_session" in proc.stdout and "ERROR proofs::ex94.daemon_then_hang" in proc.stdout, \
        proc.stdout[-3000:]
    assert len(list(pids.iterdir())) >= 6
    assert _all_gone(pids) == []
