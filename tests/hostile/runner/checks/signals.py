"""Hostile pack: checks whose process ends by a signal before it reports."""

import os
import signal

from proofs import Verdict, claim

COMMON = dict(part=None, asserts="(signal death)", formal="(signal death)", requires=Verdict.PROVED)


@claim("ex95.segfault", exercise=95, statement="A check that dies of SIGSEGV.", **COMMON)
def segfault():
    os.kill(os.getpid(), signal.SIGSEGV)


@claim("ex95.terminated", exercise=95, statement="A check that sends itself SIGTERM.", **COMMON)
def terminated():
    os.kill(os.getpid(), signal.SIGTERM)


@claim("ex95.exits_quietly", exercise=95, statement="A check that calls sys.exit(0).", **COMMON)
def exits_quietly():
    import sys

    sys.exit(0)


CLAIMS = (segfault, terminated, exits_quietly)
