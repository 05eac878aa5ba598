"""Partial derivatives at a point by forward-mode differentiation of a sympy expression, for the matrix scan's
gradients: exact, and far cheaper than sympy's symbolic derivative taken first and evaluated after."""

from __future__ import annotations

import functools
from typing import Optional

import sympy

__all__ = ["diff", "partial_at", "partials_at", "solve_index"]

# Values a derivative at a point must not take: the symbolic route is left to say what such a point means.
_NOT_FINITE = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


class _Unsupported(Exception):
    """A node this differentiation does not take (an arbitrary function, an exponent that varies, ...)."""


def partials_at(expr: sympy.Expr, point: dict) -> dict:
    """symbol -> d expr / d symbol at the point (symbol -> value), for every symbol of the point: by forward-mode
    differentiation of an expression built from numbers, the symbols, +, *, constant powers, exp, log and tanh, each
    subexpression's value at the point built once, as `xreplace` builds it. A symbol is left out where its derivative
    there is not a finite number, and every one for an expression with any other node (the caller then differentiates
    symbolically)."""
    names = set(point)
    values: dict = {}

    def value(n):
        if n in values:
            return values[n]
        if n in point:
            out = point[n]
        elif not names & n.free_symbols:
            out = n
        elif not (n.is_Add or n.is_Mul or (n.is_Pow and not names & n.exp.free_symbols) or
                  isinstance(n, (sympy.exp, sympy.tanh)) or (isinstance(n, sympy.log) and len(n.args) == 1)):
            raise _Unsupported(type(n).__name__)
        else:
            out = n.func(*[value(a) for a in n.args])
        values[n] = out
        return out

    try:
        value(expr)
    except _Unsupported:
        return {}
    out = {}
    for symbol in point:
        d = _partial(expr, symbol, value, {})
        if not (d.free_symbols or d.has(*_NOT_FINITE, sympy.Float)):
            out[symbol] = d
    return out


def _partial(n, symbol, value, memo: dict):
    """d n / d symbol at the point, every node's value there given by `value`."""
    if n in memo:
        return memo[n]
    if n == symbol:
        out = sympy.Integer(1)
    elif symbol not in n.free_symbols:
        out = sympy.Integer(0)
    elif n.is_Add:
        out = sympy.Add(*[_partial(a, symbol, value, memo) for a in n.args])
    elif n.is_Mul:
        at = [value(a) for a in n.args]
        out = sympy.Add(*[sympy.Mul(*at[:i], d, *at[i + 1:]) for i, d in
                          enumerate(_partial(a, symbol, value, memo) for a in n.args) if d != 0])
    elif n.is_Pow:
        out = n.exp * value(n.base) ** (n.exp - 1) * _partial(n.base, symbol, value, memo)
    elif isinstance(n, sympy.exp):
        out = value(n) * _partial(n.args[0], symbol, value, memo)
    elif isinstance(n, sympy.tanh):
        out = (1 - value(n) ** 2) * _partial(n.args[0], symbol, value, memo)
    else:  # log (the only other node `partials_at` lets through)
        out = _partial(n.args[0], symbol, value, memo) / value(n.args[0])
    memo[n] = out
    return out


def diff(expr: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """`sympy.diff(expr, symbol)`, the same expression, built node by node by the rules sympy applies (Add, Mul by
    Leibniz's rule, Pow, an undefined function of one argument by the chain rule with sympy's own `fdiff`) without
    what sympy does besides at every node: a Derivative object, the order-0 derivative of every other factor of a
    product, a zero test of each result and a walk over it to put its derivatives in canonical form (quadratic in the
    depth of nested functions, as a forward pass through a recurrence builds them). A subexpression met twice is
    differentiated once. Any other node, or a derivative already in the expression, and sympy differentiates it all."""
    if symbol not in expr.free_symbols:
        return sympy.diff(expr, symbol)
    if expr.has(sympy.Derivative, sympy.Subs):
        return sympy.diff(expr, symbol)
    try:
        return _diff(expr, symbol, {})
    except _Unsupported:
        return sympy.diff(expr, symbol)


def _diff(n, symbol, memo: dict):
    if n in memo:
        return memo[n]
    if n == symbol:
        out = sympy.Integer(1)
    elif symbol not in n.free_symbols:
        out = sympy.Integer(0)
    elif n.is_Add:
        out = sympy.Add(*[_diff(a, symbol, memo) for a in n.args])
    elif n.is_Mul:
        args = n.args
        out = sympy.Add(*[sympy.Mul(*args[:i], _diff(a, symbol, memo), *args[i + 1:]) for i, a in enumerate(args)])
    elif n.is_Pow:
        out = n * (_diff(n.exp, symbol, memo) * sympy.log(n.base) + _diff(n.base, symbol, memo) * n.exp / n.base)
    elif isinstance(n, sympy.core.function.AppliedUndef) and len(n.args) == 1:
        inner = _diff(n.args[0], symbol, memo)
        out = sympy.Add(*([] if inner.is_zero else [n.fdiff(1) * inner]))
    else:
        raise _Unsupported(type(n).__name__)
    memo[n] = out
    return out


def partial_at(expr: sympy.Expr, symbol: sympy.Symbol, at: sympy.Expr) -> Optional[sympy.Expr]:
    """d expr / d symbol at symbol = at (see `partials_at`), or None."""
    return partials_at(expr, {symbol: at}).get(symbol)


@functools.lru_cache(maxsize=4096)
def solve_index(pattern: sympy.Expr, at: int, var: sympy.Symbol) -> tuple:
    """sympy.solve(pattern = at, var), kept: the same index equations are solved at every instance."""
    return tuple(sympy.solve(sympy.Eq(pattern, at), var))
