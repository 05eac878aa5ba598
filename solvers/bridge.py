"""Translate sympy integer/real expressions (sums done, deltas, piecewise) into z3 terms."""

from __future__ import annotations

from typing import Mapping

import sympy
import z3

__all__ = ["to_z3"]


def to_z3(expr, env: Mapping[sympy.Symbol, z3.ExprRef]):
    """A z3 term equal to `expr`; every free symbol must be in `env`.

    Handles numbers, symbols, +, *, integer powers, KroneckerDelta, Piecewise, relations and
    boolean connectives: enough for the closed forms sympy returns for sums over one-hot vectors.
    """
    e = sympy.sympify(expr)
    if e is sympy.true:
        return z3.BoolVal(True)
    if e is sympy.false:
        return z3.BoolVal(False)
    if e.is_Integer:
        return z3.IntVal(int(e))
    if e.is_Rational:
        return z3.RealVal(f"{e.p}/{e.q}")
    if e.is_Symbol:
        if e not in env:
            raise KeyError(f"no z3 variable for sympy symbol {e}")
        return env[e]
    if isinstance(e, sympy.Add):
        return z3.Sum([to_z3(a, env) for a in e.args])
    if isinstance(e, sympy.Mul):
        out = to_z3(e.args[0], env)
        for a in e.args[1:]:
            out = out * to_z3(a, env)
        return out
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and int(e.exp) > 0:
        base = to_z3(e.base, env)
        out = base
        for _ in range(int(e.exp) - 1):
            out = out * base
        return out
    if isinstance(e, sympy.KroneckerDelta):
        return z3.If(to_z3(e.args[0], env) == to_z3(e.args[1], env), 1, 0)
    if isinstance(e, sympy.Piecewise):
        out = None
        for value, cond in reversed(e.args):
            term = to_z3(value, env)
            out = term if out is None else z3.If(to_z3(cond, env), term, out)
        return out
    relations = {sympy.Eq: lambda a, b: a == b, sympy.Ne: lambda a, b: a != b, sympy.Lt: lambda a, b: a < b,
                 sympy.Le: lambda a, b: a <= b, sympy.Gt: lambda a, b: a > b, sympy.Ge: lambda a, b: a >= b}
    for kind, make in relations.items():
        if isinstance(e, kind):
            return make(to_z3(e.lhs, env), to_z3(e.rhs, env))
    if isinstance(e, sympy.And):
        return z3.And(*[to_z3(a, env) for a in e.args])
    if isinstance(e, sympy.Or):
        return z3.Or(*[to_z3(a, env) for a in e.args])
    if isinstance(e, sympy.Not):
        return z3.Not(to_z3(e.args[0], env))
    raise TypeError(f"cannot translate {type(e).__name__} to z3: {e}")
