"""sympy adapter: identities decided by simplification, refuted only at an exact rational point."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any, Mapping, Optional, Sequence

import sympy

__all__ = ["IdentityAnswer", "identity", "PROBES"]

# Rational points tried, coordinate by coordinate, when simplification does not settle an identity.
PROBES = (Fraction(1, 3), Fraction(-2, 5), Fraction(3, 2), Fraction(-7, 4), Fraction(5, 7))


@dataclasses.dataclass(frozen=True)
class IdentityAnswer:
    """Neutral answer: does lhs == rhs hold identically?"""

    # True: simplification reduced lhs - rhs to 0. False: a point where they differ. None: not settled.
    holds: Optional[bool]
    # lhs - rhs after simplification.
    difference: str
    # For False: exact values of the symbols at which the sides differ.
    point: Optional[Mapping[str, Fraction]] = None
    # The two sides compared, as given (None when the answer was built by hand): what the answer decided.
    sides: Optional[tuple[Any, Any]] = None


def identity(lhs: sympy.Expr, rhs: sympy.Expr, symbols: Sequence[sympy.Symbol] = (), *, tries: int = 5) -> IdentityAnswer:
    """Decide lhs == rhs: 0 after simplification holds; an exact rational point where they differ refutes."""
    sides = (sympy.sympify(lhs), sympy.sympify(rhs))
    diff = sympy.simplify(sympy.expand(sides[0] - sides[1]))
    if diff == 0:
        return IdentityAnswer(True, "0", sides=sides)
    free = list(symbols) or sorted(diff.free_symbols, key=str)
    for shift in range(tries):
        values = {s: PROBES[(i + shift) % len(PROBES)] for i, s in enumerate(free)}
        value = diff.subs({s: sympy.Rational(v.numerator, v.denominator) for s, v in values.items()})
        if value.is_number and value.is_zero is False:
            return IdentityAnswer(False, str(diff), {str(s): v for s, v in values.items()}, sides)
    return IdentityAnswer(None, str(diff), sides=sides)
