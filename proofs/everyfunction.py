"""Statements over every differentiable function: proved for every function, refuted by an explicit polynomial."""

from __future__ import annotations

import dataclasses
import fractions
import itertools
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Optional

from proofs import backends, certificates, terms
from proofs.model import ForgedWitness, Outcome, Replay
from proofs.terms import Term
from proofs.uninterpreted import (Function, Polynomial, _z3_ops, candidates, derivative, exact_apply, functions,
                                  interpretation)

if TYPE_CHECKING:
    from proofs.statement import Statement

__all__ = ["decide", "replay"]


# How many (polynomials, point) pairs a certificate's replay evaluates before proving the negation again.
QUICK_TRIES = 12


def _interpretations(fns: list[Function]) -> list[dict]:
    """Several concrete choices of every function: each function its own candidates, shifted so that two functions
    are not the same polynomial."""
    per = [candidates(fn, shift=j) for j, fn in enumerate(fns)]
    return [{fn.name: per[j][c] for j, fn in enumerate(fns)} for c in range(len(per[0]))] if fns else [{}]


def _points(stmt: Statement, relation: Term) -> list[dict]:
    from proofs import decision, probes

    scalars = stmt.scalars()
    points = list(decision._points(scalars))
    try:
        points += probes.boundary_points(relation, scalars)
    except Exception:  # noqa: BLE001 - a boundary the probes cannot read adds no point; the others still count
        pass
    return points or [{}]


def _applied(relation: Term, point: Mapping[str, Any]) -> dict:
    """The values of every function the relation applies, and of their first derivatives, at the (rational)
    arguments it reads at the point, under the current interpretation, as {"φ'(1/2)": value}: what a person checks a
    counterexample with."""
    out: dict = {}

    def walk(node: Term) -> None:
        if node.op == "apply":
            fn = node.args[0]
            try:
                at = [backends.exact_value(a, point) for a in node.args[1:]]
            except (backends.Undefined, backends.Undecided, KeyError, ValueError, terms.Unsupported, ArithmeticError):
                at = None
            if at is not None and all(isinstance(a, (int, fractions.Fraction)) for a in at):
                for variant in (fn, *(fn.partial(i + 1) for i in range(fn.arity))):
                    key = f"{variant}({', '.join(str(fractions.Fraction(a)) for a in at)})"
                    out.setdefault(key, _shown(exact_apply(variant, tuple(at))))
        for a in node.args:
            if isinstance(a, Term):
                walk(a)
    walk(relation)
    return out


def _shown(v: Any) -> Any:
    from proofs.probes import witness_value

    return witness_value(v)


def _witness(stmt: Statement, point: Mapping[str, Any], chosen: Mapping[str, Polynomial], relation: Term) -> dict:
    from proofs import decision

    with interpretation(chosen):
        values = _applied(relation, point)
    shown = {name: {"polynomial": p.text(_names(p.arity)), "coefficients": p.to_witness()} for name, p in chosen.items()}
    return {**decision._witness(stmt, point), "functions": shown, "values": values}


def _search(stmt: Statement, relation: Term, wanted: bool, limit: Optional[int] = None) -> Optional[tuple[dict, dict, int]]:
    """The first (point, functions) where the relation's truth is `wanted` (False: a counterexample; True: a witness),
    and how many evaluations it took (at most `limit`); None where none of the tries gives it."""
    from proofs import decision

    required = decision._required(relation)
    count = 0
    points = _points(stmt, relation)
    for chosen in _interpretations(functions(relation)):
        for point in points:
            if limit is not None and count >= limit:
                return None, None, count  # type: ignore[return-value]
            count += 1
            try:
                with interpretation(chosen):
                    holds = decision._holds(relation, required, point)
            except (backends.Undecided, ValueError, ZeroDivisionError, terms.Unsupported):
                continue
            if holds == wanted:
                return point, chosen, count
    return None, None, count  # type: ignore[return-value]


def _defined(stmt: Statement, relation: Term) -> tuple[bool, list]:
    """Whether every condition of the relation is shown for every function: z3 with the functions uninterpreted, or
    sympy simplifying it to true."""
    from proofs import decision

    how = []
    scalars = stmt.scalars()
    for condition in decision._required(relation):
        shown, _ = decision._shown_everywhere(condition.holds, scalars, functions=_z3_ops(), ranges=False)
        if shown is None:
            return False, [f"not shown for every function that {terms.text(condition.holds)} ({condition.failure} where it fails)"]
        how.append(f"{terms.text(condition.holds)}: {'z3, every function' if shown == 'z3' else shown}")
    return True, how


def _scope(relation: Term) -> str:
    return "every differentiable " + ", ".join(fn.describe() for fn in functions(relation)) + \
        " (values and derivative values free)"


def _z3_valid(stmt: Statement, relation: Term):
    """z3 with every function and derivative uninterpreted, each derivative written out by the chain rule first:
    unsat holds for every function (the derivatives' values are free there, which only widens what z3 considers)."""
    import z3

    from proofs import decision
    from proofs.solvers.smt import prove

    written = backends.written_out(relation, derivative)
    if written is None or terms.operators(written) & terms.NUMERIC_ONLY:
        return None
    try:
        env, given = decision._z3_domains(stmt.scalars())
        answer = prove(backends.to_z3(written, env, functions=_z3_ops()), list(env.values()), given=given)
    except (terms.Unsupported, z3.Z3Exception):
        return None
    return answer if answer.answer == "unsat" else None


def _bound(stmt: Statement, relation: Term, quantifier: str = ""):
    """The relation with its variables and its functions bound, as the helpers record what they decided: the
    functions printed with their signatures (ℝ → ℝ), as z3 prints its uninterpreted ones."""
    from proofs import interpret
    from proofs.domains import Domain

    over = {**stmt.domains, **{fn.name: Domain(fn.describe().split(": ", 1)[1], "real") for fn in functions(relation)}}
    return interpret.quantified(relation, quantifier or stmt.quantifier, over)


def _negation(relation: Term) -> Optional[Term]:
    """¬relation built from equations, where the relation is built from ≠ with ∧ and ∨ (else None)."""
    if relation.op == "ne":
        return Term("eq", relation.args)
    if relation.op in ("and", "or"):
        parts = [_negation(a) for a in relation.args]
        return None if any(p is None for p in parts) else Term("or" if relation.op == "and" else "and", tuple(parts))
    return None


def _identity(target: Term, scalars) -> bool:
    """Whether the target (equations with ∧ and ∨) holds for every function and point: a disjunction by one of its
    parts, a conjunction by each, an equation as a sympy identity in the free values and derivative values."""
    from proofs.identities import identity

    if target.op == "or":
        return any(_identity(a, scalars) for a in target.args)
    if target.op == "and":
        return all(_identity(a, scalars) for a in target.args)
    return bool(identity(target, scalars))


def decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    """A statement over uninterpreted functions. ∀: refuted by a concrete polynomial and point where it fails (found
    by exact evaluation, replayed the same way); proved where every condition holds for every function and the
    relation is a sympy identity in the free values and derivative values (or z3 unsat with the functions
    uninterpreted). ∃: shown by a polynomial and point where it holds; refuted where its negation (a conjunction of
    equations) is such an identity. Anything else is unknown."""
    from proofs import interpret
    from proofs.identities import identity
    from proofs.solvers.symbolic import IdentityAnswer

    relation = stmt.term(params, named=True)
    valued = stmt.term(params, named=False)
    bound = _bound(stmt, valued)
    evidence: dict[str, Any] = {"statement": {"math": terms.tree(relation), "text": stmt.formal(params)},
                                "functions": _scope(relation)}
    universal = stmt.quantifier == "forall"
    point, chosen, count = _search(stmt, relation, not universal)
    if point is not None:
        witness = _witness(stmt, point, chosen, relation)
        said = (f"it {'fails' if universal else 'holds'} for " + ", ".join(
            f"{name}({', '.join(_names(p.arity))}) = {p.text(_names(p.arity))}" for name, p in chosen.items())
            + (f" at {backends.point_text(point)}" if point else ""))
        return interpret.computed(not universal, witness=witness, method="exact arithmetic, explicit functions",
                                  evidence={**evidence, "evaluations": count}, reason=said, failure=said, statement=bound)
    evidence["not_refuted_by"] = f"{count} exact evaluations with explicit polynomials in place of the functions"
    target = relation if universal else _negation(relation)
    if target is None:
        return interpret.undecided("sympy", evidence, "no polynomial and point satisfies it, and its negation is not a "
                                   "conjunction of equations to prove for every function", statement=bound)
    defined, how = _defined(stmt, target)
    if not defined:
        return interpret.undecided("sympy", evidence, how[0], statement=bound)
    if how:
        evidence["conditions_proved"] = how
    scope = evidence
    try:
        settled = identity(target, stmt.scalars()) if universal else _identity(target, stmt.scalars())
    except terms.Unsupported:  # a term sympy has no form of (a recurrence): no identity is shown
        settled = False
    if settled:
        if universal:
            return interpret.identity(IdentityAnswer(True, "0 in the free values and derivative values"), evidence=scope,
                                      statement=bound)
        certificate = {"certificate": f"for every function and point: {terms.text(target)} (sympy identity)"}
        return interpret.computed(False, witness=certificate, method="sympy", evidence=scope,
                                  failure="no point and no function satisfies it: its negation is an identity",
                                  statement=_bound(stmt, target, "forall"))
    answer = _z3_valid(stmt, relation) if universal else None
    if answer is not None:
        return interpret.validity(answer, evidence=scope)
    return interpret.undecided("sympy", evidence, "not an identity in the free values and derivative values, and no "
                               "polynomial and point refutes it", statement=bound)


def replay(stmt: Statement, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement in exact arithmetic with the witness's polynomials in place of its functions, after checking the
    witness: every function given with its arity, the values it lists recomputed from them, the point in the domains.
    A certificate (∃ refuted) is checked by proving the negation again."""
    from proofs import decision

    relation = stmt.term(params, named=True)
    if not isinstance(witness, Mapping):
        raise ForgedWitness(f"a witness is a mapping, not {type(witness).__name__}")
    if certificates.is_certificate(witness):
        if stmt.quantifier != "exists":
            raise ForgedWitness("a universal statement is refuted by a counterexample, not a certificate")
        scalars = stmt.scalars()
        return certificates.rederived("every function", (stmt.quantifier, relation, scalars),
                                      lambda: _certificate_replay(stmt, relation, scalars))
    fns = {fn.name: fn for fn in functions(relation)}
    given = witness.get("functions")
    if not isinstance(given, Mapping) or set(given) != set(fns):
        raise ForgedWitness(f"the witness gives the functions {sorted(fns)} under 'functions', each as "
                            "{'coefficients': [[exponents], coefficient], ...]}")
    chosen = {}
    for name, fn in fns.items():
        entry = given[name]
        data = entry.get("coefficients") if isinstance(entry, Mapping) else entry
        chosen[name] = Polynomial.from_witness(fn.arity, data, name)
    point = decision._flatten(stmt, {k: v for k, v in witness.items() if k not in ("functions", "values")})
    with interpretation(chosen):
        values = witness.get("values", {})
        if not isinstance(values, Mapping):
            raise ForgedWitness(f"the witness's values are a mapping such as {{\"φ'(1/2)\": 3/4}}, not {values!r}")
        for key, stated in values.items():
            try:
                variant = next(f for f in _variants(fns.values()) if str(key).startswith(f"{f}(") and str(key).endswith(")"))
                at = tuple(fractions.Fraction(a.strip()) for a in str(key)[len(str(variant)) + 1:-1].split(","))
                value = exact_apply(variant, at)
                same = fractions.Fraction(str(stated)) == value
            except (StopIteration, TypeError, ValueError, ZeroDivisionError, IndexError):
                raise ForgedWitness(f"the listed value {key} = {stated!r} is not one of the witness's functions at "
                                    "exact numbers") from None
            if not same:
                raise ForgedWitness(f"{key} is {_shown(value)} for the witness's polynomial, not {stated}")
        out = decision._evaluate(stmt, relation, point)
    sides = {**out.sides, "functions": {n: p.text(_names(p.arity)) for n, p in chosen.items()}}
    return Replay(out.holds, sides)


def _certificate_replay(stmt: Statement, relation: Term, scalars: Mapping[str, Any]) -> Replay:
    """That no function and point satisfies the (existential) relation, decided again: its negation proved an identity
    in the free values and derivative values, every condition shown for every function. A few explicit polynomials
    and points are tried first: one that satisfies the relation, evaluated exactly, rejects the certificate at once."""
    point, chosen, _ = _search(stmt, relation, True, limit=QUICK_TRIES)
    if point is not None:
        return Replay(True, {"satisfied by explicit functions": {n: p.text(_names(p.arity)) for n, p in chosen.items()},
                             "at": backends.point_text(point) if point else "no variables"})
    target = _negation(relation)
    holds = target is not None and _defined(stmt, target)[0] and _identity(target, scalars)
    return Replay(not holds, {"the negation is an identity, proved again": holds})


def _names(arity: int) -> tuple:
    return ("x",) if arity == 1 else tuple(f"x{i + 1}" for i in range(arity))


def _variants(fns) -> Iterator[Function]:
    """Each function and its derivatives of order up to 3 (those a witness lists values of)."""
    for fn in fns:
        for orders in itertools.product(range(4), repeat=fn.arity):
            if sum(orders) <= 3:
                yield dataclasses.replace(fn, orders=orders)
