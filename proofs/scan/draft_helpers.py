"""The helpers a drafted matrix claim is written with: the scan's matrix semantics over the statement form's terms."""

__all__ = ["HELPERS"]

# Matrices are lists of rows of terms; a 1×1 matrix beside a number is that number (as proofs.scan.instances reads it);
# `_I` is the identity, of the size it is used at. A product, sum or side whose shapes do not fit raises _Misfit, and
# `_holds` makes that a false statement: the printed step fails there, as the scan's counterexample of shapes says.
HELPERS = '''

class _Misfit(Exception):
    """Shapes that do not fit."""


_I = "I"


def _is_m(x):
    return isinstance(x, list)


def _shape(x):
    return f"{len(x)}x{len(x[0])}" if _is_m(x) else "a number"


def _eye(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def _t(m):
    return [list(c) for c in zip(*m)] if _is_m(m) else m


def _scale(s, m):
    if m is _I or s is _I:
        raise NotImplementedError("a multiple of I whose size the step does not fix")
    return [[s * v for v in row] for row in m] if _is_m(m) else s * m


def _add(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = _add2(out, x)
    return out


def _add2(x, y):
    if x is _I or y is _I:
        m = y if x is _I else x
        if not _is_m(m) or len(m) != len(m[0]):
            raise _Misfit(f"I added to {_shape(m)}")
        return _add2(m, _eye(len(m)))
    if _is_m(x) and _is_m(y):
        if (len(x), len(x[0])) != (len(y), len(y[0])):
            raise _Misfit(f"a sum of {_shape(x)} and {_shape(y)}")
        return [[p + q for p, q in zip(r, s)] for r, s in zip(x, y)]
    if _is_m(x) or _is_m(y):
        m, s = (x, y) if _is_m(x) else (y, x)
        if (len(m), len(m[0])) == (1, 1):
            return m[0][0] + s
        if len(m) == 1 or len(m[0]) == 1:  # 1 - h for a vector h: the number added to each entry
            return [[v + s for v in row] for row in m]
        raise NotImplementedError("a number added to a matrix")
    return x + y


def _mul(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = _mul2(out, x)
    return out


def _mul2(x, y):
    if x is _I or y is _I:
        return y if x is _I else x
    if _is_m(x) and _is_m(y):
        if len(x[0]) != len(y):
            if (len(x), len(x[0])) == (1, 1):
                return _scale(x[0][0], y)
            if (len(y), len(y[0])) == (1, 1):
                return _scale(y[0][0], x)
            raise _Misfit(f"a product of {_shape(x)} and {_shape(y)}")
        return matmul(x, y)
    if _is_m(x):
        return _scale(y, x)
    if _is_m(y):
        return _scale(x, y)
    return x * y


def _had(a, b):
    if not (_is_m(a) and _is_m(b)):
        return _mul2(a, b)
    if (len(a), len(a[0])) != (len(b), len(b[0])):
        raise _Misfit(f"an elementwise product of {_shape(a)} and {_shape(b)}")
    return [[p * q for p, q in zip(r, s)] for r, s in zip(a, b)]


def _number(x):
    if _is_m(x):
        if (len(x), len(x[0])) != (1, 1):
            raise _Misfit(f"{_shape(x)} where a number is")
        return x[0][0]
    return x


def _recip(d):
    return Fraction(1, d) if isinstance(d, int) else 1 / d


def _div(a, b):
    return _scale(_recip(_number(b)), a)


def _abs(x):
    return abs(_number(x))


def _pow(x, n):
    out = x
    for _ in range(n - 1):
        out = _mul2(out, x)
    return out


def _tr(m):
    if not _is_m(m):
        return m
    if len(m) != len(m[0]):
        raise _Misfit(f"the trace of {_shape(m)}")
    return _add(*[m[i][i] for i in range(len(m))])


def _Diag(v):
    if not _is_m(v):
        return v
    if len(v[0]) != 1:
        raise _Misfit(f"Diag of {_shape(v)}")
    return [[v[i][0] if i == j else 0 for j in range(len(v))] for i in range(len(v))]


def _diag(v):
    if _is_m(v) and len(v[0]) != 1 and len(v) == len(v[0]):
        return [[v[i][i]] for i in range(len(v))]
    return _Diag(v)


def _det(m):
    if not _is_m(m):
        return m
    if len(m) != len(m[0]):
        raise _Misfit(f"the determinant of {_shape(m)}")
    if len(m) == 1:
        return m[0][0]
    return _add(*[(-1) ** j * m[0][j] * _det(_minor(m, 0, j)) for j in range(len(m))])


def _definite(m):
    """Positive definite: symmetric with every leading principal minor positive (Sylvester's criterion)."""
    if not _is_m(m):
        return m > 0
    out = _eq(m, _t(m))
    for k in range(1, len(m) + 1):
        out = out & (_det([row[:k] for row in m[:k]]) > 0)
    return out


def _minor(m, i, j):
    return [row[:j] + row[j + 1:] for k, row in enumerate(m) if k != i]


def _inv(m):
    """The inverse by cofactors: it has no value where the determinant is 0."""
    if not _is_m(m):
        return _recip(m)
    if len(m) != len(m[0]):
        raise _Misfit(f"the inverse of {_shape(m)}")
    if len(m) == 1:
        return [[_recip(m[0][0])]]
    d = _recip(_det(m))
    return [[(-1) ** (i + j) * _det(_minor(m, j, i)) * d for j in range(len(m))] for i in range(len(m))]


def _map(f, m):
    return [[f(v) for v in row] for row in m] if _is_m(m) else f(m)


def _dsigmoid(v):
    return sigmoid(v) * (1 - sigmoid(v))


def _dtanh(v):
    return 1 - tanh(v) * tanh(v)


def _softmax(v):
    if not _is_m(v) or len(v[0]) != 1:
        raise _Misfit(f"softmax of {_shape(v)}")
    total = _add(*[exp(row[0]) for row in v])
    return [[exp(row[0]) / total] for row in v]


def _entry(v, i):
    """Entry i (from 1) of a vector, a column or a row."""
    if not _is_m(v) or (len(v) != 1 and len(v[0]) != 1):
        raise _Misfit(f"an entry of {_shape(v)}")
    return v[i - 1][0] if len(v[0]) == 1 else v[0][i - 1]


def _count(v):
    if not _is_m(v) or (len(v) != 1 and len(v[0]) != 1):
        raise _Misfit(f"the entries of {_shape(v)}")
    return max(len(v), len(v[0]))


def _sum(f, v):
    return _add(*[f(i) for i in range(1, _count(v) + 1)])


def _vec(f, v):
    return [[_number(f(i))] for i in range(1, _count(v) + 1)]


def _with_total(v, total):
    """The vector with its last entry the stated total less the others: every vector whose entries sum to it."""
    rest = [row[0] for row in v[:-1]]
    return [[x] for x in rest] + [[total - _add(0, *rest)]]


def _sq(m, kind):
    if not _is_m(m):
        return m * m
    if kind != "F" and len(m) > 1 and len(m[0]) > 1:
        return _largest_eigenvalue(_gram(m))
    return _add(*[v * v for row in m for v in row])


def _gram(m):
    """The smaller of M^T M and M M^T: its largest eigenvalue is the square of M's operator 2-norm."""
    return matmul(_t(m), m) if len(m[0]) <= len(m) else matmul(m, _t(m))


def _largest_eigenvalue(g):
    """Of a 2 x 2 symmetric positive semidefinite matrix, in closed form: (t + sqrt(t^2 - 4 det)) / 2."""
    if len(g) != 2:
        raise NotImplementedError("the operator 2-norm of a matrix with more than two rows and columns")
    t, d = g[0][0] + g[1][1], g[0][0] * g[1][1] - g[0][1] * g[1][0]
    return (t + sqrt(t * t - 4 * d)) / 2


def _norm(m, kind):
    if not _is_m(m):
        return abs(m)
    return sqrt(_sq(m, kind))


def _grad(value, variable, layout):
    """The gradient of a number with respect to each entry of the variable: its shape (denominator layout), or its
    transpose (numerator layout)."""
    value = _number(value)
    if not _is_m(variable):
        return diff(value, variable)
    g = [[diff(value, v) for v in row] for row in variable]
    return _t(g) if layout == "row" else g


def _eq(a, b):
    if a is _I or b is _I:
        m = b if a is _I else a
        a, b = m, _eye(len(m))
    if _is_m(a) and _is_m(b) and (len(a), len(a[0])) == (len(b), len(b[0])):
        pairs = [(p, q) for r, s in zip(a, b) for p, q in zip(r, s)]
        out = pairs[0][0] == pairs[0][1]
        for p, q in pairs[1:]:
            out = out & (p == q)
        return out
    return _number(a) == _number(b)


def _holds(sides, relation):
    """The relation between the two sides the thunk computes; false where their shapes do not fit."""
    try:
        left, right = sides()
        if relation == "==":
            return _eq(left, right)
        if relation == "!=":
            return ~_eq(left, right)
        left, right = _number(left), _number(right)
    except _Misfit:
        return const(0) == const(1)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[relation]
'''
