"""Golden pack: claims known to hold, each with a perturbation the checker must refute."""

import z3

from proofs import Perturbation, Replay, Verdict, claim
from proofs.interpret import exhausted, validity
from proofs.solvers.enumerate import exhaust
from proofs.solvers.smt import prove


@claim(
    "ex90.a.square_expansion",
    exercise=90, part="a",
    statement="(x + c)^2 = x^2 + 2cx + c^2 for every real x.",
    asserts="(x + c)^2 = x^2 + 2cx + c^2",
    formal="for all real x: (x + c)^2 = x^2 + 2cx + c^2, c = 3",
    requires=Verdict.PROVED,
    params={"offset": 3, "middle": 6},
    perturbations=(Perturbation("middle_5", {"middle": 5}, "middle coefficient 5"),),
    replay=lambda witness, *, offset, middle: Replay(
        (witness["x"] + offset) ** 2 == witness["x"] ** 2 + middle * witness["x"] + offset ** 2,
        {"lhs": (witness["x"] + offset) ** 2, "rhs": witness["x"] ** 2 + middle * witness["x"] + offset ** 2}),
)
def square_expansion(offset, middle):
    x = z3.Real("x")
    return validity(prove((x + offset) ** 2 == x * x + middle * x + offset * offset, [x]))


@claim(
    "ex90.b.small_squares",
    exercise=90, part="b",
    statement="n^2 < 100 for every n in 0..9.",
    asserts="the squares of the digits are below 100",
    formal="for all n in {0..9}: n^2 < bound, bound = 100",
    requires=Verdict.EXHAUSTED,
    params={"bound": 100},
    perturbations=(Perturbation("bound_81", {"bound": 81}, "bound 81"),),
    replay=lambda witness, *, bound: Replay(witness["n"] ** 2 < bound, {"n^2": witness["n"] ** 2, "bound": bound}),
)
def small_squares(bound):
    return exhausted(exhaust(range(10), lambda n: n * n < bound, name="n in 0..9"), counterexample=lambda n: {"n": n})


CLAIMS = (square_expansion, small_squares)
