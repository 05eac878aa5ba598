"""What a softmax over finite logits can and cannot output, decided by z3 and re-derived by sympy."""

from __future__ import annotations

import sympy
import z3

from proofs import Replay, SmtAnswer, solve
from proofs.claims.witness import exactly, read

__all__ = ["factor_can_equal", "replay_factor_bounds"]


def factor_can_equal(value: int, factors: int = 1) -> SmtAnswer:
    """Can a product of `factors` softmax probabilities u/(u + S), u = e^{z_x} > 0, S > 0 the other terms, equal value?

    exp maps R onto (0, oo), so finite logits give exactly the positive u and S; S > 0 needs two or more words.
    """
    us = [z3.Real(f"u{t}") for t in range(1, factors + 1)]
    ss = [z3.Real(f"S{t}") for t in range(1, factors + 1)]
    # prod u_t/(u_t + S_t) = value, multiplied out (every denominator is positive)
    top = z3.Product(us) if factors > 1 else us[0]
    bottom = z3.Product([u + s for u, s in zip(us, ss)]) if factors > 1 else us[0] + ss[0]
    return solve([*[v > 0 for v in us + ss], top == value * bottom], us + ss)


def replay_factor_bounds(witness, *, expected) -> Replay:
    """Independently of z3: for u, S > 0 both u/(u + S) and 1 - u/(u + S) = S/(u + S) are positive. The certificate's
    fields must be the claim's own (`expected`)."""
    witness = read(witness, **{key: exactly(value) for key, value in expected.items()})
    u, s = sympy.symbols("u S", positive=True)
    p = u / (u + s)
    gap = sympy.cancel(1 - p)
    inside = bool(p.is_positive) and bool(gap.is_positive)
    return Replay(not inside, {"u/(u+S)": str(p), "1 - u/(u+S)": str(gap), "both positive": inside, **witness})
