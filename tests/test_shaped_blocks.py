"""Block matrices of symbolic size (proofs.shaped_blocks) and the threshold step: proved for every size, refuted with
a replayed counterexample, and the ex3.f representation rows checked against a plain network that shares no code."""

import itertools

import pytest

from proofs import (
    ForgedWitness, IndexOf, Matrix, Perturbation, Real, Size, Vector, Verdict, concat, elementwise, eye, forall, onehot, outer,
    stacked_column_ones, stacked_identities, vec,
)
from proofs.evaluate import evaluate

V, m = Size("V"), Size("m")


def _refuted_and_replayed(claim, perturbation):
    result = evaluate(claim, claim.perturbation(perturbation))
    assert result.verdict is Verdict.REFUTED, result.reason
    witness = result.evidence["counterexample"]
    assert claim.replay(witness, **claim.perturbation(perturbation).params).holds is False
    assert claim.replay(witness, **claim.params).holds is True  # the same point does not refute the true statement
    return witness


@forall("demo.ex3.f.eye", "I x = x, for every size.", perturb={"twice": {"c": 2}})
def eye_products(x: Vector(Real, V), c=1):
    return c * eye(V) @ x == x


@forall("demo.ex3.f.eye_right", "A I = A, for every size.", perturb={"twice": {"c": 2}})
def eye_right(A: Matrix(Real, m, V), c=1):
    return A @ (c * eye(V)) == A


def test_an_identity_of_symbolic_size_is_proved_and_a_multiple_of_it_refuted():
    assert evaluate(eye_products).verdict is Verdict.PROVED
    assert evaluate(eye_right).verdict is Verdict.PROVED
    _refuted_and_replayed(eye_right, "twice")
    witness = _refuted_and_replayed(eye_products, "twice")
    assert witness["V"] == 1 and any(v != "0" for v in witness["x"])


@forall("demo.ex3.f.stacked", "Row a|V| + b of a stacked matrix times x reads x[b] (identities) or x[a] (column ones).",
        perturb={"identities_read_a": {"kind": "identities", "reads": "a"},
                 "column_ones_read_b": {"kind": "column_ones", "reads": "b"}})
def stacked(x: Vector(Real, V), a: IndexOf(V), b: IndexOf(V), kind="identities", reads="b"):
    S = stacked_identities(V) if kind == "identities" else stacked_column_ones(V)
    return (S @ x)[a * V + b] == x[b if reads == "b" else a]


def test_stacked_identities_and_stacked_column_ones_read_the_row_index_split():
    assert evaluate(stacked).verdict is Verdict.PROVED
    assert evaluate(stacked, Perturbation("column_ones_read_a", {"kind": "column_ones", "reads": "a"})).verdict is \
        Verdict.PROVED
    for wrong in ("identities_read_a", "column_ones_read_b"):
        witness = _refuted_and_replayed(stacked, wrong)
        assert witness["a"] != witness["b"]


@forall("demo.ex3.f.vec_outer", "vec(u w^T)[a|V| + b] = u[a] w[b]: vec concatenates rows.",
        perturb={"columns": {"swap": True}})
def vec_outer(u: Vector(Real, m), w: Vector(Real, V), a: IndexOf(m), b: IndexOf(V), swap=False):
    return vec(outer(u, w))[a * V + b] == (u[b] * w[a] if swap else u[a] * w[b])


def test_vec_of_an_outer_product_concatenates_its_rows():
    result = evaluate(vec_outer)
    assert result.verdict is Verdict.PROVED
    assert any("⌊r / V⌋" in line for line in result.evidence["defined"])  # the row split shown in range by z3
    _refuted_and_replayed(vec_outer, "columns")


@forall("demo.ex3.f.step", "step(2 onehot(a) - 1) = onehot(a): a threshold copies a one-hot.",
        perturb={"bias_1": {"bias": 1}, "scale_1": {"scale": 1}})
def step_copy(a: IndexOf(V), scale=2, bias=-1):
    return elementwise("step", scale * onehot(a, V) + bias) == onehot(a, V)


def test_a_threshold_on_integer_pre_activations_is_proved_and_a_wrong_bias_refuted():
    result = evaluate(step_copy)
    assert result.verdict is Verdict.PROVED
    assert "step(" in str(result.evidence["sides"]["lhs"])
    assert _refuted_and_replayed(step_copy, "bias_1")["V"] == 2  # step(1) = 1 off the one-hot
    assert _refuted_and_replayed(step_copy, "scale_1")["V"] == 1


@forall("demo.ex3.f.step_real", "step(x) = x for every real x (false).", perturb={"binary": {"binary": True}})
def step_real(x: Vector(Real, V), binary=False):
    return elementwise("step", x) == (elementwise("step", x) if binary else x)


def test_a_threshold_of_real_entries_is_refuted_with_exact_values():
    result = evaluate(step_real)
    assert result.verdict is Verdict.REFUTED
    assert step_real.replay(result.evidence["counterexample"], binary=False).holds is False
    assert evaluate(step_real, step_real.perturbation("binary")).verdict is Verdict.PROVED


def test_block_terms_check_their_sizes_and_print_as_written():
    with pytest.raises(TypeError):
        stacked_identities(V) @ onehot(0, V * V)  # |V|^2 x |V| times a vector of |V|^2
    with pytest.raises(TypeError):
        vec(onehot(0, V))
    with pytest.raises(TypeError):
        outer(eye(V), onehot(0, V))
    term = elementwise("step", concat(onehot(0, V), stacked_column_ones(V) @ onehot(1, V)) - 1)
    assert str(term) == "step(concat(onehot(0, V), stacked_column_ones(V) onehot(1, V)) - 1)"
    assert str(vec(outer(onehot(0, V), onehot(1, m)))) == "vec(outer(onehot(0, V), onehot(1, m)))"
    assert str(stacked_identities(V).rows) == str(V * V)


def test_a_forged_witness_is_rejected_before_it_counts():
    for forged in ({"V": 2, "a": 2}, {"V": 0, "a": 0}, {"V": 2, "a": 0, "extra": 1}):
        with pytest.raises(ForgedWitness):
            step_copy.replay(forged, bias=1)


# --- the ex3.f rows against the plain network of claims/ex3/trigram.py (explicit matrices, plain loops) -------------

def _plain_network_agrees(order, weights, most=2) -> bool:
    from proofs.claims.ex3 import trigram

    return all(trigram.first_mismatch(n, xs, order, weights) is None
               for n in range(1, most + 1) for xs in itertools.product(range(n), repeat=3))


@pytest.mark.slow
def test_the_representation_rows_agree_with_the_plain_network_for_every_weight_choice():
    from proofs.claims.ex3 import trigram

    claim = trigram.stated_weights_transposed
    kinds = ("identities", "ones_in_column_i")
    for w2, w3, order in itertools.product(kinds, kinds, ("printed", "transposed")):
        params = {**claim.params, "w2": w2, "w3": w3, "order": order}
        result = evaluate(claim, Perturbation("choice", params))
        agrees = _plain_network_agrees(order, {k: params[k] for k in trigram.SHEET_WEIGHTS})
        assert (result.verdict is Verdict.PROVED) == agrees, (w2, w3, order, result.reason)
        assert result.verdict in (Verdict.PROVED, Verdict.REFUTED)


def test_the_erratum_is_refuted_where_the_plain_network_also_differs_and_its_correction_proved():
    from proofs.claims.ex3 import network, trigram

    result = evaluate(trigram.hidden_representation)
    assert result.verdict is Verdict.REFUTED
    w = result.evidence["counterexample"]
    n, a, b = w["V"], w["a"], w["b"]
    h = network.run([b, a], network.one_hot(0, n + n * n), **trigram.hidden_net(n, **trigram.SHEET_WEIGHTS))[-1]
    assert h != trigram.printed_state(n, "printed", a, b)
    assert evaluate(trigram.hidden_representation_corrected).verdict is Verdict.PROVED
    assert evaluate(trigram.stated_weights_transposed).verdict is Verdict.PROVED


@pytest.mark.slow  # it reads the session's run of every perturbation of the seed pack
def test_every_perturbation_of_the_stated_weights_is_refuted_and_differs_in_the_plain_network(seed_perturbed):
    from proofs.claims.ex3 import trigram

    # the verdicts of the session's run of every perturbation of the seed pack (the runner, as `mutants` checks them)
    for name in ("bias_0", "w1_identity", "copy_identity", "recurrent_inside"):
        mutant = trigram.stated_weights_transposed.perturbation(name)
        result = seed_perturbed[(trigram.stated_weights_transposed.id, name)]
        assert result.verdict is Verdict.REFUTED, (name, result.reason)
        assert not _plain_network_agrees("transposed", {**trigram.SHEET_WEIGHTS, **mutant.params})


@pytest.mark.slow
def test_generated_threshold_pair_blocks_agree_with_numpy():
    """tests/oracle_shaped.py's threshold pair blocks: truth fixed by numpy's plain network; no wrong verdict."""
    import oracle_shaped
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(12):
        case = oracle_shaped._threshold_pairs(oracle_sized.Seeded(seed), f"pairs{seed}")
        result = evaluate(case.claim())
        assert oracle.verdict_class(case, result.verdict.value, result.status.value) == "ok", (case.text, result.reason)
        seen.add(case.truth)
    assert seen == {True, False}


def test_a_quotient_and_a_remainder_are_integer_variables_defined_by_the_division():
    """⌊p / q⌋ and p mod q reach z3 as variables d, m with p = q·d + m and m between 0 and q (sympy's sign
    convention, negative values included), free where q = 0; of a real number they are not translated (the definition
    would make the number an integer: floor(A[i]) == A[i] was shown)."""
    import sympy

    from proofs import shaped_proof

    x, y = sympy.symbols("x y", integer=True)
    identity = sympy.Eq(x, y * sympy.floor(x / y) + sympy.Mod(x, y))
    assert shaped_proof._valid(identity, [sympy.Ne(y, 0)]).answer == "unsat"
    assert shaped_proof._valid(sympy.Mod(x, y) >= 0, [sympy.Ne(y, 0)]).answer == "sat"  # y < 0
    assert shaped_proof._valid(sympy.Eq(sympy.floor(-x / 3), -sympy.floor(x / 3)), []).answer == "sat"  # x = 1
    assert shaped_proof._valid(sympy.Eq(sympy.floor(x / 3), sympy.floor((x + 1) / 3)), []).answer == "sat"
    entry = sympy.IndexedBase("A")[sympy.Symbol("i", integer=True)]
    assert shaped_proof._valid(sympy.Eq(sympy.floor(entry), entry), []) is None
    assert shaped_proof._valid(sympy.Eq(sympy.Mod(entry, 2), 0), []) is None
