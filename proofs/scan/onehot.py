"""Names the prose says are one-hot, and the refutations at points where they are not."""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from typing import Optional

_ONE_HOT = r"one[- ]hot"
# "$y$ is one-hot", "$y$ is a one-hot label", "$\mathbf{y}$ are one-hot encoded", "let $y$ be a one-hot label", and of a
# list of names: "$y$ and $t$ are one-hot", "let $y$, $t$ and $s$ be one-hot vectors", "$y, t$ are one-hot"
_BEFORE = re.compile(r"((?:\$[^$]{1,40}\$\s*(?:,\s*(?:and\s+)?|\s+and\s+))*\$[^$]{1,40}\$)\s*,?\s+(is|are|be)\s+"
                     r"(?:a\s+|an\s+)?" + _ONE_HOT, re.IGNORECASE)
# "a one-hot label $y$", "the one-hot encoded vector $y$", "one-hot $y$"
_AFTER = re.compile(_ONE_HOT + r"(?:\s+(?:encoded|encoding|label|labels|vector|vectors|target|targets|of))*\s+\$([^$]{1,40})\$",
                    re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]*" + _ONE_HOT + r"[^.!?\n]*(?:\.(?=\s|$)|[!?\n]|$)", re.IGNORECASE)
_MATH = re.compile(r"\$([^$]+)\$")
# \sum_k y_k = 1 in a sentence that says one-hot: the vector summed is the one-hot one
_SUMMED = re.compile(r"\\sum\s*_\s*\{?\s*([a-z])\s*\}?\s*((?:\\(?:mathbf|boldsymbol|vec|bm)\s*\{\s*[A-Za-z]\s*\}|[A-Za-z]))"
                     r"\s*_\s*\{?\s*\1\s*\}?\s*=\s*1\s*$")
# any sum of a vector's entries in such a sentence ("one-hot, so $\sum_k y_k = 2$": a wrong sum of a one-hot y)
_ANY_SUM = re.compile(r"\\sum\s*_\s*\{?\s*([a-z])\s*\}?\s*((?:\\(?:mathbf|boldsymbol|vec|bm)\s*\{\s*[A-Za-z]\s*\}|[A-Za-z]))"
                      r"\s*_\s*\{?\s*\1\s*\}?\s*=")
_NAME = re.compile(r"^\s*(?:\\(?:mathbf|boldsymbol|vec|bm)\s*\{\s*([A-Za-z])\s*\}|([A-Za-z]))\s*$")
_KEY = re.compile(r"^([A-Za-z])(?:\[(\d+)\])?$")


def names(prose: str) -> frozenset:
    """The letters the prose says are one-hot (of "$y$ is one-hot", "a one-hot label $y$", or "the label is one-hot,
    so $\\sum_k y_k = 1$"): the sentences that say one-hot, each read for the name it says it of."""
    out = set()
    for sentence in _SENTENCE.finditer(prose):
        s = sentence.group()
        # a list of names before "is" ("given $x$, $y$ is one-hot") says it of the last one alone
        listed = [f for m in _BEFORE.finditer(s) for f in _MATH.findall(m.group(1))[-1 if m.group(2).lower() == "is" else 0:]]
        for formula in [*listed, *(m.group(1) for m in _AFTER.finditer(s))]:
            for item in formula.split(","):
                n = _NAME.match(item)
                if n:
                    out.add(n.group(1) or n.group(2))
        for m in _MATH.finditer(s):
            summed = _ANY_SUM.search(m.group(1))
            if summed:
                n = _NAME.match(summed.group(2))
                if n:
                    out.add(n.group(1) or n.group(2))
    return frozenset(out)


def sums_to_one(left: str, right: str, one_hot: frozenset) -> bool:
    """Whether `left = right` is \\sum_k y_k = 1 of a one-hot y: a consequence of what the prose says of y."""
    m = _SUMMED.search(f"{left} = {right}")
    if m is None or not m.group(0).startswith("\\sum"):
        return False
    n = _NAME.match(m.group(2))
    return n is not None and (n.group(1) or n.group(2)) in one_hot and left.strip().startswith("\\sum")


def _flat(value) -> list:
    return [x for v in value for x in _flat(v)] if isinstance(value, (list, tuple)) else [value]


def _entries(values: dict, name: str) -> Optional[list]:
    """The entries the point gives the vector `name` (y[1], y[2], ... or y as a matrix), or None if it gives none."""
    found: dict = {}
    for key, value in values.items():
        m = _KEY.match(str(key))
        if m is None or m.group(1) != name:
            continue
        if m.group(2) is None:
            found.update({i: x for i, x in enumerate(_flat(value))})
        else:
            found[int(m.group(2))] = value
    if not found:
        return None
    try:
        return [Fraction(str(found[i])) for i in sorted(found)]
    except (ValueError, ZeroDivisionError):
        return []  # an entry that is no exact number: not a one-hot point


# The most points a refutation is tried at again, with every vector the prose says is one-hot one-hot (the choices
# of a standard basis vector for each, in turn): past it, the step needs review.
MAX_ONE_HOT_POINTS = 512


def guard(step, one_hot: frozenset):
    """A refuted step at a point where a vector the prose says is one-hot is not (entries 0 or 1 summing to 1) needs
    review: the scan's point is outside what the material says, so it does not show the step false. It stays refuted
    only where it fails again at a point where every such vector the point gives is one-hot."""
    if step.status != "refuted" or not one_hot or not step.counterexample:
        return step
    values = step.counterexample.get("values") or {}
    given = {name: entries for name in sorted(one_hot) if (entries := _entries(values, name)) is not None}
    off = {name: entries for name, entries in given.items()
           if not (entries and all(x in (0, 1) for x in entries) and sum(entries) == 1)}
    if not off:
        return step
    hot = _at_one_hot(step, {name: len(entries) for name, entries in off.items()}, values)
    if hot is not None:
        return hot
    shown = "; ".join(f"{name} = ({', '.join(str(x) for x in entries)})" for name, entries in off.items())
    said = " and ".join(off)
    reason = (f"the material says {said} {'is' if len(off) == 1 else 'are'} one-hot, but the scan's point ({shown}) "
              f"is not, so it shows nothing about the step: {step.reason}")
    return dataclasses.replace(step, status="needs review", reason=reason)


def _at_one_hot(step, lengths: dict, values: dict):
    """The step refuted again at a point where each name of `lengths` is one-hot (every choice of a standard basis
    vector e_c of its entries for each, in turn, at most MAX_ONE_HOT_POINTS; the other values the scan's point),
    evaluated exactly by the plain evaluator and meeting the step's conditions; None where it holds at every such
    point, one cannot be evaluated, or there are too many (the guard then asks for review)."""
    import itertools
    import math

    from proofs.scan.replay import Undefined, decide, evaluate

    if step.exprs is None or len(step.exprs) < 2 or any(n < 1 for n in lengths.values()):
        return None
    if math.prod(lengths.values()) > MAX_ONE_HOT_POINTS:
        return None
    try:
        base = {str(k): Fraction(str(v)) for k, v in values.items() if _KEY.match(str(k)) is None
                or _KEY.match(str(k)).group(1) not in lengths}
    except (ValueError, ZeroDivisionError):
        return None
    names = sorted(lengths)
    for choice in itertools.product(*(range(1, lengths[name] + 1) for name in names)):
        point = dict(base)
        for name, c in zip(names, choice):
            point.update({f"{name}[{i}]": Fraction(int(i == c)) for i in range(1, lengths[name] + 1)})
        try:
            left, right = evaluate(step.exprs[0], point), evaluate(step.exprs[1], point)
            held = all(decide(evaluate(a, point), r, evaluate(b, point)) is True for a, r, b in step.conditions or ())
            fails = decide(left, step.relation, right) is False
        except (Undefined, ArithmeticError, TypeError, ValueError, KeyError, AttributeError):
            continue  # a point not evaluated (a side only the matrix reading holds) shows nothing
        if held and fails:
            shown = ", ".join(f"{k} = {v}" for k, v in point.items())
            said = " and ".join(f"a one-hot {name}" for name in names)
            reason = (f"fails at {said} (the material says {'it is' if len(names) == 1 else 'they are'} one-hot): at "
                      f"{shown} the left side is {_shown(left)} and the right side {_shown(right)} (evaluated exactly)")
            example = {"values": {k: str(v) for k, v in point.items()}, "left": _shown(left), "right": _shown(right)}
            return dataclasses.replace(step, reason=reason, counterexample=example)
    return None


def _shown(value) -> str:
    return str(value) if isinstance(value, Fraction) else f"≈ {value}"
