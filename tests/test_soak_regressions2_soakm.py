"""Wrong or unsettled verdicts found by fresh-seed soaks of the scan and matrix oracles (benchmarks/soundness_scan.py,
benchmarks/soundness_matrix.py), each reduced to the least material that shows it."""

from fractions import Fraction

from proofs.material import parse
from proofs.scan.chains import chains
from proofs.scan.steps import scan_document


def _steps(text: str) -> list:
    return [(s.left, s.right, s.status) for s in scan_document(parse("soak.md", text, "markdown"), second_reader=False)]


# A `%` note at the end of an aligned row comments out its `\\` (as LaTeX reads it): the next row's `&= ...` is then on
# the same row, after a second `&`. That mark starts no statement of its own (no left side): the chain goes on.
_COMMENTED_BREAK = "So\n\n$$\\begin{aligned}\nb(v + w) &= {right} % by (2) \\\\\n&= b v + b w \\tag{{12}}\n\\end{aligned}$$\n"


def test_a_row_break_a_comment_hides_continues_the_chain():
    assert [[s.text for s in c.sides] for c in chains("a &= b % note \\\\\n&= c")] == [["a", "b", "c"]]
    assert [[s.text for s in c.sides] for c in chains("a &= b &= c")] == [["a", "b", "c"]]
    assert [[s.text for s in c.sides] for c in chains("a &= b & c &= d")] == [["a", "b"], ["c", "d"]]  # two columns
    two = "a &= b & c &= d \\\\\n&= e & &= f"  # each column goes on in the row below
    assert [[s.text for s in c.sides] for c in chains(two)] == [["a", "b", "e"], ["c", "d", "f"]]


def test_each_link_of_a_chain_on_one_row_is_checked_and_a_slip_in_it_refuted():
    right = _steps(_COMMENTED_BREAK.replace("{right}", "b v + b w").replace("{{12}}", "{12}"))
    assert [(a, b) for a, b, _ in right] == [("b(v + w)", "b v + b w"), ("b v + b w", "b v + b w")]
    assert all(status == "proved" for *_, status in right), right
    wrong = _steps(_COMMENTED_BREAK.replace("{right}", "2 b v + b w").replace("{{12}}", "{12}"))
    assert [status for *_, status in wrong] == ["refuted", "refuted"], wrong


# An entry of a declared matrix with a subscript of two or more characters before a parenthesis (W_{11}(W_{21} + 1)) was
# taken for a function W applied, so every such step, true or not, was skipped; the entry multiplies, as x_1(...) does.
_ENTRY = "# Entries\n\nLet $W$ be an $n \\times n$ matrix. Then ${step}$.\n"


def test_an_entry_with_a_long_subscript_before_a_parenthesis_multiplies():
    right = _steps(_ENTRY.replace("{step}", "W_{11}(W_{21} + W_{11}) = W_{11} W_{21} + W_{11} W_{11}"))
    assert [status for *_, status in right] == ["proved"], right
    wrong = scan_document(parse("soak.md", _ENTRY.replace("{step}", "W_{11}(W_{21} + 1) = W_{11} W_{21} + 1"), "markdown"),
                          second_reader=False)
    assert [s.status for s in wrong] == ["refuted"], [(s.status, s.reason) for s in wrong]
    # the counterexample replays in plain fractions: W_11 (W_21 + 1) against W_11 W_21 + 1
    values = {k: Fraction(v) for k, v in wrong[0].counterexample["values"].items()}
    w11, w21 = values["W[11]"], values["W[21]"]
    assert w11 * (w21 + 1) != w11 * w21 + 1


def test_a_name_with_a_long_subscript_applied_and_nowhere_else_stays_a_function():
    assert [status for *_, status in _steps(_ENTRY.replace("{step}", "g_{12}(x + 1) = g_{12}(x) + 1"))] == ["skipped"]


# A step true everywhere but at the edge a condition or a piece sets (z <= 9/4 with a piece for z < 9/4; a piece for
# z != 4) was checked: the search drew its points from a fixed pool, which holds neither edge. The edges are tried.
_EDGE = "# Edges\n\nLet $$\\psi(z) = \\begin{{cases}} -z^2 - 2z + 3, & z < {a} \\\\ -2z + 3, & \\text{{otherwise.}} \\end{{cases}}$$\n\n"


def _refuted_at(text: str, name: str) -> Fraction:
    steps = [s for s in scan_document(parse("soak.md", text, "markdown"), second_reader=False) if s.status != "definition"
             and s.status != "skipped"]
    assert [s.status for s in steps] == ["refuted"], [(s.status, s.reason) for s in steps]
    return Fraction(steps[0].counterexample["values"][name])


def test_a_step_false_only_at_the_edge_of_its_condition_is_refuted_there():
    a = "\\frac{9}{4}"
    z = _refuted_at(_EDGE.format(a=a) + f"For $z \\le {a}$, $-z^2 - 2z + 3 = \\psi(z)$.\n", "z")
    assert z == Fraction(9, 4)
    assert -z ** 2 - 2 * z + 3 != -2 * z + 3  # the plain replay: at z = 9/4 the second piece holds


def test_a_step_false_only_at_the_point_a_piece_leaves_out_is_refuted_there():
    text = ("# Edges\n\nLet $$h(z) = \\begin{cases} z^2, & z \\neq 4 \\\\ 3, & \\text{otherwise.} \\end{cases}$$\n\n"
            "Then $h(z) + 1 = z^2 + 1$.\n")
    z = _refuted_at(text, "z")
    assert z == 4 and 3 + 1 != z ** 2 + 1


def test_a_step_true_up_to_an_edge_its_condition_leaves_out_is_not_refuted():
    a = "\\frac{9}{4}"
    steps = _steps(_EDGE.format(a=a) + f"For $z < {a}$, $-z^2 - 2z + 3 = \\psi(z)$.\n")
    assert steps[-1][2] == "checked", steps
