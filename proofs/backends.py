"""Where a statement term is evaluated: z3 terms, sympy expressions, and exact numbers for replays."""

from __future__ import annotations

import contextlib
import fractions
import functools
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

from proofs.domains import MAX_SEQUENCE
from proofs.terms import (CONNECTIVES, RELATIONS, Condition, Term, Unsupported, atoms, conditions, const, evaluate, term, text,
                          variables)

__all__ = ["to_z3", "to_sympy", "exact_value", "decide_exact", "failing", "point_text", "Undecided", "Undefined"]


class Undecided(ValueError):
    """Exact arithmetic could not decide a relation between two numbers (two equal-looking transcendentals, say)."""


class _NoLimit(Unsupported, Undecided):
    """sympy found no limit: sympy's form of the term is missing (another backend is tried), and where none is left
    the statement is not settled."""


class Undefined(ArithmeticError):
    """A term has no value at a point: a division by zero, the logarithm of a number that is not positive, a
    derivative at a corner... The message names what went wrong, the term and the point; `what` leaves the point out."""

    def __init__(self, what: str, point: Optional[str] = None) -> None:
        super().__init__(what if point is None else f"{what} at {point}")
        self.what = what


def point_text(env: Mapping[str, Any]) -> str:
    """A point as a person reads it: x = 0, z = [1, 2]."""
    def show(v):
        return "[" + ", ".join(map(show, v)) + "]" if isinstance(v, list) else str(v)
    return ", ".join(f"{k} = {show(v)}" for k, v in env.items()) or "the statement's stated values"


def _undefined(failure: str, at: Any, env: Mapping[str, Any]) -> Undefined:
    where = f" in {text(at)}" if isinstance(at, Term) else ""
    return Undefined(f"{failure}{where}", point_text(env))


def _pow_int(base, exponent: int, one):
    if exponent < 0:
        return one / _pow_int(base, -exponent, one)
    if exponent == 0:
        return one
    out = base  # not one·base: the query, and the statement printed from it, say what was written
    for _ in range(exponent - 1):
        out = out * base
    return out


def _limit_point(point: Term, values: Mapping[str, Any]):
    import sympy

    if point.op == "infinity":
        return sympy.oo
    if point.op == "neg" and point.args[0].op == "infinity":
        return -sympy.oo
    return to_sympy(point, values)


def _limit_value(body: Term, name: str, point: Term, values: Mapping[str, Any]):
    """lim_{name → point} body as a sympy number or expression, the other variables at `values` (sympy numbers or
    symbols). The tool's semantics: at a finite point both sides must agree (sympy's own default is the right-hand
    limit); a limit that does not exist or is infinite raises Undefined, one sympy cannot find raises Undecided."""
    import sympy

    a = sympy.Symbol(name, real=True)
    try:
        expression = to_sympy(body, {**values, name: a})
        at = _limit_point(point, values)
        if at.has(a) or not (at.is_finite or at in (sympy.oo, -sympy.oo)):
            raise Undecided(f"the point of {text(Term('limit', (body, Term('var', (name,)), point)))} is not a number")
        shown = text(Term("limit", (body, Term("var", (name,)), point)))
        if "diff" in _operators(body):
            _smooth_near(body, {**values, name: a}, a, at, shown)
        if at in (sympy.oo, -sympy.oo):
            [(_side, written, e)] = _limit_sides_real(expression, a, at, shown)
            # towards -∞ as a → +∞ in -a: sympy 1.14's own limit of c^a at -∞ is inverted (2^a → ∞, (1/2)^a → 0)
            value = sympy.limit(expression if at == sympy.oo else expression.subs(a, -a), a, sympy.oo)
            if value.has(sympy.Limit):  # the same limit as e → 0+ in a = ±1/e: 0^a is 0 there (a > 0), not a puzzle
                value = sympy.limit(written, e, 0, dir="+")
            value = _log_signs(value)
        else:
            value = _two_sided_limit(expression, a, at, shown)
    except ValueError as exc:  # sympy: the one-sided limits differ
        if isinstance(exc, (Undecided, Undefined)):
            raise
        raise Undefined(f"a limit that does not exist ({exc})") from None
    except (NotImplementedError, TypeError, AttributeError, RecursionError) as exc:
        raise Undecided(f"sympy found no limit: {exc}") from None
    if value.has(sympy.Limit, sympy.AccumBounds):
        if value.has(sympy.AccumBounds):
            raise Undefined(f"{shown} does not exist (it oscillates: {value})")
        raise Undecided(f"sympy found no limit of {shown}")
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.is_finite is False:
        raise Undefined(f"{shown} is not finite ({value})")
    return value


def _log_signs(value):
    """sympy's limit of r^a as a → ±∞ for an r that depends on other variables is exp(±∞·sign(log(r))): each
    sign(log(u)) with u positive is sign(u - 1), which sympy may know (-1/(x² + 2) is negative for every real x)."""
    import sympy

    def sign_of(u):
        return sympy.sign(sympy.cancel(u - 1)) if u.is_positive is True else sympy.sign(sympy.log(u))

    return value.replace(lambda t: isinstance(t, sympy.sign) and isinstance(t.args[0], sympy.log),
                         lambda t: sign_of(t.args[0].args[0]))


def _smooth_near(body: Term, env: Mapping[str, Any], a, at, shown: str) -> None:
    """A limit's body with a derivative in it is differentiated by sympy, whose symbolic derivative can have a value
    where the derivative has none (d/da log(a) is 1/a, a value at a < 0; d/dx |x| is sign(x), 0 at x = 0): so every
    condition of the body, its derivatives' included, must hold at every point near the limit's point, on each side
    it is approached from. Undefined where an exact one fails at every point near it on one side (the body has no
    value there), Undecided where one is not shown either way."""
    import sympy

    e = sympy.Symbol("_e", positive=True)
    sides = [(1 if at == sympy.oo else -1) / e] if at in (sympy.oo, -sympy.oo) else [at + e, at - e]
    for condition in conditions(body):
        found = [_near(condition.holds, env, a, side, e) for side in sides]
        if all(f is True for f in found):
            continue
        if False in found and condition.exact:
            raise Undefined(f"{shown} does not exist: {condition.failure} near the point")
        raise Undecided(f"whether {text(condition.holds)} holds near the point of {shown}")


def _near(holds: Term, env: Mapping[str, Any], a, side, e) -> Optional[bool]:
    """Whether a condition holds at every point near a limit's point on one side, where the limit's variable a is
    `side`, a function of a small e > 0: True; False where it fails at every such point; None where neither is
    shown. A relation p ⋈ q is read from the one-sided limit of p - q as e → 0 (a positive one keeps p - q positive
    there, a negative one negative); p ≠ q also holds there where p - q is a rational function of e that is not 0
    (it has finitely many zeros)."""
    op = holds.op
    if op == "bool":
        return bool(holds.args[0])
    if op in ("and", "or", "not", "implies"):
        parts = [_near(part, env, a, side, e) for part in holds.args]
        if op == "not":
            return None if parts[0] is None else not parts[0]
        if op == "implies":
            op, parts = "or", [None if parts[0] is None else not parts[0], parts[1]]
        if op == "and":
            return False if False in parts else True if all(p is True for p in parts) else None
        return True if True in parts else False if all(p is False for p in parts) else None
    if op not in RELATIONS:
        return None
    import sympy

    try:
        gap = (to_sympy(holds.args[0], env) - to_sympy(holds.args[1], env)).subs(a, side)
        return _near_side(op, sympy.simplify(gap), e)
    except (Unsupported, TypeError, ValueError, AttributeError, NotImplementedError, RecursionError):
        return None


def _near_side(op: str, gap, e) -> Optional[bool]:
    """Whether gap ⋈ 0 holds for every small enough e > 0 (True), fails for every one (False), or neither is shown."""
    import sympy

    if gap.free_symbols <= {e} and gap.is_rational_function(e) and op in ("ne", "eq"):
        return (gap != 0) == (op == "ne")  # not 0: finitely many zeros, none near the point
    constant = not gap.has(e)  # a condition the limit's variable does not enter: its value at the point decides
    value = gap if constant else sympy.limit(gap, e, 0, dir="+")
    if not constant and value == 0 and gap.free_symbols <= {e} and gap.is_rational_function(e):
        value = _leading_sign(gap, e)  # tends to 0: the sign of its lowest-order terms is its sign near 0
    if value.has(sympy.Limit, sympy.AccumBounds, sympy.nan, sympy.zoo) or value.is_extended_real is not True:
        return None
    above, below = value.is_extended_positive, value.is_extended_negative
    zero = constant and value.is_zero is True
    if op in ("gt", "ge"):
        return True if above or (zero and op == "ge") else False if below or zero else None
    if op in ("lt", "le"):
        return True if below or (zero and op == "le") else False if above or zero else None
    if above or below:
        return op == "ne"
    return (op == "eq") if zero else None


def _leading_sign(gap, e):
    """The sign (-1, 0 or 1, a sympy number) of a rational function of e for every small enough e > 0: the product of
    the signs of the lowest-order coefficients of its numerator and denominator."""
    import sympy

    top, bottom = sympy.fraction(sympy.cancel(gap))
    signs = []
    for part in (top, bottom):
        terms_ = sympy.Poly(part, e).terms()
        if not terms_:
            return sympy.Integer(0)
        signs.append(sympy.sign(min(terms_, key=lambda t: t[0][0])[1]))
    return signs[0] * signs[1]


def _limit_sides_real(expression, a, at, shown: str) -> list:
    """The body written on each side the limit approaches from, a = at ± e (a = ±1/e towards ±∞) for a positive e,
    as (side, expression in e); Undefined where sympy shows the body has no real value there for any e > 0 (sqrt(a)
    left of 0): the body must have a value near the point on every side the limit is taken from."""
    import sympy

    e = sympy.Symbol("_e", positive=True)
    if at in (sympy.oo, -sympy.oo):
        sides = [("towards " + str(at), expression.subs(a, (1 if at == sympy.oo else -1) / e))]
    else:
        sides = [("right", expression.subs(a, at + e)), ("left", expression.subs(a, at - e))]
    for side, written in sides:
        if written.is_extended_real is False:
            raise Undefined(f"{shown} does not exist: the body has no real value on the {side} of the point")
        # A closed body is checked at exact points near the point as well, unless e is in an exponent: (1/2)^(10^9)
        # would be computed exactly (sympy's cache forbids asking under evaluate(False) instead).
        grows = [p for p in written.atoms(sympy.Pow) if e in p.exp.free_symbols]
        for power in grows:  # b^(a power that moves with e) has no real value near the point where b < 0 there
            bases = [power.base.subs(e, sympy.Rational(1, 10 ** k)) for k in (3, 6, 9)]
            if all(b.is_negative for b in bases):
                raise Undefined(f"{shown} does not exist: the body has no real value on the {side} of the point (a "
                                f"power of the negative number {bases[-1]})")
        if not (written.free_symbols - {e}) and not grows:
            for k in (3, 6, 9):
                near = written.subs(e, sympy.Rational(1, 10 ** k))
                if near.is_extended_real is False:
                    raise Undefined(f"{shown} does not exist: the body has no real value on the {side} of the point")
    return [(side, written, e) for side, written in sides]


def _two_sided_limit(expression, a, at, shown: str):
    """lim_{a → at} at a finite point: the limits from the right and from the left, each taken as e → 0+ in a = at ± e
    (sympy's own dir="-" mishandles a Piecewise), must both exist and agree."""
    import sympy

    found = []
    for side, written, e in _limit_sides_real(expression, a, at, shown):
        value = sympy.limit(written, e, 0, dir="+")
        if value.has(sympy.Limit, sympy.AccumBounds, sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.is_finite is False:
            return value  # judged by the caller, as the whole limit's value
        found.append((side, value))
    (_, right), (_, left) = found
    difference = sympy.simplify(right - left)
    if difference != 0:
        if difference.is_zero is False or not difference.free_symbols:
            raise Undefined(f"{shown} does not exist: the limit from the left is {left}, from the right {right}")
        raise Undecided(f"whether the one-sided limits of {shown} agree ({left} and {right})")
    return right


# --- z3 -------------------------------------------------------------------------------------------------------------

def _z3_ops(universal: bool = False) -> dict:
    """With universal, a condition for every index of a sum holds for a fresh integer that z3 may choose: sound only
    where the formula is to be proved valid (no negation above it)."""
    import z3

    def real(a):
        return z3.ToReal(a) if z3.is_int(a) else a

    def const(v):
        if isinstance(v, fractions.Fraction):
            return z3.RealVal(f"{v.numerator}/{v.denominator}")
        return z3.IntVal(v)

    def power(a, b):
        if z3.is_int_value(b) and b.as_long() >= 0:
            return _pow_int(a, b.as_long(), z3.IntVal(1))
        if z3.is_int_value(b):
            return _pow_int(real(a), b.as_long(), z3.RealVal(1))
        raise Unsupported("a power whose exponent is not a whole number")

    ops = {
        "const": const, "bool": z3.BoolVal,
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: real(a) / real(b), "pow": power, "neg": lambda a: -a,
        "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
        "and": z3.And, "or": z3.Or, "not": z3.Not, "implies": z3.Implies, "ite": z3.If,
        "abs": lambda a: z3.If(a >= 0, a, -a), "max": lambda a, b: z3.If(a >= b, a, b),
        "min": lambda a, b: z3.If(a <= b, a, b), "relu": lambda a: z3.If(a > 0, a, 0),
        "integer": lambda a: z3.BoolVal(True) if z3.is_int(a) else z3.IsInt(a),
    }
    ops["some"], ops["every"] = _z3_quantifier(False), _z3_quantifier(True)

    def limit(body, name, point, env):  # a closed limit is the number sympy finds; z3 takes it when it is rational
        if (variables(body) - {name}) | variables(point):
            raise Unsupported("a limit whose body or point has free variables")
        try:
            value = _limit_value(body, name, point, {})
        except (Undecided, Undefined) as exc:
            raise Unsupported(str(exc)) from None
        if not value.is_Rational:
            raise Unsupported(f"a limit whose value {value} is not rational")
        return z3.RealVal(f"{value.p}/{value.q}")
    ops["limit"] = limit
    ops.update(_z3_sequence_ops(ops))
    if universal:
        def every(each, name, lower, upper):
            index = z3.FreshInt(name)
            return z3.Implies(z3.And(lower <= index, index <= upper), each(index))
        ops["all"] = every
    return ops


def _z3_sequence_ops(ops: dict) -> dict:
    """Recurrences and sequence elements where the sequence is a given list and the step a whole number (as
    always(...) writes them out); always(...) written out over its input sequences (proofs.recurrences)."""
    import z3

    def whole(i):
        if z3.is_int_value(i):
            return i.as_long()
        if isinstance(i, int) and not isinstance(i, bool):
            return i
        raise Unsupported("a sequence read at a symbolic step has no z3 form here")

    def element(base, i):
        if not isinstance(base, list):
            raise Unsupported("a sequence of symbolic length has no z3 form here")
        k = whole(i)
        if not 1 <= k <= len(base):
            raise Unsupported(f"element {k} of a sequence written out to {len(base)} elements")
        return base[k - 1]

    def recur(step, initial, sequences, index):
        if any(not isinstance(s, list) for s in sequences):
            raise Unsupported("a recurrence over a sequence of symbolic length has no z3 form here")
        k = whole(index)
        if k < 0 or any(len(s) < k for s in sequences):
            raise Unsupported(f"step {k} of a recurrence over sequences written out to fewer elements")
        value = initial
        for n in range(k):
            value = step(value, [s[n] for s in sequences])
        return value

    def always(t, env):
        from proofs import recurrences

        return recurrences.always_unrolled(t, env, ops)
    return {"index": element, "recur": recur, "always": always}


def z3_domain(v, domain) -> list:
    """What a domain (proofs.domains) says of the z3 constant v: its finite values, or its bounds."""
    import z3

    given = []
    if domain.values is not None:
        given.append(z3.Or([v == to_z3(term(x), {}) for x in domain.values]))
    if domain.lower is not None:
        bound = to_z3(term(domain.lower), {})
        given.append(v > bound if domain.lower_open else v >= bound)
    if domain.upper is not None:
        bound = to_z3(term(domain.upper), {})
        given.append(v < bound if domain.upper_open else v <= bound)
    return given


def _z3_quantifier(universal: bool):
    """∃ / ∀ of a bound variable over its domain, with the body's conditions: a value where a term of the body has
    none is not a witness of ∃ and a counterexample of ∀."""
    import z3

    def apply(each, name, domain, body, env):
        v = z3.FreshInt(name) if domain.kind == "int" else z3.FreshReal(name)
        inner = {**env, name: v}
        ops = _z3_ops()
        defined = [evaluate(c.holds, inner, ops) for c in conditions(body)]
        holds = z3.And(*defined, each(v)) if defined else each(v)
        given = z3_domain(v, domain)
        if universal:
            return z3.ForAll([v], z3.Implies(z3.And(*given), holds) if given else holds)
        return z3.Exists([v], z3.And(*given, holds) if given else holds)
    return apply


def to_z3(t: Term, env: Mapping[str, Any], *, universal: bool = False, functions: Optional[Mapping[str, Any]] = None):
    """The term as a z3 expression over the z3 constants in env; Unsupported for exp, log, derivatives and the like.
    With universal, the term is a condition to be proved valid, and a condition for every index of a sum is one for a
    fresh integer constant. `functions` gives z3 forms for functions that have none here (proofs.ranges)."""
    return evaluate(t, env, {**_z3_ops(universal), **(functions or {})})


# --- sympy ----------------------------------------------------------------------------------------------------------

def _sympy_ops() -> dict:
    import sympy

    def const(v):
        return sympy.Rational(v.numerator, v.denominator) if isinstance(v, fractions.Fraction) else sympy.Integer(v)

    def differentiate(body: Term, name: str, env):
        at = env[name]
        if isinstance(at, sympy.Symbol):
            return sympy.diff(evaluate(body, env, ops), at)
        # a number (a limit's body read at a point): differentiated symbolically, then the number put in
        moving = sympy.Dummy(name, real=True)
        return sympy.diff(evaluate(body, {**env, name: moving}, ops), moving).subs(moving, at)

    def total(each, name: str, lower, upper):
        """The tool's sum: 0 wherever the range is empty. sympy's Sum follows Karr's convention (the sum from a to b
        is minus the sum from b + 1 to a - 1 when b < a - 1), which agrees only where upper >= lower - 1: the range
        condition is part of the expression, so no identity sympy shows can rest on the convention."""
        low = sympy.sympify(lower)
        sign = {"positive": True} if low.is_positive else {"nonnegative": True} if low.is_nonnegative else {}
        index = sympy.Symbol(name, integer=True, **sign)  # every index the sum evaluates lies in [lower, upper]
        return sympy.Piecewise((sympy.Sum(each(index), (index, lower, upper)), sympy.Ge(upper, low - 1)), (0, True))

    def integer(a):
        if a.is_integer is None:
            raise Unsupported("whether an expression is a whole number")
        return sympy.true if a.is_integer else sympy.false

    ops = {
        "const": const, "bool": sympy.sympify,
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
        "pow": lambda a, b: a ** b, "neg": lambda a: -a,
        "eq": sympy.Eq, "ne": sympy.Ne, "lt": sympy.Lt, "le": sympy.Le, "gt": sympy.Gt, "ge": sympy.Ge,
        "and": sympy.And, "or": sympy.Or, "not": sympy.Not, "implies": sympy.Implies,
        "ite": lambda c, a, b: sympy.Piecewise((a, c), (b, True)),
        "abs": sympy.Abs, "max": sympy.Max, "min": sympy.Min, "relu": lambda a: sympy.Max(a, 0),
        "exp": sympy.exp, "log": sympy.log, "tanh": sympy.tanh, "sqrt": sympy.sqrt,
        "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)), "softplus": lambda a: sympy.log(1 + sympy.exp(a)), "diff": differentiate,
        "sum": total, "index": lambda base, i: base[i], "integer": integer,
        "apply": lambda fn, *args: _uninterpreted().sympy_apply(fn, args),
    }

    def limit(body, name, point, env):
        try:
            return _limit_value(body, name, point, {k: v for k, v in env.items() if k != name})
        except Undefined:  # no value: nothing sympy shows holds of it; the exact replay names why
            return sympy.nan
        except Undecided as exc:
            raise _NoLimit(str(exc)) from None
    ops["limit"] = limit
    return ops


def _uninterpreted():
    from proofs import uninterpreted

    return uninterpreted


def to_sympy(t: Term, env: Mapping[str, Any]):
    """The term as a sympy expression over the symbols in env (a relation stays unevaluated where sympy cannot decide it)."""
    return evaluate(t, env, _sympy_ops())


# --- exact numbers --------------------------------------------------------------------------------------------------

def _as_sympy(v):
    import sympy

    if isinstance(v, fractions.Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, int) and not isinstance(v, bool):
        return sympy.Integer(v)
    return v


def _exact(v):
    """Back to a Fraction when the value is rational, so that rational arithmetic stays fast."""
    import sympy

    if isinstance(v, sympy.Rational):
        return fractions.Fraction(int(v.p), int(v.q))
    return v


def _relation(name: str):
    import operator

    import sympy

    python = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}[name]
    symbolic = {"eq": sympy.Eq, "ne": sympy.Ne, "lt": sympy.Lt, "le": sympy.Le, "gt": sympy.Gt, "ge": sympy.Ge}[name]

    def decide(a, b) -> bool:
        if isinstance(a, (int, fractions.Fraction)) and isinstance(b, (int, fractions.Fraction)):
            return bool(python(a, b))
        left, right = _as_sympy(a), _as_sympy(b)
        sign: Any = "symbolic"
        if isinstance(left, sympy.Expr) and isinstance(right, sympy.Expr) and left.is_number and right.is_number:
            try:  # sympy's relations compare floats that can lose a difference below 10^-30: a - b's sign decides
                sign = _interval_sign(left - right)
            except _NoInterval:
                pass
        if sign in (-1, 0, 1):
            return bool(python(sign, 0))
        if sign is None:  # a - b is within 2^-16384 of 0: equal only where it is exactly 0
            gap = _as_sympy(a) - _as_sympy(b)
            if sympy.cancel(sympy.together(gap.rewrite(sympy.exp))) == 0 or sympy.simplify(gap).equals(0) is True:
                return bool(python(0, 0))
            raise Undecided(f"cannot decide {a} {name} {b} exactly")
        outcome = symbolic(_as_sympy(a), _as_sympy(b))
        if outcome is sympy.true:
            return True
        if outcome is sympy.false:
            return False
        if name in ("eq", "ne"):
            try:  # numbers that differ are told apart by evaluation with a guaranteed accuracy, far faster
                gap = sympy.N(_as_sympy(a) - _as_sympy(b), 30, strict=True)
                if gap.is_Number and abs(gap) > sympy.Float("1e-20"):
                    return name == "ne"
            except (sympy.core.evalf.PrecisionExhausted, TypeError, ValueError, ArithmeticError):
                pass
            gap = _as_sympy(a) - _as_sympy(b)
            if sympy.cancel(sympy.together(gap.rewrite(sympy.exp))) == 0:  # tanh, sigmoid as exponentials: equal
                return name == "eq"
            same = sympy.simplify(gap).equals(0)
            if same is not None:
                return bool(same) == (name == "eq")
        raise Undecided(f"cannot decide {a} {name} {b} exactly")
    return decide


class _NoInterval(Exception):
    """A number the interval evaluation does not read (an algebraic root, a constant such as π)."""


class _Imprecise(Exception):
    """The enclosure at this precision is too wide to evaluate the next operation (a logarithm of an interval that
    reaches 0)."""


_PRECISIONS = (64, 256, 1024, 4096, 16384)


def _interval_sign(value) -> Optional[int]:
    """The sign of an exact number (a sympy expression built from rationals, +, ·, powers, exp, log, tanh) from
    enclosures in outward-rounded interval arithmetic at growing precision: -1, 0 (only for an exact 0) or 1; None
    where every enclosure up to 16384 bits contains 0. _NoInterval for a number it does not read."""
    import mpmath

    if value.is_Rational:
        return (value.p > 0) - (value.p < 0)
    iv = mpmath.iv
    previous = iv.prec
    try:
        for bits in _PRECISIONS:
            iv.prec = bits
            try:
                enclosure = _enclose(value, iv)
            except _Imprecise:
                continue
            if enclosure.a > 0:
                return 1
            if enclosure.b < 0:
                return -1
        return None
    finally:
        iv.prec = previous


def _enclose(e, iv):
    """An interval containing the number e at the context's precision."""
    import sympy

    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational:
        return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
    if e.is_Add or e.is_Mul:
        parts = [_enclose(a, iv) for a in e.args]
        out = parts[0]
        for p in parts[1:]:
            out = out + p if e.is_Add else out * p
        return out
    if e.is_Pow:
        base, exponent = _enclose(e.args[0], iv), e.args[1]
        if exponent.is_Integer and (int(exponent) > 0 or base.a > 0 or base.b < 0):
            return base ** int(exponent)
        if exponent.is_Integer:
            raise _Imprecise()
        if base.a <= 0:
            raise _NoInterval() if base.b <= 0 else _Imprecise()
        return iv.exp(_enclose(exponent, iv) * iv.log(base))
    if isinstance(e, sympy.exp):
        return iv.exp(_enclose(e.args[0], iv))
    if isinstance(e, sympy.log):
        inside = _enclose(e.args[0], iv)
        if inside.a <= 0:
            raise _NoInterval() if inside.b <= 0 else _Imprecise()
        return iv.log(inside)
    if isinstance(e, sympy.tanh):  # 1 - 2/(exp(2a) + 1), which does not overflow to inf/inf
        return 1 - 2 / (iv.exp(2 * _enclose(e.args[0], iv)) + 1)
    raise _NoInterval()


def _exact_function(name: str):
    import sympy

    functions = {"exp": sympy.exp, "log": sympy.log, "tanh": sympy.tanh, "sqrt": sympy.sqrt,
                 "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)), "softplus": lambda a: sympy.log(1 + sympy.exp(a))}
    return lambda a: _exact(functions[name](_as_sympy(a)))


def _whole(value, what: str) -> int:
    """An exact integer (a sum's bound, a sequence's index), or Undecided."""
    if isinstance(value, _Dual):
        value = value.v
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, fractions.Fraction) and value.denominator == 1)):
        raise Undecided(f"{what} {value} is not an integer")
    return int(value)


def _exact_sum(each, name: str, lower, upper, zero=fractions.Fraction(0), add=lambda a, b: _exact(a + b)):
    low, high = _whole(lower, "the lower bound of a sum"), _whole(upper, "the upper bound of a sum")
    if high - low + 1 > MAX_SEQUENCE:
        raise Undecided(f"a sum of {high - low + 1} terms is longer than {MAX_SEQUENCE}")
    out = zero
    for i in range(low, high + 1):
        out = add(out, each(i))
    return out


def _element(base, i):
    """x[i] of a sequence given as the list [x_1, x_2, ...]; a missing element means the witness does not carry the
    values the statement needs."""
    from proofs.model import ForgedWitness

    k = _whole(i, "the index of a sequence")
    if not isinstance(base, list):
        raise Unsupported("only a sequence variable (Indexed) can be indexed")
    if not 1 <= k <= len(base):
        raise ForgedWitness(f"the sequence has {len(base)} elements, and the statement needs element {k} (indices start at 1)")
    return base[k - 1]


def _exact_recurrence(step, initial, sequences, index):
    """h[index] of h_t = step(h_{t-1}, (x_t, ...)) from h_0 = initial, step by step."""
    n = _whole(index, "the step of a recurrence")
    if n > MAX_SEQUENCE:
        raise Undecided(f"a recurrence run for {n} steps is longer than {MAX_SEQUENCE}")
    value = initial
    for t in range(1, n + 1):
        value = step(value, [_element(sequence, t) for sequence in sequences])
    return value


def _exact_always(t, env):
    from proofs import recurrences

    return recurrences.always_exact(t, env)


def _is_whole(value) -> bool:
    import sympy

    if isinstance(value, (int, fractions.Fraction)) and not isinstance(value, bool):
        return fractions.Fraction(value).denominator == 1
    return isinstance(value, sympy.Integer)


def _exact_ops(env: Mapping[str, Any]) -> dict:
    """Exact operations at the point env; an operation that has no value there raises Undefined (the statement's
    conditions are checked first, so this is the last line: no ZeroDivisionError and no complex number escapes)."""
    relations = {name: _relation(name) for name in ("eq", "ne", "lt", "le", "gt", "ge")}

    def power(a, b):
        if _is_whole(b):
            if int(b) < 0 and relations["eq"](a, 0):
                raise _undefined("0 to a negative power", None, env)
            if isinstance(a, (int, fractions.Fraction)):
                return fractions.Fraction(a) ** int(b)
            return _exact(_as_sympy(a) ** int(b))
        if relations["lt"](a, 0) or (relations["eq"](a, 0) and relations["le"](b, 0)):
            raise _undefined("0 to a negative power, or a negative number to a power that is not whole", None, env)
        return _exact(_as_sympy(a) ** _as_sympy(b))

    def divide(a, b):
        if relations["eq"](b, 0):
            raise _undefined("division by zero", None, env)
        if isinstance(a, (int, fractions.Fraction)) and isinstance(b, (int, fractions.Fraction)):
            return fractions.Fraction(a) / b
        return _exact(_as_sympy(a) / _as_sympy(b))

    def partial(name, test, failure):
        function = _exact_function(name)

        def apply(a):
            if not test(a):
                raise _undefined(failure, None, env)
            return function(a)
        return apply

    def every(each, name, lower, upper):
        low, high = _whole(lower, "the lower bound of a sum"), _whole(upper, "the upper bound of a sum")
        if high - low + 1 > MAX_SEQUENCE:
            raise Undecided(f"a sum of {high - low + 1} terms is longer than {MAX_SEQUENCE}")
        return all(each(i) for i in range(low, high + 1))

    def quantified(universal):
        def apply(each, name, domain, body, inner):
            return _exact_quantifier(universal, each, name, domain, body, inner)
        return apply

    def biggest(a, b):
        return a if relations["ge"](a, b) else b

    def smallest(a, b):
        return a if relations["le"](a, b) else b

    ops = {
        "const": fractions.Fraction, "bool": bool,
        "add": lambda a, b: _exact(a + b), "sub": lambda a, b: _exact(a - b), "mul": lambda a, b: _exact(a * b),
        "div": divide, "pow": power, "neg": lambda a: -a, **relations,
        "and": lambda a, b: a and b, "or": lambda a, b: a or b, "not": lambda a: not a,
        "lazy": True, "implies": lambda a, b: (not a()) or b(), "ite": lambda c, a, b: a() if c() else b(),
        "abs": lambda a: a if relations["ge"](a, 0) else -a, "max": biggest, "min": smallest,
        "relu": lambda a: biggest(a, 0),
        **{name: _exact_function(name) for name in ("exp", "tanh", "sigmoid", "softplus")},
        "log": partial("log", lambda a: relations["gt"](a, 0), "the logarithm of a number that is not positive"),
        "sqrt": partial("sqrt", lambda a: relations["ge"](a, 0), "the square root of a negative number"),
        "sum": _exact_sum, "index": _element, "all": every, "integer": _is_whole,
        "some": quantified(False), "every": quantified(True),
        "apply": lambda fn, *args: _uninterpreted().exact_apply(fn, args), "recur": _exact_recurrence,
        "always": _exact_always,
    }
    def derivative(body, name, point):
        try:
            return _derivative(body, name, point)
        except Undefined as exc:  # name the derivative: the operation that failed inside it was given values only
            raise _undefined(exc.what, Term("diff", (body, Term("var", (name,)))), point) from None

    ops["diff"] = derivative

    def limit(body, name, point, values):
        return _exact(_limit_value(body, name, point, {k: _as_sympy(v) for k, v in values.items() if k != name}))
    ops["limit"] = limit
    return ops


# While a `recording_inner()` block runs: every value of an inner quantifier's variable that z3 found and the exact
# replay confirmed, or z3's unsat, as one line each.
_INNER: Optional[list] = None


@contextlib.contextmanager
def recording_inner() -> Iterator[list]:
    """Collect how each inner quantifier over an infinite domain was settled inside the block."""
    global _INNER
    previous, _INNER = _INNER, []
    try:
        yield _INNER
    finally:
        _INNER = previous


def _note_inner(text_: str) -> None:
    if _INNER is not None and text_ not in _INNER:
        _INNER.append(text_)


def _exact_quantifier(universal: bool, each, name: str, domain, body: Term, env: Mapping[str, Any]) -> bool:
    """∃ / ∀ of a bound variable at a point. Over a finite domain every value is checked exactly. Over an infinite one
    z3 is asked, with the point's values in place, for a witness of ∃ (a counterexample of ∀), which is then replayed
    exactly; where z3 shows there is none (unsat), that answer decides. Undecided where neither settles it."""
    def truth(value) -> bool:
        try:
            return bool(each(value))
        except Undefined:
            return False

    if domain.size is not None:
        if domain.size > MAX_SEQUENCE:
            raise Undecided(f"a quantifier over {domain.size} values is more than {MAX_SEQUENCE}")
        found = (truth(v) != universal for v in domain.points())
        return universal != any(found)
    point = _instance_point(universal, name, domain, body, env)
    symbol = "∀" if universal else "∃"
    at = f" at {point_text(env)}" if env else ""
    if point is None:
        probe = _inner_probe(universal, truth, name, domain, body, env)
        if probe is not None:  # z3's unsat does not survive the exact replay at a boundary probe of the inner domain
            _note_inner(f"{symbol} {name} ∈ {domain.name}{at}: z3 answered unsat, but {name} = {probe} is a "
                        f"{'counterexample' if universal else 'witness'} in exact arithmetic")
            return not universal
        _note_inner(f"{symbol} {name} ∈ {domain.name}{at}: z3 shows there is no {'counterexample' if universal else 'witness'} (unsat)")
        return universal
    if truth(point) != universal:
        _note_inner(f"{symbol} {name} ∈ {domain.name}{at}: {'counterexample' if universal else 'witness'} {name} = {point}, "
                    f"found by z3 and replayed exactly")
        return not universal
    raise Undecided(f"z3's {'counterexample' if universal else 'witness'} {name} = {point} does not replay exactly")


def _inner_probe(universal: bool, truth, name: str, domain, body: Term, env: Mapping[str, Any]):
    """A boundary probe of the inner domain (its bounds, 0, ±1, small rationals, the body's kinks and roots at the
    point) where the body fails (for ∀) or holds (for ∃) in exact arithmetic, or None: z3's unsat counts only once the
    exact replay agrees there."""
    from proofs import probes
    from proofs.recurrences import _substitute

    try:
        fixed = _substitute(body, {k: term(v) for k, v in env.items() if isinstance(v, (int, fractions.Fraction))})
        points = probes.boundary_points(fixed, {name: domain}, limit=_INNER_PROBES)
    except Exception:  # noqa: BLE001 - a boundary the probes cannot read adds no point: the plain candidates stand
        points = [{name: v} for v in probes._candidates(domain)]
    for point in points:
        value = point.get(name)
        if value is None:
            continue
        try:
            if truth(value) != universal:
                return value
        except (Undecided, ZeroDivisionError, ValueError, TypeError, Unsupported):
            continue
    return None


# At most this many boundary probes replay an inner quantifier z3 answered unsat for.
_INNER_PROBES = 24


def _instance_point(universal: bool, name: str, domain, body: Term, env: Mapping[str, Any]):
    """z3's value of the bound variable where the body holds (for ∃) or fails (for ∀) at the point, or None where z3
    shows there is none; Undecided where z3 cannot tell or the point is not rational."""
    import z3

    from proofs.solvers.smt import solve

    if any(isinstance(v, (_Dual, list)) or not isinstance(v, (int, fractions.Fraction)) for v in env.values()):
        raise Undecided("a quantifier at a point that is not rational")
    from proofs.ranges import Ranges

    v = z3.Int(name) if domain.kind == "int" else z3.Real(name)
    fixed = {k: to_z3(term(x), {}) for k, x in env.items()}
    inner = {**fixed, name: v}
    facts: list = []
    try:
        defined = [to_z3(c.holds, inner) for c in conditions(body)]
        holds = z3.And(*defined, to_z3(body, inner)) if defined else to_z3(body, inner)
    except Unsupported as exc:
        # exp, log, σ, tanh, softplus, sqrt, fractional powers: constants bounded by their known ranges, whose unsat
        # shows there is none; a model's value of the variable counts only once the caller's exact replay agrees
        ranges = Ranges()
        try:
            defined = [ranges.to_z3(c.holds, inner) for c in conditions(body)]
            holds = z3.And(*defined, ranges.to_z3(body, inner)) if defined else ranges.to_z3(body, inner)
        except Unsupported:
            raise Undecided(f"a quantifier whose body z3 cannot read ({exc})") from None
        facts = ranges.facts
    answer = solve([*z3_domain(v, domain), *facts, z3.Not(holds) if universal else holds], [v])
    if answer.answer == "unknown":
        raise Undecided(f"z3 cannot settle the inner quantifier: {answer.reason}")
    if answer.answer == "unsat":
        return None
    from proofs.domains import exact_number

    return exact_number(answer.model[name], name)


def failing(required: Sequence[Condition], env: Mapping[str, Any], *, sufficient: bool = False) -> Optional[Condition]:
    """The first of a term's exact conditions (`proofs.terms.conditions`) that fails at the point, or None where all
    hold; with sufficient, the first of all its conditions, a derivative's sufficient ones included."""
    ops = _exact_ops(env)
    for condition in required:
        if (condition.exact or sufficient) and not evaluate(condition.holds, env, ops):
            return condition
    return None


def _defined(t: Term, env: Mapping[str, Any], required: Optional[Sequence[Condition]]) -> None:
    condition = failing(conditions(t) if required is None else required, env)
    if condition is not None:
        raise _undefined(condition.failure, condition.at, env)


def exact_value(t: Term, env: Mapping[str, Any], required: Optional[Sequence[Condition]] = None):
    """The term's exact value at exact numbers (Fractions where rational; sympy numbers otherwise); Undefined, naming
    the subterm and the point, where one of its conditions (`required`, or those derived from it) fails. A derivative
    is taken by forward-mode differentiation at the point (dual numbers), not by symbolic differentiation."""
    _defined(t, env, required)
    try:
        return evaluate(t, env, _exact_ops(env))
    except ZeroDivisionError:  # a path the conditions and the checked operations do not cover: still no value
        raise _undefined("division by zero", t, env) from None


def decide_exact(t: Term, env: Mapping[str, Any], required: Optional[Sequence[Condition]] = None) -> bool:
    """Whether a relation or boolean term holds at exact numbers; Undefined where the term has no value."""
    value = exact_value(t, env, required)
    if not isinstance(value, bool):
        raise TypeError(f"a statement must be a relation or a combination of relations, not the value {value}")
    return value


# --- dual numbers: derivatives at a point, exactly ------------------------------------------------------------------

class _Dual:
    """value + slope·ε with ε² = 0, over exact numbers."""

    __slots__ = ("v", "d")

    def __init__(self, v, d) -> None:
        self.v, self.d = v, d


class _Flat(_Dual):
    """0 + 0·ε where the value is exactly 0 near the point (on the side of the direction, for a one-sided slope): relu
    of an argument below 0 there. A power or square root of it is 0 there too, where one of a base that is 0 with slope
    0 may have no value nearby (-h² to the power 3/2). Any operation that builds a new value drops the mark."""

    __slots__ = ()


class _Steep(_Dual):
    """A one-sided slope that is infinite: d is its sign, +1 or -1 (sqrt or a power below 1 of a base growing from 0
    along the direction). A sum, a product or quotient with a factor that is not 0 there, and a smooth function of it
    with a slope other than 0 stay infinite; anything else is not decided at first order. A derivative whose one-sided
    slope is infinite does not exist."""

    __slots__ = ()


class _Root(_Steep):
    """A _Steep whose value is 0 and whose leading term is known: (c·h)^q for a small step h along the direction, c > 0
    the base's exact slope, 0 < q < 1 (a square root, or a power below 1, of a base growing from 0). A positive
    constant power of it is (c·h)^(q·p): slope 0 where q·p > 1, c where q·p = 1, still infinite where q·p < 1."""

    __slots__ = ("c", "q")

    def __init__(self, c, q) -> None:
        super().__init__(fractions.Fraction(0), 1)
        self.c, self.q = c, q


class _Lead(_Dual):
    """A value 0 with a finite slope whose leading term is known: (c·h)^q for a small step h along the direction, c > 0
    the base's exact slope, q ≥ 1 (a whole power, or a power above 1, of a base growing from 0). Its slope is c at
    q = 1, 0 above; a positive constant power or a square root of it is (c·h)^(q·p), decided like a _Root's."""

    __slots__ = ("c", "q")

    def __init__(self, c, q) -> None:
        super().__init__(fractions.Fraction(0), c if q == 1 else fractions.Fraction(0))
        self.c, self.q = c, q


class _Kink(Exception):
    """Raised by the two-sided evaluation at a corner, tie or switch with a slope: the one-sided slopes decide it."""


def _derivative(body: Term, name: str, env: Mapping[str, Any]):
    """The derivative of body with respect to `name` at the point. Where the evaluation meets a corner of |·|, relu,
    max or min, or an ite switching, the whole term decides: its one-sided slopes to the right and to the left are
    computed in exact arithmetic (directional dual numbers) and the derivative exists exactly when they agree."""
    if any(isinstance(v, _Dual) for v in env.values()):
        raise Unsupported("a derivative of a derivative in a replay")
    if "diff" in _operators(body):  # a second derivative: the inner one written out, the outer one taken by duals
        written = written_out(body, _written_derivative)
        if written is None:
            raise Unsupported("a derivative of a derivative in a replay")
        body = written
    ops = _exact_ops(env)
    try:
        return _slope(body, name, env, ops, None)
    except _Kink as exc:
        first = str(exc)
    right = _slope(body, name, env, ops, 1)
    left = _slope(body, name, env, ops, -1)  # the slope along -1: minus the left derivative
    if not ops["eq"](right, ops["neg"](left)):  # named after the first corner met: where the slopes part
        raise _undefined(first, None, env)
    return right


def _operators(t: Term) -> set:
    return {t.op}.union(*(_operators(a) for a in t.args if isinstance(a, Term)))


# d/da of the smooth functions, as terms of a: each is the function's derivative wherever the function has a value.
_SLOPES = {
    "exp": lambda a: Term("exp", (a,)),
    "log": lambda a: const(1) / a,
    "tanh": lambda a: const(1) - Term("tanh", (a,)) * Term("tanh", (a,)),
    "sigmoid": lambda a: Term("sigmoid", (a,)) * (const(1) - Term("sigmoid", (a,))),
    "softplus": lambda a: Term("sigmoid", (a,)),
}


def _written_derivative(t: Term, name: str) -> Optional[Term]:
    """d t / d name as a term, by the rules of +, -, ·, /, whole constant powers and the chain rule through exp, log,
    tanh, sigmoid and softplus; None where t has another operator (|·|, relu, max, min, ite, sqrt, a sum, ...), whose
    derivative is left to the dual numbers, which see its corners."""
    op, args = t.op, t.args
    if op == "var":
        return const(1 if args[0] == name else 0)
    if op in ("const", "param") or name not in variables(t):
        return const(0)
    if op == "diff":
        inner = written_out(t, _written_derivative)
        return None if inner is None else _written_derivative(inner, name)
    if op in BINDERS:
        return None
    if op == "apply":  # an uninterpreted function: the chain rule over its partial derivatives
        fn, parts = args[0], args[1:]
        slopes = [_written_derivative(a, name) for a in parts]
        if any(s is None for s in slopes):
            return None
        pieces = [fn.partial(i + 1)(*parts) * s for i, (a, s) in enumerate(zip(parts, slopes)) if name in variables(a)]
        return functools.reduce(lambda a, b: a + b, pieces) if pieces else const(0)
    if not all(isinstance(a, Term) for a in args):
        return None
    inner = [_written_derivative(a, name) for a in args]
    if any(d is None for d in inner):
        return None
    if op in _SLOPES:
        return _SLOPES[op](args[0]) * inner[0]
    return arithmetic_derivative(op, args, inner, name)


def arithmetic_derivative(op: str, args: Sequence[Term], inner: Sequence[Term], name: str) -> Optional[Term]:
    """d/d name of +, -, ·, / or a whole constant power of the operands `args`, from their derivatives `inner`; None
    for another operator, or a power whose exponent is not a whole constant."""
    if op in ("add", "sub"):
        return Term(op, (inner[0], inner[1]))
    if op == "neg":
        return -inner[0]
    if op == "mul":
        return inner[0] * args[1] + args[0] * inner[1]
    if op == "div":
        return (inner[0] * args[1] - args[0] * inner[1]) / (args[1] * args[1])
    if op == "pow":
        k = args[1].args[0] if args[1].op == "const" else None
        if k is None or fractions.Fraction(k).denominator != 1 or name in variables(args[1]):
            return None
        return const(int(k)) * args[0] ** (int(k) - 1) * inner[0] if k != 0 else const(0)
    return None


# Operators that bind a variable of their own in their body: a sum's index (and that of a condition for every index of
# one), a quantifier's variable, a limit's variable, a recurrence's state and letters, always's step and sequences.
BINDERS = frozenset({"sum", "all", "some", "every", "limit", "recur", "always"})


def written_out(t: Term, derivative: Callable[[Term, str], Optional[Term]]) -> Optional[Term]:
    """The term with every derivative in it written out by `derivative(body, name)`, inner ones first; None where one
    cannot be. A derivative inside the body of a binder (BINDERS) is never written out, and the term is then None: the
    body's definedness is part of the binder's meaning (a quantifier's body is false where it has no value, a limit's
    is read near its point, a recurrence's step at every step), and a written-out derivative can have a value where
    the derivative has none (d/dx log(x) is 1/x, which has a value at x < 0). `derivative` does not differentiate
    through a binder either: it gives 0 where the binder does not mention the variable free (its bound variable is
    another one, whatever its name), None where it does (a derivative is not pushed through a sum, a limit or a
    recurrence)."""
    if t.op == "diff":
        body = written_out(t.args[0], derivative)
        return None if body is None else derivative(body, t.args[1].args[0])
    if "diff" not in _operators(t):
        return t
    if t.op in BINDERS:
        return None
    args = []
    for a in t.args:
        out = written_out(a, derivative) if isinstance(a, Term) else a
        if out is None:
            return None
        args.append(out)
    return Term(t.op, tuple(args))


def _slope(body: Term, name: str, env: Mapping[str, Any], ops: dict, direction: Optional[int]):
    """The derivative (direction None, raising _Kink at a corner) or the slope along +1 or -1 (one-sided)."""
    seed = fractions.Fraction(1 if direction is None else direction)
    dual_env = {k: [_Dual(e, fractions.Fraction(0)) for e in v] if isinstance(v, list) else
                _Dual(v, seed if k == name else fractions.Fraction(0)) for k, v in env.items()}
    out = evaluate(body, dual_env, _dual_ops(ops, env, name, direction))
    if isinstance(out, _Steep):
        raise _undefined("the derivative where a one-sided slope is infinite", None, env)
    return out.d if isinstance(out, _Dual) else fractions.Fraction(0)


def _dual_ops(x: dict, point: Mapping[str, Any], name: str, direction: Optional[int] = None) -> dict:
    """Operations on dual numbers for the derivative with respect to `name` at the point. With direction None they
    are two-sided: at a corner, a tie or a switch whose slopes decide nothing by themselves they raise _Kink. With a
    direction (+1 or -1) the slopes are one-sided along it: |a| at a = 0 has slope |a'|, relu max(a', 0), max and min
    at a tie the larger and the smaller slope, an ite on a boundary the branch its condition takes along the
    direction (which must have the value the ite has at the point). Undefined where no derivative exists, Undecided
    where the first-order slopes do not tell."""
    one_sided = direction is not None

    def lift(a):
        if isinstance(a, _Steep):
            raise Undecided("an infinite one-sided slope inside this operation is not decided at first order")
        return a if isinstance(a, _Dual) else _Dual(a, fractions.Fraction(0))

    def value(a):
        return a.v if isinstance(a, _Dual) else a

    def sign(v) -> int:
        if x["eq"](v, 0):
            raise Undecided("an infinite one-sided slope times 0 is not decided at first order")
        return 1 if x["gt"](v, 0) else -1

    def steep_sum(a, b, s: int):
        """a + s·b where one of them has an infinite slope: infinite with its sign, unless two have opposite signs."""
        signs = {a.d if isinstance(a, _Steep) else 0, s * b.d if isinstance(b, _Steep) else 0} - {0}
        if len(signs) != 1:
            raise Undecided("two infinite one-sided slopes of opposite signs are not decided at first order")
        return _Steep(x["add" if s > 0 else "sub"](value(a), value(b)), signs.pop())

    def add(a, b):
        if isinstance(a, _Steep) or isinstance(b, _Steep):
            return steep_sum(a, b, 1)
        a, b = lift(a), lift(b)
        return _Dual(x["add"](a.v, b.v), x["add"](a.d, b.d))

    def sub(a, b):
        if isinstance(a, _Steep) or isinstance(b, _Steep):
            return steep_sum(a, b, -1)
        a, b = lift(a), lift(b)
        return _Dual(x["sub"](a.v, b.v), x["sub"](a.d, b.d))

    def mul(a, b):
        if isinstance(b, _Steep) and not isinstance(a, _Steep):
            a, b = b, a
        if isinstance(a, _Root) and not isinstance(b, _Steep) and x["eq"](lift(b).v, 0):
            return _Dual(fractions.Fraction(0), fractions.Fraction(0))  # (c·h)^q · O(h) = O(h^(1 + q)): slope 0
        if isinstance(a, _Steep):  # (a·b)' = a'·b + a·b': infinite where b is not 0 there
            lift(b)
            return _Steep(x["mul"](a.v, value(b)), a.d * sign(value(b)))
        a, b = lift(a), lift(b)
        return _Dual(x["mul"](a.v, b.v), x["add"](x["mul"](a.d, b.v), x["mul"](a.v, b.d)))

    def div(a, b):
        if isinstance(a, _Steep):  # (a/b)' = a'/b - a·b'/b²: infinite where b is not 0 there
            lift(b)
            quotient = x["div"](a.v, value(b))
            return _Steep(quotient, a.d * sign(value(b)))
        a, b = lift(a), lift(b)
        return _Dual(x["div"](a.v, b.v), x["div"](x["sub"](x["mul"](a.d, b.v), x["mul"](a.v, b.d)), x["mul"](b.v, b.v)))

    def chain(f, slope):
        def apply(a):
            if isinstance(a, _Steep):  # f(a)' = f'(a)·a': infinite where f'(a) is not 0
                return _Steep(x[f](a.v), a.d * sign(slope(a.v)))
            a = lift(a)
            return _Dual(x[f](a.v), x["mul"](slope(a.v), a.d))
        return apply

    def power(a, b):
        if isinstance(a, (_Root, _Lead)):  # (c·h)^q to a positive constant power p: (c·h)^(q·p)
            b = lift(b)
            if b.d == 0 and isinstance(b.v, (int, fractions.Fraction)) and b.v > 0:
                return rooted(a.c, a.q * b.v)
        a, b = lift(a), lift(b)
        if b.d == 0 and (isinstance(b.v, int) or (isinstance(b.v, fractions.Fraction) and b.v.denominator == 1)):
            n = int(b.v)
            if isinstance(a, _Flat) and n > 0:  # 0 to a whole power wherever the base is 0
                return _Flat(a.v, fractions.Fraction(0))
            if one_sided and n > 1 and x["eq"](a.v, 0) \
                    and isinstance(a.d, (int, fractions.Fraction)) and a.d > 0:
                return rooted(a.d, fractions.Fraction(n))  # (a·h)^n, its order kept
            return _Dual(x["pow"](a.v, n), x["mul"](x["mul"](fractions.Fraction(n), x["pow"](a.v, n - 1)) if n else 0, a.d))
        if x["eq"](a.v, 0):
            if isinstance(a, _Flat) and x["gt"](b.v, 0):  # 0 to a positive power wherever the base is 0
                return _Flat(a.v, fractions.Fraction(0))
            if x["eq"](b.d, 0) and not x["eq"](a.d, 0):
                if not one_sided or x["lt"](a.d, 0):  # the base changes sign here, or turns negative along the
                    raise _undefined("the derivative of a power whose base is 0 and changes sign", None, point)
                if x["gt"](b.v, 1):  # a base that grows from 0 along the direction: a·h to a power > 1, slope 0
                    if isinstance(b.v, (int, fractions.Fraction)) and isinstance(a.d, (int, fractions.Fraction)):
                        return rooted(a.d, fractions.Fraction(b.v))
                    return _Dual(x["pow"](a.v, b.v), fractions.Fraction(0))
                if x["lt"](b.v, 0):
                    raise _undefined("0 to a negative power", None, point)
                if isinstance(b.v, (int, fractions.Fraction)):  # (a·h)^p with 0 < p < 1: an infinite slope along
                    return rooted(a.d, fractions.Fraction(b.v))  # the direction, its order p kept
                return _Steep(x["pow"](a.v, b.v), 1)
            raise Undecided("whether a power whose base is 0 has a derivative is not decided at the point")
        return exp_(mul(b, log_(a)))

    def relation(op):
        return lambda a, b: x[op](lift(a).v, lift(b).v)

    zero = _Dual(fractions.Fraction(0), fractions.Fraction(0))

    def kink(a):
        """|a|: where a = 0 with slope 0 its derivative is 0; with a slope, one-sided |a'|."""
        a = lift(a)
        if x["eq"](a.v, 0):
            if x["eq"](a.d, 0):
                return zero
            if not one_sided:
                raise _Kink("the derivative of |·| where its argument is 0 and has a slope")
            return _Dual(a.v, x["abs"](a.d))
        return a if x["gt"](a.v, 0) else _Dual(x["neg"](a.v), x["neg"](a.d))

    def relu(a):
        a = lift(a)
        if x["eq"](a.v, 0):
            if x["eq"](a.d, 0):
                return zero
            if not one_sided:
                raise _Kink("the derivative of relu where its argument is 0 and has a slope")
            if x["lt"](a.d, 0):  # the argument is below 0 along the direction: relu is 0 there
                return _Flat(a.v, fractions.Fraction(0))
            return _Dual(a.v, a.d)
        return a if x["gt"](a.v, 0) else _Flat(fractions.Fraction(0), fractions.Fraction(0))

    def extreme(pick):
        def apply(a, b):
            a, b = lift(a), lift(b)
            if x["eq"](a.v, b.v):
                if x["eq"](a.d, b.d):  # which one is larger near the point is not known: not marked flat
                    return _Dual(a.v, a.d)
                if not one_sided:
                    raise _Kink("the derivative of max or min where its arguments are equal and their slopes differ")
                return a if x[pick](a.d, b.d) else b
            return a if x[pick](a.v, b.v) else b
        return apply

    def rooted(c, q):
        """(c·h)^q, c > 0, q > 0, as a dual number along the direction: infinite slope below q = 1, c at 1, 0 above."""
        return _Root(c, q) if q < 1 else _Lead(c, q)

    def root(a):
        if isinstance(a, (_Root, _Lead)):
            return rooted(a.c, a.q / 2)
        a = lift(a)
        if isinstance(a, _Flat):
            return a
        if x["eq"](a.v, 0):
            if not x["eq"](a.d, 0) and (not one_sided or x["lt"](a.d, 0)):  # no value on one side (along the direction)
                raise _undefined("the derivative of a square root where its argument is 0 and changes sign", None, point)
            if not x["eq"](a.d, 0):  # sqrt(a·h): an infinite slope along the direction
                return rooted(a.d, fractions.Fraction(1, 2)) if isinstance(a.d, (int, fractions.Fraction)) else _Steep(a.v, 1)
            raise Undecided("whether a square root of 0 has a derivative is not decided at the point")
        return sqrt_(a)

    def truth(condition: Term, env, ops, ties: dict):
        """The condition along the direction: a tied relation by the sign of its sides' slope difference."""
        if condition.op in RELATIONS:
            tie = ties.get(id(condition))
            if tie is None:
                return x[condition.op](lift(evaluate(condition.args[0], env, ops)).v,
                                       lift(evaluate(condition.args[1], env, ops)).v)
            gap = x["sub"](tie[0].d, tie[1].d)  # the sides differ by gap·h for a small step h along the direction
            sign = 1 if x["gt"](gap, 0) else -1
            return {"lt": sign < 0, "le": sign < 0, "gt": sign > 0, "ge": sign > 0, "eq": False, "ne": True}[condition.op]
        if condition.op in CONNECTIVES:
            return CONNECTIVES[condition.op]([truth(a, env, ops, ties) for a in condition.args])
        return evaluate(condition, env, ops)

    def branch(c, a, b):
        """ite: where its condition is on a boundary that moves with the variable, the one-sided slopes decide."""
        condition, env, ops = c.args  # each operand is functools.partial(evaluate, term, env, ops)
        ties = {}
        for atom in atoms(condition):
            if name in variables(atom):
                p, q = lift(evaluate(atom.args[0], env, ops)), lift(evaluate(atom.args[1], env, ops))
                if x["eq"](p.v, q.v) and not x["eq"](p.d, q.d):
                    ties[id(atom)] = (p, q)
                elif x["eq"](p.v, q.v):
                    raise Undecided("whether an ite has a derivative where its condition is on a boundary that its "
                                    "sides touch with the same slope is not decided at the point")
        if not ties:
            return a() if c() else b()
        if not one_sided:
            raise _Kink("the derivative of an ite where its condition switches and its branches meet at an angle")
        at_point, along = c(), truth(condition, env, ops, ties)
        try:
            taken = lift(a() if along else b())
            here = taken if along == at_point else lift(a() if at_point else b())
        except Undefined:
            raise Undecided("whether an ite has a derivative where its condition switches to a branch with no value "
                            "there is not decided at the point") from None
        if not x["eq"](taken.v, here.v):
            raise _undefined("the derivative of an ite where its condition switches and its branches differ", None, point)
        return _Dual(here.v, taken.d)

    def apply(fn, *args):
        """An uninterpreted function under the current interpretation: the chain rule over its partials."""
        args = [lift(a) for a in args]
        values = tuple(a.v for a in args)
        slope: Any = fractions.Fraction(0)
        for i, a in enumerate(args):
            if not x["eq"](a.d, 0):
                slope = x["add"](slope, x["mul"](x["apply"](fn.partial(i + 1), *values), a.d))
        return _Dual(x["apply"](fn, *values), slope)

    exp_ = chain("exp", lambda v: x["exp"](v))
    sqrt_ = chain("sqrt", lambda v: x["div"](1, x["mul"](2, x["sqrt"](v))))
    log_ = chain("log", lambda v: x["div"](1, v))
    ops = {
        "const": lambda v: _Dual(fractions.Fraction(v), fractions.Fraction(0)), "bool": bool,
        "add": add, "sub": sub, "mul": mul, "div": div, "pow": power,
        "neg": lambda a: _Steep(x["neg"](a.v), -a.d) if isinstance(a, _Steep) else _Dual(x["neg"](lift(a).v), x["neg"](lift(a).d)),
        **{r: relation(r) for r in ("eq", "ne", "lt", "le", "gt", "ge")},
        "and": x["and"], "or": x["or"], "not": x["not"], "lazy": True, "implies": x["implies"], "ite": branch,
        "integer": lambda a: _is_whole(lift(a).v), "all": x["all"],
        "exp": exp_, "log": log_, "sqrt": root,
        "tanh": chain("tanh", lambda v: x["sub"](1, x["mul"](x["tanh"](v), x["tanh"](v)))),
        "sigmoid": chain("sigmoid", lambda v: x["mul"](x["sigmoid"](v), x["sub"](1, x["sigmoid"](v)))),
        "softplus": chain("softplus", lambda v: x["sigmoid"](v)),
        "abs": kink, "relu": relu, "max": extreme("gt"), "min": extreme("lt"),
        "sum": lambda each, name, lower, upper: _exact_sum(each, name, lower, upper, _Dual(fractions.Fraction(0), fractions.Fraction(0)), add),
        "index": _element, "apply": apply,
    }
    return ops
