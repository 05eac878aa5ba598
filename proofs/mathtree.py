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
    ["limit", a, x, to]           the limit of a as x tends to `to`
    ["index", x, i]               x_i, the element i of a sequence
    ["and", a, b, ...]            a ∧ b ∧ ...; likewise "or"
    ["not", a]                    ¬a
    ["implies", a, b]             a ⇒ b
    ["ite", c, a, b]              a where c holds, b elsewhere
    ["quant", "∀", body, [x, S], ...]  for all x in S (then the next variable...): body; "∃" for there exist
    ["text", "..."]               anything else: an opaque leaf holding the object's str()

Evidence carries a tree as {"math": tree, "text": "..."} (`evidence(expr)` makes one); the HTML report renders it
with `mathml`, every other report shows its text. `tree` takes a sympy object the engine built, `z3_tree` a z3
expression, never a string, and both bound the tree's depth and size; `plain` prints any tree as one bounded line of
text; `mathml` renders only well-formed trees within those bounds, escaping every name and number, and returns None
for anything else.
"""

from __future__ import annotations

import fractions
import html
import re
from typing import Any, Optional

from proofs.jsonsafe import integer, text

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_TEXT", "tree", "z3_tree", "plain", "evidence", "is_math", "mathml"]

# nodes nested deeper than this are cut (tree) or rejected (mathml); with its evidence keys a tree stays within
# jsonsafe.MAX_DEPTH
MAX_DEPTH = 24
# nodes in one tree; beyond it, tree() puts "…" leaves and mathml() rejects the tree
MAX_NODES = 2000
# characters of one name, number or opaque leaf
_MAX_LEAF = 400
# characters of the plain text of one tree; longer text ends in "…"
MAX_TEXT = 4000

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_RELATIONS = {"Equality": "=", "Unequality": "≠", "StrictLessThan": "<", "LessThan": "≤", "StrictGreaterThan": ">",
              "GreaterThan": "≥"}
_CONNECTIVES = {"And": "and", "Or": "or", "Not": "not", "Implies": "implies"}
_QUANTIFIERS = ("∀", "∃")
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

    nodes = MAX_NODES  # counted down by each call's own instance

    def build(self, expr: Any, depth: int) -> list:
        self.nodes -= 1
        if self.nodes < 0 or depth >= MAX_DEPTH:
            return ["text", "…"]
        name = type(expr).__name__
        sub = lambda a: self.build(a, depth + 1)  # noqa: E731
        if getattr(expr, "is_Integer", False):
            return _num(int(expr))
        if getattr(expr, "is_Rational", False):
            return tree(fractions.Fraction(int(expr.p), int(expr.q)))
        if getattr(expr, "is_Float", False):
            shown = _str(expr)
            return ["num", shown] if _NUMBER.fullmatch(shown) else ["text", shown]
        if name in _CONSTANTS:
            return ["sym", _CONSTANTS[name]]
        if getattr(expr, "is_Symbol", False) or getattr(expr, "is_Dummy", False):
            return ["sym", text(expr.name, _MAX_LEAF)]
        if name in _RELATIONS:
            return ["rel", _RELATIONS[name], sub(expr.lhs), sub(expr.rhs)]
        if name in _CONNECTIVES and expr.args:
            return [_CONNECTIVES[name], *map(sub, expr.args)]
        if name in ("BooleanTrue", "BooleanFalse"):
            return ["text", "true" if name == "BooleanTrue" else "false"]
        if getattr(expr, "is_Add", False):
            return ["add", *map(sub, expr.as_ordered_terms())]
        if getattr(expr, "is_Mul", False):
            return self.product(expr, sub)
        if getattr(expr, "is_Pow", False):
            base, exp = expr.args
            if getattr(exp, "is_Rational", False) and (exp.p, exp.q) == (1, 2):
                return ["sqrt", sub(base)]
            if getattr(exp, "is_negative", False) and getattr(exp, "is_Rational", False):
                return ["frac", ["num", "1"], sub(base ** -exp)]
            return ["pow", sub(base), sub(exp)]
        return self.operation(expr, name, sub)

    def product(self, expr: Any, sub: Any) -> list:
        coeff, _ = expr.as_coeff_Mul()
        if coeff.is_negative:
            return ["neg", sub(-expr)]
        numer, denom = expr.as_numer_denom()
        if denom != 1:
            return ["frac", sub(numer), sub(denom)]
        return ["mul", *map(sub, expr.as_ordered_factors())]

    def operation(self, expr: Any, name: str, sub: Any) -> list:
        """The tree of a named operation: a derivative, a sum, a limit, a matrix expression, a function."""
        if name == "Abs":
            return ["abs", sub(expr.args[0])]
        if name == "Derivative":
            pairs = [[sub(v), _num(int(n)) if getattr(n, "is_Integer", False) else sub(n)] for v, n in expr.variable_count]
            return ["deriv", sub(expr.expr), *pairs]
        if name == "Sum" and len(expr.limits) == 1 and len(expr.limits[0]) == 3:
            return ["sum", sub(expr.function), *map(sub, expr.limits[0])]
        if name == "Limit" and len(expr.args) >= 3:
            return ["limit", *map(sub, expr.args[:3])]
        if name == "Indexed" and len(expr.indices) == 1:
            return ["index", sub(expr.base.label), sub(expr.indices[0])]
        if name == "MatrixSymbol":
            return ["sym", text(str(expr.name), _MAX_LEAF)]
        if name in ("ZeroMatrix", "Identity"):
            return ["num", "0"] if name == "ZeroMatrix" else ["sym", "I"]
        if name == "MatMul":
            return ["mul", *map(sub, expr.args)]
        if name == "Transpose":
            return ["pow", sub(expr.args[0]), ["sym", "T"]]
        if name == "Subs" and len(expr.variables) == 1:
            return ["fn", "at", sub(expr.expr), ["rel", "=", sub(expr.variables[0]), sub(expr.point[0])]]
        if getattr(expr, "is_Function", False) and name not in ("Piecewise", "Subs"):
            return ["fn", text(getattr(expr.func, "__name__", name), _MAX_LEAF), *map(sub, expr.args)]
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


class _Z3Builder(_Builder):
    """One call of z3_tree(): z3's operators by kind, quantifiers with the names of their bound variables."""

    def __init__(self) -> None:
        super().__init__()
        import z3

        self.z3 = z3
        self.kinds = {z3.Z3_OP_ADD: "add", z3.Z3_OP_MUL: "mul", z3.Z3_OP_AND: "and", z3.Z3_OP_OR: "or",
                      z3.Z3_OP_NOT: "not", z3.Z3_OP_IMPLIES: "implies", z3.Z3_OP_ITE: "ite", z3.Z3_OP_UMINUS: "neg",
                      z3.Z3_OP_POWER: "pow"}
        # built subterms: (AST id, bound names) -> (tree, nodes it takes, its height)
        self.memo: dict = {}
        self.cuts, self.reach = 0, 0
        self.relations = {z3.Z3_OP_EQ: "=", z3.Z3_OP_DISTINCT: "≠", z3.Z3_OP_LE: "≤", z3.Z3_OP_LT: "<",
                          z3.Z3_OP_GE: "≥", z3.Z3_OP_GT: ">"}

    def build(self, e: Any, depth: int, bound: tuple = ()) -> list:  # type: ignore[override]
        """The tree of `e`; a subterm z3 shares (queries repeat them many times over) is built once and reused
        wherever it fits whole in what may still be printed, its size charged each time, so the bounds hold."""
        key = (e.get_id(), bound)
        hit = self.memo.get(key)
        if hit is not None:
            node, size, height = hit
            if size <= self.nodes and depth + height < MAX_DEPTH:
                self.nodes -= size
                self.reach = max(self.reach, depth + height)
                return node
        before, cuts, reach = self.nodes, self.cuts, self.reach
        self.reach = depth
        node = self._node(e, depth, bound)
        if self.cuts == cuts:  # nothing in it was cut short: the same subterm anywhere else prints the same
            self.memo[key] = (node, before - self.nodes, self.reach - depth)
        self.reach = max(reach, self.reach)
        return node

    def _node(self, e: Any, depth: int, bound: tuple) -> list:
        z3 = self.z3
        self.nodes -= 1
        self.reach = max(self.reach, depth)
        if self.nodes < 0 or depth >= MAX_DEPTH:
            self.cuts += 1
            return ["text", "…"]
        sub = lambda a: self.build(a, depth + 1, bound)  # noqa: E731
        # classified by the Python wrapper's class and one AST-kind call (z3's is_* predicates each make several)
        if isinstance(e, z3.IntNumRef):
            value = e.as_long()
            return _num(value) if value >= 0 else ["neg", _num(-value)]
        if isinstance(e, z3.RatNumRef):
            return tree(fractions.Fraction(e.numerator_as_long(), e.denominator_as_long()))
        if isinstance(e, z3.QuantifierRef):
            names = tuple(e.var_name(i) for i in range(e.num_vars()))
            pairs = [[["sym", text(n, _MAX_LEAF)], ["sym", sort_name(e.var_sort(i))]] for i, n in enumerate(names)]
            symbol = "∀" if e.is_forall() else "∃"
            return ["quant", symbol, self.build(e.body(), depth + 1, bound + names), *pairs]
        ast_kind = z3.Z3_get_ast_kind(e.ctx_ref(), e.as_ast())
        if ast_kind == z3.Z3_VAR_AST:
            index = z3.get_var_index(e)
            return ["sym", text(bound[-1 - index], _MAX_LEAF)] if index < len(bound) else ["text", _str(e)]
        if ast_kind != z3.Z3_APP_AST:
            return ["text", _str(e)]
        decl = e.decl()
        kind, args = decl.kind(), e.children()
        if kind in (z3.Z3_OP_TRUE, z3.Z3_OP_FALSE):
            return ["text", "true" if kind == z3.Z3_OP_TRUE else "false"]
        if kind == z3.Z3_OP_UNINTERPRETED and not args:
            return ["sym", text(decl.name(), _MAX_LEAF)]
        if kind == z3.Z3_OP_TO_REAL and len(args) == 1:
            return sub(args[0])
        if kind == z3.Z3_OP_NOT and len(args) == 1 and z3.is_app_of(args[0], z3.Z3_OP_EQ):
            return ["rel", "≠", sub(args[0].arg(0)), sub(args[0].arg(1))]
        if kind in self.relations and len(args) == 2:
            return ["rel", self.relations[kind], sub(args[0]), sub(args[1])]
        if kind == z3.Z3_OP_SUB and len(args) >= 2:
            return ["add", sub(args[0]), *(["neg", sub(a)] for a in args[1:])]
        if kind in (z3.Z3_OP_DIV, z3.Z3_OP_IDIV) and len(args) == 2:
            return ["frac", sub(args[0]), sub(args[1])]
        if kind in self.kinds:
            node = self.kinds[kind]
            if (node in ("add", "mul", "and", "or") and len(args) >= 2) or (node in ("not", "neg") and len(args) == 1) \
                    or (node in ("implies", "pow") and len(args) == 2) or (node == "ite" and len(args) == 3):
                return [node, *(sub(a) for a in args)]
        if kind == z3.Z3_OP_AND and len(args) == 1:
            return sub(args[0])
        name = decl.name()
        return ["fn", text(name, _MAX_LEAF), *(sub(a) for a in args)] if args else ["sym", text(name, _MAX_LEAF)]


# how a z3 sort is printed as a set
_SORTS = {"Int": "ℤ", "Real": "ℝ", "Bool": "{true, false}"}


def sort_name(sort: Any) -> str:
    """The set a z3 sort stands for: ℤ, ℝ, or the sort's own name."""
    return _SORTS.get(str(sort), text(str(sort), _MAX_LEAF))


def z3_tree(expr: Any) -> list:
    """The tree of a z3 expression (a query's assertion, a formula); anything else becomes an opaque leaf."""
    try:
        import z3

        if not isinstance(expr, z3.ExprRef):
            return ["text", _str(expr)]
        return _Z3Builder().build(expr, 0)
    except Exception:  # noqa: BLE001 - an expression of an unexpected shape is shown as its text
        return ["text", _str(expr)]


# --- plain text --------------------------------------------------------------------------------------------------

# kinds with a fixed number of parts, each printed whole, and no parentheses of their own: parts, plain text, MathML
_LAYOUTS = {
    "sqrt": (1, "√({0})", "<msqrt>{0}</msqrt>"),
    "abs": (1, "|{0}|", "<mrow><mo>|</mo>{0}<mo>|</mo></mrow>"),
    "ite": (3, "ite({0}, {1}, {2})", "<mrow><mi>ite</mi><mo>&#x2061;</mo><mrow><mo>(</mo>{0}<mo>,</mo>{1}<mo>,</mo>{2}<mo>)</mo></mrow></mrow>"),
    "sum": (4, "Σ_{{{1} = {2}..{3}}} ({0})", "<mrow><munderover><mo>&#x2211;</mo><mrow>{1}<mo>=</mo>{2}</mrow>{3}</munderover>{0}</mrow>"),
    "limit": (3, "lim_{{{1} → {2}}} ({0})", "<mrow><munder><mo>lim</mo><mrow>{1}<mo>→</mo>{2}</mrow></munder>{0}</mrow>"),
}

_PLAIN_PRECEDENCE = {"quant": 0, "implies": 1, "or": 2, "and": 3, "not": 4, "rel": 5, "add": 6, "neg": 7,
                     "mul": 8, "frac": 8, "pow": 9}


class _Printer:
    """One call of plain(): the nodes it may still print."""

    nodes = MAX_NODES  # counted down by each call's own instance

    def node(self, t: Any, parent: int = 0, depth: int = 0) -> str:
        self.nodes -= 1
        if self.nodes < 0 or depth > MAX_DEPTH or not isinstance(t, list) or not t or not isinstance(t[0], str):
            return "…"
        kind, args = t[0], t[1:]
        own = _PLAIN_PRECEDENCE.get(kind, 10)

        def sub(a: Any, level: int = own) -> str:
            return self.node(a, level, depth + 1)

        if kind in ("num", "sym", "text") and len(args) == 1 and isinstance(args[0], str):
            return args[0]
        if kind == "neg" and len(args) == 1:
            out = "-" + sub(args[0], own + 1)
        elif kind == "add" and args:
            out = sub(args[0])
            for term in args[1:]:
                if isinstance(term, list) and term[:1] == ["neg"] and len(term) == 2:
                    out += " - " + sub(term[1], own + 1)
                elif isinstance(term, list) and term[:1] == ["num"] and str(term[1:2][0]).startswith("-"):
                    out += " - " + str(term[1])[1:]
                else:
                    out += " + " + sub(term)
        elif kind == "mul" and args:
            out = "·".join(sub(a, own + 1 if i else own) for i, a in enumerate(args))
        elif kind == "frac" and len(args) == 2:
            out = f"{sub(args[0])}/{sub(args[1], own + 1)}"
        elif kind == "pow" and len(args) == 2:
            out = f"{sub(args[0], own + 1)}^{sub(args[1])}"
        elif kind in ("and", "or") and args:
            out = (" ∧ " if kind == "and" else " ∨ ").join(sub(a, own) for a in args)
        elif kind == "not" and len(args) == 1:
            out = "¬" + sub(args[0], 99)
        elif kind == "implies" and len(args) == 2:
            out = f"{sub(args[0], own + 1)} ⇒ {sub(args[1])}"
        elif kind == "rel" and len(args) == 3:
            out = f"{sub(args[1], own + 1)} {args[0]} {sub(args[2], own + 1)}"
        elif kind == "quant" and len(args) >= 2:
            out = f"{args[0]} {self.binders(args[2:], depth)}: {sub(args[1])}"
        elif len(args) == _LAYOUTS.get(kind, (None,))[0]:
            return _LAYOUTS[kind][1].format(*(sub(a, 0) for a in args))
        elif kind == "fn" and args:
            return f"{args[0]}({', '.join(sub(a, 0) for a in args[1:])})"
        elif kind == "deriv" and len(args) >= 2:
            over = "".join(f"∂{sub(p[0], 99)}" + (f"^{sub(p[1], 99)}" if p[1] != ["num", "1"] else "")
                           for p in args[1:] if isinstance(p, list) and len(p) == 2)
            return f"∂/{over} ({sub(args[0], 0)})"
        elif kind == "index" and len(args) == 2:
            inner = sub(args[1], 0)
            return f"{sub(args[0], 99)}_{inner if isinstance(args[1], list) and args[1][:1] in (['sym'], ['num']) else f'({inner})'}"
        else:
            return "…"
        return f"({out})" if own < parent else out

    def binders(self, pairs: list, depth: int) -> str:
        groups: dict[str, list[str]] = {}
        for pair in pairs:
            if isinstance(pair, list) and len(pair) == 2:
                groups.setdefault(self.node(pair[1], 0, depth + 1), []).append(self.node(pair[0], 0, depth + 1))
        return "; ".join(f"{', '.join(names)} ∈ {where}" for where, names in groups.items())


def plain(t: Any) -> str:
    """A tree as one line of plain text, with as few parentheses as precedence allows, at most MAX_TEXT characters."""
    out = _Printer().node(t)
    return out if len(out) <= MAX_TEXT else out[:MAX_TEXT - 1] + "…"


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

    nodes = MAX_NODES  # counted down by each call's own instance

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
            out = factors[0]
            for before, after, factor in zip(args, args[1:], factors[1:]):
                # juxtaposed only after a number (2x); between names a visible dot, or side·filters would print as
                # one name, sidefilters
                coefficient = before[:1] == ["num"] and after[:1] != ["num"]
                out += ("<mo>&#x2062;</mo>" if coefficient else "<mo>&#x22C5;</mo>") + factor
            return f"<mrow>{out}</mrow>"
        if len(args) == _LAYOUTS.get(kind, (None,))[0]:
            return _LAYOUTS[kind][2].format(*(sub(a) for a in args))
        if kind == "frac" and len(args) == 2:
            return f"<mfrac>{sub(args[0])}{sub(args[1])}</mfrac>"
        if kind == "pow" and len(args) == 2:
            return f"<msup>{self.wrapped(args[0], depth, ('add', 'neg', 'mul', 'frac', 'pow'))}{sub(args[1])}</msup>"
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
        if kind in ("and", "or") and len(args) >= 2:
            joiner = "<mo>∧</mo>" if kind == "and" else "<mo>∨</mo>"
            return "<mrow>" + joiner.join(self.wrapped(a, depth, ("and", "or", "implies", "quant")) for a in args) + "</mrow>"
        if kind == "not" and len(args) == 1:
            return f"<mrow><mo>¬</mo>{self.wrapped(args[0], depth, ('and', 'or', 'implies', 'rel', 'quant'))}</mrow>"
        if kind == "implies" and len(args) == 2:
            return (f"<mrow>{self.wrapped(args[0], depth, ('implies', 'quant'))}<mo>⇒</mo>"
                    f"{self.wrapped(args[1], depth, ('quant',))}</mrow>")
        if kind == "quant" and len(args) >= 3 and args[0] in _QUANTIFIERS:
            binders = []
            for pair in args[2:]:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _Malformed("a bound variable is [variable, set]")
                binders.append(f"{sub(pair[0])}<mo>∈</mo>{sub(pair[1])}")
            return (f"<mrow><mo>{args[0]}</mo>{'<mo>,</mo>'.join(binders)}<mo>:</mo>{sub(args[1])}</mrow>")
        if kind == "index" and len(args) == 2:
            return f"<msub>{self.wrapped(args[0], depth, ('add', 'neg', 'mul', 'frac', 'pow'))}{sub(args[1])}</msub>"
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
