"""Hostile statements over vectors and matrices of symbolic size, second round, each with its truth worked out by hand:
a true one is proved or left unknown, a false one refuted with a counterexample plain Python confirms, never the other
way round."""

from fractions import Fraction

from proofs import (ColumnVector, Function, IndexOf, IntRange, Matrix, MatrixSequence, Nat, OneOf, Real, Size, SquareMatrix,
                    Vector, Verdict, backward, elementwise, exists, forall, mprod, number, onehot, softmax)
from proofs.evaluate import evaluate

V = Size("V")


@exists("redteam2.ex1.a.some_vector", "Some u has u_0 = 1: true (u = (1, ..., 1)).")
def some_vector(u: Vector(Real, V), target=1):
    return u[0] == number(target)


@exists("redteam2.ex1.a.no_vector", "Some u has softmax(u)_0 = 2: false (a probability is at most 1).")
def no_vector(u: Vector(Real, V), target=2):
    return softmax(u)[0] == number(target)


@exists("redteam2.ex1.a.commuting", "Some A, B commute: true (A = B).")
def commuting(A: SquareMatrix, B: SquareMatrix):
    return A @ B == B @ A


def test_an_exists_over_symbolic_sizes_is_never_decided_as_a_forall():
    # @exists was decided as @forall: a true "some u has u_0 = 1" was refuted at u = (0). Neither engine decides an
    # existential, so both are unknown (which fails), never refuted, whatever its truth.
    for claim in (some_vector, no_vector, commuting):
        result = evaluate(claim)
        assert result.verdict is Verdict.UNKNOWN and "@exists" in result.reason, claim.id
    assert "there exist u" in some_vector.formal


W = Size("V", at_least=2)
N = Size("n", at_least=3)
L = Size("L", at_least=7)


@forall("redteam2.ex2.a.set_index", "x[a - 5] is an entry for a in {5, 6} and every |V| >= 2: true.")
def set_index(x: Vector(Real, W), a: OneOf(5, 6)):
    return 2 * x[a - 5] == x[a - 5] + x[a - 5]


@forall("redteam2.ex2.a.set_index_past", "x[a - 5] is an entry for a in {5, 7}: false at a = 7, |V| = 2.")
def set_index_past(x: Vector(Real, W), a: OneOf(5, 7)):
    return 2 * x[a - 5] == x[a - 5] + x[a - 5]


@forall("redteam2.ex2.a.set_onehot", "onehot(3, V) has a value for every |V| >= 2: false at |V| = 2, 3.")
def set_onehot(x: Vector(Real, W), a: OneOf(3)):
    return (onehot(a, W) + x)[0] == x[0]


def test_an_index_over_a_finite_set_is_searched_at_its_values_and_proved_from_them():
    # The search tried an index at 0, 1, -1, 2, -2 only, and the proof knew nothing of a OneOf's values: a statement
    # over a in {5, 7} was unknown though false at a = 7, and one over {5, 6} unknown though true.
    assert evaluate(set_index).verdict is Verdict.PROVED
    point = evaluate(set_index_past).evidence["counterexample"]
    assert point["a"] == 7 and point["V"] == 2 and point["a"] - 5 >= point["V"]  # x[2] of a vector of 2 entries
    point = evaluate(set_onehot).evidence["counterexample"]
    assert point["a"] >= point["V"]  # onehot(3, V) needs V > 3


@forall("redteam2.ex2.b.last_of_two", "onehot(a + 1, n) has a value for words a, b: false at a = n - 1.")
def last_of_two(x: Vector(Real, N), a: IndexOf(N), b: IndexOf(N)):
    return (x + onehot(a + 1, N))[b] == x[b] + onehot(a + 1, N)[b]


@forall("redteam2.ex2.b.greatest", "onehot(a, L)_6 = 0 for a in 0..6 and |L| >= 7: false at a = 6.")
def greatest(x: Vector(Real, L), a: IntRange(0, 6)):
    return (x + onehot(a, L))[6] == x[6]


@forall("redteam2.ex2.b.below_greatest", "onehot(a, L)_6 = 0 for a in 0..5 and |L| >= 7: true.")
def below_greatest(x: Vector(Real, L), a: IntRange(0, 5)):
    return (x + onehot(a, L))[6] == x[6]


def test_an_index_is_tried_at_its_greatest_value_beside_another_index():
    # Only the first six combinations of the index values were tried (the first index at 0 and 1): with two words
    # a, b of at least three, a = n - 1 was never reached; a range's greatest value was never tried at all.
    point = evaluate(last_of_two).evidence["counterexample"]
    assert point["a"] == point["n"] - 1
    point = evaluate(greatest).evidence["counterexample"]
    assert point["a"] == 6 and Fraction(point["x"][6]) + 1 != Fraction(point["x"][6])  # onehot(6, L)_6 = 1 is added
    # below the greatest value the one-hot never reaches entry 6: its delta δ(6, a) is shown 0 by z3 from a <= 5
    assert evaluate(below_greatest).verdict is Verdict.PROVED


def test_generated_existentials_are_never_refuted_when_true_nor_proved_when_false():
    """tests/oracle_shaped.py's existentials over vectors and matrices of symbolic size, truth by plain Fractions."""
    import oracle_shaped
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(12):
        case = oracle_shaped._existential(oracle_sized.Seeded(seed), f"some{seed}")
        result = evaluate(case.claim())
        verdict = oracle.verdict_class(case, result.verdict.value, result.status.value)
        assert verdict in ("ok", "unknown"), (case.text, case.truth, result.verdict, result.reason)
        seen.add(case.truth)
    assert seen == {True, False}


G = Function("f")


@forall("redteam2.ex3.a.clash", "f(2 f) = 2 f(f) for every function f and vector named f: false (f(z) = 1 + 2z).",
        perturb={"sum": {"scale": 1}})
def clash(f: Vector(Real, V), scale=2):
    rhs = scale * elementwise(G, f) if scale == 2 else elementwise(G, f + f)
    return elementwise(G, 2 * f) == rhs


def test_a_function_named_like_a_variable_is_refuted_with_a_witness_that_replays():
    # The witness gave the function's coefficients under its name, over the vector of that name: the replay read the
    # coefficients as the vector and the false statement ended in an error.
    result = evaluate(clash)
    assert result.verdict is Verdict.REFUTED
    point = result.evidence["counterexample"]
    x = [Fraction(v) for v in point["f"]]
    poly = [Fraction(c) for c in point["f(·)"]]
    f = lambda z: sum(c * z ** k for k, c in enumerate(poly))  # noqa: E731
    assert any(f(2 * v) != 2 * f(v) for v in x)
    assert evaluate(clash, clash.perturbation("sum")).verdict is Verdict.PROVED


@forall("redteam2.ex4.a.uniform", "softmax of a constant vector is uniform: V softmax(c 1)_a = 1 for every |V|.",
        perturb={"twice": {"scale": 2}})
def uniform(u: Vector(Real, V), a: IndexOf(V), scale=1):
    return softmax(u - u + 3)[a] * V * scale == number(1)


@forall("redteam2.ex4.a.uniform_apart", "V softmax(0)_a ≠ 2 for every |V|: true (it is 1).",
        perturb={"one": {"other": 1}})
def uniform_apart(u: Vector(Real, V), a: IndexOf(V), other=2):
    return softmax(0 * u)[a] * V != number(other)


def test_softmax_of_a_constant_vector_is_proved_uniform_for_every_size():
    # Σ_q exp(3) over the V words was left a sum, so the uniform vector's entries were never shown 1/V.
    assert evaluate(uniform).verdict is Verdict.PROVED
    point = evaluate(uniform, uniform.perturbation("twice")).evidence["counterexample"]
    assert point["V"] == 1  # 2 · 1 · softmax(3)_0 = 2 at one word
    assert evaluate(uniform_apart).verdict is Verdict.PROVED
    assert evaluate(uniform_apart, uniform_apart.perturbation("one")).verdict is Verdict.REFUTED


m = Size("m")


@forall("redteam2.ex4.b.shift", "softmax(W x + c) = softmax(W x) for every shift c and every size: true.",
        perturb={"scaled": {"scale": 2}, "multiplied": {"outside": 3}})
def shift(W: Matrix(Real, V, m), x: Vector(Real, m), scale=1, outside=1):
    return softmax(scale * (W @ x) - 2) == outside * softmax(W @ x + 5)


def test_softmax_shift_invariance_is_proved_and_its_perturbations_refuted():
    # exp(z_i - 2) / Σ_q exp(z_q - 2) was compared as written: the factor exp(-2) above and below never cancelled, so
    # the identity every softmax derivation uses was unknown.
    assert evaluate(shift).verdict is Verdict.PROVED
    for name in ("scaled", "multiplied"):
        result = evaluate(shift, shift.perturbation(name))
        assert result.verdict is Verdict.REFUTED, name
    point = evaluate(shift, shift.perturbation("multiplied")).evidence["counterexample"]
    assert point["V"] == 1  # softmax of one word is 1, three times it is 3


def test_generated_indices_over_finite_sets_and_ranges_agree_with_their_truth():
    """tests/oracle_shaped.py's entries read at an index of a finite set beside a one-hot over a range: no wrong
    verdict; a false one is refuted (its index past the size is among those searched first)."""
    import oracle_shaped
    import oracle_sized
    import oracle_statements as oracle

    seen = set()
    for seed in range(24):
        case = oracle_shaped._finite_index(oracle_sized.Seeded(seed), f"finite{seed}")
        result = evaluate(case.claim())
        verdict = oracle.verdict_class(case, result.verdict.value, result.status.value)
        assert verdict == "ok" or (verdict == "unknown" and case.truth), (case.text, case.truth, result.verdict, result.reason)
        seen.add((case.truth, verdict))
    assert (False, "ok") in seen and (True, "ok") in seen, seen


@forall("redteam2.ex4.c.two_words", "softmax over two words sums to 1: true; half each: false.",
        perturb={"half": {"half": True}})
def two_words(u: Vector(Real, 0 * m + 2), half=False):
    if half:
        return 2 * softmax(u)[0] == number(1)
    return softmax(u)[0] + softmax(u)[1] == number(1)


def test_a_sum_over_a_size_of_fixed_value_is_written_out():
    # A vector of size 0 * m + 2 has two entries for every m, but its softmax's denominator stayed a sum over 0..1.
    assert evaluate(two_words).verdict is Verdict.PROVED
    point = evaluate(two_words, two_words.perturbation("half")).evidence["counterexample"]
    u = [Fraction(v) for v in point["u"]]
    assert u[0] != u[1]  # softmax(u)_0 = 1/2 exactly when the two entries are equal


@forall("redteam2.ex5.a.two_factors", "∏_{k=t}^{t+1} W_k = W_t W_{t+1}: true; W_{t+1} W_t: false.",
        perturb={"reversed": {"order": "reversed"}})
def two_factors(t: Nat, W: MatrixSequence(SquareMatrix), order="ascending"):
    rhs = W[t] @ W[t + 1] if order == "ascending" else W[t + 1] @ W[t]
    return mprod(lambda k: W[k], t, t + 1) == rhs


@forall("redteam2.ex5.a.at_the_top", "∂l/∂h_T = g (no factor); 2g is not.", perturb={"doubled": {"scale": 2}})
def at_the_top(T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector, scale=1):
    return backward(g, lambda k: W[k], T, T) == scale * g


def test_products_and_gradients_of_a_fixed_number_of_factors_are_written_out():
    # With no premise to run an induction from, mprod(W, t, t + 1) stayed an opaque matrix: a two-factor product and
    # the gradient at its own top step were unknown.
    assert evaluate(two_factors).verdict is Verdict.PROVED
    assert "unrolled" in evaluate(two_factors).evidence
    assert evaluate(two_factors, two_factors.perturbation("reversed")).verdict is Verdict.REFUTED
    assert evaluate(at_the_top).verdict is Verdict.PROVED
    point = evaluate(at_the_top, at_the_top.perturbation("doubled")).evidence["counterexample"]
    assert any(Fraction(v) != 0 for v in point["g"])  # g = 2g only at g = 0
