"""Exercise 3 (f): the stated weights and the hidden representation they produce, for every vocabulary size."""

from __future__ import annotations

import itertools

import sympy
import z3

from proofs.claims.ex3.network import one_hot, run
from proofs.claims.sheet import cites
from proofs import (
    Correction, ForgedWitness, Nat, Outcome, Perturbation, Replay, Row, SmtAnswer, Verdict, annotate as annotated, claim, corroborated, exhaust,
    exhausted, forall, implies, prove, to_z3, validity,
)
from proofs.claims.witness import integer, read

__all__ = ["CLAIMS", "SHEET_WEIGHTS", "hidden_net", "representation", "first_mismatch", "pair_unit"]

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


def _block(kind: str, i, j, k):
    """Entry (row (i, j), column k) of a |V|^2 x |V| stacked matrix, as a formula in Kronecker deltas."""
    if kind == "identities":  # block i is I: row j of it is e_j
        return sympy.KroneckerDelta(k, j)
    if kind == "ones_in_column_i":  # block i has ones in column i: every row of it is e_i
        return sympy.KroneckerDelta(k, i)
    raise ValueError(f"unknown stacked matrix {kind!r}")


def representation(order: str, a, b, i, j):
    """Entry (i, j) of the pair block: vec(phi(x_{t-1}) phi(x_{t-2})^T) ("printed", as (e) prints it) or the transpose."""
    d = sympy.KroneckerDelta
    if order == "printed":
        return d(i, a) * d(j, b)
    if order == "transposed":
        return d(i, b) * d(j, a)
    raise ValueError(f"unknown order {order!r}")


def _threshold(z):
    return z3.If(z > 0, 1, 0)


def symbolic_step(order, w1_scale, w2, w3, bias, copy_scale, copy_mode):
    """Pre-activations of h^t for symbolic |V| = n, unit indices i, j and words a = x_{t-1}, b = x_{t-2}, c = x_{t-3}."""
    n = sympy.Symbol("n", integer=True, positive=True)
    i, j, k, a, b, c = sympy.symbols("i j k a b c", integer=True)
    d = sympy.KroneckerDelta
    phi = d(k, a)  # phi(x_{t-1})_k
    prev_first = d(k, b)  # first block of h^{t-1}: phi(x_{t-2})_k
    g0 = 1 if copy_scale * 0 + bias > 0 else 0
    g1 = 1 if copy_scale * 1 + bias > 0 else 0
    carried = g0 + (g1 - g0) * prev_first if copy_mode == "copy" else prev_first
    total = lambda e: sympy.Sum(e, (k, 0, n - 1)).doit()  # noqa: E731
    first = total(w1_scale * d(i, k) * phi) + bias
    pair = total(_block(w2, i, j, k) * phi) + total(_block(w3, i, j, k) * carried) + bias
    if copy_mode == "inside":  # read as a recurrent weight 2I inside h^t instead of a copy
        first += copy_scale * d(i, b)
        pair += copy_scale * representation(order, b, c, i, j)
    elif copy_mode != "copy":
        raise ValueError(f"unknown copy mode {copy_mode!r}")
    return (n, i, j, a, b, c), first, pair


def _step_queries(order, weights, bounds):
    """One z3 validity query per bound on |V| (None: unbounded) for the step, from one symbolic derivation."""
    (n, i, j, a, b, c), first, pair = symbolic_step(order, **weights)
    env = {s: z3.Int(str(s)) for s in (n, i, j, a, b, c)}
    N, I, J, A, B, C = (env[s] for s in (n, i, j, a, b, c))
    ranges = [N >= 1, *[z3.And(v >= 0, v < N) for v in (I, J, A, B, C)]]
    target_first = to_z3(sympy.KroneckerDelta(i, a), env)
    target_pair = to_z3(representation(order, a, b, i, j), env)
    statement = z3.And(_threshold(to_z3(first, env)) == target_first, _threshold(to_z3(pair, env)) == target_pair)
    evidence = {"first_block_preactivation": str(first), "pair_block_preactivation": str(pair)}
    for bound in bounds:
        given = ranges + ([N <= bound] if bound is not None else [])
        answer = prove(statement, [N, I, J, A, B, C], given=given)
        yield answer, evidence
        if answer.answer != "unsat":
            return


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


def _replay_representation(witness, *, order, max_n, **weights):
    """Run the plain network on x_0 x_1 x_2 = c b a from h^0 = e_1 and compare, at every step, the two units the
    counterexample names (first-block unit i and pair unit (i, j)) with the printed representation."""
    w = read(witness, n=integer(1, 3), i=integer(0), j=integer(0), c=integer(0), b=integer(0), a=integer(0))
    n, i, j = w["n"], w["i"], w["j"]
    xs = [w[k] for k in ("c", "b", "a")]
    if not all(v < n for v in (i, j, *xs)):
        # the check searches vocabularies of at most 3 words for counterexamples before proving every size
        raise ForgedWitness("unit or word index outside the vocabulary, or a vocabulary larger than the search's")
    states = run(xs, one_hot(0, n + n * n), **hidden_net(n, **weights))
    sides = {"inputs x_0 x_1 x_2": xs, "vocabulary size": n, "units": [i, pair_unit(i, j, n)]}
    mismatches = []
    for t, h in enumerate(states, start=1):
        want = printed_state(n, order, xs[t - 1], xs[t - 2] if t >= 2 else 0)
        for unit in (i, pair_unit(i, j, n)):
            if h[unit] != want[unit]:
                mismatches.append({"step": t, "unit": unit, "network": h[unit], "printed": want[unit]})
    sides["mismatches"] = mismatches or "none"
    return Replay(not mismatches, sides)


def _representation_check(order, max_n, **weights) -> Outcome:
    # a small vocabulary first, so that a counterexample is small enough to replay; then every size
    answer, evidence = list(_step_queries(order, weights, (3, None)))[-1]
    line1 = _from_step(answer, evidence)

    def runs():
        for n in range(1, max_n + 1):
            for xs in itertools.product(range(n), repeat=3):
                yield n, xs

    line2 = exhausted(exhaust(runs(), lambda item: first_mismatch(item[0], item[1], order, weights) is None,
                              name=f"every input sequence of length 3, vocabulary sizes 1..{max_n}, plain network"),
                      counterexample=lambda item: {"n": item[0], "c": item[1][0], "b": item[1][1], "a": item[1][2]})
    return corroborated(line1, line2)


def _from_step(answer: SmtAnswer, evidence) -> Outcome:
    # unsat: the step holds for every |V|, unit and context (induction on t); sat: a vocabulary size, unit and
    # context where h^t differs
    return annotated(validity(answer, evidence=evidence, counterexample=lambda m: {k: m[k] for k in ("n", "i", "j", "a", "b", "c")}),
                     method="sympy + z3")


# Every context of every vocabulary of at most this many words is also run through the plain network.
MAX_N = 3
# What is decided, per row: for all |V| = n >= 1, units i, j < n and words a = x_{t-1}, b = x_{t-2}, f(first-block
# pre-activation) = phi(a)_i and f(pair pre-activation) = entry (i, j) of the row's order (printed: vec(phi(a) phi(b)^T),
# i.e. phi(a)_i phi(b)_j; transposed: vec(phi(b) phi(a)^T), i.e. phi(b)_i phi(a)_j); the sums over k are done by sympy
# with symbolic n and the equalities decided by z3 (linear integer arithmetic, n unbounded); every length-3 input for
# n <= MAX_N is also run through a plain network.
PERTURBATIONS = (
    Perturbation("bias_0", {"bias": 0}, "hidden biases 0"),
    Perturbation("w1_identity", {"w1_scale": 1}, "W1 = I (the factor of 2 left out)"),
    Perturbation("copy_identity", {"copy_scale": 1}, "the copy connection I instead of 2I"),
    Perturbation("recurrent_inside", {"copy_mode": "inside"}, "2I read as a recurrent weight inside h^t"),
)


@claim(
    statement="",
    requires=Verdict.PROVED,
    assumptions=ASSUMPTIONS,
    perturbations=PERTURBATIONS,
    replay=_replay_representation,
    rows=(
        Row("ex3.f.hidden_representation",
            "With the stated weights, h^t = concat(phi(x_{t-1}), vec(phi(x_{t-1}) phi(x_{t-2})^T)) component by "
            "component, in the order (e) prints it, for every vocabulary size.",
            {"order": "printed", "max_n": MAX_N, **SHEET_WEIGHTS},
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
            {"order": "transposed", "max_n": MAX_N, **SHEET_WEIGHTS},
            anchors=cites("stacking  $|V|$  copies of the identity matrix  $I$", "matrix  $i$  has all ones in column  $i$",
                          "returns its rows concatenated")),
    ),
)
def representations(order, max_n, **weights) -> Outcome:
    return _representation_check(order, max_n, **weights)


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
