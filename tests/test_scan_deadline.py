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
