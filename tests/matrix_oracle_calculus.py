"""Generated matrix-calculus and index-notation material whose every step's truth is known before the scan reads it.

Each part declares shapes (`W \\in \\mathbb{R}^{m \\times n}`, sizes named or numbered, "symmetric", a stated total
`\\mathbf{1}^\\top p = 1`) and states steps of one kind: Jacobians of vectors (`\\frac{\\partial (W x)}{\\partial x}`,
`\\partial \\sigma(z) / \\partial z` for the logistic function or tanh, chain rules through `W x`), gradients and
Hessians of quadratics and least squares (`\\nabla^2_x \\tfrac12 x^\\top A x`), entries and index sums
(`(W x)_i = \\sum_{j=1}^{n} W_{ij} x_j`, `(A^\\top)_{ij}`, traces with entries), the vector of ones and multiples of I.
A step is built true, or made false by one planted slip (indices swapped, a transpose dropped or added, the other
layout under a stated one, a factor 2 or ½ missing, a diag or an ⊙ missing, a bound off by one, `A` for
`\\tfrac12(A + A^\\top)` without symmetry). Its truth is decided by the plain evaluator below, which shares no code
with the scan: matrices are numpy arrays of `Fraction`, a derivative is a central difference (exact with step 1 for
the linear and quadratic forms; in floating point with a small step for σ and tanh, where a value is called equal
within 1e-7 and different only beyond 1e-3, and an instance between the two decides nothing). A derivative is true
when it equals the true one under some layout the material allows (numerator: entry (k, i) is ∂f_k/∂x_i; denominator:
its transpose), and a slip is labelled false only when a concrete instance shows it false under every allowed layout.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re
from fractions import Fraction
from typing import Any, Callable, Optional

import numpy

from scan_oracle import RandomSource, Source

__all__ = ["Source", "RandomSource", "Expected", "Material", "generate", "judge", "Tally", "confirms", "PARTS",
           "WORDED_PARTS", "DRAWN_PARTS"]


class _Undefined(ArithmeticError):
    """An instance where a side has no value: shapes that do not fit, an index past the end."""


class _Shape(_Undefined):
    """Shapes that do not fit: the step is false at every instance of these sizes."""


# -- the plain evaluator: numpy arrays of Fraction (or of float once σ or tanh is applied), always two-dimensional


def _arr(rows) -> numpy.ndarray:
    return numpy.array([[x for x in row] for row in rows], dtype=object)


def mm(*ms):
    out = ms[0]
    for m in ms[1:]:
        out = _as(out)
        m = _as(m)
        if out.shape == (1, 1) and m.shape != (1, 1) and False:
            pass
        if out.shape[1] != m.shape[0]:
            raise _Shape(f"{out.shape} times {m.shape}")
        out = numpy.dot(out, m)
    return out


def _as(x) -> numpy.ndarray:
    return x if isinstance(x, numpy.ndarray) else _arr([[x]])


def add(a, b):
    a, b = _as(a), _as(b)
    if a.shape != b.shape:
        raise _Shape(f"{a.shape} plus {b.shape}")
    return a + b


def sub(a, b):
    return add(a, scale(-1, b))


def scale(c, a):
    return _as(a) * c


def T(a):
    return _as(a).T.copy()


def had(a, b):
    a, b = _as(a), _as(b)
    if a.shape != b.shape:
        raise _Shape(f"{a.shape} ⊙ {b.shape}")
    return a * b


def diag(v):
    v = _as(v)
    if v.shape[1] != 1:
        raise _Shape("diag of a matrix")
    n = v.shape[0]
    return _arr([[v[i, 0] if i == j else Fraction(0) for j in range(n)] for i in range(n)])


def eye(n: int):
    return _arr([[Fraction(int(i == j)) for j in range(n)] for i in range(n)])


def ones(n: int):
    return _arr([[Fraction(1)] for _ in range(n)])


def tr(a):
    a = _as(a)
    if a.shape[0] != a.shape[1]:
        raise _Shape("trace of a non-square matrix")
    return sum((a[i, i] for i in range(a.shape[0])), Fraction(0))


def sq(v):
    """‖v‖² (Frobenius for a matrix)."""
    return sum((x * x for x in _as(v).flat), Fraction(0))


def scalar(a):
    a = _as(a)
    if a.shape != (1, 1):
        raise _Shape(f"a number of shape {a.shape}")
    return a[0, 0]


def entry(a, i: int, j: int = 1):
    a = _as(a)
    if not (1 <= i <= a.shape[0] and 1 <= j <= a.shape[1]):
        raise _Undefined("an index past the end")
    return a[i - 1, j - 1]


def total(lo: int, hi: int, term: Callable[[int], Any]):
    """∑_{k=lo}^{hi} term(k); an empty range is 0."""
    return sum((term(k) for k in range(lo, hi + 1)), Fraction(0))


def sigmoid(a):
    return _arr([[1 / (1 + math.exp(-float(x))) for x in row] for row in _as(a)])


def tanh(a):
    return _arr([[math.tanh(float(x)) for x in row] for row in _as(a)])


def _floaty(a) -> bool:
    return any(isinstance(x, float) for x in _as(a).flat)


def equal(a, b) -> Optional[bool]:
    """True, False, or None when floating-point values are neither within 1e-7 nor beyond 1e-3 of each other."""
    a, b = _as(a), _as(b)
    if a.shape != b.shape:
        return False
    if not (_floaty(a) or _floaty(b)):
        return bool(all(x == y for x, y in zip(a.flat, b.flat)))
    gaps = [abs(float(x) - float(y)) / (1 + abs(float(x)) + abs(float(y))) for x, y in zip(a.flat, b.flat)]
    if all(g <= 1e-7 for g in gaps):
        return True
    if any(g >= 1e-3 for g in gaps):
        return False
    return None


def _bump(env: dict, var: str, pos: tuple, h) -> dict:
    out = dict(env)
    m = _as(env[var]).copy()
    m[pos] = m[pos] + h
    out[var] = m
    return out


def jacobian(f: Callable[[dict], Any], env: dict, var: str, smooth: bool) -> numpy.ndarray:
    """The numerator-layout derivative of f (a vector or a number) with respect to the vector `var`: entry (k, i) is
    ∂f_k/∂x_i, by central differences (step 1 exactly for a polynomial of degree 2, else step 1e-6 in floats)."""
    x = _as(env[var])
    if x.shape[1] != 1:
        raise AssertionError("a derivative with respect to a vector only")
    h = 1e-6 if smooth else Fraction(1)
    columns = []
    for i in range(x.shape[0]):
        up, down = _as(f(_bump(env, var, (i, 0), h))), _as(f(_bump(env, var, (i, 0), -h)))
        if up.shape[1] != 1:
            raise AssertionError("a derivative of a vector or a number only")
        columns.append([(u - d) / (2 * h) for u, d in zip(up[:, 0], down[:, 0])])
    return _arr([[columns[i][k] for i in range(x.shape[0])] for k in range(len(columns[0]))]) if columns else None


def hessian(f: Callable[[dict], Any], env: dict, var: str) -> numpy.ndarray:
    """∂²f/∂x_i∂x_j of a number f, quadratic in `var`, by second central differences of step 1 (exact there)."""
    x = _as(env[var])
    n = x.shape[0]

    def at(i, si, j, sj):
        return scalar(f(_bump(_bump(env, var, (i, 0), si), var, (j, 0), sj)))

    return _arr([[(at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / 4 for j in range(n)]
                 for i in range(n)])


# -- parts: the declared names, sizes, conditions and layouts a step is decided under


@dataclasses.dataclass
class Part:
    # name (as the scan keys it) -> shape: () a number, (rows, columns) of size names or numbers
    shapes: dict
    symmetric: frozenset = frozenset()
    positive: frozenset = frozenset()
    # name -> the stated sum of its entries
    totals: dict = dataclasses.field(default_factory=dict)
    # the layouts the material allows for a derivative: "row" (numerator), "column" (denominator)
    layouts: tuple = ("row", "column")
    # size name -> (lowest, highest or None): the value or bounds the material states on it
    ranges: dict = dataclasses.field(default_factory=dict)
    # size name -> (its phrase, the sizes it allows): a condition on a size the scan is not expected to read
    unread: dict = dataclasses.field(default_factory=dict)
    # groups of vectors stated orthogonal to each other, and the vectors of norm 1 (orthonormal, or a stated fact)
    orthogonal: tuple = ()
    unit: frozenset = frozenset()
    # matrices with Q^T Q = I
    rotations: frozenset = frozenset()
    # matrices of any shape with orthonormal "columns" (Q^T Q = I: no wider than tall) or "rows" (Q Q^T = I)
    frames: dict = dataclasses.field(default_factory=dict)
    # vectors whose 2-norm a fact states: name -> that norm (a rational)
    norms: dict = dataclasses.field(default_factory=dict)


_ENTRIES = [Fraction(x, 2) for x in (-6, -4, -3, -2, -1, 1, 2, 3, 4, 6)] + [Fraction(0)]


def instance(part: Part, rng: random.Random, sizes: Optional[dict] = None) -> dict:
    sizes = dict(sizes or {})
    for shape in part.shapes.values():
        for d in shape:
            if isinstance(d, str) and d not in sizes:
                small = [s for s in allowed(part, d) if s <= 3] or allowed(part, d)[:3]
                sizes[d] = rng.choice(small)
    env: dict = {"#sizes": sizes, "#indices": {k: rng.randint(1, 3) for k in "ijkl"}}
    for name, shape in part.shapes.items():
        if shape == ():
            v = rng.choice(_ENTRIES)
            env[name] = abs(v) or Fraction(1) if name in part.positive else v
            continue
        r, c = (sizes[d] if isinstance(d, str) else d for d in shape)
        m = _arr([[rng.choice(_ENTRIES) for _ in range(c)] for _ in range(r)])
        if name in part.symmetric:
            m = (m + m.T) / 2
        if name in part.totals:
            m[r - 1, c - 1] = part.totals[name] - (sum(m.flat, Fraction(0)) - m[r - 1, c - 1])
        env[name] = m
    for group in part.orthogonal:
        units = [g for g in group if g in part.unit]
        if units:
            Q = _cayley(_as(env[units[0]]).shape[0], rng)
            if Q.shape[0] < len(units):
                raise _Undefined("more orthonormal vectors than their length")
            for k, g in enumerate(units):
                env[g] = Q[:, k:k + 1].copy()
        rest = [g for g in group if g not in part.unit]
        for g, v in zip(rest, _gram_schmidt([env[g] for g in units] + [env[g] for g in rest])[len(units):]):
            env[g] = v
    for name in part.unit - {g for group in part.orthogonal for g in group}:
        env[name] = _cayley(_as(env[name]).shape[0], rng)[:, :1].copy()
    for name in part.rotations:
        env[name] = _cayley(_as(env[name]).shape[0], rng)
    for name, length in part.norms.items():
        env[name] = scale(length, _cayley(_as(env[name]).shape[0], rng)[:, :1].copy())
    for name, which in part.frames.items():
        r, c = _as(env[name]).shape
        if (r < c) if which == "columns" else (r > c):
            raise _Undefined("no such matrix has orthonormal " + which)
        env[name] = _cayley(r, rng)[:, :c].copy() if which == "columns" else _cayley(c, rng)[:r, :].copy()
    return env


@dataclasses.dataclass
class Expected:
    """One step: its sides as printed, its truth, and the evaluator's sides."""

    left: str
    right: str
    # "true" or "slip"
    truth: str
    family: str
    part: Part
    # env -> the left side's value; for a derivative, the derivative in the numerator layout
    left_f: Callable = None
    right_f: Callable = None
    # whether the left side is a derivative (decided under each layout the part allows)
    derivative: bool = False
    witness: Optional[dict] = None
    relation: str = "="

    @property
    def text(self) -> str:
        return f"{self.left} {_TEX.get(self.relation, self.relation)} {self.right}"


_TEX = {"<=": "\\le", ">=": "\\ge"}


def _left_at(step: Expected, env: dict, layout: str):
    left = step.left_f(env)
    return T(left) if step.derivative and layout == "column" else left


def decide(step: Expected, env: dict, layout: str = "row") -> Optional[bool]:
    """Whether the step holds at the instance under the layout; None when the instance decides nothing (an index past
    the end, floating-point values too close to call)."""
    try:
        left = _left_at(step, env, layout)
        right = step.right_f(env)
    except _Shape:
        return False
    except _Undefined:
        return None
    return equal(left, right) if step.relation == "=" else compare(left, step.relation, right)


def _layouts(step: Expected) -> tuple:
    return step.part.layouts if step.derivative else ("row",)


def witness(step: Expected, rng: random.Random, tries: int = 30) -> Optional[dict]:
    """For each allowed layout an instance where the step fails under it, or None if some layout shows none."""
    found = {}
    for layout in _layouts(step):
        for _ in range(tries):
            env = instance(step.part, rng)
            if decide(step, env, layout) is False:
                found[layout] = env
                break
        else:
            return None
    return found


def holds(step: Expected, rng: random.Random, tries: int = 8) -> bool:
    """Whether some allowed layout holds at every instance tried (a check of the generator)."""
    return any(all(decide(step, instance(step.part, rng), layout) is not False for _ in range(tries))
               for layout in _layouts(step))


# -- the scan's counterexample, replayed


_PHI = re.compile(r"^\\?(?:phi|sigma)(')?\((.+)\)$")


def _key(name: str) -> str:
    name = re.sub(r"\\(?:mathbf|boldsymbol|bm)\s*\{([^{}]*)\}", r"\1", name)
    return name.replace("{", "").replace("}", "").replace("\\", "").replace(" ", "")


def _number(s) -> Fraction:
    return Fraction(str(s))


def confirms(step: Expected, counterexample: Optional[dict]) -> bool:
    """Whether the scan's counterexample (its JSON form) is one: every value has its declared shape (sizes
    consistently), meets the stated conditions, and the step fails there under the layout it names (under every
    allowed layout when it names none)."""
    if not counterexample or not isinstance(counterexample.get("values"), dict):
        return False
    part = step.part
    raw = {_key(k): v for k, v in counterexample["values"].items()}
    sizes = {k: int(v) for k, v in (counterexample.get("sizes") or {}).items()}
    env: dict = {"#indices": {k: int(v) for k, v in (counterexample.get("indices") or {}).items()}}
    shapes_only = bool(counterexample.get("shapes_only"))
    for name, shape in part.shapes.items():
        if name not in raw:
            continue
        v = raw[name]
        if shape == ():
            if isinstance(v, list):
                if len(v) != 1 or not isinstance(v[0], list) or len(v[0]) != 1:
                    return False
                v = v[0][0]
            env[name] = _number(v)
            if name in part.positive and env[name] <= 0 and not shapes_only:
                return False
            continue
        m = _arr([[_number(x) for x in (row if isinstance(row, list) else [row])]
                  for row in (v if isinstance(v, list) else [[v]])])
        for d, actual in zip(shape, m.shape):
            if isinstance(d, int) and d != actual:
                return False
            if isinstance(d, str) and sizes.setdefault(d, actual) != actual:
                return False
        if not shapes_only:
            if name in part.symmetric and any(m[i, j] != m[j, i] for i in range(m.shape[0]) for j in range(m.shape[1])):
                return False
            if name in part.totals and sum(m.flat, Fraction(0)) != part.totals[name]:
                return False
        env[name] = m
    env["#sizes"] = sizes
    if any(not size_ok(part, d, v) for d, v in sizes.items()):
        return False  # a size the material rules out ("with $n = 3$", "for $n \\ge 5$", "where $n$ is odd")
    if not shapes_only and not _conditions_hold(part, env):
        return False
    table, dtable = {}, {}
    for key, v in counterexample["values"].items():
        m = _PHI.match(key)
        if m:
            (dtable if m.group(1) else table)[_number(m.group(2))] = _number(v)
    if table or dtable:
        env["#phi"] = _Phi(table=table, dtable=dtable)
    layout = counterexample.get("layout")
    layouts = (layout,) if step.derivative and layout in ("row", "column") else _layouts(step)
    try:
        return all(decide(step, env, lay) is False for lay in layouts)
    except (KeyError, TypeError, ZeroDivisionError, ValueError, AttributeError):
        return False


# -- printing


@dataclasses.dataclass
class Style:
    transpose: str = "^\\top"
    bold: bool = False


def style(src: Source) -> Style:
    return Style(src.choice(["^\\top", "^T", "^{\\top}", "^{\\mathsf T}"]), src.integer(0, 2) == 0)


class _Names:
    """LaTeX of a letter in the part's style: `\\mathbf{W}` or `W`; `.t(...)` its transpose."""

    def __init__(self, st: Style) -> None:
        self.st = st

    def __call__(self, letter: str) -> str:
        if letter.startswith("\\") or not self.st.bold:
            return letter
        return f"\\mathbf{{{letter}}}"

    def t(self, tex: str) -> str:
        return tex + self.st.transpose


def _space(shape: tuple) -> str:
    if shape == ():
        return "\\mathbb{R}"
    r, c = shape
    return f"\\mathbb{{R}}^{{{r}}}" if c == 1 else f"\\mathbb{{R}}^{{{r} \\times {c}}}"


def _declare(nm: _Names, part: Part, names: list, extra: str = "") -> str:
    listed = [f"${nm(n)} \\in {_space(part.shapes[_key(n)])}$" for n in names]
    text = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return f"Let {text}{extra}"


def _sizes(src: Source, k: int) -> list:
    out: list = []
    while len(out) < k:
        s = src.choice(["m", "n", "q", "r", "d", "N"]) if src.integer(0, 5) else src.integer(2, 3)
        if s not in out:
            out.append(s)
    return out


@dataclasses.dataclass
class Material:
    text: str
    steps: list


class _Builder:
    """The steps of one part: each true as built, or replaced by a planted slip the evaluator shows false."""

    def __init__(self, src: Source, slips: bool, part: Part) -> None:
        self.src, self.slips, self.part, self.steps = src, slips, part, []

    def step(self, family: str, left: str, left_f, right: str, right_f, slip_options=(), derivative=False) -> None:
        rng = random.Random(repr((family, left, right, self.part.layouts)))
        true = Expected(left, right, "true", family, self.part, left_f, right_f, derivative)
        if not holds(true, rng):
            return  # true only under a layout the material rules out: not a step to print
        options = [o for o in slip_options if o]
        if self.slips and options and self.src.integer(0, 1):
            kind, planted, planted_f = self.src.choice(options)
            wrong = Expected(left, planted, "slip", f"{family}/{kind}", self.part, left_f, planted_f, derivative)
            found = witness(wrong, rng)
            if found is not None:
                wrong.witness = found
                self.steps.append(wrong)
                return
        self.steps.append(true)


def _show(steps: list) -> str:
    return "\n\n".join(f"$${s.text}$$" for s in steps)


def _d(top: str, var: str) -> str:
    return f"\\frac{{\\partial {top}}}{{\\partial {var}}}"


def _layout_forms(part: Part, row: tuple, column: tuple) -> tuple:
    """One of the forms of a derivative: the numerator one (row) or the denominator one (column), as the part allows;
    the other is the planted 'layout' slip (true, and so not planted, where the material allows both)."""
    if part.layouts == ("column",):
        return column, row
    if part.layouts == ("row",):
        return row, column
    return (row, column) if random.Random(repr(row[0])).random() < 0.5 else (column, row)


# -- part kinds


def _linear_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    m, n = _sizes(src, 2)
    part = Part({"W": (m, n), "x": (n, 1), "b": (m, 1), "A": (n, n), "a": (n, 1)}, layouts=doc["layouts"])
    W, x, b, A, a = nm("W"), nm("x"), nm("b"), nm("A"), nm("a")
    bld = _Builder(src, slips, part)
    Wx = lambda e: mm(e["W"], e["x"])  # noqa: E731
    for top, f in ((f"({W} {x})", Wx), (f"({W} {x} + {b})", lambda e: add(Wx(e), e["b"]))):
        (good, good_f), (other, other_f) = _layout_forms(part, (W, lambda e: e["W"]), (nm.t(W), lambda e: T(e["W"])))
        bld.step("jacobian/linear", _d(top, x), lambda e, f=f: jacobian(f, e, "x", False), good, good_f,
                 [("layout", other, other_f), ("operand", nm.t(x), lambda e: T(e["x"])),
                  ("factor", f"2 {good}", lambda e, g=good_f: scale(2, g(e))),
                  ("operand", f"{good} {x}", lambda e, g=good_f: mm(g(e), e["x"]))], derivative=True)
    (good, good_f), (other, other_f) = _layout_forms(part, (A, lambda e: e["A"]), (nm.t(A), lambda e: T(e["A"])))
    bld.step("jacobian/square", _d(f"({A} {x})", x), lambda e: jacobian(lambda v: mm(v["A"], v["x"]), e, "x", False), good, good_f,
             [("layout", other, other_f), ("factor", f"\\frac{{1}}{{2}} {good}", lambda e, g=good_f: scale(Fraction(1, 2), g(e)))],
             derivative=True)
    (good, good_f), (other, other_f) = _layout_forms(part, (nm.t(a), lambda e: T(e["a"])), (a, lambda e: e["a"]))
    bld.step("gradient/linear", _d(f"({nm.t(a)} {x})", x), lambda e: jacobian(lambda v: mm(T(v["a"]), v["x"]), e, "x", False), good, good_f,
             [("layout", other, other_f), ("operand", x if good == a else nm.t(x),
                                           lambda e: e["x"] if good == a else T(e["x"]))], derivative=True)
    text = _declare(nm, part, [W, x, b, A, a]) + ".\n\n" + _show(bld.steps)
    return text, bld.steps


def _quadratic_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    (n,) = _sizes(src, 1)
    symmetric = src.integer(0, 2) == 0
    part = Part({"x": (n, 1), "A": (n, n)}, symmetric=frozenset({"A"} if symmetric else ()), layouts=doc["layouts"])
    x, A = nm("x"), nm("A")
    bld = _Builder(src, slips, part)
    # ∇ is written only where gradients are columns or the material says nothing (∇ f is a column by convention)
    nabla = doc["layouts"] != ("row",) and src.integer(0, 1)
    quad = lambda e: mm(T(e["x"]), e["A"], e["x"])  # noqa: E731
    half = lambda e: scale(Fraction(1, 2), quad(e))  # noqa: E731
    sym_form = lambda e: add(e["A"], T(e["A"]))  # noqa: E731
    half_tex = src.choice(["\\frac{1}{2}", "\\tfrac12", "\\tfrac{1}{2}", "\\frac12"])

    def grad(top):
        return f"\\nabla_{{{x}}} {top}" if nabla else _d(top, x)

    def forms(col_tex, col_f):
        """The column form and its transpose (the row form), as the part's layout asks."""
        row_tex = f"\\left({col_tex}\\right){st.transpose}"
        if nabla:
            return (col_tex, col_f), (row_tex, lambda e: T(col_f(e)))
        return _layout_forms(part, (row_tex, lambda e: T(col_f(e))), (col_tex, col_f))

    (g, gf), (o, of) = forms(f"2 {x}", lambda e: scale(2, e["x"]))
    bld.step("gradient/norm", grad(f"\\|{x}\\|^2"), lambda e: jacobian(lambda v: _as(sq(v["x"])), e, "x", False), g, gf,
             [("layout", o, of) if not nabla else None,
              ("factor", g.replace("2 ", "", 1), lambda e, gf=gf: scale(Fraction(1, 2), gf(e)))], derivative=True)
    (g, gf), (o, of) = forms(f"({A} + {nm.t(A)}) {x}", lambda e: mm(sym_form(e), e["x"]))
    bld.step("gradient/quadratic", grad(f"({nm.t(x)} {A} {x})"), lambda e: jacobian(quad, e, "x", False), g, gf,
             [("symmetry", f"2 {A} {x}", lambda e: scale(2, mm(e["A"], e["x"]))) if g.endswith(f"{x}") else None,
              ("factor", f"{A} {x}", lambda e: mm(e["A"], e["x"])) if g.endswith(f"{x}") else None,
              ("transpose", f"({A} + {nm.t(A)}) {nm.t(x)}", lambda e: mm(sym_form(e), T(e["x"])))], derivative=True)
    (g, gf), (o, of) = forms(f"{half_tex}({A} + {nm.t(A)}) {x}", lambda e: scale(Fraction(1, 2), mm(sym_form(e), e["x"])))
    bld.step("gradient/half-quadratic", grad(f"{half_tex} {nm.t(x)} {A} {x}"), lambda e: jacobian(half, e, "x", False), g, gf,
             [("symmetry", f"{A} {x}", lambda e: mm(e["A"], e["x"])) if g.endswith(f"{x}") else None,
              ("factor", f"({A} + {nm.t(A)}) {x}", lambda e: mm(sym_form(e), e["x"])) if g.endswith(f"{x}") else None],
             derivative=True)
    hess = f"\\nabla^2_{{{x}}}" if src.integer(0, 1) else f"\\nabla_{{{x}}}^2"
    bld.step("hessian/half-quadratic", f"{hess} {half_tex} {nm.t(x)} {A} {x}", lambda e: hessian(half, e, "x"),
             f"{half_tex}({A} + {nm.t(A)})", lambda e: scale(Fraction(1, 2), sym_form(e)),
             [("symmetry", A, lambda e: e["A"]), ("factor", f"{A} + {nm.t(A)}", sym_form),
              ("transpose", f"{half_tex}({A} + {A})", lambda e: e["A"])])
    bld.step("hessian/quadratic", f"{hess} ({nm.t(x)} {A} {x})", lambda e: hessian(quad, e, "x"),
             f"{A} + {nm.t(A)}", sym_form,
             [("symmetry", f"2 {A}", lambda e: scale(2, e["A"])), ("factor", A, lambda e: e["A"])])
    I = "I" if src.integer(0, 1) else f"I_{{{n}}}" if isinstance(n, str) else "I"
    bld.step("hessian/norm", f"{hess} \\|{x}\\|^2", lambda e: hessian(lambda v: _as(sq(v["x"])), e, "x"),
             f"2 {I}", lambda e: scale(2, eye(_as(e["x"]).shape[0])),
             [("factor", I, lambda e: eye(_as(e["x"]).shape[0]))])
    said = " be symmetric" if symmetric else ""
    text = _declare(nm, part, [x, A], said) + ".\n\n" + _show(bld.steps)
    return text, bld.steps


def _activation_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    k, n = _sizes(src, 2)
    fn = src.choice(["sigmoid", "tanh"])
    part = Part({"z": (k, 1), "W": (k, n), "x": (n, 1), "v": (k, 1)}, layouts=doc["layouts"])
    z, W, x, v, h, u = nm("z"), nm("W"), nm("x"), nm("v"), nm("h"), nm("u")
    f = sigmoid if fn == "sigmoid" else tanh
    call = "\\sigma" if fn == "sigmoid" else "\\tanh"
    H = lambda e: f(e["z"])  # noqa: E731
    one = "1"
    if fn == "sigmoid":
        dtex = f"{call}({z}) \\odot ({one} - {call}({z}))"
        of = lambda a: f"{a} \\odot ({one} - {a})"  # noqa: E731
        dval = lambda s: had(s, sub(_ones_like(s), s))  # noqa: E731
        wrong_d = [("function", f"\\mathrm{{diag}}({h})", lambda e: diag(H(e))),
                   ("factor", f"\\mathrm{{diag}}({one} - {h})", lambda e: diag(sub(_ones_like(H(e)), H(e)))),
                   ("odot", f"\\mathrm{{diag}}({h} ({one} - {h}))", lambda e: diag(mm(H(e), sub(_ones_like(H(e)), H(e)))))]
    else:
        dtex = f"{one} - {call}({z}) \\odot {call}({z})"
        of = lambda a: f"{one} - {a} \\odot {a}"  # noqa: E731
        dval = lambda s: sub(_ones_like(s), had(s, s))  # noqa: E731
        wrong_d = [("square", f"\\mathrm{{diag}}({one} - {h})", lambda e: diag(sub(_ones_like(H(e)), H(e)))),
                   ("sign", f"\\mathrm{{diag}}({one} + {h} \\odot {h})", lambda e: diag(add(_ones_like(H(e)), had(H(e), H(e)))))]
    bld = _Builder(src, slips, part)
    D = lambda e: diag(dval(H(e)))  # noqa: E731
    for right in (f"\\mathrm{{diag}}({dtex})", f"\\operatorname{{diag}}({of(h)})"):
        bld.step(f"jacobian/{fn}", _d(h, z), lambda e: jacobian(H, e, "z", True), right, D, wrong_d, derivative=True)
    # the chain through W x: u = σ(W x), L = v^T u
    U = lambda e: f(mm(e["W"], e["x"]))  # noqa: E731
    Du = lambda e: diag(dval(U(e)))  # noqa: E731
    Dtex = f"\\mathrm{{diag}}({of(u)})"
    (g, gf), (o, of_) = _layout_forms(part, (f"{Dtex} {W}", lambda e: mm(Du(e), e["W"])),
                                      (f"{nm.t(W)} {Dtex}", lambda e: mm(T(e["W"]), Du(e))))
    row = g.endswith(W)
    bld.step(f"chain/{fn}", _d(u, x), lambda e: jacobian(U, e, "x", True), g, gf,
             [("layout", o, of_), ("factor", W if row else nm.t(W), lambda e: e["W"] if row else T(e["W"])),
              ("order", f"{W} {Dtex}" if row else f"{Dtex} {nm.t(W)}",
               lambda e: mm(e["W"], Du(e)) if row else mm(Du(e), T(e["W"])))], derivative=True)
    inner = f"{v} \\odot ({of(u)})" if fn == "tanh" else f"{v} \\odot {u} \\odot ({one} - {u})"
    gcol = lambda e: mm(T(e["W"]), had(e["v"], dval(U(e))))  # noqa: E731
    (g, gf), (o, of_) = _layout_forms(part, (f"\\left({inner}\\right){st.transpose} {W}", lambda e: T(gcol(e))),
                                      (f"{nm.t(W)} \\left({inner}\\right)", gcol))
    column = g.startswith(nm.t(W))
    L = lambda e: mm(T(e["v"]), U(e))  # noqa: E731
    bld.step(f"chain-loss/{fn}", _d("L", x), lambda e: jacobian(L, e, "x", True), g, gf,
             [("layout", o, of_),
              ("factor", f"{nm.t(W)} {v}", lambda e: mm(T(e["W"]), e["v"])) if column else None,
              ("transpose", f"{W} \\left({inner}\\right)", lambda e: mm(e["W"], had(e["v"], dval(U(e))))) if column else None,
              ("odot", f"{nm.t(W)} ({v} ({of(u)}))" if fn == "tanh" else None, lambda e: mm(T(e["W"]), mm(e["v"], dval(U(e)))))
              if column and fn == "tanh" else None], derivative=True)
    what = "the logistic sigmoid" if fn == "sigmoid" else "the hyperbolic tangent"
    text = (_declare(nm, part, [z, W, x, v]) + f". With ${call}$ {what}, applied elementwise, let\n\n$${h} = {call}({z})$$"
            f"\n\n$${u} = {call}({W} {x})$$\n\n$$L = {nm.t(v)} {u}$$\n\n" + _show(bld.steps))
    return text, bld.steps


class _Phi:
    """An activation φ the material leaves arbitrary: a quadratic drawn at random while the generator decides a step
    (central differences of step 1 are then exact), or the table of φ and φ' values a counterexample gives."""

    def __init__(self, rng: Optional[random.Random] = None, table: Optional[dict] = None, dtable: Optional[dict] = None):
        self.table, self.dtable = table, dtable
        self.c = [Fraction(rng.randint(-4, 4), 2) for _ in range(3)] if rng is not None else None
        if self.c is not None and self.c[2] == 0:
            self.c[2] = Fraction(1, 2)

    def __call__(self, a):
        return _arr([[self.at(x) for x in row] for row in _as(a)])

    def at(self, x):
        if self.table is not None:
            return self.table[x]
        return self.c[0] + self.c[1] * x + self.c[2] * x * x

    def d(self, a):
        if self.dtable is not None:
            return _arr([[self.dtable[x] for x in row] for row in _as(a)])
        return _arr([[self.c[1] + 2 * self.c[2] * x for x in row] for row in _as(a)])


def _phi_of(e) -> _Phi:
    return e.get("#phi") or _Phi(random.Random(repr(sorted((k, str(v)) for k, v in e.items() if not k.startswith("#")))))


def _phi_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    k, n = _sizes(src, 2)
    part = Part({"z": (k, 1), "W": (k, n), "x": (n, 1), "b": (k, 1)}, layouts=doc["layouts"])
    z, W, x, b, h, u = nm("z"), nm("W"), nm("x"), nm("b"), nm("h"), nm("u")
    phi = src.choice(["\\phi", "\\sigma"])
    bld = _Builder(src, slips, part)

    def jac_h(e):
        # the Jacobian of φ applied entry by entry: by differences for a drawn φ, from the φ' values of a table
        f = _phi_of(e)
        if f.dtable is not None:
            return diag(f.d(e["z"]))
        return jacobian(lambda v: f(v["z"]), e, "z", False)

    bld.step("jacobian/phi", _d(h, z), jac_h, f"\\operatorname{{diag}}({phi}'({z}))", lambda e: diag(_phi_of(e).d(e["z"])),
             [("function", f"\\operatorname{{diag}}({phi}({z}))", lambda e: diag(_phi_of(e)(e["z"]))),
              ("factor", f"2 \\operatorname{{diag}}({phi}'({z}))", lambda e: scale(2, diag(_phi_of(e).d(e["z"]))))],
             derivative=True)
    pre = lambda e: add(mm(e["W"], e["x"]), e["b"])  # noqa: E731

    def jac_u(e, var):
        f = _phi_of(e)
        if f.dtable is not None:
            d = diag(f.d(pre(e)))
            return mm(d, e["W"]) if var == "x" else d
        return jacobian(lambda v: f(pre(v)), e, var, False)

    D = lambda e: diag(_phi_of(e).d(pre(e)))  # noqa: E731
    Dtex = f"\\operatorname{{diag}}({phi}'({W} {x} + {b}))"
    (g, gf), (o, of_) = _layout_forms(part, (f"{Dtex} {W}", lambda e: mm(D(e), e["W"])),
                                      (f"{nm.t(W)} {Dtex}", lambda e: mm(T(e["W"]), D(e))))
    row = g.endswith(W)
    bld.step("chain/phi", _d(u, x), lambda e: jac_u(e, "x"), g, gf,
             [("layout", o, of_), ("factor", W if row else nm.t(W), lambda e: e["W"] if row else T(e["W"])),
              ("odot", f"{phi}'({W} {x} + {b}) {W}" if row else f"{nm.t(W)} {phi}'({W} {x} + {b})",
               lambda e: mm(_phi_of(e).d(pre(e)), e["W"]) if row else mm(T(e["W"]), _phi_of(e).d(pre(e))))],
             derivative=True)
    bld.step("chain/phi-bias", _d(u, b), lambda e: jac_u(e, "b"), Dtex, D,
             [("function", f"\\operatorname{{diag}}({phi}({W} {x} + {b}))", lambda e: diag(_phi_of(e)(pre(e)))),
              ("operand", W, lambda e: e["W"])], derivative=True)
    text = (_declare(nm, part, [z, W, x, b]) + f". For an activation function ${phi}$ applied elementwise, let\n\n"
            f"$${h} = {phi}({z})$$\n\n$${u} = {phi}({W} {x} + {b})$$\n\n" + _show(bld.steps))
    return text, bld.steps


def _ones_like(s):
    return _arr([[Fraction(1) if not isinstance(x, float) else 1.0 for x in row] for row in _as(s)])


def _least_squares_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    N, d = _sizes(src, 2)
    part = Part({"X": (N, d), "w": (d, 1), "y": (N, 1), "lambda": ()}, positive=frozenset({"lambda"}),
                layouts=doc["layouts"])
    X, w, y = nm("X"), nm("w"), nm("y")
    bld = _Builder(src, slips, part)
    r = lambda e: sub(mm(e["X"], e["w"]), e["y"])  # noqa: E731
    E = lambda e: _as(sq(r(e)))  # noqa: E731
    R = lambda e: add(E(e), scale(e["lambda"], _as(sq(e["w"]))))  # noqa: E731
    XtX = lambda e: mm(T(e["X"]), e["X"])  # noqa: E731
    hess = f"\\nabla^2_{{{w}}}" if src.integer(0, 1) else f"\\nabla_{{{w}}}^2"
    loss = f"\\|{X} {w} - {y}\\|^2"
    bld.step("hessian/least-squares", f"{hess} {loss}", lambda e: hessian(E, e, "w"), f"2 {nm.t(X)} {X}",
             lambda e: scale(2, XtX(e)),
             [("factor", f"{nm.t(X)} {X}", XtX), ("transpose", f"2 {X} {nm.t(X)}", lambda e: scale(2, mm(e["X"], T(e["X"]))))])
    bld.step("hessian/half-least-squares", f"{hess} \\frac{{1}}{{2}} {loss}",
             lambda e: hessian(lambda v: scale(Fraction(1, 2), E(v)), e, "w"), f"{nm.t(X)} {X}", XtX,
             [("factor", f"2 {nm.t(X)} {X}", lambda e: scale(2, XtX(e)))])
    bld.step("hessian/ridge", f"{hess} \\left({loss} + \\lambda \\|{w}\\|^2\\right)", lambda e: hessian(R, e, "w"),
             f"2 ({nm.t(X)} {X} + \\lambda I)", lambda e: scale(2, add(XtX(e), scale(e["lambda"], eye(_as(e["w"]).shape[0])))),
             [("factor", f"2 {nm.t(X)} {X} + \\lambda I",
               lambda e: add(scale(2, XtX(e)), scale(e["lambda"], eye(_as(e["w"]).shape[0])))),
              ("missing", f"2 ({nm.t(X)} {X} + I)", lambda e: scale(2, add(XtX(e), eye(_as(e["w"]).shape[0]))))])
    if doc["layouts"] != ("row",):
        bld.step("gradient/least-squares", f"\\nabla_{{{w}}} {loss}", lambda e: jacobian(E, e, "w", False),
                 f"2 {nm.t(X)} ({X} {w} - {y})", lambda e: scale(2, mm(T(e["X"]), r(e))),
                 [("factor", f"{nm.t(X)} ({X} {w} - {y})", lambda e: mm(T(e["X"]), r(e))),
                  ("transpose", f"2 {X} ({X} {w} - {y})", lambda e: scale(2, mm(e["X"], r(e))))], derivative=True)
    bld.step("identity/ridge", f"({nm.t(X)} {X} + \\lambda I) {w}", lambda e: mm(add(XtX(e), scale(e["lambda"], eye(_as(e["w"]).shape[0]))), e["w"]),
             f"{nm.t(X)} {X} {w} + \\lambda {w}", lambda e: add(mm(XtX(e), e["w"]), scale(e["lambda"], e["w"])),
             [("missing", f"{nm.t(X)} {X} {w} + {w}", lambda e: add(mm(XtX(e), e["w"]), e["w"]))])
    bld.step("identity/ridge-form", f"{nm.t(w)} ({nm.t(X)} {X} + \\lambda I) {w}",
             lambda e: mm(T(e["w"]), add(XtX(e), scale(e["lambda"], eye(_as(e["w"]).shape[0]))), e["w"]),
             f"\\|{X} {w}\\|^2 + \\lambda \\|{w}\\|^2", lambda e: _as(sq(mm(e["X"], e["w"])) + e["lambda"] * sq(e["w"])),
             [("missing", f"\\|{X} {w}\\|^2 + \\|{w}\\|^2", lambda e: _as(sq(mm(e["X"], e["w"])) + sq(e["w"])))])
    # the regularised loss as a name the material defines, J = ½‖Xw − y‖² + (λ/2)‖w‖²
    J = lambda e: add(scale(Fraction(1, 2), E(e)), scale(e["lambda"] / 2, _as(sq(e["w"]))))  # noqa: E731
    named = _Builder(src, slips, part)
    eye_w = lambda e: eye(_as(e["w"]).shape[0])  # noqa: E731
    named.step("hessian/named-ridge", f"{hess} J", lambda e: hessian(J, e, "w"), f"{nm.t(X)} {X} + \\lambda I",
               lambda e: add(XtX(e), scale(e["lambda"], eye_w(e))),
               [("factor", f"{nm.t(X)} {X} + \\frac{{\\lambda}}{{2}} I",
                 lambda e: add(XtX(e), scale(e["lambda"] / 2, eye_w(e)))),
                ("missing", f"{nm.t(X)} {X}", XtX), ("transpose", f"{X} {nm.t(X)} + \\lambda I",
                                                      lambda e: add(mm(e["X"], T(e["X"])), scale(e["lambda"], eye_w(e))))])
    if doc["layouts"] != ("row",):
        named.step("gradient/named-ridge", f"\\nabla_{{{w}}} J", lambda e: T(jacobian(J, e, "w", False)),
                   f"{nm.t(X)} ({X} {w} - {y}) + \\lambda {w}", lambda e: add(mm(T(e["X"]), r(e)), scale(e["lambda"], e["w"])),
                   [("missing", f"{nm.t(X)} ({X} {w} - {y})", lambda e: mm(T(e["X"]), r(e))),
                    ("factor", f"{nm.t(X)} ({X} {w} - {y}) + 2 \\lambda {w}",
                     lambda e: add(mm(T(e["X"]), r(e)), scale(2 * e["lambda"], e["w"]))),
                    ("transpose", f"({X} {w} - {y}){st.transpose} {X} + \\lambda {w}",
                     lambda e: add(mm(T(r(e)), e["X"]), scale(e["lambda"], e["w"])))])
    text = (_declare(nm, part, [X, w, y]) + ". Let $\\lambda > 0$.\n\n" + _show(bld.steps) + "\n\nThe regularised "
            f"loss is\n\n$$J = \\frac{{1}}{{2}} \\|{X} {w} - {y}\\|^2 + \\frac{{\\lambda}}{{2}} \\|{w}\\|^2$$\n\n"
            + _show(named.steps))
    bld.steps += named.steps
    return text, bld.steps


def _index_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    m, n, p = _sizes(src, 3)
    part = Part({"W": (m, n), "x": (n, 1), "y": (m, 1), "A": (m, p), "B": (p, m), "C": (n, n)})
    W, x, y, A, B, C = (nm(c) for c in "WxyABC")
    bld = _Builder(src, slips, part)
    ix = lambda e, c: e["#indices"][c]  # noqa: E731
    size = lambda e, s: e["#sizes"][s] if isinstance(s, str) else s  # noqa: E731

    def bound(s):
        return s if isinstance(s, str) else str(s)

    def less(s):
        return f"{s} - 1" if isinstance(s, str) else str(s - 1)

    Wx_i = lambda e: entry(mm(e["W"], e["x"]), ix(e, "i"))  # noqa: E731
    bld.step("entry/matrix-vector", f"({W} {x})_i", Wx_i, f"\\sum_{{j=1}}^{{{bound(n)}}} W_{{ij}} x_j",
             lambda e: total(1, size(e, n), lambda j: entry(e["W"], ix(e, "i"), j) * entry(e["x"], j)),
             [("index-order", f"\\sum_{{j=1}}^{{{bound(n)}}} W_{{ji}} x_j",
               lambda e: total(1, size(e, n), lambda j: entry(e["W"], j, ix(e, "i")) * entry(e["x"], j))),
              ("bound", f"\\sum_{{j=1}}^{{{less(n)}}} W_{{ij}} x_j",
               lambda e: total(1, size(e, n) - 1, lambda j: entry(e["W"], ix(e, "i"), j) * entry(e["x"], j))),
              ("bound", f"\\sum_{{j=2}}^{{{bound(n)}}} W_{{ij}} x_j",
               lambda e: total(2, size(e, n), lambda j: entry(e["W"], ix(e, "i"), j) * entry(e["x"], j)))])
    bld.step("entry/transposed-product", f"({nm.t(W)} {y})_j", lambda e: entry(mm(T(e["W"]), e["y"]), ix(e, "j")),
             f"\\sum_{{i=1}}^{{{bound(m)}}} W_{{ij}} y_i",
             lambda e: total(1, size(e, m), lambda i: entry(e["W"], i, ix(e, "j")) * entry(e["y"], i)),
             [("index-order", f"\\sum_{{i=1}}^{{{bound(m)}}} W_{{ji}} y_i",
               lambda e: total(1, size(e, m), lambda i: entry(e["W"], ix(e, "j"), i) * entry(e["y"], i)))])
    bld.step("entry/product", f"({A} {B})_{{ij}}", lambda e: entry(mm(e["A"], e["B"]), ix(e, "i"), ix(e, "j")),
             f"\\sum_{{k=1}}^{{{bound(p)}}} A_{{ik}} B_{{kj}}",
             lambda e: total(1, size(e, p), lambda k: entry(e["A"], ix(e, "i"), k) * entry(e["B"], k, ix(e, "j"))),
             [("index-order", f"\\sum_{{k=1}}^{{{bound(p)}}} A_{{ki}} B_{{jk}}",
               lambda e: total(1, size(e, p), lambda k: entry(e["A"], k, ix(e, "i")) * entry(e["B"], ix(e, "j"), k))),
              ("index-order", f"\\sum_{{k=1}}^{{{bound(p)}}} A_{{ik}} B_{{jk}}",
               lambda e: total(1, size(e, p), lambda k: entry(e["A"], ix(e, "i"), k) * entry(e["B"], ix(e, "j"), k)))])
    bld.step("entry/transpose", f"({nm.t(A)})_{{ij}}", lambda e: entry(T(e["A"]), ix(e, "i"), ix(e, "j")), "A_{ji}",
             lambda e: entry(e["A"], ix(e, "j"), ix(e, "i")),
             [("transpose", "A_{ij}", lambda e: entry(e["A"], ix(e, "i"), ix(e, "j")))])
    bld.step("trace/entries", f"\\operatorname{{tr}}({C})", lambda e: tr(e["C"]),
             f"\\sum_{{i=1}}^{{{bound(n)}}} C_{{ii}}", lambda e: total(1, size(e, n), lambda i: entry(e["C"], i, i)),
             [("bound", f"\\sum_{{i=1}}^{{{less(n)}}} C_{{ii}}",
               lambda e: total(1, size(e, n) - 1, lambda i: entry(e["C"], i, i))),
              ("factor", f"2 \\sum_{{i=1}}^{{{bound(n)}}} C_{{ii}}", lambda e: 2 * total(1, size(e, n), lambda i: entry(e["C"], i, i)))])
    bld.step("trace/frobenius", f"\\operatorname{{tr}}({nm.t(A)} {A})", lambda e: tr(mm(T(e["A"]), e["A"])),
             f"\\sum_{{i=1}}^{{{bound(m)}}} \\sum_{{j=1}}^{{{bound(p)}}} A_{{ij}}^2",
             lambda e: total(1, size(e, m), lambda i: total(1, size(e, p), lambda j: entry(e["A"], i, j) ** 2)),
             [("bound", f"\\sum_{{i=1}}^{{{bound(m)}}} \\sum_{{j=1}}^{{{less(p)}}} A_{{ij}}^2",
               lambda e: total(1, size(e, m), lambda i: total(1, size(e, p) - 1, lambda j: entry(e["A"], i, j) ** 2))),
              ("transpose", f"\\operatorname{{tr}}({A} {A})", lambda e: tr(mm(e["A"], e["A"])))])
    bld.step("trace/product", f"\\operatorname{{tr}}({A} {B})", lambda e: tr(mm(e["A"], e["B"])),
             f"\\sum_{{i=1}}^{{{bound(m)}}} \\sum_{{k=1}}^{{{bound(p)}}} A_{{ik}} B_{{ki}}",
             lambda e: total(1, size(e, m), lambda i: total(1, size(e, p), lambda k: entry(e["A"], i, k) * entry(e["B"], k, i))),
             [("index-order", f"\\sum_{{i=1}}^{{{bound(m)}}} \\sum_{{k=1}}^{{{bound(p)}}} A_{{ik}} B_{{ik}}",
               lambda e: total(1, size(e, m), lambda i: total(1, size(e, p), lambda k: entry(e["A"], i, k) * entry(e["B"], i, k))))])
    bld.step("entry/quadratic-form", f"{nm.t(x)} {C} {x}", lambda e: scalar(mm(T(e["x"]), e["C"], e["x"])),
             f"\\sum_{{i=1}}^{{{bound(n)}}} \\sum_{{j=1}}^{{{bound(n)}}} x_i C_{{ij}} x_j",
             lambda e: total(1, size(e, n), lambda i: total(1, size(e, n), lambda j: entry(e["x"], i) * entry(e["C"], i, j) * entry(e["x"], j))),
             [("index-order", f"\\sum_{{i=1}}^{{{bound(n)}}} \\sum_{{j=1}}^{{{bound(n)}}} x_i C_{{ii}} x_j",
               lambda e: total(1, size(e, n), lambda i: total(1, size(e, n), lambda j: entry(e["x"], i) * entry(e["C"], i, i) * entry(e["x"], j))))])
    text = _declare(nm, part, [W, x, y, A, B, C]) + ".\n\n" + _show(bld.steps)
    return text, bld.steps


def _ones_part(src: Source, slips: bool, doc: dict) -> tuple:
    st = style(src)
    nm = _Names(st)
    n, K = _sizes(src, 2)
    part = Part({"x": (n, 1), "X": (n, K), "A": (n, n), "mu": (), "p": (K, 1), "z": (K, 1)}, totals={"p": Fraction(1)})
    x, X, A, p, z = nm("x"), nm("X"), nm("A"), nm("p"), nm("z")
    one = src.choice(["\\mathbf{1}", "\\mathbf 1", "\\boldsymbol{1}"])
    one_n = f"{one}_{{{n}}}" if src.integer(0, 2) == 0 else one
    bld = _Builder(src, slips, part)
    size = lambda e, s: e["#sizes"][s] if isinstance(s, str) else s  # noqa: E731
    ones_x = lambda e: scalar(mm(T(ones(_as(e["x"]).shape[0])), e["x"]))  # noqa: E731
    bld.step("ones/sum", f"{one_n}{st.transpose} {x}", ones_x, f"\\sum_{{i=1}}^{{{n}}} x_i",
             lambda e: total(1, size(e, n), lambda i: entry(e["x"], i)),
             [("bound", f"\\sum_{{i=1}}^{{{n} - 1}} x_i", lambda e: total(1, size(e, n) - 1, lambda i: entry(e["x"], i))),
              ("square", f"\\sum_{{i=1}}^{{{n}}} x_i^2", lambda e: total(1, size(e, n), lambda i: entry(e["x"], i) ** 2))])
    bld.step("ones/column-sums", f"({nm.t(X)} {one})_j", lambda e: entry(mm(T(e["X"]), ones(_as(e["X"]).shape[0])), e["#indices"]["j"]),
             f"\\sum_{{i=1}}^{{{n}}} X_{{ij}}", lambda e: total(1, size(e, n), lambda i: entry(e["X"], i, e["#indices"]["j"])),
             [("index-order", f"\\sum_{{i=1}}^{{{n}}} X_{{ji}}",
               lambda e: total(1, size(e, n), lambda i: entry(e["X"], e["#indices"]["j"], i)))])
    ones_p = lambda e: scalar(mm(T(ones(_as(e["p"]).shape[0])), e["p"]))  # noqa: E731
    ones_z = lambda e: scalar(mm(T(ones(_as(e["z"]).shape[0])), e["z"]))  # noqa: E731
    bld.step("ones/total", f"{one}{st.transpose} {p} \\, {one}{st.transpose} {z}", lambda e: ones_p(e) * ones_z(e),
             f"{one}{st.transpose} {z}", ones_z,
             [("factor", f"2 \\, {one}{st.transpose} {z}", lambda e: 2 * ones_z(e))])
    bld.step("ones/total-sum", f"{one}{st.transpose} ({p} + {z})", lambda e: scalar(mm(T(ones(_as(e["z"]).shape[0])), add(e["p"], e["z"]))),
             f"1 + {one}{st.transpose} {z}", lambda e: 1 + ones_z(e),
             [("missing", f"{one}{st.transpose} {z}", ones_z)])
    c = src.choice([2, 3])
    bld.step("identity/shift", f"({A} + {c} I) {x}", lambda e: mm(add(e["A"], scale(c, eye(_as(e["A"]).shape[0]))), e["x"]),
             f"{A} {x} + {c} {x}", lambda e: add(mm(e["A"], e["x"]), scale(c, e["x"])),
             [("factor", f"{A} {x} + {x}", lambda e: add(mm(e["A"], e["x"]), e["x"]))])
    bld.step("identity/shift-transpose", f"({A} - \\mu I){st.transpose}", lambda e: T(sub(e["A"], scale(e["mu"], eye(_as(e["A"]).shape[0])))),
             f"{nm.t(A)} - \\mu I", lambda e: sub(T(e["A"]), scale(e["mu"], eye(_as(e["A"]).shape[0]))),
             [("transpose", f"{A} - \\mu I", lambda e: sub(e["A"], scale(e["mu"], eye(_as(e["A"]).shape[0])))),
              ("sign", f"{nm.t(A)} + \\mu I", lambda e: add(T(e["A"]), scale(e["mu"], eye(_as(e["A"]).shape[0]))))])
    text = (_declare(nm, part, [x, X, A]) + f", let $\\mu$ be a scalar and let ${p}, {z} \\in \\mathbb{{R}}^{{{K}}}$, "
            f"where ${p}$ is a distribution, ${one}{st.transpose} {p} = 1$.\n\n" + _show(bld.steps))
    return text, bld.steps


PARTS = {"linear": _linear_part, "phi": _phi_part, "quadratic": _quadratic_part, "activation": _activation_part,
         "least-squares": _least_squares_part, "index": _index_part, "ones": _ones_part}


def generate(src: Source, parts: int = 3, slips: bool = True, kinds: Optional[list] = None) -> Material:
    """A Markdown document of `parts` sections, under one stated layout or none, and each step's truth."""
    layout = src.choice(["none", "none", "numerator", "denominator"])
    doc = {"layouts": {"none": ("row", "column"), "numerator": ("row",), "denominator": ("column",)}[layout]}
    said = {"none": "", "numerator": "We use the numerator layout.", "denominator": "We use the denominator layout."}[layout]
    paragraphs = ["# Generated notes on matrix calculus and index notation"] + ([said] if said else [])
    steps: list = []
    names = kinds or sorted(PARTS)
    for k in range(parts):
        text, expected = {**PARTS, **WORDED_PARTS, **DRAWN_PARTS}[src.choice(names)](src, slips, doc)
        paragraphs.append(f"## Part {k + 1}\n\n{text}")
        steps += expected
    return Material("\n\n".join(paragraphs) + "\n", steps)


# -- the scan's verdicts against the truth


def _flat(text: str) -> str:
    return "".join(text.split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    steps: int = 0
    true: int = 0
    slips: int = 0
    caught: int = 0
    skipped: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    unconfirmed: list = dataclasses.field(default_factory=list)
    misread: list = dataclasses.field(default_factory=list)
    by_family: dict = dataclasses.field(default_factory=dict)
    missed: list = dataclasses.field(default_factory=list)
    vacuous: list = dataclasses.field(default_factory=list)
    reviewed: list = dataclasses.field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for f in ("steps", "true", "slips", "caught", "skipped"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for f in ("false_proofs", "false_alarms", "unconfirmed", "misread", "missed", "vacuous", "reviewed"):
            getattr(self, f).extend(getattr(other, f))
        for fam, (a, b) in other.by_family.items():
            x = self.by_family.setdefault(fam, [0, 0])
            x[0] += a
            x[1] += b

    @property
    def wrong(self) -> list:
        return self.false_proofs + self.false_alarms + self.unconfirmed + self.misread


def judge(material: Material, report: dict) -> Tally:
    """Each step of the scan's JSON report against the generated step it is (by its text); every refutation's
    counterexample replayed by the plain evaluator. Steps the material did not generate (declarations, the stated
    total) may only be definitions or skipped."""
    out = Tally()
    expected: dict = {}
    for e in material.steps:
        expected.setdefault(_flat(e.text), []).append(e)
    for step in report["steps"]:
        same = expected.get(_flat(step["text"]))
        e = same.pop(0) if same else None
        status = step["status"]
        if e is None:
            if status not in ("definition", "skipped"):
                out.misread.append(f"{step['text']}: not a generated step, but {status} ({step['reason'][:160]})")
            continue
        out.steps += 1
        if status in ("skipped", "unknown"):
            out.skipped += 1
        if e.truth == "vacuous":  # under a fact no instance meets: reported, for a course to review
            out.vacuous.append(f"{e.family}: {step['text']}: {status} ({step['reason'][:160]})")
            continue
        if e.truth == "slip":
            out.slips += 1
            fam = out.by_family.setdefault(e.family, [0, 0])
            fam[0] += 1
            if status in ("proved", "checked"):
                out.false_proofs.append(f"{e.family}: {step['text']}: {status} ({step['reason'][:200]})")
            elif status in ("refuted", "needs review"):
                out.caught += 1
                fam[1] += 1
            else:
                out.missed.append(f"{e.family}: {step['text']}: {status} ({step['reason'][:160]})")
        else:
            out.true += 1
            if status == "needs review" and e.part.unread:
                # a condition on a size the scan is not expected to read ("where $n$ is odd"): a failure at a size it
                # may rule out is for a course to review, as the README says
                out.reviewed.append(f"{e.family}: {step['text']}: {step['reason'][:160]}")
            elif status in ("refuted", "needs review"):
                out.false_alarms.append(f"{e.family}: {step['text']}: {status} ({step['reason'][:300]})")
        if status == "refuted" and not confirms(e, step.get("counterexample")):
            out.unconfirmed.append(f"{e.family} ({e.truth}): {step['text']}: {step['reason'][:200]} "
                                   f"{step.get('counterexample')}")
    for e in (e for same in expected.values() for e in same):
        out.misread.append(f"{e.family}: {e.text}: not found by the scan")
    return out


# -- stated sizes, orthogonality, facts and sized identities: parts whose truth depends on what the words state
#
# Each step's truth is fixed by construction over the sizes the part allows (a bound with a constant c on
# (1^T x)^2 / ||x||^2 or ||A||_F^2 / ||A||_2^2 holds exactly up to size c; ||1_n 1_n^T x||^2 = n (1^T x)^2 holds with a
# constant c exactly from size c), and a false step carries an explicit witness the evaluator shows false. Norms that
# are not squared, and operator norms, are floats (numpy), called equal within 1e-9 and different only beyond 1e-6.


_UNREAD = {"odd": ("where ${n}$ is odd", lambda s: s % 2 == 1),
           "even": ("for even ${n}$", lambda s: s % 2 == 0),
           "power": ("where ${n}$ is a power of two", lambda s: s & (s - 1) == 0)}
# the largest size the generator's own truth looks at for a size with no upper bound (every bound it states is a
# constant of at most 5, and a lower bound of at most 5: each fails, if at all, by size 6)
_SIZE_HORIZON = 8


def size_ok(part: Part, name, s: int) -> bool:
    """Whether a size may take the value s under what the part states."""
    lo, hi = part.ranges.get(name, (1, None))
    return s >= lo and (hi is None or s <= hi) and part.unread.get(name, (None, lambda s: True))[1](s)


def _conditions_hold(part: Part, env: dict) -> bool:
    """Whether the values meet what the part states: orthogonal groups, unit norms, Q^T Q = I and orthonormal columns
    or rows, exactly."""
    try:
        for group in part.orthogonal:
            if any(scalar(mm(T(env[a]), env[b])) != 0 for k, a in enumerate(group) for b in group[k + 1:]
                   if a in env and b in env):
                return False
        if any(name in env and sq(env[name]) != 1 for name in part.unit):
            return False
        if any(name in env and sq(env[name]) != length ** 2 for name, length in part.norms.items()):
            return False
        if not all(name not in env or equal(mm(T(env[name]), env[name]), eye(_as(env[name]).shape[0])) is True
                   for name in part.rotations):
            return False
        return all(name not in env or (equal(mm(T(env[name]), env[name]), eye(_as(env[name]).shape[1])) if which == "columns"
                                       else equal(mm(env[name], T(env[name])), eye(_as(env[name]).shape[0]))) is True
                   for name, which in part.frames.items())
    except _Undefined:
        return False


def allowed(part: Part, name) -> list:
    """The sizes a size name may take under what the part states (numbers stand for themselves), up to the horizon."""
    if isinstance(name, int):
        return [name]
    lo, hi = part.ranges.get(name, (1, None))
    keep = part.unread.get(name, (None, lambda s: True))[1]
    return [s for s in range(lo, (hi if hi is not None else _SIZE_HORIZON) + 1) if keep(s)]


def _cayley(n: int, rng: random.Random) -> numpy.ndarray:
    """A rational orthogonal matrix (I - S)(I + S)^{-1} for a random rational skew-symmetric S, times a signed
    diagonal: Q^T Q = I exactly."""
    S = _arr([[Fraction(0)] * n for _ in range(n)])
    for i in range(n):
        for j in range(i + 1, n):
            v = Fraction(rng.choice((-2, -1, 1, 2)), rng.choice((1, 2, 3)))
            S[i, j], S[j, i] = v, -v
    plus = add(eye(n), S)
    Q = mm(sub(eye(n), S), _inverse(plus))
    signs = diag(_arr([[Fraction(rng.choice((1, -1)))] for _ in range(n)]))
    return mm(Q, signs)


def _inverse(a) -> numpy.ndarray:
    """Gauss-Jordan over the fractions."""
    n = a.shape[0]
    m = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(a)]
    for c in range(n):
        p = next(r for r in range(c, n) if m[r][c] != 0)
        m[c], m[p] = m[p], m[c]
        m[c] = [x / m[c][c] for x in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                m[r] = [x - m[r][c] * y for x, y in zip(m[r], m[c])]
    return _arr([row[n:] for row in m])


def _gram_schmidt(vectors: list) -> list:
    out: list = []
    for v in vectors:
        for w in out:
            if sq(w):
                v = sub(v, scale(scalar(mm(T(w), v)) / sq(w), w))
        out.append(v)
    return out


def root(q) -> Any:
    """The square root of a nonnegative rational: exact where it is a rational, else a float."""
    q = Fraction(q)
    a, b = math.isqrt(q.numerator), math.isqrt(q.denominator)
    if a * a == q.numerator and b * b == q.denominator:
        return Fraction(a, b)
    return math.sqrt(q)


def norm(v) -> Any:
    """‖v‖ (Frobenius for a matrix)."""
    return root(sq(v))


def opnorm2(a) -> Any:
    """‖A‖_2², the largest eigenvalue of AᵀA (numpy, in floats; exact for a vector or a matrix with one row or column)."""
    a = _as(a)
    if 1 in a.shape:
        return sq(a)
    return float(numpy.linalg.norm(numpy.array(a, dtype=float), 2)) ** 2


def compare(a, relation: str, b) -> Optional[bool]:
    """The relation between two numbers (or an equality of matrices); None when floats are too close to call."""
    if relation == "=" or isinstance(a, numpy.ndarray) or isinstance(b, numpy.ndarray):
        return equal(a, b) if relation == "=" else None
    if not (isinstance(a, float) or isinstance(b, float)):
        return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b}[relation]
    gap = (float(a) - float(b)) / (1 + abs(float(a)) + abs(float(b)))
    if abs(gap) <= 1e-9:
        return relation in ("<=", ">=")
    if abs(gap) < 1e-6:
        return None
    return {"<=": gap < 0, ">=": gap > 0, "<": gap < 0, ">": gap > 0}[relation]


def _structured(part: Part, s: int, rng: random.Random) -> dict:
    """Every size name at s (where the part allows it), every vector all ones, every matrix the identity (a block of
    it), orthogonal groups and unit vectors as the part states them."""
    sizes = {d: s for shape in part.shapes.values() for d in shape if isinstance(d, str)}
    env = instance(part, rng, sizes)
    for name, shape in part.shapes.items():
        if shape == () or name in part.unit or name in part.rotations or any(name in g for g in part.orthogonal):
            continue
        r, c = _as(env[name]).shape
        env[name] = ones(r) if c == 1 else _arr([[Fraction(int(i == j)) for j in range(c)] for i in range(r)])
    return env


def find_witness(step: Expected, rng: random.Random, tries: int = 40) -> Optional[dict]:
    """An instance the part allows at which the step fails: drawn at its small sizes, then structured at each size it
    allows up to the horizon; None when none is found (the step is true by construction of its family)."""
    names = sorted({d for shape in step.part.shapes.values() for d in shape if isinstance(d, str)})
    for _ in range(tries):
        try:
            env = instance(step.part, rng)
        except _Undefined:
            continue
        if decide(step, env) is False:
            return {"row": env}
    # (where every size is a number, once at those sizes)
    common = sorted(set.intersection(*(set(allowed(step.part, d)) for d in names))) if names else [0]
    for s in common:
        try:
            env = _structured(step.part, s, rng)
        except _Undefined:
            continue
        if decide(step, env) is False:
            return {"row": env}
    return None


class _Labelled:
    """The steps of a part whose truth depends on what its words state: each printed as built and labelled true or
    false by the evaluator over the instances the part allows (a false one keeps its witness)."""

    def __init__(self, part: Part, prefix: str) -> None:
        self.part, self.prefix, self.steps = part, prefix, []

    def step(self, family: str, left: str, relation: str, right: str, left_f, right_f) -> Expected:
        e = Expected(left, right, "true", f"{self.prefix}/{family}", self.part, left_f, right_f, relation=relation)
        found = find_witness(e, random.Random(repr((family, left, right, relation))))
        if found is not None:
            e.truth, e.witness = "slip", found
        self.steps.append(e)
        return e


def _size_statement(src: Source, n: str) -> tuple:
    """How the part states the size n: (its words, ranges, unread conditions)."""
    kind = src.choice(["none", "none", "value", "upper", "lower", "unread", "strict"])
    k = src.integer(2, 4)
    if kind == "value":
        return f" with ${n} = {k}$", {n: (k, k)}, {}
    if kind == "upper":
        return src.choice([f" with ${n} \\le {k}$", f", where ${n} \\leq {k}$"]), {n: (1, k)}, {}
    if kind == "strict":
        return f" with ${n} < {k + 1}$", {n: (1, k)}, {}
    if kind == "lower":
        k = src.integer(2, 5)
        return src.choice([f" for ${n} \\ge {k}$", f" with ${n} \\geq {k}$", f". Assume ${n} \\ge {k}$"]), {n: (k, None)}, {}
    if kind == "unread":
        which = src.choice(sorted(_UNREAD))
        phrase, keep = _UNREAD[which]
        return " " + phrase.replace("{n}", n), {}, {n: (phrase, keep)}
    return "", {}, {}


def _sizes_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Bounds with a constant that hold only up to a size, or only from one, under a stated value, bounds, a
    condition on the size the scan does not read, or nothing; and a size fixed by a number."""
    st = style(src)
    nm = _Names(st)
    fixed = src.integer(0, 4) == 0
    n = src.integer(2, 4) if fixed else src.choice(["n", "d", "m", "q"])
    said, ranges, unread = ("", {}, {}) if fixed else _size_statement(src, n)
    part = Part({"x": (n, 1), "A": (n, n)}, ranges=ranges, unread=unread)
    x, A = nm("x"), nm("A")
    one = src.choice(["\\mathbf{1}", "\\mathbf 1", "\\boldsymbol{1}"])
    sized_one = f"{one}_{{{n}}}"
    lab = _Labelled(part, "size")
    size = lambda e: _as(e["x"]).shape[0]  # noqa: E731
    ones_x = lambda e: scalar(mm(T(ones(size(e))), e["x"]))  # noqa: E731
    picks = src.choice([(2, 3), (3, 4), (2, 5), (3, 5)])
    for c in picks:
        lab.step("bound-ones", f"({one}{st.transpose} {x})^2", "<=", f"{c} \\|{x}\\|^2", lambda e: ones_x(e) ** 2,
                 lambda e, c=c: c * sq(e["x"]))
    c = src.choice(picks)
    lab.step("bound-sum", f"\\left(\\sum_{{i=1}}^{{{n}}} x_i\\right)^2", "<=", f"{c} \\sum_{{i=1}}^{{{n}}} x_i^2",
             lambda e: total(1, size(e), lambda i: entry(e["x"], i)) ** 2,
             lambda e, c=c: c * total(1, size(e), lambda i: entry(e["x"], i) ** 2))
    lab.step("bound-frobenius", f"\\|{A}\\|_F^2", "<=", f"{c} \\|{A}\\|_2^2", lambda e: sq(e["A"]),
             lambda e, c=c: c * opnorm2(e["A"]))
    lab.step("bound-frobenius-size", f"\\|{A}\\|_F^2", "<=", f"{n} \\|{A}\\|_2^2", lambda e: sq(e["A"]),
             lambda e: _as(e["A"]).shape[0] * opnorm2(e["A"]))
    lab.step("bound-cauchy-schwarz", f"({one}{st.transpose} {x})^2", "<=", f"{n} \\|{x}\\|^2",
             lambda e: ones_x(e) ** 2, lambda e: size(e) * sq(e["x"]))
    c = src.integer(2, 5)
    lab.step("lower-bound-ones", f"\\|{sized_one} {sized_one}{st.transpose} {x}\\|^2", ">=",
             f"{c} ({sized_one}{st.transpose} {x})^2", lambda e: sq(mm(ones(size(e)), T(ones(size(e))), e["x"])),
             lambda e, c=c: c * ones_x(e) ** 2)
    lab.step("sized-ones", f"\\|{sized_one} {sized_one}{st.transpose} {x}\\|^2", "=",
             f"{n} ({sized_one}{st.transpose} {x})^2", lambda e: sq(mm(ones(size(e)), T(ones(size(e))), e["x"])),
             lambda e: size(e) * ones_x(e) ** 2)
    k = src.integer(2, 4)
    lab.step("value-ones", f"\\|{sized_one} {sized_one}{st.transpose} {x}\\|^2", "=",
             f"{k} ({sized_one}{st.transpose} {x})^2", lambda e: sq(mm(ones(size(e)), T(ones(size(e))), e["x"])),
             lambda e, k=k: k * ones_x(e) ** 2)
    steps = [s for s in lab.steps if slips or s.truth == "true"]
    text = f"Let ${x} \\in {_space((n, 1))}$ and ${A} \\in {_space((n, n))}${said}.\n\n" + _show(steps)
    return text, steps


def _orthogonal_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Pythagoras and norm preservation, true only where the words state orthogonality, and slips false even so."""
    st = style(src)
    nm = _Names(st)
    (n,) = _sizes(src, 1)
    u, v, x, y, Q = (nm(c) for c in "uvxyQ")
    vectors = src.choice(["orthogonal", "orthogonal", "orthonormal", "none"])
    matrix = src.choice(["orthogonal", "gram", "orthonormal", "none"])
    part = Part({"u": (n, 1), "v": (n, 1), "x": (n, 1), "y": (n, 1), "Q": (n, n)},
                orthogonal=(("u", "v"),) if vectors != "none" else (),
                unit=frozenset({"u", "v"} if vectors == "orthonormal" else ()),
                rotations=frozenset({"Q"} if matrix != "none" else ()))
    said_uv = {"orthogonal": src.choice([f"Let ${u}, {v} \\in {_space((n, 1))}$ be orthogonal vectors.",
                                         f"Let ${u} \\in {_space((n, 1))}$ and ${v} \\in {_space((n, 1))}$. Suppose "
                                         f"${u}$ and ${v}$ are orthogonal.",
                                         f"The vectors ${u}, {v} \\in {_space((n, 1))}$ are orthogonal."]),
               "orthonormal": f"Let ${u}, {v} \\in {_space((n, 1))}$ be orthonormal vectors.",
               "none": f"Let ${u}, {v} \\in {_space((n, 1))}$."}[vectors]
    said_q = {"orthogonal": src.choice([f"Let ${Q} \\in {_space((n, n))}$ be orthogonal",
                                        f"Let ${Q} \\in {_space((n, n))}$ be an orthogonal matrix"]),
              "gram": f"Let ${Q} \\in {_space((n, n))}$ with ${nm.t(Q)} {Q} = I$",
              "orthonormal": f"Let ${Q} \\in {_space((n, n))}$ be orthonormal",
              "none": f"Let ${Q} \\in {_space((n, n))}$"}[matrix]
    said_q += f" and let ${x}, {y} \\in {_space((n, 1))}$."
    lab = _Labelled(part, "orthogonal")
    norm_of = lambda f: lambda e: norm(f(e))  # noqa: E731
    uv = [("pythagoras", f"\\|{u} + {v}\\|^2", "=", f"\\|{u}\\|^2 + \\|{v}\\|^2", lambda e: sq(add(e["u"], e["v"])),
           lambda e: sq(e["u"]) + sq(e["v"])),
          ("pythagoras-minus", f"\\|{u} - {v}\\|^2", "=", f"\\|{u}\\|^2 + \\|{v}\\|^2", lambda e: sq(sub(e["u"], e["v"])),
           lambda e: sq(e["u"]) + sq(e["v"])),
          ("parallelogram", f"\\|{u} - {v}\\|", "=", f"\\|{u} + {v}\\|", norm_of(lambda e: sub(e["u"], e["v"])),
           norm_of(lambda e: add(e["u"], e["v"]))),
          ("sign", f"\\|{u} + {v}\\|^2", "=", f"\\|{u}\\|^2 - \\|{v}\\|^2", lambda e: sq(add(e["u"], e["v"])),
           lambda e: sq(e["u"]) - sq(e["v"])),
          ("triangle", f"\\|{u} + {v}\\|", "=", f"\\|{u}\\| + \\|{v}\\|", norm_of(lambda e: add(e["u"], e["v"])),
           lambda e: norm(e["u"]) + norm(e["v"])),
          ("unit", f"\\|{u}\\|", "=", f"\\|{v}\\|", norm_of(lambda e: e["u"]), norm_of(lambda e: e["v"])),
          ("unit-sum", f"\\|{u} + {v}\\|^2", "=", f"2 \\|{u}\\|^2", lambda e: sq(add(e["u"], e["v"])),
           lambda e: 2 * sq(e["u"]))]
    Qx = lambda e: mm(e["Q"], e["x"])  # noqa: E731
    qs = [("norm", f"\\|{Q} {x}\\|", "=", f"\\|{x}\\|", norm_of(Qx), norm_of(lambda e: e["x"])),
          ("norm-squared", f"\\|{Q} {x}\\|^2", "=", f"{nm.t(x)} {x}", lambda e: sq(Qx(e)), lambda e: sq(e["x"])),
          ("inner", f"({Q} {x}){st.transpose} ({Q} {y})", "=", f"{nm.t(x)} {y}",
           lambda e: scalar(mm(T(Qx(e)), e["Q"], e["y"])), lambda e: scalar(mm(T(e["x"]), e["y"]))),
          ("inverse", f"{Q} {nm.t(Q)} {x}", "=", x, lambda e: mm(e["Q"], T(e["Q"]), e["x"]), lambda e: e["x"]),
          ("factor", f"\\|{Q} {x}\\|^2", "=", f"2 {nm.t(x)} {x}", lambda e: sq(Qx(e)), lambda e: 2 * sq(e["x"])),
          ("transpose", f"{nm.t(Q)} {x}", "=", f"{Q} {x}", lambda e: mm(T(e["Q"]), e["x"]), Qx),
          ("bound", f"\\|{Q} {x}\\|", "<=", f"\\|{x}\\|", norm_of(Qx), norm_of(lambda e: e["x"]))]
    chosen = [src.choice(uv) for _ in range(3)] + [src.choice(qs) for _ in range(3)]
    seen: set = set()
    for fam, left, rel, right, lf, rf in chosen:
        if (left, right) not in seen:
            seen.add((left, right))
            lab.step(fam, left, rel, right, lf, rf)
    steps = [s for s in lab.steps if slips or s.truth == "true"]
    vec = [s for s in steps if s.family.split("/")[1] in {t[0] for t in uv}]
    mat = [s for s in steps if s not in vec]
    text = said_uv + "\n\n" + _show(vec) + "\n\n" + said_q + "\n\n" + _show(mat)
    return text, steps


def _facts_part(src: Source, slips: bool, doc: dict) -> tuple:
    """A relation between a norm and a number: stated in words (a fact the steps after it hold under), printed bare as
    a step (never a fact: a step that holds only under it is false), or an impossible fact in words."""
    st = style(src)
    nm = _Names(st)
    (n,) = _sizes(src, 1)
    x = nm("x")
    how = src.choice(["words", "words", "bare", "impossible"])
    part = Part({"x": (n, 1)}, unit=frozenset({"x"} if how == "words" else ()))
    fact = f"\\|{x}\\| = {'-1' if how == 'impossible' else '1'}"
    said = {"words": src.choice([f"Assume ${fact}$.", f"Suppose that ${fact}$.", f"Let ${fact}$."]),
            "impossible": f"Assume ${fact}$.", "bare": f"We have\n\n$${fact}$$"}[how]
    lab = _Labelled(part, f"fact-{how}")
    steps = []
    if how == "bare":  # the bare relation is a step of the material: false (x is any vector)
        steps.append(lab.step("bare", f"\\|{x}\\|", "=", "1", lambda e: norm(e["x"]), lambda e: Fraction(1)))
    for fam, left, right, lf, rf in [
            ("square", f"\\|{x}\\|^2", f"\\|{x}\\|", lambda e: sq(e["x"]), lambda e: norm(e["x"])),
            ("scaled", f"\\|2 {x}\\|", f"2 \\|{x}\\|^2", lambda e: norm(scale(2, e["x"])), lambda e: 2 * sq(e["x"])),
            ("inner", f"{nm.t(x)} {x}", f"\\|{x}\\|", lambda e: sq(e["x"]), lambda e: norm(e["x"])),
            ("factor", f"\\|{x}\\|^2", f"2 \\|{x}\\|", lambda e: sq(e["x"]), lambda e: 2 * norm(e["x"]))]:
        steps.append(lab.step(fam, left, "=", right, lf, rf))
    if how == "impossible":
        for e in steps:
            e.truth, e.witness = "vacuous", None  # true of no instance: a course should review the fact
    shown = [s for s in steps if s.family.split("/")[1] != "bare"]
    text = f"Let ${x} \\in {_space((n, 1))}$. {said}\n\n" + _show(shown)
    return text, steps


def _identity_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Identities with their size as a subscript beside a rectangular matrix: I_m W, W I_n, λ I_n in a ridge system;
    slips of size (a shape-only counterexample with a sized I) and of value."""
    st = style(src)
    nm = _Names(st)
    m, n = _sizes(src, 2)
    part = Part({"W": (m, n), "x": (n, 1), "lambda": ()})
    W, x = nm("W"), nm("x")
    I = lambda s: f"I_{{{s}}}" if src.integer(0, 1) else f"I_{s}" if isinstance(s, str) else f"I_{{{s}}}"  # noqa: E731
    size = lambda e, s: e["#sizes"][s] if isinstance(s, str) else s  # noqa: E731
    lab = _Labelled(part, "identity")
    WtW = lambda e: mm(T(e["W"]), e["W"])  # noqa: E731
    options = [("left", f"{I(m)} {W}", W, lambda e: mm(eye(size(e, m)), e["W"]), lambda e: e["W"]),
               ("right", f"{W} {I(n)}", W, lambda e: mm(e["W"], eye(size(e, n))), lambda e: e["W"]),
               ("left-size", f"{I(n)} {W}", W, lambda e: mm(eye(size(e, n)), e["W"]), lambda e: e["W"]),
               ("right-size", f"{W} {I(m)}", W, lambda e: mm(e["W"], eye(size(e, m))), lambda e: e["W"]),
               ("ridge", f"({nm.t(W)} {W} + \\lambda {I(n)}) {x}", f"{nm.t(W)} {W} {x} + \\lambda {x}",
                lambda e: mm(add(WtW(e), scale(e["lambda"], eye(size(e, n)))), e["x"]),
                lambda e: add(mm(WtW(e), e["x"]), scale(e["lambda"], e["x"]))),
               ("ridge-size", f"({nm.t(W)} {W} + \\lambda {I(m)}) {x}", f"{nm.t(W)} {W} {x} + \\lambda {x}",
                lambda e: mm(add(WtW(e), scale(e["lambda"], eye(size(e, m)))), e["x"]),
                lambda e: add(mm(WtW(e), e["x"]), scale(e["lambda"], e["x"]))),
               ("ridge-missing", f"({nm.t(W)} {W} + \\lambda {I(n)}) {x}", f"{nm.t(W)} {W} {x} + {x}",
                lambda e: mm(add(WtW(e), scale(e["lambda"], eye(size(e, n)))), e["x"]),
                lambda e: add(mm(WtW(e), e["x"]), e["x"])),
               ("factor", f"{W} {I(n)} {x}", f"2 {W} {x}", lambda e: mm(e["W"], eye(size(e, n)), e["x"]),
                lambda e: scale(2, mm(e["W"], e["x"]))),
               ("gram", f"{nm.t(W)} {I(m)} {W}", f"{nm.t(W)} {W}", lambda e: mm(T(e["W"]), eye(size(e, m)), e["W"]), WtW),
               ("gram-size", f"{nm.t(W)} {I(n)} {W}", f"{nm.t(W)} {W}", lambda e: mm(T(e["W"]), eye(size(e, n)), e["W"]),
                WtW)]
    seen: set = set()
    for _ in range(4):
        fam, left, right, lf, rf = src.choice(options)
        if fam not in seen:
            seen.add(fam)
            lab.step(fam, left, "=", right, lf, rf)
    steps = [s for s in lab.steps if slips or s.truth == "true"]
    text = f"Let ${W} \\in {_space((m, n))}$, ${x} \\in {_space((n, 1))}$ and let $\\lambda$ be a scalar.\n\n" + _show(steps)
    return text, steps


WORDED_PARTS = {"sizes": _sizes_part, "orthogonal": _orthogonal_part, "facts": _facts_part, "identity": _identity_part}


# -- special draws: orthonormal columns or rows, vectors of stated norm, bounds whose sides grow differently with a size
#
# Each step's truth is a theorem the part knows (Q^T Q = I_k keeps norms of x, and Q^T shrinks them; a vector of norm r
# has x^T x = r^2 and (1^T x)^2 <= n r^2; 1^T x <= c ||x|| holds exactly up to n = c^2, ||A||_F <= c ||A||_2 likewise,
# with equality at a vector of ones and at the identity), and a false step carries a witness built from that theorem
# (a wide or tall Q drawn as the part states it, a vector (3, 4)/5 scaled to norm r, ones at the first size past c^2),
# checked false by the evaluator when the step is built.


def _frac_tex(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"\\frac{{{q.numerator}}}{{{q.denominator}}}"


class _Known:
    """The steps of a part whose truth a theorem decides: each printed as built, with its witness when false."""

    def __init__(self, part: Part, prefix: str) -> None:
        self.part, self.prefix, self.steps = part, prefix, []

    def step(self, family: str, left: str, relation: str, right: str, left_f, right_f, true: bool,
             witness_env: Optional[Callable[[], dict]] = None) -> Expected:
        e = Expected(left, right, "true" if true else "slip", f"{self.prefix}/{family}", self.part, left_f, right_f,
                     relation=relation)
        if any(_flat(s.text) == _flat(e.text) for s in self.steps):
            return e  # (printed once)
        if not true:
            env = witness_env() if witness_env else None
            if env is None:  # drawn: the theorem says some instance the part allows fails; find one
                rng = random.Random(repr((family, left, right)))
                env = next((x for x in (_try_instance(self.part, rng) for _ in range(200))
                            if x is not None and decide(e, x) is False), None)
            if env is None or decide(e, env) is not False:
                raise AssertionError(f"no witness for {e.text}")
            e.witness = {"row": env}
        self.steps.append(e)
        return e


def _try_instance(part: Part, rng: random.Random) -> Optional[dict]:
    try:
        return instance(part, rng)
    except _Undefined:
        return None


def _frames_part(src: Source, slips: bool, doc: dict) -> tuple:
    """A matrix with orthonormal columns (tall or square), orthonormal rows (wide or square), or an orthogonal one,
    stated in words or by Q^T Q = I / Q Q^T = I, and the norms and Gram matrices true of it or not."""
    st = style(src)
    nm = _Names(st)
    n, k = src.choice([("n", "k"), ("m", "r"), ("d", "p")])
    which = src.choice(["columns", "rows", "square"])
    Q, x, y = nm("Q"), nm("x"), nm("y")
    shape = (n, n) if which == "square" else (n, k)
    cols = shape[1]
    part = Part({"Q": shape, "x": (cols, 1), "y": (n, 1)}, frames={"Q": "rows" if which == "rows" else "columns"})
    said = {"columns": src.choice([" have orthonormal columns", f" with ${nm.t(Q)} {Q} = I$",
                                   " be a matrix whose columns are orthonormal"]),
            "rows": src.choice([" have orthonormal rows", f" with ${Q} {nm.t(Q)} = I$",
                                " be a matrix whose rows are orthonormal"]),
            "square": src.choice([" be orthogonal", f" with ${nm.t(Q)} {Q} = I$", " be an orthogonal matrix"])}[which]
    if which != "square" and src.integer(0, 1):
        said += f", where ${k} \\le {n}$" if which == "columns" else f", where ${n} \\le {k}$"
    negated = src.integer(0, 3) == 0
    if negated:  # words that state no condition on Q: every step below is false of some Q
        part = Part({"Q": shape, "x": (cols, 1), "y": (n, 1)})
        said = src.choice([f", where ${Q}$ need not have orthonormal {which if which != 'square' else 'columns'}",
                           f", where ${Q}$ does not have orthonormal {which if which != 'square' else 'rows'}",
                           ", compared with a matrix with orthonormal columns",
                           f", where ${Q}$ is not necessarily orthogonal"])
    lab = _Known(part, f"frames-{which}")
    tall, wide = which in ("columns", "square"), which in ("rows", "square")
    Qx = lambda e: mm(e["Q"], e["x"])  # noqa: E731
    Qty = lambda e: mm(T(e["Q"]), e["y"])  # noqa: E731
    size = lambda e, s: e["#sizes"][s] if isinstance(s, str) else s  # noqa: E731
    options = [("gram-columns", f"{nm.t(Q)} {Q}", "=", f"I_{{{cols}}}", lambda e: mm(T(e["Q"]), e["Q"]),
                lambda e: eye(size(e, cols)), tall),
               ("gram-rows", f"{Q} {nm.t(Q)}", "=", f"I_{{{n}}}", lambda e: mm(e["Q"], T(e["Q"])),
                lambda e: eye(size(e, n)), wide),
               ("norm-x", f"\\|{Q} {x}\\|", "=", f"\\|{x}\\|", lambda e: norm(Qx(e)), lambda e: norm(e["x"]), tall),
               ("bound-x", f"\\|{Q} {x}\\|", "<=", f"\\|{x}\\|", lambda e: norm(Qx(e)), lambda e: norm(e["x"]), True),
               ("norm-y", f"\\|{nm.t(Q)} {y}\\|", "=", f"\\|{y}\\|", lambda e: norm(Qty(e)), lambda e: norm(e["y"]), wide),
               ("bound-y", f"\\|{nm.t(Q)} {y}\\|", "<=", f"\\|{y}\\|", lambda e: norm(Qty(e)), lambda e: norm(e["y"]), True),
               ("square-x", f"\\|{Q} {x}\\|^2", "=", f"{nm.t(x)} {x}", lambda e: sq(Qx(e)), lambda e: sq(e["x"]), tall),
               ("project", f"\\|{Q} {nm.t(Q)} {y}\\|", "<=", f"\\|{y}\\|", lambda e: norm(mm(e["Q"], Qty(e))),
                lambda e: norm(e["y"]), True),
               ("back", f"{nm.t(Q)} {Q} {x}", "=", x, lambda e: mm(T(e["Q"]), Qx(e)), lambda e: e["x"], tall),
               ("bound-wrong", f"\\|{Q} {x}\\|", "<=", f"\\|{x}\\|^2", lambda e: norm(Qx(e)), lambda e: sq(e["x"]), False)]
    seen: set = set()
    for _ in range(5):
        fam, left, rel, right, lf, rf, true = src.choice(options)
        true = true and not negated
        if negated and fam.startswith("gram"):
            continue  # (Q^T Q = I printed where nothing is stated of Q states it: the scan's rule for a condition)
        if fam not in seen and (slips or true):
            seen.add(fam)
            lab.step(fam, left, rel, right, lf, rf, true)
    text = f"Let ${Q} \\in {_space(shape)}${said}, ${x} \\in {_space((cols, 1))}$ and ${y} \\in {_space((n, 1))}$.\n\n" \
        + _show(lab.steps)
    return text, lab.steps


def _norm_witness(part: Part, r: Fraction, n: int, entries: list) -> dict:
    """The instance at size n whose x is r times the unit vector with the given leading entries (the rest 0)."""
    env = instance(part, random.Random(0), {"n": n})
    env["x"] = _arr([[r * v] for v in entries + [Fraction(0)] * (n - len(entries))])
    return env


def _unit_part(src: Source, slips: bool, doc: dict) -> tuple:
    """A vector whose norm r a fact in words states (1, 3, 1/2, 2), with a stated bound on its size or none: steps true
    of every vector of that norm, and steps true only of some (those near an axis, or of norm 1)."""
    st = style(src)
    nm = _Names(st)
    x = nm("x")
    r = src.choice([Fraction(1), Fraction(3), Fraction(1, 2), Fraction(2)])
    bound = src.choice(["none", "none", "upper", "lower"])
    ranges = {"none": {}, "upper": {"n": (1, 2)}, "lower": {"n": (2, None)}}[bound]
    said_n = {"none": "", "upper": " with $n \\le 2$", "lower": " with $n \\ge 2$"}[bound]
    part = Part({"x": ("n", 1)}, ranges=ranges, unit=frozenset(), norms={"x": r})
    fact = src.choice([f"\\|{x}\\| = {_frac_tex(r)}", f"\\|{x}\\|_2 = {_frac_tex(r)}"])
    said = src.choice([f"Assume ${fact}$.", f"Suppose that ${fact}$.", f"Let ${fact}$."] +
                      ([f"Assume ${fact}$, that is, ${x}$ is a unit vector.", f"Let ${x}$ be normalised, ${fact}$."]
                       if r == 1 else []))
    lab = _Known(part, "unit")
    lo = ranges.get("n", (1, None))[0]
    pair = [Fraction(3, 5), Fraction(4, 5)]  # a unit vector away from the axes (at n >= 2)
    ones_x = lambda e: scalar(mm(T(ones(e["x"].shape[0])), e["x"]))  # noqa: E731
    c = src.choice([r, 2 * r, r / 2])
    fourth = lambda e: total(1, e["x"].shape[0], lambda i: entry(e["x"], i) ** 4)  # noqa: E731
    options = [("inner", f"{nm.t(x)} {x}", "=", _frac_tex(r * r), lambda e: sq(e["x"]), lambda e: r * r, True, None),
               ("square", f"\\|{x}\\|^2", "=", _frac_tex(r), lambda e: sq(e["x"]), lambda e: r, r == 1,
                lambda: _norm_witness(part, r, lo, [Fraction(1)])),
               ("scaled", f"\\|2 {x}\\|", "=", _frac_tex(2 * r), lambda e: norm(scale(2, e["x"])), lambda e: 2 * r, True,
                None),
               ("bound", f"\\|{x}\\|", "<=", _frac_tex(c), lambda e: norm(e["x"]), lambda e: c, c >= r,
                lambda: _norm_witness(part, r, lo, [Fraction(1)])),
               ("ones", f"(\\mathbf{{1}}{st.transpose} {x})^2", "<=", f"{_frac_tex(r * r)} n",
                lambda e: ones_x(e) ** 2, lambda e: r * r * e["x"].shape[0], True, None),
               ("ones-axis", f"(\\mathbf{{1}}{st.transpose} {x})^2", "<=", _frac_tex(r * r), lambda e: ones_x(e) ** 2,
                lambda e: r * r, False, lambda: _norm_witness(part, r, 2, pair)),
               ("square-scaled", f"\\|{x}\\|^2 {x}", "=", f"{_frac_tex(r * r)} {x}", lambda e: scale(sq(e["x"]), e["x"]),
                lambda e: scale(r * r, e["x"]), True, None),
               ("square-wrong", f"\\|{x}\\|^2 {x}", "=", f"{_frac_tex(r)} {x}", lambda e: scale(sq(e["x"]), e["x"]),
                lambda e: scale(r, e["x"]), r == 1, lambda: _norm_witness(part, r, lo, [Fraction(1)])),
               # sum x_i^4 >= r^4 / n (power means), and >= r^4 / 2 only up to n = 2: (2, 2, 1)/3 has 33/81 < 1/2
               ("quartic", "\\sum_{i=1}^{n} x_i^4", ">=", f"\\frac{{{_frac_tex(r ** 4)}}}{{n}}", fourth,
                lambda e: r ** 4 / e["x"].shape[0], True, None),
               ("quartic-half", "\\sum_{i=1}^{n} x_i^4", ">=", _frac_tex(r ** 4 / 2), fourth, lambda e: r ** 4 / 2,
                bound == "upper", lambda: _norm_witness(part, r, 3, [Fraction(2, 3), Fraction(2, 3), Fraction(1, 3)])),
               ("entry", "|x_1|", "<=", _frac_tex(r), lambda e: abs(entry(e["x"], 1)), lambda e: r, True, None),
               ("entry-half", "|x_1|", "<=", _frac_tex(r / 2), lambda e: abs(entry(e["x"], 1)), lambda e: r / 2, False,
                lambda: _norm_witness(part, r, lo, [Fraction(1)]))]
    seen: set = set()
    for _ in range(5):
        fam, left, rel, right, lf, rf, true, wit = src.choice(options)
        if fam not in seen and (slips or true):
            seen.add(fam)
            lab.step(fam, left, rel, right, lf, rf, true, wit)
    text = f"Let ${x} \\in {_space(('n', 1))}${said_n}. {said}\n\n" + _show(lab.steps)
    return text, lab.steps


# A bound on a size in words the scan does not read ({n} the size, {k} its largest value)
_SIZE_IN_WORDS = [", where ${n}$ is at most {k}", ", with ${n} \\in \\{{1, \\dots, {k}\\}}$", " for ${n} = 1, \\dots, {k}$",
                  ", where ${n}$ ranges over $\\{{1, 2, \\dots, {k}\\}}$", ", where ${n}$ is no more than {k}"]


def _growth_part(src: Source, slips: bool, doc: dict) -> tuple:
    """Bounds with a constant c between sides that grow differently with the size (1^T x <= c ||x||, ||A||_F <= c
    ||A||_2: true exactly up to size c^2; their squares up to c), the size free, bounded above or below in words, and
    bounds true at every size (Cauchy-Schwarz, ||A||_2 <= ||A||_F)."""
    st = style(src)
    nm = _Names(st)
    n = src.choice(["n", "d", "m"])
    x, A = nm("x"), nm("A")
    bound = src.choice(["none", "none", "upper", "lower"])
    k = src.integer(2, 40)
    ranges = {"none": {}, "upper": {n: (1, k)}, "lower": {n: (min(k, 6), None)}}[bound]
    said = {"none": "", "upper": src.choice([f" with ${n} \\le {k}$", f", where ${n} \\leq {k}$"] + _SIZE_IN_WORDS),
            "lower": f" with ${n} \\ge {min(k, 6)}$"}[bound]
    lo, hi = ranges.get(n, (1, None))
    unread = {}
    if "{k}" in said:  # a size stated in words the scan does not read: a failure past it is for review
        said = said.format(n=n, k=k)
        unread, ranges = {n: (said, lambda s: s <= k)}, {}
    part = Part({"x": (n, 1), "A": (n, n)}, ranges=ranges, unread=unread)
    one = src.choice(["\\mathbf{1}", "\\mathbf 1"])
    lab = _Known(part, "growth")
    ones_x = lambda e: scalar(mm(T(ones(e["x"].shape[0])), e["x"]))  # noqa: E731
    size = lambda e: _as(e["x"]).shape[0]  # noqa: E731

    def witness(threshold: Fraction):
        def build():
            s = max(lo, math.floor(threshold) + 1)
            env = instance(part, random.Random(0), {n: s})
            env["x"], env["A"] = ones(s), eye(s)
            return env
        return build

    c = src.choice([2, 3, 4, 5, 6])
    families = [("ones-norm", f"{one}{st.transpose} {x}", f"{c} \\|{x}\\|", ones_x, lambda e: c * norm(e["x"]), c * c),
                ("ones-square", f"({one}{st.transpose} {x})^2", f"{c} \\|{x}\\|^2", lambda e: ones_x(e) ** 2,
                 lambda e: c * sq(e["x"]), c),
                ("sum", f"\\sum_{{i=1}}^{{{n}}} x_i", f"{c} \\|{x}\\|", lambda e: total(1, size(e), lambda i: entry(e["x"], i)),
                 lambda e: c * norm(e["x"]), c * c),
                ("frobenius", f"\\|{A}\\|_F", f"{c} \\|{A}\\|_2", lambda e: norm(e["A"]), lambda e: c * root(opnorm2(e["A"])),
                 c * c),
                ("frobenius-square", f"\\|{A}\\|_F^2", f"{c} \\|{A}\\|_2^2", lambda e: sq(e["A"]),
                 lambda e: c * opnorm2(e["A"]), c),
                ("cauchy-schwarz", f"({one}{st.transpose} {x})^2", f"{n} \\|{x}\\|^2", lambda e: ones_x(e) ** 2,
                 lambda e: size(e) * sq(e["x"]), None),
                ("spectral", f"\\|{A}\\|_2", f"\\|{A}\\|_F", lambda e: root(opnorm2(e["A"])), lambda e: norm(e["A"]), None),
                ("frobenius-size", f"\\|{A}\\|_F^2", f"{n} \\|{A}\\|_2^2", lambda e: sq(e["A"]),
                 lambda e: size(e) * opnorm2(e["A"]), None)]
    seen: set = set()
    for _ in range(4):
        fam, left, right, lf, rf, threshold = src.choice(families)
        true = threshold is None or (hi is not None and hi <= threshold)
        if fam not in seen and (slips or true):
            seen.add(fam)
            lab.step(fam, left, "<=", right, lf, rf, true, None if true else witness(Fraction(threshold)))
    text = f"Let ${x} \\in {_space((n, 1))}$ and ${A} \\in {_space((n, n))}${said}.\n\n" + _show(lab.steps)
    return text, lab.steps


# (kept apart from WORDED_PARTS, whose documents the seeds of its tests name)
DRAWN_PARTS = {"frames": _frames_part, "unit": _unit_part, "growth": _growth_part}
