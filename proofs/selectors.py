"""The claims a command's selectors name: ids, prefixes and globs, and files and folders (as pre-commit passes them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

from proofs.model import Claim
from proofs.registry import Catalogue, select

__all__ = ["names_file", "select_claims"]


def names_file(selector: str) -> bool:
    """Whether a selector names files (a material file, a claim module or a folder of them, as pre-commit passes
    changed files) rather than claims: an existing file or folder whose name has a directory or a suffix."""
    return os.path.exists(selector) and ("/" in selector or os.path.splitext(selector)[1] != "" or os.path.isdir(selector))


def select_claims(catalogue: Catalogue, selectors: Sequence[str], material: Optional[Path]) -> list[Claim]:
    """The claims the selectors name, in the catalogue's order: ids, prefixes and globs (registry.select), and for a
    selector that names a file or a folder, every claim defined in it (under it) or citing it in the material under
    `material` (when given). Paths are taken from the current directory."""
    paths = [os.path.realpath(s) for s in selectors if names_file(s)]
    rest = [s for s in selectors if not names_file(s)]
    chosen = {c.id for c in select(catalogue, rest)} if rest else set()

    def named(path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in paths)

    if paths:
        for c in catalogue.claims:
            cited = [os.path.realpath(Path(material) / a.file) for a in c.anchors] if material is not None else []
            if (c.file and named(os.path.realpath(c.file))) or any(named(p) for p in cited):
                chosen.add(c.id)
    return [c for c in catalogue.claims if c.id in chosen]
