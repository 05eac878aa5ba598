import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from proofs.claims.ex3 import bigram, counter, output, trigram
from proofs.claims.ex3.network import SENTENCE, one_hot, softmax_exp
from proofs import Status, Verdict
from proofs.evaluate import evaluate

# (a) the general bigram procedure against brute force


def _brute_can_reach_one(tokens):
    """Some successor function gives every step probability 1 (deterministic models are the only ones that can)."""
    contexts = sorted(set(tokens[:-1]))
    vocab = sorted(set(tokens))
    for choice in itertools.product(vocab, repeat=len(contexts)):
        succ = dict(zip(contexts, choice))
        if all(succ[p] == n for p, n in zip(tokens, tokens[1:])):
            return True
    return False


def _grid_best(tokens, denominator=6):
    """Best likelihood over models whose probabilities are multiples of 1/denominator (a lower bound on the optimum)."""
    contexts = sorted(set(tokens[:-1]))
    vocab = sorted(set(tokens))
    rows = [r for r in itertools.product(range(denominator + 1), repeat=len(vocab)) if sum(r) == denominator]
    best = Fraction(0)
    per_context = {}
    for ctx in contexts:
        score = Fraction(0)
        for r in rows:
            p = dict(zip(vocab, (Fraction(v, denominator) for v in r)))
            value = Fraction(1)
            for a, b in zip(tokens, tokens[1:]):
                if a == ctx:
                    value *= p[b]
            score = max(score, value)
        per_context[ctx] = score
    best = Fraction(1)
    for v in per_context.values():
        best *= v
    return best


sequences = st.lists(st.sampled_from("abc"), min_size=2, max_size=6)


@settings(max_examples=60, deadline=None)
@given(sequences)
def test_bigram_decision_matches_brute_force(tokens):
    analysis = bigram.analyse_bigram(tokens)
    assert analysis.can_reach_one == _brute_can_reach_one(tokens)
    assert analysis.can_reach_one == (analysis.max_likelihood == 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from("ab"), min_size=2, max_size=5))
def test_bigram_best_is_at_least_every_grid_model_and_attained(tokens):
    analysis = bigram.analyse_bigram(tokens)
    assert analysis.max_likelihood >= _grid_best(tokens)
    assert bigram._likelihood(analysis.best_model, tokens) == analysis.max_likelihood


def test_sheet_sentence_analysis_explains_the_conflict():
    analysis = bigram.analyse_bigram(SENTENCE)
    assert not analysis.can_reach_one and analysis.max_likelihood == Fraction(1, 4)
    assert analysis.conflicts == {"very": {"very": 1, "unimaginative": 1}}
    assert "'very' is followed by" in analysis.explain()


def test_show_explains_the_sentence(tmp_path):
    from conftest import cli

    proc = cli("show", "ex3.a.bigram_cannot_reach_one")
    assert proc.returncode == 0 and "'very' is followed by 'very' (1x), 'unimaginative' (1x)" in proc.stdout


# (c) the counter construction


def test_counter_states_and_limit():
    states, alphas, vocab = counter.counter_network(SENTENCE, 2, -1)
    assert states == [one_hot(t, 9) for t in range(1, 9)]
    assert counter.limit_likelihood(SENTENCE, alphas, vocab) == 1
    _, broken, _ = counter.counter_network(SENTENCE, 1, -1)
    assert counter.limit_likelihood(SENTENCE, broken, vocab) < 1


# (f) the stated weights end to end, vocabulary sizes up to 8, every context


@pytest.mark.parametrize("n", range(1, 9))
def test_stated_weights_give_transposed_pairs_for_every_context(n):
    for a, b in itertools.product(range(n), repeat=2):
        assert trigram.first_mismatch(n, [b, a], "transposed", trigram.SHEET_WEIGHTS) is None
        assert trigram.first_mismatch(n, [b, a], "printed", trigram.CORRECTED_WEIGHTS) is None
    if n >= 2:
        assert trigram.first_mismatch(n, [1, 0], "printed", trigram.SHEET_WEIGHTS) is not None


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.randoms(use_true_random=False))
def test_network_reproduces_random_trigram_tables(n, rnd):
    """Stated hidden weights, output layer from a random positive table: every context's distribution is the table's."""
    table = output.random_table(n, random.Random(rnd.random()))
    for a, b in itertools.product(range(n), repeat=2):
        got = output.network_distribution(n, table, a, b, wiring="transposed", hidden=trigram.SHEET_WEIGHTS)
        assert got == [table[x, a, b] for x in range(n)]


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 6), st.randoms(use_true_random=False))
def test_wiring_by_printed_order_breaks_on_asymmetric_tables(n, rnd):
    table = output.random_table(n, random.Random(rnd.random()))
    mismatched = [(a, b) for a, b in itertools.product(range(n), repeat=2)
                  if output.network_distribution(n, table, a, b, wiring="printed", hidden=trigram.SHEET_WEIGHTS)
                  != [table[x, a, b] for x in range(n)]]
    asymmetric = [(a, b) for a, b in itertools.product(range(n), repeat=2)
                  if any(table[x, a, b] != table[x, b, a] for x in range(n))]
    assert mismatched == asymmetric


def test_softmax_exp_is_exact():
    assert softmax_exp([1, 0, 1], [[Fraction(2), 5, Fraction(3)], [1, 7, 1]]) == [Fraction(6, 7), Fraction(1, 7)]


@pytest.mark.parametrize("claim_id, status", [
    ("ex3.a.bigram_reason", Status.ERRATUM),
    ("ex3.c.likelihood_one_without_input", Status.ERRATUM),
    ("ex3.e.exact_for_every_table", Status.ERRATUM),
    ("ex3.f.hidden_representation", Status.ERRATUM),
])
def test_exercise_3_errata(seed_here, claim_id, status):
    result = evaluate(seed_here.by_id(claim_id))
    assert result.status is status and result.verdict is Verdict.REFUTED


def test_limit_bound_is_a_statement_over_its_domains():
    """|(T + delta)/(1 + n delta) - T| <= n delta is decided over n >= 1, T in [0, 1], delta > 0; a witness outside
    those domains is forged, and the halved bound is refuted at a replayed point."""
    from proofs import ForgedWitness, Verdict
    from proofs.claims.ex3 import output
    from proofs.evaluate import evaluate

    c = output.limit_for_every_table
    assert evaluate(c).verdict is Verdict.PROVED
    half = evaluate(c, c.perturbation("bound_half"))
    assert half.verdict is Verdict.REFUTED and half.evidence["replay"]["holds"] is False
    for forged in ({"n": "1/2", "t": 0, "delta": 1}, {"n": 1, "t": 2, "delta": 1}, {"n": 1, "t": 0, "delta": 0}):
        with pytest.raises(ForgedWitness):
            c.replay(forged, **c.params)


def test_dependencies_are_links(seed_here):
    """What a claim rests on is a link to the claim, related in its result, not a sentence in its assumptions."""
    from proofs.links import closure

    for claim_id, trusted in (("ex3.b.no_recurrence_is_bigram", "ex3.a.bigram_best_likelihood"),
                              ("ex3.f.replicates_trigram", "ex3.f.stated_weights_transposed")):
        c = seed_here.by_id(claim_id)
        assert closure(c)[0] == [trusted]
        assert not any(a.startswith("trusts ") for a in c.assumptions)


@pytest.mark.parametrize("n", range(1, 6))
def test_weight_shapes_match_the_constructed_network(n):
    """ex3.f.weight_shapes says W2 and W3 are |V|^2 x |V|: the explicit network's pair rows read exactly the |V|
    one-hot inputs (W2) and the first |V| units of h^{t-1} (W3)."""
    net = trigram.hidden_net(n, **{k: v for k, v in trigram.SHEET_WEIGHTS.items()})
    pair_rows = range(n, n + n * n)
    assert len(pair_rows) == n ** trigram.weight_shapes.params["rows_power"]
    assert all(len(net["w_in"][r]) == n ** trigram.weight_shapes.params["columns_power"] for r in pair_rows)
    assert all(not any(net["w_rec"][r][n:]) for r in pair_rows)
    assert evaluate(trigram.weight_shapes).verdict is Verdict.PROVED


def test_no_bigram_model_reaches_one_and_the_one_very_sentence_is_refuted_by_a_model_the_plain_likelihood_confirms():
    claim = bigram.bigram_cannot_reach_one
    assert evaluate(claim).verdict is Verdict.PROVED
    wrong = evaluate(claim, claim.perturbation("one_very"))
    assert wrong.verdict is Verdict.REFUTED
    # the counterexample, read as a model p(word | context) over the sentence's pairs, is a table of distributions
    # (each context's listed words sum to at most 1, the rest going to other words) whose likelihood of the sentence
    # with one 'very' is exactly 1, computed by the plain product, not the statement's term
    p = [Fraction(v) for v in wrong.evidence["counterexample"]["p"]]
    model = {}
    for (context, word), value in zip(bigram.PAIRS, p):
        assert 0 <= value <= 1
        model.setdefault(context, {})[word] = value
    assert all(sum(row.values()) <= 1 for row in model.values())
    tokens = tuple(t for i, t in enumerate(SENTENCE) if i != 5)
    assert bigram._likelihood(model, tokens) == 1


def test_the_printed_bigram_reason_is_refuted_by_a_model_giving_both_steps_probability_one():
    wrong = evaluate(bigram.bigram_reason)
    assert wrong.verdict is Verdict.REFUTED
    model = {}
    for (context, word), value in zip(bigram.PAIRS, wrong.evidence["counterexample"]["p"]):
        model.setdefault(context, {})[word] = Fraction(value)
    assert all(0 <= v <= 1 for row in model.values() for v in row.values())
    assert all(sum(row.values()) <= 1 for row in model.values())
    # x3 = 'a', x4 = x5 = 'very' (x0 = <start>): p(x4|x3) = p(very|a) and p(x5|x4) = p(very|very), both 1
    assert (SENTENCE[3], SENTENCE[4], SENTENCE[5]) == ("a", "very", "very")
    assert model["a"]["very"] == 1 and model["very"]["very"] == 1
    assert evaluate(bigram.bigram_reason_corrected).verdict is Verdict.PROVED


def test_the_best_bigram_likelihood_is_a_quarter_and_other_stated_bests_are_refuted():
    claim = bigram.bigram_best_likelihood
    assert evaluate(claim).verdict is Verdict.PROVED
    # the plain product over the sentence of the relative-frequency model (the statement's attaining model) is 1/4: it
    # beats a stated best of 1/8, and no grid model reaches 1/2
    frequencies = bigram.analyse_bigram(SENTENCE).best_model
    assert bigram._likelihood(frequencies, SENTENCE) == Fraction(1, 4) == _grid_best(SENTENCE)
    for name in ("best_half", "best_eighth"):
        wrong = evaluate(claim, claim.perturbation(name))
        assert wrong.verdict is Verdict.REFUTED and len(wrong.evidence["counterexample"]["p"]) == len(bigram.PAIRS)


def test_the_best_bigram_likelihood_statement_is_answered_alike_by_cvc5():
    # one degree-8 query over real variables: declared as the real arithmetic it is, cvc5 decides it too
    pytest.importorskip("cvc5", reason="cvc5 (crosscheck extra) is not installed")
    result = evaluate(bigram.bigram_best_likelihood, cross_check=True)
    assert result.verdict is Verdict.PROVED, result.reason
    assert [(q["z3"], q["cvc5"]) for q in result.evidence["cross_check"]] == [("unsat", "unsat")]


def test_no_finite_logits_give_the_sentence_likelihood_one_and_the_certificate_replays():
    claim = counter.likelihood_one_without_input
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED and result.status is Status.ERRATUM
    assert claim.replay(result.evidence["counterexample"], **claim.params).holds is False
    # a point of the domains is no witness: at z = 0, r = 1 every factor e^0/(e^0 + 1) is 1/2, the likelihood 2^-8
    replayed = claim.replay({"z": [0] * 8, "r": [1] * 8}, **claim.params)
    assert replayed.holds is False
    assert [v for k, v in replayed.sides.items() if k.startswith("left: ")] == [Fraction(1, 256)]


def test_a_table_entry_of_0_or_1_is_no_softmax_probability_but_every_entry_between_is():
    claim = output.exact_for_every_table
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED and result.status is Status.ERRATUM
    t = Fraction(result.evidence["counterexample"]["t"])
    assert t in (0, 1)
    # plain: u/(u + r) with u, r > 0 lies strictly between 0 and 1, and t in (0, 1) is reached at u = t, r = 1 - t
    for u, r in itertools.product([Fraction(1, 7), Fraction(1), Fraction(5)], repeat=2):
        assert 0 < u / (u + r) < 1
    for inner in (Fraction(1, 3), Fraction(99, 100)):
        assert inner / (inner + (1 - inner)) == inner
        assert claim.replay({"t": inner}, **claim.params).holds is True


@pytest.mark.parametrize("shift, bias", [(2, -1), (1, -1), (2, 1)])
def test_the_counter_statements_limit_is_the_plain_networks(shift, bias):
    # the limit the statement computes (sympy) against the plain limit of the network's logits (the winners share the mass)
    claim = counter.likelihood_one_in_the_limit
    params = {**claim.params, "shift_weight": shift, "bias": bias}
    _, alphas, vocab = counter.counter_network(SENTENCE, shift, bias)
    plain = counter.limit_likelihood(SENTENCE, alphas, vocab)
    replayed = claim.replay({"a": 0}, **params)
    assert [v for k, v in replayed.sides.items() if k.startswith("2. left: lim_")] == [plain]
    assert replayed.holds is (plain == 1)
    result = evaluate(claim, claim.perturbation("shift_1" if shift == 1 else "bias_plus_1")) if (shift, bias) != (2, -1) \
        else evaluate(claim)
    assert result.verdict is (Verdict.PROVED if plain == 1 else Verdict.REFUTED)
