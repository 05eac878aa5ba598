"""`proofs scan --material DIR`: check every equation of the material, with no claim written."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence, TextIO

from proofs.errors import ProofsError, UsageError
from proofs.report import JOBS, TIMEOUT, output_problem, plain, prepare_directory, write_atomically
from proofs.verdicts import ExitCode

__all__ = ["configure", "main", "run", "DEFAULT_TIMEOUT", "DEFAULT_TIME_LIMIT", "FORMATS"]

# The report formats of a scan.
FORMATS = ("text", "json", "annotated", "github", "sarif")

# CPU seconds each step may take to check (a proof attempt and the search), counted in the process checking it so that
# the machine's load does not change a report (proofs.scan.check.deadline: and WALL_BACKSTOP times as many in wall-clock
# time); past it the step is unknown and the gate fails.
DEFAULT_TIMEOUT = 20.0
# Wall-clock seconds the whole scan may take (the seed sheet takes a few); steps past it are unknown and the gate fails.
DEFAULT_TIME_LIMIT = 3600.0


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the scan's options to a (sub)parser."""
    parser.add_argument("--material", type=Path, required=True, metavar="DIR",
                        help="the material directory (text, Markdown, LaTeX, notebooks)")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="scan only these files of the material (as pre-commit passes the changed files); a file "
                             "outside --material, or of a format the scan does not read, is left out; one that does not exist is a usage "
                             "error")
    parser.add_argument("--acknowledged", type=Path, action="append", default=[], metavar="FILE",
                        help="reviewed refuted or needs-review steps (TOML [[acknowledge]] with file, step, reason) that do not fail the gate")
    parser.add_argument("--format", choices=FORMATS, default="text", dest="scan_format",
                        help="report format: text (default), json (schema proofs-scan/1), annotated (one offline HTML "
                             "page), github (workflow-command annotations; also written beside the text report when "
                             "GITHUB_ACTIONS=true) or sarif (SARIF 2.1.0, for code scanning)")
    parser.add_argument("--output", type=Path, metavar="FILE", dest="scan_output",
                        help="write the report here, whole or not at all (default: standard output)")
    parser.add_argument("--draft-claims", type=Path, metavar="DIR",
                        help="write a claim module for each refuted step (and each --select'ed one) into DIR")
    parser.add_argument("--select", action="append", default=[], metavar="STEP",
                        help="also draft the steps at FILE:LINE, or whose text contains STEP (repeatable)")
    parser.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS", dest="scan_timeout",
                        help=f"time limit for checking one step, in CPU seconds of the process checking it (default "
                             f"{DEFAULT_TIMEOUT:g}), so that the machine's load does not change the report; a step that waits "
                             "instead of computing is ended by a wall-clock backstop, a multiple of it")
    parser.add_argument("--time-limit", type=TIMEOUT, default=DEFAULT_TIME_LIMIT, metavar="SECONDS", dest="scan_time_limit",
                        help=f"time limit for the whole scan, in wall-clock seconds (default {DEFAULT_TIME_LIMIT:g}); the steps it cuts off or "
                             "does not reach are unknown and fail the gate")
    parser.add_argument("--no-sympy-reader", action="store_false", dest="scan_second_reader",
                        help="read each side with the scan's own reader only, not again with sympy's LaTeX parser "
                             "(faster; a side the two would read differently is then checked as the scan reads it, "
                             "instead of skipped, and every step is reported read_by [\"scan\"])")
    parser.add_argument("--jobs", "-j", type=JOBS, default=None, metavar="N", dest="scan_jobs",
                        help="files scanned at once (default: cores, at most 8); results do not depend on it")
    parser.add_argument("--no-cache", action="store_true", dest="scan_no_cache",
                        help="scan every file again instead of reusing the steps stored for an identical file")
    parser.add_argument("--cache-dir", type=Path, default=None, metavar="DIR", dest="scan_cache_dir",
                        help="where each file's steps are stored (default $PROOFS_SCAN_CACHE_DIR, or the check's "
                             "result cache directory with -scan appended)")
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="scan_verbose",
                        help="list every step, skipped ones and definitions too")
    return parser


def _validate(args) -> None:
    if not args.material.is_dir():
        raise UsageError(f"--material {args.material}: not a directory")
    if args.scan_output is not None:
        problem = output_problem(args.scan_output)
        if problem:
            raise UsageError(f"--output {args.scan_output}: {problem}")
    if args.draft_claims is not None:
        problem = prepare_directory(args.draft_claims)
        if problem:
            raise UsageError(f"--draft-claims {args.draft_claims}: {problem}")
    if args.select and args.draft_claims is None:
        raise UsageError("--select chooses steps to draft: give --draft-claims DIR too")


def _scan(args):
    from proofs import material
    from proofs.scan import acknowledge
    from proofs.scan.report import Report
    from proofs.scan.steps import TIME_LIMIT

    until = time.monotonic() + args.scan_time_limit
    acknowledgements = [a for path in args.acknowledged for a in acknowledge.load(path)]
    try:
        names = material.discover(args.material)
    except material.MaterialError as exc:
        raise UsageError(f"--material {args.material}: {exc}") from None
    if args.files:
        missing = [str(f) for f in args.files if not f.exists()]
        if missing:  # pre-commit passes files that exist: one that does not is a typo, which would scan nothing
            raise UsageError(f"no such file: {', '.join(missing)}")
        names = _given(names, args.material, args.files)
    cache = _cache(args)
    documents, problems, unscanned = {}, [], []
    found: dict[str, tuple] = {}  # file -> (steps, formulas), in the material's order once all are in
    keys: dict[str, str] = {}
    for name in names:
        try:
            document = material.read(args.material, name)
        except material.MaterialError as exc:
            problems.append(f"cannot scan {exc}")
            continue
        documents[name] = document
        if cache is not None:
            keys[name] = cache.key(document)
            hit = cache.get(keys[name], _step_type())
            if hit is not None:
                found[name] = hit
    todo = [documents[n] for n in documents if n not in found]
    keep = args.draft_claims is not None  # a draft needs the sides as read
    for name, outcome in _scan_all(todo, args, until, keep):
        kind = outcome[0]
        if kind == "steps":
            _, steps, count, stable = outcome
            found[name] = (steps, count)
            if cache is not None and stable:
                cache.put(keys[name], steps, count)
        elif kind == "unscanned":
            unscanned.append(name)
        else:
            problems.append(outcome[1])
    scanned = [n for n in documents if n in found]
    steps = [s for n in scanned for s in found[n][0]]
    count = sum(found[n][1] for n in scanned)
    cut = sum(1 for s in steps if s.error and s.reason.startswith(TIME_LIMIT.format("")))
    if cut or unscanned:
        problems.append(f"the scan's time limit of {args.scan_time_limit:g} s (--time-limit) was reached: {cut} step(s) not "
                        "checked" + (f", {len(unscanned)} file(s) not scanned: {', '.join(unscanned)}" if unscanned else ""))
    steps, stale = acknowledge.apply(steps, acknowledgements)
    steps = _errata(steps)
    if not names and not args.files:
        problems.append(f"no material files under {args.material} (the formats read are .txt, .md, .tex and .ipynb)")
    report = Report(str(args.material), tuple(scanned), count, tuple(steps), tuple(problems + stale))
    return report, [documents[n] for n in scanned], cache


def _step_type():
    from proofs.scan.steps import Step

    return Step


def _cache(args):
    """The run's scan cache, or None: with --no-cache, and when drafting claims (a draft needs the sides as read,
    which are not stored)."""
    if args.scan_no_cache or args.draft_claims is not None:
        return None
    from proofs.scan.cache import ScanCache, default_directory

    options = {"timeout": args.scan_timeout, "second_reader": args.scan_second_reader}
    return ScanCache(args.scan_cache_dir or default_directory(), options)


def _scan_one(document, timeout: float, until: float, second_reader: bool, keep: bool) -> tuple:
    """One document's scan, as a value: ("steps", steps, formulas, stable), ("unscanned",) when the time limit passed
    first, or ("problem", why). stable: no part of it depended on the machine's speed (the result may be stored)."""
    from proofs.scan import sympy_reader
    from proofs.scan.find import spans
    from proofs.scan.steps import TimeLimit, TooMany, scan_document

    if time.monotonic() >= until:
        return ("unscanned",)
    before = sympy_reader.PARSE_TIMEOUTS[0]
    try:
        found = scan_document(document, timeout=timeout, until=until, second_reader=second_reader, printed=keep)
    except TooMany as exc:
        return ("problem", str(exc))
    except TimeLimit:
        return ("unscanned",)
    if not keep:  # what crosses to the parent process: the report's fields, not the expressions
        found = [dataclasses.replace(s, exprs=None, conditions=(), printed=None) for s in found]
    return ("steps", found, len(spans(document)), sympy_reader.PARSE_TIMEOUTS[0] == before)


def _worker(job: tuple) -> tuple:
    name, document, timeout, until, second_reader, keep = job
    try:
        return name, _scan_one(document, timeout, until, second_reader, keep)
    except BaseException as exc:  # noqa: BLE001 - a file the scan fails on is a problem of the run, never a lost result
        return name, ("problem", f"cannot scan {name}: {type(exc).__name__}: {str(exc)[:200]}")


def _scan_all(documents: list, args, until: float, keep: bool):
    """(file, outcome of `_scan_one`) for each document, in order; over --jobs processes when there are several."""
    jobs = args.scan_jobs or _default_jobs()
    work = [(d.file, d, args.scan_timeout, until, args.scan_second_reader, keep) for d in documents]
    if jobs <= 1 or len(work) <= 1 or keep:
        for job in work:
            yield _worker(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import tempfile

    from proofs.scan import sympy_reader

    if args.scan_second_reader:  # built once here, inherited by every worker
        try:
            sympy_reader._grammar()
        except ImportError:
            pass

    # forked workers start with the engine loaded; the largest files first, so that no core idles at the end
    order = sorted(range(len(work)), key=lambda i: -len(work[i][1].text))
    results: dict[int, tuple] = {}
    # the workers read each distinct side once between them, through a store that lasts as long as the run
    with tempfile.TemporaryDirectory(prefix="proofs-scan-readings-") as store, sympy_reader.shared(store):
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(work)), mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_worker, work[i]): i for i in order}
                for future, i in futures.items():
                    try:
                        results[i] = future.result()
                    except BrokenProcessPool:
                        results[i] = (work[i][0], ("problem", f"cannot scan {work[i][0]}: its worker process ended"))
        except BrokenProcessPool:
            pass
    for i, job in enumerate(work):
        yield results.get(i, (job[0], ("problem", f"cannot scan {job[0]}: its worker process ended")))


def _default_jobs() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8))


def _given(names: list, directory: Path, files: Sequence[Path]) -> list:
    """The material files among those given on the command line, in the material's order."""
    wanted = {os.path.realpath(f) for f in files}
    return [name for name in names if os.path.realpath(Path(directory) / name) in wanted]


def _errata(steps):
    """The steps with those the installed packs record as errata marked so (the packs are loaded only when a step
    is refuted or needs review; when they cannot be, nothing is marked and the failures stand)."""
    from proofs.scan.steps import ACKNOWLEDGEABLE

    if not any(s.status in ACKNOWLEDGEABLE and not s.acknowledged for s in steps):
        return steps
    from proofs import registry
    from proofs.scan import errata

    try:
        catalogue = registry.load()
    except Exception:  # noqa: BLE001 - packs that cannot be loaded mark nothing: the gate fails on the refutations
        return steps
    return errata.apply(steps, errata.known(catalogue.claims))


def _render(args, report, documents) -> str:
    if args.scan_format == "json":
        return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    if args.scan_format == "github":
        from proofs.writers.github import scan_annotations

        return scan_annotations(report, args.acknowledged)
    if args.scan_format == "sarif":
        from proofs.writers.sarif import scan_sarif

        return scan_sarif(report, args.acknowledged)
    if args.scan_format == "annotated":
        from proofs import annotated

        return annotated.render_scan(documents, report.steps, report.summary(), problems=report.problems)
    return report.to_text(verbose=args.scan_verbose > 0)


def main(args, stdout: TextIO, stderr: TextIO) -> int:
    """Run the scan for parsed arguments (see `configure`); the exit code follows `check`'s: 0 nothing refuted,
    1 a refuted step that is not acknowledged (or a stale acknowledgement, a step not checked, an unreadable file),
    4 a usage error, 3 a report or draft that could not be written."""
    try:
        _validate(args)
        report, documents, cache = _scan(args)
        text = _render(args, report, documents)
    except UsageError as exc:
        stderr.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.USAGE_ERROR)
    if cache is not None and cache.hits and args.scan_format == "text":
        text += (f"{cache.hits} of {len(report.files)} file(s) unchanged since a scan stored in {cache.directory}: their "
                 "steps are reused (--no-cache scans every file)\n")
    try:
        if args.scan_output is None:
            stdout.write(text)
        else:
            write_atomically(args.scan_output, text)
            stdout.write(plain(f"wrote {args.scan_output}") + "\n")
            stdout.write(_tail(report))
        if args.scan_format != "github" and os.environ.get("GITHUB_ACTIONS") == "true":
            from proofs.writers.github import scan_annotations

            # beside the normal output: on standard output after text, on standard error after a document
            beside = stdout if args.scan_format == "text" or args.scan_output is not None else stderr
            beside.write(scan_annotations(report, args.acknowledged))
        if args.draft_claims is not None:
            from proofs.scan import draft

            chosen = draft.chosen(report.steps, args.select)
            # a JSON or HTML report on standard output stays one document: the paths go to standard error then
            notes = stdout if args.scan_format == "text" or args.scan_output is not None else stderr
            for path in draft.write(chosen, args.draft_claims, args.material):
                notes.write(plain(f"drafted {path}") + "\n")
    except (OSError, UnicodeError) as exc:
        stderr.write(plain(f"error: cannot write: {getattr(exc, 'strerror', None) or exc}") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
    except UsageError as exc:
        stderr.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.USAGE_ERROR)
    return int(ExitCode.OK if report.passed else ExitCode.FAILURES)


def _tail(report) -> str:
    """The summary lines of the text report (counts, skip reasons, errors), for a report written to a file."""
    lines = report.to_text().splitlines()
    at = next((i for i in range(len(lines) - 1, -1, -1) if lines[i] == ""), 0)
    return "\n".join(lines[at + 1:]) + "\n"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit 2
        raise UsageError(f"{self.prog}: {message} (see --help)")


def run(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    """`proofs scan ARGV` in this process: parse the arguments, run, return the exit code; never a traceback."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = configure(_Parser(prog="proofs scan", description=__doc__)).parse_args(argv)
        return main(args, out, err)
    except UsageError as exc:
        err.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.USAGE_ERROR)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except ProofsError as exc:
        err.write(plain(f"error: {exc}") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
    except BaseException as exc:  # noqa: BLE001 - one line, never a traceback (a time limit that escaped, too)
        err.write(plain(f"internal error: {type(exc).__name__}: {exc}") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
