"""Exercise 5 (d): ReLU activations, the D factors and the bound they allow."""

from __future__ import annotations

from fractions import Fraction

from proofs.claims.ex5.gradient import ASSUMPTIONS, gradient, gradient_product_corrected
from proofs.claims.ex5.norms import DIAGONAL, MATRIX_VECTOR, ORTHOGONAL, norm_bound_corrected
from proofs.claims.sheet import cites
from proofs import (
    Bit, ColumnVector, MatrixSequence, Nat, Orthogonal, Perturbation, SquareMatrix, Vector, Verdict, ZeroOneDiagonal, exists,
    forall, given, identity_matrix, norm,
)


# (d) ReLU


@forall(
    "ex5.d.relu_d_norm",
    "With ReLU units each D_k is diagonal with entries in {0, 1}: ||D_k|| = 1 unless every unit of the layer is "
    "inactive, when D_k = 0.",
    cites=cites(r"\|\mathbf{D}_k\| = 1", r"in which case  $\mathbf{D}$  is 0",
                r"the maximum entry of  $\mathbf{D}_k$  is 1"),
    assumptions=("ReLU'(z) is 1 for z > 0 and 0 for z < 0; at z = 0 it is taken as 0 (a subgradient)",),
    trusts=(DIAGONAL,),
    perturb=(Perturbation("killed_is_1", {"unless_killed": False}, "||D|| = 1 even when every unit is inactive"),
             Perturbation("half", {"value": Fraction(1, 2)}, "||D|| = 1/2 unless every unit is inactive")),
)
def relu_D_norm(D: ZeroOneDiagonal, value=1, unless_killed=True):
    # every n: the largest entry of D is 1 unless D = 0 (every unit inactive), and ||D|| is that entry (the
    # diagonal-norm lemma)
    return given(D != 0, norm(D) == value) if unless_killed else norm(D) == value


@forall(
    "ex5.d.killed_layer_gradient",
    "When every unit of one layer is inactive (its D is 0), the gradient reaching the layers below it is 0, whatever "
    "the weights, the hidden size, the number of steps and the gradient above.",
    cites=cites("and the gradient is 0"),
    assumptions=(*ASSUMPTIONS, "ReLU'(z) is 1 for z > 0 and 0 for z <= 0, so D_k = Diag(d) with d in {0, 1}^n"),
    trusts=(gradient_product_corrected,),
    perturb=(Perturbation("gradient_passes", {"below": "g"}, "the gradient below the killed layer is dl/dh_T, not 0"),
             Perturbation("one_inactive", {"killed": "some"}, "a layer with an inactive unit (at n = 2: at most one "
                                                               "active unit) also stops the gradient")),
)
def killed_layer_gradient(t: Nat, k: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(ZeroOneDiagonal),
                          g: ColumnVector, below="0", killed="every"):
    # every n and layers t <= k < T: D_{k+1} = 0 (every unit of layer k + 1 inactive) gives dl/dh_t = 0, dl/dh_t by the
    # chain rule dl/dh_j = W_j^T D_{j+1} dl/dh_{j+1} (ex5.a.gradient_product_corrected) from dl/dh_T = g
    layer = D[k + 1] == 0 if killed == "every" else D[k + 1] != identity_matrix()
    return given(t <= k, k < T, layer, gradient(g, W, D, t, T) == (0 if below == "0" else g))


@forall(
    "ex5.d.relu_bound",
    "With orthogonal W_k and ReLU units, ||dl/dh_t|| <= ||dl/dh_T||: the gradient cannot explode.",
    cites=cites(r"\prod_{k=t}^{T-1} \| \mathbf{D}_{k+1} \| = \left\| \frac{\delta l}{\delta h_T} \right\|"),
    trusts=(norm_bound_corrected, relu_D_norm, MATRIX_VECTOR, ORTHOGONAL, DIAGONAL),
    perturb=(Perturbation("half", {"ratio": Fraction(1, 2)}, "||dl/dh_t|| <= ||dl/dh_T|| / 2"),),
)
def relu_bound(t: Nat, T: Nat, W: MatrixSequence(Orthogonal), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector, ratio=1):
    return given(t <= T, norm(gradient(g, W, D, t, T)) <= ratio * norm(g))


@exists(
    "ex5.d.bound_allows_vanishing",
    "The bound ||dl/dh_t|| <= ||dl/dh_T|| does not rule out vanishing: with orthogonal W and no layer fully "
    "inactive, the gradient can still be exactly 0.",
    cites=cites(r"\prod_{k=t}^{T-1} \| \mathbf{D}_{k+1} \| = \left\| \frac{\delta l}{\delta h_T} \right\|"),
    trusts=(DIAGONAL,),
    perturb={"all_active": {"active": 2}},
    # a point found in the finite domain is a witness, checked exactly: an existence proof
    requires=Verdict.PROVED,
)
def bound_allows_vanishing(d1: Vector(Bit, 2), d2: Vector(Bit, 2), active=1):
    # (what the bound leaves open) two steps, n = 2, W = I (orthogonal): dl/dh_t = W^T D_1 W^T D_2 dl/dh_T with
    # D_1 D_2 = Diag(d1[0] d2[0], d1[1] d2[1]), which is 0, so dl/dh_t = 0 for every dl/dh_T, exactly when both products
    # vanish; each layer keeps at least `active` units active
    return (d1[0] + d1[1] >= active) & (d2[0] + d2[1] >= active) & (d1[0] * d2[0] == 0) & (d1[1] * d2[1] == 0)
