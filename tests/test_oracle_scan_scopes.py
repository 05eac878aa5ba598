"""Scopes of declarations and conditions against generated exercises whose every step's truth is known
(tests/scan_oracle_scopes.py), and the wrong verdicts that oracle found, each pinned by a minimal document."""

import pytest

from proofs.material import parse as read_text
from proofs.scan.steps import scan_document


def _scan(text: str) -> dict:
    out: dict = {}
    for s in scan_document(read_text("generated.md", text, "markdown"), second_reader=False):
        out.setdefault(s.text, []).append(s)
    return out


_INTRO = "# Sheet\n\n## 1 Matrices\n\nLet $A, B \\in \\mathbb{R}^{n \\times n}$ and $x, y \\in \\mathbb{R}^n$.\n\n"


@pytest.mark.parametrize("general", [
    "For an arbitrary $A \\in \\mathbb{R}^{n \\times n}$,",
    "Take any $2 \\times 2$ matrices $A, B$.",
    "Let $A$ be a general matrix.",
    "Now $A$ is arbitrary.",
    "Let $A, B \\in \\mathbb{R}^{n \\times n}$ be arbitrary.",
])
def test_a_part_that_takes_a_letter_in_general_drops_an_earlier_part_s_condition(general):
    # the words that take the letter in general were missed when the formula declared it or they came after it: the
    # step was checked under (a)'s orthogonality
    found = _scan(_INTRO + f"(a) Assume $A$ is orthogonal. Then\n\n$$A^T A x = x$$\n\n(b) {general}\n\n$$A^T A x = x$$\n")
    first, second = found["A^T A x = x"]
    assert first.status == "checked", first
    assert second.status in ("refuted", "needs review"), second


def test_a_letter_taken_as_an_arbitrary_matrix_of_a_kind_keeps_that_condition():
    found = _scan(_INTRO + "(a) Let $A$ be an arbitrary orthogonal matrix.\n\n$$A^T A x = x$$\n\n"
                           "(b) Let $B$ be a general symmetric matrix.\n\n$$x^T B y = y^T B x$$\n")
    assert found["A^T A x = x"][0].status == "checked"
    assert found["x^T B y = y^T B x"][0].status == "checked"


@pytest.mark.parametrize("label", ["(b)", "**(b)**", "- (b)", "b)"])
def test_a_step_true_only_at_a_number_an_earlier_part_gives_needs_review_whatever_the_label(label):
    # (a)'s example value does not hold in (b), but a step that holds only there needs review, never refuted (it was
    # refuted after "(b)" and needed review after "**Part (b)**")
    found = _scan("# Sheet\n\n## 1 Values\n\n(a) For example, let $s = 2$. Then $s^2 = 2 s$.\n\n"
                  f"{label} Also $s^2 = 2 s$ and $s^2 = 4 s$.\n")
    assert [s.status for s in found["s^2 = 2 s"]] == ["checked", "needs review"]
    assert found["s^2 = 4 s"][0].status == "refuted"  # false at s = 2 as well


def test_a_number_an_earlier_exercise_gives_is_not_this_exercise_s():
    found = _scan("# Sheet\n\n## 1 Values\n\n(a) For example, let $s = 2$. Then $s^2 = 2 s$.\n\n"
                  "## 2 Others\n\n(a) We have $s^2 + s = 3 s$.\n")
    assert found["s^2 + s = 3 s"][0].status == "refuted"
