import math
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from proofs import matrices
from proofs.claims import ex5


def _net(n, steps, rng):
    Ws = [[[rng.uniform(-1.5, 1.5) for _ in range(n)] for _ in range(n)] for _ in range(steps)]
    cs = [[rng.uniform(-1, 1) for _ in range(n)] for _ in range(steps)]
    h = [rng.uniform(-1, 1) for _ in range(n)]
    g = [rng.uniform(-1, 1) for _ in range(n)]
    return Ws, cs, h, g


def _forward(Ws, cs, h):
    zs = []
    for W, c in zip(Ws, cs):
        z = [sum(a * b for a, b in zip(row, h)) + ci for row, ci in zip(W, c)]
        zs.append(z)
        h = [math.tanh(v) for v in z]
    return h, zs


def _numeric_grad(Ws, cs, h, g, eps=1e-6):
    out = []
    for m in range(len(h)):
        up, down = list(h), list(h)
        up[m] += eps
        down[m] -= eps
        fu = sum(a * b for a, b in zip(g, _forward(Ws, cs, up)[0]))
        fd = sum(a * b for a, b in zip(g, _forward(Ws, cs, down)[0]))
        out.append((fu - fd) / (2 * eps))
    return out


def _formula(name, Ws, cs, h, g):
    _, zs = _forward(Ws, cs, h)
    Ds = [sympy.diag(*[1 - math.tanh(v) ** 2 for v in z]) for z in zs]
    col = ex5.FORMULAS[name](sympy.Matrix(g), [sympy.Matrix(W) for W in Ws], Ds)
    return [float(v) for v in col]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(1, 4), st.integers(0, 10**6))
def test_corrected_product_matches_numeric_differentiation(n, steps, seed):
    Ws, cs, h, g = _net(n, steps, random.Random(seed))
    assert _formula("column", Ws, cs, h, g) == pytest.approx(_numeric_grad(Ws, cs, h, g), rel=1e-4, abs=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 4), st.integers(0, 10**6))
def test_printed_product_misses_on_random_networks(n, seed):
    Ws, cs, h, g = _net(n, 1, random.Random(seed))
    assert _formula("printed", Ws, cs, h, g) != pytest.approx(_numeric_grad(Ws, cs, h, g), rel=1e-3, abs=1e-4)


def _rand(rng, n):
    return [[Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(n)] for _ in range(n)]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(0, 10**6))
def test_lemmas_on_larger_matrices(n, seed):
    """The operator-norm lemmas the bounds trust, on sizes beyond the claims' samples (floating point)."""
    rng = random.Random(seed)
    A, B = _rand(rng, n), _rand(rng, n)
    v = [Fraction(rng.randint(-9, 9), 2) for _ in range(n)]
    fA = [[float(x) for x in row] for row in A]
    Av = [sum(a * float(x) for a, x in zip(row, v)) for row in fA]
    assert math.sqrt(sum(x * x for x in Av)) <= matrices.float_norm(fA) * math.sqrt(sum(float(x) ** 2 for x in v)) * (1 + 1e-6) + 1e-9
    assert matrices.float_norm([list(c) for c in zip(*fA)]) == pytest.approx(matrices.float_norm(fA), rel=1e-6)
    Q = ex5.cayley_orthogonal(matrices.random_skew(rng, n))
    assert matrices.gram(Q) == [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    QB = [[float(x) for x in row] for row in matrices.matmul(Q, B)]
    assert matrices.float_norm(QB) == pytest.approx(matrices.float_norm([[float(x) for x in row] for row in B]), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(0, 10**6))
def test_exact_norm_comparison_agrees_with_floats(n, seed):
    rng = random.Random(seed)
    A = _rand(rng, n)
    norm_sq = matrices.float_norm([[float(x) for x in row] for row in A]) ** 2
    for scale in (Fraction(9, 10), Fraction(11, 10)):
        bound = Fraction(norm_sq) * scale
        assert matrices.norm_sq_at_least(A, bound) == (scale < 1)


def test_true_gradient_is_exact_forward_mode():
    W = [[Fraction(0), Fraction(1)], [Fraction(0), Fraction(0)]]
    assert ex5.true_gradient([W], [[Fraction(1), Fraction(-3, 4)]], [0, 0], [1, 0]) == [0, 2]


def test_the_bounds_are_proved_by_induction_from_the_lemmas_they_trust():
    """Each bound is an induction on T - t (the empty case, then one step with the statement at t + 1 as hypothesis);
    the lemmas the proof used are recorded and are among those the claim trusts; the patterns by their domain."""
    from proofs.evaluate import evaluate

    for claim, used in ((ex5.relu_bound, {"operator_norm_matrix_vector", "operator_norm_orthogonal", "operator_norm_diagonal"}),
                        (ex5.norm_bound_corrected, {"operator_norm_matrix_vector"})):
        result = evaluate(claim)
        assert result.verdict.value == "proved" and "T - t" in result.evidence["induction"]
        assert set(result.evidence["lemmas"]) == used <= {getattr(t, "name", None) for t in claim.trusts}
        assert len(result.evidence["checked"]) == 2  # the base case and the step, printed from the queries
    relu_norm = evaluate(ex5.relu_D_norm)  # every n, from the diagonal lemma and the premise D != 0
    assert relu_norm.verdict.value == "proved" and list(relu_norm.evidence["lemmas"]) == ["operator_norm_diagonal"]
    assert relu_norm.evidence["premise"] == "D ≠ 0"


def test_orthogonal_simplification_is_proved_for_every_size_from_the_orthogonal_lemma():
    from proofs.evaluate import evaluate

    result = evaluate(ex5.orthogonal_simplification)
    assert result.verdict.value == "proved" and set(result.evidence["lemmas"]) == {"operator_norm_orthogonal"}
    scaled = evaluate(ex5.orthogonal_simplification, ex5.orthogonal_simplification.perturbation("scaled"))
    assert scaled.verdict.value == "refuted" and scaled.evidence["replay"]["holds"] is False


def test_orthogonal_replay_rejects_a_matrix_that_is_not_orthogonal():
    from proofs import ForgedWitness

    c = ex5.orthogonal_simplification
    point = {"n": 2, "t": 0, "T": 1, "W": {"0": [["8/5", "-4/5"], ["4/5", "8/5"]]}, "D": {"1": [[1, 0], [0, "1/2"]]}, "g": [1, 0]}
    with pytest.raises(ForgedWitness):
        c.replay(point, **c.params)
    assert c.replay({**point, "W": {"0": [["3/5", "-4/5"], ["4/5", "3/5"]]}}, **c.params).holds


@pytest.mark.parametrize("D", [[["1/7"]], [[2]], [[0, 0], [0, -1]], [[1, 1], [0, 1]], [], "1", [[True]]])
def test_relu_d_norm_replay_rejects_patterns_that_are_not_relu_derivatives(D):
    from proofs import ForgedWitness

    with pytest.raises(ForgedWitness):
        ex5.relu_D_norm.replay({"n": len(D) or 1, "D": D}, **ex5.relu_D_norm.params)


def test_norm_lemmas_are_links_sampled_by_their_claims(seed_here):
    """The operator-norm facts are Lemma objects (axioms, never weakening a proof) sampled by the lemma claims; the
    bounds link to the claims they build on."""
    from proofs.links import closure

    relu_bound = seed_here.by_id("ex5.d.relu_bound")
    ids, lemmas = closure(relu_bound)
    assert {"ex5.b.norm_bound_corrected", "ex5.d.relu_d_norm", "ex5.a.gradient_product_corrected"} <= set(ids)
    samplers = {lm.name: lm.sampled_by.id if lm.sampled_by else None for lm in lemmas}
    assert samplers == {"operator_norm_matrix_vector": "ex5.b.lemma_matrix_vector",
                        "operator_norm_orthogonal": "ex5.c.lemma_orthogonal", "operator_norm_diagonal": None}
    assert not any(i.startswith("ex5.b.lemma_") or i == "ex5.c.lemma_orthogonal" for i in ids)
    from conftest import cli

    proc = cli("check", "ex5.d.relu_bound", "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ex5.b.norm_bound_corrected" in proc.stdout  # checked in the same run, as what the bound rests on


def test_vanishing_is_a_search_over_relu_patterns():
    """Two active patterns whose diagonal product is 0 exist; with every unit active none does, and the replay checks
    the patterns are bits."""
    import pytest

    from proofs import ForgedWitness, Verdict
    from proofs.claims import ex5
    from proofs.evaluate import evaluate

    c = ex5.bound_allows_vanishing
    found = evaluate(c)
    assert found.verdict is Verdict.PROVED and found.evidence["replay"]["holds"] is True
    none = evaluate(c, c.perturbation("all_active"))
    assert none.verdict is Verdict.REFUTED and none.evidence["replay"]["holds"] is False
    assert not c.replay({"d1": [1, 1], "d2": [1, 0]}, **c.params).holds
    for forged in ({"d1": [2, 0], "d2": [0, 1]}, {"d1": [1], "d2": [0, 1]}, {"d1": [1, 0]}):
        with pytest.raises(ForgedWitness):
            c.replay(forged, **c.params)


def test_norm_equality_is_refuted_by_a_non_symmetric_step():
    """The printed product's norm is not the gradient's: W = [[0, 1], [0, 0]], D = I, dl/dh_T = e_1 gives norms 1
    and 0; the correction (the true product) holds there and is proved."""
    from proofs import ForgedWitness, Status, Verdict
    from proofs.evaluate import evaluate

    point = {"n": 2, "t": 0, "T": 1, "W": {"0": [[0, 1], [0, 0]]}, "D": {"1": [[1, 0], [0, 1]]}, "g": [1, 0]}
    printed, corrected = ex5.norm_equality, ex5.norm_equality_corrected
    replayed = printed.replay(point, **printed.params)
    assert not replayed.holds and (replayed.sides["lhs"], replayed.sides["rhs"]) == ("1", "0")
    assert corrected.replay(point, **corrected.params).holds
    for forged in ({**point, "g": [1, "x"]}, {**point, "D": {"1": [[1, 1], [0, 1]]}}, {**point, "W": {}}, {**point, "n": 3}):
        with pytest.raises(ForgedWitness):
            printed.replay(forged, **printed.params)
    assert evaluate(printed).status is Status.ERRATUM and evaluate(corrected).status is Status.PASS
    refuted = evaluate(corrected, corrected.perturbation("as_printed"))
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["replay"]["holds"] is False


def test_a_killed_layer_stops_the_gradient():
    """Every unit of layer k + 1 inactive: dl/dh_t = 0 for every t <= k < T, every hidden size, all weights and
    gradients above, proved by induction on k - t whose base peels the killed layer's factor; the perturbations are
    refuted at concrete sizes and their counterexamples replayed by plain loops."""
    from proofs import ForgedWitness
    from proofs.evaluate import evaluate

    c = ex5.killed_layer_gradient
    result = evaluate(c)
    assert result.verdict.value == "proved" and result.evidence["premise"] == "D_{k + 1} = 0"
    assert result.evidence["induction"].startswith("on k - t: the first factor at k peeled off")
    assert [t.id for t in c.trusts] == ["ex5.a.gradient_product_corrected"]
    point = {"n": 2, "t": 0, "k": 1, "T": 2, "W": {"0": [[1, 2], [3, 4]], "1": [[0, 1], [1, 0]]},
             "D": {"1": [[1, 0], [0, 1]], "2": [[0, 0], [0, 0]]}, "g": [1, -1]}
    assert c.replay(point, **c.params).holds
    passes = c.replay(point, **{**c.params, "below": "g"})
    assert not passes.holds and passes.sides["rhs"] == [["1"], ["-1"]]
    one_active = {**point, "D": {"1": [[1, 0], [0, 1]], "2": [[1, 0], [0, 0]]}}
    assert c.replay(one_active, **c.params).holds  # the premise D_{k+1} = 0 is false there
    assert not c.replay(one_active, **{**c.params, "killed": "some"}).holds
    for name in ("gradient_passes", "one_inactive"):
        refuted = evaluate(c, c.perturbation(name))
        assert refuted.verdict.value == "refuted" and refuted.evidence["replay"]["holds"] is False
    with pytest.raises(ForgedWitness):
        c.replay({**point, "D": {"1": [[1, 0], [0, 1]], "2": [[0, 0], [0, 2]]}}, **c.params)


def test_norm_equality_corrected_is_proved_for_every_hidden_size_and_refuted_by_one_small_step_when_wrong():
    from proofs.evaluate import evaluate

    result = evaluate(ex5.norm_equality_corrected)
    assert result.verdict.value == "proved" and "every hidden size" in ex5.norm_equality_corrected.statement
    assert result.evidence["checked"]["line1"]["text"] == "g = g"  # the empty product, then the step
    assert "∏_{k=t + 1}^{T - 1} (W_{k}ᵀ D_{k + 1})" in result.evidence["checked"]["line2"]["text"]
    wrong = evaluate(ex5.norm_equality_corrected, ex5.norm_equality_corrected.perturbation("no_transpose"))
    assert wrong.verdict.value == "refuted" and wrong.evidence["replay"]["holds"] is False
