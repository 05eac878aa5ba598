"""Induction over a whole-number variable n ≥ k: the base case at k in exact arithmetic, the step P(n) ⇒ P(n + 1) by
z3, each sum up to n written as a constant s and the same sum up to n + 1 as s plus its last term."""

from __future__ import annotations

from typing import Optional

from proofs import terms
from proofs.terms import Term

__all__ = ["step"]


def step(relation: Term, name: str, start: int) -> Optional[tuple[Term, Term, list[str]]]:
    """(P(n), P(n + 1), the sums abstracted) with every sum Σ_{i=lo}^{n} f(i) of the relation a variable; None where
    the relation has a sum of another shape (bounds other than a constant and n, a summand reading n) or where some
    sum's range starts above start + 1 (then Σ up to n + 1 is not Σ up to n plus f(n + 1) for every n ≥ start)."""
    sums: dict[str, str] = {}

    def abstract(t: Term, shifted: bool) -> Optional[Term]:
        if t.op == "var":
            return t + 1 if shifted and t.args[0] == name else t
        if t.op in ("const", "bool", "param") or not isinstance(t, Term):
            return t
        if t.op == "sum":
            body, index, lower, upper = t.args
            if not (upper.op == "var" and upper.args[0] == name) or terms.variables(lower) \
                    or not terms.variables(body) <= {index.args[0]} or index.args[0] == name:
                return None
            low = _number(lower)
            if low is None or low > start + 1:
                return None
            shown = terms.text(t)
            s = terms.var(sums.setdefault(shown, f"Σ{len(sums) + 1}"))
            return s + _substitute(body, index.args[0], terms.var(name) + 1) if shifted else s
        if t.op in ("all", "diff", "index", "limit", *terms.QUANTIFIERS):
            return None
        args = []
        for a in t.args:
            out = abstract(a, shifted) if isinstance(a, Term) else a
            if out is None:
                return None
            args.append(out)
        return Term(t.op, tuple(args))

    now, after = abstract(relation, False), abstract(relation, True)
    if now is None or after is None or not sums:
        return None
    return now, after, [f"{s} = {shown}" for shown, s in sums.items()]


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
