import pytest

from proofs import Anchor, Erratum, InvalidClaim, Outcome, Perturbation, Placeholder, Verdict, claim, todo
from proofs.model import Claim


def _check():
    return Outcome(Verdict.PROVED, "none")


BASE = dict(exercise=1, part="a", statement="s", asserts="a", formal="f", requires=Verdict.PROVED, check=_check)


@pytest.mark.parametrize("bad", ["ex1", "Ex1.a.b", "ex1.a b", "ex2.a.b", "x1.a", "ex1..a", "week8.ex2.a.b", "8w.ex1.a.b",
                                 "week8.a.b"])
def test_bad_ids_rejected(bad):
    with pytest.raises(InvalidClaim):
        Claim(id=bad, **BASE)


@pytest.mark.parametrize("field", ["statement", "asserts"])
def test_empty_text_rejected_naming_the_field(field):
    with pytest.raises(InvalidClaim, match=field):
        Claim(id="ex1.a.ok", **{**BASE, field: "  "})


def test_formal_is_optional_commentary_but_must_be_text():
    assert Claim(id="ex1.a.ok", **{**BASE, "formal": ""}).formal == ""
    with pytest.raises(InvalidClaim, match="formal"):
        Claim(id="ex1.a.ok", **{**BASE, "formal": 3})

    @claim("ex1.a.plain", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED)
    def plain():
        return _check()

    assert plain.formal == ""


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


@pytest.mark.parametrize("good", ["ex1.a.ok", "week8.ex1.a.ok", "course.week8.ex1.b", "ex1.ok"])
def test_ids_with_and_without_namespace(good):
    assert Claim(id=good, **BASE).id == good


REQUIRED = dict(exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED)


@pytest.mark.parametrize("field", sorted(REQUIRED))
def test_missing_field_named_with_location_and_fix(field):
    fields = {k: v for k, v in REQUIRED.items() if k != field}
    with pytest.raises(InvalidClaim) as info:
        @claim("ex1.a.partial", **fields)
        def partial():
            return _check()
    message = str(info.value)
    assert f"no {field!r} field" in message and f"{field}=" in message and "test_model.py:" in message


def test_missing_id_and_bare_decorator():
    with pytest.raises(InvalidClaim, match="no 'id' field"):
        @claim(**REQUIRED)
        def anonymous():
            return _check()
    with pytest.raises(InvalidClaim, match="bare @claim"):
        @claim
        def bare():
            return _check()


@pytest.mark.parametrize("field, value, message", [("exercise", "1", "exercise must be"), ("part", 3, "part must be"),
                                                  ("statement", None, "statement")])
def test_wrongly_typed_fields_rejected_with_location(field, value, message):
    with pytest.raises(InvalidClaim, match=message) as info:
        @claim("ex1.a.typed", **{**REQUIRED, field: value})
        def typed():
            return _check()
    assert "test_model.py:" in str(info.value)


def test_todo_names_what_and_where():
    with pytest.raises(Placeholder, match=r"test_model\.py:\d+: the claim in words"):
        todo("the claim in words")
    assert issubclass(Placeholder, InvalidClaim)


@pytest.mark.parametrize("file, snippet", [("", "x"), ("/abs.txt", "x"), ("../up.txt", "x"), ("sheet.txt", " \n")])
def test_bad_anchors_rejected(file, snippet):
    with pytest.raises(InvalidClaim):
        Anchor(file, snippet)


def test_anchors_must_be_anchor_values():
    with pytest.raises(InvalidClaim, match="Anchor"):
        Claim(id="ex1.a.ok", anchors=(("sheet.txt", "x"),), **BASE)
