"""Refuted or needs-review steps that a loaded pack already records as errata: reported as that erratum, not as a new
failure."""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from proofs.anchors import normalise
from proofs.scan.steps import ACKNOWLEDGEABLE, Step

__all__ = ["known", "apply"]

# A step shorter than this (normalised) is matched only by a snippet it contains whole, never by being part of one.
_SHORTEST = 20


def known(claims: Sequence) -> list[tuple[str, str, str, str]]:
    """(file, snippet, claim id, reason) for every anchor of every claim with an erratum."""
    out = []
    for claim in claims:
        erratum = getattr(claim, "erratum", None)
        if erratum is None:
            continue
        reason = getattr(erratum, "reason", "") or str(erratum)
        for anchor in getattr(claim, "anchors", ()):
            out.append((anchor.file, normalise(anchor.snippet), claim.id, reason))
    return out


# A relation between sides as printed (normalised: no spaces), and what may follow a formula's last side.
_RELATION = r"(?:&?=|:=|<|>|\\(?:leqslant|geqslant|leq|geq|neq|approx|lt|gt|ne|le(?!ft)|ge))"
_BEFORE = re.compile(rf"(?:{_RELATION}|[,;]|\\\\|\\text\{{[^{{}}]*\}})$")
_AFTER = re.compile(rf"^(?:{_RELATION}|[,.;]|\\\\|\\text\b|\\tag\b|\\label\b|&)")


def _cites(step: Step, file: str, snippet: str) -> bool:
    """Whether the snippet an erratum's claim cites is this step: the step as printed, the step's relation and right
    side (its left side carried from the display before), or the step as whole sides of a longer chain the snippet
    prints. A snippet inside a step that says more (it was changed: `A = B` cited, `A = B + C` printed), or a step
    that is the start of a side the snippet prints (`B = C` of `A = B = C + D`), is not the erratum."""
    if file != step.file or not snippet:
        return False
    text, snippet = normalise(step.text), normalise(snippet)
    if snippet == text or snippet == text[len(normalise(step.left)):]:
        return True
    if len(text) < _SHORTEST:
        return False
    for m in re.finditer(re.escape(text), snippet):
        before, after = snippet[:m.start()], snippet[m.end():]
        if (not before or _BEFORE.search(before)) and (not after or _AFTER.match(after)):
            return True
    return False


def apply(steps: Sequence[Step], errata: Sequence[tuple[str, str, str, str]]) -> list[Step]:
    """The steps, each refuted or needs-review one that an erratum's claim cites marked with that erratum (it does not
    fail the gate)."""
    out = []
    for step in steps:
        if step.status in ACKNOWLEDGEABLE and not step.acknowledged and not step.error:
            match = next((e for e in errata if _cites(step, e[0], e[1])), None)
            if match is not None:
                step = dataclasses.replace(step, acknowledged=f"a known erratum, claim {match[2]}: {match[3]}",
                                           erratum=match[2])
        out.append(step)
    return out
