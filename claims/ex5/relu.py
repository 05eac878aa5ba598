"""Exercise 5 (d): ReLU activations, the D factors and the bound they allow."""

from __future__ import annotations

import itertools
from fractions import Fraction

import sympy
from proofs.claims.ex5.gradient import ASSUMPTIONS, _mat, gradient, gradient_product_corrected
from proofs.claims.ex5.norms import DIAGONAL, MATRIX_VECTOR, ORTHOGONAL, norm_bound_corrected
from proofs.claims.sheet import cites
from proofs.claims.witness import BIT, listof, read
from proofs import (
    Bit, ColumnVector, MatrixSequence, Nat, Orthogonal, Outcome, Perturbation, Replay, Vector, Verdict, ZeroOneDiagonal, claim, combine,
    corroborated, exhaust, exhausted, exists, forall, given, identity, norm, symbolic_identity,
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


KILLED_SYMBOLS = sympy.symbols("a0:4 b0:4 g0:2", real=True)


def _killed_sides(d1, d2, active, gradient):
    """dl/dh_t = W_t^T D_{t+1} W_{t+1}^T D_{t+2} g over symbolic W_t, W_{t+1}, g (ex5.a.gradient_product_corrected), for
    the ReLU patterns d1, d2; the claim holds at the patterns unless a layer has at most `active` active units and
    dl/dh_t is not identically `gradient`."""
    a, b, g = KILLED_SYMBOLS[0:4], KILLED_SYMBOLS[4:8], KILLED_SYMBOLS[8:10]
    W1, W2 = _mat([a[0:2], a[2:4]]), _mat([b[0:2], b[2:4]])
    out = sympy.expand(W1.T * sympy.diag(*d1) * W2.T * sympy.diag(*d2) * _mat([[v] for v in g]))
    killed = sum(d1) <= active or sum(d2) <= active
    holds = not killed or all(v == gradient for v in out)
    return holds, {"active units (layer t+1, layer t+2)": [sum(d1), sum(d2)], "dl/dh_t": [str(v) for v in out],
                   "stated": gradient}


def _replay_killed(witness, *, active, gradient):
    w = read(witness, d1=listof(BIT, 2), d2=listof(BIT, 2))
    holds, sides = _killed_sides(w["d1"], w["d2"], active, gradient)
    return Replay(holds, sides)


def _killed_every_size() -> Outcome:
    """Every hidden size n and every number of steps, by induction down from the killed layer k, on symbolic n x n
    matrices (sympy): the base dl/dh_k = W_k^T D_{k+1} dl/dh_{k+1} with D_{k+1} = 0 has every entry 0, and the step
    dl/dh_j = W_j^T D_{j+1} dl/dh_{j+1} with dl/dh_{j+1} = 0 has every entry 0 (the recurrence of
    ex5.a.gradient_product_corrected)."""
    n = sympy.Symbol("n", integer=True, positive=True)
    i = sympy.Symbol("i", integer=True)
    W, D, g = sympy.MatrixSymbol("W", n, n), sympy.MatrixSymbol("D", n, n), sympy.MatrixSymbol("g", n, 1)
    base_entry, step_entry = (W.T * sympy.ZeroMatrix(n, n) * g)[i, 0], (W.T * D * sympy.ZeroMatrix(n, 1))[i, 0]
    zero = sympy.ZeroMatrix(n, 1)
    base = identity(symbolic_identity(base_entry, sympy.Integer(0), [i]),
                    statement=(sympy.MatMul(W.T, sympy.ZeroMatrix(n, n), g, evaluate=False), zero),
                    evidence={"base": "entry i of W_k^T 0 dl/dh_{k+1}, n symbolic"})
    step = identity(symbolic_identity(step_entry, sympy.Integer(0), [i]),
                    statement=(sympy.MatMul(W.T, D, zero, evaluate=False), zero),
                    evidence={"step": "entry i of W_j^T D_{j+1} 0, n symbolic"})
    return combine(base, step, method="sympy (symbolic size, induction on the steps)")


@claim(
    "ex5.d.killed_layer_gradient",
    exercise=5, part="d",
    anchors=cites("and the gradient is 0"),
    statement="When every unit of one layer is inactive (its D is 0), the gradient reaching the layers below it is 0, "
              "whatever the weights, the hidden size, the number of steps and the gradient above.",
    formal="for every hidden size n and layers t <= k < T: D_{k+1} = 0 implies dl/dh_j = 0 for every j <= k, by "
           "induction on the recurrence dl/dh_j = W_j^T D_{j+1} dl/dh_{j+1} over symbolic n x n matrices (sympy); "
           "checked: for all ReLU patterns d1, d2 in {0,1}^2 with d1 = 0 or d2 = 0, W_t^T Diag(d1) W_{t+1}^T Diag(d2) g "
           "= 0 as a polynomial in the entries of W_t, W_{t+1} in R^(2x2) and g in R^2, the 16 patterns exhausted",
    requires=Verdict.PROVED,
    params={"active": 0, "gradient": 0},
    assumptions=(*ASSUMPTIONS, "ReLU'(z) is 1 for z > 0 and 0 for z <= 0, so D_k = Diag(d) with d in {0, 1}^n"),
    trusts=(gradient_product_corrected,),
    perturbations=(
        Perturbation("gradient_1", {"gradient": 1}, "the gradient is 1"),
        Perturbation("one_active", {"active": 1}, "a layer with one active unit also stops the gradient"),
    ),
    replay=_replay_killed,
)
def killed_layer_gradient(active, gradient) -> Outcome:
    patterns = [(list(d1), list(d2)) for d1 in itertools.product((0, 1), repeat=2) for d2 in itertools.product((0, 1), repeat=2)]
    check = exhausted(exhaust(patterns, lambda p: _killed_sides(p[0], p[1], active, gradient)[0],
                              name="every pair of ReLU patterns of two 2-unit layers, weights and gradient symbolic"),
                      counterexample=lambda p: {"d1": p[0], "d2": p[1]})
    if check.verdict is not Verdict.EXHAUSTED or (active, gradient) != (0, 0):
        return check  # the small networks refute it; the proof below is of the statement with the stated values only
    return corroborated(_killed_every_size(), check)


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
