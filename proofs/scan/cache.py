"""The scan's result cache: each file's steps, keyed on what the scan read and what decided them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
from pathlib import Path
from typing import Any, Mapping, Optional

from proofs.material import Document

__all__ = ["ScanCache", "default_directory", "ENV_DIR", "DEFAULT_DIR", "tool_digest"]

# Where scan results are kept: $PROOFS_SCAN_CACHE_DIR, else beside the check's result cache ($PROOFS_CACHE_DIR or
# .proofs_cache) with "-scan" appended (the check's cache removes what it does not know in its own folder).
ENV_DIR = "PROOFS_SCAN_CACHE_DIR"
DEFAULT_DIR = ".proofs_cache-scan"
# The first line of a CACHEDIR.TAG (https://bford.info/cachedir/), then what says this cache wrote it.
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# the scan cache of proofs\n"
_SCHEMA = "proofs-scan-cache/1"
_PACKAGE = Path(__file__).resolve().parent.parent


def default_directory(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get(ENV_DIR):
        return Path(environ[ENV_DIR])
    check = environ.get("PROOFS_CACHE_DIR")
    return Path(f"{check.rstrip(os.sep)}-scan") if check else Path(DEFAULT_DIR)


def tool_digest() -> str:
    """The checker itself, as a digest: the content of every module of the installed package (the engine, the
    scan, the readers) and the versions of Python and of every library the scan uses. Any change rescans."""
    import sympy
    import z3

    # the versions of the parser and notebook libraries as installed, without importing them (a run whose every
    # file is reused needs neither)
    lark, notebooks = _installed("lark"), _installed("nbformat")
    h = hashlib.sha256()
    h.update(json.dumps([platform.python_implementation(), platform.python_version(), sympy.__version__,
                         z3.get_version_string(), lark, notebooks]).encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _installed(name: str) -> str:
    """The installed version of a distribution, or "none"."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return "none"


def _read_key(document: Document) -> list:
    """What the scan reads of a document: its name, format and every passage as read (cell, kind, line, text)."""
    return [document.file, document.format, [[p.cell, p.kind, p.line, p.start, p.text] for p in document.passages]]


def _step_json(step: Any) -> dict:
    data = {f.name: getattr(step, f.name) for f in dataclasses.fields(step) if f.name not in ("exprs", "conditions", "printed")}
    data["read_by"] = list(data.get("read_by") or ())
    return data


class ScanCache:
    """Built by the scan command for one run: `key` names a document's scan under this run's options and this
    checker; `get` returns what was stored under it (None when nothing was, or what was is unreadable: scanned
    again), `put` stores a file's steps when every step is one a later run would decide the same way."""

    def __init__(self, directory: Path, options: Mapping[str, Any]) -> None:
        self.directory = Path(directory)
        self.base = hashlib.sha256(json.dumps([_SCHEMA, tool_digest(), dict(options)], sort_keys=True).encode()).hexdigest()
        # how many files were taken from the cache, and stored in it, in this run
        self.hits = 0
        self.stored = 0

    def key(self, document: Document) -> str:
        text = json.dumps([self.base, _read_key(document)], ensure_ascii=False).encode("utf-8", "surrogatepass")
        return hashlib.sha256(text).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, step_type: type) -> Optional[tuple[list, int]]:
        """(steps, formulas) stored under the key, or None."""
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("schema") != _SCHEMA or data.get("key") != key:
                return None
            names = {f.name for f in dataclasses.fields(step_type)}
            steps = []
            for item in data["steps"]:
                if not isinstance(item, dict) or set(item) - names or not isinstance(item.get("status"), str) or item.get("error"):
                    return None
                steps.append(step_type(**{**item, "read_by": tuple(item.get("read_by") or ())}))
            spans = data["spans"]
            if not isinstance(spans, int) or isinstance(spans, bool):
                return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        self.hits += 1
        return steps, spans

    def put(self, key: str, steps: list, spans: int) -> bool:
        """Store a file's steps; False (nothing stored) when a step's check crashed or ran out of time (another run
        may decide it), or the cache cannot be written (the scan goes on: a cache is never needed for a result). The
        caller stores nothing either when a side's second reading ran out of its own time (sympy_reader)."""
        if any(s.error for s in steps):  # a crash or a time limit: the next run may decide it
            return False
        try:
            self._prepare()
            path = self._path(key)
            path.parent.mkdir(exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"schema": _SCHEMA, "key": key, "spans": spans,
                                             "steps": [_step_json(s) for s in steps]}, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, path)
        except (OSError, TypeError, ValueError):
            return False
        self.stored += 1
        return True

    def _prepare(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_bytes(_TAG)
