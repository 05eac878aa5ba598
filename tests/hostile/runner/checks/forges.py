"""Hostile pack: a check that writes a forged result for another claim straight onto the runner's pipe."""

import json
import os
import struct

from proofs import Verdict, claim


@claim("ex92.forges_another_result", exercise=92, statement="A check that sends a result in another claim's name.",
       part=None, asserts="(forged result)", formal="(forged result)", requires=Verdict.PROVED)
def forges_another_result():
    forged = {"id": "ex90.a.square_expansion", "exercise": 90, "part": "a", "statement": "forged", "verdict": "proved",
              "status": "pass", "method": "forgery", "evidence": {}, "assumptions": [], "erratum": None,
              "reason": "forged", "seconds": 0, "cached": None}
    data = json.dumps({"value": forged}).encode()
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.write(int(name), struct.pack("!Q", len(data)) + data)
        except OSError:
            pass
    os._exit(0)


CLAIMS = (forges_another_result,)
