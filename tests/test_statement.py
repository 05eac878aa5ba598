"""Claims written as statements: the engine derives the query, the verdict, the formal text and the replay."""

from fractions import Fraction

import pytest

from proofs import ForgedWitness, InvalidClaim, Status, Verdict
from proofs.domains import Bit, Int, Interval, IntRange, Nat, OneOf, Positive, Real, Vector
from proofs.evaluate import evaluate
from proofs.statement import Correction, exists, forall
from proofs.terms import diff, dot, exp, ite, log, relu, sigmoid


def error(w, x, b, t):
    return (w * x + b - t) ** 2


@forall("week8.ex1.a.expansion", "The squared error expands.", perturb={"cross_1": {"cross": 1}})
def expansion(w: Real, x: Real, b: Real, t: Real, cross=2):
    return error(w, x, b, t) == w**2 * x**2 + cross * w * x * (b - t) + (b - t) ** 2


@forall("week8.ex1.b.gradient_bias", "dE/db = 2(wx + b - t).", perturb={"factor_1": {"factor": 1}})
def gradient_bias(w: Real, x: Real, b: Real, t: Real, factor=2):
    return diff(error(w, x, b, t), b) == factor * (w * x + b - t)


@forall("week8.ex1.c.minimiser", "E is smallest at b = t + wx.",
        erratum=Correction("b = t + wx leaves E = (2wx)^2.", "E is smallest at b = t - wx.", {"sign": -1}))
def minimiser(w: Real, x: Real, b: Real, t: Real, sign=1):
    return error(w, x, b, t) >= error(w, x, t + sign * w * x, t)


def run(claim, perturbation=None):
    return evaluate(claim, claim.perturbation(perturbation) if perturbation else None)


def test_an_identity_is_proved_by_z3_and_its_perturbation_refuted_with_a_replayed_counterexample():
    assert (expansion.exercise, expansion.part, expansion.requires) == (1, "a", Verdict.PROVED)
    assert run(expansion).verdict is Verdict.PROVED
    killed = run(expansion, "cross_1")
    assert (killed.verdict, killed.status) == (Verdict.REFUTED, Status.PASS)
    assert killed.evidence["replay"]["holds"] is False
    sides = killed.evidence["replay"]["sides"]
    assert any(k.startswith("left: (w·x + b - t)^2") for k in sides)


def test_the_formal_statement_is_printed_from_the_term_with_stated_values_named():
    assert expansion.formal == ("for all w, x, b, t ∈ ℝ: (w·x + b - t)^2 = w^2·x^2 + cross·w·x·(b - t) + (b - t)^2, "
                                "where cross = 2")
    assert evaluate(expansion).evidence["statement"]["text"] == expansion.formal


def test_a_derivative_is_proved_by_sympy_and_replayed_by_forward_mode_differentiation():
    assert run(gradient_bias).verdict is Verdict.PROVED
    killed = run(gradient_bias, "factor_1")
    assert killed.verdict is Verdict.REFUTED and killed.status is Status.PASS
    left, right = (v for k, v in killed.evidence["replay"]["sides"].items() if k != "holds")
    assert Fraction(left) == 2 * Fraction(right)


def test_an_erratum_creates_its_corrected_claim_whose_mutant_is_the_printed_value():
    (fixed,) = minimiser.companions
    assert minimiser.erratum.corrected_by == fixed.id == "week8.ex1.c.minimiser_corrected"
    assert minimiser.perturbations == ()
    assert [(p.name, dict(p.params)) for p in fixed.perturbations] == [("as_printed", {"sign": 1})]
    assert run(minimiser).status is Status.ERRATUM
    assert run(fixed).verdict is Verdict.PROVED
    assert run(fixed, "as_printed").status is Status.PASS


@pytest.mark.parametrize("witness", [
    {"w": 2, "x": 1, "b": 0},                               # a missing variable
    {"w": 1, "x": 1, "b": 0, "t": 1, "z": 0},               # an extra one
    {"w": True, "x": 1, "b": 0, "t": 1},                    # a bool is not a number
    {"w": None, "x": 1, "b": 0, "t": 1},
    {"w": 0.5, "x": 1, "b": 0, "t": 1},                     # a float is not exact
    {"w": "1/0", "x": 1, "b": 0, "t": 1},
    {"w": "import os", "x": 1, "b": 0, "t": 1},
    [1, 2, 3, 4],
])
def test_a_witness_that_does_not_belong_to_the_domains_is_rejected(witness):
    with pytest.raises((ForgedWitness, ZeroDivisionError)):
        expansion.replay(witness, cross=2)


def test_a_value_outside_a_declared_domain_is_rejected_before_evaluation():
    @forall("t.ex1.a.bits", "x + y <= 2 for bits.")
    def bits(x: Bit, y: Bit):
        return x + y <= 1

    with pytest.raises(ForgedWitness, match="outside its domain"):
        bits.replay({"x": 2, "y": 0})
    with pytest.raises(ForgedWitness, match="outside its domain"):
        bits.replay({"x": Fraction(1, 7), "y": 0})
    assert bits.replay({"x": 1, "y": 1}).holds is False


def test_finite_domains_are_exhausted_and_need_only_exhaustion():
    @forall("t.ex1.a.xor", "XOR is x + y - 2xy on bits.", perturb={"twice": {"k": 1}})
    def xor(x: Bit, y: Bit, k=2):
        return ite(x != y, 1, 0) == x + y - k * x * y

    assert xor.requires is Verdict.EXHAUSTED
    result = run(xor)
    assert (result.verdict, result.evidence["domain_size"]) == (Verdict.EXHAUSTED, 4)
    assert run(xor, "twice").verdict is Verdict.REFUTED


def test_existence_gives_a_witness_that_is_replayed_and_a_certificate_when_none_exists():
    @exists("t.ex1.a.root", "x^2 = 2 has a real solution.", perturb={"minus": {"c": -2}})
    def root(x: Real, c=2):
        return x * x == c

    result = run(root)
    assert result.verdict is Verdict.PROVED and result.evidence["replay"]["holds"] is True
    assert str(result.evidence["witness"]["x"]).startswith("root-obj")
    refuted = run(root, "minus")
    assert refuted.verdict is Verdict.REFUTED and refuted.evidence["replay"]["holds"] is False


def test_existence_over_a_finite_domain_is_decided_by_enumeration():
    @exists("t.ex1.a.small", "Some n in 0..9 has n^2 = 49.", perturb={"fifty": {"square": 50}})
    def small(n: IntRange(0, 9), square=49):
        return n * n == square

    assert run(small).verdict is Verdict.PROVED
    assert run(small).evidence["witness"] == {"n": 7}
    assert run(small, "fifty").verdict is Verdict.REFUTED


def test_transcendental_statements_are_settled_by_sympy_or_refuted_at_exact_points():
    @forall("t.ex1.a.sigmoid", "sigmoid' = sigmoid (1 - sigmoid).", perturb={"plus": {"sign": 1}})
    def slope(z: Real, sign=-1):
        return diff(sigmoid(z), z) == sigmoid(z) * (1 + sign * sigmoid(z))

    assert run(slope).verdict is Verdict.PROVED
    killed = run(slope, "plus")
    assert killed.verdict is Verdict.REFUTED and killed.evidence["replay"]["holds"] is False

    @forall("t.ex1.a.log", "log(xy) = log x + log y for positive x, y.", perturb={"half": {"k": Fraction(1, 2)}})
    def logs(x: Positive, y: Positive, k=1):
        return log(x * y) == k * (log(x) + log(y))

    assert run(logs).verdict is Verdict.PROVED
    assert run(logs, "half").verdict is Verdict.REFUTED


def test_an_inequality_no_method_settles_is_unknown_and_fails():
    # true (2·cosh x >= 2 + x²), but not from the known ranges of exp: z3 has a model of them, sympy no proof
    @forall("t.ex1.a.exp", "exp(x) + exp(-x) >= 2 + x^2.")
    def bound(x: Real):
        return exp(x) + exp(-x) >= 2 + x * x

    result = run(bound)
    assert result.verdict is Verdict.UNKNOWN and result.status is Status.FAIL


def test_vectors_intervals_and_naturals():
    @forall("t.ex1.a.relu", "relu(w.x) >= 0.", perturb={"shift": {"c": 1}})
    def nonnegative(w: Vector(Real, 3), x: Vector(Interval(0, 1), 3), c=0):
        return relu(dot(w, x)) - c >= 0

    assert run(nonnegative).verdict is Verdict.PROVED
    killed = run(nonnegative, "shift")
    assert killed.verdict is Verdict.REFUTED
    assert len(killed.evidence["counterexample"]["w"]) == 3
    with pytest.raises(ForgedWitness):
        nonnegative.replay({"w": [1, 2, 3], "x": [0, 2, 0]}, c=0)  # 2 is outside [0, 1]

    @forall("t.ex1.a.nat", "n^2 >= n for every natural n.", perturb={"double": {"k": 2}})
    def square(n: Nat, k=1):
        return n * n >= k * n

    assert run(square).verdict is Verdict.PROVED
    assert run(square, "double").evidence["counterexample"] == {"n": 1}
    with pytest.raises(ForgedWitness):
        square.replay({"n": -1}, k=1)


@pytest.mark.parametrize("write, message", [
    (lambda: forall("t.ex1.a.x", "s")(lambda x: x), "needs a domain"),
    (lambda: forall("t.ex1.a.x", "s", erratum=Correction("r", "s", {"zz": 1}))(_k_statement), "stated values"),
    (lambda: forall("t.ex1.a.x", "s", perturb={"same": {"k": 2}})(_k_statement), "changes no stated value"),
    (lambda: forall("t.ex1.a.x", "s")(_branching), "cannot branch"),
    (lambda: forall("t.ex1.a.x", "s")(_float_statement), "not exact"),
    (lambda: forall("t.ex1.a.x", "s")(_not_a_relation), "must return a relation"),
])
def test_malformed_statements_are_load_errors_naming_the_problem(write, message):
    with pytest.raises(InvalidClaim, match=message):
        write()


def _k_statement(x: Real, k=2):
    return x * k == k * x


def _branching(x: Real):
    return 1 if x > 0 else 0


def _float_statement(x: Real):
    return x * 0.1 == x / 10


def _not_a_relation(x: Int):
    return x + 1


def test_one_of_and_a_witness_from_the_set():
    @forall("t.ex1.a.set", "Each of 1, 2, 4 is a power of two below 5.", perturb={"three": {"limit": 3}})
    def small(v: OneOf(1, 2, 4), limit=5):
        return v < limit

    assert run(small).verdict is Verdict.EXHAUSTED
    assert run(small, "three").evidence["counterexample"] == {"v": 4}
    with pytest.raises(ForgedWitness):
        small.replay({"v": 3}, limit=5)


def test_a_closed_statement_is_decided_by_its_exact_value():
    @forall("t.ex1.b.units", "A 3 x 3 convolution with padding 1 keeps 256 x 256.", perturb={"no_pad": {"p": 0}})
    def units(n=256, p=1, k=3, s=1):
        return (n + 2 * p - k) / s + 1 == 256

    assert units.requires is Verdict.PROVED and units.formal.startswith("for all : ") is False
    assert run(units).verdict is Verdict.PROVED
    killed = run(units, "no_pad")
    assert killed.verdict is Verdict.REFUTED and killed.evidence["replay"]["holds"] is False


def test_a_stated_value_may_be_named_w_and_a_conjunction_shows_each_relation():
    @forall("t.ex1.c.both", "x^2 >= 0 and x^2 + w >= w.", perturb={"big": {"w": 5, "k": 7}})
    def both(x: Real, w=1, k=0):
        return (x * x >= k) & (x * x + w >= w)

    killed = run(both, "big")
    assert killed.verdict is Verdict.REFUTED
    sides = killed.evidence["replay"]["sides"]
    assert any(k.startswith("1. left: x·x") for k in sides) and any(k.startswith("2. right: w") for k in sides)


SUMS_PACK = '''
from proofs import Nat, Real, diff, forall
from proofs.domains import Indexed
from proofs.terms import summation


@forall("ex97.a.least_squares_slope", "d/da sum_i (a + b x_i - y_i)^2 = sum_i 2 (a + b x_i - y_i).",
        perturb={"factor_1": {"k": 1}})
def least_squares_slope(n: Nat, a: Real, b: Real, x: Indexed(Real), y: Indexed(Real), k=2):
    return diff(summation(lambda i: (a + b * x[i] - y[i]) ** 2, 1, n), a) == summation(lambda i: k * (a + b * x[i] - y[i]), 1, n)


@forall("ex97.a.least_squares_halved", "d/da sum_i (a + b x_i - y_i)^2 = sum_i (a + b x_i - y_i).")
def least_squares_halved(n: Nat, a: Real, b: Real, x: Indexed(Real), y: Indexed(Real)):
    return diff(summation(lambda i: (a + b * x[i] - y[i]) ** 2, 1, n), a) == summation(lambda i: a + b * x[i] - y[i], 1, n)


@forall("ex97.b.telescoping", "sum_{i=1..n} (x_{i+1} - x_i) = x_{n+1} - x_1.", perturb={"second": {"first": 2}})
def telescoping(n: Nat, x: Indexed(Real), first=1):
    return summation(lambda i: x[i + 1] - x[i], 1, n) == x[n + 1] - x[first]


CLAIMS = (least_squares_slope, least_squares_halved, telescoping)
'''


def test_sums_of_symbolic_length_are_proved_by_sympy_and_a_false_one_refuted_at_an_exact_instance(tmp_path):
    import json

    from tests.conftest import cli

    (tmp_path / "sums.py").write_text(SUMS_PACK)
    proc = cli("check", "ex97", "--claims", str(tmp_path), "--no-cache", "--format", "json")
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    assert proc.returncode == 1, proc.stdout + proc.stderr
    slope, halved, telescoping = (results[f"ex97.{k}"] for k in ("a.least_squares_slope", "a.least_squares_halved", "b.telescoping"))
    assert slope["verdict"] == telescoping["verdict"] == "proved", (slope["reason"], telescoping["reason"])
    assert slope["evidence"]["checked"]["text"].startswith("∀ n ∈ ℕ; a, b ∈ ℝ; x, y ∈ sequences in ℝ: ∂/∂a (Σ_{i = 1..n} (")
    # simplification leaves a n + Σ (b x_i - y_i): the sides are evaluated at a concrete n and rational values
    assert halved["verdict"] == "refuted" and halved["status"] == "fail"
    witness = halved["evidence"]["counterexample"]
    assert isinstance(witness["n"], int) and witness["n"] >= 1 and len(witness["x"]) > witness["n"]
    assert halved["evidence"]["replay"]["holds"] is False
    mutants = cli("mutants", "ex97.a.least_squares_slope", "ex97.b.telescoping", "--claims", str(tmp_path)).stdout
    assert "2/2 perturbations killed, 0 survived" in mutants, mutants


def test_a_sequence_witness_is_read_through_its_domain_and_must_carry_the_elements_the_statement_needs():
    from proofs.domains import Indexed
    from proofs.terms import summation

    @forall("ex97.c.positive_sum", "a sum of positive terms is positive.", perturb={"shift": {"c": -1}})
    def positive_sum(n: Nat, x: Indexed(Positive), c=0):
        return summation(lambda i: x[i], 1, n + 1) + c > 0

    assert positive_sum.replay({"n": 1, "x": [1, Fraction(1, 2)]}, c=0).holds
    for forged in ({"n": 1, "x": [1]}, {"n": 1, "x": [1, -1]}, {"n": 1, "x": "1, 2"}, {"n": 1, "x": [1, 0.5]}):
        with pytest.raises(ForgedWitness):
            positive_sum.replay(forged, c=0)
    with pytest.raises(TypeError):
        iter(summation(lambda i: i, 1, 3))


# A decimal written as a float is not the number the material prints, and Python compares floats itself before the
# engine sees a term: 0.1 + 0.2 == 0.3 is False there. Such a statement is refused when it is defined (it would be
# refuted wrongly), and the same written with exact fractions is decided.
def _sum_of_tenths():
    return 0.1 + 0.2 == 0.3


def _tenth_stated(c=0.1):
    return c == Fraction(1, 10)


def _tenth_in_an_or(x: Real):
    return (0.5 + 0.25 == 0.75) | (x != x)


@pytest.mark.parametrize("body", [_sum_of_tenths, _tenth_stated, _tenth_in_an_or])
def test_a_float_the_body_computes_with_is_refused_where_the_claim_is_defined(body):
    with pytest.raises(InvalidClaim, match="float"):
        forall("demo.ex1.a.floats", "decimals")(body)


def test_a_float_perturbation_is_refused_and_exact_decimals_are_decided():
    def tenth(c=Fraction(1, 10)):
        return c + Fraction(2, 10) == Fraction(3, 10)

    with pytest.raises(InvalidClaim, match="float"):
        forall("demo.ex1.b.floats", "decimals", perturb={"float": {"c": 0.1}})(tenth)
    assert evaluate(forall("demo.ex1.c.exact", "decimals")(tenth)).verdict is Verdict.PROVED
