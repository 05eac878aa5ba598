import pytest

from proofs.verdicts import ExitCode, Status, Verdict, classify

POSITIVE = [Verdict.PROVED, Verdict.EXHAUSTED, Verdict.NOT_REFUTED, Verdict.SUPPORTED]
FAILING = [Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR]


def test_strength_order():
    assert [v.strength for v in POSITIVE] == sorted((v.strength for v in POSITIVE), reverse=True)
    assert all(v.strength == 0 for v in [Verdict.REFUTED, *FAILING])


@pytest.mark.parametrize("verdict", FAILING)
@pytest.mark.parametrize("erratum", [False, True])
def test_unknown_timeout_error_always_fail(verdict, erratum):
    assert classify(verdict, requires=Verdict.SUPPORTED, erratum=erratum)[0] is Status.FAIL


def test_refuted_fails_unless_erratum():
    assert classify(Verdict.REFUTED, requires=Verdict.PROVED, erratum=False)[0] is Status.FAIL
    assert classify(Verdict.REFUTED, requires=Verdict.PROVED, erratum=True)[0] is Status.ERRATUM
    assert classify(Verdict.REFUTED, requires=Verdict.PROVED, erratum=True, strict=True)[0] is Status.FAIL


@pytest.mark.parametrize("verdict", POSITIVE)
def test_erratum_no_longer_refuted_fails(verdict):
    status, reason = classify(verdict, requires=Verdict.SUPPORTED, erratum=True)
    assert status is Status.FAIL and "no longer refuted" in reason


@pytest.mark.parametrize("requires", POSITIVE)
@pytest.mark.parametrize("verdict", POSITIVE)
def test_evidence_must_be_strong_enough(verdict, requires):
    status, _ = classify(verdict, requires=requires, erratum=False)
    assert (status is Status.PASS) == (verdict.strength >= requires.strength)


def test_sample_never_passes_a_proof_requirement():
    status, reason = classify(Verdict.NOT_REFUTED, requires=Verdict.PROVED, erratum=False)
    assert status is Status.FAIL and "too weak" in reason


def test_requires_must_be_positive():
    with pytest.raises(ValueError):
        classify(Verdict.PROVED, requires=Verdict.REFUTED, erratum=False)


def test_exit_codes_mirror_pytest():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4, 5]
