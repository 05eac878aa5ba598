"""A refuted step a loaded pack's claim cites as an erratum is reported as that erratum; a step that was changed, or
that only contains or starts a cited formula, is not silently acknowledged (proofs/scan/errata.py)."""

import pytest

from proofs.scan import errata
from proofs.scan.steps import Step


def _step(left, printed, right, relation="=", status="refuted"):
    return Step(file="a.md", line=1, cell=None, text=f"{left} {printed} {right}", left=left, relation=relation, right=right,
                status=status, reason="fails at x = 1")


def _known(snippet):
    return [("a.md", snippet, "ex1.a.slip", "the printed formula drops a term")]


@pytest.mark.parametrize("step, snippet", [
    (_step("(x + 1)^2", "=", "x^2 + 1"), "(x + 1)^2 = x^2 + 1"),
    (_step("(x + 1)^2", "=", "x^2 + 1"), "(x+1)^2=x^2+1"),  # up to spacing
    # a chain the snippet prints whole: the step is two of its sides
    (_step("x^2 + 2x + 1 + y^2 - y^2", "=", "x^2 + 1"), "(x + 1)^2 = x^2 + 2x + 1 + y^2 - y^2 = x^2 + 1"),
    # the left side carried from the display before: the snippet is the relation and the right side
    (_step("\\|A v\\| + \\|w\\| - \\|w\\|", "\\leq", "\\|A\\| \\|v\\| - 1", "<="), "\\leq \\|A\\| \\|v\\| - 1"),
])
def test_the_step_an_erratum_cites_is_that_erratum(step, snippet):
    (out,) = errata.apply([step], _known(snippet))
    assert out.erratum == "ex1.a.slip" and "a known erratum" in out.acknowledged


@pytest.mark.parametrize("step, snippet", [
    # the material changed after the erratum was recorded: a new slip, not the known one
    (_step("(x + 1)^2", "=", "x^2 + 1 + y"), "(x + 1)^2 = x^2 + 1"),
    (_step("2(x + 1)^2", "=", "x^2 + 1"), "(x + 1)^2 = x^2 + 1"),
    # a premise the claim cites, inside a longer refuted step
    (_step("h_{t+1} = \\phi(z_{t+1}) + 1", "=", "\\phi(z_{t+1}) + 2"), "h_{t+1} = \\phi(z_{t+1})"),
    # the start of a side the snippet prints: x^2 + 2x + 1 + y^2 - y^2 = x^2 is not ... = x^2 + 1
    (_step("x^2 + 2x + 1 + y^2 - y^2", "=", "x^2"), "(x + 1)^2 = x^2 + 2x + 1 + y^2 - y^2 = x^2 + 1"),
    # another file
    (_step("(x + 1)^2", "=", "x^2 + 1").__class__(**{**_step("(x + 1)^2", "=", "x^2 + 1").__dict__, "file": "b.md"}),
     "(x + 1)^2 = x^2 + 1"),
])
def test_a_changed_step_is_not_silently_acknowledged(step, snippet):
    (out,) = errata.apply([step], _known(snippet))
    assert out.erratum == "" and out.acknowledged == ""


def test_a_step_that_holds_is_never_marked():
    (out,) = errata.apply([_step("(x + 1)^2", "=", "x^2 + 2x + 1", status="proved")], _known("(x + 1)^2 = x^2 + 2x + 1"))
    assert out.erratum == ""
