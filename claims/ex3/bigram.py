"""Exercise 3 (a) and (b): what a bigram model, and the network without h^{t-1}, can do with the sentence."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Mapping, Sequence

import sympy

from proofs.claims.ex3.network import SENTENCE, matvec, step
from proofs.claims.sheet import cites
from proofs import (Correction, ForgedWitness, Interval, Outcome, Perturbation, Replay, Vector, Verdict, claim, forall, implies,
                    note)
from proofs import IdentityAnswer, computed, const, identity
from proofs.claims.witness import either, exactly, listof, member, rational, read

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

def _symbolic_distribution(recurrent: bool):
    m, n = sympy.symbols("m n", integer=True, positive=True)
    i, j, k, q, r = sympy.symbols("i j k q r", integer=True)
    W, R, U, h, phi = (sympy.IndexedBase(name) for name in ("W", "R", "U", "h_prev", "phi"))
    f = sympy.Function("f")
    pre = sympy.Sum(W[j, i] * phi[i], (i, 0, n - 1)) - 1
    if recurrent:
        pre += sympy.Sum(R[j, r] * h[r], (r, 0, m - 1))
    logit = lambda out: sympy.Sum(U[out, j] * f(pre), (j, 0, m - 1)) - 1  # noqa: E731
    dist = sympy.exp(logit(k)) / sympy.Sum(sympy.exp(logit(q)), (q, 0, n - 1))
    return dist, {"W": W, "R": R, "U": U, "h_prev": h, "phi": phi}


def _replay_dependence(witness, *, recurrent, **_):
    """Two previous hidden states, the same x_{t-1} (word 0): do the output logits differ (beyond a common shift)?
    The network is the claim's: without h^{t-1} there is no recurrent weight to give."""
    witness = read(witness, w_rec=either(exactly(None), listof(listof(rational(), 1), 1)), U=listof(listof(rational(), 1), 2),
                   h_a=listof(member((0, 1)), 1), h_b=listof(member((0, 1)), 1))
    if not recurrent and witness["w_rec"] is not None:
        raise ForgedWitness("the claim's network has no recurrent weights")
    net = dict(vocab=2, w_in=[[0, 0]], w_rec=witness["w_rec"], bias=-1)
    U = witness["U"]
    logits = []
    for h_prev in (witness["h_a"], witness["h_b"]):
        h = step(h_prev, 0, **net)
        logits.append(matvec(U, h, 2))
    diff_a, diff_b = logits[0][0] - logits[0][1], logits[1][0] - logits[1][1]
    return Replay(diff_a == diff_b, {"logit gap with h_a": diff_a, "logit gap with h_b": diff_b})


# What is decided: softmax_k(sum_j U[k,j] f(sum_i W[j,i] phi_i - 1) - 1) over symbolic sizes m, |V| has the weights and
# phi = phi(x_{t-1}) as its only free symbols (sympy), so p(x_t | history) = p(x_t | x_{t-1}): a bigram model, whose
# likelihood of the sentence is at most the bigram maximum (ex3.a.bigram_best_likelihood).
@claim(
    "ex3.b.no_recurrence_is_bigram",
    exercise=3, part="b",
    anchors=cites("just be a bi-gram model"),
    statement="Without the h^{t-1} input, the next-word distribution is a function of x_{t-1} alone for all weights and "
              "sizes, so the network is a bigram model and cannot give the sentence likelihood 1.",
    requires=Verdict.PROVED,
    params={"recurrent": False, "tokens": SENTENCE},
    assumptions=BIGRAM_ASSUMPTIONS,
    trusts=(bigram_best_likelihood,),
    perturbations=(Perturbation("keep_recurrence", {"recurrent": True}, "h^{t-1} kept as an input"),),
    replay=_replay_dependence,
)
def no_recurrence_is_bigram(recurrent, tokens) -> Outcome:
    dist, bases = _symbolic_distribution(recurrent)
    used = sorted(name for name, base in bases.items() if dist.has(base))
    best = analyse_bigram(tokens).max_likelihood
    evidence = {"distribution": str(dist), "depends_on": used, "bigram_max_likelihood": best}
    # what is decided: the distribution is the same for any two previous hidden states h_prev and h_other
    same = (dist.subs(bases["h_prev"], sympy.IndexedBase("h_other")), dist)
    if "h_prev" in used:
        witness = {"w_rec": [[2]], "U": [[1], [0]], "h_a": [1], "h_b": [0]}
        return computed(False, method="sympy", evidence=evidence, witness=witness, failure="the distribution depends on h^{t-1}",
                        statement=same)
    if best >= 1:
        return computed(False, method="sympy + exact arithmetic", evidence=evidence,
                        witness={"w_rec": None, "U": [[0], [0]], "h_a": [0], "h_b": [1]},
                        failure="a bigram model reaches likelihood 1 on this sentence", statement=same)
    # the distribution's free symbols do not include h^{t-1}: a structural fact of the symbolic expression
    return identity(IdentityAnswer(True, "h_prev does not occur in the distribution"), statement=same,
                    evidence={**evidence, "scope": f"depends on {', '.join(used)} only; bigram likelihood at most {best} < 1"})


CLAIMS = (bigram_cannot_reach_one, bigram_best_likelihood, bigram_reason, bigram_reason_corrected, no_recurrence_is_bigram)
