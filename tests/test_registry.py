from pathlib import Path

import pytest

from proofs.errors import PackError, UsageError
from proofs.registry import load, select

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_seed_pack_is_loaded_with_unique_ids(catalogue):
    ids = catalogue.ids()
    assert len(ids) == len(set(ids)) and any(i.startswith("ex1.") for i in ids)
    assert {c.pack for c in catalogue.claims} == {"seed"}


def test_selectors(catalogue):
    assert select(catalogue, ["all"]) == list(catalogue.claims)
    assert [c.id for c in select(catalogue, ["ex1.b"])] == ["ex1.b.conv_units", "ex1.b.conv_params"]
    assert [c.id for c in select(catalogue, ["ex2.weights.example_sequence"])] == ["ex2.weights.example_sequence"]
    assert {c.id for c in select(catalogue, ["ex1.*.pool*"])} == {"ex1.c.pool_units"}
    assert select(catalogue, ["ex1.zz*"]) == []


def test_selection_keeps_catalogue_order_without_repeats(catalogue):
    chosen = select(catalogue, ["ex2", "ex1", "ex1.a.receptive_field"])
    assert [c.id for c in chosen] == [c.id for c in catalogue.claims if c.id.startswith(("ex1.", "ex2."))]


def test_prefix_does_not_match_partial_segment(catalogue):
    with pytest.raises(UsageError):
        select(catalogue, ["ex1.b.conv"])


def test_unknown_selector_names_closest(catalogue):
    with pytest.raises(UsageError, match="closest: ex1.b.conv_units"):
        select(catalogue, ["ex1.b.conv_unit"])


def test_duplicate_ids_name_both_places(tmp_path):
    source = (GOLDEN / "holds" / "arith.py").read_text()
    (tmp_path / "one.py").write_text(source)
    (tmp_path / "two.py").write_text(source)
    with pytest.raises(PackError, match=r"one\.py:\d+ and at .*two\.py:\d+"):
        load([tmp_path], entry_points=False)


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "broken.py").write_text("CLAIMS = (\n")
    with pytest.raises(PackError, match=r"broken\.py:\d+"):
        load([tmp_path], entry_points=False)


def test_pack_without_claims_list(tmp_path):
    (tmp_path / "empty.py").write_text("X = 1\n")
    with pytest.raises(PackError, match="no CLAIMS"):
        load([tmp_path], entry_points=False)


def test_path_that_is_not_a_directory():
    with pytest.raises(UsageError):
        load([GOLDEN / "nope"], entry_points=False)
