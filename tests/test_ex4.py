import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from proofs import Status, Verdict
from proofs.evaluate import evaluate


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


def _loss_grad_numeric(T, t, x, u, w, v, residual, eps=1e-6):
    """dl/dh^(t) by central differences on a plain float network, loss l = y."""
    def forward(bump):
        h = _sigmoid(u * x) - 0.5
        for k in range(1, T):
            if k == t:
                h += bump
            h = _sigmoid(w * h) - 0.5 + (h if residual else 0)
        if t == T:
            h += bump
        return v * h
    return (forward(eps) - forward(-eps)) / (2 * eps)


def _trajectory(T, x, u, w, residual):
    hs = [None, _sigmoid(u * x) - 0.5]
    for k in range(1, T):
        hs.append(_sigmoid(w * hs[k]) - 0.5 + (hs[k] if residual else 0))
    return hs


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 6), st.floats(-2, 2), st.floats(-2, 2), st.floats(-6, 6), st.floats(-2, 2), st.booleans())
def test_recurrence_matches_numeric_differentiation(T, x, u, w, v, residual):
    hs = _trajectory(T, x, u, w, residual)
    for t in range(1, T):
        s = _sigmoid(w * hs[t])
        factor = s * (1 - s) * w + (1 if residual else 0)
        lhs = _loss_grad_numeric(T, t, x, u, w, v, residual)
        rhs = _loss_grad_numeric(T, t + 1, x, u, w, v, residual) * factor
        assert lhs == pytest.approx(rhs, rel=1e-4, abs=1e-6)


def _forward_mode(T, t, x, w, v):
    """dl/dh^(t) by forward-mode (dual number) differentiation of a plain float network, loss l = y."""
    h, dh = _sigmoid(x) - 0.5, 0.0
    for k in range(1, T):
        if k == t:
            dh = 1.0
        s = _sigmoid(w * h)
        h, dh = s - 0.5, s * (1 - s) * w * dh
    return v * dh


@settings(max_examples=60, deadline=None)
@given(st.floats(-10, 10), st.integers(1, 20))
def test_zero_input_gradient_is_geometric(w, k):
    """At x = 0 the gradient k steps back is (w/4)^k times the last one, as the regimes assume."""
    assert _forward_mode(k + 1, 1, 0.0, w, 1.0) == pytest.approx((w / 4) ** k, rel=1e-9, abs=1e-300)


def test_plot_data_on_both_sides_of_each_threshold(seed_here):
    plain = evaluate(seed_here.by_id("ex4.b.vanish_explode_corrected")).evidence["plot"]
    assert set(plain["series"]) == {"w=-5", "w=-4", "w=-3", "w=3", "w=4", "w=5"}
    assert plain["series"]["w=5"][-1] > 1 > plain["series"]["w=3"][-1]
    residual = evaluate(seed_here.by_id("ex4.c.stable_set")).evidence
    assert residual["exact_sets"]["neither"] == "{-8, 0}"
    assert residual["plot"]["series"]["w=0"] == [1.0] * 21


def test_vanish_explode_erratum_and_sets(seed_here):
    literal = evaluate(seed_here.by_id("ex4.b.vanish_explode"))
    assert literal.status is Status.ERRATUM and float(literal.evidence["counterexample"]["w"]) <= -4
    corrected = evaluate(seed_here.by_id("ex4.b.vanish_explode_corrected")).evidence["exact_sets"]
    assert corrected == {"vanishes": "Interval.open(-4, 4)", "explodes": "Union(Interval.open(-oo, -4), Interval.open(4, oo))",
                         "neither": "{-4, 4}"}


@pytest.mark.parametrize("z", [1, "-3/2", "1/7"])
def test_stable_setting_replay_evaluates_the_factor_at_every_real_z(z):
    """w = 0 keeps phi'(z) w + 1 = 1 at every z: a counterexample away from 0 satisfies the claim, and with w = 1 the
    factor differs from 1 there too."""
    from proofs.claims import ex4

    assert ex4.stable_setting.replay({"z": z}, **ex4.stable_setting.params).holds is True
    assert ex4.stable_setting.replay({"z": z}, **{**ex4.stable_setting.params, "weight": 1}).holds is False


@pytest.mark.parametrize("z", ["x", None, 0.5, [0]])
def test_stable_setting_replay_rejects_a_z_that_is_not_an_exact_real(z):
    from proofs import ForgedWitness
    from proofs.claims import ex4

    with pytest.raises(ForgedWitness):
        ex4.stable_setting.replay({"z": z}, **ex4.stable_setting.params)


def test_regime_claims_are_statements_resting_on_phi_prime_zero(seed_here):
    """The regimes are decided from their statements, with phi'(0) = 1/4 a link to the claim that proves it and the
    geometric regimes a lemma; the erratum's correction is made from the same statement with |w| compared."""
    from proofs.claims import ex4
    from proofs.links import closure

    for c in (ex4.alpha, ex4.vanish_explode, ex4.stable_set):
        ids, _ = closure(c)
        assert "ex4.b.phi_prime_zero" in ids and c.params["slope"] == Fraction(1, 4)
    (corrected,) = ex4.vanish_explode.companions
    assert seed_here.by_id(corrected.id) is not None and corrected.params["magnitude"] == 1
    assert [lm.name for lm in closure(corrected)[1]] == ["geometric_regimes"]
    printed = evaluate(corrected, corrected.perturbation("as_printed"))
    assert printed.verdict is Verdict.REFUTED and printed.evidence["replay"]["holds"] is False


def test_phi_prime_zero_is_decided_by_exact_differentiation():
    from proofs.claims import ex4

    found = evaluate(ex4.phi_prime_zero)
    assert found.verdict is Verdict.PROVED and found.evidence["replay"]["holds"] is True
    wrong = evaluate(ex4.phi_prime_zero, ex4.phi_prime_zero.perturbation("half"))
    assert wrong.verdict is Verdict.REFUTED and wrong.evidence["replay"]["holds"] is False


def test_stable_condition_needs_factor_one():
    """dl/dh^(t) = dl/dh^(t+1) for every gradient exactly when phi'(z^t) w = 1: a factor of 2 is refuted at a point
    that replays, and the replay reads every variable from its domain."""
    from proofs import ForgedWitness
    from proofs.claims import ex4

    c = ex4.stable_condition
    assert c.replay({"g": 1, "slope": "1/4", "w": 4}, **c.params).holds
    assert not c.replay({"g": 1, "slope": "1/4", "w": 8}, **{**c.params, "factor": 2}).holds
    with pytest.raises(ForgedWitness):
        c.replay({"g": 1, "slope": "1/4"}, **c.params)
    refuted = evaluate(c, c.perturbation("factor_2"))
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["replay"]["holds"] is False


def test_zero_input_preactivation_is_zero_for_every_w():
    from proofs.claims import ex4

    found = evaluate(ex4.zero_input_states)
    assert found.verdict is Verdict.PROVED and "w·(sigmoid(u·0) - shift) = stated" in ex4.zero_input_states.formal
    shifted = evaluate(ex4.zero_input_states, ex4.zero_input_states.perturbation("shift_0_4"))
    assert shifted.verdict is Verdict.REFUTED and shifted.evidence["replay"]["holds"] is False
