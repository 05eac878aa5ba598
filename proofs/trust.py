"""Commands that audit the checker itself: SMT-LIB export, the mutation sweep and the assumption audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Sequence, TextIO

from proofs.errors import UsageError
from proofs.model import Claim
from proofs.report import write_atomically
from proofs.runner import Task, default_jobs, run
from proofs.verdicts import ExitCode, Verdict

__all__ = ["export_smt", "mutants", "audit", "assumption_table"]


def export_smt(claims: Sequence[Claim], directory: Path, out: TextIO, *, timeout: float) -> int:
    """Write every z3 query of the claims' checks as a standalone .smt2 file."""
    if not directory.is_dir():
        raise UsageError(f"--dir {directory}: not a directory")
    outcome = run([Task(c) for c in claims], timeout=timeout, jobs=default_jobs(), export=True)
    written, failed = 0, []
    for result in outcome.results:
        queries = result.evidence.get("smt_queries", [])
        for n, text in enumerate(queries, start=1):
            write_atomically(directory / f"{result.id}.{n}.smt2", text)
            written += 1
        if result.verdict in (Verdict.ERROR, Verdict.TIMEOUT):
            failed.append(f"{result.id}: {result.verdict.value}: {result.reason}")
    for line in failed:
        out.write(f"not exported: {line}\n")
    out.write(f"{written} queries from {sum(bool(r.evidence.get('smt_queries')) for r in outcome.results)} claims written to {directory}\n")
    return ExitCode.FAILURES if failed else ExitCode.OK


def mutants(claims: Sequence[Claim], out: TextIO, *, timeout: float, jobs: Optional[int]) -> int:
    """Run every perturbation; report per claim how many were refuted (killed). Survivors and gaps fail."""
    tasks = [Task(c, p) for c in claims for p in c.perturbations]
    outcome = run(tasks, timeout=timeout, jobs=jobs or default_jobs())
    by_claim: dict[str, list] = {c.id: [] for c in claims}
    for task, result in zip(tasks, outcome.results):
        by_claim[task.claim.id].append((task.perturbation.name, result))
    width = max((len(c.id) for c in claims), default=10)
    survivors = gaps = 0
    for c in claims:
        rows = by_claim[c.id]
        if not rows:
            gaps += 1
            out.write(f"{c.id:<{width}}  GAP: no perturbation, so nothing shows this check can fail\n")
            continue
        killed = [name for name, r in rows if r.verdict is Verdict.REFUTED]
        out.write(f"{c.id:<{width}}  {len(killed)}/{len(rows)} killed\n")
        for name, r in rows:
            if r.verdict is not Verdict.REFUTED:
                survivors += 1
                out.write(f"    survived {name}: {r.verdict.value}: {r.reason}\n")
    total = len(tasks)
    out.write(f"{total - survivors}/{total} perturbations killed, {survivors} survived, {gaps} claims without perturbations\n")
    if outcome.interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.FAILURES if survivors or gaps else ExitCode.OK


def assumption_table(claims: Sequence[Claim]) -> dict[str, list[str]]:
    """claim id -> its assumptions and trusted lemmas, in the order it states them."""
    return {c.id: list(c.assumptions) for c in claims}


def audit(claims: Sequence[Claim], out: TextIO, *, baseline: Optional[Path], as_json: bool) -> int:
    """List what every claim trusts and, in total, which claims trust each assumption (as Lean's #print axioms)."""
    table = assumption_table(claims)
    if as_json:
        out.write(json.dumps(table, indent=2, sort_keys=True) + "\n")
    else:
        for claim_id, items in table.items():
            out.write(f"{claim_id} trusts {len(items)}:\n")
            for a in items:
                out.write(f"    {a}\n")
        users: dict[str, list[str]] = {}
        for claim_id, items in table.items():
            for a in items:
                users.setdefault(a, []).append(claim_id)
        out.write(f"\n{len(users)} distinct assumptions across {len(table)} claims:\n")
        for a, ids in sorted(users.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            out.write(f"  [{len(ids)}] {a}\n")
    if baseline is None:
        return ExitCode.OK
    try:
        recorded = json.loads(Path(baseline).read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"--baseline {baseline}: cannot read a JSON audit ({exc}); write one with `audit --json`") from None
    now = {(cid, a) for cid, items in table.items() for a in items}
    before = {(cid, a) for cid, items in recorded.items() if cid in table for a in items}
    added, removed = sorted(now - before), sorted(before - now)
    new_claims = sorted(set(table) - set(recorded))
    for cid, a in added:
        out.write(f"added: {cid}: {a}\n")
    for cid, a in removed:
        out.write(f"removed: {cid}: {a}\n")
    if added or removed or new_claims:
        out.write(f"the assumptions changed ({len(added)} added, {len(removed)} removed, {len(new_claims)} new claims): "
                  f"review them, then update {baseline} with `audit --json`\n")
        return ExitCode.FAILURES
    out.write(f"assumptions unchanged from {baseline}\n")
    return ExitCode.OK
