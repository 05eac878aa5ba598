"""docs/writing-claims.md is run, block by block, in a fresh directory: files are written, commands run and their
output compared, so the guide cannot go stale."""

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, console_commands, console_pattern
from conftest import _environment as environment

GUIDE = ROOT / "docs" / "writing-claims.md"
_BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.S | re.M)


def _steps(text):
    """(kind, argument, body) for each block in order: ("file", path, text) or ("console", command, expected)."""
    for lang, info, body in _BLOCK.findall(text):
        target = re.search(r"\bfile=(\S+)", info)
        if target:
            yield "file", target.group(1), body
        elif lang == "console":
            for command, expected in console_commands(body):
                yield "console", command, expected


# A command of the guide that is `python -m proofs ARGS`, its exit status shown or not: after the first, run by
# `proofs.cli.main` in this process (the same output, without an interpreter that imports sympy and z3 each time).
_IN_PROCESS = re.compile(r'python -m proofs ((?:[\w./=-]+ ?)+?)(; echo "exit \$\?")?')


def _run(command, where, env, process):
    """Run a console command of the guide in `where`, in a shell, or (unless `process`) a `python -m proofs` command
    in this process; return the completed command."""
    found = None if process else _IN_PROCESS.fullmatch(command)
    if found is None:
        command = re.sub(r"^python ", f"{sys.executable} ", command)
        return subprocess.run(["bash", "-c", command], cwd=where, capture_output=True, text=True, env=env, timeout=300)
    from proofs.cli import main

    out, err = io.StringIO(), io.StringIO()
    with environment(env), contextlib.chdir(where):
        code = main(found.group(1).split(), out, err)
    shown = f"exit {code}\n" if found.group(2) else ""
    return subprocess.CompletedProcess(command, 0 if shown else code, out.getvalue() + shown, err.getvalue())


@pytest.mark.slow
def test_guide_runs_from_nothing_to_a_green_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTEST_ADDOPTS")}
    env.update(NO_COLOR="1", PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    steps = list(_steps(GUIDE.read_text()))
    assert sum(kind == "console" for kind, _, _ in steps) >= 8 and sum(kind == "file" for kind, _, _ in steps) >= 5
    written, ran = set(), False
    for kind, argument, body in steps:
        if kind == "file":
            path = tmp_path / argument
            path.parent.mkdir(parents=True, exist_ok=True)
            # a file's first block replaces it; later blocks of the same file continue it
            with path.open("a" if path in written else "w", encoding="utf-8") as fh:
                fh.write(("\n\n" if path in written else "") + body)
            written.add(path)
            continue
        proc = _run(argument, tmp_path, env, process=not ran)
        ran = ran or _IN_PROCESS.fullmatch(argument) is not None
        produced = (proc.stdout + proc.stderr).splitlines()
        if not any(line.startswith("exit ") for line in body):  # commands that show no exit status must succeed
            assert proc.returncode == 0, f"{argument}\n{proc.stdout}{proc.stderr}"
        for line in filter(str.strip, body):
            assert any(console_pattern(line).fullmatch(out) for out in produced), \
                f"{argument}: no output line matches {line!r}:\n{proc.stdout}{proc.stderr}"


def _module(text):
    return "\n\n".join(body for _, info, body in _BLOCK.findall(text) if "file=course/claims/week8_ex1.py" in info)


def test_guide_module_is_the_whole_exercise_written_as_statements():
    module = _module(GUIDE.read_text())
    compile(module, "week8_ex1.py", "exec")
    ids = re.findall(r'^@forall\("(week8\.[a-z0-9_.]+)",', module, flags=re.M)
    assert ids == ["week8.ex1.a.expansion", "week8.ex1.b.gradient_bias", "week8.ex1.c.minimiser"]
    assert "erratum=Correction(" in module and module.count("perturb=") == 2 and module.count("cites=") == 3
    # the claims are written once: no hand-written verdicts, formal texts or replays
    for lower_level in ("Verdict", "formal=", "replay", "Outcome", "Replay("):
        assert lower_level not in module


def test_each_guide_claim_reads_in_a_few_lines_and_the_module_is_short():
    module = _module(GUIDE.read_text())
    expansion = module[module.index('@forall("week8.ex1.a.expansion"'):]
    expansion = expansion[:expansion.index("\n\n")]
    assert len(expansion.splitlines()) <= 10
    assert len(module.splitlines()) <= 131 // 2  # the module written with the lower-level API took 131 lines


def test_readme_links_the_guide():
    assert "docs/writing-claims.md" in (ROOT / "README.md").read_text()
