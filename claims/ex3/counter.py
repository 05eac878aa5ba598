"""Exercise 3 (c): without x_{t-1}, a hidden counter and an index-to-word output layer."""

from __future__ import annotations

import functools
import operator
from fractions import Fraction

import sympy
import z3

from proofs.claims.ex3.network import SENTENCE, one_hot, run
from proofs.claims.sheet import cites
from proofs import (Erratum, IdentityAnswer, Outcome, Perturbation, Positive, Real, Replay, Vector, Verdict, claim, combine, exists, exp,
                    identity, prove, undecided, validity)
from proofs.claims.witness import exactly, read

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


def _replay_limit(witness, *, tokens, shift_weight, bias, **_):
    _, alphas, vocab = counter_network(tokens, shift_weight, bias)
    value = limit_likelihood(tokens, alphas, vocab)
    read(witness, limit=exactly(value))
    return Replay(value == 1, {"likelihood as a -> oo (plain)": value, "stated": 1})


COUNTER_ASSUMPTIONS = (
    "the vocabulary is the sentence's 8 distinct words, <start> included; the output layer scores every word",
    "threshold hidden units, every bias -1, h^0 = e_1 and a softmax output, as the sheet fixes; x_{t-1} is not an input",
    "exp maps R one-to-one onto (0, oo): e^z > 0, and y = e^a takes every positive value",
)


@claim(
    "ex3.c.likelihood_one_in_the_limit",
    exercise=3, part="c",
    anchors=cites("h_1^0 = 1", "h_j^0 = 0", "all bias terms are -1", "keep track of the index  $t$"),
    statement="Without x_{t-1}, a hidden counter (h^t = e_{t+1}) and output weight a from unit t+1 to word x_t give the "
              "sentence likelihood (1 + 7 e^{-a})^{-8}: below 1 for every finite a, and tending to 1 as a grows, so any "
              "likelihood short of 1 is reached with finite weights and 1 only in the limit.",
    formal="the construction run on the sentence gives h^t = e_{t+1} (t = 0..8, exact); L(a) = prod_t softmax_{x_t}(a "
           "alpha_t - 1) equals (1 + 7e^{-a})^{-8} (sympy) and lim_{a->oo} L(a) = 1 (sympy); for every finite logits "
           "each softmax factor u/(u + S) < 1 with u, S > 0 (z3), so L(a) < 1",
    requires=Verdict.PROVED,
    params={"tokens": SENTENCE, "shift_weight": 2, "bias": -1},
    assumptions=COUNTER_ASSUMPTIONS,
    perturbations=(
        Perturbation("shift_1", {"shift_weight": 1}, "counter weight 1 (the factor of 2 left out)"),
        Perturbation("bias_plus_1", {"bias": 1}, "hidden biases +1"),
    ),
    replay=_replay_limit,
    formulas=("Eq(L(a), (1 + 7*exp(-a))**(-8))", "Eq(Limit(L(a), a, oo), 1)"),
)
def likelihood_one_in_the_limit(tokens, shift_weight, bias) -> Outcome:
    states, alphas, vocab = counter_network(tokens, shift_weight, bias)
    counter_ok = all(h == one_hot(t + 1, len(tokens)) for t, h in enumerate(states))
    # y = e^a ranges over (0, oo); e^{alpha a - 1} = y^alpha e^{-1}, and the common e^{-1} cancels
    y = sympy.Symbol("y", positive=True)
    factors = [y ** al[vocab.index(tokens[t])] / sum(y ** v for v in al) for t, al in enumerate(alphas, start=1)]
    likelihood = sympy.cancel(sympy.Mul(*factors))
    limit = sympy.limit(likelihood, y, sympy.oo)
    closed = (y / (y + len(vocab) - 1)) ** (len(tokens) - 1)
    evidence = {"hidden_states_are_e_(t+1)": counter_ok, "likelihood_in_y=e^a": str(likelihood), "limit": str(limit)}
    if limit != 1:
        return identity(IdentityAnswer(False, str(limit - 1), {"limit": str(limit)}), evidence=evidence,
                        statement=sympy.Eq(sympy.Limit(likelihood, y, sympy.oo), 1, evaluate=False))
    if sympy.cancel(likelihood - closed) != 0:
        return undecided("sympy", evidence, "closed form not confirmed")
    u, s = z3.Reals("u S")
    below_one = validity(prove(u / (u + s) < 1, [u, s], given=[u > 0, s > 0]), evidence={"factor": "u/(u+S), u = e^{z_x}, S = sum of the other terms"})
    closed_form = identity(IdentityAnswer(True, "0"), evidence={**evidence, "closed_form": "(1 + 7 e^{-a})^{-8} = (y/(y + 7))^8"},
                           statement=[sympy.Eq(likelihood, closed), sympy.Eq(sympy.Limit(likelihood, y, sympy.oo), limit)])
    return combine(closed_form, below_one)


@exists(
    "ex3.c.likelihood_one_without_input",
    "Without x_{t-1}, finite weights exist that give the sentence likelihood exactly 1.",
    cites=cites("h_1^0 = 1", "h_j^0 = 0", "all bias terms are -1", "**Solution:** Yes."),
    assumptions=(*COUNTER_ASSUMPTIONS,
                 "at step t the output's logit for the sentence's word x_t is z_t, a real number for finite weights; the "
                 "other words' e^{logit} sum to r_t > 0 (there are 7 of them, each e^{logit} > 0)"),
    erratum=Erratum(
        "a softmax gives every word probability e^{z_x}/sum_y e^{z_y} < 1 when the vocabulary has two or more words, so "
        "no finite weights reach likelihood exactly 1; the counter construction reaches any likelihood below 1 and 1 "
        "only as the output weights grow without bound",
        corrected_by="ex3.c.likelihood_one_in_the_limit",
    ),
)
def likelihood_one_without_input(z: Vector(Real, len(SENTENCE) - 1), r: Vector(Positive, len(SENTENCE) - 1), tokens=SENTENCE):
    # the likelihood is the product over t = 1..8 of the softmax probability of x_t: e^{z_t} / (e^{z_t} + r_t)
    steps = [exp(z[t - 1]) / (exp(z[t - 1]) + r[t - 1]) for t in range(1, len(tokens))]
    return functools.reduce(operator.mul, steps) == 1


CLAIMS = (likelihood_one_without_input, likelihood_one_in_the_limit)
