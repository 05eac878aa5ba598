"""Hostile pack: checks whose verdict depends on the pack's PRELOAD step having run before they were forked."""

import _warmstate

from proofs import Outcome, Verdict, claim

PRELOAD = ("_warmstate:warm",)
COMMON = dict(part=None, asserts="(warm-up)", formal="(warm-up)", requires=Verdict.PROVED)


def _verdict():
    if _warmstate.READY:
        return Outcome(Verdict.PROVED, "exact arithmetic", {"warmed": True})
    return Outcome(Verdict.UNKNOWN, "exact arithmetic", {"warmed": False}, reason="the warm-up did not run")


@claim("ex94.first", exercise=94, statement="The warm-up ran before this check.", **COMMON)
def first():
    return _verdict()


@claim("ex94.second", exercise=94, statement="The warm-up ran before this check too.", **COMMON)
def second():
    return _verdict()


CLAIMS = (first, second)
