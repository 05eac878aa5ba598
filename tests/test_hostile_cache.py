"""The result cache against hostile packs: what a check reads is rechecked, planted and damaged entries are never used."""

import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from conftest import Packs
from proofs.cache import ResultCache, digest_inputs
from proofs.registry import load
from proofs.runner import Task, run

PACKS = Path(__file__).resolve().parent / "hostile" / "cache"


def _course(tmp_path, pack):
    """A course whose pack is the hostile module `pack`, checked with its cache, every check writing its report. The
    checks run in this process (`Packs.check`: its module processes are forked from the session's fork server, as a
    command's are) unless a test needs a time limit against a run that may hang; then every run of the test does, since
    what the checking process has imported is part of the cache's key."""
    course = Packs(tmp_path)
    course.write(**{pack: (PACKS / f"{pack}.py").read_text()})
    course.reports = True
    return course


@pytest.fixture
def readers(tmp_path):
    course = _course(tmp_path, "readers")
    (course / "data.txt").write_text("6")
    (course / "lib").mkdir()
    (course / "lib" / "readers_middle.py").write_text("MIDDLE = 6\n")
    (course / "box").mkdir()
    (course / "box" / "only").write_text("")
    return course


@pytest.mark.slow
def test_a_result_is_checked_again_exactly_when_something_its_check_read_changed(readers):
    env = {"READS_MIDDLE": "6"}
    checked = readers.check("readers", cache=True, env=env, timeout=90)
    code, first = checked.returncode, checked.results
    assert code == 0 and all(r["cached"] is None for r in first.values()), first
    checked = readers.check("readers", cache=True, env=env, timeout=90)
    code, second = checked.returncode, checked.results
    cached = {i for i, r in second.items() if r["cached"] is not None}
    assert code == 0 and cached == set(second) - {"readers.ex1.a.program"}  # a program's reads cannot be recorded
    middle = readers / "lib" / "readers_middle.py"
    changes = {
        "environment": (lambda: env.update(READS_MIDDLE="5"), lambda: env.update(READS_MIDDLE="6")),
        "data_file": (lambda: (readers / "data.txt").write_text("5"), lambda: (readers / "data.txt").write_text("6")),
        # a different length, so that Python does not reuse the module's compiled form either
        "late_module": (lambda: middle.write_text("MIDDLE = 5  # edited\n"), lambda: middle.write_text("MIDDLE = 6\n")),
        "listing": (lambda: (readers / "box" / "another").write_text(""), lambda: (readers / "box" / "another").unlink()),
        "existence": (lambda: (readers / "stop").write_text(""), lambda: (readers / "stop").unlink()),
    }
    for slug, (change, undo) in changes.items():
        change()
        checked = readers.check("readers", cache=True, env=env, timeout=90)
        code, results = checked.returncode, checked.results
        changed = results[f"readers.ex1.a.{slug}"]
        assert code == 1 and changed["status"] == "fail" and changed["cached"] is None, (slug, changed)
        others = {i for i, r in results.items() if r["cached"] is not None}
        assert others == cached - {f"readers.ex1.a.{slug}"}, slug
        undo()
    checked = readers.check("readers", cache=True, env=env, timeout=90)
    code, last = checked.returncode, checked.results
    assert code == 0 and {i for i, r in last.items() if r["cached"] is not None} == cached


@pytest.fixture
def metadata(tmp_path):
    course = _course(tmp_path, "metadata")
    for name in ("data.txt", "plain.txt", "run.sh"):
        (course / name).write_text("6")
    (course / "six").symlink_to("6")
    (course / "box").mkdir()
    (course / "box" / "only").write_text("6")
    (course / "real").mkdir()
    (course / "other").mkdir()
    (course / "via").symlink_to("real")
    return course


@pytest.mark.slow
def test_a_change_only_metadata_shows_rechecks_the_claims_that_looked_at_it(metadata):
    checked = metadata.check("metadata", cache=True, timeout=90)
    code, first = checked.returncode, checked.results
    assert code == 0 and all(r["cached"] is None for r in first.values()), first
    checked = metadata.check("metadata", cache=True, timeout=90)
    code, second = checked.returncode, checked.results
    assert code == 0 and all(r["cached"] is not None for r in second.values()), second

    def relink(path, target):
        path.unlink()
        path.symlink_to(target)

    def replace_by_link(path):  # by a link to a file of the same content: what opening it reads is unchanged
        (metadata / "copy.txt").write_text(path.read_text())
        relink(path, metadata / "copy.txt")

    def replace_by_file(path):
        path.unlink()
        path.write_text("6")

    changes = {
        "mode": (lambda: (metadata / "data.txt").chmod(0o755), lambda: (metadata / "data.txt").chmod(0o644)),
        "link": (lambda: replace_by_link(metadata / "plain.txt"), lambda: replace_by_file(metadata / "plain.txt")),
        "target": (lambda: relink(metadata / "six", "5"), lambda: relink(metadata / "six", "6")),
        "access": (lambda: (metadata / "run.sh").chmod(0o755), lambda: (metadata / "run.sh").chmod(0o644)),
        "entry": (lambda: replace_by_link(metadata / "box" / "only"), lambda: replace_by_file(metadata / "box" / "only")),
        "resolved": (lambda: relink(metadata / "via", "other"), lambda: relink(metadata / "via", "real")),
    }
    for slug, (change, undo) in changes.items():
        change()
        checked = metadata.check("metadata", cache=True, timeout=90)
        code, results = checked.returncode, checked.results
        changed = results[f"metadata.ex1.a.{slug}"]
        assert code == 1 and changed["status"] == "fail" and changed["cached"] is None, (slug, changed)
        undo()
    checked = metadata.check("metadata", cache=True, timeout=90)
    code, last = checked.returncode, checked.results
    assert code == 0, last


@pytest.fixture
def loaded(tmp_path):
    course = _course(tmp_path, "loaded")
    (course / "pack" / ".data").mkdir()
    (course / "pack" / ".data" / "middle.txt").write_text("6")
    (course / "outside").mkdir()
    (course / "outside" / "middle.txt").write_text("6")
    (course / "pack" / "linked").symlink_to(course / "outside", target_is_directory=True)
    return course


@pytest.mark.parametrize("where", [".data", "outside"], ids=["a dot-folder", "a linked folder"])
def test_a_file_the_pack_reads_when_it_loads_is_part_of_the_key(loaded, where):
    assert loaded.check("loaded", cache=True, timeout=90).returncode == 0
    checked = loaded.check("loaded", cache=True, timeout=90)
    code, results = checked.returncode, checked.results
    assert code == 0 and all(r["cached"] is not None for r in results.values())
    folder = loaded / "pack" / ".data" if where == ".data" else loaded / "outside"
    (folder / "middle.txt").write_text("5")
    checked = loaded.check("loaded", cache=True, timeout=90)
    code, results = checked.returncode, checked.results
    failed = results["loaded.ex1.a.hidden" if where == ".data" else "loaded.ex1.a.linked"]
    assert code == 1 and failed["status"] == "fail" and failed["cached"] is None


def test_junk_in_a_pack_folder_neither_crashes_nor_hangs_the_digest(loaded):
    pack = loaded / "pack"
    (pack / ".#loaded.py").symlink_to("root@host.1234:1700000000")  # an editor's lock: a dangling link
    os.mkfifo(pack / "pipe")
    os.mkfifo(pack / ".data" / "pipe")
    (pack / "loop").symlink_to(pack / "loop")
    (pack / ".data" / "cycle").symlink_to(pack, target_is_directory=True)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(pack / "sock"))
        # in a process of its own, whose time limit fails a digest that hangs on the junk (both runs: what a process
        # has imported is part of the key, so a run here would not reuse what a process stored)
        for _ in range(2):
            checked = loaded.check("loaded", cache=True, process=True, timeout=90)
            code, results = checked.returncode, checked.results
            assert code == 0
        assert all(r["cached"] is not None for r in results.values())
    finally:
        server.close()


def test_a_digest_walks_dot_folders_and_linked_folders_once_each(tmp_path):
    root = tmp_path / "pack"
    (root / ".hidden").mkdir(parents=True)
    (root / ".hidden" / "x.txt").write_text("1")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "y.txt").write_text("1")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "linked_again").symlink_to(root, target_is_directory=True)
    (root / ".git").mkdir()
    (root / "__pycache__").mkdir()
    base = digest_inputs([root], {}, modules={})
    for skipped in (root / ".git" / "HEAD", root / "__pycache__" / "m.pyc"):
        skipped.write_text("ignored")
        assert digest_inputs([root], {}, modules={}) == base
    for digested in (root / ".hidden" / "x.txt", tmp_path / "elsewhere" / "y.txt"):
        digested.write_text("2")
        assert digest_inputs([root], {}, modules={}) != base
        digested.write_text("1")
        assert digest_inputs([root], {}, modules={}) == base


def test_a_cache_folder_inside_a_pack_is_not_part_of_the_key(tmp_path):
    root = tmp_path / "pack"
    root.mkdir()
    (root / "m.py").write_text("X = 1\n")
    base = digest_inputs([root], {}, modules={})
    cache = ResultCache(root / ".proofs_cache", "0" * 64)
    cache._prepare(cache.directory / cache.folder)
    (cache.directory / cache.folder / "entry.json").write_text("{}")
    assert digest_inputs([root], {}, modules={}) == base


@pytest.fixture(scope="module")
def plain_checked(tmp_path_factory):
    """The `plain` course checked once with its cache, in a process of its own as the runs of the tests that damage a
    copy of its cache (what a process has imported is part of the key)."""
    course = _course(tmp_path_factory.mktemp("plain"), "plain")
    assert course.check("plain", cache=True, process=True, timeout=90).returncode == 0
    return course


@pytest.mark.parametrize("damage", ["deep", "fifo", "directory", "link", "binary"])
def test_a_damaged_entry_is_ignored_without_crashing_or_hanging(tmp_path, damage, plain_checked):
    course, cache = plain_checked, tmp_path / "cache"
    shutil.copytree(course.cache_dir, cache, symlinks=True)
    entry = next(cache.glob("*/plain.ex1.b.holds.json"))
    good = json.loads(entry.read_text())
    entry.unlink()
    if damage == "deep":
        entry.write_text("[" * 100000 + "]" * 100000)
    elif damage == "fifo":
        os.mkfifo(entry)
    elif damage == "directory":
        entry.mkdir()
        (entry / "x.json").write_text(json.dumps(good))
    elif damage == "link":
        (tmp_path / "elsewhere.json").write_text(json.dumps(good))
        entry.symlink_to(tmp_path / "elsewhere.json")
    else:
        entry.write_bytes(b"\xff\xfe{" + os.urandom(64))
    # in a process of its own, whose time limit fails a run that hangs on the damaged entry
    checked = course.check("plain", cache=cache, process=True, timeout=90)
    code, results = checked.returncode, checked.results
    assert code == 0
    assert results["plain.ex1.b.holds"]["cached"] is None
    assert results["plain.ex1.a.holds"]["cached"] is not None and results["plain.ex1.c.holds"]["cached"] is not None


def test_an_entry_a_check_plants_is_removed_when_the_run_is_sealed(tmp_path):
    course = _course(tmp_path, "planter")
    catalogue = load([course / "pack"], entry_points=False)
    claims = {c.id: c for c in catalogue.claims}
    digest = digest_inputs(catalogue.roots, {})
    directory = course / "cache"
    victim, planter = claims["planter.ex1.a.victim"], claims["planter.ex1.b.planter"]
    cache = ResultCache(directory, digest)
    digest = cache.folder  # entries are kept under what every claim shares, each keyed on its own modules too
    first = run([Task(victim), Task(planter)], cache=cache)  # the runner seals the cache when the run ends
    assert [r.status.value for r in first.results] == ["fail", "pass"]
    # the check runs in a process forked from its module's, which never held the checker's cache object
    assert first.results[1].evidence["caches found"] == 0
    assert not (directory / digest / f"{victim.id}.json").exists()
    assert sorted(p.name for p in directory.iterdir() if p.is_dir()) == [digest]  # the other digest's folder is gone too
    assert (directory / digest / f"{planter.id}.json").exists()  # the checker's own entry was kept
    forged = json.loads((directory / digest / f"{planter.id}.json").read_text())
    forged.update(claim=victim.id, result={**forged["result"], "id": victim.id, "part": "a", "statement": victim.statement},
                  reads={"entries": [], "unrecordable": []})
    (directory / digest / f"{victim.id}.json").write_text(json.dumps(forged))  # as a check would, during a run
    assert cache.get(victim) is not None  # a well-made forgery is a valid entry ...
    cache.seal()  # ... until the run that saw it appear ends
    assert ResultCache(directory, cache.inputs).get(victim) is None and (directory / digest / f"{planter.id}.json").exists()


def test_only_the_process_that_opened_the_cache_stores_results(tmp_path):
    from proofs import Outcome, Verdict, claim
    from proofs.evaluate import evaluate

    @claim("unit.ex9.proved", exercise=9, part=None, statement="s", asserts="a", formal="f", requires=Verdict.PROVED)
    def proved():
        return Outcome(Verdict.PROVED, "by fiat", {})

    cache = ResultCache(tmp_path / "cache", "f" * 64)
    result = evaluate(proved)
    pid = os.fork()
    if pid == 0:
        os._exit(3 if cache.put(proved, result) else 0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and not list(tmp_path.glob("cache/*/*.json"))
    assert cache.put(proved, result) and len(list(tmp_path.glob("cache/*/*.json"))) == 1


def test_sealing_removes_every_kind_of_stranger_and_keeps_what_was_there(tmp_path):
    directory = tmp_path / "cache"
    (directory / "old").mkdir(parents=True)
    (directory / "old" / "kept.json").write_text("{}")
    cache = ResultCache(directory, "d" * 64)
    (directory / "old" / "new.json").write_text("{}")
    (directory / "old" / "kept.json").write_text('{"changed": true}')
    os.mkfifo(directory / "old" / "fifo.json")
    (directory / "old" / "dir.json").mkdir()
    (directory / "planted").mkdir()
    (directory / "planted" / "x.json").write_text("{}")
    (directory / "linked").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "outside.txt").write_text("not the cache's to remove")
    cache.seal()
    assert sorted(p.name for p in directory.iterdir()) == ["old"]
    assert list((directory / "old").iterdir()) == []
    assert (tmp_path / "outside.txt").exists()


def test_a_cache_directory_replaced_during_the_run_is_removed_not_followed(tmp_path):
    directory = tmp_path / "cache"
    directory.mkdir()
    cache = ResultCache(directory, "d" * 64)
    directory.rmdir()
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "precious.txt").write_text("keep")
    directory.symlink_to(tmp_path / "victim", target_is_directory=True)
    cache.seal()
    assert not directory.exists() and not directory.is_symlink()
    assert (tmp_path / "victim" / "precious.txt").read_text() == "keep"
    assert stat.S_ISDIR(os.stat(tmp_path / "victim").st_mode)


def test_a_check_cannot_get_another_claim_reused_through_the_command_line(tmp_path):
    course = _course(tmp_path, "planter")
    for _ in range(2):
        checked = course.check("planter", cache=True, timeout=90)
        code, results = checked.returncode, checked.results
        victim = results["planter.ex1.a.victim"]
        assert code == 1 and victim["status"] == "fail" and victim["cached"] is None
        assert results["planter.ex1.b.planter"]["evidence"]["caches found"] == 0  # not in the check's process
    assert not list((course / "cache").glob("*/planter.ex1.a.victim.json"))


def test_what_a_pack_reads_while_it_is_imported_is_in_the_key(tmp_path):
    course = _course(tmp_path, "importer")
    data = tmp_path / "data"
    data.mkdir()
    (data / "middle.txt").write_text("6")
    env = {"IMPORTER_DATA": str(data)}
    assert course.check("importer", cache=True, env=env, timeout=90).returncode == 0
    checked = course.check("importer", cache=True, env=env, timeout=90)
    code, again = checked.returncode, checked.results
    assert code == 0 and again["importer.ex1.a.square"]["cached"] is not None
    (data / "middle.txt").write_text("7")  # outside the pack: only the record of what loading read sees it
    checked = course.check("importer", cache=True, env=env, timeout=90)
    code, changed = checked.returncode, checked.results
    assert code == 1 and changed["importer.ex1.a.square"]["cached"] is None
    assert changed["importer.ex1.a.square"]["verdict"] == "refuted"
