"""Reviewed acknowledgements: a known slip of the material, or a false alarm of the scan, that does not fail the gate
(a refuted step, or one that needs review).

The file is TOML, [[acknowledge]] tables with file (the material file, relative to the material directory), step
(the step's text as printed, compared up to whitespace and LaTeX spacing) and reason (why it may stand). An
acknowledgement that matches no refuted step is stale and fails the gate, as a stale coverage exclusion does.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Sequence, Union

from proofs.anchors import normalise
from proofs.errors import UsageError
from proofs.files import reviewed_entries
from proofs.scan.steps import ACKNOWLEDGEABLE, Step

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
    out = []
    for where, entry in reviewed_entries(path, f"--acknowledged {path}", "acknowledge", "acknowledgement", dict.fromkeys(_FIELDS, str), _FIELDS,
                                         _MAX_BYTES, UsageError):
        for key in _FIELDS:
            if not normalise(entry[key]):
                raise UsageError(f"{where}: {key} must be a non-empty string")
        out.append(Acknowledgement(entry["file"], entry["step"], entry["reason"].strip(), where))
    return tuple(out)


def apply(steps: Sequence[Step], acknowledgements: Sequence[Acknowledgement]) -> tuple[list[Step], list[str]]:
    """The steps with every refuted or needs-review one an acknowledgement names marked with its reason, and the
    problems: each acknowledgement that names no such step (stale: the material or the scan changed, review it again)."""
    used = set()
    out = []
    for step in steps:
        if step.status in ACKNOWLEDGEABLE:
            for k, a in enumerate(acknowledgements):
                if a.file == step.file and normalise(a.step) == normalise(step.text):
                    used.add(k)
                    step = dataclasses.replace(step, acknowledged=a.reason)
                    break
        out.append(step)
    problems = [f"{a.where}: stale: no refuted or needs-review step of {a.file} reads {a.step!r}; remove it or update it to the step's text"
                for k, a in enumerate(acknowledgements) if k not in used]
    return out, problems
