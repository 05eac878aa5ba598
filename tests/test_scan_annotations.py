"""Justifications and equation marks after a step (\\quad\\text{(chain rule)}, \\tag{1}, \\label{...}) are no part of it;
a \\text{} that states a condition still does."""

from fractions import Fraction

import pytest

from proofs.material import read
from proofs.scan.chains import chains
from proofs.scan.steps import scan_document

NOTES = ["\\quad\\text{(chain rule)}", "\\qquad \\text{by (2)}", "\\tag{1}", "\\nonumber", "\\label{eq:sq}",
         "\\quad (\\text{by Jensen})", "\\text{ using the definition}", "\\nonumber \\label{a} \\tag*{(*)}"]


def steps(tmp_path, text):
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return [s for s in scan_document(read(tmp_path, "a.md"), timeout=10.0, second_reader=False)
            if s.status != "definition"]


@pytest.mark.parametrize("note", NOTES)
def test_a_note_after_a_true_step_is_dropped_and_the_step_proved(tmp_path, note):
    [step] = steps(tmp_path, f"We have $(a+b)^2 = a^2 + 2ab + b^2 {note}$.\n")
    assert step.status == "proved" and step.text == "(a+b)^2 = a^2 + 2ab + b^2", step


@pytest.mark.parametrize("note", NOTES)
def test_a_note_after_a_false_step_leaves_it_refuted_with_a_replayed_counterexample(tmp_path, note):
    [step] = steps(tmp_path, f"We have $(a+b)^2 = a^2 + 3ab + b^2 {note}$.\n")
    assert step.status == "refuted" and step.text == "(a+b)^2 = a^2 + 3ab + b^2", step
    a, b = (Fraction(step.counterexample["values"][k]) for k in "ab")
    assert (a + b) ** 2 != a ** 2 + 3 * a * b + b ** 2


def test_notes_in_an_aligned_chain(tmp_path):
    text = ("$$\\begin{aligned} (a+b)^2 &= a^2 + 2ab + b^2 \\quad \\text{(expand)} \\\\ "
            "&= b^2 + 2ab + a^2 \\tag{3} \\end{aligned}$$\n")
    found = steps(tmp_path, text)
    assert [s.status for s in found] == ["proved", "proved"], found


@pytest.mark.parametrize("condition", ["\\quad \\text{if } a \\neq 0", "\\quad \\text{for } a \\neq 0",
                                       "\\quad (\\text{for } a \\neq 0)"])
def test_a_text_that_is_a_condition_is_still_a_condition(condition):
    [chain] = chains(f"\\frac{{a}}{{a}} = 1 {condition}")
    assert chain.conditions and "a \\neq 0" in chain.conditions[0]
    assert chain.sides[-1].text.strip() == "1"


def test_prose_that_is_the_side_itself_is_not_dropped(tmp_path):
    [chain] = chains("x = \\text{const}")
    assert chain.sides[-1].text == "\\text{const}"


@pytest.mark.parametrize("note", ["\\qquad (\\star)", "\\quad (*)", "\\qquad (12)", "\\quad (2.1)", "% expand\n",
                                  "\\tag{2} % by (1)\n", "\\qquad \\blacksquare", "\\quad \\checkmark", "\\hfill (3)",
                                  "\\eqno(3)", "\\quad [\\text{chain rule}]"])
def test_a_mark_or_a_comment_after_a_step_is_no_part_of_it(tmp_path, note):
    [true] = steps(tmp_path, f"$$(a+b)^2 = a^2 + 2ab + b^2 {note}$$\n")
    assert true.status == "proved" and true.text == "(a+b)^2 = a^2 + 2ab + b^2", true
    [false] = steps(tmp_path, f"$$(a+b)^2 = a^2 + 3ab + b^2 {note}$$\n")
    assert false.status == "refuted" and false.text == "(a+b)^2 = a^2 + 3ab + b^2", false


def test_a_comment_ends_at_its_line_in_an_aligned_chain(tmp_path):
    text = "$$\\begin{aligned} (a+b)^2 &= a^2 + 2ab + b^2 \\\\ % expand\n&= b^2 + 2ab + a^2 + 1 \\end{aligned}$$\n"
    assert [s.status for s in steps(tmp_path, text)] == ["proved", "refuted"]
    # only spacing makes a number in parentheses a mark: 3 (2) is a product
    [step] = steps(tmp_path, "$$3 (2) = 6 \\qquad (1)$$\n")
    assert step.status == "proved" and step.text == "3 (2) = 6", step
