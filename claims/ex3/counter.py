"""Exercise 3 (c): without x_{t-1}, a hidden counter and an index-to-word output layer."""

from __future__ import annotations

import functools
import operator
from fractions import Fraction


from proofs.claims.ex3.network import SENTENCE, one_hot, run
from proofs.claims.sheet import cites
from proofs import Erratum, Positive, Real, Vector, exists, exp, forall, limit, note, oo

__all__ = ["CLAIMS", "vocabulary", "counter_network", "limit_likelihood"]


def vocabulary(tokens) -> list[str]:
    """The sentence's distinct words, in order of first appearance (<start> is word 0)."""
    return list(dict.fromkeys(tokens))


def counter_network(tokens, shift_weight, bias):
    """h^t = f(W_h h^{t-1} + b) with W_h = shift_weight * (sub-diagonal shift); x_{t-1} is not an input.

    With the sheet's h^0 = e_1 the unit that is on moves one place per step: h^t = e_{t+1}.
    The output weight from unit t to the word x_t is a (symbolic), every other output weight 0,
    and every output bias -1.
    """
    m = len(tokens)
    w_rec = [[shift_weight if r == c + 1 else 0 for c in range(m)] for r in range(m)]
    vocab = vocabulary(tokens)
    states = run([None] * (len(tokens) - 1), one_hot(0, m), vocab=len(vocab), w_in=None, w_rec=w_rec, bias=bias)
    # coefficient of a in each word's logit at step t (the logit is a * alpha - 1)
    alphas = [[sum(h[k] for k in range(1, m) if vocab.index(tokens[k]) == x) for x in range(len(vocab))] for h in states]
    return states, alphas, vocab


def limit_likelihood(tokens, alphas, vocab) -> Fraction:
    """Plain limit of the likelihood as a -> oo, step by step from the logits a * alpha - 1.

    The word with the largest alpha takes all the mass in the limit; k words tied at the largest
    alpha share it equally (their offsets are all -1); any other word gets 0.
    """
    out = Fraction(1)
    for t, alpha in enumerate(alphas, start=1):
        top = max(alpha)
        winners = [x for x, v in enumerate(alpha) if v == top]
        target = vocab.index(tokens[t])
        out *= Fraction(1, len(winners)) if target in winners else 0
    return out


COUNTER_ASSUMPTIONS = (
    "the vocabulary is the sentence's 8 distinct words, <start> included; the output layer scores every word",
    "threshold hidden units, every bias -1, h^0 = e_1 and a softmax output, as the sheet fixes; x_{t-1} is not an input",
    "exp maps R one-to-one onto (0, oo): e^z > 0, and y = e^a takes every positive value",
)


@forall(
    "ex3.c.likelihood_one_in_the_limit",
    "Without x_{t-1}, a hidden counter (h^t = e_{t+1}) and output weight a from unit t+1 to word x_t give the "
    "sentence likelihood (1 + 7 e^{-a})^{-8}: below 1 for every finite a, and tending to 1 as a grows, so any "
    "likelihood short of 1 is reached with finite weights and 1 only in the limit.",
    cites=cites("h_1^0 = 1", "h_j^0 = 0", "all bias terms are -1", "keep track of the index  $t$"),
    assumptions=COUNTER_ASSUMPTIONS,
    perturb={"shift_1": {"shift_weight": 1}, "bias_plus_1": {"bias": 1}},
)
def likelihood_one_in_the_limit(a: Real, tokens=SENTENCE, shift_weight=2, bias=-1):
    # the construction run through the plain network: alphas[t-1][x] is the output weight's multiple reaching word x at
    # step t (the logit of x is a * alphas[t-1][x] - 1); the likelihood is the product of the softmax probabilities of
    # x_1 .. x_8
    states, alphas, vocab = counter_network(tokens, shift_weight, bias)
    note(f"hidden states h^1..h^{len(states)} are e_2..e_{len(states) + 1}: "
         f"{all(h == one_hot(t + 1, len(tokens)) for t, h in enumerate(states))}")

    def likelihood(w):
        steps = [exp(w * alpha[vocab.index(tokens[t])] - 1) / functools.reduce(operator.add, [exp(w * v - 1) for v in alpha])
                 for t, alpha in enumerate(alphas, start=1)]
        return functools.reduce(operator.mul, steps)

    return (likelihood(a) < 1) & (limit(likelihood, oo) == 1)


@exists(
    "ex3.c.likelihood_one_without_input",
    "Without x_{t-1}, finite weights exist that give the sentence likelihood exactly 1.",
    cites=cites("h_1^0 = 1", "h_j^0 = 0", "all bias terms are -1", "**Solution:** Yes."),
    assumptions=COUNTER_ASSUMPTIONS,
    erratum=Erratum(
        "a softmax gives every word probability e^{z_x}/sum_y e^{z_y} < 1 when the vocabulary has two or more words, so "
        "no finite weights reach likelihood exactly 1; the counter construction reaches any likelihood below 1 and 1 "
        "only as the output weights grow without bound",
        corrected_by="ex3.c.likelihood_one_in_the_limit",
    ),
)
def likelihood_one_without_input(z: Vector(Real, len(SENTENCE) - 1), r: Vector(Positive, len(SENTENCE) - 1), tokens=SENTENCE):
    # at step t the output's logit for the sentence's word x_t is z_t, a real number for finite weights, and the other
    # 7 words' e^{logit} sum to r_t > 0; the likelihood is the product over t = 1..8 of the softmax probability of x_t,
    # e^{z_t} / (e^{z_t} + r_t)
    steps = [exp(z[t - 1]) / (exp(z[t - 1]) + r[t - 1]) for t in range(1, len(tokens))]
    return functools.reduce(operator.mul, steps) == 1


CLAIMS = (likelihood_one_without_input, likelihood_one_in_the_limit)
