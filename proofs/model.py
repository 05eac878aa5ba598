"""The claim model: claims, their perturbations and errata, and what checks and the engine return."""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
from typing import Any, Callable, Mapping, Optional

from proofs.errors import InvalidClaim
from proofs.verdicts import Status, Verdict

__all__ = ["Anchor", "Claim", "Lemma", "Erratum", "Perturbation", "Outcome", "Replay", "Result", "claim", "expect", "todo", "exercise_segment",
           "ForgedWitness", "Placeholder", "ID_PATTERN"]

# An optional namespace (a course or week, for packs other than the seed), then ex<N>, then dotted lower-case
# segments: ex2.weights.example_sequence, ex1.d.max_pool_derivative, week8.ex1.a.softmax_shift.
ID_PATTERN = re.compile(r"([a-z][a-z0-9_]*\.)*?ex\d+(\.[a-z0-9_]+)+")


class Placeholder(InvalidClaim):
    """Raised by `todo`: a template's placeholder has not been filled in yet."""

    def __init__(self, what: str, file: str, line: int) -> None:
        super().__init__(f"placeholder not filled in at {file}:{line}: {what}")
        self.what, self.file, self.line = what, file, line


def todo(what: str) -> Any:
    """Stand for a value a claim author has still to write; raises Placeholder naming it and where it is.

    In a field of @claim(...) it stops the pack from loading; inside a check it makes the claim an error.
    """
    frame = sys._getframe(1)
    raise Placeholder(what, frame.f_code.co_filename, frame.f_lineno)


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
class Lemma:
    """Written by a claim author: a named fact taken as known (a textbook result), which claims may trust.

    It is an axiom of the claims that trust it: `audit` lists it for each of them, transitively, the way Lean's
    `#print axioms` does. A claim that samples the fact as a sanity check may be named as `sampled_by`.
    """

    # A short stable name, e.g. "operator_norm_submultiplicative".
    name: str
    # The fact, in words and formulas.
    statement: str
    # Where it comes from (a textbook, the sheet's hint), for the audit.
    source: str = ""
    # A claim that checks the fact on samples, if any; its verdict is shown beside the lemma, never used as a proof.
    sampled_by: Optional["Claim"] = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise InvalidClaim(f"lemma name {self.name!r} must be lower case with underscores, e.g. operator_norm_submultiplicative")
        if not isinstance(self.statement, str) or not self.statement.strip():
            raise InvalidClaim(f"lemma {self.name}: the statement is empty; say what fact is taken as known")


@dataclasses.dataclass(frozen=True)
class Anchor:
    """Written by a claim author: a short snippet of the material (a formula, a stated value) the claim relies on.

    `check --material DIR` fails the claim as stale when DIR/file no longer contains the snippet; differences of
    whitespace and of LaTeX spacing commands do not count.
    """

    # Path of the material file, relative to the material directory.
    file: str
    # The text as the material prints it.
    snippet: str

    def __post_init__(self) -> None:
        if not isinstance(self.file, str) or not self.file or self.file.startswith("/") or ".." in self.file.split("/"):
            raise InvalidClaim(f"anchor file {self.file!r} must be a path relative to the material directory")
        if not isinstance(self.snippet, str) or not self.snippet.strip():
            raise InvalidClaim(f"anchor in {self.file}: the snippet is empty; quote the formula or value the claim relies on")


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

    def __post_init__(self) -> None:
        if not isinstance(self.holds, bool):
            raise TypeError(f"Replay.holds must be True or False, got {type(self.holds).__name__} {self.holds!r}: "
                            "a replay decides whether the claim holds at the witness")
        if not isinstance(self.sides, Mapping):
            raise TypeError(f"Replay.sides must be a mapping of side names to values, got {type(self.sides).__name__}")


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
    # Wall-clock seconds, measured by the runner; with `cached`, the only fields that may differ between runs.
    seconds: float = 0.0
    # Set when the result was reused from the result cache: when it was computed, how long that took, and the
    # digest of the inputs it was computed from (proofs.cache).
    cached: Optional[Mapping[str, Any]] = None
    # What the check read (proofs.reads.Reads.to_json()), carried from the check's process to the result cache;
    # None once the result is reported, and then left out of its JSON.
    reads: Optional[Mapping[str, Any]] = None
    # For a claim that trusts other claims or lemmas (proofs.links): the verdict of every claim it rests on,
    # transitively, the weakest of them, and the lemmas; derived in each run, never stored in the cache.
    trusts: Optional[Mapping[str, Any]] = None

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
            "cached": dict(self.cached) if self.cached is not None else None,
        } | ({"reads": dict(self.reads)} if self.reads is not None else {}) \
          | ({"trusts": dict(self.trusts)} if self.trusts is not None else {})

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
            cached=data.get("cached"),
            reads=data.get("reads"),
            trusts=data.get("trusts"),
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
    # Commentary on the formal statement, written by the author ("" for none): reports label it as such. What was
    # checked is printed from what the helpers of proofs.interpret decided, into the evidence's "checked".
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
    # Snippets of the material the claim relies on; `check --material` verifies they are still there.
    anchors: tuple[Anchor, ...] = ()
    # True when `formal` is printed from the statement's term (@forall, @exists), not written by the claim's author.
    derived_formal: bool = False
    # Where the claim is defined, for reports.
    file: str = ""
    line: int = 0
    # The pack the claim was loaded from.
    pack: str = ""
    # Claims derived from this one that load with it (the corrected claim of an erratum written as a statement).
    companions: tuple["Claim", ...] = ()
    # The claims and lemmas this claim's check takes as known: links the engine follows, not prose.
    trusts: tuple[Any, ...] = ()
    # For an erratum, its corrected claim, linked when the packs are loaded (the check replays the erratum's
    # counterexample with it).
    correction: Optional["Claim"] = dataclasses.field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not ID_PATTERN.fullmatch(self.id):
            raise InvalidClaim(f"claim id {self.id!r} is not of the form [namespace.]ex<N>.<part>.<slug> (lower case, dotted), "
                               "e.g. ex2.weights.example_sequence or week8.ex1.a.softmax_shift")
        if isinstance(self.exercise, bool) or not isinstance(self.exercise, int):
            raise InvalidClaim(f"claim {self.id}: exercise must be the exercise number, an int, got {self.exercise!r}")
        if exercise_segment(self.id) != f"ex{self.exercise}":
            raise InvalidClaim(f"claim id {self.id!r} does not name ex{self.exercise} (its exercise) before the part")
        if self.part is not None and (not isinstance(self.part, str) or not self.part):
            raise InvalidClaim(f"claim {self.id}: part must be a non-empty string such as 'a', or None, got {self.part!r}")
        for name in ("statement", "asserts"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise InvalidClaim(f"claim {self.id}: field {name!r} is empty; {FIELD_HELP[name]}")
        if not isinstance(self.formal, str):
            raise InvalidClaim(f"claim {self.id}: field 'formal' must be text (or left out); {FIELD_HELP['formal']}")
        for t in self.trusts:
            if not isinstance(t, (Claim, Lemma)):
                raise InvalidClaim(f"claim {self.id}: trusts holds {t!r}; name the Claim objects and Lemma(...) it takes as known")
            if isinstance(t, Claim) and t.id == self.id:
                raise InvalidClaim(f"claim {self.id} trusts itself")
        for a in self.anchors:
            if not isinstance(a, Anchor):
                raise InvalidClaim(f"claim {self.id}: anchors must be Anchor(file, snippet) values, got {a!r}")
        if not isinstance(self.requires, Verdict) or not self.requires.positive:
            raise InvalidClaim(f"claim {self.id}: requires must be a positive Verdict, got {self.requires!r}")
        names = [p.name for p in self.perturbations]
        if len(set(names)) != len(names):
            raise InvalidClaim(f"claim {self.id}: perturbation names repeat: {names}")
        for p in self.perturbations:
            unknown = set(p.params) - set(self.params)
            if unknown:
                raise InvalidClaim(f"claim {self.id}: perturbation {p.name!r} sets unknown params {sorted(unknown)}")
            if not p.params or all(_same(v, self.params[k]) for k, v in p.params.items()):
                raise InvalidClaim(f"claim {self.id}: perturbation {p.name!r} changes no stated value; a mutant must differ "
                                   "from the claim in at least one of its params")

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "<unknown>"

    def perturbation(self, name: str) -> Perturbation:
        for p in self.perturbations:
            if p.name == name:
                return p
        raise KeyError(f"claim {self.id} has no perturbation {name!r}")


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(type(a) is type(b) and a == b) or _canonical(a) == _canonical(b)
    except Exception:  # noqa: BLE001 - values that cannot be compared are taken as different
        return False


def exercise_segment(claim_id: str) -> str:
    """The `ex<N>` segment of a claim id ("" when it has none): week8.ex1.a.slug -> ex1."""
    return next((seg for seg in claim_id.split(".") if re.fullmatch(r"ex\d+", seg)), "")


# What each required field of @claim(...) holds, for the message that rejects a claim without it.
FIELD_HELP = {
    "id": "the claim's stable dotted id, first argument: @claim(\"ex3.b.slug\", ...)",
    "exercise": "the exercise number in the material, an int: exercise=3",
    "part": "the part letter as a string, or None where the exercise has no parts: part=\"b\"",
    "statement": "the claim in your own words: statement=\"...\"",
    "asserts": "what the material asserts, with its formula or value: asserts=\"...\"",
    "formal": "optional commentary on what the check decides (reports print what was checked from the solver's query): "
              "formal=\"by induction on t: ...\"",
    "requires": "the weakest verdict that counts as a pass: requires=Verdict.PROVED (or EXHAUSTED, NOT_REFUTED, SUPPORTED)",
}

_MISSING: Any = object()


def claim(
    id: str = _MISSING,
    *,
    exercise: int = _MISSING,
    part: Optional[str] = _MISSING,
    statement: str = _MISSING,
    asserts: str = _MISSING,
    formal: str = "",
    requires: Verdict = _MISSING,
    params: Optional[Mapping[str, Any]] = None,
    assumptions: tuple[str, ...] = (),
    erratum: Optional[Erratum] = None,
    perturbations: tuple[Perturbation, ...] = (),
    replay: Optional[Callable[..., Replay]] = None,
    formulas: tuple[str, ...] = (),
    anchors: tuple[Anchor, ...] = (),
    trusts: tuple[Any, ...] = (),
) -> Callable[[Callable[..., Outcome]], Claim]:
    """Decorate a check function to make it a Claim, recording where it is defined.

    A required field left out, or a malformed one, raises InvalidClaim at load time naming the field, where the
    claim is, and how to write the field.
    """
    given = {"id": id, "exercise": exercise, "part": part, "statement": statement, "asserts": asserts,
             "formal": formal, "requires": requires}

    def decorate(check: Callable[..., Outcome]) -> Claim:
        code = getattr(check, "__code__", None)
        file = code.co_filename if code else (inspect.getsourcefile(check) or "")
        line = code.co_firstlineno if code else 0
        name = id if isinstance(id, str) else getattr(check, "__name__", "?")
        for field, value in given.items():
            if value is _MISSING:
                raise InvalidClaim(f"{file}:{line}: claim {name!r} has no {field!r} field; add {FIELD_HELP[field]}")
        try:
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
                anchors=tuple(anchors),
                trusts=tuple(trusts),
                file=file,
                line=line,
            )
        except InvalidClaim as exc:
            raise InvalidClaim(f"{file}:{line}: {exc}") from None

    if callable(id) and not isinstance(id, str):
        raise InvalidClaim("@claim needs its fields: write @claim(\"ex<N>.<part>.<slug>\", exercise=..., ...), not a bare @claim")
    return decorate
