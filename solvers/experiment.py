"""Paired statistics for seeded experiments: effect, bootstrap interval and a sign-flip randomisation test."""

from __future__ import annotations

import dataclasses
import random
import statistics
from typing import Sequence

__all__ = ["PairedTest", "paired_test"]


@dataclasses.dataclass(frozen=True)
class PairedTest:
    """Neutral answer about paired differences d_i = a_i - b_i, one per seed."""

    # number of pairs
    n: int
    # mean difference (the effect) and its standard deviation
    mean: float
    sd: float
    # two-sided 95% percentile-bootstrap interval of the mean
    ci_low: float
    ci_high: float
    # one-sided p-values of the sign-flip randomisation test: effect > 0, effect < 0
    p_greater: float
    p_less: float
    # resamples and flips drawn, and the seed that drew them
    resamples: int
    seed: int


def paired_test(diffs: Sequence[float], *, seed: int, resamples: int = 4000) -> PairedTest:
    """Test the mean of paired differences without distributional assumptions beyond symmetry under the null."""
    d = [float(x) for x in diffs]
    n = len(d)
    if n < 2:
        raise ValueError("a paired test needs at least two pairs")
    rng = random.Random(seed)
    mean = statistics.fmean(d)
    boots = sorted(statistics.fmean(rng.choices(d, k=n)) for _ in range(resamples))
    low, high = boots[int(0.025 * resamples)], boots[int(0.975 * resamples) - 1]
    greater = less = 0
    for _ in range(resamples):
        flipped = statistics.fmean(x if rng.random() < 0.5 else -x for x in d)
        greater += flipped >= mean
        less += flipped <= mean
    return PairedTest(n, mean, statistics.stdev(d), low, high, (1 + greater) / (1 + resamples),
                      (1 + less) / (1 + resamples), resamples, seed)
