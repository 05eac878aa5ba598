"""Generated parts of course material for the ways prose attaches to a step: a function defined piece by piece in
words, a condition joined by a comma (before the claim or after it), a note after a step (\\tag, \\text{(...)},
(\\star), a % comment), entries of a declared vector or matrix, and a value a paragraph gives before a later step.

Every truth is computed here by the plain evaluator of tests/scan_oracle.py (fractions; the condition or value the
words state applied by this module), never by the scan. Each part returns (text, [Expected]) as the parts of
scan_oracle do; `PARTS` lists them, and scan_oracle.generate(..., written=True) draws them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Optional

from scan_oracle import (Expected, Source, _Undefined, _apart, _close, _FAMILIES, _holds, _names, _number, _slip, _term,
                         _witness, ev, num, tex, var)

__all__ = ["PARTS"]

_RELATIONS = {">": lambda a, b: a > b, "\\ge": lambda a, b: a >= b, "<": lambda a, b: a < b, "\\le": lambda a, b: a <= b,
              "=": lambda a, b: a == b, "\\neq": lambda a, b: a != b}
_COMPLEMENT = {">": "\\le", "\\ge": "<", "<": "\\ge", "\\le": ">"}


def _poly(src: Source, name: str, square: bool = True) -> tuple:
    """c2 v^2 + c1 v + c0 in the name v, with the terms that are 0 left out (never a bare number alone)."""
    v = var(name)
    c2 = src.choice([0, 1, -1, 2]) if square else 0
    c1 = src.choice([1, 2, -1, 3, -2])
    c0 = src.integer(-3, 3)
    out = None
    for term, k in ((("pow", v, 2), c2), (v, c1)):
        if not k:
            continue
        t = term if k == 1 else ("mul", num(k), term) if k > 0 else ("neg", term) if k == -1 else ("mul", num(k), term)
        if out is None:
            out = t
        elif k > 0:
            out = ("add", out, t)
        else:
            out = ("sub", out, term if k == -1 else ("mul", num(-k), term))
    if c0 > 0:
        out = ("add", out, num(c0))
    elif c0 < 0:
        out = ("sub", out, num(-c0))
    return out


def _argument(z: Fraction) -> str:
    return str(z.numerator) if z.denominator == 1 else _number(z)


def _pieces_part(src: Source, slips: bool) -> tuple[str, list]:
    """A function defined piece by piece in one sentence of prose ("$f(x) = x^2$ for $x > 1$, and $f(x) = 2x$
    otherwise"; two or three pieces, a piece for each side of a point, or 1/x off 0 and a number at 0), and its
    values at points on each piece and at each boundary (a slip changes one by 1)."""
    letter, v = src.choice(["f", "g", "h", "q"]), src.choice(["x", "z", "t"])
    c = Fraction(src.integer(-2, 2))
    shape = src.choice(["otherwise", "complement", "three", "reciprocal", "bare", "one", "again"])
    if shape == "one":  # one piece with a condition: the function is defined there only
        rows = [(_poly(src, v), (src.choice(list(_COMPLEMENT)), c))]
    elif shape == "reciprocal":
        k = src.choice([1, 2, -1, 3])
        rows = [(("div", num(k), var(v)), ("\\neq", Fraction(0))), (num(src.integer(-2, 2)), ("=", Fraction(0)))]
    elif shape == "three":
        rows = [(_poly(src, v), ("<", c)), (num(src.integer(-3, 3)), ("=", c)), (_poly(src, v, False), (">", c))]
    else:
        relation = src.choice(list(_COMPLEMENT))
        rows = [(_poly(src, v), (relation, c)),
                (_poly(src, v, False), (_COMPLEMENT[relation], c) if shape == "complement" else None)]
    intro = src.choice(["Let", "We define", "Define", "Consider"])
    otherwise = src.choice(["otherwise", "elsewhere"])
    shown, steps, before = [], [], ""
    first = None
    if shape == "again":  # the function defined before by a formula: the pieces are a second formula for it
        first = _poly(src, v)
        before = f"Let ${letter}({v}) = {tex(first)}$. "
        steps.append(Expected(f"{letter}({v})", tex(first), "definition"))
        intro = src.choice(["Then", "So", "Note that"])
    for at, (value, condition) in enumerate(rows):
        if shape == "bare" and at > 0:  # "$f(x) = x$ if $x > 0$ and $0$ otherwise": a later value alone
            text = f"${tex(value)}$"
        else:
            text = f"${letter}({v}) = {tex(value)}$"
            truth = "definition"
            if shape == "again":  # a claim about the function or a new definition: passed only if true of it
                grid = [Fraction(k, 2) for k in range(-8, 9)]
                agree = all(ev(value, {v: z}) == ev(first, {v: z}) for z in grid
                            if condition is None or _RELATIONS[condition[0]](z, condition[1]))
                truth = "true" if agree else "unhonoured"
            steps.append(Expected(f"{letter}({v})", tex(value), truth, None, "pieces-again" if shape == "again" else ""))
        if condition is None:
            text += f" {otherwise}"
        else:
            text += f" for ${v} {condition[0]} {_argument(condition[1])}$"
            steps.append(Expected(v, _argument(condition[1]), "condition"))
        shown.append(text)
    joined = " and " if shape == "bare" else ", and "
    sentence = before + f"{intro} " + (", ".join(shown[:-1]) + joined + shown[-1] if len(shown) > 2 else
                                       shown[0] + joined + shown[1] if len(shown) == 2 else shown[0]) + "."

    def value_at(z: Fraction) -> Optional[Fraction]:
        for value, condition in rows:  # the first row whose condition holds; the row without one is everything else
            if condition is None or _RELATIONS[condition[0]](z, condition[1]):
                return ev(value, {v: z})
        return None  # off every piece: not defined there

    bound = rows[0][1][1]
    points = [bound + d for d in (Fraction(-3, 2), -1, 0, 1, 2)]
    claims = []
    for z in [p for p in points if src.integer(0, 2)][:4] or points[1:3]:
        value, truth, witness = value_at(z), "true", None
        if value is None:  # a value where no piece is given: undefined, never decided either way
            value, truth = ev(rows[0][0], {v: z}), "unhonoured"
        elif slips and src.integer(0, 2) == 0:
            value, truth, witness = value + src.choice([1, -1]), "slip", {v: z}
        if first is not None and truth != "unhonoured":  # true of one reading and perhaps not of the other
            truth = "true" if value == value_at(z) == ev(first, {v: z}) else "unhonoured"
            witness = None
        claims.append(f"${letter}({_argument(z)}) = {_number(value)}$")
        steps.append(Expected(f"{letter}({_argument(z)})", _number(value), truth, witness, f"pieces-{shape}"))
    then = src.choice(["Then", "So", "Hence"])
    sentence += f" {then} " + ", ".join(claims[:-1]) + (" and " if len(claims) > 1 else "") + claims[-1] + "."
    return sentence, steps


# Claims about a name that hold where it is positive (or negative, or in [0, 1]) and fail elsewhere; slips that fail
# there too. (left, right, relation).
def _claims(a: str, b: str, sign: str):
    A, B = var(a), var(b)
    if sign == "positive":
        good = [(("sqrt", ("pow", A, 2)), A, "="), (("mul", ("abs", A), B), ("mul", A, B), "="),
                (("div", ("abs", A), A), num(1), "="), (("add", A, ("abs", A)), ("mul", num(2), A), "=")]
        bad = [(("sqrt", ("pow", A, 2)), ("neg", A), "="), (("div", ("abs", A), A), num(-1), "="),
               (("add", A, ("abs", A)), num(0), "=")]
    elif sign == "negative":
        good = [(("sqrt", ("pow", A, 2)), ("neg", A), "="), (("add", A, ("abs", A)), num(0), "="),
                (("mul", ("abs", A), B), ("mul", ("neg", A), B), "=")]
        bad = [(("sqrt", ("pow", A, 2)), A, "="), (("add", A, ("abs", A)), ("mul", num(2), A), "=")]
    else:  # in [0, 1]
        good = [(("pow", A, 2), A, "\\le"), (("mul", A, ("sub", num(1), A)), ("div", num(1), num(4)), "\\le"),
                (("mul", A, ("sub", num(1), A)), num(0), "\\ge"), (("pow", A, 3), ("pow", A, 2), "\\le")]
        bad = [(("pow", A, 2), A, "\\ge"), (("mul", A, ("sub", num(1), A)), ("div", num(1), num(5)), "\\le")]
    return good, bad


_CONDITIONS = {"positive": [(">", "0")], "negative": [("<", "0")], "unit": [("\\ge", "0"), ("\\le", "1")]}
_ON = {"positive": lambda x: x > 0, "negative": lambda x: x < 0, "unit": lambda x: 0 <= x <= 1}


def _comma_part(src: Source, slips: bool) -> tuple[str, list]:
    """A condition joined to its claim by a comma: before it ("For $a > 0$, $\\sqrt{a^2} = a$."), or after it in
    its own formula ("$\\sqrt{a^2} = a$, $a > 0$.") or in the claim's display ("$$\\sqrt{a^2} = a, \\quad a > 0$$");
    the claim holds under the condition and fails without it, or is a slip that fails under it too."""
    a, b = _names(src, 2)
    sign = src.choice(sorted(_CONDITIONS))
    good, bad = _claims(a, b, sign)
    left, right, relation = src.choice(good)
    truth = "true"
    if slips and src.integer(0, 1):
        (left, right, relation), truth = src.choice(bad), "slip"
    compare = {"=": _close, "\\le": lambda x, y: x <= y + 1e-12, "\\ge": lambda x, y: x >= y - 1e-12}[relation]
    witness = None
    for value in [Fraction(k, 4) for k in range(-12, 13)] + [Fraction(3), Fraction(5, 2)]:
        point = {a: value, b: Fraction(3)}
        try:
            ok = compare(ev(left, point), ev(right, point))
        except _Undefined:
            continue
        if _ON[sign](value) and not ok:
            if truth == "true":
                raise AssertionError(f"the generator built a false claim under its condition: {tex(left)} {relation} {tex(right)}")
            witness = witness or point
    if truth == "slip" and witness is None:
        truth = "true"
    bounds = _CONDITIONS[sign]
    claim = f"{tex(left)} {relation} {tex(right)}"
    how = src.choice(["before", "before", "after", "display"] if sign != "unit" else ["before", "interval", "after"])
    conds = [Expected(a, n, "condition") for _, n in bounds]
    if how == "before":
        text = "For " + " and ".join(f"${a} {r} {n}$" for r, n in bounds) + f", ${claim}$."
        steps = conds + [Expected(tex(left), tex(right), truth, witness, f"comma-{how}")]
    elif how == "interval":
        text = f"For ${a} \\in [0, 1]$, ${claim}$."
        steps = [Expected(a, "[0, 1]", "condition"), Expected(tex(left), tex(right), truth, witness, f"comma-{how}")]
    elif how == "after":
        text = f"{src.choice(['We have', 'Then', 'Note that'])} ${claim}$, " + ", ".join(f"${a} {r} {n}$" for r, n in bounds) + "."
        steps = [Expected(tex(left), tex(right), truth, witness, f"comma-{how}")] + conds
    else:
        spacing = src.choice(["\\quad", "\\qquad", "\\;", ""])
        text = f"{src.choice(['We have', 'Then'])} $${claim}, {spacing} " + ", ".join(f"{a} {r} {n}" for r, n in bounds) + "$$"
        steps = [Expected(tex(left), tex(right), truth, witness, f"comma-{how}")] + conds
    return text, steps


_NOTES = ["\\tag{{{k}}}", "\\quad\\text{{(chain rule)}}", "\\qquad (\\star)", "\\quad (*)", "\\label{{eq:{k}}}",
          "\\nonumber", "\\qquad \\text{{by ({k})}}", "\\quad (\\text{{by the definition}})", "\\tag*{{({k})}}",
          "\\qquad ({k})", "% {word}", "\\qquad \\blacksquare", "\\quad \\checkmark", "\\hfill ({k})", "\\eqno({k})",
          "\\quad [\\text{{{word}}}]", "\\qquad \\text{{({k})}}"]


def _notes_part(src: Source, slips: bool) -> tuple[str, list]:
    """A step of one family with a note after it ("\\tag{3}", "\\quad\\text{(chain rule)}", "\\qquad (\\star)", a
    % comment to the end of its line), in a display of its own or a row of an aligned chain: the note is no part of
    the step, whose truth is its family's (a slip planted in its last side)."""
    name, family = src.choice(_FAMILIES[:4])
    sides = list(family(src))[:2]
    if not _holds(sides[0], sides[1]):
        raise AssertionError(f"the generator built a false identity: {tex(sides[0])} = {tex(sides[1])}")
    truth, witness = "true", None
    if slips and src.integer(0, 1):
        planted = _slip(src, sides[1])
        witness = _witness(sides[0], planted)
        if witness is not None:
            sides[1], truth = planted, "slip"
    note = src.choice(_NOTES).format(k=src.integer(1, 12), word=src.choice(["expand", "by (2)", "see above"]))
    left, right = tex(sides[0]), tex(sides[1])
    how = src.choice(["display", "aligned", "equation"])
    if how == "display":
        text = f"$${left} = {right} {note}\n$$"
    elif how == "equation":
        text = f"\\begin{{equation}}\n{left} = {right} {note}\n\\end{{equation}}"
    else:
        again = src.choice(_NOTES).format(k=src.integer(1, 12), word="again")
        text = f"$$\\begin{{aligned}}\n{left} &= {right} {note} \\\\\n&= {right} {again}\n\\end{{aligned}}$$"
    steps = [Expected(left, right, truth, witness, f"notes-{name}")]
    if how == "aligned":
        steps.append(Expected(right, right, "true", None, f"notes-{name}"))
    return f"{src.choice(['We have', 'Expanding,', 'So'])}\n\n{text}", steps


_ENTRIES = [["x_1", "x_2", "x_3"], ["x_i", "x_j"], ["x_i", "x_{i+1}"], ["W_{ij}", "W_{ji}"], ["W_{11}", "W_{12}", "W_{21}"],
            ["w_1", "w_2"]]
_DECLARED = {"x": ["Let $x \\in \\mathbb{{R}}^{n}$.", "Let $x$ be a vector.", "Let $x$ be a column vector in $\\mathbb{{R}}^{n}$.",
                   "Suppose $x \\in \\mathbb{{R}}^{{{n}}}$."],
             "W": ["Let $W \\in \\mathbb{{R}}^{{{n} \\times {n}}}$.", "Let $W$ be a matrix.", "Let $W$ be an $n \\times n$ matrix."],
             "w": ["Let $w \\in \\mathbb{{R}}^{{{n}}}$ be the weights.", "Let $w$ be a vector of weights."]}


def _entries_part(src: Source, slips: bool) -> tuple[str, list]:
    """A vector or matrix the words declare, then scalar steps about its entries (x_1, x_i, x_{i+1}, W_{ij}, W_{12})
    of the expansion family: each entry a real number, the truth the family's (a slip planted)."""
    entries = src.choice(_ENTRIES)
    letter = entries[0][0]
    words = src.choice(_DECLARED[letter]).format(n=src.choice(["n", "3", "d"]))
    steps, shown = [], []
    for _ in range(src.integer(1, 2)):
        sides = _expand_in(src, entries)
        if not _holds(sides[0], sides[1]):
            raise AssertionError(f"the generator built a false identity: {tex(sides[0])} = {tex(sides[1])}")
        truth, witness = "true", None
        if slips and src.integer(0, 1):
            planted = _slip(src, sides[1])
            witness = _witness(sides[0], planted)
            if witness is not None:
                sides[1], truth = planted, "slip"
        steps.append(Expected(tex(sides[0]), tex(sides[1]), truth, witness, f"entries-{letter}"))
        shown.append(f"${tex(sides[0])} = {tex(sides[1])}$")
    declared = [Expected(letter, words[words.index("\\mathbb"):words.rindex("$")], "definition")] if "\\in" in words else []
    return f"{words} Then " + " and ".join(shown) + ".", declared + steps


def _expand_in(src: Source, names: list) -> list:
    """Two sides equal by expansion (scan_oracle._expand's shapes) in the given names."""
    u, v, w = _term(src, names, 1), _term(src, names, 0), _term(src, names, 0)
    shape = src.choice(["square", "difference", "product", "distribute"])
    if shape == "square":
        return [("pow", ("add", u, v), 2), ("add", ("add", ("pow", u, 2), ("mul", num(2), ("mul", u, v))), ("pow", v, 2))]
    if shape == "difference":
        return [("mul", ("add", u, v), ("sub", u, v)), ("sub", ("pow", u, 2), ("pow", v, 2))]
    p = var(src.choice(names))
    if shape == "product":
        return [("mul", p, ("sub", num(1), p)), ("sub", p, ("pow", p, 2))]
    return [("mul", p, ("add", v, w)), ("add", ("mul", p, v), ("mul", p, w))]


_VALUED = ["\\eta", "\\kappa", "\\tau", "\\lambda"]


def _linear(a: Fraction, b: Fraction, w: str) -> tuple:
    """a w + b as printed: integer coefficients over one denominator (\\frac{w + 3}{2})."""
    d = a.denominator * b.denominator // __import__("math").gcd(a.denominator, b.denominator)
    p, q = a * d, b * d
    W = var(w)
    out = W if p == 1 else ("neg", W) if p == -1 else ("mul", num(p), W) if p else None
    if out is None:
        out = num(q)
    elif q > 0:
        out = ("add", out, num(q))
    elif q < 0:
        out = ("sub", out, num(-q))
    return ("div", out, num(d)) if d > 1 else out


def _earlier_part(src: Source, slips: bool) -> tuple[str, list]:
    """A value a sentence of its own gives a name ("Let $\\eta = 0.5$."), then, a paragraph later, a step in that name
    and another: true in general (passes), true only with the value (needs review naming the value: never refuted,
    never passed), or false with the value too (a slip). Across a lettered item or a section the value is not the
    step's: a step true only with it is then false as written (a slip: refuted across a section, marked for review
    across a lettered item, where a number an earlier part gives may be the one the step means)."""
    eta, w = src.choice(_VALUED), src.choice(["w", "u", "v"])
    value = src.choice([Fraction(1, 2), Fraction(2), Fraction(1, 4), Fraction(3), Fraction(-1), Fraction(1, 3)])
    E, W = var(eta), var(w)
    c = Fraction(src.integer(1, 4))
    left = ("sub", W, ("mul", E, ("sub", W, num(c))))  # w - eta (w - c): at eta = value, (1 - value) w + value c
    shape = src.choice(["valued", "valued", "general", "slip"])
    if shape == "general":
        right = ("add", ("mul", ("sub", num(1), E), W), ("mul", E, num(c)))
    else:
        right = _linear(1 - value, value * c + (src.choice([1, -1, 2]) if shape == "slip" else 0), w)
    where = src.choice(["same", "same", "item", "section"])
    given = f"{src.choice(['Let', 'Take', 'We use'])} ${eta} = {_number(value)}$."

    def differs(point) -> bool:
        try:
            return _apart(ev(left, point), ev(right, point))
        except _Undefined:
            return False
    grid = [Fraction(k, 2) for k in range(-6, 7)]
    with_value = next(({eta: value, w: x} for x in grid if differs({eta: value, w: x})), None)
    anywhere = next(({eta: e, w: x} for e in grid for x in grid if differs({eta: e, w: x})), None)
    if anywhere is None:
        truth, witness = "true", None
    elif with_value is None and where == "same":
        truth, witness = "valued", None
    else:
        truth, witness = "slip", with_value or anywhere
    step = f"{src.choice(['So', 'The update is', 'Hence'])} ${tex(left)} = {tex(right)}$."
    if where == "same":
        between = src.choice(["We take one step of gradient descent.\n\n", "Consider one update.\n\n", ""])
        text = f"{given}\n\n{between}{step}"
    elif where == "item":
        text = f"{given}\n\n(z) {step}"
    else:
        text = f"{given}\n\n## Another part\n\n{step}"
    steps = [Expected(eta, _number(value), "definition"),
             Expected(tex(left), tex(right), truth, witness, f"earlier-{where}")]
    if truth == "valued":
        steps[-1].named = f"= {value}"
    return text, steps


PARTS = [_pieces_part, _comma_part, _notes_part, _entries_part, _earlier_part]
