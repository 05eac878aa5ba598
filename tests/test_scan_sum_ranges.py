"""proofs/scan/sum_ranges.py: whether a range of a sum may be inverted (upper < lower - 1) where its conditions hold,
each case's truth worked out by hand in its comment."""

import pytest
import sympy

from proofs.scan.sum_ranges import inverted_range

n, m = sympy.Symbol("n", real=True), sympy.Symbol("m", real=True)
k, j = sympy.Symbol("k", integer=True), sympy.Symbol("j", integer=True)
length = sympy.Symbol("#i", real=True)
ONE, TWO = sympy.Integer(1), sympy.Integer(2)


@pytest.mark.parametrize("exprs, conditions, integers, inverted", [
    ([sympy.Sum(1, (k, 3, n))], [(n, ">=", TWO)], {"n"}, False),  # n = 2: exactly empty
    ([sympy.Sum(1, (k, 3, n))], [(n, ">=", ONE)], {"n"}, True),  # n = 1: 1 < 3 - 1
    ([sympy.Sum(1, (k, 1, n))], [], {"n"}, True),  # n = -1: no condition bounds it
    ([sympy.Product(2, (k, 1, n))], [(n, ">", ONE)], {"n"}, False),
    ([sympy.Sum(1, (k, n, m))], [(n, ">=", ONE), (m, ">=", n)], {"n", "m"}, False),
    ([sympy.Sum(1, (k, n, m))], [(n, ">=", ONE), (m, ">=", n - 2)], {"n", "m"}, True),  # m = n - 2
    ([sympy.Sum(1, (k, 1, length))], [], {"#i"}, False),  # the length of a sum without bounds is a count
    ([sympy.Sum(1, (j, 1, k), (k, 1, n))], [(n, ">=", sympy.Integer(0))], {"n"}, False),  # j to k, k >= 1
    ([sympy.Sum(1, (j, k + 2, n), (k, 1, n))], [(n, ">=", ONE)], {"n"}, True),  # k = n: n < n + 1
    # a condition on a free k is not one on the index k of the sum
    ([sympy.Sum(1, (k, 3, n))], [(sympy.Symbol("k", real=True), "<=", n - 3), (n, ">=", ONE)], {"n"}, True),
    ([sympy.Sum(1, (k, 3, sympy.floor(n)))], [(n, ">=", sympy.Integer(5))], set(), True),  # not encoded: fails closed
])
def test_a_range_is_shown_never_inverted_only_where_its_conditions_exclude_it(exprs, conditions, integers, inverted):
    assert (inverted_range(exprs, conditions, integers) is not None) == inverted
