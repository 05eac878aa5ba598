"""Statements in the newer parts of the term language (limits, uninterpreted functions, recurrences, sized matrices,
nested quantifiers) as an outside author writes them, each with its truth computed by hand: a false one is refuted with
a counterexample that replays by an independent computation, a true one is never refuted, and nothing undecided
passes."""

import subprocess
import sys
import textwrap

import pytest

from proofs import Verdict

PASSES = (Verdict.PROVED, Verdict.EXHAUSTED)


# A limit towards infinity whose variable is an exponent (a discount γ^k, a vanishing product λ^T, compound interest):
# the body near the point is never computed as an exact power with an exponent of 10^9 (which never finished), and a
# power of a negative base has no real value there (the limit variable is real), so that limit does not exist. Each
# runs in a child process, so that a check that does not finish fails the test instead of holding up the suite.
def _verdict_in_a_child(parameters: str, body: str) -> str:
    code = textwrap.dedent("""
        from fractions import Fraction
        from proofs import Interval, Positive, const, exp, forall, limit, oo
        from proofs.evaluate import evaluate
        def body({parameters}):
            return {body}
        print(evaluate(forall("rt.ex1.a.limit", "a limit of a power")(body)).verdict.value)
    """).format(parameters=parameters, body=body)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("parameters, body, verdict", [
    ("", "limit(lambda k: const(Fraction(1, 2)) ** k, oo) == 0", "proved"),
    ("", "limit(lambda k: const(Fraction(1, 2)) ** k, oo) == Fraction(1, 2)", "refuted"),
    ("", "limit(lambda k: const(Fraction(-1, 2)) ** k, oo) == 0", "refuted"),
    ("c: Positive", "limit(lambda n: (1 + c / n) ** n, oo) == exp(c)", "proved"),
    ("c: Positive", "limit(lambda n: (1 + c / n) ** (2 * n), oo) == exp(c)", "refuted"),
    ("x: Interval(-1, 1, open=True)", "limit(lambda k: x ** k, oo) == 0", "refuted"),
])
def test_a_limit_with_its_variable_in_an_exponent_is_decided(parameters, body, verdict):
    assert _verdict_in_a_child(parameters, body) == verdict
