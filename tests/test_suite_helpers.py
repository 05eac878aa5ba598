"""The suite's own helpers: a command run in the test's process gives what it gives in a process of its own, and a
shared result is made once."""

import os

import pytest

from conftest import GOLDEN, ROOT, cli, run_cli, shared


def test_a_command_in_this_process_prints_and_exits_as_in_its_own():
    for args in (("show", "ex90.a.square_expansion", "--claims", str(GOLDEN / "holds")), ("check", "ex7")):
        alone, here = run_cli(*args), cli(*args)
        assert (here.returncode, here.stdout, here.stderr) == (alone.returncode, alone.stdout, alone.stderr)


def test_a_command_in_this_process_leaves_its_directory_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    before = dict(os.environ)
    seen = cli("list", "--claims", str(GOLDEN / "holds"), env={"PROOFS_SUITE_PROBE": "1"})
    assert seen.returncode == 0 and os.getcwd() == str(tmp_path) and dict(os.environ) == before
    import proofs.cli

    calls = []
    monkeypatch.setattr(proofs.cli, "main", lambda argv, out, err: calls.append(
        (os.getcwd(), os.environ.get("PROOFS_SUITE_PROBE"), "NO_COLOR" in os.environ)) or 0)
    cli("list", env={"PROOFS_SUITE_PROBE": "1"})
    assert calls == [(str(ROOT), "1", False)]  # run_cli's directory and environment


def test_a_shared_directory_is_made_once_and_a_failed_one_is_made_again(request):
    made, caches = [], []

    def make(directory):
        made.append(directory)
        caches.append(os.environ["PROOFS_CACHE_DIR"])
        (directory / "value").write_text(str(len(made)))

    first = shared(request, "suite-helper-once", make)
    assert shared(request, "suite-helper-once", make) == first and (first / "value").read_text() == "1" and len(made) == 1
    assert [p.name for p in first.iterdir()] == ["value"]  # only what make wrote
    assert caches == [f"{first}.cache"] and os.environ["PROOFS_CACHE_DIR"] != caches[0]  # a cache of its own

    def fails(directory):
        (directory / "half").write_text("x")
        raise RuntimeError("cannot make it")

    with pytest.raises(RuntimeError):
        shared(request, "suite-helper-fails", fails)
    again = shared(request, "suite-helper-fails", make)
    assert not (again / "half").exists() and (again / "value").read_text() == "2"


def test_slow_tests_start_longest_module_first_and_stay_together_by_module():
    from conftest import module_seconds, read_slow, slow_order

    listed = read_slow("tests/test_a.py\ntests/test_b.py::short 0.75\n\ntests/test_b.py::long 12\n tests/test_c.py 3.5 \n")
    assert listed == {"tests/test_a.py": 0.5, "tests/test_b.py::short": 0.75, "tests/test_b.py::long": 12.0, "tests/test_c.py": 3.5}
    totals = module_seconds(listed)
    tests = [("tests/test_a.py", "one"), ("tests/test_b.py", "short"), ("tests/test_b.py", "fast"), ("tests/test_c.py", "two"),
             ("tests/test_b.py", "long"), ("tests/test_a.py", "three"), ("tests/test_d.py", "fast")]
    keys = {test: slow_order(listed, totals, *test) for test in tests}
    assert keys[("tests/test_b.py", "fast")] is None and keys[("tests/test_d.py", "fast")] is None  # not listed: fast
    ordered = sorted((t for t in tests if keys[t] is not None), key=keys.get)
    assert ordered == [("tests/test_b.py", "long"), ("tests/test_b.py", "short"), ("tests/test_c.py", "two"),
                       ("tests/test_a.py", "one"), ("tests/test_a.py", "three")]
