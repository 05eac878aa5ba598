"""Finding claim packs (entry points and paths), building the catalogue from what their module processes describe,
rejecting duplicate ids, and selecting claims. No pack code runs here: `proofs.importing` imports packs."""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import hashlib
import importlib.util
import os
import select as _select
import stat
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from proofs import importing, links, processes
from proofs.errors import PackError, UsageError
from proofs.importing import Contents, LoadError, Unit, located
from proofs.model import ID_PATTERN, Anchor, Claim, Erratum, Lemma, Perturbation
from proofs.reads import Reads
from proofs.verdicts import Verdict

__all__ = ["ENTRY_POINT_GROUP", "LOAD_TIMEOUT", "Catalogue", "Descriptor", "LoadError", "Unit", "find", "load",
           "import_here", "select", "units_of", "adopt"]

# Packs register a module (or package) exposing CLAIMS under this entry-point group.
ENTRY_POINT_GROUP = "proofs.packs"
# Seconds a pack module may take to import (and a warm-up to run) before it is a load error.
LOAD_TIMEOUT = 60.0
# The course's own pack, loaded by name when it is not installed with its entry point.
SEED_PACK = ("seed", "proofs.claims")
# Module processes importing packs at once while the catalogue is built, and how many of those that loaded are kept
# for the run to check their claims in (the others are started again when their claims are checked).
_LOADING = 4
_KEPT = 16
# Seconds a module process may take beyond the import's own limit to report it before it is a load error.
_LATE = 2.0


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """Produced by `load`: every claim of every pack, in pack then definition order."""

    claims: tuple[Claim, ...]
    # PRELOAD steps of packs imported in this process (`import_here`); a module process does its own module's.
    preload: tuple[str, ...] = ()
    # Packs and claims that could not be loaded; a run with any of them fails.
    errors: tuple[LoadError, ...] = ()
    # The packs' files and directories: what their claims are written in (the result cache digests them).
    roots: tuple[Path, ...] = ()
    # What importing the packs read beyond their files (data files, environment variables), for the cache's key.
    reads: Reads = Reads()

    def warm(self) -> None:
        """Do the PRELOAD steps of packs imported here, once, so that no check forked from here repeats them."""
        importing.warm(self.preload, LOAD_TIMEOUT)

    def by_id(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise UsageError(f"no claim {claim_id!r}{_closest(claim_id, self.ids())}")

    def ids(self) -> list[str]:
        return [c.id for c in self.claims]


class _Shown:
    """A value of a pack's, as its module process showed it (its repr): the checker never holds the value itself."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, _Shown) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _elsewhere(**params) -> Any:
    raise PackError("a described claim is checked in its module process, not here")


@dataclasses.dataclass(frozen=True)
class Descriptor(Claim):
    """Made by `load` from what a module process sent: a claim as plain data (its check and replay stay in that
    process). Its links to other claims are by id; `units` are the modules a module process imports to check it."""

    units: tuple[Unit, ...] = ()

    def __post_init__(self) -> None:  # checked where it was made; here only that it is data of the right kinds
        texts = (self.id, self.statement, self.asserts, self.formal, self.file, self.pack, *self.assumptions, *self.formulas)
        if not all(isinstance(t, str) for t in texts) or not ID_PATTERN.fullmatch(self.id) \
                or not isinstance(self.exercise, int) or isinstance(self.exercise, bool) \
                or not isinstance(self.line, int) or not (self.part is None or isinstance(self.part, str)):
            raise ValueError(f"a malformed description of claim {self.id!r}")


def units_of(claim: Claim) -> Optional[tuple[Unit, ...]]:
    """The modules a module process imports to check this claim; None for a claim made here (through the Python API,
    `import_here`, or a description given a check of this process's), which is checked in a process forked from
    this one."""
    return claim.units if isinstance(claim, Descriptor) and claim.check is _elsewhere and claim.units else None


def _stub(claim_id: Any) -> Descriptor:
    """A link to a claim by its id (what it is, the catalogue says)."""
    return Descriptor(id=str(claim_id), exercise=0, part=None, statement="", asserts="", formal="",
                      requires=Verdict.PROVED, check=_elsewhere)


def _linked(item: dict) -> Any:
    if "claim" in item:
        return _stub(item["claim"])
    lemma = item["lemma"]
    sampled = lemma["sampled_by"]
    return Lemma(str(lemma["name"]), str(lemma["statement"]), str(lemma["source"]),
                 _stub(sampled) if sampled is not None else None)


def _described(data: dict, unit: Unit) -> Descriptor:
    """A claim from its description (proofs.importing.describe); raises KeyError, TypeError or ValueError when it
    is not one."""
    erratum = data["erratum"]
    if erratum is not None:
        fixed = erratum["corrected_by"]
        erratum = Erratum(str(erratum["reason"]), fixed if isinstance(fixed, str) else _Shown(str(fixed["repr"])))
    shown = lambda params: {str(k): _Shown(str(v)) for k, v in params.items()}  # noqa: E731
    return Descriptor(
        id=data["id"], exercise=data["exercise"], part=data["part"], statement=data["statement"], asserts=data["asserts"],
        formal=data["formal"], requires=Verdict(data["requires"]), check=_elsewhere, params=shown(data["params"]),
        assumptions=tuple(data["assumptions"]), erratum=erratum,
        perturbations=tuple(Perturbation(str(p["name"]), shown(p["params"]), str(p["note"])) for p in data["perturbations"]),
        formulas=tuple(data["formulas"]), anchors=tuple(Anchor(a["file"], a["snippet"]) for a in data["anchors"]),
        derived_formal=bool(data["derived_formal"]), file=data["file"], line=data["line"], pack=data["pack"],
        companions=tuple(_stub(i) for i in data["companions"]), trusts=tuple(_linked(t) for t in data["trusts"]),
        units=(unit,))


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


_read_source = importing.read_source


def _path_units(directory: Path) -> "list[Unit | LoadError]":
    """The claim modules of a --claims folder, each read and compiled (not run) here: a file that cannot be read or
    does not parse is a load error at its line."""
    if not directory.is_dir():
        raise UsageError(f"--claims {directory}: not a directory of claim modules")
    units: list = []
    folder = str(directory.resolve())
    for path in _claim_files(directory):
        pack = f"{directory.name}/{path.stem}"
        try:
            source = _read_source(path)
            compile(source, str(path), "exec", dont_inherit=True)
        except OSError as exc:
            units.append(LoadError(pack, str(path), 0, f"cannot read the file: {exc.strerror or exc}"))
            continue
        except (SyntaxError, ValueError) as exc:
            units.append(located(pack, exc, [path]))
            continue
        units.append(Unit(pack, "path", str(path), f"proofs_pack_{directory.name}_{path.stem}", folder,
                          hashlib.sha256(source).hexdigest(), (str(path),)))
    return units


def _entry_point_root(ep) -> list[Path]:
    try:
        spec = importlib.util.find_spec(ep.module)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin:
        return []
    origin = Path(spec.origin)
    return [origin.parent] if spec.submodule_search_locations else [origin]


def find(paths: Sequence[Path] = (), *, entry_points: bool = True) -> "tuple[list[Unit | LoadError], list[Path]]":
    """The pack modules to import, in order: the installed packs (the seed pack included) by entry point, then the
    claim modules of each folder in `paths`, a file that cannot be read or parsed as its load error; and the packs'
    roots. Nothing is imported."""
    units: list = []
    roots: list[Path] = [Path(p) for p in paths]
    if entry_points:
        found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        if SEED_PACK[1] not in {ep.value for ep in found}:
            found.insert(0, metadata.EntryPoint(name=SEED_PACK[0], value=SEED_PACK[1], group=ENTRY_POINT_GROUP))
        for ep in found:
            root = _entry_point_root(ep)
            roots.extend(root)
            units.append(Unit(ep.name, "entry", ep.value, roots=tuple(str(r) for r in root)))
    for path in paths:
        units.extend(_path_units(Path(path)))
    return units, roots


# Module processes that imported a pack module for the last `load` here and wait to check its claims: (unit,) -> it.
_KEPT_PROCESSES: dict[tuple[Unit, ...], processes.ModuleProcess] = {}


def adopt(group: tuple[Unit, ...]) -> Optional[processes.ModuleProcess]:
    """The module process `load` kept that imported exactly these modules, handed over (once) to the caller."""
    return _KEPT_PROCESSES.pop(group, None)


def _release() -> None:
    for process in _KEPT_PROCESSES.values():
        process.close()
    _KEPT_PROCESSES.clear()


def _heard(process: processes.ModuleProcess, unit: Unit, timeout: float) -> "tuple[Contents | LoadError, Unit] | None":
    """What a loading module process sent, once it sent it or ended: its claims as descriptors, or the load error."""
    where = unit.where
    try:
        for message in process.frames.read():
            if "ended" in message:
                return LoadError(unit.pack, where, 0, f"importing it ended its process: the process {message['ended']}"), unit
            loaded = message["loaded"]
            if loaded["error"] is not None:
                return LoadError(**loaded["error"]), unit
            unit = dataclasses.replace(unit, reads=Reads.from_json(loaded["reads"]))
            claims = tuple(_described(c, unit) for c in loaded["claims"])
            return Contents(claims, (), tuple(LoadError(**e) for e in loaded["errors"]), unit.reads), unit
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        return LoadError(unit.pack, where, 0, f"importing it sent back an unreadable answer: {exc!r}"), unit
    if process.frames.broken:
        return LoadError(unit.pack, where, 0, f"importing it sent back {process.frames.broken}"), unit
    if process.frames.ended:
        return LoadError(unit.pack, where, 0, "importing it ended its process before it reported"), unit
    if time.monotonic() > process.started + timeout + _LATE:
        return LoadError(unit.pack, where, 0, f"timed out: importing it did not finish within {timeout:g} s"), unit
    return None


def _collect(units: "Sequence[Unit | LoadError]", timeout: float, fork_server) -> "list[Contents | LoadError]":
    """Import each unit in a module process of its own (a few at once) and gather what each sent back, in order.
    The processes that loaded are kept for the run (`adopt`), up to _KEPT of them."""
    out: list = [u if isinstance(u, LoadError) else None for u in units]
    active: dict[int, processes.ModuleProcess] = {}
    waiting = [i for i, u in enumerate(units) if isinstance(u, Unit)]
    while waiting or active:
        while waiting and len(active) < _LOADING:
            index = waiting.pop(0)
            try:
                active[index] = processes.ModuleProcess(fork_server, {"units": [units[index].to_json()], "timeout": timeout})
            except OSError as exc:
                out[index] = LoadError(units[index].pack, units[index].where, 0,
                                       f"could not start a process to import it in: {exc}")
        for index, process in list(active.items()):
            heard = _heard(process, units[index], timeout)
            if heard is None:
                continue
            out[index] = heard[0]
            del active[index]
            if isinstance(heard[0], Contents) and not heard[0].errors and len(_KEPT_PROCESSES) < _KEPT:
                _KEPT_PROCESSES[(heard[1],)] = process
            else:
                process.kill()
        if active:
            left = min(p.started for p in active.values()) + timeout + _LATE - time.monotonic()
            _select.select([fd for p in active.values() for fd in p.handles()], [], [], max(0.01, min(left, 1.0)))
    return out


def _imported_here(units: "Sequence[Unit | LoadError]", timeout: float) -> "list[Contents | LoadError]":
    out: list = []
    for unit in units:
        if isinstance(unit, LoadError):
            out.append(unit)
            continue
        found, problem, reads = importing.import_units([unit], timeout)
        out.append(problem if problem is not None else dataclasses.replace(found[0], reads=reads))
    return out


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


def _catalogue(loaded: "Sequence[Contents | LoadError]", roots: list[Path]) -> Catalogue:
    """The catalogue of what the modules contributed: a repeated id, an erratum whose correction is not loaded, a
    link to a claim that is not loaded and a trust cycle are load errors; an erratum's correction is linked, and a
    described erratum corrected in another module is checked in a process that imports both modules."""
    claims: list[Claim] = []
    errors: list[LoadError] = []
    seen: dict[str, Claim] = {}
    preload: dict[str, None] = {}
    for part in loaded:
        if isinstance(part, LoadError):
            errors.append(part)
            continue
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
    for index, c in enumerate(claims):
        fixed = by_id.get(getattr(c.erratum, "corrected_by", None)) if c.erratum is not None else None
        if fixed is not None:
            extra = {"units": tuple(dict.fromkeys(c.units + fixed.units))} if isinstance(c, Descriptor) else {}
            claims[index] = dataclasses.replace(c, correction=fixed, **extra)
    errors.extend(LoadError(c.pack, c.file, c.line, message) for c, message in links.problems(claims))
    reads = [part.reads for part in loaded if isinstance(part, Contents)]
    loading = Reads(tuple(sorted({e for r in reads for e in r.entries})), tuple(dict.fromkeys(u for r in reads for u in r.unrecordable)))
    return Catalogue(tuple(claims), tuple(preload), tuple(errors), tuple(dict.fromkeys(roots)), loading)


def load(paths: Sequence[Path] = (), *, entry_points: bool = True, timeout: Optional[float] = None) -> Catalogue:
    """Load the installed packs (the seed pack included) and the claim modules under `paths`, as descriptions.

    Each pack module is imported once, in a module process forked from the fork server (which holds the engine and no
    pack), within `timeout` seconds (LOAD_TIMEOUT by default); it sends back its claims as plain data, and stays to
    check them. No pack code runs in this process. A module that cannot be imported (anything it raises, SystemExit
    included, an import that ends its process or does not finish), a malformed claim, a repeated id and an erratum
    whose correction is not loaded become LoadErrors in the catalogue, each at its file and line; the rest loads.
    Where no fork server can run, the packs are imported here instead (`import_here`).
    """
    timeout = min(max(LOAD_TIMEOUT if timeout is None else timeout, 0.001), 1e7)  # what an interval timer can take
    from proofs.runner import serve_module

    fork_server = processes.start_server(serve_module)
    units, roots = find(paths, entry_points=entry_points)
    _release()
    if fork_server is None:
        return _catalogue(_imported_here(units, timeout), roots)
    return _catalogue(_collect(units, timeout, fork_server), roots)


def import_here(paths: Sequence[Path] = (), *, entry_points: bool = True, timeout: Optional[float] = None) -> Catalogue:
    """The catalogue with its claims imported into this process, as objects whose checks and replays can be called
    here: for tests and notebooks. The checker never calls it; its claims are checked in processes forked from here."""
    timeout = min(max(LOAD_TIMEOUT if timeout is None else timeout, 0.001), 1e7)
    units, roots = find(paths, entry_points=entry_points)
    return _catalogue(_imported_here(units, timeout), roots)


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
