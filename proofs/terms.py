"""Statement terms: the expression a claim's function builds, evaluated on z3, sympy or exact numbers and printed."""

from __future__ import annotations

import dataclasses
import fractions
import functools
import numbers
from typing import Any, Callable, Mapping, Sequence

__all__ = ["Term", "Unsupported", "term", "var", "const", "exp", "log", "tanh", "sigmoid", "softplus", "sqrt", "relu", "maximum",
           "minimum", "param", "tree", "ite", "diff", "implies", "dot", "matmul", "summation", "some", "every", "unique", "limit", "oo",
           "text", "RELATIONS",
           "NUMERIC_ONLY", "LAZY", "QUANTIFIERS", "Condition", "conditions", "atoms", "recurrence", "Recurrence", "always"]

# Relations a statement may decide, with their printed symbols.
RELATIONS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
# Functions with no exact z3 counterpart: a term using one is decided with sympy.
NUMERIC_ONLY = frozenset({"exp", "log", "tanh", "sigmoid", "softplus", "sqrt", "diff", "pow_var", "sum", "index", "recur"})
# Quantifiers inside a statement: ∃ (some) and ∀ (every) of a variable of their own over a domain.
QUANTIFIERS = frozenset({"some", "every"})
# Operators whose operands are evaluated only where they are needed, by a backend whose ops set "lazy": the consequent
# of an implication where its premise holds, the branch of an ite its condition selects.
LAZY = frozenset({"implies", "ite"})
# The connectives' truth tables over Python booleans (a list of the operands' truths -> the truth).
CONNECTIVES = {"and": all, "or": any, "not": lambda parts: not parts[0], "implies": lambda parts: (not parts[0]) or parts[1]}


class Unsupported(TypeError):
    """A backend cannot evaluate this term (z3 has no exponential, say); the engine tries another backend."""


class NotDifferentiated(Unsupported):
    """A derivative the engine does not take (of a limit, a quantified statement or a recurrence that depends on the
    variable): where the term has a derivative is not known, so a statement using it is unknown, not an error."""


@dataclasses.dataclass(frozen=True, eq=False)
class Term:
    """A node of a statement's expression, built by ordinary Python operators on quantified variables.

    op is "var" (args: name), "const" (args: an int or Fraction), an arithmetic operator, a relation, a connective
    or a function name; args are the operands. Comparisons build relations, so a Term has no truth value.
    """

    op: str
    args: tuple

    # Arithmetic.
    def __add__(self, other): return Term("add", (self, term(other)))
    def __radd__(self, other): return Term("add", (term(other), self))
    def __sub__(self, other): return Term("sub", (self, term(other)))
    def __rsub__(self, other): return Term("sub", (term(other), self))
    def __mul__(self, other): return Term("mul", (self, term(other)))
    def __rmul__(self, other): return Term("mul", (term(other), self))
    def __truediv__(self, other): return Term("div", (self, term(other)))
    def __rtruediv__(self, other): return Term("div", (term(other), self))
    def __pow__(self, other): return Term("pow", (self, term(other)))
    def __rpow__(self, other):
        if isinstance(other, float):  # Fraction(1, 2) ** k: Python's Fraction turns itself into a float first
            raise TypeError(f"the float {other!r} raised to {text(self)} is not exact (a Fraction raised to a term becomes "
                            f"a float in Python): write const(Fraction(...)) ** {text(self)}")
        return Term("pow", (term(other), self))
    def __neg__(self): return Term("neg", (self,))
    def __pos__(self): return self
    def __abs__(self): return Term("abs", (self,))

    def _no_remainder(self, *_):
        raise TypeError("% and // are not read on quantified variables (they have no form in the solvers here): "
                        "quantify over the quotient instead (n = k * q + r with q and r variables of their own)")

    __mod__ = __rmod__ = __floordiv__ = __rfloordiv__ = __divmod__ = __rdivmod__ = _no_remainder

    # Relations.
    def __eq__(self, other): return Term("eq", (self, term(other)))  # type: ignore[override]
    def __ne__(self, other): return Term("ne", (self, term(other)))  # type: ignore[override]
    def __lt__(self, other): return Term("lt", (self, term(other)))
    def __le__(self, other): return Term("le", (self, term(other)))
    def __gt__(self, other): return Term("gt", (self, term(other)))
    def __ge__(self, other): return Term("ge", (self, term(other)))

    # Connectives, on relations: a & b, a | b, ~a.
    def __and__(self, other): return Term("and", (self, term(other)))
    def __rand__(self, other): return Term("and", (term(other), self))
    def __or__(self, other): return Term("or", (self, term(other)))
    def __ror__(self, other): return Term("or", (term(other), self))
    def __invert__(self): return Term("not", (self,))

    # An element of a sequence variable (Indexed): x[i], x[i + 1], x[n].
    def __getitem__(self, index): return Term("index", (self, term(index)))

    __hash__ = None  # type: ignore[assignment]
    __iter__ = None  # type: ignore[assignment]  # a sequence has no length to iterate over: write summation(...)

    def __bool__(self) -> bool:
        raise TypeError("a statement cannot branch on a quantified variable (if, and, or, not, chained comparisons): "
                        "use ite(cond, a, b), &, |, ~ and implies(a, b)")

    def __str__(self) -> str:
        return text(self)

    __repr__ = __str__


def term(value: Any) -> Term:
    """A Term for a Term, an exact number or a bool; floats are refused (they are not the material's exact values)."""
    if isinstance(value, Term):
        return value
    if isinstance(value, bool):
        return Term("bool", (value,))
    if isinstance(value, int):
        return Term("const", (value,))
    if isinstance(value, fractions.Fraction):
        return Term("const", (value.numerator,) if value.denominator == 1 else (value,))
    if isinstance(value, numbers.Integral):
        return Term("const", (int(value),))
    from proofs.shaped import Dim

    if isinstance(value, Dim):  # a symbolic size in an index expression (a * V + b)
        return term(value.as_term())
    if isinstance(value, float):
        raise TypeError(f"the float {value!r} is not exact: write Fraction({str(value)!r}) or a fraction such as Fraction(1, 10)")
    raise TypeError(f"a statement term cannot hold {type(value).__name__} {value!r}: use numbers, variables and their arithmetic")


def var(name: str) -> Term:
    return Term("var", (name,))


def const(value) -> Term:
    return term(value)


def param(name: str, value) -> Term:
    """A stated value of the material under its name: printed as the name, evaluated as the value."""
    return Term("param", (name, term(value)))


def _fn(name: str) -> Callable[..., Term]:
    def apply(*args):
        return Term(name, tuple(term(a) for a in args))
    apply.__name__ = name
    return apply


exp, log, tanh, sigmoid, sqrt, relu = (_fn(n) for n in ("exp", "log", "tanh", "sigmoid", "sqrt", "relu"))
softplus = _fn("softplus")  # log(1 + exp(a))
maximum, minimum, implies = _fn("max"), _fn("min"), _fn("implies")


def ite(condition, then, otherwise) -> Term:
    """then where the condition holds, otherwise elsewhere."""
    return Term("ite", (term(condition), term(then), term(otherwise)))


def diff(expression, variable: Term) -> Term:
    """The derivative of the expression with respect to a quantified variable."""
    if not isinstance(variable, Term) or variable.op != "var":
        raise TypeError("diff(expression, v) differentiates with respect to a quantified variable v")
    return Term("diff", (term(expression), variable))


def summation(body: Callable[[Term], Any], lower, upper) -> Term:
    """The sum of body(i) for the integers i from lower to upper (either may be a quantified variable, so the sum has
    a symbolic length): summation(lambda i: (a + b * x[i] - y[i]) ** 2, 1, n). The index is named after body's
    parameter."""
    import inspect

    if not callable(body):
        raise TypeError("summation(body, lower, upper) takes the summand as a function of the index: lambda i: ...")
    names = list(inspect.signature(body).parameters)
    if len(names) != 1:
        raise TypeError("the summand of summation(...) is a function of one index, e.g. lambda i: x[i] ** 2")
    index = var(names[0])
    return Term("sum", (term(body(index)), index, term(lower), term(upper)))


class Recurrence:
    """The values h_0, h_1, h_2, ... of a recurrence h_t = step(h_{t-1}, x_t, ...) over input sequences, built by
    `recurrence`; h[t] is the value after t steps (h[0] is the initial value), a term of the statement."""

    def __init__(self, body: Term, state: Term, initial: Term, letters: tuple, sequences: tuple) -> None:
        self.body, self.state, self.initial, self.letters, self.sequences = body, state, initial, letters, sequences

    def __getitem__(self, index) -> Term:
        pairs = tuple(part for pair in zip(self.letters, self.sequences) for part in pair)
        return Term("recur", (self.body, self.state, self.initial, term(index), *pairs))

    def __iter__(self):
        raise TypeError("a recurrence has a value at every step: read one as h[t]")

    def __str__(self) -> str:
        return text(self[var("t")])

    __repr__ = __str__


def recurrence(step: Callable[..., Any], initial, *inputs: Term) -> Recurrence:
    """h_t = step(h_{t-1}, x_t, ...) for t = 1, 2, ..., from h_0 = initial, where x_t, ... are the t-th elements of
    the input sequences (variables annotated Indexed(...)): recurrence(lambda h, x_t: ite(w * x_t + u * h > 0, 1, 0),
    0, x)[t]. The step's first parameter is the previous value, then one parameter per input sequence, named as the
    function names them. h[t] needs x_1, ..., x_t (and t a whole number >= 0)."""
    import inspect

    if not callable(step):
        raise TypeError("recurrence(step, initial, x, ...) takes the step as a function: lambda h, x_t: ...")
    names = list(inspect.signature(step).parameters)
    if not inputs or len(names) != 1 + len(inputs):
        raise TypeError(f"the step of recurrence(...) takes the previous value and one value per input sequence "
                        f"({len(inputs)} given): lambda h, x_t: ...")
    if len(set(names)) != len(names):
        raise TypeError("the step's parameters need distinct names")
    for sequence in inputs:
        if not isinstance(sequence, Term) or sequence.op != "var":
            raise TypeError(f"the inputs of recurrence(...) are sequence variables (annotated Indexed(...)), not {sequence!r}")
    state, letters = var(names[0]), tuple(var(n) for n in names[1:])
    body = term(step(state, *letters))
    if body.op in (*RELATIONS, "and", "or", "not", "implies", "bool", *QUANTIFIERS):
        raise TypeError(f"the step of recurrence(...) gives a number, not the relation {body!r}")
    return Recurrence(body, state, term(initial), letters, tuple(inputs))


def always(body: Callable[..., Any], *inputs: Any, start: int = 1) -> Term:
    """∀ t ≥ start, ∀ input sequences x, ...: body(t, x, ...), inside a statement: at every step of every input
    sequence, each annotated like a variable (Indexed(Bit)). The body reads the sequences through recurrences at t and
    x[t]: always(lambda t, x: w3 * recurrence(step, 0, x)[t] + b3 == recurrence(rule, 1, x)[t], Indexed(Bit)). A step
    where the body has no value makes it false."""
    import inspect

    from proofs.domains import Domain

    if not callable(body):
        raise TypeError("always(body, Indexed(...), ...) takes the body as a function: lambda t, x: ...")
    names = list(inspect.signature(body).parameters)
    if not inputs or len(names) != 1 + len(inputs) or len(set(names)) != len(names):
        raise TypeError(f"the body of always(...) takes the step t and one sequence per input domain ({len(inputs)} given): "
                        "lambda t, x: ...")
    for domain in inputs:
        if not isinstance(domain, Domain) or not domain.indexed:
            raise TypeError(f"always(...) takes the domains of its input sequences, Indexed(Bit) say, not {domain!r}")
    if isinstance(start, bool) or not isinstance(start, int) or start < 1:
        raise TypeError(f"always(..., start=k) takes a whole number k >= 1, not {start!r}")
    time, sequences = var(names[0]), [var(n) for n in names[1:]]
    inner = term(body(time, *sequences))
    if inner.op not in (*RELATIONS, "and", "or", "not", "implies", "bool"):
        raise TypeError(f"the body of always(...) must be a relation, not {inner!r}")
    pairs = tuple(part for pair in zip(sequences, inputs) for part in pair)
    return Term("always", (inner, time, const(start), *pairs))


def always_parts(t: Term) -> tuple[Term, str, int, list[tuple[str, Any]]]:
    """(body, the step's name, the first step, [(sequence name, its domain), ...]) of an "always" term."""
    body, time, start, *pairs = t.args
    return body, time.args[0], int(start.args[0]), [(pairs[k].args[0], pairs[k + 1]) for k in range(0, len(pairs), 2)]


def recurrence_parts(t: Term) -> tuple[Term, str, Term, Term, list[tuple[str, Term]]]:
    """(body, the state's name, initial, index, [(letter name, sequence term), ...]) of a "recur" term."""
    body, state, initial, index, *pairs = t.args
    return body, state.args[0], initial, index, [(pairs[k].args[0], pairs[k + 1]) for k in range(0, len(pairs), 2)]


def _bound_variable(body: Callable, what: str) -> Term:
    import inspect

    if not callable(body):
        raise TypeError(f"{what}(domain, body) takes the body as a function of the variable: lambda y: ...")
    names = list(inspect.signature(body).parameters)
    if len(names) != 1:
        raise TypeError(f"the body of {what}(...) is a function of one variable, e.g. lambda y: x + y == 0")
    return var(names[0])


def _quantifier(op: str, domain: Any, body: Callable) -> Term:
    from proofs.domains import Domain

    if not isinstance(domain, Domain) or domain.shape or domain.indexed:
        raise TypeError(f"{'some' if op == 'some' else 'every'}(domain, body) takes a number domain (Real, Nat, "
                        f"IntRange(0, 3), ...), not {domain!r}")
    variable = _bound_variable(body, op)
    inner = term(body(variable))
    if inner.op not in (*RELATIONS, "and", "or", "not", "implies", "bool", *QUANTIFIERS):
        raise TypeError(f"the body of {op}(...) must be a relation such as x + y == 0, not {inner!r}")
    return Term(op, (inner, variable, domain))


def some(domain: Any, body: Callable) -> Term:
    """∃ y ∈ domain: body(y), inside a statement: some(Real, lambda y: x + y == 0). The body has no value where one
    of its terms has none: such a y is not a witness."""
    return _quantifier("some", domain, body)


def every(domain: Any, body: Callable) -> Term:
    """∀ y ∈ domain: body(y), inside a statement; a y where one of the body's terms has no value makes it false."""
    return _quantifier("every", domain, body)


def unique(domain: Any, condition: Callable, value: Any) -> Term:
    """value is the one point of the domain where the condition holds: it lies in the domain, satisfies the condition
    (existence), and every a of the domain that satisfies it is value (uniqueness)."""
    from proofs.domains import Domain

    if not isinstance(domain, Domain) or domain.shape or domain.indexed:
        raise TypeError(f"unique(domain, condition, value) takes a number domain (Real, Nat, ...), not {domain!r}")
    variable = _bound_variable(condition, "unique")  # the condition's own parameter is the bound variable
    inside = _within(domain, term(value))
    holds = term(condition(term(value)))
    # A point where the condition has no value does not satisfy it: each of its exact definedness conditions guards the
    # next (inner ones first), so such a point is neither a second solution nor a counterexample of the inner every.
    guarded = implies(condition(variable), variable == value)
    for c in reversed([c for c in conditions(term(condition(variable))) if c.exact]):
        guarded = implies(c.holds, guarded)
    only = Term("every", (guarded, variable, domain))
    return (inside & holds & only) if inside is not None else (holds & only)


# ∞ as the point a limit is taken at: limit(f, oo), limit(f, -oo).
oo = Term("infinity", ())


def limit(body: Callable[[Term], Any], point: Any) -> Term:
    """lim_{a → point} body(a): the number body(a) tends to as a tends to the point (oo, -oo or a number, approached
    from both sides), a variable of its own: limit(lambda a: a / (a + 1), oo) is 1. Where the limit does not exist
    or is not finite the term has no value, and a statement using it is not shown."""
    variable = _bound_variable(body, "limit")
    inner = term(body(variable))
    if inner.op in (*RELATIONS, "and", "or", "not", "implies", "bool", *QUANTIFIERS):
        raise TypeError(f"the body of limit(...) is a number, not the relation {inner!r}")
    at = term(point)
    if variable.args[0] in variables(at):
        raise TypeError("the point of limit(body, point) cannot depend on the limit's own variable")
    return Term("limit", (inner, variable, at))


def _within(domain: Any, value: Term):
    """The domain's constraints on a value, as a relation (None where it has none)."""
    parts = []
    if domain.values is not None:
        member = [value == v for v in domain.values]
        out = member[0]
        for m in member[1:]:
            out = out | m
        parts.append(out)
    if domain.kind == "int":
        parts.append(Term("integer", (value,)))
    if domain.lower is not None:
        parts.append(value > domain.lower if domain.lower_open else value >= domain.lower)
    if domain.upper is not None:
        parts.append(value < domain.upper if domain.upper_open else value <= domain.upper)
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def dot(u: Sequence, v: Sequence) -> Term:
    """The dot product of two vectors of the same length."""
    if len(u) != len(v):
        raise ValueError(f"dot of vectors of lengths {len(u)} and {len(v)}")
    total = term(0)
    for k, (a, b) in enumerate(zip(u, v)):
        total = term(a) * b if k == 0 else total + term(a) * b
    return total


def matmul(a: Sequence[Sequence], b: Sequence) -> list:
    """A matrix (rows) times a vector, or times a matrix (rows)."""
    if b and isinstance(b[0], (list, tuple)):
        columns = list(zip(*b))
        return [[dot(row, col) for col in columns] for row in a]
    return [dot(row, b) for row in a]


# --- printing -------------------------------------------------------------------------------------------------------

_PRECEDENCE = {"or": 1, "implies": 1, "and": 2, "not": 3, **{r: 4 for r in RELATIONS}, "add": 5, "sub": 5,
               "mul": 6, "div": 6, "neg": 7, "pow": 8}
_SYMBOL = {"add": " + ", "sub": " - ", "mul": "·", "div": "/", "pow": "^", "and": " ∧ ", "or": " ∨ ",
           **{r: f" {s} " for r, s in RELATIONS.items()}}


def text(t: Term, parent: int = 0) -> str:
    """The term as one line of plain text, with as few parentheses as precedence allows."""
    op, args = t.op, t.args
    if op == "var":
        return args[0]
    if op == "const":
        value = args[0]
        if (isinstance(value, fractions.Fraction) and parent > _PRECEDENCE["div"]) or (value < 0 and parent > _PRECEDENCE["pow"]):
            return f"({value})"  # (1/2)^x, (-2)^x: not 1/2^x, -2^x
        return str(value)
    if op == "bool":
        return "true" if args[0] else "false"
    if op == "param":
        return args[0]
    own = _PRECEDENCE.get(op, 9)
    if op == "neg":
        out = "-" + text(args[0], own)
    elif op == "not":
        out = "¬" + text(args[0], 99)
    elif op == "implies":
        out = f"{text(args[0], own + 1)} ⇒ {text(args[1], own)}"
    elif op in _SYMBOL:
        if op == "pow":
            left, right = text(args[0], own + 1), text(args[1], own)
        else:
            left, right = text(args[0], own), text(args[1], own + 1 if op in ("sub", "div") or op in RELATIONS else own)
        out = f"{left}{_SYMBOL[op]}{right}"
    elif op == "abs":
        return f"|{text(args[0])}|"
    elif op == "diff":
        return f"∂/∂{text(args[1])} ({text(args[0])})"
    elif op == "apply":
        return f"{args[0]}({', '.join(text(a) for a in args[1:])})"
    elif op == "sum":
        return f"Σ_{{{text(args[1])} = {text(args[2])}..{text(args[3])}}} ({text(args[0])})"
    elif op == "index":
        return f"{text(args[0], 99)}[{text(args[1])}]"
    elif op == "limit":
        return f"lim_{{{text(args[1])} → {text(args[2])}}} ({text(args[0])})"
    elif op == "infinity":
        return "∞"
    elif op == "recur":
        body, state, initial, index, pairs = recurrence_parts(t)
        over = ", ".join(f"{letter} = {text(seq, 99)}[·]" for letter, seq in pairs)
        return f"rec({state} ↦ {text(body)} from {text(initial)}; {over})[{text(index)}]"
    elif op == "always":
        body, time, start, pairs = always_parts(t)
        over = ", ".join(f"{name} ∈ {dom.name}" for name, dom in pairs)
        out = f"∀ {time} ≥ {start}, {over}: {text(body, 2)}"
        own = 1
    elif op == "ite":
        return f"ite({', '.join(text(a) for a in args)})"
    elif op == "all":
        out = f"∀ {text(args[1])} ∈ {{{text(args[2])}, …, {text(args[3])}}}: {text(args[0], 2)}"
    elif op in QUANTIFIERS:
        out = f"{'∃' if op == 'some' else '∀'} {text(args[1])} ∈ {args[2].name}: {text(args[0], 2)}"
        own = 1
    elif op == "integer":
        out = f"{text(args[0], 5)} ∈ ℤ"
    else:
        return f"{op}({', '.join(text(a) for a in args)})"
    return f"({out})" if own < parent else out


_TREE_RELATIONS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def tree(t: Term) -> list:
    """The term as a proofs.mathtree tree, for MathML in the HTML report: built from the term, never parsed."""
    op, args = t.op, t.args
    if op in ("var", "param"):
        return ["sym", args[0]]
    if op == "const":
        value = fractions.Fraction(args[0])
        number = ["num", str(abs(value.numerator))] if value.denominator == 1 else \
            ["frac", ["num", str(abs(value.numerator))], ["num", str(value.denominator)]]
        return ["neg", number] if value < 0 else number
    if op == "bool":
        return ["text", "true" if args[0] else "false"]
    sub = [tree(a) for a in args if isinstance(a, Term)]
    if op in _TREE_RELATIONS:
        return ["rel", _TREE_RELATIONS[op], *sub]
    simple = {"add": "add", "mul": "mul", "div": "frac", "pow": "pow", "neg": "neg", "abs": "abs", "sqrt": "sqrt"}
    if op in simple:
        return [simple[op], *sub]
    if op == "sub":
        return ["add", sub[0], ["neg", sub[1]]]
    if op == "diff":
        return ["deriv", sub[0], [sub[1], ["num", "1"]]]
    if op == "apply":
        return ["fn", str(args[0]), *sub]
    if op in ("and", "or", "not", "implies", "ite", "index"):
        return [op, *sub]
    if op == "sum":
        return ["sum", *sub]
    if op == "infinity":
        return ["sym", "∞"]
    if op == "limit":
        return ["fn", f"lim_{{{text(args[1])} → {text(args[2])}}}", sub[0]]
    if op == "all":
        over = ["text", f"{{{text(args[2])}, …, {text(args[3])}}}"]
        return ["quant", "∀", sub[0], [sub[1], over]]
    if op in QUANTIFIERS:
        return ["quant", "∃" if op == "some" else "∀", sub[0], [sub[1], ["text", args[2].name]]]
    if op in ("recur", "always"):
        return ["text", text(t)]
    return ["fn", op, *sub]


def variables(t: Term) -> set[str]:
    """Names of the variables a term mentions (a summation's index is bound, not one of them)."""
    if t.op == "var":
        return {t.args[0]}
    if t.op in ("sum", "all"):
        return (variables(t.args[0]) - {t.args[1].args[0]}) | variables(t.args[2]) | variables(t.args[3])
    if t.op in QUANTIFIERS:
        return variables(t.args[0]) - {t.args[1].args[0]}
    if t.op == "limit":
        return (variables(t.args[0]) - {t.args[1].args[0]}) | variables(t.args[2])
    if t.op == "recur":
        body, state, initial, index, pairs = recurrence_parts(t)
        bound = {state, *(letter for letter, _ in pairs)}
        return (variables(body) - bound).union(variables(initial), variables(index), *(variables(s) for _, s in pairs))
    if t.op == "always":
        body, time, _, pairs = always_parts(t)
        return variables(body) - {time, *(name for name, _ in pairs)}
    return set().union(*(variables(a) for a in t.args if isinstance(a, Term))) if t.args else set()


def operators(t: Term) -> set[str]:
    """Every operator a term uses (always(...) counts as one: its body is decided by the recurrences' own path)."""
    if t.op == "always":
        return {"always"}
    return {t.op}.union(*(operators(a) for a in t.args if isinstance(a, Term)))


def evaluate(t: Term, env: Mapping[str, Any], ops: Mapping[str, Callable]) -> Any:
    """The term's value in a backend: `env` maps variable names to backend values, `ops` each operator to a function
    of evaluated operands (diff receives the unevaluated Term and the env, since differentiation is not pointwise)."""
    op = t.op
    if op == "var":
        return env[t.args[0]]
    if op == "param":
        return evaluate(t.args[1], env, ops)
    if op in ("const", "bool"):
        return ops[op](t.args[0])
    if op == "apply":  # an uninterpreted function (proofs.uninterpreted): the function object, then its arguments
        if "apply" not in ops:
            raise Unsupported("an uninterpreted function, which has no value until a concrete function is chosen")
        return ops["apply"](t.args[0], *(evaluate(a, env, ops) for a in t.args[1:]))
    if op == "diff":
        if "diff" not in ops:
            raise Unsupported("differentiation")
        return ops["diff"](t.args[0], t.args[1].args[0], env)
    if op in ("sum", "all"):  # the body is evaluated once per index value (exact) or once with the index a symbol
        if op not in ops:
            raise Unsupported("a sum of symbolic length" if op == "sum" else "a condition for every index of a sum")
        body, index, lower, upper = t.args
        name = index.args[0]
        return ops[op](lambda value: evaluate(body, {**env, name: value}, ops), name,
                       evaluate(lower, env, ops), evaluate(upper, env, ops))
    if op in QUANTIFIERS:  # the body for a value of the bound variable; the body and env for a solver's own form
        if op not in ops:
            raise Unsupported("a quantifier inside a statement")
        body, bound, domain = t.args
        name = bound.args[0]
        return ops[op](lambda value: evaluate(body, {**env, name: value}, ops), name, domain, body, env)
    if op == "limit":  # taken on the body's symbolic form: the op receives the body, its variable, the point and env
        if op not in ops:
            raise Unsupported("a limit")
        return ops[op](t.args[0], t.args[1].args[0], t.args[2], env)
    if op == "recur":  # the step for a previous value and the inputs' elements at one step
        if op not in ops:
            raise Unsupported("a recurrence")
        body, state, initial, index, pairs = recurrence_parts(t)
        letters = [letter for letter, _ in pairs]
        return ops[op](lambda previous, elements: evaluate(body, {**env, state: previous, **dict(zip(letters, elements))}, ops),
                       evaluate(initial, env, ops), [evaluate(s, env, ops) for _, s in pairs], evaluate(index, env, ops))
    if op == "always":  # the body, its variables and domains, for a backend's own reading of every step
        if op not in ops:
            raise Unsupported("a statement at every step of every input sequence")
        return ops[op](t, env)
    if op in LAZY and ops.get("lazy"):
        return ops[op](*(functools.partial(evaluate, a, env, ops) for a in t.args))
    if op not in ops:
        raise Unsupported(op)
    return ops[op](*(evaluate(a, env, ops) for a in t.args))


# --- where a term is defined ----------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Condition:
    """Derived by `conditions` from a statement's term: wherever `holds` fails, the term has no value there."""

    # The condition as a boolean term, its guards included: it holds wherever the subterm is not evaluated.
    holds: Term
    # What goes wrong where it fails, in words: "division by zero".
    failure: str
    # The subterm that has no value (or no derivative) there.
    at: Term
    # True when the subterm has no value wherever the condition fails. False for a derivative's condition that is only
    # sufficient (|x²| has a derivative at 0, |x| has none): a point where it fails is decided by the replay.
    exact: bool = True


def conditions(t: Term) -> tuple[Condition, ...]:
    """Where the term is defined, derived from its tree: a divisor is not 0, a logarithm's argument is positive, a
    square root's is not negative, a power of a base that may be 0 or negative has a whole exponent, a sequence's
    index is at least 1, and a derivative is taken where its body is smooth (no corner of |·|, relu, max or min, no
    point where an ite switches, a square root or fractional power away from 0). A subterm is only required to be
    defined where it is evaluated: the consequent of an implication where its premise holds, an ite's branch where its
    condition selects it, a summand for the indices of its sum. Inner conditions come first, so each condition is
    itself defined wherever the ones before it hold. A derivative's own conditions are sufficient, not necessary
    (`Condition.exact` is False): where one fails, the derivative is decided at the point by the exact replay."""
    return tuple(_collect(t, frozenset()))


def _collect(t: Term, smooth: frozenset) -> list[Condition]:
    """The conditions of t in its own context; `smooth` names the variables it is differentiated with respect to."""
    op, args = t.op, t.args
    if op in ("var", "const", "bool", "param"):
        return []
    if op == "limit":  # the body is evaluated near the point only; a limit that does not exist has no value there
        if smooth & variables(t):
            raise NotDifferentiated("the derivative of a limit")
        return []
    if op in (*QUANTIFIERS, "always"):  # the body's conditions are part of its truth at each value of the bound variable
        if smooth & variables(t):
            raise NotDifferentiated("the derivative of a quantified statement")
        return []
    if op == "implies":
        premise, consequent = args
        return _collect(premise, smooth) + _guarded(_collect(consequent, smooth), premise)
    if op == "ite":
        condition, then, otherwise = args
        out = _collect(condition, smooth)
        out += [Condition(Term("ne", atom.args), "the derivative of an ite where its condition switches", t, False)
                for atom in atoms(condition) if smooth & (variables(atom.args[0]) | variables(atom.args[1]))]
        return out + _guarded(_collect(then, smooth), condition) + \
            _guarded(_collect(otherwise, smooth), Term("not", (condition,)))
    if op == "diff":
        return _collect(args[0], smooth | {args[1].args[0]})
    if op == "recur":  # the step's own conditions are checked where it is evaluated, at each step
        body, state, initial, index, pairs = recurrence_parts(t)
        if smooth & variables(t):
            raise NotDifferentiated("the derivative of a recurrence")
        return _collect(initial, smooth) + _collect(index, smooth) + [
            Condition(Term("integer", (index,)) & (index >= 0), "a recurrence's step that is not one of 0, 1, 2, ...", t)]
    if op == "sum":
        body, index, lower, upper = args
        out = _collect(lower, smooth) + _collect(upper, smooth)
        bounds = [Term("integer", (b,)) for b in (lower, upper) if _constant(b) is None or _constant(b).denominator != 1]
        if bounds:
            out.append(Condition(bounds[0] if len(bounds) == 1 else bounds[0] & bounds[1],
                                 "a sum whose bounds are not whole numbers", t))
        if smooth & (variables(lower) | variables(upper)):
            out.append(Condition(term(False), "the derivative of a sum with respect to a variable its bounds depend on", t))
        return out + [_scoped(c, index, lower, upper) for c in _collect(body, smooth - {index.args[0]})]
    out = [c for a in args if isinstance(a, Term) for c in _collect(a, smooth)]
    return out + _own(t, smooth)


def _own(t: Term, smooth: frozenset) -> list[Condition]:
    """The conditions an operator adds to those of its operands."""
    op, args = t.op, t.args
    moving = bool(smooth & variables(t))  # differentiated here: the point must have a neighbourhood where t is smooth
    if op == "div":
        return [Condition(args[1] != 0, "division by zero", t)]
    if op == "log":
        return [Condition(args[0] > 0, "the logarithm of a number that is not positive", t)]
    if op == "sqrt":
        value = [Condition(args[0] >= 0, "the square root of a negative number", t)]
        return value + ([Condition(args[0] > 0, "the derivative of a square root where its argument is 0", t, False)]
                        if moving else [])
    if op == "pow":
        return _power(t, moving, bool(smooth & variables(args[1])))
    if op == "index":
        if smooth & variables(args[1]):
            return [Condition(term(False), "the derivative with respect to a variable a sequence's index depends on", t)]
        return [Condition(Term("integer", (args[1],)) & (args[1] >= 1),
                          "a sequence's element that is not one of x[1], x[2], ... (elements are numbered from 1)", t)]
    if op in ("abs", "relu") and moving:
        return [Condition(args[0] != 0, f"the derivative of {'|·|' if op == 'abs' else 'relu'} where its argument is 0",
                          t, False)]
    if op in ("max", "min") and moving:
        return [Condition(args[0] != args[1], f"the derivative of {op} where its arguments are equal", t, False)]
    if op in _TOTAL:
        return []
    raise Unsupported(f"the operator {op!r}: where it has a value is not known")


# Operators with a value wherever their operands have one (and, but for |·|, relu, max and min, a derivative too).
_TOTAL = frozenset({"add", "sub", "mul", "neg", "exp", "tanh", "sigmoid", "softplus", "abs", "relu", "max", "min", "integer", "and",
                    "or", "not", *RELATIONS, "apply"})  # apply: an uninterpreted function is differentiable everywhere


def _power(t: Term, moving: bool, moving_exponent: bool = True) -> list[Condition]:
    """a^b: any base for a whole exponent >= 0; a base other than 0 for a negative whole exponent; otherwise a positive
    base (or the base 0 with a positive exponent). Differentiated, it is smooth where the base is positive, or where
    the exponent is a whole number that does not move with the variable and the power has a value."""
    base, exponent = t.args
    constant = _constant(exponent)
    if constant is not None and constant.denominator == 1:
        return [Condition(base != 0, "0 to a negative power", t)] if constant < 0 else []
    if moving:
        smooth = base > 0
        if not moving_exponent and constant is None:  # a whole exponent that does not move: smooth where it has a value
            smooth = smooth | (Term("integer", (exponent,)) & ((base != 0) | (exponent >= 0)))
        return _power(t, False) + [Condition(smooth, "the derivative of a power whose base is not positive", t, False)]
    if constant is not None:
        return [Condition(base >= 0 if constant > 0 else base > 0,
                          "a negative number to a fractional power" if constant > 0 else "0 or a negative number to a "
                          "negative fractional power", t)]
    whole = Term("integer", (exponent,))
    defined = (base > 0) | (whole & ((base != 0) | (exponent >= 0))) | ((base == 0) & (exponent > 0))
    return [Condition(defined, "0 to a negative power, or a negative number to a power that is not whole", t)]


def _constant(t: Term):
    """The exact value of a term built from numbers alone, or None."""
    if t.op == "const":
        return fractions.Fraction(t.args[0])
    if t.op == "param":
        return _constant(t.args[1])
    if t.op == "neg":
        inner = _constant(t.args[0])
        return None if inner is None else -inner
    return None


def atoms(condition: Term) -> list[Term]:
    """The relations a boolean term is made of."""
    if condition.op in RELATIONS:
        return [condition]
    if condition.op in ("and", "or", "not", "implies"):
        return [a for part in condition.args for a in atoms(part)]
    return []


def _guarded(conditions: list[Condition], guard: Term) -> list[Condition]:
    """Conditions required only where the guard holds; one that is the guard itself holds there."""
    shown = text(guard)
    return [Condition(implies(guard, c.holds), c.failure, c.at, c.exact) for c in conditions if text(c.holds) != shown]


def _scoped(c: Condition, index: Term, lower: Term, upper: Term) -> Condition:
    """A summand's condition, for every index of its sum."""
    if index.args[0] not in variables(c.holds):
        return Condition(implies(lower <= upper, c.holds), c.failure, c.at, c.exact)
    return Condition(Term("all", (c.holds, index, lower, upper)), c.failure, c.at, c.exact)
