"""Every size, depth, count and time limit the tool enforces is listed, with its value, in the README's table of
limits, read from the code: a limit added or changed without the table fails here."""

import ast
import importlib
import re

from conftest import ROOT

# A module-level constant is a limit when its name says so.
LIMIT_NAME = re.compile(r"MAX|LIMIT|TIMEOUT|_SECONDS$|_BYTES$|_DEPTH$|_MB$|^KEEP$|_GRACE$|_WAIT$|_ROUNDS$|_LATE$|^_LOADING$|^_KEPT$")
ROW = re.compile(r"^\| `([a-z_.]+)\.([A-Z_][A-Z0-9_]*)` \| ([^|]+) \|")


def shown(name, value):
    """The value as the table shows it."""
    if hasattr(value, "describe"):  # a command-line option's range (proofs.report.Limit)
        return value.describe()
    if name.endswith("BYTES") or name in ("OUTPUT_LIMIT", "_MAX_MESSAGE"):
        for size, unit in ((2**20, "MiB"), (2**10, "KiB")):
            if value % size == 0:
                return f"{value // size} {unit}"
        return f"{value} bytes"
    if name.endswith("_MS"):
        return f"{value:,} ms"
    if re.search(r"TIMEOUT|SECONDS|_WAIT$|_GRACE$|_LATE$|TIME_LIMIT|^_SERVER_", name):
        return f"{value:g} s"
    if name.endswith("_MB"):
        return f"{value} MiB"
    return f"{value:,}"


def _table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    return {(m.group(1), m.group(2)): m.group(3).strip() for m in map(ROW.match, section.splitlines()) if m}


def _constants():
    """(module, name) of every limit-named module-level number in the engine and the solvers."""
    found = set()
    for folder, package in ((ROOT / "proofs", "proofs"), (ROOT / "solvers", "proofs.solvers")):
        for path in folder.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            module = ".".join((package, *path.relative_to(folder).with_suffix("").parts)).removesuffix(".__init__")
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
                for target in targets:
                    if isinstance(target, ast.Name) and LIMIT_NAME.search(target.id):
                        value = getattr(importlib.import_module(module), target.id)
                        if isinstance(value, (int, float)) and not isinstance(value, bool) or hasattr(value, "describe"):
                            found.add((module.removeprefix("proofs."), target.id))
    return found


def test_every_limit_in_the_code_is_in_the_readme_table_with_its_value():
    table = _table()
    missing = sorted(f"{m}.{n}" for m, n in _constants() - table.keys())
    assert not missing, f"limits the README's table does not list: {missing}"
    for (module, name), value in table.items():
        actual = getattr(importlib.import_module(f"proofs.{module}"), name)
        assert value == shown(name, actual), (module, name, value, shown(name, actual))


def test_the_table_check_can_fail(monkeypatch):
    import proofs.anchors

    monkeypatch.setattr(proofs.anchors, "MAX_MATERIAL_BYTES", 17 * 2**20)
    row = _table()[("anchors", "MAX_MATERIAL_BYTES")]
    assert row == "16 MiB" != shown("MAX_MATERIAL_BYTES", proofs.anchors.MAX_MATERIAL_BYTES)
