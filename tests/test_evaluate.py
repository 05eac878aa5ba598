from fractions import Fraction

import pytest

from proofs import Erratum, Outcome, Perturbation, Replay, Status, Verdict
from proofs.evaluate import evaluate, jsonable
from proofs.model import Claim


def make(check, replay=None, requires=Verdict.PROVED, erratum=None, params=None, perturbations=()):
    return Claim(id="ex9.a.t", exercise=9, part="a", statement="s", asserts="a", formal="f", requires=requires,
                 check=check, replay=replay, erratum=erratum, params=params or {}, perturbations=perturbations)


def test_exception_becomes_error_with_location():
    def boom():
        raise ZeroDivisionError("x")

    r = evaluate(make(boom))
    assert r.verdict is Verdict.ERROR and r.status is Status.FAIL and "ZeroDivisionError" in r.reason
    assert "test_evaluate.py" in r.reason


@pytest.mark.parametrize("garbage", [None, "proved", 1, Verdict.PROVED])
def test_garbage_becomes_error(garbage):
    assert evaluate(make(lambda: garbage)).verdict is Verdict.ERROR


def test_bad_verdict_type_is_error():
    assert evaluate(make(lambda: Outcome("proved", "x"))).verdict is Verdict.ERROR


def test_refuted_without_counterexample_is_error():
    r = evaluate(make(lambda: Outcome(Verdict.REFUTED, "z3")))
    assert r.verdict is Verdict.ERROR and "without a counterexample" in r.reason


def test_witness_without_replay_is_error():
    r = evaluate(make(lambda: Outcome(Verdict.REFUTED, "z3", witness={"x": 1})))
    assert r.verdict is Verdict.ERROR and "no replay" in r.reason


def test_counterexample_that_satisfies_the_claim_is_error():
    c = make(lambda: Outcome(Verdict.REFUTED, "z3", witness={"x": 2}), replay=lambda w: Replay(True, {"x": w["x"]}))
    r = evaluate(c)
    assert r.verdict is Verdict.ERROR and "replay disagrees" in r.reason


def test_witness_that_fails_replay_is_error():
    c = make(lambda: Outcome(Verdict.PROVED, "z3", witness={"x": 2}), replay=lambda w: Replay(False, {}))
    assert evaluate(c).verdict is Verdict.ERROR


def test_replayed_counterexample_is_reported():
    c = make(lambda: Outcome(Verdict.REFUTED, "z3", witness={"x": Fraction(1, 2)}),
             replay=lambda w: Replay(w["x"] > 1, {"x": w["x"]}))
    r = evaluate(c)
    assert r.verdict is Verdict.REFUTED and r.status is Status.FAIL
    assert r.evidence["counterexample"] == {"x": "1/2"} and r.evidence["replay"]["holds"] is False


def test_replay_that_returns_garbage_is_error():
    c = make(lambda: Outcome(Verdict.REFUTED, "z3", witness={"x": 1}), replay=lambda w: False)
    assert evaluate(c).verdict is Verdict.ERROR


def test_unreportable_evidence_is_error():
    r = evaluate(make(lambda: Outcome(Verdict.PROVED, "x", {"thing": object()})))
    assert r.verdict is Verdict.ERROR and "not reportable" in r.reason


def test_erratum_refuted_is_erratum_and_proved_fails():
    err = Erratum("wrong", "ex9.a.fixed")
    refuted = make(lambda: Outcome(Verdict.REFUTED, "z3", witness={"x": 1}), replay=lambda w: Replay(False, {}), erratum=err)
    assert evaluate(refuted).status is Status.ERRATUM
    assert evaluate(refuted, strict=True).status is Status.FAIL
    proved = make(lambda: Outcome(Verdict.PROVED, "z3"), erratum=err)
    assert evaluate(proved).status is Status.FAIL


def test_perturbation_passes_only_when_refuted():
    def check(v):
        if v == 1:
            return Outcome(Verdict.PROVED, "z3")
        return Outcome(Verdict.REFUTED, "z3", witness={"v": v})

    c = make(check, replay=lambda w, v: Replay(v == 1, {"v": v}), params={"v": 1},
             perturbations=(Perturbation("two", {"v": 2}), Perturbation("one", {"v": 1})))
    assert evaluate(c).status is Status.PASS
    killed = evaluate(c, c.perturbation("two"))
    assert killed.id == "ex9.a.t~two" and killed.status is Status.PASS
    survived = evaluate(c, c.perturbation("one"))
    assert survived.status is Status.FAIL and "not refuted" in survived.reason


def test_jsonable_keeps_exact_values():
    assert jsonable({"a": Fraction(3, 4), "b": Fraction(4, 2), "c": [1, (2, 3)], "d": {True}}) == {
        "a": "3/4", "b": 2, "c": [1, [2, 3]], "d": [True]}
    with pytest.raises(TypeError):
        jsonable({1: 2})
