"""A matrix step's X^T read as a power of a number (T a size), evaluated in plain fractions at a few points."""

from __future__ import annotations

import itertools
import operator
from fractions import Fraction
from typing import Optional

from proofs.scan.matrices import Node

_POOL = (Fraction(2), Fraction(3), Fraction(-1), Fraction(1, 2), Fraction(-2))
_RELATIONS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
              ">=": operator.ge}
_MAX_POINTS = 400


class _Unread(Exception):
    """A part of the side the power reading does not evaluate (a vector, an entry, a function): it decides nothing."""


def _value(n: Node, env: dict, t: int) -> Fraction:
    """The side with every name a number and every ^T the power t; _Unread for anything else."""
    if n.kind == "name":
        letter, index = n.data
        if index is not None or letter not in env:
            raise _Unread(letter)
        return env[letter]
    if n.kind == "num":
        return Fraction(n.data)
    args = [_value(a, env, t) for a in n.args]
    if n.kind == "add":
        return sum(args, Fraction(0))
    if n.kind == "neg" and len(args) == 1:
        return -args[0]
    if n.kind == "mul":
        out = Fraction(1)
        for a in args:
            out *= a
        return out
    if n.kind == "div" and len(args) == 2 and args[1] != 0:
        return args[0] / args[1]
    if n.kind == "T" and len(args) == 1:
        return args[0] ** t
    if n.kind == "pow" and len(args) == 1 and isinstance(n.data, int) and (args[0] != 0 or n.data >= 0):
        return args[0] ** n.data
    if n.kind in ("abs", "norm") and len(args) == 1:
        return abs(args[0])
    raise _Unread(n.kind)


def _letters(n: Node) -> set:
    out = {n.data[0]} if n.kind == "name" else set()
    for a in n.args:
        out |= _letters(a)
    return out


def fails(left: Node, relation: str, right: Node, numbers: set) -> Optional[str]:
    """Where the step fails with each ^T a power t of a number (t = 1..3) and its letters numbers: the point, printed
    with each side's value, or None where it holds at every point tried or cannot be evaluated so. `numbers`: the
    letters that may be read as numbers (a letter the material declares a vector or a matrix may not)."""
    compare = _RELATIONS.get(relation)
    letters = sorted(_letters(left) | _letters(right))
    if compare is None or not set(letters) <= numbers:
        return None
    points = itertools.islice(itertools.product(_POOL, repeat=len(letters)), _MAX_POINTS)
    for values in points:
        env = dict(zip(letters, values))
        for t in (2, 3, 1):
            try:
                lv, rv = _value(left, env, t), _value(right, env, t)
            except _Unread:
                return None
            except (ZeroDivisionError, OverflowError):
                continue
            if not compare(lv, rv):
                shown = ", ".join([f"T = {t}", *(f"{k} = {v}" for k, v in env.items())])
                return f"at {shown} the left side is {lv} and the right side {rv} (exact fractions)"
    return None
