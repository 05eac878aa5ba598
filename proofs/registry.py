"""Finding claim packs (entry points and paths), rejecting duplicate ids, and selecting claims."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fnmatch
import hashlib
import importlib
import importlib.util
import os
import re
import select as _select
import signal
import stat
import sys
import threading
import time
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from proofs import integrity, links, processes
from proofs.errors import PackError, ProofsError, UsageError
from proofs.model import Claim, Placeholder
from proofs.reads import Reads, recording

__all__ = ["ENTRY_POINT_GROUP", "LOAD_TIMEOUT", "Catalogue", "LoadError", "Unit", "load", "select", "units_of",
           "import_units"]

# Packs register a module (or package) exposing CLAIMS under this entry-point group.
ENTRY_POINT_GROUP = "proofs.packs"
# Seconds a pack module may take to import (and a warm-up to run) before it is a load error.
LOAD_TIMEOUT = 60.0
# The engine packs build on (its solvers import sympy and z3), imported before any pack is, so that importing a
# pack first in a child process and then here does not import these twice.
_ENGINE = ("proofs.runner", "proofs.interpret")
# The course's own pack, loaded by name when it is not installed with its entry point.
SEED_PACK = ("seed", "proofs.claims")


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """Produced by `load`: every claim of every pack, in pack then definition order."""

    claims: tuple[Claim, ...]
    # What the packs ask to have done before checks start (PRELOAD in a pack module): "module" imports a
    # module, "module:function" also calls a function of it without arguments (to build a solver's context).
    preload: tuple[str, ...] = ()
    # Packs and claims that could not be loaded; a run with any of them fails.
    errors: tuple["LoadError", ...] = ()
    # The packs' files and directories: what their claims are written in (the result cache digests them).
    roots: tuple[Path, ...] = ()
    # What importing the packs read beyond their files (data files, environment variables), for the cache's key.
    reads: Reads = Reads()

    def warm(self) -> None:
        """Do the packs' PRELOAD steps once here, so that no forked check repeats them.

        Each step is pack code: anything it raises (SystemExit included) or a step that takes longer than
        LOAD_TIMEOUT is a PackError naming the step."""
        for entry in self.preload:
            before = integrity.take() if processes.server() is not None else None  # in the checker's own process
            with integrity.without_exit_hooks() if before is not None else contextlib.nullcontext():
                problem = _guarded(lambda entry=entry: _warm_step(entry), LOAD_TIMEOUT)
            if isinstance(problem, ProofsError):
                raise problem
            if problem is not None:
                raise PackError(f"cannot preload {entry!r}: {_describe(problem)}")
            changed = before.restore() if before is not None else []
            if changed:
                raise PackError(f"cannot preload {entry!r}: {_meddled(changed)}")

    def by_id(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise UsageError(f"no claim {claim_id!r}{_closest(claim_id, self.ids())}")

    def ids(self) -> list[str]:
        return [c.id for c in self.claims]


@dataclasses.dataclass(frozen=True)
class LoadError:
    """A pack, or one module of a --claims directory, that could not be loaded; the other packs still run."""

    # The pack's name (an entry point's name, or DIR/module for --claims).
    pack: str
    # Where the problem is: the file and line of the error, as near to the pack's own code as can be told.
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else (self.file or "<unknown>")
        return f"{where}: pack {self.pack!r}: {self.message}"

    def to_json(self) -> dict:
        return {"pack": self.pack, "file": self.file, "line": self.line, "message": self.message}


@dataclasses.dataclass(frozen=True)
class Unit:
    """Made by `load` for each pack module: how a module process imports it on its own, and what its claims are
    written in and read while it was imported (in a process holding no other pack), for their cache key."""

    # The pack's name, as its claims carry it.
    pack: str
    # "entry" (an installed pack: `target` is its entry point's value) or "path" (a --claims file: `target` is it).
    kind: str
    target: str
    # For a --claims file: the module name it is imported under, its folder (put on sys.path for its helper
    # modules) and the sha256 of the source that was loaded (a module process refuses another).
    module: str = ""
    directory: str = ""
    digest: str = ""
    # The files and folders its claims are written in, digested whole into their cache key.
    roots: tuple[str, ...] = ()
    # What importing it read, recorded in a process that had imported no pack (files, environment, modules).
    reads: Reads = Reads()

    def to_json(self) -> dict:
        return {"pack": self.pack, "kind": self.kind, "target": self.target, "module": self.module,
                "directory": self.directory, "digest": self.digest, "roots": list(self.roots)}

    @classmethod
    def from_json(cls, data: dict) -> "Unit":
        return cls(str(data["pack"]), str(data["kind"]), str(data["target"]), str(data["module"]),
                   str(data["directory"]), str(data["digest"]), tuple(str(r) for r in data["roots"]))


# The module units of every claim `load` returned in this process: id(claim) -> (claim, its units). A claim's units
# are its own module's, and its correction's when that is written in another module.
_UNITS: dict[int, tuple[Claim, tuple[Unit, ...]]] = {}


def units_of(claim: Claim) -> Optional[tuple[Unit, ...]]:
    """The modules a module process imports to check this claim (exactly this object, as `load` returned it);
    None for a claim made some other way, which is checked in a process forked from this one."""
    entry = _UNITS.get(id(claim))
    return entry[1] if entry is not None and entry[0] is claim else None


def _import_unit(unit: Unit) -> Any:
    """Import one unit here, as `load` did: an entry point's module (and attribute), or a --claims file whose
    source must be the one that was loaded."""
    if unit.kind == "entry":
        name, _, attribute = unit.target.partition(":")
        found = importlib.import_module(name.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found
    source = _read_source(Path(unit.target))
    if hashlib.sha256(source).hexdigest() != unit.digest:
        raise PackError(f"{unit.target} changed after it was loaded; run the check again")
    code = compile(source, unit.target, "exec", dont_inherit=True)
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(unit.module, unit.target))
    sys.modules[unit.module] = module
    base = [p for p in sys.path if p != unit.directory]
    sys.path.insert(0, unit.directory)  # its helper modules first while it is imported, as `load` imports it
    try:
        exec(code, module.__dict__)
    finally:  # then after what the engine imports: a sibling file named like a standard module stays unimported
        sys.path[:] = base + [p for p in sys.path if p not in base]
    return module


def import_units(units: Sequence[Unit], timeout: float, *, preload: bool) -> tuple[dict[str, Claim], Optional[LoadError], Reads]:
    """In a module process: import the units (each under guard, within `timeout` seconds), and with `preload` do
    their PRELOAD steps; return their claims by id (an erratum's correction set as `load` sets it), the first
    problem, and what importing them read."""
    claims: dict[str, Claim] = {}
    steps: list[str] = []
    problem: Optional[LoadError] = None
    with recording() as recorder:
        for unit in units:
            found: list[_Contents] = []
            raised = _guarded(lambda unit=unit, found=found: found.append(_pack_contents(unit.pack, _import_unit(unit))),
                              timeout)
            if raised is not None:
                problem = _located(unit.pack, raised, [Path(r) for r in unit.roots])
                break
            if found[0].errors:
                problem = found[0].errors[0]
                break
            steps.extend(found[0].preload)
            for c in found[0].claims:
                claims.setdefault(c.id, c)
    loaded = recorder.reads()
    if problem is None and preload:
        try:
            Catalogue((), tuple(dict.fromkeys(steps))).warm()
        except ProofsError as exc:
            problem = LoadError(units[0].pack, units[0].target, 0, str(exc))
    for key, c in list(claims.items()):
        target = getattr(c.erratum, "corrected_by", None) if c.erratum is not None else None
        if isinstance(target, str) and target in claims:
            claims[key] = dataclasses.replace(c, correction=claims[target])
    return claims, problem, loaded


def _warm_step(entry: str) -> None:
    name, _, function = entry.partition(":")
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise PackError(f"cannot preload module {name!r}: {exc}") from None
    if function:
        target = getattr(module, function, None)
        if not callable(target):
            raise PackError(f"cannot preload {entry!r}: {name} has no function {function!r}")
        target()


class _TimedOut(BaseException):
    """Raised by the interval timer in a guarded call that ran out of time."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _TimedOut):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _guarded(call: Callable[[], Any], timeout: float) -> Optional[BaseException]:
    """Call pack code here, and return what it raised (any BaseException) or None. In the main thread an interval
    timer stops it after `timeout` seconds (_TimedOut), and a real Ctrl-C meanwhile is still a KeyboardInterrupt."""
    main = threading.current_thread() is threading.main_thread()
    interrupted: list[bool] = []

    def on_alarm(signum, frame):
        raise _TimedOut(f"timed out: did not finish within {timeout:g} s")

    def on_interrupt(signum, frame):
        interrupted.append(True)
        raise KeyboardInterrupt

    previous, outer, started = {}, 0.0, time.monotonic()
    if main:
        previous = {signal.SIGALRM: signal.signal(signal.SIGALRM, on_alarm),
                    signal.SIGINT: signal.signal(signal.SIGINT, on_interrupt)}
    try:
        try:
            if main:  # inside another guarded call (a pack that loads packs), the outer limit still holds
                outer = signal.setitimer(signal.ITIMER_REAL, timeout)[0]
                if outer:
                    signal.setitimer(signal.ITIMER_REAL, min(timeout, outer))
            call()
        finally:
            if main:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except BaseException as exc:  # noqa: BLE001 - pack code must not end or stop the checker
        problem: Optional[BaseException] = exc
    else:
        problem = None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
    if interrupted:
        raise KeyboardInterrupt
    return problem


def _located(pack: str, exc: BaseException, roots: Sequence[Path]) -> LoadError:
    """Place a loading error at its line: a syntax error where the parser stopped, any other at the deepest frame
    inside the pack's own files (not in the libraries it called), falling back to the deepest frame of all."""
    message = _describe(exc)
    if isinstance(exc, ProofsError):  # our own messages already say what to do
        message = str(exc)
    if isinstance(exc, Placeholder):
        return LoadError(pack, exc.file, exc.line,
                         f"placeholder not filled in: {exc.what} ({_placeholders(exc.file)} todo(...) left in this file)")
    if isinstance(exc, SyntaxError) and exc.filename:
        return LoadError(pack, exc.filename, exc.lineno or 0, f"syntax error: {exc.msg}")
    frames = traceback.extract_tb(exc.__traceback__)
    resolved = [r.resolve() for r in roots]

    def inside(filename: str) -> bool:
        path = Path(filename).resolve()
        return any(path == r or r in path.parents for r in resolved)

    ours = [f for f in frames if inside(f.filename)] or [f for f in frames if not f.filename.startswith("<")]
    if ours:
        return LoadError(pack, ours[-1].filename, ours[-1].lineno or 0, message)
    return LoadError(pack, str(roots[0]) if roots else "", 0, message)


def _placeholders(file: str) -> int:
    try:
        source = Path(file).read_text(encoding="utf-8")
    except OSError:
        return 0
    return len(re.findall(r"(?<![\w.])todo\(", source))


# A PRELOAD entry: a module, optionally with a function of it to call.
_PRELOAD_ENTRY = re.compile(r"[A-Za-z_][\w.]*(:[A-Za-z_]\w*)?")


@dataclasses.dataclass(frozen=True)
class _Contents:
    """What one pack module contributes: its claims, its PRELOAD steps and its problems."""

    claims: tuple[Claim, ...]
    preload: tuple[str, ...]
    errors: tuple[LoadError, ...]
    # what importing it here read (files, environment variables, modules), for the result cache's key
    reads: Reads = Reads()
    # how a module process imports it on its own (None when it could not be probed in a clean process)
    unit: Optional[Unit] = None


def _pack_contents(pack: str, module) -> _Contents:
    where = getattr(module, "__file__", None) or module.__name__
    items = getattr(module, "CLAIMS", None)
    preload = getattr(module, "PRELOAD", ())
    out, errors = [], []
    if not isinstance(preload, (list, tuple)) or not all(isinstance(e, str) and _PRELOAD_ENTRY.fullmatch(e) for e in preload):
        errors.append(LoadError(pack, where, 0, f"PRELOAD must be a tuple of 'module' or 'module:function' names, got {preload!r}"))
        preload = ()
    if items is None:
        errors.append(LoadError(pack, where, 0, "the module has no CLAIMS list; end it with CLAIMS = (claim_a, claim_b, ...)"))
    elif not isinstance(items, (list, tuple)):
        errors.append(LoadError(pack, where, 0, f"CLAIMS must be a list or tuple of claims, got {type(items).__name__}"))
    else:
        listed = {item.id for item in items if isinstance(item, Claim)}
        for item in items:
            if not isinstance(item, Claim):
                errors.append(LoadError(pack, where, 0, f"CLAIMS holds {item!r}, which is not a Claim; decorate the check with @claim(...)"))
                continue
            out.append(dataclasses.replace(item, pack=pack))
            # an erratum written as a statement brings its corrected claim, listed or not
            out.extend(dataclasses.replace(c, pack=pack) for c in item.companions if c.id not in listed)
    return _Contents(tuple(out), tuple(preload), tuple(errors))


@contextlib.contextmanager
def _silenced():
    """Send what pack code prints while it is imported here to /dev/null, so it cannot mix into a report."""
    streams = (sys.stdout, sys.stderr)
    for stream in streams:
        _flush(stream)
    saved = []
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            for fd in (1, 2):
                saved.append((fd, os.dup(fd)))
                os.dup2(null, fd)
        finally:
            os.close(null)
    except OSError:
        pass
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            _flush(stream)
        sys.stdout, sys.stderr = streams
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)


def _flush(stream) -> None:
    try:
        stream.flush()
    except Exception:  # noqa: BLE001 - pack code may have replaced or closed the stream
        pass


def _probe(pack: str, importer: Callable[[], Any], roots: Sequence[Path], where: str, timeout: float,
           unit: Optional[Unit] = None) -> tuple[Optional[LoadError], Optional[Unit]]:
    """Import the module and read its claims in a child process first: a module that exits, kills its process or
    never finishes importing is a load error here, and is never imported into this process. With the fork server
    running, the child is a module process forked from it (no other pack imported), and what the import read
    there comes back in the unit; otherwise it is forked from this process."""
    fork_server = processes.server() if unit is not None else None
    if fork_server is not None:
        return _probe_clean(pack, unit, where, timeout, fork_server)

    def work():
        problem = _guarded(lambda: _pack_contents(pack, importer()), timeout)
        return None if problem is None else _located(pack, problem, roots).to_json()

    try:
        child = processes.ChildProcess(work)
    except OSError as exc:
        return LoadError(pack, where, 0, f"could not start a process to import it in: {exc}"), None
    try:
        if not child.wait(timeout + 2):
            return LoadError(pack, where, 0, f"timed out: importing it did not finish within {timeout:g} s"), None
        if not child.complete():
            status = child.kill()
            how = (f"was killed by {_signal_name(os.WTERMSIG(status))}" if os.WIFSIGNALED(status)
                   else f"exited with code {os.WEXITSTATUS(status)}")
            return LoadError(pack, where, 0, f"importing it ended its process: the process {how}"), None
        message = child.message()
        if message.get("memory"):
            return LoadError(pack, where, 0, "importing it ran out of memory"), None
        found = message["value"]
        if found is None:
            return None, None
        return LoadError(pack, str(found["file"]), int(found["line"]), str(found["message"])), None
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        return LoadError(pack, where, 0, f"importing it sent back an unreadable answer: {exc!r}"), None
    finally:
        child.close()


def _probe_clean(pack: str, unit: Unit, where: str, timeout: float,
                 fork_server: processes.ForkServer) -> tuple[Optional[LoadError], Optional[Unit]]:
    try:
        child = processes.ModuleProcess(fork_server, {"units": [unit.to_json()], "timeout": timeout, "probe": True})
    except OSError as exc:
        return LoadError(pack, where, 0, f"could not start a process to import it in: {exc}"), None
    try:
        deadline = child.started + timeout + 2
        while True:
            for message in child.frames.read():
                if isinstance(message, dict) and "ended" in message:
                    return LoadError(pack, where, 0, f"importing it ended its process: the process {message['ended']}"), None
                if isinstance(message, dict) and "timed out" in message:
                    return LoadError(pack, where, 0, f"timed out: importing it did not finish within {timeout:g} s"), None
                loaded = message.get("loaded") if isinstance(message, dict) else None
                if not isinstance(loaded, dict):
                    raise ValueError("not an import report")
                if loaded.get("error") is not None:
                    found = loaded["error"]
                    return LoadError(pack, str(found["file"]), int(found["line"]), str(found["message"])), None
                return None, dataclasses.replace(unit, reads=Reads.from_json(loaded["reads"]))
            if child.frames.broken:
                raise ValueError(child.frames.broken)
            if child.frames.ended:
                return LoadError(pack, where, 0, "importing it ended its process before it reported"), None
            left = deadline - time.monotonic()
            if left <= 0:
                return LoadError(pack, where, 0, f"timed out: importing it did not finish within {timeout:g} s"), None
            _select.select(child.handles()[:1], [], [], min(left, 1.0))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        return LoadError(pack, where, 0, f"importing it sent back an unreadable answer: {exc!r}"), None
    finally:
        child.kill()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _load_module(pack: str, importer: Callable[[], Any], roots: Sequence[Path], where: str, timeout: float,
                 forget: Callable[[], None] = lambda: None, unit: Optional[Unit] = None) -> _Contents:
    """Probe the module in a child, then import it here under guard: every BaseException, and an import that runs
    out of time, becomes a LoadError placed at its file and line."""
    problem, unit = _probe(pack, importer, roots, where, timeout, unit)
    if problem is not None:
        return _Contents((), (), (problem,))
    found: list[_Contents] = []
    before = _ENGINE_STATE[0] if len(_ENGINE_STATE) == 1 else integrity.take()  # loading packs while loading one
    with _silenced(), recording() as recorder, integrity.without_exit_hooks():
        raised = _guarded(lambda: found.append(_pack_contents(pack, importer())), timeout)
    changed = before.restore()  # what it changed in this process is undone; its own module process keeps it
    _engine_first()
    if raised is not None:
        forget()
        return _Contents((), (), (_located(pack, raised, roots),))
    if changed:  # its claims are not loaded: the engine that would decide them is no longer the engine
        forget()
        return _Contents((), (), (LoadError(pack, where, 0, _meddled(changed)),))
    return dataclasses.replace(found[0], reads=recorder.reads(), unit=unit)


# The import path this process had before it loaded any pack.
_ENGINE_PATH: list[str] = []
# The engine as it was when `load` started importing packs here (proofs.integrity), then None for each `load` called
# while a pack is imported (its imports are undone to the state they started from).
_ENGINE_STATE: list = []


def _engine_first() -> None:
    """Put the import path this process had before any pack was loaded back in front, in its order: a folder a pack
    put first (its --claims folder, or one its code added) stays on the path, after it, so that no module the engine
    imports later (a report writer, a standard module) is found in a pack's folder instead."""
    if _ENGINE_PATH:
        sys.path[:] = _ENGINE_PATH + [p for p in sys.path if p not in _ENGINE_PATH]


def _meddled(changes: Sequence[str]) -> str:
    shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
    return (f"it changed the checker itself in the checker's process: {shown} (undone). A claim module may change "
            "libraries for its own checks, which run in a process of its own, but not the engine, and it may leave no "
            "thread running there")


def _claim_files(directory: Path) -> list[Path]:
    """The claim modules of a directory: regular files (symbolic links to them included) named *.py, not starting
    with "." (editors' lock and backup files) or "_" (helper modules). Nothing else is opened."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"--claims {directory}: cannot list it: {exc.strerror or exc}") from None
    files = []
    for entry in entries:
        if entry.name.startswith((".", "_")) or not entry.name.endswith(".py"):
            continue
        try:
            mode = os.stat(entry.path).st_mode
        except OSError:  # a dangling link
            continue
        if stat.S_ISREG(mode):
            files.append(Path(entry.path))
    return files


def _read_source(path: Path) -> bytes:
    """The file's bytes, read without blocking on anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.read()


def _load_path(directory: Path, timeout: float) -> list[_Contents]:
    if not directory.is_dir():
        raise UsageError(f"--claims {directory}: not a directory of claim modules")
    loaded = []
    folder = str(directory.resolve())
    for path in _claim_files(directory):
        pack = f"{directory.name}/{path.stem}"
        name = f"proofs_pack_{directory.name}_{path.stem}"
        try:
            source = _read_source(path)
            code = compile(source, str(path), "exec", dont_inherit=True)
        except OSError as exc:
            loaded.append(_Contents((), (), (LoadError(pack, str(path), 0, f"cannot read the file: {exc.strerror or exc}"),)))
            continue
        except (SyntaxError, ValueError) as exc:
            loaded.append(_Contents((), (), (_located(pack, exc, [path]),)))
            continue

        def importer(name=name, path=path, code=code):
            if folder not in sys.path[:1]:  # claim modules may import helper modules beside them (named _*.py)
                sys.path.insert(0, folder)
            module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
            sys.modules[name] = module
            exec(code, module.__dict__)
            return module

        unit = Unit(pack, "path", str(path), name, str(directory.resolve()), hashlib.sha256(source).hexdigest(), (str(path),))
        loaded.append(_load_module(pack, importer, [path], str(path), timeout, lambda name=name: sys.modules.pop(name, None),
                                   unit))
    return loaded


def _entry_point_root(ep) -> list[Path]:
    try:
        spec = importlib.util.find_spec(ep.module)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin:
        return []
    origin = Path(spec.origin)
    return [origin.parent] if spec.submodule_search_locations else [origin]


def _erratum_errors(claims: Sequence[Claim]) -> list[LoadError]:
    """An erratum must name, as its correction, another claim that is loaded."""
    ids = {c.id for c in claims}
    errors = []
    for c in claims:
        if c.erratum is None:
            continue
        target = getattr(c.erratum, "corrected_by", None)
        if not isinstance(target, str):
            problem = f"the erratum's corrected_by must be a claim id, got {target!r}"
        elif target == c.id:
            problem = f"{c.id} names itself as its correction; name the corrected claim that stands beside it"
        elif target not in ids:
            problem = f"corrected by {target}, which is not a loaded claim{_closest(target, ids)}"
        else:
            continue
        errors.append(LoadError(c.pack, c.file, c.line, problem))
    return errors


def load(paths: Sequence[Path] = (), *, entry_points: bool = True, timeout: Optional[float] = None) -> Catalogue:
    """Load the installed packs (the seed pack included) and the claim modules under `paths`.

    A pack that cannot be loaded, a claim that is malformed, a repeated id and an erratum whose correction is not
    loaded become LoadErrors in the catalogue, each placed at its file and line; everything else still loads.
    Each module is imported first in a child process and only then here, both under guard and within `timeout`
    seconds (LOAD_TIMEOUT by default): no pack can end, stop or hang the checker while it loads.
    """
    timeout = min(max(LOAD_TIMEOUT if timeout is None else timeout, 0.001), 1e7)  # what an interval timer can take
    for name in _ENGINE:
        importlib.import_module(name)
    from proofs.runner import serve_module

    processes.start_server(serve_module)  # before any pack is imported here
    outermost = not _ENGINE_STATE  # not a pack that loads packs while it is imported (which keeps what was noted)
    if outermost:
        processes.note_context()
    roots: list[Path] = [Path(p) for p in paths]
    if not _ENGINE_PATH:
        _ENGINE_PATH[:] = sys.path
    _ENGINE_STATE.append(integrity.take() if outermost else None)  # what each pack module's import is undone to
    try:
        return _load(paths, entry_points, timeout, roots)
    finally:
        _ENGINE_STATE.pop()


def _load(paths: Sequence[Path], entry_points: bool, timeout: float, roots: list[Path]) -> Catalogue:
    contents: list[_Contents] = []
    if entry_points:
        found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        if SEED_PACK[1] not in {ep.value for ep in found}:
            found.insert(0, metadata.EntryPoint(name=SEED_PACK[0], value=SEED_PACK[1], group=ENTRY_POINT_GROUP))
        for ep in found:
            root = _entry_point_root(ep)
            roots.extend(root)
            unit = Unit(ep.name, "entry", ep.value, roots=tuple(str(r) for r in root))
            contents.append(_load_module(ep.name, ep.load, root, str(root[0]) if root else ep.value, timeout, unit=unit))
    for path in paths:
        contents.extend(_load_path(Path(path), timeout))
    claims: list[Claim] = []
    errors: list[LoadError] = []
    seen: dict[str, Claim] = {}
    preload: dict[str, None] = {}
    for part in contents:
        preload.update(dict.fromkeys(part.preload))
        errors.extend(part.errors)
        for c in part.claims:
            if c.id in seen:
                errors.append(LoadError(c.pack, c.file, c.line,
                                        f"duplicate claim id {c.id!r}: defined at {seen[c.id].location} and at {c.location}"))
                continue
            seen[c.id] = c
            claims.append(c)
    errors.extend(_erratum_errors(claims))
    by_id = {c.id: c for c in claims}
    claims = [dataclasses.replace(c, correction=by_id[c.erratum.corrected_by])
              if c.erratum is not None and getattr(c.erratum, "corrected_by", None) in by_id else c for c in claims]
    errors.extend(LoadError(c.pack, c.file, c.line, message) for c, message in links.problems(claims))
    _register(contents, claims)
    loading = Reads(tuple(sorted({e for part in contents for e in part.reads.entries})),
                    tuple(dict.fromkeys(u for part in contents for u in part.reads.unrecordable)))
    return Catalogue(tuple(claims), tuple(preload), tuple(errors), tuple(dict.fromkeys(roots)), loading)


def _register(contents: Sequence[_Contents], claims: Sequence[Claim]) -> None:
    """Note each loaded claim's units (its module's, and its correction's when that is another module's)."""
    unit_of: dict[str, Optional[Unit]] = {}
    for part in contents:
        for c in part.claims:
            unit_of.setdefault(c.id, part.unit)
    for c in claims:
        own = unit_of.get(c.id)
        if own is None:
            continue
        fixed = unit_of.get(c.correction.id) if c.correction is not None else None
        if c.correction is not None and fixed is None:
            continue  # its correction cannot be imported on its own: checked in a process forked from here
        _UNITS[id(c)] = (c, (own,) if fixed is None or fixed == own else (own, fixed))


def _closest(word: str, ids: Iterable[str]) -> str:
    ids = list(ids)
    close = difflib.get_close_matches(word, ids, n=3, cutoff=0.5)
    if not close:
        prefixes = sorted({i.split(".")[0] for i in ids})
        close = difflib.get_close_matches(word, prefixes, n=3, cutoff=0.3)
    return f"; closest: {', '.join(close)}" if close else ""


def select(catalogue: Catalogue, selectors: Sequence[str]) -> list[Claim]:
    """Claims matching any selector: `all`, an id, a dotted prefix (`ex2`, `ex1.d`) or a glob.

    An id or prefix that matches nothing is a usage error naming the closest ids; a glob that
    matches nothing selects nothing.
    """
    chosen: dict[str, Claim] = {}
    for sel in selectors:
        if sel == "all":
            matched = list(catalogue.claims)
        elif any(ch in sel for ch in "*?["):
            matched = [c for c in catalogue.claims if fnmatch.fnmatchcase(c.id, sel)]
        else:
            matched = [c for c in catalogue.claims if c.id == sel or c.id.startswith(sel + ".")]
            if not matched:
                raise UsageError(f"selector {sel!r} matches no claim{_closest(sel, catalogue.ids())}")
        for c in matched:
            chosen.setdefault(c.id, c)
    order = {c.id: i for i, c in enumerate(catalogue.claims)}
    return sorted(chosen.values(), key=lambda c: order[c.id])
