"""Sized statements proved for every size n: sympy identities of matrix symbols with the roles' facts, induction over
the length of index-ordered products and chain-rule gradients, and norm relations by z3 from the trusted lemmas."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable, Mapping, Optional

from proofs import terms
from proofs.domains import Domain
from proofs.sized import MatrixTerm, NormTerm, SizedRelation, identity_matrix, premises, substitute
from proofs.sized import text as sized_text
from proofs.terms import Term

__all__ = ["LEMMAS", "prove"]

# The named lemmas a norm proof may use, by the name a claim's trusted Lemma carries.
LEMMAS = {
    "operator_norm_matrix_vector": "‖A v‖ ≤ ‖A‖ ‖v‖",
    "operator_norm_submultiplicative": "‖A B‖ ≤ ‖A‖ ‖B‖",
    "operator_norm_orthogonal": "‖Q B‖ = ‖B‖ = ‖B Q‖ for orthogonal Q (so ‖Q‖ = 1)",
    "operator_norm_transpose": "‖Aᵀ‖ = ‖A‖",
    "operator_norm_diagonal": "‖Diag(d)‖ = max_i |d_i| (0 or 1 for d ∈ {0, 1}^n)",
}


# --- sympy, every n --------------------------------------------------------------------------------------------------

class _Symbolic:
    """Translation to sympy matrix expressions of symbolic size n; products and gradients not peeled are opaque."""

    def __init__(self) -> None:
        import sympy

        self.n = sympy.Symbol("n", integer=True, positive=True)
        self.roles: dict[str, str] = {}
        self.opaque: dict[str, Any] = {}

    def symbol(self, name: str, shape: str, role: str) -> Any:
        import sympy

        self.roles.setdefault(name, role)
        return sympy.MatrixSymbol(name, self.n, 1 if shape == "vec" else self.n)

    def matrix(self, x: MatrixTerm) -> Any:
        import sympy

        op, a = x.op, x.args
        if op == "var":
            return self.symbol(a[0], x.shape, a[1])
        if op == "at":
            return self.symbol(f"{a[0]}[{_canonical(a[2])}]", x.shape, a[1])
        if op == "I":
            return sympy.Identity(self.n)
        if op == "zero":
            return sympy.ZeroMatrix(self.n, 1 if x.shape == "vec" else self.n)
        if op == "T":
            return self.matrix(a[0]).T
        if op == "mul":
            return self.matrix(a[0]) * self.matrix(a[1])
        if op == "add":
            return self.matrix(a[0]) + self.matrix(a[1])
        if op == "sub":
            return self.matrix(a[0]) - self.matrix(a[1])
        if op == "scale":
            return sympy.Rational(str(Fraction(a[0].args[0]))) * self.matrix(a[1])
        key = _key(x)  # one symbol per node, named as the node prints (a suffix tells apart two that print alike)
        if key not in self.opaque:
            shown = sized_text(x)
            taken = {name for name, _ in self.opaque.values()}
            self.opaque[key] = (shown if shown not in taken else f"{shown} #{len(self.opaque)}", x)
        return self.symbol(self.opaque[key][0], x.shape, "opaque")

    def simplified(self, expr: Any) -> Any:
        """expr with products expanded and the roles' facts applied until nothing changes: Qᵀ Q = Q Qᵀ = I for
        orthogonal Q, Dᵀ = D for diagonal D, D D = D for D ∈ Diag({0, 1}^n)."""
        import sympy

        for _ in range(50):
            out = sympy.expand(expr.doit()).doit()
            out = out.xreplace({s.T: s for s in out.atoms(sympy.MatrixSymbol) if self.roles.get(s.name, "").startswith("diagonal")})
            out = out.replace(lambda e: isinstance(e, (sympy.MatMul, sympy.MatPow)), self._cancel)
            if out == expr:
                return out
            expr = out
        return expr

    def _cancel(self, product: Any) -> Any:
        import sympy

        coeff, factors = _split(product)
        if not factors:
            return product
        changed = True
        while changed:
            changed = False
            for i in range(len(factors) - 1):
                a, b = factors[i], factors[i + 1]
                if self._orthogonal(a) and self._orthogonal(b) and (a == b.T or a.T == b):
                    factors[i:i + 2] = [sympy.Identity(self.n)]
                    changed = True
                    break
                if a == b and isinstance(a, sympy.MatrixSymbol) and self.roles.get(a.name) == "diagonal01":
                    factors[i:i + 2] = [a]
                    changed = True
                    break
        return sympy.MatMul(coeff, *factors).doit() if len(factors) > 1 else coeff * factors[0]

    def _orthogonal(self, x: Any) -> bool:
        import sympy

        base = x.arg if isinstance(x, sympy.Transpose) else x
        return isinstance(base, sympy.MatrixSymbol) and self.roles.get(base.name) == "orthogonal"

    def zero(self, difference: Any) -> bool:
        import sympy

        out = self.simplified(difference)
        return out == 0 or bool(getattr(out, "is_ZeroMatrix", False)) or out == sympy.ZeroMatrix(*difference.shape)


def _split(product: Any) -> tuple[Any, list]:
    """A matrix product's number coefficient and its matrix factors, in order."""
    import sympy

    if isinstance(product, sympy.MatPow):
        return sympy.Integer(1), _powers([product])
    numbers = [a for a in product.args if not getattr(a, "is_Matrix", False)]
    return sympy.Mul(*numbers), _powers([a for a in product.args if getattr(a, "is_Matrix", False)])


def _powers(factors: list) -> list:
    """The factors with each power X^k (k a positive whole number, as sympy writes X X) written out as k factors."""
    import sympy

    out = []
    for f in factors:
        if isinstance(f, sympy.MatPow) and f.exp.is_Integer and f.exp > 0:
            out.extend([f.base] * int(f.exp))
        elif isinstance(f, sympy.Transpose) and isinstance(f.arg, sympy.MatPow) and f.arg.exp.is_Integer and f.arg.exp > 0:
            out.extend([f.arg.base.T] * int(f.arg.exp))
        else:
            out.append(f)
    return out


def _canonical(index: Term) -> str:
    import sympy

    def to(t: Term) -> Any:
        if t.op == "var":
            return sympy.Symbol(t.args[0], integer=True)
        if t.op == "const":
            return sympy.Integer(t.args[0])
        parts = [to(a) for a in t.args]
        return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
                "neg": lambda: -parts[0]}[t.op]()

    return str(sympy.expand(to(index)))


def _key(x: Any) -> str:
    """A name for a product or gradient node, equal for nodes that are equal once their indices are expanded."""
    if isinstance(x, Term):
        return _canonical(x)
    if isinstance(x, (MatrixTerm, NormTerm)) and x.op in ("prod", "nprod", "backward"):
        k = x.args[0]
        bound = terms.var("_k")
        body = substitute(x.args[1], k.args[0], bound)
        rest = [_key(a) for a in x.args[2:]]
        return f"{x.op}({_key(body)}; {'; '.join(rest)})"
    if isinstance(x, MatrixTerm) and x.op == "at":
        return f"{x.args[0]}[{_canonical(x.args[2])}]"
    if isinstance(x, (MatrixTerm, NormTerm)):
        return f"{x.op}(" + ", ".join(_key(a) if isinstance(a, (Term, MatrixTerm, NormTerm)) else str(a) for a in x.args) + ")"
    return str(x)


# --- peeling: the empty case and one step ------------------------------------------------------------------------------

def _nodes(x: Any) -> Iterable[Any]:
    if isinstance(x, SizedRelation):
        yield from _nodes(x.lhs)
        yield from _nodes(x.rhs)
    elif isinstance(x, (MatrixTerm, NormTerm)):
        if x.op in ("prod", "nprod", "backward"):
            yield x
        for a in x.args:
            yield from _nodes(a)


def _lower(node: Any) -> Term:
    return node.args[3] if node.op == "backward" else node.args[2]


def _upper(node: Any) -> Term:
    return node.args[4] if node.op == "backward" else node.args[3]


def _rebuild(x: Any, change) -> Any:
    """x with every product or gradient node replaced by change(node) (None keeps it)."""
    if isinstance(x, SizedRelation):
        return SizedRelation(x.op, _rebuild(x.lhs, change), _rebuild(x.rhs, change), x.premise)
    if not isinstance(x, (MatrixTerm, NormTerm)):
        return x
    if x.op in ("prod", "nprod", "backward"):
        out = change(x)
        if out is not None:
            return out
    args = tuple(_rebuild(a, change) if isinstance(a, (MatrixTerm, NormTerm)) else a for a in x.args)
    return type(x)(x.op, args, x.shape) if isinstance(x, MatrixTerm) else NormTerm(x.op, args)


def _empty(node: Any) -> bool:
    """Whether the node's range has exactly no element (upper = lower - 1 for a product, t = T for a gradient): then
    one step below it, the range has exactly one element more."""
    import sympy

    length = sympy.sympify(_canonical(terms.term(_upper(node)) - _lower(node)))
    return (length + (0 if node.op == "backward" else 1)) == 0


def _base_value(node: Any) -> Any:
    if node.op == "prod":
        return identity_matrix()
    if node.op == "nprod":
        return NormTerm("const", (Fraction(1),))
    return node.args[2]


def _peel(node: Any, t: str) -> Any:
    """The node whose range starts at t, as its first factor times the node starting at t + 1."""
    k = node.args[0].args[0]
    first = substitute(node.args[1], k, terms.var(t))
    tail = substitute(node, t, terms.var(t) + 1)
    if node.op == "prod":
        return MatrixTerm("mul", (first, tail), "mat")
    if node.op == "nprod":
        return NormTerm("mul", (first, tail))
    return MatrixTerm("mul", (first.T, tail), "vec")


def _peel_first(node: Any) -> Any:
    """The node as its first factor times the node whose range starts one later (whatever its lower end is)."""
    k = node.args[0].args[0]
    first = substitute(node.args[1], k, _lower(node))
    at = 3 if node.op == "backward" else 2
    tail = type(node)(node.op, (*node.args[:at], _lower(node) + 1, *node.args[at + 1:]), *((node.shape,) if isinstance(node, MatrixTerm) else ()))
    if node.op == "prod":
        return MatrixTerm("mul", (first, tail), "mat")
    if node.op == "nprod":
        return NormTerm("mul", (first, tail))
    return MatrixTerm("mul", (first.T, tail), "vec")


def _unrolled(rel: SizedRelation) -> Optional[SizedRelation]:
    """rel with each product or gradient whose number of factors is a fixed whole number from 0 to 8 (upper - lower
    a number, such as mprod(..., t, t + 1)) written as those factors, or None when there is none. A gradient from t
    past T has no value and stays."""
    import sympy

    changed = []

    def factors(node: Any) -> Optional[int]:
        length = sympy.sympify(_canonical(terms.term(_upper(node)) - _lower(node)))
        if not length.is_Integer:
            return None
        count = int(length) + (0 if node.op == "backward" else 1)
        return count if 0 <= count <= 8 else None

    def written(node: Any, count: int) -> Any:
        if count == 0:
            return _base_value(node)
        peeled = _peel_first(node)
        first, tail = peeled.args
        rest = written(tail, count - 1)
        return MatrixTerm("mul", (first, rest), peeled.shape) if isinstance(peeled, MatrixTerm) else NormTerm("mul", (first, rest))

    def change(node: Any) -> Any:
        count = factors(node)
        if count is None:
            return None
        changed.append(node)
        return written(node, count)

    out = _rebuild(rel, change)
    return out if changed else None


def _index_names(x: Any) -> set[str]:
    """The integer indices a term mentions, a product's or gradient's own index excepted."""
    if isinstance(x, Term):
        return terms.variables(x)
    if isinstance(x, SizedRelation):
        return _index_names(x.lhs) | _index_names(x.rhs)
    if isinstance(x, (MatrixTerm, NormTerm)) and x.op in ("prod", "nprod", "backward"):
        inner = _index_names(x.args[1]) - {x.args[0].args[0]}
        return inner.union(*(_index_names(a) for a in x.args[2:]))
    if isinstance(x, (MatrixTerm, NormTerm)):
        return set().union(*(_index_names(a) for a in x.args))
    return set()


def _follows(claim: Term, known: Iterable[Term]) -> bool:
    """Whether an integer relation between indices follows from the index premises (z3 over the integers: unsat of
    its negation; unknown is not a yes)."""
    import z3

    names = set(terms.variables(claim)).union(*(terms.variables(p) for p in known))
    env = {name: z3.Int(name) for name in names}

    def to(t: Term) -> Any:
        if t.op == "var":
            return env[t.args[0]]
        if t.op == "const":
            return z3.IntVal(int(t.args[0]))
        parts = [to(a) for a in t.args]
        return {"add": lambda: parts[0] + parts[1], "sub": lambda: parts[0] - parts[1], "mul": lambda: parts[0] * parts[1],
                "neg": lambda: -parts[0], "eq": lambda: parts[0] == parts[1], "ne": lambda: parts[0] != parts[1],
                "lt": lambda: parts[0] < parts[1], "le": lambda: parts[0] <= parts[1], "gt": lambda: parts[0] > parts[1],
                "ge": lambda: parts[0] >= parts[1]}[t.op]()

    solver = z3.Solver()
    solver.set("timeout", 5_000)
    solver.add(*(to(p) for p in known), z3.Not(to(claim)))
    return solver.check() == z3.unsat


def _nonempty(node: Any) -> Term:
    """The condition under which the node has a first factor to peel: lower ≤ upper (a product), t < T (a gradient)."""
    lower, upper = terms.term(_lower(node)), terms.term(_upper(node))
    return lower < upper if node.op == "backward" else lower <= upper


def _induction(rel: SizedRelation, indices: Mapping[str, Domain]) -> Optional[tuple[str, Term, tuple]]:
    """(t, U, peeled) when a premise is t ≤ U, no other premise and no product's or gradient's factor mentions t, and
    every product or gradient whose range depends on t starts at t and either ends where its range is empty at t = U,
    or has a factor to peel at t = U by the index premises (those are `peeled`: the base peels their first factor);
    None when no such induction applies."""
    stated = premises(rel)
    for premise in stated:
        if not isinstance(premise, Term) or premise.op != "le" or premise.args[0].op != "var" or \
                premise.args[0].args[0] not in indices:
            continue
        t, upper = premise.args[0].args[0], premise.args[1]
        if t in terms.variables(upper) or any(t in _index_names(p) for p in stated if p is not premise):
            continue
        moving = [node for node in _nodes(rel) if t in terms.variables(_lower(node)) | terms.variables(_upper(node))]
        if not moving:
            continue
        known = [p for p in stated if isinstance(p, Term)]
        peeled, fits = [], True
        for node in moving:
            inner = _index_names(node.args[1]) | (_index_names(node.args[2]) if node.op == "backward" else set())
            if _key(_lower(node)) != t or t in terms.variables(_upper(node)) or t in inner:
                fits = False
                break
            at_upper = substitute(node, t, upper)
            if _empty(at_upper):
                continue
            if not _follows(_nonempty(at_upper), [substitute(p, t, upper) for p in known]):
                fits = False
                break
            peeled.append(_key(at_upper))
        if fits:
            return t, upper, tuple(peeled)
    return None


# --- proofs for every n ---------------------------------------------------------------------------------------------

class _Norms:
    """Norms as non-negative z3 reals, one per matrix expression (after the roles' facts), with each lemma's instances
    on the products they appear in as tracked facts: the unsat core names the lemmas a proof used."""

    def __init__(self, sym: _Symbolic) -> None:
        self.sym = sym
        self.atoms: dict[str, Any] = {}
        self.facts: list[tuple[str, Any]] = []  # (lemma name, fact)
        self.axioms: list[Any] = []  # norms are non-negative: no lemma

    def scalar(self, x: NormTerm) -> Any:
        import z3

        if x.op == "const":
            return z3.RealVal(str(x.args[0]))
        if x.op == "mul":
            return self.scalar(x.args[0]) * self.scalar(x.args[1])
        if x.op == "norm":
            return self.norm(self.sym.matrix(x.args[0]))
        key = _key(x)  # a product of numbers not peeled: a constant of its own, non-negative when its factors are
        if key not in self.atoms:
            self.atoms[key] = z3.Real(f"{sized_text(x)} #{len(self.atoms)}")
            if all(c.args[0] >= 0 for c in _consts(x.args[1])):
                self.axioms.append(self.atoms[key] >= 0)
        return self.atoms[key]

    def norm(self, X: Any) -> Any:
        import sympy
        import z3

        X = self.sym.simplified(X)
        if X == 0 or getattr(X, "is_ZeroMatrix", False):
            return z3.RealVal(0)
        if isinstance(X, (sympy.MatMul, sympy.MatPow)):
            coeff, factors = _split(X)
            if coeff != 1:  # ‖c X‖ = |c| ‖X‖, a norm's homogeneity
                return z3.RealVal(str(abs(coeff))) * self.norm(sympy.MatMul(*factors).doit())
        key = str(X)
        if key in self.atoms:
            return self.atoms[key]
        v = self.atoms[key] = z3.Real(f"‖{key}‖")
        self.axioms.append(v >= 0)
        if isinstance(X, sympy.Identity):
            self.axioms.append(v == 1)
        elif isinstance(X, (sympy.MatMul, sympy.MatPow)):
            factors = _split(X)[1]
            for i in range(1, len(factors)):
                left, right = sympy.MatMul(*factors[:i]).doit(), sympy.MatMul(*factors[i:]).doit()
                lemma = "operator_norm_matrix_vector" if right.shape[1] == 1 else "operator_norm_submultiplicative"
                self.facts.append((lemma, v <= self.norm(left) * self.norm(right)))
            if self.sym._orthogonal(factors[0]):
                self.facts.append(("operator_norm_orthogonal", v == self.norm(sympy.MatMul(*factors[1:]).doit())))
            if self.sym._orthogonal(factors[-1]) and X.shape[1] != 1:
                self.facts.append(("operator_norm_orthogonal", v == self.norm(sympy.MatMul(*factors[:-1]).doit())))
        elif self.sym._orthogonal(X):
            self.facts.append(("operator_norm_orthogonal", v == 1))
        elif self._diagonal01(X):  # the largest of entries in {0, 1} (n ≥ 1): 0 or 1
            self.facts.append(("operator_norm_diagonal", z3.Or(v == 0, v == 1)))
        if X.shape[1] != 1 and not isinstance(X, sympy.MatAdd):
            flipped = self.sym.simplified(X.T)
            if str(flipped) != key:
                self.facts.append(("operator_norm_transpose", v == self.norm(flipped)))
        return v

    def _diagonal01(self, X: Any) -> bool:
        import sympy

        base = X.arg if isinstance(X, sympy.Transpose) else X
        return isinstance(base, sympy.MatrixSymbol) and self.sym.roles.get(base.name) == "diagonal01"


def _consts(x: NormTerm) -> list:
    if x.op == "const":
        return [x]
    return [c for a in x.args if isinstance(a, NormTerm) for c in _consts(a)]


def _relation_z3(norms: _Norms, rel: SizedRelation) -> Any:
    lhs, rhs = norms.scalar(rel.lhs), norms.scalar(rel.rhs)
    return lhs == rhs if rel.op == "eq" else lhs <= rhs


def _norm_proof(goal: SizedRelation, hypothesis: Optional[SizedRelation], sym: _Symbolic, allowed: Optional[set],
                matrix_premises: tuple = ()):
    """z3: the goal from the instances of the allowed lemmas (all when None) and the induction hypothesis; (answer,
    lemmas used) or None."""
    import z3

    from proofs.solvers.smt import prove

    norms = _Norms(sym)
    claim = _relation_z3(norms, goal)
    given = [_relation_z3(norms, hypothesis)] if hypothesis is not None else []
    for premise in matrix_premises:  # a norm is 0 exactly at the zero matrix (definiteness, a norm's axiom: no lemma)
        apart = norms.norm(sym.matrix(premise.lhs) - sym.matrix(premise.rhs))
        given.append(apart > 0 if premise.op == "ne" else apart == 0)
    solver = z3.Solver()
    solver.set("timeout", 20_000)
    solver.add(*norms.axioms, *given, z3.Not(claim))
    labels = {}
    for i, (lemma, fact) in enumerate(norms.facts):
        if allowed is not None and lemma not in allowed:
            continue
        label = z3.Bool(f"{lemma}#{i}")
        labels[str(label)] = (lemma, fact)
        solver.assert_and_track(fact, label)
    if solver.check() != z3.unsat:
        return None
    used = [labels[str(c)] for c in solver.unsat_core()]
    # the verdict comes from a fresh query with only the lemma instances the core names
    answer = prove(claim, list(norms.atoms.values()), given=[*norms.axioms, *given, *(fact for _, fact in used)])
    return (answer, sorted({lemma for lemma, _ in used})) if answer.answer == "unsat" else None


def _matrix_proof(goal: SizedRelation, hypothesis: Optional[SizedRelation], sym: _Symbolic, equal: tuple = ()) -> Optional[tuple]:
    """sympy: goal's sides agree for symbolic n (the hypothesis, when one side of it is a single opaque symbol, put
    for that symbol; each premise X == Y of `equal` whose side is a single matrix symbol, such as D[k + 1] == 0, put
    for that symbol: a product with a zero factor is then zero); the sides compared, or None."""
    import sympy

    lhs, rhs = sym.matrix(goal.lhs), sym.matrix(goal.rhs)
    for premise in equal:
        p1, p2 = sym.matrix(premise.lhs), sym.matrix(premise.rhs)
        for atom, value in ((p1, p2), (p2, p1)):
            if isinstance(atom, sympy.MatrixSymbol) and (lhs.has(atom) or rhs.has(atom)):
                lhs, rhs = lhs.xreplace({atom: value}), rhs.xreplace({atom: value})
                break
    if hypothesis is not None:
        h1, h2 = sym.matrix(hypothesis.lhs), sym.matrix(hypothesis.rhs)
        for atom, value in ((h1, h2), (h2, h1)):
            if isinstance(atom, sympy.MatrixSymbol) and sym.roles.get(atom.name) == "opaque":
                lhs, rhs = lhs.xreplace({atom: value}), rhs.xreplace({atom: value})
                break
            if _opaque_word(atom, sym):  # a product such as P g, P an opaque product: put where its factors stand in a row
                lhs, rhs = _rewrite_word(lhs, atom, value), _rewrite_word(rhs, atom, value)
                break
    if not sym.zero(lhs - rhs):
        return None
    if equal:  # under a matrix premise: the sides once the premises and the hypothesis are put in, before simplifying
        return lhs, rhs
    return sym.simplified(lhs), sym.simplified(rhs)


def _opaque_word(x: Any, sym: _Symbolic) -> bool:
    import sympy

    if not isinstance(x, sympy.MatMul):
        return False
    coeff, factors = _split(x)
    return coeff == 1 and any(isinstance(f, sympy.MatrixSymbol) and sym.roles.get(f.name) == "opaque" for f in factors)


def _rewrite_word(expr: Any, word: Any, value: Any) -> Any:
    """expr with every product that holds the factors of `word` in a row having them replaced by `value` (the
    hypothesis word = value, by associativity)."""
    import sympy

    factors = _split(word)[1]

    def change(product: Any) -> Any:
        coeff, held = _split(product)
        for i in range(len(held) - len(factors) + 1):
            if held[i:i + len(factors)] == factors:
                return sympy.MatMul(coeff, *held[:i], value, *held[i + len(factors):]).doit()
        return product

    return expr.replace(lambda e: isinstance(e, sympy.MatMul), change)


def _one(goal: SizedRelation, hypothesis: Optional[SizedRelation], sym: _Symbolic, allowed: Optional[set],
         matrix_premises: tuple = ()) -> Optional[dict]:
    """One obligation: {"pair": (lhs, rhs)} from sympy (an identity once each premise X == Y with a single matrix
    symbol as a side is put for it), or {"answer": ..., "lemmas": [...]} from z3, which may use a matrix premise
    through the norm of the difference of its sides."""
    equal = tuple(p for p in matrix_premises if p.op == "eq")
    if isinstance(goal.lhs, MatrixTerm):
        pair = _matrix_proof(goal, hypothesis, sym, equal)
        return None if pair is None else {"pair": pair}
    if goal.op == "eq" and goal.lhs.op == goal.rhs.op == "norm":  # ‖X‖ = ‖Y‖ where X = Y for every n
        inner = _matrix_proof(SizedRelation("eq", goal.lhs.args[0], goal.rhs.args[0]),
                              None if hypothesis is None or hypothesis.lhs.op != "norm" or hypothesis.rhs.op != "norm"
                              else SizedRelation("eq", hypothesis.lhs.args[0], hypothesis.rhs.args[0]), sym, equal)
        if inner is not None:
            return {"pair": inner}
    found = _norm_proof(goal, hypothesis, sym, allowed, matrix_premises)
    return None if found is None else {"answer": found[0], "lemmas": found[1]}


def prove(rel: SizedRelation, indices: Mapping[str, Domain], allowed: Optional[set] = None) -> Optional[tuple[list, dict]]:
    """The obligations that prove rel for every n (and every index the premises allow) from the allowed lemmas (every
    lemma when None), or None."""
    plain = SizedRelation(rel.op, rel.lhs, rel.rhs)
    matrix_premises = tuple(p for p in premises(rel) if isinstance(p, SizedRelation))
    shown = {"premise": " ∧ ".join(sized_text(p) for p in matrix_premises)} if matrix_premises else {}
    induction = _induction(rel, indices)
    if induction is None:  # products and gradients are then opaque matrices: an identity for all of them is one for these
        done = _one(plain, None, _Symbolic(), allowed, matrix_premises)
        unrolled = _unrolled(plain) if done is None else None
        if unrolled is not None:  # each product or gradient of a fixed number of factors written out
            done = _one(unrolled, None, _Symbolic(), allowed, matrix_premises)
            if done is not None:
                shown = {**shown, "unrolled": "each product or gradient of a fixed number of factors (at most 8) written "
                                              "as those factors"}
        if done is not None:
            return [("every n", done)], shown
        # each one with a first factor by the index premises (t < T for a gradient from t to T) as that factor times
        # the rest (its definition), the rest opaque: dl/dh_t = W_tᵀ D_{t+1} dl/dh_{t+1} for t < T
        known = [p for p in premises(rel) if isinstance(p, Term)]
        peeled = _rebuild(plain, lambda node: _peel_first(node) if _follows(_nonempty(node), known) else None)
        if peeled == plain:
            return None
        done = _one(peeled, None, _Symbolic(), allowed, matrix_premises)
        return None if done is None else ([("every n, each product or gradient with a first factor (by the index "
                                            "premises) peeled once", done)], shown)
    t, upper, peeled = induction
    # the base, t = U: an empty range is its base value; a range with a factor at U (by the index premises) peeled once
    base = _rebuild(substitute(plain, t, upper), lambda node: _base_value(node) if _empty(node) else
                    (_peel_first(node) if _key(node) in peeled else None))
    done_base = _one(base, None, _Symbolic(), allowed, matrix_premises)
    if done_base is None:
        return None
    moving = lambda node: _peel(node, t) if _key(_lower(node)) == t else None  # noqa: E731
    step = _rebuild(plain, moving)
    hypothesis = substitute(plain, t, terms.var(t) + 1)
    done_step = _one(step, hypothesis, _Symbolic(), allowed, matrix_premises)
    if done_step is None:
        return None
    how = "the empty case" if not peeled else f"the first factor at {terms.text(upper)} peeled off (the premises give one)"
    return ([(f"base: {t} = {terms.text(upper)}", done_base), (f"step: from {t} + 1 to {t}, for {t} < {terms.text(upper)}", done_step)],
            {"induction": f"on {terms.text(upper)} - {t}: {how}, then each product's or gradient's first factor "
                          f"peeled off with the statement at {t} + 1 as the hypothesis", **shown})
