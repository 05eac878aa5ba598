"""Steps are checked over the reals: a side that is not a real number (as sympy reads it over the complex numbers,
or at every point tried) is never proved, checked or refuted, and true identities defined on part of the line
behave as before."""

import pytest
import sympy

from proofs.scan.check import check, not_real
from conftest import scan_steps
from proofs.scan.parse import Skip, parse

NEVER = {"proved", "checked", "refuted"}


@pytest.mark.parametrize("formula", [
    r"\sqrt{-1}^2 = -1",                      # sympy: I^2 = -1, proved before
    r"\log(-1) = 0",
    r"(-8)^{1/3} = -2",                       # the real cube root is -2; sympy's principal one is complex
    r"\sqrt{-x^2-1}^2 = -x^2 - 1",            # no real x gives the root a value; sympy proved it before
    r"\sqrt{-4} = 2 \sqrt{-1}",
    r"\log(-2) = \log(2) + \log(-1)",         # proved before
    r"\sqrt{-2}\sqrt{-3} = -\sqrt{6}",        # sympy multiplies the two imaginary roots into a real number
    r"\log(-2) - \log(-1) = \log 2",          # the same for two complex logs
    r"\sqrt{x - x^2 - 1}^2 = x - x^2 - 1",    # negative for every real x, which sympy cannot tell
    r"\sqrt{x - x^2 - 1} \cdot 0 = 0",        # sympy drops the root altogether
])
def test_a_side_that_is_not_a_real_number_is_never_decided(tmp_path, formula):
    code, steps = scan_steps(tmp_path, f"We have $${formula}$$\n")
    (step,) = steps.values()
    assert step["status"] not in NEVER and step["status"] in ("skipped", "unknown"), step
    assert "real" in step["reason"]
    assert code == 0


def test_a_value_defined_as_a_complex_number_is_not_used(tmp_path):
    code, steps = scan_steps(tmp_path, "Let $$c = \\sqrt{-1}$$\n\nThen $$c^2 = -1$$\n")
    assert steps["c = \\sqrt{-1}"]["status"] == "definition" and "not read" in steps["c = \\sqrt{-1}"]["reason"]
    assert steps["c^2 = -1"]["status"] not in NEVER


def test_a_step_whose_sides_are_real_only_outside_its_condition_is_not_proved(tmp_path):
    code, steps = scan_steps(tmp_path, "For $x < 0$ we have $$\\sqrt{x}^2 = x$$\n")
    step = steps["\\sqrt{x}^2 = x"]
    assert step["status"] == "unknown" and "not proved over the reals" in step["reason"]


@pytest.mark.parametrize("text, formula, statuses", [
    ("We have $$\\sqrt{x}^2 = x$$\n", "\\sqrt{x}^2 = x", {"proved"}),
    ("For positive $a$ and $b$, $$\\log(ab) = \\log a + \\log b$$\n", "\\log(ab) = \\log a + \\log b", {"proved", "checked"}),
    ("We have $$\\frac{\\log(x^2)}{2} = \\log x$$\n", "\\frac{\\log(x^2)}{2} = \\log x", {"checked"}),
    ("We have $$\\sqrt{4} = 2$$\n", "\\sqrt{4} = 2", {"proved"}),
    ("We have $$\\sqrt{2}\\sqrt{3} = \\sqrt{6}$$\n", "\\sqrt{2}\\sqrt{3} = \\sqrt{6}", {"proved"}),
    ("We have $$\\frac{d}{dx}\\sqrt{x} = \\frac{1}{2\\sqrt{x}}$$\n", "\\frac{d}{dx}\\sqrt{x} = \\frac{1}{2\\sqrt{x}}", {"proved"}),
])
def test_true_real_identities_on_part_of_the_line_behave_as_before(tmp_path, text, formula, statuses):
    code, steps = scan_steps(tmp_path, text)
    assert steps[formula]["status"] in statuses, steps[formula]
    assert code == 0


def test_a_point_outside_the_domain_sympy_simplified_away_is_no_counterexample(tmp_path):
    # sqrt(x)^2 reads as x: at x = -1 the left side has no real value, so it is no counterexample (a false alarm
    # before); the square root of a square is still refuted where it is defined
    code, steps = scan_steps(tmp_path, "We have $$\\sqrt{x}^2 + 1 = |x| + 1$$ and $$\\sqrt{x^2} = x$$\n")
    assert steps["\\sqrt{x}^2 + 1 = |x| + 1"]["status"] in ("proved", "checked")
    assert steps["\\sqrt{x^2} = x"]["status"] == "refuted" and code == 1


def test_a_defined_function_carries_its_domain(tmp_path):
    text = "Let $$f(x) = \\sqrt{x}$$\n\nThen $$f(x)^2 + 1 = |x| + 1$$\n\nLet $$s = \\sqrt{y}$$\n\nThen $$s^2 + 1 = |y| + 1$$\n"
    code, steps = scan_steps(tmp_path, text)
    assert steps["f(x)^2 + 1 = |x| + 1"]["status"] in ("proved", "checked"), steps["f(x)^2 + 1 = |x| + 1"]
    assert steps["s^2 + 1 = |y| + 1"]["status"] in ("proved", "checked"), steps["s^2 + 1 = |y| + 1"]
    assert code == 0


def test_the_reader_records_where_a_side_is_real_and_refuses_what_never_is():
    guards: list = []
    x = sympy.Symbol("x", real=True)
    assert parse(r"\sqrt{x}^2 + \log(x + 1) + \frac{1}{x - 2}", guards=guards) is not None
    assert {(str(e), r) for e, r, _ in guards} == {("x", ">="), ("x + 1", ">"), ("x - 2", "!=")}
    for text in (r"\sqrt{-1}", r"\log(0)", r"\frac{1}{0}", r"(-1)^{1/2}", r"\sqrt{-2}\sqrt{-3}"):
        with pytest.raises(Skip, match="not a real number"):
            parse(text)
    # check() refuses expressions built elsewhere that are not real
    assert not_real(sympy.I * x) and check(sympy.I * x, "=", x).status == "unknown"
