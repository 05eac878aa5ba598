"""Exhaustive enumeration over a named finite domain."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable, Optional

__all__ = ["ExhaustAnswer", "exhaust"]


@dataclasses.dataclass(frozen=True)
class ExhaustAnswer:
    """Neutral answer: did the predicate hold on every element of the domain?"""

    # The domain's name, as a report shows it.
    domain: str
    # How many elements were checked (all of them when no counterexample was found).
    size: int
    # The first element where the predicate failed, if any.
    counterexample: Optional[Any] = None

    @property
    def holds(self) -> bool:
        return self.counterexample is None


def exhaust(domain: Iterable[Any], predicate: Callable[[Any], bool], *, name: str) -> ExhaustAnswer:
    """Check the predicate on every element, stopping at the first failure."""
    size = 0
    for element in domain:
        size += 1
        if not predicate(element):
            return ExhaustAnswer(name, size, element)
    return ExhaustAnswer(name, size)
