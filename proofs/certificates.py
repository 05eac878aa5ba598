"""Certificates that no witness exists: their shape read first, their re-derivation decided once per statement."""

from __future__ import annotations

import dataclasses
import fractions
from collections import OrderedDict
from typing import Any, Callable, Hashable, Mapping

from proofs.model import ForgedWitness, Replay

__all__ = ["is_certificate", "rederived"]

# How many re-derivations a process keeps: one per (statement, stated values) whose certificate was replayed.
LIMIT = 256

# (kind, structure of what the re-derivation reads) -> the Replay it gave.
_DECIDED: OrderedDict[tuple, Replay] = OrderedDict()


def is_certificate(witness: Any) -> bool:
    """Whether a witness is a certificate of non-existence ({"certificate": text}); ForgedWitness when it has that
    one field but not a non-empty text (a number, a list, None: nothing the engine writes)."""
    if not isinstance(witness, Mapping) or set(witness) != {"certificate"}:
        return False
    text = witness["certificate"]
    if not isinstance(text, str) or not text.strip():
        raise ForgedWitness(f"a certificate that no witness exists is the text saying how it was decided, not {text!r}")
    return True


def rederived(kind: str, reads: Any, derive: Callable[[], Replay]) -> Replay:
    """`derive()`, the re-derivation of a certificate, which reads nothing but `reads` (the statement's quantifier,
    relation and domains): decided once per process for each distinct `reads`, compared by structure (every operator,
    number and domain field, so a different statement or stated value is a different key). A derivation that raises
    is not kept."""
    key = (kind, _structure(reads))
    if key in _DECIDED:
        _DECIDED.move_to_end(key)
    else:
        _DECIDED[key] = derive()
        if len(_DECIDED) > LIMIT:
            _DECIDED.popitem(last=False)
    out = _DECIDED[key]
    return Replay(out.holds, dict(out.sides))  # a copy: what a caller does with its sides stays its own


class _Same:
    """An object with no structure to compare (a function, a parser), equal only to itself; the key keeps it alive,
    so its identity cannot be reused by another object while the key exists."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


def _structure(value: Any) -> Hashable:
    """A hashable value equal for two inputs exactly when they have the same types and contents all the way down."""
    if value is None or isinstance(value, (bool, int, float, str, fractions.Fraction)):
        return (type(value).__name__, value)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_structure(v) for v in value))
    if isinstance(value, Mapping):
        return (type(value).__name__, tuple((_structure(k), _structure(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__module__, type(value).__qualname__,
                tuple((f.name, _structure(getattr(value, f.name))) for f in dataclasses.fields(value)))
    return _Same(value)
