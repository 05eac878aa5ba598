"""Witness domains: a replay reads every witness value through one, so a value outside the claim's domain is forged.

Each is a `proofs.domains.Domain` of kind "custom" (the one Domain class statements use too); `Domain` here is that
class, kept under this name for packs that import it from here."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Mapping, Optional, Sequence

from proofs import ForgedWitness
from proofs import OUTSIDE, Domain

__all__ = ["Domain", "read", "exact", "integer", "rational", "real", "BIT", "bits", "member", "exactly", "listof", "record",
           "table", "either"]


# The one Domain class (proofs.domains): a witness field's domain is one of kind "custom", read by its `parse`; a
# number domain (Real, IntRange(0, 3), ...) may be given to `read` too.
_OUTSIDE = OUTSIDE


def _field(name: str, parse: Callable[[Any], Any]) -> Domain:
    return Domain(name, "custom", parse=parse)


def _raw(domain: Domain, value: Any) -> Any:
    """The value read by a domain of either kind, or _OUTSIDE."""
    if domain.parse is not None:
        return domain.parse(value)
    try:
        return domain.read(value)
    except ForgedWitness:
        return _OUTSIDE


def read(witness: Any, **domains: Domain) -> dict[str, Any]:
    """The witness's values, each read through its domain (a field's, or a number domain such as IntRange(0, 3)):
    exactly the fields named, none missing, none extra."""
    if not isinstance(witness, Mapping):
        raise ForgedWitness(f"the witness must be a mapping of field names to values, got {type(witness).__name__}")
    missing = sorted(set(domains) - set(witness))
    extra = sorted(map(str, set(witness) - set(domains)))
    if missing or extra:
        raise ForgedWitness(f"the witness has fields {sorted(map(str, witness))}; this claim's witness has exactly "
                            f"{sorted(domains)}")
    return {key: _parse(key, witness[key], domain) for key, domain in domains.items()}


def _parse(key: str, value: Any, domain: Domain) -> Any:
    return domain.read(value, key)


def exact(value: Any) -> Optional[Fraction]:
    """An exact rational from an int, a Fraction, a "p/q" string or a sympy rational; None for anything else
    (floats, booleans, None, other strings)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        if not text or any(c not in "0123456789-/" for c in text):
            return None
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            return None
    if type(value).__module__.startswith("sympy") and getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    return None


def _bounded(v: Optional[Fraction], lo, hi) -> bool:
    return v is not None and (lo is None or v >= lo) and (hi is None or v <= hi)


def _span(lo, hi) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f" >= {lo}"
    if lo is None:
        return f" <= {hi}"
    return f" in {lo}..{hi}"


def integer(lo: Optional[int] = None, hi: Optional[int] = None) -> Domain:
    """An exact integer between lo and hi (inclusive, either open), read as int."""
    def parse(value):
        v = exact(value)
        return int(v) if _bounded(v, lo, hi) and v.denominator == 1 else _OUTSIDE
    return _field(f"an integer{_span(lo, hi)}", parse)


def rational(lo=None, hi=None, *, positive: bool = False) -> Domain:
    """An exact rational between lo and hi (inclusive); with positive, strictly above 0. Read as Fraction."""
    def parse(value):
        v = exact(value)
        return v if _bounded(v, lo, hi) and (not positive or v > 0) else _OUTSIDE
    return _field(f"an exact {'positive ' if positive else ''}rational{_span(lo, hi)}", parse)


def real() -> Domain:
    """A finite real number, measured (a float) or exact; read as float."""
    def parse(value):
        if isinstance(value, float):
            return value if math.isfinite(value) else _OUTSIDE
        v = exact(value)
        if v is None and isinstance(value, str) and value.startswith("root-obj "):
            return _algebraic(value)  # z3's algebraic number, read as every Domain reads it
        return _OUTSIDE if v is None else float(v)
    return _field("a finite real number", parse)


def _algebraic(value: str) -> Any:
    from proofs import exact_number

    try:
        return float(exact_number(value, "the value"))
    except ForgedWitness:
        return _OUTSIDE


# A binary value, 0 or 1.
BIT = _field("a bit, 0 or 1", integer(0, 1).parse)


def bits(length: Optional[int] = None, *, nonempty: bool = False) -> Domain:
    """A string of the characters 0 and 1 (of the given length), read as a list of ints."""
    def parse(value):
        if not isinstance(value, str) or set(value) - {"0", "1"}:
            return _OUTSIDE
        if (length is not None and len(value) != length) or (nonempty and not value):
            return _OUTSIDE
        return [int(c) for c in value]
    return _field(f"a string of 0s and 1s{f' of length {length}' if length is not None else ''}", parse)


def member(choices: Sequence[Any]) -> Domain:
    """One of the listed values, compared exactly (numbers as numbers); read as the listed value itself."""
    choices = tuple(choices)

    def parse(value):
        for c in choices:
            if _same(value, c):
                return c
        return _OUTSIDE
    return _field(f"one of {list(choices)!r}", parse)


def exactly(expected: Any) -> Domain:
    """The one value the claim's parameters imply (numbers compared exactly, sequences as lists)."""
    def parse(value):
        return expected if _same(value, expected) else _OUTSIDE
    return _field(f"{expected!r}, the value this claim implies", parse)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return type(a) is type(b) and a == b
    ea, eb = exact(a), exact(b)
    if ea is not None or eb is not None:
        return ea is not None and ea == eb
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        sa, sb = {str(k): v for k, v in a.items()}, {str(k): v for k, v in b.items()}
        return len(sa) == len(a) and len(sb) == len(b) and sa.keys() == sb.keys() and all(_same(sa[k], sb[k]) for k in sa)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def listof(domain: Domain, length: Optional[int] = None, *, nonempty: bool = False) -> Domain:
    """A list (or tuple) of values each in domain, of the given length; read as a list."""
    def parse(value):
        if not isinstance(value, (list, tuple)) or (length is not None and len(value) != length) or (nonempty and not value):
            return _OUTSIDE
        out = [_raw(domain, v) for v in value]
        return _OUTSIDE if any(v is _OUTSIDE for v in out) else out
    return _field(f"a list{f' of {length}' if length is not None else ''} of {domain.name}", parse)


def record(**domains: Domain) -> Domain:
    """A mapping with exactly the named fields, each in its domain; read as a dict."""
    def parse(value):
        if not isinstance(value, Mapping) or set(map(str, value)) != set(domains) or len(value) != len(domains):
            return _OUTSIDE
        out = {k: _raw(domains[k], value[k]) for k in domains}
        return _OUTSIDE if any(v is _OUTSIDE for v in out.values()) else out
    return _field("{" + ", ".join(f"{k}: {d.name}" for k, d in domains.items()) + "}", parse)


def table(keys: Domain, values: Domain) -> Domain:
    """A mapping from keys in one domain to values in another; read as a dict of parsed keys and values."""
    def parse(value):
        if not isinstance(value, Mapping):
            return _OUTSIDE
        out = {}
        for k, v in value.items():
            pk, pv = _raw(keys, k), _raw(values, v)
            if pk is _OUTSIDE or pv is _OUTSIDE or pk in out:
                return _OUTSIDE
            out[pk] = pv
        return out
    return _field(f"a mapping from {keys.name} to {values.name}", parse)


def either(*domains: Domain) -> Domain:
    """A value in the first of the domains that reads it."""
    def parse(value):
        for d in domains:
            out = _raw(d, value)
            if out is not _OUTSIDE:
                return out
        return _OUTSIDE
    return _field(" or ".join(d.name for d in domains), parse)

