"""The result cache: a claim's result is reused only when everything it was computed from is unchanged.

A result is stored under a key that digests the inputs of the run:
- every file under the packs' roots and under the `proofs` and `solvers` packages, byte for byte;
- every other module the checker has loaded: by content when it lives outside the Python installation, by path,
  size and modification time when it is an installed library (a reinstall or upgrade changes those);
- the Python version and implementation, the machine and operating system, the z3 and sympy versions;
- the run's options that can change a verdict or status: strict, the time limit and the memory limit;
- the claim's id.
Only results that pass or are acknowledged errata are stored; a failing claim is always checked again. A stored
result is used only when its record is well formed, names the same inputs and claim, describes the claim as the
claim describes itself now, and its status is what the status rule gives for its verdict today.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import importlib
import json
import os
import platform
import shutil
import sys
import sysconfig
from pathlib import Path
from typing import Iterable, Mapping, Optional

from proofs.model import Claim, Result
from proofs.report import write_atomically
from proofs.verdicts import Status, Verdict, classify

__all__ = ["SCHEMA", "DEFAULT_DIR", "ENV_DIR", "KEEP", "TRUSTS", "ResultCache", "default_directory", "digest_inputs"]

SCHEMA = "proofs-cache/1"
# Where `check` keeps the cache unless told otherwise (relative to the working directory).
DEFAULT_DIR = ".proofs_cache"
# Environment variable naming another cache directory.
ENV_DIR = "PROOFS_CACHE_DIR"
# Input digests kept: older ones (earlier versions of the sources) are removed when a new one is stored.
KEEP = 4
# What a reused result rests on beyond what its check rested on when it ran.
TRUSTS = (
    "the check is deterministic: the same inputs give the same verdict and evidence",
    "the check depends only on the packs' files, the proofs and solvers packages, the modules loaded before the "
    "checks start, the Python build and the run's options (what the cache key digests)",
    "an installed library changes its files' size or modification time when it is reinstalled or upgraded",
    "nobody but the checker writes into the cache directory",
)
_SKIP_DIRS = {"__pycache__", ".git", ".hypothesis", ".pytest_cache"}


def default_directory(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get(ENV_DIR) or DEFAULT_DIR)


def _files(root: Path) -> Iterable[Path]:
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                yield Path(dirpath) / name


def _within(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)


def digest_inputs(roots: Iterable[Path], options: Mapping[str, object], modules: Optional[Mapping[str, object]] = None) -> str:
    """The digest of everything every claim of a run is computed from (see the module's docstring)."""
    import sympy
    import z3

    from proofs import __version__

    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)

    feed(SCHEMA, __version__, sys.version, sys.implementation.cache_tag, platform.machine(), platform.system(),
         z3.get_full_version(), sympy.__version__, json.dumps(dict(options), sort_keys=True, default=str))
    package_roots = [Path(importlib.import_module(name).__file__).parent for name in ("proofs", "proofs.solvers")]
    hashed: set[str] = set()
    for root in sorted({Path(r).resolve() for r in [*roots, *package_roots]}):
        for path in _files(root):
            key = str(path)
            if key not in hashed:  # named relative to its root, so that a moved checkout keeps its cache
                hashed.add(key)
                feed("file", path.relative_to(root.parent).as_posix(), path.read_bytes())
    paths = sysconfig.get_paths()
    libraries = {paths["purelib"], paths["platlib"]}
    try:
        import site

        libraries.update(site.getsitepackages())
        libraries.add(site.getusersitepackages())
    except (AttributeError, ImportError):  # some embedded or virtualenv builds lack these
        pass
    stdlib = {paths["stdlib"], paths["platstdlib"]}
    loaded = []
    for module in list((sys.modules if modules is None else modules).values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and os.path.isfile(file):
            loaded.append(os.path.abspath(file))
    for file in sorted(set(loaded) - hashed):
        if _within(file, libraries):
            st = os.stat(file)
            feed("library", file, st.st_size, st.st_mtime_ns)
        elif not _within(file, stdlib):
            hashed.add(file)
            feed("module", file, Path(file).read_bytes())
    return h.hexdigest()


def _cacheable(result: Result) -> bool:
    if result.status is Status.PASS:
        return result.verdict.positive
    return result.status is Status.ERRATUM and result.verdict is Verdict.REFUTED


def _matches(claim: Claim, result: Result) -> bool:
    """Whether a stored result is well formed and says of the claim what the claim says of itself now."""
    return (result.id == claim.id and result.exercise == claim.exercise and result.part == claim.part
            and result.statement == claim.statement and result.assumptions == tuple(claim.assumptions)
            and result.erratum == (claim.erratum.reason if claim.erratum else None)
            and isinstance(result.evidence, dict) and isinstance(result.method, str) and isinstance(result.reason, str))


@dataclasses.dataclass(frozen=True)
class ResultCache:
    """Results stored under DIRECTORY/<inputs digest>/<claim id>.json, for one run's inputs."""

    directory: Path
    # digest_inputs of this run
    inputs: str
    strict: bool = False

    def _path(self, claim: Claim) -> Path:
        return self.directory / self.inputs / f"{claim.id}.json"

    def get(self, claim: Claim) -> Optional[Result]:
        """The stored result of the claim, marked as reused, or None when there is none that may be used."""
        try:
            record = json.loads(self._path(claim).read_text(encoding="utf-8"))
            if record.get("schema") != SCHEMA or record.get("inputs") != self.inputs or record.get("claim") != claim.id:
                return None
            result = Result.from_json(record["result"])
            computed = str(record["computed"])
            seconds = float(record["result"]["seconds"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if not _matches(claim, result):
            return None
        expected = classify(result.verdict, requires=claim.requires, erratum=claim.erratum is not None, strict=self.strict)[0]
        if result.status is not expected or not _cacheable(result):
            return None
        return dataclasses.replace(result, seconds=0.0, cached={"computed": computed, "seconds": seconds, "inputs": self.inputs})

    def put(self, claim: Claim, result: Result) -> bool:
        """Store the result if it may be reused (it passes or is an acknowledged erratum); say whether it was stored."""
        if result.id != claim.id or result.cached is not None or not _cacheable(result):
            return False
        folder = self.directory / self.inputs
        try:
            self._prepare(folder)
            record = {"schema": SCHEMA, "inputs": self.inputs, "claim": claim.id,
                      "computed": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                      "result": result.to_json()}
            write_atomically(self._path(claim), json.dumps(record, indent=1))
        except OSError:
            return False  # a cache that cannot be written only costs time
        return True

    def _prepare(self, folder: Path) -> None:
        if folder.is_dir():
            return
        fresh = not self.directory.exists()
        folder.mkdir(parents=True, exist_ok=True)
        if fresh:
            (self.directory / ".gitignore").write_text("# written by proofs: the result cache\n*\n")
            (self.directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# the result cache of proofs; see its README\n")
        digests = sorted((p for p in self.directory.iterdir() if p.is_dir() and p != folder),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in digests[KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)
