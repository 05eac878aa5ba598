"""The terminal report: one line per claim, details where they matter, a closing summary line."""

from __future__ import annotations

import json
from typing import Any, Iterable

from proofs.cache import TRUSTS
from proofs.mathtree import is_math
from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers.base import Writer, as_text, checked_lines, commentary, format_values, shown, summary_line
from proofs.writers.escape import block, one_line

__all__ = ["TextWriter", "format_values"]

_COLOURS = {Status.PASS: "32", Status.ERRATUM: "33", Status.FAIL: "31"}
# detail lines are indented under their claim's line; a detail that spans lines continues behind this prefix, so
# no text from a claim or its evidence can print a line that passes for a claim's line or the summary
_INDENT = "    "
_CONTINUED = "    | "
# a passing claim's checked statement is clipped to this many characters (-v and failures show it whole)
_CLIPPED = 160


class TextWriter(Writer):
    format = "text"
    filename = "report.txt"

    def __init__(self, context, *, verbosity: int = 0, colour: bool = False, **options: Any) -> None:
        super().__init__(context)
        self.verbosity = verbosity
        self.colour = colour
        self.width = 48

    def _paint(self, text: str, status: Status) -> str:
        return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m" if self.colour else text

    def line(self, r: Result) -> str:
        if self.verbosity < 0 and r.status is Status.PASS:
            return ""
        status = self._paint(f"{r.status.value:<8}", r.status)
        lines = [f"{one_line(r.id):<{self.width}} {r.verdict.value:<11} {status} {r.seconds:6.2f}s" + (" cached" if r.cached else "")]
        lines += [_INDENT + block(line, _CONTINUED) for line in self.details(r)]
        return "\n".join(lines) + "\n"

    def details(self, r: Result) -> Iterable[str]:
        if r.status is Status.PASS and r.verdict.value != "refuted" and self.verbosity <= 0:
            yield from checked_lines(r, _CLIPPED)
            yield from _recorded(r)
            return
        if r.status is Status.FAIL or self.verbosity > 0:
            yield f"reason: {r.reason}"
        if r.erratum:
            yield f"erratum: {r.erratum}"
        yield from checked_lines(r)
        yield from _recorded(r)
        note = commentary(self.context.claim_of(r))
        if note and self.verbosity > 0:
            yield note
        ev = r.evidence
        yield from self.refutation(r)
        yield from self.citations(r)
        if self.verbosity > 0:
            if "witness" in ev:
                yield f"witness: {format_values(ev['witness'])}"
            for key, value in ev.items():
                if key not in ("counterexample", "witness", "replay", "material", "checked", "notes", "events"):
                    yield f"{key}: {shown(value) if isinstance(value, str) or is_math(value) else json.dumps(as_text(value), ensure_ascii=False)}"
            for a in r.assumptions:
                yield f"assumes: {a}"
            if r.cached:
                yield (f"cached: computed {r.cached.get('computed')} in {r.cached.get('seconds')} s from inputs "
                       f"{str(r.cached.get('inputs'))[:16]}; reusing it trusts: " + "; ".join(TRUSTS))
        yield f"rerun: {self.context.rerun_command(r)}"

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        s = self.summary(seconds)
        head = "interrupted: " if interrupted else ""
        errors = "".join(self._paint("load error", Status.FAIL) + f": {block(str(e), _CONTINUED)}\n" for e in self.context.load_errors)
        line = head + summary_line(s, seconds)
        worst = Status.FAIL if s["fail"] or s["load_errors"] or interrupted else (Status.ERRATUM if s["erratum"] else Status.PASS)
        return errors + self._paint(line, worst) + "\n"


def _recorded(r: Result) -> Iterable[str]:
    """What the check recorded with note() and event() (proofs.model), as Hypothesis prints its notes and events."""
    notes, events = r.evidence.get("notes"), r.evidence.get("events")
    if isinstance(notes, list):
        yield from (f"note: {one_line(str(n))}" for n in notes)
    if isinstance(events, dict):
        yield from (f"event: {one_line(str(k))} ({v}x)" for k, v in events.items())
