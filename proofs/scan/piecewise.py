"""A function defined piece by piece in prose ("$f(x) = \\frac{1}{x}$ for $x \\neq 0$, and $f(x) = 0$ for $x = 0$"),
read as the cases definition it is: each piece's value with its own condition."""

from __future__ import annotations

import re
from typing import Sequence

from proofs.scan.chains import CHECKED, Chain
from proofs.scan.definitions import head
from proofs.scan.find import Span

__all__ = ["pieces"]

# The words after a piece's value that make it the value everywhere else.
_OTHERWISE = re.compile(r"\s*,?\s*(?:otherwise|elsewhere|else)\b", re.IGNORECASE)


def pieces(found: Sequence[Span], chained: Sequence[list[Chain]], conditional: Sequence[bool], text: str) -> dict:
    """{index of a formula: role} for the formulas of each sentence that define one function piece by piece (each
    `f(x) = value`, or after the first a value alone, followed by a condition formula or by "otherwise"; one piece with
    a condition defines the function where it holds only): "first" for the first
    piece, "piece" for each later piece and "condition" for the conditions; each role is (that kind, the index of the
    first piece, the function's name, the cases body)."""
    out: dict = {}
    by_sentence: dict = {}
    for k, span in enumerate(found):
        by_sentence.setdefault(span.sentence, []).append(k)
    for ks in by_sentence.values():
        rows, name = [], None
        for at, k in enumerate(ks):
            piece = _piece(chained[k])
            if piece is None and name is not None and not chained[k] and found[k].body.strip():
                piece = name, found[k].body.strip()  # "$f(x) = x$ if $x > 0$ and $0$ otherwise": a value alone
            if piece is None or any(k == row[3] for row in rows):
                continue
            f, value = piece
            if name is not None and f != name:
                continue
            nxt = ks[at + 1] if at + 1 < len(ks) else None
            if nxt is not None and conditional[nxt] and _condition(chained[nxt]) is not None:
                rows.append((k, value, _condition(chained[nxt]), nxt))
            elif _OTHERWISE.match(text[found[k].start + len(found[k].body):][:40].lstrip("$").lstrip("\\)")):
                rows.append((k, value, "\\text{otherwise}", None))
            else:
                continue
            name = f
        if not rows or len(rows) == 1 and not _restricted(rows[0], found, chained, text):
            continue  # one piece with a condition defines the function there only ("$f(x) = x$ for $x > 0$.")
        body = "\\begin{cases} " + " \\\\ ".join(f"{v} & {c}" for _, v, c, _ in rows) + " \\end{cases}"
        first, fname = rows[0][0], head(name).name
        out[first] = ("first", first, fname, body)
        for k, _, _, cond in rows:
            if k != first:
                out[k] = ("piece", first, fname, body)
            if cond is not None:
                out[cond] = ("condition", first, fname, body)
    return out


# The words between a function's one piece and the condition that restricts it ("for", "if", a comma alone).
_RESTRICTING = re.compile(r"[\s$]*(?:,\s*)?(?:(?:for|if|when|whenever|provided|with)\s+(?:all\s+|every\s+|each\s+)?)?[\s$]*",
                          re.IGNORECASE)


def _restricted(row: tuple, found: Sequence[Span], chained: Sequence[list[Chain]], text: str) -> bool:
    """Whether one piece is followed by an inequality that restricts it, with a condition word or a comma alone
    between them ("$f(x) = x$ for $x > 0$", "$f(x) = 2x$, $x > 0$"), not by another formula of a list of definitions."""
    k, _, _, cond = row
    if cond is None or chained[cond][0].relations[0] not in ("<", ">", "<=", ">=", "!="):
        return False
    between = text[found[k].start + len(found[k].body):found[cond].start]
    return _RESTRICTING.fullmatch(between) is not None


def _piece(chain_list: list[Chain]):
    """(the function's head text, the value) when a formula is one `f(x) = value` with f applied to names."""
    if len(chain_list) != 1 or chain_list[0].relations != ("=",):
        return None
    left, right = (p.text.strip() for p in chain_list[0].sides)
    h = head(left)
    if h is None or h.kind != "function" or not right:
        return None
    return " ".join(left.split()), right


def _condition(chain_list: list[Chain]):
    """The condition a formula states, as one relation (x \\neq 0), or None."""
    if len(chain_list) != 1 or len(chain_list[0].relations) != 1 or chain_list[0].relations[0] not in CHECKED:
        return None
    c = chain_list[0]
    return f"{c.sides[0].text.strip()} {c.printed[0]} {c.sides[1].text.strip()}"
