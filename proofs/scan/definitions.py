"""Definitions in the material: a step one of whose sides is a name being defined, kept to read later steps."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

import sympy

from proofs.scan.normalise import Skip, normalise
from proofs.scan.parse import Context, parse
from proofs.scan.vocabulary import GREEK

__all__ = ["Head", "head", "Definitions"]

_NAME = r"(?:[A-Za-z]|\\(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z]))"
_SCRIPT = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[A-Za-z]+|[A-Za-z0-9*])"
_VALUE = re.compile(rf"(?:\\(?:hat|bar|tilde)\{{)?(?P<name>{_NAME})\}}?(?:_{_SCRIPT})?(?:\^{_SCRIPT})?(?:_{_SCRIPT})?")
_FUNCTION = re.compile(rf"(?P<name>{_NAME})(?:_{_SCRIPT})?\((?P<args>[^()]*)\)")


@dataclasses.dataclass(frozen=True)
class Head:
    """Returned by `head`: a side that names what is being defined."""

    # "value" (w, h_0, h^{(0)}), "function" (\sigma(z), f(x, y)) or "point" (g(1, 0): a value of a function).
    kind: str
    # The name (a letter, or a Greek letter's name without its backslash).
    name: str
    # The side as printed.
    text: str
    # A function's parameters (symbols).
    params: tuple = ()


def head(text: str) -> Optional[Head]:
    """The head a side is, if it is one: a name (with a subscript or superscript), or a function applied to names
    (its definition) or to values (a value of it)."""
    compact = normalise(text).replace(" ", "")
    m = _VALUE.fullmatch(compact)
    if m:
        return Head("value", m.group("name").lstrip("\\"), text)
    m = _FUNCTION.fullmatch(compact)
    if m:
        args = [a for a in m.group("args").split(",")]
        params = []
        for a in args:
            if not _VALUE.fullmatch(a):
                return Head("point", m.group("name").lstrip("\\"), text)
            try:
                p = parse(a)
            except Skip:
                return Head("point", m.group("name").lstrip("\\"), text)
            if not isinstance(p, (sympy.Symbol, sympy.Indexed)):
                return Head("point", m.group("name").lstrip("\\"), text)
            params.append(p)
        if len(set(params)) == len(params):
            return Head("function", m.group("name").lstrip("\\"), text, tuple(params))
        return Head("point", m.group("name").lstrip("\\"), text)
    return None


class Definitions:
    """What a file has defined so far: functions for the whole file, values (w = 4) until the next heading or part."""

    def __init__(self) -> None:
        self.functions: dict[str, tuple] = {}
        self.undefined: set[str] = set()
        self.values: dict = {}
        # where each function (by name) and value (by symbol) is a real number: the guards its formula was read with
        self.domains: dict = {}
        # where each value was defined, for reasons: atom -> (text, line)
        self.origin: dict = {}
        # names the material defines in a form the scan does not substitute (\sigma^2 = ..., w = <unread>): a step
        # that uses one is skipped, since read as a free name it could be refuted falsely: name -> (line, what)
        self.opaque: dict[str, tuple[int, str]] = {}
        # whether an undefined \sigma is the logistic function (the material says sigmoid or logistic)
        self.logistic = True

    def context(self, exponents=frozenset(), values: bool = True) -> Context:
        return Context(dict(self.functions), frozenset(self.undefined), dict(self.values) if values else {},
                       frozenset(exponents), self.logistic, dict(self.domains))

    def forget_values(self) -> None:
        for atom in self.values:
            self.domains.pop(atom, None)
        self.values.clear()
        self.origin.clear()
        self.opaque.clear()

    def _opaque(self, names, line: int, what: str) -> None:
        for name in names:
            self.opaque[name] = (line, what)

    def defining(self, left: str, right: str, relation: str, first: bool) -> Optional[tuple[Head, str]]:
        """(the head, the defining side's text) when this step defines something, else None: the left side of the
        first relation of a chain (or of :=) that is a head, or a right side that applies a function the file has not
        defined (0 = g(1, 0))."""
        if relation == ":=" or (first and relation == "="):
            h = head(left)
            if h is not None and not (h.kind == "point" and self._known(h.name)) and not self._power_of_value(h):
                return h, right
        if relation == "=" and first:
            h = head(right)
            if h is not None and h.kind == "point" and not self._known(h.name):
                return h, left
        return None

    def _known(self, name: str) -> bool:
        """Whether applying the function `name` is read: defined by the file, or \\sigma read as the logistic."""
        return name in self.functions or (name == "sigma" and self.logistic)

    def _power_of_value(self, h: Head) -> bool:
        """Whether a head with a superscript is a power of a value defined before (s^2 once s = a + b): a claim."""
        text = normalise(h.text).replace(" ", "")
        if h.kind != "value" or "^" not in text:
            return False
        try:
            return parse(text[:text.index("^")]) in self.values
        except Skip:
            return False

    def record(self, h: Head, body: str, line: int) -> str:
        """Keep a definition; the reason shown for its step."""
        ctx = self.context()
        if h.kind == "point":
            self.undefined.add(h.name)
            return f"gives a value of {h.name}, which the material does not define as a formula"
        if h.kind == "function":
            guards: list = []
            try:
                expr = parse(body, ctx, bound=h.params, guards=guards)
            except Skip as exc:
                self.functions.pop(h.name, None)
                self.domains.pop(h.name, None)
                self.undefined.add(h.name)
                return f"defines {h.name}; its formula is not read ({exc}), so steps applying it are skipped"
            self.functions[h.name] = (h.params, expr)
            self.domains[h.name] = tuple(guards)
            self.undefined.discard(h.name)
            return f"defines {h.name}({', '.join(map(str, h.params))}) = {expr}"
        shown = " ".join(h.text.split())
        try:
            atom = parse(h.text)
        except Skip:
            self._opaque([h.name], line, shown)
            return f"defines {shown}, in a form the scan does not substitute: steps using {h.name} are skipped"
        if not isinstance(atom, (sympy.Symbol, sympy.Indexed)):
            names = sorted(names_in(atom))
            self._opaque(names, line, shown)
            return f"defines {shown}, in a form the scan does not substitute: steps using {', '.join(names)} are skipped"
        self.values.pop(atom, None)
        self.domains.pop(atom, None)
        (name,) = names_in(atom)
        guards = []
        try:
            expr = parse(body, ctx, guards=guards)
        except Skip as exc:
            self._opaque([name], line, shown)
            return f"defines {atom}; its value is not read ({exc}), so steps using {name} are skipped"
        if atom in expr.free_symbols:
            self._opaque([name], line, shown)
            return f"defines {atom} in terms of itself, so steps using {name} are skipped"
        self.opaque.pop(name, None)
        self.values[atom] = expr
        self.domains[atom] = tuple(guards)
        self.origin[atom] = (f"{atom} = {expr}", line)
        return f"defines {atom} = {expr}"


def names_in(expr: sympy.Basic) -> set[str]:
    """The names an expression uses: its indexed names' bases (x for x[i]) and the symbols it uses outside indices."""
    indexed = expr.atoms(sympy.Indexed)
    bare = expr.xreplace({i: sympy.Integer(0) for i in indexed}).free_symbols
    return {str(i.base.label) for i in indexed} | {s.name for s in bare if isinstance(s, sympy.Symbol)}
