"""Scopes as the material nests them: headings by level, an exercise's lettered parts; what a scope declares holds in it."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

from proofs.scan.shapes import taken_in_general

__all__ = ["HEADING", "PART", "PART_LEVEL", "boundaries", "Scopes", "in_general"]

# A heading and its level: Markdown's # to ###### (1 to 6), LaTeX's \section (1), \subsection (2), \subsubsection (3).
HEADING = re.compile(r"^[ \t]*(?:(#{1,6})[ \t]|\\((?:sub)*)section\b)", re.MULTILINE)
# A line that starts a lettered part of an exercise: "(a)", "- (a)", "**(a)**", "**Part (a)**", "Part (b):", "b)",
# "\item[(a)]". A lone roman numeral ("(i)", "(v)", "(x)") is an item inside a part, not a part; a bullet or a number
# alone lists things (equations too), not parts.
PART = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\\item\s*\[\s*)?(?:\*\*|__)?(?:part[ \t]+)?(?:\*\*|__)?"
                  r"(?:\((?![ivx]\))[a-z]\)|(?![ivx]\))[a-z]\))(?:\*\*|__)?(?:\s*\])?(?::|\.)?(?:\*\*|__)?(?=[ \t]|$)",
                  re.MULTILINE | re.IGNORECASE)
# A heading's title that numbers an exercise ("## 2 Mystery RNN", "### 3 RNNs", "3.", "\\section{Problem 4}"), not one of
# its sections ("### 5.1", a sub-heading of exercise 5): a new exercise number closes every scope of the previous
# exercise, whatever the levels of their headings.
_NUMBERED = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|\\(?:sub)*section\*?\s*\{\s*)(?:(?:exercise|problem|question|task)\s+)?"
                       r"\d+(?![.\d]\d)(?:[.:)]?(?=\s|\}|$))", re.IGNORECASE)
# The level of a part: below every heading.
PART_LEVEL = 7


def boundaries(text: str) -> list[tuple[int, int]]:
    """(offset, level) of every heading (level 1 to 6) and part (PART_LEVEL) of the text, in order."""
    found = [(m.start(), len(m.group(1)) if m.group(1) else 1 + len(m.group(2)) // 3) for m in HEADING.finditer(text)]
    found += [(m.start(), PART_LEVEL) for m in PART.finditer(text)]
    return sorted(found)


@dataclasses.dataclass
class _Enclosing:
    # the level of the heading (0: the document's start) whose introduction this is
    level: int
    # where its heading starts, where its introduction ends (its first part or sub-heading) and where it ends
    start: int
    intro_end: int
    end: int
    # what its introduction declared: (Definitions.scope(), MatrixScan.scope())
    state: tuple


class Scopes:
    """Kept by proofs.scan.steps for one document: what holds where. What a heading's introduction declares holds in
    its parts and sub-headings, to the next heading of the same or a higher level; what a part declares, in that part
    only; a part or sub-heading that declares a letter again has its own declaration. Numbers an introduction gives
    names hold in its parts too (a number a part gives holds in that part only)."""

    def __init__(self, text: str, defs, matrix) -> None:
        self.text, self.defs, self.matrix = text, defs, matrix
        self.events = boundaries(text)
        # the enclosing headings whose introductions have ended, outermost first
        self.stack: list[_Enclosing] = []
        # the current heading's level (0 before any) and where it starts
        self.level, self.start = 0, 0
        # the level of the last heading that numbers an exercise, while its scope lasts (None: no exercise open)
        self.exercise: Optional[int] = None
        # the numbers given to names (Example objects, by id) with words that make them values of their scope
        # ("Let $\eta = 0.5$"): an introduction's hold in its parts and sub-headings, other numbers in their part only
        # (each kept, so that its id is never another's)
        self.held: dict = {}
        # what the current heading's introduction declared, once its first part starts
        self.intro: Optional[tuple] = None
        self.intro_end = 0

    def headings(self) -> list[int]:
        """Where the headings start (sections, as the scan counts them)."""
        return [o for o, level in self.events if level < PART_LEVEL]

    def cross(self, start: int, end: int) -> bool:
        """Enter the scopes whose boundaries lie in [start, end), in order; whether a heading was among them."""
        heading = False
        for offset, level in self.events:
            if start <= offset < end:
                self.matrix.advance(offset)  # the prose of the scope that ends is read first: it holds there
                if level == PART_LEVEL:
                    self._part(offset)
                else:
                    self._heading(offset, level)
                    heading = True
        return heading

    def _end(self, after: int, level: int) -> int:
        """Where a scope of `level` that holds `after` ends: at the next heading of the same or a higher level."""
        return next((o for o, lv in self.events if o > after and lv <= level), len(self.text))

    def _heading(self, offset: int, level: int) -> None:
        numbered = bool(_NUMBERED.match(self.text, offset))
        if numbered and self.exercise is not None:
            level = min(level, self.exercise)  # exercise 3 after exercise 2 (and its "2.1"s): a sibling of exercise 2
        if numbered:
            self.exercise = level
        elif self.exercise is not None and level <= self.exercise:
            self.exercise = None  # a heading that is no exercise's closes the exercise
        if level > self.level:  # a sub-heading: the current heading's introduction ends here (or at its first part)
            known = self.intro is not None and self.intro is not _UNKNOWN
            state = self.intro if known else (self.defs.scope(), self.matrix.scope())
            self.stack.append(_Enclosing(self.level, self.start, self.intro_end if known else offset,
                                         self._end(offset, self.level), state))
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        enclosing = self.stack[-1] if self.stack else None
        self.defs.restore(enclosing.state[0] if enclosing else _EMPTY, until=enclosing.end if enclosing else None,
                          held=self.held)
        self.matrix.restore(enclosing.state[1] if enclosing else None)
        self.level, self.start, self.intro = level, offset, None

    def _part(self, offset: int) -> None:
        until = self._end(offset, self.level) if self.level else len(self.text)
        if self.intro is None and _label(self.text, offset) != "a":
            # the first part found is not (a): part (a) starts in a line of prose ("... (a) Take $x = 0$."), so where
            # the introduction ends is not known: the parts of this section are read as one (as before parts had scopes)
            self.intro = _UNKNOWN
        if self.intro is _UNKNOWN:
            return
        if self.intro is None:  # the first part: the introduction ends here, and its numbers hold in every part
            self.intro, self.intro_end = (self.defs.scope(), self.matrix.scope()), offset
            self.defs.examples.update({a: self._hold(x, until) for a, x in self.defs.examples.items() if id(x) in self.held})
            self.intro = (self.defs.scope(), self.intro[1])
            # the introduction's declarations hold in part (a) as in every part: one (a) makes again is (a)'s own
            self.matrix.restore(self.intro[1], declarations_only=True)
            return
        self.defs.examples.update(self.intro[0]["examples"])
        self.matrix.restore(self.intro[1], declarations_only=True)

    def _hold(self, example, until: int):
        """The example, holding up to `until` (and still one of the held)."""
        held = dataclasses.replace(example, end=max(example.end, until), held=True)
        self.held[id(held)] = held
        return held

    def prose(self, at: int) -> str:
        """The prose that holds at `at`: the introductions of the enclosing headings and the current section's text
        (its parts included), for what the prose says of names (not real numbers, ranges, the logistic sigma)."""
        end = next((o for o, lv in self.events if o > at and lv < PART_LEVEL), len(self.text))
        outer = [self.text[e.start:e.intro_end] for e in self.stack]
        return "\n\n".join([*outer, self.text[self.start:end]])


def _label(text: str, offset: int) -> str:
    """The letter of the part that starts at `offset` ("b" of "- **(b)**")."""
    m = PART.match(text, offset)
    found = re.search(r"([a-z])\)", m.group(), re.IGNORECASE) if m else None
    return found.group(1).lower() if found else ""


# A section whose introduction's end is not known.
_UNKNOWN = ({}, {})
# The values of a document's start: none.
_EMPTY = dict(values={}, examples={}, origin={}, opaque={}, named={}, domains={})


def in_general(sentence: str) -> set:
    """The letters a sentence takes in general ("take any $s$", "$A$ is arbitrary"), without a backslash: what was
    assumed of them before no longer holds."""
    return {name.strip().lstrip("\\") for letters in taken_in_general(sentence) for name in letters.split(",")}
