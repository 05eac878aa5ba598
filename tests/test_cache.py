"""The result cache: reused only for identical inputs, never for a failure, and reported as reused."""

import dataclasses
import json
import shutil
import tempfile
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED_MATERIAL, Packs, run_cli
from proofs.cache import KEEP, ResultCache, digest_inputs
from proofs.registry import load
from proofs.runner import Task, run
from proofs.verdicts import Status

PACK = r'''
from fractions import Fraction

import z3
from proofs import Erratum, Replay, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove
from _coefficients import MIDDLE


@claim(
    "unit.ex1.a.square",
    exercise=1, part="a",
    statement="(x + 3)^2 = x^2 + 6x + 9 for every real x.",
    asserts="(x + 3)^2 = x^2 + 6x + 9",
    formal="for every real x: (x + 3)^2 = x^2 + MIDDLE x + 9",
    requires=Verdict.PROVED,
    replay=lambda w: replay_square(w),
)
def square():
    x = z3.Real("x")
    return validity(prove((x + 3) ** 2 == x * x + MIDDLE * x + 9, [x]))


def replay_square(w):
    x = Fraction(w["x"])
    return Replay((x + 3) ** 2 == x * x + MIDDLE * x + 9, {"(x + 3)^2": (x + 3) ** 2, "expansion": x * x + MIDDLE * x + 9})


@claim(
    "unit.ex1.b.cube",
    exercise=1, part="b",
    statement="(x + 1)^3 = x^3 + 1 for every real x.",
    asserts="(x + 1)^3 = x^3 + 1",
    formal="for every real x: (x + 1)^3 = x^3 + 1",
    requires=Verdict.PROVED,
    erratum=Erratum("the middle terms 3x^2 + 3x are missing", corrected_by="unit.ex1.a.square"),
    replay=lambda w: Replay((Fraction(w["x"]) + 1) ** 3 == Fraction(w["x"]) ** 3 + 1,
                            {"(x + 1)^3": (Fraction(w["x"]) + 1) ** 3, "x^3 + 1": Fraction(w["x"]) ** 3 + 1}),
)
def cube():
    x = z3.Real("x")
    return validity(prove((x + 1) ** 3 == x * x * x + 1, [x]))


CLAIMS = (square, cube)
'''


@pytest.fixture
def course(packs):
    packs.write(unit=PACK, _coefficients="MIDDLE = 6\n")
    packs.reports = True
    return packs


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The course checked once with its cache, per module: its pack, which the tests that use it leave as it is, and
    the cache that first run filled (both claims stored, neither reused)."""
    course = Packs(tmp_path_factory.mktemp("stored"))
    course.write(unit=PACK, _coefficients="MIDDLE = 6\n")
    course.reports = True
    first = course.check("unit", cache=True)
    assert first.returncode == 0 and first.report["summary"]["cached"] == 0, first.stdout + first.stderr
    assert sorted(p.stem for p in course.cache_dir.glob("*/*.json")) == ["unit.ex1.a.square", "unit.ex1.b.cube"]
    return course


@pytest.fixture
def warm(stored, tmp_path):
    """`course` after `course.check("unit", cache=True)`: the module's stored course, with a copy of its cache that is
    this test's own (what the test writes into it or damages no other test sees)."""
    course = Packs(tmp_path)
    course.folder, course.reports = stored.folder, True
    shutil.copytree(stored.cache_dir, course.cache_dir, symlinks=True)
    return course


def _without_times(report):
    report = json.loads(json.dumps(report))
    for r in report["results"]:
        del r["seconds"], r["cached"]
    del report["summary"]["seconds"], report["summary"]["cached"]
    return report


def test_a_second_run_reuses_every_result_and_reports_the_same(course):
    checked = course.check("unit", cache=True)
    code, first, _ = checked.returncode, checked.report, checked.stdout
    assert code == 0 and [r["status"] for r in first["results"]] == ["pass", "erratum"]
    assert first["summary"]["cached"] == 0 and all(r["cached"] is None for r in first["results"])
    checked = course.check("unit", cache=True)
    code, second, text = checked.returncode, checked.report, checked.stdout
    assert code == 0 and second["summary"]["cached"] == 2
    assert all(r["cached"]["inputs"] == second["results"][0]["cached"]["inputs"] for r in second["results"])
    assert _without_times(first) == _without_times(second)
    assert "(2 reused from the cache; --no-cache checks them again)" in text
    assert all(line.rstrip().endswith("cached") for line in text.splitlines() if line.startswith("unit."))
    assert {p.name for p in (course / "cache").iterdir()} >= {".gitignore", "CACHEDIR.TAG"}


@pytest.mark.parametrize("file, old, new", [
    ("unit.py", "MIDDLE * x + 9", "MIDDLE * x + 8"),
    ("_coefficients.py", "MIDDLE = 6", "MIDDLE = 5"),
], ids=["the claim's module", "a helper module beside it"])
def test_an_edited_source_is_checked_again_and_fails(course, file, old, new):
    assert course.check("unit", cache=True).returncode == 0
    path = course.folder / file
    path.write_text(path.read_text().replace(old, new))
    checked = course.check("unit", cache=True)
    code, report = checked.returncode, checked.report
    square = report["results"][0]
    assert code == 1 and square["status"] == "fail" and square["verdict"] == "refuted" and square["cached"] is None
    assert "counterexample" in square["evidence"]


_CUBE_CORRECTED = '''
@claim(
    "unit.ex1.b.cube_corrected",
    exercise=1, part="b",
    statement="(x + 1)^3 = x^3 + 3x^2 + 3x + 1 for every real x.",
    asserts="(x + 1)^3 = x^3 + 3x^2 + 3x + 1",
    formal="for every real x: (x + 1)^3 = x^3 + 3x^2 + 3x + 1",
    requires=Verdict.PROVED,
    replay=lambda w: Replay((Fraction(w["x"]) + 1) ** 3 == Fraction(w["x"]) ** 3 + 3 * Fraction(w["x"]) ** 2 + 3 * Fraction(w["x"]) + 1, {}),
)
def cube_corrected():
    x = z3.Real("x")
    return validity(prove((x + 1) ** 3 == x * x * x + 3 * x * x + 3 * x + 1, [x]))


CLAIMS = (square, cube, cube_corrected)
'''


def test_failures_are_never_stored(course):
    # the erratum is corrected by a claim of its own here: a failing square must not make its correction false
    unit = course.folder / "unit.py"
    unit.write_text(PACK.replace('corrected_by="unit.ex1.a.square"', 'corrected_by="unit.ex1.b.cube_corrected"')
                    .replace("CLAIMS = (square, cube)\n", _CUBE_CORRECTED))
    path = course.folder / "_coefficients.py"
    path.write_text("MIDDLE = 5\n")
    for run_number in range(2):
        checked = course.check("unit", cache=True)
        code, report = checked.returncode, checked.report
        square, cube, _ = report["results"]
        assert code == 1 and square["status"] == "fail" and square["cached"] is None
        assert cube["status"] == "erratum" and (cube["cached"] is None) == (run_number == 0)
    stored = sorted(p.name for p in (course / "cache").glob("*/*.json"))
    assert stored == ["unit.ex1.b.cube.json", "unit.ex1.b.cube_corrected.json"]


def test_no_cache_neither_reads_nor_writes(course):
    checked = course.check("unit", "--no-cache", cache=True)
    code, report = checked.returncode, checked.report
    assert code == 0 and not (course / "cache").exists()
    course.check("unit", cache=True)
    checked = course.check("unit", "--no-cache", cache=True)
    code, report = checked.returncode, checked.report
    assert report["summary"]["cached"] == 0


@pytest.mark.parametrize("option, status", [(("--strict",), "fail"), (("--timeout", "30"), "erratum"),
                                            (("--memory-mb", "2048"), "erratum")])
def test_options_that_can_change_a_verdict_or_status_are_part_of_the_key(warm, option, status):
    course = warm
    checked = course.check("unit", *option, cache=True)
    report = checked.report
    assert report["summary"]["cached"] == 0 and report["results"][1]["status"] == status


def _entries(course):
    return {p.stem: p for p in (course / "cache").glob("*/*.json")}


@pytest.mark.parametrize("forge", [
    lambda record: "not json",
    lambda record: json.dumps({**record, "schema": "proofs-cache/0"}),
    lambda record: json.dumps({**record, "inputs": "0" * 64}),
    lambda record: json.dumps({**record, "claim": "unit.ex1.b.cube"}),
    lambda record: json.dumps({**record, "result": {**record["result"], "verdict": "refuted", "status": "fail"}}),
    lambda record: json.dumps({**record, "result": {**record["result"], "verdict": "not_refuted"}}),
    lambda record: json.dumps({**record, "result": {**record["result"], "id": "unit.ex1.b.cube"}}),
    lambda record: json.dumps({k: v for k, v in record.items() if k != "computed"}),
    lambda record: json.dumps({**record, "result": {**record["result"], "evidence": ["x"]}}),
    lambda record: json.dumps({**record, "result": {**record["result"], "statement": "something else"}}),
    lambda record: json.dumps({**record, "result": {**record["result"], "assumptions": ["another assumption"]}}),
    lambda record: json.dumps({**record, "result": {**record["result"], "erratum": "not an erratum"}}),
], ids=["unreadable", "schema", "inputs", "claim", "failure", "too weak for its status", "other id", "incomplete",
        "evidence not an object", "other statement", "other assumptions", "erratum where the claim has none"])
def test_a_damaged_or_inconsistent_entry_is_ignored_and_the_claim_checked_again(warm, forge):
    course = warm
    entry = _entries(course)["unit.ex1.a.square"]
    entry.write_text(forge(json.loads(entry.read_text())))
    checked = course.check("unit", cache=True)
    code, report = checked.returncode, checked.report
    assert code == 0 and report["results"][0]["cached"] is None and report["results"][0]["verdict"] == "proved"
    assert report["results"][1]["cached"] is not None


def test_an_erratum_entry_forged_to_pass_is_ignored(warm):
    course = warm
    entry = _entries(course)["unit.ex1.b.cube"]
    record = json.loads(entry.read_text())
    record["result"].update(verdict="proved", status="pass")
    entry.write_text(json.dumps(record))
    checked = course.check("unit", cache=True)
    report = checked.report
    assert report["results"][1]["status"] == "erratum" and report["results"][1]["cached"] is None


def test_the_material_is_verified_on_reused_results(course):
    pack = course.folder / "unit.py"
    pack.write_text(pack.read_text().replace("replay=lambda w: replay_square(w),",
                                             'replay=lambda w: replay_square(w), anchors=(Anchor("sheet.md", "(x + 3)^2"),),')
                    .replace("from proofs import Erratum", "from proofs import Anchor, Erratum"))
    (course / "material").mkdir()
    sheet = course / "material" / "sheet.md"
    sheet.write_text("Expand (x + 3)^2.\n")
    checked = course.check("unit", material=True, cache=True)
    code, report = checked.returncode, checked.report
    assert code == 0 and report["results"][0]["evidence"]["material"][0]["found"]
    sheet.write_text("Expand (x + 4)^2.\n")
    checked = course.check("unit", material=True, cache=True)
    code, report = checked.returncode, checked.report
    square = report["results"][0]
    assert code == 1 and square["cached"] is not None and square["status"] == "fail" and square["reason"].startswith("stale")
    stored = json.loads(_entries(course)["unit.ex1.a.square"].read_text())
    assert "material" not in stored["result"]["evidence"]


@pytest.mark.slow
def test_old_inputs_are_pruned(course):
    # entries live under what every claim shares (the engine, libraries, options); a pack edit keeps the folder
    path = course.folder / "_coefficients.py"
    for n in range(KEEP + 2):
        path.write_text(f"MIDDLE = 6\nREVISION = {n}\n")
        course.check("unit", "--timeout", 30 + n, cache=True)
    assert len([p for p in (course / "cache").iterdir() if p.is_dir()]) == KEEP


def test_the_seed_catalogue_reuses_results_with_identical_reports(tmp_path, seed_serial):
    # the first run: the session's serial run of the catalogue, with a cache empty before it; the second, of a selection
    # from a copy of that cache (from a shell, as the first: this process has imported more), reuses each selected result
    # and reports what the first reported
    assert seed_serial.returncode == 0 and "Traceback" not in seed_serial.stderr, seed_serial.stdout + seed_serial.stderr
    first = json.loads((seed_serial.directory / "reports" / "report.json").read_text())
    assert first["summary"]["cached"] == 0 and all(r["cached"] is None for r in first["results"])
    shutil.copytree(seed_serial.directory / "cache", tmp_path / "cache", symlinks=True)
    out = tmp_path / "again.json"
    proc = run_cli("check", "ex1.b", "ex2.nonunique", *SEED_MATERIAL, "--cache-dir", tmp_path / "cache", "--format", "json",
                   "--output", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    again = json.loads(out.read_text())
    assert again["summary"]["cached"] == again["summary"]["total"] == 4
    selected = [r for r in first["results"] if r["id"] in {r["id"] for r in again["results"]}]
    assert _without_times({"summary": {"seconds": 0, "cached": 0}, "results": selected}) == \
        _without_times({"summary": {"seconds": 0, "cached": 0}, "results": again["results"]})


def test_the_runner_stores_only_what_may_be_reused(tmp_path):
    from proofs import Outcome, Verdict, claim

    @claim("unit.ex9.raises", exercise=9, part=None, statement="s", asserts="a", formal="f", requires=Verdict.PROVED)
    def raises():
        raise RuntimeError("boom")

    @claim("unit.ex9.proved", exercise=9, part=None, statement="s", asserts="a", formal="f", requires=Verdict.PROVED)
    def proved():
        return Outcome(Verdict.PROVED, "by fiat", {})

    @claim("unit.ex9.weak", exercise=9, part=None, statement="s", asserts="a", formal="f", requires=Verdict.PROVED)
    def weak():
        return Outcome(Verdict.NOT_REFUTED, "sampled", {})

    cache = ResultCache(tmp_path, "f" * 64)
    outcome = run([Task(raises), Task(proved), Task(weak)], jobs=2, cache=cache)
    assert [r.status for r in outcome.results] == [Status.FAIL, Status.PASS, Status.FAIL]
    assert sorted(p.stem for p in tmp_path.glob("*/*.json")) == ["unit.ex9.proved"]
    again = run([Task(raises), Task(proved), Task(weak)], jobs=2, cache=ResultCache(tmp_path, "f" * 64))
    assert [r.cached is not None for r in again.results] == [False, True, False]
    assert all(r.reads is None for r in again.results if r.cached)


@settings(max_examples=30, deadline=None)
@given(files=st.dictionaries(st.sampled_from(["a.py", "b.py", "data.json"]), st.binary(max_size=40), min_size=1),
       data=st.data())
def test_any_change_to_any_byte_under_a_root_changes_the_digest(files, data):
    name = data.draw(st.sampled_from(sorted(files)))
    edited = data.draw(st.binary(max_size=41).filter(lambda b: b != files[name]))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        root.mkdir()

        def digest(contents):
            for file, content in contents.items():
                (root / file).write_bytes(content)
            return digest_inputs([root], {}, modules={})

        before = digest(files)
        assert digest({**files, name: edited}) != before
        assert digest(files) == before


def test_options_and_loaded_modules_outside_the_installation_are_digested(tmp_path):
    helper = tmp_path / "helper.py"
    helper.write_text("X = 1\n")
    modules = {"helper": types.SimpleNamespace(__file__=str(helper))}
    base = digest_inputs([], {"strict": False}, modules=modules)
    assert digest_inputs([], {"strict": True}, modules=modules) != base
    helper.write_text("X = 2\n")
    assert digest_inputs([], {"strict": False}, modules=modules) != base
    assert digest_inputs([], {"strict": False}, modules={}) != base


def test_the_seed_pack_is_a_root():
    roots = {Path(r).resolve() for r in load().roots}
    assert Path(__file__).resolve().parent.parent / "claims" in roots


def test_every_report_format_says_a_result_was_reused(warm):
    course = warm
    out = course / "reports"
    out.mkdir()
    proc = course.run("check", "unit", "--cache-dir", course.cache_dir, "--report-dir", out, "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| `unit.ex1.a.square` | proved | pass | cached |" in (out / "report.md").read_text()
    assert "<span>cached</span>" in (out / "report.html").read_text()
    assert "(reused from the cache: computed " in (out / "junit.xml").read_text()
    assert json.loads((out / "report.json").read_text())["summary"]["cached"] == 2
    verbose = [line for line in proc.stdout.splitlines() if line.strip().startswith("cached: computed")]
    assert len(verbose) == 2
    assert all("reusing it trusts: the check is deterministic" in v and "what it was seen to read" in v for v in verbose)


def test_a_cache_dir_that_is_a_file_is_a_usage_error(course):
    (course / "cache").write_text("")
    proc = course.run("check", "unit", "--cache-dir", course.cache_dir)
    assert proc.returncode == 4 and "not a directory" in proc.stdout + proc.stderr


def _stored_pass(tmp_path, reads):
    from proofs import Outcome, Verdict, claim
    from proofs.evaluate import evaluate

    @claim("unit.ex9.proved", exercise=9, part=None, statement="s", asserts="a", formal="f", requires=Verdict.PROVED)
    def proved():
        return Outcome(Verdict.PROVED, "by fiat", {})

    result = evaluate(proved)
    return proved, (result if reads is ... else dataclasses.replace(result, reads=reads))


def test_a_result_that_does_not_say_what_it_read_is_not_stored(tmp_path):
    for reads in (None, {"entries": [["file", "/x"]], "unrecordable": []}, {"entries": [], "unrecordable": ["started a program"]},
                  {"entries": [["secret", "/x", "absent"]], "unrecordable": []}):
        proved, result = _stored_pass(tmp_path, reads)
        assert not ResultCache(tmp_path, "f" * 64).put(proved, result)
    assert not list(tmp_path.glob("*/*.json"))


def test_a_stored_result_is_reused_only_while_each_read_is_as_it_was(tmp_path):
    from proofs.reads import state

    data = tmp_path / "data.txt"
    data.write_text("6")
    proved, result = _stored_pass(tmp_path, {"entries": [["file", str(data), state("file", str(data))]], "unrecordable": []})
    cache = ResultCache(tmp_path / "cache", "f" * 64)
    assert cache.put(proved, result)
    reused = ResultCache(tmp_path / "cache", "f" * 64).get(proved)
    assert reused is not None and reused.reads is None and reused.cached is not None
    data.write_text("5")
    assert ResultCache(tmp_path / "cache", "f" * 64).get(proved) is None
    data.write_text("6")
    assert ResultCache(tmp_path / "cache", "f" * 64).get(proved) is not None


def test_an_entry_larger_than_the_limit_is_ignored(tmp_path, monkeypatch):
    import proofs.cache

    proved, result = _stored_pass(tmp_path, ...)
    assert ResultCache(tmp_path, "f" * 64).put(proved, result)
    assert ResultCache(tmp_path, "f" * 64).get(proved) is not None
    monkeypatch.setattr(proofs.cache, "MAX_ENTRY_BYTES", 100)
    assert ResultCache(tmp_path, "f" * 64).get(proved) is None


def test_what_loading_the_packs_read_can_be_part_of_the_key(tmp_path):
    from proofs.reads import recording

    data = tmp_path / "data.txt"
    data.write_text("6")
    with recording() as recorder:
        data.read_text()
    loading = recorder.reads()
    base = digest_inputs([], {}, modules={}, loading=loading)
    assert digest_inputs([], {}, modules={}, loading=loading) == base != digest_inputs([], {}, modules={})
    data.write_text("5")
    assert digest_inputs([], {}, modules={}, loading=loading) != base


def test_an_entry_that_contradicts_its_own_evidence_is_ignored(tmp_path):
    proved, result = _stored_pass(tmp_path, ...)
    cache = ResultCache(tmp_path / "cache", "f" * 64)
    assert cache.put(proved, result)
    path = next((tmp_path / "cache").glob("*/unit.ex9.proved.json"))
    record = json.loads(path.read_text())
    record["result"]["evidence"].update(counterexample={"x": 1}, replay={"holds": False, "sides": {}})
    path.write_text(json.dumps(record))
    assert ResultCache(tmp_path / "cache", "f" * 64).get(proved) is None


@pytest.mark.parametrize("seconds", [1e308, 10**400, -1, "1"])
def test_an_entry_whose_time_is_not_a_time_is_ignored(tmp_path, seconds):
    proved, result = _stored_pass(tmp_path, ...)
    assert ResultCache(tmp_path / "cache", "f" * 64).put(proved, result)
    path = next((tmp_path / "cache").glob("*/unit.ex9.proved.json"))
    record = json.loads(path.read_text())
    record["result"]["seconds"] = seconds
    path.write_text(json.dumps(record))
    assert ResultCache(tmp_path / "cache", "f" * 64).get(proved) is None
