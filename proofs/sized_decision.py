"""Deciding sized statements: proved for every size n (proofs.sized_proof), refuted at a concrete size with exact
matrices (proofs.sized_instances), every witness replayed by plain evaluation after its values are checked."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable, Mapping, Optional

from proofs import terms
from proofs.domains import Domain, exact_number
from proofs.model import ForgedWitness, Outcome, Replay
from proofs.sized import SizedDomain, SizedRelation
from proofs.sized import text as sized_text
from proofs.sized_instances import LENGTHS, SIZES, TRIES, holds_at, rows, search
from proofs.sized_proof import LEMMAS, prove

__all__ = ["decide", "replay", "relation", "formal"]

# Why an @exists over sized matrices is unknown: this engine decides "for every value" only.
EXISTS = ("an @exists statement over sized matrices is not decided (this engine proves a relation for every value, or "
          "refutes it at one, which settles neither way whether some value satisfies it)")


def relation(stmt: Any, params: Mapping[str, Any]) -> SizedRelation:
    """The statement's relation for these stated values."""
    args = {name: dom.variable(name) if isinstance(dom, SizedDomain) else terms.var(name) for name, dom in stmt.domains.items()}
    out = stmt.function(**args, **params)
    if not isinstance(out, SizedRelation) or out.op == "ne":
        raise TypeError(f"a statement over sized matrices returns a relation such as A == B or norm(x) <= norm(y), not {out!r} "
                        "(X != Y is a premise of given(...) only)")
    return out


def _indices(stmt: Any) -> dict[str, Domain]:
    out = {}
    for name, dom in stmt.domains.items():
        if isinstance(dom, SizedDomain):
            continue
        if dom.kind != "int" or dom.shape or dom.indexed:
            raise TypeError(f"{name}: the indices of a sized statement are integers (Nat, IntRange(...)), not {dom.name}")
        out[name] = dom
    return out


def replay(stmt: Any, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement at a witness, in exact arithmetic with plain loops, after checking every value against its
    domain (sizes, Qᵀ Q = I exactly for an orthogonal matrix, a diagonal of the role's entries)."""
    rel = relation(stmt, params)
    indices = _indices(stmt)
    if not isinstance(witness, Mapping):
        raise ForgedWitness("a counterexample of a sized statement is a mapping of n, the indices and the matrices")
    n = witness.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 12:
        raise ForgedWitness(f"witness n = {n!r} is not a size from 1 to 12")
    point = {}
    for name, dom in indices.items():
        value = witness.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not dom.contains(value) or abs(value) > 10_000:
            raise ForgedWitness(f"witness {name} = {value!r} is not an index in {dom.name}")
        point[name] = value
    roles = {name: dom for name, dom in stmt.domains.items() if isinstance(dom, SizedDomain)}
    unknown = set(witness) - {"n", *indices, *roles}
    if unknown:
        raise ForgedWitness(f"witness has fields {sorted(unknown)} the statement does not quantify")

    def element(name: str, role: str, key: Optional[int]) -> list:
        raw = witness.get(name)
        if key is not None:
            raw = raw.get(str(key)) if isinstance(raw, Mapping) else None
        if raw is None:
            raise ForgedWitness(f"witness has no value for {name}" + ("" if key is None else f"[{key}]"))
        return _read(raw, role, n, name if key is None else f"{name}[{key}]")

    holds, sides = holds_at(rel, n, point, element)
    return Replay(holds, sides)


def _read(raw: Any, role: str, n: int, what: str) -> list:
    if role == "vector":
        if not isinstance(raw, (list, tuple)) or len(raw) != n:
            raise ForgedWitness(f"witness {what} is not a vector of {n} numbers")
        return [[exact_number(v, what)] for v in raw]
    if not isinstance(raw, (list, tuple)) or len(raw) != n or any(not isinstance(r, (list, tuple)) or len(r) != n for r in raw):
        raise ForgedWitness(f"witness {what} is not an {n} × {n} matrix (a list of {n} rows)")
    M = [[Fraction(exact_number(v, what)) for v in row] for row in raw]
    if role in ("diagonal", "diagonal01") and any(M[i][j] != 0 for i in range(n) for j in range(n) if i != j):
        raise ForgedWitness(f"witness {what} is not diagonal")
    if role == "diagonal01" and any(M[i][i] not in (0, 1) for i in range(n)):
        raise ForgedWitness(f"witness {what} has a diagonal entry outside {{0, 1}}")
    if role == "orthogonal":
        gram = [[sum((M[k][i] * M[k][j] for k in range(n)), Fraction(0)) for j in range(n)] for i in range(n)]
        if gram != [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]:
            raise ForgedWitness(f"witness {what} is not orthogonal: its Qᵀ Q is {rows(gram)}, not I")
    return M


# --- the verdict --------------------------------------------------------------------------------------------------

def _decided(sides: Mapping[str, Any], op: str) -> Any:
    """The instance as sympy values (what a refutation decided)."""
    import sympy

    if "needs" in sides:  # no value: the index condition it needs, false at the instance
        lower, upper = (sympy.Integer(int(v)) for v in sides["needs"].split(" ≤ "))
        return sympy.Le(lower, upper, evaluate=False)
    if isinstance(sides.get("lhs"), list):
        return (sympy.Matrix(sides["lhs"]).applyfunc(sympy.Rational), sympy.Matrix(sides["rhs"]).applyfunc(sympy.Rational))
    lhs, rhs = sympy.sympify(sides["lhs"]), sympy.sympify(sides["rhs"])
    return sympy.Eq(lhs, rhs, evaluate=False) if op == "eq" else sympy.Le(lhs, rhs, evaluate=False)


def _trusted_names(trusts: Iterable[Any]) -> set[str]:
    return {getattr(t, "name", None) for t in trusts if isinstance(getattr(t, "name", None), str)}


def _refuted(stmt: Any, params: Mapping[str, Any], rel: SizedRelation, found: tuple, evidence: dict) -> Outcome:
    from proofs import interpret

    witness, _ = found
    again = replay(stmt, witness, params)  # the counterexample, read back from the witness and evaluated again
    if again.holds:
        return interpret.disagreement("exact arithmetic", evidence, "the search's counterexample does not replay")
    return interpret.computed(False, witness=witness, method="exact arithmetic", evidence={**evidence, "sides": dict(again.sides)},
                              failure=f"refuted at size n = {witness['n']} with exact matrices",
                              statement=_decided(again.sides, rel.op))


def decide(stmt: Any, params: Mapping[str, Any], trusts: Iterable[Any] = ()) -> Outcome:
    """Proved for every size n (and every index the premise allows) by sympy identities, induction and the trusted
    lemmas, once the exact instances at the boundary sizes agree; refuted by an exact counterexample at a concrete
    size, replayed; unknown otherwise (never a pass)."""
    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    rel = relation(stmt, params)
    indices = _indices(stmt)
    evidence: dict[str, Any] = {"statement": {"text": stmt.formal(params)}, "sizes": "every n ≥ 1"}
    if stmt.quantifier != "forall":  # neither a proof for every value nor a counterexample decides "there exists"
        return interpret.undecided("sympy + z3", evidence, EXISTS)
    trusted = _trusted_names(trusts)
    proof = prove(rel, indices, trusted)
    weaker = _weaker_premise(rel)
    if proof is None and weaker is not None:  # t < U implies t ≤ U: proved under t ≤ U, it holds under t < U
        proof = prove(weaker, indices, trusted)
        if proof is not None:
            evidence["premise_weakened"] = f"proved under {sized_text(weaker.premise)}, which {sized_text(rel.premise)} implies"
    if proof is None:
        wanting = prove(rel, indices)  # would an untrusted lemma prove it? Then say which, rather than search on
        if wanting is not None:
            proof = wanting
    if proof is None:
        found = search(rel, indices)
        if found is not None:
            return _refuted(stmt, params, rel, found, {**evidence, "searched": f"sizes {list(SIZES)}, lengths {list(LENGTHS)}"})
        return interpret.undecided("sympy + z3", {**evidence, "searched": f"sizes {list(SIZES)}, lengths {list(LENGTHS)}, "
                                   f"{TRIES} exact instances each"}, "not proved for every size, and no counterexample at the "
                                   "sizes searched")
    obligations, notes = proof
    lemmas = sorted({lemma for _, done in obligations for lemma in done.get("lemmas", ())})
    lines = []
    for label, done in obligations:
        if "pair" in done:
            lines.append(interpret.identity(IdentityAnswer(True, "0"), statement=done["pair"],
                                            evidence={"obligation": label, "scope": "symbolic n"}))
        else:
            lines.append(interpret.validity(done["answer"], evidence={"obligation": label, "lemmas": done["lemmas"]}))
    evidence = {**evidence, **notes, "lemmas": {name: LEMMAS[name] for name in lemmas}}
    missing = sorted(set(lemmas) - _trusted_names(trusts))
    if missing:
        return interpret.undecided("z3", evidence, f"the proof uses the lemma(s) {', '.join(missing)}, which the claim does not "
                                   "trust: name them in trusts=")
    outcome = interpret.combine(*lines, method="sympy + z3" if lemmas else "sympy")
    # the exact replay a proof must survive: n = 1, 2, 3 and the shortest lengths, a few instances each
    found = search(rel, indices, sizes=(1, 2, 3), tries=3)
    if found is not None:
        return _refuted(stmt, params, rel, found, {**evidence, "backend_disagreement": f"{outcome.method} answered proved; the "
                                                   "exact replay disagrees"})
    return interpret.annotated(outcome, **{k: v for k, v in evidence.items() if k != "statement"},
                               replayed="n = 1, 2, 3 at the shortest lengths: the exact instances agree")


def _weaker_premise(rel: SizedRelation) -> Optional[SizedRelation]:
    """The relation under t ≤ U where its premise is t < U (or U > t): a premise the statement's own implies."""
    from proofs.terms import Term

    premise = rel.premise
    if not isinstance(premise, Term) or premise.op not in ("lt", "gt"):
        return None
    low, high = premise.args if premise.op == "lt" else premise.args[::-1]
    return SizedRelation(rel.op, rel.lhs, rel.rhs, Term("le", (low, high)))


def formal(stmt: Any, params: Mapping[str, Any]) -> str:
    """The formal statement, printed from the relation that is decided."""
    groups: dict[str, list[str]] = {}
    for name, dom in stmt.domains.items():
        groups.setdefault(dom.name, []).append(name)
    over = "; ".join(f"{', '.join(names)} ∈ {dom}" for dom, names in groups.items())
    stated = ", ".join(f"{k} = {v}" for k, v in params.items())
    if stmt.quantifier != "forall":
        over = f"there exist {over}"
    return f"for all n ≥ 1; {over}: {sized_text(relation(stmt, params))}" + (f", where {stated}" if stated else "")
