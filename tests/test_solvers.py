from fractions import Fraction

import sympy
import z3
from hypothesis import given, settings, strategies as st

from proofs.solvers.enumerate import exhaust
from proofs.solvers.linear import Constraint, feasible
from proofs.solvers.sampling import sample
from proofs.solvers.smt import exact, prove, solve
from proofs.solvers.symbolic import identity


def test_smt_exact_models_and_unknown_is_not_unsat():
    x = z3.Real("x")
    answer = solve([x * 3 == 1], [x])
    assert answer.answer == "sat" and answer.model == {"x": Fraction(1, 3)}
    assert prove(x * x >= 0, [x]).answer == "unsat"
    assert "(check-sat)" in answer.smt2
    n = z3.Int("n")
    assert exact(z3.IntVal(5)) == 5 and exact(z3.BoolVal(True)) is True
    assert solve([n > 2, n < 3], [n]).answer == "unsat"


def test_identity_three_ways():
    a, b = sympy.symbols("a b")
    assert identity((a + b) ** 2, a**2 + 2 * a * b + b**2).holds is True
    wrong = identity((a + b) ** 2, a**2 + b**2)
    assert wrong.holds is False and wrong.point is not None
    assert ((a + b) ** 2 - a**2 - b**2).subs({sympy.Symbol(k): sympy.Rational(v.numerator, v.denominator)
                                               for k, v in wrong.point.items()}) != 0


def test_exhaust_and_sample():
    assert exhaust(range(5), lambda n: n < 5, name="0..4").holds
    bad = exhaust(range(5), lambda n: n < 3, name="0..4")
    assert bad.counterexample == 3 and bad.size == 4
    ok = sample(lambda r: r.random(), lambda v: 0 <= v < 1, n=50, seed=1)
    assert ok.holds and ok.n == 50
    assert sample(lambda r: r.randint(0, 9), lambda v: v != 7, n=500, seed=1).counterexample == 7


_coeff = st.integers(-3, 3).map(Fraction)
_row = st.tuples(st.dictionaries(st.sampled_from("abc"), _coeff, max_size=3), st.sampled_from(["<", "<=", "="]), _coeff)


@settings(max_examples=150, deadline=None)
@given(st.lists(_row, max_size=6))
def test_fourier_motzkin_agrees_with_z3(rows):
    constraints = [Constraint(c, op, b) for c, op, b in rows]
    vs = {v: z3.Real(v) for v in "abc"}
    terms = []
    for c in constraints:
        lhs = sum((int(x) * vs[v] for v, x in c.coeffs.items()), z3.RealVal(0))
        terms.append(lhs < int(c.bound) if c.op == "<" else lhs <= int(c.bound) if c.op == "<=" else lhs == int(c.bound))
    assert feasible(constraints) == (solve(terms).answer == "sat")


def test_identity_answers_become_verdicts():
    from proofs.interpret import identity as interpret
    from proofs.verdicts import Verdict

    a, b = sympy.symbols("a b")
    assert interpret(identity((a + b) ** 2, a**2 + 2 * a * b + b**2)).verdict is Verdict.PROVED
    refuted = interpret(identity((a + b) ** 2, a**2 + b**2))
    assert refuted.verdict is Verdict.REFUTED and refuted.witness
