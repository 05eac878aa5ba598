import io
import json

from proofs.model import Result
from proofs.report import TextReporter, format_values, json_report, use_colour
from proofs.verdicts import Status, Verdict


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _result(status=Status.FAIL, verdict=Verdict.REFUTED):
    return Result(id="ex9.a.t", exercise=9, part="a", statement="s", verdict=verdict, status=status, method="z3",
                  evidence={"counterexample": {"x": "1/2", "y": 0}, "replay": {"holds": False, "sides": {"lhs": 1, "rhs": 2}}},
                  assumptions=("a",), erratum=None, reason="refuted")


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert use_colour(_Tty(), {}) is True
    assert use_colour(io.StringIO(), {}) is False
    assert use_colour(_Tty(), {"NO_COLOR": "1"}) is False
    assert use_colour(_Tty(), {"NO_COLOR": ""}) is True


def test_text_shows_every_value_and_rerun():
    out = io.StringIO()
    TextReporter(out).result(_result())
    text = out.getvalue()
    assert "counterexample: x = 1/2, y = 0" in text
    assert "evaluated: lhs = 1, rhs = 2" in text
    assert "rerun: python -m proofs check ex9.a.t" in text


def test_colour_codes_when_asked():
    out = io.StringIO()
    TextReporter(out, colour=True).result(_result())
    assert "\x1b[31m" in out.getvalue()


def test_quiet_hides_passes():
    out = io.StringIO()
    TextReporter(out, verbosity=-1).result(_result(Status.PASS, Verdict.PROVED))
    assert out.getvalue() == ""


def test_format_values_flattens():
    assert format_values({"w": {"a": 1, "b": "1/2"}, "s": ""}) == 'w.a = 1, w.b = 1/2, s = ""'


def test_json_report_roundtrip():
    report = json_report([_result()], 1.5)
    again = Result.from_json(json.loads(json.dumps(report))["results"][0])
    assert again == _result()
    assert report["summary"] == {"total": 1, "pass": 0, "erratum": 0, "fail": 1, "seconds": 1.5}
