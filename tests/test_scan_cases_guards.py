"""A piecewise definition: where a row's value is a real number (1/x needs x != 0) matters only where that row is
taken, never for the other rows."""

from fractions import Fraction

import pytest

from proofs.material import read
from proofs.scan.steps import scan_document

CASES = "\\begin{cases} \\frac{1}{x} & \\text{if } x \\neq 0 \\\\ 0 & {other} \\end{cases}"


def steps(tmp_path, text):
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=10.0, second_reader=False)}


@pytest.mark.parametrize("other", ["\\text{if } x = 0", "\\text{otherwise}"])
def test_the_value_of_another_row_is_read_where_a_row_is_undefined(tmp_path, other):
    found = steps(tmp_path, f"Let $h(x) = {CASES.replace('{other}', other)}$. Then $h(0) = 0$ and $h(2) = \\frac12$.\n")
    assert found["h(0) = 0"].status == "proved", found["h(0) = 0"]
    assert found["h(2) = \\frac12"].status == "proved"


@pytest.mark.parametrize("other", ["\\text{if } x = 0", "\\text{otherwise}"])
def test_a_wrong_value_of_a_row_is_refuted(tmp_path, other):
    found = steps(tmp_path, f"Let $h(x) = {CASES.replace('{other}', other)}$. Then $h(0) = 1$ and $h(x) x + x = 1 + x$.\n")
    assert found["h(0) = 1"].status == "refuted", found["h(0) = 1"]
    step = found["h(x) x + x = 1 + x"]
    assert step.status == "refuted", step
    x = Fraction(step.counterexample["values"]["x"])
    assert x == 0  # 0 * 0 != 1: the only point where the identity fails, and it is in the domain


def test_a_rows_guard_still_holds_where_the_row_is_taken(tmp_path):
    text = ("Let $m(x) = \\begin{cases} \\sqrt{x - 1} & \\text{if } x \\ge 0 \\\\ 0 & \\text{otherwise} \\end{cases}$. "
            "Then $m(x)^2 + 1 \\ge x$.\n")
    step = steps(tmp_path, text)["m(x)^2 + 1 \\ge x"]
    # for 0 <= x < 1 the row's value is not real: those points are out of the domain, never a counterexample
    assert step.status in ("proved", "checked"), step


PROSE = "{intro} $f(x) = \\frac{{1}}{{x}}$ for $x \\neq 0$, and $f(x) = 0$ for $x = 0$. {then} $f(0) = {value}$.\n"


@pytest.mark.parametrize("intro, then", [("Let", "Then"), ("We define", "Hence")])
def test_a_function_defined_piece_by_piece_in_prose_has_a_guard_per_piece(tmp_path, intro, then):
    found = steps(tmp_path, PROSE.format(intro=intro, then=then, value="0"))
    assert found["f(0) = 0"].status == "proved", found["f(0) = 0"]
    assert found["f(x) = 0"].status == "definition" and found["x = 0"].status == "skipped"
    wrong = steps(tmp_path, PROSE.format(intro=intro, then=then, value="1"))["f(0) = 1"]
    assert wrong.status == "refuted", wrong
    assert Fraction(wrong.counterexample["left"]) == 0 and Fraction(wrong.counterexample["right"]) == 1


def test_a_piece_for_everything_else(tmp_path):
    found = steps(tmp_path, "Let $q(x) = x^2$ for $x > 0$, and $q(x) = -x$ otherwise. "
                            "Then $q(-3) = 3$, $q(2) = 4$ and $q(-1) = 2$.\n")
    assert found["q(-3) = 3"].status == "proved" and found["q(2) = 4"].status == "proved"
    assert found["q(-1) = 2"].status == "refuted"


def test_values_of_a_known_function_are_not_read_as_pieces(tmp_path):
    found = steps(tmp_path, "Then $\\sigma(x) = 0.5$ for $x = 0$, and $\\sigma(x) = 0.5$ for $x = 1$.\n")
    assert found["\\sigma(x) = 0.5"].status != "definition"


def test_a_later_piece_given_as_a_value_alone(tmp_path):
    # "f(x) = x if x > 0 and 0 otherwise": the 0 is the second piece, not prose (f was x everywhere)
    found = steps(tmp_path, "Let $g(x) = x$ if $x > 0$ and $0$ otherwise. Then $g(-2) = 0$ and $g(-1) = -1$.\n")
    assert found["g(-2) = 0"].status == "proved", found["g(-2) = 0"]
    wrong = found["g(-1) = -1"]
    assert wrong.status == "refuted" and Fraction(wrong.counterexample["left"]) == 0, wrong


def test_one_piece_with_a_condition_defines_the_function_there_only(tmp_path):
    for text in ("Let $r(x) = x$ for $x > 0$. Then $r(-1) = -1$ and $r(2) = 2$.\n",
                 "Let $r(x) = x$, $x > 0$. Then $r(-1) = -1$ and $r(2) = 2$.\n"):
        found = steps(tmp_path, text)
        assert found["r(-1) = -1"].status not in ("proved", "checked", "refuted"), found["r(-1) = -1"]
        assert found["r(2) = 2"].status == "proved", found["r(2) = 2"]


def test_pieces_for_a_function_defined_before_are_a_second_formula(tmp_path):
    # a claim about f or a new definition: neither decides a later value (f(-1) = 1 holds for |x|, not for the pieces)
    found = steps(tmp_path, "Let $f(x) = |x|$. Then $f(x) = x$ for $x > 0$, and $f(x) = x$ otherwise. So $f(-1) = 1$.\n")
    assert found["f(-1) = 1"].status not in ("proved", "checked", "refuted"), found["f(-1) = 1"]
    assert all(s.status == "skipped" for t, s in found.items() if t != "f(x) = |x|"), found


def test_a_list_of_definitions_is_not_one_piece_under_a_condition(tmp_path):
    # the second definition after "and" is no condition of the first (an equation, no condition word)
    found = steps(tmp_path, "Let $f(w) = w^2 + 1$ and $g(x, y) = x y + 1$. Then $f(2) = 5$ and $g(1, 2) = 3$.\n")
    assert found["f(2) = 5"].status == "proved" and found["g(1, 2) = 3"].status == "proved", found


def test_pieces_whose_first_repeats_the_formula_before_are_still_a_second_formula(tmp_path):
    found = steps(tmp_path, "Let $f(t) = t^2 + t + 2$. Then $f(t) = t^2 + t + 2$ for $t > 0$, and $f(t) = -t - 2$ "
                            "elsewhere. So $f(-1) = -1$.\n")
    assert found["f(-1) = -1"].status not in ("proved", "checked", "refuted"), found["f(-1) = -1"]
