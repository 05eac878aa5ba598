"""Refuted or needs-review steps that a loaded pack already records as errata: reported as that erratum, not as a new
failure."""

from __future__ import annotations

import dataclasses
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


def _cites(step: Step, file: str, snippet: str) -> bool:
    if file != step.file or not snippet:
        return False
    text, snippet = normalise(step.text), normalise(snippet)
    return snippet in text or (len(text) >= _SHORTEST and text in snippet)


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
