"""Material anchors: is each snippet a claim cites still in the material, up to whitespace and LaTeX spacing?"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Iterable

from proofs.model import Anchor

__all__ = ["normalise", "verify", "MAX_MATERIAL_BYTES"]

# The largest material file read; a bigger one is a problem of the anchors citing it, never read.
MAX_MATERIAL_BYTES = 16 * 2**20
# How much normalised material text `verify` keeps between calls before it starts again with an empty cache.
_CACHE_CHARS = 64 * 2**20

# LaTeX commands that only change spacing: \, \; \: \! \> \  \quad \qquad \thinspace \medspace \thickspace
# \enspace \negthinspace, \hspace{..} and \hspace*{..}, and the tie ~. Removed, like whitespace, before comparing.
_SPACING = re.compile(
    r"\\(?:quad|qquad|thinspace|medspace|thickspace|enspace|negthinspace|negmedspace|negthickspace)(?![A-Za-z])"
    r"|\\hspace\*?\{[^{}]*\}"
    r"|\\[,;:!> ]"
    r"|(?<!\\)~"
    r"|\s+"
)


def normalise(text: str) -> str:
    """The text in Unicode NFC with whitespace and LaTeX spacing commands removed; what anchors are compared by."""
    return unicodedata.normalize("NFC", _SPACING.sub("", unicodedata.normalize("NFC", text)))


class _Unreadable(Exception):
    """Why a material file cannot be compared with; the anchor's problem."""


def _read(path: Path) -> str:
    """The normalised text of a regular file of at most MAX_MATERIAL_BYTES, read as UTF-8, or _Unreadable."""
    try:
        # non-blocking, so that a FIFO put in place of the file cannot hold the open; what was opened is then checked
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _Unreadable(f"material file {path} does not exist") from None
    except OSError as exc:
        raise _Unreadable(f"cannot read material file {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Unreadable(f"material file {path} is not a regular file")
        if st.st_size > MAX_MATERIAL_BYTES:
            raise _Unreadable(f"material file {path} is too large ({st.st_size} bytes; the limit is {MAX_MATERIAL_BYTES} bytes)")
        chunks, size = [], 0
        while size <= MAX_MATERIAL_BYTES:
            chunk = os.read(fd, min(2**20, MAX_MATERIAL_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _Unreadable(f"cannot read material file {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > MAX_MATERIAL_BYTES:  # it grew while it was read
        raise _Unreadable(f"material file {path} is too large (over {MAX_MATERIAL_BYTES} bytes)")
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return normalise(text)


def _material(path: Path, cache: dict) -> tuple[str, str]:
    """(normalised text, "") or ("", the problem), read once per path while the cache holds it."""
    if path not in cache:
        if sum(len(text) for text, _ in cache.values()) > _CACHE_CHARS:
            cache.clear()
        try:
            cache[path] = (_read(path), "")
        except _Unreadable as exc:
            cache[path] = ("", str(exc))
    return cache[path]


def verify(anchors: Iterable[Anchor], material: Path, cache: dict | None = None) -> list[dict]:
    """One record per anchor: file, snippet, found, and the problem when it is not found."""
    cache = {} if cache is None else cache
    records = []
    for a in anchors:
        path = Path(material) / a.file
        record = {"file": a.file, "snippet": a.snippet, "found": False}
        text, problem = _material(path, cache)
        if problem:
            record["problem"] = problem
        elif normalise(a.snippet) in text:
            record["found"] = True
        else:
            record["problem"] = f"snippet no longer in {path}"
        records.append(record)
    return records
