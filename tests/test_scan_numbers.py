"""Numbers as course material writes them: \\frac12 is one half (TeX takes one token for each argument)."""

from fractions import Fraction

import pytest

from conftest import scan_steps


@pytest.mark.parametrize("text, step, status", [
    ("$$\\frac12 x = 0.5x$$\n", "\\frac12 x = 0.5x", "proved"),
    ("$$\\tfrac12 = 2^{-1} = 1/2$$\n", "\\tfrac12 = 2^{-1}", "proved"),
    ("$$\\frac 34 = 0.75$$\n", "\\frac 34 = 0.75", "proved"),
    ("$$\\frac123 = 1.5$$\n", "\\frac123 = 1.5", "skipped"),  # \frac{1}{2}3: not read
])
def test_a_fraction_of_two_digits_without_braces_is_read_as_tex_reads_it(tmp_path, text, step, status):
    _, steps = scan_steps(tmp_path, text, "--no-sympy-reader")
    assert steps[step]["status"] == status, steps[step]


def test_a_slip_with_a_fraction_without_braces_is_refuted_and_replays(tmp_path):
    _, steps = scan_steps(tmp_path, "$$\\frac12 x = 0.6x$$\n", "--no-sympy-reader")
    step = steps["\\frac12 x = 0.6x"]
    assert step["status"] == "refuted"
    x = Fraction(step["counterexample"]["values"]["x"])
    assert Fraction(1, 2) * x != Fraction(6, 10) * x
