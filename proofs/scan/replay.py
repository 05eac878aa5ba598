"""A plain evaluation of a step's sides at a point: exact fractions, and rigorous intervals for exp, log and the like."""

from __future__ import annotations

import contextlib
from fractions import Fraction
from typing import Any, Iterator, Mapping, Optional, Union

import mpmath
import sympy

__all__ = ["Undefined", "NotReal", "evaluate", "decide", "key"]

# Digits of the intervals used for what is not rational (exp, log, tanh, sqrt, pi, e).
_DPS = 60
# Sums and products of at most this many terms are evaluated.
_MAX_TERMS = 1000

Value = Union[Fraction, Any]  # a Fraction, or an mpmath interval (mpmath.iv.mpf)


class Undefined(ArithmeticError):
    """A side has no value at the point: a division by zero, the log of a number that is not positive, ..."""


class NotReal(Undefined):
    """A side has no real value at the point: the root or the log of a negative number, a fractional power of one, a
    value that is not real (sympy's I)."""


def key(atom: Any) -> str:
    """The name a point gives a symbol or an entry: "x", "x[2]"."""
    if isinstance(atom, sympy.Indexed):
        return f"{atom.base.label}[{', '.join(str(i) for i in atom.indices)}]"
    return str(atom)


def _iv(v: Value):
    if isinstance(v, Fraction):
        return mpmath.iv.mpf(v.numerator) / v.denominator
    return v


def _integer(v: Value) -> int:
    if not isinstance(v, Fraction) or v.denominator != 1:
        raise Undefined(f"{v} is not an integer where an index or a bound is needed")
    return int(v)


class _Evaluator:
    def __init__(self, point: Mapping[str, Fraction]) -> None:
        self.point = dict(point)
        # terms of sums and products evaluated so far: nested ones multiply, and are refused past a bound
        self.terms = 0

    def __call__(self, e: sympy.Basic) -> Value:
        if isinstance(e, sympy.Integer):
            return Fraction(int(e))
        if isinstance(e, sympy.Rational):
            return Fraction(int(e.p), int(e.q))
        if e is sympy.E:
            return mpmath.iv.e
        if e is sympy.pi:
            return mpmath.iv.pi
        if isinstance(e, sympy.Symbol):
            if e.name not in self.point:
                raise Undefined(f"the point gives {e.name} no value")
            return self.point[e.name]
        if isinstance(e, sympy.Indexed):
            name = f"{e.base.label}[{', '.join(str(_integer(self(i))) for i in e.indices)}]"
            if name not in self.point:
                raise Undefined(f"the point gives {name} no value")
            return self.point[name]
        if isinstance(e, sympy.Add):
            return self._fold(e.args, lambda a, b: a + b)
        if isinstance(e, sympy.Mul):
            return self._fold(e.args, lambda a, b: a * b)
        if isinstance(e, sympy.Pow):
            return self._pow(self(e.base), e.exp)
        if isinstance(e, (sympy.Sum, sympy.Product)):
            return self._series(e)
        if isinstance(e, sympy.Derivative):  # taken by sympy, then evaluated here
            return self(e.doit())
        if isinstance(e, sympy.Abs):
            v = self(e.args[0])
            return abs(v) if isinstance(v, Fraction) else self._abs(v)
        if isinstance(e, (sympy.Max, sympy.Min)):
            values = [self(a) for a in e.args]
            if all(isinstance(v, Fraction) for v in values):
                return max(values) if isinstance(e, sympy.Max) else min(values)
            bounds = [_iv(v) for v in values]
            pick = max if isinstance(e, sympy.Max) else min
            return mpmath.iv.mpf([pick(b.a for b in bounds), pick(b.b for b in bounds)])
        if isinstance(e, sympy.Piecewise):
            return self._piecewise(e)
        if isinstance(e, sympy.Function) and len(e.args) == 1:
            return self._function(type(e).__name__, self(e.args[0]))
        if e.is_real is False:  # I, zoo
            raise NotReal(f"{e} is not a real number")
        raise Undefined(f"{type(e).__name__} is not evaluated")

    def _piecewise(self, e: sympy.Piecewise) -> Value:
        """The value of the first piece whose condition holds, each condition decided exactly (or by intervals that
        tell it); a condition that cannot be told is no value."""
        relations = {sympy.StrictGreaterThan: ">", sympy.StrictLessThan: "<", sympy.GreaterThan: ">=",
                     sympy.LessThan: "<=", sympy.Equality: "=", sympy.Unequality: "!="}
        for value, condition in e.args:
            if condition is sympy.true:
                return self(value)
            if condition is sympy.false:
                continue
            relation = relations.get(type(condition))
            if relation is None:
                raise Undefined(f"a piece's condition {condition} is not evaluated")
            holds = decide(self(condition.lhs), relation, self(condition.rhs))
            if holds is None:
                raise Undefined(f"whether {condition} holds cannot be told at the point")
            if holds:
                return self(value)
        raise Undefined("no piece's condition holds at the point")

    def _fold(self, args, op) -> Value:
        values = [self(a) for a in args]
        if all(isinstance(v, Fraction) for v in values):
            out = values[0]
            for v in values[1:]:
                out = op(out, v)
            return out
        out = _iv(values[0])
        for v in values[1:]:
            out = op(out, _iv(v))
        return out

    def _pow(self, base: Value, exponent: sympy.Expr) -> Value:
        exp_value = self(exponent)
        if isinstance(exp_value, Fraction) and exp_value.denominator == 1:
            n = int(exp_value)
            if abs(n) > 10_000:
                raise Undefined("an exponent too large to evaluate")
            if isinstance(base, Fraction):
                if base == 0 and n < 0:
                    raise Undefined("division by zero")
                return base**n
            if n < 0 and 0 in base:
                raise Undefined("division by an interval holding zero")
            return base**n
        exact = _exact_root(base, exp_value)
        if exact is not None:
            return exact
        if exponent == sympy.Rational(1, 2) or isinstance(exp_value, Fraction) and exp_value == Fraction(1, 2):
            b = _iv(base)
            if b.a < 0:
                raise NotReal("the square root of a negative number")
            return mpmath.iv.sqrt(b)
        b = _iv(base)
        if b.a <= 0:
            raise NotReal("a power of a number that is not positive")
        return mpmath.iv.exp(_iv(exp_value) * mpmath.iv.log(b))

    def _series(self, e) -> Value:
        return self._over(e.args[0], list(e.args[1:]), isinstance(e, sympy.Sum))

    def _over(self, body, limits: list, is_sum: bool) -> Value:
        """A sum (or product) of body over limits; sympy writes nested sums as one with several limits, the last
        one outermost, so each of them is looped over here."""
        if not limits:
            return self(body)
        index, lo, hi = limits[-1]
        lo_v, hi_v = _integer(self(lo)), _integer(self(hi))
        # a range whose upper bound is below its lower one has no terms (0 for a sum, 1 for a product), whatever the
        # gap: the convention of the statements engine, not sympy's (Karr's, past upper = lower - 1)
        count = max(hi_v - lo_v + 1, 0)
        if count > _MAX_TERMS:
            raise Undefined("a sum of too many terms")
        self.terms += count
        if self.terms > _MAX_TERMS * 10:
            raise Undefined("sums of too many terms")
        saved = self.point.get(index.name)
        total: Value = Fraction(0 if is_sum else 1)
        try:
            for k in range(lo_v, hi_v + 1):
                self.point[index.name] = Fraction(k)
                v = self._over(body, limits[:-1], is_sum)
                if isinstance(total, Fraction) and isinstance(v, Fraction):
                    total = total + v if is_sum else total * v
                else:
                    total = _iv(total) + _iv(v) if is_sum else _iv(total) * _iv(v)
        finally:
            if saved is None:
                self.point.pop(index.name, None)
            else:
                self.point[index.name] = saved
        return total

    @staticmethod
    def _abs(v):
        if v.a >= 0:
            return v
        if v.b <= 0:
            return -v
        return mpmath.iv.mpf([0, max(-v.a, v.b)])

    @staticmethod
    def _function(name: str, v: Value) -> Value:
        iv = mpmath.iv
        if name == "exp":
            if isinstance(v, Fraction) and v == 0:
                return Fraction(1)
            return iv.exp(_iv(v))
        if name == "log":
            if isinstance(v, Fraction):
                if v <= 0:
                    raise NotReal("the log of a number that is not positive")
                if v == 1:
                    return Fraction(0)
            elif v.a <= 0:
                raise NotReal("the log of an interval reaching zero")
            return iv.log(_iv(v))
        if isinstance(v, Fraction) and v == 0 and name in ("tanh", "sinh", "sin", "tan"):
            return Fraction(0)
        if name == "tanh":
            two = iv.exp(2 * _iv(v))
            return (two - 1) / (two + 1)
        if name in ("sinh", "cosh"):
            a, b = iv.exp(_iv(v)), iv.exp(-_iv(v))
            return (a - b) / 2 if name == "sinh" else (a + b) / 2
        if name in ("sin", "cos", "tan"):
            return getattr(iv, name)(_iv(v))
        raise Undefined(f"the function {name} is not evaluated")


def _exact_root(base: Value, exponent: Value) -> Optional[Fraction]:
    """base^(p/q) in exact arithmetic where base is a rational number >= 0 whose q-th root is rational (sqrt(1/4) =
    1/2, 8^(2/3) = 4), so that sides equal there compare equal exactly; None otherwise (an interval is used)."""
    if not (isinstance(base, Fraction) and isinstance(exponent, Fraction)) or base < 0 or exponent.denominator > 64:
        return None
    if base == 0:
        return Fraction(0) if exponent > 0 else None
    q = exponent.denominator
    roots = [_integer_root(part, q) for part in (base.numerator, base.denominator)]
    if None in roots or abs(exponent.numerator) > 10_000:
        return None
    return Fraction(roots[0], roots[1]) ** exponent.numerator


def _integer_root(n: int, q: int) -> Optional[int]:
    """The q-th root of a whole number n >= 0 where it is whole; None otherwise."""
    r = round(n ** (1 / q)) if n < 2**1000 else None
    if r is None:
        return None
    for candidate in (r - 1, r, r + 1):
        if candidate >= 0 and candidate**q == n:
            return candidate
    return None


@contextlib.contextmanager
def digits(dps: int) -> Iterator[None]:
    """Evaluate and decide with intervals of `dps` digits inside the block (60 outside it)."""
    global _DPS
    saved, _DPS = _DPS, dps
    try:
        yield
    finally:
        _DPS = saved


def evaluate(expr: sympy.Basic, point: Mapping[str, Fraction]) -> Value:
    """The value of an expression at a point (names as `key` gives them: "x", "x[2]", "#i" for a sum's length);
    Undefined where it has none."""
    mpmath.iv.dps = _DPS
    try:
        return _Evaluator(point)(expr)
    except ZeroDivisionError:
        raise Undefined("division by zero") from None
    except (OverflowError, ValueError, TypeError) as exc:
        raise Undefined(f"cannot evaluate ({type(exc).__name__})") from None


def decide(left: Value, relation: str, right: Value):
    """Whether the relation holds between two values: True or False when certain, None when intervals overlap."""
    if isinstance(left, Fraction) and isinstance(right, Fraction):
        return {"=": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                ">": left > right, ">=": left >= right}[relation]
    mpmath.iv.dps = _DPS
    d = _iv(left) - _iv(right)
    lo, hi = d.a, d.b
    if relation == "=":
        return False if (lo > 0 or hi < 0) else None
    if relation == "!=":
        return True if (lo > 0 or hi < 0) else None
    if relation in ("<", "<="):
        return True if hi < 0 else False if lo > 0 else None
    return True if lo > 0 else False if hi < 0 else None
