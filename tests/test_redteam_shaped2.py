"""Hostile statements over vectors and matrices of symbolic size, second round, each with its truth worked out by hand:
a true one is proved or left unknown, a false one refuted with a counterexample plain Python confirms, never the other
way round."""

from proofs import (Real, Size, SquareMatrix, Vector, Verdict, exists, number, softmax)
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
