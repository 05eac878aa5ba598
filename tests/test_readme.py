"""The README's commands and examples are run, so the documentation cannot drift from the tool."""

import json
import re
import shlex

import pytest

from conftest import ROOT, cli, console_commands, console_pattern, run_cli

README = (ROOT / "README.md").read_text()


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _section(title):
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    block = re.findall(r"```sh\n(.*?)```", _section("Quick start"), flags=re.S)
    assert len(block) == 1
    commands = [line for line in block[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("python -m proofs check all")
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines()


def _examples():
    for block in _blocks("console"):
        yield from console_commands(block)


@pytest.mark.parametrize("command, expected", list(_examples()))
def test_console_examples_match(command, expected):
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "proofs"]
    proc = run_cli(*argv[3:], env={"NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    produced = proc.stdout.splitlines()
    for line in filter(str.strip, expected):
        assert any(console_pattern(line).fullmatch(out) for out in produced), f"no output line matches {line!r}:\n{proc.stdout}"


def test_json_example_has_the_real_shape():
    example = json.loads(_blocks("json")[0])
    real = json.loads(cli("check", "ex1.b", "--format", "json").stdout)
    assert set(example) == set(real)
    assert set(example["summary"]) == set(real["summary"])
    assert set(example["results"][0]) == set(real["results"][0])


def test_every_documented_erratum_is_an_erratum_claim(catalogue):
    documented = re.findall(r"^- `([a-z0-9_.]+)`:", _section("What the checker found in the material"), flags=re.M)
    actual = sorted(c.id for c in catalogue.claims if c.erratum)
    assert sorted(documented) == actual
