"""Statement terms over matrices and vectors whose sizes are independent symbolic sizes (Size("m"), Size("V")):
domains, terms (products, one-hot vectors, concatenation, elementwise functions, softmax, entries) and printing."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any, Optional

from proofs import terms
from proofs.domains import Domain
from proofs.terms import Term

__all__ = ["Size", "Dim", "ShapedDomain", "IndexDomain", "Distributions", "IndexOf", "ArrayTerm", "EntryTerm",
           "ShapedRelation", "ShapedAnd", "onehot", "concat", "elementwise", "softmax", "number", "shaped_domain", "KNOWN"]


@dataclasses.dataclass(frozen=True, eq=False)
class Dim:
    """A size expression: whole-number arithmetic (+, *) of size variables and numbers, such as 2 * V or V + V * V.
    `bounds` holds each size variable it mentions with its least value."""

    # The expression, over integer variables named as the sizes.
    term: Term
    # (name, least value) for each size variable it mentions.
    bounds: frozenset = frozenset()

    def _with(self, other: Any, op: str, swap: bool = False) -> "Dim":
        other = _dim(other)
        a, b = (other, self) if swap else (self, other)
        return Dim(Term(op, (a.term, b.term)), self.bounds | other.bounds)

    def __add__(self, other): return self._with(other, "add")
    def __radd__(self, other): return self._with(other, "add", True)
    def __mul__(self, other): return self._with(other, "mul")
    def __rmul__(self, other): return self._with(other, "mul", True)
    def __sub__(self, other): return self._with(other, "sub")
    def __rsub__(self, other): return self._with(other, "sub", True)

    def __str__(self) -> str:
        return terms.text(self.term)

    __repr__ = __str__

    def as_term(self) -> Term:
        """The size as an integer term, where an index expression uses it (a * V + b)."""
        return self.term


def _dim(value: Any) -> Dim:
    if isinstance(value, Dim):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Dim(terms.term(value))
    if isinstance(value, Term):  # an index expression such as V * a + b: a whole number, not a size
        return Dim(_index(value))
    raise TypeError(f"a size is a Size(...), a whole number or their sum or product, not {value!r}")


def Size(name: str, at_least: int = 1) -> Dim:  # noqa: N802 - read as a domain, like Vector and Matrix
    """A symbolic size: any whole number ≥ at_least (1 unless given), independent of every other size of the statement.
    Vector(Real, V) and Matrix(Real, m, V) take sizes and their sums and products (2 * V, V + V * V)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"Size(name) takes a name such as 'V' or 'm' (a witness gives its value under it), not {name!r}")
    if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
        raise TypeError(f"Size({name!r}, at_least) takes a whole number at_least >= 1, not {at_least!r}")
    return Dim(terms.var(name), frozenset({(name, at_least)}))


@dataclasses.dataclass(frozen=True)
class ShapedDomain(Domain):
    """A real matrix (rows × cols) or vector (rows, cols None) variable whose sizes are Dims."""

    rows: Optional[Dim] = None
    cols: Optional[Dim] = None
    # "real": any real entries; "distributions": positive entries, every column summing to 1.
    role: str = "real"

    def variable(self, name: str) -> "ArrayTerm":
        return ArrayTerm("var", (name,), self.rows, self.cols, self.role)


@dataclasses.dataclass(frozen=True)
class IndexDomain(Domain):
    """An integer index 0 ≤ i < below, below a size (IndexOf(V))."""

    below: Optional[Dim] = None


def IndexOf(size: Any) -> IndexDomain:  # noqa: N802 - read as a domain
    """The indices of a vector of the size: the whole numbers i with 0 ≤ i < size (a word of a vocabulary of size V)."""
    dim = _size(size)
    return IndexDomain(f"{{0, …, {dim} - 1}}", "int", lower=Fraction(0), below=dim)


def Distributions(rows: Any, cols: Any) -> ShapedDomain:  # noqa: N802 - read as a domain
    """rows × cols matrices whose every column is a probability distribution with positive entries: a trigram table
    T over V words with V × V contexts is Distributions(V, V * V), column a·V + b holding T(· | a, b)."""
    r, c = _size(rows), _size(cols)
    return ShapedDomain(f"Dist(ℝ^({r}×{c}))", "shaped", rows=r, cols=c, role="distributions")


def shaped_domain(element: Domain, rows: Any, cols: Any = None, vector: bool = True) -> ShapedDomain:
    """Vector(Real, V) or Matrix(Real, m, V) with a symbolic size (proofs.domains calls this)."""
    if element.kind != "real" or element.shape or element.indexed or element.lower is not None or element.upper is not None:
        raise ValueError("a vector or matrix of symbolic size holds real numbers: Vector(Real, V), Matrix(Real, m, V)")
    r, c = _size(rows), (None if vector else _size(cols))
    name = (f"ℝ^{r}" if r.term.op in ("var", "const") else f"ℝ^({r})") if vector else f"ℝ^({r}×{c})"
    return ShapedDomain(name, "shaped", rows=r, cols=c)


def _size(value: Any) -> Dim:
    """A size of a vector or matrix: sums and products of sizes and whole numbers, at least 1 for every value of the
    sizes (no subtraction, and at least 1 where each size is least, which is where such a sum of products is least)."""
    dim = _dim(value)
    if terms.variables(dim.term) - {name for name, _ in dim.bounds}:
        raise TypeError(f"the size {dim} of a vector or matrix is built from sizes (Size(...)) and whole numbers, not indices")
    if terms.operators(dim.term) - {"var", "const", "add", "mul"}:
        raise TypeError(f"the size {dim} of a vector or matrix is built from sizes and whole numbers by + and * only")
    least = dict(dim.bounds)
    if _value(dim.term, least) < 1:
        raise TypeError(f"the size {dim} is {_value(dim.term, least)} where each size is least: a vector or matrix has "
                        "at least one entry")
    return dim


def _value(t: Term, env: dict) -> int:
    if t.op == "var":
        return env[t.args[0]]
    if t.op == "const":
        return t.args[0]
    a, b = (_value(x, env) for x in t.args)
    return a + b if t.op == "add" else a * b


def _same(a: Dim, b: Dim) -> bool:
    """Whether two sizes are equal for every value of the sizes (their expanded polynomials agree)."""
    import sympy

    return sympy.expand(_sympy_dim(a.term) - _sympy_dim(b.term)) == 0


def _sympy_dim(t: Term) -> Any:
    import sympy

    if t.op == "var":
        return sympy.Symbol(t.args[0], integer=True, positive=True)
    if t.op == "const":
        return sympy.Integer(t.args[0])
    parts = [_sympy_dim(a) for a in t.args]
    return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
            "neg": lambda: -parts[0]}[t.op]()


def _index(value: Any) -> Term:
    """An integer index: a number, an integer variable, a size, or their arithmetic."""
    t = value.term if isinstance(value, Dim) else terms.term(value)
    if terms.operators(t) - {"var", "const", "add", "sub", "neg", "mul"} or (t.op == "const" and not isinstance(t.args[0], int)):
        raise TypeError(f"an index is a whole-number expression such as 1, a or a * V + b, not {value!r}")
    return t


def _number(value: Any) -> Term:
    t = terms.term(value)
    if t.op != "const":
        raise TypeError(f"a vector or matrix is shifted or scaled by an exact number here, not {value!r}")
    return t


@dataclasses.dataclass(frozen=True, eq=False)
class ArrayTerm:
    """A matrix (rows × cols) or vector (cols None) expression. op is "var" (name), "mul" (A, B), "add" / "sub" (A, B),
    "shift" (c, A: c added to every entry), "scale" (c, A), "onehot" (index, size), "concat" (u, v), "apply"
    (function, u: elementwise) or "softmax" (u)."""

    op: str
    args: tuple
    rows: Dim
    cols: Optional[Dim]
    # A variable's role: "real", or "distributions" (positive entries, columns summing to 1).
    role: str = "real"

    def __matmul__(self, other: "ArrayTerm") -> "ArrayTerm":
        if not isinstance(other, ArrayTerm) or self.cols is None or not _same(self.cols, other.rows):
            raise TypeError(f"{self} @ {other}: the sizes do not match")
        return ArrayTerm("mul", (self, other), self.rows, other.cols)

    def _pair(self, other: Any, op: str) -> "ArrayTerm":
        if isinstance(other, ArrayTerm):
            if (self.cols is None) != (other.cols is None) or not _same(self.rows, other.rows) or \
                    (self.cols is not None and not _same(self.cols, other.cols)):
                raise TypeError(f"{self} and {other} do not have the same size")
            return ArrayTerm(op, (self, other), self.rows, self.cols)
        c = _number(other)
        return ArrayTerm("shift", (c if op == "add" else terms.term(-Fraction(c.args[0])), self), self.rows, self.cols)

    def __add__(self, other): return self._pair(other, "add")
    def __sub__(self, other): return self._pair(other, "sub")
    def __radd__(self, other): return self._pair(other, "add")
    def __rsub__(self, other): return (-1 * self)._pair(other, "add")
    def __rmul__(self, number): return ArrayTerm("scale", (_number(number), self), self.rows, self.cols)
    __mul__ = __rmul__
    def __neg__(self): return -1 * self

    def __getitem__(self, key: Any) -> "EntryTerm":
        key = key if isinstance(key, tuple) else (key,)
        if len(key) != (1 if self.cols is None else 2):
            raise TypeError(f"{self}[...]: a vector takes one index (v[i]), a matrix two (A[i, j]), counted from 0")
        return EntryTerm("entry", (self, *(_index(k) for k in key)))

    def __eq__(self, other): return ShapedRelation(self, other)  # type: ignore[override]
    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError("a vector statement has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)

    __repr__ = __str__


@dataclasses.dataclass(frozen=True, eq=False)
class EntryTerm:
    """A real number: op "entry" (array, i[, j]), "const" (c), "int" (an integer expression of variables and sizes),
    "add", "sub", "mul" (a, b) or "neg" (a)."""

    op: str
    args: tuple

    def __add__(self, other): return EntryTerm("add", (self, _entry(other)))
    def __radd__(self, other): return EntryTerm("add", (_entry(other), self))
    def __sub__(self, other): return EntryTerm("sub", (self, _entry(other)))
    def __rsub__(self, other): return EntryTerm("sub", (_entry(other), self))
    def __mul__(self, other): return EntryTerm("mul", (self, _entry(other)))
    def __rmul__(self, other): return EntryTerm("mul", (_entry(other), self))
    def __neg__(self): return EntryTerm("neg", (self,))
    def __eq__(self, other): return ShapedRelation(self, _entry(other))  # type: ignore[override]
    def __ne__(self, other): return ShapedRelation(self, _entry(other), "ne")  # type: ignore[override]
    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError("a statement about entries has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)

    __repr__ = __str__


def _entry(value: Any) -> EntryTerm:
    if isinstance(value, EntryTerm):
        return value
    if isinstance(value, ArrayTerm):
        raise TypeError(f"{value} is a vector or matrix, not a number: take an entry, such as v[0]")
    if isinstance(value, (Term, Dim)) and terms.term(value.term if isinstance(value, Dim) else value).op != "const":
        return EntryTerm("int", (_index(value),))  # an integer variable or size, as a number
    return EntryTerm("const", (_number(value),))


@dataclasses.dataclass(frozen=True, eq=False)
class ShapedRelation:
    """What such a statement decides: lhs = rhs, two arrays of one size (entry by entry) or two numbers; or lhs ≠ rhs,
    two numbers (kind "ne")."""

    lhs: Any
    rhs: Any
    # "eq" (lhs = rhs) or "ne" (lhs ≠ rhs, numbers only).
    kind: str = "eq"

    def __post_init__(self) -> None:
        if self.kind not in ("eq", "ne"):
            raise ValueError(f"a relation is 'eq' or 'ne', not {self.kind!r}")
        if self.kind == "ne" and not isinstance(self.lhs, EntryTerm):
            raise TypeError(f"{self.lhs} != ...: only numbers (entries) are compared by ≠; an array differs from another "
                            "where one of its entries does: compare that entry")
        if isinstance(self.lhs, ArrayTerm):
            if not isinstance(self.rhs, ArrayTerm):
                raise TypeError(f"{self.lhs} is compared with an array of its size, not {self.rhs!r}")
            self.lhs._pair(self.rhs, "sub")  # the sizes must agree
        elif not isinstance(self.rhs, EntryTerm):
            raise TypeError(f"{self.lhs} is compared with a number, not {self.rhs!r}")

    def __bool__(self) -> bool:
        raise TypeError("a statement has no truth value until it is decided: return the relation")

    def __and__(self, other: Any) -> "ShapedAnd":
        return ShapedAnd((self,)) & other

    def __str__(self) -> str:
        return text(self)


@dataclasses.dataclass(frozen=True, eq=False)
class ShapedAnd:
    """Several relations that must all hold (r1 & r2): proved when each is, refuted where one fails."""

    parts: tuple

    def __and__(self, other: Any) -> "ShapedAnd":
        more = other.parts if isinstance(other, ShapedAnd) else (other,)
        if not all(isinstance(p, ShapedRelation) for p in more):
            raise TypeError(f"& joins relations such as z[1] - z[0] == 0 or a != b, not {other!r}")
        return ShapedAnd(self.parts + tuple(more))

    def __bool__(self) -> bool:
        raise TypeError("a statement has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)


def number(value: Any) -> EntryTerm:
    """An exact number (an int, a Fraction or a decimal string) as a number of a statement, so that a relation between
    numbers the statement computes, such as a table's odds, is part of what is decided: number(o00) * number(o11) !=
    number(o01) * number(o10)."""
    return EntryTerm("const", (_number(value),))


def onehot(index: Any, size: Any) -> ArrayTerm:
    """The vector of the size with 1 at the index (counted from 0) and 0 elsewhere; it has no value unless
    0 ≤ index < size."""
    return ArrayTerm("onehot", (_index(index), _size(size)), _size(size), None)


def concat(first: ArrayTerm, second: ArrayTerm) -> ArrayTerm:
    """The vector of first's entries followed by second's."""
    if not all(isinstance(v, ArrayTerm) and v.cols is None for v in (first, second)):
        raise TypeError("concat(u, v) takes two vectors")
    return ArrayTerm("concat", (first, second), first.rows + second.rows, None)


# The known functions elementwise(...) takes by name: the natural logarithm (no value at an entry ≤ 0), exp, and the
# threshold step (1 at an entry > 0, else 0).
KNOWN = ("log", "exp", "step")


def elementwise(function: Any, x: ArrayTerm) -> ArrayTerm:
    """function applied to every entry of x: a Function("f") of one argument (any function ℝ → ℝ, the statement
    claimed for every one), or "log", "exp" or "step" (the threshold: 1 where an entry is > 0, else 0)."""
    from proofs.uninterpreted import Function

    known = isinstance(function, str) and function in KNOWN
    if not known and (not isinstance(function, Function) or function.arity != 1 or any(function.orders)):
        raise TypeError("elementwise(f, x) takes a Function of one argument, such as Function('f'), or 'log', 'exp' or 'step', and a "
                        "vector or matrix")
    if not isinstance(x, ArrayTerm):
        raise TypeError("elementwise(f, x) takes a vector or matrix x")
    return ArrayTerm("apply", (function, x), x.rows, x.cols)


def softmax(x: ArrayTerm) -> ArrayTerm:
    """softmax(x)_i = exp(x_i) / Σ_q exp(x_q), for a vector x."""
    if not isinstance(x, ArrayTerm) or x.cols is not None:
        raise TypeError("softmax(x) takes a vector")
    return ArrayTerm("softmax", (x,), x.rows, None)


def text(x: Any) -> str:
    """One line of plain text."""
    if isinstance(x, Term):
        return terms.text(x)
    if isinstance(x, ShapedRelation):
        return f"{text(x.lhs)} {'=' if x.kind == 'eq' else '≠'} {text(x.rhs)}"
    if isinstance(x, ShapedAnd):
        return " ∧ ".join(text(p) for p in x.parts)
    op, a = x.op, x.args
    if isinstance(x, EntryTerm):
        if op == "entry":
            return f"{_paren(a[0])}[{', '.join(terms.text(i) for i in a[1:])}]"
        if op in ("const", "int"):
            return terms.text(a[0])
        if op == "neg":
            return f"-({text(a[0])})"
        return f"{text(a[0])} {({'add': '+', 'sub': '-', 'mul': '·'})[op]} " + \
            (f"({text(a[1])})" if a[1].op in ("add", "sub") else text(a[1]))
    if op == "var":
        return a[0]
    if op == "mul":
        return f"{_paren(a[0])} {_paren(a[1])}"
    if op in ("add", "sub"):
        return f"{text(a[0])} {'+' if op == 'add' else '-'} {text(a[1])}"
    if op == "shift":
        c = a[0].args[0]
        return f"{text(a[1])} {'-' if c < 0 else '+'} {abs(c)}"
    if op == "scale":
        return f"{terms.text(a[0])} {_paren(a[1])}"
    if op == "onehot":
        return f"onehot({terms.text(a[0])}, {a[1]})"
    if op == "concat":
        return f"concat({text(a[0])}, {text(a[1])})"
    if op == "apply":
        return f"{a[0]}({text(a[1])})"
    from proofs import shaped_blocks

    if op in shaped_blocks.OPS:
        return shaped_blocks.text(x, text)
    return f"softmax({text(a[0])})"


def _paren(x: ArrayTerm) -> str:
    from proofs import shaped_blocks

    return text(x) if x.op in ("var", "onehot", "concat", "apply", "softmax", *shaped_blocks.OPS) else f"({text(x)})"
