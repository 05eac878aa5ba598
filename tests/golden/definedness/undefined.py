"""Statements that read as identities but have a term with no value at some point of their domain: each is refuted there."""

from fractions import Fraction

from proofs import Indexed, IntRange, Nat, Real, forall, summation
from proofs.terms import diff, exp, ite, log, maximum


@forall("undef.ex1.a.log_square", "log(x^2) = 2 log x for every real x.", perturb={"k": {"k": 3}})
def log_square(x: Real, k=2):
    return log(x**2) == k * log(x)


@forall("undef.ex1.b.abs_slope", "d|x|/dx |x| = x for every real x.", perturb={"k": {"k": 3}})
def abs_slope(x: Real, k=1):
    return diff(abs(x), x) * abs(x) == k * x


@forall("undef.ex1.c.cancel", "e^x x / x = e^x for every real x.", perturb={"k": {"k": 3}})
def cancel(x: Real, k=1):
    return exp(x) * x / x == k * exp(x)


@forall("undef.ex1.d.self_ratio", "x / x = 1 for every real x.", perturb={"k": {"k": 2}})
def self_ratio(x: Real, k=1):
    return x / x == k


@forall("undef.ex1.e.max_slope", "d max(x, 0)/dx x = max(x, 0) for every real x.")
def max_slope(x: Real):
    return diff(maximum(x, 0), x) * x == maximum(x, 0)


@forall("undef.ex1.f.ite_slope", "the slope of ite(x >= 0, x, -x) times x is |x| for every real x.")
def ite_slope(x: Real):
    return diff(ite(x >= 0, x, -x), x) * x == ite(x >= 0, x, -x)


@forall("undef.ex1.g.square_root", "(x^(1/2))^2 = x for every real x.")
def square_root(x: Real):
    return (x ** Fraction(1, 2)) ** 2 == x


@forall("undef.ex1.h.reciprocal", "x^-1 x = 1 for every real x.")
def reciprocal(x: Real):
    return x ** -1 * x == 1


@forall("undef.ex2.a.mean_of_ones", "The mean of n ones is 1 for every natural n.", perturb={"k": {"k": 2}})
def mean_of_ones(n: Nat, k=1):
    return summation(lambda j: 1, 1, n) / n == k


@forall("undef.ex2.b.softmax_shift", "Softmax is unchanged by a shift c, for every n in N.", perturb={"k": {"k": 2}})
def softmax_shift(n: Nat, i: Nat, z: Indexed(Real), c: Real, k=1):
    return exp(z[i] + c) / summation(lambda j: exp(z[j] + k * c), 1, n) == exp(z[i]) / summation(lambda j: exp(z[j]), 1, n)


@forall("undef.ex2.c.finite_ratio", "x / x = 1 for x in -2..2.")
def finite_ratio(x: IntRange(-2, 2)):
    return x / x == 1


CLAIMS = (log_square, abs_slope, cancel, self_ratio, max_slope, ite_slope, square_root, reciprocal, mean_of_ones,
          softmax_shift, finite_ratio)
