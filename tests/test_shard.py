"""check --shard K/N: strict K/N, a deterministic plan balanced by count or recorded cost, links kept in one shard."""

import argparse
import json
import os
import random
import subprocess
import sys

import pytest

from conftest import GOLDEN, cli
from proofs import links, shard
from proofs.cli import main
from proofs.model import Claim
from proofs.registry import select

PACKS = ("--claims", str(GOLDEN / "holds"), "--claims", str(GOLDEN / "false"), "--claims", str(GOLDEN / "hostile"))
SELECTORS = ("ex90", "ex91", "ex97")


def _selection(catalogue):
    return links.with_trusted(select(catalogue, ["all"]), catalogue.claims)


@pytest.mark.parametrize("text", ["1/1", "2/4", "4/4", "1000/1000"])
def test_shard_accepts_plain_k_of_n(text):
    k, n = text.split("/")
    assert shard.parse(text) == shard.Shard(int(k), int(n))


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "4", "1/4/4", " 1/4", "1/4 ", "+1/4", "01/4", "1/04", "1_0/20", "1.0/4",
                                  "-1/4", "\uff11/4", "\u0661/4", "1/1001", "", "a/b", "1 / 4", "99999999999999999999/1"])
def test_shard_rejects_anything_else(text):
    with pytest.raises(argparse.ArgumentTypeError, match="1 <= K <= N"):
        shard.parse(text)


def test_a_bad_shard_is_a_usage_error_before_anything_runs(capsys):
    assert main(["check", "all", "--shard", "5/4"]) == 4
    err = capsys.readouterr().err
    assert "--shard" in err and "got '5/4'" in err and "Traceback" not in err


def test_durations_needs_shard(tmp_path, capsys):
    report = tmp_path / "r.json"
    report.write_text('{"results": []}')
    assert main(["check", "all", "--durations", str(report)]) == 4
    assert "give --shard too" in capsys.readouterr().err


@pytest.mark.parametrize("content, problem", [
    ("{", "not valid JSON"),
    ('{"results": [{"id": "ex1.a.x", "seconds": NaN}]}', "NaN is not a JSON number"),
    ('{"results": [{"id": "ex1.a.x", "seconds": 1}, {"id": "ex1.a.x", "seconds": 2}]}', "appears twice"),
    ('{"results": [{"id": "ex1.a.x", "seconds": -1}]}', "non-negative seconds"),
    ('{"results": [{"id": "ex1.a.x", "seconds": "1"}]}', "non-negative seconds"),
    ('{"results": [{"id": 7, "seconds": 1}]}', "has no id"),
    ('{"results": {}}', "no list of results"),
    ('{"results": [], "results": []}', "repeated"),
    ("[" * 100 + "]" * 100, "nested more than"),
    (b"\xff\xfe", "not UTF-8 (byte 0xff at offset 0)"),
])
def test_a_bad_durations_file_is_a_usage_error(tmp_path, capsys, content, problem):
    report = tmp_path / "durations.json"
    report.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["check", "all", "--shard", "1/2", "--durations", str(report)]) == 4
    err = capsys.readouterr().err
    assert problem in err and str(report) in err and "Traceback" not in err


def test_durations_that_is_not_a_file_is_a_usage_error(tmp_path, capsys):
    assert main(["check", "all", "--shard", "1/2", "--durations", str(tmp_path)]) == 4
    assert "not a regular file" in capsys.readouterr().err
    assert main(["check", "all", "--shard", "1/2", "--durations", str(tmp_path / "absent.json")]) == 4
    assert "cannot be read" in capsys.readouterr().err


def test_every_shard_keeps_links_whole(catalogue):
    """A claim and every claim it trusts, and an erratum and its correction, are always in the same shard."""
    selected = _selection(catalogue)
    by_id = {c.id: c for c in selected}
    assert any(isinstance(t, Claim) for c in selected for t in c.trusts) and any(c.erratum for c in selected)
    for count in (2, 3, 7, len(selected)):
        parts = shard.plan(selected, count)
        owner = {i: k for k, part in enumerate(parts) for i in part}
        assert sorted(owner) == sorted(by_id) and sum(map(len, parts)) == len(by_id)  # every claim exactly once
        for c in selected:
            for i in links.closure(c, by_id)[0]:
                assert owner[i] == owner[c.id], (c.id, i)
            if c.erratum and c.erratum.corrected_by in by_id:
                assert owner[c.erratum.corrected_by] == owner[c.id]


def test_the_plan_does_not_depend_on_order(catalogue):
    selected = _selection(catalogue)
    costs = {c.id: 1 + (n * 37) % 500 for n, c in enumerate(selected)}
    expected = shard.plan(selected, 4, costs), shard.plan(selected, 4)
    for seed in range(5):
        shuffled = list(selected)
        random.Random(seed).shuffle(shuffled)
        assert (shard.plan(shuffled, 4, costs), shard.plan(shuffled, 4)) == expected


def test_balanced_by_count_and_by_cost(catalogue):
    selected = _selection(catalogue)
    groups = shard.units(selected)
    largest = max(map(len, groups))
    for count in (2, 3, 4):
        sizes = [len(p) for p in shard.plan(selected, count)]
        assert max(sizes) - min(sizes) <= largest
    costs = {c.id: 1 + (n * 7919) % 1000 for n, c in enumerate(selected)}
    heaviest = max(sum(costs[i] for i in g) for g in groups)
    total = sum(costs.values())
    for count in (2, 3, 4):
        loads = [sum(costs[i] for i in p) for p in shard.plan(selected, count, costs)]
        assert max(loads) <= total / count + heaviest  # greedy, heaviest first: within one unit of even
    # a claim without a recorded cost weighs the median of the recorded ones
    partial = dict(list(costs.items())[: len(costs) // 2])
    assert sum(map(len, shard.plan(selected, 3, partial))) == len(selected)


def test_units_ignore_links_outside_the_selection(catalogue):
    truster = next(c for c in catalogue.claims
                   if "ex5.a.gradient_product_corrected" in [t.id for t in c.trusts if isinstance(t, Claim)])
    assert shard.units([truster]) == [(truster.id,)]


def _sharded(tmp_path, k, n, *extra, env=None):
    out = tmp_path / f"shard{k}of{n}.json"
    proc = cli("check", *PACKS, *SELECTORS, "--shard", f"{k}/{n}", "--no-cache", "--format", "json",
               "--output", str(out), *extra, env=env)
    return proc, json.loads(out.read_text()) if out.exists() else None


def test_the_json_report_records_the_shard(tmp_path):
    proc, report = _sharded(tmp_path, 1, 2)
    assert proc.returncode in (0, 1), proc.stderr
    record = report["shard"]
    assert (record["index"], record["count"]) == (1, 2)
    assert sorted(record["claims"]) == sorted(r["id"] for r in report["results"])
    assert record["selection"]["selectors"] == list(SELECTORS) and record["selection"]["claims"] == 5
    assert record["options"]["claims"] == [str(GOLDEN / "holds"), str(GOLDEN / "false"), str(GOLDEN / "hostile")]
    assert record["durations"] is None and len(record["packs"]) == len(record["plan"]) == 64
    unsharded = json.loads(cli("check", *PACKS, *SELECTORS, "--no-cache", "--format", "json").stdout)
    assert "shard" not in unsharded


def test_an_empty_shard_reports_nothing_and_passes(tmp_path):
    proc = cli("check", "--claims", str(GOLDEN / "holds"), "ex90", "--shard", "3/3", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["results"] == [] and report["shard"]["claims"] == [] and report["shard"]["selection"]["claims"] == 2


def test_the_plan_is_the_same_across_hash_seeds_jobs_and_working_directories(tmp_path):
    seen = set()
    for n, (seed, jobs) in enumerate((("0", "1"), ("1", "2"), ("12345", "3"))):
        place = tmp_path / f"cwd{n}"
        place.mkdir()
        out = place / "r.json"
        proc = subprocess.run([sys.executable, "-m", "proofs", "check", *PACKS, *SELECTORS, "--shard", "2/3", "--jobs", jobs,
                               "--format", "json", "--output", str(out)], cwd=place, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        record = json.loads(out.read_text())["shard"]
        seen.add((tuple(record["claims"]), record["plan"], record["selection"]["digest"], record["packs"]))
    assert len(seen) == 1


def test_durations_balance_the_plan_and_are_recorded(tmp_path):
    earlier = tmp_path / "earlier.json"
    ids = ["ex90.a.square_expansion", "ex90.b.small_squares", "ex91.a.square_is_linear", "ex97.a.hostile_fixed",
           "ex97.a.hostile_text"]
    seconds = {"ex90.a.square_expansion": 9.0, "ex90.b.small_squares": 1.0, "ex91.a.square_is_linear": 1.0}
    earlier.write_text(json.dumps({"results": [{"id": i, "seconds": seconds.get(i, 2.0)} for i in ids]}))
    records = [_sharded(tmp_path, k, 2, "--durations", str(earlier))[1]["shard"] for k in (1, 2)]
    # the 9 s claim alone on one shard; the rest (the erratum and its correction, 4 s; two of 1 s) on the other
    assert sorted(sorted(r["claims"]) for r in records) == [["ex90.a.square_expansion"], ids[1:]]
    assert records[0]["durations"] == records[1]["durations"] is not None
    assert records[0]["plan"] == records[1]["plan"]


def test_a_report_without_results_balances_by_count(catalogue):
    """What a CI job starts from before any run recorded durations: {"results": []}."""
    selected = _selection(catalogue)
    costs = shard.durations({"results": []}, "empty")
    assert costs == {} and shard.plan(selected, 3, costs) == shard.plan(selected, 3)


@pytest.mark.parametrize("seconds", [1e308, 10**400, 86400.5, 1e9])
def test_durations_of_any_finite_size_are_clamped_to_a_day(seconds):
    from proofs import shard

    assert shard.durations({"results": [{"id": "ex1.a.x", "seconds": seconds}, {"id": "ex1.a.y", "seconds": 0.0001}]},
                           "d.json") == {"ex1.a.x": 86400 * 1000, "ex1.a.y": 1}


def test_a_durations_file_with_huge_numbers_is_read_not_a_crash(tmp_path, capsys):
    report = tmp_path / "durations.json"
    report.write_text('{"results": [{"id": "ex90.a.square_expansion", "seconds": 1e308}, '
                      '{"id": "ex90.b.small_squares", "cached": {"seconds": 1' + "0" * 400 + '}}]}')
    from conftest import GOLDEN

    code = main(["check", "ex90", "--claims", str(GOLDEN / "holds"), "--shard", "1/2", "--durations", str(report),
                 "--no-cache", "--format", "json", "--output", str(tmp_path / "out.json")])
    assert code == 0, capsys.readouterr().err


def test_the_packs_digest_leaves_out_a_cache_folder_inside_a_pack(tmp_path):
    """A result cache kept in a --claims folder changes while shards run: it is not part of the packs."""
    from proofs.shard import contents_digest

    (tmp_path / "ex9.py").write_text("CLAIMS = []\n")
    cache = tmp_path / ".proofs_cache"
    cache.mkdir()
    (cache / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# the result cache of proofs\n")
    before = contents_digest([tmp_path])
    (cache / "entry.json").write_text("{}")
    assert contents_digest([tmp_path]) == before
    (tmp_path / "ex9.py").write_text("CLAIMS = []  # edited\n")
    assert contents_digest([tmp_path]) != before
