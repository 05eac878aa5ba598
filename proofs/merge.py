"""Merging the JSON reports of `check --shard K/N` runs into the results of the whole run; every report is distrusted."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from proofs import links, numbers, shard
from proofs.consistency import inconsistency, malformed, mismatch
from proofs.errors import UsageError
from proofs.files import read_json
from proofs.model import Claim, Result
from proofs.registry import Catalogue
from proofs.verdicts import Status, classify

__all__ = ["MAX_REPORT_BYTES", "MAX_TOTAL_BYTES", "MAX_DEPTH", "ShardReport", "read_report", "read_shard", "read_shards",
           "agree", "selected", "combine"]

# Largest report read (a shard's, or --durations), in bytes.
MAX_REPORT_BYTES = 64 * 2**20
# Largest sum of the reports one merge reads, in bytes.
MAX_TOTAL_BYTES = 512 * 2**20
# Deepest nesting of arrays and objects in a report (evidence is cut at 32 levels when a report is written).
MAX_DEPTH = 64
# The schema of the reports merged (proofs.writers.json_.SCHEMA).
SCHEMA = "proofs-report/1"
# The members of a shard's report, of its shard record, and of each result (`trusts` only for claims with links).
_TOP = {"schema", "tool", "summary", "interrupted", "load_errors", "results", "shard"}
_RECORD = {"index", "count", "claims", "plan", "selection", "options", "packs", "durations"}
_RESULT = {"id", "exercise", "part", "statement", "verdict", "status", "method", "evidence", "assumptions", "erratum",
           "reason", "seconds", "cached"}
_SUMMARY = {"total", "pass", "erratum", "fail", "load_errors", "cached", "seconds"}
_LOAD_ERROR = {"pack": str, "file": str, "line": int, "message": str}
# What every shard of one run must have in common, with the words that say so when they differ.
_AGREE = (("schema", "report schemas"), ("tool", "tool versions"), ("packs", "pack contents (claim files or engine)"),
          ("options", "options"), ("selection", "selections of claims"), ("count", "shard counts"),
          ("durations", "--durations files"), ("plan", "plans"), ("load_errors", "pack load errors"))


@dataclasses.dataclass(frozen=True)
class ShardReport:
    """Read by `read_shard`: one shard's JSON report, its shape checked, its results not yet checked against claims."""

    # The file, as given on the command line.
    path: str
    # K and N of `--shard K/N`.
    index: int
    count: int
    # The ids the plan gave this shard, in the order it checked them.
    claims: tuple[str, ...]
    # What must be the same in every shard of the run (see _AGREE), by name.
    common: Mapping[str, Any]
    results: tuple[Result, ...]
    interrupted: bool
    # The shard's checking time, in seconds.
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.path} (shard {self.index}/{self.count})"


def read_report(path: Path, what: str = "report") -> Any:
    """The JSON value of a report file: a regular file (or a link to one) of at most MAX_REPORT_BYTES, nested at most
    MAX_DEPTH deep, strict JSON (no NaN or Infinity, no key repeated in an object). Raises UsageError naming the file
    and what is wrong with it."""
    return read_json(path, MAX_REPORT_BYTES, MAX_DEPTH, lambda problem: UsageError(f"{what} {path}: {problem}"))


def _repeated(items) -> Any:
    """The first item seen twice."""
    seen = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _short(value: Any, limit: int = 80) -> str:
    text = _cut(value if isinstance(value, str) else str(value), limit)
    return repr(text) if isinstance(value, str) else text


def _names(keys) -> str:
    """At most five member names, each cut short, for a message."""
    names = sorted(keys)
    return ", ".join(_short(k, 40) for k in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _fail(path: str, problem: str) -> UsageError:
    return UsageError(f"report {path}: {problem}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _seconds(value: Any) -> bool:
    return numbers.seconds(value) is not None  # at most numbers.MAX_SECONDS: the shards' sum stays finite


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_shards(paths: Sequence[Path]) -> list[ShardReport]:
    """`read_shard` of each path: at most MAX_SHARDS of them, of at most MAX_TOTAL_BYTES together."""
    if len(paths) > shard.MAX_SHARDS:
        raise UsageError(f"{len(paths)} reports: a run has at most {shard.MAX_SHARDS} shards")
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):  # read_shard says why it cannot be read
            total += os.stat(path).st_size
    if total > MAX_TOTAL_BYTES:
        raise UsageError(f"the reports are larger than {MAX_TOTAL_BYTES // 2**20} MiB together")
    return [read_shard(path) for path in paths]


def read_shard(path: Path) -> ShardReport:
    """Read one shard's report and check its shape: every member present with its type, nothing unknown, no claim
    repeated, its results among the claims its shard was given (all of them unless it was interrupted), its summary
    counting its results. Raises UsageError naming the file and the first problem found."""
    where = str(path)
    document = read_report(path)
    if not isinstance(document, dict):
        raise _fail(where, "not a JSON report of `check` (not an object)")
    if "shard" not in document:
        raise _fail(where, "not the report of a shard: merge reads the JSON reports of `check --shard K/N --format json`")
    if document.keys() != _TOP:
        raise _fail(where, f"unexpected or missing members: {_names(document.keys() ^ _TOP)}")
    if document["schema"] != SCHEMA:
        raise _fail(where, f"schema {_short(document['schema'])}, not {SCHEMA}")
    tool, record = document["tool"], document["shard"]
    if not isinstance(tool, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tool.items()):
        raise _fail(where, "its tool versions are not names and versions")
    if not isinstance(document["interrupted"], bool):
        raise _fail(where, "interrupted is not true or false")
    errors = document["load_errors"]
    if not isinstance(errors, list) or not all(isinstance(e, dict) and e.keys() == _LOAD_ERROR.keys() and all(
            type(e[k]) is kind for k, kind in _LOAD_ERROR.items()) for e in errors):
        raise _fail(where, "its load errors are not {pack, file, line, message} objects")
    index, count, claims = _record(record, where)
    summary = document["summary"]
    if not isinstance(summary, dict) or summary.keys() != _SUMMARY or not _seconds(summary["seconds"]):
        raise _fail(where, "its summary is malformed")
    entries = document["results"]
    if not isinstance(entries, list):
        raise _fail(where, "its results are not a list")
    results = tuple(_result(entry, where, n) for n, entry in enumerate(entries))
    ids = [r.id for r in results]
    planned = set(claims)
    if len(set(ids)) != len(ids):
        raise _fail(where, f"{_short(_repeated(ids))} has two results")
    strays = [i for i in ids if i not in planned]
    if strays:
        raise _fail(where, f"a result for {_short(strays[0])}, which is not one of the claims of shard {index}/{count}")
    if not document["interrupted"] and set(ids) != planned:
        absent = sorted(planned - set(ids))
        raise _fail(where, f"no result for {len(absent)} claim(s) of shard {index}/{count} ({', '.join(absent[:5])}) and "
                           "the run was not interrupted: the shard's check did not finish properly; run it again")
    counts = {s.value: sum(r.status is s for r in results) for s in Status}
    if summary["total"] != len(results) or any(summary[k] != v for k, v in counts.items()) \
            or summary["load_errors"] != len(errors) or summary["cached"] != sum(r.cached is not None for r in results):
        raise _fail(where, "its summary does not count its results")
    common = {"schema": document["schema"], "tool": tool, "load_errors": errors,
              **{k: record[k] for k in ("packs", "options", "selection", "count", "durations", "plan")}}
    return ShardReport(where, index, count, tuple(claims), common, results, document["interrupted"], float(summary["seconds"]))


def _record(record: Any, where: str) -> tuple[int, int, list]:
    """A shard report's record of its shard, checked: its index, the count of shards, and its claims."""
    if not isinstance(record, dict) or record.keys() != _RECORD:
        raise _fail(where, "its shard record is not an object" if not isinstance(record, dict)
                    else f"its shard record has unexpected or missing members: {_names(record.keys() ^ _RECORD)}")
    index, count = record["index"], record["count"]
    if not (_whole(index) and _whole(count) and 1 <= index <= count <= shard.MAX_SHARDS):
        raise _fail(where, f"its shard is {_short(index)}/{_short(count)}, not K/N with 1 <= K <= N <= {shard.MAX_SHARDS}")
    claims = record["claims"]
    if not _strings(claims) or len(set(claims)) != len(claims):
        raise _fail(where, "its shard's claims are not a list of distinct ids")
    selection = record["selection"]
    if not (isinstance(selection, dict) and selection.keys() == {"selectors", "claims", "digest"} and _strings(selection["selectors"])
            and _whole(selection["claims"]) and isinstance(selection["digest"], str)):
        raise _fail(where, "its selection is not {selectors, claims, digest}")
    if not isinstance(record["options"], dict) or not all(isinstance(record[k], str) for k in ("plan", "packs")) \
            or not (record["durations"] is None or isinstance(record["durations"], str)):
        raise _fail(where, "its shard record's options, plan, packs or durations are malformed")
    return index, count, claims


def _result(entry: Any, where: str, n: int) -> Result:
    """One result of a report, every member of its type; raises UsageError naming it."""
    name = _short(entry.get("id")) if isinstance(entry, dict) else f"number {n}"
    if not isinstance(entry, dict) or not (_RESULT <= entry.keys() <= _RESULT | {"trusts"}):
        raise _fail(where, f"result {name} has unexpected or missing members")
    wrong = malformed(entry)
    if wrong:
        raise _fail(where, f"result {name}: {', '.join(wrong)} malformed")
    result = Result.from_json(entry)
    problem = inconsistency(result)
    if problem is not None:
        raise _fail(where, f"result {name} contradicts its own evidence: {problem}")
    return result


def agree(reports: Sequence[ShardReport]) -> Mapping[str, Any]:
    """What the shards have in common, once every shard 1..N is here exactly once, all of them agree on tool, packs,
    options, selection and plan, and their claims make up that plan without overlapping. Raises UsageError."""
    if not reports:
        raise UsageError("no reports to merge: give the JSON report of every shard")
    first = reports[0]
    for other in reports[1:]:
        for key, words in _AGREE:
            if other.common[key] != first.common[key]:
                raise UsageError(f"{first.name} and {other.name} come from different runs: their {words} differ"
                                 f"{_difference(first.common[key], other.common[key])}; merge the shards of one run")
    count = first.count
    by_index: dict[int, ShardReport] = {}
    for r in reports:
        if r.index in by_index:
            raise UsageError(f"shard {r.index}/{count} is given twice: {by_index[r.index].path} and {r.path}")
        by_index[r.index] = r
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in by_index]
    if missing:
        raise UsageError(f"shard {', '.join(missing)} missing: give the report of every shard, 1/{count} to {count}/{count}")
    owner: dict[str, ShardReport] = {}
    for r in reports:
        for claim_id in r.claims:
            if claim_id in owner:
                raise UsageError(f"the shards overlap: {owner[claim_id].name} and {r.name} both have {_short(claim_id)}")
            owner[claim_id] = r
    parts = tuple(tuple(sorted(by_index[k].claims)) for k in range(1, count + 1))
    if shard.digest(parts) != first.common["plan"]:
        raise UsageError("the shards' claims do not make up the plan they record: a report's shard K/N or its claims "
                         "were changed, or it comes from another run")
    return first.common


def _difference(a: Any, b: Any) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        return " (" + "; ".join(f"{k}: {_cut(json.dumps(a.get(k)))} vs {_cut(json.dumps(b.get(k)))}" for k in keys[:3]) + ")"
    if isinstance(a, (str, int)) and isinstance(b, (str, int)):
        return f" ({_short(a, 20)} vs {_short(b, 20)})"
    return ""


def selected(catalogue: Catalogue, selectors: Sequence[str], material: Optional[Path]) -> list[Claim]:
    """The claims the shards' selectors select here, as `check` selects them (proofs.selectors): ids, prefixes and
    globs, and files and folders taken from the current directory, with the material under `material`. A selector
    that names a path that is not here is refused (the shards were checked from another directory, or the file is
    gone), and so is one that selects nothing here, with what to do."""
    from proofs.selectors import names_file, select_claims

    for selector in selectors:
        if not names_file(selector) and (os.sep in selector or "/" in selector):
            raise UsageError(f"the shards selected the claims defined in or citing {_short(selector)}, which is not here: "
                             "merge in the directory the shards were checked from, with the same files")
    try:
        return select_claims(catalogue, selectors, material)
    except UsageError as exc:
        raise UsageError(f"the shards' selector does not select here: {exc} (a selector that named a file or folder "
                         "when the shards were checked must name it here too: merge in the directory they were checked "
                         "from)") from None


def combine(reports: Sequence[ShardReport], selected: Sequence[Claim], *, strict: bool,
            catalogue: Sequence[Claim] = ()) -> tuple[Result, ...]:
    """The results of the whole run, in the order the unsharded run gives them (`selected`, as proofs.links orders a
    selection), once the shards (see `agree`) are known to have checked exactly the selected claims and every result
    describes its claim as the claim describes itself and has a status the status rule allows for its verdict.
    Raises UsageError naming the report and the claim."""
    common = reports[0].common
    ids = [c.id for c in selected]
    if shard.digest(ids) != common["selection"]["digest"] or len(ids) != common["selection"]["claims"]:
        from proofs.selectors import names_file

        files = [s for s in common["selection"]["selectors"] if names_file(s)]
        why = ("the packs differ, or the files and folders it names (" + ", ".join(_short(f, 40) for f in files[:3])
               + ") define or are cited by other claims here" if files else "the packs differ")
        raise UsageError(f"the shards checked another selection of claims than {' '.join(common['selection']['selectors'])} "
                         f"selects here ({common['selection']['claims']} claims there, {len(ids)} here): {why}")
    owner = {i: r for r in reports for i in r.claims}
    if owner.keys() != set(ids):
        raise UsageError("the shards' claims are not the selected claims: the packs differ")
    for unit in shard.units(selected):  # what one run must check together was checked together
        apart = sorted({owner[i].name for i in unit})
        if len(apart) > 1:
            raise UsageError(f"the shards split {', '.join(unit)}, which are checked in one run (links, or an erratum and "
                             f"its correction), between {' and '.join(apart)}")
    by_id = {c.id: c for c in catalogue or selected}
    found: dict[str, Result] = {}
    source: dict[str, str] = {}
    for report in reports:
        for r in report.results:
            found[r.id] = r
            source[r.id] = report.path
    for claim in selected:
        r = found.get(claim.id)
        if r is None:
            continue
        mismatched = mismatch(claim, r)
        problem = (f"{mismatched}: the packs differ, or the report was altered" if mismatched
                   else _status_problem(claim, r, found, by_id, strict))
        if problem:
            raise _fail(source[r.id], f"result {_short(r.id)}: {problem}")
    return tuple(found[i] for i in ids if i in found)


def _status_problem(claim: Claim, r: Result, results: Mapping[str, Result], by_id: Mapping[str, Claim],
                    strict: bool) -> Optional[str]:
    """Why the result's status is more lenient than the status rule gives for its verdict (proofs.verdicts.classify,
    then related to the results of the claims it trusts as a run relates it, proofs.links.relate), or why its record
    of those links is not the one the run derives; None when neither. A status the run made stricter (fail, as a
    stale anchor makes it) stands."""
    status, _ = classify(r.verdict, requires=claim.requires, erratum=claim.erratum is not None, strict=strict)
    related = links.relate(dataclasses.replace(r, status=status, trusts=None), claim, results, by_id)
    if r.trusts != related.trusts:
        return "its record of the claims it trusts is not what their results give"
    if r.status is related.status or r.status is Status.FAIL:
        return None
    return f"status {r.status.value} for verdict {r.verdict.value}, where the status rule gives {related.status.value}"
