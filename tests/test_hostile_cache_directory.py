"""A result cache prunes and removes what it does not know in its directory: it is only ever a directory it made (or a
new or empty one), never a folder of the user's given by mistake."""

import os
import subprocess
import sys

from conftest import run_cli

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
    proc = run_cli("check", "ex1.a", "--cache-dir", str(folder))
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "is not a result cache of proofs" in proc.stderr
    assert _everything(folder) == before


def test_the_environment_variable_is_checked_the_same_way(tmp_path):
    folder = _folder_of_the_users(tmp_path)
    proc = run_cli("check", "ex1.a", env={"PROOFS_CACHE_DIR": str(folder)})
    assert proc.returncode == 4 and proc.stderr.startswith(f"error: PROOFS_CACHE_DIR {folder}:"), proc.stderr
    proc = run_cli("check", "ex1.a", env={"PROOFS_CACHE_DIR": "/proc/self"}, timeout=60)  # walking it never ends
    assert proc.returncode == 4, proc.stderr


def test_a_new_or_empty_directory_becomes_a_cache_and_is_used_again(tmp_path):
    (tmp_path / "empty").mkdir()
    for directory in (tmp_path / "empty", tmp_path / "new" / "cache"):
        assert run_cli("check", "ex1.a", "--cache-dir", str(directory)).returncode == 0
        assert (directory / "CACHEDIR.TAG").exists() and foreign(directory) is None
        assert list(directory.glob("*/ex1.a.receptive_field.json"))
        assert run_cli("check", "ex1.a", "--cache-dir", str(directory)).returncode == 0


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


def test_a_stop_signal_that_ends_the_working_process_is_an_interruption():
    # the working process does not handle SIGTERM here: the signal passed on ends it, and that is exit 2, not 3
    script = ("import os, signal, sys, time\nfrom proofs.gate import guarded\n"
              "def work():\n"
              "    signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
              "    os.kill(os.getppid(), signal.SIGTERM)\n"
              "    time.sleep(30)\n"
              "    return 0\n"
              "sys.exit(guarded(work))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "interrupted: the checker was stopped by SIGTERM before it could report\n"
