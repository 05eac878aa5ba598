"""Statements over vectors of independent symbolic sizes proved for every size: each side's entry as a sympy expression
in the sizes (sums over symbolic ranges, a one-hot's entry put in directly, a product with a concatenation split into
its blocks), every index an entry or a one-hot reads shown in range by z3, and the difference simplified to 0."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping, Optional

from proofs import shaped_integer
from proofs.domains import Domain
from proofs.shaped import ArrayTerm, EntryTerm, IndexDomain, ShapedRelation
from proofs.shaped import text as shaped_text
from proofs.terms import Term

__all__ = ["prove"]


class _Unsupported(Exception):
    """A form the translation does not cover: the statement is not proved this way."""


class _Entries:
    """Entries as sympy expressions of integer symbols (the sizes, the indices, a free row i and column j), with the
    conditions an index must meet collected as obligations."""

    def __init__(self, sizes: Mapping[str, int], indices: Mapping[str, Domain]) -> None:
        import sympy

        self.symbols = {name: sympy.Symbol(name, integer=True) for name in [*sizes, *indices]}
        self.facts: list[Any] = [self.symbols[name] >= least for name, least in sizes.items()]
        self.distributions: dict[str, Any] = {}  # name -> its number of rows, for the variables whose columns sum to 1
        for name, dom in indices.items():
            if isinstance(dom, IndexDomain):
                self.facts += [self.symbols[name] >= 0, self.symbols[name] < self.integer(dom.below.term)]
                continue
            if dom.values is not None:  # a finite set of integers (OneOf, Bit): the index is one of them
                self.facts.append(sympy.Or(*(sympy.Eq(self.symbols[name], v) for v in dom.values)))
            if dom.lower is not None:
                self.facts.append(self.symbols[name] >= sympy.Rational(str(dom.lower)) + (1 if dom.lower_open else 0))
            if dom.upper is not None:
                self.facts.append(self.symbols[name] <= sympy.Rational(str(dom.upper)) - (1 if dom.upper_open else 0))
        self.obligations: list[tuple[str, Any]] = []
        self.depth = 0  # how many sums the entry being built is inside

    def integer(self, t: Term) -> Any:
        import sympy

        if t.op == "var":
            return self.symbols[t.args[0]]
        if t.op == "const":
            return sympy.Integer(t.args[0])
        parts = [self.integer(a) for a in t.args]
        return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
                "neg": lambda: -parts[0]}[t.op]()

    def summed(self, body: Callable[[Any], Any], upper: Any) -> Any:
        """Σ_{k=0}^{upper} body(k), its index named by how deep the sum is, so that equal sums print and compare
        equal on either side of the relation."""
        import sympy

        k = sympy.Symbol(f"k#{self.depth}", integer=True)  # no variable's name: '#' is in no identifier
        self.depth += 1
        try:
            return sympy.Sum(body(k), (k, 0, upper))
        finally:
            self.depth -= 1

    def need(self, what: str, condition: Any) -> None:
        self.obligations.append((what, condition))

    def scalar(self, x: EntryTerm) -> Any:
        import sympy

        op, a = x.op, x.args
        if op == "const":
            return sympy.Rational(str(Fraction(a[0].args[0])))
        if op == "int":
            return self.integer(a[0])
        if op == "entry":
            i = self.integer(a[1])
            j = self.integer(a[2]) if len(a) > 2 else sympy.Integer(0)
            self.need(f"{shaped_text(x)} is an entry", sympy.And(0 <= i, i < self.integer(a[0].rows.term)))
            if a[0].cols is not None:
                self.need(f"{shaped_text(x)} is an entry", sympy.And(0 <= j, j < self.integer(a[0].cols.term)))
            return self.entry(a[0], i, j)
        parts = [self.scalar(p) for p in a]  # kept as written (unevaluated), so that the decided statement shows it
        return {"add": lambda: sympy.Add(parts[0], parts[1], evaluate=False),
                "sub": lambda: sympy.Add(parts[0], sympy.Mul(-1, parts[1], evaluate=False), evaluate=False),
                "mul": lambda: sympy.Mul(parts[0], parts[1], evaluate=False), "neg": lambda: sympy.Mul(-1, parts[0], evaluate=False)}[op]()

    def entry(self, x: ArrayTerm, i: Any, j: Any) -> Any:
        """Entry (i, j) of x (j is 0 for a vector), for i and j in range."""
        import sympy

        op, a = x.op, x.args
        if op == "var":
            if x.role == "distributions":  # positive entries; the column rule is applied in _columns
                self.distributions[a[0]] = (self.integer(x.rows.term), self.integer(x.cols.term))
                return sympy.IndexedBase(a[0], positive=True)[i, j]
            base = sympy.IndexedBase(a[0])
            return base[i] if x.cols is None else base[i, j]
        if op == "onehot":
            c, n = self.integer(a[0]), self.integer(a[1].term)
            self.need(f"{shaped_text(x)} has a value", sympy.And(0 <= c, c < n))
            return sympy.KroneckerDelta(i, c)
        if op == "concat":
            first = self.integer(a[0].rows.term)
            return sympy.Piecewise((self.entry(a[0], i, j), i < first), (self.entry(a[1], i - first, j), True))
        if op in ("add", "sub"):
            sign = 1 if op == "add" else -1
            return self.entry(a[0], i, j) + sign * self.entry(a[1], i, j)
        if op == "shift":
            return self.entry(a[1], i, j) + sympy.Rational(str(Fraction(a[0].args[0])))
        if op == "scale":
            return sympy.Rational(str(Fraction(a[0].args[0]))) * self.entry(a[1], i, j)
        if op == "apply":
            inner = self.entry(a[1], i, j)
            if a[0] == "log":
                if inner.is_positive is not True:  # a logarithm shown defined only where its argument is known positive
                    raise _Unsupported("log of an entry not known to be positive")
                return sympy.log(inner)
            if a[0] == "exp":
                return sympy.exp(inner)
            if a[0] == "step":
                return shaped_integer.step(inner)
            return sympy.Function(a[0].name)(inner)
        if op == "softmax":
            n = self.integer(x.rows.term)
            return sympy.exp(self.entry(a[0], i, j)) / self.summed(lambda q: sympy.exp(self.entry(a[0], q, j)), n - 1)
        if op == "mul":
            return self.product(a[0], a[1], i, j, sympy.Integer(0))
        from proofs import shaped_blocks

        if op in shaped_blocks.OPS:
            return shaped_blocks.entry(x, i, j, lambda dim: self.integer(dim.term), self.entry, self.need)
        raise _Unsupported(op)

    def product(self, A: ArrayTerm, B: ArrayTerm, i: Any, j: Any, offset: Any) -> Any:
        """Σ_k A[i, offset + k] B[k, j] over B's rows: a one-hot B reads one column; a concatenated B is split into
        its blocks; a sum or multiple of vectors is distributed."""
        import sympy

        op, b = B.op, B.args
        if op == "onehot" and B.cols is None:
            c, n = self.integer(b[0]), self.integer(b[1].term)
            self.need(f"{shaped_text(B)} has a value", sympy.And(0 <= c, c < n))
            return self.entry(A, i, offset + c)
        if op == "concat":
            first = self.integer(b[0].rows.term)
            return self.product(A, b[0], i, j, offset) + self.product(A, b[1], i, j, offset + first)
        if op in ("add", "sub"):
            sign = 1 if op == "add" else -1
            return self.product(A, b[0], i, j, offset) + sign * self.product(A, b[1], i, j, offset)
        if op == "scale":
            return sympy.Rational(str(Fraction(b[0].args[0]))) * self.product(A, b[1], i, j, offset)
        inner = self.integer(B.rows.term)
        return self.summed(lambda k: self.entry(A, i, offset + k) * self.entry(B, k, j), inner - 1)


def _z3(expr: Any, env: dict) -> Any:
    """A sympy condition or integer expression as z3 (integer symbols; anything else is unsupported)."""
    import sympy
    import z3

    if isinstance(expr, sympy.Symbol):
        if not expr.is_integer:
            raise _Unsupported(str(expr))
        return env.setdefault(expr.name, z3.Int(expr.name))
    if isinstance(expr, sympy.Integer):
        return z3.IntVal(int(expr))
    if isinstance(expr, sympy.Rational):
        return z3.RealVal(f"{expr.p}/{expr.q}")
    if isinstance(expr, sympy.Indexed):  # an entry of an array variable: any real, the same at the same index
        index = [_z3(i, env) for i in expr.indices]
        name = f"{expr.base}#entry"  # no variable's name ('#' is in no identifier): not a solver variable
        array = env.setdefault(name, z3.Function(str(expr.base), *([z3.IntSort()] * len(index)), z3.RealSort()))
        return array(*index)
    if expr is sympy.true:
        return z3.BoolVal(True)
    if expr is sympy.false:
        return z3.BoolVal(False)
    if isinstance(expr, shaped_integer.kinds()):
        try:
            return shaped_integer.translate(expr, env, _z3)
        except shaped_integer.Unsupported as exc:
            raise _Unsupported(str(exc)) from None
    parts = [_z3(a, env) for a in expr.args]
    if isinstance(expr, sympy.Add):
        return z3.Sum(*parts)
    if isinstance(expr, sympy.Mul):
        out = parts[0]
        for p in parts[1:]:
            out = out * p
        return out
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        out = parts[0]
        for _ in range(int(expr.exp) - 1):
            out = out * parts[0]
        return out
    ops = {sympy.And: lambda: z3.And(*parts), sympy.Or: lambda: z3.Or(*parts), sympy.Not: lambda: z3.Not(parts[0]),
           sympy.StrictLessThan: lambda: parts[0] < parts[1], sympy.LessThan: lambda: parts[0] <= parts[1],
           sympy.StrictGreaterThan: lambda: parts[0] > parts[1], sympy.GreaterThan: lambda: parts[0] >= parts[1],
           sympy.Equality: lambda: parts[0] == parts[1], sympy.Unequality: lambda: parts[0] != parts[1]}
    for kind, build in ops.items():
        if isinstance(expr, kind):
            return build()
    raise _Unsupported(type(expr).__name__)


def _integer_identity(lhs: Any, rhs: Any, facts: list) -> Optional[Any]:
    """lhs = rhs for every value of the integer symbols the facts allow, by one z3 validity query, when both sides are
    integer expressions of Kronecker deltas, Piecewise, ⌊p / q⌋, mod and sums of deltas (a threshold's entries); None
    when a side is not such an expression or z3 does not show it."""
    import sympy

    answer = _valid(sympy.Eq(lhs, rhs, evaluate=False), facts)
    return answer if answer is not None and answer.answer == "unsat" else None


def _valid(condition: Any, facts: list) -> Optional[Any]:
    """The SmtAnswer that facts ⇒ condition (unsat of its negation), or None when it cannot be put to z3."""
    from proofs.solvers.smt import prove as smt_prove

    env: dict = {}
    try:
        claim, given = _z3(condition, env), [_z3(f, env) for f in facts]
    except _Unsupported:
        return None
    given += shaped_integer.conditions(env)
    return smt_prove(claim, shaped_integer.variables(env), given=given, timeout_ms=5_000)


def _exponentials(expr: Any) -> Any:
    """expr with exp(a + b) written exp(a) exp(b) and each sum's constant factors taken out (identities of every
    complex a, b: softmax(u + c) then shows its factor exp(c) above and below)."""
    import sympy

    expr = sympy.expand(expr, power_exp=True)
    return expr.replace(lambda e: isinstance(e, sympy.Sum), lambda e: sympy.factor_terms(e))


def _columns(expr: Any, ent: _Entries, facts: list) -> Any:
    """expr with exp(a + b) written exp(a) exp(b), each sum's constant factors taken out, and each sum over the rows
    of a Distributions variable's column c, Σ_k T[k, c] for k from 0 to its last row, written 1 (where z3 shows
    0 ≤ c < its number of columns)."""
    import sympy

    expr = _exponentials(expr)

    def column(e: Any) -> bool:
        if not isinstance(e, sympy.Sum) or len(e.limits) != 1 or not isinstance(e.function, sympy.Indexed):
            return False
        k, lo, hi = e.limits[0]
        name = str(e.function.base)
        if name not in ent.distributions or len(e.function.indices) != 2:
            return False
        rows, cols = ent.distributions[name]
        row, c = e.function.indices
        if row != k or k in c.free_symbols or lo != 0 or sympy.expand(hi - (rows - 1)) != 0:
            return False
        answer = _valid(sympy.And(0 <= c, c < cols), facts)
        return answer is not None and answer.answer == "unsat"

    return expr.replace(column, lambda e: sympy.Integer(1))


def _resolve(expr: Any, facts: list) -> Any:
    """expr with each Piecewise replaced by its first branch whose condition z3 shows from the facts, once every
    earlier branch's condition is shown false, and each KroneckerDelta(p, q) by 1 or 0 where z3 shows p = q or p ≠ q;
    one not settled so stays (and the identity then fails)."""
    import sympy

    def settle(pw: Any) -> Any:
        for branch, condition in pw.args:
            taken = _valid(condition, facts)
            if taken is not None and taken.answer == "unsat":
                return branch
            skipped = _valid(sympy.Not(condition), facts)
            if skipped is None or skipped.answer != "unsat":
                return pw
        return pw

    def delta(kd: Any) -> Any:  # KroneckerDelta(p, q): 1 where z3 shows p = q, 0 where it shows p ≠ q
        for condition, value in ((sympy.Eq(*kd.args[:2]), 1), (sympy.Ne(*kd.args[:2]), 0)):
            answer = _valid(condition, facts)
            if answer is not None and answer.answer == "unsat":
                return sympy.Integer(value)
        return kd

    expr = expr.replace(lambda e: isinstance(e, sympy.Piecewise), settle)
    return expr.replace(lambda e: isinstance(e, sympy.KroneckerDelta), delta)


def _constant_sums(expr: Any, facts: list) -> Any:
    """expr with each sum over a range of a fixed number of terms written term by term, and each sum whose term does
    not depend on its index, Σ_{k=lo}^{hi} c, written (hi - lo + 1) c where z3 shows hi ≥ lo - 1 from the facts (a
    range of hi - lo + 1 ≥ 0 terms: no reversed range)."""
    import sympy

    def constant(e: Any) -> bool:
        if not isinstance(e, sympy.Sum) or len(e.limits) != 1:
            return False
        k, lo, hi = e.limits[0]
        if k in e.function.free_symbols:
            return False
        answer = _valid(sympy.Ge(hi - lo + 1, 0), facts)
        return answer is not None and answer.answer == "unsat"

    def few(e: Any) -> bool:  # a range of a fixed number of terms (a size such as 0 * m + 2), at most 16
        if not isinstance(e, sympy.Sum) or len(e.limits) != 1:
            return False
        _, lo, hi = e.limits[0]
        return lo.is_Integer and hi.is_Integer and -1 <= hi - lo < 16

    def written(e: Any) -> Any:
        k, lo, hi = e.limits[0]
        return sympy.Add(*(e.function.subs(k, v) for v in range(int(lo), int(hi) + 1)))

    expr = expr.replace(few, written)
    return expr.replace(constant, lambda e: (e.limits[0][2] - e.limits[0][1] + 1) * e.function)


def _apart(lhs: Any, rhs: Any, difference: Any, lines: list, defined: list, written: dict) -> Optional[tuple[list, dict]]:
    """lhs ≠ rhs for every value: proved when lhs - rhs is the identity of a non-zero exact number (for every size and
    every value of the variables); None otherwise (a difference that depends on them is not settled this way)."""
    import sympy

    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    if not difference.has(sympy.Sum):
        try:
            difference = sympy.simplify(difference)
        except Exception:  # noqa: BLE001 - sympy failing to simplify settles nothing
            return None
    if not (difference.is_Rational and difference != 0):
        return None
    lines.append(interpret.identity(IdentityAnswer(True, "0"), statement=(sympy.Add(lhs, -rhs, evaluate=False), difference),
                                    evidence={"scope": "each side as a number, every size",
                                              "difference": f"lhs - rhs = {difference}, not 0"}))
    return lines, {"defined": defined or "no index to check", "sides": written}


def _expression(expr: Any) -> Any:
    """expr as an expression of a sympy class: f(x) of a Function's class (made at run time, of no module) is written
    f(x) + 0, unevaluated, so that it is read as a side of an identity."""
    import sympy

    if (type(expr).__module__ or "").startswith("sympy"):
        return expr
    return sympy.Add(expr, sympy.Integer(0), evaluate=False)


def prove(rel: ShapedRelation, sizes: Mapping[str, int], indices: Mapping[str, Domain]) -> Optional[tuple[list, dict]]:
    """The outcomes that prove rel for every size (an identity of the entries, and each index condition by z3), with
    notes for the evidence; None when the translation, an index condition or the identity is not settled."""
    import sympy

    from proofs import interpret
    from proofs.solvers.symbolic import IdentityAnswer

    ent = _Entries(sizes, indices)
    facts = list(ent.facts)
    try:
        if isinstance(rel.lhs, ArrayTerm):
            i, j = sympy.Symbol("#row", integer=True), sympy.Symbol("#col", integer=True)
            facts += [0 <= i, i < ent.integer(rel.lhs.rows.term)]
            facts += [sympy.Eq(j, 0)] if rel.lhs.cols is None else [0 <= j, j < ent.integer(rel.lhs.cols.term)]
            lhs, rhs = ent.entry(rel.lhs, i, j), ent.entry(rel.rhs, i, j)
            scope = "entry (i, j) of each side, for every i, j in range"
        else:
            lhs, rhs = ent.scalar(rel.lhs), ent.scalar(rel.rhs)
            scope = "each side as a number"
    except _Unsupported:
        return None
    lines, defined = [], list(dict.fromkeys(f"{what}: {condition}" for what, condition in ent.obligations))
    conditions = list(dict.fromkeys(condition for _, condition in ent.obligations))
    if conditions:  # every index in range, for every size: one z3 query
        answer = _valid(sympy.And(*conditions), facts)
        if answer is None or answer.answer != "unsat":
            return None
        lines.append(interpret.validity(answer, evidence={"obligation": "every index an entry or a one-hot reads is in range"}))
    written = {"lhs": str(lhs)[:400], "rhs": str(rhs)[:400]}
    lhs, rhs = _resolve(shaped_integer.collapse(lhs), facts), _resolve(shaped_integer.collapse(rhs), facts)
    if ent.distributions:
        lhs, rhs = _columns(lhs, ent, facts), _columns(rhs, ent, facts)
    lhs, rhs = _constant_sums(lhs, facts), _constant_sums(rhs, facts)
    difference = sympy.expand(lhs - rhs)
    if difference != 0 and not ent.distributions and (lhs.has(sympy.exp) or rhs.has(sympy.exp)):
        shown = [_constant_sums(_exponentials(side), facts) for side in (lhs, rhs)]  # exp(a + b) = exp(a) exp(b)
        if sympy.expand(shown[0] - shown[1]) == 0:
            lhs, rhs, difference = shown[0], shown[1], sympy.Integer(0)
    if rel.kind == "ne":
        return _apart(lhs, rhs, difference, lines, defined, written)
    if difference != 0:  # integer entries (a threshold's, block matrices', one-hots'): equal by one z3 query
        equal = _integer_identity(lhs, rhs, facts)
        if equal is not None:
            lines.append(interpret.validity(equal, evidence={"scope": f"{scope}, every size", "lhs": str(lhs)[:400],
                                                             "rhs": str(rhs)[:400], "method": "integer entries decided by z3"}))
            return lines, {"defined": defined or "no index to check", "sides": written}
    if difference != 0 and not difference.has(sympy.Sum):  # sums over symbolic ranges: expanded, not simplified
        try:
            difference = sympy.simplify(difference)
        except Exception:  # noqa: BLE001 - sympy failing to simplify settles nothing: not proved this way
            return None
    if difference != 0:
        return None
    lines.append(interpret.identity(IdentityAnswer(True, "0"), statement=(_expression(lhs), _expression(rhs)),
                                    evidence={"scope": f"{scope}, every size", "lhs": str(lhs)[:400], "rhs": str(rhs)[:400]}))
    notes = {"defined": defined or "no index to check", "sides": written}
    if ent.distributions:
        notes["columns"] = (f"each column of {', '.join(sorted(ent.distributions))} sums to 1: Σ_k T[k, c] over its rows "
                            "written 1 (0 ≤ c < its columns by z3), exp(a + b) = exp(a) exp(b), constants out of sums")
    return lines, notes
