"""The scan against material written to break it: true steps in many notations are never refuted, planted slips
are refuted with a replayed counterexample and never proved or checked, and hostile files fail closed."""

import io
import json
from pathlib import Path

import pytest

from proofs.scan.command import run

MATERIAL = Path(__file__).resolve().parent / "scan_material"
# What a true step may come out as, and what a slip may come out as when it is read.
TRUE = {"proved", "checked", "definition", "skipped", "unknown"}


def scan_json(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args] + ["--format", "json"], out, err)
    assert "Traceback" not in err.getvalue()
    return code, json.loads(out.getvalue()), err.getvalue()


def steps_of(tmp_path, text, name="a.md", *args):
    material = tmp_path / "m"
    material.mkdir(exist_ok=True)
    (material / name).write_text(text, encoding="utf-8")
    code, report, _ = scan_json("--material", material, *args)
    return code, report


@pytest.mark.parametrize("formula, status", [
    # sympy writes nested sums as one sum with several limits: every limit counts, in the proof and in the replay
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} 1 = n", "refuted"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} x_j = \sum_{j=1}^{n} x_j", "refuted"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} 1 = n^2", "proved"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} x_i y_j = \left(\sum_{i=1}^{n} x_i\right)\left(\sum_{j=1}^{n} y_j\right)", "checked"),
    (r"\sum_{i=1}^{3}\sum_{i=1}^{3} i = 18", "proved"),
])
def test_nested_sums_count_every_limit(tmp_path, formula, status):
    code, report = steps_of(tmp_path, f"We have $${formula}$$\n")
    (step,) = report["steps"]
    assert step["status"] in ({status, "proved"} if status == "checked" else {status}), step
    assert code == (1 if status == "refuted" else 0)
