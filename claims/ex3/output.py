"""Exercise 3 (d), (e) and the output side of (f): which trigram tables a linear layer plus softmax can reproduce."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import z3

from proofs.claims.ex3.network import one_hot, run, softmax_exp
from proofs.claims.ex3.trigram import hidden_net, printed_state, stated_weights_transposed
from proofs.claims.sheet import cites
from proofs import (Distributions, Erratum, IndexOf, Interval, Matrix, Perturbation, Positive, Real, Row, Size, Vector,
                    concat, elementwise, forall, number, onehot, softmax)
from proofs import some

__all__ = ["CLAIMS", "xor_table", "random_table", "network_distribution"]

# The vocabulary size |V| of (d): two words or more (the table names words 0 and 1); of (e) and (f): any.
V = Size("V", at_least=2)
VOCABULARY = Size("V")

SOFTMAX_ASSUMPTIONS = (
    "the output layer is linear with bias -1 on every word, followed by a softmax; the common bias cancels",
    "exp maps R one-to-one onto (0, oo), so finite output weights U correspond exactly to positive E = e^U",
)


def xor_table(n: int = 2) -> dict:
    """T(x | x_{t-1} = a, x_{t-2} = b) over n words: on contexts in {0,1}^2 word 1 is twice as likely as word 0 when
    a != b and half as likely when a = b (log-odds +-log 2); every other entry is uniform."""
    table = {}
    for a, b in itertools.product(range(n), repeat=2):
        row = [Fraction(1, n)] * n
        if a < 2 and b < 2 and n >= 2:
            rest = Fraction(1, 2) if n > 2 else Fraction(0)
            share = 1 - rest
            odds = Fraction(2) if a != b else Fraction(1, 2)
            row = [share / (1 + odds), share * odds / (1 + odds)] + ([rest / (n - 2)] * (n - 2) if n > 2 else [])
        for x in range(n):
            table[x, a, b] = row[x]
    return table


def random_table(n: int, rng: random.Random) -> dict:
    """A trigram table with positive rational entries, rows summing to 1."""
    table = {}
    for a, b in itertools.product(range(n), repeat=2):
        weights = [rng.randint(1, 9) for _ in range(n)]
        for x in range(n):
            table[x, a, b] = Fraction(weights[x], sum(weights))
    return table


def _odds(table, a, b) -> Fraction:
    return table[1, a, b] / table[0, a, b]


# (d) concatenated one-hots


def _concat_log_odds(table):
    """Linear constraints: with h = phi(a) ++ phi(b) the log-odds of word 1 over word 0 are z_1 - z_0 =
    (U[1,a] - U[0,a]) + (U[1,2+b] - U[0,2+b]) + (c_1 - c_0); the table fixes them to log T(1|a,b)/T(0|a,b), each a
    whole multiple of L = log 2 > 0 for the tables used here."""
    U = {(x, k): z3.Real(f"U_{x}_{k}") for x in (0, 1) for k in range(4)}
    c = {x: z3.Real(f"c_{x}") for x in (0, 1)}
    L = z3.Real("L")
    cons = [L > 0]
    for a, b in itertools.product((0, 1), repeat=2):
        gap = (U[1, a] - U[0, a]) + (U[1, 2 + b] - U[0, 2 + b]) + (c[1] - c[0])
        cons.append(gap == _log2_multiple(_odds(table, a, b)) * L)
    return cons, [*U.values(), *c.values(), L]


def _log2_multiple(odds: Fraction) -> int:
    """k with odds = 2^k (the tables here have odds that are powers of 2)."""
    k = 0
    while odds > 1:
        odds, k = odds / 2, k + 1
    while odds < 1:
        odds, k = odds * 2, k - 1
    if odds != 1:
        raise ValueError("odds must be a power of 2")
    return k


def _additive_table(n: int = 2) -> dict:
    """A table whose log-odds are additive in the two context words (odds 2^(a+b-1)): a concat model reproduces it."""
    table = {}
    for a, b in itertools.product(range(n), repeat=2):
        odds = Fraction(2) ** (a + b - 1)
        table[0, a, b], table[1, a, b] = 1 / (1 + odds), odds / (1 + odds)
    return table


_TABLES = {"xor": xor_table, "additive": _additive_table}


@forall(
    "ex3.d.concat_insufficient_smallest",
    "With h^t the concatenation of phi(x_{t-1}) and phi(x_{t-2}) and a linear softmax output, some trigram "
    "table over 2 words is reproduced by no parameters: the one where word 1 is twice as likely as word 0 "
    "after two different words and half as likely after two equal ones.",
    cites=cites("a vector of size  $2|V|$", "the  $|V|^2$  mappings"),
    assumptions=SOFTMAX_ASSUMPTIONS,
    perturb={"additive_table": {"table_name": "additive"}},
)
def concat_insufficient_smallest(U: Matrix(Real, 2, 4), c: Vector(Real, 2), L: Positive, table_name="xor"):
    # with h = phi(a) ++ phi(b) the log-odds of word 1 over word 0 are z_1 - z_0 = (U[1][a] - U[0][a]) +
    # (U[1][2+b] - U[0][2+b]) + (c_1 - c_0); the table fixes them to log T(1|a,b)/T(0|a,b) = k(a,b) log 2, a whole
    # multiple of L = log 2 > 0: no U, c (and no positive L) meet all four contexts
    table = _TABLES[table_name](2)
    gaps = [(U[1][a] - U[0][a]) + (U[1][2 + b] - U[0][2 + b]) + (c[1] - c[0]) == _log2_multiple(_odds(table, a, b)) * L
            for a, b in itertools.product((0, 1), repeat=2)]
    return ~(gaps[0] & gaps[1] & gaps[2] & gaps[3])


# What is decided, for every |V| >= 2: the model's log-odds interaction l(0,0) + l(1,1) - l(0,1) - l(1,0) is 0 for all
# output weights (softmax log-odds are logit gaps), so its odds cross-ratio odds(0,0) odds(1,1) / (odds(0,1) odds(1,0))
# is 1; and the table's cross-ratio, from its odds T(1|a,b)/T(0|a,b) on the contexts {0,1}^2 (exact rationals from
# xor_table, the same for every |V| >= 2), is not 1. A table whose cross-ratio is 1 fails the claim.
@forall(
    "ex3.d.concat_insufficient_every_size",
    "For every vocabulary size |V| >= 2, the concatenated one-hot representation with a linear softmax output "
    "cannot reproduce the table that puts log-odds +-log 2 between words 0 and 1 on the contexts {0,1}^2.",
    cites=cites("a vector of size  $2|V|$", "the  $|V|^2$  mappings"),
    assumptions=SOFTMAX_ASSUMPTIONS,
    perturb=(Perturbation("pair_representation", {"representation": "pair"}, "(e)'s pair representation"),
             Perturbation("additive_table", {"table_name": "additive"}, "a table whose log-odds add up over the two words")),
)
def concat_insufficient_every_size(U: Matrix(Real, V, 2 * V), P: Matrix(Real, V, V + V * V), representation="concat",
                                   table_name="xor"):
    # output weights U on h = concat(phi(a), phi(b)) (2|V| units), or P on (e)'s h = concat(phi(a), vec(phi(a) phi(b)^T))
    # (|V| + |V|^2 units); z = (weights) h - 1 are the logits, l(a, b) = z_1 - z_0 the log-odds of word 1 over word 0
    def gap(a, b):
        if representation == "concat":
            z = U @ concat(onehot(a, V), onehot(b, V)) - 1
        else:
            z = P @ concat(onehot(a, V), onehot(a * V + b, V * V)) - 1
        return z[1] - z[0]

    table = _TABLES[table_name](2)
    odds = {(a, b): number(_odds(table, a, b)) for a, b in itertools.product((0, 1), repeat=2)}
    return (gap(0, 0) + gap(1, 1) - gap(0, 1) - gap(1, 0) == 0) & \
        (odds[0, 0] * odds[1, 1] != odds[0, 1] * odds[1, 0])


# (e) the pair representation, and (f)'s output layer


def network_distribution(n, table, a, b, *, wiring, scale=1, hidden=None) -> list[Fraction]:
    """p(x_t | x_{t-1} = a, x_{t-2} = b) from the plain network: hidden state from the weights (or (e)'s vector),
    output weight from pair unit (i, j) to word x = scale * log T(x | its context), given as E = T^scale."""
    if hidden is None:
        h = printed_state(n, "printed", a, b)
    else:
        h = run([b, a], one_hot(0, n + n * n), **hidden_net(n, **hidden))[-1]
    E = []
    for x in range(n):
        row = [Fraction(1)] * n
        for i, j in itertools.product(range(n), repeat=2):
            ctx = (i, j) if wiring == "printed" else (j, i)
            row.append(table[(x, *ctx)] ** scale)
        E.append(row)
    return softmax_exp(h, E)


@forall(
    "ex3.e.exact_for_every_table",
    "With h^t = concat(phi(x_{t-1}), vec(phi(x_{t-1}) phi(x_{t-2})^T)), every trigram table is reproduced exactly by "
    "some finite output weights.",
    cites=cites(r"\text{concat}(\phi(x_{t-1}), \text{vec}(\phi(x_{t-1})\phi(x_{t-2})^T))"),
    assumptions=SOFTMAX_ASSUMPTIONS,
    erratum=Erratum(
        "a softmax over finite logits gives every word a probability strictly between 0 and 1, so a trigram table with "
        "an entry 0 or 1 (a word that never, or always, follows some context) is reproduced only in the limit; tables "
        "with positive entries are reproduced exactly (ex3.e.exact_for_positive_tables) and every table in the limit "
        "(ex3.e.limit_for_every_table)",
        corrected_by="ex3.e.exact_for_positive_tables",
    ),
)
def exact_for_every_table(t: Interval(0, 1)):
    # every entry t = T(x|a,b) in [0, 1] of a table is the softmax probability u/(u + r) of its word x for some finite
    # weights: u = e^{z_x} > 0 for its logit z_x and r > 0 the other words' e^{logit} (two or more words); written
    # u = t (u + r), the denominator u + r being positive
    return some(Positive, lambda u: some(Positive, lambda r: t * (u + r) == u))


@forall(
    "ex3.e.limit_for_every_table",
    "Every trigram table, zeros included, is the limit of exactly reproduced ones: output weights "
    "log(T + delta) give softmax (T + delta)/(1 + |V| delta), within |V| delta of T in every entry.",
    cites=cites(r"\text{concat}(\phi(x_{t-1}), \text{vec}(\phi(x_{t-1})\phi(x_{t-2})^T))"),
    assumptions=SOFTMAX_ASSUMPTIONS,
    perturb={"bound_half": {"factor": Fraction(1, 2)}},
)
def limit_for_every_table(n: Interval(1, None), t: Interval(0, 1), delta: Positive, factor=1):
    # with rows of T summing to 1, softmax(log(T + delta)) = (T + delta)/(1 + n delta); delta = eps/n gives error <= eps
    return abs((t + delta) / (1 + n * delta) - t) <= factor * n * delta


def _replicated(T, a, b, *, wiring, hidden_order, scale):
    """softmax of the output layer at context (a, b) = (x_{t-1}, x_{t-2}) against the table's column T(. | a, b).

    h^t = concat(phi(a), pair block); pair unit (i, j) sits at i|V| + j (vec concatenates rows) and is 1 for
    (i, j) = (a, b) in (e)'s printed order, (b, a) in the transposed one (what the stated weights compute:
    ex3.f.stated_weights_transposed). The output weights on phi(a)'s units are 0, so U h^t is the pair block's weight
    column at the unit that is 1: scale log T(. | context of that unit), the context (i, j) read as printed or with the
    contexts swapped by the wiring. Biases -1."""
    n = VOCABULARY
    i, j = (a, b) if hidden_order == "printed" else (b, a)
    context = i * n + j if wiring == "printed" else j * n + i
    weights = elementwise("log", T) if scale == 1 else scale * elementwise("log", T)
    return softmax(weights @ onehot(context, n * n) - 1) == T @ onehot(a * n + b, n * n)


# What is decided: for every vocabulary size |V|, every table T with positive entries (column a|V| + b the
# distribution T(. | a, b)) and all words a, b < |V|, the network's next-word distribution equals T(. | a, b): softmax of
# log T(x | a, b) - 1 is T(x | a, b) / sum_y T(y | a, b) = T(x | a, b). (e) reads its pair units in the printed order;
# (f)'s stated weights hold them transposed, and its output weights are wired to match. The plain network
# (network_distribution) is run on random tables in tests/test_ex3.py.
@forall(
    rows=(
        Row("ex3.e.exact_for_positive_tables",
            "With (e)'s representation, output weights U[x, unit of (a, b)] = log T(x|a,b) (all other output weights 0, "
            "biases -1) reproduce every trigram table with positive entries exactly, for every vocabulary size.",
            perturbations=(
                Perturbation("weights_2_log_t", {"scale": 2}, "output weights 2 log T"),
                Perturbation("wiring_transposed", {"wiring": "transposed"}, "output weights read with the contexts swapped"),
            )),
        Row("ex3.f.replicates_trigram",
            "With the stated hidden weights, and each pair unit's output weights set to the log of the table row of "
            "the context that unit holds (biases -1, all else 0), the network's next-word distribution equals "
            "every positive trigram table, for every vocabulary size.",
            {"wiring": "transposed", "hidden_order": "transposed"},
            anchors=cites("W_1 = 2I", "weight matrix equal to  $2I$", "All weights that were not specified are zero."),
            trusts=(stated_weights_transposed,),
            perturbations=(
                Perturbation("wired_as_printed", {"wiring": "printed"}, "output weights wired by (e)'s printed order"),
                Perturbation("weights_2_log_t", {"scale": 2}, "output weights 2 log T"),
            )),
    ),
    cites=cites(r"\text{concat}(\phi(x_{t-1}), \text{vec}(\phi(x_{t-1})\phi(x_{t-2})^T))"),
    assumptions=SOFTMAX_ASSUMPTIONS,
)
def replicated(T: Distributions(VOCABULARY, VOCABULARY * VOCABULARY), a: IndexOf(VOCABULARY), b: IndexOf(VOCABULARY),
               wiring="printed", hidden_order="printed", scale=1):
    return _replicated(T, a, b, wiring=wiring, hidden_order=hidden_order, scale=scale)


CLAIMS = (
    concat_insufficient_smallest,
    concat_insufficient_every_size,
    exact_for_every_table,
    replicated[0],
    limit_for_every_table,
    replicated[1],
)
