"""Hostile pack: checks that start and then wait to be interrupted, writing a marker file when they start."""

import os
import time
from pathlib import Path

from proofs import Outcome, Perturbation, Replay, Verdict, claim

COMMON = dict(asserts="(interrupt test)", formal="(interrupt test)", requires=Verdict.PROVED)


def _started(name):
    """Say that the check is running (in $PROOFS_TEST_MARKERS), then wait far longer than any test."""
    folder = os.environ.get("PROOFS_TEST_MARKERS")
    if folder:
        Path(folder, name).write_text("started")
    time.sleep(300)


@claim("ex80.a.waits", exercise=80, part="a", statement="A check that waits until it is interrupted.", **COMMON)
def waits():
    _started("waits")
    return Outcome(Verdict.PROVED, "test")


@claim("ex80.b.sum", exercise=80, part="b", statement="n + 0 = 0 for n = 0.", params={"n": 0},
       perturbations=(Perturbation("first", {"n": 1}), Perturbation("slow", {"n": -1}), Perturbation("last", {"n": 2})),
       replay=lambda witness, *, n: Replay(witness["n"] + 0 == 0, {"n + 0": witness["n"]}), **COMMON)
def sum_(n):
    if n < 0:
        _started("slow")
    if n == 0:
        return Outcome(Verdict.PROVED, "test")
    return Outcome(Verdict.REFUTED, "test", witness={"n": n})


CLAIMS = (waits, sum_)
