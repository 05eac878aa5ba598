"""Block matrices of symbolic size for statements over shaped vectors: the identity (eye), stacked identities, stacked blocks
with ones in one column, outer products and vec (rows concatenated), with their plain values and symbolic entries."""

from __future__ import annotations

from typing import Any, Callable

from proofs.shaped import ArrayTerm, _size

__all__ = ["eye", "stacked_identities", "stacked_column_ones", "outer", "vec", "OPS"]

# The ArrayTerm ops this module defines (shaped, shaped_decision and shaped_proof hand them here).
OPS = ("eye", "stacked_identities", "stacked_column_ones", "outer", "vec")


def eye(size: Any) -> ArrayTerm:
    """The size × size identity matrix I (of a symbolic size; `identity_matrix` is the sized form's)."""
    n = _size(size)
    return ArrayTerm("eye", (n,), n, n)


def stacked_identities(size: Any) -> ArrayTerm:
    """size copies of the size × size identity stacked: a size² × size matrix whose row i·size + j is e_j."""
    n = _size(size)
    return ArrayTerm("stacked_identities", (n,), n * n, n)


def stacked_column_ones(size: Any) -> ArrayTerm:
    """size blocks of size × size stacked, block i with ones in column i (zeros elsewhere): a size² × size matrix
    whose row i·size + j is e_i."""
    n = _size(size)
    return ArrayTerm("stacked_column_ones", (n,), n * n, n)


def outer(u: ArrayTerm, v: ArrayTerm) -> ArrayTerm:
    """The outer product u vᵀ of two vectors: entry (i, j) is u[i] · v[j]."""
    if not all(isinstance(w, ArrayTerm) and w.cols is None for w in (u, v)):
        raise TypeError("outer(u, v) takes two vectors")
    return ArrayTerm("outer", (u, v), u.rows, v.rows)


def vec(matrix: ArrayTerm) -> ArrayTerm:
    """The vector of a matrix's rows concatenated: entry r·cols + c is matrix[r, c]."""
    if not isinstance(matrix, ArrayTerm) or matrix.cols is None:
        raise TypeError("vec(M) takes a matrix (such as outer(u, v))")
    return ArrayTerm("vec", (matrix,), matrix.rows * matrix.cols, None)


def text(x: ArrayTerm, show: Callable[[Any], str]) -> str:
    """One line of plain text for a block term (show prints an inner array)."""
    if x.op == "outer":
        return f"outer({show(x.args[0])}, {show(x.args[1])})"
    if x.op == "vec":
        return f"vec({show(x.args[0])})"
    return f"{x.op}({x.args[0]})"


def value(x: ArrayTerm, size: Callable[[Any], int], inner: Callable[[ArrayTerm], list]) -> list:
    """The block term as a list of rows in exact sympy numbers, by plain loops (size evaluates a size, inner an array)."""
    import sympy

    one, zero = sympy.Integer(1), sympy.Integer(0)
    if x.op == "outer":
        u, v = ([row[0] for row in inner(w)] for w in x.args)
        return [[p * q for q in v] for p in u]
    if x.op == "vec":
        return [[entry] for row in inner(x.args[0]) for entry in row]
    n = size(x.args[0])
    if x.op == "eye":
        return [[one if r == c else zero for c in range(n)] for r in range(n)]
    rows = []
    for block in range(n):
        for j in range(n):
            hot = j if x.op == "stacked_identities" else block
            rows.append([one if c == hot else zero for c in range(n)])
    return rows


def entry(x: ArrayTerm, i: Any, j: Any, size: Callable[[Any], Any], inner: Callable[[ArrayTerm, Any, Any], Any],
          need: Callable[[str, Any], None]) -> Any:
    """Entry (i, j) of the block term as a sympy expression (size writes a size, inner an inner array's entry, need
    records an index condition). A row r of a size² × size block is split into (⌊r / size⌋, r mod size)."""
    import sympy

    d = sympy.KroneckerDelta
    if x.op == "outer":
        return inner(x.args[0], i, sympy.Integer(0)) * inner(x.args[1], j, sympy.Integer(0))
    if x.op == "vec":
        m = x.args[0]
        cols = size(m.cols)
        r = sympy.Symbol("r#vec", integer=True)  # any row of vec(m): no variable's name ('#' is in no identifier)
        split = (sympy.floor(r / cols), sympy.Mod(r, cols))
        need(f"vec({m}): row r split into (⌊r / {cols}⌋, r mod {cols}), in range for every row r",
             sympy.Or(r < 0, r >= size(m.rows) * cols,
                      sympy.And(0 <= split[0], split[0] < size(m.rows), 0 <= split[1], split[1] < cols)))
        return inner(m, sympy.floor(i / cols), sympy.Mod(i, cols))
    n = size(x.args[0])
    if x.op == "eye":
        return d(i, j)
    if x.op == "stacked_identities":
        return d(j, sympy.Mod(i, n))
    return d(j, sympy.floor(i / n))
