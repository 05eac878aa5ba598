"""Fail-closed runner: every claim in a child process of its own, with a time and memory limit."""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from typing import Callable, Optional, Sequence

from proofs.cache import ResultCache
from proofs.evaluate import check_material, error_result, evaluate
from proofs.model import Claim, Perturbation, Result
from proofs.verdicts import Verdict

__all__ = ["Task", "Run", "run", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB"]

# Seconds one claim may take before the runner kills it.
DEFAULT_TIMEOUT = 60.0
# Address-space limit of one claim's process, in MiB.
DEFAULT_MEMORY_MB = 4096


@dataclasses.dataclass(frozen=True)
class Task:
    """One unit of work for the runner: a claim, or one perturbation of it."""

    claim: Claim
    perturbation: Optional[Perturbation] = None


@dataclasses.dataclass(frozen=True)
class Run:
    """Produced by `run`: results in task order, and whether the run was cut short."""

    results: tuple[Result, ...]
    interrupted: bool
    seconds: float


def _child(task: Task, conn: multiprocessing.connection.Connection, strict: bool, memory_mb: int, options: dict) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import resource

        limit = memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, ValueError, OSError):
        pass
    try:
        result = evaluate(task.claim, task.perturbation, strict=strict, **options).to_json()
    except MemoryError:
        result = error_result(task.claim, Verdict.ERROR, f"out of memory (limit {memory_mb} MiB)", suffix=_suffix(task)).to_json()
    conn.send(result)
    conn.close()


def _suffix(task: Task) -> str:
    return "~" + task.perturbation.name if task.perturbation else ""


def _died(task: Task, exitcode: Optional[int], memory_mb: int) -> Result:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        how = f"was killed by signal {name} (memory limit {memory_mb} MiB)"
    else:
        how = f"exited with code {exitcode}"
    return error_result(task.claim, Verdict.ERROR, f"the check's process {how} before reporting", suffix=_suffix(task))


def run(
    tasks: Sequence[Task],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    strict: bool = False,
    memory_mb: int = DEFAULT_MEMORY_MB,
    on_result: Optional[Callable[[Result], None]] = None,
    cross_check: bool = False,
    export: bool = False,
    material: Optional[str] = None,
    cache: Optional[ResultCache] = None,
    prepare: Optional[Callable[[], None]] = None,
) -> Run:
    """Run the tasks, at most `jobs` at once, and return their results in task order.

    `on_result` is called for each result in task order as soon as it and all before it are done.
    A Ctrl-C kills the running checks and returns what had finished, with interrupted set.
    With a cache, a claim (not a perturbation) whose result is stored for these inputs is not run again, and
    every claim that passes or is an acknowledged erratum is stored. Anchors are verified against the material
    here, after the check, so that a stored result never carries a verdict on the material.
    `prepare` (warming up before forking) is called once, and only when more checks must be forked than run at once.
    """
    stored = [cache.get(t.claim) if cache is not None and t.perturbation is None else None for t in tasks]
    if prepare is not None and sum(r is None for r in stored) > max(1, jobs):
        prepare()
    ctx = multiprocessing.get_context("fork")
    start_all = time.monotonic()
    results: list[Optional[Result]] = [None] * len(tasks)
    running: dict = {}
    next_task = 0
    emitted = 0
    interrupted = False

    files: dict = {}

    def finish(index: int, result: Result, started: float) -> None:
        task = tasks[index]
        if result.cached is None:
            result = dataclasses.replace(result, seconds=time.monotonic() - started)
            if cache is not None and task.perturbation is None:
                cache.put(task.claim, result)
        if task.perturbation is None:
            result = check_material(task.claim, result, material, files)
        results[index] = result

    try:
        while next_task < len(tasks) or running:
            while next_task < len(tasks) and len(running) < max(1, jobs):
                if stored[next_task] is not None:
                    finish(next_task, stored[next_task], time.monotonic())
                    next_task += 1
                    continue
                receiver, sender = ctx.Pipe(duplex=False)
                options = {"cross_check": cross_check, "export": export}
                proc = ctx.Process(target=_child, args=(tasks[next_task], sender, strict, memory_mb, options), daemon=True)
                started = time.monotonic()
                proc.start()
                sender.close()
                running[receiver] = (next_task, proc, started)
                next_task += 1
            if running:
                _collect(running, tasks, timeout, memory_mb, finish)
            while emitted < len(tasks) and results[emitted] is not None:
                if on_result is not None:
                    on_result(results[emitted])
                emitted += 1
    except KeyboardInterrupt:
        interrupted = True
        for receiver, (_, proc, _) in running.items():
            proc.kill()
            proc.join()
            receiver.close()
    done = tuple(r for r in results if r is not None)
    return Run(results=done, interrupted=interrupted, seconds=time.monotonic() - start_all)


def _collect(running: dict, tasks: Sequence[Task], timeout: float, memory_mb: int, finish: Callable) -> None:
    """Wait until a running check reports, dies or runs out of time, and finish every one that did."""
    now = time.monotonic()
    wait_for = max(0.0, min(s + timeout for _, _, s in running.values()) - now)
    handles = list(running) + [p.sentinel for _, p, _ in running.values()]
    multiprocessing.connection.wait(handles, timeout=wait_for)
    for receiver in list(running):
        index, proc, started = running[receiver]
        task = tasks[index]
        if receiver.poll():
            try:
                finish(index, Result.from_json(receiver.recv()), started)
                proc.join(5)
            except EOFError:
                proc.join()
                finish(index, _died(task, proc.exitcode, memory_mb), started)
            except (OSError, KeyError, ValueError, TypeError) as exc:
                proc.kill()
                proc.join()
                finish(index, error_result(task.claim, Verdict.ERROR, f"unreadable result: {exc!r}", suffix=_suffix(task)), started)
        elif not proc.is_alive():
            proc.join()
            finish(index, _died(task, proc.exitcode, memory_mb), started)
        elif time.monotonic() - started >= timeout:
            proc.kill()
            proc.join()
            finish(index, error_result(task.claim, Verdict.TIMEOUT, f"killed after {timeout:g} s", suffix=_suffix(task)), started)
        else:
            continue
        receiver.close()
        del running[receiver]


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))
