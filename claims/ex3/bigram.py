"""Exercise 3 (a) and (b): what a bigram model, and the network without h^{t-1}, can do with the sentence."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Mapping, Sequence

import sympy
import z3

from proofs.claims.ex3.network import SENTENCE, matvec, step
from proofs.claims.sheet import cites
from proofs import (Correction, ForgedWitness, Interval, Outcome, Perturbation, Replay, Vector, Verdict, claim, forall, implies,
                    note)
from proofs import IdentityAnswer, computed, identity, prove, validity
from proofs.claims.witness import either, exactly, listof, member, rational, read, table

__all__ = ["BigramAnalysis", "analyse_bigram", "CLAIMS"]

OTHER = "<other>"


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


def _is_distribution(row: Mapping[str, Fraction]) -> bool:
    return all(Fraction(p) >= 0 for p in row.values()) and sum(Fraction(p) for p in row.values()) == 1


def _bigram_vars(tokens: Sequence[str]):
    vocab = sorted(set(tokens)) + [OTHER]
    contexts = sorted(set(tokens[:-1]))
    # plain SMT-LIB names p_<context>_<word> (indices), so the exported queries parse in every solver
    p = {(w, v): z3.Real(f"p_{contexts.index(w)}_{vocab.index(v)}") for w in contexts for v in vocab}
    cons = []
    for w in contexts:
        cons += [p[w, v] >= 0 for v in vocab]
        cons.append(z3.Sum([p[w, v] for v in vocab]) == 1)
    likelihood = z3.Product([p[a, b] for a, b in zip(tokens, tokens[1:])])
    return p, cons, likelihood


def _model_of(answer_model: Mapping[str, Fraction], tokens) -> dict:
    vocab = sorted(set(tokens)) + [OTHER]
    contexts = sorted(set(tokens[:-1]))
    model: dict = defaultdict(dict)
    for name, value in answer_model.items():
        _, w, v = name.split("_")
        if value != 0:
            model[contexts[int(w)]][vocab[int(v)]] = value
    return {k: dict(v) for k, v in model.items()}


def _model_domain(tokens):
    """A bigram model: for contexts among the sentence's words, probabilities in [0, 1] of its words or <other>."""
    words = tuple(sorted(set(tokens))) + (OTHER,)
    return table(member(tuple(sorted(set(tokens)))), table(member(words), rational(0, 1)))


def _replay_model_likelihood(witness, *, tokens, bound=None, **_):
    """The model's likelihood of the sequence, in exact arithmetic: the claim says it is < 1 (or <= bound)."""
    model = read(witness, model=_model_domain(tokens))["model"]
    value = _likelihood(model, tokens)
    proper = all(_is_distribution(row) for row in model.values())
    limit = Fraction(bound) if bound is not None else None
    holds = not proper or (value < 1 if limit is None else value <= limit)
    return Replay(holds, {"likelihood": value, "every p(.|w) a distribution": proper, "bound": limit if limit is not None else "< 1"})


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


def _replay_best(witness, *, tokens, best, **_):
    """attaining_model: a model whose likelihood is exactly the stated best (the claim's existence half).
    model: a model beating the stated best (refutes its bound half). stated_best: the claimed value, which the
    relative-frequency model (the optimum, by the per-context bounds) does not reach."""
    if "attaining_model" in witness:
        model = read(witness, attaining_model=_model_domain(tokens))["attaining_model"]
        value = _likelihood(model, tokens)
        proper = all(_is_distribution(row) for row in model.values())
        return Replay(proper and value == Fraction(best), {"likelihood of the witness model": value, "stated best": Fraction(best)})
    if "model" in witness:
        return _replay_model_likelihood(witness, tokens=tokens, bound=best)
    read(witness, stated_best=exactly(best))
    value = analyse_bigram(tokens).max_likelihood
    return Replay(value == Fraction(best), {"relative-frequency model's likelihood": value, "stated best": Fraction(best)})


@claim(
    "ex3.a.bigram_best_likelihood",
    exercise=3, part="a",
    anchors=cites("<start> This is a very very unimaginative example sentence"),
    statement="The largest likelihood any bigram model gives the example sentence is exactly 1/4.",
    asserts="(beyond the sheet) the best a bigram model can do, given that 'very' is followed once by 'very' and once by "
            "'unimaginative'",
    formal="for every context w and distribution p(.|w): prod over the steps after w of p(x_t|w) <= prod_v "
           "(count(w,v)/count(w))^count(w,v) (z3, one query per context); the likelihood, a product of these non-negative "
           "per-context products, is then <= 1/4 (z3); the relative-frequency model attains 1/4 (replayed exactly)",
    requires=Verdict.PROVED,
    params={"tokens": SENTENCE, "best": Fraction(1, 4)},
    assumptions=BIGRAM_ASSUMPTIONS,
    perturbations=(
        Perturbation("best_half", {"best": Fraction(1, 2)}, "best likelihood 1/2"),
        Perturbation("best_eighth", {"best": Fraction(1, 8)}, "best likelihood 1/8"),
    ),
    replay=_replay_best,
)
def bigram_best_likelihood(tokens, best) -> Outcome:
    analysis = analyse_bigram(tokens)
    answers = {}
    bounds = []
    # per context w: the product of its factors p(v|w)^count(w,v) is at most prod_v (count(w,v)/count(w))^count(w,v)
    for n_ctx, (ctx, counts) in enumerate(analysis.successors.items()):
        total = sum(counts.values())
        bound = Fraction(1)
        for k in counts.values():
            bound *= Fraction(k, total) ** k
        bounds.append(bound)
        # p(v|ctx) for the words that follow ctx, and the mass of every other word pooled
        q = {v: z3.Real(f"q_{n_ctx}_{k}") for k, v in enumerate(counts)}
        rest = z3.Real(f"rest_{n_ctx}")
        rows = [*(x >= 0 for x in q.values()), rest >= 0, z3.Sum([*q.values(), rest]) == 1]
        factors = [q[v] for v, k in counts.items() for _ in range(k)]
        product = z3.Product(factors) if len(factors) > 1 else factors[0]
        answer = prove(product <= z3.RealVal(f"{bound.numerator}/{bound.denominator}"), [*q.values(), rest], given=rows)
        answers[f"context {ctx!r}: product <= {bound}"] = answer.answer
        if answer.answer != "unsat":
            return validity(answer, evidence={"per_context": answers})
    # the likelihood is the product of the per-context products, each between 0 and its bound
    fs = [z3.Real(f"f_{k}") for k in range(len(bounds))]
    top = analysis.max_likelihood
    given = [z3.And(f >= 0, f <= z3.RealVal(f"{b.numerator}/{b.denominator}")) for f, b in zip(fs, bounds)]
    answer = prove(z3.Product(fs) <= z3.RealVal(f"{top.numerator}/{top.denominator}") if len(fs) > 1 else fs[0] <= top, fs, given=given)
    answers[f"product of the contexts <= {top}"] = answer.answer
    evidence = {"explanation": analysis.explain(), "relative_frequency_likelihood": top, "queries": answers}
    if answer.answer != "unsat":
        return validity(answer, evidence=evidence)
    bound = Fraction(best)
    # what was decided: the bound on the product of the contexts (the query z3 proved), and the relative-frequency
    # model's likelihood, the product of its factors along the sentence, against the stated best
    attained = sympy.Mul(*(sympy.Rational(analysis.best_model[a][b].numerator, analysis.best_model[a][b].denominator)
                           for a, b in zip(tokens, tokens[1:])), evaluate=False)
    decided = [z3.ForAll(fs, z3.Implies(z3.And(given), z3.Product(fs) <= z3.RealVal(f"{top.numerator}/{top.denominator}")))
               if len(fs) > 1 else z3.ForAll(fs, z3.Implies(given[0], fs[0] <= top)),
               sympy.Eq(attained, sympy.Rational(bound.numerator, bound.denominator), evaluate=False)]
    if top > bound:
        return computed(False, method="z3 + exact arithmetic", evidence=evidence, witness={"model": analysis.best_model},
                        failure="a bigram model beats the stated best", statement=decided)
    if top < bound:
        return computed(False, method="z3 + exact arithmetic", evidence=evidence, witness={"stated_best": bound},
                        failure="no model attains the stated best", statement=decided)
    return computed(True, method="z3 + exact arithmetic", evidence=evidence, witness={"attaining_model": analysis.best_model},
                    reason="upper bound proved context by context and attained", statement=decided)


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


@claim(
    "ex3.b.no_recurrence_is_bigram",
    exercise=3, part="b",
    anchors=cites("just be a bi-gram model"),
    statement="Without the h^{t-1} input, the next-word distribution is a function of x_{t-1} alone for all weights and "
              "sizes, so the network is a bigram model and cannot give the sentence likelihood 1.",
    formal="softmax_k(sum_j U[k,j] f(sum_i W[j,i] phi_i - 1) - 1) over symbolic sizes m, |V|: its free symbols are the "
           "weights and phi = phi(x_{t-1}) only (sympy); hence p(x_t|history) = p(x_t|x_{t-1}), a bigram model, whose "
           "likelihood of the sentence is at most the bigram maximum",
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
