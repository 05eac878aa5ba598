"""Checking one step over the reals: a sympy proof, else a search for a counterexample that a plain evaluation
replays, else the exact points where it held."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import signal
import sys
import threading
import time
from fractions import Fraction
from typing import Optional, Sequence

import mpmath
import sympy

from proofs.scan.replay import NotReal, Undefined, decide, digits, evaluate, key
from proofs.scan.sum_ranges import inverted_range

__all__ = ["Outcome", "check", "deadline", "replay", "Timeout", "integer_names", "not_real", "simplifies_to_zero",
           "WALL_BACKSTOP"]

# Points tried by the search, and how many defined points make a step `checked`.
ATTEMPTS = 80
# Digits of the intervals a point is evaluated with again where 60 digits do not tell the sides apart.
_MORE_DIGITS = 600
# Relations that fail where their sides are equal: sides equal to 60 digits at a point never count as holding.
_STRICT = frozenset({"<", ">", "!="})
ENOUGH = 12
# The exact values the search draws from (small integers and simple fractions, signs both ways).
_POOL = [Fraction(n, d) for n in (-7, -3, -2, -1, 1, 2, 3, 5) for d in (1, 2, 3)] + [Fraction(0)]
# Sum lengths and free indices the search tries.
_LENGTHS = (1, 2, 3, 4)
# The most a name that bounds a sum is given at the one point past _LENGTHS (see _points).
_LARGE_LENGTH = 12
_SYMPY_RELATION = {"=": sympy.Eq, "!=": sympy.Ne, "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}


class Timeout(BaseException):
    """A time limit passed. Not an Exception, so that sympy's `except Exception` cannot swallow it; a handler that
    swallows everything (mpmath has a few) only delays it, since the alarm fires again until the limit is lifted. One
    that lands in a `__del__` or a garbage collector's callback, where Python reports it and carries on, is raised
    again when the block under the limit is left: what the block computed after it is never a result."""


# Seconds between alarms once a limit has passed, until the block under it is left.
_REFIRE = 0.05
# A limit counts the CPU time of this process (so that other processes' load does not change a report); the
# wall-clock time a block under a limit of s CPU seconds may take is WALL_BACKSTOP * s, so that one that waits (blocked,
# or starved of CPU beyond reason) still ends.
WALL_BACKSTOP = 10
# The ends of the limits in force, innermost last, as (time.process_time, time.monotonic): the CPU time of the process
# and the wall-clock time each ends at. An inner limit never outlasts an outer one on either clock.
_ENDS: list[tuple[float, float]] = []
# For each limit in force (as _ENDS): whether a Timeout was raised under it.
_FIRED: list[bool] = []


@dataclasses.dataclass(frozen=True)
class Outcome:
    """Returned by `check`: what became of one step."""

    # "proved", "checked", "refuted", "needs review" (the plain evaluation says it fails at points sympy's could not
    # confirm: never a pass) or "unknown".
    status: str
    reason: str
    # For a refuted step: {"values": {name: "p/q"}, "left": str, "right": str}, replayed by proofs.scan.replay.
    counterexample: Optional[dict] = None
    # Whether the conditions it was checked under fix every name of it (decided at their only solution): then a number
    # on one side is a consequence of them, not an equation to solve.
    determined: bool = False


def integer_names(*exprs: sympy.Expr) -> set[str]:
    """Names that take integer values: summation bounds (and #i, the length of a sum without bounds) and indices."""
    names: set[str] = set()
    for e in exprs:
        for s in e.atoms(sympy.Sum, sympy.Product):
            for limit in s.args[1:]:
                for bound in limit[1:]:
                    names |= {x.name for x in bound.free_symbols}
        for a in e.atoms(sympy.Indexed):
            names |= {x.name for x in a.indices[0].free_symbols}
    bound_vars = {limit[0].name for e in exprs for s in e.atoms(sympy.Sum, sympy.Product) for limit in s.args[1:]}
    return names - bound_vars


def _passed(end: tuple[float, float]) -> bool:
    return time.process_time() >= end[0] - 0.001 or time.monotonic() >= end[1] - 0.001


def _fire(signum, frame):
    if _ENDS and _passed(_ENDS[-1]):
        for i, end in enumerate(_ENDS):  # an outer limit whose end an inner one inherited has passed as well
            _FIRED[i] = _FIRED[i] or _passed(end)
        if frame is not None and frame.f_code in _leaving():
            # a block under a limit is being left (its Timeout on the way out): raised here, the limit would stay in
            # force after its block, and its exit raises what it must; the timer fires again in _REFIRE seconds
            return
        raise Timeout()


def _leaving() -> frozenset:
    """The code that leaves a block under a limit: the context manager's exit and `deadline`'s own code."""
    return frozenset({contextlib._GeneratorContextManager.__exit__.__code__, deadline.__wrapped__.__code__,
                      _arm.__code__})


def _arm(end: tuple[float, float]) -> None:
    """Set the CPU timer (SIGPROF) and the wall-clock one (SIGALRM) to the ends given; an infinite end stops its timer."""
    for which, clock, at in ((signal.ITIMER_PROF, time.process_time, end[0]), (signal.ITIMER_REAL, time.monotonic, end[1])):
        if at == float("inf"):
            signal.setitimer(which, 0)
        else:
            signal.setitimer(which, max(at - clock(), 1e-6), _REFIRE)


def _unraisable(hook):
    """sys.unraisablehook while a limit is in force: a Timeout swallowed in a `__del__` or a gc callback is not
    printed (the block's exit raises it again); anything else goes to the hook in place before."""
    def report(unraisable):
        if isinstance(unraisable.exc_value, Timeout):
            return
        hook(unraisable)
    return report


def _combine_sums(d: sympy.Expr, termwise: bool = False):
    """A difference with every sum over the same range gathered into one sum whose term is simplified. `termwise`:
    instead, whether it is 0 term by term, without a closed form of any sum (every gathered term is 0, and what is
    left outside the sums is 0 and holds no sum): then it is 0 under any convention for an inverted range."""
    k = sympy.Dummy("k", integer=True)
    renamed = d.replace(lambda e: isinstance(e, sympy.Sum) and len(e.args) == 2,
                        lambda e: sympy.Sum(e.args[0].xreplace({e.args[1][0]: k}), (k, *e.args[1][1:])))
    groups: dict = {}
    rest = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(renamed)):
        sums = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.Sum)]
        if len(sums) != 1:
            rest += term
            continue
        s = sums[0]
        coefficient = sympy.Mul(*[f for f in sympy.Mul.make_args(term) if f is not s])
        if k in coefficient.free_symbols:
            rest += term
            continue
        if coefficient.free_symbols & {limit[0] for limit in s.args[1:]}:
            rest += term
            continue
        groups.setdefault(s.args[1:], []).append(coefficient * s.args[0])  # every limit: a nested sum has several
    if termwise and rest.has(sympy.Sum, sympy.Product):
        return False
    for limits, bodies in groups.items():
        body = sympy.simplify(sympy.expand(sympy.Add(*bodies)))
        if body != 0:
            if termwise:
                return False
            rest += sympy.Sum(body, *limits)
    return sympy.simplify(rest) == 0 if termwise else sympy.simplify(rest)


def _sums_cancel(left: sympy.Expr, relation: str, right: sympy.Expr) -> bool:
    """Whether an equation's sides differ by 0 term by term over identical ranges (see _combine_sums), which needs no
    closed form of a sum: true whether or not a range is inverted."""
    if relation != "=":
        return False
    d = (left - right).doit(deep=True, sum=False) if left.has(sympy.Derivative) or right.has(sympy.Derivative) else left - right
    d = d.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())
    return bool(_combine_sums(d, termwise=True))


def simplifies_to_zero(d: sympy.Expr) -> bool:
    """Whether sympy simplifies d to 0: d cancelled as a rational function of its atoms first (one of simplify's own
    first steps, which gives 0 there too), and simplified only when that is not 0."""
    try:
        if sympy.cancel(d) == 0:
            return True
    except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed):
        pass
    return sympy.simplify(d) == 0


def _prove(left: sympy.Expr, relation: str, right: sympy.Expr) -> Optional[str]:
    """How the step was proved, or None."""
    d = (left - right).doit(deep=True, sum=False) if left.has(sympy.Derivative) or right.has(sympy.Derivative) else left - right
    d = d.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())
    if d.has(sympy.Sum):
        simplified = _combine_sums(d)
    elif relation in ("=", "!=") and d.is_polynomial() and sympy.expand(d).is_number:
        simplified = sympy.expand(d)  # a polynomial identity needs no more than expanding (and simplify is slow)
    elif relation == "=":
        simplified = sympy.Integer(0) if simplifies_to_zero(d) else d
    else:
        simplified = sympy.simplify(d)
    if relation == "=":
        return "sympy simplifies the difference of the sides to 0" if simplified == 0 else None
    if relation == "!=":
        return "the difference of the sides is a nonzero number" if simplified.is_number and simplified != 0 else None
    sign = {"<": simplified.is_negative, "<=": simplified.is_nonpositive,
            ">": simplified.is_positive, ">=": simplified.is_nonnegative}[relation]
    return f"sympy shows the difference of the sides is {relation.replace('=', '')}{'=' if '=' in relation else ''} 0" if sign else None


def _value(v) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return "≈ " + mpmath.nstr(mpmath.mpf(v.a), 20)


def _points(left: sympy.Expr, right: sympy.Expr, conditions: Sequence[tuple], seed: str):
    """Points for the search: every free symbol and, once sums are expanded, every entry gets an exact value."""
    everything = [left, right] + [c[0] for c in conditions] + [c[2] for c in conditions]
    free = sorted(_free_names(*everything))
    integers = integer_names(*everything)
    rng = random.Random(seed)
    pools = {name: _pool(name, conditions) for name in free}
    read: dict = {}  # the entries each expression reads, by the values of the names it has (many points repeat them)

    def reads(e, point):
        return sorted(_entries_at(e, point, read))  # in order: the same points whatever the hash seed

    def at(name, edge):
        """A point with the name at `edge`, every other name and entry drawn."""
        point = {n: (Fraction(rng.choice(_LENGTHS)) if n in integers else rng.choice(pools[n])) for n in free}
        point[name] = edge
        entries = {}
        for e in everything:
            for a in reads(e, point):
                entries.setdefault(a, rng.choice(_POOL))
        point.update(entries)
        return point
    for attempt in range(ATTEMPTS):
        point: dict[str, Fraction] = {}
        for name in free:
            if name in integers:
                point[name] = Fraction(rng.choice(_LENGTHS) if attempt else 2)
            else:
                point[name] = rng.choice(pools[name]) if attempt else Fraction(1, 2)
        entries = {}
        for e in everything:
            for a in reads(e, point):
                entries.setdefault(a, rng.choice(_POOL) if attempt else Fraction(len(entries) + 2, 3))
        point.update(entries)
        yield point
    # then, where a sum's bound is a name, every such name one larger length and every other name and entry 1: the
    # point where a bound with a constant that holds up to a length ((sum x_i)^2 <= 3 sum x_i^2) fails first
    if integers & set(free):
        large = _large_length(everything)
        point = {n: Fraction(large if n in integers else 1) for n in free}
        point.update({a: Fraction(1) for e in everything for a in reads(e, point)})
        yield point
    # then each whole number where the domain of an integer name ends (n >= 3, n in Z_{>0}), where a sum or product
    # over it is empty (n = 1 for the sum from 3 to n), and 0: a closed form true only from some n on fails there
    # alone, and random lengths (from 1 on) never reach it; a point its conditions exclude is set aside by the caller
    for name in sorted(integers & set(free)):
        for edge in _integer_edges(name, left, right, conditions):
            yield at(name, edge)
    # then each edge a condition or a piece puts on one name (z <= 2, a piece for z < 2): a relation between two
    # functions or pieces may fail there alone, which random draws seldom hit
    edges = _edges(everything, free)
    for name in free:
        # and between two edges and on each side of one (a piece for z <= 2 against a condition z < 3: the relation
        # may fail on (2, 3) alone, which random draws from the pool can miss)
        turns = sorted(edges.get(name, ()))
        near = [(a + b) / 2 for a, b in zip(turns, turns[1:])] + [e + d for e in turns for d in (Fraction(-1, 3), Fraction(1, 3))]
        for edge in [*edges.get(name, ()), *(x for x in dict.fromkeys(near) if x not in turns)]:
            yield at(name, edge)


def _integer_edges(name: str, left: sympy.Expr, right: sympy.Expr, conditions: Sequence[tuple]) -> list[Fraction]:
    """The whole numbers to try an integer name at besides the random lengths: 0, the ends a condition on the name
    alone gives (and one on each side), and where a range of a sum or product whose other bound is a number is empty
    or inverted (upper = lower - 1, lower - 2, lower - 3); whole numbers first."""
    symbol = sympy.Symbol(name, real=True)
    out = [0]
    for c in conditions:
        try:
            a, relation, b = sympy.sympify(c[0]), c[1], sympy.sympify(c[2])
        except (sympy.SympifyError, TypeError, IndexError):
            continue
        if isinstance(b, sympy.Symbol) and b.name == name and a.is_number:  # 3 <= n: n >= 3
            a, b, relation = b, a, {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(relation, relation)
        if not (isinstance(a, sympy.Symbol) and a.name == name) or not b.is_number or not b.is_real:
            continue
        bound = sympy.floor(b) if relation in ("<", "<=") else sympy.ceiling(b)
        bound = int(bound)
        if relation == ">" and b == bound:
            bound += 1
        if relation == "<" and b == bound:
            bound -= 1
        out += [bound, bound + 1, bound - 1] if relation in ("<", "<=", ">", ">=", "=") else []
    try:
        from proofs.scan.sum_ranges import symbolic_ranges

        for _index, lo, hi, around in symbolic_ranges(left, right):
            if around:
                continue
            for moving, fixed, gap in ((hi, lo, (-1, -2)), (lo, hi, (1, 2))):
                moving, fixed = sympy.sympify(moving), sympy.sympify(fixed)
                if not fixed.is_number or {s.name for s in moving.free_symbols} != {name}:
                    continue
                for g in (*gap, 3 * gap[0]):
                    for root in sympy.solve(sympy.Eq(moving.xreplace({s: symbol for s in moving.free_symbols}), fixed + g),
                                            symbol):
                        if root.is_Integer:
                            out.append(int(root))
    except Exception:  # noqa: BLE001 - a range not solved adds no point
        pass
    # the whole numbers first, then those below 0 (an inverted range, where nothing states the name is a count): a
    # refutation is shown at a count where there is one
    ordered = [v for v in dict.fromkeys(out) if v >= 0] + [v for v in dict.fromkeys(out) if v < 0]
    return [Fraction(v) for v in ordered]


def _large_length(exprs: Sequence[sympy.Expr]) -> int:
    """A length past _LENGTHS and past c^2 and 1/c^2 for each number c the expressions print, at most _LARGE_LENGTH."""
    numbers = [Fraction(int(c.p), int(c.q)) for e in exprs
               for c in (sympy.sympify(e).atoms(sympy.Rational) if isinstance(e, sympy.Basic) else ())]
    return larger_length(numbers, max(_LENGTHS), _LARGE_LENGTH)


def larger_length(numbers, tried: int, most: int) -> int:
    """The one larger length a bound is also tried at: past `tried` and past c^2 and 1/c^2 for each nonzero number c
    the step prints (a bound with a constant c, (sum x_i)^2 <= c sum x_i^2 or ||A||_F^2 <= c ||A||^2, holds up to a
    length near c or c^2 and fails past it), at most `most`."""
    out = tried + 1
    for c in numbers:
        if c != 0:
            c = abs(Fraction(c))
            out = max(out, int(max(c, 1 / c) ** 2) + 1)
    return min(out, most)


def _edges(exprs: Sequence[sympy.Expr], free: Sequence[str]) -> dict[str, list[Fraction]]:
    """name -> the numbers where a relation in the expressions (a condition, the condition of a piece) on that name
    alone turns: the root of its sides' difference when it is linear in the name with rational coefficients."""
    out: dict[str, list[Fraction]] = {}
    for e in exprs:
        relations = [e] if isinstance(e, sympy.core.relational.Relational) else []
        if isinstance(e, sympy.Basic):
            relations += [r for r in sympy.preorder_traversal(e) if isinstance(r, sympy.core.relational.Relational)]
        for r in relations:
            d = r.lhs - r.rhs
            names = [x for x in d.free_symbols if isinstance(x, sympy.Symbol)]
            if len(names) != 1 or names[0].name not in free or d.atoms(sympy.Indexed):
                continue
            try:
                poly = sympy.Poly(d, names[0])
            except sympy.PolynomialError:
                continue
            if poly.degree() != 1 or not all(c.is_Rational for c in poly.all_coeffs()):
                continue
            a, b = poly.all_coeffs()
            root = -b / a
            edge = Fraction(int(root.p), int(root.q))
            if edge not in out.setdefault(names[0].name, []):
                out[names[0].name].append(edge)
    return out


def _pool(name: str, conditions: Sequence[tuple]) -> list[Fraction]:
    """The values drawn for a name: those of the pool that every condition bounding the name alone (x > 0) allows."""
    keep = list(_POOL)
    for left, relation, right in conditions:
        if isinstance(left, sympy.Symbol) and left.name == name and right.is_Rational:
            bound, rel = Fraction(int(right.p), int(right.q)), relation
        elif isinstance(right, sympy.Symbol) and right.name == name and left.is_Rational:
            bound, rel = Fraction(int(left.p), int(left.q)), {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(relation, relation)
        else:
            continue
        allowed = [v for v in keep if decide(v, rel, bound)]
        keep = allowed or keep
    return keep


def _free_names(*exprs: sympy.Expr) -> set[str]:
    """The names of the free symbols of expressions: not the names of indexed objects, not summation indices."""
    labels = {a.base.label for e in exprs for a in e.atoms(sympy.Indexed)}
    return {s.name for e in exprs for s in e.free_symbols if isinstance(s, sympy.Symbol) and s not in labels}


# The most sums `_entries_read` expands in one expression (each expansion looks for the sums left again).
_MAX_EXPANSIONS = 64


def _entries_at(e: sympy.Expr, point: dict, read: dict) -> set[str]:
    """`_entries(e, point)`, kept in `read` by e and the values the point gives e's names (bound ones included): what
    the substitution sees, so every point that gives them the same values reads the same entries."""
    names = {s.name for s in e.atoms(sympy.Symbol)} if isinstance(e, sympy.Basic) else set(point)
    key = (e, tuple(sorted((n, v) for n, v in point.items() if n in names)))
    if key not in read:
        read[key] = _entries(e, point)
    return read[key]


def _entries(e: sympy.Expr, point: dict) -> set[str]:
    """The names of every entry x[k] an expression reads at the point (its sums expanded)."""
    try:
        return _entries_read(e, point)
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - entries not found are missing from the point, which makes it undefined
        return set()


def _entries_read(e: sympy.Expr, point: dict) -> set[str]:
    subs = {sympy.Symbol(n, real=True): sympy.Rational(v.numerator, v.denominator) for n, v in point.items()}
    concrete = e.xreplace(subs)
    out = set()
    # every sum of a concrete length expanded, inner ones first, one at a time until none is left: expanding one
    # changes the sums around it, so the sums are looked for again (taken in a set's order, an outer sum holding an
    # inner one already expanded was missed, and so were its entries, as the hash seed had it)
    for _ in range(_MAX_EXPANSIONS):
        for s in sorted(concrete.atoms(sympy.Sum, sympy.Product), key=_inner_first):
            sizes = [limit[2] - limit[1] + 1 for limit in s.args[1:]]
            if all(n.is_Integer and 0 <= n <= 50 for n in sizes) and sympy.prod(sizes) <= 2500:
                done = s.doit()
                if done != s:
                    out |= _read_entries(done)  # read there, even where they cancel once put in place
                    concrete = concrete.xreplace({s: done})
                    break
        else:
            break
    return out | _read_entries(concrete)


def _inner_first(s: sympy.Expr) -> tuple:
    """Sums with no sum inside first (an outer one expanded first may cancel the entries the inner one reads), then
    in sympy's order."""
    return (len(s.atoms(sympy.Sum, sympy.Product)), sympy.default_sort_key(s))


def _read_entries(e: sympy.Expr) -> set[str]:
    return {key(a) for a in e.atoms(sympy.Indexed) if all(i.is_Integer for i in a.indices)}


def expired() -> bool:
    """Whether a limit in force (an enclosing `deadline`) has passed: a Timeout caught under it must be raised on."""
    return bool(_ENDS) and _passed(_ENDS[-1])


@contextlib.contextmanager
def deadline(seconds: float, wall: float = float("inf")):
    """Raise Timeout in the block once this process has used `seconds` of CPU time in it, or WALL_BACKSTOP times
    `seconds` of wall-clock time have passed, or `wall` seconds of wall-clock time have (a budget of the user's, such
    as the scan's --time-limit), whichever comes first (at once if none are left); and again every _REFIRE seconds
    until the block is left. In the main thread only: elsewhere, or with no finite limit, none is set. Limits nest:
    on each clock the innermost end that comes first applies."""
    wall = min(wall, WALL_BACKSTOP * seconds)
    if wall == float("inf") or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if seconds <= 0 or wall <= 0:
        raise Timeout()
    end = (time.process_time() + seconds, time.monotonic() + wall)
    if _ENDS:
        end = (min(end[0], _ENDS[-1][0]), min(end[1], _ENDS[-1][1]))
    previous = (signal.signal(signal.SIGALRM, _fire), signal.signal(signal.SIGPROF, _fire)) if not _ENDS else None
    hook = sys.unraisablehook
    if not _ENDS:
        sys.unraisablehook = _unraisable(hook)
    _ENDS.append(end)
    _FIRED.append(False)
    _arm(end)
    timed_out = False
    try:
        yield
    except Timeout:
        timed_out = True
        raise
    finally:
        _ENDS.pop()  # first: an alarm from here on finds the limit lifted (or the outer one, not yet passed)
        fired = _FIRED.pop()
        if _ENDS:
            _arm(_ENDS[-1])
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGALRM, previous[0])
            signal.signal(signal.SIGPROF, previous[1])
            sys.unraisablehook = hook
        if fired and not timed_out:  # swallowed where it landed (a __del__, a handler of everything): raised here
            raise Timeout()  # on purpose: what the block returned or raised came after its limit


def check(left: sympy.Expr, relation: str, right: sympy.Expr, conditions: Sequence[tuple] = (), *,
          seed: str = "", timeout: float = 0, domain: Sequence[tuple] = (), lengths: Optional[dict] = None) -> Outcome:
    """Decide a step `left RELATION right` over the reals, under conditions (left, relation, right) printed beside
    it. Refuted only by a point that a plain evaluation (proofs.scan.replay) shows fails the relation while every
    condition holds and both sides are defined. `domain`: conditions, in the same form, under which the sides as read
    are their real values (the guards proofs.scan.parse records: sqrt(x)^2 reads as x only where x >= 0); every point
    the search uses, and the point that shows a proof is about real numbers, satisfies them. With a timeout
    (CPU seconds, as `deadline`), Timeout is raised when it passes. `lengths`: vector name -> its declared length (a
    size name or a number): a point where an entry read by number lies past the end of the vector is no instance."""
    with deadline(timeout if timeout > 0 else float("inf")):
        defined = _on_definitions(left, right, tuple(conditions), tuple(domain))
        if defined is not None:
            solution, (l2, r2, c2, d2) = defined
            return _lifted(check(l2, relation, r2, c2, seed=seed, domain=d2, lengths=lengths), solution, left, relation, right,
                           tuple(conditions), tuple(domain), "definition(s) printed with it")
        reduced = _on_linear_equations(left, right, tuple(conditions), tuple(domain))
        if reduced is None:
            return _check(left, relation, right, tuple(conditions), seed, tuple(domain), lengths)
        solution, (l2, r2, c2, d2) = reduced
        return _lifted(_check(l2, relation, r2, c2, seed, d2, lengths), solution, left, relation, right, tuple(conditions),
                       tuple(domain))


def _on_definitions(left, right, conditions: tuple, domain: tuple):
    """The step with each equation among its conditions that gives a name alone on its left a formula without that
    name, and not linear in its names ("where $y = \\log(x)$", "with $u = x^2$"), substituted: (the names and their
    formulas; the sides, other conditions and domain with them substituted), or None when there is none. Exact: the
    points of the substituted step, each completed with the names' values, are the points that meet the equations
    (a point where a formula is undefined meets none); a counterexample is replayed against the step as printed."""
    solution: dict = {}
    for c in conditions:
        if c[1] != "=" or not isinstance(c[0], sympy.Symbol) or c[0] in solution or c[0] in c[2].free_symbols \
                or c[2].has(sympy.Indexed, sympy.Sum, sympy.Product) or _linear(c[2]):
            continue
        value = c[2].xreplace(solution)
        if c[0] in value.free_symbols:
            continue
        solution = {k: v.xreplace({c[0]: value}) for k, v in solution.items()}
        solution[c[0]] = value
    if not solution:
        return None
    def put(e):
        return e.xreplace(solution)
    others = tuple((put(c[0]), c[1], put(c[2])) for c in conditions
                   if not (c[1] == "=" and c[0] in solution and put(c[0]) == put(c[2])))
    return solution, (put(left), put(right), others, tuple((put(c[0]), c[1], put(c[2])) for c in domain))


def _linear(e) -> bool:
    """Whether an expression is linear in its names with rational coefficients (left to _on_linear_equations)."""
    try:
        names = sorted(e.free_symbols, key=str)
        poly = sympy.Poly(e, *names) if names else None
    except (sympy.polys.polyerrors.PolynomialError, sympy.polys.polyerrors.GeneratorsNeeded, ValueError, TypeError):
        return False
    return poly is None or (poly.total_degree() <= 1 and all(x.is_Rational for x in poly.coeffs()))


def _on_linear_equations(left, right, conditions: tuple, domain: tuple):
    """The step on the solutions of the equations among its conditions that are linear in its names with numbers for
    coefficients and have infinitely many solutions ("given $p + q = 1$"): (the solution, each name it fixes as a
    formula in the others; the sides, conditions and domain with it substituted), or None. Exact: the points of the
    reduced step are exactly the points that meet the equations."""
    equations = [c for c in conditions if c[1] == "="]
    if not equations:
        return None
    try:
        exprs = [sympy.expand((c[0] - c[2]).doit()) for c in equations]
        if any(e.has(sympy.Indexed, sympy.Sum, sympy.Product) for e in exprs):
            return None
        named = list(dict.fromkeys(c[0] for c in equations if isinstance(c[0], sympy.Symbol)))  # "mu = (a + b)/2"
        unknowns = named + sorted({x for e in exprs for x in e.free_symbols if isinstance(x, sympy.Symbol)} - set(named),
                                  key=str)
        if not unknowns:
            return None
        A, b = sympy.linear_eq_to_matrix(exprs, unknowns)
    except (sympy.polys.polyerrors.PolynomialError, ValueError, TypeError):
        return None  # not linear in them
    if not all(x.is_Rational for x in list(A) + list(b)):
        return None
    rank = A.rank()
    if rank == 0 or rank == len(unknowns) or rank != A.row_join(b).rank():
        return None  # nothing to eliminate, one solution (see _determined), or none
    reduced, pivots = A.row_join(b).rref()
    solution = {}
    for row, column in enumerate(pivots):
        solution[unknowns[column]] = reduced[row, -1] - sum(
            (reduced[row, j] * unknowns[j] for j in range(len(unknowns)) if j != column), sympy.Integer(0))
    others = tuple((c[0].xreplace(solution), c[1], c[2].xreplace(solution)) for c in conditions if c not in equations)
    return solution, (left.xreplace(solution), right.xreplace(solution), others,
                      tuple((c[0].xreplace(solution), c[1], c[2].xreplace(solution)) for c in domain))


def _lifted(outcome: Outcome, solution: dict, left, relation, right, conditions, domain,
            given: str = "linear condition(s)") -> Outcome:
    """An outcome on the solutions of equations among the conditions (see _on_linear_equations, _on_definitions) told
    of the step as printed: a counterexample gets the values of the names the equations fix, and is replayed against
    the step and every condition as printed before it counts (else the step is unknown). A name whose value there is
    not an exact number (y = log(x)) is replayed as its formula, which must be defined at the point. `given`: what
    the equations are, as the reason says it."""
    fixed = ", ".join(f"{u} = {v}" for u, v in solution.items())
    if outcome.status != "refuted":
        return dataclasses.replace(outcome, reason=f"{outcome.reason} (on the solutions of its {given}, {fixed})")
    try:
        point = {k: Fraction(v) for k, v in outcome.counterexample["values"].items()}
        inexact = {}
        for u, v in solution.items():  # (a name the reduced step lost, its value free: 0)
            point.update({x.name: Fraction(0) for x in v.free_symbols if isinstance(x, sympy.Symbol) and x.name not in point})
            value = evaluate(v.xreplace(inexact), point)  # (Undefined where the formula is: no point)
            if isinstance(value, Fraction):
                point[u.name] = value
            else:
                inexact[u] = v.xreplace(inexact)
        def put(e):
            return e.xreplace(inexact)
        printed = [(put(a), r, put(b)) for a, r, b in conditions if not (r == "=" and a in inexact)]
        left_at, right_at = put(left), put(right)
        holds = _holds(printed, point) and _holds([(put(a), r, put(b)) for a, r, b in domain], point)
        fails = decide(evaluate(left_at, point), relation, evaluate(right_at, point)) is False
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - a point that cannot be completed or replayed refutes nothing
        holds = fails = False
    if not (holds and fails and _sympy_fails(left_at, relation, right_at, point)):
        return Outcome("unknown", f"refuted on the solutions of its {given} ({fixed}), but the point could not "
                                  "be confirmed against the step as printed")
    names = {u.name for u in solution} | {x.name for v in solution.values() for x in v.free_symbols
                                          if isinstance(x, sympy.Symbol)}
    shown = {k: str(v) for k, v in sorted(point.items()) if _reads(left, right, k) or k in names}
    lv, rv = _value(evaluate(left_at, point)), _value(evaluate(right_at, point))
    exact = {x: sympy.Rational(point[x.name].numerator, point[x.name].denominator)
             for v in inexact.values() for x in v.free_symbols if isinstance(x, sympy.Symbol) and x.name in point}
    also = "".join(f", {u} = {v.xreplace(exact)}" for u, v in inexact.items())
    return Outcome("refuted", f"fails at {_point_text(shown)}{also}: the left side is {lv}, the right side {rv} (its "
                              f"{given} give {fixed})", {"values": shown, "left": lv, "right": rv},
                   determined=outcome.determined)


def not_real(*exprs: sympy.Expr) -> str:
    """Why a side is not a real number (a part of it that is not real for any real values of its names: I, log(-1),
    (-1)**(1/3), 1/0), or ""."""
    for e in exprs:
        for part in sympy.preorder_traversal(e):
            if getattr(part, "is_real", None) is False:
                return f"{part} is not a real number (sympy reads it over the complex numbers): steps are checked over the reals"
    return ""


def _holds(conditions, point) -> bool:
    return all(decide(evaluate(c[0], point), c[1], evaluate(c[2], point)) is True for c in conditions)


def _witness(left, right, conditions, domain, seed) -> bool:
    """Whether a point of the search has every condition holding and both sides real numbers (in their domain);
    or, when no point has, whether none failed for want of a real value where the conditions held (the sides could
    not be evaluated for another reason: a sum too long, a function the plain evaluation lacks)."""
    unreal = False
    for point in _points(left, right, tuple(conditions) + tuple(domain), seed):
        try:
            if not _holds(conditions, point):
                continue
        except Undefined:
            continue
        try:
            if not _holds(domain, point):
                unreal = True
                continue
            evaluate(left, point), evaluate(right, point)
            return True
        except NotReal:
            unreal = True
        except Undefined:
            pass
    return not unreal


def _check(left, relation, right, printed, seed, domain, lengths=None) -> Outcome:
    conditions = printed + domain
    unreal = not_real(left, right)
    if unreal:
        return Outcome("unknown", unreal)
    try:
        how = _prove(left, relation, right)
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - sympy failing to simplify is no proof; the search still runs
        how = None
    if how and (left.has(sympy.Sum, sympy.Product) or right.has(sympy.Sum, sympy.Product)):
        # sympy's closed form of a sum is the sum only where its range is not inverted (Karr's convention past that)
        try:
            sides = [sympy.sympify(e) for c in conditions for e in (c[0], c[2])]
            if inverted_range((left, right), conditions, integer_names(left, right, *sides)) \
                    and not _sums_cancel(left, relation, right):
                how = None
        except Timeout:
            raise
        except Exception:  # noqa: BLE001 - a range not shown non-inverted proves nothing
            how = None
    if how:
        # sympy proves over the complex numbers: over the reals the sides must have a real value somewhere
        if _witness(left, right, printed, domain, seed):
            return Outcome("proved", how)
        return Outcome("unknown", f"{how}, but at none of the {ATTEMPTS} points tried are both sides real numbers"
                                  f"{' with the conditions holding' if printed else ''}: not proved over the reals")
    determined = _determined(left, relation, right, printed, domain)
    if determined is not None:
        return determined
    held, undefined, disagreed, exact, tied, close, retried = 0, 0, 0, True, [], set(), 0
    ends, past = _sum_ends(left, right, lengths or {}), 0
    for point in _points(left, right, conditions, seed):
        try:
            if not all(decide(evaluate(c[0], point), c[1], evaluate(c[2], point)) is True for c in conditions):
                continue
            if _past_the_sums(ends, point):
                past += 1
                continue
            lv, rv = evaluate(left, point), evaluate(right, point)
        except Undefined:
            undefined += 1
            continue
        verdict = decide(lv, relation, rv)
        if verdict is None and retried < ENOUGH:  # equal to 60 digits: told apart with more of them
            retried += 1
            try:
                with digits(_MORE_DIGITS):
                    lv, rv = evaluate(left, point), evaluate(right, point)
                    verdict = decide(lv, relation, rv)
            except Undefined:
                pass
        if verdict is None and relation in _STRICT:  # equal to 60 digits: where the sides are equal it fails
            tied.append(point)
            continue
        if verdict is True or verdict is None:  # None: equal to 60 digits, which intervals cannot tell apart
            held += 1
            exact = exact and verdict is True
            # the points where it held, told apart by the values the sides read (a step about numbers has one)
            close.add(tuple(sorted((k, v) for k, v in point.items() if _reads(left, right, k))))
        elif _sympy_fails(left, relation, right, point) and verdict is False:
            # found by sympy's evaluation, replayed by the plain one: both must say the relation fails
            shown = {k: str(v) for k, v in sorted(point.items()) if _reads(left, right, k)}
            return Outcome("refuted", f"fails at {_point_text(shown)}: the left side is {_value(lv)}, the right side {_value(rv)}",
                           {"values": shown, "left": _value(lv), "right": _value(rv)})
        elif verdict is False:
            disagreed += 1
    if tied:  # never a pass: the sides may be equal there, which a strict relation does not allow
        shown = {k: str(v) for k, v in sorted(tied[0].items()) if _reads(left, right, k)}
        return Outcome("needs review", f"no proof; at {len(tied)} point(s) ({_point_text(shown)} the first) the sides "
                                       f"agree to 60 digits, so the strict relation may fail there and is not shown to hold")
    if disagreed:  # never a pass: the plain evaluation's intervals say it fails there, and it is not shown to hold
        return Outcome("needs review", f"no proof; at {disagreed} point(s) the plain evaluation says it fails and sympy's "
                                       "numerical evaluation could not confirm it")
    if held >= ENOUGH and not exact and len(close) < 2:  # one point again and again, its sides equal to 600 digits
        return Outcome("unknown", f"no proof; the sides agree to {_MORE_DIGITS} digits at one point, which does not "
                                  "show that they are equal (tanh(2000) is not 1)")
    if held >= ENOUGH:
        how = "exactly" if exact else "to 60 digits (interval arithmetic)"
        aside = f" ({past} where an entry it reads by number is past the end of its sums set aside)" if past else ""
        return Outcome("checked", f"held {how} at {held} points{aside}; no proof was found")
    return Outcome("unknown", f"no proof, and only {held} of {ATTEMPTS} points could be decided ({undefined} undefined)")


def _sum_ends(left: sympy.Expr, right: sympy.Expr, lengths: dict) -> list:
    """(entry index, upper bounds) for each entry with a number for its index that a side reads outside its sums
    (x_4 beside \\sum_{i=1}^{n} x_i^2), where a sum over the same vector runs to a bound that is the vector's own
    length: its declared one (`lengths`, vector name -> size name or number) or the length #i of a sum without bounds.
    A sum to any other bound (n <= d with x in R^d) says nothing of the vector's end."""
    bounds: dict = {}
    for e in (left, right):
        for s in e.atoms(sympy.Sum):
            for var, _lo, hi in s.args[1:]:
                if hi.free_symbols and _own_length(hi, lengths, s.args[0], var):
                    for a in s.args[0].atoms(sympy.Indexed):
                        if len(a.indices) == 1 and a.indices[0] == var:
                            bounds.setdefault(a.base.label, set()).add(hi)
    out = []
    for e in (left, right):
        for a in _outside_sums(e):
            if a.base.label in bounds and len(a.indices) == 1 and a.indices[0].is_Integer:
                out.append((int(a.indices[0]), tuple(bounds[a.base.label])))
    return out


def _own_length(hi: sympy.Expr, lengths: dict, body: sympy.Expr, var) -> bool:
    """Whether a sum's bound is the length of every vector its body reads at its index."""
    labels = {str(a.base.label) for a in body.atoms(sympy.Indexed) if len(a.indices) == 1 and a.indices[0] == var}
    if isinstance(hi, sympy.Symbol) and hi.name.startswith("#"):
        return True
    return bool(labels) and all(label in lengths and str(lengths[label]) == str(hi) for label in labels)


def _outside_sums(e: sympy.Expr) -> set:
    if isinstance(e, sympy.Indexed):
        return {e}
    if isinstance(e, (sympy.Sum, sympy.Product)):
        return set()
    return set().union(*(_outside_sums(a) for a in e.args)) if e.args else set()


def _past_the_sums(ends: list, point: dict) -> bool:
    """Whether at the point an entry the step reads by a number lies past the end of every sum over its vector (x_4
    where the sums stop at n = 2): the step reads an entry the vector does not have there, so the point is no instance
    of it (such a step is about vectors long enough to have the entry)."""
    for index, his in ends:
        values = [h.xreplace({x: sympy.Rational(point[x.name]) for x in h.free_symbols if x.name in point}) for h in his]
        if all(v.is_Integer for v in values) and index > max(values):
            return True
    return False


def _solved(conditions: Sequence[tuple], names: set) -> Optional[dict]:
    """The values that the equations among the conditions give every name in `names`: only when they are linear in
    those names with numbers for coefficients and have exactly one solution (then no other point meets them); else
    None."""
    equations = [sympy.expand((c[0] - c[2]).doit()) for c in conditions if c[1] == "="]
    if not equations or not names:
        return None
    unknowns = sorted({s for e in equations for s in e.free_symbols if isinstance(s, sympy.Symbol)}, key=str)
    if not names <= set(unknowns) or any(e.has(sympy.Indexed, sympy.Sum, sympy.Product) for e in equations):
        return None
    try:
        A, b = sympy.linear_eq_to_matrix(equations, unknowns)
    except (sympy.polys.polyerrors.PolynomialError, ValueError, TypeError):
        return None  # not linear in them
    if not all(x.is_Rational for x in list(A) + list(b)):
        return None
    if A.rank() < len(unknowns) or A.rank() != A.row_join(b).rank():
        return None  # more than one solution, or none
    solution = A.gauss_jordan_solve(b)[0]
    return {u: v for u, v in zip(unknowns, solution)}


def _determined(left, relation, right, printed, domain) -> Optional[Outcome]:
    """A step whose names are fixed by the equations its sentence states as conditions ("with $\\phi'(0) w = 1$,
    $w = 4$"), decided at the only point that meets them: proved when the sides, numbers there, are exactly in the
    relation; refuted at that point when a plain evaluation confirms the relation fails; else None."""
    names = {s for e in (left, right) for s in e.free_symbols if isinstance(s, sympy.Symbol)}
    try:
        values = _solved(printed, names)
        if values is None:
            return None
        point = {u.name: Fraction(int(v.p), int(v.q)) for u, v in values.items()}
        if not _holds(printed, point) or not _holds(domain, point):
            return None
        lv, rv = evaluate(left, point), evaluate(right, point)
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - conditions that cannot be solved or evaluated decide nothing
        return None
    shown = ", ".join(f"{k} = {v}" for k, v in sorted(point.items()))
    stated = ", ".join(f"{a} {r} {b}" for a, r, b in printed if r == "=")
    verdict = decide(lv, relation, rv)
    if verdict is True and isinstance(lv, Fraction) and isinstance(rv, Fraction):
        return Outcome("proved", f"the condition(s) {stated} of its sentence are linear with one solution, {shown}, at "
                                 f"which the sides are exactly {_value(lv)} and {_value(rv)}", determined=True)
    if verdict is False and _sympy_fails(left, relation, right, point):
        return Outcome("refuted", f"the condition(s) {stated} of its sentence hold only at {shown}, where it fails: the "
                                  f"left side is {_value(lv)}, the right side {_value(rv)}",
                       {"values": {k: str(v) for k, v in sorted(point.items())}, "left": _value(lv), "right": _value(rv)},
                       determined=True)
    return None


def _sympy_at(e: sympy.Expr, point: dict):
    subs = {sympy.Symbol(n, real=True): sympy.Rational(v.numerator, v.denominator) for n, v in point.items() if "[" not in n}
    concrete = _emptied(e.xreplace(subs)).doit()
    entries = {a: sympy.Rational(point[key(a)].numerator, point[key(a)].denominator)
               for a in concrete.atoms(sympy.Indexed) if key(a) in point}
    concrete = concrete.xreplace(entries)
    if concrete.is_Rational:  # exact: integers, fractions, exact powers (2**100 + 1) are compared exactly
        return concrete
    value = sympy.N(concrete, 40)
    if not value.is_number or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or not value.is_real:
        return None
    return value


def _emptied(e: sympy.Expr) -> sympy.Expr:
    """The expression with every sum (product) one of whose ranges has numbers for bounds, the upper below the lower,
    replaced by 0 (1): an empty range, as the plain evaluation reads it (sympy's doit follows Karr's convention)."""
    def empty(s) -> bool:
        return any(lo.is_Integer and hi.is_Integer and hi < lo for _i, lo, hi in s.args[1:])
    return e.replace(lambda s: isinstance(s, (sympy.Sum, sympy.Product)) and empty(s),
                     lambda s: sympy.Integer(0 if isinstance(s, sympy.Sum) else 1))


def _sympy_fails(left, relation, right, point) -> bool:
    """Whether sympy's own evaluation of the sides at the point says the relation fails."""
    try:
        lv, rv = _sympy_at(left, point), _sympy_at(right, point)
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - a point sympy cannot evaluate is no counterexample
        return False
    if lv is None or rv is None:
        return False
    if lv.is_Rational and rv.is_Rational:
        return not {"=": lv == rv, "!=": lv != rv, "<": lv < rv, "<=": lv <= rv, ">": lv > rv, ">=": lv >= rv}[relation]
    d = lv - rv
    scale = max(abs(lv), abs(rv), 1)
    tolerance = scale * sympy.Float("1e-25")
    fails = {"=": abs(d) > tolerance, "!=": abs(d) <= tolerance, "<": d >= -tolerance, "<=": d > tolerance,
             ">": d <= tolerance, ">=": d < -tolerance}[relation]
    return bool(fails)


def _reads(left, right, name: str) -> bool:
    """Whether a value of the point is one the sides read (entries are all kept)."""
    if "[" in name:
        return True
    return name in _free_names(left, right)


def _point_text(values: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items()) or "every point (the sides are numbers)"


def replay(left: sympy.Expr, relation: str, right: sympy.Expr, counterexample: dict) -> bool:
    """Whether the counterexample's point makes the relation fail, evaluated plainly again."""
    point = {k: Fraction(v) for k, v in counterexample["values"].items()}
    try:
        return decide(evaluate(left, point), relation, evaluate(right, point)) is False
    except (Undefined, ValueError, ZeroDivisionError):
        return False
