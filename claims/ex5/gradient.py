"""Exercise 5 (a): the gradient as a product of Jacobians, checked for every hidden size."""

from __future__ import annotations

import random
from fractions import Fraction

import sympy
from proofs.claims.sheet import cites
from proofs.claims.witness import listof, rational, read
from proofs import (
    Correction, ForgedWitness, IdentityAnswer, Outcome, Perturbation, Replay, Verdict, claim, computed, corroborated, identity, matrices,
)


ASSUMPTIONS = (
    "z_{t+1} = W_t h_t + V_t x_{t+1}, h_{t+1} = phi(z_{t+1}) with phi applied elementwise and differentiable; "
    "D_{k+1} = Diag(phi'(z_{k+1}))",
    "gradients dl/dh are vectors; a formula written dl/dh_T M_1 ... M_k multiplies the row vector dl/dh_T from the "
    "left, the only reading under which the product is defined for hidden size > 1",
)


def _mat(rows) -> sympy.Matrix:
    return sympy.Matrix(rows)


# Candidate formulas for dl/dh_t as a column vector, from g = dl/dh_T, the W_k and the D_{k+1} (k = t .. T-1).
FORMULAS = {
    # as printed: the row vector dl/dh_T times prod_{k=t}^{T-1} D_{k+1} W_k^T, k ascending from the left
    "printed": lambda g, Ws, Ds: (g.T * matrices.product([D * W.T for W, D in zip(Ws, Ds)])).T,
    # corrected: prod_{k=t}^{T-1} (W_k^T D_{k+1}), k ascending from the left, times the column vector dl/dh_T
    "column": lambda g, Ws, Ds: matrices.product([W.T * D for W, D in zip(Ws, Ds)]) * g,
    # perturbations of the corrected formula
    "column_no_transpose": lambda g, Ws, Ds: matrices.product([W * D for W, D in zip(Ws, Ds)]) * g,
    "column_no_D": lambda g, Ws, Ds: matrices.product([W.T for W in Ws]) * g,
    "column_reversed": lambda g, Ws, Ds: matrices.product([W.T * D for W, D in reversed(list(zip(Ws, Ds)))]) * g,
}


def _one_step_general(formula: str):
    """Component m of the true one-step gradient and of the formula, for symbolic hidden size n (sympy)."""
    n = sympy.Symbol("n", integer=True, positive=True)
    i, j, m = sympy.symbols("i j m", integer=True)
    W, h, c, g = (sympy.IndexedBase(name) for name in ("W", "h", "c", "g"))
    f = sympy.Function("phi")
    s = sympy.Symbol("s")
    z = lambda row: sympy.Sum(W[row, j] * h[j], (j, 0, n - 1)) + c[row]  # noqa: E731
    d = lambda row: sympy.diff(f(s), s).subs(s, z(row))  # noqa: E731
    true = sympy.Sum(g[i] * sympy.diff(f(z(i)), h[m]).doit(), (i, 0, n - 1))
    stated = {
        "printed": sympy.Sum(g[i] * d(i) * W[m, i], (i, 0, n - 1)),  # (g^T D W^T)_m
        "column": sympy.Sum(W[i, m] * d(i) * g[i], (i, 0, n - 1)),  # (W^T D g)_m
        "column_no_transpose": sympy.Sum(W[m, i] * d(i) * g[i], (i, 0, n - 1)),
        "column_no_D": sympy.Sum(W[i, m] * g[i], (i, 0, n - 1)),
        "column_reversed": sympy.Sum(W[i, m] * d(i) * g[i], (i, 0, n - 1)),  # one step: order cannot matter
    }[formula]
    # a term of `true` carries the guard 0 <= m < n, which holds for every component m
    true = true.replace(lambda e: isinstance(e, sympy.Piecewise), lambda e: e.args[0][0])
    return sympy.expand(true.function - stated.function), true, stated


class dphi(sympy.Function):  # noqa: N801 - printed as the sheet writes it
    """phi', an undefined function of its own."""


class phi(sympy.Function):  # noqa: N801
    """An undefined activation whose derivative is dphi: sympy's chain rule then yields dphi(z) * dz/dh directly,
    without the Subs(Derivative(phi(s), s), s, z) objects an anonymous undefined function would produce."""

    def fdiff(self, argindex=1):
        return dphi(self.args[0])


def _instance(n: int, steps: int, formula: str) -> bool:
    """Explicit n x n symbolic weights, `steps` layers, undefined phi and loss gradient g: formula == derivative."""
    h0 = sympy.Matrix(sympy.symbols(f"h0:{n}"))
    g = sympy.Matrix(sympy.symbols(f"g0:{n}"))
    Ws = [sympy.Matrix(n, n, sympy.symbols(f"W{k}_0:{n * n}")) for k in range(steps)]
    cs = [sympy.Matrix(sympy.symbols(f"c{k}_0:{n}")) for k in range(steps)]
    h, Ds = h0, []
    for W, c in zip(Ws, cs):
        z = W * h + c
        Ds.append(sympy.diag(*[dphi(zi) for zi in z]))
        h = z.applyfunc(phi)
    loss = (g.T * h)[0]
    true = sympy.Matrix([sympy.diff(loss, v) for v in h0])
    gap = true - FORMULAS[formula](g, Ws, Ds)
    # each phi'(z) is a value of its own: name it, so expansion works on a polynomial instead of nested calls
    names = {d: sympy.Symbol(f"dphi_{k}") for k, d in enumerate(sorted(gap.atoms(dphi), key=str))}
    sides = [(true[k].xreplace(names), FORMULAS[formula](g, Ws, Ds)[k].xreplace(names)) for k in range(n)]
    return sympy.expand(gap.xreplace(names)) == sympy.zeros(n, 1), sides


# A plain network with a polynomial activation keeps every replay exact: phi(z) = z + z^2/2, phi'(z) = 1 + z.

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


def _network_Ds(Ws, cs, h):
    Ds, x = [], list(h)
    for W, c in zip(Ws, cs):
        z = [a + b for a, b in zip(matrices.matvec(W, x), c)]
        Ds.append(sympy.diag(*[_dphi(v) for v in z]))
        x = [_phi(v) for v in z]
    return Ds


def _network(witness, steps=None):
    """A network witness: n x n weights W_k and biases c_k for each step, h_t and g = dl/dh_T of size n, exactly."""
    w = read(witness, W=listof(listof(listof(rational())), steps, nonempty=True), c=listof(listof(rational()), steps, nonempty=True),
             h=listof(rational(), nonempty=True), g=listof(rational(), nonempty=True))
    n = len(w["h"])
    shapes = [len(w["g"]) == n, len(w["c"]) == len(w["W"]), all(len(c) == n for c in w["c"]),
              all(len(W) == n and all(len(row) == n for row in W) for W in w["W"])]
    if not all(shapes):
        raise ForgedWitness(f"the network's sizes do not agree: every W must be {n} x {n}, every c and g of size {n}, "
                            "one c per W")
    return w["W"], w["c"], w["h"], w["g"]


def _replay_formula(witness, *, formula, **_):
    Ws, cs, h, g = _network(witness)
    true = true_gradient(Ws, cs, h, g)
    Ds = _network_Ds(Ws, cs, h)
    stated = FORMULAS[formula](_mat([[v] for v in g]), [_mat(W) for W in Ws], Ds)
    stated = [Fraction(str(v)) for v in stated]
    return Replay(true == stated, {"dl/dh_t (forward mode)": true, "formula": stated})


def _formula_check(formula: str) -> Outcome:
    diff, true, stated = _one_step_general(formula)
    # what is decided: the i-th summands of component m of the derivative and of the formula agree, for symbolic n
    summands = (true.function, stated.function)
    evidence = {"true_component_m": str(true), "summand_difference": str(diff)}
    if diff != 0:
        witness = {"W": [[[0, 1], [Fraction(1, 3), Fraction(1, 2)]]], "c": [[1, Fraction(-3, 4)]], "h": [Fraction(1, 2), Fraction(1, 3)], "g": [1, 2]}
        return computed(False, method="sympy", evidence=evidence, witness=witness, failure="one step already differs for every n",
                        statement=summands)
    line1 = identity(IdentityAnswer(True, str(diff)), statement=summands,
                     evidence={**evidence, "scope": "one-step identity for symbolic n; the product follows by induction on T - t"})
    checked = {f"n={n},steps={k}": _instance(n, k, formula) for n, k in ((2, 2), (2, 3), (3, 2), (3, 3))}
    instances = {key: ok for key, (ok, _) in checked.items()}
    if not all(instances.values()):
        bad = next(k for k, ok in instances.items() if not ok)
        n, steps = (int(v.split("=")[1]) for v in bad.split(","))
        rng = random.Random(5)
        witness = {"W": [[[rng.randint(-2, 2) for _ in range(n)] for _ in range(n)] for _ in range(steps)],
                   "c": [[Fraction(rng.randint(-2, 2), 3) for _ in range(n)] for _ in range(steps)],
                   "h": [Fraction(rng.randint(-2, 2), 2) for _ in range(n)], "g": [rng.randint(-2, 2) or 1 for _ in range(n)]}
        return computed(False, method="sympy", evidence={**evidence, "instances": instances}, witness=witness,
                        failure=f"the formula differs from the derivative ({bad})", statement=checked[bad][1])
    return corroborated(line1, identity(IdentityAnswer(True, "0"), statement=[side for _, sides in checked.values() for side in sides],
                                        evidence={
        "instances": instances, "scope": "explicit symbolic networks: hidden sizes 2 and 3, two and three steps"}))


@claim(
    "ex5.a.gradient_product",
    exercise=5, part="a",
    anchors=cites(
        r"D_{k+1} = \text{Diag}(\phi'(z_{k+1}))",
        r"\frac{\delta l}{\delta h_t} = \frac{\delta l}{\delta h_T} \prod_{k=t}^{T-1} D_{k+1} W_k^T",
        "z_{t+1} = W_t h_t + V_t x_{t+1}",
        r"h_{t+1} = \phi(z_{t+1})",
    ),
    statement="dl/dh_t = dl/dh_T * prod_{k=t}^{T-1} D_{k+1} W_k^T, with D_{k+1} = Diag(phi'(z_{k+1})).",
    formal="for every hidden size n, weights, inputs and loss, the formula against the derivative of l with respect to "
           "h_t: component m of one step for symbolic n (sympy), hence the product by induction on T - t; explicit "
           "symbolic networks with hidden sizes 2, 3 and two, three steps",
    requires=Verdict.PROVED,
    params={"formula": "printed"},
    assumptions=ASSUMPTIONS,
    erratum=Correction(
        "the chain rule gives dl/dh_t = W_t^T D_{t+1} dl/dh_{t+1}, so dl/dh_t = W_t^T D_{t+1} W_{t+1}^T D_{t+2} ... "
        "W_{T-1}^T D_T dl/dh_T (as a row vector: dl/dh_T D_T W_{T-1} ... D_{t+1} W_t); the printed product has each W "
        "transposed on the wrong side and fails already for one step with a non-symmetric W",
        "dl/dh_t = (prod_{k=t}^{T-1} W_k^T D_{k+1}) dl/dh_T, k ascending from the left, for every hidden size.",
        {"formula": "column"},
        assumptions=("matrix multiplication is associative (the induction step)",),
    ),
    perturbations=(
        Perturbation("no_transpose", {"formula": "column_no_transpose"}, "W_k instead of W_k^T"),
        Perturbation("no_D", {"formula": "column_no_D"}, "the D factors left out"),
        Perturbation("reversed", {"formula": "column_reversed"}, "the product in descending k"),
    ),
    replay=_replay_formula,
)
def gradient_product(formula) -> Outcome:
    return _formula_check(formula)


gradient_product_corrected, = gradient_product.companions
