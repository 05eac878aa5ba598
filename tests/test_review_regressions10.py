"""Wrong verdicts of the matrix scan's draws under orthonormality and stated norms, and of conditions before a display
across a blank line, each with its truth worked by hand."""

from fractions import Fraction

import pytest

from conftest import scan_steps

PASS = ("proved", "checked")
FAIL = ("refuted", "needs review")


def test_a_tall_orthonormal_matrix_has_orthonormal_columns_of_its_declared_shape(tmp_path):
    # drawn square whatever its columns: ||Q^T x|| = ||x|| was checked for an n x k Q (false for k < n: x = e_n outside
    # its columns' span), and the true ||Q y|| = ||y|| refuted on shapes that do not fit
    text = (r"Let $Q \in \mathbb{R}^{n \times k}$ be orthonormal, $x \in \mathbb{R}^n$ and $y \in \mathbb{R}^k$." "\n\n"
            r"$$\|Q^T x\| = \|x\|$$" "\n\n" r"$$\|Q y\| = \|y\|$$" "\n")
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{text}")
    assert steps[r"\|Q^T x\| = \|x\|"]["status"] == "refuted", steps
    assert steps[r"\|Q y\| = \|y\|"]["status"] in PASS, steps


@pytest.mark.parametrize("fact, step", [
    # ||x|| = 1 and n = 3: x = (2, 2, 1)/3 has fourth powers summing to 33/81 < 1/2
    (r"\|x\| = 1", r"\sum_{i=1}^{n} x_i^4 \ge \frac{1}{2}"),
    # rank one: 4 x x^T is never I at n >= 2
    (r"\|x\| = \frac{1}{2}", r"4 x x^T = I"),
])
def test_a_vector_whose_norm_a_fact_states_is_drawn_anywhere_on_its_sphere(tmp_path, fact, step):
    # drawn as a column of a signed permutation (near the axes only) or not at all for a fraction: a false step held
    text = rf"Let $x \in \mathbb{{R}}^n$ and assume ${fact}$." "\n\n" f"$${step}$$\n"
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{text}")
    assert steps[step]["status"] not in PASS, steps[step]
    assert sum(x ** 4 for x in (Fraction(2, 3), Fraction(2, 3), Fraction(1, 3))) < Fraction(1, 2)


def test_orthonormal_vectors_are_not_only_the_axes(tmp_path):
    # u = (2, 2, 1)/3 is a unit vector with |u_1| + |u_2| + |u_3| = 5/3 > 3/2
    text = r"Let $u, v \in \mathbb{R}^n$ be orthonormal vectors." "\n\n" r"$$\sum_{i=1}^{n} |u_i| \le \frac{3}{2}$$" "\n"
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{text}")
    assert steps[r"\sum_{i=1}^{n} |u_i| \le \frac{3}{2}"]["status"] not in PASS


@pytest.mark.parametrize("words", ["We look at the real numbers $a$ and $b$ such that", "We want",
                                   "Let $a, b$ be real numbers. We choose $b$ so that"])
def test_a_condition_word_before_a_blank_line_still_makes_the_display_a_condition(tmp_path, words):
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{words}\n\n$$a^2 + b^2 = 2ab$$\n")
    assert steps["a^2 + b^2 = 2ab"]["status"] == "skipped", steps
