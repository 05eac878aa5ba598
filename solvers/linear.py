"""Exact linear feasibility over the rationals by Fourier-Motzkin elimination: a plain second opinion to z3."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Mapping, Sequence

__all__ = ["Constraint", "feasible"]

_OPS = ("<", "<=", "=")


@dataclasses.dataclass(frozen=True)
class Constraint:
    """sum(coeffs[v] * v) op bound, with op one of <, <=, =."""

    coeffs: Mapping[str, Fraction]
    op: str
    bound: Fraction

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(f"op must be one of {_OPS}, got {self.op!r}")


def _clean(coeffs: Mapping[str, Fraction]) -> dict[str, Fraction]:
    return {v: Fraction(c) for v, c in coeffs.items() if c != 0}


def _substitute(c: Constraint, var: str, expr: Mapping[str, Fraction], const: Fraction) -> Constraint:
    """Replace var by sum(expr) + const in c."""
    a = c.coeffs.get(var, Fraction(0))
    if a == 0:
        return c
    coeffs = {v: x for v, x in c.coeffs.items() if v != var}
    for v, x in expr.items():
        coeffs[v] = coeffs.get(v, Fraction(0)) + a * x
    return Constraint(_clean(coeffs), c.op, c.bound - a * const)


def _trivially_false(c: Constraint) -> bool:
    if c.op == "<":
        return not 0 < c.bound
    if c.op == "<=":
        return not 0 <= c.bound
    return c.bound != 0


def feasible(constraints: Sequence[Constraint]) -> bool:
    """Is there a rational point satisfying every constraint? Exact; exponential only in the worst case."""
    rows = [Constraint(_clean(c.coeffs), c.op, Fraction(c.bound)) for c in constraints]
    # Equalities: solve for one variable and substitute it everywhere.
    while True:
        eq = next((c for c in rows if c.op == "=" and c.coeffs), None)
        if eq is None:
            break
        var, a = next(iter(eq.coeffs.items()))
        expr = {v: -x / a for v, x in eq.coeffs.items() if v != var}
        const = eq.bound / a
        rows = [_substitute(c, var, expr, const) for c in rows if c is not eq]
    # Inequalities: eliminate variables one at a time.
    while True:
        if any(not c.coeffs and _trivially_false(c) for c in rows):
            return False
        rows = [c for c in rows if c.coeffs]
        if not rows:
            return True
        var = min({v for c in rows for v in c.coeffs})
        upper, lower, rest = [], [], []
        for c in rows:
            a = c.coeffs.get(var, Fraction(0))
            (upper if a > 0 else lower if a < 0 else rest).append(c)
        combined = []
        for u in upper:
            for lo in lower:
                au, al = u.coeffs[var], -lo.coeffs[var]
                coeffs: dict[str, Fraction] = {}
                for v, x in u.coeffs.items():
                    coeffs[v] = coeffs.get(v, Fraction(0)) + x / au
                for v, x in lo.coeffs.items():
                    coeffs[v] = coeffs.get(v, Fraction(0)) + x / al
                coeffs.pop(var, None)
                op = "<" if "<" in (u.op, lo.op) else "<="
                combined.append(Constraint(_clean(coeffs), op, u.bound / au + lo.bound / al))
        rows = rest + combined

