"""Statements whose terms are evaluated only where they have a value: each holds, and is proved."""

from proofs import Indexed, Nat, Positive, Real, forall, summation
from proofs.terms import diff, exp, implies, ite, log


@forall("def.ex1.a.guarded_ratio", "x / x = 1 wherever x is not 0.", perturb={"k": {"k": 2}})
def guarded_ratio(x: Real, k=1):
    return implies(x != 0, x / x == k)


@forall("def.ex1.b.branch_ratio", "ite(x > 0, x / x, 1) = 1 for every real x.", perturb={"k": {"k": 2}})
def branch_ratio(x: Real, k=1):
    return ite(x > 0, x / x, 1) == k


@forall("def.ex1.c.abs_slope_positive", "d|x|/dx |x| = x for every positive x.", perturb={"k": {"k": 3}})
def abs_slope_positive(x: Positive, k=1):
    return diff(abs(x), x) * abs(x) == k * x


@forall("def.ex1.d.log_square_positive", "log(x^2) = 2 log x for every positive x.", perturb={"k": {"k": 3}})
def log_square_positive(x: Positive, k=2):
    return log(x**2) == k * log(x)


@forall("def.ex1.e.mean_of_ones", "The mean of n + 1 ones is 1 for every natural n.", perturb={"k": {"k": 2}})
def mean_of_ones(n: Nat, k=1):
    return summation(lambda j: 1, 1, n + 1) / (n + 1) == k


@forall("def.ex2.a.softmax_shift", "Softmax over n + 1 logits is unchanged by a shift c.", perturb={"k": {"k": 2}})
def softmax_shift(n: Nat, i: Nat, z: Indexed(Real), c: Real, k=1):
    return exp(z[i + 1] + c) / summation(lambda j: exp(z[j] + k * c), 1, n + 1) == \
        exp(z[i + 1]) / summation(lambda j: exp(z[j]), 1, n + 1)


@forall("def.ex2.b.scaled_mean", "Scaling n + 1 positive values by 2 scales their sum by 2.", perturb={"k": {"k": 3}})
def scaled_mean(n: Nat, x: Indexed(Positive), k=2):
    return summation(lambda j: 2 * x[j], 1, n + 1) / summation(lambda j: x[j], 1, n + 1) == k


CLAIMS = (guarded_ratio, branch_ratio, abs_slope_positive, log_square_positive, mean_of_ones, softmax_shift, scaled_mean)
