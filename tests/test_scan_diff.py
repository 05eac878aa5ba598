"""proofs.scan.derivatives.diff against sympy.diff: the same expression, node for node (the matrix scan resolves the
values of an arbitrary function in the order it meets them in the derivative, so an equal value is not enough)."""

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.scan import derivatives

x, y = sympy.Dummy("x", real=True), sympy.Dummy("y", real=True)
phi, psi = sympy.Function("phi"), sympy.Function("psi")
_NUMBERS = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(lambda f: sympy.Rational(f.numerator, f.denominator))


def _expressions():
    leaves = st.one_of(st.just(x), st.just(y), _NUMBERS)

    def grow(inner):
        return st.one_of(
            st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
            st.tuples(inner, inner).map(lambda p: p[0] * p[1]),
            st.tuples(inner, inner, inner).map(lambda p: p[0] * p[1] * p[2]),
            st.tuples(inner, st.integers(-2, 3)).map(lambda p: p[0] ** p[1]),
            inner.map(phi),
            inner.map(psi),
            inner.map(sympy.tanh),  # left to sympy
            st.tuples(inner, inner).map(lambda p: sympy.Subs(sympy.Derivative(phi(x), x), x, p[0]) * p[1]),
        )
    return st.recursive(leaves, grow, max_leaves=10)


@settings(max_examples=150, deadline=None, database=None)
@given(_expressions())
def test_the_derivative_is_sympy_s_node_for_node(e):
    for symbol in (x, y):
        assert sympy.srepr(derivatives.diff(e, symbol)) == sympy.srepr(sympy.diff(e, symbol))


def test_a_forward_pass_through_a_recurrence_is_differentiated_as_sympy_does():
    r = sympy.Rational
    h = x
    for w, b in ((r(1, 10), r(3, 200)), (r(-3, 2), r(1, 50)), (r(2), r(-1, 4))):
        h = phi(w * h + b) + r(1, 3) * phi(b - w * h) * h
    for e in (h, h**2, 3 * h * y + psi(h)):
        assert sympy.srepr(derivatives.diff(e, x)) == sympy.srepr(sympy.diff(e, x))


def test_a_wrong_rule_is_told_apart():
    # (the comparison above can fail: the chain rule's inner factor matters, node for node)
    assert sympy.srepr(derivatives.diff(phi(2 * x), x)) != sympy.srepr(sympy.Subs(sympy.Derivative(phi(x), x), x, 2 * x))
    assert derivatives.diff(phi(x) * x, x) == sympy.Derivative(phi(x), x) * x + phi(x)
