"""The claim model: claims, their perturbations and errata, and what checks and the engine return."""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import re
import sys
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

from proofs.errors import InvalidClaim
from proofs.verdicts import Status, Verdict

__all__ = ["Anchor", "Claim", "Lemma", "Erratum", "Correction", "Row", "Table", "Perturbation", "Outcome", "Replay", "Result", "claim",
           "expect", "todo", "note", "event", "exercise_segment", "ForgedWitness", "Placeholder", "ID_PATTERN"]

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
class Correction:
    """Written by a claim author: the material's statement is wrong; these values (and this sentence) correct it.

    Given as `erratum=` to @claim, @forall or @exists, it makes two claims from one check: the claim as printed (an
    erratum, expected to be refuted) and, beside it as its companion, `<id>_corrected`: the same check at the corrected
    values, which must pass, with the printed values as its mutant `as_printed`.
    """

    # Why the printed statement fails, in one or two sentences.
    reason: str
    # The corrected statement, in our words.
    statement: str
    # The stated values that change, with their corrected values.
    values: Mapping[str, Any]
    # What the corrected claim assumes besides the claim's own assumptions (a lemma its proof uses), if anything.
    assumptions: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Row:
    """Written by a claim author: one row of a table-driven claim, the same check at its own stated values.

    `@claim(..., rows=(Row(...), ...))` (and @forall / @exists with rows=) makes one claim per row; the decorator's
    other fields are shared by every row, and a row's own fields replace them.
    """

    # The row's claim id.
    id: str
    # The row's claim, in our words.
    statement: str
    # The stated values of this row (they replace the decorator's params, or the function's defaults).
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # What the material asserts for this row; derived from the row's anchors when left out.
    asserts: Optional[str] = None
    # Snippets of the material this row relies on (with @forall / @exists, `cites` is taken too).
    anchors: tuple = ()
    # The row's wrong variants: Perturbation values (with @forall / @exists, a {name: {value: wrong}} mapping too).
    perturbations: Any = ()
    # The row's erratum, if the material is wrong for this row.
    erratum: Optional[Any] = None
    # The claims and lemmas this row takes as known, when they differ from the decorator's.
    trusts: Optional[tuple] = None
    # The material's formulas for this row, in sympy syntax, when they differ from the decorator's (@claim only).
    formulas: Optional[tuple] = None


class Table(tuple):
    """The claims made by one table-driven decorator, one a row, in order: list them in CLAIMS as `*table`."""


# --- extra evidence recorded during a check (note, event) ----------------------------------------------------------

class _Recorder:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.events: dict[str, int] = {}
        # keys of what was forwarded once (a statement's body is evaluated more than once in a check)
        self.once: set = set()


_RECORDERS: list[_Recorder] = []


@contextlib.contextmanager
def collecting() -> Iterator[_Recorder]:
    """Collect what note() and event() record while the block runs (the engine wraps each check in it)."""
    recorder = _Recorder()
    _RECORDERS.append(recorder)
    try:
        yield recorder
    finally:
        _RECORDERS.remove(recorder)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def note(value: Any) -> None:
    """Record a line a person should see with this check's result, as `hypothesis.note` does: text, or the repr of
    any other value. Reports show the notes beside the verdict; they are evidence only and never change it. The same
    note recorded twice is shown once. Outside a check (a check function called directly) it does nothing."""
    if _RECORDERS:
        text = _text(value)
        if text not in _RECORDERS[-1].notes:
            _RECORDERS[-1].notes.append(text)


def event(value: Any, payload: Any = "") -> None:
    """Record that something happened during this check, as `hypothesis.event` does: reports show each distinct
    event (with its payload, when given) and how many times it was recorded. Evidence only; outside a check it does
    nothing."""
    if _RECORDERS:
        key = _text(value) + (f": {_text(payload)}" if payload != "" else "")
        events = _RECORDERS[-1].events
        events[key] = events.get(key, 0) + 1


def forward_once(recorder: _Recorder, key: Any) -> None:
    """Pass what `recorder` holds on to the enclosing check's recorder, the first time `key` is forwarded in it."""
    if not _RECORDERS or key in _RECORDERS[-1].once:
        return
    outer = _RECORDERS[-1]
    outer.once.add(key)
    for text in recorder.notes:
        if text not in outer.notes:
            outer.notes.append(text)
    for name, count in recorder.events.items():
        outer.events[name] = outer.events.get(name, 0) + count


def recorded(recorder: _Recorder) -> dict[str, Any]:
    """What a recorder holds, as evidence entries ("notes", "events"), leaving out what is empty."""
    out: dict[str, Any] = {}
    if recorder.notes:
        out["notes"] = list(recorder.notes)
    if recorder.events:
        out["events"] = dict(recorder.events)
    return out


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
    # How: "z3", "sympy", "identical sides", "enumeration", "sampling", "experiment", "exact arithmetic", or a
    # combination.
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
        """Every field in order (verdict and status by value); `reads` and `trusts` only when set."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data.update(verdict=self.verdict.value, status=self.status.value, evidence=dict(self.evidence),
                    assumptions=list(self.assumptions), seconds=round(self.seconds, 4),
                    cached=dict(self.cached) if self.cached is not None else None)
        for key in ("reads", "trusts"):
            if data[key] is None:
                del data[key]
            else:
                data[key] = dict(data[key])
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Result":
        """The result `to_json` gave; a field with a default may be absent. Raises KeyError, ValueError or TypeError."""
        fields = {f.name: data[f.name] if f.default is dataclasses.MISSING else data.get(f.name, f.default)
                  for f in dataclasses.fields(cls)}
        return cls(**fields | {"verdict": Verdict(data["verdict"]), "status": Status(data["status"]),
                               "assumptions": tuple(data["assumptions"])})


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
    erratum: "Optional[Erratum | Correction]" = None,
    perturbations: tuple[Perturbation, ...] = (),
    replay: Optional[Callable[..., Replay]] = None,
    formulas: tuple[str, ...] = (),
    anchors: tuple[Anchor, ...] = (),
    trusts: tuple[Any, ...] = (),
    rows: Optional[Sequence[Row]] = None,
) -> Callable[[Callable[..., Outcome]], Any]:
    """Decorate a check function to make it a Claim, recording where it is defined.

    `asserts` may be left out when `anchors` quote the material: it is then what they quote. `erratum` takes an
    Erratum naming a corrected claim written beside it, or a Correction, from which the corrected claim is made.
    With `rows`, the decorator makes one claim per Row (a Table): the id, statement and stated values come from the
    row, exercise and part from the row's id unless given here, and every other field is shared.

    A required field left out, or a malformed one, raises InvalidClaim at load time naming the field, where the
    claim is, and how to write the field.
    """
    given = {"id": id, "exercise": exercise, "part": part, "statement": statement, "asserts": asserts,
             "formal": formal, "requires": requires}

    def make(check: Callable[..., Outcome], file: str, line: int, fields: Mapping[str, Any]) -> Claim:
        name = fields["id"] if isinstance(fields["id"], str) else getattr(check, "__name__", "?")
        fields = dict(fields)
        if fields["asserts"] is _MISSING and fields["anchors"]:
            fields["asserts"] = quoted(fields["anchors"])
        for field in given:
            if fields[field] is _MISSING:
                raise InvalidClaim(f"{file}:{line}: claim {name!r} has no {field!r} field; add {FIELD_HELP[field]}"
                                   + (" (or anchors=, whose snippets it is then)" if field == "asserts" else ""))
        try:
            made = Claim(
                id=fields["id"],
                exercise=fields["exercise"],
                part=fields["part"],
                statement=fields["statement"],
                asserts=fields["asserts"],
                formal=fields["formal"],
                requires=fields["requires"],
                check=check,
                params=dict(fields["params"] or {}),
                assumptions=tuple(assumptions),
                erratum=fields["erratum"] if isinstance(fields["erratum"], Erratum) else None,
                perturbations=tuple(fields["perturbations"]),
                replay=replay,
                formulas=tuple(fields["formulas"]),
                anchors=tuple(fields["anchors"]),
                trusts=tuple(fields["trusts"]),
                file=file,
                line=line,
            )
            return corrected(made, fields["erratum"])
        except InvalidClaim as exc:
            raise InvalidClaim(f"{file}:{line}: {exc}") from None

    def decorate(check: Callable[..., Outcome]) -> Any:
        code = getattr(check, "__code__", None)
        file = code.co_filename if code else (inspect.getsourcefile(check) or "")
        line = code.co_firstlineno if code else 0
        shared = {**given, "params": params, "erratum": erratum, "perturbations": perturbations, "anchors": anchors,
                  "trusts": trusts, "formulas": formulas}
        if rows is None:
            return make(check, file, line, shared)
        if id is not _MISSING:
            raise InvalidClaim(f"{file}:{line}: a table-driven claim takes its ids from its rows; leave out the id")
        if not rows or not all(isinstance(r, Row) for r in rows):
            raise InvalidClaim(f"{file}:{line}: rows= takes a non-empty sequence of Row(id, statement, params, ...)")
        out = []
        for row in rows:
            segment = exercise_segment(row.id) if isinstance(row.id, str) else ""
            fields = {**shared, "id": row.id, "statement": row.statement,
                      "params": {**(params or {}), **row.params}, "asserts": row.asserts if row.asserts is not None else asserts,
                      "anchors": tuple(row.anchors) or tuple(anchors), "perturbations": tuple(row.perturbations) or tuple(perturbations),
                      "erratum": row.erratum if row.erratum is not None else erratum,
                      "trusts": row.trusts if row.trusts is not None else trusts,
                      "formulas": row.formulas if row.formulas is not None else formulas}
            if row.anchors and row.asserts is None:
                fields["asserts"] = _MISSING
            if exercise is _MISSING and segment:
                fields["exercise"] = int(segment[2:])
            if part is _MISSING:
                fields["part"] = part_of(row.id)
            out.append(make(check, file, line, fields))
        return Table(out)

    if callable(id) and not isinstance(id, str):
        raise InvalidClaim("@claim needs its fields: write @claim(\"ex<N>.<part>.<slug>\", exercise=..., ...), not a bare @claim")
    return decorate


def quoted(anchors: Sequence[Anchor]) -> str:
    """What anchors quote, as the text of what the material asserts: each snippet, in order, separated by " · "."""
    return " · ".join(" ".join(a.snippet.split()) for a in anchors)


def part_of(claim_id: str) -> Optional[str]:
    """The part letter of a claim id (the segment after ex<N>, when it is a letter and more follows), else None."""
    segments = claim_id.split(".")
    after = segments[segments.index(exercise_segment(claim_id)) + 1:] if exercise_segment(claim_id) else []
    return after[0] if len(after) >= 2 and re.fullmatch(r"[a-z]\d?", after[0]) else None


def corrected(made: Claim, erratum: Any) -> Claim:
    """The claim as printed, with its corrected claim made beside it when the erratum is a Correction: the same check
    at the corrected values, `<id>_corrected`, which carries the claim's perturbations and the printed values as its
    mutant `as_printed`; the claim itself becomes the erratum, corrected by it."""
    if erratum is None or isinstance(erratum, Erratum):
        return made
    if not isinstance(erratum, Correction):
        raise InvalidClaim(f"claim {made.id}: erratum= takes Correction(reason, statement, values) or Erratum(reason, "
                           f"corrected_by), got {erratum!r}")
    unknown = set(erratum.values) - set(made.params)
    if unknown or not erratum.values:
        raise InvalidClaim(f"claim {made.id}: the correction must change stated values of the claim; "
                           f"{sorted(unknown) or 'none'} given")
    printed = {k: made.params[k] for k in erratum.values}
    fixed = dataclasses.replace(made, id=made.id + "_corrected", statement=erratum.statement,
                                params={**made.params, **erratum.values}, erratum=None, companions=(),
                                assumptions=(*made.assumptions, *erratum.assumptions),
                                perturbations=(Perturbation("as_printed", printed, "the values the material prints"),
                                               *made.perturbations))
    return dataclasses.replace(made, perturbations=(), erratum=Erratum(erratum.reason, fixed.id), companions=(fixed,))
