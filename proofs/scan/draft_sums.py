"""Claims drafted from steps with sums: over every length (an `IntRange(1, None)` size and `Indexed(Real)` sequences,
sums written with `summation`), where the statement form can say it; None where it cannot (an entry at a free index,
a derivative with respect to an entry), and the step is then drafted at one length."""

from __future__ import annotations

from typing import Callable, Optional

import sympy
from sympy.core.function import AppliedUndef

__all__ = ["every_length", "printed_sides", "entry_derivative", "substituted"]


class _Unwritable(Exception):
    """A part of the step a statement over every length cannot write."""


def every_length(step, identifier: Callable[[str, set], str], printer_class) -> Optional[tuple]:
    """(params, printer, note, printed) for a step whose sums may be written over a symbolic length: params as Python
    text, a printer for its sides and conditions, what the statement says of the length, and the sides as printed
    (see `printed_sides`) or None; None otherwise."""
    exprs = [*step.exprs, *(x for c in step.conditions for x in (c[0], c[2]))]
    shown = printed_sides(step)
    if shown is not None:  # the names the definitions use are parameters too (one a derivative drops included)
        exprs += [body.xreplace({p: sympy.Dummy() for p in name.args}) if isinstance(name, AppliedUndef) else body
                  for name, body in shown[2]]  # a function's parameters are its helper's
        exprs += [substituted(side, shown[2]) for side in shown[:2]]  # a variable only a derivative printed names
    sums = [s for e in exprs for s in e.atoms(sympy.Sum)]
    if not sums or any(e.has(sympy.Product) for e in exprs):
        return None
    bound = {lim[0] for s in sums for lim in s.args[1:]}
    sizes: set = set()
    for s in sums:
        for _var, lo, hi in s.args[1:]:
            if not (lo.is_Integer or lo.is_Symbol) or not (hi.is_Integer or hi.is_Symbol):
                return None
            sizes |= {b for b in (lo, hi) if b.is_Symbol}
    if not sizes:  # every sum of a length the material fixes ("$n = 3$ samples"): written out at it
        return None
    bases, scalars = set(), set()
    for e in exprs:
        for a in e.atoms(sympy.Indexed):
            if len(a.indices) != 1 or not a.indices[0].free_symbols or not a.indices[0].free_symbols <= bound:
                return None  # an entry at a free or a fixed index: not a statement about whole sequences
            bases.add(a.base.label)
        for d in e.atoms(sympy.Derivative):
            if any(not isinstance(v, sympy.Symbol) or v in bound for v in d.variables):
                return None
        scalars |= {s for s in e.free_symbols
                    if isinstance(s, sympy.Symbol) and not isinstance(s, sympy.Dummy) and s not in bound and s not in sizes}
    scalars -= bases
    if scalars & sizes or bases & sizes:
        return None
    taken: set = set()
    names: dict = {}
    lengths = sorted((s for s in sizes if s.name.startswith("#")), key=str)
    length_name = identifier("n", taken) if lengths else None
    for s in lengths:
        names[s.name] = length_name  # every sum without bounds has one length, as the scan decides it
    for s in sorted(sizes - set(lengths), key=str):
        names[s.name] = identifier(s.name, taken)
    for s in sorted(scalars | bases, key=str):
        names[s.name] = identifier(s.name, taken)
    for v in sorted(bound, key=str):
        names[v.name] = identifier(v.name, taken)
    if shown is not None:  # each defined name: a helper of the module, called with the names its definition uses
        helpers = []
        for name, body in shown[2]:
            if isinstance(name, AppliedUndef):  # f(w) = ...: a helper f(w), called as printed
                helpers.append(function_helper(name, body, names, identifier, taken, lambda b: _arguments(b, names)))
                continue
            args = _arguments(body, names)
            call = identifier(name.name, taken)
            names[name.name] = f"{call}({', '.join(args)})"
            helpers.append((call, args, body))
        shown = (shown[0], shown[1], tuple(helpers))
    params = ([f"{length_name}: IntRange(1, None)"] if length_name else [])
    params += [f"{names[s.name]}: IntRange(1, None)" for s in sorted(sizes - set(lengths), key=str)]
    params += [f"{names[s.name]}: {'Indexed(Real)' if s in bases else 'Real'}" for s in sorted(scalars | bases, key=str)]
    note = f"for every number of terms {length_name} of its sums" if length_name else "for every length of its sums"
    return ", ".join(params), _printer(printer_class, names), note, shown


def _arguments(body, names: dict) -> list:
    """The parameters of a defined name's helper: the names (lengths, scalars, sequences) its definition uses, in the
    order the claim takes them."""
    bound = {lim[0] for s in body.atoms(sympy.Sum) for lim in s.args[1:]}
    used = {s.name for s in body.free_symbols if isinstance(s, sympy.Symbol) and not isinstance(s, sympy.Dummy) and s not in bound}
    used |= {a.base.label.name for a in body.atoms(sympy.Indexed)}
    return sorted({names[u] for u in used}, key=list(dict.fromkeys(names.values())).index)


def printed_sides(step) -> Optional[tuple]:
    """(left, right, ((name, definition), ...)): the step's sides as the material prints them (Step.printed; a name
    is a Symbol, a function f(w) its parameters applied), when each derivative in them is with respect to a plain
    variable (the statement's diff takes one) and, with the definitions substituted and the derivatives taken, they
    are the sides the scan checked at lengths 1 to 3; None otherwise, and the sides as checked are drafted."""
    printed = getattr(step, "printed", None)
    if printed is None or step.exprs is None:
        return None
    left, right, helpers = printed
    if any(not isinstance(v, sympy.Symbol) for e in (left, right) for d in e.atoms(sympy.Derivative) for v in d.variables):
        return None
    try:
        every = (*step.exprs, left, right, *(b for _, b in helpers))
        lengths = {s for e in every for s in e.free_symbols if s.name.startswith("#")}
        lengths |= {b for e in every for s in e.atoms(sympy.Sum, sympy.Product) for lim in s.args[1:] for b in lim[1:]
                    if isinstance(b, sympy.Symbol)}  # a length the material names (n samples): compared at 1 to 3 too
        for n in (1, 2, 3):
            at = {s: sympy.Integer(n) for s in lengths}
            for shown, checked in zip((left, right), step.exprs):
                a = substituted(shown, helpers).xreplace(at).doit()
                b = checked.xreplace(at).doit()
                if sympy.expand(a - b) != 0 and sympy.simplify(a - b) != 0:
                    return None
    except Exception:  # noqa: BLE001 - not shown to agree: the sides as checked are drafted
        return None
    return printed


def substituted(e: sympy.Expr, helpers) -> sympy.Expr:
    """The expression with each defined name's and function's definition substituted (helpers as in printed_sides)."""
    values = {name: body for name, body in helpers if not isinstance(name, AppliedUndef)}
    functions = {type(name).__name__: (name.args, body) for name, body in helpers if isinstance(name, AppliedUndef)}

    def call(f):
        params, body = functions[type(f).__name__]
        return body.xreplace(dict(zip(params, f.args)))

    for _ in range(8):
        if not (e.free_symbols & set(values) or any(type(f).__name__ in functions for f in e.atoms(AppliedUndef))):
            return e
        e = e.replace(lambda x: isinstance(x, AppliedUndef) and type(x).__name__ in functions, call).xreplace(values)
    raise ValueError("definitions that refer to each other in a cycle")


def function_helper(name, body, names: dict, identifier: Callable[[str, set], str], taken: set,
                    extras: Callable, keyof: Callable = lambda p: p.name) -> tuple:
    """(call, parameters, formula) of the helper drafted for a function the material defines (name: f(w), the
    function applied to its parameters): it takes its parameters, then the claim's names its formula uses besides
    them (`extras(formula)` names those); `names` gets each parameter's name and, under "f()", how to call it."""
    params = []
    for p in name.args:  # a parameter x_t (an entry) keyed as the printer keys it (keyof), named x_t
        if keyof(p) not in names:
            names[keyof(p)] = identifier(str(p).replace("[", "_").replace("]", ""), taken)
        params.append(names[keyof(p)])
    others = tuple(extras(body.xreplace({p: sympy.Dummy() for p in name.args})))
    function = type(name).__name__
    call = identifier(function, taken)
    names[f"{function}()"] = (call, others)
    return call, params + list(others), body


def entry_derivative(step) -> Optional[str]:
    """The entry a derivative printed in the step is taken with respect to (x_j), or None."""
    printed = getattr(step, "printed", None)
    if printed is None:
        return None
    for e in printed[:2]:
        for d in e.atoms(sympy.Derivative):
            for v in d.variables:
                if not isinstance(v, sympy.Symbol):
                    return str(v)
    return None


def _printer(base, names: dict):
    class _Sums(base):
        def _print_Symbol(self, e):
            return names[e.name]

        def _print_Indexed(self, e):
            return f"{names[e.base.label.name]}[{self._print(e.indices[0])}]"

        def _print_Sum(self, e):
            out = self._print(e.args[0])
            for var, lo, hi in e.args[1:]:
                out = f"summation(lambda {names[var.name]}: {out}, {self._print(lo)}, {self._print(hi)})"
            return out

        def _print_Derivative(self, e):
            out = self._print(e.expr)
            for v in e.variables:
                out = f"diff({out}, {names[v.name]})"
            return out

    return _Sums(names)
