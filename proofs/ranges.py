"""Known ranges of exp, log, σ, tanh, softplus and sqrt, as z3 facts: each application becomes a constant bounded by
theorems about the function, so that a statement that holds for every value in those ranges is proved by z3."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping

from proofs import backends
from proofs.terms import Term

__all__ = ["Ranges", "FACTS"]

# Each fact is a theorem about the real function f at every real argument a (for log and sqrt: wherever they have a
# value, stated under that premise), read with v = f(a). Only these are given to z3; nothing else about f is.
FACTS = {
    "exp": "exp(a) > 0; exp(a) ≥ 1 + a; exp(a) > 1 ⇔ a > 0; exp(a) < 1 ⇔ a < 0",
    "log": "for a > 0: log(a) ≤ a - 1; a·log(a) ≥ a - 1; log(a) > 0 ⇔ a > 1; log(a) < 0 ⇔ a < 1",
    "sigmoid": "0 < σ(a) < 1; σ(a) > 1/2 ⇔ a > 0; σ(a) < 1/2 ⇔ a < 0; |σ(a) - 1/2| ≤ |a|/4",
    "tanh": "-1 < tanh(a) < 1; tanh(a) > 0 ⇔ a > 0; tanh(a) < 0 ⇔ a < 0; |tanh(a)| ≤ |a|",
    "softplus": "softplus(a) > max(a, 0); softplus(a) < max(a, 0) + 1",
    "sqrt": "for a ≥ 0: sqrt(a) ≥ 0 and sqrt(a)² = a",
}


def _facts(name: str, a: Any, v: Any) -> list:
    """The theorems of FACTS for v = name(a), as z3 formulas."""
    import z3

    a = z3.ToReal(a) if z3.is_int(a) else a
    half, quarter = z3.RealVal(Fraction(1, 2)), z3.RealVal(Fraction(1, 4))
    size = z3.If(a >= 0, a, -a)
    if name == "exp":
        return [v > 0, v >= 1 + a, (v > 1) == (a > 0), (v < 1) == (a < 0)]
    if name == "log":
        return [z3.Implies(a > 0, z3.And(v <= a - 1, a * v >= a - 1, (v > 0) == (a > 1), (v < 0) == (a < 1)))]
    if name == "sigmoid":
        gap = v - half
        return [v > 0, v < 1, (v > half) == (a > 0), (v < half) == (a < 0), z3.If(gap >= 0, gap, -gap) <= quarter * size]
    if name == "tanh":
        return [v > -1, v < 1, (v > 0) == (a > 0), (v < 0) == (a < 0), z3.If(v >= 0, v, -v) <= size]
    if name == "softplus":
        top = z3.If(a >= 0, a, 0)
        return [v > top, v < top + 1]
    if name == "sqrt":
        return [z3.Implies(a >= 0, z3.And(v >= 0, v * v == a))]
    raise KeyError(name)


class Ranges:
    """z3 forms for the functions of FACTS, collected while one query is built: each distinct application is one real
    constant named after it (`sigmoid(z)`), and its facts are kept in `facts` for the query's premises."""

    def __init__(self) -> None:
        # The theorems about every application met so far.
        self.facts: list = []
        # Each application met, by its function and its argument's z3 form: its constant.
        self._made: dict[tuple[str, str], Any] = {}
        # The facts used, in words, by function name.
        self.used: dict[str, str] = {}

    def functions(self) -> dict[str, Callable]:
        """The ops to give backends.to_z3: one per function of FACTS."""
        return {name: self._apply(name) for name in FACTS}

    def _apply(self, name: str) -> Callable:
        import z3

        def apply(a):
            key = (name, a.sexpr())
            if key not in self._made:
                shown = f"{name}({a})"
                taken = {str(c) for c in self._made.values()}
                made = z3.Real(shown if shown not in taken else f"{shown}#{len(self._made)}")
                self._made[key] = made
                self.facts.extend(_facts(name, a, made))
                self.used[name] = FACTS[name]
            return self._made[key]
        return apply

    def to_z3(self, t: Term, env: Mapping[str, Any], *, universal: bool = False):
        """The term as a z3 expression, each function of FACTS a constant whose facts join `facts`."""
        return backends.to_z3(t, env, universal=universal, functions=self.functions())
