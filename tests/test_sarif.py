"""SARIF 2.1.0 from `check` and `scan`, validated against the official schema (a copy in tests/sarif)."""

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import cli
from proofs.model import Result
from proofs.verdicts import Status, Verdict
from proofs.writers import ReportContext, writer_for
from test_github import course

SCHEMA = json.loads((Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json").read_text())


def valid(text):
    """The SARIF log in the text, after checking it against the official schema (formats too: uri, date-time)."""
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["version"] == "2.1.0"
    return log


def located(log):
    """(rule id, level, uri, line, suppressed) for every result of the log's one run."""
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    out = []
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        [loc] = r["locations"]
        physical = loc["physicalLocation"]
        out.append((r["ruleId"], r["level"], physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine"),
                    bool(r.get("suppressions"))))
    return out


def test_the_schema_copy_rejects_what_is_not_sarif():
    with pytest.raises(jsonschema.ValidationError):
        valid(json.dumps({"version": "2.1.0", "runs": [{"results": []}]}))  # a run needs its tool


def test_a_wrong_formula_cited_by_a_failing_claim_is_a_sarif_error_at_its_line_from_check(tmp_path, monkeypatch):
    material, pack = course(tmp_path)
    monkeypatch.chdir(tmp_path)
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--format", "sarif", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    log = valid(proc.stdout)
    [(rule, level, uri, line, suppressed)] = located(log)
    assert (rule, level, line, suppressed) == ("proofs/refuted", "error", 4, False) and uri.endswith("material/sheet.md")
    message = log["runs"][0]["results"][0]["message"]["text"]
    assert "counterexample: x = " in message and "rerun: python -m proofs check" in message


def test_a_right_formula_gives_no_result(tmp_path):
    material, pack = course(tmp_path, "2*x + 1")
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--format", "sarif", "--no-cache")
    assert proc.returncode == 0 and located(valid(proc.stdout)) == []


def test_a_wrong_formula_is_a_sarif_error_at_its_line_from_scan(tmp_path):
    material, _ = course(tmp_path)
    proc = cli("scan", "--material", material, "--format", "sarif")
    assert proc.returncode == 1
    log = valid(proc.stdout)
    [(rule, level, uri, line, suppressed)] = located(log)
    assert (rule, level, line, suppressed) == ("proofs-scan/refuted", "error", 4, False) and uri.endswith("material/sheet.md")
    assert "counterexample: x = " in log["runs"][0]["results"][0]["message"]["text"]
    ack = tmp_path / "ack.toml"
    ack.write_text('[[acknowledge]]\nfile = "sheet.md"\nstep = "(x + 1)^2 = x^2 + 1"\nreason = "a typo, fixed in week 10"\n')
    proc = cli("scan", "--material", material, "--acknowledged", ack, "--format", "sarif")
    assert proc.returncode == 0
    log = valid(proc.stdout)
    [(rule, level, uri, line, suppressed)] = located(log)
    assert (level, line, suppressed) == ("note", 4, True)
    [suppression] = log["runs"][0]["results"][0]["suppressions"]
    assert suppression["justification"] == "a typo, fixed in week 10"


def test_errata_are_suppressed_results_with_their_reason(catalogue):
    claims = {c.id: c for c in catalogue.claims}
    erratum = next(c for c in catalogue.claims if c.erratum)
    results = [Result(id=erratum.id, exercise=erratum.exercise, part=erratum.part, statement=erratum.statement,
                      verdict=Verdict.REFUTED, status=Status.ERRATUM, method="z3", evidence={"counterexample": {"x": 1}},
                      assumptions=(), erratum=erratum.erratum.reason, reason="acknowledged erratum, refuted as recorded"),
               Result(id="ex9.a.gone", exercise=9, part="a", statement="s", verdict=Verdict.UNKNOWN, status=Status.FAIL,
                      method="z3", evidence={}, assumptions=(), erratum=None, reason="unknown never passes")]
    writer = writer_for("sarif", ReportContext(claims=claims))
    log = valid("".join(writer.add(r) for r in results) + writer.finish(1.0))
    # without --material, one result per cited file, at the file (its line is known only with the material)
    assert located(log) == [("proofs/erratum", "note", a.file, None, True) for a in erratum.anchors]
    assert log["runs"][0]["results"][0]["suppressions"][0]["justification"] == erratum.erratum.reason
    # a failing result with no known place is reported as a notification, and the run as not successful
    [invocation] = log["runs"][0]["invocations"]
    assert not invocation["executionSuccessful"] and "ex9.a.gone" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_a_new_failing_step_status_gets_a_rule_of_its_own():
    from proofs.scan.report import Report
    from proofs.scan.steps import Step
    from proofs.writers.sarif import scan_sarif

    class Later(Report):  # a scan that adds a failing status the writers do not know
        @property
        def failing(self):
            return [s for s in self.steps if s.status in ("refuted", "needs review")]

    steps = (Step("a.md", 3, None, "a = b", "a", "=", "b", "needs review", "read two ways"),
             Step("b.ipynb", 2, 4, "c = d", "c", "=", "d", "proved", "identity"))
    log = valid(scan_sarif(Later("m", ("a.md", "b.ipynb"), 2, steps)))
    assert located(log) == [("proofs-scan/needs-review", "error", "m/a.md", 3, False)]
