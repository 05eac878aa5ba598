"""Exercise 2 (mystery RNN): the threshold RNN that outputs 1 until the first 0 and 0 from then on."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Mapping, Sequence

import z3

from proofs.claims.mystery import NAMES, _bits, behaviour, first_violation, run, step, table_decision  # noqa: F401
from proofs.claims.sheet import cites
from proofs import (
    Bit, Erratum, Indexed, IntRange, Matrix, Outcome, Perturbation, Real, Replay, Row, SmtAnswer, Verdict, always, claim, existence,
    exists, forall, implies, ite, recurrence, solve,
)
from proofs.claims.witness import exactly, rational, read, record

# The solution's weights: h_t = f(-x_t + h_{t-1} + 0.5), y_t = -h_t + 1.
SHEET = {"w1": -1, "w2": 1, "b2": Fraction(1, 2), "w3": -1, "b3": 1}
# Sequences of length <= this seed the synthesis; counterexamples of any length are added as found.
SEED_LENGTH = 3

ASSUMPTIONS = (
    "weights and biases range over all real numbers",
    "h_0 = 0 and f(z) = 1 if z > 0 else 0, as the sheet states",
    "the described behaviour is y_t = 1 when x_1..x_t are all 1 and y_t = 0 otherwise; the example 1110101 -> 1110000 "
    "fixes that the output is already 0 at the step of the first 0",
    "outputs are binary, so the linear output must equal 0 or 1 exactly",
)


# Real weights and biases, exactly.
WEIGHTS = record(**{n: rational() for n in NAMES})


# z3 encoding: the hidden state is a Bool (h = 1), so every term stays linear in the weights.

def _symbols() -> dict[str, z3.ArithRef]:
    return {n: z3.Real(n) for n in NAMES}


def _const(v) -> z3.ArithRef:
    v = Fraction(v)
    return z3.RealVal(f"{v.numerator}/{v.denominator}")


def _fires(W, x: int, h) -> z3.BoolRef:
    pre = (W["w1"] if x else 0) + (z3.If(h, W["w2"], 0) if isinstance(h, z3.BoolRef) else W["w2"] * h) + W["b2"]
    return pre > 0


def _net_outputs(W, xs: Sequence[int], h0=0) -> list:
    h = z3.BoolVal(bool(h0)) if h0 in (0, 1) else h0
    ys = []
    for x in xs:
        h = _fires(W, x, h)
        ys.append(z3.If(h, W["w3"] + W["b3"], W["b3"]))
    return ys


def _matches(W, xs, h0=0) -> z3.BoolRef:
    return z3.And(*[y == want for y, want in zip(_net_outputs(W, xs, h0), behaviour(xs))])


def _seed_sequences() -> list[tuple[int, ...]]:
    return [xs for n in range(1, SEED_LENGTH + 1) for xs in itertools.product((0, 1), repeat=n)]


def synthesize(extra=lambda W: [], fixed: Mapping = None, h0=0, rounds: int = 12) -> tuple[SmtAnswer, list]:
    """Weights reproducing the behaviour at every length, found by z3 with counterexample-guided refinement.

    sat: the model has been checked for every length by `first_violation`. unsat: no real weights
    reproduce the behaviour even on the sequences listed (so none reproduce it at every length).
    """
    W = _symbols()
    seqs = _seed_sequences()
    fixed_eqs = [W[n] == _const(v) for n, v in (fixed or {}).items()]
    for _ in range(rounds):
        answer = solve([*fixed_eqs, *extra(W), *[_matches(W, xs, h0) for xs in seqs]], W.values())
        if answer.answer != "sat":
            return answer, seqs
        bad = first_violation(answer.model, h0)
        if bad is None:
            return answer, seqs
        seqs.append(tuple(bad))
    return SmtAnswer("unknown", None, f"no stable model after {rounds} refinement rounds", answer.smt2), seqs


# ex2.weights: the solution's weights

def _every(parts):
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


@forall(
    "ex2.weights.example_sequence",
    "With w1 = -1, w2 = 1, b2 = 0.5, w3 = -1, b3 = 1 the network maps the inputs 1110101 to the outputs 1110000.",
    cites=cites("inputs 1110101 produced the outputs 1110000", "w_1 = -1, w_2 = 1, b_2 = 0.5", "w_3 = -1, b_3 = 1"),
    assumptions=ASSUMPTIONS,
    perturb={"w3_plus": {"w3": 1}, "b2_minus": {"b2": Fraction(-1, 2)}, "outputs_1110101": {"outputs": "1110101"}},
)
def example_sequence(w1=SHEET["w1"], w2=SHEET["w2"], b2=SHEET["b2"], w3=SHEET["w3"], b3=SHEET["b3"], inputs="1110101",
                     outputs="1110000"):
    # the network unrolled on the inputs: h_0 = 0, h_t = f(w1 x_t + w2 h_{t-1} + b2) with f(z) = 1 for z > 0 and 0
    # otherwise, and each output y_t = w3 h_t + b3 is the stated one
    h, ys = 0, []
    for x in inputs:
        h = ite(w1 * int(x) + w2 * h + b2 > 0, 1, 0)
        ys.append(w3 * h + b3 == int(outputs[len(ys)]))
    return _every(ys)


@forall(
    "ex2.weights.all_sequences",
    "With the solution's weights the network outputs 1 until the first 0 and 0 from then on, for every binary "
    "input sequence of every length.",
    cites=cites("w_1 = -1, w_2 = 1, b_2 = 0.5", "w_3 = -1, b_3 = 1", "h_0 = 0"),
    assumptions=ASSUMPTIONS,
    perturb={"b2_zero": {"b2": 0}, "w2_zero": {"w2": 0}, "h0_one": {"h0": 1}},
)
def all_sequences(t: IntRange(1, None), x: Indexed(Bit), w1=SHEET["w1"], w2=SHEET["w2"], b2=SHEET["b2"], w3=SHEET["w3"],
                  b3=SHEET["b3"], h0=0):
    # at every step t of every binary input sequence x: the network's output y_t = w3 h_t + b3, with
    # h_t = f(w1 x_t + w2 h_{t-1} + b2) from h_0, is the behaviour: 1 at first, 0 from the first input 0 on
    h = recurrence(lambda h, x_t: ite(w1 * x_t + w2 * h + b2 > 0, 1, 0), h0, x)
    behaviour = recurrence(lambda y, x_t: ite(x_t == 0, 0, y), 1, x)
    return w3 * h[t] + b3 == behaviour[t]


def _weights_witness(model: Mapping) -> dict:
    return {n: model[n] for n in NAMES}


def _replay_valid_weights(witness, *, h0=0, **_):
    """Do the weights reproduce the behaviour at every length, and the sheet's example in particular?"""
    w = read(witness, weights=WEIGHTS)["weights"]
    bad = first_violation(w, h0)
    example = run(w, [1, 1, 1, 0, 1, 0, 1], h0)
    return Replay(bad is None and example == behaviour([1, 1, 1, 0, 1, 0, 1]),
                  {"first departing sequence": "none" if bad is None else _bits(bad), "example outputs": [str(v) for v in example]})


def _replay_no_weights(witness, *, fixed, h0=0, **_):
    """Independent decision by the 16 transition tables: which could weights with the fixed values realise?"""
    w = read(witness, fixed=exactly(fixed))
    tables = table_decision({n: Fraction(v) for n, v in w["fixed"].items()}, h0)
    return Replay(bool(tables), {"realisable transition tables g(0,0)g(0,1)g(1,0)g(1,1)": tables or "none"})


def _replay_synthesis(witness, **params):
    return (_replay_valid_weights if "weights" in witness else _replay_no_weights)(witness, **params)


@claim(
    "ex2.synthesis.from_behaviour",
    exercise=2, part=None,
    anchors=cites("h_t &= f(w_1 x_t + w_2 h_{t-1} + b_2)", "y_t &= w_3 h_t + b_3", "1, & z > 0"),
    statement="Real weights exist that make the network output 1 until the first 0 and 0 from then on, at every length; "
              "z3 finds them from the behaviour alone.",
    formal="exists (w1, w2, b2, w3, b3) in R^5 such that for all n and x in {0,1}^n the outputs equal prod_{s<=t} x_s; "
           f"z3 solves the constraints of every sequence up to length {SEED_LENGTH} plus any counterexample found, and each model "
           "is checked at every length by the joint-automaton search",
    requires=Verdict.PROVED,
    params={"fixed": {}, "h0": 0},
    assumptions=ASSUMPTIONS,
    perturbations=(
        Perturbation("no_recurrence", {"fixed": {"w2": 0}}, "w2 fixed at 0: no recurrent connection"),
        Perturbation("no_output_bias", {"fixed": {"b3": 0}}, "b3 fixed at 0"),
        Perturbation("flat_output", {"fixed": {"w3": 0}}, "w3 fixed at 0"),
    ),
    replay=_replay_synthesis,
)
def synthesis(fixed, h0) -> Outcome:
    answer, seqs = synthesize(fixed=fixed, h0=h0)
    return existence(answer, evidence={"sequences_constrained": [_bits(s) for s in seqs]},
                     witness=lambda m: {"weights": _weights_witness(m)}, certificate={"fixed": dict(fixed)})


def _f(z):
    """The binary threshold function: 1 where z > 0, 0 otherwise."""
    return ite(z > 0, 1, 0)


def _behaves(g, k, h0):
    """At every step t of every binary input sequence x, the output y_t = k(h_t), with h_t = g(x_t, h_{t-1}) from h_0,
    is the described behaviour: 1 at first, 0 from the first input 0 on."""
    return always(lambda t, x: k(recurrence(lambda h, x_t: g(x_t, h), h0, x)[t])
                  == recurrence(lambda y, x_t: ite(x_t == 0, 0, y), 1, x)[t], Indexed(Bit))


def _network(w1, w2, b2, w3, b3):
    """g(x, h) = f(w1 x + w2 h + b2) and k(h) = w3 h + b3, the sheet's two functions of the network."""
    return (lambda x, h: _f(w1 * x + w2 * h + b2)), (lambda h: w3 * h + b3)


@forall(
    "ex2.conditions.hidden_forced",
    "Any weights that produce the behaviour satisfy g(1,0) = 0, g(0,0) = 1, g(1,1) = 1 and g(0,1) = 1, "
    "where g(x, h) = f(w1 x + w2 h + b2): from h_0 = 0, h stays 0 while the inputs are 1, flips to 1 at the "
    "first x = 0 and stays 1 whatever x follows.",
    cites=cites("0 = g(1, 0)", "1 = g(0, 0)", "1 = g(1, 1)", "1 = g(0, 1)",
                "the value of  $h$  must flip from 0 to 1 after the",
                "continue to be 1 regardless of subsequent values of"),
    assumptions=ASSUMPTIONS,
    perturb={"g01_zero": {"g01": 0}, "g10_one": {"g10": 1}},
)
def hidden_forced(w1: Real, w2: Real, b2: Real, w3: Real, b3: Real, h0=0, g10=0, g00=1, g11=1, g01=1):
    # every weight choice whose network h_t = g(x_t, h_{t-1}), y_t = k(h_t) behaves as described has these values of g
    g, k = _network(w1, w2, b2, w3, b3)
    return implies(_behaves(g, k, h0), (g(1, 0) == g10) & (g(0, 0) == g00) & (g(1, 1) == g11) & (g(0, 1) == g01))


@forall(
    "ex2.conditions.output_forced",
    "Any weights that produce the behaviour satisfy k(0) = 1 and k(1) = 0 for k(h) = w3 h + b3, so w3 = -1 "
    "and b3 = 1 are the only output parameters.",
    cites=cites("1 = k(0)", "0 = k(1)", "w_3 = -1, b_3 = 1"),
    assumptions=ASSUMPTIONS,
    perturb={"k0_zero": {"k0": 0}, "k1_one": {"k1": 1}},
)
def output_forced(w1: Real, w2: Real, b2: Real, w3: Real, b3: Real, h0=0, k0=1, k1=0):
    # every weight choice whose network behaves as described has k(0) = 1 and k(1) = 0
    g, k = _network(w1, w2, b2, w3, b3)
    return implies(_behaves(g, k, h0), (k(0) == k0) & (k(1) == k1))


@exists(
    assumptions=ASSUMPTIONS,
    rows=(
        Row("ex2.nonunique.hidden_params",
            "Each of w1, w2 and b2 can take a value other than the solution's in weights that still produce the behaviour.",
            {"varied": ("w1", "w2", "b2")},
            anchors=cites("w_1 = -1, w_2 = 1, b_2 = 0.5", "more than one correct answer"),
            perturbations={"vary_b3": {"varied": ("b3",)}}),
        Row("ex2.nonunique.output_params",
            "The output parameters w3 and b3 are not unique: other values also produce the behaviour.",
            {"varied": ("w3", "b3")},
            anchors=cites("w_3 = -1, b_3 = 1", "parameter values for the solution are not unique"),
            erratum=Erratum(
                "the outputs must equal 0 and 1 exactly and the hidden state must flip from 0 to 1, so k(0) = b3 = 1 and "
                "k(1) = w3 + b3 = 0: w3 = -1 and b3 = 1 are forced; only w1, w2 and b2 are free",
                corrected_by="ex2.conditions.output_forced",
            )),
    ),
)
def nonunique(other: Matrix(Real, 3, len(NAMES)), varied=("w1", "w2", "b2"), h0=0):
    # for each parameter q the row varies, a weight choice (a row of `other`, in the order w1, w2, b2, w3, b3) whose
    # network behaves as described and whose q differs from the solution's value
    parts = []
    for weights, name in zip(other, varied):
        g, k = _network(*weights)
        parts.append(_behaves(g, k, h0) & (weights[NAMES.index(name)] != SHEET[name]))
    return _every(parts)


nonunique_hidden, nonunique_output = nonunique
