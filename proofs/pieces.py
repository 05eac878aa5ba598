"""Statements in one real variable proved piece by piece: split the line at every kink, switch and undefined point.

On each open interval between those points every |·|, relu, max, min and ite takes one branch, so the statement
there is a smooth one whose identity sympy can show; at each point itself the exact replay decides it (a derivative
from the one-sided slopes of the whole term). Both halves in the tool's own semantics, none in sympy's conventions
for Heaviside or sign at 0.
"""

from __future__ import annotations

import fractions
from typing import Any, Callable, Mapping, Optional, Sequence

from proofs import backends, terms
from proofs.domains import Domain
from proofs.probes import critical
from proofs.terms import Term

__all__ = ["by_pieces", "SWITCHES"]

# Operators that switch between smooth branches.
SWITCHES = frozenset({"abs", "relu", "max", "min", "ite"})
# No more points than this: a statement with more kinks is left to the other methods.
_MAX_POINTS = 24


def by_pieces(relation: Term, name: str, dom: Domain, required: Sequence[terms.Condition],
              identity: Callable[[Term], Optional[bool]]) -> Optional[tuple[str, Any]]:
    """("proved", how) when the relation holds on every open piece (`identity` shows the smooth statement there) and
    at every point between pieces (exact replay); ("refuted", point) where the replay at such a point fails; None
    where the pieces cannot be found exactly or a piece is not shown."""
    import sympy

    if relation.op != "eq" or not (terms.operators(relation) & SWITCHES):
        return None
    x = sympy.Symbol(name, real=True)
    points = []
    for side in relation.args:
        for expression in critical(side):
            found = _zeros(expression, name, x)
            if found is None:
                return None
            points += found
    for bound in (dom.lower, dom.upper):  # cuts too, open or not: every piece is then inside the domain or outside
        if bound is not None:
            points.append(sympy.Rational(bound.numerator, bound.denominator))
    points = _ordered(_distinct(points))
    if points is None or len(points) > _MAX_POINTS:
        return None
    how = []
    for p in points:
        if not _inside(dom, p):
            continue
        value = _number(p)
        try:
            holds = backends.decide_exact(relation, {name: value}, required)
        except backends.Undefined:
            return "refuted", {name: value}
        except (backends.Undecided, terms.Unsupported, ValueError, TypeError, ZeroDivisionError):
            return None
        if not holds:
            return "refuted", {name: value}
        how.append(f"{name} = {p}: exact replay")
    for low, high in zip([None, *points], [*points, None]):
        sample = _between(low, high)
        if sample is None:  # a piece no exact point is found on is not shown: no proof
            return None
        if not _inside(dom, sample, strict=True):
            continue
        try:
            if not backends.decide_exact(relation, {name: sample}, required):  # defined and true on this piece?
                return "refuted", {name: sample}
            smooth = _branches(relation, {name: sample})
        except backends.Undefined:
            return "refuted", {name: sample}
        except (backends.Undecided, terms.Unsupported, ValueError, TypeError):
            return None
        if not identity(smooth):
            return None
        how.append(f"{_interval(low, high)}: {terms.text(smooth)}")
    return "proved", how


def _zeros(expression: Term, name: str, x) -> Optional[list]:
    """Every real zero of the expression in the variable, exactly; None where they cannot all be found."""
    import sympy

    if not terms.variables(expression) <= {name}:
        return None
    if not terms.variables(expression):
        return []
    if terms.operators(expression) & {"exp", "log", "tanh", "sigmoid", "softplus", "sqrt", "diff", "sum", "index"}:
        return None
    try:
        expr = backends.to_sympy(expression, {name: x})
        solved = sympy.solveset(expr, x, sympy.S.Reals)
    except Exception:  # noqa: BLE001 - no exact zeros: no proof by pieces
        return None
    if isinstance(solved, (sympy.Interval, sympy.Union)) and all(
            isinstance(part, (sympy.Interval, sympy.FiniteSet)) for part in (solved.args if isinstance(solved, sympy.Union)
                                                                           else (solved,))):
        # 0 on whole intervals (relu(x) for x <= 0): their ends cut the line into pieces where it is 0 throughout or
        # nowhere
        solved = solved.boundary
    if not isinstance(solved, sympy.FiniteSet) or len(solved) > _MAX_POINTS:
        return None
    if not all(p.is_real and p.is_number for p in solved):
        return None
    return list(solved)


def _distinct(points) -> list:
    import sympy

    out = []
    for p in points:
        if not any(sympy.simplify(p - q) == 0 for q in out):
            out.append(p)
    return out


def _less(p, q) -> Optional[bool]:
    """Whether p < q for two real numbers (rational or algebraic), decided exactly or by an evaluation whose digits
    sympy guarantees; None where neither settles it (the two may be equal)."""
    import sympy

    if p.is_Rational and q.is_Rational:
        return bool(p < q)
    for digits in (30, 100, 300):
        try:
            gap = sympy.N(q - p, digits, strict=True)
        except Exception:  # noqa: BLE001 - its digits are not guaranteed: try more, or leave it open
            continue
        if gap.is_Number and gap != 0:
            return bool(gap > 0)
    return None


def _ordered(points) -> Optional[list]:
    """The points in increasing order, each one shown below the next (two points closer than a float tells apart are
    ordered exactly); None where two cannot be ordered."""
    import functools

    undecided = []

    def compare(p, q) -> int:
        less = _less(p, q)
        if less is None:
            undecided.append((p, q))
            return 0
        return -1 if less else 1
    out = sorted(points, key=functools.cmp_to_key(compare))
    if undecided or any(_less(p, q) is not True for p, q in zip(out, out[1:])):
        return None
    return out


def _inside(dom: Domain, p, strict: bool = False) -> bool:
    if dom.lower is not None and (p < dom.lower or ((strict or dom.lower_open) and p == dom.lower)):
        return False
    if dom.upper is not None and (p > dom.upper or ((strict or dom.upper_open) and p == dom.upper)):
        return False
    return True


def _number(p):
    """A Fraction for a rational point, the sympy algebraic number otherwise."""
    if p.is_Rational:
        value = fractions.Fraction(int(p.p), int(p.q))
        return value.numerator if value.denominator == 1 else value
    return p


def _between(low, high) -> Optional[fractions.Fraction]:
    """A rational strictly between two points (either may be None: unbounded), checked exactly."""
    import sympy

    if low is None and high is None:
        return fractions.Fraction(0)
    if low is None:
        return fractions.Fraction(int(sympy.floor(high)) - 1)
    if high is None:
        return fractions.Fraction(int(sympy.ceiling(low)) + 1)
    if low.is_Rational and high.is_Rational:  # two rationals however close: their midpoint, exactly
        mid = (low + high) / 2
        candidates = [sympy.nsimplify(sympy.N(mid, digits), rational=True) for digits in (4, 10)] + [mid]
    else:
        candidates = [sympy.nsimplify((sympy.N(low, digits + 5) + sympy.N(high, digits + 5)) / 2, rational=True)
                      for digits in (4, 10, 30)]
        candidates += [sympy.Rational(sympy.N((low + high) / 2, digits)) for digits in (40, 120, 320)]
    for mid in candidates:
        if _less(low, mid) and _less(mid, high):
            return fractions.Fraction(int(mid.p), int(mid.q))
    return None


def _interval(low, high) -> str:
    return f"({'-∞' if low is None else low}, {'∞' if high is None else high})"


def _branches(t: Term, point: Mapping[str, Any]) -> Term:
    """The term with every switch replaced by the branch it takes at the point (inside an open piece: everywhere on
    it)."""
    op, args = t.op, t.args
    if op in ("var", "const", "bool", "param"):
        return t

    def at(sub: Term):
        return backends.exact_value(sub, point)
    if op == "abs":
        inner = _branches(args[0], point)
        return inner if at(args[0]) > 0 else Term("neg", (inner,))
    if op == "relu":
        return _branches(args[0], point) if at(args[0]) > 0 else terms.term(0)
    if op in ("max", "min"):
        a, b = at(args[0]), at(args[1])
        first = a > b if op == "max" else a < b
        return _branches(args[0] if first else args[1], point)
    if op == "ite":
        return _branches(args[1] if backends.decide_exact(args[0], point) else args[2], point)
    if op == "diff":
        return Term("diff", (_branches(args[0], point), args[1]))
    if op in ("sum", "all", "limit", *terms.QUANTIFIERS):
        raise terms.Unsupported("a sum, a limit or a quantifier in a statement proved by pieces")
    return Term(op, tuple(_branches(a, point) if isinstance(a, Term) else a for a in args))
