import json
import time
from pathlib import Path

import pytest

from proofs.registry import load, select
from proofs.runner import Task, run
from proofs.verdicts import Status, Verdict

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def faults():
    return {c.id: c for c in load([GOLDEN / "faults"], entry_points=False).claims}


@pytest.mark.parametrize("claim_id, verdict, words", [
    ("ex99.raises", Verdict.ERROR, "RuntimeError: boom"),
    ("ex99.exits", Verdict.ERROR, "exited with code 7"),
    ("ex99.garbage", Verdict.ERROR, "not Outcome"),
    ("ex99.unknown", Verdict.UNKNOWN, "z3 unknown"),
    ("ex99.forged", Verdict.ERROR, "replay disagrees"),
    ("ex99.hangs", Verdict.TIMEOUT, "killed after"),
    ("ex99.hangs_in_c", Verdict.TIMEOUT, "killed after"),
])
def test_each_fault_is_contained(faults, claim_id, verdict, words):
    result = run([Task(faults[claim_id])], timeout=2).results[0]
    assert result.verdict is verdict and result.status is Status.FAIL
    assert words in result.reason


def test_memory_exhaustion_is_an_error(faults):
    result = run([Task(faults["ex99.memory"])], timeout=30, memory_mb=512).results[0]
    assert result.verdict is Verdict.ERROR


def test_timeout_is_enforced_by_the_runner(faults):
    start = time.monotonic()
    result = run([Task(faults["ex99.hangs"])], timeout=0.5).results[0]
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - start < 10


def test_faults_do_not_disturb_the_rest(faults):
    golden = load([GOLDEN / "holds"], entry_points=False).claims
    tasks = [Task(faults["ex99.exits"]), *(Task(c) for c in golden), Task(faults["ex99.raises"])]
    results = run(tasks, timeout=20, jobs=2).results
    assert [r.id for r in results] == [t.claim.id for t in tasks]
    assert [r.status for r in results] == [Status.FAIL, Status.PASS, Status.PASS, Status.FAIL]


def _strip(results):
    return [json.dumps({**r.to_json(), "seconds": 0}, sort_keys=True) for r in results]


def test_results_do_not_depend_on_jobs(catalogue):
    tasks = [Task(c) for c in select(catalogue, ["ex1", "ex2.weights"])]
    one = run(tasks, jobs=1).results
    two = run(tasks, jobs=2).results
    assert _strip(one) == _strip(two)


def test_on_result_is_called_in_task_order(faults):
    golden = load([GOLDEN / "holds"], entry_points=False).claims
    seen = []
    tasks = [Task(faults["ex99.hangs"]), *(Task(c) for c in golden)]
    run(tasks, timeout=1, jobs=3, on_result=lambda r: seen.append(r.id))
    assert seen == [t.claim.id for t in tasks]


def test_perturbation_tasks_carry_their_suffix(catalogue):
    c = catalogue.by_id("ex1.b.conv_params")
    result = run([Task(c, c.perturbations[0])]).results[0]
    assert result.id == f"{c.id}~{c.perturbations[0].name}" and result.verdict is Verdict.REFUTED


def test_checks_at_once_fit_under_the_descriptor_limit(monkeypatch):
    import resource

    from proofs.runner import max_running

    assert max_running(3) <= 3 and max_running(1) == 1
    monkeypatch.setattr(resource, "getrlimit", lambda which: (10, 10))  # fewer than the run itself holds
    assert max_running(1000) == 1
    monkeypatch.setattr(resource, "getrlimit", lambda which: (10_000, 10_000))
    assert 1 < max_running(1000) < 10_000 // 4


def test_a_check_that_calls_sys_exit_is_an_error(faults):
    import dataclasses

    def exits():
        raise SystemExit(0)

    result = run([Task(dataclasses.replace(faults["ex99.raises"], check=exits))]).results[0]
    assert result.verdict is Verdict.ERROR and result.reason.endswith("SystemExit: 0")


def test_printed_output_never_replaces_the_checks_own_evidence(faults):
    import dataclasses

    from proofs.model import Outcome

    def prints_and_reports_an_output():
        print("printed")
        return Outcome(Verdict.PROVED, "exact arithmetic", {"output": "the network's output"})

    result = run([Task(dataclasses.replace(faults["ex99.raises"], check=prints_and_reports_an_output))]).results[0]
    assert result.evidence == {"output": "the network's output", "printed output": "printed\n", "verdict_asserted": True}


@pytest.mark.parametrize("timeout", [float("inf"), 1e308])
def test_a_huge_time_limit_is_waited_for_in_pieces(timeout):
    golden = load([GOLDEN / "holds"], entry_points=False).claims
    assert [r.status for r in run([Task(c) for c in golden], timeout=timeout).results] == [Status.PASS, Status.PASS]


def test_a_reported_check_is_torn_down_without_blocking_and_its_group_dies(faults, tmp_path):
    """Once a check's message is in, its group is sent SIGKILL and the caller is not held up: the check no longer
    takes a job's place, and its result (with what it printed) is taken once its process has ended; what it started
    in its group is gone by then."""
    import os
    import subprocess

    from proofs.evaluate import error_result
    from proofs.runner import ChildProcess, _busy, _finished

    task = Task(faults["ex99.raises"])
    marker = tmp_path / "helper.pid"

    def work():
        helper = subprocess.Popen(["sleep", "60"])  # in the check's own process group
        marker.write_text(str(helper.pid))
        print("said before reporting")
        return error_result(task.claim, Verdict.ERROR, "reported").to_json()

    child = ChildProcess(work)
    try:
        while True:
            result = _finished(task, child, 30, 512)
            if result is not None or child.stopped is not None:
                break
            time.sleep(0.01)
        assert child.stopped is not None and _busy([child]) == 0  # its place is free while it is torn down
        deadline = time.monotonic() + 30
        while result is None and time.monotonic() < deadline:
            time.sleep(0.01)
            result = _finished(task, child, 30, 512)
        assert result is not None and result.reason == "reported"
        assert result.evidence["output"].strip() == "said before reporting"
        assert child.status is not None  # reaped
        helper = int(marker.read_text())
        for _ in range(500):  # the helper was killed with the group; it is reaped by init shortly
            try:
                os.kill(helper, 0)
                with open(f"/proc/{helper}/stat") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
            except (ProcessLookupError, FileNotFoundError):
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the check's helper process outlived its result")
    finally:
        child.close()


def test_a_stream_broken_by_an_oversized_message_is_read_no_further():
    """Once a message announces more than the largest allowed, nothing more is taken from the pipe: a process that
    goes on writing cannot make the reader hold what it sends."""
    import os

    from proofs import processes

    read, write = os.pipe()
    try:
        os.set_blocking(read, False)
        frames = processes.Frames(read)
        os.write(write, processes._HEADER.pack(processes._MAX_MESSAGE + 1))
        assert frames.read() == [] and "longer than" in frames.broken
        os.write(write, b"x" * 1000)
        assert frames.read() == []
        assert len(os.read(read, 2000)) == 1000  # still in the pipe, not taken in
    finally:
        os.close(read)
        os.close(write)
