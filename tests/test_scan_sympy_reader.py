"""sympy's LaTeX parser as the second reader of every side: the translation for its grammar, the mapping of its
readings onto the scan's names, and the verdict (agrees, differs, unread)."""

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from proofs.scan.parse import SIGMOID, Context, Skip, parse, symbol
from proofs.scan.sympy_reader import MAX_LENGTH, Unread, second_reading, translate

a, b, m, n, t, w, x, y, z = (symbol(s) for s in "abmntwxyz")
X = sympy.IndexedBase("x", real=True)


@pytest.mark.parametrize("side, expected", [
    (r"\sigma(z)", "Z_{zqa}(z)"),
    (r"\sigma(z)(1 - \sigma(z))", r"Z_{zqa}(z)\cdot(1 -Z_{zqa}(z))"),
    (r"\hat y + \bar{x}", "Z_{zqa} +Z_{zqb}"),
    (r"\frac{\partial}{\partial w} w^2", r"\frac{d}{d w} w^2"),
    (r"\left[a + b\right]", "(a + b)"),
    (r"\sqrt[3]{x}", r"\sqrt[3]{x}"),
    (r"\sum_i x_i", r"\sum_{i=1}^{Z_{zqa}} x_i"),
    (r"\sum_{i=1}^{n} x_i", r"\sum_{i=1}^{n} x_i"),
    (r"\beta^2 u", r"\beta^2\cdot u"),
    (r"a^{3} b", r"a^{3}\cdot b"),
    (r"\tanh^2(z)", r"(\tanh(z))^2"),
    (r"(1 - y)\log(1 - w)", r"(1 - y)\cdot\log(1 - w)"),
    (r"(a + b)x^2", r"(a + b)\cdot x^2"),
    (r"(a + b)x", "(a + b)x"),
    (r"\log a + \log b", r"\log a + \log b"),
    ("2 3", "2 3"),
    (r"\varepsilon + \epsilon", r"Z_{zqa} + \epsilon"),
    (r"\pi r^2", r"Z_{zqa} r^2"),
])
def test_translate(side, expected):
    assert translate(side).text == expected


def test_translate_refuses_its_own_names():
    with pytest.raises(Unread, match="zq"):
        translate("Z_{zqa} + 1")


@pytest.mark.parametrize("side", [
    "2wx(b - t)",
    r"2 x (a + b x - y)",
    r"\frac{1}{1 + e^{-z}}",
    r"\sigma(a - b) - 1",
    r"\sigma(z)(1 - \sigma(z))",
    r"\frac{d}{dz}\tanh(z)",
    r"1 - \tanh^2(z)",
    r"\frac{\partial}{\partial w} \frac{\lambda}{2} w^2",
    r"\frac{d}{d\mu}\left[y \log \mu + (1-y)\log(1-\mu)\right]",
    r"\frac{1}{n}\sum_{i=1}^{n} x_i^2 - 2 m \frac{1}{n}\sum_{i=1}^{n} x_i + m^2",
    r"\sum_i 2(a + b x_i - y_i)",
    r"\beta^2 u + (1 + \beta) g",
    r"\max(0, x) - \max(0, -x)",
    r"|x||y|",
    r"\log_2 8",
    r"\sqrt{x^2}",
    r"\hat y^2",
    r"\eta g_1",
    "0.03",
    r"\log a + \log b",
    r"\prod_{i=1}^{n} e^{x_i}",
    r"\exp(a)\exp(b)",
])
def test_agrees_on_course_notation(side):
    assert second_reading(side, parse(side)).verdict == "agrees"


@pytest.mark.parametrize("side, wrong", [
    ("2wx(b - t)", 2 * w * x * b - t),
    (r"\frac{1}{1 + e^{-z}}", 1 / (1 + sympy.exp(z))),
    (r"\sigma(a - b)", SIGMOID[1].subs(SIGMOID[0][0], b - a)),
    (r"\frac{1}{n}\sum_{i=1}^{n} x_i", sympy.Sum(X[symbol("i")], (symbol("i"), 1, n))),
    (r"\log a + \log b", sympy.log(a * b + 1)),
    ("x_1 + x_2", X[1] + X[3]),
    ("0.3", sympy.Rational(1, 3)),
    (r"e^{z}", sympy.Symbol("e", real=True) ** z),
])
def test_differs_when_the_scan_misreads(side, wrong):
    reading = second_reading(side, wrong)
    assert reading.verdict == "differs"
    assert "sympy's LaTeX parser reads it as" in reading.detail


@pytest.mark.parametrize("side, why", [
    (r"\sigma'(z)", "cannot read it"),
    ("x_{t-1}", "cannot read it"),
    ("+".join("x" for _ in range(MAX_LENGTH)), "longer than"),
])
def test_unread(side, why):
    reading = second_reading(side, parse(side))
    assert reading.verdict == "unread"
    assert why in reading.detail


def test_definitions_are_substituted_in_both_readings():
    f_body = (x,), x**2 + 1
    ctx = Context(functions={"f": f_body}, values={w: sympy.Integer(4)})
    assert second_reading("f(2) + w", parse("f(2) + w", ctx), ctx).verdict == "agrees"
    assert second_reading("f(2) + w", sympy.Integer(5), ctx).verdict == "differs"
    # a letter the material did not define as a function multiplies, in both readings
    assert second_reading("g(2)", 2 * symbol("g"), Context()).verdict == "agrees"


def test_sigma_is_the_logistic_only_where_the_scan_reads_it_so():
    ctx = Context(logistic=False)
    assert second_reading(r"\sigma(z)", SIGMOID[1], ctx).verdict == "unread"


_LETTERS = st.sampled_from([a, b, x, y])
_EXPRS = st.recursive(
    st.one_of(_LETTERS, st.integers(1, 9).map(sympy.Integer)),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
        st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
        st.tuples(inner, inner).map(lambda p: p[0] - p[1]),
        st.tuples(inner, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
        st.tuples(inner, inner).map(lambda p: p[0] / (p[1] ** 2 + 1)),
        inner.map(sympy.exp),
    ),
    max_leaves=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EXPRS)
def test_sympy_printed_latex_is_read_alike(expr):
    """Whatever sympy prints, both readers read as the expression printed (or sympy's parser cannot read it)."""
    side = sympy.latex(expr)
    try:
        ours = parse(side)
    except Skip:
        assume(False)
    assert sympy.simplify(ours - expr) == 0
    assert second_reading(side, ours).verdict in ("agrees", "unread")


def test_a_deadline_inside_sympys_parser_is_not_taken_for_an_unreadable_side():
    from proofs.scan import sympy_reader
    from proofs.scan.check import Timeout, deadline

    side = r"\frac{1}{n}\sum_{i=1}^{n} x_i^2 - 2 m \frac{1}{n}\sum_{i=1}^{n} x_i + m^2 + a b"
    sympy_reader._lark_readings.cache_clear()
    with pytest.raises(Timeout), deadline(0.001):
        second_reading(side, parse(side))
    assert second_reading(side, parse(side)).verdict == "agrees"


def test_a_prime_on_a_name_is_no_reading_of_a_derivative():
    assert second_reading("f'(x)", 2 * x, Context(functions={"f": ((x,), x**2)})).verdict == "unread"


@pytest.mark.parametrize("side", [r"2^10", "x_12", r"\sum_{i=1}^10 i"])
def test_digits_after_a_superscript_without_braces_are_not_read_as_one_number(side):
    with pytest.raises(Skip, match="TeX takes only its first character"):
        parse(side)


def _scan(*args):
    import io
    import json

    from proofs.scan.command import run

    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args] + ["--format", "json"], out, err)
    return code, json.loads(out.getvalue())


def test_a_step_the_readers_read_differently_is_skipped_and_never_checked(tmp_path, monkeypatch):
    from proofs.scan import steps
    from proofs.scan.sympy_reader import Reading

    (tmp_path / "a.md").write_text("A slip: $(x + 1)^2 = x^2 + 1$. A truth: $2 \\cdot 3 = 6$.\n", encoding="utf-8")
    code, report = _scan("--material", tmp_path)
    assert code == 1 and [s["read_by"] for s in report["steps"]] == [["scan", "sympy"]] * 2
    assert report["summary"]["read_by_both"] == 2
    monkeypatch.setattr(steps, "second_reading", lambda side, ours, ctx: Reading("differs", f"sympy reads {side} otherwise"))
    code, report = _scan("--material", tmp_path, "--no-cache")  # the reader changed in this process, not in its files
    assert code == 0 and {s["status"] for s in report["steps"]} == {"skipped"}
    assert report["summary"]["skip_reasons"] == {"read two ways (sympy's LaTeX parser reads it otherwise than the scan)": 2}
    # without the second reader, the scan's reading alone decides: the slip is refuted, and no step claims two readers
    code, report = _scan("--material", tmp_path, "--no-sympy-reader")
    assert code == 1 and [s["status"] for s in report["steps"]] == ["refuted", "proved"]
    assert [s["read_by"] for s in report["steps"]] == [["scan"]] * 2 and report["summary"]["read_by_both"] == 0


def test_a_side_sympys_parser_reads_too_slowly_is_unread_not_a_failure(monkeypatch):
    """Its readings of a long ambiguous side grow exponentially; the scan's reading then stands alone."""
    from proofs.scan import sympy_reader
    from proofs.scan.check import deadline

    monkeypatch.setattr(sympy_reader, "PARSE_SECONDS", 0.2)
    sympy_reader._lark_readings.cache_clear()
    side = " + ".join([r"\log a"] * 14)
    with deadline(60):
        reading = second_reading(side, parse(side))
    assert reading.verdict == "unread" and ("took more than 0.2 s" in reading.detail or "ways" in reading.detail)
