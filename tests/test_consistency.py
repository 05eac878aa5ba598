"""A result read back from a shard's report, a cache entry or a check's process is checked by one set of rules."""

import pytest

from proofs.consistency import malformed, mismatch
from proofs.model import Claim, Erratum, Outcome, Result
from proofs.runner import Task, _remote_result
from proofs.verdicts import Status, Verdict


def _claim(**fields) -> Claim:
    return Claim(id="ex9.a.square", exercise=9, part="a", statement="x^2 >= 0", asserts="x^2 >= 0", formal="",
                 requires=Verdict.PROVED, check=lambda: Outcome(Verdict.PROVED, "z3"), **fields)


def _entry(**changes) -> dict:
    result = Result(id="ex9.a.square", exercise=9, part="a", statement="x^2 >= 0", verdict=Verdict.PROVED,
                    status=Status.PASS, method="z3", evidence={}, assumptions=(), erratum=None, reason="", seconds=0.5)
    return {**result.to_json(), **changes}


def test_a_result_as_the_engine_writes_it_is_well_formed():
    assert malformed(_entry()) == []
    assert malformed(_entry(trusts={"weakest": "proved"}, cached={"seconds": 1})) == []


@pytest.mark.parametrize("changes, wrong", [
    ({"exercise": "9"}, ["exercise"]),
    ({"exercise": True}, ["exercise"]),
    ({"seconds": -1}, ["seconds"]),
    ({"seconds": 10**400}, ["seconds"]),
    ({"assumptions": [1]}, ["assumptions"]),
    ({"assumptions": "x > 0"}, ["assumptions"]),
    ({"evidence": []}, ["evidence"]),
    ({"part": 1, "erratum": []}, ["part", "erratum"]),
    ({"cached": []}, ["cached"]),
    ({"verdict": "great", "status": "ok"}, ["verdict", "status"]),
    ({"id": None, "method": 3}, ["id", "method"]),
])
def test_every_malformed_member_is_named(changes, wrong):
    assert malformed(_entry(**changes)) == wrong


def test_a_missing_member_is_malformed():
    entry = _entry()
    del entry["reason"], entry["part"]
    assert malformed(entry) == ["reason", "part"] and malformed([]) == ["the result"]


def test_a_result_that_describes_its_claim_otherwise_is_named():
    claim = _claim()
    assert mismatch(claim, Result.from_json(_entry())) is None
    assert mismatch(claim, Result.from_json(_entry(statement="x^2 > 0"))) == "its statement differs from the claim's"
    erratum = _claim(erratum=Erratum("printed wrong", "ex9.a.fixed"))
    assert mismatch(erratum, Result.from_json(_entry(part="b"))) == "its part, erratum differ from the claim's"


def test_a_checks_process_that_sends_a_malformed_result_makes_the_claim_an_error():
    task = Task(_claim())
    assert _remote_result(task, _entry(), strict=False).verdict is Verdict.PROVED
    sent = _remote_result(task, _entry(assumptions=[1], exercise="9"), strict=False)
    assert sent.verdict is Verdict.ERROR and "exercise, assumptions malformed" in sent.reason
