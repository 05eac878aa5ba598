"""Reading a file a user named (material, a report, a baseline, a reviewed TOML list): whole, bounded, never blocking."""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, Union

__all__ = ["Unreadable", "read_regular", "nested_within", "read_json", "reviewed_entries"]


class Unreadable(Exception):
    """Why a named file was not read: `kind` says which case, `detail` the operating system's words or the size."""

    # "missing", "not regular", "too large" or "error"
    kind: str
    # the strerror for "missing" and "error", the size in bytes (as far as it was seen) for "too large", else ""
    detail: str

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


def read_regular(path: Union[str, Path], limit: int, *, follow: bool = True) -> bytes:
    """The bytes of a regular file (or, with `follow`, of the regular file a link names) of at most `limit` bytes.

    The file is opened without blocking, so a FIFO or device put in its place cannot hold the open, and what was
    opened is checked before it is read; a file that grows past the limit while it is read is refused too."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise Unreadable("missing", exc.strerror or "no such file") from None
    except OSError as exc:
        raise Unreadable("error", exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not regular")
        if st.st_size > limit:
            raise Unreadable("too large", str(st.st_size))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Unreadable("error", exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise Unreadable("too large", f"over {limit}")
    return b"".join(chunks)


_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nested_within(data: bytes, limit: int) -> bool:
    """Whether JSON text nests arrays and objects at most `limit` deep (strings are skipped, not counted): checked
    before the text is parsed, so that a deep document cannot exhaust the parser's recursion."""
    depth = 0
    for token in _TOKENS.finditer(data):
        c = token.group()[:1]
        if c in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return False
        elif c in (b"]", b"}"):
            depth -= 1
    return True


def read_json(path: Union[str, Path], limit: int, depth: int, error: Callable[[str], Exception]) -> Any:
    """The JSON value of a file a user named (a report, a baseline): read by `read_regular`, nested at most `depth`
    deep (checked before it is parsed), UTF-8, strict JSON (no NaN or Infinity, no key repeated in an object).
    Anything else raises `error(problem)`, the problem in a few words that say what is wrong with the file."""
    data = _read_named(path, limit, error)
    if not nested_within(data, depth):
        raise error(f"nested more than {depth} levels deep")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_unique, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        shown = str(exc)
        raise error(f"not valid JSON ({shown if len(shown) <= 80 else shown[:80] + '...'})") from None


def _read_named(path: Union[str, Path], limit: int, error: Callable[[str], Exception]) -> bytes:
    """`read_regular`, its failures raised as `error(problem)`."""
    try:
        return read_regular(path, limit)
    except Unreadable as exc:
        if exc.kind == "not regular":
            raise error("not a regular file") from None
        if exc.kind == "too large":
            raise error(f"larger than {limit // 2**20} MiB" if limit % 2**20 == 0 else f"larger than {limit} bytes") from None
        raise error(f"cannot be read ({exc.detail})") from None


def _unique(pairs: list) -> dict:
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key if len(key) <= 80 else key[:80] + '...'!r} is repeated in one object")
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def reviewed_entries(path: Union[str, Path], label: str, table: str, noun: str, fields: Mapping[str, type],
                     required: Sequence[str], limit: int, error: Callable[[str], Exception]) -> list[tuple[str, dict[str, Any]]]:
    """The `[[table]]` entries of a reviewed TOML file (coverage exclusions, scan acknowledgements), each with where
    it is ("FILE: noun N"), every key one of `fields` with its type and every `required` one a non-empty string.

    Anything else raises `error(message)`: one line that starts with `label` or the entry's place and says what to
    fix. The file is read by `read_regular`; a document nested too deeply for tomllib is refused, not a crash."""
    data = _read_named(path, limit, lambda problem: error(f"{label}: {problem}"))
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error(f"{label}: not valid UTF-8 TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise error(f"{label}: nested too deeply to be read") from None
    extra = set(document) - {table}
    entries = document.get(table, [])
    if extra or not isinstance(entries, list):
        raise error(f"{label}: only [[{table}]] tables are allowed, found {sorted(extra) or table}")
    out = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: {noun} {n}"
        if not isinstance(entry, dict):
            raise error(f"{where} is not a table; write [[{table}]] with {', '.join(required)}")
        unknown = set(entry) - set(fields)
        if unknown:
            raise error(f"{where} has unknown keys {sorted(unknown)}; the keys are {', '.join(fields)}")
        for key in required:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise error(f"{where}: {key} must be a non-empty string")
        for key, kind in fields.items():
            if key in entry and type(entry[key]) is not kind:
                raise error(f"{where}: {key} must be a {kind.__name__}, got {entry[key]!r}")
        out.append((where, entry))
    return out
