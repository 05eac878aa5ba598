"""The command's exit status, decided by a process that runs no pack code: it only waits for the one that does."""

from __future__ import annotations

import os
import signal
import struct
import sys
from typing import Callable

__all__ = ["guarded", "inside"]

# The one message the working process sends: a marker, then its exit code.
_MESSAGE = struct.Struct("!8sB")
_MARKER = b"proofs-x"
# Signals passed on to the working process, which stops its run on them and reports what finished.
_PASSED_ON = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# si_code of a signal the kernel sent (a terminal's Ctrl-C reaches the whole foreground group, the working process too).
_SI_KERNEL = 0x80
# Exit code when the working process ended without saying how the command ended (ExitCode.INTERNAL_ERROR).
_ENDED = 3
# Exit code when it was ended by a stop signal passed on to it (ExitCode.INTERRUPTED).
_INTERRUPTED = 2
# Set in the working process: the write end of its pipe to the waiting process.
_REPORT: list[int] = []


def inside() -> bool:
    """Whether this process is the working process of a guarded command."""
    return bool(_REPORT)


def guarded(work: Callable[[], int]) -> int:
    """Run `work` (a whole command) in a forked child and return the exit code it returned, as it reported it.

    Pack code is imported and run only in the child: whatever it leaves behind (an atexit hook or a thread calling
    os._exit(0), a signal handler, a patched sys.exit) cannot set the command's exit status, which is the code the
    command returned, or 3 with one line saying how the child ended when it ended without returning one (or with an
    exit status other than the code it sent: the child leaves with os._exit right after sending it). SIGTERM,
    SIGHUP and a Ctrl-C sent to this process are passed on to the child, which dies with this process. Where no child
    can be forked, `work` runs here."""
    if not sys.platform.startswith("linux") or inside():
        return work()
    waited = set(_PASSED_ON) | {signal.SIGCHLD}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    parent = os.getpid()
    try:
        read, write = os.pipe()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return work()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return work()
    if pid == 0:
        os.close(read)
        _REPORT.append(write)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        _die_with(parent)
        from proofs import processes

        processes.become_subreaper()  # what a check forked here leaves, in whatever session, comes back here
        try:
            code = max(0, min(int(work()), 255))
        finally:
            processes.end_all()  # nothing a module process or a check started outlives the command
        _report(code)
        os._exit(code)  # nothing runs after it has said how the command ended (exit hooks included)
    os.close(write)
    passed: list[int] = []
    try:
        status = _wait(pid, waited, passed)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    received = _read_all(read)
    if len(received) == _MESSAGE.size:
        marker, code = _MESSAGE.unpack(received)
        if marker == _MARKER and os.WIFEXITED(status) and os.WEXITSTATUS(status) == code:
            return code
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in passed:
        _say(f"interrupted: the checker was stopped by {_signal_name(os.WTERMSIG(status))} before it could report\n")
        return _INTERRUPTED
    how = (f"was killed by {_signal_name(os.WTERMSIG(status))}" if os.WIFSIGNALED(status)
           else f"exited with code {os.WEXITSTATUS(status)}")
    problem = "ended without a consistent answer" if received else "ended without finishing"
    _say(f"error: the checker's working process {problem}: it {how}; something it loaded or ran ended it "
         "(a claim pack's import-time code, a thread or an exit hook): no claim is reported as checked\n")
    return _ENDED


def _die_with(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(_ENDED)


def _report(code: int) -> None:
    """Flush what the command wrote, then send its exit code once; anything after this cannot change it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - pack code may have replaced or closed the stream
            pass
    fd = _REPORT[0]
    try:
        os.write(fd, _MESSAGE.pack(_MARKER, code))
        os.close(fd)
    except (OSError, ValueError, TypeError):
        pass


def _wait(pid: int, waited: set, passed: list[int]) -> int:
    """Wait for the child to end, passing on each stop signal this process is sent (noted in `passed`); its wait
    status."""
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done:
            return status
        info = signal.sigtimedwait(waited, 1.0)
        if info is None or info.si_signo == signal.SIGCHLD:
            continue
        passed.append(info.si_signo)
        if info.si_signo == signal.SIGINT and info.si_code == _SI_KERNEL:
            continue  # a terminal's Ctrl-C: the child, in the same foreground group, was sent it too
        try:
            os.kill(pid, info.si_signo)
        except OSError:
            pass


def _read_all(fd: int) -> bytes:
    """What the ended child sent (without waiting for processes it left behind, which may hold the pipe open)."""
    data = b""
    try:
        os.set_blocking(fd, False)
        while len(data) <= _MESSAGE.size:
            chunk = os.read(fd, 64)
            if not chunk:
                break
            data += chunk
    except OSError:  # BlockingIOError included: nothing more was sent
        pass
    finally:
        os.close(fd)
    return data


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
