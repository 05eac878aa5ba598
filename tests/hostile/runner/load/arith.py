"""A well-behaved module beside the hostile ones: it must load, and its claims pass."""

from proofs import IntRange, Real, forall


@forall("ex90.a.square_expansion", "(x + 1)^2 = x^2 + 2x + 1 for every real x.", perturb={"one": {"k": 1}})
def square_expansion(x: Real, k=2):
    return (x + 1) ** 2 == x * x + k * x + 1


@forall("ex90.b.small_squares", "n^2 <= 81 for n = 0, ..., 9.", perturb={"eighty": {"bound": 80}})
def small_squares(n: IntRange(0, 9), bound=81):
    return n * n <= bound


CLAIMS = (square_expansion, small_squares)
