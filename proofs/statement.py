"""Claims written once, as the statement that is decided: `@forall` / `@exists` over typed variables.

The decorated function takes the quantified variables (annotated with their domains) and, as keyword parameters
with defaults, the values the material states; it returns the relation to decide, built from ordinary arithmetic.
From it the engine derives the solver query, the verdict, the formal statement every report prints, the replay of
every witness (domains checked first, then the same function evaluated in exact arithmetic), the corrected claim of
an erratum and its mutant.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import re
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from proofs import backends, terms
from proofs.domains import ENUMERATION_LIMIT, MAX_SEQUENCE, Domain, exact_number
from proofs.errors import InvalidClaim
from proofs.model import (Anchor, Claim, Correction, Erratum, ForgedWitness, Outcome, Perturbation, Placeholder, Replay, Row, Table,
                          collecting, exercise_segment, forward_once, quoted)
from proofs.terms import Term
from proofs.verdicts import Verdict

__all__ = ["forall", "exists", "Correction", "Statement"]

CitesLike = Union[Anchor, tuple, Sequence]


@dataclasses.dataclass(frozen=True)
class Statement:
    """Built by @forall / @exists from the author's function: what the engine decides, for given stated values."""

    # "forall" or "exists".
    quantifier: str
    # The author's function; called with Terms for the variables and the stated values as keywords.
    function: Callable[..., Any]
    # Each quantified variable's domain, in the function's parameter order.
    domains: Mapping[str, Domain]

    def scalars(self) -> dict[str, Domain]:
        """Every scalar variable: a vector v of length 2 gives v[0] and v[1]; a matrix M gives M[0][1] and so on."""
        out = {}
        for name, dom in self.domains.items():
            for index in itertools.product(*(range(k) for k in dom.shape)):
                out[name + "".join(f"[{i}]" for i in index)] = dom.scalar
        return out

    def term(self, params: Mapping[str, Any], *, named: bool = True) -> Term:
        """The relation to decide for these stated values; with named, numeric stated values print as their names.

        What the body records with note() and event() reaches the check's result once, from the body evaluated
        with the stated values in place (named=False)."""
        with collecting() as local:
            out = self._term(params, named)
        if not named:
            forward_once(local, (id(self), repr(sorted(params.items(), key=lambda kv: kv[0]))))
        return out

    def _term(self, params: Mapping[str, Any], named: bool) -> Term:
        args = {}
        for name, dom in self.domains.items():
            args[name] = _shaped(name, dom.shape, terms.var)
        if named:
            numeric = {k: terms.param(k, v) for k, v in params.items() if _numeric(v)}
            try:
                return self._body(args, {**params, **numeric})
            except TypeError:  # a stated value used as a Python number (a size, a range): print it substituted
                pass
        return self._body(args, params)

    def _body(self, args: Mapping[str, Any], params: Mapping[str, Any]) -> Term:
        body = self.function(**args, **params)
        if isinstance(body, bool):  # a closed statement written with Python numbers only
            body = terms.term(body)
        if not isinstance(body, Term) or body.op not in (*terms.RELATIONS, "and", "or", "not", "implies", "bool"):
            raise InvalidClaim(f"the statement {self.function.__qualname__} must return a relation such as a == b or a <= b "
                               f"(combined with &, |, ~, implies), not {body!r}")
        return body

    def formal(self, params: Mapping[str, Any]) -> str:
        """The formal statement, printed from the term that is decided."""
        quantifier = "for all" if self.quantifier == "forall" else "there exist"
        groups: dict[str, list[str]] = {}
        for name, dom in self.domains.items():
            groups.setdefault(dom.name, []).append(name)
        over = "; ".join(f"{', '.join(names)} ∈ {dom}" for dom, names in groups.items())
        stated = ", ".join(f"{k} = {_show(v)}" for k, v in params.items())
        body = terms.text(self.term(params)) + (f", where {stated}" if stated else "")
        return f"{quantifier} {over}: {body}" if over else body


def _numeric(value: Any) -> bool:
    import fractions

    return isinstance(value, (int, fractions.Fraction)) and not isinstance(value, bool)


def _shaped(name: str, shape: tuple, leaf: Callable[[str], Any], prefix: str = "") -> Any:
    if not shape:
        return leaf(name + prefix)
    return [_shaped(name, shape[1:], leaf, f"{prefix}[{i}]") for i in range(shape[0])]


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


# --- deciding ------------------------------------------------------------------------------------------------------

def _environment(values: Mapping[str, Any]) -> dict:
    return dict(values)


def _witness(stmt: Statement, point: Mapping[str, Any]) -> dict:
    """A flat point (v[0], v[1], ...) as the witness a person reads: vectors and matrices as nested lists."""
    from proofs.probes import witness_value

    out = {}
    for name, dom in stmt.domains.items():
        out[name] = _shaped(name, dom.shape, lambda key: witness_value(point[key]))
    return out


def _flatten(stmt: Statement, witness: Mapping[str, Any]) -> dict:
    """Check a witness against the declared domains and return its scalar values; ForgedWitness when it does not fit."""
    if not isinstance(witness, Mapping):
        raise ForgedWitness(f"a witness is a mapping of variable names to values, not {type(witness).__name__}")
    extra = set(witness) - set(stmt.domains) - {"certificate"}
    missing = set(stmt.domains) - set(witness)
    if extra or missing:
        raise ForgedWitness(f"the witness names {sorted(map(str, extra))} that the statement does not quantify over"
                            if extra else f"the witness has no value for {sorted(missing)}")
    flat = {}
    for name, dom in stmt.domains.items():
        _take(name, dom.shape, witness[name], dom.scalar, flat, name)
    return flat


def _take(key: str, shape: tuple, value: Any, dom: Domain, flat: dict, name: str) -> None:
    if shape:
        if not isinstance(value, (list, tuple)) or len(value) != shape[0]:
            raise ForgedWitness(f"{key} must be a list of {shape[0]} values, got {value!r}")
        for i, item in enumerate(value):
            _take(f"{key}[{i}]", shape[1:], item, dom, flat, name)
        return
    if dom.indexed:  # a sequence x_1, x_2, ...: a list of any length, each element in the domain
        if not isinstance(value, (list, tuple)) or len(value) > MAX_SEQUENCE:
            raise ForgedWitness(f"{key} must be a list of at most {MAX_SEQUENCE} values [{key}_1, {key}_2, ...], got {value!r}")
        elements = []
        for i, item in enumerate(value, 1):
            number = exact_number(item, f"{key}[{i}]")
            if not dom.contains(number):
                raise ForgedWitness(f"{key}[{i}] = {item!r} is outside its domain {dom.name}")
            elements.append(number)
        flat[key] = elements
        return
    number = exact_number(value, key)
    if not dom.contains(number):
        raise ForgedWitness(f"{key} = {value!r} is outside its domain {dom.name}")
    flat[key] = number


def _atoms(relation: Term) -> list[Term]:
    """The relations a statement is made of, through its top-level conjunctions and implications."""
    if relation.op in ("and", "implies"):
        return [a for part in relation.args for a in _atoms(part)]
    return [relation] if relation.op in terms.RELATIONS else []


def _evaluate(stmt: Statement, relation: Term, point: Mapping[str, Any]) -> Replay:
    """The relation at the point, each side shown; where a term has no value there, the replay says so and fails."""
    sides: dict[str, Any] = {}
    try:
        holds = backends.decide_exact(relation, point, _required(relation))
    except backends.Undefined as exc:
        holds = False
        sides["undefined"] = str(exc)
    atoms = _atoms(relation)
    for n, atom in enumerate(atoms, 1):
        prefix = f"{n}. " if len(atoms) > 1 else ""
        for label, side in (("left", atom.args[0]), ("right", atom.args[1])):
            try:
                value = backends.exact_value(side, point)
            except backends.Undefined as exc:
                value = f"undefined: {exc.what}"
            sides[f"{prefix}{label}: {_clip(terms.text(side))}"] = value
    sides["holds"] = holds
    return Replay(holds, sides)


def _required(relation: Term) -> tuple[terms.Condition, ...]:
    """The relation's conditions (where every term of it is defined), less those that hold whatever the variables."""
    out = []
    for condition in terms.conditions(relation):
        if not terms.variables(condition.holds):
            try:
                if backends.failing((condition,), {}) is None:
                    continue
            except (backends.Undecided, backends.Undefined, terms.Unsupported, ValueError):
                pass
        out.append(condition)
    return tuple(out)


def _holds(relation: Term, required: Sequence[terms.Condition], point: Mapping[str, Any]) -> bool:
    """Whether the relation is defined and holds at the point (exact arithmetic)."""
    try:
        return backends.decide_exact(relation, point, required)
    except backends.Undefined:
        return False


def _undefined(relation: Term, required: Sequence[terms.Condition], point: Mapping[str, Any]) -> Optional[str]:
    """Why the relation has no value at the point, or None where it has one."""
    try:
        backends.decide_exact(relation, point, required)
    except backends.Undefined as exc:
        return str(exc)
    return None


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _enumerate(stmt: Statement, relation: Term, scalars: Mapping[str, Domain]) -> tuple[int, Optional[dict]]:
    """Check every point; return how many were checked and the first point deciding the question, if any: for a
    universal statement a point where it is undefined or false, for an existential one a point where it is defined
    and true."""
    names = list(scalars)
    wanted = stmt.quantifier == "exists"
    required = _required(relation)
    count = 0
    for values in itertools.product(*(list(d.points()) for d in scalars.values())):
        count += 1
        point = dict(zip(names, values))
        if _holds(relation, required, point) == wanted:
            return count, point
    return count, None


def _finite_size(scalars: Mapping[str, Domain]) -> Optional[int]:
    size = 1
    for dom in scalars.values():
        if dom.size is None:
            return None
        size *= dom.size
        if size > ENUMERATION_LIMIT:
            return None
    return size


def _z3_query(stmt: Statement, relation: Term, scalars: Mapping[str, Domain]):
    """The statement as one z3 query: every condition of its terms and the relation, for all points of the domains
    (validity) or for some point (satisfiability)."""
    import z3

    from proofs.solvers.smt import prove, solve

    env, given = _z3_domains(scalars)
    universal = stmt.quantifier == "forall"
    required = [backends.to_z3(c.holds, env, universal=universal) for c in _required(relation)]
    formula = backends.to_z3(relation, env)
    if universal:
        return prove(z3.And(*required, formula) if required else formula, list(env.values()), given=given)
    return solve([*given, *required, formula], list(env.values()))


def _z3_domains(scalars: Mapping[str, Domain]) -> tuple[dict, list]:
    """A z3 constant for each scalar variable, and what its domain says of it."""
    import z3

    env, given = {}, []
    if any(dom.indexed for dom in scalars.values()):
        raise terms.Unsupported("a sequence of symbolic length has no z3 form here")
    for name, dom in scalars.items():
        v = z3.Int(name) if dom.kind == "int" else z3.Real(name)
        env[name] = v
        if dom.values is not None:
            given.append(z3.Or([v == backends.to_z3(terms.term(x), {}) for x in dom.values]))
        if dom.lower is not None:
            bound = backends.to_z3(terms.term(dom.lower), {})
            given.append(v > bound if dom.lower_open else v >= bound)
        if dom.upper is not None:
            bound = backends.to_z3(terms.term(dom.upper), {})
            given.append(v < bound if dom.upper_open else v <= bound)
    return env, given


def _sympy_identity(relation: Term, scalars: Mapping[str, Domain]) -> Optional[bool]:
    """True when the relation is an equation (or a conjunction of them) whose sides simplify to the same expression."""

    if relation.op == "and":
        parts = [_sympy_identity(a, scalars) for a in relation.args]
        return True if all(p is True for p in parts) else None
    if relation.op == "implies":
        return _sympy_premised(relation, scalars)
    if relation.op != "eq":
        return None
    symbols = {name: _symbol(name, dom) for name, dom in scalars.items()}
    return _sympy_equal(relation, symbols)


def _sympy_premised(relation: Term, scalars: Mapping[str, Domain]) -> Optional[bool]:
    """premise ⇒ equation, for a premise that orders a variable against an expression of the others (m ≤ n, say):
    the variable is written as that expression plus a fresh k ≥ 0 (k > 0 where strict), and the equation must be an
    identity for every such k, which covers every point where the premise holds."""
    import sympy

    premise, consequent = relation.args
    if premise.op not in ("le", "lt", "ge", "gt") or consequent.op != "eq":
        return None
    low, high = premise.args if premise.op in ("le", "lt") else premise.args[::-1]
    symbols = {name: _symbol(name, dom) for name, dom in scalars.items()}
    for var, other, sign in ((high, low, 1), (low, high, -1)):
        if var.op != "var" or var.args[0] not in scalars or var.args[0] in terms.variables(other) \
                or scalars[var.args[0]].indexed:
            continue
        whole = scalars[var.args[0]].kind == "int" and all(scalars[v].kind == "int" for v in terms.variables(other))
        facts = {"positive": True} if premise.op in ("lt", "gt") else {"nonnegative": True}
        k = sympy.Dummy("k", integer=True, **facts) if whole else sympy.Dummy("k", real=True, **facts)
        try:
            free = {**symbols, var.args[0]: sympy.Symbol(var.args[0], real=True, **({"integer": True} if whole else {}))}
            shifted = backends.to_sympy(other, free) + sign * k
        except (terms.Unsupported, TypeError):
            return None
        return _sympy_equal(consequent, {**symbols, var.args[0]: shifted})
    return None


def _sympy_equal(relation: Term, symbols: Mapping[str, Any]) -> Optional[bool]:
    import sympy

    lhs, rhs = (backends.to_sympy(side, symbols) for side in relation.args)
    difference = sympy.expand(sympy.expand_log(lhs - rhs))
    if difference.has(sympy.Sum):  # sums of symbolic length in closed form, where sympy finds one
        difference = sympy.expand(difference.doit())
    if difference == 0:
        return True
    if difference.has(sympy.tanh, sympy.exp):  # tanh and sigmoid are quotients of exponentials
        if sympy.cancel(sympy.together(difference.rewrite(sympy.exp))) == 0:
            return True
    if difference.has(sympy.Piecewise):  # a sum's range condition left open: each case on its own
        cases = _cases(difference)
        if cases is not None:
            return cases
    if _nonzero_somewhere(difference):  # not an identity: spare the slow simplification
        return None
    difference = sympy.simplify(difference)
    if difference != 0:
        difference = sympy.expand(difference)
    if difference != 0 and difference.has(sympy.tanh, sympy.exp):
        difference = sympy.simplify(sympy.expand(difference.rewrite(sympy.exp)))
    return True if difference == 0 else None


def _cases(difference) -> Optional[bool]:
    """True when a difference with cases (a sum's range condition, say) is 0 in every case: a case whose value does
    not expand to 0 must hold at finitely many whole numbers (one integer variable, bounded by its domain below or
    above and by the case's condition on the other side), and the difference is 0 at each of them. None otherwise."""
    import sympy

    folded = sympy.piecewise_fold(difference)
    if not isinstance(folded, sympy.Piecewise) or folded.args[-1][1] is not sympy.true:  # every point in some case
        return None
    symbols = folded.free_symbols
    before = sympy.false
    for value, condition in folded.args:
        region = sympy.And(condition, sympy.Not(before))
        before = sympy.Or(before, condition)
        if region is sympy.false or sympy.expand(value) == 0:
            continue
        if len(symbols) != 1 or not next(iter(symbols)).is_integer:
            return None
        n = next(iter(symbols))
        try:
            where = sympy.solveset(region, n, sympy.S.Reals) if not isinstance(region, sympy.logic.boolalg.BooleanAtom) \
                else (sympy.S.Reals if region else sympy.S.EmptySet)
        except Exception:  # noqa: BLE001 - the case's region cannot be read: no proof this way
            return None
        low = 0 if n.is_nonnegative else 1 if n.is_positive else None
        high = -1 if n.is_negative else 0 if n.is_nonpositive else None
        where = where.intersect(sympy.Interval(low if low is not None else -sympy.oo, high if high is not None else sympy.oo))
        if where.is_empty:
            continue
        lo, hi = where.inf, where.sup
        if not (lo.is_finite and hi.is_finite) or hi - lo > 1000:
            return None
        for k in range(int(sympy.ceiling(lo)), int(sympy.floor(hi)) + 1):
            inside = where.contains(k)
            if inside is sympy.false:
                continue
            if inside is not sympy.true or sympy.simplify(value.subs(n, k).doit()) != 0:
                return None
    return True


def _nonzero_somewhere(difference) -> bool:
    """Whether the difference is exactly a nonzero number at one of a few points its symbols' assumptions allow."""
    import sympy

    if difference.has(sympy.Indexed, sympy.Derivative):
        return False
    symbols = sorted(difference.free_symbols, key=str)
    for shift in (2, 3):
        values = {}
        for k, v in enumerate(symbols):
            value = sympy.Integer(shift + k) if v.is_integer else sympy.Rational(2 * (shift + k) + 1, 3)
            values[v] = -value if v.is_nonnegative is False else value
        try:
            at = difference.subs(values).doit()
            if at.is_number and at.is_zero is False and at.is_finite:
                return True
        except Exception:  # noqa: BLE001 - no value there: try the next point, or simplify
            continue
    return False


def _symbol(name: str, dom: Domain, *, elements: bool = False):
    """A sympy symbol carrying what the domain guarantees (real, integer, positive, non-negative); a sequence's
    elements carry their sign only with `elements` (where its conditions are decided, not its identities)."""
    import sympy

    facts: dict[str, bool] = {"real": True}
    if dom.kind == "int":
        facts["integer"] = True
    if dom.lower is not None and (dom.lower > 0 or (dom.lower == 0 and dom.lower_open)):
        sign = {"positive": True}
    elif dom.lower is not None and dom.lower >= 0:
        sign = {"nonnegative": True}
    else:
        sign = {}
    if dom.indexed:  # its elements x[i]
        return sympy.IndexedBase(name, **facts, **(sign if elements else {}))
    return sympy.Symbol(name, **facts, **sign)


def _points(scalars: Mapping[str, Domain], tries: int = 12) -> Iterable[dict]:
    """A few exact points of the domains, trying a few values per variable."""
    choices = {name: dom.probes() for name, dom in scalars.items()}
    for shift in range(tries):
        point = {name: values[(i + shift) % len(values)] for i, (name, values) in enumerate(choices.items())
                 if values and not scalars[name].indexed}
        # a sequence gets a few more elements than the largest whole number chosen, so x[n + 1] exists
        length = max([abs(int(v)) for v in point.values() if isinstance(v, int) or getattr(v, "denominator", 0) == 1] + [0]) + 2
        for i, (name, values) in enumerate(choices.items()):
            if scalars[name].indexed and values:
                point[name] = [values[(i + shift + k) % len(values)] for k in range(length)]
        if len(point) != len(scalars):
            return
        yield point


def _by_pieces(relation: Term, scalars: Mapping[str, Domain], required: Sequence[terms.Condition]):
    """A statement in one real variable with kinks or switches, proved or refuted piece by piece (proofs.pieces)."""
    from proofs import pieces

    if len(scalars) != 1:
        return None
    (name, dom), = scalars.items()
    if dom.kind != "real" or dom.indexed or dom.values is not None:
        return None
    return pieces.by_pieces(relation, name, dom, required, lambda smooth: _sympy_identity(smooth, scalars))


def _probe(stmt: Statement, relation: Term, scalars: Mapping[str, Domain], tries: int = 12) -> Optional[dict]:
    """An exact point of the domains where a universal statement fails (is false, or undefined), trying a few points
    per variable."""
    from proofs import probes

    required = _required(relation)
    for point in _points(scalars, tries):
        try:
            if not _holds(relation, required, point):
                return point
        except (backends.Undecided, ZeroDivisionError, ValueError, terms.Unsupported):  # ForgedWitness is a ValueError
            continue
    failed = probes.first_failure(relation, required, probes.boundary_points(relation, scalars))
    return None if failed is None else failed[0]


def _settle(stmt: Statement, relation: Term, required: Sequence[terms.Condition],
            scalars: Mapping[str, Domain]) -> tuple[str, Any]:
    """Whether every term of the relation is defined at every point of the domains: ("defined", how each condition
    was proved), ("undefined", a point where one fails), or ("unknown", why not). A condition is proved by z3 where it
    has a z3 form, or by sympy where it simplifies to true; a point comes from exact probes or from z3's model, and is
    checked in exact arithmetic either way."""
    import sympy

    from proofs.solvers.smt import prove

    for point in _points(scalars):
        try:
            if _fails(relation, required, point):
                return "undefined", point
        except (backends.Undecided, ValueError, terms.Unsupported):
            continue
    how = []
    for condition in required:
        mentioned = {k: d for k, d in scalars.items() if k in terms.variables(condition.holds)}
        try:
            env, given = _z3_domains(mentioned)
            answer = prove(backends.to_z3(condition.holds, env, universal=True), list(env.values()), given=given)
        except terms.Unsupported:
            answer = None
        if answer is not None and answer.answer == "unsat":
            how.append(f"{terms.text(condition.holds)}: z3")
            continue
        if answer is not None and answer.answer == "sat":
            point = _completed(stmt, answer.model, scalars)
            try:
                if point is not None and _fails(relation, required, point):
                    return "undefined", point
            except (backends.Undecided, ValueError, terms.Unsupported):
                pass
        try:
            symbols = {name: _symbol(name, dom, elements=True) for name, dom in scalars.items()}
            if backends.to_sympy(condition.holds, symbols) is sympy.true:
                how.append(f"{terms.text(condition.holds)}: sympy")
                continue
        except (terms.Unsupported, TypeError, ValueError, AttributeError):
            pass
        has = "a value" if condition.exact else "a derivative"
        return "unknown", (f"not shown that {terms.text(condition.holds)} on the whole domain, so that "
                           f"{terms.text(condition.at)} has {has} everywhere ({condition.failure} where it fails)")
    return "defined", how


def _fails(relation: Term, required: Sequence[terms.Condition], point: Mapping[str, Any]) -> bool:
    """Whether the relation has no value at the point: an exact condition fails there, or a derivative's sufficient
    condition fails and the replay finds no derivative (checking them in order, as a replay does)."""
    try:
        if backends.failing(required, point) is not None:
            return True
        if backends.failing(required, point, sufficient=True) is None:
            return False
        backends.decide_exact(relation, point, required)
        return False
    except backends.Undefined:
        return True


def _completed(stmt: Statement, model: Mapping[str, Any], scalars: Mapping[str, Domain]) -> Optional[dict]:
    """A z3 model of some variables, completed with probe values for the others, as exact numbers."""
    base = next(iter(_points(scalars)), None)
    if base is None:
        return None
    try:
        return _flatten(stmt, _witness(stmt, {**base, **model}))
    except ValueError:  # ForgedWitness: a value outside its domain or not exact
        return None


def _refuted_undefined(stmt: Statement, relation: Term, valued: Term, point: Mapping[str, Any], method: str,
                       evidence: Mapping[str, Any]) -> Optional[Outcome]:
    """The statement refuted at a point where one of its terms has no value; None when it has one there."""
    from proofs import interpret

    why = _undefined(relation, _required(relation), point)
    if why is None:
        return None
    return interpret.computed(False, witness=_witness(stmt, point), method=method,
                              evidence={**evidence, "undefined": why}, failure=f"undefined: {why}",
                              statement=_bound(stmt, valued))


def _bound(stmt: Statement, relation: Term, quantifier: Optional[str] = None) -> Any:
    """The relation with its variables bound to their domains, as the helpers record what they decided."""
    from proofs import interpret

    return interpret.quantified(relation, quantifier or stmt.quantifier, stmt.domains)


def _conjunction(parts: list) -> Term:
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    """Decide the statement for these stated values, with the strongest method that applies to its domains and term;
    a proof (or a proof that no witness exists) counts only once the exact replay agrees at every boundary probe."""
    outcome = _decide(stmt, params)
    universal = stmt.quantifier == "forall"
    if outcome.verdict is not (Verdict.PROVED if universal else Verdict.REFUTED) or not stmt.scalars() \
            or _finite_size(stmt.scalars()) is not None:
        return outcome
    return _defended(stmt, params, outcome)


def _defended(stmt: Statement, params: Mapping[str, Any], outcome: Outcome) -> Outcome:
    """The outcome, unless the exact replay at a boundary probe disagrees: then the statement is refuted (or, for an
    existential one, shown) at that point, and the backend's answer is kept in the evidence as the disagreement."""
    from proofs import interpret, probes

    relation = stmt.term(params, named=True)
    valued = stmt.term(params, named=False)
    required = _required(relation)
    points = probes.boundary_points(relation, stmt.scalars())
    disagreement = f"{outcome.method} answered {outcome.verdict.value} ({outcome.reason}); the exact replay disagrees"
    evidence = {**outcome.evidence, "backend_disagreement": disagreement}
    evidence.pop("checked", None)
    if stmt.quantifier == "exists":
        for point in points:
            if _holds(relation, required, point):
                return interpret.computed(True, witness=_witness(stmt, point), method="exact arithmetic",
                                          evidence=evidence, reason="a boundary probe satisfies it",
                                          statement=_bound(stmt, valued))
        return outcome
    failed = probes.first_failure(relation, required, points)
    if failed is None:
        return outcome
    point, why = failed
    return interpret.computed(False, witness=_witness(stmt, point), method="exact arithmetic", evidence=evidence,
                              failure=f"refuted at a boundary probe ({why})", statement=_bound(stmt, valued))


def _decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    from proofs import interpret
    from proofs.solvers.enumerate import ExhaustAnswer
    from proofs.solvers.symbolic import IdentityAnswer

    relation = stmt.term(params, named=True)
    valued = stmt.term(params, named=False)  # the stated values in place: what the helpers record as decided
    if valued.op == "bool":  # Python computed it whole: the relation under the stated values, as it was evaluated
        stated = [terms.var(k) == terms.term(v) for k, v in params.items() if _numeric(v)]
        valued = terms.implies(_conjunction(stated), relation) if stated else relation
    scalars = stmt.scalars()
    evidence: dict[str, Any] = {"statement": {"math": terms.tree(relation), "text": stmt.formal(params)}}
    required = _required(relation)
    if required:
        evidence["conditions"] = [terms.text(c.holds) for c in required]
    if not scalars:  # a closed statement: its exact value decides it
        undefined = _refuted_undefined(stmt, relation, valued, {}, "exact arithmetic", evidence)
        if undefined is not None:
            return undefined
        return interpret.computed(backends.decide_exact(relation, {}, required), witness={}, evidence=evidence,
                                  statement=valued)
    size = _finite_size(scalars)
    if size is not None:
        count, point = _enumerate(stmt, relation, scalars)
        domain = " × ".join(d.name for d in stmt.domains.values()) or "the empty domain"
        if stmt.quantifier == "forall":
            undefined = None if point is None else _refuted_undefined(
                stmt, relation, valued, point, "enumeration", {**evidence, "domain": domain, "points_checked": count})
            if undefined is not None:
                return undefined
            answer = ExhaustAnswer(domain, count, point)
            return interpret.exhausted(answer, evidence=evidence, counterexample=lambda p: _witness(stmt, p),
                                       statement=_bound(stmt, valued))
        if point is not None:
            return interpret.computed(True, witness=_witness(stmt, point), method="enumeration",
                                      evidence={**evidence, "domain": domain, "points_checked": count},
                                      reason=f"a point of {domain} satisfies it", statement=_bound(stmt, valued))
        return interpret.exhausted(ExhaustAnswer(domain, count, {"certificate": f"no point of {domain} satisfies it"}),
                                   evidence=evidence, counterexample=lambda c: {"certificate": c["certificate"]},
                                   statement=_bound(stmt, ~valued, "forall"))
    if not (terms.operators(relation) & terms.NUMERIC_ONLY):  # the query carries the conditions with the relation
        try:
            answer = _z3_query(stmt, relation, scalars)
        except terms.Unsupported:
            answer = None
        if answer is not None and answer.answer != "unknown":
            if stmt.quantifier == "forall":
                if answer.answer == "sat":
                    point = _completed(stmt, answer.model, scalars)
                    undefined = None if point is None else _refuted_undefined(stmt, relation, valued, point, "z3", evidence)
                    if undefined is not None:
                        return undefined
                return interpret.validity(answer, evidence=evidence, counterexample=lambda m: _witness(stmt, m))
            return interpret.existence(answer, evidence=evidence, witness=lambda m: _witness(stmt, m),
                                       certificate={"certificate": "z3: no point of the domains satisfies it (unsat)"})
        if answer is not None:
            evidence["z3"] = f"unknown: {answer.reason}"
    if stmt.quantifier == "exists":
        return interpret.undecided("z3", evidence, "no witness found and no proof that none exists", statement=_bound(stmt, valued))
    defined: tuple[str, Any] = ("defined", [])
    if required:  # every term must have a value at every point of the domains
        defined = _settle(stmt, relation, required, scalars)
        if defined[0] == "undefined":
            undefined = _refuted_undefined(stmt, relation, valued, defined[1], "exact arithmetic", evidence)
            if undefined is not None:
                return undefined
            defined = ("unknown", f"a condition fails at {backends.point_text(defined[1])}, where the statement has a value")
        evidence["conditions_proved"] = defined[1] if defined[0] == "defined" else f"unknown: {defined[1]}"
    if defined[0] == "defined" and _sympy_identity(relation, scalars):
        return interpret.identity(IdentityAnswer(True, "0"), evidence=evidence, statement=_bound(stmt, valued))
    pieces = _by_pieces(relation, scalars, required)
    if pieces is not None and pieces[0] == "proved":
        evidence.pop("conditions_proved", None)
        return interpret.identity(IdentityAnswer(True, "0 on every piece, and the exact replay holds between them"),
                                  evidence={**evidence, "pieces": pieces[1]}, statement=_bound(stmt, valued))
    if pieces is not None:
        undefined = _refuted_undefined(stmt, relation, valued, pieces[1], "exact arithmetic", evidence)
        if undefined is not None:
            return undefined
        return interpret.identity(IdentityAnswer(False, "the sides differ", _witness(stmt, pieces[1])), evidence=evidence,
                                  statement=_bound(stmt, valued))
    point = _probe(stmt, relation, scalars)
    if point is not None:
        undefined = _refuted_undefined(stmt, relation, valued, point, "exact arithmetic", evidence)
        if undefined is not None:
            return undefined
        return interpret.identity(IdentityAnswer(False, "the sides differ", _witness(stmt, point)), evidence=evidence,
                                  statement=_bound(stmt, valued))
    if defined[0] != "defined":
        return interpret.undecided("sympy", evidence, f"whether every term has a value on the whole domain is not settled: "
                                   f"{defined[1]}", statement=_bound(stmt, valued))
    return interpret.identity(IdentityAnswer(None, "not settled by z3, sympy or exact points"), evidence=evidence,
                              statement=_bound(stmt, valued))


def replay(stmt: Statement, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement evaluated at a witness in exact arithmetic, after checking the witness against the domains.

    For a universal statement the witness is a counterexample (the replay holds when the statement holds there); for
    an existential one it is the point claimed to satisfy it. A certificate that no point exists is checked again
    independently: by enumeration for a finite domain, by a fresh solver query otherwise.
    """
    relation = stmt.term(params, named=True)
    if isinstance(witness, Mapping) and set(witness) == {"certificate"}:
        if stmt.quantifier != "exists":
            raise ForgedWitness("a universal statement is refuted by a counterexample, not a certificate")
        scalars = stmt.scalars()
        if _finite_size(scalars) is not None:
            count, point = _enumerate(stmt, relation, scalars)
            return Replay(point is not None, {"points checked": count, "a point satisfies it": point is not None})
        answer = _z3_query(stmt, relation, scalars)
        return Replay(answer.answer != "unsat", {"a fresh solver query answers": answer.answer})
    return _evaluate(stmt, relation, _flatten(stmt, witness))


# --- the decorator -------------------------------------------------------------------------------------------------

def _anchors(cites: Any) -> tuple[Anchor, ...]:
    if cites is None or cites == ():
        return ()
    if isinstance(cites, Anchor):
        return (cites,)
    if isinstance(cites, tuple) and len(cites) == 2 and all(isinstance(c, str) for c in cites):
        return (Anchor(*cites),)
    out = []
    for item in cites:
        out.extend(_anchors(item))
    return tuple(out)


def _part(claim_id: str) -> Optional[str]:
    segments = claim_id.split(".")
    after = segments[segments.index(exercise_segment(claim_id)) + 1:] if exercise_segment(claim_id) else []
    return after[0] if len(after) >= 2 and re.fullmatch(r"[a-z]\d?", after[0]) else None


def _signature(function: Callable) -> tuple[dict[str, Domain], dict[str, Any]]:
    domains, stated = {}, {}
    for name, p in inspect.signature(function, eval_str=True).parameters.items():
        if isinstance(p.annotation, Domain):
            if p.default is not inspect.Parameter.empty:
                raise InvalidClaim(f"quantified variable {name} has a default; stated values are parameters without a domain")
            domains[name] = p.annotation
        elif p.default is not inspect.Parameter.empty:
            stated[name] = p.default
        else:
            raise InvalidClaim(f"parameter {name} of {function.__qualname__} needs a domain (v: Real) or a stated value (k=2)")
    return domains, stated


def _make(quantifier: str, claim_id: Any, statement: Any, *, cites: Any = (), perturb: Optional[Mapping[str, Mapping]] = None,
          erratum: Optional[Correction] = None, assumptions: Iterable[str] = (), requires: Optional[Verdict] = None,
          part: Any = ..., trusts: Iterable[Any] = (), asserts: Optional[str] = None,
          rows: Optional[Sequence[Row]] = None) -> Callable[[Callable], Any]:
    def one(function: Callable, stmt: Statement, stated: dict, claim_id: str, statement: str, cites: Any, perturb: Any,
            erratum: Any, asserts: Optional[str]) -> Claim:
        finite = bool(stmt.scalars()) and _finite_size(stmt.scalars()) is not None
        needed = requires or (Verdict.EXHAUSTED if finite else Verdict.PROVED)
        segment = exercise_segment(claim_id) if isinstance(claim_id, str) else ""
        anchors = _anchors(cites)
        common = dict(exercise=int(segment[2:]) if segment else -1, part=_part(claim_id) if part is ... else part,
                      requires=needed, assumptions=tuple(assumptions), anchors=anchors, trusts=tuple(trusts),
                      file=function.__code__.co_filename, line=function.__code__.co_firstlineno)

        def build(cid: str, sentence: str, params: dict, mutants: tuple, correction: Optional[Erratum]) -> Claim:
            stmt.term(params)  # a statement that cannot be built is a load error, not a check error
            formal = stmt.formal(params)
            said = asserts if asserts is not None else (quoted(anchors) if anchors else formal)
            return Claim(id=cid, statement=sentence, asserts=said, formal=formal, derived_formal=True,
                         check=lambda **p: decide(stmt, p), params=params, erratum=correction,
                         perturbations=mutants, replay=lambda witness, /, **p: replay(stmt, witness, p), **common)

        if isinstance(perturb, Mapping):
            mutants = tuple(Perturbation(name, dict(values), _note(values)) for name, values in perturb.items())
        else:
            mutants = tuple(perturb or ())
        if erratum is None:
            return build(claim_id, statement, stated, mutants, None)
        if not isinstance(erratum, Correction):
            raise InvalidClaim("erratum= takes Correction(reason, statement, values)")
        unknown = set(erratum.values) - set(stated)
        if unknown or not erratum.values:
            raise InvalidClaim(f"the correction must change stated values of the statement; {sorted(unknown) or 'none'} given")
        corrected_id = claim_id + "_corrected"
        printed = {k: stated[k] for k in erratum.values}
        fixed = build(corrected_id, erratum.statement, {**stated, **erratum.values},
                      (Perturbation("as_printed", printed, "the values the material prints"), *mutants), None)
        if erratum.assumptions:
            fixed = dataclasses.replace(fixed, assumptions=(*fixed.assumptions, *erratum.assumptions))
        wrong = build(claim_id, statement, stated, (), Erratum(erratum.reason, corrected_id))
        return dataclasses.replace(wrong, companions=(fixed,))

    def decorate(function: Callable) -> Any:
        code = function.__code__
        where = f"{code.co_filename}:{code.co_firstlineno}"
        try:
            domains, stated = _signature(function)
            stmt = Statement(quantifier, function, domains)
            if rows is None:
                return one(function, stmt, stated, claim_id, statement, cites, perturb, erratum, asserts)
            if claim_id is not None or statement is not None:
                raise InvalidClaim("a table-driven statement takes its ids and statements from its rows: "
                                   "write @forall(rows=(Row(id, statement, {value: ...}), ...), ...)")
            if not rows or not all(isinstance(r, Row) for r in rows):
                raise InvalidClaim("rows= takes a non-empty sequence of Row(id, statement, params, ...)")
            out = []
            for row in rows:
                unknown = set(row.params) - set(stated)
                if unknown:
                    raise InvalidClaim(f"row {row.id}: {sorted(unknown)} are not stated values of the statement")
                out.append(one(function, stmt, {**stated, **row.params}, row.id, row.statement,
                               (tuple(row.anchors) or _anchors(cites)) if row.anchors or cites else (),
                               row.perturbations or perturb, row.erratum if row.erratum is not None else erratum,
                               row.asserts if row.asserts is not None else (None if row.anchors else asserts)))
            return Table(out)
        except Placeholder:
            raise
        except InvalidClaim as exc:
            raise InvalidClaim(f"{where}: {exc}") from None
        except (TypeError, ValueError, KeyError) as exc:
            raise InvalidClaim(f"{where}: claim {claim_id!r}: {type(exc).__name__}: {exc}") from None
    return decorate


def _note(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {_show(v)}" for k, v in values.items())


def forall(claim_id: Optional[str] = None, statement: Optional[str] = None, **options: Any) -> Callable[[Callable], Any]:
    """A claim that the relation the function returns holds for every value of its annotated variables.

    options: cites (a (file, snippet) pair, an Anchor, or a sequence of them), perturb ({name: {value: wrong value}}),
    erratum (a Correction), assumptions, requires (the weakest verdict that passes; derived from the domains), part,
    trusts, asserts (what the material asserts; derived from what cites quotes, else the formal statement), rows
    (Row values: one claim per row, each at its own stated values, returned as a Table; no id or statement then).
    """
    return _make("forall", claim_id, statement, **options)


def exists(claim_id: Optional[str] = None, statement: Optional[str] = None, **options: Any) -> Callable[[Callable], Any]:
    """A claim that some value of the annotated variables satisfies the relation the function returns."""
    return _make("exists", claim_id, statement, **options)

