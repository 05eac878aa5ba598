"""The matrix reading's facts: a relation stated in words holds for the steps after it; one printed as a step does not."""

import pytest

from proofs.material import read
from proofs.scan.steps import scan_document


def _steps(tmp_path, text):
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text.rstrip("."): s for s in scan_document(read(tmp_path, "a.md"), timeout=10.0, second_reader=False)}


ONE_HOT = r"""Let $\mathbf{y} \in \mathbb{R}^n$ be a one-hot vector.

Then $$\|\mathbf{y}\|^2 = 2$$ and so $$\|\mathbf{y}\|^2 \mathbf{y} = 2 \mathbf{y}.$$
"""


def test_a_false_relation_printed_as_a_step_does_not_make_its_consequence_checked(tmp_path):
    steps = _steps(tmp_path, ONE_HOT)
    assert steps[r"\|\mathbf{y}\|^2 = 2"].status == "skipped"
    after = steps[r"\|\mathbf{y}\|^2 \mathbf{y} = 2 \mathbf{y}"]
    assert after.status == "needs review"
    assert r"\|\mathbf{y}\|^2 = 2" in after.reason and "not taken as a fact" in after.reason
    assert after.counterexample


def test_a_step_that_holds_without_the_printed_relation_is_still_checked(tmp_path):
    steps = _steps(tmp_path, ONE_HOT.replace(r"\|\mathbf{y}\|^2 \mathbf{y} = 2 \mathbf{y}",
                                             r"\|\mathbf{y}\|^2 \mathbf{y} = (\mathbf{y}^\top \mathbf{y}) \mathbf{y}"))
    assert steps[r"\|\mathbf{y}\|^2 \mathbf{y} = (\mathbf{y}^\top \mathbf{y}) \mathbf{y}"].status == "checked"


@pytest.mark.parametrize("words", ["Assume", "Suppose", "Let"])
def test_a_fact_stated_in_words_lets_its_consequences_be_checked(tmp_path, words):
    steps = _steps(tmp_path, rf"""Let $\mathbf{{x}} \in \mathbb{{R}}^n$. {words} $\|\mathbf{{x}}\| = 1$.

Then $$\mathbf{{x}}^\top \mathbf{{x}} = 1.$$
""")
    after = steps[r"\mathbf{x}^\top \mathbf{x} = 1"]
    assert after.status == "checked" and "line 1" in after.reason


def test_a_fact_stated_in_words_does_not_check_a_false_consequence(tmp_path):
    steps = _steps(tmp_path, r"""Let $\mathbf{x} \in \mathbb{R}^n$. Assume $\|\mathbf{x}\| = 1$.

Then $$\|\mathbf{x}\|^2 \mathbf{x} = 2 \mathbf{x}.$$
""")
    assert steps[r"\|\mathbf{x}\|^2 \mathbf{x} = 2 \mathbf{x}"].status not in ("checked", "proved")


def test_a_fact_does_not_outlive_its_section(tmp_path):
    steps = _steps(tmp_path, r"""## One

Let $\mathbf{x} \in \mathbb{R}^n$. Assume $\|\mathbf{x}\| = 1$.

## Two

Let $\mathbf{x} \in \mathbb{R}^n$. Then $$\|\mathbf{x}\|^2 \mathbf{x} = \mathbf{x}.$$
""")
    assert steps[r"\|\mathbf{x}\|^2 \mathbf{x} = \mathbf{x}"].status == "refuted"


FAMILY = r"""Let $\mathbf{D}_k \in \mathbb{R}^{n \times n}$ and $\mathbf{g} \in \mathbb{R}^n$.

The largest entry of each $\mathbf{D}_k$ is 1, resulting in $\|\mathbf{D}_k\| = 1$ for all layers $k$. So
$$\|\mathbf{D}_1\| \|\mathbf{g}\| = \|\mathbf{g}\|.$$
"""


def test_a_relation_the_prose_states_of_every_member_of_a_family_is_a_fact():
    import tempfile
    from pathlib import Path

    steps = _steps(Path(tempfile.mkdtemp()), FAMILY)
    assert steps[r"\|\mathbf{D}_1\| \|\mathbf{g}\| = \|\mathbf{g}\|"].status == "checked"


def test_the_same_relation_printed_as_a_step_is_not_a_fact(tmp_path):
    printed = FAMILY.replace(r"resulting in $\|\mathbf{D}_k\| = 1$ for all layers $k$.", r"so $\|\mathbf{D}_k\| = 1$.")
    after = _steps(tmp_path, printed)[r"\|\mathbf{D}_1\| \|\mathbf{g}\| = \|\mathbf{g}\|"]
    assert after.status == "needs review" and r"\|\mathbf{D}_k\| = 1" in after.reason
