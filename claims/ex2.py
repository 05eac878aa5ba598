"""Exercise 2 (mystery RNN): the threshold RNN that outputs 1 until the first 0 and 0 from then on."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Mapping, Sequence

import z3

from proofs.claims.mystery import (NAMES, _bits, _differs, _weights, behaviour, explore, first_violation,  # noqa: F401
                                  run, step, table_decision)
from proofs.claims.sheet import cites
from proofs import (
    Constraint, Erratum, Outcome, Perturbation, Replay, Row, SmtAnswer, Verdict, annotate as annotated, claim, corroborated, disagreement, exhaust,
    exhausted, existence, expect, forall, ite, prove, solve, validity,
)
from proofs.claims.witness import bits, exactly, member, rational, read, record

# The solution's weights: h_t = f(-x_t + h_{t-1} + 0.5), y_t = -h_t + 1.
SHEET = {"w1": -1, "w2": 1, "b2": Fraction(1, 2), "w3": -1, "b3": 1}
# Sequences of length <= this seed the synthesis; counterexamples of any length are added as found.
SEED_LENGTH = 3
# Every input sequence up to this length is also enumerated by ex2.weights.all_sequences.
ENUMERATE_TO = 10

ASSUMPTIONS = (
    "weights and biases range over all real numbers",
    "h_0 = 0 and f(z) = 1 if z > 0 else 0, as the sheet states",
    "the described behaviour is y_t = 1 when x_1..x_t are all 1 and y_t = 0 otherwise; the example 1110101 -> 1110000 "
    "fixes that the output is already 0 at the step of the first 0",
    "outputs are binary, so the linear output must equal 0 or 1 exactly",
)


# Real weights and biases, exactly.
WEIGHTS = record(**{n: rational() for n in NAMES})


def _replay_sequence(witness, *, weights, h0=0, **_):
    w = read(witness, weights=exactly(_weights(weights)), inputs=bits(nonempty=True))
    xs = w["inputs"]
    got, want = run(w["weights"], xs, h0), behaviour(xs)
    return Replay(got == want, {"network": [str(v) for v in got], "behaviour": _bits(want)})


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


@claim(
    "ex2.weights.all_sequences",
    exercise=2, part=None,
    anchors=cites("w_1 = -1, w_2 = 1, b_2 = 0.5", "w_3 = -1, b_3 = 1", "h_0 = 0"),
    statement="With the solution's weights the network outputs 1 until the first 0 and 0 from then on, for every binary "
              "input sequence of every length.",
    formal="for all n >= 1 and x in {0,1}^n: y_t = prod_{s <= t} x_s for t = 1..n. Proof by induction: the set I of "
           "joint states (h, p) reachable from (0, 1) contains the start, is closed under every input, and every "
           f"transition from it outputs y = p' (z3, quantifier-free over reals); every sequence up to length {ENUMERATE_TO} "
           "enumerated",
    requires=Verdict.PROVED,
    params={"weights": SHEET, "h0": 0, "enumerate_to": ENUMERATE_TO},
    assumptions=ASSUMPTIONS,
    perturbations=(
        Perturbation("b2_zero", {"weights": {**SHEET, "b2": 0}}, "b2 = 0 (f(0) = 0 keeps h at 0)"),
        Perturbation("w2_zero", {"weights": {**SHEET, "w2": 0}}, "no recurrent weight"),
        Perturbation("h0_one", {"h0": 1}, "initial hidden value 1"),
    ),
    replay=_replay_sequence,
)
def all_sequences(weights, h0, enumerate_to) -> Outcome:
    w = _weights(weights)
    bad, reach = explore(w, h0)
    W = {n: _const(v) for n, v in w.items()}
    h, p, x = z3.Reals("h p x")
    inv = lambda hh, pp: z3.Or(*[z3.And(hh == _const(a), pp == b) for a, b in reach])  # noqa: E731
    h2 = z3.If(W["w1"] * x + W["w2"] * h + W["b2"] > 0, 1, 0)
    p2 = p * x
    step_ok = z3.Implies(z3.And(inv(h, p), z3.Or(x == 0, x == 1)), z3.And(inv(h2, p2), W["w3"] * h2 + W["b3"] == p2))
    answer = prove(z3.And(inv(_const(h0), 1), step_ok), [h, p, x])
    evidence = {"invariant": [f"(h={a}, p={b})" for a, b in reach], "weights": w}
    witness = lambda _: {"weights": w, "inputs": _bits(bad or [])}  # noqa: E731
    line1 = validity(answer, evidence=evidence, counterexample=witness)
    if (line1.verdict is Verdict.REFUTED) != (bad is not None):
        return disagreement("z3", evidence, "z3 and the reachability search disagree")

    def sequences():
        """Depth-first over every sequence up to the length, carrying the hidden state: one step per sequence.
        Each sequence's earlier outputs are those of its prefixes, which are elements of the domain too."""
        stack = [((), Fraction(h0), 1)]
        while stack:
            xs, h, alive = stack.pop()
            for x in (1, 0):
                if len(xs) < enumerate_to:
                    h2, alive2 = step(w, x, h), alive & x
                    stack.append((xs + (x,), h2, alive2))
                    yield xs + (x,), w["w3"] * h2 + w["b3"], alive2

    line2 = exhausted(exhaust(sequences(), lambda item: item[1] == item[2], name=f"every binary sequence of length 1..{enumerate_to}"),
                      counterexample=lambda item: {"weights": w, "inputs": _bits(item[0])})
    return corroborated(line1, line2)


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


def _g(W, x: int, h: int) -> z3.BoolRef:
    return W["w1"] * x + W["w2"] * h + W["b2"] > 0


def _replay_condition(witness, *, conditions, h0=0, **_):
    """Weights that reproduce the behaviour at every length yet break the stated condition."""
    read_ = read(witness, weights=WEIGHTS, condition=member([list(c) for c in conditions]))
    w, (x, h, value) = read_["weights"], read_["condition"]
    valid = first_violation(w, h0) is None
    actual = step(w, x, h)
    return Replay(not valid or actual == value, {"weights reproduce the behaviour": valid, f"g({x},{h})": actual, "stated": value})


def _conditions_check(conditions, h0, build, breaking_tables, describe) -> Outcome:
    answers = {}
    for cond in conditions:
        answer, _ = synthesize(extra=lambda W, c=cond: [z3.Not(build(W, c))], h0=h0)
        answers[describe(cond)] = answer.answer
        if answer.answer == "sat":
            return validity(answer, evidence={"conditions": answers},
                            counterexample=lambda m, c=cond: {"weights": _weights_witness(m), "condition": list(c)})
        if answer.answer != "unsat":
            return validity(answer, evidence={"conditions": answers})
    breaking = {describe(c): breaking_tables(c) for c in conditions}
    evidence = {"conditions": answers, "realisable_tables": table_decision({}, h0), "tables_breaking_a_condition": breaking}
    if any(breaking.values()):
        return disagreement("z3 + tables", evidence, "z3 and the table decision disagree")
    # every negated condition was unsatisfiable (the loop returns at the first that is not): the last answer proves it
    return annotated(validity(answer, evidence=evidence), method="z3 + tables")


HIDDEN_CONDITIONS = ((1, 0, 0), (0, 0, 1), (1, 1, 1), (0, 1, 1))


@claim(
    "ex2.conditions.hidden_forced",
    exercise=2, part=None,
    anchors=cites("0 = g(1, 0)", "1 = g(0, 0)", "1 = g(1, 1)", "1 = g(0, 1)",
                  "the value of  $h$  must flip from 0 to 1 after the",
                  "continue to be 1 regardless of subsequent values of"),
    statement="Any weights that produce the behaviour satisfy g(1,0) = 0, g(0,0) = 1, g(1,1) = 1 and g(0,1) = 1, "
              "where g(x, h) = f(w1 x + w2 h + b2): from h_0 = 0, h stays 0 while the inputs are 1, flips to 1 at the "
              "first x = 0 and stays 1 whatever x follows.",
    formal="for all (w1, w2, b2, w3, b3) in R^5 reproducing the behaviour at every length, and each listed (x, h, v): "
           "[w1 x + w2 h + b2 > 0] = v; z3 shows each negation unsatisfiable, and the 16 transition tables decided "
           "exactly by Fourier-Motzkin confirm it",
    requires=Verdict.PROVED,
    params={"conditions": HIDDEN_CONDITIONS, "h0": 0},
    assumptions=ASSUMPTIONS,
    perturbations=(
        Perturbation("g01_zero", {"conditions": ((0, 1, 0),)}, "g(0,1) = 0"),
        Perturbation("g10_one", {"conditions": ((1, 0, 1),)}, "g(1,0) = 1"),
    ),
    replay=_replay_condition,
)
def hidden_forced(conditions, h0) -> Outcome:
    return _conditions_check(
        conditions, h0,
        build=lambda W, c: _g(W, c[0], c[1]) == bool(c[2]),
        breaking_tables=lambda c: table_decision({}, h0, table_filter=lambda t: t[(c[0], c[1])] != c[2]),
        describe=lambda c: f"g({c[0]},{c[1]}) = {c[2]}",
    )


def _replay_output_condition(witness, *, conditions, h0=0, **_):
    read_ = read(witness, weights=WEIGHTS, condition=member([list(c) for c in conditions]))
    w, (h, value) = read_["weights"], read_["condition"]
    valid = first_violation(w, h0) is None
    actual = w["w3"] * h + w["b3"]
    return Replay(not valid or actual == value, {"weights reproduce the behaviour": valid, f"k({h})": actual, "stated": value})


@claim(
    "ex2.conditions.output_forced",
    exercise=2, part=None,
    anchors=cites("1 = k(0)", "0 = k(1)", "w_3 = -1, b_3 = 1"),
    statement="Any weights that produce the behaviour satisfy k(0) = 1 and k(1) = 0 for k(h) = w3 h + b3, so w3 = -1 "
              "and b3 = 1 are the only output parameters.",
    requires=Verdict.PROVED,
    params={"conditions": ((0, 1), (1, 0)), "h0": 0},
    assumptions=ASSUMPTIONS,
    perturbations=(
        Perturbation("k0_zero", {"conditions": ((0, 0),)}, "k(0) = 0"),
        Perturbation("k1_one", {"conditions": ((1, 1),)}, "k(1) = 1"),
    ),
    replay=_replay_output_condition,
)
def output_forced(conditions, h0) -> Outcome:
    def breaking_tables(c):
        h, value = c
        one = Fraction(1)
        below = [Constraint({"w3": Fraction(h), "b3": one}, "<", Fraction(value))]
        above = [Constraint({"w3": -Fraction(h), "b3": -one}, "<", -Fraction(value))]
        return [t for alt in (below, above) for t in table_decision({}, h0, extra=alt)]

    return _conditions_check(
        conditions, h0,
        build=lambda W, c: W["w3"] * c[0] + W["b3"] == c[1],
        breaking_tables=breaking_tables,
        describe=lambda c: f"k({c[0]}) = {c[1]}",
    )


def _replay_nonunique(witness, *, varied, reference, h0=0, **_):
    """Existence: each alternative reproduces the behaviour and differs from the reference in its parameter.
    Non-existence: for the parameter named, the table decision finds no realisable weights with another value."""
    if "alternatives" in witness:
        alternatives = read(witness, alternatives=record(**{name: WEIGHTS for name in varied}))["alternatives"]
        sides, ok = {}, True
        for name, w in alternatives.items():
            valid = first_violation(w, h0) is None
            differs = Fraction(w[name]) != Fraction(reference[name])
            sides[name] = f"{w[name]} (reproduces behaviour: {valid})"
            ok = ok and valid and differs
        return Replay(ok, sides)
    name = read(witness, forced=member(varied), value=rational())["forced"]
    expect(witness, value=reference[name])
    tables = [t for alt in _differs(name, reference[name]) for t in table_decision({}, h0, extra=alt)]
    return Replay(bool(tables), {f"tables realisable with {name} != {reference[name]}": tables or "none"})


def _nonunique_check(varied, reference, h0) -> Outcome:
    alternatives, answers = {}, {}
    for name in varied:
        answer, seqs = synthesize(extra=lambda W, n=name: [W[n] != _const(reference[n])], h0=h0)
        answers[name] = answer.answer
        if answer.answer == "sat":
            alternatives[name] = _weights_witness(answer.model)
            continue
        return existence(answer, evidence={"answers": answers}, certificate={"forced": name, "value": reference[name]})
    # z3 found valid weights for every parameter (the loop returns at the first it does not): the last answer proves it
    return existence(answer, evidence={"answers": answers}, witness=lambda _: {"alternatives": alternatives})


NONUNIQUE_FORMAL = ("for each parameter q the row varies: exists (w1, w2, b2, w3, b3) in R^5 reproducing the behaviour at every "
                    "length with q different from the solution's value")


@claim(
    part=None,
    statement="",
    formal=NONUNIQUE_FORMAL,
    requires=Verdict.PROVED,
    assumptions=ASSUMPTIONS,
    replay=_replay_nonunique,
    rows=(
        Row("ex2.nonunique.hidden_params",
            "Each of w1, w2 and b2 can take a value other than the solution's in weights that still produce the behaviour.",
            {"varied": ("w1", "w2", "b2"), "reference": SHEET, "h0": 0},
            anchors=cites("w_1 = -1, w_2 = 1, b_2 = 0.5", "more than one correct answer"),
            perturbations=(Perturbation("vary_b3", {"varied": ("b3",)}, "b3 claimed free as well"),)),
        Row("ex2.nonunique.output_params",
            "The output parameters w3 and b3 are not unique: other values also produce the behaviour.",
            {"varied": ("w3", "b3"), "reference": SHEET, "h0": 0},
            anchors=cites("w_3 = -1, b_3 = 1", "parameter values for the solution are not unique"),
            erratum=Erratum(
                "the outputs must equal 0 and 1 exactly and the hidden state must flip from 0 to 1, so k(0) = b3 = 1 and "
                "k(1) = w3 + b3 = 0: w3 = -1 and b3 = 1 are forced; only w1, w2 and b2 are free",
                corrected_by="ex2.conditions.output_forced",
            )),
    ),
)
def nonunique(varied, reference, h0) -> Outcome:
    return _nonunique_check(varied, reference, h0)


nonunique_hidden, nonunique_output = nonunique
