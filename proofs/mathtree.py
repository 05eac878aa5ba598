"""Mathematics as bounded JSON trees built from sympy objects, and their presentation MathML; nothing is ever parsed.

A tree is a JSON list whose first item names the node:

    ["num", "12"]                 an exact number as text: digits with an optional "." part and exponent
    ["sym", "w_1"]                a symbol by name ("_" starts a subscript, Greek letter names become letters)
    ["neg", a]                    -a
    ["add", a, b, ...]            a + b + ... (a "neg" term is shown as a subtraction)
    ["mul", a, b, ...]            a b ...
    ["frac", a, b]                a / b
    ["pow", a, b]                 a to the power b
    ["sqrt", a]                   the square root of a
    ["abs", a]                    |a|
    ["fn", "name", a, ...]        name(a, ...)
    ["rel", "=", a, b]            a relation; the operator is one of = ≠ < ≤ > ≥
    ["deriv", a, [x, n], ...]     the n-th derivative of a in x (then in the next variable...)
    ["sum", a, i, lo, hi]         the sum of a for i from lo to hi
    ["text", "..."]               anything else: an opaque leaf holding the object's str()

Evidence carries a tree as {"math": tree, "text": "..."} (`evidence(expr)` makes one); the HTML report renders it
with `mathml`, every other report shows its text. `tree` takes an object the engine built, never a string, and
bounds the tree's depth and size; `mathml` renders only well-formed trees within those bounds, escaping every name
and number, and returns None for anything else.
"""

from __future__ import annotations

import fractions
import html
import re
from typing import Any, Optional

from proofs.jsonsafe import integer, text

__all__ = ["MAX_DEPTH", "MAX_NODES", "tree", "evidence", "is_math", "mathml"]

# nodes nested deeper than this are cut (tree) or rejected (mathml); with its evidence keys a tree stays within
# jsonsafe.MAX_DEPTH
MAX_DEPTH = 24
# nodes in one tree; beyond it, tree() puts "…" leaves and mathml() rejects the tree
MAX_NODES = 2000
# characters of one name, number or opaque leaf
_MAX_LEAF = 400

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_RELATIONS = {"Equality": "=", "Unequality": "≠", "StrictLessThan": "<", "LessThan": "≤", "StrictGreaterThan": ">",
              "GreaterThan": "≥"}
_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5), ("zeta", 0x3B6),
    ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC),
    ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4),
    ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393),
    ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3),
    ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
_CONSTANTS = {"Infinity": "∞", "NegativeInfinity": "-∞", "Pi": "π", "Exp1": "e", "ImaginaryUnit": "i"}


class _Builder:
    """One call of tree(): the nodes it may still make."""

    def __init__(self) -> None:
        self.nodes = MAX_NODES

    def build(self, expr: Any, depth: int) -> list:
        self.nodes -= 1
        if self.nodes < 0 or depth >= MAX_DEPTH:
            return ["text", "…"]
        name = type(expr).__name__
        if getattr(expr, "is_Integer", False):
            return _num(int(expr))
        if getattr(expr, "is_Rational", False):
            p, q = int(expr.p), int(expr.q)
            node = ["frac", _num(abs(p)), _num(q)]
            return ["neg", node] if p < 0 else node
        if getattr(expr, "is_Float", False):
            shown = _str(expr)
            return ["num", shown] if _NUMBER.fullmatch(shown) else ["text", shown]
        if name in _CONSTANTS:
            return ["sym", _CONSTANTS[name]]
        if getattr(expr, "is_Symbol", False) or getattr(expr, "is_Dummy", False):
            return ["sym", text(expr.name, _MAX_LEAF)]
        if name in _RELATIONS:
            return ["rel", _RELATIONS[name], self.build(expr.lhs, depth + 1), self.build(expr.rhs, depth + 1)]
        if getattr(expr, "is_Add", False):
            return ["add", *(self.build(t, depth + 1) for t in expr.as_ordered_terms())]
        if getattr(expr, "is_Mul", False):
            coeff, rest = expr.as_coeff_Mul()
            if coeff.is_negative:
                return ["neg", self.build(-expr, depth + 1)]
            numer, denom = expr.as_numer_denom()
            if denom != 1:
                return ["frac", self.build(numer, depth + 1), self.build(denom, depth + 1)]
            return ["mul", *(self.build(f, depth + 1) for f in expr.as_ordered_factors())]
        if getattr(expr, "is_Pow", False):
            base, exp = expr.args
            if getattr(exp, "is_Rational", False) and (exp.p, exp.q) == (1, 2):
                return ["sqrt", self.build(base, depth + 1)]
            if getattr(exp, "is_negative", False) and getattr(exp, "is_Rational", False):
                return ["frac", ["num", "1"], self.build(base ** -exp, depth + 1)]
            return ["pow", self.build(base, depth + 1), self.build(exp, depth + 1)]
        if name == "Abs":
            return ["abs", self.build(expr.args[0], depth + 1)]
        if name == "Derivative":
            pairs = [[self.build(v, depth + 1), _num(int(n)) if getattr(n, "is_Integer", False) else self.build(n, depth + 1)]
                     for v, n in expr.variable_count]
            return ["deriv", self.build(expr.expr, depth + 1), *pairs]
        if name == "Sum" and len(expr.limits) == 1 and len(expr.limits[0]) == 3:
            i, lo, hi = expr.limits[0]
            return ["sum", self.build(expr.function, depth + 1), self.build(i, depth + 1), self.build(lo, depth + 1),
                    self.build(hi, depth + 1)]
        if getattr(expr, "is_Function", False) and name not in ("Piecewise", "Subs"):
            fname = getattr(expr.func, "__name__", name)
            return ["fn", text(fname, _MAX_LEAF), *(self.build(a, depth + 1) for a in expr.args)]
        return ["text", _str(expr)]


def _num(value: int) -> list:
    shown = integer(value)
    return ["num", str(shown)] if isinstance(shown, int) else ["text", shown]


def _str(expr: Any) -> str:
    try:
        return text(str(expr), _MAX_LEAF)
    except Exception as exc:  # noqa: BLE001 - an object that cannot print itself is still a leaf
        return f"<{type(expr).__name__}: {type(exc).__name__}>"


def tree(expr: Any) -> list:
    """The tree of a sympy expression the engine built (or an int or Fraction); never parses a string: a string, or
    any other object, becomes an opaque leaf holding its text."""
    if isinstance(expr, str):
        return ["text", text(expr, _MAX_LEAF)]
    if isinstance(expr, int) and not isinstance(expr, bool):
        return _num(expr)
    if isinstance(expr, fractions.Fraction):
        node = ["frac", _num(abs(expr.numerator)), _num(expr.denominator)] if expr.denominator != 1 else _num(abs(expr.numerator))
        return ["neg", node] if expr < 0 else node
    if not type(expr).__module__.startswith("sympy"):
        return ["text", _str(expr)]
    try:
        return _Builder().build(expr, 0)
    except Exception:  # noqa: BLE001 - an expression of an unexpected shape is shown as its text
        return ["text", _str(expr)]


def evidence(expr: Any) -> dict:
    """Evidence for an expression: {"math": its tree, "text": its str()}; reports render the first or show the second."""
    return {"math": tree(expr), "text": _str(expr)}


def is_math(value: Any) -> bool:
    """Whether an evidence value is a {"math": tree, "text": "..."} object."""
    return isinstance(value, dict) and set(value) == {"math", "text"} and isinstance(value["text"], str)


class _Malformed(ValueError):
    pass


class _Renderer:
    """One call of mathml(): the nodes it may still render."""

    def __init__(self) -> None:
        self.nodes = MAX_NODES

    def leaf(self, value: Any) -> str:
        if not isinstance(value, str) or len(value) > _MAX_LEAF:
            raise _Malformed("a leaf must be a short string")
        return html.escape(value, quote=True)

    def name(self, value: Any) -> str:
        self.leaf(value)
        base, _, sub = value.partition("_")
        if not base or not sub:
            return f"<mi>{html.escape(_GREEK.get(value, value), quote=True)}</mi>"
        return (f"<msub><mi>{html.escape(_GREEK.get(base, base), quote=True)}</mi>"
                f"<mi>{html.escape(_GREEK.get(sub, sub), quote=True)}</mi></msub>")

    def node(self, t: Any, depth: int) -> str:
        self.nodes -= 1
        if self.nodes < 0 or depth > MAX_DEPTH:
            raise _Malformed("too large or too deep")
        if not isinstance(t, list) or not t or not isinstance(t[0], str):
            raise _Malformed("a node is a list starting with its kind")
        kind, args = t[0], t[1:]
        sub = lambda a: self.node(a, depth + 1)  # noqa: E731
        if kind == "num" and len(args) == 1:
            if not isinstance(args[0], str) or not _NUMBER.fullmatch(args[0]):
                raise _Malformed("a number must be digits")
            return f"<mn>{self.leaf(args[0])}</mn>"
        if kind == "sym" and len(args) == 1:
            return self.name(args[0])
        if kind == "text" and len(args) == 1:
            return f"<mtext>{self.leaf(args[0])}</mtext>"
        if kind == "neg" and len(args) == 1:
            return f"<mrow><mo>-</mo>{self.wrapped(args[0], depth, ('add', 'neg'))}</mrow>"
        if kind == "add" and len(args) >= 2:
            parts = [sub(args[0])]
            for term in args[1:]:
                if isinstance(term, list) and term[:1] == ["neg"] and len(term) == 2:
                    self.nodes -= 1
                    parts.append(f"<mo>-</mo>{self.wrapped(term[1], depth + 1, ('add', 'neg'))}")
                else:
                    parts.append(f"<mo>+</mo>{sub(term)}")
            return f"<mrow>{''.join(parts)}</mrow>"
        if kind == "mul" and len(args) >= 2:
            factors = [self.wrapped(a, depth, ("add", "neg")) for a in args]
            return "<mrow>" + "<mo>&#x2062;</mo>".join(factors) + "</mrow>"
        if kind == "frac" and len(args) == 2:
            return f"<mfrac>{sub(args[0])}{sub(args[1])}</mfrac>"
        if kind == "pow" and len(args) == 2:
            return f"<msup>{self.wrapped(args[0], depth, ('add', 'neg', 'mul', 'frac', 'pow'))}{sub(args[1])}</msup>"
        if kind == "sqrt" and len(args) == 1:
            return f"<msqrt>{sub(args[0])}</msqrt>"
        if kind == "abs" and len(args) == 1:
            return f"<mrow><mo>|</mo>{sub(args[0])}<mo>|</mo></mrow>"
        if kind == "fn" and len(args) >= 1:
            inner = "<mo>,</mo>".join(sub(a) for a in args[1:])
            return f"<mrow>{self.name(args[0])}<mo>&#x2061;</mo><mrow><mo>(</mo>{inner}<mo>)</mo></mrow></mrow>"
        if kind == "rel" and len(args) == 3 and args[0] in _RELATIONS.values():
            return f"<mrow>{sub(args[1])}<mo>{html.escape(args[0])}</mo>{sub(args[2])}</mrow>"
        if kind == "deriv" and len(args) >= 2:
            order, below = [], []
            for pair in args[1:]:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _Malformed("a derivative variable is [variable, order]")
                var, n = sub(pair[0]), sub(pair[1])
                one = pair[1] == ["num", "1"]
                below.append(f"<mi>d</mi>{var}" if one else f"<mi>d</mi><msup>{var}{n}</msup>")
                order.append(None if one else n)
            top = "<mi>d</mi>" if all(o is None for o in order) else "<msup><mi>d</mi><mrow>" + "<mo>+</mo>".join(
                o or "<mn>1</mn>" for o in order) + "</mrow></msup>"
            return f"<mrow><mfrac>{top}<mrow>{''.join(below)}</mrow></mfrac>{self.wrapped(args[0], depth, ('add', 'neg'))}</mrow>"
        if kind == "sum" and len(args) == 4:
            term, i, lo, hi = (sub(a) for a in args)
            return f"<mrow><munderover><mo>&#x2211;</mo><mrow>{i}<mo>=</mo>{lo}</mrow>{hi}</munderover>{term}</mrow>"
        raise _Malformed(f"unknown node {kind!r} or wrong number of parts")

    def wrapped(self, t: Any, depth: int, kinds: tuple) -> str:
        inner = self.node(t, depth + 1)
        if isinstance(t, list) and t[:1] and t[0] in kinds:
            return f"<mrow><mo>(</mo>{inner}<mo>)</mo></mrow>"
        return inner


def mathml(t: Any) -> Optional[str]:
    """The tree as a presentation MathML <math> element, or None when it is malformed, too deep or too large."""
    try:
        body = _Renderer().node(t, 0)
    except (_Malformed, RecursionError, TypeError, ValueError):
        return None
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{body}</math>'
