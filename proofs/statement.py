"""Claims written once, as the statement that is decided: `@forall` / `@exists` over typed variables.

The decorated function takes the quantified variables (annotated with their domains) and, as keyword parameters
with defaults, the values the material states; it returns the relation to decide, built from ordinary arithmetic.
From it the engine derives the solver query, the verdict, the formal statement every report prints, the replay of
every witness (domains checked first, then the same function evaluated in exact arithmetic), the corrected claim of
an erratum and its mutant.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import re
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from proofs import terms
from proofs.decision import _finite_size, decide, replay
from proofs.decision import numeric as _numeric
from proofs.decision import shaped as _shaped
from proofs.domains import Domain
from proofs.errors import InvalidClaim
from proofs.model import (Anchor, Claim, Correction, Erratum, Perturbation, Placeholder, Row, Table, collecting, exercise_segment,
                          forward_once, quoted)
from proofs.terms import Term
from proofs.verdicts import Verdict

__all__ = ["forall", "exists", "Correction", "Statement"]

CitesLike = Union[Anchor, tuple, Sequence]


@dataclasses.dataclass(frozen=True)
class Statement:
    """Built by @forall / @exists from the author's function: what the engine decides, for given stated values."""

    # "forall" or "exists".
    quantifier: str
    # The author's function; called with Terms for the variables and the stated values as keywords.
    function: Callable[..., Any]
    # Each quantified variable's domain, in the function's parameter order.
    domains: Mapping[str, Domain]

    @property
    def sized(self) -> bool:
        """Whether a variable is a matrix or vector of symbolic size, or an index below a size (proofs.sized,
        proofs.shaped): then
        proofs.sized_decision or proofs.shaped_decision decides."""
        from proofs.shaped import IndexDomain, ShapedDomain
        from proofs.sized import SizedDomain

        return any(isinstance(d, (SizedDomain, ShapedDomain, IndexDomain)) for d in self.domains.values())

    @property
    def engine(self) -> Any:
        """The module deciding a statement of symbolic size: proofs.shaped_decision when a size is named (Size("V"),
        IndexOf(V)),
        proofs.sized_decision for the one size n."""
        import importlib

        from proofs.shaped import IndexDomain, ShapedDomain

        shaped = any(isinstance(d, (ShapedDomain, IndexDomain)) for d in self.domains.values())
        return importlib.import_module("proofs.shaped_decision" if shaped else "proofs.sized_decision")

    def scalars(self) -> dict[str, Domain]:
        """Every scalar variable: a vector v of length 2 gives v[0] and v[1]; a matrix M gives M[0][1] and so on."""
        out = {}
        for name, dom in self.domains.items():
            for index in itertools.product(*(range(k) for k in dom.shape)):
                out[name + "".join(f"[{i}]" for i in index)] = dom.scalar
        return out

    def term(self, params: Mapping[str, Any], *, named: bool = True) -> Term:
        """The relation to decide for these stated values; with named, numeric stated values print as their names.

        What the body records with note() and event() reaches the check's result once, from the body evaluated
        with the stated values in place (named=False)."""
        if self.sized:
            return self.engine.relation(self, params)
        with collecting() as local:
            out = self._term(params, named)
        if not named:
            forward_once(local, (id(self), repr(sorted(params.items(), key=lambda kv: kv[0]))))
        return out

    def _term(self, params: Mapping[str, Any], named: bool) -> Term:
        args = {}
        for name, dom in self.domains.items():
            args[name] = _shaped(name, dom.shape, terms.var)
        if named:
            numeric = {k: terms.param(k, v) for k, v in params.items() if _numeric(v)}
            try:
                return self._body(args, {**params, **numeric})
            except TypeError:  # a stated value used as a Python number (a size, a range): print it substituted
                pass
        return self._body(args, params)

    def _body(self, args: Mapping[str, Any], params: Mapping[str, Any]) -> Term:
        body = self.function(**args, **params)
        if isinstance(body, bool):  # a closed statement written with Python numbers only
            body = terms.term(body)
        if not isinstance(body, Term) or body.op not in (*terms.RELATIONS, "and", "or", "not", "implies", "bool",
                                                                   *terms.QUANTIFIERS):
            raise InvalidClaim(f"the statement {self.function.__qualname__} must return a relation such as a == b or a <= b "
                               f"(combined with &, |, ~, implies), not {body!r}")
        return body

    def formal(self, params: Mapping[str, Any]) -> str:
        """The formal statement, printed from the term that is decided."""
        if self.sized:
            return self.engine.formal(self, params)
        quantifier = "for all" if self.quantifier == "forall" else "there exist"
        groups: dict[str, list[str]] = {}
        for name, dom in self.domains.items():
            groups.setdefault(dom.name, []).append(name)
        over = "; ".join(f"{', '.join(names)} ∈ {dom}" for dom, names in groups.items())
        from proofs.uninterpreted import Function, functions

        stated = ", ".join(f"{k} = {_show(v)}" for k, v in params.items() if not isinstance(v, Function))
        relation = self.term(params)
        body = terms.text(relation) + (f", where {stated}" if stated else "")
        fns = functions(relation)  # quantified with the variables: every differentiable function
        if fns:
            every = ("every" if self.quantifier == "forall" else "some") + " differentiable " + ", ".join(fn.describe() for fn in fns)
            over = f"{over}; {every}" if over else every
        return f"{quantifier} {over}: {body}" if over else body


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


# --- the decorator -------------------------------------------------------------------------------------------------

def _anchors(cites: Any) -> tuple[Anchor, ...]:
    if cites is None or cites == ():
        return ()
    if isinstance(cites, Anchor):
        return (cites,)
    if isinstance(cites, tuple) and len(cites) == 2 and all(isinstance(c, str) for c in cites):
        return (Anchor(*cites),)
    out = []
    for item in cites:
        out.extend(_anchors(item))
    return tuple(out)


def _part(claim_id: str) -> Optional[str]:
    segments = claim_id.split(".")
    after = segments[segments.index(exercise_segment(claim_id)) + 1:] if exercise_segment(claim_id) else []
    return after[0] if len(after) >= 2 and re.fullmatch(r"[a-z]\d?", after[0]) else None


def _signature(function: Callable) -> tuple[dict[str, Domain], dict[str, Any]]:
    domains, stated = {}, {}
    for name, p in inspect.signature(function, eval_str=True).parameters.items():
        if isinstance(p.annotation, Domain):
            if p.default is not inspect.Parameter.empty:
                raise InvalidClaim(f"quantified variable {name} has a default; stated values are parameters without a domain")
            domains[name] = p.annotation
        elif p.default is not inspect.Parameter.empty:
            stated[name] = p.default
        else:
            raise InvalidClaim(f"parameter {name} of {function.__qualname__} needs a domain (v: Real) or a stated value (k=2)")
    return domains, stated


def _inexact(function: Callable, values: Mapping[str, Any]) -> Optional[str]:
    """Why the statement is not exact, or None: a stated value that is a float, or a float written in the body (or a
    function defined in it). Python decides 0.1 + 0.2 == 0.3 (False) before the engine sees a term, so a float the
    body consumes itself would be a wrong verdict, not merely a refused term."""
    for name, value in values.items():
        if isinstance(value, (float, complex)):
            return (f"the stated value {name} = {value!r} is a float, which is not exact: write Fraction('{value}') or a "
                    "fraction such as Fraction(1, 10)")

    def walk(code) -> Optional[str]:
        for constant in code.co_consts:
            if isinstance(constant, (float, complex)):
                return (f"the float {constant!r} in the body of {function.__qualname__} is not exact (Python would compute "
                        f"with it before the engine sees it): write Fraction('{constant}') or a fraction such as Fraction(1, 10)")
            if inspect.iscode(constant):
                found = walk(constant)
                if found:
                    return found
        return None
    code = getattr(function, "__code__", None)
    return walk(code) if code is not None else None


def _make(quantifier: str, claim_id: Any, statement: Any, *, cites: Any = (), perturb: Optional[Mapping[str, Mapping]] = None,
          erratum: Optional[Correction] = None, assumptions: Iterable[str] = (), requires: Optional[Verdict] = None,
          part: Any = ..., trusts: Iterable[Any] = (), asserts: Optional[str] = None,
          rows: Optional[Sequence[Row]] = None) -> Callable[[Callable], Any]:
    def one(function: Callable, stmt: Statement, stated: dict, claim_id: str, statement: str, cites: Any, perturb: Any,
            erratum: Any, asserts: Optional[str], trusted: Iterable[Any] = trusts) -> Claim:
        finite = bool(stmt.scalars()) and _finite_size(stmt.scalars()) is not None
        needed = requires or (Verdict.EXHAUSTED if finite else Verdict.PROVED)
        segment = exercise_segment(claim_id) if isinstance(claim_id, str) else ""
        anchors = _anchors(cites)
        common = dict(exercise=int(segment[2:]) if segment else -1, part=_part(claim_id) if part is ... else part,
                      requires=needed, assumptions=tuple(assumptions), anchors=anchors, trusts=tuple(trusted),
                      file=function.__code__.co_filename, line=function.__code__.co_firstlineno)

        def build(cid: str, sentence: str, params: dict, mutants: tuple, correction: Optional[Erratum]) -> Claim:
            for values in (params, *(m.params for m in mutants if isinstance(getattr(m, "params", None), Mapping))):
                inexact = _inexact(function, values)
                if inexact:
                    raise InvalidClaim(inexact)
            stmt.term(params)  # a statement that cannot be built is a load error, not a check error
            formal = stmt.formal(params)
            said = asserts if asserts is not None else (quoted(anchors) if anchors else formal)
            check, replayed = (lambda **p: decide(stmt, p)), (lambda witness, /, **p: replay(stmt, witness, p))
            if stmt.sized:
                engine = stmt.engine
                check = lambda **p: engine.decide(stmt, p, common["trusts"])  # noqa: E731
                replayed = lambda witness, /, **p: engine.replay(stmt, witness, p)  # noqa: E731
            return Claim(id=cid, statement=sentence, asserts=said, formal=formal, derived_formal=True,
                         check=check, params=params, erratum=correction,
                         perturbations=mutants, replay=replayed, **common)

        if isinstance(perturb, Mapping):
            mutants = tuple(Perturbation(name, dict(values), _note(values)) for name, values in perturb.items())
        else:
            mutants = tuple(perturb or ())
        if erratum is None:
            return build(claim_id, statement, stated, mutants, None)
        if isinstance(erratum, Erratum):  # corrected by another claim, written beside it
            return build(claim_id, statement, stated, mutants, erratum)
        if not isinstance(erratum, Correction):
            raise InvalidClaim("erratum= takes Correction(reason, statement, values), or Erratum(reason, corrected_by) "
                               "naming a corrected claim written beside it")
        unknown = set(erratum.values) - set(stated)
        if unknown or not erratum.values:
            raise InvalidClaim(f"the correction must change stated values of the statement; {sorted(unknown) or 'none'} given")
        corrected_id = claim_id + "_corrected"
        printed = {k: stated[k] for k in erratum.values}
        fixed = build(corrected_id, erratum.statement, {**stated, **erratum.values},
                      (Perturbation("as_printed", printed, "the values the material prints"), *mutants), None)
        if erratum.assumptions:
            fixed = dataclasses.replace(fixed, assumptions=(*fixed.assumptions, *erratum.assumptions))
        wrong = build(claim_id, statement, stated, (), Erratum(erratum.reason, corrected_id))
        return dataclasses.replace(wrong, companions=(fixed,))

    def decorate(function: Callable) -> Any:
        code = function.__code__
        where = f"{code.co_filename}:{code.co_firstlineno}"
        try:
            domains, stated = _signature(function)
            stmt = Statement(quantifier, function, domains)
            if rows is None:
                return one(function, stmt, stated, claim_id, statement, cites, perturb, erratum, asserts)
            if claim_id is not None or statement is not None:
                raise InvalidClaim("a table-driven statement takes its ids and statements from its rows: "
                                   "write @forall(rows=(Row(id, statement, {value: ...}), ...), ...)")
            if not rows or not all(isinstance(r, Row) for r in rows):
                raise InvalidClaim("rows= takes a non-empty sequence of Row(id, statement, params, ...)")
            out = []
            for row in rows:
                unknown = set(row.params) - set(stated)
                if unknown:
                    raise InvalidClaim(f"row {row.id}: {sorted(unknown)} are not stated values of the statement")
                out.append(one(function, stmt, {**stated, **row.params}, row.id, row.statement,
                               (tuple(row.anchors) or _anchors(cites)) if row.anchors or cites else (),
                               row.perturbations or perturb, row.erratum if row.erratum is not None else erratum,
                               row.asserts if row.asserts is not None else (None if row.anchors else asserts),
                               row.trusts if row.trusts is not None else trusts))
            return Table(out)
        except Placeholder:
            raise
        except InvalidClaim as exc:
            raise InvalidClaim(f"{where}: {exc}") from None
        except (TypeError, ValueError, KeyError) as exc:
            raise InvalidClaim(f"{where}: claim {claim_id!r}: {type(exc).__name__}: {exc}") from None
    return decorate


def _note(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {_show(v)}" for k, v in values.items())


def forall(claim_id: Optional[str] = None, statement: Optional[str] = None, **options: Any) -> Callable[[Callable], Any]:
    """A claim that the relation the function returns holds for every value of its annotated variables.

    options: cites (a (file, snippet) pair, an Anchor, or a sequence of them), perturb ({name: {value: wrong value}}),
    erratum (a Correction), assumptions, requires (the weakest verdict that passes; derived from the domains), part,
    trusts, asserts (what the material asserts; derived from what cites quotes, else the formal statement), rows
    (Row values: one claim per row, each at its own stated values, returned as a Table; no id or statement then).
    """
    return _make("forall", claim_id, statement, **options)


def exists(claim_id: Optional[str] = None, statement: Optional[str] = None, **options: Any) -> Callable[[Callable], Any]:
    """A claim that some value of the annotated variables satisfies the relation the function returns."""
    return _make("exists", claim_id, statement, **options)
