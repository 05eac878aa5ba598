"""Whether a result read back (from a shard's report, a cache entry or a check's process) is well formed, describes
its claim as the claim describes itself, and agrees with its own evidence."""

from __future__ import annotations

from typing import Any, Optional

from proofs import numbers
from proofs.model import Claim, Result
from proofs.verdicts import Status, Verdict

__all__ = ["malformed", "mismatch", "inconsistency"]

# The type of each member of a result's JSON (Result.to_json) that is text, an object or a list.
_KINDS = {"id": str, "statement": str, "method": str, "reason": str, "evidence": dict, "assumptions": list}


def malformed(entry: Any) -> list[str]:
    """The members of a result's JSON that are missing or not of their type (every one, in a fixed order; `[]` when
    it is well formed): what Result.from_json can then read without a check of its own."""
    if not isinstance(entry, dict):
        return ["the result"]
    wrong = [k for k, kind in _KINDS.items() if not isinstance(entry.get(k), kind)]
    wrong += [k for k in ("part", "erratum") if not (entry.get(k, 0) is None or isinstance(entry.get(k), str))]
    wrong += [k for k in ("cached", "trusts") if not (entry.get(k) is None or isinstance(entry[k], dict))]
    exercise = entry.get("exercise")
    wrong += [] if isinstance(exercise, int) and not isinstance(exercise, bool) else ["exercise"]
    wrong += [] if numbers.seconds(entry.get("seconds")) is not None else ["seconds"]
    wrong += [] if "assumptions" in wrong or all(isinstance(a, str) for a in entry["assumptions"]) else ["assumptions"]
    wrong += [k for k, kind in (("verdict", Verdict), ("status", Status)) if entry.get(k) not in {v.value for v in kind}]
    return list(dict.fromkeys(wrong))


def mismatch(claim: Claim, result: Result) -> Optional[str]:
    """Which of the claim's own fields the result describes otherwise (exercise, part, statement, assumptions,
    erratum), or None when it describes the claim as the claim describes itself."""
    expected = {"exercise": claim.exercise, "part": claim.part, "statement": claim.statement,
                "assumptions": tuple(claim.assumptions), "erratum": claim.erratum.reason if claim.erratum else None}
    wrong = [k for k, v in expected.items() if getattr(result, k) != v]
    return f"its {', '.join(wrong)} {'differ' if len(wrong) > 1 else 'differs'} from the claim's" if wrong else None


def _holds(record: Any) -> Optional[bool]:
    """The `holds` of a replay record, or None when it is not a replay record ({"holds": true|false, ...})."""
    if isinstance(record, dict) and isinstance(record.get("holds"), bool):
        return record["holds"]
    return None


def inconsistency(result: Result) -> Optional[str]:
    """Why the result contradicts itself, or None when it does not. Whatever engine wrote it, a result is consistent
    with its own evidence as the engine (proofs.evaluate) makes it:

    | what the result holds                                | must be                                           |
    |------------------------------------------------------|---------------------------------------------------|
    | verdict refuted                                      | a counterexample, and its replay holding false    |
    | a counterexample                                     | a verdict that is not positive                    |
    | a witness                                            | a verdict that is not refuted                     |
    | a replay                                             | a record {holds: true/false}; false only for a    |
    |                                                      | verdict that is not positive, true only for one   |
    |                                                      | that is not refuted                               |
    | status pass                                          | a positive verdict (a perturbation: refuted)      |
    | status erratum                                       | verdict refuted, and a corrected claim's replay,  |
    |                                                      | when it has one there, holding true               |

    A status stricter than these (fail) is always consistent: a stale anchor or a failing trusted claim makes it."""
    evidence = result.evidence if isinstance(result.evidence, dict) else {}
    verdict, status = result.verdict, result.status
    counterexample, witness = evidence.get("counterexample"), evidence.get("witness")
    replay = evidence.get("replay")
    holds = _holds(replay)
    if "replay" in evidence and holds is None:
        return "its replay is not a record of whether the claim holds"
    if verdict is Verdict.REFUTED:
        if not isinstance(counterexample, dict):
            return "verdict refuted without a counterexample"
        if holds is not False:
            return "verdict refuted, but the replay of its counterexample " + ("holds" if holds else "is missing")
    if "counterexample" in evidence and verdict.positive:
        return f"verdict {verdict.value} with a counterexample"
    if "witness" in evidence and verdict is Verdict.REFUTED:
        return "verdict refuted with a witness"
    if holds is False and verdict.positive:
        return f"verdict {verdict.value} with a replay that does not hold"
    if holds is True and verdict is Verdict.REFUTED:
        return "verdict refuted with a replay that holds"
    if witness is not None and not isinstance(witness, dict):
        return "its witness is not a set of values"
    perturbation = "~" in result.id
    if status is Status.PASS and not (verdict is Verdict.REFUTED if perturbation else verdict.positive):
        return f"status pass for verdict {verdict.value}"
    if status is Status.ERRATUM:
        if verdict is not Verdict.REFUTED or perturbation:
            return f"status erratum without a refutation (verdict {verdict.value})"
        if _holds(evidence.get("corrected_replay")) is False:  # (a point outside the correction's domain has none)
            return "status erratum, but its corrected claim's replay does not hold at the counterexample"
    return None
