import re
from importlib import metadata
from pathlib import Path

import pytest

from proofs.errors import PackError, UsageError
from proofs.registry import ENTRY_POINT_GROUP, load, select

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


def test_duplicate_ids_name_both_places_and_keep_the_first(tmp_path):
    source = (GOLDEN / "holds" / "arith.py").read_text()
    (tmp_path / "one.py").write_text(source)
    (tmp_path / "two.py").write_text(source)
    catalogue = load([tmp_path], entry_points=False)
    assert catalogue.errors and all(re.search(r"one\.py:\d+ and at .*two\.py:\d+", str(e)) for e in catalogue.errors)
    assert {c.pack for c in catalogue.claims} == {f"{tmp_path.name}/one"}


def _only_error(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    (tmp_path / "good.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    catalogue = load([tmp_path], entry_points=False)
    assert catalogue.claims and {c.pack for c in catalogue.claims} == {f"{tmp_path.name}/good"}, "the good pack still loads"
    (error,) = catalogue.errors
    return error


def test_syntax_error_names_file_and_line(tmp_path):
    error = _only_error(tmp_path, "broken.py", "import z3\n\nCLAIMS = (\n")
    assert (Path(error.file).name, error.line) == ("broken.py", 3) and "syntax error" in error.message
    assert str(error).startswith(f"{error.file}:3: pack '{tmp_path.name}/broken'")


def test_import_error_names_the_pack_line_not_the_library(tmp_path):
    error = _only_error(tmp_path, "missing.py", "import json\n\nimport no_such_module_for_proofs\n")
    assert (Path(error.file).name, error.line) == ("missing.py", 3) and "ModuleNotFoundError" in error.message


def test_error_raised_inside_a_library_is_placed_at_the_pack_line(tmp_path):
    error = _only_error(tmp_path, "raises.py", "import json\nX = 1\njson.loads('{')\n")
    assert (Path(error.file).name, error.line) == ("raises.py", 3) and "JSONDecodeError" in error.message


def test_pack_without_claims_list(tmp_path):
    error = _only_error(tmp_path, "empty.py", "X = 1\n")
    assert "no CLAIMS" in error.message and Path(error.file).name == "empty.py"


def test_claims_list_with_a_stranger(tmp_path):
    error = _only_error(tmp_path, "stranger.py", "CLAIMS = (1,)\n")
    assert "not a Claim" in error.message


def test_claim_missing_a_field_is_a_load_error_saying_how_to_fix_it(tmp_path):
    source = (GOLDEN / "holds" / "arith.py").read_text().replace(
        '    asserts="(x + c)^2 = x^2 + 2cx + c^2",\n', "", 1).replace("ex90.", "ex91.").replace("exercise=90", "exercise=91")
    error = _only_error(tmp_path, "nofield.py", source)
    assert "no 'asserts' field" in error.message and 'asserts="..."' in error.message
    assert Path(error.file).name == "nofield.py" and error.line > 0


def test_entry_point_pack_that_fails_is_reported_and_others_load(tmp_path, monkeypatch):
    package = tmp_path / "brokenpack"
    package.mkdir()
    (package / "__init__.py").write_text("from brokenpack import inner\n")
    (package / "inner.py").write_text("x = 1\nraise ValueError('no good')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    real = metadata.entry_points

    def fake(**kw):
        found = list(real(**kw))
        if kw.get("group") == ENTRY_POINT_GROUP:
            found.append(metadata.EntryPoint(name="broken", value="brokenpack", group=ENTRY_POINT_GROUP))
        return found

    monkeypatch.setattr(metadata, "entry_points", fake)
    catalogue = load()
    (error,) = catalogue.errors
    assert error.pack == "broken" and (Path(error.file).name, error.line) == ("inner.py", 2)
    assert any(c.pack == "seed" for c in catalogue.claims)


def test_path_that_is_not_a_directory():
    with pytest.raises(UsageError):
        load([GOLDEN / "nope"], entry_points=False)


def test_warm_imports_modules_and_calls_functions(tmp_path, monkeypatch):
    (tmp_path / "warmpack.py").write_text("CALLS = []\n\ndef build():\n    CALLS.append(1)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from proofs.registry import Catalogue

    Catalogue((), ("warmpack", "warmpack:build")).warm()
    import warmpack

    assert warmpack.CALLS == [1]


@pytest.mark.parametrize("entry, message", [("no_such_module_xyz", "cannot preload module"),
                                            ("json:no_such_function", "has no function")])
def test_warm_rejects_what_it_cannot_do(entry, message):
    from proofs.registry import Catalogue

    with pytest.raises(PackError, match=message):
        Catalogue((), (entry,)).warm()


def test_claim_modules_import_helpers_beside_them(tmp_path):
    source = (GOLDEN / "holds" / "arith.py").read_text()
    (tmp_path / "_helpers_for_proofs_test.py").write_text("OFFSET = 3\n")
    (tmp_path / "uses.py").write_text("from _helpers_for_proofs_test import OFFSET\n" + source)
    catalogue = load([tmp_path], entry_points=False)
    assert not catalogue.errors and [c.pack for c in catalogue.claims] == [f"{tmp_path.name}/uses"] * 2


def test_seed_pack_is_registered_as_an_entry_point():
    found = {ep.name: ep.value for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert found.get("seed") == "proofs.claims"


def test_only_regular_py_files_not_starting_with_a_dot_are_claim_modules(tmp_path):
    import os

    (tmp_path / "good.py").write_text((GOLDEN / "holds" / "arith.py").read_text())
    (tmp_path / ".#good.py").symlink_to("user@host.99:0")
    (tmp_path / ".hidden.py").write_text("raise SystemExit(3)\n")
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "dir.py").mkdir()
    (tmp_path / "linked.py").symlink_to(tmp_path / "good.py")
    catalogue = load([tmp_path], entry_points=False)
    packs = sorted({c.pack for c in catalogue.claims})
    assert packs == [f"{tmp_path.name}/good"] and len(catalogue.errors) == 2  # linked.py repeats good.py's ids
    assert all("duplicate claim id" in e.message and Path(e.file).name == "linked.py" for e in catalogue.errors)


def test_a_dangling_erratum_link_is_a_load_error_at_the_claim(tmp_path):
    source = (GOLDEN / "holds" / "arith.py").read_text().replace(
        "    params={\"offset\": 3, \"middle\": 6},\n",
        "    params={\"offset\": 3, \"middle\": 6},\n    erratum=Erratum(\"wrong\", corrected_by=\"ex90.a.gone\"),\n", 1)
    (tmp_path / "errata.py").write_text(source.replace("from proofs import ", "from proofs import Erratum, "))
    (error,) = load([tmp_path], entry_points=False).errors
    assert error.message.startswith("corrected by ex90.a.gone, which is not a loaded claim")
    assert Path(error.file).name == "errata.py" and error.line > 0


def test_a_module_that_hangs_while_imported_is_a_load_error(tmp_path):
    (tmp_path / "hangs.py").write_text("import time\n\nwhile True:\n    time.sleep(0.05)\n")
    (error,) = load([tmp_path], entry_points=False, timeout=1).errors
    assert (Path(error.file).name, error.line) == ("hangs.py", 4) and "timed out" in error.message


def test_the_deprecated_import_units_is_gone():
    from proofs import registry

    assert not hasattr(registry, "import_units") and "import_units" not in registry.__all__


def test_load_describes_the_claims_and_import_here_imports_them():
    from proofs.registry import Descriptor, import_here, load, units_of

    described, here = load([GOLDEN / "holds"], entry_points=False), import_here([GOLDEN / "holds"], entry_points=False)
    assert described.ids() == here.ids() and not described.errors and not here.errors
    for d, c in zip(described.claims, here.claims):
        assert isinstance(d, Descriptor) and units_of(d) and units_of(c) is None
        assert (d.id, d.statement, d.requires, d.file, d.line, d.anchors) == (c.id, c.statement, c.requires, c.file, c.line, c.anchors)
        assert {k: repr(v) for k, v in d.params.items()} == {k: repr(v) for k, v in c.params.items()}
        assert [(p.name, repr(dict(p.params))) for p in d.perturbations] == [(p.name, repr(dict(p.params))) for p in c.perturbations]
        with pytest.raises(Exception, match="checked in its module process"):
            d.check(**d.params)
