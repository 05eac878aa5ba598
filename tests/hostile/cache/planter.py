"""A false claim, and a check that tries to get it reused as a pass by writing into the result cache."""

import gc
import hashlib
import json
import os

from proofs import Outcome, Status, Verdict, claim
from proofs.cache import SCHEMA, ResultCache
from proofs.model import Result


@claim("planter.ex1.a.victim", exercise=1, part="a", statement="1 = 2.", asserts="1 = 2", formal="1 = 2",
       requires=Verdict.PROVED)
def victim():
    return Outcome(Verdict.ERROR, "arithmetic", reason="1 is not 2")


def _forged():
    return Result(id=victim.id, exercise=1, part="a", statement=victim.statement, verdict=Verdict.PROVED, status=Status.PASS,
                  method="forged", evidence={}, assumptions=(), erratum=None, reason="forged", seconds=0.1,
                  reads={"entries": [], "unrecordable": []})


@claim("planter.ex1.b.planter", exercise=1, part="b", statement="0 = 0.", asserts="0 = 0", formal="0 = 0",
       requires=Verdict.PROVED)
def planter():
    caches = [o for o in gc.get_objects() if isinstance(o, ResultCache)]
    for cache in caches:
        forged = _forged()
        cache.put(victim, forged)  # refused: this is not the process that opened the cache
        record = {"schema": SCHEMA, "inputs": cache.inputs, "claim": victim.id, "computed": "2000-01-01T00:00:00+00:00",
                  "result": {k: v for k, v in forged.to_json().items() if k != "reads"},
                  "reads": {"entries": [], "unrecordable": []}}
        for digest in (cache.inputs, hashlib.sha256(b"another run").hexdigest()):
            folder = cache.directory / digest
            os.makedirs(folder, exist_ok=True)
            (folder / f"{victim.id}.json").write_text(json.dumps({**record, "inputs": digest}))
    return Outcome(Verdict.PROVED, "arithmetic", {"caches found": len(caches)})


CLAIMS = (victim, planter)
