"""proofs/scan/sum_ranges.py: whether a range of a sum may be inverted (upper < lower - 1) where its conditions hold,
each case's truth worked out by hand in its comment."""

import pytest
import sympy

from proofs.scan.sum_ranges import bounded_below, inverted_range, presupposed

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


@pytest.mark.parametrize("conditions, inverted", [
    ([(n, "!=", sympy.Integer(0))], False),  # excludes a value only: n stays a count
    ([(n, "<=", sympy.Integer(10))], False),  # bounds from above only
    ([(sympy.Integer(10), ">=", n)], False),
    ([(-n, ">=", sympy.Integer(-3))], False),  # n <= 3
    ([(n, "<=", m)], False),
    ([(n, ">=", sympy.Integer(-5))], True),  # n = -5: a stated lower bound below the count gives the domain alone
    ([(n, ">", sympy.Integer(-5))], True),
    ([(-n, "<=", sympy.Integer(5))], True),  # n >= -5
    ([(n, "=", sympy.Integer(-3))], True),
    ([(n ** 2, "<=", sympy.Integer(9))], True),  # not linear in n: read as a lower bound too (n = -3)
    (["n is an integer at most -1, its section says"], True),  # a condition not read may bound n from below
    # a condition on the value of a sum to n (the geometric series' bound) says nothing of n's domain
    ([(sympy.Sum(sympy.Symbol("r") ** k, (k, 0, n)), "<=", 1 / (1 - sympy.Symbol("r")))], False),
    ([(sympy.Sum(1, (k, 1, n)) + n, "=", sympy.Integer(4))], True),  # n outside the sum: a condition on n itself
    (["n is a count (a whole number: the bound of a sum), its section says"], False),
])
def test_only_a_stated_lower_bound_drops_the_count_a_sum_bound_is_presupposed_to_be(conditions, inverted):
    # the guard decides under the presupposition as the scan adds it (proofs.scan.steps): a condition that only
    # excludes values or bounds from above leaves the n of a sum from 1 to n a count, so the range is never inverted
    exprs = [sympy.Sum(1, (k, 1, n))]
    read = [c for c in conditions if not isinstance(c, str)]
    domain = read + presupposed(exprs, conditions)
    assert (inverted_range(exprs, domain, {"n"}) is not None) == inverted
    assert (bounded_below(conditions) is None or "n" in bounded_below(conditions)) == inverted
