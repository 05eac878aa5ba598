"""Hostile pack: checks that leave processes and threads behind, or start processes of their own."""

import os
import signal
import subprocess
import threading
import time

from proofs import Outcome, Verdict, claim

COMMON = dict(part=None, asserts="(process hygiene)", formal="(process hygiene)", requires=Verdict.PROVED)
# Each check writes the pids of what it started into this directory, so that a test can see them gone.
PIDS = os.environ.get("PROOFS_TEST_PIDS", "")


def _record(name, pid):
    """Write the pid whole or not at all (a check killed while writing must not leave an empty file)."""
    if PIDS:
        partial = f"{PIDS}.{name}.partial"
        with open(partial, "w") as fh:
            fh.write(str(pid))
        os.replace(partial, os.path.join(PIDS, name))


@claim("ex98.spawns_sleep", exercise=98, statement="A check that leaves `sleep 300` running.", **COMMON)
def spawns_sleep():
    proc = subprocess.Popen(["sleep", "300"])
    _record("sleep", proc.pid)
    return Outcome(Verdict.PROVED, "exact arithmetic", {"spawned": "sleep"})


@claim("ex98.forks_stubborn", exercise=98, statement="A check whose forked child ignores SIGTERM.", **COMMON)
def forks_stubborn():
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(1)
    _record("stubborn", pid)
    return Outcome(Verdict.PROVED, "exact arithmetic", {"forked": "stubborn"})


@claim("ex98.leaves_thread", exercise=98, statement="A check that leaves a non-daemon thread running.", **COMMON)
def leaves_thread():
    threading.Thread(target=lambda: time.sleep(300), daemon=False).start()
    return Outcome(Verdict.PROVED, "exact arithmetic", {"thread": "left"})


@claim("ex98.ignores_sigterm", exercise=98, statement="A check that ignores SIGTERM.", **COMMON)
def ignores_sigterm():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return Outcome(Verdict.PROVED, "exact arithmetic", {"sigterm": "ignored"})


@claim("ex98.uses_a_pool", exercise=98, statement="A check that computes with a multiprocessing pool.", **COMMON)
def uses_a_pool():
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        squares = pool.map(abs, [-1, -2, -3])
    return Outcome(Verdict.PROVED if squares == [1, 2, 3] else Verdict.ERROR, "exact arithmetic", {"values": squares})


@claim("ex98.sleeps_then_spawns", exercise=98, statement="A check that starts `sleep 300` and then hangs.", **COMMON)
def sleeps_then_spawns():
    proc = subprocess.Popen(["sleep", "300"])
    _record(f"hang-{proc.pid}", proc.pid)
    while True:
        time.sleep(0.05)


CLAIMS = (spawns_sleep, forks_stubborn, leaves_thread, ignores_sigterm, uses_a_pool, sleeps_then_spawns)
