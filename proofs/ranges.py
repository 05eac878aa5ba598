"""Known ranges of exp, log, σ, tanh, softplus, sqrt and fractional powers, as z3 facts: each application becomes a
constant bounded by theorems about the function, so that a statement that holds for every value in those ranges is
proved by z3."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping

from proofs import backends, terms
from proofs.terms import Term

__all__ = ["Ranges", "FACTS", "POWER", "applies"]

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


# The theorem about a^(p/q) for a constant exponent p/q that is not whole (in lowest terms, q > 0), read with
# v = a^(p/q): a power has a value only where a ≥ 0 (a > 0 for p < 0), and there it is the one v ≥ 0 with v^q = a^p.
POWER = "for a ≥ 0 (a > 0 where p < 0): a^(p/q) ≥ 0, > 0 where a > 0, and (a^(p/q))^q = a^p"
# The largest q and |p| whose equation v^q = a^p is given to z3; larger ones are given the signs alone.
POWER_DEGREE = 6


def _power_facts(a: Any, exponent: Fraction, v: Any) -> list:
    """The theorems of POWER for v = a^exponent, as z3 formulas."""
    import z3

    a = z3.ToReal(a) if z3.is_int(a) else a
    p, q = exponent.numerator, exponent.denominator
    if p > 0:
        facts = [z3.Implies(a >= 0, v >= 0), z3.Implies(a > 0, v > 0), z3.Implies(a == 0, v == 0)]
        if max(p, q) <= POWER_DEGREE:
            facts.append(z3.Implies(a >= 0, backends._pow_int(v, q, z3.RealVal(1)) == backends._pow_int(a, p, z3.RealVal(1))))
        return facts
    facts = [z3.Implies(a > 0, v > 0)]
    if max(-p, q) <= POWER_DEGREE:
        facts.append(z3.Implies(a > 0, backends._pow_int(v, q, z3.RealVal(1)) * backends._pow_int(a, -p, z3.RealVal(1)) == 1))
    return facts


def _fractional(exponent: Term):
    """The exponent's value where it is a constant that is not whole, else None."""
    value = terms._constant(exponent)
    return value if value is not None and value.denominator != 1 else None


def applies(t: Term) -> bool:
    """Whether the term applies a function of FACTS or a power to a constant exponent that is not whole."""
    if t.op in FACTS or (t.op == "pow" and _fractional(t.args[1]) is not None):
        return True
    return any(applies(a) for a in t.args if isinstance(a, Term))


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
        """The ops to give backends.to_z3: one per function of FACTS, and powers (fractional ones as constants)."""
        return {**{name: self._apply(name) for name in FACTS}, "pow": self._power}

    def _power(self, a, b):
        import z3

        whole = backends._z3_ops()["pow"]
        b = z3.simplify(b)
        if not z3.is_rational_value(b) or b.denominator_as_long() == 1:
            return whole(a, z3.IntVal(b.numerator_as_long()) if z3.is_rational_value(b) else b)
        exponent = Fraction(b.numerator_as_long(), b.denominator_as_long())
        key = ("pow", f"{a.sexpr()} {exponent}")
        if key not in self._made:
            made = self._constant(f"({a})^({exponent})")
            self._made[key] = made
            self.facts.extend(_power_facts(a, exponent, made))
            self.used["pow"] = POWER
        return self._made[key]

    def _constant(self, shown: str):
        import z3

        taken = {str(c) for c in self._made.values()}
        return z3.Real(shown if shown not in taken else f"{shown}#{len(self._made)}")

    def _apply(self, name: str) -> Callable:

        def apply(a):
            key = (name, a.sexpr())
            if key not in self._made:
                made = self._constant(f"{name}({a})")
                self._made[key] = made
                self.facts.extend(_facts(name, a, made))
                self.used[name] = FACTS[name]
            return self._made[key]
        return apply

    def to_z3(self, t: Term, env: Mapping[str, Any], *, universal: bool = False):
        """The term as a z3 expression, each function of FACTS a constant whose facts join `facts`."""
        return backends.to_z3(t, env, universal=universal, functions=self.functions())
