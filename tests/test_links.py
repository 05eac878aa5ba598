"""Links between claims: trusted claims and lemmas are followed, and a weak link cannot pass silently."""

import dataclasses

from proofs import Lemma, Real, Status, Verdict, forall
from proofs.evaluate import evaluate
from proofs.links import closure, problems, relate, with_trusted

NORM = Lemma("operator_norm", "||A v|| <= ||A|| ||v|| for the operator 2-norm", source="textbook")


@forall("t.ex1.a.base", "x^2 >= 0.")
def base(x: Real):
    return x * x >= 0


@forall("t.ex1.b.middle", "x^2 + 1 > 0.", trusts=(base, NORM))
def middle(x: Real):
    return x * x + 1 > 0


@forall("t.ex1.c.top", "x^2 + 2 > 0.", trusts=(middle,))
def top(x: Real):
    return x * x + 2 > 0


CLAIMS = [base, middle, top]
BY_ID = {c.id: c for c in CLAIMS}


def test_closure_follows_claims_and_collects_lemmas_transitively():
    assert closure(top, BY_ID) == (["t.ex1.b.middle", "t.ex1.a.base"], [NORM])
    assert closure(base, BY_ID) == ([], [])


def test_selection_brings_what_it_rests_on():
    assert [c.id for c in with_trusted([top], CLAIMS)] == ["t.ex1.a.base", "t.ex1.b.middle", "t.ex1.c.top"]


def test_a_result_names_what_it_is_relative_to():
    results = {c.id: evaluate(c) for c in CLAIMS}
    related = relate(results["t.ex1.c.top"], top, results, BY_ID)
    assert related.status is Status.PASS
    assert "relative to t.ex1.b.middle (proved), t.ex1.a.base (proved); lemmas operator_norm" in related.reason
    assert related.trusts == {"claims": {"t.ex1.b.middle": "proved", "t.ex1.a.base": "proved"}, "weakest": "proved",
                              "lemmas": ["operator_norm"]}
    assert related.to_json()["trusts"]["weakest"] == "proved"


def test_a_claim_resting_on_a_weaker_or_failing_or_unchecked_link_fails():
    results = {c.id: evaluate(c) for c in CLAIMS}
    weak = dict(results)
    weak["t.ex1.a.base"] = dataclasses.replace(results["t.ex1.a.base"], verdict=Verdict.NOT_REFUTED)
    related = relate(results["t.ex1.c.top"], top, weak, BY_ID)
    assert related.status is Status.FAIL and "rests on t.ex1.a.base (not_refuted" in related.reason
    failing = dict(results)
    failing["t.ex1.b.middle"] = dataclasses.replace(results["t.ex1.b.middle"], verdict=Verdict.REFUTED, status=Status.FAIL)
    assert relate(results["t.ex1.c.top"], top, failing, BY_ID).status is Status.FAIL
    missing = {k: v for k, v in results.items() if k != "t.ex1.a.base"}
    related = relate(results["t.ex1.c.top"], top, missing, BY_ID)
    assert related.status is Status.FAIL and "t.ex1.a.base (not checked)" in related.reason


def test_unknown_links_dangling_corrections_and_cycles_are_problems():
    @forall("t.ex2.a.lonely", "x = x.")
    def lonely(x: Real):
        return x == x

    @forall("t.ex2.b.user", "x + 0 = x.", trusts=(lonely,))
    def user(x: Real):
        return x + 0 == x

    (problem,) = problems([user])
    assert problem == (user, "trusts t.ex2.a.lonely, which is not a loaded claim")
    a = dataclasses.replace(lonely, trusts=(user,))
    b = dataclasses.replace(user, trusts=(a,))
    found = problems([a, b])
    assert any("trust cycle: " in message for _, message in found)


def test_a_dangling_correction_a_no_op_perturbation_and_a_trust_cycle_are_one_line_load_errors(tmp_path):
    from proofs.registry import load

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "dangling.py").write_text(
        "from proofs import Erratum, Real, forall, claim, Verdict\n"
        "from proofs.interpret import computed\n"
        "@claim('t.ex1.a.wrong', exercise=1, part='a', statement='s', asserts='a', formal='f', requires=Verdict.PROVED,\n"
        "       erratum=Erratum('why', corrected_by='t.ex1.a.nowhere'))\n"
        "def wrong():\n    return computed(False, witness={})\n"
        "CLAIMS = (wrong,)\n")
    (pack / "noop.py").write_text(
        "from proofs import Real, forall\n"
        "@forall('t.ex2.a.same', 'x = x.', perturb={'same': {'k': 1}})\n"
        "def same(x: Real, k=1):\n    return k * x == x\n"
        "CLAIMS = (same,)\n")
    (pack / "cycle.py").write_text(
        "import dataclasses\n"
        "from proofs import Real, forall\n"
        "@forall('t.ex3.a.first', 'x = x.')\n"
        "def first(x: Real):\n    return x == x\n"
        "@forall('t.ex3.b.second', 'x + 0 = x.', trusts=(first,))\n"
        "def second(x: Real):\n    return x + 0 == x\n"
        "first = dataclasses.replace(first, trusts=(second,))\n"
        "CLAIMS = (first, second)\n")
    errors = {e.pack.split("/")[-1]: e for e in load([pack], entry_points=False).errors}
    assert set(errors) == {"dangling", "noop", "cycle"}
    for name, needle in (("dangling", "corrected by t.ex1.a.nowhere, which is not a loaded claim"),
                         ("noop", "changes no stated value"), ("cycle", "trust cycle: ")):
        line = str(errors[name])
        assert needle in line and "\n" not in line
        assert errors[name].file.endswith(f"{name}.py") and errors[name].line > 0, line
