import re

import pytest

from conftest import Packs, cli
from proofs import Status, Verdict
from proofs.evaluate import evaluate
from proofs.registry import load
from proofs.template import render, write

FILLS = {
    "the material file": '"week8/sheet.md"',
    "the claim in your own words": '"(x + b)^2 = x^2 + 2bx + b^2 for every real x, with b = 2."',
    "a short snippet": 'r"(x + 2)^2 = x^2 + 4x + 4"',
    "one wrong variant": "{'middle': 5}",
    "a stated value": "2",
    "another stated value": "4",
    "the relation": "(x + b) ** 2 == x ** 2 + middle * x + b ** 2",
}
_TODO = re.compile(r'todo\(((?:"(?:[^"\\]|\\.)*"\s*)+)\)')


def fill(source: str, keep: str = "", **override) -> str:
    """Replace every todo("...") by its value from FILLS, except the one whose text starts with `keep`."""
    def value(match):
        text = re.sub(r'"\s*"', "", match.group(1).strip())[1:-1]
        key = next(k for k in FILLS if text.startswith(k))
        return match.group(0) if key == keep else override.get(key, FILLS[key])
    return _TODO.sub(value, source)


@pytest.fixture
def course(tmp_path):
    course = Packs(tmp_path, folder="claims")  # the folder a pack's name starts with
    course.material("week8/sheet.md", "Expand $(x + 2)^2 = x^2 + 4x + 4$.\n")
    write("week8.ex1.a.binomial", course.folder, [])
    return course


def test_new_writes_the_template_and_says_what_to_do(tmp_path):
    proc = cli("new", "week8.ex1.a.binomial", "--claims", str(tmp_path / "claims"))
    assert proc.returncode == 0, proc.stderr
    assert "week8_ex1_a_binomial.py" in proc.stdout and "check week8.ex1.a.binomial" in proc.stdout
    assert (tmp_path / "claims" / "week8_ex1_a_binomial.py").read_text() == render("week8.ex1.a.binomial")


def _module(course):
    return course.folder / "week8_ex1_a_binomial.py"


def test_template_fails_clearly_as_written(course):
    proc = course.run("check", "week8", "--material", course.material_dir)
    assert proc.returncode == 1
    line = next(l for l in proc.stderr.splitlines() if l.startswith("load error"))
    assert re.search(r"week8_ex1_a_binomial\.py:\d+: .*placeholder not filled in: the material file", line)
    assert f"{len(FILLS)} todo(...) left in this file" in line


@pytest.mark.parametrize("keep", sorted(FILLS))
def test_each_placeholder_left_unfilled_fails_naming_it(course, keep):
    _module(course).write_text(fill(_module(course).read_text(), keep=keep))
    catalogue = load([course.folder], entry_points=False)
    if catalogue.errors:  # a placeholder in a field or at module level stops the module loading
        (problem,) = catalogue.errors
        message = str(problem)
        assert problem.file == str(_module(course)) and "(1 todo(...) left in this file)" in message
    else:  # one inside the check makes the claim an error
        (claim,) = catalogue.claims
        result = evaluate(claim)
        assert result.verdict is Verdict.ERROR and result.status is Status.FAIL
        message = result.reason
    assert f"placeholder not filled in at {_module(course)}:" in message or "placeholder not filled in: " in message
    assert keep in message


def test_filled_template_passes_check_material_and_mutants(course):
    _module(course).write_text(fill(_module(course).read_text()))
    proc = course.run("check", "week8", "--material", course.material_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"week8\.ex1\.a\.binomial +proved +pass", proc.stdout)
    mutants = course.run("mutants", "week8")
    assert mutants.returncode == 0 and "1/1 perturbations killed" in mutants.stdout
    listed = course.run("list")
    assert "pack claims/week8_ex1_a_binomial" in listed.stdout


def test_filled_with_a_wrong_value_is_refuted_with_a_replayed_counterexample(course):
    _module(course).write_text(fill(_module(course).read_text(), **{"another stated value": "6"}))
    proc = course.run("check", "week8", "--material", course.material_dir)
    assert proc.returncode == 1 and re.search(r"binomial +refuted +fail", proc.stdout)
    assert "counterexample: x = " in proc.stdout and "evaluated: left: (x + b)^2 = " in proc.stdout


def test_new_refuses_bad_or_taken_ids_and_existing_files(course):
    for args, message in ((["new", "Week8.a"], "is not a claim id"), (["new", "ex1.b.conv_params"], "already exists"),
                          (["new", "week8.ex1.a.binomial"], "already exists")):
        proc = course.run(*args)
        assert proc.returncode == 4 and message in proc.stderr, proc.stderr


@pytest.mark.parametrize("claim_id, exercise, part", [("week8.ex2.slug", 2, None), ("ex12.c.two_words", 12, "c"),
                                                      ("a.b.ex3.d.e.f", 3, "d")])
def test_rendered_template_takes_exercise_and_part_from_the_id(claim_id, exercise, part, tmp_path):
    text = fill(render(claim_id))
    (tmp_path / "claim.py").write_text(text)
    (claim,) = load([tmp_path], entry_points=False).claims
    assert (claim.id, claim.exercise, claim.part) == (claim_id, exercise, part)
