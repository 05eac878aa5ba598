"""Entries of shaped statements as integer arithmetic for z3: the threshold step, Kronecker deltas, Piecewise, floor,
mod and sums whose every term has a Kronecker delta of its index (collapsed to one term, in sympy or in z3)."""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["step", "step_class", "translate", "collapse", "Unsupported", "kinds", "conditions", "variables"]


class Unsupported(Exception):
    """A form the translation does not cover."""


# step's sympy class, made on first use (sympy is imported lazily).
_CACHE: list = [None]


def kinds() -> tuple:
    """The sympy classes translate() takes."""
    import sympy

    return (sympy.KroneckerDelta, sympy.Piecewise, sympy.floor, sympy.Mod, sympy.Sum, step_class())


def step(z: Any) -> Any:
    """The threshold step(z) (1 where z > 0, else 0) as a sympy function left unevaluated on a symbolic argument (a
    Piecewise would be folded by sympy into the sums around it), evaluated on a number."""
    return step_class()(z)


def step_class() -> Any:
    """The sympy function class of step, made once."""
    import sympy

    if _CACHE[0] is None:
        class step(sympy.Function):  # noqa: N801 - printed as the statement writes it
            nargs = 1

            @classmethod
            def eval(cls, z: Any) -> Any:
                if z.is_Rational:
                    return sympy.Integer(1 if z > 0 else 0)
                return None

        _CACHE[0] = step
    return _CACHE[0]


def translate(expr: Any, env: dict, to_z3: Callable[[Any, dict], Any]) -> Any:
    """A Kronecker delta, a Piecewise, ⌊p / q⌋, p mod q (q ≠ 0; sympy's sign convention) or a sum whose every term
    has a Kronecker delta of its index, as z3, to_z3 translating its parts (anything else is Unsupported)."""
    import sympy
    import z3

    if isinstance(expr, step_class()):
        return z3.If(to_z3(expr.args[0], env) > 0, z3.IntVal(1), z3.IntVal(0))
    if isinstance(expr, sympy.KroneckerDelta):
        a, b = (to_z3(x, env) for x in expr.args)
        return z3.If(a == b, z3.IntVal(1), z3.IntVal(0))
    if isinstance(expr, sympy.Piecewise):
        out = None
        for branch, condition in reversed(expr.args):
            if out is None and condition is not sympy.true:
                raise Unsupported("a Piecewise without a last branch for every other case")
            b = to_z3(branch, env)
            out = b if out is None else z3.If(to_z3(condition, env), b, out)
        return out
    if isinstance(expr, sympy.floor):
        p, q = sympy.fraction(sympy.together(expr.args[0]))
        return _division(to_z3(p, env), to_z3(q, env), env)[0]
    if isinstance(expr, sympy.Mod):
        p, q = (to_z3(x, env) for x in expr.args)
        return _division(p, q, env)[1]
    return _z3_sum(expr, env, to_z3)


# The key of `env` under which translate() leaves the conditions that define the quotients and remainders it
# introduced: a query's premises (see `conditions`).
SIDE = "#side"


def conditions(env: dict) -> list:
    """The conditions defining the quotients and remainders translate() introduced into `env`: premises of every query
    made of its translations."""
    return list(env.get(SIDE, ()))


def variables(env: dict) -> list:
    """The solver variables of `env`: its symbols and the quotients and remainders translate() introduced."""
    return [v for k, v in env.items() if k != SIDE and not k.startswith("#div:") and not k.endswith("#entry")]


def _division(p: Any, q: Any, env: dict) -> tuple:
    """(⌊p / q⌋, p mod q) as two integer variables of their own, defined by p = q·d + m with 0 ≤ m < q (q > 0) or
    q < m ≤ 0 (q < 0), sympy's sign convention; free where q = 0, so that no proof rests on a division by 0. The same
    p and q give the same variables. Linear in d and m where q is a number, and easier for a solver than nested
    integer division (cvc5 answers at once where it took seconds on z3's div of a symbolic size)."""
    import z3

    if not (z3.is_int(p) and z3.is_int(q)):  # of a real, the quotient's definition would make it an integer
        raise Unsupported("⌊p / q⌋ or p mod q of a number that is not an integer")
    key = f"#div:{z3.simplify(p).sexpr()}:{z3.simplify(q).sexpr()}"
    if key not in env:
        n = sum(1 for k in env if k.startswith("#div:"))
        d, m = z3.Int(f"#quotient{n}"), z3.Int(f"#remainder{n}")
        env[key] = (d, m)
        env[f"#quotient{n}"], env[f"#remainder{n}"] = d, m
        divided = p == q * d + m  # one implication a sign (a solver splits an If of the sign less readily)
        env.setdefault(SIDE, []).append(z3.And(z3.Implies(q > 0, z3.And(divided, 0 <= m, m < q)),
                                               z3.Implies(q < 0, z3.And(divided, q < m, m <= 0))))
    return env[key]


def _z3_sum(expr: Any, env: dict, to_z3: Callable[[Any, dict], Any]) -> Any:
    """Σ_{k=lo}^{hi} of terms each with a factor δ(k, e), e free of k: the term at k = e where lo ≤ e ≤ hi, else 0
    (an empty range is 0); a term free of k counts hi - lo + 1 times (0 when the range is empty)."""
    import sympy
    import z3

    if len(expr.limits) != 1:
        raise Unsupported("a sum over several indices")
    k, lo, hi = expr.limits[0]
    zlo, zhi = to_z3(lo, env), to_z3(hi, env)
    out = []
    for term in sympy.Add.make_args(sympy.expand(expr.function)):
        if k not in term.free_symbols:
            out.append(z3.If(zhi >= zlo, (zhi - zlo + 1) * to_z3(term, env), z3.IntVal(0)))
            continue
        deltas = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.KroneckerDelta) and k in f.args
                  and all(k not in a.free_symbols for a in f.args if a != k)]
        if not deltas:
            raise Unsupported("a sum term without a Kronecker delta of its index")
        e = next(a for a in deltas[0].args if a != k)
        rest = sympy.Mul(*[f for f in sympy.Mul.make_args(term) if f is not deltas[0]]).subs(k, e)
        ze = to_z3(e, env)
        out.append(z3.If(z3.And(zlo <= ze, ze <= zhi), to_z3(rest, env), z3.IntVal(0)))
    return z3.Sum(*out) if out else z3.IntVal(0)


def collapse(expr: Any) -> Any:
    """expr with each sum whose every term has a factor δ(k, e) of its index k (e free of k) written as the terms at
    k = e, each where lo ≤ e ≤ hi (a Piecewise, else 0): a product with an identity or a stacked block reads one
    entry. Any other sum stays."""
    import sympy

    def collapse(e: Any) -> Any:
        if len(e.limits) != 1:
            return e
        k, lo, hi = e.limits[0]
        out = []
        for term in sympy.Add.make_args(sympy.expand(e.function)):
            deltas = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.KroneckerDelta) and k in f.args
                      and all(k not in a.free_symbols for a in f.args if a != k)]
            if not deltas:
                return e
            at = next(a for a in deltas[0].args if a != k)
            rest = sympy.Mul(*[f for f in sympy.Mul.make_args(term) if f is not deltas[0]]).subs(k, at)
            out.append(sympy.Piecewise((rest, sympy.And(lo <= at, at <= hi)), (sympy.Integer(0), True)))
        return sympy.Add(*out)

    if not expr.has(sympy.Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.Sum) and e.has(sympy.KroneckerDelta), collapse)
