"""Claims drafted from steps with sums: over every length (an `IntRange(1, None)` size and `Indexed(Real)` sequences,
sums written with `summation`), where the statement form can say it; None where it cannot (an entry at a free index,
a derivative with respect to an entry), and the step is then drafted at one length."""

from __future__ import annotations

from typing import Callable, Optional

import sympy

__all__ = ["every_length"]


class _Unwritable(Exception):
    """A part of the step a statement over every length cannot write."""


def every_length(step, identifier: Callable[[str, set], str], printer_class) -> Optional[tuple]:
    """(params, printer, note) for a step whose sums may be written over a symbolic length: params as Python text, a
    printer for its sides and conditions, and what the statement says of the length; None otherwise."""
    exprs = [*step.exprs, *(x for c in step.conditions for x in (c[0], c[2]))]
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
    bases, scalars = set(), set()
    for e in exprs:
        for a in e.atoms(sympy.Indexed):
            if len(a.indices) != 1 or not a.indices[0].free_symbols or not a.indices[0].free_symbols <= bound:
                return None  # an entry at a free or a fixed index: not a statement about whole sequences
            bases.add(a.base.label)
        for d in e.atoms(sympy.Derivative):
            if any(not isinstance(v, sympy.Symbol) or v in bound for v in d.variables):
                return None
        scalars |= {s for s in e.free_symbols if isinstance(s, sympy.Symbol) and s not in bound and s not in sizes}
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
    params = ([f"{length_name}: IntRange(1, None)"] if length_name else [])
    params += [f"{names[s.name]}: IntRange(1, None)" for s in sorted(sizes - set(lengths), key=str)]
    params += [f"{names[s.name]}: {'Indexed(Real)' if s in bases else 'Real'}" for s in sorted(scalars | bases, key=str)]
    note = f"for every number of terms {length_name} of its sums" if length_name else "for every length of its sums"
    return ", ".join(params), _printer(printer_class, names), note


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
