"""The seed pack: claims of the week-7 exercise sheet (ConvNets, RNNs, gradient flow, multi-task learning)."""

from proofs import collect
from proofs.claims import ex1, ex2, ex3, ex4, ex5, ex6

# ex1 and ex2 list no CLAIMS: their claims are collected from their decorators, in the order of their lines
CLAIMS = (*collect(ex1), *collect(ex2), *ex3.CLAIMS, *ex4.CLAIMS, *ex5.CLAIMS, *ex6.CLAIMS)

# sympy and numpy import these on first use (delta sums, limits, simplification, set images, random
# generators), and z3 builds its main context on first use; the runner does each once before it forks
# the checks, instead of once in every check.
PRELOAD = (
    "numpy",
    "numpy.random",
    "sympy.sets.handlers.functions",
    "z3:main_ctx",
    "sympy.assumptions.wrapper",
    "sympy.combinatorics",
    "sympy.concrete.delta",
    "sympy.physics.units",
    "sympy.sets.setexpr",
    "sympy.tensor.tensor",
)
