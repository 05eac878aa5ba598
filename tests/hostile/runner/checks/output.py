"""Hostile pack: checks that print, through every route a process has, while the report goes to standard output."""

import os
import subprocess
import sys

from proofs import Outcome, Verdict, claim

COMMON = dict(part=None, asserts="(output capture)", formal="(output capture)", requires=Verdict.PROVED)


@claim("ex96.prints", exercise=96, statement="A check that prints on every stream it has.", **COMMON)
def prints():
    print("{not json: print}")
    sys.stdout.write("sys.stdout line\n")
    sys.stderr.write("sys.stderr line\n")
    os.write(1, b"fd 1 line\n")
    os.write(2, b"fd 2 line\n")
    subprocess.run(["echo", "from a subprocess"], check=True)
    return Outcome(Verdict.PROVED, "exact arithmetic", {"printed": True})


@claim("ex96.floods", exercise=96, statement="A check that prints far more than a result keeps.", **COMMON)
def floods():
    os.write(1, b"\xff" + b"x" * 100_000)
    return Outcome(Verdict.PROVED, "exact arithmetic", {"printed": 100_001})


@claim("ex96.silent", exercise=96, statement="A check that prints nothing.", **COMMON)
def silent():
    return Outcome(Verdict.PROVED, "exact arithmetic", {"printed": False})


CLAIMS = (prints, floods, silent)
