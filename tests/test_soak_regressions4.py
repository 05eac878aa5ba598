"""Wrong verdicts found by soaks of the oracles on fresh seeds, each pinned by a minimal document."""

from proofs.material import parse as read_text
from proofs.scan.steps import scan_document


def _scan(text: str) -> dict:
    return {s.text: s for s in scan_document(read_text("soak.md", text, "markdown"), second_reader=False)
            if s.status != "definition"}


_INTRO = ("## Problem 1\n\nLet $B \\in \\mathbb{R}^{n \\times n}$ and $x, y \\in \\mathbb{R}^n$. "
          "Suppose $B$ is positive semidefinite.\n\n")


def test_a_part_s_own_number_does_not_bring_back_a_condition_an_earlier_part_dropped():
    # scopes oracle, seed 7731302: x^T B x >= 0 was checked in (c) under the introduction's semidefiniteness, which
    # part (a) dropped by taking B in general; part (b)'s own declaration brought it back when (b) ended
    text = _INTRO + ("(a) Now take any $B$.\n\n(b) Here $B \\in \\mathbb{R}$ is a number.\n\n"
                     "(c) We have\n\n$$x^T B x \\ge 0$$\n")
    assert _scan(text)["x^T B x \\ge 0"].status not in ("proved", "checked")


def test_after_a_part_s_own_number_the_conditions_held_just_before_it_hold_again():
    # what held before part (c) declared B a number (symmetric, from (b)) holds in (d); the introduction's
    # semidefiniteness, dropped by (a), does not
    text = _INTRO + ("(a) Now take any $B$.\n\n(b) Suppose $B$ is symmetric.\n\n(c) Here $B \\in \\mathbb{R}$ is a "
                     "number.\n\n(d) We have\n\n$$x^T B y = y^T B x$$\n\n$$x^T B x \\ge 0$$\n")
    steps = _scan(text)
    assert steps["x^T B y = y^T B x"].status == "checked"
    assert steps["x^T B x \\ge 0"].status not in ("proved", "checked")

