"""Every step of every formula of the material, with what became of it: the scan itself."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import re
import time
from fractions import Fraction
from typing import Any, Optional, Sequence

import sympy
from sympy.core.function import AppliedUndef

from proofs.material import Document
from proofs.scan import kinds, onehot, piecewise, rounded, sum_ranges, sums
from proofs.scan.chains import CHECKED, Chain, Piece, bare_condition, bound_name, chains
from proofs.scan.check import WALL_BACKSTOP, Outcome, Timeout, check, deadline
from proofs.scan.definitions import Definitions, head, names_in, step_variables
from proofs.scan.find import Span, announced_apart, spans
from proofs.scan.matrices import looks_matrix
from proofs.scan.matrix_steps import MatrixScan
from proofs.scan.normalise import Skip
from proofs.scan.parse import parse
from proofs.scan.scopes import Scopes, in_general
from proofs.scan.shapes import bounds
from proofs.scan.sympy_reader import second_reading
from proofs.scan.vocabulary import INTEGER_KINDS, LOGISTIC, kind_words

__all__ = ["Step", "STATUSES", "ACKNOWLEDGEABLE", "MAX_STEPS", "TooMany", "TimeLimit", "scan_document", "TIME_LIMIT"]

# The most steps one document may have; more is refused (the gate fails) rather than scanned for hours.
MAX_STEPS = 20_000


class TooMany(ValueError):
    """A document has more than MAX_STEPS steps."""


class TimeLimit(Exception):
    """The scan's time limit passed before a document's formulas were found and split into steps."""


# How a step the scan's time limit cut off, or never reached, is reported (the gate fails).
TIME_LIMIT = "not checked: the scan's time limit (--time-limit) was reached {}"

# The statuses a step can have, in the order reports list them.
STATUSES = ("refuted", "needs review", "unknown", "checked", "proved", "skipped", "definition")
# The statuses that fail the gate unless acknowledged: refuted (a replayed counterexample), and needs review (refuted
# as read, but only without a condition its sentence states that the scan could not read, or the exact and the
# numerical evaluation disagreed: a person must look).
ACKNOWLEDGEABLE = ("refuted", "needs review")
_SERIES = re.compile(r"\\(?:sum|prod)_\{?\s*([A-Za-z])\s*(?:=([^{}]*(?:\{[^{}]*\})?[^{}]*))?\}?(?:\^(\{[^{}]*\}|\\?[A-Za-z0-9]))?")
# Words that restrict the names after them in the same sentence ("for positive a and b"), and what they mean.
_NAME = (r"(?:\\(?:hat|bar|tilde)\{\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\}|\\(?:hat|bar|tilde)\s+[A-Za-z](?![A-Za-z])|\\[A-Za-z]+|[A-Za-z])"
         r"(?:_\{?[A-Za-z0-9]+\}?)?(?![A-Za-z])")
_WORDED = re.compile(r"\b(positive|negative|non-?negative|non-?positive|non-?zero)\s+(?:real\s+)?(?:numbers?\s+|values?\s+|reals?\s+)?"
                     rf"({_NAME}(?:\s*(?:,\s*(?:and|or)\b|,|\band\b|\bor\b)\s*{_NAME})*)", re.IGNORECASE)
# "if $x$ is positive", "for $a, b$ nonnegative", "when $w$ is nonzero": the same words after the names they are about
_WORDED_AFTER = re.compile(r"\b(?:if|when|whenever|for|since|as|assuming|provided|given)\s+(?:that\s+)?"
                           rf"({_NAME}(?:\s*(?:,\s*(?:and|or)\b|,|\band\b|\bor\b)\s*{_NAME})*)\s+(?:(?:is|are)\s+)?(?:strictly\s+)?"
                           r"(positive|negative|non-?negative|non-?positive|non-?zero)\b", re.IGNORECASE)
_WORDS_MEAN = {"positive": (">", 0), "negative": ("<", 0), "nonnegative": (">=", 0), "nonpositive": ("<=", 0), "nonzero": ("!=", 0)}
# Words that make an undefined \sigma the logistic function (one rule for the scalar and the matrix reading).
_LOGISTIC = LOGISTIC
# Words that restrict names to integers, which the search (over rationals) does not honour.
_INTEGERS = re.compile(r"\b(?:integers?|natural numbers?|whole numbers?)\b", re.IGNORECASE)
# Words that restrict names to a set the search over the rationals does not honour: odd or even integers, binary
# or Boolean values ("for odd $n$", "binary inputs"), and a name said to take only the numbers listed ("when $x$ is
# $0$ or $1$", "takes the values $-1$ or $1$").
_DISCRETE = re.compile(r"\b(odd|even|binary|boolean|bit)(?:[ -]valued)?\s+(?:(?:integers?|numbers?|values?|inputs?|outputs?|"
                       r"variables?|entries|units?|vectors?|labels?)\b|\$)", re.IGNORECASE)
# Words that restrict names to integers of a kind, which the scan does not read: beside a formula, after it ("$p$ is
# prime", "$n$ divisible by 4", "$n$ is a power of 2") or before it ("a multiple of $3$", "for prime $p$"); the same
# words in ordinary prose ("f prime", "raising to the power of 2") restrict nothing.
# The kinds are the matrix reading's too (vocabulary.INTEGER_KINDS; odd and even are _DISCRETE's here); "the power
# of" is an exponent, never a kind.
_ARITHMETIC = re.compile(r"(?P<named>\$\s*,?\s*(?:(?:that|which)\s+)?(?:(?:is|are|be|being)\s+)?(?:(?:an?|both|all)\s+)?"
                         r"(?:(?:odd|even|positive)\s+)?)?"
                         r"(?<!the\s)\b(?P<word>" + "|".join(k for k in INTEGER_KINDS if k not in ("odd", "even")) + r")"
                         r"(?(named)(?!\w)|\s+(?:(?:numbers?|integers?)\s+)?(?=\$))", re.IGNORECASE)
_LISTED = re.compile(r"\b(?:is|are|be|takes?|taking|equals?)\s+(?:either\s+|only\s+|one\s+of\s+|on\s+)?(?:the\s+values?\s+)?"
                     r"\$?\s*-?\d+(?:\.\d+)?\s*\$?(?:\s*,\s*\$?\s*-?\d+(?:\.\d+)?\s*\$?)*\s*,?\s*(?:or|and)\s+\$?\s*-?\d",
                     re.IGNORECASE)
# Reasons whose names vary, counted under one kind in the summary.
_KINDS = [
    (re.compile(r"^\S+ without braces after \^, _ or a command"), "a number of several digits after ^ or _ without braces"),
    (re.compile(r"^uses \S+, defined on line \d+ .* in a form the scan does not substitute"),
     "uses a name defined in a form the scan does not substitute"),
    (re.compile(r"^read two ways: "), "read two ways (sympy's LaTeX parser reads it otherwise than the scan)"),
    (re.compile(r"^applies \S+, which the material does not define"), "applies a function the material does not define"),
    (re.compile(r"^a superscript \S+ that is an index"), "a superscript that is an index"),
    (re.compile(r"^a superscript .* which may be an index"), "a superscript on a name, which may be an index"),
    (re.compile(r"^a superscript \S+ that marks a name"), "a superscript that marks a name"),
    (re.compile(r"^a derivative of \S+, which the material does not define"), "a derivative of a name the material does not define"),
    (re.compile(r"^the relation \S+ is not checked"), "a relation that is not checked"),
    (re.compile(r"^'\w+' reads as a word"), "a word inside math"),
    (re.compile(r"^a relation between .* and a number"), "a condition on its names (one side is a number), not an identity"),
    (re.compile(r"^gives \S+, which appears nowhere else in it"),
     "gives a name that appears nowhere else in it a value or a bound (a definition or a condition), not an identity"),
    (re.compile(r"^refuted as read, but it holds with "), "refuted as read, but it holds under another reading its notation allows"),
    (re.compile(r"^a value that is not a real number"), "a value that is not a real number (steps are checked over the reals)"),
    (re.compile(r"^a condition or a conclusion of an implication"), "part of an implication, not an identity"),
    (re.compile(r"^a condition"), "a condition or a wish, not a claim"),
    (re.compile(r"^expected |^cannot read|^the formula ends"), "not a formula the scan reads"),
    (re.compile(r"^\\\w+ is not read"), "a command the scan does not read"),
    (re.compile(r"^a named operator \S+ over a set"), "a named operator over a set (\\operatorname*{argmin})"),
    (re.compile(r"^a named operator "), "a named operator the scan does not read"),
    (re.compile(r"^a superscript \S+ on a matrix expression"), "a superscript on a matrix expression (an index or a power)"),
    (re.compile(r"^states that \S+ is orthogonal"), "states that a matrix is orthogonal (a condition), not an identity"),
    (re.compile(r"^\S+ does not depend on \S+ through the forward equations"),
     "a gradient through forward equations the material does not write"),
    (re.compile(r"^uses \S+, defined on line \d+ in a form the scan does not read"),
     "uses a name defined in a form the matrix reading does not read"),
]


@dataclasses.dataclass(frozen=True)
class Step:
    """Produced by `scan_document`: one relation between two neighbouring sides of a chain."""

    file: str
    # 1-based line (in the cell, for a notebook) of the step's right side, and the notebook cell or None.
    line: int
    cell: Optional[int]
    # "left relation right" as printed, and each part.
    text: str
    left: str
    relation: str
    right: str
    # One of STATUSES.
    status: str
    # Why: how it was proved, where it held, the counterexample, what was not read, what it defines.
    reason: str
    # For a refuted step: {"values": {name: "p/q"}, "left": value, "right": value}.
    counterexample: Optional[dict] = None
    # The reviewed reason a refuted step is acknowledged (proofs.scan.acknowledge), or "".
    acknowledged: str = ""
    # The id of the claim of a loaded pack that records the step as an erratum (proofs.scan.errata), or "".
    erratum: str = ""
    # Whether checking it crashed or ran out of time (the gate fails).
    error: bool = False
    # Span [start, end) of the step in the document's text.
    start: int = 0
    end: int = 0
    # For a step read into expressions: ("scan", "sympy") when sympy's LaTeX parser read both sides as the scan did,
    # ("scan",) when it could not read a side (a side it reads otherwise is never checked).
    read_by: tuple = ()
    # The sides as read, with definitions substituted, for drafting claims; not reported.
    exprs: Any = dataclasses.field(default=None, compare=False, repr=False)
    # The conditions it was checked under, as read (left, relation, right).
    conditions: Any = dataclasses.field(default=(), compare=False, repr=False)
    # The sides as printed, for drafting claims: (left, right, ((name, definition), ...)), each side with the names the
    # section defines kept (their definitions alongside) and each derivative unevaluated; None where not read so.
    printed: Any = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.cell is None else f"{self.file}: cell {self.cell}, line {self.line}"

    @property
    def kind(self) -> str:
        """The reason of a skipped step, with the names in it left out: what the summary counts."""
        for pattern, kind in _KINDS:
            if pattern.search(self.reason):
                return kind
        return self.reason

    def to_json(self) -> dict[str, Any]:
        out = {"file": self.file, "line": self.line, "cell": self.cell, "text": self.text, "relation": self.relation,
               "status": self.status, "reason": self.reason}
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.acknowledged:
            out["acknowledged"] = self.acknowledged
        if self.erratum:
            out["erratum"] = self.erratum
        if self.error:
            out["error"] = True
        if self.read_by:
            out["read_by"] = list(self.read_by)
        return out


def _exponents(text: str) -> frozenset:
    letters: set[str] = set()
    for m in _SERIES.finditer(text):
        letters.add(m.group(1))
        for g in (m.group(2), m.group(3)):
            letters |= set(re.findall(r"(?<!\\)\b([A-Za-z])\b", re.sub(r"\\[A-Za-z]+", " ", g or "")))
            letters |= set(re.findall(r"(?<![\\A-Za-z])([A-Za-z])(?![A-Za-z])", re.sub(r"\\[A-Za-z]+", " ", g or "")))
    return frozenset(letters)


def _conditions(span_list: Sequence[Span], chained: Sequence[list[Chain]], index: int, defs: Definitions, text: str,
                conditional: Sequence[bool], converse: Sequence[Optional[str]] = ()):
    """The conditions printed in the sentence of spans[index] (formulas introduced by 'for', 'if', ... and
    \\text{for ...} items of its own formula), read; and the texts of those that could not be read."""
    span = span_list[index]
    texts, texts_wished = [], []
    for k, other in enumerate(span_list):
        if k != index and other.sentence == span.sentence and conditional[k] and (_WISH.search(other.before[-80:])
                                                                                  or _UNLESS.search(other.before[-80:])):
            texts_wished.append(other.body.strip())  # a wish or an exception is never a condition of another claim
            continue
        if k != index and other.sentence == span.sentence and conditional[k] and not (converse and converse[k]):
            # a definition in the sentence before the step ("where E = ...") is a definition, not a condition (the step
            # reads it); after the step ("... where $\mu = \frac{1}{n}\sum_i x_i$"), or stated by a hypothesis ("...
            # when $m = 0$", "if $a = b$"), it is an equation the step holds under
            texts += [c for c in chained[k] if _hypothesis(other) or (k > index and not _number(c.sides[-1].text, defs))
                      or defs.defining(c.sides[0].text, c.sides[1].text, c.relations[0], True) is None]
    read, unread = [], [f"{w} (a wish or an exception of its sentence, not a condition)" for w in texts_wished]
    if texts and _FOR_EVERY_NAME.match(span.after):  # "... $n^3 \ge 9n$ holds for every real $n$": not under them
        unread += [f"{c.sides[0].text} {c.printed[0]} {c.sides[1].text} (a condition of its sentence the claim says it "
                   "does not need)" for c in texts if c.relations]
        texts = []
    for c in texts:
        for j, rel in enumerate(c.relations):
            interval = _INTERVAL.fullmatch(c.sides[j + 1].text) if rel == "∈" else None
            whole = kinds.whole_numbers(c.sides[j].text, c.sides[j + 1].text) if rel == "∈" else None
            if whole is not None:  # "for $n \in \mathbb{N}$", "if $k \in \mathbb{Z}^{+}$": as a section's domain is read
                read += whole[0]
                unread += whole[1]
                continue
            if rel not in CHECKED and interval is None:
                unread.append(f"{c.sides[j].text} {c.printed[j]} {c.sides[j + 1].text}")
                continue
            try:
                exponents = _exponents(c.sides[j].text + c.sides[j + 1].text)
                ctx = defs.context(exponents)
                if interval is not None:  # x ∈ (lo, hi], p, q ∈ [0, 1]: a bound on each side of each name
                    low = ("<" if interval.group(1) == "(" else "<=", interval.group(2))
                    high = ("<" if interval.group(4) == ")" else "<=", interval.group(3))
                    for name, _ in _each_name(c.sides[j].text, ""):
                        read.append((parse(low[1], ctx), low[0], parse(name, ctx)))
                        read.append((parse(name, ctx), high[0], parse(high[1], ctx)))
                    continue
                for left, right in _each_name(c.sides[j].text, c.sides[j + 1].text):
                    read.append((parse(left, ctx), rel, parse(right, ctx)))
            except Skip:
                unread.append(f"{c.sides[j].text} {c.printed[j]} {c.sides[j + 1].text}")
    read += _facts(span_list, chained, index, defs, conditional, unread)
    worded_read, worded_unread = _worded(text[span.sentence[0]:span.sentence[1]])
    read += worded_read
    unread += worded_unread
    for c in _inline_conditions(span):
        _read_relations(c, defs, read, unread)
    return read, unread


# Words right before a formula that make it a wish, a goal or a choice rather than something that holds ("we want",
# "we would like", "the goal is", "it suffices that"): never a condition of another claim of its sentence.
_WISH = re.compile(r"\b(?:want|wants|wanted|desire[sd]?|wish(?:es|ed)?|hope[sd]?|would\s+like(?:\s+to\s+have)?|to\s+satisfy|"
                   r"(?:goal|aim|target|objective)\s+is(?:\s+that|\s+to\s+(?:have|get|make|achieve))?|"
                   r"suffices?(?:\s+that|\s+to\s+have)?|(?:is\s+)?enough(?:\s+that|\s+to\s+have)?|"
                   r"need|needs|require|requires|solve(?:\s+for\s+\$[^$]*\$)?)\s*[:,]?\s*$", re.IGNORECASE)
# Words right after a claim that say it holds for every value of a name ("... for every real $n$"): the conditions of
# its sentence are not its own, and it is never decided under them.
_FOR_EVERY_NAME = re.compile(r"\s*,?\s*(?:(?:holds?|is\s+(?:true|valid))\s+)?for\s+(?:every|all|any|each)\s+"
                             r"(?:real\s+)?(?:numbers?\s+|values?\s+(?:of\s+)?)?\$\s*\\?[A-Za-z]+\s*\$", re.IGNORECASE)
# Words right before a formula that make it an exception ("unless $0 < x < 1$", "except when"): the claim holds where it
# does not, which the scan does not read; never a condition the claim is decided under.
_UNLESS = re.compile(r"\b(?:unless|except\s+(?:when|if|where|for)|but\s+not\s+(?:when|if|for))\s*[:,]?\s*$", re.IGNORECASE)
# Words right before a formula that make it a hypothesis ("$(x - m)^2 = x^2$ when $m = 0$", "if $a = b$"): an equation
# there is a condition of the claims of its sentence, never a definition ("where", "with", "let" define).
_HYPOTHESIS_WORDS = re.compile(r"\b(?:if|when|whenever|provided(?:\s+that)?|assuming(?:\s+that)?)\s*[:,]?\s*$",
                               re.IGNORECASE)
# Words right before those that make them no hypothesis: "only if", "if and only if", "exactly when" join a
# biconditional or a converse (see _CONVERSE); "as if", "even if" do not restrict the claim.
_NOT_HYPOTHESIS = re.compile(r"\b(?:only|as|even|exactly|precisely|just)\s*$", re.IGNORECASE)
# Words between two formulas that join them as a biconditional or a converse ("$x^3 = x$ iff $x = 1$", "only if",
# "exactly when"): neither is a hypothesis of the other, and neither is decided as a plain identity under the other.
_CONVERSE = re.compile(r"\b(?:iff|if\s+and\s+only\s+if|only\s+if|(?:exactly|precisely|just)\s+(?:when|if))\b",
                       re.IGNORECASE)


def _number(text: str, defs: Definitions) -> bool:
    """Whether a side is a number (a number given to a name later in a sentence is an example, see _given_later)."""
    try:
        return not parse(text, defs.context()).free_symbols
    except Skip:
        return False


def _hypothesis(span: Span, counterfactual: bool = False) -> bool:
    """Whether the words before a condition make it a hypothesis of its sentence's claims; with `counterfactual`,
    also "even if", "as if" (a condition all the same: never a definition)."""
    tail = span.before[-60:]
    m = _HYPOTHESIS_WORDS.search(tail)
    return span.condition and m is not None and (counterfactual or _NOT_HYPOTHESIS.search(tail[:m.start()]) is None)


def _prose_before(span: Span) -> str:
    """The prose of a formula's sentence since the formula before it."""
    return re.split(r"\$|\\\]|\\end\s*\{[^{}]*\}", span.before)[-1]


# Words before a formula in its sentence that make the claims after them existential ("for some $x$, ...", "there
# exists $c$ with ..."): a claim that holds somewhere, which the scan does not decide as an identity; only where they
# bind a name of the claim (see _existential).
_EXISTENTIAL = re.compile(r"\b(?:for\s+(?:some|at\s+least\s+one)|there\s+(?:exists?|is|are)|exists?\s+(?:an?|some)\b)",
                          re.IGNORECASE)
# After those words: a few words ("a constant", "an integer") and the formula of the name they bind.
_BOUND = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,3}(?:\$\$?([^$]+)\$\$?|\\\((.+?)\\\))")
# Between the binding and the claim: what ends the clause the name is bound in ("...; ", ": ", ", and so ").
_CLAUSE_END = re.compile(r"[;:.!?]|,\s*(?:and|but|so|hence|thus|then|therefore|which|whence)\b|\b(?:and|but)\s+"
                         r"(?:so|hence|thus|then|therefore)\b", re.IGNORECASE)


# Words right after a formula that make it existential ("$a^2 = 4$ for some real $a$", "... holds for at least one $a$").
_EXISTENTIAL_AFTER = re.compile(r"\s*,?\s*(?:(?:holds?|is\s+(?:true|satisfied|solved)|has\s+a\s+solution)\s+)?"
                                r"for\s+(?:some|at\s+least\s+one)\b", re.IGNORECASE)


def _existential(span: Span) -> Optional[str]:
    """The words before a formula in its sentence that make it existential, or None: "for some", "for at least one",
    "there exist(s)", "there is/are" binding a name the formula uses ("for some $x$, $|x| = -x$", "there exists $c$
    with $c^2 = 4$", or the formula right after them, "there exists $c > 0$"), with no end of a clause between the
    binding and the formula. Bare "there is" ("there is a neat closed form: ...", "there is a unique minimiser, and
    expanding gives ...") binds nothing: the claim after it is universal. "for some" right after the formula binding
    a name it uses ("$a^2 + 1 = 2a$ for some real number $a$") makes it existential too."""
    letters = _letters(span.body)
    after = _EXISTENTIAL_AFTER.match(span.after)
    if after is not None:
        bound = _BOUND.match(span.after, after.end())
        if bound is not None and _letters(bound.group(1) or bound.group(2)) & letters:
            return span.after[:bound.end()].strip(" ,")
    prose = re.sub(r"\$[^$]*\$", lambda m: " " * len(m.group()), span.before)  # the words alone, in place
    for words in _EXISTENTIAL.finditer(prose):
        rest = span.before[words.end():]
        if not rest.strip():  # the formula itself right after the words: "there exists $c > 0$ such that"
            return words.group()
        bound = _BOUND.match(rest)
        if bound is None or not (_letters(bound.group(1) or bound.group(2)) & letters):
            continue
        if _CLAUSE_END.search(re.sub(r"\$[^$]*\$", " ", rest[bound.end():])) is None:
            return words.group()
    return None


# Words before a formula in its sentence that put it under the negation of a case ("If $x \ge 0$, ...; otherwise
# $|x| = -x$", "else", "in the other case", "if not"): the scan does not read the negated case, so the claim is skipped.
_OTHERWISE = re.compile(r"\b(?:otherwise|else|elsewhere|in\s+(?:the\s+)?(?:other|remaining|opposite)\s+cases?|"
                        r"if\s+not|when\s+not|in\s+all\s+other\s+cases)\b", re.IGNORECASE)
# The same right after the formula, ending its clause ("... and $|x| = -x$ otherwise."; not "$|x| = x$, else $|x| = -x$").
_OTHERWISE_AFTER = re.compile(r"\s*,?\s*(?:otherwise|else|elsewhere|in\s+(?:all\s+)?(?:the\s+)?(?:other|remaining|opposite)"
                              r"\s+cases?|if\s+not)\b(?=\s*(?:[.;:!?)]|,\s*(?![^$.;]*\$)|$))", re.IGNORECASE)
# Words right after a formula that deny it or say it need not hold ("$x^3 \ge x$ need not hold", "... is false").
_DENIED = re.compile(r"\s*,?\s*(?:(?:in\s+general|however|then)\s*,?\s*)?(?:need\s+not|does\s+not|do\s+not|doesn't|"
                     r"cannot|can\s*not|can't|may\s+not|might\s+not|is\s+(?:not|false|wrong|untrue)|are\s+(?:not|false)|"
                     r"fails?\b|fails\s+to|is\s+in\s+general\s+(?:not|false)|"
                     r"(?:is|are)\s+(?:in\s+general\s+)?(?:not\s+)?(?:always\s+)?(?:false|wrong))", re.IGNORECASE)


def _converses(found: Sequence[Span], text: str = "") -> list[Optional[str]]:
    """For each formula, why it is one side of a biconditional or a converse (the words between it and the formula
    before it in its sentence join the two, see _CONVERSE), or None: both sides are skipped, never decided as plain
    identities under each other, since the scan does not decide both directions."""
    out: list[Optional[str]] = [None] * len(found)
    for k, span in enumerate(found):
        m = _CONVERSE.search(_prose_before(span))
        if m is None:
            continue
        reason = f"a side of a biconditional or a converse (\"{' '.join(m.group().split())}\"): not checked"
        out[k] = reason
        if k > 0 and found[k - 1].sentence == span.sentence:
            out[k - 1] = reason
    for k, span in enumerate(found):
        if out[k] is None and span.displayed and not span.before.strip() and text \
                and announced_apart(text[max(0, span.sentence[0] - 400):span.sentence[0]]):
            out[k] = ("a display announced by a sentence that sets a case aside (\"other\", \"done\", a clause before "
                      "the announcing words): the case it is for is not read, not checked")
            continue
        other = _OTHERWISE.search(re.sub(r"\$[^$]*\$", " ", span.before)) if out[k] is None else None
        if other is not None:
            out[k] = (f"a claim under the negation of a case (\"{' '.join(other.group().split())}\" before it): not "
                      "checked")
            continue
        other = _OTHERWISE_AFTER.match(span.after) if out[k] is None else None
        if other is not None:
            out[k] = (f"a claim under the negation of a case (\"{' '.join(other.group().strip(' ,').split())}\" after "
                      "it): not checked")
            continue
        denied = _DENIED.match(span.after) if out[k] is None else None
        if denied is not None:
            out[k] = (f"a formula its sentence says need not hold (\"{' '.join(denied.group().split())}\" after it): "
                      "not checked")
            continue
        words = _existential(span) if out[k] is None else None
        if words is not None:
            where = "after" if span.after.strip(" ,").startswith(words) and words else "before"
            out[k] = f"an existential claim (\"{' '.join(words.split())}\" {where} it): not checked as an identity"
    return out


# Words right before a condition after a claim that give a name a formula ("..., where $s = t + 1$").
_WHERE = re.compile(r"\b(?:where|with)\s*[:,]?\s*$", re.IGNORECASE)


def _letters(text: str) -> frozenset:
    """The one-letter names (Greek ones without their backslash) a formula's text uses."""
    return frozenset(m.group().lstrip("\\") for m in _LETTER.finditer(re.sub(r"\\(?:frac|log|ln|exp|sin|cos|tan|sqrt|"
                                                                            r"left|right|cdot|text|mathrm)\b", " ", text)))


def _hypothesis_names(found: Sequence[Span], chained: Sequence[list[Chain]], conditional: Sequence[bool],
                      index: int) -> tuple[frozenset, frozenset]:
    """The names of the hypotheses of a formula's sentence ("if $x = 2$", "when $m = 1$", before it or after), and
    those of the conditions after it ("..., where $s = t + 1$"): a relation of the formula that uses the former, or
    whose head the latter give a value, is a claim decided under them, never a definition."""
    span = found[index]
    held: set = set()
    later: set = set()
    for k, other in enumerate(found):
        if k == index or other.sentence != span.sentence or not conditional[k]:
            continue
        names = {n for c in chained[k] for p in c.sides for n in _letters(p.text)}
        if _hypothesis(other):
            held |= names
        elif k > index and _WHERE.search(other.before[-60:]):
            later |= names
    return frozenset(held), frozenset(later)


@contextlib.contextmanager
def _shadowed(found: Sequence[Span], chained: Sequence[list[Chain]], conditional: Sequence[bool], index: int,
              defs: Definitions):
    """While a step is read, the earlier definitions of the names a where-equation after it gives a formula ("...
    where $s = a - b$" after "Let $s = a b$") are set aside: the step is about the where-equation's s, which it is
    decided under (as a condition), never about the earlier one."""
    span, names = found[index], set()
    for k, other in enumerate(found):
        if k > index and other.sentence == span.sentence and conditional[k] and len(chained[k]) == 1 \
                and list(chained[k][0].relations) == ["="] and _LONE_NAME.fullmatch(chained[k][0].sides[0].text) \
                and (_WHERE.search(other.before[-60:]) or _where_listed(found, chained, conditional, k)):
            try:
                names.add(parse(chained[k][0].sides[0].text))
            except Skip:
                continue
    saved = {a: defs.values.pop(a) for a in list(defs.values) if a in names}
    unread = {n: defs.opaque.pop(n) for n in list(defs.opaque) if n in {str(a) for a in names}}
    clash = []  # (name, the section's formula and its line, the where-equation's formula) where the two differ
    for k, other in enumerate(found):
        if k > index and other.sentence == span.sentence and conditional[k] and len(chained[k]) == 1 \
                and list(chained[k][0].relations) == ["="]:
            try:
                atom = parse(chained[k][0].sides[0].text)
            except Skip:
                continue  # (no name the section defines)
            if str(atom) in unread:  # a name two formulas of its section withdrew: which one the step means is unsaid
                clash.append((atom, (unread[str(atom)][1], unread[str(atom)][0]), None))
            elif atom in saved:
                try:
                    new = parse(chained[k][0].sides[1].text, defs.context())
                    differs = sympy.simplify(saved[atom] - new) != 0
                except Exception:  # noqa: BLE001 - a formula not compared is a clash: the step is not decided on it
                    new, differs = None, True
                if differs:
                    clash.append((atom, defs.origin.get(atom, (f"{atom} = {saved[atom]}", "?")), new))
    try:
        yield clash
    finally:
        defs.values.update(saved)
        defs.opaque.update(unread)


def _clashing(step: Step, clash: list) -> Step:
    """A step decided under a where-equation after it that gives a name a formula other than its section's definition
    ("Let $s = t + 2$." ... "..., where $s = t + 1$"): a new definition for the step or an error, which the scan cannot
    tell apart: needs review, with the verdict under the where-equation shown."""
    atom, (shown, line), new = clash[0]
    where = f"{atom} = {new}" if new is not None else f"a formula for {atom}"
    return dataclasses.replace(step, status="needs review",
                               reason=f"{step.status} with {where}, the where-equation after it ({step.reason}); but line "
                                      f"{line} defines {shown}: a condition that contradicts a definition of its "
                                      "section (review it: a new definition, or an error)")


def _read_relations(c: str, defs: Definitions, read: list, unread: list) -> None:
    """The relations of the condition `c`, each side read in the context of `defs`, appended to `read` as (left,
    relation, right); `c` appended to `unread` when a side is not read."""
    try:
        for ch in chains(c):
            for j, rel in enumerate(ch.relations):
                ctx = defs.context(_exponents(c))
                read.append((parse(ch.sides[j].text, ctx), rel, parse(ch.sides[j + 1].text, ctx)))
    except Skip:
        unread.append(c)


# An interval with numbers as its ends, open or closed at each: "(0, 1)", "[0, 1)", "[-1, 1]".
_INTERVAL = re.compile(r"\s*(?:\\left)?([(\[])\s*(-?\s*[0-9.]+)\s*,\s*(-?\s*[0-9.]+)\s*(?:\\right)?([)\]])\s*")


def _each_name(left: str, right: str) -> list[tuple[str, str]]:
    """A condition on a list of names ("$a, b \\ge 0$", "$0 < p, q$") as one condition on each name; any other as is."""
    for k, side in enumerate((left, right)):
        names = side.split(",")
        if len(names) > 1 and all(re.fullmatch(rf"\s*{_NAME}(?:_\{{?[A-Za-z0-9]\}}?)?\s*", n) for n in names):
            return [(n.strip(), right) if k == 0 else (left, n.strip()) for n in names]
    return [(left, right)]


# Words right before a formula that state it as a fact the rest of the sentence uses ("since $|a| = 1$, ...").
_FACT_WORDS = re.compile(r"\b(?:since|as|because|using|from)\s*$", re.IGNORECASE)
# The same after the claim ("$n^2 \ge 3n$, since $n \ge 3$"): "since" and "because" only ("as $x \to 0$" is no fact).
_FACT_AFTER = re.compile(r"\b(?:since|because)\s*$", re.IGNORECASE)


# Words in a fact's clause that make it no fact the step may rely on: a disjunction or a denial.
_NOT_FACT = re.compile(r"\b(?:or|not|unless|either|neither|nor|never|no\s+longer|fails?|false|cannot|can't|isn't|"
                       r"aren't|doesn't|don't)\b", re.IGNORECASE)


def _facts(span_list: Sequence[Span], chained: Sequence[list[Chain]], index: int, defs: Definitions,
           conditional: Sequence[bool], unread: Optional[list] = None) -> list[tuple]:
    """The facts the sentence of spans[index] states before it, each introduced by "since", "as", "because" or "using"
    ("since $|a| = 1$, ..."), or after it by "since" or "because" ("C, since F"): a relation between names and a
    number, not a definition, read: the step is checked where they hold, as under a condition ("since F, C" claims C
    given F). A fact its clause joins by "or" or denies ("since $x \\ge 1$ or $x \\le 0$", "since $x \\ge 1$ is not
    assumed", see _NOT_FACT) is none the step may rely on: its text goes to `unread`, so that a refutation is reviewed."""
    span, out = span_list[index], []
    for k, other in enumerate(span_list):
        if k == index or other.sentence != span.sentence or conditional[k]:
            continue
        words = re.sub(r"\s*\b(?:either|neither|not)\s*$", "", other.before)
        clause = re.split(r"[,;:.!?]", re.sub(r"\$[^$]*\$", " ", other.after))[0]
        joined = _NOT_FACT.search(clause) or _NOT_FACT.search(_prose_before(other))
        if not (_FACT_WORDS if k < index or joined else _FACT_AFTER).search(words):  # "C, as F": a fact only if joined
            continue
        if joined:
            if unread is not None:
                unread.append(f"{other.body.strip()} (a fact its sentence joins by 'or' or denies)")
            continue
        for c in chained[k]:
            if len(c.relations) != 1 or c.relations[0] not in CHECKED or not c.sides[0].text or not c.sides[1].text \
                    or defs.defining(c.sides[0].text, c.sides[1].text, c.relations[0], True) is not None:
                continue
            try:
                ctx = defs.context(_exponents(c.sides[0].text + c.sides[1].text))
                left, right = parse(c.sides[0].text, ctx), parse(c.sides[1].text, ctx)
            except Skip:
                continue
            if bool(left.free_symbols) != bool(right.free_symbols):
                out.append((left, c.relations[0], right))
    return out


@functools.lru_cache(maxsize=256)
def _worded(sentence: str) -> tuple[list, list]:
    """The conditions a sentence states in words ("for positive a and b"), read, and those that could not be read;
    once per sentence (a long one holds many formulas)."""
    read, unread = [], []
    named = _formulas_as_names(sentence)
    for word, names in _WORDED.findall(named) + [(w, n) for n, w in _WORDED_AFTER.findall(named)]:
        for name in re.split(r"\s*(?:,\s*(?:and|or)\b|,|\band\b|\bor\b)\s*", names.strip()):
            try:
                atom = parse(name)
            except Skip:
                unread.append(f"{word} {name}")
                continue
            relation, bound = _WORDS_MEAN[re.sub(r"[\s-]", "", word.lower())]
            read.append((atom, relation, sympy.Integer(bound)))
    if _INTEGERS.search(sentence):
        unread.append("names that are integers")
    discrete = _DISCRETE.search(sentence)
    if discrete:
        unread.append(f"names that are {discrete.group(1).lower()}")
    arithmetic = _ARITHMETIC.search(sentence)
    if arithmetic:
        unread.append(f"names that are {kind_words(arithmetic.group('word'))}")
    if _LISTED.search(sentence):
        unread.append("names that take only the values its words list")
    return read, unread


# A formula joined to the one before it by "and", "or" or a comma alone: "for $a > 0$ and $b > 0$".
_JOINED = re.compile(r"\$\s*(?:,\s*)?(?:\b(?:and|or)\b\s*)?$")
# Displayed math in a sentence: dropped before the words of a sentence are read.
_DISPLAYED = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{([A-Za-z*]+)\}.*?\\end\{\1\}", re.DOTALL)


def _conditional(found: Sequence[Span], chained: Sequence[list[Chain]]) -> list[bool]:
    """Whether each formula is a condition: the words before it make it one, or it is an inequality joined by "and",
    "or" or a comma to a condition right before it in the same sentence ("for $a > 0$ and $b > 0$"; an equation
    there, as in "$|x| = x$ for $x > 0$ and $|x| = -x$ ...", is a claim)."""
    out = []
    for k, span in enumerate(found):
        joined = (k > 0 and out[k - 1] and found[k - 1].sentence == span.sentence and not span.displayed
                  and bool(chained[k]) and all(r in ("<", ">", "<=", ">=", "!=") for c in chained[k] for r in c.relations)
                  and _JOINED.search(span.before[-40:]) is not None)
        if joined and _claim_after_comma(found, chained, out, k):
            joined = False
        # "If $p \ge 2$, $p^2 \ge 4$.": the formula right after the hypothesis, joined by a comma alone, is its claim
        hypothesis = span.hypothesis and not (_after_conditions(span) and _claim_after_comma(found, chained, out, k))
        out.append(span.worded or hypothesis or bool(joined) or _where_listed(found, chained, out, k))
    _conditions_after_claims(found, chained, out)
    return out


_LONE_NAME = re.compile(r"\s*(?:\\?[A-Za-z]+|\\(?:hat|bar|tilde)\s*\{?\s*[A-Za-z]\s*\}?)(?:_\{?[A-Za-z0-9]+\}?)?\s*")


def _where_listed(found: Sequence[Span], chained: Sequence[list[Chain]], out: list, k: int) -> bool:
    """Whether an equation giving a lone name a formula continues, joined by "and" or a comma, a list that "where" or
    "with" opens after a claim in the same sentence ("$$a^2 - b^2 = r s$$ where $r = a - b$ and $s = a + b$"): each
    equation of the list is one the claim holds under, not only the first."""
    span = found[k]
    if k == 0 or len(chained[k]) != 1 or list(chained[k][0].relations) != ["="] or span.displayed \
            or not _LONE_NAME.fullmatch(chained[k][0].sides[0].text) or _JOINED.search(span.before[-40:]) is None:
        return False
    j = k - 1
    while j >= 0 and out[j] and found[j].sentence == span.sentence and not _WHERE.search(found[j].before[-40:]):
        if not (len(chained[j]) == 1 and list(chained[j][0].relations) == ["="] and _JOINED.search(found[j].before[-40:])):
            return False
        j -= 1
    return (j > 0 and out[j] and found[j].sentence == span.sentence and _WHERE.search(found[j].before[-40:]) is not None
            and not out[j - 1] and found[j - 1].sentence == span.sentence)


def _conditions_after_claims(found: Sequence[Span], chained: Sequence[list[Chain]], conditional: list[bool]) -> None:
    """Marks as conditions the bounds on one name by a number that end a sentence, each joined by a comma alone to the
    formula before it, after a claim that uses every name they bound ("$\\sqrt{x^2} = x$, $x \\ge 0$."): the
    condition that claim is for. One pass over the formulas, from the last."""
    def bound(j: int):
        return bound_name(found[j].body) if len(chained[j]) == 1 and not found[j].displayed else None

    k = len(found) - 1
    while k >= 0:
        sentence, run, j = found[k].sentence, [], k
        while j > 0 and found[j - 1].sentence == sentence and _COMMA.search(found[j].before[-40:]):
            name = bound(j)
            if name is None:
                break
            run.append((j, name))
            j -= 1
        if run and not conditional[j] and chained[j] and (j == k - len(run)):
            used = " ".join(p.text for c in chained[j] for p in c.sides)
            if all(re.search(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])", used) for _, name in run):
                for r, _ in run:
                    conditional[r] = True
        while j >= 0 and found[j].sentence == sentence:
            j -= 1
        k = j


# A formula joined to the condition before it by a comma alone ("For $p \in [0, 1]$, $p(1 - p) \le \frac14$").
_COMMA = re.compile(r"\$\s*,\s*$")
# A bound on one name by a number ("b > 0", "x \le 1"): read as one more condition of a list.
_NUMBER = re.compile(r"\s*-?\s*(?:\d+(?:\.\d+)?|\\frac\s*\{?\d+\}?\{?\d+\}?)\s*")
_ONE_NAME = re.compile(r"\s*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?\s*")
_LETTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])|\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|"
                     r"sigma|tau|phi|psi|omega|rho|pi|xi|zeta|kappa|nu|chi)(?![A-Za-z])")


# A sentence that opens with a condition ("For $p \in [0, 1]$, ", "If $x > 0$ and $y > 0$, "), up to the formula after it.
_OPENING = re.compile(r"\W*(?:for|if|when|whenever|given|assuming|provided)\b[^$]*(?:\$[^$]*\$[^$]*?)+,\s*$",
                      re.IGNORECASE)


def _after_conditions(span: Span) -> bool:
    """Whether a formula comes right after the conditions its sentence opens with, joined by a comma: the claim they
    are for ("For $p \\in [0, 1]$, $p(1 - p) \\le \\frac14$"), even with a number on one side."""
    return not span.displayed and _OPENING.fullmatch(span.before) is not None


def _claim_after_comma(found: Sequence[Span], chained: Sequence[list[Chain]], conditional: Sequence[bool],
                       k: int) -> bool:
    """Whether an inequality joined by a comma alone to the conditions before it is the claim they are for: the last
    formula of its sentence, with no claim before it in the sentence, about a name those conditions are about, and more
    than a bound on one name ("For $a > 0$, $b > 0$" lists conditions; "For $p \\in [0, 1]$, $p(1 - p) \\le 1/4$"
    states a claim under one)."""
    span = found[k]
    if not _COMMA.search(span.before[-40:]):
        return False
    same = [j for j, other in enumerate(found) if other.sentence == span.sentence and j != k]
    # a new clause after it ("If $x > 0$, $|x| = x$; otherwise ..."): what follows is no part of its list
    if re.match(r"[^$]*?(?:;|\b(?:otherwise|else)\b)", span.after):
        same = [j for j in same if j < k]
    if any(j > k for j in same) or any(j < k and not conditional[j] and chained[j] for j in same):
        return False
    sides = [p.text for c in chained[k] for p in c.sides]
    if all(any(_ONE_NAME.fullmatch(p.text) for p in c.sides) and any(_NUMBER.fullmatch(p.text) for p in c.sides)
           for c in chained[k]):
        return False
    before = {m.group() for j in same for c in chained[j] for p in c.sides for m in _LETTER.finditer(p.text)}
    return bool(before & {m.group() for t in sides for m in _LETTER.finditer(t)})


def _formulas_as_names(sentence: str) -> str:
    """The sentence with each formula that is a name, or a list of names, kept as its text and other formulas dropped."""
    sentence = _DISPLAYED.sub(" ", sentence)
    return re.sub(r"\$([^$]*)\$", lambda m: m.group(1) if re.fullmatch(rf"\s*(?:{_NAME}\s*,?\s*)+", m.group(1)) else " ",
                  sentence)


def _with_facts(conditions, facts: Sequence[str], defs: Definitions):
    """The conditions of a step with the facts printed on its row (see Chain.facts) read and added."""
    if not facts:
        return conditions
    read, unread = list(conditions[0]), list(conditions[1])
    for text in facts:
        _read_relations(bare_condition(text), defs, read, unread)
    return read, unread


def _inline_conditions(span: Span) -> list[str]:
    out = []
    for ch in chains(span.body):
        for text in ch.conditions:
            out.append(bare_condition(text))
    return out


def _seed_sympy(*key: str) -> None:
    """Seed sympy's own generators (the order it infers assumptions in, the points `equals` and `is_constant` try) from
    the step: what sympy answers about it is then the same in every run, whatever the process drew before."""
    from sympy.core import random as sympy_random

    digest = hashlib.sha256("\0".join(key).encode()).digest()
    sympy_random.seed(int.from_bytes(digest[:8], "big"))


def scan_document(document: Document, timeout: float = 10.0, until: Optional[float] = None,
                  second_reader: bool = True, printed: bool = False) -> list[Step]:
    """The steps of one document, in order: definitions recorded as they come, each other step checked within
    `timeout` CPU seconds (proofs.scan.check.deadline). `until`: the time (time.monotonic) the whole scan must end by; a step it cuts off or leaves
    unreached is unknown and fails the gate, and TimeLimit is raised if it passes before the steps are found.
    `second_reader`: whether sympy's LaTeX parser reads each side again (proofs.scan.sympy_reader). `printed`: whether
    each step also keeps its sides as printed (Step.printed), for drafting claims."""
    defs = Definitions()
    defs.text = document.text
    try:
        with deadline(float("inf"), wall=float("inf") if until is None else until - time.monotonic()):
            defs.logistic = bool(_LOGISTIC.search(document.text))
            found = spans(document)
            chained = [chains(_unboxed(s.body)) for s in found]
            conditional = _conditional(found, chained)  # once each: a long sentence has many formulas
            converse = _converses(found, document.text)
            roles = piecewise.pieces(found, chained, conditional, document.text)
            refused: set = set()  # the first formulas of pieces that are second formulas for a function (_piece_step)
            # a name the file applies as a function anywhere (f(z) = ..., g(1, 0) = 0) is a function everywhere in it
            for chain in (c for cs in chained for c in cs):
                variables = None
                for side in chain.sides[:2]:
                    h = head(side.text)
                    if h is not None and h.kind in ("function", "point"):
                        if variables is None and len(chain.sides) > 1:
                            variables = step_variables(chain.sides[0].text, chain.sides[1].text, defs)
                        if h.name not in (variables or ()):
                            defs.undefined.add(h.name)
    except Timeout:
        raise TimeLimit(f"{document.file}: not scanned, the scan's time limit (--time-limit) was reached") from None
    text = document.text
    matrix = MatrixScan(text)
    scope = Scopes(text, defs, matrix)
    boundaries = scope.headings()
    logistic = defs.logistic
    preamble = text[:boundaries[0]] if boundaries else ""  # what the text before any heading says holds throughout
    prose = scope.prose(0)
    defs.logistic = logistic and not kinds.sigma_declared_otherwise(prose)
    defs.named_constants = kinds.constants_named(prose)
    log_base = kinds.log_base(prose) or kinds.log_base(preamble)
    nonreal, ranges = kinds.declared(prose), kinds.domains(prose)  # once a section
    one_hot = onehot.names(prose)  # the vectors the section's prose says are one-hot
    hot: list = []  # the one-hot names of the section of each step of `out`
    out: list[Step] = []
    previous_end = 0
    matrix.logistic = defs.logistic  # the section's rule, as for the scalar reading ("for any activation $\sigma$")
    carried = None  # the last side of the display before: a display that opens with a relation continues it
    section = 0
    sections: list[int] = []  # the section of each step of `out`
    given: list = []  # (section, offset, atom, Example): each number given to a name, where it is given
    facts: list = []  # (left, relation, right): the stated facts with a sum (\sum_i y_i = 1) of the section so far
    seen: set = set()  # the sentences read so far
    assumed: list = []  # (left, relation, right, sentence): the assumptions of the section so far ("assume $x > 0$.")
    lifted: list = []  # (name, text): assumptions a later sentence may have lifted ("now drop this assumption")
    read_to = 0  # where the last sentence with a formula ended: the prose after it is read for words lifting assumptions
    for index, span in enumerate(found):
        # what the scopes that end declared no longer holds; what the enclosing ones declared does (proofs.scan.scopes)
        if scope.cross(previous_end, span.start):
            facts = []
            assumed = []
            lifted = []
            carried = None
            section += 1
            prose = scope.prose(span.start)
            defs.logistic = logistic and not kinds.sigma_declared_otherwise(prose)
            matrix.logistic = defs.logistic
            defs.named_constants = kinds.constants_named(prose)
            log_base = kinds.log_base(prose) or kinds.log_base(preamble)
            nonreal, ranges = kinds.declared(prose), kinds.domains(prose)
            one_hot = onehot.names(prose)
        previous_end = span.start
        conditions = None
        part_end = _part_end(text, span.sentence[1])
        matrix.advance(span.start)
        matrix.sentence(span.sentence)
        if span.sentence not in seen:  # a name its sentence introduces again in words loses its formula
            seen.add(span.sentence)
            for name in kinds.introduced_again(text[span.sentence[0]:span.sentence[1]]):
                defs.withdraw(name, document.line_of(span.start)[0], text[span.sentence[0]:span.sentence[1]])
            general = in_general(text[span.sentence[0]:span.sentence[1]])
            if general:  # "now take any $s$": the section's assumptions about s no longer hold
                assumed = [a for a in assumed if not any(str(x).lstrip("\\") in general
                                                         for side in (a[0], a[2]) for x in sympy.sympify(side).free_symbols)]
            gone = _lifted(text[min(read_to, span.sentence[0]) if read_to else span.sentence[0]:span.sentence[1]], assumed)
            read_to = span.sentence[1]
            if gone:
                assumed = [a for a in assumed if a not in gone]
                lifted += [(x, f"{a} {r} {c} (an assumption of its section a later sentence may lift)")
                           for a, r, c, _ in gone for x in _symbols(a, c)]
        for number, chain in enumerate(chained[index]):
            for k, relation in enumerate(chain.relations):
                left, right = chain.sides[k], chain.sides[k + 1]
                if k == 0 and number == 0 and not left.text and span.displayed and carried is not None:
                    left = Piece(carried, right.start)
                start, end = span.start + left.start, span.start + right.start + len(right.text)
                line, cell = document.line_of(span.start + right.start)  # where the step's result is printed
                base = dict(file=document.file, line=line, cell=cell, left=left.text, relation=relation, right=right.text,
                            text=" ".join(x for x in (left.text, chain.printed[k], right.text) if x), start=start, end=end)
                if len(out) >= MAX_STEPS:
                    raise TooMany(f"{document.file} has more than {MAX_STEPS} steps; scan it in parts")
                remaining = float("inf") if until is None else until - time.monotonic()
                if remaining <= 0:
                    out.append(Step(**base, status="unknown", error=True, reason=TIME_LIMIT.format("before it")))
                    continue
                _seed_sympy(base["text"])
                try:
                    with deadline(timeout, wall=remaining), _shadowed(found, chained, conditional, index, defs) as clash:
                        if conditions is None:
                            conditions = _conditions(found, chained, index, defs, text, conditional, converse)
                        examples = dict(defs.examples)
                        piece = _piece_step(base, roles.get(index), defs, found, document, part_end, refused) \
                            if k == 0 and number == 0 and len(chained[index]) == 1 else None
                        if piece is not None:
                            out.append(piece)
                            continue
                        out.append(_step(base, chain, k, span, defs, _with_facts(conditions, chain.step_facts(k), defs),
                                         second_reader, part_end, conditional[index],
                                         matrix, facts, printed, nonreal, log_base, [*(a[:3] for a in assumed), *ranges[0]], [*ranges[1], *lifted],
                                         converse[index], _hypothesis_names(found, chained, conditional, index)))
                        if clash and out[-1].status in ("proved", "checked", "refuted"):
                            out[-1] = _clashing(out[-1], clash)
                        new_assumed = _assumption(out[-1], span, text, defs)
                        if new_assumed:  # a new condition on a name replaces the ones earlier sentences stated
                            names = {x for a, _, c in new_assumed for x in _symbols(a, c)}
                            assumed = [a for a in assumed if a[3] == span.sentence or not _symbols(a[0], a[2]) & names]
                            lifted = [x for x in lifted if x[0] not in names]
                            assumed += [(*a, span.sentence) for a in new_assumed]
                        facts += _sum_fact(out[-1], defs, one_hot)
                        if out[-1].status == "definition":
                            if conditions[0] or conditions[1]:
                                conditions = None  # read again: a name its sentence defines is substituted in them too
                            new = [(a, x) for a, x in defs.examples.items() if examples.get(a) is not x]
                            given += [(section, start, a, x) for a, x in new]
                            if _HELD.search(span.before) and not _EXAMPLE.search(span.before):
                                # "Let $\eta = 0.5$.": a value for the whole scope ("For example, let": not)
                                scope.held.update((id(x), x) for _, x in new)
                except Timeout:
                    reason = (TIME_LIMIT.format("while it was checked") if until is not None and time.monotonic() >= until - 0.01
                              else f"reading and checking it took more than {timeout:g} s of CPU time (--timeout), or "
                                   f"{WALL_BACKSTOP * timeout:g} s of wall-clock time")
                    out.append(Step(**base, status="unknown", error=True, reason=reason))
                except RecursionError:
                    out.append(Step(**base, status="unknown", error=True, reason="the formula is nested too deeply to check"))
                except Exception as exc:  # noqa: BLE001 - a step the scan fails on is reported, and fails the gate
                    out.append(Step(**base, status="unknown", error=True,
                                    reason=f"reading it failed: {type(exc).__name__}: {str(exc)[:200]}"))
        sections.extend([section] * (len(out) - len(sections)))
        hot.extend([one_hot] * (len(out) - len(hot)))
        if span.displayed:
            last = chained[index][-1].sides[-1].text if chained[index] else ""
            carried = last or None
    items = [m.start() for m in _ITEM.finditer(text)]
    return [onehot.guard(_given_later(step, sections[i], given, timeout, until, items), hot[i])
            for i, step in enumerate(out)]


_SOFTMAX = re.compile(r"^\s*\\(?:mathrm|operatorname|text)\s*\{softmax\}\s*(?:\\left)?\(\s*([A-Za-z])\s*(?:\\right)?\)\s*$")
_SOFTMAX_NAME = re.compile(r"^\s*(?:[A-Za-z]|\\(?:hat|bar|tilde)\s*\{?\s*[A-Za-z]\s*\}?)\s*$")


def _softmax(left: str, right: str) -> Optional[tuple[str, str]]:
    r"""yhat = \mathrm{softmax}(z) for a name yhat and a vector z, written entry by entry at a fresh index
    (yhat_q = e^{z_q} / \sum_s e^{z_s}); None for anything else."""
    m = _SOFTMAX.match(right)
    if m is None or not _SOFTMAX_NAME.match(left):
        return None
    z = m.group(1)
    q = next(c for c in "qjpr" if c not in left + z)
    s = next(c for c in "skut" if c not in left + z + q)
    return f"{left.strip()}_{{{q}}}", f"\\frac{{e^{{{z}_{{{q}}}}}}}{{\\sum_{{{s}}} e^{{{z}_{{{s}}}}}}}"


def _sum_fact(step: Step, defs: Definitions, one_hot: frozenset = frozenset()) -> list:
    r"""A stated condition with a sum without bounds (\sum_i y_i = 1), introduced by words ("assume"), read: it holds
    in the rest of its section. A relation the scan merely leaves undecided is no fact, with one exception that follows
    from the prose: \sum_k y_k = 1 of a vector y the section says is one-hot ("the label is one-hot, so ...")."""
    stated = step.reason.startswith("a condition or a wish") or \
        (step.kind == _EQUATIONS[0] and onehot.sums_to_one(step.left, step.right, one_hot))
    if step.status != "skipped" or not stated or "\\sum" not in step.text:
        return []
    try:
        ctx = defs.context(_exponents(step.left + step.right))
        fact = (parse(step.left, ctx), step.relation, parse(step.right, ctx))
    except Skip:
        return []
    return [fact] if any(s.name.startswith("#") for e in (fact[0], fact[2]) for s in e.free_symbols) else []


# The reasons of a step that is an equation in its names, or gives one a value: numbers given later may decide it.
_EQUATIONS = ("a condition on its names (one side is a number), not an identity",
              "gives a name that appears nowhere else in it a value or a bound (a definition or a condition), not an identity")


def _given_later(step: Step, section: int, given: list, timeout: float, until: Optional[float], items=()) -> Step:
    """An equation in names ("0 = g(1, 0)", a constraint on a network's weights) whose every name one later sentence
    or part of the same section gives a number ("a possible set of parameters is $w_1 = -1$, ..."): checked at those
    numbers, never as a general identity; needs review when it fails there (the numbers or the equation are wrong).
    `items`: where the items of an exercise start ("(b)"): numbers given in a later item are that item's example."""
    if step.status != "skipped" or step.exprs is None or step.kind not in _EQUATIONS:
        return step
    labels = {b.base.label for e in step.exprs for b in e.atoms(sympy.Indexed)}
    atoms = {a for e in step.exprs for a in e.atoms(sympy.Symbol, sympy.Indexed) if a not in labels}
    groups: dict = {}  # the numbers each later sentence or part gives, in order: the first that gives every name
    for at_section, offset, atom, example in given:
        if at_section == section and offset > step.start and atom in atoms \
                and not any(step.start < i < offset for i in items):  # an example of a later item is its own
            groups.setdefault(example.end, {}).setdefault(atom, example)
    later = next((g for g in groups.values() if set(g) == atoms), None)
    if not atoms or later is None:
        return step
    values = {a: x.value for a, x in later.items()}
    shown = ", ".join(f"{x.text} (line {x.line})" for _, x in sorted(later.items(), key=lambda ax: str(ax[0])))
    conditions = [(a.xreplace(values), r, c.xreplace(values)) for a, r, c in step.conditions]
    remaining = float("inf") if until is None else until - time.monotonic()
    if remaining <= 0:
        return step  # the scan's time limit: it stays as it was decided
    try:
        with deadline(timeout, wall=remaining):
            outcome = check(step.exprs[0].xreplace(values), step.relation, step.exprs[1].xreplace(values), conditions,
                            seed=step.text)
    except Timeout:
        return step
    except Exception:  # noqa: BLE001 - numbers that cannot be checked decide nothing: it stays skipped
        return step
    if outcome.status in ("proved", "checked"):
        return dataclasses.replace(step, status="checked", read_by=("scan",),
                                   reason=f"holds with {shown}, numbers the material gives later in its section, not as a "
                                          f"general identity ({outcome.reason})")
    if outcome.status == "refuted":
        return dataclasses.replace(step, status="needs review", counterexample=outcome.counterexample, read_by=("scan",),
                                   reason=f"with {shown}, numbers the material gives later in its section: "
                                          f"{outcome.reason}; review it (the numbers or the equation are wrong)")
    return step


# Words before a formula that say it defines what its left side names (a second formula for it is a new definition).
_DEFINING = re.compile(r"\b(?:let|define[sd]?|redefine[sd]?|denote[sd]?|consider|suppose|instead)\b", re.IGNORECASE)

# Words before a number given to a name that make it a value of its scope ("Let $\eta = 0.5$", "Set", "Fix",
# "Assume", "Throughout"), which an introduction gives all its parts; not "take", "for example", "e.g.".
_HELD = re.compile(r"\b(?:let|set|fix|assume|suppose|throughout|define|denote|we\s+use)\b", re.IGNORECASE)
# Words in a number's sentence that make it an example ("For example, let $s = 2$", "e.g.", "for instance", "say",
# "consider the case"): it holds in its sentence or part only, whatever other words the sentence has.
_EXAMPLE = re.compile(r"\b(?:for\s+(?:example|instance)|e\.\s?g\.|say|consider\s+the\s+case|as\s+an\s+example)(?!\w)",
                      re.IGNORECASE)

# A line that starts a new part of an exercise: an item ("(b)", "b)", "2.", "-", "\item", "**(b)**") or "Part".
_PART = re.compile(r"\n[ \t]*(?:\n|(?:\*\*|__)?\(?[a-z0-9ivx]{1,4}[).](?:\*\*|__)?[ \t]|[-*+][ \t]|\\item\b|part\b|#)",
                   re.IGNORECASE)


# A line that starts a lettered item of an exercise ("(b)", "b)", "**(b)**", "(ii)", "Part"; not a list's bullets or
# numbers, which may list equations).
_ITEM = re.compile(r"\n[ \t]*(?:(?:\*\*|__)?\([a-z]{1,4}\)(?:\*\*|__)?[ \t]|[a-z]\)[ \t]|part\b)", re.IGNORECASE)


def _part_end(text: str, sentence_end: int) -> int:
    """Where the sentence or part ending at sentence_end ends: the next blank line or part (see _PART) after the
    sentence; a number given to a name there holds up to it."""
    m = _PART.search(text, max(sentence_end - 1, 0))
    return m.start() if m else len(text)


def _unboxed(body: str) -> str:
    """A formula's body with each \\boxed{...} opened, its text kept where it was (the braces become spaces)."""
    out = body
    for m in reversed(list(re.finditer(r"\\boxed\s*\{", body))):
        depth, at = 1, m.end()
        while at < len(out) and depth:
            depth += (out[at] == "{") - (out[at] == "}")
            at += 1
        if depth == 0:
            out = out[:m.start()] + " " * (m.end() - m.start()) + out[m.end():at - 1] + " " + out[at:]
    return out


def _piece_step(base: dict, role, defs: Definitions, found: Sequence[Span], document: Document,
                part_end: int, refused: set) -> Optional[Step]:
    """The step of a formula that is part of a function defined piece by piece in prose (proofs.scan.piecewise): the
    whole definition at its first piece, read as cases; None for any other formula. `refused`: the first formulas
    found to be second formulas for a function its section defined before, whose pieces are skipped with them."""
    if role is None:
        return None
    kind, what, name, body = role
    if kind == "first":
        left, right = base["left"], base["right"]
        variables = step_variables(left, right, defs, base["start"]) if "(" in left + right else frozenset()
        defined = defs.defining(left, right, base["relation"], True, variables, base["start"])
        if defined is None or defined[0].kind != "function":
            return None
        # a function its section defined before, given pieces in prose ("Let $f(x) = |x|$. Then $f(x) = x$ for $x > 0$"):
        # a claim about it or a new definition, as any second formula
        words = re.split(r"\$|\\\]|\\end\s*\{[^{}]*\}", found[what].before)[-1]
        introduced = _DEFINING.search(words) is not None
        values = [row.split("&")[0].strip() for row in body[len("\\begin{cases} "):-len(" \\end{cases}")].split(" \\\\ ")]
        second = ""
        for value in values:  # each piece against the formula before: one that differs makes the pieces a second formula
            second = second or defs.second_formula(defined[0], left, value, base["relation"], introduced)
        if second:
            refused.add(what)
            return Step(**base, status="skipped", reason=second)
        return Step(**base, status="definition", reason=defs.record(defined[0], body, base["line"], part_end, "="))
    if what in refused:
        line = document.line_of(found[what].start)[0]
        return Step(**base, status="skipped", reason=f"a piece of the second formula for {name} on line {line}: a claim "
                                                     "about it or a new definition, which the scan cannot tell apart")
    if defs.texts.get(name) != body:
        return None  # the first piece did not define the function (sigma(x) = 0.5 for x = 0 is a value of it)
    line = document.line_of(found[what].start)[0]
    if kind == "piece":
        return Step(**base, status="definition", reason=f"a piece of the definition on line {line}, read with it as cases")
    return Step(**base, status="skipped", reason=f"a condition of a piece of the definition on line {line}, read with it "
                                                 "as cases")


def _step(base: dict, chain: Chain, k: int, span: Span, defs: Definitions, conditions, second_reader: bool = True,
          part_end: int = -1, condition: Optional[bool] = None, matrix: Optional[MatrixScan] = None,
          facts: Sequence = (), printed: bool = False, nonreal: Optional[dict] = None, log_base: Optional[str] = None,
          assumed: Sequence = (), assumed_unread: Sequence = (), converse: Optional[str] = None,
          hypotheses: tuple = (frozenset(), frozenset())) -> Step:
    left, relation, right = base["left"], base["relation"], base["right"]
    if not left or not right:
        return Step(**base, status="skipped", reason="a side of it is in another formula (a chain continued across formulas)")
    if log_base == "several" and (kinds.has_bare_log(left) or kinds.has_bare_log(right)):
        return Step(**base, status="skipped", reason="a \\log without a base, where the material gives \\log more than one base")
    left, right = kinds.in_base(left, log_base), kinds.in_base(right, log_base)  # \log as its prose declares it
    implication = next((p for p, r in zip(chain.printed, chain.relations) if r in ("⇒", "⇔", "→")), None)
    if implication:
        return Step(**base, status="skipped", reason=f"a condition or a conclusion of an implication ({implication}), not an identity")
    if converse:
        return Step(**base, status="skipped", reason=converse)
    if relation == "∈" and re.match(r"\\mathbb\s*\{?R\b", right) and matrix is not None:
        return Step(**base, status="definition", reason=f"declares {' '.join(left.split())} ∈ {' '.join(right.split())}")
    if relation not in CHECKED and relation != ":=" and not (relation == "≈" and rounded.decimal_side(left, right)):
        return Step(**base, status="skipped", reason=f"the relation {chain.printed[k]} is not checked")
    softmax = _softmax(left, right) if k == 0 and relation in ("=", ":=") else None
    if softmax is not None:  # yhat = softmax(z): yhat defined entry by entry
        variables = frozenset()
        defined = defs.defining(*softmax, relation, True, variables, base["start"])
        if defined is not None:
            if matrix is not None:
                matrix.define(left, right, base["line"])
            return Step(**base, status="definition", reason=defs.record(*defined, base["line"], part_end, relation))
    variables = step_variables(left, right, defs, base["start"]) if "(" in left + right else frozenset()
    defined = defs.defining(left, right, relation, k == 0, variables, base["start"])
    if defined is not None and matrix is not None and matrix.applies(base["text"]) and matrix.claim(left):
        defined = None  # a second formula for something defined before: a claim about it
    if defined is not None and relation != ":=" and defined[0].kind != "function" \
            and (span.condition if condition is None else condition) and _hypothesis(span, counterfactual=True):
        defined = None  # "... when $m = 0$", "even if $a = b$": a condition, not a definition (of a value)
    if defined is not None and relation != ":=" \
            and (_letters(left + " " + right) & hypotheses[0] or defined[0].name in hypotheses[1]):
        defined = None  # "If $x = 2$, then $x^2 = 5$", "$s^2 = t^2$, where $s = t$": a claim under them, defining nothing
    if defined is not None:
        h, body = defined
        words = re.split(r"\$|\\\]|\\end\s*\{[^{}]*\}", span.before)[-1]  # the prose since the formula before it
        second = defs.second_formula(h, left, right, relation, _DEFINING.search(words) is not None)
        if second:
            return Step(**base, status="skipped", reason=second)
        if matrix is not None:
            matrix.define(left, right, base["line"])
        return Step(**base, status="definition", reason=defs.record(h, body, base["line"], part_end, relation))
    if relation == ":=":  # written as a definition, of something that is not a name: no claim to check
        return Step(**base, status="skipped", reason=f"written as a definition ({chain.printed[k]}), of what the scan does not read as a name to define")
    if span.condition if condition is None else condition:
        if matrix is not None:
            matrix.condition(left, relation, right, base["line"])
        return Step(**base, status="skipped", reason="a condition or a wish (introduced by the words before it), not a claim")
    if matrix is not None and relation != "≈" and matrix.applies(base["text"]):
        decided = _matrix_step(base, span, matrix, conditions)
        if decided is not None:
            return decided
    exponents = _exponents(left + right)
    domain: list = []  # where the sides as read are their real values
    try:
        ctx = dataclasses.replace(defs.context(exponents), variables=variables,
                                  undefined=frozenset(defs.undefined - variables))
        exprs = (parse(left, ctx, guards=domain), parse(right, ctx, guards=domain))
    except Skip as exc:
        return Step(**base, status="skipped", reason=str(exc))
    approximate = _approximation(base, chain.printed[k], exprs)
    if approximate is not None:
        return approximate
    try:  # as printed, without the values defined before it: which names the step itself is about
        bare = dataclasses.replace(defs.context(exponents, values=False), variables=variables,
                                   undefined=frozenset(defs.undefined - variables))
        written = (parse(left, bare), parse(right, bare))
    except Skip:
        written = exprs
    if printed:
        base = {**base, "printed": _printed(left, right, bare, defs)}
    conditions = _with_assumptions(conditions, exprs, assumed, assumed_unread)
    # the lengths the material declares (x in R^n), and those its prose gives ("with $n$ samples $x_i$")
    dims = {**{k: (v, 1) for k, v in matrix.model.lengths.items()}, **matrix.model.dims} if matrix is not None else None
    entries = sums.entrywise(exprs, defs.values)
    if entries is not None:  # dL/dz = yhat - y: entry by entry
        return _decide_sums(base, entries, relation, [*conditions[0], *facts], conditions[1], dims)
    # a capital the material gives as a length or a size ("sequence length $T$", x in R^N) is a number
    numbers = frozenset(d for shape in (dims or {}).values() for d in shape if isinstance(d, str))
    if matrix is not None:  # the sizes (a bound of a sum too) and the letters declared numbers ($K \in \mathbb{R}$)
        matrix.model.bounds |= bounds(left + " " + right)
        numbers |= matrix.model.sizes() | {k for k, v in matrix.model.kinds.items() if v == "scalar"}
        # a letter its own part declares a number is one there, whatever another part of the section says of it
        nonreal = {k: v for k, v in (nonreal or {}).items() if matrix.model.kinds.get(str(k)) != "scalar"}
    doubt = (_vector_reading(*written, numbers=numbers,
                             whole=frozenset(str(k) for k in (nonreal or {})))
             or _not_real(written, nonreal))
    if doubt:
        return Step(**base, status="skipped", exprs=exprs, reason=doubt)
    opaque = sorted({n for e in exprs for n in names_in(e)} & set(defs.opaque))
    if opaque:
        line, what = defs.opaque[opaque[0]]
        return Step(**base, status="skipped", exprs=exprs,
                    reason=f"uses {opaque[0]}, defined on line {line} ({what}) in a form the scan does not substitute")
    readings = [second_reading(side, expr, ctx) for side, expr in zip((left, right), exprs)] if second_reader else []
    differs = next((r for r in readings if r.verdict == "differs"), None)
    if differs is not None:
        return Step(**base, status="skipped", exprs=exprs, reason=f"read two ways: {differs.detail}")
    base = {**base, "read_by": ("scan", "sympy") if readings and all(r.verdict == "agrees" for r in readings) else ("scan",)}
    used = sorted({a for e in written for a in e.atoms(sympy.Symbol, sympy.Indexed) if a in defs.values}, key=str)
    substituted = "; with " + ", ".join(f"{defs.origin[a][0]} (line {defs.origin[a][1]})" for a in used) if used else ""
    sized = sums.sized(exprs, dims) if not sums.applies(exprs, [*conditions[0], *facts]) else {}
    if sized:  # a sum without bounds over the entries of vectors whose length the material gives: that length
        exprs, written = (tuple(e.xreplace(sized) for e in pair) for pair in (exprs, written))
        if base.get("printed") is not None:  # the sides as printed stay so
            base = {**base, "printed": (*(_kept(e, sized) for e in base["printed"][:2]), base["printed"][2])}
        # a length the prose calls a count is honoured: the sums are decided at each whole number of terms
        counted = {f"{s} is a count" for s in sized.values() if isinstance(s, sympy.Symbol)}
        # the length of vectors is a count: a sum over their entries is never inverted (see proofs.scan.sum_ranges)
        domain = [*domain, *((s, ">=", sympy.Integer(0)) for s in dict.fromkeys(sized.values())
                             if isinstance(s, sympy.Symbol))]
        conditions = (conditions[0], [w for w in conditions[1] if not any(w.startswith(c) for c in counted)])
    # a range whose bounds read names nothing states a condition on is read as not inverted (the n of a sum from 1
    # to n is at least 0), as the notation presupposes; a stated condition on those names alone gives their domain
    domain = [*domain, *sum_ranges.presupposed(exprs, [*conditions[0], *conditions[1], *facts])]
    general = _decide(base, exprs, written, relation, defs, conditions, domain, substituted, facts, dims, log_base,
                      _after_conditions(span))
    examples = defs.in_scope(base["start"])
    given = {a: x for e in exprs for a in e.atoms(sympy.Symbol, sympy.Indexed) if a in examples for x in [examples[a]]}
    if not given and general.status == "refuted" and not general.error:
        return _earlier_example(base, general, exprs, relation, defs, conditions, domain, dims, log_base)
    if not given or general.status in ("proved", "checked") or general.error:
        return general
    # a number its sentence or part gives a name: the step may be about that example, never a general identity
    at = {a: x.value for a, x in given.items()}
    shown = ", ".join(f"{x.text} (line {x.line})" for _, x in sorted(given.items(), key=lambda ax: str(ax[0])))
    held = {x.held for x in given.values()}
    where = ("a value its sentence or part gives" if held == {False} else
             "a value the introduction of its exercise or section gives" if held == {True} else
             "values its sentence or part and the introduction of its exercise or section give")
    read, unread = conditions
    valued = tuple(e.xreplace(at) for e in exprs)
    approximate = _approximation(base, relation, valued) if relation == "=" else None
    if approximate is not None:  # a decimal printed beside the example's value (2x = 0.67 with x = 1/3): a rounding
        return dataclasses.replace(approximate, exprs=None, reason=f"with {shown}, {where}: {approximate.reason}")
    example = _decide(base, valued, valued, relation, defs,
                      ([(a.xreplace(at), r, c.xreplace(at)) for a, r, c in read], unread),
                      [(a.xreplace(at), r, c.xreplace(at)) for a, r, c in domain], "", dims=dims, log_base=log_base)
    if example.status in ("proved", "checked"):
        fails = f"; as a general identity it {general.reason}" if general.status == "refuted" else ""
        return dataclasses.replace(example, status="checked", printed=None,
                                   reason=f"holds with {shown}, {where}, not as a general identity"
                                          f" ({example.reason}){fails}")
    if example.status in ("refuted", "needs review") and general.status not in ("refuted", "needs review"):
        # not an identity in general (an equation in the example's names): it fails at the example its part gives
        return dataclasses.replace(example, printed=None, reason=f"with {shown}, {where}: {example.reason}")
    return general  # refuted in general (whatever the example gives), or unknown: as it was read


def _approximation(base: dict, printed: str, exprs) -> Optional[Step]:
    """A step between a number and a decimal printed to a few places (proofs.scan.rounded): `\\approx` decided to the
    decimals printed (agreeing: skipped, an approximation is not proved; not agreeing: needs review), `=` with a
    rounded value skipped; None for any other step."""
    left, relation, right = base["left"], base["relation"], base["right"]
    if relation == "=":
        found = rounded.rounding(left, right, *exprs)
        if found is None:
            return None
        return Step(**base, status=found[0], exprs=exprs if found[0] == "skipped" else None, reason=found[1])
    if relation != "≈":
        return None
    decided = rounded.approximately(left, right, *exprs)  # (no sides kept: a draft states no claim about \approx)
    if decided is None:
        return Step(**base, status="skipped", reason=f"the relation {printed} is not checked")
    holds, why = decided
    return Step(**base, status="skipped" if holds else "needs review", reason=why)


def _earlier_example(base: dict, general: Step, exprs, relation: str, defs: Definitions, conditions, domain, dims,
                     log_base) -> Step:
    """A refuted step that holds with the numbers an earlier sentence or part of its section gives its names ("Let
    $\\eta = 0.5$." and, a paragraph later, a step true at eta = 1/2): the material may mean that value, so the step
    needs review rather than being refuted at a value the material never allows."""
    names = {a for e in exprs for a in e.atoms(sympy.Symbol, sympy.Indexed)}
    # (a value an earlier lettered part gives, "(a) take $x = 0$" ... "(b)", too: a number a part gives does not hold in
    # the later parts, but a step that holds only at it needs review, never refuted, whatever the parts' labels)
    earlier = {a: x for a, x in defs.examples.items() if a in names and x.end <= base["start"]}
    if not earlier:
        return general
    at = {a: x.value for a, x in earlier.items()}
    read, unread = conditions
    valued = tuple(e.xreplace(at) for e in exprs)
    example = _decide(base, valued, valued, relation, defs, ([(a.xreplace(at), r, c.xreplace(at)) for a, r, c in read], unread),
                      [(a.xreplace(at), r, c.xreplace(at)) for a, r, c in domain], "", dims=dims, log_base=log_base)
    if example.status not in ("proved", "checked"):
        return general
    shown = ", ".join(f"{x.text} (line {x.line})" for _, x in sorted(earlier.items(), key=lambda ax: str(ax[0])))
    return dataclasses.replace(general, status="needs review",
                               reason=f"{general.reason}; it holds with {shown}, a value an earlier sentence or part of its "
                                      "section gives: review whether the step means that value")


def _printed(left: str, right: str, bare, defs: Definitions) -> Optional[tuple]:
    """The sides as printed (see Step.printed): read without the values defined before the step, with each derivative
    kept, each function the material defines kept applied (f(2), f'(w)) and nothing evaluated (2(x + 1), x + x), and
    the definition of each name and function they use, its formula as printed too; None where a side is not read
    so, or a name it uses is defined entry by entry or in terms of another defined name."""
    if bare is None:
        return None
    try:
        ctx = dataclasses.replace(bare, printed=True)
        sides = (parse(left, ctx), parse(right, ctx))
        if any(isinstance(k, sympy.Indexed) and k.base.label in {a.base.label for e in sides for a in e.atoms(sympy.Indexed)}
               for k in defs.values):
            return None
        helpers: list = []
        pending, seen = list(sides), set()
        while pending:
            e = pending.pop(0)
            for a in sorted((e.free_symbols & set(defs.values)) - seen, key=str):
                seen.add(a)
                body = _formula(defs, a, ctx, (), defs.values[a])
                if any(s in defs.values for s in body.free_symbols):
                    return None
                helpers.append((a, body))
                pending.append(body)
            for f in sorted(e.atoms(AppliedUndef), key=str):
                name = type(f).__name__
                if name in seen:
                    continue
                seen.add(name)
                params, formula = defs.functions[name]
                body = _formula(defs, name, ctx, params, formula)
                helpers.append((type(f)(*params), body))
                pending.append(body)
    except Skip:
        return None
    except Exception:  # noqa: BLE001 - no printed form: a draft falls back to the sides as read
        return None
    return (*sides, tuple(helpers))


def _kept(e: sympy.Expr, mapping: dict) -> sympy.Expr:
    """e with the symbols in mapping replaced, nothing else evaluated (a side as printed stays as printed)."""
    if e in mapping:
        return mapping[e]
    if not e.args or not (e.free_symbols & set(mapping)):
        return e
    args = [_kept(a, mapping) for a in e.args]
    return e.func(*args, evaluate=False) if isinstance(e, (sympy.Add, sympy.Mul, sympy.Pow)) else e.func(*args)


def _formula(defs: Definitions, key, ctx, params: tuple, read: sympy.Expr) -> sympy.Expr:
    """A definition's formula as printed (read again from its text), or as read when its text is not read so."""
    text = defs.texts.get(key)
    if text is None:
        return read
    try:
        return parse(text, dataclasses.replace(ctx, variables=frozenset()), bound=params)
    except Skip:
        return read


def _decide(base: dict, exprs, written, relation: str, defs: Definitions, conditions, domain, substituted: str,
            facts: Sequence = (), dims: Optional[dict] = None, log_base: Optional[str] = None,
            claimed: bool = False) -> Step:
    """The step checked as read (exprs), with the rules that keep a step that is not an identity from being refuted.
    `claimed`: the step follows the conditions its sentence opens with (see `_after_conditions`)."""
    read, unread = conditions
    never = [f"{a} {r} {b}" for a, r, b in read if _never(a, r, b)]
    if never:  # "Let $s = t + 2$." ... "..., where $s = t + 1$": the condition as read with the definitions is false
        return Step(**base, status="needs review", exprs=exprs, conditions=read,
                    reason=f"its condition(s) {'; '.join(never)} never hold, as read"
                           + (f" with {substituted[len('; with '):]}" if substituted else "")
                           + ": a condition that contradicts a definition of its section, or itself (review it: a new "
                             "definition, or an error)")
    if sums.applies(exprs, [*read, *facts]):
        return _decide_sums(base, exprs, relation, [*read, *facts], unread, dims)
    try:
        lengths = {k: v[0] for k, v in (dims or {}).items() if v[1] == 1}  # each vector's declared length
        outcome, error = check(exprs[0], relation, exprs[1], read, seed=base["text"], domain=domain,
                               lengths=lengths), False
        if outcome.status == "refuted":
            other = _other_reading(exprs, relation, read, base["text"], domain, log_base)
            if other:
                return Step(**base, status="skipped", exprs=exprs, reason=other)
            outcome = _at_one_length(outcome, exprs, relation, read, base["text"], domain)
    except Timeout:
        raise
    except Exception as exc:  # noqa: BLE001 - a crash is reported on the step and fails the gate
        outcome, error = Outcome("unknown", f"checking it failed: {type(exc).__name__}: {str(exc)[:200]}"), True
    where = f" under {', '.join(f'{a} {r} {b}' for a, r, b in read)}" if read and outcome.status != "proved" else ""
    # a number on one side only, as printed, is a condition on the names of the other, unless the material defined them
    # (not an inequality whose sentence bounds every name it has: "for $p \in [0, 1]$, $p(1 - p) \le \frac14$" claims it)
    bounded = claimed and relation in ("<", "<=", ">", ">=") and bool(read) and {s for e in written for s in e.free_symbols} <= {
        s for a, _, c in read for s in a.free_symbols | c.free_symbols}
    if outcome.status in ("refuted", "needs review", "unknown") and not error and not outcome.determined \
            and not bounded and _one_side_constant(*written) and _one_side_constant(*exprs):
        free = sorted({str(s) for e in written for s in e.free_symbols if isinstance(s, sympy.Symbol)})
        return Step(**base, status="skipped", exprs=exprs, conditions=read,
                    reason=f"a relation between {', '.join(free) or 'its entries'} and a number: a condition on them (an equation "
                           "to solve), not an identity")
    # (a name its sentence gives a formula, "..., where $y = x + 1$", is no name the step gives a value)
    given = {a for a, r, _ in read if r == "=" and isinstance(a, (sympy.Symbol, sympy.Indexed))}
    lone = (_lone_name(*written, defined=[*defs.values, *given]) if outcome.status in ("refuted", "needs review", "unknown")
            and not error and not outcome.determined else None)
    if lone is not None:
        return Step(**base, status="skipped", exprs=exprs, conditions=read,
                    reason=f"gives {lone}, which appears nowhere else in it, a value or a bound (a definition or a "
                           "condition the scan did not recognise), not an identity")
    if outcome.status == "refuted" and _unhonoured(unread, outcome.counterexample, read):
        again = _at_whole_numbers(exprs, relation, read, domain, unread, outcome.counterexample)
        if again is not None:
            return Step(**base, status="refuted", reason=again[0], counterexample=again[1], exprs=exprs, conditions=read)
        unread = _unhonoured(unread, outcome.counterexample, read)
        return Step(**base, status="needs review", exprs=exprs, conditions=read, counterexample=outcome.counterexample,
                    reason=f"{outcome.reason}; its sentence states the condition(s) {'; '.join(unread)}, which could not "
                           "be read: review it (it fails unless one of them excludes the point)")
    natural = (" (each \\log without a base read as the natural logarithm: the material names no base)"
               if outcome.status in ("proved", "checked") and log_base is None and _BARE_LOG.search(base["text"]) else "")
    return Step(**base, status=outcome.status, reason=outcome.reason + where + substituted + natural,
                counterexample=outcome.counterexample, error=error, exprs=exprs, conditions=read)


_WHOLE_STATED = re.compile(r"^(\S+) is (a count|an integer)(?: (at least|at most) (-?\d+))?\b")


def _unhonoured(unread: Sequence[str], counterexample: Optional[dict], read: Sequence = ()) -> list:
    """The conditions the scan could not read that the counterexample may break: a count or an integer its section
    states is honoured where the point gives the name a whole number (positive for a count, any for the bound of a
    sum a condition of `read` speaks of; within the bound a decorated set gives, \\mathbb{Z}^{+} or \\mathbb{N}_0)."""
    values = (counterexample or {}).get("values") or {}
    # the names a condition gives a lower bound, as sum_ranges.presupposed reads them (None: any name may have one)
    stated = sum_ranges.bounded_below([*read, *unread])
    out = []
    for w in unread:
        m = _WHOLE_STATED.match(w)
        if m is not None and m.group(1) in values:
            try:
                v = Fraction(str(values[m.group(1)]))
            except (ValueError, ZeroDivisionError):
                v = None
            bound = int(m.group(4)) if m.group(4) is not None else None
            within = (bound is None or (v is not None and (v >= bound if m.group(3) == "at least" else v <= bound)))
            # a count is at least 1; the bound of a sum is read as one only where no condition the scan reads bounds
            # the name from below: a stated lower bound alone gives it ("for $n \ge 0$", $n \in \mathbb{Z}^{-}$), which
            # the point meets; one that only excludes values or bounds from above (n != 0, n <= 10) keeps the count
            presumed = (stated is None or m.group(1) in stated) and "the bound of a sum)" in w
            if v is not None and v.denominator == 1 and within and (m.group(2) == "an integer" or presumed or v >= 1):
                continue
        out.append(w)
    return out


# The most points a refutation that breaks a whole number its section states is tried at again with whole numbers.
_MAX_WHOLE_POINTS = 216


def _at_whole_numbers(exprs, relation: str, read: Sequence, domain: Sequence, unread: Sequence[str],
                      counterexample: Optional[dict]) -> Optional[tuple]:
    """(reason, counterexample) of the step refuted again where every name its section makes a whole number ("n is
    an integer at least 1", "a count") is one within its bound (a few in turn, the other values the scan's point),
    evaluated exactly by the plain evaluator with every condition (`read`, and the `domain` it is decided in) holding;
    None where the conditions the refutation breaks are not all such, or the step holds at every such point (the
    refutation then needs review). A count is tried from 1 on."""
    import itertools

    from proofs.scan.replay import decide, evaluate

    values = (counterexample or {}).get("values") or {}
    broken = _unhonoured(unread, counterexample, read)
    conditions = [*read, *domain]
    choices: dict = {}
    for w in broken:
        m = _WHOLE_STATED.match(w)
        if m is None or m.group(1) not in values:
            return None
        if m.group(2) == "a count":
            options = range(1, 6)
        elif m.group(4) is None:
            options = (0, 1, -1, 2, -2, 3)
        else:
            b = int(m.group(4))
            options = range(b, b + 5) if m.group(3) == "at least" else range(b, b - 5, -1)
        choices[m.group(1)] = list(options) if m.group(1) not in choices else [v for v in choices[m.group(1)] if v in options]
    names = sorted(choices)
    if not names or any(not choices[n] for n in names):
        return None
    try:
        base = {str(k): Fraction(str(v)) for k, v in values.items() if str(k) not in choices}
    except (ValueError, ZeroDivisionError, TypeError):
        return None
    for tried, combination in enumerate(itertools.product(*(choices[n] for n in names))):
        if tried >= _MAX_WHOLE_POINTS:
            return None
        point = {**base, **{n: Fraction(v) for n, v in zip(names, combination)}}
        try:
            if not all(decide(evaluate(a, point), r, evaluate(b, point)) is True for a, r, b in conditions):
                continue
            left, right = evaluate(exprs[0], point), evaluate(exprs[1], point)
        except Exception:  # noqa: BLE001 - a point not evaluated shows nothing
            continue
        if isinstance(left, Fraction) and isinstance(right, Fraction) and decide(left, relation, right) is False:
            shown = {k: str(v) for k, v in sorted(point.items())}
            example = {"values": shown, "left": str(left), "right": str(right)}
            if _unhonoured(unread, example, read):
                continue
            at = ", ".join(f"{k} = {v}" for k, v in shown.items())
            return (f"fails at {at} ({' and '.join(names)} {'a whole number' if len(names) == 1 else 'whole numbers'}, as its section says): the left side is "
                    f"{left}, the right side {right} (evaluated exactly)", example)
    return None


def _never(left, relation: str, right) -> bool:
    """Whether a condition with no names left is false (t + 2 = t + 1)."""
    try:
        difference = sympy.simplify(left - right)
        if difference.free_symbols or not difference.is_number or not difference.is_real:
            return False
        return {"=": difference != 0, "!=": difference == 0, "<": difference >= 0, "<=": difference > 0,
                ">": difference <= 0, ">=": difference < 0}.get(relation, False) is True
    except Exception:  # noqa: BLE001 - a condition not shown false is kept
        return False


def _decide_sums(base: dict, exprs, relation: str, facts: list, unread, dims: Optional[dict] = None) -> Step:
    """A step with sums without bounds or derivatives of them, decided at each length (proofs.scan.sums): the length
    of a sum over the entries of vectors the material declares (y in R^K) is theirs."""
    outcome = sums.decide_sums(exprs[0], relation, exprs[1], facts, seed=base["text"], dims=dims)
    if outcome is None:
        return Step(**base, status="skipped", exprs=exprs,
                    reason=f"a relation {relation} between sums without bounds, which the scan does not check")
    if outcome.status == "refuted" and _unhonoured(unread, outcome.counterexample):
        unread = _unhonoured(unread, outcome.counterexample)
        return Step(**base, status="needs review", exprs=exprs, counterexample=outcome.counterexample,
                    reason=f"{outcome.reason}; its sentence states the condition(s) {'; '.join(unread)}, which could not "
                           "be read: review it (it fails unless one of them excludes the point)")
    if outcome.status == "unknown":
        return Step(**base, status="skipped", exprs=exprs, reason=f"not decided: {outcome.reason}")
    return Step(**base, status=outcome.status, reason=outcome.reason, counterexample=outcome.counterexample, exprs=exprs,
                conditions=tuple(facts))


def _matrix_step(base: dict, span: Span, matrix: MatrixScan, conditions) -> Optional[Step]:
    """The step decided by the matrix reading (proofs.scan.matrix_steps), or None to read it as scalars."""
    matrix.trees, matrix.context = (), None
    verdict = matrix.decide(base["left"], base["relation"], base["right"], span.sentence, base["line"], base["text"],
                            base["end"])
    if verdict.status == "skipped" and not looks_matrix(base["text"]):
        return None
    trees = matrix.trees if verdict.status in ("checked", "refuted", "needs review") else None
    read, unread = conditions
    if verdict.status == "refuted" and (read or unread):
        # as for a scalar step under a condition that could not be read: never refuted, never a pass
        shown = "; ".join([f"{a} {r} {b}" for a, r, b in read] + list(unread))
        return Step(**base, status="needs review", counterexample=verdict.counterexample, exprs=trees, read_by=("scan",),
                    printed=matrix.context, reason=f"{verdict.reason}; its sentence states the condition(s) {shown}, which the matrix reading does "
                           "not honour: review it (it fails unless one of them excludes the instance)")
    return Step(**base, status=verdict.status, reason=verdict.reason, counterexample=verdict.counterexample,
                read_by=("scan",) if verdict.status != "skipped" else (), exprs=trees,
                printed=matrix.context if trees is not None else None)


def _assumption(step: Step, span: Span, text: str, defs: Definitions) -> list:
    """The condition a step states for the rest of its section ("Assume $x > 0$.", "Throughout, $a \\neq b$"): an
    inequality the words before it in its sentence make an assumption, read; or nothing."""
    if step.status != "skipped" or not step.reason.startswith(("a condition", "a relation between")) \
            or step.relation not in ("<", ">", "<=", ">=", "!="):
        return []
    if not kinds.standing(text[span.sentence[0]:span.start]):
        return []
    try:
        ctx = defs.context(_exponents(step.left + step.right))
        return [(parse(step.left, ctx), step.relation, parse(step.right, ctx))]
    except Skip:
        return []


def _symbols(*sides) -> set:
    """The names the sides of a condition use."""
    return {x for side in sides for x in sympy.sympify(side).free_symbols}


# Words that lift a condition stated before ("now drop this assumption", "we remove the condition on $n$", "in
# general", "however", "for other $n$"); "any", "every" and "all" before a letter are read by scopes.in_general, which
# keeps the assumptions for the members of a set ("for all $\lambda$ in the grid").
_LIFTS = re.compile(r"\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|lift(?:s|ed|ing)?|relax(?:es|ed|ing)?|without|"
                    r"no\s+longer|in\s+general|however|instead|arbitrary|general|other(?!\s+such\b))\b", re.IGNORECASE)
# Words that point at a condition stated before without naming its letter ("this assumption", "the condition").
_STATED = re.compile(r"\b(?:assumptions?|conditions?|hypothes[ie]s|restrictions?|constraints?|bounds?)\b", re.IGNORECASE)


def _lifted(sentence: str, assumed: Sequence) -> list:
    """The assumptions of a section (see _assumption) a later sentence may lift: it has words that lift a condition
    (see _LIFTS) and names a letter of the assumption, or points at a condition in words ("drop this assumption").
    Whether the assumption still holds is then unsure: a step does not rely on it, and a refutation is reviewed."""
    if not assumed or not _LIFTS.search(re.sub(r"\$[^$]*\$", " ", sentence)):
        return []
    letters = {m for f in re.findall(r"\$([^$]*)\$", sentence) for m in _letters(f)}
    every = _STATED.search(re.sub(r"\$[^$]*\$", " ", sentence)) is not None
    return [a for a in assumed if every or {str(x).lstrip("\\") for x in _symbols(a[0], a[2])} & letters]


def _with_assumptions(conditions, exprs, assumed: Sequence, unread: Sequence):
    """The conditions of a step's sentence with the assumptions and declared ranges of its section (see _assumption,
    kinds.domains) about its names, except those on a name its sentence states a condition about itself."""
    read, words = conditions
    names = {s for e in exprs for s in e.free_symbols}
    read = _about(read, names)
    own = {s for a, _, c in read for s in a.free_symbols | c.free_symbols}
    extra = []
    for a, relation, c in assumed:
        a, c = sympy.sympify(a), sympy.sympify(c)
        used = a.free_symbols | c.free_symbols
        if used and used <= names and not used & own and (a, relation, c) not in read:
            extra.append((a, relation, c))
    more = [what for name, what in unread if name in names and what not in words]
    if not extra and not more:
        return read, words
    return [*read, *extra], [*words, *more]


def _about(read: Sequence, names: set) -> list:
    """The conditions without an equation that gives a name the step does not use a formula ("... = \\sum_i 2(a + b
    x_i - y_i) = \\sum_i [2a + 2b x_i]$$ where $E = \\sum_i (a + b x_i - y_i)^2$"): some value of that name meets it
    whatever the step's names are, so it restricts nothing (it is kept when another condition reads the name)."""
    kept = list(read)
    for k, (a, relation, c) in enumerate(read):
        for name, formula in ((a, c), (c, a)):
            if relation != "=" or not isinstance(name, sympy.Symbol) or name in names or name in formula.free_symbols:
                continue
            if any(name in x.free_symbols or name in y.free_symbols for j, (x, _, y) in enumerate(read) if j != k):
                continue
            kept[k] = None
            break
    return [r for r in kept if r is not None]


def _not_real(exprs, nonreal: Optional[dict]) -> str:
    """Why a step the matrix reading left to the scalar one uses a name its section says is not a real number (a
    matrix, a vector, a complex number, ...), which reading it as one would get wrong; or ""."""
    found = kinds.nonreal_in(exprs, nonreal or {})
    if found is None:
        return ""
    return (f"its section says {found[0]} is not a real number ({found[1]}): the scan checks steps over the reals "
            "and does not read it as one")


def _outside_indices(e: sympy.Basic) -> set:
    """The symbols of an expression that stand by themselves, not as the name of an indexed entry (x of x[i])."""
    if isinstance(e, sympy.Indexed):
        return {s for i in e.indices for s in _outside_indices(i)}
    if isinstance(e, sympy.Symbol):
        return {e}
    return {s for a in e.args for s in _outside_indices(a)}


def _vector_reading(*exprs: sympy.Expr, numbers: frozenset = frozenset(), whole: frozenset = frozenset()) -> str:
    """Why the step may be about vectors or matrices, which reading its names as numbers would get wrong; or "".
    `numbers`: names the material gives as lengths or sizes, numbers whatever their case. `whole`: names its section
    declares a matrix or vector as a whole ("let $W$ be a matrix"), whose entries at a row and a column (W_{12}) are
    numbers."""
    labels = {a.base.label.name for e in exprs for a in e.atoms(sympy.Indexed)}
    bare = {s.name for e in exprs for s in _outside_indices(e)}
    both = sorted(labels & bare)
    if both:
        return f"{both[0]} appears with and without an index (a vector or a sequence), which the scan does not read"

    def capital(f) -> bool:
        name = f.base.label.name if isinstance(f, sympy.Indexed) else f.name if isinstance(f, sympy.Symbol) else ""
        if name in whole and isinstance(f, sympy.Indexed) and all(i.is_Integer and 11 <= int(i) <= 99 and "0" not in str(i)
                                                                  for i in f.indices):
            return False  # W_{12}: the entry in row 1, column 2 of the matrix W
        return len(name) == 1 and name.isupper() and name not in numbers

    # I is the identity matrix in course notation: read as a number it is 1 only, so no other value refutes.
    identity = [a for e in exprs for a in e.atoms(sympy.Symbol, sympy.Indexed) if capital(a) and
                (a.base.label.name if isinstance(a, sympy.Indexed) else a.name) == "I"]
    if identity:
        return "I, which may be the identity matrix, is not read as a number"

    def named(f) -> bool:
        return bool(f.free_symbols) and not f.is_number

    for e in exprs:
        for m in e.atoms(sympy.Mul):
            capitals = [f for f in m.args if capital(f) or isinstance(f, sympy.Pow) and capital(f.base)]
            if capitals and sum(1 for f in m.args if named(f)) >= 2:
                return ("a product with a capital-letter name (a matrix, which need not commute), which the scan does not "
                        "read as numbers")
    return ""


# The most names a sum written without bounds is tried with as its number of terms; with more, no refutation.
_MAX_LENGTH_NAMES = 8


# A \log written without a base (not \log_2, not \ln): its base is a reading the scan chooses where the prose names none.
_BARE_LOG = re.compile(r"\\log(?!_)(?![A-Za-z])")


def _at_one_length(outcome: Outcome, exprs, relation, conditions, text: str, domain=()) -> Outcome:
    """A refutation whose point gives the sums without bounds different lengths (\\sum_k p_k with p = softmax(z), the
    classes counted once as k and once as s) told at a point where they all have one length, when the step fails
    there too: the vectors a step sums over have one length in the material, and the point shown must be one of it."""
    values = (outcome.counterexample or {}).get("values") or {}
    lengths = sorted({s for e in [*exprs, *(c[0] for c in conditions), *(c[2] for c in conditions)]
                      for s in e.free_symbols if s.name.startswith("#")}, key=str)
    if len(lengths) < 2 or len({str(values.get(x.name)) for x in lengths}) == 1:
        return outcome

    def read(e):
        return e.xreplace({x: lengths[0] for x in lengths[1:]})
    try:
        same = check(read(exprs[0]), relation, read(exprs[1]), [(read(a), r, read(c)) for a, r, c in conditions],
                     seed=text, domain=[(read(a), r, read(c)) for a, r, c in domain])
        if same.status != "refuted" and not domain:  # decided at each whole length (the points above may be undefined)
            same = sums.decide_sums(read(exprs[0]), relation, read(exprs[1]),
                                    [(read(a), r, read(c)) for a, r, c in conditions], seed=text) or same
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - the first point stands
        return outcome
    shown = (same.counterexample or {}).get("values") or {}
    if same.status != "refuted" or lengths[0].name not in shown:
        return outcome
    values = {**shown, **{x.name: shown[lengths[0].name] for x in lengths[1:]}}
    return dataclasses.replace(same, reason=f"{same.reason} (every sum without bounds of the same length)",
                               counterexample={**same.counterexample, "values": values})


def _other_reading(exprs, relation, conditions, text: str, domain=(), log_base: Optional[str] = None) -> str:
    """Why a refuted step is not a counterexample: a reading its notation allows under which it holds (a \\log
    without a base in base 2 or 10; sums written without bounds all of one length, or of a length named in the step,
    as in \\frac{1}{n}\\sum_i); or "" when it fails under every reading."""
    logs = [("", None)]
    if _BARE_LOG.search(text) and "\\ln" not in text and log_base not in ("2", "10", "e"):
        logs += [(f"the \\log read in base {b}", b) for b in (2, 10)]
    everything = [*exprs] + [c[0] for c in conditions] + [c[2] for c in conditions]
    lengths = sorted({s for e in everything for s in e.free_symbols if s.name.startswith("#")}, key=str)
    sizes: list = [("", None)]
    if lengths:
        labels = {a.base.label for e in everything for a in e.atoms(sympy.Indexed)}
        names = sorted({s for e in everything for s in e.free_symbols
                        if isinstance(s, sympy.Symbol) and not s.name.startswith("#")} - labels, key=str)
        if len(names) > _MAX_LENGTH_NAMES:
            return "a sum without bounds whose number of terms may be any of its many names: not refuted"
        if len(lengths) > 1:
            sizes.append(("the sums without bounds all of one length", lengths[0]))
        sizes += [(f"each sum without bounds of {n} terms", n) for n in names]
    for log_text, b in logs:
        for size_text, n in sizes:
            if b is None and n is None:
                continue

            def read(e, b=b, n=n):
                if b is not None:
                    e = e.replace(lambda u: isinstance(u, sympy.log), lambda u: u / sympy.log(b))
                return e.xreplace({length: n for length in lengths}) if n is not None else e
            # a number of terms is a count (>= 0): an inverted range is empty, and a reading that holds only there
            # (every sum 0) is no reading
            counts = [(n, ">=", sympy.Integer(0))] if isinstance(n, sympy.Symbol) else []
            other = check(read(exprs[0]), relation, read(exprs[1]), [(read(a), r, read(c)) for a, r, c in conditions],
                          seed=text, domain=[*((read(a), r, read(c)) for a, r, c in domain), *counts])
            if other.status in ("proved", "checked"):
                how = " and ".join(x for x in (log_text, size_text) if x)
                if b is not None and n is None:
                    return "a \\log without a base: refuted for the natural log, but it holds for base 2 or 10"
                return f"refuted as read, but it holds with {how}, which its notation allows"
    return ""


def _lone_name(left: sympy.Expr, right: sympy.Expr, defined) -> "sympy.Expr | None":
    """A side that is a name alone, not defined before and absent from the other side (x̄ = (1/n) Σ x_i): the step
    gives it a value or a bound, which no point can refute."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, (sympy.Symbol, sympy.Indexed)) and one not in defined:
            if one not in other.atoms(sympy.Symbol, sympy.Indexed) and one not in other.free_symbols:
                return one
    return None


def _one_side_constant(left: sympy.Expr, right: sympy.Expr) -> bool:
    def free(e):
        return bool(e.free_symbols)
    return free(left) != free(right)
