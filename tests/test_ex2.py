import itertools
from fractions import Fraction

import pytest
import z3
from hypothesis import given, settings, strategies as st

from proofs.claims import ex2
from proofs import Status
from proofs.evaluate import evaluate
from proofs.solvers.smt import exact

weight = st.fractions(-3, 3, max_denominator=4)
weights = st.fixed_dictionaries({n: weight for n in ex2.NAMES})
bits = st.lists(st.integers(0, 1), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(weights, bits)
def test_z3_encoding_agrees_with_running_the_network(w, xs):
    W = {n: ex2._const(v) for n, v in w.items()}
    encoded = [exact(z3.simplify(y)) for y in ex2._net_outputs(W, xs)]
    assert encoded == ex2.run(w, xs)


@settings(max_examples=100, deadline=None)
@given(weights)
def test_joint_automaton_search_agrees_with_brute_force(w):
    bad = ex2.first_violation(w)
    brute = next((list(xs) for n in range(1, 7) for xs in itertools.product((0, 1), repeat=n)
                  if ex2.run(w, xs) != ex2.behaviour(xs)), None)
    if bad is None:
        assert brute is None
    else:
        assert brute is not None and len(bad) == len(brute)
        assert ex2.run(w, bad) != ex2.behaviour(bad)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(ex2.NAMES), st.sampled_from([Fraction(-1), Fraction(0), Fraction(1, 2), Fraction(1)]), max_size=2))
def test_table_decision_agrees_with_z3_synthesis(fixed):
    answer, _ = ex2.synthesize(fixed=fixed)
    assert (answer.answer == "sat") == bool(ex2.table_decision(fixed))


def test_sheet_example_and_behaviour():
    assert ex2.run(ex2.SHEET, [1, 1, 1, 0, 1, 0, 1]) == [1, 1, 1, 0, 0, 0, 0]
    assert ex2.behaviour([1, 1, 0, 1]) == [1, 1, 0, 0]


def test_output_uniqueness_is_an_erratum_and_hidden_freedom_holds():
    assert evaluate(ex2.nonunique_output).status is Status.ERRATUM
    assert evaluate(ex2.nonunique_hidden).status is Status.PASS
    assert evaluate(ex2.output_forced).status is Status.PASS


@pytest.mark.parametrize("witness", [{"t": 1, "x": [2]}, {"t": 3, "x": [1, 1]}, {"t": 0, "x": [1]}, {"t": 1, "x": "1"},
                                     {"t": 1}, {"t": "1/2", "x": [1]}, {"t": 1, "x": [1], "inputs": "1"}])
def test_sequence_replay_rejects_inputs_that_are_not_binary(witness):
    from proofs import ForgedWitness
    from proofs.claims import ex2

    c = ex2.all_sequences
    with pytest.raises(ForgedWitness):
        c.replay(witness, **c.params)


def test_the_output_erratum_agrees_with_the_transition_tables():
    """The statement's refutation (z3 on always(...) written out) against the exact feasibility of the 16 transition
    tables, which share none of its code: no realisable weights have w3 != -1 or b3 != 1, while w1, w2, b2 can vary."""
    from proofs import Constraint, Verdict

    def alternatives(name, value):
        one, v = Fraction(1), Fraction(value)
        return [[Constraint({name: one}, "<", v)], [Constraint({name: -one}, "<", -v)]]

    def free(name):
        return any(ex2.table_decision({}, 0, extra=alt) for alt in alternatives(name, ex2.SHEET[name]))

    assert [free(n) for n in ex2.NAMES] == [True, True, True, False, False]
    assert evaluate(ex2.nonunique_output).verdict is Verdict.REFUTED
    hidden = evaluate(ex2.nonunique_hidden)
    assert hidden.verdict is Verdict.PROVED
    for row, name in zip(hidden.evidence["witness"]["other"], ("w1", "w2", "b2")):
        w = dict(zip(ex2.NAMES, (Fraction(v) for v in row)))
        assert ex2.first_violation(w) is None and w[name] != ex2.SHEET[name]
