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

__all__ = ["Source", "RandomSource", "Expected", "Material", "generate", "generate_part", "judge", "Tally"]


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
    # "true", "slip", "definition" or "condition"; "unhonoured" (true only on a set the scan cannot search) or
    # "valued" (true only with a value an earlier paragraph of its section gives: needs review, naming the value)
    truth: str
    # for a slip: the witness point where the plain evaluator shows it fails
    witness: Optional[dict] = None
    family: str = ""
    # for a step true only with a value an earlier paragraph gives (truth "valued"): text its reason must name
    named: str = ""


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


def _number(value: Fraction) -> str:
    """A number as course material prints it: an integer, a short decimal, or a fraction."""
    if value.denominator == 1:
        return str(value.numerator)
    if value.denominator in (2, 4, 5):
        return str(float(value)) if abs(value) >= 1 or value < 0 else str(float(value))
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _later_part(src: Source, slips: bool) -> tuple[str, list]:
    """Equations in names, each in its own display, whose names a later sentence of the section gives numbers ("a
    possible set of parameters is ..."): checked at those numbers (never proved); a wrong one needs review."""
    names = _names(src, src.integer(1, 2))
    values = {n: Fraction(src.integer(-4, 6), src.choice([1, 1, 2])) for n in names}
    steps, shown = [], []
    for _ in range(src.integer(1, 3)):
        expr = ("add", _term(src, names, 1), ("mul", num(src.integer(1, 3)), var(src.choice(names))))
        try:
            value = ev(expr, values)
        except _Undefined:
            continue
        truth, witness = "true", None
        if slips and src.integer(0, 2) == 0:
            value, truth, witness = value + src.choice([1, -1, 2]), "slip", dict(values)
        left, right = (tex(expr), _number(value)) if src.integer(0, 1) else (_number(value), tex(expr))
        steps.append(Expected(left, right, truth, witness, "later"))
        shown.append(f"$${left} = {right}$$")
    if not steps:
        return _example_part(src, slips)
    how = src.choice(["A possible set of parameters is", "One solution is", "These hold, for instance, with"])
    given = ", ".join(f"{n} = {_number(values[n])}" for n in names)
    defs = [Expected(n, _number(values[n]), "definition") for n in names]
    return "This means\n\n" + "\n\n".join(shown) + f"\n\n{how} ${given}$.", steps + defs


def _branch(c2: Fraction, c1: Fraction, c0: Fraction) -> tuple:
    """c2 z^2 + c1 z + c0 as an expression in z (terms that are 0 left out)."""
    z = var("z")
    terms = [t for t, k in ((("pow", z, 2), c2), (z, c1)) if k]
    out = None
    for t, k in ((("pow", z, 2), c2), (z, c1)):
        if not k:
            continue
        term = t if k == 1 else ("neg", t) if k == -1 else ("mul", num(k), t)
        out = term if out is None else ("add", out, term) if k > 0 or k == -1 and False else ("add", out, term)
    del terms
    if out is None:
        return num(c0)
    return out if not c0 else ("add", out, num(c0)) if c0 > 0 else ("sub", out, num(-c0))


_CASE_RELATIONS = {">": lambda a, b: a > b, "\\ge": lambda a, b: a >= b, "<": lambda a, b: a < b, "\\le": lambda a, b: a <= b}


def _cases_value(rows: list, z: Fraction) -> Fraction:
    """The value of a cases function at z: the first row whose condition holds (the last row is "otherwise")."""
    for value, condition in rows:
        if condition is None or _CASE_RELATIONS[condition[0]](z, condition[1]):
            return ev(value, {"z": z})
    raise _Undefined()


def _cases_part(src: Source, slips: bool) -> tuple[str, list]:
    """A function defined by cases and its values at a point on each branch and on each boundary, and a branch's
    formula claimed where a condition of its sentence holds (true inside the branch, false when the condition lets
    in a boundary or a side where another row applies, unless the rows agree there)."""
    letter = src.choice(["f", "q", "\\phi", "\\psi"])
    c = Fraction(src.integer(-2, 2))
    rows = [(_branch(Fraction(src.choice([0, 0, 1, -1])), Fraction(src.integer(-2, 2)), Fraction(src.integer(-3, 3))),
             (src.choice(list(_CASE_RELATIONS)), c))]
    if src.integer(0, 2) == 0:  # a middle row on a second boundary
        d = c + src.integer(1, 2) if rows[0][1][0] in ("<", "\\le") else c - src.integer(1, 2)
        rows.append((_branch(Fraction(0), Fraction(src.integer(-2, 2)), Fraction(src.integer(-3, 3))),
                     (rows[0][1][0], d)))
    rows.append((_branch(Fraction(0), Fraction(src.integer(-2, 2)), Fraction(src.integer(-3, 3))), None))
    otherwise = src.choice(["\\text{otherwise}", "\\text{otherwise.}", "\\text{else}"])
    body = " \\\\ ".join(f"{tex(v)}, & {'z ' + cond[0] + ' ' + str(cond[1]) if cond else otherwise}" for v, cond in rows)
    text = f"Let $${letter}(z) = \\begin{{cases}} {body} \\end{{cases}}$$"
    steps = [Expected(f"{letter}(z)", f"\\begin{{cases}} {body} \\end{{cases}}", "definition")]
    bounds = sorted({cond[1] for _, cond in rows if cond})
    points = sorted({b + k for b in bounds for k in (-1, 0, 1)} | {bounds[0] - Fraction(1, 2), bounds[-1] + 3})
    claims = []
    for z in [p for p in points if src.integer(0, 2) > 0][:4] or points[:2]:
        value = _cases_value(rows, z)
        truth, witness = "true", None
        if slips and src.integer(0, 3) == 0:
            value, truth, witness = value + src.choice([1, -1]), "slip", {"z": z}
        arg = str(z.numerator) if z.denominator == 1 else _number(z)
        claims.append(f"${letter}({arg}) = {_number(value)}$")
        steps.append(Expected(f"{letter}({arg})", _number(value), truth, witness, "cases-value"))
    text += "\n\nSo " + ", ".join(claims[:-1]) + (" and " if len(claims) > 1 else "") + claims[-1] + "."
    # a branch's formula where a condition holds: "For $z > 1$, $2z + 1 = f(z)$"
    value, (relation, bound) = rows[0][0], rows[0][1]
    stated = src.choice([relation, {">": "\\ge", "\\ge": ">", "<": "\\le", "\\le": "<"}[relation],
                         {">": "<", "\\ge": "\\le", "<": ">", "\\le": "\\ge"}[relation]])
    stated_bound = bound + src.choice([0, 0, 1, -1]) if len(rows) == 2 else bound
    inside = [z for z in (stated_bound + Fraction(k, 4) for k in range(-40, 41)) if _CASE_RELATIONS[stated](z, stated_bound)]
    wrong = next((z for z in inside if _apart(_cases_value(rows, z), ev(value, {"z": z}))), None)
    if len(rows) == 2 and rows[0][0][0] != "num":  # (a constant row claimed alone is a condition on z, not a claim)
        truth = "slip" if wrong is not None else "true"
        text += f"\n\nFor $z {stated} {_number(stated_bound)}$, ${tex(value)} = {letter}(z)$."
        steps += [Expected("z", _number(stated_bound), "condition"),
                  Expected(tex(value), f"{letter}(z)", truth, {"z": wrong} if wrong is not None else None, "cases-branch")]
    return text, steps


def _named_part(src: Source, slips: bool) -> tuple[str, list]:
    """The seed's pattern: a threshold function by cases, a unit's formula through it, a second formula that names
    the unit as a function of its inputs, equations in that function's values, and the weights given later."""
    strict = src.integer(0, 1)
    text = ("Let the threshold function be $$\\phi(z) = \\begin{cases} 1, & z " + (">" if strict else "\\ge")
            + " 0 \\\\ 0, & \\text{otherwise.} \\end{cases}$$")
    steps = [Expected("\\phi(z)", "\\begin{cases} 1, & z " + (">" if strict else "\\ge") + " 0 \\\\ 0, & \\text{otherwise.} \\end{cases}",
                      "definition")]
    text += "\n\nThe unit computes $$u = \\phi(\\omega_1 p + \\omega_2 q + \\gamma)$$"
    text += "\n\nWe write it as $$u = \\psi(p, q)$$"
    steps += [Expected("u", "\\phi(\\omega_1 p + \\omega_2 q + \\gamma)", "definition"), Expected("u", "\\psi(p, q)", "definition")]
    weights = {"\\omega_1": Fraction(src.integer(-2, 2)), "\\omega_2": Fraction(src.integer(-2, 2)),
               "\\gamma": Fraction(src.choice([-1, 0, 1, 2, -2]), src.choice([1, 2]))}

    def unit(p, q):
        z = weights["\\omega_1"] * p + weights["\\omega_2"] * q + weights["\\gamma"]
        return Fraction(1) if (z > 0 if strict else z >= 0) else Fraction(0)

    text += "\n\nThis means"
    for p, q in [(p, q) for p in (0, 1) for q in (0, 1) if src.integer(0, 1)][:3] or [(1, 0)]:
        value, truth, witness = unit(p, q), "true", None
        if slips and src.integer(0, 2) == 0:
            value, truth, witness = 1 - value, "slip", dict(weights)
        text += f"\n\n$${_number(value)} = \\psi({p}, {q})$$"
        steps.append(Expected(_number(value), f"\\psi({p}, {q})", truth, witness, "named"))
    given = ", ".join(f"{n} = {_number(v)}" for n, v in weights.items())
    steps += [Expected(n, _number(v), "definition") for n, v in weights.items()]
    return text + f"\n\nA possible set of parameters is ${given}$.", steps


def _fact_part(src: Source, slips: bool) -> tuple[str, list]:
    """A fact its sentence states about a name (|a| = 1, a^2 = 4, a b = 1) and steps that hold on every point where
    the fact holds (and fail elsewhere); a slip fails at a point where the fact holds."""
    a, b = _names(src, 2)
    A, B = var(a), var(b)
    shape = src.choice(["abs", "square", "product", "sum"])
    if shape == "abs":
        fact, on = (("abs", A), num(1)), [{a: Fraction(1)}, {a: Fraction(-1)}]
        good = [(("mul", ("pow", A, 2), B), B), (("mul", ("pow", A, 4), B), ("mul", ("pow", A, 2), B)),
                (("add", ("abs", ("pow", A, 3)), B), ("add", B, num(1)))]
        bad = [(("mul", ("pow", A, 3), B), B), (("mul", ("pow", A, 2), B), ("mul", num(2), B)),
               (("add", A, B), ("add", B, num(1)))]
    elif shape == "square":
        fact, on = (("pow", A, 2), num(4)), [{a: Fraction(2)}, {a: Fraction(-2)}]
        good = [(("add", ("abs", A), B), ("add", B, num(2))), (("mul", ("pow", A, 4), B), ("mul", num(16), B))]
        bad = [(("mul", ("pow", A, 3), B), ("mul", num(8), B)), (("add", A, B), ("add", B, num(2)))]
    elif shape == "product":
        fact = (("mul", A, B), num(1))
        on = [{a: Fraction(k), b: 1 / Fraction(k)} for k in (1, -1, 2, -2, 3, Fraction(1, 2))]
        good = [(("mul", A, ("pow", B, 2)), B), (("mul", ("pow", A, 2), ("pow", B, 2)), ("div", A, A))]
        bad = [(("mul", A, ("pow", B, 2)), A), (("mul", ("pow", A, 2), B), B)]
    else:
        fact = (("add", A, B), num(1))
        on = [{a: Fraction(k), b: 1 - Fraction(k)} for k in (0, 1, -1, 2, 3, Fraction(1, 2))]
        good = [(("mul", ("add", A, B), A), A), (("sub", ("pow", A, 2), ("pow", B, 2)), ("sub", A, B))]
        bad = [(("add", ("pow", A, 2), ("pow", B, 2)), num(1)), (("mul", A, B), ("sub", A, B))]
    left, right = src.choice(good)
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        left, right = src.choice(bad)
        truth = "slip"
    for point in on:
        try:
            apart = _apart(ev(left, {**point, b: point.get(b, Fraction(3))}), ev(right, {**point, b: point.get(b, Fraction(3))}))
        except _Undefined:
            continue
        if truth == "slip" and apart:
            witness = {**point, b: point.get(b, Fraction(3))}
            break
        if truth == "true" and apart:
            raise AssertionError(f"the generator built a false step under a fact: {tex(left)} = {tex(right)}")
    if truth == "slip" and witness is None:
        truth = "true"  # not false where the fact holds: not a slip
    opening = src.choice(["Where", "If", "Whenever", "Since", "Given"])
    fact_text = f"{tex(fact[0])} = {tex(fact[1])}"
    return (f"{opening} ${fact_text}$, we get ${tex(left)} = {tex(right)}$.",
            [Expected(tex(fact[0]), tex(fact[1]), "condition"), Expected(tex(left), tex(right), truth, witness, f"fact-{shape}")])


def _across_part(src: Source, slips: bool) -> tuple[str, list]:
    """A chain continued in a second display that opens with its relation ("$$A = B$$ $$= C$$")."""
    for _ in range(20):
        name, family = src.choice(_FAMILIES[:4])
        sides = list(family(src))
        if len(sides) == 2:
            break
    else:
        return _identity_part(src, slips)
    a, b = sides
    c = src.choice([b, ("add", b, num(0)) if b[0] != "num" else b])  # the same formula again, or with + 0
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        planted = _slip(src, c)
        witness = _witness(b, planted)
        if witness is not None:
            c, truth = planted, "slip"
    between = src.choice(["\n", "\n\n", "\nwhich is\n"])
    text = f"{src.choice(_OPENINGS)} $${tex(a)} = {tex(b)}$${between}$$= {tex(c)}$$"
    return text, [Expected(tex(a), tex(b), "true", None, f"across-{name}"),
                  Expected(tex(b), tex(c), truth, witness, f"across-{name}")]


def _boxed_part(src: Source, slips: bool) -> tuple[str, list]:
    """A chain with its result, or the whole of it, in \\boxed{...}."""
    text, steps = _identity_part(src, slips)
    start, end = text.find("$"), text.rfind("$")
    if start < 0 or "\\begin{align}" in text:
        return text, steps
    inner = text[start:end + 1].strip("$")
    last = steps[-1].right
    how = src.choice(["all", "last"])
    if how == "all" and len(steps) == 1:
        boxed = f"\\boxed{{{inner}}}"
    else:
        at = inner.rfind(last)
        boxed = inner[:at] + f"\\boxed{{{last}}}" + inner[at + len(last):]
    dollars = "$$" if text[start:start + 2] == "$$" else "$"
    for e in steps:
        e.family = "boxed-" + e.family
    return text[:start] + dollars + boxed + dollars + text[end + 1:], steps


def _pair(src: Source, slips: bool) -> tuple[list, str, Optional[dict]]:
    """Two sides of an identity of one family, the right one perhaps a slip: (sides, truth, witness)."""
    for _ in range(20):
        name, family = src.choice(_FAMILIES[:4])
        sides = list(family(src))
        if len(sides) == 2:
            break
    sides = sides[:2]
    if slips and src.integer(0, 1):
        planted = _slip(src, sides[1])
        witness = _witness(sides[0], planted)
        if witness is not None:
            return [sides[0], planted], "slip", witness
    return sides, "true", None


def _notation_part(src: Source, slips: bool) -> tuple[str, list]:
    """Relations as lecture notes print them: numbered over the sign (`\\overset{(a)}{=}`, `\\stackrel{(1)}{=}`), or
    two identities side by side in the two columns of one `align*` row (`A &= B & C &= D`)."""
    first, truth1, witness1 = _pair(src, slips)
    second, truth2, witness2 = _pair(src, slips)
    a, b, c, d = (tex(e) for e in (*first, *second))
    if src.choice(["overset", "columns"]) == "overset":
        over = src.choice(["\\overset{(a)}{=}", "\\stackrel{(1)}{=}", "\\overset{\\text{expand}}{=}"])
        text = f"{src.choice(_OPENINGS)} ${a} {over} {b}$ and ${c} = {d}$."
    else:
        text = f"Side by side:\n\\begin{{align*}}\n{a} &= {b} & {c} &= {d}\n\\end{{align*}}"
    return text, [Expected(a, b, truth1, witness1, "notation"), Expected(c, d, truth2, witness2, "notation")]


def _unhonoured_part(src: Source, slips: bool) -> tuple[str, list]:
    """A step true on a set its sentence names in words the scan's search cannot honour (odd n, x in {0, 1}, ...)
    and false off it: it needs review or is skipped, never refuted and never passed. A slip fails on the set too."""
    x, y = src.choice([("x", "y"), ("u", "v"), ("n", "t")])
    X, Y = var(x), var(y)
    shape = src.choice(["binary", "set", "listed", "odd", "integer"])
    if shape in ("binary", "set", "listed"):
        on = [Fraction(0), Fraction(1)]
        good = [(("add", ("pow", X, 2), Y), ("add", X, Y)), (("mul", ("pow", X, 3), Y), ("mul", X, Y)),
                (("mul", X, ("sub", num(1), X)), ("mul", num(0), Y))]
        bad = [(("add", ("pow", X, 2), Y), ("add", ("mul", num(2), X), Y)), (("mul", ("pow", X, 3), Y), ("mul", X, ("pow", Y, 2)))]
        words = {"binary": f"For binary ${x}$,", "set": f"For ${x} \\in \\{{0, 1\\}}$,",
                 "listed": f"When ${x}$ is $0$ or $1$,"}[shape]
    elif shape == "odd":
        on = [Fraction(k) for k in (-3, -1, 1, 3)]
        good = [(("mul", ("pow", X, 2), Y), ("mul", ("abs", X), ("mul", ("abs", X), Y))),
                (("mul", ("sub", ("pow", X, 2), num(1)), Y), ("mul", ("mul", ("sub", X, num(1)), ("add", X, num(1))), Y))]
        bad = [(("mul", ("pow", X, 2), Y), ("mul", X, Y))]
        words = f"For odd ${x}$,"
        # (the identities true everywhere here are fine too: a step true on the set must never be refuted)
    else:
        on = [Fraction(k) for k in (-2, -1, 0, 1, 2, 3)]
        good = [(("mul", ("pow", X, 2), Y), ("mul", ("mul", X, X), Y))]
        bad = [(("mul", ("pow", X, 2), Y), ("mul", X, Y))]
        words = f"For every integer ${x}$,"
    left, right = src.choice(good)
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        left, right = src.choice(bad)
        truth = "slip"
    for value in on:
        point = {x: value, y: Fraction(3)}
        apart = _apart(ev(left, point), ev(right, point))
        if truth == "true" and apart:
            raise AssertionError(f"the generator built a false step on its set: {tex(left)} = {tex(right)}")
        if truth == "slip" and apart:
            witness = point
            break
    if truth == "slip" and witness is None:
        truth = "true"
    everywhere = truth == "true" and _holds(left, right)
    kind = "true" if everywhere else truth if truth == "slip" else "unhonoured"
    steps = [Expected(x, "\\{0, 1\\}", "condition")] if shape == "set" else []
    return f"{words} ${tex(left)} = {tex(right)}$.", steps + [Expected(tex(left), tex(right), kind, witness, f"unhonoured-{shape}")]



# -- styles of course material the parts above do not write: names said in words to be what a real number is not,
# a declared base for \log, \sigma said to be another function, \pi and e as names, a name introduced again in words.
# Each step's truth is computed here (2 x 2 matrices in fractions, Python's complex numbers, math.log in the declared
# base, the function the words name), never by the scan.


def _mat_mul(x, y):
    return [[sum(x[i][k] * y[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


def _mat_add(x, y):
    return [[x[i][j] + y[i][j] for j in range(2)] for i in range(2)]


def _mat_scale(c, x):
    return [[c * v for v in row] for row in x]


_KIND_WORDS = {
    "matrix": ["Let ${a}$ and ${b}$ be $2 \\times 2$ matrices.", "Suppose ${a}$ and ${b}$ are square matrices.",
               "Let ${a}, {b} \\in \\mathbb{{R}}^{{2 \\times 2}}$.", "For matrices ${a}$ and ${b}$,",
               "Here ${a}$ and ${b}$ denote $n \\times n$ matrices."],
    "complex": ["Let ${a}$ and ${b}$ be complex numbers.", "For complex ${a}$ and ${b}$,", "Let ${a}, {b} \\in \\mathbb{{C}}$."],
    "vector": ["Let ${a}$ and ${b}$ be vectors.", "Let $\\mathbf{{{a}}}$ and $\\mathbf{{{b}}}$ be column vectors.",
               "Let ${a}, {b} \\in \\mathbb{{R}}^n$."],
}


def _kinds_part(src: Source, slips: bool) -> tuple[str, list]:
    """Names the words say are matrices, complex numbers or vectors, and steps about them that hold for real numbers:
    false for what the names are (a slip, with a witness in 2 x 2 matrices or complex numbers), ill-formed for
    vectors (never decided), or true for what they are too (a + b = b + a). Then a section where the same letters
    are real numbers again, with a step about them (an identity, perhaps with a planted slip)."""
    a, b = src.choice([("a", "b"), ("u", "v"), ("p", "q"), ("x", "y")])
    kind = src.choice(list(_KIND_WORDS))
    words = src.choice(_KIND_WORDS[kind]).format(a=a, b=b)
    A, B = var(a), var(b)
    shapes = {"square": (("pow", ("add", A, B), 2), ("add", ("add", ("pow", A, 2), ("mul", num(2), ("mul", A, B))), ("pow", B, 2))),
              "commute": (("mul", A, B), ("mul", B, A)),
              "product": (("pow", ("mul", A, B), 2), ("mul", ("pow", A, 2), ("pow", B, 2))),
              "difference": (("mul", ("add", A, B), ("sub", A, B)), ("sub", ("pow", A, 2), ("pow", B, 2)))}
    if kind == "complex":
        shapes = {"modulus": (("pow", ("abs", A), 2), ("pow", A, 2)), "root": (("sqrt", ("pow", A, 2)), ("abs", A)),
                  "abs-product": (("abs", ("add", A, B)), ("add", ("abs", A), ("abs", B)))}
    shape = src.choice(sorted(shapes))
    left, right = shapes[shape]
    truth, witness = "slip", None
    if kind == "matrix":
        x, y = [[Fraction(1), Fraction(1)], [Fraction(0), Fraction(1)]], [[Fraction(1), Fraction(0)], [Fraction(1), Fraction(1)]]
        xy, yx = _mat_mul(x, y), _mat_mul(y, x)
        sides = {"square": (_mat_mul(_mat_add(x, y), _mat_add(x, y)),
                            _mat_add(_mat_add(_mat_mul(x, x), _mat_scale(2, xy)), _mat_mul(y, y))),
                 "commute": (xy, yx), "product": (_mat_mul(xy, xy), _mat_mul(_mat_mul(x, x), _mat_mul(y, y))),
                 "difference": (_mat_mul(_mat_add(x, y), _mat_add(x, _mat_scale(-1, y))),
                                _mat_add(_mat_mul(x, x), _mat_scale(-1, _mat_mul(y, y))))}[shape]
        if sides[0] == sides[1]:
            raise AssertionError(f"the generator's matrices do not show {shape} false")
        witness = {a: x, b: y}
    elif kind == "complex":
        z, w = 1j, -1j if shape == "abs-product" else 1j
        values = {"modulus": (abs(z) ** 2, z ** 2), "root": ((z ** 2) ** 0.5, abs(z)),
                  "abs-product": (abs(z + w), abs(z) + abs(w))}[shape]
        if abs(values[0] - values[1]) < 1e-9:
            raise AssertionError(f"the generator's complex numbers do not show {shape} false")
        witness = {a: z, b: w}
    else:  # a square or a product of two column vectors: not defined, a slip in the notation
        witness = {"shapes": f"{a} and {b} are column vectors; {a} {b} is not defined"}
    steps = [Expected(f"{a}, {b}", "\\mathbb{R}^{2 \\times 2}" if "2 \\times 2}" in words else
                      "\\mathbb{C}" if "mathbb{C}" in words else "\\mathbb{R}^n", "condition")] if "\\in" in words else []
    text = f"{words} Then ${tex(left)} = {tex(right)}$."
    steps.append(Expected(tex(left), tex(right), truth, witness, f"kinds-{kind}"))
    if kind != "complex" and src.integer(0, 1):  # one that holds for them too
        text += f" Also ${tex(('add', A, B))} = {tex(('add', B, A))}$."
        steps.append(Expected(tex(("add", A, B)), tex(("add", B, A)), "true", None, f"kinds-{kind}"))
    # the same letters as real numbers in the next section
    text += f"\n\n## Part {src.integer(10, 99)}\n\nFor real ${a}$ and ${b}$, "
    real_left, real_right = ("pow", ("add", A, B), 2), ("add", ("add", ("pow", A, 2), ("mul", num(2), ("mul", A, B))), ("pow", B, 2))
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        planted = _slip(src, real_right)
        witness = _witness(real_left, planted)
        if witness is not None:
            real_right, truth = planted, "slip"
    text += f"${tex(real_left)} = {tex(real_right)}$."
    steps.append(Expected(tex(real_left), tex(real_right), truth, witness, "kinds-real-again"))
    return text, steps


_BASE_WORDS = ["All logarithms are base {b}.", "We use base-{b} logarithms throughout.", "In this course, $\\log$ denotes the "
               "base-{b} logarithm.", "We write $\\log$ for $\\log_{{{b}}}$."]


def _log_base_part(src: Source, slips: bool) -> tuple[str, list]:
    """A base the words give \\log, and steps with a \\log written without one: values of logs, a derivative, a law
    that holds in every base; each true or false in the declared base (math.log in that base decides), whatever it
    is for the natural log."""
    base = src.choice([2, 10])
    text = src.choice(_BASE_WORDS).format(b=base)
    steps = []
    for _ in range(src.integer(1, 3)):
        shape = src.choice(["value", "value", "derivative", "product", "e"])
        if shape == "value":
            k = src.integer(1, 3)
            arg = base ** k
            value = k
            if slips and src.integer(0, 2) == 0:
                value = k + src.choice([1, -1])
            left, right = f"\\log {arg}", str(value)
            holds = math.isclose(math.log(arg, base), value)
            witness = None if holds else {}
        elif shape == "e":
            left, right = "\\log e", src.choice(["1", f"\\frac{{1}}{{\\ln {base}}}"])
            holds = right != "1"
            witness = None if holds else {}
        elif shape == "derivative":
            right = src.choice(["\\frac{1}{x}", f"\\frac{{1}}{{x \\ln {base}}}"])
            left = "\\frac{d}{dx} \\log x"
            holds = right != "\\frac{1}{x}"  # d/dx log_b x = 1/(x ln b)
            witness = None if holds else {"x": Fraction(1)}
        else:
            left, right = "\\log(xy)", src.choice(["\\log x + \\log y", "\\log x \\log y"])
            holds = right == "\\log x + \\log y"
            witness = None if holds else {"x": Fraction(2), "y": Fraction(3)}
            text += " For positive $x$ and $y$,"
        text += f" $${left} = {right}$$"
        steps.append(Expected(left, right, "true" if holds else "slip", witness, "log-base"))
    return text, steps


_SIGMA_WORDS = {"arbitrary": "Let $\\sigma$ be an arbitrary activation function.",
                "relu": "Here $\\sigma$ denotes the ReLU, $\\max(0, z)$, unlike the sigmoid.",
                "tanh": "In this part $\\sigma$ is the hyperbolic tangent, not the logistic function.",
                "sigmoid": "Here $\\sigma$ is the sigmoid."}


def _sigma_part(src: Source, slips: bool) -> tuple[str, list]:
    """\\sigma said in words to be some function (in a document that speaks of the sigmoid elsewhere) and its values
    at a point: true or false for the function the words name; for an arbitrary one, never decided."""
    which = src.choice(sorted(_SIGMA_WORDS))
    functions = {"relu": lambda z: max(0.0, z), "tanh": math.tanh, "sigmoid": lambda z: 1 / (1 + math.exp(-z))}
    text, steps = _SIGMA_WORDS[which], []
    for z in [src.choice([-1, 0, 1, 2]) for _ in range(src.integer(1, 2))]:
        claimed = src.choice(["0", "\\frac{1}{2}", "1", f"\\frac{{1}}{{1 + e^{{{-z}}}}}", str(max(0, z))])
        left = f"\\sigma({z})"
        if which == "arbitrary":
            truth, witness = "unhonoured", None
        else:
            value = {"0": 0.0, "\\frac{1}{2}": 0.5, "1": 1.0, str(max(0, z)): float(max(0, z))}.get(claimed)
            if value is None:
                value = 1 / (1 + math.exp(z * -1))
            holds = math.isclose(functions[which](z), value, abs_tol=1e-12)
            truth, witness = ("true", None) if holds else ("slip", {"z": z})
            if not slips and truth == "slip":
                continue
        text += f" $${left} = {claimed}$$"
        steps.append(Expected(left, claimed, truth, witness, f"sigma-{which}"))
    if not steps:
        return _identity_part(src, slips)
    return text, steps


def _constant_names_part(src: Source, slips: bool) -> tuple[str, list]:
    """\\pi or e introduced as a name ("let $\\pi$ be the mixing weight", "let $e$ denote the error"), and steps about it
    as a variable: an identity (perhaps with a planted slip), and an inequality that holds for the constant but not
    for every value of the name."""
    name, words = src.choice([("\\pi", "Let $\\pi$ be the mixing weight."), ("e", "Let $e$ denote the error of the fit."),
                              ("\\pi", "Let $\\pi$ denote the prior probability of the first class.")])
    X = var(name)
    left, right = ("mul", X, ("sub", num(1), X)), ("sub", X, ("pow", X, 2))
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        planted = _slip(src, right)
        witness = _witness(left, planted)
        if witness is not None:
            right, truth = planted, "slip"
    text = f"{words} Then ${tex(left)} = {tex(right)}$."
    steps = [Expected(tex(left), tex(right), truth, witness, "constant-names")]
    if src.integer(0, 1):  # true for the constant (pi > 3, e > 2), false for the name at 1
        k = 3 if name == "\\pi" else 2
        text += f" Note that $${name}^2 \\ge {k}{name}$$"
        steps.append(Expected(f"{name}^2", f"{k}{name}", "slip", {name: Fraction(1)}, "constant-names"))
    return text, steps


def _again_part(src: Source, slips: bool) -> tuple[str, list]:
    """A function given a formula, a value of it, and then the same letter introduced again in words ("now let $f$ be
    the ReLU"): a value after that is not decided by the first formula (never refuted, never passed); or recalled
    ("let $f$ be as above"), when the first formula still decides it."""
    letter = src.choice(["f", "g", "h"])
    c2, c0 = src.integer(1, 3), src.integer(-3, 3)

    def first(z):
        return c2 * z * z + c0

    body = f"{c2}z^2 {'+' if c0 >= 0 else '-'} {abs(c0)}"
    z1 = src.integer(-2, 3)
    text = f"Let ${letter}(z) = {body}$. Then ${letter}({z1}) = {first(z1)}$."
    steps = [Expected(f"{letter}(z)", body, "definition"), Expected(f"{letter}({z1})", str(first(z1)), "true", None, "again")]
    recalled = src.integer(0, 2) == 0
    text += "\n\n" + (f"Let ${letter}$ be as above." if recalled else
                      src.choice([f"Now let ${letter}$ be the ReLU.", f"Let ${letter}$ now denote the loss of the network.",
                                  f"From here on, ${letter}$ denotes an arbitrary activation."]))
    z2 = src.integer(-3, 3)
    value = first(z2) if src.integer(0, 1) else first(z2) + src.choice([1, -1])
    if recalled:
        truth, witness = ("true", None) if value == first(z2) else ("slip", {"z": Fraction(z2)})
        if truth == "slip" and not slips:
            value, truth, witness = first(z2), "true", None
    else:
        truth, witness = "unhonoured", None
    text += f" Then ${letter}({z2}) = {value}$."
    steps.append(Expected(f"{letter}({z2})", str(value), truth, witness, "again-recalled" if recalled else "again-words"))
    return text, steps


def _assume_part(src: Source, slips: bool) -> tuple[str, list]:
    """An assumption stated in a sentence of its own ("Assume $a > 0$.", "Let $p$ be a probability.") and a step in a
    later sentence that holds under it and fails without it (or a slip that fails under it too); a range the search
    cannot honour (a count, "between") makes a step true there unhonoured."""
    a, b = _names(src, 2)
    A, B = var(a), var(b)
    shape = src.choice(["positive", "probability", "count", "between"])
    if shape == "positive":
        words = src.choice([f"Assume ${a} > 0$.", f"Suppose ${a} > 0$.", f"Throughout, ${a} > 0$.", f"Let ${a} > 0$.",
                            f"We assume throughout that ${a} > 0$.", f"In what follows, ${a} > 0$.", f"From here on, ${a} > 0$.",
                            f"Assume that ${a}$ is positive.", f"Let ${a}$ be a positive number.", f"Let ${a}$ be positive."])
        on = lambda p: p[a] > 0  # noqa: E731
        good = [(("mul", ("abs", A), B), ("mul", A, B)), (("sqrt", ("pow", A, 2)), A), (("abs", ("mul", A, ("pow", B, 2))), ("mul", A, ("pow", B, 2)))]
        bad = [(("mul", ("abs", A), B), ("mul", ("neg", A), B)), (("sqrt", ("pow", A, 2)), ("neg", A))]
        steps = [Expected(a, "0", "condition")] if "> 0$" in words else []
    elif shape == "probability":
        words = src.choice([f"Let ${a}$ be a probability.", f"Here ${a}$ denotes the probability of the first class."])
        on = lambda p: 0 <= p[a] <= 1  # noqa: E731
        good = [(("pow", A, 2), A, "\\le"), (("mul", A, ("sub", num(1), A)), num(0), "\\ge"), (("pow", A, 3), ("pow", A, 2), "\\le")]
        bad = [(("pow", A, 2), A, "\\ge"), (("mul", A, ("sub", num(1), A)), num(0), "\\le")]
        steps = []
    else:
        words = (f"Let ${a}$ be the number of samples." if shape == "count" else f"For ${a}$ between $0$ and $1$, we note the following.")
        on = (lambda p: p[a] in (1, 2, 3)) if shape == "count" else (lambda p: 0 <= p[a] <= 1)  # noqa: E731
        good = [(("pow", A, 2), A, "\\ge")] if shape == "count" else [(("pow", A, 2), A, "\\le")]
        bad = [(("pow", A, 2), ("mul", num(2), A), "\\ge")] if shape == "count" else [(("pow", A, 2), A, "\\ge")]
        steps = []
    pick = src.choice(good)
    truth = "true"
    if slips and src.integer(0, 1):
        pick, truth = src.choice(bad), "slip"
    left, right, relation = (*pick, "=")[:3] if len(pick) == 2 else pick
    compare = {"=": lambda x, y: _close(x, y), "\\le": lambda x, y: x <= y + 1e-12, "\\ge": lambda x, y: x >= y - 1e-12}[relation]
    witness, everywhere = None, True
    for value in [Fraction(k, 4) for k in range(-12, 13)] + [Fraction(3), Fraction(5, 2)]:
        point = {a: value, b: Fraction(3)}
        try:
            ok = compare(ev(left, point), ev(right, point))
        except _Undefined:
            continue
        everywhere = everywhere and ok
        if on(point) and not ok:
            if truth == "true":
                raise AssertionError(f"the generator built a false step under {words}: {tex(left)} {relation} {tex(right)}")
            witness = witness or point
    if truth == "slip" and witness is None:
        truth = "true"
    if truth == "true" and not everywhere and shape in ("count", "between"):
        truth = "unhonoured"
    text = f"{words} Then ${tex(left)} {relation} {tex(right)}$."
    return text, steps + [Expected(tex(left), tex(right), truth, witness, f"assume-{shape}")]


_PARTS = [(_identity_part, 6), (_condition_part, 1), (_example_part, 1), (_function_part, 1), (_solved_part, 1)]
# The parts of the verdict paths added later, each in a section of its own when drawn by `generate(..., more=True)`
# (a function or value one defines would otherwise be the second formula of another part's).
_MORE = [_later_part, _cases_part, _named_part, _fact_part, _across_part, _boxed_part, _unhonoured_part, _notation_part]
# The styles of course material that state in words what a name is (see _kinds_part and the parts after it).
_STYLES = [_kinds_part, _log_base_part, _sigma_part, _constant_names_part, _again_part, _assume_part]


def generate(src: Source, parts: int = 6, slips: bool = True, more: bool = False, written: bool = False) -> Material:
    """A Markdown document of `parts` paragraphs (parts of an exercise), each with its steps' truth; with `more`,
    the parts of `_MORE` and `_STYLES` too, and with `written` those of tests/scan_oracle_prose.py (prose attached
    to a step), each under a heading of its own."""
    paragraphs = ["# Generated notes on the sigmoid and friends"]
    steps: list = []
    weighted = [p for p, w in _PARTS for _ in range(w)] + (_MORE * 2 + _STYLES if more else []) + _written(written)
    sectioned = False  # whether the last part opened a section of its own
    for k in range(parts):
        part = src.choice(weighted)
        text, expected = part(src, slips)
        # a part after one in a section of its own opens another: what that section's words declare (a base for
        # \log, what \sigma is, a name's kind) is not this part's, whose truth is reckoned without them
        own = part in _MORE or part in _STYLES or part in _written(written)
        if own or sectioned:
            paragraphs.append(f"## Part {k + 1}")
        sectioned = own
        paragraphs.append(f"({chr(ord('a') + k % 26)}) {text}")
        steps += expected
    return Material("\n\n".join(paragraphs) + "\n", steps)


def _written(wanted: bool) -> list:
    if not wanted:
        return []
    from scan_oracle_prose import PARTS

    return PARTS * 2


def generate_part(src: Source, part: Callable, parts: int = 6, slips: bool = True) -> Material:
    """A document of `parts` drawings of one part, each in a section of its own (a soak of one verdict path)."""
    paragraphs, steps = ["# Generated notes on one path: the sigmoid and friends"], []
    for k in range(parts):
        text, expected = part(src, slips)
        paragraphs += [f"## Part {k + 1}", f"({chr(ord('a') + k % 26)}) {text}"]
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
    # steps true only on a set their sentence names in words the scan cannot search (see _unhonoured_part)
    unhonoured: int = 0
    # per family of generated step (or truth, for definitions and conditions): counts of statuses and truths
    families: dict = dataclasses.field(default_factory=dict)
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    misread: list = dataclasses.field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for f in ("steps", "true", "slips", "caught", "skipped", "unhonoured"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for family, row in other.families.items():
            mine = self.families.setdefault(family, {})
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v
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
        row = out.families.setdefault(e.family or e.truth, {})
        row[status] = row.get(status, 0) + 1
        row["is " + e.truth] = row.get("is " + e.truth, 0) + 1
        if status == "skipped" or status == "unknown":
            out.skipped += 1
        if e.truth == "slip":
            out.slips += 1
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{step.text}: {status} ({step.reason}), but it fails at {e.witness}")
            elif status in ("refuted", "needs review"):
                out.caught += 1
                row["caught"] = row.get("caught", 0) + 1
        elif e.truth == "valued":  # true with the value an earlier paragraph gives: needs review, naming it
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{step.text}: {status} ({step.reason}), but it fails without the earlier value")
            elif status == "refuted":
                out.false_alarms.append(f"{step.text}: refuted ({step.reason}), but it holds with the earlier value")
            elif status != "needs review" or e.named not in step.reason:
                out.misread.append(f"{step.text}: {status} ({step.reason}), not a review naming the value ({e.named})")
        elif e.truth == "unhonoured":  # true on a set the scan cannot search: needs review or skipped, nothing else
            out.unhonoured += 1
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{step.text}: {status} ({step.reason}), but it fails off the set its words name")
            elif status == "refuted":
                out.false_alarms.append(f"{step.text}: refuted ({step.reason}), but it holds on the set its words name")
        else:
            out.true += e.truth == "true"
            if status in ("refuted", "needs review"):
                out.false_alarms.append(f"{step.text} ({e.truth}): {status} ({step.reason})")
            if e.truth in ("definition", "condition") and status in ("proved", "checked"):
                out.misread.append(f"{step.text}: a {e.truth} {status} ({step.reason})")
    return out
