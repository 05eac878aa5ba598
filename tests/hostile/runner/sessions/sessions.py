"""Hostile pack: processes that leave their check's process group for a session of their own, at import and in
checks: `Popen(start_new_session=True)` and a daemon double-forked after `setsid`."""

import os
import subprocess
import time

from proofs import Outcome, Verdict, claim

COMMON = dict(part=None, asserts="(process hygiene)", formal="(process hygiene)", requires=Verdict.PROVED)
# Each process started writes its pid into this directory, so that a test can see them gone.
PIDS = os.environ.get("PROOFS_TEST_PIDS", "")


def _record(name, pid):
    """Write the pid whole or not at all, under a name of its own in every process that imports this module."""
    if PIDS:
        name = f"{name}-{os.getpid()}-{pid}"
        partial = f"{PIDS}.{name}.partial"
        with open(partial, "w") as fh:
            fh.write(str(pid))
        os.replace(partial, os.path.join(PIDS, name))


def _session(name):
    _record(name, subprocess.Popen(["sleep", "300"], start_new_session=True).pid)


def _daemon(name):
    read, write = os.pipe()
    first = os.fork()
    if first == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                os.write(write, str(os.getpid()).encode())
                while True:
                    time.sleep(1)
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(first, 0)
    daemon = int(os.read(read, 64))
    os.close(read)
    _record(name, daemon)


_session("import-session")
_daemon("import-daemon")


@claim("ex94.new_session", exercise=94, statement="A check that leaves `sleep 300` in a session of its own.", **COMMON)
def new_session():
    _session("check-session")
    return Outcome(Verdict.PROVED, "exact arithmetic", {"spawned": "sleep"})


@claim("ex94.daemon", exercise=94, statement="A check that leaves a double-forked setsid daemon.", **COMMON)
def daemon():
    _daemon("check-daemon")
    return Outcome(Verdict.PROVED, "exact arithmetic", {"spawned": "daemon"})


@claim("ex94.daemon_then_hang", exercise=94, statement="A check that starts a daemon and a session, then hangs.",
       **COMMON)
def daemon_then_hang():
    _daemon("hang-daemon")
    _session("hang-session")
    while True:
        time.sleep(0.05)


CLAIMS = (new_session, daemon, daemon_then_hang)
