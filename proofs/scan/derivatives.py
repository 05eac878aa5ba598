"""Partial derivatives at a point by forward-mode differentiation of a sympy expression, for the matrix scan's
gradients: exact, and far cheaper than sympy's symbolic derivative taken first and evaluated after."""

from __future__ import annotations

import functools
from typing import Optional

import sympy

__all__ = ["partial_at", "solve_index"]

# Values a derivative at a point must not take: the symbolic route is left to say what such a point means.
_NOT_FINITE = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


class _Unsupported(Exception):
    """A node this differentiation does not take (an arbitrary function, an exponent that varies, ...)."""


def partial_at(expr: sympy.Expr, symbol: sympy.Symbol, value: sympy.Expr) -> Optional[sympy.Expr]:
    """d expr / d symbol at symbol = value, for an expression built from numbers, the symbols, +, *, constant powers,
    exp and log; None for any other (the caller then differentiates symbolically), and None where the derivative there
    is not a finite number. Every subexpression's value at the point is built as `xreplace` would build it."""
    memo: dict = {}

    def walk(n):
        if n in memo:
            return memo[n]
        if n == symbol:
            out = value, sympy.Integer(1)
        elif symbol not in n.free_symbols:
            out = n, sympy.Integer(0)
        elif n.is_Add:
            parts = [walk(a) for a in n.args]
            out = n.func(*[p for p, _ in parts]), sympy.Add(*[d for _, d in parts])
        elif n.is_Mul:
            parts = [walk(a) for a in n.args]
            values = [p for p, _ in parts]
            terms = [sympy.Mul(*values[:i], d, *values[i + 1:]) for i, (_, d) in enumerate(parts) if d != 0]
            out = n.func(*values), sympy.Add(*terms)
        elif n.is_Pow and symbol not in n.exp.free_symbols:
            base, d = walk(n.base)
            out = n.func(base, n.exp), n.exp * base ** (n.exp - 1) * d
        elif isinstance(n, sympy.exp):
            inner, d = walk(n.args[0])
            at = n.func(inner)
            out = at, at * d
        elif isinstance(n, sympy.log) and len(n.args) == 1:
            inner, d = walk(n.args[0])
            out = n.func(inner), d / inner
        else:
            raise _Unsupported(type(n).__name__)
        memo[n] = out
        return out

    try:
        d = walk(expr)[1]
    except _Unsupported:
        return None
    if d.free_symbols or d.has(*_NOT_FINITE, sympy.Float):
        return None
    return d


@functools.lru_cache(maxsize=4096)
def solve_index(pattern: sympy.Expr, at: int, var: sympy.Symbol) -> tuple:
    """sympy.solve(pattern = at, var), kept: the same index equations are solved at every instance."""
    return tuple(sympy.solve(sympy.Eq(pattern, at), var))
