import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from proofs.claims import ex1
from proofs import ForgedWitness, Status, Verdict
from proofs.evaluate import evaluate

layer = st.tuples(st.sampled_from(["conv", "pool"]), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(layer, min_size=1, max_size=3), st.integers(0, 6))
def test_formula_matches_enumerated_dependency(layers, unit):
    """The general receptive-field formula against walking every window down the stack."""
    field = ex1.influence_1d(layers, unit)
    r = ex1.receptive_field_size(layers)
    lo = ex1.field_start(layers, unit)
    assert min(field) == lo and max(field) == lo + r - 1


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 14))
def test_2d_dependency_of_interior_units_is_a_square(n):
    layers = ex1.SHEET_LAYERS
    side = (n + 2 - 3) // 1 + 1
    side = (side - 2) // 2 + 1
    for unit in itertools.product(range(side), repeat=2):
        pixels, touched = ex1.influence_2d_finite(n, layers, unit)
        if not touched:
            assert len(pixels) == 16


def test_sheet_conv_numbers():
    assert ex1.conv_side(256, 3, 1, 1) == 256
    assert ex1.conv_side(256, 2, 2, 0) == 128
    assert ex1.receptive_field_size(ex1.SHEET_LAYERS) == 4


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2))
def test_output_size_formula_matches_window_count(n, k, s, p):
    if n + 2 * p >= k:
        assert ex1.conv_side(n, k, s, p) == ex1._count_windows(n, k, s, p)


def test_max_pool_derivative_is_an_erratum_with_a_tie():
    r = evaluate(ex1.max_pool_derivative)
    assert r.status is Status.ERRATUM and r.verdict is Verdict.REFUTED
    z = [Fraction(v) for v in r.evidence["counterexample"]["z"]]
    assert sorted(z)[-1] == sorted(z)[-2], "the counterexample is a tie"
    assert r.evidence["replay"]["holds"] is False


def test_corrected_derivative_claims_pass():
    assert evaluate(ex1.max_pool_derivative_unique_max).status is Status.PASS
    assert evaluate(ex1.max_pool_nondifferentiable_at_ties).status is Status.PASS


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fractions(-5, 5, max_denominator=7), min_size=4, max_size=4))
def test_unique_max_replay_agrees_with_plain_max(z):
    """The replayed affine check holds at any point and any small step, matching the z3 proof."""
    istar = max(range(4), key=lambda n: z[n])
    rest = [v for n, v in enumerate(z) if n != istar]
    if z[istar] == max(rest):
        return
    gap = z[istar] - max(rest)
    d = [gap / 3, -gap / 5, gap / 7, -gap / 9]
    c = ex1.max_pool_derivative_unique_max
    assert c.replay({"z": list(z), "d": d, "i": istar}, **c.params).holds


COUNT_CLAIMS = ("conv_units", "conv_params", "pool_units")


@pytest.mark.parametrize("name", COUNT_CLAIMS)
def test_count_claims_are_statements_that_can_fail(name):
    """The unit and parameter counts are decided from their statements: proved as printed, refuted (with a replayed
    witness) by each perturbation."""
    c = getattr(ex1, name)
    assert c.formal.endswith(", ".join(f"{k} = {v}" for k, v in c.params.items()))
    assert evaluate(c).verdict is Verdict.PROVED
    assert c.perturbations
    for p in c.perturbations:
        r = evaluate(c, p)
        assert r.verdict is Verdict.REFUTED and r.evidence["replay"]["holds"] is False, p.name


def test_window_count_replay_checks_the_placement():
    """The counts are checked against the window placements too: placement 255 is the last that fits a 3-wide window
    into 258 padded pixels, 256 the first that does not; without padding it does not fit."""
    assert ex1.conv_units.replay({"p": 255}, **ex1.conv_units.params).holds
    assert ex1.conv_units.replay({"p": 256}, **ex1.conv_units.params).holds
    assert not ex1.conv_units.replay({"p": 255}, **{**ex1.conv_units.params, "pad": 0}).holds
    assert ex1.pool_units.replay({"p": 127}, **ex1.pool_units.params).holds
    for forged in ({"p": -1}, {"p": "1/2"}, {}, {"p": 1, "q": 2}):
        with pytest.raises(ForgedWitness):
            ex1.conv_units.replay(forged, **ex1.conv_units.params)


def test_tie_slopes_are_a_statement_over_inputs_indices_and_steps():
    """At a tie the slopes along e_i are 1 to the right and 0 to the left; the replay checks the indices and the step
    against their domains and reports a left slope of 1 refuted at a tie."""
    c = ex1.max_pool_nondifferentiable_at_ties
    tie = {"z": [1, 3, 3, 0], "i": 1, "j": 2, "t": "1/2"}
    assert c.replay(tie, **c.params).holds
    assert not c.replay(tie, **{**c.params, "left_slope": 1}).holds
    for forged in ({**tie, "i": 4}, {**tie, "t": 0}, {**tie, "z": [1, 3, 3]}, {**tie, "j": "1/2"}):
        with pytest.raises(ForgedWitness):
            c.replay(forged, **c.params)
    refuted = evaluate(c, c.perturbation("left_1"))
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["replay"]["holds"] is False


def test_padded_size_and_pooling_factor_are_checked():
    """The 258 x 258 padded input and the pooling's factor of 2 are stated values the checks decide: a placement that
    fits 258 padded pixels does not fit 257, and 128 is 256 / 2, not 256 / 4."""
    assert ex1.conv_units.params["padded"] == 258 and ex1.pool_units.params["factor"] == 2
    assert not ex1.conv_units.replay({"p": 255}, **{**ex1.conv_units.params, "padded": 257}).holds
    assert not ex1.pool_units.replay({"p": 0}, **{**ex1.pool_units.params, "factor": 4}).holds
    for c, name in ((ex1.conv_units, "padded_257"), (ex1.pool_units, "factor_4")):
        refuted = evaluate(c, c.perturbation(name))
        assert refuted.verdict is Verdict.REFUTED and refuted.evidence["replay"]["holds"] is False


def test_one_dimensional_field_is_what_the_formula_counts():
    """The sheet's 1-D figure: 4 input units feed a pooling unit; the claim citing it computes exactly that."""
    assert ex1.receptive_field_size(ex1.SHEET_LAYERS) == 4
    assert all(len(ex1.influence_1d(ex1.SHEET_LAYERS, i)) == 4 for i in range(-3, 4))
    assert any("4 of the input units" in a.snippet for a in ex1.receptive_field.anchors)
