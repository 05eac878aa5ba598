import math
import random

import pytest
from hypothesis import given, settings, strategies as st

from proofs.claims.ex6 import experiments, formal
from proofs import Verdict
from proofs.evaluate import evaluate


def _numeric_losses(w, x, targets, mask_dog=True):
    """A plain float implementation of the forked network with tanh units and squared losses."""
    t = math.tanh
    h1 = t(w["shared"][0] * x + w["shared"][1])
    h2 = t(h1 * w["shared"][1] + w["shared"][0])
    a = t(w["branch_a"][0] * h2 + w["branch_a"][1])
    b = t(w["branch_b"][0] * h2 + w["branch_b"][1])
    out = {"breed": w["breed_head"][0] * a + w["breed_head"][1], "gender": w["gender_head"][0] * a + w["gender_head"][1],
           "dog": w["dog_head"][0] * a + w["dog_head"][1], "time": w["time_head"][0] * b + w["time_head"][1]}
    sq = {k: (v - targets[k]) ** 2 / 2 for k, v in out.items()}
    return {"cat": sq["breed"] + sq["gender"] + sq["time"] + (0 if mask_dog else sq["dog"]), "dog": sq["dog"], **sq}


def _grad(w, x, targets, which, group, eps=1e-6):
    up = {g: list(v) for g, v in w.items()}
    down = {g: list(v) for g, v in w.items()}
    up[group][0] += eps
    down[group][0] -= eps
    return (_numeric_losses(up, x, targets)[which] - _numeric_losses(down, x, targets)[which]) / (2 * eps)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_numeric_network_has_the_proved_gradient_structure(seed):
    rng = random.Random(seed)
    w = {g: [rng.uniform(-2, 2), rng.uniform(-2, 2)] for g in formal.GROUPS}
    x = rng.uniform(-2, 2)
    targets = {k: rng.uniform(-1, 1) for k in ("breed", "gender", "time", "dog")}
    assert _grad(w, x, targets, "cat", "dog_head") == 0
    for group in ("breed_head", "gender_head", "time_head", "branch_b"):
        assert _grad(w, x, targets, "dog", group) == 0
    for task, groups in formal.FORK_REACH.items():
        for group in formal.GROUPS[:-1]:
            if group not in groups:
                assert _grad(w, x, targets, task, group) == 0


def test_parameter_formulas_match_counting():
    for widths in [(3, 4, 5, 2, 3, 7, 2, 4), (10, 8, 6, 4, 2, 5, 2, 3)]:
        assert formal.fork_parameters(*widths) == formal.count_parameters(formal._instance_layers(widths, True))
        assert formal.separate_parameters(*widths) == formal.count_parameters(formal._instance_layers(widths, False))


def test_experiments_are_deterministic():
    for name in experiments.SETUPS:
        assert experiments.run_seed(name, 3) == experiments.run_seed(name, 3)


@pytest.mark.parametrize("claim_id", ["ex6.a.shared_features_favour_sharing", "ex6.b.disjoint_features_favour_separate",
                                      "ex6.b.overfitting_favours_sharing"])
def test_experiments_report_their_statistics(seed_here, claim_id):
    result = evaluate(seed_here.by_id(claim_id))
    assert result.verdict is Verdict.SUPPORTED
    test = result.evidence["test"]
    assert test["pairs"] == 30 and test["ci95"][0] > 0 and test["p_effect_positive"] < test["alpha"]
    assert result.evidence["setup"]["d"] == 20 and len(result.evidence["effects"]) == 30


def test_an_experiment_never_proves():
    from proofs.verdicts import classify, Status

    assert classify(Verdict.SUPPORTED, requires=Verdict.PROVED, erratum=False)[0] is Status.FAIL


def test_experiment_replay_recomputes_every_seed():
    """Genuine effects for the first seeds and forged ones after them are not this experiment's: never a refutation."""
    c = experiments.shared_features_favour_sharing
    genuine = experiments.per_seed_effects(c.params["setup"], c.params["better"], c.params["direction"])
    forged = genuine[:3] + [-10.0] * (len(genuine) - 3)
    replayed = c.replay({"setup": c.params["setup"], "effects": forged}, **c.params)
    assert replayed.holds is True and replayed.sides["every seed reproduces"] is False


def test_experiment_replay_runs_every_seed_itself_once_per_process_and_values(monkeypatch):
    """The replay never takes the check's runs; it runs the seeds once for each row's values, however many witnesses
    it then compares with them."""
    c = experiments.shared_features_favour_sharing
    monkeypatch.setattr(experiments, "_REPLAYED", {})
    runs = []
    run_seed = experiments.run_seed
    monkeypatch.setattr(experiments, "run_seed", lambda name, seed: runs.append((name, seed)) or run_seed(name, seed))
    effects = experiments.per_seed_effects(c.params["setup"], c.params["better"], c.params["direction"])
    witness = {"setup": c.params["setup"], "effects": effects}  # as the check records them, from runs of its own
    assert len(runs) == 30
    assert [c.replay(witness, **c.params).holds for _ in range(3)] == [True] * 3
    assert len(runs) == 60
    reversed_ = {**c.params, "direction": -1}
    flipped = {"setup": witness["setup"], "effects": [-e for e in witness["effects"]]}
    assert c.replay(flipped, **reversed_).sides["every seed reproduces"] is True
    assert c.replay(witness, **reversed_).sides["every seed reproduces"] is False
    assert len(runs) == 90


def test_a_saving_that_differs_only_beyond_small_widths_is_refuted():
    """(d - 1)(d - 2) vanishes on every width in {1, 2}: a proof over every width refutes it."""
    from proofs import forall

    @forall("t.ex6.c.saving", "the saving with a term that vanishes on widths 1 and 2")
    def off(d: formal.Width, s1: formal.Width, s2: formal.Width, a: formal.Width, b: formal.Width, kb: formal.Width,
            kg: formal.Width, kt: formal.Width):
        widths = (d, s1, s2, a, b, kb, kg, kt)
        saving = 2 * (d * s1 + s1 + s1 * s2 + s2) + s2 * a + a + (d - 1) * (d - 2)
        return formal.separate_parameters(*widths) - formal.fork_parameters(*widths) == saving

    refuted = evaluate(off)
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["counterexample"]["d"] > 2, refuted.reason


def _masking_witness():
    """A counterexample of the unmasked variant, as the check finds it."""
    c = formal.masked_gradients
    params = {**c.params, **c.perturbation("unmasked").params}
    return c.check(**params).witness, params


@pytest.mark.parametrize("forge", ["no_functions", "value_changed", "outside", "arity"])
def test_masking_replay_rejects_witnesses_that_do_not_fit(forge):
    from proofs import ForgedWitness

    witness, params = _masking_witness()
    assert formal.masked_gradients.replay(witness, **params).holds is False
    forged = {**witness, "functions": dict(witness["functions"]), "values": dict(witness["values"])}
    if forge == "no_functions":
        del forged["functions"]
    elif forge == "value_changed":
        first = next(iter(forged["values"]))
        forged["values"][first] = forged["values"][first] + 1
    elif forge == "outside":
        forged["x"] = "x"
    else:
        forged["functions"]["f"] = {"coefficients": [[[1, 0], "1"]]}
    with pytest.raises(ForgedWitness):
        formal.masked_gradients.replay(forged, **params)


@pytest.mark.parametrize("width", [-1, 0, "1/2", 1.5, "two", None, True])
def test_saving_replay_rejects_widths_that_are_not_positive_integers(width):
    from proofs import ForgedWitness

    widths = {str(w): 1 for w in formal.WIDTHS}
    with pytest.raises(ForgedWitness):
        formal.fork_parameter_count.replay({**widths, "d": width}, **formal.fork_parameter_count.params)
