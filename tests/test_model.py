import pytest

from proofs import Erratum, InvalidClaim, Outcome, Perturbation, Verdict, claim
from proofs.model import Claim


def _check():
    return Outcome(Verdict.PROVED, "none")


BASE = dict(exercise=1, part="a", statement="s", asserts="a", formal="f", requires=Verdict.PROVED, check=_check)


@pytest.mark.parametrize("bad", ["ex1", "Ex1.a.b", "ex1.a b", "ex2.a.b", "x1.a", "ex1..a"])
def test_bad_ids_rejected(bad):
    with pytest.raises(InvalidClaim):
        Claim(id=bad, **BASE)


@pytest.mark.parametrize("field", ["statement", "asserts", "formal"])
def test_empty_text_rejected_naming_the_field(field):
    with pytest.raises(InvalidClaim, match=field):
        Claim(id="ex1.a.ok", **{**BASE, field: "  "})


def test_requires_must_be_positive():
    with pytest.raises(InvalidClaim, match="requires"):
        Claim(id="ex1.a.ok", **{**BASE, "requires": Verdict.ERROR})


def test_perturbation_of_unknown_param_rejected():
    with pytest.raises(InvalidClaim, match="unknown params"):
        Claim(id="ex1.a.ok", params={"x": 1}, perturbations=(Perturbation("p", {"y": 2}),), **BASE)


def test_invalid_claim_is_also_a_type_error():
    assert issubclass(InvalidClaim, TypeError)


def test_decorator_records_location():
    @claim("ex1.a.here", exercise=1, part="a", statement="s", asserts="a", formal="f", requires=Verdict.PROVED,
           erratum=Erratum("why", "ex1.a.fixed"))
    def here():
        return _check()

    assert here.file.endswith("test_model.py") and here.line > 0
    assert here.location.endswith(f"test_model.py:{here.line}")
    assert here.erratum.corrected_by == "ex1.a.fixed"
