"""The scan's reading of formulas: normalisation, the parser, chains and definitions; what is not certain is skipped."""

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.scan.chains import chains
from proofs.scan.definitions import Definitions, head
from proofs.scan.normalise import normalise
from proofs.scan.parse import Context, Skip, parse

a, b, t, w, x, y, z = (sympy.Symbol(n, real=True) for n in "abtwxyz")
X = sympy.IndexedBase("x", real=True)


@pytest.mark.parametrize("text, expected", [
    (r"\left( a + b \right)^{2}", "( a + b )^{2}"),
    (r"a \, b \; c \quad d", "a b c d"),
    (r"\dfrac{1}{2} \times x,", r"\frac{1}{2} \cdot x"),
    (r"x^\prime", "x'"),
    (r"\lvert x \rvert", "| x |"),
    (r"a &= b .", "a = b"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2wx(b - t)", 2 * w * x * (b - t)),
    (r"2 \cdot w \times x", 2 * w * x),
    (r"\left(a + b\right)^2", (a + b) ** 2),
    (r"\frac{1}{1 + e^{-z}}", 1 / (1 + sympy.exp(-z))),
    (r"\sigma(z)", 1 / (1 + sympy.exp(-z))),
    (r"\tanh(x) + \log(y) - \exp(z)", sympy.tanh(x) + sympy.log(y) - sympy.exp(z)),
    (r"\ln x", sympy.log(x)),
    (r"\max(a, b) + \min\{a, b\}", sympy.Max(a, b) + sympy.Min(a, b)),
    ("|x - y|", sympy.Abs(x - y)),
    ("0.25", sympy.Rational(1, 4)),
    (r"\frac{\partial}{\partial b} (a + b x)^2", 2 * x * (a + b * x)),
    (r"\frac{d}{dz} \tanh(z)", 1 - sympy.tanh(z) ** 2),
    ("x_{t-1} + x_1", X[t - 1] + X[1]),
    (r"\sum_{i=1}^{n} x_i", sympy.Sum(X[sympy.Symbol("i", real=True)], (sympy.Symbol("i", real=True), 1, sympy.Symbol("n", real=True)))),
    (r"\tanh^2(z)", sympy.tanh(z) ** 2),
    (r"\sqrt{x}", sympy.sqrt(x)),
])
def test_parse(text, expected):
    assert sympy.simplify(parse(text) - expected) == 0


@pytest.mark.parametrize("text, reason", [
    (r"h^{(t)}", "a superscript (t) that is an index"),
    ("z^t", "may be an index"),
    ("W^T", "a transpose"),
    (r"\|x\|", "norm notation"),
    (r"\mathbf{D}", "bold"),
    (r"\text{concat}(a)", "prose inside math"),
    ("otherwise", "reads as a word"),
    ("var(ax)", "reads as a word"),
    ("ReLU(x)", "reads as a word"),
    (r"\frac{\delta l}{\delta h}", "a derivative of l"),  # read as a derivative, of a loss not defined
    (r"\frac{\partial y}{\partial x}", "a derivative of y, which the material does not define"),
    ("1/2x", "a/bc could be read as"),
    (r"\phi(z)", "applies phi, which the material does not define"),
    (r"a_1, \dots, a_n", "cannot read"),
    (r"\begin{pmatrix} 1 \end{pmatrix}", "an environment"),
    (r"\frac{\partial}{\partial x} |x|", "not differentiable everywhere"),
    (r"\log xy", "ambiguous"),
    (r"\sum_{i=1} x_i", "one bound only"),
    ("x!", "a factorial"),
])
def test_what_cannot_be_read_with_certainty_is_skipped(text, reason):
    with pytest.raises(Skip, match=None) as info:
        parse(text)
    assert reason in str(info.value)


def test_a_letter_superscript_is_a_power_only_for_a_summation_letter():
    with pytest.raises(Skip):
        parse("r^k")
    assert parse("r^k", Context(exponents=frozenset("k"))) == sympy.Symbol("r", real=True) ** sympy.Symbol("k", real=True)
    assert parse("(a + b)^n") == (a + b) ** sympy.Symbol("n", real=True)  # not a name: a power
    assert parse("2^{n}") == 2 ** sympy.Symbol("n", real=True)


def test_chains_split_at_relations_rows_and_lists():
    (one,) = chains(r"a = b \le c < d")
    assert [s.text for s in one.sides] == ["a", "b", "c", "d"] and one.relations == ("=", "<=", "<")
    rows = chains(r"E &= (a+b)^2 \\ &= a^2 + 2ab + b^2")
    assert len(rows) == 1 and [s.text for s in rows[0].sides] == ["E", "(a+b)^2", "a^2 + 2ab + b^2"]
    listed = chains(r"w_1 = -1, w_2 = 1, b_2 = 0.5")
    assert [c.sides[0].text for c in listed] == ["w_1", "w_2", "b_2"]
    (kept,) = chains(r"\max(a, b) = c")  # a comma inside parentheses does not split
    assert kept.sides[0].text == r"\max(a, b)"
    (cond,) = chains(r"\frac{1 - r^n}{1 - r} = s \quad \text{for } r \neq 1")
    assert cond.conditions == (r"\text{for } r \neq 1",)
    (cases,) = chains(r"f(z) = \begin{cases} 1, & z > 0 \\ 0, & \text{otherwise} \end{cases}")
    assert cases.relations == ("=",)
    assert chains(r"\sum_{i=1}^{n} x_i") == []  # the = of a bound is no relation


def test_heads_and_definitions():
    assert head("h^{(0)}").kind == "value" and head("w").kind == "value" and head(r"\alpha").name == "alpha"
    assert head(r"\sigma(z)").kind == "function" and head("g(1, 0)").kind == "point"
    assert head("2w") is None and head(r"\sigma'(z)") is None
    defs = Definitions()
    assert "defines sigma(z)" in defs.record(head(r"\sigma(z)"), r"\frac{1}{1 + e^{-z}}", 1)
    assert defs.defining("w", "4", "=", True) is not None
    defs.record(head("w"), "4", 2)
    assert parse("3w", defs.context()) == 12
    # a left side that is not a name (or a name applied to fresh names) defines nothing
    assert defs.defining("0", "g(1, 0)", "=", True) is None and defs.defining("g(1, 0)", "0", "=", True) is None
    defs.record(head("g(1, 0)"), "0", 3)
    with pytest.raises(Skip, match="applies g"):
        parse("g(0, 1)", defs.context())
    defs.forget_values()
    assert parse("3w", defs.context()) == 3 * w


def test_no_math_is_looked_for_in_markdown_code():
    from proofs.material import parse as read_text
    from proofs.scan.find import spans

    doc = read_text("a.md", "Run `$ x = 1 $` or\n\n```\n$ echo $a = b$\n```\n\nand $1 + 1 = 2$.\n", "markdown")
    assert [s.body for s in spans(doc)] == ["1 + 1 = 2"]
    assert spans(doc)[0].line == 7


def test_definitions_refer_to_later_ones_and_derivatives_are_read_at_defined_values():
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    doc = read_text("a.md", "Let $L = \\frac{1}{2}(y - \\hat{y})^2$ with $\\hat{y} = w_2 h$. Then\n"
                            "$\\frac{\\partial L}{\\partial \\hat{y}} = \\hat{y} - y$ and "
                            "$\\frac{\\partial L}{\\partial w_2} = (\\hat{y} - y) h$.\n\n"
                            "With $J(w) = \\frac{1}{2}(wx - y)^2 + \\frac{\\lambda}{2} w^2$, "
                            "$\\frac{d J}{d w} = (wx - y)x + \\lambda w$.\n", "markdown")
    steps = {s.text: s for s in scan_document(doc)}
    assert steps["\\frac{\\partial L}{\\partial \\hat{y}} = \\hat{y} - y"].status == "proved"
    assert steps["\\frac{\\partial L}{\\partial w_2} = (\\hat{y} - y) h"].status == "proved"
    assert steps["\\frac{d J}{d w} = (wx - y)x + \\lambda w"].status == "proved"


def test_the_steps_of_an_implication_are_not_identities():
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    doc = read_text("a.md", "So $\\frac{a}{b} = \\frac{c}{d} \\Rightarrow ad = bc$.\n", "markdown")
    assert {s.status for s in scan_document(doc)} == {"skipped"}


def test_a_power_of_a_defined_value_is_a_claim_not_a_definition():
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    doc = read_text("a.md", "Let $s := a + b$. Then $s^2 = a^2 + 2ab + b^2$, and $h^0 = 1$ sets the state.\n", "markdown")
    assert [s.status for s in scan_document(doc)] == ["definition", "proved", "definition"]


_PIECES = ["x", "y", "2", "0.5", "+", "-", "=", "<", "\\le", "(", ")", "{", "}", "[", "]", "|", "^", "_", "'", ",", "\\frac",
           "\\sum", "\\sigma", "\\tanh", "\\log", "\\max", "\\left(", "\\right)", "\\partial", "d", "\\cdot", "/", "&", "\\\\",
           "\\text{for }", "\\begin{cases}", "\\end{cases}", "\\|", "\\mathbf", "e", " ", "\\quad", "!", "*", "\\sqrt", "\\{"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_any_formula_is_read_or_skipped_with_a_reason(pieces):
    """Hostile input: the parser answers an expression or Skip, and splitting into chains never fails."""
    text = "".join(pieces)
    try:
        parse(text)
    except Skip as exc:
        assert str(exc)
    for chain in chains(text):
        assert len(chain.sides) == len(chain.relations) + 1


@pytest.mark.parametrize("text, read", [
    ("|a|b|c|", None),                         # |a|·b·|c| or |a·|b|·c|
    ("|x||y|", "Abs(x)*Abs(y)"),               # two bars together pair one way only
    ("|a| + |b|", "Abs(a) + Abs(b)"),
    ("2|x|", "2*Abs(x)"),
    (r"|a - b| \, |c|", "Abs(c)*Abs(a - b)"),
])
def test_bars_that_pair_two_ways_are_skipped(text, read):
    if read is None:
        with pytest.raises(Skip, match="pair two ways"):
            parse(text)
    else:
        assert str(parse(text)) == read



@pytest.mark.parametrize("text, read", [
    (r"x \left|{x}\right| + y \left|{x}\right|", "x*Abs(x) + y*Abs(x)"),  # sized bars say how they pair
    (r"\left|{x \left|{x}\right|}\right|", "Abs(x*Abs(x))"),              # nested inside a group of its own
    (r"\lvert a \rvert \lvert b \rvert", "Abs(a)*Abs(b)"),
    (r"\left| x + \left| y \right| z \right|", "Abs(x + z*Abs(y))"),
    (r"\left| x \left| y \right| z \right|", None),  # nested right after a factor: the reader would close it
    (r"\left|\left|a\right| \left|b\right|\right|", None),
])
def test_sized_bars_are_read_as_they_pair(text, read):
    if read is None:
        with pytest.raises(Skip, match="opened right after a factor"):
            parse(text)
    else:
        assert str(parse(text)) == read
