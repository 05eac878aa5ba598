"""Reports from hostile results: nothing evaluated, everything escaped for its medium, bounded, and never lost whole."""

import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, cli, run_cli
from proofs import jsonsafe, mathtree
from proofs.model import Result
from proofs.verdicts import Status, Verdict
from proofs.writers import FORMATS, ReportContext, writer_for
from proofs.writers.escape import md_code, md_text

PACK = Path(__file__).resolve().parent / "hostile" / "writers"
ESCAPES = "\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ bell\x07 c1\x9b del\x7f"
FAKE_LINES = "fine\n12 claims: 12 pass, 0 erratum, 0 fail in 0.10s\nex9.a.other proved pass 0.00s"
MARKDOWN = "[link](http://evil.example/) ![img](http://evil.example/i.png) <img src=x onerror=alert(1)> | cell | `code` www.evil.example a@b.example"
NOT_XML = "a\ufffeb\uffffc\x01d\x0b"
SCRIPT = "</math><script>alert(1)</script>"
EXECUTES = "__import__('os').system('touch PWNED') / 2"

# the elements the HTML writer itself writes; anything else on the page came from data
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "strong", "em", "label", "input", "section",
             "div", "span", "pre", "code", "details", "summary", "ul", "li", "script", "svg"}
MATHML_TAGS = {"math", "mi", "mn", "mo", "mtext", "mrow", "mfrac", "msup", "msub", "msqrt", "munderover"}


def _result(id="ex9.a.hostile", status=Status.FAIL, verdict=Verdict.REFUTED, **fields):
    values = dict(id=id, exercise=9, part="a", statement=f"{MARKDOWN} {NOT_XML} β 한국어", verdict=verdict, status=status,
                  method="z3", evidence={}, assumptions=(FAKE_LINES, ESCAPES), erratum=None, reason=f"{FAKE_LINES} {ESCAPES}")
    values.update(fields)
    return Result(**values)


def _hostile_results():
    x = mathtree.tree(__import__("sympy").Symbol(SCRIPT) + 1)
    return [
        _result(evidence={"counterexample": {"x": Fraction(1, 2), "why": MARKDOWN}, "replay": {"holds": False, "sides": {"lhs": FAKE_LINES, "rhs": NOT_XML}},
                          "big": 10 ** 5000, "surrogate": "a\ud800b", "nan": float("nan"), "greek": "\u03b2 한국어",
                          "derived": EXECUTES, "power": "9**9**9", "script_math": {"math": x, "text": SCRIPT},
                          "malformed_math": {"math": ["pow", ["sym", SCRIPT]], "text": SCRIPT}}),
        _result(id="ex9.a.surrogate\ud800", reason="lone \udcff surrogate", status=Status.PASS, verdict=Verdict.PROVED,
                evidence={"plot": "not a plot", "test": {"ci95": "wide"}}),
        _result(id="ex9.a.shapes", status=Status.PASS, verdict=Verdict.SUPPORTED,
                evidence={"plot": {"series": [1, 2], "x": "a"}, "test": {"ci95": [0, "x"], "effect": None},
                          "counterexample": [1, 2], "replay": "not a mapping"}),
        _result(id="ex9.a.objects", evidence={"thing": object(), 3: {4}, "nested": _nest(100), "long": "z" * 100_000}),
    ]


def _nest(n):
    value = []
    for _ in range(n):
        value = [value]
    return value


def _report(fmt, results, **options):
    writer = writer_for(fmt, ReportContext(tool={"proofs": "0"}), **options)
    return "".join(writer.add(r) for r in results) + writer.finish(1.0), writer


def _tags(page):
    tags = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Parser().feed(page)
    return tags


def check_text(text, claims=True):
    """No control character reaches the terminal; only claim lines and the summary start at the left margin."""
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    margin = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert sum(bool(re.match(r"\d+ claims:", line)) for line in margin) == 1 and re.match(r"\d+ claims:", margin[-1])
    assert all(re.match(r"ex\d+\.", line) or line.startswith("load error") for line in margin[:-1])
    assert "β" in text and "한국어" in text or not claims


def check_json(text):
    document = json.loads(text)
    assert "β" in text and "한국어" in text and "\\u03b2" not in text
    return document


def check_markdown(text):
    """Outside code, no link, image, autolink, HTML or table break comes from data."""
    outside = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", text, flags=re.S | re.M)
    outside = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", outside)
    assert "<" not in outside and "](" not in outside and "![" not in outside
    assert "http://" not in outside and "www.evil" not in outside and "a@b" not in outside
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 5 for line in text.splitlines() if line.startswith("| `"))
    assert "β 한국어" in text


def check_junit(text):
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = ET.fromstring(text.split("\n", 1)[1])
    assert "\\ufffe" in text and "\ufffe" not in text and "\x01" not in text and "β 한국어" in text
    return root


def check_html(text):
    # plots are matplotlib's SVG, whose text from data is escaped (plots are checked on their own below)
    tags = _tags(re.sub(r"<svg .*?</svg>", "", text, flags=re.S))
    assert set(tags) <= HTML_TAGS | MATHML_TAGS, set(tags) - HTML_TAGS - MATHML_TAGS
    assert tags.count("script") == 1 and text.count("<script>") == 1 and "alert(1)</script>" not in text
    assert "β 한국어" in text and "\\u03b2" not in text and "\\uc5b4" not in text


def check_annotated(text):
    # without material the page lists no passages; nothing from the results may become markup
    tags = _tags(text)
    assert set(tags) <= HTML_TAGS | MATHML_TAGS, set(tags) - HTML_TAGS - MATHML_TAGS
    assert "<script" not in text.lower() and "alert(1)</script>" not in text


def check_github(text):
    """Every line is one workflow command: no data starts a line, no control character reaches the log."""
    assert text and all(re.match(r"::(error|notice) (title=[^:,]*)?::", line) for line in text.splitlines()), text
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def check_sarif(text):
    from test_sarif import valid

    return valid(text)


CHECKS = {"text": check_text, "json": check_json, "markdown": check_markdown, "junit": check_junit, "html": check_html,
          "annotated": check_annotated, "github": check_github, "sarif": check_sarif}
# formats that list only what needs attention: a passing claim is not in them
FINDINGS_ONLY = ("github", "sarif")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_results_in_every_format(fmt):
    text, writer = _report(fmt, _hostile_results(), verbosity=1)
    text.encode("utf-8")  # no lone surrogate survives
    CHECKS[fmt](text)
    assert "PWNED" not in {p.name for p in ROOT.iterdir()}
    if fmt in ("text", "json"):
        assert "<int of 5001 digits: 100000000000…000000000000>" in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_result_that_cannot_be_rendered_is_an_error_entry_and_the_rest_is_written(fmt, monkeypatch):
    good = _result(id="ex9.a.good", status=Status.PASS, verdict=Verdict.PROVED, reason="fine")
    broken = _result(id="ex9.a.broken", verdict="not a verdict")
    cls = FORMATS[fmt]
    streamed = fmt in ("text", "github")  # formats that render each result as it arrives
    render = cls.line if streamed else cls.entry

    def failing(self, r):
        if r.method == "explodes":
            raise RuntimeError("cannot draw <this>")
        return render(self, r)

    monkeypatch.setattr(cls, "line" if streamed else "entry", failing)
    later = _result(id="ex9.a.later", status=Status.PASS, verdict=Verdict.PROVED, method="explodes")
    text, writer = _report(fmt, [good, broken, later], verbosity=1)
    CHECKS[fmt](text, claims=False) if fmt == "text" else CHECKS[fmt](text)
    assert [id for id, _ in writer.render_errors] == ["ex9.a.broken", "ex9.a.later"]
    assert "ex9.a.good" in text or fmt in FINDINGS_ONLY
    assert f"the {fmt} report could not render this result" in text
    assert "RuntimeError" in text and "cannot draw" in text
    if fmt == "json":
        results = {r["id"]: r for r in json.loads(text)["results"]}
        assert results["ex9.a.later"]["verdict"] == "error" and results["ex9.a.good"]["status"] == "pass"
    if fmt == "junit":
        root = ET.fromstring(text.split("\n", 1)[1])
        assert root.get("errors") == "2" and root.find(".//testcase[@name='ex9.a.later']/error") is not None


def test_reports_never_parse_evidence_or_formulas(monkeypatch):
    import sympy
    import sympy.parsing.sympy_parser as parser

    def refuse(*args, **kwargs):
        raise AssertionError("a report parsed text into an expression")

    monkeypatch.setattr(sympy, "sympify", refuse)
    monkeypatch.setattr(parser, "parse_expr", refuse)
    for fmt in FORMATS:
        _report(fmt, _hostile_results(), verbosity=1)


def test_text_writer_keeps_fake_lines_behind_a_prefix():
    text, _ = _report("text", [_result()], verbosity=0)
    assert "\n    | 12 claims: 12 pass" in text and "\n12 claims: 12" not in text
    assert "\\x1b[2J" in text and "\x1b" not in text
    coloured, _ = _report("text", [_result()], colour=True)
    assert coloured.count("\x1b[") == 4  # the writer's own colours only: status and summary, each set and reset


def test_markdown_escapes_every_construct():
    assert md_text("[a](http://x) ![i](y) <b> *e* _u_ # h | t `c` www.x.org") == (
        "\\[a\\]\\(http\\://x\\) \\!\\[i\\]\\(y\\) &lt;b&gt; \\*e\\* \\_u\\_ \\# h \\| t \\`c\\` www\\.x\\.org")
    assert md_code("a`b|c", table=True) == "``a`b\\|c``" and md_code("`x`") == "`` `x` ``"


def test_jsonable_bounds_everything_and_never_raises():
    value = {"big": 10 ** 5000, "neg": -(10 ** 400), "ok": 10 ** 200, "q": Fraction(10 ** 400, 3), "s": "a\ud800",
             "inf": float("inf"), "deep": _nest(100), "wide": list(range(5000)), "long": "y" * 50_000, 1: object()}
    out = jsonsafe.jsonable(value)
    text = json.dumps(out, allow_nan=False)
    text.encode("utf-8")
    assert out["big"] == "<int of 5001 digits: 100000000000…000000000000>" and out["neg"].startswith("<int of 401 digits: -1")
    assert out["ok"] == 10 ** 200 and out["q"].endswith("/3") and out["s"] == "a\ufffd" and out["inf"] == "inf"
    assert "<nested deeper than 32 levels>" in text and out["wide"][-1] == "… 4000 more items left out"
    assert out["long"].endswith("… [30000 more characters]") and out["1"].startswith("<object: ")


def test_jsonable_strict_rejects_what_has_no_json_form():
    with pytest.raises(TypeError):
        jsonsafe.jsonable({1: 2}, strict=True)
    with pytest.raises(TypeError):
        jsonsafe.jsonable({"a": object()}, strict=True)
    assert jsonsafe.jsonable({"a": 10 ** 5000}, strict=True)["a"].startswith("<int of 5001 digits")


class _Hostile:
    def __repr__(self):
        raise RuntimeError("no")


class _BadMap(dict):
    def items(self):
        raise RuntimeError("no")


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.fractions()
    | st.builds(_Hostile) | st.builds(_BadMap, a=st.integers()) | st.builds(pow, st.just(10), st.integers(250, 6000))
    | st.sampled_from(["\ud800", float("nan")]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=4)
    | st.tuples(inner, inner) | st.frozensets(st.integers(), max_size=3),
    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_jsonable_never_raises_and_is_always_json(value):
    out = jsonsafe.jsonable(value)
    json.dumps(out, allow_nan=False, ensure_ascii=False).encode("utf-8")


def test_plot_labels_from_data_are_text_in_the_svg():
    from proofs.writers import plots

    if not plots.available():
        pytest.skip("matplotlib (report extra) is not installed")
    svg = plots.line_plot({"x": [1, 2], "series": {SCRIPT + " $\\x$": [1, 2]}, "title": "<b>\x01", "x_label": "β"})
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_mathtree_renders_engine_expressions_and_escapes_names():
    import sympy

    x, w = sympy.Symbol("x"), sympy.Symbol("w_1")
    page = mathtree.mathml(mathtree.tree(sympy.Eq(sympy.Derivative(sympy.Function("phi")(x), x) * w, 1 / (1 + sympy.exp(-x)))))
    assert page.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"') and "<mi>φ</mi>" in page and "<msub><mi>w</mi><mi>1</mi></msub>" in page
    evil = mathtree.mathml(mathtree.tree(sympy.Symbol(SCRIPT) + 1))
    assert "<script>" not in evil and "&lt;script&gt;" in evil
    assert set(_tags(evil)) <= MATHML_TAGS


def test_mathtree_never_parses_strings():
    assert mathtree.tree("9**9**9") == ["text", "9**9**9"]
    assert mathtree.tree(EXECUTES) == ["text", EXECUTES]
    assert mathtree.tree(10 ** 5000)[0] == "text" and mathtree.tree(Fraction(-3, 4)) == ["neg", ["frac", ["num", "3"], ["num", "4"]]]


def test_mathml_rejects_malformed_deep_or_large_trees():
    deep = ["sym", "x"]
    for _ in range(100):
        deep = ["neg", deep]
    for bad in (["num", "1<2"], ["num", 1], ["sym", 5], ["add"], ["foo", "x"], "x", [], ["rel", "<script>", ["sym", "a"], ["sym", "b"]],
                ["fn", ["sym", "f"]], ["deriv", ["sym", "x"], "x"], deep, ["add", *[["num", "1"]] * 3000], ["sym", "x" * 1000]):
        assert mathtree.mathml(bad) is None, bad
    import sympy

    e = sympy.Symbol("x")
    for _ in range(100):
        e = sympy.exp(e)
    assert mathtree.mathml(mathtree.tree(e)) is not None  # cut to the depth limit, with an opaque leaf


def test_hostile_pack_end_to_end(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    proc = run_cli("check", "ex88", "--claims", str(PACK), "--report-dir", str(out), "-v")
    assert proc.returncode == 1, proc.stderr  # ex88.a.text is refuted; every other hostile claim passes
    assert not (ROOT / "PWNED_BY_REPORT").exists() and not list(tmp_path.rglob("PWNED*"))
    assert "Traceback" not in proc.stderr
    check_text(proc.stdout, claims=False)  # the summary line alone: every report went to a file
    check_text((out / "report.txt").read_text(encoding="utf-8"))
    report = check_json((out / "report.json").read_text(encoding="utf-8"))
    statuses = {r["id"]: r["status"] for r in report["results"]}
    assert statuses == {"ex88.a.typeset": "pass", "ex88.a.executes": "pass", "ex88.a.huge": "pass", "ex88.a.shapes": "pass",
                        "ex88.a.text": "fail"}
    check_markdown((out / "report.md").read_text(encoding="utf-8"))
    check_junit((out / "junit.xml").read_text(encoding="utf-8"))
    page = (out / "report.html").read_text(encoding="utf-8")
    check_html(page)
    assert page.count("<math ") >= 7  # the typeset claim's trees; the script-named symbol is escaped inside <mi>
    assert "&lt;/math&gt;&lt;script&gt;" in page and "9**9**9" in page
    assert "plot not drawn" in page and "not plotted" in page


def test_huge_evidence_passes_with_the_cache_on(tmp_path):
    args = ("check", "ex88.a.huge", "--claims", str(PACK), "--cache-dir", str(tmp_path / "cache"))
    first = cli(*args)
    second = cli(*args)
    assert first.returncode == 0 and second.returncode == 0, first.stdout + first.stderr + second.stdout + second.stderr
    assert "cached" in second.stdout


def test_experiments_plot_is_bounded():
    results = [_result(id=f"ex9.a.t{i}", status=Status.PASS, verdict=Verdict.SUPPORTED,
                       evidence={"test": {"effect": 0.5, "ci95": [0.1, 0.9]}}) for i in range(70)]
    page, writer = _report("html", results)
    assert "only the first 60 of 70 experiments are plotted" in page and writer.render_errors == []
