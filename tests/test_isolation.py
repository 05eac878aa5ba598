"""Each claim is checked in a process forked from one that imported its own pack module and no other: what another
module does when it is imported cannot change its verdict, and a module process that dies fails only its claims."""

import os
import sys
import time

import pytest

from conftest import Packs

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server runs on Linux")

HEADER = Packs.HEADER
_claim = Packs.claim


MEDDLER = (
    HEADER + "import statistics\n\nimport _shared\n\n"
    "statistics.mean = lambda data: -1  # a library function patched\n"
    "os.environ['PROOFS_TEST_MEDDLED'] = 'yes'  # the environment changed\n"
    "_shared.VALUE = 99  # a helper module shared with other modules mutated\n\n\n"
    + _claim("meddler.ex1.own_effects", "import statistics\nholds = _shared.VALUE == 99 and statistics.mean([1, 3]) == -1")
    + "CLAIMS = (meddler_ex1_own_effects,)\n"
)
VICTIM = (
    HEADER + "import _shared\n\n\n"
    + _claim("victim.ex2.library", "import statistics\nholds = statistics.mean([1, 3]) == 2")
    + _claim("victim.ex2.environment", "holds = 'PROOFS_TEST_MEDDLED' not in os.environ")
    + _claim("victim.ex2.helper", "holds = _shared.VALUE == 1")
    + _claim("victim.ex2.alone", "holds = not any(name.endswith('_meddler') for name in sys.modules)")
    + "CLAIMS = (victim_ex2_library, victim_ex2_environment, victim_ex2_helper, victim_ex2_alone)\n"
)


@linux_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_modules_import_time_effects_cannot_change_another_modules_verdict(packs, jobs):
    packs.write(**{"_shared": "VALUE = 1\n", "meddler": MEDDLER, "victim": VICTIM})
    proc = packs.check("*.ex[0-9]*", "--jobs", jobs, process=True)
    results = proc.results
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {i: r["status"] for i, r in results.items()} == dict.fromkeys(
        ["meddler.ex1.own_effects", "victim.ex2.library", "victim.ex2.environment", "victim.ex2.helper", "victim.ex2.alone"],
        "pass")


KILLER = (
    HEADER + "import signal\n\n\n"
    + _claim("killer.ex3.kills", "os.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(30)\nholds = True")
    + _claim("killer.ex3.after", "holds = True")
    + "CLAIMS = (killer_ex3_kills, killer_ex3_after)\n"
)
STOPPER = (
    HEADER + "import signal\n\n\n"
    + _claim("stopper.ex4.stops", "os.kill(os.getppid(), signal.SIGSTOP)\nimport time\ntime.sleep(60)\nholds = True")
    + "CLAIMS = (stopper_ex4_stops,)\n"
)
HANGER = HEADER + _claim("hanger.ex5.hangs", "import time\ntime.sleep(60)\nholds = True") + "CLAIMS = (hanger_ex5_hangs,)\n"
FINE = HEADER + _claim("fine.ex6.holds", "holds = True") + "CLAIMS = (fine_ex6_holds,)\n"


@linux_only
def test_a_check_that_kills_its_module_process_fails_closed_and_spares_the_others(packs):
    packs.write(**{"killer": KILLER, "fine": FINE})
    proc = packs.check("*.ex[0-9]*", "--jobs", "1", process=True)
    results = proc.results
    assert proc.returncode == 1, proc.stdout + proc.stderr
    kills = results["killer.ex3.kills"]
    assert kills["status"] == "fail" and kills["verdict"] == "error"
    assert "its module process ended before reporting the result" in kills["reason"]
    assert results["killer.ex3.after"]["status"] == "pass"  # checked in a module process started again
    assert results["fine.ex6.holds"]["status"] == "pass"


@linux_only
def test_a_check_that_stops_or_hangs_fails_with_a_timeout_and_spares_the_others(packs):
    started = time.monotonic()
    packs.write(**{"stopper": STOPPER, "hanger": HANGER, "fine": FINE})
    proc = packs.check("*.ex[0-9]*", "--jobs", "2", "--timeout", "1", process=True)
    results = proc.results
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert results["hanger.ex5.hangs"]["verdict"] == "timeout" and "killed after 1 s" in results["hanger.ex5.hangs"]["reason"]
    stops = results["stopper.ex4.stops"]
    assert stops["verdict"] == "timeout" and "its module process did not report it" in stops["reason"]
    assert results["fine.ex6.holds"]["status"] == "pass"
    assert time.monotonic() - started < 100  # the stopped module process was killed, not waited for


def test_a_module_process_that_dies_while_importing_makes_its_claims_errors(packs):
    # the second import of the module (for its checks, the process that described its claims not kept) ends its process
    dies = (
        "import os\nfrom pathlib import Path\n\n"
        "_count = Path(__file__).with_name('imports.txt')\n"
        "_count.write_text(_count.read_text() + 'x' if _count.exists() else 'x')\n"
        "if len(_count.read_text()) >= 2:\n    os._exit(3)\n\n"
        + HEADER + _claim("dies.ex7.a", "holds = True") + _claim("dies.ex7.b", "holds = True")
        + "CLAIMS = (dies_ex7_a, dies_ex7_b)\n"
    )
    packs.write(**{"dies": dies, "fine": FINE})
    proc = packs.check("*.ex[0-9]*", "--jobs", "2", process=True, prefix=packs.UNKEPT)
    results = proc.results
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for claim_id in ("dies.ex7.a", "dies.ex7.b"):
        assert results[claim_id]["verdict"] == "error", results[claim_id]
        assert "its module process ended before reporting" in results[claim_id]["reason"]
    assert results["fine.ex6.holds"]["status"] == "pass"


def test_a_module_that_raises_when_imported_again_makes_its_claims_errors_naming_the_line(packs):
    raises = (
        "from pathlib import Path\n\n"
        "_count = Path(__file__).with_name('raises.txt')\n"
        "_count.write_text(_count.read_text() + 'x' if _count.exists() else 'x')\n"
        "if len(_count.read_text()) >= 2:\n    raise RuntimeError('not this time')\n\n"
        + HEADER + _claim("raises.ex8.a", "holds = True") + "CLAIMS = (raises_ex8_a,)\n"
    )
    packs.write(**{"raises": raises, "fine": FINE})
    proc = packs.check("*.ex[0-9]*", process=True, prefix=packs.UNKEPT)
    results = proc.results
    assert proc.returncode == 1
    reason = results["raises.ex8.a"]["reason"]
    assert "its module could not be loaded (imported and warmed up) in a process of its own" in reason and "raises.py:6" in reason
    assert "RuntimeError: not this time" in reason and results["fine.ex6.holds"]["status"] == "pass"


def test_claims_made_outside_a_pack_are_still_checked_in_a_child(tmp_path):
    from proofs import Outcome, Verdict, claim
    from proofs.registry import units_of
    from proofs.runner import Task, run

    @claim("made.ex9.here", exercise=9, part=None, statement="s.", asserts="s", formal="s", requires=Verdict.PROVED)
    def here():
        return Outcome(Verdict.PROVED, "inspection", {"pid": os.getpid()})

    assert units_of(here) is None
    (result,) = run([Task(here)]).results
    assert result.status.value == "pass" and result.evidence["pid"] != os.getpid()


@linux_only
def test_a_check_sees_the_engine_fully_imported(packs):
    engine = ("import proofs, proofs.runner, proofs.registry, proofs.processes\n"
              "holds = proofs.runner.DEFAULT_TIMEOUT > 0 and proofs.registry.load is not None "
              "and proofs.processes.server is not None")
    packs.write(**{"engine": HEADER + _claim("engine.ex1.attributes", engine)
                                   + "CLAIMS = (engine_ex1_attributes,)\n"})
    proc = packs.check("*.ex[0-9]*", process=True)
    results = proc.results
    assert proc.returncode == 0 and results["engine.ex1.attributes"]["status"] == "pass", (proc.stderr, results)


COUNTED = (HEADER + "with open(os.path.join(os.path.dirname(__file__), '..', 'imports.log'), 'a') as log:\n"
           "    log.write(f'{os.getpid()}\\n')\n\n" + _claim("counted.ex1.holds", "holds = True")
           + _claim("counted.ex1.also", "holds = True") + "CLAIMS = (counted_ex1_holds, counted_ex1_also)\n")


@linux_only
def test_a_pack_module_is_imported_once_per_check_and_never_by_the_checker(packs):
    packs.write(counted=COUNTED)
    log = packs.tmp_path / "imports.log"
    proc = packs.check("counted")  # the checker is this process
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pids = log.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    assert not [name for name in sys.modules if name.endswith("_counted")]
    log.unlink()
    proc = packs.check("*.ex[0-9]*", process=True)  # through the command, too: once, in a process that is not the command's
    results = proc.results
    assert proc.returncode == 0 and sorted(results) == ["counted.ex1.also", "counted.ex1.holds"], proc.stderr
    pids = log.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
