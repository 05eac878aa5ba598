"""Fail-closed runner: every claim in a process group of its own, with a time and memory limit, forked from a process
that imported its pack module and no other."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import select
import signal
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from proofs import importing, links, reads, registry
from proofs.anchors import Sightings
from proofs.cache import ResultCache
from proofs.consistency import inconsistency, malformed
from proofs.evaluate import check_material, error_result, evaluate, statement_of, status_of
from proofs.model import Claim, Perturbation, Result
from proofs.errors import ProofsError
from proofs.processes import (OUTPUT_LIMIT, STOP_SIGNALS, ChildProcess, Frames, ModuleProcess, become_subreaper,
                              end_descendants, enter_context, frame, server)
from proofs.processes import _prctl, _write_all
from proofs.report import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from proofs.verdicts import Verdict

__all__ = ["Task", "Run", "run", "ChildProcess", "StopSignals", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "OUTPUT_LIMIT",
           "STOP_SIGNALS", "serve_module"]

# Signals a memory limit can cause (the kernel's kill, a crash on a failed allocation, an abort in C code).
_LIMIT_SIGNALS = {signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS}
# File descriptors the runner holds for one running check (result pipe, pidfd, output file, the pipe's
# write end while forking), and those kept free for reports, the cache and the libraries.
_FDS_PER_CHECK = 4
_FDS_RESERVED = 32
# Longest single wait for a check, in seconds; a longer time limit is waited for in several.
_MAX_WAIT = 3600.0
# Seconds a module process may be late in reporting a check beyond the check's own time limit before the runner
# kills it (it kills its checks at their limit itself; this is for one that stopped or hung).
_GRACE = 5.0
# Seconds between looks at a process that has no pidfd to wait on.
_POLL = 0.05


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


class StopSignals:
    """While active, SIGTERM, SIGHUP and SIGINT only record that the run must stop and wake `fd`; the previous
    handlers are restored on exit. Outside the main thread, where handlers cannot be set, it does nothing."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.fd: Optional[int] = None
        self._write: Optional[int] = None
        self._previous: dict = {}

    def __enter__(self) -> "StopSignals":
        if threading.current_thread() is not threading.main_thread():
            return self
        self.fd, self._write = os.pipe()
        os.set_blocking(self._write, False)
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.received.append(signum)
        with contextlib.suppress(OSError):
            os.write(self._write, b"!")

    def __exit__(self, *exc) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        for fd in (self.fd, self._write):
            if fd is not None:
                os.close(fd)


def _suffix(task: Task) -> str:
    return "~" + task.perturbation.name if task.perturbation else ""


def _died(task: Task, status: int, memory_mb: int) -> Result:
    how = _how(status)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in _LIMIT_SIGNALS:
        how += f" (possibly the memory limit of {memory_mb} MiB)"
    return error_result(task.claim, Verdict.ERROR, f"the check's process {how} before reporting", suffix=_suffix(task))


def _evaluate(task: Task, strict: bool, options: dict) -> dict:
    """In the child: the task's result as JSON; any failure at all is the claim's error."""
    try:
        data = evaluate(task.claim, task.perturbation, strict=strict, **options).to_json()
        json.dumps(data, allow_nan=False)
        return data
    except MemoryError:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt and the like end the check, not the run
        return error_result(task.claim, Verdict.ERROR, f"{type(exc).__name__}: {exc}", suffix=_suffix(task)).to_json()


def _received(task: Task, child: ChildProcess, memory_mb: int, strict: bool = False) -> Result:
    """The result a child sent, or an error saying why there is none usable."""
    try:
        message = child.message()
        if message.get("memory"):
            return error_result(task.claim, Verdict.ERROR, f"out of memory (limit {memory_mb} MiB)", suffix=_suffix(task))
        value = message["value"]
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        return error_result(task.claim, Verdict.ERROR, f"unreadable result: {exc!r}", suffix=_suffix(task))
    return _remote_result(task, value, strict)


def max_running(jobs: int) -> int:
    """`jobs`, lowered so that the running checks' file descriptors fit under RLIMIT_NOFILE; never below 1."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, ValueError, OSError):
        return max(1, jobs)
    if soft == resource.RLIM_INFINITY:
        return max(1, jobs)
    try:
        in_use = len(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))
    except OSError:
        in_use = _FDS_RESERVED
    return max(1, min(jobs, (soft - in_use - _FDS_RESERVED) // _FDS_PER_CHECK))


def _finished(task: Task, child: ChildProcess, timeout: float, memory_mb: int, strict: bool = False) -> Optional[Result]:
    """The result of a running check once it has one (it reported, died or ran out of time; its process group is
    then killed), with what it printed and its time; None while it is still running. Once its message is complete
    its group is sent SIGKILL and the result waits, without blocking, until the child has ended: only then is what
    it printed read, and the caller may start another check meanwhile (see `_busy`)."""
    if child.stopped is not None or child.pump():
        child.stop()
        if not child.exited():
            return None
        child.kill()
        result = _received(task, child, memory_mb, strict)
    elif child.exited():
        child.pump()
        status = child.kill()
        result = _received(task, child, memory_mb, strict) if child.complete() else _died(task, status, memory_mb)
    elif time.monotonic() - child.started >= timeout:
        child.kill()
        result = error_result(task.claim, Verdict.TIMEOUT, f"killed after {timeout:g} s", suffix=_suffix(task))
    else:
        return None
    output = child.captured()
    if output is not None:  # under "output", unless the check's own evidence has that key
        key = "output" if "output" not in result.evidence else "printed output"
        result = dataclasses.replace(result, evidence={**result.evidence, key: output})
    return dataclasses.replace(result, seconds=(child.stopped or time.monotonic()) - child.started)


def _busy(children) -> int:
    """How many of the children are still checking: one whose result is in and which was sent SIGKILL is only being
    torn down by the kernel, and no longer takes a job's place."""
    return sum(1 for child in children if child.stopped is None)


def _wait(handles: Sequence[int], seconds: float) -> None:
    poller = select.poll()
    for fd in handles:
        poller.register(fd, select.POLLIN)
    poller.poll(max(0.0, min(seconds, _MAX_WAIT)) * 1000)


def serve_module(request: dict, fds: list[int]) -> None:
    """In a module process, forked by the fork server: fork the process that imports the request's units (and
    nothing else) and serves the runner (`_serve`), and once it has ended, say how: {"ended": "exited with code
    0"}. Nothing here runs pack code, so an import that ends its process is told apart and described. Both are
    child subreapers: what the module or its checks start, in a session of their own too, ends with them."""
    commands, up = fds
    enter_context(request["context"])
    prctl = _prctl()
    worker = os.fork()
    if worker == 0:
        code = 70
        try:
            if prctl is not None:
                prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: it dies with this process, which the runner kills
            become_subreaper()  # what the module's import or its checks leave, in whatever session, comes back here
            _serve(request, commands, up)
            code = 0
        finally:
            try:
                end_descendants()  # nothing the module started, at its import or in a check, outlives its process
            finally:
                os._exit(code)
    os.close(commands)
    _, status = os.waitpid(worker, 0)  # retried when a signal interrupts it (PEP 475)
    with contextlib.suppress(OSError):  # the runner is no longer listening
        _write_all(up, frame({"ended": _how(status)}))


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        try:
            return f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"was killed by signal {os.WTERMSIG(status)}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def _imported(units: list, timeout: float) -> tuple[dict, Optional[registry.LoadError], dict, list]:
    """In a module process: import the units; their claims by id (an erratum's correction linked), the problem that
    keeps them from being checked, the message describing them to the runner, and their PRELOAD steps."""
    found, problem, loaded = importing.import_units(units, timeout)
    claims: dict[str, Claim] = {}
    for part in found:
        for c in part.claims:
            claims.setdefault(c.id, c)
    for key, c in list(claims.items()):
        target = getattr(c.erratum, "corrected_by", None) if c.erratum is not None else None
        if isinstance(target, str) and target in claims:
            claims[key] = dataclasses.replace(c, correction=claims[target])
    described: list[dict] = []
    if problem is None:  # a value's repr is pack code too
        raised = importing.guarded(lambda: described.extend(importing.describe(c) for c in claims.values()), timeout)
        if raised is not None:
            problem = importing.located(units[0].pack, raised, [Path(r) for r in units[0].roots])
    errors = [e.to_json() for part in found for e in part.errors]
    message = {"loaded": {"error": problem.to_json() if problem is not None else None, "reads": loaded.to_json(),
                          "claims": described if problem is None else [], "errors": errors}}
    if problem is None and errors:
        problem = registry.LoadError(**errors[0])
    return claims, problem, message, [step for part in found for step in part.preload]


def _serve(request: dict, commands: int, up: int) -> None:
    """In a module process: import the units and describe their claims; then, once the runner has sent its options,
    do their PRELOAD steps, report ready, and check each claim the runner orders in a ChildProcess forked from here,
    with its time and memory limit, sending its result back. Ends when the runner closes its commands (its checks
    are then killed)."""
    units = [registry.Unit.from_json(u) for u in request["units"]]
    timeout = float(request["timeout"])
    claims, problem, message, steps = _imported(units, timeout)
    try:
        _write_all(up, frame(message))
    except (ValueError, TypeError, RecursionError) as exc:  # a description that is not JSON
        return _write_all(up, frame({"loaded": {"error": {"pack": units[0].pack, "file": units[0].where, "line": 0,
                                                          "message": f"its claims cannot be described: {exc}"},
                                                "reads": {}, "claims": [], "errors": []}}))
    if message["loaded"]["error"] is not None:
        return
    os.set_blocking(commands, False)
    orders = Frames(commands)
    waiting: list[dict] = []
    while not waiting:
        waiting.extend(orders.read())
        if orders.ended or orders.broken:
            return
        if not waiting:
            _wait([commands], _MAX_WAIT)
    options = waiting.pop(0)["options"]
    if problem is None:
        try:
            importing.warm(list(dict.fromkeys(steps)), timeout)
        except ProofsError as exc:
            problem = registry.LoadError(units[0].pack, units[0].target, 0, str(exc))
    _write_all(up, frame({"ready": problem.to_json() if problem is not None else None}))
    if problem is None:
        _check_orders(claims, options, orders, waiting, up)


def _check_orders(claims: dict, options: dict, orders: Frames, waiting: list, up: int) -> None:
    """In a module process: check the claims the runner orders, at most `jobs` at once."""
    pool = _Pool(_Options(float(options["timeout"]), int(options["memory_mb"]), bool(options["strict"]),
                          {"cross_check": bool(options["cross_check"]), "export": bool(options["export"])}))
    jobs = max(1, int(options["jobs"]))
    reads.mark_loaded()  # what the module's import and warm-up loaded, worked out once for all its checks
    gc.collect()
    gc.freeze()  # the module's objects stay shared with the checks, not copied by the collector's writes
    try:
        while True:
            waiting.extend(orders.read())
            if orders.ended or orders.broken:
                return
            for index, result in pool.finished():
                _write_all(up, frame({"result": index, "value": result.to_json()}))
            while waiting and pool.busy() < jobs:  # the next check starts as soon as one ends
                order = waiting.pop(0)
                problem = _start(pool, order, claims)
                if problem is not None:
                    _write_all(up, frame({"failed": order["run"], "reason": problem}))
                else:
                    _write_all(up, frame({"started": order["run"], "pid": pool.running[order["run"]][1].pid}))
            _wait([orders.fd] + pool.handles(), pool.deadline() - time.monotonic())
    finally:
        pool.close()


def _start(pool: "_Pool", order: dict, claims: dict) -> Optional[str]:
    """In a module process: fork the check an order names; why it cannot be checked, if it cannot."""
    claim = claims.get(order["id"])
    if claim is None or claim.file != order["file"] or claim.line != order["line"]:
        return f"its module no longer defines {order['id']} where it was loaded; run the check again"
    perturbation = None
    if order["perturbation"] is not None:
        perturbation = next((p for p in claim.perturbations if p.name == order["perturbation"]), None)
        if perturbation is None:
            return f"its module no longer defines the perturbation {order['perturbation']}"
    try:
        pool.start(order["run"], Task(claim, perturbation))
    except OSError as exc:
        return f"could not start the check: {exc}"
    return None


@dataclasses.dataclass(frozen=True)
class _Options:
    """What every check of a run is given: its time and memory limit, the status rule, and what evaluate does."""

    timeout: float
    memory_mb: int
    strict: bool
    evaluation: dict


class _Pool:
    """The checks forked from this process (by the runner, or by a module process), by task index, each in a
    ChildProcess with the run's limits; a result is taken once its check reported, died or ran out of time."""

    def __init__(self, options: _Options) -> None:
        self.options = options
        self.running: dict[int, tuple[Task, ChildProcess]] = {}

    def start(self, index: int, task: Task) -> None:
        """Fork the task's check; raises OSError when no process or descriptor can be spared."""
        options = self.options
        self.running[index] = task, ChildProcess(lambda: _evaluate(task, options.strict, options.evaluation),
                                                 memory_mb=options.memory_mb)

    def busy(self) -> int:
        return _busy(child for _, child in self.running.values())

    def finished(self) -> Iterator[tuple[int, Result]]:
        """The results that are in (see `_finished`), each taken out of the pool as it is handed on."""
        for index, (task, child) in list(self.running.items()):
            result = _finished(task, child, self.options.timeout, self.options.memory_mb, self.options.strict)
            if result is not None:
                del self.running[index]
                yield index, result

    def handles(self) -> list[int]:
        return [fd for _, child in self.running.values() for fd in child.handles()]

    def deadline(self) -> float:
        """When the first check runs out of time; soon, when one of them has no pidfd and must be polled."""
        if any(child.pidfd is None for _, child in self.running.values()):
            return time.monotonic() + _POLL
        return min((child.started + self.options.timeout for _, child in self.running.values()),
                   default=time.monotonic() + _MAX_WAIT)

    def close(self) -> None:
        for _, child in self.running.values():
            child.close()


class _Remote:
    """The runner's side of one module process: the tasks it is running and since when."""

    def __init__(self, process: ModuleProcess) -> None:
        self.process = process
        self.ready = False
        # index -> when it was sent (then when its check started), and the check's process (its group's id)
        self.running: dict[int, float] = {}
        self.pids: dict[int, int] = {}
        # when it last reported anything: an order waiting behind running checks is late only this long after
        self.heard = time.monotonic()

    def kill(self) -> None:
        self.process.kill(tuple(self.pids[i] for i in self.running if i in self.pids))


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

    A claim `registry.load` described is checked in a process forked from its module process, which the fork server
    forked and which imported only that claim's module (and its correction's): no other module's import-time effects
    can reach its check, and no pack code runs here. A claim made otherwise is forked from this process.
    `on_result` is called for each result in task order as soon as it and all before it are done.
    SIGTERM, SIGHUP or Ctrl-C kill the running checks and return what had finished, with interrupted set.
    With a cache, a claim (not a perturbation) whose result is stored for these inputs is not run again, and
    every claim that passes or is an acknowledged erratum is stored. Anchors are verified against the material
    here, after the check, so that a stored result never carries a verdict on the material.
    A claim's result is related to the results of the claims it trusts (proofs.links), which must come before it
    among the tasks (links.ordered gives that order); what it trusts but was not run makes it fail.
    `prepare` (the warm-up of packs imported here) is called exactly once, before the first check is forked from
    this process, whenever one is; a module process does its own module's warm-up: a verdict never depends on --jobs
    or on the selection. What a check prints is kept in its evidence["output"].
    """
    options = _Options(timeout, memory_mb, strict, {"cross_check": cross_check, "export": export})
    scheduler = _Scheduler(tasks, options, max_running(jobs), material, cache)
    if prepare is not None and scheduler.forks_here():
        prepare()
    started = time.monotonic()
    with StopSignals() as stop:
        try:
            scheduler.loop(stop, on_result)
        except KeyboardInterrupt:  # outside the main thread, where Ctrl-C cannot be turned into a request to stop
            scheduler.interrupted = True
        finally:
            scheduler.shutdown()
    done = tuple(r for r in scheduler.results if r is not None)
    return Run(results=done, interrupted=scheduler.interrupted or bool(stop.received), seconds=time.monotonic() - started)


class _Scheduler:
    """The runner's state for one run: which task goes where (a child forked here, or its module's process), what is
    running, and the results in task order. `loop` is the event loop; each other method handles one event."""

    def __init__(self, tasks: Sequence[Task], options: _Options, limit: int, material: Optional[str],
                 cache: Optional[ResultCache]) -> None:
        self.tasks, self.options, self.limit, self.material, self.cache = tasks, options, limit, material, cache
        self.stored = [cache.get(t.claim) if cache is not None and t.perturbation is None else None for t in tasks]
        self.fork_server = server()
        self.groups = [registry.units_of(t.claim) if self.fork_server is not None else None for t in tasks]
        self.results: list[Optional[Result]] = [None] * len(tasks)
        self.pool = _Pool(options)  # checks forked here
        self.remotes: dict[tuple, _Remote] = {}  # module processes, by the modules they imported
        self.broken: dict[tuple, str] = {}  # modules that cannot be imported in a module process, and why
        self.remaining: dict[tuple, int] = {}  # tasks of each module not yet sent to it
        self.retry: list[int] = []  # tasks sent to a module process that ended before starting them, to send again
        self.retried: set[int] = set()
        for index, group in enumerate(self.groups):
            if group is not None and self.stored[index] is None:
                self.remaining[group] = self.remaining.get(group, 0) + 1
        self.files: dict = {}
        # where cited snippets were found in earlier runs, so that a snippet now gone is told from one never found
        self.sightings = Sightings(cache.record("anchors") if cache is not None and material is not None else None)
        self.claims = {t.claim.id: t.claim for t in tasks}
        self.related: dict[str, Result] = {}
        self.next_task = self.emitted = 0
        self.interrupted = False

    def forks_here(self) -> bool:
        return any(r is None and g is None for r, g in zip(self.stored, self.groups))

    # -- the event loop

    def loop(self, stop: StopSignals, on_result: Optional[Callable[[Result], None]]) -> None:
        while self._pending() and not stop.received:
            self._schedule()
            if self.pool.running or self.remotes:
                self._wait(stop)
                self._collect()
            self._emit(on_result)

    def _pending(self) -> bool:
        return (self.next_task < len(self.tasks) or bool(self.retry) or bool(self.pool.running)
                or any(r.running for r in self.remotes.values()))

    def _busy(self) -> int:
        return len(self.pool.running) + sum(len(r.running) for r in self.remotes.values())

    def _schedule(self) -> None:
        """Start or send what may go now: tasks to send again first, then the next ones in order."""
        while self.retry and self._may_send(self.retry[0]):
            self._dispatch(self.retry.pop(0))
        while self.next_task < len(self.tasks) and not self.retry:
            index = self.next_task
            if self.stored[index] is not None:
                self._finish(index, self.stored[index])
            elif not self._may_send(index):
                return
            elif self.groups[index] is not None:
                self._dispatch(index)
            elif not self._fork_here(index):
                return
            self.next_task += 1

    def _may_send(self, index: int) -> bool:
        """Whether the task may start (or, for a module process, be queued) now: at most `limit` checks run at once.
        A module process runs at most `limit` of its orders at once, so while it is the only one with work, up to
        as many again wait in it, and it starts the next as soon as one ends, without waiting for this process."""
        if self._busy() < self.limit:
            return True
        group = self.groups[index]
        remote = self.remotes.get(group) if group is not None else None
        return (remote is not None and not self.pool.running and len(remote.running) < 2 * self.limit
                and all(not other.running for key, other in self.remotes.items() if key != group))

    def _fork_here(self, index: int) -> bool:
        """Fork the task's check from this process; False when no process or descriptor can be spared now (the
        limit is lowered to what runs, and the task waits for one of them)."""
        try:
            self.pool.start(index, self.tasks[index])
        except OSError as exc:
            if self._busy():
                self.limit = self._busy()
                return False
            self._fail(index, f"could not start the check: {exc}")
        return True

    def _wait(self, stop: StopSignals) -> None:
        timeout = self.options.timeout
        handles = self.pool.handles() + [fd for r in self.remotes.values() for fd in r.process.handles()]
        deadlines = [_deadline(r, i, since, timeout) for r in self.remotes.values() for i, since in r.running.items()]
        wait_for = min([self.pool.deadline(), *deadlines]) - time.monotonic()
        if any(r.process.pidfd is None for r in self.remotes.values()):
            wait_for = min(wait_for, _POLL)
        _wait(handles + ([stop.fd] if stop.fd is not None else []), wait_for)

    def _collect(self) -> None:
        for index, result in self.pool.finished():
            self._finish(index, result)
        for group, remote in list(self.remotes.items()):
            self._receive(group, remote)

    def _emit(self, on_result: Optional[Callable[[Result], None]]) -> None:
        """Hand on the results that are in, in task order, each related to what it trusts (checked before it)."""
        while self.emitted < len(self.tasks) and self.results[self.emitted] is not None:
            task, result = self.tasks[self.emitted], self.results[self.emitted]
            if task.perturbation is None:  # what it trusts was checked before it (links.ordered)
                result = self.results[self.emitted] = links.relate(result, task.claim, self.related, self.claims)
                self.related[result.id] = result
            if on_result is not None:
                on_result(result)
            self.emitted += 1

    def shutdown(self) -> None:
        self.pool.close()
        for remote in self.remotes.values():
            remote.kill()
        if self.cache is not None:
            self.cache.seal()  # whatever a check wrote into the cache directory is undone
            if self.material is not None:
                self.cache.keep("anchors", self.sightings.to_json())
            self.cache.close()  # another run may use the cache from now on

    # -- results

    def _finish(self, index: int, result: Result) -> None:
        task = self.tasks[index]
        if result.cached is None and self.cache is not None and task.perturbation is None:
            self.cache.put(task.claim, result)
        if task.perturbation is None:
            result = check_material(task.claim, result, self.material, self.files, self.sightings)
        self.results[index] = result

    def _fail(self, index: int, reason: str, verdict: Verdict = Verdict.ERROR) -> None:
        self._finish(index, error_result(self.tasks[index].claim, verdict, reason, suffix=_suffix(self.tasks[index])))

    # -- module processes

    def _remote_for(self, group: tuple) -> _Remote:
        remote = self.remotes.get(group)
        if remote is not None:
            return remote
        if len(self.remotes) >= self.limit + 2:  # a module process with nothing running makes room; it is started again if needed
            for other, idle in list(self.remotes.items()):
                if not idle.running:
                    self.remotes.pop(other).process.close()
                    break
        process = registry.adopt(group) or ModuleProcess(self.fork_server, {"units": [u.to_json() for u in group],
                                                                             "timeout": registry.LOAD_TIMEOUT})
        remote = self.remotes[group] = _Remote(process)
        options = self.options
        process.send({"options": {"timeout": str(float(options.timeout)), "memory_mb": options.memory_mb,
                                  "strict": options.strict, "jobs": self.limit, **options.evaluation}})
        return remote

    def _dispatch(self, index: int) -> None:
        task, group = self.tasks[index], self.groups[index]
        self.remaining[group] -= 1
        if group in self.broken:
            return self._fail(index, self.broken[group])
        try:
            remote = self._remote_for(group)
        except OSError as exc:
            return self._fail(index, f"could not start its module process: {exc}")
        order = {"run": index, "id": task.claim.id, "file": task.claim.file, "line": task.claim.line,
                 "perturbation": task.perturbation.name if task.perturbation is not None else None}
        remote.running[index] = time.monotonic()
        if not remote.process.send(order):
            self._end(group, "its module process ended before it could take the check")

    def _end(self, group: tuple, reason: str) -> None:
        """The module process of `group` is gone or killed: what it was running fails with `reason`."""
        remote = self.remotes.pop(group)
        remote.kill()
        for index in list(remote.running):
            if remote.ready and index not in remote.pids and index not in self.retried:
                self.retried.add(index)  # it was waiting, not running: once more, in a module process started again
                self.retry.append(index)
                self.remaining[group] += 1
            else:
                self._fail(index, reason)
        if not remote.ready:
            self.broken[group] = reason

    def _receive(self, group: tuple, remote: _Remote) -> None:
        """Act on what the module process sent; end it when it died, broke its stream or is overdue."""
        try:
            problem = self._read(remote)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return self._end(group, f"its module process sent an unreadable message: {exc}")
        if problem is not None:
            return self._end(group, problem)
        if remote.process.frames.broken:
            return self._end(group, f"its module process sent {remote.process.frames.broken}")
        if remote.process.frames.ended or remote.process.exited():
            return self._end(group, _ENDED)
        now, timeout = time.monotonic(), self.options.timeout
        late = [i for i, since in remote.running.items() if now >= _deadline(remote, i, since, timeout)]
        for index in late:
            del remote.running[index]
            self._fail(index, f"killed after {timeout:g} s: its module process did not report it", Verdict.TIMEOUT)
        if late:
            self._end(group, "its module process was killed: it did not report another check in time")
        elif not remote.running and self.remaining.get(group, 0) == 0:
            self.remotes.pop(group).process.close()  # nothing more for it to do

    def _read(self, remote: _Remote) -> Optional[str]:
        """Take in the messages the module process sent; why it must be ended, if it must."""
        messages = remote.process.frames.read()
        if messages:
            remote.heard = time.monotonic()
        for message in messages:
            if "ended" in message:
                return _ENDED
            if "loaded" in message or "ready" in message:
                problem = message["ready"] if "ready" in message else message["loaded"]["error"]
                if problem is not None:
                    return ("its module could not be loaded (imported and warmed up) in a process of its own: "
                            f"{registry.LoadError(**problem)}")
                remote.ready = remote.ready or "ready" in message
                continue
            index = message.get("started", message.get("result", message.get("failed")))
            if not isinstance(index, int) or index not in remote.running:
                raise ValueError(f"a message about no check it is running: {json.dumps(message)[:200]}")
            if "started" in message:
                remote.running[index] = time.monotonic()
                remote.pids[index] = int(message["pid"])
                continue
            del remote.running[index]
            remote.pids.pop(index, None)
            if "failed" in message:
                self._fail(index, str(message["reason"]))
            else:
                self._finish(index, _remote_result(self.tasks[index], message["value"], self.options.strict))
        return None


# Why a module process's checks that were running fail when it ends without reporting them.
_ENDED = "its module process ended before reporting the result (it was killed, crashed or exited)"


def _deadline(remote: _Remote, index: int, since: float, timeout: float) -> float:
    """When the runner stops waiting for a check a module process runs: its time limit and some grace after it
    started, counting the module's import while the process has not reported it."""
    if index in remote.pids:  # it started then
        return since + timeout + _GRACE
    # it waits for its module to be imported, or behind running checks, each of which ends within its time limit
    return max(since, remote.heard) + timeout + _GRACE + (0.0 if remote.ready else registry.LOAD_TIMEOUT)


def _remote_result(task: Task, value, strict: bool) -> Result:
    """The result a check sent for the task (directly or through its module process), or an error saying why it is
    unusable: it must be a well-formed result for this claim with an object as evidence.

    What the check's process decided is only its verdict, method, evidence, reason and time: the claim's own fields
    are taken from the claim, and its status is classified again here from the verdict, so that nothing a check's
    process changes in the engine there can turn a failing verdict into a pass."""
    try:
        wrong = malformed(value)
        if wrong:
            raise ValueError(f"{', '.join(wrong)} malformed")
        sent = Result.from_json(value)
        if sent.id != task.claim.id + _suffix(task):
            raise ValueError(f"the result is for {sent.id!r}")
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        return error_result(task.claim, Verdict.ERROR, f"unreadable result: {exc!r}", suffix=_suffix(task))
    expected = dataclasses.replace(error_result(task.claim, sent.verdict, sent.reason, suffix=_suffix(task)),
                                   statement=statement_of(task.claim, task.perturbation))
    status, _ = status_of(task.claim, task.perturbation, sent.verdict, strict=strict)
    if sent.status is not status:
        return error_result(task.claim, Verdict.ERROR, f"the check's process reported {sent.verdict.value} as "
                            f"{sent.status.value}, where it is {status.value}: the engine was changed in that process",
                            suffix=_suffix(task))
    problem = inconsistency(sent)
    if problem is not None:
        return error_result(task.claim, Verdict.ERROR, f"the check's process sent a result that contradicts its own "
                            f"evidence ({problem}): the engine was changed in that process", suffix=_suffix(task))
    return dataclasses.replace(expected, status=status, method=sent.method, evidence=sent.evidence,
                               seconds=float(sent.seconds), reads=sent.reads)


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))

