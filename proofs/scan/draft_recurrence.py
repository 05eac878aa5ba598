"""Claims drafted from gradients through an indexed recurrence: sized statements over every size and every T."""

from __future__ import annotations

from typing import Optional

import sympy

from proofs.scan.matrices import Node

__all__ = ["recurrent", "render_recurrence"]


class Unwritable(Exception):
    """A part of a recurrence step the sized statements cannot write."""


def _state(step) -> Optional[str]:
    """The letter of the recurrence the step differentiates through (h of dl/dh_t), or None."""
    model = getattr(getattr(step, "printed", None), "model", None)
    if model is None or step.exprs is None:
        return None
    for side in step.exprs:
        for n in _walk(side):
            if n.kind == "grad" and n.args[1].kind == "name" and n.args[1].data[1] is not None:
                letter = n.args[1].data[0]
                if any(p is not None for p, _ in model.equations.get(letter, ())):
                    return letter
    return None


def recurrent(step) -> bool:
    """Whether the step is a gradient with respect to a member of a recurrence the material defines."""
    return _state(step) is not None


def _walk(n: Node):
    yield n
    for a in n.args:
        yield from _walk(a)


def _subst(n: Node, var: sympy.Symbol, value) -> Node:
    """n with an index variable replaced in every name's index and every product's bounds."""
    data = n.data
    if n.kind == "name" and data[1] is not None:
        data = (data[0], sympy.sympify(data[1]).xreplace({var: value}))
    elif n.kind in ("prod", "sum") and data[2] is not None and data[0] != var:
        data = (data[0], data[1].xreplace({var: value}), data[2].xreplace({var: value}))
    return Node(n.kind, tuple(_subst(a, var, value) for a in n.args), data)


def _member(model, letter: str, at) -> Optional[Node]:
    """The body of the equation defining letter at index `at` (h_{k+1} = phi(z_{k+1})), or None."""
    for pattern, body in model.equations.get(letter, ()):
        if pattern is None:
            continue
        free = sorted(pattern.free_symbols, key=str)
        if len(free) != 1:
            continue
        solved = _solved(pattern, free[0], at)
        if solved is not None:
            return _subst(body, free[0], solved)
    return None


def _solved(pattern, var, at):
    """The value of var at which the index pattern (var + c) is `at`, or None for a pattern that is not var + c."""
    offset = sympy.expand(pattern - var)
    return None if var in offset.free_symbols else sympy.expand(at - offset)


class _Jacobian:
    """∂h_{k+1}/∂h_k from the forward equations, as a product of the material's names (D_{k+1} W_k)."""

    def __init__(self, model, state: str, k: sympy.Symbol) -> None:
        self.model, self.state, self.k = model, state, k

    def named(self, n: Node) -> Node:
        """Diag(phi'(z_{k+1})) as the name the material gives it (D_{k+1} = Diag(phi'(z_{k+1})))."""
        for letter, eqs in self.model.equations.items():
            for pattern, body in eqs:
                if pattern is None or len(pattern.free_symbols) != 1:
                    continue
                (var,) = pattern.free_symbols
                for at in (self.k, self.k + 1):
                    solved = _solved(pattern, var, at)
                    if solved is not None and str(_subst(body, var, solved)) == str(n):
                        return Node("name", (), (letter, at))
        raise Unwritable(f"{n} (a Jacobian factor the material gives no name)")

    def of(self, n: Node) -> Optional[Node]:
        """∂n/∂h_k, or None where n does not depend on h_k."""
        if n.kind == "name":
            letter, at = n.data
            if letter == self.state and at is not None and sympy.simplify(at - self.k) == 0:
                return Node("I")
            body = _member(self.model, letter, at) if at is not None else None
            return None if body is None else self.of(body)
        if n.kind == "apply":
            inner = self.of(n.args[0])
            if inner is None:
                return None
            d = self.named(Node("Diag", (Node("dapply", n.args, n.data),)))
            return d if inner.kind == "I" else Node("mul", (d, inner))
        if n.kind == "add":
            parts = [p for p in (self.of(a) for a in n.args) if p is not None]
            if len(parts) != 1:
                raise Unwritable("a state that enters more than one term") if parts else None
            return parts[0] if parts else None
        if n.kind == "mul":
            if any(self.of(a) is not None for a in n.args[:-1]):
                raise Unwritable("a product with the state before its last factor")
            last = self.of(n.args[-1])
            if last is None:
                return None
            factors = n.args[:-1] if last.kind == "I" else n.args[:-1] + (last,)
            return factors[0] if len(factors) == 1 else Node("mul", factors)
        if any(self.of(a) is not None for a in n.args):
            raise Unwritable(f"the derivative of {n.kind} of the state")
        return None


def _index(e) -> str:
    return str(sympy.sympify(e)).replace("**", "^")


class _Sized:
    """Python for one side over the sized terms: W[t], .T, @, mprod, backward."""

    def __init__(self, state: str, last: sympy.Symbol, roles: dict, layout: str = "column") -> None:
        self.state, self.last, self.roles = state, last, roles
        # "row": a gradient is written as the transpose of the column backward gives (numerator layout)
        self.layout = layout
        self.sequences: set = set()
        self.lowest: list = []  # the indices the gradients are read at (each at most T)

    def write(self, n: Node) -> str:
        k, a = n.kind, n.args
        if k == "grad":
            if a[1].kind != "name" or a[1].data[0] != self.state or a[0].kind != "name":
                raise Unwritable("a gradient not of the loss with respect to a state")
            at = a[1].data[1]
            self.lowest.append(at)
            out = "g" if sympy.simplify(at - self.last) == 0 else f"backward(g, J, {_index(at)}, {_index(self.last)})"
            return out + (".T" if self.layout == "row" else "")
        if k == "name":
            letter, at = n.data
            if letter not in self.roles:
                raise Unwritable(f"{letter}, whose shape the sized statements do not know")
            if at is None:
                return letter
            self.sequences.add(letter)
            return f"{letter}[{_index(at)}]"
        if k == "I":
            return "identity_matrix()"
        if k == "T":
            return f"({self.write(a[0])}).T" if a[0].kind not in ("name", "grad") else f"{self.write(a[0])}.T"
        if k == "mul":
            return "(" + " @ ".join(self.write(x) for x in a) + ")"
        if k == "add":
            return "(" + " + ".join(self.write(x) for x in a) + ")"
        if k == "neg":
            return f"(-1 * {self.write(a[0])})"
        if k == "num":
            return f"Fraction({n.data.numerator}, {n.data.denominator})"
        if k == "prod" and n.data[2] is not None:
            var, lo, hi = n.data
            self.lowest.append(lo)
            return f"mprod(lambda {var}: {self.write(a[0])}, {_index(lo)}, {_index(hi)})"
        raise Unwritable(f"{k} in a recurrence step")


class _Instance(_Sized):
    """Python for one side at one instance (every index a number, the size fixed): the module's list helpers, so that
    a side whose shape differs from the other's is written as printed and the statement is false there by its shapes."""

    def write(self, n: Node) -> str:
        k, a = n.kind, n.args
        if k == "grad":
            if a[1].kind != "name" or a[1].data[0] != self.state or a[0].kind != "name":
                raise Unwritable("a gradient not of the loss with respect to a state")
            self.lowest.append(a[1].data[1])
            return f"_backward(g, J, {_index(a[1].data[1])}, {_index(self.last)})"
        if k == "name" and n.data[1] is not None:
            if n.data[0] not in self.roles:
                raise Unwritable(f"{n.data[0]}, whose shape the sized statements do not know")
            self.sequences.add(n.data[0])
            return f"{n.data[0]}[{_index(n.data[1])}]"
        if k == "I":
            return "_I"
        if k == "T":
            return f"_t({self.write(a[0])})"
        if k in ("mul", "add"):
            return f"_{k}(" + ", ".join(self.write(x) for x in a) + ")"
        if k == "neg":
            return f"_scale(-1, {self.write(a[0])})"
        if k == "prod" and n.data[2] is not None:
            var, lo, hi = n.data
            self.lowest.append(lo)
            return f"_mprod(lambda {var}: {self.write(a[0])}, {_index(lo)}, {_index(hi)})"
        return super().write(n)


_INSTANCE_HELPERS = '''

def _backward(g, J, t, T):
    """dl/dh_t from g = dl/dh_T by the chain rule: J(k)^T applied for k = T - 1 down to t."""
    out = g
    for k in range(T - 1, t - 1, -1):
        out = _mul(_t(J(k)), out)
    return out


def _mprod(factor, lower, upper):
    """The factors for k = lower, ..., upper multiplied from the left; I when empty."""
    out = _I
    for k in range(lower, upper + 1):
        out = _mul(out, factor(k))
    return out
'''


def _erratum_at_instance(step, state: str, jacobian: Node, roles: dict, last: sympy.Symbol, claim_id: str,
                         cites: str, where: str, exercise: str) -> str:
    """The code of the printed step at the scan's counterexample (its size and index, T the least the step
    reads), over Matrix parameters: the members of each sequence from t to T, each Diag(...) by its diagonal."""
    from proofs.scan.draft_helpers import HELPERS

    example = step.counterexample or {}
    size = next(iter(example.get("sizes", {}).values()), 2)
    index = {str(k): int(v) for k, v in example.get("indices", {}).items()}
    writer = _Instance(state, last, roles)
    left, right = (writer.write(x) for x in step.exprs)
    j_text = writer.write(jacobian)
    values = {sympy.Symbol(k, integer=True): v for k, v in index.items()}
    starts = [int(sympy.sympify(at).xreplace(values)) for at in writer.lowest
              if not (sympy.sympify(at).free_symbols - set(values))]
    if not starts:
        raise Unwritable("the instance of a recurrence step (no index the scan fixed)")
    top = max(starts)
    bottom = min(starts)
    members = range(bottom, top + 1)
    params, bind, premises = [], [], []
    for letter in sorted(writer.sequences):
        role = roles[letter]
        if role not in ("SquareMatrix", "Diagonal", "Orthogonal"):
            raise Unwritable(f"a sequence of {role} at an instance")
        for m in members:
            shape = (size, 1) if role == "Diagonal" else (size, size)
            params.append(f"{letter}_{m}: Matrix(Real, {shape[0]}, {shape[1]})")
            if role == "Orthogonal":
                premises.append(f"_eq(_mul(_t({letter}_{m}), {letter}_{m}), _I)")
        member = (lambda m, letter=letter, role=role: f"_Diag({letter}_{m})" if role == "Diagonal" else f"{letter}_{m}")
        bind.append(f"{letter} = {{{', '.join(f'{m}: {member(m)}' for m in members)}}}")
    params.append(f"g: Matrix(Real, {size}, 1)")
    at = ", ".join([f"the size n = {size}", *(f"{k} = {v}" for k, v in index.items()), f"{last} = {top}"])
    diag = [letter for letter in sorted(writer.sequences) if roles[letter] == "Diagonal"]
    statement = (f"As printed at {where}{exercise}: {step.text} (at {at}, where the scan refuted it by the shapes of its "
                 f"sides; the material's statement is for every size{'; ' + ', '.join(diag) + '_k is Diag of its parameter' if diag else ''})")
    relation = f"_holds(lambda: ({left}, {right}), '==')"
    if premises:
        relation = f"implies({' & '.join(f'({p})' for p in premises)}, {relation})"
    lines = "".join(f"    {b}\n" for b in bind) + "".join(f"    {k} = {v}\n" for k, v in index.items())
    code = (HELPERS + _INSTANCE_HELPERS + "\n\n"
            f"@forall({claim_id!r}, {statement!r},\n        {cites},\n        erratum=Erratum(REASON, {claim_id + '_corrected'!r}))\n"
            f"def claim({', '.join(params)}):\n{lines}    {last} = {top}\n"
            f"    J = lambda k: {j_text}  # noqa: E731 - dh_(k+1)/dh_k, as in _jacobian below\n"
            f"    return {relation}\n")
    return code


def _premises(indices: list, last: sympy.Symbol) -> list:
    """i <= T for each index a gradient or product starts at, those another implies left out."""
    offsets: dict = {}
    for at in indices:
        e = sympy.expand(sympy.sympify(at) - last)
        base = e.as_coeff_Add()
        offsets.setdefault(base[1], set()).add(base[0])
    out = []
    for rest, consts in offsets.items():
        if rest == 0:
            continue
        c = max(consts)  # rest + c <= 0 implies rest + c' <= 0 for every c' <= c
        out.append(f"{_index(rest + c + last)} <= {_index(last)}")
    return sorted(out)


def render_recurrence(step, claim_id: str, snippet: str, exercise: str) -> str:
    """The module of a recurrence step: ∂l/∂h_t as backward(g, J, t, T) from g = ∂l/∂h_T and the Jacobian the
    forward equations give (∂h_{k+1}/∂h_k), for every size n and every t, T the step's premises allow (raises
    Unwritable for what the sized statements cannot write)."""
    from proofs.scan.draft_repairs import repair

    model = step.printed.model
    state = _state(step)
    shapes_only = bool((step.counterexample or {}).get("shapes_only"))
    k = sympy.Symbol("k", integer=True)
    jacobian = _Jacobian(model, state, k).of(Node("name", (), (state, k + 1)))
    if jacobian is None:
        raise Unwritable(f"a recurrence whose {state}_(k+1) does not depend on {state}_k")
    last = sympy.Symbol("T", integer=True)
    roles = {}
    for letter in {n.data[0] for side in (*step.exprs, jacobian) for n in _walk(side) if n.kind == "name"}:
        defined = [b for _, b in model.equations.get(letter, ())]
        if defined and all(b.kind == "Diag" for b in defined):
            roles[letter] = "Diagonal"
        elif "orthogonal" in model.conditions.get(letter, set()):
            roles[letter] = "Orthogonal"
        elif letter[:1].isupper():
            roles[letter] = "SquareMatrix"
    writer = _Sized(state, last, roles)
    j_text = writer.write(jacobian)
    fix = repair(step) if step.status == "refuted" else None
    if shapes_only:
        if fix is None:
            raise Unwritable("a correction of this recurrence step (its sides' shapes do not fit, and no transpose or "
                             "product order of the printed right side fits them)")
        return _shapes_erratum(step, state, jacobian, roles, last, writer, j_text, fix, claim_id, snippet, exercise)
    left, right = (writer.write(x) for x in step.exprs)
    fixed = None
    if fix is not None:  # the corrected step in the layout it holds in: its sides' shapes fit in one of them
        fixed = [(w.write(fix.left), w.write(fix.right), w.layout) for w in
                 (_Sized(state, last, roles, layout) for layout in ("column", "row"))]
    if step.status == "refuted" and fix is None:
        raise Unwritable("a correction of this recurrence step (no transpose, sign or product order of the printed step "
                         "holds: a term or factor is missing, which only the author can say)")
    indices = sorted({str(s) for side in step.exprs for n in _walk(side) if n.kind == "name" and n.data[1] is not None
                      for s in sympy.sympify(n.data[1]).free_symbols} - {"k"}) + ["T"]
    indices = list(dict.fromkeys(i for i in indices if i != str(k)))
    premise = " and ".join(_premises(writer.lowest, last))
    given = ", ".join(_premises(writer.lowest, last))
    params = ", ".join([f"{i}: Nat" for i in indices] + [f"{letter}: MatrixSequence({roles[letter]})" for letter in
                                                          sorted(writer.sequences)] + ["g: ColumnVector"])
    where = f"{step.file}:{step.line}"
    cites = f"cites=({step.file!r}, {snippet!r})"

    def body(lhs: str, rhs: str) -> str:
        relation = f"{lhs} == {rhs}"
        return f"given({given}, {relation})" if given else relation

    shown = {"eq": "="}.get(step.relation, step.relation)
    if step.relation != "=":
        raise Unwritable(f"a recurrence step with {shown}")
    head = (f'"""Drafted by `proofs scan` from {where}{exercise}; review it, then keep it with the course\'s claims."""'
            "\n\nfrom fractions import Fraction  # noqa: F401\n\n"
            "from proofs import (ColumnVector, Correction, Diagonal, MatrixSequence, Nat, Orthogonal, SquareMatrix,  # noqa: F401\n"
            "                    backward, forall, given, identity_matrix, mprod)\n\n"
            f"# g is dl/d{state}_T (the loss depends on the last state {state}_T; its gradient there is any vector), and\n"
            f"# dl/d{state}_t = backward(g, J, t, T) by the chain rule through the forward equations, whose Jacobian\n"
            f"# d{state}_(k+1)/d{state}_k is J(k) below. The derivative values of the material's function are free, so each\n"
            "# Diag(...) of them is any diagonal matrix; every state has the one size n the statement is for.\n\n\n"
            f"def _jacobian({', '.join(sorted(writer.sequences & _letters(jacobian)))}):\n"
            f"    return lambda k: {j_text}\n\n\n")
    jac_args = ", ".join(sorted(writer.sequences & _letters(jacobian)))
    bind = f"J = _jacobian({jac_args})\n    "
    if step.status != "refuted":
        statement = (f"As printed at {where}{exercise}: {step.text} (for every size n and every {', '.join(indices)}"
                     f"{' with ' + premise if premise else ''}; the scan checked it: {step.reason[:300]})")
        return (head + f"@forall({claim_id!r}, {statement!r},\n        {cites})\n"
                f"def claim({params}):\n    {bind}return {body(left, right)}\n\n\nCLAIMS = (claim,)\n")
    statement = (f"As printed at {where}{exercise}: {step.text} (for every size n and every {', '.join(indices)}"
                 f"{' with ' + premise if premise else ''}; the scan refuted it)")
    reason = f"The printed step fails: {step.reason[:600]}"
    for c_left, c_right, layout in fixed:
        module = (head + f"REASON = {reason!r}\n\n\n"
                  f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
                  f"        erratum=Correction(REASON, {fix.text!r}, {{'fix': 1}}))\n"
                  f"def claim({params}, fix=0):\n"
                  f"    # fix = 0 is the step as printed; fix = 1 is it corrected ({fix.what}), which the scan checked"
                  + ("" if layout == "column" else "\n    # (in the numerator layout: a gradient is a row, the transpose of the "
                     "column backward gives)") + "\n"
                  f"    {bind}if fix == 0:\n        return {body(left, right)}\n"
                  f"    return {body(c_left, c_right)}\n\n\n"
                  "CLAIMS = (claim, *claim.companions)\n")
        if _loads(module):
            return module
    raise Unwritable("the corrected step in either layout (its sides' shapes do not fit)")


def _shapes_erratum(step, state, jacobian, roles, last, writer, j_text, fix, claim_id, snippet, exercise) -> str:
    """A step whose sides' shapes differ (a transposed gradient): the printed step at the scan's instance over Matrix
    parameters, refuted by its shapes, and beside it the correction as a sized statement for every size and every
    t, T (in the layout where its shapes fit)."""
    where = f"{step.file}:{step.line}"
    cites = f"cites=({step.file!r}, {snippet!r})"
    reason = f"The printed step fails: {step.reason[:600]}"
    printed = _erratum_at_instance(step, state, jacobian, roles, last, claim_id, cites, where, exercise)
    for layout in ("column", "row"):
        w = _Sized(state, last, roles, layout)
        w.sequences = set(writer.sequences)
        c_left, c_right = w.write(fix.left), w.write(fix.right)
        w.sequences |= _letters(jacobian) & set(roles)
        given = ", ".join(_premises(w.lowest, last))
        premise = " and ".join(_premises(w.lowest, last))
        indices = list(dict.fromkeys(sorted({str(s) for side in (fix.left, fix.right) for n in _walk(side)
                                             if n.kind == "name" and n.data[1] is not None
                                             for s in sympy.sympify(n.data[1]).free_symbols} - {"k"}) + [str(last)]))
        params = ", ".join([f"{i}: Nat" for i in indices] + [f"{letter}: MatrixSequence({roles[letter]})"
                                                             for letter in sorted(w.sequences)] + ["g: ColumnVector"])
        relation = f"{c_left} == {c_right}"
        statement = (f"Corrected ({fix.what}): {fix.text} (for every size n and every {', '.join(indices)}"
                     f"{' with ' + premise if premise else ''}; the scan checked it)")
        jac_args = ", ".join(sorted(w.sequences & _letters(jacobian)))
        module = (f'"""Drafted by `proofs scan` from {where}{exercise}; review it, then keep it with the course\'s '
                  'claims."""\n\nfrom fractions import Fraction  # noqa: F401\n\n'
                  "from proofs import (ColumnVector, Diagonal, Erratum, Matrix, MatrixSequence, Nat, Orthogonal, Real,  # noqa: F401\n"
                  "                    SquareMatrix, backward, const, forall, given, identity_matrix, implies, matmul, mprod)\n\n"
                  f"# The printed step's sides have different shapes, so it is written at the instance the scan refuted it\n"
                  f"# at, over matrices of that size (the statement is false there by the shapes of its sides); its\n"
                  f"# correction is a sized statement for every size n and every index: g is dl/d{state}_T, and\n"
                  f"# dl/d{state}_t = backward(g, J, t, T) through the Jacobian J(k) = d{state}_(k+1)/d{state}_k below.\n"
                  + ("# (the correction in the numerator layout: a gradient is a row, the transpose of the column backward gives)\n"
                     if layout == "row" else "") +
                  f"\nREASON = {reason!r}\n"
                  + printed +
                  f"\n\ndef _jacobian({jac_args}):\n    return lambda k: {j_text}\n\n\n"
                  f"@forall({claim_id + '_corrected'!r}, {statement!r},\n        {cites})\n"
                  f"def corrected({params}):\n    J = _jacobian({jac_args})\n"
                  f"    return {f'given({given}, {relation})' if given else relation}\n\n\n"
                  "CLAIMS = (claim, corrected)\n")
        if _loads(module):
            return module
    raise Unwritable("the corrected step in either layout (its sides' shapes do not fit)")


def _loads(module: str) -> bool:
    """Whether the drafted module's claims can be built (the sized terms check their shapes when built)."""
    try:
        exec(compile(module, "<draft>", "exec"), {"__name__": "_draft"})  # noqa: S102 - the module just written
    except Exception:  # noqa: BLE001 - a side whose shapes do not fit: this layout is not the one
        return False
    return True


def _letters(n: Node) -> set:
    return {x.data[0] for x in _walk(n) if x.kind == "name"}
