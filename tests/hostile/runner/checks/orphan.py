"""Hostile pack: a check that records its own pid and never returns, for a test that kills the checker outright."""

import os
import time

from proofs import Verdict, claim

PIDS = os.environ.get("PROOFS_TEST_PIDS", "")


@claim("ex93.outlives_its_parent", exercise=93, statement="A check that would run on after its parent died.",
       part=None, asserts="(parent death)", formal="(parent death)", requires=Verdict.PROVED)
def outlives_its_parent():
    if PIDS:  # whole or not at all: the test reads it while this check may be killed
        partial = f"{PIDS}.check.partial"
        with open(partial, "w") as fh:
            fh.write(str(os.getpid()))
        os.replace(partial, os.path.join(PIDS, "check"))
    while True:
        time.sleep(0.05)


CLAIMS = (outlives_its_parent,)
