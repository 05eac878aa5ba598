"""The scan's Jacobians, Hessians and index notation against generated material whose truth is known
(tests/matrix_oracle_calculus.py): no true step refuted, no planted slip proved or checked, every counterexample of the
JSON report replayed by the oracle's own evaluator, and the planted slips caught."""

import io
import json
import random
from fractions import Fraction

import pytest

import matrix_oracle_calculus as oracle
from matrix_oracle_calculus import RandomSource, Tally, generate, judge
from proofs.scan.command import run


def scan_json(documents: dict, where) -> dict:
    """`proofs scan --format json` over the documents (file name -> text), in this process."""
    material = where / "material"
    material.mkdir(exist_ok=True)
    for name, text in documents.items():
        (material / name).write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["--material", str(material), "--format", "json", "--no-cache", "--cache-dir", str(where / "cache"),
                "--jobs", "1"], out, err)
    assert code in (0, 1), err.getvalue()
    report = json.loads(out.getvalue())
    by_file: dict = {}
    for step in report["steps"]:
        by_file.setdefault(step["file"].split("/")[-1], []).append(step)
    return by_file


def run_seeds(seeds, where, parts: int = 3) -> Tally:
    materials = {f"doc{seed}.md": generate(RandomSource(seed), parts=parts) for seed in seeds}
    by_file = scan_json({name: m.text for name, m in materials.items()}, where)
    seen = Tally()
    for name, material in materials.items():
        tally = judge(material, {"steps": by_file.get(name, [])})
        assert not tally.wrong, f"{name}:\n" + "\n".join(tally.wrong) + "\n\n" + material.text
        seen.add(tally)
    return seen


# The documents every run decides (each kind of part among them), the fixed sample of the slow tier, and the share of
# their planted slips the scan must catch (measured on fresh documents: 1,546 of 1,546 on seeds 2000-2199, 479 of 480
# on seeds 4000-4059, the one missed skipped as a Jacobian that may be written as the vector of its diagonal).
_EVERY_RUN = (4,)
_FIXED = range(12)
_RECALL_FLOOR = 0.95


def _kinds(seeds) -> set:
    return {e.family.split("/")[0] for seed in seeds for e in generate(RandomSource(seed), parts=3).steps}


def test_a_few_generated_documents_are_decided_soundly(tmp_path):
    assert {"jacobian", "chain", "hessian", "gradient", "entry", "trace"} <= _kinds(_EVERY_RUN)
    seen = run_seeds(_EVERY_RUN, tmp_path)
    assert seen.steps >= 15 and seen.slips >= 6, seen
    assert seen.caught >= _RECALL_FLOOR * seen.slips, f"caught {seen.caught} of {seen.slips}: {seen.missed}"


# The documents of the fixed sample the slow tier decides: every kind of part with each truth, and every kind of slip, the
# whole fixed sample is generated with (asserted); `pytest --soak` decides a hundred documents.
_FIXED_EVERY_RUN = (0, 2, 9, 10)


def _families(seeds) -> set:
    out = set()
    for seed in seeds:
        for e in generate(RandomSource(seed), parts=3).steps:
            out |= {f"{e.family.split('/')[0]}/{e.truth}", *([f"slip/{e.family.split('/')[-1]}"] if e.truth == "slip" else [])}
    return out


@pytest.mark.slow
def test_a_fixed_sample_of_calculus_and_index_steps_is_decided_soundly(tmp_path, soak):
    assert _families(_FIXED_EVERY_RUN) == _families(_FIXED)
    seeds = range(100) if soak else _FIXED_EVERY_RUN
    seen = run_seeds(seeds, tmp_path)
    assert seen.steps >= 12 * len(seeds) and seen.slips >= 4 * len(seeds), seen
    assert seen.caught >= _RECALL_FLOOR * seen.slips, f"caught {seen.caught} of {seen.slips}: {seen.missed}"


def test_the_oracle_sees_a_scan_that_passes_everything_or_refutes_everything(tmp_path):
    material = generate(RandomSource(3), parts=1)
    steps = scan_json({"doc.md": material.text}, tmp_path)["doc.md"]
    assert any(e.truth == "slip" for e in material.steps) and any(e.truth == "true" for e in material.steps)
    passes = [dict(s, status="checked") if s["status"] == "refuted" else s for s in steps]
    refutes = [dict(s, status="refuted", counterexample=None) if s["status"] == "checked" else s for s in steps]
    assert judge(material, {"steps": passes}).false_proofs
    assert judge(material, {"steps": refutes}).false_alarms and judge(material, {"steps": refutes}).unconfirmed


def test_every_planted_slip_is_false_at_its_witness_and_every_true_step_holds():
    rng = random.Random(0)
    for seed in range(10):
        for e in generate(RandomSource(seed), parts=3).steps:
            if e.truth == "slip":
                assert e.witness and all(oracle.decide(e, env, layout) is False for layout, env in e.witness.items())
            else:
                assert oracle.holds(e, rng), e


# -- the plain evaluator, against facts known without it


def _m(rows):
    return oracle._arr([[Fraction(x) for x in row] for row in rows])


def test_the_evaluator_s_jacobians_and_hessians_are_the_textbook_ones():
    env = {"W": _m([[1, 2, 0], [-1, 3, 2]]), "x": _m([[1], [-1], [2]]), "A": _m([[1, 2], [0, 3]]), "y": _m([[1], [1]])}
    # ∂(W x)/∂x in the numerator layout is W
    assert (oracle.jacobian(lambda e: oracle.mm(e["W"], e["x"]), env, "x", False) == env["W"]).all()
    # the Hessian of x^T A x / 2 is (A + A^T) / 2, not A
    quad = lambda e: oracle.scale(Fraction(1, 2), oracle.mm(oracle.T(e["y"]), e["A"], e["y"]))  # noqa: E731
    assert (oracle.hessian(quad, env, "y") == _m([[1, 1], [1, 3]])).all()
    # σ'(z) = σ(z)(1 - σ(z)): at 0 it is 1/4
    jac = oracle.jacobian(lambda e: oracle.sigmoid(e["z"]), {"z": _m([[0], [0]])}, "z", True)
    assert oracle.equal(jac, _m([[Fraction(1, 4), 0], [0, Fraction(1, 4)]])) is True
    assert oracle.equal(jac, _m([[Fraction(1, 2), 0], [0, Fraction(1, 2)]])) is False
    # an index past the end decides nothing; a product whose shapes do not fit is false
    with pytest.raises(oracle._Undefined):
        oracle.entry(env["W"], 3, 1)
    with pytest.raises(oracle._Shape):
        oracle.mm(env["W"], env["W"])


def test_a_counterexample_that_breaks_a_stated_condition_or_a_declared_shape_is_not_confirmed():
    part = oracle.Part({"x": ("n", 1), "A": ("n", "n")}, symmetric=frozenset({"A"}))
    step = oracle.Expected("", "", "slip", "", part, lambda e: oracle.hessian(
        lambda v: oracle.mm(oracle.T(v["x"]), v["A"], v["x"]), e, "x"), lambda e: e["A"])
    values = {"x": [["1"], ["2"]]}
    assert oracle.confirms(step, {"values": dict(values, A=[["1", "2"], ["2", "0"]])})
    assert not oracle.confirms(step, {"values": dict(values, A=[["1", "2"], ["3", "0"]])})  # not symmetric
    assert not oracle.confirms(step, {"values": dict(values, A=[["1", "2", "0"], ["2", "0", "0"]])})  # not n × n
    true = oracle.Expected("", "", "true", "", part, step.left_f, lambda e: oracle.scale(2, e["A"]))
    assert not oracle.confirms(true, {"values": dict(values, A=[["1", "2"], ["2", "0"]])})


# -- wrong verdicts the oracle found, each kept as the smallest material that shows it


def _steps(text: str, where) -> dict:
    return {s["text"]: s for s in scan_json({"doc.md": text}, where)["doc.md"]}


def test_an_identity_with_its_size_as_a_subscript_is_the_identity(tmp_path):
    # I_d was read as a member of a family I_k, drawn freely: the true Hessian 2 I_d was refuted at I_1 = [[1/2]]
    steps = _steps("Let $x \\in \\mathbb{R}^{d}$.\n\n$$\\nabla_{x}^2 \\|x\\|^2 = 2 I_{d}$$\n\n$$I_d x = x$$\n\n"
                   "$$\\nabla^2_x \\|x\\|^2 = I_d$$\n", tmp_path)
    assert steps[r"\nabla_{x}^2 \|x\|^2 = 2 I_{d}"]["status"] == "checked"
    assert steps["I_d x = x"]["status"] == "checked"
    assert steps[r"\nabla^2_x \|x\|^2 = I_d"]["status"] == "refuted"


def test_entries_at_two_free_indices_of_a_rectangular_matrix_are_tried_at_sizes_where_they_differ(tmp_path):
    # the instances' budget went to 1 × 1 and 1 × 2 matrices at indices past their end: (A^T)_{ij} = A_{ij} was checked
    # (which instances the sample of larger sizes draws depends on the step: these two were checked)
    steps = _steps("Let $\\mathbf{A} \\in \\mathbb{R}^{N \\times q}$.\n\n$$(\\mathbf{A}^T)_{ij} = A_{ij}$$\n\n"
                   "## Two\n\nLet $W \\in \\mathbb{R}^{m \\times n}$.\n\n$$(W^T)_{ij} = W_{ij}$$\n\n$$(W^T)_{ij} = W_{ji}$$\n",
                   tmp_path)
    assert steps["(W^T)_{ij} = W_{ij}"]["status"] == "refuted"
    wrong = steps["(\\mathbf{A}^T)_{ij} = A_{ij}"]
    assert wrong["status"] == "refuted"
    step = oracle.Expected("(A^T)_{ij}", "A_{ij}", "slip", "", oracle.Part({"A": ("N", "q")}),
                           lambda e: oracle.entry(oracle.T(e["A"]), e["#indices"]["i"], e["#indices"]["j"]),
                           lambda e: oracle.entry(e["A"], e["#indices"]["i"], e["#indices"]["j"]))
    assert oracle.confirms(step, wrong["counterexample"])
    assert steps["(W^T)_{ij} = W_{ji}"]["status"] == "checked"


def test_a_word_only_a_square_matrix_can_meet_is_not_a_condition_on_the_vector_declared_beside_it(tmp_path):
    # "x ∈ ℝ^q and A ∈ ℝ^{q×q} be symmetric": x was drawn symmetric, x + x^T failed, and every step reading x was
    # unknown ("reading it failed: ShapeError")
    steps = _steps("Let $x \\in \\mathbb{R}^{q}$ and $A \\in \\mathbb{R}^{q \\times q}$ be symmetric.\n\n"
                   "$$\\frac{\\partial (x^{\\top} A x)}{\\partial x} = 2 A x$$\n\n"
                   "$$\\frac{\\partial (x^{\\top} A x)}{\\partial x} = A x$$\n", tmp_path)
    assert steps[r"\frac{\partial (x^{\top} A x)}{\partial x} = 2 A x"]["status"] == "checked"
    assert steps[r"\frac{\partial (x^{\top} A x)}{\partial x} = A x"]["status"] == "refuted"


def test_an_entry_beside_a_sum_whose_bound_is_off_the_declared_size_by_one_is_decided(tmp_path):
    # the index i was never fixed (every index point was dropped as the range j = 1..n-1 taken at n = 1): skipped
    steps = _steps("Let $W \\in \\mathbb{R}^{m \\times n}$ and $x \\in \\mathbb{R}^{n}$.\n\n"
                   "$$(W x)_i = \\sum_{j=1}^{n - 1} W_{ij} x_j$$\n\n$$(W x)_i = \\sum_{j=2}^{n} W_{ij} x_j$$\n", tmp_path)
    part = oracle.Part({"W": ("m", "n"), "x": ("n", 1)})
    for text, lo, less in ((r"(W x)_i = \sum_{j=1}^{n - 1} W_{ij} x_j", 1, 1), (r"(W x)_i = \sum_{j=2}^{n} W_{ij} x_j", 2, 0)):
        assert steps[text]["status"] == "refuted", steps[text]["reason"]

        def right(e, lo=lo, less=less):
            return oracle.total(lo, e["#sizes"]["n"] - less,
                                lambda j: oracle.entry(e["W"], e["#indices"]["i"], j) * oracle.entry(e["x"], j))
        step = oracle.Expected("", "", "slip", "", part,
                               lambda e: oracle.entry(oracle.mm(e["W"], e["x"]), e["#indices"]["i"]), right)
        assert oracle.confirms(step, steps[text]["counterexample"])


def test_a_sum_whose_declared_bounds_run_past_the_matrix_it_reads_is_never_checked(tmp_path):
    # with A of m × n, i = 1..n runs past A's rows where m < n: those instances were set aside as a free index past the
    # end, and the step, true only where m = n, was checked
    steps = _steps("Let $A \\in \\mathbb{R}^{m \\times n}$.\n\n$$\\|A\\|_F^2 = \\sum_{i=1}^{n} \\sum_{j=1}^{m} A_{ij}^2$$\n\n"
                   "$$\\|A\\|_F^2 = \\sum_{i=1}^{m} \\sum_{j=1}^{n} A_{ij}^2$$\n", tmp_path)
    assert steps[r"\|A\|_F^2 = \sum_{i=1}^{n} \sum_{j=1}^{m} A_{ij}^2"]["status"] not in ("checked", "proved")
    assert steps[r"\|A\|_F^2 = \sum_{i=1}^{m} \sum_{j=1}^{n} A_{ij}^2"]["status"] == "checked"


# -- what the words state: sizes, orthogonality, facts, sized identities (matrix_oracle_calculus.WORDED_PARTS)


def run_worded(seeds, where, parts: int = 2) -> Tally:
    kinds = sorted(oracle.WORDED_PARTS)
    materials = {f"doc{seed}.md": generate(RandomSource(seed), parts=parts, kinds=kinds) for seed in seeds}
    by_file = scan_json({name: m.text for name, m in materials.items()}, where)
    seen = Tally()
    for name, material in materials.items():
        tally = judge(material, {"steps": by_file.get(name, [])})
        assert not tally.wrong, f"{name}:\n" + "\n".join(tally.wrong) + "\n\n" + material.text
        # a step under a fact no instance meets ("assume $\|x\| = -1$") is never checked on it
        assert not [v for v in tally.vacuous if ": checked (" in v or ": proved (" in v], tally.vacuous
        seen.add(tally)
    return seen


# A seed whose two parts state sizes and orthogonality (each run decides it), the fixed sample of the slow tier, and
# the share of false steps the scan must refute or send to review there. Measured on fresh documents of three parts:
# 375 of 380 on seeds 100-149 and 336 of 340 on seeds 300-339, the ones left the bare relation ||x|| = 1, skipped by
# design (1 of the 34 false steps of the fixed sample).
_WORDED_EVERY_RUN = (16,)
_WORDED_FIXED = range(8)
_WORDED_RECALL_FLOOR = 0.9


def test_a_generated_document_of_stated_sizes_and_orthogonality_is_decided_soundly(tmp_path):
    kinds = {e.family.split("/")[0] for seed in _WORDED_EVERY_RUN
             for e in generate(RandomSource(seed), parts=2, kinds=sorted(oracle.WORDED_PARTS)).steps}
    assert kinds >= {"size", "orthogonal"}, kinds
    seen = run_worded(_WORDED_EVERY_RUN, tmp_path)
    assert seen.steps >= 12 and seen.slips >= 3, seen


@pytest.mark.slow
def test_a_fixed_sample_of_worded_conditions_is_decided_soundly(tmp_path, soak):
    seeds = range(60) if soak else _WORDED_FIXED
    seen = run_worded(seeds, tmp_path)
    assert {f.split("/")[0] for f in seen.by_family} >= {"size", "orthogonal", "identity", "fact-words", "fact-bare"}
    assert seen.caught >= _WORDED_RECALL_FLOOR * seen.slips, f"caught {seen.caught} of {seen.slips}: {seen.missed}"


def test_every_worded_slip_is_false_at_its_witness_and_every_true_step_holds():
    rng = random.Random(0)
    kinds = sorted(oracle.WORDED_PARTS)
    for seed in range(12):
        for e in generate(RandomSource(seed), parts=3, kinds=kinds).steps:
            if e.truth == "slip":
                env = e.witness["row"]
                assert oracle.decide(e, env) is False and all(oracle.size_ok(e.part, d, s) for d, s in env["#sizes"].items())
                assert oracle._conditions_hold(e.part, env), e.text
            elif e.truth == "true":
                for _ in range(6):
                    try:
                        env = oracle.instance(e.part, rng)
                    except oracle._Undefined:
                        continue
                    assert oracle._conditions_hold(e.part, env) and oracle.decide(e, env) is not False, e.text


def test_the_worded_truths_are_the_textbook_ones():
    # (1^T x)^2 <= c ||x||^2 holds exactly up to size c; ||A||_F^2 <= c ||A||_2^2 likewise
    for c, n, truth in ((3, (1, 3), "true"), (3, (1, None), "slip"), (2, (2, 2), "true"), (2, (3, 3), "slip")):
        part = oracle.Part({"x": ("n", 1), "A": ("n", "n")}, ranges={"n": n})
        for left, right in ((lambda e: oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"])) ** 2,
                             lambda e, c=c: c * oracle.sq(e["x"])),
                            (lambda e: oracle.sq(e["A"]), lambda e, c=c: c * oracle.opnorm2(e["A"]))):
            step = oracle.Expected("", "", "true", "", part, left, right, relation="<=")
            assert (oracle.find_witness(step, random.Random(0)) is None) == (truth == "true")
    # a Cayley matrix is orthogonal; Gram-Schmidt over the fractions gives orthogonal vectors
    Q = oracle._cayley(3, random.Random(1))
    assert oracle.equal(oracle.mm(oracle.T(Q), Q), oracle.eye(3)) is True
    u, v = oracle._gram_schmidt([_m([[1], [2], [0]]), _m([[3], [-1], [2]])])
    assert oracle.scalar(oracle.mm(oracle.T(u), v)) == 0
    # a counterexample at a size the material rules out, or breaking orthogonality, is not one
    part = oracle.Part({"u": ("n", 1), "v": ("n", 1)}, orthogonal=(("u", "v"),), unread={"n": ("odd", lambda s: s % 2)})
    wrong = oracle.Expected("", "", "slip", "", part, lambda e: oracle.norm(oracle.add(e["u"], e["v"])),
                            lambda e: oracle.norm(e["u"]) + oracle.norm(e["v"]))
    assert oracle.confirms(wrong, {"values": {"u": [["3"], ["0"], ["0"]], "v": [["0"], ["4"], ["0"]]}})
    assert not oracle.confirms(wrong, {"values": {"u": [["3"], ["0"]], "v": [["0"], ["4"]]}})  # n = 2 is not odd
    assert not oracle.confirms(wrong, {"values": {"u": [["3"], ["1"], ["0"]], "v": [["0"], ["4"], ["0"]]}})


def test_the_oracle_sees_a_scan_that_passes_every_worded_step(tmp_path):
    material = generate(RandomSource(_WORDED_EVERY_RUN[0]), parts=2, kinds=sorted(oracle.WORDED_PARTS))
    steps = scan_json({"doc.md": material.text}, tmp_path)["doc.md"]
    passes = [dict(s, status="checked") if s["status"] in ("refuted", "needs review") else s for s in steps]
    assert judge(material, {"steps": passes}).false_proofs


def test_the_small_sizes_honour_the_value_or_bounds_the_section_states_on_a_size(tmp_path):
    # the sizes 1..3 were tried whatever the section stated: a bound true for n <= 2 was refuted at n = 3, and one true
    # from d = 5 on failed at d = 1 (unknown only because the replay could not size 1_d)
    steps = _steps("# A\n\nLet $x \\in \\mathbb{R}^n$ with $n \\le 2$.\n\n$$(\\mathbf{1}^T x)^2 \\le 2 \\|x\\|^2$$\n\n"
                   "# B\n\nLet $x \\in \\mathbb{R}^d$ for $d \\ge 5$.\n\n"
                   "$$\\|\\mathbf{1}_d \\mathbf{1}_d^T x\\|^2 \\ge 5 (\\mathbf{1}_d^T x)^2$$\n\n"
                   "$$\\|\\mathbf{1}_d \\mathbf{1}_d^T x\\|^2 \\ge 6 (\\mathbf{1}_d^T x)^2$$\n\n"
                   "# C\n\nLet $x \\in \\mathbb{R}^n$ with $n = 2$.\n\n"
                   "$$\\|\\mathbf{1}_n \\mathbf{1}_n^T x\\|^2 = 2 (\\mathbf{1}_n^T x)^2$$\n", tmp_path)
    assert steps[r"(\mathbf{1}^T x)^2 \le 2 \|x\|^2"]["status"] == "checked"
    assert steps[r"\|\mathbf{1}_d \mathbf{1}_d^T x\|^2 \ge 5 (\mathbf{1}_d^T x)^2"]["status"] == "checked"
    wrong = steps[r"\|\mathbf{1}_d \mathbf{1}_d^T x\|^2 \ge 6 (\mathbf{1}_d^T x)^2"]
    assert wrong["status"] == "refuted" and wrong["counterexample"]["sizes"] == {"d": 5}
    assert steps[r"\|\mathbf{1}_n \mathbf{1}_n^T x\|^2 = 2 (\mathbf{1}_n^T x)^2"]["status"] == "checked"


def test_a_counterexample_with_a_sized_identity_or_vector_of_ones_replays(tmp_path):
    # I_n beside W of m x n, a shape-only counterexample, and 1_n: the replay took I and 1 unsized (unknown)
    steps = _steps("Let $W \\in \\mathbb{R}^{m \\times n}$ and $x \\in \\mathbb{R}^n$.\n\n$$I_n W = W$$\n\n$$W I_n = W$$\n\n"
                   "$$(W^\\top W + \\lambda I_m) x = W^\\top W x + \\lambda x$$\n\n"
                   "$$\\|\\mathbf{1}_n \\mathbf{1}_n^T x\\|^2 = 2 (\\mathbf{1}_n^T x)^2$$\n", tmp_path)
    assert steps["W I_n = W"]["status"] == "checked"
    part = oracle.Part({"W": ("m", "n"), "x": ("n", 1), "lambda": ()})
    eye = lambda e, s: oracle.eye(e["#sizes"][s])  # noqa: E731
    for text, left, right in (
            ("I_n W = W", lambda e: oracle.mm(eye(e, "n"), e["W"]), lambda e: e["W"]),
            (r"(W^\top W + \lambda I_m) x = W^\top W x + \lambda x",
             lambda e: oracle.mm(oracle.add(oracle.mm(oracle.T(e["W"]), e["W"]), oracle.scale(e["lambda"], eye(e, "m"))),
                                 e["x"]),
             lambda e: oracle.add(oracle.mm(oracle.T(e["W"]), e["W"], e["x"]), oracle.scale(e["lambda"], e["x"]))),
            (r"\|\mathbf{1}_n \mathbf{1}_n^T x\|^2 = 2 (\mathbf{1}_n^T x)^2",
             lambda e: oracle.sq(oracle.mm(oracle.ones(e["x"].shape[0]), oracle.T(oracle.ones(e["x"].shape[0])), e["x"])),
             lambda e: 2 * oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"])) ** 2)):
        assert steps[text]["status"] == "refuted", steps[text]["reason"]
        assert oracle.confirms(oracle.Expected("", "", "slip", "", part, left, right), steps[text]["counterexample"])


def test_orthonormal_vectors_and_matrices_are_drawn_so(tmp_path):
    # "orthonormal" was no condition: Pythagoras for orthonormal u, v and ||Qx|| = ||x|| were refuted
    steps = _steps("# A\n\nLet $u, v \\in \\mathbb{R}^n$ be orthonormal vectors.\n\n$$\\|u + v\\|^2 = \\|u\\|^2 + \\|v\\|^2$$\n\n"
                   "$$\\|u\\| = \\|v\\|$$\n\n$$\\|u + v\\| = \\|u\\| + \\|v\\|$$\n\n"
                   "# B\n\nLet $Q \\in \\mathbb{R}^{n \\times n}$ be orthonormal and $x \\in \\mathbb{R}^n$.\n\n"
                   "$$\\|Q x\\| = \\|x\\|$$\n", tmp_path)
    assert steps[r"\|u + v\|^2 = \|u\|^2 + \|v\|^2"]["status"] == "checked"
    assert steps[r"\|u\| = \|v\|"]["status"] == "checked"
    assert steps[r"\|Q x\| = \|x\|"]["status"] == "checked"
    wrong = steps[r"\|u + v\| = \|u\| + \|v\|"]
    assert wrong["status"] == "refuted"
    part = oracle.Part({"u": ("n", 1), "v": ("n", 1)}, orthogonal=(("u", "v"),), unit=frozenset({"u", "v"}))
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: oracle.norm(oracle.add(e["u"], e["v"])),
                                           lambda e: oracle.norm(e["u"]) + oracle.norm(e["v"])), wrong["counterexample"])


def test_a_fact_in_words_with_a_negative_or_fractional_number_is_a_fact(tmp_path):
    # "assume $u^T v = -1$" was no fact (-1 is not a numeral): a step true under it was refuted
    steps = _steps("# A\n\nLet $u, v \\in \\mathbb{R}^n$. Assume $u^\\top v = -1$.\n\n"
                   "$$\\|u + v\\|^2 = \\|u\\|^2 + \\|v\\|^2 - 2$$\n\n"
                   "# B\n\nLet $x \\in \\mathbb{R}^n$. Assume $\\|x\\| = -1$.\n\n$$\\|x\\|^2 = \\|x\\|$$\n", tmp_path)
    assert steps[r"\|u + v\|^2 = \|u\|^2 + \|v\|^2 - 2"]["status"] == "checked"
    assert steps[r"\|x\|^2 = \|x\|"]["status"] == "needs review"  # no instance meets the fact: a course reviews it


def test_a_failure_at_a_size_a_condition_the_scan_does_not_read_may_exclude_needs_review(tmp_path):
    # "where $n$ is odd" was not read: the step was refuted at n = 10, which the condition excludes
    steps = _steps("Let $x \\in \\mathbb{R}^n$ where $n$ is odd.\n\n"
                   "$$\\|\\mathbf{1}_n \\mathbf{1}_n^T x\\|^2 \\le 3 (\\mathbf{1}_n^T x)^2$$\n", tmp_path)
    assert steps[r"\|\mathbf{1}_n \mathbf{1}_n^T x\|^2 \le 3 (\mathbf{1}_n^T x)^2"]["status"] == "needs review"


def test_a_bound_at_sizes_the_material_fixes_by_number_is_tried_with_ones_and_the_identity(tmp_path):
    # with A in R^{3x3} no larger size is tried, and the draws alone (seldom near the identity) checked the false bound
    steps = _steps("Let $A \\in \\mathbb{R}^{3 \\times 3}$.\n\n$$\\|A\\|_F^2 \\le 2 \\|A\\|_2^2$$\n\n"
                   "$$\\|A\\|_F^2 \\le 3 \\|A\\|_2^2$$\n", tmp_path)
    assert steps[r"\|A\|_F^2 \le 3 \|A\|_2^2"]["status"] == "checked"
    wrong = steps[r"\|A\|_F^2 \le 2 \|A\|_2^2"]
    assert wrong["status"] == "refuted"
    part = oracle.Part({"A": (3, 3)})
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: oracle.sq(e["A"]),
                                           lambda e: 2 * oracle.opnorm2(e["A"]), relation="<="), wrong["counterexample"])


def test_a_vector_whose_norm_a_fact_states_is_drawn_with_that_norm(tmp_path):
    # drawn entries seldom meet ||x|| = 1 in R^3: no instance honoured the fact, and the true step needed review
    steps = _steps("Let $x \\in \\mathbb{R}^{3}$. Suppose that $\\|x\\| = 1$.\n\n$$\\|x\\|^2 = \\|x\\|$$\n\n$$\\|2 x\\| = 2 \\|x\\|^2$$\n\n"
                   "$$x^{\\top} x = \\|x\\|$$\n\n$$\\|x\\|^2 = 2 \\|x\\|$$\n", tmp_path)
    for text in (r"\|x\|^2 = \|x\|", r"\|2 x\| = 2 \|x\|^2", r"x^{\top} x = \|x\|"):
        assert steps[text]["status"] == "checked", steps[text]["reason"]
    # a counterexample honouring the fact exactly (a rational unit vector) is replayed with it: refuted, not for review
    wrong = steps[r"\|x\|^2 = 2 \|x\|"]
    assert wrong["status"] == "refuted", wrong["reason"]
    part = oracle.Part({"x": (3, 1)}, unit=frozenset({"x"}))
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: oracle.sq(e["x"]),
                                           lambda e: 2 * oracle.norm(e["x"])), wrong["counterexample"])


def test_a_bound_whose_sides_grow_differently_with_a_free_size_is_tried_past_the_larger_size(tmp_path):
    # 1^T x <= 5 ||x|| holds up to n = 25 and ||A||_F <= 4 ||A||_2 up to n = 16: both were checked at the larger size 12;
    # the failure past every size the instances draw is shown for review, never refuted (words may rule that size out)
    steps = _steps("# A\n\nLet $x \\in \\mathbb{R}^n$ and $A \\in \\mathbb{R}^{n \\times n}$.\n\n"
                   "$$\\mathbf{1}^\\top x \\le 5 \\|x\\|$$\n\n$$\\|A\\|_F \\le 4 \\|A\\|_2$$\n\n"
                   "$$(\\mathbf{1}^\\top x)^2 \\le n \\|x\\|^2$$\n\n$$\\|A\\|_2 \\le \\|A\\|_F$$\n\n"
                   "$$\\|A\\|_F^2 \\le n \\|A\\|_2^2$$\n\n$$\\mathbf{1}^\\top x \\le 12 \\|x\\|$$\n\n"
                   "$$(\\mathbf{1}^\\top x)^2 \\le (n + 1) \\|x\\|^2$$\n", tmp_path)
    ones_x = lambda e: oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"]))  # noqa: E731
    for text, part, left, right in (
            (r"\mathbf{1}^\top x \le 5 \|x\|", oracle.Part({"x": ("n", 1)}), ones_x, lambda e: 5 * oracle.norm(e["x"])),
            (r"\|A\|_F \le 4 \|A\|_2", oracle.Part({"A": ("n", "n")}), lambda e: oracle.norm(e["A"]),
             lambda e: 4 * oracle.root(oracle.opnorm2(e["A"]))),
            (r"\mathbf{1}^\top x \le 12 \|x\|", oracle.Part({"x": ("n", 1)}), ones_x, lambda e: 12 * oracle.norm(e["x"]))):
        assert steps[text]["status"] == "needs review", steps[text]["reason"]
        step = oracle.Expected("", "", "slip", "", part, left, right, relation="<=")
        assert oracle.confirms(step, steps[text]["counterexample"])
    for text in (r"(\mathbf{1}^\top x)^2 \le n \|x\|^2", r"\|A\|_2 \le \|A\|_F", r"\|A\|_F^2 \le n \|A\|_2^2",
                 r"(\mathbf{1}^\top x)^2 \le (n + 1) \|x\|^2"):
        assert steps[text]["status"] == "checked", steps[text]["reason"]
    (tmp_path / "b").mkdir()
    bounded = [s for s in scan_json({"doc.md": "Let $x \\in \\mathbb{R}^n$ with $n \\le 20$.\n\n"
                                               "$$\\mathbf{1}^\\top x \\le 5 \\|x\\|$$\n\n"
                                               "## C\n\nLet $x \\in \\mathbb{R}^m$ with $m \\le 30$.\n\n"
                                               "$$\\mathbf{1}^\\top x \\le 5 \\|x\\|$$\n"}, tmp_path / "b")["doc.md"]
               if s["status"] not in ("definition", "skipped")]
    assert [s["status"] for s in bounded] == ["checked", "needs review"], bounded
    assert bounded[1]["counterexample"]["sizes"]["m"] == 26


def test_a_bound_whose_sides_grow_differently_past_the_sizes_the_scan_evaluates_needs_review(tmp_path):
    # ||A||_F <= 9 ||A||_2 fails only from n = 82, past the sizes at which a matrix's 2-norm is replayed
    steps = _steps("Let $A \\in \\mathbb{R}^{n \\times n}$.\n\n$$\\|A\\|_F \\le 9 \\|A\\|_2$$\n", tmp_path)
    assert steps[r"\|A\|_F \le 9 \|A\|_2"]["status"] == "needs review"



def _frame_step(part, left, right, relation="="):
    return oracle.Expected("", "", "slip", "", part, left, right, relation=relation)


def test_a_matrix_whose_rows_are_orthonormal_is_drawn_no_taller_than_wide(tmp_path):
    # "with Q Q^T = I" was read as Q^T Q = I: a tall Q was drawn, ||Q^T y|| = ||y|| (true) was refuted and Q^T Q = I_k
    # (false for a wide Q) checked; "has orthonormal columns" was not attached to Q, and its true steps needed review
    steps = _steps("# A\n\nLet $Q \\in \\mathbb{R}^{n \\times k}$ with $Q Q^\\top = I$, $x \\in \\mathbb{R}^k$ and "
                   "$y \\in \\mathbb{R}^n$.\n\n$$\\|Q^\\top y\\| = \\|y\\|$$\n\n$$Q^\\top Q = I_k$$\n\n$$\\|Q x\\| = \\|x\\|$$\n\n"
                   "$$\\|Q x\\| \\le \\|x\\|$$\n\n"
                   "# B\n\nLet $P \\in \\mathbb{R}^{m \\times r}$ have orthonormal columns, $u \\in \\mathbb{R}^r$ and "
                   "$v \\in \\mathbb{R}^m$.\n\n$$\\|P u\\| = \\|u\\|$$\n\n$$\\|P^\\top v\\| \\le \\|v\\|$$\n\n"
                   "$$\\|P^\\top v\\| = \\|v\\|$$\n\n$$P P^\\top = I_m$$\n\n"
                   "# C\n\nLet $R \\in \\mathbb{R}^{p \\times q}$ be a matrix whose rows are orthonormal and "
                   "$z \\in \\mathbb{R}^p$.\n\n$$\\|R^\\top z\\| = \\|z\\|$$\n", tmp_path)
    for text in (r"\|Q^\top y\| = \|y\|", r"\|Q x\| \le \|x\|", r"\|P u\| = \|u\|", r"\|P^\top v\| \le \|v\|",
                 r"\|R^\top z\| = \|z\|"):
        assert steps[text]["status"] == "checked", (text, steps[text]["reason"])
    rows = oracle.Part({"Q": ("n", "k"), "x": ("k", 1), "y": ("n", 1)}, frames={"Q": "rows"})
    columns = oracle.Part({"P": ("m", "r"), "u": ("r", 1), "v": ("m", 1)}, frames={"P": "columns"})
    for text, part, left, right in (
            (r"Q^\top Q = I_k", rows, lambda e: oracle.mm(oracle.T(e["Q"]), e["Q"]), lambda e: oracle.eye(e["#sizes"]["k"])),
            (r"\|Q x\| = \|x\|", rows, lambda e: oracle.norm(oracle.mm(e["Q"], e["x"])), lambda e: oracle.norm(e["x"])),
            (r"\|P^\top v\| = \|v\|", columns, lambda e: oracle.norm(oracle.mm(oracle.T(e["P"]), e["v"])),
             lambda e: oracle.norm(e["v"])),
            (r"P P^\top = I_m", columns, lambda e: oracle.mm(e["P"], oracle.T(e["P"])), lambda e: oracle.eye(e["#sizes"]["m"]))):
        assert steps[text]["status"] == "refuted", (text, steps[text]["reason"])
        assert oracle.confirms(_frame_step(part, left, right), steps[text]["counterexample"]), text


def test_members_of_a_family_said_orthonormal_are_drawn_orthonormal_together(tmp_path):
    # q_1, q_2 were each drawn a unit vector on its own: Pythagoras for them was refuted at q_1 = [1], q_2 = [-1]
    steps = _steps("Let $q_1, q_2 \\in \\mathbb{R}^n$ be orthonormal vectors and $x \\in \\mathbb{R}^n$.\n\n"
                   "$$\\|q_1 + q_2\\|^2 = \\|q_1\\|^2 + \\|q_2\\|^2$$\n\n$$(q_1^\\top x)^2 + (q_2^\\top x)^2 \\le \\|x\\|^2$$\n\n"
                   "$$\\|q_1 + q_2\\| = \\|q_1\\| + \\|q_2\\|$$\n\n$$(q_1^\\top x)^2 + (q_2^\\top x)^2 = \\|x\\|^2$$\n", tmp_path)
    assert steps[r"\|q_1 + q_2\|^2 = \|q_1\|^2 + \|q_2\|^2"]["status"] == "checked"
    assert steps[r"(q_1^\top x)^2 + (q_2^\top x)^2 \le \|x\|^2"]["status"] == "checked"
    part = oracle.Part({"q_1": ("n", 1), "q_2": ("n", 1), "x": ("n", 1)}, orthogonal=(("q_1", "q_2"),),
                       unit=frozenset({"q_1", "q_2"}))
    for text, left, right in (
            (r"\|q_1 + q_2\| = \|q_1\| + \|q_2\|", lambda e: oracle.norm(oracle.add(e["q_1"], e["q_2"])),
             lambda e: oracle.norm(e["q_1"]) + oracle.norm(e["q_2"])),
            (r"(q_1^\top x)^2 + (q_2^\top x)^2 = \|x\|^2",
             lambda e: oracle.scalar(oracle.mm(oracle.T(e["q_1"]), e["x"])) ** 2
             + oracle.scalar(oracle.mm(oracle.T(e["q_2"]), e["x"])) ** 2, lambda e: oracle.sq(e["x"]))):
        assert steps[text]["status"] == "refuted", (text, steps[text]["reason"])
        assert oracle.confirms(_frame_step(part, left, right), steps[text]["counterexample"]), text


def test_a_copy_of_a_draw_that_scales_no_number_is_not_counted(tmp_path):
    # a vector of stated norm is never scaled: its 'scaled copies' were the draw again, and were counted as instances
    steps = _steps("Let $x \\in \\mathbb{R}^n$. Assume $\\|x\\| = 3$.\n\n$$x^\\top x = 9$$\n", tmp_path)
    reason = steps[r"x^\top x = 9"]["reason"]
    assert steps[r"x^\top x = 9"]["status"] == "checked" and "scaled by" not in reason, reason


# -- special draws: orthonormal columns or rows, vectors of stated norm, bounds growing with a size (DRAWN_PARTS)


def run_drawn(seeds, where, parts: int = 3) -> Tally:
    kinds = sorted(oracle.DRAWN_PARTS)
    materials = {f"doc{seed}.md": generate(RandomSource(seed), parts=parts, kinds=kinds) for seed in seeds}
    by_file = scan_json({name: m.text for name, m in materials.items()}, where)
    seen = Tally()
    for name, material in materials.items():
        tally = judge(material, {"steps": by_file.get(name, [])})
        assert not tally.wrong, f"{name}:\n" + "\n".join(tally.wrong) + "\n\n" + material.text
        seen.add(tally)
    return seen


# Seeds whose parts cover every kind (each run decides them), the fixed sample of the slow tier, and the share of false
# steps the scan must refute or send to review. Measured on seeds 0-59 before the drawing and growth rules: 125 wrong
# verdicts of 679 steps (54 bounds holding only up to a size past 12 checked, 13 false steps on orthonormal rows
# checked and one true one refuted, 55 true steps on orthonormal columns or rows sent to review, one bound on a vector
# of stated norm checked); after: none, and none of 705 on seeds 100-159. 215 of the 289 false steps are caught; the
# rest are relations with a number printed as steps ((1^T x)^2 <= 4, |x_1| <= 1/2), skipped by design. With sizes
# stated in words, negated orthonormal words and unit vectors said in words added to the parts: 53 wrong verdicts of
# 673 steps on seeds 0-59 before the rules for them (37 false steps under negated words checked, 14 bounds past a size
# stated in words refuted, 2 false sums of fourth powers checked by the reading of numbers), 2 after (those 2); 233 of
# the 311 false steps caught, all the rest skipped by design. The first 12 seeds now draw more of those skipped steps:
# the fixed sample is the first 24.
_DRAWN_EVERY_RUN = (1, 11)
_DRAWN_FIXED = range(24)
_DRAWN_RECALL_FLOOR = 0.7


def test_generated_special_draws_and_growing_bounds_are_decided_soundly(tmp_path):
    kinds = {e.family.split("/")[0] for seed in _DRAWN_EVERY_RUN
             for e in generate(RandomSource(seed), parts=3, kinds=sorted(oracle.DRAWN_PARTS)).steps}
    assert kinds >= {"frames-columns", "frames-rows", "frames-square", "unit", "growth"}, kinds
    seen = run_drawn(_DRAWN_EVERY_RUN, tmp_path)
    assert seen.steps >= 15 and seen.slips >= 4, seen


@pytest.mark.slow
def test_a_fixed_sample_of_special_draws_and_growing_bounds_is_decided_soundly(tmp_path, soak):
    seeds = range(60) if soak else _DRAWN_FIXED
    seen = run_drawn(seeds, tmp_path)
    assert seen.caught >= _DRAWN_RECALL_FLOOR * seen.slips, f"caught {seen.caught} of {seen.slips}: {seen.missed}"


def test_every_drawn_slip_is_false_at_its_witness_and_every_true_step_holds():
    rng = random.Random(0)
    kinds = sorted(oracle.DRAWN_PARTS)
    for seed in range(30):
        for e in generate(RandomSource(seed), parts=3, kinds=kinds).steps:
            if e.truth == "slip":
                env = e.witness["row"]
                assert oracle.decide(e, env) is False, e.text
                assert all(oracle.size_ok(e.part, d, s) for d, s in env["#sizes"].items()), e.text
                assert oracle._conditions_hold(e.part, env), e.text
            else:
                for _ in range(6):
                    try:
                        env = oracle.instance(e.part, rng)
                    except oracle._Undefined:
                        continue
                    assert oracle._conditions_hold(e.part, env) and oracle.decide(e, env) is not False, e.text


def test_the_drawn_truths_are_the_textbook_ones():
    # 1^T x <= 5 ||x|| holds up to n = 25 and fails at 26 (a vector of ones); Q with orthonormal rows keeps ||Q^T y||
    ones_x = lambda e: oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"]))  # noqa: E731
    step = oracle.Expected("", "", "true", "", oracle.Part({"x": ("n", 1)}), ones_x, lambda e: 5 * oracle.norm(e["x"]),
                           relation="<=")
    assert oracle.decide(step, {"x": oracle.ones(25), "#sizes": {"n": 25}}) is True
    assert oracle.decide(step, {"x": oracle.ones(26), "#sizes": {"n": 26}}) is False
    part = oracle.Part({"Q": ("n", "k"), "y": ("n", 1)}, frames={"Q": "rows"})
    env = oracle.instance(part, random.Random(2), {"n": 2, "k": 3})
    assert oracle._conditions_hold(part, env)
    assert oracle.sq(oracle.mm(oracle.T(env["Q"]), env["y"])) == oracle.sq(env["y"])
    with pytest.raises(oracle._Undefined):
        oracle.instance(part, random.Random(2), {"n": 3, "k": 2})
    # a vector of stated norm 3 is drawn with that norm, and a counterexample of another norm is not one
    part = oracle.Part({"x": ("n", 1)}, norms={"x": Fraction(3)})
    assert oracle.sq(oracle.instance(part, random.Random(1), {"n": 3})["x"]) == 9
    wrong = oracle.Expected("", "", "slip", "", part, lambda e: oracle.sq(e["x"]), lambda e: Fraction(3))
    assert oracle.confirms(wrong, {"values": {"x": [["3"], ["0"]]}})
    assert not oracle.confirms(wrong, {"values": {"x": [["1"], ["0"]]}})


def test_a_vector_of_stated_norm_is_also_tried_spread_evenly_over_its_entries(tmp_path):
    # under ||x|| = 1 the draws (rational points of the circle with small numbers) never come near (1, 1)/sqrt 2, where
    # (1^T x)^2 <= 99/50 ||x||^2 fails: it was checked; the structured values dropped the vector, which broke the fact
    steps = _steps("Let $x \\in \\mathbb{R}^{n}$ with $n \\le 2$. Assume $\\|x\\| = 1$.\n\n"
                   "$$(\\mathbf{1}^T x)^2 \\le \\frac{99}{50} \\|x\\|^2$$\n\n$$(\\mathbf{1}^T x)^2 \\le 2 \\|x\\|^2$$\n", tmp_path)
    assert steps[r"(\mathbf{1}^T x)^2 \le 2 \|x\|^2"]["status"] == "checked"
    wrong = steps[r"(\mathbf{1}^T x)^2 \le \frac{99}{50} \|x\|^2"]
    assert wrong["status"] == "refuted", wrong["reason"]
    part = oracle.Part({"x": ("n", 1)}, ranges={"n": (1, 2)}, norms={"x": Fraction(1)})
    ones_x = lambda e: oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"]))  # noqa: E731
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: ones_x(e) ** 2,
                                           lambda e: Fraction(99, 50) * oracle.sq(e["x"]), relation="<="),
                           wrong["counterexample"])


def test_a_product_whose_bounds_go_up_with_its_size_is_not_read_from_the_top_down(tmp_path):
    # prod_{k=1}^{T-1} read 'from its lower bound down to its upper one' has factors only at T <= 2, and at T = 1 reads
    # A_1 A_0, which no reading means: the top-down reading was decided there (only there) and its failure reported
    steps = _steps("Let $A_k \\in \\mathbb{R}^{n \\times n}$ for every $k$.\n\n"
                   "$$\\prod_{k=1}^{T-1} A_k = A_{T-1} \\prod_{k=1}^{T-2} A_k$$\n\n"
                   "$$\\prod_{k=1}^{T-1} A_k = \\left(\\prod_{k=1}^{T-2} A_k\\right) A_{T-1}$$\n", tmp_path)
    wrong = steps[r"\prod_{k=1}^{T-1} A_k = A_{T-1} \prod_{k=1}^{T-2} A_k"]
    assert wrong["status"] == "refuted" and "lower bound down" not in wrong["reason"], wrong["reason"]
    assert wrong["counterexample"]["indices"]["T"] >= 3
    assert steps[r"\prod_{k=1}^{T-1} A_k = \left(\prod_{k=1}^{T-2} A_k\right) A_{T-1}"]["status"] == "checked"


def test_members_of_a_family_of_orthogonal_matrices_are_not_drawn_as_orthogonal_vectors(tmp_path):
    # at n = 1 the members of W_k are 1 x 1: they were drawn as columns of one frame, scaled, and ||W_k x|| = ||x|| failed
    steps = _steps("Let $x \\in \\mathbb{R}^n$ and let $W_k \\in \\mathbb{R}^{n \\times n}$ be orthogonal for every $k$.\n\n"
                   "$$\\|W_k x\\| = \\|x\\|$$\n\n$$\\|W_1 W_2 x\\| = \\|x\\|$$\n", tmp_path)
    assert steps[r"\|W_k x\| = \|x\|"]["status"] == "checked", steps[r"\|W_k x\| = \|x\|"]["reason"]
    assert steps[r"\|W_1 W_2 x\| = \|x\|"]["status"] == "checked", steps[r"\|W_1 W_2 x\| = \|x\|"]["reason"]


# -- conditions in words the scan does not read: sizes, relations to another vector, norms, negated frames


_ONES_X = lambda e: oracle.scalar(oracle.mm(oracle.T(oracle.ones(e["x"].shape[0])), e["x"]))  # noqa: E731


@pytest.mark.parametrize("words", [
    "Let $x$ be a vector with $16$ entries.", "Let $x$ be a vector of length $16$.",
    "Let $x \\in \\mathbb{R}^n$ be the pixels of a $4 \\times 4$ image.", "Let $x \\in \\mathbb{R}^n$, where $n$ is at most 16.",
    "Let $x \\in \\mathbb{R}^n$ with $n \\in \\{1, \\dots, 16\\}$.", "Let $x \\in \\mathbb{R}^n$ for $n = 1, \\dots, 16$.",
    "Let $x \\in \\mathbb{R}^n$, where $n$ divides 16.", "Let $x \\in \\mathbb{R}^n$ have at most 16 nonzero entries."])
def test_a_bound_failing_only_past_a_size_stated_in_words_needs_review(tmp_path, words):
    # 1^T x <= 4 ||x|| holds up to n = 16: read past the size the words state, it was refuted at n = 17
    steps = _steps(f"# A\n\n{words} Then $\\mathbf{{1}}^\\top x \\le 4 \\|x\\|$.\n", tmp_path)
    step = steps[r"\mathbf{1}^\top x \le 4 \|x\|"]
    assert step["status"] == "needs review", step["reason"]
    # the failure it shows is one (at a size past the words)
    part = oracle.Part({"x": ("n", 1)})
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, _ONES_X, lambda e: 4 * oracle.norm(e["x"]),
                                           relation="<="), step["counterexample"])


def test_a_bound_failing_only_at_the_larger_size_is_refuted_only_where_no_words_state_a_size(tmp_path):
    # 1^T x <= 3 ||x|| fails from n = 10, the larger size: with n in {1, ..., 9} it holds, and was refuted at n = 10
    steps = _steps("# A\n\nLet $A$ be a $16 \\times 16$ matrix. Then $\\|A\\|_F \\le 4 \\|A\\|$.\n\n"
                   "# B\n\nLet $x \\in \\mathbb{R}^n$ with $n \\in \\{1, \\dots, 9\\}$. Then $\\mathbf{1}^\\top x \\le 3 \\|x\\|$.\n\n"
                   "# C\n\nLet $y \\in \\mathbb{R}^m$. Then $\\mathbf{1}^\\top y \\le 3 \\|y\\|$.\n", tmp_path)
    assert steps[r"\|A\|_F \le 4 \|A\|"]["status"] == "needs review", steps[r"\|A\|_F \le 4 \|A\|"]["reason"]
    assert steps[r"\mathbf{1}^\top x \le 3 \|x\|"]["status"] == "needs review"
    wrong = steps[r"\mathbf{1}^\top y \le 3 \|y\|"]
    assert wrong["status"] == "refuted", wrong["reason"]
    part = oracle.Part({"y": ("m", 1)})
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: oracle.scalar(oracle.mm(
        oracle.T(oracle.ones(e["y"].shape[0])), e["y"])), lambda e: 3 * oracle.norm(e["y"]), relation="<="),
        wrong["counterexample"])


@pytest.mark.parametrize("words", [
    "where $A$ need not have orthonormal columns", "where $A$ does not have orthonormal columns",
    "where $A$ fails to have orthonormal columns", "where $A$ is a matrix without orthonormal columns",
    "where $A$ is not necessarily orthogonal", "and compare $A$ to a matrix with orthonormal columns"])
def test_orthonormal_words_under_a_negation_or_about_another_noun_are_no_condition(tmp_path, words):
    # "$A$ need not have orthonormal columns" made A orthogonal: ||A x|| = ||x|| (false) was checked
    steps = _steps(f"# A\n\nLet $A \\in \\mathbb{{R}}^{{n \\times n}}$ and $x \\in \\mathbb{{R}}^n$, {words}. "
                   "Then $\\|A x\\| = \\|x\\|$.\n", tmp_path)
    assert steps[r"\|A x\| = \|x\|"]["status"] in ("refuted", "needs review"), steps[r"\|A x\| = \|x\|"]["reason"]


@pytest.mark.parametrize("words", [
    "Let $Q \\in \\mathbb{R}^{n \\times k}$ have orthonormal columns and $u \\in \\mathbb{R}^k$.",
    "Let $Q \\in \\mathbb{R}^{n \\times k}$ with orthonormal columns and $u \\in \\mathbb{R}^k$.",
    "Let $Q \\in \\mathbb{R}^{n \\times k}$, whose columns are orthonormal, and $u \\in \\mathbb{R}^k$.",
    "Let $u \\in \\mathbb{R}^k$ and $Q \\in \\mathbb{R}^{n \\times k}$. Suppose $Q$ has orthonormal columns."])
def test_orthonormal_words_in_a_direct_predicate_are_a_condition(tmp_path, words):
    steps = _steps(f"# A\n\n{words} Then $\\|Q u\\| = \\|u\\|$ and $\\|Q u\\| = 2 \\|u\\|$.\n", tmp_path)
    assert steps[r"\|Q u\| = \|u\|"]["status"] == "checked", steps[r"\|Q u\| = \|u\|"]["reason"]
    assert steps[r"\|Q u\| = 2 \|u\|"]["status"] == "refuted", steps[r"\|Q u\| = 2 \|u\|"]["reason"]


def test_vectors_orthogonal_to_another_vector_are_not_drawn_orthogonal_to_each_other(tmp_path):
    # "q_1, q_2 be orthogonal to x" drew q_1, q_2 as one orthogonal family, free of x: the true Pythagoras for q_1 and x
    # was refuted at q_1 = [-1], x = [-2]
    steps = _steps("# A\n\nLet $x \\in \\mathbb{R}^n$ and let the vectors $q_1, q_2 \\in \\mathbb{R}^n$ be orthogonal to $x$. "
                   "Then $\\|q_1 + x\\|^2 = \\|q_1\\|^2 + \\|x\\|^2$.\n\n"
                   "# B\n\nLet $x, p \\in \\mathbb{R}^n$, where $p$ is orthogonal to $x$. "
                   "Then $\\|p + x\\|^2 = \\|p\\|^2 + \\|x\\|^2$.\n\n"
                   "# C\n\nLet $u, v \\in \\mathbb{R}^n$ be orthogonal to each other. Then $\\|u + v\\|^2 = \\|u\\|^2 + \\|v\\|^2$ "
                   "and $\\|u + v\\|^2 = \\|u\\|^2 + 2 \\|v\\|^2$.\n", tmp_path)
    assert steps[r"\|q_1 + x\|^2 = \|q_1\|^2 + \|x\|^2"]["status"] == "needs review"
    assert steps[r"\|p + x\|^2 = \|p\|^2 + \|x\|^2"]["status"] == "needs review"
    assert steps[r"\|u + v\|^2 = \|u\|^2 + \|v\|^2"]["status"] == "checked"
    assert steps[r"\|u + v\|^2 = \|u\|^2 + 2 \|v\|^2"]["status"] == "refuted"


@pytest.mark.parametrize("text", [
    "Let $x, y \\in \\mathbb{R}^n$ with $\\|y\\| = 1$, where $x$ is a unit vector. Then $x^\\top y \\le \\|y\\|$.",
    "Let $x, y \\in \\mathbb{R}^n$ with $\\|y\\| = 1$, and suppose $\\|x\\|$ is at most one. Then $x^\\top y \\le \\|y\\|$.",
    "Let $x, y \\in \\mathbb{R}^n$ with $\\|y\\| = 1$. Then $x^\\top y \\le \\|y\\|$ for every unit vector $x$.",
    "Let $x, y \\in \\mathbb{R}^n$ where $x$ is a unit vector. Then $x^\\top y \\le \\|y\\|$.",
    "Let $x, y \\in \\mathbb{R}^n$ where $x$ is normalised. Then $x^\\top y \\le \\|y\\|$."])
def test_a_condition_in_words_on_a_name_keeps_its_failure_in_review(tmp_path, text):
    # the instance honoured ||y|| = 1 exactly but not "x is a unit vector": the true step was refuted
    steps = _steps(f"# A\n\n{text}\n", tmp_path)
    assert steps[r"x^\top y \le \|y\|"]["status"] == "needs review", steps[r"x^\top y \le \|y\|"]["reason"]


def test_a_failure_under_facts_with_no_condition_in_words_is_still_refuted(tmp_path):
    steps = _steps("# A\n\nLet $x, y \\in \\mathbb{R}^n$ with $\\|y\\| = 1$. Then $x^\\top y \\le \\|y\\|$.\n", tmp_path)
    wrong = steps[r"x^\top y \le \|y\|"]
    assert wrong["status"] == "refuted", wrong["reason"]
    part = oracle.Part({"x": ("n", 1), "y": ("n", 1)}, norms={"y": Fraction(1)})
    assert oracle.confirms(oracle.Expected("", "", "slip", "", part, lambda e: oracle.scalar(oracle.mm(oracle.T(e["x"]), e["y"])),
                                           lambda e: oracle.norm(e["y"]), relation="<="), wrong["counterexample"])


