"""Verdicts ordered by strength, per-claim status, and the pure function between them."""

from __future__ import annotations

import enum

__all__ = ["Verdict", "Status", "ExitCode", "classify"]


class Verdict(enum.Enum):
    """What a check established. Positive verdicts carry a strength; the rest carry none."""

    # Shown for every case: z3 answered unsat for the negation, or a symbolic identity held.
    PROVED = "proved"
    # Every element of a named finite domain was checked; the domain and its size are in the evidence.
    EXHAUSTED = "exhausted"
    # N sampled cases held; the count and the seed are in the evidence. Never a proof.
    NOT_REFUTED = "not_refuted"
    # A seeded statistical experiment showed the claimed effect at the stated significance.
    SUPPORTED = "supported"
    # A counterexample was found and replayed independently of the solver that found it.
    REFUTED = "refuted"
    # The solver gave up (z3 unknown, or a symbolic question it could not settle).
    UNKNOWN = "unknown"
    # The runner stopped the check at its time limit.
    TIMEOUT = "timeout"
    # The check raised, crashed, returned garbage, or its witness failed replay.
    ERROR = "error"

    @property
    def strength(self) -> int:
        """Higher is stronger; 0 for verdicts that establish nothing positive."""
        return _STRENGTH.get(self, 0)

    @property
    def positive(self) -> bool:
        return self.strength > 0


_STRENGTH = {
    Verdict.PROVED: 4,
    Verdict.EXHAUSTED: 3,
    Verdict.NOT_REFUTED: 2,
    Verdict.SUPPORTED: 1,
}


class Status(enum.Enum):
    """What a verdict means for the gate, given what the claim expects."""

    # The claim holds with evidence at least as strong as it requires.
    PASS = "pass"
    # An acknowledged erratum of the material, refuted exactly as recorded.
    ERRATUM = "erratum"
    # Anything else: refuted, too weak, unknown, timeout, error, or an erratum no longer refuted.
    FAIL = "fail"


class ExitCode(enum.IntEnum):
    """Process exit codes, mirroring pytest's."""

    # Every selected claim passed (acknowledged errata allowed unless --strict).
    OK = 0
    # At least one selected claim failed.
    FAILURES = 1
    # The run was interrupted (Ctrl-C); what had finished was reported.
    INTERRUPTED = 2
    # The checker itself failed.
    INTERNAL_ERROR = 3
    # The command line was wrong: unknown option, selector or claim id.
    USAGE_ERROR = 4
    # The selectors matched no claim.
    NO_CLAIMS = 5


def classify(verdict: Verdict, *, requires: Verdict, erratum: bool, strict: bool = False) -> tuple[Status, str]:
    """Decide a claim's status from its verdict and expectation; return it with the reason.

    | verdict                    | claim is an erratum        | otherwise                     |
    |----------------------------|----------------------------|-------------------------------|
    | unknown / timeout / error  | fail                       | fail                          |
    | refuted                    | erratum (fail if strict)   | fail                          |
    | positive                   | fail: no longer refuted    | pass if strength >= required, |
    |                            |                            | else fail: evidence too weak  |
    """
    if not requires.positive:
        raise ValueError(f"a claim must require a positive verdict, not {requires.value!r}")
    if verdict in (Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR):
        return Status.FAIL, f"{verdict.value} never passes"
    if verdict is Verdict.REFUTED:
        if not erratum:
            return Status.FAIL, "refuted"
        if strict:
            return Status.FAIL, "erratum of the material (--strict)"
        return Status.ERRATUM, "acknowledged erratum, refuted as recorded"
    if erratum:
        return Status.FAIL, "recorded as an erratum but no longer refuted: update the record"
    if verdict.strength < requires.strength:
        return Status.FAIL, f"evidence too weak: {verdict.value}, the claim requires {requires.value}"
    return Status.PASS, verdict.value
