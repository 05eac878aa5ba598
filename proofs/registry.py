"""Finding claim packs (entry points and paths), rejecting duplicate ids, and selecting claims."""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from proofs.errors import InvalidClaim, PackError, UsageError
from proofs.model import Claim

__all__ = ["ENTRY_POINT_GROUP", "Catalogue", "load", "select"]

# Packs register a module (or package) exposing CLAIMS under this entry-point group.
ENTRY_POINT_GROUP = "proofs.packs"
# The course's own pack, loaded by name when it is not installed with its entry point.
SEED_PACK = ("seed", "claims")


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """Produced by `load`: every claim of every pack, in pack then definition order."""

    claims: tuple[Claim, ...]
    # Modules the packs ask to have imported before checks start (PRELOAD in a pack module).
    preload: tuple[str, ...] = ()

    def warm(self) -> None:
        """Import the packs' PRELOAD modules once here, so that no forked check imports them again."""
        for name in self.preload:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                raise PackError(f"cannot preload module {name!r}: {exc}") from None

    def by_id(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise UsageError(f"no claim {claim_id!r}{_closest(claim_id, self.ids())}")

    def ids(self) -> list[str]:
        return [c.id for c in self.claims]


def _pack_claims(pack: str, module) -> list[Claim]:
    items = getattr(module, "CLAIMS", None)
    if items is None:
        raise PackError(f"pack {pack!r} ({getattr(module, '__file__', module.__name__)}) has no CLAIMS list")
    out = []
    for item in items:
        if not isinstance(item, Claim):
            raise InvalidClaim(f"pack {pack!r}: CLAIMS holds {item!r}, which is not a Claim; decorate the check with @claim(...)")
        out.append(dataclasses.replace(item, pack=pack))
    return out


def _load_path(directory: Path) -> list[tuple[str, object]]:
    if not directory.is_dir():
        raise UsageError(f"--claims {directory}: not a directory of claim modules")
    modules = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"proofs_pack_{directory.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except SyntaxError as exc:
            raise PackError(f"{exc.filename}:{exc.lineno}: syntax error in claim module: {exc.msg}") from None
        except Exception as exc:  # noqa: BLE001 - reported with its location
            raise PackError(f"{path}: cannot load claim module: {type(exc).__name__}: {exc}") from None
        modules.append((f"{directory.name}/{path.stem}", module))
    return modules


def load(paths: Sequence[Path] = (), *, entry_points: bool = True) -> Catalogue:
    """Load the installed packs (the seed pack included) and the claim modules under `paths`."""
    sources: list[tuple[str, object]] = []
    if entry_points:
        found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        names = {ep.value for ep in found}
        if SEED_PACK[1] not in names:
            sources.append((SEED_PACK[0], importlib.import_module(SEED_PACK[1])))
        for ep in found:
            try:
                sources.append((ep.name, ep.load()))
            except Exception as exc:  # noqa: BLE001 - reported with the pack's name
                raise PackError(f"pack {ep.name!r} ({ep.value}) cannot be imported: {type(exc).__name__}: {exc}") from None
    for path in paths:
        sources.extend(_load_path(Path(path)))
    claims: list[Claim] = []
    seen: dict[str, Claim] = {}
    preload: dict[str, None] = {}
    for pack, module in sources:
        preload.update(dict.fromkeys(getattr(module, "PRELOAD", ())))
        for c in _pack_claims(pack, module):
            if c.id in seen:
                raise PackError(f"duplicate claim id {c.id!r}: defined at {seen[c.id].location} and at {c.location}")
            seen[c.id] = c
            claims.append(c)
    return Catalogue(tuple(claims), tuple(preload))


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
