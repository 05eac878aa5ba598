"""Plain reference implementation of the sheet's threshold RNN language model, in exact arithmetic."""

from __future__ import annotations

from fractions import Fraction
from typing import Optional, Sequence

__all__ = ["SENTENCE", "one_hot", "threshold", "matvec", "step", "run", "softmax_exp"]

# The example sentence, x_0 .. x_8 as the sheet numbers them.
SENTENCE = ("<start>", "This", "is", "a", "very", "very", "unimaginative", "example", "sentence")

Matrix = Sequence[Sequence[Fraction]]


def one_hot(index: int, size: int) -> list[int]:
    return [1 if k == index else 0 for k in range(size)]


def threshold(z) -> int:
    """f(z) = 1 if z > 0 else 0."""
    return 1 if z > 0 else 0


def matvec(W: Optional[Matrix], v: Sequence, rows: int) -> list[Fraction]:
    if W is None:
        return [0] * rows
    return [sum(w * x for w, x in zip(row, v)) for row in W]


def step(h_prev: Sequence[int], x_prev: Optional[int], *, vocab: int, w_in: Optional[Matrix], w_rec: Optional[Matrix],
         bias, copy_scale=None, w_inside: Optional[Matrix] = None) -> list[int]:
    """One hidden update h^t = f(W_in phi(x_{t-1}) + W_rec c^{t-1} + W_inside h^{t-1} + b).

    With copy_scale set, the recurrent input nodes are threshold units of their own,
    c^{t-1} = f(copy_scale * h^{t-1} + b); otherwise c^{t-1} = h^{t-1}. A missing matrix is an
    eliminated input (its weights are all zero).
    """
    m = len(h_prev)
    phi = one_hot(x_prev, vocab) if x_prev is not None else [0] * vocab
    carried = [threshold(copy_scale * h + bias) for h in h_prev] if copy_scale is not None else list(h_prev)
    z_in, z_rec, z_inside = matvec(w_in, phi, m), matvec(w_rec, carried, m), matvec(w_inside, h_prev, m)
    return [threshold(a + b + c + bias) for a, b, c in zip(z_in, z_rec, z_inside)]


def run(xs: Sequence[int], h0: Sequence[int], **net) -> list[list[int]]:
    """Hidden states h^1 .. h^T for inputs x_0 .. x_{T-1} (h^t reads x_{t-1})."""
    states, h = [], list(h0)
    for x in xs:
        h = step(h, x, **net)
        states.append(h)
    return states


def softmax_exp(h: Sequence[int], E: Matrix) -> list[Fraction]:
    """softmax(U h + c) with the output weights given as E = exp(U) (positive rationals) and h binary.

    exp(U h + c)_x = e^c * prod_{k: h_k = 1} E[x][k]; the common factor e^c cancels, so the
    distribution is exact whenever E is rational.
    """
    weights = []
    for row in E:
        w = Fraction(1)
        for e, hk in zip(row, h):
            if hk:
                w *= Fraction(e)
        weights.append(w)
    total = sum(weights)
    return [w / total for w in weights]
