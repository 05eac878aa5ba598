"""Whether every sum or product of a step has a range that is not inverted (upper >= lower - 1) at every point its
conditions allow: sympy's closed forms follow Karr's convention past that (the sum from 3 to 1 is minus the sum from 2
to 2), not the scan's (an empty sum is 0), so a closed form proves a step only where this holds."""

from __future__ import annotations

import re
from typing import Optional, Sequence

import sympy
import z3

__all__ = ["bounded_below", "inverted_range", "presupposed", "symbolic_ranges"]

# a name read as a count (a bound of a sum, a number of steps): at least 0, which allows no inversion of a sum from 1
_WHOLE = re.compile(r"^\S+ is a count\b(?! (at least|at most))")

# z3's time for the question, in milliseconds: past it the range counts as possibly inverted
_TIMEOUT_MS = 2000


def symbolic_ranges(*exprs: sympy.Expr) -> list[tuple]:
    """(index, lower, upper, enclosing limits) of every sum or product limit in the expressions, numbers for bounds
    included (sympy's closed form of the sum from 5 to 1 is -3, not 0); the enclosing limits are those of the sums
    around it, whose indices its bounds may read."""
    out: list[tuple] = []

    def walk(e, around: tuple) -> None:
        if isinstance(e, (sympy.Sum, sympy.Product)):
            limits = list(e.args[1:])
            # sympy writes nested sums as one with several limits, the last one outermost
            inner = around
            for index, lo, hi in reversed(limits):
                out.append((index, lo, hi, inner))
                inner = inner + ((index, lo, hi),)
            walk(e.args[0], inner)
            return
        for a in getattr(e, "args", ()):
            if isinstance(a, sympy.Basic):
                walk(a, around)

    for e in exprs:
        walk(sympy.sympify(e), ())
    return out


def inverted_range(exprs: Sequence[sympy.Expr], conditions: Sequence[tuple], integers: set[str]) -> Optional[str]:
    """Why a sum or product of the expressions may have upper < lower - 1 at a point the conditions (left, relation,
    right) allow, or None when z3 shows none can. `integers`: the names that take integer values. A condition z3
    cannot be given is left out (a weaker hypothesis: the answer stays sound); a bound it cannot be given, a timeout
    or an unknown answer counts as a possible inversion."""
    ranges = symbolic_ranges(*exprs)
    if not ranges:
        return None
    names: dict[str, z3.ExprRef] = {}

    def name(s: sympy.Symbol, index: bool) -> z3.ExprRef:
        # an index of a sum is its own variable, apart from a free name spelled alike that a condition may bound
        key = f"{s.name} (an index)" if index else s.name
        if key not in names:
            names[key] = z3.Int(key) if index or s.name in integers else z3.Real(key)
        return names[key]

    def put(e, indices: set) -> z3.ExprRef:
        e = sympy.sympify(e)
        if isinstance(e, sympy.Symbol):
            return name(e, e in indices)
        if e.is_Integer:
            return z3.IntVal(int(e))
        if e.is_Rational:
            return z3.RealVal(f"{e.p}/{e.q}")
        if isinstance(e, sympy.Add):
            out = put(e.args[0], indices)
            for a in e.args[1:]:
                out = out + put(a, indices)
            return out
        if isinstance(e, sympy.Mul):
            out = put(e.args[0], indices)
            for a in e.args[1:]:
                out = out * put(a, indices)
            return out
        if isinstance(e, sympy.Pow) and e.exp.is_Integer and 0 < e.exp <= 8:
            base = put(e.base, indices)
            out = base
            for _ in range(int(e.exp) - 1):
                out = out * base
            return out
        raise ValueError(f"not encoded: {e}")

    solver = z3.Solver()
    solver.set("timeout", _TIMEOUT_MS)
    for _index, lo, hi, _around in ranges:  # the length of a sum written without bounds (#i): a count of entries
        for bound in (lo, hi):
            for s in sorted(sympy.sympify(bound).free_symbols, key=str):  # z3's names in one order: one model
                if isinstance(s, sympy.Symbol) and s.name.startswith("#"):
                    solver.add(name(s, False) >= 0)
    relations = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
                 ">=": lambda a, b: a >= b, "=": lambda a, b: a == b, "!=": lambda a, b: a != b}
    for left, relation, right in conditions:
        if relation not in relations:
            continue
        try:
            solver.add(relations[relation](put(left, set()), put(right, set())))
        except (ValueError, TypeError, z3.Z3Exception, AttributeError):
            continue  # a condition left out only weakens the hypothesis
    inversions = []
    for index, lo, hi, around in ranges:
        try:
            indices = {limit[0] for limit in around} | {index}
            within = [z3.And(put(limit[1], indices) <= name(limit[0], True), name(limit[0], True) <= put(limit[2], indices))
                      for limit in around]
            inversions.append(z3.And(*within, put(hi, indices) < put(lo, indices) - 1))
        except (ValueError, TypeError, z3.Z3Exception, AttributeError):
            return f"the range {lo}..{hi} of a sum over {index} is not one z3 can be given"
    solver.add(z3.Or(*inversions))
    answer = solver.check()
    if answer == z3.unsat:
        return None
    if answer == z3.sat:
        model = solver.model()
        at = ", ".join(f"{d.name()} = {model[d]}" for d in sorted(model.decls(), key=lambda d: d.name()))
        return f"a range of a sum is inverted (upper < lower - 1) at {at}, where sympy's closed form is not the sum"
    return "z3 could not show every range of a sum non-inverted"


def _bounds_below(condition: tuple) -> set[str]:
    """The names a read condition (left, relation, right) may bound from below: every name it speaks of, except
    those it only excludes values of (n != 0) or bounds from above (n <= 10, 10 >= n, -n >= -3, n <= m). Raises ValueError
    for a condition not understood."""
    try:
        left, relation, right = sympy.sympify(condition[0]), condition[1], sympy.sympify(condition[2])
    except (sympy.SympifyError, TypeError, IndexError, AttributeError):
        raise ValueError(f"not a condition: {condition!r}") from None
    # a name read only as a bound of a sum or product the condition states something of (for 0 < r < 1, the sum from
    # 0 to n of r^k is at most 1/(1 - r)) speaks of that sum's value, not of the name's domain
    opaque = {x: sympy.Dummy() for x in (left.atoms(sympy.Sum, sympy.Product) | right.atoms(sympy.Sum, sympy.Product))}
    names = (left.xreplace(opaque).free_symbols | right.xreplace(opaque).free_symbols) - set(opaque.values())
    if relation == "!=":
        return set()
    if relation not in ("<", "<=", ">", ">="):
        return {s.name for s in names}
    larger = right - left if relation in ("<", "<=") else left - right  # at least 0 where the condition holds
    out = set()
    for s in names:
        slope = sympy.diff(larger, s)
        # larger = slope * s + (the rest, without s) with slope a negative number: a bound on s from above alone
        if not (slope.is_number and slope.is_negative):
            out.add(s.name)
    return out


def bounded_below(conditions: Sequence) -> Optional[set[str]]:
    """The names the conditions (read ones as (left, relation, right), unread ones as text) may give a lower bound,
    which then alone gives their domain; or None where every name may have one: a condition the scan could not
    read ("for every integer $n$", $n \\in \\mathbb{Z}^{-}$) or not understood. A condition that only excludes
    values (n != 0) or bounds from above (n <= 10) gives none, nor a name read as a count ("n is a count")."""
    stated: set = set()
    for c in conditions:
        if isinstance(c, str):
            if not _WHOLE.match(c):
                return None
            continue
        try:
            stated |= _bounds_below(c)
        except ValueError:
            return None
    return stated


def presupposed(exprs: Sequence[sympy.Expr], conditions: Sequence[tuple]) -> list[tuple]:
    """(upper, ">=", lower - 1) for each sum or product range from a number at most 1 to a bound reading names that
    no stated condition bounds from below: the notation presupposes that bound is a count (the n of a sum from 1 to
    n is at least 0), so the step is decided where that holds; where a stated condition gives those names a lower
    bound (n >= -5, n in Z), it alone gives their domain, and an inverted range is the empty sum or product. A
    condition that only excludes values (n != 0) or bounds from above (n <= 10) keeps the presupposition: a
    narrower domain never makes a step harder to hold. A range starting further on (3 to n) presupposes nothing: at
    n = 1 it is empty."""
    names_below = bounded_below(conditions)
    if names_below is None:  # a condition the scan could not read may speak of any name: nothing is presupposed
        return []
    stated = {sympy.Symbol(s) for s in names_below}
    out: list[tuple] = []
    for index, lo, hi, around in symbolic_ranges(*exprs):
        lo, hi = sympy.sympify(lo), sympy.sympify(hi)
        names = lo.free_symbols | hi.free_symbols
        if not (lo.is_number and lo <= 1) or hi.is_number:
            continue  # a sum from 1 (or 0) to n: n is a count; a range starting further on presupposes nothing
        if names & ({limit[0] for limit in around} | {index}) or {sympy.Symbol(x.name) for x in names} & stated:
            continue
        if any(str(s).startswith("#") for s in names):
            continue  # a length of a sum without bounds: a count already (sum_ranges.inverted_range)
        if (hi, ">=", lo - 1) not in out:
            out.append((hi, ">=", lo - 1))
    return out
