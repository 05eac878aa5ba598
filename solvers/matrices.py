"""Exact matrices over the rationals, as lists of rows: products, operator norms, inverses and orthogonal matrices."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Sequence

__all__ = ["transpose", "matmul", "matvec", "gram", "positive_definite", "norm_sq_at_least", "op_norm_sq", "float_norm",
           "vec_sq", "random_matrix", "inverse", "random_skew", "cayley", "trace_powers", "product"]

Rows = Sequence[Sequence]


def transpose(A: Rows) -> list:
    return [list(col) for col in zip(*A)]


def matmul(A: Rows, B: Rows) -> list:
    Bt = transpose(B)
    return [[sum(a * b for a, b in zip(row, col)) for col in Bt] for row in A]


def matvec(A: Rows, v: Sequence) -> list:
    return [sum(a * x for a, x in zip(row, v)) for row in A]


def product(ms: Sequence):
    """ms[0] * ms[1] * ... with the factors' own multiplication (sympy matrices, say)."""
    out = ms[0]
    for m in ms[1:]:
        out = out * m
    return out


def gram(M: Rows) -> list:
    """M^T M."""
    return matmul(transpose(M), M)


def positive_definite(S: Rows) -> bool:
    """Symmetric S is positive definite iff Gaussian elimination meets only positive pivots (exact)."""
    A = [[Fraction(v) for v in row] for row in S]
    n = len(A)
    for k in range(n):
        if A[k][k] <= 0:
            return False
        for r in range(k + 1, n):
            f = A[r][k] / A[k][k]
            A[r] = [a - f * b for a, b in zip(A[r], A[k])]
    return True


def norm_sq_at_least(M: Rows, bound) -> bool:
    """||M||^2 >= bound, exactly: lambda_max(M^T M) < bound iff bound I - M^T M is positive definite."""
    S = gram(M)
    return not positive_definite([[Fraction(bound) * (i == j) - S[i][j] for j in range(len(S))] for i in range(len(S))])


def op_norm_sq(A: Rows):
    """||A||^2 as an exact algebraic number (for reports): the largest real root of det(x I - A^T A)."""
    import sympy

    x = sympy.Symbol("x")
    return sympy.real_roots(sympy.Poly(sympy.Matrix(gram(A)).charpoly(x).as_expr(), x))[-1]


def float_norm(A: Rows) -> float:
    """||A|| in floating point, the largest singular value (for tests and plots only)."""
    import numpy

    return float(numpy.linalg.norm(numpy.array(A, dtype=float), 2))


def vec_sq(v: Sequence) -> Fraction:
    return sum((Fraction(x) * Fraction(x) for x in v), Fraction(0))


def random_matrix(rng: random.Random, n: int) -> list:
    return [[Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(n)] for _ in range(n)]


def inverse(A: Rows) -> list:
    """Exact inverse by Gauss-Jordan elimination over the rationals; ValueError when A is singular."""
    n = len(A)
    M = [[Fraction(v) for v in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(A)]
    for k in range(n):
        pivot = next((r for r in range(k, n) if M[r][k] != 0), None)
        if pivot is None:
            raise ValueError("the matrix is singular")
        M[k], M[pivot] = M[pivot], M[k]
        M[k] = [v / M[k][k] for v in M[k]]
        for r in range(n):
            if r != k and M[r][k] != 0:
                M[r] = [a - M[r][k] * b for a, b in zip(M[r], M[k])]
    return [row[n:] for row in M]


def random_skew(rng: random.Random, n: int) -> list:
    """A random skew-symmetric rational matrix: the generator of an orthogonal matrix by the Cayley transform."""
    S = [[Fraction(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            S[i][j] = Fraction(rng.randint(-9, 9), rng.randint(1, 4))
            S[j][i] = -S[i][j]
    return S


def cayley(S: Rows, scale=Fraction(1)) -> list:
    """An exactly orthogonal rational matrix, (I - S)(I + S)^-1 for skew-symmetric S, times `scale`; ValueError when S
    is not skew-symmetric."""
    n = len(S)
    S = [[Fraction(v) for v in row] for row in S]
    if any(S[i][j] != -S[j][i] for i in range(n) for j in range(n)):
        raise ValueError("the Cayley generator must be skew-symmetric")
    minus = [[Fraction(int(i == j)) - S[i][j] for j in range(n)] for i in range(n)]
    plus = [[Fraction(int(i == j)) + S[i][j] for j in range(n)] for i in range(n)]
    return [[Fraction(scale) * v for v in row] for row in matmul(minus, inverse(plus))]


def trace_powers(S: Rows, k: int) -> list:
    """tr(S), tr(S^2), ..., tr(S^k)."""
    out, P = [], S
    for _ in range(k):
        out.append(sum(P[i][i] for i in range(len(S))))
        P = matmul(P, S)
    return out
