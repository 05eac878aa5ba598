"""Exercise 3 (f): the stated weights and the hidden representation they produce, for every vocabulary size."""

from __future__ import annotations

import itertools

from proofs.claims.ex3.network import one_hot, run
from proofs.claims.sheet import cites
from proofs import (
    Correction, IndexOf, Nat, Perturbation, Real, Row, Size, Vector, concat, elementwise, eye, forall, implies, onehot, outer,
    stacked_column_ones, stacked_identities, vec,
)

__all__ = ["CLAIMS", "SHEET_WEIGHTS", "hidden_net", "first_mismatch", "pair_unit"]

# The solution's parameterization: W1 = 2I; W2 stacked identities (from phi(x_{t-1})); W3 stacked blocks whose
# block i has ones in column i (from h^{t-1}); biases -1; h^t copied into the next step's h^{t-1} nodes by 2I.
SHEET_WEIGHTS = {"w1_scale": 2, "w2": "identities", "w3": "ones_in_column_i", "bias": -1, "copy_scale": 2, "copy_mode": "copy"}
# The corrected one: W2 and W3 exchanged.
CORRECTED_WEIGHTS = {**SHEET_WEIGHTS, "w2": "ones_in_column_i", "w3": "identities"}

ASSUMPTIONS = (
    "h^t holds |V| units for phi(x_{t-1}) followed by |V|^2 units for the pairs, unit i|V| + j of the pair block being "
    "entry (i, j) of the matrix (vec concatenates rows)",
    "W3 reads the first |V| units of h^{t-1} (those holding phi(x_{t-2})): it is |V|^2 x |V|",
    "the 2I connection copies h^t into the next step's h^{t-1} input nodes, threshold units with bias -1 "
    "(c = f(2h - 1) = h for binary h)",
    "h^0 = e_1 reads as phi(x_{-1}) with x_{-1} the vocabulary's word 0 (<start>); the step from t-1 to t uses only "
    "the first block of h^{t-1}, so induction on t covers every step",
)


def pair_unit(i: int, j: int, n: int) -> int:
    """Index in h^t of entry (i, j) of the pair matrix: after the |V| units of phi, row i then column j."""
    return n + i * n + j


def hidden_net(n: int, w1_scale, w2, w3, bias, copy_scale, copy_mode) -> dict:
    """Explicit matrices of the hidden layer for vocabulary size n, for the plain network in `network`."""
    size = n + n * n
    w_in = [[0] * n for _ in range(size)]
    w_rec = [[0] * size for _ in range(size)]
    for i in range(n):
        w_in[i][i] = w1_scale
    for i, j in itertools.product(range(n), repeat=2):
        r = pair_unit(i, j, n)
        for k in range(n):
            if (k == j) if w2 == "identities" else (k == i):
                w_in[r][k] += 1
            if (k == j) if w3 == "identities" else (k == i):
                w_rec[r][k] += 1
    net = dict(vocab=n, w_in=w_in, w_rec=w_rec, bias=bias)
    if copy_mode == "copy":
        net["copy_scale"] = copy_scale
    else:
        net["w_inside"] = [[copy_scale if r == s else 0 for s in range(size)] for r in range(size)]
    return net


def printed_state(n: int, order: str, x1: int, x2: int) -> list[int]:
    """concat(phi(x_{t-1}), vec(...)) as (e) prints it (or transposed), with x1 = x_{t-1}, x2 = x_{t-2}."""
    phi1, phi2 = one_hot(x1, n), one_hot(x2, n)
    outer = [[phi1[i] * phi2[j] if order == "printed" else phi2[i] * phi1[j] for j in range(n)] for i in range(n)]
    return phi1 + [v for row in outer for v in row]


def first_mismatch(n: int, xs, order: str, weights: dict):
    """Run the plain network on x_0.. from h^0 = e_1; return (t, unit, network, printed) at the first difference."""
    states = run(list(xs), one_hot(0, n + n * n), **hidden_net(n, **weights))
    for t, h in enumerate(states, start=1):
        want = printed_state(n, order, xs[t - 1], xs[t - 2] if t >= 2 else 0)
        for unit, (got, exp) in enumerate(zip(h, want)):
            if got != exp:
                return t, unit, got, exp
    return None


# Every vocabulary size V = |V| >= 1.
V = Size("V")
PERTURBATIONS = (
    Perturbation("bias_0", {"bias": 0}, "hidden biases 0"),
    Perturbation("w1_identity", {"w1_scale": 1}, "W1 = I (the factor of 2 left out)"),
    Perturbation("copy_identity", {"copy_scale": 1}, "the copy connection I instead of 2I"),
    Perturbation("recurrent_inside", {"copy_mode": "inside"}, "2I read as a recurrent weight inside h^t"),
)


def _stacked(kind: str):
    """A |V|^2 x |V| stacked matrix of the solution: |V| identities, or |V| blocks whose block i has ones in column i."""
    if kind == "identities":
        return stacked_identities(V)
    if kind == "ones_in_column_i":
        return stacked_column_ones(V)
    raise ValueError(f"unknown stacked matrix {kind!r}")


@forall(
    assumptions=ASSUMPTIONS,
    perturb=PERTURBATIONS,
    rows=(
        Row("ex3.f.hidden_representation",
            "With the stated weights, h^t = concat(phi(x_{t-1}), vec(phi(x_{t-1}) phi(x_{t-2})^T)) component by "
            "component, in the order (e) prints it, for every vocabulary size.",
            {"order": "printed", **SHEET_WEIGHTS},
            anchors=cites("W_1 = 2I", "stacking  $|V|$  copies of the identity matrix  $I$",
                          "matrix  $i$  has all ones in column  $i$", "returns its rows concatenated",
                          "weight matrix equal to  $2I$"),
            erratum=Correction(
                "pair unit i|V| + j receives phi(x_{t-1})_j through W2 (row j of block i of the stacked identities) and "
                "phi(x_{t-2})_i through W3 (block i has ones in column i), so it computes phi(x_{t-2})_i phi(x_{t-1})_j: "
                "the stated weights give vec(phi(x_{t-2}) phi(x_{t-1})^T), the transpose of (e)'s order; exchanging W2 "
                "and W3 gives (e)'s order",
                "With W2 and W3 exchanged (W2 the blocks with ones in column i, W3 the stacked identities) and every other "
                "stated weight kept, h^t = concat(phi(x_{t-1}), vec(phi(x_{t-1}) phi(x_{t-2})^T)) for every vocabulary size.",
                {"w2": CORRECTED_WEIGHTS["w2"], "w3": CORRECTED_WEIGHTS["w3"]},
            )),
        Row("ex3.f.stated_weights_transposed",
            "The stated weights compute h^t = concat(phi(x_{t-1}), vec(phi(x_{t-2}) phi(x_{t-1})^T)): one pair unit per "
            "context, in transposed order, for every vocabulary size.",
            {"order": "transposed", **SHEET_WEIGHTS},
            anchors=cites("stacking  $|V|$  copies of the identity matrix  $I$", "matrix  $i$  has all ones in column  $i$",
                          "returns its rows concatenated")),
    ),
)
def representations(a: IndexOf(V), b: IndexOf(V), rest: Vector(Real, V * V), order="printed", w1_scale=2,
                    w2="identities", w3="ones_in_column_i", bias=-1, copy_scale=2, copy_mode="copy"):
    # One step, t - 1 to t, for every t (induction on t): a = x_{t-1}, b = x_{t-2}; h^{t-1} = concat(phi(b), rest),
    # rest anything (h^0 = e_1 is phi(word 0) followed by zeros; later, the previous pair block)
    phi, before = onehot(a, V), onehot(b, V)
    if copy_mode == "copy":  # the 2I copy of h^{t-1} into threshold units with the hidden bias; W3 reads its first block
        carried = elementwise("step", copy_scale * before + bias)
    elif copy_mode == "inside":  # 2I read as a recurrent weight inside h^t: W3 reads h^{t-1} directly
        carried = before
    else:
        raise ValueError(f"unknown copy mode {copy_mode!r}")
    pre = concat(w1_scale * eye(V) @ phi, _stacked(w2) @ phi + _stacked(w3) @ carried) + bias
    if copy_mode == "inside":
        pre = pre + copy_scale * concat(before, rest)
    pairs = outer(phi, before) if order == "printed" else outer(before, phi)
    return elementwise("step", pre) == concat(phi, vec(pairs))


hidden_representation, stated_weights_transposed = representations


@forall(
    "ex3.f.weight_shapes",
    "W2 (|V| stacked copies of the |V| x |V| identity) and W3 (|V| stacked |V| x |V| blocks) are |V|^2 x |V| "
    "matrices: each maps the |V| units of a one-hot vector to the |V|^2 pair units of vec(phi(x_{t-1}) phi(x_{t-2})^T).",
    cites=cites(r"$W_2$  is a  $|V|^2 \times |V|$  matrix", r"Let  $W_3$  be the  $|V|^2 \times |V|$  weight matrix"),
    assumptions=(
        ASSUMPTIONS[0],
        "W3 reads only the first |V| units of h^{t-1} (those holding phi(x_{t-2})), as the stacked |V| x |V| blocks say",
        "a weight matrix has one row per node it feeds and one column per node it reads",
    ),
    perturb={"rows_v": {"rows_power": 1}, "columns_v2": {"columns_power": 2}},
)
def weight_shapes(n: Nat, rows_power=2, columns_power=1):
    # n = |V|: a stack of n blocks of n x n has n * n rows and n columns. These are also the units it feeds and
    # reads: the pair block of h^t (a vec of an n x n outer product) has n * n units, and a one-hot vector (the
    # phi(x_{t-1}) inputs, or the first block of h^{t-1} that W3 reads) has n
    blocks, block_rows, block_columns = n, n, n
    return implies(n >= 1, (blocks * block_rows == n ** rows_power) & (block_columns == n ** columns_power))


hidden_representation_corrected, = hidden_representation.companions
CLAIMS = (hidden_representation, hidden_representation_corrected, stated_weights_transposed, weight_shapes)
