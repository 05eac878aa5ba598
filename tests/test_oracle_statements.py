"""The statement API against an oracle: generated statements of every kind, each with its truth known without the
engine (tests/oracle_statements.py), and every verdict compared with it. A false pass, a false proof, a false
refutation or an error fails with the shrunk example; unknown fails closed and is only counted (benchmarks/soundness.py
reports its share)."""

import collections

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle_statements as oracle
from proofs.evaluate import evaluate

# Statements drawn per kind, derandomised, so that every run draws the same ones. The suite (CI) has the engine
# decide a fixed sample of them: the first EACH_TRUTH of each (quantifier, truth) and the first of each top-level
# relation a kind draws; `pytest --soak` (the nightly run) decides every one, `benchmarks/soundness.py` thousands.
EXAMPLES = {"polynomial": 40, "rational": 30, "transcendental": 25, "sum": 40, "nested_sum": 20, "derivative": 30,
            "kink": 40, "piecewise": 40, "vector": 30, "exists": 30,
            "ranges": 30, "conditional": 30, "nested": 30, "unique": 40,
            "induction": 30, "uninterpreted": 30, "limit": 10, "sized": 16, "recurrence": 40,
            "boundary": 40, "limit_point": 25, "combined": 30, "counter": 20, "power_limit": 12,
            "rational_power": 40, "point": 30, "kink_power": 30,
            "power_limit_below": 12, "close_kinks": 12, "relu_sum": 20}


class _Draw:
    """The generator's draws, taken from Hypothesis so that a failure shrinks."""

    def __init__(self, data):
        self.data = data

    def int(self, lo, hi):
        return self.data.draw(st.integers(lo, hi))

    def pick(self, seq):
        return self.data.draw(st.sampled_from(list(seq)))


EACH_TRUTH = 2


def _class(case) -> tuple:
    """The class a drawn statement is counted in: its quantifier and truth, and its top-level relation."""
    relation = getattr(case, "relation", None)  # (a sized statement is built by numpy's side, not from an AST)
    return (case.quantifier, case.truth), (case.quantifier, case.truth, relation[0] if relation else None)


def _check(kind, data, decided=None, every=True):
    """Draw a statement of the kind and compare the engine's verdict with its truth; with `every` False, only while
    the sample `decided` (a Counter of `_class`es) lacks its class."""
    case = oracle.generate(_Draw(data), kind, "generated")
    if case is None:
        return
    truth, relation = _class(case)
    if not every and decided[truth] >= EACH_TRUTH and decided[relation] >= 1:
        return
    if decided is not None:
        decided.update((truth, relation))
    oracle.confirm(case)
    result = evaluate(case.claim())
    verdict = oracle.verdict_class(case, result.verdict.value, result.status.value)
    assert verdict in ("ok", "unknown"), (
        f"{verdict}: {case.claim().formal} is {'true' if case.truth else 'false'}"
        + (f" (fails at {case.witness})" if case.witness else "")
        + f", the engine says {result.verdict.value}: {result.reason}; evidence {result.evidence.get('counterexample')}")


@pytest.mark.parametrize("kind", oracle.KINDS)
def test_every_verdict_agrees_with_the_truth_of_generated_statements(kind, soak):
    _oracle_tells_true_from_false()
    decided = collections.Counter()
    failed = []

    @settings(max_examples=EXAMPLES[kind], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        try:
            # once a statement has failed, every draw is decided, so that Hypothesis shrinks it as it found it
            _check(kind, data, decided, every=soak or bool(failed))
        except BaseException:
            failed.append(True)
            raise
    run()
    # the sample decided both true and false statements of the kind, each truth a few times
    truths = collections.Counter()
    for key, count in decided.items():
        if len(key) == 2:
            truths[key[1]] += count
    assert truths[True] >= 2 and truths[False] >= 2, (kind, dict(decided))


def _oracle_tells_true_from_false():
    """The plain evaluator refutes the planted statements at their witnesses and rejects a corner's derivative."""
    from fractions import Fraction as F

    x = oracle.V("x")
    assert oracle.fails(("eq", ("diff", ("abs", x), "x"), oracle.C(1)), {"x": F(0)})
    assert not oracle.fails(("eq", ("diff", ("pow", ("relu", x), 2), "x"), oracle.mul(oracle.C(2), ("relu", x))), {"x": F(0)})
    assert oracle.fails(("eq", ("sum", "t", oracle.C(1), oracle.C(1), oracle.sub(x, oracle.C(1))), oracle.sub(x, oracle.C(1))),
                        {"x": F(0)})
    assert oracle.fails(("eq", ("div", x, x), oracle.C(1)), {"x": F(0)})
