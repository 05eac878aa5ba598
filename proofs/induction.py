"""Induction over a whole-number variable n ≥ k: the base case at k in exact arithmetic, the step P(n) ⇒ P(n + 1) by
z3, each sum up to n written as a constant s and the same sum up to n + 1 as s plus its last term."""

from __future__ import annotations

from typing import Optional

from proofs import terms
from proofs.terms import Term

__all__ = ["closed", "step"]


def _rewrite(t: Term, var, on_sum) -> Optional[Term]:
    """The relation with each variable put as var(t) and each sum as on_sum(t); None where on_sum gives None or the
    relation reads a quantifier, a derivative, an index or a limit."""
    if t.op == "var":
        return var(t)
    if t.op in ("const", "bool", "param") or not isinstance(t, Term):
        return t
    if t.op == "sum":
        return on_sum(t)
    if t.op in ("all", "diff", "index", "limit", *terms.QUANTIFIERS):
        return None
    args = []
    for a in t.args:
        out = _rewrite(a, var, on_sum) if isinstance(a, Term) else a
        if out is None:
            return None
        args.append(out)
    return Term(t.op, tuple(args))


def _sum_start(t: Term, name: str, start: int):
    """The constant lower bound lo of a sum Σ_{i=lo}^{n} f(i) whose summand reads only i, where lo ≤ start + 1; None
    for a sum of another shape (bounds other than a constant and n, a summand reading n)."""
    body, index, lower, upper = t.args
    if not (upper.op == "var" and upper.args[0] == name) or terms.variables(lower) \
            or not terms.variables(body) <= {index.args[0]} or index.args[0] == name:
        return None
    low = _number(lower)
    return None if low is None or low > start + 1 else low


def step(relation: Term, name: str, start: int) -> Optional[tuple[Term, Term, list[str]]]:
    """(P(n), P(n + 1), the sums abstracted) with every sum Σ_{i=lo}^{n} f(i) of the relation a variable; None where
    the relation has a sum of another shape (bounds other than a constant and n, a summand reading n) or where some
    sum's range starts above start + 1 (then Σ up to n + 1 is not Σ up to n plus f(n + 1) for every n ≥ start)."""
    sums: dict[str, str] = {}

    def abstract(shifted: bool):
        def on_sum(t: Term) -> Optional[Term]:
            if _sum_start(t, name, start) is None:
                return None
            body, index = t.args[0], t.args[1]
            s = terms.var(sums.setdefault(terms.text(t), f"Σ{len(sums) + 1}"))
            return s + _substitute(body, index.args[0], terms.var(name) + 1) if shifted else s
        return _rewrite(relation, lambda t: t + 1 if shifted and t.args[0] == name else t, on_sum)

    now, after = abstract(False), abstract(True)
    if now is None or after is None or not sums:
        return None
    return now, after, [f"{s} = {shown}" for shown, s in sums.items()]


def closed(relation: Term, name: str, start: int) -> Optional[tuple[Term, list[str]]]:
    """(the relation with each sum put as its closed form, the closed forms) where every sum of the relation is
    Σ_{i=lo}^{n} f(i) with a constant lo ≤ start + 1 and a summand f that is a polynomial in i with rational
    coefficients; None otherwise. A closed form S counts only once exact polynomial arithmetic shows S(lo - 1) = 0 and
    S(m) - S(m - 1) = f(m) for every m: S(n) is then the sum (empty ranges 0) at every n ≥ lo - 1, so at every n ≥ start,
    whatever the algorithm that found S."""
    import sympy

    forms: dict[str, str] = {}

    def on_sum(t: Term) -> Optional[Term]:
        low = _sum_start(t, name, start)
        if low is None or low != int(low):
            return None
        form = _closed_form(t.args[0], t.args[1].args[0], int(low), sympy)
        if form is None:
            return None
        forms[terms.text(t)] = " + ".join(f"({c})·{name}^{k}" for k, c in enumerate(form) if c) or "0"
        out: Term = terms.const(0)
        for k, c in enumerate(form):
            if c:
                out = out + terms.const(c) * (terms.var(name) ** k if k else terms.const(1))
        return out

    out = _rewrite(relation, lambda t: t, on_sum)
    if out is None or not forms:
        return None
    return out, [f"{shown} = {form}" for shown, form in forms.items()]


def _closed_form(body: Term, index: str, low: int, sympy) -> Optional[list]:
    """The coefficients (Fractions, constant first) of S with S(low - 1) = 0 and S(m) - S(m - 1) = body(m), each
    checked in exact polynomial arithmetic; None where the body is not a polynomial in the index with rational
    coefficients."""
    from fractions import Fraction

    from proofs import backends

    i, m = sympy.Symbol(index, integer=True), sympy.Symbol("m", integer=True)
    try:
        f = sympy.expand(backends.to_sympy(body, {index: i}))
        if not f.free_symbols <= {i} or not f.is_polynomial(i):
            return None
        poly = sympy.Poly(f, i)
        if not all(c.is_Rational for c in poly.all_coeffs()):
            return None
        s = sympy.Poly(sympy.expand(sympy.summation(f, (i, low, m))), m)
    except (terms.Unsupported, sympy.PolynomialError, TypeError, ValueError):
        return None
    coefficients = s.all_coeffs()[::-1]
    if not all(c.is_Rational for c in coefficients):
        return None
    exact = [Fraction(int(c.p), int(c.q)) for c in coefficients]

    def at(x):
        return sum((c * Fraction(x) ** k for k, c in enumerate(exact)), Fraction(0))
    if at(low - 1) != 0:
        return None
    # S(m) - S(m - 1) - f(m) is a polynomial of degree at most deg S: zero at deg S + 1 points is zero everywhere
    plain = [Fraction(int(c.p), int(c.q)) for c in poly.all_coeffs()[::-1]]
    for x in range(low, low + max(len(exact), len(plain)) + 1):
        if at(x) - at(x - 1) != sum((c * Fraction(x) ** k for k, c in enumerate(plain)), Fraction(0)):
            return None
    return exact


def _number(t: Term):
    if t.op == "const":
        return t.args[0]
    if t.op == "param":
        return _number(t.args[1])
    if t.op == "neg":
        inner = _number(t.args[0])
        return None if inner is None else -inner
    return None


def _substitute(t: Term, name: str, by: Term) -> Term:
    if t.op == "var":
        return by if t.args[0] == name else t
    if t.op in ("const", "bool", "param"):
        return t
    return Term(t.op, tuple(_substitute(a, name, by) if isinstance(a, Term) else a for a in t.args))
