"""What a declaration covers: scopes nest as the material does (an exercise's introduction holds in its parts and
sub-headings; a part's declaration in that part only; a later declaration of a letter replaces an enclosing one), and
the truth of each step is fixed by hand."""

import re
from fractions import Fraction

import pytest

from proofs.scan.scopes import PART, PART_LEVEL, boundaries


def steps(tmp_path, text, name="a.md"):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / name).write_text(text, encoding="utf-8")
    out: dict = {}
    for s in scan_document(read(tmp_path, name), timeout=60.0, second_reader=False):
        out.setdefault(s.text, []).append(s)
    return out


INTRO = r"""## 5 Exploding gradients

Let $W \in \mathbb{R}^{m \times n}$ and $x \in \mathbb{R}^n$, and let $\eta = 0.5$.

### 5.1 Shapes

$$x W = W x$$

$$(W x)^T = x^T W^T$$

### 5.2 The step size

$$2 \eta y = y$$

$$2 \eta y = 2 y$$

## 6 Elsewhere

$$4 \eta y = 2 y$$
"""


def test_an_introductions_declarations_hold_in_its_sub_headings(tmp_path):
    found = steps(tmp_path, INTRO)
    # x is the introduction's vector: x W multiplies a column by an m x n matrix (read as numbers, it would pass)
    slip = found["x W = W x"][0]
    assert slip.status == "refuted" and "shapes do not fit" in slip.reason
    assert found["(W x)^T = x^T W^T"][0].status == "checked"
    assert "m = 1..3, n = 1..3" in found["(W x)^T = x^T W^T"][0].reason


def test_an_introductions_values_hold_in_its_sub_headings_and_not_after(tmp_path):
    found = steps(tmp_path, INTRO)
    true = found[r"2 \eta y = y"][0]
    assert true.status == "checked" and "eta = 1/2 (line 3)" in true.reason
    slip = found[r"2 \eta y = 2 y"][0]
    assert slip.status == "refuted" and slip.counterexample["values"]["eta"] == "1/2"
    # the next exercise (same level) does not see it: refuted in general, with no value of the material
    later = found[r"4 \eta y = 2 y"][0]
    assert later.status == "refuted" and "line 3" not in later.reason


PARTS = r"""## 6 Commuting

Let $W, A \in \mathbb{R}^{n \times n}$.

- (a) A slip.

$$W A = A W$$

- (b) Now let $W \in \mathbb{R}$ be a number.

$$W A = A W$$

- (c) Again.

$$W A = A W$$

- (d) Let $u \in \mathbb{R}$.

$$u A = A u$$

- (e) Let $u \in \mathbb{R}^n$.

$$u A = A u$$
"""


def test_a_part_that_declares_a_letter_again_uses_its_own_declaration(tmp_path):
    found = steps(tmp_path, PARTS)["W A = A W"]
    assert [s.status for s in found] == ["refuted", "checked", "refuted"]  # (b) alone makes W a number
    for s in (found[0], found[2]):
        assert "W = [[" in s.reason  # a matrix W that does not commute with A
    uA = steps(tmp_path, PARTS)["u A = A u"]
    assert [s.status for s in uA] == ["checked", "refuted"]  # a number in (d), a column in (e)


def test_a_value_a_part_gives_does_not_hold_in_the_next_part(tmp_path):
    text = ("## 1 Rates\n\nLet $\\mu = 0.25$. For example, take $\\nu = 0$.\n\n**Part (a)** Take $\\eta = 0.5$.\n\n"
            "$$2 \\eta y = y$$\n\n**Part (b)** Another.\n\n$$2 \\eta y = y$$\n\n$$4 \\mu y = y$$\n\n$$\\nu^2 y = \\nu y$$\n")
    found = steps(tmp_path, text)
    later = found[r"2 \eta y = y"][1]
    assert later.status == "needs review"  # never checked with (a)'s value, never refuted while it holds there
    # the introduction's value holds in every part
    assert found[r"4 \mu y = y"][0].status == "checked" and "mu = 1/4 (line 3)" in found[r"4 \mu y = y"][0].reason
    # an example the introduction gives ("for example, take") is not a value of its parts
    assert found[r"\nu^2 y = \nu y"][0].status in ("refuted", "needs review")


def test_a_part_declares_for_itself_only(tmp_path):
    text = r"""## 7 Parts

(a) Let $v \in \mathbb{R}^{n}$ and $M \in \mathbb{R}^{n \times n}$.

$$v^T M v = v^T M^T v$$

(b) Let $v \in \mathbb{R}$ and $M \in \mathbb{R}$.

$$v M = M v$$

$$v^T M v = v M v$$
"""
    found = steps(tmp_path, text)
    assert found["v^T M v = v^T M^T v"][0].status == "checked"
    assert found["v M = M v"][0].status in ("checked", "proved")
    assert found["v^T M v = v M v"][0].status in ("checked", "proved")


def test_a_numbered_exercise_under_a_deeper_heading_is_a_sibling(tmp_path):
    # "### 3" after "## 2" (as the seed sheet has it) is exercise 3, not a section of exercise 2; its own sections
    # ("#### 3.1") see what its introduction declares
    text = ("## 2 First\n\nLet $\\eta = 0.5$.\n\n### 3 Second\n\nLet $\\mu = 0.25$.\n\n#### 3.1 Steps\n\n"
            "$$2 \\eta y = y$$\n\n$$4 \\mu y = y$$\n")
    found = steps(tmp_path, text)
    assert found[r"2 \eta y = y"][0].status == "refuted"
    assert "line 3" not in found[r"2 \eta y = y"][0].reason
    assert found[r"4 \mu y = y"][0].status == "checked"


def test_latex_sections_nest(tmp_path):
    text = (r"\section{Gradients}" "\n\nLet $x \\in \\mathbb{R}^n$ and $W \\in \\mathbb{R}^{m \\times n}$.\n\n"
            r"\subsection{A slip}" "\n\n$$x W = W x$$\n\n" r"\section{Other}" "\n\n$$x W = W x$$\n")
    found = steps(tmp_path, text, "a.tex")["x W = W x"]
    assert found[0].status == "refuted" and "shapes do not fit" in found[0].reason
    assert found[1].status != "refuted"  # the next section declares nothing: x is a number there, not read as one


def test_boundaries_and_parts():
    text = "# T\n\nintro\n\n## 1 A\n\n- (a) one\n\n**Part (b)** two\n\n(c) three\n\n(i) a sub-item\n\n### 1.1 B\n"
    levels = [level for _, level in boundaries(text)]
    assert levels == [1, 2, PART_LEVEL, PART_LEVEL, PART_LEVEL, 3]
    assert not PART.search("- a bullet\n2. a number\n(ii) roman\n")


SIZES = r"""## 1 Least squares

Let $X \in \mathbb{R}^{N \times d}$, $y \in \mathbb{R}^{N}$ and $w \in \mathbb{R}^{d}$.

$$N X^T y = X^T y N$$

$$\frac{N}{2} \|X w\|^2 = \frac{1}{2} N w^T X^T X w$$

$$\frac{1}{N} X^T X w = \frac{1}{N} X X^T w$$

## 2 Averages

For $K$ classes, the mean is

$$\frac{1}{K} \sum_{k=1}^{K} K p_k = \sum_{k=1}^{K} p_k$$

$$\frac{1}{K} \sum_{k=1}^{K} K p_k = K \sum_{k=1}^{K} p_k$$

$$\frac{1}{T} \sum_{t=1}^{T} T = T$$

$$\frac{1}{T} \sum_{t=1}^{T} T = T^2$$
"""


def test_a_capital_size_is_a_number_not_a_matrix(tmp_path):
    found = steps(tmp_path, SIZES)
    for true in ("N X^T y = X^T y N", r"\frac{N}{2} \|X w\|^2 = \frac{1}{2} N w^T X^T X w"):
        assert found[true][0].status == "checked", found[true][0].reason  # N read as a matrix: shapes that do not fit
    slip = found[r"\frac{1}{N} X^T X w = \frac{1}{N} X X^T w"][0]
    assert slip.status == "refuted" and "N = " in slip.reason and "N: " not in slip.reason


def test_the_bound_of_a_sum_is_a_number(tmp_path):
    found = steps(tmp_path, SIZES)
    assert found[r"\frac{1}{K} \sum_{k=1}^{K} K p_k = \sum_{k=1}^{K} p_k"][0].status in ("proved", "checked")
    # refuted as read; K is a count the prose states, which the scalar reading does not honour: a person reviews it
    assert found[r"\frac{1}{K} \sum_{k=1}^{K} K p_k = K \sum_{k=1}^{K} p_k"][0].status in ("refuted", "needs review")
    assert found[r"\frac{1}{T} \sum_{t=1}^{T} T = T"][0].status in ("proved", "checked")
    slip = found[r"\frac{1}{T} \sum_{t=1}^{T} T = T^2"][0]
    assert slip.status == "refuted" and "T = 1; " not in slip.reason  # at a whole number of terms, T >= 2


# -- conditions restrict the instances: a step true only under the condition, a slip under it, the step without it.
# The counterexample of the slip is checked to satisfy the condition by plain Fraction arithmetic.

def _matrix(rows):
    return [[Fraction(v) for v in row] for row in rows]


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def _transpose(a):
    return [list(row) for row in zip(*a)]


def _det(a):
    if len(a) == 1:
        return a[0][0]
    return sum((-1) ** j * a[0][j] * _det([row[:j] + row[j + 1:] for row in a[1:]]) for j in range(len(a)))


def _identity(n):
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def _minors(a):
    """The principal minors of a (every subset of rows and the same columns)."""
    n = len(a)
    for mask in range(1, 2 ** n):
        keep = [i for i in range(n) if mask >> i & 1]
        yield _det([[a[i][j] for j in keep] for i in keep])


def _orthogonal(q):
    return _mul(_transpose(q), q) == _identity(len(q))


def _symmetric(a):
    return a == _transpose(a)


def _binary_diagonal(d):
    return all(d[i][j] == 0 if i != j else d[i][j] in (0, 1) for i in range(len(d)) for j in range(len(d[0])))


def _definite(a):  # Sylvester: symmetric, every leading principal minor positive
    return _symmetric(a) and all(_det([row[:k] for row in a[:k]]) > 0 for k in range(1, len(a) + 1))


def _semidefinite(a):
    return _symmetric(a) and all(m >= 0 for m in _minors(a))


def _invertible(a):
    return _det(a) != 0


_SQUARE = r"\in \mathbb{R}^{n \times n}"
CONDITIONS = [
    # (stated, not stated, a step true only under it, a slip under it, the letter, what its value must satisfy)
    (rf"Let $Q {_SQUARE}$ be orthogonal and $x \in \mathbb{{R}}^n$.", rf"Let $Q {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\|Q x\| = \|x\|", "Q^T Q x = Q Q x", "Q", _orthogonal),
    (rf"Let $Q {_SQUARE}$ with $Q^T Q = I$, and $x \in \mathbb{{R}}^n$.", rf"Let $Q {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\|Q x\| = \|x\|", "Q^T Q x = Q Q x", "Q", _orthogonal),
    (rf"Let $A {_SQUARE}$ be symmetric and $x, y \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x, y \in \mathbb{{R}}^n$.",
     "x^T A y = y^T A x", "x^T A y = x^T A^2 y", "A", _symmetric),
    (rf"Let $A {_SQUARE}$ with $A^T = A$, and $x, y \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x, y \in \mathbb{{R}}^n$.",
     "x^T A y = y^T A x", "x^T A y = x^T A^2 y", "A", _symmetric),
    (rf"Let $D {_SQUARE}$ be diagonal with entries in $\{{0, 1\}}$ and $A {_SQUARE}$.", rf"Let $D, A {_SQUARE}$.",
     "D D = D", "D A = A D", "D", _binary_diagonal),
    (rf"Let $A {_SQUARE}$ be positive definite and $x \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\operatorname{tr}(A) + \|x\| \geq \|x\|", r"\operatorname{tr}(A) + \|x\| \geq 2 \|x\|", "A", _definite),
    (rf"Let $A {_SQUARE}$ with $A \succ 0$, and $x \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\operatorname{tr}(A) + \|x\| \geq \|x\|", r"\operatorname{tr}(A) + \|x\| \geq 2 \|x\|", "A", _definite),
    (rf"Let $A {_SQUARE}$ be PD and $x \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\operatorname{tr}(A) + \|x\| \geq \|x\|", r"\operatorname{tr}(A) + \|x\| \geq 2 \|x\|", "A", _definite),
    (rf"Let $A {_SQUARE}$ with $A \succeq 0$, and $x \in \mathbb{{R}}^n$.", rf"Let $A {_SQUARE}$ and $x \in \mathbb{{R}}^n$.",
     r"\operatorname{tr}(A) + \|x\| \geq \|x\|", r"\operatorname{tr}(A) + \|x\| \geq 2 \|x\|", "A", _semidefinite),
    (rf"Let $A, B {_SQUARE}$ be invertible and $x \in \mathbb{{R}}^n$.", None,
     "A^{-1} A x = x", "(A B)^{-1} = A^{-1} B^{-1}", "A", _invertible),
]


@pytest.mark.parametrize("stated, unstated, true, slip, letter, holds", CONDITIONS,
                         ids=[f"{c[4]}-{i}" for i, c in enumerate(CONDITIONS)])
def test_a_stated_condition_restricts_the_instances(tmp_path, stated, unstated, true, slip, letter, holds):
    # stated in the exercise's introduction, it holds in its sub-headings and their parts
    found = steps(tmp_path, f"## 1 The exercise\n\n{stated}\n\n### 1.1 Steps\n\n- (a) A step.\n\n$${true}$$\n\n"
                            f"- (b) A slip.\n\n$${slip}$$\n")
    assert found[true][0].status == "checked", found[true][0].reason
    wrong = found[slip][0]
    assert wrong.status == "refuted", wrong.reason
    value = _matrix(wrong.counterexample["values"][letter])
    assert holds(value), value  # the counterexample satisfies the condition
    if unstated is not None:
        without = steps(tmp_path, f"## 1 The exercise\n\n{unstated}\n\n$${true}$$\n")[true][0]
        assert without.status == "refuted", without.reason
        assert not holds(_matrix(without.counterexample["values"][letter]))


# -- generated material with its declarations in each section's introduction and its steps in a sub-heading or a part
# (tests/matrix_oracle.py, truth by its own evaluator)

def _scoped_material(seed, parts=4):
    import matrix_oracle as oracle

    return oracle.generate(oracle.RandomSource(seed), parts=parts, scoped=True)


def _judged(seeds, parts=4):
    import matrix_oracle as oracle
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    seen = oracle.Tally()
    for seed in seeds:
        material = _scoped_material(seed, parts)
        tally = oracle.judge(material, scan_document(read_text("g.md", material.text, "markdown"), second_reader=False))
        for kind in ("false_proofs", "false_alarms", "unconfirmed", "misread"):
            assert not getattr(tally, kind), f"{kind}: {getattr(tally, kind)}\n\n{material.text}"
        seen.add(tally)
    return seen


def test_generated_scoped_material_is_judged_right():
    seen = _judged((0, 6))
    assert seen.caught == seen.slips > 0


# The documents of the fixed sample, and those every run decides: each kind of slip the sample plants, under each way
# a section's steps are scoped (`pytest --soak`: the whole sample).
_FIXED = range(12)
_EVERY_RUN = (4, 5, 6, 7)


def _coverage(materials) -> tuple:
    """(kinds of slip planted, ways the steps are scoped: under a sub-heading, in a lettered part, a bold part, both)."""
    forms = {"both": r"### \d+\.1 Steps\n\n\(a\)", "heading": r"### \d+\.1 Steps\n\n[^(]", "part": r"\n- \(a\)",
             "bold": r"\*\*Part \(a\)\*\*"}
    materials = list(materials)
    kinds = {e.family.split("/")[-1] for m in materials for e in m.steps if e.truth == "slip"}
    return kinds, {form for form, pattern in forms.items() if any(re.search(pattern, m.text) for m in materials)}


@pytest.mark.slow
def test_a_fixed_sample_of_scoped_material_has_its_slips_caught(soak):
    seeds = _FIXED if soak else _EVERY_RUN
    kinds, forms = _coverage(_scoped_material(seed) for seed in seeds)
    assert (kinds, forms) == _coverage(_scoped_material(seed) for seed in _FIXED)
    assert len(kinds) >= 9 and len(forms) == 4
    seen = _judged(seeds)
    assert seen.slips >= (25 if soak else 12) and seen.caught == seen.slips


def test_a_sub_heading_after_parts_that_start_in_prose(tmp_path):
    # part (a) starts inside a line of prose: the section's parts are one scope, and its sub-heading sees all of it
    text = ("## 1 Rates\n\nLet $x \\in \\mathbb{R}^n$ and $W \\in \\mathbb{R}^{m \\times n}$. (a) Show it.\n\n"
            "(b) Let $\\eta = 0.5$.\n\n### 1.1 More\n\n$$x W = W x$$\n\n$$2 \\eta y = y$$\n")
    found = steps(tmp_path, text)
    assert found["x W = W x"][0].status == "refuted" and "shapes do not fit" in found["x W = W x"][0].reason
    assert found[r"2 \eta y = y"][0].status == "checked"


def test_a_new_exercise_number_closes_the_previous_exercise_after_its_sub_headings(tmp_path):
    # "### 2.1" is a sub-heading of exercise 2; "### 3" after it is exercise 3, where exercise 2's values do not hold
    text = ("## 2 First\n\nLet $\\eta = 0.5$.\n\n### 2.1 Warm-up\n\n$$2 \\eta y = y$$\n\n### 3 Second\n\n"
            "$$2 \\eta y = y$$\n\n#### 3.1 Steps\n\n$$2 \\eta y = y$$\n\n## Notes\n\n### 4 Last\n\n$$2 \\eta y = y$$\n")
    found = steps(tmp_path, text)[r"2 \eta y = y"]
    assert [s.status for s in found] == ["checked", "refuted", "refuted", "refuted"]
    assert all("line 3" not in s.reason for s in found[1:])


def test_a_part_that_declares_a_letter_a_number_reads_it_as_one(tmp_path):
    # the first part's own declarations were read as the introduction's, where the introduction's matrix stood first
    # (a true step refuted on shapes); the part after it has the introduction's matrix again
    text = ("# Exercise 1\n\nLet $A \\in \\mathbb{R}^{2 \\times 2}$ and $x \\in \\mathbb{R}^{2}$.\n\n"
            "(a) Here $A \\in \\mathbb{R}$ is a number and $x \\in \\mathbb{R}$ too.\n\n$$A x = x A$$\n\n"
            "(b) Show\n\n$$A x = y A$$\n")
    assert [s.status for s in steps(tmp_path, text).get("A x = x A", [])] == ["proved"]
    assert [s.status for s in steps(tmp_path, text).get("A x = y A", [])] == ["refuted"]


def test_a_part_that_takes_any_matrix_drops_the_condition_an_earlier_part_stated(tmp_path):
    # conditions stated in a part hold in the later parts of its exercise, unless a part takes the letter in general
    # ("any", "arbitrary", "general"): A^T A = I was checked in (b) under (a)'s orthogonality
    text = ("# Exercise 1\n\nLet $A \\in \\mathbb{R}^{n \\times n}$.\n\n(a) Assume $A$ is orthogonal. Then\n\n"
            "$$A^T A = I$$\n\n(b) Now take any $A$. Show that\n\n$$A^T A = I$$\n")
    found = steps(tmp_path, text).get("A^T A = I", [])
    assert found[0].status == "checked" and found[1].status not in ("checked", "proved")
    assert len(found) == 2
