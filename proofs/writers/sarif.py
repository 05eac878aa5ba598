"""SARIF 2.1.0, as code scanning reads it: one rule per kind of finding, results at the material's file and line."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, Iterable, Optional
from urllib.parse import quote

from proofs import __version__
from proofs.model import Result
from proofs.verdicts import Status, Verdict
from proofs.writers.base import Writer, checked_lines
from proofs.writers.escape import visible
from proofs.writers.github import scan_rerun, step_message
from proofs.writers.places import Place, claim_places, reported_steps, step_kind, step_place

__all__ = ["SarifWriter", "SCHEMA_URI", "VERSION", "check_kind", "scan_sarif"]

VERSION = "2.1.0"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# The kinds of finding `check` reports, each a rule: id suffix -> (short description, level).
CHECK_KINDS = {
    "refuted": ("A claim of the material is refuted: a counterexample, replayed with exact arithmetic, breaks it", "error"),
    "too-weak": ("A claim holds only with weaker evidence than it requires", "error"),
    "unknown": ("The solver could not decide a claim (unknown never passes)", "error"),
    "timeout": ("A claim's check ran out of time (a timeout never passes)", "error"),
    "error": ("A claim's check crashed or its witness failed replay", "error"),
    "anchor": ("A claim cites text the material no longer has (stale) or never had (not found)", "error"),
    "erratum-not-refuted": ("A claim recorded as an erratum of the material is no longer refuted", "error"),
    "erratum": ("An acknowledged erratum of the material: refuted exactly as recorded", "note"),
}
# The kinds a scan's reported step can have that are known in advance; any other status is a rule of its own.
SCAN_KINDS = {
    "refuted": "A step of a formula in the material is refuted: the counterexample's values, replayed exactly, break it",
    "error": "Checking a step of a formula crashed or ran out of time",
}


def check_kind(r: Result) -> str:
    """The kind of finding a failing or erratum result is (a key of CHECK_KINDS)."""
    if r.status is Status.ERRATUM:
        return "erratum"
    if r.reason.startswith(("stale:", "not found:")):
        return "anchor"
    if r.verdict in (Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR, Verdict.REFUTED):
        return r.verdict.value
    return "erratum-not-refuted" if r.erratum else "too-weak"


def _text(value: Any) -> str:
    return visible(str(value))


def _location(place: Place) -> dict:
    path = PurePosixPath(place.file)
    artifact = ({"uri": path.as_uri()} if path.is_absolute() else {"uri": quote(place.file), "uriBaseId": "%SRCROOT%"})
    physical: dict = {"artifactLocation": artifact}
    if place.line is not None:
        physical["region"] = {"startLine": place.line}
    location: dict = {"physicalLocation": physical}
    if place.note:
        location["message"] = {"text": _text(place.note)}
    return location


class _Rules:
    """The run's rules, each added the first time a result uses it; results refer to them by id and index."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.rules: list[dict] = []
        self.index: dict[str, int] = {}

    def use(self, kind: str, description: str, level: str) -> tuple[str, int]:
        rule_id = f"{self.prefix}/{kind}"
        if rule_id not in self.index:
            self.index[rule_id] = len(self.rules)
            self.rules.append({"id": rule_id, "name": "".join(w.capitalize() for w in f"{self.prefix} {kind}".replace("-", " ").split()),
                               "shortDescription": {"text": description}, "defaultConfiguration": {"level": level}})
        return rule_id, self.index[rule_id]


def _result(rules: _Rules, kind: str, description: str, level: str, message: str, places: Iterable[Place],
            suppressed: Optional[str]) -> list[dict]:
    rule_id, index = rules.use(kind, description, "note" if suppressed is not None else level)
    out = []
    for place in places:
        result: dict = {"ruleId": rule_id, "ruleIndex": index, "level": "note" if suppressed is not None else level,
                        "message": {"text": _text(message)}, "locations": [_location(place)]}
        if suppressed is not None:
            result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": _text(suppressed)}]
        out.append(result)
    return out


def _log(rules: _Rules, results: list[dict], notifications: list[str], successful: bool, properties: dict) -> str:
    invocation: dict = {"executionSuccessful": successful}
    if notifications:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": _text(n)}} for n in notifications]
    run = {"tool": {"driver": {"name": "proofs", "version": __version__, "semanticVersion": __version__, "rules": rules.rules}},
           "invocations": [invocation], "results": results, "properties": properties}
    log = {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


class SarifWriter(Writer):
    """`check`'s findings: each failing claim at every place it cites in the material (its source line when it
    cites none), each acknowledged erratum as a suppressed result whose justification is the erratum's reason."""

    format = "sarif"
    filename = "report.sarif"

    def entry(self, r: Result) -> Any:
        if r.status is Status.PASS:
            return None
        kind = check_kind(r)
        lines = [f"{r.id}: {r.verdict.value}: {r.reason}"]
        lines += [*checked_lines(r), *self.refutation(r), f"rerun: {self.context.rerun_command(r)}"]
        places = claim_places(r, self.context.claim_of(r), self.context.material)
        description, level = CHECK_KINDS[kind]
        found = _result(_Rules("proofs"), kind, description, level, "\n".join(lines), places,
                        r.erratum if r.status is Status.ERRATUM else None)
        json.dumps(found, allow_nan=False)  # a result that cannot be written fails here, under the writer's guard, alone
        return (kind, "\n".join(lines), places, r.erratum if r.status is Status.ERRATUM else None, r.id)

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        rules, results, notifications = _Rules("proofs"), [], []
        for entry in entries:
            if entry is None:
                continue
            kind, message, places, suppressed, claim_id = entry
            description, level = CHECK_KINDS[kind]
            if not places:  # a result whose claim is not in this run's packs: reported, never dropped
                notifications.append(f"{message}\n(no place in the repository is known for claim {claim_id})")
                continue
            results += _result(rules, kind, description, level, message, places, suppressed)
        notifications += [f"pack load error: {e}" for e in self.context.load_errors]
        if interrupted:
            notifications.append("the run was interrupted: claims not checked are not reported")
        counts = {k: v for k, v in self.summary(seconds).items() if k != "seconds"}  # the log depends on the results only
        return _log(rules, results, notifications, not self.context.load_errors and not interrupted and not notifications,
                    {"summary": counts})


def scan_sarif(report: Any, acknowledged: Any = ()) -> str:
    """The scan's SARIF log: a result per step that fails the gate (its status's rule), an acknowledged step as a
    suppressed result with its reason, and each problem (an unreadable file, a stale acknowledgement, the time limit)
    as a notification of a run that did not succeed."""
    rerun = scan_rerun(report.material, acknowledged)
    rules, results = _Rules("proofs-scan"), []
    for step, fails in reported_steps(report):
        kind = step_kind(step)
        description = SCAN_KINDS.get(kind, f"A step of a formula in the material is {kind.replace('-', ' ')}")
        place = step_place(step, report.material)
        results += _result(rules, kind, description, "error", "\n".join(step_message(step, rerun)), [place],
                           None if fails else step.acknowledged)
    summary = report.summary()
    return _log(rules, results, list(report.problems), not report.problems, {"summary": summary})
