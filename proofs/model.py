"""The claim model: claims, their perturbations and errata, and what checks and the engine return."""

from __future__ import annotations

import dataclasses
import inspect
import re
from typing import Any, Callable, Mapping, Optional

from proofs.errors import InvalidClaim
from proofs.verdicts import Status, Verdict

__all__ = ["Claim", "Erratum", "Perturbation", "Outcome", "Replay", "Result", "claim", "expect", "ForgedWitness", "ID_PATTERN"]

# ex<N>, then dotted lower-case segments: ex2.weights.example_sequence, ex1.d.max_pool_derivative.
ID_PATTERN = re.compile(r"^ex\d+(\.[a-z0-9_]+)+$")


class ForgedWitness(ValueError):
    """Raised by a replay when a witness carries values that do not belong to the claim it is said to refute."""


def _canonical(value: Any) -> Any:
    from fractions import Fraction

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value)
        except ValueError:
            return value
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def expect(witness: Mapping[str, Any], **fields: Any) -> None:
    """Check, in a replay, that each named witness field equals what the claim's parameters imply (exact values
    compared as numbers, sequences as lists); raise ForgedWitness naming the first field that does not."""
    for key, value in fields.items():
        if key not in witness:
            raise ForgedWitness(f"the witness has no {key!r}")
        if _canonical(witness[key]) != _canonical(value):
            raise ForgedWitness(f"witness {key} = {witness[key]!r} does not belong to this claim ({value!r} expected)")


@dataclasses.dataclass(frozen=True)
class Erratum:
    """Written by a claim author: the material's statement is wrong and the check is expected to refute it."""

    # Why the literal statement fails, in one or two sentences.
    reason: str
    # Id of the corrected claim, which stands beside this one and must pass.
    corrected_by: str


@dataclasses.dataclass(frozen=True)
class Perturbation:
    """Written by a claim author: a wrong variant of the claim that the checker must refute."""

    # Short slug naming the change, e.g. "alpha_5".
    name: str
    # Parameters that replace the claim's own for this variant.
    params: Mapping[str, Any]
    # What was changed, in words.
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Replay:
    """Returned by a claim's replay function: the claim's predicate evaluated at one witness."""

    # Whether the claim's predicate holds at the witness.
    holds: bool
    # What each side evaluated to, as exact values a person can check.
    sides: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """Returned by a check: a verdict with the evidence for it, before the engine replays and classifies."""

    # The verdict the check reached.
    verdict: Verdict
    # How: "z3", "sympy", "enumeration", "sampling", "experiment", "exact arithmetic", or a combination.
    method: str
    # Data a person can check: models, derived expressions, domains and sizes, sample counts and seeds.
    evidence: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # Exact values of a counterexample (refuted) or of a witness the claim asserts exists (proved).
    witness: Optional[Mapping[str, Any]] = None
    # One line saying why, for unknown and error verdicts and for summaries.
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class Result:
    """Produced by the engine for one claim (or one perturbation of it): what every report is built from."""

    # The claim id, with "~name" appended for a perturbation.
    id: str
    exercise: int
    part: Optional[str]
    statement: str
    verdict: Verdict
    status: Status
    method: str
    # JSON-ready evidence, including the replay of any witness under "replay".
    evidence: Mapping[str, Any]
    assumptions: tuple[str, ...]
    # The erratum's reason, when the claim records one.
    erratum: Optional[str]
    # One line: why this status.
    reason: str
    # Wall-clock seconds, measured by the runner; the only field that may differ between runs.
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "exercise": self.exercise,
            "part": self.part,
            "statement": self.statement,
            "verdict": self.verdict.value,
            "status": self.status.value,
            "method": self.method,
            "evidence": dict(self.evidence),
            "assumptions": list(self.assumptions),
            "erratum": self.erratum,
            "reason": self.reason,
            "seconds": round(self.seconds, 4),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Result":
        return cls(
            id=data["id"],
            exercise=data["exercise"],
            part=data["part"],
            statement=data["statement"],
            verdict=Verdict(data["verdict"]),
            status=Status(data["status"]),
            method=data["method"],
            evidence=data["evidence"],
            assumptions=tuple(data["assumptions"]),
            erratum=data["erratum"],
            reason=data["reason"],
            seconds=data.get("seconds", 0.0),
        )


@dataclasses.dataclass(frozen=True)
class Claim:
    """Written by a claim author (usually through `claim`): one checkable statement of the material."""

    # Stable dotted id, ex<N>.<part>.<slug>.
    id: str
    # Exercise number in the material.
    exercise: int
    # Part letter, or None where the exercise has no parts.
    part: Optional[str]
    # The claim, in our words.
    statement: str
    # What the material asserts, with its formulas and values.
    asserts: str
    # The formal statement the check decides: quantifiers, domains, formulas.
    formal: str
    # The weakest verdict that counts as a pass.
    requires: Verdict
    # The check: called with `params`, returns an Outcome.
    check: Callable[..., Outcome]
    # The values the material states; perturbations replace some of them.
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # Modelling choices and lemmas taken as known.
    assumptions: tuple[str, ...] = ()
    # Present when the material's statement is wrong.
    erratum: Optional[Erratum] = None
    # Wrong variants the checker must refute.
    perturbations: tuple[Perturbation, ...] = ()
    # Evaluates the claim's predicate at a witness, independently of the solver: replay(witness, **params).
    replay: Optional[Callable[..., Replay]] = None
    # The material's formulas in sympy syntax, for reports that render mathematics.
    formulas: tuple[str, ...] = ()
    # Where the claim is defined, for reports.
    file: str = ""
    line: int = 0
    # The pack the claim was loaded from.
    pack: str = ""

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise InvalidClaim(f"claim id {self.id!r} is not of the form ex<N>.<part>.<slug> (lower case, dotted)")
        if not self.id.startswith(f"ex{self.exercise}."):
            raise InvalidClaim(f"claim id {self.id!r} does not start with ex{self.exercise}. (its exercise)")
        for name in ("statement", "asserts", "formal"):
            if not getattr(self, name).strip():
                raise InvalidClaim(f"claim {self.id}: field {name!r} is empty; say it in words")
        if not isinstance(self.requires, Verdict) or not self.requires.positive:
            raise InvalidClaim(f"claim {self.id}: requires must be a positive Verdict, got {self.requires!r}")
        names = [p.name for p in self.perturbations]
        if len(set(names)) != len(names):
            raise InvalidClaim(f"claim {self.id}: perturbation names repeat: {names}")
        for p in self.perturbations:
            unknown = set(p.params) - set(self.params)
            if unknown:
                raise InvalidClaim(f"claim {self.id}: perturbation {p.name!r} sets unknown params {sorted(unknown)}")

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "<unknown>"

    def perturbation(self, name: str) -> Perturbation:
        for p in self.perturbations:
            if p.name == name:
                return p
        raise KeyError(f"claim {self.id} has no perturbation {name!r}")


def claim(
    id: str,
    *,
    exercise: int,
    part: Optional[str],
    statement: str,
    asserts: str,
    formal: str,
    requires: Verdict,
    params: Optional[Mapping[str, Any]] = None,
    assumptions: tuple[str, ...] = (),
    erratum: Optional[Erratum] = None,
    perturbations: tuple[Perturbation, ...] = (),
    replay: Optional[Callable[..., Replay]] = None,
    formulas: tuple[str, ...] = (),
) -> Callable[[Callable[..., Outcome]], Claim]:
    """Decorate a check function to make it a Claim, recording where it is defined."""

    def decorate(check: Callable[..., Outcome]) -> Claim:
        return Claim(
            id=id,
            exercise=exercise,
            part=part,
            statement=statement,
            asserts=asserts,
            formal=formal,
            requires=requires,
            check=check,
            params=dict(params or {}),
            assumptions=tuple(assumptions),
            erratum=erratum,
            perturbations=tuple(perturbations),
            replay=replay,
            formulas=tuple(formulas),
            file=inspect.getsourcefile(check) or "",
            line=inspect.getsourcelines(check)[1],
        )

    return decorate
