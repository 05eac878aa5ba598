"""Shapes in matrix material: what the material declares (R^{m x n}, "vector v", "square matrix A", bold letters,
"orthogonal W") and the shape of every expression, inferred with its size variables unified."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional, Union

from proofs.scan.matrices import Node
from proofs.scan.normalise import Skip
from proofs.scan.vocabulary import LENGTH_NOUNS, GREEK, SUM_BOUND

__all__ = ["Model", "Shapes", "Mismatch", "declarations", "lengths", "counted", "bounds", "taken_in_general", "CONDITIONS",
           "SQUARE", "ROWS"]

Dim = Union[int, str]
# The conditions on a matrix the material can state in words, and the words.
CONDITIONS = {"orthogonal": r"orthogonal", "orthonormal": r"orthonormal", "symmetric": r"symmetric", "invertible": r"invertible|non-?singular",
              "definite": r"positive[ -]definite|PD", "semidefinite": r"positive[ -]semi-?definite|PSD",
              "diagonal": r"diagonal", "square": r"square"}
# The condition X X^T = I stated as a formula: the rows of X orthonormal (X^T X = I is "orthogonal": its columns), so
# X is no taller than wide.
ROWS = "orthonormal rows"
# The conditions under which a matrix is square.
SQUARE = frozenset({"orthogonal", "orthonormal", "symmetric", "invertible", "definite", "semidefinite", "square"})
# Words that say a diagonal matrix has entries 0 and 1 only ("diagonal with entries in $\{0, 1\}$", "a binary
# diagonal matrix", "0/1 entries"), in the sentence that says it is diagonal.
_BINARY = re.compile(r"\\?\{\s*0\s*,\s*1\s*\\?\}|\b(?:binary|boolean|0/1|zeros?\s+(?:and|or)\s+ones?|0\s+or\s+1)\b",
                     re.IGNORECASE)
# a letter in its own formula, perhaps declared there ("orthogonal matrix $Q \\in \\mathbb{R}^{n \\times n}$")
# (a Latin letter or a Greek one: "the matrix $\\Sigma$ is symmetric")
_LETTER = r"(?:[A-Za-z]|\\(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z]))"
# A condition written as a formula in the prose: "$A \succ 0$" (positive definite), "$A \succeq 0$" (semidefinite),
# after words that make it one ("let", "with", "where", "if", "assume", "suppose", "given", "for", "such that").
_ORDER = re.compile(r"\b(?:let|with|where|if|assume|assuming|suppose|given|for|such\s+that|when)\b[^.$]*\$[^$]*?"
                    rf"(?<![A-Za-z\\])({_LETTER})\s*\\(succ|succeq)\s*0(?![0-9.])", re.IGNORECASE)
_NAME = (r"\$\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?(" + _LETTER + r")\s*\}?\s*(?:_\{?[^$]*?\}?)?"
         r"(?:\s*\\in\s*\\mathbb\s*\{?R\}?\s*\^\s*(?:\{[^{}$]*\}|[A-Za-z0-9]))?\s*\$")
_WORD = "|".join(CONDITIONS.values())
# "orthogonal matrix $A$", "a square matrix $A$", "vector $v$", "matrices $W$"
_BEFORE = re.compile(rf"\b((?:(?:{_WORD})\s+)*)(matri(?:x|ces)|vectors?|scalars?)\s+{_NAME}"
                     rf"((?:\s*(?:,|and)\s*{_NAME.replace(f'({_LETTER})', _LETTER)})*)", re.IGNORECASE)
_ADJECTIVE = re.compile(rf"\b({_WORD})\s+(?:matri(?:x|ces)\s+)?{_NAME}", re.IGNORECASE)
# "$A$ is orthogonal", "$h_t$ and $h_T$ be the hidden unit vectors"
_AFTER = re.compile(rf"{_NAME}((?:\s*(?:,|and)\s*{_NAME.replace(f'({_LETTER})', _LETTER)})*)\s+(?:is|are|be|denote|denotes)\s+(?:an?\s+|the\s+)?"
                    rf"((?:[A-Za-z-]+\s+){{0,3}}?)(matri(?:x|ces)|vectors?|scalars?|{_WORD})\b", re.IGNORECASE)
# (a subscript that is a number names one member, W_1; a letter the whole family, h_t: every member has the shape)
_MEMBER = r"(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?([A-Za-z]|\\[A-Za-z]+)\s*\}?\s*(?:_\{?\s*(?:([0-9]+)|([a-z]))\s*\}?)?"
# "$W_1 \in \mathbb{R}^{m \times n}$", "$x, y \in \mathbb{R}^{n}$": every letter listed has the space's shape
_MEMBERS = r"(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?(?:[A-Za-z]|\\[A-Za-z]+)\s*\}?\s*(?:_\{?\s*(?:[0-9]+|[a-z])\s*\}?)?"
_SPACE = re.compile(rf"\$\s*({_MEMBERS}(?:\s*,\s*{_MEMBERS})*)"
                    r"\s*\\in\s*\\mathbb\{R\}\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")
# "$A, B \in \mathbb{R}^{n \times n}$ be invertible", "$P, Q$ are orthogonal": a condition on every letter listed
_LISTED_AFTER = re.compile(rf"\$\s*({_MEMBERS}(?:\s*,\s*{_MEMBERS})+)\s*(?:\\in\s*\\mathbb\s*\{{?R\}}?\s*\^\s*"
                           rf"(?:\{{[^{{}}$]*\}}|[A-Za-z0-9]))?\s*\$\s+(?:is|are|be)\s+(?:both\s+|all\s+)?"
                           rf"((?:{_WORD})(?:(?:\s*,\s*|\s+and\s+|\s+)(?:{_WORD}))*)\b", re.IGNORECASE)
# "$w \in \mathbb{R}$", "$a, b \in \mathbb{R}_{>0}$": every letter listed is a number
_REAL = re.compile(rf"\$\s*({_MEMBERS}(?:\s*,\s*{_MEMBERS})*)\s*\\in\s*\\mathbb\s*(?:\{{\s*R\s*\}}|R(?![A-Za-z]))(?!\s*\^)")
# "$Q \in \mathbb{R}^{n \times k}$ has orthonormal columns", "with orthonormal rows", "whose rows are orthonormal": Q^T Q = I
# (orthonormal) or Q Q^T = I (ROWS)
# The words only between the letter and them: nothing ("$Q$ has", "$Q$, whose columns"), "which"/"that", or Q said to
# be a matrix ("$Q$ be a matrix whose columns"); never a negation ("need not have", "without") or another noun as the
# subject ("compare $B$ to a matrix with orthonormal columns").
_FRAME = re.compile(rf"{_NAME}([\s,]*(?:(?:which|that)\s+)?(?:(?:is|be)\s+(?:an?|the)\s+(?:[a-z-]+\s+)?matri(?:x|ces)\s+)?)"
                    r"(?:(?:has|have|with)\s+orthonormal\s+(columns|rows)|whose\s+(columns|rows)\s+are\s+orthonormal)\b",
                    re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|non|never|without|unless|fails?|need)\b", re.IGNORECASE)
# Words after a condition that make it a relation to something else ("orthogonal to $x$"), not a condition on the
# letters themselves ("orthogonal to each other" is one)
_RELATION_TO = re.compile(r"\s*(?:to|against|with\s+respect\s+to)\b(?!\s+(?:each\s+other|one\s+another)\b)",
                          re.IGNORECASE)
# "the weight matrices $W$": a phrase that names a letter, and a later condition on the phrase
_PHRASE = re.compile(rf"\b((?:[a-z]+\s+){{1,2}})(matrices|vectors)\s+{_NAME}")


def _stable(value) -> str:
    """repr with every set's members sorted (by their repr): the same text whatever the hash seed."""
    if isinstance(value, (set, frozenset)):
        inner = ", ".join(sorted(_stable(v) for v in value))
        if not value:
            return f"{type(value).__name__}()"
        return f"frozenset({{{inner}}})" if isinstance(value, frozenset) else f"{{{inner}}}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable(k)}: {_stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_stable(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


@dataclasses.dataclass(repr=False)
class Model:
    """Built per section of a document by proofs.scan.forward: what the material says about each letter."""

    def __repr__(self) -> str:  # sets sorted: a step's context (Step.printed) reads the same in every run
        fields = ", ".join(f"{f.name}={_stable(getattr(self, f.name))}" for f in dataclasses.fields(self))
        return f"{type(self).__name__}({fields})"

    # letter -> "scalar", "vector" or "matrix"
    kinds: dict = dataclasses.field(default_factory=dict)
    # letter -> (rows, columns), sizes as ints or size names
    dims: dict = dataclasses.field(default_factory=dict)
    # letter -> set of CONDITIONS keys
    conditions: dict = dataclasses.field(default_factory=dict)
    # letter -> [(index pattern or None, Node)]: forward equations (z_{t+1} = W_t h_t + V_t x_{t+1})
    equations: dict = dataclasses.field(default_factory=dict)
    # phrase ("weight matrices") -> letter
    phrases: dict = dataclasses.field(default_factory=dict)
    # the norm of a matrix: "2" (operator) unless the material says Frobenius
    matrix_norm: str = "2"
    # the gradient layouts the material allows: both unless it states a convention
    layouts: tuple = ("column", "row")
    # letter -> Fraction: the sum of a vector's entries the material states (\\sum_i y_i = 1, a label's distribution)
    totals: dict = dataclasses.field(default_factory=dict)
    # letter -> its number of entries as the prose gives it ("for $K$ classes $p_k$": p -> "K"; "with $n = 3$ samples
    # $x_i$": x -> 3), for the sums over its entries whose bounds are not printed; never a shape (see `lengths`)
    lengths: dict = dataclasses.field(default_factory=dict)
    # small letters the section writes in bold (\\mathbf{x}, \\boldsymbol{\\theta}) or transposes (x^T): vectors (of a
    # length of their own, 1 included) unless it declares or defines them otherwise
    implied: set = dataclasses.field(default_factory=set)
    # whether the material writes vectors as rows ("vectors are row vectors", "$x$ is a row vector"): the matrix
    # reading takes vectors as columns, so it decides no step that reads one
    rows: bool = False
    # letters whose kind an enclosing scope declared (an exercise's introduction, for its parts): a declaration of
    # the scope itself replaces it, with its size and conditions
    inherited: set = dataclasses.field(default_factory=set)
    # letters the section writes as the bound of a sum or a product (\\sum_{i=1}^{N}): sizes, positive integers, unless
    # the section also reads them as matrices (see `used`)
    bounds: set = dataclasses.field(default_factory=set)
    # letters the section reads as a matrix or a vector (transposed, multiplied by a matrix or a vector): a bound of a
    # sum among them is no size, as neither reading is the material's
    used: set = dataclasses.field(default_factory=set)
    # letters the material says are row vectors ("$x$ is a row vector"): the matrix reading takes vectors as columns
    row_vectors: set = dataclasses.field(default_factory=set)
    # letter -> the conditions it held when a declaration of the scope replaced an enclosing scope's (a part that
    # declares it a number for itself): what holds of it again once that scope ends
    replaced: dict = dataclasses.field(default_factory=dict)

    def sizes(self) -> set:
        """The letters that are sizes: a dimension of a declaration (X in R^{N x d}), a length the prose gives ("$K$
        classes") or the bound of a sum that the section never reads as a matrix or a vector nor declares one
        (`conflicts`): numbers (positive integers), never matrices."""
        named = {d for shape in self.dims.values() for d in shape if isinstance(d, str)}
        named |= {v for v in self.lengths.values() if isinstance(v, str)}
        return named | (self.bounds - self.conflicts(self.bounds))

    def conflicts(self, letters: set, ahead: frozenset = frozenset()) -> set:
        """The letters among `letters` the section writes as the bound of a sum (so far, or `ahead`: in the rest of
        it) and also reads as a matrix or a vector (or declares one), which no dimension or stated length makes a
        size: two readings, neither the material's."""
        named = {d for shape in self.dims.values() for d in shape if isinstance(d, str)}
        named |= {v for v in self.lengths.values() if isinstance(v, str)}
        matrices = self.used | {k for k, v in self.kinds.items() if v in ("vector", "matrix")}
        return (set(letters) & (self.bounds | ahead) & matrices) - named

    def declare(self, letter: str, kind: str, dims: Optional[tuple] = None) -> None:
        """Record that the material declares `letter` of `kind` (of `dims`): a first declaration holds in its scope;
        one of an enclosing scope gives way to it (and its conditions too, when it says otherwise)."""
        if letter in self.inherited:
            self.inherited.discard(letter)
            if self.kinds.get(letter) != kind or (dims is not None and self.dims.get(letter) != dims):
                self.kinds.pop(letter, None)
                self.dims.pop(letter, None)
                self.replaced.setdefault(letter, set(self.conditions.pop(letter, set())))
        if dims is not None:
            self.kinds[letter], self.dims[letter] = kind, dims
        else:
            self.kinds.setdefault(letter, kind)

    def kind(self, letter: str) -> str:
        if letter in self.kinds:
            return self.kinds[letter]
        if letter in self.equations:
            return "defined"
        if letter in self.implied:
            return "vector"
        if letter in self.sizes():
            return "scalar"  # N of X in R^{N x d}, T of T time steps: a number
        if (len(letter) == 1 or letter in GREEK) and letter[0].isupper():
            return "matrix"  # A, W, \\Sigma, \\Lambda: a matrix unless the material says otherwise
        return "scalar"


# Stated conventions: a gradient has the shape of its variable (denominator layout), or is a row (numerator layout).
_COLUMN = re.compile(r"gradients?\s+(?:\w+\s+){0,3}(?:has|have)\s+the\s+(?:same\s+)?shape\s+(?:as|of)\s+the\s+variable|"
                     r"denominator[ -]layout", re.IGNORECASE)
_ROW = re.compile(r"numerator[ -]layout|gradients?\s+(?:\w+\s+){0,3}(?:is|are)\s+(?:a\s+)?row\s+vectors?", re.IGNORECASE)
# A statement that vectors are written as rows ("vectors are row vectors", "we write vectors as rows", "the row-vector
# convention"; a gradient written as a row is the numerator layout above, not this), never a row of a matrix ("the
# $i$-th row vector of $W$")
_ROWS = r"(?:row[- ]vectors|rows)\b"
_ROW_VECTORS = re.compile(rf"\b(?:all\s+)?vectors\s+(?:are|will\s+be)\s+(?:(?:always\s+)?(?:written|treated|taken|represented)"
                          rf"\s+as\s+)?{_ROWS}|\b(?:write|writes|written|treat|treats|treated|take|represent|represents|"
                          rf"represented)\s+(?:all\s+)?vectors\s+as\s+{_ROWS}|\brow[- ]vector\s+convention\b",
                          re.IGNORECASE)


# A length the prose gives: "$K$ classes", "$n = 3$ samples", "4 data points", "a vocabulary of $V$ words", "sequence
# length $T$", "the number of classes is $K$". The size: a letter, or a number (with the letter it names, if any).
_SIZE = r"(?:\$\s*(?:(?P<{0}>[A-Za-z])\s*(?:=\s*(?P<{0}n>[0-9]+))?|(?P<{0}d>[0-9]+))\s*\$|(?P<{0}w>[0-9]+)(?![0-9.,]))"
_NOUN = r"(?:\s+" + LENGTH_NOUNS + r"\b)?"
_LENGTH = re.compile("|".join([
    _SIZE.format("a") + r"\s+(?:(?:training|data|input|output|hidden|distinct|possible|other)\s+)?" + LENGTH_NOUNS + r"\b",
    r"\b(?:vocabulary|dictionary)\s+(?:of\s+(?:size\s+)?|size\s+(?:of\s+)?(?:is\s+)?)" + _SIZE.format("b") + _NOUN,
    r"\b(?:sequence|sample|batch|vocabulary)\s+(?:length|size)\s+(?:of\s+)?(?:is\s+)?" + _SIZE.format("c") + _NOUN,
    r"\bnumber\s+of\s+" + LENGTH_NOUNS + r"\s+(?:is\s+)?" + _SIZE.format("e") + _NOUN,
]), re.IGNORECASE)
# the indexed names a formula of the prose writes (x_i, (x_i, y_i), p_k), whose entries a length counts
_ENTRY = re.compile(r"(?:\\(?:mathbf|boldsymbol|bm|hat|bar|tilde)\s*\{\s*)?(?<![\\A-Za-z])([A-Za-z])\s*\}?\s*_\s*\{?\s*[a-z]\s*\}?(?![A-Za-z0-9])")
_FORMULA = re.compile(r"\$\$?([^$]+)\$\$?")


def lengths(model: Model, sentence: str) -> None:
    """Record the lengths a sentence gives the vectors it writes entries of (Model.lengths): a length phrase followed
    by a formula counts the entries that formula writes ("$n$ samples $(x_i, y_i)$"); a sentence with one length
    phrase counts the entries every formula of it writes ("for $K$ classes, ... $\\sum_k y_k \\log p_k$"); a
    sentence with two or more, only those each is followed by. A number in the prose that no such phrase gives is
    never read as a length."""
    found = list(_LENGTH.finditer(sentence))
    if not found:
        return
    for k, m in enumerate(found):
        groups = {g[1:]: v for g, v in m.groupdict().items() if v is not None}
        size = groups.get("n") or groups.get("d") or groups.get("w") or groups.get("")
        size = int(size) if size.isdigit() else size
        end = found[k + 1].start() if k + 1 < len(found) else len(sentence)
        after = re.match(r"\s*,?\s*" + _FORMULA.pattern, sentence[m.end():end])
        if after is not None:
            letters = {e.group(1) for e in _ENTRY.finditer(after.group(1))}
        elif len(found) == 1:
            letters = {e.group(1) for f in _FORMULA.finditer(sentence) for e in _ENTRY.finditer(f.group(1))}
        else:
            continue
        name = groups.get("")
        for letter in letters:
            if letter != name and letter not in model.dims:  # a declaration (R^n) says more
                model.lengths[letter] = size


def counted(text: str) -> set:
    """The letters the prose gives as lengths or counts ("$T$ time steps", "sequence length $T$", "the number of
    classes is $K$"): sizes, whether or not it writes entries they count."""
    return {m.group(g) for m in _LENGTH.finditer(text) for g in ("a", "b", "c", "e") if m.group(g)}


def bounds(text: str) -> set:
    """The letters a formula writes as the upper bound of a sum or a product (N of \\sum_{i=1}^{N}): sizes."""
    return {m.group(1) or m.group(2) for m in SUM_BOUND.finditer(text)}


# Words that take letters in general, before them: "now take any $A$", "for an arbitrary $W \in \mathbb{R}^{n \times
# n}$", "consider a general $B$", "let $x$ be any ...", "for every $s$", "any $2 \times 2$ matrices $A, B$" (a
# quantifier over the members of a set, "all $\lambda$ in the grid", "for all $i \in S$", takes nothing in general)
_TAKEN_BEFORE = re.compile(
    rf"\b(?:(?:now\s+)?(?:take|taking|let|for|consider|considering|pick|fix)\s+(?:now\s+)?"
    r"(?:any|an\s+arbitrary|arbitrary|a\s+general|general|every)|for\s+all|any|an\s+arbitrary|a\s+general)\s+"
    r"(?:(?:square|real|invertible)\s+)?"
    r"(?:(?:\$[^$]*\$\s+)?(?:real\s+)?(?:matri(?:x|ces)|numbers?|scalars?|vectors?)\s+)?"
    rf"\$\s*({_MEMBERS}(?:\s*,\s*{_MEMBERS})*)\s*(?:\\in\s*(?:\\mathbb\s*\{{*\s*R\b|\\R\b|ℝ)[^$]*)?\$"
    r"(?!\s*(?:in|of|from|among)\b)", re.IGNORECASE)
# The same said after the letters: "let $B$ be a general matrix", "$A, B$ are arbitrary", "$s$ is now arbitrary", "$A
# \in \mathbb{R}^{n \times n}$ arbitrary" (not "an arbitrary orthogonal matrix": a condition on it)
_TAKEN_AFTER = re.compile(rf"\$\s*({_MEMBERS}(?:\s*,\s*{_MEMBERS})*)\s*(?:\\in\b[^$]*)?\$\s*,?\s+"
                          r"(?:(?:is|be|are)\s+(?:now\s+)?(?:again\s+)?(?:an?\s+)?)?(?:arbitrary|general|any)\b"
                          rf"(?!\s+(?:[A-Za-z-]+\s+)?(?:{_WORD}|positive|negative|unitary|non-?negative|"
                          r"idempotent|triangular))", re.IGNORECASE)


def taken_in_general(sentence: str) -> list[str]:
    """The lists of letters a sentence takes in general (see _TAKEN_BEFORE, _TAKEN_AFTER), each as printed ("A, B",
    "\\lambda", "x_1"): what was stated of them before no longer holds. proofs.scan.scopes reads the same."""
    return [m.group(1) for pattern in (_TAKEN_BEFORE, _TAKEN_AFTER) for m in pattern.finditer(sentence)]


def declarations(model: Model, sentence: str) -> dict:
    """Record what a sentence of prose declares; returns the conditions it states ({letter: {condition}})."""
    stated: dict = {}
    for letters in taken_in_general(sentence):  # the conditions stated before no longer hold
        for member in re.finditer(_MEMBER, letters):
            model.conditions.pop(member.group(1).lstrip("\\") + (f"_{member.group(2)}" if member.group(2) else ""), None)
    if _COLUMN.search(sentence):
        model.layouts = ("column",)
    elif _ROW.search(sentence):
        model.layouts = ("row",)
    if _ROW_VECTORS.search(_ROW.sub(" ", sentence)):
        model.rows = True
    for m in _SPACE.finditer(sentence):
        power = m.group(2).strip("{}")
        sizes = [s.strip() for s in re.split(r"\\times|\\cdot|\*|,", power)]
        dims = tuple(int(s) if s.isdigit() else s for s in sizes)
        for member in re.finditer(_MEMBER, m.group(1)):
            letter = member.group(1).lstrip("\\") + (f"_{member.group(2)}" if member.group(2) else "")
            # h_t: the family h and, kept as h_t, the mark that h is a family (x_i a member, not entry i of x)
            for name in (letter, f"{letter}_{member.group(3)}") if member.group(3) else (letter,):
                if len(dims) == 1:
                    model.declare(name, "vector", (dims[0], 1))
                elif len(dims) == 2:
                    model.declare(name, "matrix", dims)
    for m in _REAL.finditer(sentence):  # "$\\eta \\in \\mathbb{R}$": a number
        for member in re.finditer(_MEMBER, m.group(1)):
            model.declare(member.group(1).lstrip("\\") + (f"_{member.group(2)}" if member.group(2) else ""), "scalar")
    for m in _BEFORE.finditer(sentence):
        words, noun = m.group(1), m.group(2).lower()
        for k, letter in enumerate(_letters([m.group(3)] + re.findall(_NAME, m.group(4) or ""))):
            model.declare(letter, "vector" if noun.startswith("vector") else "scalar" if noun.startswith("scalar") else "matrix")
            if k and noun in ("matrix", "vector"):
                continue  # "an orthogonal matrix $Q$ and $M$": the words are about Q alone
            for c in _conditions_in(words):
                stated.setdefault(letter, set()).add(c)
    for m in _ADJECTIVE.finditer(sentence):
        if _NEGATED.search(sentence[max(0, m.start() - 12):m.start()]):
            continue  # "a non-orthogonal $A$", "not symmetric $A$"
        for c in _conditions_in(m.group(1)):
            stated.setdefault(m.group(2).lstrip("\\"), set()).add(c)
    for m in _AFTER.finditer(sentence):
        letters = _letters([m.group(1)] + re.findall(_NAME, m.group(2) or ""))
        noun = m.group(4).lower()
        for letter in letters:
            if noun.startswith("vector"):
                model.declare(letter, "vector")
                if re.search(r"\brow\b", m.group(3) or "", re.IGNORECASE):  # "$x$ is a row vector"
                    model.row_vectors.add(letter)
            elif noun.startswith("matri"):
                model.declare(letter, "matrix")
            elif noun.startswith("scalar"):
                model.declare(letter, "scalar")
            if _NEGATED.search(m.group(3) or "") or _RELATION_TO.match(sentence, m.end()):
                continue  # "$A$ is not necessarily orthogonal", "$q$ is orthogonal to $x$": no condition on A, q
            for c in _conditions_in(f"{m.group(3)} {noun}"):
                stated.setdefault(letter, set()).add(c)
    for m in _LISTED_AFTER.finditer(sentence):  # "$A, B \in \mathbb{R}^{n \times n}$ be invertible"
        if _RELATION_TO.match(sentence, m.end()):
            continue  # "$q_1, q_2$ be orthogonal to $x$": a relation to x, not among themselves
        for member in re.finditer(_MEMBER, m.group(1)):
            for c in _conditions_in(m.group(2)):
                stated.setdefault(member.group(1).lstrip("\\"), set()).add(c)
    for m in _FRAME.finditer(sentence):
        if not _NEGATED.search(m.group(2)):
            stated.setdefault(m.group(1).lstrip("\\"), set()).add(ROWS if (m.group(3) or m.group(4)).lower() == "rows"
                                                                      else "orthonormal")
    for m in _ORDER.finditer(sentence):
        stated.setdefault(m.group(1).lstrip("\\"), set()).add("definite" if m.group(2) == "succ" else "semidefinite")
    if _BINARY.search(sentence):
        for conditions in stated.values():
            if "diagonal" in conditions:
                conditions.add("binary")
    lengths(model, sentence)
    for m in _PHRASE.finditer(sentence):
        model.phrases[f"{m.group(1).split()[-1]} {m.group(2)}".lower()] = m.group(3).lstrip("\\")
    for phrase, letter in model.phrases.items():
        for c, word in CONDITIONS.items():
            if re.search(rf"\b{phrase}\b[^.$]*?\b(?:{word})\b", sentence, re.IGNORECASE):
                stated.setdefault(letter, set()).add(c)
    return stated


def unattached(sentence: str, stated: dict) -> Optional[str]:
    """A condition word of the sentence that names no letter the scan attached it to ("if the weights were
    orthogonal"), or None."""
    for c, word in CONDITIONS.items():
        if c in ("square", "diagonal"):  # "the diagonal entries of A": no condition
            continue
        if re.search(rf"\b(?:{word})\b", sentence, re.IGNORECASE) and not any(c in s for s in stated.values()) \
                and not (c == "orthonormal" and any(ROWS in s for s in stated.values())):
            return c
    return None


def _letters(found: list) -> list:
    """Letters as the matrix reading names them (\\Sigma is Sigma)."""
    return [x.lstrip("\\") for x in found]


def _conditions_in(words: str) -> set:
    return {c for c, word in CONDITIONS.items() if re.search(rf"\b(?:{word})\b", words or "", re.IGNORECASE)}


def _named(d: str) -> bool:
    """Whether a size is one the material names (m, n, d), not one the scan made up for a letter it gives no shape."""
    return not d.startswith(("n_", "r_", "c_", "#"))


def _priority(d: str) -> tuple:
    """Which size name stands for a class of them: one the material declares, then a vector's, then a matrix's."""
    return (not d.startswith(("n_", "r_", "c_", "#")), d.startswith("n_"), d.startswith("r_"), d)


class Mismatch(Exception):
    """Shapes that do not fit: the message names them."""


class Shapes:
    """Sizes unified over the trees of a step and its forward equations: a union-find over size names, with ints."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.parent: dict = {}
        self.fresh = 0
        # letters whose forward equation gives a scalar (a loss L = ...)
        self.scalars: set = set()
        # id of an I or a ones vector read -> (the node, its size name): the size it is used at, as the other factors
        # and terms fix it (the node is kept so that its id is not reused while the shapes are)
        self.implicit: dict = {}

    def find(self, d: Dim) -> Dim:
        while isinstance(d, str) and self.parent.get(d, d) != d:
            d = self.parent[d]
        return d

    def unify(self, a: Dim, b: Dim, strict: bool) -> None:
        """Make two sizes one; a size name meets a number only when `strict` (a forward equation fixes it)."""
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if isinstance(a, str) and isinstance(b, str):
            if not strict and _named(a) and _named(b):
                return  # two sizes the material names (m, n) stay apart: a step needing m = n fails at m != n
            low, high = sorted((a, b), key=_priority)
            self.parent[low] = high
        elif isinstance(a, str) and a.startswith("#") and isinstance(b, int):
            self.parent[a] = b  # an I or a ones vector takes the size a number gives (W in R^{3 x 3}: W + I)
        elif isinstance(b, str) and b.startswith("#") and isinstance(a, int):
            self.parent[b] = a
        elif isinstance(a, str) and strict:
            self._fix(a, b)
        elif isinstance(b, str) and strict:
            self._fix(b, a)
        elif isinstance(a, int) and isinstance(b, int):
            raise Mismatch(f"sizes {a} and {b}")

    def _fix(self, name: str, size: int) -> None:
        """A forward equation fixes a size to a number; never one the material names and leaves free (x in R^n, W in
        R^{n x m} and h = x W: n = 1 would decide every step at n = 1 only, for a material that reads x as a row)."""
        if _named(name):
            raise Mismatch(f"sizes {name} and {size}")
        self.parent[name] = size

    def family(self, letter: str, index=None) -> object:
        """The shape of a letter (of W_1 when the material declares W_1 itself): "scalar" or (rows, columns)."""
        if index is not None and getattr(index, "is_Integer", False) and f"{letter}_{int(index)}" in self.model.kinds:
            letter = f"{letter}_{int(index)}"
        kind = self.model.kind(letter)
        if kind == "scalar" or letter in self.scalars:
            return "scalar"
        if letter in self.model.dims:
            return self.model.dims[letter]
        if kind == "vector":
            return (f"n_{letter}", 1)
        if kind == "defined":
            return (f"r_{letter}", f"c_{letter}")
        square = self.model.conditions.get(letter, set()) & SQUARE
        return (f"n_{letter}", f"n_{letter}") if square else (f"r_{letter}", f"c_{letter}")

    def _single(self, letter: str) -> bool:
        """Whether the material declares the letter one matrix (W ∈ ℝ^{m×n}, "a matrix W"), never a family (W_t) or
        a member of one, and defines no member of it by a forward equation."""
        if self.model.kinds.get(letter) != "matrix" or letter in self.model.equations:
            return False
        return not any(name.startswith(f"{letter}_") for name in self.model.kinds)

    def size_of(self, n: Node) -> Optional[Dim]:
        """The size an I or a ones vector read is used at, as its class of sizes stands (None: not inferred)."""
        found = self.implicit.get(id(n))
        return None if found is None or found[0] is not n else self.find(found[1])

    def new(self) -> str:
        self.fresh += 1
        return f"#{self.fresh}"

    def infer(self, n: Node, strict: bool = False, layout: str = "column") -> object:
        k, a = n.kind, n.args
        if k == "num":
            return "scalar"
        if k == "name":
            letter, index = n.data
            if getattr(index, "is_Integer", False) and f"{letter}_{int(index)}" not in self.model.kinds and self._single(letter):
                # W_1 printed where the material declares one matrix W (no W_1): W itself, a member of a family the
                # material never declares, or a matrix of its own; the material does not say which, so none is chosen
                raise Skip(f"{letter}_{int(index)} is not declared (the material declares one matrix {letter}, no family of them)")
            return self.family(letter, index)
        if k == "I":
            if n.data is not None and any(name == "I" or name.startswith("I_") for name in self.model.kinds):
                raise Skip(f"I_{n.data}: the identity or a member of the family I the material declares")
            d = n.data if n.data is not None else self.new()
            self.implicit[id(n)] = (n, d)
            return (d, d)
        if k == "ones":
            d = n.data if n.data is not None else self.new()
            self.implicit[id(n)] = (n, d)
            return (d, 1)
        if k in ("add", "had"):
            shapes = [self.infer(x, strict, layout) for x in a]
            first = next((s for s in shapes if s != "scalar"), "scalar")
            for s in shapes:
                if (s == "scalar") != (first == "scalar"):
                    continue  # a number added to a vector: entry by entry (the instances decide where it is read)
                if s != "scalar":
                    self.unify(first[0], s[0], strict)
                    self.unify(first[1], s[1], strict)
            return first
        if k == "neg":
            return self.infer(a[0], strict, layout)
        if k == "mul":
            shapes = [self.infer(x, strict, layout) for x in a]
            out = "scalar"
            for s in shapes:
                if s == "scalar":
                    continue
                if out == "scalar":
                    out = s
                    continue
                self.unify(out[1], s[0], strict)
                out = (out[0], s[1])
            return out
        if k == "div":
            top, bottom = self.infer(a[0], strict, layout), self.infer(a[1], strict, layout)
            if bottom != "scalar":
                raise Skip("a division by a matrix or a vector")
            return top
        if k == "T":
            s = self.infer(a[0], strict, layout)
            return s if s == "scalar" else (s[1], s[0])
        if k in ("inv", "pow"):
            s = self.infer(a[0], strict, layout)
            if s != "scalar":
                self.unify(s[0], s[1], strict)
            return s
        if k in ("norm", "abs", "tr"):
            s = self.infer(a[0], strict, layout)
            if k == "tr" and s != "scalar":
                self.unify(s[0], s[1], strict)
            if k == "abs" and s != "scalar":
                raise Skip("bars around a matrix or a vector (a determinant or a norm)")
            return "scalar"
        if k == "Diag":
            s = self.infer(a[0], strict, layout)
            if s == "scalar":
                raise Skip("Diag of a scalar")
            return (s[0], s[0])
        if k == "diag":
            s = self.infer(a[0], strict, layout)
            if s == "scalar":
                raise Skip("diag of a scalar")
            return (s[0], s[0])
        if k in ("apply", "dapply", "elem"):
            return self.infer(a[0], strict, layout)
        if k == "softmax":
            s = self.infer(a[0], strict, layout)
            if s != "scalar":
                self.unify(s[1], 1, strict)  # a softmax of a vector (a column)
            return s
        if k == "at":
            base = a[0]
            if base.kind == "name" and any(x.startswith(f"{base.data[0]}_") for x in self.model.kinds):
                raise Skip(f"an entry of {base.data[0]}, which the material declares member by member")
            s = self.infer(base, strict, layout)
            if s == "scalar":
                raise Skip(f"an entry of {base}, which is not a vector or a matrix")
            return "scalar"
        if k == "entry":
            s = self.infer(a[0], strict, layout)
            if s == "scalar":
                raise Skip(f"an entry of {a[0]}, which is not a vector")
            self.unify(s[1], 1, strict)
            return "scalar"
        if k == "grad":
            target, variable = a
            of = self.infer(target, strict, layout)
            if of != "scalar" and (self.find(of[0]), self.find(of[1])) != (1, 1):
                # a Jacobian: of a vector with respect to a vector (a column), d value_k / d x_i at (i, k) in the
                # denominator layout, at (k, i) in the numerator layout
                s = self.infer(variable, strict, layout)
                length = of[0] if self.find(of[1]) == 1 else of[1] if self.find(of[0]) == 1 else None
                if length is None or s == "scalar" or self.find(s[1]) != 1:
                    raise Skip(f"a derivative of {target}, which is not a scalar, with respect to something other than "
                               "a vector (a tensor)")
                return (s[0], length) if layout == "column" else (length, s[0])
            s = self.infer(variable, strict, layout)
            if s == "scalar":
                return s
            return s if layout == "column" else (s[1], s[0])
        if k == "hess":
            of = self.infer(a[0], strict, layout)
            if of != "scalar" and (self.find(of[0]), self.find(of[1])) != (1, 1):
                raise Skip(f"a Hessian of {a[0]}, which is not a number")
            s = self.infer(a[1], strict, layout)
            if s == "scalar":
                return s
            self.unify(s[1], 1, strict)
            return (s[0], s[0])
        if k == "vec":
            from proofs.scan.elementwise import entry_vectors
            lengths = [self.infer(v, strict, layout) for v in entry_vectors(a[0], n.data)]
            if self.infer(a[0], strict, layout) != "scalar" or not lengths or "scalar" in lengths:
                raise Skip("a vector defined entry by entry whose entries are not numbers")
            for v in lengths[1:]:
                self.unify(lengths[0][0], v[0], strict)
            return (lengths[0][0], 1)
        if k == "sum" and n.data[2] is None:  # over the entries of vectors: they have one length
            from proofs.scan.elementwise import entry_axes, entry_vectors
            lengths = [self.infer(v, strict, layout) for v in entry_vectors(a[0], n.data[0])]
            for v in lengths[1:]:
                if "scalar" not in (v, lengths[0]):
                    self.unify(lengths[0][0], v[0], strict)
            # and the rows or columns of the matrices it reads entries of (\sum_k A_{ik} B_{kj}: A's columns, B's rows)
            axes = [(v[0],) for v in lengths if v != "scalar"]
            for m, axis in entry_axes(a[0], n.data[0]):
                s = self.infer(m, strict, layout)
                if s != "scalar" and axis is not None:
                    axes.append((s[axis],))
            for d in axes[1:]:
                self.unify(axes[0][0], d[0], strict)
        if k in ("prod", "sum"):
            s = self.infer(a[0], strict, layout)
            if k == "prod" and s != "scalar":
                self.unify(s[0], s[1], strict)
            return s
        raise Skip(f"{k} is not read in matrix notation")
