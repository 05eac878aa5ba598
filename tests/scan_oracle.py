"""Generated course material whose every step's truth is known before the scan reads it.

Each step is built true by algebra written here (an expansion, a factoring, a law of exponents or logs, a derivative
of a known form, a sum split, a value at an example) or made false by one planted slip, confirmed false at a witness
point by the plain evaluator below (fractions, floats for exp/log/sqrt/tanh, difference quotients for derivatives),
which shares no code with the scan. `generate` draws from a `Source`: a seeded random.Random for the soak
(benchmarks/soundness_scan.py) or Hypothesis's data for the test suite (tests/test_oracle_scan.py), which shrinks.
"""

from __future__ import annotations

import dataclasses
import math
import random
from fractions import Fraction
from typing import Any, Callable, Optional

__all__ = ["Source", "RandomSource", "Expected", "Material", "generate", "judge", "Tally"]


class Source:
    """Where choices come from."""

    def choice(self, options):
        raise NotImplementedError

    def integer(self, lo: int, hi: int) -> int:
        raise NotImplementedError


class RandomSource(Source):
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options):
        return options[self.rng.randrange(len(options))]

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class _Undefined(ArithmeticError):
    pass


# -- expressions: tuples ("num", Fraction) ("var", name) ("add", a, b) ("sub", a, b) ("mul", a, b) ("div", a, b)
# ("pow", a, n) ("neg", a) ("exp", a) ("log", a) ("sig", a) ("tanh", a) ("abs", a) ("sqrt", a)
# ("sum", body, n) with ("x_i",) and ("i",) inside, ("d", var, body) a derivative

_PREC = {"add": 1, "sub": 1, "neg": 2, "mul": 2, "div": 3, "pow": 4}


def tex(e) -> str:
    kind = e[0]
    if kind == "num":
        return str(e[1])
    if kind == "var":
        return e[1]
    if kind in ("add", "sub"):
        right = tex(e[2])
        if kind == "sub" and e[2][0] in ("add", "sub", "neg"):
            right = f"({right})"
        if kind == "add" and e[2][0] == "neg":
            right = f"({right})"
        return f"{tex(e[1])} {'+' if kind == 'add' else '-'} {right}"
    if kind == "neg":
        inner = tex(e[1])
        return f"-({inner})" if e[1][0] in ("add", "sub", "neg") else f"-{inner}"
    if kind == "mul":
        a, b = e[1], e[2]
        left = f"({tex(a)})" if a[0] in ("add", "sub", "neg") else tex(a)
        right = f"({tex(b)})" if b[0] in ("add", "sub", "neg") or (b[0] == "num") else tex(b)
        if b[0] == "num":
            return f"{left} \\cdot {tex(b)}"
        if a[0] == "num" and b[0] in ("var", "pow", "exp", "sig", "tanh", "log", "div", "sum", "add", "sub", "neg", "mul") \
                and not (b[0] == "mul" and b[1][0] == "num") and not (b[0] == "pow" and b[1][0] == "num"):
            return f"{left}{right}" if right.startswith("(") or right[0].isalpha() or right.startswith("\\") else f"{left} \\cdot {right}"
        if a[0] in ("var",) and right.startswith("("):
            return f"{left}{right}"  # x(1 - x): the implicit product courses write
        return f"{left} \\cdot {right}" if right[:1].isdigit() or right.startswith("-") else f"{left} {right}"
    if kind == "div":
        return f"\\frac{{{tex(e[1])}}}{{{tex(e[2])}}}"
    if kind == "pow":
        base = e[1]
        shown = tex(base)
        if base[0] not in ("var", "num") or (base[0] == "num" and base[1] < 0):
            shown = f"\\left({shown}\\right)"
        return f"{shown}^{{{e[2]}}}" if e[2] >= 10 else f"{shown}^{e[2]}"
    if kind == "exp":
        return f"e^{{{tex(e[1])}}}"
    if kind in ("log", "sig", "tanh", "sqrt"):
        name = {"log": "\\log", "sig": "\\sigma", "tanh": "\\tanh"}.get(kind)
        if kind == "sqrt":
            return f"\\sqrt{{{tex(e[1])}}}"
        return f"{name}({tex(e[1])})"
    if kind == "abs":
        return f"|{tex(e[1])}|"
    if kind == "sum":
        return f"\\sum_{{i=1}}^{{{tex(e[2])}}} \\left({tex(e[1])}\\right)"
    if kind == "x_i":
        return "x_i"
    if kind == "i":
        return "i"
    if kind == "d":
        style = e[3] if len(e) > 3 else "partial"
        op = f"\\frac{{\\partial}}{{\\partial {e[1]}}}" if style == "partial" else f"\\frac{{d}}{{d{e[1]}}}"
        return f"{op} {tex(e[2]) if e[2][0] not in ('add', 'sub') else '(' + tex(e[2]) + ')'}"
    raise ValueError(kind)


def _float(v) -> float:
    return float(v)


def ev(e, point: dict):
    """The plain value of an expression at a point: a Fraction when exact, else a float; _Undefined off its domain."""
    kind = e[0]
    if kind == "num":
        return Fraction(e[1])
    if kind == "var":
        return point[e[1]]
    if kind == "i":
        return point["i"]
    if kind == "x_i":
        return point["#x"][int(point["i"]) - 1]
    if kind in ("add", "sub", "mul", "div"):
        a, b = ev(e[1], point), ev(e[2], point)
        if isinstance(a, float) or isinstance(b, float):
            a, b = float(a), float(b)
        if kind == "add":
            return a + b
        if kind == "sub":
            return a - b
        if kind == "mul":
            return a * b
        if b == 0:
            raise _Undefined()
        return a / b
    if kind == "neg":
        return -ev(e[1], point)
    if kind == "pow":
        base = ev(e[1], point)
        if base == 0 and e[2] < 0:
            raise _Undefined()
        return base ** e[2]
    if kind == "abs":
        return abs(ev(e[1], point))
    if kind == "exp":
        v = _float(ev(e[1], point))
        if v > 200:
            raise _Undefined()
        return math.exp(v)
    if kind == "log":
        v = ev(e[1], point)
        if v <= 0:
            raise _Undefined()
        return math.log(_float(v))
    if kind == "sqrt":
        v = ev(e[1], point)
        if v < 0:
            raise _Undefined()
        return math.sqrt(_float(v))
    if kind == "sig":
        v = _float(ev(e[1], point))
        return 1 / (1 + math.exp(-v)) if v > -200 else 0.0
    if kind == "tanh":
        return math.tanh(_float(ev(e[1], point)))
    if kind == "sum":
        n = ev(e[2], point)
        total = Fraction(0)
        for i in range(1, int(n) + 1):
            total = total + ev(e[1], {**point, "i": Fraction(i)})
        return total
    if kind == "d":
        h = 1e-5
        at = _float(point[e[1]])
        return (_float(ev(e[2], {**point, e[1]: at + h})) - _float(ev(e[2], {**point, e[1]: at - h}))) / (2 * h)
    raise ValueError(kind)


def _close(a, b) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    a, b = float(a), float(b)
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _apart(a, b) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a != b
    a, b = float(a), float(b)
    return abs(a - b) > 1e-3 * max(1.0, abs(a), abs(b))


def num(n) -> tuple:
    return ("num", Fraction(n))


def var(name: str) -> tuple:
    return ("var", name)


# names that read as real variables in the scan and in the evaluator (no function letters, no e, no indices)
_NAMES = ["a", "b", "c", "r", "s", "t", "u", "v", "w", "x", "y", "z", "x_1", "w_2", "\\theta_0", "\\lambda", "\\alpha",
          "\\beta", "\\mu", "\\hat{y}"]
_VALUES = [Fraction(n, d) for n in (-3, -2, -1, 1, 2, 3, 5) for d in (1, 2, 3)]


@dataclasses.dataclass
class Expected:
    """One step of the generated material: its sides as printed and its truth."""

    left: str
    right: str
    # "true", "slip", "definition" or "condition"
    truth: str
    # for a slip: the witness point where the plain evaluator shows it fails
    witness: Optional[dict] = None
    family: str = ""


@dataclasses.dataclass
class Material:
    text: str
    steps: list


def _atom(src: Source, names: list) -> tuple:
    return var(src.choice(names)) if src.integer(0, 3) else num(src.integer(1, 5))


def _term(src: Source, names: list, depth: int = 1) -> tuple:
    """A small polynomial expression in the names."""
    if depth <= 0:
        return _atom(src, names)
    kind = src.choice(["atom", "add", "sub", "mul", "mul", "pow"])
    if kind == "atom":
        return _atom(src, names)
    if kind == "pow":
        return ("pow", _atom(src, names) if src.integer(0, 1) else _term(src, names, depth - 1), 2)
    return (kind, _term(src, names, depth - 1), _term(src, names, depth - 1))


def _names(src: Source, k: int) -> list:
    out: list = []
    while len(out) < k:
        n = src.choice(_NAMES)
        if n not in out and n.split("_")[0] not in [o.split("_")[0] for o in out]:  # never w and w_2 together
            out.append(n)
    return out


# -- families: each returns (sides, conditions, family name): sides a list of expressions all equal where defined


def _expand(src):
    n = _names(src, 3)
    u, v = _term(src, n, 1), _term(src, n, 0)
    shape = src.choice(["square", "product", "difference", "distribute"])
    if shape == "square":
        return [("pow", ("add", u, v), 2), ("add", ("add", ("pow", u, 2), ("mul", num(2), ("mul", u, v))), ("pow", v, 2))]
    if shape == "difference":
        return [("mul", ("add", u, v), ("sub", u, v)), ("sub", ("pow", u, 2), ("pow", v, 2))]
    if shape == "product":  # p(1 - p) = p - p^2 with a name or a term
        p = var(n[0])
        return [("mul", p, ("sub", num(1), p)), ("sub", p, ("pow", p, 2))]
    w = _term(src, n, 0)
    return [("mul", var(n[0]), ("add", v, w)), ("add", ("mul", var(n[0]), v), ("mul", var(n[0]), w))]


def _fractions(src):
    n = _names(src, 3)
    u, v, w = _term(src, n, 1), var(n[1]), _term(src, n, 0)
    if src.integer(0, 1):
        return [("div", ("mul", u, v), v), u]
    return [("add", ("div", u, v), ("div", w, v)), ("div", ("add", u, w), v)]


def _exponentials(src):
    n = _names(src, 3)
    u, v = _term(src, n, 0), _term(src, n, 0)
    shape = src.choice(["product", "quotient", "log"])
    if shape == "product":
        return [("mul", ("exp", u), ("exp", v)), ("exp", ("add", u, v))]
    if shape == "quotient":
        return [("div", ("exp", u), ("exp", v)), ("exp", ("sub", u, v))]
    return _log_of_exp(src, u)


def _log_of_exp(src, u):
    k = src.integer(2, 4)
    return [("log", ("exp", ("mul", num(k), u))), ("mul", num(k), u)]


def _activations(src):
    n = _names(src, 2)
    u = _term(src, n, 1)
    if u[0] == "var":  # \sigma(z) = ... with a name alone would define sigma (a function applied to fresh names)
        u = ("add", u, num(1))
    shape = src.choice(["symmetry", "definition", "tanh", "tanh_sigma"])
    if shape == "symmetry":
        return [("sub", num(1), ("sig", u)), ("sig", ("neg", u))]
    if shape == "definition":
        return [("sig", u), ("div", num(1), ("add", num(1), ("exp", ("neg", u))))]
    if shape == "tanh":
        return [("tanh", u), ("div", ("sub", ("exp", u), ("exp", ("neg", u))), ("add", ("exp", u), ("exp", ("neg", u))))]
    return [("tanh", u), ("sub", ("mul", num(2), ("sig", ("mul", num(2), u))), num(1))]


def _derivatives(src):
    w = src.choice(["w", "z", "\\theta_0", "b"])
    others = [x for x in _names(src, 3) if x.split("_")[0] != w.split("_")[0]][:2]
    while len(others) < 2:
        others.append(src.choice(["r", "s"]) if "r" not in others else "s")
    alpha, beta = _term(src, others, 0), _term(src, others, 0)
    inner = ("add", ("mul", alpha, var(w)), beta)
    shape = src.choice(["power", "exp", "sigma", "half_square"])
    style = src.choice(["partial", "d"])
    if shape == "power":
        k = src.integer(2, 3)
        return [("d", w, ("pow", inner, k), style), ("mul", ("mul", num(k), alpha), ("pow", inner, k - 1) if k > 2 else inner)]
    if shape == "exp":
        return [("d", w, ("exp", inner), style), ("mul", alpha, ("exp", inner))]
    if shape == "sigma":
        return [("d", w, ("sig", inner), style), ("mul", ("mul", alpha, ("sig", inner)), ("sub", num(1), ("sig", inner)))]
    x, y = var(others[0]), var(others[1])
    residual = ("sub", ("mul", var(w), x), y)
    return [("d", w, ("mul", ("div", num(1), num(2)), ("pow", residual, 2)), style), ("mul", x, residual)]


def _sums(src):
    c, d = var(src.choice(["a", "c", "\\beta"])), num(src.integer(1, 4))
    n = var("n")
    if src.integer(0, 1):
        return [("sum", ("add", ("mul", c, ("x_i",)), d), n), ("add", ("mul", c, ("sum", ("x_i",), n)), ("mul", d, n))]
    return [("sum", ("i",), n), ("div", ("mul", n, ("add", n, num(1))), num(2))]


_FAMILIES: list[tuple[str, Callable]] = [("expand", _expand), ("fractions", _fractions), ("exponentials", _exponentials),
                                         ("activations", _activations), ("derivatives", _derivatives), ("sums", _sums)]


def _points(src: Source, sides, conditions=()):
    """Points to evaluate a step at: every name drawn from small fractions, n and the entries x_i too."""
    names = sorted({x for s in sides for x in _vars(s)})
    rng = random.Random(repr(sides))
    for _ in range(60):
        point: dict = {name: rng.choice(_VALUES) for name in names}
        point["n"] = Fraction(rng.randint(1, 4))
        point["#x"] = [rng.choice(_VALUES) for _ in range(4)]
        if all(cond(point) for cond in conditions):
            yield point


def _vars(e) -> set:
    if e[0] == "var":
        return {e[1]}
    if e[0] == "d":
        return {e[1]} | _vars(e[2])
    return {x for part in e[1:] if isinstance(part, tuple) for x in _vars(part)}


def _witness(left, right, conditions=()) -> Optional[dict]:
    """A point where both sides are defined and differ clearly, or None."""
    for point in _points(None, [left, right], conditions):
        try:
            a, b = ev(left, point), ev(right, point)
        except (_Undefined, OverflowError, ZeroDivisionError):
            continue
        if _apart(a, b):
            return point
    return None


def _holds(left, right, conditions=()) -> bool:
    """Whether the plain evaluator agrees the step holds wherever both sides are defined (a check of the generator)."""
    defined = 0
    for point in _points(None, [left, right], conditions):
        try:
            a, b = ev(left, point), ev(right, point)
        except (_Undefined, OverflowError, ZeroDivisionError):
            continue
        defined += 1
        if not _close(a, b):
            return False
    return defined > 0


def _constants(e) -> list:
    """Paths to the numbers of an expression."""
    if e[0] == "num":
        return [()]
    return [(k,) + p for k, part in enumerate(e) if isinstance(part, tuple) for p in _constants(part)]


def _replace(e, path, new):
    if not path:
        return new
    k = path[0]
    return tuple(_replace(part, path[1:], new) if j == k else part for j, part in enumerate(e))


def _slip(src: Source, right):
    """One planted change of a side: a constant changed, a term added, a factor of 2, a sign flipped."""
    kind = src.choice(["constant", "plus", "twice", "sign", "square"])
    paths = _constants(right)
    if kind == "constant" and paths:
        path = src.choice(paths)
        old = right
        for k in path:
            old = old[k]
        return _replace(right, path, num(old[1] + src.choice([1, 2, -1])))
    if kind == "plus":
        return ("add", right, num(src.integer(1, 3)))
    if kind == "twice":
        return ("mul", num(2), right)
    if kind == "sign" and right[0] in ("add", "sub"):
        return ("sub" if right[0] == "add" else "add", right[1], right[2])
    if kind == "square" and right[0] == "pow":
        return ("pow", right[1], right[2] + 1)
    return ("sub", right, num(1))


def _display(sides: list[str], how: str) -> str:
    if how == "inline":
        return "$" + " = ".join(sides) + "$"
    if how == "display":
        return "$$" + " = ".join(sides) + "$$"
    rows = [f"{sides[0]} &= {sides[1]}"] + [f"&= {s}" for s in sides[2:]]
    env = "aligned" if how == "aligned" else "align"
    body = " \\\\\n".join(rows)
    return f"$$\\begin{{{env}}}\n{body}\n\\end{{{env}}}$$" if env == "aligned" else f"\\begin{{align}}\n{body}\n\\end{{align}}"


_OPENINGS = ["We have", "Expanding,", "So", "One checks that", "Hence", "By the rules above,", "Note that"]


def _identity_part(src: Source, slips: bool) -> tuple[str, list]:
    """A paragraph with a chain of one family, its last step perhaps a slip."""
    name, family = src.choice(_FAMILIES)
    sides = list(family(src))
    if len(sides) == 2 and src.integer(0, 2) == 0 and name in ("expand", "fractions", "exponentials"):
        sides.append(sides[-1])  # a chain A = B = B: its second step restates the first
    if not _holds(sides[0], sides[1]):
        raise AssertionError(f"the generator built a false identity: {tex(sides[0])} = {tex(sides[1])}")
    truths = ["true"] * (len(sides) - 1)
    witness = None
    if slips and src.integer(0, 1):
        planted = _slip(src, sides[-1])
        witness = _witness(sides[-2], planted)
        if witness is not None:
            sides[-1] = planted
            truths[-1] = "slip"
    shown = [tex(s) for s in sides]
    how = src.choice(["inline", "inline", "display", "aligned", "align"])
    steps = [Expected(shown[k], shown[k + 1], truths[k], witness if truths[k] == "slip" else None, name)
             for k in range(len(sides) - 1)]
    return f"{src.choice(_OPENINGS)} {_display(shown, how)}.", steps


def _condition_part(src: Source, slips: bool) -> tuple[str, list]:
    """A sentence that states a condition, and steps that hold under it (and would fail without it)."""
    a, b = _names(src, 2)
    positive = [lambda p, a=a: p.get(a, 1) > 0, lambda p, b=b: p.get(b, 1) > 0]
    shape = src.choice(["log", "abs", "sqrt"])
    if shape == "log":
        pairs = [(("log", ("mul", var(a), var(b))), ("add", ("log", var(a)), ("log", var(b)))),
                 (("log", ("div", var(a), var(b))), ("sub", ("log", var(a)), ("log", var(b))))]
    elif shape == "abs":
        pairs = [(("abs", ("mul", var(a), var(b))), ("mul", var(a), var(b))),
                 (("add", ("abs", var(a)), ("abs", var(b))), ("add", var(a), var(b)))]
    else:
        pairs = [(("sqrt", ("mul", var(a), var(b))), ("mul", ("sqrt", var(a)), ("sqrt", var(b)))),
                 (("sqrt", ("pow", var(a), 2)), var(a))]
    steps, shown = [], []
    for k, (left, right) in enumerate(pairs):
        truth, witness = "true", None
        if slips and k == 1 and src.integer(0, 1):
            planted = _slip(src, right)
            witness = _witness(left, planted, positive)
            if witness is not None:
                right, truth = planted, "slip"
        shown.append(f"${tex(left)} = {tex(right)}$")
        steps.append(Expected(tex(left), tex(right), truth, witness, f"condition-{shape}"))
    how = src.choice(["words", "formulas", "formulas_comma"])
    if how == "words":
        opening = f"For positive ${a}$ and ${b}$,"
        conds = []
    else:
        sep = " and " if how == "formulas" else ", "
        opening = f"For ${a} > 0${sep}${b} > 0$ we get"
        conds = [Expected(a, "0", "condition"), Expected(b, "0", "condition")]
    return f"{opening} {shown[0]} and {shown[1]}.", conds + steps


def _example_part(src: Source, slips: bool) -> tuple[str, list]:
    """A sentence that gives names numbers, and a value computed from them (checked there, never proved)."""
    names = _names(src, 2)
    values = {n: Fraction(src.integer(-3, 5)) for n in names}
    expr = (src.choice(["add", "sub", "mul"]), _term(src, names, 1), var(names[0]))  # a name alone would be given a value
    value = ev(expr, values)
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        value, truth, witness = value + src.choice([1, -1, 2]), "slip", values
    shown = str(value) if value.denominator == 1 else f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    if shown.startswith("-") and value.denominator != 1:
        shown = f"-\\frac{{{-value.numerator}}}{{{value.denominator}}}"
    given = " and ".join(f"${n} = {values[n]}$" for n in names)
    defs = [Expected(n, str(values[n]), "definition") for n in names]
    return (f"Take the example input {given}. Then ${tex(expr)} = {shown}$.",
            defs + [Expected(tex(expr), shown, truth, witness, "example")])


def _function_part(src: Source, slips: bool) -> tuple[str, list]:
    """A polynomial defined as a function, and its derivative written with a prime."""
    c2, c1, c0 = src.integer(1, 4), src.integer(-3, 3), src.integer(-3, 3)
    body = f"{c2}z^2 {'+' if c1 >= 0 else '-'} {abs(c1)}z {'+' if c0 >= 0 else '-'} {abs(c0)}"
    d1 = c1
    truth, witness = "true", None
    derivative = 2 * c2
    if slips and src.integer(0, 1):
        derivative, truth, witness = c2, "slip", {"z": Fraction(1)}
    right = f"{derivative}z {'+' if d1 >= 0 else '-'} {abs(d1)}"
    letter = src.choice(["f", "g", "h"])
    return (f"Let ${letter}(z) = {body}$. Then ${letter}'(z) = {right}$.",
            [Expected(f"{letter}(z)", body, "definition"), Expected(f"{letter}'(z)", right, truth, witness, "prime")])


def _solved_part(src: Source, slips: bool) -> tuple[str, list]:
    """A sentence whose linear condition fixes a name, and a value at that one solution (proved or refuted there)."""
    (a,) = _names(src, 1)
    p, q = src.choice([2, 3, -2, 5]), src.integer(-4, 4)
    solution = Fraction(src.integer(-3, 4))
    r = p * solution + q
    for _ in range(8):
        expr = (src.choice(["add", "sub", "mul"]), _term(src, [a], 1), var(a))
        try:
            value = ev(expr, {a: solution})
            break
        except _Undefined:
            continue
    else:
        return _example_part(src, slips)
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        value, truth, witness = value + src.choice([1, -1, 2]), "slip", {a: solution}
    shown = str(value) if value.denominator == 1 else f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    if shown.startswith("-") and value.denominator != 1:
        shown = f"-\\frac{{{-value.numerator}}}{{{value.denominator}}}"
    condition = f"{p} {a} {'+' if q >= 0 else '-'} {abs(q)}"
    return (f"With ${condition} = {r}$ we get ${tex(expr)} = {shown}$.",
            [Expected(condition, str(r), "condition"), Expected(tex(expr), shown, truth, witness, "solved")])


_PARTS = [(_identity_part, 6), (_condition_part, 1), (_example_part, 1), (_function_part, 1), (_solved_part, 1)]


def generate(src: Source, parts: int = 6, slips: bool = True) -> Material:
    """A Markdown document of `parts` paragraphs (parts of an exercise), each with its steps' truth."""
    paragraphs = ["# Generated notes on the sigmoid and friends"]
    steps: list = []
    weighted = [p for p, w in _PARTS for _ in range(w)]
    for k in range(parts):
        text, expected = src.choice(weighted)(src, slips)
        paragraphs.append(f"({chr(ord('a') + k % 26)}) {text}")
        steps += expected
    return Material("\n\n".join(paragraphs) + "\n", steps)


def _plain(text: str) -> str:
    return "".join(text.replace("&", "").split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    """What a scan made of generated material, against the truth."""

    steps: int = 0
    true: int = 0
    slips: int = 0
    caught: int = 0
    skipped: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    misread: list = dataclasses.field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for f in ("steps", "true", "slips", "caught", "skipped"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.false_proofs += other.false_proofs
        self.false_alarms += other.false_alarms
        self.misread += other.misread


def judge(material: Material, scanned: list[Any]) -> Tally:
    """Each scanned step against the truth of the generated step it is (matched in order, by its sides' text)."""
    out = Tally()
    expected = list(material.steps)
    for step in scanned:
        match = next((k for k, e in enumerate(expected[:4]) if _plain(e.left) == _plain(step.left)
                      and _plain(e.right) == _plain(step.right)), None)
        if match is None:
            out.misread.append(f"{step.text}: not a step the material was generated with ({step.status}: {step.reason})")
            continue
        e = expected.pop(match)
        del expected[:match]
        out.steps += 1
        status = step.status
        if status == "skipped" or status == "unknown":
            out.skipped += 1
        if e.truth == "slip":
            out.slips += 1
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{step.text}: {status} ({step.reason}), but it fails at {e.witness}")
            elif status in ("refuted", "needs review"):
                out.caught += 1
        else:
            out.true += e.truth == "true"
            if status in ("refuted", "needs review"):
                out.false_alarms.append(f"{step.text} ({e.truth}): {status} ({step.reason})")
            if e.truth in ("definition", "condition") and status in ("proved", "checked"):
                out.misread.append(f"{step.text}: a {e.truth} {status} ({step.reason})")
    return out
