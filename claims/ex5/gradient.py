"""Exercise 5 (a): the gradient as a product of Jacobians, for every hidden size and number of steps."""

from __future__ import annotations

import sympy
from proofs.claims.sheet import cites
from proofs import (
    ColumnVector, Correction, Diagonal, MatrixSequence, Nat, Perturbation, SquareMatrix, backward, forall, given, matrices, mprod,
)


ASSUMPTIONS = (
    "z_{t+1} = W_t h_t + V_t x_{t+1}, h_{t+1} = phi(z_{t+1}) with phi applied elementwise and differentiable; "
    "D_{k+1} = Diag(phi'(z_{k+1}))",
    "gradients dl/dh are vectors; a formula written dl/dh_T M_1 ... M_k multiplies the row vector dl/dh_T from the "
    "left, the only reading under which the product is defined for hidden size > 1",
)


def _mat(rows) -> sympy.Matrix:
    return sympy.Matrix(rows)


# Candidate formulas for dl/dh_t as a column vector, on explicit matrices (sympy), from g = dl/dh_T, the W_k and the
# D_{k+1} (k = t .. T-1): what the tests compare with numeric differentiation.
FORMULAS = {
    "printed": lambda g, Ws, Ds: (g.T * matrices.product([D * W.T for W, D in zip(Ws, Ds)])).T,
    "column": lambda g, Ws, Ds: matrices.product([W.T * D for W, D in zip(Ws, Ds)]) * g,
    "column_no_transpose": lambda g, Ws, Ds: matrices.product([W * D for W, D in zip(Ws, Ds)]) * g,
    "column_no_D": lambda g, Ws, Ds: matrices.product([W.T for W in Ws]) * g,
    "column_reversed": lambda g, Ws, Ds: matrices.product([W.T * D for W, D in reversed(list(zip(Ws, Ds)))]) * g,
}

# The same formulas as statement terms of symbolic size n and symbolic length T - t.
STATED = {
    # as printed: the row vector dl/dh_T times prod_{k=t}^{T-1} D_{k+1} W_k^T, k ascending from the left
    "printed": lambda g, W, D, t, T: (g.T @ mprod(lambda k: D[k + 1] @ W[k].T, t, T - 1)).T,
    # corrected: prod_{k=t}^{T-1} (W_k^T D_{k+1}), k ascending from the left, times the column vector dl/dh_T
    "column": lambda g, W, D, t, T: mprod(lambda k: W[k].T @ D[k + 1], t, T - 1) @ g,
    # perturbations of the corrected formula
    "column_no_transpose": lambda g, W, D, t, T: mprod(lambda k: W[k] @ D[k + 1], t, T - 1) @ g,
    "column_no_D": lambda g, W, D, t, T: mprod(lambda k: W[k].T, t, T - 1) @ g,
    # the product in descending k: (prod ascending of D_{k+1} W_k)^T
    "column_reversed": lambda g, W, D, t, T: mprod(lambda k: D[k + 1] @ W[k], t, T - 1).T @ g,
}


def gradient(g, W, D, t, T):
    """dl/dh_t by the chain rule through h_{k+1} = phi(W_k h_k + V_k x_{k+1}): its Jacobian dh_{k+1}/dh_k is
    Diag(phi'(z_{k+1})) W_k = D_{k+1} W_k."""
    return backward(g, lambda k: D[k + 1] @ W[k], t, T)


# A plain network with a polynomial activation keeps the tests' replays exact: phi(z) = z + z^2/2, phi'(z) = 1 + z.

def _phi(z):
    return z + z * z / 2


def _dphi(z):
    return 1 + z


def true_gradient(Ws, cs, h, g):
    """dl/dh_t for l = g . h_T, by forward-mode differentiation of the plain network (one direction per unit)."""
    n = len(h)
    grad = []
    for m in range(n):
        x, dx = list(h), [1 if k == m else 0 for k in range(n)]
        for W, c in zip(Ws, cs):
            z = [a + b for a, b in zip(matrices.matvec(W, x), c)]
            dz = matrices.matvec(W, dx)
            x, dx = [_phi(v) for v in z], [_dphi(v) * dv for v, dv in zip(z, dz)]
        grad.append(sum(gi * di for gi, di in zip(g, dx)))
    return grad


@forall(
    "ex5.a.gradient_product",
    "dl/dh_t = dl/dh_T * prod_{k=t}^{T-1} D_{k+1} W_k^T, with D_{k+1} = Diag(phi'(z_{k+1})).",
    cites=cites(
        r"D_{k+1} = \text{Diag}(\phi'(z_{k+1}))",
        r"\frac{\delta l}{\delta h_t} = \frac{\delta l}{\delta h_T} \prod_{k=t}^{T-1} D_{k+1} W_k^T",
        "z_{t+1} = W_t h_t + V_t x_{t+1}",
        r"h_{t+1} = \phi(z_{t+1})",
    ),
    assumptions=ASSUMPTIONS,
    erratum=Correction(
        "the chain rule gives dl/dh_t = W_t^T D_{t+1} dl/dh_{t+1}, so dl/dh_t = W_t^T D_{t+1} W_{t+1}^T D_{t+2} ... "
        "W_{T-1}^T D_T dl/dh_T (as a row vector: dl/dh_T D_T W_{T-1} ... D_{t+1} W_t); the printed product has each W "
        "transposed on the wrong side and fails already for one step with a non-symmetric W",
        "dl/dh_t = (prod_{k=t}^{T-1} W_k^T D_{k+1}) dl/dh_T, k ascending from the left, for every hidden size.",
        {"formula": "column"},
        assumptions=("matrix multiplication is associative (the induction step)",),
    ),
    perturb=(
        Perturbation("no_transpose", {"formula": "column_no_transpose"}, "W_k instead of W_k^T"),
        Perturbation("no_D", {"formula": "column_no_D"}, "the D factors left out"),
        Perturbation("reversed", {"formula": "column_reversed"}, "the product in descending k"),
    ),
)
def gradient_product(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector,
                     formula="printed"):
    return given(t <= T, gradient(g, W, D, t, T) == STATED[formula](g, W, D, t, T))


gradient_product_corrected, = gradient_product.companions
