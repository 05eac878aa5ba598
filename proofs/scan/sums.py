"""Steps with sums written without bounds (\\sum_i y_i) and derivatives of them with respect to an entry (dL/dz_j):
decided at each length the sums may have, 1 to MAX_LENGTH, and each value of the step's free indices.

At a fixed length every sum is a finite number of terms and every derivative is taken of the expanded expression, so
sympy decides the step exactly: a difference that simplifies to 0 holds at that length (the step is checked for the
lengths named, never proved for every length); a difference that does not is refuted only at a rational point where a
plain evaluation (proofs.scan.replay: exact fractions, rigorous intervals for exp and log) shows the sides differ. A
stated fact with a sum (\\sum_i y_i = 1) restricts the instances: at each length it is solved for one entry, so every
instance satisfies it exactly; a fact that cannot be solved that way leaves a failing step in need of review."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Optional

import sympy

from proofs.scan.check import Outcome, simplifies_to_zero
from proofs.scan.check import replay as replay_point
from proofs.scan.replay import NotReal, Undefined, decide, evaluate, key

__all__ = ["applies", "decide_sums", "replay", "MAX_LENGTH"]

# The lengths a sum without bounds is given.
MAX_LENGTH = 3
# Rational points tried for each failing instance.
_POINTS = 12


def _lengths(*exprs: sympy.Expr) -> list:
    return sorted({s for e in exprs for s in e.free_symbols if s.name.startswith("#")}, key=str)


def _indices(*exprs: sympy.Expr) -> list:
    """The free index names of the step (j in y_j), not a sum's own index or length."""
    out = set()
    for e in exprs:
        for a in e.atoms(sympy.Indexed):
            out |= {s for i in a.indices for s in i.free_symbols}
    bound = {lim[0] for e in exprs for s in e.atoms(sympy.Sum, sympy.Product) for lim in s.args[1:]}
    free = {s for e in exprs for s in e.free_symbols}
    free |= {s for e in exprs for d in e.atoms(sympy.Derivative) for v in d.variables for s in v.free_symbols}
    return sorted((out - bound) & free - set(_lengths(*exprs)), key=str)


def _vector_derivatives(*exprs: sympy.Expr) -> bool:
    """Whether a derivative is taken with respect to a whole vector (dL/dz with the entries z_k in L)."""
    return any(isinstance(v, sympy.Symbol) and any(a.base.label == v for a in d.expr.atoms(sympy.Indexed))
               for e in exprs for d in e.atoms(sympy.Derivative) for v, _ in d.variable_count)


def entrywise(exprs, values: dict):
    """A step about whole vectors (dL/dz = yhat - y, with the entries z_k, yhat_k, y_k used elsewhere) read entry by
    entry at a fresh index: each vector's entry, with the entries defined one by one read in; None when no side takes
    a derivative with respect to a whole vector. The gradient has the shape of the variable, so entry q of each side
    is compared, whatever the layout."""
    from proofs.scan.parse import _entries

    if not _vector_derivatives(*exprs):
        return None
    labels = {a.base.label for e in exprs for a in e.atoms(sympy.Indexed)}
    labels |= {k.base.label for k in values if isinstance(k, sympy.Indexed)}
    used = {s.name for e in [*exprs, *values, *values.values()] for s in e.atoms(sympy.Symbol)}
    name = next(c for c in ("q", "p", "r", "s", "u", "v", "a", "b", "c", "d") if c not in used)
    q = sympy.Symbol(name, real=True)  # as the reader makes every name
    # the variable of each derivative and each bare vector name become entry q
    def entry(e: sympy.Expr) -> sympy.Expr:
        e = e.replace(lambda d: isinstance(d, sympy.Derivative) and _vector_derivatives(d),
                      lambda d: sympy.Derivative(d.expr, sympy.IndexedBase(d.variables[0])[q], evaluate=False))
        bare = {s for s in _outside(e) if s in labels}
        return e.xreplace({s: sympy.IndexedBase(s)[q] for s in bare})
    out = [entry(e) for e in exprs]
    for _ in range(8):
        known = [{**{a: values[a] for a in e.atoms(sympy.Indexed) if a in values}, **_entries(values, e, ())} for e in out]
        if not any(known):
            break
        out = [e.xreplace(k) for e, k in zip(out, known)]
    return tuple(out)


def _outside(e: sympy.Expr) -> set:
    """The symbols of e that are not an indexed name's base or index, nor a derivative's variable."""
    if isinstance(e, sympy.Symbol):
        return {e}
    if isinstance(e, sympy.Indexed):
        return set()
    if isinstance(e, sympy.Derivative):
        return _outside(e.expr)
    if isinstance(e, (sympy.Sum, sympy.Product)):
        return _outside(e.args[0]) - {lim[0] for lim in e.args[1:]}
    out = set()
    for a in e.args:
        out |= _outside(a)
    return out


def _of_a_sum(d: sympy.Derivative) -> bool:
    """A derivative of a sum or product with respect to an entry or a whole vector (the ones proofs.scan.parse keeps
    unevaluated), not one of an undefined function (f'(x)), which sympy keeps as it is."""
    return d.expr.has(sympy.Sum, sympy.Product) and any(
        isinstance(v, sympy.Indexed) or any(a.base.label == v for a in d.expr.atoms(sympy.Indexed)) for v in d.variables)


def applies(exprs, facts=()) -> bool:
    """Whether the step is one this module decides: a derivative of a sum with respect to an entry, or a sum without
    bounds under a stated fact with one."""
    if any(_of_a_sum(d) for e in exprs for d in e.atoms(sympy.Derivative)):
        return True
    return bool(_lengths(*exprs)) and any(_lengths(a, c) for a, _, c in facts)


def _at(e: sympy.Expr, sub: dict) -> sympy.Expr:
    return e.xreplace(sub).doit()


def _solve_facts(facts, sub: dict) -> Optional[dict]:
    """Values for one entry per fact that make each fact hold exactly at this length, or None when a fact cannot be
    solved for an entry (then it is not honoured)."""
    out: dict = {}
    for a, r, c in facts:
        if r != "=":
            return None
        eq = sympy.expand(_at(a, sub) - _at(c, sub)).xreplace(out)
        if eq == 0:
            continue
        entries = sorted(eq.atoms(sympy.Indexed), key=str)
        target = next((x for x in reversed(entries) if sympy.Poly(eq, x).degree() == 1 and
                       not sympy.diff(eq, x).free_symbols), None) if entries else None
        if target is None:
            return None
        (value,) = sympy.solve(eq, target)
        out = {k: v.xreplace({target: value}) for k, v in out.items()}
        out[target] = value
    return out


def decide_sums(left: sympy.Expr, relation: str, right: sympy.Expr, facts=(), seed: str = "",
                dims: Optional[dict] = None) -> Optional[Outcome]:
    """The step decided at each length 1..MAX_LENGTH and each value of its free indices, without the stated facts
    and, where it fails so, under them; None when it is not one this module reads (a relation other than =).
    `dims`: the shapes the material declares ({"y": ("K", 1)}): a sum over the entries of a declared vector has its
    length (every value 1..MAX_LENGTH of a size name, or the number it is), and so has an index of its entries."""
    if relation != "=":
        return None
    if _vector_derivatives(left, right):
        return Outcome("unknown", "a derivative with respect to a whole vector that is not read entry by entry")
    plain = _decide(left, right, (), seed, dims or {})
    if plain.status != "checked" and facts:
        return _decide(left, right, facts, seed, dims or {})
    return plain


def sized(exprs, dims: Optional[dict]) -> dict:
    """{#i: its length} for each length of sums without bounds (\\sum_i) that runs over the entries of vectors whose
    length the material gives (dims, see decide_sums): the size name as a symbol (the n a step may also read as a
    number) or the number; a length whose sums run over vectors of no given length, or of different ones, is left."""
    if not dims:
        return {}
    found: dict = {}
    for e in exprs:
        for s in e.atoms(sympy.Sum, sympy.Product):
            for var, _lo, hi in s.args[1:]:
                if isinstance(hi, sympy.Symbol) and hi.name.startswith("#"):
                    found.setdefault(hi, set()).add(_declared(var, [s.args[0]], dims))
    out = {}
    for length, sizes in found.items():
        if len(sizes) == 1 and None not in sizes:
            (size,) = sizes
            out[length] = sympy.Integer(size) if isinstance(size, int) else sympy.Symbol(size, real=True)
    return out


# The size every sum and index of no declared length shares (as before lengths were read from declarations).
_UNKNOWN = "#n"


def _declared(symbol, exprs, dims: dict):
    """The length of the vectors a sum's index or a free index runs over, as the material declares it (a size name
    or a number), or None when none is declared or the vectors' declarations disagree."""
    found = set()
    for e in exprs:
        for a in e.atoms(sympy.Indexed):
            if any(symbol in i.free_symbols for i in a.indices):
                shape = dims.get(str(a.base.label))
                if shape is None or len(a.indices) != 1 or shape[1] != 1:
                    return None
                found.add(shape[0])
    return found.pop() if len(found) == 1 else None


def _ordered_sums(e: sympy.Expr) -> list:
    return sorted(e.atoms(sympy.Sum, sympy.Product), key=sympy.default_sort_key)


def _classes(lengths, indices, exprs, dims: dict) -> dict:
    """Each length symbol (#i) and free index: the size it runs over (a size name, a number, or _UNKNOWN)."""
    out = {}
    for length in lengths:
        # the sums in one order (a set's is the hash seed's): the same index read first in every run
        var = next((lim[0] for e in exprs for s in _ordered_sums(e) for lim in s.args[1:] if lim[2] == length), None)
        body = [s.args[0] for e in exprs for s in _ordered_sums(e) if s.args[1][2] == length]
        size = _declared(var, body, dims) if var is not None and body else None
        out[length] = _UNKNOWN if size is None else size
    for i in indices:
        size = _declared(i, exprs, dims)
        out[i] = _UNKNOWN if size is None else size
    return out


def _decide(left: sympy.Expr, right: sympy.Expr, facts, seed: str, dims: dict) -> Outcome:
    lengths = _lengths(left, right, *[x for a, _, c in facts for x in (a, c)])
    indices = _indices(left, right)
    rng = random.Random(seed)
    every = [left, right, *[x for a, _, c in facts for x in (a, c)]]
    classes = _classes(lengths, indices, every, dims)
    if any(isinstance(c, int) and not 1 <= c <= 12 for c in classes.values()):
        return Outcome("unknown", "a declared length outside 1..12")
    names = sorted({c for c in classes.values() if isinstance(c, str)}) or [_UNKNOWN]
    # a size name the step also reads as a number (the n of 1/n for n samples x_i) is the length it names
    free = {s.name: s for e in every for s in e.free_symbols}
    tied = {c: free[c] for c in names if c != _UNKNOWN and c in free}

    honoured = True
    for choice in itertools.product(range(1, MAX_LENGTH + 1), repeat=len(names)):
        size = dict(zip(names, choice))
        of = {s: size[c] if isinstance(c, str) else c for s, c in classes.items()}
        n = max(of.values(), default=choice[0])
        for values in itertools.product(*[range(1, of[i] + 1) for i in indices]):
            sub = {length: sympy.Integer(of[length]) for length in lengths}
            sub.update({i: sympy.Integer(v) for i, v in zip(indices, values)})
            sub.update({s: sympy.Integer(size[c]) for c, s in tied.items()})
            solved = _solve_facts(facts, sub)
            if solved is None:
                solved, honoured = {}, False
            lv, rv = _at(left, sub).xreplace(solved), _at(right, sub).xreplace(solved)
            if lv.has(sympy.Derivative, sympy.Sum, sympy.Product) or rv.has(sympy.Derivative, sympy.Sum, sympy.Product):
                return Outcome("unknown", "a sum or a derivative is left after fixing the length")
            if simplifies_to_zero(lv - rv):
                continue
            found = _point(left, right, lv, rv, facts, sub, solved, rng)
            if found is None:
                return Outcome("unknown", f"at length {n} the sides do not simplify to one another and no point where "
                                          "they provably differ was found")
            if not honoured:
                return Outcome("needs review", f"fails at length {n}, but a stated fact with a sum could not be honoured"
                                               " (solved for an entry): review it", counterexample=found)
            shown = ", ".join(f"{k} = {v}" for k, v in found["values"].items())
            at = [f"{c} = {v}" for c, v in size.items() if c != _UNKNOWN]
            at += [f"the declared length {c}" for c in sorted({c for c in classes.values() if isinstance(c, int)})]
            lengths_text = f"with {', '.join(at)} (the declared length of the vectors its sums run over)" if at else \
                f"with every sum without bounds of {n} term(s)"
            return Outcome("refuted", f"fails {lengths_text}"
                                      f"{' under the stated fact(s)' if facts else ''}: at {shown} the left side is "
                                      f"{found['left']} and the right side {found['right']} (replayed in exact and "
                                      "interval arithmetic)", counterexample=found)

    how = ", ".join(f"{i} = 1..{str(classes[i]).lstrip('#')}" for i in indices)
    under = " under the stated fact(s) " + ", ".join(f"{a} {r} {c}" for a, r, c in facts) if facts else ""
    if facts and not honoured:
        return Outcome("unknown", "a stated fact with a sum could not be honoured")
    declared = sorted({str(c) for c in classes.values() if c != _UNKNOWN})
    unknown = [s for s, c in classes.items() if c == _UNKNOWN]
    if declared:
        sized = ", ".join(f"{c} = 1..{MAX_LENGTH}" if not c.isdigit() else f"length {c}" for c in declared)
        what = (f"with each sum without bounds as long as the vectors it runs over are declared ({sized}"
                + (f"; the others, whose length no declaration gives, of n terms, n = 1..{MAX_LENGTH}" if unknown else "")
                + ")")
        tail = "not proved for every length"
    else:
        what = (f"with every sum without bounds of n terms, n = 1..{MAX_LENGTH} (the material declares no length for "
                "the vectors it runs over)")
        tail = "not proved for every n"
    return Outcome("checked", f"holds identically (exact simplification) {what}{', ' + how if how else ''}{under}; "
                              f"{tail}")


def _point(left, right, lv, rv, facts, sub, solved, rng) -> Optional[dict]:
    every = [lv, rv, *solved.values()]
    labels = {a.base.label for e in every for a in e.atoms(sympy.Indexed)}
    free = sorted({a for e in every for a in e.atoms(sympy.Indexed)} |
                  {s for e in every for s in e.free_symbols if s not in labels}, key=str)
    free = [s for s in free if s not in solved]
    for attempt in range(_POINTS):
        # points with no negative entry first (a distribution, a one-hot label), then any
        low = 0 if attempt < _POINTS // 2 else -6
        point = {s: sympy.Rational(rng.randint(low, 6), rng.randint(1, 6)) for s in free}
        for target, value in solved.items():
            point[target] = value.xreplace(point)
        values = {key(s): Fraction(int(v.p), int(v.q)) for s, v in point.items()}
        values.update({key(s): Fraction(int(v)) for s, v in sub.items()})
        try:
            if not all(decide(evaluate(_at(a, sub), values), r, evaluate(_at(c, sub), values)) for a, r, c in facts):
                continue
            lx, rx = evaluate(lv.xreplace(point), {}), evaluate(rv.xreplace(point), {})
        except (Undefined, NotReal, ValueError, ZeroDivisionError):
            continue
        if decide(lx, "=", rx) is False:
            cx = {"values": {k: str(v) for k, v in values.items()}, "left": _text(lx), "right": _text(rx)}
            if replay(left, "=", right, cx, facts):
                return cx
    return None


def _text(v) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return f"{float(v.a):.15g}"


def replay(left: sympy.Expr, relation: str, right: sympy.Expr, counterexample: dict, facts=()) -> bool:
    """Whether the counterexample (lengths "#i", indices and entries) makes the step fail, evaluated again: the sums
    expanded and the derivatives taken at its lengths (no simplification), then the sides evaluated plainly; and
    whether every fact holds exactly there."""
    values = {k: Fraction(v) for k, v in counterexample["values"].items()}
    every = (left, right, *[x for a, _, c in facts for x in (a, c)])
    names = {s.name: s for s in [*_lengths(*every), *_indices(left, right)]}
    if any(k in names and values[k].denominator != 1 for k in values):
        return False
    sub = {names[k]: sympy.Integer(int(v)) for k, v in values.items() if k in names}
    try:
        if not all(decide(evaluate(_at(a, sub), values), r, evaluate(_at(c, sub), values)) is True for a, r, c in facts):
            return False
    except (Undefined, ValueError, ZeroDivisionError):
        return False
    return replay_point(_at(left, sub), relation, _at(right, sub), {"values": {k: str(v) for k, v in values.items()}})
