"""Uninterpreted differentiable functions in statements: the term, its sympy and z3 forms, and explicit polynomials."""

from __future__ import annotations

import contextlib
import dataclasses
import fractions
import functools
import itertools
import re
from typing import Any, Iterator, Mapping, Optional

from proofs import backends, terms
from proofs.model import ForgedWitness
from proofs.terms import Term

__all__ = ["Function", "Polynomial", "functions", "uses", "interpretation", "exact_apply", "candidates", "derivative",
           "sympy_function"]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclasses.dataclass(frozen=True)
class Function:
    """A differentiable function ℝⁿ → ℝ that the statement does not choose: made by the author (`Function("φ")`,
    `Function("L", 2)`); calling it builds a term. A statement using one is claimed for every such function: its values
    and derivative values at each point are free."""

    # The name the statement prints.
    name: str
    # How many arguments it takes.
    arity: int = 1
    # How often it is differentiated in each argument (all 0: the function itself); made by `prime` and `partial`.
    orders: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError("Function(name, arity) takes the name the statement prints, such as Function('φ')")
        if isinstance(self.arity, bool) or not isinstance(self.arity, int) or self.arity < 1:
            raise TypeError(f"Function({self.name!r}, arity): arity is a whole number >= 1, not {self.arity!r}")
        orders = tuple(self.orders) or (0,) * self.arity
        if len(orders) != self.arity or any(not isinstance(k, int) or k < 0 for k in orders):
            raise TypeError(f"Function {self.name!r}: orders gives a whole number >= 0 for each of its {self.arity} arguments")
        object.__setattr__(self, "orders", orders)

    def __call__(self, *args: Any) -> Term:
        if len(args) != self.arity:
            raise TypeError(f"{self} takes {self.arity} argument{'s' if self.arity > 1 else ''}, got {len(args)}")
        return Term("apply", (self, *(terms.term(a) for a in args)))

    @property
    def prime(self) -> "Function":
        """The derivative of a function of one argument: phi.prime(z) is φ'(z)."""
        if self.arity != 1:
            raise TypeError(f"{self.name} takes {self.arity} arguments: write {self.name}.partial(i) for ∂ᵢ{self.name}")
        return self.partial(1)

    def partial(self, i: int) -> "Function":
        """The partial derivative in the i-th argument, counted from 1 as in ∂₁L: L.partial(2)(a, b) is ∂₂L(a, b)."""
        if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= self.arity:
            raise TypeError(f"{self.name}.partial(i) takes an argument number from 1 to {self.arity}, not {i!r}")
        orders = list(self.orders)
        orders[i - 1] += 1
        return dataclasses.replace(self, orders=tuple(orders))

    @property
    def base(self) -> "Function":
        """The function itself, underived."""
        return dataclasses.replace(self, orders=(0,) * self.arity)

    def __str__(self) -> str:
        if self.arity == 1:
            k = self.orders[0]
            return self.name + ("'" * k if k <= 3 else f"^({k})")
        return "".join(f"∂{str(i + 1).translate(_SUBSCRIPTS)}" * k for i, k in enumerate(self.orders)) + self.name

    def describe(self) -> str:
        """What the statement quantifies over, in words."""
        return f"{self.name}: ℝ{'' if self.arity == 1 else str(self.arity).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))} → ℝ"

    __repr__ = __str__


def functions(t: Term) -> list[Function]:
    """The underived functions a term applies (directly or through a derivative), in order of first use."""
    found: dict[str, Function] = {}

    def walk(node: Term) -> None:
        if node.op == "apply":
            base = node.args[0].base
            if found.setdefault(base.name, base).arity != base.arity:
                raise TypeError(f"two functions named {base.name} in one statement, of {found[base.name].arity} and "
                                f"{base.arity} arguments: give them different names")
        for a in node.args:
            if isinstance(a, Term):
                walk(a)
    walk(t)
    for name in found:
        for other in found.values():
            if other.name != name and _prints_as_derivative(name, other):
                raise TypeError(f"the function named {name} prints as a derivative of {other.name}, which is another "
                                f"function: give it another name (write {other.name}."
                                f"{'prime' if other.arity == 1 else 'partial(i)'} for the derivative)")
    return list(found.values())


def _prints_as_derivative(name: str, other: Function) -> bool:
    """Whether `name` is how a derivative of `other` prints (φ', φ^(4), ∂₁L): two such functions would share the
    statement's text and the counterexample's listed values."""
    if other.arity == 1:
        return re.fullmatch(re.escape(other.name) + r"('+|\^\(\d+\))", name) is not None
    return re.fullmatch(r"(∂[₀₁₂₃₄₅₆₇₈₉]+)+" + re.escape(other.name), name) is not None


def uses(t: Term) -> bool:
    """Whether a term applies an uninterpreted function."""
    return "apply" in terms.operators(t)


# --- sympy: each function and derivative an undefined function, differentiated by the chain rule -------------------

_SYMPY: dict[tuple, Any] = {}


def sympy_function(fn: Function):
    """The sympy class of a function or one of its derivatives; sympy.diff applies the chain rule, each derivative a
    function of its own whose values are free."""
    import sympy

    key = (fn.name, fn.arity, fn.orders)
    if key not in _SYMPY:
        def fdiff(self, argindex=1):
            return sympy_function(fn.partial(argindex))(*self.args)
        _SYMPY[key] = type(str(fn), (sympy.Function,), {"fdiff": fdiff, "nargs": fn.arity})
    return _SYMPY[key]


def sympy_apply(fn: Function, args: tuple):
    """fn (or its derivative) applied to sympy arguments: the current interpretation's polynomial where an
    `interpretation(...)` block runs (a limit's body read at a point), else the undefined function of `sympy_function`."""
    if _CURRENT is not None and fn.name in _CURRENT:
        return _CURRENT[fn.name].derivative(fn.orders).value(args)
    return sympy_function(fn)(*args)


def _z3_function(fn: Function, cache: dict):
    import z3

    key = (fn.name, fn.arity, fn.orders)
    if key not in cache:
        # the prime as U+2032: an apostrophe is not a character of an SMT-LIB symbol, and the query is read back
        cache[key] = z3.Function(str(fn).replace("'", "′"), *([z3.RealSort()] * fn.arity), z3.RealSort())
    return cache[key]


def _z3_ops() -> dict:
    """z3 forms: each function and derivative an uninterpreted function of its own (unsat is then over every function)."""
    import z3

    cache: dict = {}

    def apply(fn, *args):
        return _z3_function(fn, cache)(*(z3.ToReal(a) if z3.is_int(a) else a for a in args))
    return {"apply": apply}


# --- concrete functions: polynomials with exact coefficients --------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Polynomial:
    """An explicit function that realises a counterexample or a witness: Σ c · x₁^e₁ ⋯ xₙ^eₙ, exact coefficients."""

    # How many arguments.
    arity: int
    # (exponents, coefficient) pairs.
    terms: tuple

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - polynomials are few, frozen and small
    def derivative(self, orders: tuple) -> "Polynomial":
        out = []
        for exponents, c in self.terms:
            coefficient, new = fractions.Fraction(c), []
            for e, k in zip(exponents, orders):
                if e < k:
                    coefficient = fractions.Fraction(0)
                    break
                for j in range(k):
                    coefficient *= e - j
                new.append(e - k)
            if coefficient:
                out.append((tuple(new), coefficient))
        return Polynomial(self.arity, tuple(out))

    def value(self, args):
        """The value at exact numbers (Fractions, or sympy numbers where the arguments are)."""
        if all(isinstance(a, (int, fractions.Fraction)) and not isinstance(a, bool) for a in args):
            exact = sum((c * _product(args, exponents) for exponents, c in self.terms), fractions.Fraction(0))
            return fractions.Fraction(exact)
        total: Any = fractions.Fraction(0)
        for exponents, c in self.terms:
            product: Any = fractions.Fraction(c)
            for a, e in zip(args, exponents):
                for _ in range(e):
                    product = backends._exact(product * a)
            total = backends._exact(total + product)
        return total

    def text(self, names: tuple) -> str:
        parts = []
        for exponents, c in self.terms:
            powers = "·".join(n if e == 1 else f"{n}^{e}" for n, e in zip(names, exponents) if e)
            parts.append(f"{c}" if not powers else powers if c == 1 else f"-{powers}" if c == -1 else f"{c}·{powers}")
        return " + ".join(parts).replace("+ -", "- ") or "0"

    def to_witness(self) -> list:
        return [[list(e), str(c)] for e, c in self.terms]

    @classmethod
    def from_witness(cls, arity: int, data: Any, name: str) -> "Polynomial":
        if not isinstance(data, (list, tuple)) or len(data) > 64:
            raise ForgedWitness(f"the function {name} is given as a list of [exponents, coefficient] pairs, got {data!r}")
        out = []
        for item in data:
            if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], (list, tuple)) \
                    or len(item[0]) != arity or any(isinstance(e, bool) or not isinstance(e, int) or not 0 <= e <= 12
                                                    for e in item[0]):
                raise ForgedWitness(f"{name}: each term is [[{arity} exponents from 0 to 12], coefficient], got {item!r}")
            try:
                c = fractions.Fraction(str(item[1]))
            except (ValueError, ZeroDivisionError):
                raise ForgedWitness(f"{name}: the coefficient {item[1]!r} is not an exact number") from None
            out.append((tuple(item[0]), c))
        return cls(arity, tuple(out))


def _product(args, exponents) -> fractions.Fraction:
    out = fractions.Fraction(1)
    for a, e in zip(args, exponents):
        if e:
            out *= fractions.Fraction(a) ** e
    return out


def candidates(fn: Function, count: int = 6, shift: int = 0) -> list[Polynomial]:
    """A few generic polynomials of degree <= 3 for a function (distinct coefficients, no symmetry an identity that
    fails could hide behind): the first is simple, so a counterexample usually reads easily."""
    monomials = sorted((e for e in itertools.product(range(4), repeat=fn.arity) if sum(e) <= 3), key=lambda e: (sum(e), e))
    out = []
    for c in range(count):
        chosen = []
        for m, exponents in enumerate(monomials):
            if c == 0:  # x² + (shift + 1)/2 · x (in the first argument's square and each argument)
                coefficient = fractions.Fraction(1 if exponents == (2,) + (0,) * (fn.arity - 1) else 0) + \
                    (fractions.Fraction(shift + 1 + m, 2) if sum(exponents) == 1 else 0)
            else:
                coefficient = fractions.Fraction((-1) ** (m + c + shift) * (2 * m + c + shift + 1), m + c + 2)
            if coefficient:
                chosen.append((exponents, coefficient))
        out.append(Polynomial(fn.arity, tuple(chosen)))
    return out


# The functions the exact evaluation reads while an `interpretation(...)` block runs: name -> Polynomial; and the
# values computed under it, (name, orders, arguments) -> value (a derivative's dual numbers read the same ones again).
_CURRENT: Optional[Mapping[str, Polynomial]] = None
_VALUES: dict = {}


@contextlib.contextmanager
def interpretation(chosen: Mapping[str, Polynomial]) -> Iterator[None]:
    """Evaluate statements in exact arithmetic with these functions in place of the uninterpreted ones."""
    global _CURRENT, _VALUES
    previous, _CURRENT = (_CURRENT, _VALUES), dict(chosen)
    _VALUES = {}
    try:
        yield
    finally:
        _CURRENT, _VALUES = previous


def exact_apply(fn: Function, args: tuple):
    """The value of fn (or its derivative) at exact numbers, under the current interpretation; Unsupported without one."""
    if _CURRENT is None or fn.name not in _CURRENT:
        raise terms.Unsupported(f"the uninterpreted function {fn.name} has no value without a concrete function")
    key = (fn.name, fn.orders, tuple((type(a), a) for a in args))
    if key not in _VALUES:
        _VALUES[key] = _CURRENT[fn.name].derivative(fn.orders).value(args)
    return _VALUES[key]


# --- derivatives written out ----------------------------------------------------------------------------------------

def derivative(t: Term, name: str) -> Optional[Term]:
    """d t / d name as a term, by the rules of +, -, ·, /, whole powers and the chain rule through the functions
    (f(a, b) gives ∂₁f(a, b)·a' + ∂₂f(a, b)·b'); None where t has another operator (exp, |·|, a sum, ...)."""
    op, args = t.op, t.args
    if op == "var":
        return terms.const(1 if args[0] == name else 0)
    if op in ("const", "param", "bool") or name not in terms.variables(t):
        return terms.const(0)
    if op == "diff":
        inner = backends.written_out(t, derivative)
        return None if inner is None else derivative(inner, name)
    if op in backends.BINDERS:
        return None
    if op == "apply":
        fn, parts = args[0], args[1:]
        out = None
        for i, a in enumerate(parts):
            slope = derivative(a, name)
            if slope is None:
                return None
            if name in terms.variables(a):
                piece = fn.partial(i + 1)(*parts) * slope
                out = piece if out is None else out + piece
        return out if out is not None else terms.const(0)
    inner = [derivative(a, name) for a in args if isinstance(a, Term)]
    if any(d is None for d in inner):
        return None
    return backends.arithmetic_derivative(op, args, inner, name)
