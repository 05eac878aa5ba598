"""Evidence as bounded JSON values: exact numbers stay exact, every size is bounded, and conversion never fails."""

from __future__ import annotations

import fractions
import math
import re
from typing import Any, Mapping

__all__ = ["MAX_DEPTH", "MAX_ITEMS", "MAX_CHARS", "MAX_DIGITS", "jsonable", "text", "integer"]

# containers nested deeper than this become a marker string
MAX_DEPTH = 32
# items kept from one list, set or mapping; the rest is counted in a marker
MAX_ITEMS = 1000
# characters kept from one string
MAX_CHARS = 20_000
# digits an integer may have and stay a JSON number; longer ones become text showing both ends
MAX_DIGITS = 300
# values (containers, numbers, strings) converted in one call before everything further becomes a marker
_MAX_NODES = 200_000
# characters converted in one call; later strings are cut to what is left (at least a short prefix)
_MAX_TOTAL_CHARS = 2_000_000
# sets larger than this are not sorted item by item (too costly); they are reported by size
_MAX_SET = 100_000

_SURROGATE = re.compile("[\ud800-\udfff]")


def text(value: Any, limit: int = MAX_CHARS) -> str:
    """Any value as a string safe to encode: lone surrogates replaced by U+FFFD, cut at `limit` with a visible marker.

    A string is taken as it is (a str subclass by its content); anything else by its bounded repr. Never raises.
    """
    if isinstance(value, str):
        s = str.__str__(value)
    else:
        s = _repr(value, limit)
    if len(s) > limit:
        s = f"{s[:limit]}… [{len(s) - limit} more characters]"
    return _SURROGATE.sub("\ufffd", s)


def integer(value: int) -> Any:
    """An int as itself when it has at most MAX_DIGITS digits, else as text naming its size and both ends."""
    value = int(value)
    bits = abs(value).bit_length()
    if bits <= MAX_DIGITS * 3:  # at most 271 digits: str() is safe and cheap
        return value
    if bits > 3_000_000:  # about 900,000 digits: even counting them exactly is costly
        return f"<int of about {int(bits * math.log10(2)) + 1} digits>"
    magnitude = abs(value)
    digits = int((bits - 1) * math.log10(2)) + 1
    while digits > 1 and magnitude < 10 ** (digits - 1):
        digits -= 1
    while magnitude >= 10 ** digits:
        digits += 1
    if digits <= MAX_DIGITS:
        return value
    sign = "-" if value < 0 else ""
    head = magnitude // 10 ** (digits - 12)
    tail = magnitude % 10 ** 12
    return f"<int of {digits} digits: {sign}{head}…{tail:012d}>"


def _number_text(value: int) -> str:
    shown = integer(value)
    return str(shown) if isinstance(shown, int) else shown


def _repr(value: Any, limit: int) -> str:
    try:
        s = repr(value)
    except Exception as exc:  # noqa: BLE001 - a value that cannot even describe itself is still reported
        return f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    if not isinstance(s, str):
        return f"<unrepresentable {type(value).__name__}>"
    return s[: limit + 1]


class _Converter:
    """One conversion: the budgets it has left and whether unknown values raise (strict) or become their repr."""

    def __init__(self, strict: bool) -> None:
        # raise TypeError for values with no JSON form (unknown types, non-string keys) instead of reporting their repr
        self.strict = strict
        # values still allowed in this conversion
        self.nodes = _MAX_NODES
        # characters still allowed in this conversion
        self.chars = _MAX_TOTAL_CHARS

    def string(self, value: Any) -> str:
        s = text(value, max(200, min(MAX_CHARS, self.chars)))
        self.chars -= len(s)
        return s

    def convert(self, value: Any, depth: int) -> Any:
        self.nodes -= 1
        if self.nodes < 0:
            return "<evidence too large: the rest is left out>"
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, int):
            return integer(value)
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else repr(float(value))
        if isinstance(value, fractions.Fraction):
            if value.denominator == 1:
                return integer(value.numerator)
            return f"{_number_text(value.numerator)}/{_number_text(value.denominator)}"
        if isinstance(value, (Mapping, list, tuple, set, frozenset)):
            if depth >= MAX_DEPTH:
                return f"<nested deeper than {MAX_DEPTH} levels>"
            try:
                if isinstance(value, Mapping):
                    return self.mapping(value, depth)
                if isinstance(value, (set, frozenset)):
                    return self.set(value, depth)
                return self.sequence(value, depth)
            except Exception as exc:  # noqa: BLE001 - a container that fails to list its items (items() raising...)
                if self.strict:
                    raise
                return f"<unreportable {type(value).__name__}: {type(exc).__name__}>"
        if type(value).__module__.startswith("sympy"):
            return self.sympy(value)
        if self.strict:
            raise TypeError(f"evidence value of type {type(value).__name__} is not reportable: {text(value, 200)}")
        return self.string(f"<{type(value).__name__}: {text(value, 200)}>")

    def mapping(self, value: Mapping, depth: int) -> dict:
        out: dict[str, Any] = {}
        for n, (key, item) in enumerate(value.items()):
            if n == MAX_ITEMS:
                out["…"] = f"{len(value) - MAX_ITEMS} more entries left out"
                break
            if not isinstance(key, str):
                if self.strict:
                    raise TypeError(f"evidence keys must be strings, got {text(key, 200)}")
                key = text(key, 200)
            out[self.string(key)] = self.convert(item, depth + 1)
        return out

    def sequence(self, value, depth: int) -> list:
        out = [self.convert(v, depth + 1) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            out.append(f"… {len(value) - MAX_ITEMS} more items left out")
        return out

    def set(self, value, depth: int) -> Any:
        if len(value) > _MAX_SET:
            return f"<set of {len(value)} items>"
        items = sorted((self.convert(v, depth + 1) for v in value), key=repr)
        if len(items) > MAX_ITEMS:
            items = [*items[:MAX_ITEMS], f"… {len(items) - MAX_ITEMS} more items left out"]
        return items

    def sympy(self, value: Any) -> str:
        p, q = getattr(value, "p", None), getattr(value, "q", None)
        if getattr(value, "is_Rational", False) and isinstance(p, int) and isinstance(q, int):
            return _number_text(p) if q == 1 else f"{_number_text(p)}/{_number_text(q)}"
        try:
            return self.string(str(value))
        except Exception as exc:  # noqa: BLE001 - e.g. a huge integer inside an expression
            return f"<{type(value).__name__} that cannot be printed: {type(exc).__name__}: {text(exc, 200)}>"


def jsonable(value: Any, *, strict: bool = False) -> Any:
    """Convert evidence to bounded JSON values, keeping exact numbers exact.

    A Fraction becomes "p/q", a sympy object its text; a non-finite float its repr ("inf", "nan"); an integer of
    more than MAX_DIGITS digits the text "<int of N digits: 123…789>". Strings lose lone surrogates and are cut at
    MAX_CHARS, containers at MAX_ITEMS items and MAX_DEPTH levels, each with a visible marker. Never raises: a value
    with no JSON form becomes its bounded repr, except that with strict=True it raises TypeError (a check that
    returns such evidence is an error of its claim).
    """
    try:
        return _Converter(strict).convert(value, 0)
    except Exception as exc:  # noqa: BLE001 - whatever a hostile value does, the report goes on
        if strict:
            raise
        return f"<unreportable {type(value).__name__}: {type(exc).__name__}>"
