"""GitHub Actions workflow commands: an `::error file=…,line=…::` annotation on the material's line for each finding."""

from __future__ import annotations

import shlex
from typing import Any, Optional

from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers.base import Writer, checked_lines
from proofs.writers.escape import visible
from proofs.writers.places import Place, claim_places, reported_steps, step_kind, step_place

__all__ = ["GithubWriter", "command", "escape_data", "escape_property", "scan_annotations"]

# The longest message written; GitHub shows a few lines of an annotation and keeps the rest in the log.
_MESSAGE = 4000


def escape_data(text: str) -> str:
    """A command's message as the workflow-command syntax requires (actions/toolkit `escapeData`): % CR LF encoded;
    other control characters are shown as escapes such as \\x1b, so none reaches the log as itself."""
    text = str(text).replace("\r\n", "\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(text).replace("\t", " ")


def escape_property(text: str) -> str:
    """A command's property value (file, title): as a message, and also ':' and ',' encoded (`escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, *, file: Optional[str] = None, line: Optional[int] = None,
            title: Optional[str] = None) -> str:
    """One workflow command line: `::LEVEL file=F,line=N,title=T::MESSAGE` (level error, warning or notice)."""
    properties = []
    if file:
        properties.append(f"file={escape_property(file)}")
        if isinstance(line, int) and not isinstance(line, bool) and line > 0:
            properties.append(f"line={line}")
    if title:
        properties.append(f"title={escape_property(title)}")
    message = str(message)
    if len(message) > _MESSAGE:
        message = message[:_MESSAGE - 1] + "…"
    return f"::{level} {','.join(properties)}::{escape_data(message)}\n" if properties else f"::{level}::{escape_data(message)}\n"


def _at(place: Place, lines: list[str]) -> str:
    return "\n".join([*lines, *([place.note] if place.note else [])])


class GithubWriter(Writer):
    """One annotation per failing claim at each place it cites in the material (its source line when it cites
    none), a notice per acknowledged erratum, an error per pack that could not be loaded."""

    format = "github"
    filename = "github.txt"

    def line(self, r: Result) -> str:
        if r.status is Status.PASS:
            return ""
        level = "error" if r.status is Status.FAIL else "notice"
        title = f"proofs {r.id}: {r.verdict.value}" if r.status is Status.FAIL else f"proofs {r.id}: erratum of the material"
        lines = [f"{r.id}: {r.reason}"]
        if r.erratum:
            lines.append(f"erratum: {r.erratum}")
        lines += [*checked_lines(r), *self.refutation(r), f"rerun: {self.context.rerun_command(r)}"]
        places = claim_places(r, self.context.claim_of(r), self.context.material)
        if not places:
            return command(level, "\n".join(lines), title=title)
        return "".join(command(level, _at(p, lines), file=p.file, line=p.line, title=title) for p in places)

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        tail = [command("error", f"pack load error: {e}", title="proofs: a claim pack could not be loaded")
                for e in self.context.load_errors]
        if interrupted:
            tail.append(command("error", "the run was interrupted: claims not checked are not reported", title="proofs"))
        return "".join(tail)


def scan_rerun(material: Any, acknowledged: Any = ()) -> str:
    """The command that scans the material again as this run did."""
    return " ".join(["python -m proofs scan", f"--material {shlex.quote(str(material))}",
                     *(f"--acknowledged {shlex.quote(str(p))}" for p in acknowledged)])


def step_message(step: Any, rerun: str) -> list[str]:
    """What a reported step says: the step, why (the counterexample in it), the values each side took, the rerun."""
    lines = [f"{step_kind(step)}: {step.text}", f"{step.reason}"]
    example = step.counterexample if isinstance(step.counterexample, dict) else None
    if example:
        values = example.get("values")
        if isinstance(values, dict):
            lines.append("counterexample: " + (", ".join(f"{k} = {v}" for k, v in values.items()) or "none needed"))
        if "left" in example or "right" in example:
            lines.append(f"evaluated: left = {example.get('left')}, right = {example.get('right')}")
    if step.acknowledged:
        lines.append(f"acknowledged: {step.acknowledged}")
    lines.append(f"rerun: {rerun}")
    return lines


def scan_annotations(report: Any, acknowledged: Any = ()) -> str:
    """The scan's workflow commands: an error per step that fails the gate, a notice per acknowledged one, an error
    per problem (an unreadable file, a stale acknowledgement, the time limit)."""
    rerun = scan_rerun(report.material, acknowledged)
    out = []
    for step, fails in reported_steps(report):
        place = step_place(step, report.material)
        title = f"proofs scan: {step_kind(step)} step" if fails else "proofs scan: acknowledged step"
        out.append(command("error" if fails else "notice", _at(place, step_message(step, rerun)), file=place.file,
                           line=place.line, title=title))
    out += [command("error", problem, title="proofs scan") for problem in report.problems]
    return "".join(out)
