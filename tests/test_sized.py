"""Statements over matrices and vectors of symbolic size (proofs.sized, proofs.sized_decision): true ones proved for
every n, false ones refuted at a concrete size with a counterexample the plain replay confirms, unknown never a pass."""

from fractions import Fraction

import numpy as np
import pytest

from proofs import (ColumnVector, Diagonal, ForgedWitness, Lemma, MatrixSequence, Nat, Orthogonal, Perturbation, SquareMatrix, Verdict,
                    ZeroOneDiagonal, backward, forall, given, identity_matrix, mprod, norm, nprod)
from proofs.evaluate import evaluate

LEMMAS = {name: Lemma(name, name) for name in ("operator_norm_matrix_vector", "operator_norm_submultiplicative",
                                               "operator_norm_orthogonal", "operator_norm_transpose", "operator_norm_diagonal")}


def _numpy(witness, name, key=None):
    raw = witness[name] if key is None else witness[name][str(key)]
    rows = [[float(Fraction(v)) for v in row] for row in raw] if isinstance(raw[0], list) else [[float(Fraction(v))] for v in raw]
    return np.array(rows)


def _refuted(claim, **params):
    result = evaluate(claim, Perturbation("planted", params, "a planted error")) if params else evaluate(claim)
    assert result.verdict is Verdict.REFUTED, (result.verdict, result.reason)
    assert result.evidence["replay"]["holds"] is False
    return result.evidence["counterexample"]


@forall("test.ex5.a.transpose", "(A B)^T = B^T A^T.")
def transpose(A: SquareMatrix, B: SquareMatrix, swap=True):
    return (A @ B).T == ((B.T @ A.T) if swap else (A.T @ B.T))


def test_the_transpose_of_a_product_is_proved_for_every_size_and_a_missing_swap_refuted():
    result = evaluate(transpose)
    assert result.verdict is Verdict.PROVED and result.evidence["sizes"] == "every n ≥ 1"
    point = _refuted(transpose, swap=False)
    A, B = _numpy(point, "A"), _numpy(point, "B")  # numpy, independently of the engine's replay
    assert not np.allclose((A @ B).T, A.T @ B.T)


@forall("test.ex5.a.chain", "dl/dh_t as a product of index-ordered factors.")
def chain(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector, form="column"):
    forms = {"column": lambda: mprod(lambda k: W[k].T @ D[k + 1], t, T - 1) @ g,
             "reversed": lambda: mprod(lambda k: D[k + 1] @ W[k], t, T - 1).T @ g,
             "row": lambda: (g.T @ mprod(lambda k: D[k + 1] @ W[k].T, t, T - 1)).T,
             "untransposed": lambda: mprod(lambda k: W[k] @ D[k + 1], t, T - 1) @ g}
    return given(t <= T, backward(g, lambda k: D[k + 1] @ W[k], t, T) == forms[form]())


@pytest.mark.parametrize("form", ["reversed", "row", "untransposed"])
def test_the_chain_rule_is_proved_by_induction_and_another_index_order_or_transpose_refuted(form):
    proved = evaluate(chain)
    assert proved.verdict is Verdict.PROVED and "T - t" in proved.evidence["induction"]
    point = _refuted(chain, form=form)
    t, T = point["t"], point["T"]
    W = {k: _numpy(point, "W", k) for k in range(t, T)}
    D = {k: _numpy(point, "D", k) for k in range(t + 1, T + 1)}
    grad, P = _numpy(point, "g"), np.eye(point["n"])
    for k in range(T - 1, t - 1, -1):
        grad = (D[k + 1] @ W[k]).T @ grad
    for k in range(t, T):
        P = P @ {"reversed": D[k + 1] @ W[k], "row": D[k + 1] @ W[k].T, "untransposed": W[k] @ D[k + 1]}[form]
    stated = {"reversed": P.T @ _numpy(point, "g"), "row": (_numpy(point, "g").T @ P).T, "untransposed": P @ _numpy(point, "g")}[form]
    assert not np.allclose(grad, stated)


@forall("test.ex5.c.orthogonal", "W^T W = I is used by rewriting.")
def orthogonal(W: Orthogonal, A: SquareMatrix, scale=1):
    return (scale * W).T @ W @ A @ W.T @ W == A


def test_an_orthogonal_matrix_cancels_against_its_transpose_and_a_scaled_one_does_not():
    assert evaluate(orthogonal).verdict is Verdict.PROVED
    point = _refuted(orthogonal, scale=2)
    assert np.allclose(_numpy(point, "W").T @ _numpy(point, "W"), np.eye(point["n"]))  # a real orthogonal matrix


@forall("test.ex5.b.bound", "||dl/dh_t|| <= ||dl/dh_T|| prod ||factor||.", trusts=tuple(LEMMAS.values()))
def bound(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector, factor="W^T D"):
    factors = {"W^T D": lambda k: W[k].T @ D[k + 1], "D W^T": lambda k: D[k + 1] @ W[k].T}
    return given(t <= T, norm(backward(g, lambda k: D[k + 1] @ W[k], t, T)) <= norm(g) * nprod(lambda k: norm(factors[factor](k)), t, T - 1))


def test_a_norm_bound_is_proved_from_the_lemmas_and_a_wrong_factor_refuted_with_exact_norms():
    proved = evaluate(bound)
    assert proved.verdict is Verdict.PROVED and list(proved.evidence["lemmas"]) == ["operator_norm_matrix_vector"]
    point = _refuted(bound, factor="D W^T")
    assert point["T"] - point["t"] == 1
    W, D, g = _numpy(point, "W", point["t"]), _numpy(point, "D", point["t"] + 1), _numpy(point, "g")
    assert np.linalg.norm(W.T @ D @ g) > np.linalg.norm(g) * np.linalg.norm(D @ W.T, 2) + 1e-9


@forall("test.ex5.d.relu", "||dl/dh_t|| <= ratio ||dl/dh_T||.", trusts=(LEMMAS["operator_norm_orthogonal"],))
def relu(t: Nat, T: Nat, W: MatrixSequence(Orthogonal), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector, ratio=1):
    return given(t <= T, norm(backward(g, lambda k: D[k + 1] @ W[k], t, T)) <= ratio * norm(g))


def test_a_proof_that_needs_an_untrusted_lemma_is_unknown_and_names_it():
    result = evaluate(relu)
    assert result.verdict is Verdict.UNKNOWN and "operator_norm_diagonal" in result.reason
    assert not result.status.value == "pass"


@pytest.mark.slow
def test_a_true_relation_with_no_proof_is_unknown_not_proved():
    @forall("test.ex5.b.frobenius", "||A|| <= ||A^T A||... only with A^T A's norm: not derivable from the lemmas.",
            trusts=tuple(LEMMAS.values()))
    def squared(A: SquareMatrix):
        return norm(A) * norm(A) <= norm(A.T @ A)  # true (equality), but no lemma gives a lower bound
    assert evaluate(squared).verdict is Verdict.UNKNOWN


def test_the_replay_checks_every_value_against_its_domain():
    point = _refuted(orthogonal, scale=2)
    for forged in ({**point, "W": [["2", "0"], ["0", "1"]]}, {**point, "n": 0}, {**point, "A": [["1", "2"]]},
                   {**point, "extra": 1}, {k: v for k, v in point.items() if k != "A"}):
        with pytest.raises(ForgedWitness):
            orthogonal.replay(forged, scale=2)
    relu_point = {"n": 2, "t": 0, "T": 1, "W": {"0": [[1, 0], [0, 1]]}, "D": {"1": [[1, 0], [0, "1/2"]]}, "g": [1, 1]}
    with pytest.raises(ForgedWitness):
        relu.replay(relu_point, ratio=1)
    with pytest.raises(ForgedWitness):
        relu.replay({**relu_point, "t": -1, "D": {"1": [[1, 0], [0, 0]]}}, ratio=1)
    assert relu.replay({**relu_point, "D": {"1": [[1, 0], [0, 0]]}}, ratio=1).holds
    assert relu.replay({**relu_point, "t": 2, "D": {"1": [[1, 0], [0, 0]]}}, ratio=1).holds  # the premise t <= T fails


def test_the_formal_statement_is_printed_from_the_term():
    assert chain.formal.startswith("for all n ≥ 1; t, T ∈ ℕ;")
    assert "t ≤ T ⇒" in chain.formal and "∏_{k=t}^{T - 1} (W_{k}ᵀ D_{k + 1})" in chain.formal
    assert str(norm(identity_matrix())) == "‖I‖"


def test_terms_refuse_what_has_no_meaning():
    A = SquareMatrix.variable("A")
    g = ColumnVector.variable("g")
    with pytest.raises(TypeError):
        g @ A  # a vector times a matrix
    with pytest.raises(TypeError):
        bool(A == A)
    with pytest.raises(TypeError):
        A == g  # noqa: B015 - different shapes
    with pytest.raises(TypeError):
        norm(A) <= A  # noqa: B015


def test_repeated_factors_are_cancelled_and_bounded_one_by_one():
    """sympy writes X X as X²: the roles' facts and the lemmas still apply to each factor (E E = E for a 0/1 diagonal,
    Q Qᵀ = I inside Q Q Qᵀ, ‖B B v‖ ≤ ‖B‖ ‖B‖ ‖v‖)."""
    @forall("test.ex5.a.idempotent", "E E Q = E Q.")
    def idempotent(E: ZeroOneDiagonal, Q: Orthogonal, A: SquareMatrix):
        return (E @ E @ Q @ Q @ Q.T @ A == E @ Q @ A)

    @forall("test.ex5.b.squared", "||B B v|| <= ||B|| ||B|| ||v||.", trusts=tuple(LEMMAS.values()))
    def squared(B: SquareMatrix, v: ColumnVector):
        return norm(B @ B @ v) <= norm(B) * norm(B) * norm(v)

    assert evaluate(idempotent).verdict is Verdict.PROVED
    assert evaluate(squared).verdict is Verdict.PROVED


@forall("test.ex5.d.relu_norm", "||D|| = 1 unless D = 0.", trusts=(LEMMAS["operator_norm_diagonal"],))
def relu_norm(D: ZeroOneDiagonal, value=1, unless_zero=True):
    return given(D != 0, norm(D) == value) if unless_zero else norm(D) == value


def test_a_matrix_premise_is_used_by_the_norm_proof_and_dropping_it_is_refuted():
    proved = evaluate(relu_norm)
    assert proved.verdict is Verdict.PROVED, proved.reason
    assert list(proved.evidence["lemmas"]) == ["operator_norm_diagonal"] and proved.evidence["premise"] == "D ≠ 0"
    assert "D ≠ 0 ⇒ ‖D‖ = 1" in relu_norm.formal
    point = _refuted(relu_norm, unless_zero=False)  # D = 0 is where ||D|| = 1 fails
    assert not np.any(_numpy(point, "D"))
    point = _refuted(relu_norm, value=Fraction(1, 2))
    assert np.any(_numpy(point, "D")) and np.linalg.norm(_numpy(point, "D"), 2) == 1.0
    assert relu_norm.replay({"n": 2, "D": [[0, 0], [0, 0]]}, value=Fraction(1, 2)).holds  # the premise D != 0 fails
    with pytest.raises(ForgedWitness):
        relu_norm.replay({"n": 1, "D": [["1/2"]]}, value=1)


def test_a_matrix_premise_without_a_norm_proof_is_not_proved():
    @forall("test.ex5.d.diagonal_norm", "||D|| = 1 unless D = 0, for any diagonal D: false.",
            trusts=(LEMMAS["operator_norm_diagonal"],))
    def diagonal(D: Diagonal):
        return given(D != 0, norm(D) == 1)
    assert _refuted(diagonal)["n"] >= 1
    with pytest.raises(TypeError):
        given(norm(identity_matrix()) <= 1, norm(identity_matrix()) <= 1)
    with pytest.raises(TypeError, match="premise of given"):
        @forall("test.ex5.d.ne_alone", "!= is a premise only")
        def apart(D: ZeroOneDiagonal):
            return D != 0


@forall("test.ex5.d.killed_column", "A zero factor D_{k+1} stops the product prod_{j=t}^{T-1} W_j^T D_{j+1} g.")
def killed_column(t: Nat, k: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector,
                  upper="lt", below="0"):
    product = mprod(lambda j: W[j].T @ D[j + 1], t, T - 1) @ g
    return given(t <= k, k < T if upper == "lt" else k <= T, D[k + 1] == 0, product == (0 if below == "0" else g))


def test_several_premises_one_on_a_sequence_member_prove_a_zero_product_and_each_change_is_refuted():
    """given(t <= k, k < T, D[k + 1] == 0, ...): induction on k - t whose base peels the zero factor at k (the premise
    k < T gives one), the hypothesis put for the run of factors P g; k <= T or a right side g is refuted, and numpy
    confirms each counterexample."""
    result = evaluate(killed_column)
    assert result.verdict is Verdict.PROVED and result.evidence["premise"] == "D_{k + 1} = 0"
    assert result.evidence["induction"].startswith("on k - t: the first factor at k peeled off")
    assert "0" in result.evidence["checked"]["line1"]["text"]
    for change in ({"upper": "le"}, {"below": "g"}):
        point = _refuted(killed_column, **change)
        t, k, T, n = point["t"], point["k"], point["T"], point["n"]
        assert t <= k and (k < T or change.get("upper") == "le")
        D = {j: _numpy(point, "D", j) if str(j) in point["D"] else None for j in range(t + 1, T + 2)}
        assert not D[k + 1].any()  # the premise holds at the counterexample
        value = _numpy(point, "g")
        for j in range(T - 1, t - 1, -1):
            value = _numpy(point, "W", j).T @ D[j + 1] @ value
        assert not np.allclose(value, 0 if "below" not in change else _numpy(point, "g")) and value.shape == (n, 1)


def test_a_matrix_premise_on_a_member_outside_the_chain_proves_nothing():
    @forall("test.ex5.d.killed_elsewhere", "D_{T+1} = 0 is no factor of the chain.")
    def elsewhere(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector):
        return given(t <= T, D[T + 1] == 0, backward(g, lambda j: D[j + 1] @ W[j], t, T) == 0)

    point = _refuted(elsewhere)
    assert point["D"][str(point["T"] + 1)] == [["0"] * point["n"]] * point["n"]


def test_an_induction_whose_factor_mentions_the_moving_index_is_not_run():
    """Peeling ∏_{k=t}^{T-1} W_t would write the tail with W_{t+1}: the induction does not apply, and the false
    statement is refuted by search rather than proved and then contradicted by the exact replay."""
    @forall("test.ex5.a.frozen", "a factor that mentions t")
    def frozen(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix)):
        return given(t <= T, mprod(lambda k: W[t], t, T - 1) == mprod(lambda k: W[k], t, T - 1))

    result = evaluate(frozen)
    assert result.verdict is Verdict.REFUTED and "backend_disagreement" not in result.evidence
    assert "induction" not in result.evidence


def test_given_takes_premises_then_one_relation():
    from proofs.errors import InvalidClaim

    with pytest.raises(InvalidClaim, match="takes one or more premises, then the relation"):
        @forall("test.ex5.d.given_alone", "no relation")
        def alone(D: ZeroOneDiagonal):
            return given(D == 0)
    with pytest.raises(TypeError, match="premise of given"):
        given(identity_matrix(), identity_matrix() == identity_matrix())


def test_generated_chains_under_several_premises_agree_with_numpy():
    """tests/oracle_sized.py's chains under several premises, truth fixed by numpy: no wrong verdict, none unknown."""
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(24):
        case = oracle_sized._killed(oracle_sized.Seeded(seed), f"killed{seed}")
        if case is None:
            continue
        result = evaluate(case.claim())
        assert oracle.verdict_class(case, result.verdict.value, result.status.value) == "ok", (case.text, result.reason)
        seen.add(case.truth)
    assert seen == {True, False}


def test_a_false_statement_under_a_premise_random_draws_never_meet_is_refuted_at_an_instance_drawn_to_meet_it():
    """A == B holds for no two random matrices: the search draws A as B's value, and the counterexample satisfies the
    premise when replayed (numpy checks it independently)."""
    @forall("test.ex5.a.equal_premise", "A = B gives A C = C B.", perturb={"commuting": {"swap": True}})
    def equal_premise(A: SquareMatrix, B: SquareMatrix, C: SquareMatrix, swap=False):
        return given(A == B, A @ C == (C @ B if swap else B @ C))

    assert evaluate(equal_premise).verdict is Verdict.PROVED
    point = _refuted(equal_premise, swap=True)
    A, B, C = _numpy(point, "A"), _numpy(point, "B"), _numpy(point, "C")
    assert np.array_equal(A, B) and not np.allclose(A @ C, C @ B)


def test_a_bound_index_that_is_also_a_free_one_is_printed_renamed():
    """backward(g, lambda k: ..., t, T) under a premise on a free k: the Jacobian's own index prints as k′, so the
    formal statement reads one way; the decided term is unchanged (the claim is still proved)."""
    @forall("test.ex5.d.clash", "the Jacobian's k is not the premise's k")
    def clash(t: Nat, k: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector):
        return given(t <= k, k < T, D[k + 1] == 0, backward(g, lambda k: D[k + 1] @ W[k], t, T) == 0)

    assert "D_{k + 1} = 0 ⇒ ∂l/∂h_{t} (∂l/∂h_{T} = g, ∂h_{k′ + 1}/∂h_{k′} = D_{k′ + 1} W_{k′}) = 0" in clash.formal
    assert evaluate(clash).verdict is Verdict.PROVED


# backward(g, J, t, T) runs the chain rule from T down to t: it has no value where t > T, so a statement that reads it
# without a premise t <= T is false there (as a scalar statement is where a term has no value), never an error.
@forall("demo.ex9.a.no_premise", "dl/dh_t = prod_{k=t}^{T-1} W_k^T dl/dh_T, with no t <= T (false at t > T).")
def _no_premise(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g


@forall("demo.ex9.b.itself", "backward(...) equals itself, with no t <= T (false at t > T: no value).")
def _itself(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return backward(g, lambda k: W[k], t, T) == backward(g, lambda k: W[k], t, T)


@forall("demo.ex9.c.one_past", "the same where t <= T + 1 (false at t = T + 1).")
def _one_past(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return given(t <= T + 1, backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g)


@forall("demo.ex9.d.in_range", "the same where t <= T (true).")
def _in_range(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return given(t <= T, backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g)


@pytest.mark.parametrize("claim", [_no_premise, _itself, _one_past])
def test_a_gradient_read_past_its_last_step_has_no_value_and_is_refuted_not_an_error(claim):
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED, result.reason
    witness = result.evidence["counterexample"]
    assert witness["t"] > witness["T"]
    replayed = claim.replay(witness)
    assert replayed.holds is False and "t ≤ T" in replayed.sides["undefined"]
    assert evaluate(_in_range).verdict is Verdict.PROVED


@forall("demo.ex9.e.strictly_before", "the same where t < T (true: t < T implies t <= T).")
def _strictly_before(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return given(t < T, backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g)


@forall("demo.ex9.f.two_past", "the same where t < T + 2 (false at t = T + 1).")
def _two_past(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
    return given(T + 2 > t, backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g)


def test_a_strict_premise_on_the_steps_is_proved_through_the_weaker_one_it_implies():
    proved = evaluate(_strictly_before)
    assert proved.verdict is Verdict.PROVED, proved.reason
    assert "t ≤ T" in proved.evidence["premise_weakened"]
    assert evaluate(_two_past).verdict is Verdict.REFUTED


def test_an_exact_zero_sympy_does_not_simplify_is_never_a_sign_and_a_true_difference_is():
    """10^300 (√2 + √3 − √(5 + 2√6)) is exactly 0; without strict evaluation sympy prints it "0.e+176", which was read
    as positive, so an instance comparing such values refuted a true statement. Digits sympy cannot guarantee are no
    sign (the instance holds, never a refutation); a difference it can evaluate keeps its sign."""
    import sympy

    from proofs.sized_instances import _sign

    zero = sympy.Integer(10) ** 300 * (sympy.sqrt(2) + sympy.sqrt(3) - sympy.sqrt(5 + 2 * sympy.sqrt(6)))
    assert sympy.simplify(zero) == 0 and _sign(zero) == 0
    assert _sign(sympy.sqrt(2) - sympy.Rational(141421356237, 10 ** 11)) == 1
    assert _sign(sympy.Rational(141421356237, 10 ** 11) - sympy.sqrt(2)) == -1
    assert _sign(sympy.Integer(10) ** -25) == 0 and _sign(sympy.Integer(10) ** -15) == 1


@pytest.mark.parametrize("transposed", [True, False])
def test_one_step_of_the_chain_rule_is_proved_by_its_first_factor_and_a_missing_transpose_refuted(transposed):
    """dl/dh_t = W_tᵀ D_{t+1} dl/dh_{t+1} for t < T: the factor mentions t, so no induction runs; the gradient from t
    has a first factor by the premise and is peeled once, the rest (from t + 1) is opaque on both sides."""
    @forall("test.ex5.a.one_step", "one step of the backward recurrence")
    def one_step(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector):
        J = lambda k: D[k + 1] @ W[k]  # noqa: E731
        return given(t + 1 <= T, backward(g, J, t, T) == (W[t].T if transposed else W[t]) @ D[t + 1] @ backward(g, J, t + 1, T))

    result = evaluate(one_step)
    assert result.verdict is (Verdict.PROVED if transposed else Verdict.REFUTED), result.reason
    if transposed:
        assert "peeled once" in str(result.evidence) and "induction" not in result.evidence


def test_a_gradient_peeled_where_the_premises_give_no_first_factor_is_not_proved():
    """At t = T the gradient from t is g itself: peeling it there (t ≤ T does not give t < T) would prove a false step."""
    @forall("test.ex5.a.no_factor", "one step where none may be left")
    def no_factor(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector):
        J = lambda k: D[k + 1] @ W[k]  # noqa: E731
        return given(t <= T, backward(g, J, t, T) == W[t].T @ D[t + 1] @ backward(g, J, t + 1, T + 1))

    assert evaluate(no_factor).verdict is not Verdict.PROVED
