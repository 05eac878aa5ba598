"""Exercise 6 (a), (b): seeded experiments on synthetic multi-task data whose ground truth is known."""

from __future__ import annotations

import statistics

from proofs.claims.sheet import cites
from proofs import Outcome, Perturbation, Replay, Row, Verdict, claim, experiment, paired_test
from proofs.claims.witness import exactly, listof, read, real

__all__ = ["SETUPS", "run_seed", "per_seed_effects"]

# Synthetic data: x ~ N(0, I_d); each task has k outputs Y_t = X B_t A_t + noise, B_t a d x r_t feature subspace.
# A model is a linear network x -> (shared or separate) trunk of `width` units -> linear heads, trained to its
# least-squares optimum (reduced-rank regression); "full" means no trunk: ordinary least squares per task.
SETUPS = {
    # (a) both tasks read the same 2 features; separate trunks of 2 units each vs one shared trunk of 2 units
    "shared_features": dict(shared_subspace=True, n_train=30, separate_width=2, shared_width=2),
    # (b) the tasks read disjoint features; properly specified separate trunks vs a shared trunk too narrow for both
    "disjoint_limited_capacity": dict(shared_subspace=False, n_train=120, separate_width=2, shared_width=2),
    # (b) disjoint features, few examples: unregularised separate models overfit; a shared trunk of 4 units does not
    "disjoint_overfitting": dict(shared_subspace=False, n_train=24, separate_width="full", shared_width=4),
}
COMMON = dict(d=20, k=5, rank=2, noise=1.0, n_test=400)
SEEDS = range(30)
ALPHA = 0.01

ASSUMPTIONS = (
    "model family: linear networks x -> trunk -> linear heads, fitted to their least-squares optimum by reduced-rank "
    "regression; 'separate' fits one network per task, 'shared' one network for both tasks' outputs",
    f"data: x ~ N(0, I_{COMMON['d']}); each task has {COMMON['k']} outputs Y = X B A + N(0, {COMMON['noise']:g}) noise, B a "
    f"random {COMMON['d']} x {COMMON['rank']} feature subspace "
    f"(the same for both tasks when they share features, orthogonal ones otherwise); {COMMON['n_test']} test examples",
    f"performance is the test mean squared error summed over both tasks; {len(SEEDS)} seeds, paired by seed",
    f"significance: one-sided sign-flip randomisation test at alpha = {ALPHA} and a 95% bootstrap interval of the mean "
    "paired difference that excludes 0",
)


def _fit(X, Y, width):
    import numpy as np

    W, *_ = np.linalg.lstsq(X, Y, rcond=None)
    if width == "full" or width >= Y.shape[1]:
        return W
    _, _, Vt = np.linalg.svd(X @ W, full_matrices=False)
    V = Vt[:width].T
    return W @ V @ V.T


def run_seed(name: str, seed: int) -> tuple[float, float]:
    """(test error of separate networks, test error of the shared network) for one seed of one setup."""
    import numpy as np

    cfg = {**COMMON, **SETUPS[name]}
    rng = np.random.default_rng(seed)
    d, k, r = cfg["d"], cfg["k"], cfg["rank"]
    Q, _ = np.linalg.qr(rng.standard_normal((d, 2 * r)))
    B1 = Q[:, :r]
    B2 = B1 if cfg["shared_subspace"] else Q[:, r:]
    A1, A2 = rng.standard_normal((r, k)), rng.standard_normal((r, k))

    def draw(n):
        X = rng.standard_normal((n, d))
        return X, X @ B1 @ A1 + cfg["noise"] * rng.standard_normal((n, k)), X @ B2 @ A2 + cfg["noise"] * rng.standard_normal((n, k))

    X, Y1, Y2 = draw(cfg["n_train"])
    Xt, T1, T2 = draw(cfg["n_test"])
    mse = lambda W, Y: float(np.mean((Xt @ W - Y) ** 2))  # noqa: E731
    separate = mse(_fit(X, Y1, cfg["separate_width"]), T1) + mse(_fit(X, Y2, cfg["separate_width"]), T2)
    Ws = _fit(X, np.hstack([Y1, Y2]), cfg["shared_width"])
    shared = mse(Ws[:, :k], T1) + mse(Ws[:, k:], T2)
    return separate, shared


def per_seed_effects(name: str, better: str, direction: int, seeds=SEEDS, runs=None) -> list[float]:
    """Per seed: how much better the claimed-better approach did (positive when it did better)."""
    runs = runs if runs is not None else [run_seed(name, seed) for seed in seeds]
    return [direction * (separate - shared if better == "shared" else shared - separate) for separate, shared in runs]


# The effects a replay recomputed, by (setup, better, direction): every seed run once per process by the replay
# itself (never taken from the check's runs), whatever number of witnesses it is then given to compare.
_REPLAYED: dict[tuple, tuple] = {}


def _replayed_effects(setup, better, direction) -> tuple:
    key = (setup, better, direction)
    if key not in _REPLAYED:
        _REPLAYED[key] = tuple(per_seed_effects(setup, better, direction))
    return _REPLAYED[key]


def _replay_experiment(witness, *, setup, better, direction, **_):
    """Recompute every seed from scratch and the statistics from the recorded effects, with plain arithmetic: an
    effect the seeds do not reproduce is not this experiment's."""
    recorded = read(witness, setup=exactly(setup), effects=listof(real(), len(SEEDS)))["effects"]
    fresh = _replayed_effects(setup, better, direction)
    reproducible = all(abs(a - b) <= 1e-9 * (1 + abs(a)) for a, b in zip(fresh, recorded))
    mean = statistics.fmean(recorded)
    t = mean / (statistics.stdev(recorded) / len(recorded) ** 0.5)
    return Replay(not (reproducible and t < -3), {"every seed reproduces": reproducible, "mean effect": mean, "t statistic": t})


def _experiment_check(setup, better, direction) -> Outcome:
    runs = [run_seed(setup, seed) for seed in SEEDS]
    effects = per_seed_effects(setup, better, direction, runs=runs)
    separate, shared = zip(*runs)
    evidence = {"setup": {**COMMON, **SETUPS[setup]}, "seeds": [SEEDS.start, SEEDS.stop - 1],
                "claimed_better": better if direction > 0 else ("separate" if better == "shared" else "shared"),
                "mean_test_error": {"separate": statistics.fmean(separate), "shared": statistics.fmean(shared)},
                "effects": effects}
    return experiment(paired_test(effects, seed=1), alpha=ALPHA, evidence=evidence,
                      witness={"setup": setup, "effects": effects})


_REVERSED = Perturbation("reversed", {"direction": -1}, "the claimed direction reversed")


@claim(
    statement="",
    formal=f"the row's setup: mean over {len(SEEDS)} seeds of (test error of the approach claimed worse - test error of the "
           f"approach claimed better) > 0, one-sided p < {ALPHA} and the 95% interval above 0",
    requires=Verdict.SUPPORTED,
    assumptions=ASSUMPTIONS,
    perturbations=(_REVERSED,),
    replay=_replay_experiment,
    rows=(
        Row("ex6.a.shared_features_favour_sharing",
            "When two tasks depend on a common set of features, one network sharing everything up to the last hidden "
            "layer generalises better than two separate networks of the same width.",
            {"setup": "shared_features", "better": "shared", "direction": 1},
            anchors=cites("**Solution:** Approach 2.", "learned features that can predict *both* (i) and (ii) well are less "
                          "prone to overfitting and are expected to generalize better"),
            perturbations=(_REVERSED, Perturbation("disjoint_features", {"setup": "disjoint_limited_capacity"},
                                                   "the same claim where the tasks share no features"))),
        Row("ex6.b.disjoint_features_favour_separate",
            "When the tasks share no features, properly specified separate networks do at least as well as one shared "
            "network of limited capacity (here strictly better).",
            {"setup": "disjoint_limited_capacity", "better": "separate", "direction": 1},
            anchors=cites("**Solution:** Approach 1.", "The performance may actually suffer if the model capacity is too "
                          "limited to extract all relevant signals for both tasks")),
        Row("ex6.b.overfitting_favours_sharing",
            "When the tasks share no features but unregularised separate networks overfit, a shared network of "
            "limited capacity generalises better.",
            {"setup": "disjoint_overfitting", "better": "shared", "direction": 1},
            anchors=cites("Approach 2 may achieve better generalization", "limited capacity can counteract overfitting")),
    ),
)
def experiments(setup, better, direction) -> Outcome:
    return _experiment_check(setup, better, direction)


shared_features_favour_sharing, disjoint_features_favour_separate, overfitting_favours_sharing = experiments
