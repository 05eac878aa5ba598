"""Claims drafted from matrix steps: the sides as printed, over Matrix domains at the sizes the scan decided them at."""

from __future__ import annotations

import itertools
import keyword
from typing import Optional

import sympy

from proofs.scan.draft_helpers import HELPERS
from proofs.scan.matrices import Node, names_of
from proofs.scan.shapes import Mismatch, Shapes

__all__ = ["render_matrix"]

# Sizes a step is drafted at when the scan's context is not kept (every size variable this one).
_SIZE = 2
# A checked step is drafted at every choice of its sizes from 1 to _MAX whose inputs have at most this many entries
# in all (the engine decides a claim by its entries; a gradient's are differentiated, so it gets fewer).
_MAX = 3
_ENTRIES = 27
_GRADIENT_ENTRIES = 12
# A norm under a premise (an orthogonal Q): z3 decides it over few entries.
_PREMISE_NORM_ENTRIES = 8
# An inverse (by cofactors): a rational identity sympy settles at 2 x 2, not always at 3 x 3 in time.
_INVERSE_ENTRIES = 8
# An inequality between norms: z3 decides a square root of a sum of squares only over few entries.
_NORM_ENTRIES = 4
_PYTHON = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ELEMENTARY = {"exp": "exp", "log": "log", "tanh": "tanh", "sigma": "sigmoid", "dsigma": "_dsigmoid", "dtanh": "_dtanh"}


class _Unsupported(Exception):
    """A part of the step the statement form cannot write (an operator norm of a matrix, a recurrence, ...)."""


def _identifier(letter: str, index) -> str:
    """The Python name of a name of the material (lambda_ for λ, which is a keyword)."""
    if index is None:
        return f"{letter}_" if keyword.iskeyword(letter) else letter
    return f"{letter}_{index}"


class _Writer:
    """Python for one side: the statement form's terms over matrices as lists of rows (the module's helpers)."""

    def __init__(self, indices: dict, model=None, free: frozenset = frozenset(), layout: str = "column") -> None:
        self.indices = indices
        self.model = model
        # defined names the step differentiates with respect to: parameters of the claim, not computed
        self.free = free
        self.layout = layout
        self.functions: set = set()
        # defined names that are also parameters of the claim: their helpers are named <name>_of
        self.clash: frozenset = frozenset()
        # name -> (parameters, body) of each forward equation the sides read
        self.equations: dict = {}
        # the inputs read (letter, concrete index or None)
        self.inputs: set = set()

    def concrete(self, index) -> Optional[int]:
        if index is None:
            return None
        v = index.xreplace({s: sympy.Integer(self.indices[s.name]) for s in index.free_symbols if s.name in self.indices})
        if not v.is_Integer:
            raise _Unsupported(f"the index {index}")
        return int(v)

    def equation(self, letter: str, at) -> Optional[Node]:
        if self.model is None:
            return None
        eqs = self.model.equations.get(letter, ())
        if any(pattern is not None for pattern, _ in eqs):
            raise _Unsupported(f"a recurrence ({letter} is defined member by member)")
        return next((body for pattern, body in eqs if pattern is None and at is None), None)

    def name(self, letter: str, index) -> str:
        at = self.concrete(index)
        ident = _identifier(letter, at)
        body = self.equation(letter, at) if ident not in self.free else None
        if body is None:
            self.inputs.add((letter, at))
            return ident
        if ident not in self.equations:
            self.equations[ident] = None  # (a definition that reads itself stops here)
            deps = sorted({_identifier(n[0], self.concrete(n[1])) for n in names_of(body)})
            inner = _Writer(self.indices, self.model, frozenset(deps), self.layout)
            inner.clash = self.clash
            code = inner.write(body)
            self.functions |= inner.functions
            self.equations[ident] = (deps, code)
            for dep_letter, dep_index in sorted(names_of(body), key=str):
                self.name(dep_letter, dep_index)
        deps = self.equations[ident][0] if self.equations[ident] else []
        return f"{helper(ident, self.clash)}({', '.join(self.name(*_split(d)) for d in deps)})"

    def write(self, n: Node) -> str:
        k, a = n.kind, n.args
        if k == "num":
            return f"Fraction({n.data.numerator}, {n.data.denominator})" if n.data.denominator != 1 else str(n.data.numerator)
        if k == "name":
            return self.name(*n.data)
        if k == "I":
            return "_I"
        if k == "add":
            return "_add(" + ", ".join(self.write(x) for x in a) + ")"
        if k == "neg":
            return f"_scale(-1, {self.write(a[0])})"
        if k == "mul":
            return "_mul(" + ", ".join(self.write(x) for x in a) + ")"
        if k == "had":
            return f"_had({self.write(a[0])}, {self.write(a[1])})"
        if k == "T":
            return f"_t({self.write(a[0])})"
        if k == "inv":
            return f"_inv({self.write(a[0])})"
        if k == "tr":
            return f"_tr({self.write(a[0])})"
        if k in ("Diag", "diag"):
            return f"_{k}({self.write(a[0])})"
        if k == "div":
            return f"_div({self.write(a[0])}, {self.write(a[1])})"
        if k == "abs":
            return f"_abs({self.write(a[0])})"
        if k == "norm":
            return f"_norm({self.write(a[0])}, {self._norm_kind(n)!r})"
        if k == "pow" and a[0].kind == "norm" and n.data == 2:
            return f"_sq({self.write(a[0].args[0])}, {self._norm_kind(a[0])!r})"
        if k == "pow":
            return f"_pow({self.write(a[0])}, {n.data})"
        if k in ("apply", "dapply"):
            self.functions.add(n.data)
            return f"_map({n.data}{'.prime' if k == 'dapply' else ''}, {self.write(a[0])})"
        if k == "elem" and n.data in _ELEMENTARY:
            return f"_map({_ELEMENTARY[n.data]}, {self.write(a[0])})"
        if k == "softmax":
            return f"_softmax({self.write(a[0])})"
        if k == "grad":
            return self.gradient(*a)
        if k == "entry":
            return f"_entry({self.write(a[0])}, {_local(n.data)})"
        if k == "vec":  # a vector defined entry by entry: as long as the vectors its entries are of
            return f"_vec(lambda {_local(n.data)}: {self.write(a[0])}, {self._over(a[0], n.data)})"
        if k == "sum" and n.data[2] is None:  # over every entry of the vectors it reads
            var = n.data[0]
            return f"_sum(lambda {_local(var)}: {self.write(a[0])}, {self._over(a[0], var)})"
        if k in ("prod", "sum"):
            var, lo, hi = n.data
            subs = {s: sympy.Integer(self.indices[s.name]) for s in lo.free_symbols | hi.free_symbols if s.name in self.indices}
            lo_v, hi_v = lo.xreplace(subs), hi.xreplace(subs)
            if not (lo_v.is_Integer and hi_v.is_Integer) or hi_v < lo_v:
                raise _Unsupported(f"a \\{k} of symbolic length")
            parts = []
            for j in range(int(lo_v), int(hi_v) + 1):
                self.indices[var.name] = j
                parts.append(self.write(a[0]))
            self.indices.pop(var.name, None)
            return ("_mul(" if k == "prod" else "_add(") + ", ".join(parts) + ")"
        raise _Unsupported({"entry": "an entry of a vector in a sum", "vec": "a vector defined entry by entry"}.get(k, k))

    def _over(self, body: Node, var) -> str:
        """A vector whose entries the body reads at var: the entries a sum over them runs over."""
        from proofs.scan.elementwise import entry_vectors

        vectors = list(entry_vectors(body, var))
        if not vectors:
            raise _Unsupported("a sum over entries of no vector")
        return self.write(vectors[0])

    def _norm_kind(self, n: Node) -> str:
        return "F" if n.data == "F" or (self.model is not None and self.model.matrix_norm == "F") else "2"

    def gradient(self, target: Node, variable: Node) -> str:
        """The printed gradient, taken by diff of the target's forward equations entry by entry of the variable."""
        if variable.kind != "name" or target.kind != "name":
            raise _Unsupported("a gradient of an expression")
        at = self.concrete(variable.data[1])
        ident = _identifier(variable.data[0], at)
        t_at = self.concrete(target.data[1])
        if self.equation(target.data[0], t_at) is None:
            raise _Unsupported(f"a gradient of {target.data[0]}, which no forward equation defines")
        if self.equation(variable.data[0], at) is not None and ident not in self.free:
            raise _Unsupported(f"a gradient with respect to {ident} beside one through it")
        return f"_grad({self.name(*target.data)}, {ident}, {self.layout!r})"


def _local(var) -> str:
    """The Python name of an index a sum or a vector runs over (i -> i_)."""
    return f"{var.name}_"


def helper(ident: str, clash) -> str:
    """The name of a forward equation's helper: the name it defines, or <name>_of where that is a parameter too."""
    return f"{ident}_of" if ident in clash else ident


def _split(ident: str) -> tuple:
    if ident.endswith("_") and keyword.iskeyword(ident[:-1]):
        return ident[:-1], None
    letter, _, index = ident.rpartition("_")
    if letter and index.isdigit():
        return letter, sympy.Integer(int(index))
    return ident, None


def _grad_variables(*trees: Node) -> set:
    out: set = set()
    for t in trees:
        if t.kind == "grad" and t.args[1].kind == "name":
            out.add(t.args[1].data)
        out |= _grad_variables(*t.args)
    return out


def _nodes(n: Node):
    yield (), n
    for a in n.args:
        yield from _nodes(a)


def _layout(step) -> str:
    """The layout the scan found the step true under (the counterexample's for a refuted one)."""
    example = step.counterexample or {}
    if example.get("layout"):
        return example["layout"]
    return "row" if "numerator layout" in step.reason else "column"


def _shapes(left: Node, right: Node, model, layout: str) -> Shapes:
    """The shapes the scan gives the step's names (as proofs.scan.instances does before drawing instances)."""
    from proofs.scan.instances import _names

    shapes = Shapes(model)
    for _ in range(3):
        for letter, eqs in model.equations.items():
            probe = Shapes(model)
            probe.scalars = set(shapes.scalars)
            try:
                if letter not in model.kinds and all(probe.infer(body, strict=True, layout=layout) == "scalar" for _, body in eqs):
                    shapes.scalars.add(letter)
            except Exception:  # noqa: BLE001 - as the scan does: a definition it cannot shape is left out
                pass
    read = {n[0] for n in _names(left, right, model)}
    for letter, eqs in model.equations.items():
        for pattern, body in eqs:
            try:
                family, inferred = shapes.family(letter, pattern), shapes.infer(body, strict=True, layout=layout)
            except Exception as exc:  # noqa: BLE001
                if letter in read:
                    raise _Unsupported(f"the shape of {letter}") from exc
                continue
            if family != "scalar" and inferred != "scalar":
                shapes.unify(family[0], inferred[0], True)
                shapes.unify(family[1], inferred[1], True)
    inferred = []
    for side in (left, right):
        try:
            inferred.append(shapes.infer(side, layout=layout))
        except Mismatch:
            pass
    if len(inferred) == 2 and "scalar" not in inferred:
        for a, b in zip(*inferred):
            a, b = shapes.find(a), shapes.find(b)
            if isinstance(a, str) and isinstance(b, str) and (a.startswith(("n_", "r_", "c_", "#")) or
                                                              b.startswith(("n_", "r_", "c_", "#"))):
                shapes.unify(a, b, False)
    return shapes


def sizes_made_equal(left: Node, right: Node, model, layout: str) -> set:
    """(size, what it became) for each size the material declares that the step's shapes make equal to another or
    to a number: a step that fits only so is decided at fewer sizes than the material's."""
    declared = {d for dims in model.dims.values() for d in dims if isinstance(d, str)}
    declared |= {d for d in model.lengths.values() if isinstance(d, str)}
    shapes = _shapes(left, right, model, layout)
    return {(d, str(shapes.find(d))) for d in declared if shapes.find(d) != d}


def _size_name(d: str) -> str:
    what = {"n_": "the size", "r_": "the rows", "c_": "the columns"}.get(d[:2])
    return f"{what} of {d[2:]}" if what else d


class _Draft:
    """One step's claim, ready to write: its parameters' shapes at each choice of sizes, its premises and sides."""

    def __init__(self, step, left: Node, right: Node) -> None:
        self.step = step
        context = getattr(step, "printed", None)
        self.model = getattr(context, "model", None)
        self.layout = _layout(step)
        example = step.counterexample or {}
        self.indices = dict(example.get("indices", {}))
        for s in sorted({s.name for t in (left, right) for _, idx in names_of(t) if idx is not None for s in idx.free_symbols}):
            self.indices.setdefault(s, 1)
        variables = _grad_variables(left, right)
        free = set()
        writer = _Writer(dict(self.indices), self.model, frozenset(), self.layout)
        for letter, index in variables:  # a defined variable (dL/dz): a parameter, tied to its forward equation
            at = writer.concrete(index)
            if writer.equation(letter, at) is not None:
                free.add(_identifier(letter, at))
        self.writer = _Writer(dict(self.indices), self.model, frozenset(free), self.layout)
        self.writer.clash = frozenset(free)
        self.left, self.right = self.writer.write(left), self.writer.write(right)
        # each defined variable: its value through the forward equation, a premise
        self.premises = []
        # parameters given again before the relation (a vector whose entries sum to what the material states)
        self.rebind: list = []
        for ident in sorted(free):
            tie = _Writer(dict(self.indices), self.model, frozenset(), self.layout)
            tie.clash = frozenset(free)
            computed = tie.name(*_split(ident))
            self.writer.equations.update(tie.equations)
            self.writer.inputs |= tie.inputs
            self.writer.functions |= tie.functions
            self.premises.append(f"_eq({ident}, {computed})")
            letter, index = _split(ident)
            self.writer.inputs.add((letter, writer.concrete(index)))
        if self.model is not None:
            for letter, index in sorted(self.writer.inputs, key=str):
                total = self.model.totals.get(letter)
                if total is not None and index is None:  # the sum of its entries the material states (a label's):
                    # its last entry is that sum less the others (as the scan draws it), not a premise z3 must use
                    self.rebind.append(f"{letter} = _with_total({letter}, Fraction({total.numerator}, {total.denominator}))")
                for condition in sorted(self.model.conditions.get(letter, ())):
                    ident = _identifier(letter, index)
                    if condition == "invertible":
                        self.premises.append(f"_det({ident}) != 0")
                    elif condition == "symmetric":
                        self.premises.append(f"_eq({ident}, _t({ident}))")
                    elif condition == "square":
                        continue  # its shape: the sizes drafted are square ones
                    elif condition == "definite":
                        self.premises.append(f"_definite({ident})")
                    elif condition == "orthogonal":
                        self.premises.append(f"_eq(_mul(_t({ident}), {ident}), _I)")
                    else:
                        raise _Unsupported(f"the condition that {ident} is {condition}")
        self.norms = [n for t in (left, right) for _, n in _nodes(t) if n.kind == "norm" and self._norm_kind(n) == "2"]
        self.gradient = bool(variables)
        # size names the step reads as numbers (sum_i (u_i + 1) = sum_i u_i + q for u in R^q)
        self.sized: set = set()

    def _norm_kind(self, n: Node) -> str:
        return "F" if n.data == "F" or (self.model is not None and self.model.matrix_norm == "F") else "2"

    def operator_norm(self, sizes: dict, largest: int = 2) -> bool:
        """Whether at these sizes a printed norm is the operator 2-norm of a matrix with more than two rows and
        columns, which the statement form cannot write at a fixed size (with at most two, the square root of the largest
        eigenvalue of its 2 x 2 Gram matrix is written in closed form)."""
        for n in self.norms:
            try:
                s = self.shapes.infer(n.args[0], layout=self.layout)
            except Exception:  # noqa: BLE001 - a norm of a side whose shapes do not fit: the statement says so
                continue
            if s != "scalar" and all((d if isinstance(d, int) else sizes.get(d, 2)) > largest for d in map(self.shapes.find, s)):
                return True
        return False

    def shapes_at(self, sizes: Optional[dict]) -> dict:
        """ident -> (rows, columns), or None for a number, of every parameter."""
        example = self.step.counterexample or {}
        out = {}
        for letter, at in sorted(self.writer.inputs, key=str):
            ident = _identifier(letter, at)
            if ident in self.sized:
                continue  # a size the step reads as a number: its value at the sizes drafted, not a parameter
            if sizes is None:
                shape = example.get("shapes", {}).get(ident) or example.get("shapes", {}).get(letter)
                if shape is None:
                    shape = [_SIZE, _SIZE] if letter[0].isupper() else [0, 0]
                out[ident] = None if list(shape) == [0, 0] else tuple(shape)
                continue
            s = self.shapes.family(letter, None if at is None else sympy.Integer(at))
            if s == "scalar":
                out[ident] = None
                continue
            dims = [self.shapes.find(d) for d in s]
            out[ident] = tuple(d if isinstance(d, int) else sizes[d] for d in dims)
        return out

    def choices(self, left: Node, right: Node) -> Optional[list]:
        """The choices of sizes a checked step is drafted at, or None where the scan's shapes are not known."""
        if self.model is None:
            return None
        self.shapes = _shapes(left, right, self.model, self.layout)
        dims = _dims_of(self.shapes, self.writer.inputs)
        self.dims = dims
        self.sized = {letter for letter, at in self.writer.inputs if at is None and letter in dims
                      and self.shapes.family(letter) == "scalar"}
        budget = _GRADIENT_ENTRIES if self.gradient else _ENTRIES
        kinds = {n.kind for t in (left, right) for _, n in _nodes(t)}
        if "inv" in kinds:
            budget = min(budget, _INVERSE_ENTRIES)
        if "norm" in kinds and (self.premises or self.step.relation not in ("=", "!=")):
            budget = _NORM_ENTRIES if self.step.relation not in ("=", "!=") else min(budget, _PREMISE_NORM_ENTRIES)
        out = []
        # a checked step is drafted where no norm is the operator norm of a full matrix (z3 seldom settles its closed
        # form over every instance), and only where every choice has one, at those with at most two rows or columns
        for largest in (1, 2):
            for combo in itertools.product(range(1, _MAX + 1), repeat=len(dims)):
                sizes = dict(zip(dims, combo))
                if self.operator_norm(sizes, largest):
                    continue
                shapes = self.shapes_at(sizes)
                if sum(r * c for r, c in (s for s in shapes.values() if s is not None)) <= budget or not out:
                    out.append(sizes)
            if out:
                break
        if not out:
            raise _Unsupported("the operator 2-norm of a matrix")
        return out


def _dims_of(shapes: Shapes, inputs) -> list:
    out = set()
    for letter, at in inputs:
        family = shapes.family(letter, None if at is None else sympy.Integer(at))
        if family != "scalar":
            out |= {d for d in map(shapes.find, family) if isinstance(d, str)}
    return sorted(out)


def _annotation(shape) -> str:
    return "Real" if shape is None else f"Matrix(Real, {shape[0]}, {shape[1]})"


def render_matrix(step, claim_id: str, snippet: str, exercise: str) -> str:
    """The module of one drafted matrix step (see the README's Drafts): a checked step at every choice of its sizes
    (to _MAX, within a budget of entries), a refuted one as an erratum at its counterexample's sizes, with the
    correction the scan verified beside it, or with what the author must supply; a step the statement form cannot
    write is left unfinished (todo)."""
    from proofs.scan.draft_recurrence import Unwritable, recurrent, render_recurrence
    from proofs.scan.draft_repairs import repair

    left, right = step.exprs
    where = f"{step.file}:{step.line}"
    cites = f"cites=({step.file!r}, {snippet!r})"
    header = (f'"""Drafted by `proofs scan` from {where}{exercise}; review it, then keep it with the course\'s claims."""'
              "\n\nfrom fractions import Fraction  # noqa: F401\n\n"
              "from proofs import Correction, Function, Matrix, Real, const, diff, exp, forall, implies, log, matmul, "
              "sigmoid, sqrt, tanh, todo  # noqa: F401\n")
    try:
        if recurrent(step):  # a gradient through an indexed recurrence: sized statements, for every size and T
            try:
                return render_recurrence(step, claim_id, snippet, exercise)
            except Unwritable as exc:
                raise _Unsupported(str(exc)) from None
        draft = _Draft(step, left, right)
        choices = draft.choices(left, right) if step.status != "refuted" else None
        if step.status == "refuted" and draft.model is not None:
            draft.shapes = _shapes(left, right, draft.model, draft.layout)
            named = {_size_name(d): d for d in _dims_of(draft.shapes, draft.writer.inputs)}
            sizes = {named.get(k, k): v for k, v in (step.counterexample or {}).get("sizes", {}).items()}
            if draft.operator_norm(sizes):
                raise _Unsupported("the operator 2-norm of a matrix")
            draft.sized = {letter for letter, at in draft.writer.inputs if at is None and letter in sizes
                           and draft.shapes.family(letter) == "scalar"}
            draft.rebind[:0] = [f"{letter} = {sizes[letter]}  # the size, read as a number" for letter in sorted(draft.sized)]
        fix = repair(step, draft) if step.status == "refuted" else None
        corrected = None
        if fix is not None:
            corrected_writer = draft.writer
            corrected = (corrected_writer.write(fix.left), corrected_writer.write(fix.right), fix.relation)
    except _Unsupported as exc:
        return (header.replace("review it,", f"UNFINISHED: the statement form cannot write {exc}; finish it,") +
                f"\n# TODO: write the step by hand (it holds {exc}), then remove this line.\nREASON = todo({str(exc)!r})\n")
    functions = "".join(f"{f} = Function({_display(f)!r})  # every differentiable function: the material leaves {f} "
                        "arbitrary\n" for f in sorted(draft.writer.functions))
    equations = "".join(f"def {helper(name, draft.writer.clash)}({', '.join(deps)}):\n    # as the material defines it\n    return {code}\n\n\n"
                        for name, (deps, code) in draft.writer.equations.items())
    read_as = ("numerator layout (a gradient of a vector is a row)" if draft.layout == "row" else
               "denominator layout (a gradient has the shape of its variable)")
    layout = "" if not draft.gradient else f"# Gradients in the {read_as}, the layout the scan read the step in.\n"
    premise = " & ".join(f"({p})" for p in draft.premises)

    def body(lhs: str, rhs: str, relation: str) -> str:
        out = f"_holds(lambda: ({lhs}, {rhs}), {_PYTHON[relation]!r})"
        return f"implies({premise}, {out})" if premise else out

    rebind = "".join(f"{line}\n    " for line in draft.rebind)

    top = header + "\n" + functions + HELPERS + "\n\n" + equations + layout
    if step.status != "refuted":
        return top + _sized(draft, choices, claim_id, step, where, exercise, cites,
                            rebind.replace("\n    ", "\n        ") + "return " + body(draft.left, draft.right, step.relation))
    sizes = (step.counterexample or {}).get("sizes", {})
    shapes = draft.shapes_at(None)
    params = ", ".join(f"{k}: {_annotation(v)}" for k, v in shapes.items())
    at = ", ".join(f"{k} = {v}" for k, v in sizes.items()) or "the sizes the material fixes"
    statement = (f"As printed at {where}{exercise}: {step.text} (at {at}, where the scan refuted it; the material's "
                 "statement is for every size)")
    reason = f"The printed step fails: {step.reason[:600]}"
    if corrected is None:
        return (top + f"REASON = {reason!r}\n# The scan knows no corrected form of this step: {_missing(step)}.\n\n\n"
                f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
                f"        erratum=Correction(REASON, todo({_missing(step)!r}), {{'fix': 1}}))\n"
                f"def claim({params}{', ' if params else ''}fix=0):\n    {rebind}return {body(draft.left, draft.right, step.relation)}\n\n\n"
                "CLAIMS = (claim, *claim.companions)\n")
    c_left, c_right, c_relation = corrected
    return (top + f"REASON = {reason!r}\n\n\n"
            f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
            f"        erratum=Correction(REASON, {fix.text!r}, {{'fix': 1}}))\n"
            f"def claim({params}{', ' if params else ''}fix=0):\n"
            f"    # fix = 0 is the step as printed; fix = 1 is it corrected ({fix.what}), which the scan checked\n"
            f"    {rebind}if fix == 0:\n        return {body(draft.left, draft.right, step.relation)}\n"
            f"    return {body(c_left, c_right, c_relation)}\n\n\n"
            "CLAIMS = (claim, *claim.companions)\n")


def _sized(draft: _Draft, choices, claim_id: str, step, where: str, exercise: str, cites: str, returned: str) -> str:
    """A checked step: one claim at each choice of sizes (ids suffixed with them), or at _SIZE without the context."""
    if choices is None:
        choices = [None]
    names = [d for d in getattr(draft, "dims", [])]
    params_by_choice = []
    for sizes in choices:
        shapes = draft.shapes_at(sizes) if sizes is not None else draft.shapes_at(None)
        params_by_choice.append(shapes)
    idents = list(params_by_choice[0])
    table = ",\n    ".join("(" + ", ".join(repr(p[i]) for i in idents) + ("," if len(idents) == 1 else "") + ")"
                           for p in params_by_choice)
    sizes_text = "; ".join(", ".join(f"{_size_name(d)} = {s[d]}" for d in names) for s in choices if s) or "the sizes drafted"
    suffixes = ["_".join(f"{_slug(d)}{s[d]}" for d in names) if s else "" for s in choices]
    statement = (f"As printed at {where}{exercise}: {step.text} (at the sizes of its id; the scan checked it: "
                 f"{step.reason[:300]})")
    args = ", ".join(f"{i}: _domain(shapes[{n}])" for n, i in enumerate(idents))
    read = "".join(f"{letter} = sizes[{letter!r}]  # the size, read as a number\n        " for letter in sorted(draft.sized))
    table_sizes = repr(tuple({k: v for k, v in s.items() if k in draft.sized} if s else {} for s in choices))
    return (f"# The sizes drafted ({sizes_text}): the shapes of {', '.join(idents) or 'no matrix'} at each; the material's "
            "statement is for every size.\nSHAPES = (\n    " + table + ",\n)\nSUFFIXES = " + repr(tuple(suffixes)) + "\n"
            + (f"SIZES = {table_sizes}\n" if draft.sized else "") + "\n\n"
            "def _domain(shape):\n    return Real if shape is None else Matrix(Real, *shape)\n\n\n"
            f"def _claim(shapes, suffix{', sizes' if draft.sized else ''}):\n"
            f"    @forall({claim_id!r} + (('_' + suffix) if suffix else ''), {statement!r},\n            {cites})\n"
            f"    def claim({args}):\n        {read}{returned}\n    return claim\n\n\n"
            + ("CLAIMS = tuple(_claim(*row) for row in zip(SHAPES, SUFFIXES, SIZES))\n" if draft.sized else
               "CLAIMS = tuple(_claim(shapes, suffix) for shapes, suffix in zip(SHAPES, SUFFIXES))\n"))


def _slug(d: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", _size_name(d).lower()).strip("_").replace("the_", "")


def _display(name: str) -> str:
    from proofs.scan.vocabulary import GREEK

    return GREEK.get(name, name) if isinstance(GREEK, dict) else name


def _missing(step) -> str:
    """What the author must supply for a refuted step the scan knows no corrected form of."""
    example = step.counterexample or {}
    if example.get("shapes_only"):
        return ("the corrected step: no transpose, product order or layout of the printed right side fits the shapes "
                "of the left side")
    return ("the corrected step: no transpose, sign, product order, factor or relation of the printed step holds on "
            "every instance the scan tried (a term or factor is missing, which only the author can say)")
