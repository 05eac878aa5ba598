"""Less to write: Correction for every claim form, asserts from citations, tables, note/event, CLAIMS collected."""

import pytest
import sympy

from proofs import (Anchor, Correction, InvalidClaim, Perturbation, Real, Replay, Row, Table, Verdict, claim, collect, event,
                    forall, note)
from proofs.evaluate import evaluate
from proofs.interpret import computed
from proofs.registry import import_here, load
from proofs.verdicts import Status
from proofs.writers.text import _recorded


def _replay_equal(witness, *, x, target):
    return Replay(x == target, {"x": x, "target": target})


def _equal(x, target):
    note(f"x = {x}")
    event("compared", payload=target)
    return computed(x == target, witness={}, statement=(sympy.Integer(x), sympy.Integer(target)))


def test_a_correction_of_a_lower_level_claim_makes_its_corrected_claim_beside_it():
    made = claim("t.ex1.a.two", exercise=1, part="a", statement="x is 3.", asserts="x = 3", requires=Verdict.PROVED,
                 params={"x": 3, "target": 2}, replay=_replay_equal,
                 erratum=Correction("x is 2, not 3.", "x is 2.", {"x": 2}),
                 perturbations=(Perturbation("four", {"x": 4}),))(_equal)
    (fixed,) = made.companions
    assert made.erratum.corrected_by == fixed.id == "t.ex1.a.two_corrected" and made.perturbations == ()
    assert fixed.params == {"x": 2, "target": 2} and fixed.statement == "x is 2." and fixed.erratum is None
    assert [p.name for p in fixed.perturbations] == ["as_printed", "four"] and fixed.perturbation("as_printed").params == {"x": 3}
    assert evaluate(made).status is Status.ERRATUM and evaluate(made).verdict is Verdict.REFUTED
    assert evaluate(fixed).status is Status.PASS
    assert all(evaluate(fixed, p).verdict is Verdict.REFUTED for p in fixed.perturbations)


@pytest.mark.parametrize("values", [{}, {"y": 1}])
def test_a_correction_must_change_stated_values(values):
    with pytest.raises(InvalidClaim, match="correction must change stated values"):
        claim("t.ex1.a.two", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED, params={"x": 3, "target": 2},
              erratum=Correction("r", "s", values))(_equal)


def test_asserts_is_what_the_anchors_quote_when_left_out():
    quoted = claim("t.ex1.a.quoted", exercise=1, part="a", statement="s", requires=Verdict.PROVED, params={"x": 2, "target": 2},
                   anchors=(Anchor("m.md", "x  =\n 2"), Anchor("m.md", "so x is two")))(_equal)
    assert quoted.asserts == "x = 2 · so x is two"
    with pytest.raises(InvalidClaim, match="no 'asserts' field.*anchors="):
        claim("t.ex1.a.bare", exercise=1, part="a", statement="s", requires=Verdict.PROVED)(_equal)


def test_a_statement_asserts_what_it_cites_or_else_its_formal_statement():
    @forall("t.ex1.a.cited", "x + x = 2x.", cites=("m.md", "x + x = 2 x"))
    def cited(x: Real):
        return x + x == 2 * x

    @forall("t.ex1.a.uncited", "x + x = 2x.")
    def uncited(x: Real):
        return x + x == 2 * x

    @forall("t.ex1.a.told", "x + x = 2x.", cites=("m.md", "x + x = 2 x"), asserts="doubling")
    def told(x: Real):
        return x + x == 2 * x

    assert (cited.asserts, uncited.asserts, told.asserts) == ("x + x = 2 x", uncited.formal, "doubling")


def test_a_table_of_lower_level_claims_is_one_check_on_several_rows():
    table = claim(statement="x equals its target.", requires=Verdict.PROVED, params={"x": 0, "target": 2}, replay=_replay_equal,
                  anchors=(Anchor("m.md", "targets"),), perturbations=(Perturbation("off", {"target": 7}),),
                  rows=(Row("t.ex2.a.two", "x is 2.", {"x": 2}),
                        Row("t.ex3.b.five", "x is 5.", {"x": 5, "target": 5}, anchors=(Anchor("m.md", "five"),))))(_equal)
    two, five = table
    assert isinstance(table, Table) and (two.exercise, two.part, five.exercise, five.part) == (2, "a", 3, "b")
    assert (two.asserts, five.asserts) == ("targets", "five") and five.params == {"x": 5, "target": 5}
    assert all(evaluate(c).verdict is Verdict.PROVED and evaluate(c, c.perturbation("off")).verdict is Verdict.REFUTED for c in table)
    with pytest.raises(InvalidClaim, match="ids from its rows"):
        claim("t.ex2.a.x", statement="s", requires=Verdict.PROVED, rows=(Row("t.ex2.a.y", "s"),))(_equal)


def test_a_table_of_statements_checks_each_row_and_rejects_unknown_values():
    @forall(rows=(Row("t.ex4.a.double", "2x", {"times": 2}),
                  Row("t.ex4.b.wrong", "3x", {"times": 3}, perturbations={"more": {"times": 4}})))
    def double(x: Real, times=2):
        return x + x == times * x

    ok, wrong = double
    assert evaluate(ok).verdict is Verdict.PROVED and evaluate(wrong).verdict is Verdict.REFUTED
    assert [p.name for p in wrong.perturbations] == ["more"]
    with pytest.raises(InvalidClaim, match="not stated values"):
        forall(rows=(Row("t.ex4.a.x", "s", {"zz": 1}),))(lambda x=1: x == 1)


def test_notes_and_events_reach_the_result_and_the_report_and_never_the_verdict():
    made = claim("t.ex1.a.noted", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED,
                 params={"x": 2, "target": 2}, replay=_replay_equal)(_equal)
    result = evaluate(made)
    assert result.verdict is Verdict.PROVED
    assert result.evidence["notes"] == ["x = 2"] and result.evidence["events"] == {"compared: 2": 1}
    assert list(_recorded(result)) == ["note: x = 2", "event: compared: 2 (1x)"]
    note("outside a check")  # does nothing
    assert "notes" not in evaluate(claim("t.ex1.a.quiet", exercise=1, part="a", statement="s", asserts="a",
                                         requires=Verdict.PROVED)(lambda: computed(True, witness={}, statement=sympy.S.true))).evidence


def test_a_statement_body_records_once_with_its_stated_values():
    @forall("t.ex1.a.body", "x*x >= 0.")
    def body(x: Real, k=2):
        note(f"k is {k}")
        event("built")
        return x * x * k >= 0

    result = evaluate(body)
    assert result.evidence["notes"] == ["k is 2"] and result.evidence["events"] == {"built": 1}


MODULE = '''
from proofs import Real, Row, forall, Correction

@forall("{ns}.ex1.a.first", "x + x = 2x.")
def first(x: Real):
    return x + x == 2 * x

@forall(rows=(Row("{ns}.ex1.b.one", "x = x", {{"k": 1}}), Row("{ns}.ex1.b.two", "2x = 2x", {{"k": 2}})))
def rows(x: Real, k=1):
    return k * x == k * x

@forall("{ns}.ex1.c.wrong", "x*x > 0.", erratum=Correction("0*0 = 0", "x*x >= 0.", {{"strict": 0}}))
def wrong(x: Real, strict=1):
    return (x * x > 0) | (strict == 0)
'''


def test_a_module_without_a_claims_list_gives_the_claims_its_decorators_made(tmp_path):
    (tmp_path / "pack.py").write_text(MODULE.format(ns="t"))
    (tmp_path / "reuse.py").write_text("from pack import first\n" + MODULE.format(ns="u").replace("def first", "def first_again"))
    catalogue = import_here([tmp_path], entry_points=False)
    assert not catalogue.errors
    ids = [c.id for c in catalogue.claims if c.id.startswith("t.")]
    assert ids == ["t.ex1.a.first", "t.ex1.b.one", "t.ex1.b.two", "t.ex1.c.wrong", "t.ex1.c.wrong_corrected"]
    assert len([c for c in catalogue.claims if c.id == "t.ex1.a.first"]) == 1, "an imported claim is not the importer's"


def test_collect_gives_a_modules_claims_list_or_its_collected_claims(tmp_path):
    import types

    module = types.ModuleType("m")
    module.__file__ = __file__
    module.a = claim("t.ex1.a.a", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED)(_equal)
    assert collect(module) == (module.a,)
    module.CLAIMS = ()
    assert collect(module) == ()


def test_a_module_with_no_claims_at_all_is_a_load_error(tmp_path):
    (tmp_path / "empty.py").write_text("X = 1\n")
    (error,) = load([tmp_path], entry_points=False).errors
    assert "defines no claims and has no CLAIMS list" in str(error)


def test_a_corrections_own_assumptions_belong_to_the_corrected_claim_alone():
    made = claim("t.ex1.a.two", exercise=1, part="a", statement="x is 3.", asserts="x = 3", requires=Verdict.PROVED,
                 params={"x": 3, "target": 2}, assumptions=("x is a number",),
                 erratum=Correction("x is 2.", "x is 2.", {"x": 2}, assumptions=("the lemma the proof uses",)))(_equal)

    @forall("t.ex1.a.sq", "x*x >= k.", assumptions=("x real",),
            erratum=Correction("k = 1 fails at 0", "x*x >= 0.", {"k": 0}, assumptions=("squares are non-negative",)))
    def sq(x: Real, k=1):
        return x * x >= k

    (fixed,) = made.companions
    assert made.assumptions == ("x is a number",) and fixed.assumptions == ("x is a number", "the lemma the proof uses")
    (fixed,) = sq.companions
    assert sq.assumptions == ("x real",) and fixed.assumptions == ("x real", "squares are non-negative")


def test_a_row_may_give_its_own_trusts_and_formulas():
    base = claim("t.ex1.a.base", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED)(_equal)
    one, two = claim(statement="s", asserts="a", requires=Verdict.PROVED, params={"x": 2, "target": 2}, formulas=("Eq(x, 2)",),
                     rows=(Row("t.ex2.a.one", "one"), Row("t.ex2.b.two", "two", trusts=(base,), formulas=("Eq(x, 3)",))))(_equal)
    assert (one.trusts, one.formulas) == ((), ("Eq(x, 2)",)) and (two.trusts, two.formulas) == ((base,), ("Eq(x, 3)",))


def test_a_statement_row_may_give_its_own_trusts():
    base = claim("t.ex1.a.base", exercise=1, part="a", statement="s", asserts="a", requires=Verdict.PROVED)(_equal)
    other = claim("t.ex1.b.other", exercise=1, part="b", statement="s", asserts="a", requires=Verdict.PROVED)(_equal)

    @forall(rows=(Row("t.ex3.a.shared", "x = x"), Row("t.ex3.b.own", "x = x", trusts=(base,))), trusts=(other,))
    def same(x: Real):
        return x == x

    shared, own = same
    assert shared.trusts == (other,) and own.trusts == (base,)


def test_a_statement_erratum_may_name_a_corrected_claim_written_beside_it():
    from proofs import Erratum

    @forall("t.ex1.a.strict", "x*x > 0.", erratum=Erratum("0*0 = 0", corrected_by="t.ex1.a.weak"))
    def strict(x: Real):
        return x * x > 0

    assert strict.erratum.corrected_by == "t.ex1.a.weak" and strict.companions == ()
    assert evaluate(strict).status is Status.ERRATUM
    with pytest.raises(InvalidClaim, match="Correction"):
        forall("t.ex1.a.bad", "s", erratum="wrong")(lambda x=1: x == 1)
