"""A formula split into statements (rows, comma or \\quad separated lists) and each chain into its steps."""

from __future__ import annotations

import dataclasses
import re

__all__ = ["Piece", "Chain", "chains", "bare_condition", "RELATIONS", "CHECKED", "DEFINING"]

# Relations, longest spelling first; each maps to the one the scan uses.
RELATIONS = {
    ":=": ":=", "\\coloneqq": ":=", "\\triangleq": ":=", "\\stackrel{\\text{def}}{=}": ":=", "\\doteq": ":=",
    "\\leqslant": "<=", "\\geqslant": ">=", "\\leq": "<=", "\\geq": ">=", "\\le": "<=", "\\ge": ">=", "\\neq": "!=",
    "\\ne": "!=", "\\lt": "<", "\\gt": ">", "\\approx": "≈", "\\equiv": "≡", "\\propto": "∝", "\\sim": "~", "\\simeq": "≃",
    "\\ll": "≪", "\\gg": "≫", "\\to": "→", "\\rightarrow": "→", "\\Rightarrow": "⇒", "\\implies": "⇒", "\\iff": "⇔",
    "\\Leftrightarrow": "⇔", "\\in": "∈", "\\notin": "∉", "\\subset": "⊂", "\\subseteq": "⊆", "\\mapsto": "↦",
    "<=": "<=", ">=": ">=", "!=": "!=", "=": "=", "<": "<", ">": ">", "≤": "<=", "≥": ">=", "≠": "!=",
    "\\leqq": "<=", "\\geqq": ">=", "\\not=": "!=", "\\not\\le": "≰", "\\not\\ge": "≱", "\\not<": "≮", "\\not>": "≯",
    # relations that are not checked, named so that a step written with them is skipped with its reason, never dropped
    "\\nleq": "≰", "\\ngeq": "≱", "\\nless": "≮", "\\ngtr": "≯", "\\lesssim": "≲", "\\gtrsim": "≳", "\\cong": "≅",
    "\\asymp": "≍", "\\approxeq": "≊", "\\lessapprox": "⪅", "\\gtrapprox": "⪆", "\\prec": "≺", "\\succ": "≻",
}
# The relations a step is checked for; the others make a step that is skipped with the relation named.
CHECKED = frozenset({"=", "<", ">", "<=", ">=", "!="})
# Relations that define their left side.
DEFINING = frozenset({":="})
# A relation with a note set over or under it: \overset{(a)}{=}, \stackrel{\text{AM-GM}}{\le}, \underset{x > 0}{=}.
_ANNOTATED = (r"\\(?:overset|stackrel|underset)\s*\{(?P<note>[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*"
              r"\{\s*(?P<under>" + "|".join(re.escape(r) for r in sorted(RELATIONS, key=len, reverse=True)
                                       if not r.startswith("\\stackrel")) + r")\s*\}")
# A note that defines (def, \triangle, \Delta) or asks or wishes (?, !: "should equal"), not a reference or a reason.
_DEFINING_NOTE = re.compile(r"^\s*(?:\\(?:text|mathrm|textrm|rm|scriptscriptstyle|scriptstyle)\s*\{?\s*)?"
                            r"(?:def\.?|\\triangle|\\Delta|\\vartriangle)\s*\}?\s*$")
_ASKING_NOTE = re.compile(r"^\s*(?:\\(?:text|mathrm)\s*\{\s*)?[?!]\s*\}?\s*$")
_PLAIN_RELATION = re.compile("|".join(re.escape(r) + (r"(?![A-Za-z])" if r[-1].isalpha() else "")
                                      for r in sorted(RELATIONS, key=len, reverse=True)))
_RELATION = re.compile(_ANNOTATED + "|" + _PLAIN_RELATION.pattern)


def _relation(m: re.Match) -> str:
    """The scan's spelling of a printed relation; one with a note over it is the relation under the note, unless
    the note defines (:=) or asks or wishes (\\stackrel{?}{=}, \\stackrel{!}{=}: not checked)."""
    if m.group("under") is None:
        return RELATIONS[m.group()]
    if _DEFINING_NOTE.match(m.group("note")):
        return ":=" if RELATIONS[m.group("under")] == "=" else "≟"
    if _ASKING_NOTE.match(m.group("note")) or _top_level(m.group("note"), _PLAIN_RELATION):
        return "≟"  # a wish, a question, or a condition set under it (\\underset{x > 0}{=}): not read as a claim
    return RELATIONS[m.group("under")]
_ENVIRONMENT = re.compile(r"\\(begin|end)\{[^{}]*\}")
_ROW = re.compile(r"\\\\(?:\[[^\]]*\])?")
# (not the spacing commands \; and \,)
_SEPARATOR = re.compile(r"\\q?quad(?![A-Za-z])|\\text\{\s*(?:and|,)\s*\}|(?<!\\);|(?<!\\),")
# A bound on one name by a number ("x > 0", "w_2 \neq 0", "0 \le p \le 1") after a statement of its row, set apart by a
# comma or \quad ("\sqrt{x^2} = x, \quad x \ge 0"): the condition the statement is for, not a statement of its own.
_BOUND_NAME = r"(?:\\(?:hat|bar|tilde)\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])(?:_\s*(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]))?"
_BOUND_NUMBER = r"-?\s*(?:\d+(?:\.\d+)?|\\frac\s*\{\d+\}\s*\{\d+\}|\\frac\d\d)"
_BOUND_RELATION = r"(?:<|>|\\le(?:q|qslant)?|\\ge(?:q|qslant)?|\\neq?|\\lt|\\gt|≤|≥|≠)(?![A-Za-z])"
_BOUND = re.compile(rf"(?:{_BOUND_NUMBER}\s*{_BOUND_RELATION}\s*)?({_BOUND_NAME})\s*{_BOUND_RELATION}\s*{_BOUND_NUMBER}"
                    rf"|{_BOUND_NUMBER}\s*{_BOUND_RELATION}\s*({_BOUND_NAME})")
_LEADING = re.compile(r"^(?:\s|\\[,;:> !]|\\q?quad(?![A-Za-z])|~)*")
# (a fact the statement rests on, "\text{since } x \ge 0", "\text{because } a > 0", holds where it does: a condition)
_CONDITION = re.compile(r"\s*(?:\\(?:text|mbox|textrm)\{\s*(for|if|when|where|whenever|provided|assuming|unless|with|since|because"
                        r"|given)\b[^}]*\}|\(\s*(?:\\(?:text|mbox|textrm)\{\s*)?(for|if|when|where|whenever|provided|assuming|unless"
                        r"|with|since|because|given)\b)", re.IGNORECASE)
# A condition that is a fact the step on its row rests on ("\text{since } b = 0", "(because a > 0)", "given").
_FACT = re.compile(r"\s*(?:\(\s*)?(?:\\(?:text|mbox|textrm)\{\s*)?(?:since|because|given)\b", re.IGNORECASE)
# Spacing before a condition in parentheses that ends a row without a comma or \quad (x = 1 \; (r \neq 1)).
# Separators and spacing that end a statement whose condition is set apart.
_TRAILING = re.compile(r"(?:[\s,;]|\\[,;:> ]|\\q?quad(?![A-Za-z])|~)+$")
_SPACING = re.compile(r"(?:\s|\\[,;:> ]|\\q?quad(?![A-Za-z])|~)+$")
# Equation numbers and labels, anywhere: marks for the reader, no part of the statement.
_MARK = re.compile(r"\\(?:tag\*?|label|eqref|ref)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])"
                   # a TeX comment, to the end of its line
                   r"|(?<!\\)%[^\n]*"
                   # a mark in parentheses ending a row: (\star), (*), (\dagger) after spacing; (3), (2.1) after \quad
                   r"|\\l?eqno\s*(?:\([^()]*\)|\{[^{}]*\})"
                   r"|(?:\s|\\[,;:> ]|\\q?quad(?![A-Za-z])|\\hfill(?![A-Za-z])|~)+(?:\(\s*(?:\\star|\\ast|\*+|\\dagger|\\ddagger)\s*\)"
                   r"|\\(?:blacksquare|square|Box|qed|checkmark)(?![A-Za-z]))(?=[\s.,;]*(?:\\\\|\\end\{|$))"
                   r"|(?:\s*(?:\\[,;:> ]|\\q?quad(?![A-Za-z])|\\hfill(?![A-Za-z])|~))+\s*(?:\(\s*\d+(?:\.\d+)*[a-z]?\s*\)"
                   r"|\[\s*\\text\s*\{[^{}]*\}\s*\])(?=[\s.,;]*(?:\\\\|\\end\{|$))")
# Prose that ends a row ("\quad\text{(chain rule)}", "\qquad \text{by (2)}", "(\text{by Jensen})"): a justification,
# unless it opens with a word that makes it a condition (for, if, otherwise, ...), which is read as one.
_NOTE = re.compile(r"((?:\s|\\[,;:> ]|\\q?quad(?![A-Za-z])|~)*)"
                   r"(\(\s*)?\\(?:text|mbox|textrm|textit)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}(?(2)\s*\))"
                   r"(?=[\s.,;]*(?:\\\\|\\end\{|$))")
_CONDITION_WORD = re.compile(r"\s*\(?\s*(?:for|if|when|where|whenever|provided|assuming|unless|with|otherwise|else|and|or)\b",
                             re.IGNORECASE)
# what makes the prose a justification even without spacing before it: parentheses, or a word that cites one
_CITES = re.compile(r"\s*(?:\(|(?:by|using|from|since|via|see|cf)\b)", re.IGNORECASE)


def _unannotated(body: str) -> str:
    """The body with equation marks and justifications after a statement blanked (offsets kept)."""
    body = _MARK.sub(lambda m: " " * len(m.group()), body)

    def blank(m: re.Match) -> str:
        spaced = "\\" in m.group(1) or m.group(2) is not None or _CITES.match(m.group(3))
        if _CONDITION_WORD.match(m.group(3)) or not spaced or not body[:m.start()].strip():
            return m.group()
        return " " * len(m.group())
    return _NOTE.sub(blank, body)


@dataclasses.dataclass(frozen=True)
class Piece:
    """A stretch of a formula's text: one side of a chain."""

    # The text as printed.
    text: str
    # Offset of the text in the formula's body.
    start: int


@dataclasses.dataclass(frozen=True)
class Chain:
    """Produced by `chains`: one statement, its sides and the relations between them, in order."""

    sides: tuple[Piece, ...]
    # relations[k] stands between sides[k] and sides[k + 1], in the scan's spelling (RELATIONS' values)
    relations: tuple[str, ...]
    # The relation spellings as printed.
    printed: tuple[str, ...]
    # Conditions printed beside the statement in the same formula ("\text{for } r \neq 1"), as their text.
    conditions: tuple[str, ...] = ()
    # facts[k]: the facts a step rests on, printed on the row of relations[k] ("\text{since } b = 0", "because",
    # "given"): conditions of the steps of that row only, never of the chain's other rows; () when no row has one
    facts: tuple[tuple[str, ...], ...] = ()

    def step_facts(self, k: int) -> tuple[str, ...]:
        """The facts printed on the row of the step relations[k] (see `facts`)."""
        return self.facts[k] if k < len(self.facts) else ()


def _top_level(text: str, pattern: re.Pattern) -> list[re.Match]:
    """The matches of a pattern outside every bracket and group of a text."""
    found, depth, at = [], 0, 0
    while at < len(text):
        ch = text[at]
        env = _ENVIRONMENT.match(text, at)
        if env:  # \begin{cases} ... \end{cases} is one group
            depth += 1 if env.group(1) == "begin" else -1
            at = env.end()
            continue
        if ch == "\\" and at + 1 < len(text) and text[at + 1] in "{}":
            depth += 1 if text[at + 1] == "{" else -1
            at += 2
            continue
        m = pattern.match(text, at) if depth == 0 else None
        if m and m.end() > at:
            found.append(m)
            at = m.end()
            continue
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth = max(0, depth - 1)
        at += 1
    return found


def _split(text: str, start: int, matches: list[re.Match]) -> list[Piece]:
    pieces, at = [], 0
    for m in matches:
        pieces.append(Piece(text[at:m.start()], start + at))
        at = m.end()
    pieces.append(Piece(text[at:], start + at))
    return pieces


def _strip(p: Piece) -> Piece:
    """The piece without surrounding whitespace and alignment marks (&)."""
    kept = p.text.lstrip(" \t\n&")
    return Piece(kept.rstrip(" \t\n&"), p.start + len(p.text) - len(kept))


def _parenthesised(text: str) -> bool:
    """Whether a text is one group in parentheses holding a relation ((r \\neq 1), (0 < x < 1)): a condition, since
    a relation is no factor of an expression."""
    inner = text.strip().rstrip(" \t\n.,;")
    if not (inner.startswith("(") and inner.endswith(")")):
        return False
    depth = 0
    for at, ch in enumerate(inner):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and at < len(inner) - 1:
            return False  # (a)(b): not one group
    return bool(_top_level(inner[1:-1], _RELATION))


def _is_condition(text: str) -> bool:
    return bool(_CONDITION.match(text)) or _parenthesised(text)


def bare_condition(text: str) -> str:
    """A condition printed beside a statement without its parentheses and the words that introduce it:
    "(\\text{for } r \\neq 1)" and "\\text{if } r \\neq 1" give "r \\neq 1"."""
    out = text.strip().rstrip(" \t\n.,;")
    if out.startswith("(") and out.endswith(")"):
        out = out[1:-1].strip()
    out = re.sub(r"^\\(?:text|mbox|textrm)\{[^}]*\}", "", out)
    out = re.sub(r"^(?:for|if|when|where|whenever|provided|assuming|unless|with|since|because|given(?:\s+that)?)\b(?:\s+(?:all|every|any|each))?",
                 "", out, flags=re.IGNORECASE)
    return out.strip()


_AMPERSAND = re.compile(r"(?<!\\)&")


def _columns(row: str) -> list[re.Match]:
    """The alignment marks of a row that start a new column of statements: every second & of an `align` row
    (`a &= b & c &= d` holds two equations), none where a relation stands alone between two marks (`eqnarray`'s
    `a &=& b`)."""
    marks = _top_level(row, _AMPERSAND)
    if len(marks) < 2:
        return []
    cells = [row[a.end():b.start()] for a, b in zip(marks, marks[1:])]
    if any(_PLAIN_RELATION.fullmatch(c.strip()) for c in cells):
        return []
    out = []
    for mark in marks[1::2]:  # with the marks right after it (`&&` before a note or a condition: an empty column)
        run = re.compile(r"(?:\s*(?<!\\)&)*").match(row, mark.end())
        if _RELATION.match(_LEADING.sub("", row[mark.end():])):
            # `a &= b &= c` (a row break commented out by a `%` note, or a chain written on one row): the mark
            # opens no statement of its own, the chain goes on (`& &= d` below a row of two: column two goes on)
            continue
        out.append(_Mark(mark.start(), run.end()))
    return out


@dataclasses.dataclass(frozen=True)
class _Mark:
    """A separator found in a row, as a match gives it."""

    at: int
    to: int

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.to


def chains(body: str) -> list[Chain]:
    """The statements of a formula's body, each a chain of sides and relations. Rows (\\\\) that start with a
    relation continue the chain of the row before; a list separated by commas, semicolons or \\quad is split into
    its statements when every item has a relation; an item starting with \\text{for ...} (or if, when, where, ...)
    is a condition of the other statements."""
    out: list[Chain] = []
    body = _unannotated(body)
    rows = _split(body, 0, _top_level(body, _ROW))
    above: dict[int, int] = {}  # the chain (its index in out) each column of the row before ends with
    for row in rows:
        here: dict[int, int] = {}
        columns = _columns(row.text)
        separators = sorted(_top_level(row.text, _SEPARATOR) + columns, key=lambda m: m.start())
        items = _split(row.text, row.start, separators)
        if len(items) == 1 or not all(_top_level(i.text, _RELATION) for i in items if i.text.strip()):
            # not a list of statements: commas inside one (a chain ending in ", for r != 1" keeps its condition)
            items = _conditions_apart(row)
        conditions = tuple(i.text.strip() for i in items if _is_condition(i.text))
        facts = tuple(c for c in conditions if _FACT.match(c))
        conditions = tuple(c for c in conditions if c not in facts)
        bounds = _trailing_bounds(items)
        if bounds:
            items, conditions = items[:-len(bounds)], conditions + bounds
        for item in items:
            if not item.text.strip() or _is_condition(item.text):
                continue
            marks = _top_level(item.text, _RELATION)
            if not marks:
                continue
            sides = [_strip(p) for p in _split(item.text, item.start, marks)]
            relations = tuple(_relation(m) for m in marks)
            printed = tuple(m.group() for m in marks)
            column = sum(m.start() < item.start - row.start for m in columns)
            # "&= ..." continues the chain of the row before, in the same column of an align with several
            before = above.get(column) if columns or len(above) > 1 else (len(out) - 1 if out else None)
            if not sides[0].text and before is not None and row is not rows[0] and out[before].sides[-1].text:
                last = out[before]
                out[before] = Chain(last.sides + tuple(sides[1:]), last.relations + relations, last.printed + printed,
                                    tuple(dict.fromkeys(last.conditions + conditions)),
                                    _facts(last, facts, len(relations)))
                here[column] = before
                continue
            here[column] = len(out)
            out.append(Chain(tuple(sides), relations, printed, conditions, (facts,) * len(relations) if facts else ()))
        above = here
    return out


def _facts(last: Chain, facts: tuple[str, ...], count: int) -> tuple[tuple[str, ...], ...]:
    """A chain's facts (see Chain.facts) once a row of `count` steps printing `facts` continues it."""
    if not facts and not last.facts:
        return ()
    return tuple(last.step_facts(k) for k in range(len(last.relations))) + (facts,) * count


def bound_name(text: str):
    """The name a text bounds by a number ("x > 0", "0 \\le p \\le 1", "w_2 \\neq 0"), or None."""
    m = _BOUND.fullmatch(_LEADING.sub("", text).rstrip(" \t\n.,;"))
    return None if m is None else (m.group(1) or m.group(2))


def _trailing_bounds(items: list[Piece]) -> tuple[str, ...]:
    """The bounds on one name by a number that end a list of statements, each on a name the statements before use:
    their conditions ("\\sqrt{x^2} = x, \\quad x \\ge 0"); () when every item is one (a list of conditions)."""
    out: list[str] = []
    for item in reversed(items):
        name = bound_name(item.text) if item.text.strip() else None
        if name is None:
            break
        out.insert(0, (name, _LEADING.sub("", item.text).strip().rstrip(".,;").strip()))
    before = " ".join(i.text for i in items[:len(items) - len(out)])
    if not out or not before.strip():
        return ()
    if not all(re.search(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])", before) for name, _ in out):
        return ()
    return tuple(text for _, text in out)


def _conditions_apart(row: Piece) -> list[Piece]:
    """A row as one statement, with a trailing condition (after a comma, \\quad or spacing, or in parentheses) set
    apart."""
    for m in _top_level(row.text, re.compile(r"(?<!\\),|\\q?quad(?![A-Za-z])")):
        rest = row.text[m.end():]
        if _is_condition(rest):
            statement = _TRAILING.sub("", row.text[:m.start()])
            return [Piece(statement, row.start), Piece(rest, row.start + m.end())]
    text = row.text.rstrip(" \t\n.,;")
    if text.endswith(")"):
        depth, at = 0, len(text) - 1
        while at >= 0:  # the group that ends the row
            depth += (text[at] == ")") - (text[at] == "(")
            if depth == 0:
                break
            at -= 1
        spacing = _SPACING.search(text[:at]) if at > 0 else None
        before = text[:spacing.start()] if spacing else ""
        # after spacing, and after the end of an operand (not x + (y > 0), not \mathbb{1}(x > 0))
        if spacing and before and (before[-1].isalnum() or before[-1] in ")}]|'") and _is_condition(text[at:]):
            return [Piece(before, row.start), Piece(text[at:], row.start + at)]
    return [row]
