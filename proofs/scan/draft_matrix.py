"""Claims drafted from matrix steps: the sides as printed, over Matrix domains at the sizes of the step's instance."""

from __future__ import annotations

from typing import Optional

from proofs.scan.matrices import Node, names_of

__all__ = ["render_matrix"]

# Sizes a step is drafted at when its counterexample names none.
_SIZE = 2
_PYTHON = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class _Unsupported(Exception):
    """A part of the step the statement form cannot write (a gradient, an operator norm, a function left arbitrary)."""


def _identifier(letter: str, index) -> str:
    return letter if index is None else f"{letter}_{index}"


class _Writer:
    def __init__(self, indices: dict) -> None:
        self.indices = indices

    def name(self, letter: str, index) -> str:
        if index is None:
            return letter
        import sympy
        v = index.xreplace({s: sympy.Integer(self.indices[s.name]) for s in index.free_symbols if s.name in self.indices})
        if not v.is_Integer:
            raise _Unsupported(f"the index {index}")
        return f"{letter}_{int(v)}"

    def write(self, n: Node) -> str:
        k, a = n.kind, n.args
        if k == "num":
            return f"Fraction({n.data.numerator}, {n.data.denominator})" if n.data.denominator != 1 else str(n.data.numerator)
        if k == "name":
            return self.name(*n.data)
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
        if k == "tr":
            return f"_tr({self.write(a[0])})"
        if k == "Diag":
            return f"_diag({self.write(a[0])})"
        if k == "div":
            return f"_scale(1 / ({self.write(a[1])}), {self.write(a[0])})"
        if k == "norm":
            return f"_norm({self.write(a[0])}, {n.data!r})"
        if k == "pow" and a[0].kind == "norm":
            return f"_sq({self.write(a[0].args[0])}, {a[0].data!r})"
        if k in ("prod", "sum"):
            var, lo, hi = n.data
            if hi is None:
                raise _Unsupported("a sum over the entries of a vector")
            import sympy
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
        raise _Unsupported({"grad": "a gradient", "apply": "a function the material leaves arbitrary", "inv": "an inverse",
                            "dapply": "a derivative of a function", "I": "the identity"}.get(k, k))


_HELPERS = '''

def _is_m(x):
    return isinstance(x, list)


def _t(m):
    return [list(c) for c in zip(*m)] if _is_m(m) else m


def _scale(s, m):
    return [[s * v for v in row] for row in m] if _is_m(m) else s * m


def _add(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = [[p + q for p, q in zip(r, s)] for r, s in zip(out, x)] if _is_m(out) else out + x
    return out


def _mul(*xs):
    out = xs[0]
    for x in xs[1:]:
        if _is_m(out) and _is_m(x):
            out = matmul(out, x)
        elif _is_m(out) or _is_m(x):
            out = _scale(x, out) if _is_m(out) else _scale(out, x)
        else:
            out = out * x
    return out


def _had(a, b):
    return [[p * q for p, q in zip(r, s)] for r, s in zip(a, b)]


def _tr(m):
    return sum(m[i][i] for i in range(1, len(m))) + m[0][0] if _is_m(m) else m


def _diag(v):
    return [[v[i][0] if i == j else 0 for j in range(len(v))] for i in range(len(v))]


def _sq(m, kind):
    return sum(v * v for row in m for v in row) if _is_m(m) else m * m


def _norm(m, kind):
    if _is_m(m) and kind != "F" and len(m) > 1 and len(m[0]) > 1:
        raise NotImplementedError("the operator 2-norm")
    return sqrt(_sq(m, kind))


def _relation(left, right, relation):
    if _is_m(left) or _is_m(right):
        pairs = [(p, q) for r, s in zip(left, right) for p, q in zip(r, s)]
        if relation == "==":
            out = pairs[0][0] == pairs[0][1]
            for p, q in pairs[1:]:
                out = out & (p == q)
            return out
        raise NotImplementedError("an inequality between matrices")
    return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right, ">": left > right,
            ">=": left >= right}[relation]
'''


def render_matrix(step, claim_id: str, snippet: str, exercise: str) -> str:
    """The module of one drafted matrix step: every input a Matrix at the instance's sizes (the counterexample's, or
    _SIZE), the sides written as printed; a step the statement form cannot write is left unfinished (todo)."""
    left, right = step.exprs
    example = step.counterexample or {}
    shapes = example.get("shapes", {})
    indices = dict(example.get("indices", {}))
    for s in {s.name for t in (left, right) for _, idx in names_of(t) if idx is not None for s in idx.free_symbols}:
        indices.setdefault(s, 1)
    where = f"{step.file}:{step.line}"
    sizes = ", ".join(f"{k} = {v}" for k, v in example.get("sizes", {}).items()) or f"every size {_SIZE}"
    at = ", ".join(f"{k} = {v}" for k, v in indices.items())
    statement = (f"As printed at {where}{exercise}: {step.text} (drafted at {sizes}{'; ' + at if at else ''}; the "
                 "material's statement is for every size)")
    cites = f"cites=({step.file!r}, {snippet!r})"
    writer = _Writer(dict(indices))
    header = (f'"""Drafted by `proofs scan` from {where}{exercise}; review it, then keep it with the course\'s claims."""'
              "\n\nfrom fractions import Fraction  # noqa: F401\n\n"
              "from proofs import Correction, Matrix, Real, forall, matmul, sqrt, todo  # noqa: F401\n")
    try:
        body_left, body_right = writer.write(left), writer.write(right)
        params = _params(left, right, shapes, writer)
    except _Unsupported as exc:
        return (header.replace("review it,", f"UNFINISHED: the statement form cannot write {exc}; finish it,") +
                f"\n# TODO: write the step by hand (it holds {exc}), then remove this line.\nREASON = todo({str(exc)!r})\n")
    relation = _PYTHON[step.relation]
    body = f"_relation({body_left}, {body_right}, {relation!r})"
    if step.status != "refuted":
        return (header + _HELPERS + f"\n\n@forall({claim_id!r}, {statement!r},\n        {cites})\n"
                f"def claim({params}):\n    return {body}\n\n\nCLAIMS = (claim,)\n")
    reason = f"The printed step fails: {step.reason[:600]}"
    return (header + _HELPERS + "\n\n# TODO: write the corrected step, then remove this line.\n"
            f"REASON = {reason!r}\n\n\n"
            f"@forall({claim_id!r}, {statement!r},\n        {cites},\n"
            f"        erratum=Correction(REASON, todo('the corrected step'), {{'fix': 1}}))\n"
            f"def claim({params}, fix=0):\n    return {body}\n\n\nCLAIMS = (claim, *claim.companions)\n")


def _params(left: Node, right: Node, shapes: dict, writer: _Writer) -> str:
    out: dict[str, str] = {}
    for letter, index in sorted(names_of(left) | names_of(right), key=str):
        name = writer.name(letter, index)
        shape: Optional[list] = shapes.get(name) or shapes.get(letter)
        if shape is None:
            shape = [_SIZE, _SIZE] if letter.isupper() else [0, 0]
        out[name] = "Real" if shape == [0, 0] else f"Matrix(Real, {shape[0]}, {shape[1]})"
    return ", ".join(f"{k}: {v}" for k, v in out.items())
