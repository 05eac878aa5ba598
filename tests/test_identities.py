"""Equations under equation premises: the premise solved for a variable of its own, the equation an identity in the
others (softmax cross-entropy's gradient where the label's entries sum to 1)."""

import pytest

from proofs import Real, Verdict, diff, exp, forall, implies, log
from proofs.evaluate import evaluate


def _softmax_gradient(sign):
    @forall("test.ex1.a.softmax_gradient", "dL/dz_1 = yhat_1 - y_1 where y_1 + y_2 = 1.")
    def claim(y_1: Real, y_2: Real, z_1: Real, z_2: Real):
        total = exp(z_1) + exp(z_2)
        loss = -(y_1 * log(exp(z_1) / total) + y_2 * log(exp(z_2) / total))
        return implies(y_1 + y_2 == 1, diff(loss, z_1) == sign * (exp(z_1) / total - y_1))

    return claim


def test_an_equation_premise_is_solved_for_a_variable_and_the_gradient_proved_and_its_sign_error_not():
    assert evaluate(_softmax_gradient(1)).verdict is Verdict.PROVED
    assert evaluate(_softmax_gradient(-1)).verdict is Verdict.REFUTED


@pytest.mark.parametrize("right, verdict", [("solved", Verdict.PROVED), ("wrong", Verdict.REFUTED)])
def test_several_equation_premises_are_solved_in_turn_and_each_conjunct_of_the_equation_proved(right, verdict):
    @forall("test.ex1.a.chain_of_premises", "z = w x and u = z + 1 give u - w x = 1 and z - u = -1.")
    def claim(w: Real, x: Real, z: Real, u: Real):
        one = 1 if right == "solved" else 2
        return implies((z == w * x) & (u == z + 1), (u - w * x == one) & (exp(z - u) == exp(-1)))

    assert evaluate(claim).verdict is verdict
