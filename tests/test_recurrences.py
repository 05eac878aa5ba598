"""Recurrences at every step (proofs.recurrences): true statements proved by the engine's induction, false ones refuted
with an input sequence that a plain run of the network (claims/mystery.py) confirms, and fail-closed where the states
are not finitely many."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Bit, ForgedWitness, Perturbation, Indexed, IntRange, Real, Verdict, always, forall, implies, ite, minimum, recurrence
from proofs.claims import mystery
from proofs.evaluate import evaluate

SHEET = {"w1": -1, "w2": 1, "b2": Fraction(1, 2), "w3": -1, "b3": 1}


def _network(w1, w2, b2, x):
    return recurrence(lambda h, x_t: ite(w1 * x_t + w2 * h + b2 > 0, 1, 0), 0, x)


def _behaviour(x):
    return recurrence(lambda y, x_t: ite(x_t == 0, 0, y), 1, x)


@forall("demo.ex2.a.rnn", "The threshold RNN outputs 1 until the first 0.",
        perturb={"w1_plus": {"w1": 1}, "b3_zero": {"b3": 0}, "h0_one": {"h0": 1}})
def rnn(t: IntRange(1, None), x: Indexed(Bit), w1=-1, w2=1, b2=Fraction(1, 2), w3=-1, b3=1, h0=0):
    h = recurrence(lambda h, x_t: ite(w1 * x_t + w2 * h + b2 > 0, 1, 0), h0, x)
    return w3 * h[t] + b3 == _behaviour(x)[t]


def _refuted_by_a_plain_run(claim, result, weights, h0=0):
    """The counterexample is an input sequence on which the plain network departs from the behaviour at step t, and
    the claim's own replay agrees."""
    assert result.verdict is Verdict.REFUTED, result.reason
    witness = result.evidence["counterexample"]
    t, xs = witness["t"], witness["x"]
    assert len(xs) == t and set(xs) <= {0, 1}
    assert mystery.run(weights, xs, h0)[t - 1] != mystery.behaviour(xs)[t - 1]
    assert not claim.replay(witness, **{**claim.params, **weights, "h0": h0}).holds


def test_the_sheets_weights_are_proved_at_every_step_by_induction():
    result = evaluate(rnn)
    assert result.verdict is Verdict.PROVED
    induction = result.evidence["induction"]
    assert induction["invariant"] == ["(0, 1)", "(1, 0)"]
    assert induction["base"].startswith("the states at t = 0: (0, 1)")
    assert result.evidence["z3"] == "unsat"


@pytest.mark.parametrize("name", ["w1_plus", "b3_zero", "h0_one"])
def test_a_wrong_weight_is_refuted_by_an_input_sequence_a_plain_run_confirms(name):
    perturbation = rnn.perturbation(name)
    result = evaluate(rnn, perturbation)
    values = {**SHEET, **{k: v for k, v in perturbation.params.items() if k in SHEET}}
    _refuted_by_a_plain_run(rnn, result, values, perturbation.params.get("h0", 0))


def test_a_wrong_invariant_is_refuted():
    @forall("demo.ex2.b.invariant", "h_t is the behaviour (it is its complement).")
    def invariant(t: IntRange(1, None), x: Indexed(Bit)):
        return _network(-1, 1, Fraction(1, 2), x)[t] == _behaviour(x)[t]

    result = evaluate(invariant)
    assert result.verdict is Verdict.REFUTED
    witness = result.evidence["counterexample"]
    assert witness["t"] == 1 and len(witness["x"]) == 1
    h = mystery.run({**SHEET, "w3": 1, "b3": 0}, witness["x"])  # y = h
    assert h[-1] != mystery.behaviour(witness["x"])[-1]


def test_the_complement_invariant_is_proved():
    @forall("demo.ex2.c.complement", "h_t = 1 - the behaviour.")
    def complement(t: IntRange(1, None), x: Indexed(Bit)):
        return _network(-1, 1, Fraction(1, 2), x)[t] == 1 - _behaviour(x)[t]

    assert evaluate(complement).verdict is Verdict.PROVED


def test_a_wrong_index_order_is_refuted():
    @forall("demo.ex2.d.swapped", "w1 on the hidden state and w2 on the input.")
    def swapped(t: IntRange(1, None), x: Indexed(Bit), w1=-1, w2=1, b2=Fraction(1, 2)):
        h = recurrence(lambda h, x_t: ite(w1 * h + w2 * x_t + b2 > 0, 1, 0), 0, x)
        return 1 - h[t] == _behaviour(x)[t]

    @forall("demo.ex2.e.lagged", "y_t read from h_{t-1}.")
    def lagged(t: IntRange(1, None), x: Indexed(Bit)):
        return 1 - _network(-1, 1, Fraction(1, 2), x)[t - 1] == _behaviour(x)[t]

    for claim in (swapped, lagged):
        result = evaluate(claim)
        assert result.verdict is Verdict.REFUTED, (claim.id, result.reason)
        witness = result.evidence["counterexample"]
        assert not claim.replay(witness, **claim.params).holds
    xs = evaluate(swapped).evidence["counterexample"]["x"]
    assert mystery.run({"w1": 1, "w2": -1, "b2": Fraction(1, 2), "w3": -1, "b3": 1}, xs) != mystery.behaviour(xs)


def test_a_later_first_step_is_the_base_of_the_induction():
    def statement(start):
        @forall(f"demo.ex2.f.from_{start}", "After two steps the capped counter is 2.")
        def capped(t: IntRange(start, None), x: Indexed(Bit)):
            return recurrence(lambda c, x_t: minimum(c + 1, 2), 0, x)[t] >= 2
        return capped

    assert evaluate(statement(2)).verdict is Verdict.PROVED
    wrong = evaluate(statement(1))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"]["t"] == 1


def test_two_input_sequences():
    @forall("demo.ex2.g.two", "The parity of the disagreements is a bit.", perturb={"two": {"k": 2}})
    def parity(t: IntRange(1, None), x: Indexed(Bit), z: Indexed(Bit), k=1):
        p = recurrence(lambda p, a, b: ite(a == b, p, k - p), 0, x, z)
        return (p[t] == 0) | (p[t] == 1)

    assert evaluate(parity).verdict is Verdict.PROVED
    wrong = evaluate(parity, parity.perturbation("two"))
    assert wrong.verdict is Verdict.REFUTED and not parity.replay(wrong.evidence["counterexample"], k=2).holds


def test_unboundedly_many_states_fail_closed_and_a_false_statement_is_still_refuted():
    @forall("demo.ex2.h.counter", "A counter of ones is at most t.")
    def at_most_t(t: IntRange(1, None), x: Indexed(Bit)):
        return recurrence(lambda c, x_t: c + x_t, 0, x)[t] <= t

    @forall("demo.ex2.i.counter", "A counter of ones stays at most 2.")
    def at_most_two(t: IntRange(1, None), x: Indexed(Bit)):
        return recurrence(lambda c, x_t: c + x_t, 0, x)[t] <= 2

    @forall("demo.ex2.h.never_minus_one", "A counter of ones is never -1 (true, but not inductive as it stands).")
    def never_minus_one(t: IntRange(1, None), x: Indexed(Bit)):
        return recurrence(lambda c, x_t: c + x_t, 0, x)[t] != -1

    @forall("demo.ex2.h.never_negative", "A counter of ones is never negative (inductive).")
    def never_negative(t: IntRange(1, None), x: Indexed(Bit)):
        return recurrence(lambda c, x_t: c + x_t, 0, x)[t] >= 0

    assert evaluate(never_minus_one).verdict is Verdict.UNKNOWN  # more states than explored; the step alone fails
    assert evaluate(never_negative).verdict is Verdict.PROVED  # the step holds for every state: induction on t
    assert evaluate(at_most_t).verdict is Verdict.PROVED  # it reads t: by induction on t (see below)
    wrong = evaluate(at_most_two)
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["counterexample"] == {"t": 3, "x": [1, 1, 1]}


def test_a_step_without_a_value_refutes():
    @forall("demo.ex2.j.undefined", "1/(c - x_t) stays below 5.")
    def undefined(t: IntRange(1, None), x: Indexed(Bit)):
        return recurrence(lambda c, x_t: 1 / (c - x_t), 2, x)[t] <= 5

    result = evaluate(undefined)
    assert result.verdict is Verdict.REFUTED and "division by zero" in result.reason


def test_forged_sequences_are_errors_not_refutations():
    for witness in ({"t": 2, "x": [1]}, {"t": 1, "x": [3]}, {"t": 0, "x": []}, {"t": 1, "x": 1}):
        with pytest.raises(ForgedWitness):
            rnn.replay(witness, **rnn.params)


def _g(w1, w2, b2):
    return lambda x, h: ite(w1 * x + w2 * h + b2 > 0, 1, 0)


@forall("demo.ex2.k.forced", "Every realising weight choice has g(0, 1) = 1 and k(1) = 0.",
        perturb={"g01": {"g01": 0}, "k1": {"k1": 1}})
def forced(w1: Real, w2: Real, b2: Real, w3: Real, b3: Real, g01=1, k1=0):
    g = _g(w1, w2, b2)
    realises = always(lambda t, x: w3 * recurrence(lambda h, x_t: g(x_t, h), 0, x)[t] + b3 == _behaviour(x)[t],
                      Indexed(Bit))
    return implies(realises, (g(0, 1) == g01) & (w3 + b3 == k1))


def test_a_forced_condition_is_proved_over_every_length():
    assert evaluate(forced).verdict is Verdict.PROVED


@pytest.mark.parametrize("name", ["g01", "k1"])
def test_a_wrong_forced_condition_is_refuted_by_weights_that_realise_the_behaviour(name):
    result = evaluate(forced, forced.perturbation(name))
    assert result.verdict is Verdict.REFUTED
    w = {k: Fraction(v) for k, v in result.evidence["counterexample"].items()}
    assert mystery.first_violation(w) is None  # a plain search: these weights realise the behaviour at every length
    stated = {**forced.params, **forced.perturbation(name).params}
    assert (mystery.step(w, 0, 1), w["w3"] + w["b3"]) != (stated["g01"], stated["k1"])  # the stated values are broken
    assert not forced.replay(result.evidence["counterexample"], **{**forced.params, **forced.perturbation(name).params}).holds


def test_always_over_unboundedly_many_values_is_not_decided():
    @forall("demo.ex2.l.unbounded", "A counter scaled by w is never above 5 when w <= 0.")
    def unbounded(w: Real):
        return implies(w <= 0, always(lambda t, x: w * recurrence(lambda c, x_t: c + x_t, 0, x)[t] <= 5, Indexed(Bit)))

    assert evaluate(unbounded).verdict is not Verdict.PROVED


def test_always_is_refused_without_sequence_domains():
    with pytest.raises(TypeError):
        always(lambda t, x: x[t] == 0, Real)
    with pytest.raises(TypeError):
        always(lambda t: t == 0, Indexed(Bit))
    with pytest.raises(TypeError):
        recurrence(lambda h: h, 0)


weight = st.sampled_from([Fraction(v) for v in (-2, -1, Fraction(-1, 2), 0, Fraction(1, 2), 1, 2)])


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.fixed_dictionaries({n: weight for n in mystery.NAMES}))
def test_the_verdict_at_any_weights_agrees_with_a_plain_search(w):
    """The engine's verdict on the network at fixed weights against the reference's breadth-first search."""
    result = evaluate(rnn, Perturbation("weights", w))
    bad = mystery.first_violation(w)
    if bad is None:
        assert result.verdict is Verdict.PROVED
    else:
        assert result.verdict is Verdict.REFUTED
        assert len(result.evidence["counterexample"]["x"]) == len(bad)
        _refuted_by_a_plain_run(rnn, result, w)


@forall("demo.ex2.m.stated", "Every realising weight choice has these values of g and k.")
def stated_table(w1: Real, w2: Real, b2: Real, w3: Real, b3: Real, h0=0, g00=1, g01=1, g10=0, g11=1, k0=1, k1=0):
    g = _g(w1, w2, b2)
    realises = always(lambda t, x: w3 * recurrence(lambda h, x_t: g(x_t, h), h0, x)[t] + b3 == _behaviour(x)[t],
                      Indexed(Bit))
    return implies(realises, (g(0, 0) == g00) & (g(0, 1) == g01) & (g(1, 0) == g10) & (g(1, 1) == g11)
                   & (b3 == k0) & (w3 + b3 == k1))


def _forced_by_tables(h0, g, k) -> bool:
    """The oracle: the transition tables weights realising the behaviour can induce, each decided by exact linear
    feasibility (claims/mystery.py), none of them z3 or the written-out always(...)."""
    from proofs import Constraint

    tables = mystery.table_decision({}, h0)
    if any(t != "".join(str(v) for v in g) for t in tables):
        return False
    one = Fraction(1)
    for h, value in ((0, k[0]), (1, k[1])):
        for alternative in ([Constraint({"w3": Fraction(h), "b3": one}, "<", Fraction(value))],
                            [Constraint({"w3": -Fraction(h), "b3": -one}, "<", -Fraction(value))]):
            if mystery.table_decision({}, h0, extra=alternative):
                return False
    return True


@pytest.mark.slow
@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 1), st.tuples(*[st.integers(0, 1)] * 4), st.tuples(st.integers(0, 1), st.integers(0, 1)))
def test_forced_conditions_agree_with_the_transition_tables(h0, g, k):
    values = {"h0": h0, "g00": g[0], "g01": g[1], "g10": g[2], "g11": g[3], "k0": k[0], "k1": k[1]}
    result = evaluate(stated_table, Perturbation("stated", values))
    truth = _forced_by_tables(h0, g, k)
    assert result.verdict is (Verdict.PROVED if truth else Verdict.REFUTED), (values, result.reason)
    if not truth:
        w = {n: Fraction(v) for n, v in result.evidence["counterexample"].items()}
        assert mystery.first_violation(w, h0) is None


def test_the_sheets_forced_conditions_agree_with_the_transition_tables():
    assert _forced_by_tables(0, (1, 1, 0, 1), (1, 0))
    assert evaluate(stated_table).verdict is Verdict.PROVED
    assert not _forced_by_tables(0, (1, 0, 0, 1), (1, 0))


def test_always_reading_the_step_itself_is_not_written_out_to_the_state_bound():
    """Written out only to the length the states bound, a body reading t would be 'proved': it fails at t = 6."""
    @forall("demo.ex2.n.reads_t", "Once a 1 came, w·c_t = 0 up to step 5 only.")
    def reads_t(w: Real):
        seen = lambda x: recurrence(lambda c, x_t: ite(x_t == 1, 1, c), 0, x)  # noqa: E731
        return implies(w > 0, always(lambda t, x: (w * seen(x)[t] == 0) | (t <= 5), Indexed(Bit)))

    assert evaluate(reads_t).verdict is not Verdict.PROVED


def test_a_state_that_is_not_rational_fails_closed():
    @forall("demo.ex2.o.irrational", "A square root state stays below 2.")
    def irrational(t: IntRange(1, None), x: Indexed(Bit)):
        from proofs import sqrt
        return recurrence(lambda c, x_t: ite(x_t == 1, sqrt(2), c), 0, x)[t] < 2

    assert evaluate(irrational).verdict is Verdict.UNKNOWN


# A statement that reads t itself, over a recurrence whose values are unbounded (a counter of ones): no finite set of
# joint states, so it is proved by induction on t (the base on every input sequence of length k, exactly; the step by
# z3), and a false one is refuted at an exact point, never proved.
def _ones(x):
    return recurrence(lambda h, x_t: h + x_t, 0, x)


@forall("demo.ex7.a.at_most_t", "After t steps at most t ones were seen.", perturb={"one_less": {"slack": -1}})
def _at_most_t(t: IntRange(1, None), x: Indexed(Bit), slack=0):
    return _ones(x)[t] <= t + slack


@forall("demo.ex7.b.from_three", "From step 3 on, the ones seen and the current input are at most 2t - 2.",
        perturb={"tighter": {"c": 3}})
def _from_three(t: IntRange(3, None), x: Indexed(Bit), c=2):
    return _ones(x)[t] + x[t] <= 2 * t - c


def test_a_statement_reading_t_over_an_unbounded_recurrence_is_proved_by_induction_on_t():
    for claim in (_at_most_t, _from_three):
        proved = evaluate(claim)
        assert proved.verdict is Verdict.PROVED, (claim.id, proved.reason)
        assert "induction" in proved.evidence and proved.evidence["induction"]["base"].startswith("holds at t =")
        wrong = evaluate(claim, claim.perturbations[0])
        assert wrong.verdict is Verdict.REFUTED, (claim.id, wrong.reason)
        assert claim.replay(wrong.evidence["counterexample"], **wrong_params(claim)).holds is False


def wrong_params(claim):
    return {**claim.params, **claim.perturbations[0].params}
