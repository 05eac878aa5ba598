"""A run's store of what sympy's parser made of each side, shared by the scan's worker processes.

The scan's worker processes each read their own files; a side printed in several files (a definition repeated on
every sheet, a common step) would be parsed by sympy's parser once in each. The store is a directory that lives as
long as one run: the first process to need a side claims it (creating its claim file exclusively), parses it and
writes what it found; a process that finds the side claimed waits for that result instead of parsing it again. A
result is a pure function of the side's text and the parser (which is one for the whole run; its name and version
are part of the key all the same), so which process reads a side changes nothing in any report.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import Callable

__all__ = ["Store"]

# seconds between two looks at a side another process is reading (the first looks come sooner)
_POLL = (0.001, 0.002, 0.005, 0.01, 0.02)


class Store:
    """The readings of one run, in `directory` (which the run creates and removes); `reader` names the parser and
    its options, and is part of every key."""

    def __init__(self, directory: Path, reader: str):
        self.directory = Path(directory)
        self.reader = reader

    def _paths(self, text: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(f"{self.reader}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
        return self.directory / f"{digest}.pickle", self.directory / f"{digest}.claim"

    def read(self, text: str, parse: Callable[[str], tuple]) -> tuple:
        """`parse(text)`, computed by one process of the run: the first to ask computes it (and stores it), the
        others wait for it. An exception from `parse` (a time limit) is raised in the process that computed it,
        and the side is released for another to read; a process that waits is bounded by its own time limit."""
        result, claim = self._paths(text)
        polls = 0
        while True:
            found = _load(result)
            if found is not None:
                return found
            try:
                fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                if _abandoned(claim):
                    _remove(claim)
                    continue
                time.sleep(_POLL[min(polls, len(_POLL) - 1)])
                polls += 1
                continue
            except OSError:  # the store cannot be written: read it here
                return parse(text)
            try:
                os.write(fd, str(os.getpid()).encode())
            finally:
                os.close(fd)
            stored = False
            try:
                value = parse(text)
                stored = _store(result, value)
                return value
            finally:
                if not stored:  # released: another process reads the side itself
                    _remove(claim)


def _load(path: Path):
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # noqa: S301 - written by this run's own processes, in a directory of its own
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - an entry that cannot be read back is not used
        return None


def _store(path: Path, value: tuple) -> bool:
    """Write `value` whole or not at all; whether it was written."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if pickle.loads(data) != value:  # noqa: S301 - what another process would read must be what was found
            return False
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)
        return True
    except Exception:  # noqa: BLE001 - a value that cannot be stored is read again by whoever needs it
        return False


def _abandoned(claim: Path) -> bool:
    """Whether the process that claimed a side has ended without storing or releasing it."""
    try:
        pid = int(claim.read_text() or "0")
    except (OSError, ValueError):
        return False  # being written
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
