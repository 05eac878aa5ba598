"""Statements about recurrences at every step t ≥ k of every input sequence over a finite alphabet, by an induction the
engine runs: the joint states the recurrences reach are found in exact arithmetic, and the step "a reached state and
any input lead to a reached state where the statement holds" is proved by z3 and checked at every state and input."""

from __future__ import annotations

import dataclasses
import itertools
from collections import deque
from typing import Any, Mapping, Optional

from proofs import backends, terms
from proofs.domains import Domain
from proofs.terms import Term

__all__ = ["Machine", "machine", "explore", "Exploration", "step_statement", "always_exact", "always_unrolled", "STATE_LIMIT",
           "UNROLL_LIMIT"]

# At most this many joint states are explored; a recurrence that reaches more is not decided here (a false statement
# is still refuted when a reached state breaks it).
STATE_LIMIT = 1024
# always(...) at a point whose recurrences are not shown to take finitely many values explores at most this many.
UNSHOWN_LIMIT = 128
# At most this many input sequences are written out when always(...) is unrolled for a solver.
UNROLL_LIMIT = 4096


class NotFinite(ValueError):
    """The statement is not of the form decided here; the message says why."""


@dataclasses.dataclass(frozen=True)
class Machine:
    """The recurrences of a statement as one machine: joint state = one value per recurrence, input = one element per
    input sequence."""

    # The time variable t every recurrence is read at, and the first t the statement is about.
    time: str
    start: int
    # The "recur" subterms (distinct by their printed form), in order.
    recurrences: tuple
    # Each input sequence's name and its element domain's values.
    alphabet: tuple
    # The statement with each recurrence at t as the variable ⟨i⟩ and each x[t] as the variable x⟨t⟩.
    relation: Term
    # The steps' and the statement's conditions, derived once.
    _cache: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def letters(self):
        names = [name for name, _ in self.alphabet]
        for values in itertools.product(*(values for _, values in self.alphabet)):
            yield dict(zip(names, values))

    def initial(self) -> tuple:
        return tuple(backends.exact_value(terms.recurrence_parts(r)[2], {}) for r in self.recurrences)

    def next(self, state: tuple, letters: Mapping[str, Any]) -> tuple:
        """The joint state after one step, in exact arithmetic (Undefined where a step has no value)."""
        out = []
        for (body, name, pairs, required), value in zip(self._steps(), state):
            env = {name: value, **{letter: letters[seq.args[0]] for letter, seq in pairs}}
            out.append(backends.exact_value(body, env, required))
        return tuple(out)

    def holds(self, state: tuple, letters: Mapping[str, Any]) -> bool:
        """The statement at a step reaching `state` with these inputs (exact; Undefined where it has no value)."""
        env = {_slot(i): v for i, v in enumerate(state)}
        env.update({_letter(name): v for name, v in letters.items()})
        return backends.decide_exact(self.relation, env, self._required())

    def _steps(self) -> list:
        if "steps" not in self._cache:
            parts = [terms.recurrence_parts(r) for r in self.recurrences]
            self._cache["steps"] = [(body, name, pairs, terms.conditions(body)) for body, name, _, _, pairs in parts]
        return self._cache["steps"]

    def _required(self) -> tuple:
        if "required" not in self._cache:
            self._cache["required"] = terms.conditions(self.relation)
        return self._cache["required"]


def _slot(i: int) -> str:
    return f"⟨{i + 1}⟩"


def _letter(name: str) -> str:
    return f"{name}⟨t⟩"


def machine(relation: Term, scalars: Mapping[str, Domain], *, outer: bool = False, timed: bool = False) -> Machine:
    """The statement's machine; NotFinite where the statement is not about recurrences at one time variable t ≥ 1 of
    sequences over finite alphabets (with no other variable), read only as h[t] and x[t]. With outer, the relation
    and the steps may also read variables other than t and the sequences (fixed while t runs): only the form is
    checked, and the machine is not run."""
    found: dict[str, Term] = {}

    def collect(t: Term) -> None:
        if t.op == "recur":
            found.setdefault(terms.text(t), t)
            return
        if t.op == "always":
            return
        for a in t.args:
            if isinstance(a, Term):
                collect(a)
    collect(relation)
    if not found:
        raise NotFinite("no recurrence")
    times = {terms.text(terms.recurrence_parts(r)[3]) for r in found.values()}
    index = terms.recurrence_parts(next(iter(found.values())))[3]
    if len(times) != 1 or index.op != "var":
        raise NotFinite("the recurrences are read at more than one step, or at a step other than a variable t")
    time = index.args[0]
    dom = scalars.get(time)
    if dom is None or dom.kind != "int" or dom.indexed or dom.upper is not None or dom.lower is None or dom.values is not None:
        raise NotFinite(f"{time} is not a whole-number variable with a lower bound and no upper one")
    start = int(dom.lower) + (1 if dom.lower_open else 0)
    if start < 1:
        raise NotFinite(f"{time} starts at {start}: the step t = 0 reads no input (start at 1)")
    sequences = {k: d for k, d in scalars.items() if d.indexed}
    others = set(scalars) - set(sequences) - {time}
    if others and not outer:
        raise NotFinite(f"the statement has variables other than {time} and the input sequences: {sorted(others)}")
    alphabet = []
    for name, d in sequences.items():
        element = dataclasses.replace(d, indexed=False, name=d.name)
        if element.size is None or element.size > 64:
            raise NotFinite(f"the elements of {name} are not a small finite set")
        alphabet.append((name, tuple(element.points())))
    recurrences = tuple(found.values())
    for r in recurrences:
        body, state, initial, _, pairs = terms.recurrence_parts(r)
        if terms.variables(initial):
            raise NotFinite("a recurrence's initial value depends on a variable")
        extra = terms.variables(body) - {state, *(letter for letter, _ in pairs)}
        if outer:
            extra &= {time, *sequences}
        if extra:
            raise NotFinite("a recurrence's step reads a variable other than its state and inputs")
        if any(seq.op != "var" or seq.args[0] not in sequences for _, seq in pairs):
            raise NotFinite("a recurrence reads an input that is not a sequence variable of the statement")
        if "recur" in terms.operators(body) or "recur" in terms.operators(initial):
            raise NotFinite("a recurrence inside a recurrence")
    slots = {terms.text(r): terms.var(_slot(i)) for i, r in enumerate(recurrences)}

    def replace(t: Term) -> Term:
        if t.op == "recur":
            return slots[terms.text(t)]
        if t.op == "index" and t.args[0].op == "var" and t.args[0].args[0] in sequences:
            if not (t.args[1].op == "var" and t.args[1].args[0] == time):
                raise NotFinite(f"the statement reads {terms.text(t)}: only x[{time}] is read outside a recurrence")
            return terms.var(_letter(t.args[0].args[0]))
        if t.op in ("sum", "all", *terms.QUANTIFIERS):
            if terms.variables(t) & ({time} | set(sequences)):
                raise NotFinite("a sum or quantifier over the time or the inputs")
            return t
        return Term(t.op, tuple(replace(a) if isinstance(a, Term) else a for a in t.args))

    out = replace(relation)
    if terms.variables(out) & (set() if timed else {time}) | (terms.variables(out) & set(sequences)):
        raise NotFinite(f"the statement reads {time} or an input sequence other than through h[{time}] and x[{time}]")
    return Machine(time, start, recurrences, tuple(alphabet), out)


@dataclasses.dataclass(frozen=True)
class Exploration:
    """What `explore` found."""

    # The joint states from which the steps at t ≥ start are taken, each with the shortest inputs reaching it.
    reached: Mapping[tuple, list]
    # The shortest input sequence (one {sequence: element} per step) on which the statement fails, or None.
    counterexample: Optional[list]
    # Why it fails there: "false", or why it has no value.
    why: str = ""
    # True when more than STATE_LIMIT states were reached (then `reached` is partial and nothing is proved).
    overflow: bool = False
    # The states reached at t = start - 1: the base of the induction.
    base: tuple = ()


def explore(m: Machine, limit: int = STATE_LIMIT) -> Exploration:
    """Breadth first from the initial state: the states at t = start - 1, then every state reachable from them, each
    step's statement checked exactly; the shortest failing input sequence, if there is one among those explored."""
    layer = {m.initial(): []}
    for _ in range(m.start - 1):
        nxt: dict[tuple, list] = {}
        for state, path in layer.items():
            for letters in m.letters():
                nxt.setdefault(m.next(state, letters), path + [letters])
        layer = nxt
        if len(layer) > limit:
            return Exploration(layer, None, overflow=True)
    reached = dict(layer)
    queue = deque(reached)
    while queue:
        state = queue.popleft()
        for letters in m.letters():
            path = reached[state] + [letters]
            try:
                after = m.next(state, letters)
                holds = m.holds(after, letters)
            except backends.Undefined as exc:
                return Exploration(reached, path, f"undefined: {exc}")
            if not holds:
                return Exploration(reached, path, "false")
            if after not in reached:
                if len(reached) >= limit:
                    return Exploration(reached, None, overflow=True, base=tuple(layer))
                reached[after] = path
                queue.append(after)
    return Exploration(reached, None, base=tuple(layer))


def step_statement(m: Machine, reached) -> tuple[Term, dict]:
    """The induction step as one statement over the previous joint state s and the inputs a, with I the reached set:
    I(s) ∧ a in the alphabet ⇒ I(next(s, a)) ∧ the statement at next(s, a); and the variables' kinds."""
    previous = [terms.var(f"{_slot(i)}ₜ₋₁") for i in range(len(m.recurrences))]
    letters = {name: terms.var(_letter(name)) for name, _ in m.alphabet}
    nxt = []
    for i, r in enumerate(m.recurrences):
        body, state, _, _, pairs = terms.recurrence_parts(r)
        mapping = {state: previous[i], **{letter: letters[seq.args[0]] for letter, seq in pairs}}
        nxt.append(_substitute(body, mapping))

    def member(values, point) -> Term:
        return _any([_all([v == terms.const(c) for v, c in zip(values, p)]) for p in point])

    inside = member(previous, list(reached))
    alphabet = _all([_any([letters[name] == terms.const(v) for v in values]) for name, values in m.alphabet])
    after = member(nxt, list(reached))
    holds = _substitute(m.relation, {_slot(i): e for i, e in enumerate(nxt)})
    kinds = {**{v.args[0]: "real" for v in previous},
             **{letters[name].args[0]: "int" if all(_whole(v) for v in values) else "real" for name, values in m.alphabet}}
    return terms.implies(inside & alphabet, after & holds), kinds


def _whole(v) -> bool:
    from fractions import Fraction

    return isinstance(v, int) or (isinstance(v, Fraction) and v.denominator == 1)


def _substitute(t: Term, mapping: Mapping[str, Term]) -> Term:
    if t.op == "var":
        return mapping.get(t.args[0], t)
    if t.op in ("const", "bool", "param"):
        return t
    return Term(t.op, tuple(_substitute(a, mapping) if isinstance(a, Term) else a for a in t.args))


def _all(parts: list) -> Term:
    if not parts:
        return terms.term(True)
    out = parts[0]
    for p in parts[1:]:
        out = out & p
    return out


def _any(parts: list) -> Term:
    if not parts:
        return terms.term(False)
    out = parts[0]
    for p in parts[1:]:
        out = out | p
    return out


# --- always(...): the body at every step of every input sequence --------------------------------------------------

def _inner(t: Term) -> tuple[Term, dict]:
    from proofs.domains import IntRange

    body, time, start, pairs = terms.always_parts(t)
    return body, {time: IntRange(start, None), **dict(pairs)}


def always_exact(t: Term, env: Mapping[str, Any]) -> bool:
    """always(...) at a point (every outer variable an exact number): the states reached are explored exactly and
    the body checked at every step from each; Undecided where they are not finitely many, or the body is not of the
    form the exploration reads."""
    body, scalars = _inner(t)
    outer = {k: v for k, v in env.items() if k in terms.variables(t)}
    try:
        fixed = _substitute(body, {k: terms.const(v) for k, v in outer.items()})
    except TypeError as exc:
        raise backends.Undecided(f"always(...) at a point that is not rational ({exc})") from None
    try:
        m = machine(fixed, scalars)
    except NotFinite as exc:
        raise backends.Undecided(f"always(...) not decided by exploring its states: {exc}") from None
    try:
        _value_sets(fixed, dict(m.alphabet))
        limit = STATE_LIMIT
    except terms.Unsupported:
        limit = UNSHOWN_LIMIT
    found = explore(m, limit)
    if found.counterexample is not None:
        return False
    if found.overflow:
        raise backends.Undecided(f"always(...) reaches more than {limit} joint states")
    return True


def _values(node: Term, bounds: Mapping[str, frozenset]) -> Optional[frozenset]:
    """The values a recurrence's step can take, whatever the other variables (an ite's condition is not read): None
    where they are not a finite set of exact numbers found here."""
    op, args = node.op, node.args
    if op == "const":
        return frozenset({args[0]})
    if op == "param":
        return _values(args[1], bounds)
    if op == "var":
        return bounds.get(args[0])
    if op == "ite":
        a, b = _values(args[1], bounds), _values(args[2], bounds)
        return None if a is None or b is None else a | b
    combine = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "neg": lambda a: -a,
               "max": max, "min": min, "relu": lambda a: max(a, 0), "abs": abs}
    if op not in combine:
        return None
    parts = [_values(a, bounds) for a in args]
    if any(p is None for p in parts):
        return None
    out = frozenset(combine[op](*combo) for combo in itertools.product(*parts))
    return out if len(out) <= 64 else None


def _value_sets(body: Term, alphabet: Mapping[str, tuple]) -> list:
    """Each recurrence of the body with the finite set its values lie in, at every value of the other variables."""
    from fractions import Fraction

    found: dict[str, Term] = {}

    def collect(t: Term) -> None:
        if t.op == "recur":
            found.setdefault(terms.text(t), t)
        for a in t.args:
            if isinstance(a, Term):
                collect(a)
    collect(body)
    out = []
    for r in found.values():
        step, state, initial, _, pairs = terms.recurrence_parts(r)
        if terms.variables(initial):
            raise terms.Unsupported("a recurrence whose initial value depends on a variable")
        try:
            first = Fraction(backends.exact_value(initial, {}))
        except (TypeError, ValueError):
            raise terms.Unsupported("a recurrence whose initial value is not rational") from None
        values = frozenset({first})
        letters = {letter: frozenset(Fraction(v) for v in alphabet[seq.args[0]]) for letter, seq in pairs
                   if seq.op == "var" and seq.args[0] in alphabet}
        if len(letters) != len(pairs):
            raise terms.Unsupported("a recurrence inside always(...) reads a sequence always(...) does not quantify")
        while True:
            more = _values(step, {state: values, **letters})
            if more is None or len(values | more) > 64:
                raise terms.Unsupported("a recurrence whose values are not a small finite set whatever the variables")
            if more <= values:
                break
            values = values | more
        out.append((r, values))
    return out


def always_unrolled(t: Term, env: Mapping[str, Any], ops: Mapping[str, Any]):
    """always(...) written out for a solver, with the outer variables symbolic: the body (and its conditions) at every
    input sequence of length start .. start - 1 + K, where K bounds the joint states (each recurrence's values lie in
    a finite set found whatever the outer variables). Equivalent to every length: the shortest sequence on which the
    body fails reaches each state at most once after step start - 1, so it is no longer than that."""
    import z3

    body, time, start, pairs = terms.always_parts(t)
    try:
        machine(body, _inner(t)[1], outer=True)
    except NotFinite as exc:
        raise terms.Unsupported(f"always(...) not written out: {exc}") from None
    alphabet = {}
    for name, dom in pairs:
        element = dataclasses.replace(dom, indexed=False)
        if element.size is None or element.size > 64:
            raise terms.Unsupported("always(...) over sequences whose elements are not a small finite set")
        alphabet[name] = tuple(element.points())
    states = 1
    for _, values in _value_sets(body, alphabet):
        states *= len(values)
    longest = start - 1 + states
    letters = list(itertools.product(*([ops["const"](v) for v in values] for values in alphabet.values())))
    total = sum(len(letters) ** n for n in range(start, longest + 1))
    if total > UNROLL_LIMIT:
        raise terms.Unsupported(f"always(...) written out would take {total} input sequences (more than {UNROLL_LIMIT})")
    required = terms.conditions(body)
    parts = []
    for n in range(start, longest + 1):
        for path in itertools.product(letters, repeat=n):
            point = {**env, time: ops["const"](n), **{name: [step[k] for step in path] for k, name in enumerate(alphabet)}}
            defined = [d for d in (z3.simplify(terms.evaluate(c.holds, point, ops)) for c in required) if not z3.is_true(d)]
            parts.append(z3.And(*defined, terms.evaluate(body, point, ops)) if defined else terms.evaluate(body, point, ops))
    return z3.And(*parts)


# At most this many input sequences are run to check the base of an induction on t (`timed_induction`).
BASE_LIMIT = 4096


def timed_induction(relation: Term, scalars: Mapping[str, Domain]) -> Optional[tuple[Any, dict]]:
    """A statement that reads t itself as well as h[t] and x[t] (h[t] ≤ t, say), whose recurrences may take
    unboundedly many values: proved by induction on t over every input sequence. The base, every input sequence of
    length k (the first step), is checked exactly; the step, for every t ≥ k, every joint state s and inputs a (at t)
    and a' (at t + 1): the statement at t with s and a implies it at t + 1 with next(s, a') and a', with every term
    there defined, is proved by z3. Returns (z3's answer, evidence) where the base holds and z3 answered; (None,
    {"counterexample": ..., "why": ...}) where the base fails on an input sequence; None where the form does not
    apply."""
    import z3

    from proofs.solvers.smt import prove

    try:
        m = machine(relation, scalars, timed=True)
    except NotFinite:
        return None
    letters = list(m.letters())
    if len(letters) ** m.start > BASE_LIMIT:
        return None
    time = terms.var(m.time)
    try:
        required = terms.conditions(m.relation)
        for inputs in itertools.product(letters, repeat=m.start):
            state = m.initial()
            for step in inputs:
                state = m.next(state, step)
            env = {**{_slot(i): v for i, v in enumerate(state)}, **{_letter(k): v for k, v in inputs[-1].items()},
                   m.time: m.start}
            try:
                holds = backends.decide_exact(m.relation, env, required)
            except backends.Undefined as exc:
                holds, why = False, f"undefined: {exc}"
            else:
                why = "false"
            if not holds:  # the base fails: this input sequence of length k is a counterexample
                return None, {"counterexample": {m.time: m.start, **{name: [step[name] for step in inputs]
                                                                    for name, _ in m.alphabet}}, "why": why}
    except (backends.Undefined, backends.Undecided, terms.Unsupported, ValueError, TypeError, ZeroDivisionError):
        return None
    states = [terms.var(f"{_slot(i)}ₜ") for i in range(len(m.recurrences))]
    now = {name: terms.var(f"{_letter(name)}ₜ") for name, _ in m.alphabet}
    later = {name: terms.var(f"{_letter(name)}ₜ₊₁") for name, _ in m.alphabet}
    nxt = []
    for i, r in enumerate(m.recurrences):
        body, state_name, _, _, pairs = terms.recurrence_parts(r)
        nxt.append(_substitute(body, {state_name: states[i], **{letter: later[seq.args[0]] for letter, seq in pairs}}))
    at_t = _substitute(m.relation, {**{_slot(i): s for i, s in enumerate(states)}, **{_letter(n): v for n, v in now.items()}})
    at_next = _substitute(m.relation, {**{_slot(i): e for i, e in enumerate(nxt)},
                                       **{_letter(n): v for n, v in later.items()}, m.time: time + 1})
    defined = [c.holds for e in (at_next, *nxt) for c in terms.conditions(e) if c.exact]
    inside = _all([_any([v == terms.const(c) for c in values]) for name, values in m.alphabet
                   for v in (now[name], later[name])])
    before = _all([c.holds for c in terms.conditions(at_t) if c.exact] + [at_t])
    claim = terms.implies(inside & before & (time >= m.start), _all([*defined, at_next]))
    kinds = {m.time: "int", **{s.args[0]: "real" for s in states},
             **{v.args[0]: "int" if all(_whole(c) for c in values) else "real"
                for name, values in m.alphabet for v in (now[name], later[name])}}
    try:
        env = {name: z3.Int(name) if kind == "int" else z3.Real(name) for name, kind in kinds.items()}
        answer = prove(backends.to_z3(claim, env), list(env.values()))
    except (terms.Unsupported, TypeError):
        return None
    evidence = {"base": f"holds at {m.time} = {m.start} on all {len(letters) ** m.start} input sequences (exact arithmetic)",
                "step": f"z3: for every {m.time} ≥ {m.start}, joint state and inputs, the statement at {m.time} implies it "
                        f"at {m.time} + 1", "step_statement": terms.text(claim)}
    return answer, evidence
