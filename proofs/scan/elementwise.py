"""Functions applied entry by entry in matrix material (exp, log, the logistic sigma, tanh, softmax): their exact
values for the instances, the entries of a vector read inside a sum, and a comparison that never calls two values
equal on digits alone."""

from __future__ import annotations

import math
from typing import Optional

import sympy

from proofs.scan.matrices import Node
from proofs.scan.normalise import Skip

__all__ = ["entries", "apply", "softmax", "exact_sign", "transcendental"]

# The functions of known formula the matrix reading applies entry by entry.
FUNCTIONS = ("exp", "log", "sigma", "tanh", "dsigma", "dtanh")


def entries(n: Node, model, bound: frozenset = frozenset()) -> Node:
    """The tree with each y_i inside a sum over i read as entry i of the vector y, where y is a vector the material
    declares or defines (not a family y_1, y_2, ... of its own); a sum without bounds whose body reads entries runs
    over them (its length is the vectors' length, from the material's declaration)."""
    if n.kind == "name":
        letter, index = n.data
        if index is not None and isinstance(index, sympy.Symbol) and index.name in bound and _vector(letter, model):
            return Node("entry", (Node("name", (), (letter, None)),), index)
        return n
    if n.kind in ("sum", "prod"):
        var, lo, hi = n.data
        body = entries(n.args[0], model, bound | {var.name})
        if n.kind == "sum" and isinstance(hi, sympy.Symbol) and hi.name.startswith("#") and _reads_entries(body, var):
            return Node("sum", (body,), (var, lo, None))
        return Node(n.kind, (body,), n.data)
    if not n.args:
        return n
    return Node(n.kind, tuple(entries(a, model, bound) for a in n.args), n.data)


def by_entry(index, body: Node, model) -> Optional[Node]:
    """A definition written entry by entry (yhat_j = e^{z_j} / \\sum_k e^{z_k}) as the vector whose entry j is its
    body, when the body reads entry j of a vector; None otherwise (h_t = phi(z_t) defines a member of a family)."""
    if not isinstance(index, sympy.Symbol):
        return None
    body = entries(body, model, frozenset({index.name}))
    return Node("vec", (body,), index) if _reads_entries(body, index) else None


def entry_names(n: Node, model, bound: frozenset = frozenset()) -> list:
    """The entries of vectors the tree reads other than y_i inside a sum over i (see `entries`): y_j at an index no sum
    binds, y_1 at a number, y_{i+1} at an expression. They are scalars, not members of a family y_1, y_2, ... (the
    material declares the vector y, not the family): a step about one entry, not about whole vectors."""
    if n.kind == "name":
        letter, index = n.data
        whole = isinstance(index, sympy.Symbol) and index.name in bound  # read as an entry by `entries`
        if index is not None and not whole and _vector(letter, model):
            return [f"{letter}_{index}"]
        return [f"{letter}_{{{index}}}"] if _matrix_entry(letter, index, model) else []
    inner = bound | {n.data[0].name} if n.kind in ("sum", "prod") else bound
    return [x for a in n.args for x in entry_names(a, model, inner)]


def _matrix_entry(letter: str, index, model) -> bool:
    """Whether W_{12} is the entry in row 1, column 2 of a matrix the material declares whole ("let $W$ be a matrix"):
    two digits, neither 0, as the index of a letter declared a matrix and not a family member by member."""
    if model.kinds.get(letter) != "matrix" or not isinstance(index, sympy.Integer) or not 11 <= int(index) <= 99:
        return False
    if "0" in str(index) or any(k.startswith(f"{letter}_") for k in model.kinds):
        return False
    return not any(pattern is not None for pattern, _ in model.equations.get(letter, ()))


def _vector(letter: str, model) -> bool:
    if any(k.startswith(f"{letter}_") for k in model.kinds):
        return False  # a family the material declares member by member (W_1, W_2)
    if any(pattern is not None for pattern, _ in model.equations.get(letter, ())):
        return False  # a family its forward equations define (h_{t+1} = ...)
    return model.kinds.get(letter) == "vector" or (letter not in model.kinds and letter in model.equations)


def _reads_entries(n: Node, var) -> bool:
    if n.kind == "entry" and n.data == var:
        return True
    if n.kind == "at" and var in n.data:
        return True
    return any(_reads_entries(a, var) for a in n.args)


def entry_axes(n: Node, var) -> list:
    """The matrix expressions a sum's body reads an entry of at index `var` (W_{ij} x_j, A_{ik} B_{kj}), each with the
    axis the index runs along (0: rows, 1: columns; a vector's entry (v)_i, None: its length)."""
    out = []
    if n.kind == "at":
        row, col = n.data
        if col is None and row == var:
            out.append((n.args[0], None))
        else:
            out += [(n.args[0], axis) for axis, i in enumerate((row, col)) if i == var]
    return out + [x for a in n.args for x in entry_axes(a, var)]


def entry_vectors(n: Node, var) -> list:
    """The vectors a sum's body reads entry `var` of."""
    if n.kind == "entry" and n.data == var:
        return [n.args[0]]
    return [v for a in n.args for v in entry_vectors(a, var)]


def apply(kind: str, x):
    """The exact value of a function of known formula at a number or a sympy expression (a log of a number that is
    not positive has no value: ZeroDivisionError, so the instance decides nothing)."""
    if kind == "exp":
        return sympy.exp(x)
    if kind == "log":
        if x.is_number and not bool(x > 0):
            raise ZeroDivisionError
        return sympy.log(x)
    if kind == "sigma":
        return 1 / (1 + sympy.exp(-x))
    if kind == "dsigma":
        s = 1 / (1 + sympy.exp(-x))
        return s * (1 - s)
    if kind == "tanh":
        return sympy.tanh(x)
    if kind == "dtanh":
        return 1 - sympy.tanh(x) ** 2
    raise Skip(f"{kind} is not read in matrix notation")


def softmax(v):
    """The softmax of a vector (column or row), exactly."""
    if not isinstance(v, sympy.MatrixBase):
        return sympy.Integer(1)
    if 1 not in v.shape:
        raise Skip("a softmax of a matrix")
    exps = v.applyfunc(sympy.exp)
    total = sum(exps)
    return exps.applyfunc(lambda x: x / total)


def transcendental(e) -> bool:
    return isinstance(e, sympy.Basic) and e.has(sympy.exp, sympy.log, sympy.tanh, sympy.E)


def exact_sign(d: sympy.Expr) -> Optional[int]:
    """The sign of a value built from rationals with exp, log and tanh: 0 only when it is shown to be 0 symbolically
    (each exp(p/D) written as E^p with E = e^(1/D), transcendental, and each log as an independent symbol, the
    difference cancels to 0 as a rational function), ±1 only when an interval evaluation (proofs.scan.replay)
    certifies it; None otherwise (it agrees with 0 to every digit evaluated, or could not be evaluated)."""
    from proofs.scan.replay import NotReal, Undefined, evaluate

    e = d.rewrite(sympy.exp) if d.has(sympy.tanh) else d
    if _cancels(e):
        return 0
    try:
        value = evaluate(d, {})
    except (Undefined, NotReal, ValueError, ZeroDivisionError, TypeError):
        return None
    if not hasattr(value, "a"):
        return (value > 0) - (value < 0)
    if value.a > 0:
        return 1
    if value.b < 0:
        return -1
    return None


def _cancels(e: sympy.Expr) -> bool:
    """Whether e is 0 as a rational function of E = e^(1/D) and of its logs taken as independent symbols (sound: a
    rational function with rational coefficients that vanishes at a transcendental E is 0). Two logs are one symbol
    when their arguments, written in E, cancel to the same rational function."""
    exps = [a for a in e.atoms(sympy.exp)]
    if any(not a.args[0].is_Rational for a in exps):
        return False
    den = math.lcm(*[int(a.args[0].q) for a in exps]) if exps else 1
    E = sympy.Dummy("E", positive=True)
    powers = {**{a: int(a.args[0] * den) for a in exps}, sympy.E: den}
    written = {a: E ** k for a, k in powers.items()}
    canon: dict = {}
    logs = {a: canon.setdefault(sympy.cancel(a.args[0].xreplace(written)), len(canon) + 1) for a in e.atoms(sympy.log)}
    from sympy.polys.rings import ring

    polys, *gens = ring([E, *[sympy.Dummy("L") for _ in canon]], sympy.QQ)
    atoms = {a: (gens[0] ** k, polys.one) if k >= 0 else (polys.one, gens[0] ** -k) for a, k in powers.items()}
    atoms.update({a: (gens[k], polys.one) for a, k in logs.items()})
    try:
        return not _fraction(e, atoms, polys)[0]
    except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed, ValueError, TypeError, ZeroDivisionError):
        return False


def _fraction(e: sympy.Expr, atoms: dict, polys) -> tuple:
    """e as (numerator, denominator), polynomials of `polys` (atoms: an expression -> its (numerator, denominator)),
    read node by node as sympy reads an expression into a field of rational functions (sums, products, integer powers,
    rational numbers; anything else fails to convert), without cancelling a common factor at each node: the fraction
    is 0 exactly when its numerator is. A negative power of 0 raises ZeroDivisionError."""
    if e in atoms:
        return atoms[e]
    if e.is_Add or e.is_Mul:
        out = None
        for a in e.args:
            n, d = _fraction(a, atoms, polys)
            if out is None:
                out = n, d
            elif e.is_Mul:
                out = out[0] * n, out[1] * d
            elif out[1] == d:
                out = out[0] + n, d
            else:
                out = out[0] * d + n * out[1], out[1] * d
        return out
    if e.is_Pow:
        base, power = e.as_base_exp()
        if power.is_Integer:
            n, d = _fraction(base, atoms, polys)
            if power < 0:
                if not n:
                    raise ZeroDivisionError("a negative power of 0")
                n, d = d, n
            return n ** abs(int(power)), d ** abs(int(power))
    return polys.ground_new(polys.domain.convert(e)), polys.one
