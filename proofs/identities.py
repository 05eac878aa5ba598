"""Equations proved as sympy identities: the two sides simplify to the same expression on the variables' domains."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from proofs import backends, terms
from proofs.domains import Domain
from proofs.terms import Term

__all__ = ["identity", "symbol"]


def identity(relation: Term, scalars: Mapping[str, Domain]) -> Optional[bool]:
    """True when the relation is an equation (or a conjunction of them) whose sides simplify to the same expression.
    It counts as a proof only where every term of the relation is shown to have a value on the whole domain."""

    if relation.op == "and":
        parts = [identity(a, scalars) for a in relation.args]
        return True if all(p is True for p in parts) else None
    if relation.op == "implies":
        return _sympy_premised(relation, scalars)
    if relation.op != "eq":
        return None
    symbols = {name: symbol(name, dom) for name, dom in scalars.items()}
    return _sympy_equal(relation, symbols)


def _sympy_premised(relation: Term, scalars: Mapping[str, Domain]) -> Optional[bool]:
    """premise ⇒ equation, for a premise that orders a variable against an expression of the others (m ≤ n, say):
    the variable is written as that expression plus a fresh k ≥ 0 (k > 0 where strict), and the equation must be an
    identity for every such k, which covers every point where the premise holds."""
    import sympy

    premise, consequent = relation.args
    if consequent.op == "and":  # p ⇒ (q1 ∧ q2) is (p ⇒ q1) ∧ (p ⇒ q2)
        parts = [_sympy_premised(Term("implies", (premise, part)), scalars) for part in consequent.args]
        return True if all(p is True for p in parts) else None
    equations = list(premise.args) if premise.op == "and" else [premise]
    if consequent.op == "eq" and all(e.op == "eq" for e in equations):
        from proofs import uninterpreted

        # over every function, z3 decides equal arguments with the functions uninterpreted (congruence)
        return None if uninterpreted.uses(relation) else _sympy_solved(equations, consequent, scalars)
    if premise.op not in ("le", "lt", "ge", "gt") or consequent.op != "eq":
        return None
    low, high = premise.args if premise.op in ("le", "lt") else premise.args[::-1]
    symbols = {name: symbol(name, dom) for name, dom in scalars.items()}
    for var, other, sign in ((high, low, 1), (low, high, -1)):
        if var.op != "var" or var.args[0] not in scalars or var.args[0] in terms.variables(other) \
                or scalars[var.args[0]].indexed:
            continue
        whole = scalars[var.args[0]].kind == "int" and all(scalars[v].kind == "int" for v in terms.variables(other))
        facts = {"positive": True} if premise.op in ("lt", "gt") else {"nonnegative": True}
        k = sympy.Dummy("k", integer=True, **facts) if whole else sympy.Dummy("k", real=True, **facts)
        try:
            free = {**symbols, var.args[0]: sympy.Symbol(var.args[0], real=True, **({"integer": True} if whole else {}))}
            shifted = backends.to_sympy(other, free) + sign * k
        except (terms.Unsupported, TypeError):
            return None
        # substituted after the sides are built, so a derivative with respect to the variable is taken first
        return _sympy_equal(consequent, symbols, {symbols[var.args[0]]: shifted})
    return None


def _sympy_solved(equations: list, consequent: Term, scalars: Mapping[str, Domain]) -> Optional[bool]:
    """a = b ∧ ... ⇒ equation, for premises each linear in a variable of its own with a nonzero constant coefficient
    (y_1 + y_2 + y_3 = 1; z_1 = W_11 x_1): the premises hold exactly where those variables are their solutions
    (each solved for the first such variable in name order, y_1 = 1 - y_2 - y_3, each later premise after the earlier
    solutions are put in), so the equation with the
    solutions put for them must be an identity in the other variables (at every value of them, in the domain or not)."""
    import sympy

    symbols = {name: symbol(name, dom) for name, dom in scalars.items()}
    solved: dict = {}
    for premise in equations:
        try:
            difference = sympy.expand((backends.to_sympy(premise.args[0], symbols)
                                       - backends.to_sympy(premise.args[1], symbols)).subs(solved))
        except (terms.Unsupported, TypeError):
            return None
        for name in sorted(terms.variables(premise)):
            if name not in scalars or scalars[name].indexed or symbols[name] in solved:
                continue
            var = symbols[name]
            coefficient = difference.coeff(var, 1)
            rest = sympy.expand(difference - coefficient * var)
            if coefficient.free_symbols or coefficient == 0 or rest.has(var):
                continue
            value = -rest / coefficient
            solved = {k: v.subs(var, value) for k, v in solved.items()}
            solved[var] = value
            break
        else:
            return None  # a premise solved for no variable: not shown this way
    # substituted after the sides are built, so a derivative with respect to a variable is taken first
    return _sympy_equal(consequent, symbols, solved)


def _sympy_equal(relation: Term, symbols: Mapping[str, Any], substitute: Optional[Mapping] = None) -> Optional[bool]:
    import sympy

    try:
        lhs, rhs = (backends.to_sympy(side, symbols) for side in relation.args)
    except terms.Unsupported:  # a side sympy has no form for (a limit it cannot find): no identity shown
        return None
    if substitute:
        lhs, rhs = (side.doit().subs(substitute) for side in (lhs, rhs))
    difference = sympy.expand(sympy.expand_log(lhs - rhs))
    if difference.has(sympy.Sum):  # sums of symbolic length in closed form, where sympy finds one
        difference = sympy.expand(difference.doit())
    if difference == 0:
        return True
    if difference.has(sympy.tanh, sympy.exp):  # tanh and sigmoid are quotients of exponentials
        if sympy.cancel(sympy.together(difference.rewrite(sympy.exp))) == 0:
            return True
    if difference.has(sympy.Piecewise):  # a sum's range condition left open: each case on its own
        cases = _cases(difference)
        if cases is None and difference.has(sympy.Max, sympy.Min, sympy.Abs):  # relu(n) beside an empty range's case
            cases = _cases(difference.rewrite(sympy.Piecewise))
        if cases is not None:
            return cases
    if _exponentiated(difference):
        return True
    if _nonzero_somewhere(difference):  # not an identity: spare the slow simplification
        return None
    difference = sympy.simplify(difference)
    if difference != 0:
        difference = sympy.expand(difference)
    if difference != 0 and difference.has(sympy.tanh, sympy.exp):
        difference = sympy.simplify(sympy.expand(difference.rewrite(sympy.exp)))
    return True if difference == 0 else None


def _exponentiated(difference) -> bool:
    """Whether exp(difference) is 1 as a quotient of exponentials, for a difference with logarithms (log σ(z) + z -
    log(1 - σ(z)), say). exp is one-to-one on the reals, so the difference is then 0 wherever it is a real number:
    wherever every term of the relation has a value, which the cascade proves before an identity counts."""
    import sympy

    if not difference.has(sympy.log) or difference.has(sympy.Sum, sympy.Piecewise, sympy.Derivative, sympy.Indexed):
        return False
    try:
        power = sympy.expand(sympy.exp(difference), power_exp=True, mul=True, multinomial=False, log=False)
        return sympy.cancel(sympy.together(power.rewrite(sympy.exp))) == 1
    except Exception:  # noqa: BLE001 - no closed form this way: not shown
        return False


def _cases(difference) -> Optional[bool]:
    """True when a difference with cases (a sum's range condition, say) is 0 in every case: a case whose value does
    not expand to 0 must hold at finitely many whole numbers (one integer variable, bounded by its domain below or
    above and by the case's condition on the other side), and the difference is 0 at each of them. None otherwise."""
    import sympy

    folded = sympy.piecewise_fold(difference)
    if not isinstance(folded, sympy.Piecewise) or folded.args[-1][1] is not sympy.true:  # every point in some case
        return None
    symbols = folded.free_symbols
    before = sympy.false
    for value, condition in folded.args:
        region = sympy.And(condition, sympy.Not(before))
        before = sympy.Or(before, condition)
        if region is sympy.false or sympy.expand(value) == 0:
            continue
        if len(symbols) != 1 or not next(iter(symbols)).is_integer:
            return None
        n = next(iter(symbols))
        try:
            where = _region(region, n)
        except Exception:  # noqa: BLE001 - the case's region cannot be read: no proof this way
            return None
        low = 0 if n.is_nonnegative else 1 if n.is_positive else None
        high = -1 if n.is_negative else 0 if n.is_nonpositive else None
        where = where.intersect(sympy.Interval(low if low is not None else -sympy.oo, high if high is not None else sympy.oo))
        if where.is_empty:
            continue
        lo, hi = where.inf, where.sup
        if not (lo.is_finite and hi.is_finite) or hi - lo > 1000:
            return None
        for k in range(int(sympy.ceiling(lo)), int(sympy.floor(hi)) + 1):
            inside = where.contains(k)
            if inside is sympy.false:
                continue
            if inside is not sympy.true or sympy.simplify(value.subs(n, k).doit()) != 0:
                return None
    return True


def _region(region, n):
    """The real numbers where a condition in one variable holds: solveset for a relation, and for a conjunction or
    negation of relations (a case of a relu written as cases) sympy's set of the condition."""
    import sympy

    if isinstance(region, sympy.logic.boolalg.BooleanAtom):
        return sympy.S.Reals if region else sympy.S.EmptySet
    if isinstance(region, sympy.logic.boolalg.BooleanFunction):
        return region.as_set()
    return sympy.solveset(region, n, sympy.S.Reals)


def _nonzero_somewhere(difference) -> bool:
    """Whether the difference is exactly a nonzero number at one of a few points its symbols' assumptions allow."""
    import sympy

    if difference.has(sympy.Indexed, sympy.Derivative):
        return False
    symbols = sorted(difference.free_symbols, key=str)
    for shift in (2, 3):
        values = {}
        for k, v in enumerate(symbols):
            value = sympy.Integer(shift + k) if v.is_integer else sympy.Rational(2 * (shift + k) + 1, 3)
            values[v] = -value if v.is_nonnegative is False else value
        try:
            at = difference.subs(values).doit()
            if at.is_number and at.is_zero is False and at.is_finite:
                return True
        except Exception:  # noqa: BLE001 - no value there: try the next point, or simplify
            continue
    return False


def symbol(name: str, dom: Domain, *, elements: bool = False):
    """A sympy symbol carrying what the domain guarantees (real, integer, positive, non-negative); a sequence's
    elements carry their sign only with `elements` (where its conditions are decided, not its identities)."""
    import sympy

    facts: dict[str, bool] = {"real": True}
    if dom.kind == "int":
        facts["integer"] = True
    if dom.lower is not None and (dom.lower > 0 or (dom.lower == 0 and dom.lower_open)):
        sign = {"positive": True}
    elif dom.lower is not None and dom.lower >= 0:
        sign = {"nonnegative": True}
    else:
        sign = {}
    if dom.indexed:  # its elements x[i]
        return sympy.IndexedBase(name, **facts, **(sign if elements else {}))
    return sympy.Symbol(name, **facts, **sign)

