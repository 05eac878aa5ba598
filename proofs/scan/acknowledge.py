"""Reviewed acknowledgements: a known slip of the material, or a false alarm of the scan, that does not fail the gate.

The file is TOML, [[acknowledge]] tables with file (the material file, relative to the material directory), step
(the step's text as printed, compared up to whitespace and LaTeX spacing) and reason (why it may stand). An
acknowledgement that matches no refuted step is stale and fails the gate, as a stale coverage exclusion does.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Sequence, Union

from proofs.anchors import normalise
from proofs.errors import UsageError
from proofs.files import Unreadable, read_regular
from proofs.scan.steps import Step

__all__ = ["Acknowledgement", "load", "apply"]

# The largest acknowledgements file read.
_MAX_BYTES = 2**20
_FIELDS = ("file", "step", "reason")


@dataclasses.dataclass(frozen=True)
class Acknowledgement:
    """Read by `load`: one reviewed refuted step."""

    file: str
    # The step's text, as the report prints it.
    step: str
    # Why it may stand: a known slip kept on purpose, or why the scan's reading is wrong.
    reason: str
    # Where it is written, for messages: "FILE: acknowledgement N".
    where: str = ""


def load(path: Union[str, Path]) -> tuple[Acknowledgement, ...]:
    """The acknowledgements of a TOML file; UsageError (one line naming the file, the entry and the fix) when it
    cannot be read or an entry is malformed."""
    path = Path(path)
    try:
        data = read_regular(path, _MAX_BYTES)
    except Unreadable as exc:
        if exc.kind == "too large":
            raise UsageError(f"--acknowledged {path}: larger than {_MAX_BYTES} bytes") from None
        reason = "not a regular file" if exc.kind == "not regular" else exc.detail
        raise UsageError(f"--acknowledged {path}: cannot be read ({reason})") from None
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"--acknowledged {path}: not valid UTF-8 TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise UsageError(f"--acknowledged {path}: nested too deeply to be read") from None
    extra = set(table) - {"acknowledge"}
    entries = table.get("acknowledge", [])
    if extra or not isinstance(entries, list):
        raise UsageError(f"--acknowledged {path}: only [[acknowledge]] tables are allowed, found {sorted(extra) or 'acknowledge'}")
    out = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: acknowledgement {n}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where} is not a table; write [[acknowledge]] with file, step and reason")
        unknown = set(entry) - set(_FIELDS)
        if unknown:
            raise UsageError(f"{where} has unknown keys {sorted(unknown)}; the keys are {', '.join(_FIELDS)}")
        for key in _FIELDS:
            if not isinstance(entry.get(key), str) or not normalise(entry[key]):
                raise UsageError(f"{where}: {key} must be a non-empty string")
        out.append(Acknowledgement(entry["file"], entry["step"], entry["reason"].strip(), where))
    return tuple(out)


def apply(steps: Sequence[Step], acknowledgements: Sequence[Acknowledgement]) -> tuple[list[Step], list[str]]:
    """The steps with every refuted one an acknowledgement names marked with its reason, and the problems: each
    acknowledgement that names no refuted step (stale: the material or the scan changed, review it again)."""
    used = set()
    out = []
    for step in steps:
        if step.status == "refuted":
            for k, a in enumerate(acknowledgements):
                if a.file == step.file and normalise(a.step) == normalise(step.text):
                    used.add(k)
                    step = dataclasses.replace(step, acknowledged=a.reason)
                    break
        out.append(step)
    problems = [f"{a.where}: stale: no refuted step of {a.file} reads {a.step!r}; remove it or update it to the step's text"
                for k, a in enumerate(acknowledgements) if k not in used]
    return out, problems
