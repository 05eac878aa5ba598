"""The mystery RNN of exercise 2 in plain exact arithmetic, and an independent decision of which weights reproduce its
behaviour (by its 16 transition tables and exact linear feasibility): references the claims are checked against."""

from __future__ import annotations

import itertools
from collections import deque
from fractions import Fraction
from typing import Iterable, Mapping, Optional, Sequence

from proofs import Constraint, feasible

__all__ = ["NAMES", "step", "run", "behaviour", "explore", "first_violation", "table_decision"]

NAMES = ("w1", "w2", "b2", "w3", "b3")


def _weights(w: Mapping) -> dict[str, Fraction]:
    return {n: Fraction(w[n]) for n in NAMES}


def step(w: Mapping, x: int, h) -> int:
    """Reference hidden update f(w1 x + w2 h + b2)."""
    return 1 if w["w1"] * x + w["w2"] * h + w["b2"] > 0 else 0


def run(w: Mapping, xs: Sequence[int], h0=0) -> list[Fraction]:
    """Reference network: the outputs y_1..y_n for inputs x_1..x_n, in exact arithmetic."""
    w, h, ys = _weights(w), Fraction(h0), []
    for x in xs:
        h = step(w, x, h)
        ys.append(w["w3"] * h + w["b3"])
    return ys


def behaviour(xs: Sequence[int]) -> list[int]:
    """The described behaviour: 1 while every input so far was 1, 0 from the first 0 on."""
    out, alive = [], 1
    for x in xs:
        alive &= x
        out.append(alive)
    return out


def _bits(xs: Iterable) -> str:
    return "".join(str(int(v)) for v in xs)


def explore(w: Mapping, h0=0) -> tuple[Optional[list[int]], list[tuple[Fraction, int]]]:
    """Breadth-first search of the joint automaton: (hidden state, behaviour state) pairs from (h0, 1).

    Returns the shortest input sequence on which the network departs from the behaviour (None when
    it never does, at any length) and every reachable joint state, in the order found.
    """
    w = _weights(w)
    start = (Fraction(h0), 1)
    paths = {start: []}
    queue = deque([start])
    bad = None
    while queue:
        h, p = queue.popleft()
        for x in (0, 1):
            h2, p2 = Fraction(step(w, x, h)), p & x
            if bad is None and w["w3"] * h2 + w["b3"] != p2:
                bad = paths[(h, p)] + [x]
            if (h2, p2) not in paths:
                paths[(h2, p2)] = paths[(h, p)] + [x]
                queue.append((h2, p2))
    return bad, list(paths)


def first_violation(w: Mapping, h0=0) -> Optional[list[int]]:
    """The shortest input sequence on which the network departs from the behaviour, or None."""
    return explore(w, h0)[0]


# Independent decision: every weight vector induces one transition table g: {0,1}^2 -> {0,1}; for each
# of the 16 tables, the weights inducing it and reproducing the behaviour form a linear system.

def _table_systems(fixed: Mapping, h0=0, extra: Sequence[Constraint] = (), table_filter=lambda table: True):
    if h0 not in (0, 1):
        raise ValueError(f"the table decision needs a binary initial hidden value, got {h0!r}")
    one = Fraction(1)
    for values in itertools.product((0, 1), repeat=4):
        table = dict(zip([(0, 0), (0, 1), (1, 0), (1, 1)], values))
        if not table_filter(table):
            continue
        rows = [Constraint({n: one}, "=", Fraction(v)) for n, v in fixed.items()] + list(extra)
        for (x, h), g in table.items():
            pre = {"w1": Fraction(x), "w2": Fraction(h), "b2": one}
            rows.append(Constraint({k: -v for k, v in pre.items()}, "<", Fraction(0)) if g else Constraint(pre, "<=", Fraction(0)))
        seen, queue = {(h0, 1)}, deque([(h0, 1)])
        while queue:
            h, p = queue.popleft()
            for x in (0, 1):
                h2, p2 = table[(x, h)], p & x
                rows.append(Constraint({"w3": Fraction(h2), "b3": one}, "=", Fraction(p2)))
                if (h2, p2) not in seen:
                    seen.add((h2, p2))
                    queue.append((h2, p2))
        yield table, rows


def table_decision(fixed: Mapping, h0=0, extra: Sequence[Constraint] = (), table_filter=lambda table: True) -> list[str]:
    """The transition tables (as 'g(0,0)g(0,1)g(1,0)g(1,1)') realisable by weights that reproduce the behaviour."""
    return [_bits(t.values()) for t, rows in _table_systems(fixed, h0, extra, table_filter) if feasible(rows)]
