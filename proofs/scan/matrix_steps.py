"""The scan's matrix steps: what a section declares and defines, kept as it is read, and each matrix step decided."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
import re
from typing import Optional

import sympy

from proofs.scan.elementwise import by_entry, entries, entry_names
from proofs.scan import power_reading
from proofs.scan.instances import Verdict, _free_indices, _numeral, decide
from proofs.scan.matrix_replay import holds, replay
from proofs.scan.matrices import Node, looks_matrix, names_of, read
from proofs.scan.normalise import Skip
from proofs.scan.scopes import HEADING
from proofs.scan.shapes import ROWS, Mismatch, Model, Shapes, declarations, unattached
from proofs.scan.shapes import bounds as _bounds
from proofs.scan.shapes import counted
from proofs.scan.vocabulary import GREEK, KIND_OF_LETTER, LOGISTIC

__all__ = ["MatrixScan", "Context"]

# Words that say the norm of a matrix is the Frobenius norm.
_FROBENIUS = re.compile(r"\bFrobenius\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+|\n\s*\n")
_LETTER = re.compile(r"(?<![\\A-Za-z])([A-Za-z])(?![A-Za-z])")
# A bold letter: \mathbf{x}, \boldsymbol{\theta}, \bm x
# Words right after a relation, in its sentence, that state it of every member of a family ("$\\|D_k\\| = 1$ for all
# layers $k$"): a property the prose states, as "assume" does, not a step of a derivation.
_FOR_EVERY = re.compile(r"^[^$]*\$\$?\s*,?\s*for\s+(?:all|every|each|any)\b", re.IGNORECASE)
# Words that restrict a letter, a size most often, to integers of a kind the instances do not honour ("where $n$ is
# odd", "for even $n$", "$d$ is a power of two"): a step failing at a size they may rule out needs review.
_KIND_OF_SIZE = KIND_OF_LETTER  # the scalar reading's list of kinds too (proofs.scan.vocabulary)
# Words that may state a size the scan does not read as a bound on it ("a vector with $16$ entries", "of length $16$",
# "the pixels of a $4 \times 4$ image", "at most 16", "$n \in \{1, \dots, 16\}$", "for $n = 1, \dots, 16$", "$n$ divides
# 16"): a number in the prose or alone in a formula, a set or a range, a size written k x k, or words of size or count.
_SIZE_WORDS = re.compile(r"\b(?:lengths?|entries|entry|components?|coordinates?|dimensions?|sizes?|at\s+most|at\s+least|"
                         r"no\s+more\s+than|fewer\s+than|up\s+to|divides?|divisible|multiple|ranges?|pixels?|nonzero|"
                         r"sparse|between)\b|\$\s*[0-9]+\s*\$|\$[^$]*?(?:\\\{|\\[lc]?dots|[0-9]\s*\\times\s*[0-9])[^$]*?\$",
                         re.IGNORECASE)
_PROSE_NUMBER = re.compile(r"(?<![\w.])[0-9]+(?![\w])")
# Words that state a condition on a vector or a matrix the scan does not read ("$x$ is a unit vector", "suppose $\|x\|$
# is at most one", "for every normalised $x$"; not "the hidden unit vectors", units of a network): a counterexample
# honouring the facts it does read is not refuted.
_WORDED_CONDITION = re.compile(r"(?<!hidden )(?<!input )(?<!output )\bunit[- ](?:vectors?|norm|length|ball|sphere|circle)\b|"
                               r"\b(?:normali[sz]ed|at\s+(?:most|least)|no\s+(?:more|less|larger|greater|smaller)\s+than|"
                               r"(?:less|greater|larger|smaller)\s+than|exceeds?|bounded|ball|sphere|magnitude|simplex|"
                               r"probabilit(?:y|ies))\b", re.IGNORECASE)
_DISPLAY = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.DOTALL)
_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm)\s*(?:\{\s*\\?([A-Za-z]+)\s*\}|\\?([A-Za-z])(?![A-Za-z]))")


class MatrixScan:
    """Kept by proofs.scan.steps for one document: the model of its current section."""

    def __init__(self, text: str) -> None:
        self.text = text
        # whether \sigma(...) is the logistic function: only where the material says sigmoid or logistic (the scalar
        # reading's rule); elsewhere an arbitrary function whose values and derivative values are free
        self.logistic = bool(LOGISTIC.search(text))
        self.model = Model()
        # letter -> (line, text): a definition the matrix reading could not read; a step using it is skipped
        self.opaque: dict = {}
        # letter -> (line, text): a relation between a name and a number the material states in words ("assume
        # $||D_k|| = 1$"), read by the scalar reading's rule for a condition (proofs.scan.find.CONDITION_WORDS)
        self.stated: dict = {}
        # letter -> [(left, relation, right)]: those relations as read, which instances of a step using it honour
        self.facts: dict = {}
        # letter -> (line, text): a relation between it and a number printed as a step, which the scan could not
        # decide: never a fact (a false one would make its consequences checked); a step that fails without it needs
        # review, naming it
        self.bare: dict = {}
        self.sentences: dict = {}
        # whether X^T is read as a transpose only (deciding the transpose reading of a step that may read a power)
        self.as_transpose = False
        # functions the material defines by a formula (f(x) = x^2): a step applying one is left to the scalar reading
        self.functions: set = set()
        # the sides of the last step decided, as read, and what they were decided with (for drafting claims)
        self.trees: tuple = ()
        self.context: Optional[Context] = None
        # how far the prose has been read for declarations
        self.position = 0
        # a condition word an earlier sentence of the section states about no letter the scan attached it to, and
        # where the sentences not yet read for one start
        self.loose: Optional[str] = None
        self.loose_from = 0
        # letter -> "vector" or "matrix": what an earlier section declared it (a letter this one reads as a number
        # without saying so may be the same vector: such a step is not decided)
        self.earlier: dict = {}
        # letter -> a condition on it the section states that the instances do not honour ("0 < \eta < 1")
        self.conditioned: dict = {}
        # letter -> [(relation, number)]: the bounds the section states on it ("$n \le 3$"), which a size honours
        self.bounded: dict = {}
        # letters the section states a condition on that is not read as such a bound
        self.unbounded: set = set()
        # words of the step's section that may state a size the scan does not read (see _size_words), or None
        self.worded: Optional[str] = None
        # where the sentence of the step being decided is in the text
        self.bounds: tuple = (0, 0)

    def advance(self, end: int) -> None:
        """Read the declarations and conditions of the prose up to `end` (a sentence with no formula counts too:
        "If the weight matrices were orthogonal, then ...")."""
        if end <= self.position:
            return
        for sentence in re.split(r"(?<=[.?!:])\s+|\n\s*\n", self.text[self.position:end]):
            for letter, conditions in declarations(self.model, sentence).items():
                self.model.conditions.setdefault(letter, set()).update(conditions)
        self.position = end
        # whole sentences only: a piece cut at a formula ("be orthogonal, and let") would lose its letter
        chunk, last = self.text[self.loose_from:end], 0
        for stop in _SENTENCE_END.finditer(chunk):
            sentence, last = chunk[last:stop.start()], stop.end()
            if HEADING.match(sentence):
                continue  # a title ("## 5 Orthogonal weights") states no condition
            self.unbounded.update(m.group("letter") or m.group("described") for m in _KIND_OF_SIZE.finditer(sentence))
            self.loose = self.loose or unattached(sentence, declarations(self.model, sentence))
        self.loose_from += last

    def scope(self) -> dict:
        """What the section read so far declares, defines and states (see `restore`): an enclosing scope's."""
        return dict(model=_snapshot(self.model), loose=self.loose, conditioned=dict(self.conditioned),
                    opaque=dict(self.opaque), stated=dict(self.stated), facts={k: list(v) for k, v in self.facts.items()},
                    functions=set(self.functions), bare=dict(self.bare),
                    bounded={k: list(v) for k, v in self.bounded.items()}, unbounded=set(self.unbounded))

    def restore(self, scope: Optional[dict], declarations_only: bool = False) -> None:
        """A new scope: what the one that ends declared no longer holds; what the enclosing `scope` (None: the
        document's start) declared holds again (the conventions stated so far hold on, but vectors written as rows only
        where that is stated: the document's start, an enclosing heading's introduction or the scope itself). `declarations_only`: a new
        part of an exercise, which keeps what the parts before it define and state (a formula, a condition, a fact
        holds to its section's end, as the scalar reading's formulas do) but not the shapes they declare: a letter a
        part declares again has that declaration, and the conditions stated before it no longer hold."""
        self.earlier.update({k: v for k, v in self.model.kinds.items() if v in ("vector", "matrix")})
        self.earlier.update({k: "vector" for k in self.model.implied})
        base = _snapshot(scope["model"]) if scope is not None else Model()
        if declarations_only:
            model = _snapshot(self.model)
            for letter, kept in model.replaced.items():
                # the part that ends declared the letter otherwise (a number, for itself): the conditions it held just
                # before that declaration hold again, as the enclosing declaration does; not the enclosing scope's
                # own, which an earlier part may have dropped by taking the letter in general
                if letter not in model.conditions and model.kinds.get(letter) != base.kinds.get(letter):
                    if kept:
                        model.conditions[letter] = set(kept)
            self.model = dataclasses.replace(model, kinds=base.kinds, dims=base.dims, lengths=base.lengths, replaced={},
                                             inherited=set(base.kinds) | set(model.conditions))
            return
        self.model = dataclasses.replace(base, layouts=self.model.layouts, matrix_norm=self.model.matrix_norm,
                                         inherited=set(base.kinds), replaced={})
        self.loose = scope["loose"] if scope is not None else None
        self.sentences.clear()
        for name in ("conditioned", "stated", "facts", "opaque", "functions", "bare", "bounded", "unbounded"):
            kept = getattr(self, name)
            kept.clear()
            if scope is not None:
                kept.update({k: list(v) for k, v in scope[name].items()} if name in ("facts", "bounded")
                            else scope.get(name, {}))

    def sentence(self, bounds: tuple) -> dict:
        """Read the declarations of a sentence (once); the conditions it states, which hold to the section's end."""
        if bounds not in self.sentences:
            prose = self.text[bounds[0]:bounds[1]]
            stated = declarations(self.model, prose)
            for letter, conditions in stated.items():
                self.model.conditions.setdefault(letter, set()).update(conditions)
            if _FROBENIUS.search(prose) and re.search(r"norm of a matrix", prose, re.IGNORECASE):
                self.model.matrix_norm = "F"
            self.sentences[bounds] = (stated, unattached(prose, stated))
        return self.sentences[bounds][0]

    def _read(self, text: str) -> Node:
        self._bold(text)
        self.model.bounds.update(_bounds(text))
        changes = "Delta" not in self.model.kinds and "Delta" not in self.model.equations
        tree = read(text, logistic=self.logistic, changes=changes)
        self.model.used |= _as_matrix(tree, self.model)
        return tree

    def _bold(self, text: str) -> None:
        """A bold small letter the material neither declares nor defines is a vector (of a length of its own, 1
        included), not a number: x y^T = y x^T holds for numbers only."""
        for m in _BOLD.finditer(text):
            name = m.group(1) or m.group(2)
            if (len(name) == 1 or name in GREEK) and name[0].islower():
                self.model.implied.add(name)

    def _transposed(self, n: Node, under: bool = False) -> None:
        """A small letter the material transposes (x^T y, (x + y)^T) is a vector, not a number, likewise."""
        if n.kind == "name" and under:
            letter = n.data[0]
            if (len(letter) == 1 or letter in GREEK) and letter[0].islower():
                self.model.implied.add(letter)
        for a in n.args:
            self._transposed(a, n.kind == "T" or (under and n.kind in ("add", "neg")))

    def define(self, left: str, right: str, line: int) -> None:
        """Keep a definition the scan found, as a forward equation when it reads in matrix notation."""
        try:
            head = self._read(left)
        except Skip:
            return
        if head.kind == "apply":
            self.functions.add(head.data)  # a function the material gives a formula: not an arbitrary one
            return
        if head.kind != "name":
            return
        letter, index = head.data
        try:
            body = self._read(right)
        except Skip as exc:
            self.opaque[letter] = (line, f"{' '.join(left.split())}: {exc}")
            return
        self._transposed(body)
        vector = by_entry(index, body, self.model)
        if vector is not None:  # yhat_j = e^{z_j} / sum_k e^{z_k}: the vector yhat, entry by entry
            body, index = vector, None
        else:
            body = entries(body, self.model)
        if letter in {n[0] for n in names_of(body)} and index is None:
            self.opaque[letter] = (line, "defined in terms of itself")
            return
        self.opaque.pop(letter, None)
        self.model.equations.setdefault(letter, []).append((index, body))

    def _recurrent(self, letter: str) -> bool:
        """Whether a letter's forward equations reach it again (h_{t+1} from z_{t+1} from h_t): its first member read
        by a step is an input."""
        seen, todo = set(), [letter]
        while todo:
            for _, body in self.model.equations.get(todo.pop(), ()):
                for n in names_of(body):
                    if n[0] == letter:
                        return True
                    if n[0] not in seen:
                        seen.add(n[0])
                        todo.append(n[0])
        return False

    def _derived(self, letter: str, indices: list, lowest: dict) -> bool:
        """Whether the first member of a letter the step reads is computed from a first member of another letter it
        reads (z_{t+1} = W h_t with h_t read): then it is not an input of the recurrence, h_t is."""
        import sympy

        for index in indices:
            for pattern, body in self.model.equations.get(letter, ()):
                if pattern is None or len(pattern.free_symbols) != 1:
                    continue
                (var,) = pattern.free_symbols
                d = sympy.Dummy("d", integer=True)  # (the index may hold the pattern's own symbol: z_{t+1} read)
                solved = sympy.solve(sympy.Eq(pattern.xreplace({var: d}), index), d)
                if len(solved) != 1:
                    continue
                for other, at in names_of(body):
                    if other == letter or other not in lowest or at is None:
                        continue
                    at = at.xreplace({var: solved[0]})
                    if any(sympy.simplify(at - low) == 0 for low in lowest[other]):
                        return True
        return False

    def claim(self, left: str) -> bool:
        """Whether a step the scan would take for a definition is a claim in matrix notation: its left side is not a
        name (a gradient, a product), or names something a forward equation already defines (E = ... again)."""
        try:
            head = self._read(left)
        except Skip:
            return False
        if head.kind in ("apply", "dapply"):
            return False  # f(x) = ...: a function's definition
        if head.kind != "name":
            return True
        return any(p == head.data[1] for p, _ in self.model.equations.get(head.data[0], ()))

    def applies(self, text: str) -> bool:
        """Whether a step is one for the matrix reading: matrix notation, or a letter declared a vector or matrix."""
        if looks_matrix(text):
            return True
        letters = set(_LETTER.findall(text))
        return any(self.model.kinds.get(x) in ("vector", "matrix") for x in letters)

    def _as_vectors(self, trees, relation: str, seed: str, lowest: dict) -> Optional[Verdict]:
        """A refuted step with small letters the material gives no kind (read as numbers) is decided again with them
        as vectors: when it holds so, the reading is in doubt and it is skipped."""
        loose = sorted({n[0] for t in trees for n in names_of(t)} - _grad_letters(*trees) - set(self.model.kinds)
                       - set(self.model.equations) - self.model.implied - {n for n in self.model.kinds if "_" in n})
        loose = [x for x in loose if len(x) == 1 and x.islower()]
        if not loose:
            return None
        kinds = dict(self.model.kinds)
        self.model.kinds.update({x: "vector" for x in loose})
        try:
            again = self._decide(trees[0], relation, trees[1], seed, lowest)
        except Skip:
            again = None
        finally:
            self.model.kinds = kinds
        if again is not None and again.status == "checked":
            return Verdict("skipped", f"fails with {', '.join(loose)} read as numbers but holds with them read as vectors, "
                                      "and the material does not say which")
        return None

    def _other_products(self, readings: list, relation: str, seed: str, lowest: dict, verdict: Verdict,
                        written: tuple = ()) -> Optional[Verdict]:
        """A refuted step with a product the notation leaves open, decided again under its other readings: a norm,
        an absolute value or a number after the last factor that reads the index (\\prod_k \\|A_k\\| \\|g\\|) inside
        or outside the product, and bounds written from the top down (\\prod_{k=T-1}^{t}, the factors from k = T-1
        down to t, as products of Jacobians are often written). Refuted only when every reading fails. A step that
        holds only with another factor (\\prod_i x_i a, a a name or a matrix) read outside its product needs review:
        the convention binds the whole product term after a product, and under it the step fails."""
        unconventional, down = None, None
        for other, what in readings:
            try:
                again = self._decide(other[0], relation, other[1], seed, lowest)
            except Skip as exc:
                return Verdict("skipped", f"{verdict.reason}; but read with {what} it is not decided ({exc})")
            taken = _taken_out(written, other) if "outside" in what else []
            if again.status == "checked" and taken and not all(f.kind in ("norm", "abs", "num") for f in taken) \
                    and self._fits(written):
                if unconventional is None:
                    unconventional = (what, again, taken)
                continue
            if again.status == "checked":
                return Verdict("checked", f"{again.reason}, reading {what} (it fails as first read: {verdict.reason})")
            if again.status != "refuted":
                return Verdict("skipped", f"{verdict.reason}; but read with {what} it is {again.status} ({again.reason})")
            if not replay(other[0], relation, other[1], self.model, again.counterexample):
                return Verdict("unknown", f"{verdict.reason}; read with {what} it fails too, but the plain evaluation does "
                                          "not confirm that (not refuted)")
            if down is None and what.startswith("each product's factors from its lower bound down"):
                down = f"; read with {what} it fails too: {again.reason}"
        if unconventional is not None:
            what, again, taken = unconventional
            if not replay(written[0], relation, written[1], self.model, verdict.counterexample):
                return Verdict("unknown", f"{verdict.reason}; but the plain evaluation does not confirm it (not refuted)")
            out = ", ".join(str(f) for f in taken)
            return Verdict("needs review", f"{verdict.reason}, reading each product's body as the whole product term "
                                           f"after it (the convention); it holds only reading {what} ({again.reason}), "
                                           f"and the factor{'s' if len(taken) > 1 else ''} it takes out ({out}) "
                                           f"{'are' if len(taken) > 1 else 'is'} not a norm, an absolute value or a "
                                           "written number: review it (it fails under the conventional reading and holds only "
                                           "under the other)", verdict.counterexample)
        if down is not None:
            # \\prod_{k=T-1}^{t} as first read may fail only where the course's top-down product is empty (t > T-1):
            # the failure under the top-down reading is shown too (refuted: its counterexample stays the first one)
            return Verdict("refuted", verdict.reason + down, verdict.counterexample)
        return None

    def _fits(self, trees: tuple) -> bool:
        """Whether a step's sides have shapes at every size under some layout: a product whose body is a vector
        (\\prod_k W^T D_{k+1} \\frac{\\partial l}{\\partial h_T} read with the gradient inside) has one only where a
        size is 1, so it is no reading of the step."""
        for layout in ("column", "row"):
            shapes = Shapes(self.model)
            shapes.scalars |= {i for i in _free_indices(*trees) if i not in self.model.kinds
                               and i not in self.model.equations}
            try:  # the forward equations' shapes first (D_k = Diag(...) is square), as the instances take them
                for letter, eqs in self.model.equations.items():
                    for index, body in eqs:
                        family, inferred = shapes.family(letter, index), shapes.infer(body, strict=True, layout=layout)
                        if family != "scalar" and inferred != "scalar":
                            shapes.unify(family[0], inferred[0], True)
                            shapes.unify(family[1], inferred[1], True)
            except (Mismatch, Skip):
                return True  # not known not to fit: the step is not taken as one only the other reading gives shapes
            try:
                for t in trees:
                    shapes.infer(t, strict=True, layout=layout)
            except (Mismatch, Skip):
                continue
            return True
        return False

    def condition(self, left: str, relation: str, right: str, line: int = 0) -> None:
        """A formula the prose makes a condition ("with $W^T W = I$"): what it states about a matrix holds from here.
        A sign stated of a number ("$\\lambda > 0$") holds on every instance from here; any other condition on a
        number ("$0 < \\eta < 1$") makes a failing step that reads it need review. A relation between a matrix
        expression and a number ("assume $\\|x\\| = 1$") is a fact of its names: the instances of a later step that
        fails without it honour it."""
        self._fact(left, relation, right, line)
        if relation in ("<", ">", "<=", ">=", "!="):
            self._sign(left, relation, right)
            return
        if relation != "=":
            return
        try:
            trees = self._read(left), self._read(right)
            letter, condition = _orthogonality(*trees) or (None, None)
        except Skip:
            return
        total = _total(*(entries(t, self.model) for t in trees))
        if total is not None:
            self.model.totals[total[0]] = total[1]
        if letter is not None:
            self.model.conditions.setdefault(letter, set()).add(condition)
        symmetric = _symmetry(*trees)
        if symmetric is not None:  # "with $A^T = A$"
            self.model.conditions.setdefault(symmetric, set()).add("symmetric")

    def _fact(self, left: str, relation: str, right: str, line: int) -> None:
        """Record a condition in words between a matrix expression and a number as a fact of the names it reads."""
        if relation not in ("=", "<", "<=", ">", ">="):
            return
        try:
            trees = tuple(entries(self._read(x), self.model) for x in (left, right))
        except Skip:
            return
        if not any(map(_number, trees)) or all(map(_number, trees)) or _total(*trees) is not None:
            return  # a total of a vector's entries (\\sum_i y_i = 1) is honoured by every instance (condition)
        used = {n[0] for t in trees for n in names_of(t)}
        if not any(self.model.kind(x) in ("vector", "matrix") for x in used):
            return  # a condition on numbers: _sign's
        text = " ".join(x for x in (left.strip(), relation, right.strip()) if x)
        for letter in used:
            self.stated[letter] = (line, text)
            self.facts.setdefault(letter, []).append((trees[0], relation, trees[1]))

    def _sign(self, left: str, relation: str, right: str) -> None:
        try:
            trees = self._read(left), self._read(right)
        except Skip:
            trees = ()
        names = [t for t in trees if t.kind == "name" and self.model.kind(t.data[0]) == "scalar"]
        zero = [t for t in trees if t.kind == "num" and t.data == 0]
        if len(trees) == 2 and names and zero:
            if trees[0] is zero[0]:  # 0 < lambda: lambda > 0
                relation = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(relation, relation)
            sign = {">": "positive", ">=": "nonnegative", "<": "negative", "<=": "nonpositive", "!=": "nonzero"}[relation]
            self.model.conditions.setdefault(names[0].data[0], set()).add(sign)
            return
        bound = _bound(trees, relation)
        if bound is not None:
            self.bounded.setdefault(bound[0], []).append(bound[1:])
        for letter in _LETTER.findall(left + " " + right) + [g for g in GREEK if "\\" + g in left + right]:
            self.conditioned.setdefault(letter, f"{left} {relation} {right}".strip())
            if bound is None or letter != bound[0]:
                self.unbounded.add(letter)

    def _decide(self, left: Node, relation: str, right: Node, seed: str, lowest: dict, facts: tuple = ()) -> Verdict:
        """`instances.decide` under what the section states about the sizes."""
        return decide(left, relation, right, self.model, seed, lowest, facts, sizes=self._sizes(), worded=self.worded)

    def _sizes(self) -> dict:
        """letter -> (lowest, highest, whether a condition on it is not read): what the section states about a letter
        that may be a size, a value it defines (n = 3) or the bounds it states (n <= 3); None where it states none."""
        out = {}
        for letter in set(self.bounded) | self.unbounded | set(self.model.equations):
            lo, hi = None, None
            eqs = self.model.equations.get(letter, [])
            if eqs:
                values = {Fraction(body.data) if body.kind == "num" and index is None else None for index, body in eqs}
                if None in values or len(values) != 1:
                    continue  # defined by a formula: no size of its own
                lo = hi = values.pop()
            for relation, c in self.bounded.get(letter, ()):
                if relation in ("<=", "<"):
                    hi = min(hi, c) if hi is not None else c
                if relation in (">=", ">"):
                    lo = max(lo, c) if lo is not None else c
                if relation == "<" and hi == c:
                    hi = c - 1 if c.denominator == 1 else c
                if relation == ">" and lo == c:
                    lo = c + 1 if c.denominator == 1 else c
            out[letter] = (lo, hi, letter in self.unbounded)
        return out

    def decide(self, left: str, relation: str, right: str, bounds: tuple, line: int, seed: str,
               end: Optional[int] = None) -> Verdict:
        """The verdict on one step (skipped with the reason where it cannot be read or decided). `end`: where the
        step ends in the text (the words after it in its sentence may state it of every member of a family)."""
        self.sentence(bounds)
        self.bounds = bounds
        self.worded = _size_words(self.text, bounds)
        if relation not in ("=", "!=", "<", "<=", ">", ">="):
            return Verdict("skipped", f"the relation {relation} is not checked")
        try:
            trees = self._read(left), self._read(right)
            for t in trees:
                self._transposed(t)
        except Skip as exc:
            return Verdict("skipped", str(exc))
        trees = _powers_of_numbers(trees)
        head = trees[0]
        if relation == "=" and head.kind == "name" and head.data[0].startswith("Delta") and head.data[0] != "Delta" \
                and head.data[0] not in self.model.equations:
            self.define(left, right, line)  # \Delta W = -\eta \nabla_W L: an update the material defines
            return Verdict("definition", f"defines {' '.join(left.split())} (a change), not an identity")
        if relation == "=" and head.kind == "name" and head.data[0].startswith(("hat_", "bar_", "tilde_")) \
                and head.data[0] not in self.model.kinds and head.data[0] not in self.model.equations \
                and head.data[0] not in {n[0] for n in names_of(trees[1])}:
            self.define(left, right, line)  # \hat{\mathbf{y}} = W_2 h: an accented bold name the material defines
            return Verdict("definition", f"defines {' '.join(left.split())}")
        if _entries_only(trees, self.model):
            return Verdict("skipped", "reads the entries of a matrix only (W_{ij}), numbers: left to the reading of numbers")
        one = entry_names(trees[0], self.model) + entry_names(trees[1], self.model)
        if one:
            return Verdict("skipped", f"a step about the entry {one[0]} of a vector (read entry by entry, not in matrix "
                                      "notation)")
        trees = tuple(entries(t, self.model) for t in trees)
        self.trees = trees
        used = {n[0] for t in trees for n in names_of(t)}
        for letter in sorted(used - _grad_letters(*trees)):
            if self.model.kind(letter) == "scalar" and letter not in self.model.kinds and letter in self.earlier:
                return Verdict("skipped", f"reads {letter} as a number, but an earlier section declares it a "
                                          f"{self.earlier[letter]} and this one does not say which it is here")
        rest = self.text[bounds[0]:]
        heading = HEADING.search(rest, 1)  # the bounds of sums in the rest of the section count too
        both = sorted(self.model.conflicts(used, frozenset(_bounds(rest[:heading.start() if heading else len(rest)]))))
        if both:
            return Verdict("skipped", f"reads {both[0]} as the bound of a sum (a number) and as a matrix or a vector, and the "
                                      "material does not say which it is")
        opened = list(HEADING.finditer(self.text[:bounds[0]]))  # the section so far: "$T$ time steps" makes T a size
        power = None if self.as_transpose else \
            _power_or_transpose(trees, left + " " + right, self.model, rest[:heading.start() if heading else len(rest)],
                                counted(self.text[opened[-1].start() if opened else 0:bounds[0]]))
        if power is not None:
            skipped = Verdict("skipped", f"reads {power}^T as a transpose, but T is a size in this section (the bound of a "
                                         f"sum or a product, a dimension or a length), so {power}^T may be a power of a "
                                         "number")
            return self._both_readings(left, relation, right, bounds, line, seed, trees, power, skipped)
        row = sorted(x for x in _reached(trees, self.model) if self.model.kind(x) == "vector"
                     and (self.model.rows or x in self.model.row_vectors))
        if row:
            if not self.model.rows:
                return Verdict("skipped", f"reads the vector {row[0]}, which the material says is a row vector (the matrix "
                                          "reading takes a vector as a column)")
            return Verdict("skipped", f"reads the vector {row[0]}, where the material writes vectors as rows (the "
                                      "matrix reading takes a vector as a column)")
        applied = sorted(self.functions & _applied(*trees))
        if applied:
            return Verdict("skipped", f"applies {applied[0]}, which the material defines by a formula (the matrix reading "
                                      "takes only functions the material leaves arbitrary)")
        orthogonal, condition = (_orthogonality(*trees) if relation == "=" else None) or (None, None)
        if orthogonal is not None and not self.model.conditions.get(orthogonal, set()) & {"orthogonal", "orthonormal", ROWS}:
            self.model.conditions.setdefault(orthogonal, set()).add(condition)
            rows = " in its rows (they are orthonormal)" if condition == ROWS else ""
            return Verdict("skipped", f"states that {orthogonal} is orthogonal{rows} (a condition on it, which the steps "
                                      "after it are checked under), not an identity")
        for letter in sorted(used):
            if letter in self.opaque:
                at, what = self.opaque[letter]
                return Verdict("skipped", f"uses {letter}, defined on line {at} in a form the scan does not read ({what})")
        lowest: dict = {}
        for t in trees:
            _lowest(t, lowest, set())
        lowest = {k: v for k, v in lowest.items() if self._recurrent(k)}
        lowest = {k: v for k, v in lowest.items() if not self._derived(k, v, lowest)}
        self.context = Context(_snapshot(self.model), lowest)
        readings: list = [(trees, "")] + _product_readings(trees)
        written = trees
        if len(readings) > 1 and "outside" in readings[1][1] and _numbers_outside(trees, readings[1][0]):
            # \prod_k \|A_k\| \|g\|: the number after the product is most often outside it (tried first: not a
            # verdict's order, which is the same whichever holds, only the time a true step takes)
            readings[0], readings[1] = readings[1], (trees, "the factors after the last one that reads a product's "
                                                            "index inside it")
            trees = readings[0][0]
        try:
            verdict = self._decide(trees[0], relation, trees[1], seed, lowest)
        except Skip as exc:
            return Verdict("skipped", str(exc))
        if verdict.status == "checked" and readings[0][1]:
            verdict = Verdict("checked", f"{verdict.reason}, reading {readings[0][1]}")
        if verdict.status == "refuted":
            other = self._other_products(readings[1:], relation, seed, lowest, verdict, written)
            if other is not None and other.status != "refuted":
                return other
            verdict = other or verdict
        if verdict.status == "refuted":
            other = self._as_vectors(trees, relation, seed, lowest)
            if other is not None:
                return other
        if verdict.status == "refuted" and not replay(trees[0], relation, trees[1], self.model, verdict.counterexample):
            return Verdict("unknown", f"{verdict.reason}; but the plain evaluation does not confirm it (not refuted)")
        if verdict.status == "refuted":
            lone = _lone_name(trees, self.model)
            if lone is not None:
                return Verdict("skipped", f"gives {lone}, which appears nowhere else in it, a value or a bound (a definition "
                                          "or a condition the scan did not recognise), not an identity")
            relied = sorted(used & set(self.stated))
            # A step that holds on every instance honouring the facts the material states in words holds under any
            # further condition.
            under = self._under_facts(trees, relation, seed, lowest, relied, verdict) if relied else None
            if under is not None and under.status == "checked":
                return under
            if any(map(_number, trees)) and end is not None \
                    and _FOR_EVERY.match(self.text[end:bounds[1]]) is not None:
                # stated in words of every member of a family ("for all layers $k$"): a fact of its names
                self.stated.update({letter: (line, seed) for letter in used})
                for letter in used:
                    self.facts.setdefault(letter, []).append((trees[0], relation, trees[1]))
                return Verdict("skipped", "a relation between a matrix expression and a number the prose states of "
                                          "every member of a family: a condition on its names (a fact the material states "
                                          "about them), not an identity")
            if any(map(_number, trees)):
                # printed as a step, not introduced by words: not adopted as a fact (the scalar reading's rule), so a
                # false one cannot make its consequences checked; a later step that fails without it needs review
                self.bare.update({letter: (line, seed) for letter in used})
                return Verdict("skipped", "a relation between a matrix expression and a number: a condition on its names "
                                          "the scan cannot decide, not an identity (printed as a step, it is not taken "
                                          "as a fact of them)")
            loose = self.sentences[bounds][1] or self.loose or next(
                (self.conditioned[x] for x in sorted(used) if x in self.conditioned), None)
            if under is not None and not loose:
                return under
            worded = _worded_condition(self.text, bounds, used)
            if worded is not None and not loose:
                return _review(verdict, f"its section states a condition in words the scan does not read ('{worded}') "
                                        "in a sentence that writes one of its names")
            if loose:
                return _review(verdict, f"its sentence states a condition ({loose}) the scan could not attach to a name")
            printed = sorted(used & set(self.bare))
            if printed:
                at, what = self.bare[printed[0]]
                return Verdict("needs review", f"{verdict.reason}; it uses {printed[0]}, of which line {at} prints {what} as "
                                               "a step the scan could not decide (not taken as a fact): review it (it "
                                               "fails unless that relation holds and excludes the instance)",
                               verdict.counterexample)
        return verdict

    def _both_readings(self, left: str, relation: str, right: str, bounds: tuple, line: int, seed: str, trees: tuple,
                       power: str, skipped: Verdict) -> Verdict:
        """A step with x^T, x a small Latin letter and T a size: refuted only when it fails as a transpose (the matrix
        reading's counterexample, replayed) and as a power of a number (plain fractions); skipped otherwise. A number
        or a Greek letter (gamma^T) is most often a power: skipped as before."""
        if not (len(power) == 1 and power.isalpha() or power.startswith("(")):
            return skipped
        self.as_transpose = True
        try:
            verdict = self.decide(left, relation, right, bounds, line, seed)
        finally:
            self.as_transpose = False
        if verdict.status != "refuted":
            return skipped
        bold = {m.group(1) or m.group(2) for m in _BOLD.finditer(left + " " + right)}
        numbers = {x for t in trees for x, _ in names_of(t)
                   if x not in bold and self.model.kinds.get(x) not in ("vector", "matrix")}
        failed = power_reading.fails(trees[0], relation, trees[1], numbers)
        if failed is None:
            return skipped
        return Verdict("refuted", f"{verdict.reason}; read with {power}^T a power of the number {power} (T a size), it "
                                  f"fails too: {failed}", verdict.counterexample)

    def _under_facts(self, trees, relation: str, seed: str, lowest: dict, relied: list, verdict: Verdict) -> Verdict:
        """A step refuted on instances that ignore what the material states about its names (||D_k|| = 1), decided
        again on instances that honour it: checked there; refuted where the plain evaluation replays both the failure
        and every fact at the counterexample exactly (a rational unit vector has norm 1 exactly); else needs review."""
        at, what = self.stated[relied[0]]
        facts = tuple(f for letter in relied for f in self.facts.get(letter, ()))
        try:
            again = self._decide(trees[0], relation, trees[1], seed, lowest, facts)
        except Skip:
            again = None
        if again is not None and again.status == "checked":
            return Verdict("checked", f"{again.reason}; it fails without what line {at} states about {relied[0]} "
                                      f"({what}), which the instances honour")
        worded = _worded_condition(self.text, self.bounds, {n[0] for t in trees for n in names_of(t)})
        if again is not None and again.status == "refuted" and facts and not again.counterexample.get("shapes_only") \
                and worded is None and replay(trees[0], relation, trees[1], self.model, again.counterexample) \
                and all(holds(*fact, self.model, again.counterexample) for fact in facts):
            return Verdict("refuted", f"{again.reason}; the instance honours what line {at} states about {relied[0]} "
                                      f"({what}), exactly", again.counterexample)
        shown = again.reason if again is not None and again.status == "refuted" else verdict.reason
        example = again.counterexample if again is not None and again.status == "refuted" else verdict.counterexample
        if worded is not None:
            shown += f"; the section states a condition in words the scan does not read ('{worded}')"
        return Verdict("needs review", f"{shown}; it uses {relied[0]}, of which line {at} states {what}: review it (it "
                                       "fails unless that fact excludes the instance)", example)


@dataclasses.dataclass(frozen=True)
class Context:
    """What a matrix step was decided with, kept with the step for drafting it (proofs.scan.draft_matrix)."""

    # the section's model as it stood at the step (its own dicts and lists: later definitions do not change it)
    model: Model
    # letter -> the lowest indices of it the step reads (the inputs of a recurrence)
    lowest: dict


def _size_words(text: str, bounds: tuple) -> Optional[str]:
    """The first words of the section around `bounds` that may state a size in words the scan does not read (see
    _SIZE_WORDS), outside its headings and displays; None where it has none."""
    prose = _section_prose(text, bounds)
    found = _SIZE_WORDS.search(prose) or _PROSE_NUMBER.search(re.sub(r"\$[^$]*\$", " ", prose))
    return " ".join(found.group(0).split()) if found else None


def _section_prose(text: str, bounds: tuple) -> str:
    """The section around `bounds`, without its headings and displays."""
    opened = list(HEADING.finditer(text, 0, bounds[0]))
    start = opened[-1].start() if opened else 0
    after = HEADING.search(text, max(bounds[0], start + 1))
    section = text[start:after.start() if after else len(text)]
    return _DISPLAY.sub(" ", "\n".join(line for line in section.split("\n") if not HEADING.match(line)))


def _worded_condition(text: str, bounds: tuple, letters: set) -> Optional[str]:
    """Words of a condition the scan does not read (see _WORDED_CONDITION) in a sentence of the section that writes one
    of `letters` in a formula; None where there are none."""
    for sentence in _SENTENCE_END.split(_section_prose(text, bounds)):
        found = _WORDED_CONDITION.search(re.sub(r"\$[^$]*\$", " ", sentence))
        formulas = " ".join(re.findall(r"\$([^$]*)\$", sentence))
        if found and any(re.search(rf"(?<![A-Za-z\\]){re.escape(x)}(?![A-Za-z])", formulas) for x in letters):
            return " ".join(found.group(0).split())
    return None


def _snapshot(model: Model) -> Model:
    return dataclasses.replace(model, kinds=dict(model.kinds), dims=dict(model.dims), phrases=dict(model.phrases),
                               inherited=set(model.inherited), bounds=set(model.bounds), used=set(model.used),
                               row_vectors=set(model.row_vectors),
                               conditions={k: set(v) for k, v in model.conditions.items()},
                               equations={k: list(v) for k, v in model.equations.items()}, totals=dict(model.totals),
                               lengths=dict(model.lengths), implied=set(model.implied),
                               replaced={k: set(v) for k, v in model.replaced.items()})


def _as_matrix(n: Node, model: Model) -> set:
    """The letters a tree reads as a matrix or a vector: transposed, or a factor of a product with a matrix or a vector
    (a transposed factor, the identity, a letter declared or defined one, a bold or transposed small letter)."""
    out: set = set()
    if n.kind == "T" and n.args[0].kind == "name":
        out.add(n.args[0].data[0])
    if n.kind == "mul":
        def matrix(f: Node) -> bool:
            return f.kind in ("T", "I") or (f.kind == "name" and model.kind(f.data[0]) in ("vector", "matrix", "defined")
                                             and f.data[0] not in model.sizes())
        for k, f in enumerate(n.args):
            if f.kind == "name" and any(matrix(g) for j, g in enumerate(n.args) if j != k):
                out.add(f.data[0])
    for a in n.args:
        out |= _as_matrix(a, model)
    return out


def _number(t: Node) -> bool:
    """Whether a side is a number: a numeral, or one written with a sign, a fraction or arithmetic of numerals
    (`-1`, `\\frac{1}{4}`), which a relation with a matrix expression states as a fact as a numeral does (the value
    the instances then draw a vector of that norm with, `instances._numeral`)."""
    return _numeral(t) is not None


def _total(left: Node, right: Node) -> Optional[tuple]:
    """(y, c) for a stated condition sum_i y_i = c (1^T y = c) on the entries of a vector y, or None."""
    for a, b in ((left, right), (right, left)):
        if a.kind == "sum" and a.data[2] is None and b.kind == "num" and a.args[0].kind == "entry" \
                and a.args[0].args[0].kind == "name":
            return a.args[0].args[0].data[0], b.data
        # 1^T p = 1 (x^T 1 too): the same sum written with the vector of ones
        if a.kind == "mul" and len(a.args) == 2 and b.kind == "num":
            first, second = a.args
            for ones, vector in ((first, second), (second, first)):
                if ones.kind == "T" and ones.args[0].kind == "ones" and vector.kind == "name" and vector is second:
                    return vector.data[0], b.data
                if ones.kind == "ones" and vector.kind == "T" and vector.args[0].kind == "name" and ones is second:
                    return vector.args[0].data[0], b.data
    return None


def _lone_name(trees, model: Model) -> Optional[str]:
    """A side that is a bare name the other side does not read and no forward equation defines (Q = (x - mu)^T B (x -
    mu), e = ...): the step gives it a value, as a definition or a condition does; it is not an identity to refute."""
    for k, side in enumerate(trees):
        if side.kind != "name" or side.data[0] in model.equations:
            continue
        # the names the other side reads, through the forward equations too (\nabla_A f = B with f = tr(AB) reads B)
        if side.data[0] not in _reached((trees[1 - k],), model):
            return side.data[0]
    return None


def _reached(trees, model: Model) -> set:
    """The letters the trees read, and those their forward equations read in turn."""
    read, todo = set(), [n[0] for t in trees for n in names_of(t)]
    while todo:
        letter = todo.pop()
        if letter not in read:
            read.add(letter)
            todo.extend(n[0] for _, body in model.equations.get(letter, ()) for n in names_of(body))
    return read


_LETTER_T = re.compile(r"\^\s*(?:\{\s*T\s*\}|T(?![A-Za-z]))")
_BOUNDED = re.compile(r"\\(?:sum|prod)\s*_\s*\{[^{}]*\}\s*\^\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+)")
# the letter T in a bound _BOUNDED matched (\prod_{k=1}^{T}, \sum_{k=t}^{T-1}), not in a command (\top)
_T_IN_BOUND = re.compile(r"\^\s*(?:\{[^{}]*(?<![\\A-Za-z])T(?![A-Za-z])[^{}]*\}|T(?![A-Za-z]))")


def _power_or_transpose(trees: tuple, text: str, model: Model, section: str, counts=frozenset()) -> Optional[str]:
    """The base of an X^T the step writes with the letter T where the section uses T as a size (\\prod_{k=1}^{T},
    "sequence length $T$", R^{T x d}) and X is a number or a small letter the material declares neither a vector nor
    a matrix nor writes in bold: gamma^T is then a power as much as a transpose (None when there is no such base)."""
    if not _LETTER_T.search(_BOUNDED.sub(" ", text)) or ("T" not in model.sizes() and "T" not in _bounds(section)
                                                        and "T" not in counts):
        return None
    bold = {m.group(1) or m.group(2) for m in _BOLD.finditer(text)}
    # T a bound of a sum or a product of the step itself (\prod_{k=1}^{T} W = W^{T}) is a number there: X^T is then
    # as much X to the power T as a transpose, whatever X is declared
    own = _T_IN_BOUND.search(" ".join(m.group(0) for m in _BOUNDED.finditer(text))) is not None

    def walk(n: Node) -> Optional[str]:
        if n.kind == "T" and n.args:
            base = n.args[0]
            if base.kind == "num":
                return str(base.data)
            if base.kind == "name":
                letter = base.data[0]
                if own or (letter[0].islower() and letter not in bold
                           and model.kinds.get(letter) not in ("vector", "matrix")):
                    return letter
            shown = _number_like(base, bold, model)
            if shown is not None:  # (1 - p)^T: a number's power as much as a transpose
                return shown
        for a in n.args:
            found = walk(a)
            if found is not None:
                return found
        return None

    for t in trees:
        found = walk(t)
        if found is not None:
            return found
    return None


def _number_like(n: Node, bold: set, model: Model) -> Optional[str]:
    """A base of ^T built by +, - and products from numbers and single small Latin letters the material declares
    neither vectors nor matrices nor writes in bold ((1 - p), (2 a)), printed in parentheses; None for anything else."""
    def printed(m: Node) -> Optional[str]:
        if m.kind == "num":
            return str(m.data)
        if m.kind == "name":
            letter, index = m.data
            ok = index is None and len(letter) == 1 and letter.islower() and letter not in bold \
                and model.kinds.get(letter) not in ("vector", "matrix")
            return letter if ok else None
        parts = [printed(a) for a in m.args]
        if not parts or any(x is None for x in parts):
            return None
        if m.kind == "add":
            return " + ".join(parts).replace("+ -", "- ")
        if m.kind == "neg" and len(parts) == 1:
            return f"-{parts[0]}"
        if m.kind == "mul":
            return " ".join(parts)
        return None
    if n.kind not in ("add", "mul", "neg"):
        return None
    shown = printed(n)
    return None if shown is None else f"({shown})"


def _bound(trees: tuple, relation: str) -> Optional[tuple]:
    """(letter, relation, c) for a bound `letter RELATION c` on a lone letter by a number (either way round), or None."""
    if len(trees) != 2 or relation not in ("<", ">", "<=", ">="):
        return None
    if trees[0].kind == "num" and trees[1].kind == "name":
        trees, relation = trees[::-1], {"<": ">", ">": "<", "<=": ">=", ">=": "<="}[relation]
    name, number = trees
    if name.kind != "name" or name.data[1] is not None or number.kind != "num":
        return None
    try:
        return name.data[0], relation, Fraction(number.data)
    except (TypeError, ValueError):
        return None


def _review(verdict: Verdict, why: str) -> Verdict:
    """A refuted step that sits under a condition the scan could not read: never refuted, never a pass."""
    return Verdict("needs review", f"{verdict.reason}; but {why}: review it (it fails unless the condition excludes the "
                                   "instance)", verdict.counterexample)


def _orthogonality(left: Node, right: Node) -> Optional[tuple]:
    """The letter X of a step X^T X = I (its columns orthonormal: "orthogonal") or X X^T = I (its rows: ROWS), and
    which of the two conditions it states; or None."""
    for a, b in ((left, right), (right, left)):
        if b.kind == "I" and a.kind == "mul" and len(a.args) == 2:
            x, y = a.args
            for p, q, condition in ((x, y, "orthogonal"), (y, x, ROWS)):
                if p.kind == "T" and p.args[0].kind == "name" and q.kind == "name" and p.args[0].data == q.data:
                    return q.data[0], condition
    return None


def _symmetry(left: Node, right: Node) -> Optional[str]:
    """The letter X of a step X^T = X or X = X^T, or None."""
    for a, b in ((left, right), (right, left)):
        if a.kind == "T" and a.args[0].kind == "name" and b.kind == "name" and a.args[0].data == b.data:
            return b.data[0]
    return None


def _entries_only(trees, model: Model) -> bool:
    """Whether the step reads matrices only through entries of a named one (W_{ij}), no whole vector or matrix: an
    identity between numbers, which the scalar reading decides (and can prove)."""
    found = []

    def walk(n: Node) -> bool:
        if n.kind == "at" and n.args[0].kind == "name":
            found.append(n)
            return True
        if n.kind in ("at", "T", "inv", "norm", "tr", "Diag", "diag", "I", "ones", "grad", "hess", "had", "softmax",
                      "entry", "vec"):
            return False
        if n.kind == "name" and model.kind(n.data[0]) in ("vector", "matrix", "defined"):
            return False
        return all(walk(a) for a in n.args)
    return all(walk(t) for t in trees) and bool(found)


def _grad_letters(*trees: Node) -> set:
    """The letters a step differentiates or differentiates with respect to."""
    out: set = set()
    for t in trees:
        if t.kind in ("grad", "hess"):
            out |= {n[0] for n in names_of(t.args[1])}
            if t.args[0].kind == "name":
                out.add(t.args[0].data[0])
        out |= _grad_letters(*t.args)
    return out


def _applied(*trees: Node) -> set:
    out: set = set()
    for t in trees:
        if t.kind in ("apply", "dapply"):
            out.add(t.data)
        out |= _applied(*t.args)
    return out


def _reads(n: Node, index: str) -> bool:
    """Whether a tree reads the index `index` (in a subscript, a bound or an entry)."""
    data = n.data if isinstance(n.data, tuple) else (n.data,)
    if any(isinstance(d, sympy.Basic) and index in {s.name for s in d.free_symbols} for d in data):
        return True
    return any(_reads(a, index) for a in n.args)


def _substitute(n: Node, index: str, value) -> Node:
    """The tree with the index `index` replaced by the integer expression `value` wherever it is read."""
    symbol = sympy.Symbol(index, integer=True)

    def put(d):
        return d.xreplace({symbol: value}) if isinstance(d, sympy.Basic) else d
    data = tuple(put(d) for d in n.data) if isinstance(n.data, tuple) else put(n.data)
    return dataclasses.replace(n, args=tuple(_substitute(a, index, value) for a in n.args), data=data)


def _outside(n: Node) -> tuple:
    """Products with the factors after the last one that reads their index taken out of them; whether any was."""
    args = [_outside(a) for a in n.args]
    changed = any(c for _, c in args)
    n = dataclasses.replace(n, args=tuple(a for a, _ in args))
    if n.kind == "prod" and n.args[0].kind == "mul":
        factors = n.args[0].args
        read = [i for i, f in enumerate(factors) if _reads(f, n.data[0].name)]
        if read and read[-1] < len(factors) - 1:
            inner = factors[:read[-1] + 1]
            body = inner[0] if len(inner) == 1 else Node("mul", tuple(inner))
            return Node("mul", (dataclasses.replace(n, args=(body,)), *factors[read[-1] + 1:])), True
    return n, changed


def _descending(n: Node) -> tuple:
    """Products whose bounds are apart by a number the instances vary (k = t to T-1) read from the top down: the
    factors for k = lower, lower - 1, ..., upper; whether any was."""
    args = [_descending(a) for a in n.args]
    changed = any(c for _, c in args)
    n = dataclasses.replace(n, args=tuple(a for a, _ in args))
    if n.kind == "prod" and n.data[2] is not None and (n.data[2] - n.data[1]).free_symbols \
            and not _upward(n.data[1], n.data[2]):
        var, lo, hi = n.data
        j = sympy.Symbol(f"{var.name}'", integer=True)  # the position: factor j is the one of k = lo + hi - j
        body = _substitute(n.args[0], var.name, lo + hi - j)
        return Node("prod", (body,), (j, hi, lo)), True
    return n, changed


def _taken_out(trees: tuple, outside: tuple) -> list:
    """The factors the reading `outside` takes out of the products of `trees`."""
    def moved(a: Node, b: Node) -> list:
        if a.kind == "prod" and b.kind == "mul" and b.args and b.args[0].kind == "prod":
            return list(b.args[1:])
        if a.kind != b.kind or len(a.args) != len(b.args):
            return []
        return [m for x, y in zip(a.args, b.args) for m in moved(x, y)]
    return [m for a, b in zip(trees, outside) for m in moved(a, b)]


def _powers_of_numbers(trees: tuple) -> tuple:
    """\\|A\\|_2^{T}, T the bound of a product or a sum of the step: a power of a number (the norm), which has no
    transpose; read as the product of T copies of it (a power for every count T)."""
    bounds: set = set()

    def collect(n: Node) -> None:
        if n.kind in ("prod", "sum"):
            bounds.update(s.name for b in n.data[1:] if b is not None for s in b.free_symbols)
        for a in n.args:
            collect(a)

    def put(n: Node) -> Node:
        n = dataclasses.replace(n, args=tuple(put(a) for a in n.args))
        if n.kind == "T" and n.args[0].kind in ("norm", "abs") and "T" in bounds:
            j = sympy.Symbol("T'", integer=True)
            return Node("prod", (n.args[0],), (j, sympy.Integer(1), sympy.Symbol("T", integer=True)))
        return n
    for t in trees:
        collect(t)
    return tuple(put(t) for t in trees) if "T" in bounds else trees


def _upward(lo, hi) -> bool:
    """Whether a product's bounds go up with every size, from the smallest on or past a few small ones where it is
    empty (1 to n, 0 to n - 1, 1 to T - 2: its length grows with each letter of its bounds): the top-down reading would
    make it empty at every size past those, and decide a step only where the product has one factor or, read from 1
    down to 0 at T = 1, factors no reading means."""
    gap = sympy.expand(hi - lo)
    positive = {s: sympy.Symbol(s.name, integer=True, positive=True) for s in gap.free_symbols}
    if gap.xreplace(positive).is_nonnegative:
        return True
    try:
        poly = sympy.Poly(gap, *sorted(gap.free_symbols, key=str))
    except sympy.PolynomialError:
        return False
    return bool(gap.free_symbols) and poly.total_degree() == 1 and all(c >= 0 for m, c in poly.terms() if sum(m) == 1)


def _numbers_outside(trees: tuple, outside: tuple) -> bool:
    """Whether every factor the reading `outside` takes out of a product is a norm, an absolute value or a number."""
    factors = _taken_out(trees, outside)
    return bool(factors) and all(f.kind in ("norm", "abs", "num") for f in factors)


def _product_readings(trees: tuple) -> list:
    """The other readings of a step's products (see MatrixScan._other_products), each with what it reads."""
    out = []
    outside = [_outside(t) for t in trees]
    split = any(c for _, c in outside)
    if split:
        out.append((tuple(t for t, _ in outside), "the factors after the last one that reads a product's index outside it"))
    down = [_descending(t) for t in trees]
    if any(c for _, c in down):
        out.append((tuple(t for t, _ in down), "each product's factors from its lower bound down to its upper one"))
        if split:
            out.append((tuple(_descending(t)[0] for t, _ in outside), "each product's factors from its lower bound down "
                        "to its upper one and the factors after the last one that reads its index outside it"))
    return out


def _lowest(n: Node, out: dict, bound: set) -> None:
    """The indices each letter is read at outside products and sums: the first member of a recurrence is an input."""
    if n.kind == "name" and n.data[1] is not None:
        index = n.data[1]
        if not {s.name for s in index.free_symbols} & bound:
            out.setdefault(n.data[0], []).append(index)
    inner = bound | {n.data[0].name} if n.kind in ("prod", "sum") else bound
    for x in n.args:
        _lowest(x, out, inner)
