"""Sized statements at concrete sizes: exact rational matrices drawn for each role, evaluated with plain loops, norms as
exact algebraic numbers; the search for a counterexample and the exact check a proof must survive."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Mapping, Optional

from proofs.domains import Domain
from proofs.sized import MatrixTerm, NoValue, NormTerm, SizedRelation, evaluate, index_value, premises
from proofs.sized import text as sized_text
from proofs.terms import Term

__all__ = ["SIZES", "LENGTHS", "TRIES", "search", "holds_at", "rows"]

# Concrete sizes n and lengths (the upper index minus the lower one) searched for a counterexample, and tried again after
# a proof (the exact replay a proof must survive; n = 1 and the empty product are the boundary points).
SIZES, LENGTHS, TRIES = (2, 1, 3), (1, 0, 2, 3), 24
_INDEX_VALUES = range(0, 4)


_ENTRIES = tuple(Fraction(v) for v in ("-2", "-1", "0", "0", "1", "1", "2", "1/2", "-1/2", "1/4"))
_DIAGONAL = tuple(Fraction(v) for v in ("1/4", "1/2", "1", "2", "-1", "0"))


def _draw(rng: random.Random, role: str, n: int) -> list:
    """A random exact value of the role: a list of rows (a vector is n × 1)."""
    from proofs.solvers.matrices import cayley

    if role == "vector":
        return [[rng.choice(_ENTRIES)] for _ in range(n)]
    if role in ("diagonal", "diagonal01"):
        d = [rng.choice(_DIAGONAL if role == "diagonal" else (Fraction(0), Fraction(1))) for _ in range(n)]
        return [[d[i] if i == j else Fraction(0) for j in range(n)] for i in range(n)]
    if role == "orthogonal":
        if n == 1:
            return [[rng.choice((Fraction(1), Fraction(-1)))]]
        skew = [[Fraction(0)] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                skew[i][j] = rng.choice(_ENTRIES)
                skew[j][i] = -skew[i][j]
        Q = cayley(skew)
        return [[-v for v in row] for row in Q] if rng.random() < 0.5 else Q
    return [[rng.choice(_ENTRIES) for _ in range(n)] for _ in range(n)]


def _norm_value(M: list) -> Any:
    """‖M‖ exactly: the square root of the largest root of det(x I - Mᵀ M) (sympy's exact real roots)."""
    import sympy

    if len(M[0]) == 1:
        return sympy.sqrt(sympy.Rational(str(sum((row[0] * row[0] for row in M), Fraction(0)))))
    x = sympy.Symbol("x")
    gram = sympy.Matrix([[sum((M[k][i] * M[k][j] for k in range(len(M))), Fraction(0)) for j in range(len(M))]
                         for i in range(len(M))]).applyfunc(lambda v: sympy.Rational(str(v)))
    return sympy.sqrt(sympy.Poly(gram.charpoly(x).as_expr(), x).real_roots()[-1])  # sorted: the last is the largest


def _scalar_value(x: NormTerm, n: int, indices: Mapping[str, int], element) -> Any:
    import sympy

    if x.op == "const":
        return sympy.Rational(str(x.args[0]))
    if x.op == "mul":
        return _scalar_value(x.args[0], n, indices, element) * _scalar_value(x.args[1], n, indices, element)
    if x.op == "norm":
        return _norm_value(evaluate(x.args[0], n, indices, element))
    k, body, lo, hi = x.args
    out = sympy.Integer(1)
    for value in range(index_value(lo, indices), index_value(hi, indices) + 1):
        out *= _scalar_value(body, n, {**indices, k.args[0]: value}, element)
    return out


def _sign(value: Any) -> int:
    """The sign of an exact real (an algebraic number built from square roots and roots of polynomials), from 15
    digits sympy guarantees correct (strict evaluation), or 30 when it is near 0; 0 when it is within 10^-20 of 0 or
    sympy cannot guarantee the digits (an exact 0 it does not simplify, times 10^300, evaluates to "0.e+176"
    without strict evaluation): never a refutation."""
    import sympy
    from mpmath.libmp.libhyper import NoConvergence
    from sympy.core.evalf import PrecisionExhausted

    try:
        rough = sympy.N(value, 15, strict=True)
        if abs(rough) > sympy.Float("1e-6", 15):  # far from 0: 15 correct digits settle the sign
            return 1 if rough > 0 else -1
        approx = sympy.N(value, 30, strict=True)
    except (PrecisionExhausted, NoConvergence, ValueError, TypeError):
        return 0
    if not approx.is_Number:
        return 0
    return 0 if abs(approx) < sympy.Float("1e-20", 30) else (1 if approx > 0 else -1)


def holds_at(rel: SizedRelation, n: int, indices: Mapping[str, int], element) -> tuple[bool, dict]:
    """The relation at one exact instance (a false premise makes it hold), with what each side evaluated to; a term
    with no value there (backward(...) with t > T) makes it false, the sides saying which index condition failed."""
    try:
        return _holds_at(rel, n, indices, element)
    except NoValue as exc:
        return False, {"undefined": str(exc), "needs": f"{exc.lower} ≤ {exc.upper}"}


def _holds_at(rel: SizedRelation, n: int, indices: Mapping[str, int], element) -> tuple[bool, dict]:
    for premise in premises(rel):
        if not _premise_at(premise, n, indices, element):
            return True, {"premise": f"{sized_text(premise)} is false here"}
    if isinstance(rel.lhs, MatrixTerm):
        lhs, rhs = evaluate(rel.lhs, n, indices, element), evaluate(rel.rhs, n, indices, element)
        return lhs == rhs, {"lhs": rows(lhs), "rhs": rows(rhs)}
    lhs, rhs = _scalar_value(rel.lhs, n, indices, element), _scalar_value(rel.rhs, n, indices, element)
    sign = _sign(rhs - lhs)
    holds = sign == 0 if rel.op == "eq" else sign >= 0
    return holds, {"lhs": str(lhs), "rhs": str(rhs), "lhs ≈": str(lhs.evalf(12)), "rhs ≈": str(rhs.evalf(12))}


def _premise_at(premise: Any, n: int, indices: Mapping[str, int], element) -> bool:
    """An index premise, or a matrix premise (X == Y, X != Y) compared entry by entry in exact arithmetic."""
    if isinstance(premise, SizedRelation):
        same = evaluate(premise.lhs, n, indices, element) == evaluate(premise.rhs, n, indices, element)
        return same if premise.op == "eq" else not same
    return _premise(premise, indices)


def _premise(premise: Term, indices: Mapping[str, int]) -> bool:
    a, b = (index_value(x, indices) for x in premise.args)
    return {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[premise.op]


def rows(M: list) -> list:
    return [[str(v) for v in row] for row in M]


def _assignments(indices: Mapping[str, Domain], premise: tuple) -> list[dict]:
    import itertools

    names = sorted(indices)
    out = []
    for values in itertools.product(_INDEX_VALUES, repeat=len(names)):
        point = dict(zip(names, values))
        if all(indices[k].contains(v) for k, v in point.items()) and all(_premise(p, point) for p in premise):
            out.append(point)
    spread = lambda p: max(p.values(), default=0) - min(p.values(), default=0)  # noqa: E731
    return sorted(out, key=lambda p: (LENGTHS.index(spread(p)) if spread(p) in LENGTHS else 9, sorted(p.items())))


def search(rel: SizedRelation, indices: Mapping[str, Domain], sizes=SIZES, tries=TRIES) -> Optional[tuple[dict, dict]]:
    """A counterexample at a concrete size: (witness, sides), or None. A premise X == Y whose side X is one variable
    or sequence member (D[k + 1] == 0) that Y does not mention is met by drawing X as Y's value."""
    forced = _forced(rel)
    for n in sizes:
        for point in _assignments(indices, tuple(p for p in premises(rel) if isinstance(p, Term)))[:8]:
            for attempt in range(tries):
                rng = random.Random(f"{n}:{sorted(point.items())}:{attempt}")
                drawn: dict = {}

                def element(name, role, key, _rng=rng, _drawn=drawn, _n=n):
                    slot = (name, key)
                    if slot not in _drawn:
                        _drawn[slot] = (role, _draw(_rng, role, _n))
                    return _drawn[slot][1]

                for atom, other in forced:  # a premise X == Y with X one variable: X drawn as Y's value, if of X's role
                    slot = (atom.args[0], None if atom.op == "var" else index_value(atom.args[2], point))
                    try:
                        value = evaluate(other, n, point, element)
                    except ValueError:  # the other side is undefined here (a gradient from a later step): not forced
                        continue
                    if slot not in drawn and _fits(atom.args[1], value):
                        drawn[slot] = (atom.args[1], value)
                holds, sides = holds_at(rel, n, point, element)
                if not holds:
                    return _witness(n, point, drawn), sides
    return None


def _forced(rel: SizedRelation) -> list[tuple[MatrixTerm, MatrixTerm]]:
    out = []
    for premise in premises(rel):
        if isinstance(premise, SizedRelation) and premise.op == "eq":
            for atom, other in ((premise.lhs, premise.rhs), (premise.rhs, premise.lhs)):
                if atom.op in ("var", "at") and atom.args[0] not in _names(other):
                    out.append((atom, other))
                    break
    return out


def _names(x: Any) -> set[str]:
    if isinstance(x, MatrixTerm) and x.op in ("var", "at"):
        return {x.args[0]}
    if isinstance(x, (MatrixTerm, NormTerm)):
        return set().union(*(_names(a) for a in x.args))
    return set()


def _fits(role: str, M: list) -> bool:
    """Whether a computed value is a value of the role (else the premise is left to the draws)."""
    n = len(M)
    if role == "vector":
        return all(len(row) == 1 for row in M)
    if any(len(row) != n for row in M):
        return False
    off = all(M[i][j] == 0 for i in range(n) for j in range(n) if i != j)
    if role == "diagonal":
        return off
    if role == "diagonal01":
        return off and all(M[i][i] in (0, 1) for i in range(n))
    if role == "orthogonal":
        return all(sum((M[k][i] * M[k][j] for k in range(n)), Fraction(0)) == (i == j) for i in range(n) for j in range(n))
    return True


def _witness(n: int, point: Mapping[str, int], drawn: Mapping[tuple, tuple]) -> dict:
    """A counterexample as a witness: n, the indices, each matrix as a list of rows (a vector as a list), a sequence's
    elements under their index."""
    out: dict[str, Any] = {"n": n, **point}
    for (name, key), (role, value) in sorted(drawn.items(), key=lambda kv: (kv[0][0], -1 if kv[0][1] is None else kv[0][1])):
        shown = [str(row[0]) for row in value] if role == "vector" else rows(value)
        if key is None:
            out[name] = shown
        else:
            out.setdefault(name, {})[str(key)] = shown
    return out
