"""Entries of a declared vector or matrix (x_1, x_{i+1}, W_{ij}) are scalars: never read as members of a family."""

from fractions import Fraction

import pytest

from proofs.material import read
from proofs.scan.steps import scan_document


def steps(tmp_path, text):
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return [s for s in scan_document(read(tmp_path, "a.md"), timeout=10.0, second_reader=False)
            if s.status != "definition"]


def _plain(values, coefficient):
    """(x_1 + x_2)^2 and x_1^2 + c x_1 x_2 + x_2^2 in exact arithmetic, from a counterexample's values."""
    x1, x2 = (Fraction(values[k]) for k in ("x[1]", "x[2]"))
    return (x1 + x2) ** 2, x1 ** 2 + coefficient * x1 * x2 + x2 ** 2


@pytest.mark.parametrize("declared", ["Let $x$ be a vector.", "Let $x \\in \\mathbb{R}^n$."])
def test_an_identity_about_the_entries_of_a_vector_is_not_refuted(tmp_path, declared):
    [step] = steps(tmp_path, f"{declared} Then $(x_1 + x_2)^2 = x_1^2 + 2 x_1 x_2 + x_2^2$.\n")
    assert step.status == "proved", step


@pytest.mark.parametrize("declared", ["Let $x$ be a vector.", "Let $x \\in \\mathbb{R}^n$."])
def test_a_false_identity_about_entries_is_refuted_and_replays(tmp_path, declared):
    [step] = steps(tmp_path, f"{declared} Then $(x_1 + x_2)^2 = x_1^2 + 3 x_1 x_2 + x_2^2$.\n")
    assert step.status == "refuted", step
    left, right = _plain(step.counterexample["values"], 3)
    assert left != right and (left, right) == tuple(Fraction(step.counterexample[k]) for k in ("left", "right"))


def test_entries_of_a_matrix_are_scalars(tmp_path):
    [step] = steps(tmp_path, "Let $W$ be a matrix. Then $(W_{ij} + 1)^2 = W_{ij}^2 + 2 W_{ij} + 1$.\n")
    assert step.status == "proved", step
    [step] = steps(tmp_path, "Let $W$ be a matrix. Then $(W_{ij} + 1)^2 = W_{ij}^2 + W_{ij} + 1$.\n")
    assert step.status == "refuted", step


def test_a_declared_family_is_still_read_as_vectors(tmp_path):
    text = ("Let $x_t \\in \\mathbb{R}^d$ for each step. Then "
            "$(x_1 + x_2)^T (x_1 + x_2) = x_1^T x_1 + {c} x_1^T x_2 + x_2^T x_2$.\n")
    [true] = steps(tmp_path, text.replace("{c}", "2"))
    assert true.status == "checked", true
    [false] = steps(tmp_path, text.replace("{c}", "3"))
    assert false.status == "refuted" and "d = " in false.reason, false


def test_a_shifted_entry_inside_a_sum_is_not_read_as_a_family_member(tmp_path):
    [step] = steps(tmp_path, "Let $x$ be a vector. Then $\\sum_{i=1}^{n} x_{i+1} = \\sum_{i=1}^{n} x_i$.\n")
    assert step.status in ("refuted", "skipped") and "shapes" not in step.reason, step
    if step.status == "refuted":
        v = {k: Fraction(x) for k, x in step.counterexample["values"].items()}
        n = int(v["n"])
        assert sum(v[f"x[{i + 1}]"] for i in range(1, n + 1)) != sum(v[f"x[{i}]"] for i in range(1, n + 1))


@pytest.mark.parametrize("declared", ["Let $W$ be a matrix.", "Let $W \\in \\mathbb{R}^{n \\times n}$."])
def test_entries_of_a_matrix_at_a_row_and_a_column_are_scalars(tmp_path, declared):
    [step] = steps(tmp_path, f"{declared} Then $(W_{{12}} + W_{{21}})^2 = W_{{12}}^2 + 2W_{{12}} W_{{21}} + W_{{21}}^2$.\n")
    assert step.status == "proved", step
    [step] = steps(tmp_path, f"{declared} Then $(W_{{12}} + W_{{21}})^2 = W_{{12}}^2 + 3W_{{12}} W_{{21}} + W_{{21}}^2$.\n")
    assert step.status == "refuted", step
    a, b = (Fraction(step.counterexample["values"][k]) for k in ("W[12]", "W[21]"))
    assert (a + b) ** 2 != a * a + 3 * a * b + b * b
    # one digit is not an entry: W_1 beside one declared matrix W is W, a family member or a matrix of its own, which the
    # material does not say, so W_1 W_2 = W_2 W_1 is left undecided (neither read as numbers nor refuted)
    [step] = steps(tmp_path, f"{declared} Then $W_1 W_2 = W_2 W_1$.\n")
    assert step.status == "skipped", step
