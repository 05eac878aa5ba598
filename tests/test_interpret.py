"""Solver answers to verdicts: several lines of evidence give the weakest; only a whole-scope proof decides alone."""

import textwrap

import pytest

from proofs import Verdict
from proofs.interpret import combine, computed, corroborated, identity, sampled
from proofs.solvers.sampling import SampleAnswer
from proofs.solvers.symbolic import IdentityAnswer
from tests.conftest import run_cli

PROVED = identity(IdentityAnswer(True, "0"))
SAMPLED = sampled(SampleAnswer(12, 3))
REFUTED = identity(IdentityAnswer(False, "1", {"x": 1}))


def test_combine_gives_the_weakest_positive_line():
    assert combine(PROVED, SAMPLED).verdict is Verdict.NOT_REFUTED
    assert combine(SAMPLED, PROVED).verdict is Verdict.NOT_REFUTED
    assert combine(PROVED, PROVED).verdict is Verdict.PROVED


def test_combine_lets_the_first_line_that_is_not_positive_decide():
    out = combine(PROVED, REFUTED, SAMPLED)
    assert out.verdict is Verdict.REFUTED and out.witness == {"x": 1}


def test_corroborated_takes_the_verdict_of_the_whole_scope_proof_and_lets_checks_only_veto():
    assert corroborated(PROVED, SAMPLED).verdict is Verdict.PROVED
    assert corroborated(SAMPLED, PROVED).verdict is Verdict.NOT_REFUTED
    vetoed = corroborated(PROVED, REFUTED)
    assert vetoed.verdict is Verdict.REFUTED and vetoed.witness == {"x": 1}
    assert "can refute, never prove" in corroborated(PROVED, SAMPLED).evidence["check1"]["covers"]


def test_computed_needs_a_decision_and_a_witness_to_replay():
    assert computed(True, witness={"n": 1}).verdict is Verdict.PROVED
    assert computed(False, witness={"n": 1}).witness == {"n": 1}
    with pytest.raises(TypeError):
        computed(1, witness={"n": 1})


PARTIAL_PACK = """
    import sympy

    from proofs import Perturbation, Replay, Verdict, claim
    from proofs.interpret import combine, identity, sampled
    from proofs.solvers.sampling import sample
    from proofs.solvers.symbolic import identity as same


    @claim(
        "ex96.a.square_size", exercise=96, part="a",
        statement="n^2 - n is even for every n.", asserts="n^2 - n is even", formal="for all integers n: 2 | n^2 - n",
        requires=Verdict.PROVED, params={{"k": 2}}, assumptions=("n an integer",),
        perturbations=(Perturbation("k_3", {{"k": 3}}, "divisible by 3"),),
        replay=lambda witness, *, k: Replay((witness["sample"] ** 2 - witness["sample"]) % k == 0, {{}}),
    )
    def square_size(k):
        # one size proved, the others only sampled: the claim is as strong as its samples
        two = identity(same(sympy.Integer(2) ** 2 - 2, sympy.Integer(2)))
        rest = sampled(sample(lambda rng: rng.randint(-50, 50), lambda v: (v * v - v) % k == 0, n=40, seed=1))
        return combine(two, rest)


    CLAIMS = (square_size,)
"""


def test_a_line_covering_part_of_the_scope_cannot_lift_the_verdict(tmp_path):
    (tmp_path / "partial.py").write_text(textwrap.dedent(PARTIAL_PACK.format()))
    proc = run_cli("check", "ex96", "--claims", str(tmp_path), "--no-cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "not_refuted" in proc.stdout and "evidence too weak" in proc.stdout, proc.stdout
