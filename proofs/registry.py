"""Finding claim packs (entry points and paths), rejecting duplicate ids, and selecting claims."""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import importlib
import importlib.util
import re
import sys
import traceback
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from proofs.errors import PackError, ProofsError, UsageError
from proofs.model import Claim, Placeholder

__all__ = ["ENTRY_POINT_GROUP", "Catalogue", "LoadError", "load", "select"]

# Packs register a module (or package) exposing CLAIMS under this entry-point group.
ENTRY_POINT_GROUP = "proofs.packs"
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

    def warm(self) -> None:
        """Do the packs' PRELOAD steps once here, so that no forked check repeats them."""
        for entry in self.preload:
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


def _located(pack: str, exc: BaseException, roots: Sequence[Path]) -> LoadError:
    """Place a loading error at its line: a syntax error where the parser stopped, any other at the deepest frame
    inside the pack's own files (not in the libraries it called), falling back to the deepest frame of all."""
    message = f"{type(exc).__name__}: {exc}"
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


def _pack_claims(pack: str, module) -> tuple[list[Claim], list[LoadError]]:
    where = getattr(module, "__file__", None) or module.__name__
    items = getattr(module, "CLAIMS", None)
    if items is None:
        return [], [LoadError(pack, where, 0, "the module has no CLAIMS list; end it with CLAIMS = (claim_a, claim_b, ...)")]
    if not isinstance(items, (list, tuple)):
        return [], [LoadError(pack, where, 0, f"CLAIMS must be a list or tuple of claims, got {type(items).__name__}")]
    out, errors = [], []
    for item in items:
        if not isinstance(item, Claim):
            errors.append(LoadError(pack, where, 0, f"CLAIMS holds {item!r}, which is not a Claim; decorate the check with @claim(...)"))
            continue
        out.append(dataclasses.replace(item, pack=pack))
    return out, errors


def _load_path(directory: Path) -> tuple[list[tuple[str, object]], list[LoadError]]:
    if not directory.is_dir():
        raise UsageError(f"--claims {directory}: not a directory of claim modules")
    modules, errors = [], []
    # claim modules may import helper modules beside them (names starting with _ are not claim modules)
    if str(directory.resolve()) not in sys.path:
        sys.path.insert(0, str(directory.resolve()))
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        pack = f"{directory.name}/{path.stem}"
        name = f"proofs_pack_{directory.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 - reported with its location; the other modules still load
            del sys.modules[name]
            errors.append(_located(pack, exc, [path]))
            continue
        modules.append((pack, module))
    return modules, errors


def _entry_point_root(ep) -> list[Path]:
    try:
        spec = importlib.util.find_spec(ep.module)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin:
        return []
    origin = Path(spec.origin)
    return [origin.parent] if spec.submodule_search_locations else [origin]


def load(paths: Sequence[Path] = (), *, entry_points: bool = True) -> Catalogue:
    """Load the installed packs (the seed pack included) and the claim modules under `paths`.

    A pack that cannot be loaded, a claim that is malformed and a repeated id become LoadErrors in the
    catalogue, each placed at its file and line; everything else still loads.
    """
    sources: list[tuple[str, object]] = []
    errors: list[LoadError] = []
    roots: list[Path] = [Path(p) for p in paths]
    if entry_points:
        found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        if SEED_PACK[1] not in {ep.value for ep in found}:
            found.insert(0, metadata.EntryPoint(name=SEED_PACK[0], value=SEED_PACK[1], group=ENTRY_POINT_GROUP))
        for ep in found:
            root = _entry_point_root(ep)
            roots.extend(root)
            try:
                sources.append((ep.name, ep.load()))
            except Exception as exc:  # noqa: BLE001 - reported with the pack's name and location
                errors.append(_located(ep.name, exc, root))
    for path in paths:
        loaded, failed = _load_path(Path(path))
        sources.extend(loaded)
        errors.extend(failed)
    claims: list[Claim] = []
    seen: dict[str, Claim] = {}
    preload: dict[str, None] = {}
    for pack, module in sources:
        preload.update(dict.fromkeys(getattr(module, "PRELOAD", ())))
        found_claims, problems = _pack_claims(pack, module)
        errors.extend(problems)
        for c in found_claims:
            if c.id in seen:
                errors.append(LoadError(pack, c.file, c.line,
                                        f"duplicate claim id {c.id!r}: defined at {seen[c.id].location} and at {c.location}"))
                continue
            seen[c.id] = c
            claims.append(c)
    return Catalogue(tuple(claims), tuple(preload), tuple(errors), tuple(dict.fromkeys(roots)))


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
