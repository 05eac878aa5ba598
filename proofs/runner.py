"""Fail-closed runner: every claim in a process group of its own, with a time and memory limit."""

from __future__ import annotations

import dataclasses
import json
import os
import select
import signal
import struct
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Optional, Sequence

from proofs import links
from proofs.anchors import Sightings
from proofs.cache import ResultCache
from proofs.evaluate import check_material, error_result, evaluate
from proofs.model import Claim, Perturbation, Result
from proofs.verdicts import Verdict

__all__ = ["Task", "Run", "run", "ChildProcess", "StopSignals", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "OUTPUT_LIMIT"]

# Seconds one claim may take before the runner kills it.
DEFAULT_TIMEOUT = 60.0
# Address-space limit of one claim's process, in MiB.
DEFAULT_MEMORY_MB = 4096
# Bytes of what a check printed that its result keeps, under evidence["output"].
OUTPUT_LIMIT = 4096
# Signals that stop a run and kill its checks: what `timeout` sends, a closed terminal, Ctrl-C.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# Signals a memory limit can cause (the kernel's kill, a crash on a failed allocation, an abort in C code).
_LIMIT_SIGNALS = {signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS}
# File descriptors the runner holds for one running check (result pipe, pidfd, output file, the pipe's
# write end while forking), and those kept free for reports, the cache and the libraries.
_FDS_PER_CHECK = 4
_FDS_RESERVED = 32
# Largest result a check may send, in bytes; anything longer is an unreadable result.
_MAX_MESSAGE = 256 * 2**20
_HEADER = struct.Struct("!Q")
# Longest single wait for a check, in seconds; a longer time limit is waited for in several.
_MAX_WAIT = 3600.0


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


class ChildProcess:
    """`work()` run in a forked child that leads a session of its own, its output captured, and its JSON value sent
    back over a pipe. The child leaves with os._exit right after sending, so nothing it left behind (threads, atexit
    hooks, buffered files) runs; `kill` ends the child's whole process group, so nothing it started outlives it."""

    def __init__(self, work: Callable[[], Any], *, memory_mb: Optional[int] = None) -> None:
        for stream in (sys.stdout, sys.stderr):  # what the parent buffered must not be written by the child
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        parent = os.getpid()
        self.fd, write = os.pipe()
        try:
            self.output = tempfile.TemporaryFile()
        except OSError:  # the check's output is then discarded, never mixed into the parent's
            self.output = None
        try:
            self.pid = os.fork()
        except OSError:
            os.close(self.fd)
            os.close(write)
            if self.output is not None:
                self.output.close()
            raise
        if self.pid == 0:  # the child: nothing may return from here into the caller's code
            code = 70
            try:
                _close_inherited(keep=(write,) + ((self.output.fileno(),) if self.output is not None else ()))
                _enter_child(parent, self.output, memory_mb)
                try:
                    value = {"value": work()}
                except MemoryError:
                    value = {"memory": True}
                _flush_output()
                data = json.dumps(value, allow_nan=False).encode()
                _write_all(write, _HEADER.pack(len(data)) + data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        os.set_blocking(self.fd, False)
        try:
            self.pidfd: Optional[int] = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            self.pidfd = None
        self.started = time.monotonic()
        self.status: Optional[int] = None
        self._data = bytearray()
        self._eof = False

    def handles(self) -> list[int]:
        """File descriptors that become readable when the child has sent something or has ended."""
        return [self.fd] + ([self.pidfd] if self.pidfd is not None else [])

    def pump(self) -> bool:
        """Read what the child has sent so far; True once the whole message is here."""
        while not self._eof and not self.complete():
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                self._eof = True
            self._data += chunk
            if len(self._data) > _MAX_MESSAGE + _HEADER.size:
                break
        return self.complete()

    def complete(self) -> bool:
        if len(self._data) < _HEADER.size:
            return False
        (size,) = _HEADER.unpack_from(self._data)
        return size > _MAX_MESSAGE or len(self._data) >= _HEADER.size + size

    def message(self) -> Any:
        """The child's message: {"value": ...}, or {"memory": True}; raises ValueError when it is unreadable."""
        (size,) = _HEADER.unpack_from(self._data)
        if size > _MAX_MESSAGE:
            raise ValueError(f"the result is larger than {_MAX_MESSAGE} bytes")
        message = json.loads(bytes(self._data[_HEADER.size:_HEADER.size + size]))
        if not isinstance(message, dict) or not ({"value"} <= message.keys() or message.get("memory") is True):
            raise ValueError("not a result message")
        return message

    def exited(self) -> bool:
        """Whether the child has ended (it is not reaped here, so its process group can still be killed)."""
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    def kill(self) -> int:
        """Kill the child's process group and the child, reap it, close what it held; return its wait status."""
        if self.status is not None:
            return self.status
        for kill, target in ((os.killpg, self.pid), (os.kill, self.pid)):  # the group, and the child if not yet its leader
            try:
                kill(target, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                _, self.status = os.waitpid(self.pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                self.status = 0
                break
        for fd in (self.fd, self.pidfd):
            if fd is not None:
                os.close(fd)
        return self.status

    def captured(self) -> Optional[str]:
        """What the child printed (its first OUTPUT_LIMIT bytes), or None when it printed nothing."""
        if self.output is None:
            return None
        try:
            size = os.fstat(self.output.fileno()).st_size
            head = os.pread(self.output.fileno(), OUTPUT_LIMIT, 0) if size else b""
        except OSError:
            return None
        finally:
            self.output.close()
        if not size:
            return None
        text = head.decode("utf-8", errors="replace")
        if size > OUTPUT_LIMIT:
            text += f"\n[output truncated: the first {OUTPUT_LIMIT} of {size} bytes are shown]"
        return text

    def close(self) -> None:
        """Kill the child's process group and drop what it printed."""
        self.kill()
        if self.output is not None:
            self.output.close()

    def wait(self, timeout: float) -> bool:
        """Wait until the message is complete, the child ends or `timeout` seconds have passed since it started."""
        poller = select.poll()
        for fd in self.handles():
            poller.register(fd, select.POLLIN)
        while not self.pump() and not self.exited():
            left = self.started + timeout - time.monotonic()
            if left <= 0:
                return False
            poller.poll(min(left, 0.05 if self.pidfd is None else _MAX_WAIT) * 1000)
        return True


def _close_inherited(keep: tuple[int, ...]) -> None:
    """Close every descriptor above 2 the child inherited but `keep`: the parent's streams and report files, and
    the pipes of the other checks, are not the check's to write to."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    try:
        high = os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        high = 1 << 16
    os.closerange(low, max(low, high))


def _enter_child(parent: int, output, memory_mb: Optional[int]) -> None:
    """Make this forked process a session leader that dies with its parent, prints only into `output`, and runs
    with the memory limit and the ordinary signal handling (nothing ignored that its own children would inherit)."""
    os.setsid()
    try:
        signal.set_wakeup_fd(-1)
        for signum in STOP_SIGNALS + (signal.SIGALRM,):
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)
    except ValueError:  # forked from a thread other than the main one, whose handlers stay
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the death signal was set
        os._exit(70)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    target = output.fileno() if output is not None else null
    os.dup2(target, 1)
    os.dup2(target, 2)
    sys.stdout = sys.__stdout__ = open(1, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)
    import faulthandler

    if faulthandler.is_enabled():  # its dump of a crashing check goes with the check's other output
        faulthandler.enable(file=sys.stderr)
    if memory_mb is not None:
        try:
            import resource

            limit = memory_mb * 2**20
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        except (ImportError, ValueError, OSError):
            pass


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a check may have replaced or closed its streams
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
        try:
            os.write(self._write, b"!")
        except OSError:
            pass

    def __exit__(self, *exc) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        for fd in (self.fd, self._write):
            if fd is not None:
                os.close(fd)


def _suffix(task: Task) -> str:
    return "~" + task.perturbation.name if task.perturbation else ""


def _died(task: Task, status: int, memory_mb: int) -> Result:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        how = f"was killed by {name}"
        if number in _LIMIT_SIGNALS:
            how += f" (possibly the memory limit of {memory_mb} MiB)"
    else:
        how = f"exited with code {os.WEXITSTATUS(status)}"
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


def _received(task: Task, child: ChildProcess, memory_mb: int) -> Result:
    """The result a child sent, or an error saying why there is none usable."""
    try:
        message = child.message()
        if message.get("memory"):
            return error_result(task.claim, Verdict.ERROR, f"out of memory (limit {memory_mb} MiB)", suffix=_suffix(task))
        result = Result.from_json(message["value"])
        if result.id != task.claim.id + _suffix(task):
            raise ValueError(f"the result is for {result.id!r}")
        if not isinstance(result.evidence, dict):
            raise ValueError("its evidence is not an object")
        return result
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        return error_result(task.claim, Verdict.ERROR, f"unreadable result: {exc!r}", suffix=_suffix(task))


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
    SIGTERM, SIGHUP or Ctrl-C kill the running checks and return what had finished, with interrupted set.
    With a cache, a claim (not a perturbation) whose result is stored for these inputs is not run again, and
    every claim that passes or is an acknowledged erratum is stored. Anchors are verified against the material
    here, after the check, so that a stored result never carries a verdict on the material.
    A claim's result is related to the results of the claims it trusts (proofs.links), which must come before it
    among the tasks (links.ordered gives that order); what it trusts but was not run makes it fail.
    `prepare` (the packs' warm-up) is called exactly once, before the first check is forked, whenever one is: a
    verdict never depends on --jobs or on the selection. What a check prints is kept in its evidence["output"].
    """
    stored = [cache.get(t.claim) if cache is not None and t.perturbation is None else None for t in tasks]
    if prepare is not None and any(r is None for r in stored):
        prepare()
    start_all = time.monotonic()
    results: list[Optional[Result]] = [None] * len(tasks)
    running: dict[int, ChildProcess] = {}
    limit = max_running(jobs)
    files: dict = {}
    # where cited snippets were found in earlier runs, so that a snippet now gone is told from one never found
    sightings = Sightings(cache.record("anchors") if cache is not None and material is not None else None)
    options = {"cross_check": cross_check, "export": export}

    def finish(index: int, result: Result, started: float, output: Optional[str] = None) -> None:
        task = tasks[index]
        if result.cached is None:
            if output is not None:  # under "output", unless the check's own evidence has that key
                key = "output" if "output" not in result.evidence else "printed output"
                result = dataclasses.replace(result, evidence={**result.evidence, key: output})
            result = dataclasses.replace(result, seconds=time.monotonic() - started)
            if cache is not None and task.perturbation is None:
                cache.put(task.claim, result)
        if task.perturbation is None:
            result = check_material(task.claim, result, material, files, sightings)
        results[index] = result

    claims = {t.claim.id: t.claim for t in tasks}
    related: dict[str, Result] = {}
    next_task = emitted = 0
    interrupted = False
    with StopSignals() as stop:
        try:
            while (next_task < len(tasks) or running) and not stop.received:
                while next_task < len(tasks) and len(running) < limit:
                    if stored[next_task] is not None:
                        finish(next_task, stored[next_task], time.monotonic())
                        next_task += 1
                        continue
                    task = tasks[next_task]
                    try:
                        running[next_task] = ChildProcess(lambda task=task: _evaluate(task, strict, options), memory_mb=memory_mb)
                    except OSError as exc:  # no process or descriptor to spare: wait for a running check, or fail this one
                        if running:
                            limit = len(running)
                            break
                        finish(next_task, error_result(task.claim, Verdict.ERROR, f"could not start the check: {exc}",
                                                       suffix=_suffix(task)), time.monotonic())
                    next_task += 1
                if running:
                    _collect(running, tasks, timeout, memory_mb, finish, stop.fd)
                while emitted < len(tasks) and results[emitted] is not None:
                    if tasks[emitted].perturbation is None:  # what it trusts was checked before it (links.ordered)
                        results[emitted] = links.relate(results[emitted], tasks[emitted].claim, related, claims)
                        related[results[emitted].id] = results[emitted]
                    if on_result is not None:
                        on_result(results[emitted])
                    emitted += 1
        except KeyboardInterrupt:  # outside the main thread, where Ctrl-C cannot be turned into a request to stop
            interrupted = True
        finally:
            for child in running.values():
                child.close()
            if cache is not None:
                cache.seal()  # whatever a check wrote into the cache directory is undone
                if material is not None:
                    cache.keep("anchors", sightings.to_json())
        interrupted = interrupted or bool(stop.received)
    done = tuple(r for r in results if r is not None)
    return Run(results=done, interrupted=interrupted, seconds=time.monotonic() - start_all)


def _collect(running: dict, tasks: Sequence[Task], timeout: float, memory_mb: int, finish: Callable,
             wake: Optional[int]) -> None:
    """Wait until a running check reports, dies or runs out of time (or a stop signal wakes `wake`), and finish
    every one that did, killing its process group."""
    poller = select.poll()
    for child in running.values():
        for fd in child.handles():
            poller.register(fd, select.POLLIN)
    if wake is not None:
        poller.register(wake, select.POLLIN)
    wait_for = max(0.0, min(c.started + timeout for c in running.values()) - time.monotonic())
    if any(c.pidfd is None for c in running.values()):
        wait_for = min(wait_for, 0.05)
    poller.poll(min(wait_for, _MAX_WAIT) * 1000)
    for index, child in list(running.items()):
        task = tasks[index]
        if child.pump():
            child.kill()
            result = _received(task, child, memory_mb)
        elif child.exited():
            child.pump()
            status = child.kill()
            result = _received(task, child, memory_mb) if child.complete() else _died(task, status, memory_mb)
        elif time.monotonic() - child.started >= timeout:
            child.kill()
            result = error_result(task.claim, Verdict.TIMEOUT, f"killed after {timeout:g} s", suffix=_suffix(task))
        else:
            continue
        finish(index, result, child.started, child.captured())
        del running[index]


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))
