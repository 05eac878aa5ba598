"""Links between claims: what a claim trusts, followed transitively, and what that does to its result."""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping, Optional, Sequence

from proofs.model import Claim, Lemma, Result
from proofs.verdicts import Status

__all__ = ["problems", "closure", "with_trusted", "ordered", "relate"]


def problems(claims: Sequence[Claim]) -> list[tuple[Claim, str]]:
    """Links that cannot stand: a trusted claim that is not loaded, and trust cycles. One (claim, message) per
    problem. (An erratum's correction is checked where the packs are loaded.)"""
    by_id = {c.id: c for c in claims}
    out: list[tuple[Claim, str]] = []
    for c in claims:
        for t in c.trusts:
            if isinstance(t, Claim) and t.id not in by_id:
                out.append((c, f"trusts {t.id}, which is not a loaded claim"))
    out.extend(_cycles(claims, by_id))
    return out


def _cycles(claims: Sequence[Claim], by_id: Mapping[str, Claim]) -> list[tuple[Claim, str]]:
    state: dict[str, int] = {}  # 1 while on the path, 2 when done
    found: list[tuple[Claim, str]] = []

    def visit(c: Claim, path: list[str]) -> None:
        state[c.id] = 1
        for t in c.trusts:
            if not isinstance(t, Claim) or t.id not in by_id:
                continue
            if state.get(t.id) == 1:
                cycle = path[path.index(t.id):] + [t.id]
                found.append((by_id[t.id], "trust cycle: " + " -> ".join(cycle)))
            elif state.get(t.id) is None:
                visit(by_id[t.id], path + [t.id])
        state[c.id] = 2

    for c in claims:
        if c.id not in state:
            visit(c, [c.id])
    return found


def closure(claim: Claim, by_id: Optional[Mapping[str, Claim]] = None) -> tuple[list[str], list[Lemma]]:
    """Every claim id and every lemma the claim rests on, directly or through the claims it trusts, in first-seen
    order; a lemma's sampling claim is not a dependency."""
    ids: dict[str, None] = {}
    lemmas: dict[str, Lemma] = {}
    stack = list(reversed(claim.trusts))
    while stack:
        t = stack.pop()
        if isinstance(t, Lemma):
            lemmas.setdefault(t.name, t)
            continue
        if t.id in ids or t.id == claim.id:
            continue
        ids[t.id] = None
        current = by_id.get(t.id, t) if by_id else t
        stack.extend(reversed(current.trusts))
    return list(ids), list(lemmas.values())


def with_trusted(selected: Iterable[Claim], claims: Sequence[Claim]) -> list[Claim]:
    """The selected claims and every claim they trust, transitively, each after what it trusts and otherwise in
    catalogue order: a claim is only as good as what it rests on, so what it rests on is checked in the same run."""
    by_id = {c.id: c for c in claims}
    wanted = {}
    for c in selected:
        wanted[c.id] = None
        wanted.update(dict.fromkeys(i for i in closure(c, by_id)[0] if i in by_id))
    return ordered([c for c in claims if c.id in wanted])


def ordered(claims: Sequence[Claim]) -> list[Claim]:
    """The claims with every one after the claims it trusts (a cycle, a load error, keeps catalogue order)."""
    by_id = {c.id: c for c in claims}
    out: dict[str, Claim] = {}
    visiting: set[str] = set()

    def place(c: Claim) -> None:
        if c.id in out or c.id in visiting:
            return
        visiting.add(c.id)
        for t in c.trusts:
            if isinstance(t, Claim) and t.id in by_id:
                place(by_id[t.id])
        visiting.discard(c.id)
        out[c.id] = c

    for c in claims:
        place(c)
    return list(out.values())


def relate(result: Result, claim: Claim, results: Mapping[str, Result], by_id: Mapping[str, Claim]) -> Result:
    """The claim's result as it stands on what it trusts: "proved, relative to X (not_refuted)".

    It fails when a trusted claim was not checked, did not pass, or established less than this claim requires;
    otherwise its status stands and its reason names what it is relative to. Lemmas are listed, never weaken it.
    """
    ids, lemmas = closure(claim, by_id)
    if not ids and not lemmas:
        return result
    verdicts = {i: (results[i].verdict.value if i in results else "not checked") for i in ids}
    statuses = {i: (results[i].status if i in results else None) for i in ids}
    weakest = min((results[i].verdict for i in ids if i in results), key=lambda v: v.strength, default=None)
    links = {"claims": verdicts, "weakest": weakest.value if weakest else None, "lemmas": [lm.name for lm in lemmas]}
    relative = ", ".join(f"{i} ({v})" for i, v in verdicts.items()) or "no claim"
    if lemmas:
        relative += "; lemmas " + ", ".join(lm.name for lm in lemmas)
    trouble = [i for i in ids if statuses[i] is not Status.PASS]
    weak = [i for i in ids if i in results and results[i].verdict.strength < claim.requires.strength]
    if result.status is not Status.FAIL and (trouble or (weak and result.verdict.positive)):
        bad = trouble or weak
        why = ("rests on " + ", ".join(f"{i} ({verdicts[i]}{', ' + statuses[i].value if statuses[i] else ''})" for i in bad)
               + (f", weaker than the {claim.requires.value} it requires" if not trouble else ""))
        return dataclasses.replace(result, status=Status.FAIL, reason=f"{why}; the check itself: {result.verdict.value} "
                                   f"({result.reason})", trusts=links)
    return dataclasses.replace(result, reason=f"{result.reason}; relative to {relative}", trusts=links)
