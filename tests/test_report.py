import io
import os

from proofs.report import use_colour, write_atomically


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert use_colour(_Tty(), {}) is True
    assert use_colour(io.StringIO(), {}) is False
    assert use_colour(_Tty(), {"NO_COLOR": "1"}) is False
    assert use_colour(_Tty(), {"NO_COLOR": ""}) is True


def test_atomic_write_respects_umask(tmp_path):
    target = tmp_path / "r.txt"
    write_atomically(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_text() == "x" and (target.stat().st_mode & 0o777) == (0o666 & ~mask)
