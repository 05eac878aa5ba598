"""Golden pack: claims known to be false; the checker must refute each with a replayed counterexample."""

import z3

from proofs import Replay, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove


@claim(
    "ex91.a.square_is_linear",
    exercise=91, part="a",
    statement="x^2 >= x for every real x.",
    asserts="x^2 >= x",
    formal="for all real x: x^2 >= x",
    requires=Verdict.PROVED,
    replay=lambda witness: Replay(witness["x"] ** 2 >= witness["x"], {"x^2": witness["x"] ** 2, "x": witness["x"]}),
)
def square_is_linear():
    x = z3.Real("x")
    return validity(prove(x * x >= x, [x]))


CLAIMS = (square_is_linear,)
