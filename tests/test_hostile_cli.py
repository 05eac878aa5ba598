"""The command line and the pytest plugin against hostile options, output targets, signals and pack text."""

import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, cli, run_cli
from proofs import trust
from proofs.cli import main
from proofs.evaluate import evaluate
from proofs.registry import import_here, load
from proofs.report import plain
from proofs.runner import Run

HOSTILE = Path(__file__).resolve().parent / "hostile" / "cli"
HOLDS = ["--claims", str(GOLDEN / "holds"), "ex90"]


def _main(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def _device(tmp_path, name, minor, fallback):
    """A character device to write to: a node made here when we may (root), else the system's own."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError):
        return Path(fallback)
    return node


# --- output targets ---------------------------------------------------------------------------------------------


def test_output_through_a_symbolic_link_writes_the_file_it_names(tmp_path):
    target, link = tmp_path / "real" / "report.json", tmp_path / "report.json"
    target.parent.mkdir()
    target.write_text("old")
    link.symlink_to(target)
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["summary"]["total"] == 2


def test_a_dangling_symbolic_link_is_written_through(tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "made" / "there.json")
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(link))
    assert code == 0, err
    assert link.is_symlink() and json.loads((tmp_path / "made" / "there.json").read_text())["summary"]["total"] == 2


def test_output_to_a_fifo_is_written_into_it(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(fifo))
    reader.join(30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["total"] == 2


def test_output_to_a_device_stays_a_device(tmp_path):
    null = _device(tmp_path, "null", 3, "/dev/null")
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(null))
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_full_device_is_one_error_line_and_the_other_reports_are_written(tmp_path):
    full = _device(tmp_path, "full", 7, "/dev/full")
    other = tmp_path / "report.md"
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(full), "--format", "markdown", "--output", str(other))
    assert code == 3
    assert err.splitlines() == [f"error: cannot write the json report to {full}: No space left on device"]
    assert stat.S_ISCHR(os.lstat(full).st_mode) and "ex90.a.square_expansion" in other.read_text()


def test_a_failed_write_at_the_end_is_one_line_not_a_traceback(tmp_path):
    full = _device(tmp_path, "full", 7, "/dev/full")
    proc = run_cli("check", *HOLDS, "--format", "junit", "--output", str(full))
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.strip().splitlines() == [f"error: cannot write the junit report to {full}: No space left on device"]
    assert "2 claims: 2 pass" in proc.stdout


def test_missing_directories_are_created(tmp_path):
    output, report_dir = tmp_path / "a" / "b" / "r.json", tmp_path / "c" / "d"
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(output), "--report-dir", str(report_dir))
    assert code == 0, err
    assert json.loads(output.read_text())["summary"]["total"] == 2
    assert {p.name for p in report_dir.iterdir()} == {"report.txt", "report.json", "report.md", "junit.xml", "report.html", "sheet.html",
                                                      "github.txt", "report.sarif"}


def test_export_smt_creates_its_directory(tmp_path):
    directory = tmp_path / "new" / "smt"
    code, out, err = _main("export-smt", *HOLDS, "--dir", str(directory))
    assert code == 0, err
    assert len(list(directory.glob("ex90.a.square_expansion.*.smt2"))) == 1 and "written to" in out


def _bad_targets(tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir").mkdir()
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    return [
        (["--output", str(tmp_path / "dir")], "is a directory"),
        (["--output", str(tmp_path / "file" / "r.json")], "Not a directory"),
        (["--output", str(loop)], "cannot be used"),
        (["--report-dir", str(tmp_path / "file")], "is not a directory"),
        (["--report-dir", str(tmp_path / "file" / "sub")], "cannot be created"),
        (["--output", str(tmp_path / "same.json"), "--report-dir", str(tmp_path)], "would both be written"),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_bad_output_target_is_a_usage_error_before_any_check_runs(tmp_path, case):
    markers = tmp_path / "markers"
    markers.mkdir()
    target = tmp_path / "targets"
    target.mkdir()
    args, words = _bad_targets(target)[case]
    if "--output" in args and "--report-dir" in args:
        args = ["--format", "json", *args]
        args[args.index("--output") + 1] = str(target / "report.json")
    proc = cli("check", "--claims", str(HOSTILE / "waits"), "ex80.a.waits", *args, "--no-cache",
               env={"PROOFS_TEST_MARKERS": str(markers)})
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert words in proc.stderr and args[1] in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not list(markers.iterdir()), "the check ran before the usage error"


def test_export_dir_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    code, _, err = _main("export-smt", *HOLDS, "--dir", str(tmp_path / "f"))
    assert code == 4 and f"--dir {tmp_path / 'f'}: is not a directory" in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_target_is_a_usage_error(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("x")
    target.chmod(0o444)
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(target))
    assert code == 4 and "is read-only" in err
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(locked / "r.json"))
    assert code == 4 and "is not writable" in err


def test_a_target_the_user_may_not_write_is_a_usage_error(tmp_path, monkeypatch):
    """The same checks as above, as they are made (os.access) when the tests run as root."""
    import proofs.report as report

    target, locked = tmp_path / "r.json", tmp_path / "locked"
    target.write_text("x")
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(report.os, "access", lambda path, mode: Path(path) not in (target, locked) and real(path, mode))
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(target))
    assert code == 4 and err == f"error: --output {target}: is read-only\n"
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(locked / "r.json"))
    assert code == 4 and err == f"error: --output {locked / 'r.json'}: its directory {locked} is not writable\n"
    code, _, err = _main("check", *HOLDS, "--report-dir", str(locked))
    assert code == 4 and err == f"error: --report-dir {locked}: is not writable\n"


def test_an_unwritable_github_step_summary_is_a_usage_error(tmp_path):
    proc = cli("check", *HOLDS, env={"GITHUB_STEP_SUMMARY": str(tmp_path)})
    assert proc.returncode == 4 and "GITHUB_STEP_SUMMARY" in proc.stderr and "is a directory" in proc.stderr


# --- numeric options ---------------------------------------------------------------------------------------------

BAD_NUMBERS = [
    ("--timeout", "1e9"), ("--timeout", "inf"), ("--timeout", "nan"), ("--timeout", "0"), ("--timeout", "-1"),
    ("--timeout", "86401"), ("--timeout", "9" * 5000), ("--jobs", "0"), ("--jobs", "100000"), ("--jobs", "1.5"),
    ("--memory-mb", "0"), ("--memory-mb", "-4"), ("--memory-mb", "99999999999"), ("--memory-mb", "nan"),
]


@pytest.mark.parametrize("option, value", BAD_NUMBERS)
def test_numeric_options_are_range_checked_as_usage_errors(option, value):
    code, _, err = _main("check", "ex1.b", option, value)
    assert code == 4 and len(err.splitlines()) == 1, err
    assert option in err and value[:40] in err and "at most" in err


@pytest.mark.parametrize("command", [["show", "ex1.b.conv_params"], ["mutants", "ex1.b"], ["export-smt", "ex1.b", "--dir", "x"]])
@pytest.mark.parametrize("value", ["1e9", "inf", "nan", "0"])
def test_every_command_checks_its_timeout(command, value):
    code, _, err = _main(*command, "--timeout", value)
    assert code == 4 and "more than 0 and at most 86400" in err


def test_mutants_checks_its_jobs():
    code, _, err = _main("mutants", "ex1.b", "--jobs", "0")
    assert code == 4 and "at least 1 and at most" in err


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e9"])
def test_the_plugin_checks_its_timeout_as_the_cli_does(tmp_path, value):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "--proofs=ex1.b",
                           f"--proofs-timeout={value}"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "--proofs-timeout" in proc.stderr and "more than 0 and at most 86400" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


# --- audit --baseline -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content, words", [
    (b"[]", "it holds an array"),
    (b"3", "it holds a number"),
    (b'"text"', "it holds a string"),
    (b"null", "it holds null"),
    (b'{"ex1.a.receptive_field": "one assumption"}', "'ex1.a.receptive_field' is not a list of strings"),
    (b'{"ex1.a.receptive_field": [1, 2]}', "is not a list of strings"),
    (b'{"ex1.a.receptive_field": null}', "is not a list of strings"),
    (b'{"ex1": ["caf\xe9"]}', "not UTF-8 (byte 0xe9 at offset 13)"),
    (b"{not json", "not valid JSON"),
    (b'{"ex1": [], "ex1": []}', "the key 'ex1' is repeated"),
    (b"[" * 200000, "nested more than 8 levels deep"),
])
def test_a_baseline_of_the_wrong_shape_is_a_usage_error(tmp_path, content, words):
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(content)
    code, out, err = _main("audit", "--baseline", str(baseline))
    assert code == 4, err
    assert err.startswith(f"error: --baseline {baseline}: ") and words in err and "expected a JSON object" in err
    assert len(err.splitlines()) == 1 and out == ""


def test_a_baseline_that_is_not_a_file_is_a_usage_error_without_blocking(tmp_path):
    fifo = tmp_path / "baseline.fifo"
    os.mkfifo(fifo)
    for path, words in ((fifo, "not a regular file"), (tmp_path, "not a regular file"), (tmp_path / "none", "cannot be read")):
        code, _, err = _main("audit", "--baseline", str(path))
        assert code == 4 and words in err, err


# --- interrupts ---------------------------------------------------------------------------------------------------


def _interrupt_once_started(tmp_path, args, marker, signum=signal.SIGINT, cwd=ROOT):
    """Start `python ARGS`, wait until the check named `marker` has started, send the signal; (code, out, err)."""
    markers = tmp_path / "markers"
    markers.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PROOFS_TEST_MARKERS"] = str(markers)
    proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (markers / marker).exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_ctrl_c_in_show_is_a_clean_interrupted_exit(tmp_path):
    code, out, err = _interrupt_once_started(tmp_path, ["-m", "proofs", "show", "ex80.a.waits", "--claims", str(HOSTILE / "waits")], "waits")
    assert code == 2, out + err
    assert "statement: A check that waits" in out and "interrupted" in out + err
    assert "internal error" not in err and "Traceback" not in err


def test_ctrl_c_in_mutants_reports_the_unfinished_perturbations_as_not_run(tmp_path):
    code, out, err = _interrupt_once_started(
        tmp_path, ["-m", "proofs", "mutants", "ex80.b", "--jobs", "1", "--claims", str(HOSTILE / "waits")], "slow")
    assert code == 2, out + err
    assert "ex80.b.sum  1/3 killed" in out
    assert "not run (interrupted) slow" in out and "not run (interrupted) last" in out and "    survived" not in out
    assert "1/3 perturbations killed, 0 survived, 0 claims without perturbations, 2 not run (interrupted)" in out


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"])
def test_a_signal_during_check_writes_the_partial_reports_and_exits_2(tmp_path, signum):
    report, markdown = tmp_path / "partial.json", tmp_path / "out" / "partial.md"
    code, out, err = _interrupt_once_started(
        tmp_path, ["-m", "proofs", "check", "ex90", "ex80.a.waits", "--claims", str(GOLDEN / "holds"), "--claims", str(HOSTILE / "waits"), "--jobs", "1",
                   "--no-cache", "--format", "json", "--output", str(report), "--format", "markdown", "--output", str(markdown)],
        "waits", signum=signum)
    assert code == 2, out + err
    data = json.loads(report.read_text())
    assert data["interrupted"] is True and [r["id"] for r in data["results"]] == ["ex90.a.square_expansion", "ex90.b.small_squares"]
    assert "ex90.b.small_squares" in markdown.read_text()


def test_mutants_pair_results_with_perturbations_by_id(monkeypatch):
    claim = import_here([HOSTILE / "waits"]).by_id("ex80.b.sum")
    last = evaluate(claim, claim.perturbation("last"))
    # interrupted with jobs 2: the last perturbation finished, the first two did not
    monkeypatch.setattr(trust, "run", lambda tasks, **options: Run(results=(last,), interrupted=True, seconds=0.0))
    out = io.StringIO()
    assert trust.mutants([claim], out, timeout=5.0, jobs=2) == 2
    text = out.getvalue()
    assert "1/3 killed" in text and "not run (interrupted) first" in text and "not run (interrupted) slow" in text
    assert "not run (interrupted) last" not in text


def test_a_missing_result_without_an_interrupt_fails(monkeypatch):
    claim = load([HOSTILE / "waits"]).by_id("ex80.b.sum")
    monkeypatch.setattr(trust, "run", lambda tasks, **options: Run(results=(), interrupted=False, seconds=0.0))
    out = io.StringIO()
    assert trust.mutants([claim], out, timeout=5.0, jobs=1) == 1 and "not run (no result) first" in out.getvalue()


def test_ctrl_c_under_the_pytest_plugin_stops_the_session(tmp_path):
    code, out, err = _interrupt_once_started(
        tmp_path, ["-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-rA", "--proofs=ex80",
                   f"--proofs-claims={HOSTILE / 'waits'}"], "waits", cwd=tmp_path)
    assert code == 2, out + err
    assert "KeyboardInterrupt" in out and "IndexError" not in out
    assert "ex80.b.sum" not in out.split("KeyboardInterrupt")[-1]  # the session stopped: nothing ran after it


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_reports_are_written_is_held_until_they_are_complete(tmp_path, monkeypatch, signum):
    import proofs.cli as cli

    real = cli.write_atomically

    def interrupted_write(path, text, **options):
        os.kill(os.getpid(), signum)
        real(path, text, **options)

    monkeypatch.setattr(cli, "write_atomically", interrupted_write)
    first, second = tmp_path / "r.json", tmp_path / "r.md"
    code, _, err = _main("check", *HOLDS, "--format", "json", "--output", str(first), "--format", "markdown", "--output", str(second))
    assert code == 2, err
    assert json.loads(first.read_text())["summary"]["total"] == 2 and "ex90.b.small_squares" in second.read_text()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


# --- preload -----------------------------------------------------------------------------------------------------

PRELOAD = HOSTILE / "preload"


@pytest.mark.parametrize("args", [
    ["check", "ex82", "--no-cache"], ["check", "ex82", "--no-cache", "--jobs", "4"], ["show", "ex82.a.warmed"],
    ["mutants", "ex82"], ["export-smt", "ex82", "--dir", "{tmp}"],
], ids=["check", "check-jobs-4", "show", "mutants", "export-smt"])
def test_every_command_runs_the_packs_preload_before_its_checks(tmp_path, args):
    proc = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], "--claims", str(PRELOAD))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PRELOAD did not run" not in proc.stdout


# --- text from packs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["show", "ex81.a.escapes"], ["audit", "ex81"], ["mutants", "ex81"]])
def test_pack_text_reaches_the_terminal_without_control_sequences(args):
    proc = run_cli(*args, "--claims", str(HOSTILE / "escapes"))
    assert proc.returncode in (0, 1), proc.stderr
    shown = proc.stdout + proc.stderr
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in shown, (args, raw)
    if args != ["list"]:
        assert "\\x1b[31mred" in shown and "\\u202eevil\\nfake line" in shown and "\nfake line" not in shown


def test_load_errors_are_printed_without_control_sequences(tmp_path):
    (tmp_path / "broken.py").write_text('raise RuntimeError("\\x1b]8;;https://example.com/\\x07click\\x1b[2J")\n')
    proc = run_cli("list", "--claims", str(tmp_path))
    assert proc.returncode == 1 and "load error" in proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr and "\\x1b]8;;https://example.com/\\x07click" in proc.stderr


def test_plain_escapes_only_what_a_terminal_would_act_on():
    assert plain("β ∀x: x² ≥ 0, 한국어, tab\there") == "β ∀x: x² ≥ 0, 한국어, tab\\there"
    assert plain("\x1b[2J\x9b\u202e\u2028\ud800") == "\\x1b[2J\\x9b\\u202e\\u2028\\ud800"


def test_held_signals_are_counted_and_the_third_gives_up(request):
    from proofs.report import deferred_signals

    import time

    # Python's own handlers, as in a terminal (a shell's background job starts with SIGINT ignored)
    before = signal.signal(signal.SIGINT, signal.default_int_handler), signal.signal(signal.SIGTERM, signal.SIG_DFL)
    request.addfinalizer(lambda: (signal.signal(signal.SIGINT, before[0]), signal.signal(signal.SIGTERM, before[1])))
    # a signal a process sends itself is handled in its main thread at a later instruction, not always before kill
    # returns (another thread may take it at first, as a loaded machine shows): each is waited for
    with deferred_signals() as held:
        for n, sent in enumerate((signal.SIGINT, signal.SIGTERM), start=1):
            os.kill(os.getpid(), sent)
            for _ in range(500):
                if len(held) == n:
                    break
                time.sleep(0.01)
    assert held == [signal.SIGINT, signal.SIGTERM]
    with pytest.raises(KeyboardInterrupt):
        with deferred_signals():
            for _ in range(3):  # e.g. a FIFO nobody reads: the user can still stop the write
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
            time.sleep(5)  # the third is handled by then
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_claim_without_a_result_fails_the_check(monkeypatch):
    import proofs.runner as runner

    real = runner.run
    monkeypatch.setattr(runner, "run", lambda tasks, **options: (lambda done: Run(done.results[:1], False, done.seconds))(real(tasks, **options)))
    code, _, err = _main("check", *HOLDS)
    assert code == 3 and err == "error: no result for claim ex90.b.small_squares\n"


def test_export_smt_reports_a_query_it_cannot_write_in_one_line(tmp_path):
    (tmp_path / "ex90.a.square_expansion.1.smt2").mkdir()
    code, out, err = _main("export-smt", *HOLDS, "--dir", str(tmp_path))
    assert code == 3 and "written to" in out
    assert err.splitlines() == [f"error: cannot write {tmp_path / 'ex90.a.square_expansion.1.smt2'}: Is a directory"]


def test_a_failing_preload_makes_its_modules_claims_errors_under_the_plugin(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "arith.py").write_text((GOLDEN / "holds" / "arith.py").read_text() + '\nPRELOAD = ("os:no_such_function",)\n')
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-rA", "--proofs=ex90",
                           f"--proofs-claims={pack}"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout
    # the warm-up is pack code: it runs in the module process, where its failure fails the module's claims
    assert "ERROR proofs::ex90.a.square_expansion" in proc.stdout and "no_such_function" in proc.stdout
    assert "INTERNALERROR" not in proc.stdout
