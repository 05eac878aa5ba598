"""How a statement is decided: enumeration, z3, sympy identities, proofs by pieces and exact probes, in that order."""

from __future__ import annotations

import dataclasses
import fractions
import itertools
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence

from proofs import backends, certificates, terms
from proofs.domains import ENUMERATION_LIMIT, MAX_SEQUENCE, Domain, exact_number
from proofs.identities import identity as _sympy_identity
from proofs.identities import symbol as _symbol
from proofs.model import ForgedWitness, Outcome, Replay
from proofs.ranges import Ranges
from proofs.ranges import applies as ranges_apply
from proofs.terms import Term
from proofs.verdicts import Verdict

if TYPE_CHECKING:
    from proofs.statement import Statement

__all__ = ["decide", "replay"]


def numeric(value: Any) -> bool:
    """Whether a stated value is a number the statement can print by name (an int or a Fraction, not a bool)."""
    return isinstance(value, (int, fractions.Fraction)) and not isinstance(value, bool)


def shaped(name: str, shape: tuple, leaf: Callable[[str], Any], prefix: str = "") -> Any:
    """Nested lists of shape, each leaf made from its name: v[0], v[1], M[0][1] and so on."""
    if not shape:
        return leaf(name + prefix)
    return [shaped(name, shape[1:], leaf, f"{prefix}[{i}]") for i in range(shape[0])]


def _witness(stmt: Statement, point: Mapping[str, Any]) -> dict:
    """A flat point (v[0], v[1], ...) as the witness a person reads: vectors and matrices as nested lists."""
    from proofs.probes import witness_value

    out = {}
    for name, dom in stmt.domains.items():
        out[name] = shaped(name, dom.shape, lambda key: witness_value(point[key]))
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
            except backends.Undecided as exc:
                value = f"not decided: {exc}"
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


def _z3_query(stmt: Statement, relation: Term, scalars: Mapping[str, Domain], ranges: Optional[Ranges] = None):
    """The statement as one z3 query: every condition of its terms and the relation, for all points of the domains
    (validity) or for some point (satisfiability). With `ranges`, exp, log, σ, tanh, softplus and sqrt are constants
    bounded by their known ranges (proofs.ranges): then only unsat is an answer (a model need not be a point)."""
    import z3

    from proofs.solvers.smt import prove, solve

    env, given = _z3_domains(scalars)
    universal = stmt.quantifier == "forall"
    translate = backends.to_z3 if ranges is None else ranges.to_z3
    required = [translate(c.holds, env, universal=universal) for c in _required(relation)]
    formula = translate(relation, env)
    given = given + (ranges.facts if ranges is not None else [])
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
        given.extend(backends.z3_domain(v, dom))
    return env, given



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
    for point in _points(scalars):
        try:
            if _fails(relation, required, point):
                return "undefined", point
        except (backends.Undecided, ValueError, terms.Unsupported):
            continue
    def refuting(model: Mapping[str, Any]) -> Optional[dict]:  # z3's point where a condition fails, replayed
        point = _completed(stmt, model, scalars)
        try:
            return point if point is not None and _fails(relation, required, point) else None
        except (backends.Undecided, ValueError, terms.Unsupported):
            return None

    how = []
    for condition in required:
        shown, point = _shown_everywhere(condition.holds, scalars, refuting=refuting)
        if shown is not None:
            how.append(f"{terms.text(condition.holds)}: {shown}")
            continue
        if point is not None:
            return "undefined", point
        has = "a value" if condition.exact else "a derivative"
        return "unknown", (f"not shown that {terms.text(condition.holds)} on the whole domain, so that "
                           f"{terms.text(condition.at)} has {has} everywhere ({condition.failure} where it fails)")
    return "defined", how


def _shown_everywhere(holds: Term, scalars: Mapping[str, Domain], *, functions: Optional[Mapping[str, Any]] = None,
                      ranges: bool = True, refuting: Optional[Callable[[Mapping[str, Any]], Any]] = None
                      ) -> tuple[Optional[str], Any]:
    """How a condition is shown to hold at every point of the domains, as (how, None): "z3" (`functions` giving the
    z3 forms of uninterpreted functions), "z3, with the known ranges of …" where z3 has no form for it (with ranges),
    or "sympy" where it simplifies to true. (None, point) where z3 finds a model and `refuting` turns it into a point
    where the condition fails (checked by the caller in exact arithmetic); (None, None) where it is not shown."""
    import sympy
    import z3

    from proofs.solvers.smt import prove

    mentioned = {k: d for k, d in scalars.items() if k in terms.variables(holds)}
    answer = None
    try:
        env, given = _z3_domains(mentioned)
        answer = prove(backends.to_z3(holds, env, universal=True, functions=functions), list(env.values()), given=given)
    except terms.Unsupported:
        used = _ranges_proof(holds, mentioned) if ranges else ""
        if used:
            return f"z3, with the known ranges of {used}", None
    except z3.Z3Exception:
        pass
    if answer is not None and answer.answer == "unsat":
        return "z3", None
    if answer is not None and answer.answer == "sat" and refuting is not None:
        point = refuting(answer.model)
        if point is not None:
            return None, point
    try:
        symbols = {name: _symbol(name, dom, elements=True) for name, dom in scalars.items()}
        if backends.to_sympy(holds, symbols) is sympy.true:
            return "sympy", None
    except (terms.Unsupported, TypeError, ValueError, AttributeError):
        pass
    return None, None


def _ranges_proof(condition: Term, scalars: Mapping[str, Domain]) -> str:
    """The functions whose known ranges prove the condition on the whole domain (z3 unsat), or "" where they do not."""
    from proofs.solvers.smt import prove

    ranges = Ranges()
    try:
        env, given = _z3_domains(scalars)
        answer = prove(ranges.to_z3(condition, env, universal=True), list(env.values()), given=given + ranges.facts)
    except terms.Unsupported:
        return ""
    return ", ".join(sorted(ranges.used)) if answer.answer == "unsat" and ranges.used else ""


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


@dataclasses.dataclass
class _Case:
    """One statement under given stated values, as the cascade's steps read it."""

    # The statement being decided.
    stmt: Statement
    # The stated values.
    params: Mapping[str, Any]
    # The relation with numeric stated values printed by name.
    relation: Term
    # The relation with the stated values in place: what the helpers record as decided.
    valued: Term
    # Every scalar variable and its domain.
    scalars: Mapping[str, Domain]
    # The conditions under which every term of the relation has a value.
    required: tuple
    # The evidence gathered so far (grows as the steps run).
    evidence: dict


def _case(stmt: Statement, params: Mapping[str, Any]) -> _Case:
    relation = stmt.term(params, named=True)
    valued = stmt.term(params, named=False)
    if valued.op == "bool":  # Python computed it whole: the relation under the stated values, as it was evaluated
        stated = [terms.var(k) == terms.term(v) for k, v in params.items() if numeric(v)]
        valued = terms.implies(_conjunction(stated), relation) if stated else relation
    evidence: dict[str, Any] = {"statement": {"math": terms.tree(relation), "text": stmt.formal(params)}}
    required = _required(relation)
    if required:
        evidence["conditions"] = [terms.text(c.holds) for c in required]
    limits = _limits(relation)
    if limits:
        evidence["limits"] = limits
    return _Case(stmt, params, relation, valued, stmt.scalars(), required, evidence)


def _limits(relation: Term) -> list[str]:
    """Each closed limit of the relation with the value sympy found for it (what the other steps take as a number)."""
    found: list[str] = []

    def walk(t: Term) -> None:
        if t.op == "limit" and not terms.variables(t):
            try:
                value = backends._limit_value(t.args[0], t.args[1].args[0], t.args[2], {})
                shown = f"{terms.text(t)} = {value}: sympy"
            except (backends.Undefined, backends.Undecided) as exc:
                shown = f"{terms.text(t)}: {exc}"
            if shown not in found:
                found.append(shown)
            return
        for a in t.args:
            if isinstance(a, Term):
                walk(a)
    walk(relation)
    return found


def _refuted_at(case: _Case, point: Mapping[str, Any], method: str, evidence: Optional[Mapping[str, Any]] = None
                ) -> Optional[Outcome]:
    return _refuted_undefined(case.stmt, case.relation, case.valued, point, method,
                              case.evidence if evidence is None else evidence)


def _closed(case: _Case) -> Outcome:
    """A closed statement: its exact value decides it."""
    from proofs import interpret

    undefined = _refuted_at(case, {}, "exact arithmetic")
    if undefined is not None:
        return undefined
    with backends.recording_inner() as inner:
        holds = backends.decide_exact(case.relation, {}, case.required)
    if not inner:
        return interpret.computed(holds, witness={}, evidence=case.evidence, statement=case.valued)
    return interpret.computed(holds, witness={}, method="z3 and exact arithmetic", evidence={**case.evidence, "inner": inner},
                              statement=case.valued)


def _by_enumeration(case: _Case) -> Outcome:
    """A finite domain: every point checked."""
    from proofs import interpret
    from proofs.solvers.enumerate import ExhaustAnswer

    stmt, evidence = case.stmt, case.evidence
    try:
        count, point = _enumerate(stmt, case.relation, case.scalars)
    except backends.Undecided as exc:  # an inner quantifier over an infinite domain that z3 did not settle
        return interpret.undecided("enumeration", evidence, f"not settled at every point: {exc}",
                                   statement=_bound(stmt, case.valued))
    domain = " × ".join(d.name for d in stmt.domains.values()) or "the empty domain"
    if stmt.quantifier == "forall":
        undefined = None if point is None else _refuted_at(
            case, point, "enumeration", {**evidence, "domain": domain, "points_checked": count})
        if undefined is not None:
            return undefined
        answer = ExhaustAnswer(domain, count, point)
        return interpret.exhausted(answer, evidence=evidence, counterexample=lambda p: _witness(stmt, p),
                                   statement=_bound(stmt, case.valued))
    if point is not None:
        return interpret.computed(True, witness=_witness(stmt, point), method="enumeration",
                                  evidence={**evidence, "domain": domain, "points_checked": count},
                                  reason=f"a point of {domain} satisfies it", statement=_bound(stmt, case.valued))
    return interpret.exhausted(ExhaustAnswer(domain, count, {"certificate": f"no point of {domain} satisfies it"}),
                               evidence=evidence, counterexample=lambda c: {"certificate": c["certificate"]},
                               statement=_bound(stmt, ~case.valued, "forall"))


def _by_z3(case: _Case) -> Optional[Outcome]:
    """One z3 query carrying the conditions with the relation; None where z3 has no form for it or answers unknown."""
    from proofs import interpret

    if terms.operators(case.relation) & terms.NUMERIC_ONLY:
        return None
    stmt, evidence = case.stmt, case.evidence
    try:
        answer = _z3_query(stmt, case.relation, case.scalars)
    except terms.Unsupported:
        return None
    if answer is None:
        return None
    if answer.answer == "unknown":
        evidence["z3"] = f"unknown: {answer.reason}"
        return None
    if stmt.quantifier == "exists":
        return interpret.existence(answer, evidence=evidence, witness=lambda m: _witness(stmt, m),
                                   certificate={"certificate": "z3: no point of the domains satisfies it (unsat)"})
    if answer.answer == "sat":
        point = _completed(stmt, answer.model, case.scalars)
        undefined = None if point is None else _refuted_at(case, point, "z3")
        if undefined is not None:
            return undefined
    return interpret.validity(answer, evidence=evidence, counterexample=lambda m: _witness(stmt, m))


def _by_ranges(case: _Case) -> Optional[Outcome]:
    """z3 with exp, log, σ, tanh, softplus and sqrt as constants bounded by their known ranges: unsat proves a
    universal statement (or that no witness exists); a model proves nothing, since it need not be a point."""
    from proofs import interpret

    stmt, ranges = case.stmt, Ranges()
    if not ranges_apply(case.relation):
        return None
    try:
        answer = _z3_query(stmt, case.relation, case.scalars, ranges)
    except terms.Unsupported:
        return None
    if answer is not None and answer.answer == "sat" and stmt.quantifier == "exists":
        point = _completed(stmt, answer.model, case.scalars)
        return _exact_witness(case, [point] if point is not None else [], probe=False)
    if answer is None or answer.answer != "unsat" or not ranges.used:
        return None
    evidence = {**case.evidence, "known_ranges": dict(sorted(ranges.used.items()))}
    if stmt.quantifier == "exists":
        return interpret.existence(answer, evidence=evidence, witness=lambda m: _witness(stmt, m),
                                   certificate={"certificate": "z3 with the known ranges of "
                                                f"{', '.join(sorted(ranges.used))}: no point of the domains satisfies it"})
    return interpret.validity(answer, evidence=evidence)


def _definedness(case: _Case) -> tuple[Any, Optional[Outcome]]:
    """Whether every term has a value at every point of the domains: (("defined" or "unknown", how), None), or a
    refutation at a point where one has none."""
    defined: tuple[str, Any] = ("defined", [])
    if not case.required:
        return defined, None
    defined = _settle(case.stmt, case.relation, case.required, case.scalars)
    if defined[0] == "undefined":
        undefined = _refuted_at(case, defined[1], "exact arithmetic")
        if undefined is not None:
            return defined, undefined
        defined = ("unknown", f"a condition fails at {backends.point_text(defined[1])}, where the statement has a value")
    case.evidence["conditions_proved"] = defined[1] if defined[0] == "defined" else f"unknown: {defined[1]}"
    return defined, None


def _differ(case: _Case, point: Mapping[str, Any]) -> Outcome:
    """Refuted at a point where the sides differ (or a term has no value)."""
    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    undefined = _refuted_at(case, point, "exact arithmetic")
    if undefined is not None:
        return undefined
    return interpret.identity(IdentityAnswer(False, "the sides differ", _witness(case.stmt, point)),
                              evidence=case.evidence, statement=_bound(case.stmt, case.valued))


def _sign_under(premise: Term, expression: Term, scalars: Mapping[str, Domain]) -> int:
    """1 where z3 shows expression > 0 at every point of the domains where the premise holds, -1 for < 0, 0 where
    neither is shown (exp, σ, tanh, ... by their known ranges)."""
    from proofs.solvers.smt import prove

    names = terms.variables(premise) | terms.variables(expression)
    if not names <= set(scalars) or any(scalars[n].indexed for n in names):
        return 0
    for sign, relation in ((1, expression > 0), (-1, expression < 0)):
        ranges = Ranges()
        try:
            env, given = _z3_domains({n: scalars[n] for n in sorted(names)})
            claim = ranges.to_z3(terms.implies(premise, relation), env, universal=True)
            answer = prove(claim, list(env.values()), given=given + ranges.facts)
        except terms.Unsupported:
            return 0
        if answer.answer == "unsat":
            return sign
    return 0


def _settled_identity(relation: Term, scalars: Mapping[str, Domain]) -> Optional[list]:
    """The branches the premises settle (proofs.premises), when with them every part of the relation (a conjunction's
    too) is an identity where its premise holds; None otherwise."""
    from proofs import premises

    if relation.op == "and":
        parts = [_settled_identity(a, scalars) for a in relation.args]
        return None if any(p is None for p in parts) else [note for part in parts for note in part]
    if _sympy_identity(relation, scalars):
        return []
    settled = premises.settled(relation, lambda p, e: _sign_under(p, e, scalars))
    if settled is None:
        return None
    fixed, notes = settled
    return notes if _sympy_identity(fixed, scalars) or _sympy_identity(fixed.args[1], scalars) else None


def _by_settled_switches(case: _Case) -> Optional[Outcome]:
    """implies(p, q) where p fixes the branch of q's corners and switches strictly: proved when q with those branches
    is an identity (a derivative's value where p holds is the branch's derivative)."""
    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    notes = _settled_identity(case.relation, case.scalars)
    if not notes:
        return None
    return interpret.identity(IdentityAnswer(True, "0 where the premise holds, with each corner or switch it settles "
                                             "replaced by its branch"), evidence={**case.evidence, "premise_settles": notes},
                              statement=_bound(case.stmt, case.valued))


def _by_induction(case: _Case) -> Optional[Outcome]:
    """One whole-number variable n ≥ k and sums up to n: the base case at k in exact arithmetic, then the step
    P(n) ⇒ P(n + 1) for every n ≥ k by z3 (proofs.induction); proved when both hold. Nothing else is concluded."""
    import z3

    from proofs import induction, interpret
    from proofs.solvers.smt import prove

    if len(case.scalars) != 1:
        return None
    (name, dom), = case.scalars.items()
    if dom.kind != "int" or dom.lower is None or dom.upper is not None or dom.values is not None or dom.indexed:
        return None
    start = int(dom.lower) + (1 if dom.lower_open else 0)
    parts = induction.step(case.relation, name, start)
    if parts is None or not _holds(case.relation, case.required, {name: start}):
        return None
    now, after, sums = parts
    env = {name: z3.Int(name), **{v: z3.Real(v) for v in terms.variables(now) if v != name}}
    try:
        claim = z3.Implies(backends.to_z3(now, env), backends.to_z3(after, env))
    except terms.Unsupported:
        return None
    answer = prove(claim, list(env.values()), given=[env[name] >= start])
    if answer.answer != "unsat":
        return _by_closed_form(case, name, start)
    evidence = {**case.evidence, "induction": {"base": f"holds at {name} = {start} (exact arithmetic)",
                                               "step": f"z3: for every {name} ≥ {start}, the statement at {name} implies "
                                                       f"it at {name} + 1", "sums": sums}}
    return interpret.validity(answer, evidence=evidence)


def _by_closed_form(case: _Case, name: str, start: int) -> Optional[Outcome]:
    """A statement over n ≥ k whose sums up to n have polynomial summands and that is not inductive as written: each
    sum put as its closed form, checked in exact polynomial arithmetic (proofs.induction.closed), and the statement then
    proved by z3 for every real n ≥ k (so for every whole one), or for every whole one. Nothing else is concluded."""
    import z3

    from proofs import induction, interpret
    from proofs.solvers.smt import prove

    found = induction.closed(case.relation, name, start)
    if found is None:
        return None
    relation, forms = found
    for sort, over in ((z3.Real, "real"), (z3.Int, "whole")):
        env = {name: sort(name)}
        try:
            claim = backends.to_z3(relation, env)
        except terms.Unsupported:
            return None
        answer = prove(claim, [env[name]], given=[env[name] >= start])
        if answer.answer == "unsat":
            return interpret.validity(answer, evidence={**case.evidence, "closed_form": {
                "sums": forms, "check": "S(lo - 1) = 0 and S(m) - S(m - 1) = f(m), in exact polynomial arithmetic",
                "relation": f"z3: holds for every {over} {name} ≥ {start} with each sum put as its closed form"}})
    return None


def _by_recurrence(case: _Case) -> Outcome:
    """A statement about recurrences read at t ≥ k on input sequences over finite alphabets (proofs.recurrences): the
    joint states reached from the initial ones are explored in exact arithmetic, the statement checked at every step
    from each; then the induction step (a reached state and any input lead to a reached state where the statement
    holds) is proved by z3. A failing step is a concrete input sequence, replayed by running the recurrences on it."""
    from proofs import interpret, recurrences
    from proofs.solvers.smt import prove

    stmt, statement = case.stmt, _bound(case.stmt, case.valued)
    try:
        m = recurrences.machine(case.relation, case.scalars)
    except recurrences.NotFinite as exc:
        point = _probe(stmt, case.relation, case.scalars) if stmt.quantifier == "forall" else None
        if point is not None:
            return _differ(case, point)
        timed = recurrences.timed_induction(case.relation, case.scalars) if stmt.quantifier == "forall" else None
        if timed is not None and timed[0] is None:  # the base fails on an input sequence of length k
            point = _flatten(stmt, timed[1]["counterexample"])
            if not _holds(case.relation, case.required, point):
                return _differ(case, point)
        if timed is not None and timed[0] is not None and timed[0].answer == "unsat":  # an induction on t, base exact
            return interpret.validity(timed[0], evidence={**case.evidence, "induction": timed[1]})
        return interpret.undecided("recurrences", case.evidence, f"not decided by induction over the states: {exc}",
                                   statement=statement)
    if stmt.quantifier != "forall":
        return interpret.undecided("recurrences", case.evidence, "a recurrence is decided in a universal statement only",
                                   statement=statement)
    try:
        found = recurrences.explore(m)
    except (backends.Undecided, backends.Undefined, terms.Unsupported, ValueError, TypeError) as exc:
        return interpret.undecided("recurrences", case.evidence, f"the states could not be explored exactly: {exc}",
                                   statement=statement)
    evidence = dict(case.evidence)
    if found.counterexample is not None:
        path = found.counterexample
        witness = {m.time: len(path), **{name: [step[name] for step in path] for name, _ in m.alphabet}}
        point = _flatten(stmt, witness)
        if _holds(case.relation, case.required, point):  # the run step by step disagrees with the exploration
            return interpret.disagreement("recurrences", evidence, f"the exploration found the statement {found.why} at "
                                          f"{witness}, and running the recurrences there it holds", statement=statement)
        return interpret.computed(False, witness=witness, method="exploration of the recurrences' states",
                                  evidence={**evidence, "states_explored": len(found.reached)},
                                  failure=f"{found.why} at step {m.time} = {len(path)} of the shortest such input sequence",
                                  statement=statement)
    if found.overflow:
        timed = recurrences.timed_induction(case.relation, case.scalars)
        if timed is not None and timed[0] is not None and timed[0].answer == "unsat":  # an induction on t, base exact
            return interpret.validity(timed[0], evidence={**evidence, "induction": timed[1]})
        return interpret.undecided("recurrences", evidence, f"the recurrences reach more than {recurrences.STATE_LIMIT} "
                                   "joint states; none explored breaks the statement", statement=statement)
    try:
        import z3

        claim, kinds = recurrences.step_statement(m, found.reached)
        env = {name: z3.Int(name) if kind == "int" else z3.Real(name) for name, kind in kinds.items()}
        answer = prove(backends.to_z3(claim, env), list(env.values()))
    except (terms.Unsupported, TypeError) as exc:  # TypeError: a state that is not a rational number
        return interpret.undecided("recurrences", evidence, f"every reached state checked exactly, but z3 cannot read the "
                                   f"induction step ({exc})", statement=statement)
    shown = lambda state: "(" + ", ".join(str(v) for v in state) + ")"  # noqa: E731
    evidence["induction"] = {
        "joint state": [terms.text(r) for r in m.recurrences],
        "invariant": [shown(s) for s in found.reached],
        "base": f"the states at {m.time} = {m.start - 1}: " + ", ".join(shown(s) for s in found.base) + " (exact arithmetic)",
        "step": f"z3: from every state of the invariant and every input, the next state is in it and the statement "
                f"holds there; checked again exactly at {len(found.reached) * len(list(m.letters()))} state-input pairs",
        "step_statement": terms.text(claim)}
    if answer.answer == "sat":
        return interpret.disagreement("recurrences", evidence, "z3 finds the induction step false where the exact "
                                      "exploration of every state holds", statement=statement)
    return interpret.validity(answer, evidence=evidence)


def _by_identity(case: _Case) -> Outcome:
    """A universal statement z3 did not settle: definedness, then a sympy identity, pieces, and exact probes."""
    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    stmt, evidence, statement = case.stmt, case.evidence, _bound(case.stmt, case.valued)
    defined, undefined = _definedness(case)
    if undefined is not None:
        return undefined
    if defined[0] == "defined" and _sympy_identity(case.relation, case.scalars):
        return interpret.identity(IdentityAnswer(True, "0"), evidence=evidence, statement=statement)
    if defined[0] == "defined":
        outcome = _by_settled_switches(case)
        if outcome is not None:
            return outcome
    pieces = _by_pieces(case.relation, case.scalars, case.required)
    if pieces is not None and pieces[0] == "proved":
        evidence.pop("conditions_proved", None)
        return interpret.identity(IdentityAnswer(True, "0 on every piece, and the exact replay holds between them"),
                                  evidence={**evidence, "pieces": pieces[1]}, statement=statement)
    if pieces is not None:
        return _differ(case, pieces[1])
    point = _probe(stmt, case.relation, case.scalars)
    if point is not None:
        return _differ(case, point)
    induction = _by_induction(case) if defined[0] == "defined" else None
    if induction is not None:
        return induction
    if defined[0] != "defined":
        return interpret.undecided("sympy", evidence, f"whether every term has a value on the whole domain is not settled: "
                                   f"{defined[1]}", statement=statement)
    return interpret.identity(IdentityAnswer(None, "not settled by z3, sympy or exact points"), evidence=evidence,
                              statement=statement)


def _decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    """The cascade: a closed statement by its value, a finite domain by enumeration, then z3, then (for a universal
    statement) definedness, sympy, pieces and exact probes."""
    from proofs import interpret

    case = _case(stmt, params)
    if "recur" in terms.operators(case.relation):
        return _by_recurrence(case)
    if not case.scalars:
        return _closed(case)
    if _finite_size(case.scalars) is not None:
        return _by_enumeration(case)
    outcome = _by_z3(case) or _by_ranges(case)
    if outcome is not None:
        return outcome
    if stmt.quantifier == "exists":
        return _exact_witness(case) or interpret.undecided(
            "z3", case.evidence, "no witness found and no proof that none exists", statement=_bound(stmt, case.valued))
    return _by_identity(case)


def _exact_witness(case: _Case, found: Sequence[Mapping[str, Any]] = (), probe: bool = True) -> Optional[Outcome]:
    """An existential statement z3 did not settle: a point where it holds in exact arithmetic, among the points found
    (a model of the known ranges, which is not a point until the exact arithmetic agrees) and, with probe, a few
    probes of the domains and the boundary probes of its terms; None where none holds."""
    from proofs import interpret, probes

    points = list(found)
    if probe:
        points += list(_points(case.scalars))
        try:
            points += probes.boundary_points(case.relation, case.scalars)
        except (backends.Undecided, backends.Undefined, ValueError, TypeError, ArithmeticError):
            pass
    for point in points:
        try:
            if _holds(case.relation, case.required, point):
                return interpret.computed(True, witness=_witness(case.stmt, point), method="exact arithmetic",
                                          evidence=case.evidence, reason="an exact point satisfies it",
                                          statement=_bound(case.stmt, case.valued))
        except (backends.Undecided, ValueError, ZeroDivisionError, terms.Unsupported):  # ForgedWitness is a ValueError
            continue
    return None


def decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    """Decide the statement for these stated values, with the strongest method that applies to its domains and term;
    a proof (or a proof that no witness exists) counts only once the exact replay agrees at every boundary probe."""
    from proofs import everyfunction, interpret, uninterpreted

    try:
        free = uninterpreted.uses(stmt.term(params))
        same = _identical_sides(stmt, params, exact=not free)
        if same is not None and free:
            return same
        if free:  # for every function: decided and defended by proofs.everyfunction
            return everyfunction.decide(stmt, params)
        outcome = same or _decide(stmt, params)
    except terms.NotDifferentiated as exc:  # where the statement has a value is not known: unknown, which fails closed
        return interpret.undecided("conditions", {}, f"where {exc} exists is not known",
                                   statement=_bound(stmt, stmt.term(params, named=False)))
    except backends.Undecided as exc:  # a value no method could compute (a limit sympy did not find, an inner
        # quantifier z3 cannot read): nothing is settled, which is unknown, not an error of the engine
        return interpret.undecided("exact arithmetic", {}, f"not settled: {exc}",
                                   statement=_bound(stmt, stmt.term(params, named=False)))
    universal = stmt.quantifier == "forall"
    if outcome.verdict is not (Verdict.PROVED if universal else Verdict.REFUTED) or not stmt.scalars() \
            or _finite_size(stmt.scalars()) is not None:
        return outcome
    return _defended(stmt, params, outcome)


# A relation that holds, and one that fails, wherever its two sides have the same value.
_REFLEXIVE, _IRREFLEXIVE = ("eq", "le", "ge"), ("ne", "lt", "gt")


def _same(a: Any, b: Any) -> bool:
    """Whether two terms are the same tree: same operators, same names and numbers, the same function objects."""
    if a is b:
        return True
    if isinstance(a, Term) and isinstance(b, Term):
        return a.op == b.op and len(a.args) == len(b.args) and all(_same(x, y) for x, y in zip(a.args, b.args))
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    numbers = (int, fractions.Fraction)
    return isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool) \
        and a == b


def _total(side: Term) -> bool:
    """Whether nothing in the side may lack a value beyond what its conditions say: no limit (which may not exist)
    and no recurrence whose step has conditions of its own (checked at each step, not among the side's)."""
    if side.op == "limit":
        return False
    if side.op == "recur" and terms.conditions(terms.recurrence_parts(side)[0]):
        return False
    return all(_total(a) for a in side.args if isinstance(a, Term))


def _identical_sides(stmt: Statement, params: Mapping[str, Any], exact: bool) -> Optional[Outcome]:
    """A universal relation whose two sides are the same term, each defined on the whole domain: proved for =, <=
    and >=; refuted for <, > and != at a point of the domain, replayed in exact arithmetic (`exact`: the relation can be
    evaluated, no uninterpreted function). None where the sides differ, where a side may have no value somewhere
    (1/x, log x over the reals: decided as before) or where no replayed point is found."""
    from proofs import interpret

    relation = stmt.term(params, named=True)
    if stmt.quantifier != "forall" or relation.op not in (*_REFLEXIVE, *_IRREFLEXIVE) \
            or not _same(relation.args[0], relation.args[1]) or not _total(relation):
        return None
    if relation.op in _IRREFLEXIVE and not exact:
        return None
    case = _case(stmt, params)
    defined, undefined = _definedness(case)
    if undefined is not None or defined[0] != "defined":
        return None
    statement = _bound(stmt, case.valued)
    evidence = {**case.evidence, "identical_sides": terms.text(relation.args[0])}
    if relation.op in _REFLEXIVE:
        return interpret.identical(evidence=evidence, statement=statement)
    for point in _points(case.scalars) if case.scalars else [{}]:
        try:
            shown = _evaluate(stmt, case.relation, point)
        except (backends.Undecided, ValueError, ZeroDivisionError, terms.Unsupported):
            continue
        if shown.holds is False and "undefined" not in shown.sides:
            return interpret.computed(False, witness=_witness(stmt, point), method="exact arithmetic",
                                      evidence={**evidence, "replay": dict(shown.sides)}, statement=statement,
                                      failure="the two sides are the same term, so the strict relation fails at every "
                                              "point of the domain; replayed here")
    return None


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
    points, held = list(points), []
    failed = probes.first_failure(relation, required, points, held)
    if failed is None:
        if points and not held:  # a proof the exact replay could not check at a single probe is not one yet
            return interpret.undecided(outcome.method, {**outcome.evidence, "unconfirmed": outcome.reason},
                                       f"{outcome.method} answered {outcome.verdict.value}, but the exact replay "
                                       f"could not decide the statement at any of the {len(points)} boundary probes",
                                       statement=_bound(stmt, valued))
        return outcome
    point, why = failed
    return interpret.computed(False, witness=_witness(stmt, point), method="exact arithmetic", evidence=evidence,
                              failure=f"refuted at a boundary probe ({why})", statement=_bound(stmt, valued))


def replay(stmt: Statement, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement evaluated at a witness in exact arithmetic, after checking the witness against the domains.

    For a universal statement the witness is a counterexample (the replay holds when the statement holds there); for
    an existential one it is the point claimed to satisfy it. A certificate that no point exists is checked again
    independently: by enumeration for a finite domain, by a fresh solver query otherwise.
    """
    from proofs import everyfunction, uninterpreted

    relation = stmt.term(params, named=True)
    if uninterpreted.uses(relation):
        return everyfunction.replay(stmt, witness, params)
    if certificates.is_certificate(witness):
        if stmt.quantifier != "exists":
            raise ForgedWitness("a universal statement is refuted by a counterexample, not a certificate")
        scalars = stmt.scalars()
        return certificates.rederived("statement", (stmt.quantifier, relation, scalars),
                                      lambda: _certificate_replay(stmt, relation, scalars))
    return _evaluate(stmt, relation, _flatten(stmt, witness))


def _certificate_replay(stmt: Statement, relation: Term, scalars: Mapping[str, Domain]) -> Replay:
    """That no point satisfies the (existential) relation, decided again: by enumeration for a finite domain, by a
    fresh solver query otherwise."""
    if _finite_size(scalars) is not None:
        count, point = _enumerate(stmt, relation, scalars)
        return Replay(point is not None, {"points checked": count, "a point satisfies it": point is not None})
    try:
        answer = _z3_query(stmt, relation, scalars)
    except terms.Unsupported:  # a certificate from the known ranges: the same facts, a fresh query
        answer = _z3_query(stmt, relation, scalars, Ranges())
    return Replay(answer.answer != "unsat", {"a fresh solver query answers": answer.answer})
