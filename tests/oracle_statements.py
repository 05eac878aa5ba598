"""Generated statements whose truth is known without the engine: an oracle for the statement API's verdicts.

Each case is drawn from a small generator AST (tuples), turned into a `@forall` / `@exists` claim through the public
API, and given its truth here: built true by algebra (polynomial products expanded by the arithmetic below, closed
forms of sums, derivatives by the rules below, identities of max, min, |·| and relu), or made false by a planted change
confirmed at a witness point by `value`, a plain evaluator of the AST (Python fractions; floats with a wide margin for
exp, log, tanh, sigmoid and sqrt) that shares no code with the engine.

`draw` is anything with `int(lo, hi)` and `pick(seq)`: a Hypothesis adapter in the tests, a seeded random.Random in
benchmarks/soundness.py.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from fractions import Fraction as F
from typing import Callable, Optional

from proofs import Function, terms
from proofs.domains import Indexed, Int, Interval, IntRange, Matrix, Nat, Positive, Real, Vector
from proofs.statement import exists, forall

KINDS = ("polynomial", "rational", "transcendental", "sum", "nested_sum", "derivative", "kink", "piecewise", "vector",
         "exists", "ranges", "conditional", "nested", "unique", "induction", "uninterpreted", "limit", "sized",
         "recurrence")


class Undef(ArithmeticError):
    """The plain evaluator: the term has no value (or no derivative) at the point."""


class Unsure(Exception):
    """The plain evaluator cannot tell at this point (floats too close to call, quotients that do not settle)."""


@dataclasses.dataclass
class Case:
    kind: str
    name: str
    quantifier: str
    domains: dict
    relation: tuple  # the generator's AST of the relation
    truth: bool
    witness: Optional[dict] = None  # for a false universal statement: where it fails (confirmed by `value`)
    ordinary: bool = True  # a true statement a course would write, whose unknown counts against the engine
    stated: Optional[dict] = None  # stated values (keyword parameters with defaults), for a statement that has them

    def claim(self):
        """The statement as a claim, built through the public API from the AST."""
        relation = self.relation
        domains = self.domains

        stated = self.stated or {}

        def body(**args):
            return term_of(relation, args)
        body.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=d) for n, d in domains.items()]
            + [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=v) for n, v in stated.items()])
        make = forall if self.quantifier == "forall" else exists
        return make(f"oracle.ex1.a.{self.name}", f"generated {self.kind} statement")(body)


# --- the AST: ("var", name) ("const", q) ("add", a, b) ("sub", a, b) ("mul", a, b) ("div", a, b) ("neg", a)
# ("pow", a, k) ("exp"|"log"|"sqrt"|"tanh"|"sigmoid"|"abs"|"relu", a) ("max"|"min", a, b) ("ite", rel, a, b)
# ("sum", index, body, lo, hi) ("diff", a, name) ("at", vector name, i) ("dot", us, vs)
# relations: ("eq"|"ne"|"le"|"lt"|"ge"|"gt", a, b) ("implies", rel, rel)

def V(name): return ("var", name)
def C(q): return ("const", F(q))
def add(a, b): return ("add", a, b)
def sub(a, b): return ("sub", a, b)
def mul(a, b): return ("mul", a, b)


def term_of(node: tuple, env: dict):
    op = node[0]
    if op == "var":
        return env[node[1]]
    if op == "const":
        return node[1] if node[1].denominator != 1 else int(node[1])
    if op == "at":
        return env[node[1]][node[2]]
    if op == "mat":
        return env[node[1]][node[2]][node[3]]
    if op == "seq":  # x[i] of a sequence variable, numbered from 1
        return env[node[1]][term_of(node[2], env)]
    if op == "rec":  # ("rec", state, letter, step, initial, sequence, index): step's state and letter are its names
        _, state, letter, step, initial, sequence, index = node
        namespace: dict = {}
        exec(f"def f({state}, {letter}): return build({state}, {letter})",
             {"build": lambda h, a: term_of(step, {**env, state: h, letter: a})}, namespace)
        return terms.recurrence(namespace["f"], term_of(initial, env), env[sequence])[term_of(index, env)]
    if op == "dot":
        return terms.dot([term_of(a, env) for a in node[1]], [term_of(b, env) for b in node[2]])
    if op == "sum":
        _, index, body, lo, hi = node
        return terms.summation(_lambda(index, body, env), term_of(lo, env), term_of(hi, env))
    if op == "diff":
        return terms.diff(term_of(node[1], env), env[node[2]])
    if op in ("fn", "dfn"):  # an uninterpreted function of one argument, or its derivative
        fn = Function(node[1])
        return (fn if op == "fn" else fn.prime)(term_of(node[2], env))
    if op in ("some", "every"):
        _, index, over, body = node
        domain = {("real",): Real, ("positive",): Positive}.get(over) or IntRange(over[1], over[2])
        return (terms.some if op == "some" else terms.every)(domain, _lambda(index, body, env))
    if op == "unique":
        _, index, over, condition, stated = node
        domain = {("real",): Real, ("positive",): Positive}.get(over) or IntRange(over[1], over[2])
        return terms.unique(domain, _lambda(index, condition, env), term_of(stated, env))
    if op == "limit":
        _, index, body, point, _spec = node
        return terms.limit(_lambda(index, body, env), terms.oo if point == "oo" else -terms.oo)
    if op == "powlimit":  # ("powlimit", variable, base[, -1]): lim_{variable → ∞} base^variable (→ -∞ with -1)
        index, base, towards = node[1], node[2], (node[3] if len(node) > 3 else 1)
        return terms.limit(lambda w: terms.term(term_of(base, {**env, index: w})) ** w,
                           terms.oo if towards > 0 else -terms.oo)
    if op == "plimit":  # ("plimit", variable, body, a finite point, the limit or None)
        _, index, body, point, _spec = node
        return terms.limit(_lambda(index, body, env), point if point.denominator != 1 else int(point))
    if op == "fpow":  # ("fpow", base, a Fraction exponent)
        return term_of(node[1], env) ** node[2]
    args = [term_of(a, env) if isinstance(a, tuple) else a for a in node[1:]]
    table = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
             "neg": lambda a: -a, "pow": lambda a, k: a ** k, "exp": terms.exp, "log": terms.log, "sqrt": terms.sqrt,
             "tanh": terms.tanh, "sigmoid": terms.sigmoid, "softplus": terms.softplus, "abs": abs, "relu": terms.relu, "max": terms.maximum,
             "min": terms.minimum, "ite": terms.ite, "eq": lambda a, b: terms.term(a) == b,
             "ne": lambda a, b: terms.term(a) != b, "le": lambda a, b: terms.term(a) <= b,
             "lt": lambda a, b: terms.term(a) < b, "ge": lambda a, b: terms.term(a) >= b,
             "gt": lambda a, b: terms.term(a) > b, "implies": terms.implies, "and": lambda a, b: a & b,
             "not": lambda a: ~a}
    return table[op](*args)


def _lambda(index: str, body: tuple, env: dict) -> Callable:
    namespace: dict = {}
    exec(f"def f({index}): return build({index})", {"build": lambda i: term_of(body, {**env, index: i})}, namespace)
    return namespace["f"]


# --- the plain evaluator -----------------------------------------------------------------------------------------

def value(node: tuple, env: dict):
    """The node's value at the point: a Fraction where the arithmetic is rational, a float otherwise; Undef where
    it has none. Relations give bools."""
    op = node[0]
    if op == "var":
        return env[node[1]]
    if op == "const":
        return node[1]
    if op == "at":
        return env[node[1]][node[2]]
    if op == "mat":
        return env[node[1]][node[2]][node[3]]
    if op == "seq":
        k = value(node[2], env)
        if k.denominator != 1 or not 1 <= k <= len(env[node[1]]):
            raise Unsure("an element the witness does not carry")
        return env[node[1]][int(k) - 1]
    if op == "rec":  # run step by step from the initial value over x_1, ..., x_t
        _, state, letter, step, initial, sequence, index = node
        k, h = value(index, env), value(initial, env)
        if k.denominator != 1 or not 0 <= k <= len(env[sequence]):
            raise Unsure("a step the witness does not carry")
        for a in env[sequence][:int(k)]:
            h = value(step, {**env, state: h, letter: F(a)})
        return h
    if op == "dot":
        return sum((value(a, env) * value(b, env) for a, b in zip(node[1], node[2])), F(0))
    if op == "sum":
        _, index, body, lo, hi = node
        low, high = value(lo, env), value(hi, env)
        return sum((value(body, {**env, index: F(i)}) for i in range(int(low), int(high) + 1)), F(0))
    if op == "diff":
        return derivative_value(node[1], node[2], env)
    if op in ("fn", "dfn"):  # the oracle's own function in place of an uninterpreted one
        return UNINTERPRETED[node[1]][0 if op == "fn" else 1](value(node[2], env))
    if op == "implies":
        return (not value(node[1], env)) or value(node[2], env)
    if op == "not":
        return not value(node[1], env)
    if op in ("some", "every"):
        return _quantified(node, env)
    if op == "unique":
        return _unique(node, env)
    if op == "limit":
        return _limit(node, env)
    if op == "powlimit":
        return _power_limit_value(node, env)
    if op == "plimit":
        _, index, body, point, spec = node
        approx = _side_limits(body, index, point, env)
        if spec is None or abs(approx - float(spec)) > 1e-3:
            raise Unsure("the limit as built and the one-sided values disagree")
        return spec
    if op == "fpow":  # a fractional power: a value for a positive base, or 0 to a positive power
        base, k = value(node[1], env), node[2]
        if base < 0 or (base == 0 and k < 0):
            raise Undef("fractional power")
        if isinstance(base, F) and base:  # exact where the root is rational: 4^(1/2) is 2, not a float near it
            root = _root(base ** k.numerator, k.denominator)
            if root is not None:
                return root
        return float(base) ** float(k) if base else 0 * base
    if op == "and":
        return bool(value(node[1], env)) and bool(value(node[2], env))
    if op == "ite":
        return value(node[2], env) if value(node[1], env) else value(node[3], env)
    a = value(node[1], env)
    if op in ("neg", "exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "abs", "relu"):
        if op == "neg":
            return -a
        if op == "abs":
            return a if a >= 0 else -a
        if op == "relu":
            return a if a > 0 else 0 * a
        if op == "log":
            if a <= 0:
                raise Undef("log")
            return math.log(a)
        if op == "sqrt":
            if a < 0:
                raise Undef("sqrt")
            r = math.isqrt(a.numerator) if isinstance(a, F) else None
            if isinstance(a, F) and r * r == a.numerator and math.isqrt(a.denominator) ** 2 == a.denominator:
                return F(r, math.isqrt(a.denominator))
            return math.sqrt(a)
        return {"exp": math.exp, "tanh": math.tanh, "sigmoid": lambda t: 1 / (1 + math.exp(-t)),
                "softplus": lambda t: max(float(t), 0.0) + math.log1p(math.exp(-abs(float(t))))}[op](a)
    if op == "pow":
        k = node[2]
        if k < 0 and a == 0:
            raise Undef("pow")
        return a ** k
    b = value(node[2], env)
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        if b == 0:
            raise Undef("division by zero")
        return a / b
    if op == "max":
        return a if a >= b else b
    if op == "min":
        return a if a <= b else b
    if op in ("eq", "ne"):
        same = a == b if isinstance(a, F) and isinstance(b, F) else abs(float(a) - float(b)) < 1e-9
        if not (isinstance(a, F) and isinstance(b, F)) and 1e-9 <= abs(float(a) - float(b)) < 1e-3:
            raise Unsure("too close to call in floats")
        return same if op == "eq" else not same
    return {"le": a <= b, "lt": a < b, "ge": a >= b, "gt": a > b}[op]


def _root(q: F, n: int) -> Optional[F]:
    """The positive n-th root of a positive fraction where it is a fraction, else None."""
    def whole(m: int) -> Optional[int]:
        r = round(m ** (1 / n))
        return next((c for c in (r - 1, r, r + 1) if c >= 0 and c ** n == m), None)
    top, bottom = whole(q.numerator), whole(q.denominator)
    return None if top is None or bottom is None else F(top, bottom)


def _mentions(node, name: str) -> bool:
    if isinstance(node, tuple) and node[:2] == ("var", name):
        return True
    return isinstance(node, tuple) and any(_mentions(part, name) for part in node[1:] if isinstance(part, tuple))


def _quantified(node: tuple, env: dict) -> bool:
    """∃ / ∀ over a range of integers by trying each; over ℝ only for the few bodies whose truth is known here: a
    body without the variable, y·y = t (some y iff t ≥ 0), y > t or y < t (always some), t ≤ y·y (every y iff t ≤ 0),
    t ≤ y or y ≤ t (never every)."""
    op, name, over, body = node
    if over[0] == "range":
        results = [holds(body, {**env, name: F(k)}) for k in range(over[1], over[2] + 1)]
        return any(results) if op == "some" else all(results)
    if not _mentions(body, name):
        return holds(body, env)
    y = ("var", name)
    roots = _roots(body[1][1], y) if op == "every" and body[0] == "implies" and body[1][0] == "eq" and body[1][2] == C(0) \
        and body[2][:2] == ("eq", y) and not _mentions(body[2][2], name) else None
    if roots is not None:  # every y with (y - r1)(y - r2)... = 0 is v: each root in the domain is v
        inside = [r for r in roots if over == ("real",) or r > 0]
        return all(r == value(body[2][2], env) for r in inside)
    rel, left, right = body if len(body) == 3 else (None, None, None)
    square = ("mul", y, y)
    if op == "some" and rel == "eq" and left == square and not _mentions(right, name):
        return value(right, env) >= 0
    if op == "some" and rel == "eq" and left == ("sigmoid", y) and not _mentions(right, name):  # σ takes (0, 1)
        return 0 < value(right, env) < 1
    if op == "some" and rel in ("gt", "lt") and y in (left, right) and not _mentions(right if left == y else left, name):
        return True
    if op == "every" and rel == "le" and right == square and not _mentions(left, name):
        return value(left, env) <= 0
    if op == "every" and rel == "le" and y in (left, right) and not _mentions(right if left == y else left, name):
        return False
    raise Unsure("a quantifier over ℝ whose body is not one of the known forms")


def _unique(node: tuple, env: dict) -> bool:
    """unique(domain, condition, v): v lies in the domain and satisfies the condition, and no other point of the domain
    does; a point where the condition has no value does not satisfy it. Over ℝ only for conditions P/Q = 0 with P and
    Q products of factors y - r (the roots of P that are not roots of Q) or 1/(y - s) = c (y = s + 1/c, c ≠ 0)."""
    _, name, over, condition, stated = node
    v = value(stated, env)
    if over[0] == "range":
        inside = v.denominator == 1 and over[1] <= v <= over[2]
        solutions = [F(k) for k in range(over[1], over[2] + 1) if holds(condition, {**env, name: F(k)})]
    else:
        inside = over == ("real",) or v > 0
        y = ("var", name)
        rel, left, right = condition
        if rel != "eq" or left[0] != "div":
            raise Unsure("a unique over ℝ whose condition is not one of the known forms")
        top, bottom = _roots(left[1], y), _roots(left[2], y)
        if right == C(0) and top is not None and bottom is not None:
            candidates = [r for r in top if r not in bottom]
        elif left[1] == C(1) and bottom is not None and len(bottom) == 1 and right[0] == "const" and right[1] != 0:
            candidates = [bottom[0] + 1 / right[1]]
        else:
            raise Unsure("a unique over ℝ whose condition is not one of the known forms")
        solutions = [r for r in candidates if over == ("real",) or r > 0]
    return inside and holds(condition, {**env, name: v}) and all(r == v for r in solutions)


def _roots(node, y) -> Optional[list]:
    """The roots of a product of factors y - r (r a number), or None for any other form."""
    if node[0] == "mul":
        left, right = _roots(node[1], y), _roots(node[2], y)
        return None if left is None or right is None else left + right
    if node[0] == "sub" and node[1] == y and node[2][0] == "const":
        return [node[2][1]]
    return None


def derivative_value(node: tuple, name: str, env: dict) -> float:
    """The derivative at the point, from exact one-sided difference quotients (Richardson-extrapolated, so their
    error is of the order of the step squared): both sides must settle to one value, or there is no derivative."""
    x = env[name]
    here = value(node, env)

    def quotient(h):
        return (value(node, {**env, name: x + h}) - here) / h

    slopes = []
    for side in (1, -1):
        h = side * F(1, 10 ** 6)
        coarse, fine = quotient(h), quotient(h / 2)
        if abs(float(coarse * h)) > 1e-3 and abs(float(fine * h / 2)) > 1e-3:  # the value jumps: no derivative
            raise Undef("a jump")
        if abs(float(coarse) - float(fine)) > 1e-3 * (1 + abs(float(fine))):
            raise Unsure("no settled one-sided slope")
        slopes.append(float(2 * fine - coarse))
    gap = abs(slopes[0] - slopes[1])
    if gap > 1e-2 * (1 + abs(slopes[0])):
        raise Undef("one-sided slopes differ")
    if gap > 1e-6 * (1 + abs(slopes[0])):
        raise Unsure("one-sided slopes not settled")
    return (slopes[0] + slopes[1]) / 2


def holds(relation: tuple, env: dict) -> bool:
    """Whether the relation holds at the point (no value there counts as failing); Unsure where floats cannot tell."""
    try:
        return bool(value(relation, env))
    except Undef:
        return False


def fails(relation: tuple, env: dict) -> bool:
    """Whether the point is a counterexample the plain evaluator is sure of."""
    try:
        return not holds(relation, env)
    except Unsure:
        return False


# --- polynomials, by their own arithmetic ---------------------------------------------------------------------------

def poly_mul(p: dict, q: dict) -> dict:
    out: dict = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(a + b for a, b in zip(m1, m2))
            out[m] = out.get(m, F(0)) + c1 * c2
    return {m: c for m, c in out.items() if c != 0}


def poly_node(p: dict, names: tuple) -> tuple:
    node = None
    for mono, c in sorted(p.items()):
        piece = C(c)
        for name, e in zip(names, mono):
            if e:
                piece = mul(piece, ("pow", V(name), e) if e > 1 else V(name))
        node = piece if node is None else add(node, piece)
    return node if node is not None else C(0)


def random_poly(draw, names: tuple, degree: int = 2, terms_: int = 3) -> dict:
    p: dict = {}
    for _ in range(draw.int(1, terms_)):
        mono = tuple(draw.int(0, degree) for _ in names)
        if sum(mono) > degree:
            mono = tuple(0 for _ in names)
        p[mono] = p.get(mono, F(0)) + F(draw.pick((-3, -2, -1, 1, 2, 3)), draw.pick((1, 1, 2)))
    return {m: c for m, c in p.items() if c != 0} or {tuple(0 for _ in names): F(1)}


def poly_diff(p: dict, k: int) -> dict:
    out = {}
    for mono, c in p.items():
        if mono[k]:
            m = list(mono)
            m[k] -= 1
            out[tuple(m)] = out.get(tuple(m), F(0)) + c * mono[k]
    return {m: c for m, c in out.items() if c != 0}


GRID = [F(v) for v in (0, 1, -1, 2, -2, 3, F(1, 2), F(-3, 2), F(5, 3))]


def find_witness(relation: tuple, names: list, grids: dict) -> Optional[dict]:
    """A point of the grids where the relation fails by the plain evaluator."""
    import itertools

    for combo in itertools.product(*(grids[n] for n in names)):
        env = dict(zip(names, combo))
        if fails(relation, env):
            return env
    return None


# --- the kinds -----------------------------------------------------------------------------------------------------

def _scalar_vars(draw, kinds=("real", "int")):
    kind = draw.pick(kinds)
    names = ("x", "y") if kind == "real" else ("n", "m")
    count = draw.int(1, 2)
    dom = Real if kind == "real" else draw.pick((Int, Nat))
    return names[:count], {n: dom for n in names[:count]}


def _grid(dom) -> list:
    if dom is Nat:
        return [F(v) for v in range(0, 5)]
    if dom is Int:
        return [F(v) for v in range(-3, 4)]
    if dom is Positive:
        return [F(1, 2), F(1), F(2), F(3)]
    if dom is not Real:
        return [g for g in GRID if dom.contains(g)]
    return GRID


def _falsified(kind, name, quantifier, domains, relation, ordinary=True) -> Optional[Case]:
    witness = find_witness(relation, list(domains), {n: _grid(d) for n, d in domains.items()})
    if witness is None:
        return None
    return Case(kind, name, quantifier, domains, relation, False, witness, ordinary)


def polynomial(draw, name: str) -> Optional[Case]:
    names, domains = _scalar_vars(draw)
    p, q = random_poly(draw, names), random_poly(draw, names)
    product = poly_mul(p, q)
    lhs = mul(poly_node(p, names), poly_node(q, names))
    shape = draw.int(0, 2)
    if shape == 2:  # a square is never negative
        c = F(draw.int(-2, 2))
        rel = ("ge", add(("pow", poly_node(p, names), 2), C(c)), C(0))
        if c >= 0:
            return Case("polynomial", name, "forall", domains, rel, True)
        return _falsified("polynomial", name, "forall", domains, rel)
    if draw.int(0, 1):
        return Case("polynomial", name, "forall", domains, ("eq", lhs, poly_node(product, names)), True)
    planted = dict(product)
    mono = draw.pick(sorted(planted)) if planted else tuple(0 for _ in names)
    planted[mono] = planted.get(mono, F(0)) + draw.pick((1, -1, 2))
    return _falsified("polynomial", name, "forall", domains, ("eq", lhs, poly_node(planted, names)))


def rational(draw, name: str) -> Optional[Case]:
    domains = {"x": Real}
    if draw.int(0, 1):
        domains["y"] = Real
    names = tuple(domains)
    p = random_poly(draw, names)
    r = draw.pick((0, 1, -1, 2))
    q = add(V("x"), C(-r))  # zero at x = r
    quotient = ("div", mul(poly_node(p, names), q), q)
    rel = ("eq", quotient, poly_node(p, names))
    choice = draw.int(0, 2)
    if choice == 0:
        return Case("rational", name, "forall", domains, ("implies", ("ne", q, C(0)), rel), True)
    if choice == 1:  # the guard dropped: no value at x = r
        return _falsified("rational", name, "forall", domains, rel)
    planted = ("eq", quotient, add(poly_node(p, names), C(draw.pick((1, -1)))))
    return _falsified("rational", name, "forall", domains, ("implies", ("ne", q, C(0)), planted))


def transcendental(draw, name: str) -> Optional[Case]:
    a, b = F(draw.pick((1, 2, -1, 3))), F(draw.pick((0, 1, -1, 2)))
    x, y = V("x"), V("y")
    ax = mul(C(a), x)
    true_forms = [
        ({"x": Real}, ("eq", ("exp", add(ax, C(b))), mul(("exp", ax), ("exp", C(b)))),
         ("eq", ("exp", add(ax, C(b))), mul(("exp", ax), ("exp", C(b + 1))))),
        ({"x": Positive, "y": Positive}, ("eq", ("log", mul(x, y)), add(("log", x), ("log", y))),
         ("eq", ("log", mul(x, y)), mul(("log", x), ("log", y)))),
        ({"x": Real}, ("eq", ("sqrt", mul(x, x)), ("abs", x)), ("eq", ("sqrt", mul(x, x)), x)),
        ({"x": Real}, ("eq", ("tanh", ax), sub(mul(C(2), ("sigmoid", mul(C(2 * a), x))), C(1))),
         ("eq", ("tanh", ax), sub(mul(C(2), ("sigmoid", ax)), C(1)))),
        ({"x": Real}, ("eq", ("sigmoid", ("neg", ax)), sub(C(1), ("sigmoid", ax))),
         ("eq", ("sigmoid", ("neg", ax)), ("sigmoid", ax))),
        ({"x": Real}, ("eq", ("log", ("exp", add(ax, C(b)))), add(ax, C(b))),
         ("eq", ("log", ("exp", add(ax, C(b)))), add(ax, C(b + 1)))),
        ({"x": Positive}, ("eq", ("exp", mul(C(2), ("log", x))), mul(x, x)),
         ("eq", ("exp", mul(C(2), ("log", x))), mul(C(2), x))),
    ]
    domains, good, bad = draw.pick(true_forms)
    if draw.int(0, 1):
        return Case("transcendental", name, "forall", domains, good, True)
    if draw.int(0, 2) == 0 and any(d is Positive for d in domains.values()):  # the domain widened: log(-1)
        widened = {n: Real for n in domains}
        return _falsified("transcendental", name, "forall", widened, good)
    return _falsified("transcendental", name, "forall", domains, bad)


def ranges(draw, name: str) -> Optional[Case]:
    """Statements whose terms have a value everywhere only because of a function's range (1 - σ > 0, 1 - tanh² > 0,
    σ > 0), and inequalities that hold by those ranges; each false form is a planted change found false at a point
    by the plain evaluator."""
    a, b = F(draw.pick((1, 2, -1, 3, F(1, 2)))), F(draw.pick((0, 1, -1, 2)))
    u = add(mul(C(a), V("x")), C(b)) if b else mul(C(a), V("x"))
    c = F(draw.pick((F(1, 2), F(1, 4), F(3, 4))))
    one_minus_tanh2 = sub(C(1), mul(("tanh", u), ("tanh", u)))
    forms = [
        (("eq", ("log", sub(C(1), ("sigmoid", u))), ("neg", ("softplus", u))),
         ("eq", ("log", sub(C(1), ("sigmoid", u))), ("neg", ("softplus", ("neg", u))))),
        (("eq", ("log", ("sigmoid", u)), ("neg", ("softplus", ("neg", u)))),
         ("eq", ("log", ("sigmoid", u)), ("softplus", ("neg", u)))),
        (("eq", sub(("log", ("sigmoid", u)), ("log", sub(C(1), ("sigmoid", u)))), u),
         ("eq", sub(("log", ("sigmoid", u)), ("log", sub(C(1), ("sigmoid", u)))), mul(C(2), u))),
        (("gt", ("sqrt", one_minus_tanh2), C(0)), ("gt", ("sqrt", one_minus_tanh2), C(c))),
        (("le", ("sqrt", one_minus_tanh2), C(1)), ("lt", ("sqrt", one_minus_tanh2), C(1))),
        (("lt", ("log", ("sigmoid", u)), C(0)), ("lt", ("log", ("sigmoid", u)), C(-c))),
        (("gt", ("exp", u), C(0)), ("gt", ("exp", u), C(c))),
        (("gt", ("softplus", u), ("relu", u)), ("lt", ("softplus", u), add(("relu", u), C(c)))),
        (("lt", ("abs", ("tanh", u)), C(1)), ("lt", ("abs", ("tanh", u)), C(c))),
        (("le", ("sqrt", ("sigmoid", u)), C(1)), ("le", ("sqrt", ("sigmoid", u)), C(c))),
        (("eq", ("diff", ("log", sub(C(1), ("sigmoid", u))), "x"), mul(C(-a), ("sigmoid", u))),
         ("eq", ("diff", ("log", sub(C(1), ("sigmoid", u))), "x"), mul(C(a), ("sigmoid", u)))),
        (("eq", sub(("softplus", u), ("softplus", ("neg", u))), u),
         ("eq", add(("softplus", u), ("softplus", ("neg", u))), u)),
    ]
    good, bad = draw.pick(forms)
    if draw.int(0, 1):
        return Case("ranges", name, "forall", {"x": Real}, good, True)
    return _falsified("ranges", name, "forall", {"x": Real}, bad)


def conditional(draw, name: str) -> Optional[Case]:
    """A derivative that holds where a condition does: relu's, |·|'s, max's slope on the side the premise keeps
    strictly (true), and the same with the kink let in by ≥, the wrong side or a wrong value (false: at the kink the
    derivative does not exist, which the plain evaluator's one-sided quotients see)."""
    b, c = F(draw.pick((0, 1, -1, 2))), F(draw.pick((1, 2, -1, 3)))
    w, x, y = V("w"), V("x"), V("y")
    u = add(mul(w, x), C(b)) if b else mul(w, x)
    layer = mul(C(c), ("relu", u))
    sig = ("sigmoid", u)
    forms = [
        (("implies", ("gt", u, C(0)), ("eq", ("diff", layer, "w"), mul(C(c), x))),
         [("implies", ("ge", u, C(0)), ("eq", ("diff", layer, "w"), mul(C(c), x))),
          ("implies", ("gt", u, C(0)), ("eq", ("diff", layer, "w"), C(c))),
          ("implies", ("lt", u, C(0)), ("eq", ("diff", layer, "w"), mul(C(c), x)))]),
        (("implies", ("lt", u, C(0)), ("eq", ("diff", layer, "w"), C(0))),
         [("implies", ("le", u, C(0)), ("eq", ("diff", layer, "w"), C(0)))]),
        (("implies", ("gt", u, C(0)), ("eq", ("diff", ("sigmoid", ("relu", u)), "x"), mul(mul(sig, sub(C(1), sig)), w))),
         [("implies", ("ge", u, C(0)), ("eq", ("diff", ("sigmoid", ("relu", u)), "x"), mul(mul(sig, sub(C(1), sig)), w)))]),
        (("implies", ("gt", x, C(b)), ("eq", ("diff", mul(("max", x, C(b)), x), "x"), mul(C(2), x))),
         [("implies", ("ge", x, C(b)), ("eq", ("diff", mul(("max", x, C(b)), x), "x"), mul(C(2), x)))]),
        (("implies", ("and", ("gt", x, C(0)), ("gt", y, C(0))), ("eq", ("diff", mul(("relu", x), ("relu", y)), "x"), y)),
         [("implies", ("and", ("ge", x, C(0)), ("gt", y, C(0))), ("eq", ("diff", mul(("relu", x), ("relu", y)), "x"), y)),
          ("implies", ("gt", y, C(0)), ("eq", ("diff", mul(("relu", x), ("relu", y)), "x"), y))]),
        (("implies", ("lt", u, C(0)), ("eq", ("diff", ("abs", u), "w"), ("neg", x))),
         [("implies", ("le", u, C(0)), ("eq", ("diff", ("abs", u), "w"), ("neg", x))),
          ("implies", ("lt", u, C(0)), ("eq", ("diff", ("abs", u), "w"), x))]),
    ]
    good, bad = draw.pick(forms)
    names = sorted(set(_names(good)))
    domains = {n: Real for n in names}
    if draw.int(0, 1):
        return Case("conditional", name, "forall", domains, good, True)
    return _falsified("conditional", name, "forall", domains, draw.pick(bad))


def nested(draw, name: str) -> Optional[Case]:
    """A quantifier inside a statement: ∀ with ∃ inside, ∃ with ∀ inside, over ranges of integers (truth by trying
    every value) and over ℝ (truth by the forms `_quantified` knows)."""
    k = draw.int(1, 4)
    c = F(draw.pick((0, 1, -1, 2, F(1, 2))))
    n, m, x, y = V("n"), V("m"), V("x"), V("y")
    whole = ("range", 0, k)
    form = draw.int(0, 10)
    if form == 8:  # no real square root of x + c for any x ≤ d (or < d): only where x + c < 0 throughout
        d, open_ = F(draw.pick((-2, -1, 0, 1))), bool(draw.int(0, 1))
        rel = ("not", ("some", "y", ("real",), ("eq", mul(y, y), add(x, C(c)))))
        truth = d + c < 0 or (open_ and d + c == 0)
        return Case("nested", name, "forall", {"x": Interval(None, d, upper_open=open_)}, rel, truth,
                    None if truth else {"x": -c})
    if form == 9:  # σ(y) = x² + c has no solution y for any x only where x² + c is never in (0, 1): c ≥ 1
        rel = ("not", ("some", "y", ("real",), ("eq", ("sigmoid", y), add(mul(x, x), C(c)))))
        truth = c >= 1
        witness = {F(1, 2): F(0), F(0): F(1, 2), F(-1): F(5, 4)}.get(c)
        return Case("nested", name, "forall", {"x": Real}, rel, truth, None if truth else {"x": witness})
    if form == 10:  # no m in the range with n + m = k + 1, over a range of n (truth by trying every value)
        over = draw.pick((whole, ("range", 2, k + 2)))
        rel = ("not", ("some", "m", over, ("eq", add(n, m), C(k + 1))))
        return _settled(draw.pick(("forall", "exists")), {"n": IntRange(0, k)}, rel, name)
    if form == 0:  # every n has a complement m with n + m = k; from 1 up there is none for n = k
        over = draw.pick((whole, ("range", 1, k)))
        rel = ("some", "m", over, ("eq", add(n, m), C(k)))
        return _settled("forall", {"n": IntRange(0, k)}, rel, name)
    if form == 1:  # some n is at most every m (n = 0); strictly below every m: none
        strict = draw.int(0, 1)
        rel = ("every", "m", whole, ("lt" if strict else "le", n, m))
        return _settled("exists", {"n": IntRange(0, k)}, rel, name)
    if form == 2:  # every n has an m with n·m = n (m = 1, if the range has it)
        over = draw.pick((whole, ("range", 2, k + 2)))
        rel = ("some", "m", over, ("eq", mul(n, m), n))
        return _settled("forall", {"n": IntRange(0, k)}, rel, name)
    if form == 3:  # every real x + c has a real square root only where x + c >= 0
        domain = draw.pick((Real, Positive))
        rel = ("some", "y", ("real",), ("eq", mul(y, y), add(x, C(c))))
        truth = domain is Positive and c >= 0
        return Case("nested", name, "forall", {"x": domain}, rel, truth, None if truth else {"x": -c - 1 if c >= 0 else -c - 1})
    if form == 4:  # above and below every real there is another
        rel = ("some", "y", ("real",), (draw.pick(("gt", "lt")), y, add(x, C(c))))
        return Case("nested", name, "forall", {"x": Real}, rel, True)
    if form == 5:  # some x is at most every square (x <= 0); at most every real: none
        squares = draw.int(0, 1)
        rel = ("every", "y", ("real",), ("le", add(x, C(c)), mul(y, y) if squares else y))
        return Case("nested", name, "exists", {"x": Real}, rel, bool(squares))
    if form == 6:  # a range inside ℝ: for every x there is m in the range above x only where x < k
        rel = ("some", "m", whole, ("gt", m, x))
        domain = draw.pick((Interval(-2, k, upper_open=True), Interval(-2, k)))
        truth = domain.upper_open
        return Case("nested", name, "forall", {"x": domain}, rel, truth, None if truth else {"x": F(k)})
    rel = ("some", "m", whole, ("eq", add(n, m), C(k)))  # with n a real: only where n is k minus a whole number
    return Case("nested", name, "forall", {"n": Interval(0, k)}, rel, False, {"n": F(1, 2)})


def unique(draw, name: str) -> Optional[Case]:
    """A stated value claimed to be the unique solution of (a - r1)(a - r2)... = 0 over ℝ or ℝ>0: true exactly when
    every root in the domain is the value (and the value is a root in the domain)."""
    if draw.int(0, 2) == 0:
        return _unique_quotient(draw, name)
    roots = [F(draw.pick((4, -4, 2, F(1, 2), -1))) for _ in range(draw.int(1, 2))]
    v = F(draw.pick((4, 2, -4, 3)))
    over = draw.pick((("real",), ("positive",)))
    a = V("a")
    product = None
    for r in roots:
        factor = ("sub", a, C(r))
        product = factor if product is None else mul(product, factor)
    condition = ("eq", product, C(0))
    only = ("every", "a", over, ("implies", condition, ("eq", a, V("v"))))
    at_v = _substitute(condition, "a", V("v"))
    rel = ("and", at_v, only) if over == ("real",) else ("and", ("and", ("gt", V("v"), C(0)), at_v), only)
    inside = [r for r in roots if over == ("real",) or r > 0]
    truth = v in inside and all(r == v for r in inside)
    assert truth == holds(rel, {"v": v})
    return Case("unique", name, "forall", {}, rel, truth, {} if not truth else None, stated={"v": v})


def _unique_quotient(draw, name: str) -> Case:
    """unique(domain, condition, v) through the API's own unique, with a condition that has no value at some points:
    (a - r1)(a - r2)/(a - s) = 0 or 1/(a - s) = c, over ℝ, ℝ>0 or a range of integers. A point where the divisor is
    0 is not a solution; the truth is computed by `_unique`."""
    a, s = V("a"), F(draw.pick((0, 1, 2, -1)))
    if draw.int(0, 1):
        top = mul(sub(a, C(draw.pick((0, 1, 2, -2)))), sub(a, C(draw.pick((0, 1, 2, 3)))))
        condition = ("eq", ("div", top, sub(a, C(s))), C(0))
    else:
        condition = ("eq", ("div", C(1), sub(a, C(s))), C(draw.pick((1, -1, F(1, 2)))))
    over = draw.pick((("real",), ("positive",), ("range", -2, 3)))
    solutions = [F(k) for k in (-2, -1, 0, 1, 2, 3) if holds(condition, {"a": F(k)})]  # each solution is among these
    v = F(draw.pick(solutions * 2 + [0, 1, 2, 3, -2, -1, F(1, 2)]))  # mostly a solution: true where it is the only one
    rel = ("unique", "a", over, condition, V("v"))
    truth = holds(rel, {"v": v})
    return Case("unique", name, "forall", {}, rel, truth, {} if not truth else None, stated={"v": v})


def induction(draw, name: str) -> Optional[Case]:
    """Σ_{i=1}^{n} (e·i² + c·i + d) ≤ s·n³ + p·n² + q·n + r (or ≥) for every n ≥ k: the difference is a polynomial of
    degree at most 3 in n (the sum's closed form, by `_faulhaber`), whose sign for every n ≥ k is settled here: past
    Cauchy's bound on its roots (1 + the largest |a_j / a_d|) it has its leading coefficient's sign, so its values at
    every whole n from k to just past that bound decide it. Many true ones are not inductive as written (the
    statement at n does not imply it at n + 1 for every n)."""
    k = draw.int(0, 2)
    c, d = F(draw.pick((1, 2, -1))), F(draw.pick((0, 1, -1)))
    p, q, r = F(draw.pick((0, 1, F(1, 2), 2, -1))), F(draw.pick((0, 1, -1, 2))), F(draw.pick((0, 1, -2, 3)))
    below = draw.int(0, 1)
    e, s = (F(draw.pick((1, -1, 3))), F(draw.pick((0, F(1, 3), 1, -1)))) if draw.int(0, 2) == 0 else (F(0), F(0))
    closed = _poly_add({m: c * v for m, v in _faulhaber(1, {(1,): F(1)}, ("n",)).items()},
                       {m: d * v for m, v in _faulhaber(0, {(1,): F(1)}, ("n",)).items()})
    closed = _poly_add(closed, {m: e * v for m, v in _faulhaber(2, {(1,): F(1)}, ("n",)).items()})
    rhs = {(3,): s, (2,): p, (1,): q, (0,): r}
    gap = _poly_add(closed, rhs, F(-1)) if below else _poly_add(rhs, closed, F(-1))  # holds where gap <= 0
    coefficients = [gap.get((j,), F(0)) for j in range(4)]

    def at(n):
        return sum(a * F(n) ** j for j, a in enumerate(coefficients))

    degree = max((j for j, a in enumerate(coefficients) if a), default=0)
    lead = coefficients[degree]
    cauchy = 1 + max((abs(a / lead) for a in coefficients[:degree]), default=F(0)) if lead else F(0)
    top = max(k, math.ceil(cauchy)) + 1
    failing = next((n for n in range(k, top + 1) if at(n) > 0), None)
    i, n = V("i"), V("n")
    body = add(mul(C(c), i), C(d)) if d else mul(C(c), i)
    if e:
        body = add(mul(C(e), ("pow", i, 2)), body)
    total = ("sum", "i", body, C(1), n)
    bound = poly_node({m: v for m, v in rhs.items() if v}, ("n",))
    rel = ("le", total, bound) if below else ("ge", total, bound)
    domains = {"n": IntRange(k, None)}
    if failing is None:
        return Case("induction", name, "forall", domains, rel, True)
    witness = {"n": F(failing)}
    assert fails(rel, witness)
    return Case("induction", name, "forall", domains, rel, False, witness)


def _substitute(node, name: str, by):
    if node == ("var", name):
        return by
    return tuple(_substitute(p, name, by) if isinstance(p, tuple) else p for p in node)


def _settled(quantifier: str, domains: dict, rel: tuple, name: str) -> Case:
    """The truth of a statement over a range of integers, by trying every point with the plain evaluator."""
    import itertools

    (var, dom), = domains.items()
    points = [{var: F(v)} for v in itertools.islice(dom.points(), 100)]
    results = [holds(rel, p) for p in points]
    if quantifier == "exists":
        return Case("nested", name, "exists", domains, rel, any(results))
    failing = [p for p, r in zip(points, results) if not r]
    return Case("nested", name, "forall", domains, rel, not failing, failing[0] if failing else None)


def _names(node) -> list:
    if isinstance(node, tuple) and node and node[0] == "var":
        return [node[1]]
    return [n for part in node if isinstance(part, tuple) for n in _names(part)] if isinstance(node, tuple) else []


def _faulhaber(power: int, upper: dict, names) -> dict:
    """Σ_{i=1}^{u} i^power as a polynomial in the variables, u a polynomial: valid wherever u >= 0."""
    one = {tuple(0 for _ in names): F(1)}
    u1 = dict(upper)
    u1[tuple(0 for _ in names)] = u1.get(tuple(0 for _ in names), F(0)) + 1
    u1 = {m: c for m, c in u1.items() if c}
    if power == 0:
        return upper
    if power == 1:
        return {m: c / 2 for m, c in poly_mul(upper, u1).items()}
    two_u1 = {m: 2 * c for m, c in upper.items()}
    two_u1[tuple(0 for _ in names)] = two_u1.get(tuple(0 for _ in names), F(0)) + 1
    out = poly_mul(poly_mul(upper, u1), {m: c for m, c in two_u1.items() if c})
    del one
    return {m: c / 6 for m, c in out.items()}


def _poly_add(p: dict, q: dict, k: F = F(1)) -> dict:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, F(0)) + k * c
    return {m: c for m, c in out.items() if c != 0}


def _decided_over(relation: tuple, var: str, dom, start: int, stop: int) -> Optional[dict]:
    """The first n in [start, stop] (inside the domain) where the relation fails, by the plain evaluator."""
    for n in range(start, stop + 1):
        if dom is Nat and n < 0:
            continue
        if fails(relation, {var: F(n)}):
            return {var: F(n)}
    return None


def sum_case(draw, name: str) -> Optional[Case]:
    """Σ_{i=L}^{n+b} (c·i^k + d) = a closed form that holds wherever the range is not inverted; the tool's sum is 0
    on an inverted range, so the statement is true exactly when the closed form is 0 wherever the range is inverted
    within the domain: decided here by evaluating every such n (finitely many over ℕ; over ℤ, a polynomial of
    degree ≤ 3 that vanishes at 4 points of the inverted part is 0)."""
    dom = draw.pick((Nat, Nat, Int))
    low, shift = draw.int(0, 2), draw.int(-2, 1)
    power, c, d = draw.int(0, 2), F(draw.pick((1, 2, -1))), F(draw.pick((0, 1, -2)))
    names = ("n",)
    upper = {(1,): F(1)} if shift == 0 else {(1,): F(1), (0,): F(shift)}
    lower_minus_one = {(0,): F(low - 1)} if low != 1 else {}
    # Σ_{i=L}^{U} f(i) = S(U) - S(L - 1), for S the sum from 1 (S(0) = 0, and Σ_{i=1}^{0} = 0 for L = 0 too)
    s_upper = _poly_add({m: c * v for m, v in _faulhaber(power, upper, names).items()},
                        {m: d * v for m, v in _faulhaber(0, upper, names).items()})
    low_value = {(0,): F(0)}
    if low == 0:  # the i = 0 term: c·0^k + d
        low_value = {(0,): (c if power == 0 else F(0)) + d}
    elif low == 2:  # minus the i = 1 term
        low_value = {(0,): -(c + d)}
    del lower_minus_one
    closed = _poly_add(s_upper, low_value)
    i = V("i")
    body = add(mul(C(c), ("pow", i, power) if power > 1 else (i if power == 1 else C(1))), C(d))
    hi = add(V("n"), C(shift)) if shift else V("n")
    planted = draw.int(0, 2) == 0
    rhs = poly_node(closed, names)
    if planted:
        rhs = add(rhs, C(draw.pick((1, -1))))
    rel = ("eq", ("sum", "i", body, C(low), hi), rhs)
    first = low - shift - 1  # from here on the range is not inverted: the closed form holds (unless planted)
    witness = _decided_over(rel, "n", dom, (first - 6) if dom is Int else 0, first + 2)
    if planted:
        witness = witness or _decided_over(rel, "n", dom, first, first + 6)
        return None if witness is None else Case("sum", name, "forall", {"n": dom}, rel, False, witness)
    if witness is None:
        return Case("sum", name, "forall", {"n": dom}, rel, True)
    return Case("sum", name, "forall", {"n": dom}, rel, False, witness)


def split_case(draw, name: str) -> Optional[Case]:
    """Σ_1^n f = Σ_1^m f + Σ_{m+1}^n f: true where m <= n; false over ℕ² where some m > n + 1 gives a nonzero
    Σ_{n+1}^{m} f (the tool's Σ_{m+1}^n is 0 there, not Karr's -Σ_{n+1}^m)."""
    c, d = F(draw.pick((1, 2, -1))), F(draw.pick((0, 1, 3)))
    i = V("i")
    body = add(mul(C(c), mul(i, i)), C(d))
    whole = ("sum", "i", body, C(1), V("n"))
    parts = add(("sum", "i", body, C(1), V("m")), ("sum", "i", body, add(V("m"), C(1)), V("n")))
    rel = ("eq", whole, parts)
    domains = {"n": Nat, "m": Nat}
    if draw.int(0, 1):
        return Case("sum", name, "forall", domains, ("implies", ("le", V("m"), V("n")), rel), True)
    return _falsified("sum", name, "forall", domains, rel)


def bounds_case(draw, name: str) -> Optional[Case]:
    """Σ_{i=m}^{n} c = c·(n - m + 1) with both bounds variables: true where n >= m - 1 (the premise), false over
    ℕ² or ℤ² without it (the tool's empty sum is 0 where Karr's convention gives c·(n - m + 1))."""
    c = F(draw.pick((1, 2, -1, 3)))
    dom = draw.pick((Nat, Int))
    rel = ("eq", ("sum", "i", C(c), V("m"), V("n")), mul(C(c), add(sub(V("n"), V("m")), C(1))))
    domains = {"n": dom, "m": dom}
    if draw.int(0, 1):
        return Case("sum", name, "forall", domains, ("implies", ("le", V("m"), add(V("n"), C(1))), rel), True)
    return _falsified("sum", name, "forall", domains, rel)


def telescoping(draw, name: str) -> Optional[Case]:
    """Σ_{i=1}^{n} (x[i+1] - x[i]) = x[n+1] - x[1] for a sequence x (true); x[n] planted for x[n+1] (false)."""
    i, n = V("i"), V("n")
    shift = draw.int(0, 1)
    lhs = ("sum", "i", sub(("seq", "x", add(i, C(1))), ("seq", "x", i)), C(1), add(n, C(shift)) if shift else n)
    top = add(n, C(shift + 1))
    domains = {"n": Nat, "x": Indexed(Real)}
    if draw.int(0, 1):
        return Case("sum", name, "forall", domains, ("eq", lhs, sub(("seq", "x", top), ("seq", "x", C(1)))), True)
    rel = ("eq", lhs, sub(("seq", "x", sub(top, C(1))), ("seq", "x", C(1))))
    witness = {"n": F(1), "x": [F(0), F(1), F(3), F(7), F(15)]}
    assert fails(rel, witness)
    return Case("sum", name, "forall", domains, rel, False, witness)


def nested_sum(draw, name: str) -> Optional[Case]:
    c = F(draw.pick((1, 2, 3)))
    shift = draw.int(0, 1)
    i, j = V("i"), V("j")
    upper = add(V("n"), C(shift)) if shift else V("n")
    shape = draw.int(0, 1)
    if shape == 0:  # Σ_{i=1}^{u} Σ_{j=1}^{i} c = c·u(u+1)/2
        lhs = ("sum", "i", ("sum", "j", C(c), C(1), i), C(1), upper)
        closed = {m: c * v for m, v in _faulhaber(1, {(1,): F(1), (0,): F(shift)} if shift else {(1,): F(1)}, ("n",)).items()}
    else:  # Σ_{i=1}^{u} Σ_{j=1}^{u} c·i·j = c·(u(u+1)/2)²
        lhs = ("sum", "i", ("sum", "j", mul(C(c), mul(i, j)), C(1), upper), C(1), upper)
        t = _faulhaber(1, {(1,): F(1), (0,): F(shift)} if shift else {(1,): F(1)}, ("n",))
        closed = {m: c * v for m, v in poly_mul(t, t).items()}
    rhs = poly_node(closed, ("n",))
    if draw.int(0, 1):
        rel = ("eq", lhs, rhs)
        assert _decided_over(rel, "n", Nat, 0, 5) is None
        return Case("nested_sum", name, "forall", {"n": Nat}, rel, True)
    return _falsified("nested_sum", name, "forall", {"n": Nat}, ("eq", lhs, add(rhs, C(draw.pick((1, -1))))))


def derivative(draw, name: str) -> Optional[Case]:
    a = F(draw.pick((1, 2, -1, 3)))
    x = V("x")
    ax = mul(C(a), x)
    domains = {"x": Real}
    form = draw.int(0, 4)
    if form == 0:
        p = random_poly(draw, ("x",), degree=3)
        f, df = poly_node(p, ("x",)), poly_node(poly_diff(p, 0), ("x",))
    elif form == 1:
        f, df = ("exp", ax), mul(C(a), ("exp", ax))
    elif form == 2:
        f, df = ("sigmoid", ax), mul(C(a), mul(("sigmoid", ax), sub(C(1), ("sigmoid", ax))))
    elif form == 3:
        f, df = ("tanh", ax), mul(C(a), sub(C(1), mul(("tanh", ax), ("tanh", ax))))
    else:
        domains = {"x": Positive}
        f, df = ("log", ax if a > 0 else x), ("div", C(1), x)
    if draw.int(0, 1):
        return Case("derivative", name, "forall", domains, ("eq", ("diff", f, "x"), df), True)
    return _falsified("derivative", name, "forall", domains, ("eq", ("diff", f, "x"), mul(C(2), df)))


def kink(draw, name: str) -> Optional[Case]:
    a, b = F(draw.pick((1, 2, -1, F(1, 2)))), F(draw.pick((0, 1, -1)))
    x = V("x")
    u = add(mul(C(a), x), C(b)) if b else mul(C(a), x)
    families = [
        (("pow", ("relu", u), 2), mul(C(2 * a), ("relu", u))),
        (mul(u, ("abs", u)), mul(C(2 * a), ("abs", u))),
        (("pow", ("abs", u), 3), mul(C(3 * a), mul(u, ("abs", u)))),
        (mul(u, ("relu", u)), mul(C(2 * a), ("relu", u))),
        (("ite", ("le", ("abs", u), C(1)), mul(C(F(1, 2)), mul(u, u)), sub(("abs", u), C(F(1, 2)))),
         mul(C(a), ("ite", ("le", ("abs", u), C(1)), u, ("ite", ("gt", u, C(0)), C(1), C(-1))))),
        (add(("pow", ("max", u, C(0)), 2), ("pow", ("min", u, C(0)), 2)), mul(C(2 * a), u)),
    ]
    f, df = draw.pick(families)
    choice = draw.int(0, 3)
    if choice <= 1:
        return Case("kink", name, "forall", {"x": Real}, ("eq", ("diff", f, "x"), df), True)
    kink_at = -b / a
    if choice == 3 and draw.int(0, 2) == 0:  # relu(u)·y has no derivative at the kink where y ≠ 0
        rel = ("eq", ("diff", mul(("relu", u), V("y")), "x"), mul(C(a), ("ite", ("gt", u, C(0)), V("y"), C(0))))
        witness = {"x": kink_at, "y": F(1)}
        assert fails(rel, witness)
        return Case("kink", name, "forall", {"x": Real, "y": Real}, rel, False, witness)
    if choice == 2:  # no derivative at the kink: |u|' = a·sign, an indicator's jump
        shape = draw.int(0, 1)
        if shape == 0:
            rel = ("eq", ("diff", ("abs", u), "x"), mul(C(a), ("ite", ("ge", u, C(0)), C(1), C(-1))))
            witness = {"x": kink_at}
        else:
            c = F(draw.pick((1, 2)))
            rel = ("eq", ("diff", ("ite", ("gt", ("abs", u), C(c)), C(1), C(0)), "x"), C(0))
            witness = {"x": (c - b) / a}
        assert fails(rel, witness)
        return Case("kink", name, "forall", {"x": Real}, rel, False, witness)
    return _falsified("kink", name, "forall", {"x": Real}, ("eq", ("diff", f, "x"), add(df, mul(C(draw.pick((1, -1))), u))))


def piecewise(draw, name: str) -> Optional[Case]:
    names = ("x", "y")
    domains = {"x": Real, "y": Real}
    a = poly_node(random_poly(draw, names, degree=1, terms_=2), names)
    b = poly_node(random_poly(draw, names, degree=1, terms_=2), names)
    true_forms = [
        ("eq", add(("max", a, b), ("min", a, b)), add(a, b)),
        ("eq", ("abs", a), ("max", a, ("neg", a))),
        ("eq", ("relu", a), mul(C(F(1, 2)), add(a, ("abs", a)))),
        ("eq", ("ite", ("ge", a, b), a, b), ("max", a, b)),
        ("eq", ("abs", mul(a, b)), mul(("abs", a), ("abs", b))),
        ("ge", ("max", a, b), ("min", a, b)),
        ("ge", ("abs", a), a),
    ]
    false_forms = [
        ("eq", ("max", a, b), a),
        ("eq", ("abs", a), a),
        ("eq", ("relu", a), a),
        ("eq", add(("max", a, b), ("min", a, b)), sub(a, b)),
        ("lt", ("max", a, b), ("min", a, b)),
        ("eq", ("abs", add(a, b)), add(("abs", a), ("abs", b))),
    ]
    if draw.int(0, 1):
        return Case("piecewise", name, "forall", domains, draw.pick(true_forms), True)
    return _falsified("piecewise", name, "forall", domains, draw.pick(false_forms))


def vector(draw, name: str) -> Optional[Case]:
    k = draw.int(2, 3)
    element = draw.pick((Real, Int))
    u = [("at", "u", i) for i in range(k)]
    v = [("at", "v", i) for i in range(k)]
    w = [("at", "w", i) for i in range(k)]
    domains = {"u": Vector(element, k), "v": Vector(element, k), "w": Vector(element, k)}
    uv = [add(p, q) for p, q in zip(u, v)]
    true_forms = [
        ("eq", ("dot", u, v), ("dot", v, u)),
        ("eq", ("dot", uv, w), add(("dot", u, w), ("dot", v, w))),
        ("ge", ("dot", u, u), C(0)),
        ("le", mul(C(2), ("dot", u, v)), add(("dot", u, u), ("dot", v, v))),
    ]
    false_forms = [
        ("eq", ("dot", u, v), ("dot", u, u)),
        ("eq", ("dot", uv, w), add(("dot", u, w), ("dot", u, w))),
        ("gt", ("dot", u, u), C(0)),
        ("le", mul(C(3), ("dot", u, v)), add(("dot", u, u), ("dot", v, v))),
    ]
    if draw.int(0, 3) == 0:  # (A u)·v = u·(Aᵀ v) for a 2×2 matrix A; A for Aᵀ is false
        a = [[("mat", "A", r, c) for c in range(2)] for r in range(2)]
        u2, v2 = u[:2], v[:2]
        au = [("dot", a[r], u2) for r in range(2)]
        atv = [("dot", [a[r][c] for r in range(2)], v2) for c in range(2)]
        av = [("dot", a[r], v2) for r in range(2)]
        mdomains = {"A": Matrix(element, 2, 2), "u": Vector(element, 2), "v": Vector(element, 2)}
        if draw.int(0, 1):
            return Case("vector", name, "forall", mdomains, ("eq", ("dot", au, v2), ("dot", u2, atv)), True)
        rel = ("eq", ("dot", au, v2), ("dot", u2, av))
        witness = {"A": [[F(0), F(1)], [F(0), F(0)]], "u": [F(0), F(1)], "v": [F(1), F(0)]}
        assert fails(rel, witness)
        return Case("vector", name, "forall", mdomains, rel, False, witness)
    if draw.int(0, 1):
        return Case("vector", name, "forall", domains, draw.pick(true_forms), True)
    rel = draw.pick(false_forms)
    import itertools

    for values in itertools.product((0, 1, -1, 2), repeat=3):
        env = {"u": [F(values[0])] + [F(1)] * (k - 1), "v": [F(values[1])] + [F(0)] * (k - 1),
               "w": [F(values[2])] * k}
        for env_try in (env, {"u": [F(0)] * k, "v": [F(0)] * k, "w": [F(0)] * k},
                        {"u": [F(1)] * k, "v": [F(1)] * k, "w": [F(1)] * k}):
            if fails(rel, env_try):
                return Case("vector", name, "forall", domains, rel, False, env_try)
    return None


def exists_case(draw, name: str) -> Optional[Case]:
    x = V("x")
    r, s = F(draw.pick((0, 1, -1, 2, F(1, 2)))), F(draw.pick((0, 3, -2)))
    form = draw.int(0, 5)
    if form >= 4:  # over the integers: n² = k (a square or not), 2n + 1 = k (odd or even)
        k = draw.int(0, 12)
        n = V("n")
        dom = draw.pick((Nat, Int))
        if form == 4:
            return Case("exists", name, "exists", {"n": dom}, ("eq", mul(n, n), C(k)), math.isqrt(k) ** 2 == k)
        truth = k % 2 == 1 and (dom is Int or k >= 1)
        return Case("exists", name, "exists", {"n": dom}, ("eq", add(mul(C(2), n), C(1)), C(k)), truth)
    if form == 0:  # a rational root
        p = add(add(mul(x, x), mul(C(-(r + s)), x)), C(r * s))
        assert holds(("eq", p, C(0)), {"x": r})
        return Case("exists", name, "exists", {"x": Real}, ("eq", p, C(0)), True)
    if form == 1:  # x² = k: an algebraic witness where k is not a square
        k = F(draw.pick((2, 3, 4, 5)))
        return Case("exists", name, "exists", {"x": Real}, ("eq", mul(x, x), C(k)), True)
    if form == 2:  # x² + c = 0 with c > 0: no real root
        c = F(draw.pick((1, 2, F(1, 3))))
        return Case("exists", name, "exists", {"x": Real}, ("eq", add(mul(x, x), C(c)), C(0)), False)
    c = F(draw.pick((1, 2)))  # a positive x with x + c <= 0: none
    if draw.int(0, 1):
        return Case("exists", name, "exists", {"x": Positive}, ("le", add(x, C(c)), C(0)), False)
    return Case("exists", name, "exists", {"x": Interval(-3, 3)}, ("le", add(x, C(c)), C(0)), True)


def _limit(node: tuple, env: dict) -> F:
    """lim_{w → ±∞} of a quotient of sums c·e^{k w} (k = 0: the constant c), from its terms alone: the term whose e^{k w}
    grows fastest in each sum decides (the largest k towards ∞, the smallest towards -∞)."""
    _, _, _, point, (top, bottom) = node
    sign = 1 if point == "oo" else -1

    def leading(pairs):
        live = [(k, value(c, env)) for c, k in pairs if value(c, env) != 0]
        return max(live, key=lambda kc: sign * kc[0]) if live else None

    num, den = leading(top), leading(bottom)
    if den is None:
        raise Undef("a quotient by 0")
    if num is None or sign * num[0] < sign * den[0]:
        return F(0)
    if num[0] == den[0]:
        return F(num[1]) / den[1]
    raise Undef("an infinite limit")


def _exp_sum(pairs: list, w: tuple) -> tuple:
    out = None
    for c, k in pairs:
        part = c if k == 0 else mul(c, ("exp", mul(C(k), w) if k != 1 else w))
        out = part if out is None else add(out, part)
    return out


def limit_case(draw, name: str) -> Optional[Case]:
    """lim_{w → ±∞} (Σ a_i e^{k_i w}) / (Σ b_j e^{m_j w}) = L, a softmax's probability as a logit grows among them: the
    denominator's coefficients positive, one numerator coefficient may be the statement's variable x. L (true) or L + 1
    (false), and limits that are infinite (no value: false), each known from the leading terms by `_limit`."""
    x, w = V("x"), V("w")
    point = draw.pick(("oo", "-oo"))
    exponents = [-1, 0, 1, 2]
    bottom_k = sorted({draw.pick(exponents) for _ in range(draw.int(1, 2))})
    bottom = [(C(draw.pick((1, 2, 7, F(1, 2)))), k) for k in bottom_k]
    top_k = sorted({draw.pick(exponents) for _ in range(draw.int(1, 2))})
    top = [(C(draw.pick((1, -1, 3, F(1, 3)))), k) for k in top_k]
    if draw.int(0, 1):  # the variable as a coefficient, on a term that cannot outgrow the denominator
        lead = max(bottom_k) if point == "oo" else min(bottom_k)
        top = [(c, k) for c, k in top if (k < lead if point == "oo" else k > lead)] + [(x, lead)]
    spec = (tuple(top), tuple(bottom))
    if all(k == 0 for _, k in top + bottom) and top[0][0][0] == "const":  # a constant quotient: kept exact
        body = C(top[0][0][1] / bottom[0][0][1])
    else:
        body = ("div", _exp_sum(top, w), _exp_sum(bottom, w))
    limit = ("limit", "w", body, point, spec)
    sign = 1 if point == "oo" else -1
    bottom_lead = max(bottom, key=lambda ck: sign * ck[1])
    matching = [c for c, k in top if k == bottom_lead[1]]
    if any(sign * k > sign * bottom_lead[1] for _, k in top):  # an infinite limit: no value anywhere
        expected = C(0)
        return Case("limit", name, "forall", {"x": Real}, ("eq", limit, expected), False, witness={"x": F(1)})
    if not matching:
        expected = C(0)
    elif matching[0][0] == "const":
        expected = C(matching[0][1] / bottom_lead[0][1])
    else:
        expected = mul(C(1 / bottom_lead[0][1]), matching[0])
    relation = ("eq", limit, expected)
    if draw.int(0, 1):
        return Case("limit", name, "forall", {"x": Real}, relation, True)
    wrong = ("eq", limit, add(expected, C(1)))
    return Case("limit", name, "forall", {"x": Real}, wrong, False, witness={"x": F(1)})
def recurrence_case(draw, name: str) -> Optional[Case]:
    """A binary threshold unit h_t = [A·x_t + B·h_{t-1} + C > 0] from h_0, read out as U·h_t + W, against a behaviour
    (all ones so far, any one so far, the last input, the parity, or x_t itself) at every step t >= k of every binary
    sequence x. Often the unit that realises the behaviour, scaled, sometimes with one value changed. Truth by running
    both on every sequence up to length k + 5: each value lies in {0, 1}, so the joint states are at most 4 and a
    failing step, if any, comes within k - 1 + 4 steps."""
    import itertools

    k = draw.int(1, 2)
    family = draw.pick(("all", "any", "last", "parity", "input"))
    designed = {"all": (-1, 1, F(1, 2), -1, 1), "any": (1, 1, F(-1, 2), 1, 0), "last": (1, 0, F(-1, 2), 1, 0),
                "parity": (1, -1, F(-1, 2), 1, 0), "input": (1, 0, F(-1, 2), 1, 0)}[family]
    scale = F(draw.pick((1, 2, F(1, 2))))
    wa, wb, wc, wu, ww = (F(designed[0]) * scale, F(designed[1]) * scale, F(designed[2]) * scale, F(designed[3]), F(designed[4]))
    h0 = F(0)
    if draw.int(0, 1):
        changed = draw.int(0, 5)
        new = F(draw.pick((-1, 0, 1, F(1, 2), F(-1, 2), 2)))
        wa, wb, wc, wu, ww, h0 = [new if i == changed else v for i, v in enumerate((wa, wb, wc, wu, ww, h0))]
        if changed == 5:
            h0 = F(1) if new > 0 else F(0)
    x, t = "x", V("t")
    unit = ("rec", "h", "a", ("ite", ("gt", add(add(mul(C_(wa), V("a")), mul(C_(wb), V("h"))), C_(wc)), C(0)), C(1), C(0)),
            C_(h0), x, t)
    target = {"all": ("rec", "y", "a", ("ite", ("eq", V("a"), C(0)), C(0), V("y")), C(1), x, t),
              "any": ("rec", "y", "a", ("ite", ("eq", V("a"), C(1)), C(1), V("y")), C(0), x, t),
              "last": ("rec", "y", "a", V("a"), C(0), x, t),
              "parity": ("rec", "y", "a", ("ite", ("eq", V("a"), C(1)), sub(C(1), V("y")), V("y")), C(0), x, t),
              "input": ("seq", x, t)}[family]
    rel = ("eq", add(mul(C_(wu), unit), C_(ww)), target)
    domains = {"t": IntRange(k, None), "x": Indexed(IntRange(0, 1))}
    for n in range(k, k + 6):
        for xs in itertools.product((0, 1), repeat=n):
            env = {"t": F(n), "x": [F(v) for v in xs]}
            if not holds(rel, env):
                return Case("recurrence", name, "forall", domains, rel, False, {"t": F(n), "x": list(xs)})
    return Case("recurrence", name, "forall", domains, rel, True)


def C_(q):
    return ("const", F(q))


GENERATORS = {"polynomial": polynomial, "rational": rational, "transcendental": transcendental, "sum": None,
              "nested_sum": nested_sum, "derivative": derivative, "kink": kink, "piecewise": piecewise,
              "vector": vector, "exists": exists_case, "ranges": ranges,
              "conditional": conditional, "nested": nested, "unique": unique,
              "induction": induction, "limit": limit_case, "recurrence": recurrence_case,
              "sized": lambda draw, name: _sized().generate(draw, name)}


def _sized():
    """Statements over matrices of symbolic size, with their truth fixed by numpy (tests/oracle_sized.py)."""
    import oracle_sized

    return oracle_sized


# The oracle's choice of each uninterpreted function, with its derivative written out by hand: a statement claimed for
# every function is false when it fails for these at a point (bounded, with bounded slopes, so that difference
# quotients settle).
UNINTERPRETED = {
    "φ": (lambda t: t / (1 + t ** 2), lambda t: (1 - t ** 2) / (1 + t ** 2) ** 2),
    "G": (lambda t: t ** 2 / (1 + t ** 2), lambda t: 2 * t / (1 + t ** 2) ** 2),
    "h": (lambda t: (2 * t + 1) / (t ** 2 + 2), lambda t: (4 - 2 * t - 2 * t ** 2) / (t ** 2 + 2) ** 2),
}


def chain(node: tuple, name: str) -> tuple:
    """The derivative of an AST of +, -, ·, whole powers and uninterpreted functions, by the textbook rules: an
    uninterpreted f(a) gives f'(a) · a'."""
    op = node[0]
    if op == "var":
        return C(1 if node[1] == name else 0)
    if op == "const":
        return C(0)
    if op in ("add", "sub"):
        return (op, chain(node[1], name), chain(node[2], name))
    if op == "neg":
        return ("neg", chain(node[1], name))
    if op == "mul":
        return add(mul(chain(node[1], name), node[2]), mul(node[1], chain(node[2], name)))
    if op == "pow":
        return mul(mul(C(node[2]), ("pow", node[1], node[2] - 1)), chain(node[1], name))
    if op == "fn":
        return mul(("dfn", node[1], node[2]), chain(node[2], name))
    raise ValueError(op)


def uninterpreted(draw, name: str) -> Optional[Case]:
    """Statements over every differentiable φ, G, h: chain-rule identities built by `chain` (true), planted changes
    refuted by the oracle's functions at a grid point (false), an existential nonzero derivative (true where the
    expression reads x, false where it cannot), and congruence without derivatives (z3's uninterpreted functions)."""
    x, y = V("x"), V("y")
    domains = {"x": Real, "y": Real}
    u = poly_node(random_poly(draw, ("x", "y")), ("x", "y"))
    f, g = draw.pick(("φ", "G", "h")), draw.pick(("φ", "G", "h"))
    shape = draw.int(0, 6)
    if shape == 6:  # a derivative where a condition on the functions' slopes holds
        form = draw.int(0, 2)
        if form == 0:  # f'(u) = 0 makes the derivative of g(f(u)) 0
            return Case("uninterpreted", name, "forall", domains,
                        ("implies", ("eq", ("dfn", f, u), C(0)), ("eq", ("diff", ("fn", g, ("fn", f, u)), "x"), C(0))), True)
        if form == 1:  # f' > 0 at 2x makes f(2x) increase
            return Case("uninterpreted", name, "forall", domains,
                        ("implies", ("gt", ("dfn", f, mul(C(2), x)), C(0)), ("gt", ("diff", ("fn", f, mul(C(2), x)), "x"), C(0))), True)
        # the slope at x says nothing of the slope at 2x
        return _falsified("uninterpreted", name, "forall", domains,
                          ("implies", ("eq", ("dfn", f, x), C(0)), ("eq", ("diff", ("fn", f, mul(C(2), x)), "x"), C(0))))
    if shape == 0:
        expr = ("fn", f, u)
    elif shape == 1:
        expr = ("fn", f, ("fn", g, u))
    elif shape == 2:
        expr = mul(("fn", f, u), ("fn", g, mul(x, y)))
    elif shape == 3:
        expr = add(mul(C(F(draw.pick((1, 2, -3)), 2)), ("pow", ("fn", f, u), 2)), ("fn", g, x))
    elif shape == 4:
        if draw.int(0, 1):  # reads x: some point and function give a nonzero derivative
            expr = ("fn", f, add(x, ("fn", g, y)))
            return Case("uninterpreted", name, "exists", domains, ("ne", ("diff", expr, "x"), C(0)), True)
        expr = ("fn", f, mul(y, ("fn", g, y)))
        return Case("uninterpreted", name, "exists", domains, ("ne", ("diff", expr, "x"), C(0)), False)
    else:
        if draw.int(0, 1):  # congruence: equal arguments give equal values, whatever the function
            return Case("uninterpreted", name, "forall", domains,
                        ("implies", ("eq", x, y), ("eq", ("fn", f, add(x, u)), ("fn", f, add(y, u)))), True)
        return _falsified("uninterpreted", name, "forall", domains, ("eq", ("fn", f, x), ("fn", f, y)))
    derivative_ = chain(expr, "x")
    if draw.int(0, 1):
        return Case("uninterpreted", name, "forall", domains, ("eq", ("diff", expr, "x"), derivative_), True)
    planted = draw.pick((mul(C(2), derivative_), add(derivative_, ("dfn", f, x)), sub(derivative_, ("fn", g, u))))
    return _falsified("uninterpreted", name, "forall", domains, ("eq", ("diff", expr, "x"), planted))


GENERATORS["uninterpreted"] = uninterpreted


def generate(draw, kind: str, name: str) -> Optional[Case]:
    """One case of the kind, or None where the draw gave nothing whose truth is settled here."""
    if kind == "sum":
        shape = draw.int(0, 5)
        return (split_case, bounds_case, telescoping, sum_case, sum_case, sum_case)[shape](draw, name)
    return GENERATORS[kind](draw, name)


def confirm(case: Case) -> None:
    """The truth as built, checked again by the plain evaluator where it can be: a false universal statement fails at
    its witness; a true one holds at the grid's points."""
    if case.kind == "sized":  # its truth was fixed by numpy when it was built (tests/oracle_sized.py)
        return
    if case.quantifier == "forall" and not case.truth:
        assert case.witness is not None and fails(case.relation, {**(case.stated or {}), **case.witness}), case
    if case.quantifier == "forall" and case.truth and not any(d.shape or d.indexed for d in case.domains.values()):
        for point in ({n: g for n, g in zip(case.domains, combo)} for combo in _few(case)):
            try:
                assert value(case.relation, {**(case.stated or {}), **point}), (case, point)
            except Unsure:
                pass


def _few(case: Case):
    import itertools

    grids = [_grid(d)[:5] for d in case.domains.values()]
    return itertools.islice(itertools.product(*grids), 12)


def verdict_class(case: Case, verdict: str, status: str) -> str:
    """How a verdict compares with the truth: ok, unknown, false_pass, false_proof, false_refutation, error."""
    passing = status == "pass"
    if verdict == "error":
        return "error"
    if case.truth:
        if verdict == "refuted":
            return "false_refutation"
        return "ok" if passing else "unknown"
    if verdict in ("proved", "exhausted"):
        return "false_proof"
    if passing:
        return "false_pass"
    return "ok" if verdict == "refuted" else "unknown"


# --- domain boundaries, one-sided limits and premises that never hold ----------------------------------------------
# Classes an author writing statements by hand reaches for and the kinds above do not draw: a linear f(x) = a·(x - L)
# + b over an interval with open or closed ends, ℕ (which has 0), IntRange(k, None) (its smallest element, L large
# or not), ℝ>0; the terms that have a value only where f > 0 or f ≥ 0 or f ≠ 0 (log, sqrt, fractional powers, 1/f);
# limits at a finite point where the body has no value on one side or the sides disagree; premises that are never
# true together. Each truth is computed here from the image of f, an interval whose ends are known exactly.

def _image(a: F, b: F, offset: int, dom) -> tuple:
    """(low, low attained, high, high attained) of a·(x - offset) + b over the domain; None for an infinite end."""
    f = lambda x: a * (x - offset) + b  # noqa: E731
    lo, hi = dom.lower, dom.upper
    lo_in = lo is not None and not dom.lower_open
    hi_in = hi is not None and not dom.upper_open
    ends = [(None if lo is None else f(lo), lo_in), (None if hi is None else f(hi), hi_in)]
    if a < 0:
        ends.reverse()
    (low, low_in), (high, high_in) = ends
    if low is None:
        low_in = False
    if high is None:
        high_in = False
    return low, low_in, high, high_in


def _zero_inside(a: F, b: F, offset: int, dom) -> bool:
    root = offset - b / a
    return bool(dom.contains(root)) if dom.kind == "real" or root.denominator == 1 else False


def _bounded_domain(draw, offset: int):
    choice = draw.int(0, 5)
    lo, hi = draw.pick((-2, -1, 0, 1)), draw.pick((1, 2, 3))
    if choice == 0:
        return Interval(lo + offset, hi + offset, lower_open=bool(draw.int(0, 1)), upper_open=bool(draw.int(0, 1)))
    if choice == 1:
        return Interval(lo + offset, None, lower_open=bool(draw.int(0, 1)))
    if choice == 2:
        return Interval(None, hi + offset, upper_open=bool(draw.int(0, 1)))
    if choice == 3:
        return Positive if offset == 0 else Interval(offset, None, lower_open=True)
    if choice == 4:
        return Nat if offset == 0 else IntRange(offset, None)
    return IntRange(lo + offset, None) if draw.int(0, 1) else IntRange(lo + offset, hi + offset)


def _boundary_points(dom, a: F, b: F, c: F, offset: int) -> list:
    """Candidate points for a witness: the domain's ends, where f is 0 or c, and points just inside the ends."""
    out = []
    for bound in (dom.lower, dom.upper):
        if bound is not None:
            out += [bound, bound + F(1, 2), bound - F(1, 2), bound + F(1, 1000), bound - F(1, 1000), bound + 1, bound - 1]
    out += [offset - b / a, offset + (c - b) / a, F(offset), F(offset + 1), F(offset - 1), F(offset + 5), F(offset - 5)]
    out += [offset + (c - b) / a + d for d in (F(1, 2), F(-1, 2), F(1, 1000), F(-1, 1000))]
    return [p for p in dict.fromkeys(out) if dom.contains(p)]


def boundary(draw, name: str) -> Optional[Case]:
    """f(x) ⋈ c for all x (or some x) of a domain with open or closed ends, and terms defined only where f > 0, f ≥ 0
    or f ≠ 0: the truth from f's image (its ends, whether attained), a false universal one's witness found among the
    domain's ends and f's roots and confirmed by the plain evaluator."""
    offset = draw.pick((0, 0, 0, 0, 10 ** 12))
    dom = _bounded_domain(draw, offset)
    a, b = F(draw.pick((1, -1, 2, F(-1, 2)))), F(draw.pick((-2, -1, 0, 1, 2)))
    c = F(draw.pick((-1, 0, 1, 2)))
    x = V("x")
    f = add(mul(C(a), sub(x, C(offset)) if offset else x), C(b)) if b else mul(C(a), sub(x, C(offset)) if offset else x)
    low, low_in, high, high_in = _image(a, b, offset, dom)
    positive = low is not None and (low > 0 or (low == 0 and not low_in))
    nonnegative = low is not None and low >= 0
    nonzero = not _zero_inside(a, b, offset, dom)
    form = draw.int(0, 9)
    if form == 9 and offset:  # σ of a number far from 0 is 0 or 1 in floats: kept near 0
        form = 4
    quantifier = "forall"
    if form <= 3:  # f ⋈ c
        rel_name = ("gt", "ge", "lt", "le")[form]
        rel = (rel_name, f, C(c))
        if draw.int(0, 2) == 0:  # some x
            quantifier = "exists"
            truth = {"gt": high is None or high > c, "ge": high is None or high > c or (high == c and high_in),
                     "lt": low is None or low < c, "le": low is None or low < c or (low == c and low_in)}[rel_name]
        else:
            truth = {"gt": low is not None and (low > c or (low == c and not low_in)),
                     "ge": low is not None and low >= c,
                     "lt": high is not None and (high < c or (high == c and not high_in)),
                     "le": high is not None and high <= c}[rel_name]
    elif form == 4:  # log(f) <= f - 1: a value needs f > 0
        rel, truth = ("le", ("log", f), sub(f, C(1))), positive
    elif form == 5:  # sqrt(f)·sqrt(f) = f: f >= 0
        rel, truth = ("eq", mul(("sqrt", f), ("sqrt", f)), f), nonnegative
    elif form == 6:  # f/f = 1 and f^-1·f = 1: f ≠ 0
        rel = ("eq", ("div", f, f), C(1)) if draw.int(0, 1) else ("eq", mul(("pow", f, -1), f), C(1))
        truth = nonzero
    elif form == 7:  # f^(1/2) >= 0: f >= 0; f^(-1/2) > 0: f > 0
        if draw.int(0, 1):
            rel, truth = ("ge", ("fpow", f, F(1, 2)), C(0)), nonnegative
        else:
            rel, truth = ("gt", ("fpow", f, F(-1, 2)), C(0)), positive
    elif form == 8:  # a premise that lets the zero of f in, or keeps it out
        strict = draw.int(0, 1)
        rel = ("implies", ("gt" if strict else "ge", f, C(0)), ("le", ("log", f), sub(f, C(1))))
        truth = bool(strict) or not _zero_inside(a, b, offset, dom)
    else:  # log(1 - σ(f)) and sqrt(1 - tanh(f)²) have a value everywhere; log(σ(f) - 1/2) only where f > 0
        if draw.int(0, 1):
            rel, truth = ("lt", ("log", sub(C(1), ("sigmoid", f))), C(0)), True
        else:
            rel, truth = ("lt", ("log", sub(("sigmoid", f), C(F(1, 2)))), C(0)), positive
    return _at_candidates("boundary", name, quantifier, dom, rel, truth, _boundary_points(dom, a, b, c, offset))


def _at_candidates(kind, name, quantifier, dom, rel, truth, points) -> Optional[Case]:
    """The case over x ∈ dom with the truth fixed from the image, confirmed by the plain evaluator at the candidate
    points: an existential one true only where a candidate shows it, a universal false one with the first candidate
    where it fails as its witness; None (not drawn) where no candidate shows the truth."""
    domains = {"x": dom}
    if quantifier == "exists":
        found = next((p for p in points if _holds_surely(rel, {"x": p})), None)
        if truth and found is None:
            return None  # true, but no candidate shows it here: not drawn
        assert found is None or truth, (rel, dom, found)
        return Case(kind, name, "exists", domains, rel, truth)
    failing = next((p for p in points if fails(rel, {"x": p})), None)
    if truth:
        assert failing is None, (rel, dom, failing)
        return Case(kind, name, "forall", domains, rel, True)
    if failing is None:
        return None
    return Case(kind, name, "forall", domains, rel, False, {"x": failing})


def _holds_surely(relation: tuple, env: dict) -> bool:
    try:
        return holds(relation, env)
    except Unsure:
        return False


def _side_limits(body: tuple, name: str, point: F, env: dict) -> F:
    """The exact value a limit's construction gives it, kept only where the plain evaluator sees both sides settle
    on it: the body evaluated at point ± 10^-k; no value on a side near the point, or sides that settle apart, is no
    limit (Undef)."""
    settled = []
    for side in (1, -1):
        values = []
        for k in (4, 5, 6, 7):
            try:
                values.append(float(value(body, {**env, name: point + side * F(1, 10 ** k)})))
            except Undef:
                raise Undef("no value on a side of the point") from None
        if abs(values[-1] - values[-2]) > 1e-3:
            raise Unsure("a side that does not settle")
        settled.append(values[-1])
    if abs(settled[0] - settled[1]) > 1e-2:
        raise Undef("the one-sided limits differ")
    if abs(settled[0] - settled[1]) > 1e-4:
        raise Unsure("one-sided limits not settled")
    return settled[0]


def limit_point(draw, name: str) -> Optional[Case]:
    """lim_{w → p} body = v at a finite point p: bodies undefined at p with a limit (difference quotients, u·log(u²)),
    with no value on one side (sqrt(u), u·log(u)), or whose sides disagree (a step, |u|/u, relu(u)/u). The value v is
    the limit (true) or the limit plus 1 (false), or any value where there is no limit (false)."""
    p = F(draw.pick((0, 1, -1, 2)))
    w = V("w")
    u = sub(w, C(p)) if p else w
    k = F(draw.pick((1, 2, -3)))
    families = [  # (body, the limit or None where there is none)
        (("sqrt", u), None),
        (mul(u, ("log", u)), None),
        (("ite", ("ge", u, C(0)), C(1), C(0)), None),
        (("ite", ("gt", u, C(0)), C(k), C(0)), None),
        (("div", ("abs", u), u), None),
        (("div", ("relu", u), u), None),
        (("sqrt", mul(u, u)), F(0)),
        (mul(u, ("log", mul(u, u))), F(0)),
        (("ite", ("ge", u, C(0)), u, ("neg", u)), F(0)),
        (("div", add(mul(u, u), mul(C(k), u)), u), k),
        (("div", sub(("exp", u), C(1)), u), F(1)),
        (mul(u, ("ite", ("gt", u, C(0)), C(1), C(2))), F(0)),
        (("div", sub(("sqrt", add(C(1), u)), C(1)), u), F(1, 2)),
    ]
    body, limit = draw.pick(families)
    if limit is None:
        stated = F(draw.pick((0, 1, k)))
        truth = False
    else:
        stated = limit + (1 if draw.int(0, 1) else 0)
        truth = stated == limit
    rel = ("eq", ("plimit", "w", body, p, limit), C(stated))
    return Case("limit_point", name, "forall", {"x": Real}, rel, truth, None if truth else {"x": F(0)})


def combined(draw, name: str) -> Optional[Case]:
    """Premises that are never true together (the consequent then need not even have a value: true), the same with
    the premises overlapping (false where the consequent fails in the overlap), and an uninterpreted function under a
    premise, or named in the premise."""
    x, y = V("x"), V("y")
    form = draw.int(0, 5)
    if form >= 4:  # a function inside an inner quantifier: some y = f(x) + c (true), some m in 0..2 with f(x)·m = 1
        f, c = draw.pick(("φ", "G", "h")), F(draw.pick((0, 2, -1)))
        if form == 4:
            return Case("combined", name, "forall", {"x": Real},
                        ("some", "y", ("real",), ("eq", V("y"), add(("fn", f, x), C(c)))), True)
        rel = ("some", "m", ("range", 0, 2), ("eq", mul(("fn", f, x), V("m")), C(1)))
        return _falsified_on("combined", name, {"x": Real}, rel, {"x": GRID})
    if form <= 1:  # x > s ∧ x < t, then 1/(x - r) = q
        s, gap = F(draw.pick((0, 1, -1))), F(draw.pick((-1, 0, 1, 2)))
        t = s + gap
        r = F(draw.pick((0, 1, 2)))
        q = F(draw.pick((1, 2)))
        premise = ("and", ("gt", x, C(s)), ("lt", x, C(t)))
        if form == 1:  # a third premise that excludes the rest
            premise = ("and", premise, ("gt", mul(x, x), C(-1)))
        consequent = ("eq", ("div", C(1), sub(x, C(r))), C(q))
        rel = ("implies", premise, consequent)
        if gap <= 0:
            return Case("combined", name, "forall", {"x": Real}, rel, True)
        grid = [s + gap * F(i, 8) for i in range(1, 8)] + [r]
        return _falsified_on("combined", name, {"x": Real}, rel, {"x": grid})
    f = draw.pick(("φ", "G", "h"))
    if form == 2:  # a premise on the function's slope at the point the derivative is taken at
        scale = F(draw.pick((1, 2)))
        inner = mul(C(scale), x) if scale != 1 else x
        rel = ("implies", ("gt", ("dfn", f, inner), C(0)), ("gt", ("diff", ("fn", f, inner), "x"), C(0)))
        if draw.int(0, 1):
            return Case("combined", name, "forall", {"x": Real}, rel, True)
        rel = ("implies", ("gt", ("dfn", f, x), C(0)), ("gt", ("diff", ("fn", f, mul(C(-1), x)), "x"), C(0)))
        return _falsified_on("combined", name, {"x": Real}, rel, {"x": GRID})
    # the function under premises on x and y that are never true together, or that are
    lo = F(draw.pick((0, 1)))
    premise = ("and", ("gt", x, C(lo)), ("lt", mul(x, x), C(lo * lo)))  # x > lo ≥ 0 and x² < lo²: never
    rel = ("implies", premise, ("eq", ("fn", f, x), ("fn", f, y)))
    if draw.int(0, 1):
        return Case("combined", name, "forall", {"x": Real, "y": Real}, rel, True)
    rel = ("implies", ("gt", x, C(lo)), ("eq", ("fn", f, x), ("fn", f, y)))
    return _falsified_on("combined", name, {"x": Real, "y": Real}, rel, {"x": GRID, "y": GRID})


def _falsified_on(kind, name, domains, relation, grids) -> Optional[Case]:
    witness = find_witness(relation, list(domains), grids)
    return None if witness is None else Case(kind, name, "forall", domains, relation, False, witness)


GENERATORS.update({"boundary": boundary, "limit_point": limit_point, "combined": combined})
KINDS = KINDS + ("boundary", "limit_point", "combined")


def counter(draw, name: str) -> Optional[Case]:
    """A recurrence whose state is unbounded, h_t = h_{t-1} + x_t from 0 over bits (the ones so far), against a bound
    that reads t: h[t] ≤ a·t + b or h[t] ≥ a·t + b at every step t ≥ k. h[t] ranges over 0..t (all zeros, all ones), so
    the first holds iff (1 - a)·t ≤ b for every t ≥ k, the second iff a·t + b ≤ 0 for every t ≥ k; a false one fails
    at the first step where the extreme sequence breaks it."""
    k = draw.int(1, 3)
    a, b = F(draw.pick((0, 1, 2, F(1, 2), -1))), F(draw.pick((0, 1, -1, 3)))
    t = V("t")
    count = ("rec", "h", "e", add(V("h"), V("e")), C(0), "x", t)
    bound = add(mul(C(a), t), C(b)) if b else mul(C(a), t)
    upper = draw.int(0, 1)
    rel = ("le", count, bound) if upper else ("ge", count, bound)
    if upper:
        truth = a >= 1 and (1 - a) * k <= b
        extreme = 1
    else:
        truth = a <= 0 and a * k + b <= 0
        extreme = 0
    domains = {"t": IntRange(k, None), "x": Indexed(IntRange(0, 1))}
    if truth:
        return Case("counter", name, "forall", domains, rel, True, ordinary=False)
    for n in range(k, k + 40):
        witness = {"t": F(n), "x": [F(extreme)] * n}
        if fails(rel, witness):
            return Case("counter", name, "forall", domains, rel, False, {"t": F(n), "x": [extreme] * n})
    return None


GENERATORS["counter"] = counter
KINDS = KINDS + ("counter",)


def _power_base(draw) -> tuple:
    """A base of the power limits: a constant, or (x² + a)/(x² + b)."""
    if draw.int(0, 1):
        return C(draw.pick((0, F(1, 2), F(3, 4), 1, F(5, 4), 2, F(-1, 2))))
    x = V("x")
    a, b = draw.pick((1, 2, 3)), draw.pick((1, 2, 3))
    return ("div", add(mul(x, x), C(a)), add(mul(x, x), C(b)))


def power_limit(draw, name: str) -> Optional[Case]:
    """lim_{w → ∞} r^w = L for a base r that is a constant or (x² + a)/(x² + b) (a discount γ^T, a vanishing product
    λ^T): 0 for 0 ≤ r < 1, 1 for r = 1; no value for r > 1 (infinite) or r < 0 (r^w is not real for w between the
    integers, and the limit variable is real). L (true where the limit is L at every x) or L + 1, by `value`."""
    limit = ("powlimit", "w", _power_base(draw))
    expected = C(draw.pick((0, 1)))
    relation = ("eq", limit, expected if draw.int(0, 2) else add(expected, C(1)))
    return _settled_over_grid("power_limit", name, {"x": Real}, relation)


def _settled_over_grid(kind, name, domains, relation) -> Optional[Case]:
    """True where the relation holds at every point of the grid and its truth does not depend on the point there (the
    generator's statements are built so); false with the first point where it fails."""
    witness = find_witness(relation, list(domains), {n: GRID for n in domains})
    if witness is None:
        return Case(kind, name, "forall", domains, relation, True)
    return Case(kind, name, "forall", domains, relation, False, witness)


def _power_limit_value(node: tuple, env: dict) -> F:
    r = value(node[2], env)
    if not isinstance(r, F):
        raise Unsure("a base that is not exact")
    if r < 0:
        raise Undef("a power of a negative base has no real value between the integers")
    if len(node) > 3 and node[3] < 0:  # towards -∞: r^w = (1/r)^(-w)
        if r == 0:
            raise Undef("0 to a negative power")
        if r < 1:
            raise Undef("an infinite limit")
        return F(1) if r == 1 else F(0)
    if r > 1:
        raise Undef("an infinite limit")
    return F(1) if r == 1 else F(0)


GENERATORS["power_limit"] = power_limit
KINDS = KINDS + ("power_limit",)


def power_limit_below(draw, name: str) -> Optional[Case]:
    """lim_{w → -∞} r^w = L for the bases of power_limit: 0 for r > 1, 1 for r = 1; no value for 0 ≤ r < 1 (infinite,
    or 0 to a negative power) or r < 0. L or L + 1, by `value`. (sympy's own limit of c^w at -∞ is inverted.)"""
    base = _power_base(draw)
    expected = C(draw.pick((0, 1)))
    relation = ("eq", ("powlimit", "w", base, -1), expected if draw.int(0, 2) else add(expected, C(1)))
    return _settled_over_grid("power_limit_below", name, {"x": Real}, relation)


GENERATORS["power_limit_below"] = power_limit_below
KINDS = KINDS + ("power_limit_below",)


# --- rational powers of a linear base -------------------------------------------------------------------------------

def _power_compare(t: F, k: F, c: F) -> int:
    """The sign of t^k - c for t ≥ 0 (t > 0 where k < 0), in exact arithmetic: t^(p/q) ⋈ c ⇔ t^p ⋈ c^q for c ≥ 0."""
    if c < 0:
        return 1
    left, right = (t ** k.numerator if t else F(0)), c ** k.denominator
    return (left > right) - (left < right)


def rational_power(draw, name: str) -> Optional[Case]:
    """f(x)^(p/q) ⋈ c and f^(1/2)·f^(1/2) = f, for all x (or some x) of a domain with open or closed ends, f = a·x + b:
    a power has a value only where f ≥ 0 (f > 0 for a negative exponent), so the base is positive, zero somewhere or
    negative somewhere on the domain as drawn. The truth from f's image, on which t ↦ t^(p/q) is monotone; a false
    universal one's witness is found among the domain's ends, f's root and a grid, and confirmed by the plain
    evaluator."""
    dom = _bounded_domain(draw, 0)
    a, b = F(draw.pick((1, -1, 2, F(-1, 2)))), F(draw.pick((-2, -1, 0, 1, 2, 3)))
    k = F(draw.pick((F(1, 2), F(-1, 2), F(1, 3), F(2, 3), F(-2, 3), F(3, 2), F(-3, 2), F(5, 2))))
    c = F(draw.pick((-1, 0, F(1, 4), 1, 2)))
    x = V("x")
    f = add(mul(C(a), x), C(b)) if b else mul(C(a), x)
    low, low_in, high, high_in = _image(a, b, 0, dom)
    defined = low is not None and (low > 0 or (low == 0 and (k > 0 or not low_in)))
    form = draw.int(0, 4)
    if form == 4:  # f^(1/2)·f^(1/2) = f: a value where f ≥ 0
        rel, truth, quantifier = ("eq", mul(("fpow", f, F(1, 2)), ("fpow", f, F(1, 2))), f), \
            low is not None and low >= 0, "forall"
    else:
        op = ("gt", "ge", "gt", "ge")[form]
        rel = (op, ("fpow", f, k), C(c))
        quantifier = "exists" if form >= 2 else "forall"
        if quantifier == "forall":  # the least value of f^k: at the low end of the image (k > 0) or the high one
            if not defined:
                truth = False
            else:
                end, attained = (low, low_in) if k > 0 else (high, high_in) if high is not None else (F(0), False)
                sign = _power_compare(end, k, c) if (end or k > 0) else (1 if c < 0 else 0 if c == 0 else -1)
                truth = sign >= 0 if op == "ge" else sign > 0 or (sign == 0 and not attained)
        else:  # the largest value of f^k, where the power has a value everywhere (else not drawn)
            if not defined:
                return None
            if k > 0:
                top, attained = (high, high_in) if high is not None else (None, False)
            else:
                top, attained = (low, low_in) if low > 0 else (None, False)
            if top is None:
                truth = True
            else:
                sign = _power_compare(top, k, c)
                truth = sign > 0 or (sign == 0 and op == "ge" and attained)
    points = _boundary_points(dom, a, b, c, 0) + [p for p in (F(n, 4) for n in range(-24, 25)) if dom.contains(p)]
    return _at_candidates("rational_power", name, quantifier, dom, rel, truth, points)


GENERATORS["rational_power"] = rational_power
KINDS = KINDS + ("rational_power",)


# --- a real domain of one point, or of none -------------------------------------------------------------------------
# [p, p] is the one number p and [p + 1, p], (p, p), [p, p) have no point: a statement over one is decided at p (a
# transcendental value included) or vacuously. Each truth is computed here from f(p), a rational, by what each form
# says of it.

def point(draw, name: str) -> Optional[Case]:
    """f(x) ⋈ g(f(x)) over [p, p] or an empty interval, where whether it holds is a fact about the number f(p): log y ≤
    y - 1 for y > 0 (strict unless y = 1), e^y > 1 + y for y ≠ 0, σ(y) < 1/2 for y < 0, sqrt(y)² = y for y ≥ 0,
    tanh(y) ≥ y for y ≤ 0. No value counts as failing (a universal statement is false there, no witness)."""
    p = F(draw.pick((-2, -1, 0, F(1, 2), 1, 2, 3)))
    a, b = F(draw.pick((1, -1, 2, F(-1, 2)))), F(draw.pick((-1, 0, 1, 2)))
    shape = draw.int(0, 4)
    dom = (Interval(p, p), Interval(p, p), Interval(p + 1, p), Interval(p, p, open=True),
           Interval(p, p, lower_open=True))[shape]
    x = V("x")
    f = add(mul(C(a), x), C(b))
    y = a * p + b
    form = draw.int(0, 5)
    rel, truth_at_p = [
        (("le", ("log", f), sub(f, C(1))), y > 0),
        (("lt", ("log", f), sub(f, C(1))), y > 0 and y != 1),
        (("gt", ("exp", f), add(f, C(1))), y != 0),
        (("lt", ("sigmoid", f), C(F(1, 2))), y < 0),
        (("eq", mul(("sqrt", f), ("sqrt", f)), f), y >= 0),
        (("ge", ("tanh", f), f), y <= 0),
    ][form]
    quantifier = "exists" if draw.int(0, 2) == 0 else "forall"
    empty = shape >= 2
    truth = (quantifier == "forall") if empty else truth_at_p
    return _at_candidates("point", name, quantifier, dom, rel, truth, [] if empty else [p])


GENERATORS["point"] = point
KINDS = KINDS + ("point",)


# --- a fractional power of a kink ----------------------------------------------------------------------------------
# relu(u)^p for p > 1 (and sqrt(relu(u))³) is 0 on one side of the kink and u^p on the other: both one-sided slopes at
# the kink are 0, so it has a derivative everywhere, p·a·relu(u)^(p - 1). Truth by that calculus; a false one (a wrong
# factor, a missing chain-rule factor) has its witness found on the grid by the plain evaluator.

def kink_power(draw, name: str) -> Optional[Case]:
    a, b = F(draw.pick((1, 2, -1, F(1, 2)))), F(draw.pick((0, 1, -1)))
    x = V("x")
    u = add(mul(C(a), x), C(b)) if b else mul(C(a), x)
    p = F(draw.pick((F(3, 2), F(5, 2), F(4, 3))))
    if draw.int(0, 3) == 0:
        p = F(3, 2)
        f = ("pow", ("sqrt", ("relu", u)), 3)
    else:
        f = ("fpow", ("relu", u), p)
    slope = ("fpow", ("relu", u), p - 1)
    if draw.int(0, 1):
        return Case("kink_power", name, "forall", {"x": Real}, ("eq", ("diff", f, "x"), mul(C(p * a), slope)), True)
    wrong = draw.pick((p, p * a + 1, -p * a))  # the chain rule's factor a left out, or a wrong coefficient
    if wrong == p * a:
        wrong = p * a + 1
    return _falsified("kink_power", name, "forall", {"x": Real}, ("eq", ("diff", f, "x"), mul(C(wrong), slope)))


GENERATORS["kink_power"] = kink_power
KINDS = KINDS + ("kink_power",)


# --- kinks closer than a float tells apart -------------------------------------------------------------------------
# A statement proved piece by piece must show every piece between its kinks, however close two of them are: here the
# kinks are a and a + ε for ε down to 10^-40, each side a smooth factor exp(2x) (or exp(x)·exp(x), which z3 does not
# see as the same) times a bracket that is 0 left of a, (x - a)/ε between the kinks and 1 right of a + ε. A false form
# differs from it only between the kinks, at a witness there the plain evaluator confirms.

def close_kinks(draw, name: str) -> Optional[Case]:
    a, k = F(draw.pick((0, 1, -1, F(1, 2)))), draw.pick((3, 12, 30, 40))
    eps, x = F(1, 10 ** k), V("x")
    near, far = ("relu", sub(x, C(a))), ("relu", sub(x, C(a + eps)))
    bracket = mul(C(10 ** k), sub(near, far) if draw.int(0, 1) else add(mul(far, C(-1)), near))  # either kink first
    square = mul(("exp", x), ("exp", x))
    ramp = mul(C(10 ** k), near)
    forms = [  # (the bracket's value written another way, true, a witness between the kinks where a false one fails)
        (("min", ramp, C(1)), True, None),
        (("ite", ("ge", x, C(a + eps)), C(1), ramp), True, None),
        (("ite", ("gt", x, C(a)), C(1), C(0)), False, a + eps / 2),
        (("ite", ("gt", x, C(a + eps / 2)), C(1), ramp), False, a + 3 * eps / 4),
        (("min", mul(C(2), ramp), C(1)), False, a + eps / 4),
    ]
    other, truth, at = draw.pick(forms)
    rel = ("eq", mul(("exp", mul(C(2), x)), bracket), mul(square, other)) if draw.int(0, 1) else \
        ("eq", mul(square, other), mul(("exp", mul(C(2), x)), bracket))
    if truth:
        return Case("close_kinks", name, "forall", {"x": Real}, rel, True)
    witness = {"x": at}
    assert fails(rel, witness)
    return Case("close_kinks", name, "forall", {"x": Real}, rel, False, witness)


GENERATORS["close_kinks"] = close_kinks
KINDS = KINDS + ("close_kinks",)


# --- a sum over a range that may be empty, in closed form with relu -----------------------------------------------
# Σ_{i=lo}^{n} (c·i + d) for an integer n of any sign has k = relu(n - lo + 1) terms: it is d·k + c·(lo·k + k(k - 1)/2),
# and Σ_{i=n}^{hi} is d·k + c·(hi·k - k(k - 1)/2) with k = relu(hi - n + 1). A planted change counts the terms without
# relu, with |·|, one too few, or at least one. Both sides are polynomials of degree at most 2 in n on each side of the
# kinks, which lie in [-8, 8]: agreement at every whole n of [-20, 30] (in the domain) is agreement everywhere, and the
# first n there where they differ is the witness.

def relu_sum(draw, name: str) -> Optional[Case]:
    lo, c, d = draw.pick((-2, 0, 1, 3)), F(draw.pick((0, 1, 2, -1))), F(draw.pick((1, 2, -1)))
    upward = draw.int(0, 1)
    n, i = V("n"), V("i")
    span = sub(n, C(lo - 1)) if upward else sub(C(lo + 1), n)  # n - lo + 1, or hi - n + 1 with hi = lo
    count = draw.pick((("relu", span), ("relu", span), ("relu", span), span, ("abs", span),
                       ("relu", sub(span, C(1))), ("max", span, C(1))))
    body = add(mul(C(c), i), C(d)) if c else C(d)
    total = ("sum", "i", body, C(lo), n) if upward else ("sum", "i", body, n, C(lo))
    pairs = mul(C(F(1, 2)), mul(count, sub(count, C(1))))
    closed = add(mul(C(d), count), mul(C(c), add(mul(C(lo), count), pairs if upward else ("neg", pairs))))
    domains = {"n": draw.pick((Int, IntRange(-5, None), IntRange(-1, None), Nat))}
    rel = ("eq", total, closed) if draw.int(0, 1) else ("eq", closed, total)
    least = domains["n"].lower if domains["n"].lower is not None else -20
    failing = next((k for k in range(int(least), 31) if fails(rel, {"n": F(k)})), None)
    if failing is None:
        return Case("relu_sum", name, "forall", domains, rel, True)
    return Case("relu_sum", name, "forall", domains, rel, False, {"n": F(failing)})


GENERATORS["relu_sum"] = relu_sum
KINDS = KINDS + ("relu_sum",)
