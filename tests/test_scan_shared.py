"""Each distinct side is read by sympy's parser once a run, whichever file prints it and whichever worker process
scans that file; the report does not depend on which process read a side."""

import io
import json
import os
import random
import threading

import pytest

from proofs.scan import sympy_reader
from proofs.scan.command import run
from proofs.scan.shared import Store


def _course(directory, files: int = 4):
    """Sheets that all print the same steps (with numbers no other test uses) and one step of their own each."""
    n = random.Random(os.getpid()).randrange(1000, 9000)
    common = [f"$$(x + {n})^2 = x^2 + {2 * n}x + {n * n}$$", f"$$\\frac{{y^2 - {n * n}}}{{y - {n}}} = y + {n}$$",
              f"$$\\sum_{{i=1}}^{{{n % 50 + 2}}} i = {(n % 50 + 2) * (n % 50 + 3) // 2}$$"]
    directory.mkdir()
    for f in range(files):
        own = f"$$(u - {n + f})(u + {n + f}) = u^2 - {(n + f) ** 2}$$"
        (directory / f"week{f}.md").write_text(f"# Exercise {f + 1}\n\n" + "\n\n".join(common + [own]) + "\n")
    return directory


def _counted(monkeypatch, log):
    """Count sympy's parses (in this process and in the workers it forks) in the file `log`."""
    real = sympy_reader._read

    def read(text):
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps(text) + "\n")
        return real(text)

    monkeypatch.setattr(sympy_reader, "_read", read)
    sympy_reader._lark_readings.cache_clear()  # what an earlier test read in this process is not inherited


def _scan(material, *args):
    out, err = io.StringIO(), io.StringIO()
    code = run(["--material", str(material), "--no-cache", "--format", "json", *map(str, args)], out, err)
    assert "Traceback" not in err.getvalue() and code in (0, 1), err.getvalue()
    return json.loads(out.getvalue())


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["2", "3"])
def test_each_distinct_side_is_parsed_once_a_run_across_files_and_jobs(tmp_path, monkeypatch, jobs):
    material = _course(tmp_path / "m")
    log = tmp_path / "parsed.log"
    _counted(monkeypatch, log)
    report = _scan(material, "--jobs", jobs)
    parsed = [json.loads(line) for line in log.read_text().splitlines()]
    assert parsed and len(parsed) == len(set(parsed))
    # every step was read by both readers, and the sides in common were read once for all four files
    assert {tuple(s["read_by"]) for s in report["steps"]} == {("scan", "sympy")}
    assert report["summary"]["steps"] == 16 and len(parsed) <= 6 + 2 * 4


@pytest.mark.slow
def test_the_workers_report_what_one_process_reports(tmp_path, monkeypatch):
    material = _course(tmp_path / "m")
    sympy_reader._lark_readings.cache_clear()
    one = _scan(material, "--jobs", "1")
    sympy_reader._lark_readings.cache_clear()
    two = _scan(material, "--jobs", "2")
    assert one == two


def test_a_side_is_computed_once_by_concurrent_readers(tmp_path):
    store = Store(tmp_path, "reader 1")
    calls = []
    gate = threading.Event()

    def parse(text):
        calls.append(text)
        gate.wait(2)
        return (None, text.upper())

    results = []
    threads = [threading.Thread(target=lambda: results.append(store.read("x + 1", parse))) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert calls == ["x + 1"] and results == [(None, "X + 1")] * 4


def test_a_side_whose_reading_failed_is_released_for_another_reader(tmp_path):
    store = Store(tmp_path, "reader 1")

    def fails(text):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.read("x", fails)
    assert store.read("x", lambda text: (None, "read")) == (None, "read")
    assert store.read("x", lambda text: pytest.fail("read twice")) == (None, "read")


def test_a_claim_left_by_a_process_that_ended_is_taken_over(tmp_path):
    store = Store(tmp_path, "reader 1")
    _, claim = store._paths("x")
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    claim.write_text(str(pid))
    assert store.read("x", lambda text: (None, "read")) == (None, "read")


def test_the_reader_is_part_of_the_key(tmp_path):
    Store(tmp_path, "reader 1").read("x", lambda text: (None, "one"))
    assert Store(tmp_path, "reader 2").read("x", lambda text: (None, "two")) == (None, "two")
    assert "sympy" in sympy_reader.reader() and "lark" in sympy_reader.reader()
