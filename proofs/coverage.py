"""Claim coverage of the material: which of its formulas and stated values some claim's anchor cites.

What counts as a unit (`units`):

- a formula: every displayed formula ($$...$$, \\[...\\], and the equation, align, gather, multline and eqnarray
  environments, starred or not), and every inline formula ($...$, \\(...\\)) that, once its subscripts and its
  superscripts holding a letter (indices such as x_{t-1}, h^{t}) are set aside, contains a digit or a relation
  (=, <, >, \\le, \\leq, \\ge, \\geq, \\ne, \\neq, \\approx, \\equiv, \\propto, \\in, \\ll, \\gg): a mention of a symbol
  such as $x_t$ asserts nothing;
- a stated value: in solution text, outside formulas, a number standing alone (not part of a word, an identifier
  or a name such as 1-D or L2-norm), with any numbers joined to it by x, × or * ("4 x 4").

Solution text runs from a line that starts with "Solution" (bold or not, or \\textbf{Solution}, or
\\begin{solution}) to the next heading, part marker or \\end{solution}. Exercises are numbered by headings
("## 3 RNNs", "# Exercise 3", \\section{...}, counted when they carry no number, and a line that starts with a
bold "**Exercise 3**" or \\textbf{Exercise 3}); a heading without a number
ends the exercise. Parts are marked however a sheet marks them: a line that starts with "(a)" or "a)" (after a list
bullet, \\item[...], \\paragraph{...} or bold, if any) or with "Part a"; a sub-heading whose title is one
("### (b)", "\\subsection{(b) ...}", "## Part b"); and, in an exercise that marks no part so and outside solution
text, the items of its list: \\item at the first level of an enumerate and "1." or "1)" at the start of a Markdown or text line
(the n-th item is part n's letter). A unit's part is "ex3.b", "ex3" before the first part marker, "" before the
first exercise. Notebook code cells hold no units.

A unit is covered when the first occurrence of an anchor of some claim overlaps it; excluded when a reviewed
exclusion names it; uncovered otherwise. Exclusions (`load_exclusions`) are a TOML file of [[exclude]] tables:
file, unit (the unit's text or a snippet of it, compared up to whitespace and LaTeX spacing; a unit whose whole
text equals it is preferred to one that merely contains it), reason, and optionally part ("ex1.a") and
occurrences (how many units it names, 1 unless given). An exclusion that names no unit, or a number of units
other than its occurrences, is a problem: the material changed and the review is stale.

JSON form (`Coverage.to_json`), schema "proofs-coverage/1":
  {"schema": "proofs-coverage/1", "percent": float, "totals": COUNTS,
   "files": [{"file": str, **COUNTS, "parts": [{"part": str, **COUNTS}]}],
   "uncovered": [UNIT], "units": [UNIT + {"status": "covered"|"excluded"|"uncovered", "claims": [id],
   "reason": str}], "problems": [str]}
  COUNTS = {"covered": int, "excluded": int, "uncovered": int, "total": int, "percent": float}
  UNIT = {"file": str, "line": int, "cell": int|null, "part": str, "kind": "formula"|"value", "solution": bool,
          "text": str}
percent is (covered + excluded) / total * 100, rounded to 0.1, and 100.0 when there are no units.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from proofs import numbers
from proofs.anchors import normalise
from proofs.errors import UsageError
from proofs.files import reviewed_entries
from proofs.material import Document, Miss, locate
from proofs.model import Anchor
from proofs.writers.escape import one_line

__all__ = ["CoverageError", "Unit", "Exclusion", "Mark", "Coverage", "SCHEMA", "formulas", "units", "parts", "part_at", "citations",
           "load_exclusions", "measure", "fail_under"]

SCHEMA = "proofs-coverage/1"
# The largest exclusions file read.
_MAX_EXCLUSIONS_BYTES = 2**20

_ENVIRONMENTS = "equation|align|gather|multline|eqnarray|displaymath|math"
# Formulas, displayed ones first: $$..$$, \[..\], environments, \(..\), then $..$ (not \$, never across a blank line)
_FORMULA = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    rf"|\\begin\{{(?P<env>{_ENVIRONMENTS})(?P<star>\*?)\}}(?P<envbody>.+?)\\end\{{(?P=env)(?P=star)\}}"
    r"|\\\((?P<paren>.+?)\\\)"
    r"|(?<![\\$])\$(?P<d>(?:\\.|[^$\\])+?)(?<!\\)\$",
    re.DOTALL,
)
_INDEX = re.compile(r"_\{[^{}]*\}|_\\?[A-Za-z0-9]|\^\{[^{}]*[A-Za-z][^{}]*\}|\^\\?[A-Za-z]")
_RELATION = re.compile(r"[=<>]|\\(?:leq?|geq?|neq?|approx|equiv|propto|in|ll|gg)(?![A-Za-z])")
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
# A number standing alone in prose, with numbers joined to it by x, × or *.
_VALUE = re.compile(rf"(?<![\w.\-+^_/]){_NUMBER}(?:\s*[x×*]\s*{_NUMBER})*(?![\w\-]|\.\d)")
_HEADING = re.compile(r"\s*(?:#{1,6}\s+(?P<md>.*)|\\(?P<sub>(?:sub)*)section\*?\{(?P<tex>.*)"
                      r"|(?:\*\*|__|\\textbf\{)(?P<bold>(?:Exercise|Problem|Question)\s+\d+\b.*))")
_TITLE_NUMBER = re.compile(r"\s*(?:(?:exercise|problem|question)\s*)?(\d+)\b(?!\.\d)", re.IGNORECASE)  # not "6.867"
# A part marker at the start of a line: "(a)" or "a)" after a list bullet, \\item[...], \\paragraph{...}, bold or
# italic markers, or the word "Part"; or "Part a" / "Part (a)".
_PART = re.compile(r"\s*(?:[-*+]\s+|\\item\s*\[?\s*|\\(?:sub)?paragraph\*?\{\s*|\\textbf\{\s*|(?:\*\*|__|\*|_)\s*)?"
                   r"(?:\(([a-z])\)|([a-z])\)(?=\s|$|\*|_|\})|[Pp]art\s+\(?([a-z])\b)")
# A heading whose title is a part ("### (b)", "\\subsection{(b) Training}", "## Part b").
_PART_TITLE = re.compile(r"\s*(?:\(([a-z])\)|([a-z])\)|[Pp]art\s+\(?([a-z])\b)")
# The items of an exercise's list, which are its parts when they carry no marker of their own: \\item at the first
# level of an enumerate, and "1." / "1)" at the start of a line (ordinal n is part letter n).
_ENUMERATE = re.compile(r"\s*\\(begin|end)\{enumerate\}")
_ITEM = re.compile(r"\s*\\item(?![A-Za-z])")
_NUMBERED = re.compile(r"(?:[-*+] )?(\d{1,2})[.)](?:\s|$)")
_SOLUTION = re.compile(r"\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*Solution\b|\s*\\textbf\{Solution|\s*\\begin\{solution\}", re.IGNORECASE)
_END_SOLUTION = re.compile(r"\s*\\end\{solution\}")


class CoverageError(UsageError):
    """The exclusions file is unreadable or malformed (a usage error: exit 4); the message names the file, the entry
    and the fix."""


@dataclasses.dataclass(frozen=True)
class Unit:
    """Produced by `units`: one formula or stated value of the material."""

    file: str
    # "formula" or "value".
    kind: str
    # The formula without its delimiters, or the value as written.
    text: str
    # 1-based line in the file (in the cell, for a notebook) and the notebook cell, or None.
    line: int
    cell: Optional[int]
    # "ex3.b", "ex3" or "" (see the module docstring).
    part: str
    # Whether it is in solution text.
    solution: bool
    # Span [start, end) in the document's text, delimiters included.
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "cell": self.cell, "part": self.part, "kind": self.kind,
                "solution": self.solution, "text": self.text}


@dataclasses.dataclass(frozen=True)
class Exclusion:
    """Read by `load_exclusions`: a reviewed unit that states nothing a claim should check."""

    file: str
    # The unit's text or a snippet of it.
    unit: str
    # Why it states no claim (a definition, the problem's given data, a restated formula).
    reason: str
    # The part it is in, to tell apart units with the same text; None for any part.
    part: Optional[str] = None
    # How many units it names.
    occurrences: int = 1
    # Where it is written, for messages: "FILE: exclusion N".
    where: str = ""


@dataclasses.dataclass(frozen=True)
class Mark:
    """Produced by `measure`: a unit and what became of it."""

    unit: Unit
    # "covered", "excluded" or "uncovered".
    status: str
    # The claims whose anchors overlap it.
    claims: tuple[str, ...] = ()
    # The exclusion's reason, when excluded.
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.unit.to_json() | {"status": self.status, "claims": list(self.claims), "reason": self.reason}


def _percent(done: int, total: int) -> float:
    return 100.0 if total == 0 else round(100 * done / total, 1)


def _counts(marks: Sequence[Mark]) -> dict[str, Any]:
    n = {s: sum(1 for m in marks if m.status == s) for s in ("covered", "excluded", "uncovered")}
    return n | {"total": len(marks), "percent": _percent(n["covered"] + n["excluded"], len(marks))}


@dataclasses.dataclass(frozen=True)
class Coverage:
    """Produced by `measure`: every unit of the measured documents with its status, and the problems found."""

    # The measured files, in order.
    files: tuple[str, ...]
    marks: tuple[Mark, ...]
    # Stale or ambiguous exclusions, anchors not found in a measured file: each fails `fail_under`.
    problems: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        return _counts(self.marks)["percent"]

    @property
    def uncovered(self) -> list[Unit]:
        return [m.unit for m in self.marks if m.status == "uncovered"]

    def to_json(self) -> dict[str, Any]:
        files = []
        for f in self.files:
            marks = [m for m in self.marks if m.unit.file == f]
            parts = list(dict.fromkeys(m.unit.part for m in marks))
            files.append({"file": f} | _counts(marks) | {
                "parts": [{"part": p} | _counts([m for m in marks if m.unit.part == p]) for p in parts]})
        return {"schema": SCHEMA, "percent": self.percent, "totals": _counts(self.marks), "files": files,
                "uncovered": [u.to_json() for u in self.uncovered], "units": [m.to_json() for m in self.marks],
                "problems": list(self.problems)}

    def to_text(self) -> str:
        """A table like coverage.py's (per file, then per part), the uncovered units, and the problems."""
        data = self.to_json()
        width = max([len(one_line(f["file"])) for f in data["files"]] + [24])
        row = f"{{:<{width}}} {{:>6}} {{:>8}} {{:>6}} {{:>6}} {{:>7}}"
        lines = [row.format("Name", "Units", "Covered", "Excl", "Miss", "Cover"), "-" * (width + 38)]
        for f in data["files"]:
            lines.append(row.format(one_line(f["file"]), f["total"], f["covered"], f["excluded"], f["uncovered"], f"{f['percent']:g}%"))
            for p in f["parts"]:
                lines.append(row.format("  " + (one_line(p["part"]) or "(before the first exercise)"), p["total"], p["covered"],
                                        p["excluded"], p["uncovered"], f"{p['percent']:g}%"))
        t = data["totals"]
        lines += ["-" * (width + 38), row.format("TOTAL", t["total"], t["covered"], t["excluded"], t["uncovered"], f"{t['percent']:g}%")]
        if self.uncovered:
            lines.append("\nUncovered units (no claim cites them and no exclusion names them):")
            for u in self.uncovered:
                where = f"{u.file}:{u.line}" if u.cell is None else f"{u.file}: cell {u.cell}, line {u.line}"
                lines.append(f"  {one_line(where)} [{one_line(u.part or '-')}] {u.kind}: {one_line(u.text)}")
        if self.problems:
            lines.append("\nProblems:")
            lines += [f"  {one_line(p)}" for p in self.problems]
        return "\n".join(lines) + "\n"


def formulas(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, body, displayed) of each formula of a text, in order; end is past the closing delimiter."""
    out = []
    for m in _FORMULA.finditer(text):
        body = next(m.group(g) for g in ("dd", "bracket", "envbody", "paren", "d") if m.group(g) is not None)
        if m.group("d") is not None and re.search(r"\n[ \t]*\n", body):
            continue  # a lone $ (a price, a shell prompt) does not open a formula across paragraphs
        out.append((m.start(), m.end(), body, m.group("d") is None and m.group("paren") is None))
    return out


def _asserts(body: str) -> bool:
    bare = body
    for _ in range(3):  # nested indices, x_{t_{1}}
        bare = _INDEX.sub("", bare)
    return bool(re.search(r"\d", bare) or _RELATION.search(bare))


def _letter(match: "re.Match") -> str:
    return next(g for g in match.groups() if g).lower()


def _lines(document: Document):
    """(passage, line, offset of the line in the passage, part, in solution) for every line of the document's prose
    (notebook code cells are left out): the part a line is in, as the module docstring says, found however the
    sheet marks it."""
    exercise: Optional[int] = None
    sections, part, solution = 0, "", False
    depth, items = 0, 0  # enumerate nesting, and items seen at its first level
    marked = False  # whether the exercise marks its parts with letters (then its lists are not its parts)
    def named(letter: str) -> str:
        return f"ex{exercise}.{letter}" if exercise is not None else letter

    for p in document.passages:
        if p.kind == "code":
            continue
        line_start = 0
        for raw in p.text.split("\n"):
            heading = _HEADING.match(raw)
            if heading:
                title = next(g for g in (heading.group("md"), heading.group("tex"), heading.group("bold")) if g is not None)
                sub = heading.group("sub") or (heading.group("md") is not None and raw.lstrip().startswith("##"))
                as_part = _PART_TITLE.match(title) if sub and exercise is not None else None
                if as_part:  # a sub-heading that names a part
                    part, solution, marked = named(_letter(as_part)), False, True
                else:
                    number = _TITLE_NUMBER.match(title)
                    if heading.group("tex") is not None and not heading.group("sub"):
                        sections += 1
                        exercise = int(number.group(1)) if number else sections
                    elif heading.group("tex") is None or number:
                        exercise = int(number.group(1)) if number else None
                    part, solution, depth, items = (f"ex{exercise}" if exercise is not None else ""), False, 0, 0
                    marked = False
            enumerate_ = _ENUMERATE.match(raw)
            if enumerate_:
                depth = depth + 1 if enumerate_.group(1) == "begin" else max(0, depth - 1)
                if depth == 1 and enumerate_.group(1) == "begin":
                    items = 0
            marker = _PART.match(raw) if not heading else None
            if marker:
                part, solution, marked = named(_letter(marker)), False, True
            elif not heading and not solution and not marked and exercise is not None:
                numbered = _NUMBERED.match(raw) if document.format != "latex" else None
                if depth == 1 and _ITEM.match(raw):
                    items += 1
                    part = named(chr(ord("a") + min(items, 26) - 1))
                elif numbered and 1 <= int(numbered.group(1)) <= 26:
                    part = named(chr(ord("a") + int(numbered.group(1)) - 1))
            if _SOLUTION.match(raw):
                solution = True
            elif _END_SOLUTION.match(raw):
                solution = False
            yield p, raw, line_start, part, solution
            line_start += len(raw) + 1


def parts(document: Document) -> list[tuple[int, str]]:
    """(offset in the document's text, part) where each line of prose starts: the part ("ex3.b", "ex3", or "" before
    the first exercise) every line is in."""
    return [(p.start + line_start, part) for p, _, line_start, part, _ in _lines(document)]


def part_at(document: Document, offset: int, starts: Optional[list] = None) -> str:
    """The part of an offset of the document's text (`starts`: what `parts` gave for it, to look up many)."""
    starts = parts(document) if starts is None else starts
    at = bisect.bisect_right([o for o, _ in starts], offset) - 1
    return starts[at][1] if at >= 0 else ""


def units(document: Document) -> list[Unit]:
    """The units of a document, in order (see the module docstring for what counts)."""
    found: list[Unit] = []
    passage, spans = None, []
    for p, raw, line_start, part, solution in _lines(document):
        if p is not passage:
            passage, spans = p, formulas(p.text)
        line_end = line_start + len(raw)
        for start, end, body, displayed in spans:
            if line_start <= start <= line_end and (displayed or _asserts(body)):
                found.append(_unit(document, "formula", body.strip(), p.start + start, p.start + end, part, solution))
        if solution:
            for m in _VALUE.finditer(raw):
                at = line_start + m.start()
                if not any(s <= at < e for s, e, _, _ in spans):
                    found.append(_unit(document, "value", m.group(), p.start + at, p.start + line_start + m.end(), part, True))
    found.sort(key=lambda u: u.start)
    return found


def _unit(document: Document, kind: str, text: str, start: int, end: int, part: str, solution: bool) -> Unit:
    line, cell = document.line_of(start)
    return Unit(document.file, kind, text, line, cell, part, solution, start, end)


def citations(claims: Iterable[Any]) -> list[tuple[str, Anchor]]:
    """(claim id, anchor) for every anchor of the claims (proofs.model.Claim objects), what `measure` takes."""
    return [(c.id, a) for c in claims for a in c.anchors]


_FIELDS = {"file": str, "unit": str, "reason": str, "part": str, "occurrences": int}


def load_exclusions(path: Union[str, Path]) -> tuple[Exclusion, ...]:
    """The reviewed exclusions of a TOML file (see the module docstring); CoverageError when it cannot be read or
    an entry is malformed."""
    path = Path(path)
    out = []
    for where, entry in reviewed_entries(path, f"coverage exclusions {path}", "exclude", "exclusion", _FIELDS,
                                         ("file", "unit", "reason"), _MAX_EXCLUSIONS_BYTES, CoverageError):
        for key in ("file", "unit", "reason"):
            if not normalise(entry[key]):
                raise CoverageError(f"{where}: {key} must be a non-empty string")
        if numbers.count(entry.get("occurrences", 1), least=1) is None:
            raise CoverageError(f"{where}: occurrences must be a whole number from 1 to {numbers.MAX_COUNT}")
        out.append(Exclusion(entry["file"], entry["unit"], entry["reason"], entry.get("part"), entry.get("occurrences", 1), where))
    return tuple(out)


def _named(exclusion: Exclusion, candidates: Sequence[Unit]) -> list[Unit]:
    want = normalise(exclusion.unit)
    pool = [u for u in candidates if u.file == exclusion.file and (exclusion.part is None or u.part == exclusion.part)]
    exact = [u for u in pool if normalise(u.text) == want]
    return exact or [u for u in pool if want in normalise(u.text)]


def measure(documents: Sequence[Document], cited: Iterable[tuple[str, Anchor]],
            exclusions: Sequence[Exclusion] = ()) -> Coverage:
    """The coverage of the documents' units by the cited anchors ((claim id, Anchor) pairs, see `citations`),
    with the reviewed exclusions. Anchors to files not among the documents are ignored; an anchor not found in
    its document, and a stale or ambiguous exclusion, is a problem of the result."""
    by_file = {d.file: d for d in documents}
    all_units = [u for d in documents for u in units(d)]
    problems: list[str] = []
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for claim_id, anchor in cited:
        document = by_file.get(anchor.file)
        if document is None:
            continue
        where = locate(document, anchor.snippet)
        if isinstance(where, Miss):
            problems.append(f"claim {claim_id}: anchor {anchor.snippet!r} {where}")
        else:
            spans.setdefault(anchor.file, []).append((where.start, where.end, claim_id))
    excused: dict[Unit, str] = {}
    for x in exclusions:
        named = _named(x, all_units)
        if not named:
            problems.append(f"{x.where or 'exclusion'} ({x.file}: {x.unit!r}) names no unit of the material: "
                            "it is stale; remove it or quote the unit as the material now writes it")
        elif len(named) != x.occurrences:
            lines = ", ".join(str(u.line) for u in named)
            problems.append(f"{x.where or 'exclusion'} ({x.file}: {x.unit!r}) names {len(named)} units (lines {lines}), "
                            f"not {x.occurrences}; quote more of the unit, give its part, or set occurrences")
        else:
            for u in named:
                excused.setdefault(u, x.reason)
    marks = []
    for u in all_units:
        claims = tuple(dict.fromkeys(c for s, e, c in spans.get(u.file, ()) if s < u.end and u.start < e))
        status = "covered" if claims else "excluded" if u in excused else "uncovered"
        marks.append(Mark(u, status, claims, excused.get(u, "") if status == "excluded" else ""))
    return Coverage(tuple(by_file), tuple(marks), tuple(problems))


def fail_under(coverage: Coverage, percent: float) -> bool:
    """Whether a coverage gate at `percent` fails: less than that share of units covered or excluded, any
    problem (a stale exclusion, an anchor not found), or no material measured at all."""
    n = _counts(coverage.marks)
    short = n["total"] > 0 and (n["covered"] + n["excluded"]) * 100 < percent * n["total"]
    return short or bool(coverage.problems) or not coverage.files
