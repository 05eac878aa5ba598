"""z3 adapter: satisfiability with exact models, validity as unsat of the negation, and the SMT-LIB text."""

from __future__ import annotations

import contextlib
import dataclasses
from fractions import Fraction
from typing import Iterable, Iterator, Mapping, Optional, Sequence, Union

import z3

__all__ = ["SmtAnswer", "solve", "prove", "exact", "recording"]

# While a `recording()` block runs, every query answered here is appended to this list.
_recorded: Optional[list] = None

Exact = Union[bool, int, Fraction, str]


@dataclasses.dataclass(frozen=True)
class SmtAnswer:
    """Neutral answer of one z3 query."""

    # "sat", "unsat" or "unknown", exactly as z3 said it.
    answer: str
    # For sat: the value of every requested constant, exact (an irrational algebraic number is a string).
    model: Optional[Mapping[str, Exact]]
    # z3's reason for unknown, empty otherwise.
    reason: str
    # The query in SMT-LIB 2 form, with (check-sat) appended.
    smt2: str


def exact(value: z3.ExprRef) -> Exact:
    """A z3 value as an exact Python value."""
    if z3.is_true(value):
        return True
    if z3.is_false(value):
        return False
    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    if z3.is_algebraic_value(value):
        return f"root-obj {value.sexpr()}"
    raise TypeError(f"z3 value {value} has no exact Python form")


def solve(constraints: Sequence[z3.BoolRef], variables: Iterable[z3.ExprRef] = (), *, timeout_ms: int = 20_000) -> SmtAnswer:
    """Check the conjunction; on sat, report every listed variable (completed when unconstrained)."""
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(*constraints)
    smt2 = solver.to_smt2()
    answer = solver.check()
    if answer == z3.sat:
        m = solver.model()
        model = {str(v): exact(m.eval(v, model_completion=True)) for v in variables}
        result = SmtAnswer("sat", model, "", smt2)
    elif answer == z3.unsat:
        result = SmtAnswer("unsat", None, "", smt2)
    else:
        result = SmtAnswer("unknown", None, solver.reason_unknown(), smt2)
    if _recorded is not None:
        _recorded.append(result)
    return result


@contextlib.contextmanager
def recording() -> Iterator[list]:
    """Collect every answer (with its SMT-LIB query) given inside the block."""
    global _recorded
    previous, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = previous


def prove(claim: z3.BoolRef, variables: Iterable[z3.ExprRef] = (), *, given: Sequence[z3.BoolRef] = (), timeout_ms: int = 20_000) -> SmtAnswer:
    """Validity of `given -> claim`: unsat means valid; sat comes with a counterexample."""
    return solve([*given, z3.Not(claim)], variables, timeout_ms=timeout_ms)
