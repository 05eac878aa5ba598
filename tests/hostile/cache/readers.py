"""Claims whose checks read what the run's key does not cover: each passes only while what it reads says 6."""

import os
import sys
from pathlib import Path

from proofs import Outcome, Verdict, claim

# The course folder holding this pack folder; data.txt and lib/ lie beside the pack, outside it.
COURSE = Path(__file__).resolve().parent.parent


def _verdict(middle, source):
    if middle == 6:
        return Outcome(Verdict.PROVED, "arithmetic", {"source": source})
    return Outcome(Verdict.ERROR, "arithmetic", {"source": source}, reason=f"{source} says {middle}, not 6")


def _claim(slug, statement):
    return claim(f"readers.ex1.a.{slug}", exercise=1, part="a", statement=statement, asserts="6", formal="middle = 6",
                 requires=Verdict.PROVED)


@_claim("environment", "The environment variable READS_MIDDLE is 6.")
def environment():
    return _verdict(int(os.environ.get("READS_MIDDLE", "0")), "READS_MIDDLE")


@_claim("data_file", "The data file beside the pack says 6.")
def data_file():
    return _verdict(int((COURSE / "data.txt").read_text()), "data.txt")


@_claim("late_module", "A module first imported inside the check says 6.")
def late_module():
    sys.path.insert(0, str(COURSE / "lib"))
    import readers_middle

    return _verdict(readers_middle.MIDDLE, "readers_middle")


@_claim("listing", "The folder beside the pack holds exactly one file.")
def listing():
    return _verdict(6 if len(os.listdir(COURSE / "box")) == 1 else 0, "box")


@_claim("existence", "No file named stop exists beside the pack.")
def existence():
    return _verdict(0 if os.path.exists(COURSE / "stop") else 6, "stop")


@_claim("program", "A program started by the check says 6.")
def program():
    import subprocess

    out = subprocess.run([sys.executable, "-c", "print(6)"], capture_output=True, text=True, check=True).stdout
    return _verdict(int(out), "a program")


CLAIMS = (environment, data_file, late_module, listing, existence, program)
