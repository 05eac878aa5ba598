"""Generated statements over vectors of two independent symbolic sizes (Size("m"), Size("V")), with their truth known
without the engine.

A true case is true for every size by construction: an additive model's log-odds interaction vanishes, a distribution
that never reads y does not depend on it, a product is linear, a one-hot reads one column, softmax of log
probabilities gives them back. A planted change (a pair representation, y read through R, a factor 2, another column,
a one-hot past its size, a context read swapped) is false only once numpy, in
floating point with random Gaussian values at the least sizes, finds where it fails, or (a one-hot past its size) by
its definition. A table's odds cross-ratio beside an interaction is not 1 exactly when plain Fractions say so.
Nothing here uses sympy, z3 or the engine's evaluator.
"""

from fractions import Fraction

import numpy as np
from oracle_sized import SizedCase as ShapedCase  # one generated statement: build() gives the claim; truth as fixed here

from proofs import (Distributions, Function, IndexOf, IntRange, Matrix, OneOf, Real, Size, Vector, concat, elementwise, forall,
                    number, onehot, softmax)


def _onehot(i: int, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[i] = 1.0
    return out


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _fails(check, draws: int = 20) -> bool:
    """Whether check(rng) -> (lhs, rhs) clearly differs for some draw."""
    rng = np.random.default_rng(2024)
    return any(not np.allclose(*check(rng), atol=1e-6) for _ in range(draws))


def _interaction(draw, name: str) -> ShapedCase:
    """l(a,b) + l(c,d) - l(a,d) - l(c,b) = 0 for l the logit gap of two words: true for the concatenation of one-hots
    (additive in the two contexts); the pair representation is false where a != c and b != d (numpy)."""
    least = draw.int(2, 3)
    a, c = draw.pick(range(least)), draw.pick(range(least))
    b, d = draw.pick(range(least)), draw.pick(range(least))
    x, y = draw.pick(range(least)), draw.pick(range(least))
    pair = draw.int(0, 1) == 1
    truth = not pair
    if pair:
        def check(rng):
            P = rng.standard_normal((least, least + least * least))
            z = lambda p, q: P @ np.concatenate([_onehot(p, least), _onehot(p * least + q, least * least)])  # noqa: E731
            l = lambda p, q: z(p, q)[x] - z(p, q)[y]  # noqa: E731, E741
            return np.array([l(a, b) + l(c, d) - l(a, d) - l(c, b)]), np.array([0.0])
        truth = not _fails(check)

    def build():
        V = Size("V", at_least=least)

        def body(U: Matrix(Real, V, 2 * V), P: Matrix(Real, V, V + V * V)):
            def l(p, q):
                z = (P @ concat(onehot(p, V), onehot(p * V + q, V * V)) if pair else U @ concat(onehot(p, V), onehot(q, V))) - 1
                return z[x] - z[y]
            return l(a, b) + l(c, d) - l(a, d) - l(c, b) == 0
        return forall(f"oracle.ex3.d.{name}", "generated log-odds interaction")(body)
    return ShapedCase(name, f"interaction ({a},{b}),({c},{d}) words {x},{y}, {'pair' if pair else 'concat'}", build, truth)


def _independence(draw, name: str) -> ShapedCase:
    """softmax(U f(W x + c) + e) is the same for any two y: true when y is never read; read through R y it is false
    (numpy, with f the identity, which is one of the functions the statement is claimed for)."""
    shift, outer = draw.pick((-1, 0, 1)), draw.pick((-1, 0, 2))
    reads = draw.int(0, 1) == 1

    def check(rng):
        W, R, U = rng.standard_normal((1, 2)), rng.standard_normal((1, 1)), rng.standard_normal((2, 1))
        x, y1, y2 = rng.standard_normal(2), rng.standard_normal(1), rng.standard_normal(1)
        dist = lambda y: _softmax(U @ (W @ x + shift + (R @ y if reads else 0)) + outer)  # noqa: E731
        return dist(y1), dist(y2)
    truth = not _fails(check)
    if reads and truth:
        raise AssertionError("a recurrence that numpy cannot tell apart")
    f = Function("g")

    def build():
        m, V = Size("m"), Size("V")

        def body(W: Matrix(Real, m, V), R: Matrix(Real, m, m), U: Matrix(Real, V, m), x: Vector(Real, V), y: Vector(Real, m),
                 y2: Vector(Real, m)):
            def dist(h):
                pre = W @ x + shift
                return softmax(U @ elementwise(f, pre + R @ h if reads else pre) + outer)
            return dist(y) == dist(y2)
        return forall(f"oracle.ex3.b.{name}", "generated independence of a state")(body)
    return ShapedCase(name, f"independence, reads y: {reads}", build, truth)


def _linear(draw, name: str) -> ShapedCase:
    """(A (u + v))_i = (A u)_i + k (A v)_i: true for k = 1 by linearity, false for k = 2 (numpy)."""
    k, row = draw.pick((1, 2)), draw.int(0, 1)

    def check(rng):
        A, u, v = rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal(3)
        return np.array([(A @ (u + v))[row]]), np.array([(A @ u)[row] + k * (A @ v)[row]])
    truth = not _fails(check)

    def build():
        m, n = Size("m", at_least=2), Size("n")

        def body(A: Matrix(Real, m, n), u: Vector(Real, n), v: Vector(Real, n)):
            return (A @ (u + v))[row] == (A @ u)[row] + k * (A @ v)[row]
        return forall(f"oracle.ex5.a.{name}", "generated linearity of entries")(body)
    return ShapedCase(name, f"linearity, k = {k}", build, truth)


def _column(draw, name: str) -> ShapedCase:
    """(A onehot(c, V))_r = A[r, c'] : true for c' = c; false for another column (numpy); a one-hot past the least
    size has no value there, so the statement is false by definition."""
    least = draw.int(2, 3)
    r, c = draw.int(0, 1), draw.pick(range(least + 1))
    other = draw.pick(range(least))

    def check(rng):
        A = rng.standard_normal((2, least))
        return np.array([A[r, c]]), np.array([A[r, other]])
    truth = c < least and not _fails(check)

    def build():
        m, V = Size("m", at_least=2), Size("V", at_least=least)

        def body(A: Matrix(Real, m, V)):
            return (A @ onehot(c, V))[r] == A[r, other]
        return forall(f"oracle.ex3.e.{name}", "generated column of a one-hot product")(body)
    return ShapedCase(name, f"column {c} read as {other} of {least}+", build, truth)


def _table(draw, name: str) -> ShapedCase:
    """softmax(s log T[:, c'] - 1) = T[:, c] for a table whose columns are distributions: true for s = 1 and c' = c
    (exp(log p) = p, and a distribution sums to 1); a factor s = 2 or the context read swapped is false (numpy, at
    two words, random positive tables)."""
    scale, swap, least = draw.pick((1, 1, 2)), draw.int(0, 1) == 1, draw.int(1, 2)

    def check(rng):
        n = 2
        T = rng.uniform(0.1, 1.0, (n, n * n))
        T /= T.sum(axis=0)
        a, b = rng.integers(0, n, 2)
        e = np.exp(scale * np.log(T[:, b * n + a if swap else a * n + b]) - 1)
        return e / e.sum(), T[:, a * n + b]
    truth = not _fails(check)

    def build():
        n = Size("n", at_least=least)

        def body(T: Distributions(n, n * n), a: IndexOf(n), b: IndexOf(n)):
            weights = elementwise("log", T) if scale == 1 else scale * elementwise("log", T)
            read = b * n + a if swap else a * n + b
            return softmax(weights @ onehot(read, n * n) - 1) == T @ onehot(a * n + b, n * n)
        return forall(f"oracle.ex3.e.{name}", "generated table reproduced by log weights")(body)
    return ShapedCase(name, f"table, scale {scale}, swapped {swap}, n >= {least}", build, truth)


def _cross_ratio(draw, name: str) -> ShapedCase:
    """The model's interaction is 0 (concatenation: true; pair: false, numpy) & a table's odds cross-ratio
    o00·o11 ≠ o01·o10 (true unless the odds multiply out equal, plain Fractions); or, alone, u[i] + c ≠ u[i] + d
    (true exactly when c ≠ d)."""
    odds = tuple(draw.pick((Fraction(1, 2), Fraction(1), Fraction(2), Fraction(4))) for _ in range(4))
    pair, alone = draw.int(0, 3) == 0, draw.int(0, 3) == 0
    c, d = draw.pick((0, 1, Fraction(1, 2))), draw.pick((0, 1, Fraction(1, 2)))
    if alone:
        def build_alone():
            m = Size("m")

            def body(u: Vector(Real, m)):
                return u[0] + c != u[0] + d
            return forall(f"oracle.ex3.d.{name}", "generated entries apart by a constant")(body)
        return ShapedCase(name, f"u0 + {c} != u0 + {d}", build_alone, c != d)
    table = odds[0] * odds[3] != odds[1] * odds[2]

    def check(rng):
        P = rng.standard_normal((2, 2 + 4))
        z = lambda p, q: P @ np.concatenate([_onehot(p, 2), _onehot(p * 2 + q, 4)])  # noqa: E731
        l = lambda p, q: z(p, q)[1] - z(p, q)[0]  # noqa: E731, E741
        return np.array([l(0, 0) + l(1, 1) - l(0, 1) - l(1, 0)]), np.array([0.0])
    model = not (pair and _fails(check))

    def build():
        V = Size("V", at_least=2)

        def body(U: Matrix(Real, V, 2 * V), P: Matrix(Real, V, V + V * V)):
            def gap(p, q):
                z = (P @ concat(onehot(p, V), onehot(p * V + q, V * V)) if pair else U @ concat(onehot(p, V), onehot(q, V))) - 1
                return z[1] - z[0]
            o00, o01, o10, o11 = (number(o) for o in odds)
            return (gap(0, 0) + gap(1, 1) - gap(0, 1) - gap(1, 0) == 0) & (o00 * o11 != o01 * o10)
        return forall(f"oracle.ex3.d.{name}", "generated interaction and table cross-ratio")(body)
    return ShapedCase(name, f"cross-ratio of odds {[str(o) for o in odds]}, {'pair' if pair else 'concat'}", build,
                      model and table)


def _offset_index(draw, name: str) -> ShapedCase:
    """k · x[a - lo] = x[a - lo] for a in lo..lo + w (lo away from 0, or negative) and x of size V ≥ least: true
    exactly when every a - lo is below the least size (w < least) and k = 1; otherwise false at a = lo + least (an
    entry past its size has no value) or, for k = 2, wherever numpy's random x is not 0."""
    lo, w, least, k = draw.pick((-3, -1, 0, 2, 5, 7)), draw.int(0, 3), draw.int(1, 3), draw.pick((1, 1, 2))

    def check(rng):
        x = rng.standard_normal(least)
        return np.array([k * x[0]]), np.array([x[0]])
    truth = w < least and not _fails(check)

    def build():
        V = Size("V", at_least=least)

        def body(x: Vector(Real, V), a: IntRange(lo, lo + w)):
            return k * x[a - lo] == x[a - lo]
        return forall(f"oracle.ex3.f.{name}", "generated entry read at an index offset from its domain's least value")(body)
    return ShapedCase(name, f"{k} x[a - {lo}] = x[a - {lo}], a in {lo}..{lo + w}, V >= {least}", build, truth)


def _threshold_pairs(draw, name: str) -> ShapedCase:
    """A threshold layer's pair block, step(W2 onehot(a) + W3 step(c · onehot(b) - 1) + bias) = vec(outer(...)) in one
    order, with W2 and W3 each |V| stacked identities or |V| blocks with ones in column i: true exactly when numpy's
    plain network (np.tile, np.kron, reshape) agrees for every a, b at |V| = 1..3; it then holds for every |V|, since
    the pair unit (i, j) reads entry j, or i, of each one-hot."""
    kinds = ("identities", "column_ones")
    w2, w3, order = draw.pick(kinds), draw.pick(kinds), draw.pick(("printed", "transposed"))
    bias, copy = draw.pick((-1, -1, 0)), draw.pick((2, 2, 1))

    def stacked(kind, n):
        return np.tile(np.eye(n), (n, 1)) if kind == "identities" else np.kron(np.eye(n), np.ones((n, 1)))

    def wrong() -> bool:
        for n in (1, 2, 3):
            for a in range(n):
                for b in range(n):
                    carried = (copy * _onehot(b, n) - 1 > 0).astype(float)
                    got = (stacked(w2, n) @ _onehot(a, n) + stacked(w3, n) @ carried + bias > 0).astype(float)
                    pair = np.outer(*((_onehot(a, n), _onehot(b, n)) if order == "printed" else (_onehot(b, n), _onehot(a, n))))
                    if not np.array_equal(got, pair.reshape(-1)):
                        return True
        return False
    truth = not wrong()

    def build():
        from proofs import stacked_column_ones, stacked_identities, outer, vec

        V = Size("V")

        def block(kind):
            return stacked_identities(V) if kind == "identities" else stacked_column_ones(V)

        def body(a: IndexOf(V), b: IndexOf(V)):
            phi, before = onehot(a, V), onehot(b, V)
            pre = block(w2) @ phi + block(w3) @ elementwise("step", copy * before - 1) + bias
            pairs = outer(phi, before) if order == "printed" else outer(before, phi)
            return elementwise("step", pre) == vec(pairs)
        return forall(f"oracle.ex3.f.{name}", "generated threshold pair block")(body)
    return ShapedCase(name, f"W2 {w2}, W3 {w3}, {order}, bias {bias}, copy {copy}", build, truth)


def _finite_index(draw, name: str) -> ShapedCase:
    """k · x[a - lo] = x[a - lo] + (onehot(b, V)_(least - 1) - onehot(b, V)_(least - 1)) for a in a finite set (OneOf)
    and b in lo..hi, x of size V ≥ least: true exactly when every a - lo is an index below the least size, every b is
    an index below the least size too, and k = 1 (by the definitions: an entry or a one-hot past its size has no
    value; with k = 2, x = (1, ...) differs)."""
    least, lo, k = draw.int(1, 3), draw.pick((-2, 0, 3)), draw.pick((1, 1, 2))
    values = sorted({lo + draw.int(0, 3) for _ in range(draw.int(1, 3))})
    b_lo, b_hi = 0, draw.int(0, 3)
    truth = k == 1 and all(0 <= v - lo < least for v in values) and b_hi < least

    def build():
        V = Size("V", at_least=least)

        def body(x: Vector(Real, V), a: OneOf(*values), b: IntRange(b_lo, b_hi)):
            e = onehot(b, V)[least - 1]
            return k * x[a - lo] == x[a - lo] + (e - e)
        return forall(f"oracle.ex3.f.{name}", "generated entry read at an index of a finite set")(body)
    return ShapedCase(name, f"{k} x[a - {lo}], a in {values}, b in {b_lo}..{b_hi}, V >= {least}", build, truth)


def _existential(draw, name: str) -> ShapedCase:
    """Some value of u (for every size, and so for some size too: both readings agree on each case drawn) with
    u_i = c (true), softmax(u)_i = c (true exactly when 0 < c < 1, the sizes at least 2: a probability with another
    word beside it), or u_i + c ≠ u_i + d (true exactly when c ≠ d); or some A, B of one size with AB = BA (true: B = A).
    Truth by plain Fractions, no numerics. Not drawn by generate(), so that the kinds it draws for a seed stay the same."""
    shape = draw.int(0, 3)
    c = draw.pick((Fraction(-1), Fraction(0), Fraction(1, 2), Fraction(1), Fraction(2)))
    d = draw.pick((Fraction(0), Fraction(1, 2)))
    i = draw.int(0, 1)
    truth = {0: True, 1: 0 < c < 1, 2: c != d, 3: True}[shape]

    def build():
        from proofs import exists

        V = Size("V", at_least=2)
        if shape == 3:
            def pair(A: Matrix(Real, V, V), B: Matrix(Real, V, V)):
                return A @ B == B @ A
            return exists(f"oracle.ex3.g.{name}", "generated existence of commuting matrices")(pair)

        def body(u: Vector(Real, V)):
            if shape == 0:
                return u[i] == number(c)
            if shape == 1:
                return softmax(u)[i] == number(c)
            return u[i] + c != u[i] + d
        return exists(f"oracle.ex3.g.{name}", "generated existence of a vector")(body)
    text = {0: f"some u: u[{i}] = {c}", 1: f"some u: softmax(u)[{i}] = {c}", 2: f"some u: u[{i}] + {c} ≠ u[{i}] + {d}",
            3: "some A, B: AB = BA"}[shape]
    case = ShapedCase(name, text, build, truth)
    case.quantifier = "exists"
    return case


def generate(draw, name: str):
    """One case: an interaction, an independence, a linearity, a one-hot column, a table, an interaction with a
    table's cross-ratio, an entry read at an index offset from its domain's least value, or a threshold layer's pair
    block."""
    return (_interaction, _independence, _linear, _column, _table, _cross_ratio, _offset_index,
            _threshold_pairs)[draw.int(0, 7)](draw, name)
