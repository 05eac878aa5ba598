"""Regressions for verdicts that were wrong: sums under a backend's convention, derivatives at kinks, algebraic
counterexamples, and the boundary probes every proof must survive."""

from fractions import Fraction

import pytest

from proofs import Verdict
from proofs.domains import Int, Interval, IntRange, Nat, Positive, Real
from proofs.evaluate import evaluate
from proofs.statement import forall
from proofs.terms import every, implies, summation


def _refuted_at(claim, **point):
    result = evaluate(claim)
    assert result.verdict is Verdict.REFUTED, (claim.id, result.verdict, result.reason)
    assert result.evidence["counterexample"] == point, result.evidence["counterexample"]
    assert claim.replay(point).holds is False
    return result


def test_an_empty_sum_is_zero_even_where_its_upper_bound_is_below_lower_minus_one():
    """sympy's Sum follows Karr's convention (Σ_a^b = -Σ_{b+1}^{a-1} for b < a - 1); the tool's sum is 0 there."""
    @forall("t.ex1.a.shifted_count", "Σ_{t=1}^{T-1} 1 = T - 1 for every natural T (false at T = 0).")
    def shifted_count(T: Nat):
        return summation(lambda t: 1, 1, T - 1) == T - 1

    @forall("t.ex1.b.from_two", "Σ_{i=2}^{n} i = n(n+1)/2 - 1 for every natural n (false at n = 0).")
    def from_two(n: Nat):
        return summation(lambda i: i, 2, n) == n * (n + 1) / 2 - 1

    @forall("t.ex1.c.over_int", "Σ_{i=1}^{n} i = n(n+1)/2 for every integer n (false at n = -2).")
    def over_int(n: Int):
        return summation(lambda i: i, 1, n) == n * (n + 1) / 2

    @forall("t.ex1.d.split", "Σ_1^n = Σ_1^m + Σ_{m+1}^n for all natural m, n (false where m > n).")
    def split(n: Nat, m: Nat):
        return summation(lambda i: i * i, 1, n) == summation(lambda i: i * i, 1, m) + summation(lambda i: i * i, m + 1, n)

    _refuted_at(shifted_count, T=0)
    _refuted_at(from_two, n=0)
    _refuted_at(over_int, n=-2)
    result = evaluate(split)
    assert result.verdict is Verdict.REFUTED
    point = result.evidence["counterexample"]
    assert point["m"] > point["n"] and split.replay(point).holds is False

    # and the sums that hold under the tool's semantics are still proved
    @forall("t.ex1.e.gauss", "Σ_{i=1}^{n} i = n(n+1)/2 for every natural n.")
    def gauss(n: Nat):
        return summation(lambda i: i, 1, n) == n * (n + 1) / 2

    @forall("t.ex1.f.shifted_from_one", "Σ_{t=1}^{T-1} 1 = T - 1 for every natural T ≥ 1: T + 1 written for T.")
    def shifted_from_one(T: Nat):
        return summation(lambda t: 1, 1, T) == T

    @forall("t.ex1.g.nested", "Σ_{i=1}^{n} Σ_{j=1}^{i} 1 = n(n+1)/2.")
    def nested(n: Nat):
        return summation(lambda i: summation(lambda j: 1, 1, i), 1, n) == n * (n + 1) / 2

    @forall("t.ex1.h.split_ordered", "Σ_1^n = Σ_1^m + Σ_{m+1}^n for natural m ≤ n.")
    def split_ordered(n: Nat, m: Nat):
        return implies(m <= n, summation(lambda i: i * i, 1, n) ==
                       summation(lambda i: i * i, 1, m) + summation(lambda i: i * i, m + 1, n))

    for claim in (gauss, shifted_from_one, nested, split_ordered):
        result = evaluate(claim)
        assert result.verdict is Verdict.PROVED, (claim.id, result.reason)


# --- derivatives at kinks ------------------------------------------------------------------------------------------

from proofs import backends  # noqa: E402
from proofs.terms import diff, ite, maximum, minimum, relu, var  # noqa: E402

_x, _y = var("x"), var("y")

KINKED_TRUE = {  # each has a derivative at its kink, decided from the whole term
    "relu_square": (diff(relu(_x) ** 2, _x), 2 * relu(_x)),
    "x_abs": (diff(_x * abs(_x), _x), 2 * abs(_x)),
    "abs_cube": (diff(abs(_x) ** 3, _x), 3 * _x * abs(_x)),
    "x_relu": (diff(_x * relu(_x), _x), 2 * relu(_x)),
    "huber": (diff(ite(abs(_x) <= 1, _x * _x / 2, abs(_x) - Fraction(1, 2)), _x), ite(abs(_x) <= 1, _x, ite(_x > 0, 1, -1))),
}


def test_a_derivative_at_a_kink_is_decided_from_the_one_sided_slopes_of_the_whole_term():
    for name, (lhs, rhs) in KINKED_TRUE.items():
        for point in (0, 1, -1, Fraction(1, 2)):
            assert backends.decide_exact(lhs == rhs, {"x": point}), (name, point)
    square_sum = diff(maximum(_x, _y) ** 2 + minimum(_x, _y) ** 2, _x)
    assert backends.exact_value(square_sum, {"x": 2, "y": 2}) == 4
    assert backends.exact_value(square_sum, {"x": -1, "y": -1}) == -2
    # where the one-sided slopes differ there is no derivative
    for t, point in ((diff(abs(_x), _x), 0), (diff(relu(_x) + _x * _x, _x), 0), (diff(maximum(_x, 2 * _x), _x), 0),
                     (diff(ite(_x >= 1, _x, 2 * _x - 1), _x), 1)):
        try:
            backends.exact_value(t, {"x": point})
        except backends.Undefined:
            continue
        raise AssertionError(f"{t} has no derivative at {point}")


def test_true_derivatives_of_piecewise_terms_are_never_refuted():
    def claim(name, lhs, rhs):
        @forall(f"t.ex2.a.{name}", "a derivative of a piecewise term")
        def statement(x: Real):
            return lhs == rhs
        return statement

    for name, (lhs, rhs) in KINKED_TRUE.items():  # in one variable: proved piece by piece, the kinks replayed
        result = evaluate(claim(name, lhs, rhs))
        assert result.verdict is Verdict.PROVED, (name, result.verdict, result.reason)
        assert any(step.startswith("x = 0") or step.startswith("x = -1") for step in result.evidence["pieces"])

    @forall("t.ex2.b.square_sum", "d/dx (max(x, y)² + min(x, y)²) = 2x")
    def square_sum(x: Real, y: Real):
        return diff(maximum(x, y) ** 2 + minimum(x, y) ** 2, x) == 2 * x

    assert evaluate(square_sum).verdict not in (Verdict.REFUTED, Verdict.ERROR)


def test_a_derivative_is_refuted_where_it_fails_not_where_the_inner_function_has_a_kink():
    @forall("t.ex3.a.indicator", "d/dx [|x| > 1] = 0 for every real x (false at ±1, where it jumps).")
    def indicator(x: Real):
        return diff(ite(abs(x) > 1, 1, 0), x) == 0

    assert indicator.replay({"x": 0}).holds is True
    result = evaluate(indicator)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert result.evidence["counterexample"]["x"] in (1, -1)
    assert indicator.replay(result.evidence["counterexample"]).holds is False


# --- algebraic counterexamples -------------------------------------------------------------------------------------

def test_a_counterexample_at_an_algebraic_point_is_found_and_replayed_exactly():
    from proofs.terms import exp, sqrt

    @forall("t.ex4.a.slope_never_six", "d/dx x³ ≠ 6 (false at x = ±√2).")
    def slope_never_six(x: Real):
        return diff(x ** 3, x) != 6

    @forall("t.ex4.b.shifted_root", "x + √2 ≠ 0 (false at x = -√2).")
    def shifted_root(x: Real):
        return x + sqrt(2) != 0

    @forall("t.ex4.c.scaled", "exp(x)·(x² - 2) ≠ 0 (false at x = ±√2).")
    def scaled(x: Real):
        return exp(x) * (x * x - 2) != 0

    import sympy

    for claim in (slope_never_six, shifted_root, scaled):
        result = evaluate(claim)
        assert result.verdict is Verdict.REFUTED, (claim.id, result.verdict, result.reason)
        point = result.evidence["counterexample"]
        assert isinstance(point["x"], str) and point["x"].startswith("root-obj"), point
        assert result.evidence["replay"]["holds"] is False
        value = claim.replay(point).sides
        assert value["holds"] is False
        from proofs.domains import exact_number

        assert sympy.simplify(exact_number(point["x"], "x") ** 2 - 2) == 0


# --- defence in depth ----------------------------------------------------------------------------------------------

def test_a_backend_s_proof_is_overturned_by_the_exact_replay_at_a_boundary_probe(monkeypatch):
    """A backend that answers 'proved' wrongly (here sympy made to say every identity holds, and sums given Karr's
    convention again) is caught by the replay at the probes: refuted, with the disagreement in the evidence."""
    import sympy

    from proofs import decision as engine

    @forall("t.ex5.a.wrong", "(x + 1)² = x² + 1 (false but at x = 0).")
    def wrong(x: Real):
        return implies_nothing(x)

    monkeypatch.setattr(engine, "_sympy_identity", lambda relation, scalars: True)
    monkeypatch.setattr(engine, "_z3_query", _raise_unsupported)
    result = evaluate(wrong)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert "exact replay disagrees" in result.evidence["backend_disagreement"]
    assert wrong.replay(result.evidence["counterexample"]).holds is False

    original = backends._sympy_ops

    def karr():
        ops = original()
        ops["sum"] = lambda each, name, lower, upper: sympy.Sum(each(sympy.Symbol(name, integer=True)),
                                                                (sympy.Symbol(name, integer=True), lower, upper))
        return ops

    monkeypatch.setattr(backends, "_sympy_ops", karr)
    monkeypatch.setattr(engine, "_sympy_identity", _ORIGINAL_IDENTITY)

    @forall("t.ex5.b.shifted_count", "Σ_{t=1}^{T-1} 1 = T - 1 for every natural T (false at T = 0).")
    def shifted_count(T: Nat):
        return summation(lambda t: 1, 1, T - 1) == T - 1

    result = evaluate(shifted_count)
    assert result.verdict is Verdict.REFUTED and result.evidence["counterexample"] == {"T": 0}, result.reason
    assert "sympy answered proved" in result.evidence["backend_disagreement"]


def implies_nothing(x):
    return (x + 1) ** 2 == x * x + 1


def _raise_unsupported(*args, **kwargs):
    from proofs.terms import Unsupported

    raise Unsupported("not here")


from proofs.decision import _sympy_identity as _ORIGINAL_IDENTITY  # noqa: E402


def test_a_sum_identity_that_also_holds_where_the_range_is_inverted_is_proved_case_by_case():
    """Σ_{i=2}^{n} (1 - i) = n/2 - n²/2 over ℕ: the closed form is 0 at n = 0, where the range is inverted and the
    sum is 0; over ℤ it fails at n = -1."""
    @forall("t.ex6.a.from_two", "Σ_{i=2}^{n} (1 - i) = n/2 - n²/2 for every natural n.")
    def from_two(n: Nat):
        return summation(lambda i: 1 - i, 2, n) == n / 2 - n * n / 2

    @forall("t.ex6.b.from_two_int", "Σ_{i=2}^{n} (1 - i) = n/2 - n²/2 for every integer n (false at n = -1).")
    def from_two_int(n: Int):
        return summation(lambda i: 1 - i, 2, n) == n / 2 - n * n / 2

    assert evaluate(from_two).verdict is Verdict.PROVED
    assert evaluate(from_two_int).verdict is Verdict.REFUTED


def test_a_proof_by_pieces_covers_the_piece_next_to_an_open_bound_of_the_domain(monkeypatch):
    """d/dx ite(x > 1, x², 2x - 1) = 2x fails on (0, 1) only: with the probes out of the way, the proof by pieces
    itself must find it there (the open bound 0 is a cut), and it proves the true form."""
    from proofs import probes
    from proofs import decision as engine
    from proofs.domains import Positive

    monkeypatch.setattr(probes, "boundary_points", lambda relation, scalars, limit=0: [])
    monkeypatch.setattr(engine, "_probe", lambda *args, **kwargs: None)

    @forall("t.ex7.a.slope", "d/dx ite(x > 1, x², 2x - 1) = 2x for x > 0 (false on (0, 1)).")
    def slope(x: Positive):
        return diff(ite(x > 1, x * x, 2 * x - 1), x) == 2 * x

    @forall("t.ex7.b.slope_fixed", "d/dx ite(x > 1, x², 2x - 1) = 2·ite(x > 1, x, 1) for x > 0.")
    def slope_fixed(x: Positive):
        return diff(ite(x > 1, x * x, 2 * x - 1), x) == 2 * ite(x > 1, x, 1)

    result = evaluate(slope)
    assert result.verdict is Verdict.REFUTED and 0 < Fraction(result.evidence["counterexample"]["x"]) < 1, result.reason
    assert evaluate(slope_fixed).verdict is Verdict.PROVED


def _lying_z3(monkeypatch):
    """z3 made to answer unsat to every query: every proof it gives is wrong, and only the exact replay can tell."""
    from proofs.solvers import smt

    monkeypatch.setattr(smt, "solve", lambda *args, **kwargs: smt.SmtAnswer("unsat", None, "", ""))


def test_an_inner_quantifier_z3_answers_unsat_for_is_replayed_at_the_inner_domain_s_boundary(monkeypatch):
    """∀ y ∈ [0, 1] and unique(ℝ, ...) at a point are settled by z3's unsat; a wrong unsat is overturned by the exact
    replay at the inner domain's bounds and at the roots of its body (y = 1, a = -2), in a finite outer domain (no
    outer probe would run) and in a closed statement alike."""
    from proofs import every, unique

    _lying_z3(monkeypatch)

    @forall("t.ex8.a.below", "every y in [0, 1] is below 1 + n, for n in {0..3} (false at n = 0, y = 1).")
    def below(n: IntRange(0, 3)):
        return every(Interval(0, 1), lambda y: y < 1 + n)

    @forall("t.ex8.b.only_root", "2 is the only real root of a² = 4 (false: -2).")
    def only_root(v=2):
        return unique(Real, lambda a: a * a == 4, v)

    @forall("t.ex8.c.only_positive_root", "2 is the only positive root of a² = 4.")
    def only_positive_root(v=2):
        return unique(Positive, lambda a: a * a == 4, v)

    for claim in (below, only_root):
        result = evaluate(claim)
        assert result.verdict is Verdict.REFUTED, (claim.id, result.verdict, result.reason)
    assert evaluate(only_positive_root).verdict is Verdict.PROVED  # the replay finds no second root among its probes


@pytest.mark.parametrize("domain, relation", [
    (Interval(0, 1), lambda x: x < 1),  # a closed upper end
    (Interval(0, None), lambda x: x > 0),  # a closed lower end
    (Nat, lambda x: x >= 1),  # ℕ has 0
    (IntRange(3, None), lambda x: x > 3),  # the smallest size
    (IntRange(10 ** 15, None), lambda x: x > 10 ** 15),  # a large one
    (Real, lambda x: x * x * x + 1 != 0),  # a root at -1
    (Real, lambda x: every(Interval(0, 1), lambda y: y < 1 + x * x)),  # the inner domain's end
])
def test_a_wrong_proof_from_z3_does_not_survive_the_exact_replay_at_the_domain_s_boundary(monkeypatch, domain, relation):
    _lying_z3(monkeypatch)

    @forall("t.ex8.d.boundary", "false only at a boundary point of the domain")
    def statement(x: domain):
        return relation(x)

    result = evaluate(statement)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert statement.replay(result.evidence["counterexample"]).holds is False
