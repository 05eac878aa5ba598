"""Command line: every command takes its streams and returns an exit code; options are checked before anything runs."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from proofs import __version__, links, processes, shard
from proofs.anchors import verify
from proofs.cache import DEFAULT_DIR, ENV_DIR, ResultCache, default_directory, digest_inputs, foreign
from proofs.errors import ProofsError, UsageError
from proofs.registry import Catalogue, load, select
from proofs.selectors import names_file, select_claims
from proofs.report import (DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, JOBS, MEMORY_MB, PERCENT, TIMEOUT, deferred_signals,
                           output_problem, plain, prepare_directory, rerun_prefix, tool_versions, use_colour,
                           write_atomically)
from proofs.jsonsafe import jsonable
from proofs.writers.base import checked_lines, commentary
from proofs.writers.escape import visible
from proofs.writers import FORMATS, ReportContext, writer_for
from proofs.verdicts import ExitCode, Status

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit 2
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser(command: Optional[str] = None) -> argparse.ArgumentParser:
    """The command line's parser. `scan`'s options come from proofs.scan, imported only when `command` is "scan"."""
    parser = _Parser(prog="proofs", description="Prove, refute or measure the claims of course material.")
    parser.add_argument("--version", action="version", version=f"proofs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    common = _Parser(add_help=False)
    common.add_argument("--claims", action="append", default=[], type=Path, metavar="PATH",
                        help="also load the claim modules in this directory (repeatable)")

    reports = _Parser(add_help=False)  # what check and merge write, and how
    reports.add_argument("--format", action="append", choices=sorted(FORMATS), default=[], dest="formats",
                         help="report format, repeatable: text (default), json, markdown, junit, html, annotated, github "
                              "(workflow-command annotations), sarif (SARIF 2.1.0)")
    reports.add_argument("--output", action="append", type=Path, default=[], dest="outputs", metavar="FILE",
                         help="write the k-th --format's report here, whole or not at all (repeatable)")
    reports.add_argument("--report-dir", type=Path, metavar="DIR", help="also write every format into DIR")
    reports.add_argument("--strict", action="store_true", help="acknowledged errata fail too")
    reports.add_argument("--material", type=Path, metavar="DIR",
                         help="fail as stale every claim whose cited snippets are no longer in the material under DIR")
    reports.add_argument("--exclusions", type=Path, action="append", default=[], metavar="FILE",
                         help="coverage exclusions (TOML) for the annotated sheet's uncovered units (see `coverage`)")
    reports.add_argument("-q", "--quiet", action="count", default=0, help="only failures, errata and the summary")
    reports.add_argument("-v", "--verbose", action="count", default=0, help="evidence and assumptions for every claim")

    check = sub.add_parser("check", parents=[common, reports], help="check claims and report verdicts")
    check.add_argument("selectors", nargs="+", metavar="SELECTOR",
                       help="`all`, a claim id, a prefix such as ex2, a glob, or a file or folder: the claims defined in "
                            "it or citing it (with --material), as pre-commit passes the changed files")
    check.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help=f"per-claim time limit, enforced by killing the check (default {DEFAULT_TIMEOUT:g})")
    check.add_argument("--jobs", "-j", type=JOBS, default=None, metavar="N", help="claims checked at once (default: cores)")
    check.add_argument("--memory-mb", type=MEMORY_MB, default=DEFAULT_MEMORY_MB, metavar="MIB",
                       help=f"per-claim address-space limit (default {DEFAULT_MEMORY_MB})")
    check.add_argument("--cross-check", action="store_true",
                       help="solve every z3 query again with cvc5 (pip install -e '.[crosscheck]'); any disagreement is an error")
    check.add_argument("--no-cache", action="store_true",
                       help="check every claim again instead of reusing results stored for identical inputs")
    check.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                       help=f"where results are stored (default ${ENV_DIR} or {DEFAULT_DIR})")
    check.add_argument("--shard", type=shard.parse, default=None, metavar="K/N",
                       help="check only the K-th of N balanced parts of the selection (a claim stays with the claims it "
                            "trusts and an erratum with its correction); `merge` combines the parts' JSON reports")
    check.add_argument("--durations", type=Path, default=None, metavar="REPORT",
                       help="balance --shard by the seconds each claim took in this JSON report of an earlier run "
                            "(by the number of claims without it)")

    merge = sub.add_parser("merge", parents=[common, reports],
                           help="combine the JSON reports of every `check --shard K/N` of one run into its reports",
                           description="Combine the JSON reports of every shard of one run into the run's reports, in any "
                                       "format check writes. Give merge the --claims, --material, --exclusions and --strict "
                                       "the shards were checked with; reports that are not the complete, consistent shards "
                                       "of one run of these packs are refused (exit 4) and nothing is written.")
    merge.add_argument("shard_reports", nargs="+", type=Path, metavar="REPORT", help="the JSON report of each shard")

    sub.add_parser("list", parents=[common], help="list the claims")

    export = sub.add_parser("export-smt", parents=[common], help="write each z3 query of the selected claims as an .smt2 file")
    export.add_argument("selectors", nargs="+", metavar="SELECTOR")
    export.add_argument("--dir", type=Path, required=True, metavar="DIR")
    export.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS")

    mut = sub.add_parser("mutants", parents=[common], help="run every perturbation and report how many were refuted")
    mut.add_argument("selectors", nargs="*", default=["all"], metavar="SELECTOR")
    mut.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    mut.add_argument("--jobs", "-j", type=JOBS, default=None, metavar="N")

    aud = sub.add_parser("audit", parents=[common], help="list every assumption and trusted lemma, per claim and in total")
    aud.add_argument("selectors", nargs="*", default=["all"], metavar="SELECTOR")
    aud.add_argument("--json", action="store_true", help="print the audit as JSON (the form --baseline reads)")
    aud.add_argument("--baseline", type=Path, metavar="FILE", help="exit 1 when the assumptions differ from this audit")
    aud.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                     help="per-claim time limit of the checks run to find verdicts asserted by claim code")
    aud.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                     help="reuse the results `check` stored in this result cache for identical inputs instead of running "
                          "those checks again, and store what passes (default: run every check, use no cache)")

    cov = sub.add_parser("coverage", parents=[common],
                         help="how much of the material's formulas and stated values the claims' anchors cite")
    cov.add_argument("--material", type=Path, required=True, metavar="DIR", help="the material directory")
    cov.add_argument("--exclusions", type=Path, action="append", default=[], metavar="FILE",
                     help="reviewed units that state no claim, with reasons (TOML, repeatable)")
    cov.add_argument("--fail-under", type=PERCENT, default=None, metavar="PERCENT",
                     help="exit 1 when less than this share of units is covered or excluded, or an exclusion is stale")
    cov.add_argument("--format", choices=("text", "json"), default="text", dest="coverage_format")

    new = sub.add_parser("new", help="write a commented template claim module to fill in")
    new.add_argument("id", metavar="ID", help="the new claim's id, e.g. week8.ex1.a.binomial")
    new.add_argument("--claims", type=Path, required=True, metavar="PATH", help="the directory of claim modules to write it into")

    show = sub.add_parser("show", parents=[common], help="a claim's statement, formal form, assumptions and full evidence")
    show.add_argument("id", metavar="ID")
    show.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    show.add_argument("--material", type=Path, metavar="DIR", help="locate each cited snippet in the material under DIR")

    if importlib.util.find_spec("proofs.scan") is not None:  # found without importing it
        scan = sub.add_parser("scan", help="check every equation of the material, with no claim written")
        if command == "scan":
            from proofs.scan.command import configure

            configure(scan)
    return parser


def _command_of(argv: Sequence[str]) -> Optional[str]:
    """The command named on the command line (its first word that is not an option), or None."""
    return next((a for a in argv if not a.startswith("-")), None)


def _destinations(args) -> list[tuple[str, Optional[Path]]]:
    """Pair the k-th --output with the k-th --format; formats without an output go to standard output.

    Every file target is checked (and its directories created) here, before any check runs."""
    formats = list(args.formats) or ["text"]
    if len(args.outputs) > len(formats):
        raise UsageError(f"{len(args.outputs)} --output files for {len(formats)} --format(s): give one --format per --output")
    pairs = [(fmt, args.outputs[k] if k < len(args.outputs) else None) for k, fmt in enumerate(formats)]
    if sum(path is None for _, path in pairs) > 1:
        raise UsageError("only one report can go to standard output: give --output for the others")
    options = ["--output"] * len(pairs)
    if args.report_dir is not None:
        problem = prepare_directory(args.report_dir)
        if problem:
            raise UsageError(f"--report-dir {args.report_dir}: {problem}")
        pairs += [(name, args.report_dir / cls.filename) for name, cls in FORMATS.items()]
        options += ["--report-dir"] * len(FORMATS)
    files: dict[str, str] = {}
    for (fmt, path), option in zip(pairs, options):
        if path is None:
            continue
        problem = output_problem(path)
        if problem:
            raise UsageError(f"{option} {path}: {problem}")
        if os.path.isfile(path) or not os.path.exists(path):  # FIFOs and devices may take several reports
            target = os.path.realpath(path)
            if target in files:
                raise UsageError(f"{option} {path}: the {files[target]} and the {fmt} report would both be written to {target}")
            files[target] = fmt
    return pairs


def _validate(args) -> None:
    """Check every option that names a file or directory, before any pack is loaded or check runs (exit 4 if wrong).

    Numbers are checked by argparse (proofs.report's limits); what is read here is kept on args."""
    if args.command in ("check", "merge"):
        _validate_reports(args)
    if args.command == "audit" and args.cache_dir is not None:
        problem = foreign(args.cache_dir)
        if problem is not None:
            raise UsageError(f"--cache-dir {args.cache_dir}: {problem}")
    if args.command == "check":
        if not args.no_cache and not args.cross_check:
            directory = args.cache_dir or default_directory()
            problem = foreign(directory)
            if problem is not None:
                named = "--cache-dir" if args.cache_dir is not None else (ENV_DIR if os.environ.get(ENV_DIR) else "the cache")
                raise UsageError(f"{named} {directory}: {problem}")
        args.costs = None
        if args.durations is not None:
            if args.shard is None:
                raise UsageError("--durations balances the parts of --shard K/N: give --shard too, or leave --durations out")
            from proofs import merge

            try:
                args.costs = shard.durations(merge.read_report(args.durations, "--durations"), f"--durations {args.durations}")
            except ValueError as exc:
                raise UsageError(str(exc)) from None
    elif args.command == "export-smt":
        problem = prepare_directory(args.dir)
        if problem:
            raise UsageError(f"--dir {args.dir}: {problem}")
    elif args.command == "show" and args.material is not None and not args.material.is_dir():
        raise UsageError(f"--material {args.material}: not a directory")
    elif args.command == "audit" and args.baseline is not None:
        from proofs import trust

        args.baseline = trust.read_baseline(args.baseline)


def _validate_reports(args) -> None:
    """The options of check and merge that say where the reports go and what they read."""
    args.destinations = _destinations(args)
    if args.material is not None and not args.material.is_dir():
        raise UsageError(f"--material {args.material}: not a directory")
    if args.exclusions:
        from proofs import coverage

        for path in args.exclusions:  # read again by the annotated sheet; an unreadable or malformed one is refused now
            coverage.load_exclusions(path)
    summary_md = os.environ.get("GITHUB_STEP_SUMMARY")
    problem = output_problem(Path(summary_md)) if summary_md else None
    if problem:
        raise UsageError(f"GITHUB_STEP_SUMMARY={summary_md}: {problem}")


def _report_options(args) -> dict:
    """The options check and merge share that can change a status or a report: merge must be given them as the
    shards were (the packs loaded, the material and exclusions the annotated sheet reads, the status rule)."""
    return {"strict": args.strict, "claims": [str(p) for p in args.claims],
            "material": None if args.material is None else str(args.material), "exclusions": [str(p) for p in args.exclusions]}


def _recorded_options(args) -> dict:
    """The options of a check that can change a verdict, a status or a report, as a shard's report records them."""
    return {**_report_options(args), "timeout": args.timeout, "memory_mb": args.memory_mb, "cross_check": args.cross_check}


def _context(args, catalogue: Catalogue, tool: dict) -> ReportContext:
    return ReportContext(claims={c.id: c for c in catalogue.claims}, rerun=rerun_prefix(args.claims, args.material),
                         tool=tool, load_errors=catalogue.errors,
                         material=str(args.material) if args.material is not None else None,
                         exclusions=tuple(args.exclusions))


def _check(args, catalogue: Catalogue, out: TextIO, err: TextIO) -> int:
    # the claims the selectors name (paths taken with --material), and what they rest on
    selected = links.with_trusted(select_claims(catalogue, args.selectors, args.material), catalogue.claims)
    if not selected and not catalogue.errors and all(names_file(s) for s in args.selectors):
        out.write(plain(f"no claim is defined in or cites the {len(args.selectors)} file(s) or folder(s) given") + "\n")
        return ExitCode.OK
    if not selected and not catalogue.errors:  # with load errors, the reports still say what failed to load
        out.write(plain(f"no claims selected by {' '.join(args.selectors)}") + "\n")
        return ExitCode.NO_CLAIMS
    claims, record = selected, None
    if args.shard is not None:  # a part of the selection, closed under links (proofs.shard.units), in run order
        parts = shard.plan(selected, args.shard.count, args.costs)
        mine = set(parts[args.shard.index - 1])
        claims = [c for c in selected if c.id in mine]
        record = shard.record(args.shard, parts, [c.id for c in claims], selectors=args.selectors,
                              selected=[c.id for c in selected], options=_recorded_options(args),
                              packs=shard.contents_digest(catalogue.roots), costs=args.costs)
    from proofs import runner  # the check engine, imported by the commands that check (never by `scan`)

    jobs = args.jobs or runner.default_jobs()
    cache = None
    if not args.no_cache and not args.cross_check:  # a cross-check is asked for to solve every query again
        cache = _result_cache(args.cache_dir or default_directory(), catalogue, err, strict=args.strict,
                              timeout=args.timeout, memory_mb=args.memory_mb)
    context = _context(args, catalogue, tool_versions())
    writers = _writers(args, context, out, err, shard=record)
    if args.cross_check:
        from proofs.solvers.cvc5_solver import available

        if not available():
            raise UsageError("--cross-check needs cvc5: pip install -e '.[crosscheck]'")
    outcome = runner.run(
        [runner.Task(c) for c in claims],
        timeout=args.timeout,
        jobs=jobs,
        strict=args.strict,
        memory_mb=args.memory_mb,
        on_result=lambda result: _emit(writers, result, out),
        cross_check=args.cross_check,
        material=str(args.material) if args.material is not None else None,
        cache=cache,
        prepare=catalogue.warm,
    )
    missing = [] if outcome.interrupted else sorted({c.id for c in claims} - {r.id for r in outcome.results})
    problems = [f"error: no result for claim {claim_id}" for claim_id in missing]  # never a pass by omission
    return _finish(writers, context, outcome.results, outcome.seconds, outcome.interrupted, problems, out, err)


def _result_cache(directory: Path, catalogue, err: TextIO, *, strict: bool, timeout: float, memory_mb: int) -> ResultCache:
    """The result cache in `directory` of runs of the catalogue's claims with these options (what `check` stores and
    `audit --cache-dir` reuses), with a note when another run holds it."""
    options = {"strict": strict, "timeout": timeout, "memory_mb": memory_mb}
    cache = ResultCache(directory, digest_inputs(catalogue.roots, options, loading=catalogue.reads), strict=strict)
    if cache.busy:
        err.write(plain(f"note: the cache {cache.directory} is in use by another run: every claim is checked, and "
                        "nothing is stored") + "\n")
    return cache


def _writers(args, context: ReportContext, out: TextIO, err: TextIO, **options) -> list:
    """(format, writer, path, chunks to write or None to append) for every report; the path is None for standard
    output, or a stream the report goes to as it is written."""
    verbosity = args.verbose - args.quiet
    writers = []
    for fmt, path in args.destinations:
        colour = path is None and use_colour(out)
        writers.append((fmt, writer_for(fmt, context, verbosity=verbosity, colour=colour, **options), path, []))
    summary_md = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_md:
        writers.append(("markdown", writer_for("markdown", context), Path(summary_md), None))
    if in_github_actions() and not any(fmt == "github" for fmt, _ in args.destinations):
        # annotations beside the normal output: on standard output next to the text report, on standard error when
        # standard output carries a document (JSON, SARIF, ...) that a line of another format would break
        on_out = all(fmt == "text" for fmt, path in args.destinations if path is None)
        writers.append(("github", writer_for("github", context), out if on_out else err, None))
    return writers


def in_github_actions() -> bool:
    """Whether this runs as a step of a GitHub Actions workflow (the runner sets GITHUB_ACTIONS=true)."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _emit(writers: list, result, out: TextIO) -> None:
    for _, writer, path, chunks in writers:
        text = writer.add(result)
        if path is None or _is_stream(path):
            stream = out if path is None else path
            stream.write(text)
            stream.flush()
        elif chunks is not None:
            chunks.append(text)


def _is_stream(path) -> bool:
    return hasattr(path, "write")


def _finish(writers: list, context: ReportContext, results: Sequence, seconds: float, interrupted: bool,
            problems: list[str], out: TextIO, err: TextIO) -> int:
    """Write every report whole and the closing summary line; the exit code for these results (pytest's rules)."""
    with deferred_signals() as held:  # a second Ctrl-C (or a SIGTERM) must not cut a report short
        for fmt, writer, path, chunks in writers:
            tail = writer.finish(seconds, interrupted)
            if path is None or _is_stream(path):
                (out if path is None else path).write(tail)
                continue
            try:
                if chunks is None:  # the CI job summary is appended to, as GitHub expects
                    with open(path, "a", encoding="utf-8") as fh:
                        fh.write(tail)
                else:
                    write_atomically(path, "".join(chunks) + tail)
            except (OSError, UnicodeError) as exc:
                problems.append(f"error: cannot write the {fmt} report to {path}: {getattr(exc, 'strerror', None) or exc}")
        lost = sorted({claim_id for _, writer, _, _ in writers for claim_id, _ in writer.render_errors})
        if lost:  # a report that could not show a claim is not a report of every claim
            problems.append(f"error: the reports could not render {len(lost)} claim(s): {', '.join(lost[:10])}")
        if not any(path is None for _, _, path, _ in writers):
            out.write(_summary_line(context, results, seconds, interrupted, out))
        out.flush()
        err.flush()
        for line in problems:
            err.write(plain(line) + "\n")
    if problems:
        return ExitCode.INTERNAL_ERROR
    if interrupted or held:
        return ExitCode.INTERRUPTED
    if context.load_errors or any(r.status is Status.FAIL for r in results):
        return ExitCode.FAILURES
    return ExitCode.OK


def _summary_line(context, results, seconds, interrupted, out) -> str:
    text = writer_for("text", context, colour=use_colour(out))
    for r in results:
        text.add(r)
    return text.finish(seconds, interrupted)


# What `merge` must be given as the shards were: the option, and how to name its value in a message.
_MERGE_OPTIONS = (("strict", "--strict"), ("claims", "--claims"), ("material", "--material"), ("exclusions", "--exclusions"))


def _merge(args, out: TextIO, err: TextIO) -> int:
    """Read every shard's report, check they are the complete, consistent shards of one run of these packs, and
    write the run's reports from them. Nothing is written unless every check passes."""
    from proofs import merge

    reports = merge.read_shards(args.shard_reports)
    common = merge.agree(reports)
    given = _report_options(args)
    for key, option in _MERGE_OPTIONS:
        if common["options"].get(key) != given[key]:
            raise UsageError(f"the shards were checked with {_described(option, common['options'].get(key))}, merge is given "
                             f"{_described(option, given[key])}: merge takes the options the shards were checked with")
    catalogue = load(args.claims)
    if [jsonable(e.to_json()) for e in catalogue.errors] != common["load_errors"]:
        raise UsageError("the packs load here with other load errors than they did in the shards: merge in the checkout "
                         "the shards checked")
    tool = tool_versions()
    if tool != common["tool"]:
        raise UsageError(f"the shards were checked by {_versions(common['tool'])}, this is {_versions(tool)}: merge with "
                         "the versions that checked them")
    if shard.contents_digest(catalogue.roots) != common["packs"]:
        raise UsageError("the claim packs or the engine here differ from those the shards checked: merge in the checkout "
                         "the shards checked")
    selected = links.with_trusted(merge.selected(catalogue, common["selection"]["selectors"], args.material),
                                  catalogue.claims)
    results = merge.combine(reports, selected, strict=args.strict, catalogue=catalogue.claims)
    context = _context(args, catalogue, dict(common["tool"]))
    writers = _writers(args, context, out, err)
    for result in results:
        _emit(writers, result, out)
    seconds = sum(r.seconds for r in reports)  # the checking time of every shard, as if they had run one after another
    return _finish(writers, context, results, seconds, any(r.interrupted for r in reports), [], out, err)


def _described(option: str, value) -> str:
    if value is True:
        return option
    if not value:
        return f"no {option}"
    values = value if isinstance(value, list) else [value]
    return " ".join(f"{option} {shlex.quote(str(v))}" for v in values)


def _versions(tool: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(tool.items()))


def _list(catalogue: Catalogue, out: TextIO) -> int:
    if not catalogue.claims:
        out.write("no claims loaded\n")
        return ExitCode.FAILURES if catalogue.errors else ExitCode.NO_CLAIMS
    width = max(len(plain(c.id)) for c in catalogue.claims)
    packs = max(len(plain(c.pack)) for c in catalogue.claims)
    for c in catalogue.claims:
        mark = "erratum" if c.erratum else ""
        out.write(f"{plain(c.id):<{width}}  pack {plain(c.pack):<{packs}}  requires {c.requires.value:<11} "
                  f"{len(c.perturbations)} perturbations  {mark}".rstrip() + "\n")
    return ExitCode.FAILURES if catalogue.errors else ExitCode.OK


def _show(args, catalogue: Catalogue, out: TextIO) -> int:
    c = catalogue.by_id(args.id)
    lines = [f"{c.id}  (exercise {c.exercise}{', part ' + c.part if c.part else ''}; {c.location}; pack {c.pack})",
             f"statement: {c.statement}"]
    if not (c.derived_formal and c.asserts == c.formal):  # the statement form asserts what it checks: shown once below
        lines.append(f"material asserts: {c.asserts}")
    if c.derived_formal:
        lines.append(f"formal: {c.formal}  (printed from the statement)")
    elif commentary(c):
        lines.append(commentary(c))
    lines.append(f"requires: {c.requires.value}")
    if c.params:
        lines.append(f"params: {', '.join(f'{k} = {v!r}' for k, v in c.params.items())}")
    lines += [f"assumes: {a}" for a in c.assumptions]
    if c.erratum:
        lines.append(f"erratum: {c.erratum.reason} (corrected by {c.erratum.corrected_by})")
    lines += [f"perturbation {p.name}: {p.note} {dict(p.params)}" for p in c.perturbations]
    located = verify(c.anchors, args.material) if args.material is not None else [{} for _ in c.anchors]
    for a, where in zip(c.anchors, located):
        place = (f"{a.file}:{where['line']}" + (f" (cell {where['cell']})" if "cell" in where else "")
                 if where.get("found") else a.file)
        lines.append(f"cites {place}: {a.snippet}" + (f"  [{where['problem']}]" if where.get("problem") else ""))
    trusted, lemmas = links.closure(c, {x.id: x for x in catalogue.claims})
    lines += [f"trusts claim {i}" for i in trusted] + [f"trusts lemma {lm.name}: {lm.statement}" for lm in lemmas]
    out.write("".join(plain(line) + "\n" for line in lines))
    out.flush()
    from proofs import runner

    tasks = [runner.Task(x) for x in links.with_trusted([c], catalogue.claims)]  # what it rests on is checked with it
    outcome = runner.run(tasks, timeout=args.timeout, prepare=catalogue.warm)
    with deferred_signals() as held:
        if outcome.interrupted or len(outcome.results) != len(tasks):
            out.write("interrupted before the check finished\n")
            return ExitCode.INTERRUPTED
        result = outcome.results[-1]
        out.write(plain(f"verdict: {result.verdict.value}  status: {result.status.value}  ({result.reason})") + "\n")
        out.write("".join(plain(line) + "\n" for line in checked_lines(result)))
        out.write("evidence:\n")
        out.write(json.dumps(result.evidence, indent=2) + "\n")  # ASCII: every control character is escaped
        out.flush()
    if held:
        return ExitCode.INTERRUPTED
    return ExitCode.OK if result.status is not Status.FAIL else ExitCode.FAILURES


def _coverage(args, catalogue: Catalogue, out: TextIO) -> int:
    from proofs import coverage, material

    documents = [material.read(args.material, name) for name in material.discover(args.material)]
    exclusions = [x for path in args.exclusions for x in coverage.load_exclusions(path)]
    measured = coverage.measure(documents, coverage.citations(catalogue.claims), exclusions)
    if args.coverage_format == "json":
        out.write(json.dumps(measured.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write("".join(visible(line) + "\n" for line in measured.to_text().splitlines()))
    failed = args.fail_under is not None and coverage.fail_under(measured, args.fail_under)
    return ExitCode.FAILURES if failed or catalogue.errors else ExitCode.OK


def _new(args, out: TextIO) -> int:
    from proofs import template

    known = load([args.claims] if args.claims.is_dir() else [])
    path = template.write(args.id, args.claims, known.ids())
    out.write(f"wrote {path}\n"
              f"fill in every todo(...) in it, then run: python -m proofs check {args.id} --claims {shlex.quote(str(args.claims))}\n")
    return int(ExitCode.OK)


def _command(args, catalogue: Catalogue, out: TextIO, err: TextIO) -> int:
    if args.command == "check":
        return int(_check(args, catalogue, out, err))
    if args.command == "list":
        return int(_list(catalogue, out))
    if args.command == "show":
        return int(_show(args, catalogue, out))
    if args.command == "coverage":
        return int(_coverage(args, catalogue, out))
    from proofs import trust

    claims = select(catalogue, args.selectors)
    if not claims:
        out.write(plain(f"no claims selected by {' '.join(args.selectors)}") + "\n")
        return int(ExitCode.NO_CLAIMS)
    if args.command == "audit":
        cache = None
        if args.cache_dir is not None:  # the options of the checks audit runs: check's defaults, never strict
            cache = _result_cache(args.cache_dir, catalogue, err, strict=False, timeout=args.timeout,
                                  memory_mb=DEFAULT_MEMORY_MB)
        asserted = trust.asserted_verdicts(claims, timeout=args.timeout, prepare=catalogue.warm, cache=cache)
        code = int(trust.audit(claims, out, baseline=args.baseline, as_json=args.json, catalogue=catalogue.claims,
                               asserted=asserted))
    elif args.command == "mutants":
        code = int(trust.mutants(claims, out, timeout=args.timeout, jobs=args.jobs, prepare=catalogue.warm))
    else:
        code = int(trust.export_smt(claims, args.dir, out, timeout=args.timeout, err=err, prepare=catalogue.warm))
    return max(code, int(ExitCode.FAILURES)) if catalogue.errors and code == ExitCode.OK else code


def _loaded(args, out: TextIO, err: TextIO) -> int:
    """Load the packs and run the command on them; a usage error that may come from a pack that did not load (the
    claim asked for may be in it) is reported as that failure."""
    catalogue = load(args.claims)
    problems = "".join(plain(f"load error: {problem}") + "\n" for problem in catalogue.errors)
    if args.command != "check":  # check puts them in its reports
        err.write(problems)
    try:
        return _command(args, catalogue, out, err)
    except UsageError as exc:
        if not catalogue.errors:
            raise
        if args.command == "check":
            err.write(problems)
        err.write(plain(f"error: {exc} ({len(catalogue.errors)} pack load error(s) above)") + "\n")
        return int(ExitCode.FAILURES)


def _stopped(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _command_process(work) -> int:
    """Run a whole command as this process's only work. No pack code runs here (module processes import the packs),
    so the command's return value is its exit status. This process is a child subreaper: whatever a module process
    or a check leaves, in whatever session, comes back here and is ended with the command. SIGTERM and SIGHUP stop
    the command as Ctrl-C does (exit 2; a run reports what had finished)."""
    processes.become_subreaper()
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _stopped)
    except (ValueError, AttributeError):  # not the main thread, or no SIGHUP here
        pass
    try:
        return work()
    finally:
        processes.end_all()  # the fork server, in order, then anything left


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    if argv is None and stdout is None and stderr is None:  # the `proofs` console script, `python -m proofs`
        return _command_process(lambda: main(sys.argv[1:]))
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        args = build_parser(_command_of(argv)).parse_args(argv)
        if args.command == "scan":  # a command of its own: it loads no pack
            from proofs.scan.command import main as scan

            return int(scan(args, out, err))
        if args.command is None:
            raise UsageError("proofs: a command is required: check, merge, list, show, new, export-smt, mutants, audit or "
                             "coverage (see --help)")
        if args.command == "new":
            return _new(args, out)
        _validate(args)  # options and output targets are usage errors before anything is loaded or run
        if args.command == "merge":  # the reports are read, and found consistent, before the packs are loaded
            return int(_merge(args, out, err))
        return _loaded(args, out, err)
    except UsageError as exc:
        err.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.USAGE_ERROR)
    except ProofsError as exc:
        err.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as a cut-short run
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return int(ExitCode.INTERRUPTED)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        err.write(plain(f"internal error: {type(exc).__name__}: {exc}") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
