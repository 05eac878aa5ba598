"""Seeded random sampling: not refuted by N samples is all it can say."""

from __future__ import annotations

import dataclasses
import random
from typing import Any, Callable, Optional

__all__ = ["SampleAnswer", "sample"]


@dataclasses.dataclass(frozen=True)
class SampleAnswer:
    """Neutral answer: did the predicate hold on N seeded samples?"""

    # Samples drawn (up to and including a counterexample).
    n: int
    # Seed of the generator, so the run can be repeated.
    seed: int
    # The first sample where the predicate failed, if any.
    counterexample: Optional[Any] = None

    @property
    def holds(self) -> bool:
        return self.counterexample is None


def sample(draw: Callable[[random.Random], Any], predicate: Callable[[Any], bool], *, n: int, seed: int) -> SampleAnswer:
    """Draw n samples from a generator seeded with `seed`; stop at the first failure."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        x = draw(rng)
        if not predicate(x):
            return SampleAnswer(i, seed, x)
    return SampleAnswer(n, seed)
