"""GitHub workflow-command annotations from `check` and `scan`: on the material's line, escaped as the syntax requires."""

import re

import pytest

from conftest import cli, write_pack
from proofs.writers.github import command, escape_data, escape_property

SHEET = "# Exercise 1\n\nExpand the square:\n$$(x + 1)^2 = x^2 + {c}$$\n"

PACK = '''
import z3

from proofs import Anchor, Replay, Verdict, claim
from proofs.interpret import validity
from proofs.solvers.smt import prove


@claim(
    "week9.ex1.a.square",
    exercise=1, part="a",
    statement="(x + 1)^2 = x^2 + {c} for every real x.",
    asserts="(x + 1)^2 = x^2 + {c}",
    requires=Verdict.PROVED,
    anchors=(Anchor("sheet.md", "(x + 1)^2 = x^2 + {c}"),),
    replay=lambda w: Replay((w["x"] + 1) ** 2 == w["x"] ** 2 + {c}, {{"left": (w["x"] + 1) ** 2, "right": w["x"] ** 2 + {c}}}),
)
def square():
    x = z3.Real("x")
    return validity(prove((x + 1) * (x + 1) == x * x + {c}, [x]))


CLAIMS = (square,)
'''

# a workflow command line: ::level properties::message
COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def course(tmp_path, formula="1", claim=None):
    """A course folder: material/sheet.md with the formula (x + 1)^2 = x^2 + FORMULA on line 4, and a pack whose
    claim cites it (stating x^2 + CLAIM)."""
    material = tmp_path / "material"
    material.mkdir(parents=True)
    (material / "sheet.md").write_text(SHEET.format(c=formula))
    pack = write_pack(tmp_path, {"square.py": PACK.format(c=claim or formula)})
    return material, pack


def annotations(text):
    """(level, {property: value}, message) for every workflow command in the text; a line that starts with :: and is
    not one fails."""
    found = []
    for line in text.splitlines():
        if not line.startswith("::"):
            continue
        match = COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match.group(2).split(",")) if match.group(2) else {}
        found.append((match.group(1), props, match.group(3)))
    return found


def test_a_wrong_formula_cited_by_a_failing_claim_is_an_error_on_its_line_from_check(tmp_path, monkeypatch):
    material, pack = course(tmp_path)
    monkeypatch.chdir(tmp_path)
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--format", "github", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    [(level, props, message)] = annotations(proc.stdout)
    assert level == "error" and props["line"] == "4"
    assert props["file"].endswith("material/sheet.md")
    assert "counterexample%3A" not in message and "counterexample: x = " in message.replace("%0A", "\n")
    assert "rerun: python -m proofs check" in message and "week9.ex1.a.square" in message


def test_a_right_formula_gives_no_annotation(tmp_path):
    material, pack = course(tmp_path, "2*x + 1")
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--format", "github", "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert annotations(proc.stdout) == []


def test_a_wrong_formula_is_an_error_on_its_line_from_scan(tmp_path):
    material, _ = course(tmp_path)
    proc = cli("scan", "--material", material, "--format", "github")
    assert proc.returncode == 1
    [(level, props, message)] = annotations(proc.stdout)
    assert (level, props["line"]) == ("error", "4") and props["file"].endswith("material/sheet.md")
    assert "counterexample: x = " in message.replace("%0A", "\n")
    right, _ = course(tmp_path / "right", "2x + 1")
    proc = cli("scan", "--material", right, "--format", "github")
    assert proc.returncode == 0 and annotations(proc.stdout) == []


def test_an_acknowledged_step_is_a_notice(tmp_path):
    material, _ = course(tmp_path)
    ack = tmp_path / "ack.toml"
    ack.write_text('[[acknowledge]]\nfile = "sheet.md"\nstep = "(x + 1)^2 = x^2 + 1"\nreason = "a typo, fixed in week 10"\n')
    proc = cli("scan", "--material", material, "--acknowledged", ack, "--format", "github")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [(level, props, message)] = annotations(proc.stdout)
    assert level == "notice" and props["line"] == "4" and "a typo, fixed in week 10" in message


def test_in_github_actions_annotations_come_beside_the_normal_output(tmp_path):
    material, pack = course(tmp_path)
    env = {"GITHUB_ACTIONS": "true"}
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--no-cache", env=env)
    assert "refuted" in proc.stdout and [a[0] for a in annotations(proc.stdout)] == ["error"]
    proc = cli("check", "week9", "--claims", pack, "--material", material, "--no-cache", "--format", "json", env=env)
    assert proc.stdout.startswith("{") and [a[0] for a in annotations(proc.stderr)] == ["error"]
    proc = cli("scan", "--material", material, env=env)
    assert "refuted" in proc.stdout and [a[0] for a in annotations(proc.stdout)] == ["error"]
    proc = cli("scan", "--material", material, "--format", "json", env=env)
    assert proc.stdout.startswith("{") and [a[0] for a in annotations(proc.stderr)] == ["error"]
    proc = cli("scan", "--material", material, env={"GITHUB_ACTIONS": "false"})
    assert annotations(proc.stdout + proc.stderr) == []


@pytest.mark.parametrize("text, data, prop", [
    ("100%", "100%25", "100%25"),
    ("a\nb\r\nc\rd", "a%0Ab%0Ac%0Dd", "a%0Ab%0Ac%0Dd"),
    ("x: a, b", "x: a, b", "x%3A a%2C b"),
    ("::error::fake", "::error::fake", "%3A%3Aerror%3A%3Afake"),
    ("bell\x07 esc\x1b", "bell\\x07 esc\\x1b", "bell\\x07 esc\\x1b"),
])
def test_escaping_follows_the_workflow_command_syntax(text, data, prop):
    assert escape_data(text) == data and escape_property(text) == prop


def test_nothing_in_a_message_or_property_can_start_a_command_of_its_own():
    line = command("error", "ok\n::warning::injected\r\n%0A", file="a,line=1:b.md", line=3, title="t\n::notice::x")
    assert line.count("\n") == 1 and line.endswith("\n")
    [(level, props, message)] = annotations(line)
    assert level == "error" and props == {"file": "a%2Cline=1%3Ab.md", "line": "3", "title": "t%0A%3A%3Anotice%3A%3Ax"}
    assert message == "ok%0A::warning::injected%0A%250A"


@pytest.mark.parametrize("as_list", [True, False])
def test_a_notebook_step_is_annotated_on_the_line_of_its_json(tmp_path, as_list):
    import json

    sources = ["# Exercise 1\n\n(a) Expand:\n$$(x + 1)^2 = x^2 + 1$$\n", "x = 1\n", "(b) And:\n$$(x - 1)^2 = x^2 - 2x + 2$$"]
    cells = [{"cell_type": "markdown" if i != 1 else "code", "metadata": {},
              "source": s.splitlines(keepends=True) if as_list else s,
              **({"outputs": [], "execution_count": None} if i == 1 else {})} for i, s in enumerate(sources)]
    material = tmp_path / "m"
    material.mkdir()
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, indent=1)
    (material / "sheet.ipynb").write_text(text)
    proc = cli("scan", "--material", material, "--format", "github")
    assert proc.returncode == 1 and proc.stderr == ""
    lines = text.splitlines()
    found = [(int(props["line"]), message) for _, props, message in annotations(proc.stdout)]
    assert len(found) == 2
    for line, message in found:
        formula = "(x + 1)^2 = x^2 + 1" if "x + 1" in message else "(x - 1)^2 = x^2 - 2x + 2"
        assert formula in lines[line - 1]
