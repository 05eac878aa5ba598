"""The scan's reading of matrix notation: a side read into a small tree of matrix operations (Skip where it cannot)."""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from typing import Optional

import sympy

from proofs.scan.normalise import Skip, Token, normalise, tokens
from proofs.scan.parse import parse as parse_scalar
from proofs.scan.vocabulary import GREEK

__all__ = ["Node", "read", "MARKERS", "looks_matrix", "names_of"]

# Notation that only matrix material uses: a step holding one is read by this module.
MARKERS = re.compile(r"\\\||\\Vert|\\lVert|\^\s*\{?\s*(?:T|\\top|\\intercal)\s*\}?(?![A-Za-z])|"
                     r"\^\s*\{\s*\\math(?:sf|rm)\s*\{?\s*T\s*\}?\s*\}|"
                     r"(?:[A-Z]|\\mathbf\{[A-Za-z]+\})\s*\^\s*\{\s*-[1T]\s*\}|\\mathbf|\\boldsymbol|\\bm\b|\\odot|"
                     r"\\nabla|\\(?:operatorname|mathrm|text)\{(?:tr|Tr|trace|diag|Diag)\}|\\mathbb\s*(?:\{\s*1\s*\}|1)(?!\s*(?:[\[(_0-9]|\\\{))")
# Named operators read as matrix functions, by their spelling inside \operatorname{...}, \mathrm{...} or \text{...}.
_OPERATORS = {"tr": "tr", "Tr": "tr", "trace": "tr", "Diag": "Diag", "diag": "diag", "softmax": "softmax"}
# Functions of known formula applied entry by entry. \\tanh is always the hyperbolic tangent (a LaTeX operator name,
# never a letter a course gives another meaning); \\sigma is the logistic function only where `read` is told so (the
# material says sigmoid or logistic, as in the scalar reading), elsewhere an arbitrary function like \\phi.
_ELEMENTARY = {"\\exp": "exp", "\\log": "log", "\\tanh": "tanh"}
# How a transposing superscript is spelled, as its tokens join: T, \top, \intercal, \mathsf T, \mathsf{T}, \mathrm{T}.
_TRANSPOSE = ("T", "\\intercal", "\\top", "\\mathsfT", "\\mathsf{T}", "\\mathrmT", "\\mathrm{T}")
_STYLE = ("\\operatorname", "\\mathrm", "\\text", "\\textrm", "\\rm")
_BOLD = ("\\mathbf", "\\boldsymbol", "\\bm")


@dataclasses.dataclass(frozen=True)
class Node:
    """One operation of a side read by `read`: its kind, its operands, and data (a name, an index, a number)."""

    # name, num, add, ones (a vector of ones: data its length, or None where the step fixes it),
    # neg, mul, had, T, inv, pow, norm, abs, tr, Diag, diag, I, apply, dapply, grad, prod, sum, div,
    # elem (exp, log, sigma, tanh and the derivatives dsigma, dtanh entry by entry), softmax, entry (of a vector in a sum),
    # at (an entry of a vector or a matrix expression: data (row index, column index or None)), hess (the Hessian
    # \\nabla^2_x f of a number with respect to a vector: its args as grad's)
    kind: str
    args: tuple = ()
    # name: (letter, index or None); num: Fraction; pow: int; norm: "2" or "F"; apply/dapply: the function's name;
    # prod/sum: (index symbol, lower, upper), upper None for a sum over the entries of the vectors it reads;
    # grad: ("partial"|"delta"|"nabla"); elem: the function's name; entry: the index symbol
    data: object = None

    def __str__(self) -> str:
        return _show(self)


def _show(n: Node) -> str:
    k, a = n.kind, n.args
    if k == "name":
        letter, index = n.data
        return letter if index is None else f"{letter}_{{{index}}}"
    if k == "num":
        return str(n.data)
    if k == "add":
        return "(" + " + ".join(map(str, a)) + ")"
    if k == "neg":
        return f"-{a[0]}"
    if k == "mul":
        return " ".join(map(str, a))
    if k == "had":
        return f"({a[0]} ⊙ {a[1]})"
    if k == "div":
        return f"({a[0]})/({a[1]})"
    if k == "T":
        return f"{a[0]}^T"
    if k == "inv":
        return f"{a[0]}^-1"
    if k == "pow":
        return f"{a[0]}^{n.data}"
    if k == "norm":
        return f"‖{a[0]}‖" + ("_F" if n.data == "F" else "")
    if k == "abs":
        return f"|{a[0]}|"
    if k in ("tr", "Diag", "diag", "softmax"):
        return f"{k}({a[0]})"
    if k == "elem":
        return f"{n.data}({a[0]})"
    if k == "entry":
        return f"{a[0]}[{n.data}]"
    if k == "at":
        return f"({a[0]})[{', '.join(str(i) for i in n.data if i is not None)}]"
    if k == "I":
        return "I" if n.data is None else f"I_{n.data}"
    if k == "ones":
        return "1" if n.data is None else f"1_{n.data}"
    if k == "apply":
        return f"{n.data}({a[0]})"
    if k == "dapply":
        return f"{n.data}'({a[0]})"
    if k == "grad":
        return f"d{a[0]}/d{a[1]}"
    if k == "hess":
        return f"d²{a[0]}/d{a[1]}²"
    if k in ("prod", "sum"):
        var, lo, hi = n.data
        return f"{k}_{{{var}={lo}}}^{{{hi}}} {a[0]}"
    return k


def names_of(n: Node) -> set:
    """The (letter, index) pairs a tree reads."""
    out = {n.data} if n.kind == "name" else set()
    for a in n.args:
        out |= names_of(a)
    return out


def _uses(n: Node, letter: str) -> bool:
    """Whether a tree reads `letter` (a name, or in an index or a bound) outside any sum or product over it."""
    if n.kind in ("prod", "sum") and n.data[0].name == letter:
        return False
    if n.kind == "name" and n.data[0] == letter:
        return True
    data = n.data if isinstance(n.data, tuple) else (n.data,)
    if any(isinstance(d, sympy.Basic) and letter in {s.name for s in d.free_symbols} for d in data):
        return True
    return any(_uses(a, letter) for a in n.args)


def looks_matrix(text: str) -> bool:
    return bool(MARKERS.search(text))


class _Reader:
    def __init__(self, toks: list[Token], functions: frozenset, logistic: bool = True, changes: bool = False) -> None:
        self.t, self.i, self.functions, self.logistic, self.changes = toks, 0, functions, logistic, changes
        self.bars = 0
        # (position, index) of each sum or product read, where its body ended
        self.ended: list = []

    def peek(self, k: int = 0) -> Optional[str]:
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise Skip("the formula ends where a term was expected")
        self.i += 1
        return tok

    def expect(self, tok: str) -> None:
        if self.peek() != tok:
            raise Skip(f"expected {tok!r} but found {self.peek() or 'the end'!r}")
        self.i += 1

    def group(self) -> list[Token]:
        if self.peek() != "{":
            return [self.take()]
        self.i += 1
        start, depth = self.i, 1
        while depth:
            tok = self.take()
            depth += (tok == "{") - (tok == "}")
        return self.t[start:self.i - 1]

    def sub(self, toks: list[Token]) -> Node:
        r = _Reader(toks, self.functions, self.logistic, self.changes)
        return r.whole()

    def whole(self) -> Node:
        if not self.t:
            raise Skip("an empty side")
        e = self.expr()
        if self.peek() is not None:
            raise Skip(f"cannot read {self.peek()!r} here")
        return e

    def starts(self, tok: Optional[str]) -> bool:
        if tok is None:
            return False
        if tok == "\\|":
            return self.bars == 0
        if tok == "|":
            return False
        if tok[0].isdigit() or (len(tok) == 1 and tok.isalpha()) or tok in ("(", "{"):
            return True
        return tok.startswith("\\") and tok[1:].isalpha() and tok not in ("\\cdot", "\\odot", "\\div")

    def expr(self) -> Node:
        terms = [self.term()]
        closed = {index for at, index in self.ended if at == self.i}
        while self.peek() in ("+", "-"):
            op = self.take()
            t = self.term()
            again = sorted(index for index in closed if _uses(t, index))
            if again:
                raise Skip(f"the index {again[0]} of a sum or product is used again after its body ends at {op}: in its "
                           "body or a name of its own?")
            closed |= {index for at, index in self.ended if at == self.i}
            terms.append(t if op == "+" else Node("neg", (t,)))
        return terms[0] if len(terms) == 1 else Node("add", tuple(terms))

    def term(self) -> Node:
        """Products joined by ⊙, which binds less tightly than a product: a ⊙ W^T d is a ⊙ (W^T d)."""
        if self.peek() == "-":
            self.i += 1
            return Node("neg", (self.term(),))
        out = self.product()
        while self.peek() == "\\odot":
            self.i += 1
            out = Node("had", (out, self.product()))
        return out

    def product(self) -> Node:
        factors = [self.postfix()]
        while True:
            tok = self.peek()
            if tok in ("\\cdot", "*"):
                self.i += 1
                factors.append(self.postfix())
            elif tok in ("/", "\\div"):
                self.i += 1
                d = self.postfix()
                if self.starts(self.peek()):
                    raise Skip("a/bc could be read as (a/b)c or a/(bc)")
                left = factors.pop()
                factors.append(Node("div", (left, d)))
            elif self.starts(tok):
                factors.append(self.postfix())
            else:
                break
        return factors[0] if len(factors) == 1 else Node("mul", tuple(factors))

    def postfix(self) -> Node:
        grouped = self.peek() == "("
        base = self.primary()
        if grouped and self.peek() == "_":  # (W x)_i, (A B)_{ij}: an entry of what the parentheses hold
            self.i += 1
            base = self.at(base, self.group())
        while self.peek() == "^":
            self.i += 1
            raw = "".join(self.group())
            if raw in _TRANSPOSE:
                base = Node("T", (base,))
            elif raw == "-1":
                base = Node("inv", (base,))
            elif raw == "-T":
                base = Node("T", (Node("inv", (base,)),))
            elif raw.isdigit() and 0 < int(raw) <= 4:
                base = Node("pow", (base,), int(raw))
            else:
                raise Skip(f"a superscript {raw} on a matrix expression")
        return base

    def primary(self) -> Node:
        tok = self.take()
        if tok[0].isdigit() or tok[0] == ".":
            return Node("num", (), Fraction(tok))
        if tok == "(":
            e = self.expr()
            self.expect(")")
            return e
        if tok == "{":
            self.i -= 1
            return self.sub(self.group())
        if tok == "\\|":
            self.bars += 1
            e = self.expr()
            self.expect("\\|")
            self.bars -= 1
            kind = "2"
            if self.peek() == "_":
                self.i += 1
                sub = "".join(self.group())
                kind = {"2": "2", "F": "F", "\\mathrm{F}": "F", "\\text{F}": "F", "\\mathrm{F}}": "F"}.get(sub)
                if kind is None:
                    raise Skip(f"a norm with subscript {sub}")
            if self.peek() == "^" and self.peek(1) in ("2", "{"):
                pass
            return Node("norm", (e,), kind)
        if tok == "|":
            if self.bars:
                raise Skip("bars inside a norm")
            self.bars += 1
            e = self.expr()
            self.expect("|")
            self.bars -= 1
            return Node("abs", (e,))
        if tok in _BOLD + ("\\mathbb",):
            inner = self.group()
            if inner == ["1"]:
                return self.ones()
            if tok in _BOLD and len(inner) == 4 and inner[0] in ("\\hat", "\\bar", "\\tilde") and inner[1] == "{" \
                    and inner[3] == "}" and len(inner[2]) == 1 and inner[2].isalpha():
                return self.name(f"{inner[0][1:]}_{inner[2]}")  # \mathbf{\hat{y}}: the name \hat{y}
            if tok == "\\mathbb":
                raise Skip(f"\\mathbb{{{''.join(inner)}}} in a formula")
            if not all(len(t) == 1 and t.isalpha() or t[1:] in GREEK for t in inner):
                raise Skip(f"{tok} over more than names")
            nodes = [self.name(t.lstrip("\\"), last=(k == len(inner) - 1)) for k, t in enumerate(inner)]
            return nodes[0] if len(nodes) == 1 else Node("mul", tuple(nodes))
        if tok in _STYLE:
            word = "".join(self.group())
            op = _OPERATORS.get(word)
            if op is None:
                raise Skip(f"a named operator {word!r} the scan does not know")
            return self.operator(op)
        if tok == "\\operatorname*":
            word = "".join(self.group())
            raise Skip(f"a named operator {word!r} over a set (\\operatorname*), which the scan does not read")
        if tok == "\\frac":
            return self.fraction()
        if tok == "\\nabla":
            second = False  # \nabla^2_x, \nabla_x^2: the Hessian
            if self.peek() == "^":
                self.i += 1
                if self.group() != ["2"]:
                    raise Skip("a power of \\nabla other than 2")
                second = True
            if self.peek() != "_":
                raise Skip("a gradient \\nabla without the variable")
            self.i += 1
            variable = self.sub(self.group())
            if variable.kind != "name":
                raise Skip("a gradient with respect to something other than a name")
            if not second and self.peek() == "^":
                self.i += 1
                if self.group() != ["2"]:
                    raise Skip("a power of \\nabla other than 2")
                second = True
            target = self.product()  # \nabla_w applies to the whole product after it
            return Node("hess" if second else "grad", (target, variable), "nabla")
        if tok in ("\\prod", "\\sum"):
            return self.series(tok[1:])
        if tok in _ELEMENTARY:
            return Node("elem", (self.elementary_argument(),), _ELEMENTARY[tok])
        if tok == "e" and self.peek() == "^":
            at = self.i
            self.i += 1
            power = self.group()
            if "".join(power) not in _TRANSPOSE:
                return Node("elem", (self.sub(power),), "exp")
            self.i = at
        if tok == "\\ell":
            return self.name("ell")
        if len(tok) == 1 and tok.isalpha():
            if self.peek() is not None and len(self.peek()) == 1 and self.peek().isalpha() and not self.peek().spaced \
                    and tok.islower() and self.peek().islower():
                raise Skip("letters side by side that may spell a word")
            return self.name(tok)
        if tok == "\\Delta" and self.changes and self._letter(self.peek()):
            inner = self.name(self.take().lstrip("\\"))  # \Delta W: the change of W, one name
            if inner.kind != "name":
                raise Skip("\\Delta before something other than a name")
            return Node("name", (), (f"Delta{inner.data[0]}", inner.data[1]))
        if tok.startswith("\\") and tok[1:] in GREEK:
            return self.name(tok[1:])
        if tok in ("\\hat", "\\bar", "\\tilde"):
            inner = self.group()
            if len(inner) == 4 and inner[0] in _BOLD and inner[1] == "{" and inner[3] == "}":
                inner = [inner[2]]  # \hat{\mathbf{y}}: the bold letter is the name
            if len(inner) != 1:
                raise Skip(f"{tok} over more than a name")
            return self.name(f"{tok[1:]}_{inner[0].lstrip(chr(92))}")
        raise Skip(f"{tok} is not read in matrix notation")

    @staticmethod
    def at(base: Node, sub: list) -> Node:
        """Entry (i) of a vector or (i, j) of a matrix, as a subscript of one or two single letters or digits writes it
        (_i, _{ij}, _{i,j}, _{i j})."""
        marks = [t for t in sub if t != ","]
        if not 1 <= len(marks) <= 2 or not all(len(t) == 1 and t.isalnum() for t in marks) or \
                (len(marks) == 2 and len(sub) not in (2, 3)) or any(t == "0" for t in marks):
            raise Skip(f"a subscript {''.join(sub)} that is not the index of an entry")
        indices = tuple(_index([t]) for t in marks)
        return Node("at", (base,), indices + (None,) * (2 - len(indices)))

    def ones(self) -> Node:
        """The vector of ones (\\mathbf{1}, \\mathbb{1}), of the length its subscript gives (\\mathbf{1}_n) or, without
        one, of the length the step fixes where it is used (1^T x); \\mathbb{1}[...] or \\mathbb{1}_{\\{...\\}}, an indicator,
        is not read."""
        if self.peek() in ("[", "(", "\\{"):
            raise Skip("an indicator or a function written with a 1 (\\mathbb{1}[...])")
        size = None
        if self.peek() == "_":
            self.i += 1
            sub = self.group()
            if len(sub) == 1 and sub[0].isdigit():
                size = int(sub[0])
            elif len(sub) == 1 and len(sub[0]) == 1 and sub[0].isalpha():
                size = sub[0]
            else:
                raise Skip(f"a 1 with the subscript {''.join(sub)} (an indicator, or a length the scan does not read)")
            if size == 0:
                raise Skip("a vector of ones of length 0")
        return Node("ones", (), size)

    @staticmethod
    def _letter(tok: Optional[str]) -> bool:
        return tok is not None and ((len(tok) == 1 and tok.isalpha()) or (tok.startswith("\\") and tok[1:] in GREEK))

    def operator(self, op: str) -> Node:
        if self.peek() != "(":
            raise Skip(f"{op} without an argument in parentheses")
        self.i += 1
        e = self.expr()
        self.expect(")")
        return Node(op, (e,))

    def name(self, letter: str, last: bool = True) -> Node:
        index = None
        if last and self.peek() == "_":
            self.i += 1
            sub = self.group()
            marks = [t for t in sub if t != ","]
            if len(marks) == 2 and all(len(t) == 1 and t.isalpha() for t in marks) and \
                    (letter[0].isupper() or letter in ("Sigma", "Lambda")):
                return self.at(Node("name", (), (letter, None)), sub)  # W_{ij}: the entry of the matrix W
            index = _index(sub)
        if last and self.peek() == "^" and self.peek(1) == "{" and self.peek(2) == "(":
            self.i += 1
            sup = self.group()
            if index is not None or sup[-1] != ")":
                raise Skip("a name with both a subscript and a superscript index")
            index = _index(sup[1:-1])
        known = letter == "tanh" or (letter == "sigma" and self.logistic)
        if known and letter not in self.functions and index is None:
            if self.peek() == "'":
                self.i += 1
                return Node("elem", (self.argument(),), f"d{letter}")
            if self.peek() == "(":
                return Node("elem", (self.argument(),), letter)
        if letter in self.functions or letter in ("phi", "sigma", "psi", "varphi", "f", "g"):
            if self.peek() == "'":
                self.i += 1
                return Node("dapply", (self.argument(),), letter)
            if self.peek() == "(":
                return Node("apply", (self.argument(),), letter)
        if self.peek() == "'":
            raise Skip(f"a prime on {letter}")
        if self.peek() == "(" and not self.peek().spaced and letter not in ("I",):
            raise Skip(f"{letter}(...): a function applied or a product")
        if letter == "I" and index is None:
            return Node("I")
        if letter == "I" and (index.is_Symbol or (index.is_Integer and index > 0)):
            # I_n, I_{3}: the identity of that size (the shapes read a family member I_n only where the material
            # declares one)
            return Node("I", (), index.name if index.is_Symbol else int(index))
        return Node("name", (), (letter, index))

    def elementary_argument(self) -> Node:
        """The argument of \\exp, \\log, \\tanh: in parentheses, or the factor written after it (\\log \\hat{y}_i)."""
        if self.peek() == "^":
            raise Skip("a power of an elementary function")
        if self.peek() == "_":
            raise Skip("a \\log with a base")
        if self.peek() in ("(", "{"):
            return self.argument() if self.peek() == "(" else self.sub(self.group())
        return self.postfix()

    def argument(self) -> Node:
        self.expect("(")
        e = self.expr()
        if self.peek() == ",":
            raise Skip("a function of several arguments")
        self.expect(")")
        return e

    def fraction(self) -> Node:
        top, bottom = self.group(), self.group()
        marks = ("\\delta", "\\partial", "d")
        if top[:1] and top[0] in marks and bottom[:1] == top[:1] and len(top) > 1 and len(bottom) > 1:
            if "^" in top[:2] or (len(bottom) > 2 and bottom[-2] == "^" and bottom[-1].isdigit()):
                raise Skip("a higher derivative")
            target, variable = self.sub(top[1:]), self.sub(bottom[1:])
            if variable.kind != "name":
                raise Skip("a derivative with respect to something other than a name")
            return Node("grad", (target, variable), top[0].lstrip("\\"))
        return Node("div", (self.sub(top), self.sub(bottom)))

    def series(self, kind: str) -> Node:
        if self.peek() != "_":
            raise Skip(f"a \\{kind} without an index")
        self.i += 1
        lower = self.group()
        if "=" in lower:
            at = lower.index("=")
            var, lo = lower[:at], _index(lower[at + 1:])
        else:
            var, lo = lower, None
        if len(var) != 1 or not var[0].isalpha():
            raise Skip(f"a \\{kind} whose index is not a single letter")
        hi = None
        if self.peek() == "^":
            self.i += 1
            hi = _index(self.group())
        if (lo is None) != (hi is None):
            raise Skip(f"a \\{kind} with one bound only")
        if lo is None:
            lo, hi = sympy.Integer(1), sympy.Symbol(f"#{var[0]}", integer=True)
        body = self.product_body(kind)
        self.ended.append((self.i, var[0]))
        return Node(kind, (body,), (sympy.Symbol(var[0], integer=True), lo, hi))

    def product_body(self, kind: str = "prod") -> Node:
        """The factors after \\prod or \\sum, up to a +, -, a relation or another \\prod or \\sum. Where the term goes
        on after them (\\cdot a factor, another \\prod or \\sum), a sum's body takes the rest of the term (the same value
        as the sum times it, where it does not read the index; the only reading where it does); a product's is read
        two ways whose values differ (each factor times it, or the product times it once): not read."""
        factors = [self.postfix()]
        while True:
            tok = self.peek()
            if self.starts(tok) and tok not in ("\\prod", "\\sum"):
                if kind == "prod" and tok == "(" and self.t[self.i + 1:self.i + 2] in (["\\prod"], ["\\sum"]):
                    raise Skip(f"a product whose body goes on with another {self.t[self.i + 1]}: inside the product "
                               "(once for each factor) or after it (once)?")
                factors.append(self.postfix())
            elif tok in ("\\cdot", "*", "\\prod", "\\sum"):
                if kind == "prod":
                    raise Skip(f"a product whose body goes on with {tok}: inside the product (once for each factor) "
                               "or after it (once)?")
                self.i += tok in ("\\cdot", "*")
                factors.append(self.postfix())
            else:
                return factors[0] if len(factors) == 1 else Node("mul", tuple(factors))


def _index(toks: list[Token]) -> sympy.Expr:
    """A subscript as an integer expression (k + 1, T - 1, 2), names as integer symbols."""
    text = " ".join(toks)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    try:
        e = parse_scalar(text)
    except Skip:
        raise Skip(f"a subscript {text} that is not an index") from None
    if isinstance(e, sympy.Indexed) or not (e.is_polynomial() and sympy.Poly(e).total_degree() <= 1 if e.free_symbols else e.is_Integer):
        raise Skip(f"a subscript {text} that is not an index")
    return e.xreplace({s: sympy.Symbol(s.name, integer=True) for s in e.free_symbols})


def read(text: str, functions: frozenset = frozenset(), logistic: bool = True, changes: bool = False) -> Node:
    """The tree of a side in matrix notation; Skip with the reason when it cannot be read with certainty.
    `logistic`: whether \\sigma(...) is the logistic function (elsewhere it is a function the material leaves
    arbitrary, whose values and derivative values are free). `changes`: whether \\Delta before a name is one name,
    the change of it (\\Delta W, an update), the material giving \\Delta no meaning of its own."""
    toks = tokens(normalise(_unbox(text)))
    try:
        return _Reader(toks, functions, logistic, changes).whole()
    except Skip:
        raise
    except (RecursionError, ValueError, TypeError, ZeroDivisionError, AttributeError, IndexError) as exc:
        raise Skip(f"cannot read the formula ({type(exc).__name__})") from None


def _unbox(text: str) -> str:
    return re.sub(r"\\boxed\s*", "", text)
