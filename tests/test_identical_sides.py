"""A universal relation whose two sides are the same term: proved for =, <=, >=; refuted for <, >, != at a replayed
point; decided as before where a side may have no value somewhere."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Bit, Function, Indexed, IntRange, Positive, Real, Verdict, exists, exp, forall, log, recurrence, relu
from proofs.evaluate import evaluate


def _decided(body, quantifier=forall):
    return evaluate(quantifier("rt.ex9.a.identical", "a relation between the same term twice")(body))


def test_an_equation_whose_sides_are_the_same_term_is_proved_as_an_identity():
    def body(x: Real, y: Real):
        return exp(x) * y + relu(x - y) == exp(x) * y + relu(x - y)

    result = _decided(body)
    assert result.verdict is Verdict.PROVED and result.method == "identical sides"
    assert result.evidence["identical_sides"]


@pytest.mark.parametrize("relation", ["le", "ge"])
def test_a_non_strict_inequality_with_identical_sides_is_proved(relation):
    def body(x: Real):
        side = x * x - 3 * x
        return side <= side if relation == "le" else side >= side

    result = _decided(body)
    assert result.verdict is Verdict.PROVED and result.method == "identical sides"


def _plain(x: Fraction, y: Fraction) -> Fraction:
    return x * x - 3 * y + 1  # the side of the strict relations below, computed without the engine


@pytest.mark.parametrize("relation", ["lt", "gt", "ne"])
def test_a_strict_relation_with_identical_sides_is_refuted_at_a_replayed_point(relation):
    def body(x: Real, y: Real):
        side = x * x - 3 * y + 1
        return {"lt": side < side, "gt": side > side, "ne": side != side}[relation]

    result = _decided(body)
    assert result.verdict is Verdict.REFUTED
    point = result.evidence["counterexample"]
    x, y = Fraction(str(point["x"])), Fraction(str(point["y"]))
    value = _plain(x, y)
    assert not {"lt": value < value, "gt": value > value, "ne": value != value}[relation]


def test_a_recurrence_through_a_free_function_equal_to_itself_is_proved_and_its_perturbation_is_not():
    phi = Function("φ")

    def same(t: IntRange(1, None), x: Indexed(Bit)):
        h = recurrence(lambda h, x_t: phi(h + x_t), 0, x)
        return h[t] == h[t]

    def shifted(t: IntRange(1, None), x: Indexed(Bit)):
        h = recurrence(lambda h, x_t: phi(h + x_t), 0, x)
        return h[t] == h[t] + 1

    assert _decided(same).verdict is Verdict.PROVED
    assert _decided(shifted).verdict in (Verdict.REFUTED, Verdict.UNKNOWN)


@pytest.mark.parametrize("body", [lambda x: 1 / x == 1 / x, lambda x: log(x) <= log(x), lambda x: log(x) < log(x)])
def test_a_side_undefined_somewhere_in_the_domain_is_decided_as_before(body):
    def over_reals(x: Real):
        return body(x)

    result = _decided(over_reals)
    assert result.method != "identical sides"
    assert result.verdict is Verdict.REFUTED and "undefined" in result.reason


def test_a_side_defined_on_the_whole_positive_domain_is_an_identity_there():
    def body(x: Positive):
        return 1 / x + log(x) == 1 / x + log(x)

    result = _decided(body)
    assert result.verdict is Verdict.PROVED and result.method == "identical sides"


def test_sides_that_are_equal_but_not_the_same_term_are_not_identical_sides():
    def commuted(x: Real):
        return x + 1 == 1 + x

    def existential(x: Real):
        return x == x

    assert _decided(commuted).method != "identical sides"
    assert _decided(existential, exists).method != "identical sides"


# -- generated terms: a plain evaluator that shares no code with the engine agrees with each verdict

_LEAVES = st.sampled_from(["x", "y", 0, 1, 2, -3, Fraction(1, 2)])


def _terms():
    return st.recursive(_LEAVES, lambda inner: st.tuples(st.sampled_from(["add", "sub", "mul", "abs"]), inner, inner),
                        max_leaves=6)


def _build(tree, x, y):
    if tree == "x":
        return x
    if tree == "y":
        return y
    if not isinstance(tree, tuple):
        return tree
    op, a, b = tree
    a, b = _build(a, x, y), _build(b, x, y)
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    return abs(a)


@settings(max_examples=15, deadline=None)
@given(_terms(), st.sampled_from(["eq", "le", "ge", "lt", "gt", "ne"]), st.sampled_from([0, 1, -2]))
def test_generated_relations_agree_with_a_plain_evaluation(tree, relation, shift):
    """The right side is the left one plus `shift`: with 0 they are the same term (proved for =, <=, >=; refuted for
    the strict relations, at a point the plain evaluation confirms); otherwise the relation is never proved unless it
    holds at every point the plain evaluation tries."""
    def body(x: Real, y: Real):
        left = x + _build(tree, x, y)  # a term in x, whatever the tree (0 == 0 is Python's, not a statement)
        right = x + _build(tree, x, y) + shift if shift else x + _build(tree, x, y)
        return {"eq": left == right, "le": left <= right, "ge": left >= right, "lt": left < right, "gt": left > right,
                "ne": left != right}[relation]

    def plain(x, y):
        left = x + _build(tree, x, y)
        right = left + shift
        return {"eq": left == right, "le": left <= right, "ge": left >= right, "lt": left < right, "gt": left > right,
                "ne": left != right}[relation]

    result = _decided(body)
    if result.verdict is Verdict.PROVED:
        grid = [Fraction(n, 2) for n in range(-4, 5)]
        assert all(plain(x, y) for x in grid for y in grid)
    if result.verdict is Verdict.REFUTED:
        point = result.evidence["counterexample"]
        assert not plain(Fraction(str(point.get("x", 0))), Fraction(str(point.get("y", 0))))
    if shift == 0:
        expected = Verdict.PROVED if relation in ("eq", "le", "ge") else Verdict.REFUTED
        assert result.verdict is expected
        if relation in ("eq", "le", "ge"):
            assert result.method == "identical sides"
