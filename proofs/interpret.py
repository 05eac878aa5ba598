"""Turning neutral solver answers into outcomes: the only place where solver answers become verdicts."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, Mapping, Optional

from proofs import mathtree
from proofs.model import Outcome
from proofs.verdicts import Verdict
from proofs.solvers.enumerate import ExhaustAnswer
from proofs.solvers.experiment import PairedTest
from proofs.solvers.sampling import SampleAnswer
from proofs.solvers.smt import SmtAnswer
from proofs.solvers.symbolic import IdentityAnswer

__all__ = ["validity", "existence", "exhausted", "sampled", "identity", "identical", "experiment", "computed", "disagreement",
           "undecided", "annotated", "combine", "corroborated", "Decided", "decided", "issued", "missing", "quantified",
           "statement"]


@dataclasses.dataclass(frozen=True)
class Decided:
    """Made by a helper here from what it decided (a solver's query, a sympy or z3 expression, a statement term, an
    enumerated domain): the statement every report prints as "checked", never typed by a claim's author."""

    # The statement as a proofs.mathtree tree, for MathML.
    math: list
    # The same statement as one line of plain text, printed from the tree.
    text: str

    def to_json(self) -> dict:
        return {"math": self.math, "text": self.text}


# Every outcome a helper of this module made, by identity (kept alive so that an identity is never reused): the
# verdicts the engine derived from solver answers, each with what it decided, labelled by line of evidence ("" for
# one line), or None where a helper was not given what it decided. An outcome a check built itself is not here.
_ISSUED: dict[int, tuple[Outcome, Optional[tuple[tuple[str, Decided], ...]], tuple[str, ...]]] = {}


def issued(outcome: Any) -> bool:
    """Whether a helper of this module made this outcome from solver answers (or from outcomes it made)."""
    entry = _ISSUED.get(id(outcome))
    return entry is not None and entry[0] is outcome


def decided(outcome: Any) -> Optional[tuple[tuple[str, Decided], ...]]:
    """What the helpers that made this outcome decided, as (label, statement) pairs; None when it was not made here
    or when a helper was not given the statement it decided (see `missing`)."""
    return _ISSUED[id(outcome)][1] if issued(outcome) else None


def missing(outcome: Any) -> tuple[str, ...]:
    """The helpers that made this outcome without being given what they decided (empty when nothing is missing)."""
    return _ISSUED[id(outcome)][2] if issued(outcome) else ()


def _issue(outcome: Outcome, statement: Optional[Decided], helper: str) -> Outcome:
    _ISSUED[id(outcome)] = (outcome, None if statement is None else (("", statement),), () if statement else (helper,))
    return outcome


def _issues(helper: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """Keep what the helper returns as derived only when every outcome it was given was derived too."""
    @functools.wraps(helper)
    def wrapper(*args: Any, **kwargs: Any) -> Outcome:
        outcome = helper(*args, **kwargs)
        if not all(issued(a) for a in (*args, *kwargs.values()) if isinstance(a, Outcome)):
            _ISSUED.pop(id(outcome), None)
        return outcome
    return wrapper


# --- what was decided, printed from the objects that decided it ----------------------------------------------------

def statement(decided_object: Any) -> Decided:
    """The statement a helper decided, printed from the object itself: a sympy expression or relation (an expression
    stands for expression = 0), a tuple (lhs, rhs) of sympy expressions, a z3 formula, a statement term
    (proofs.terms.Term), a quantified term (`quantified`), or a list of them (all of them). Text is refused, and so is
    a ready-made Decided: either could say anything."""
    return _decided(_tree(decided_object))


@dataclasses.dataclass(frozen=True)
class _Quantified:
    """A statement term with its variables bound to their domains (made by `quantified`)."""

    symbol: str
    body: Any
    domains: tuple


def quantified(body: Any, quantifier: str, domains: Mapping[str, Any]) -> _Quantified:
    """body (a statement term) for all ("forall") or some ("exists") values of the named variables in their domains
    (proofs.domains.Domain), as a statement a helper can record."""
    from proofs.domains import Domain
    from proofs.terms import Term

    if not isinstance(body, Term) or quantifier not in ("forall", "exists") or not all(isinstance(d, Domain) for d in domains.values()):
        raise TypeError("quantified(term, 'forall' or 'exists', {name: Domain}) binds a statement term's variables")
    return _Quantified("∀" if quantifier == "forall" else "∃", body, tuple(domains.items()))


def _decided(tree: list) -> Decided:
    return Decided(tree, mathtree.plain(tree))


def _tree(obj: Any) -> list:
    from proofs.terms import Term, tree as term_tree

    if isinstance(obj, Term):
        return term_tree(obj)
    if isinstance(obj, _Quantified):
        inner = term_tree(obj.body)
        return ["quant", obj.symbol, inner, *([["sym", name], ["text", dom.name]] for name, dom in obj.domains)] \
            if obj.domains else inner
    if _pair(obj):
        return ["rel", "=", mathtree.tree(obj[0]), mathtree.tree(obj[1])]
    if isinstance(obj, (list, tuple)) and obj:
        parts = [_tree(o) for o in obj]
        return parts[0] if len(parts) == 1 else ["and", *parts]
    module = type(obj).__module__
    if module.startswith("sympy"):
        shown = mathtree.tree(obj)
        relation = getattr(obj, "is_Relational", False) or getattr(obj, "is_Boolean", False)
        return shown if relation else ["rel", "=", shown, ["num", "0"]]
    if module.startswith("z3"):
        return mathtree.z3_tree(obj)
    raise TypeError(f"a statement decided is the object that was decided (a sympy or z3 expression, a statement term), "
                    f"not {type(obj).__name__} {str(obj)[:80]!r}")


def _z3_query(answer: SmtAnswer, quantifier: str) -> Decided:
    """The statement a z3 query decided, read back from the SMT-LIB text z3 was given: for validity, that its last
    assertion's negation follows from the others for every value of the free constants; for existence, that some
    value satisfies every assertion."""
    import z3

    assertions = list(z3.parse_smt2_string(answer.smt2))
    if quantifier == "forall":
        if assertions and z3.is_not(assertions[-1]):
            body = assertions[-1].arg(0)
            body = z3.Implies(z3.And(assertions[:-1]), body) if len(assertions) > 1 else body
        else:
            body = z3.Not(z3.And(assertions)) if assertions else z3.BoolVal(False)
    else:
        body = z3.And(assertions) if assertions else z3.BoolVal(True)
    constants = _constants(assertions)
    tree = mathtree.z3_tree(body)
    if constants:
        tree = ["quant", "∀" if quantifier == "forall" else "∃", tree,
                *([["sym", c.name()], ["sym", _sort_of(c)]] for c in constants)]
    return _decided(tree)


def _sort_of(declaration: Any) -> str:
    if declaration.arity() == 0:
        return mathtree.sort_name(declaration.range())
    over = " × ".join(mathtree.sort_name(declaration.domain(i)) for i in range(declaration.arity()))
    return f"{over} → {mathtree.sort_name(declaration.range())}"


def _pair(obj: Any) -> bool:
    """Whether obj is a tuple (lhs, rhs) of two sympy expressions, the sides of an identity (a list is a conjunction)."""
    return isinstance(obj, tuple) and len(obj) == 2 and all(
        type(o).__module__.startswith("sympy") and not getattr(o, "is_Boolean", False) and not getattr(o, "is_Relational", False)
        for o in obj)


def _constants(assertions: list) -> list:
    """The uninterpreted constants and functions the assertions use, in the order they first appear."""
    import z3

    seen, found, stack = set(), {}, list(reversed(assertions))
    while stack:
        e = stack.pop()
        key = e.get_id()
        if key in seen:
            continue
        seen.add(key)
        if z3.is_app(e):
            if e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
                found.setdefault(e.decl().name(), e.decl())
            stack.extend(reversed(e.children()))
        elif z3.is_quantifier(e):
            stack.append(e.body())
    return list(found.values())


def _over(set_text: str, body: Optional[list], name: str = "case") -> Decided:
    """Every element of an enumerated set satisfies body; a body that binds its own variables (a quantified statement
    over the set's coordinates) is the statement as it stands."""
    if body is not None and body[:1] == ["quant"]:
        return _decided(body)
    return _decided(["quant", "∀", body or ["text", "the check's predicate holds"], [["sym", name], ["text", set_text]]])


def _smt_evidence(answer: SmtAnswer, evidence: Optional[Mapping[str, Any]]) -> dict:
    return {**(evidence or {}), "z3": answer.answer, "smt2_chars": len(answer.smt2)}


def _of(statement_object: Any) -> Optional[Decided]:
    return None if statement_object is None else statement(statement_object)


@_issues
def validity(answer: SmtAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
             counterexample: Callable[[Mapping[str, Any]], Mapping[str, Any]] = dict) -> Outcome:
    """A universal claim checked as unsat of its negation: unsat proves it, sat refutes it with the model. What was
    decided is read back from the query z3 was given."""
    ev = _smt_evidence(answer, evidence)
    checked = _z3_query(answer, "forall")
    if answer.answer == "unsat":
        return _issue(Outcome(Verdict.PROVED, "z3", ev, reason="negation unsatisfiable"), checked, "validity")
    if answer.answer == "sat":
        return _issue(Outcome(Verdict.REFUTED, "z3", ev, witness=counterexample(answer.model),
                              reason="z3 found a counterexample"), checked, "validity")
    return _issue(Outcome(Verdict.UNKNOWN, "z3", ev, reason=f"z3 unknown: {answer.reason}"), checked, "validity")


@_issues
def existence(answer: SmtAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
              witness: Callable[[Mapping[str, Any]], Mapping[str, Any]] = dict,
              certificate: Optional[Mapping[str, Any]] = None) -> Outcome:
    """An existential claim: sat proves it with a witness; unsat refutes it, with a certificate to replay. What was
    decided is read back from the query z3 was given."""
    ev = _smt_evidence(answer, evidence)
    checked = _z3_query(answer, "exists")
    if answer.answer == "sat":
        return _issue(Outcome(Verdict.PROVED, "z3", ev, witness=witness(answer.model), reason="z3 found a witness"),
                      checked, "existence")
    if answer.answer == "unsat":
        return _issue(Outcome(Verdict.REFUTED, "z3", ev, witness=certificate, reason="no witness exists (z3 unsat)"),
                      checked, "existence")
    return _issue(Outcome(Verdict.UNKNOWN, "z3", ev, reason=f"z3 unknown: {answer.reason}"), checked, "existence")


@_issues
def exhausted(answer: ExhaustAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
              counterexample: Callable[[Any], Mapping[str, Any]] = lambda x: {"element": x},
              statement: Any = None) -> Outcome:
    """A claim over a finite domain: every element checked, or the first failing one. What was decided is the
    domain, by its name, and `statement` (what the predicate decides at each element), when given."""
    ev = {**(evidence or {}), "domain": answer.domain, "domain_size": answer.size}
    checked = _over(answer.domain, _of(statement).math if statement is not None else None)
    if answer.holds:
        return _issue(Outcome(Verdict.EXHAUSTED, "enumeration", ev, reason=f"all {answer.size} cases of {answer.domain}"),
                      checked, "exhausted")
    return _issue(Outcome(Verdict.REFUTED, "enumeration", ev, witness=counterexample(answer.counterexample),
                          reason="enumeration found a counterexample"), checked, "exhausted")


@_issues
def sampled(answer: SampleAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
            counterexample: Callable[[Any], Mapping[str, Any]] = lambda x: {"sample": x},
            statement: Any = None) -> Outcome:
    """A claim tested on seeded samples: not refuted by N samples, never proved. What was decided is the samples, by
    their number and seed, and `statement` (what the predicate decides at each sample), when given."""
    ev = {**(evidence or {}), "samples": answer.n, "seed": answer.seed}
    checked = _over(f"{answer.n} samples drawn with seed {answer.seed}", _of(statement).math if statement is not None else None, "s")
    if answer.holds:
        return _issue(Outcome(Verdict.NOT_REFUTED, "sampling", ev, reason=f"not refuted by {answer.n} samples (seed {answer.seed})"),
                      checked, "sampled")
    return _issue(Outcome(Verdict.REFUTED, "sampling", ev, witness=counterexample(answer.counterexample),
                          reason="a sample refuted it"), checked, "sampled")


@_issues
def identity(answer: IdentityAnswer, *, evidence: Optional[Mapping[str, Any]] = None, statement: Any = None) -> Outcome:
    """A symbolic identity: shown by simplification, refuted at an exact point, otherwise unknown.

    `statement` is what was compared: the sympy relation, the pair (lhs, rhs), or an expression that is 0; by default
    the two sides the answer was computed from (`answer.sides`, which `symbolic_identity` records). An answer that it
    holds is decided again here from that statement (its difference must simplify to 0), so the statement a report
    prints is the one that holds; an answer built by hand without sides and without `statement` records nothing it
    decided, and the engine fails the claim."""
    if statement is None:
        statement = answer.sides
    ev = {**(evidence or {}), "difference": answer.difference}
    checked = _of(statement)
    if answer.holds is True:
        if statement is not None and not _simplifies_to_zero(statement):
            return _issue(Outcome(Verdict.ERROR, "sympy", ev, reason="the statement given as decided does not simplify to "
                                  f"an identity: {checked.text[:300]}"), checked, "identity")
        return _issue(Outcome(Verdict.PROVED, "sympy", ev, reason="difference simplifies to 0"), checked, "identity")
    if answer.holds is False:
        return _issue(Outcome(Verdict.REFUTED, "sympy", ev, witness=dict(answer.point), reason="sides differ at an exact point"),
                      checked, "identity")
    return _issue(Outcome(Verdict.UNKNOWN, "sympy", ev, reason="simplification did not settle the identity"), checked, "identity")


def identical(*, evidence: Optional[Mapping[str, Any]] = None, statement: Any = None) -> Outcome:
    """A universal relation (=, <= or >=) whose two sides are the same term, each defined on the whole domain: proved,
    whatever the values (method "identical sides"); proofs.decision checks the sides and their definedness."""
    return _issue(Outcome(Verdict.PROVED, "identical sides", dict(evidence or {}),
                          reason="the two sides are the same term, defined on the whole domain"), _of(statement), "identical")


def _simplifies_to_zero(obj: Any) -> bool:
    """Whether a sympy statement of an identity holds by simplification (terms and z3 formulas, which the engine built
    and decided itself, are taken as given)."""
    import sympy

    def zero(expr: Any) -> bool:
        expr = expr.doit()  # derivatives, sums, limits and matrix products written unevaluated are taken here
        if getattr(expr, "is_Matrix", False):
            return bool(getattr(expr, "is_ZeroMatrix", False)) or all(zero(e) for e in sympy.Matrix(expr))
        return sympy.expand(expr) == 0 or sympy.simplify(expr) == 0

    if _pair(obj):
        return zero(obj[0] - obj[1])
    if isinstance(obj, (list, tuple)):
        return all(_simplifies_to_zero(o) for o in obj)
    if not type(obj).__module__.startswith("sympy"):
        return True
    if isinstance(obj, sympy.Eq):
        return zero(obj.lhs - obj.rhs)
    if isinstance(obj, sympy.And):
        return all(_simplifies_to_zero(a) for a in obj.args)
    if isinstance(obj, sympy.Implies) and isinstance(obj.args[1], sympy.Eq):
        # premises A = B are used by putting B for A in the simplified difference of the conclusion
        premises = obj.args[0].args if isinstance(obj.args[0], sympy.And) else (obj.args[0],)
        if all(isinstance(q, sympy.Eq) for q in premises):
            difference = sympy.simplify(obj.args[1].lhs - obj.args[1].rhs)
            return zero(difference.subs({q.lhs: q.rhs for q in premises}))
    if obj is sympy.true:
        return True
    if getattr(obj, "is_Relational", False) or getattr(obj, "is_Boolean", False):
        return False
    return zero(obj)


@_issues
def experiment(test: PairedTest, *, alpha: float, evidence: Optional[Mapping[str, Any]] = None,
               witness: Optional[Mapping[str, Any]] = None) -> Outcome:
    """A claimed positive effect: supported when significant at alpha with the interval above 0; refuted when the
    opposite effect is significant; otherwise unknown (an inconclusive experiment never passes). What was decided is
    the test: the mean of its paired differences above 0 at alpha."""
    stats = {"pairs": test.n, "effect": test.mean, "sd": test.sd, "ci95": [test.ci_low, test.ci_high],
             "p_effect_positive": test.p_greater, "p_effect_negative": test.p_less, "alpha": alpha,
             "resamples": test.resamples, "stats_seed": test.seed}
    ev = {**(evidence or {}), "test": stats}
    checked = _decided(["rel", ">", ["fn", "mean", ["sym", "d_1"], ["text", "…"], ["sym", f"d_{test.n}"]], ["num", "0"]])
    checked = Decided(checked.math, f"{checked.text}, one-sided sign-flip test at alpha = {alpha} over {test.n} paired "
                                    f"differences (seed {test.seed})")
    if test.p_greater < alpha and test.ci_low > 0:
        return _issue(Outcome(Verdict.SUPPORTED, "experiment", ev,
                              reason=f"effect {test.mean:.4g} > 0, p = {test.p_greater:.2g} < {alpha}"), checked, "experiment")
    if test.p_less < alpha and test.ci_high < 0:
        return _issue(Outcome(Verdict.REFUTED, "experiment", ev, witness=witness,
                              reason=f"the opposite effect is significant: {test.mean:.4g} < 0, p = {test.p_less:.2g}"),
                      checked, "experiment")
    return _issue(Outcome(Verdict.UNKNOWN, "experiment", ev,
                          reason=f"inconclusive: effect {test.mean:.4g}, p = {test.p_greater:.2g}"), checked, "experiment")


@_issues
def computed(holds: bool, *, witness: Mapping[str, Any], method: str = "exact arithmetic",
             evidence: Optional[Mapping[str, Any]] = None, reason: str = "", failure: str = "",
             statement: Any = None) -> Outcome:
    """A finite claim decided by an exact computation: proved when it holds, refuted otherwise. Either way it comes
    with the witness the computation decided, which the engine replays independently (a proof by computation is only
    as good as that replay). `statement` is the relation the computation decided (a sympy or z3 expression, a
    statement term); without it the outcome records nothing it decided, and the engine fails the claim."""
    if not isinstance(holds, bool):
        raise TypeError(f"an exact computation decides True or False, got {holds!r}")
    checked = _of(statement)
    if holds:
        return _issue(Outcome(Verdict.PROVED, method, dict(evidence or {}), witness=dict(witness),
                              reason=reason or "exact computation"), checked, "computed")
    return _issue(Outcome(Verdict.REFUTED, method, dict(evidence or {}), witness=dict(witness),
                          reason=failure or "exact computation refutes it"), checked, "computed")


@_issues
def disagreement(method: str, evidence: Optional[Mapping[str, Any]], reason: str, *, statement: Any = None) -> Outcome:
    """Two independent methods reached different answers: the claim is an error, whatever either said."""
    return _issue(Outcome(Verdict.ERROR, method, dict(evidence or {}), reason=reason),
                  _of(statement) or _decided(["text", f"not settled: {reason}"]), "disagreement")


@_issues
def undecided(method: str, evidence: Optional[Mapping[str, Any]], reason: str, *, statement: Any = None) -> Outcome:
    """The methods tried did not settle the claim: unknown, which never passes."""
    return _issue(Outcome(Verdict.UNKNOWN, method, dict(evidence or {}), reason=reason),
                  _of(statement) or _decided(["text", f"not settled: {reason}"]), "undecided")


def _inherit(outcome: Outcome, lines: Mapping[str, Outcome]) -> Outcome:
    """Record for an outcome built from other outcomes what each of them decided, labelled by its line."""
    statements: list[tuple[str, Decided]] = []
    absent: list[str] = []
    for label, line in lines.items():
        for inner, checked in decided(line) or ():
            statements.append((".".join(p for p in (label, inner) if p), checked))
        absent += missing(line)
    _ISSUED[id(outcome)] = (outcome, None if absent or not statements else tuple(statements), tuple(absent))
    return outcome


@_issues
def annotated(outcome: Outcome, *, method: Optional[str] = None, **evidence: Any) -> Outcome:
    """The same outcome (verdict, witness, reason unchanged) with more evidence, or a fuller method name."""
    out = Outcome(outcome.verdict, method or outcome.method, {**outcome.evidence, **evidence}, outcome.witness, outcome.reason)
    return _inherit(out, {"": outcome})


@_issues
def combine(*outcomes: Outcome, method: Optional[str] = None) -> Outcome:
    """Several lines of evidence for one claim: the first that is not positive decides; else the WEAKEST.

    Every line must be evidence for the whole claim: the claim is only as strong as its weakest line, so a line that
    covers part of the claim's scope (one size proved, others sampled) cannot lift the verdict.
    """
    if not outcomes:
        raise ValueError("combine needs at least one line of evidence")
    evidence = {}
    for i, o in enumerate(outcomes):
        evidence[f"line{i + 1}"] = {"verdict": o.verdict.value, "method": o.method, "reason": o.reason, **o.evidence}
    methods = method or " + ".join(dict.fromkeys(o.method for o in outcomes))
    lines = {f"line{i + 1}": o for i, o in enumerate(outcomes)}
    for o in outcomes:
        if not o.verdict.positive:
            return _inherit(Outcome(o.verdict, methods, evidence, witness=o.witness, reason=o.reason), lines)
    weakest = min(outcomes, key=lambda o: o.verdict.strength)
    return _inherit(Outcome(weakest.verdict, methods, evidence, reason="; ".join(o.reason for o in outcomes)), lines)


@_issues
def corroborated(proof: Outcome, *checks: Outcome, method: Optional[str] = None) -> Outcome:
    """A proof of the claim's whole scope, with checks of part of it (a finite domain, samples) that can only veto.

    The proof alone decides a positive verdict: a check never lifts or lowers it. The first line that is not positive
    (the proof's own, or a check's counterexample) decides instead, so a check that disagrees still fails the claim.
    """
    evidence = {"proof": {"verdict": proof.verdict.value, "method": proof.method, "reason": proof.reason, **proof.evidence}}
    for i, o in enumerate(checks):
        evidence[f"check{i + 1}"] = {"verdict": o.verdict.value, "method": o.method, "reason": o.reason,
                                     "covers": "part of the claim's scope: it can refute, never prove", **o.evidence}
    methods = method or " + ".join(dict.fromkeys(o.method for o in (proof, *checks)))
    lines = {"proof": proof, **{f"check{i + 1}": o for i, o in enumerate(checks)}}
    for o in (proof, *checks):
        if not o.verdict.positive:
            return _inherit(Outcome(o.verdict, methods, evidence, witness=o.witness, reason=o.reason), lines)
    return _inherit(Outcome(proof.verdict, methods, evidence, witness=proof.witness,
                            reason="; ".join([proof.reason, *(f"checked: {o.reason}" for o in checks)])), lines)
