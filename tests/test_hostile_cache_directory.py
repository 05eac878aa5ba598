"""A result cache prunes and removes what it does not know in its directory: it is only ever a directory it made (or a
new or empty one), never a folder of the user's given by mistake."""

import json
import os
import subprocess
import sys

import pytest

from conftest import cli, run_cli

from proofs.cache import ResultCache, foreign


def _folder_of_the_users(tmp_path):
    folder = tmp_path / "documents"
    for name in "abcdefgh":
        (folder / name).mkdir(parents=True)
        (folder / name / "work.txt").write_text("keep")
    (folder / "notes.txt").write_text("keep")
    return folder


def _everything(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_folder_of_the_users_given_as_cache_dir_is_a_usage_error_and_is_left_alone(tmp_path):
    folder = _folder_of_the_users(tmp_path)
    before = _everything(folder)
    proc = cli("check", "ex1.a", "--cache-dir", str(folder))
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "is not a result cache of proofs" in proc.stderr
    assert _everything(folder) == before


def test_the_environment_variable_is_checked_the_same_way(tmp_path):
    folder = _folder_of_the_users(tmp_path)
    proc = cli("check", "ex1.a", env={"PROOFS_CACHE_DIR": str(folder)})
    assert proc.returncode == 4 and proc.stderr.startswith(f"error: PROOFS_CACHE_DIR {folder}:"), proc.stderr
    proc = run_cli("check", "ex1.a", env={"PROOFS_CACHE_DIR": "/proc/self"}, timeout=60)  # walking it never ends
    assert proc.returncode == 4, proc.stderr


def test_a_new_or_empty_directory_becomes_a_cache_and_is_used_again(tmp_path):
    (tmp_path / "empty").mkdir()
    for directory in (tmp_path / "empty", tmp_path / "new" / "cache"):
        assert cli("check", "ex1.a", "--cache-dir", str(directory)).returncode == 0
        assert (directory / "CACHEDIR.TAG").exists() and foreign(directory) is None
        assert list(directory.glob("*/ex1.a.receptive_field.json"))
        again = cli("check", "ex1.a", "--cache-dir", str(directory), "--format", "json")
        assert again.returncode == 0 and all(r["cached"] is not None for r in json.loads(again.stdout)["results"])


def test_a_cache_opened_in_a_folder_it_did_not_make_prunes_nothing(tmp_path):
    folder = _folder_of_the_users(tmp_path)
    before = _everything(folder)
    cache = ResultCache(folder, "d" * 64)
    cache._prepare(folder / cache.folder)
    assert [p for p in _everything(folder) if p != "d" * 64] == before


def test_another_tools_cache_tag_is_not_ours(tmp_path):
    folder = tmp_path / ".pytest_cache"
    folder.mkdir()
    (folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# created by pytest.\n")
    (folder / "v").mkdir()
    assert "not a result cache of proofs" in foreign(folder)
    os.mkfifo(tmp_path / "tagged")
    assert foreign(tmp_path / "tagged") == "not a directory"


def test_a_stop_signal_while_packs_load_is_an_interruption_and_ends_their_module_processes(tmp_path):
    # SIGTERM reaches the command's own process, which runs no pack code: exit 2 with one line, nothing left running
    import signal
    import time

    marker = tmp_path / "importing.pid"
    (tmp_path / "slow.py").write_text(f"import os, pathlib, time\npathlib.Path({str(marker)!r}).write_text(str(os.getpid()))\n"
                                      "time.sleep(60)\nCLAIMS = ()\n")
    proc = subprocess.Popen([sys.executable, "-m", "proofs", "check", "all", "--claims", str(tmp_path), "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    # the file exists before its pid is written in it
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    importing = int(marker.read_text())
    assert importing != proc.pid
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2, stderr
    assert stderr == "interrupted\n"
    for _ in range(500):
        try:
            os.kill(importing, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the module process outlived the command")


SLOW_AND_FAST = '''
import time

from proofs import Outcome, Verdict, claim


def _claim(part, seconds):
    @claim(f"shared.ex1.{part}.holds", exercise=1, part=part, statement="0 = 0.", asserts="0 = 0", formal="0 = 0",
           requires=Verdict.PROVED)
    def holds():
        time.sleep(seconds)
        return Outcome(Verdict.PROVED, "arithmetic")

    return holds


CLAIMS = (_claim("a", 3), _claim("b", 3), _claim("c", 3))
'''


def _report(proc, path):
    import json

    assert path.exists(), proc.stderr
    return {r["id"]: (r["verdict"], r["status"]) for r in json.loads(path.read_text())["results"]}, \
        sum(r["cached"] is not None for r in json.loads(path.read_text())["results"])


@pytest.mark.slow
def test_concurrent_runs_on_one_cache_all_succeed_and_leave_a_cache_a_later_run_reuses(tmp_path):
    from conftest import ROOT, write_pack

    pack = write_pack(tmp_path, {"shared.py": SLOW_AND_FAST})
    cache = tmp_path / "cache"

    def start(n):
        return subprocess.Popen([sys.executable, "-m", "proofs", "check", "shared", "--claims", str(pack), "--cache-dir",
                                 str(cache), "--format", "json", "--output", str(tmp_path / f"r{n}.json")],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    runs = [start(n) for n in range(3)]
    done = [(p, *p.communicate(timeout=180)) for p in runs]
    assert [p.returncode for p, _, _ in done] == [0, 0, 0], [e for _, _, e in done]
    reports = [_report(p, tmp_path / f"r{n}.json")[0] for n, (p, _, _) in enumerate(done)]
    assert reports[0] == reports[1] == reports[2] and set(reports[0].values()) == {("proved", "pass")}
    later = run_cli("check", "shared", "--claims", str(pack), "--cache-dir", str(cache), "--format", "json", "--output",
                    str(tmp_path / "later.json"), timeout=180)
    results, reused = _report(later, tmp_path / "later.json")
    assert later.returncode == 0 and results == reports[0] and reused == 3, later.stderr
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").is_file()


def test_a_cache_another_run_holds_is_neither_read_written_nor_sealed(tmp_path):
    directory = tmp_path / "cache"
    directory.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time\n"
                               f"fd = os.open({str(directory)!r}, os.O_RDONLY)\n"
                               "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)\n"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        (directory / "another run's entry.json").write_text("{}")  # written by the run holding it
        assert foreign(directory) is None  # in use by a run, not a folder of the user's
        cache = ResultCache(directory, "d" * 64)
        assert cache.busy and cache.record("anchors") is None
        cache.keep("anchors", {})
        cache.seal()
        assert sorted(p.name for p in directory.iterdir()) == ["another run's entry.json"]
    finally:
        holder.kill()
        holder.wait()
    again = ResultCache(directory, "d" * 64)  # the lock is free again
    assert not again.busy
    again.close()
