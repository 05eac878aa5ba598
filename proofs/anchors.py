"""Material anchors: is each snippet a claim cites still in the material, up to whitespace and LaTeX spacing?"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from proofs.model import Anchor

__all__ = ["normalise", "verify"]

# LaTeX commands that only change spacing: \, \; \: \! \> \  \quad \qquad \thinspace \medspace \thickspace
# \enspace \negthinspace, \hspace{..} and \hspace*{..}, and the tie ~. Removed, like whitespace, before comparing.
_SPACING = re.compile(
    r"\\(?:quad|qquad|thinspace|medspace|thickspace|enspace|negthinspace|negmedspace|negthickspace)(?![A-Za-z])"
    r"|\\hspace\*?\{[^{}]*\}"
    r"|\\[,;:!> ]"
    r"|(?<!\\)~"
    r"|\s+"
)


def normalise(text: str) -> str:
    """The text with whitespace and LaTeX spacing commands removed; what anchors are compared by."""
    return _SPACING.sub("", text)


def _read(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        cache[path] = normalise(path.read_text(encoding="utf-8", errors="replace"))
    return cache[path]


def verify(anchors: Iterable[Anchor], material: Path, cache: dict | None = None) -> list[dict]:
    """One record per anchor: file, snippet, found, and the problem when it is not found."""
    cache = {} if cache is None else cache
    records = []
    for a in anchors:
        path = Path(material) / a.file
        record = {"file": a.file, "snippet": a.snippet, "found": False}
        if not path.is_file():
            record["problem"] = f"material file {path} does not exist"
        elif normalise(a.snippet) not in _read(path, cache):
            record["problem"] = f"snippet no longer in {path}"
        else:
            record["found"] = True
        records.append(record)
    return records
