"""Course material as the checker reads it: text, Markdown, LaTeX and notebooks, and where a snippet is in them."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import warnings
import unicodedata
from pathlib import Path
from typing import Optional, Union

from proofs.anchors import _SPACING, MAX_MATERIAL_BYTES, normalise
from proofs.errors import ProofsError
from proofs.files import Unreadable, read_regular

__all__ = ["MaterialError", "Passage", "Document", "Location", "Miss", "FORMATS", "read", "parse", "discover", "locate"]

# The formats read, by file suffix; any other suffix is refused (name a format to read it as one of these).
FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".tex": "latex", ".ipynb": "notebook"}
# At most this many material files are listed by `discover`; a bigger tree is refused rather than cut short.
MAX_FILES = 10_000
# A Miss quotes at most this many characters of the closest passage.
_QUOTE = 160


class MaterialError(ProofsError, ValueError):
    """A material file cannot be read: missing, not a regular file, too large, not UTF-8, or not its format."""


@dataclasses.dataclass(frozen=True)
class Passage:
    """Produced by `read`: a stretch of a document's text from one source (the whole file, or one notebook cell)."""

    # The material file, relative to the material directory.
    file: str
    # 1-based cell number in a notebook (counting every cell); None for other formats.
    cell: Optional[int]
    # "text", "markdown" or "latex"; for a notebook cell, "markdown" or "code".
    kind: str
    # Line in the file (in the cell, for a notebook) where the passage starts, 1-based.
    line: int
    # Offset of the passage in the document's text.
    start: int
    # The passage's text: NFC, with line ends as "\n".
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclasses.dataclass(frozen=True)
class Document:
    """Produced by `read`: one material file as passages; its text is theirs joined by blank lines."""

    # The material file, relative to the material directory.
    file: str
    # "text", "markdown", "latex" or "notebook".
    format: str
    # In order; a notebook has one per markdown or code cell, every other format exactly one.
    passages: tuple[Passage, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.passages)

    def passage_at(self, offset: int) -> Optional[Passage]:
        """The passage holding this offset of the document's text, if any."""
        return next((p for p in self.passages if p.start <= offset < max(p.end, p.start + 1)), None)

    def line_of(self, offset: int) -> tuple[int, Optional[int]]:
        """(line, cell) of an offset of the document's text: the line in the file, or in the cell of a notebook."""
        p = self.passage_at(offset) or self.passages[-1]
        return p.line + p.text.count("\n", 0, max(0, offset - p.start)), p.cell


@dataclasses.dataclass(frozen=True)
class Location:
    """Returned by `locate`: where a snippet is, up to whitespace and LaTeX spacing."""

    file: str
    # 1-based line in the file, or in the cell for a notebook.
    line: int
    # 1-based notebook cell, or None.
    cell: Optional[int]
    # Character span [start, end) in the document's text.
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.cell is None else f"{self.file}: cell {self.cell}, line {self.line}"


@dataclasses.dataclass(frozen=True)
class Miss:
    """Returned by `locate` when the snippet is not in the document: the passage of it most like the snippet."""

    file: str
    snippet: str
    # Where the closest passage is (line 0 when the document is empty) and what it says, cut to a readable length.
    line: int
    cell: Optional[int]
    closest: str
    # How alike they are, 0..1 (difflib's ratio).
    similarity: float

    def __str__(self) -> str:
        if not self.closest:
            return f"not found in {self.file}; the file has no text"
        where = f"line {self.line}" if self.cell is None else f"cell {self.cell}, line {self.line}"
        return f"not found in {self.file}; closest ({where}): {self.closest}"


def _open_bytes(path: Path) -> bytes:
    try:
        return read_regular(path, MAX_MATERIAL_BYTES)
    except Unreadable as exc:
        if exc.kind == "missing":
            raise MaterialError(f"material file {path} does not exist") from None
        if exc.kind == "not regular":
            raise MaterialError(f"material file {path} is not a regular file") from None
        if exc.kind == "too large" and exc.detail.isdigit():
            raise MaterialError(f"material file {path} is too large ({exc.detail} bytes; the limit is {MAX_MATERIAL_BYTES} bytes)") from None
        if exc.kind == "too large":  # it grew while it was read
            raise MaterialError(f"material file {path} is too large (over {MAX_MATERIAL_BYTES} bytes)") from None
        raise MaterialError(f"cannot read material file {path}: {exc.detail}") from None


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _relative(file: str) -> str:
    if not isinstance(file, str) or not file or file.startswith("/") or "\\" in file or ".." in file.split("/"):
        raise MaterialError(f"material file {file!r} must be a path relative to the material directory, without '..'")
    return file


def format_of(file: str) -> str:
    """The format a file is read as, from its suffix; MaterialError for a suffix not in FORMATS."""
    suffix = Path(file).suffix.lower()
    if suffix not in FORMATS:
        raise MaterialError(f"{file}: unsupported material format {suffix or '(no suffix)'!r}; "
                            f"the formats read are {', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


def read(directory: Union[str, Path], file: str, format: Optional[str] = None) -> Document:
    """The Document of DIRECTORY/FILE, read as `format` (one of FORMATS' values) or as its suffix says.

    Only a regular file of at most MAX_MATERIAL_BYTES inside the directory is read, as strict UTF-8, NFC
    normalised; anything else is a MaterialError whose message names the file and the problem."""
    file = _relative(file)
    fmt = format or format_of(file)
    if fmt not in FORMATS.values():
        raise MaterialError(f"{file}: unknown material format {fmt!r}; use one of {', '.join(sorted(set(FORMATS.values())))}")
    base = Path(directory)
    path = base / file
    try:
        inside = path.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError) as exc:
        raise MaterialError(f"cannot resolve material file {path}: {exc}") from None
    if not inside:
        raise MaterialError(f"material file {path} leads outside the material directory {base}")
    data = _open_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MaterialError(f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return parse(file, text, fmt)


def parse(file: str, text: str, format: str) -> Document:
    """The Document of text already read (see `read`), named `file`."""
    if format != "notebook":
        return Document(file, format, (Passage(file, None, format, 1, 0, _clean(text)),))
    try:
        import nbformat
    except ImportError:
        raise MaterialError(f"{file}: reading notebooks needs nbformat, which is not installed (pip install nbformat)") from None
    try:
        with warnings.catch_warnings():  # nbformat's advice to its callers is not the course's concern
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(_normalised(text), as_version=4)
        cells = list(notebook.cells)
    except Exception as exc:  # noqa: BLE001 - any failure to parse hostile JSON is the file's problem
        raise MaterialError(f"{file} is not a Jupyter notebook: {type(exc).__name__}: {str(exc)[:200]}") from None
    passages, start = [], 0
    for number, cell in enumerate(cells, 1):
        kind, source = cell.get("cell_type"), cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if kind not in ("markdown", "code", "raw") or not isinstance(source, str):
            raise MaterialError(f"{file}: cell {number} is not a markdown, code or raw cell with text")
        if kind == "raw":
            continue
        passage = Passage(file, number, kind, 1, start, _clean(source))
        passages.append(passage)
        start = passage.end + 2
    if not passages:
        passages.append(Passage(file, None, "markdown", 1, 0, ""))
    return Document(file, "notebook", tuple(passages))


def _normalised(text: str) -> str:
    """A notebook's JSON with what nbformat 4.5 requires and older writers leave out filled in before it is validated:
    every cell an id, unique in the notebook (what `nbformat.validator.normalize` does, without its warning). Text
    that is not a notebook's JSON is returned as it is, for nbformat to refuse."""
    try:
        data = json.loads(text)
        cells = data["cells"] if isinstance(data, dict) and data.get("nbformat") == 4 and isinstance(data.get("cells"), list) else None
        minor = data.get("nbformat_minor") if cells is not None else None
    except (ValueError, RecursionError):
        return text
    if cells is None or not isinstance(minor, int) or minor < 5:
        return text
    seen: set = set()
    changed = False
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        identity = cell.get("id")
        if not isinstance(identity, str) or not identity or identity in seen:
            identity = f"cell-{number}"
            while identity in seen:
                identity += "-"
            cell["id"] = identity
            changed = True
        seen.add(identity)
    return json.dumps(data) if changed else text


def discover(directory: Union[str, Path]) -> list[str]:
    """The material files under a directory (relative paths, sorted) with a suffix in FORMATS; hidden files and
    directories and symbolic links are skipped. More than MAX_FILES is a MaterialError."""
    base = Path(directory)
    if not base.is_dir():
        raise MaterialError(f"material directory {base} does not exist or is not a directory")
    found = []
    for root, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in FORMATS or path.is_symlink():
                continue
            found.append(path.relative_to(base).as_posix())
            if len(found) > MAX_FILES:
                raise MaterialError(f"material directory {base} has more than {MAX_FILES} material files")
    return sorted(found)


def _kept(text: str) -> tuple[str, list[int]]:
    """The text with whitespace and LaTeX spacing removed, as `normalise` does, and for each character kept its
    offset in the text."""
    out, index, at = [], [], 0
    for m in _SPACING.finditer(text):
        out.append(text[at:m.start()])
        index.extend(range(at, m.start()))
        at = m.end()
    out.append(text[at:])
    index.extend(range(at, len(text)))
    return "".join(out), index


def locate(document: Document, snippet: str) -> Union[Location, Miss]:
    """Where the snippet first occurs in the document, up to whitespace and LaTeX spacing (proofs.anchors.normalise),
    never across two notebook cells; or a Miss naming the closest passage.

    The text is NFC already; a snippet found only once removed spacing lets a combining mark join the character
    before it is reported as a Miss (it fails closed)."""
    needle = normalise(snippet)
    if needle:
        for p in document.passages:
            kept, index = _kept(p.text)
            at = kept.find(needle)
            if at >= 0:
                start, end = p.start + index[at], p.start + index[at + len(needle) - 1] + 1
                line, cell = document.line_of(start)
                return Location(document.file, line, cell, start, end)
    return _closest(document, snippet)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _closest(document: Document, snippet: str) -> Miss:
    """The window of the document most like the snippet: the line (or as many lines as the snippet has) whose best
    aligned stretch of the snippet's length has the highest difflib ratio."""
    want = _squash(snippet)
    height = max(1, snippet.strip().count("\n") + 1)
    best = (-1.0, 0, None, "")
    for p in document.passages:
        lines = p.text.split("\n")
        for i in range(len(lines)):
            window = _squash(" ".join(lines[i:i + height]))
            if not window:
                continue
            matcher = difflib.SequenceMatcher(None, window, want, autojunk=False)
            if matcher.real_quick_ratio() * 2 < best[0] and len(window) <= 2 * len(want):
                continue
            match = matcher.find_longest_match(0, len(window), 0, len(want))
            left = max(0, match.a - match.b)
            piece = window[left:left + len(want)] if len(window) > 2 * len(want) else window
            ratio = difflib.SequenceMatcher(None, piece, want, autojunk=False).ratio()
            if ratio > best[0]:
                best = (ratio, p.line + i, p.cell, piece)
    ratio, line, cell, piece = best
    quote = piece if len(piece) <= _QUOTE else piece[:_QUOTE - 1] + "…"
    return Miss(document.file, snippet, line, cell, quote, max(0.0, round(ratio, 3)))
