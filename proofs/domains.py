"""Domains of quantified variables: what a statement ranges over, checked in every replay and named in every report."""

from __future__ import annotations

import dataclasses
import fractions
import itertools
import math
import re
from typing import Any, Callable, Iterator, Optional, Sequence

from proofs.model import ForgedWitness

__all__ = ["Domain", "Real", "Int", "Nat", "Bit", "Positive", "Interval", "IntRange", "OneOf", "Vector", "Matrix",
           "Indexed", "exact_number", "ENUMERATION_LIMIT", "MAX_SEQUENCE", "OUTSIDE"]

# What a custom domain's reader returns for a value outside the domain.
OUTSIDE = object()

# Finite domains up to this many points are decided by checking every point in exact arithmetic.
ENUMERATION_LIMIT = 100_000
# The longest sequence a witness may give an Indexed variable.
MAX_SEQUENCE = 10_000
# Rational points tried, in turn, for a variable with no bound, when an identity is not settled symbolically.
_PROBES = tuple(fractions.Fraction(p) for p in ("1/3", "-2/5", "3/2", "-7/4", "5/7", "2", "-3", "11/13"))


@dataclasses.dataclass(frozen=True)
class Domain:
    """What one quantified variable, or one field of a replay's witness, ranges over; a vector or matrix domain
    repeats its element domain. A number domain (kind "real" or "int") reads a value exactly (`exact_number`: ints,
    Fractions, "p/q", z3's algebraic numbers) and checks it; a witness field's domain (kind "custom", made by
    proofs.claims.witness) reads it with its own `parse`."""

    # How reports print it: ℝ, ℤ, ℕ, {0, 1}, [0, 1], ...; for a custom domain, what the field holds.
    name: str
    # "real" or "int": the numbers the variable takes; "custom" for a witness field read by `parse`.
    kind: str
    # Bounds, None where unbounded; open or closed.
    lower: Optional[fractions.Fraction] = None
    upper: Optional[fractions.Fraction] = None
    lower_open: bool = False
    upper_open: bool = False
    # The finite set of values, for OneOf and Bit.
    values: Optional[tuple] = None
    # () for a number, (n,) for a vector, (n, m) for a matrix (rows first).
    shape: tuple = ()
    # True for a sequence x_1, x_2, ... of any length (Indexed): x[i] in a statement, a list in a witness.
    indexed: bool = False
    # For kind "custom": reads a raw witness value into its exact form, or returns OUTSIDE.
    parse: Optional[Callable[[Any], Any]] = dataclasses.field(default=None, compare=False)

    def __post_init__(self) -> None:
        if callable(self.kind):  # Domain(name, parse), as proofs.claims.witness wrote it before there was one class
            import warnings

            warnings.warn("Domain(name, parse) is deprecated: write Domain(name, 'custom', parse=parse)",
                          DeprecationWarning, stacklevel=3)
            object.__setattr__(self, "parse", self.kind)
            object.__setattr__(self, "kind", "custom")

    def read(self, value: Any, what: str = "the value") -> Any:
        """The value in its exact form; ForgedWitness when it is not one of the domain's values."""
        if self.parse is not None:
            out = self.parse(value)
            if out is OUTSIDE:
                shown = repr(value)
                raise ForgedWitness(f"witness {what} = {shown if len(shown) <= 80 else shown[:77] + '...'} is not {self.name}")
            return out
        number = exact_number(value, what)
        if not self.contains(number):
            raise ForgedWitness(f"{what} = {value!r} is outside its domain {self.name}")
        return number

    @property
    def scalar(self) -> "Domain":
        return dataclasses.replace(self, shape=(), name=self.name.split("^")[0])

    @property
    def size(self) -> Optional[int]:
        """How many values one scalar takes, or None when infinitely many."""
        if self.indexed:
            return None
        if self.values is not None:
            return len(self.values)
        if self.kind == "int" and self.lower is not None and self.upper is not None:
            low = math.floor(self.lower) + 1 if self.lower_open or self.lower != math.floor(self.lower) else int(self.lower)
            high = math.ceil(self.upper) - 1 if self.upper_open or self.upper != math.ceil(self.upper) else int(self.upper)
            return max(0, high - low + 1)
        if self.kind == "real" and self.lower is not None and self.upper is not None and self.lower >= self.upper:
            # [a, a] is the one number a; [a, b] with b < a, and [a, a) or (a, a], have none
            return 1 if self.lower == self.upper and not (self.lower_open or self.upper_open) else 0
        return None

    def points(self) -> Iterator:
        """Every value of a finite scalar domain, in order."""
        if self.values is not None:
            yield from self.values
            return
        if self.kind == "real":  # a finite real interval: the one point a of [a, a], or none
            yield from (self.lower,) if self.size else ()
            return
        low = math.floor(self.lower) + (1 if self.lower_open or self.lower != math.floor(self.lower) else 0)
        yield from range(int(low), int(low) + (self.size or 0))

    def contains(self, value) -> bool:
        if self.kind == "int" and not (isinstance(value, int) or (isinstance(value, fractions.Fraction) and value.denominator == 1)):
            return False
        if self.values is not None:
            return value in self.values
        if self.lower is not None and (value < self.lower or (self.lower_open and value == self.lower)):
            return False
        if self.upper is not None and (value > self.upper or (self.upper_open and value == self.upper)):
            return False
        return True

    def probes(self) -> Sequence:
        """A few exact values of the domain, for trying an identity at points."""
        if self.size is not None:
            return tuple(itertools.islice(self.points(), 8))
        candidates = [p for p in _PROBES if self.contains(p)] if self.kind == "real" else []
        if self.kind == "int":
            candidates = [n for n in (0, 1, -1, 2, -2, 3, 5, -7, 11) if self.contains(n)]
        if not candidates:
            low = self.lower if self.lower is not None else (self.upper - 10)
            high = self.upper if self.upper is not None else low + 10
            candidates = [low + (high - low) * fractions.Fraction(k, 9) for k in range(1, 9)]
            candidates = [c if self.kind == "real" else round(c) for c in candidates]
            candidates = [c for c in candidates if self.contains(c)]
        return tuple(candidates)


def _bound(value) -> Optional[fractions.Fraction]:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError(f"the bound {value!r} is a float: write it exactly, e.g. Fraction(1, 10)")
    return fractions.Fraction(value)


Real = Domain("ℝ", "real")
Int = Domain("ℤ", "int")
Nat = Domain("ℕ", "int", lower=fractions.Fraction(0))
Positive = Domain("ℝ>0", "real", lower=fractions.Fraction(0), lower_open=True)
Bit = Domain("{0, 1}", "int", values=(0, 1))


def Interval(lower, upper, *, open: bool = False, lower_open: Optional[bool] = None, upper_open: Optional[bool] = None) -> Domain:  # noqa: N802
    """The real numbers between two bounds (closed unless open=True); None leaves a side unbounded."""
    lo_open = open if lower_open is None else lower_open
    hi_open = open if upper_open is None else upper_open
    name = f"{'(' if lo_open or lower is None else '['}{'-∞' if lower is None else lower}, " \
           f"{'∞' if upper is None else upper}{')' if hi_open or upper is None else ']'}"
    return Domain(name, "real", _bound(lower), _bound(upper), lo_open, hi_open)


def IntRange(lower, upper) -> Domain:  # noqa: N802
    """The integers from lower to upper, both included; None for no bound (IntRange(1, None): 1, 2, 3, ...)."""
    lo, hi = _bound(lower), _bound(upper)
    if lo is None and hi is None:
        name = "ℤ"
    elif hi is None:
        name = f"{{{lo}, {lo + 1}, …}}"
    elif lo is None:
        name = f"{{…, {hi - 1}, {hi}}}"
    else:
        name = f"{{{lower}, …, {upper}}}"
    return Domain(name, "int", lo, hi)


def OneOf(*values) -> Domain:  # noqa: N802
    """A finite set of exact numbers."""
    exact = tuple(dict.fromkeys(exact_number(v, "a OneOf value") for v in values))
    if not exact:
        raise ValueError("OneOf needs at least one value")
    kind = "int" if all(isinstance(v, int) for v in exact) else "real"
    return Domain("{" + ", ".join(map(str, exact)) + "}", kind, values=exact)


def Vector(element: Domain, n: int) -> Domain:  # noqa: N802
    """Vectors of n values of the element domain; n may be a symbolic size (Size("V"), 2 * V: proofs.shaped)."""
    if _symbolic(n):
        from proofs.shaped import shaped_domain

        return shaped_domain(element, n)
    if not isinstance(n, int) or n < 1 or element.shape:
        raise ValueError("Vector(domain, n) takes a number domain and a length n >= 1")
    return dataclasses.replace(element, shape=(n,), name=f"{element.name}^{n}")


def Matrix(element: Domain, rows: int, columns: int) -> Domain:  # noqa: N802
    """rows x columns matrices of values of the element domain, given as lists of rows; rows and columns may be
    symbolic sizes (Size("m"), V + V * V: proofs.shaped)."""
    if _symbolic(rows) or _symbolic(columns):
        from proofs.shaped import shaped_domain

        return shaped_domain(element, rows, columns, vector=False)
    if not all(isinstance(k, int) and k >= 1 for k in (rows, columns)) or element.shape:
        raise ValueError("Matrix(domain, rows, columns) takes a number domain and sizes >= 1")
    return dataclasses.replace(element, shape=(rows, columns), name=f"{element.name}^({rows}×{columns})")


def _symbolic(size: Any) -> bool:
    from proofs.shaped import Dim

    return isinstance(size, Dim)


def Indexed(element: Domain) -> Domain:  # noqa: N802
    """Sequences x_1, x_2, ... of values of the element domain, of any length: a statement writes x[i] (usually with i
    the index of a summation), a witness gives the list [x_1, x_2, ...]."""
    if not isinstance(element, Domain) or element.shape or element.indexed:
        raise ValueError("Indexed(domain) takes a number domain, such as Indexed(Real)")
    return dataclasses.replace(element, indexed=True, name=f"sequences in {element.name}")


_RATIONAL = re.compile(r"-?\d+(/\d+)?")


def exact_number(value: Any, what: str):
    """An int or Fraction from a witness value (int, Fraction, or text "p/q"); ForgedWitness for anything else."""
    if isinstance(value, bool) or value is None:
        raise ForgedWitness(f"{what} is {value!r}, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, fractions.Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, str) and _RATIONAL.fullmatch(value.strip()) and len(value) < 10_000:
        number = fractions.Fraction(value.strip())
        return number.numerator if number.denominator == 1 else number
    if isinstance(value, str) and value.startswith("root-obj "):
        return _algebraic(value, what)
    raise ForgedWitness(f"{what} is {value!r}, not an exact number")


def _algebraic(text: str, what: str):
    """z3's (root-obj POLY K): the K-th real root of POLY, as a sympy algebraic number."""
    import sympy

    match = re.fullmatch(r"root-obj \(root-obj (.+) (\d+)\)", text.strip()) or re.fullmatch(r"root-obj (.+) (\d+)", text.strip())
    if not match:
        raise ForgedWitness(f"{what} is {text!r}, not an algebraic number z3 writes")
    x = sympy.Symbol("x")
    poly = _smt_poly(match.group(1), x)
    index = int(match.group(2)) - 1
    roots = sympy.Poly(poly, x).real_roots()
    if not 0 <= index < len(roots):
        raise ForgedWitness(f"{what}: the polynomial has no real root number {index + 1}")
    return roots[index]


def _smt_poly(text: str, x):
    """A polynomial in x from z3's s-expression form: (+ (^ x 2) (* (- 2) x) 1)."""
    import sympy

    tokens = re.findall(r"\(|\)|[^\s()]+", text)

    def parse(i):
        if tokens[i] != "(":
            token = tokens[i]
            return (x if token == "x" else sympy.Rational(token)), i + 1
        op, i = tokens[i + 1], i + 2
        args = []
        while tokens[i] != ")":
            arg, i = parse(i)
            args.append(arg)
        if op == "+":
            return sympy.Add(*args), i + 1
        if op == "*":
            return sympy.Mul(*args), i + 1
        if op == "-":
            return (-args[0] if len(args) == 1 else args[0] - sympy.Add(*args[1:])), i + 1
        if op == "^":
            return args[0] ** args[1], i + 1
        raise ForgedWitness(f"unexpected operator {op!r} in an algebraic number")

    expr, _ = parse(0)
    return expr
