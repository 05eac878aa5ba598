"""A matrix step's counterexample replayed by a plain evaluation that shares no code with the decision (lists of
fractions; norms bounded by bisection on exact definiteness tests; gradients by forward-mode dual numbers)."""

from __future__ import annotations

from fractions import Fraction
from math import isqrt
from typing import Optional

import mpmath

from proofs.scan.matrices import Node

__all__ = ["replay", "holds", "NoReplay"]

# Bisection steps for a largest eigenvalue, and the binary digits of a square root's bounds.
_STEPS = 80
_BITS = 80
# Decimal digits of the intervals enclosing exp and log (mpmath's interval arithmetic, outward rounded).
_DPS = 60


class NoReplay(Exception):
    """The counterexample lacks something the plain evaluation needs: it does not count."""


class _ShapeFails(Exception):
    pass


class _Eye:
    """c I: an identity scaled by a plain number, of the size the matrix it meets fixes (A + 2I, (X^T X + c I)^{-1})."""

    __slots__ = ("c",)

    def __init__(self, c) -> None:
        self.c = c

    def sized(self, n: int) -> list:
        return [[self.c if i == j else Fraction(0) for j in range(n)] for i in range(n)]


class _Ones:
    """c times a vector of ones, a column (a row once transposed), of the length the matrix it meets fixes (1^T x,
    X 1)."""

    __slots__ = ("row", "c")

    def __init__(self, row: bool, c=Fraction(1)) -> None:
        self.row, self.c = row, c


def _lazy(v) -> bool:
    return isinstance(v, (_Eye, _Ones))


def _strict(v):
    """A value an operation needs with its size: an I or a ones vector no matrix has sized is not replayed."""
    if _lazy(v):
        raise NoReplay("an I or a vector of ones whose size the step does not fix")
    return v


class _Hyper:
    """a + b e1 + c e2 + d e1 e2 with e1^2 = e2^2 = 0: a value, its derivatives along two directions, and the second
    derivative along both (d), for a Hessian of a function of plain arithmetic."""

    __slots__ = ("a", "b", "c", "d")

    def __init__(self, a, b=Fraction(0), c=Fraction(0), d=Fraction(0)) -> None:
        self.a, self.b, self.c, self.d = Fraction(a), Fraction(b), Fraction(c), Fraction(d)

    @staticmethod
    def of(o) -> "_Hyper":
        if isinstance(o, _Hyper):
            return o
        if isinstance(o, (_Dual, _Interval)):
            raise TypeError("a Hessian through a dual number or an interval")
        return _Hyper(o)

    def __add__(self, o):
        o = _Hyper.of(o)
        return _Hyper(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d)

    __radd__ = __add__

    def __neg__(self):
        return _Hyper(-self.a, -self.b, -self.c, -self.d)

    def __sub__(self, o):
        return self + (-_Hyper.of(o))

    def __rsub__(self, o):
        return _Hyper.of(o) - self

    def __mul__(self, o):
        o = _Hyper.of(o)
        return _Hyper(self.a * o.a, self.a * o.b + self.b * o.a, self.a * o.c + self.c * o.a,
                      self.a * o.d + self.b * o.c + self.c * o.b + self.d * o.a)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = _Hyper.of(o)
        if o.a == 0:
            raise NoReplay("a division by zero")
        inverse = _Hyper(1 / o.a, -o.b / o.a ** 2, -o.c / o.a ** 2, 2 * o.b * o.c / o.a ** 3 - o.d / o.a ** 2)
        return self * inverse

    def __rtruediv__(self, o):
        return _Hyper.of(o) / self


class _Dual:
    """A value and its derivative along one direction."""

    __slots__ = ("v", "d")

    def __init__(self, v, d=Fraction(0)) -> None:
        self.v, self.d = _number(v), _number(d)

    def __add__(self, o):
        o = _dual(o)
        return _Dual(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __neg__(self):
        return _Dual(-self.v, -self.d)

    def __sub__(self, o):
        return self + (-_dual(o))

    def __rsub__(self, o):
        return _dual(o) - self

    def __mul__(self, o):
        o = _dual(o)
        return _Dual(self.v * o.v, self.v * o.d + self.d * o.v)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = _dual(o)
        if _may_be_zero(o.v):
            raise NoReplay("a division by zero")
        return _Dual(self.v / o.v, (self.d * o.v - self.v * o.d) / (o.v * o.v))

    def __rtruediv__(self, o):
        return _dual(o) / self


def _number(x):
    return x if isinstance(x, _Interval) else Fraction(x)


def _may_be_zero(x) -> bool:
    return x.lo <= 0 <= x.hi if isinstance(x, _Interval) else x == 0


def _dual(x):
    return x if isinstance(x, _Dual) else _Dual(x)


class _Interval:
    """Exact lower and upper bounds."""

    def __init__(self, lo, hi=None) -> None:
        self.lo, self.hi = Fraction(lo), Fraction(lo if hi is None else hi)

    def __add__(self, o):
        if isinstance(o, _Dual):
            return NotImplemented  # the dual number's sum, which keeps its derivative
        o = _iv(o)
        return _Interval(self.lo + o.lo, self.hi + o.hi)

    def __neg__(self):
        return _Interval(-self.hi, -self.lo)

    def __mul__(self, o):
        if isinstance(o, _Dual):
            return NotImplemented
        o = _iv(o)
        p = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return _Interval(min(p), max(p))

    __rmul__ = __mul__

    def __radd__(self, o):
        return NotImplemented if isinstance(o, _Dual) else self + o

    def __sub__(self, o):
        if isinstance(o, _Dual):
            return NotImplemented
        return self + (-_iv(o))

    def __rsub__(self, o):
        return NotImplemented if isinstance(o, _Dual) else _iv(o) + (-self)

    def __truediv__(self, o):
        if isinstance(o, _Dual):
            return NotImplemented
        o = _iv(o)
        if o.lo <= 0 <= o.hi:
            raise NoReplay("a division by an interval around zero")
        return self * _Interval(min(1 / o.lo, 1 / o.hi), max(1 / o.lo, 1 / o.hi))

    def __rtruediv__(self, o):
        return _iv(o) / self


def _enclose(f, x: _Interval) -> _Interval:
    """The bounds of an increasing function (exp, log) over an interval, by outward-rounded interval arithmetic; its
    endpoints, binary floats, taken as the rationals they are (never rounded again)."""
    mpmath.iv.dps = _DPS
    lo = f(mpmath.iv.mpf(x.lo.numerator) / x.lo.denominator)
    hi = f(mpmath.iv.mpf(x.hi.numerator) / x.hi.denominator)
    low, high = (mpmath.libmp.to_rational(lo._mpi_[0]), mpmath.libmp.to_rational(hi._mpi_[1]))
    return _Interval(Fraction(*low), Fraction(*high))


def _exp(x):
    if isinstance(x, _Dual):
        e = _exp(x.v)
        return _Dual(e, e * x.d)
    if not isinstance(x, _Interval) and x == 0:
        return Fraction(1)
    return _enclose(mpmath.iv.exp, _iv(x))


def _log(x):
    if isinstance(x, _Dual):
        return _Dual(_log(x.v), x.d / x.v)
    if not isinstance(x, _Interval) and x == 1:
        return Fraction(0)
    x = _iv(x)
    if x.lo <= 0:
        raise NoReplay("the log of a number that may not be positive")
    return _enclose(mpmath.iv.log, x)


def elementary(kind: str, x):
    """exp, log, the logistic sigma, tanh and the derivatives of the last two, in exact or interval arithmetic (with
    the derivative carried when x is a dual number)."""
    if kind == "exp":
        return _exp(x)
    if kind == "log":
        return _log(x)
    if kind in ("sigma", "dsigma"):
        s = 1 / (1 + _exp(-x))
        return s if kind == "sigma" else s * (1 - s)
    if kind in ("tanh", "dtanh"):
        e = _exp(2 * x)
        t = (e - 1) / (e + 1)
        return t if kind == "tanh" else 1 - t * t
    raise NoReplay(f"{kind} is not replayed")


def _iv(x):
    if isinstance(x, _Interval):
        return x
    if isinstance(x, _Dual):
        if not (isinstance(x.d, Fraction) and x.d == 0):
            raise NoReplay("a dual number's derivative would be dropped")
        x = x.v
    return _iv(x) if isinstance(x, _Interval) else _Interval(x)


def _sqrt(x: _Interval) -> _Interval:
    if x.lo < 0:
        raise NoReplay("the square root of a negative bound")
    if x.lo == x.hi:  # the root of an exact square is exact (the norm of [3/2] is 3/2): a strict relation can fail
        top, bottom = isqrt(x.lo.numerator), isqrt(x.lo.denominator)
        if top * top == x.lo.numerator and bottom * bottom == x.lo.denominator:
            return _Interval(Fraction(top, bottom))
    scale = 4 ** _BITS

    def low(q):
        return Fraction(isqrt(q.numerator * scale // q.denominator), 2 ** _BITS)

    return _Interval(low(x.lo), low(x.hi) + Fraction(1, 2 ** _BITS))


def _positive_definite(S: list) -> bool:
    """Every leading principal minor positive (Gaussian elimination, exact)."""
    A = [row[:] for row in S]
    n = len(A)
    for k in range(n):
        if A[k][k] <= 0:
            return False
        for i in range(k + 1, n):
            f = A[i][k] / A[k][k]
            for j in range(k, n):
                A[i][j] -= f * A[k][j]
    return True


def _largest_eigenvalue(S: list) -> _Interval:
    """Bounds on the largest eigenvalue of a symmetric positive semidefinite matrix: x is above it exactly when xI - S
    is positive definite."""
    n = len(S)
    lo, hi = Fraction(0), sum((S[i][i] for i in range(n)), Fraction(0)) + 1
    for _ in range(_STEPS):
        mid = (lo + hi) / 2
        shifted = [[(mid if i == j else 0) - S[i][j] for j in range(n)] for i in range(n)]
        if _positive_definite(shifted):
            hi = mid
        else:
            lo = mid
    return _Interval(lo, hi)


def _plain(x):
    return x.v if isinstance(x, _Dual) else x


class _Replay:
    def __init__(self, model, example: dict, direction: Optional[tuple] = None) -> None:
        self.model, self.example = model, example
        self.values = example["values"]
        self.indices = dict(example.get("indices", {}))
        self.layout = example.get("layout", "column")
        self.direction = direction  # (key, i, j): the entry whose derivative the duals carry
        self.shapes_only = example.get("shapes_only", False)

    def key(self, letter: str, index) -> str:
        if index is None:
            return letter
        v = index.xreplace({s: __import__("sympy").Integer(self.indices[s.name]) for s in index.free_symbols})
        return f"{letter}_{int(v)}"

    def name(self, letter: str, index):
        key = self.key(letter, index)
        if self.direction is not None and key == self.direction[0]:
            return self._seeded(key)
        if index is None and isinstance(self.indices.get(letter), int):
            return Fraction(self.indices[letter])  # an index read as a number (k of \sum_k k A)
        if key in self.values:
            return _read(self.values[key])
        eq = self._equation(letter, self._at(index))
        if eq is not None:
            var, value, body = eq
            saved = dict(self.indices)
            if var is not None:
                self.indices[var] = value
            try:
                return self.ev(body)
            finally:
                self.indices = saved
        shapes = self.example.get("shapes", {})
        if self.shapes_only and (key in shapes or letter in shapes):
            r, c = shapes[key] if key in shapes else shapes[letter]
            return [[Fraction(0)] * c for _ in range(r)] if (r, c) != (0, 0) else Fraction(0)
        raise NoReplay(f"no value of {key}")

    def _size(self, size) -> Optional[int]:
        """The size of a sized I or vector of ones (I_n, I_3, 1_n) at the counterexample: a number, or the value its sizes
        give the name; None for one the sides size (I, 1), or a name they do not give."""
        if isinstance(size, int) and not isinstance(size, bool):
            return size if size >= 0 else None
        value = self.example.get("sizes", {}).get(size) if isinstance(size, str) else None
        return int(value) if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    def _seeded(self, key: str):
        _, i0, j0, M = self.direction
        if not isinstance(M, list):
            return _Dual(M, 1)
        return [[_Dual(x, 1 if (i, j) == (i0, j0) else 0) for j, x in enumerate(row)] for i, row in enumerate(M)]

    def _at(self, index) -> Optional[int]:
        if index is None:
            return None
        import sympy
        return int(index.xreplace({s: sympy.Integer(self.indices[s.name]) for s in index.free_symbols}))

    def _equation(self, letter: str, at: Optional[int]):
        import sympy
        for pattern, body in self.model.equations.get(letter, ()):
            if pattern is None or at is None:
                if pattern is None and at is None:
                    return None, None, body
                continue
            free = sorted(pattern.free_symbols, key=str)
            if not free:
                if int(pattern) == at:
                    return None, None, body
                continue
            (var,) = free
            value = sympy.solve(sympy.Eq(pattern, at), var)
            return var.name, int(value[0]), body
        return None

    def ev(self, n: Node):
        k, a = n.kind, n.args
        if k == "num":
            return n.data
        if k == "name":
            return self.name(*n.data)
        if k == "I":
            size = self._size(n.data)
            return _Eye(Fraction(1)) if size is None else _Eye(Fraction(1)).sized(size)
        if k == "ones":
            size = self._size(n.data)
            return _Ones(False) if size is None else [[Fraction(1)] for _ in range(size)]
        if k == "add":
            out = self.ev(a[0])
            for x in a[1:]:
                out = _add(out, self.ev(x))
            return out
        if k == "neg":
            return _times(Fraction(-1), self.ev(a[0]))
        if k == "mul":
            out = Fraction(1)
            for x in a:
                out = _times(out, self.ev(x))
            return out
        if k == "had":
            x, y = _strict(self.ev(a[0])), _strict(self.ev(a[1]))
            if isinstance(x, list) and isinstance(y, list):
                if (len(x), len(x[0])) != (len(y), len(y[0])):
                    raise _ShapeFails()
                return [[p * q for p, q in zip(r, s)] for r, s in zip(x, y)]
            return _times(x, y)
        if k == "div":
            d = _strict(self.ev(a[1]))
            if isinstance(d, list):
                d = _one(d)
            if _may_be_zero(_plain(d)):
                raise NoReplay("a division by zero")
            inverse = _Dual(1) / _dual(d) if isinstance(d, _Dual) else 1 / d if isinstance(d, _Interval) else 1 / Fraction(d)
            return _times(inverse, self.ev(a[0]))
        if k == "T":
            v = self.ev(a[0])
            if isinstance(v, _Ones):
                return _Ones(not v.row, v.c)
            return [list(col) for col in zip(*v)] if isinstance(v, list) else v
        if k == "inv":
            v = self.ev(a[0])
            if isinstance(v, _Eye):
                if isinstance(v.c, (_Dual, _Interval)) or v.c == 0:
                    raise NoReplay("the inverse of a multiple of I that is not a plain nonzero number")
                return _Eye(1 / Fraction(v.c))
            return _inverse(_strict(v))
        if k == "pow" and n.data == 2 and a[0].kind == "norm":
            v = _strict(self.ev(a[0].args[0]))  # a squared vector or Frobenius norm: a sum of squares, exactly
            if isinstance(v, list) and (len(v) == 1 or len(v[0]) == 1 or a[0].data == "F" or self.model.matrix_norm == "F"):
                return sum((x * x for row in v for x in row), Fraction(0))
            if not isinstance(v, list):
                return v * v
            return _times(self.norm(v, a[0].data), self.norm(v, a[0].data))
        if k == "pow":
            v = self.ev(a[0])
            out = v
            for _ in range(n.data - 1):
                out = _times(out, v)
            return out
        if k == "norm":
            return self.norm(_strict(self.ev(a[0])), n.data)
        if k == "tr":
            v = _strict(self.ev(a[0]))
            if not isinstance(v, list):
                return v
            if len(v) != len(v[0]):
                raise _ShapeFails()
            return sum((v[i][i] for i in range(len(v))), Fraction(0))
        if k in ("Diag", "diag"):
            v = _strict(self.ev(a[0]))
            if isinstance(v, list) and len(v[0]) == 1:
                return [[v[i][0] if i == j else Fraction(0) for j in range(len(v))] for i in range(len(v))]
            if isinstance(v, list) and k == "diag" and len(v) == len(v[0]):
                return [[v[i][i]] for i in range(len(v))]
            if isinstance(v, list):
                raise _ShapeFails()
            return v
        if k == "elem":
            v = _strict(self.ev(a[0]))
            if self.shapes_only:  # a counterexample of shapes: only the sizes matter
                return [[Fraction(1)] * len(v[0]) for _ in v] if isinstance(v, list) else Fraction(1)
            return [[elementary(n.data, x) for x in row] for row in v] if isinstance(v, list) else elementary(n.data, v)
        if k == "softmax":
            v = _strict(self.ev(a[0]))
            if not isinstance(v, list):
                return Fraction(1)
            exps = [[_exp(x) for x in row] for row in v]
            total = sum((x for row in exps for x in row), Fraction(0))
            return [[x / total for x in row] for row in exps]
        if k == "at":
            v = _strict(self.ev(a[0]))
            if not isinstance(v, list):
                raise _ShapeFails()
            row, col = (None if i is None else int(i.xreplace({s: __import__("sympy").Integer(self.indices[s.name])
                                                                  for s in i.free_symbols})) for i in n.data)
            if col is None:
                flat = [x for r in v for x in r] if len(v) == 1 or len(v[0]) == 1 else None
                if flat is None:
                    raise _ShapeFails()
                if not 1 <= row <= len(flat):
                    raise NoReplay("an entry past the end of a vector")
                return flat[row - 1]
            if not (1 <= row <= len(v) and 1 <= col <= len(v[0])):
                raise NoReplay("an entry past the end of a matrix")
            return v[row - 1][col - 1]
        if k == "entry":
            v = _strict(self.ev(a[0]))
            at = self._at(n.data)
            flat = [x for row in v for x in row] if isinstance(v, list) and (len(v) == 1 or len(v[0]) == 1) else None
            if flat is None or not 1 <= at <= len(flat):
                raise _ShapeFails()
            return flat[at - 1]
        if k == "vec":
            saved = dict(self.indices)
            items = []
            for j in range(1, self._length(a[0], n.data) + 1):
                self.indices[n.data.name] = j
                items.append([self.ev(a[0])])
            self.indices = saved
            return items
        if k in ("apply", "dapply"):
            v = _strict(self.ev(a[0]))
            f = lambda x: self.function(n.data, x, k == "dapply")  # noqa: E731
            return [[f(x) for x in row] for row in v] if isinstance(v, list) else f(v)
        if k == "grad":
            return self.gradient(*a)
        if k == "hess":
            return self.hessian(*a)
        if k in ("prod", "sum"):
            var, lo, hi = n.data
            import sympy
            if hi is None:
                hi = sympy.Integer(self._length(a[0], var))
            subs = {s: sympy.Integer(self.indices[s.name]) for s in lo.free_symbols | hi.free_symbols}
            lo_v, hi_v = int(lo.xreplace(subs)), int(hi.xreplace(subs))
            saved = dict(self.indices)
            out = None
            for j in range(lo_v, hi_v + 1):
                self.indices[var.name] = j
                term = self.ev(a[0])
                out = term if out is None else (_times(out, term) if k == "prod" else _add(out, term))
            self.indices = saved
            if out is None:
                raise NoReplay("an empty product or sum")
            return out
        raise NoReplay(f"{k} is not replayed")

    def _length(self, body: Node, var) -> int:
        from proofs.scan.elementwise import entry_axes, entry_vectors
        lengths = set()
        for vector in entry_vectors(body, var):
            v = self.ev(vector)
            if not isinstance(v, list) or (len(v) != 1 and len(v[0]) != 1):
                raise _ShapeFails()
            lengths.add(max(len(v), len(v[0])))
        for m, axis in entry_axes(body, var):
            v = _strict(self.ev(m))
            if not isinstance(v, list) or (axis is None and len(v) != 1 and len(v[0]) != 1):
                raise _ShapeFails()
            lengths.add(max(len(v), len(v[0])) if axis is None else (len(v), len(v[0]))[axis])
        if len(lengths) != 1:
            raise _ShapeFails()
        return lengths.pop()

    def function(self, name: str, x, derivative: bool):
        point = _plain(x)
        if self.shapes_only:
            return Fraction(0)
        text = f"{name}'({_text(point)})" if derivative else f"{name}({_text(point)})"
        if text not in self.values:
            raise NoReplay(f"no value of {text}")
        value = Fraction(self.values[text])
        if isinstance(x, _Dual) and not derivative:
            slope = f"{name}'({_text(point)})"
            if slope not in self.values:
                raise NoReplay(f"no value of {slope}")
            return _Dual(value, Fraction(self.values[slope]) * x.d)
        if isinstance(x, _Dual):
            if x.d != 0:
                raise NoReplay("a second derivative")
            return _Dual(value)
        return value

    def norm(self, v, kind: str):
        if not isinstance(v, list):
            x = _plain(v)
            return _Interval(abs(x))
        flat = [_plain(x) for row in v for x in row]
        if kind == "F" or len(v) == 1 or len(v[0]) == 1 or self.model.matrix_norm == "F":
            return _sqrt(_Interval(sum((x * x for x in flat), Fraction(0))))
        gram = [[sum((_plain(v[k][i]) * _plain(v[k][j]) for k in range(len(v))), Fraction(0)) for j in range(len(v[0]))]
                for i in range(len(v[0]))]
        return _sqrt(_largest_eigenvalue(gram))

    def gradient(self, target: Node, variable: Node):
        letter, index = variable.data
        key = self.key(letter, index)
        given = f"d{target.data[0]}/d{key}" if target.kind == "name" else None
        if given in self.values:
            g = _read(self.values[given])
            return [list(c) for c in zip(*g)] if self.layout == "row" and isinstance(g, list) else g
        if self.shapes_only:
            shapes = self.example["shapes"]
            r, c = shapes[key] if key in shapes else shapes[letter]
            if c == 1 and (target.kind != "name" or self.model.equations.get(target.data[0])):
                v = self.ev(target) if target.kind != "name" else self.name(*target.data)
                if isinstance(v, list) and (len(v) == 1 or len(v[0]) == 1) and (len(v), len(v[0])) != (1, 1):
                    k = max(len(v), len(v[0]))  # a Jacobian's shape: the variable's length by the vector's
                    return [[Fraction(0)] * (k if self.layout == "column" else r) for _ in range(r if self.layout == "column" else k)]
            return [[Fraction(0)] * (c if self.layout == "column" else r) for _ in range(r if self.layout == "column" else c)]
        point = self.name(letter, index)
        if isinstance(point, list):
            point = [[_plain(x) for x in row] for row in point]
        else:
            point = _plain(point)
        rows, cols = (len(point), len(point[0])) if isinstance(point, list) else (1, 1)
        out = [[Fraction(0)] * cols for _ in range(rows)]
        jacobian = []
        for i in range(rows):
            for j in range(cols):
                inner = _Replay(self.model, self.example, (key, i, j, point))
                inner.indices = dict(self.indices)
                value = inner.target(target, vector=True)
                if isinstance(value, list):  # a vector's entries: a row of the Jacobian (denominator layout)
                    if cols != 1 or not isinstance(point, list):
                        raise NoReplay("a derivative of a vector with respect to something other than a vector")
                    jacobian.append([_plain_d(x) for x in value])
                    continue
                out[i][j] = _plain_d(value)
        if jacobian:
            if len(jacobian) != rows:
                raise NoReplay("a derivative that is a vector at some entries only")
            return jacobian if self.layout == "column" else [list(c) for c in zip(*jacobian)]
        if not isinstance(point, list):
            return out[0][0]
        return out if self.layout == "column" else [list(c) for c in zip(*out)]

    def hessian(self, target: Node, variable: Node):
        """Each second derivative by hyper-dual numbers: the variable's entries p and q moved along e1 and e2."""
        letter, index = variable.data
        key = self.key(letter, index)
        point = self.name(letter, index)
        if self.shapes_only:
            n = len(point) if isinstance(point, list) else 1
            return [[Fraction(0)] * n for _ in range(n)] if isinstance(point, list) else Fraction(0)
        if isinstance(point, list) and len(point[0]) != 1:
            raise NoReplay("a Hessian with respect to a matrix")
        entries = [row[0] for row in point] if isinstance(point, list) else [point]
        out = []
        for p in range(len(entries)):
            row = []
            for q in range(len(entries)):
                inner = _Replay(self.model, self.example)
                inner.indices = dict(self.indices)
                moved = [_Hyper(x, int(i == p), int(i == q)) for i, x in enumerate(entries)]
                inner.values = {**self.values, key: [[x] for x in moved] if isinstance(point, list) else moved[0]}
                v = inner.ev(target) if target.kind != "name" else inner.name(*target.data)
                if isinstance(v, list):
                    if (len(v), len(v[0])) != (1, 1):
                        raise NoReplay("a Hessian of a matrix")
                    v = v[0][0]
                row.append(v.d if isinstance(v, _Hyper) else Fraction(0))
            out.append(row)
        return out if isinstance(point, list) else out[0][0]

    def target(self, target: Node, vector: bool = False):
        if target.kind != "name":
            v = self.ev(target)
        elif self.model.equations.get(target.data[0]):
            letter, index = target.data
            v = self.name(letter, index)
        else:
            letter = target.data[0]
            v = _Dual(0)
            for k, g in self.values.items():
                if k.startswith(f"d{letter}/d"):
                    b = k.split("/d", 1)[1]
                    b_letter, _, b_at = b.partition("_")
                    import sympy
                    inner = self.name(b_letter, sympy.Integer(int(b_at)) if b_at else None)
                    v = v + _dot(_read(g), inner)
        if isinstance(v, list):
            if vector and (len(v), len(v[0])) != (1, 1) and (len(v) == 1 or len(v[0]) == 1):
                return [_dual(x) for row in v for x in row]  # a vector's entries, for a Jacobian
            if (len(v), len(v[0])) != (1, 1):
                raise NoReplay("a derivative of a matrix")
            v = v[0][0]
        return _dual(v)


def _plain_d(x) -> Fraction:
    return x.d if isinstance(x, _Dual) else Fraction(0)


def _inverse(v):
    """The inverse by Gauss-Jordan elimination in fractions; NoReplay for a singular matrix."""
    if not isinstance(v, list):
        if _plain(v) == 0 or isinstance(v, _Dual):
            raise NoReplay("the inverse of zero or of a dual number")
        return 1 / Fraction(v)
    if len(v) != len(v[0]):
        raise _ShapeFails()
    if any(isinstance(x, _Dual) for row in v for x in row):
        raise NoReplay("the inverse of a matrix of dual numbers")
    n = len(v)
    rows = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(v)]
    for c in range(n):
        p = next((r for r in range(c, n) if rows[r][c] != 0), None)
        if p is None:
            raise NoReplay("the inverse of a singular matrix")
        rows[c], rows[p] = rows[p], rows[c]
        rows[c] = [x / rows[c][c] for x in rows[c]]
        for r in range(n):
            if r != c and rows[r][c] != 0:
                f = rows[r][c]
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[c])]
    return [row[n:] for row in rows]


def _dot(g, h):
    if not isinstance(g, list):
        return _dual(h) * g
    return sum((_dual(h[i][j]) * g[i][j] for i in range(len(g)) for j in range(len(g[0]))), _Dual(0))


def _text(x: Fraction) -> str:
    return str(Fraction(x))


def _read(v):
    if isinstance(v, list):
        return [[x if isinstance(x, _Hyper) else Fraction(x) for x in row] for row in v]
    return v if isinstance(v, _Hyper) else Fraction(v)


def _one(m):
    if len(m) == 1 and len(m[0]) == 1:
        return m[0][0]
    raise _ShapeFails()


def _add(x, y):
    if isinstance(x, _Eye) and isinstance(y, _Eye):
        return _Eye(x.c + y.c)
    if isinstance(x, _Eye) or isinstance(y, _Eye):
        e, m = (x, y) if isinstance(x, _Eye) else (y, x)
        if not isinstance(m, list):
            raise NoReplay("a sum with I whose size the step does not fix")
        if len(m) != len(m[0]):
            raise _ShapeFails()
        return [[v + (e.c if i == j else 0) for j, v in enumerate(row)] for i, row in enumerate(m)]
    if isinstance(x, _Ones) or isinstance(y, _Ones):
        o, m = (x, y) if isinstance(x, _Ones) else (y, x)
        if not isinstance(m, list) or (len(m[0]) if not o.row else len(m)) != 1:
            raise NoReplay("a sum with a vector of ones whose length the step does not fix")
        return [[v + o.c for v in row] for row in m]
    if isinstance(x, list) and isinstance(y, list):
        if (len(x), len(x[0])) != (len(y), len(y[0])):
            raise _ShapeFails()
        return [[p + q for p, q in zip(r, s)] for r, s in zip(x, y)]
    if isinstance(x, list) or isinstance(y, list):
        m, s = (x, y) if isinstance(x, list) else (y, x)
        if len(m) == 1 or len(m[0]) == 1:
            return [[e + s for e in row] for row in m]  # a number added to each entry of a vector
        return _one(m) + s
    if isinstance(x, _Interval) or isinstance(y, _Interval):
        return _iv(x) + _iv(y)
    return x + y


def _times(x, y):
    if isinstance(x, _Eye) and isinstance(y, _Eye):
        return _Eye(x.c * y.c)
    if isinstance(x, _Eye) or isinstance(y, _Eye):
        e, other = (x, y) if isinstance(x, _Eye) else (y, x)
        if isinstance(other, list):
            return [[e.c * v for v in row] for row in other]
        if isinstance(other, (_Dual, _Interval, _Ones)) or isinstance(e.c, (_Dual, _Interval)):
            raise NoReplay("a multiple of I by something other than a plain number")
        return _Eye(e.c * Fraction(other))
    if isinstance(x, _Ones) or isinstance(y, _Ones):
        o, other = (x, y) if isinstance(x, _Ones) else (y, x)
        # 1^T M: the sums of M's columns; M 1: the sums of its rows
        if isinstance(x, _Ones) and x.row and isinstance(y, list):
            return [[x.c * sum((row[j] for row in y), Fraction(0)) for j in range(len(y[0]))]]
        if isinstance(y, _Ones) and not y.row and isinstance(x, list):
            return [[y.c * sum(row, Fraction(0))] for row in x]
        # s 1^T or 1 s for a 1 x 1 s (1^T p 1^T z), and a number times it; any other product leaves the length open
        if isinstance(other, list) and (len(other), len(other[0])) == (1, 1) and (other is x) == o.row:
            other = other[0][0]
        if not isinstance(other, (list, _Dual, _Interval, _Ones)):
            return _Ones(o.row, o.c * Fraction(other))
        raise NoReplay("a product with a vector of ones whose length the step does not fix")
    if isinstance(x, list) and isinstance(y, list):
        if len(x[0]) != len(y):
            if (len(x), len(x[0])) == (1, 1):
                return _times(x[0][0], y)
            if (len(y), len(y[0])) == (1, 1):
                return _times(x, y[0][0])
            raise _ShapeFails()
        return [[sum((x[i][k] * y[k][j] for k in range(len(y))), Fraction(0)) for j in range(len(y[0]))] for i in range(len(x))]
    if isinstance(x, list):
        return [[v * y for v in row] for row in x] if not isinstance(y, _Interval) else [[_iv(v) * y for v in row] for row in x]
    if isinstance(y, list):
        return _times(y, x)
    if isinstance(x, _Interval) or isinstance(y, _Interval):
        return _iv(x) * _iv(y)
    return x * y


def _fails(x, relation: str, y) -> bool:
    """Whether the relation certainly fails between two plain values (bounds must be apart)."""
    if _lazy(x) and _lazy(y):
        if not (isinstance(x, _Eye) and isinstance(y, _Eye)):
            raise NoReplay("vectors of ones whose length the step does not fix")
        x, y = x.c, y.c  # c I against d I: at every size, as c against d
    elif _lazy(x) or _lazy(y):
        lazy, m = (x, y) if _lazy(x) else (y, x)
        if not isinstance(m, list):
            raise NoReplay("an I or a vector of ones against a number")
        if isinstance(lazy, _Ones):
            if (len(m[0]) if not lazy.row else len(m)) != 1:
                raise NoReplay("a vector of ones against a matrix")
            sized = [[lazy.c] * len(m[0]) for _ in m]
        else:
            sized = lazy.sized(len(m))
        x, y = (sized, m) if _lazy(x) else (m, sized)
    if isinstance(x, list) or isinstance(y, list):
        if isinstance(x, list) and isinstance(y, list):
            if (len(x), len(x[0])) != (len(y), len(y[0])):
                if (len(x), len(x[0])) == (1, 1) or (len(y), len(y[0])) == (1, 1):
                    raise _ShapeFails()
                return True  # sides of different shapes
            if relation == "=":
                return any(_apart(p, q) for r, s in zip(x, y) for p, q in zip(r, s))
            if relation == "!=":
                return all(_exactly_equal(p, q) for r, s in zip(x, y) for p, q in zip(r, s))
            return False
        x = _one(x) if isinstance(x, list) else x
        y = _one(y) if isinstance(y, list) else y
    a, b = _iv(x), _iv(y)
    if relation == "=":
        return a.hi < b.lo or b.hi < a.lo
    if relation == "!=":
        return a.lo == a.hi == b.lo == b.hi
    if relation == "<=":
        return a.lo > b.hi
    if relation == "<":
        return a.lo >= b.hi
    if relation == ">=":
        return a.hi < b.lo
    if relation == ">":
        return a.hi <= b.lo
    return False


def _apart(p, q) -> bool:
    """Whether two plain values certainly differ: exact fractions that differ, or bounds that do not meet."""
    a, b = _plain(p), _plain(q)
    if isinstance(a, _Interval) or isinstance(b, _Interval):
        a, b = _iv(a), _iv(b)
        return a.hi < b.lo or b.hi < a.lo
    return a != b


def _exactly_equal(p, q) -> bool:
    a, b = _plain(p), _plain(q)
    return not isinstance(a, _Interval) and not isinstance(b, _Interval) and a == b


def replay(left: Node, relation: str, right: Node, model, example: dict) -> bool:
    """Whether the counterexample makes the step fail when evaluated plainly again: its values give the relation
    false, or (a counterexample of shapes) the sides cannot be multiplied or compared at its sizes."""
    shapes_only = example.get("shapes_only", False)
    r = _Replay(model, example)
    for letter, total in getattr(model, "totals", {}).items():
        if letter in example.get("values", {}) and not shapes_only:
            v = _read(example["values"][letter])  # a stated sum of entries must hold exactly at the counterexample
            if not isinstance(v, list) or sum((x for row in v for x in row), Fraction(0)) != total:
                return False
    try:
        x, y = r.ev(left), r.ev(right)
    except _ShapeFails:
        return True
    except (NoReplay, KeyError, ValueError, ZeroDivisionError, IndexError, TypeError):
        return False
    if shapes_only:
        try:
            _fails(x, relation, y)
        except _ShapeFails:
            return True
        except (NoReplay, ValueError, ZeroDivisionError, IndexError, TypeError):
            return False
        return isinstance(x, list) and isinstance(y, list) and bool(x) and bool(y) and \
            (len(x), len(x[0])) != (len(y), len(y[0]))
    try:
        return _fails(x, relation, y)
    except _ShapeFails:
        return True
    except (NoReplay, ValueError, ZeroDivisionError, IndexError, TypeError):
        return False


def holds(left: Node, relation: str, right: Node, model, example: dict) -> bool:
    """Whether a relation the material states of the counterexample's names (a fact: ||x|| = 1) certainly holds there,
    evaluated plainly: two numbers exactly equal, or bounds that settle an inequality; False wherever it cannot be
    evaluated or decided (a fact of every member of a family, a value an interval only encloses)."""
    r = _Replay(model, example)
    try:
        x, y = r.ev(left), r.ev(right)
        x, y = (_one(x) if isinstance(x, list) else x), (_one(y) if isinstance(y, list) else y)
        if _lazy(x) or _lazy(y):
            return False
        a, b = _iv(_plain(x)), _iv(_plain(y))
        if relation == "=":  # (bounds that meet at one number are that number: the norm of a rational unit vector)
            return a.lo == a.hi == b.lo == b.hi
    except (NoReplay, _ShapeFails, KeyError, ValueError, ZeroDivisionError, IndexError, TypeError):
        return False
    return {"<=": a.hi <= b.lo, "<": a.hi < b.lo, ">=": a.lo >= b.hi, ">": a.lo > b.hi}.get(relation, False)
