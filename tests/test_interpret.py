"""Solver answers to verdicts: several lines of evidence give the weakest; only a whole-scope proof decides alone."""

import textwrap

import pytest

from proofs import Verdict
from proofs.interpret import combine, computed, corroborated, identity, sampled
from proofs.solvers.sampling import SampleAnswer
from proofs.solvers.symbolic import IdentityAnswer
from tests.conftest import cli

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
        two = identity(same(sympy.Integer(2) ** 2 - 2, sympy.Integer(2)), statement=(sympy.Integer(2) ** 2 - 2, sympy.Integer(2)))
        rest = sampled(sample(lambda rng: rng.randint(-50, 50), lambda v: (v * v - v) % k == 0, n=40, seed=1))
        return combine(two, rest)


    CLAIMS = (square_size,)
"""


def test_a_line_covering_part_of_the_scope_cannot_lift_the_verdict(tmp_path):
    (tmp_path / "partial.py").write_text(textwrap.dedent(PARTIAL_PACK.format()))
    proc = cli("check", "ex96", "--claims", str(tmp_path), "--no-cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "not_refuted" in proc.stdout and "evidence too weak" in proc.stdout, proc.stdout


def test_validity_records_the_statement_read_back_from_the_query_z3_was_given():
    import z3

    from proofs.interpret import decided, validity
    from proofs.solvers.smt import prove

    x, n = z3.Real("x"), z3.Int("n")
    out = validity(prove(x * x + n >= 0, [x, n], given=[n >= 0]))
    ((label, checked),) = decided(out)
    assert label == "" and checked.text == "∀ n ∈ ℤ; x ∈ ℝ: n ≥ 0 ⇒ x·x + n ≥ 0"
    assert checked.math[0] == "quant"


def test_helpers_without_what_they_decided_record_nothing_and_lines_are_labelled():
    import sympy

    from proofs.interpret import decided, missing

    a = sympy.Symbol("a")
    assert decided(PROVED) is None and missing(PROVED) == ("identity",)
    shown = identity(IdentityAnswer(True, "0"), statement=((a + 1) ** 2, a**2 + 2 * a + 1))
    both = corroborated(shown, SAMPLED)
    assert [label for label, _ in decided(both)] == ["proof", "check1"]
    assert decided(both)[0][1].text == "(a + 1)^2 = a^2 + 2·a + 1"
    assert decided(corroborated(PROVED, SAMPLED)) is None and missing(corroborated(PROVED, SAMPLED)) == ("identity",)
    with pytest.raises(TypeError):
        identity(IdentityAnswer(True, "0"), statement="(a + 1)^2 = a^2 + 2a + 1")  # text could say anything
    from proofs.interpret import Decided

    with pytest.raises(TypeError):  # and so could a ready-made statement
        identity(IdentityAnswer(True, "0"), statement=Decided(["text", "1 = 1"], "1 = 1"))


def test_an_identity_is_decided_again_from_the_statement_it_records():
    import sympy

    a = sympy.Symbol("a")
    out = identity(IdentityAnswer(True, "0"), statement=((a + 1) ** 2, a**2 + 1))
    assert out.verdict is Verdict.ERROR and "does not simplify to an identity" in out.reason


UNRECORDED_PACK = """
    import sympy

    from proofs import Replay, Verdict, claim
    from proofs.interpret import identity, validity
    from proofs.solvers.smt import prove
    from proofs.solvers.symbolic import IdentityAnswer
    import z3

    a = sympy.Symbol("a")


    @claim("ex95.a.unrecorded", exercise=95, part="a", statement="(a + 1)^2 = a^2 + 2a + 1.", asserts="a square",
           requires=Verdict.PROVED)
    def unrecorded():
        return identity(IdentityAnswer(True, "0"))  # built by hand: it carries no sides


    @claim("ex95.a.forged", exercise=95, part="a", statement="x^2 >= 0.", asserts="a square",
           requires=Verdict.PROVED)
    def forged():
        x = z3.Real("x")
        return validity(prove(x * x >= 0, [x]), evidence={"checked": {"math": ["text", "1 = 2"], "text": "1 = 2"}})


    CLAIMS = (unrecorded, forged)
"""


def test_a_verdict_from_a_helper_not_told_what_it_decided_fails_and_checked_cannot_be_forged(tmp_path):
    import json

    (tmp_path / "unrecorded.py").write_text(textwrap.dedent(UNRECORDED_PACK))
    proc = cli("check", "ex95", "--claims", str(tmp_path), "--no-cache", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    unrecorded, forged = results["ex95.a.unrecorded"], results["ex95.a.forged"]
    assert unrecorded["verdict"] == "error" and "no statement of what was checked" in unrecorded["reason"]
    assert "proofs.interpret.identity" in unrecorded["reason"] and "checked" not in unrecorded["evidence"]
    assert forged["status"] == "pass" and forged["evidence"]["checked"]["text"] == "∀ x ∈ ℝ: x·x ≥ 0"


def test_an_identity_answer_carries_the_sides_it_decided():
    import sympy

    from proofs import symbolic_identity
    from proofs.interpret import decided

    a = sympy.Symbol("a")
    shown = identity(symbolic_identity((a + 1) ** 2, a**2 + 2 * a + 1))
    assert shown.verdict is Verdict.PROVED and decided(shown)[0][1].text == "(a + 1)^2 = a^2 + 2·a + 1"
    wrong = identity(symbolic_identity((a + 1) ** 2, a**2 + 1))
    assert wrong.verdict is Verdict.REFUTED and decided(wrong)[0][1].text == "(a + 1)^2 = a^2 + 1"
    # A statement given still decides what is recorded, and a forged answer is decided again from the sides it carries.
    assert decided(identity(symbolic_identity(a, a), statement=(a * (a + 1), a**2 + a)))[0][1].text == "a·(a + 1) = a^2 + a"
    forged = identity(IdentityAnswer(True, "0", sides=((a + 1) ** 2, a**2 + 1)))
    assert forged.verdict is Verdict.ERROR and "does not simplify to an identity" in forged.reason
