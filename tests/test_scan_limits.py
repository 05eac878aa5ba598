"""The scan's time limit (--time-limit): the whole scan is bounded, what it cuts off or does not reach is unknown and
fails the gate, and a computation that loops or swallows exceptions cannot outlast it."""

import io
import json
import time

import pytest

import proofs.scan.steps as steps
from proofs.scan.command import DEFAULT_TIME_LIMIT, DEFAULT_TIMEOUT, run


def scan(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], out, err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def material(tmp_path, files):
    directory = tmp_path / "m"
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


THREE = "First $$(x + 1)^2 = x^2 + 2x + 1$$\n\nthen $$2 \\cdot 3 = 6$$\n\nand $$x + x = 2x$$\n"


def test_the_time_limit_is_documented_and_its_default_is_far_above_a_course(capsys):
    code = run(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0 and "--time-limit" in out and f"default {DEFAULT_TIME_LIMIT:g}" in out
    assert DEFAULT_TIME_LIMIT >= 100 * DEFAULT_TIMEOUT


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan", "1e9"])
def test_a_time_limit_out_of_range_is_a_usage_error(tmp_path, value):
    code, _, err = scan("--material", material(tmp_path, {"a.md": "$1 + 1 = 2$\n"}), "--time-limit", value)
    assert code == 4 and "--time-limit" in err


def _slow_check(*args, **kwargs):
    time.sleep(60)


def _busy_check(*args, **kwargs):
    while True:  # pure Python: the alarm interrupts it
        pass


def _swallowing_check(*args, **kwargs):
    while True:  # the way sympy catches what goes wrong inside it
        try:
            time.sleep(60)
        except Exception:  # noqa: BLE001
            pass


@pytest.mark.parametrize("slow", [_slow_check, _busy_check, _swallowing_check])
def test_steps_cut_off_or_not_reached_are_unknown_and_fail_the_gate(tmp_path, monkeypatch, slow):
    monkeypatch.setattr(steps, "check", slow)
    directory = material(tmp_path, {"a.md": THREE})
    started = time.monotonic()
    code, out, _ = scan("--material", directory, "--time-limit", "0.5", "--format", "json")
    assert time.monotonic() - started < 30  # not the 60 s the check asks for, nor forever
    report = json.loads(out)
    assert code == 1 and report["passed"] is False
    assert [s["status"] for s in report["steps"]] == ["unknown"] * 3 and all(s["error"] for s in report["steps"])
    reasons = [s["reason"] for s in report["steps"]]
    assert "--time-limit" in reasons[0] and "while it was checked" in reasons[0]
    assert all("--time-limit" in r and "before it" in r for r in reasons[1:])
    (problem,) = report["problems"]
    assert "time limit of 0.5 s (--time-limit) was reached: 3 step(s) not checked" in problem


def test_the_text_report_says_the_limit_was_reached(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "check", _slow_check)
    code, out, _ = scan("--material", material(tmp_path, {"a.md": THREE}), "--time-limit", "0.3")
    assert code == 1 and "error: the scan's time limit of 0.3 s (--time-limit) was reached" in out and "FAILED" in out


def test_a_step_over_its_own_timeout_is_still_reported_as_such(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "check", _busy_check)
    code, out, _ = scan("--material", material(tmp_path, {"a.md": "$(x + 1)^2 = x^2 + 2x + 1$\n"}), "--timeout", "0.3",
                        "--format", "json")
    report = json.loads(out)
    assert code == 1 and "took more than 0.3 s of CPU time (--timeout)" in report["steps"][0]["reason"]
    assert report["problems"] == []


def test_each_jobs_worker_holds_its_steps_to_their_cpu_limit(tmp_path, monkeypatch):
    """The --jobs workers are processes (forked, this patch included): the limit is set in each, on its own CPU time."""
    monkeypatch.setattr(steps, "check", _busy_check)
    one = "$(x + 1)^2 = x^2 + 2x + 1$\n"
    code, out, _ = scan("--material", material(tmp_path, {"a.md": one, "b.md": one}), "--timeout", "0.3", "--jobs", "2",
                        "--no-cache", "--format", "json")
    report = json.loads(out)
    assert code == 1 and [s["status"] for s in report["steps"]] == ["unknown"] * 2 and report["problems"] == []
    assert all("took more than 0.3 s of CPU time (--timeout)" in s["reason"] for s in report["steps"])


def test_files_the_limit_leaves_unscanned_are_named_and_fail_the_gate(tmp_path, monkeypatch):
    directory = material(tmp_path, {"a.md": THREE, "b.md": "$1 + 1 = 2$\n"})
    real_spans = steps.spans

    def stalls_on_a(document):
        while document.file == "a.md":  # finding the formulas of a hostile file never ends
            pass
        return real_spans(document)

    monkeypatch.setattr(steps, "spans", stalls_on_a)
    code, out, _ = scan("--material", directory, "--time-limit", "0.5", "--format", "json", "--jobs", "1")  # in order
    report = json.loads(out)
    assert code == 1 and report["steps"] == []
    (problem,) = report["problems"]
    assert "2 file(s) not scanned: a.md, b.md" in problem


def test_within_the_limit_nothing_changes(tmp_path):
    code, out, _ = scan("--material", material(tmp_path, {"a.md": THREE}), "--time-limit", "600", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["problems"] == [] and {s["status"] for s in report["steps"]} == {"proved"}
