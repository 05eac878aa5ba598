"""The math of the material: every formula of every passage, with where it is and the sentence around it."""

from __future__ import annotations

import bisect
import dataclasses
import re
from typing import Optional

from proofs.coverage import formulas
from proofs.material import Document

__all__ = ["Span", "spans", "CONDITION_WORDS", "announced_apart"]

# Words that, right before a formula, make it a condition or a wish rather than a claim ("for $r \neq 1$",
# "if $w < \alpha$", "the $n$ for which $n \ge 3$", "we want $\phi'(z) w = 1$", "we would like $a$ to satisfy", "the goal
# is", "it suffices that", "solve for $a$:"); "for" with a universal quantifier and a kind of number too ("for every
# $n \ge 1$", "for all integers $n \ge 0$", "for each $k \in \{1, \dots, K\}$"), never "for some" (an existential claim).
CONDITION_WORDS = re.compile(
    r"(?:\bfor\s+(?:every|all|each|any)(?:\s+(?:(?:positive|negative|non-?negative|non-?positive|non-?zero)\s+)?"
    r"(?:integers?|natural\s+numbers?|whole\s+numbers?|real\s+numbers?|reals?|numbers?|values?|indices|index))?\s*[:,]?\s*$|"
    r"\b(?:for|if|when|whenever|where|with|while|whereas|unless|provided(?: that)?|assuming(?: that)?|assume(?: that)?|"
    r"suppose(?: that)?|let|given|such that|so that|for which|for whom|want|wants|desire|require|requires|need|needs|"
    r"choose|set|setting|would like(?: to have)?|wish|hope|to satisfy|only if|iff|"
    r"(?:goal|aim|target|objective) is(?: that| to (?:have|get|make|achieve))?|suffices?(?: that| to have)?|"
    r"(?:is )?enough(?: that| to have)?|solve(?: for \$[^$]*\$)?)\s*[:,]?\s*)$",
    re.IGNORECASE,
)
# A sentence that opens with a hypothesis ("If we have $...$, then ..."): its formulas before "then" are conditions.
_HYPOTHESIS = re.compile(r"\W*(?:(?:\*\*|__)[^*_]*(?:\*\*|__)\W*)?(if|suppose|assume|assuming|let|given|when)\b", re.IGNORECASE)
# Where a hypothesis that "suppose", "assume" or "let" opens has ended before a display its sentence goes on to: a
# semicolon, a colon, "then", or a comma before a new clause ("Let $x > 0$; its value is", "Suppose $n \ge 3$, we
# have"); without one ("Suppose we have", a blank line, a display) the display is part of the hypothesis.
_CLAUSE_ENDS = re.compile(r"[;:]|\bthen\b|,\s*(?:we|one|it|its|the|this|these|there|so|hence|thus|therefore)\b",
                          re.IGNORECASE)
# A formula in prose (a display or inline), blanked before the words around it are read.
_FORMULAS = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\[.*?\\\]", re.DOTALL)
_ENVIRONMENT = re.compile(r"^\s*\\begin\{(aligned|align\*?|split|gathered|gather\*?|eqnarray\*?)\}(.*)\\end\{\1\}\s*$", re.DOTALL)
# Markdown code (fenced blocks and `spans`): no math is looked for in it ("$ python ..." is a prompt).
_CODE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
_SENTENCE_END = re.compile(r"[.?!](?=\s)|\n[ \t]*\n")
# The prose between a formula and one in parentheses right after it, and after the latter.
_OPENS = re.compile(r"\s*,?\s*\(\s*")
_CLOSES = re.compile(r"\s*\)")
# How much of the prose before a formula the condition words are looked for in (they end right before it).
_TAIL = 200


@dataclasses.dataclass(frozen=True)
class Span:
    """Produced by `spans`: one formula of a document."""

    file: str
    # 1-based line (in the cell, for a notebook) where the formula's body starts, and the notebook cell or None.
    line: int
    cell: Optional[int]
    # The body without its delimiters (and without an aligned/split environment around it).
    body: str
    # Offset of the body in the document's text.
    start: int
    # Whether it is displayed ($$...$$, \[...\], an environment) rather than inline.
    displayed: bool
    # The prose of its sentence before it, and the sentence's span [start, end) in the document's text.
    before: str
    sentence: tuple[int, int]
    # Whether it stands alone in parentheses right after another formula ("$|x| = x$ ($x > 0$)"): a condition.
    parenthesised: bool = False
    # Whether it is, or follows in its sentence, a display its sentence goes on to across a blank line after an
    # opening hypothesis ("If $x \ge 0$, we have", a blank line, `$$|x| = x$$`): what the hypothesis leads to, never
    # part of it (see _consequence).
    consequence: bool = False
    # Whether it is a display its sentence goes on to across a blank line (see _introduces): "so that" ending the
    # prose before the blank line then states a result, not a wish, unless a choice comes before it ("we choose $b$ so
    # that"); every other condition word ("such that", "for which", "where", "we want") makes it a condition.
    joined: bool = False
    # The prose of its sentence after it ("... $a^2 = 4$ for some real $a$.").
    after: str = ""

    @property
    def condition(self) -> bool:
        """Whether the words right before it make it a condition or a wish (see CONDITION_WORDS), or it is a
        formula in parentheses right after another, or part of the hypothesis its sentence opens with."""
        return self.worded or self.hypothesis

    @property
    def worded(self) -> bool:
        """Whether the words right before it make it a condition or a wish (see CONDITION_WORDS), or it is a formula
        in parentheses right after another."""
        tail = self.before[-_TAIL:]
        return self.parenthesised or bool(CONDITION_WORDS.search(tail) and not (self.joined and _RESULT.search(tail)
                                                                                and not _CHOICE.search(tail)))

    @property
    def hypothesis(self) -> bool:
        """Whether it is part of the hypothesis its sentence opens with ("If $x > 0$ and $y > 0$"): the hypothesis has
        not ended before it ("then"; after a formula of the hypothesis, a semicolon, a colon, or a comma before a new
        clause: "If $x > 0$, we have $|x| = x$", never "Assume the following: $x \\ge y$"), and it is not a display
        the sentence goes on to (see `consequence`)."""
        opening = _HYPOTHESIS.match(self.before)
        if not opening or self.consequence:
            return False
        rest = self.before[opening.end():]
        # a full stop ("... the following.", not "e.g."): a sentence after the hypothesis's own
        if re.search(r"\b(?i:then)\b|[.?!](?:[ \t]*\n|\s+[A-Z])", _FORMULAS.sub(" ", rest)):
            return False
        first = _FORMULAS.search(rest)
        return first is None or not _CLAUSE_ENDS.search(_FORMULAS.sub(" ", rest[first.end():]))


def _sentence(text: str, start: int, end: int, marks: list[re.Match]) -> tuple[int, int]:
    """The sentence holding [start, end): from the last sentence end before it to the first after it (`marks`: the
    sentence ends of the text outside formulas, in order); a blank line after a displayed formula does not end the
    sentence when lower-case prose follows, nor one before a displayed formula that prose introduces without ending
    its sentence ("For every $n \\ge 3$:", "we have", see _introduces)."""
    at = _after(marks, start)
    while at and _continues(text, marks[at - 1]):
        at -= 1
    left = marks[at - 1].end() if at else 0
    right = len(text)
    for m in marks[at:]:
        if m.start() < end or _continues(text, m):
            continue
        right = m.start() + (1 if not m.group().startswith("\n") else 0)
        break
    return left, right


def _continues(text: str, mark: re.Match) -> bool:
    """Whether a sentence end (`mark`) does not end its sentence: a blank line before lower-case prose ("... $$x > 0$$",
    a blank line, "and for them ..."), one a display follows that the prose before introduces (see _introduces), or
    one before a sentence that says where the claim before it holds (see _RESTRICTS).
    The same rule read from either side, so that every formula of a sentence has the same bounds."""
    if mark.group().startswith("\n") and text[mark.end():mark.end() + _TAIL].lstrip()[:1].islower():
        return True
    return _introduces(text, mark) or _restricts(text, mark.end())


def _restricts(text: str, at: int) -> bool:
    """Whether the sentence at `at` states where the claim before it holds and nothing else: a verb (see _RESTRICTS),
    "for", "when", "if", "because", ... and the condition's formulas, up to its end ("This holds for $n \\ge 3$.");
    never one that claims more or widens the claim ("This is true for all real $n$, and for $n \\ge 3$ ...")."""
    m = _RESTRICTS.match(text, at)
    return m is not None and _RESTRICTS_ONLY.match(text, m.end()) is not None


# A sentence that states where the claim before it holds ("This holds for $n \ge 3$.", "It is only valid when"): the
# same sentence as that claim, so that its conditions are the claim's.
_RESTRICTS = re.compile(r"\s*(?:this|that|it|the\s+(?:above|identity|bound|inequality|equation|equality|result|claim|"
                        r"formula|step))\s+(?:only\s+)?(?:holds|is\s+(?:only\s+)?(?:valid|true|correct)|applies|works)\b",
                        re.IGNORECASE)
# The rest of such a sentence: the words that bring in the condition, its formulas and the sentence's end, no more.
_RESTRICTS_ONLY = re.compile(r"\s*(?:only\s+)?(?:for|when|whenever|if|provided(?:\s+that)?|because|since|as\s+long\s+as)\s+"
                             r"(?:that\s+)?(?:(?:all|every|each|any)\s+(?:(?:real|positive|natural)\s+)?(?:numbers?\s+|integers?\s+|reals?\s+)?)?"
                             r"\$[^$]+\$(?:\s*(?:,|and)\s*\$[^$]+\$)*\s*(?:only\s*)?(?:[.!?](?=\s|$)|\n[ \t]*\n|$)",
                             re.IGNORECASE)


# "so that" ending the prose before a display across a blank line: a result ("and over all steps, so that"), unless a
# choice or a wish comes before it in the clause.
_RESULT = re.compile(r"\bso\s+that\s*[:,]?\s*$", re.IGNORECASE)
_CHOICE = re.compile(r"\b(?:choose|chose|chosen|pick|picked|select|selected|set|want|wants|need|needs|require|requires|"
                     r"find|take)\b[^.;:]*\bso\s+that\s*[:,]?\s*$", re.IGNORECASE)
# A blank line right before a formula (and only white space between them).
_BLANK_BEFORE = re.compile(r"\n[ \t]*\n\s*\Z")
# A displayed formula right after a blank line: "$$", "\[" or an environment.
_DISPLAY_OPENS = re.compile(r"\s*(?:\$\$|\\\[|\\begin\s*\{)")


def _introduces(text: str, mark: re.Match) -> bool:
    """Whether a sentence end (`mark`) stands between prose that introduces a displayed formula and that formula: one
    sentence. A blank line after prose that has not ended its sentence (it ends with a colon, a comma, a lower-case
    word or an inline condition: "For every $n \\ge 3$:", "we have", "integers $n$ where $n \\ge 3$"), and a full stop
    after words announcing the display ("For $n \\ge 3$ we have the following.") or the blank line after it."""
    if not _DISPLAY_OPENS.match(text, mark.end()):
        return False
    before = text[max(0, mark.start() - _TAIL):mark.start()].rstrip()
    if not mark.group().startswith("\n"):
        return _announces(before)
    return before[-1:] in (":", ",") or bool(re.search(r"(?<![\\$])\b[a-z]+$", before)) \
        or _announces(before.rstrip(".")) or _inline_condition(before)


def _announces(before: str) -> bool:
    """Whether prose ends with words announcing the display after it (see _ANNOUNCES) in a sentence whose conditions
    are the display's: one clause (no semicolon or colon before the words), and no words that set a case aside or
    point at another one ("The case $n \\ge 3$ is done; for every other $n$ we show the following.", see _SET_ASIDE)."""
    if not _ANNOUNCES.search(before):
        return False
    sentence = re.split(r"[.?!]\s|\n[ \t]*\n", before)[-1]
    words = _FORMULAS.sub(" ", sentence)
    return not re.search(r"[;:]", words) and not _SET_ASIDE.search(words)


def announced_apart(before: str) -> bool:
    """Whether prose right before a display (the text up to its sentence) announces it ("... we show the following.")
    in a sentence whose conditions are not the display's (see _announces): the case it is for is not stated."""
    before = before.rstrip()
    return bool(_ANNOUNCES.search(before[-_TAIL:].rstrip(".:"))) and not _announces(before[-_TAIL:].rstrip(".:"))


# Words in an announcing sentence that set a case aside or point at another one: its conditions are not the display's.
_SET_ASIDE = re.compile(r"\b(?:other|others|otherwise|remaining|rest|done|settled|finished|handled|treated|covered|"
                        r"not|no|except|excluding|besides|else|instead)\b", re.IGNORECASE)


# Words that announce the display after them, their sentence ending before it ("we have the following.").
_ANNOUNCES = re.compile(r"\b(?:the\s+following|as\s+follows)\s*$", re.IGNORECASE)
# Prose that ends with an inline formula (not a display), and the formula's body.
_ENDS_INLINE = re.compile(r"(?<![$\\])\$([^$]+)\$$")


def _inline_condition(before: str) -> bool:
    """Whether prose ends with an inline formula the words before it make a condition ("integers $n$ where $n \\ge
    3$") in a sentence that does not open with a hypothesis: its sentence has not ended. After an opening hypothesis
    ("Let $D = \\text{Diag}(d)$", "Let $n \\ge 3$") a display after a blank line is a statement of its own."""
    m = _ENDS_INLINE.search(before)
    if m is None or CONDITION_WORDS.search(before[max(0, m.start() - _TAIL):m.start()]) is None:
        return False
    return not _HYPOTHESIS.match(re.split(r"[.?!]\s|\n[ \t]*\n", before)[-1])


def _consequence(text: str, plain: str, left: int, right: int, marks: list[re.Match]) -> Optional[int]:
    """Where the consequence of a sentence [left, right) that opens with a hypothesis begins: at the first display
    its sentence goes on to across a blank line (see _introduces), when the hypothesis has ended before it ("if",
    "when" and "given" need a clause after theirs; "suppose", "assume" and "let" end at _CLAUSE_ENDS) and no "then"
    follows it in the sentence ("If we have", a display, "then ..."); None otherwise. `plain`: the text with its
    formulas blanked out."""
    opening = _HYPOTHESIS.match(text, left, right)
    if not opening:
        return None
    for m in marks[_after(marks, left):]:
        if m.start() >= right:
            return None
        if not _introduces(text, m):
            continue
        display = _DISPLAY_OPENS.match(text, m.end()).end()
        hypothesis = plain[opening.end():m.start()]
        if opening.group(1).lower() not in ("if", "when", "given") and not _CLAUSE_ENDS.search(hypothesis):
            return None
        if re.search(r"\bthen\b", plain[display:right], re.IGNORECASE):
            return None
        return display - len(_DISPLAY_OPENS.match(text, m.end()).group().lstrip())
    return None


def _after(marks: list[re.Match], start: int) -> int:
    """How many of the marks end at or before start (a binary search)."""
    lo, hi = 0, len(marks)
    while lo < hi:
        mid = (lo + hi) // 2
        if marks[mid].end() <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _ends(text: str, bounds: list[tuple[int, int]]) -> list[re.Match]:
    """The sentence ends of a text that are outside every formula (bounds: the formulas' spans, in order)."""
    bounds = sorted(bounds)
    starts, reach, furthest = [s for s, _ in bounds], [], 0
    for _, e in bounds:  # reach[k]: the furthest end of the first k + 1 formulas (they may nest)
        furthest = max(furthest, e)
        reach.append(furthest)
    out = []
    for m in _SENTENCE_END.finditer(text):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or reach[k] <= m.start():
            out.append(m)
    return out


def _blank(text: str, bounds: list[tuple[int, int]]) -> str:
    """The text with each formula's span (bounds) replaced by spaces, so that its prose keeps its offsets."""
    chars = list(text)
    for s, e in bounds:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def spans(document: Document) -> list[Span]:
    """Every formula of the document's text and Markdown (notebook code cells hold none), in order."""
    out = []
    for p in document.passages:
        if p.kind == "code":
            continue
        masked = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), p.text) if p.kind == "markdown" else p.text
        found = formulas(masked)
        bounds = [(s, e) for s, e, _, _ in found]
        marks = _ends(p.text, bounds)
        previous = None  # where the formula before ended
        plain, consequences = None, {}  # the text with its formulas blanked out; sentence -> _consequence
        for start, end, body, displayed in found:
            body_at = masked.index(body, start)
            body = p.text[body_at:body_at + len(body)]
            inner = _ENVIRONMENT.match(body)
            if inner:
                body_at += inner.start(2)
                body = inner.group(2)
            left, right = _sentence(p.text, start, end, marks)
            line, cell = document.line_of(p.start + body_at)
            parenthesised = (previous is not None and _OPENS.fullmatch(p.text, previous, start) is not None
                             and _CLOSES.match(p.text, end) is not None)
            previous = end
            if (left, right) not in consequences:
                if plain is None and _HYPOTHESIS.match(p.text, left, right):
                    plain = _blank(p.text, bounds)
                consequences[left, right] = _consequence(p.text, plain, left, right, marks) if plain else None
            begins = consequences[left, right]
            joined = displayed and left < start and _BLANK_BEFORE.search(p.text, left, start) is not None
            out.append(Span(document.file, line, cell, body, p.start + body_at, displayed, p.text[left:start],
                            (p.start + left, p.start + right), parenthesised, begins is not None and start >= begins,
                            joined, p.text[end:max(end, right)]))
    return out
