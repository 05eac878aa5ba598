"""The instances a matrix step is decided on: fractions of magnitude below 1, zero and scaled copies of a draw, so a step
whose sides differ in degree, or that holds only for integer entries or only for large or small ones, is refuted."""

from fractions import Fraction

import numpy
import pytest

from proofs.material import read
from proofs.scan.steps import scan_document

DECLARE = (r"Let $M \in \mathbb{R}^{n \times n}$, $W \in \mathbb{R}^{m \times n}$, $x \in \mathbb{R}^n$ and "
           r"$a \in \mathbb{R}$. Let $A \in \mathbb{R}^{n \times n}$ be symmetric, let $S \in \mathbb{R}^{n \times n}$ be "
           r"positive definite and let $Q \in \mathbb{R}^{n \times n}$ be orthogonal. Let $D \in \mathbb{R}^{n \times n}$ "
           r"be diagonal with entries in $\{0, 1\}$.")


def _m(rows) -> list:
    return [[Fraction(x) for x in row] for row in rows]


def _t(X) -> list:
    return [list(c) for c in zip(*X)]


def _mul(X, Y) -> list:
    return [[sum(X[i][k] * Y[k][j] for k in range(len(Y))) for j in range(len(Y[0]))] for i in range(len(X))]


def _tr(X) -> Fraction:
    return sum(X[i][i] for i in range(len(X)))


def _sq(X) -> Fraction:  # the squared Frobenius (or vector) norm
    return sum(x * x for row in X for x in row)


def _root_le(s: Fraction, b: Fraction) -> bool:  # sqrt(s) <= b, exactly
    return b >= 0 and s <= b * b


def _spectral_sq(X) -> float:  # the squared spectral norm (counterexamples are far from the boundary: numpy will do)
    G = numpy.array([[float(v) for v in row] for row in _mul(_t(X), X)])
    return float(max(numpy.linalg.eigvalsh(G)))


# (step, whether it holds for every real instance its declarations allow, the step at a counterexample's values)
# truth by hand: ||M||_F <= ||M||_F^2 only when ||M||_F is 0 or at least 1; |a| <= a^2 only when a is 0 or |a| >= 1;
# tr(A) <= tr(A^2) fails at A = [[1/2]]; tr(S) <= tr(S^2) fails at S = I/2; ||x (.) x|| <= ||x|| fails at x = [2];
# ||Ax|| <= ||A||_F^2 ||x|| fails at A = I/10 (n = 1); ||Qx|| <= ||x||^2 fails at x = [1/2].
STEPS = [
    (r"\|M\|_F \leq \operatorname{tr}(M^T M)", False, lambda v: _root_le(_sq(v["M"]), _tr(_mul(_t(v["M"]), v["M"])))),
    (r"\|M\|_F^2 = \operatorname{tr}(M^T M)", True, None),
    (r"\|x\| \leq \|x\|^2", False, lambda v: _root_le(_sq(v["x"]), _sq(v["x"]))),
    (r"x^T x \geq \|x\|", False, lambda v: _root_le(_sq(v["x"]), _sq(v["x"]))),
    (r"x^T x \geq \|x\|^2", True, None),
    (r"\|W\|_2 \leq \|W\|_2^2", False, lambda v: _spectral_sq(v["W"]) == 0 or _spectral_sq(v["W"]) >= 1),
    (r"\|W\|_2^2 \leq \|W\|_F^2", True, None),
    (r"\|W x\| \leq \|W\|_F^2 \|x\|", False,
     lambda v: _sq(_mul(v["W"], v["x"])) <= _sq(v["W"]) ** 2 * _sq(v["x"])),
    (r"\|W x\| \leq \|W\|_F \|x\|", True, None),
    (r"\operatorname{tr}(A) \leq \operatorname{tr}(A^2)", False, lambda v: _tr(v["A"]) <= _tr(_mul(v["A"], v["A"]))),
    (r"\operatorname{tr}(A^2) = \|A\|_F^2", True, None),
    (r"\operatorname{tr}(S) \leq \operatorname{tr}(S^2)", False, lambda v: _tr(v["S"]) <= _tr(_mul(v["S"], v["S"]))),
    (r"\operatorname{tr}(S^2) \leq \operatorname{tr}(S)^2", True, None),
    (r"|a| \leq a^2", False, lambda v: abs(v["a"]) <= v["a"] ** 2),
    (r"|a|^2 = a^2", True, None),
    (r"\|Q x\| \leq \|x\|^2", False, lambda v: _root_le(_sq(_mul(v["Q"], v["x"])), _sq(v["x"]))),
    (r"\|Q x\| = \|x\|", True, None),
    (r"\|x \odot x\| \leq \|x\|", False,
     lambda v: _root_le(sum(e[0] ** 4 for e in v["x"]), Fraction(0)) or sum(e[0] ** 4 for e in v["x"]) <= _sq(v["x"])),
    (r"\|x \odot x\| \leq \|x\|^2", True, None),
    (r"D^2 = D", True, None),  # 0/1 entries only: the scaled copies must not scale them
]


def _values(example: dict) -> dict:
    out = {}
    for name, v in example["values"].items():
        out[name] = _m(v) if isinstance(v, list) else Fraction(v)
    return out


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    path = tmp_path_factory.mktemp("instances")
    text = DECLARE + "\n\n" + "\n\n".join(f"Then $${step}$$" for step, _, _ in STEPS) + "\n"
    (path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(path, "a.md"), timeout=20, second_reader=False)}


def test_the_frobenius_norm_below_its_square_is_refuted_at_a_fraction(tmp_path):
    # checked on the 12 instances drawn for it before, none of which had a Frobenius norm strictly between 0 and 1:
    # it fails at M = [[1/2]] (1/2 > 1/4)
    (tmp_path / "a.md").write_text("Let $M \\in \\mathbb{R}^{n \\times n}$.\n\n"
                                   "Then $$\\|M\\|_F \\le \\operatorname{tr}(M^\\top M)$$\n", encoding="utf-8")
    steps = {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=20, second_reader=False)}
    step = steps[r"\|M\|_F \le \operatorname{tr}(M^\top M)"]
    assert step.status == "refuted", step.reason
    M = _values(step.counterexample)["M"]
    assert not _root_le(_sq(M), _tr(_mul(_t(M), M)))


@pytest.mark.parametrize("step,truth,holds", STEPS, ids=[s for s, _, _ in STEPS])
def test_a_step_of_the_class_is_decided_as_its_truth(decided, step, truth, holds):
    got = decided[step]
    if truth:
        assert got.status in ("checked", "proved"), (got.status, got.reason)
        return
    assert got.status == "refuted", (got.status, got.reason)
    # the counterexample, replayed here in plain fractions: the step fails at it
    assert not holds(_values(got.counterexample)), got.counterexample


def test_the_checked_reason_names_the_scaled_copies(decided):
    assert "copies of a draw scaled by 1/10, -1/10, 10, 0" in decided[r"\|Q x\| = \|x\|"].reason


# Documents of degree-class parts (tests/matrix_oracle.py), each step's truth fixed by the oracle's own evaluator on
# rational instances and their scaled copies.
_DEGREE_SEEDS = range(10)


def test_generated_degree_steps_have_every_slip_refuted_and_no_true_step_refuted():
    import matrix_oracle as oracle
    from proofs.material import parse

    seen = oracle.Tally()
    for seed in _DEGREE_SEEDS:
        material = oracle.generate(oracle.RandomSource(seed), parts=3, kinds=oracle.DEGREE_PARTS)
        tally = oracle.judge(material, scan_document(parse("generated.md", material.text, "markdown"),
                                                     second_reader=False))
        assert not tally.false_proofs, f"{tally.false_proofs}\n\n{material.text}"
        assert not tally.false_alarms, f"{tally.false_alarms}\n\n{material.text}"
        assert not tally.unconfirmed, f"{tally.unconfirmed}\n\n{material.text}"
        assert not tally.misread, f"{tally.misread}\n\n{material.text}"
        seen.add(tally)
    assert seen.slips >= 8 and seen.true >= 8, (seen.slips, seen.true)
    assert seen.caught == seen.slips, seen.missed
