"""Generated notes with sums and products in every juxtaposition, each step's truth known from the tree it was printed from.

A big operator binds the product term that follows it: the factors joined by juxtaposition, `\\cdot`, `\\times` or a
fraction, up to the next + or - at its level or the relation. Each step is built here as a tree (sums, products,
sums of sums, a body then a term, a factor, a fraction, a power, a parenthesis in each style, a second sum or product of
the same or the other kind, over the same index or another, the index used again after the body, empty ranges, a
count stated in words) and printed from it; its truth is the value of that tree under this file's own evaluator (exact
fractions, an empty range a sum 0 and a product 1) over the stated domain of the count n and a grid of the other names.
Nothing here parses LaTeX or calls the scan.

Where the printed notation is read two ways by careful readers (a product or a sum followed, in its product term, by
another big operator of either kind; an index letter used again after its body has ended) the step carries every
reading; if their truths differ it is "ambiguous": the scan may skip it or ask for review, never prove, check or
refute it against either reading. A refuted step's counterexample (the `--format json` values) is replayed under the
conventional reading: the count a whole number of its domain, the step false there.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction
from typing import Optional

from scan_oracle import RandomSource, Source

__all__ = ["Expected", "Material", "Tally", "generate", "judge", "replay", "tex", "value", "RandomSource", "KINDS"]


# -- trees: ("num", int) ("var", name) ("add", a, b) ("sub", a, b) ("neg", a) ("mul", (f, ...), (sep, ...))
# ("frac", a, b) ("pow", base, exponent) ("paren", e, style) ("big", "sum" | "prod", index, lo, hi, body)

def N(v) -> tuple:
    return ("num", v)


def V(name: str) -> tuple:
    return ("var", name)


def add(a, b) -> tuple:
    return ("add", a, b)


def sub(a, b) -> tuple:
    return ("sub", a, b)


def mul(*factors, sep: str = "") -> tuple:
    return ("mul", tuple(factors), (sep,) * (len(factors) - 1))


def mul_seps(factors, seps) -> tuple:
    return ("mul", tuple(factors), tuple(seps))


def frac(a, b) -> tuple:
    return ("frac", a, b)


def pw(base, exponent) -> tuple:
    return ("pow", base, exponent)


def par(e, style: str = "()") -> tuple:
    return ("paren", e, style)


def big(kind: str, index: str, lo, hi, body) -> tuple:
    return ("big", kind, index, lo, hi, body)


_OPEN = {"()": ("(", ")"), "left": ("\\left(", "\\right)"), "Big": ("\\Big(", "\\Big)"), "big": ("\\big(", "\\big)"),
         "bigl": ("\\bigl(", "\\bigr)")}


def ent(name: str, index) -> tuple:
    return ("ent", name, index)


def _wrapped(e) -> str:
    return f"({tex(e)})"


def tex(e) -> str:
    """The tree as printed: parentheses where the tree needs them to read as itself, none elsewhere (a "bare" node is
    printed without them where it would otherwise get them, to print a reading the notation leaves open)."""
    k = e[0]
    if k == "num":
        return str(e[1])
    if k == "var":
        return e[1]
    if k == "bare":
        return tex(e[1])
    if k == "ent":
        return f"{e[1]}_{e[2][1]}" if e[2][0] == "var" else f"{e[1]}_{{{tex(e[2])}}}"
    if k in ("add", "sub"):
        right = e[2]
        shown = _wrapped(right) if right[0] == "neg" or (k == "sub" and right[0] in ("add", "sub")) else tex(right)
        return f"{tex(e[1])} {'+' if k == 'add' else '-'} {shown}"
    if k == "neg":
        return f"-{_wrapped(e[1]) if e[1][0] in ('add', 'sub', 'neg') else tex(e[1])}"
    if k == "mul":
        shown = []
        for pos, f in enumerate(e[1]):
            last = pos == len(e[1]) - 1
            wrap = f[0] in ("add", "sub", "neg") or (f[0] in ("big", "mul") and not last and "_{" in tex(f))
            shown.append(_wrapped(f) if wrap else tex(f))
        out = shown[0]
        for sep, text in zip(e[2], shown[1:]):
            if not sep and (text[:1].isdigit() or text.startswith("\\frac") and out[-1:].isdigit()):
                sep = "\\cdot"  # 2 3 or 2 \frac{1}{2}: a number needs \cdot after a factor
            out += f" {sep} {text}" if sep else f" {text}"
        return out
    if k == "frac":
        return f"\\frac{{{tex(e[1])}}}{{{tex(e[2])}}}"
    if k == "slash":
        return f"{tex(e[1])} / {tex(e[2])}"
    if k == "pow":
        base = e[1]
        shown = tex(base) if base[0] in ("num", "var", "paren") else _wrapped(base)
        return f"{shown}^{{{tex(e[2])}}}"
    if k == "paren":
        left, right = _OPEN[e[2]]
        return f"{left}{tex(e[1])}{right}"
    if k == "big":
        body = e[5]
        shown = _wrapped(body) if body[0] in ("add", "sub", "neg") else tex(body)
        if e[3] is None:  # without bounds: over every entry of the vectors it reads
            return f"\\{e[1]}_{e[2]} {shown}"
        return f"\\{e[1]}_{{{e[2]}={tex(e[3])}}}^{{{tex(e[4])}}} {shown}"
    raise ValueError(k)


class _Undefined(ArithmeticError):
    pass


_MAX_TERMS = 400


def value(e, env: dict) -> Fraction:
    """The exact value of a tree at a point (names to Fractions; indices bound by the sums and products around)."""
    k = e[0]
    if k == "num":
        return Fraction(e[1])
    if k == "var":
        return env[e[1]]
    if k == "add":
        return value(e[1], env) + value(e[2], env)
    if k == "sub":
        return value(e[1], env) - value(e[2], env)
    if k == "neg":
        return -value(e[1], env)
    if k == "mul":
        out = Fraction(1)
        for f in e[1]:
            out *= value(f, env)
        return out
    if k in ("frac", "slash"):
        d = value(e[2], env)
        if d == 0:
            raise _Undefined()
        return value(e[1], env) / d
    if k == "pow":
        b, x = value(e[1], env), value(e[2], env)
        if x.denominator != 1 or (not isinstance(b, Fraction) and x < 0) or (b == 0 and x < 0) or abs(x) > 60:
            raise _Undefined()
        return b ** int(x)
    if k in ("paren", "bare"):
        return value(e[1], env)
    if k == "ent":
        at = value(e[2], env)
        entries = env[e[1]]
        if at.denominator != 1 or not 1 <= at <= len(entries):
            raise _Undefined()
        return entries[int(at) - 1]
    if k == "big":
        lo, hi = (Fraction(1), env["n"]) if e[3] is None else (value(e[3], env), value(e[4], env))
        if lo.denominator != 1 or hi.denominator != 1 or hi - lo > _MAX_TERMS:
            raise _Undefined()
        out = None  # an empty range: a sum 0, a product 1
        for i in range(int(lo), int(hi) + 1):
            t = value(e[5], {**env, e[2]: Fraction(i)})
            out = t if out is None else out + t if e[1] == "sum" else out * t
        return Fraction(0 if e[1] == "sum" else 1) if out is None else out
    raise ValueError(k)


def _names(e, bound=frozenset()) -> set:
    """The free names of a tree."""
    k = e[0]
    if k == "var":
        return set() if e[1] in bound else {e[1]}
    if k == "num":
        return set()
    if k == "ent":
        return {e[1]} | _names(e[2], bound)
    if k == "big":
        if e[3] is None:
            return {"n"} | _names(e[5], bound | {e[2]})
        return _names(e[3], bound) | _names(e[4], bound) | _names(e[5], bound | {e[2]})
    if k == "mul":
        return set().union(*(_names(f, bound) for f in e[1]))
    return set().union(*(_names(a, bound) for a in e[1:] if isinstance(a, tuple)))


# -- steps


@dataclasses.dataclass
class Expected:
    text: str
    # "true", "false" (under every reading) or "ambiguous" (readings of different truth)
    truth: str
    # the construction that made it (body then a term, a factor, a second big operator, ...)
    kind: str
    # every reading of the left side, the conventional one first; the right side is read one way
    readings: tuple = ()
    right: tuple = ()
    # the least value of the count n the words give
    least: int = 0
    slip: bool = False
    # a point where the conventional reading fails (a false step)
    witness: Optional[dict] = None


@dataclasses.dataclass
class Material:
    text: str
    steps: list


_GRID = [Fraction(2), Fraction(-1), Fraction(1, 2), Fraction(3), Fraction(-2, 3)]
_SPAN = 6  # counts least .. least + _SPAN


_VECTORS = ("x", "w")  # names of vectors of n entries
_MATRICES = ("A", "I")  # a square matrix of n rows and the identity


def _vector(n: int, shift: int) -> tuple:
    return tuple(_GRID[(3 * i + shift) % len(_GRID)] for i in range(n))


def _matrix(n: int, shift: int):
    import sympy

    return sympy.Matrix(n, n, lambda i, j: sympy.Rational(_GRID[(2 * i + 3 * j + shift) % len(_GRID)]))


def _points(names: set, least: int):
    others = sorted(names - {"n"} - set(_VECTORS) - set(_MATRICES))
    vectors = sorted(names & set(_VECTORS))
    if names & set(_MATRICES):  # a square matrix A of n rows and the identity I: sizes 1 to 3, two draws each
        import sympy

        for n in range(max(least, 1), 4):
            for shift in range(2):
                yield {"n": Fraction(n), "A": _matrix(n, shift), "I": sympy.eye(n)}
        return
    for n in range(least, least + _SPAN + 1):
        for vals in itertools.product(*([_GRID[:3]] * len(others))):
            for shift in range(3 if vectors else 1):
                yield {"n": Fraction(n), **dict(zip(others, vals)),
                       **{v: _vector(n, shift + 2 * m) for m, v in enumerate(vectors)}}


def _fails(left, right, point) -> Optional[bool]:
    try:
        a, b = value(left, point), value(right, point)
    except (_Undefined, TypeError, ValueError, ArithmeticError):  # shapes that do not fit (a matrix plus a number)
        return None
    return bool(a != b)


def _witness(left, right, least: int) -> Optional[dict]:
    """The first point of the domain where left and right differ (None: they agree at every point tried)."""
    for p in _points(_names(left) | _names(right), least):
        if _fails(left, right, p):
            return p
    return None


def _step(kind: str, readings: list, right, least: int, slip: bool = False) -> Expected:
    printed = {tex(r) for r in readings}
    if len(printed) != 1:
        raise AssertionError(f"readings printed differently: {printed}")
    wit = [_witness(r, right, least) for r in readings]
    truth = "false" if all(w is not None for w in wit) else "true" if all(w is None for w in wit) else "ambiguous"
    return Expected(f"{tex(readings[0])} = {tex(right)}", truth, kind, tuple(readings), right, least, slip, wit[0])


# -- building blocks

_INDICES = ["k", "i", "j"]
_STYLES = ["()", "left", "Big", "big", "bigl"]


def _count(src: Source) -> tuple:
    """The upper bound: n, n + 1 or n - 1, or a number."""
    return src.choice([V("n"), V("n"), V("n"), add(V("n"), N(1)), sub(V("n"), N(1)), N(src.integer(0, 4))])


def _body(src: Source, k: str, kind: str) -> tuple:
    """A body in the index k (a single factor or a product of factors, printed without parentheses)."""
    c = src.integer(2, 3)
    options = [V(k), mul(N(c), V(k)), pw(V(k), N(2)), N(c), mul(V("a"), V(k)), pw(N(c), V(k)), frac(N(1), N(c)),
               frac(V(k), N(c)), mul(N(c), V("a"))]
    if kind == "prod":  # small factors: a product of n of them stays a small number
        options = [V(k), N(c), V("a"), pw(V("a"), N(2)), frac(N(1), N(c)), mul(N(c), V("a")), frac(V(k), N(c)),
                   frac(add(V(k), N(1)), V(k))]
    return src.choice(options)


def _closed(kind: str, k: str, lo, hi, body) -> Optional[tuple]:
    """A closed form of a sum or product of a body whose form is known, valid where hi >= lo - 1 (lo a number)."""
    first = lo[1]
    count = N(hi[1] - first + 1) if hi[0] == "num" else hi if first == 1 else sub(hi, N(first - 1))
    if kind == "sum":
        if body == V(k) and first == 1:
            return frac(mul(hi, add(hi, N(1))), N(2))
        if k not in _names(body):
            return mul(count, body, sep="\\cdot")
        return None
    if k not in _names(body) and body[0] in ("num", "var"):
        return pw(body, count)
    if body == frac(add(V(k), N(1)), V(k)) and first == 1:  # telescoping
        return add(hi, N(1))
    return None


def _term(src: Source) -> tuple:
    return src.choice([N(src.integer(1, 5)), V("a"), mul(N(2), V("a")), V("n"), pw(V("a"), N(2))])


def _least(lo, hi) -> int:
    """The least n where the range lo..hi is not inverted past empty (hi >= lo - 1)."""
    for n in range(0, 8):
        env = {"n": Fraction(n)}
        if value(hi, env) >= value(lo, env) - 1:
            return n
    return 0


def _slip(src: Source, right) -> tuple:
    """A perturbed right side."""
    how = src.integer(0, 2)
    if how == 0:
        return add(right, N(1))
    if how == 1:
        return mul(N(2), right, sep="\\cdot")
    return sub(right, V("a"))


# -- kinds of step: each returns (kind, readings of the left side, right side, least count)

def _then_term(src):
    """A sum or product, then + or - a term: the body ends there."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo = N(src.integer(1, 2))
    hi = _count(src)
    body = _body(src, k, kind)
    t = _term(src)
    op = src.choice([add, sub])
    left = op(big(kind, k, lo, hi, body), t)
    closed = _closed(kind, k, lo, hi, body)
    right = op(closed if closed is not None else big(kind, k, lo, hi, par(body, src.choice(_STYLES))), t)
    return "then a term", [left], right, _least(lo, hi)


def _factor_after(src):
    """A body then \\cdot, \\times or a juxtaposed factor: part of the body."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo, hi = N(1), _count(src)
    first = _body(src, k, kind)
    second = src.choice([N(src.integer(2, 3)), V("a"), V(k), frac(N(1), N(2)), pw(V(k), N(2)) if kind == "sum" else V(k)])
    sep = src.choice(["\\cdot", "\\times"] + ([""] if first[0] in ("var", "pow") and second[0] != "num" else []))
    body = mul_seps((first, second), (sep,))
    left = big(kind, k, lo, hi, body)
    style = src.choice(_STYLES)
    if k not in _names(second) and src.integer(0, 1):
        # pulled out: the sum's factor once, the product's once per term
        inner = big(kind, k, lo, hi, first)
        out = second if kind == "sum" else pw(second if second[0] != "frac" else par(second), hi)
        right = mul_seps((out, par(inner, style)), ("\\cdot",))
    else:
        right = big(kind, k, lo, hi, par(body, style))
    return "a factor after", [left], right, _least(lo, hi)


def _factor_before(src):
    """A factor, then a sum or product: the factor is outside it."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo, hi = N(1), _count(src)
    body = _body(src, k, kind)
    c = src.choice([N(2), N(3), V("a"), frac(N(1), N(2))])
    sep = src.choice(["", "\\cdot"]) if c[0] != "frac" else ""
    left = mul_seps((c, big(kind, k, lo, hi, body)), (sep,))
    closed = _closed(kind, k, lo, hi, body)
    inner = closed if closed is not None else big(kind, k, lo, hi, body)
    right = mul_seps((c, par(inner, src.choice(_STYLES))), ("\\cdot",))
    return "a factor before", [left], right, _least(lo, hi)


def _fraction_body(src):
    """A fraction as the body, or after it."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo, hi = N(1), _count(src)
    if src.integer(0, 1):
        body = mul(V("a") if kind == "prod" else V(k), frac(N(1), N(2)))
        left = big(kind, k, lo, hi, body)
        right = frac(big(kind, k, lo, hi, V("a") if kind == "prod" else V(k)),
                     N(2) if kind == "sum" else pw(N(2), hi))
    else:
        body = frac(V(k), add(V(k), N(1))) if kind == "prod" else frac(N(1), mul(V(k), par(add(V(k), N(1)))))
        left = big(kind, k, lo, hi, body)
        right = frac(N(1), add(hi, N(1))) if kind == "prod" else frac(hi, add(hi, N(1)))
    return "a fraction", [left], right, _least(lo, hi)


def _power(src):
    """A power in the body, or of the whole sum."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo, hi = N(1), _count(src)
    style = src.choice(_STYLES)
    if kind == "sum" and src.integer(0, 1):
        left = pw(par(big("sum", k, lo, hi, V(k)), style), N(2))
        right = pw(_closed("sum", k, lo, hi, V(k)), N(2))
        return "a power of it", [left], right, _least(lo, hi)
    base = src.choice([N(2), V("a")])
    if kind == "sum":
        left = big("sum", k, lo, hi, mul(N(2), pw(base, V(k))) if base == V("a") else pw(base, V(k)))
        right = big("sum", k, lo, hi, par(mul(N(2), pw(base, V(k))) if base == V("a") else pw(base, V(k)), style))
    else:
        left = big("prod", k, lo, hi, pw(base, N(2)))
        right = pw(base, mul(N(2), hi, sep="\\cdot"))
    return "a power", [left], right, _least(lo, hi)


def _two_terms(src):
    """Two sums or products added or subtracted: each body ends at the sign."""
    k, j = src.choice(_INDICES), src.choice(_INDICES)
    k1, k2 = src.choice(["sum", "prod"]), src.choice(["sum", "prod"])
    hi = _count(src)
    b1, b2 = _body(src, k, k1), _body(src, j, k2)
    op = src.choice([add, sub])
    left = op(big(k1, k, N(1), hi, b1), big(k2, j, N(1), hi, b2))
    c1, c2 = _closed(k1, k, N(1), hi, b1), _closed(k2, j, N(1), hi, b2)
    r1 = c1 if c1 is not None else big(k1, k, N(1), hi, par(b1))
    r2 = c2 if c2 is not None else big(k2, j, N(1), hi, par(b2))
    right = op(r1, par(r2) if r2[0] in ("add", "sub") and op is sub else r2)
    return "two terms", [left], right, _least(N(1), hi)


def _second_big(src):
    """A body then a second sum or product in the same product term (juxtaposed or after \\cdot): the conventional
    reading nests it in the first body; splitting the term before it is the other reading."""
    k1, k2 = src.choice(["sum", "prod"]), src.choice(["sum", "prod"])
    k, j = src.choice(_INDICES), src.choice(_INDICES)
    lo1 = N(src.integer(1, 3))
    hi1, hi2 = _count(src), _count(src)
    b1 = src.choice([N(src.integer(2, 3)), V(k), V("a")])
    b2 = src.choice([N(src.integer(2, 3)), V(j), V("a")] + ([V(k)] if k != j else []))
    sep = src.choice(["", "\\cdot", "\\times"])
    second = big(k2, j, N(1), hi2, b2)
    if src.integer(0, 2) == 0:  # in parentheses of its own: which body it is in is as open
        second = par(second, src.choice(_STYLES))
    nested = big(k1, k, lo1, hi1, mul_seps((b1, second), (sep,)))
    split = mul_seps((("bare", big(k1, k, lo1, hi1, b1)), second), (sep,))
    # a second operator that reads the first one's index is inside its body: no other reading
    readings = [nested] if k != j and k in _names(second) else [nested, split]
    # the right side: the split reading's value written with parentheses, or the nested one's
    c1, c2 = _closed(k1, k, lo1, hi1, b1), _closed(k2, j, N(1), hi2, b2)
    if src.integer(0, 1) and c1 is not None and c2 is not None and k not in _names(b2):
        right = mul_seps((c1, c2), ("\\cdot",))
    else:
        right = big(k1, k, lo1, hi1, par(mul_seps((b1, second), (sep,)), src.choice(_STYLES)))
        if src.integer(0, 1):
            right = mul_seps((par(big(k1, k, lo1, hi1, b1), src.choice(_STYLES)), par(second, src.choice(_STYLES))),
                             ("\\cdot",))
    least = max(_least(lo1, hi1), _least(N(1), hi2))
    return "a second " + ("same" if k1 == k2 else "other") + " operator", readings, right, least


def _index_after(src):
    """The index letter used again after the body has ended at + or -: a free name by the convention, part of the
    body to a hasty reader."""
    kind, k = "sum", src.choice(_INDICES)
    hi = _count(src)
    b = src.choice([N(2), V("a"), V(k)])
    op = src.choice([add, sub])
    conventional = op(big(kind, k, N(1), hi, b), V(k))
    hasty = big(kind, k, N(1), hi, ("bare", op(b, V(k))))
    c = _closed(kind, k, N(1), hi, b)
    if src.integer(0, 1) and c is not None:
        right = op(c, V(k))
    else:
        right = big(kind, k, N(1), hi, par(op(b, V(k)), src.choice(_STYLES)))
    return "the index after", [conventional, hasty], right, _least(N(1), hi)


def _nested(src):
    """A sum of sums (or of products), the inner bounds in the outer index."""
    i, j = src.choice([("i", "j"), ("k", "j"), ("j", "k")])
    inner_kind = src.choice(["sum", "sum", "prod"])
    hi = _count(src)
    inner_body = src.choice([N(1), V(j), N(2)]) if inner_kind == "sum" else N(2)
    inner_hi = src.choice([V(i), hi])
    left = big("sum", i, N(1), hi, big(inner_kind, j, N(1), inner_hi, inner_body))
    closed = _closed(inner_kind, j, N(1), inner_hi, inner_body)
    right = big("sum", i, N(1), hi, par(closed if closed is not None else big(inner_kind, j, N(1), inner_hi, inner_body),
                                         src.choice(_STYLES)))
    return "nested", [left], right, _least(N(1), hi)


def _empty(src):
    """A range that is empty (a sum 0, a product 1) or inverted past empty, numbers for bounds or n at its least."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo = src.integer(2, 5)
    hi = lo - src.integer(1, 3)
    body = _body(src, k, kind)
    left = add(big(kind, k, N(lo), N(hi), body), V("a"))
    right = add(N(0 if kind == "sum" else 1), V("a"))
    return "empty", [left], right, 0


def _counted(src):
    """A sum from a number to n of a constant: its closed form holds from the n where the range is empty."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    lo = src.integer(2, 4)
    c = src.integer(2, 3)
    left = big(kind, k, N(lo), V("n"), N(c))
    right = mul(N(c), par(sub(V("n"), N(lo - 1))), sep="") if kind == "sum" else pw(N(c), sub(V("n"), N(lo - 1)))
    return "a stated count", [left], right, lo - 1


def _entries(src):
    """Sums and products over the entries of vectors x and w of n entries, in the juxtapositions notes print."""
    i = src.choice(["i", "k"])
    x, w = (lambda t: ent("x", t)), (lambda t: ent("w", t))
    n, one = V("n"), N(1)
    c = N(src.integer(2, 3))
    how = src.integer(0, 8)
    if how == 0:  # a weighted sum then a bias
        left = add(big("sum", i, one, n, mul(w(V(i)), x(V(i)))), V("b"))
        right = add(V("b"), big("sum", i, one, n, mul(x(V(i)), w(V(i)))))
    elif how == 1:  # a factor after the entry
        left = big("sum", i, one, n, mul_seps((x(V(i)), c), (src.choice(["\\cdot", "\\times"]),)))
        right = mul(c, big("sum", i, one, n, x(V(i))))
    elif how == 2:  # a mean times n
        left = mul(frac(one, n), big("sum", i, one, n, mul(x(V(i)), n)))
        right = big("sum", i, one, n, x(V(i)))
    elif how == 3:  # a squared deviation, expanded: each body ends at the sign
        left = big("sum", i, one, n, pw(par(sub(x(V(i)), V("a")), src.choice(_STYLES)), N(2)))
        right = add(sub(big("sum", i, one, n, pw(x(V(i)), N(2))), mul(N(2), V("a"), big("sum", i, one, n, x(V(i))))),
                    mul(n, pw(V("a"), N(2))))
    elif how == 4:  # a product then another over the other vector
        j = "j"
        nested = big("prod", i, one, n, mul(x(V(i)), big("prod", j, one, n, w(V(j)))))
        split = mul(("bare", big("prod", i, one, n, x(V(i)))), big("prod", j, one, n, w(V(j))))
        right = big("prod", i, one, n, mul(x(V(i)), w(V(i))))
        return "entries", [nested, split], right, 1
    elif how == 5:  # a sum then another: the same value either way
        j = "j"
        left = big("sum", i, one, n, mul(x(V(i)), big("sum", j, one, n, w(V(j)))))
        right = big("sum", i, one, n, big("sum", j, one, n, mul(x(V(i)), w(V(j)))))
    elif how == 6:  # a number juxtaposed in a product's body
        left = big("prod", i, one, n, mul(c, x(V(i))))
        right = mul(pw(c, n), big("prod", i, one, n, x(V(i))))
    elif how == 8:  # a name after the entry in a product's body: a factor of each term
        left = big("prod", i, one, n, mul(x(V(i)), V("a")))
        right = mul(pw(V("a"), n) if src.integer(0, 1) else V("a"), big("prod", i, one, n, x(V(i))))
    else:  # a difference of sums, one body then a parenthesis
        left = sub(big("sum", i, one, n, mul(w(V(i)), x(V(i)))), big("sum", i, one, n, w(V(i))))
        right = big("sum", i, one, n, mul(w(V(i)), par(sub(x(V(i)), one), src.choice(_STYLES))))
    if how not in (2, 3, 6, 8) and src.integer(0, 2) == 0:  # \sum_i without bounds: n is then no name of the step
        return "entries without bounds", [_unbound(left)], _unbound(right), 1
    return "entries", [left], right, 1


def _unbound(e):
    """The tree with every sum and product from 1 to n written without bounds."""
    if not isinstance(e, tuple) or not e or not isinstance(e[0], str):
        return tuple(_unbound(a) for a in e) if isinstance(e, tuple) else e
    if e[0] == "big" and e[3] == N(1) and e[4] == V("n"):
        return ("big", e[1], e[2], None, None, _unbound(e[5]))
    return (e[0],) + tuple(_unbound(a) for a in e[1:])


def _slash(src):
    """A body then / a number: a sum's value is the same whichever way it is read, a product's is not."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    hi = _count(src)
    c = src.integer(2, 3)
    b = src.choice([V(k), N(c), V("a")]) if kind == "sum" else src.choice([N(c), V("a")])
    inside = big(kind, k, N(1), hi, ("slash", b, N(2)))
    outside = ("slash", ("bare", big(kind, k, N(1), hi, b)), N(2))
    closed = _closed(kind, k, N(1), hi, b)
    right = src.choice([frac(closed, N(2)), frac(closed, pw(N(2), hi) if kind == "prod" else N(2))])
    return "a slash", [inside, outside], right, _least(N(1), hi)


def _declared(src):
    """Sums over entries with the vectors declared (the matrix reading reads them too)."""
    return _entries(src)


def _matrices(src):
    """Sums and products of a square matrix A (and I) over a number of terms: A's polynomials commute, so each
    truth is the evaluation at matrices A of 1 to 3 rows."""
    A, I = V("A"), V("I")
    m = src.integer(2, 3)
    k = src.choice(["k", "j"])
    c = m * (m + 1) // 2
    how = src.integer(0, 4)
    if how == 0:  # k A then + I: the index is a number in the body, the body ends at the sign
        left = add(big("sum", k, N(1), N(m), mul(V(k), A)), I)
        right = add(mul(N(c), A), I)
    elif how == 1:  # A \cdot k: part of the body
        left = big("sum", k, N(1), N(m), mul_seps((A, V(k)), ("\\cdot",)))
        right = mul(N(c), A)
    elif how == 2:  # a geometric sum times (I - A): the parenthesis is in the body
        left = big("sum", k, N(0), N(m - 1), mul(pw(A, V(k)), par(sub(I, A), src.choice(_STYLES))))
        right = sub(I, pw(A, N(m)))
    elif how == 3:  # a product of (I + A), each factor the same
        left = big("prod", k, N(1), N(m), par(add(I, A), src.choice(_STYLES)))
        right = pw(par(add(I, A)), N(m))
    else:  # a number juxtaposed in a product's body
        left = big("prod", k, N(1), N(m), mul(N(2), A))
        right = mul(N(2 ** m), pw(A, N(m)))
    return "matrices", [left], right, 1


def _paren_body(src):
    """A parenthesised body followed by a factor, a fraction or a power (all in the body), perhaps then a term; a sum
    negated, or inside a fraction."""
    kind, k = src.choice(["sum", "prod"]), src.choice(_INDICES)
    hi = _count(src)
    c = src.integer(1, 3)
    inner = par(add(V(k), N(c)), src.choice(_STYLES))
    how = src.integer(0, 4)
    t = _term(src)
    if how == 0:  # (k + c) \cdot 2: the factor is in the body
        left = add(big(kind, k, N(1), hi, mul_seps((inner, N(2)), ("\\cdot",))), t)
        out = N(2) if kind == "sum" else pw(N(2), hi)
        right = add(mul(out, big(kind, k, N(1), hi, inner), sep="\\cdot"), t)
    elif how == 1:  # (k + c)^2: the power is in the body
        left = sub(big("sum", k, N(1), hi, pw(inner, N(2))), t)
        right = sub(big("sum", k, N(1), hi, add(add(pw(V(k), N(2)), mul(N(2 * c), V(k))), N(c * c))), t)
    elif how == 2:  # (k + c) \frac{1}{2}
        left = big(kind, k, N(1), hi, mul(inner, frac(N(1), N(2))))
        right = frac(big(kind, k, N(1), hi, inner), N(2) if kind == "sum" else pw(N(2), hi))
    elif how == 3:  # -\sum: the minus is outside, the body ends at the sign
        left = add(("neg", big("sum", k, N(1), hi, V(k))), t)
        right = sub(t, _closed("sum", k, N(1), hi, V(k)))
    else:  # a sum over n in a fraction
        left = add(frac(big("sum", k, N(1), V("n"), V(k)), V("n")), t)
        right = add(frac(add(V("n"), N(1)), N(2)), t)
        return "a fraction of it", [left], right, 1
    return "a parenthesis", [left], right, _least(N(1), hi)


KINDS = [_then_term, _factor_after, _factor_before, _fraction_body, _power, _two_terms, _second_big, _second_big,
         _index_after, _nested, _empty, _counted, _entries, _declared, _paren_body, _slash, _matrices]

_SAY = ["For $n \\ge {m}$,", "Let $n \\ge {m}$. Then", "Let $n \\ge {m}$ be the number of terms. Then",
        "With $n \\ge {m}$ samples,"]


def part(src: Source, kind, slips: bool = True) -> tuple[str, Expected]:
    name, readings, right, least = kind(src)
    declared = kind is _declared
    slip = slips and src.integer(0, 2) == 0
    if slip and kind is _matrices:
        right = src.choice([add(right, V("I")), mul(N(2), right, sep="\\cdot"), sub(right, V("A"))])
    elif slip:
        right = _slip(src, right)
    unbounded = "without bounds" in name  # its length is any count: no n to state a bound on
    least = 1 if unbounded else max(least, src.integer(least, least + 2))
    e = _step(name, readings, right, least, slip)
    words = "We have" if unbounded else src.choice(_SAY).replace("{m}", str(least))
    if kind is _matrices:
        least = 1
        e = _step(name, readings, right, least, slip)
        words = "Let $A \\in \\mathbb{R}^{n \\times n}$ and $n \\ge 1$. Then"
    if declared:
        # (not "Let $x \\in \\mathbb{R}^n$ with $n \\ge 3$.": the scalar reading does not hold to a condition after "with"
        # past its sentence, a phrasing of conditions this oracle leaves to tests/scan_oracle_notation.py)
        words = f"Let $n \\ge {least}$ and $x, w \\in \\mathbb{{R}}^n$. Then"
    shown = src.choice(["$$" + e.text + "$$", "$" + e.text + "$.", "$$" + e.text + ".$$"])
    return f"{words} {shown}", e


def generate(src: Source, parts: int = 6, slips: bool = True, kinds=None) -> Material:
    """A document of `parts` sections, each one step under the count its words give."""
    paragraphs, steps = ["# Sums and products"], []
    for p in range(parts):
        text, e = part(src, src.choice(kinds or KINDS), slips)
        paragraphs += [f"## Part {p + 1}", text]
        steps.append(e)
    return Material("\n\n".join(paragraphs) + "\n", steps)


# -- judging


def replay(e: Expected, counterexample: dict) -> bool:
    """Whether the step fails under its conventional reading at the counterexample's values (every name given, the count
    a whole number of its domain)."""
    raw = (counterexample or {}).get("values") or {}
    point: dict = {}
    entries: dict = {}
    try:
        for name, v in raw.items():
            if isinstance(v, list) and name in _MATRICES:
                import sympy

                point[name] = sympy.Matrix([[sympy.Rational(x) for x in row] for row in v])
            elif isinstance(v, list):  # the matrix reading gives a vector whole, as a column of rows
                point[name] = tuple(Fraction(x) for row in v for x in row)
            elif "[" in name:
                vector, at = name.rstrip("]").split("[")
                entries.setdefault(vector, {})[int(at)] = Fraction(v)
            else:
                point[name] = Fraction(v)
    except (ValueError, ZeroDivisionError, TypeError):
        return False  # a value that is no number: not a point this replays
    for size, v in ((counterexample or {}).get("sizes") or {}).items():
        point.setdefault(size, Fraction(v))
    for name in [m for m in point if m.startswith("#")]:  # the length of a sum without bounds
        point.setdefault("n", point.pop(name))
    for vector, given in entries.items():
        if sorted(given) != list(range(1, len(given) + 1)):
            return False
        point[vector] = tuple(given[i] for i in sorted(given))
    n = point.get("n")
    if n is not None and (n.denominator != 1 and _bounds(e) or n < e.least):
        return False  # a count (the bound of a sum or product) is a whole number; n elsewhere is any number
    # a name the counterexample leaves out (the sides are numbers, or do not read it): it fails whatever its value
    if "A" in point:
        import sympy

        point["I"] = sympy.eye(point["A"].rows)
    missing = (_names(e.readings[0]) | _names(e.right)) - set(point)
    if missing & (set(_VECTORS) | set(_MATRICES)):
        return False
    if "n" in missing:
        missing.discard("n")
        counts = range(e.least, e.least + _SPAN + 1)
    else:
        counts = [None]
    for count in counts:
        for vals in itertools.product(*([_GRID] * len(missing))):
            at = {**point, **dict(zip(sorted(missing), vals))}
            if count is not None:
                at["n"] = Fraction(count)
            if not _fails(e.readings[0], e.right, at):
                return False
    return True


def _bounds(e: Expected) -> bool:
    """Whether n is a bound of a sum or product of the step."""
    def walk(t) -> bool:
        if t[0] == "big" and ("n" in _names(t[3]) | _names(t[4])):
            return True
        return any(walk(a) for a in t[1:] if isinstance(a, tuple) and a and isinstance(a[0], str)) or \
            (t[0] == "mul" and any(walk(f) for f in t[1]))
    return any(walk(r) for r in e.readings) or walk(e.right)


def _plain(text: str) -> str:
    return "".join(text.split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    steps: int = 0
    slips: int = 0
    caught: int = 0
    decided: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    # ambiguous steps decided against one of their readings
    against: list = dataclasses.field(default_factory=list)
    unreplayed: list = dataclasses.field(default_factory=list)
    missing: list = dataclasses.field(default_factory=list)
    # false steps the matrix reading checked reading the numbers after a product's last factor that reads its index
    # outside it (its documented rule for \\prod_k \\|A_k\\| \\|g\\|, proofs.scan.matrix_steps._numbers_outside): kept
    # apart; with any other factor read outside, a checked false step is a false proof
    outside: list = dataclasses.field(default_factory=list)
    # (kind, truth) -> status -> count
    rows: dict = dataclasses.field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        for f in ("steps", "slips", "caught", "decided"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for f in ("false_proofs", "false_alarms", "against", "unreplayed", "missing", "outside"):
            getattr(self, f).extend(getattr(other, f))
        for key, row in other.rows.items():
            mine = self.rows.setdefault(key, {})
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v

    def wrong(self) -> list:
        return self.false_proofs + self.false_alarms + self.against + self.unreplayed + self.missing


_OUTSIDE = "reading the factors after the last one that reads a product's index outside it"


def _numbers_after(e) -> bool:
    """Whether some product of a tree has factors after the last one that reads its index, and each is a number."""
    found: list = []

    def walk(t) -> None:
        if not isinstance(t, tuple) or not t:
            return
        if t[0] == "big" and t[1] == "prod" and t[5][0] == "mul":
            factors = t[5][1]
            read = [i for i, f in enumerate(factors) if t[2] in _names(f)]
            found.extend(factors[read[-1] + 1:] if read else ())
        for x in t[1:]:
            walk(x)
    walk(e)
    return bool(found) and all(not _names(f) for f in found)


def judge(material: Material, scanned: list) -> Tally:
    """Each generated step against the scan's verdict on it (steps given as dicts of the `--format json` report)."""
    out = Tally()
    by_text: dict = {}
    for s in scanned:
        by_text.setdefault(_plain(s["text"]), []).append(s)
    for e in material.steps:
        found = by_text.get(_plain(e.text))
        if not found:
            out.missing.append(f"{e.text}: not among the scan's steps")
            continue
        s = found.pop(0)
        status = s["status"]
        out.steps += 1
        out.slips += e.slip
        row = out.rows.setdefault(f"{e.kind}/{e.truth}", {})
        row[status] = row.get(status, 0) + 1
        where = f"{e.text} ({e.kind}, {e.truth}, n >= {e.least}): {status} ({s.get('reason')})"
        decided = status in ("proved", "checked", "refuted")
        out.decided += decided and e.truth != "ambiguous"
        if e.truth == "false" and status == "checked" and _OUTSIDE in (s.get("reason") or "") \
                and all(_numbers_after(r) for r in e.readings):
            out.outside.append(where)
        elif e.truth == "false" and status in ("proved", "checked"):
            out.false_proofs.append(where + f"; fails at {e.witness}")
        elif e.truth == "true" and status in ("refuted", "needs review"):
            out.false_alarms.append(where + f" at {s.get('counterexample')}")
        elif e.truth == "ambiguous" and decided:
            out.against.append(where)
        elif e.truth == "false" and status == "refuted":
            if not replay(e, s.get("counterexample")):
                out.unreplayed.append(where + f": {s.get('counterexample')} does not replay")
            elif e.slip:
                out.caught += 1
        elif e.truth == "false" and status == "needs review" and e.slip:
            out.caught += 1
    return out
