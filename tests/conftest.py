import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def fresh_result_cache(monkeypatch, tmp_path_factory, request):
    """Each test gets a result cache of its own (created only if the test checks claims through the CLI)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.nodeid)[-80:]
    monkeypatch.setenv("PROOFS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "proofs-cache" / name))


@pytest.fixture(scope="session")
def catalogue():
    from proofs.registry import load

    return load()


def run_cli(*args, env=None, timeout=120):
    """Run `python -m proofs ARGS` as a user would; return the completed process."""
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "proofs", *args], cwd=ROOT, capture_output=True, text=True,
                          env=environment, timeout=timeout)


def console_pattern(line: str) -> "re.Pattern[str]":
    """An expected output line of a documented console example: `…` matches anything, runs of spaces any spacing."""
    parts = [re.escape(p) for p in line.strip().split("…")]
    return re.compile(r"\s*" + ".*".join(re.sub(r"(\\ )+", r"\\s+", p) for p in parts) + r"\s*")


def console_commands(block: str):
    """(command, expected output lines) for each `$ command` of a documented console block."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("$ "):
            expected = []
            for out in lines[i + 1:]:
                if out.startswith("$ "):
                    break
                expected.append(out)
            yield line[2:], expected
