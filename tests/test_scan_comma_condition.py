"""A condition followed by a comma and a formula ("For $p \\in [0, 1]$, $p(1 - p) \\le \\frac14$"): the formula is the
claim the condition is for, checked under it; a list of conditions stays a list."""

from fractions import Fraction

import pytest

from proofs.material import read
from proofs.scan.steps import scan_document


def steps(tmp_path, text):
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=10.0, second_reader=False)}


@pytest.mark.parametrize("condition", ["p \\in [0, 1]", "0 \\le p \\le 1"])
def test_the_claim_after_the_comma_is_checked_under_the_condition(tmp_path, condition):
    found = steps(tmp_path, f"For ${condition}$, $p(1 - p) \\le \\frac14$.\n")
    assert found["p(1 - p) \\le \\frac14"].status in ("proved", "checked"), found


@pytest.mark.parametrize("condition", ["p \\in [0, 1]", "0 \\le p \\le 1"])
def test_a_false_claim_after_the_comma_is_refuted_inside_the_condition(tmp_path, condition):
    step = steps(tmp_path, f"For ${condition}$, $p(1 - p) \\le \\frac15$.\n")["p(1 - p) \\le \\frac15"]
    assert step.status == "refuted", step
    p = Fraction(step.counterexample["values"]["p"])
    assert 0 <= p <= 1 and not p * (1 - p) <= Fraction(1, 5)


def test_a_false_claim_about_an_expression_is_refuted(tmp_path):
    found = steps(tmp_path, "For $x > 0$, $x^2 + x > 0$.\n\nFor $x > 0$, $x^2 - x > 0$.\n")
    assert found["x^2 + x > 0"].status in ("proved", "checked")
    step = found["x^2 - x > 0"]
    assert step.status == "refuted"
    x = Fraction(step.counterexample["values"]["x"])
    assert x > 0 and not x * x - x > 0


def test_a_list_of_conditions_stays_conditions(tmp_path):
    found = steps(tmp_path, "For $a > 0$, $b > 0$, we have $ab > 0$.\n\nFor $a > 0$, $b > 0$.\n\n"
                            "We have $\\sqrt{x} \\ge 0$ for $x > 0$, $x^2 < 4$.\n")
    assert all(found[t].status == "skipped" for t in ("a > 0", "b > 0", "x > 0", "x^2 < 4")), found
    assert found["ab > 0"].status in ("proved", "checked")


def test_a_bound_stated_with_its_conditions_after_it_is_still_a_condition(tmp_path):
    found = steps(tmp_path, "The update is stable: $|1 - \\eta \\lambda| < 1$ for $\\eta > 0$, $\\lambda > 0$.\n")
    assert found["|1 - \\eta \\lambda| < 1"].status == "skipped"


# A bound on one name joined by a comma to the claim before it ends the sentence: the condition the claim is for.
@pytest.mark.parametrize("text", ["We have $\\sqrt{x^2} = x$, $x > 0$.\n", "$$\\sqrt{x^2} = x, \\quad x > 0$$\n",
                                  "$$\\sqrt{x^2} = x, \\; x > 0$$\n", "Then $\\sqrt{x^2} = x$, $x \\ge 0$, $x \\le 3$.\n",
                                  "$$\\sqrt{x^2} = x, \\qquad 0 \\le x \\le 3.$$\n"])
def test_a_condition_after_the_claim_is_its_condition(tmp_path, text):
    found = steps(tmp_path, text)
    assert found["\\sqrt{x^2} = x"].status in ("proved", "checked"), found


@pytest.mark.parametrize("text", ["We have $\\sqrt{x^2} = -x$, $x > 0$.\n", "$$\\sqrt{x^2} = -x, \\quad x > 0$$\n"])
def test_a_false_claim_before_its_condition_is_refuted_inside_it(tmp_path, text):
    step = steps(tmp_path, text)["\\sqrt{x^2} = -x"]
    assert step.status == "refuted", step
    x = Fraction(step.counterexample["values"]["x"])
    assert x > 0 and x != -x and "under x > 0" in step.reason


def test_a_bound_after_a_claim_is_its_condition_only_when_the_claim_uses_the_name(tmp_path):
    found = steps(tmp_path, "We have $\\sqrt{x^2} = x$, $x > 0$.\n\nAlso $\\sqrt{y^2} = y$, $z > 0$.\n\n"
                            "$$\\sqrt{u^2} = u, \\quad v > 0$$\n")
    assert found["\\sqrt{x^2} = x"].status in ("proved", "checked"), found
    assert found["\\sqrt{y^2} = y"].status == "refuted" and found["\\sqrt{u^2} = u"].status == "refuted", found


def test_a_long_list_of_bounds_after_a_claim_is_read_once(tmp_path, monkeypatch):
    # each formula is tried as a bound once, not once per formula after it (a quadratic in a long sentence)
    from proofs.scan import steps as scan_steps
    from proofs.scan.chains import bound_name, chains
    from proofs.scan.find import spans

    calls = []
    monkeypatch.setattr(scan_steps, "bound_name", lambda body: calls.append(body) or bound_name(body))
    n = 200
    claim = " + ".join(f"|x_{{{k}}}|" for k in range(n)) + " = " + " + ".join(f"x_{{{k}}}" for k in range(n))
    (tmp_path / "a.md").write_text(f"We have ${claim}$, " + ", ".join(f"$x_{{{k}}} \\ge 0$" for k in range(n)) + ".\n",
                                   encoding="utf-8")
    found = spans(read(tmp_path, "a.md"))
    conditional = scan_steps._conditional(found, [chains(s.body) for s in found])
    assert conditional == [False] + [True] * n
    assert len(calls) <= n + 1, len(calls)
