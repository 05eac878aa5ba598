"""Sums without bounds and derivatives of them (softmax cross-entropy): decided at each length, facts with a sum
honoured, every counterexample replayed."""

import math
from fractions import Fraction
from pathlib import Path

import pytest


MATERIAL = Path(__file__).resolve().parent / "scan_material"

SOFTMAX = ("Let $z \\in \\mathbb{{R}}^{{n}}$ and $y \\in \\mathbb{{R}}^{{n}}${fact}. For $j = 1, \\dots, n$,\n\n"
           "$$\\hat{{y}}_j = \\frac{{e^{{z_j}}}}{{\\sum_k e^{{z_k}}}}$$\n\n$$L = -\\sum_i y_i \\log \\hat{{y}}_i$$\n\n"
           "$${step}$$\n")
WITH = " with $\\sum_i y_i = 1$"


def steps(tmp_path, text):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), second_reader=False)}


def one(tmp_path, step, fact=WITH):
    return steps(tmp_path, SOFTMAX.format(fact=fact, step=step))[step]


@pytest.mark.slow
def test_the_softmax_cross_entropy_sheet_is_checked_and_its_slips_refuted(scan_matrix, scan_matrix_slips):
    # each file of the material is scanned on its own: the session's scans of the two folders report softmax.md as a
    # scan of it alone does
    _, report, _ = scan_matrix
    claims = [s for s in report["steps"] if s["file"] == "softmax.md" and s["status"] not in ("definition", "skipped")]
    assert [s["line"] for s in claims] == [18, 22, 24, 34, 48, 50, 52, 62, 64, 72], claims
    assert all(s["status"] == "checked" for s in claims), claims
    assert "n = 1..3" in claims[0]["reason"] and "stated fact" not in claims[0]["reason"]  # holds without the fact
    assert "under the stated fact" in claims[1]["reason"]  # holds only under it
    code, report, _ = scan_matrix_slips
    assert code == 1
    slips = [s for s in report["steps"] if s["file"] == "softmax.md" and s["status"] not in ("definition", "skipped")]
    # a sign error, a missing term, a missing factor, a gradient of the wrong shape, a sign error in vector form, a
    # missing log, the simplified gradient where the material states no condition, a missing term with the softmax by
    # name; in matrix form: transposed gradients, a missing transpose, a product in the wrong order, a sign error and a
    # missing factor through the softmax, and a missing factor and a missing transpose through a sigmoid layer
    assert {s["line"]: s["status"] for s in slips} == {n: "refuted" for n in (11, 13, 15, 17, 19, 27, 37, 47, 61, 63, 65,
                                                                              67, 69, 71, 81, 83)}


def test_each_counterexample_replays_on_its_own_and_satisfies_the_fact():
    from proofs.material import read
    from proofs.scan import sums
    from proofs.scan.steps import scan_document

    refuted = [s for s in scan_document(read(MATERIAL / "matrix_slips", "softmax.md"), second_reader=False)
               if s.status == "refuted"]
    refuted = [s for s in refuted if s.line < 50]  # (the sections in matrix form are replayed in test_scan_matrices)
    assert len(refuted) == 8
    # the steps in vector form are decided by the matrix reading: their instance honours the fact, and the oracle's
    # gradient at it differs from the printed side (or the shapes differ)
    printed = {17: None, 19: lambda z, y, p: [a - b for a, b in zip(y, p)], 47: lambda z, y, p: p}
    vector = [s for s in refuted if "layout" in s.counterexample]
    assert sorted(s.line for s in vector) == sorted(printed)
    for s in vector:
        if printed[s.line] is None:
            assert s.counterexample.get("shapes_only")
            continue
        values = s.counterexample["values"]
        z = [float(Fraction(r[0])) for r in values["z"]]
        y = [Fraction(r[0]) for r in values["y"]]
        assert sum(y) == 1 and not any(k.startswith("hat_y") for k in values)
        y = [float(v) for v in y]
        p = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
        true = [_reference_gradient(z, y, j) for j in range(len(z))]
        assert max(abs(a - b) for a, b in zip(true, printed[s.line](z, y, p))) > 1e-3
    for s in [s for s in refuted if s not in vector]:
        values = {k: Fraction(v) for k, v in s.counterexample["values"].items()}
        assert not any(k.startswith("hat_y") for k in values)  # the softmax is read in, never a free input
        n = int(values["#i"])
        if s.conditions:
            assert sum(values[f"y[{i}]"] for i in range(1, n + 1)) == 1
        assert sums.replay(s.exprs[0], "=", s.exprs[1], s.counterexample, s.conditions)
    # not a formality: the sign error's instance does not refute the true gradient
    sign = refuted[0]
    true = one_exprs(r"\hat{y}_j - y_j")
    assert not sums.replay(sign.exprs[0], "=", true, sign.counterexample, sign.conditions)


def one_exprs(text):
    from proofs.scan.parse import parse

    return parse(text.replace(r"\hat{y}_j", r"\frac{e^{z_j}}{\sum_k e^{z_k}}"))


def _reference_gradient(z, y, j):
    """dL/dz_j of L = -sum_i y_i log softmax(z)_i, by a central difference in floats (an oracle sharing no code)."""
    def loss(zz):
        m = max(zz)
        s = sum(math.exp(v - m) for v in zz)
        return -sum(yi * ((zi - m) - math.log(s)) for yi, zi in zip(y, zz))
    h = 1e-6
    up, down = list(z), list(z)
    up[j] += h
    down[j] -= h
    return (loss(up) - loss(down)) / (2 * h)


@pytest.mark.parametrize("a, b", [(1, 1), (1, -1), (2, 1), (1, 2), (-1, -1), (0, 1)])
def test_generated_gradients_agree_with_a_plain_oracle(tmp_path, a, b):
    # a yhat_j - b y_j: the oracle decides it on a grid of points with sum y = 1, far from the boundary of agreement
    points = [([Fraction(1, 2), Fraction(-1)], [Fraction(1, 4), Fraction(3, 4)]),
              ([Fraction(0), Fraction(2), Fraction(1, 3)], [Fraction(1), Fraction(0), Fraction(0)])]
    holds = True
    for z, y in points:
        for j in range(len(z)):
            s = sum(math.exp(v) for v in z)
            printed = a * math.exp(z[j]) / s - b * y[j]
            if abs(printed - _reference_gradient([float(v) for v in z], [float(v) for v in y], j)) > 1e-4:
                holds = False
    step = rf"\frac{{\partial L}}{{\partial z_j}} = {a} \hat{{y}}_j - {b} y_j".replace("= 1 ", "= ").replace("- -1 ", "+ ")
    status = one(tmp_path, step).status
    assert status == ("checked" if holds else "refuted"), (step, status)


def test_a_derivative_of_a_sum_with_respect_to_an_entry_is_never_read_as_zero(tmp_path):
    assert one(tmp_path, r"\frac{\partial L}{\partial z_j} = 0").status == "refuted"
    assert one(tmp_path, r"\frac{\partial L}{\partial z} = 0").status == "refuted"


def test_a_step_that_holds_only_under_the_fact_is_refuted_without_it_and_needs_review_when_it_cannot_be_read(tmp_path):
    step = r"\frac{\partial L}{\partial z_j} = \hat{y}_j - y_j"
    assert "under the stated fact" in one(tmp_path, step).reason
    assert one(tmp_path, step, fact="").status == "refuted"
    # a fact in words the scan does not read: the sentence's condition makes the failing step need review
    text = SOFTMAX.format(fact="", step=step).replace("$$" + step + "$$", "If the labels sum to one, $$" + step + "$$")
    assert steps(tmp_path, text)[step].status != "refuted"


@pytest.mark.parametrize("printed, value", [
    (r"2 z_j", lambda z, j: 2 * z[j]),
    (r"2 \sum_i z_i", lambda z, j: 2 * sum(z)),
    (r"z_j", lambda z, j: z[j]),
    (r"2 z_j + \sum_i z_i - \sum_k z_k", lambda z, j: 2 * z[j]),
])
def test_a_gradient_of_a_sum_of_squares_agrees_with_a_difference_quotient(tmp_path, printed, value):
    def loss(z):
        return sum(v * v for v in z)
    holds = True
    for z in ([0.5, -1.0], [2.0, 0.25, -0.75]):
        for j in range(len(z)):
            up, down = list(z), list(z)
            up[j] += 1e-6
            down[j] -= 1e-6
            if abs((loss(up) - loss(down)) / 2e-6 - value(z, j)) > 1e-4:
                holds = False
    step = rf"\frac{{\partial L}}{{\partial z_j}} = {printed}"
    status = steps(tmp_path, f"Let $L = \\sum_i z_i^2$.\n\n$${step}$$\n")[step].status
    assert status == ("checked" if holds else "refuted"), (step, status)


LENGTHS = r"""# Lengths

## 1 Declared

Let $y \in \mathbb{R}^{SPACE}$ with $\sum_i y_i = 1$.

$$\frac{\partial}{\partial z_j} \sum_i (y_i + 1) z_j = 3$$
"""


@pytest.mark.parametrize("space, status, said", [
    ("2", "checked", "declared (length 2)"),                    # the sum has 2 terms: 1 + 2 = 3
    ("3", "refuted", "with the declared length 3"),             # 1 + 3 = 4
    ("K", "refuted", "with K = 1 (the declared length"),       # every K in 1..3: fails at K = 1
])
def test_a_sum_without_bounds_over_a_declared_vector_has_its_length(tmp_path, space, status, said):
    text = LENGTHS.replace("SPACE", space)
    s = next(s for t, s in steps(tmp_path, text).items() if t.startswith(r"\frac"))
    assert s.status == status and said in s.reason, s.reason


def test_without_a_declared_length_every_length_is_tried_and_the_reason_says_so(tmp_path):
    text = LENGTHS.replace(r"$y \in \mathbb{R}^{SPACE}$", "a label $y$")
    s = next(s for t, s in steps(tmp_path, text).items() if t.startswith(r"\frac"))
    assert s.status == "refuted" and "every sum without bounds of 1 term" in s.reason
    text = text.replace("= 3$$", r"= \sum_i (y_i + 1)$$")
    s = next(s for t, s in steps(tmp_path, text).items() if t.startswith(r"\frac"))
    assert s.status == "checked" and "declares no length" in s.reason, s.reason


PROSE = r"""# 1 Samples

With $n$ samples $x_i$, the shifted sum is $\sum_i (x_i + 1) = \sum_i x_i + n$, and a slip: $\sum_i (x_i + 2) = \sum_i x_i + n$.

# 2 Classes

For $K$ classes, $\sum_k (p_k - \frac{1}{K}) = \sum_k p_k - 1$, and a slip: $\sum_k (p_k - \frac{1}{K}) = \sum_k p_k - K$.

# 3 A vocabulary

Take a vocabulary of $V$ words $c_j$: $\sum_j (c_j - 2) = \sum_j c_j - 2V$.

# 4 A sequence

For sequence length $T$ and inputs $x_t$, $\frac{\sum_t (x_t + 1)}{T} = \frac{\sum_t x_t}{T} + 1$ and $\sum_t (x_t + 1) - \sum_t x_t = T$.

# 5 A number

With $n = 3$ samples $y_i$, $\sum_i (y_i + 1) = \sum_i y_i + 3$, and a slip: $\sum_i (y_i + 1) = \sum_i y_i + 4$.

# 6 No length

In exercise 3, with $n$ in the denominator, $\sum_i (x_i + 1) = n + \sum_i x_i$. Another sheet has 4 rows, and
$\sum_i (y_i + 1) = 4 + \sum_i y_i$.
"""


def test_a_length_the_prose_gives_is_the_length_of_the_sums_over_its_entries(tmp_path):
    found = steps(tmp_path, PROSE)
    status = {text: s.status for text, s in found.items() if s.status != "definition"}
    held = ["\\sum_i (x_i + 1) = \\sum_i x_i + n", "\\sum_k (p_k - \\frac{1}{K}) = \\sum_k p_k - 1",
            "\\sum_j (c_j - 2) = \\sum_j c_j - 2V", "\\frac{\\sum_t (x_t + 1)}{T} = \\frac{\\sum_t x_t}{T} + 1", "\\sum_t (x_t + 1) - \\sum_t x_t = T",
            "\\sum_i (y_i + 1) = \\sum_i y_i + 3"]
    for text in held:  # the length the prose names, tied to the name it gives it: held (here proved for every length)
        assert found[text].status in ("proved", "checked"), (text, found[text].reason)
    slips = ["\\sum_i (x_i + 2) = \\sum_i x_i + n", "\\sum_k (p_k - \\frac{1}{K}) = \\sum_k p_k - K",
             "\\sum_i (y_i + 1) = \\sum_i y_i + 4"]
    for text in slips:
        assert found[text].status == "refuted", (text, found[text].reason)
    # the counterexample's length is the size the prose names (n, K), the same as the number the step reads
    assert found[slips[0]].counterexample["values"]["n"] == "1" or "n" in found[slips[0]].reason
    assert "#" not in found[slips[0]].reason and "#" not in found[slips[1]].reason
    # "3 samples": the sums have 3 terms, so 4 is refuted at that length only
    assert "#" not in found[slips[2]].reason
    # a number or a letter no length phrase gives is never a length: as before, every length is tried
    assert status["\\sum_i (x_i + 1) = n + \\sum_i x_i"] == "skipped"  # holds only at a length it names
    assert status["\\sum_i (y_i + 1) = 4 + \\sum_i y_i"] == "refuted"


def test_a_length_phrase_names_the_entries_it_counts_and_nothing_else():
    from proofs.scan.shapes import Model, lengths

    def read(sentence):
        model = Model()
        lengths(model, sentence)
        return model.lengths

    assert read("With $n$ samples $(x_i, y_i)$, the loss is $\\sum_i (y_i - w x_i)^2$.") == {"x": "n", "y": "n"}
    assert read("For $K$ classes, the loss is $-\\sum_k y_k \\log p_k$.") == {"y": "K", "p": "K"}
    assert read("Take a vocabulary of $V$ words $w_j$ and sequence length $T$ with inputs $x_t$.") == {"w": "V"}
    assert read("A sequence length $T$, inputs $x_t$.") == {"x": "T"}
    assert read("With $n = 3$ samples $x_i$ we fit it.") == {"x": 3}
    assert read("The number of classes is $K$ and $p_k$ sums to one.") == {"p": "K"}
    assert read("Exercise 3 asks for $\\sum_i x_i$ with 2 in it.") == {}
    assert read("There are 4 rows, and $\\sum_i y_i$ is the total.") == {}
