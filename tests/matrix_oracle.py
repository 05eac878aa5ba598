"""Generated matrix course material whose every step's truth is known before the scan reads it.

Each part declares shapes (`W \\in \\mathbb{R}^{m \\times n}`, bold letters, "orthogonal", "invertible"), perhaps
forward equations and a convention, and states steps in one of several notations (`^T`, `^\\top`, `^{\\mathsf T}`,
`\\mathbf`, `\\boldsymbol`, `\\lVert\\cdot\\rVert_2`, `\\|\\cdot\\|_F`, `\\operatorname{tr}`, `\\mathrm{Tr}`, ...).
A step is built true by a matrix identity, a norm inequality or the chain rule, or made false by one planted slip
(a missing transpose, a product in the wrong order, a sign, a missing factor, a non-cyclic trace, an additive norm,
a wrong shape, a transposed gradient). Its truth is then decided by the plain evaluator below, which shares no code
with the scan: matrices are lists of lists of `Fraction`, a norm is an interval of rationals around its exact value
(the largest eigenvalue of MᵀM bracketed by an exact positive-definiteness test), and a gradient is computed entry by
entry with dual numbers through the forward equations, with φ a polynomial or the scan's own table of φ and φ'
values. A printed gradient is true when it equals the true one under some layout the material allows.

`generate` draws from a `Source` (tests/scan_oracle.py): a seeded random.Random for the soak
(benchmarks/soundness_matrix.py) or Hypothesis's data for the test suite (tests/test_oracle_matrix.py).
"""

from __future__ import annotations

import dataclasses
import random
import re
from fractions import Fraction
from typing import Any, Optional

import numpy

from scan_oracle import RandomSource, Source

__all__ = ["Source", "RandomSource", "Expected", "Material", "generate", "judge", "Tally", "confirms", "ShapeError",
           "DEGREE_PARTS"]


class ShapeError(ArithmeticError):
    """Shapes that do not fit, found by the plain evaluator."""


class _Missing(LookupError):
    """A value the evaluation needs and the instance does not give."""


# -- numbers: Fraction, dual numbers over Fraction (for gradients), rational intervals (for norms)


class Dual:
    """a + b ε with ε² = 0, exact."""

    __slots__ = ("a", "b")

    def __init__(self, a, b=Fraction(0)) -> None:
        # (an Interval part carries an exp through a softmax)
        self.a = a if isinstance(a, Interval) else Fraction(a)
        self.b = b if isinstance(b, Interval) else Fraction(b)

    @staticmethod
    def of(x) -> "Dual":
        return x if isinstance(x, Dual) else Dual(x)

    def __truediv__(self, o):
        o = Dual.of(o)
        inverse = Interval.of(1) / o.a
        return Dual(self.a * inverse, (self.b * o.a - self.a * o.b) * inverse * inverse)

    def __add__(self, o):
        o = Dual.of(o)
        return Dual(self.a + o.a, self.b + o.b)

    __radd__ = __add__

    def __sub__(self, o):
        o = Dual.of(o)
        return Dual(self.a - o.a, self.b - o.b)

    def __rsub__(self, o):
        return Dual.of(o) - self

    def __mul__(self, o):
        o = Dual.of(o)
        return Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    __rmul__ = __mul__

    def __neg__(self):
        return Dual(-self.a, -self.b)


class Interval:
    """A closed interval [lo, hi] of rationals holding a real number exactly."""

    def __init__(self, lo, hi=None) -> None:
        self.lo, self.hi = Fraction(lo), Fraction(lo if hi is None else hi)

    @staticmethod
    def of(x) -> "Interval":
        return x if isinstance(x, Interval) else Interval(x)

    def __add__(self, o):
        o = Interval.of(o)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self):
        return Interval(-self.hi, -self.lo)

    def __sub__(self, o):
        return self + (-Interval.of(o))

    def __rsub__(self, o):
        return Interval.of(o) - self

    def __mul__(self, o):
        if isinstance(o, Dual):
            return NotImplemented
        o = Interval.of(o)
        ends = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Interval.of(o)
        if o.lo <= 0 <= o.hi:
            raise ArithmeticError("a division by an interval holding 0")
        return self * Interval(min(1 / o.lo, 1 / o.hi), max(1 / o.lo, 1 / o.hi))


def _exp(x: Fraction) -> Interval:
    """e^x for a rational x by its Taylor series with the remainder bounded (no library): e^x = (e^(x/2^k))^(2^k)
    with |x/2^k| <= 1/2, where the terms after the 30th add less than 2·|t|^31/31!."""
    k = 0
    while abs(x) / 2 ** k > Fraction(1, 2):
        k += 1
    t = x / 2 ** k
    total, term = Fraction(0), Fraction(1)
    for i in range(31):
        total += term
        term = term * t / (i + 1)
    rest = 2 * abs(term)
    out = Interval(total - rest, total + rest)
    for _ in range(k):
        out = out * out
    return out


def _exp_of(x):
    """exp of a number or of a dual number whose value is rational (z = W x at rational W and x)."""
    if isinstance(x, Dual):
        e = _exp(Fraction(x.a))
        return Dual(e, e * x.b)
    return _exp(Fraction(x))


def _sqrt(x: Fraction) -> Interval:
    """An interval of width max(1, x)·2^-48 around √x, x ≥ 0, by bisection on rationals."""
    if x < 0:
        raise ArithmeticError("the root of a negative number")
    guess = Fraction(float(x) ** 0.5)
    lo, hi = guess * (1 - Fraction(1, 10 ** 12)), guess * (1 + Fraction(1, 10 ** 12)) + Fraction(1, 10 ** 15)
    if lo * lo <= x <= hi * hi:
        return Interval(lo, hi)
    lo, hi = Fraction(0), max(Fraction(1), x)
    for _ in range(48):
        mid = (lo + hi) / 2
        if mid * mid <= x:
            lo = mid
        else:
            hi = mid
    return Interval(lo, hi)


def _definite(m: list) -> bool:
    """Whether a symmetric matrix is positive definite: every leading principal minor is positive (Sylvester)."""
    return all(_det([row[:k] for row in m[:k]]) > 0 for k in range(1, len(m) + 1))


def _largest_eigenvalue(s: list) -> Interval:
    """[lo, hi] around λ_max of a symmetric positive semi-definite matrix, of width tr(S)·2^-40: λ > λ_max exactly
    when λI − S is positive definite."""
    n = len(s)

    def above(x: Fraction) -> bool:
        return _definite([[(x if i == j else 0) - s[i][j] for j in range(n)] for i in range(n)])

    # a floating guess, kept only when the exact test confirms the interval around it
    guess = float(numpy.linalg.eigvalsh(numpy.array([[float(x) for x in row] for row in s]))[-1])
    lo = Fraction(guess) * (1 - Fraction(1, 10 ** 9)) - Fraction(1, 10 ** 12)
    hi = Fraction(guess) * (1 + Fraction(1, 10 ** 9)) + Fraction(1, 10 ** 12)
    if lo >= 0 and above(hi) and not above(lo):
        return Interval(lo, hi)
    lo, hi = Fraction(0), sum((s[i][i] for i in range(n)), Fraction(0)) + 1
    for _ in range(40):
        mid = (lo + hi) / 2
        if _definite([[(mid if i == j else 0) - s[i][j] for j in range(n)] for i in range(n)]):
            hi = mid
        else:
            lo = mid
    return Interval(lo, hi)


def _det(m: list) -> Fraction:
    m = [[Fraction(x) for x in row] for row in m]
    n, sign, out = len(m), 1, Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            m[c], m[p], sign = m[p], m[c], -sign
        out *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return sign * out


def _inverse(m: list) -> list:
    n = len(m)
    a = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(m)]
    for c in range(n):
        p = next((r for r in range(c, n) if a[r][c] != 0), None)
        if p is None:
            raise ArithmeticError("a singular matrix")
        a[c], a[p] = a[p], a[c]
        a[c] = [x / a[c][c] for x in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return [row[n:] for row in a]


# -- matrix values: a list of rows; a scalar is a bare number


def _is_matrix(v) -> bool:
    return isinstance(v, list)


def _shape(v) -> tuple:
    return (len(v), len(v[0])) if _is_matrix(v) else ()


def _t(m: list) -> list:
    return [list(c) for c in zip(*m)]


def _mm(a: list, b: list) -> list:
    if len(a[0]) != len(b):
        raise ShapeError(f"a product of {_shape(a)} and {_shape(b)}")
    return [[sum((x * y for x, y in zip(r, c)), Fraction(0)) for c in zip(*b)] for r in a]


def _map2(f, a, b):
    if _is_matrix(a) != _is_matrix(b) or (_is_matrix(a) and _shape(a) != _shape(b)):
        raise ShapeError(f"a sum of shapes {_shape(a)} and {_shape(b)}")
    if not _is_matrix(a):
        return f(a, b)
    return [[f(x, y) for x, y in zip(r, s)] for r, s in zip(a, b)]


def _scale(k, m):
    return [[k * x for x in row] for row in m] if _is_matrix(m) else k * m


def _plain(x):
    """The rational value of an entry (a dual number's real part)."""
    return x.a if isinstance(x, Dual) else x


# -- expressions: tuples
# ("v", name) a declared or defined name; ("n", Fraction) a number; ("T", e); ("mul", a, b); ("add", a, b);
# ("sub", a, b); ("neg", e); ("inv", e); ("tr", e); ("had", a, b); ("diag", e) a vector made a diagonal matrix;
# ("norm", e, "2"|"F"|"") with "" the bare norm (a vector's 2-norm; a matrix's as the material says);
# ("sq", e) a scalar squared; ("phi", e) and ("dphi", e) entrywise; ("grad", target, variable)


@dataclasses.dataclass
class Context:
    """What a part of the material says: shapes, conditions, forward equations, the layouts a gradient may take."""

    # name -> (rows, columns) with size letters or ints; a vector is (n, 1)
    shapes: dict
    # name -> set of "orthogonal", "invertible", "symmetric"
    conditions: dict = dataclasses.field(default_factory=dict)
    # name -> expression (z = W_1 x, L = 1/2 ||W x - y||^2), in order
    equations: dict = dataclasses.field(default_factory=dict)
    # "column" (a gradient has the shape of its variable), "row" (numerator layout)
    layouts: tuple = ("column", "row")
    # what ||M|| of a matrix means: "2" or "F"
    matrix_norm: str = "2"
    # name -> the sum of its entries the material states (a label: sum_i y_i = 1)
    totals: dict = dataclasses.field(default_factory=dict)
    # whether an instance is also tried scaled by each of _SCALES (the degree part: its slips fail only at entries of
    # magnitude below 1, or only at large ones)
    scaled: bool = False


class Env:
    """An instance: values of the declared names, φ and φ' (a polynomial or a table), the forward equations."""

    def __init__(self, ctx: Context, values: dict, phi=None, dphi=None, sizes=None) -> None:
        self.ctx, self.values, self.phi, self.dphi = ctx, dict(values), phi, dphi
        # size letter -> int, for the identity I of a size
        self.sizes = dict(sizes or {})
        self.memo: dict = {}

    def name(self, n: str):
        if n in self.values:
            return self.values[n]
        if n in self.ctx.equations:
            if n not in self.memo:
                self.memo[n] = ev(self.ctx.equations[n], self)
            return self.memo[n]
        raise _Missing(n)


def ev(e, env: Env):
    """The plain value of an expression in an instance; ShapeError where the shapes do not fit."""
    k = e[0]
    if k == "v":
        return env.name(e[1])
    if k == "n":
        return e[1]
    if k == "per":  # k / N for a size N: a number (N from the instance's sizes, or from a value of that shape)
        size = env.sizes.get(e[2]) or next((len(v) if shape[0] == e[2] else len(v[0])
                                            for name, shape in env.ctx.shapes.items() if e[2] in shape
                                            for v in [env.values.get(name)] if _is_matrix(v)), None)
        if not isinstance(size, int):
            raise _Missing(f"the size {e[2]}")
        return e[1] / size
    if k == "eye":
        size = env.sizes.get(e[1], e[1])
        if not isinstance(size, int):
            raise _Missing(f"the size {e[1]}")
        return [[Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    if k == "ones":  # the vector of ones of a size
        size = env.sizes.get(e[1], e[1])
        if not isinstance(size, int):
            raise _Missing(f"the size {e[1]}")
        return [[Fraction(1)] for _ in range(size)]
    if k == "T":
        v = ev(e[1], env)
        return _t(v) if _is_matrix(v) else v
    if k == "mul":
        a, b = ev(e[1], env), ev(e[2], env)
        if not _is_matrix(a):
            return _scale(a, b)
        if not _is_matrix(b):
            return _scale(b, a)
        return _mm(a, b)
    if k in ("add", "sub"):
        a, b = ev(e[1], env), ev(e[2], env)
        return _map2((lambda x, y: x + y) if k == "add" else (lambda x, y: x - y), a, b)
    if k == "neg":
        return _scale(Fraction(-1), ev(e[1], env))
    if k == "had":
        a, b = ev(e[1], env), ev(e[2], env)
        if not (_is_matrix(a) and _is_matrix(b)):
            raise ShapeError("a Hadamard product with a scalar")
        return _map2(lambda x, y: x * y, a, b)
    if k == "inv":
        v = ev(e[1], env)
        if not _is_matrix(v) or len(v) != len(v[0]):
            raise ShapeError("the inverse of a matrix that is not square")
        return _inverse(v)
    if k == "tr":
        v = ev(e[1], env)
        if not _is_matrix(v) or len(v) != len(v[0]):
            raise ShapeError("the trace of a matrix that is not square")
        return sum((v[i][i] for i in range(len(v))), Fraction(0))
    if k == "diag":
        v = ev(e[1], env)
        if not _is_matrix(v) or len(v[0]) != 1:
            raise ShapeError("diag of something other than a column")
        return [[v[i][0] if i == j else Fraction(0) for j in range(len(v))] for i in range(len(v))]
    if k == "norm":
        return _norm(ev(e[1], env), e[2] or env.ctx.matrix_norm)
    if k == "sq":
        inner = e[1]
        if inner[0] == "norm":  # a squared Frobenius or vector norm is exact
            v = ev(inner[1], env)
            if _is_matrix(v) and ((inner[2] or env.ctx.matrix_norm) == "F" or len(v[0]) == 1):
                return sum((_plain(x) * _plain(x) if not isinstance(x, Dual) else x * x for row in v for x in row),
                           Fraction(0))
        v = ev(inner, env)
        if _is_matrix(v):
            raise ShapeError("the square of a matrix")
        return v * v
    if k == "onem":  # 1 - v, entry by entry
        v = ev(e[1], env)
        return [[1 - x for x in row] for row in v] if _is_matrix(v) else 1 - v
    if k in ("phi", "dphi"):
        v = ev(e[1], env)
        f = env.phi if k == "phi" else env.dphi
        return [[f(x) for x in row] for row in v] if _is_matrix(v) else f(v)
    if k == "softmax":
        v = ev(e[1], env)
        if not _is_matrix(v) or len(v[0]) != 1:
            raise ShapeError("a softmax of something other than a column")
        exps = [_exp_of(row[0]) for row in v]
        total = sum(exps[1:], exps[0])
        return [[x / total] for x in exps]
    if k == "xent":
        # -sum_i y_i log yhat_i with yhat = softmax(z): -sum_i y_i z_i + (sum_i y_i) log sum_j e^(z_j); only the
        # derivative part of the log term is exact (the gradients use it), its value is a float's bounds
        y, z = ev(e[1], env), ev(e[2], env)
        exps = [_exp_of(row[0]) for row in z]
        total = Dual.of(sum(exps[1:], exps[0]))
        log = Dual(_loose_log(total.a), Interval.of(total.b) / total.a)
        return sum((Fraction(-1) * yi[0] * zi[0] for yi, zi in zip(y, z)), Fraction(0)) + \
            sum((yi[0] for yi in y), Fraction(0)) * log
    raise ValueError(k)


def _loose_log(x) -> Interval:
    import math
    mid = math.log(float(Interval.of(x).lo))
    return Interval(Fraction(mid) - 1, Fraction(mid) + 1)


def _norm(v, which: str) -> Interval:
    if not _is_matrix(v):
        raise ShapeError("the norm of a scalar")
    v = [[_plain(x) for x in row] for row in v]
    squares = sum((x * x for row in v for x in row), Fraction(0))
    if which == "F" or len(v[0]) == 1:
        return _sqrt(squares)
    s = _mm(_t(v), v)
    eig = _largest_eigenvalue(s)
    return Interval(_sqrt(eig.lo).lo, _sqrt(eig.hi).hi)


def gradient(ctx: Context, target: str, variable: str, env: Env) -> list:
    """∂target/∂variable in the shape of the variable, entry by entry with dual numbers through the equations."""
    base = env.name(variable)
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            seeded = [[Dual(x, int((r, c) == (i, j))) for c, x in enumerate(rw)] for r, rw in enumerate(base)]
            values = {n: v for n, v in env.values.items() if n != variable}
            values[variable] = seeded
            dual_env = Env(ctx, values, env.phi, env.dphi, env.sizes)
            value = dual_env.name(target)
            if _is_matrix(value):
                raise ShapeError("a gradient of something that is not a scalar")
            row.append(Dual.of(value).b)
        out.append(row)
    return out


def hessian(ctx: Context, target: str, variable: str, env: Env) -> list:
    """The Hessian of a target quadratic in a vector variable (a least-squares loss, by construction): its gradient is
    affine in the variable, so column j is the gradient at the variable moved by e_j less the gradient at it, exactly."""
    base = env.name(variable)
    at = gradient(ctx, target, variable, env)
    columns = []
    for j in range(len(base)):
        values = {n: v for n, v in env.values.items() if n != variable}
        values[variable] = [[x + int(r == j) for x in rw] for r, rw in enumerate(base)]
        moved = gradient(ctx, target, variable, Env(ctx, values, env.phi, env.dphi, env.sizes))
        columns.append([_plain(a[0]) - _plain(b[0]) for a, b in zip(moved, at)])
    return [[columns[j][i] for j in range(len(base))] for i in range(len(base))]


def _equal(a, b) -> Optional[bool]:
    """True, False, or None when intervals overlap without being one point (undecided)."""
    if _is_matrix(a) != _is_matrix(b):  # a 1×1 product (x^T A y) is the scalar it holds
        if _shape(a if _is_matrix(a) else b) != (1, 1):
            return False
        a, b = (a[0][0] if _is_matrix(a) else a), (b[0][0] if _is_matrix(b) else b)
    if _is_matrix(a):
        if _shape(a) != _shape(b):
            return False
        verdicts = [_equal(_plain(x), _plain(y)) for r, s in zip(a, b) for x, y in zip(r, s)]
        return False if False in verdicts else None if None in verdicts else True
    if isinstance(a, Interval) or isinstance(b, Interval):
        a, b = Interval.of(a), Interval.of(b)
        if a.hi < b.lo or b.hi < a.lo:
            return False
        return None
    return _plain(a) == _plain(b)


def _holds(left, relation: str, right) -> Optional[bool]:
    if relation == "=":
        return _equal(left, right)
    left, right = (v[0][0] if _is_matrix(v) and _shape(v) == (1, 1) else v for v in (left, right))  # x^T x: a number
    if _is_matrix(left) or _is_matrix(right):
        raise ShapeError("an inequality between matrices")
    a, b = Interval.of(_plain(left) if not isinstance(left, Interval) else left), \
        Interval.of(_plain(right) if not isinstance(right, Interval) else right)
    if relation == "<=":
        return True if a.hi <= b.lo else (False if a.lo > b.hi else None)
    if relation == ">=":
        return True if a.lo >= b.hi else (False if a.hi < b.lo else None)
    raise ValueError(relation)


def decide_at(step: "Expected", env: Env) -> Optional[bool]:
    """Whether the step holds at one instance: True, False, or None (undecided by the intervals). A gradient holds
    when the printed side equals the true gradient under some allowed layout; shapes that do not fit are False."""
    ctx = step.context
    try:
        right = ev(step.right_e, env)
        if step.left_e[0] == "hess":  # symmetric: the same in either layout
            return _equal(hessian(ctx, step.left_e[1], step.left_e[2], env), right)
        if step.left_e[0] == "grad":
            true = gradient(ctx, step.left_e[1], step.left_e[2], env)
            readings = []
            if "column" in ctx.layouts:
                readings.append(true)
            if "row" in ctx.layouts:
                readings.append(_t(true))
            verdicts = [_equal(r, right) for r in readings]  # None: intervals (exp) that do not separate them
            return True if True in verdicts else None if None in verdicts else False
        left = ev(step.left_e, env)
    except ShapeError:
        return False
    return _holds(left, step.relation, right)


# -- instances


_ENTRIES = [Fraction(n, d) for n in (-2, -1, 0, 1, 2, 3) for d in (1, 2)]


def _orthogonal(n: int, rng: random.Random) -> list:
    """A signed permutation, times a rational rotation (3/5, 4/5) in two of its coordinates when n ≥ 2."""
    perm = list(range(n))
    rng.shuffle(perm)
    m = [[Fraction(rng.choice((-1, 1))) if perm[i] == j else Fraction(0) for j in range(n)] for i in range(n)]
    if n >= 2 and rng.random() < 0.7:
        i, j = rng.sample(range(n), 2)
        c, s = Fraction(3, 5), Fraction(4, 5) * rng.choice((-1, 1))
        r = [[Fraction(int(a == b)) for b in range(n)] for a in range(n)]
        r[i][i], r[i][j], r[j][i], r[j][j] = c, -s, s, c
        m = _mm(r, m)
    return m


def instance(ctx: Context, rng: random.Random, sizes: Optional[dict] = None) -> tuple:
    """Random sizes (1 to 3) and values honouring the context's conditions; (sizes, values)."""
    letters = sorted({d for s in ctx.shapes.values() for d in s if isinstance(d, str)})
    sizes = dict(sizes or {})
    for d in letters:
        sizes.setdefault(d, rng.randint(1, 3))
    values: dict = {}
    for name, shape in ctx.shapes.items():
        if shape == ():  # a number
            values[name] = rng.choice(_ENTRIES)
            continue
        r, c = shape
        rows, cols = sizes.get(r, r), sizes.get(c, c)
        conds = ctx.conditions.get(name, set())
        if "orthogonal" in conds:
            values[name] = _orthogonal(rows, rng)
            continue
        while True:
            m = [[rng.choice(_ENTRIES) for _ in range(cols)] for _ in range(rows)]
            if "symmetric" in conds:
                m = [[m[min(i, j)][max(i, j)] for j in range(cols)] for i in range(rows)]
            if "invertible" not in conds or _det(m) != 0:
                break
        if name in ctx.totals:  # the stated sum of its entries: the last entry makes it hold exactly
            m[-1][-1] = ctx.totals[name] - (sum((x for row in m for x in row), Fraction(0)) - m[-1][-1])
        values[name] = m
    return sizes, values


def _polynomial(rng: random.Random):
    c = [Fraction(rng.randint(-3, 3), rng.choice((1, 2))) for _ in range(3)]

    def phi(x):
        return c[0] + c[1] * x + c[2] * x * x

    def dphi(x):
        return c[1] + 2 * c[2] * x

    return phi, dphi


_SCALES = (Fraction(1, 7), Fraction(-1, 3), Fraction(5))


def _copies(ctx: Context, values: dict) -> list:
    """The values, then (for a context that asks for them) copies with every number scaled by each of _SCALES; an
    orthogonal matrix is left as it is (symmetry and invertibility survive a nonzero scale)."""
    out = [values]
    if ctx.scaled:
        for k in _SCALES:
            out.append({name: v if "orthogonal" in ctx.conditions.get(name, set()) else
                        _scale(k, v) if _is_matrix(v) else k * v for name, v in values.items()})
    return out


def witness(step: "Expected", rng: random.Random, tries: int = 40) -> Optional[dict]:
    """Sizes and values where the plain evaluator shows the step false, or None."""
    for _ in range(tries):
        sizes, drawn = instance(step.context, rng)
        phi, dphi = _polynomial(rng)
        for values in _copies(step.context, drawn):
            try:
                if decide_at(step, Env(step.context, values, phi, dphi, sizes)) is False:
                    return {"sizes": sizes, "values": values}
            except ArithmeticError:
                continue
    return None


def holds(step: "Expected", rng: random.Random, tries: int = 12) -> bool:
    """Whether the plain evaluator finds the step holding at every instance it tries (a check of the generator)."""
    for _ in range(tries):
        sizes, drawn = instance(step.context, rng)
        phi, dphi = _polynomial(rng)
        for values in _copies(step.context, drawn):
            try:
                if decide_at(step, Env(step.context, values, phi, dphi, sizes)) is False:
                    return False
            except ArithmeticError:
                continue
    return True


# -- the scan's counterexample, replayed by the plain evaluator


_PHI = re.compile(r"^\\?(?:phi|sigma)(')?\((.+)\)$")


def _number(s) -> Fraction:
    return Fraction(str(s))


def _value(raw):
    if isinstance(raw, list):
        return [[_number(x) for x in (row if isinstance(row, list) else [row])] for row in raw]
    return _number(raw)


def _key(name: str) -> str:
    """The scan's name of a letter: bold and braces dropped."""
    name = re.sub(r"\\(?:mathbf|boldsymbol|bm)\s*\{([^{}]*)\}", r"\1", name)
    return name.replace("{", "").replace("}", "").replace("\\", "")


def confirms(step: "Expected", counterexample: Optional[dict]) -> bool:
    """Whether the scan's counterexample is one: its values have the declared shapes (sizes consistently) and meet
    the stated conditions, and the plain evaluator finds the step false there."""
    if not counterexample or not isinstance(counterexample.get("values"), dict):
        return False
    ctx = step.context
    raw = counterexample["values"]
    table, dtable, values = {}, {}, {}
    for key, v in raw.items():
        m = _PHI.match(key)
        if m:
            (dtable if m.group(1) else table)[_number(m.group(2))] = _number(v)
    by_key = {_key(k): v for k, v in raw.items()}
    sizes: dict = {}
    for name, shape in ctx.shapes.items():
        if _key(name) not in by_key:
            continue  # declared but not used by the step: its evaluation fails closed if it needs it
        v = _value(by_key[_key(name)])
        if shape == ():  # a number, perhaps shown as a 1×1 matrix
            if _is_matrix(v) and _shape(v) != (1, 1):
                return False
            values[name] = v[0][0] if _is_matrix(v) else v
            continue
        r, c = shape
        if not _is_matrix(v):
            v = [[v]]
        for d, actual in ((r, len(v)), (c, len(v[0]))):
            if isinstance(d, int) and d != actual:
                return False
            if sizes.setdefault(d, actual) != actual:
                return False
        # a counterexample of shapes alone needs no values that meet the conditions
        conds = set() if counterexample.get("shapes_only") else ctx.conditions.get(name, set())
        if "orthogonal" in conds and _mm(_t(v), v) != [[Fraction(int(i == j)) for j in range(len(v))] for i in range(len(v))]:
            return False
        if "invertible" in conds and (len(v) != len(v[0]) or _det(v) == 0):
            return False
        if "symmetric" in conds and v != _t(v):
            return False
        if name in ctx.totals and not counterexample.get("shapes_only") and \
                sum((x for row in v for x in row), Fraction(0)) != ctx.totals[name]:
            return False  # the stated sum of its entries does not hold
        values[name] = v

    def lookup(t, x):
        x = _plain(x)
        if x not in t:
            raise _Missing(f"phi at {x}")
        return t[x]

    def phi(x):
        if isinstance(x, Dual):
            return Dual(lookup(table, x.a), lookup(dtable, x.a) * x.b) if x.b else Dual(lookup(table, x.a))
        return lookup(table, x)

    try:
        return decide_at(step, Env(ctx, values, phi, lambda x: lookup(dtable, x), sizes)) is False
    except (_Missing, ArithmeticError):
        return False


# -- printing, in the notations sheets use


@dataclasses.dataclass
class Style:
    """One notation: how a transpose, a bold letter, a norm, a trace, a diag and a gradient are written."""

    transpose: str = "^T"
    bold: str = ""
    norm: tuple = ("\\|", "\\|")
    trace: str = "\\operatorname{tr}"
    diag: str = "\\operatorname{diag}"
    gradient: str = "frac"
    # the arbitrary activation's letter: \phi, or \sigma said to be any activation in a document that names the
    # logistic sigmoid (a step true only for the logistic function is then a slip)
    activation: str = "\\phi"


_TRANSPOSES = ["^T", "^\\top", "^{T}", "^{\\top}", "^{\\mathsf T}", "^{\\mathsf{T}}", "^\\intercal"]
_BOLDS = ["", "", "\\mathbf", "\\boldsymbol"]
_NORMS = [("\\|", "\\|"), ("\\lVert ", " \\rVert"), ("\\left\\| ", " \\right\\|"), ("\\Vert ", " \\Vert")]
_TRACES = ["\\operatorname{tr}", "\\mathrm{tr}", "\\mathrm{Tr}", "\\operatorname{Tr}", "\\text{tr}", "\\operatorname{trace}"]
_DIAGS = ["\\operatorname{diag}", "\\mathrm{diag}", "\\mathrm{Diag}", "\\text{Diag}"]


def style(src: Source) -> Style:
    return Style(src.choice(_TRANSPOSES), src.choice(_BOLDS), src.choice(_NORMS), src.choice(_TRACES),
                 src.choice(_DIAGS), src.choice(["frac", "frac", "nabla"]))


_PREC = {"add": 1, "sub": 1, "neg": 1, "had": 1.5, "mul": 2}


def name_tex(name: str, st: Style, vector_or_matrix: bool = True) -> str:
    if name in ("\\hat{y}",) or not st.bold or not vector_or_matrix:
        return name
    letter, _, index = name.partition("_")
    return f"{st.bold}{{{letter}}}" + (f"_{index}" if index else "")


def tex(e, st: Style, scalars: frozenset = frozenset()) -> str:
    k = e[0]
    if k == "v":
        return name_tex(e[1], st, e[1] not in scalars)
    if k == "eye":
        return "I"
    if k == "ones":  # written without its length, which the step fixes
        return f"{st.bold}{{1}}" if st.bold else "\\mathbf 1" if "top" in st.transpose else "\\mathbf{1}"
    if k == "per":
        return f"\\frac{{{e[1].numerator}}}{{{e[1].denominator if e[1].denominator > 1 else ''}{e[2]}}}"
    if k == "n":
        n = e[1]
        return str(n) if n.denominator == 1 else f"\\frac{{{n.numerator}}}{{{n.denominator}}}"
    if k in ("T", "inv"):
        inner = tex(e[1], st, scalars)
        if e[1][0] != "v":
            inner = f"({inner})"
        return inner + (st.transpose if k == "T" else "^{-1}")
    if k in ("mul", "had"):
        a, b = (_wrap(x, 2 if k == "mul" else 1.5, st, scalars) for x in e[1:])
        return f"{a} \\odot {b}" if k == "had" else f"{a} {b}"
    if k in ("add", "sub"):
        right = _wrap(e[2], 2 if k == "sub" else 1, st, scalars)
        return f"{tex(e[1], st, scalars)} {'+' if k == 'add' else '-'} {right}"
    if k == "neg":
        return f"-{_wrap(e[1], 2, st, scalars)}"
    if k == "tr":
        return f"{st.trace}({tex(e[1], st, scalars)})"
    if k == "diag":
        return f"{st.diag}({tex(e[1], st, scalars)})"
    if k == "norm":
        sub = {"F": "_F", "2": "_2", "": ""}[e[2]]
        return f"{st.norm[0]}{tex(e[1], st, scalars)}{st.norm[1]}{sub}"
    if k == "sq":
        inner = tex(e[1], st, scalars)
        if e[1][0] == "norm":
            return inner + "^2"
        return f"({inner})^2"
    if k == "phi":
        return f"{st.activation}({tex(e[1], st, scalars)})"
    if k == "dphi":
        return f"{st.activation}'({tex(e[1], st, scalars)})"
    if k == "onem":
        return f"(1 - {tex(e[1], st, scalars)})"
    if k == "softmax":
        return f"\\mathrm{{softmax}}({tex(e[1], st, scalars)})"
    if k == "xent":
        y, yhat = e[1][1], e[2][1]
        return f"-\\sum_i {y}_i \\log {yhat}_i"
    if k == "hess":
        return f"\\nabla^2_{{{name_tex(e[2], st)}}} {e[1]}"
    if k == "grad":
        target, variable = e[1], name_tex(e[2], st)
        if st.gradient == "nabla":
            return f"\\nabla_{{{variable}}} {target}"
        return f"\\frac{{\\partial {target}}}{{\\partial {variable}}}"
    raise ValueError(k)


def _wrap(e, level: int, st: Style, scalars) -> str:
    inner = tex(e, st, scalars)
    if _PREC.get(e[0], 9) < level or (e[0] == "n" and e[1] < 0):
        return f"\\left({inner}\\right)" if e[0] in ("add", "sub") and len(inner) > 30 else f"({inner})"
    return inner


# -- the material


@dataclasses.dataclass
class Expected:
    """One step of the generated material: its sides as printed, its truth, and what the evaluator needs."""

    left: str
    right: str
    # "true", "slip", "definition", "condition" or "undecided" (the material does not say what a name is: the scan
    # must decide nothing)
    truth: str
    relation: str = "="
    family: str = ""
    left_e: Any = None
    right_e: Any = None
    context: Any = None
    # for a slip: sizes and values where the plain evaluator shows it false
    witness: Optional[dict] = None


@dataclasses.dataclass
class Material:
    text: str
    steps: list


def V(name: str) -> tuple:
    return ("v", name)


def N(x) -> tuple:
    return ("n", Fraction(x))


def T(e) -> tuple:
    return ("T", e)


def mul(*es) -> tuple:
    out = es[0]
    for e in es[1:]:
        out = ("mul", out, e)
    return out


def tr(e) -> tuple:
    return ("tr", e)


def norm(e, kind: str = "") -> tuple:
    return ("norm", e, kind)


_SIZES = ["m", "n", "p", "q", "r", "k", "d"]


def _sizes(src: Source, k: int) -> list:
    out: list = []
    while len(out) < k:
        s = src.choice(_SIZES) if src.integer(0, 5) else src.integer(2, 3)
        if s not in out:
            out.append(s)
    return out


def _space(shape: tuple) -> str:
    if shape == ():
        return "\\mathbb{R}"
    r, c = shape
    return f"\\mathbb{{R}}^{{{r}}}" if c == 1 else f"\\mathbb{{R}}^{{{r} \\times {c}}}"


def _declare(src: Source, ctx: Context, st: Style, names: list, steps: list, words: Optional[str] = None) -> str:
    """'Let $A \\in \\mathbb{R}^{p \\times q}$ and $x \\in \\mathbb{R}^{n}$' with each declaration a definition step."""
    parts: list = []
    k = 0
    while k < len(names):
        group = [names[k]]
        # "$x, y \\in \\mathbb{R}^{n}$": names of one shape declared together, now and then
        while k + len(group) < len(names) and ctx.shapes[names[k + len(group)]] == ctx.shapes[names[k]] \
                and src.integer(0, 1):
            group.append(names[k + len(group)])
        k += len(group)
        left = ", ".join(name_tex(n, st, ctx.shapes[n] != ()) for n in group)
        parts.append(f"${left} \\in {_space(ctx.shapes[group[0]])}$")
        steps.append(Expected(left, _space(ctx.shapes[group[0]]), "definition", "∈"))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    opening = src.choice(["Let", "For", "Take"]) if words is None else words
    return f"{opening} {listed}".strip()


def _step(ctx, st, left_e, right_e, relation="=", family="", slip=None, scalars=frozenset()) -> list:
    """The step left = right (true by construction), or with the planted `slip` in its place when the evaluator
    confirms it false; [] only if the true step itself failed (a generator bug raises)."""
    rng = random.Random(repr((left_e, right_e, slip, ctx.layouts, ctx.matrix_norm)))
    true = Expected(tex(left_e, st, scalars), tex(right_e, st, scalars), "true", relation, family, left_e, right_e, ctx)
    bad = witness(true, rng, tries=6)
    if bad is not None:
        raise AssertionError(f"the generator built a false step: {true.left} {relation} {true.right} at {bad}")
    if slip is None:
        return [true]
    kind, planted, rel = slip
    wrong = Expected(true.left, tex(planted, st, scalars), "slip", rel, f"{family}/{kind}", left_e, planted, ctx)
    found = witness(wrong, rng, tries=30)
    if found is None:
        return [true]
    wrong.witness = found
    return [wrong]


def _show(steps: list) -> str:
    shown = []
    for s in steps:
        rel = {"=": "=", "<=": "\\leq", ">=": "\\geq"}[s.relation]
        shown.append(f"${s.left} {rel} {s.right}$")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _pick_slip(src: Source, slips: bool, options: list):
    """One of the planted changes, or None (a true step), half the time when slips are planted."""
    if not slips or not options or src.integer(0, 1):
        return None
    return src.choice(options)


def _algebra_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    p, q, r = _sizes(src, 3)
    n = src.choice([p, q])
    A, B, C = "A", "B", "C"
    if src.integer(0, 3) == 0:
        A, B, C = "W_1", "W_2", "W_3"
    x, y = src.choice([("x", "y"), ("u", "v"), ("a", "b")])
    template = src.choice(["transpose", "double", "sum", "cyclic", "cyclic_square", "trace", "trace_pair",
                           "distribute", "bilinear", "quadratic", "hadamard", "inverse", "symmetric", "chain",
                           "identity", "outer", "rectangular", "ones"])
    if template == "outer":
        return _outer(src, slips, st, n, x, y)
    if template == "rectangular":
        return _rectangular(src, slips, st, p, q)
    chain = None
    steps: list = []
    scalars: frozenset = frozenset()
    if template == "transpose":
        ctx = Context({A: (p, q), B: (q, r)})
        left, right = T(mul(V(A), V(B))), mul(T(V(B)), T(V(A)))
        options = [("order", mul(T(V(A)), T(V(B))), "="), ("missing transpose", mul(T(V(B)), V(A)), "="),
                   ("sign", ("neg", right), "=")]
    elif template == "double":
        ctx = Context({A: (p, src.choice([p, q]))})
        left, right = T(T(V(A))), V(A)
        options = [("missing transpose", T(V(A)), "="), ("sign", ("neg", V(A)), "=")]
    elif template == "sum":
        ctx = Context({A: (p, q), B: (p, q)})
        left, right = T(("add", V(A), V(B))), ("add", T(V(A)), T(V(B)))
        options = [("sign", ("sub", T(V(A)), T(V(B))), "="), ("missing transpose", ("add", V(A), T(V(B))), "=")]
    elif template in ("cyclic", "cyclic_square"):
        if template == "cyclic":
            ctx = Context({A: (p, q), B: (q, r), C: (r, p)})
        else:
            ctx = Context({A: (n, n), B: (n, n), C: (n, n)})
        left = tr(mul(V(A), V(B), V(C)))
        right = src.choice([tr(mul(V(B), V(C), V(A))), tr(mul(V(C), V(A), V(B)))])
        options = [("non-cyclic trace", tr(mul(V(B), V(A), V(C))), "="),
                   ("non-cyclic trace", tr(mul(V(A), V(C), V(B))), "="),
                   ("non-cyclic trace", tr(mul(V(C), V(B), V(A))), "=")]
    elif template == "trace":
        ctx = Context({A: (n, n), B: (n, n)})
        left, right = src.choice([(tr(T(V(A))), tr(V(A))), (tr(("add", V(A), V(B))), ("add", tr(V(A)), tr(V(B)))),
                                  (tr(mul(N(2), V(A))), mul(N(2), tr(V(A))))])
        options = [("sign", ("neg", right), "="), ("missing factor", mul(N(2), right), "="),
                   ("missing transpose", tr(mul(V(A), V(B))), "=")]
    elif template == "trace_pair":
        ctx = Context({A: (p, q), B: (q, p)})
        left, right = tr(mul(V(A), V(B))), tr(mul(V(B), V(A)))
        options = [("wrong shape", tr(mul(T(V(A)), V(B))), "="), ("sign", ("neg", right), "=")]
    elif template == "distribute":
        ctx = Context({A: (p, q), B: (q, r), C: (q, r)})
        left, right = mul(V(A), ("add", V(B), V(C))), ("add", mul(V(A), V(B)), mul(V(A), V(C)))
        options = [("order", ("add", mul(V(A), V(B)), mul(V(C), V(A))), "="),
                   ("sign", ("sub", mul(V(A), V(B)), mul(V(A), V(C))), "="),
                   ("missing factor", ("add", mul(V(A), V(B)), V(C)), "=")]
    elif template == "bilinear":
        ctx = Context({x: (n, 1), A: (n, n), y: (n, 1)})
        left, right = mul(T(V(x)), V(A), V(y)), mul(T(V(y)), T(V(A)), V(x))
        options = [("missing transpose", mul(T(V(y)), V(A), V(x)), "="), ("order", mul(T(V(x)), V(y), V(A)), "=")]
    elif template == "quadratic":
        ctx = Context({x: (n, 1)})
        left, right = ("sq", norm(V(x), src.choice(["", "2"]))), mul(T(V(x)), V(x))
        options = [("missing factor", mul(N(2), right), "="), ("wrong shape", mul(V(x), T(V(x))), "=")]
    elif template == "hadamard":
        ctx = Context({x: (n, 1), y: (n, 1)})
        left, right = src.choice([(mul(("diag", V(x)), V(y)), ("had", V(x), V(y))),
                                  (("had", V(x), V(y)), ("had", V(y), V(x)))])
        options = [("wrong shape", mul(T(V(x)), V(y)), "="), ("sign", ("neg", right), "=")]
    elif template == "inverse":
        ctx = Context({A: (n, n), B: (n, n)}, {A: {"invertible"}, B: {"invertible"}})
        left, right = src.choice([(("inv", mul(V(A), V(B))), mul(("inv", V(B)), ("inv", V(A)))),
                                  (("inv", T(V(A))), T(("inv", V(A))))])
        options = [("order", mul(("inv", V(A)), ("inv", V(B))), "="), ("missing transpose", ("inv", V(A)), "=")]
    elif template == "identity":
        c = src.choice(["c", "\\lambda", "\\alpha"])
        ctx = Context({A: (n, n), x: (n, 1), c: ()})
        scalars = frozenset({c})
        eye = ("eye", n)
        left, right, options = src.choice([
            (T(("add", V(A), eye)), ("add", T(V(A)), eye), [("missing transpose", ("add", V(A), eye)),
                                                           ("sign", ("sub", T(V(A)), eye))]),
            (mul(V(A), eye), V(A), [("missing transpose", T(V(A))), ("missing factor", mul(N(2), V(A)))]),
            (mul(("add", V(A), eye), V(x)), ("add", mul(V(A), V(x)), V(x)),
             [("missing factor", ("add", mul(V(A), V(x)), mul(N(2), V(x)))), ("sign", ("sub", mul(V(A), V(x)), V(x)))]),
            (mul(("sub", V(A), mul(V(c), eye)), V(x)), ("sub", mul(V(A), V(x)), mul(V(c), V(x))),
             [("missing factor", ("sub", mul(V(A), V(x)), V(x))), ("sign", ("add", mul(V(A), V(x)), mul(V(c), V(x))))]),
            (T(mul(V(c), V(A))), mul(V(c), T(V(A))), [("missing factor", T(V(A))), ("sign", ("neg", mul(V(c), T(V(A)))))]),
            (mul(("add", V(A), mul(N(2), eye)), V(x)), ("add", mul(V(A), V(x)), mul(N(2), V(x))),
             [("missing factor", ("add", mul(V(A), V(x)), V(x)))]),
            # ridge regression's normal matrix: A^T A + c I, the multiple of I sized by the sum it is in
            (mul(("add", mul(T(V(A)), V(A)), mul(V(c), eye)), V(x)), ("add", mul(T(V(A)), V(A), V(x)), mul(V(c), V(x))),
             [("missing transpose", ("add", mul(V(A), V(A), V(x)), mul(V(c), V(x)))),
              ("missing factor", ("add", mul(T(V(A)), V(A), V(x)), V(x))),
              ("sign", ("sub", mul(T(V(A)), V(A), V(x)), mul(V(c), V(x))))]),
        ])
        options = [o + ("=",) for o in options]
    elif template == "symmetric":
        S = src.choice(["S", "\\Sigma", "H"]) if not st.bold else "S"
        ctx = Context({S: (n, n), A: (n, n), x: (n, 1), y: (n, 1)}, {S: {"symmetric"}})
        left, right = src.choice([(T(V(S)), V(S)), (mul(T(V(x)), V(S), V(y)), mul(T(V(y)), V(S), V(x))),
                                  (tr(mul(V(S), V(A))), tr(mul(T(V(A)), V(S))))])
        options = [("sign", ("neg", right), "="), ("missing factor", mul(N(2), right), "=")]
    elif template == "ones":  # the vector of ones, of the length the step fixes: sums of entries, of columns
        ctx = Context({x: (n, 1), y: (n, 1), A: (n, q)})
        one = ("ones", n)
        left, right, options = src.choice([
            (mul(T(one), V(x)), mul(T(V(x)), one), [("sign", ("neg", mul(T(V(x)), one))),
                                                    ("missing factor", mul(N(2), T(V(x)), one))]),
            (mul(T(one), ("add", V(x), V(y))), ("add", mul(T(one), V(x)), mul(T(V(y)), one)),
             [("sign", ("sub", mul(T(one), V(x)), mul(T(V(y)), one)))]),
            (mul(T(one), V(A)), T(mul(T(V(A)), one)), [("missing transpose", mul(T(V(A)), one)),
                                                       ("missing factor", mul(N(2), T(one), V(A)))]),
        ])
        options = [o + ("=",) for o in options]
    else:  # a chain of cyclic permutations in an align environment, its last link perhaps a slip
        ctx = Context({A: (p, q), B: (q, r), C: (r, p)})
        left, right = tr(mul(V(A), V(B), V(C))), tr(mul(V(B), V(C), V(A)))
        chain = tr(mul(V(C), V(A), V(B)))
        options = [("non-cyclic trace", tr(mul(V(C), V(B), V(A))), "="),
                   ("non-cyclic trace", tr(mul(V(B), V(A), V(C))), "=")]
    names = [x for x in ctx.shapes if _uses(x, left, right, chain, options)]
    ctx.shapes = {x: ctx.shapes[x] for x in names}
    if template == "inverse":
        how = src.choice(["adjective", "be"])
        if how == "adjective":
            prose = _declare(src, ctx, st, names, steps, "For invertible matrices")
        else:
            prose = _declare(src, ctx, st, names, steps, "Let") + " be invertible"
    elif template == "symmetric":
        S = names[0]
        how = src.choice(["adjective", "be", "is"])
        rest = [x for x in names if x != S]
        if how == "adjective":
            prose = _declare(src, ctx, st, [S], steps, "For a symmetric matrix")
        elif how == "be":
            prose = _declare(src, ctx, st, [S], steps, "Let") + " be symmetric"
        else:
            prose = _declare(src, ctx, st, [S], steps, "Take") + f". The matrix ${name_tex(S, st)}$ is symmetric"
        if rest:
            prose += ". Let " + _declare(src, ctx, st, rest, steps, "")
    else:
        prose = _declare(src, ctx, st, names, steps)
    if chain is not None:
        first = _step(ctx, st, left, right, "=", template)
        second = _step(ctx, st, right, chain, "=", template, _pick_slip(src, slips, options))
        rows = [f"{first[0].left} &= {first[0].right}", f"&= {second[0].right}"]
        body = "\\\\\n".join(rows)
        return f"{prose}. Then\n\\begin{{align}}\n{body}\n\\end{{align}}", steps + first + second
    body = _step(ctx, st, left, right, "=", template, _pick_slip(src, slips, options), scalars)
    return f"{prose}. Then {_show(body)}.", steps + body


def _outer(src: Source, slips: bool, st: Style, n, x: str, y: str) -> tuple:
    """Inner and outer products of vectors the material declares, names in words, or only writes bold or transposed
    (a small letter transposed is a vector: x y^T = y x^T holds for numbers only)."""
    how = src.choice(["declared", "words", "none"])
    if how != "declared":
        n = "n"  # a length the material does not state: every length
    ctx = Context({x: (n, 1), y: (n, 1), "A": (n, n)})
    left, right, options = src.choice([
        (mul(V(x), T(V(y))), T(mul(V(y), T(V(x)))), [("order", mul(V(y), T(V(x)))), ("wrong shape", mul(T(V(x)), V(y)))]),
        (mul(T(V(x)), V(y)), mul(T(V(y)), V(x)), [("wrong shape", mul(V(x), T(V(y)))), ("sign", ("neg", mul(T(V(y)), V(x))))]),
        (mul(T(V(x)), V("A"), V(y)), mul(T(V(y)), T(V("A")), V(x)), [("missing transpose", mul(T(V(y)), V("A"), V(x)))]),
        (mul(T(("add", V(x), V(y))), ("add", V(x), V(y))),
         ("add", ("add", mul(T(V(x)), V(x)), mul(N(2), T(V(x)), V(y))), mul(T(V(y)), V(y))),
         [("missing factor", ("add", ("add", mul(T(V(x)), V(x)), mul(T(V(x)), V(y))), mul(T(V(y)), V(y))))]),
    ])
    steps: list = []
    names = [v for v in ctx.shapes if _uses(v, left, right, options)]
    ctx.shapes = {v: ctx.shapes[v] for v in names}
    if how == "declared":
        prose = _declare(src, ctx, st, names, steps)
    elif how == "words":
        vectors = [f"${name_tex(v, st)}$" for v in names if v != "A"]
        prose = "For vectors " + " and ".join(vectors) + (" and a matrix $A$" if "A" in names else "")
    else:
        prose = "For vectors of one length" + (" and a square matrix $A$ of that size" if "A" in names else "")
    body = _step(ctx, st, left, right, "=", "outer", _pick_slip(src, slips, [o + ("=",) for o in options]))
    return f"{prose}. Then {_show(body)}.", steps + body


def _rectangular(src: Source, slips: bool, st: Style, p, q) -> tuple:
    """A matrix declared p x q with p and q apart: a step that fits only when p = q (the trace of A, the inverse of
    a factor of AB) fails at p != q; one that fits at every size holds."""
    ctx = Context({"A": (p, q), "B": (q, p)})
    A, B = V("A"), V("B")
    true = src.choice([(tr(mul(A, B)), tr(mul(B, A))), (tr(mul(T(A), T(B))), tr(mul(A, B))),
                       (("sq", norm(A, "F")), tr(mul(T(A), A))), (tr(mul(A, T(A))), tr(mul(T(A), A)))])
    square = src.choice([(tr(T(A)), tr(A)), (("inv", mul(A, B)), mul(("inv", B), ("inv", A))),
                         (tr(mul(A, A)), tr(mul(T(A), T(A)))), (T(mul(A, B)), mul(T(A), T(B)))])
    steps: list = []
    prose = _declare(src, ctx, st, ["A", "B"], steps)
    body = _step(ctx, st, *true, "=", "rectangular")
    if slips and src.integer(0, 1) and isinstance(p, str) and isinstance(q, str):
        wrong = Expected(tex(square[0], st), tex(square[1], st), "slip", "=", "rectangular/square only", square[0],
                         square[1], ctx)
        wrong.witness = witness(wrong, random.Random(repr(square)), tries=30)
        if wrong.witness is not None:
            body.append(wrong)
    return f"{prose}. Then {_show(body)}.", steps + body


def _norm_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    m, n = _sizes(src, 2)
    convention = doc["norm"]
    a, b = src.choice([("a", "b"), ("x", "y"), ("u", "v")])
    M, Nn = src.choice([("M", "N"), ("A", "B"), ("W", "V")])
    kind = src.choice(["", "", "2"])
    template = src.choice(["product", "triangle", "submultiplicative", "frobenius", "transpose", "frobenius_trace",
                           "orthogonal"])
    if template == "orthogonal":
        Q = src.choice(["Q", "U"])
        ctx = Context({Q: (n, n), a: (n, 1), M: (m, n)}, {Q: {"orthogonal"}})
    elif template == "triangle":
        ctx = Context({a: (n, 1), b: (n, 1)})
    elif template == "submultiplicative":
        ctx = Context({M: (m, n), Nn: (n, src.choice([m, n]))})
    else:
        ctx = Context({M: (m, n), a: (n, 1)})
    if convention == "none" and template != "triangle":
        kind = kind or "2"  # a matrix's bare norm is written with its subscript when no convention is stated
    ctx.matrix_norm = "F" if convention == "frobenius" else "2"
    if template == "product":
        left, right = norm(mul(V(M), V(a)), kind), mul(norm(V(M), kind), norm(V(a), kind))
        options = [("equality", right, "="), ("reversed", right, ">=")]
        relation = "<="
    elif template == "triangle":
        left, right = norm(("add", V(a), V(b)), kind), ("add", norm(V(a), kind), norm(V(b), kind))
        options = [("additive norm", right, "="), ("sign", ("sub", norm(V(a), kind), norm(V(b), kind)), "<=")]
        relation = "<="
    elif template == "submultiplicative":
        left, right = norm(mul(V(M), V(Nn)), kind), mul(norm(V(M), kind), norm(V(Nn), kind))
        options = [("equality", right, "="), ("reversed", right, ">=")]
        relation = "<="
    elif template == "frobenius":
        left, right = norm(V(M), kind), norm(V(M), "F")
        options = [("reversed", right, ">="), ("equality", right, "=")]
        relation = "<="
    elif template == "transpose":
        left, right = norm(T(V(M)), kind), norm(V(M), kind)
        options = [("missing factor", mul(N(2), right), "="), ("sign", ("neg", right), "=")]
        relation = "="
    elif template == "frobenius_trace":
        left, right = ("sq", norm(V(M), "F")), tr(mul(T(V(M)), V(M)))
        options = [("wrong shape", tr(mul(V(M), V(M))), "="), ("missing factor", mul(N(2), right), "=")]
        relation = "="
    else:
        Q = next(x for x in ctx.shapes if x in ("Q", "U"))
        left, right = src.choice([(norm(mul(V(Q), V(a)), kind), norm(V(a), kind)),
                                  (norm(mul(V(M), V(Q)), kind), norm(V(M), kind))])
        options = [("missing factor", mul(N(2), right), "="), ("wrong shape", norm(mul(V(a), V(Q)), kind), "=")]
        relation = "="
    steps: list = []
    names = [x for x in ctx.shapes if _uses(x, left, right, options)]
    ctx.shapes = {x: ctx.shapes[x] for x in names}
    if template == "orthogonal":
        Q = next(x for x in names if x in ("Q", "U"))
        others = [x for x in names if x != Q]
        how = src.choice(["be", "adjective", "equation"])
        qtex = name_tex(Q, st)
        if how == "adjective":
            prose = _declare(src, ctx, st, [Q], steps, "For an orthogonal matrix") + \
                " and " + _declare(src, ctx, st, others, steps, "").strip()
        elif how == "be":
            prose = _declare(src, ctx, st, [Q], steps, "Let") + " be orthogonal, and let " + \
                _declare(src, ctx, st, others, steps, "").strip()
        else:
            prose = _declare(src, ctx, st, names, steps) + f", with ${qtex}{st.transpose} {qtex} = I$"
            steps.append(Expected(f"{qtex}{st.transpose} {qtex}", "I", "condition"))
    else:
        prose = _declare(src, ctx, st, names, steps)
    body = _step(ctx, st, left, right, relation, template, _pick_slip(src, slips, options))
    return f"{prose}. Then {_show(body)}.", steps + body


def _uses(name: str, *trees) -> bool:
    for t in trees:
        if isinstance(t, tuple):
            if t == ("v", name) or any(_uses(name, x) for x in t[1:]):
                return True
        elif isinstance(t, list) and any(_uses(name, x) for x in t):
            return True
    return False


def _gradient_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    convention = doc["gradient"]
    layouts = {"none": ("column", "row"), "column": ("column",), "row": ("row",)}[convention]
    model = src.choice(["least_squares", "linear", "mlp", "mlp", "softmax"])
    m, n, k = _sizes(src, 3)
    steps: list = []
    if model == "least_squares":
        X, w, y, E = "X", src.choice(["w", "\\theta", "b"]), "y", src.choice(["E", "L", "J"])
        ctx = Context({X: (m, n), w: (n, 1), y: (m, 1)}, layouts=layouts)
        r = ("sub", mul(V(X), V(w)), V(y))
        half = src.integer(0, 1)
        ctx.equations[E] = mul(N(Fraction(1, 2)), ("sq", norm(r, "2"))) if half else ("sq", norm(r, ""))
        eq_tex = ("\\frac{1}{2} " if half else "") + tex(("sq", norm(r, "")), st)
        if not src.integer(0, 2):  # ||r||^2 written as the product r^T r, which opens with a parenthesis
            eq_tex = ("\\frac{1}{2} " if half else "") + tex(mul(T(r), r), st)
        grad = mul(T(V(X)), r) if half else mul(N(2), T(V(X)), r)
        rows = [(("grad", E, w), grad, [("missing factor", mul(T(V(X)), r) if not half else mul(N(2), T(V(X)), r)),
                                        ("missing transpose", mul(V(X), r) if half else mul(N(2), V(X), r)),
                                        ("sign", mul(T(V(X)), ("sub", V(y), mul(V(X), V(w))))),
                                        ("order", mul(T(r), V(X)) if half else mul(N(2), T(r), V(X)))]),
                # the Hessian, X^T X (2 X^T X without the 1/2): a missing factor, the product in the wrong order
                (("hess", E, w), mul(T(V(X)), V(X)) if half else mul(N(2), T(V(X)), V(X)),
                 [("missing factor", mul(T(V(X)), V(X)) if not half else mul(N(2), T(V(X)), V(X))),
                  ("order", mul(V(X), T(V(X))) if half else mul(N(2), V(X), T(V(X))))])]
        if not src.integer(0, 3):  # averaged over the N rows of X, \\frac{1}{N} or \\frac{1}{2N}: N is a size, a number
            ctx = Context({X: ("N", n), w: (n, 1), y: ("N", 1)}, layouts=layouts)
            c = Fraction(1, 2) if half else Fraction(1)
            ctx.equations[E] = mul(("per", c, "N"), ("sq", norm(r, "")))
            eq_tex = tex(("per", c, "N"), st) + " " + tex(("sq", norm(r, "")), st)
            per = ("per", 2 * c, "N")
            rows = [(("grad", E, w), mul(per, T(V(X)), r),
                     [("missing factor", mul(("per", 4 * c if half else c, "N"), T(V(X)), r)),
                      ("missing transpose", mul(per, V(X), r)),
                      ("sign", mul(per, T(V(X)), ("sub", V(y), mul(V(X), V(w))))),
                      ("order", mul(per, T(r), V(X)))]),
                     (("hess", E, w), mul(per, T(V(X)), V(X)),
                      [("missing factor", mul(T(V(X)), V(X))), ("order", mul(per, V(X), T(V(X))))])]
        prose = _declare(src, ctx, st, [X, w, y], steps) + f", and ${E} = {eq_tex}$"
        steps.append(Expected(E, eq_tex, "definition"))
    elif model == "linear":
        W, x, y, L = "W", "x", "y", "L"
        ctx = Context({W: (m, n), x: (n, 1), y: (m, 1)}, layouts=layouts)
        r = ("sub", mul(V(W), V(x)), V(y))
        ctx.equations[L] = mul(N(Fraction(1, 2)), ("sq", norm(r, "")))
        eq_tex = "\\frac{1}{2} " + tex(("sq", norm(r, "")), st)
        rows = [(("grad", L, W), mul(r, T(V(x))), [("transposed gradient", mul(V(x), T(r))),
                                                   ("missing transpose", mul(r, V(x))),
                                                   ("missing factor", mul(N(2), r, T(V(x))))]),
                (("grad", L, x), mul(T(V(W)), r), [("missing transpose", mul(V(W), r)),
                                                   ("sign", ("neg", mul(T(V(W)), r))),
                                                   ("order", mul(T(r), V(W)))])]
        prose = _declare(src, ctx, st, [W, x, y], steps) + f", and ${L} = {eq_tex}$"
        steps.append(Expected(L, eq_tex, "definition"))
    elif model == "softmax":  # softmax cross-entropy: gradients through exp and log
        W, x, y = "W", "x", "y"
        ctx = Context({W: (k, n), x: (n, 1), y: (k, 1)}, layouts=layouts, totals={y: Fraction(1)})
        ctx.equations["z"] = mul(V(W), V(x))
        ctx.equations["\\hat{y}"] = ("softmax", V("z"))
        ctx.equations["L"] = ("xent", V(y), V("z"))
        err = ("sub", V("\\hat{y}"), V(y))
        rows = [(("grad", "L", "z"), err, [("transposed gradient", T(err)), ("sign", ("sub", V(y), V("\\hat{y}"))),
                                           ("missing term", V("\\hat{y}"))]),
                (("grad", "L", W), mul(err, T(V(x))), [("transposed gradient", mul(V(x), T(err))),
                                                        ("sign", mul(("sub", V(y), V("\\hat{y}")), T(V(x)))),
                                                        ("missing factor", mul(V("\\hat{y}"), T(V(x))))]),
                (("grad", "L", x), mul(T(V(W)), err), [("missing transpose", mul(V(W), err)),
                                                        ("order", mul(T(err), V(W))),
                                                        ("missing factor", mul(T(V(W)), V("\\hat{y}")))])]
        prose = (_declare(src, ctx, st, [W, x, y], steps) + " with $\\sum_i y_i = 1$ (a label). The model computes")
        steps.append(Expected("\\sum_i y_i", "1", "condition"))
        shown = {"z": tex(ctx.equations["z"], st), "\\hat{y}": "\\mathrm{softmax}(z)",
                 "L": "-\\sum_i y_i \\log \\hat{y}_i"}
        for name in ("z", "\\hat{y}", "L"):
            head = name_tex(name, st, name != "L")
            prose += f"\n\n$${head} = {shown[name]}$$"
            steps.append(Expected(head, shown[name], "definition"))
        prose += "\n\nDifferentiating"
        start = src.integer(0, 2)
        rows = rows[start:start + src.integer(1, 3)]
    else:
        x, W1, W2, y = "x", "W_1", "W_2", "y"
        ctx = Context({x: (n, 1), W1: (m, n), W2: (k, m), y: (k, 1)}, layouts=layouts)
        ctx.equations["z"] = mul(V(W1), V(x))
        ctx.equations["h"] = ("phi", V("z"))
        ctx.equations["\\hat{y}"] = mul(V(W2), V("h"))
        err = ("sub", V("\\hat{y}"), V(y))
        ctx.equations["L"] = mul(N(Fraction(1, 2)), ("sq", norm(err, "")))
        delta = ("had", ("dphi", V("z")), mul(T(V(W2)), err))
        arbitrary_sigma = not src.integer(0, 2)
        if arbitrary_sigma:
            st = dataclasses.replace(st, activation="\\sigma")
        rows = [(("grad", "L", "\\hat{y}"), err, [("sign", ("sub", V(y), V("\\hat{y}"))),
                                                   ("missing factor", mul(N(2), err))]),
                (("grad", "L", W2), mul(err, T(V("h"))), [("transposed gradient", mul(V("h"), T(err))),
                                                          ("missing transpose", mul(err, V("h")))]),
                (("grad", "L", "h"), mul(T(V(W2)), err), [("missing transpose", mul(V(W2), err)),
                                                          ("order", mul(T(err), V(W2)))]),
                (("grad", "L", "z"), delta, [("missing factor", mul(T(V(W2)), err)),
                                             ("missing transpose", ("had", ("dphi", V("z")), mul(V(W2), err)))]
                 + ([("logistic only", ("had", ("had", ("phi", V("z")), ("onem", ("phi", V("z")))),
                                                mul(T(V(W2)), err)))] if arbitrary_sigma else [])),
                (("grad", "L", W1), mul(delta, T(V(x))), [("transposed gradient", mul(V(x), T(delta))),
                                                          ("order", mul(T(V(x)), delta)),
                                                          # the derivative factor dropped, or its diag on the wrong side
                                                          ("missing factor", mul(T(V(W2)), err, T(V(x)))),
                                                          ("diag side", mul(T(V(W2)), ("diag", ("dphi", V("z"))), err,
                                                                            T(V(x))))]),
                (("grad", "L", x), mul(T(V(W1)), delta), [("missing transpose", mul(V(W1), delta)),
                                                          ("sign", ("neg", mul(T(V(W1)), delta)))])]
        prose = _declare(src, ctx, st, [x, W1, W2, y], steps) + (
            ". For any activation $\\sigma$, applied elementwise (the logistic sigmoid is one; none is assumed), the "
            "network computes" if arbitrary_sigma else ". The network computes")
        for name in ("z", "h", "\\hat{y}", "L"):
            e = ctx.equations[name]
            shown = tex(e, st) if name != "L" else "\\frac{1}{2} " + tex(("sq", norm(err, "")), st)
            head = name_tex(name, st, name != "L")  # the loss is a number, never bold
            prose += f"\n\n$${head} = {shown}$$"
            steps.append(Expected(head, shown, "definition"))
        prose += "\n\nBackpropagation gives"
        start = src.integer(0, 3)
        rows = rows[start:start + src.integer(1, 3)]
    if layouts == ("row",):  # the numerator layout: every gradient printed as the transpose of its column form
        rows = [(left, T(right), [(kind, T(e)) for kind, e in options]) for left, right, options in rows]
    body: list = []
    for left, right, options in rows:
        body += _step(ctx, st, left, right, "=", model, _pick_slip(src, slips, [o + ("=",) for o in options]))
    displays = "\n\n".join(f"$${s.left} = {s.right}$$" for s in body)
    return f"{prose}.\n\n{displays}", steps + body


def _member_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Members W_1, W_2 of a family the part never declares, where it declares one matrix W: the material does not
    say what W_1 is (W, a member of a family, a matrix of its own), so each step, true or not, is left undecided."""
    st = style(src)
    x = name_tex(src.choice(["x", "v", "h"]), st)
    W, W1, W2 = name_tex("W", st), name_tex("W_1", st), name_tex("W_2", st)
    t = st.transpose
    true = [(f"({W2} {W1} {x}){t}", f"{x}{t} {W1}{t} {W2}{t}"), (f"({W1} + {W2}){t}", f"{W1}{t} + {W2}{t}"),
            (f"({W2} {W1}){t} {x}", f"{W1}{t} {W2}{t} {x}")]
    wrong = [(f"({W2} {W1} {x}){t}", f"{x}{t} {W2}{t} {W1}{t}"), (f"({W2} {W1}){t}", f"{W2}{t} {W1}{t}")]
    left, right = src.choice(wrong if slips and src.integer(0, 1) else true)
    words = src.choice([f"Let ${W}$ be a matrix and ${x}$ a vector.", f"Let the matrix ${W}$ and the vector ${x}$ be given."])
    return f"{words}\n\n$${left} = {right}$$", [Expected(left, right, "undecided")]


def _degree_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Steps whose planted slip changes the degree of one side (a norm for a squared norm, x^T x for ||x||, tr(S) for
    tr(S^2)): false only at entries of magnitude below 1, or only at large ones, so instances of integers (or of one
    magnitude) pass them."""
    st = style(src)
    m, n = _sizes(src, 2)
    a = src.choice(["x", "u", "v"])
    M = src.choice(["M", "A", "W"])
    template = src.choice(["gram", "frobenius_trace", "product", "symmetric_trace"])
    if template == "gram":
        ctx = Context({a: (n, 1)})
        left, right = mul(T(V(a)), V(a)), ("sq", norm(V(a)))
        options = [("degree", norm(V(a)), ">="), ("degree", norm(V(a)), "<=")]
    elif template == "frobenius_trace":
        ctx = Context({M: (m, n)})
        left, right = tr(mul(T(V(M)), V(M))), ("sq", norm(V(M), "F"))
        options = [("degree", norm(V(M), "F"), ">="), ("degree", norm(V(M), "F"), "<=")]
    elif template == "product":
        ctx = Context({M: (m, n), a: (n, 1)})
        left = norm(mul(V(M), V(a)))
        right = mul(norm(V(M), "F"), norm(V(a)))
        options = [("degree", mul(("sq", norm(V(M), "F")), norm(V(a))), "<="),
                   ("degree", mul(norm(V(M), "F"), ("sq", norm(V(a)))), "<=")]
    else:
        ctx = Context({M: (n, n)}, {M: {"symmetric"}})
        left, right = tr(mul(V(M), V(M))), ("sq", norm(V(M), "F"))
        options = [("degree", tr(V(M)), "<="), ("degree", tr(V(M)), ">=")]
    ctx.scaled = True
    ctx.matrix_norm = "F" if doc["norm"] == "frobenius" else "2"
    relation = "<=" if template == "product" else "="
    steps: list = []
    names = list(ctx.shapes)
    if template == "symmetric_trace":
        prose = _declare(src, ctx, st, names, steps, "Let") + " be symmetric"
    else:
        prose = _declare(src, ctx, st, names, steps)
    body = _step(ctx, st, left, right, relation, f"degree/{template}", _pick_slip(src, slips, options))
    return f"{prose}. Then {_show(body)}.", steps + body


_PARTS = [(_algebra_part, 4), (_norm_part, 3), (_gradient_part, 3), (_member_part, 1)]
# Parts of the degree class (generate(..., kinds=DEGREE_PARTS)): not among the default parts, whose documents the
# fixed samples and the soak pin.
DEGREE_PARTS = [(_degree_part, 1)]


def _scoped(src: Source, k: int, text: str) -> str:
    """A section's text with its first sentence (its declarations and conditions) as the introduction and the rest
    under a sub-heading or in lettered parts, as exercises are written: what the introduction declares holds there."""
    cut = re.search(r"(?<=[.])\s+(?=[^$]*(?:\$[^$]*\$[^$]*)*$)", text)  # the first sentence end outside a formula
    if cut is None or not text[cut.end():].strip():
        return text
    intro, rest = text[:cut.start()], text[cut.end():]
    form = src.choice(["heading", "part", "bold", "both"])
    if form == "heading":
        return f"{intro}\n\n### {k}.1 Steps\n\n{rest}"
    if form == "part":
        return f"{intro}\n\n- (a) {rest}"
    if form == "bold":
        return f"{intro}\n\n**Part (a)** {rest}"
    return f"{intro}\n\n### {k}.1 Steps\n\n(a) {rest}"


def generate(src: Source, parts: int = 4, slips: bool = True, scoped: bool = False, kinds: Optional[list] = None) -> Material:
    """A Markdown document of `parts` sections, each with its own declarations, and each step's truth. `scoped`: each
    section's declarations in its introduction, its steps under a sub-heading or in a lettered part (drawn after the
    section, so the sections themselves are those of the same source without it)."""
    doc = {"gradient": src.choice(["none", "column", "column", "row"]),
           "norm": src.choice(["operator", "operator", "frobenius", "none"])}
    # conventions hold for the whole document, as sheets state them once at the top
    said = [{"none": "", "column": "A gradient has the shape of the variable.",
             "row": "We use the numerator layout."}[doc["gradient"]],
            {"operator": "The norm of a matrix is the operator 2-norm.",
             "frobenius": "The norm of a matrix is the Frobenius norm.", "none": ""}[doc["norm"]]]
    paragraphs = ["# Generated notes on matrix calculus"] + ([" ".join(x for x in said if x)] if any(said) else [])
    steps: list = []
    weighted = [p for p, w in (kinds or _PARTS) for _ in range(w)]
    for k in range(parts):
        text, expected = src.choice(weighted)(src, slips, doc)
        if scoped:
            text = _scoped(src, k + 1, text)
        paragraphs.append(f"## Part {k + 1}\n\n{text}")
        steps += expected
    return Material("\n\n".join(paragraphs) + "\n", steps)


def _flat(text: str) -> str:
    return "".join(text.replace("&", "").split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    """What a scan made of generated matrix material, against the truth."""

    steps: int = 0
    true: int = 0
    slips: int = 0
    caught: int = 0
    skipped: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    # refutations whose counterexample the plain evaluator does not find false
    unconfirmed: list = dataclasses.field(default_factory=list)
    misread: list = dataclasses.field(default_factory=list)
    # family -> [planted, caught]
    by_family: dict = dataclasses.field(default_factory=dict)
    missed: list = dataclasses.field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for f in ("steps", "true", "slips", "caught", "skipped"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for f in ("false_proofs", "false_alarms", "unconfirmed", "misread", "missed"):
            getattr(self, f).extend(getattr(other, f))
        for fam, (a, b) in other.by_family.items():
            x = self.by_family.setdefault(fam, [0, 0])
            x[0] += a
            x[1] += b


def judge(material: Material, scanned: list) -> Tally:
    """Each scanned step against the truth of the generated step it is (matched in order, by its sides' text); every
    refutation's counterexample replayed by the plain evaluator."""
    out = Tally()
    expected = list(material.steps)
    for step in scanned:
        match = next((k for k, e in enumerate(expected[:8]) if _flat(e.left) == _flat(step.left)
                      and _flat(e.right) == _flat(step.right)), None)
        if match is None:
            out.misread.append(f"{step.text}: not a step the material was generated with ({step.status}: {step.reason})")
            continue
        e = expected.pop(match)
        del expected[:match]
        out.steps += 1
        status = step.status
        if status in ("skipped", "unknown"):
            out.skipped += 1
        if e.truth == "slip":
            out.slips += 1
            fam = out.by_family.setdefault(e.family.split("/")[-1], [0, 0])
            fam[0] += 1
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{step.text}: {status} ({step.reason}), but it fails at {e.witness}")
            elif status in ("refuted", "needs review"):
                out.caught += 1
                fam[1] += 1
            else:
                out.missed.append(f"{e.family}: {step.text}: {status} ({step.reason[:160]})")
        else:
            out.true += e.truth == "true"
            if status in ("refuted", "needs review"):
                out.false_alarms.append(f"{step.text} ({e.truth}): {status} ({step.reason})")
            if e.truth in ("definition", "condition") and status in ("proved", "checked"):
                out.misread.append(f"{step.text}: a {e.truth} {status} ({step.reason})")
            if e.truth == "undecided" and status not in ("skipped", "unknown"):
                out.misread.append(f"{step.text}: undecided in the material, but {status} ({step.reason})")
        if status == "refuted" and e.truth in ("true", "slip") and not confirms(e, step.counterexample):
            out.unconfirmed.append(f"{step.text}: {step.reason[:200]} {step.counterexample}")
    return out
