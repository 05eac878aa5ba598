"""A side of a step, read into a sympy expression over the reals; whatever could be read two ways raises Skip."""

from __future__ import annotations

import dataclasses
import re
from typing import Mapping, Optional

import sympy

from proofs.scan.normalise import Skip, Token, normalise, tokens
from proofs.scan.vocabulary import (FUNCTION_LETTERS, FUNCTION_NAMES, FUNCTIONS, GREEK, MAX_DIGITS, MAX_EXPONENT, SIGMOID, UNREAD,
                                    WORDS)

__all__ = ["Context", "parse", "Skip", "symbol"]

def _real(e: sympy.Expr) -> sympy.Expr:
    """The expression, if no part of it is a value that is not a real number for every real value of its names
    (sqrt(-1) = I, log(-1) = I*pi, (-8)^(1/3), 1/0, sqrt(-x^2 - 1)); else Skip. Checked as each root, power, log and
    quotient is built, since sympy evaluates over the complex numbers and a product of two such values can come out
    real (sqrt(-2) sqrt(-3) = -sqrt(6))."""
    for part in sympy.preorder_traversal(e):
        if getattr(part, "is_real", None) is False:
            raise Skip(f"a value that is not a real number ({part}, as sympy reads it over the complex numbers): "
                       "steps are checked over the reals")
    return e


def _digits(n: sympy.Expr) -> int:
    if n.is_Rational:
        return max(len(str(abs(n.p))), len(str(n.q)))
    return 20


def symbol(name: str) -> sympy.Symbol:
    """The real symbol the scan uses for a name (a letter, a Greek letter's name, or name_{subscript})."""
    return sympy.Symbol(name, real=True)


@dataclasses.dataclass(frozen=True)
class Context:
    """Built by proofs.scan.definitions for each step: what the material defined before it."""

    # functions defined by the material (or \sigma, the logistic): name -> (parameters, body)
    functions: Mapping[str, tuple] = dataclasses.field(default_factory=dict)
    # function names the material uses without a body (g(1, 0) = 0): applying one cannot be checked
    undefined: frozenset = frozenset()
    # names defined as values (w = 4): symbol or indexed entry -> expression
    values: Mapping = dataclasses.field(default_factory=dict)
    # letters that a superscript may use as an exponent: the step's summation indices and bounds
    exponents: frozenset = frozenset()
    # whether \sigma(...) is the logistic function when the material does not define sigma: only where the material
    # says "sigmoid" or "logistic" (elsewhere \sigma may be any activation)
    logistic: bool = True
    # where each defined function (by name) and value (by symbol) is a real number: its guards (see `parse`)
    domains: Mapping = dataclasses.field(default_factory=dict)
    # names the step uses as variables (p of p(1 - p) = p - p^2): a parenthesis after one is a product
    variables: frozenset = frozenset()
    # whether a derivative is kept as printed (unevaluated, of the name printed) rather than taken: the printed form
    # drafts read (proofs.scan.draft), never the one checked
    printed: bool = False
    # of "pi" and "e", those the prose introduces as names ("let $\\pi$ be a probability"): read as variables
    named_constants: frozenset = frozenset()


class _Parser:
    def __init__(self, toks: list[Token], ctx: Context, bound: frozenset = frozenset(), guards: Optional[list] = None) -> None:
        self.t, self.i, self.ctx, self.bound, self.bars = toks, 0, ctx, set(bound), 0
        self.guards = [] if guards is None else guards
        # the indices of the sums and products being read: a guard on a term (x_i > 0) is no condition on a point
        self.indices: frozenset = frozenset()
        # (position, index) of each sum or product read, where its body ended
        self.ended: list = []

    def guard(self, e: sympy.Expr, relation: str) -> None:
        """Record that the reading is a real number only where `e relation 0` (sympy may simplify the root, log or
        quotient away: sqrt(x)^2 is x, x/x is 1); a number that obviously satisfies it is not recorded."""
        if e.is_number and e.is_comparable and {">=": e >= 0, ">": e > 0, "!=": e != 0}[relation]:
            return
        if e.free_symbols & self.indices:  # left to the plain evaluation of each term
            return
        self.guards.append((e, relation, sympy.Integer(0)))

    # -- tokens
    def peek(self, k: int = 0) -> Optional[Token]:
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise Skip("the formula ends where a term was expected")
        self.i += 1
        return tok

    def expect(self, tok: str) -> None:
        got = self.peek()
        if got != tok:
            raise Skip(f"expected {tok!r} but found {got or 'the end'!r}")
        self.i += 1

    def group(self) -> list[Token]:
        """The tokens of a {...} group, or the single next token."""
        if self.peek() != "{":
            tok = self.take()
            if len(tok) > 1 and (tok[0].isdigit() or tok[0] == "."):
                raise Skip(f"{tok} without braces after ^, _ or a command: TeX takes only its first character ({tok[0]})")
            return [tok]
        self.i += 1
        start, depth = self.i, 1
        while depth:
            tok = self.take()
            depth += (tok == "{") - (tok == "}")
        return self.t[start:self.i - 1]

    def sub(self, toks: list[Token], bound=()) -> sympy.Expr:
        parser = _Parser(toks, self.ctx, frozenset(self.bound | set(bound)), self.guards)
        parser.indices = self.indices
        parser.bars = 0
        return parser.whole()

    def applied_after_power(self) -> bool:
        """Whether a parenthesis follows the superscript that comes next (f^{-1}(y), f^2(x))."""
        at = self.i
        try:
            self.i += 1
            self.group()
            return self.peek() == "("
        except Skip:
            return False
        finally:
            self.i = at

    def mixed_number(self) -> bool:
        """Whether a fraction of two whole numbers follows (2\\frac{1}{2}: two and a half, or two halves)."""
        if self.peek() != "\\frac":
            return False
        at = self.i
        try:
            self.i += 1
            parts = self.group(), self.group()
        except Skip:
            return False
        finally:
            self.i = at
        return all(len(p) == 1 and p[0].isdigit() for p in parts)

    def whole(self) -> sympy.Expr:
        if not self.t:
            raise Skip("an empty side")
        e = self.expr()
        if self.peek() is not None:
            raise Skip(f"cannot read {self.peek()!r} here")
        return e

    # -- grammar
    def starts_factor(self, tok: Optional[str]) -> bool:
        if tok is None:
            return False
        if tok == "|":
            return self.bars == 0
        if tok[0].isdigit() or tok[0] == "." and len(tok) > 1 or (len(tok) == 1 and tok.isalpha()) or tok in ("(", "[", "{"):
            return True
        return tok.startswith("\\") and tok not in ("\\cdot", "\\div") and tok[1:].isalpha()

    def expr(self) -> sympy.Expr:
        e = self.term()
        terms = [e]  # as printed: x + x stays x + x, the terms in their order
        closed = self.closed_here()
        while self.peek() in ("+", "-"):
            op = self.take()
            t = self.term()
            again = closed & t.free_symbols
            if again:
                name = sorted(s.name for s in again)[0]
                raise Skip(f"the index {name} of a sum or product is used again after its body ends at {op}: in its "
                           f"body or a name of its own?")
            closed |= self.closed_here()
            if self.ctx.printed:
                terms.append(t if op == "+" else _negated(t))
            else:
                e = e + t if op == "+" else e - t
        return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else e

    def closed_here(self) -> set:
        """The indices of the sums and products whose bodies end where the reading is now (at a + or - that ends them)."""
        return {index for at, index in self.ended if at == self.i}

    def term(self) -> sympy.Expr:
        f = self.unary()
        factors = [f]  # as printed: 2(x + 1) stays a product, its factors in their order
        while True:
            tok = self.peek()
            if tok in ("\\cdot", "*"):
                self.i += 1
                g = self.unary()
            elif tok in ("/", "\\div"):
                self.i += 1
                d = self.unary()
                if self.starts_factor(self.peek()):
                    raise Skip("a/bc could be read as (a/b)c or a/(bc)")
                self.guard(d, "!=")
                if self.ctx.printed:
                    factors.append(sympy.Pow(d, sympy.S.NegativeOne, evaluate=False))
                else:
                    f = _real(f / d)
                continue
            elif self.starts_factor(tok):
                g = self.postfix()
            else:
                return _real(sympy.Mul(*factors, evaluate=False)) if len(factors) > 1 else f
            if self.ctx.printed:
                factors.append(g)
            else:
                f = f * g

    def unary(self) -> sympy.Expr:
        if self.peek() == "-":
            self.i += 1
            return _negated(self.unary()) if self.ctx.printed else -self.unary()
        if self.peek() == "+":
            self.i += 1
            return self.unary()
        return self.postfix()

    def postfix(self) -> sympy.Expr:
        base = self.primary()
        while self.peek() in ("^", "!", "_"):
            tok = self.take()
            if tok == "!":
                raise Skip("a factorial")
            if tok == "_":
                raise Skip("a subscript on something other than a name")
            base = self.power(base, self.group())
        return base

    def power(self, base: sympy.Expr, sup: list[Token]) -> sympy.Expr:
        raw = "".join(sup)
        if raw in ("T", "\\intercal"):
            raise Skip("a transpose (^T)")
        if raw in ("*", "\\ast", "\\star", "+", "-", "\\dagger"):
            raise Skip(f"a superscript {raw} that marks a name")
        bare = isinstance(base, (sympy.Symbol, sympy.Indexed))
        if bare and raw.startswith("(") and raw.endswith(")"):
            raise Skip(f"a superscript {raw} that is an index")
        exponent = self.sub(sup)
        if exponent.is_number and base.is_number and (abs(exponent) > MAX_EXPONENT or
                                                       (exponent.is_Integer and _digits(base) * abs(int(exponent)) > MAX_DIGITS)):
            raise Skip("a power too large to evaluate")
        free = {s.name for s in exponent.free_symbols}
        if bare and free - self.ctx.exponents:
            raise Skip(f"a superscript {raw} on a name, which may be an index rather than a power")
        if exponent.is_number and not exponent.is_integer:
            self.guard(base, ">=" if exponent == sympy.Rational(1, 2) else ">")
        return _real(sympy.Pow(base, exponent, evaluate=not self.ctx.printed))

    def primary(self) -> sympy.Expr:
        tok = self.take()
        if tok[0].isdigit() or tok[0] == ".":
            if self.scientific():
                raise Skip(f"{tok}e... could be a number in scientific notation (1e-3) or a product with e")
            if tok.isdigit() and self.mixed_number():
                raise Skip(f"{tok} before a fraction of numbers: a mixed number ({tok} and a fraction) or a product")
            return sympy.Rational(tok)
        if tok in ("(", "["):
            e = self.expr()
            self.expect(")" if tok == "(" else "]")
            return e
        if tok == "{":
            self.i -= 1
            return self.sub(self.group())
        if tok == "|":
            self.bars += 1
            e = self.expr()
            self.expect("|")
            self.bars -= 1
            return sympy.Abs(e, evaluate=not self.ctx.printed)
        if len(tok) == 1 and tok.isalpha():
            return self.name(tok)
        if tok.startswith("\\") and tok[1:] in GREEK | {"pi"}:
            return self.name(tok[1:])
        if tok in ("\\operatorname", "\\mathrm") and self.peek() in ("*", "{"):
            star = self.peek() == "*"
            if star:
                self.i += 1
            word = "".join(self.group())
            over = " over a set (\\operatorname*)" if star else ""
            raise Skip(f"a named operator {word}{over}, which the scan does not read")
        if tok in ("\\hat", "\\bar", "\\tilde"):
            inner = self.group()
            if len(inner) != 1 or not (inner[0].isalpha() or inner[0][1:] in GREEK):
                raise Skip(f"{tok} over more than a name")
            return self.name(f"{tok[1:]}_{inner[0].lstrip(chr(92))}")
        if tok == "\\frac":
            return self.fraction()
        if tok == "\\sqrt":
            if self.peek() == "[":
                raise Skip("a root other than the square root")
            radicand = self.sub(self.group())
            self.guard(radicand, ">=")
            return _real(sympy.Pow(radicand, sympy.S.Half, evaluate=False) if self.ctx.printed else sympy.sqrt(radicand))
        if tok[1:] in FUNCTIONS:
            return self.function(tok[1:])
        if tok in ("\\max", "\\min"):
            return self.extremum(tok[1:])
        if tok in ("\\sum", "\\prod"):
            return self.series(tok[1:])
        reason = UNREAD.get(tok[1:]) if tok.startswith("\\") else None
        if reason:
            raise Skip(reason)
        if tok.startswith("\\"):
            raise Skip(f"{tok} is not read")
        raise Skip(f"{tok!r} is not read here")

    def scientific(self) -> bool:
        """Whether the number just read is followed, with no space, by e or E and an exponent (1e-3, 2E5)."""
        e, sign, digit = self.peek(), self.peek(1), self.peek(2)
        if e not in ("e", "E") or e.spaced or sign is None or sign.spaced:
            return False
        return sign[0].isdigit() or sign in ("-", "+") and digit is not None and not digit.spaced and digit[0].isdigit()

    def name(self, name: str) -> sympy.Expr:
        if len(name) == 1 and name.isalpha():
            run = name
            while len(run) < 8 and self.peek() is not None and len(self.peek()) == 1 and self.peek().isalpha() and not self.peek().spaced:
                run += self.peek()
                self.i += 1
            after = self.peek(len(run) - 1)
            self.i -= len(run) - 1
            if run.lower() in WORDS or any(run.lower().startswith(w) and len(w) > 2 for w in WORDS) or len(run) >= 4:
                raise Skip(f"'{run}' reads as a word, not a product of letters")
            if len(run) >= 3 and after == "(":
                raise Skip(f"'{run}' reads as a word, not a product of letters (a function such as var(x))")
        atom = self.atom(name)
        if self.peek() == "[":
            raise Skip(f"brackets after {name} (an expectation E[...] or an index)")
        # p_i where p_k = ... is defined entry by entry: the definition at i, as inside a derivative, and as p_k is
        entry = _entries(self.ctx.values, atom, self.bound) if isinstance(atom, sympy.Indexed) else {}
        if self.peek() == "(" and name in self.ctx.variables and atom not in self.ctx.values and atom not in entry:
            return self.resolve_bound(atom)
        if self.peek() == "(" and name in FUNCTION_NAMES and name not in self.ctx.functions:
            raise Skip(f"applies {name}, which the material does not define")
        if self.peek() == "^" and (name in self.ctx.functions or name == "sigma" and self.ctx.logistic) and self.applied_after_power():
            raise Skip(f"{name} with a superscript before its argument: an inverse ({name}^{{-1}}), an iterate or a power")
        if self.peek() == "'":
            self.i += 1
            return self.apply(name, derivative=True)
        if self.peek() == "(" and (atom in self.ctx.values or atom in entry):
            raise Skip(f"{name}(...) after {name} was given a value: a product or a function applied")
        if self.peek() == "(" and (name in self.ctx.functions or name in self.ctx.undefined or name in FUNCTION_LETTERS):
            return self.apply(name)
        if atom in self.bound:
            return atom
        if atom in self.ctx.values:
            self.guards.extend(self.ctx.domains.get(atom, ()))
            return self.resolve(self.ctx.values[atom])
        if atom in entry:
            self.guards.extend(g for k in self.ctx.values if isinstance(k, sympy.Indexed) and k.base == atom.base
                               for g in self.ctx.domains.get(k, ()))
            return self.resolve(entry[atom])
        if name in self.ctx.named_constants:
            return atom  # \pi or e the prose introduces as a name
        if name == "pi" and atom == symbol("pi"):
            return sympy.pi
        if name == "e" and atom == symbol("e"):
            return sympy.E
        return atom

    def resolve_bound(self, atom: sympy.Expr) -> sympy.Expr:
        """A name read as a variable: a bound parameter or itself (π and e keep their values)."""
        if atom in self.bound or (self.ctx.named_constants and isinstance(atom, sympy.Symbol)
                                  and atom.name in self.ctx.named_constants):
            return atom
        if atom == symbol("pi"):
            return sympy.pi
        if atom == symbol("e"):
            return sympy.E
        return atom

    def atom(self, name: str) -> sympy.Expr:
        """The symbol of a name with its subscript, if any: x_1 and x_{t-1} are entries x[1] and x[t - 1] of x;
        a subscript of two or more letters (E_{in}) is part of the name."""
        if self.peek() != "_":
            return symbol(name)
        self.i += 1
        sub = self.group()
        raw = "".join(sub)
        if len(sub) > 1 and all(len(t) == 1 and t.isalpha() for t in sub):
            return symbol(f"{name}_{{{raw}}}")
        index = self.sub(sub)
        return sympy.Indexed(sympy.IndexedBase(name, real=True), index)

    def apply(self, name: str, derivative: bool = False) -> sympy.Expr:
        if name in self.ctx.functions:
            params, body = self.ctx.functions[name]
        elif name == "sigma" and self.ctx.logistic:
            params, body = SIGMOID
        else:
            raise Skip(f"applies {name}, which the material does not define")
        if self.peek() != "(":
            raise Skip(f"{name} without an argument in parentheses")
        self.i += 1
        args = [self.expr()]
        while self.peek() == ",":
            self.i += 1
            args.append(self.expr())
        self.expect(")")
        if len(args) != len(params):
            raise Skip(f"{name} applied to {len(args)} arguments; it is defined with {len(params)}")
        if self.ctx.printed and name in self.ctx.functions:  # the function applied, as printed: f(2), f'(w)
            if not derivative:
                return _applied(name, args)
            if len(params) == 1 and isinstance(args[0], sympy.Symbol) and args[0] not in self.bound:
                return sympy.Derivative(_applied(name, args), args[0], evaluate=False)
        if derivative:
            if len(params) != 1:
                raise Skip(f"{name}' of a function of several arguments")
            _differentiable_at(body, params[0], args[0], name)
            body = sympy.diff(body, params[0])
        for left, relation, right in self.ctx.domains.get(name, ()):
            self.guards.append((left.xreplace(dict(zip(params, args))), relation, right))
        return _real(body.xreplace(dict(zip(params, args))))

    def function(self, name: str) -> sympy.Expr:
        power, base = None, None
        if name == "log" and self.peek() == "_":
            self.i += 1
            base = self.sub(self.group())
            if not (base.is_Rational and base > 0 and base != 1):
                raise Skip("a logarithm whose base is not a number")
        if self.peek() == "^":
            self.i += 1
            power = self.sub(self.group())
            if not power.is_Integer or power < 0:
                raise Skip(f"\\{name} with a superscript other than a power")
        if self.peek() in ("(", "{", "["):
            arg = self.primary()
        else:
            arg = self.postfix()
            if self.starts_factor(self.peek()):
                raise Skip(f"the argument of \\{name} without parentheses is ambiguous")
        if name == "log":
            self.guard(arg, ">")
        kept = not self.ctx.printed
        value = (FUNCTIONS[name](arg, evaluate=kept) if base is None else
                 _quotient(sympy.log(arg, evaluate=kept), sympy.log(base, evaluate=kept), self.ctx.printed))
        return _real(value if power is None else sympy.Pow(value, power, evaluate=kept))

    def extremum(self, name: str) -> sympy.Expr:
        if self.peek() == "_":
            raise Skip(f"a \\{name} over an index")
        close = {"(": ")", "\\{": "\\}"}.get(self.peek() or "")
        if close is None:
            raise Skip(f"\\{name} without a list in parentheses")
        self.i += 1
        args = [self.expr()]
        while self.peek() == ",":
            self.i += 1
            args.append(self.expr())
        self.expect(close)
        return (sympy.Max if name == "max" else sympy.Min)(*args, evaluate=not self.ctx.printed)

    def series(self, kind: str) -> sympy.Expr:
        if self.peek() != "_":
            raise Skip(f"a \\{kind} without an index")
        self.i += 1
        lower = self.group()
        if "=" in lower:
            at = lower.index("=")
            var, lo = lower[:at], self.sub(lower[at + 1:])
        else:
            var, lo = lower, None
        if len(var) != 1 or not var[0].isalpha():
            raise Skip(f"a \\{kind} whose index is not a single letter")
        index = symbol(var[0])
        if self.peek() == "^":
            self.i += 1
            hi = self.sub(self.group())
        else:
            hi = None
        if (lo is None) != (hi is None):
            raise Skip(f"a \\{kind} with one bound only")
        if lo is None:  # \sum_i: over i = 1..n_i for a length n_i of its own
            lo, hi = sympy.Integer(1), symbol(f"#{var[0]}")
        saved, self.bound, indices, self.indices = self.bound, self.bound | {index}, self.indices, self.indices | {index}
        start = self.i
        try:
            body = self.term()
            if kind == "prod":
                self.one_product(index, start)
        finally:
            self.bound, self.indices = saved, indices
        self.ended.append((self.i, index))
        return (sympy.Sum if kind == "sum" else sympy.Product)(body, (index, lo, hi))

    def one_product(self, index: sympy.Symbol, start: int) -> None:
        """A product's body is the term after it; where that term goes on, after a first factor, with / or with another
        sum or product that does not read the index, the notation is read two ways (the second inside the body, a factor
        for each k, or after it, once) whose values differ: Skip. A sum's two readings are equal (its body is a sum
        of terms, each times the same factor), so a sum is read with the factor inside."""
        depth, guards = 0, len(self.guards)
        try:
            for p in range(start + 1, self.i):
                tok = self.t[p]
                outer = depth == 0
                depth += (tok in ("(", "[", "{")) - (tok in (")", "]", "}"))
                if not depth and tok in ("/", "\\div"):
                    raise Skip(f"a product whose body goes on with {tok}: each factor divided (inside the product) or "
                               "the product (after it)?")
                # another sum or product, bare or in parentheses of its own (\\prod_k 2 \\left(\\sum_j j\\right))
                series = next((t for t in self.t[p:p + 2] if t in ("\\sum", "\\prod")), None)
                if not outer or series is None or (tok not in ("(", "[") and tok != series):
                    continue
                tok = series
                cut = p - 1 if self.t[p - 1] == "\\cdot" else p
                try:
                    self.sub(self.t[start:cut])  # the body ended before it: a term of its own
                    rest = self.sub(self.t[p:self.i])
                except Skip:
                    continue
                if index not in rest.free_symbols:
                    raise Skip(f"a product whose body goes on with another {tok}: inside the product (once for each "
                               f"{index.name}) or after it (once)?")
        finally:
            del self.guards[guards:]

    def fraction(self) -> sympy.Expr:
        top, bottom = self.group(), self.group()
        marks = ("d", "\\partial", "\\delta")  # \frac{\delta l}{\delta h}: a derivative, as \partial
        if (top[:1] and top[0] == "\\Delta") or (bottom[:1] and bottom[0] == "\\Delta"):
            raise Skip("a difference quotient written with \\Delta")
        if top[:1] == ["\\delta"] and not (bottom[:1] == ["\\delta"] and len(bottom) > 1):
            raise Skip("\\delta over something that is not a derivative's variable")
        if top[:1] and top[0] in marks and bottom[:1] and bottom[0] == top[0] and len(bottom) > 1:
            if top[1:2] == ["^"] or bottom[-2:-1] == ["^"]:
                raise Skip("a higher derivative")
            variable = _Parser(bottom[1:], self.ctx).atom_only()
            named = top[1].lstrip("\\") if len(top) == 2 else ""
            if len(top) == 1:
                operand = self.derivative_operand(variable)
            elif named in self.ctx.functions and len(self.ctx.functions[named][0]) == 1:
                (param,), body = self.ctx.functions[named]  # dJ/dw for J(w) defined before
                operand = _applied(named, (variable,)) if self.ctx.printed else body.xreplace({param: variable})
            else:
                operand = self.sub(top[1:], bound=(variable,))
            if self.ctx.printed:
                return sympy.Derivative(operand, variable, evaluate=False)
            # the entries defined one by one read into it first (yhat_i in a sum), with the variable free; the
            # derivative taken, then read at the variable's defined value, as every other name is
            saved, self.bound = self.bound, self.bound | {variable}
            try:
                operand = self.resolve(operand)
            finally:
                self.bound = saved
            return self.resolve(_derivative(operand, variable))
        numerator, denominator = self.sub(top), self.sub(bottom)
        self.guard(denominator, "!=")
        return _real(_quotient(numerator, denominator, self.ctx.printed))

    def resolve(self, value: sympy.Expr) -> sympy.Expr:
        """A defined value with the names in it that were defined later substituted too (L = (y - yhat)^2 read
        before yhat = w h was defined), except the names bound here."""
        for _ in range(8):
            known = {k: v for k, v in self.ctx.values.items() if k not in self.bound and k in value.free_symbols}
            known.update(_entries(self.ctx.values, value, self.bound))
            if not known:
                return _real(value)
            for k in known:
                self.guards.extend(self.ctx.domains.get(k, ()))
            value = value.xreplace(known)
        raise Skip("definitions that refer to each other in a cycle")

    def atom_only(self) -> sympy.Expr:
        tok = self.take()
        if tok in ("\\hat", "\\bar", "\\tilde"):
            inner = self.group()
            if len(inner) != 1 or not (inner[0].isalpha() or inner[0][1:] in GREEK):
                raise Skip(f"{tok} over more than a name")
            tok = Token(f"{tok[1:]}_{inner[0].lstrip(chr(92))}")
        elif not (len(tok) == 1 and tok.isalpha() or tok[1:] in GREEK):
            raise Skip("a derivative with respect to something other than a name")
        atom = self.atom(tok.lstrip("\\"))
        if self.peek() is not None:
            raise Skip("a derivative with respect to something other than a name")
        return atom

    def derivative_operand(self, variable) -> sympy.Expr:
        saved, self.bound = self.bound, self.bound | {variable}
        try:
            return self.term()
        finally:
            self.bound = saved


def _entries(values: dict, value: sympy.Expr, bound) -> dict:
    """The entries of a vector defined entry by entry (yhat_j = ... for a symbolic j) that `value` reads at another
    index (yhat_i inside a sum): each is the definition read at that index."""
    general = {k.base: (k.indices[0], v) for k, v in values.items()
               if isinstance(k, sympy.Indexed) and len(k.indices) == 1 and isinstance(k.indices[0], sympy.Symbol)}
    if not general:
        return {}
    out = {}
    for a in value.atoms(sympy.Indexed):
        if a.base in general and a not in values and a not in bound and len(a.indices) == 1:
            index, v = general[a.base]
            out[a] = v.xreplace({index: a.indices[0]})
    return out


def _negated(e: sympy.Expr) -> sympy.Expr:
    """-e as printed: a number stays one number, anything else is -1 times it, unevaluated."""
    return -e if e.is_Number else sympy.Mul(sympy.S.NegativeOne, e, evaluate=False)


def _quotient(a: sympy.Expr, b: sympy.Expr, printed: bool) -> sympy.Expr:
    """a / b; as printed, the quotient unevaluated (a quotient of two integers stays two integers as well)."""
    if not printed:
        return a / b
    return sympy.Mul(a, sympy.Pow(b, sympy.S.NegativeOne, evaluate=False), evaluate=False)


def _applied(name: str, args) -> sympy.Expr:
    """The material's function `name` applied to args, unevaluated (a read as printed keeps f(2) as printed)."""
    return sympy.Function(name, real=True)(*args)


def _sums_in(e: sympy.Expr) -> bool:
    return bool(e.atoms(sympy.Sum, sympy.Product))


_KINKED = (sympy.Max, sympy.Min, sympy.Abs, sympy.Piecewise, sympy.Heaviside, sympy.sign)


def _kinks(body: sympy.Expr) -> list[sympy.Expr]:
    """The expressions whose zeros are where body may not be differentiable: |u| and sign at u = 0, max(u, v) where
    u = v, a piece's condition where its two sides meet (sympy's derivative there is a convention: Heaviside(0) = 1/2,
    sign(0) = 0, or the derivative of one piece)."""
    out = []
    for atom in body.atoms(*_KINKED):
        if isinstance(atom, (sympy.Abs, sympy.Heaviside, sympy.sign)):
            out.append(atom.args[0])
        elif isinstance(atom, (sympy.Max, sympy.Min)):
            out.extend(a - b for k, a in enumerate(atom.args) for b in atom.args[k + 1:])
        else:
            out.extend(r.lhs - r.rhs for _, cond in atom.args for r in sympy.sympify(cond).atoms(sympy.core.relational.Relational))
    return out


def _differentiable_at(body: sympy.Expr, param: sympy.Symbol, arg: sympy.Expr, name: str) -> None:
    """Skip f'(a) where f is max, min, |x| or pieces, unless a is a number at which none of its kinks lies: sympy's
    derivative holds away from the kinks only (|x|'(0) is not 0, max(0, x)'(0) is not 1/2; both do not exist)."""
    kinks = _kinks(body)
    if not kinks:
        return
    if not arg.is_Rational:
        raise Skip(f"{name}' of max, min, |x| or pieces, which are not differentiable everywhere")
    if any(not k.xreplace({param: arg}).is_Number or k.xreplace({param: arg}) == 0 for k in kinks):
        raise Skip(f"{name}'({arg}): {name} is max, min, |x| or pieces, and may not be differentiable there")


def _derivative(operand: sympy.Expr, variable) -> sympy.Expr:
    if operand == variable:
        return sympy.Integer(1)
    if isinstance(operand, (sympy.Symbol, sympy.Indexed)):
        raise Skip(f"a derivative of {operand}, which the material does not define in terms of {variable}")
    if operand.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Piecewise):
        raise Skip("a derivative of max, min or |x|, which are not differentiable everywhere")
    if isinstance(variable, sympy.Symbol) and any(a.base.label == variable for a in operand.atoms(sympy.Indexed)):
        # a derivative with respect to a whole vector (dL/dz with L a sum over z_k): read entry by entry, never as 0
        return sympy.Derivative(operand, variable, evaluate=False)
    if isinstance(variable, sympy.Indexed) and not variable.indices[0].is_Integer:
        if any(isinstance(a, sympy.Indexed) and a.base == variable.base and a != variable for a in operand.atoms(sympy.Indexed)):
            if _sums_in(operand):  # taken on each length the sums may have (proofs.scan.sums), never here
                return sympy.Derivative(operand, variable, evaluate=False)
            raise Skip(f"a derivative with respect to {variable}, an entry with a symbolic index")
    return sympy.diff(operand, variable)


# A bar as the material prints it: sized to open (\left|, \lvert), sized to close (\right|, \rvert), or plain.
_BAR = re.compile(r"\\(?:left|bigl|Bigl|biggl|Biggl)\s*\||\\lvert(?![A-Za-z])|\\(?:right|bigr|Bigr|biggr|Biggr)\s*\|"
                  r"|\\rvert(?![A-Za-z])|\\\||\\(?:big|Big|bigg|Bigg|middle)?\s*\||\\vert(?![A-Za-z])|\|")


def _sized_bars(text: str) -> Optional[list[str]]:
    """Each bar of the text in order as "open" or "close" when every one is sized to say so and they pair; else None."""
    kinds = []
    for m in _BAR.finditer(text):
        bar = m.group()
        if bar == "\\|":
            continue  # a norm's double bar
        if bar.startswith(("\\left", "\\lvert")) or bar[:5] in ("\\bigl", "\\Bigl") or bar[:6] in ("\\biggl", "\\Biggl"):
            kinds.append("open")
        elif bar.startswith(("\\right", "\\rvert")) or bar[:5] in ("\\bigr", "\\Bigr") or bar[:6] in ("\\biggr", "\\Biggr"):
            kinds.append("close")
        else:
            return None
    depth = 0
    for kind in kinds:
        depth += 1 if kind == "open" else -1
        if depth < 0:
            return None
    return kinds if depth == 0 else None


def _bars_read_one_way(toks: list[Token], text: str = "") -> None:
    """Skip when the bars of absolute values can be paired two ways: with four or more plain bars, a bar between two
    factors may close one and open the next (|a|b|c| as |a|·b·|c|) or open a nested one (|a·|b|·c|). Bars sized to
    open and close (\\left| … \\right|) pair one way; the reader, which closes a bar wherever a factor has ended,
    reads them as printed unless one opens inside another right after a factor (|a |b| c| with sized bars)."""
    bars = [k for k, t in enumerate(toks) if t == "|"]
    ends = lambda t: t[0].isalnum() or t in (")", "]", "}", "|")  # noqa: E731
    sized = _sized_bars(text)
    if sized is not None and len(sized) == len(bars):
        depths, kinds = [0], iter(sized)  # bars open in each {...} group, which the reader reads on its own
        for k, tok in enumerate(toks):
            if tok == "{":
                depths.append(0)
            elif tok == "}" and len(depths) > 1:
                depths.pop()
            elif tok == "|":
                opens = next(kinds) == "open"
                if opens and depths[-1] > 0 and k > 0 and ends(toks[k - 1]):
                    raise Skip("an absolute value opened right after a factor inside another, which this reader would close")
                depths[-1] += 1 if opens else -1
                if depths[-1] < 0:
                    raise Skip("absolute values whose bars pair across braces")
        return
    if len(bars) < 4:
        return
    ends = lambda t: t[0].isalnum() or t in (")", "]", "}")  # noqa: E731
    starts = lambda t: t[0].isalnum() or t in ("(", "[", "{") or (t.startswith("\\") and t[1:].isalpha())  # noqa: E731
    for k in bars:
        if 0 < k < len(toks) - 1 and ends(toks[k - 1]) and starts(toks[k + 1]):
            raise Skip("absolute values whose bars pair two ways (|a|b|c| is |a|·b·|c| or |a·|b|·c|)")


def parse(text: str, ctx: Optional[Context] = None, bound=(), guards: Optional[list] = None) -> sympy.Expr:
    """The expression of one side of a step, read over the reals; Skip with the reason when it cannot be read
    with certainty. `bound` names symbols not replaced by their defined values (a function's parameters). `guards`,
    when given, receives (expression, relation, 0) for each root, log, fractional power and quotient read: where they
    all hold, the expression is the real value of the side (sympy's simplification may have dropped them)."""
    ctx = ctx or Context()
    toks = tokens(normalise(text))
    _bars_read_one_way(toks, text)
    try:
        return _real(_Parser(toks, ctx, frozenset(bound), guards).whole())
    except Skip:
        raise
    except (RecursionError, ValueError, TypeError, ZeroDivisionError, AttributeError) as exc:
        raise Skip(f"cannot read the formula ({type(exc).__name__})") from None
