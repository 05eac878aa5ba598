"""pytest plugin: `pytest --proofs [SELECTOR]` collects every claim as a test item.

A pass is passed; an acknowledged erratum, refuted as recorded, is xfail (strict); a claim that is refuted,
too weakly supported or stale fails; a check that crashed, timed out or was left unknown by its solver, and a
pack that could not be loaded, is an error (as in the JUnit report). The messages are the CLI's. Give path options with `=`
(`--proofs-claims=DIR`): pytest reads a separate value as a test path before the plugin's options are known.
Each claim still runs in a process of its own under the runner's time and memory limits,
so the items spread over pytest-xdist workers (`-n 2`) like any other tests. A process checks the claims it is about
to run together, up to BATCH of them in one run of the checker (what they trust checked once with them), as
`check` does a selection; each item reports its own claim's result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs.report import TIMEOUT, plain

__all__ = ["ClaimItem", "ErratumRefuted"]

# The most claims a process checks in one run of the checker when an item's result is first needed: the item's own
# and those this process is to run next, in their order (a smaller batch shows progress sooner, a larger one starts
# fewer runs).
BATCH = 16


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("proofs", "checking course-material claims (proofs)")
    group.addoption("--proofs", nargs="?", const="all", default=None, metavar="SELECTOR",
                    help="collect the claims matching SELECTOR (default all; several separated by commas) as tests")
    group.addoption("--proofs-claims", action="append", default=[], type=Path, metavar="PATH",
                    help="also load the claim modules in this directory (repeatable)")
    group.addoption("--proofs-material", type=Path, default=None, metavar="DIR",
                    help="fail as stale every claim whose cited snippets are no longer in the material under DIR")
    group.addoption("--proofs-timeout", type=TIMEOUT, default=None, metavar="SECONDS",
                    help=f"per-claim time limit ({TIMEOUT.describe()})")


class ErratumRefuted(Exception):
    """The claim is an acknowledged erratum of the material and was refuted as recorded (reported as xfail)."""


def _message(item: "ClaimItem") -> str:
    from proofs.writers import ReportContext, writer_for

    writer = writer_for("text", ReportContext(claims={item.claim.id: item.claim}, rerun=item.rerun), verbosity=0)
    from proofs.writers.escape import one_line

    body = writer.add(item.result).rstrip("\n")
    shown = writer.results[-1]  # the result as the writer admitted it: bounded, with text made safe
    # the first line is what pytest's short summary shows; the rest is the CLI's report of the claim
    return f"{shown.verdict.value}: {one_line(shown.reason)}\n" + body


class ClaimItem(pytest.Item):
    """One claim of the catalogue, checked in a process of its own."""

    def __init__(self, *, claim, options: dict, rerun: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.options = options
        self.rerun = rerun
        self.result = None
        if claim.erratum is not None:
            self.add_marker(pytest.mark.xfail(strict=True, raises=ErratumRefuted,
                                              reason=f"erratum of the material: {claim.erratum.reason}"))

    def setup(self) -> None:
        from proofs.verdicts import Verdict

        self.result = self.parent.result_of(self)
        if self.result.verdict in (Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR):  # undecided: a pytest error
            pytest.fail(_message(self), pytrace=False)

    def runtest(self) -> None:
        from proofs.verdicts import Status

        if self.result.status is Status.ERRATUM:
            raise ErratumRefuted(_message(self))
        if self.result.status is Status.FAIL:
            pytest.fail(_message(self), pytrace=False)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ErratumRefuted):  # shown under --runxfail
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return Path(self.claim.file), max(self.claim.line - 1, 0), f"claim {self.claim.id}"


class LoadErrorItem(pytest.Item):
    """A claim pack that could not be loaded: an error of its own, so the run fails while the others are checked."""

    def __init__(self, *, problem, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def setup(self) -> None:
        pytest.fail(plain(f"load error: {self.problem}"), pytrace=False)

    def runtest(self) -> None:  # never reached: setup fails
        pytest.fail(plain(f"load error: {self.problem}"), pytrace=False)

    def reportinfo(self):
        return Path(self.problem.file or "."), max(self.problem.line - 1, 0), f"pack {self.problem.pack}"


class ClaimCollector(pytest.Collector):
    """The catalogue as a collector: its items are the selected claims, and a failing item per pack load error."""

    def __init__(self, *, claims, load_errors, options: dict, rerun: str, catalogue=(), **kwargs) -> None:
        super().__init__(**kwargs)
        self.claims, self.load_errors, self.options, self.rerun = claims, load_errors, options, rerun
        self.catalogue = tuple(catalogue)
        self.results: dict = {}  # claim id -> its result, from the batches this process ran

    def result_of(self, item: ClaimItem):
        """The item's result: checked now, in one run with the claims this process runs next (see BATCH), unless an
        earlier batch already checked it."""
        if item.claim.id not in self.results:
            self._check([item.claim, *(c for c in _upcoming(item) if c.id not in self.results)][:BATCH])
        return self.results[item.claim.id]

    def _check(self, batch) -> None:
        from proofs.links import with_trusted
        from proofs.runner import Task, run

        # the claims and what they trust, each after what it trusts: the order and the tasks `check` runs for them
        tasks = [Task(c) for c in with_trusted(batch, self.catalogue or batch)]
        outcome = run(tasks, **self.options)
        if outcome.interrupted:  # Ctrl-C (or SIGTERM) stops the session, as it stops any other test run
            raise KeyboardInterrupt
        got = [r.id for r in outcome.results]
        if got != [t.claim.id for t in tasks]:
            pytest.fail(f"the runner returned results for {got} when asked for {[t.claim.id for t in tasks]}", pytrace=False)
        self.results.update((c.id, r) for c, r in zip(batch, (outcome.results[got.index(c.id)] for c in batch)))

    def collect(self):
        for problem in self.load_errors:
            yield LoadErrorItem.from_parent(self, name=f"load[{problem.pack}]", problem=problem)
        for c in self.claims:  # what it trusts is checked with it, in its batch (`_check`)
            yield ClaimItem.from_parent(self, name=c.id, claim=c, options=self.options, rerun=self.rerun)


def _upcoming(item: ClaimItem) -> list:
    """The claims of the items this process runs after `item`, in order: under pytest-xdist, those its worker has
    been sent and not yet run (another worker may take some of them away: it then checks them itself); otherwise the
    session's items after it."""
    session = item.session
    if not hasattr(session.config, "workerinput"):
        pending = session.items[session.items.index(item) + 1:] if item in session.items else []
    else:
        try:
            worker = next(p for p in session.config.pluginmanager.get_plugins() if hasattr(p, "torun") and hasattr(p, "nextitem_index"))
            with worker.torun.lock() as queue:
                indices = [worker.nextitem_index, *queue]
            pending = [session.items[i] for i in indices if isinstance(i, int) and 0 <= i < len(session.items)]
        except Exception:  # noqa: BLE001 - a pytest-xdist without this queue: the item is checked in a batch of its own
            pending = []
    return [i.claim for i in pending if isinstance(i, ClaimItem) and i.parent is item.parent]


def pytest_unconfigure(config: pytest.Config) -> None:
    """End the fork server, with its module processes and what pack code left behind in them."""
    from proofs import processes

    processes.stop_server()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    selector = config.getoption("proofs")
    if selector is None:
        return
    from proofs.errors import UsageError
    from proofs.registry import LoadError, load, select
    from proofs.report import DEFAULT_TIMEOUT, rerun_prefix

    paths, material = config.getoption("proofs_claims"), config.getoption("proofs_material")
    if material is not None and not material.is_dir():
        raise pytest.UsageError(f"--proofs-material {material}: not a directory")
    catalogue = load(paths)  # described by module processes: no pack code runs in pytest's process
    try:
        claims = select(catalogue, [s for s in selector.split(",") if s])
    except UsageError as exc:
        if not catalogue.errors:  # otherwise the claims asked for may be in a pack that did not load
            raise pytest.UsageError(f"--proofs: {exc}") from None
        claims = []
    load_errors = catalogue.errors
    try:
        catalogue.warm()
    except Exception as exc:  # noqa: BLE001 - a PRELOAD step that fails is an error item of its own, not a crash of pytest
        load_errors = (*load_errors, LoadError("PRELOAD", "", 0, f"{type(exc).__name__}: {exc}"))
    # the module processes that described the claims are not kept for their checks: each batch's module processes
    # import and warm up their modules afresh, and report a warm-up that fails as the command does
    from proofs.registry import _release

    _release()
    options = {"timeout": config.getoption("proofs_timeout") or DEFAULT_TIMEOUT,
               "material": str(material) if material is not None else None}
    collector = ClaimCollector.from_parent(session, name="proofs", nodeid="proofs", claims=claims,
                                           load_errors=load_errors, options=options, catalogue=catalogue.claims,
                                           rerun=rerun_prefix(paths, material))
    # genitems reports the collection as pytest's own collectors do (counts, --collect-only, collection errors)
    items.extend(session.genitems(collector))
