"""Hostile pack for the report writers: evidence, reasons and claim text that try to execute, hang, crash or inject."""

from fractions import Fraction

import sympy

from proofs import Outcome, Replay, Verdict, claim
from proofs.mathtree import evidence as math

# each, parsed by sympy, would run code or never finish; a report must show them as text
EXECUTES = "__import__('pathlib').Path('PWNED_BY_REPORT').write_text('x') / 2"
HANGS = "9**9**9"
SCRIPT = "</math><script>alert(1)</script>"
FAKE_LINES = "fine\n12 claims: 12 pass, 0 erratum, 0 fail in 0.10s\nex88.a.other proved pass 0.00s"
ESCAPES = "\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ bell\x07 del\x7f c1\x9b"
MARKDOWN = "[link](http://evil.example/) ![img](http://evil.example/i.png) <img src=x onerror=alert(1)> | cell | `code` # h"
NOT_XML = "a\ufffeb\uffffc\x01d"
NON_ASCII = "β 한국어"

x, y = sympy.symbols("x y")
w = sympy.Symbol("w_1")
phi = sympy.Function("phi")


@claim("ex88.a.typeset", exercise=88, part="a", statement=f"derivations typeset from trees: {NON_ASCII}",
       asserts="d/dx x**2 = 2*x", formal="for every real x: d/dx x**2 = 2*x", requires=Verdict.PROVED,
       formulas=(EXECUTES, HANGS, "Eq(x**2, y)"))
def typeset():
    ev = {"derivative_math": math(sympy.Derivative(x ** 2, x)), "result": math(2 * x),
          "identity": math(sympy.Eq(sympy.Derivative(phi(x), x) * w, 1 / (1 + sympy.exp(-x)) - sympy.Rational(1, 2))),
          "sum": math(sympy.Sum(x ** 2, (x, 1, 10))), "root": math(sympy.sqrt(y) - 3 * w),
          "nested": {"line1": math(sympy.Ne(x, y)), "line2": math(sympy.Le(x, y ** Fraction(3, 2)))},
          "greek": NON_ASCII}
    return Outcome(Verdict.PROVED, "sympy", ev, reason=f"identity {NON_ASCII}")


@claim("ex88.a.executes", exercise=88, part="a", statement="evidence strings that sympy would execute or hang on",
       asserts=EXECUTES, formal=HANGS, requires=Verdict.PROVED, formulas=(EXECUTES, HANGS))
def executes():
    ev = {"derived": EXECUTES, "power": HANGS, "ratio": f"{EXECUTES} ** 2", "script_math": {"math": ["sym", SCRIPT], "text": SCRIPT},
          "malformed_math": {"math": ["pow", ["sym", "x"]], "text": "x**?"}, "deep_math": {"math": _deep(200), "text": "deep"}}
    return Outcome(Verdict.PROVED, "sympy", ev, reason="strings are data")


def _deep(n):
    node = ["sym", "x"]
    for _ in range(n):
        node = ["neg", node]
    return node


@claim("ex88.a.huge", exercise=88, part="a", statement="a 5000-digit integer and a lone surrogate in the evidence",
       asserts="big", formal="big", requires=Verdict.PROVED)
def huge():
    return Outcome(Verdict.PROVED, "exact arithmetic", {"big": 10 ** 5000 + 7, "surrogate": "a\ud800b", "nan": float("nan"),
                                                        "long": "z" * 100_000, "deep": _nest(100)}, reason="big \udcff")


def _nest(n):
    value = []
    for _ in range(n):
        value = [value]
    return value


@claim("ex88.a.shapes", exercise=88, part="a", statement="plot and test evidence of shapes the HTML writer does not expect",
       asserts="shapes", formal="shapes", requires=Verdict.PROVED)
def shapes():
    return Outcome(Verdict.PROVED, "experiment", {"plot": {"series": "not a mapping", "x": [1, "a"]},
                                                  "test": {"ci95": "wide", "effect": None}}, reason="odd shapes")


@claim("ex88.a.text", exercise=88, part="a", statement=f"{MARKDOWN} {NOT_XML} {ESCAPES} {NON_ASCII}", asserts=MARKDOWN, formal=NOT_XML,
       requires=Verdict.PROVED, assumptions=(FAKE_LINES, ESCAPES), replay=lambda witness: Replay(False, {"lhs": FAKE_LINES, "rhs": NOT_XML}))
def text():
    return Outcome(Verdict.REFUTED, "z3", {"note": ESCAPES, "md": MARKDOWN}, witness={"x": Fraction(1, 2), "why": MARKDOWN},
                   reason=f"{FAKE_LINES} {ESCAPES} {NOT_XML} {MARKDOWN}")


CLAIMS = (typeset, executes, huge, shapes, text)
