"""What a check read: files, directory listings, environment variables and modules, recorded while it runs."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import stat
import sys
import sysconfig
from typing import Any, Collection, Iterable, Iterator, Mapping, Optional

__all__ = ["Reads", "Recorder", "recording", "state", "file_digest", "installation", "mark_digested", "mark_loaded", "KINDS",
           "WHOLE_ENVIRONMENT",
           "MAX_FILE_BYTES"]

# What each kind of read names, and what its recorded state is (see `state`):
KINDS = {
    "file": "a path opened for reading, stat'ed, lstat'ed, tested with os.access or read with os.readlink: absent, or "
            "whether it is a symbolic link and its target, its type, permissions and owner, and its content's sha256 "
            "(a regular file) or that it is a directory",
    "listing": "a directory listed: the sorted names in it, each with its entry's type, permissions, owner and link "
               "target",
    "env": "an environment variable read: its value's sha256 or unset; * is the whole environment",
    "module": "a module's source first imported during the check, outside the Python installation: its content",
    "library": "an installed library first imported during the check: its package file's size and modification time",
}
# The name of the read that stands for the whole environment (iterated, copied, counted).
WHOLE_ENVIRONMENT = "*"
# Bytes read at a time when hashing a file.
_CHUNK = 1 << 20
# Largest file whose content is recorded; a check that read a larger one is not stored (rehashing it on every run
# could cost more than checking again).
MAX_FILE_BYTES = 256 * 2**20
# Paths never recorded: the kernel's views of processes and devices.
_SYSTEM = ("/proc", "/sys", "/dev")
# Events after which what the check depends on cannot be known: another program or the network was consulted.
_OPAQUE = {
    "subprocess.Popen": "started a program", "os.system": "started a program", "os.exec": "started a program",
    "os.posix_spawn": "started a program", "os.spawn": "started a program", "os.fork": "forked a process",
    "os.forkpty": "forked a process", "socket.connect": "connected to a socket", "socket.sendto": "sent on a socket",
    "socket.getaddrinfo": "looked up a network address", "urllib.Request": "opened a URL",
}


@dataclasses.dataclass(frozen=True)
class Reads:
    """Produced by `Recorder.reads` at the end of a check: each read with its state then; stored with a cached result."""

    # (kind, name, state) for every read, sorted; kind is one of KINDS.
    entries: tuple[tuple[str, str, str], ...] = ()
    # Why what the check depends on cannot be recorded (it started a program, used the network), if it cannot.
    unrecordable: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"entries": [list(e) for e in self.entries], "unrecordable": list(self.unrecordable)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Reads":
        """The record as sent or stored; raises ValueError when it is not one."""
        entries, unrecordable = data["entries"], data["unrecordable"]
        if not isinstance(entries, list) or not isinstance(unrecordable, list):
            raise ValueError("reads: entries and unrecordable must be lists")
        out = []
        for e in entries:
            if not (isinstance(e, list) and len(e) == 3 and all(isinstance(p, str) for p in e) and e[0] in KINDS):
                raise ValueError(f"reads: not a (kind, name, state) entry: {e!r:.200}")
            out.append((e[0], e[1], e[2]))
        if not all(isinstance(u, str) for u in unrecordable):
            raise ValueError("reads: unrecordable must be strings")
        return cls(tuple(out), tuple(unrecordable))


_installation: list = []


def installation() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(standard library folders, installed library folders) of this Python (found once per process)."""
    if _installation:
        return _installation[0]
    found = _find_installation()
    _installation.append(found)
    return found


def _find_installation() -> tuple[tuple[str, ...], tuple[str, ...]]:
    paths = sysconfig.get_paths()
    libraries = {paths["purelib"], paths["platlib"]}
    try:
        import site

        libraries.update(site.getsitepackages())
        libraries.add(site.getusersitepackages())
    except (AttributeError, ImportError):  # some embedded or virtualenv builds lack these
        pass
    return tuple(sorted({paths["stdlib"], paths["platstdlib"]})), tuple(sorted(libraries))


def _within(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)


def file_digest(path: str) -> Optional[str]:
    """The sha256 of a regular file's content, read in chunks; None when it is not a regular file (or cannot be
    read). A FIFO, socket or device is never opened: it is checked with stat first, and again on the open file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        h = hashlib.sha256()
        while chunk := os.read(fd, _CHUNK):
            h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _entry(path: str) -> str:
    """What a directory's entry shows without being opened (os.scandir's DirEntry, lstat): its mode, its owner,
    and for a symbolic link its target. Not its size or times: the import system lists every folder it imports
    from, and editing one module must not recheck every module imported from its folder."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return "gone"
    shown = f"{st.st_mode:o}:{st.st_uid}:{st.st_gid}"
    if stat.S_ISLNK(st.st_mode):
        try:
            shown += ":" + _text_digest(os.readlink(path))
        except (OSError, ValueError):
            shown += ":unreadable"
    return shown


def _listing(path: str) -> str:
    """The names in a folder, each with what its entry shows (`_entry`)."""
    try:
        names = sorted(os.listdir(path))
    except (OSError, ValueError):
        return "unlistable"
    return "listing:" + _text_digest("\0".join(f"{name}\0{_entry(os.path.join(path, name))}" for name in names))


def _environment_digest(environ: Mapping[str, str]) -> str:
    h = hashlib.sha256()
    for key, value in sorted(environ.items()):
        h.update(f"{len(key)}:{key}={len(value)}:{value}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def state(kind: str, name: str, environ: Optional[Mapping[str, str]] = None) -> str:
    """The current state of one read (see KINDS): what is recorded when the check ends and compared on reuse."""
    if kind == "env":
        environ = os.environ if environ is None else environ
        if name == WHOLE_ENVIRONMENT:
            return "environment:" + _environment_digest(dict(environ))
        value = environ.get(name)
        return "unset" if value is None else "value:" + hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()
    if kind == "library":
        try:
            st = os.stat(name)
        except (OSError, ValueError):
            return "absent"
        return f"stat:{st.st_size}:{st.st_mtime_ns}"
    try:
        st = os.lstat(name)
    except (OSError, ValueError):
        return "absent"
    link = ""
    if stat.S_ISLNK(st.st_mode):  # what lstat, islink and readlink show: that it is a link, and where it points
        try:
            link = "link:" + _text_digest(os.readlink(name)) + "|"
            st = os.stat(name)
        except (OSError, ValueError):
            return link + "dangling" if link else "link:unreadable"
    # what stat, access and a listing show beyond the content: the file's type and permissions and its owner
    shown = f"|mode:{st.st_mode:o}:{st.st_uid}:{st.st_gid}"
    if stat.S_ISDIR(st.st_mode):
        # a directory stat'ed or opened (resolving a path stats every folder on it) is recorded as one; only a
        # directory listed is recorded by the names in it
        return link + (_listing(name) if kind == "listing" else "directory") + shown
    if kind == "listing" or not stat.S_ISREG(st.st_mode):
        return link + "type" + shown  # a FIFO, socket or device is never opened
    if st.st_size > MAX_FILE_BYTES:
        return "too large"
    digest = file_digest(name)
    return link + ("sha256:" + digest if digest else "unreadable") + shown


_digested: Optional[frozenset[str]] = None
_digested_roots: frozenset[str] = frozenset()
# Set in a module process before it forks checks (`mark_loaded`): how many modules sys.modules held then and its last
# entry, and the reads of the modules loaded since the digest was marked, which every check's record includes.
_loaded: Optional[tuple[int, str, Any, frozenset[tuple[str, str]]]] = None


def mark_digested(names: Collection[str]) -> None:
    """Note the modules the run's digest covers: a check records every module loaded since (a warm-up's included)."""
    global _digested, _digested_roots
    _digested = frozenset(names)
    _digested_roots = frozenset(name.partition(".")[0] for name in _digested)


def mark_loaded() -> None:
    """In a process that forks many checks (a module process, once its module is imported and warmed up): work out
    here, once, the reads of the modules loaded since the digest was marked, which each check then records without
    looking at every module again (looking would copy, in every check, each memory page a module object is on)."""
    global _loaded
    installation()
    entries = frozenset((kind, name) for kind, name in _module_reads(list(sys.modules.items()),
                                                                      _digested if _digested is not None else frozenset(),
                                                                      _digested_roots))
    last = next(reversed(sys.modules))
    _loaded = (len(sys.modules), last, sys.modules[last], entries)


def _modules_since_loaded() -> Optional[list]:
    """The (name, module) pairs added to sys.modules since `mark_loaded`, newest first, looking only at those; None
    when that cannot be told so (the entry it ended with moved, or entries were removed): then look at all."""
    if _loaded is None:
        return None
    count, last, module, _ = _loaded
    added = []
    for name in reversed(sys.modules):
        value = sys.modules.get(name)
        if name == last and value is module:
            return added if len(sys.modules) - len(added) == count else None
        added.append((name, value))
    return None


def _module_reads(items: Iterable[tuple[str, Any]], before: Collection[str], roots_before: Collection[str]) -> set:
    """(kind, name) reads of the modules among `items` not in `before`: a module's source outside the Python
    installation, or an installed library none of which was loaded before (its package file)."""
    stdlib, libraries = installation()
    entries = set()
    for name, module in items:
        if name in before:
            continue
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        file = os.path.abspath(file)
        if _within(file, stdlib) and not _within(file, libraries):
            continue  # the Python build is part of the run's key
        if _within(file, libraries):
            top = name.partition(".")[0]
            package = sys.modules.get(top)
            if top not in roots_before:  # a library none of which was loaded when the key was taken
                marker = getattr(package, "__file__", None)
                entries.add(("library", os.path.abspath(marker) if isinstance(marker, str) else file))
            continue
        entries.add(("module", file))
    return entries


class Recorder:
    """Collects what the check running in this process reads; made by `recording`."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}  # path -> kind
        self.environ: set[str] = set()
        self.written: set[str] = set()  # variables the check set before reading them
        self.unrecordable: list[str] = []
        # (not copied: a check forked from a process that marked them looks at as few objects as it can)
        self.modules_before = frozenset(sys.modules) if _digested is None else _digested
        self.roots_before = _digested_roots if _digested is not None else None
        self.stdlib, self.libraries = installation()
        self.ignored = (*self.stdlib, *self.libraries, *_SYSTEM)

    def note_path(self, path: Any, kind: str) -> None:
        if isinstance(path, int):
            try:  # a directory listed through a file descriptor: find its path
                path = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                self.note_unrecordable(f"listed a directory through file descriptor {path}")
                return
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError, OSError):
            self.note_unrecordable("read a path that cannot be made absolute")
            return
        if "__pycache__" in path or _within(path, self.ignored):
            return  # compiled modules are recorded by their sources (modules); the installation by the run's key
        if self.paths.get(path) != "file":
            self.paths[path] = kind

    def note_env(self, key: Any) -> None:
        if isinstance(key, bytes):
            key = os.fsdecode(key)
        if isinstance(key, str) and key not in self.written:
            self.environ.add(key)

    def note_unrecordable(self, why: str) -> None:
        if why not in self.unrecordable:
            self.unrecordable.append(why)

    def reads(self) -> Reads:
        """What was read, each with its state now (call it once the check is over, outside the recording)."""
        entries = {(kind, path) for path, kind in self.paths.items()}
        entries.update(("env", key) for key in self.environ)
        roots_before = self.roots_before
        if roots_before is None:
            roots_before = frozenset(name.partition(".")[0] for name in self.modules_before)
        added = _modules_since_loaded()
        if added is None:
            entries.update(_module_reads(list(sys.modules.items()), self.modules_before, roots_before))
        else:
            entries.update(_loaded[3])
            entries.update(_module_reads(added, self.modules_before, roots_before))
        recorded = tuple(sorted((kind, name, state(kind, name)) for kind, name in entries))
        if any(s == "too large" for _, _, s in recorded):
            self.note_unrecordable(f"read a file larger than {MAX_FILE_BYTES >> 20} MiB")
        return Reads(recorded, tuple(self.unrecordable))


# The recorders active in this process (a check runs in one at a time; nesting records into each).
_active: list[Recorder] = []
_installed = False


def _hook(event: str, args: tuple) -> None:
    if not _active:
        return
    try:
        _note(event, args)
    except Exception:  # noqa: BLE001 - a hook that raised would make the check's own call fail
        for recorder in _active:
            recorder.note_unrecordable(f"a read could not be recorded ({event})")


def _note(event: str, args: tuple) -> None:
    if event == "open":
        path, flags = args[0], args[2] if len(args) > 2 else None
        if isinstance(path, int) or (isinstance(flags, int) and flags & os.O_ACCMODE == os.O_WRONLY):
            return  # an already open descriptor, or a file opened only to be written
        kind = "file"
    elif event in ("os.listdir", "os.scandir"):
        path, kind = args[0], "listing"
    elif event == "stat":  # raised by the recording os.stat, os.lstat, os.readlink and os.access, not by Python
        path, kind = args[0], "file"
    elif event == "sqlite3.connect":
        path, kind = args[0], "file"
    elif event in _OPAQUE:
        for recorder in _active:
            recorder.note_unrecordable(f"{_OPAQUE[event]} ({event})")
        return
    else:
        return
    if path is None:  # listing the working directory
        path = "."
    for recorder in _active:
        recorder.note_path(path, kind)


def _install() -> bool:
    global _installed
    if not _installed:
        try:
            sys.addaudithook(_hook)  # an audit hook cannot be removed: it is installed once and idles without a recorder
        except RuntimeError:
            return False
        _installed = True
    return True


class _RecordingEnviron(os._Environ):  # type: ignore[name-defined]
    """os.environ's own class while a check runs (its instance is swapped to it, so every reference records)."""

    def __getitem__(self, key):
        for recorder in _active:
            recorder.note_env(key)
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        for recorder in _active:
            recorder.written.add(os.fsdecode(key) if isinstance(key, bytes) else key)
        super().__setitem__(key, value)

    def __delitem__(self, key):
        for recorder in _active:
            recorder.written.add(os.fsdecode(key) if isinstance(key, bytes) else key)
        super().__delitem__(key)

    def __iter__(self):
        for recorder in _active:
            recorder.note_env(WHOLE_ENVIRONMENT)
        return super().__iter__()

    def __len__(self):
        for recorder in _active:
            recorder.note_env(WHOLE_ENVIRONMENT)
        return super().__len__()

    def __repr__(self):
        for recorder in _active:
            recorder.note_env(WHOLE_ENVIRONMENT)
        return super().__repr__()

    def copy(self):
        return dict(self)


# The os functions that show a path's metadata without opening it, replaced while a check runs by ones that record the
# path as read ("file"): its state covers all they can show (`state`).
_METADATA = ("stat", "lstat", "readlink", "access")


def _recording_stat(original):
    def recorded(path, *args, **kwargs):
        if _active and not isinstance(path, int) and kwargs.get("dir_fd") is None:  # a descriptor's folder was recorded
            _hook("stat", (path,))
        return original(path, *args, **kwargs)

    recorded.__wrapped__ = original
    recorded.__name__ = original.__name__
    return recorded


@contextlib.contextmanager
def recording() -> Iterator[Recorder]:
    """Record what the code inside reads; `Recorder.reads()` afterwards gives the record. Reads the run's key
    covers (the Python installation) and the kernel's /proc, /sys and /dev are not recorded."""
    recorder = Recorder()
    if not _install():
        recorder.note_unrecordable("reads cannot be recorded: an audit hook could not be installed")
    swapped = []
    for env in (os.environ, getattr(os, "environb", None)):
        if env is not None and type(env) is os._Environ:
            env.__class__ = _RecordingEnviron
            swapped.append(env)
    originals = {name: getattr(os, name) for name in _METADATA if hasattr(os, name)}
    if not _active:
        for name, original in originals.items():
            setattr(os, name, _recording_stat(original))
    _active.append(recorder)
    try:
        yield recorder
    finally:
        _active.remove(recorder)
        if not _active:
            for name, original in originals.items():
                setattr(os, name, original)
            for env in swapped:
                env.__class__ = os._Environ
