"""Importing pack modules, where pack code may run: a module process, or a process that asked for it (`import_here`)."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import os
import re
import signal
import stat
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from proofs.errors import PackError, ProofsError
from proofs.model import Claim, Lemma, Placeholder, Table
from proofs.reads import Reads, recording

__all__ = ["LoadError", "Unit", "Contents", "import_unit", "import_units", "contents", "describe", "guarded", "located",
           "warm", "read_source"]

# A PRELOAD entry: a module, optionally with a function of it to call.
_PRELOAD_ENTRY = re.compile(r"[A-Za-z_][\w.]*(:[A-Za-z_]\w*)?")


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
    """Made by `registry.find` for each pack module: how a module process imports it on its own, and (once it was
    imported there) what its claims are written in and what importing it read, for their cache key."""

    # The pack's name, as its claims carry it.
    pack: str
    # "entry" (an installed pack: `target` is its entry point's value) or "path" (a --claims file: `target` is it).
    kind: str
    target: str
    # For a --claims file: the module name it is imported under, its folder (put on sys.path for its helper
    # modules) and the sha256 of its source when it was found (a module process refuses another).
    module: str = ""
    directory: str = ""
    digest: str = ""
    # The files and folders its claims are written in, digested whole into their cache key.
    roots: tuple[str, ...] = ()
    # What importing it read, recorded in its module process (files, environment, modules).
    reads: Reads = Reads()

    def to_json(self) -> dict:
        return {"pack": self.pack, "kind": self.kind, "target": self.target, "module": self.module,
                "directory": self.directory, "digest": self.digest, "roots": list(self.roots)}

    @classmethod
    def from_json(cls, data: dict) -> "Unit":
        return cls(str(data["pack"]), str(data["kind"]), str(data["target"]), str(data["module"]),
                   str(data["directory"]), str(data["digest"]), tuple(str(r) for r in data["roots"]))

    @property
    def where(self) -> str:
        return self.roots[0] if self.roots else self.target


@dataclasses.dataclass(frozen=True)
class Contents:
    """What one pack module contributes: its claims, its PRELOAD steps and its problems."""

    claims: tuple[Claim, ...]
    preload: tuple[str, ...]
    errors: tuple[LoadError, ...]
    # What importing it read (files, environment variables, modules), for the result cache's key.
    reads: Reads = Reads()


def read_source(path: Path) -> bytes:
    """The file's bytes, read without blocking on anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.read()


def import_unit(unit: Unit) -> Any:
    """Import one unit here: an entry point's module (and attribute), or a --claims file whose source must be the one
    that was found."""
    if unit.kind == "entry":
        name, _, attribute = unit.target.partition(":")
        found = importlib.import_module(name.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found
    source = read_source(Path(unit.target))
    if hashlib.sha256(source).hexdigest() != unit.digest:
        raise PackError(f"{unit.target} changed after it was found; run the check again")
    code = compile(source, unit.target, "exec", dont_inherit=True)
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(unit.module, unit.target))
    sys.modules[unit.module] = module
    base = [p for p in sys.path if p != unit.directory]
    sys.path.insert(0, unit.directory)  # its helper modules first while it is imported
    try:
        exec(code, module.__dict__)
    finally:  # then after what the engine imports: a sibling file named like a standard module stays unimported
        sys.path[:] = base + [p for p in sys.path if p not in base]
    return module


def import_units(units: Sequence[Unit], timeout: float) -> tuple[list[Contents], Optional[LoadError], Reads]:
    """Import the units here, each under guard and within `timeout` seconds: what each contributes, the first import
    that failed (the later units are then not imported), and what importing them read."""
    found: list[Contents] = []
    problem: Optional[LoadError] = None
    with recording() as recorder:
        for unit in units:
            raised = guarded(lambda unit=unit: found.append(contents(unit.pack, import_unit(unit))), timeout)
            if raised is not None:
                problem = located(unit.pack, raised, [Path(r) for r in unit.roots])
                break
    return found, problem, recorder.reads()


def contents(pack: str, module) -> Contents:
    """The claims a module lists in CLAIMS (with the companions they bring), its PRELOAD steps, and its problems."""
    where = getattr(module, "__file__", None) or module.__name__
    items = getattr(module, "CLAIMS", None)
    preload = getattr(module, "PRELOAD", ())
    out, errors = [], []
    if not isinstance(preload, (list, tuple)) or not all(isinstance(e, str) and _PRELOAD_ENTRY.fullmatch(e) for e in preload):
        errors.append(LoadError(pack, where, 0, f"PRELOAD must be a tuple of 'module' or 'module:function' names, got {preload!r}"))
        preload = ()
    if items is None:
        items = collected(module)
        if not items:
            errors.append(LoadError(pack, where, 0, "the module defines no claims and has no CLAIMS list; decorate checks "
                                    "with @forall, @exists or @claim, or end it with CLAIMS = (claim_a, claim_b, ...)"))
    elif isinstance(items, (list, tuple)):
        items = tuple(c for item in items for c in (item if isinstance(item, Table) else (item,)))
    if not isinstance(items, (list, tuple)):
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
    return Contents(tuple(out), tuple(preload), tuple(errors))


def collect(module: Any) -> tuple[Claim, ...]:
    """The claims a module defines, for a package that gathers its modules' claims into its own CLAIMS:
    `CLAIMS = (*collect(ex1), *collect(ex2))`. A module with its own CLAIMS list gives that list."""
    items = getattr(module, "CLAIMS", None)
    if isinstance(items, (list, tuple)):
        return tuple(c for item in items for c in (item if isinstance(item, Table) else (item,)))
    return collected(module)


def collected(module) -> tuple[Claim, ...]:
    """The claims a module without a CLAIMS list defines: every Claim (and every claim of a Table) bound to a name of
    the module and made by a decorator in the module's own file, in the order of their lines. Claims imported from
    elsewhere are not its own, and an erratum's corrected claim comes with the erratum."""
    where = getattr(module, "__file__", None)
    found: dict[str, Claim] = {}
    for value in list(vars(module).values()):
        for c in (value if isinstance(value, Table) else (value,)):
            if isinstance(c, Claim) and where is not None and _same_file(c.file, where):
                found.setdefault(c.id, c)
    return tuple(sorted(found.values(), key=lambda c: c.line))


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else {"repr": repr(value)}


def _lemma(t: Lemma) -> dict:
    return {"lemma": {"name": t.name, "statement": t.statement, "source": _text(t.source),
                      "sampled_by": t.sampled_by.id if isinstance(t.sampled_by, Claim) else None}}


def describe(c: Claim) -> dict:
    """A claim as plain data: everything the checker selects, plans, keys, links, lists and shows a claim by. Values
    (params) are sent as their repr, which is how the checker shows them."""
    erratum = None if c.erratum is None else {"reason": _text(c.erratum.reason),
                                               "corrected_by": _text(getattr(c.erratum, "corrected_by", None))}
    return {
        "id": c.id, "exercise": c.exercise, "part": c.part, "statement": c.statement, "asserts": c.asserts,
        "formal": c.formal, "requires": c.requires.value, "params": {str(k): repr(v) for k, v in c.params.items()},
        "assumptions": [_text(a) for a in c.assumptions], "erratum": erratum,
        "perturbations": [{"name": _text(p.name), "note": _text(p.note), "params": {str(k): repr(v) for k, v in p.params.items()}}
                          for p in c.perturbations],
        "formulas": [_text(f) for f in c.formulas], "anchors": [{"file": a.file, "snippet": a.snippet} for a in c.anchors],
        "derived_formal": bool(c.derived_formal), "file": _text(c.file), "line": c.line if isinstance(c.line, int) else 0,
        "pack": c.pack, "companions": [x.id for x in c.companions],
        "trusts": [{"claim": t.id} if isinstance(t, Claim) else _lemma(t) for t in c.trusts],
    }


def warm(steps: Sequence[str], timeout: float) -> None:
    """Do PRELOAD steps here ("module" imports a module, "module:function" also calls it without arguments). Each is
    pack code: anything it raises (SystemExit included), or a step that takes longer than `timeout`, is a PackError
    naming the step."""
    for entry in steps:
        problem = guarded(lambda entry=entry: _warm_step(entry), timeout)
        if isinstance(problem, ProofsError):
            raise problem
        if problem is not None:
            raise PackError(f"cannot preload {entry!r}: {_describe(problem)}")


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


def guarded(call: Callable[[], Any], timeout: float) -> Optional[BaseException]:
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
    except BaseException as exc:  # noqa: BLE001 - pack code must not end or stop the process that imports it
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


def located(pack: str, exc: BaseException, roots: Sequence[Path]) -> LoadError:
    """Place a loading error at its line: a syntax error where the parser stopped, any other at the deepest frame
    inside the pack's own files (not in the libraries it called), falling back to the deepest frame of all."""
    message = str(exc) if isinstance(exc, ProofsError) else _describe(exc)  # our own messages already say what to do
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
