"""Statements over every differentiable function (proofs.uninterpreted): proved for every function, refuted by an
explicit polynomial that a plain evaluation here replays, unknown where neither is shown."""

from fractions import Fraction

import pytest

from proofs import ForgedWitness, Function, Real, Verdict, diff, exists, forall, implies
from proofs.evaluate import evaluate

phi, G, L = Function("φ"), Function("G"), Function("L", 2)


@forall("t.ex9.a.chain", "the chain rule through two unknown functions")
def chain(h: Real, w: Real, factor=1):
    return diff(G(phi(w * h)), h) == G.prime(phi(w * h)) * phi.prime(w * h) * w * factor


@forall("t.ex9.a.no_slope", "the chain rule without phi'")
def no_slope(h: Real, w: Real):
    return diff(G(phi(w * h)), h) == G.prime(phi(w * h)) * w


@forall("t.ex9.a.two", "the chain rule for a function of two arguments")
def two(a: Real, b: Real, first=1, second=2):
    # first and second name the partials of L; swapped, the statement is false
    partials = {1: L.partial(1), 2: L.partial(2)}
    return diff(L(a * b, a), a) == partials[first](a * b, a) * b + partials[second](a * b, a)


def _poly(coefficients, x, orders=0):
    """A witness's polynomial of one argument (or a derivative of it) at x, by plain arithmetic."""
    total = Fraction(0)
    for (e,), c in coefficients:
        c = Fraction(c)
        for j in range(orders):
            c *= e - j
        total += c * Fraction(x) ** max(e - orders, 0) if e >= orders else 0
    return total


def test_the_chain_rule_is_proved_for_every_function():
    found = evaluate(chain)
    assert found.verdict is Verdict.PROVED, found.reason
    assert "every differentiable G: ℝ → ℝ, φ: ℝ → ℝ" in chain.formal
    assert "every differentiable" in found.evidence["functions"]


def test_a_wrong_chain_rule_is_refuted_by_a_polynomial_a_plain_evaluation_replays():
    found = evaluate(no_slope)
    assert found.verdict is Verdict.REFUTED, found.reason
    witness = found.evidence["counterexample"]
    h, w = Fraction(witness["h"]), Fraction(witness["w"])
    g, p = witness["functions"]["G"]["coefficients"], witness["functions"]["φ"]["coefficients"]
    # the left side by the chain rule on the explicit polynomials; the right side as stated
    left = _poly(g, _poly(p, w * h), 1) * _poly(p, w * h, 1) * w
    right = _poly(g, _poly(p, w * h), 1) * w
    assert left != right
    assert no_slope.replay(witness, **no_slope.params).holds is False


def test_the_replay_evaluates_the_witness_polynomials():
    witness = evaluate(no_slope).evidence["counterexample"]
    # with φ(x) = x the slope is 1 and the stated form holds: the replay reads the polynomial it is given
    identity = {**witness, "functions": {**witness["functions"], "φ": {"coefficients": [[[1], "1"]]}}, "values": {}}
    assert no_slope.replay(identity, **no_slope.params).holds is True


def test_a_wrong_factor_is_refuted_and_the_right_one_proved():
    wrong = chain.check(**{**chain.params, "factor": 2})
    assert wrong.verdict is Verdict.REFUTED
    assert chain.replay(wrong.witness, **{**chain.params, "factor": 2}).holds is False


def test_partials_of_a_function_of_two_arguments():
    assert evaluate(two).verdict is Verdict.PROVED
    swapped = two.check(**{**two.params, "first": 2, "second": 1})
    assert swapped.verdict is Verdict.REFUTED
    assert two.replay(swapped.witness, **{**two.params, "first": 2, "second": 1}).holds is False
    assert "∂₁L(a·b, a)" in two.formal and "L: ℝ² → ℝ" in two.formal


def test_existential_statements_over_functions():
    @exists("t.ex9.a.moves", "some function and point give a nonzero derivative")
    def moves(x: Real, y: Real):
        return diff(G(phi(x) * y), x) != 0

    @exists("t.ex9.a.still", "a derivative in a variable the expression does not read")
    def still(x: Real, y: Real):
        return (diff(G(phi(y)), x) != 0) | (diff(phi(y), x) != 0)

    shown = evaluate(moves)
    assert shown.verdict is Verdict.PROVED and moves.replay(shown.evidence["witness"], **moves.params).holds is True
    assert "some differentiable" in moves.formal
    refuted = still.check(**still.params)
    assert refuted.verdict is Verdict.REFUTED and set(refuted.witness) == {"certificate"}
    assert still.replay(refuted.witness, **still.params).holds is False


def test_a_term_without_a_value_for_some_function_refutes():
    @forall("t.ex9.a.quotient", "phi(x) / phi(x) = 1 for every function")
    def quotient(x: Real):
        return phi(x) / phi(x) == 1

    found = evaluate(quotient)
    assert found.verdict is Verdict.REFUTED
    witness = found.evidence["counterexample"]
    assert _poly(witness["functions"]["φ"]["coefficients"], witness["x"]) == 0


def test_congruence_is_proved_by_z3_with_the_functions_uninterpreted():
    @forall("t.ex9.a.congruence", "equal arguments give equal values")
    def congruence(x: Real, y: Real):
        return implies(x == y, phi(x + 1) == phi(y + 1))

    @forall("t.ex9.a.constant", "every function is constant")
    def constant(x: Real, y: Real):
        return phi(x) == phi(y)

    proved = evaluate(congruence)
    assert proved.verdict is Verdict.PROVED and proved.method == "z3"
    assert evaluate(constant).verdict is Verdict.REFUTED


def test_what_is_neither_an_identity_nor_refuted_nor_shown_by_z3_stays_unknown():
    from proofs import exp

    @forall("t.ex9.a.rising", "exp(phi) rises where phi does")
    def rising(x: Real):
        return implies(phi.prime(x) > 0, diff(exp(phi(x)), x) > 0)

    found = evaluate(rising)
    assert found.verdict is Verdict.UNKNOWN and found.status.value == "fail"


def test_conditions_on_slopes_are_decided_by_z3_with_the_derivatives_written_out():
    @forall("t.ex9.a.flat", "where phi is flat, so is G(phi)")
    def flat(z: Real):
        return implies(phi.prime(z) == 0, diff(G(phi(z)), z) == 0)

    @forall("t.ex9.a.square", "a square is not negative")
    def square(x: Real):
        return diff(phi(x), x) ** 2 >= 0

    @forall("t.ex9.a.mirror", "phi rising at z makes phi(-z) rise (false)")
    def mirror(z: Real):
        return implies(phi.prime(z) > 0, diff(phi(-z), z) > 0)

    @forall("t.ex9.a.reciprocal", "the derivative of 1/phi where phi is not 0")
    def reciprocal(x: Real):
        return implies(phi(x) != 0, diff(1 / phi(x), x) == -phi.prime(x) / phi(x) ** 2)

    for proved in (flat, square, reciprocal):
        found = evaluate(proved)
        assert found.verdict is Verdict.PROVED, (proved.id, found.reason)
    assert evaluate(flat).method == "z3" and "φ′" in evaluate(flat).evidence["checked"]["text"]
    wrong = evaluate(mirror)
    assert wrong.verdict is Verdict.REFUTED
    assert mirror.replay(wrong.evidence["counterexample"], **mirror.params).holds is False


def test_derivatives_written_out_agree_with_exact_differentiation_at_points():
    """The rules of `derivative` against the exact replay's dual numbers, with polynomials for the functions."""
    from proofs import backends
    from proofs.uninterpreted import candidates, derivative, interpretation

    from proofs.terms import var

    a, b = var("a"), var("b")
    for body in (G(phi(a * b) / (1 + a * a)), L(phi(a) ** 3, a - b) * phi(b), -(phi(a) - G(a)) ** 2):
        written = derivative(body, "a")
        chosen = {"φ": candidates(phi)[2], "G": candidates(G, shift=1)[3], "L": candidates(L, shift=2)[1]}
        for point in ({"a": Fraction(1, 3), "b": Fraction(-2)}, {"a": Fraction(3, 2), "b": Fraction(1, 5)}):
            with interpretation(chosen):
                assert backends.exact_value(written, point) == backends.exact_value(diff(body, a), point)


@pytest.mark.parametrize("forge", ["no_functions", "extra_function", "arity", "value", "coefficient", "outside", "unlisted"])
def test_forged_witnesses_are_rejected(forge):
    witness = evaluate(no_slope).evidence["counterexample"]
    forged = {**witness, "functions": dict(witness["functions"]), "values": dict(witness["values"])}
    if forge == "no_functions":
        del forged["functions"]
    elif forge == "extra_function":
        forged["functions"]["ψ"] = {"coefficients": []}
    elif forge == "arity":
        forged["functions"]["G"] = {"coefficients": [[[1, 1], "1"]]}
    elif forge == "value":
        first = next(iter(forged["values"]))
        forged["values"][first] = Fraction(str(forged["values"][first])) + 1
    elif forge == "coefficient":
        forged["functions"]["G"] = {"coefficients": [[[1], "one"]]}
    elif forge == "unlisted":
        forged["values"]["ψ(1)"] = 0
    else:
        forged["h"] = 0.5
    with pytest.raises(ForgedWitness):
        no_slope.replay(forged, **no_slope.params)


@pytest.mark.parametrize("make", [lambda: Function(""), lambda: Function("f", 0), lambda: Function("f", True),
                                  lambda: Function("L", 2).prime, lambda: Function("L", 2).partial(3),
                                  lambda: Function("f")(1, 2)])
def test_functions_are_declared_with_a_name_and_an_arity(make):
    with pytest.raises(TypeError):
        make()


def test_two_functions_of_one_name_and_different_arities_are_a_load_error():
    from proofs import InvalidClaim

    with pytest.raises(InvalidClaim, match="two functions named f"):
        @forall("t.ex9.a.clash", "f of one and of two arguments")
        def clash(x: Real):
            return Function("f")(x) == Function("f", 2)(x, x)


def test_a_query_with_functions_declares_a_logic_with_them_and_cvc5_agrees():
    from proofs.smtlib import logic

    assert logic("(declare-fun |φ′| (Real) Real)\n(declare-fun z () Real)\n(assert (= (|φ′| z) z))") == "QF_UFNRA"
    assert logic("(declare-fun z () Real)\n(assert (= z 1))") == "QF_NRA"
    pytest.importorskip("cvc5", reason="cvc5 (crosscheck extra) is not installed")
    from proofs.smtlib import cross_check

    @forall("t.ex9.a.flat_again", "where phi is flat, so is G(phi)")
    def flat(z: Real):
        return implies(phi.prime(z) == 0, diff(G(phi(z)), z) == 0)

    records, problem = cross_check(_answers(flat))
    assert problem == "" and [r["cvc5"] for r in records] == ["unsat"]


def _answers(claim):
    """The z3 answers a check made (recorded while it runs)."""
    from proofs.solvers import smt

    with smt.recording() as answers:
        claim.check(**claim.params)
    return answers
