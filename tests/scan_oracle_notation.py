"""Generated notes whose steps hang on notation a reader must settle first, with each step's truth known.

Three kinds of part:

- powers and transposes: a letter T (or n) the notes use as a size (the bound of a sum, a dimension, "time steps"),
  written as an exponent of a number, a Greek letter, a Latin letter or (1 - p), beside vectors the notes declare
  and transpose (`x^T y`, `x^\\top x`) and sums (`\\sum_{t=1}^{T} \\gamma^{T-t}`);
- one-hot labels: cross-entropy and softmax steps (`\\sum_k y_k (p_k - 1) = \\sum_k y_k p_k - 1`, `\\partial L /
  \\partial z_k = p_k - y_k`) that hold for a one-hot y (or one summing to 1) and fail for a general one, under prose
  that says one-hot, states the sum in words, states it as a bare equation, or says nothing; with slips that fail
  even for a one-hot y;
- where-equations: a display followed by "where $s = a + b$" (on its line or the next, one or several, a name the
  step does not use, a name an earlier paragraph defines otherwise), the step's truth hanging on it or not.

Every truth is computed here on explicit instances in exact arithmetic (fractions; the softmax gradient by its
closed form p_k sum_j y_j - y_k on rational probability vectors), never by the scan. A step whose readings disagree
(x^T a power of a number or a transpose) is "ambiguous": the scan may skip it or ask for review, never decide it. A
refuted step's counterexample is replayed here: it must lie in the domain the notes give (a one-hot y, a count n
that is a whole number) and the step must fail there. A false one-hot step the matrix reading checks under a bare
relation of the notes it adopts as a fact (`\\sum_k y_k^2 = 1` printed as a claim) is kept apart (`Tally.adopted`):
the matrix reading's rule, not this oracle's.
"""

from __future__ import annotations

import dataclasses
import math
import re
from fractions import Fraction
from typing import Callable, Optional

from scan_oracle import RandomSource, Source

__all__ = ["Material", "Expected", "generate", "judge", "Tally", "RandomSource", "PARTS", "SCALAR_PARTS"]


@dataclasses.dataclass
class Expected:
    text: str
    # "true", "false" (under every reading the notes allow), "ambiguous" (readings of different truth), or
    # "condition" (a condition, a wish or a choice the words make of it: never decided as a claim)
    truth: str
    # the part that made it ("power", "vector", "onehot", "where")
    kind: str
    # whether it is a planted slip (false where the notes' own claim would be true)
    slip: bool = False
    # values -> whether the step fails at the scan's counterexample, a point of the notes' domain (None: not replayed)
    fails_at: Optional[Callable] = None


@dataclasses.dataclass
class Material:
    text: str
    steps: list


class _Ill(ArithmeticError):
    """An expression with no value under a reading (shapes that do not fit, a power of a non-square matrix)."""


# -- expressions: tuples; a value is a Fraction (a number) or a tuple of rows of Fractions (a matrix)

def _num(k):
    return ("n", Fraction(k))


def _v(name):
    return ("v", name)


S = ("S",)  # the size letter (T or n) as a number


def tex(e) -> str:
    k = e[0]
    if k == "n":
        return str(e[1])
    if k == "v":
        return e[1]
    if k == "S":
        return "{S}"
    if k == "add":
        return f"{tex(e[1])} + {tex(e[2])}"
    if k == "sub":
        right = tex(e[2])
        return f"{tex(e[1])} - " + (f"({right})" if e[2][0] in ("add", "sub") else right)
    if k == "mul":
        return " ".join(f"({tex(a)})" if a[0] in ("add", "sub") else tex(a) for a in e[1:])
    if k == "sup":  # base^T written with the letter: a power or a transpose
        return f"{_base(e[1])}^{e[2]}"
    if k == "pow":
        exp = tex(e[2])
        return f"{_base(e[1])}^" + (exp if len(exp) == 1 else "{" + exp + "}")
    if k == "norm2":
        return f"\\|{tex(e[1])}\\|^2"
    if k == "sum":
        _, index, lo, hi, body = e
        return f"\\sum_{{{index}={tex(lo)}}}^{{{tex(hi)}}} {tex(body)}"
    raise ValueError(k)


def _base(e) -> str:
    return tex(e) if e[0] in ("n", "v") and not (e[0] == "n" and e[1] < 0) else f"({tex(e)})"


def _is_matrix(x) -> bool:
    return isinstance(x, tuple)


def _mm(a, b):
    if len(a[0]) != len(b):
        raise _Ill("shapes")
    return tuple(tuple(sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0])))
                 for i in range(len(a)))


def _scalar(x):
    """A 1 x 1 matrix as its entry (x^T y is a number), anything else as it is."""
    return x[0][0] if _is_matrix(x) and len(x) == 1 and len(x[0]) == 1 else x


def ev(e, env: dict, transpose: bool):
    """The value of e: every "sup" a power of its base by S (transpose False) or its transpose (True)."""
    k = e[0]
    if k == "n":
        return e[1]
    if k == "v":
        return env[e[1]]
    if k == "S":
        return env["#S"]
    if k in ("add", "sub"):
        a, b = _scalar(ev(e[1], env, transpose)), _scalar(ev(e[2], env, transpose))
        if _is_matrix(a) != _is_matrix(b) or (_is_matrix(a) and (len(a), len(a[0])) != (len(b), len(b[0]))):
            raise _Ill("a sum of different shapes")
        sign = 1 if k == "add" else -1
        if not _is_matrix(a):
            return a + sign * b
        return tuple(tuple(x + sign * y for x, y in zip(r, s)) for r, s in zip(a, b))
    if k == "mul":
        out = Fraction(1)
        for arg in e[1:]:
            x = ev(arg, env, transpose)
            if _is_matrix(out) and _is_matrix(x):
                out = _scalar(_mm(out, x)) if len(out[0]) == len(x) else _ill_product(out, x)
            elif _is_matrix(out) or _is_matrix(x):
                m, c = (out, x) if _is_matrix(out) else (x, out)
                out = tuple(tuple(c * y for y in r) for r in m)
            else:
                out = out * x
        return out
    if k == "sup":
        base = ev(e[1], env, transpose)
        if transpose:
            return tuple(zip(*base)) if _is_matrix(base) else base
        if _is_matrix(base):
            raise _Ill("a power of a matrix by a size")
        return _power(base, env["#S"])
    if k == "pow":
        base, exp = ev(e[1], env, transpose), ev(e[2], env, transpose)
        if _is_matrix(base) or _is_matrix(exp) or exp.denominator != 1:
            raise _Ill("a power")
        return _power(base, int(exp))
    if k == "norm2":
        x = ev(e[1], env, transpose)
        return sum((r[0] ** 2 for r in x), Fraction(0)) if _is_matrix(x) else x * x
    if k == "sum":
        _, index, lo, hi, body = e
        lo, hi = ev(lo, env, transpose), ev(hi, env, transpose)
        total = Fraction(0)
        for i in range(int(lo), int(hi) + 1):
            total += ev(body, {**env, index: Fraction(i)}, transpose)
        return total
    raise ValueError(k)


def _ill_product(a, b):
    raise _Ill(f"a product of {len(a)}x{len(a[0])} and {len(b)}x{len(b[0])}")


def _power(base: Fraction, k: int) -> Fraction:
    if base == 0 and k < 0:
        raise _Ill("0 to a negative power")
    return base ** k


def _equal(a, b) -> bool:
    a, b = _scalar(a), _scalar(b)
    if _is_matrix(a) != _is_matrix(b):
        raise _Ill("a number and a matrix")
    return a == b


# -- powers and transposes

_GRID = [Fraction(2), Fraction(-1), Fraction(1, 2), Fraction(3), Fraction(-2, 3), Fraction(0)]
_SIZES = range(1, 5)


def _vectors(m: int, seed: int):
    """A few exact column vectors of size m."""
    out = []
    for k in range(3):
        out.append(tuple((Fraction((seed + 3 * k + 2 * i) % 7 - 3, 1 + (i + k) % 2),) for i in range(m)))
    return out


def _squares(m: int):
    return [tuple(tuple(Fraction((i * 2 + j * 3 + s) % 5 - 2) for j in range(m)) for i in range(m)) for s in (0, 1)]


def _reading_holds(left, right, names: dict, transpose: bool) -> Optional[dict]:
    """A point where left = right fails under the reading (None where it holds at every point tried). names: letter ->
    "number" or "vector" or "matrix"."""
    letters = sorted(names)
    for size in _SIZES:
        shapes = [1, 2, 3] if any(v != "number" for v in names.values()) else [1]
        for m in shapes:
            pools = []
            for at, letter in enumerate(letters):
                kind = names[letter]
                pools.append(_GRID[:4] if kind == "number" else _vectors(m, at) if kind == "vector" else _squares(m))
            for combo in _product(pools):
                env = dict(zip(letters, combo), **{"#S": Fraction(size)})
                try:
                    if not _equal(ev(left, env, transpose), ev(right, env, transpose)):
                        return env
                except _Ill:
                    return env
    return None


def _product(pools):
    if not pools:
        yield ()
        return
    for x in pools[0]:
        for rest in _product(pools[1:]):
            yield (x, *rest)


def _truth(left, right, readings: list) -> tuple[str, list]:
    """"true", "false" or "ambiguous" over the readings [(names, transpose)], and each reading's failing point."""
    fails = [_reading_holds(left, right, names, transpose) for names, transpose in readings]
    if all(f is None for f in fails):
        return "true", fails
    if all(f is not None for f in fails):
        return "false", fails
    return "ambiguous", fails


def _templates(b, vector_ok: bool):
    """(left, right, whether a slip) for a base b: the claims a note on discounting or trials makes, and slips."""
    s1 = ("add", S, _num(1))
    sm1 = ("sub", S, _num(1))
    sup = ("sup", b, "{S}")
    out = [
        (("mul", sup, b), ("pow", b, s1), False),
        (("mul", ("pow", b, sm1), b), sup, False),
        (("mul", sup, sup), ("pow", b, ("mul", _num(2), S)), False),
        (("add", sup, sup), ("mul", _num(2), sup), False),
        (("add", sup, sup), ("mul", _num(3), sup), True),
        (("mul", sup, b), ("mul", b, sup), False),
        (("mul", sup, b), ("mul", _num(2), sup), True),
        (("pow", b, s1), ("mul", b, b, ("pow", b, sm1)), False),
        (("mul", ("pow", b, sm1), b), ("pow", b, s1), True),
        (("mul", _num(2), sup), ("mul", sup, _num(2)), False),
    ]
    return out


def _sum_templates(g):
    t = _v("t")
    return [
        (("sum", "t", _num(1), S, ("pow", g, ("sub", S, t))), ("sum", "t", _num(0), ("sub", S, _num(1)), ("pow", g, t)),
         False),
        (("sum", "t", _num(1), S, ("pow", g, ("sub", S, t))), ("sum", "t", _num(1), S, ("pow", g, t)), True),
        (("sum", "t", _num(1), S, ("mul", g, ("pow", g, ("sub", t, _num(1))))), ("sum", "t", _num(1), S, ("pow", g, t)),
         False),
        (("sum", "t", _num(1), S, ("mul", g, ("pow", g, ("sub", t, _num(1))))),
         ("sum", "t", _num(0), S, ("pow", g, t)), True),
    ]


def _vector_templates(x, y):
    tx, ty = ("sup", x, "T"), ("sup", y, "T")
    sx = ("sup", ("add", x, y), "T")
    return [
        (("mul", tx, y), ("mul", ty, x), False),
        (("mul", tx, x), ("norm2", x), False),
        (("mul", tx, x), ("mul", _num(2), ("norm2", x)), True),
        (("mul", sx, ("add", x, y)), ("add", ("add", ("mul", tx, x), ("mul", _num(2), tx, y)), ("mul", ty, y)), False),
        (("mul", sx, ("add", x, y)), ("add", ("mul", tx, x), ("mul", ty, y)), True),
        (("mul", tx, y), ("mul", x, ty), True),
    ]


_SIZE_WORDS = {
    "sum": "The return over an episode is $G = \\sum_{{t=1}}^{{{S}}} r_t$.",
    "dims": "Let $X \\in \\mathbb{{R}}^{{{S} \\times d}}$ hold the inputs.",
    "words": "We unroll the network for ${S}$ time steps.",
    "none": "",
}


def _power_part(src: Source, slips: bool) -> tuple[str, list]:
    letter = src.choice(["T", "T", "n"])
    size = src.choice(list(_SIZE_WORDS))
    base_kind = src.choice(["number", "greek", "latin", "declared", "paren"])
    base = {"number": _num(src.choice([2, 3])), "greek": _v(src.choice(["\\gamma", "\\lambda", "\\beta"])),
            "latin": _v(src.choice(["w", "a", "r"])), "declared": _v(src.choice(["w", "a"])),
            "paren": ("sub", _num(1), _v("p"))}[base_kind]
    words = [_SIZE_WORDS[size].format(S=letter)] if size != "none" else []
    if base_kind == "declared":
        words.append(f"Let ${base[1]} \\in \\mathbb{{R}}$ be a weight.")
    elif base_kind == "paren":
        words.append(f"Each of the ${letter}$ trials succeeds with probability $p$.")
    names = {n: "number" for n in _names(base)}
    # the readings the notes allow. A number's ^T, or that of a letter the notes declare a number: a power of it, or
    # (where the notes make T no size) its transpose, itself. A letter the notes do not declare: a vector or a square
    # matrix transposed, or (where T is a size) a number to the power T. ^n is never a transpose.
    sized = size != "none" or base_kind == "paren"
    if base_kind in ("latin", "greek"):
        readings = [({n: "vector" for n in names}, True), ({n: "matrix" for n in names}, True)]
        readings += [(names, False)] if sized else []
    else:
        readings = [(names, False)] + ([(names, True)] if base_kind == "declared" or not sized else [])
    if letter == "n":
        readings = [(names, False)]
    steps, shown = [], []
    pool = _templates(base, False)
    if base_kind in ("greek", "number"):
        pool += _sum_templates(base)
    for _ in range(src.integer(2, 4)):
        left, right, slip = src.choice(pool)
        if slip and not slips:
            continue
        text = f"{tex(left)} = {tex(right)}".replace("{S}", letter)
        text = text.replace(f"^{letter}", "^" + src.choice([letter, "{" + letter + "}"])) if letter == "n" else text
        truth, _ = _truth(left, right, readings)
        steps.append(Expected(text, truth, "power", slip, _power_replay(left, right, readings, letter, sized)))
        shown.append(f"${text}$")
    intro = " ".join(words)
    return (intro + ("\n\n" if intro else "") + src.choice(["We have ", "Then ", "So "]) + ", and ".join(shown) + "."), \
        steps


def _vector_part(src: Source, slips: bool) -> tuple[str, list]:
    size = src.choice(["sum", "dims", "words", "none"])
    x, y = src.choice([("x", "y"), ("u", "v")])
    words = [_SIZE_WORDS[size].format(S="T")] if size != "none" else []
    words.append(f"Let ${x}, {y} \\in \\mathbb{{R}}^d$.")
    readings = [({x: "vector", y: "vector"}, True)]
    top = src.choice(["T", "\\top"])
    steps, shown = [], []
    for _ in range(src.integer(1, 3)):
        left, right, slip = src.choice(_vector_templates(_v(x), _v(y)))
        if slip and not slips:
            continue
        text = f"{tex(left)} = {tex(right)}".replace("^T", "^" + top)
        truth, _ = _truth(left, right, readings)
        steps.append(Expected(text, truth, "vector", slip, _vector_replay(left, right)))
        shown.append(f"$${text}$$")
    return " ".join(words) + "\n\n" + "\n\n".join(shown), steps


def _names(e) -> set:
    """The free names of an expression (a sum's index is bound)."""
    if e[0] == "v":
        return {e[1]}
    if e[0] == "sum":
        return (_names(e[2]) | _names(e[3]) | _names(e[4])) - {e[1]}
    return set().union(*[_names(a) for a in e[1:] if isinstance(a, tuple)]) if len(e) > 1 else set()


_ENTRY = re.compile(r"-?\d+(?:/\d+)?")


def _value(raw):
    """A counterexample's value as the scan reports it: a number, or a matrix as rows."""
    if isinstance(raw, list):
        rows = [r if isinstance(r, list) else [r] for r in raw]
        return _scalar(tuple(tuple(Fraction(str(v)) for v in r) for r in rows)) if rows and rows[0] else None
    text = str(raw)
    if text.startswith("["):
        rows = re.findall(r"\[([^\[\]]*)\]", text)
        return _scalar(tuple(tuple(Fraction(v) for v in _ENTRY.findall(r)) for r in rows))
    return Fraction(text)


_POWER_AT = re.compile(r"at ((?:[A-Za-z\\]+ = -?\d+(?:/\d+)?(?:, )?)+) the left side")


def _power_replay(left, right, readings, letter, whole: bool):
    names = _names(left) | _names(right)

    def named(key: str) -> str:
        key = key.lstrip("\\")
        return "\\" + key if "\\" + key in names else key

    def fails_at(cx: dict, reason: str) -> bool:
        try:
            env = {named(k): _value(v) for k, v in cx.get("values", {}).items()}
        except (ValueError, ZeroDivisionError, TypeError):
            return False
        if letter in env:
            env["#S"] = env.pop(letter)
        candidates = [(env, True)] if any(t for _, t in readings) else []
        if "#S" in env or letter == "n":
            candidates.append((env, False))
        power = _POWER_AT.search(reason)
        if power:  # the power reading's point, printed in the reason
            at = {named(k): Fraction(v) for k, v in (p.split(" = ") for p in power.group(1).split(", "))}
            at["#S"] = at.pop(letter, None)
            candidates.append((at, False))
        for at, transpose in candidates:
            size = at.get("#S", Fraction(2))
            if size is None or _is_matrix(size) or (whole and (size.denominator != 1 or size < 1)):
                return False  # a size that is no whole number: outside the notes' domain
            if not names <= set(at):
                continue
            try:
                if size.denominator != 1:  # a power by a fraction (a size the notes do not say is whole): in floats
                    lv, rv = _float(left, {**at, "#S": size}), _float(right, {**at, "#S": size})
                    if abs(lv - rv) > 1e-9 * (1 + abs(lv) + abs(rv)):
                        return True
                    continue
                if not _equal(ev(left, {**at, "#S": size}, transpose), ev(right, {**at, "#S": size}, transpose)):
                    return True
            except _Ill:
                if transpose:
                    return True
        return False
    return fails_at


def _float(e, env: dict) -> float:
    """e in floats with every "sup" a power (a power by a fraction has no exact value)."""
    k = e[0]
    if k in ("n", "v", "S"):
        x = e[1] if k == "n" else env[e[1] if k == "v" else "#S"]
        if _is_matrix(x):
            raise _Ill("a matrix")
        return float(x)
    args = [_float(a, env) for a in e[1:] if isinstance(a, tuple)]
    if k == "add":
        return args[0] + args[1]
    if k == "sub":
        return args[0] - args[1]
    if k == "mul":
        out = 1.0
        for a in args:
            out *= a
        return out
    if k in ("sup", "pow"):
        base, exp = args[0], (args[1] if k == "pow" else float(env["#S"]))
        if base <= 0 and exp != int(exp):
            raise _Ill("a fractional power of a number that is not positive")
        return base ** exp
    raise _Ill(k)


def _vector_replay(left, right):
    def fails_at(cx: dict, reason: str) -> bool:
        try:
            env = {k: _value(v) for k, v in cx.get("values", {}).items()}
        except (ValueError, ZeroDivisionError, TypeError):
            return False
        if not _names(left) | _names(right) <= set(env):
            return False
        try:
            return not _equal(ev(left, env, True), ev(right, env, True))
        except _Ill:
            return True  # shapes that do not fit at the point
    return fails_at


# -- one-hot labels

def _onehots(n):
    return [[Fraction(int(i == c)) for i in range(n)] for c in range(n)]


def _summing_to_one(n):
    if n == 1:
        return [[Fraction(1)]]
    out = [[Fraction(1, n)] * n, [Fraction(2)] + [Fraction(-1, n - 1)] * (n - 1)]
    return out + _onehots(n)


def _general(n):
    return [[Fraction(i + 2, 3) for i in range(n)], [Fraction(2)] * n, [Fraction(0)] * n] + _summing_to_one(n)


def _probabilities(n):
    if n == 1:
        return [[Fraction(1)]]
    return [[Fraction(1, n)] * n, [Fraction(1, 2)] + [Fraction(1, 2 * (n - 1))] * (n - 1)]


# (text, left(y, p, k), right(y, p, k) with k a 0-based index, slip, whether p is a softmax: probabilities only).
# Slips fail even for a one-hot y; the others hold where sum_k y_k = 1 (or for a one-hot y only). The gradient of
# L = -sum_j y_j log p_j with p = softmax(z) is p_k sum_j y_j - y_k (its closed form).
def _dot(y, p):
    return sum(a * b for a, b in zip(y, p))


def _grad(y, p, k):
    return p[k] * sum(y) - y[k]


_ONEHOT = [
    ("\\sum_k y_k (p_k - 1) = \\sum_k y_k p_k - 1", lambda y, p, k: _dot(y, [v - 1 for v in p]),
     lambda y, p, k: _dot(y, p) - 1, False, False),
    ("\\sum_k y_k (p_k - 1) = \\sum_k y_k p_k", lambda y, p, k: _dot(y, [v - 1 for v in p]),
     lambda y, p, k: _dot(y, p), True, False),
    ("\\sum_k y_k (p_k - 1) = \\sum_k y_k p_k + 1", lambda y, p, k: _dot(y, [v - 1 for v in p]),
     lambda y, p, k: _dot(y, p) + 1, True, False),
    ("\\sum_k (p_k - y_k) = \\sum_k p_k - 1", lambda y, p, k: sum(p) - sum(y), lambda y, p, k: sum(p) - 1, False, False),
    ("\\sum_k (p_k - y_k) = 1 - \\sum_k p_k", lambda y, p, k: sum(p) - sum(y), lambda y, p, k: 1 - sum(p), True, False),
    ("\\sum_k y_k^2 = 1", lambda y, p, k: _dot(y, y), lambda y, p, k: 1, False, False),
    ("\\sum_k y_k (1 - y_k) = 0", lambda y, p, k: _dot(y, [1 - v for v in y]), lambda y, p, k: 0, False, False),
    ("\\sum_k y_k^2 = 2", lambda y, p, k: _dot(y, y), lambda y, p, k: 2, True, False),
    ("\\frac{\\partial L}{\\partial z_k} = p_k - y_k", _grad, lambda y, p, k: p[k] - y[k], False, True),
    ("\\frac{\\partial L}{\\partial z_k} = y_k - p_k", _grad, lambda y, p, k: y[k] - p[k], True, True),
    ("\\frac{\\partial L}{\\partial z_k} = p_k - 1", _grad, lambda y, p, k: p[k] - 1, True, True),
    ("\\frac{\\partial L}{\\partial z_k} = p_k y_k - y_k", _grad, lambda y, p, k: p[k] * y[k] - y[k], True, True),
]

# how the notes say what y is: (words, domain of y)
_SAID = {
    "onehot": (["The label $y$ is one-hot.", "Let $y$ be a one-hot label.", "The target $y$ is one-hot encoded.",
                "The label is one-hot, so $\\sum_k y_k = 1$."], _onehots),
    "assumed": (["Assume $\\sum_k y_k = 1$.", "Suppose that $\\sum_k y_k = 1$."], _summing_to_one),
    "bare": (["We have $\\sum_k y_k = 1$."], _general),  # a bare equation is no fact the notes state
    "none": (["Let $y$ be a vector of targets."], _general),
}


def _onehot_part(src: Source, slips: bool) -> tuple[str, list]:
    said = src.choice(list(_SAID))
    words, domain = _SAID[said]
    intro = src.choice(words)
    chosen = [t for t in _ONEHOT if slips or not t[3]]
    picks = [src.choice(chosen) for _ in range(src.integer(1, 3))]
    softmax = any(t[4] for t in picks)
    if softmax:
        intro += " Let $p = \\mathrm{softmax}(z)$ and $L = -\\sum_j y_j \\log p_j$."
    steps, shown = [], []
    for text, left, right, slip, probabilities in picks:
        if text in (e.text for e in steps):
            continue
        probabilities = probabilities or softmax  # p = softmax(z) in the section: a probability vector in every step
        points = [(y, p, k) for n in (1, 2, 3) for y in domain(n)
                  for p in (_probabilities(n) if probabilities else _general(n)[:2] + _probabilities(n)) for k in range(n)]
        truth = "true" if all(left(*pt) == right(*pt) for pt in points) else "false"
        steps.append(Expected(text, truth, "onehot", slip,
                              _onehot_replay(left, right, domain, probabilities, "p_k" in text or "L" in text)))
        shown.append(f"$${text}$$")
    return intro + "\n\n" + "\n\n".join(shown), steps


_KEY = re.compile(r"^([A-Za-z])\[(\d+)\]$")


def _onehot_replay(left, right, domain, probabilities, uses_p: bool = True):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        entries: dict = {}
        n = None
        for key, raw in values.items():
            m = _KEY.match(str(key)) or re.match(r"^([A-Za-z])_\\{?(\\d+)\\}?$", str(key))
            if m:
                entries.setdefault(m.group(1), {})[int(m.group(2))] = raw
            elif str(key).startswith("#"):
                n = int(Fraction(str(raw)))
            elif isinstance(raw, list):  # a vector of the matrix reading, as rows
                entries[str(key)] = {i + 1: (r[0] if isinstance(r, list) else r) for i, r in enumerate(raw)}
        n = n if n is not None else (cx.get("indices") or {}).get("#k")
        lengths = {int(Fraction(str(v))) for key, v in values.items() if str(key).startswith("#")}
        if len(lengths) > 1:
            return False  # sums over the classes of different lengths: no point of the notes
        if n is None:
            n = max((max(v) for v in entries.values()), default=1)
        try:
            y = [Fraction(str(entries["y"][i])) for i in range(1, n + 1)]
            k = int(Fraction(str(values.get("k", 1)))) - 1
            if "z" in entries:  # p = softmax(z): in floats, with a margin
                z = [float(Fraction(str(entries["z"][i]))) for i in range(1, n + 1)]
                e = [math.exp(v - max(z)) for v in z]
                p = [v / sum(e) for v in e]
                yf = [float(v) for v in y]
                lv, rv = float(left(yf, p, k)), float(right(yf, p, k))
                return _domain_has(domain, y) and abs(lv - rv) > 1e-9 * (1 + abs(lv) + abs(rv))
            if "p" in entries:
                p = [Fraction(str(entries["p"][i])) for i in range(1, n + 1)]
            elif probabilities and n == 1 or uses_p is False:
                p = [Fraction(1, n)] * n  # the softmax of one number, or a step that does not read p
            elif probabilities:
                return False  # a softmax with no point for z
            else:
                p = [Fraction(0)] * n  # (a step that does not read p)
        except (KeyError, ValueError, ZeroDivisionError, TypeError, IndexError):
            return False
        if probabilities and (any(v <= 0 for v in p) or sum(p) != 1):
            return False  # p = softmax(z): a point off the probability vectors is outside the notes
        return _domain_has(domain, y) and left(y, p, k) != right(y, p, k)
    return fails_at


def _domain_has(domain, y) -> bool:
    if domain is _onehots:
        return all(v in (0, 1) for v in y) and sum(y) == 1
    if domain is _summing_to_one:
        return sum(y) == 1
    return True


# -- where-equations

# (step, {name: (definition text, value(a, b))}, holds(a, b, values)); each with the where-names that make it true
_WHERE = [
    ("a^2 - b^2 = (a - b) s", lambda a, b, w: a * a - b * b == (a - b) * w["s"]),
    ("(a + b)^2 = a^2 + s + b^2", lambda a, b, w: (a + b) ** 2 == a * a + w["s"] + b * b),
    ("a^2 - b^2 = r s", lambda a, b, w: a * a - b * b == w["r"] * w["s"]),
    ("(a + b)^2 = a^2 + 2 a b + b^2", lambda a, b, w: True),
    ("(a + b)^2 = a^2 + b^2", lambda a, b, w: (a + b) ** 2 == a * a + b * b),
]
_DEFS = {
    "s": [("a + b", lambda a, b: a + b), ("b + a", lambda a, b: b + a), ("a - b", lambda a, b: a - b),
          ("2 a b", lambda a, b: 2 * a * b), ("a b", lambda a, b: a * b)],
    "r": [("a - b", lambda a, b: a - b), ("b - a", lambda a, b: b - a)],
    "m": [("0", lambda a, b: Fraction(0))],
}
_AB = [Fraction(v) for v in (2, -1, 3, Fraction(1, 2), 0, -3)]


def _where_part(src: Source, slips: bool) -> tuple[str, list]:
    step, holds = src.choice(_WHERE)
    used = [n for n in ("r", "s") if re.search(rf"\b{n}\b", step)]
    given = {n: src.choice(_DEFS[n]) for n in used}
    if not used or src.integer(0, 3) == 0:
        given["m"] = _DEFS["m"][0]
    before, other = "", None
    if "s" in used and src.integer(0, 2) == 0:  # an earlier paragraph defines s otherwise: the where-clause shadows it
        other = src.choice([d for d in _DEFS["s"] if d[0] != given["s"][0]])
        before = f"Let $s = {other[0]}$ denote the cross term.\n\n"
    names = list(given)
    src_order = names if src.integer(0, 1) else names[::-1]
    clause = " and ".join(f"${n} = {given[n][0]}$" for n in src_order)
    word = src.choice(["where", "with", "where"])
    layout = src.choice(["same", "next", "inline"])
    if layout == "inline":
        text = f"{before}{src.choice(['We have', 'Then'])} ${step}$, {word} {clause}."
    elif layout == "same":
        text = f"{before}$${step}$$ {word} {clause}."
    else:
        text = f"{before}$${step}$$\n{word} {clause}."
    points = [(a, b) for a in _AB for b in _AB]
    truth = "true" if all(holds(a, b, {n: f(a, b) for n, (_, f) in given.items()}) for a, b in points) else "false"
    if other is not None:  # the earlier definition or the where-equation: a reader cannot tell which the step means
        again = "true" if all(holds(a, b, {**{n: f(a, b) for n, (_, f) in given.items()}, "s": other[1](a, b)})
                              for a, b in points) else "false"
        truth = truth if again == truth else "ambiguous"
    intended = all(holds(a, b, {"s": a + b if "r" in used else (a + b if "(a - b)" in step else 2 * a * b),
                                "r": a - b}) for a, b in points)
    slip = truth == "false" and (intended or "m" in given)
    return text, [Expected(step, truth, "where", slip, _where_replay(holds, given))]


def _where_replay(holds, given):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        try:
            a, b = Fraction(str(values.get("a", 0))), Fraction(str(values.get("b", 0)))
            named = {n: f(a, b) for n, (_, f) in given.items()}
            for n in named:
                if n in values and Fraction(str(values[n])) != named[n]:
                    return False  # a value of a where-name its equation does not give
        except (ValueError, ZeroDivisionError):
            return False
        return not holds(a, b, named)
    return fails_at


PARTS = [_power_part, _vector_part, _onehot_part, _where_part]


def generate(src: Source, parts: int = 4, slips: bool = True, kinds=None) -> Material:
    """Notes of `parts` sections, each one part of the kinds given (all by default)."""
    out, steps = ["# Notes"], []
    chosen = kinds or PARTS
    for number in range(1, parts + 1):
        part = src.choice(chosen)
        text, found = part(src, slips)
        out.append(f"## {number} " + src.choice(["Exercise", "Example", "Notes"]))
        out.append(text)
        steps += found
    return Material("\n\n".join(out) + "\n", steps)


# -- judging

def _plain(text: str) -> str:
    return "".join(text.replace("&", "").split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    steps: int = 0
    slips: int = 0
    # planted slips refuted
    caught: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    # ambiguous steps proved, checked or refuted
    decided: list = dataclasses.field(default_factory=list)
    unreplayed: list = dataclasses.field(default_factory=list)
    # false steps the matrix reading checked under a bare relation of the notes it adopted as a fact (reported)
    adopted: list = dataclasses.field(default_factory=list)
    # generated steps (every one a claim) the scan skipped as a condition or a wish
    misread: list = dataclasses.field(default_factory=list)
    # (kind, truth) -> status -> count
    rows: dict = dataclasses.field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        self.steps += other.steps
        self.slips += other.slips
        self.caught += other.caught
        for kind in ("false_proofs", "false_alarms", "decided", "unreplayed", "adopted", "misread"):
            getattr(self, kind).extend(getattr(other, kind))
        for key, row in other.rows.items():
            mine = self.rows.setdefault(key, {})
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v

    def wrong(self) -> list:
        return self.false_proofs + self.false_alarms + self.decided + self.unreplayed + self.misread


def judge(material: Material, scanned: list) -> Tally:
    out = Tally()
    expected = list(material.steps)
    for step in scanned:
        if step.status == "definition":
            continue
        match = next((k for k, e in enumerate(expected[:4]) if _plain(e.text) == _plain(step.text)), None)
        if match is None:
            continue  # a condition or a where-equation read as a step of its own
        e = expected.pop(match)
        del expected[:match]
        out.steps += 1
        out.slips += e.slip
        row = out.rows.setdefault(f"{e.kind}/{e.truth}", {})
        row[step.status] = row.get(step.status, 0) + 1
        where = f"{step.text} (line {step.line}, {e.kind}, {e.truth})"
        if e.truth == "false" and step.status == "checked" and e.kind == "onehot" and "stated fact(s)" in step.reason \
                and "it fails without what line" in step.reason:
            # the matrix reading adopts a bare relation between a sum and a number (\sum_k y_k^2 = 1) as a fact of
            # its names: kept apart (proofs.scan.matrix_steps._under_facts), never counted as a pass here
            out.adopted.append(f"{where}: {step.status} ({step.reason})")
        elif e.truth == "false" and step.status in ("proved", "checked"):
            out.false_proofs.append(f"{where}: {step.status} ({step.reason})")
        elif e.truth == "true" and step.status == "refuted":
            out.false_alarms.append(f"{where}: refuted ({step.reason}) at {step.counterexample}")
        elif e.truth in ("ambiguous", "condition") and step.status in ("proved", "checked", "refuted"):
            out.decided.append(f"{where}: {step.status} ({step.reason})")
        elif e.truth == "condition":
            pass  # skipped, a definition or left for review: not decided as a claim
        elif step.status == "skipped" and step.reason.startswith("a condition or a wish"):
            out.misread.append(f"{where}: skipped ({step.reason})")
        if step.status == "refuted" and e.truth == "false":
            if e.fails_at is not None and not e.fails_at(step.counterexample or {}, step.reason):
                out.unreplayed.append(f"{where}: refuted at {step.counterexample}, which does not replay ({step.reason})")
            elif e.slip:
                out.caught += 1
    return out


# -- scalar parts: sums and products whose range may be empty, decorated sets of integers, several one-hot labels,
# and the phrasings of a condition. Each step is a TeX text and a plain function of a point (a dict of Fractions) to
# its two sides, or to None where a side has no value; a sum over an empty range is 0, a product 1 (never Karr's
# convention). Its truth is computed over the integers (or rationals) of a grid the domain the notes state allows.

_INTEGERS = range(-6, 13)
_RATIONALS = sorted({Fraction(n, d) for n in range(-6, 7) for d in (1, 2, 3)})


def _sum(lo, hi, f):
    return sum((f(i) for i in range(int(lo), int(hi) + 1)), Fraction(0))


def _prod(lo, hi, f):
    out = Fraction(1)
    for i in range(int(lo), int(hi) + 1):
        out *= f(i)
    return out


def _lin(name: str, c: int) -> str:
    return name if c == 0 else f"{name} + {c}" if c > 0 else f"{name} - {-c}"


def _range_templates(lo: int):
    """(left, right, left(n), right(n), slip) of closed forms of a sum or product from lo to n: each true where the
    range is not inverted (n >= lo - 1) or only from some n on, and slips (off by one, a wrong constant)."""
    s, p = f"\\sum_{{i={lo}}}^{{n}}", f"\\prod_{{i={lo}}}^{{n}}"
    c = lo * (lo - 1) // 2
    half = "\\frac{n (n + 1)}{2}"
    out = [
        (f"{s} 1", _lin("n", 1 - lo), lambda n: _sum(lo, n, lambda i: 1), lambda n: n + 1 - lo, False),
        (f"{s} 1", _lin("n", -lo), lambda n: _sum(lo, n, lambda i: 1), lambda n: n - lo, True),
        (f"{s} i", half + (f" - {c}" if c else ""), lambda n: _sum(lo, n, lambda i: i), lambda n: n * (n + 1) / 2 - c,
         False),
        (f"{s} i", half + f" - {c + 1}", lambda n: _sum(lo, n, lambda i: i), lambda n: n * (n + 1) / 2 - c - 1, True),
        (f"{s} 2^i", f"2^{{n + 1}} - {2 ** lo}", lambda n: _sum(lo, n, lambda i: Fraction(2) ** i),
         lambda n: Fraction(2) ** (n + 1) - 2 ** lo, False),
        (f"{s} 2^i", f"2^{{n + 1}} - {2 ** lo - 1}", lambda n: _sum(lo, n, lambda i: Fraction(2) ** i),
         lambda n: Fraction(2) ** (n + 1) - 2 ** lo + 1, True),
        (f"{p} 2", "2^{" + _lin("n", 1 - lo) + "}", lambda n: _prod(lo, n, lambda i: 2),
         lambda n: Fraction(2) ** (n + 1 - lo), False),
        (f"{p} 2", "2^{" + _lin("n", -lo) + "}", lambda n: _prod(lo, n, lambda i: 2),
         lambda n: Fraction(2) ** (n - lo), True),
        (f"{s} (2 i - 1)", "n^2" + (f" - {(lo - 1) ** 2}" if lo != 1 else ""),
         lambda n: _sum(lo, n, lambda i: 2 * i - 1), lambda n: n * n - (lo - 1) ** 2, False),
        (f"{s} 2 i", f"2 {s} i", lambda n: _sum(lo, n, lambda i: 2 * i), lambda n: 2 * _sum(lo, n, lambda i: i), False),
        (f"{s} 3", f"3 {s} 1", lambda n: _sum(lo, n, lambda i: 3), lambda n: 3 * _sum(lo, n, lambda i: 1), False),
    ]
    if lo >= 1:
        out += [
            (f"{p} \\frac{{i + 1}}{{i}}", "n + 1" if lo == 1 else f"\\frac{{n + 1}}{{{lo}}}",
             lambda n: _prod(lo, n, lambda i: Fraction(i + 1, i)), lambda n: Fraction(n + 1, lo), False),
            (f"{p} \\frac{{i + 1}}{{i}}", "n" if lo == 1 else f"\\frac{{n}}{{{lo}}}",
             lambda n: _prod(lo, n, lambda i: Fraction(i + 1, i)), lambda n: Fraction(n, lo), True),
        ]
    return out


# How the notes state the domain of n: (text with {step} for the step, or None where it is said once before the
# steps; narrow: the integers it surely allows; wide: those any reading allows; whether the scan reads it exactly).
# A step is false only where it fails at a point of the narrow domain, true only where it holds on all the wide one.
def _at_least(c):
    return lambda n: n >= c


_PHRASINGS = [
    ("For $n \\ge {c}$, ${step}$.", "ge"),
    ("For every $n \\ge {c}$, ${step}$.", "ge"),
    ("For all $n \\ge {c}$, ${step}$.", "ge"),
    ("For all integers $n \\ge {c}$, ${step}$.", "ge"),
    ("For every integer $n \\ge {c}$, we have ${step}$.", "ge"),
    ("Whenever $n \\ge {c}$, ${step}$.", "ge"),
    ("We have ${step}$ for every $n \\ge {c}$.", "ge"),
    ("For every $n \\ge {c}$,\n$${step}$$", "ge"),
    ("Assume $n \\ge {c}$.\n\n$${step}$$", "ge"),
    ("For every $n \\ge {c}$ we have\n\n$${step}$$", "ge"),
    ("For every $n \\ge {c}$:\n\n$${step}$$", "ge"),
    ("If $n \\ge {c}$, then ${step}$.", "ge"),
    ("For any $n \\ge {c}$, ${step}$.", "ge"),
    # an opening hypothesis whose sentence goes on across a blank line to the displayed step: the display is what it
    # leads to, never part of it
    ("If $n \\ge {c}$:\n\n$${step}$$", "ge"),
    ("If $n \\ge {c}$, we have\n\n$${step}$$", "ge"),
    ("Given $n \\ge {c}$, the sum is\n\n$${step}$$", "ge"),
    ("When $n \\ge {c}$ we get\n\n$${step}$$", "ge"),
    ("Suppose $n \\ge {c}$; then\n\n$${step}$$", "ge"),
]
# a domain stated in the step's own sentence: (text, narrow, wide)
_INLINE = [
    ("For $n \\in \\mathbb{N}$, ${step}$.", _at_least(1), _at_least(0)),
    ("For all $n \\in \\mathbb{N}$, ${step}$.", _at_least(1), _at_least(0)),
    ("For every positive integer $n$, ${step}$.", _at_least(1), _at_least(1)),
    ("For all integers $n \\ge 0$, ${step}$.", _at_least(0), _at_least(0)),
]
_STATED = [
    ("Let $n \\in \\mathbb{{N}}$.", _at_least(1), _at_least(0)),
    ("Let $n$ be a positive integer.", _at_least(1), _at_least(1)),
    ("Suppose $n$ is a positive integer.", _at_least(1), _at_least(1)),
    ("Consider a sequence of length $n$.", _at_least(1), _at_least(0)),
    ("Let $n \\in \\mathbb{{Z}}$.", lambda n: True, lambda n: True),
]
# decorated sets of integers: (TeX, the members)
_DECORATED = [
    ("\\mathbb{Z}^+", _at_least(1)), ("\\mathbb{Z}_{>0}", _at_least(1)), ("\\mathbb{Z}_{\\ge 0}", _at_least(0)),
    ("\\mathbb{N}_0", _at_least(0)), ("\\mathbb{N}^*", _at_least(1)), ("\\mathbb{N}_{+}", _at_least(1)),
    ("\\mathbb{Z}^{-}", lambda n: n <= -1), ("\\mathbb{Z}_{<0}", lambda n: n <= -1), ("\\mathbb{Z}_{\\geq 2}", _at_least(2)),
]
# prose with "there is/are" before a universal step, binding none of its names
_THERE_IS = [
    "There is a neat closed form for this sum: ${step}$.",
    "Since the loss is convex there is a unique minimiser, and expanding gives\n\n$${step}$$",
    "There are several ways to see it; one gives ${step}$.",
    "There is a constant $c$ with $c > 0$, and ${step}$.",
]
# conditions on the bound of a sum from 0 or 1 that exclude values or bound it from above: (text, allowed(n, c))
_NARROWER = [
    ("For every $n \\ne {c}$, we have ${step}$.", lambda n, c: n != c),
    ("For all $n \\neq {c}$, ${step}$.", lambda n, c: n != c),
    ("For every $n \\le {c}$, we have ${step}$.", lambda n, c: n <= c),
    ("For $n < {c}$, ${step}$.", lambda n, c: n < c),
]
# conditions the scan does not read exactly: nothing is known of n (no step is false, a true one holds everywhere)
_UNREAD = ["Let $n \\in \\mathbb{{Z}}^{{*}}$.", "For odd $n$, ${step}$.", "Let $n \\in \\mathbb{{Z}}_{{2}}$.",
           "For every $n$ that is a multiple of $3$, ${step}$."]


def _integer_truth(left, right, narrow, wide, var: str = "n") -> str:
    def holds(n):
        try:
            a, b = left(Fraction(n)), right(Fraction(n))
        except (ZeroDivisionError, _Ill):
            return True  # no value there: nothing shown
        return a == b
    if all(holds(n) for n in _INTEGERS if wide(n)):
        return "true"
    if any(not holds(n) for n in _INTEGERS if narrow(n)):
        return "false"
    return "ambiguous"


def _integer_replay(left, right, wide, var: str = "n"):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        try:
            n = Fraction(str(values[var]))
        except (KeyError, ValueError, ZeroDivisionError):
            return False
        if n.denominator != 1 or not wide(int(n)):
            return False  # a point outside the domain the notes state
        try:
            return left(n) != right(n)
        except (ZeroDivisionError, _Ill):
            return False
    return fails_at


def _sentence_steps(src: Source, phrasing: Optional[str], picks, narrow, wide, kind: str, intro: str = ""):
    steps, shown = [], []
    for left_tex, right_tex, left, right, slip in picks:
        text = f"{left_tex} = {right_tex}"
        if text in (e.text for e in steps):
            continue
        truth = _integer_truth(left, right, narrow, wide)
        steps.append(Expected(text, truth, kind, slip, _integer_replay(left, right, wide)))
        shown.append(phrasing.replace("{step}", text) if phrasing else f"$${text}$$")
    return (intro + "\n\n" if intro else "") + "\n\n".join(shown), steps


def _range_part(src: Source, slips: bool) -> tuple[str, list]:
    lo = src.choice([0, 1, 1, 2, 3])
    pool = [t for t in _range_templates(lo) if slips or not t[4]]
    picks = [src.choice(pool) for _ in range(src.integer(1, 3))]
    how = src.choice(["none", "phrasing", "phrasing", "stated", "decorated", "unread"])
    if how == "none":  # the bound of a sum from a number <= 1 is a count (n >= lo - 1); of one from further on, a whole n
        narrow = _at_least(max(0, lo - 1)) if lo <= 1 else _at_least(0)
        wide = _at_least(min(0, lo - 1))
        form = src.choice(["plain", "plain", "there", "narrower"])
        if form == "there":  # "there is" that binds no name of the step: the step stays universal
            return _sentence_steps(src, src.choice(_THERE_IS), picks, narrow, wide, "range")
        if form == "narrower" and lo <= 1:  # a condition that excludes values or bounds from above: n stays a count
            words, allowed = src.choice(_NARROWER)
            c = src.choice([0, 1, 2]) if "\\ne" in words else src.choice([3, 5, 10])
            return _sentence_steps(src, words.replace("{c}", str(c)), picks, lambda n: narrow(n) and allowed(n, c),
                                   lambda n: wide(n) and allowed(n, c), "range")
        return _sentence_steps(src, src.choice(["Then ${step}$.", "We have ${step}$.", None]), picks, narrow, wide,
                               "range")
    if how == "phrasing":
        c = src.choice([0, 1, 2, 3])
        phrasing = src.choice(_PHRASINGS)[0].replace("{c}", str(c))
        if phrasing.startswith("Assume"):
            head, step = phrasing.split("\n\n")
            return _sentence_steps(src, step, picks, _at_least(c), _at_least(c), "range", head)
        return _sentence_steps(src, phrasing, picks, _at_least(c), _at_least(c), "range")
    if how == "stated" and src.integer(0, 2) == 0:
        words, narrow, wide = src.choice(_INLINE)
        return _sentence_steps(src, words, picks, narrow, wide, "range")
    if how == "stated":
        words, narrow, wide = src.choice(_STATED)
        return _sentence_steps(src, src.choice(["Then ${step}$.", None]), picks, narrow, wide, "range",
                               words.replace("{{", "{").replace("}}", "}"))
    if how == "decorated":
        written, members = src.choice(_DECORATED)
        if src.integer(0, 2) == 0:  # in the step's own sentence
            return _sentence_steps(src, src.choice(["For $n \\in {s}$, ${step}$.", "For all $n \\in {s}$, ${step}$."])
                                   .replace("{s}", written), picks, members, members, "range")
        return _sentence_steps(src, src.choice(["Then ${step}$.", None]), picks, members, members, "range",
                               f"Let $n \\in {written}$.")
    words = src.choice(_UNREAD).replace("{{", "{").replace("}}", "}")
    never = (lambda n: False)
    if "{step}" in words:
        return _sentence_steps(src, words, picks, never, lambda n: True, "range")
    return _sentence_steps(src, src.choice(["Then ${step}$.", None]), picks, never, lambda n: True, "range", words)


# steps about an integer n true on a decorated set and false on plain Z (or slips false on the set itself)
_SIGNED_STEPS = [
    ("|n| = n", lambda n: abs(n), lambda n: n),
    ("|n| = -n", lambda n: abs(n), lambda n: -n),
    ("|n - 1| = n - 1", lambda n: abs(n - 1), lambda n: n - 1),
    ("|n + 1| = -n - 1", lambda n: abs(n + 1), lambda n: -n - 1),
    ("|n| = n + 1", lambda n: abs(n), lambda n: n + 1),
    ("\\sqrt{n^2} = n", lambda n: abs(n), lambda n: n),
    ("(-1)^{2 n} = 1", lambda n: Fraction(1), lambda n: Fraction(1)),
    ("\\sum_{i=1}^{n} 1 = n", lambda n: _sum(1, n, lambda i: 1), lambda n: n),
    ("\\prod_{i=1}^{n} 2 = 2^n", lambda n: _prod(1, n, lambda i: 2), lambda n: Fraction(2) ** n),
]


def _decorated_part(src: Source, slips: bool) -> tuple[str, list]:
    written, members = src.choice(_DECORATED + [("\\mathbb{Z}", lambda n: True)])
    if src.integer(0, 4) == 0:  # a decoration the scan does not read: nothing known of n
        written, members = src.choice(["\\mathbb{Z}^{*}", "\\mathbb{Z}_{2}", "\\mathbb{N}^{\\times}"]), None
    picks = [src.choice(_SIGNED_STEPS) for _ in range(src.integer(1, 3))]
    picks = [(t.split(" = ")[0], t.split(" = ")[1], a, b, False) for t, a, b in picks]
    narrow, wide = (members, members) if members else ((lambda n: False), (lambda n: True))
    text, steps = _sentence_steps(src, src.choice(["Then ${step}$.", None]), picks, narrow, wide, "decorated",
                                  src.choice(["Let $n \\in {s}$.", "Suppose $n \\in {s}$.", "Throughout, $n \\in {s}$."])
                                  .replace("{s}", written))
    for e in steps:
        e.slip = e.truth == "false" and members is not None
    return text, steps


# several one-hot labels: (text, value(vectors), value(vectors), the letters it needs one-hot to hold)
def _dotted(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


_MANY_HOT = [
    ("\\sum_k (y_k + t_k) = 2", lambda v: sum(v["y"]) + sum(v["t"]), lambda v: 2),
    ("\\sum_k (y_k + t_k) = 1", lambda v: sum(v["y"]) + sum(v["t"]), lambda v: 1),
    ("\\sum_k (y_k - t_k) = 0", lambda v: sum(v["y"]) - sum(v["t"]), lambda v: 0),
    ("\\sum_k (y_k - t_k) = 1", lambda v: sum(v["y"]) - sum(v["t"]), lambda v: 1),
    ("\\sum_k (y_k - t_k)^2 = 2 - 2 \\sum_k y_k t_k", lambda v: sum((a - b) ** 2 for a, b in zip(v["y"], v["t"])),
     lambda v: 2 - 2 * _dotted(v["y"], v["t"])),
    ("\\sum_k (y_k - t_k)^2 = 2 + 2 \\sum_k y_k t_k", lambda v: sum((a - b) ** 2 for a, b in zip(v["y"], v["t"])),
     lambda v: 2 + 2 * _dotted(v["y"], v["t"])),
    ("\\sum_k y_k^2 t_k = \\sum_k y_k t_k", lambda v: _dotted([a * a for a in v["y"]], v["t"]),
     lambda v: _dotted(v["y"], v["t"])),
    ("\\sum_k y_k t_k^2 = \\sum_k y_k t_k", lambda v: _dotted(v["y"], [b * b for b in v["t"]]),
     lambda v: _dotted(v["y"], v["t"])),
    ("\\sum_k y_k t_k = 1", lambda v: _dotted(v["y"], v["t"]), lambda v: 1),
    ("\\sum_k (y_k + t_k + s_k) = 3", lambda v: sum(v["y"]) + sum(v["t"]) + sum(v["s"]), lambda v: 3),
    ("\\sum_k (y_k + t_k + s_k) = 2", lambda v: sum(v["y"]) + sum(v["t"]) + sum(v["s"]), lambda v: 2),
    ("\\sum_k y_k t_k s_k = \\sum_k y_k^2 t_k s_k", lambda v: sum(a * b * c for a, b, c in zip(v["y"], v["t"], v["s"])),
     lambda v: sum(a * a * b * c for a, b, c in zip(v["y"], v["t"], v["s"]))),
]
# how the notes say which labels are one-hot: (words, the letters said one-hot)
_HOT_WORDS = [
    ("The labels $y$ and $t$ are one-hot.", "yt"), ("$y$ and $t$ are one-hot.", "yt"),
    ("Let $y$ be a one-hot label and let $t$ be a one-hot target.", "yt"),
    ("Let $y$ and $t$ be one-hot labels.", "yt"), ("The vectors $y$, $t$ and $s$ are one-hot.", "yts"),
    ("Let $y$, $t$ and $s$ be one-hot vectors.", "yts"), ("Let $y$ be a one-hot label.", "y"),
    ("The target $t$ is one-hot.", "t"), ("Let $y$ and $t$ be vectors of targets.", ""),
]


def _hot_points(letters: str, hot: str):
    for n in (1, 2, 3):
        pools = [_onehots(n) if c in hot else _general(n) for c in letters]
        for combo in _product(pools):
            yield dict(zip(letters, combo))


def _many_hot_part(src: Source, slips: bool) -> tuple[str, list]:
    words, hot = src.choice(_HOT_WORDS)
    steps, shown = [], []
    for _ in range(src.integer(1, 3)):
        text, left, right = src.choice(_MANY_HOT)
        letters = "yts" if "s_k" in text else "yt"
        if text in (e.text for e in steps):
            continue
        truth = "true" if all(left(v) == right(v) for v in _hot_points(letters, hot)) else "false"
        every = all(left(v) == right(v) for v in _hot_points(letters, letters))
        steps.append(Expected(text, truth, "many-hot", truth == "false" and not every,
                              _many_hot_replay(left, right, letters, hot)))
        shown.append(f"$${text}$$")
    return words + "\n\n" + "\n\n".join(shown), steps


def _many_hot_replay(left, right, letters: str, hot: str):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        entries: dict = {}
        for key, raw in values.items():
            m = _KEY.match(str(key)) or re.match(r"^([A-Za-z])_\{?(\d+)\}?$", str(key))
            if m:
                entries.setdefault(m.group(1), {})[int(m.group(2))] = raw
            elif isinstance(raw, list):  # a vector of the matrix reading, as rows
                entries[str(key)] = {i + 1: (r[0] if isinstance(r, list) else r) for i, r in enumerate(raw)}
        lengths = {int(Fraction(str(v))) for key, v in values.items() if str(key).startswith("#")}
        if len(lengths) > 1 or len({len(v) for v in entries.values()}) > 1:
            return False
        n = lengths.pop() if lengths else max((max(v) for v in entries.values()), default=1)
        try:
            v = {c: [Fraction(str(entries[c][i])) for i in range(1, n + 1)] for c in letters}
        except (KeyError, ValueError, ZeroDivisionError):
            return False
        if any(not _domain_has(_onehots, v[c]) for c in hot if c in letters):
            return False
        return left(v) != right(v)
    return fails_at


# phrasings of a condition on a real x and on an index k in {1, ..., K}
_SIGN_STEPS = [
    ("|x| = x", lambda x: abs(x), lambda x: x), ("|x| = -x", lambda x: abs(x), lambda x: -x),
    ("\\sqrt{x^2} = x", lambda x: abs(x), lambda x: x), ("\\frac{|x|}{x} = 1", lambda x: abs(x) / x, lambda x: 1),
    ("|x - 1| = x - 1", lambda x: abs(x - 1), lambda x: x - 1), ("\\max(x, 0) = x", lambda x: max(x, 0), lambda x: x),
]
_SIGN_WORDS = [("If $x > 0$, then ${step}$.", True), ("${step}$ if $x > 0$.", True), ("For $x > 0$, ${step}$.", True),
               ("For every $x > 0$, ${step}$.", True), ("For all $x > 0$, ${step}$.", True),
               ("Whenever $x > 0$, ${step}$.", True), ("Assume $x > 0$. Then ${step}$.", True),
               ("For every $x > 0$,\n$${step}$$", True), ("Then ${step}$.", False),
               ("If $x > 0$, we have\n\n$${step}$$", True), ("Given $x > 0$, we get\n\n$${step}$$", True),
               ("When $x > 0$:\n\n$${step}$$", True), ("Let $x > 0$; its value is\n\n$${step}$$", True),
               ("When we simplify we get\n\n$${step}$$", False), ("If we expand, we have\n\n$${step}$$", False)]


def _sign_part(src: Source, slips: bool) -> tuple[str, list]:
    words, positive = src.choice(_SIGN_WORDS)
    inside = (lambda x: x > 0) if positive else (lambda x: True)
    steps, shown = [], []
    for _ in range(src.integer(1, 2)):
        text, left, right = src.choice(_SIGN_STEPS)
        if text in (e.text for e in steps):
            continue
        held = []
        for x in _RATIONALS:
            if inside(x):
                try:
                    held.append(left(x) == right(x))
                except ZeroDivisionError:
                    continue
        truth = "true" if all(held) else "false"
        steps.append(Expected(text, truth, "sign", truth == "false" and positive, _sign_replay(left, right, inside)))
        shown.append(words.replace("{step}", text))
    if src.integer(0, 2) == 0:  # an index in a set the scan may not read
        k_steps = [("\\sum_{i=k}^{K} 1 = K - k + 1", False), ("\\sum_{i=k}^{K} 1 = K - k", True),
                   ("\\sum_{i=1}^{k} 1 = k", False)]
        text, slip = src.choice(k_steps)
        left = {0: lambda k, K: _sum(k, K, lambda i: 1), 2: lambda k, K: _sum(1, k, lambda i: 1)}
        right = {0: lambda k, K: K - k + 1, 1: lambda k, K: K - k, 2: lambda k, K: k}
        at = [t for t, _ in k_steps].index(text)
        lf, rf = left[0 if at < 2 else 2], right[at]
        truth = "true" if all(lf(k, K) == rf(k, K) for K in range(1, 8) for k in range(1, K + 1)) else "false"
        steps.append(Expected(text, truth, "index", slip, _index_replay(lf, rf)))
        shown.append(src.choice(["For each $k \\in \\{1, \\dots, K\\}$, ${step}$.",
                                 "For each $k \\in \\{1,\\dots,K\\}$ we have ${step}$."]).replace("{step}", text))
    return "\n\n".join(shown), steps


def _sign_replay(left, right, inside):
    def fails_at(cx: dict, reason: str) -> bool:
        try:
            x = Fraction(str(cx.get("values", {})["x"]))
            return inside(x) and left(x) != right(x)
        except (KeyError, ValueError, ZeroDivisionError):
            return False
    return fails_at


def _index_replay(left, right):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        try:
            k, K = Fraction(str(values["k"])), Fraction(str(values.get("K", values["k"])))
        except (KeyError, ValueError, ZeroDivisionError):
            return False
        if k.denominator != 1 or K.denominator != 1 or not 1 <= k <= K:
            return False
        return left(int(k), int(K)) != right(int(k), int(K))
    return fails_at


SCALAR_PARTS = [_range_part, _decorated_part, _many_hot_part, _sign_part]
