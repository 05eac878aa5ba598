"""Commands that audit the checker itself: SMT-LIB export, the mutation sweep and the assumption audit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence, TextIO

from proofs import links
from proofs.cache import ResultCache
from proofs.errors import UsageError
from proofs.files import read_json
from proofs.model import Claim
from proofs.report import deferred_signals, plain, write_atomically
from proofs.runner import Task, default_jobs, run
from proofs.verdicts import ExitCode, Verdict

__all__ = ["export_smt", "mutants", "audit", "assumption_table", "Baseline", "read_baseline"]

# The largest --baseline file read, and how deeply it may nest (an object of lists of strings nests 2 deep).
MAX_BASELINE_BYTES = 16 * 2**20
_MAX_DEPTH = 8


def export_smt(claims: Sequence[Claim], directory: Path, out: TextIO, *, timeout: float, err: Optional[TextIO] = None,
               prepare: Optional[Callable[[], None]] = None) -> int:
    """Write every z3 query of the claims' checks as a standalone .smt2 file into an existing directory."""
    if not directory.is_dir():
        raise UsageError(f"--dir {directory}: not a directory")
    err = err or out
    outcome = run([Task(c) for c in claims], timeout=timeout, jobs=default_jobs(), export=True, prepare=prepare)
    written, failed, unwritten = 0, [], []
    with deferred_signals() as held:  # a Ctrl-C now would leave a query half written
        for result in outcome.results:
            queries = result.evidence.get("smt_queries", [])
            for n, text in enumerate(queries, start=1):
                target = directory / f"{result.id}.{n}.smt2"
                try:
                    write_atomically(target, text)
                except (OSError, UnicodeError) as exc:
                    unwritten.append(f"error: cannot write {target}: {getattr(exc, 'strerror', None) or exc}")
                    continue
                written += 1
            if result.verdict in (Verdict.ERROR, Verdict.TIMEOUT):
                failed.append(f"{result.id}: {result.verdict.value}: {result.reason}")
        if not outcome.interrupted:
            failed += [f"{c.id}: no result" for c in claims if c.id not in {r.id for r in outcome.results}]
        for line in failed:
            out.write(plain(f"not exported: {line}") + "\n")
        out.write(f"{written} queries from {sum(bool(r.evidence.get('smt_queries')) for r in outcome.results)} claims written to {plain(directory)}\n")
        if outcome.interrupted:
            out.write(f"interrupted: {len(claims) - len(outcome.results)} of {len(claims)} claims not run\n")
        for line in unwritten:
            err.write(plain(line) + "\n")
    if unwritten:
        return ExitCode.INTERNAL_ERROR
    if outcome.interrupted or held:
        return ExitCode.INTERRUPTED
    return ExitCode.FAILURES if failed else ExitCode.OK


def mutants(claims: Sequence[Claim], out: TextIO, *, timeout: float, jobs: Optional[int],
            prepare: Optional[Callable[[], None]] = None) -> int:
    """Run every perturbation; report per claim how many were refuted (killed). Survivors, gaps and perturbations
    left unrun by an interrupt fail."""
    tasks = [Task(c, p) for c in claims for p in c.perturbations]
    outcome = run(tasks, timeout=timeout, jobs=jobs or default_jobs(), prepare=prepare)
    with deferred_signals() as held:  # the report is written whole, even if Ctrl-C is pressed again
        code = _mutants_report(claims, tasks, outcome, out)
    return ExitCode.INTERRUPTED if held and code == ExitCode.OK else code


def _mutants_report(claims: Sequence[Claim], tasks: Sequence[Task], outcome, out: TextIO) -> int:
    # results are paired with their perturbations by id: after an interrupt, the finished ones need not be a prefix
    finished = {r.id: r for r in outcome.results}
    by_claim: dict[str, list] = {c.id: [] for c in claims}
    for task in tasks:
        by_claim[task.claim.id].append((task.perturbation.name, finished.get(f"{task.claim.id}~{task.perturbation.name}")))
    width = max((len(c.id) for c in claims), default=10)
    why = "interrupted" if outcome.interrupted else "no result"  # without an interrupt, a missing result still fails
    survivors = gaps = unrun = 0
    for c in claims:
        rows = by_claim[c.id]
        if not rows and c.erratum is not None:  # refuting the printed claim already shows its check can fail
            out.write(f"{c.id:<{width}}  erratum: no mutants of its own; the corrected claim {plain(c.erratum.corrected_by)} has them\n")
            continue
        if not rows:
            gaps += 1
            out.write(f"{c.id:<{width}}  GAP: no perturbation, so nothing shows this check can fail\n")
            continue
        killed = [name for name, r in rows if r is not None and r.verdict is Verdict.REFUTED]
        out.write(f"{c.id:<{width}}  {len(killed)}/{len(rows)} killed\n")
        for name, r in rows:
            if r is None:
                unrun += 1
                out.write(plain(f"    not run ({why}) {name}") + "\n")
            elif r.verdict is not Verdict.REFUTED:
                survivors += 1
                out.write(plain(f"    survived {name}: {r.verdict.value}: {r.reason}") + "\n")
    total = len(tasks)
    out.write(f"{total - survivors - unrun}/{total} perturbations killed, {survivors} survived, "
              f"{gaps} claims without perturbations" + (f", {unrun} not run ({why})" if unrun else "") + "\n")
    if outcome.interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.FAILURES if survivors or gaps or unrun else ExitCode.OK


# The line a claim whose check built its own verdict gets in the audit (and so in a baseline).
ASSERTED = "its verdict is asserted by the claim's code, not derived from a solver's answer"


def assumption_table(claims: Sequence[Claim], catalogue: Sequence[Claim] = (),
                     asserted: Sequence[str] = ()) -> dict[str, list[str]]:
    """claim id -> its assumptions in the order it states them, then every claim and lemma it rests on, followed
    transitively through the claims it trusts (computed from the links, like Lean's #print axioms), and whether its
    check asserted its own verdict (the ids in `asserted`, from running the checks)."""
    by_id = {c.id: c for c in (*catalogue, *claims)}
    table = {}
    for c in claims:
        ids, lemmas = links.closure(c, by_id)
        table[c.id] = [*c.assumptions, *(f"trusts claim {i}" for i in ids),
                       *(f"lemma {lm.name}: {lm.statement}" + (f" ({lm.source})" if lm.source else "") for lm in lemmas),
                       *([ASSERTED] if c.id in asserted else [])]
    return table


def asserted_verdicts(claims: Sequence[Claim], *, timeout: float, prepare: Optional[Callable[[], None]] = None,
                      cache: Optional[ResultCache] = None) -> list[str]:
    """The ids of the claims whose check returned a verdict it built itself (proofs.interpret did not make it). With a
    cache, a result stored for identical inputs (and still valid for what its check read) is read, not run again."""
    outcome = run([Task(c) for c in claims], timeout=timeout, jobs=default_jobs(), prepare=prepare, cache=cache)
    return [r.id for r in outcome.results if isinstance(r.evidence, Mapping) and r.evidence.get("verdict_asserted") is True]


@dataclasses.dataclass(frozen=True)
class Baseline:
    """Produced by `read_baseline`: a reviewed audit, as `audit --json` writes it."""

    # The file it was read from, for messages.
    path: Path
    # claim id -> the assumptions it trusted when the baseline was written.
    table: Mapping[str, tuple[str, ...]]


_BASELINE_SHAPE = 'a JSON object mapping each claim id to its list of assumptions, {"ex1.a.x": ["..."]}; write one with `audit --json`'


def read_baseline(path: Path) -> Baseline:
    """Read a --baseline file, or raise UsageError naming the file and the shape expected."""

    def wrong(problem: str) -> UsageError:
        return UsageError(plain(f"--baseline {path}: {problem}; expected {_BASELINE_SHAPE}"))

    recorded = read_json(path, MAX_BASELINE_BYTES, _MAX_DEPTH, wrong)
    if not isinstance(recorded, dict):
        kind = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(type(recorded), "a number")
        raise wrong(f"it holds {kind}")
    for claim_id, items in recorded.items():
        if not isinstance(items, list) or not all(isinstance(a, str) for a in items):
            raise wrong(f"the entry for {claim_id!r} is not a list of strings")
    return Baseline(Path(path), {cid: tuple(items) for cid, items in recorded.items()})


def audit(claims: Sequence[Claim], out: TextIO, *, baseline: Optional[Baseline], as_json: bool,
          catalogue: Sequence[Claim] = (), asserted: Sequence[str] = ()) -> int:
    """List what every claim trusts and, in total, which claims trust each assumption (as Lean's #print axioms)."""
    table = assumption_table(claims, catalogue, asserted)
    if as_json:
        out.write(json.dumps(table, indent=2, sort_keys=True) + "\n")
    else:
        for claim_id, items in table.items():
            out.write(f"{claim_id} trusts {len(items)}:\n")
            for a in items:
                out.write(f"    {plain(a)}\n")
        users: dict[str, list[str]] = {}
        for claim_id, items in table.items():
            for a in items:
                users.setdefault(a, []).append(claim_id)
        out.write(f"\n{sum(ASSERTED in items for items in table.values())} verdicts asserted by claim code\n")
        out.write(f"\n{len(users)} distinct assumptions across {len(table)} claims:\n")
        for a, ids in sorted(users.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            out.write(f"  [{len(ids)}] {plain(a)}\n")
    if baseline is None:
        return ExitCode.OK
    recorded = baseline.table
    now = {(cid, a) for cid, items in table.items() for a in items}
    before = {(cid, a) for cid, items in recorded.items() if cid in table for a in items}
    added, removed = sorted(now - before), sorted(before - now)
    new_claims = sorted(set(table) - set(recorded))
    for cid, a in added:
        out.write(plain(f"added: {cid}: {a}") + "\n")
    for cid, a in removed:
        out.write(plain(f"removed: {cid}: {a}") + "\n")
    name = plain(baseline.path)
    if added or removed or new_claims:
        out.write(f"the assumptions changed ({len(added)} added, {len(removed)} removed, {len(new_claims)} new claims): "
                  f"review them, then update {name} with `audit --json`\n")
        return ExitCode.FAILURES
    out.write(f"assumptions unchanged from {name}\n")
    return ExitCode.OK
