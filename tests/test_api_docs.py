"""docs/api.md is run: its python blocks, in order, in one namespace, so the reference cannot drift from the tool."""

import re

import proofs
from conftest import ROOT

API = ROOT / "docs" / "api.md"


def test_every_python_block_of_the_reference_runs():
    namespace: dict = {}
    blocks = re.findall(r"^```python\n(.*?)^```$", API.read_text(), flags=re.S | re.M)
    assert len(blocks) >= 6
    for block in blocks:
        exec(compile(block, str(API), "exec"), namespace)  # noqa: S102 - the documentation's own examples
    assert len(namespace["CLAIMS"]) == 7


def test_the_reference_names_every_public_name_of_the_statement_api():
    text = API.read_text()
    start = proofs.__all__.index("forall")
    end = proofs.__all__.index("matmul") + 1
    missing = [name for name in proofs.__all__[start:end] if f"`{name}" not in text and f" {name}," not in text
               and f"{name}(" not in text]
    assert missing == []


def _documented(name: str, text: str) -> bool:
    """Whether the reference's prose names `name` as code: `name`, `name(...)`, `@name` or `proofs.name` in backticks."""
    return re.search(rf"`(proofs\.|@)?{re.escape(name)}\b", text) is not None


def test_the_reference_documents_every_public_name():
    text = API.read_text()
    assert [name for name in proofs.__all__ if not _documented(name, text)] == []


def test_every_public_name_resolves():
    for name in proofs.__all__:
        assert getattr(proofs, name) is not None, name
    assert set(proofs.__all__) <= set(dir(proofs))


def test_the_documentation_check_can_fail():
    assert not _documented("symbolic_identity", "`identity(answer)` and `proofs.solvers.symbolic`")
    assert _documented("prove", "`prove(claim)`") and _documented("__version__", "`proofs.__version__`")


def _engine_imports(path) -> list[str]:
    """The engine modules a pack file imports from, other than `proofs` itself and the pack's own modules."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found += [f"{path.name}:{node.lineno}: {n}" for n in names
                  if n.startswith("proofs.") and not n.startswith("proofs.claims")]
    return found


def test_the_seed_pack_imports_only_the_public_api(tmp_path):
    assert [line for path in sorted((ROOT / "claims").rglob("*.py")) for line in _engine_imports(path)] == []
    private = tmp_path / "pack.py"
    private.write_text("from proofs import forall\nfrom proofs.interpret import validity\nimport proofs.solvers.smt\n")
    assert _engine_imports(private) == ["pack.py:2: proofs.interpret", "pack.py:3: proofs.solvers.smt"]
