"""What every writer shares: the context of a run, the writer interface, and the guard that admits each result."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any, Callable, ClassVar, Mapping, Optional

from proofs.jsonsafe import MAX_ITEMS, jsonable, text
from proofs.mathtree import is_math
from proofs.model import Claim, Result
from proofs.verdicts import Status, Verdict

__all__ = ["ReportContext", "Writer", "admit", "as_text", "checked", "checked_lines", "commentary", "format_values", "shown",
           "summary_line"]


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """Built by the CLI for one run: what writers may need beyond the results themselves."""

    # claims by id, for the formal statement, formulas and corrected claims
    claims: Mapping[str, Claim] = dataclasses.field(default_factory=dict)
    # the command that reruns one claim, without its id
    rerun: str = "python -m proofs check"
    # versions of the tool, python, z3 and sympy
    tool: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # packs that could not be loaded (registry.LoadError); a run with any fails
    load_errors: tuple = ()
    # the material directory (--material), for the annotated sheet, and reviewed coverage exclusions (TOML files)
    material: Optional[str] = None
    exclusions: tuple = ()

    def claim_of(self, result: Result) -> Optional[Claim]:
        return self.claims.get(result.id.split("~")[0])

    def rerun_command(self, result: Result) -> str:
        return f"{self.rerun} {result.id.split('~')[0]}"


def shown(value: Any) -> str:
    """An evidence value as text: a string as itself ("" quoted), a {"math", "text"} object by its text, JSON values
    as Python prints them."""
    if isinstance(value, str):
        return value if value else json.dumps(value)
    if is_math(value):
        return value["text"]
    return f"{value}"


def as_text(value: Any) -> Any:
    """The value with every {"math", "text"} object in it replaced by its text, for formats that do not typeset."""
    if is_math(value):
        return value["text"]
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


def checked(r: Result) -> list[tuple[str, Any]]:
    """What the result's check decided, as (label, {"math", "text"}) pairs: one with label "" for a single line of
    evidence, one per line ("proof", "check1", "line2", ...) otherwise. The engine writes it from the helpers that
    decided the verdict (proofs.interpret); a result without it (an error before anything was decided, a verdict the
    claim's code asserted) has none."""
    value = r.evidence.get("checked") if isinstance(r.evidence, Mapping) else None
    if is_math(value):
        return [("", value)]
    if isinstance(value, Mapping):
        return [(str(label), v) for label, v in value.items() if is_math(v)]
    return []


def checked_lines(r: Result, width: int = 0) -> list[str]:
    """`checked: ...` for each statement the check decided (clipped to width characters when width is given), or
    what stands in for it."""
    pairs = checked(r)
    if not pairs:
        if r.evidence.get("verdict_asserted") if isinstance(r.evidence, Mapping) else False:
            return ["checked: nothing: the verdict was asserted by the claim's code, not decided by a solver"]
        return []
    lines = []
    for label, value in pairs:
        line = f"checked{f' ({label})' if label else ''}: {value['text']}"
        lines.append(line if not width or len(line) <= width else line[:width - 1] + "…")
    return lines


def commentary(claim: Optional[Claim]) -> Optional[str]:
    """The claim author's own formal text, labelled as commentary (nothing ties it to the check), or None: a
    statement's formal text is printed from its term and the checked statement already shows what was decided."""
    if claim is None or claim.derived_formal or not isinstance(claim.formal, str) or not claim.formal.strip():
        return None
    return f"formal (the author's commentary, not what was checked): {claim.formal}"


def format_values(values: Any) -> str:
    """`a = 1, b = 1/2` with every value, nested mappings flattened with dotted names (anything else shown whole)."""
    if not isinstance(values, Mapping) or is_math(values):
        return shown(values)
    parts = []
    for key, value in values.items():
        if isinstance(value, Mapping) and not is_math(value):
            parts.append(format_values({f"{key}.{k}": v for k, v in value.items()}))
        else:
            parts.append(f"{key} = {shown(value)}")
    return ", ".join(parts)


def admit(result: Result) -> Result:
    """The result with every field made safe to render: bounded JSON evidence (proofs.jsonsafe), text without lone
    surrogates and of bounded length, finite seconds. Writers see only admitted results. Never raises."""
    try:
        r = result
        assumptions = r.assumptions if isinstance(r.assumptions, (list, tuple)) else (r.assumptions,)
        evidence = jsonable(r.evidence)
        cached = None if r.cached is None else jsonable(r.cached)
        seconds = r.seconds if isinstance(r.seconds, (int, float)) and math.isfinite(r.seconds) else 0.0
        return dataclasses.replace(
            r, id=text(r.id, 500), part=None if r.part is None else text(r.part, 100), statement=text(r.statement),
            method=text(r.method, 500), reason=text(r.reason), erratum=None if r.erratum is None else text(r.erratum),
            assumptions=tuple(text(a) for a in list(assumptions)[:MAX_ITEMS]),
            evidence=evidence if isinstance(evidence, dict) else {"evidence": evidence},
            cached=None if cached is None else cached if isinstance(cached, dict) else {"value": cached},
            seconds=float(seconds))
    except Exception:  # noqa: BLE001 - not a Result at all: the writer's guard turns it into an error entry
        return result


def unrenderable(result: Any, fmt: str, exc: BaseException) -> Result:
    """The error entry that stands in a report for a result this report could not render, saying why."""
    def field(name: str, limit: int = 500) -> str:
        value = getattr(result, name, None)
        return text(value, limit) if isinstance(value, str) else ""

    exercise = getattr(result, "exercise", 0)
    was = "/".join(text(getattr(getattr(result, name, None), "value", "?"), 40) for name in ("verdict", "status"))
    return Result(
        id=field("id") or "<result without an id>",
        exercise=exercise if isinstance(exercise, int) and not isinstance(exercise, bool) else 0,
        part=None,
        statement=field("statement", 2000),
        verdict=Verdict.ERROR,
        status=Status.FAIL,
        method="none",
        evidence={},
        assumptions=(),
        erratum=None,
        reason=f"the {fmt} report could not render this result ({was}): {type(exc).__name__}: {text(str(exc), 500)}",
    )


def summary_line(s: Mapping[str, Any], seconds: float) -> str:
    line = f"{s['total']} claims: {s['pass']} pass, {s['erratum']} erratum, {s['fail']} fail"
    if s["load_errors"]:
        line += f", {s['load_errors']} pack load error{'s' if s['load_errors'] > 1 else ''}"
    line = f"{line} in {seconds:.2f}s"
    if s.get("cached"):
        line += f" ({s['cached']} reused from the cache; --no-cache checks them again)"
    return line


def _check_kinds(r: Any) -> None:
    if not isinstance(r, Result) or not isinstance(r.verdict, Verdict) or not isinstance(r.status, Status):
        raise TypeError("not a Result with a Verdict and a Status")
    if isinstance(r.exercise, bool) or not isinstance(r.exercise, int):
        raise TypeError(f"exercise is {text(r.exercise, 40)}, not an int")


class Writer:
    """One report format. `add` takes each result in order and returns text to emit now ("" for formats that need
    every result first); `finish` returns the rest. The report is everything returned, concatenated.

    A format renders one result with `line` (streamed by `add`) and `entry` (collected by `finish`, then put
    together by `document`). Both run under one guard: a result a format cannot render becomes, in that report
    only, an error entry for its claim saying why (listed in `render_errors`), and the rest of the report is written.
    """

    format: ClassVar[str] = ""
    filename: ClassVar[str] = ""

    def __init__(self, context: ReportContext, **options: Any) -> None:
        self.context = context
        # every result added, admitted (see `admit`); one this report could not render is replaced by its error entry
        self.results: list[Result] = []
        # (claim id, why) for each result this report could not render
        self.render_errors: list[tuple[str, str]] = []

    def add(self, result: Result) -> str:
        self.results.append(admit(result))
        return self._guarded(self.line, len(self.results) - 1)

    def finish(self, seconds: float, interrupted: bool = False) -> str:
        entries = [self._guarded(self.entry, i) for i in range(len(self.results))]
        return self.document(entries, seconds, interrupted)

    def line(self, r: Result) -> str:
        """The text to emit as soon as the result arrives (formats that stream)."""
        return ""

    def entry(self, r: Result) -> Any:
        """This format's rendering of one result, for `document`."""
        return None

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        """The rest of the report, from the entries of every result (in the order of `self.results`)."""
        raise NotImplementedError

    def _guarded(self, render: Callable[[Result], Any], i: int) -> Any:
        try:
            _check_kinds(self.results[i])
            return render(self.results[i])
        except Exception as exc:  # noqa: BLE001 - one result that cannot be rendered must not cost the whole report
            error = unrenderable(self.results[i], self.format, exc)
            self.results[i] = error
            self.render_errors.append((error.id, error.reason))
            return render(error)

    def summary(self, seconds: float) -> dict[str, Any]:
        """Counts per status, the load errors, the results reused from the cache and the run's seconds."""
        counts = {s.value: 0 for s in Status}
        for r in self.results:
            counts[r.status.value] += 1
        return {"total": len(self.results), **counts, "load_errors": len(self.context.load_errors),
                "cached": sum(r.cached is not None for r in self.results), "seconds": round(seconds, 3)}

    def citations(self, r: Result) -> list[str]:
        """Where each snippet the claim cites was found in the material (file, line, cell), or why it was not, where
        the run had material (`check --material`)."""
        records = r.evidence.get("material")
        lines = []
        for record in records if isinstance(records, list) else ():
            if not isinstance(record, Mapping):
                continue
            place = f"{record.get('file')}"
            if record.get("found") and isinstance(record.get("line"), int):
                place += f":{record['line']}" + (f" (cell {record['cell']})" if isinstance(record.get("cell"), int) else "")
                lines.append(f"cites {place}: {record.get('snippet')}")
            else:
                lines.append(f"cites {place}: {record.get('snippet')} [{record.get('problem')}]")
        return lines

    def refutation(self, r: Result) -> list[str]:
        """The counterexample with every value and what each side evaluated to on replay, where the result has them."""
        lines = []
        if "counterexample" in r.evidence:
            values = r.evidence["counterexample"]
            lines.append(f"counterexample: {format_values(values)}" if values else
                         "counterexample: none needed (the statement has no variables; its exact value is false)")
        replay = r.evidence.get("replay")
        sides = replay.get("sides") if isinstance(replay, Mapping) else None
        if sides:
            lines.append(f"evaluated: {format_values(sides)}")
        return lines
