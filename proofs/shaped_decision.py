"""Deciding statements over vectors and matrices of independent symbolic sizes: proved for every size by a sympy
identity of their entries (every index shown in range by z3), refuted at concrete sizes with exact values, replayed
by plain loops; unknown otherwise."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Optional

from proofs import terms
from proofs.domains import Domain, exact_number
from proofs.model import ForgedWitness, Outcome, Replay
from proofs.shaped import ArrayTerm, EntryTerm, IndexDomain, ShapedAnd, ShapedDomain, ShapedRelation
from proofs.shaped import text as shaped_text
from proofs.terms import Term

__all__ = ["decide", "replay", "relation", "formal", "CANDIDATES", "MAX_SIZE"]

# The functions a counterexample may choose for a Function the statement applies elementwise: polynomials, by their
# coefficients c0, c1, ... (a witness gives its own, at most four).
CANDIDATES = (("0", "1"), ("1", "2"), ("0", "0", "1"), ("-1", "1", "1"))
# The largest size a witness may give (or its least value plus two, when that is larger); the search tries each size
# from its least value up to two more.
MAX_SIZE = 8
_TRIES = 8
# Sizes whose arrays hold more entries than this in all are not searched (a cube of a size grows fast).
_MAX_ENTRIES = 2_000
_ENTRIES = tuple(Fraction(v) for v in ("-2", "-1", "0", "1", "1", "2", "1/2", "-1/2"))
_WEIGHTS = tuple(Fraction(v) for v in ("1", "2", "3", "1/2"))
# Why an @exists over vectors or matrices of symbolic size is unknown: this engine decides "for every value" only.
EXISTS = ("an @exists statement over vectors or matrices of symbolic size is not decided (this engine proves a relation "
          "for every value, or refutes it at one, which settles neither way whether some value satisfies it)")


class NoValue(ValueError):
    """A term with no value at an instance (onehot(i, n) or an entry outside its size): the statement is false there."""


class Undecided(ValueError):
    """Whether a term has a value at an instance is not settled exactly (the sign of a logarithm's argument that is
    neither shown positive nor shown ≤ 0): the instance is neither a counterexample nor a confirmation."""


def relation(stmt: Any, params: Mapping[str, Any]) -> Any:
    """The statement's relation (a ShapedRelation, or a ShapedAnd of them) for these stated values."""
    _indices(stmt)
    args = {name: dom.variable(name) if isinstance(dom, ShapedDomain) else terms.var(name) for name, dom in stmt.domains.items()}
    out = stmt.function(**args, **params)
    if not isinstance(out, (ShapedRelation, ShapedAnd)):
        raise TypeError(f"a statement over vectors of symbolic size returns a relation such as softmax(u) == softmax(v), "
                        f"z[1] - z[0] == 0 or a != b (several joined by &), not {out!r}")
    undeclared = _names(out) - set(_sizes(stmt)) - set(stmt.domains)
    if undeclared:
        raise TypeError(f"{sorted(undeclared)}: a size or index the statement uses is not the size of one of its variables "
                        "nor one of its variables: declare it in a variable's domain")
    return out


def _names(x: Any) -> set[str]:
    """The sizes and integer variables x mentions (in sizes, indices and numbers)."""
    if isinstance(x, ShapedAnd):
        return set().union(*(_names(p) for p in x.parts))
    if isinstance(x, ShapedRelation):
        return _names(x.lhs) | _names(x.rhs)
    if isinstance(x, Term):
        return set(terms.variables(x))
    if hasattr(x, "term") and hasattr(x, "bounds"):  # a size
        return set(terms.variables(x.term))
    if isinstance(x, (ArrayTerm, EntryTerm)):
        out = set().union(*(_names(d) for d in (getattr(x, "rows", None), getattr(x, "cols", None)) if d is not None))
        for a in x.args:
            if isinstance(a, (ArrayTerm, EntryTerm, Term)) or hasattr(a, "bounds"):
                out |= _names(a)
        return out
    return set()


def _indices(stmt: Any) -> dict[str, Domain]:
    out = {}
    for name, dom in stmt.domains.items():
        if isinstance(dom, ShapedDomain):
            continue
        if dom.kind != "int" or dom.shape or dom.indexed or getattr(dom, "role", None) is not None:
            raise TypeError(f"{name}: a statement over Size(...) vectors quantifies integers (Nat, IntRange) beside them, not "
                            f"{dom.name}")
        out[name] = dom
    return out


def _sizes(stmt: Any) -> dict[str, int]:
    """Each size variable with its least value."""
    out: dict[str, int] = {}
    for dom in stmt.domains.values():
        if isinstance(dom, (ShapedDomain, IndexDomain)):
            for dim in ((dom.rows, dom.cols) if isinstance(dom, ShapedDomain) else (dom.below,)):
                for name, least in (dim.bounds if dim is not None else ()):
                    if out.setdefault(name, least) != least:
                        raise TypeError(f"the size {name} is declared twice with different least values")
    if set(out) & set(stmt.domains):
        raise TypeError(f"{sorted(set(out) & set(stmt.domains))}: a size and a variable share a name")
    return out


def _key(stmt: Any, name: str) -> str:
    """Where a witness gives a Function's coefficients: under its name, or "f(·)" when a variable or size of the
    statement has that name."""
    return f"{name}(·)" if name in stmt.domains or name in _sizes(stmt) else name


def _functions(x: Any) -> dict[str, Any]:
    """The Functions applied in x, by name."""
    if isinstance(x, ShapedAnd):
        return {k: v for p in x.parts for k, v in _functions(p).items()}
    if isinstance(x, ShapedRelation):
        return {**_functions(x.lhs), **_functions(x.rhs)}
    if isinstance(x, (ArrayTerm, EntryTerm)):
        out = {x.args[0].name: x.args[0]} if x.op == "apply" and not isinstance(x.args[0], str) else {}
        for a in x.args:
            out.update(_functions(a))
        return out
    return {}


# --- plain evaluation at concrete sizes ---------------------------------------------------------------------------

def _int(t: Term, env: Mapping[str, int]) -> int:
    if t.op == "var":
        return env[t.args[0]]
    if t.op == "const":
        return t.args[0]
    parts = [_int(a, env) for a in t.args]
    return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
            "neg": lambda: -parts[0]}[t.op]()


def _polynomial(coefficients: tuple, z: Any) -> Any:
    out, power = 0, 1
    for c in coefficients:
        out, power = out + c * power, power * z
    return out


def value(x: Any, env: Mapping[str, int], element: Callable[[str], list], functions: Mapping[str, tuple]) -> Any:
    """An array as a list of rows (a vector n × 1) or an entry, in exact sympy numbers, computed with plain loops."""
    import sympy

    op, a = x.op, x.args
    if isinstance(x, EntryTerm):
        if op == "const":
            return sympy.Rational(str(Fraction(a[0].args[0])))
        if op == "int":
            return sympy.Integer(_int(a[0], env))
        if op == "entry":
            M = value(a[0], env, element, functions)
            i, j = _int(a[1], env), (_int(a[2], env) if len(a) > 2 else 0)
            if not (0 <= i < len(M) and 0 <= j < len(M[0])):
                raise NoValue(f"{shaped_text(x)}: index ({i}, {j}) outside a {len(M)} × {len(M[0])} array")
            return M[i][j]
        parts = [value(p, env, element, functions) for p in a]
        return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
                "neg": lambda: -parts[0]}[op]()
    if op == "var":
        return element(a[0])
    if op == "onehot":
        i, n = _int(a[0], env), _int(a[1].term, env)
        if not 0 <= i < n:
            raise NoValue(f"{shaped_text(x)}: index {i} outside 0..{n - 1}")
        return [[sympy.Integer(int(k == i))] for k in range(n)]
    if op == "concat":
        return value(a[0], env, element, functions) + value(a[1], env, element, functions)
    if op == "mul":
        A, B = value(a[0], env, element, functions), value(a[1], env, element, functions)
        return [[sum((A[r][k] * B[k][c] for k in range(len(B))), sympy.Integer(0)) for c in range(len(B[0]))] for r in range(len(A))]
    if op in ("add", "sub"):
        sign = 1 if op == "add" else -1
        A, B = value(a[0], env, element, functions), value(a[1], env, element, functions)
        return [[p + sign * q for p, q in zip(r1, r2)] for r1, r2 in zip(A, B)]
    if op in ("shift", "scale"):
        c = sympy.Rational(str(Fraction(a[0].args[0])))
        M = value(a[1], env, element, functions)
        return [[v + c if op == "shift" else c * v for v in row] for row in M]
    if op == "apply":
        inner = value(a[1], env, element, functions)
        if a[0] == "exp":
            return [[sympy.exp(v) for v in row] for row in inner]
        if a[0] == "step":  # the threshold, on exact values (an unsettled sign is Undecided)
            return [[sympy.Integer(1 if _positive(v) else 0) for v in row] for row in inner]
        if a[0] == "log":
            for v in (v for row in inner for v in row):
                if not _positive(v):
                    raise NoValue(f"{shaped_text(x)}: the logarithm of an entry that is not positive ({v})")
            return [[sympy.log(v) for v in row] for row in inner]
        return [[_polynomial(functions[a[0].name], v) for v in row] for row in inner]
    from proofs import shaped_blocks

    if op in shaped_blocks.OPS:
        return shaped_blocks.value(x, lambda dim: _int(dim.term, env), lambda y: value(y, env, element, functions))
    v = [row[0] for row in value(a[0], env, element, functions)]  # softmax
    total = sum((sympy.exp(z) for z in v), sympy.Integer(0))
    return [[sympy.exp(z) / total] for z in v]


def _sign(v: Any) -> Optional[int]:
    """The sign of an exact real from 15 digits sympy guarantees correct (strict evaluation), 0 within 10^-20 of 0;
    None when sympy cannot guarantee them (an exact 0 it does not simplify, or a cancellation beyond its precision)."""
    import sympy
    from mpmath.libmp.libhyper import NoConvergence
    from sympy.core.evalf import PrecisionExhausted

    try:
        approx = sympy.N(v, 15, strict=True)
    except (PrecisionExhausted, NoConvergence, ValueError, TypeError):
        return None
    if not approx.is_Number:
        return None
    return 0 if abs(approx) < sympy.Float("1e-20", 15) else (1 if approx > 0 else -1)


def _positive(v: Any) -> bool:
    """Whether an exact real is > 0: rationals compared; otherwise shown positive by sympy or by its sign from 15
    guaranteed digits, shown ≤ 0 likewise or by simplifying to 0; Undecided when neither is shown (a value within
    10^-20 of 0 that sympy does not simplify to 0 is never called ≤ 0)."""
    import sympy

    if v.is_Rational:
        return v > 0
    if v.is_positive is True:
        return True
    if v.is_positive is False and v.is_real is True:
        return False
    sign = _sign(v)
    if sign:
        return sign > 0
    if sympy.simplify(v) == 0:
        return False
    raise Undecided(f"the sign of {str(v)[:200]} is not settled exactly")


def _equal(p: Any, q: Any) -> bool:
    """Exact equality: of rationals directly; otherwise the sign of the difference from 15 digits sympy guarantees
    correct (within 10^-20 of 0, or digits it cannot guarantee, count as equal: never a refutation)."""
    if p.is_Rational and q.is_Rational:
        return p == q
    return not _sign(p - q)


def _same_exactly(p: Any, q: Any) -> Optional[bool]:
    """Whether p = q, shown exactly: rationals compared; otherwise True when sympy simplifies p - q to 0, False when its
    sign is shown non-zero, None when neither is shown (a near tie is never called equal here)."""
    import sympy

    if p.is_Rational and q.is_Rational:
        return p == q
    if sympy.simplify(p - q) == 0:
        return True
    return False if _sign(p - q) else None


def holds_at(rel: Any, env: Mapping[str, int], element, functions) -> tuple[Optional[bool], dict]:
    """The relation at one exact instance with what each side evaluated to (of the first part that fails, for a
    conjunction); a term with no value makes it false. A ≠ fails only where its sides are shown exactly equal. None
    when whether a term has a value is not settled exactly (neither a counterexample nor a confirmation)."""
    if isinstance(rel, ShapedAnd):
        unsettled = None
        for part in rel.parts:
            holds, sides = holds_at(part, env, element, functions)
            if holds is False:
                return False, sides
            if holds is None:
                unsettled = sides
        return (None, unsettled) if unsettled is not None else (True, sides)
    try:
        lhs, rhs = (value(side, env, element, functions) for side in (rel.lhs, rel.rhs))
    except NoValue as exc:
        return False, {"undefined": str(exc)}
    except Undecided as exc:
        return None, {"undecided": str(exc)}
    if isinstance(rel.lhs, ArrayTerm):
        same = all(_equal(p, q) for r1, r2 in zip(lhs, rhs) for p, q in zip(r1, r2))
        return same, {"lhs": [[str(v) for v in row] for row in lhs], "rhs": [[str(v) for v in row] for row in rhs]}
    if rel.kind == "ne":
        return _same_exactly(lhs, rhs) is not True, {"lhs": str(lhs), "rhs": str(rhs), "relation": "≠"}
    return _equal(lhs, rhs), {"lhs": str(lhs), "rhs": str(rhs)}


def _shape(dom: ShapedDomain, env: Mapping[str, int]) -> tuple[int, Optional[int]]:
    return _int(dom.rows.term, env), (None if dom.cols is None else _int(dom.cols.term, env))


def search(stmt: Any, rel: ShapedRelation, sizes: Mapping[str, int], tries: int = _TRIES,
           extra: int = 2, evaluated: Optional[list] = None) -> Optional[tuple[dict, dict]]:
    """A counterexample at concrete sizes (each from its least value up to `extra` more, the smallest first), with
    exact random entries and the candidate functions: (witness, sides), or None. Each exact instance evaluated is
    counted in `evaluated` (a list, one item each) when given."""
    indices, functions = _indices(stmt), _functions(rel)
    names = sorted(sizes)
    combos = sorted(itertools.product(*(range(sizes[s], sizes[s] + extra + 1) for s in names)), key=lambda c: (sum(c), c))
    for combo in combos[:8]:
        if _entries(stmt, dict(zip(names, combo))) > _MAX_ENTRIES:
            continue
        points = _points(indices, dict(zip(names, combo)))
        for point in points:
            env = {**dict(zip(names, combo)), **point}
            for attempt in range(tries):
                rng = random.Random(f"{combo}:{sorted(point.items())}:{attempt}")
                chosen = {name: CANDIDATES[(attempt + k) % len(CANDIDATES)] for k, name in enumerate(sorted(functions))}
                drawn: dict[str, list] = {}

                def element(name: str, _rng=rng, _drawn=drawn, _env=env) -> list:
                    if name not in _drawn:
                        dom = stmt.domains[name]
                        rows, cols = _shape(dom, _env)
                        if dom.role == "distributions":  # positive entries, each column divided by its sum
                            raw = [[Fraction(_rng.choice(_WEIGHTS)) for _ in range(cols)] for _ in range(rows)]
                            sums = [sum(r[c] for r in raw) for c in range(cols)]
                            _drawn[name] = [[r[c] / sums[c] for c in range(cols)] for r in raw]
                        else:
                            _drawn[name] = [[Fraction(_rng.choice(_ENTRIES)) for _ in range(cols or 1)] for _ in range(rows)]
                    return _sympy_rows(_drawn[name])

                exact = {name: tuple(_rational(c) for c in cs) for name, cs in chosen.items()}
                holds, sides = holds_at(rel, env, element, exact)
                if holds is None:  # not settled exactly at this instance: neither a counterexample nor a check
                    continue
                if evaluated is not None:
                    evaluated.append(1)
                if not holds:
                    witness: dict[str, Any] = dict(env)
                    for name, M in sorted(drawn.items()):
                        shown = [[str(v) for v in row] for row in M]
                        witness[name] = [row[0] for row in shown] if stmt.domains[name].cols is None else shown
                    witness.update({_key(stmt, name): list(cs) for name, cs in chosen.items()})
                    return witness, sides
    return None


def _points(indices: Mapping[str, Domain], env: Mapping[str, int]) -> list[dict]:
    """The index values the search tries at these sizes: six combinations of each index's tried values in its domain,
    by the sum of their ranks, so that each index's least and greatest values come first (never only its first)."""
    names = sorted(indices)
    tried = [[x for x in _tried(indices[k], env) if _index_in(indices[k], x, env)] for k in names]
    ranks = sorted(itertools.product(*(range(len(t)) for t in tried)), key=lambda r: (sum(r), r))
    return [{k: tried[n][r] for n, (k, r) in enumerate(zip(names, rank))} for rank in ranks[:6]]


def _tried(dom: Domain, env: Mapping[str, int]) -> list[int]:
    """The values of an index the search tries, its extremes first: for IndexOf(n), 0, n - 1 (its last, at these
    sizes), 1, 2, 3; for a finite set (OneOf, Bit), its least, its greatest and the next three; for a range with both
    bounds, its least, its greatest, the next three from the least and the one below the greatest; else four from its
    least value, or down from its greatest value, or around 0 when it has neither bound (the domain then keeps those
    it contains)."""
    import math

    if isinstance(dom, IndexDomain):
        return list(dict.fromkeys((0, _int(dom.below.term, env) - 1, 1, 2, 3)))
    if dom.values is not None:
        values = sorted(dom.values)
        return list(dict.fromkeys((values[0], values[-1], *values[1:4])))
    low = high = None
    if dom.lower is not None:
        low = math.floor(dom.lower) + 1 if dom.lower_open or dom.lower != math.floor(dom.lower) else int(dom.lower)
    if dom.upper is not None:
        high = math.ceil(dom.upper) - 1 if dom.upper_open or dom.upper != math.ceil(dom.upper) else int(dom.upper)
    if low is not None and high is not None:
        return [v for v in dict.fromkeys((low, high, low + 1, low + 2, low + 3, high - 1)) if low <= v <= high]
    if low is not None:
        return list(range(low, low + 4))
    if high is not None:
        return list(range(high, high - 4, -1))
    return [0, 1, -1, 2, -2]


def _index_in(dom: Domain, value: int, env: Mapping[str, int]) -> bool:
    """Whether an index value is in its domain at these sizes (below its size, for IndexOf)."""
    if isinstance(dom, IndexDomain):
        return 0 <= value < _int(dom.below.term, env)
    return dom.contains(value)


def _entries(stmt: Any, env: Mapping[str, int]) -> int:
    """How many entries the statement's arrays have at these sizes."""
    shapes = [_shape(dom, env) for dom in stmt.domains.values() if isinstance(dom, ShapedDomain)]
    return sum(rows * (cols or 1) for rows, cols in shapes)


def _rational(v: Any) -> Any:
    import sympy

    return sympy.Rational(str(Fraction(v)))


def _sympy_rows(M: list) -> list:
    return [[_rational(v) for v in row] for row in M]


def replay(stmt: Any, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement at a witness, with plain loops in exact arithmetic, after checking every value: each size a whole
    number from its least value to MAX_SIZE (or to its least value plus two, when that is larger), each index in its
    domain, each array of its size, each function a polynomial of at most four exact coefficients."""
    rel = relation(stmt, params)
    sizes, indices, functions = _sizes(stmt), _indices(stmt), _functions(rel)
    if not isinstance(witness, Mapping):
        raise ForgedWitness("a counterexample here is a mapping of the sizes, the indices, the arrays and the functions")
    arrays = {name for name, dom in stmt.domains.items() if isinstance(dom, ShapedDomain)}
    unknown = set(witness) - {*sizes, *indices, *arrays, *(_key(stmt, name) for name in functions)}
    if unknown:
        raise ForgedWitness(f"witness has fields {sorted(unknown)} the statement does not quantify")
    env: dict[str, int] = {}
    for name, least in sizes.items():
        v, most = witness.get(name), max(MAX_SIZE, least + 2)  # the search's sizes, from a least value past MAX_SIZE too
        if not isinstance(v, int) or isinstance(v, bool) or not least <= v <= most:
            raise ForgedWitness(f"witness size {name} = {v!r} is not a whole number from {least} to {most}")
        env[name] = v
    for name, dom in indices.items():
        v = witness.get(name)
        if not isinstance(v, int) or isinstance(v, bool) or not _index_in(dom, v, env) or abs(v) > 10_000:
            raise ForgedWitness(f"witness {name} = {v!r} is not an index in {dom.name}")
        env[name] = v
    chosen = {}
    for name in functions:
        cs = witness.get(_key(stmt, name))
        if not isinstance(cs, (list, tuple)) or not 1 <= len(cs) <= 4:
            raise ForgedWitness(f"witness {_key(stmt, name)} is not a polynomial's coefficients c0, c1, ... (one to four)")
        chosen[name] = tuple(_rational(exact_number(c, name)) for c in cs)

    def element(name: str) -> list:
        rows, cols = _shape(stmt.domains[name], env)
        raw = witness.get(name)
        if raw is None:
            raise ForgedWitness(f"witness has no value for {name}")
        if cols is None:
            if not isinstance(raw, (list, tuple)) or len(raw) != rows:
                raise ForgedWitness(f"witness {name} is not a vector of {rows} numbers")
            return [[_rational(exact_number(v, name))] for v in raw]
        if not isinstance(raw, (list, tuple)) or len(raw) != rows or \
                any(not isinstance(r, (list, tuple)) or len(r) != cols for r in raw):
            raise ForgedWitness(f"witness {name} is not a {rows} × {cols} matrix (a list of {rows} rows)")
        out = [[_rational(exact_number(v, name)) for v in row] for row in raw]
        if stmt.domains[name].role == "distributions" and (any(v <= 0 for row in out for v in row) or
                                                           any(sum(r[c] for r in out) != 1 for c in range(cols))):
            raise ForgedWitness(f"witness {name} has an entry that is not positive or a column that does not sum to 1")
        return out

    holds, sides = holds_at(rel, env, element, chosen)
    if holds is None:
        raise ForgedWitness(f"the statement at the witness is not settled exactly ({sides['undecided']}): not a "
                            "counterexample")
    return Replay(holds, sides)


# --- the verdict --------------------------------------------------------------------------------------------------

def decide(stmt: Any, params: Mapping[str, Any], trusts: Iterable[Any] = ()) -> Outcome:
    """Proved for every size when the entries' difference is a sympy identity and every index is in range (z3), once
    the exact instances at the least sizes agree; refuted by a replayed counterexample at concrete sizes; unknown
    otherwise (never a pass)."""
    from proofs import interpret

    rel = relation(stmt, params)
    sizes = _sizes(stmt)
    evidence: dict[str, Any] = {"statement": {"text": formal(stmt, params)},
                                "sizes": ", ".join(f"every {name} ≥ {least}" for name, least in sorted(sizes.items()))}
    if stmt.quantifier != "forall":  # neither a proof for every value nor a counterexample decides "there exists"
        return interpret.undecided("sympy + z3", evidence, EXISTS)
    proof = _prove_all(rel, sizes, _indices(stmt))
    if proof is None:
        found = search(stmt, rel, sizes)
        if found is not None:
            return _refuted(stmt, params, found, evidence)
        return interpret.undecided("sympy + z3", {**evidence, "searched": _searched(sizes)},
                                   "not proved for every size, and no counterexample at the sizes searched")
    lines, notes = proof
    outcome = interpret.combine(*lines, method="sympy + z3")
    evaluated: list = []
    found = search(stmt, rel, sizes, tries=3, extra=1, evaluated=evaluated)  # the exact instances a proof must survive
    if found is not None:
        return interpret.disagreement("exact arithmetic", {**evidence, "counterexample": found[0]},
                                      f"{outcome.method} answered proved; the exact replay disagrees")
    if not evaluated:  # a proof no exact instance has checked is not trusted
        return interpret.undecided("sympy + z3", {**evidence, "searched": _searched(sizes)},
                                   f"{outcome.method} answered proved, but no exact instance was evaluated to replay it "
                                   f"(at most {_MAX_ENTRIES} entries in all, and an index value in its domain, at each "
                                   "size's least value and one more)")
    return interpret.annotated(outcome, **{k: v for k, v in evidence.items() if k != "statement"}, **notes,
                               replayed="each size at its least value and one more: the exact instances agree")


def _prove_all(rel: Any, sizes: Mapping[str, int], indices: Mapping[str, Domain]) -> Optional[tuple[list, dict]]:
    """The proof of every part of a conjunction (or of the one relation), or None when one part is not proved."""
    from proofs.shaped_proof import prove

    parts = rel.parts if isinstance(rel, ShapedAnd) else (rel,)
    lines: list = []
    notes: dict = {}
    for k, part in enumerate(parts):
        proof = prove(part, sizes, indices)
        if proof is None:
            return None
        lines += proof[0]
        for key, note in proof[1].items():
            notes[key if len(parts) == 1 else f"{key} ({k + 1})"] = note
    return lines, notes


def _searched(sizes: Mapping[str, int]) -> str:
    return ", ".join(f"{name} = {least}..{least + 2}" for name, least in sorted(sizes.items())) + \
        f", {_TRIES} exact instances each, functions {[list(c) for c in CANDIDATES]}"


def _refuted(stmt: Any, params: Mapping[str, Any], found: tuple, evidence: dict) -> Outcome:
    from proofs import interpret

    witness, _ = found
    again = replay(stmt, witness, params)  # read back from the witness and evaluated again
    if again.holds:
        return interpret.disagreement("exact arithmetic", evidence, "the search's counterexample does not replay")
    sizes = ", ".join(f"{name} = {witness[name]}" for name in sorted(_sizes(stmt)))
    return interpret.computed(False, witness=witness, method="exact arithmetic", evidence={**evidence, "sides": dict(again.sides)},
                              failure=f"refuted at sizes {sizes} with exact values", statement=_decided(again.sides))


def _decided(sides: Mapping[str, Any]) -> Any:
    import sympy

    if "undefined" in sides:
        return sympy.false
    lhs, rhs = sides["lhs"], sides["rhs"]
    if sides.get("relation") == "≠":
        return sympy.Ne(sympy.sympify(lhs), sympy.sympify(rhs), evaluate=False)
    if isinstance(lhs, list):
        return sympy.Eq(sympy.Matrix(lhs).applyfunc(sympy.sympify), sympy.Matrix(rhs).applyfunc(sympy.sympify), evaluate=False)
    return sympy.Eq(sympy.sympify(lhs), sympy.sympify(rhs), evaluate=False)


def formal(stmt: Any, params: Mapping[str, Any]) -> str:
    """The formal statement, printed from the relation that is decided."""
    from proofs.uninterpreted import Function

    rel = relation(stmt, params)
    sizes = ", ".join(f"{name} ≥ {least}" for name, least in sorted(_sizes(stmt).items()))
    groups: dict[str, list[str]] = {}
    for name, dom in stmt.domains.items():
        groups.setdefault(dom.name, []).append(name)
    over = "; ".join(f"{', '.join(names)} ∈ {dom}" for dom, names in groups.items())
    fns = "; ".join(f.describe() for f in _functions(rel).values())
    stated = ", ".join(f"{k} = {v}" for k, v in params.items() if not isinstance(v, Function))
    if stmt.quantifier != "forall":
        over = f"there exist {over}" if over else over
    head = "; ".join(p for p in (f"for all sizes {sizes}", over, fns) if p)
    return f"{head}: {shaped_text(rel)}" + (f", where {stated}" if stated else "")
