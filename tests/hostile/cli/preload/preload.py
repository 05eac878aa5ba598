"""Hostile pack: checks that hold only when the pack's PRELOAD ran in the checker before the check was forked."""

import z3

from _cli_preload_state import STATE
from proofs import Outcome, Perturbation, Replay, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove

PRELOAD = ("_cli_preload_state:warm",)


def _require_warm():
    if not STATE["warm"]:
        raise RuntimeError("the pack's PRELOAD did not run before this check")


@claim("ex82.a.warmed", exercise=82, part="a", statement="x + 0 = x for every real x.", asserts="x + 0 = x",
       formal="for all real x: x + offset = x, offset = 0", requires=Verdict.PROVED, params={"offset": 0},
       perturbations=(Perturbation("offset_1", {"offset": 1}, "offset 1"),),
       replay=lambda witness, *, offset: Replay(witness["x"] + offset == witness["x"], {"x + offset": witness["x"] + offset}))
def warmed(offset):
    _require_warm()
    x = z3.Real("x")
    return validity(prove(x + offset == x, [x]))


@claim("ex82.b.also_warmed", exercise=82, part="b", statement="The same state is seen by a second check.",
       asserts="(preload test)", formal="(preload test)", requires=Verdict.PROVED,
       perturbations=(Perturbation("unwarmed", {"expect": False}, "expects no warm-up"),), params={"expect": True},
       replay=lambda witness, *, expect: Replay(witness["warm"] == expect, {"warm": witness["warm"]}))
def also_warmed(expect):
    _require_warm()
    if STATE["warm"] == expect:
        return Outcome(Verdict.PROVED, "test")
    return Outcome(Verdict.REFUTED, "test", witness={"warm": STATE["warm"]})


CLAIMS = (warmed, also_warmed)
