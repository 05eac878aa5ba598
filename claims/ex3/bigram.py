"""Exercise 3 (a) and (b): what a bigram model, and the network without h^{t-1}, can do with the sentence."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Mapping, Sequence

from proofs.claims.ex3.network import SENTENCE
from proofs.claims.sheet import cites
from proofs import (Correction, Function, Interval, Matrix, Perturbation, Real, Size, Vector, elementwise, forall, implies, note,
                    softmax)
from proofs import const

__all__ = ["BigramAnalysis", "analyse_bigram", "CLAIMS"]


@dataclasses.dataclass(frozen=True)
class BigramAnalysis:
    """What bigram models can do with one token sequence: p(x_1..x_T | x_0) = prod_t p(x_t | x_{t-1})."""

    tokens: tuple
    # successor counts: context -> next token -> how often it follows
    successors: Mapping[str, Mapping[str, int]]
    # contexts followed by two or more different tokens
    conflicts: Mapping[str, Mapping[str, int]]
    # True when some bigram model gives the sequence likelihood 1 (no context has two successors)
    can_reach_one: bool
    # the largest likelihood any bigram model gives the sequence
    max_likelihood: Fraction
    # a model attaining it: the relative successor frequencies of each context
    best_model: Mapping[str, Mapping[str, Fraction]]

    def explain(self) -> str:
        if self.can_reach_one:
            return "every context has a single successor, so the model that always predicts it gives likelihood 1"
        parts = []
        for ctx, nxt in self.conflicts.items():
            options = ", ".join(f"{v!r} ({c}x)" for v, c in nxt.items())
            parts.append(f"{ctx!r} is followed by {options}")
        return ("; ".join(parts) + ": p(.|context) sums to 1, so the successors of such a context cannot all have "
                f"probability 1; the best a bigram model can do is {self.max_likelihood}, with p(v|w) = count(w, v)/count(w)")


def analyse_bigram(tokens: Sequence[str]) -> BigramAnalysis:
    """Decide whether a bigram model can give `tokens` likelihood 1, and the best likelihood it can give."""
    succ: dict[str, Counter] = defaultdict(Counter)
    for prev, nxt in zip(tokens, tokens[1:]):
        succ[prev][nxt] += 1
    best, value = {}, Fraction(1)
    for ctx, counts in succ.items():
        total = sum(counts.values())
        best[ctx] = {v: Fraction(c, total) for v, c in counts.items()}
        for c in counts.values():
            value *= Fraction(c, total) ** c
    conflicts = {ctx: dict(c) for ctx, c in succ.items() if len(c) > 1}
    return BigramAnalysis(tuple(tokens), {k: dict(v) for k, v in succ.items()}, conflicts, not conflicts, value, best)


def _likelihood(model: Mapping[str, Mapping[str, Fraction]], tokens: Sequence[str]) -> Fraction:
    out = Fraction(1)
    for prev, nxt in zip(tokens, tokens[1:]):
        out *= Fraction(model.get(prev, {}).get(nxt, 0))
    return out


BIGRAM_ASSUMPTIONS = (
    "a bigram model is any table of conditional distributions p(.|w) over a vocabulary containing the sentence's "
    "words (other words are pooled as one)",
    "the likelihood of the sentence is prod_{t=1..8} p(x_t | x_{t-1}) with x_0 = <start>; there is no end token",
)


# The distinct (context, word) pairs of the sentence, in order: the bigram probabilities its likelihood reads.
PAIRS = tuple(dict.fromkeys(zip(SENTENCE, SENTENCE[1:])))


def _distributions(prob):
    """Each context's listed words have probabilities summing to at most 1 (its other words share the rest)."""
    contexts = tuple(dict.fromkeys(w for w, _ in prob))
    return functools.reduce(operator.and_, [functools.reduce(operator.add, [v for pair, v in prob.items() if pair[0] == w]) <= 1
                                            for w in contexts])


@forall(
    "ex3.a.bigram_cannot_reach_one",
    "No bigram model assigns the example sentence likelihood 1.",
    cites=cites("<start> This is a very very unimaginative example sentence", "**Solution:** No because"),
    assumptions=BIGRAM_ASSUMPTIONS,
    perturb={"one_very": {"tokens": tuple(t for i, t in enumerate(SENTENCE) if i != 5)}},
)
def bigram_cannot_reach_one(p: Vector(Interval(0, 1), len(PAIRS)), tokens=SENTENCE):
    # p[k] = p(word | context) for the k-th pair of the sentence; each context's other words share what is left of its
    # mass (>= 0), so p(.|w) is a distribution exactly when the listed words of w sum to at most 1. The likelihood is
    # the product of p(x_t | x_{t-1}) over the sentence (a sentence whose pairs are among PAIRS, as the perturbed one's are)
    prob = dict(zip(PAIRS, p))
    note(analyse_bigram(tokens).explain())
    return implies(_distributions(prob), functools.reduce(operator.mul, [prob[pair] for pair in zip(tokens, tokens[1:])]) < 1)


@forall(
    "ex3.a.bigram_best_likelihood",
    "The largest likelihood any bigram model gives the example sentence is exactly 1/4.",
    cites=cites("<start> This is a very very unimaginative example sentence"),
    asserts="(beyond the sheet) the best a bigram model can do, given that 'very' is followed once by 'very' and once by "
            "'unimaginative'",
    assumptions=BIGRAM_ASSUMPTIONS,
    perturb={"best_half": {"best": Fraction(1, 2)}, "best_eighth": {"best": Fraction(1, 8)}},
)
def bigram_best_likelihood(p: Vector(Interval(0, 1), len(PAIRS)), tokens=SENTENCE, best=Fraction(1, 4)):
    # p[k] = p(word | context) for the k-th pair of the sentence: no bigram model's likelihood exceeds `best`, and the
    # relative-frequency model p(v|w) = count(w, v)/count(w) (its values written into the statement) attains it
    prob = dict(zip(PAIRS, p))
    frequencies = analyse_bigram(tokens).best_model
    attaining = {pair: const(frequencies[pair[0]][pair[1]]) for pair in PAIRS}

    def likelihood(model):
        return functools.reduce(operator.mul, [model[pair] for pair in zip(tokens, tokens[1:])])

    return implies(_distributions(prob), likelihood(prob) <= best) & _distributions(attaining) & (likelihood(attaining) == best)


@forall(
    "ex3.a.bigram_reason",
    "p(x4|x3) and p(x5|x4) cannot both be 1, because x4 = x3.",
    cites=cites("p(x_4 | x_3)", "p(x_5 | x_4)", "x_4 = x_3", "cannot both be 1 since",
                "<start> This is a very very unimaginative example sentence",
                r"t=0 \quad t=1 \quad t=2 \quad t=3 \quad t=4 \quad t=5 \quad t=6 \quad t=7 \quad t=8"),
    assumptions=BIGRAM_ASSUMPTIONS,
    erratum=Correction(
        "with <start> at t = 0 the sentence has x3 = 'a' and x4 = x5 = 'very': x4 != x3, and a bigram model with "
        "p(very|a) = p(very|very) = 1 exists; the pair that cannot both be 1 is p(x5|x4) and p(x6|x5), since x5 = x4",
        "p(x5|x4) and p(x6|x5) cannot both be 1, because x5 = x4 = 'very' is followed once by 'very' and once by "
        "'unimaginative'.",
        {"index": 4},
    ),
    perturb={"index_2": {"index": 2}, "index_5": {"index": 5}},
)
def bigram_reason(p: Vector(Interval(0, 1), len(PAIRS)), tokens=SENTENCE, index=3):
    # p[k] = p(word | context) for the k-th pair of the sentence (x_0 = <start>): for every bigram model, when
    # p(x_{i+1} | x_i) is 1, p(x_{i+2} | x_{i+1}) is not
    prob = dict(zip(PAIRS, p))
    first, second = prob[tokens[index], tokens[index + 1]], prob[tokens[index + 1], tokens[index + 2]]
    return implies(_distributions(prob) & (first == 1), second != 1)


bigram_reason_corrected, = bigram_reason.companions


# (b) the network without h^{t-1}

# The hidden size m and the vocabulary size |V|: any whole numbers >= 1, independent of each other.
HIDDEN, VOCABULARY = Size("m"), Size("V")
# The hidden units' activation: any function R -> R (the sheet's is a threshold); the statement is claimed for every one.
ACTIVATION = Function("f")


# What is decided: for every m, |V|, all weights W (m x |V|), U (|V| x m), the input phi = phi(x_{t-1}) (any vector of
# R^|V|, the one-hot ones among them) and every activation f, the next-word distribution softmax(U f(W phi - 1) - 1)
# is the same for any two previous hidden states h^{t-1}: p(x_t | history) = p(x_t | x_{t-1}), a bigram model, whose
# likelihood of the sentence is at most the bigram maximum 1/4 (ex3.a.bigram_best_likelihood, trusted).
@forall(
    "ex3.b.no_recurrence_is_bigram",
    "Without the h^{t-1} input, the next-word distribution is a function of x_{t-1} alone for all weights and "
    "sizes, so the network is a bigram model and cannot give the sentence likelihood 1.",
    cites=cites("just be a bi-gram model"),
    assumptions=BIGRAM_ASSUMPTIONS,
    trusts=(bigram_best_likelihood,),
    perturb=(Perturbation("keep_recurrence", {"recurrent": True}, "h^{t-1} kept as an input"),),
)
def no_recurrence_is_bigram(W: Matrix(Real, HIDDEN, VOCABULARY), R: Matrix(Real, HIDDEN, HIDDEN),
                            U: Matrix(Real, VOCABULARY, HIDDEN), phi: Vector(Real, VOCABULARY), h_prev: Vector(Real, HIDDEN),
                            h_other: Vector(Real, HIDDEN), recurrent=False):
    # h^t = f(W phi(x_{t-1}) [+ R h^{t-1}] - 1), p(x_t | .) = softmax(U h^t - 1); R is read only with the recurrence
    def next_word(h):
        pre = W @ phi - 1
        if recurrent:
            pre = pre + R @ h
        return softmax(U @ elementwise(ACTIVATION, pre) - 1)

    return next_word(h_prev) == next_word(h_other)


CLAIMS = (bigram_cannot_reach_one, bigram_best_likelihood, bigram_reason, bigram_reason_corrected, no_recurrence_is_bigram)
