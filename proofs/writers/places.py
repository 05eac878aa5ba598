"""Where a finding goes in a repository: the material's file and line a claim cites or a step is on, as CI tools name it."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Mapping, Optional

from proofs.anchors import MAX_MATERIAL_BYTES
from proofs.model import Result

__all__ = ["Place", "claim_places", "notebook_line", "step_place", "step_kind", "reported_steps", "repository_path"]


@dataclasses.dataclass(frozen=True)
class Place:
    """Built by `claim_places` and `step_place`: one place a finding is annotated at."""

    # The file, as a path relative to the working directory (the repository's root in CI) where it is inside it.
    file: str
    # 1-based line in the file (for a notebook, the line of its JSON that holds the cell's line), or None when the
    # place is the whole file.
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


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _source_lines(text: str) -> dict:
    """{(cell index, element index): line} for every string of every cell's "source" in a notebook's JSON, the line
    (1-based) of the file the string starts on; element index 0 for a source written as one string."""
    found: dict = {}
    stack: list = []  # per open container: [kind, key or index, path]
    line, at, key, path = 1, 0, None, ()
    for match in _TOKEN.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        token = match.group()
        if token in "{[":
            inner = path + ((key,) if stack and stack[-1][0] == "{" else (stack[-1][1],) if stack else ())
            stack.append([token, 0, path])
            path, key = inner, None
        elif token in "}]":
            if not stack:
                return found
            path = stack.pop()[2]
            key = None
        elif token == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            key = None
        elif token == ":":
            continue
        elif token.startswith('"') and stack:
            if stack[-1][0] == "{" and key is None:
                key = json.loads(token)
                continue
            where = path + ((key,) if stack[-1][0] == "{" else (stack[-1][1],))
            if len(where) == 3 and where[0] == "cells" and where[2] == "source":
                found[(where[1], 0)] = line
            elif len(where) == 4 and where[0] == "cells" and where[2] == "source":
                found[(where[1], where[3])] = line
    return found


@functools.lru_cache(maxsize=64)
def _notebook(path: str, mtime: float) -> tuple:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_MATERIAL_BYTES + 1)
        if len(data) > MAX_MATERIAL_BYTES:
            return {}, []
        text = data.decode("utf-8")
        cells = json.loads(text)["cells"]
        return _source_lines(text), [c.get("source") if isinstance(c, dict) else None for c in cells]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}, []


def notebook_line(path: str | os.PathLike, cell: int, line: int) -> Optional[int]:
    """The line of a notebook file that holds line `line` of cell `cell` (both 1-based, every cell counted), or None
    when the file cannot be read as the notebook it was (then a finding goes on the whole file)."""
    try:
        lines, sources = _notebook(os.fspath(path), os.stat(path).st_mtime)
    except OSError:
        return None
    if not 1 <= cell <= len(sources) or line < 1:
        return None
    source = sources[cell - 1]
    if isinstance(source, str):
        return lines.get((cell - 1, 0))
    if not isinstance(source, list):
        return None
    seen = 1  # the cell's line the element starts on
    for index, element in enumerate(source):
        if not isinstance(element, str):
            return None
        ends = seen + element.count("\n")
        if line <= ends and (line < ends or not element.endswith("\n")) or line == seen:
            return lines.get((cell - 1, index))
        seen = ends
    return None


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
        if cell is not None and line is not None:
            line = notebook_line(Path(material or ".") / record["file"], cell, line)
        places.append(Place(_in_material(material, record["file"]), line, f"cites{where}: {record.get('snippet')}{problem}"))
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
        return Place(_in_material(material, step.file), notebook_line(Path(material) / step.file, step.cell, step.line),
                     f"cell {step.cell}, line {step.line}")
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
