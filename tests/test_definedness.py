"""A statement is decided only where every term of it has a value: conditions derived from the term, on every path."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLDEN, cli, run_cli
from proofs import ForgedWitness, IntRange, Indexed, Nat, Real, Verdict, exists, forall, summation
from proofs import backends, terms
from proofs.evaluate import evaluate
from proofs.terms import diff, exp, implies, ite, log, maximum, relu, sqrt, var

PACK = GOLDEN / "definedness"

# Each claim of the undefined pack: what has no value, in which term, at which point.
UNDEFINED = {
    "undef.ex1.a.log_square": "the logarithm of a number that is not positive in log(x) at x = -2/5",
    "undef.ex1.b.abs_slope": "the derivative of |·| where its argument is 0 and has a slope in ∂/∂x (|x|) at x = 0",
    "undef.ex1.c.cancel": "division by zero in exp(x)·x/x at x = 0",
    "undef.ex1.d.self_ratio": "division by zero in x/x at x = 0",
    "undef.ex1.e.max_slope": "the derivative of max or min where its arguments are equal and their slopes differ in "
                             "∂/∂x (max(x, 0)) at x = 0",
    "undef.ex1.f.ite_slope": "the derivative of an ite where its condition switches and its branches meet at an angle "
                             "in ∂/∂x (ite(x ≥ 0, x, -x)) at x = 0",
    "undef.ex1.g.square_root": "a negative number to a fractional power in x^(1/2) at x = -2/5",
    "undef.ex1.h.reciprocal": "0 to a negative power in x^-1 at x = 0",
    "undef.ex2.a.mean_of_ones": "division by zero in Σ_{j = 1..n} (1)/n at n = 0",
    "undef.ex2.b.softmax_shift": "division by zero in exp(z[i] + c)/Σ_{j = 1..n} (exp(z[j] + k·c)) at n = 0",
    "undef.ex2.c.finite_ratio": "division by zero in x/x at x = 0",
}


def test_a_statement_with_a_term_that_has_no_value_somewhere_in_its_domain_is_refuted_there_through_the_cli():
    """exp(x)·x/x = exp(x), d|x|/dx·|x| = x, (Σ 1)/n = 1 over ℕ were proved (sympy cancels, differentiates |x| as
    sign(x), sums an empty range); x/x = 1 was an error pointing into fractions.py, and log(x²) = 2 log x was refuted
    with a complex number as the value of a real statement. Each is now refuted at a point where a term has no value,
    and the replay says which term and which point."""
    proc = run_cli("check", "undef", "--claims", str(PACK), "--no-cache", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    assert set(results) == set(UNDEFINED)
    for claim_id, why in UNDEFINED.items():
        result = results[claim_id]
        assert (result["verdict"], result["status"]) == ("refuted", "fail"), (claim_id, result["reason"])
        assert f"undefined: {why}" in result["reason"], (claim_id, result["reason"])
        replay = result["evidence"]["replay"]
        assert replay["holds"] is False and replay["sides"]["undefined"].startswith(why), (claim_id, replay)
    assert "ZeroDivisionError" not in proc.stdout and "fractions.py" not in proc.stdout
    assert "I*pi" not in proc.stdout and "zoo" not in proc.stdout and "nan" not in proc.stdout


def test_the_same_statements_where_every_term_has_a_value_are_proved_and_their_perturbations_killed():
    proc = cli("check", "def", "--claims", str(PACK), "--no-cache")
    assert proc.returncode == 0 and "7 claims: 7 pass" in proc.stdout, proc.stdout + proc.stderr
    mutants = cli("mutants", "def", "undef", "--claims", str(PACK))
    assert "13/13 perturbations killed, 0 survived" in mutants.stdout, mutants.stdout + mutants.stderr


def _load(name):
    from proofs.registry import import_here

    return {c.id: c for c in import_here([PACK], entry_points=False).claims}[name]


def test_a_replay_at_a_point_without_a_value_fails_and_shows_each_side_exactly_or_as_undefined():
    cancel = _load("undef.ex1.c.cancel")
    replay = cancel.replay({"x": 0}, **cancel.params)
    assert replay.holds is False
    assert replay.sides["undefined"] == "division by zero in exp(x)·x/x at x = 0"
    assert replay.sides["right: k·exp(x)"] == 1
    assert cancel.replay({"x": 1}, **cancel.params).holds is True
    log_square = _load("undef.ex1.a.log_square")
    sides = log_square.replay({"x": "-2/5"}, **log_square.params).sides
    assert sides["right: k·log(x)"].startswith("undefined: the logarithm of a number that is not positive in log(x)")
    assert not any("I" in str(value) for value in sides.values()), sides


def test_an_existential_witness_is_a_point_where_the_statement_is_defined_and_holds():
    @exists("t.ex1.a.reciprocal_zero", "1/x = 0 for some real x.")
    def reciprocal_zero(x: Real):
        return 1 / x == 0

    # z3 gives 1/0 a value of its choosing, so x = 0 satisfied the query; the conditions are part of it now
    outcome = evaluate(reciprocal_zero)
    assert outcome.verdict is Verdict.REFUTED, outcome.reason
    assert reciprocal_zero.replay({"x": 0}).holds is False
    assert "division by zero in 1/x at x = 0" in reciprocal_zero.replay({"x": 0}).sides["undefined"]

    @exists("t.ex1.b.some_ratio", "x/x = 1 for some x in 0..2.")
    def some_ratio(x: IntRange(0, 2)):
        return x / x == 1

    result = evaluate(some_ratio)
    assert result.verdict is Verdict.PROVED and result.evidence["witness"] == {"x": 1}, result.reason

    @exists("t.ex1.c.only_where_undefined", "x/x = x + 1 for some x in {0, 1}: only at 0, where x/x has no value.")
    def only_where_undefined(x: IntRange(0, 1)):
        return x / x == x + 1

    result = evaluate(only_where_undefined)
    assert result.verdict is Verdict.REFUTED and result.evidence["replay"]["holds"] is False, result.reason


def test_conditions_that_cannot_be_decided_leave_the_statement_unknown_never_proved():
    # sympy simplifies sqrt(a)^2 to a, and x_i/x_i to 1; whether e^x + e^-x - 2 - x² >= 0 everywhere (true, but not
    # from the known ranges of exp), or no x_i is 0 for every sequence, is not shown by z3, sympy or any probe:
    # unknown, not proved
    @forall("t.ex1.a.root_squared", "sqrt(e^x + e^-x - 2 - x^2)^2 = e^x + e^-x - 2 - x^2.")
    def root_squared(x: Real):
        gap = exp(x) + exp(-x) - 2 - x * x
        return sqrt(gap) ** 2 == gap

    @forall("t.ex1.b.ratios", "the sum of x_i/x_i over i = 1..n is n.")
    def ratios(n: Nat, x: Indexed(Real)):
        return summation(lambda i: x[i] / x[i], 1, n) == n

    for claim in (root_squared, ratios):
        result = evaluate(claim)
        assert result.verdict is Verdict.UNKNOWN and result.status.value == "fail", result.reason
        assert "is not settled" in result.reason


def test_a_stated_value_that_leaves_a_term_without_a_value_refutes_the_statement():
    @forall("t.ex1.a.stated_divisor", "((x + 1) - x)/d · d = 1 for the stated d.", perturb={"zero": {"d": 0}})
    def stated_divisor(x: Real, d=2):
        return ((x + 1) - x) / d * d == 1

    assert evaluate(stated_divisor).verdict is Verdict.PROVED
    killed = evaluate(stated_divisor, stated_divisor.perturbation("zero"))
    assert killed.verdict is Verdict.REFUTED and "undefined: division by zero in" in killed.reason, killed.reason

    @forall("t.ex1.b.closed", "1/a = 0 for the stated a.")
    def closed(a=0):
        return terms.term(1) / a == 0

    result = evaluate(closed)
    assert result.verdict is Verdict.REFUTED and "undefined: division by zero in 1/a" in result.reason, result.reason


def test_a_witness_outside_the_sequence_is_still_forged_and_an_index_before_the_first_is_undefined():
    @forall("t.ex1.a.first", "x_i = x_i for every i in ℕ.")
    def first(i: Nat, x: Indexed(Real)):
        return x[i] == x[i]

    assert first.replay({"i": 1, "x": [5]}).holds is True
    replay = first.replay({"i": 0, "x": [5]})
    assert replay.holds is False and "a sequence's element that is not one of x[1], x[2]" in replay.sides["undefined"]
    with pytest.raises(ForgedWitness):
        first.replay({"i": 2, "x": [5]})
    assert evaluate(first).verdict is Verdict.REFUTED


# --- the conditions, derived from the term ------------------------------------------------------------------------

x, y, n = var("x"), var("y"), var("n")


def _shown(t):
    return [(terms.text(c.holds), c.failure) for c in terms.conditions(t)]


def test_a_subterm_is_required_to_have_a_value_only_where_it_is_evaluated():
    assert _shown(implies(x != 0, x / x == 1)) == []  # x ≠ 0 ⇒ x ≠ 0
    assert _shown(implies(x > 1, 1 / x == 1)) == [("x > 1 ⇒ x ≠ 0", "division by zero")]
    assert _shown(ite(x > 0, log(x), log(-x)) == 0) == [("¬(x > 0) ⇒ -x > 0", "the logarithm of a number that is not positive")]
    # a summand's condition holds for every index of its sum; one that does not mention the index, when it is not empty
    assert _shown(summation(lambda j: 1 / n, 1, n) == 1) == [("n ∈ ℤ", "a sum whose bounds are not whole numbers"),
                                                            ("1 ≤ n ⇒ n ≠ 0", "division by zero")]
    assert _shown(summation(lambda j: 1 / (j - y), 1, 3) == 1) == [("∀ j ∈ {1, …, 3}: j - y ≠ 0", "division by zero")]
    # inner conditions first: where they hold, the outer one is itself defined
    assert [text for text, _ in _shown(1 / (1 / x) == x)] == ["x ≠ 0", "1/x ≠ 0"]
    # & and | require both sides: write implies(...) or ite(...) for a guard
    assert [text for text, _ in _shown((x == 0) | (x / x == 1))] == ["x ≠ 0"]


def test_powers_need_a_base_their_exponent_allows():
    assert _shown(x ** 2 == 1) == []
    assert [text for text, _ in _shown(x ** -2 == 1)] == ["x ≠ 0"]
    assert [text for text, _ in _shown(x ** Fraction(1, 2) == 1)] == ["x ≥ 0"]
    assert [text for text, _ in _shown(x ** Fraction(-1, 2) == 1)] == ["x > 0"]
    (variable,) = terms.conditions(x ** y == 1)
    assert terms.variables(variable.holds) == {"x", "y"}
    for base, exponent, defined in ((2, Fraction(1, 3), True), (-2, 2, True), (-2, Fraction(1, 3), False), (0, -1, False),
                                    (0, 0, True), (0, Fraction(1, 2), True), (-1, -3, True)):
        assert (backends.failing((variable,), {"x": base, "y": exponent}) is None) is defined, (base, exponent)


def test_a_derivative_needs_a_body_that_is_smooth_at_the_point():
    def shown(body):
        return [text for text, _ in _shown(diff(body, x) == 0)]

    # sufficient, not necessary: where one fails the replay decides, from the slopes at the point
    assert [c.exact for c in terms.conditions(diff(sqrt(x) + abs(x), x) == 0)] == [True, False, False]
    assert shown(abs(x)) == ["x ≠ 0"]
    assert shown(relu(x - 1)) == ["x - 1 ≠ 0"]
    assert shown(maximum(x, y)) == ["x ≠ y"]
    assert shown(sqrt(x)) == ["x ≥ 0", "x > 0"]
    assert shown(x ** Fraction(3, 2)) == ["x ≥ 0", "x > 0"]
    assert shown(ite(x * x >= 1, x, 1)) == ["x·x ≠ 1"]
    assert shown(abs(y) * x) == []  # |y| does not move with x
    assert shown(exp(x) * x ** 3) == []
    # the same terms undifferentiated have a value everywhere (or where the root's argument is not negative)
    assert _shown(abs(x) + relu(x) + maximum(x, y) == 0) == []
    assert [text for text, _ in _shown(sqrt(x) == 0)] == ["x ≥ 0"]


def test_exact_evaluation_has_no_value_where_a_term_has_none_whichever_way_it_is_asked():
    for t, env in ((x / x, {"x": 0}), (log(x), {"x": -1}), (log(x), {"x": 0}), (sqrt(x), {"x": Fraction(-1, 4)}),
                   (x ** -1, {"x": 0}), (x ** Fraction(1, 2), {"x": -1}), (diff(abs(x), x), {"x": 0}),
                   (diff(ite(x >= 0, x, 0), x), {"x": 0})):
        with pytest.raises(backends.Undefined):
            backends.exact_value(t, env)
        with pytest.raises(backends.Undefined):  # without the conditions, the operations themselves refuse
            terms.evaluate(t, env, backends._exact_ops(env))
    assert backends.exact_value(ite(x > 0, log(x), 0), {"x": -1}) == 0
    assert backends.decide_exact(implies(x != 0, x / x == 1), {"x": 0}) is True


_RATIONALS = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@settings(max_examples=60, deadline=None)
@given(_RATIONALS, _RATIONALS)
def test_the_derived_conditions_agree_with_a_plain_computation(a, b):
    """Defined exactly where Python's own arithmetic says: a divisor is not 0, a logarithm's argument is positive, a
    square root's is not negative."""
    t = log(x) + 1 / (x - y) + sqrt(y + 1) == 0
    plain = a > 0 and a != b and b + 1 >= 0
    env = {"x": a, "y": b}
    assert (backends.failing(terms.conditions(t), env) is None) is plain
    if plain:
        backends.decide_exact(t, env)
    else:
        with pytest.raises(backends.Undefined):
            backends.decide_exact(t, env)


def test_the_formal_statement_and_conditions_print_a_negative_base_in_parentheses():
    assert terms.text((-2) ** x) == "(-2)^x" and terms.text(x ** -1) == "x^-1"


def test_a_sum_runs_over_whole_numbers_and_a_sequence_is_read_at_whole_indices():
    # sympy sums i over 1..x for a real x as x(x + 1)/2, and x[n/2] = x[n/2] simplifies to true: both were proved
    @forall("t.ex1.a.real_bound", "The sum of i over 1..x is x(x + 1)/2 for every real x.")
    def real_bound(x: Real):
        return summation(lambda i: i, 1, x) == x * (x + 1) / 2

    @forall("t.ex1.b.half_index", "x at n/2 is itself for every n.")
    def half_index(n: Nat, x: Indexed(Real)):
        return x[n / 2] == x[n / 2]

    result = evaluate(real_bound)
    assert result.verdict is Verdict.REFUTED and "a sum whose bounds are not whole numbers in Σ" in result.reason
    result = evaluate(half_index)
    assert result.verdict is Verdict.REFUTED and "a sequence's element that is not one of" in result.reason


def test_an_operator_whose_domain_is_not_known_is_an_error_not_a_verdict():
    @forall("t.ex1.a.unknown_operator", "a term built by hand with an operator the engine does not know.")
    def unknown_operator(x: Real):
        return terms.Term("erf", (x,)) == 1

    result = evaluate(unknown_operator)
    assert result.verdict is Verdict.ERROR and "'erf': where it has a value is not known" in result.reason, result.reason


@settings(max_examples=60, deadline=None)
@given(_RATIONALS, st.integers(min_value=-3, max_value=3), _RATIONALS)
def test_the_conditions_mean_the_same_to_z3_as_in_exact_arithmetic(a, k, b):
    """Each condition, evaluated by z3 at a point (x real, n whole), is true exactly where exact arithmetic finds it
    true: the z3 query proves and refutes the same conditions the replay checks."""
    import z3

    t = (x ** n + x ** y + x ** Fraction(1, 2) + 1 / (x - b) == 0)
    env = {"x": z3.Real("x"), "n": z3.Int("n"), "y": z3.Real("y")}
    values = {"x": a, "n": k, "y": b}
    for condition in terms.conditions(t):
        formula = backends.to_z3(condition.holds, env, universal=True)
        at = z3.substitute(formula, *[(env[name], z3.RealVal(str(v)) if name != "n" else z3.IntVal(v)) for name, v in values.items()])
        assert z3.is_true(z3.simplify(at)) is (backends.failing((condition,), values) is None), terms.text(condition.holds)


def test_where_a_derivative_s_sufficient_condition_fails_the_slopes_at_the_point_decide_never_the_condition_alone():
    """|x²|, max(x², 0) and an ite whose branches meet with the same slope have a derivative at 0, where the condition
    that proves them smooth fails: the statement is proved piece by piece (an identity on each side of 0, and the
    replay at 0, which finds the derivative from the one-sided slopes), never refuted. |x|, max(x, 0) and a corner of
    an ite have none: refuted."""
    @forall("t.ex1.a.abs_square_slope", "d|x²|/dx = 2x for every real x.")
    def abs_square_slope(x: Real):
        return diff(abs(x * x), x) == 2 * x

    @forall("t.ex1.b.smooth_ite_slope", "d/dx ite(x >= 0, x², -x²) = 2|x| for every real x.")
    def smooth_ite_slope(x: Real):
        return diff(ite(x >= 0, x * x, -(x * x)), x) == 2 * abs(x)

    @forall("t.ex1.c.max_square_slope", "d/dx max(x², 0) = 2x for every real x.")
    def max_square_slope(x: Real):
        return diff(maximum(x * x, 0), x) == 2 * x

    for claim in (abs_square_slope, smooth_ite_slope, max_square_slope):
        assert claim.replay({"x": 0}).holds is True
        result = evaluate(claim)
        assert result.verdict is Verdict.PROVED and "pieces" in result.evidence, (claim.id, result.reason)

    @forall("t.ex1.d.root_slope", "d sqrt(x^4)/dx = 2x for every real x: sqrt(x^4) = x^2.")
    def root_slope(x: Real):
        return diff(sqrt(x ** 4), x) == 2 * x

    with pytest.raises(backends.Undecided):  # whether a square root of 0 has a derivative: the slopes do not tell
        root_slope.replay({"x": 0})
    assert evaluate(root_slope).verdict is Verdict.UNKNOWN
    # where the slopes do decide it: no derivative
    for t in (diff(abs(x), x), diff(maximum(x, 0), x), diff(relu(2 * x), x), diff(sqrt(x), x), diff(ite(x > 0, x, 1), x),
              diff(ite(x == 0, 1, x), x)):
        with pytest.raises(backends.Undefined):
            backends.exact_value(t, {"x": 0})
    assert backends.exact_value(diff(ite(x == 0, 0, x), x), {"x": 0}) == 1
    assert backends.exact_value(diff(relu(x * x * x), x), {"x": 0}) == 0


def test_the_power_rule_is_proved_where_every_power_has_a_value_and_refuted_where_one_has_none():
    @forall("t.ex1.a.power_rule", "d/dx x^n = n x^(n-1) for real x and natural n: x^(-1) has no value at x = 0.")
    def power_rule(x: Real, n: Nat):
        return diff(x ** n, x) == n * x ** (n - 1)

    @forall("t.ex1.b.power_rule_shifted", "d/dx x^(n+1) = (n+1) x^n for real x and natural n.")
    def power_rule_shifted(x: Real, n: Nat):
        return diff(x ** (n + 1), x) == (n + 1) * x ** n

    result = evaluate(power_rule)
    assert result.verdict is Verdict.REFUTED, result.reason
    assert "undefined: 0 to a negative power, or a negative number to a power that is not whole in x^(n - 1) at x = 0, " \
           "n = 0" in result.reason
    assert evaluate(power_rule_shifted).verdict is Verdict.PROVED
