"""Numbers read from files (reports, shard reports, --durations, cache entries, reviewed TOML files), validated."""

from __future__ import annotations

import math
from typing import Any, Optional

__all__ = ["MAX_SECONDS", "MAX_COUNT", "seconds", "count"]

# Largest time, in seconds, read from a file (about 31 years): a larger one is refused, or clamped where a cost is
# only an estimate (--durations counts a claim at most a day).
MAX_SECONDS = 1e9
# Largest count read from a file (a reviewed exclusion's occurrences).
MAX_COUNT = 10**6


def seconds(value: Any) -> Optional[float]:
    """The value as a time in seconds, when it is a JSON number (not a boolean) that is finite and between 0 and
    MAX_SECONDS; None otherwise. An integer of any size is compared as it is, never converted first (a float
    conversion of a huge integer overflows), and 1e308 is refused before anything multiplies it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_SECONDS:
        return None
    return float(value)


def count(value: Any, least: int = 0) -> Optional[int]:
    """The value as a count, when it is an integer (not a boolean) between `least` and MAX_COUNT; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_COUNT:
        return None
    return value
