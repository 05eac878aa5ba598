"""Partial derivatives at a point by forward-mode differentiation of a sympy expression, for the matrix scan's
gradients: exact, and far cheaper than sympy's symbolic derivative taken first and evaluated after."""

from __future__ import annotations

import functools
from typing import Callable, Optional

import sympy

__all__ = ["diff", "hessian_at", "partial_at", "partials_at", "solve_index"]

# Values a derivative at a point must not take: the symbolic route is left to say what such a point means.
_NOT_FINITE = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


# An arbitrary function's value or derivative left unread (at a constant): the symbolic route fills such values in.
_UNDRAWN = (sympy.core.function.AppliedUndef, sympy.Subs, sympy.Derivative)


class _Unsupported(Exception):
    """A node this differentiation does not take (an arbitrary function, an exponent that varies, ...)."""


def partials_at(expr: sympy.Expr, point: dict, function: Optional[Callable] = None) -> dict:
    """symbol -> d expr / d symbol at the point (symbol -> value), for every symbol of the point: by forward-mode
    differentiation of an expression built from numbers, the symbols, +, *, constant powers, exp, log and tanh, each
    subexpression's value at the point built once, as `xreplace` builds it. With `function` (name, number, whether the
    derivative -> number), also through an arbitrary function of one argument applied to an expression, phi(e), and
    its derivative written at one, phi'(e) (as `Subs(Derivative(phi(u), u), u, e)`): their values are `function`'s at
    e's value (a rational number, else the expression is not taken), and d phi(e) = phi'(e) de, phi' read only where de
    is not 0. A symbol is left out where its derivative there is not a finite number or would need a second derivative
    of an arbitrary function (phi'(e) of an e that depends on it), and every one for an expression with any other node
    (the caller then differentiates symbolically)."""
    names = set(point)
    values: dict = {}

    def value(n):
        if n in values:
            return values[n]
        if n in point:
            out = point[n]
        elif not names & n.free_symbols:
            out = n
        elif function is not None and _applied(n) is not None:
            at = value(n.args[0])
            if not at.is_Rational:
                raise _Unsupported("an arbitrary function at a value that is not a rational number")
            out = function(n.func.__name__, at, False)
        elif function is not None and _derivative_at(n) is not None:
            at = value(n.point[0])
            if not at.is_Rational:
                raise _Unsupported("an arbitrary function's derivative at a value that is not a rational number")
            out = function(_derivative_at(n), at, True)
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
        try:
            d = _partial(expr, symbol, value, {}, function)
        except _Unsupported:
            continue
        if not (d.free_symbols or d.has(*_NOT_FINITE, sympy.Float, *_UNDRAWN)):
            out[symbol] = d
    return out


def _applied(n) -> Optional[str]:
    """The name of an arbitrary function applied to one argument (phi(e)), else None."""
    if isinstance(n, sympy.core.function.AppliedUndef) and len(n.args) == 1:
        return n.func.__name__
    return None


def _derivative_at(n) -> Optional[str]:
    """The name of the arbitrary function whose first derivative at one argument n is (n is Subs(Derivative(phi(u), u),
    u, e), as sympy writes phi'(e)), else None."""
    if not (isinstance(n, sympy.Subs) and len(n.variables) == 1 and isinstance(n.expr, sympy.Derivative)):
        return None
    inner, (u,) = n.expr.expr, n.variables
    if n.expr.variable_count == ((u, 1),) and _applied(inner) is not None and inner.args == (u,):
        return inner.func.__name__
    return None


def _partial(n, symbol, value, memo: dict, function=None):
    """d n / d symbol at the point, every node's value there given by `value`."""
    if n in memo:
        return memo[n]
    if n == symbol:
        out = sympy.Integer(1)
    elif symbol not in n.free_symbols:
        out = sympy.Integer(0)
    elif n.is_Add:
        out = sympy.Add(*[_partial(a, symbol, value, memo, function) for a in n.args])
    elif n.is_Mul:
        at = [value(a) for a in n.args]
        out = sympy.Add(*[sympy.Mul(*at[:i], d, *at[i + 1:]) for i, d in
                          enumerate(_partial(a, symbol, value, memo, function) for a in n.args) if d != 0])
    elif n.is_Pow:
        out = n.exp * value(n.base) ** (n.exp - 1) * _partial(n.base, symbol, value, memo, function)
    elif isinstance(n, sympy.exp):
        out = value(n) * _partial(n.args[0], symbol, value, memo, function)
    elif isinstance(n, sympy.tanh):
        out = (1 - value(n) ** 2) * _partial(n.args[0], symbol, value, memo, function)
    elif isinstance(n, sympy.log):
        out = _partial(n.args[0], symbol, value, memo, function) / value(n.args[0])
    elif function is not None and _applied(n) is not None:
        inner = _partial(n.args[0], symbol, value, memo, function)
        out = inner if inner == 0 else function(n.func.__name__, value(n.args[0]), True) * inner
    else:  # phi'(e) of an e that depends on the symbol: a second derivative, which is not drawn here
        raise _Unsupported(type(n).__name__)
    memo[n] = out
    return out


def diff(expr: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """`sympy.diff(expr, symbol)`, the same expression, built node by node by the rules sympy applies (Add, Mul by
    Leibniz's rule, Pow, a function of one argument by the chain rule with sympy's own `fdiff`) without
    what sympy does besides at every node: a Derivative object, the order-0 derivative of every other factor of a
    product, a zero test of each result and a walk over it to put its derivatives in canonical form (quadratic in the
    depth of nested functions, as a forward pass through a recurrence builds them). exp, tanh and log of one argument
    are differentiated by the chain rule with their own `fdiff`, as sympy differentiates every function. A
    subexpression met twice is differentiated once. Any other node, or a derivative already in the expression, and
    sympy differentiates it all."""
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
    elif isinstance(n, (sympy.core.function.AppliedUndef, sympy.exp, sympy.tanh, sympy.log)) and len(n.args) == 1:
        inner = _diff(n.args[0], symbol, memo)
        out = sympy.Add(*([] if inner.is_zero else [n.fdiff(1) * inner]))
    else:
        raise _Unsupported(type(n).__name__)
    memo[n] = out
    return out


def hessian_at(expr: sympy.Expr, symbols: list, point: dict, forward: bool = True) -> sympy.Matrix:
    """The matrix of d^2 expr / d symbols[i] d symbols[j] at the point (symbol -> value): each first derivative built
    once (`diff`) and differentiated at the point by forward mode (`partials_at`); an entry forward mode leaves out
    (a node it does not take, no finite value) is sympy's second derivative with the point put in, as every entry is
    without `forward`."""
    n = len(symbols)
    rows = [partials_at(diff(expr, s), point) if forward else {} for s in symbols]

    def entry(i, j):
        if symbols[j] in rows[i]:
            return rows[i][symbols[j]]
        return sympy.diff(expr, symbols[i], symbols[j]).xreplace(point)
    return sympy.Matrix(n, n, entry)


def partial_at(expr: sympy.Expr, symbol: sympy.Symbol, at: sympy.Expr) -> Optional[sympy.Expr]:
    """d expr / d symbol at symbol = at (see `partials_at`), or None."""
    return partials_at(expr, {symbol: at}).get(symbol)


@functools.lru_cache(maxsize=4096)
def solve_index(pattern: sympy.Expr, at: int, var: sympy.Symbol) -> tuple:
    """sympy.solve(pattern = at, var), kept: the same index equations are solved at every instance."""
    return tuple(sympy.solve(sympy.Eq(pattern, at), var))
