"""The result cache is keyed per claim: editing a module, or what it imports or reads, rechecks exactly its claims."""


import pytest


MODULE = '''"""{doc}"""
{imports}
from proofs import Outcome, Verdict, claim


def _claim(part):
    @claim(f"{name}.ex{exercise}.{{part}}.holds", exercise={exercise}, part=part, statement="0 = 0.", asserts="0 = 0",
           formal="0 = 0", requires=Verdict.PROVED)
    def holds():
        return Outcome(Verdict.PROVED, "arithmetic", {{"seen": {seen}}})

    return holds


CLAIMS = (_claim("a"), _claim("b"))
'''


def _module(folder, name, exercise, *, imports="", seen="0", doc="Two claims that hold."):
    (folder / f"{name}.py").write_text(MODULE.format(name=name, exercise=exercise, imports=imports, seen=seen, doc=doc))


def _cached(checked):
    """{claim id: whether its result was reused from the cache} of a check that passed."""
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return {i: r["cached"] is not None for i, r in checked.results.items()}


@pytest.fixture
def course(packs):
    pack = packs.write(_helper="VALUE = 1\n")
    packs.file("table.txt", "1\n")
    _module(pack, "alpha", 1)
    _module(pack, "beta", 2, imports="import _helper\n", seen="_helper.VALUE")
    _module(pack, "gamma", 3, imports="from pathlib import Path\n\nROWS = (Path(__file__).parent / 'table.txt').read_text()\n",
            seen="ROWS")
    return packs


def _reused(cached):
    return sorted({claim_id.split(".")[0] for claim_id, reused in cached.items() if reused})


@pytest.mark.slow
def test_editing_one_module_rechecks_exactly_its_claims(course):
    assert not any(_cached(course.check("*.ex[0-9]*", cache=True)).values())
    assert all(_cached(course.check("*.ex[0-9]*", cache=True)).values())
    _module(course / "pack", "alpha", 1, doc="Two claims that hold, edited.")
    again = _cached(course.check("*.ex[0-9]*", cache=True))
    assert _reused(again) == ["beta", "gamma"] and not again["alpha.ex1.a.holds"] and not again["alpha.ex1.b.holds"]
    assert all(_cached(course.check("*.ex[0-9]*", cache=True)).values())


def test_editing_a_helper_module_rechecks_the_claims_that_imported_it(course):
    _cached(course.check("*.ex[0-9]*", cache=True))
    (course / "pack" / "_helper.py").write_text("VALUE = 2\n")
    assert _reused(_cached(course.check("*.ex[0-9]*", cache=True))) == ["alpha", "gamma"]


def test_editing_a_file_a_module_read_when_imported_rechecks_its_claims(course):
    _cached(course.check("*.ex[0-9]*", cache=True))
    (course / "pack" / "table.txt").write_text("2\n")
    assert _reused(_cached(course.check("*.ex[0-9]*", cache=True))) == ["alpha", "beta"]


def test_a_new_module_rechecks_only_the_modules_that_import_from_its_folder(course):
    # beta imports a helper from the pack's folder: a new file there could be what that import finds now
    _cached(course.check("*.ex[0-9]*", cache=True))
    _module(course / "pack", "delta", 4)
    again = _cached(course.check("*.ex[0-9]*", cache=True))
    assert _reused(again) == ["alpha", "gamma"] and not again["delta.ex4.a.holds"]


LITERAL = """from proofs import Erratum, Outcome, Replay, Verdict, claim


@claim("literal.ex1.a.wrong", exercise=1, part="a", statement="v = 0.", asserts="v = 0", formal="v = 0",
       requires=Verdict.PROVED, params={"v": 1}, erratum=Erratum("v is 1", "fixed.ex2.a.right"),
       replay=lambda witness, *, v: Replay(witness["v"] == 0, {"v": witness["v"]}))
def wrong(v):
    return Outcome(Verdict.REFUTED, "arithmetic", {}, witness={"v": v})


CLAIMS = (wrong,)
"""
FIXED = """from proofs import Outcome, Replay, Verdict, claim


@claim("fixed.ex2.a.right", exercise=2, part="a", statement="v = v.", asserts="v = v", formal="v = v",
       requires=Verdict.PROVED, replay=lambda witness: Replay(True, {"v": witness["v"]}))
def right():
    return Outcome(Verdict.PROVED, "arithmetic", {})


CLAIMS = (right,)
"""


def test_an_erratum_is_rechecked_when_the_module_of_its_correction_changes(packs):
    # the erratum's counterexample is replayed by its correction's replay, written in another module
    pack = packs.write(literal=LITERAL, fixed=FIXED)
    _module(pack, "other", 3)
    first = _cached(packs.check("*.ex[0-9]*", cache=True))  # this pack's claims, not the seed's
    assert set(first) == {"literal.ex1.a.wrong", "fixed.ex2.a.right", "other.ex3.a.holds", "other.ex3.b.holds"}
    (pack / "fixed.py").write_text(FIXED + "\n# edited\n")
    assert _reused(_cached(packs.check("*.ex[0-9]*", cache=True))) == ["other"]
