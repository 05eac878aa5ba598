"""Material scanned and drafted once per test session (`scan --draft-claims`), for every test that reads its drafts or report."""

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import SCAN_MATERIAL, shared


@dataclass(frozen=True)
class Drafted:
    """What one `scan --draft-claims ... --format json` run of a material reported and wrote (made by `drafted`)."""

    code: int         # the scan's exit code
    report: dict      # its JSON report, read afresh for each test
    stderr: str       # its standard error
    folder: Path      # the drafts it wrote: shared by the session's tests, never to be changed (see `only`)


def drafted(request, name: str, *args) -> Drafted:
    """`proofs scan ARGS --draft-claims DIR --format json` run in this process once per test session (conftest's
    `shared`, with a result cache of its own), the drafts written into the run's directory. A scan that prints a
    traceback, or a report that is not one JSON document, fails every test that reads it."""

    def make(directory):
        from proofs.scan.command import run

        out, err = io.StringIO(), io.StringIO()
        code = run([*map(str, args), "--draft-claims", str(directory / "drafts"), "--format", "json"], out, err)
        assert "Traceback" not in err.getvalue(), err.getvalue()
        (directory / "scan.json").write_text(json.dumps({"returncode": code, "report": json.loads(out.getvalue()),
                                                         "stderr": err.getvalue()}))

    directory = shared(request, name, make)
    stored = json.loads((directory / "scan.json").read_text())
    return Drafted(stored["returncode"], stored["report"], stored["stderr"], directory / "drafts")


def only(drafts: Drafted, folder: Path, *names: str) -> Path:
    """`folder` made to hold copies of the drafts `names` only (the ones a test checks, or changes)."""
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(drafts.folder / name, folder / name)
    return folder


# A scan that drafts reports what a scan of the same material that does not draft reports (the drafting only adds the
# files), so one run serves the tests of the drafts and the tests of the report.

def audit_drafts(request) -> Drafted:
    """The audit material's backpropagation sheet drafted (its refuted steps, and the true step of line 19 chosen):
    read by tests/test_scan_draft_matrix.py's test of its drafts and tests/test_scan_matrices.py's test of its slips."""
    folder = SCAN_MATERIAL / "matrix_audit"
    return drafted(request, "drafts-matrix-audit", "--material", folder, folder / "backprop.md", "--select", "backprop.md:19")


def matrix_drafts(request) -> Drafted:
    """The true matrix material scanned, lines 69 and 73 of its backpropagation sheet drafted: conftest's `scan_matrix`
    report and tests/test_scan_matrices.py's drafts."""
    folder = SCAN_MATERIAL / "matrix"
    return drafted(request, "drafts-matrix", "--material", folder, "--select", "backprop.md:69", "--select", "backprop.md:73")


def slips_drafts(request) -> Drafted:
    """The planted slips scanned and drafted, and a correct step chosen (line 13 of slips.md): conftest's `scan_slips`
    report and tests/test_scan_draft.py's drafts."""
    return drafted(request, "drafts-slips", "--material", SCAN_MATERIAL / "slips", "--select", "slips.md:13")
