"""Turning neutral solver answers into outcomes: the only place where solver answers become verdicts."""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Optional

from proofs.model import Outcome
from proofs.verdicts import Verdict
from proofs.solvers.enumerate import ExhaustAnswer
from proofs.solvers.experiment import PairedTest
from proofs.solvers.sampling import SampleAnswer
from proofs.solvers.smt import SmtAnswer
from proofs.solvers.symbolic import IdentityAnswer

__all__ = ["validity", "existence", "exhausted", "sampled", "identity", "experiment", "computed", "disagreement",
           "undecided", "annotated", "combine", "corroborated"]


# Every outcome a helper here made, by identity (kept alive so that an identity is never reused): the verdicts the
# engine derived from solver answers. An outcome a check built itself is not here, and its report says so.
_ISSUED: dict[int, Outcome] = {}


def issued(outcome: Any) -> bool:
    """Whether a helper of this module made this outcome from solver answers (or from outcomes it made)."""
    return _ISSUED.get(id(outcome)) is outcome


def _issues(helper: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """Record what the helper returns as derived, when every outcome it was given was derived too."""
    @functools.wraps(helper)
    def wrapper(*args: Any, **kwargs: Any) -> Outcome:
        outcome = helper(*args, **kwargs)
        if all(issued(a) for a in (*args, *kwargs.values()) if isinstance(a, Outcome)):
            _ISSUED[id(outcome)] = outcome
        return outcome
    return wrapper


def _smt_evidence(answer: SmtAnswer, evidence: Optional[Mapping[str, Any]]) -> dict:
    return {**(evidence or {}), "z3": answer.answer, "smt2_chars": len(answer.smt2)}


@_issues
def validity(answer: SmtAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
             counterexample: Callable[[Mapping[str, Any]], Mapping[str, Any]] = dict) -> Outcome:
    """A universal claim checked as unsat of its negation: unsat proves it, sat refutes it with the model."""
    ev = _smt_evidence(answer, evidence)
    if answer.answer == "unsat":
        return Outcome(Verdict.PROVED, "z3", ev, reason="negation unsatisfiable")
    if answer.answer == "sat":
        return Outcome(Verdict.REFUTED, "z3", ev, witness=counterexample(answer.model), reason="z3 found a counterexample")
    return Outcome(Verdict.UNKNOWN, "z3", ev, reason=f"z3 unknown: {answer.reason}")


@_issues
def existence(answer: SmtAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
              witness: Callable[[Mapping[str, Any]], Mapping[str, Any]] = dict,
              certificate: Optional[Mapping[str, Any]] = None) -> Outcome:
    """An existential claim: sat proves it with a witness; unsat refutes it, with a certificate to replay."""
    ev = _smt_evidence(answer, evidence)
    if answer.answer == "sat":
        return Outcome(Verdict.PROVED, "z3", ev, witness=witness(answer.model), reason="z3 found a witness")
    if answer.answer == "unsat":
        return Outcome(Verdict.REFUTED, "z3", ev, witness=certificate, reason="no witness exists (z3 unsat)")
    return Outcome(Verdict.UNKNOWN, "z3", ev, reason=f"z3 unknown: {answer.reason}")


@_issues
def exhausted(answer: ExhaustAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
              counterexample: Callable[[Any], Mapping[str, Any]] = lambda x: {"element": x}) -> Outcome:
    """A claim over a finite domain: every element checked, or the first failing one."""
    ev = {**(evidence or {}), "domain": answer.domain, "domain_size": answer.size}
    if answer.holds:
        return Outcome(Verdict.EXHAUSTED, "enumeration", ev, reason=f"all {answer.size} cases of {answer.domain}")
    return Outcome(Verdict.REFUTED, "enumeration", ev, witness=counterexample(answer.counterexample), reason="enumeration found a counterexample")


@_issues
def sampled(answer: SampleAnswer, *, evidence: Optional[Mapping[str, Any]] = None,
            counterexample: Callable[[Any], Mapping[str, Any]] = lambda x: {"sample": x}) -> Outcome:
    """A claim tested on seeded samples: not refuted by N samples, never proved."""
    ev = {**(evidence or {}), "samples": answer.n, "seed": answer.seed}
    if answer.holds:
        return Outcome(Verdict.NOT_REFUTED, "sampling", ev, reason=f"not refuted by {answer.n} samples (seed {answer.seed})")
    return Outcome(Verdict.REFUTED, "sampling", ev, witness=counterexample(answer.counterexample), reason="a sample refuted it")


@_issues
def identity(answer: IdentityAnswer, *, evidence: Optional[Mapping[str, Any]] = None) -> Outcome:
    """A symbolic identity: shown by simplification, refuted at an exact point, otherwise unknown."""
    ev = {**(evidence or {}), "difference": answer.difference}
    if answer.holds is True:
        return Outcome(Verdict.PROVED, "sympy", ev, reason="difference simplifies to 0")
    if answer.holds is False:
        return Outcome(Verdict.REFUTED, "sympy", ev, witness=dict(answer.point), reason="sides differ at an exact point")
    return Outcome(Verdict.UNKNOWN, "sympy", ev, reason="simplification did not settle the identity")


@_issues
def experiment(test: PairedTest, *, alpha: float, evidence: Optional[Mapping[str, Any]] = None,
               witness: Optional[Mapping[str, Any]] = None) -> Outcome:
    """A claimed positive effect: supported when significant at alpha with the interval above 0; refuted when the
    opposite effect is significant; otherwise unknown (an inconclusive experiment never passes)."""
    stats = {"pairs": test.n, "effect": test.mean, "sd": test.sd, "ci95": [test.ci_low, test.ci_high],
             "p_effect_positive": test.p_greater, "p_effect_negative": test.p_less, "alpha": alpha,
             "resamples": test.resamples, "stats_seed": test.seed}
    ev = {**(evidence or {}), "test": stats}
    if test.p_greater < alpha and test.ci_low > 0:
        return Outcome(Verdict.SUPPORTED, "experiment", ev, reason=f"effect {test.mean:.4g} > 0, p = {test.p_greater:.2g} < {alpha}")
    if test.p_less < alpha and test.ci_high < 0:
        return Outcome(Verdict.REFUTED, "experiment", ev, witness=witness,
                       reason=f"the opposite effect is significant: {test.mean:.4g} < 0, p = {test.p_less:.2g}")
    return Outcome(Verdict.UNKNOWN, "experiment", ev, reason=f"inconclusive: effect {test.mean:.4g}, p = {test.p_greater:.2g}")


@_issues
def computed(holds: bool, *, witness: Mapping[str, Any], method: str = "exact arithmetic",
             evidence: Optional[Mapping[str, Any]] = None, reason: str = "", failure: str = "") -> Outcome:
    """A finite claim decided by an exact computation: proved when it holds, refuted otherwise. Either way it comes
    with the witness the computation decided, which the engine replays independently (a proof by computation is only
    as good as that replay)."""
    if not isinstance(holds, bool):
        raise TypeError(f"an exact computation decides True or False, got {holds!r}")
    if holds:
        return Outcome(Verdict.PROVED, method, dict(evidence or {}), witness=dict(witness), reason=reason or "exact computation")
    return Outcome(Verdict.REFUTED, method, dict(evidence or {}), witness=dict(witness), reason=failure or "exact computation refutes it")


@_issues
def disagreement(method: str, evidence: Optional[Mapping[str, Any]], reason: str) -> Outcome:
    """Two independent methods reached different answers: the claim is an error, whatever either said."""
    return Outcome(Verdict.ERROR, method, dict(evidence or {}), reason=reason)


@_issues
def undecided(method: str, evidence: Optional[Mapping[str, Any]], reason: str) -> Outcome:
    """The methods tried did not settle the claim: unknown, which never passes."""
    return Outcome(Verdict.UNKNOWN, method, dict(evidence or {}), reason=reason)


@_issues
def annotated(outcome: Outcome, *, method: Optional[str] = None, **evidence: Any) -> Outcome:
    """The same outcome (verdict, witness, reason unchanged) with more evidence, or a fuller method name."""
    return Outcome(outcome.verdict, method or outcome.method, {**outcome.evidence, **evidence}, outcome.witness, outcome.reason)


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
    for o in outcomes:
        if not o.verdict.positive:
            return Outcome(o.verdict, methods, evidence, witness=o.witness, reason=o.reason)
    weakest = min(outcomes, key=lambda o: o.verdict.strength)
    return Outcome(weakest.verdict, methods, evidence, reason="; ".join(o.reason for o in outcomes))


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
    for o in (proof, *checks):
        if not o.verdict.positive:
            return Outcome(o.verdict, methods, evidence, witness=o.witness, reason=o.reason)
    return Outcome(proof.verdict, methods, evidence, witness=proof.witness,
                   reason="; ".join([proof.reason, *(f"checked: {o.reason}" for o in checks)]))
