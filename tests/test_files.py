"""Every file a user names is read by proofs.files: whole, bounded, never blocking on a FIFO or device."""

import os

import pytest
from hypothesis import given, strategies as st

from conftest import run_cli
from proofs.files import Unreadable, nested_within, read_regular


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 3000)
    assert read_regular(path, 3000) == b"x" * 3000
    link = tmp_path / "link"
    link.symlink_to(path)
    assert read_regular(link, 3000) == b"x" * 3000


@pytest.mark.parametrize("make, kind", [
    (lambda p: None, "missing"),
    (lambda p: p.mkdir(), "not regular"),
    (lambda p: os.mkfifo(p), "not regular"),
    (lambda p: p.write_bytes(b"x" * 101), "too large"),
    (lambda p: p.symlink_to(p.parent / "nowhere"), "missing"),
])
def test_what_is_not_a_small_regular_file_is_refused_without_blocking(tmp_path, make, kind):
    path = tmp_path / "f"
    make(path)
    with pytest.raises(Unreadable) as caught:
        read_regular(path, 100)
    assert caught.value.kind == kind


@given(st.recursive(st.none() | st.integers() | st.text(alphabet='[]{}"\\ab'), lambda c: st.lists(c) | st.dictionaries(st.text(alphabet='[]{}"a'), c),
                    max_leaves=30))
def test_nesting_is_measured_as_json_parses_it(value):
    import json

    def depth(v):
        if isinstance(v, list):
            return 1 + max(map(depth, v), default=0)
        if isinstance(v, dict):
            return 1 + max(map(depth, v.values()), default=0)
        return 0

    data = json.dumps(value).encode()
    assert nested_within(data, depth(value)) and (depth(value) == 0 or not nested_within(data, depth(value) - 1))


@pytest.mark.parametrize("command", [
    ("coverage", "--material", "{material}", "--exclusions", "{fifo}"),
    ("check", "ex1.b", "--material", "{material}", "--exclusions", "{fifo}", "--format", "annotated", "--output", "{out}"),
    ("check", "ex1.b", "--exclusions", "{missing}"),
    ("merge", "{fifo}"),
    ("audit", "--baseline", "{fifo}"),
    ("scan", "--material", "{material}", "--acknowledged", "{fifo}"),
])
def test_a_named_input_that_is_a_fifo_or_missing_is_a_usage_error_before_anything_runs(tmp_path, command):
    material = tmp_path / "material"
    material.mkdir()
    (material / "a.md").write_text("$x = 1$\n")
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    places = {"material": material, "fifo": fifo, "missing": tmp_path / "none.toml", "out": tmp_path / "sheet.html"}
    proc = run_cli(*(part.format(**places) for part in command))
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: ") and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "sheet.html").exists()


@pytest.mark.parametrize("command", [
    ("coverage", "--material", "{material}", "--exclusions", "{deep}"),
    ("scan", "--material", "{material}", "--acknowledged", "{deep}"),
])
def test_a_reviewed_list_nested_too_deeply_is_a_usage_error(tmp_path, command):
    material = tmp_path / "material"
    material.mkdir()
    (material / "a.md").write_text("$x = 1$\n")
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    proc = run_cli(*(part.format(material=material, deep=deep) for part in command))
    assert proc.returncode == 4 and "nested too deeply" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("make, problem", [
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: p.write_bytes(b" " * (2**20 + 1)), "larger than 1 MiB"),
    (lambda p: None, "cannot be read (No such file or directory)"),
])
def test_the_json_and_toml_files_a_user_names_are_refused_in_the_same_words(tmp_path, make, problem):
    from proofs.files import read_json, reviewed_entries

    path = tmp_path / "named"
    make(path)
    with pytest.raises(ValueError) as read:
        read_json(path, 2**20, 8, lambda p: ValueError(f"named: {p}"))
    with pytest.raises(ValueError) as reviewed:
        reviewed_entries(path, "named", "entry", "entry", {"a": str}, ["a"], 2**20, ValueError)
    assert str(read.value) == str(reviewed.value) == f"named: {problem}"
