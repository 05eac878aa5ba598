"""The result cache: a claim's result is reused only when everything it was computed from, and read, is unchanged.

A claim `registry.load` returned is stored under a key that digests what every claim shares (`digest_inputs`, its
`base`) and its own modules (`unit_digest`; its module's, and its correction's when that is another module's):
- every regular file under the `proofs` and `solvers` packages, byte for byte, dot-folders and folders reached
  through symbolic links included (not __pycache__, .git, or a folder tagged by CACHEDIR.TAG);
- every module the fork server (proofs.processes) had loaded when it started: by content when it lives outside the
  Python installation, by path, size and modification time when it is an installed library (a reinstall or upgrade
  changes those);
- the Python version and implementation, the machine and operating system, the z3 and sympy versions;
- the run's options that can change a verdict or status: strict, the time limit and the memory limit;
- the claim's module: its file (an installed pack: every file under its folder, as above), and what importing it
  read in a process that had imported no other pack (helper modules, data files, environment variables), in its
  current state;
- the claim's id (the entry's name).
Any other claim is keyed on the whole run: every pack root, every module loaded, and what loading the packs read.
With the result, the entry keeps what its check and replay read while they ran (proofs.reads), each with its state
then: files opened for reading, stat'ed, lstat'ed, tested with os.access or read with os.readlink (absent, or
whether the path is a symbolic link and its target, its type, permissions and owner, and its content sha256 or that
it is a folder), directories listed (the names in them, each with its entry's type, permissions, owner and link
target), environment variables (a hash of the value, or unset; of the whole environment when it was iterated
or copied), and modules loaded since the fork server started (the source's content; for an installed library no
module of which was loaded then, its package file's size and modification time). Reads of the Python installation
(standard library, installed libraries) and of /proc, /sys and /dev are not recorded. Every read is checked again
before the result is reused. A check that started a program, forked, used the network or read a file too large to
rehash is not stored. That a check depends on nothing else is exact, not trusted, as far as other packs go: it runs
in a process forked from one that imported only its own module (proofs.runner).
Only results that pass or are acknowledged errata are stored; a failing claim is always checked again. A stored
result is used only when its entry is a regular file of bounded size and nesting, is well formed, names the same
inputs and claim, describes the claim as the claim describes itself now, its status is what the status rule gives
for its verdict today, and every read is as it was. Only the process that opened the cache writes it, and `seal`
removes whatever else appeared in it during the run. A run holds an exclusive lock (flock) on the directory from
opening the cache until `close`; a run that finds it held is busy: it neither reads, writes nor seals the cache.
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
import stat
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Union

from proofs import reads as _reads
from proofs.consistency import inconsistency, malformed, mismatch
from proofs.files import Unreadable, nested_within, read_regular
from proofs.model import Claim, Result
from proofs.reads import Reads, _within, file_digest, installation
from proofs.report import write_atomically
from proofs.verdicts import Status, Verdict, classify

__all__ = ["SCHEMA", "DEFAULT_DIR", "ENV_DIR", "KEEP", "TRUSTS", "MAX_ENTRY_BYTES", "MAX_DEPTH", "MAX_READS", "ResultCache",
           "Inputs", "default_directory", "digest_inputs", "unit_digest", "files_under"]

SCHEMA = "proofs-cache/4"
# Where `check` keeps the cache unless told otherwise (relative to the working directory).
DEFAULT_DIR = ".proofs_cache"
# Environment variable naming another cache directory.
ENV_DIR = "PROOFS_CACHE_DIR"
# Input digests kept: older ones (earlier versions of the sources) are removed when a new one is stored.
KEEP = 4
# Largest entry read or written, in bytes; a larger one is ignored.
MAX_ENTRY_BYTES = 16 * 2**20
# Deepest nesting of arrays and objects in an entry; a deeper one is ignored before it is parsed.
MAX_DEPTH = 64
# Most reads an entry may record; a check that read more is not stored.
MAX_READS = 20000
# What a reused result rests on beyond what its check rested on when it ran.
TRUSTS = (
    "the check is deterministic: the same inputs and reads give the same verdict and evidence",
    "the check depends only on what the cache key digests (its own pack module's files and what importing it read, "
    "the proofs and solvers packages, the modules loaded before any pack, the Python build and the run's options) and "
    "on what it was seen to read "
    "(files opened, stat'ed, lstat'ed, tested with os.access or read with os.readlink, directories listed, "
    "environment variables through os.environ, modules it loaded); not on a path's timestamps, inode, device or link "
    "count, which are not recorded (a checkout rewrites them), nor on the size of a file it only listed, nor on "
    "what it learned otherwise (an import that failed, a descriptor or memory it inherited, the environment read below os.environ); what a pack reads "
    "while it is imported is recorded the same way and digested",
    "the Python installation's files change only with the Python build, or with an installed library's files' size "
    "or modification time when it is reinstalled or upgraded",
    "nothing writes into the cache directory between runs but the checker (within a run, only the checker's own "
    "entries are kept)",
)
# Folders of a pack that are not digested: compiled modules and version control.
_SKIP_DIRS = {"__pycache__", ".git"}
# The first line of a CACHEDIR.TAG file (https://bford.info/cachedir/): a folder holding one is a cache, not input.
_CACHEDIR_SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"


def default_directory(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get(ENV_DIR) or DEFAULT_DIR)


def _tag(directory: Union[str, Path]) -> bytes:
    """The head of the directory's CACHEDIR.TAG, when it is a regular file (never a link, a FIFO or a device)."""
    try:
        return read_regular(os.path.join(directory, "CACHEDIR.TAG"), 1 << 16, follow=False)[:256]
    except Unreadable:
        return b""


# What the tag of a folder this cache made says after the signature: only such a folder is ever pruned or sealed.
_OWN_TAG = "# the result cache of proofs"


def foreign(directory: Path) -> Optional[str]:
    """Why the directory cannot be used as the result cache (None when it can): a cache prunes older entries and
    removes what appears during a run, so it must be absent, empty, or a folder this cache made (tagged with its
    CACHEDIR.TAG), never a folder of the user's."""
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode):
        return "not a directory"
    try:
        with os.scandir(directory) as entries:
            if next(entries, None) is None:
                return None
    except OSError as exc:
        return f"cannot be listed: {exc.strerror or exc}"
    if _own(directory) or _held(directory):
        return None
    return ("is not empty and is not a result cache of proofs (it has no CACHEDIR.TAG written by proofs), and a cache "
            "removes what it does not know in its directory: give a new or empty directory")


# Locks this process holds on cache directories: (device, inode) -> [descriptor, how many open caches use it].
_LOCKS: dict[tuple[int, int], list[int]] = {}


def _lock(directory: Path) -> Optional[tuple[int, int]]:
    """Take the exclusive lock (flock) on the cache directory, making it first if it is absent; its identity, or None
    when another run holds it (or it cannot be opened or locked: then this run neither reads nor writes it either).
    A process that holds it already shares its lock among its caches."""
    try:
        import fcntl
    except ImportError:  # no flock here: each run is on its own, as before
        return (0, 0)
    try:
        if not os.path.lexists(directory):
            os.makedirs(directory, exist_ok=True)
        fd = _open_directory(directory)
    except (OSError, ValueError):
        return None
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    if key in _LOCKS:
        os.close(fd)
        _LOCKS[key][1] += 1
        return key
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    _LOCKS[key] = [fd, 1]
    return key


def _open_directory(directory: Path) -> int:
    return os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))


def _unlock(key: tuple[int, int]) -> None:
    held = _LOCKS.get(key)
    if held is None:
        return
    held[1] -= 1
    if held[1] <= 0:
        del _LOCKS[key]
        os.close(held[0])  # releases the lock


def _held(directory: Path) -> bool:
    """Whether another run holds the directory's lock now (`_lock`)."""
    try:
        import fcntl

        fd = _open_directory(directory)
    except (ImportError, OSError, ValueError):
        return False
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) in _LOCKS:
            return True
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)  # a shared lock taken only to test is released with it


def _own(directory: Path) -> bool:
    head = _tag(directory)
    return head.startswith(_CACHEDIR_SIGNATURE) and _OWN_TAG.encode() in head


def files_under(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, content sha256) of every regular file under root (or of root, a file) in a fixed order, following
    symbolic links to folders (each folder once) and skipping dangling links, sockets, FIFOs, devices, compiled
    modules, __pycache__, .git and folders tagged by CACHEDIR.TAG (a result or scan cache): what the result cache
    and a shard's record of the packs digest."""
    seen: set[tuple[int, int]] = set()

    def walk(directory: str) -> Iterator[tuple[Path, str]]:
        try:
            st = os.stat(directory)
        except OSError:
            return
        if (st.st_dev, st.st_ino) in seen or _tag(directory).startswith(_CACHEDIR_SIGNATURE):
            return
        seen.add((st.st_dev, st.st_ino))
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return
        for name in names:
            path = os.path.join(directory, name)
            try:
                mode = os.stat(path).st_mode
            except OSError:  # a dangling link, a loop of links, or gone already
                continue
            if stat.S_ISDIR(mode):
                if name not in _SKIP_DIRS:
                    yield from walk(path)
            elif stat.S_ISREG(mode) and not name.endswith((".pyc", ".pyo")):
                digest = file_digest(path)
                if digest is not None:
                    yield Path(path), digest

    if root.is_dir():
        yield from walk(str(root))
    else:
        digest = file_digest(str(root))
        if digest is not None:
            yield root, digest


class Inputs(str):
    """What `digest_inputs` returns: the digest of the whole run (the text itself), and `base`, the digest of what
    every claim shares (the engine, the libraries, the Python build and the options) without the packs' files and
    what loading them read: a claim `registry.load` returned is keyed on `base` and its own modules (`claim_key`)."""

    base: str


def _feeder(h):
    def feed(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)

    return feed


def digest_inputs(roots: Iterable[Path], options: Mapping[str, object], modules: Optional[Mapping[str, object]] = None,
                  loading: Optional[Reads] = None) -> Inputs:
    """The digest of everything every claim of a run is computed from (see the module's docstring).

    Taken over sys.modules (modules=None), it also marks those modules as covered, so that a check records every
    module loaded after it (proofs.reads). `loading`, what loading the packs read (proofs.reads.recording around
    it), is digested in its current state. Its `base` leaves out the packs' roots, `loading` and every module the
    fork server (proofs.processes) had not loaded when it started: what a claim's own modules are keyed on."""
    import sympy
    import z3

    from proofs import __version__
    from proofs.processes import server

    whole, shared = hashlib.sha256(), hashlib.sha256()
    feed_whole, feed_shared = _feeder(whole), _feeder(shared)

    def feed(*parts: object) -> None:
        feed_whole(*parts)
        feed_shared(*parts)

    feed(SCHEMA, __version__, sys.version, sys.implementation.cache_tag, platform.machine(), platform.system(),
         z3.get_full_version(), sympy.__version__, json.dumps(dict(options), sort_keys=True, default=str))
    package_roots = {Path(importlib.import_module(name).__file__).parent.resolve() for name in ("proofs", "proofs.solvers")}
    hashed: set[str] = set()
    for root in sorted({Path(r).resolve() for r in roots} | package_roots):
        for path, digest in files_under(root):
            key = str(path)
            if key not in hashed:  # named relative to its root, so that a moved checkout keeps its cache
                hashed.add(key)
                parts = ("file", path.relative_to(root.parent).as_posix(), digest)
                (feed if root in package_roots else feed_whole)(*parts)
    stdlib, libraries = installation()
    table = dict(sys.modules if modules is None else modules)
    fork_server = server() if modules is None else None
    engine = fork_server.modules if fork_server is not None else frozenset(table)
    loaded: dict[str, bool] = {}
    for name, module in table.items():
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and os.path.isfile(file):
            path = os.path.abspath(file)
            loaded[path] = loaded.get(path, False) or name in engine
    for file in sorted(set(loaded) - hashed):
        out = feed if loaded[file] else feed_whole
        if _within(file, libraries):
            try:
                st = os.stat(file)
                out("library", file, st.st_size, st.st_mtime_ns)
            except OSError:
                out("library", file, "absent")
        elif not _within(file, stdlib):
            out("module", file, file_digest(file) or "unreadable")
    for kind, name, _ in (loading.entries if loading is not None else ()):
        feed_whole("read", kind, name, _reads.state(kind, name))
    if loading is not None and loading.unrecordable:
        feed_whole("unrecordable", os.urandom(16))  # what loading depended on is unknown: this key matches no other run
    if modules is None:
        _reads.mark_digested(table)
    digest = Inputs(whole.hexdigest())
    digest.base = shared.hexdigest()
    return digest


def unit_digest(unit) -> str:
    """The digest of one pack module's own inputs (a registry.Unit): its files, byte for byte, and what importing it
    in a process of its own read, each in its current state (a read that could not be recorded matches nothing)."""
    h = hashlib.sha256()
    feed = _feeder(h)
    feed("unit", unit.kind, unit.target, unit.module, unit.directory)
    for root in sorted({Path(r).resolve() for r in unit.roots}):
        for path, digest in files_under(root):
            feed("file", path.relative_to(root.parent).as_posix(), digest)
    environ = dict(os.environ)
    for kind, name, _ in unit.reads.entries:
        feed("read", kind, name, _reads.state(kind, name, environ))
    if unit.reads.unrecordable:
        feed("unrecordable", os.urandom(16))
    return h.hexdigest()


def _cacheable(result: Result) -> bool:
    if result.status is Status.PASS:
        return result.verdict.positive
    return result.status is Status.ERRATUM and result.verdict is Verdict.REFUTED


def _load(path: Path) -> Any:
    """The JSON value of an entry, or None unless it is a regular file of at most MAX_ENTRY_BYTES nested at most
    MAX_DEPTH deep. A FIFO, socket, device, directory or symbolic link is never read."""
    try:
        data = read_regular(path, MAX_ENTRY_BYTES, follow=False)
    except (Unreadable, ValueError):
        return None
    if not nested_within(data, MAX_DEPTH):
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def _fingerprint(path: str, st: os.stat_result) -> str:
    """What an item of the cache directory is, for telling whether it changed during a run."""
    if stat.S_ISLNK(st.st_mode):
        try:
            return "link:" + os.readlink(path)
        except OSError:
            return "link"
    if stat.S_ISDIR(st.st_mode):
        return f"dir:{st.st_dev}:{st.st_ino}"
    if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_ENTRY_BYTES:
        return "sha256:" + (file_digest(path) or "unreadable")
    return f"other:{st.st_mode:o}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _scan(directory: Path) -> dict[str, str]:
    """Fingerprints of the items in the cache directory and in each of its folders (where entries live), by relative
    path; symbolic links are not followed."""
    found: dict[str, str] = {}
    try:
        top = list(os.scandir(directory))
    except (OSError, ValueError):
        return found
    for item in top:
        try:
            st = item.stat(follow_symlinks=False)
        except OSError:
            continue
        found[item.name] = _fingerprint(item.path, st)
        if stat.S_ISDIR(st.st_mode):
            try:
                inner = list(os.scandir(item.path))
            except OSError:
                continue
            for entry in inner:
                try:
                    found[f"{item.name}/{entry.name}"] = _fingerprint(entry.path, entry.stat(follow_symlinks=False))
                except OSError:
                    continue
    return found


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


@dataclasses.dataclass(frozen=True)
class ResultCache:
    """Results stored under DIRECTORY/<inputs digest>/<claim id>.json, for one run's inputs.

    Opened by the process that runs the checks; only that process stores results (`put`), and `seal`, called once
    when the run ends, removes every entry that appeared or changed during the run but was not stored by `put`."""

    directory: Path
    # digest_inputs of this run
    inputs: str
    strict: bool = False
    # The process that opened the cache: the only one whose `put` stores anything.
    opener: int = dataclasses.field(default_factory=os.getpid, init=False, compare=False)
    # The cache directory's items when the cache was opened (relative path -> fingerprint).
    opened: dict = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)
    # What `put` wrote in this run (relative path -> fingerprint), and under "." what the directory was when opened.
    written: dict = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)
    # The current state of each read that an entry recorded, checked once per run (proofs.reads.state).
    states: dict = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)
    # unit_digest of each pack module a claim of this run is keyed on, taken once per run.
    units: dict = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)
    # The identity of the directory whose exclusive lock this cache holds ([] when another run holds it: then this
    # cache is busy, and neither reads, writes nor seals anything), and whether it was released (`close`).
    lock: list = dataclasses.field(default_factory=list, init=False, compare=False, repr=False)

    @property
    def busy(self) -> bool:
        """Whether another run holds the cache directory: this run then checks every claim and stores nothing."""
        return not self.lock

    @property
    def folder(self) -> str:
        """The folder of this run's entries: named by what every claim shares, so that a claim whose own modules
        did not change finds its entry after another module changed."""
        return getattr(self.inputs, "base", self.inputs)

    def claim_key(self, claim: Claim) -> str:
        """The inputs a claim's entry is stored under: for a claim `registry.load` returned, what every claim shares
        and its own modules (its own and its correction's: their files and what importing them read); for any other
        claim, the whole run's digest."""
        from proofs import registry

        units = registry.units_of(claim)
        if units is None or not hasattr(self.inputs, "base"):
            return str(self.inputs)
        h = hashlib.sha256()
        feed = _feeder(h)
        feed(self.folder)
        for unit in units:
            if unit not in self.units:
                self.units[unit] = unit_digest(unit)
            feed(self.units[unit])
        return h.hexdigest()

    def __post_init__(self) -> None:
        key = _lock(self.directory)
        if key is not None:
            self.lock.append(key)
        self.opened.update(_scan(self.directory))
        self.written["."] = self._identity()

    def close(self) -> None:
        """Release the directory's lock (once the run is sealed): another run may use the cache from then on."""
        if self.lock and os.getpid() == self.opener:
            _unlock(self.lock.pop())
            self.lock.append(None)  # still this run's to seal, no longer held

    def _identity(self) -> Optional[tuple]:
        """What the cache directory's path is: absent (None), a folder, or a link to one, with its identity."""
        try:
            st = os.lstat(self.directory)
            if not stat.S_ISLNK(st.st_mode):
                return ("dir" if stat.S_ISDIR(st.st_mode) else "other", st.st_dev, st.st_ino)
            target = os.stat(self.directory)
            return ("link", os.readlink(self.directory), target.st_dev, target.st_ino)
        except OSError:
            return None if not os.path.islink(self.directory) else ("link", "dangling")

    def _path(self, claim: Claim) -> Path:
        return self.directory / self.folder / f"{claim.id}.json"

    def get(self, claim: Claim) -> Optional[Result]:
        """The stored result of the claim, marked as reused, or None when there is none that may be used (or another
        run holds the cache: what it stores is not sealed yet)."""
        if self.busy:
            return None
        record = _load(self._path(claim))
        key = self.claim_key(claim)
        try:
            if not isinstance(record, dict) or record.get("schema") != SCHEMA or record.get("inputs") != key \
                    or record.get("claim") != claim.id:
                return None
            if malformed(record["result"]):
                return None
            result = Result.from_json(record["result"])
            computed = str(record["computed"])
            reads = Reads.from_json(record["reads"])
            if result.id != claim.id or mismatch(claim, result) is not None:
                return None
            expected = classify(result.verdict, requires=claim.requires, erratum=claim.erratum is not None, strict=self.strict)[0]
        except Exception:  # noqa: BLE001 - a damaged entry of any shape is ignored, never a crash
            return None
        if result.status is not expected or not _cacheable(result) or reads.unrecordable or len(reads.entries) > MAX_READS \
                or inconsistency(result) is not None:
            return None
        if not self._unchanged(reads):
            return None
        return dataclasses.replace(result, seconds=0.0, reads=None,
                                   cached={"computed": computed, "seconds": float(result.seconds), "inputs": key})

    def _unchanged(self, reads: Reads) -> bool:
        """Whether every read is in the state it was when the check ran (each looked at once per run)."""
        environ = dict(os.environ)  # the checks' environment: no pack is imported in this process
        for kind, name, then in reads.entries:
            key = (kind, name)
            if key not in self.states:
                self.states[key] = _reads.state(kind, name, environ)
            if self.states[key] != then:
                return False
        return True

    def put(self, claim: Claim, result: Result) -> bool:
        """Store the result if it may be reused (it passes or is an acknowledged erratum and records what its check
        read); say whether it was stored. Only the process that opened the cache stores anything."""
        if os.getpid() != self.opener or self.busy:
            return False
        if result.id != claim.id or result.cached is not None or not _cacheable(result):
            return False
        try:
            reads = Reads.from_json(result.reads)  # type: ignore[arg-type]
        except (TypeError, KeyError, ValueError):
            return False  # a result that does not say what it read cannot be checked before reuse
        if reads.unrecordable or len(reads.entries) > MAX_READS:
            return False
        stored = {k: v for k, v in result.to_json().items() if k not in ("reads", "trusts")}  # derived in each run
        record = {"schema": SCHEMA, "inputs": self.claim_key(claim), "claim": claim.id,
                  "computed": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                  "result": stored, "reads": reads.to_json()}
        data = json.dumps(record, indent=1).encode("utf-8")
        if len(data) > MAX_ENTRY_BYTES or not nested_within(data, MAX_DEPTH):
            return False
        folder = self.directory / self.folder
        try:
            self._prepare(folder)
            self._write(self._path(claim), data)
        except (OSError, ValueError):
            return False  # a cache that cannot be written only costs time
        return True

    def record(self, name: str) -> Any:
        """A JSON record the checker keeps beside the entries (where cited snippets were last found), read as
        safely as an entry; None when there is none or it is unusable."""
        return None if self.busy else _load(self.directory / f"{name}.json")

    def keep(self, name: str, value: Any) -> None:
        """Store a record (see `record`), whole or not at all; only in the process that opened the cache, and a
        record that cannot be written only costs what it would have told the next run."""
        if os.getpid() != self.opener or self.busy:
            return
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        if len(data) > MAX_ENTRY_BYTES or not nested_within(data, MAX_DEPTH):
            return
        try:
            if self.directory.is_symlink() or (self.directory.exists() and not self.directory.is_dir()):
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            self._write(self.directory / f"{name}.json", data)
        except (OSError, ValueError):
            pass

    def seal(self) -> None:
        """Remove every item of the cache directory that is new or changed since the cache was opened and was not
        written by `put`: an entry a check wrote, in this or any digest's folder, is never reused. Call it once,
        when no check of the run is running any longer. A busy cache (another run holds it) seals nothing: it wrote
        nothing, and what appeared is the other run's to keep or remove."""
        if os.getpid() != self.opener or self.busy:
            return
        identity = self._identity()
        if identity is None:
            return
        if identity != self.written["."] and identity[0] != "dir":  # a link or a file put in its place
            _remove(self.directory)  # removed, never followed
            return
        now = _scan(self.directory)
        for rel in sorted(now, key=lambda r: -r.count("/")):  # entries before the folders that hold them
            if now[rel] != self.opened.get(rel) and now[rel] != self.written.get(rel):
                _remove(self.directory / rel)

    def _write(self, path: Path, data: bytes) -> None:
        """Write an entry whole or not at all, replacing whatever is at its path, and note what was written."""
        write_atomically(path, data.decode("utf-8"), follow=False)
        self.written[path.relative_to(self.directory).as_posix()] = "sha256:" + hashlib.sha256(data).hexdigest()

    def _prepare(self, folder: Path) -> None:
        """Make the folder of this run's entries a real folder (a link or a file in its place is removed first), and
        prune the folders of older inputs when it is new."""
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            _remove(folder)
        if not folder.is_dir():
            fresh = not self.directory.exists() or not any(self.directory.iterdir())
            folder.mkdir(parents=True, exist_ok=True)
            if fresh:
                for name, text in ((".gitignore", "# written by proofs: the result cache\n*\n"),
                                   ("CACHEDIR.TAG", f"Signature: 8a477f597d28d172789f06886806bc55\n{_OWN_TAG}; see its README\n")):
                    self._write(self.directory / name, text.encode("utf-8"))
            if not _own(self.directory):  # older inputs' folders are pruned only in a folder this cache made
                return self._note(folder)
            digests = sorted((p for p in self.directory.iterdir() if p.is_dir() and not p.is_symlink() and p != folder),
                             key=lambda p: p.stat().st_mtime, reverse=True)
            for old in digests[KEEP - 1:]:
                shutil.rmtree(old, ignore_errors=True)
        self._note(folder)

    def _note(self, folder: Path) -> None:
        self.written[folder.name] = _fingerprint(str(folder), os.lstat(folder))
