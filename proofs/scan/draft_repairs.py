"""Corrections of a refuted matrix step: small changes of its printed form, each kept only when the scan's own
decision checks it on every instance (the same sizes, draws and layouts as the printed step)."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction
from typing import Iterator, Optional

from proofs.scan.matrices import Node

__all__ = ["Fix", "repair", "candidates", "terms_added", "factors_added"]

# The most changes tried per step (each is decided on every instance, a gradient differentiated at each).
MAX_TRIES = 24
# The most missing terms tried after them (a name of the section added to the right side or to one of its names).
MAX_TERMS = 40
# The most missing factors tried after those (a derivative of the section's function, a name, a number, a norm).
MAX_FACTORS = 48
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_LATEX = {"=": "=", "!=": "\\neq", "<": "<", "<=": "\\leq", ">": ">", ">=": "\\geq"}


@dataclasses.dataclass(frozen=True)
class Fix:
    """Made by `repair`: a corrected form of a refuted step that the scan checked."""

    left: Node
    relation: str
    right: Node
    # what was changed, in words ("the right side transposed")
    what: str
    # the corrected step as text
    text: str


def repair(step, draft=None) -> Optional[Fix]:
    """The first candidate change of the step that the scan's decision checks, or None (see `candidates`)."""
    from proofs.scan.instances import decide
    from proofs.scan.normalise import Skip

    context = getattr(step, "printed", None)
    if context is None or getattr(context, "model", None) is None:
        return None
    left, right = step.exprs

    def collapsed(a: Node, b: Node) -> set:
        """The pairs of the model's sizes the scan's shapes of the step make equal."""
        from proofs.scan.draft_matrix import sizes_made_equal

        try:
            return sizes_made_equal(a, b, context.model, step.counterexample.get("layout", "column"))
        except Exception:  # noqa: BLE001
            return {("?", "?")}

    tried = itertools.chain(itertools.islice(candidates(left, step.relation, right, step.counterexample or {}), MAX_TRIES),
                            itertools.islice(terms_added(left, right, _vocabulary(step, context.model)), MAX_TERMS),
                            itertools.islice(factors_added(left, step.relation, right, context.model,
                                                           _vocabulary(step, context.model)), MAX_FACTORS))
    for new_right, relation, what, *changed in tried:
        new_left = changed[0] if changed else left
        try:
            verdict = decide(new_left, relation, new_right, context.model, step.text, context.lowest)
        except Skip:
            continue
        except Exception:  # noqa: BLE001 - a change the checker cannot decide is not a correction
            continue
        if verdict.status == "checked":
            if str(new_right) == str(new_left):
                continue  # the left side again: true, and says nothing
            if collapsed(new_left, new_right) - collapsed(left, right):
                continue  # checked only where sizes the printed step keeps apart are made equal: not a correction
            shown = step.left if new_left is left else latex(new_left)
            return Fix(new_left, relation, new_right, what, f"{shown} {_LATEX[relation]} {latex(new_right)}")
    return None


def candidates(left: Node, relation: str, right: Node, example: dict) -> Iterator[tuple]:
    """(right side, relation, what) for each small change, most likely first: for a counterexample of shapes the
    right side transposed, a product in the other order, a name transposed or not; for one of values also the sign,
    a factor the counterexample's sides differ by, and an inequality in place of = or turned round."""
    seen: set = set()

    def fresh(items):
        for r, rel, what, *changed in items:
            key = (str(r), rel, str(changed))
            if key not in seen and not (str(r) == str(right) and rel == relation and not changed):
                seen.add(key)
                yield (r, rel, what, *changed)

    transposed = pushed(Node("T", (right,)))
    shapes = bool(example.get("shapes_only"))
    changes: list = [(transposed, relation, "the right side transposed (the other layout)")]
    if not shapes:
        negated = right.args[0] if right.kind == "neg" else Node("neg", (right,))
        changes.insert(0, (negated, relation, "the sign of the right side"))
        factor = _factor(example)
        if factor is not None:
            changes.append((_times(factor, right), relation, f"the right side times {factor}"))
    if not shapes:
        changes += [(r, relation, "the sign of a term") for r in _terms_negated(right)]
    changes += [(r, relation, "the vector of the terms in place of their sum") for r in _unsummed(right)]
    changes += [(r, relation, "a product in the other order") for r in _reversed(right)]
    changes += [(r, relation, f"{what} transposed") for r, what in _leaves_transposed(right)]
    if not shapes:
        if relation == "=" and left.kind == "norm" and not any(n.kind == "norm" for _, n in _walk(right)):
            # a norm equal to a side with none (a quadratic form): a missing square root, before an inequality
            # (which the scan's instances may not refute: ‖M‖_F ≤ tr(MᵀM) holds at every instance of integers)
            changes.append(_squared_left(left, right, relation))
        if relation == "=":
            changes += [(right, "<=", "≤ in place of ="), (right, ">=", "≥ in place of =")]
        elif relation in _FLIPPED:
            changes.append((right, _FLIPPED[relation], "the inequality turned round"))
    yield from fresh(changes)


def _vocabulary(step, model) -> list:
    """The names a missing term may be made of: those of the step and of the section's forward equations, in the
    order they are first read (inputs before the names the equations define)."""
    seen: dict = {}
    defined = set(getattr(model, "equations", {}) or {})
    for tree in (*step.exprs, *(body for eqs in (getattr(model, "equations", {}) or {}).values() for p, body in eqs
                               if p is None)):
        for _, n in _walk(tree):
            if n.kind == "name" and n.data[1] is None:
                seen.setdefault(n.data, n)
            elif n.kind == "name" and n.data[0] in getattr(model, "kinds", {}) and n.data[0] not in defined and \
                    model.kinds[n.data[0]] == "vector":  # y of y_i in a sum: the declared vector is a name of the section
                seen.setdefault((n.data[0], None), Node("name", (), (n.data[0], None)))
    names = list(seen.values())
    return [n for n in names if n.data[0] not in defined] + [n for n in names if n.data[0] in defined]


def terms_added(left: Node, right: Node, names: list) -> Iterator[tuple]:
    """(right side, "=", what) with a term the printed right side lacks: a name of the section subtracted from or added
    to one of its names (ŷ for ŷ - y), then to the whole side, then twice such a name and a Greek scalar times one
    (2 λ w): the missing terms the checker then decides on every instance like any other change."""
    from proofs.scan.vocabulary import GREEK

    printed = {str(n) for _, n in _walk(right) if n.kind == "name"}
    scalars = [n for n in names if n.data[0] in GREEK and n.data[0] not in ("phi", "sigma")]
    others = [n for n in names if str(n) != str(left) and n not in scalars]
    seen: set = set()

    def fresh(items):
        for r, what in items:
            if str(r) not in seen and str(r) != str(right):
                seen.add(str(r))
                yield r, "=", what

    def plus(a: Node, b: Node, sign: int) -> Node:
        return Node("add", (a, b if sign > 0 else Node("neg", (b,))))

    def at_leaves():
        for path, n in _walk(right):
            if n.kind == "name" and str(n) in printed:
                for b in others:
                    if str(b) != str(n):
                        for sign in (-1, 1):
                            yield _rebuilt(right, path, plus(n, b, sign)), f"{latex(b)} {'subtracted from' if sign < 0 else 'added to'} {latex(n)}"

    def whole(factor=None):
        for b in others:
            term = b if factor is None else Node("mul", (factor, b))
            for sign in (1, -1):
                yield plus(right, term, sign), f"the term {'-' if sign < 0 else '+'}{latex(term)} added"

    yield from fresh(whole())
    for c in scalars:
        yield from fresh(whole(c))
        yield from fresh(whole(Node("mul", (Node("num", (), Fraction(2)), c))))
    yield from fresh(at_leaves())
    yield from fresh(whole(Node("num", (), Fraction(2))))


def _squared_left(left: Node, right: Node, relation: str) -> tuple:
    return right, relation, "the left side squared (a missing square root)", Node("pow", (left,), 2)


def _derivatives(model) -> list:
    """(factor, what) for each derivative the section's forward equations take (h = φ(z): φ'(z), and for the logistic
    function and tanh also as the material may write it through h: h ⊙ (1 - h), 1 - h, 1 - h ⊙ h)."""
    out: list = []
    one = Node("num", (), Fraction(1))
    for letter, eqs in (getattr(model, "equations", {}) or {}).items():
        for pattern, body in eqs:
            if pattern is not None or body.kind not in ("apply", "elem"):
                continue
            h = Node("name", (), (letter, None))
            if body.kind == "apply":
                out.append((Node("dapply", body.args, body.data), f"{body.data}'"))
            elif body.data == "sigma":
                out += [(Node("elem", body.args, "dsigma"), "sigma'"),
                        (Node("add", (one, Node("neg", (h,)))), f"1 - {latex(h)}"),
                        (Node("had", (h, Node("add", (one, Node("neg", (h,)))))), f"{latex(h)} (1 - {latex(h)})")]
            elif body.data == "tanh":
                out += [(Node("elem", body.args, "dtanh"), "tanh'"),
                        (Node("add", (one, Node("neg", (Node("had", (h, h)),)))), f"1 - {latex(h)}^2")]
    return out


def _diagonals(model, right: Node) -> list:
    """The names of the section defined as a Diag (D_{k+1} = Diag(φ'(z_{k+1}))), at each index the side reads."""
    indices = {n.data[1] for _, n in _walk(right) if n.kind == "name" and n.data[1] is not None}
    out = []
    for letter, eqs in (getattr(model, "equations", {}) or {}).items():
        if eqs and all(body.kind == "Diag" for _, body in eqs):
            if all(pattern is None for pattern, _ in eqs):
                out.append(Node("name", (), (letter, None)))
            else:
                out += [Node("name", (), (letter, at)) for at in sorted(indices, key=str)]
    return out


def _inserted(right: Node, factor: Node) -> Iterator[Node]:
    """The side with a matrix factor put in at each place of each product, or before a side that is no product."""
    if right.kind != "mul":
        yield Node("mul", (factor, right))
    for path, n in _walk(right):
        if n.kind == "mul":
            for i in range(len(n.args) + 1):
                yield _rebuilt(right, path, Node("mul", n.args[:i] + (factor,) + n.args[i:]))


def factors_added(left: Node, relation: str, right: Node, model, names: list) -> Iterator[tuple]:
    """(right side, relation, what[, left side]) with a factor the printed step lacks: the derivative of a function the
    section applies, entry by entry (φ'(z) ⊙) or as a diagonal matrix (Diag(φ'(z)), or the name the section gives it)
    at each place of the side; 2 or 1/2 times one term; 1 over a number of the section (1/N); the norm of a name the
    left side reads (‖M‖ ‖a‖); the square of a norm alone on the left (a missing square root). Each is decided by the
    checker on every instance like any other change."""
    seen: set = set()

    def fresh(items):
        for item in items:
            key = (str(item[0]), item[1], str(item[3]) if len(item) > 3 else "")
            if key not in seen and not (str(item[0]) == str(right) and item[1] == relation and len(item) == 3):
                seen.add(key)
                yield item

    def grad_factors():
        if not any(n.kind == "grad" for _, n in _walk(left)):
            return
        for factor, what in _derivatives(model):
            for path, n in _walk(right):
                if n.kind not in ("num", "T") and not (path and _at(right, path[:-1]).kind in ("T", "had")):
                    yield _rebuilt(right, path, Node("had", (factor, n))), relation, f"the factor {what} ⊙ missing"
            for r in _inserted(right, Node("Diag", (factor,))):
                yield r, relation, f"the factor Diag({what}) missing"
        for d in _diagonals(model, right):
            for r in _inserted(right, d):
                yield r, relation, f"the factor {latex(d)} missing"

    def numbers():
        for c in (Fraction(2), Fraction(1, 2)):
            for path, n in _walk(right):
                if n.kind == "add":
                    for i, term in enumerate(n.args):
                        inner = term.args[0] if term.kind == "neg" else term
                        scaled = _times(c, inner)
                        scaled = Node("neg", (scaled,)) if term.kind == "neg" else scaled
                        yield _rebuilt(right, path + (i,), scaled), relation, f"one term times {c}"
            yield _times(c, right), relation, f"the right side times {c}"
        for n in names:
            if n.data[0][:1].isupper() and len(n.data[0]) == 1 and n.data[0] not in ("I",):
                yield Node("div", (right, n)), relation, f"the right side over {latex(n)}"

    def norms():
        for letter, index in sorted({n.data for _, n in _walk(left) if n.kind == "name"} -
                                    {n.data for _, n in _walk(right) if n.kind == "name"}, key=str):
            norm = Node("norm", (Node("name", (), (letter, index)),), "2")
            yield Node("mul", (norm, right)), relation, f"the factor {latex(norm)} missing"

    def squared():
        if left.kind == "norm" and relation == "=":
            yield _squared_left(left, right, relation)

    yield from fresh(itertools.chain(grad_factors(), numbers(), norms(), squared()))


def pushed(n: Node) -> Node:
    """A transpose moved onto the names: (A B)^T = B^T A^T, (A + B)^T = A^T + B^T, (A^T)^T = A, c^T = c."""
    if n.kind != "T":
        return dataclasses.replace(n, args=tuple(pushed(a) for a in n.args))
    inner = n.args[0]
    if inner.kind == "T":
        return pushed(inner.args[0])
    if inner.kind == "mul":
        factors = [pushed(Node("T", (a,))) for a in reversed(inner.args)]
        return Node("mul", tuple([f for f in factors if f.kind == "num"] + [f for f in factors if f.kind != "num"]))
    if inner.kind in ("add", "neg", "had"):
        return dataclasses.replace(inner, args=tuple(pushed(Node("T", (a,))) for a in inner.args))
    if inner.kind == "num":
        return inner
    return Node("T", (pushed(inner),))


def _times(factor: Fraction, n: Node) -> Node:
    """factor times n, folded into a number n starts with (2 x times 1/2 is 1 x, shown as x)."""
    if n.kind == "mul" and n.args[0].kind == "num":
        value = factor * n.args[0].data
        rest = n.args[1:]
        if value == 1:
            return rest[0] if len(rest) == 1 else Node("mul", rest)
        return Node("mul", (Node("num", (), value),) + rest)
    return Node("mul", (Node("num", (), factor), n))


def latex(n: Node) -> str:
    """A side as LaTeX, the way a course prints it."""
    k, a = n.kind, n.args
    if k == "name":
        letter, index = n.data
        base = _letter(letter)
        return base if index is None else f"{base}_{{{index}}}"
    if k == "num":
        v = n.data
        return str(v.numerator) if v.denominator == 1 else f"\\frac{{{v.numerator}}}{{{v.denominator}}}"
    if k == "add":
        out = latex(a[0])
        for x in a[1:]:
            out += f" - {_factor_text(x.args[0])}" if x.kind == "neg" else f" + {_factor_text(x)}"
        return out
    if k == "neg":
        return f"-{_factor_text(a[0])}"
    if k == "mul":
        return " ".join(_factor_text(x) for x in a)
    if k == "had":
        return f"{_factor_text(a[0])} \\odot {_factor_text(a[1])}"
    if k == "div":
        return f"\\frac{{{latex(a[0])}}}{{{latex(a[1])}}}"
    if k in ("T", "inv"):
        inner = latex(a[0]) if a[0].kind in ("name", "grad") else f"\\left({latex(a[0])}\\right)"
        return inner + ("^T" if k == "T" else "^{-1}")
    if k == "pow":
        return f"{_factor_text(a[0])}^{n.data}"
    if k == "norm":
        return f"\\|{latex(a[0])}\\|" + ("_F" if n.data == "F" else "")
    if k == "abs":
        return f"|{latex(a[0])}|"
    if k in ("tr", "Diag", "diag", "softmax"):
        name = {"tr": "\\operatorname{tr}", "Diag": "\\mathrm{Diag}", "diag": "\\operatorname{diag}",
                "softmax": "\\mathrm{softmax}"}[k]
        return f"{name}({latex(a[0])})"
    if k in ("apply", "dapply", "elem"):
        return f"{_letter(n.data)}{chr(39) if k == 'dapply' else ''}({latex(a[0])})"
    if k == "I":
        return "I"
    if k == "entry":
        return f"{latex(a[0])}_{n.data}"
    if k in ("sum", "prod"):
        var, lo, hi = n.data
        bounds = f"_{{{var}}}" if hi is None else f"_{{{var}={lo}}}^{{{hi}}}"
        return f"\\{k}{bounds} {_factor_text(a[0])}"
    if k == "grad":
        return f"\\frac{{\\partial {latex(a[0])}}}{{\\partial {latex(a[1])}}}"
    return str(n)


def _letter(letter: str) -> str:
    from proofs.scan.vocabulary import GREEK

    if letter.startswith("hat_"):
        return f"\\hat{{{_letter(letter[4:])}}}"
    return f"\\{letter}" if letter in GREEK else letter


def _factor_text(n: Node) -> str:
    return f"\\left({latex(n)}\\right)" if n.kind in ("add", "neg", "had") else latex(n)


def _factor(example: dict) -> Optional[Fraction]:
    """The one ratio of the counterexample's sides, entry by entry (left / right), when it is a number other than 0, 1."""
    try:
        lefts, rights = _numbers(example.get("left", "")), _numbers(example.get("right", ""))
    except (ValueError, ZeroDivisionError):
        return None
    if not lefts or len(lefts) != len(rights):
        return None
    ratios = {a / b for a, b in zip(lefts, rights) if b != 0}
    if len(ratios) != 1 or any(b == 0 and a != 0 for a, b in zip(lefts, rights)):
        return None
    (ratio,) = ratios
    return ratio if ratio not in (0, 1) else None


def _numbers(text: str) -> list:
    flat = text.replace("[", " ").replace("]", " ").replace(",", " ").split()
    if any("≈" in x or "sqrt" in x for x in flat):
        raise ValueError(text)
    return [Fraction(x) for x in flat]


def _rebuilt(n: Node, path: tuple, new: Node) -> Node:
    if not path:
        return new
    args = list(n.args)
    args[path[0]] = _rebuilt(args[path[0]], path[1:], new)
    return dataclasses.replace(n, args=tuple(args))


def _walk(n: Node, path: tuple = ()):
    yield path, n
    for i, a in enumerate(n.args):
        yield from _walk(a, path + (i,))


def _reversed(right: Node) -> Iterator[Node]:
    """The right side with one product's factors in the other order (each transposed when the product is)."""
    for path, n in _walk(right):
        if n.kind == "mul" and len(n.args) > 1:
            yield _rebuilt(right, path, Node("mul", tuple(reversed(n.args))))


def _unsummed(right: Node) -> Iterator[Node]:
    """The right side with one sum over the entries of vectors (\\sum_i (\\hat{y}_i - y_i)) replaced by the vector of its
    terms (\\hat{y} - y): a gradient printed as the sum of its entries."""
    for path, n in _walk(right):
        if n.kind != "sum":
            continue
        var = n.data[0]
        names = [x for _, x in _walk(n.args[0]) if x.kind == "name" and x.data[1] is not None]
        entries = [x for _, x in _walk(n.args[0]) if x.kind == "entry"]
        if (names or entries) and all(str(x.data[1]) == str(var) for x in names) and \
                all(str(x.data) == str(var) and x.args[0].kind == "name" for x in entries):
            yield _rebuilt(right, path, _whole(n.args[0], var))


def _whole(n: Node, var) -> Node:
    if n.kind == "name" and str(n.data[1]) == str(var):
        return Node("name", (), (n.data[0], None))
    if n.kind == "entry" and str(n.data) == str(var):
        return n.args[0]
    return dataclasses.replace(n, args=tuple(_whole(a, var) for a in n.args))


def _leaves_transposed(right: Node) -> Iterator[tuple]:
    """The right side with one name transposed, or one transpose of a name dropped."""
    for path, n in _walk(right):
        if n.kind == "name" and not (path and _at(right, path[:-1]).kind == "T"):
            yield _rebuilt(right, path, Node("T", (n,))), str(n)
        elif n.kind == "T" and n.args[0].kind == "name":
            yield _rebuilt(right, path, n.args[0]), f"{n.args[0]} not"


def _terms_negated(right: Node) -> Iterator[Node]:
    for path, n in _walk(right):
        if n.kind == "add":
            for i, term in enumerate(n.args):
                flipped = term.args[0] if term.kind == "neg" else Node("neg", (term,))
                yield _rebuilt(right, path + (i,), flipped)


def _at(n: Node, path: tuple) -> Node:
    for i in path:
        n = n.args[i]
    return n
