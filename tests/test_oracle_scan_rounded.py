"""The scan's rounded results and `\\approx` against generated exercises whose every decimal's truth is known
(tests/scan_oracle_rounded.py): nothing true refuted, nothing false proved, checked or skipped as a rounding, every
counterexample replayed by the generator's own fractions."""

import dataclasses
from fractions import Fraction

import pytest

from proofs.material import parse as read_text
from proofs.scan.steps import scan_document
from scan_oracle_rounded import ALLOWED, RandomSource, Tally, classify, generate, judge


def _scan(text: str):
    return scan_document(read_text("generated.md", text, "markdown"), second_reader=False)


def _run(seeds) -> Tally:
    total = Tally()
    for seed in seeds:
        material = generate(RandomSource(seed), exercises=2)
        total.add(judge(material, _scan(material.text)))
    return total


def test_a_fixed_sample_of_rounded_results_is_never_decided_wrongly():
    total = _run(range(8))
    assert total.steps >= 80, total.rows
    assert not total.wrong, "\n".join(total.wrong)
    assert not total.misread, "\n".join(total.misread)
    # the sample holds each truth the generator knows, decided both ways
    assert {"exact", "rounding", "slip", "agrees", "disagrees", "mixed"} <= set(total.rows), total.rows
    assert total.rows["slip"].get("refuted", 0) >= 5 and total.rows["disagrees"].get("needs review", 0) >= 1, total.rows


@pytest.mark.slow
def test_a_larger_sample_of_rounded_results_is_never_decided_wrongly(soak):
    total = _run(range(1000, 1400 if soak else 1040))
    assert not total.wrong, "\n".join(total.wrong[:20])
    assert not total.misread, "\n".join(total.misread[:20])


def test_the_oracle_sees_a_scan_that_passes_every_decimal_or_refutes_every_one():
    material = generate(RandomSource(3), exercises=2)
    steps = _scan(material.text)
    passed = [dataclasses.replace(s, status="skipped", reason="a rounded value") if s.status != "definition" else s
              for s in steps]
    refuted = [dataclasses.replace(s, status="refuted") if s.status != "definition" else s for s in steps]
    assert judge(material, passed).wrong and judge(material, refuted).wrong
    assert not judge(material, steps).wrong


def test_the_generator_s_truth_is_its_own_fractions():
    third = Fraction(1, 3)
    assert classify(third, Fraction(33, 100), 2, "=") == "rounding"
    assert classify(third, Fraction(34, 100), 2, "=") == "slip"
    assert classify(third, Fraction(34, 100), 2, "\\approx") == "disagrees"
    assert classify(Fraction(2, 3), Fraction(666, 1000), 3, "\\approx") == "agrees"  # cut off
    assert classify(Fraction(1, 8), Fraction(13, 100), 2, "=") == "edge"
    assert classify(Fraction(1, 8), Fraction(12, 100), 2, "=") == "edge"  # half to even
    assert classify(Fraction(121, 1000), Fraction(12, 100), 2, "=", computed=3) == "slip"  # 0.12 + 0.001
    assert classify(third, Fraction(3, 10), 1, "=") == "short"
    assert set(ALLOWED["rounding"]) == {"skipped"} and "skipped" not in ALLOWED["slip"]


# Regressions the oracle found.

@pytest.mark.parametrize("step, status", [
    # \approx agrees when the value rounds or cuts off to the decimals printed, not when it is merely within one unit
    (r"\frac{1}{3} \approx 0.34", "needs review"),
    (r"\frac{1}{16} \approx 0.07", "needs review"),
    (r"\frac{10}{3} \approx 3.4", "needs review"),
    (r"0.4 \cdot 0.5 \approx 0.21", "needs review"),
    (r"-\frac{2}{3} \approx -0.665", "needs review"),
    (r"\frac{1}{3} \approx 0.33", "skipped"),
    (r"\frac{2}{3} \approx 0.666", "skipped"),
    (r"-\frac{2}{3} \approx -0.666", "skipped"),
    (r"\frac{5}{8} \approx 0.62", "skipped"),
    (r"\frac{5}{8} \approx 0.63", "skipped"),
    (r"\frac{1}{16} \approx 0.06", "skipped"),
])
def test_approximately_holds_when_the_value_rounds_or_cuts_off_to_the_decimals_printed(step, status):
    (found,) = _scan(f"# Ex\n\nNumerically, ${step}$.\n")
    assert found.status == status, found


@pytest.mark.parametrize("intro, part, step, status", [
    # a value the introduction or the part gives a letter: the step is a rounding at that value, not refuted
    ("Let $x = \\frac{1}{3}$.", "", "2x = 0.67", "skipped"),
    ("Let $x = \\frac{1}{3}$ and $s = 2$.", "", "x + s = 2.33", "skipped"),
    ("", "For this part let $r = \\frac{3}{7}$.", "3 r = 1.29", "skipped"),
    ("Let $x = \\frac{1}{3}$.", "", "2x = 0.66", "refuted"),  # not a rounding of 2/3: still refuted
    ("Let $x = \\frac{1}{3}$.", "", "2x = 0.6667", "skipped"),
])
def test_a_rounded_value_at_a_value_a_scope_gives_is_a_rounding(intro, part, step, status):
    text = f"# Ex\n\n## 1 Values\n\n{intro}\n\n(a) {part} So ${step}$.\n"
    found = [s for s in _scan(text) if s.text == step]
    assert found and found[0].status == status, found
