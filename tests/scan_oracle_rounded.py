"""Generated course material of printed decimals beside exact values, in exercises with introductions and parts.

Each step prints a number (a fraction, a sum or product of printed decimals, a mixed number, a value an introduction or
a part gives a letter) beside a decimal of 1 to 4 places, with `=` or `\\approx`. What the decimal is for the value is
computed here with fractions alone (round half up and half even, cut off toward zero), never by the scan:

- "exact": the decimal is the value;
- "rounding": the value is no short decimal (1/3, 2/3) and rounds to the decimal printed, to two or more significant
  digits or all zeros: an approximation (skipped; never refuted, never proved);
- "edge": the value is a terminating decimal with more places than printed, within half a unit (the edge included):
  a rounding or a slip (skipped or needs review; never refuted, never proved);
- "short": a correct rounding to one significant digit, a rounding or a slip (skipped or needs review; never
  refuted, never proved);
- "slip": = with a decimal the value does not round to, or a result computed from the printed decimals that differs
  from them (refuted or needs review; never proved, checked or skipped as a rounding);
- "agrees" / "disagrees": `\\approx` with a decimal the value rounds or cuts off to, or not (skipped / needs review);
- "mixed": a whole number before a fraction of numbers, a mixed number or a product (never decided wrongly: the
  generator knows both readings; skipped, or decided as the reading under which the verdict holds).

Values a letter takes follow the scopes the material nests: an introduction's value holds in every part of its
exercise unless a part gives the letter its own; an exercise number closes the previous exercise's values.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Optional

from scan_oracle import RandomSource, Source

__all__ = ["Step", "Material", "generate", "judge", "Tally", "RandomSource"]


@dataclasses.dataclass
class Step:
    left: str
    relation: str  # "=" or "\\approx"
    right: str
    truth: str
    value: Fraction  # the exact value of the number side (the mixed reading for a mixed number)
    printed: Fraction  # the decimal printed
    other: Optional[Fraction] = None  # for a mixed number: the value as a product
    root: bool = False  # an irrational value (value: a decimal within 10^-6 units of it)


@dataclasses.dataclass
class Material:
    text: str
    steps: list


def _decimal(value: Fraction, places: int, mode: str) -> Fraction:
    """value to `places` decimals: "up" (round half away from zero), "even" (half to even), "cut" (toward zero)."""
    scaled = abs(value) * 10 ** places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    frac = Fraction(rest, scaled.denominator)
    if mode == "up":
        whole += frac >= Fraction(1, 2)
    elif mode == "even":
        whole += frac > Fraction(1, 2) or (frac == Fraction(1, 2) and whole % 2 == 1)
    out = Fraction(whole, 10 ** places)
    return -out if value < 0 else out


def _show(d: Fraction, places: int) -> str:
    """A decimal written with exactly `places` decimals (-0.50, 2.333)."""
    n = abs(d) * 10 ** places
    assert n.denominator == 1
    digits = str(n.numerator).rjust(places + 1, "0")
    return ("-" if d < 0 else "") + digits[:-places] + "." + digits[-places:]


def _terminating(v: Fraction) -> Optional[int]:
    d = v.denominator
    for places in range(0, 40):
        if (v * 10 ** places).denominator == 1:
            return places
        if places > 30:
            break
    del d
    return None


def _significant(d: Fraction, places: int) -> int:
    return len(_show(abs(d), places).replace(".", "").lstrip("0"))


def _frac_tex(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    body = f"\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    return ("-" if v < 0 else "") + body


def classify(value: Fraction, printed: Fraction, places: int, relation: str, computed: int = 0) -> str:
    """The truth of `value relation printed` (printed with `places` decimals), `computed` the most decimals of the
    printed decimals the value is computed from (0: none)."""
    if value == printed:
        return "exact"
    rounds = printed in (_decimal(value, places, "up"), _decimal(value, places, "even"))
    cuts = printed == _decimal(value, places, "cut")
    if relation == "\\approx":
        return "agrees" if rounds or cuts else "disagrees"
    exact = _terminating(value)
    if exact is not None and exact <= computed:
        return "slip"  # the printed decimals compute it exactly: a different decimal is a slip
    if not rounds:
        return "slip"
    if _significant(printed, places) == 1 and printed != 0:
        return "short"
    return "edge" if exact is not None else "rounding"


_DENOMINATORS = [3, 6, 7, 9, 11, 12, 13, 8, 16, 40, 2, 4, 5, 20, 30, 300]


def _value(src: Source) -> Fraction:
    d = src.choice(_DENOMINATORS)
    n = src.integer(1, 3 * d)
    v = Fraction(n, d)
    return -v if src.integer(0, 4) == 0 else v


def _printed_for(src: Source, value: Fraction, places: int) -> Fraction:
    """A decimal near value: a rounding, a cut, or one unit or two off (a slip)."""
    base = src.choice([_decimal(value, places, "up"), _decimal(value, places, "even"), _decimal(value, places, "cut")])
    return base + Fraction(src.choice([0, 0, 0, 1, -1, 2]), 10 ** places)


def _number_step(src: Source) -> Step:
    value, places = _value(src), src.integer(1, 4)
    relation = src.choice(["=", "=", "\\approx"])
    printed = _printed_for(src, value, places)
    return Step(_frac_tex(value), relation, _show(printed, places), classify(value, printed, places, relation), value,
                printed)


def _computed_step(src: Source) -> Step:
    """A sum or product of printed decimals beside a decimal (0.12 + 0.001 = 0.12, 0.15 \\cdot 0.15 = 0.02)."""
    pa, pb = src.integer(1, 3), src.integer(1, 3)
    a = Fraction(src.integer(1, 10 ** pa - 1), 10 ** pa)
    b = Fraction(src.integer(1, 10 ** pb - 1), 10 ** pb)
    op = src.choice(["+", "\\cdot", "-"])
    value = a + b if op == "+" else a * b if op == "\\cdot" else a - b
    places = src.integer(1, 4)
    relation = src.choice(["=", "=", "\\approx"])
    printed = _printed_for(src, value, places)
    left = f"{_show(a, pa)} {op} {_show(b, pb)}"
    return Step(left, relation, _show(printed, places), classify(value, printed, places, relation, max(pa, pb)), value,
                printed)


def _root_decimals(k: int, places: int) -> tuple[Fraction, Fraction]:
    """sqrt(k) rounded (no tie: sqrt(k) is irrational) and cut off to `places` decimals, by integer square roots."""
    scaled = k * 10 ** (2 * places)
    floor = math.isqrt(scaled)
    rounded = floor + 1 if (2 * floor + 1) ** 2 <= 4 * scaled else floor
    return Fraction(rounded, 10 ** places), Fraction(floor, 10 ** places)


def _root_step(src: Source) -> Step:
    """\\sqrt{k}, k not a square, beside a decimal: decided by integer arithmetic (value: the cut-off decimal with
    more places, a stand-in that is never the printed decimal)."""
    k = src.choice([2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 50, 99, 101])
    places = src.integer(1, 4)
    near, cut = _root_decimals(k, places)
    sign = src.choice([1, 1, 1, -1])
    printed = sign * (src.choice([near, cut]) + Fraction(src.choice([0, 0, 1, -1, 2]), 10 ** places))
    relation = src.choice(["=", "\\approx"])
    rounds, cuts = printed == sign * near, printed == sign * cut
    if relation == "\\approx":
        truth = "agrees" if rounds or cuts else "disagrees"
    else:
        truth = "slip" if not rounds else "short" if _significant(printed, places) == 1 else "rounding"
    value = sign * _root_decimals(k, places + 6)[1]  # within 10^-(places+6) of the root: replays as "not the decimal"
    return Step(("-" if sign < 0 else "") + f"\\sqrt{{{k}}}", relation, _show(printed, places), truth, value, printed,
                root=True)


def _mixed_step(src: Source) -> Step:
    whole, d = src.integer(1, 4), src.choice([2, 3, 4, 8])
    n = src.integer(1, d - 1)
    mixed, product = whole + Fraction(n, d), whole * Fraction(n, d)
    places = src.integer(1, 3)
    relation = src.choice(["=", "\\approx"])
    printed = _printed_for(src, src.choice([mixed, product]), places)
    frac = src.choice(["\\frac", "\\tfrac"])
    return Step(f"{whole}{frac}{{{n}}}{{{d}}}", relation, _show(printed, places), "mixed", mixed, printed, product)


@dataclasses.dataclass
class _Letter:
    name: str
    value: Fraction


def _letter_step(src: Source, letters: dict) -> Optional[Step]:
    """A step in the letters that hold here (2x = 0.67 with x = 1/3 given before)."""
    if not letters:
        return None
    name = src.choice(sorted(letters))
    k = src.integer(2, 4)  # (a bare letter beside a number gives it that value: `p = 0.34` is no claim about p)
    value = k * letters[name]
    places = src.integer(1, 3)
    relation = src.choice(["=", "=", "\\approx"])
    printed = _printed_for(src, value, places)
    left = src.choice([f"{k}{name}", f"{k} {name}", f"{name} \\cdot {k}"])
    return Step(left, relation, _show(printed, places), classify(value, printed, places, relation), value, printed)


_LETTERS = ["p", "q", "r", "s"]


def _given(src: Source) -> Fraction:
    return Fraction(src.integer(1, 9), src.choice([3, 7, 9, 6]))


def _steps_sentence(src: Source, letters: dict, n: int) -> tuple[str, list]:
    steps = []
    for _ in range(n):
        kind = src.choice(["number", "number", "computed", "mixed", "letter", "letter", "root"])
        step = (_number_step(src) if kind == "number" else _computed_step(src) if kind == "computed" else
                _root_step(src) if kind == "root" else
                _mixed_step(src) if kind == "mixed" else _letter_step(src, letters) or _number_step(src))
        steps.append(step)
    shown = ", ".join(f"${s.left} {s.relation} {s.right}$" for s in steps)
    return src.choice(["We find ", "Numerically, ", "So ", "This gives "]) + shown + ".", steps


def generate(src: Source, exercises: int = 2) -> Material:
    """Exercises with an introduction that may give letters values and parts that may give their own."""
    out, steps = ["# Worked numbers"], []
    for ex in range(1, exercises + 1):
        out.append(src.choice([f"## {ex} Numbers", f"## Exercise {ex}", f"### {ex}. Values"]))
        intro: dict = {}
        for name in _LETTERS:
            if src.integer(0, 2) == 0:
                intro[name] = _given(src)
        if intro:
            out.append("Throughout this exercise let " + " and ".join(f"${a} = {_frac_tex(v)}$" for a, v in intro.items()) + ".")
        for k in range(src.integer(2, 3)):
            letters = dict(intro)
            label = "abcdef"[k]
            head = src.choice([f"({label})", f"**({label})**"])
            words = []
            if src.integer(0, 2) == 0:
                name = src.choice(_LETTERS)
                letters[name] = _given(src)
                words.append(f"For this part let ${name} = {_frac_tex(letters[name])}$.")
            sentence, drawn = _steps_sentence(src, letters, src.integer(2, 4))
            words.append(sentence)
            out.append(f"{head} " + " ".join(words))
            steps += drawn
    return Material("\n\n".join(out) + "\n", steps)


def _plain(text: str) -> str:
    return "".join(text.split()).rstrip(".,")


@dataclasses.dataclass
class Tally:
    steps: int = 0
    wrong: list = dataclasses.field(default_factory=list)
    misread: list = dataclasses.field(default_factory=list)
    rows: dict = dataclasses.field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        self.steps += other.steps
        self.wrong += other.wrong
        self.misread += other.misread
        for truth, row in other.rows.items():
            mine = self.rows.setdefault(truth, {})
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v


# The statuses each truth allows (anything else is a wrong verdict).
ALLOWED = {
    "exact": {"proved", "checked", "skipped"},
    "rounding": {"skipped"},
    "edge": {"skipped", "needs review"},
    "short": {"skipped", "needs review"},
    "slip": {"refuted", "needs review"},
    "agrees": {"skipped"},
    "disagrees": {"needs review", "refuted"},
    "mixed": {"skipped"},
}


def _replays(step, e: Step) -> bool:
    """Whether a refuted step's counterexample shows the value and the decimal, as this module computes them."""
    c = step.counterexample or {}
    sides = [c.get("left"), c.get("right")]
    try:
        shown = {Fraction(str(s).lstrip("≈ ")) for s in sides}
    except (TypeError, ValueError):
        return False
    if e.root:  # the root's side is printed to some digits: the decimal, and a number near the root but not it
        others = [v for v in shown if v != e.printed]
        return e.printed in shown and len(others) == 1 and abs(others[0] - e.value) < Fraction(1, 10 ** 6)
    return shown == {e.value, e.printed} and e.value != e.printed


def judge(material: Material, scanned: list) -> Tally:
    out = Tally()
    expected = list(material.steps)
    for step in scanned:
        match = next((k for k, e in enumerate(expected[:3]) if _plain(e.left) == _plain(step.left)
                      and _plain(e.right) == _plain(step.right)), None)
        if match is None:
            if step.status != "definition":
                out.misread.append(f"{step.text}: {step.status} ({step.reason})")
            continue
        e = expected.pop(match)
        del expected[:match]
        out.steps += 1
        row = out.rows.setdefault(e.truth, {})
        row[step.status] = row.get(step.status, 0) + 1
        allowed = ALLOWED[e.truth]
        if e.truth == "mixed":  # decided only as the reading under which it is so
            readings = {e.value, e.other}
            if step.status in ("proved", "checked") and e.printed not in readings:
                out.wrong.append(f"{step.text} (mixed): {step.status} ({step.reason})")
            continue
        if e.truth == "slip" and step.status == "skipped" and "rounded value" not in step.reason:
            continue  # not read (a skip that says nothing of the step's truth)
        if e.truth in ("agrees", "disagrees", "rounding", "edge", "exact") and step.status == "skipped" and \
                "rounded value" not in step.reason and "rounds or cuts off" not in step.reason and \
                "approximation" not in step.reason:
            continue  # not read
        if step.status not in allowed:
            out.wrong.append(f"{step.text} ({e.truth}, exactly {e.value}): {step.status} ({step.reason})")
        elif step.status == "refuted" and not _replays(step, e):
            out.wrong.append(f"{step.text} ({e.truth}): refuted with {step.counterexample}, which does not replay")
    return out
