"""Switches a premise settles: under implies(p, q), a corner or switch of q whose side p fixes strictly is its branch."""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Optional

from proofs import terms
from proofs.terms import Term

__all__ = ["settled"]

# Operators continuous wherever they have a value, on an open set of points: an expression built from them that is
# strictly positive at a point is positive on a neighbourhood of it. (sqrt and fractional powers are defined on a
# closed set, a derivative or an ite may jump, a sum's bounds move in steps: none of them is here.)
_CONTINUOUS = frozenset({"var", "const", "param", "add", "sub", "mul", "neg", "div", "exp", "log", "tanh", "sigmoid",
                         "softplus", "abs", "relu", "max", "min"})

# Where a relation l ~ r holds, by the sign of l - r.
_HOLDS = {"lt": {-1: True, 1: False}, "le": {-1: True, 1: False}, "gt": {-1: False, 1: True},
          "ge": {-1: False, 1: True}, "eq": {-1: False, 1: False}, "ne": {-1: True, 1: True}}


def _continuous(t: Term) -> bool:
    if t.op == "pow":
        exponent = t.args[1]
        return exponent.op == "const" and Fraction(exponent.args[0]).denominator == 1 and _continuous(t.args[0])
    return t.op in _CONTINUOUS and all(_continuous(a) for a in t.args if isinstance(a, Term))


def settled(relation: Term, sign: Callable[[Term, Term], int]) -> Optional[tuple[Term, list[str]]]:
    """For implies(p, q): the same statement with every |a|, relu(a), max(a, b), min(a, b) and ite switch in q replaced
    by the branch it takes wherever p holds, when `sign(p, a)` shows a > 0 (1) or a < 0 (-1) at every such point
    (0 where it does not); with the replacements made, in words. Since a is continuous and strictly signed at each
    such point, the branch is the same on a neighbourhood of it, so values and derivatives there are unchanged. None
    when nothing is replaced."""
    if relation.op != "implies":
        return None
    premise, consequent = relation.args
    notes: list[str] = []

    def strict(expression: Term) -> int:
        return sign(premise, expression) if _continuous(expression) else 0

    def rewrite(t: Term) -> Term:
        if not isinstance(t, Term) or t.op in ("var", "const", "param", "bool"):
            return t
        args = tuple(rewrite(a) if isinstance(a, Term) else a for a in t.args)
        out = _branch(Term(t.op, args), strict)
        if out is not None:
            notes.append(f"{terms.text(t)} is {terms.text(out)} where {terms.text(premise)}")
            return out
        return Term(t.op, args)

    fixed = rewrite(consequent)
    return (terms.implies(premise, fixed), notes) if notes else None


def _branch(t: Term, strict: Callable[[Term], int]) -> Optional[Term]:
    """The branch t takes where the premise holds, or None where its switch is not settled."""
    if t.op in ("abs", "relu"):
        s = strict(t.args[0])
        if s == 0:
            return None
        if t.op == "relu":
            return t.args[0] if s > 0 else terms.term(0)
        return t.args[0] if s > 0 else -t.args[0]
    if t.op in ("max", "min"):
        s = strict(t.args[0] - t.args[1])
        if s == 0:
            return None
        return t.args[0] if (s > 0) == (t.op == "max") else t.args[1]
    if t.op == "ite":
        truth = _truth(t.args[0], strict)
        return None if truth is None else (t.args[1] if truth else t.args[2])
    return None


def _truth(condition: Term, strict: Callable[[Term], int]) -> Optional[bool]:
    """The condition's value wherever the premise holds, each relation by the strict sign of its sides' difference."""
    if condition.op == "bool":
        return condition.args[0]
    if condition.op in _HOLDS:
        s = strict(condition.args[0] - condition.args[1])
        return None if s == 0 else _HOLDS[condition.op][s]
    if condition.op not in terms.CONNECTIVES:
        return None
    parts = [_truth(a, strict) for a in condition.args]
    return None if None in parts else terms.CONNECTIVES[condition.op](parts)
