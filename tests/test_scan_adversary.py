"""The scan against material written to break it: true steps in many notations are never refuted, planted slips
are refuted with a replayed counterexample and never proved or checked, and hostile files fail closed."""

import io
import json
from pathlib import Path

import pytest

from proofs.scan.command import run

MATERIAL = Path(__file__).resolve().parent / "scan_material"
# What a true step may come out as, and what a slip may come out as when it is read.
TRUE = {"proved", "checked", "definition", "skipped", "unknown"}


def scan_json(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args] + ["--format", "json"], out, err)
    assert "Traceback" not in err.getvalue()
    return code, json.loads(out.getvalue()), err.getvalue()


def steps_of(tmp_path, text, name="a.md", *args):
    material = tmp_path / "m"
    material.mkdir(exist_ok=True)
    (material / name).write_text(text, encoding="utf-8")
    code, report, _ = scan_json("--material", material, *args)
    return code, report


@pytest.mark.parametrize("formula, status", [
    # sympy writes nested sums as one sum with several limits: every limit counts, in the proof and in the replay
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} 1 = n", "refuted"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} x_j = \sum_{j=1}^{n} x_j", "refuted"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} 1 = n^2", "proved"),
    (r"\sum_{i=1}^{n}\sum_{j=1}^{n} x_i y_j = \left(\sum_{i=1}^{n} x_i\right)\left(\sum_{j=1}^{n} y_j\right)", "checked"),
    (r"\sum_{i=1}^{3}\sum_{i=1}^{3} i = 18", "proved"),
])
def test_nested_sums_count_every_limit(tmp_path, formula, status):
    code, report = steps_of(tmp_path, f"We have $${formula}$$\n")
    (step,) = report["steps"]
    assert step["status"] in ({status, "proved"} if status == "checked" else {status}), step
    assert code == (1 if status == "refuted" else 0)


def test_a_course_full_of_true_derivations_in_many_notations_has_nothing_refuted():
    # the scan's own reader alone: the second reader can only skip a step, so no false alarm here means none with it
    code, report, _ = scan_json("--material", MATERIAL / "course_true", "--no-sympy-reader")
    summary = report["summary"]
    assert code == 0 and report["passed"] is True and summary["refuted"] == 0 and summary["errors"] == 0
    assert {s["status"] for s in report["steps"]} <= TRUE
    assert set(report["files"]) == {"derivations.md", "softmax.tex", "logistic.ipynb"}
    assert summary["proved"] + summary["checked"] >= 60  # most of it is read, not skipped
    by_text = {s["text"]: s for s in report["steps"]}
    # a mean written \bar x without braces is a definition, and the variance identity uses it
    assert by_text[r"\bar x = \frac{1}{n}\sum_{i=1}^n x_i"]["status"] == "definition"
    assert by_text[r"\frac{1}{n}\sum_{i=1}^n (x_i - \bar x)^2 = \frac{1}{n}\sum_{i=1}^n x_i^2 - \bar x^2"]["status"] == "proved"
    # sums written without bounds may all have one length, or n terms: not refuted
    for text in (r"\sum_i p_i = \sum_j p_j", r"\frac{1}{n}\sum_i (x_i - \mu)^2 = \frac{1}{n}\sum_i x_i^2 - \mu^2"):
        assert by_text[text]["status"] == "skipped" and "holds with" in by_text[text]["reason"]
    assert by_text["1e-3 = 0.001"]["status"] == "skipped"
    assert by_text[r"\frac{1}{n}\sum_{i=1}^n x_i = \hat m"]["status"] == "skipped"
    sigma = by_text[r"\sigma(a + b) = 2a + 2b"]  # \sigma was given a value: a product, true at that value only
    assert sigma["status"] == "checked" and "holds with sigma = 2" in sigma["reason"]
    assert by_text[r"\hat y \bar x = 1.5"]["status"] == "checked"  # numbers given in its sentence: an example


# (file, line) of every planted slip of course_slips
SLIPS = {("slips.md", n) for n in range(3, 28)} | {("slips.tex", 5), ("slips.tex", 7), ("slips.tex", 8),
                                                   ("slips.ipynb", 3), ("slips.ipynb", 1)}


def test_every_planted_slip_is_refuted_with_a_replayed_counterexample():
    from proofs.material import read
    from proofs.scan.check import replay
    from proofs.scan.steps import scan_document

    code, report, _ = scan_json("--material", MATERIAL / "course_slips")
    assert code == 1 and report["summary"]["errors"] == 0
    refuted = {(s["file"], s["line"]) for s in report["steps"] if s["status"] == "refuted"}
    assert refuted == SLIPS
    # nothing on a slip's line is proved or checked but the true rows printed beside it
    assert not [s for s in report["steps"] if (s["file"], s["line"]) in SLIPS and s["status"] == "checked"]
    # read by the scan's own reader alone: sympy's can only turn a step into a skipped one, so these refuted steps
    # include every one refuted above, and each must replay
    steps = [s for name in ("slips.md", "slips.tex", "slips.ipynb")
             for s in scan_document(read(MATERIAL / "course_slips", name), second_reader=False)]
    assert {(s.file, s.line) for s in steps if s.status == "refuted"} >= refuted
    for s in (s for s in steps if s.status == "refuted"):
        assert replay(s.exprs[0], s.relation, s.exprs[1], s.counterexample), s.text


@pytest.mark.parametrize("text, expected", [
    # scientific notation is not a product with e
    ("A rate $1e-3 = 0.001$.", {"skipped"}),
    ("A rate $2E5 = 200000$.", {"skipped"}),
    (r"Euler: $2e - 1 > 4$.", {"proved", "checked"}),
    # a name alone on one side, appearing nowhere else, is given a value
    (r"The mean $\frac{1}{n}\sum_{i=1}^n x_i = m$ of the data.", {"skipped"}),
    (r"Let it be: $y_i = a x_i + b$ for each point, then $z < w + 1$.", {"skipped", "definition"}),
    # sums without bounds: one length for all of them, or a length named in the step
    (r"$\sum_i x_i + \sum_j y_j = \sum_k (x_k + y_k)$", {"skipped"}),
    (r"$\sum_i x_i + \sum_j y_j = \sum_k (x_k - y_k)$", {"refuted"}),
    # \sigma is the logistic function only where the material says so; otherwise any activation
    (r"An activation with $\sigma(a) - \sigma(0) = \sigma(a)$.", {"skipped"}),
    (r"The sigmoid has $\sigma(a) - \sigma(0) = \sigma(a)$.", {"refuted"}),
    (r"The sigmoid has $\frac{d}{dx}\log(1 + e^x) = \sigma(-x)$.", {"refuted"}),
    (r"The sigmoid has $1 - \sigma(z) = \sigma(-z)$.", {"proved", "checked"}),
    # a number computed from values its part gives is a claim about that example, not an equation to solve; it is
    # checked there, never proved as a general identity
    (r"Take $\eta = 0.01$ and $g_1 = 3$. The step is $\eta g_1 = 0.3$.", {"refuted"}),
    (r"Take $\eta = 0.01$ and $g_1 = 3$. The step is $\eta g_1 = 0.03$.", {"checked"}),
    # a name given a value is a variable: a parenthesis after it multiplies
    (r"Take $\sigma = 2$. Then $\sigma(a + b) = 2a + 2b$.", {"checked"}),
    (r"The sigmoid. Take $\sigma = 2$. Then $\sigma(a + b) = 2a + 2b$.", {"checked", "skipped"}),
    (r"Take $\sigma = 2$. Then $\sigma(a + b) = 2a + b$.", {"refuted"}),
])
def test_notations_that_were_misread(tmp_path, text, expected):
    code, report = steps_of(tmp_path, text + "\n")
    last = report["steps"][-1]
    assert last["status"] in expected, last
    assert code == (1 if "refuted" in expected else 0)


@pytest.mark.parametrize("body", [
    "$x = {1 + $ and $\\frac{1}{ = 2$ and $}}}} = 1$ and $a^{ = 1$ and $\\left( x = 1$\n",
    "\x00\x01\x1b[31m $x\x07 = 1$ \x7f\n",
    "$\\def\\x{1} \\x = 2$ and $\\newcommand{\\y}{3} \\y = 3$ and $\\renewcommand{\\z}{1} \\z = 1$\n",
    "$10^{10^{10}} > 1$ $2^{2^{2^{2^{2}}}} = 1$ $x^{1000000} = x$ $\\sum_{i=1}^{1000000000} i = 1$ $9!!=1$\n",
    "$" + "\\sum_{i=1}^{3}" * 40 + "i = 1$\n",
    "$" + "(" * 3000 + "x" + ")" * 3000 + " = x$ $" + "\\frac{" * 400 + "1" + "}{2}" * 400 + " = 1$\n",
    "$" + "|" * 3001 + " = 1$ $" + "e^{" * 400 + "x" + "}" * 400 + " = 1$ $" + "-" * 5000 + "x = x$\n",
], ids=["unbalanced", "control characters", "macros", "huge numbers", "nested sums", "deep nesting", "long runs"])
def test_hostile_formulas_never_traceback_nor_pass_wrongly(tmp_path, body):
    code, report = steps_of(tmp_path, body, "h.md", "--timeout", "5")
    assert code in (0, 1)
    for s in report["steps"]:
        assert s["status"] != "refuted" or s["counterexample"] is not None
    assert report["passed"] == (not any(s["status"] == "refuted" or s.get("error") for s in report["steps"]))


def test_a_symbolic_link_loop_and_invalid_utf8_in_the_material(tmp_path):
    material = tmp_path / "m"
    (material / "sub").mkdir(parents=True)
    (material / "sub" / "loop").symlink_to("..")
    (material / "self.md").symlink_to("self.md")
    (material / "good.md").write_text("$(x + 1)^2 = x^2 + 2x + 1$\n")
    (material / "bad.md").write_bytes(b"$x = 1$ \xff\xfe $y = 2$")
    code, report, _ = scan_json("--material", material)
    assert code == 1 and report["files"] == ["good.md"] and any("bad.md" in p for p in report["problems"])


@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00binary",
    b"[[acknowledge]]\nfile = 1\nstep = []\nreason = {}\n",
    b"acknowledge = 'not a list'\n",
    b"acknowledge = [1, 2]\n",
    b"[[acknowledge]]\nfile = 'a.md'\nstep = '\\u0000'\nreason = ' '\n",
    b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    b"# " + b"a" * (2**20 + 10) + b"\n",
], ids=["binary", "wrong types", "not a list", "not tables", "blank", "nested", "huge"])
def test_a_hostile_acknowledgements_file_is_one_usage_error(tmp_path, data):
    material = tmp_path / "m"
    material.mkdir()
    (material / "a.md").write_text("$(x + 1)^2 = x^2 + 1$\n")
    ack = tmp_path / "ack.toml"
    ack.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--material", str(material), "--acknowledged", str(ack)], out, err)
    assert code == 4 and err.getvalue().startswith("error: ") and "Traceback" not in err.getvalue()
    assert len(err.getvalue().splitlines()) == 1 and out.getvalue() == ""


class _Counted:
    """A compiled pattern that counts the scans made with it (a stand-in for a module's pattern)."""

    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def __getattr__(self, name):
        attribute = getattr(self.pattern, name)
        if name in ("finditer", "findall", "search", "match", "fullmatch", "sub", "subn", "split"):
            def counted(*args, **kwargs):
                self.calls += 1
                return attribute(*args, **kwargs)
            return counted
        return attribute


def test_thousands_of_formulas_in_one_sentence_are_all_scanned(tmp_path, monkeypatch):
    """Each formula's conditions are looked for once per sentence, not once per formula of it, and the sentence ends
    of a passage are found once: counted, the scans of the text a sentence needs do not grow with its formulas (the
    quadratic cost of a file of thousands of formulas in one sentence shows at any size)."""
    from proofs.scan import find, steps

    ends, worded = _Counted(find._SENTENCE_END), _Counted(steps._WORDED)
    monkeypatch.setattr(find, "_SENTENCE_END", ends)
    monkeypatch.setattr(steps, "_WORDED", worded)
    getattr(steps._worded, "cache_clear", lambda: None)()  # a sentence read by an earlier test is read again
    formulas = 40
    text = " and ".join(f"$x + {k} = {k} + x$" for k in range(formulas)) + ", for positive $x$, and $|y| = y$.\n"
    code, report = steps_of(tmp_path, text, "a.md", "--no-sympy-reader", "--no-cache")
    summary = report["summary"]
    assert summary["spans"] == formulas + 2 and summary["proved"] == formulas and summary["errors"] == 0
    last = report["steps"][-1]
    assert last["text"] == "|y| = y" and last["status"] == "refuted" and code == 1
    # one passage, one sentence, its formulas found twice (for the steps, and counted for the summary): a scan per
    # formula would count 40 or more
    assert ends.calls <= 2, ends.calls
    assert worded.calls == 1, worded.calls
