"""A second reading of each side by sympy's own LaTeX parser (its Lark grammar), which must agree with the scan's.

The scan's reader (proofs.scan.parse) decides what a side means; sympy's parser reads the same text independently,
after a small normalisation for what its grammar lacks (the logistic \\sigma, accents, \\partial, brackets as
parentheses, sums without bounds, a power followed by a factor, powers of functions). Names are then mapped onto the
scan's (x_i is the entry x[i], e is Euler's number, functions and values the material defined are substituted) and
the readings compared. `second_reading` says whether sympy's parser agrees (one of its readings, it often has several,
is the scan's), differs (a side read two ways: the step is not checked), or cannot read the side at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
from typing import Iterator, Optional

import sympy
from sympy.core.function import AppliedUndef

from proofs.scan.check import Timeout, deadline, expired
from proofs.scan.normalise import Token, normalise, tokens
from proofs.scan.parse import Context, _entries, symbol
from proofs.scan.vocabulary import FUNCTIONS, GREEK, SIGMOID

__all__ = ["Reading", "second_reading", "translate", "Unread", "reader", "shared", "MAX_LENGTH", "MAX_READINGS",
           "PARSE_SECONDS"]

# sympy's parser is an Earley parser with every ambiguity kept: time grows fast with length, so longer sides are
# not given to it (they are reported as not read by it)
MAX_LENGTH = 240
# nor is it given more than this many CPU seconds a side (proofs.scan.check.deadline: WALL_BACKSTOP times as many in
# wall-clock time; an ambiguous side can take it exponentially long): the side is
# then reported as not read by it, and the step is checked on the scan's reading, not failed for the parser's time
PARSE_SECONDS = 5.0
# nor is a side it reads more ways than this (each combination of its ambiguous choices is one reading)
MAX_READINGS = 64
# Greek letters sympy's grammar reads itself, under the same name as the scan's (\varepsilon and \epsilon are one
# symbol there, so the var- forms are not among them)
_LARK_GREEK = frozenset("alpha beta gamma delta epsilon zeta eta theta kappa lambda mu nu xi rho tau upsilon phi chi psi "
                        "omega".split())
_ACCENTS = ("\\hat", "\\bar", "\\tilde")
_BOUNDED = ("\\sum", "\\prod")
# the prefix of every name the translation introduces; material that spells it is not given to sympy's parser
_MARK = "zq"
# a side that is one number or one letter, which sympy's grammar reads one way only (an Integer, a Float, a Symbol)
_ATOM = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]")
_SUBSCRIPTED = re.compile(r"^(.+?)_\{(.+)\}$")


class Unread(Exception):
    """Raised when sympy's parser cannot read a side (the message says why)."""


@dataclasses.dataclass(frozen=True)
class Reading:
    """What sympy's parser made of one side, compared with the scan's reading."""

    # "agrees" (one of its readings is the scan's), "differs" (none is) or "unread" (it read the side no usable way)
    verdict: str
    # why it could not read the side, or how it read it when it differs
    detail: str = ""


@dataclasses.dataclass
class _Translation:
    text: str
    # a name introduced by the translation -> what it stands for in the scan's reading: a sympy object, or
    # ("function", name) for a function's name
    places: dict


def translate(side: str) -> _Translation:
    """The side rewritten for sympy's grammar, and what each name the rewriting introduced stands for."""
    text = normalise(side)
    if _MARK in text.lower():
        raise Unread(f"it spells {_MARK!r}, which the translation for sympy's parser uses")
    toks = tokens(text)
    places: dict = {}
    out: list[str] = []
    before: dict[int, list[str]] = {}   # index -> tokens written before the token at that index
    after: dict[int, list[str]] = {}    # index -> tokens written after the token at that index
    skip: set[int] = set()
    kept: set[int] = set()      # brackets that stay brackets

    def place(target) -> str:
        """The short name written for what the grammar lacks (its time grows with the text's length)."""
        for ph, known in places.items():
            if type(known) is type(target) and known == target:
                return ph
        k, letters = len(places), ""
        while True:
            letters, k = chr(ord("a") + k % 26) + letters, k // 26
            if not k:
                break
        ph = f"Z_{{{_MARK}{letters}}}"
        places[ph] = target
        return ph

    def times(j: int) -> None:
        """Write an explicit product sign before the token at j (once)."""
        if "\\cdot" not in before.setdefault(j, []):
            before[j].append("\\cdot")

    def end(j: int) -> int:
        """The index after the {...} group or single token starting at j."""
        if j >= len(toks):
            raise Unread("the side ends where a group was expected")
        if toks[j] != "{":
            return j + 1
        depth = 0
        for k in range(j, len(toks)):
            depth += (toks[k] == "{") - (toks[k] == "}")
            if depth == 0:
                return k + 1
        raise Unread("unbalanced braces")

    def closing(j: int) -> int:
        """The index of the parenthesis closing the one at j."""
        depth = 0
        for k in range(j, len(toks)):
            depth += (toks[k] == "(") - (toks[k] == ")")
            if depth == 0:
                return k
        raise Unread("unbalanced parentheses")

    def is_bound(i: int) -> bool:
        """Whether the ^ at i gives a bound of \\sum or \\prod, or a power of a function command."""
        j = i - 1
        if j >= 0 and toks[j] == "}":
            depth = 0
            while j >= 0:
                depth += (toks[j] == "}") - (toks[j] == "{")
                if depth == 0:
                    break
                j -= 1
        return j >= 0 and (toks[j] in _BOUNDED or toks[j][1:] in FUNCTIONS) or j >= 2 and toks[j - 1] == "_" and toks[j - 2] in _BOUNDED

    i = 0
    while i < len(toks):
        out += before.pop(i, [])
        t = toks[i]
        if i in skip:
            i += 1
            continue
        if t in _ACCENTS:
            j = end(i + 1)
            inner = [x for x in toks[i + 1:j] if x not in "{}"]
            if len(inner) != 1:
                raise Unread(f"{t} over more than a name")
            name = f"{t[1:]}_{inner[0].lstrip(chr(92))}"
            out.append(place(symbol(name)))
            i = j
            continue
        if t.startswith("\\") and t[1:] in GREEK and t[1:] not in _LARK_GREEK:
            if t == "\\sigma" or t[1:] in ("phi", "varphi", "Phi", "psi", "Psi", "rho", "chi") and i + 1 < len(toks) and toks[i + 1] == "(":
                out.append(place(("function", t[1:])))
                if i + 1 < len(toks) and toks[i + 1] == "(":  # a value times a factor: f(z)(1 - f(z))
                    k = closing(i + 1) + 1
                    if k < len(toks) and _starts_factor(toks[k]):
                        times(k)
            else:
                out.append(place(symbol(t[1:])))
        elif t == "\\pi":
            out.append(place(sympy.pi))
        elif t[0].isdigit() and "." in t or t[0] == "." and t[1:].isdigit():
            # a decimal, exactly: the grammar makes it a float, which \log and \exp evaluate (inexact, and slow to compare)
            out.append(place(sympy.Rational(t)))
        elif t == "\\partial":
            out.append("d")
        elif t == "[" and i and toks[i - 1] == "\\sqrt":  # the degree of a root, in brackets in its grammar too
            depth = 0
            for k in range(i, len(toks)):
                depth += (toks[k] == "[") - (toks[k] == "]")
                if depth == 0:
                    kept.add(k)
                    break
            out.append(t)
        elif t in ("(", ")", "[", "]") and i not in kept:
            out.append("(" if t in "([" else ")")
            nxt = toks[i + 1:i + 3]
            # a group times a factor its grammar cannot put beside a group: (1 - y)\log(1 - y), (a + b)x^2
            if t in ")]" and nxt and (nxt[0].startswith("\\") and _starts_factor(nxt[0]) or nxt[0][0].isdigit()
                                      or nxt[0].isalpha() and len(nxt) > 1 and nxt[1] in ("^", "'")):
                times(i + 1)
        elif t in _BOUNDED and i + 2 < len(toks) and toks[i + 1] == "_":
            j = end(i + 2)
            inner = [x for x in toks[i + 2:j] if x not in "{}"]
            if (j >= len(toks) or toks[j] != "^") and len(inner) == 1 and len(inner[0]) == 1 and inner[0].isalpha():
                letter = inner[0]
                out += [t, "_", "{", letter, "=", "1", "}", "^", "{", place(symbol(f"#{letter}")), "}"]
                i = j
                continue
            out.append(t)
        elif t[1:] in FUNCTIONS and i + 1 < len(toks) and toks[i + 1] == "^":
            j = end(i + 2)
            if j < len(toks) and toks[j] == "(":
                power = toks[i + 2:j]
                out += ["(", t]
                after.setdefault(closing(j), []).extend([")", "^", *power])
                skip.update(range(i + 1, j))
            else:
                out.append(t)
        elif t == "^" and not is_bound(i):
            j = end(i + 1)
            nxt = toks[j] if j < len(toks) else None
            if nxt is not None and _starts_factor(nxt):
                times(j)
            out.append(t)
        else:
            out.append(t)
        out += after.pop(i, [])
        i += 1
    out += before.pop(len(toks), [])
    return _Translation(_joined(out), places)


def _joined(out: list[str]) -> str:
    """The tokens as one text: spaced where the material spaced them (2 3 is not 23) and after a command that a
    letter follows (\\log a is not \\loga), and nowhere else (sympy's grammar reads x_i but not x _ i)."""
    text = ""
    for k, tok in enumerate(out):
        previous = out[k - 1] if k else ""
        command = previous.startswith("\\") and previous[1:].isalpha() and (tok[:1].isalnum())
        text += (" " if k and (getattr(tok, "spaced", False) or command) else "") + tok
    return text


def _starts_factor(tok: Token) -> bool:
    if tok[0].isdigit() or (len(tok) == 1 and tok.isalpha()) or tok in ("(", "[", "{"):
        return True
    return tok.startswith("\\") and tok not in ("\\cdot", "\\div") and tok[1:].isalpha()


# How many sides sympy's parser ran out of its time on in this process: a reading that depends on the machine's
# speed, which the scan's result cache must not keep.
PARSE_TIMEOUTS = [0]


@functools.cache
def _parser():
    """sympy's LaTeX parser (the Lark grammar, keeping every ambiguity; its parse trees are given to its transformer
    here). The one sympy builds when its parser is imported, when there is one: building another takes a second."""
    from sympy.parsing.latex.lark import LarkLaTeXParser, latex_parser

    built = getattr(latex_parser, "_lark_latex_parser", None)
    return built if isinstance(built, LarkLaTeXParser) else LarkLaTeXParser(transform=False)


@functools.cache
def _grammar():
    """sympy's grammar restricted for each side to the rules that can take part in its parse (the same parses)."""
    from proofs.scan.grammar import Restricted

    return Restricted(_parser().parser)


def reader() -> str:
    """The name, version and options of the second reader: what a reading depends on besides the side's text."""
    import lark

    return f"sympy {sympy.__version__} LaTeX parser (lark {lark.__version__}), at most {MAX_READINGS} readings"


# The run's store of readings shared by its worker processes (proofs.scan.shared), or None: each process alone.
_SHARED: list = [None]


@contextlib.contextmanager
def shared(directory) -> Iterator[None]:
    """Within the block, this process and the processes it forks read each distinct side once between them,
    through a store in `directory`."""
    from proofs.scan.shared import Store

    _SHARED[0] = Store(directory, reader())
    try:
        yield
    finally:
        _SHARED[0] = None


@functools.lru_cache(maxsize=1 << 16)
def _lark_readings(text: str) -> tuple:
    """Every reading sympy's parser gives the text (its grammar keeps every ambiguity, at any depth; each
    combination of choices is one reading), or the reason it gives none: (reason or None, *readings). Read once a
    run: remembered in this process, and shared with the run's other processes through its store."""
    store = _SHARED[0]
    return _read(text) if store is None else store.read(text, _read)


def _read(text: str) -> tuple:
    """What `_lark_readings` gives, computed by sympy's parser."""
    try:
        from lark.visitors import CollapseAmbiguities
        parser = _parser()
        grammar = _grammar()
    except ImportError as exc:  # pragma: no cover - lark is a dependency
        return (f"sympy's LaTeX parser is not available ({exc})",)
    try:
        forest = grammar.parse(text)
        if _count_readings(forest) > MAX_READINGS:  # counted before they are built: their number grows exponentially
            return (f"sympy's LaTeX parser reads it more than {MAX_READINGS} ways",)
        trees = CollapseAmbiguities().transform(forest)
    except RecursionError:
        return ("sympy's LaTeX parser: the side is nested too deeply",)
    except Timeout:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever else the parser raises means it did not read the side
        return (f"sympy's LaTeX parser cannot read it ({type(exc).__name__})",)
    if len(trees) > MAX_READINGS:
        return (f"sympy's LaTeX parser reads it more than {MAX_READINGS} ways",)
    found = []
    for tree in trees:
        try:
            expr = parser.transformer.transform(tree)
        except Timeout:
            raise
        except Exception:  # noqa: BLE001, S112 - a reading its own transformer cannot build is not a reading
            continue
        if isinstance(expr, sympy.Basic) and expr not in found:
            found.append(expr)
    return (None, *found)


def _count_readings(node, seen: Optional[dict] = None) -> int:
    """How many trees a parse tree with ambiguity nodes stands for (shared subtrees are counted once each)."""
    seen = {} if seen is None else seen
    children = getattr(node, "children", None)
    if children is None:
        return 1
    if id(node) not in seen:
        counts = [_count_readings(c, seen) for c in children]
        if node.data == "_ambig":
            total = sum(counts)
        else:
            total = 1
            for c in counts:
                total = min(total * c, MAX_READINGS + 1)
        seen[id(node)] = min(total, MAX_READINGS + 1)
    return seen[id(node)]


def _name(name: str, places: dict):
    """The scan's object for a name in sympy's reading."""
    if name in places:
        return places[name]
    if "'" in name:  # its grammar reads f'(x) as a name f' times x, never as a derivative applied
        raise _Unusable(f"a prime on {name.rstrip(chr(39))}")
    m = _SUBSCRIPTED.match(name)
    if m is None:
        return symbol(name)
    base, sub = m.groups()
    if base in places or "_" in base:
        raise _Unusable(f"a subscript on {base}")
    if sub.isalpha() and len(sub) > 1:
        return symbol(f"{base}_{{{sub}}}")
    if sub.isdigit():
        index = sympy.Integer(sub)
    elif len(sub) == 1 and sub.isalpha():
        index = symbol(sub)
    else:
        raise _Unusable(f"the subscript {sub}")
    return sympy.Indexed(sympy.IndexedBase(base, real=True), index)


class _Unusable(Exception):
    """A reading of sympy's that has no meaning in the scan's terms (a letter applied as a function)."""


def _mapped(expr: sympy.Basic, places: dict, ctx: Context) -> sympy.Expr:
    """sympy's reading in the scan's terms, with the functions and values the material defined substituted."""
    if not isinstance(expr, sympy.Expr) or any(isinstance(a, (sympy.Add, sympy.Mul, sympy.Pow))
                                               and any(isinstance(x, sympy.Tuple) for x in a.args)
                                               for a in sympy.preorder_traversal(expr)):
        raise _Unusable("not an expression")  # a tuple in a sum or product: k(d + 1) read as a pair
    expr = expr.replace(lambda e: isinstance(e, sympy.Float), lambda f: sympy.Rational(str(f)))
    names = {s: _name(str(s), places) for s in expr.atoms(sympy.Symbol)}
    if any(isinstance(v, tuple) for v in names.values()):
        raise _Unusable("a function's name used as a value")
    expr = expr.xreplace(names)

    def apply(call):
        name = str(call.func)
        target = places[name][1] if isinstance(places.get(name), tuple) else name
        if target in ctx.functions:
            params, body = ctx.functions[target]
        elif target == "sigma" and ctx.logistic:
            params, body = SIGMOID
        else:
            raise _Unusable(f"{target} applied, which the material does not define")
        if len(params) != len(call.args):
            raise _Unusable(f"{target} with {len(call.args)} arguments")
        return body.xreplace(dict(zip(params, call.args)))

    expr = expr.replace(lambda e: isinstance(e, AppliedUndef), apply)
    expr = expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda d: d.doit())
    bound = {v for s in expr.atoms(sympy.Sum, sympy.Product) for v in s.variables}
    for _ in range(8):
        known = {k: v for k, v in ctx.values.items() if k not in bound and k in expr.free_symbols}
        known.update(_entries(ctx.values, expr, bound))  # p_i where p_k = ... is defined entry by entry
        if not known:
            break
        expr = expr.xreplace(known)
    return expr.xreplace({symbol("e"): sympy.E}) if symbol("e") not in bound else expr


def second_reading(side: str, ours: sympy.Expr, ctx: Optional[Context] = None) -> Reading:
    """Whether sympy's LaTeX parser reads `side` as the scan did (`ours`, read in the context `ctx`)."""
    ctx = ctx or Context()
    try:
        translation = translate(side)
    except Unread as exc:
        return Reading("unread", str(exc))
    if len(translation.text) > MAX_LENGTH:
        return Reading("unread", f"longer than {MAX_LENGTH} characters, which sympy's LaTeX parser is not given")
    if _ATOM.fullmatch(translation.text):  # one number or one letter: the reading the grammar gives it, without parsing
        why, found = None, [sympy.Rational(translation.text) if translation.text[0].isdigit() else sympy.Symbol(translation.text)]
    else:
        try:  # built outside the time a side is given: building a parser is not reading the side
            _grammar().parser(translation.text)
        except ImportError:
            pass
        try:
            with deadline(PARSE_SECONDS):
                why, *found = _lark_readings(translation.text)
        except Timeout:
            if expired():  # the step's own limit, not the parser's
                raise
            PARSE_TIMEOUTS[0] += 1
            return Reading("unread", f"sympy's LaTeX parser took more than {PARSE_SECONDS:g} s of CPU time")
    if why:
        return Reading("unread", why)
    readings, unusable = [], []
    for expr in found:
        try:
            readings.append(_mapped(expr, translation.places, ctx))
        except _Unusable as exc:
            unusable.append(str(exc))
        except (TypeError, ValueError, AttributeError, RecursionError) as exc:
            unusable.append(type(exc).__name__)
    if not readings:
        return Reading("unread", "sympy's LaTeX parser reads it only in ways that have no meaning here"
                                 + (f" ({unusable[0]})" if unusable else ""))
    if any(r == ours for r in readings) or any(_same_or_not(r, ours) for r in readings):
        return Reading("agrees")
    return Reading("differs", f"sympy's LaTeX parser reads it as {_show(readings)}, the scan as {ours}")


def _same_or_not(theirs: sympy.Expr, ours: sympy.Expr) -> bool:
    """Whether two readings are the same; a pair sympy cannot compare is not (the step is then read two ways)."""
    try:
        return _same(theirs, ours)
    except Timeout:
        raise
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False


def _same(theirs: sympy.Expr, ours: sympy.Expr) -> bool:
    from proofs.scan.check import check

    difference = sympy.simplify(theirs - ours)
    if difference == 0:
        return True
    return check(theirs, "=", ours).status in ("proved", "checked")


def _show(readings: list) -> str:
    shown = " or ".join(str(r) for r in readings[:3])
    return shown if len(readings) <= 3 else f"{shown} (or {len(readings) - 3} more)"
