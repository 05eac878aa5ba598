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
        if v in (1, 3):
            return Outcome(Verdict.PROVED, "z3")
        return Outcome(Verdict.REFUTED, "z3", witness={"v": v})

    c = make(check, replay=lambda w, v: Replay(v in (1, 3), {"v": v}), params={"v": 1},
             perturbations=(Perturbation("two", {"v": 2}), Perturbation("three", {"v": 3})))
    assert evaluate(c).status is Status.PASS
    killed = evaluate(c, c.perturbation("two"))
    assert killed.id == "ex9.a.t~two" and killed.status is Status.PASS
    survived = evaluate(c, c.perturbation("three"))
    assert survived.status is Status.FAIL and "not refuted" in survived.reason


def test_jsonable_keeps_exact_values():
    assert jsonable({"a": Fraction(3, 4), "b": Fraction(4, 2), "c": [1, (2, 3)], "d": {True}}) == {
        "a": "3/4", "b": 2, "c": [1, [2, 3]], "d": [True]}
    with pytest.raises(TypeError):
        jsonable({1: 2})


def _reads(result):
    return {(kind, name): state for kind, name, state in result.reads["entries"]}


def test_what_a_check_reads_is_recorded_with_its_state(tmp_path, monkeypatch):
    import os
    import sys

    from proofs.reads import installation

    (tmp_path / "data.txt").write_text("6")
    (tmp_path / "box").mkdir()
    (tmp_path / "late_module_for_reads.py").write_text("X = 1\n")
    monkeypatch.setenv("READS_SET", "yes")
    monkeypatch.delenv("READS_UNSET", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))

    def check():
        import json  # noqa: F401 - the standard library is keyed by the Python build, not recorded

        import late_module_for_reads  # noqa: F401

        os.environ.get("READS_SET"), os.getenv("READS_UNSET")
        (tmp_path / "data.txt").read_text()
        os.listdir(tmp_path / "box")
        os.path.exists(tmp_path / "nothing")
        return Outcome(Verdict.PROVED, "x")

    try:
        reads = _reads(evaluate(make(check)))
    finally:
        sys.modules.pop("late_module_for_reads", None)
    assert reads[("env", "READS_SET")].startswith("value:") and reads[("env", "READS_UNSET")] == "unset"
    assert reads[("file", str(tmp_path / "data.txt"))].startswith("sha256:")
    assert reads[("listing", str(tmp_path / "box"))].startswith("listing:")
    assert reads[("file", str(tmp_path / "nothing"))] == "absent"
    assert reads[("module", str(tmp_path / "late_module_for_reads.py"))].startswith("sha256:")
    stdlib, _ = installation()
    assert not any(kind == "module" and name.startswith(stdlib) for kind, name in reads)
    assert type(os.environ) is os._Environ and getattr(os.stat, "__wrapped__", None) is None  # all put back


def test_a_variable_the_check_sets_is_not_a_read_and_iterating_reads_the_whole_environment(monkeypatch):
    import os

    monkeypatch.setenv("READS_OWN", "before")

    def check():
        os.environ["READS_OWN"] = "mine"
        os.environ["READS_OWN"]
        dict(os.environ)
        return Outcome(Verdict.PROVED, "x")

    reads = _reads(evaluate(make(check)))
    assert ("env", "READS_OWN") not in reads and ("env", "*") in reads


def test_a_check_that_starts_a_program_cannot_be_recorded():
    import subprocess
    import sys

    def check():
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return Outcome(Verdict.PROVED, "x")

    r = evaluate(make(check))
    assert r.status is Status.PASS and "started a program (subprocess.Popen)" in r.reads["unrecordable"]


def test_the_reported_result_leaves_the_record_of_reads_out():
    from proofs.evaluate import check_material

    claim = make(lambda: Outcome(Verdict.PROVED, "x"))
    r = evaluate(claim)
    assert r.reads is not None and "reads" in r.to_json()
    reported = check_material(claim, r, None)
    assert reported.reads is None and "reads" not in reported.to_json()


def test_a_check_that_read_a_file_too_large_to_rehash_cannot_be_recorded(tmp_path, monkeypatch):
    import proofs.reads

    monkeypatch.setattr(proofs.reads, "MAX_FILE_BYTES", 4)
    (tmp_path / "big.txt").write_text("0123456789")
    r = evaluate(make(lambda: Outcome(Verdict.PROVED, "x", {"n": len((tmp_path / "big.txt").read_text())})))
    assert r.status is Status.PASS and any("larger than" in u for u in r.reads["unrecordable"])


def test_recording_is_undone_when_a_check_raises():
    import os

    def boom():
        os.environ.get("HOME")
        raise RuntimeError("x")

    assert evaluate(make(boom)).verdict is Verdict.ERROR
    assert type(os.environ) is os._Environ and getattr(os.stat, "__wrapped__", None) is None


def test_a_read_that_cannot_be_recorded_leaves_the_check_alone_and_is_not_stored(tmp_path):
    import os

    gone = tmp_path / "gone"
    gone.mkdir()
    here = os.getcwd()

    def check():
        os.chdir(gone)
        os.rmdir(gone)
        try:
            found = os.path.exists("relative.txt")  # the working directory is gone: no absolute path to record
        finally:
            os.chdir(here)
        return Outcome(Verdict.PROVED, "x", {"found": found})

    r = evaluate(make(check))
    assert r.status is Status.PASS and r.evidence["found"] is False
    assert any("cannot be made absolute" in u for u in r.reads["unrecordable"])


def test_a_library_first_loaded_inside_a_check_is_recorded_by_its_package_file(tmp_path, monkeypatch):
    import sys

    import proofs.reads

    site = tmp_path / "site"
    (site / "fakelib_for_reads").mkdir(parents=True)
    (site / "fakelib_for_reads" / "__init__.py").write_text("")
    (site / "fakelib_for_reads" / "sub.py").write_text("X = 1\n")
    stdlib, _ = proofs.reads.installation()
    monkeypatch.setattr(proofs.reads, "installation", lambda: (stdlib, (str(site),)))
    monkeypatch.syspath_prepend(str(site))

    def check():
        import fakelib_for_reads.sub  # noqa: F401

        return Outcome(Verdict.PROVED, "x")

    try:
        reads = _reads(evaluate(make(check)))
    finally:
        for name in ("fakelib_for_reads", "fakelib_for_reads.sub"):
            sys.modules.pop(name, None)
    assert reads[("library", str(site / "fakelib_for_reads" / "__init__.py"))].startswith("stat:")
    assert not any(name.startswith(str(site)) for kind, name in reads if kind != "library")


def test_an_erratums_counterexample_exercises_the_corrected_claims_replay(tmp_path):
    from proofs.registry import import_here

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "minimum.py").write_text('''
from fractions import Fraction

import z3

from proofs import Erratum, Perturbation, Replay, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove

def error(x, best):
    return x * x - 2 * x >= best * best - 2 * best

def honest(witness, *, best):
    x = Fraction(witness["x"])
    return Replay(bool(error(x, best)), {"x^2 - 2x": x * x - 2 * x})

def fail_open(witness, *, best):  # says the claim fails wherever it is asked
    return Replay(False, {"x": witness["x"]})

def check(best):
    x = z3.Real("x")
    return validity(prove(error(x, best), [x]))

def make(cid, best, replay, erratum=None, perturbations=()):
    return claim(cid, exercise=1, part="a", statement="x^2 - 2x is smallest at the stated point.", asserts="x = best",
                 formal="for all real x: x^2 - 2x >= best^2 - 2 best", requires=Verdict.PROVED, params={"best": best},
                 replay=replay, erratum=erratum, perturbations=perturbations)(check)

printed = make("t.ex1.a.minimum", -1, honest, Erratum("the minimum is at 1", "t.ex1.a.minimum_corrected"))
fixed = make("t.ex1.a.minimum_corrected", 1, REPLAY, perturbations=(Perturbation("printed", {"best": -1}),))
CLAIMS = (printed, fixed)
''')
    results = {}
    for replay in ("honest", "fail_open"):
        source = (pack / "minimum.py").read_text()
        (pack / "minimum.py").write_text(source.replace("REPLAY", replay))
        catalogue = import_here([pack], entry_points=False)
        assert not catalogue.errors, catalogue.errors
        results[replay] = evaluate(catalogue.by_id("t.ex1.a.minimum"))
        (pack / "minimum.py").write_text(source)
    assert results["honest"].status is Status.ERRATUM
    assert results["honest"].evidence["corrected_replay"]["holds"] is True
    assert results["fail_open"].verdict is Verdict.ERROR
    assert "the corrected claim t.ex1.a.minimum_corrected's replay says it fails" in results["fail_open"].reason


def test_every_call_that_shows_a_paths_metadata_is_a_read_and_its_state_covers_what_it_shows(tmp_path):
    import os

    from proofs.reads import state

    for name in ("data.txt", "copy.txt"):
        (tmp_path / name).write_text("6")
    (tmp_path / "six").symlink_to("6")
    (tmp_path / "box").mkdir()
    (tmp_path / "box" / "only").write_text("6")

    def check():
        os.lstat(tmp_path / "data.txt")
        os.readlink(tmp_path / "six")
        os.access(tmp_path / "copy.txt", os.X_OK)
        return Outcome(Verdict.PROVED, "x")

    reads = _reads(evaluate(make(check)))
    assert {("file", str(tmp_path / n)) for n in ("data.txt", "six", "copy.txt")} <= set(reads)
    assert getattr(os.readlink, "__wrapped__", None) is None and getattr(os.access, "__wrapped__", None) is None

    def seen(kind, path):
        return state(kind, str(path))

    data, box = tmp_path / "data.txt", tmp_path / "box"
    before = seen("file", data)
    data.chmod(0o755)  # the mode
    assert seen("file", data) != before
    data.chmod(0o644)
    before = seen("file", data)
    data.unlink()
    data.symlink_to(tmp_path / "copy.txt")  # a link to the same content
    assert seen("file", data) != before
    before = seen("file", tmp_path / "six")
    (tmp_path / "six").unlink()
    (tmp_path / "six").symlink_to("5")  # re-pointed
    assert seen("file", tmp_path / "six") != before
    before = seen("listing", box)
    (box / "only").unlink()
    (box / "only").symlink_to(tmp_path / "copy.txt")  # an entry replaced by a link: the same names
    assert seen("listing", box) != before


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("verdict", list(Verdict))
def test_one_status_rule_where_a_check_runs_and_where_its_result_is_received(verdict, strict):
    """The runner classifies what a check's process sent again with the rule the check used (status_of): a
    claim's verdict by proofs.verdicts.classify, a perturbation's as passing only when refuted."""
    from proofs.evaluate import statement_of, status_of
    from proofs.runner import Task, _remote_result
    from proofs.verdicts import classify

    witness = {"x": 1} if verdict is Verdict.REFUTED else None
    plain = make(lambda v: Outcome(verdict, "z3", witness=witness), replay=lambda w, v: Replay(False, {}),
                 params={"v": 1}, perturbations=(Perturbation("p", {"v": 2}, "changed"),))
    errata = make(lambda: Outcome(verdict, "z3", witness=witness), replay=lambda w: Replay(False, {}),
                  erratum=Erratum("wrong", "ex9.a.fixed"))
    for claim, perturbation in ((plain, None), (errata, None), (plain, plain.perturbation("p"))):
        status, _ = status_of(claim, perturbation, verdict, strict=strict)
        if perturbation is None:
            assert status is classify(verdict, requires=claim.requires, erratum=claim.erratum is not None, strict=strict)[0]
        else:
            assert status is (Status.PASS if verdict is Verdict.REFUTED else Status.FAIL)
        ran = evaluate(claim, perturbation, strict=strict)
        assert ran.statement == statement_of(claim, perturbation)
        if ran.verdict is verdict:  # a check whose outcome stands: both sides give the rule's status
            assert ran.status is status
        received = _remote_result(Task(claim, perturbation), ran.to_json(), strict)
        assert (received.verdict, received.status, received.statement) == (ran.verdict, ran.status, ran.statement)

