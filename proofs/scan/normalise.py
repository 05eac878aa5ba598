"""What course material writes, rewritten to the few forms the scan's parser reads: spacing, sizing and synonyms."""

from __future__ import annotations

import re

__all__ = ["normalise", "tokens", "Token", "Skip"]


class Skip(Exception):
    """Raised while reading a formula that cannot be read with certainty; the message is the reason shown."""


# sizing commands before a delimiter (\left( \bigl[ \Big|); \left. and \right. stand for no delimiter at all
_SIZING = re.compile(r"\\(?:left|right|middle|[bB]ig{1,2}[lrm]?)(?![A-Za-z])\s*(\.)?")
# commands that only change spacing or style, and alignment marks
_NOISE = re.compile(
    r"\\(?:quad|qquad|displaystyle|textstyle|limits|nolimits|thinspace|medspace|thickspace|enspace|negthinspace)(?![A-Za-z])"
    r"|\\hspace\*?\{[^{}]*\}|\\[,;:!> ]|(?<!\\)~|(?<!\\)&"
    r"|\\(?:label|tag\*?)\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])"
)
# the same thing written another way, rewritten to one spelling
_SYNONYMS = [
    (re.compile(r"\\[dt]frac(?![A-Za-z])"), r"\\frac"),
    # \frac12 is \frac{1}{2} (TeX takes one token for each argument); \frac123 stays unread
    (re.compile(r"\\frac\s*(\d)\s*(\d)(?!\d)"), r"\\frac{\1}{\2}"),
    (re.compile(r"\\times(?![A-Za-z])"), r"\\cdot "),
    (re.compile(r"\\ln(?![A-Za-z])"), r"\\log"),
    (re.compile(r"\\(?:lvert|rvert|vert)(?![A-Za-z])"), "|"),
    (re.compile(r"\\(?:lVert|rVert|Vert)(?![A-Za-z])"), r"\\|"),
    (re.compile(r"\^\{?\\prime\}?|\^\{\s*'\s*\}"), "'"),
    (re.compile(r"\\top(?![A-Za-z])"), "T"),
    # an accent over one letter or command without braces (\hat y, \bar\theta) is the same as with them
    (re.compile(r"\\(hat|bar|tilde|vec|dot|ddot|check|breve|mathbf|boldsymbol|bm)(?![A-Za-z])\s*([A-Za-z0-9]|\\[A-Za-z]+)"),
     r"\\\1{\2}"),
]
# a number, a letter, a command (a backslash and letters, or one other character), or one character
_TOKEN = re.compile(r"\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\\[A-Za-z]+|\\.|\S")


def normalise(text: str) -> str:
    """The formula with sizing, spacing and alignment removed and synonyms rewritten; trailing punctuation dropped."""
    out = _SIZING.sub("", text)
    out = _NOISE.sub(" ", out)
    for pattern, replacement in _SYNONYMS:
        out = pattern.sub(replacement, out)
    out = " ".join(out.split())
    return re.sub(r"(?:\s*[,.;])+$", "", out).strip()


class Token(str):
    """A token of a normalised formula; `spaced` says whether whitespace came before it."""

    spaced: bool = False


def tokens(text: str) -> list[Token]:
    """The tokens of a normalised formula (see `normalise`)."""
    out = []
    for m in _TOKEN.finditer(text):
        t = Token(m.group())
        t.spaced = m.start() > 0 and text[m.start() - 1].isspace()
        out.append(t)
    return out
