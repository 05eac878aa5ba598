"""Run one claim in this process: check, replay any witness, normalise evidence, classify."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import traceback
from pathlib import Path
from typing import Any, Mapping, Optional

from proofs import interpret, reads, smtlib
from proofs.anchors import Sightings, verify
from proofs.model import ForgedWitness, Claim, Outcome, Perturbation, Placeholder, Replay, Result, collecting, recorded
from proofs.verdicts import Status, Verdict, classify
from proofs.solvers.smt import recording

__all__ = ["evaluate", "jsonable", "error_result", "check_material", "status_of", "statement_of"]


def jsonable(value: Any) -> Any:
    """Convert evidence to bounded JSON values, keeping exact numbers exact (a fraction becomes "p/q"); a value with
    no JSON form raises TypeError, which makes the check an error (proofs.jsonsafe)."""
    from proofs.jsonsafe import jsonable as bounded

    return bounded(value, strict=True)


def error_result(claim: Claim, verdict: Verdict, reason: str, *, suffix: str = "", evidence: Optional[Mapping[str, Any]] = None) -> Result:
    """A result for a check that did not produce a usable outcome."""
    return Result(
        id=claim.id + suffix,
        exercise=claim.exercise,
        part=claim.part,
        statement=claim.statement,
        verdict=verdict,
        status=Status.FAIL,
        method="none",
        evidence=dict(evidence or {}),
        assumptions=claim.assumptions,
        erratum=claim.erratum.reason if claim.erratum and not suffix else None,
        reason=reason,
    )


def status_of(claim: Claim, perturbation: Optional[Perturbation], verdict: Verdict, *, strict: bool) -> tuple[Status, str]:
    """The status of a verdict on the claim (proofs.verdicts.classify), or on one perturbation of it, which passes
    only when refuted (killed); and why. Used where the check ran and again where its result is received."""
    if perturbation is None:
        return classify(verdict, requires=claim.requires, erratum=claim.erratum is not None, strict=strict)
    if verdict is Verdict.REFUTED:
        return Status.PASS, "perturbation refuted (killed)"
    return Status.FAIL, f"perturbation not refuted: {verdict.value}"


def statement_of(claim: Claim, perturbation: Optional[Perturbation]) -> str:
    """The statement a result reports: the claim's, marked as perturbed for a perturbation."""
    if perturbation is None:
        return claim.statement
    return f"{claim.statement} [perturbed: {perturbation.note or perturbation.name}]"


def _replay(claim: Claim, outcome: Outcome, params: Mapping[str, Any]) -> tuple[Optional[str], Optional[Replay]]:
    """Replay the outcome's witness; return (problem, replay). A problem turns the verdict into an error."""
    refuted = outcome.verdict is Verdict.REFUTED
    if outcome.witness is None:
        if refuted:
            return "refuted without a counterexample to replay", None
        return None, None
    if claim.replay is None:
        return "the check returned a witness but the claim has no replay function", None
    replayed = claim.replay(dict(outcome.witness), **params)
    if not isinstance(replayed, Replay):
        return f"replay returned {type(replayed).__name__}, not Replay", None
    if refuted and replayed.holds:
        return "replay disagrees: the counterexample satisfies the claim", replayed
    if not refuted and not replayed.holds:
        return "replay disagrees: the witness does not satisfy the claim", replayed
    return None, replayed


def _undecided_statement(helpers: tuple[str, ...]) -> str:
    names = ", ".join(f"proofs.interpret.{h}" for h in dict.fromkeys(helpers)) or "a helper"
    return (f"no statement of what was checked: {names} was not given the statement it decided; pass "
            "statement=<the sympy or z3 expression, or statement term, that was decided> so that reports print it")


def _against_correction(claim: Claim, outcome: Outcome) -> Optional[tuple[Optional[str], dict]]:
    """An erratum's counterexample, replayed by its corrected claim at the corrected values: the corrected claim
    holds everywhere in its domain, so its replay must say it holds there or reject the point as outside its domain.
    A replay that says it fails there is wrong, or the correction is: the erratum is then an error. This exercises
    the corrected claim's replay at a point where its claim holds, in every check. None when there is nothing to do."""
    fixed = claim.correction
    if claim.erratum is None or fixed is None or fixed.replay is None or outcome.verdict is not Verdict.REFUTED \
            or outcome.witness is None:
        return None
    try:
        replayed = fixed.replay(dict(outcome.witness), **dict(fixed.params))
    except ForgedWitness as exc:
        return None, {"claim": fixed.id, "outside its domain": str(exc)}
    if not isinstance(replayed, Replay):
        return f"the corrected claim {fixed.id}'s replay returned {type(replayed).__name__}, not Replay", {"claim": fixed.id}
    record = {"claim": fixed.id, "holds": replayed.holds, "sides": dict(replayed.sides)}
    if not replayed.holds:
        return (f"the corrected claim {fixed.id}'s replay says it fails at this counterexample too, where it was "
                "proved to hold: its replay or the correction is wrong"), record
    return None, record


def _seed_sympy(key: str) -> None:
    """Seed sympy's own generators (the order it infers assumptions in, the points `equals` tries), when a claim module
    imported it, from the claim's id: a check's answer is the same in every run, whatever the process drew before."""
    if "sympy" in sys.modules:
        from sympy.core import random as sympy_random

        sympy_random.seed(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def evaluate(claim: Claim, perturbation: Optional[Perturbation] = None, *, strict: bool = False,
             cross_check: bool = False, export: bool = False) -> Result:
    """Run the claim (or one perturbation of it) here and return its classified result.

    Every failure of the check itself becomes an error verdict for this claim alone.
    A perturbation is expected to be refuted: it passes only when refuted.
    With cross_check, every z3 query of the check is solved again by cvc5 and any disagreement, or an answer
    from z3 alone, is an error. With export, the evidence carries each query as a standalone SMT-LIB text.
    The material is not consulted here: `check_material` verifies a result's anchors (the runner calls it).
    The result carries what the check and the replay read (proofs.reads), for the result cache.
    """
    params = dict(claim.params)
    suffix = ""
    if perturbation is not None:
        params.update(perturbation.params)
        suffix = "~" + perturbation.name
    _seed_sympy(claim.id + suffix)
    try:
        with reads.recording() as recorder:
            with recording() as queries, collecting() as extra:
                outcome = claim.check(**params)
            if not isinstance(outcome, Outcome):
                return error_result(claim, Verdict.ERROR, f"check returned {type(outcome).__name__}, not Outcome", suffix=suffix)
            if not isinstance(outcome.verdict, Verdict):
                return error_result(claim, Verdict.ERROR, f"check returned verdict {outcome.verdict!r}, not a Verdict", suffix=suffix)
            problem, replayed = _replay(claim, outcome, params)
            corrected = _against_correction(claim, outcome) if perturbation is None and problem is None else None
            if corrected is not None and corrected[0] is not None:
                problem = corrected[0]
        record = recorder.reads().to_json()
        evidence = {**outcome.evidence, **recorded(extra)}
        if outcome.witness is not None:
            key = "counterexample" if outcome.verdict is Verdict.REFUTED else "witness"
            evidence[key] = dict(outcome.witness)
        if replayed is not None:
            evidence["replay"] = {"holds": replayed.holds, "sides": dict(replayed.sides)}
        asserted = not interpret.issued(outcome)
        evidence.pop("checked", None)  # only the helpers that decided the verdict say what was checked
        if asserted:  # built by the claim's code, not by proofs.interpret from a solver's answer
            evidence["verdict_asserted"] = True
        else:
            checked = interpret.decided(outcome)
            if checked is None:
                problem = problem or _undecided_statement(interpret.missing(outcome))
            else:
                evidence["checked"] = checked[0][1].to_json() if len(checked) == 1 and not checked[0][0] else \
                    {label: statement.to_json() for label, statement in checked}
        if corrected is not None:
            evidence["corrected_replay"] = corrected[1]
        if cross_check and queries:
            evidence["cross_check"], disagreement = smtlib.cross_check(queries)
            if disagreement and problem is None:
                problem = f"cross-check failed: {disagreement}"
        if export:
            evidence["smt_queries"] = [smtlib.standalone(q, claim.id + suffix, n, len(queries)) for n, q in enumerate(queries, 1)]
        evidence = jsonable(evidence)
        if not isinstance(outcome.method, str) or not isinstance(outcome.reason, str):
            return error_result(claim, Verdict.ERROR, "check returned a non-string method or reason", suffix=suffix)
    except Placeholder as exc:
        return error_result(claim, Verdict.ERROR, str(exc), suffix=suffix)
    except Exception as exc:  # noqa: BLE001 - any failure of a check is that claim's error
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename}:{tb[-1].lineno}" if tb else ""
        return error_result(claim, Verdict.ERROR, f"{type(exc).__name__}: {exc}{where}", suffix=suffix)

    verdict = outcome.verdict
    reason = outcome.reason
    if asserted:
        reason = f"verdict asserted by the claim's code, not derived from a solver's answer; {reason}".rstrip("; ")
    if problem is not None:
        verdict, reason = Verdict.ERROR, problem
    status, why = status_of(claim, perturbation, verdict, strict=strict)
    reason = f"{why}; {reason}" if reason and status is Status.FAIL else (reason or why)
    return Result(
        id=claim.id + suffix,
        exercise=claim.exercise,
        part=claim.part,
        statement=statement_of(claim, perturbation),
        verdict=verdict,
        status=status,
        method=outcome.method,
        evidence=evidence,
        assumptions=claim.assumptions,
        erratum=claim.erratum.reason if claim.erratum and perturbation is None else None,
        reason=reason,
        reads=record,
    )


def check_material(claim: Claim, result: Result, material: Optional[str], files: Optional[dict] = None,
                   sightings: Optional[Sightings] = None) -> Result:
    """The claim's result as it is reported: its anchors verified against the material (a missing snippet makes it
    fail), and without its record of reads, which only the result cache needs (the runner stores the result first)
    and which depends on what was loaded before the check, not on the claim.

    A missing snippet that `sightings` saw in an earlier run is stale (the material changed); one never seen is not
    found (a mistake in the anchor), with the closest passage. `files` caches the material's files between calls.
    Without material or anchors only the record is dropped.
    """
    result = dataclasses.replace(result, reads=None) if result.reads is not None else result
    if material is None or not claim.anchors:
        return result
    records = verify(claim.anchors, Path(material), files)
    stale, missing = [], []
    for anchor, record in zip(claim.anchors, records):
        if record["found"]:
            if sightings is not None:
                sightings.saw(claim.id, anchor, record)
            continue
        before = sightings.seen(claim.id, anchor) if sightings is not None else None
        if before is not None:
            record["seen_before"] = before
            where = f"line {before['line']}" + (f" of cell {before['cell']}" if "cell" in before else "")
            stale.append(f"{record['file']}: \"{record['snippet']}\" was at {where} in an earlier run and is gone "
                         f"({record['problem']})")
        else:
            missing.append(f"{record['file']}: \"{record['snippet']}\" ({record['problem']})")
    evidence = {**result.evidence, "material": records}
    if not stale and not missing:
        return dataclasses.replace(result, evidence=evidence)
    why = []
    if stale:
        why.append("stale: the material changed; review the claim against it: " + "; ".join(stale))
    if missing:
        why.append("not found: the claim cites text the material does not have: " + "; ".join(missing))
    reason = "; ".join(why) + f"; the check itself: {result.verdict.value} ({result.reason})"
    return dataclasses.replace(result, status=Status.FAIL, evidence=evidence, reason=reason)
