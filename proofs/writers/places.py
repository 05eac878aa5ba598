"""Where a finding goes in a repository: the material's file and line a claim cites or a step is on, as CI tools name it."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Mapping, Optional

from proofs.model import Result

__all__ = ["Place", "claim_places", "step_place", "step_kind", "reported_steps", "repository_path"]


@dataclasses.dataclass(frozen=True)
class Place:
    """Built by `claim_places` and `step_place`: one place a finding is annotated at."""

    # The file, as a path relative to the working directory (the repository's root in CI) where it is inside it.
    file: str
    # 1-based line in the file, or None when the place is the whole file (a notebook's cell is not a line of its JSON).
    line: Optional[int] = None
    # What stands at the place, in words ("cites: ..."), or "".
    note: str = ""


def repository_path(path: str | os.PathLike) -> str:
    """The path as a CI tool names a file of the repository: relative to the working directory (GitHub runs a
    workflow's steps in the checkout) when it is inside it, absolute otherwise; "/" separates its parts."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path(os.path.abspath(os.getcwd())))
    except ValueError:
        return absolute.as_posix()
    return relative.as_posix() or "."


def _in_material(material: Optional[str], file: str) -> str:
    return repository_path(Path(material) / file if material is not None else file)


def claim_places(r: Result, claim: Any, material: Optional[str]) -> list[Place]:
    """Where a claim's result belongs: each cited snippet found in the material, at its file and line (a notebook's
    at its file, with the cell in the note); a snippet not found (or a run without --material), at its file; and the
    claim's own source line when it cites nothing."""
    records = r.evidence.get("material") if isinstance(r.evidence, Mapping) else None
    places = []
    for record in records if isinstance(records, list) else ():
        if not isinstance(record, Mapping) or not isinstance(record.get("file"), str):
            continue
        line = record.get("line") if record.get("found") and isinstance(record.get("line"), int) else None
        cell = record.get("cell") if isinstance(record.get("cell"), int) else None
        where = f" (cell {cell}, line {line})" if cell is not None else ""
        problem = "" if record.get("found") else f" [{record.get('problem')}]"
        places.append(Place(_in_material(material, record["file"]), None if cell is not None else line,
                            f"cites{where}: {record.get('snippet')}{problem}"))
    if not places and claim is not None:
        for anchor in getattr(claim, "anchors", ()):  # checked without --material: the file is all that is known
            places.append(Place(_in_material(material, anchor.file), None, f"cites: {anchor.snippet}"))
    if not places and claim is not None and getattr(claim, "file", ""):
        line = claim.line if isinstance(claim.line, int) and claim.line > 0 else None
        places.append(Place(repository_path(claim.file), line, "the claim cites no material"))
    return places


def step_place(step: Any, material: str) -> Place:
    """Where a scanned step is: its file and line (a notebook step at its file, with the cell in the note)."""
    if step.cell is not None:
        return Place(_in_material(material, step.file), None, f"cell {step.cell}, line {step.line}")
    return Place(_in_material(material, step.file), step.line if isinstance(step.line, int) and step.line > 0 else None)


def step_kind(step: Any) -> str:
    """What a reported step is, as a rule names it: "error" for a check that crashed or ran out of time, otherwise
    its status ("refuted", "needs-review", ... as the scan names it, spaces as hyphens)."""
    if getattr(step, "error", False):
        return "error"
    return "-".join(str(step.status).split()) or "unnamed"


def reported_steps(report: Any) -> list[tuple[Any, bool]]:
    """(step, fails) for each step a CI annotation shows, in order: every step the report counts as failing the gate
    (`Report.failing`: refuted, crashed, and any failing status the scan adds) and every acknowledged one. A writer
    never decides for itself that a status passes."""
    failing = {id(s) for s in report.failing}
    return [(s, id(s) in failing) for s in report.steps if id(s) in failing or getattr(s, "acknowledged", "")]
