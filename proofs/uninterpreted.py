"""Uninterpreted differentiable functions in statements: proved for every function, refuted by an explicit polynomial."""

from __future__ import annotations

import contextlib
import dataclasses
import fractions
import functools
import itertools
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Optional

from proofs import backends, terms
from proofs.model import ForgedWitness, Outcome, Replay
from proofs.terms import Term

if TYPE_CHECKING:
    from proofs.statement import Statement

__all__ = ["Function", "Polynomial", "functions", "uses", "decide", "replay", "interpretation", "derivative"]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclasses.dataclass(frozen=True)
class Function:
    """A differentiable function ℝⁿ → ℝ that the statement does not choose: made by the author (`Function("φ")`,
    `Function("L", 2)`); calling it builds a term. A statement using one is claimed for every such function: its values
    and derivative values at each point are free."""

    # The name the statement prints.
    name: str
    # How many arguments it takes.
    arity: int = 1
    # How often it is differentiated in each argument (all 0: the function itself); made by `prime` and `partial`.
    orders: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError("Function(name, arity) takes the name the statement prints, such as Function('φ')")
        if isinstance(self.arity, bool) or not isinstance(self.arity, int) or self.arity < 1:
            raise TypeError(f"Function({self.name!r}, arity): arity is a whole number >= 1, not {self.arity!r}")
        orders = tuple(self.orders) or (0,) * self.arity
        if len(orders) != self.arity or any(not isinstance(k, int) or k < 0 for k in orders):
            raise TypeError(f"Function {self.name!r}: orders gives a whole number >= 0 for each of its {self.arity} arguments")
        object.__setattr__(self, "orders", orders)

    def __call__(self, *args: Any) -> Term:
        if len(args) != self.arity:
            raise TypeError(f"{self} takes {self.arity} argument{'s' if self.arity > 1 else ''}, got {len(args)}")
        return Term("apply", (self, *(terms.term(a) for a in args)))

    @property
    def prime(self) -> "Function":
        """The derivative of a function of one argument: phi.prime(z) is φ'(z)."""
        if self.arity != 1:
            raise TypeError(f"{self.name} takes {self.arity} arguments: write {self.name}.partial(i) for ∂ᵢ{self.name}")
        return self.partial(1)

    def partial(self, i: int) -> "Function":
        """The partial derivative in the i-th argument, counted from 1 as in ∂₁L: L.partial(2)(a, b) is ∂₂L(a, b)."""
        if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= self.arity:
            raise TypeError(f"{self.name}.partial(i) takes an argument number from 1 to {self.arity}, not {i!r}")
        orders = list(self.orders)
        orders[i - 1] += 1
        return dataclasses.replace(self, orders=tuple(orders))

    @property
    def base(self) -> "Function":
        """The function itself, underived."""
        return dataclasses.replace(self, orders=(0,) * self.arity)

    def __str__(self) -> str:
        if self.arity == 1:
            k = self.orders[0]
            return self.name + ("'" * k if k <= 3 else f"^({k})")
        return "".join(f"∂{str(i + 1).translate(_SUBSCRIPTS)}" * k for i, k in enumerate(self.orders)) + self.name

    def describe(self) -> str:
        """What the statement quantifies over, in words."""
        return f"{self.name}: ℝ{'' if self.arity == 1 else str(self.arity).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))} → ℝ"

    __repr__ = __str__


def functions(t: Term) -> list[Function]:
    """The underived functions a term applies (directly or through a derivative), in order of first use."""
    found: dict[str, Function] = {}

    def walk(node: Term) -> None:
        if node.op == "apply":
            base = node.args[0].base
            if found.setdefault(base.name, base).arity != base.arity:
                raise TypeError(f"two functions named {base.name} in one statement, of {found[base.name].arity} and "
                                f"{base.arity} arguments: give them different names")
        for a in node.args:
            if isinstance(a, Term):
                walk(a)
    walk(t)
    return list(found.values())


def uses(t: Term) -> bool:
    """Whether a term applies an uninterpreted function."""
    return "apply" in terms.operators(t)


# --- sympy: each function and derivative an undefined function, differentiated by the chain rule -------------------

_SYMPY: dict[tuple, Any] = {}


def sympy_function(fn: Function):
    """The sympy class of a function or one of its derivatives; sympy.diff applies the chain rule, each derivative a
    function of its own whose values are free."""
    import sympy

    key = (fn.name, fn.arity, fn.orders)
    if key not in _SYMPY:
        def fdiff(self, argindex=1):
            return sympy_function(fn.partial(argindex))(*self.args)
        _SYMPY[key] = type(str(fn), (sympy.Function,), {"fdiff": fdiff, "nargs": fn.arity})
    return _SYMPY[key]


def _z3_function(fn: Function, cache: dict):
    import z3

    key = (fn.name, fn.arity, fn.orders)
    if key not in cache:
        # the prime as U+2032: an apostrophe is not a character of an SMT-LIB symbol, and the query is read back
        cache[key] = z3.Function(str(fn).replace("'", "′"), *([z3.RealSort()] * fn.arity), z3.RealSort())
    return cache[key]


def _z3_ops() -> dict:
    """z3 forms: each function and derivative an uninterpreted function of its own (unsat is then over every function)."""
    import z3

    cache: dict = {}

    def apply(fn, *args):
        return _z3_function(fn, cache)(*(z3.ToReal(a) if z3.is_int(a) else a for a in args))
    return {"apply": apply}


# --- concrete functions: polynomials with exact coefficients --------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Polynomial:
    """An explicit function that realises a counterexample or a witness: Σ c · x₁^e₁ ⋯ xₙ^eₙ, exact coefficients."""

    # How many arguments.
    arity: int
    # (exponents, coefficient) pairs.
    terms: tuple

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - polynomials are few, frozen and small
    def derivative(self, orders: tuple) -> "Polynomial":
        out = []
        for exponents, c in self.terms:
            coefficient, new = fractions.Fraction(c), []
            for e, k in zip(exponents, orders):
                if e < k:
                    coefficient = fractions.Fraction(0)
                    break
                for j in range(k):
                    coefficient *= e - j
                new.append(e - k)
            if coefficient:
                out.append((tuple(new), coefficient))
        return Polynomial(self.arity, tuple(out))

    def value(self, args):
        """The value at exact numbers (Fractions, or sympy numbers where the arguments are)."""
        if all(isinstance(a, (int, fractions.Fraction)) and not isinstance(a, bool) for a in args):
            exact = sum((c * _product(args, exponents) for exponents, c in self.terms), fractions.Fraction(0))
            return fractions.Fraction(exact)
        total: Any = fractions.Fraction(0)
        for exponents, c in self.terms:
            product: Any = fractions.Fraction(c)
            for a, e in zip(args, exponents):
                for _ in range(e):
                    product = backends._exact(product * a)
            total = backends._exact(total + product)
        return total

    def text(self, names: tuple) -> str:
        parts = []
        for exponents, c in self.terms:
            powers = "·".join(n if e == 1 else f"{n}^{e}" for n, e in zip(names, exponents) if e)
            parts.append(f"{c}" if not powers else powers if c == 1 else f"-{powers}" if c == -1 else f"{c}·{powers}")
        return " + ".join(parts).replace("+ -", "- ") or "0"

    def to_witness(self) -> list:
        return [[list(e), str(c)] for e, c in self.terms]

    @classmethod
    def from_witness(cls, arity: int, data: Any, name: str) -> "Polynomial":
        if not isinstance(data, (list, tuple)) or len(data) > 64:
            raise ForgedWitness(f"the function {name} is given as a list of [exponents, coefficient] pairs, got {data!r}")
        out = []
        for item in data:
            if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], (list, tuple)) \
                    or len(item[0]) != arity or any(isinstance(e, bool) or not isinstance(e, int) or not 0 <= e <= 12
                                                    for e in item[0]):
                raise ForgedWitness(f"{name}: each term is [[{arity} exponents from 0 to 12], coefficient], got {item!r}")
            try:
                c = fractions.Fraction(str(item[1]))
            except (ValueError, ZeroDivisionError):
                raise ForgedWitness(f"{name}: the coefficient {item[1]!r} is not an exact number") from None
            out.append((tuple(item[0]), c))
        return cls(arity, tuple(out))


def _product(args, exponents) -> fractions.Fraction:
    out = fractions.Fraction(1)
    for a, e in zip(args, exponents):
        if e:
            out *= fractions.Fraction(a) ** e
    return out


def candidates(fn: Function, count: int = 6, shift: int = 0) -> list[Polynomial]:
    """A few generic polynomials of degree <= 3 for a function (distinct coefficients, no symmetry an identity that
    fails could hide behind): the first is simple, so a counterexample usually reads easily."""
    monomials = sorted((e for e in itertools.product(range(4), repeat=fn.arity) if sum(e) <= 3), key=lambda e: (sum(e), e))
    out = []
    for c in range(count):
        chosen = []
        for m, exponents in enumerate(monomials):
            if c == 0:  # x² + (shift + 1)/2 · x (in the first argument's square and each argument)
                coefficient = fractions.Fraction(1 if exponents == (2,) + (0,) * (fn.arity - 1) else 0) + \
                    (fractions.Fraction(shift + 1 + m, 2) if sum(exponents) == 1 else 0)
            else:
                coefficient = fractions.Fraction((-1) ** (m + c + shift) * (2 * m + c + shift + 1), m + c + 2)
            if coefficient:
                chosen.append((exponents, coefficient))
        out.append(Polynomial(fn.arity, tuple(chosen)))
    return out


# The functions the exact evaluation reads while an `interpretation(...)` block runs: name -> Polynomial.
_CURRENT: Optional[Mapping[str, Polynomial]] = None


@contextlib.contextmanager
def interpretation(chosen: Mapping[str, Polynomial]) -> Iterator[None]:
    """Evaluate statements in exact arithmetic with these functions in place of the uninterpreted ones."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, dict(chosen)
    try:
        yield
    finally:
        _CURRENT = previous


def exact_apply(fn: Function, args: tuple):
    """The value of fn (or its derivative) at exact numbers, under the current interpretation; Unsupported without one."""
    if _CURRENT is None or fn.name not in _CURRENT:
        raise terms.Unsupported(f"the uninterpreted function {fn.name} has no value without a concrete function")
    return _CURRENT[fn.name].derivative(fn.orders).value(args)


# --- deciding -------------------------------------------------------------------------------------------------------

def _interpretations(fns: list[Function]) -> list[dict]:
    """Several concrete choices of every function: each function its own candidates, shifted so that two functions
    are not the same polynomial."""
    per = [candidates(fn, shift=j) for j, fn in enumerate(fns)]
    return [{fn.name: per[j][c] for j, fn in enumerate(fns)} for c in range(len(per[0]))] if fns else [{}]


def _points(stmt: Statement, relation: Term) -> list[dict]:
    from proofs import decision, probes

    scalars = stmt.scalars()
    points = list(decision._points(scalars))
    try:
        points += probes.boundary_points(relation, scalars)
    except Exception:  # noqa: BLE001 - a boundary the probes cannot read adds no point; the others still count
        pass
    return points or [{}]


def _applied(relation: Term, point: Mapping[str, Any]) -> dict:
    """The values of every function the relation applies, and of their first derivatives, at the (rational)
    arguments it reads at the point, under the current interpretation, as {"φ'(1/2)": value}: what a person checks a
    counterexample with."""
    out: dict = {}

    def walk(node: Term) -> None:
        if node.op == "apply":
            fn = node.args[0]
            try:
                at = [backends.exact_value(a, point) for a in node.args[1:]]
            except (backends.Undefined, backends.Undecided, KeyError, ValueError, terms.Unsupported, ArithmeticError):
                at = None
            if at is not None and all(isinstance(a, (int, fractions.Fraction)) for a in at):
                for variant in (fn, *(fn.partial(i + 1) for i in range(fn.arity))):
                    key = f"{variant}({', '.join(str(fractions.Fraction(a)) for a in at)})"
                    out.setdefault(key, _shown(exact_apply(variant, tuple(at))))
        for a in node.args:
            if isinstance(a, Term):
                walk(a)
    walk(relation)
    return out


def _shown(v: Any) -> Any:
    from proofs.probes import witness_value

    return witness_value(v)


def _witness(stmt: Statement, point: Mapping[str, Any], chosen: Mapping[str, Polynomial], relation: Term) -> dict:
    from proofs import decision

    with interpretation(chosen):
        values = _applied(relation, point)
    shown = {name: {"polynomial": p.text(_names(p.arity)), "coefficients": p.to_witness()} for name, p in chosen.items()}
    return {**decision._witness(stmt, point), "functions": shown, "values": values}


def _search(stmt: Statement, relation: Term, wanted: bool) -> Optional[tuple[dict, dict, int]]:
    """The first (point, functions) where the relation's truth is `wanted` (False: a counterexample; True: a witness),
    and how many evaluations it took; None where none of the tries gives it."""
    from proofs import decision

    required = decision._required(relation)
    count = 0
    points = _points(stmt, relation)
    for chosen in _interpretations(functions(relation)):
        for point in points:
            count += 1
            try:
                with interpretation(chosen):
                    holds = decision._holds(relation, required, point)
            except (backends.Undecided, ValueError, ZeroDivisionError, terms.Unsupported):
                continue
            if holds == wanted:
                return point, chosen, count
    return None, None, count  # type: ignore[return-value]


def _defined(stmt: Statement, relation: Term) -> tuple[bool, list]:
    """Whether every condition of the relation is shown for every function: z3 with the functions uninterpreted, or
    sympy simplifying it to true."""
    import sympy
    import z3

    from proofs import decision
    from proofs.identities import symbol
    from proofs.solvers.smt import prove

    how = []
    scalars = stmt.scalars()
    for condition in decision._required(relation):
        try:
            env, given = decision._z3_domains(scalars)
            answer = prove(backends.to_z3(condition.holds, env, universal=True, functions=_z3_ops()),
                           list(env.values()), given=given)
            if answer.answer == "unsat":
                how.append(f"{terms.text(condition.holds)}: z3, every function")
                continue
        except (terms.Unsupported, z3.Z3Exception):
            pass
        try:
            symbols = {name: symbol(name, dom, elements=True) for name, dom in scalars.items()}
            if backends.to_sympy(condition.holds, symbols) is sympy.true:
                how.append(f"{terms.text(condition.holds)}: sympy")
                continue
        except (terms.Unsupported, TypeError, ValueError, AttributeError):
            pass
        return False, [f"not shown for every function that {terms.text(condition.holds)} ({condition.failure} where it fails)"]
    return True, how


def _scope(relation: Term) -> str:
    return "every differentiable " + ", ".join(fn.describe() for fn in functions(relation)) + \
        " (values and derivative values free)"


def derivative(t: Term, name: str) -> Optional[Term]:
    """d t / d name as a term, by the rules of +, -, ·, /, whole powers and the chain rule through the functions
    (f(a, b) gives ∂₁f(a, b)·a' + ∂₂f(a, b)·b'); None where t has another operator (exp, |·|, a sum, ...)."""
    op, args = t.op, t.args
    if op == "var":
        return terms.const(1 if args[0] == name else 0)
    if op in ("const", "param", "bool") or name not in terms.variables(t):
        return terms.const(0)
    if op == "diff":
        inner = _without_diffs(t)
        return None if inner is None else derivative(inner, name)
    if op == "apply":
        fn, parts = args[0], args[1:]
        out = None
        for i, a in enumerate(parts):
            slope = derivative(a, name)
            if slope is None:
                return None
            if name in terms.variables(a):
                piece = fn.partial(i + 1)(*parts) * slope
                out = piece if out is None else out + piece
        return out if out is not None else terms.const(0)
    inner = [derivative(a, name) for a in args if isinstance(a, Term)]
    if any(d is None for d in inner):
        return None
    if op in ("add", "sub"):
        return Term(op, (inner[0], inner[1]))
    if op == "neg":
        return -inner[0]
    if op == "mul":
        return inner[0] * args[1] + args[0] * inner[1]
    if op == "div":
        return (inner[0] * args[1] - args[0] * inner[1]) / (args[1] * args[1])
    if op == "pow":
        k = args[1].args[0] if args[1].op == "const" else None
        if k is None or fractions.Fraction(k).denominator != 1 or name in terms.variables(args[1]):
            return None
        return terms.const(int(k)) * args[0] ** (int(k) - 1) * inner[0] if k != 0 else terms.const(0)
    return None


def _without_diffs(t: Term) -> Optional[Term]:
    """The term with every derivative written out by `derivative`; None where one cannot be."""
    if t.op == "diff":
        body = _without_diffs(t.args[0])
        return None if body is None else derivative(body, t.args[1].args[0])
    if not any(isinstance(a, Term) for a in t.args) or t.op in (*terms.QUANTIFIERS, "sum", "all"):
        return t if "diff" not in terms.operators(t) else None
    args = []
    for a in t.args:
        out = _without_diffs(a) if isinstance(a, Term) else a
        if out is None:
            return None
        args.append(out)
    return Term(t.op, tuple(args))


def _z3_valid(stmt: Statement, relation: Term):
    """z3 with every function and derivative uninterpreted, each derivative written out by the chain rule first:
    unsat holds for every function (the derivatives' values are free there, which only widens what z3 considers)."""
    import z3

    from proofs import decision
    from proofs.solvers.smt import prove

    written = _without_diffs(relation)
    if written is None or terms.operators(written) & terms.NUMERIC_ONLY:
        return None
    try:
        env, given = decision._z3_domains(stmt.scalars())
        answer = prove(backends.to_z3(written, env, functions=_z3_ops()), list(env.values()), given=given)
    except (terms.Unsupported, z3.Z3Exception):
        return None
    return answer if answer.answer == "unsat" else None


def _bound(stmt: Statement, relation: Term, quantifier: str = ""):
    """The relation with its variables and its functions bound, as the helpers record what they decided: the
    functions printed with their signatures (ℝ → ℝ), as z3 prints its uninterpreted ones."""
    from proofs import interpret
    from proofs.domains import Domain

    over = {**stmt.domains, **{fn.name: Domain(fn.describe().split(": ", 1)[1], "real") for fn in functions(relation)}}
    return interpret.quantified(relation, quantifier or stmt.quantifier, over)


def _negation(relation: Term) -> Optional[Term]:
    """¬relation built from equations, where the relation is built from ≠ with ∧ and ∨ (else None)."""
    if relation.op == "ne":
        return Term("eq", relation.args)
    if relation.op in ("and", "or"):
        parts = [_negation(a) for a in relation.args]
        return None if any(p is None for p in parts) else Term("or" if relation.op == "and" else "and", tuple(parts))
    return None


def _identity(target: Term, scalars) -> bool:
    """Whether the target (equations with ∧ and ∨) holds for every function and point: a disjunction by one of its
    parts, a conjunction by each, an equation as a sympy identity in the free values and derivative values."""
    from proofs.identities import identity

    if target.op == "or":
        return any(_identity(a, scalars) for a in target.args)
    if target.op == "and":
        return all(_identity(a, scalars) for a in target.args)
    return bool(identity(target, scalars))


def decide(stmt: Statement, params: Mapping[str, Any]) -> Outcome:
    """A statement over uninterpreted functions. ∀: refuted by a concrete polynomial and point where it fails (found
    by exact evaluation, replayed the same way); proved where every condition holds for every function and the
    relation is a sympy identity in the free values and derivative values (or z3 unsat with the functions
    uninterpreted). ∃: shown by a polynomial and point where it holds; refuted where its negation (a conjunction of
    equations) is such an identity. Anything else is unknown."""
    from proofs import interpret
    from proofs.identities import identity
    from proofs.solvers.symbolic import IdentityAnswer

    relation = stmt.term(params, named=True)
    valued = stmt.term(params, named=False)
    bound = _bound(stmt, valued)
    evidence: dict[str, Any] = {"statement": {"math": terms.tree(relation), "text": stmt.formal(params)},
                                "functions": _scope(relation)}
    universal = stmt.quantifier == "forall"
    point, chosen, count = _search(stmt, relation, not universal)
    if point is not None:
        witness = _witness(stmt, point, chosen, relation)
        said = (f"it {'fails' if universal else 'holds'} for " + ", ".join(
            f"{name}({', '.join(_names(p.arity))}) = {p.text(_names(p.arity))}" for name, p in chosen.items())
            + (f" at {backends.point_text(point)}" if point else ""))
        return interpret.computed(not universal, witness=witness, method="exact arithmetic, explicit functions",
                                  evidence={**evidence, "evaluations": count}, reason=said, failure=said, statement=bound)
    evidence["not_refuted_by"] = f"{count} exact evaluations with explicit polynomials in place of the functions"
    target = relation if universal else _negation(relation)
    if target is None:
        return interpret.undecided("sympy", evidence, "no polynomial and point satisfies it, and its negation is not a "
                                   "conjunction of equations to prove for every function", statement=bound)
    defined, how = _defined(stmt, target)
    if not defined:
        return interpret.undecided("sympy", evidence, how[0], statement=bound)
    if how:
        evidence["conditions_proved"] = how
    scope = evidence
    if (identity(target, stmt.scalars()) if universal else _identity(target, stmt.scalars())):
        if universal:
            return interpret.identity(IdentityAnswer(True, "0 in the free values and derivative values"), evidence=scope,
                                      statement=bound)
        certificate = {"certificate": f"for every function and point: {terms.text(target)} (sympy identity)"}
        return interpret.computed(False, witness=certificate, method="sympy", evidence=scope,
                                  failure="no point and no function satisfies it: its negation is an identity",
                                  statement=_bound(stmt, target, "forall"))
    answer = _z3_valid(stmt, relation) if universal else None
    if answer is not None:
        return interpret.validity(answer, evidence=scope)
    return interpret.undecided("sympy", evidence, "not an identity in the free values and derivative values, and no "
                               "polynomial and point refutes it", statement=bound)


def replay(stmt: Statement, witness: Mapping[str, Any], params: Mapping[str, Any]) -> Replay:
    """The statement in exact arithmetic with the witness's polynomials in place of its functions, after checking the
    witness: every function given with its arity, the values it lists recomputed from them, the point in the domains.
    A certificate (∃ refuted) is checked by proving the negation again."""
    from proofs import decision

    relation = stmt.term(params, named=True)
    if not isinstance(witness, Mapping):
        raise ForgedWitness(f"a witness is a mapping, not {type(witness).__name__}")
    if set(witness) == {"certificate"}:
        if stmt.quantifier != "exists":
            raise ForgedWitness("a universal statement is refuted by a counterexample, not a certificate")
        target = _negation(relation)
        holds = target is not None and _defined(stmt, target)[0] and _identity(target, stmt.scalars())
        return Replay(not holds, {"the negation is an identity, proved again": holds})
    fns = {fn.name: fn for fn in functions(relation)}
    given = witness.get("functions")
    if not isinstance(given, Mapping) or set(given) != set(fns):
        raise ForgedWitness(f"the witness gives the functions {sorted(fns)} under 'functions', each as "
                            "{'coefficients': [[exponents], coefficient], ...]}")
    chosen = {}
    for name, fn in fns.items():
        entry = given[name]
        data = entry.get("coefficients") if isinstance(entry, Mapping) else entry
        chosen[name] = Polynomial.from_witness(fn.arity, data, name)
    point = decision._flatten(stmt, {k: v for k, v in witness.items() if k not in ("functions", "values")})
    with interpretation(chosen):
        values = witness.get("values", {})
        if not isinstance(values, Mapping):
            raise ForgedWitness(f"the witness's values are a mapping such as {{\"φ'(1/2)\": 3/4}}, not {values!r}")
        for key, stated in values.items():
            try:
                variant = next(f for f in _variants(fns.values()) if str(key).startswith(f"{f}(") and str(key).endswith(")"))
                at = tuple(fractions.Fraction(a.strip()) for a in str(key)[len(str(variant)) + 1:-1].split(","))
                value = exact_apply(variant, at)
                same = fractions.Fraction(str(stated)) == value
            except (StopIteration, TypeError, ValueError, ZeroDivisionError, IndexError):
                raise ForgedWitness(f"the listed value {key} = {stated!r} is not one of the witness's functions at "
                                    "exact numbers") from None
            if not same:
                raise ForgedWitness(f"{key} is {_shown(value)} for the witness's polynomial, not {stated}")
        out = decision._evaluate(stmt, relation, point)
    sides = {**out.sides, "functions": {n: p.text(_names(p.arity)) for n, p in chosen.items()}}
    return Replay(out.holds, sides)


def _names(arity: int) -> tuple:
    return ("x",) if arity == 1 else tuple(f"x{i + 1}" for i in range(arity))


def _variants(fns) -> Iterator[Function]:
    """Each function and its derivatives of order up to 3 (those a witness lists values of)."""
    for fn in fns:
        for orders in itertools.product(range(4), repeat=fn.arity):
            if sum(orders) <= 3:
                yield dataclasses.replace(fn, orders=orders)
