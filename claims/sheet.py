"""The material the seed pack checks, and how its claims cite it."""

from __future__ import annotations

from proofs import Anchor

__all__ = ["SHEET", "cites"]

# The week-7 exercise sheet, relative to the material directory given to `check --material`.
SHEET = "000_40bb9e3d6bfa7e9d.txt"


def cites(*snippets: str) -> tuple[Anchor, ...]:
    """Anchors to the sheet: the formulas and values a claim relies on, as the sheet prints them."""
    return tuple(Anchor(SHEET, s) for s in snippets)
