"""Boundary probes: the exact points where a statement's proof is replayed before it counts (issue: no wrong verdicts).

A backend decides under its own conventions (sympy's sums, its Heaviside at 0); the tool's semantics is the exact
replay. Every `proved` must survive that replay at the points where conventions differ: small whole numbers and the
values that make a sum's range empty or inverted for integer variables; for real variables the kinks and undefined
points of the term (zeros of the arguments of |·|, relu, the differences of max, min and of an ite's condition,
denominators, logarithm and root arguments), the roots of the relation's sides, and small rationals.
"""

from __future__ import annotations

import fractions
import itertools
import math
from typing import Any, Iterable, Mapping, Optional

from proofs import backends, terms
from proofs.domains import Domain
from proofs.terms import Term

__all__ = ["boundary_points", "critical", "roots", "witness_value", "first_failure", "SMALL_INTEGERS", "SMALL_RATIONALS"]

# Whole numbers every integer variable is tried at (those its domain has).
SMALL_INTEGERS = (0, 1, 2, 3, -1, -2, -3)
# Rationals every real variable is tried at, after its critical points.
SMALL_RATIONALS = tuple(fractions.Fraction(p) for p in ("0", "1", "-1", "1/2", "-1/2", "2", "-2", "3", "1/3", "-3/2"))
# At most this many points are replayed per statement, the critical ones first; fewer where the term has
# transcendental functions, whose exact comparisons are slow.
LIMIT = 240
_TRANSCENDENTAL_LIMIT = 12
# Polynomials up to this degree have their real roots taken exactly.
_DEGREE = 8


def critical(t: Term) -> list[Term]:
    """The expressions whose zeros are a term's kinks, switches and undefined points (a relation only where it is an
    ite's condition: the statement's own relation is not a switch)."""
    out: list[Term] = []

    def walk(node: Term, switching: bool = False) -> None:
        op, args = node.op, node.args
        if op == "limit":  # its body is read near the limit's point only, in a variable of its own
            return
        if op == "ite":  # where its condition switches
            walk(args[0], True)
            walk(args[1])
            walk(args[2])
            return
        if op in ("abs", "relu", "log", "sqrt"):
            out.append(args[0])
        elif op in ("max", "min") or (switching and op in terms.RELATIONS):
            out.append(args[0] - args[1])
        elif op == "div":
            out.append(args[1])
        elif op == "pow" and not (args[1].op == "const" and fractions.Fraction(args[1].args[0]).denominator == 1
                                  and args[1].args[0] >= 0):  # a whole power >= 0 is smooth everywhere
            out.append(args[0])
        elif op == "sum":
            out.extend((args[3] - args[2] + 1, args[3] - args[2] + 2))  # empty, and inverted by one
        for a in args:
            if isinstance(a, Term):
                walk(a, switching and op in ("and", "or", "not", "implies"))
    walk(t)
    return out


# Operators whose sympy form needs the variables as symbols (a derivative is taken in one).
_SYMBOLIC_ONLY = frozenset({"diff", "sum", "some", "every", "unique", "limit"})


def roots(expression: Term, name: str, base: Mapping[str, Any], symbols: Mapping[str, Any], *, solve: bool = True) -> list:
    """The real zeros of the expression in the variable `name`, the other variables at their base values, exactly
    (rationals as Fractions, algebraic numbers as sympy numbers); [] where they are not found simply."""
    import sympy

    if name not in terms.variables(expression):
        return []
    try:
        x = symbols[name]
        fixed = {k: _sympy(v) for k, v in base.items() if k != name and k in symbols}
        if terms.operators(expression) & _SYMBOLIC_ONLY:  # differentiated in a variable: substituted afterwards
            expr = backends.to_sympy(expression, symbols).subs({symbols[k]: v for k, v in fixed.items()})
        else:  # built from the numbers: substituting into max/min/abs re-simplifies them at length
            expr = backends.to_sympy(expression, {**symbols, **fixed})
        if expr.free_symbols - {x} or expr.has(sympy.Sum, sympy.Derivative, sympy.Indexed):
            return []
        numerator = sympy.numer(sympy.together(expr))
        factors = [f.base if f.is_Pow and f.exp.is_positive else f for f in sympy.Mul.make_args(numerator)]
        polynomial = [f for f in factors if x in f.free_symbols and f.is_polynomial(x)]
        if polynomial:  # the zeros of the polynomial factors: those of exp(x)·(x² - 2) are ±√2
            found = []
            for factor in polynomial:
                poly = sympy.Poly(factor, x)
                if poly.degree() > _DEGREE or poly.degree() < 1:
                    continue
                if all(c.is_Rational for c in poly.all_coeffs()):
                    found += poly.real_roots()
                elif poly.degree() <= 2:
                    found += [r for r in sympy.solve(factor, x) if r.is_real]
        elif solve and expr.has(sympy.Abs, sympy.Max, sympy.Min) and sympy.count_ops(expr) <= 12 \
                and not expr.has(sympy.exp, sympy.log, sympy.tanh, sympy.Piecewise, sympy.Heaviside, sympy.sign,
                                 sympy.DiracDelta):
            solved = sympy.solveset(expr, x, sympy.S.Reals)
            found = list(solved) if isinstance(solved, sympy.FiniteSet) else []
        else:
            return []
    except Exception:  # noqa: BLE001 - a probe that cannot be computed is not tried; the others stand
        return []
    return [_exact(r) for r in found if r.is_real and r.is_number][:8]


def _sympy(v: Any):
    import sympy

    if isinstance(v, fractions.Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, int):
        return sympy.Integer(v)
    return v


def _exact(r):
    import sympy

    r = sympy.nsimplify(r) if r.is_Float else r
    if r.is_Rational:
        value = fractions.Fraction(int(r.p), int(r.q))
        return value.numerator if value.denominator == 1 else value
    return r


def witness_value(v: Any) -> Any:
    """A probe value as a witness carries it: an int, a Fraction, or an algebraic number written as z3 writes one
    ("root-obj POLY K", the K-th real root of POLY), which the replay reads back exactly."""
    import sympy

    if isinstance(v, list):
        return [witness_value(e) for e in v]
    if isinstance(v, (int, fractions.Fraction, str)):
        return v
    value = sympy.nsimplify(v) if getattr(v, "is_Float", False) else v
    if value.is_Rational:
        return _exact(value)
    x = sympy.Symbol("x")
    poly = sympy.Poly(sympy.minimal_polynomial(value, x), x)
    real = poly.real_roots()
    index = next(k for k, r in enumerate(real) if sympy.simplify(r - value) == 0)
    return f"root-obj {_smt(poly.as_expr(), x)} {index + 1}"


def _smt(expr, x) -> str:
    import sympy

    if expr == x:
        return "x"
    if expr.is_Integer or expr.is_Rational:
        return str(expr) if expr >= 0 else f"(- {-expr})"
    if isinstance(expr, sympy.Add):
        return "(+ " + " ".join(_smt(a, x) for a in expr.args) + ")"
    if isinstance(expr, sympy.Mul):
        return "(* " + " ".join(_smt(a, x) for a in expr.args) + ")"
    if isinstance(expr, sympy.Pow):
        return f"(^ {_smt(expr.base, x)} {expr.exp})"
    raise ValueError(f"not a polynomial: {expr}")


def _candidates(dom: Domain) -> list:
    if dom.size is not None:
        return list(itertools.islice(dom.points(), 8))
    values = SMALL_INTEGERS if dom.kind == "int" else SMALL_RATIONALS
    out = [v for v in values if dom.contains(v)]
    for bound in (dom.lower, dom.upper):
        if bound is not None and dom.contains(bound):
            out.insert(0, bound.numerator if bound.denominator == 1 else bound)
    return out or list(dom.probes())


def boundary_points(relation: Term, scalars: Mapping[str, Domain], *, limit: int = LIMIT) -> list[dict]:
    """The exact points a proved statement is replayed at, critical points first, at most `limit`."""
    if terms.operators(relation) & {"exp", "log", "tanh", "sigmoid", "softplus", "sqrt", "pow_var"}:
        limit = min(limit, _TRANSCENDENTAL_LIMIT)
    plain = {k: d for k, d in scalars.items() if not d.indexed}
    indexed = {k: d for k, d in scalars.items() if d.indexed}
    values = {name: _candidates(dom) for name, dom in plain.items()}
    if any(not v for v in values.values()):
        return []
    base = {name: v[0] for name, v in values.items()}
    special = _special_values(relation, scalars, plain, values) if plain else {}
    points: list[dict] = []

    def add(point: dict) -> None:
        if len(points) < limit and point not in points:
            points.append(point)

    ordered = {name: special[name] + [v for v in values[name] if not any(_same(v, s) for s in special[name])]
               for name in plain}
    names = list(plain)
    for name in names:  # each critical value with the others at their base values
        for r in special[name]:
            add({**base, name: r})
    if names and math.prod(len(ordered[n]) for n in names) <= limit * 4:
        for combo in itertools.product(*(ordered[n] for n in names)):
            add(dict(zip(names, combo)))
    else:
        for shift in range(max((len(v) for v in ordered.values()), default=0)):
            add({n: ordered[n][(i + shift) % len(ordered[n])] for i, n in enumerate(names)})
            for name in names:
                for v in ordered[name]:
                    add({**base, name: v})
    return _with_sequences(points if names else [{}], indexed)


def _special_values(relation: Term, scalars: Mapping[str, Domain], plain: Mapping[str, Domain], values: dict) -> dict:
    """For each scalar variable, the zeros (within its domain) of the relation's critical expressions and of its
    sides' differences (only their polynomial factors' zeros), the others at their first or second candidate value."""
    special: dict[str, list] = {name: [] for name in plain}
    symbols = {name: backends_symbol(name, dom) for name, dom in scalars.items()}
    atoms = [a for a in terms.atoms(relation) if a.op in terms.RELATIONS]
    expressions = [(e, True) for e in critical(relation)] + [(a.args[0] - a.args[1], False) for a in atoms]
    bases = [{k: v[0] for k, v in values.items()}, {k: v[min(1, len(v) - 1)] for k, v in values.items()}]
    seen: set[str] = set()
    for expression, solve in expressions:
        key = terms.text(expression)
        if key in seen:
            continue
        seen.add(key)
        for name, dom in plain.items():
            for at in bases:
                for r in roots(expression, name, at, symbols, solve=solve):
                    if _fits(dom, r) and not any(_same(r, s) for s in special[name]):
                        special[name].append(r)
    return special


def _with_sequences(points: list[dict], indexed: Mapping[str, Domain]) -> list[dict]:
    """The points with a value for each sequence variable: a little longer than the largest integer in the point."""
    out = []
    for point in points:
        length = max([abs(int(v)) for v in point.values() if _is_int(v)] + [0]) + 2
        for name, dom in indexed.items():
            choices = _candidates(dom.scalar if hasattr(dom, "scalar") else dom)
            point = {**point, name: [choices[(k + 1) % len(choices)] for k in range(length)]}
        out.append(point)
    return out


def backends_symbol(name: str, dom: Domain):
    """A sympy symbol for the variable (real or integer; a sequence's elements indexed)."""
    import sympy

    if dom.indexed:
        return sympy.IndexedBase(name, real=True)
    return sympy.Symbol(name, real=True, **({"integer": True} if dom.kind == "int" else {}))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) or (isinstance(v, fractions.Fraction) and v.denominator == 1)


def _fits(dom: Domain, v: Any) -> bool:
    try:
        return bool(dom.contains(v))
    except TypeError:
        return False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, fractions.Fraction)) and isinstance(b, (int, fractions.Fraction)):
        return a == b
    try:
        import sympy

        return bool(sympy.simplify(_sympy(a) - _sympy(b)) == 0)
    except Exception:  # noqa: BLE001
        return False


def first_failure(relation: Term, required: Iterable, points: Iterable[Mapping[str, Any]],
                  held: Optional[list] = None) -> Optional[tuple[dict, str]]:
    """The first point where the relation does not hold in exact arithmetic, with why (false, or undefined); each
    point before it where the replay decided that it holds is appended to `held`, when given."""
    for point in points:
        try:
            if not backends.decide_exact(relation, point, tuple(required)):
                return dict(point), "false"
        except backends.Undefined as exc:
            return dict(point), f"undefined: {exc}"
        except (backends.Undecided, ZeroDivisionError, ValueError, TypeError, terms.Unsupported):
            continue
        if held is not None:
            held.append(point)
    return None
