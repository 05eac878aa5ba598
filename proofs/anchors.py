"""Material anchors: is each snippet a claim cites still in the material, up to whitespace and LaTeX spacing?"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Optional

from proofs.model import Anchor

__all__ = ["normalise", "verify", "Sightings", "MAX_MATERIAL_BYTES"]

# The largest material file read; a bigger one is a problem of the anchors citing it, never read.
MAX_MATERIAL_BYTES = 16 * 2**20
# How much normalised material text `verify` keeps between calls before it starts again with an empty cache.
_CACHE_CHARS = 64 * 2**20

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
    """The text in Unicode NFC with whitespace and LaTeX spacing commands removed; what anchors are compared by."""
    return unicodedata.normalize("NFC", _SPACING.sub("", unicodedata.normalize("NFC", text)))


def _document(material: Path, file: str, cache: dict):
    """The material file's Document (proofs.material), or the problem reading it; read once while the cache holds it.
    A file whose suffix names no format the readers know is read as plain text."""
    from proofs import material as readers

    key = (str(material), file)
    if key not in cache:
        if sum(len(doc.text) for doc, _ in cache.values() if doc is not None) > _CACHE_CHARS:
            cache.clear()
        try:
            suffix = Path(file).suffix.lower()
            cache[key] = (readers.read(material, file, None if suffix in readers.FORMATS else "text"), "")
        except readers.MaterialError as exc:
            cache[key] = (None, str(exc))
    return cache[key]


def verify(anchors: Iterable[Anchor], material: Path, cache: dict | None = None) -> list[dict]:
    """One record per anchor: file, snippet, found; where it was found (line, and cell in a notebook), or the
    problem: the file could not be read, or "not found in FILE; closest (line N): ..." naming the nearest passage."""
    from proofs import material as readers

    cache = {} if cache is None else cache
    records = []
    for a in anchors:
        record: dict = {"file": a.file, "snippet": a.snippet, "found": False}
        document, problem = _document(Path(material), a.file, cache)
        if document is None:
            record["problem"] = problem
        else:
            where = readers.locate(document, a.snippet)
            if isinstance(where, readers.Miss):
                record["problem"] = str(where)
            else:
                record.update(found=True, line=where.line, **({"cell": where.cell} if where.cell is not None else {}))
        records.append(record)
    return records


class Sightings:
    """Where each claim's cited snippets were last found, kept in the result cache between runs: a snippet that was
    found before and is gone now is stale (the material changed); one never found is a mistake in the anchor."""

    # Snippets remembered at most; older ones are forgotten first.
    LIMIT = 100_000

    def __init__(self, recorded: Any = None) -> None:
        self.places: dict[str, dict] = {}
        if isinstance(recorded, dict) and isinstance(recorded.get("seen"), dict):
            for key, place in list(recorded["seen"].items())[-self.LIMIT:]:
                if isinstance(key, str) and isinstance(place, dict) and isinstance(place.get("line"), int):
                    self.places[key] = {"line": place["line"], **({"cell": place["cell"]} if isinstance(place.get("cell"), int) else {})}

    @staticmethod
    def _key(claim_id: str, anchor: Anchor) -> str:
        digest = hashlib.sha256(normalise(anchor.snippet).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return f"{claim_id} {anchor.file} {digest}"

    def seen(self, claim_id: str, anchor: Anchor) -> Optional[dict]:
        return self.places.get(self._key(claim_id, anchor))

    def saw(self, claim_id: str, anchor: Anchor, record: dict) -> None:
        key = self._key(claim_id, anchor)
        self.places.pop(key, None)
        self.places[key] = {"line": record["line"], **({"cell": record["cell"]} if "cell" in record else {})}

    def to_json(self) -> dict:
        return {"seen": dict(list(self.places.items())[-self.LIMIT:])}
