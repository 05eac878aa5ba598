import contextlib
import fcntl
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
# The course material of the seed pack, next to this checkout when it is there, and the sheet its claims cite.
SEED = ROOT.parent / "shared" / "seed"
SEED_SHEET = SEED / "000_40bb9e3d6bfa7e9d.txt"
# The seed's reviewed coverage exclusions, read by the annotated sheet.
SEED_EXCLUSIONS = ROOT / "claims" / "coverage-exclusions.toml"


# Tests measured (`pytest --durations=0`, on 2 shared cores) to take half a second or more: a test module, or a test function of one
# (all its parameters), each on a line, followed by the seconds it was measured to take (all its items; a line without
# them counts half a second). They are marked `slow`, so that `pytest -m "not slow"` is the fast tier of the edit loop.
def read_slow(text: str) -> dict:
    """{module or module::function: seconds} of slow.txt's lines."""
    listed = {}
    for line in text.splitlines():
        name, _, seconds = line.strip().partition(" ")
        if name:
            listed[name] = float(seconds) if seconds.strip() else 0.5
    return listed


SLOW_SECONDS = read_slow((Path(__file__).parent / "slow.txt").read_text())
SLOW = frozenset(SLOW_SECONDS)


def module_seconds(listed: dict) -> dict:
    """{module: the seconds of its listed tests} of `read_slow`'s listing."""
    totals: dict = {}
    for name, seconds in listed.items():
        totals[name.split("::")[0]] = totals.get(name.split("::")[0], 0.0) + seconds
    return totals


def slow_order(listed: dict, totals: dict, module: str, function: str):
    """Where a test of `function` in `module` starts: slow tests (None for the others) by their module's measured
    seconds (`totals`), the longest first, and in a module by their own; a module's tests stay together."""
    if module not in listed and f"{module}::{function}" not in listed:
        return None
    return (-totals[module], module, -listed.get(f"{module}::{function}", listed.get(module, 0.5)))


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true", default=False,
                     help="the oracles decide their whole samples, not the suite's fixed share of every kind (the nightly run)")


@pytest.fixture(scope="session")
def soak(request) -> bool:
    """Whether the run soaks the oracles (`pytest --soak`): every generated statement or document of their samples."""
    return request.config.getoption("--soak")


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` run first, the longest first (`slow_order`), then the others in their order: a worker that
    is left with a long test at the end keeps the other cores idle until it finishes (pytest-xdist's work stealing
    hands out the end of a worker's queue). A module's tests stay together, so its module-scoped fixtures are made
    once. Tests listed in slow.txt are marked `slow` here."""
    order, totals = {}, module_seconds(SLOW_SECONDS)
    for item in items:
        module = Path(str(item.path)).relative_to(ROOT).as_posix()
        key = slow_order(SLOW_SECONDS, totals, module, getattr(item, "originalname", item.name))
        if key is not None:
            item.add_marker(pytest.mark.slow)
        elif item.get_closest_marker("slow") is not None:  # marked in its module, not listed: half a second
            key = (-totals.get(module, 0.5), module, -0.5)
        if key is not None:
            order[item.nodeid] = (0, *key)
    # sorted is stable: the tests of one function, and the fast tier, keep their order
    items[:] = sorted(items, key=lambda item: order.get(item.nodeid, (1, 0.0, "", 0.0)))


def pytest_sessionstart(session):
    """Start this process's fork server before any test runs claims or libraries here, as the command does before it
    checks anything: module processes forked from it then never inherit what an earlier test left in sympy's or
    z3's state, so a command run through `cli` reports what it reports from a shell."""
    from proofs import processes
    from proofs.runner import serve_module

    processes.start_server(serve_module)


@pytest.fixture(autouse=True)
def fresh_result_cache(monkeypatch, tmp_path_factory, request):
    """Each test gets a result cache of its own (created only if the test checks claims through the CLI)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.nodeid)[-80:]
    monkeypatch.setenv("PROOFS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "proofs-cache" / name))


@pytest.fixture(scope="session")
def catalogue():
    """The seed pack as the checker sees it: descriptions sent back by its module process."""
    from proofs.registry import load

    return load()


@pytest.fixture(scope="session")
def seed_here():
    """The seed pack imported into this process, its claims' checks and replays callable here."""
    from proofs.registry import import_here

    return import_here()


# What `run_cli` and `cli` leave out of the environment they run in.
_NOT_PASSED = ("NO_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


def run_cli(*args, env=None, timeout=120, prefix=("-m", "proofs")):
    """Run `python -m proofs ARGS` as a user would; return the completed process. The tests' own CI variables are
    not passed on (GITHUB_ACTIONS would add annotations to every report); a test gives them in `env`. `prefix` replaces
    the interpreter's `-m proofs` (`("-c", script)` runs a script that sets a limit, then `proofs.cli.main`)."""
    environment = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    environment.update(env or {})
    return subprocess.run([sys.executable, *prefix, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env=environment, timeout=timeout)


def cli(*args, env=None):
    """Run `proofs ARGS` through `proofs.cli.main` in this process, in the directory and environment `run_cli` gives;
    return what `run_cli` returns.

    The command does what it does from a shell, without starting an interpreter that imports sympy and z3 again (a
    second or more per run). What only a process of its own shows stays with `run_cli`: exit statuses, signals,
    terminals, pipes, the console script, entry points and import paths, and a pack's PRELOAD (it would set its
    state in this process for every later run)."""
    from proofs.cli import main

    environment = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    environment.update(env or {})
    out, err = io.StringIO(), io.StringIO()
    with _environment(environment), contextlib.chdir(ROOT):
        code = main([str(a) for a in args], out, err)
    return subprocess.CompletedProcess(["proofs", *args], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(values):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _shared_place(config, name: str) -> tuple[Path, str]:
    """(directory, run id) of the shared directory `name` of this test session (see `shared`)."""
    factory = config._tmp_path_factory
    workerinput = getattr(config, "workerinput", None)
    run = "" if workerinput is None else workerinput["testrunuid"]
    # every worker's base directory is inside the run's own
    base = factory.getbasetemp() if workerinput is None else factory.getbasetemp().parent
    return base / f"shared-{name}{'-' if run else ''}{run}", run


def _made(directory: Path, run: str, make) -> Path:
    """`directory`, filled by `make(directory)` unless this run has filled it already (under its lock)."""
    done = Path(f"{directory}.made")
    with open(f"{directory}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (done.exists() and done.read_text() == run):
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            try:
                make(directory)
            except BaseException:
                shutil.rmtree(directory, ignore_errors=True)
                raise
            done.write_text(run)
    return directory


def shared(request, name, make):
    """A directory `make(directory)` fills once per test session, whatever the number of pytest-xdist workers: the
    first worker to ask makes it while holding a lock, the others wait for it and read it. `make` runs with a result
    cache of its own, as each test does, and the directory holds only what it writes. A `make` that raises leaves
    nothing behind, so the next test to ask makes it again (and fails as loudly)."""
    directory, run = _shared_place(request.config, name)

    def made(directory):
        with _environment({**os.environ, "PROOFS_CACHE_DIR": f"{directory}.cache"}):
            make(directory)
    return _made(directory, run, made)


class Completed(subprocess.CompletedProcess):
    """A finished command whose report files are in `directory`."""

    def __init__(self, args, returncode, stdout, stderr, directory):
        super().__init__(args, returncode, stdout, stderr)
        self.directory = directory


def _run_into(args, env=None, timeout=600):
    """A `make` that runs `python -m proofs ARGS` (`{dir}` in an argument: the directory) with the directory's result
    cache and stores what it returned in `run.json`; it sets nothing in this process (a thread may run it)."""

    def make(directory):
        argv = [a.replace("{dir}", str(directory)) for a in map(str, args)]
        proc = run_cli(*argv, env={**(env or {}), "PROOFS_CACHE_DIR": f"{directory}.cache"}, timeout=timeout)
        (directory / "run.json").write_text(json.dumps({"args": argv, "returncode": proc.returncode,
                                                        "stdout": proc.stdout, "stderr": proc.stderr}))
    return make


def shared_run(request, name, *args, env=None, timeout=600):
    """`python -m proofs ARGS` run once per test session (see `shared`); `{dir}` in an argument is the run's directory,
    where its reports can be written. Returns a `Completed`."""
    directory, run = _shared_place(request.config, name)
    _made(directory, run, _run_into(args, env=env, timeout=timeout))
    stored = json.loads((directory / "run.json").read_text())
    return Completed(stored["args"], stored["returncode"], stored["stdout"], stored["stderr"], directory)


# What the seed's material options are: the course material and the reviewed exclusions of its annotated sheet when the
# sheet its claims cite is next to this checkout, nothing otherwise. Runs compared with `seed_serial` give the same.
SEED_MATERIAL = ("--material", str(SEED), "--exclusions", str(SEED_EXCLUSIONS)) if SEED_SHEET.is_file() else ()


@pytest.fixture(scope="session")
def seed_serial(request):
    """`python -m proofs check all --jobs 1 -q` of the seed pack, the course material verified (`SEED_MATERIAL`), with a
    result cache of its own that is empty before it (`directory / "cache"`: every claim is checked, and what passed is
    stored), run once per test session and shared by every worker, every report written into `directory / "reports"`:
    the one whole-catalogue check the tests read (`report.json`, `sheet.html`, ...), the reference they compare other
    runs of the catalogue with (its shards merged, more jobs, a result cache), which give the same `SEED_MATERIAL`, and
    the results a run that only needs the seed's results in its reports may reuse (a copy of the cache). A test reads
    the command's exit code, its standard output and standard error, and the reports."""
    return shared_run(request, "seed-serial", *SEED_SERIAL)


# The command of `seed_serial`.
SEED_SERIAL = ("check", "all", *SEED_MATERIAL, "--jobs", "1", "--cache-dir", "{dir}/cache", "-q", "--report-dir", "{dir}/reports")
# The fixtures that read `seed_serial`'s run.
_SEED_READERS = frozenset({"seed_serial", "seed_check"})


def pytest_collection_finish(session):
    """Under pytest-xdist, the first worker starts `seed_serial`'s run in a thread as soon as it has collected tests that
    read it, so that both workers run other tests meanwhile (a worker that asks for it first otherwise waits for it,
    idle, and the other waits on its lock); a test that asks for it before it is made waits as before."""
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is None or workerinput.get("workerid") != "gw0":
        return
    if not any(_SEED_READERS & set(getattr(item, "fixturenames", ())) for item in session.items):
        return
    directory, run = _shared_place(session.config, "seed-serial")
    # the environment as it is now, before a test sets its own in this process (`cli`)
    environment = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    thread = threading.Thread(target=_made, args=(directory, run, _run_into(SEED_SERIAL, env=environment)), daemon=True)
    thread.start()
    session.config.stash[_BACKGROUND] = thread


_BACKGROUND = pytest.StashKey[threading.Thread]()


def pytest_sessionfinish(session):
    """The background run of `seed_serial` has ended before the worker does (its process and files with it)."""
    thread = session.config.stash.get(_BACKGROUND, None)
    if thread is not None:
        thread.join()


@pytest.fixture(scope="session")
def seed_check(seed_serial):
    """`python -m proofs check all` of the seed pack with the material and every report: the session's `seed_serial`
    run (one run of the catalogue serves both)."""
    return seed_serial


def perturbation_results(cases) -> dict:
    """{(claim id, perturbation name): Result} of the (claim, perturbation) `cases` of one imported catalogue, checked by
    the runner: each in a module process forked from this one, as `check` and `mutants` check them."""
    from proofs.runner import Task, default_jobs, run

    outcome = run([Task(c, p) for c, p in cases], jobs=default_jobs())
    return dict(zip([(c.id, p.name) for c, p in cases], outcome.results))


@pytest.fixture(scope="session")
def seed_perturbed(request) -> dict:
    """{(claim id, perturbation name): Result} of every perturbation of the seed pack (`perturbation_results`), checked
    once per test session and shared by every worker: the results the tests of the catalogue's mutants (refuted, their
    counterexamples replayed) and of witness tampering read."""
    from proofs.model import Result

    def make(directory):
        from proofs.registry import import_here

        catalogue = import_here()
        catalogue.warm()
        computed = perturbation_results([(c, p) for c in catalogue.claims for p in c.perturbations])
        (directory / "results.json").write_text(json.dumps([[c, n, r.to_json()] for (c, n), r in computed.items()]))

    stored = json.loads((shared(request, "seed-perturbed", make) / "results.json").read_text())
    return {(claim_id, name): Result.from_json(r) for claim_id, name, r in stored}


# The scan's own course material of the tests.
SCAN_MATERIAL = Path(__file__).resolve().parent / "scan_material"


def shared_scan(request, name, *args):
    """`proofs scan ARGS --format json` run in this process once per test session (see `shared`), with a scan cache of
    its own that is empty before it: for the tests that only read what a scan of unchanged material reports (the tests
    of the scanning itself, its cache, time limits and command line, scan for themselves). Returns the exit code, the
    JSON report (read afresh for each test) and standard error; a scan that prints a traceback fails every test that
    reads it."""

    def make(directory):
        from proofs.scan.command import run

        out, err = io.StringIO(), io.StringIO()
        code = run([str(a) for a in args] + ["--format", "json"], out, err)
        assert "Traceback" not in err.getvalue(), err.getvalue()
        (directory / "scan.json").write_text(json.dumps({"returncode": code, "report": json.loads(out.getvalue()),
                                                         "stderr": err.getvalue()}))

    stored = json.loads((shared(request, name, make) / "scan.json").read_text())
    return stored["returncode"], stored["report"], stored["stderr"]


@pytest.fixture
def scan_seed(request):
    """`proofs scan --material SEED` (the seed pack's errata applied), shared per session; skipped without the sheet."""
    if not SEED_SHEET.is_file():
        pytest.skip("the seed sheet is not beside the checkout")
    return shared_scan(request, "scan-seed", "--material", SEED)


@pytest.fixture
def scan_slips(request):
    """`proofs scan --material tests/scan_material/slips`, shared per session: the scan that drafts its slips
    (`drafts_shared.slips_drafts`), whose report is the same."""
    from drafts_shared import slips_drafts

    drafted = slips_drafts(request)
    return drafted.code, drafted.report, drafted.stderr


@pytest.fixture
def scan_matrix(request):
    """`proofs scan --material tests/scan_material/matrix`, shared per session: the scan that drafts two of its steps
    (`drafts_shared.matrix_drafts`), whose report is the same."""
    from drafts_shared import matrix_drafts

    drafted = matrix_drafts(request)
    return drafted.code, drafted.report, drafted.stderr


@pytest.fixture
def scan_matrix_slips(request):
    """`proofs scan --material tests/scan_material/matrix_slips`, shared per session."""
    return shared_scan(request, "scan-matrix-slips", "--material", SCAN_MATERIAL / "matrix_slips")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, launched once per worker for every test that renders a page (each opens a page of its own);
    the test is skipped when playwright or Chromium is not installed."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (test extra) is not installed")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed and could not be (Debian package chromium)")
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, args=args)
        try:
            yield launched
        finally:
            launched.close()


class Checked(subprocess.CompletedProcess):
    """A `check` of a pack through the command: the completed process (the text report on standard output), its JSON
    report (None when it wrote none) and the report's results by id."""

    def __init__(self, proc: subprocess.CompletedProcess, report: Path | None = None) -> None:
        super().__init__(proc.args, proc.returncode, proc.stdout, proc.stderr)
        if report is not None and report.is_file():
            self.report = json.loads(report.read_text())
        else:
            self.report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
        self.results = {r["id"]: r for r in self.report["results"]} if self.report else {}
        self.load_errors = self.report["load_errors"] if self.report else []


class Packs:
    """A course a test writes and runs commands on as a user would, in the manner of pytest's `pytester`: claim
    modules in a --claims folder (`folder`), its course material (`material_dir`) and its result cache (`cache_dir`),
    all under the test's own directory.

    - `write(name=source)` writes name.py into the --claims folder; `file(path, text)` any other file of it (a data file
      a check reads, a helper package); `material(path, text)` a file of the course material.
    - `check(selector, *options)` runs `proofs check` on the folder and returns a `Checked`: the text report on
      standard output, the JSON report parsed, the results by id. `cache=True` uses the course's cache (`cache=PATH`
      another; otherwise `--no-cache`), `material=True` verifies the anchors against its material.
    - `run(command, *options)` runs any other command (`list`, `show`, `coverage`, ...) with `--claims` of the folder.

    Commands run in the test's process (`cli`) unless `process=True` (`run_cli`, with `prefix` for the interpreter's
    arguments), where the process itself is what a test looks at: exit statuses, exit hooks, signals, what a pack's
    import does to the process that imports it. `claim(...)` writes the source of a small claim whose check passes or
    fails as a test decides, for a module that starts with `HEADER`."""

    # `python -c` start-up that keeps no module process that described a module's claims for its checks, so that each
    # module is imported a second time, for its checks.
    UNKEPT = ("-c", "import sys, proofs.registry as r; r._KEPT = 0; from proofs.cli import main; sys.exit(main(sys.argv[1:]))")
    # What a module of claims written by `claim` imports.
    HEADER = "import atexit, os, signal, sys, threading, time\n\nfrom proofs import Outcome, Status, Verdict, claim\n\n"

    def __init__(self, tmp_path: Path, folder: str = "pack") -> None:
        self.tmp_path = tmp_path
        self.folder: Path = tmp_path / folder
        self.material_dir: Path = tmp_path / "material"
        self.cache_dir: Path = tmp_path / "cache"
        self._reports = 0
        # Whether every `check` must write its JSON report (an assertion, naming what the command printed, when not).
        self.reports = False

    def __truediv__(self, name) -> Path:
        """A path under the test's directory, as `tmp_path / name`."""
        return self.tmp_path / name

    def write(self, **modules: str) -> Path:
        """The --claims folder, with each module written into it (it is made on the first call)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in modules.items():
            (self.folder / f"{name}.py").write_text(text)
        return self.folder

    def file(self, path: str, text: str) -> Path:
        """Write `text` into the file at `path` under the --claims folder (its folders made); return its path."""
        return self._write(self.folder / path, text)

    def material(self, path: str, text: str) -> Path:
        """Write `text` into the course material's file at `path` (its folders made); return its path."""
        return self._write(self.material_dir / path, text)

    @staticmethod
    def _write(path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def check(self, selector: str = "all", *args, cache=False, material=False, process=False, prefix=("-m", "proofs"),
              env=None, timeout=120) -> Checked:
        """`proofs check SELECTOR --claims FOLDER ARGS`, its JSON report written to a file of its own and its text report
        to standard output."""
        self._reports += 1
        report = self.tmp_path / f"report-{self._reports}.json"
        cache = self.cache_dir if cache is True else cache
        options = [*(["--cache-dir", cache] if cache else ["--no-cache"]),
                   *(["--material", self.material_dir] if material else []),
                   "--format", "json", "--output", report, "--format", "text"]
        proc = self.run("check", selector, *options, *args, process=process, prefix=prefix, env=env, timeout=timeout)
        assert report.is_file() or not self.reports, proc.stdout + proc.stderr
        return Checked(proc, report)

    def run(self, command: str, *args, process=False, prefix=("-m", "proofs"), env=None, timeout=120) -> subprocess.CompletedProcess:
        """`proofs COMMAND ARGS --claims FOLDER` in this process, or in a process of its own with `process=True`."""
        argv = [command, *map(str, args), "--claims", str(self.folder)]
        return run_cli(*argv, env=env, timeout=timeout, prefix=prefix) if process else cli(*argv, env=env)

    @staticmethod
    def claim(claim_id: str, body: str = "holds = False") -> str:
        """The source of a claim `claim_id` (ex<N> its exercise) whose check runs `body`, lines that set `holds`: proved
        when it holds, refuted otherwise (so by default it always fails)."""
        lines = "".join(f"    {line}\n" for line in body.splitlines())
        name = claim_id.replace(".", "_")
        exercise = int(next(p for p in claim_id.split(".") if re.fullmatch(r"ex\d+", p))[2:])
        return (f"@claim({claim_id!r}, exercise={exercise}, part=None, statement='s.', asserts='s', formal='s',\n"
                f"       requires=Verdict.PROVED)\n"
                f"def {name}():\n{lines}"
                f"    return Outcome(Verdict.PROVED if holds else Verdict.REFUTED, 'inspection', {{}})\n\n\n")


@pytest.fixture
def packs(tmp_path):
    """A course to write claim packs and material into and run commands on (see `Packs`)."""
    return Packs(tmp_path)


def write_pack(tmp_path, modules):
    """A --claims folder tmp_path/pack holding each module's text under its file name (`Packs(tmp_path)`'s folder)."""
    course = Packs(tmp_path)
    for name, text in modules.items():
        course.file(name, text)
    return course.folder


def scan_steps(tmp_path, text, *args):
    """Scan one Markdown file holding `text` in this process: (exit code, {step text: JSON step})."""
    from proofs.scan.command import run

    material = tmp_path / "m"
    material.mkdir(exist_ok=True)
    (material / "a.md").write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["--material", str(material), "--format", "json", *map(str, args)], out, err)
    assert "Traceback" not in err.getvalue()
    report = json.loads(out.getvalue())
    return code, {s["text"]: s for s in report["steps"]}


def console_pattern(line: str) -> "re.Pattern[str]":
    """An expected output line of a documented console example: `…` matches anything, runs of spaces any spacing."""
    parts = [re.escape(p) for p in line.strip().split("…")]
    return re.compile(r"\s*" + ".*".join(re.sub(r"(\\ )+", r"\\s+", p) for p in parts) + r"\s*")


def console_commands(block: str):
    """(command, expected output lines) for each `$ command` of a documented console block."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("$ "):
            expected = []
            for out in lines[i + 1:]:
                if out.startswith("$ "):
                    break
                expected.append(out)
            yield line[2:], expected
