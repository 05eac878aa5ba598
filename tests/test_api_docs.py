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
