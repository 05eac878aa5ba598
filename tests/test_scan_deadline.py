"""The scan's time limits (proofs.scan.check.deadline): a Timeout that lands where Python swallows it (a `__del__`, a
garbage collector's callback, a handler of everything) never lets the block under the limit return a result."""

import gc
import sys
import time

import pytest
import sympy

from proofs.scan import check as scan_check
from proofs.scan.check import Timeout, check, deadline

pytestmark = pytest.mark.skipif(not hasattr(scan_check.signal, "setitimer"), reason="no interval timer here")


class _SlowToCollect:
    """An object whose `__del__` runs until the limit's alarm lands in it (or two seconds pass)."""

    landed: list = []

    def __del__(self):
        end = time.monotonic() + 2
        try:
            while time.monotonic() < end:
                pass
        except BaseException as exc:  # recorded, then raised on: Python swallows it here and carries on
            _SlowToCollect.landed.append(type(exc))
            raise


def _swallowed_timeout() -> str:
    """Drop an object whose __del__ is cut by the alarm, and return a result as if nothing happened."""
    _SlowToCollect.landed.clear()
    _SlowToCollect()
    return "decided"


def test_a_timeout_swallowed_in_a_del_is_raised_when_the_block_is_left(capsys):
    with pytest.raises(Timeout):
        with deadline(0.05):
            _swallowed_timeout()
    assert _SlowToCollect.landed == [Timeout]  # it did land in the __del__, where Python swallowed it
    assert "Exception ignored" not in capsys.readouterr().err  # and it is not reported as an ignored exception
    assert not scan_check._ENDS and not scan_check._FIRED
    # any other exception a __del__ raises under a limit still reaches the hook in place, which is then restored
    before = sys.unraisablehook
    seen = []

    def hook(unraisable):
        seen.append(type(unraisable.exc_value))

    class Broken:
        def __del__(self):
            raise KeyError("reported")

    sys.unraisablehook = hook
    try:
        with deadline(30):
            Broken()
        assert seen == [KeyError] and sys.unraisablehook is hook
    finally:
        sys.unraisablehook = before


def test_a_timeout_swallowed_in_a_gc_callback_is_raised_when_the_block_is_left():
    def callback(phase, info):
        if phase == "start":
            end = time.monotonic() + 2
            while time.monotonic() < end:
                pass

    gc.callbacks.append(callback)
    try:
        with pytest.raises(Timeout):
            with deadline(0.05):
                gc.collect()
    finally:
        gc.callbacks.remove(callback)


def test_a_step_whose_timeout_was_swallowed_is_never_decided(monkeypatch):
    """check() proves x = x at once; here the proof is cut by the limit inside a __del__ and still returns: the step
    must end in Timeout (which the scan reports as a step that took too long), not as proved."""
    def proof_after_the_limit(left, relation, right):
        _swallowed_timeout()
        return "the sides are the same expression"

    monkeypatch.setattr(scan_check, "_prove", proof_after_the_limit)
    x = sympy.Symbol("x", real=True)
    with pytest.raises(Timeout):
        with deadline(0.05):
            check(x, "=", x, seed="x")
    assert _SlowToCollect.landed == [Timeout]


def test_an_inner_limit_swallowed_and_handled_leaves_the_outer_one_in_force():
    handled = False
    with deadline(30):
        try:
            with deadline(0.05):
                _swallowed_timeout()
        except Timeout:
            handled = True
        assert scan_check._FIRED == [False]  # the outer limit has not passed
    assert handled and not scan_check._ENDS


def _spin(seconds: float) -> None:
    """Use `seconds` of this process's CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_limit_counts_cpu_time_so_waiting_for_the_cpu_does_not_use_it_up(monkeypatch):
    """Time the process does not run (here asleep, as when other processes hold the cores) is not counted: a block
    that needs 0.1 s of CPU ends within a limit of 0.2 s however long it waits beside it."""
    monkeypatch.setattr(scan_check, "WALL_BACKSTOP", 10**4)  # however long: the backstop is tested on its own
    with deadline(0.2):
        time.sleep(0.5)
        _spin(0.1)
    assert not scan_check._ENDS and not scan_check._FIRED


def test_a_cpu_bound_block_times_out_at_its_limit(monkeypatch):
    monkeypatch.setattr(scan_check, "WALL_BACKSTOP", 10**4)  # on a loaded machine too, the CPU limit is what ends it
    started = time.process_time()
    with pytest.raises(Timeout):
        with deadline(0.2):
            _spin(30)
    # at its limit (the interval timer and process_time read the CPU clock at different ticks), not at the end of the work
    assert 0.2 - 0.01 <= time.process_time() - started < 10
    assert not scan_check._ENDS


def test_a_block_that_waits_is_ended_by_the_wall_clock_backstop(monkeypatch):
    """A block that uses no CPU (blocked, or starved of it) still ends: at WALL_BACKSTOP times its limit."""
    monkeypatch.setattr(scan_check, "WALL_BACKSTOP", 3)
    started = time.monotonic()
    with pytest.raises(Timeout):
        with deadline(0.1):
            time.sleep(30)
    assert 0.3 - 0.01 <= time.monotonic() - started < 20


def test_a_wall_clock_budget_ends_a_block_before_its_cpu_limit():
    """The scan's --time-limit is the user's wall-clock budget: it ends a step whose CPU limit is far off."""
    started = time.monotonic()
    with pytest.raises(Timeout):
        with deadline(30, wall=0.2):
            time.sleep(30)
    assert time.monotonic() - started < 20


def test_nested_limits_apply_the_first_end_on_each_clock(monkeypatch):
    monkeypatch.setattr(scan_check, "WALL_BACKSTOP", 10**4)  # the ends are the ones given, on a loaded machine too
    caught = []
    for outer, inner, work in (((30, 0.3), (30,), lambda: time.sleep(30)), ((0.1,), (30,), lambda: _spin(30))):
        with pytest.raises(Timeout):  # the outer limit, raised again as it is left: its block caught a Timeout
            with deadline(*outer):
                try:
                    with deadline(*inner):  # the outer end (wall-clock, then CPU) applies inside
                        work()
                except Timeout:
                    caught.append(scan_check.expired())
    assert caught == [True, True] and not scan_check._ENDS


def test_the_signal_handlers_and_timers_in_place_before_are_restored():
    before = (scan_check.signal.getsignal(scan_check.signal.SIGALRM), scan_check.signal.getsignal(scan_check.signal.SIGPROF))
    with deadline(5):
        with deadline(1):
            pass
    after = (scan_check.signal.getsignal(scan_check.signal.SIGALRM), scan_check.signal.getsignal(scan_check.signal.SIGPROF))
    assert after == before
    assert scan_check.signal.getitimer(scan_check.signal.ITIMER_PROF) == (0.0, 0.0)
    assert scan_check.signal.getitimer(scan_check.signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_refire_while_a_block_under_a_limit_is_left_is_not_raised_in_its_exit():
    """The alarm fires again every _REFIRE seconds after a limit passes; one landing in the context manager's exit,
    after the block's Timeout and before the limit is lifted, left the limit in force after its block (so a caller's
    `expired()` saw it passed and raised on, as a loaded runner showed). It fires again once the block is left."""
    import contextlib
    import signal
    from types import SimpleNamespace

    with scan_check.deadline(60):
        scan_check._ENDS.append((0.0, 0.0))  # a limit that has passed, as while its block is being left
        scan_check._FIRED.append(True)
        try:
            leaving = SimpleNamespace(f_code=contextlib._GeneratorContextManager.__exit__.__code__)
            scan_check._fire(signal.SIGPROF, leaving)  # not raised there
            with pytest.raises(scan_check.Timeout):  # anywhere else it is
                scan_check._fire(signal.SIGPROF, SimpleNamespace(f_code=test_the_signal_handlers_and_timers_in_place_before_are_restored.__code__))
        finally:
            scan_check._ENDS.pop()
            scan_check._FIRED.pop()
