"""merge: the shards of one run, merged, are the unsharded run's reports in every format; anything else is refused."""

import io
import json
import os
import re
import shutil

import pytest

from conftest import GOLDEN, ROOT, SEED_MATERIAL, cli, run_cli
from proofs.cli import main
from proofs.writers import FORMATS

PACKS = ("--claims", str(GOLDEN / "holds"), "--claims", str(GOLDEN / "false"), "--claims", str(GOLDEN / "hostile"),
         "--material", str(ROOT / "tests" / "material" / "course"))
SELECTORS = ("ex90", "ex91", "ex97")


def _normalised(name: str, text: str):
    """A report with its timings taken out: per-claim and total seconds, reuse from the cache."""
    if name.endswith(".json"):
        document = json.loads(text)
        document["summary"].pop("seconds")
        document["summary"].pop("cached")
        for r in document["results"]:
            r.pop("seconds")
            r.pop("cached")
        return document
    text = re.sub(r'time="[0-9.]+"', 'time="T"', text)
    return re.sub(r"\s*\b[0-9]+\.[0-9]+ ?s\b", " T", text)


def _shards(directory, count, args, *extra, cache=None):
    """Check `args` in `count` shards, each in this process (see `cli`); with a result cache `cache`, each in a process
    of its own, as the run whose results the cache holds was (what a process had loaded is part of the cache's key).
    Return the paths of their JSON reports."""
    paths = []
    for k in range(1, count + 1):
        path = directory / f"shard{k}.json"
        caching = ("--cache-dir", str(cache)) if cache else ("--no-cache",)
        proc = (run_cli if cache else cli)("check", *args, "--shard", f"{k}/{count}", *caching, "-q", "--format", "json",
                                           "--output", str(path), *extra)
        assert proc.returncode in (0, 1), proc.stderr
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    """The golden packs checked whole (every format) and in 3 shards (JSON)."""
    base = tmp_path_factory.mktemp("golden")
    args = (*PACKS, *SELECTORS)
    whole = run_cli("check", *args, "--no-cache", "-q", "--report-dir", str(base / "whole"))
    assert whole.returncode == 1 and "Traceback" not in whole.stderr, whole.stderr  # false and faulty claims fail
    return {"base": base, "args": args, "code": whole.returncode, "shards": _shards(base, 3, args)}


def _same_reports(whole, merged):
    names = sorted(cls.filename for cls in FORMATS.values())
    assert sorted(p.name for p in merged.iterdir()) == names
    for name in names:
        expected = _normalised(name, (whole / name).read_text(encoding="utf-8"))
        assert _normalised(name, (merged / name).read_text(encoding="utf-8")) == expected, name


def test_merged_golden_shards_are_the_unsharded_report_in_every_format(golden):
    merged = golden["base"] / "merged"
    proc = run_cli("merge", *[str(p) for p in golden["shards"]], *PACKS, "-q", "--report-dir", str(merged))
    assert golden["code"] == 1 and proc.returncode == 1, proc.stderr  # the golden packs hold false and faulty claims
    _same_reports(golden["base"] / "whole", merged)
    assert len(json.loads((merged / "report.json").read_text())["results"]) == 5
    assert "shard" not in json.loads((merged / "report.json").read_text())


# Seed modules checked in shards and merged: claims that pass, errata and their corrections, of two modules and a
# package (merging the whole catalogue takes the same code path over more claims).
SEED_MODULES = ("ex1", "ex4", "ex5")


@pytest.mark.slow
def test_merged_seed_shards_balanced_by_durations_are_the_unsharded_report(tmp_path, seed_serial):
    serial = seed_serial.directory / "reports"  # `check all --jobs 1 -q --report-dir`, in a process of its own
    assert seed_serial.returncode == 0, seed_serial.stdout + seed_serial.stderr
    # the seed modules whole and in 3 shards reuse the serial run's results (a copy of its cache), each in a process
    # of its own as it was: merge is what is tested here (the same reports whatever the jobs and the cache: test_trust)
    cache = tmp_path / "cache"
    shutil.copytree(seed_serial.directory / "cache", cache)
    whole = tmp_path / "whole"
    proc = run_cli("check", *SEED_MODULES, *SEED_MATERIAL, "--cache-dir", str(cache), "-q", "--report-dir", str(whole))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reused = json.loads((whole / "report.json").read_text())["summary"]
    assert reused["cached"] > reused["total"] / 2 and reused["total"] >= 15, reused  # (what the serial run stored)
    assert reused["erratum"] > 0, reused
    shards = _shards(tmp_path, 3, (*SEED_MODULES, *SEED_MATERIAL), "--durations", str(serial / "report.json"), cache=cache)
    assert all(json.loads(p.read_text())["results"] for p in shards), "a shard without claims merges nothing"
    merged = tmp_path / "merged"
    proc = cli("merge", *[str(p) for p in shards], *SEED_MATERIAL, "--report-dir", str(merged), "-q")
    assert proc.returncode == 0, proc.stderr
    _same_reports(whole, merged)
    # and, its timings and reuse taken out, the serial run's results of these claims, every claim checked
    ids = {r["id"] for r in json.loads((merged / "report.json").read_text())["results"]}
    expected = _normalised("report.json", (serial / "report.json").read_text())["results"]
    assert _normalised("report.json", (merged / "report.json").read_text())["results"] == [r for r in expected if r["id"] in ids]
    assert {r["id"].split(".")[0] for r in expected if r["id"] in ids} == set(SEED_MODULES)
    # a text report on standard output, as check writes it
    text = cli("merge", *[str(p) for p in reversed(shards)], *SEED_MATERIAL, "-q")
    assert text.returncode == 0 and _normalised("t", text.stdout) == _normalised("t", (whole / "report.txt").read_text())


def test_merged_holds_pass_and_interrupted_shards_exit_2(tmp_path):
    args = ("--claims", str(GOLDEN / "holds"), "ex90")
    shards = _shards(tmp_path, 2, args)
    assert cli("merge", *map(str, shards), "--claims", str(GOLDEN / "holds")).returncode == 0
    report = json.loads(shards[1].read_text())
    report["interrupted"] = True
    report["results"] = []
    report["summary"].update({"total": 0, "pass": 0})
    shards[1].write_text(json.dumps(report))
    out = tmp_path / "merged.json"
    proc = cli("merge", *map(str, shards), "--claims", str(GOLDEN / "holds"), "--format", "json", "--output", str(out))
    assert proc.returncode == 2, proc.stderr
    merged = json.loads(out.read_text())
    assert merged["interrupted"] is True and len(merged["results"]) == 1


def _merge_in_process(paths, *extra, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target, directory = tmp_path / "out" / "merged.json", tmp_path / "dir"
    code = main(["merge", *map(str, paths), *PACKS, "--format", "json", "--output", str(target), "--report-dir", str(directory),
                 *extra], out, err)
    assert not target.exists() and not any(directory.iterdir()), "merge wrote a report from reports it refused"
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


def _forged(golden, tmp_path, edit, index=1, name="forged.json"):
    """The golden shards with shard `index` (from 0) replaced by a copy that `edit` changed (its summary recounted)."""
    report = json.loads(golden["shards"][index].read_text())
    edit(report)
    if isinstance(report.get("results"), list) and isinstance(report.get("summary"), dict):
        statuses = [r.get("status") for r in report["results"] if isinstance(r, dict)]
        report["summary"].update({"total": len(report["results"]), **{s: statuses.count(s) for s in ("pass", "erratum", "fail")}})
        if isinstance(report.get("load_errors"), list):
            report["summary"]["load_errors"] = len(report["load_errors"])
    path = tmp_path / name
    path.write_text(json.dumps(report))
    paths = list(golden["shards"])
    paths[index] = path
    return paths


def _first_result(report):
    return next(r for r in report["results"])


def _set(path, value):
    def edit(report):
        target = report
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value
    return edit


def _busiest(golden):
    return max(range(3), key=lambda k: len(json.loads(golden["shards"][k].read_text())["results"]))


@pytest.mark.parametrize("edit, problem", [
    (_set(("tool", "z3"), "0.0.0"), "their tool versions differ (z3"),
    (_set(("shard", "packs"), "0" * 64), "their pack contents (claim files or engine) differ"),
    (_set(("shard", "options", "timeout"), 30), "their options differ (timeout: "),
    (_set(("shard", "count"), 4), "their shard counts differ"),
    (_set(("shard", "plan"), "0" * 64), "their plans differ"),
    (_set(("shard", "durations"), "0" * 64), "--durations files differ"),
    (_set(("shard", "selection", "selectors"), ["all"]), "their selections of claims differ"),
    (_set(("load_errors",), [{"pack": "p", "file": "f", "line": 1, "message": "m"}]), "pack load errors differ"),
    (_set(("shard", "index"), lambda k: 1 if k != 1 else 2), "/3 is given twice"),
    (_set(("shard", "index"), lambda k: 3 if k != 3 else 2), "/3 is given twice"),
    (_set(("schema",), "proofs-report/2"), "schema 'proofs-report/2'"),
    (_set(("shard", "index"), 0), "not K/N"),
    (_set(("shard", "index"), True), "not K/N"),
    (_set(("shard", "count"), 10**9), "not K/N"),
    (_set(("shard", "claims"), lambda c: c + c[:1]), "not a list of distinct ids"),
    (_set(("shard", "claims"), lambda c: c + ["ex90.z.extra"]), "no result for 1 claim(s)"),
    (_set(("shard", "extra"), 1), "unexpected or missing members"),
    (lambda r: r.pop("shard"), "not the report of a shard"),
    (lambda r: r.pop("summary"), "unexpected or missing members"),
    (_set(("extra",), 1), "unexpected or missing members"),
    (_set(("interrupted",), "no"), "interrupted is not true or false"),
    (_set(("tool",), {"proofs": 1}), "tool versions are not names"),
    (_set(("results",), lambda rs: rs + rs[:1]), "has two results"),
    (_set(("results",), lambda rs: rs[1:]), "no result for 1 claim(s)"),
    (lambda r: _first_result(r).update(exercise="90"), "exercise malformed"),
    (lambda r: _first_result(r).update(verdict="great"), "verdict malformed"),
    (lambda r: _first_result(r).update(status="ok"), "status malformed"),
    (lambda r: _first_result(r).update(seconds=-1), "seconds malformed"),
    (lambda r: _first_result(r).update(seconds=True), "seconds malformed"),
    (lambda r: _first_result(r).update(seconds=1e308), "seconds malformed"),
    (lambda r: _first_result(r).update(seconds=10**400), "seconds malformed"),
    (_set(("summary", "seconds"), 1e308), "its summary is malformed"),
    (lambda r: _first_result(r).update(assumptions=[1]), "assumptions malformed"),
    (lambda r: _first_result(r).update(evidence=[]), "evidence malformed"),
    (lambda r: _first_result(r).update(cached=[]), "cached malformed"),
    (lambda r: _first_result(r).update(reads={}), "unexpected or missing members"),
    (lambda r: _first_result(r).update(id="ex90.z.other"), "not one of the claims of shard"),
    (lambda r: r["results"].append("result"), "unexpected or missing members"),
])
def test_inconsistent_or_malformed_shards_are_refused_and_nothing_is_written(golden, tmp_path, edit, problem):
    index = _busiest(golden)
    paths = _forged(golden, tmp_path, edit, index)
    code, err = _merge_in_process(paths, tmp_path=tmp_path)
    assert code == 4 and problem in err, err


def test_a_summary_that_does_not_count_the_results_is_refused(golden, tmp_path):
    report = json.loads(golden["shards"][_busiest(golden)].read_text())
    report["summary"]["fail"] += 1
    path = tmp_path / "miscounted.json"
    path.write_text(json.dumps(report))
    code, err = _merge_in_process([path, *[p for p in golden["shards"] if p != golden["shards"][_busiest(golden)]]],
                                  tmp_path=tmp_path)
    assert code == 4 and "does not count its results" in err


def test_missing_repeated_and_swapped_shards_are_refused(golden, tmp_path):
    s1, s2, s3 = golden["shards"]
    code, err = _merge_in_process([s1, s3], tmp_path=tmp_path)
    assert code == 4 and "shard 2/3 missing" in err
    code, err = _merge_in_process([s1, s2, s3, s2], tmp_path=tmp_path)
    assert code == 4 and "shard 2/3 is given twice" in err
    # two shards that exchanged their K: each report's claims are still those of its own place in the plan
    a, b = (json.loads(p.read_text()) for p in (s1, s2))
    a["shard"]["index"], b["shard"]["index"] = 2, 1
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    code, err = _merge_in_process([tmp_path / "a.json", tmp_path / "b.json", s3], tmp_path=tmp_path)
    assert code == 4 and "do not make up the plan" in err


def test_overlapping_shards_are_refused(golden, tmp_path):
    donor = json.loads(golden["shards"][0].read_text())
    taken = donor["results"][0]

    def edit(report):
        report["shard"]["claims"].append(taken["id"])
        report["results"].append(taken)

    index = 1 if donor["results"] else 0
    code, err = _merge_in_process(_forged(golden, tmp_path, edit, index), tmp_path=tmp_path)
    assert code == 4 and "the shards overlap" in err and taken["id"] in err


@pytest.mark.parametrize("content, problem", [
    (b"{", "not valid JSON"),
    (b"[]", "not an object"),
    (b'{"schema": NaN}', "NaN is not a JSON number"),
    (b'{"schema": 1, "schema": 2}', "repeated"),
    (b"[" * 65 + b"]" * 65, "nested more than 64"),
    (b'"\xff"', "not UTF-8 (byte 0xff at offset 1)"),
    (b'{"n": 1' + b"0" * 5000 + b"}", "not valid JSON"),
])
def test_hostile_files_are_refused(golden, tmp_path, content, problem):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    code, err = _merge_in_process([golden["shards"][0], path, *golden["shards"][2:]], tmp_path=tmp_path)
    assert code == 4 and problem in err and str(path) in err, err


def test_oversized_and_special_files_are_refused_without_reading_them(golden, tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(65 * 2**20)  # sparse: nothing is written to disk
    code, err = _merge_in_process([big], tmp_path=tmp_path)
    assert code == 4 and "larger than 64 MiB" in err
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    code, err = _merge_in_process([fifo], tmp_path=tmp_path)
    assert code == 4 and "not a regular file" in err
    code, err = _merge_in_process([tmp_path], tmp_path=tmp_path)
    assert code == 4 and "not a regular file" in err
    code, err = _merge_in_process([tmp_path / "absent.json"], tmp_path=tmp_path)
    assert code == 4 and "cannot be read" in err


def test_merge_is_given_the_options_the_shards_had(golden, tmp_path):
    code, err = _merge_in_process(golden["shards"], "--strict", tmp_path=tmp_path)
    assert code == 4 and "checked with no --strict, merge is given --strict" in err
    proc = cli("merge", *map(str, golden["shards"]), "--format", "json", "--output", str(tmp_path / "m.json"))
    assert proc.returncode == 4 and "--claims" in proc.stderr and not (tmp_path / "m.json").exists()


@pytest.mark.parametrize("edit, problem", [
    (lambda r: r.update(verdict="refuted", status="pass"), "contradicts its own evidence: verdict refuted without a counterexample"),
    (lambda r: r.update(status="erratum"), "contradicts its own evidence: status erratum without a refutation"),
    (lambda r: r.update(verdict="exhausted"), "status pass for verdict exhausted, where the status rule gives fail"),
    (lambda r: r.update(statement="something else"), "its statement differs from the claim's"),
    (lambda r: r.update(erratum="not one"), "its erratum differs from the claim's"),
    (lambda r: r.update(trusts={"claims": {"x": "\ud800" * 1000}}), "its record of the claims it trusts is not what"),
])
def test_results_that_misdescribe_their_claim_or_its_status_are_refused(golden, tmp_path, edit, problem):
    def forge(report):
        target = next(r for r in report["results"] if r["id"] in ("ex90.a.square_expansion", "ex91.a.square_is_linear"))
        edit(target)

    index = next(k for k, p in enumerate(golden["shards"])
                 if {"ex90.a.square_expansion", "ex91.a.square_is_linear"} & {r["id"] for r in json.loads(p.read_text())["results"]})
    paths = _forged(golden, tmp_path, forge, index)
    proc = cli("merge", *map(str, paths), *PACKS, "--format", "json", "--output", str(tmp_path / "m.json"))
    assert proc.returncode == 4 and problem in proc.stderr, proc.stderr
    assert not (tmp_path / "m.json").exists()


def test_shards_of_other_pack_contents_are_refused(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    source = (GOLDEN / "holds" / "arith.py").read_text()
    (pack / "arith.py").write_text(source)
    shards = _shards(tmp_path, 2, ("--claims", str(pack), "ex90"))
    (pack / "arith.py").write_text(source + "\n# edited after the shards ran\n")
    proc = cli("merge", *map(str, shards), "--claims", str(pack), "--format", "json", "--output", str(tmp_path / "m.json"))
    assert proc.returncode == 4 and "differ from those the shards checked" in proc.stderr
    assert not (tmp_path / "m.json").exists()


def test_merge_appends_the_markdown_summary_in_ci(golden, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("before\n")
    proc = cli("merge", *map(str, golden["shards"]), *PACKS, "-q", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1
    text = summary.read_text()
    assert text.startswith("before\n## proofs report") and "5 claims: 2 pass, 1 erratum, 2 fail" in text


def test_shards_that_split_a_claim_from_its_correction_are_refused(golden, tmp_path):
    """Even with a plan recorded alike in every report, an erratum and its correction checked apart is refused."""
    from proofs import shard

    reports = [json.loads(p.read_text()) for p in golden["shards"]]
    home = next(r for r in reports if "ex97.a.hostile_fixed" in r["shard"]["claims"])
    other = next(r for r in reports if r is not home)
    moved = next(r for r in home["results"] if r["id"] == "ex97.a.hostile_fixed")
    home["results"].remove(moved)
    home["shard"]["claims"].remove(moved["id"])
    other["results"].append(moved)
    other["shard"]["claims"].append(moved["id"])
    plan = shard.digest([sorted(r["shard"]["claims"]) for r in sorted(reports, key=lambda r: r["shard"]["index"])])
    paths = []
    for n, report in enumerate(reports):
        report["shard"]["plan"] = plan
        statuses = [r["status"] for r in report["results"]]
        report["summary"].update({"total": len(statuses), **{s: statuses.count(s) for s in ("pass", "erratum", "fail")}})
        paths.append(tmp_path / f"split{n}.json")
        paths[-1].write_text(json.dumps(report))
    proc = cli("merge", *map(str, paths), *PACKS, "--format", "json", "--output", str(tmp_path / "m.json"))
    assert proc.returncode == 4 and "the shards split ex97.a.hostile_fixed, ex97.a.hostile_text" in proc.stderr, proc.stderr
    assert not (tmp_path / "m.json").exists()


def test_more_reports_than_shards_a_run_can_have_are_refused(golden, tmp_path):
    code, err = _merge_in_process([golden["shards"][0]] * 1001, tmp_path=tmp_path)
    assert code == 4 and "at most 1000 shards" in err


def test_strict_shards_merge_to_the_strict_run(tmp_path):
    """--strict: the erratum fails in the shards, in the unsharded run and in the merge alike, and merge needs --strict."""
    args = ("--claims", str(GOLDEN / "hostile"), "ex97", "--strict")
    whole = cli("check", *args, "--no-cache", "--format", "json", "--output", str(tmp_path / "whole.json"))
    shards = _shards(tmp_path, 2, args)
    out = tmp_path / "merged.json"
    proc = cli("merge", *map(str, shards), "--claims", str(GOLDEN / "hostile"), "--strict", "--format", "json",
                   "--output", str(out))
    assert whole.returncode == proc.returncode == 1, proc.stderr
    merged = _normalised("m.json", out.read_text())
    assert merged == _normalised("w.json", (tmp_path / "whole.json").read_text())
    assert {r["id"]: r["status"] for r in merged["results"]} == {"ex97.a.hostile_text": "fail", "ex97.a.hostile_fixed": "fail"}


def _refuted_failing(report):
    return next(r for r in report["results"] if r["verdict"] == "refuted" and r["status"] == "fail")


def _has_refuted_failing(path):
    return any(r["verdict"] == "refuted" and r["status"] == "fail" for r in json.loads(path.read_text())["results"])


@pytest.mark.parametrize("edit, problem", [
    # a failing refutation passed off as a proof, its counterexample and failing replay left in its evidence
    (lambda r: r.update(verdict="proved", status="pass"), "verdict proved with a counterexample"),
    (lambda r: (r.update(verdict="exhausted", status="pass"), r["evidence"].pop("counterexample")),
     "verdict exhausted with a replay that does not hold"),
    # ... or as an erratum, its counterexample taken away
    (lambda r: (r["evidence"].pop("counterexample"), r["evidence"].pop("replay")), "verdict refuted without a counterexample"),
    (lambda r: r["evidence"]["replay"].update(holds=True), "replay of its counterexample holds"),
    (lambda r: r["evidence"].update(replay="ok"), "its replay is not a record"),
])
def test_a_result_that_contradicts_its_own_evidence_is_refused_naming_the_shard_and_claim(golden, tmp_path, edit, problem):
    index = next(k for k, p in enumerate(golden["shards"]) if _has_refuted_failing(p))
    claim_id = _refuted_failing(json.loads(golden["shards"][index].read_text()))["id"]
    paths = _forged(golden, tmp_path, lambda report: edit(_refuted_failing(report)), index)
    code, err = _merge_in_process(paths, tmp_path=tmp_path)
    assert code == 4 and problem in err and "forged.json" in err and claim_id in err, err


def test_an_erratum_needs_its_refutation():
    from proofs.consistency import inconsistency
    from proofs.model import Result
    from proofs.verdicts import Status, Verdict

    refuted = Result(id="x.ex1.a", exercise=1, part="a", statement="s", verdict=Verdict.REFUTED, status=Status.ERRATUM,
                     method="z3", evidence={"counterexample": {"x": 1}, "replay": {"holds": False, "sides": {}}},
                     assumptions=(), erratum="known", reason="r")
    assert inconsistency(refuted) is None
    import dataclasses

    for changed, words in ((dict(verdict=Verdict.PROVED, evidence={}), "status erratum without a refutation"),
                           (dict(evidence={**refuted.evidence, "corrected_replay": {"claim": "c", "holds": False}}),
                            "corrected claim's replay does not hold"),
                           (dict(status=Status.PASS), "status pass for verdict refuted"),
                           (dict(verdict=Verdict.ERROR, status=Status.PASS, evidence={}), "status pass for verdict error")):
        assert words in (inconsistency(dataclasses.replace(refuted, **changed)) or ""), changed
    perturbed = dataclasses.replace(refuted, id="x.ex1.a~flip", status=Status.PASS, erratum=None)
    assert inconsistency(perturbed) is None


def test_shards_selected_by_files_and_folders_merge_to_the_unsharded_run(tmp_path):
    """`check FILE...` as pre-commit runs it: a claim module, a folder of them and a material file name the claims."""
    args = (*PACKS, "tests/golden/holds/arith.py", "tests/golden/false", "tests/material/course/week8.md")
    whole = cli("check", *args, "--no-cache", "-q", "--format", "json", "--output", str(tmp_path / "whole.json"))
    assert whole.returncode == 1, whole.stderr
    shards = _shards(tmp_path, 2, args)
    merged = tmp_path / "merged.json"
    proc = cli("merge", *map(str, shards), *PACKS, "-q", "--format", "json", "--output", str(merged))
    assert proc.returncode == 1, proc.stderr
    expected = _normalised("report.json", (tmp_path / "whole.json").read_text())
    assert _normalised("report.json", merged.read_text()) == expected
    assert len(expected["results"]) >= 3


@pytest.mark.parametrize("selectors, problem", [
    (["tests/golden/gone.py"], "citing 'tests/golden/gone.py', which is not here: merge in the directory"),
    (["week99.md"], "the shards' selector does not select here: selector 'week99.md' matches no claim"),
])
def test_shards_selected_by_a_file_that_is_not_here_are_refused(tmp_path, selectors, problem):
    args = ("--claims", str(GOLDEN / "holds"), "tests/golden/holds/arith.py")
    shards = _shards(tmp_path, 2, args)
    for path in shards:  # as if checked where these files were
        report = json.loads(path.read_text())
        report["shard"]["selection"]["selectors"] = selectors
        path.write_text(json.dumps(report))
    proc = cli("merge", *map(str, shards), "--claims", str(GOLDEN / "holds"))
    assert proc.returncode == 4 and problem in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_selector_that_selects_other_claims_here_is_refused_naming_it(tmp_path):
    args = ("--claims", str(GOLDEN / "holds"), "--claims", str(GOLDEN / "false"), "tests/golden/holds")
    shards = _shards(tmp_path, 2, args)
    for path in shards:  # the folder selected the claims of both packs where the shards were checked
        report = json.loads(path.read_text())
        report["shard"]["selection"]["selectors"] = ["tests/golden/false"]
        path.write_text(json.dumps(report))
    proc = cli("merge", *map(str, shards), "--claims", str(GOLDEN / "holds"), "--claims", str(GOLDEN / "false"))
    assert proc.returncode == 4, proc.stderr
    assert "another selection of claims" in proc.stderr and "files and folders it names ('tests/golden/false')" in proc.stderr
