"""What the command line and the pytest plugin share: option limits, output targets, signal deferral and plain text."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import platform
import shlex
import signal
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterator, Mapping, Optional, Sequence, TextIO, Union

__all__ = ["tool_versions", "write_atomically", "use_colour", "rerun_prefix", "Limit", "TIMEOUT", "MEMORY_MB", "JOBS",
           "output_problem", "prepare_directory", "deferred_signals", "plain", "PERCENT",
           "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB"]


@dataclasses.dataclass(frozen=True)
class Limit:
    """The values a numeric option accepts; called on the option's text, as argparse and pytest call a `type`."""

    # What the number counts, for messages: "seconds", "MiB".
    unit: str
    # The smallest allowed value, and whether it is allowed itself (a timeout must be more than 0).
    low: Union[int, float]
    high: Union[int, float]
    # Only whole numbers.
    whole: bool = False
    low_included: bool = True

    def describe(self) -> str:
        kind = "a whole number" if self.whole else "a finite number"
        low = f"at least {self.low}" if self.low_included else f"more than {self.low}"
        return f"{kind} of {self.unit}, {low} and at most {self.high}"

    def __call__(self, text: str) -> Union[int, float]:
        """The value, or argparse.ArgumentTypeError naming the text and the allowed range (a usage error)."""
        shown = repr(text) if len(str(text)) <= 40 else repr(str(text)[:40] + "...")
        try:
            value = int(text) if self.whole else float(text)
        except (TypeError, ValueError):
            value = None
        if value is None or (isinstance(value, float) and not math.isfinite(value)) or value > self.high \
                or value < self.low or (value == self.low and not self.low_included):
            raise argparse.ArgumentTypeError(f"expected {self.describe()}, got {shown}")
        return value


# Per-claim time limit: more than 0 seconds, at most one day.
TIMEOUT = Limit("seconds", 0, 86400, low_included=False)
# Per-claim address-space limit: 1 MiB to 1 TiB.
MEMORY_MB = Limit("MiB", 1, 2**20, whole=True)
# Checks run at once.
JOBS = Limit("checks at once", 1, 256, whole=True)
# A share of the material, for coverage --fail-under.
PERCENT = Limit("percent", 0, 100)
# Seconds one claim may take before the runner kills it (the default of --timeout).
DEFAULT_TIMEOUT = 60.0
# Address-space limit of one claim's process, in MiB (the default of --memory-mb).
DEFAULT_MEMORY_MB = 4096


def rerun_prefix(claims: Sequence[Path] = (), material: Optional[Path] = None) -> str:
    """The command that reruns claims loaded as this run loaded them, without the claim ids."""
    return " ".join(["python -m proofs check", *(f"--claims {shlex.quote(str(p))}" for p in claims),
                     *([f"--material {shlex.quote(str(material))}"] if material is not None else [])])


def tool_versions() -> dict[str, str]:
    import sympy
    import z3

    from proofs import __version__

    return {"proofs": __version__, "python": platform.python_version(), "z3": z3.get_version_string(), "sympy": sympy.__version__}


def prepare_directory(path: Path) -> Optional[str]:
    """Create the directory (and its parents) if it is missing; why reports cannot be written into it, or None."""
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        return "is not a directory"
    except OSError as exc:
        return f"cannot be created ({exc.strerror or exc})"
    if not os.path.isdir(path):
        return "is not a directory"
    if not os.access(path, os.W_OK | os.X_OK):
        return "is not writable"
    return None


def output_problem(path: Path) -> Optional[str]:
    """Why a report cannot be written to `path`, or None; creates the directories it goes into.

    What `write_atomically` will write is checked: the file a symbolic link names, a FIFO or a device as it is,
    and a regular file (new or existing) through a file written beside it in a writable directory."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # a loop of symbolic links, a path through a file, no permission
        return f"cannot be used ({exc.strerror or exc})"
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "is a directory"
    if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)):
        return None if os.access(path, os.W_OK) else "is not writable"
    if st is not None and not stat.S_ISREG(st.st_mode):
        return "is not a file, a FIFO or a device"
    if st is not None and not os.access(path, os.W_OK):
        return "is read-only"
    parent = Path(os.path.realpath(path)).parent
    problem = prepare_directory(parent)
    return f"its directory {parent} {problem}" if problem else None


def write_atomically(path: Path, text: str, *, follow: bool = True) -> None:
    """Write a report as the shell's `>` would, but a regular file whole or not at all.

    A symbolic link is written through (the file it names is written); a FIFO or a device is opened and written
    plainly; a regular file, or a new one, is written beside its final path and renamed over it, keeping the mode
    of the file it replaces. With follow=False, whatever is at `path` is replaced by a regular file."""
    path = Path(path)
    if follow:
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            return
        path = Path(os.path.realpath(path))
    try:
        old = os.lstat(path)
        mode = stat.S_IMODE(old.st_mode) if stat.S_ISREG(old.st_mode) else None
    except OSError:
        mode = None
    if mode is None:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Signals that end a run early; while reports are written they are held back, so a report is never cut short.
_DEFERRED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# Held-back signals after which the block is given up (KeyboardInterrupt): a write that cannot finish, such as a
# FIFO nobody reads, can still be stopped.
_GIVE_UP_AFTER = 3


@contextlib.contextmanager
def deferred_signals() -> Iterator[list]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP inside the block; yields the list of those that arrived meanwhile.

    The caller decides what a held-back signal means once the block is done (the command line: interrupted).
    The third one raises KeyboardInterrupt there and then."""
    received: list = []
    previous = {}

    def hold(number, frame) -> None:
        received.append(number)
        if len(received) >= _GIVE_UP_AFTER:
            raise KeyboardInterrupt

    try:
        for signum in _DEFERRED:
            previous[signum] = signal.signal(signum, hold)
    except ValueError:  # not the main thread: signals are delivered to the main thread anyway
        pass
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


# Unicode categories never shown as themselves on a terminal: controls (ANSI and OSC 8 escapes start with one),
# invisible format characters (bidirectional overrides), surrogates, line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def plain(text: object) -> str:
    """Text from a claim pack made safe to print on a terminal line: every control, format or separator
    character (escape sequences, newlines, bidirectional overrides) is shown as its Python escape, e.g. \\x1b."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def use_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything non-empty."""
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
