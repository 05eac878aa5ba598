"""Sharding a run: a deterministic, balanced plan that splits the selected claims into N parts, links kept whole."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib
import json
import math
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from proofs.cache import files_under
from proofs.model import Claim

__all__ = ["MAX_SHARDS", "Shard", "parse", "units", "durations", "plan", "digest", "contents_digest", "record"]

# The most shards a run may be split into.
MAX_SHARDS = 1000
# A recorded claim cost is counted in whole milliseconds, at least 1 and at most a day (the largest --timeout).
_MAX_COST_MS = 86400 * 1000
_SHARD = re.compile(r"([1-9][0-9]{0,5})/([1-9][0-9]{0,5})", re.ASCII)


@dataclasses.dataclass(frozen=True)
class Shard:
    """Given by `check --shard K/N`: check the K-th of N parts of the selected claims."""

    # K, counted from 1.
    index: int
    # N, the number of parts.
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(text: str) -> Shard:
    """`K/N` as argparse calls a `type`: whole numbers written plainly, 1 <= K <= N <= MAX_SHARDS, or
    argparse.ArgumentTypeError naming the text (a usage error)."""
    shown = repr(text) if len(str(text)) <= 40 else repr(str(text)[:40] + "...")
    found = _SHARD.fullmatch(text) if isinstance(text, str) else None
    index, count = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    if not found or index > count or count > MAX_SHARDS:
        raise argparse.ArgumentTypeError(f"expected K/N, whole numbers with 1 <= K <= N <= {MAX_SHARDS} (e.g. 2/4), got {shown}")
    return Shard(index, count)


def units(claims: Sequence[Claim]) -> list[tuple[str, ...]]:
    """The claims in groups that are always checked in the same run, each group's ids sorted, groups sorted.

    A claim's result is related to the results of the claims it trusts in the run that checks it (proofs.links), and
    an erratum is replayed against its corrected claim: a claim, every claim it trusts and an erratum with its
    correction are joined, transitively. Links to claims outside `claims` join nothing (the run did not check them)."""
    ids = {c.id for c in claims}
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: str, b: str) -> None:
        if b in ids:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    for c in claims:
        for t in c.trusts:
            if isinstance(t, Claim):
                join(c.id, t.id)
        corrected_by = getattr(c.erratum, "corrected_by", None)
        if isinstance(corrected_by, str):
            join(c.id, corrected_by)
        if c.correction is not None:
            join(c.id, c.correction.id)
        for companion in c.companions:
            join(c.id, companion.id)
    groups: dict[str, list[str]] = {}
    for i in sorted(ids):
        groups.setdefault(root(i), []).append(i)
    return sorted(tuple(g) for g in groups.values())


def durations(document: Any, source: str) -> dict[str, int]:
    """The cost of each claim, in milliseconds, from a JSON report of an earlier run (`check --format json`, or a
    merged one): its `seconds`, or for a result reused from the cache the seconds it took when it was computed.

    Raises ValueError naming `source` when the document is not such a report or repeats a claim."""
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise ValueError(f"{source}: not a JSON report of `check` (it has no list of results)")
    costs: dict[str, int] = {}
    for n, r in enumerate(results):
        claim_id = r.get("id") if isinstance(r, dict) else None
        if not isinstance(claim_id, str):
            raise ValueError(f"{source}: result {n} has no id")
        if claim_id in costs:
            raise ValueError(f"{source}: {claim_id!r} appears twice")
        cached = r.get("cached")
        seconds = cached.get("seconds") if isinstance(cached, dict) else r.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or (isinstance(seconds, float) and not math.isfinite(seconds)) or seconds < 0:
            raise ValueError(f"{source}: result {claim_id!r} has no finite, non-negative seconds")
        # clamped to a day before it is multiplied (1e308 seconds would overflow, and is a day's cost like any other)
        costs[claim_id] = max(1, round(min(seconds, _MAX_COST_MS // 1000) * 1000))
    return costs


def plan(claims: Sequence[Claim], count: int, costs: Optional[Mapping[str, int]] = None) -> tuple[tuple[str, ...], ...]:
    """The ids each of `count` shards checks (sorted in each shard): every unit (see `units`) whole in one shard.

    Units are placed heaviest first, each into the shard with the least work so far (the lowest index on a tie), the
    heaviest ties broken by their first id. A unit's weight is the sum of its claims' costs: recorded costs in
    milliseconds where `costs` has them (a claim it lacks costs the median of those it has), otherwise 1 per claim.
    Only ids, links and costs decide the plan: not the order claims were loaded in, the machine or --jobs."""
    groups = units(claims)
    known = sorted(costs[c.id] for c in claims if costs and c.id in costs)
    default = known[(len(known) - 1) // 2] if known else 1
    weight = {c.id: (costs.get(c.id, default) if costs else 1) for c in claims}
    order = sorted(groups, key=lambda g: (-sum(weight[i] for i in g), g[0]))
    loads, parts = [0] * count, [[] for _ in range(count)]
    for group in order:
        k = min(range(count), key=lambda k: (loads[k], k))
        loads[k] += sum(weight[i] for i in group)
        parts[k].extend(group)
    return tuple(tuple(sorted(p)) for p in parts)


def record(part: Shard, parts: Sequence[Sequence[str]], claims: Sequence[str], *, selectors: Sequence[str],
           selected: Sequence[str], options: Mapping[str, Any], packs: str, costs: Optional[Mapping[str, int]]) -> dict:
    """What a shard's JSON report records (its "shard" member) so that `merge` can tell the shards of one run apart
    from anything else: K and N, the ids it checked in the order it checked them, the digest of the whole plan, the
    selection (selectors, how many claims, the digest of their ids in run order), the options that can change a
    verdict or status or a report, the digest of the packs and engine (`contents_digest`) and of the costs used."""
    return {"index": part.index, "count": part.count, "claims": list(claims), "plan": digest(parts),
            "selection": {"selectors": list(selectors), "claims": len(selected), "digest": digest(list(selected))},
            "options": dict(options), "packs": packs, "durations": digest(dict(costs)) if costs is not None else None}


def digest(value: Any) -> str:
    """The sha256 of a JSON value written canonically (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()).hexdigest()


def contents_digest(roots: Iterable[Path]) -> str:
    """The sha256 of every regular file of the packs' roots and of the engine (`proofs`, with its claims and solvers),
    each named relative to its root's parent, in a fixed order (proofs.cache.files_under: not __pycache__, .git,
    compiled modules or a cache folder)."""
    engine = [Path(importlib.import_module(name).__file__).parent for name in ("proofs", "proofs.solvers", "proofs.claims")]
    h = hashlib.sha256()
    seen: set[str] = set()
    for root in sorted({Path(os.path.realpath(r)) for r in [*roots, *engine]}):
        for path, sha in files_under(root):
            name = path.relative_to(root.parent).as_posix()
            if name not in seen:
                seen.add(name)
                h.update(f"{len(name)}:{name}:{sha}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
