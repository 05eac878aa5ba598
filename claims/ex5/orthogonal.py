"""Exercise 5 (c): orthogonal W leaves the norms of (b) unchanged."""

from __future__ import annotations

from proofs.claims.ex5.norms import ORTHOGONAL
from proofs.claims.sheet import cites
from proofs import ColumnVector, Diagonal, MatrixSequence, Nat, Orthogonal, Perturbation, forall, given, norm, nprod


@forall(
    "ex5.c.orthogonal_simplification",
    "For orthogonal W_k, ||D_{k+1} W_k^T|| = ||D_{k+1}||, so the bound simplifies to ||dl/dh_T|| prod ||D_{k+1}||.",
    cites=cites(r"&= \left\| \frac{\delta l}{\delta h_T} \right\| \prod_{k=t}^{T-1} \| \mathbf{D}_{k+1} \|"),
    assumptions=("a square matrix with W^T W = I also has W W^T = I, so W^T is orthogonal",),
    trusts=(ORTHOGONAL,),
    perturb=(Perturbation("scaled", {"scale": 2}, "W = 2Q, not orthogonal"),),
)
def orthogonal_simplification(t: Nat, T: Nat, W: MatrixSequence(Orthogonal), D: MatrixSequence(Diagonal), g: ColumnVector,
                              scale=1):
    return given(t <= T, norm(g) * nprod(lambda k: norm(D[k + 1] @ (scale * W[k]).T), t, T - 1)
                 == norm(g) * nprod(lambda k: norm(D[k + 1]), t, T - 1))
