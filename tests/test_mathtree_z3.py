"""z3 expressions become the same bounded trees whether shared subterms are built once or every time."""

import json

import pytest
from hypothesis import given, settings, strategies as st

z3 = pytest.importorskip("z3")

from proofs import mathtree  # noqa: E402


class _Forgetful(dict):
    def __setitem__(self, key, value):  # a builder that never reuses a subterm
        pass


def _both(expr):
    plain = mathtree._Z3Builder()
    plain.memo = _Forgetful()
    return mathtree.z3_tree(expr), plain.build(expr, 0)


@pytest.mark.parametrize("steps", [1, 5, 20, 40, 200])
def test_a_shared_subterm_is_built_once_and_the_bounds_still_hold(steps):
    x = z3.Real("x")
    e = x
    for _ in range(steps):  # each step uses the previous term twice: 2**steps leaves unshared
        e = e * e + 1
    shared, unshared = _both(z3.ForAll([x], e >= 0))
    assert shared == unshared
    text = json.dumps(shared)
    assert text.count('"sym"') <= mathtree.MAX_NODES and len(text) < 64 * mathtree.MAX_NODES


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "mul", "le", "ite", "not_eq"]), st.integers(0, 5), st.integers(0, 5)),
                min_size=1, max_size=40))
def test_trees_equal_with_and_without_reuse(program):
    x, y = z3.Reals("x y")
    terms = [x, y, x + 1]
    booleans = [x > y]
    for op, i, j in program:
        a, b = terms[i % len(terms)], terms[j % len(terms)]
        if op == "add":
            terms.append(a + b)
        elif op == "mul":
            terms.append(a * b)
        elif op == "le":
            booleans.append(a <= b)
        elif op == "ite":
            terms.append(z3.If(booleans[i % len(booleans)], a, b))
        else:
            booleans.append(z3.Not(a == b))
    expr = z3.Exists([y], z3.And(*booleans, terms[-1] >= terms[len(terms) // 2]))
    shared, unshared = _both(expr)
    assert shared == unshared


def test_a_product_of_names_shows_its_multiplication_and_a_coefficient_is_juxtaposed():
    """side·side·filters must not read as one name sidesidefilters; 2x stays 2x."""
    import re

    from proofs.mathtree import mathml

    names = mathml(["mul", ["sym", "side"], ["sym", "side"], ["sym", "filters"]])
    assert re.findall(r"<mo>(.*?)</mo>", names) == ["&#x22C5;", "&#x22C5;"]
    assert re.findall(r"<mo>(.*?)</mo>", mathml(["mul", ["num", "2"], ["sym", "x"]])) == ["&#x2062;"]
    assert re.findall(r"<mo>(.*?)</mo>", mathml(["mul", ["num", "2"], ["num", "3"]])) == ["&#x22C5;"]
