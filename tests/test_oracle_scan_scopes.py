"""Scopes of declarations and conditions against generated exercises whose every step's truth is known
(tests/scan_oracle_scopes.py), and the wrong verdicts that oracle found, each pinned by a minimal document."""

import dataclasses

import pytest

from proofs.material import parse as read_text
from proofs.scan.steps import scan_document
from scan_oracle_scopes import RandomSource, Tally, generate, judge, replays


def _scan(text: str) -> dict:
    out: dict = {}
    for s in scan_document(read_text("generated.md", text, "markdown"), second_reader=False):
        out.setdefault(s.text, []).append(s)
    return out


def _run(seeds) -> Tally:
    total = Tally()
    for seed in seeds:
        material = generate(RandomSource(seed), exercises=2, seed=seed)
        scanned = scan_document(read_text("generated.md", material.text, "markdown"), second_reader=False)
        total.add(judge(material, scanned))
    return total


def _clean(total: Tally) -> None:
    for kind in ("false_proofs", "false_alarms", "unreplayed"):
        assert not getattr(total, kind), f"{kind}:\n" + "\n".join(getattr(total, kind)[:20])


def test_a_fixed_sample_of_scoped_exercises_is_judged_right():
    total = _run(range(6))
    _clean(total)
    assert total.steps >= 40 and total.rows["false"].get("refuted", 0) >= 10, total.rows
    assert total.rows["true"].get("checked", 0) >= 10, total.rows


@pytest.mark.slow
def test_a_larger_sample_of_scoped_exercises_is_judged_right(soak):
    _clean(_run(range(100, 400 if soak else 130)))


def test_the_oracle_sees_a_scan_that_checks_every_step_or_refutes_every_one():
    material = generate(RandomSource(3), exercises=2, seed=3)
    steps = scan_document(read_text("generated.md", material.text, "markdown"), second_reader=False)
    checked = [dataclasses.replace(s, status="checked") if s.status != "definition" else s for s in steps]
    refuted = [dataclasses.replace(s, status="refuted") if s.status != "definition" else s for s in steps]
    assert judge(material, checked).false_proofs and judge(material, refuted).false_alarms
    # a counterexample that breaks the condition in force does not replay
    from scan_oracle_scopes import TEMPLATES, Expected

    step = Expected("A^T A x = x", "true", {"A": "orthogonal"}, TEMPLATES[0])
    assert not replays(step, {"values": {"A": "[[2, 0], [0, 1]]", "x": "[[1], [1]]"}})  # A is not orthogonal
    assert replays(dataclasses.replace(step, conditions={}), {"values": {"A": "[[2, 0], [0, 1]]", "x": "[[1], [1]]"}})
    assert not replays(dataclasses.replace(step, conditions={}), {"values": {"A": "[[0, 1], [1, 0]]", "x": "[[1], [2]]"}})


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


def test_a_part_that_takes_a_letter_a_number_drops_the_introduction_s_condition_for_itself_only():
    # (a) declares A a number for itself; (b) has the introduction's matrix A again, and its orthogonality: the step was
    # refuted at A = [[2]] (and a slip refuted at a counterexample that is not orthogonal)
    text = ("# Sheet\n\n## 2 Shapes\n\nLet $A, B \\in \\mathbb{R}^{n \\times n}$ and $x \\in \\mathbb{R}^n$. "
            "Suppose $A^T A = I$.\n\n(a) Here $A \\in \\mathbb{R}$ is a number and $B \\in \\mathbb{R}$ too.\n\n"
            "$$A B = B A$$\n\n(b) Show\n\n$$\\|A x\\| = \\|x\\|$$\n\n$$A^T A x = x$$\n")
    found = _scan(text)
    assert [s.status for s in found["A B = B A"]] in (["proved"], ["checked"])
    assert found["\\|A x\\| = \\|x\\|"][0].status == "checked", found["\\|A x\\| = \\|x\\|"][0]
    assert found["A^T A x = x"][0].status == "checked"


@pytest.mark.parametrize("general", ["Now take any $s$.", "For an arbitrary $s \\in \\mathbb{R}$,", "Now $s$ is arbitrary.",
                                     "Let $s$ be any real number."])
def test_a_part_that_takes_a_number_in_general_drops_an_earlier_part_s_assumption(general):
    # the scalar reading kept (a)'s "Assume $s \ge 0$" in every later part: |s| = s was checked in (c) under it
    found = _scan(f"# Sheet\n\n## 1 Values\n\n(a) Assume $s \\ge 0$. Then $|s| = s$.\n\n(b) So $|s| = s$.\n\n"
                  f"(c) {general} Then $|s| = s$.\n")
    assert [s.status for s in found["|s| = s"]] == ["checked", "checked", "refuted"], found["|s| = s"]


@pytest.mark.parametrize("label", ["**(b)**", "**Part (b)**", "__(b)__", "**(b):**", "b)", "(b)"])
def test_an_assumption_a_part_opens_with_holds_whatever_the_part_s_label(label):
    # "Assume $s > 0$." after a bold label was not read as an assumption: a true step was refuted at s = -1
    found = _scan(f"# Sheet\n\n{label} Assume $s > 0$. So $|s| = s$.\n")
    assert found["|s| = s"][0].status == "checked", found["|s| = s"][0]


@pytest.mark.parametrize("words", ["Throughout, assume $s \\ge 0$.", "Henceforth, we assume $s \\ge 0$.",
                                   "In what follows, suppose that $s \\ge 0$."])
def test_an_introduction_s_standing_assumption_opened_by_throughout_holds_in_its_parts(words):
    # "Throughout, assume" was not read as an assumption ("assume throughout" was): |s| = s was refuted at s = -1
    found = _scan(f"# Sheet\n\n## 2 Numbers\n\n{words}\n\n(a) We have $|s| = s$.\n")
    assert found["|s| = s"][0].status == "checked", found["|s| = s"][0]
