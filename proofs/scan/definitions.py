"""Definitions in the material: a step one of whose sides is a name being defined, kept to read later steps."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

import sympy

from proofs.scan.normalise import Skip, normalise, tokens
from proofs.scan.parse import Context, parse
from proofs.scan.vocabulary import GREEK

__all__ = ["Head", "head", "Definitions", "Example", "step_variables"]

# A letter or Greek letter right before a parenthesis: a function applied, or a name times a parenthesis.
_BEFORE_PARENTHESIS = re.compile(r"(?:(?<![\\A-Za-z])\\([A-Za-z]+)|([A-Za-z]))(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?\s*(?:\\left)?\s*\(")

_NAME = r"(?:[A-Za-z]|\\(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z]))"
_SCRIPT = r"(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[A-Za-z]+|[A-Za-z0-9*])"
# a name, perhaps accented or bold (\hat{y}, \mathbf{z}), with its scripts
_VALUE = re.compile(rf"(?:\\(?:hat|bar|tilde|mathbf|boldsymbol|bm)\{{)?(?P<name>{_NAME})\}}?(?:_{_SCRIPT})?(?:\^{_SCRIPT})?(?:_{_SCRIPT})?")
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


@dataclasses.dataclass(frozen=True)
class Example:
    """Recorded by `Definitions.record`: a number given to a name ("take $x = 0$"), a value for the steps of its own
    sentence or part only, never a definition for other steps."""

    # The number (a closed expression).
    value: sympy.Expr
    # Offset in the document's text where its sentence or part ends: steps at or after it do not see it.
    end: int
    # "x = 0" as read, and the line it is given on, for reasons.
    text: str
    line: int
    # Whether it holds beyond its sentence or part: the introduction of an enclosing exercise or section gives it
    # ("Let $\eta = 0.5$."), for the reasons printed.
    held: bool = False


def step_variables(left: str, right: str, defs: "Definitions", at: Optional[int] = None) -> frozenset:
    r"""The names a step uses as variables although a parenthesis follows them somewhere in it (p of p(1 - p) = p - p^2,
    k of dk + k = k(d + 1), b of ... = b(ab - c), W of W_{11}(W_{21} + 1) = W_{11} W_{21} + W_{11}, whatever its
    subscript): the name also stands somewhere in the step without a parenthesis or a prime right after it (inside
    its own argument too), or it has a value (an example in scope at the offset `at`); never a function the material
    defined (or \sigma read as the logistic function). A name that is a variable is multiplied, never applied."""
    # each side on its own: a left side that is a name and a right side that opens with a parenthesis (E = (y - Xw)^2)
    # do not make the name applied
    names = {m.group(1) or m.group(2) for side in (left, right) for m in _BEFORE_PARENTHESIS.finditer(side)}
    names -= {"left", "right", "frac", "sqrt", "log", "ln", "exp", "tanh", "max", "min", "", None}
    if not names:
        return frozenset()
    try:
        # words in \text{...} ("if", "for") are no names
        toks = [tokens(normalise(re.sub(r"\\text\s*\{[^{}]*\}", " ", side))) for side in (left, right)]
    except Skip:
        return frozenset()
    out = set()
    for name in names:
        if symbol_of(name) in defs.values or (at is not None and symbol_of(name) in defs.in_scope(at)):
            out.add(name)
            continue
        if name in defs.functions or (name == "sigma" and defs.logistic):
            continue  # defined (\frac{\partial L}{\partial w} names the function L): applied wherever a parenthesis follows
        spelled = name if len(name) == 1 else "\\" + name
        for side in toks:
            for k, tok in enumerate(side):
                if tok != spelled or (k and side[k - 1] == "_"):
                    continue
                j = k + 1
                if j < len(side) and side[j] == "_":  # past a subscript: w_2(...), x_{t}(...)
                    j += 1
                    if j < len(side) and side[j] == "{":
                        while j < len(side) and side[j] != "}":
                            j += 1
                    j += 1
                if (side[j] if j < len(side) else None) not in ("(", "'"):
                    out.add(name)
    return frozenset(out)


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
        # of "pi" and "e", those the prose of the section introduces as names (proofs.scan.kinds.constants_named)
        self.named_constants: frozenset = frozenset()
        # numbers given to names for their own sentence or part ("take $x = 0$"): atom -> Example
        self.examples: dict = {}
        # the document's text, where a later step looks for a lettered item between an example and itself
        self.text = ""
        # what the current section defines by a formula (a function's name, a value's atom) -> the line: a second
        # formula for one of them in the same section is a claim about it or a new definition, which the scan cannot
        # tell apart (see `second_formula`)
        self.local: dict = {}
        # what a second formula withdrew in the current section (a function's name, a value's atom) -> the line of the
        # first formula: a third formula for it is a claim or a definition as much as the second was (see
        # `second_formula`)
        self.withdrawn: dict = {}
        # functions a second formula named (see _names_a_function): the formula is its section's, so they end with it
        self.named: set = set()
        # each definition's formula as printed, for drafts that keep it (see proofs.scan.steps): a function's name or a
        # value's atom -> the text of its formula
        self.texts: dict = {}

    def context(self, exponents=frozenset(), values: bool = True) -> Context:
        return Context(dict(self.functions), frozenset(self.undefined), dict(self.values) if values else {},
                       frozenset(exponents), self.logistic, dict(self.domains), named_constants=self.named_constants)

    def in_scope(self, at: int) -> dict:
        """The examples (see Example) whose sentence or part holds the offset `at`."""
        return {a: x for a, x in self.examples.items() if at < x.end}

    def forget_values(self) -> None:
        for atom in self.values:
            self.domains.pop(atom, None)
        self.values.clear()
        self.examples.clear()
        self.origin.clear()
        self.opaque.clear()
        self.local.clear()
        self.withdrawn.clear()
        for name in self.named:  # named from a value of the section: a later section's formula may name it again
            self.functions.pop(name, None)
            self.domains.pop(name, None)
            self.undefined.add(name)
        self.named.clear()

    def scope(self) -> dict:
        """What the section read so far gives its values (see `restore`): an enclosing scope's, for its parts."""
        named = {n: (self.functions.get(n), self.domains.get(n), self.texts.get(n)) for n in self.named}
        return dict(values=dict(self.values), examples=dict(self.examples), origin=dict(self.origin),
                    opaque=dict(self.opaque), named=named,
                    domains={a: self.domains[a] for a in self.values if a in self.domains})

    def restore(self, scope: dict, until: Optional[int] = None, held=frozenset()) -> None:
        """Forget the values of the section that ends and take those of `scope` (see `scope`) again; each number it
        gives a name with words that make it a value of the scope (`held`: their ids, "Let $\\eta = 0.5$") holds up to
        `until` (the end of the enclosing scope), not only to its own part's end. A formula
        the new section gives a name the enclosing scope defined is the section's own definition, not a second formula."""
        self.forget_values()
        self.values.update(scope["values"])
        self.domains.update(scope["domains"])
        self.origin.update(scope["origin"])
        self.opaque.update(scope["opaque"])
        self.examples.update({a: x if until is None or id(x) not in held else dataclasses.replace(x, end=max(x.end, until),
                                                                                                   held=True)
                              for a, x in scope["examples"].items()})
        for name, (function, domain, text) in scope["named"].items():
            if function is not None:
                self.functions[name] = function
                self.domains[name] = domain if domain is not None else ()
                self.texts[name] = text
                self.undefined.discard(name)
                self.named.add(name)

    def withdraw(self, name: str, line: int, words: str) -> bool:
        """The prose says again what `name` is, in words ("now let $f$ be the ReLU", "$s$ now denotes the step"):
        the formula the section gave it no longer holds; steps using it are skipped (a function applied, a value
        used) for the rest of the section. Whether there was such a formula."""
        try:
            atom = parse(name)
        except Skip:
            return False
        key = name.lstrip("\\")
        if key in self.functions and (key != "sigma" or key in self.local):
            self.functions.pop(key, None)
            self.domains.pop(key, None)
            self.undefined.add(key)
            self.local.pop(key, None)
            return True
        if atom in self.values:
            self.values.pop(atom, None)
            self.domains.pop(atom, None)
            self.local.pop(atom, None)
            self._opaque(sorted(names_in(atom)), line, f"then again in words: {' '.join(words.split())[:60]}")
            return True
        return False

    def _opaque(self, names, line: int, what: str) -> None:
        for name in names:
            self.opaque[name] = (line, what)

    def defining(self, left: str, right: str, relation: str, first: bool, variables=frozenset(),
                 at: int = -1) -> Optional[tuple[Head, str]]:
        r"""(the head, the defining side's text) when this step defines something (or gives a name a number, see
        Example), else None: the left side of the first relation of a chain (or of :=) that is a name with a free
        name to define (not e^0), or a function applied to fresh names (not names that have a value, not a name the
        step uses as a variable: p(1 - p) = p - p^2 is a product), whose formula is not a number while the function
        is known or uses none of its parameters (\sigma(x) = 0.5 is not a definition of \sigma). A left side
        that is anything else (g(1, 0), a sum, a derivative) is never a definition. `at`: the step's offset, for
        the examples in scope."""
        if not (relation == ":=" or (first and relation == "=")):
            return None
        h = head(left)
        if h is None or h.kind == "point" or h.name in variables or self._power_of_value(h):
            return None
        if h.kind == "function":
            given = set(self.values) | set(self.in_scope(at) if at >= 0 else self.examples)
            if any(p in given for p in h.params) or symbol_of(h.name) in given:
                return None
            body = _closed(right, self.context(values=False))
            if body is not None and relation != ":=":
                return None
            return h, right
        if h.name in ("e", "pi"):
            return None  # e^0, \pi: no name to define
        return h, right

    def second_formula(self, h: Head, left: str, right: str, relation: str, introduced: bool = False) -> str:
        """Why a definition-shaped step is a second formula for what its section already defined by a formula (`f(z) =
        z^2 + 2z + 1`, then `f(z) = z^2 + 1`), which is either a claim about it or a new definition; or "" when it
        is not one, or is equal to the first formula (then reading it as a definition changes nothing). Such a
        step is neither checked nor recorded: what it names is withdrawn for the rest of the section (steps using
        it are skipped), since checking them against either formula could be wrong. `introduced`: whether the
        words before it say it defines ("let", "define", ...): then it is a new definition, as is a `:=`."""
        if relation == ":=" or introduced:
            return ""  # an explicit definition
        if h.kind == "function":
            key = h.name if h.name in self.functions else None
        else:
            try:
                atom = parse(h.text)
            except Skip:
                return ""
            key = atom if atom in self.values else None
        if key is None:
            gone = h.name if h.kind == "function" else atom
            if gone in self.withdrawn:
                shown = " ".join(h.text.split())
                return (f"a further formula for {shown}, which line {self.withdrawn[gone]} of its section defines and a "
                        "second formula withdrew: a claim about it or a new definition, which the scan cannot tell apart; "
                        f"steps using {h.name} are skipped in the rest of the section")
        if key is None or key not in self.local:
            return ""
        ctx = self.context()
        try:
            if h.kind == "value" and _closed(right, self.context(values=False)) is not None:
                return ""  # a number given to the name: an example (see record)
            difference = parse(left, ctx) - parse(right, ctx)
        except Skip:
            return ""  # not read with the first formula (it names a function, see _names_a_function): as before
        try:
            if sympy.simplify(difference) == 0 or sympy.simplify(difference.rewrite(sympy.exp)) == 0:
                return ""  # (tanh and cosh written with exp: sigma(z) = (1 + tanh(z/2))/2 is the same formula)
        except Exception:  # noqa: BLE001 - not shown equal: a second formula
            pass
        line = self.local.pop(key)
        self.withdrawn[key] = line
        shown = " ".join(h.text.split())
        if h.kind == "function":
            self.functions.pop(h.name, None)
            self.domains.pop(h.name, None)
            self.undefined.add(h.name)
        else:
            self.values.pop(key, None)
            self.domains.pop(key, None)
            self._opaque(sorted(names_in(key)), line, f"then again as {shown} = {' '.join(right.split())}")
        return (f"a second formula for {shown}, which line {line} of its section defines otherwise: a claim about it or "
                f"a new definition, which the scan cannot tell apart; steps using {h.name} are skipped in the rest of "
                "the section")

    def _known(self, name: str) -> bool:
        """Whether applying the function `name` is read: defined by the file, or \\sigma read as the logistic."""
        return name in self.functions or (name == "sigma" and self.logistic)

    def _power_of_value(self, h: Head) -> bool:
        """Whether a head with a superscript is a power of a value defined before (s^2 once s = a + b): a claim."""
        text = normalise(h.text).replace(" ", "")
        if h.kind != "value" or "^" not in text:
            return False
        try:
            base = parse(text[:text.index("^")])
            return base in self.values or base in self.examples
        except Skip:
            return False

    def _names_a_function(self, atom, body: str, line: int) -> str:
        """A second formula for a defined value that applies a function the material does not define to fresh
        names (h_t = f(w x_t + b) before, now h_t = g(x_t, h_{t-1})): it names that function, the earlier formula
        as a function of those names (its other names are the function's parameters). The reason shown, or ""."""
        if atom not in self.values or "(" not in body:
            return ""
        h = head(body)
        if h is None or h.kind != "function" or self._known(h.name) or not h.params:
            return ""
        formula = self.values[atom]
        if atom in h.params or any(p in self.examples or (p in self.values and self.values[p].is_number) for p in h.params):
            return ""
        others = formula.atoms(sympy.Symbol, sympy.Indexed) - set(h.params)
        if any(a in self.values or a in self.examples for a in others):
            return ""  # it reads a name defined from others, which may depend on the parameters: not read this way
        self.functions[h.name] = (h.params, formula)
        self.texts[h.name] = self.texts.get(atom)
        self.domains[h.name] = self.domains.get(atom, ())
        self.undefined.discard(h.name)
        self.named.add(h.name)
        at = self.origin.get(atom, ("", "?"))[1]
        return (f"names {h.name}({', '.join(map(str, h.params))}) = {formula}, the formula line {at} gives {atom} "
                f"(its other names are {h.name}'s parameters)")

    def record(self, h: Head, body: str, line: int, end: Optional[int] = None, relation: str = "=") -> str:
        """Keep a definition, or a number given to a name as an Example whose sentence or part ends at `end`; the
        reason shown for its step."""
        ctx = self.context(values=False)
        if h.kind == "point":
            self.undefined.add(h.name)
            return f"gives a value of {h.name}, which the material does not define as a formula"
        if h.kind == "function":
            guards: list = []
            try:
                expr = _cases(body, ctx, h.params, guards)
                if expr is None:
                    expr = parse(body, ctx, bound=h.params, guards=guards)
            except Skip as exc:
                self.functions.pop(h.name, None)
                self.domains.pop(h.name, None)
                self.undefined.add(h.name)
                return f"defines {h.name}; its formula is not read ({exc}), so steps applying it are skipped"
            self.functions[h.name] = (h.params, expr)
            self.texts[h.name] = body
            self.domains[h.name] = tuple(guards)
            self.undefined.discard(h.name)
            self.local[h.name] = line
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
        named = self._names_a_function(atom, body, line)
        if named:
            return named
        self.values.pop(atom, None)
        self.domains.pop(atom, None)
        self.examples.pop(atom, None)
        (name,) = names_in(atom)
        number = _closed(body, ctx)
        if number is not None and relation != ":=" and end is not None:
            self.opaque.pop(name, None)
            self.examples[atom] = Example(number, end, f"{atom} = {number}", line)
            return (f"gives {atom} the value {number} for its own sentence or part (an example), not a definition for "
                    "other steps")
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
        self.texts[atom] = body
        self.domains[atom] = tuple(guards)
        self.origin[atom] = (f"{atom} = {expr}", line)
        self.local[atom] = line
        return f"defines {atom} = {expr}"


_CASES = re.compile(r"\s*\\begin\{cases\}(?P<rows>.*)\\end\{cases\}\s*[.,]?\s*", re.DOTALL)
_OTHERWISE = re.compile(r"\s*(?:\\text\{\s*)?(?:otherwise|else)\s*[.,]?\s*\}?\s*[.,]?\s*", re.IGNORECASE)
_IF = re.compile(r"^\s*(?:\\text\{\s*(?:if|for|when)\s*\}|(?:if|for|when)\b)\s*", re.IGNORECASE)
_CASE_RELATION = re.compile(r"\\geq?|\\leq?|\\neq|\\ne(?![A-Za-z])|>=|<=|!=|>|<|=")
_CASE_RELATIONS = {"\\geq": sympy.Ge, "\\ge": sympy.Ge, "\\leq": sympy.Le, "\\le": sympy.Le, "\\neq": sympy.Ne,
                   "\\ne": sympy.Ne, ">=": sympy.Ge, "<=": sympy.Le, "!=": sympy.Ne, ">": sympy.Gt, "<": sympy.Lt,
                   "=": sympy.Eq}


def _cases(body: str, ctx: Context, params: tuple, guards: list) -> Optional[sympy.Expr]:
    r"""A function's formula written with \begin{cases}: each row a value and the condition it holds under (one
    relation, or "otherwise"), read as a piecewise function of the first row whose condition holds; None when the
    formula is not a cases environment. Skip when a row cannot be read."""
    m = _CASES.fullmatch(body)
    if m is None:
        return None
    pieces, branches = [], []
    rows = [r for r in re.split(r"\\\\", m.group("rows")) if r.strip()]
    for row in rows:
        if row.count("&") != 1:
            raise Skip("a row of a cases environment without one & between its value and its condition")
        value_text, condition_text = row.split("&")
        own: list = []  # where this row's value is a real number: needed only where the row is taken
        value = parse(value_text.strip().rstrip(",").strip(), ctx, bound=params, guards=own)
        branches.append(own)
        if _OTHERWISE.fullmatch(condition_text):
            pieces.append((value, sympy.true))
            continue
        condition_text = _IF.sub("", condition_text).strip().rstrip(".,").strip()
        found = _CASE_RELATION.findall(condition_text)
        if len(found) != 1:
            raise Skip("a condition of a cases environment that is not one relation")
        left, right = _CASE_RELATION.split(condition_text)
        relation = _CASE_RELATIONS[found[0]]
        pieces.append((value, relation(parse(left, ctx, bound=params), parse(right, ctx, bound=params))))
    if not pieces:
        raise Skip("an empty cases environment")
    for k, own in enumerate(branches):
        taken = [(sympy.Integer(1), c) for _, c in pieces[:k]]  # an earlier row is taken: no guard from this one
        for e, relation, zero in own:
            # 1 meets every guard relation (>= 0, > 0, != 0): the guard holds wherever row k is not the one taken
            guards.append((sympy.Piecewise(*taken, (e, pieces[k][1]), (sympy.Integer(1), True)), relation, zero))
    return sympy.Piecewise(*pieces)


def symbol_of(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def _closed(text: str, ctx: Context) -> Optional[sympy.Expr]:
    """The number a side is (no free names: 0.5, 2^{10}, e^0), or None."""
    try:
        e = parse(text, ctx)
    except Skip:
        return None
    return e if not e.free_symbols and e.is_number else None


def names_in(expr: sympy.Basic) -> set[str]:
    """The names an expression uses: its indexed names' bases (x for x[i]) and the symbols it uses outside indices."""
    if expr.has(sympy.Derivative):  # d(sum)/dz_j, kept for proofs.scan.sums: the names of what it differentiates
        expr = expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.expr)
    indexed = expr.atoms(sympy.Indexed)
    # each entry replaced by a fresh symbol (not a number: a 0 would drop the names it multiplies, s^4 w_2)
    bare = expr.xreplace({i: sympy.Dummy() for i in indexed}).free_symbols
    return {str(i.base.label) for i in indexed} | {s.name for s in bare if isinstance(s, sympy.Symbol)
                                                     and not isinstance(s, sympy.Dummy)}
