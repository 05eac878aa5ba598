"""Statement terms over n × n matrices and n-vectors of symbolic size: domains, terms, printing and plain evaluation."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction
from typing import Any, Callable, Mapping

from proofs import terms
from proofs.domains import Domain
from proofs.terms import Term

__all__ = ["SizedDomain", "SquareMatrix", "ColumnVector", "Orthogonal", "Diagonal", "ZeroOneDiagonal", "MatrixSequence",
           "MatrixTerm", "NormTerm", "SizedRelation", "identity_matrix", "mprod", "nprod", "backward", "norm", "given",
           "ROLES"]

# What a sized variable ranges over, for every size n ≥ 1; each role's facts are what the engine may use about it.
ROLES = {
    "matrix": "any real n × n matrix",
    "vector": "any real n-vector (an n × 1 matrix)",
    "orthogonal": "a real n × n matrix with Wᵀ W = I (so also W Wᵀ = I)",
    "diagonal": "a real diagonal n × n matrix (so Dᵀ = D)",
    "diagonal01": "a diagonal n × n matrix with entries in {0, 1} (so Dᵀ = D and D D = D)",
}


class NoValue(ValueError):
    """A sized term has no value at an instance: backward(g, J, t, T) with t > T (the chain rule runs from T down to
    t). The statement is then false there, as a scalar statement is where a term has no value."""

    def __init__(self, message: str, lower: int, upper: int) -> None:
        super().__init__(message)
        # the index the term needs at most `upper` (t), and that upper index (T)
        self.lower, self.upper = lower, upper


@dataclasses.dataclass(frozen=True)
class SizedDomain(Domain):
    """A matrix or vector variable whose size n is any positive integer (the same n for every sized variable of a
    statement), or a sequence W_0, W_1, ... of them written W[k]."""

    # One of ROLES.
    role: str = "matrix"
    # True for a sequence indexed by integers (W[k], D[k + 1]).
    sequence: bool = False

    def variable(self, name: str) -> Any:
        return _Sequence(name, self.role) if self.sequence else MatrixTerm("var", (name, self.role), _shape(self.role))


def _sized(name: str, role: str) -> SizedDomain:
    return SizedDomain(name, "sized", role=role)


SquareMatrix = _sized("ℝ^(n×n)", "matrix")
ColumnVector = _sized("ℝ^n", "vector")
Orthogonal = _sized("O(n)", "orthogonal")
Diagonal = _sized("Diag(ℝ^n)", "diagonal")
ZeroOneDiagonal = _sized("Diag({0, 1}^n)", "diagonal01")


def MatrixSequence(element: SizedDomain) -> SizedDomain:  # noqa: N802
    """Sequences W_0, W_1, ... of the element domain (one n for all), written W[k] in a statement."""
    if not isinstance(element, SizedDomain) or element.sequence:
        raise ValueError("MatrixSequence(domain) takes SquareMatrix, ColumnVector, Orthogonal, Diagonal or ZeroOneDiagonal")
    return dataclasses.replace(element, sequence=True, name=f"sequences in {element.name}")


def _shape(role: str) -> str:
    return "vec" if role == "vector" else "mat"


def _index(value: Any) -> Term:
    t = terms.term(value)
    if terms.operators(t) - {"var", "const", "add", "sub", "neg", "mul"}:
        raise TypeError(f"a matrix index is an integer expression such as k + 1, not {t!r}")
    return t


@dataclasses.dataclass(frozen=True)
class _Sequence:
    name: str
    role: str

    def __getitem__(self, index: Any) -> "MatrixTerm":
        return MatrixTerm("at", (self.name, self.role, _index(index)), _shape(self.role))


def _bound(body: Callable, what: str) -> Term:
    if not callable(body) or len(inspect.signature(body).parameters) != 1:
        raise TypeError(f"{what}(body, lower, upper) takes the factor as a function of the index: lambda k: ...")
    return terms.var(next(iter(inspect.signature(body).parameters)))


_SHAPES = {("mat", "mat"): "mat", ("mat", "vec"): "vec", ("row", "mat"): "row", ("row", "vec"): "scalar"}


@dataclasses.dataclass(frozen=True, eq=False)
class MatrixTerm:
    """A matrix ("mat", n × n), vector ("vec", n × 1) or row ("row", 1 × n) expression of symbolic size n.

    op is "var" (name, role), "at" (name, role, index), "T", "mul", "add", "sub", "scale" (number, term), "I", "zero",
    "prod" (index, factor, lower, upper: the factors for k = lower, ..., upper multiplied left to right), or
    "backward" (index, jacobian, g, t, T: the gradient at step t of a loss whose gradient at step T is g)."""

    op: str
    args: tuple
    shape: str

    @property
    def T(self) -> "MatrixTerm":  # noqa: N802 - the transpose, as numpy and sympy write it
        return MatrixTerm("T", (self,), {"mat": "mat", "vec": "row", "row": "vec"}[self.shape])

    def __matmul__(self, other: "MatrixTerm") -> "MatrixTerm":
        if not isinstance(other, MatrixTerm) or (self.shape, other.shape) not in _SHAPES or \
                _SHAPES[(self.shape, other.shape)] == "scalar":
            raise TypeError(f"{self} @ {other}: the sizes do not match (or the product is a number, which is not written here)")
        return MatrixTerm("mul", (self, other), _SHAPES[(self.shape, other.shape)])

    def _same(self, other: Any, op: str) -> "MatrixTerm":
        if not isinstance(other, MatrixTerm) or other.shape != self.shape:
            raise TypeError(f"{self} and {other} do not have the same shape")
        return MatrixTerm(op, (self, other), self.shape)

    def __add__(self, other): return self._same(other, "add")
    def __sub__(self, other): return self._same(other, "sub")

    def __rmul__(self, number):
        return MatrixTerm("scale", (terms.term(number), self), self.shape)

    __mul__ = __rmul__

    def __neg__(self): return MatrixTerm("scale", (terms.term(-1), self), self.shape)

    def __eq__(self, other): return SizedRelation("eq", self, _zero_for(self, other))  # type: ignore[override]

    def __ne__(self, other):  # type: ignore[override]
        """X != Y: a premise of given(...) only (a statement decides == or <=)."""
        return SizedRelation("ne", self, _zero_for(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError("a matrix statement has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)

    __repr__ = __str__


def _zero_for(x: MatrixTerm, other: Any) -> Any:
    """The number 0 compared with a matrix or vector is the zero of its shape (any other number stays as written)."""
    if isinstance(other, (int, Fraction)) and not isinstance(other, bool) and other == 0:
        return MatrixTerm("zero", (), x.shape)
    return other


def identity_matrix() -> MatrixTerm:
    """The n × n identity."""
    return MatrixTerm("I", (), "mat")


def mprod(body: Callable[[Term], MatrixTerm], lower: Any, upper: Any) -> MatrixTerm:
    """∏_{k=lower}^{upper} body(k), the factors multiplied in increasing k from the left; I when upper < lower."""
    k = _bound(body, "mprod")
    factor = body(k)
    if not isinstance(factor, MatrixTerm) or factor.shape != "mat":
        raise TypeError("the factor of mprod(...) is an n × n matrix")
    return MatrixTerm("prod", (k, factor, _index(lower), _index(upper)), "mat")


def backward(g: MatrixTerm, jacobian: Callable[[Term], MatrixTerm], t: Any, T: Any) -> MatrixTerm:  # noqa: N803
    """∂l/∂h_t by the chain rule, from g = ∂l/∂h_T and the Jacobians ∂h_{k+1}/∂h_k = jacobian(k): g when t = T, and
    jacobian(t)ᵀ · ∂l/∂h_{t+1} when t < T (defined for t ≤ T)."""
    k = _bound(jacobian, "backward")
    J = jacobian(k)
    if not isinstance(g, MatrixTerm) or g.shape != "vec" or not isinstance(J, MatrixTerm) or J.shape != "mat":
        raise TypeError("backward(g, jacobian, t, T) takes a vector g and an n × n Jacobian")
    return MatrixTerm("backward", (k, J, g, _index(t), _index(T)), "vec")


@dataclasses.dataclass(frozen=True, eq=False)
class NormTerm:
    """A real number: op "norm" (a matrix or vector term: the operator 2-norm, or the Euclidean norm), "const", "mul",
    or "nprod" (index, body, lower, upper: the product of body(k), 1 when empty)."""

    op: str
    args: tuple

    def __mul__(self, other): return NormTerm("mul", (self, _scalar(other)))
    def __rmul__(self, other): return NormTerm("mul", (_scalar(other), self))
    def __eq__(self, other): return SizedRelation("eq", self, _scalar(other))  # type: ignore[override]
    def __le__(self, other): return SizedRelation("le", self, _scalar(other))
    def __ge__(self, other): return SizedRelation("le", _scalar(other), self)

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError("a norm statement has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)

    __repr__ = __str__


def _scalar(value: Any) -> NormTerm:
    if isinstance(value, NormTerm):
        return value
    number = terms.term(value)
    if number.op != "const":
        raise TypeError(f"a norm statement multiplies norms by exact numbers, not {value!r}")
    return NormTerm("const", (Fraction(number.args[0]),))


def norm(x: MatrixTerm) -> NormTerm:
    """‖x‖: the operator 2-norm of a matrix, the Euclidean norm of a vector or a row."""
    if not isinstance(x, MatrixTerm):
        raise TypeError("norm(x) takes a matrix or vector term")
    return NormTerm("norm", (x.T if x.shape == "row" else x,))


def nprod(body: Callable[[Term], NormTerm], lower: Any, upper: Any) -> NormTerm:
    """∏_{k=lower}^{upper} body(k) of real numbers (norms); 1 when upper < lower."""
    k = _bound(body, "nprod")
    return NormTerm("nprod", (k, _scalar(body(k)), _index(lower), _index(upper)))


@dataclasses.dataclass(frozen=True, eq=False)
class SizedRelation:
    """What a sized statement decides: lhs = rhs (matrices, vectors or norms) or lhs ≤ rhs (norms), where the premise
    (a relation between integer indices, or None) holds."""

    op: str
    lhs: Any
    rhs: Any
    premise: Any = None

    def __post_init__(self) -> None:
        kinds = {type(self.lhs), type(self.rhs)}
        if len(kinds) != 1 or (self.op == "le" and kinds != {NormTerm}) or (self.op == "ne" and kinds != {MatrixTerm}):
            raise TypeError(f"{self.lhs} and {self.rhs} cannot be compared: both sides are matrices of one shape, or numbers "
                            "built from norms")
        if isinstance(self.lhs, MatrixTerm) and self.lhs.shape != self.rhs.shape:
            raise TypeError(f"{self.lhs} ({self.lhs.shape}) and {self.rhs} ({self.rhs.shape}) have different shapes")

    def __bool__(self) -> bool:
        raise TypeError("a matrix statement has no truth value until it is decided: return the relation")

    def __str__(self) -> str:
        return text(self)


def given(*parts: Any) -> SizedRelation:
    """given(premise, ..., relation): the relation where every premise holds. A premise is a relation between integer
    indices (e.g. t <= T, k < T), or a matrix or vector compared with another or with 0 by == or != (e.g. D != 0, or
    D[k + 1] == 0 for one member of a sequence)."""
    if len(parts) < 2:
        raise TypeError("given(premise, ..., relation) takes one or more premises, then the relation")
    *stated, relation = parts
    if not isinstance(relation, SizedRelation) or relation.premise is not None:
        raise TypeError("given(premise, ..., relation) takes one relation between matrices or norms, last")
    checked = tuple(_premise(p) for p in stated)
    return dataclasses.replace(relation, premise=checked[0] if len(checked) == 1 else checked)


def _premise(premise: Any) -> Any:
    if isinstance(premise, SizedRelation):
        if premise.premise is not None or premise.op not in ("eq", "ne") or not isinstance(premise.lhs, MatrixTerm):
            raise TypeError("a matrix premise of given(...) is one comparison of matrices or vectors by == or !=, such as D != 0")
        return premise
    if not isinstance(premise, Term) or premise.op not in terms.RELATIONS or \
            terms.operators(premise) - {"var", "const", "add", "sub", "neg", "mul", *terms.RELATIONS}:
        raise TypeError("the premise of given(...) is one relation between integer indices, such as t <= T")
    return premise


def premises(rel: SizedRelation) -> tuple:
    """The relation's premises, each an index relation (a Term) or a matrix comparison (a SizedRelation); () for none."""
    if rel.premise is None:
        return ()
    return rel.premise if isinstance(rel.premise, tuple) else (rel.premise,)


# --- printing -------------------------------------------------------------------------------------------------------

def _free(x: Any) -> set[str]:
    """The integer indices x mentions free (a product's or gradient's own index is bound in its factor)."""
    if isinstance(x, Term):
        return terms.variables(x)
    if isinstance(x, SizedRelation):
        return _free(x.lhs) | _free(x.rhs) | set().union(*(_free(p) for p in premises(x)))
    if not isinstance(x, (MatrixTerm, NormTerm)):
        return set()
    if x.op in ("prod", "nprod", "backward"):
        return (_free(x.args[1]) - {x.args[0].args[0]}) | set().union(*(_free(a) for a in x.args[2:]))
    return set().union(*(_free(a) for a in x.args))


def _distinct(x: Any, avoid: set[str]) -> Any:
    """x with each product's or gradient's bound index that is also a free index (of x, or in `avoid`) renamed k′, so
    that the printed statement reads one way (the terms themselves are not changed)."""
    if not isinstance(x, (MatrixTerm, NormTerm)):
        return x
    avoid = avoid | _free(x)
    if x.op in ("prod", "nprod", "backward"):
        bound, body = x.args[0].args[0], x.args[1]
        if bound in avoid:
            fresh = bound + "′"
            while fresh in avoid or fresh in _free(body):
                fresh += "′"
            body, bound = substitute(body, bound, terms.var(fresh)), fresh
        args = (terms.var(bound), _distinct(body, avoid | {bound}), *(_distinct(a, avoid) for a in x.args[2:]))
    else:
        args = tuple(_distinct(a, avoid) for a in x.args)
    return type(x)(x.op, args, *((x.shape,) if isinstance(x, MatrixTerm) else ()))


def text(x: Any) -> str:
    """One line of plain text (a bound index that is also a free one printed renamed: k′)."""
    if isinstance(x, SizedRelation):
        free = _free(x)
        x = SizedRelation(x.op, _distinct(x.lhs, free), _distinct(x.rhs, free),
                          None if x.premise is None else tuple(_distinct(p, free) for p in premises(x)))
        body = f"{text(x.lhs)} {({'eq': '=', 'ne': '≠'}).get(x.op, '≤')} {text(x.rhs)}"
        return f"{' ∧ '.join(text(p) for p in premises(x))} ⇒ {body}" if x.premise is not None else body
    if isinstance(x, Term):
        return terms.text(x)
    if x.op in ("prod", "nprod", "backward") and x.args[0].args[0] in _free(x):
        x = _distinct(x, set())
    op, a = x.op, x.args
    if isinstance(x, NormTerm):
        if op == "norm":
            return f"‖{text(a[0])}‖"
        if op == "const":
            return str(a[0])
        if op == "mul":
            return f"{text(a[0])}·{text(a[1])}"
        return f"∏_{{{text(a[0])}={text(a[2])}}}^{{{text(a[3])}}} {_paren(a[1])}"
    if op == "var":
        return a[0]
    if op == "at":
        return f"{a[0]}_{{{terms.text(a[2])}}}"
    if op == "I":
        return "I"
    if op == "zero":
        return "0"
    if op == "T":
        return f"{_paren(a[0])}ᵀ"
    if op == "mul":
        return f"{_paren(a[0])} {_paren(a[1])}"
    if op in ("add", "sub"):
        return f"{text(a[0])} {'+' if op == 'add' else '-'} {text(a[1])}"
    if op == "scale":
        return f"{terms.text(a[0])}·{_paren(a[1])}"
    if op == "prod":
        return f"∏_{{{text(a[0])}={text(a[2])}}}^{{{text(a[3])}}} {_paren(a[1])}"
    k = text(a[0])
    return f"∂l/∂h_{{{text(a[3])}}} (∂l/∂h_{{{text(a[4])}}} = {text(a[2])}, ∂h_{{{k} + 1}}/∂h_{{{k}}} = {text(a[1])})"


def _paren(x: Any) -> str:
    shown = text(x)
    simple = x.op in ("var", "at", "I", "zero", "norm", "const") or (x.op == "T" and x.args[0].op in ("var", "at"))
    return shown if simple else f"({shown})"


# --- substitution and plain exact evaluation -----------------------------------------------------------------------

def substitute(x: Any, name: str, by: Term) -> Any:
    """x with the integer index `name` replaced by the term `by` (bound indices of inner products are left alone)."""
    if isinstance(x, Term):
        if x.op == "var":
            return by if x.args[0] == name else x
        return Term(x.op, tuple(substitute(a, name, by) if isinstance(a, Term) else a for a in x.args))
    if isinstance(x, SizedRelation):
        return SizedRelation(x.op, substitute(x.lhs, name, by), substitute(x.rhs, name, by),
                             None if x.premise is None else tuple(substitute(p, name, by) for p in x.premise)
                             if isinstance(x.premise, tuple) else substitute(x.premise, name, by))
    if x.op in ("prod", "nprod", "backward") and x.args[0].args[0] == name:
        return type(x)(x.op, (x.args[0], x.args[1], *(substitute(a, name, by) for a in x.args[2:])), *_rest(x))
    return type(x)(x.op, tuple(substitute(a, name, by) if isinstance(a, (Term, MatrixTerm, NormTerm)) else a
                               for a in x.args), *_rest(x))


def _rest(x: Any) -> tuple:
    return (x.shape,) if isinstance(x, MatrixTerm) else ()


def index_value(t: Term, env: Mapping[str, int]) -> int:
    """An integer index expression's value."""
    ops: dict[str, Callable] = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
                                "neg": lambda a: -a}
    if t.op == "var":
        return env[t.args[0]]
    if t.op == "const":
        return t.args[0]
    return ops[t.op](*(index_value(a, env) for a in t.args))


def _matmul(A: list, B: list) -> list:
    return [[sum((A[i][m] * B[m][j] for m in range(len(B))), Fraction(0)) for j in range(len(B[0]))] for i in range(len(A))]


def evaluate(x: MatrixTerm, n: int, indices: Mapping[str, int], element: Callable[[str, str, Any], list]) -> list:
    """The matrix (a list of rows; a vector is n × 1, a row 1 × n) in exact arithmetic, with plain loops.
    element(name, role, key) gives a variable's value: key None for a plain variable, the integer index for W[k]."""
    op, a = x.op, x.args
    if op == "var":
        return element(a[0], a[1], None)
    if op == "at":
        return element(a[0], a[1], index_value(a[2], indices))
    if op == "I":
        return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    if op == "zero":
        return [[Fraction(0)] * (1 if x.shape == "vec" else n) for _ in range(1 if x.shape == "row" else n)]
    if op == "T":
        return [list(col) for col in zip(*evaluate(a[0], n, indices, element))]
    if op == "mul":
        return _matmul(evaluate(a[0], n, indices, element), evaluate(a[1], n, indices, element))
    if op in ("add", "sub"):
        sign = 1 if op == "add" else -1
        L, R = evaluate(a[0], n, indices, element), evaluate(a[1], n, indices, element)
        return [[p + sign * q for p, q in zip(r1, r2)] for r1, r2 in zip(L, R)]
    if op == "scale":
        c = Fraction(a[0].args[0])
        return [[c * v for v in row] for row in evaluate(a[1], n, indices, element)]
    if op == "prod":
        k, factor, lo, hi = a
        out = evaluate(identity_matrix(), n, indices, element)
        for value in range(index_value(lo, indices), index_value(hi, indices) + 1):
            out = _matmul(out, evaluate(factor, n, {**indices, k.args[0]: value}, element))
        return out
    k, J, g, t, T = a
    out = evaluate(g, n, indices, element)
    lo, hi = index_value(t, indices), index_value(T, indices)
    if lo > hi:
        raise NoValue(f"backward(...) from step {hi} down to step {lo}: defined only for t ≤ T", lo, hi)
    for value in range(hi - 1, lo - 1, -1):
        Jk = evaluate(J, n, {**indices, k.args[0]: value}, element)
        out = _matmul([list(col) for col in zip(*Jk)], out)
    return out
