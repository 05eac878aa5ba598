"""Claims drafted from a scan: each refuted step as an erratum (with its correction when one is evident), and each
chosen step as a claim, in the statement form and cited to the material, ready for review."""

from __future__ import annotations

import copy
import keyword
import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Optional, Sequence

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from proofs.errors import UsageError
from proofs.material import read
from proofs.scan.check import integer_names
from proofs.scan.draft_matrix import render_matrix
from proofs.scan.draft_sums import entry_derivative, every_length, function_helper, printed_sides
from proofs.scan.matrices import Node
from proofs.scan.replay import key
from proofs.scan.steps import Step

__all__ = ["chosen", "write", "render", "correction"]

# Sums and free indices are drafted at this length when no counterexample gives one.
_LENGTH = 3
_PYTHON = {"=": "==", "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
# The relation that corrects an inequality printed pointing the wrong way (left FLIPPED right)
_FLIPPED = {"<": ">=", "<=": ">=", ">": "<=", ">=": "<="}


class _Unsupported(Exception):
    """The step holds something the statement form cannot write."""


class _Code(StrPrinter):
    """Python for the statement form (proofs' exp, log, tanh, sqrt, maximum, minimum, abs; exact Fractions)."""

    printmethod = "_proofs_draft"  # not sympy's own _sympystr, which Indexed has

    def __init__(self, names: dict) -> None:
        super().__init__()
        self.names = names

    def kept(self) -> "_Code":
        """This printer keeping each sum's and product's terms in the order they were read (the sides as printed)."""
        out = copy.copy(self)
        out._settings = {**self._settings, "order": "none"}
        return out

    def _print_Symbol(self, e):
        return self.names[key(e)]

    def _print_Indexed(self, e):
        return self.names[key(e)]

    def _print_Rational(self, e):
        return f"Fraction({e.p}, {e.q})"

    def _print_Integer(self, e):
        return str(e.p)

    def _print_Exp1(self, e):
        return "exp(1)"

    def _print_Abs(self, e):
        return f"abs({self._print(e.args[0])})"

    def _print_Max(self, e):
        return self._fold("maximum", e.args)

    def _print_Min(self, e):
        return self._fold("minimum", e.args)

    def _fold(self, name, args):
        out = self._print(args[0])
        for a in args[1:]:
            out = f"{name}({out}, {self._print(a)})"
        return out

    def _print_Derivative(self, e):
        out = self._print(e.expr)
        for v in e.variables:
            if not isinstance(v, sympy.Symbol):
                raise _Unsupported(f"a derivative with respect to {v}, which diff(...) cannot take")
            out = f"diff({out}, {self.names[key(v)]})"
        return out

    def _print_Function(self, e):
        name = type(e).__name__
        if isinstance(e, AppliedUndef):  # a function the material defines: its helper, called as printed
            call, extra = self.names[f"{name}()"]
            return f"{call}({', '.join([self._print(a) for a in e.args] + list(extra))})"

        if name not in ("exp", "log", "tanh"):
            raise _Unsupported(f"the statement form has no {name}")
        return f"{name}({self._print(e.args[0])})"

    def _print_Pow(self, e, rational=False):
        if e.base == sympy.E:  # e^{x} as printed
            return f"exp({self._print(e.exp)})"
        if e.exp == sympy.Rational(1, 2):
            return f"sqrt({self._print(e.base)})"
        if not e.exp.is_Integer:
            raise _Unsupported("a power that is not an integer or a square root")
        if e.exp < 0 and _literal(e.base):  # 2^{-1} as printed: exact, not Python's float
            return f"Fraction({self._print(e.base)})**({self._print(e.exp)})"
        return super()._print_Pow(e, rational)

    def _print_Mul(self, e):
        factors = list(e.args)
        literal = all(_literal(f) for f in factors)
        below = [f for f in factors if f.is_Pow and f.exp.is_Integer and f.exp < 0]
        if self._settings.get("order") != "none" and not (below and literal):
            return super()._print_Mul(e)
        # as read: the factors in their order, a sign in front, a quotient of numbers exact (not Python's float)
        if len(factors) > 1 and factors[0].is_Number and factors[0] < 0:
            rest = ([-factors[0]] if factors[0] != -1 else []) + factors[1:]
            inner = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
            return "-" + self.parenthesize(inner, PRECEDENCE["Mul"], strict=True)
        above = [f for f in factors if not any(f is b for b in below)]
        top = "*".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=not _quotient(f)) for f in above) or "1"
        if not below:
            return top
        bottom = "*".join(self.parenthesize(f.base if f.exp == -1 else sympy.Pow(f.base, -f.exp, evaluate=False),
                                            PRECEDENCE["Mul"], strict=len(below) > 1) for f in below)
        if literal:
            return f"Fraction({top}, {bottom})"
        return f"{top}/{bottom}" if len(below) == 1 else f"{top}/({bottom})"

    def _print_Piecewise(self, e):
        """A formula by cases (\\begin{cases}): ite(condition, value, the rows after it); the last row's condition holds."""
        *rows, (last, always) = e.args
        if always != sympy.true:
            raise _Unsupported("a formula by cases whose conditions may all fail")
        out = self._print(last)
        for value, condition in reversed(rows):
            out = f"ite({self._print(condition)}, {self._print(value)}, {out})"
        return out

    def _print_Relational(self, e):
        if e.rel_op not in _PYTHON:
            raise _Unsupported(f"the relation {e.rel_op}")
        return f"{self._print(e.lhs)} {_PYTHON[e.rel_op]} {self._print(e.rhs)}"

    def emptyPrinter(self, e):
        raise _Unsupported(f"{type(e).__name__} cannot be written in the statement form")


def _literal(e) -> bool:
    """Whether an expression is integers and fractions only (with +, -, * and integer powers): Python evaluates it
    as int or Fraction, exactly, except a quotient or a negative power of ints (see _Code)."""
    if e.is_Rational:
        return True
    if e.is_Add or e.is_Mul:
        return all(_literal(a) for a in e.args)
    return bool(e.is_Pow and e.exp.is_Integer and _literal(e.base))


def _quotient(e) -> bool:
    """Whether an expression is a product with a divisor that is not a number (1/n): parenthesized as a factor."""
    return e.is_Mul and not _literal(e) and any(f.is_Pow and f.exp.is_Integer and f.exp < 0 for f in e.args)


def chosen(steps: Sequence[Step], selectors: Sequence[str]) -> list[Step]:
    """The refuted steps, and the steps each selector names (FILE:LINE, or a snippet of the step's text)."""
    picked = [s for s in steps if s.status == "refuted"]
    for selector in selectors:
        matches = [s for s in steps if selector in (f"{s.file}:{s.line}",) or selector in s.text]
        if not matches:
            raise UsageError(f"--select {selector!r} names no step: give FILE:LINE or a snippet of a step's text")
        readable = [s for s in matches if s.exprs is not None]
        if not readable:
            raise UsageError(f"--select {selector!r}: the step was not read ({matches[0].reason}); it cannot be drafted")
        picked += [s for s in readable if s not in picked]
    return picked


def _concrete(step: Step, e: sympy.Expr) -> sympy.Expr:
    """The expression with sum lengths and free indices fixed (at the counterexample's values, or _LENGTH) and its
    sums written out."""
    values = (step.counterexample or {}).get("values", {})
    names = integer_names(*step.exprs, *(c[0] for c in step.conditions), *(c[2] for c in step.conditions))
    fixed = {sympy.Symbol(n, real=True): sympy.Integer(int(Fraction(values.get(n, _LENGTH)))) for n in names}
    return e.xreplace(fixed).doit()


def correction(left: sympy.Expr, relation: str, right: sympy.Expr) -> Optional[tuple[sympy.Expr, str]]:
    """(corrected right side, what was wrong) when the slip is evident: a lost factor (the sides' ratio is a
    monomial) or a dropped or wrong term (their difference is a single term); None otherwise."""
    if relation != "=":
        return None
    try:
        if left.is_number and right.is_number:
            return left, f"states {right} where the left side is {left}"
        if right != 0:
            ratio = sympy.factor(sympy.simplify(left / right))
            if ratio != 1 and ratio.is_Mul or ratio.is_Symbol or ratio.is_Number and ratio != 1:
                if ratio.is_number or all(f.is_Symbol or f.is_Number or f.is_Pow and f.base.is_Symbol for f in sympy.Mul.make_args(ratio)):
                    return ratio * right, f"lost a factor {ratio}"
        d = sympy.simplify(sympy.expand(left - right))
        if d != 0 and len(sympy.Add.make_args(d)) == 1:
            return right + d, f"dropped or got wrong a term {d}"
        if d != 0 and len(sympy.Add.make_args(d)) <= 3 and sympy.count_ops(d) <= sympy.count_ops(right):
            return right + d, f"dropped or got wrong the terms {d}"
    except Exception:  # noqa: BLE001 - no evident correction; the draft is left for the author to finish
        return None
    return None


def _identifier(name: str, taken: set) -> str:
    base = re.sub(r"\W+", "_", name.replace("[", "_").replace("]", "")).strip("_") or "v"
    if base[0].isdigit() or keyword.iskeyword(base) or base in {"Fraction", "Real", "forall", "implies", "exp", "log", "tanh",
                                                                "sqrt", "maximum", "minimum", "abs", "fix", "Correction", "ite", "diff",
                                                                "summation", "Indexed", "IntRange", "todo"}:
        base = f"v_{base}"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def render(step: Step, claim_id: str, snippet: str) -> str:
    """The module of one drafted claim (see the module docstring); a step the statement form cannot write, or one
    whose correction is not evident, becomes a module that stops loading at a todo(...) the author fills in."""
    where = f"{step.file}:{step.line}" + (f" (cell {step.cell})" if step.cell is not None else "")
    symbolic = every_length(step, _identifier, _Code)
    helpers = ""
    if symbolic is not None:  # sums over every length: the sides as read, not written out at one length
        left, right = step.exprs
        conditions = list(step.conditions)
        params, code, note, shown = symbolic
        fixed = note
    else:
        left, right = (_concrete(step, e) for e in step.exprs)
        conditions = [(_concrete(step, a), r, _concrete(step, b)) for a, r, b in step.conditions]
        shown = printed_sides(step)
        if shown is not None and any(e.has(sympy.Sum, sympy.Product, sympy.Indexed)
                                     for e in (shown[0], shown[1], *(_own(name, body) for name, body in shown[2]))):
            shown = None  # sums at one length and entries: the sides as checked, written out
        defined = {name for name, _ in shown[2]} if shown is not None else set()
        # a function's parameters are its helper's, not the claim's (unless the sides use them too)
        kept = [*shown[:2], *(_own(name, body) for name, body in shown[2])] if shown is not None else []
        atoms = sorted({a for e in (left, right, *[x for c in conditions for x in (c[0], c[2])], *kept)
                        for a in e.atoms(sympy.Symbol, sympy.Indexed)
                        if a not in defined and not isinstance(a, sympy.Dummy)
                        and not any(isinstance(i, sympy.Indexed) and i.base.label == a for i in e.atoms(sympy.Indexed))},
                       key=key)
        taken: set = set()
        names = {key(a): _identifier(key(a), taken) for a in atoms}
        if shown is not None:  # each defined name: a helper of the module, called with the names its definition uses
            calls = []
            for name, body in shown[2]:
                if isinstance(name, AppliedUndef):  # f(w) = ...: a helper f(w), called as printed (f(2))
                    calls.append(function_helper(name, body, names, _identifier, taken,
                                                 lambda b: [names[key(a)] for a in atoms if a in b.free_symbols], key))
                    continue
                args = [names[key(a)] for a in atoms if a in body.free_symbols]
                call = _identifier(key(name), taken)
                names[key(name)] = f"{call}({', '.join(args)})"
                calls.append((call, args, body))
            shown = (shown[0], shown[1], tuple(calls))
        code = _Code(names)
        fixed = _lengths(step)
        params = ", ".join(f"{names[key(a)]}: Real" for a in atoms)
    statement = f"As printed at {where}: {step.text}" + (f" ({fixed})" if fixed else "")
    cites = f"cites=({step.file!r}, {snippet!r})"
    try:
        if shown is not None:  # as printed: each defined name a helper, each derivative diff(...), nothing evaluated
            kept_code = code.kept()
            body_left, body_right = kept_code.doprint(shown[0]), kept_code.doprint(shown[1])
            helpers = "".join(f"def {call}({', '.join(args)}):\n    # as the material defines it\n"
                              f"    return {kept_code.doprint(body)}\n\n\n" for call, args, body in shown[2])
        else:
            body_left, body_right = code.doprint(left), code.doprint(right)
        entry = entry_derivative(step)
        if entry is not None:
            helpers += (f"# The step's derivative is with respect to the entry {entry}, and the statement's diff takes a plain\n"
                        "# variable: the derivative is drafted as the scan takes it.\n\n\n")
        guard = " & ".join(f"({code.doprint(a)} {_PYTHON[r]} {code.doprint(b)})" for a, r, b in conditions if r in _PYTHON)
    except _Unsupported as exc:
        return _unfinished(claim_id, statement, cites, f"write the step by hand: {exc}")
    relation = _PYTHON[step.relation]

    def returned(rhs: str) -> str:
        out = f"{body_left} {relation} {rhs}"
        return f"implies({guard}, {out})" if guard else out

    header = f'"""Drafted by `proofs scan` from {where}; review it, then keep it with the course\'s claims."""\n\n'
    imports = ("from fractions import Fraction  # noqa: F401\n\n"
               "from proofs import Correction, Real, exp, forall, implies, ite, log, maximum, minimum, sqrt, tanh  # noqa: F401\n"
               + ("from proofs import Indexed, IntRange, diff, summation  # noqa: F401\n" if symbolic else
                  "from proofs import diff  # noqa: F401\n" if "diff(" in body_left + body_right + helpers else "") + "\n\n")
    if step.status != "refuted":
        return (header + imports + helpers + f"@forall({claim_id!r}, {statement!r},\n        {cites})\n"
                f"def claim({params}):\n    return {returned(body_right)}\n\n\nCLAIMS = (claim,)\n")
    if step.relation in _FLIPPED and _holds(left, _FLIPPED[step.relation], right, step.conditions):
        flipped = _PYTHON[_FLIPPED[step.relation]]
        reason = (f"The printed inequality points the wrong way: at {_point(step)} the left side is "
                  f"{step.counterexample['left']} and the right side {step.counterexample['right']}.")
        fixed_statement = f"{step.left} {_FLIPPED[step.relation]} {step.right}" + (f" ({fixed})" if fixed else "")
        return (header + imports + helpers +
                f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
                f"        erratum=Correction({reason!r},\n                           {fixed_statement!r}, {{'fix': 1}}))\n"
                f"def claim({params}{', ' if params else ''}fix=0):\n"
                f"    # fix = 0 is the step as printed; fix = 1 reverses the inequality\n"
                f"    return {returned(body_right)} if fix == 0 else {returned(body_right).replace(f' {relation} ', f' {flipped} ', 1)}\n\n\n"
                "CLAIMS = (claim, *claim.companions)\n")
    fix = correction(left, step.relation, right)
    if fix is None:
        return _unfinished(claim_id, statement, cites, "no correction is evident: write the corrected step", code=(
            params, returned(f"{body_right} + fix * todo('what the right side is missing')")), helpers=helpers)
    corrected, what = fix
    delta = sympy.simplify(corrected - right)
    try:
        delta_code = code.doprint(delta)
        fixed_text = code.doprint(corrected)
    except _Unsupported as exc:
        return _unfinished(claim_id, statement, cites, f"write the correction by hand: {exc}")
    reason = f"The printed step {what}: at {_point(step)} the left side is {step.counterexample['left']} and the right side {step.counterexample['right']}."
    fixed_statement = f"{step.left} {step.relation} {fixed_text}" + (f" ({fixed})" if fixed else "")
    return (header + imports + helpers +
            f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
            f"        erratum=Correction({reason!r},\n                           {fixed_statement!r}, {{'fix': 1}}))\n"
            f"def claim({params}{', ' if params else ''}fix=0):\n"
            f"    # fix = 0 is the step as printed; fix = 1 adds what it is missing: {delta_code}\n"
            f"    return {returned(f'{body_right} + fix * ({delta_code})')}\n\n\n"
            "CLAIMS = (claim, *claim.companions)\n")


def _own(name, body: sympy.Expr) -> sympy.Expr:
    """A definition's formula with a function's parameters (its helper's own names) replaced by placeholders."""
    return body.xreplace({p: sympy.Dummy() for p in name.args}) if isinstance(name, AppliedUndef) else body


def _holds(left: sympy.Expr, relation: str, right: sympy.Expr, conditions) -> bool:
    """Whether sympy proves the relation (a refuted inequality turned round)."""
    from proofs.scan.check import check

    try:
        return check(left, relation, right, conditions).status == "proved"
    except Exception:  # noqa: BLE001 - not shown to hold: no evident correction
        return False


def _lengths(step: Step) -> str:
    values = (step.counterexample or {}).get("values", {})
    names = sorted(integer_names(*step.exprs))
    if not names:
        return ""
    return "drafted at " + ", ".join(f"{n.replace('#', 'the number of terms of the sum over ')} = {values.get(n, _LENGTH)}"
                                     for n in names) + "; the material's statement is for every length"


def _point(step: Step) -> str:
    values = step.counterexample["values"]
    return ", ".join(f"{k} = {v}" for k, v in values.items()) or "every point"


def _unfinished(claim_id: str, statement: str, cites: str, why: str, code: Optional[tuple] = None, helpers: str = "") -> str:
    params, body = code or ("x: Real", "todo('the relation, e.g. x == x')")
    return (f'"""Drafted by `proofs scan`; UNFINISHED: {why}. It stops loading until every todo(...) is filled."""\n\n'
            "from fractions import Fraction  # noqa: F401\n\n"
            "from proofs import Correction, Real, exp, forall, implies, ite, log, maximum, minimum, sqrt, tanh, todo  # noqa: F401\n"
            "from proofs import Indexed, IntRange, diff, summation  # noqa: F401\n\n"
            "# TODO: finish this claim (the scan could not write it whole), then remove this line.\n"
            f"REASON = todo({why!r})\n\n\n{helpers}"
            f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
            f"        erratum=Correction(REASON, todo('the corrected step'), {{'fix': 1}}))\n"
            f"def claim({params}{', ' if params else ''}fix=0):\n    return {body}\n\n\nCLAIMS = (claim, *claim.companions)\n")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "material"


def _place(document, offset: int) -> str:
    """The exercise and part of a step, as a claim id names them ("ex3.b", "ex3"); ex0 outside every exercise."""
    from proofs.coverage import part_at

    part = part_at(document, offset)
    return part if part.startswith("ex") else f"ex0.{part}" if part else "ex0"


def _where(place: str) -> str:
    """How a drafted claim's docstring names the place of its step: " (exercise 3, part b)"; "" outside exercises."""
    parts = place.split(".")
    if parts[0] == "ex0" or not parts[0][2:].isdigit():
        return ""
    return f" (exercise {parts[0][2:]}" + (f", part {parts[1]}" if len(parts) > 1 else "") + ")"


def write(steps: Sequence[Step], directory: Path, material: Path) -> list[Path]:
    """One module per step in the directory (scan_<file>_l<line>_<n>.py), all or none: every draft is rendered
    first; each is then created new with O_CREAT | O_EXCL | O_NOFOLLOW, so that nothing is written over an existing
    entry or through a symbolic link (a dangling one included), and when one cannot be created those created before
    it are removed again. An existing entry is a usage error naming it."""
    drafts, documents, seen = [], {}, {}
    for step in steps:
        if step.file not in documents:
            documents[step.file] = read(material, step.file)
        snippet = documents[step.file].text[step.start:step.end]
        slug = _slug(step.file)
        stem = f"scan_{slug}_l{step.line}"
        seen[stem] = seen.get(stem, 0) + 1
        name = f"{stem}_{seen[stem]}"
        place = _place(documents[step.file], step.start)
        # a claim id's namespace starts with a letter: a file named 000_notes.txt is file_000_notes_txt in it
        claim_id = f"scan.{slug if slug[0].isalpha() else f'file_{slug}'}.{place}.l{step.line}_{seen[stem]}"
        if step.exprs and isinstance(step.exprs[0], Node):  # a matrix step, read by proofs.scan.matrices
            text = render_matrix(step, claim_id, snippet, _where(place))
        else:
            text = render(step, claim_id, snippet)
        drafts.append((Path(directory) / f"{name}.py", text.encode("utf-8")))
    for path, _ in drafts:  # refused before anything is created
        if os.path.lexists(path):
            raise UsageError(f"--draft-claims: {path} exists; move it away or choose another directory")
    created: list[tuple[Path, os.stat_result]] = []
    try:
        for path, data in drafts:
            created.append(_create(path, data))
    except BaseException:
        for path, made in created:  # only what this run made, still the file it made
            try:
                now = os.lstat(path)
                if (now.st_dev, now.st_ino) == (made.st_dev, made.st_ino):
                    os.unlink(path)
            except OSError:
                pass
        raise
    return [path for path, _ in drafts]


def _create(path: Path, data: bytes) -> tuple[Path, os.stat_result]:
    """Create a new regular file at `path` holding `data`; never through a link, never over an entry."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        raise UsageError(f"--draft-claims: {path} exists; move it away or choose another directory") from None
    made = os.fstat(fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
    os.close(fd)
    return path, made
