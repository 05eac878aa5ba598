"""The terminal report (proofs/writers/text.py)."""

import subprocess
import sys

from conftest import ROOT
from proofs.model import Result
from proofs.verdicts import Status, Verdict
from proofs.writers.base import ReportContext
from proofs.writers.text import TextWriter, format_values


def _result(status=Status.FAIL, verdict=Verdict.REFUTED):
    return Result(id="ex9.a.t", exercise=9, part="a", statement="s", verdict=verdict, status=status, method="z3",
                  evidence={"counterexample": {"x": "1/2", "y": 0}, "replay": {"holds": False, "sides": {"lhs": 1, "rhs": 2}}},
                  assumptions=("a",), erratum=None, reason="refuted")


def test_text_shows_every_value_and_rerun():
    text = TextWriter(ReportContext()).add(_result())
    assert "counterexample: x = 1/2, y = 0" in text
    assert "evaluated: lhs = 1, rhs = 2" in text
    assert "rerun: python -m proofs check ex9.a.t" in text


def test_colour_codes_only_when_asked():
    assert "\x1b[31m" in TextWriter(ReportContext(), colour=True).add(_result())
    assert "\x1b[" not in TextWriter(ReportContext()).add(_result())


def test_quiet_hides_passes():
    assert TextWriter(ReportContext(), verbosity=-1).add(_result(Status.PASS, Verdict.PROVED)) == ""


def test_format_values_flattens():
    assert format_values({"w": {"a": 1, "b": "1/2"}, "s": ""}) == 'w.a = 1, w.b = 1/2, s = ""'


def test_summary_line():
    writer = TextWriter(ReportContext())
    writer.add(_result())
    assert writer.finish(1.5) == "1 claims: 0 pass, 0 erratum, 1 fail in 1.50s\n"


def _in_terminal(env):
    """Run the CLI under a pseudo-terminal and return what it printed."""
    import os
    import pty

    out = []
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "proofs", "check", "ex1.b"], env)
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out.append(chunk)
    os.waitpid(pid, 0)
    return b"".join(out).decode()


def test_colour_on_a_terminal_none_with_no_color_or_piped():
    import os

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[32m" in _in_terminal(env)
    assert "\x1b[" not in _in_terminal({**env, "NO_COLOR": "1"})
    piped = subprocess.run([sys.executable, "-m", "proofs", "check", "ex1.b"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert "\x1b[" not in piped.stdout


def test_verbose_shows_math_evidence_by_its_text_and_data_cannot_start_a_line():
    r = Result(id="ex9.a.t", exercise=9, part="a", statement="s", verdict=Verdict.PROVED, status=Status.PASS, method="sympy",
               evidence={"d": {"math": ["sym", "x"], "text": "x"}, "n": {"a": {"math": ["num", "1"], "text": "1"}},
                         "s": "one\n9 claims: 9 pass\x1b[0m"},
               assumptions=(), erratum=None, reason="r\u202e")
    text = TextWriter(ReportContext(), verbosity=1).add(r)
    assert "    d: x\n" in text and '    n: {"a": "1"}\n' in text
    assert "    s: one\n    | 9 claims: 9 pass\\x1b[0m\n" in text and "reason: r\\u202e" in text
