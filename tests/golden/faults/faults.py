"""Golden pack: checks that misbehave; each must end as error or timeout for that claim alone."""

import os
import time

from fractions import Fraction

from proofs import Outcome, Replay, Verdict, claim

COMMON = dict(part=None, asserts="(fault injection)", formal="(fault injection)", requires=Verdict.PROVED)


@claim("ex99.raises", exercise=99, statement="A check that raises.", **COMMON)
def raises():
    raise RuntimeError("boom")


@claim("ex99.hangs", exercise=99, statement="A check that never returns.", **COMMON)
def hangs():
    while True:
        time.sleep(0.05)


@claim("ex99.hangs_in_c", exercise=99, statement="A check blocked inside C code, where no Python signal handler runs.", **COMMON)
def hangs_in_c():
    import ctypes

    ctypes.CDLL(None).sleep(3600)


@claim("ex99.exits", exercise=99, statement="A check that ends its interpreter.", **COMMON)
def exits():
    os._exit(7)


@claim("ex99.garbage", exercise=99, statement="A check that returns something other than an Outcome.", **COMMON)
def garbage():
    return "proved"


@claim("ex99.unknown", exercise=99, statement="A check whose solver gives up (a cubic Diophantine question, 1 ms).", **COMMON)
def unknown():
    import z3

    from proofs.interpret import validity
    from proofs.solvers.smt import prove

    x, y, z = z3.Ints("x y z")
    return validity(prove(x**3 + y**3 != z**3, [x, y, z], given=[x > 0, y > 0, z > 0], timeout_ms=1))


@claim("ex99.forged", exercise=99, statement="A check whose counterexample does not violate the claim.",
       replay=lambda witness: Replay(witness["x"] * 0 == 0, {"x*0": witness["x"] * 0}), **COMMON)
def forged():
    return Outcome(Verdict.REFUTED, "z3", {}, witness={"x": Fraction(1, 2)}, reason="forged")


@claim("ex99.memory", exercise=99, statement="A check that exhausts its memory limit.", **COMMON)
def memory():
    hog = []
    while True:
        hog.append(bytearray(256 * 2**20))


CLAIMS = (raises, hangs, hangs_in_c, exits, garbage, unknown, forged, memory)
