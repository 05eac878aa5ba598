"""Assumptions a sentence states for what follows ("Assume $x > 0$.") and ranges the prose gives names ("$p$ is a
probability", "$\\hat y \\in (0, 1)$") hold for the rest of the section: a step true there is not refuted, a slip
is refuted at a point that honours them; ranges the search cannot honour (a count, "between") make a failure need
review."""

from fractions import Fraction

import pytest

from conftest import scan_steps


def _scan(tmp_path, text):
    return scan_steps(tmp_path, text, "--no-sympy-reader")


@pytest.mark.parametrize("text, step", [
    ("Assume $x > 0$. Then $|x| = x$.\n", "|x| = x"),
    ("Suppose $x > 0$. We have $\\sqrt{x^2} = x$.\n", "\\sqrt{x^2} = x"),
    ("Let $x > 0$. $$|x| = x$$\n", "|x| = x"),
    ("Assume $x > 0$.\n\nThen $|x| = x$.\n", "|x| = x"),
    ("Throughout, $a > 0$ and $b > 0$. $$|ab| = ab$$\n", "|ab| = ab"),
    ("We assume that $a \\neq b$ and $b > 0$. Then $\\frac{|b|(a - b)}{a - b} = b$.\n", "\\frac{|b|(a - b)}{a - b} = b"),
    # its own sentence's condition on the name replaces the assumption
    ("Assume $x > 0$. For $x < 0$, $|x| = -x$.\n", "|x| = -x"),
    ("Let $p$ be a probability. Then $p^2 \\le p$.\n", "p^2 \\le p"),
    ("Let $p$ denote the probability of heads. $$p(1 - p) \\le p$$\n", "p(1 - p) \\le p"),
    ("Let $\\hat y \\in (0, 1)$ be the prediction. $$\\hat y^2 < \\hat y$$\n", "\\hat y^2 < \\hat y"),
])
def test_a_step_true_under_the_assumptions_of_its_section_passes(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] in ("proved", "checked"), steps[step]


@pytest.mark.parametrize("text, step, holds", [
    ("Assume $x > 0$. Then $|x| = -x$.\n", "|x| = -x", lambda v: abs(v["x"]) == -v["x"]),
    ("Let $p$ be a probability. Then $p^2 \\ge p$.\n", "p^2 \\ge p", lambda v: v["p"] ** 2 >= v["p"]),
    ("Let $\\hat y \\in (0, 1)$ be the prediction. $$\\hat y^2 > \\hat y$$\n", "\\hat y^2 > \\hat y",
     lambda v: v["hat_y"] ** 2 > v["hat_y"]),
])
def test_a_slip_under_the_assumptions_is_refuted_at_a_point_that_honours_them(tmp_path, text, step, holds):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "refuted", steps[step]
    point = {k: Fraction(v) for k, v in steps[step]["counterexample"]["values"].items()}
    assert not holds(point)
    assert all(v > 0 for k, v in point.items() if k == "x") and all(0 <= v <= 1 for k, v in point.items() if k != "x")


@pytest.mark.parametrize("text, step", [
    # an assumption holds in its section only
    ("## Part 1\n\nAssume $x > 0$.\n\n## Part 2\n\nWe have $|x| = x$.\n", "|x| = x"),
    # a condition for its own sentence only ("for ..."), not an assumption
    ("For $x > 0$, $|x| = x$. We have $|x| = x + 0$.\n", "|x| = x + 0"),
])
def test_a_condition_does_not_reach_past_its_scope(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "refuted", steps[step]


@pytest.mark.parametrize("text, step", [
    ("Let $t$ be the number of steps. $$t^2 \\ge t$$\n", "t^2 \\ge t"),
    ("Let $n$ denote the sample size. $$\\frac{n(n+1)}{2} \\ge n$$\n", "\\frac{n(n+1)}{2} \\ge n"),
    ("For $p$ between $0$ and $1$, $p^2 \\le p$.\n", "p^2 \\le p"),
])
def test_a_range_the_search_cannot_honour_makes_a_failure_need_review(tmp_path, text, step):
    code, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "needs review", steps[step]
    assert code == 1


@pytest.mark.parametrize("words", ["We assume throughout that $x > 0$.", "In what follows, $x > 0$.",
                                   "Assume that $x$ is positive.", "Let $x$ be a positive number.", "Let $x$ be positive.",
                                   "From here on, $x > 0$."])
def test_an_assumption_in_a_sentence_of_its_own_in_other_words(tmp_path, words):
    _, steps = _scan(tmp_path, f"{words}\n\nThen $\\sqrt{{x^2}} = x$ and $\\sqrt{{x^2}} = -x$.\n")
    assert steps["\\sqrt{x^2} = x"]["status"] in ("proved", "checked"), steps
    wrong = steps["\\sqrt{x^2} = -x"]
    assert wrong["status"] == "refuted" and Fraction(wrong["counterexample"]["values"]["x"]) > 0, wrong


def test_a_sign_said_after_the_names_in_the_sentence_of_the_step(tmp_path):
    _, steps = _scan(tmp_path, "If $x$ is positive, then $\\sqrt{x^2} = x$.\n\nFor $a$ and $b$ positive, "
                               "$\\sqrt{a^2 b^2} = ab$.\n\nAlso $\\sqrt{y^2} = y$.\n")
    assert steps["\\sqrt{x^2} = x"]["status"] in ("proved", "checked"), steps
    assert steps["\\sqrt{a^2 b^2} = ab"]["status"] in ("proved", "checked"), steps
    assert steps["\\sqrt{y^2} = y"]["status"] == "refuted"  # no sign said of y


def test_a_positive_number_is_not_a_count(tmp_path):
    # "a positive number" is a real; "the number of samples" is a count (a whole number)
    _, steps = _scan(tmp_path, "Let $x$ be a positive number. Then $\\sqrt{x^2} = x$.\n\n## Next\n\n"
                               "Let $n$ be the number of samples. Then $n^2 \\ge n$.\n")
    assert steps["\\sqrt{x^2} = x"]["status"] in ("proved", "checked"), steps
    assert steps["n^2 \\ge n"]["status"] == "needs review" and "count" in steps["n^2 \\ge n"]["reason"]
