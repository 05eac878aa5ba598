"""Processes the checker starts: a check's child, the clean fork server and the module processes it forks."""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Optional

__all__ = ["ChildProcess", "ForkServer", "ModuleProcess", "Frames", "frame", "server", "start_server", "stop_server",
           "children", "end_descendants", "become_subreaper", "end_all", "context",
           "enter_context", "OUTPUT_LIMIT", "STOP_SIGNALS"]

# Bytes of what a check printed that its result keeps, under evidence["output"].
OUTPUT_LIMIT = 4096
# Signals that stop a run and kill its checks: what `timeout` sends, a closed terminal, Ctrl-C.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# Largest message a process may send, in bytes; anything longer is an unreadable message.
_MAX_MESSAGE = 256 * 2**20
_HEADER = struct.Struct("!Q")
# Longest single wait for a check, in seconds; a longer time limit is waited for in several.
_MAX_WAIT = 3600.0
# Seconds the fork server may take to answer a request before it counts as gone.
_SERVER_ANSWER = 30.0
# Seconds between the fork server's looks for module processes that ended (and what they left behind).
_SERVER_POLL = 0.2
# Seconds the fork server is given to end its module processes and what they left when it is closed.
_SERVER_CLOSE = 10.0


def frame(value: Any) -> bytes:
    """A JSON value as one message: its length, then its text."""
    data = json.dumps(value, allow_nan=False).encode()
    return _HEADER.pack(len(data)) + data


_prctl_function: list = []


def _prctl() -> Optional[Callable]:
    """libc's prctl (Linux), loaded once per process and inherited by every child forked after."""
    if not _prctl_function:
        function = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).prctl
            except (OSError, AttributeError):
                function = None
        _prctl_function.append(function)
    return _prctl_function[0]


# prctl options (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
# Set in a process that made itself a child subreaper (`_become_subreaper`): every orphaned descendant is its child.
_subreaper: list[bool] = []
# Rounds of killing a process's children (`end_descendants`): each round reaps what the last one re-parented here.
_MAX_ROUNDS = 1000


def _become_subreaper(on: bool = True) -> bool:
    """Make this process a child subreaper (Linux, prctl PR_SET_CHILD_SUBREAPER), or stop it being one: a descendant
    whose parent dies, in whatever session or process group it made for itself, becomes this process's child instead
    of init's, so that `end_descendants` can reach it. Not inherited by the children this process forks. False where
    it cannot be (elsewhere than on Linux: what a check leaves in a session of its own is then not reached)."""
    prctl = _prctl()
    if prctl is None or prctl(_PR_SET_CHILD_SUBREAPER, 1 if on else 0, 0, 0, 0) != 0:
        return False
    _subreaper[:] = [True] if on else []
    return True


def become_subreaper() -> bool:
    """For a process that runs one piece of work and nothing else until it leaves (the command's process, see
    proofs.cli; the process of a module process that imports the module and checks its claims): make it a child
    subreaper for good, the checks its parent started not its own; `end_all` or `end_descendants` then ends what was
    left behind in it."""
    _LIVE.clear()
    _baseline[:] = []
    _subreaper[:] = []
    return _become_subreaper()


def end_all() -> None:
    """At the end of a command's process: stop the fork server in order, then end every other child of this
    process (what a check killed here left behind)."""
    stop_server()
    end_descendants()


def children(pid: Optional[int] = None) -> set[int]:
    """The pids of the processes whose parent is `pid` (this process by default), read from /proc."""
    pid = os.getpid() if pid is None else pid
    found: set[int] = set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 1 and int(fields[1]) == pid:
            found.add(int(entry))
    return found


def _has_children() -> bool:
    """Whether this process has a child, running or ended (waitid without waiting or reaping)."""
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    except OSError:
        return True
    return True


def end_descendants(keep: frozenset[int] = frozenset()) -> None:
    """Kill (SIGKILL) and reap every child of this process but `keep`, round after round: in a child subreaper, the
    children of each one killed become its children in turn, until none is left (a bounded number of rounds)."""
    for _ in range(_MAX_ROUNDS):
        if not _has_children():  # the usual case, told without reading /proc
            return
        found = children() - keep
        if not found:
            return
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in found:
            with contextlib.suppress(ChildProcessError, InterruptedError, OSError):
                os.waitpid(pid, 0)


def _pidfd(pid: int) -> Optional[int]:
    """A descriptor that becomes readable when the process `pid` ends (Linux 5.3), or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _read_some(fd: int) -> Optional[bytes]:
    """What a non-blocking pipe holds now: b"" once the writer has closed it (or the read failed), None when nothing
    is there yet."""
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return None
    except OSError:
        return b""


# The pids of the ChildProcesses this process started and has not reaped yet.
_LIVE: set[int] = set()
# In a child subreaper: its children when it started its first ChildProcess (the fork server, what a module started
# while it was imported), which a check's end never ends.
_baseline: list[frozenset[int]] = []


class ChildProcess:
    """`work()` run in a forked child that leads a session of its own, its output captured, and its JSON value sent
    back over a pipe. The child leaves with os._exit right after sending, so nothing it left behind (threads, atexit
    hooks, buffered files) runs; `kill` ends the child's whole process group, so nothing it started outlives it."""

    def __init__(self, work: Callable[[], Any], *, memory_mb: Optional[int] = None) -> None:
        for stream in (sys.stdout, sys.stderr):  # what the parent buffered must not be written by the child
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        _prctl()  # loaded here once, not in every child
        parent = os.getpid()
        if _subreaper and not _baseline:  # this process's own children, before any check: never a check's
            _baseline.append(frozenset(children()))
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
                end_descendants()  # nothing the check started outlives it, whatever session it made
                _flush_output()
                _write_all(write, frame(value))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        os.set_blocking(self.fd, False)
        self.pidfd = _pidfd(self.pid)
        _LIVE.add(self.pid)
        self.started = time.monotonic()
        self.status: Optional[int] = None
        # when its message was complete and its group was sent SIGKILL (`stop`); it is reaped once it has ended
        self.stopped: Optional[float] = None
        self.frames = Frames(self.fd)
        self._messages: list = []

    def handles(self) -> list[int]:
        """File descriptors that become readable when the child has sent something or has ended (once it is stopped,
        only when it has ended)."""
        if self.stopped is not None:
            return [self.pidfd] if self.pidfd is not None else [self.fd]
        return [self.fd] + ([self.pidfd] if self.pidfd is not None else [])

    def pump(self) -> bool:
        """Read what the child has sent so far; True once the whole message is here."""
        if not self.complete():
            self._messages += self.frames.read()
        return self.complete()

    def complete(self) -> bool:
        return bool(self._messages or self.frames.broken)

    def message(self) -> Any:
        """The child's message: {"value": ...}, or {"memory": True}; raises ValueError when it is unreadable."""
        if not self._messages:
            raise ValueError(f"the check's process sent {self.frames.broken}")
        message = self._messages[0]
        if not isinstance(message, dict) or not ({"value"} <= message.keys() or message.get("memory") is True):
            raise ValueError("not a result message")
        return message

    def exited(self) -> bool:
        """Whether the child has ended (it is not reaped here, so its process group can still be killed)."""
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    def stop(self) -> None:
        """Send SIGKILL to the child's process group and the child without waiting for them to end: nothing in them
        runs again, and the caller goes on while the kernel tears them down (`kill` reaps the child)."""
        if self.status is not None:
            return
        for kill, target in ((os.killpg, self.pid), (os.kill, self.pid)):  # the group, and the child if not yet its leader
            with contextlib.suppress(OSError):
                kill(target, signal.SIGKILL)
        if self.stopped is None:
            self.stopped = time.monotonic()

    def kill(self) -> int:
        """Kill the child's process group and the child, reap it, close what it held; return its wait status."""
        if self.status is not None:
            return self.status
        self.stop()
        try:
            _, self.status = os.waitpid(self.pid, 0)  # retried when a signal interrupts it (PEP 475)
        except ChildProcessError:
            self.status = 0
        _LIVE.discard(self.pid)
        if _subreaper and not self.complete():  # killed before it ended what it started (which it does before it
            # sends its result): what it left was re-parented here; end it too
            own = {_server[0].pid} if _server and _server[0].owner == os.getpid() else set()
            end_descendants(keep=(_baseline[0] if _baseline else frozenset()) | frozenset(_LIVE) | frozenset(own))
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
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the death signal was set
        os._exit(70)
    _LIVE.clear()  # the parent's checks are not this process's
    _baseline[:] = []
    _subreaper[:] = []
    _become_subreaper()  # what this process's descendants leave behind comes back here to be ended
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
        with contextlib.suppress(Exception):  # a check may have replaced or closed its streams
            stream.flush()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Frames:
    """Reads the messages a process sends on a non-blocking pipe, as they complete."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.ended = False  # the writer closed its end (or died)
        self.broken = ""  # why the stream cannot be read any further, if it cannot
        self._data = bytearray()

    def read(self) -> list[Any]:
        """Every message complete so far; a message that is too long or not JSON breaks the stream."""
        while not self.ended and not self.broken:
            chunk = _read_some(self.fd)
            if chunk is None:
                break
            self.ended = not chunk
            self._data += chunk
        out = []
        while not self.broken and len(self._data) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._data)
            if size > _MAX_MESSAGE:
                self.broken = f"a message longer than {_MAX_MESSAGE} bytes"
                break
            if len(self._data) < _HEADER.size + size:
                break
            try:
                out.append(json.loads(bytes(self._data[_HEADER.size:_HEADER.size + size])))
            except (ValueError, RecursionError) as exc:
                self.broken = f"an unreadable message ({exc})"
            del self._data[:_HEADER.size + size]
        return out


class ForkServer:
    """A process forked before any claim pack is imported, holding the engine and the libraries (proofs, sympy,
    z3) and no pack code: each module process is forked from it, so no pack's import-time effects reach another.
    It dies with the process that started it; its module processes die with it."""

    def __init__(self, target: Callable[[dict, list[int]], None]) -> None:
        self.owner = os.getpid()
        self.modules = frozenset(sys.modules)  # what every module process starts from
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        _prctl()
        self.pid = os.fork()
        if self.pid == 0:
            code = 70
            try:
                ours.close()
                _close_inherited(keep=(theirs.fileno(),))
                _enter_child(self.owner, None, None)
                _serve_forks(theirs, target)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        self.socket = ours
        self.pidfd = _pidfd(self.pid)

    def alive(self) -> bool:
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False

    def spawn(self, request: dict, fds: list[int]) -> int:
        """Fork a module process that runs the server's target with `request` and `fds`; its pid. Raises OSError
        when the server is gone or cannot fork."""
        with self._lock:
            if os.getpid() != self.owner or not self.alive():
                raise OSError("the fork server has ended")
            try:
                socket.send_fds(self.socket, [json.dumps(request).encode()], fds)
                ready, _, _ = select.select([self.socket], [], [], _SERVER_ANSWER)
                answer = json.loads(self.socket.recv(1 << 16)) if ready else None
            except (OSError, ValueError) as exc:
                raise OSError(f"the fork server did not answer: {exc}") from None
            if not isinstance(answer, dict) or not isinstance(answer.get("pid"), int):
                raise OSError(f"the fork server could not start it: {answer.get('error') if isinstance(answer, dict) else 'no answer'}")
            return answer["pid"]

    def close(self) -> None:
        """Stop the server: it sees its requests end, kills its module processes and everything re-parented to it,
        and leaves; killed outright if it has not within _SERVER_CLOSE seconds."""
        if os.getpid() != self.owner:
            return
        self.socket.close()
        deadline = time.monotonic() + _SERVER_CLOSE
        try:
            while time.monotonic() < deadline:
                if os.waitpid(self.pid, os.WNOHANG)[0] != 0:
                    return
                time.sleep(0.01)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def _serve_forks(sock: socket.socket, target: Callable[[dict, list[int]], None]) -> None:
    """The fork server's loop: fork a module process for each request, reap the ones that ended; stop when the
    process that started it closes its end."""
    from proofs import reads

    reads.mark_digested(sys.modules)  # a check records every module loaded after these (pack modules included)
    gc.collect()
    gc.freeze()  # what is here stays shared with the module processes, not copied by the collector's writes
    server = os.getpid()
    forked: set[int] = set()
    try:
        _serve_requests(sock, target, server, forked)
    finally:
        end_descendants()  # every module process, and whatever was re-parented here, ends with the server


def _serve_requests(sock: socket.socket, target: Callable[[dict, list[int]], None], server: int, forked: set) -> None:
    while True:
        _reap(forked)
        ready, _, _ = select.select([sock], [], [], _SERVER_POLL)
        if not ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 8)
        except OSError:
            return
        if not data:
            return
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in fds:
                os.close(fd)
            sock.send(json.dumps({"error": str(exc)}).encode())
            continue
        if pid == 0:
            code = 70
            try:
                sock.close()
                _close_inherited(keep=tuple(fds))
                _enter_child(server, None, None)
                target(json.loads(data), fds)
                code = 0
            finally:
                try:
                    end_descendants()  # what the module or its checks started (at import too) ends with it
                finally:
                    os._exit(code)
        forked.add(pid)
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())


def _reap(forked: set[int]) -> None:
    """Reap the module processes that ended, and kill what was re-parented here from one that was killed (a fork
    server is a child subreaper): a child it did not fork itself."""
    ended = False
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        ended = ended or pid in forked
        forked.discard(pid)
    if ended and _subreaper:  # what a module process left is re-parented here when it dies
        end_descendants(keep=frozenset(forked))


_server: list[ForkServer] = []
_at_exit: list[bool] = []


def _half_imported() -> list[str]:
    """The engine's modules (proofs and its subpackages) still being imported: a process forked now would keep them
    half made for good (an attribute set at the end of an import, a submodule bound to its package, missing)."""
    return sorted(name for name, module in list(sys.modules.items())
                  if (name == "proofs" or name.startswith("proofs."))
                  and getattr(getattr(module, "__spec__", None), "_initializing", False))


def start_server(target: Callable[[dict, list[int]], None]) -> Optional[ForkServer]:
    """Start this process's fork server once (call it before any pack is imported, once the engine is imported: not
    from a module's body); None when none can run, or when a module of the engine is still being imported (a later
    call starts it)."""
    if _server and _server[0].owner == os.getpid():
        return _server[0]
    if not hasattr(socket, "send_fds") or not sys.platform.startswith("linux") or _half_imported():
        return None
    try:
        started = ForkServer(target)
    except OSError:
        return None
    if not _at_exit:
        atexit.register(stop_server)
        _at_exit.append(True)
    _server[:] = [started]
    return started


def stop_server() -> None:
    """Close this process's fork server, if it started one (see `ForkServer.close`): called when the command's work
    is done, and at exit, so that nothing a module or a check left behind outlives the run."""
    if _server and _server[0].owner == os.getpid():
        started = _server.pop()
        started.close()


def server() -> Optional[ForkServer]:
    """This process's fork server, if it started one and it is still running."""
    if _server and _server[0].owner == os.getpid() and _server[0].alive():
        return _server[0]
    return None


def context() -> dict:
    """What a module process takes from the process that asks for it rather than from the fork server's start:
    the environment, the working directory and the import path, as they are now."""
    return {"environ": dict(os.environ), "cwd": os.getcwd(), "path": list(sys.path)}


def enter_context(found: dict) -> None:
    """In a module process: take on the context the runner sent (see `context`)."""
    environ = {str(k): str(v) for k, v in found["environ"].items()}
    for key in [k for k in os.environ if k not in environ]:
        del os.environ[key]
    os.environ.update(environ)
    os.chdir(found["cwd"])
    sys.path[:] = [str(p) for p in found["path"]]


class ModuleProcess:
    """The parent's handle on a module process: commands go down one pipe, messages come up another. The process
    is the fork server's child, so it is watched through its pidfd and its pipe, and killed through its pidfd."""

    def __init__(self, fork_server: ForkServer, request: dict) -> None:
        request = {**request, "context": context()}
        down_read, self.down = os.pipe()
        up_read, up_write = os.pipe()
        try:
            self.pid = fork_server.spawn(request, [down_read, up_write])
        except OSError:
            for fd in (down_read, self.down, up_read, up_write):
                os.close(fd)
            raise
        os.close(down_read)
        os.close(up_write)
        self.fd = up_read
        os.set_blocking(self.fd, False)
        os.set_blocking(self.down, False)
        self.frames = Frames(self.fd)
        self.pidfd = _pidfd(self.pid)
        self.started = time.monotonic()
        self.closed = False

    def handles(self) -> list[int]:
        return [] if self.closed else [self.fd] + ([self.pidfd] if self.pidfd is not None else [])

    def send(self, value: Any) -> bool:
        """Send a command; False when the process cannot take it (it ended, or stopped reading)."""
        if self.closed:
            return False
        try:
            _write_all(self.down, frame(value))
        except OSError:  # BrokenPipeError, or a full pipe: the process is not reading
            return False
        return True

    def exited(self) -> bool:
        if self.pidfd is None:
            return self.frames.ended
        ready, _, _ = select.select([self.pidfd], [], [], 0)
        return bool(ready)

    def kill(self, groups: tuple[int, ...] = ()) -> None:
        """Kill the module process and the process groups of the checks it was running; close what it held."""
        if self.closed:
            return
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        for group in groups:  # a check's own children, which its death signal does not reach
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """End the conversation: the process sees its commands end and leaves."""
        if self.closed:
            return
        self.closed = True
        for fd in (self.down, self.fd, self.pidfd):
            if fd is not None:
                os.close(fd)
