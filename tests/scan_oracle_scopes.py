"""Generated exercises whose declarations and conditions sit in different scopes, with each step's truth known.

An exercise declares matrices and vectors in its introduction (perhaps with a condition); its lettered parts
(`(a)`, `**(b)**`, `**Part (c)**`, `- (d)`; perhaps under a sub-heading `### 1.1`) state conditions (orthogonal,
symmetric, positive semidefinite, `A^T = A`, `A^T A = I`), take a letter in general ("take any $A$", "for an arbitrary
$A \\in ...$", "let $A$ be a general matrix"), declare a letter a number for themselves, or state a condition for one
align row (`\\text{since } B^T = B`). Then a step follows. The model of what holds where is this module's: an
introduction's declarations and conditions hold in its parts and sub-headings, a part's condition in the later parts
of its exercise until a part takes the letter in general, a part's own declaration in that part only; an exercise
number closes every scope of the previous exercise. Exercises in a number s assume `s \\ge 0` or `s > 0` in their
introduction or a part (holding in the later parts until a part takes s in general) and state steps such as
`|s| = s`, decided on a grid of fractions under the assumption in force.

Each step's truth is decided by this module's own evaluator: lists of `Fraction` matrices, instances drawn to satisfy
the conditions in force (signed permutations and rational rotations for orthogonal, M + M^T for symmetric, M M^T for
semidefinite), a step true when it holds on every instance drawn and false with a witness instance kept. It shares no
code with the scan. A refuted step's counterexample is replayed here: the step must fail at it, and it must satisfy
the conditions in force.
"""

from __future__ import annotations

import dataclasses
import random
import re
from fractions import Fraction
from typing import Callable, Optional

from scan_oracle import RandomSource, Source

__all__ = ["Material", "Expected", "generate", "judge", "Tally", "RandomSource"]


# -- the evaluator: matrices are lists of rows of Fractions; vectors are n x 1 matrices

def _mm(a, b):
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))] for i in range(len(a))]


def _t(a):
    return [list(r) for r in zip(*a)]


def _add(a, b):
    return [[x + y for x, y in zip(r, s)] for r, s in zip(a, b)]


def _eye(n):
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def _dot(a, b):  # a^T b of two columns
    return sum((x[0] * y[0] for x, y in zip(a, b)), Fraction(0))


def _orthogonal(m) -> bool:
    return _mm(_t(m), m) == _eye(len(m))


def _symmetric(m) -> bool:
    return m == _t(m)


def _minor(m, keep):
    if not keep:
        return Fraction(1)
    if len(keep) == 1:
        return m[keep[0]][keep[0]]
    sub = [[m[i][j] for j in keep] for i in keep]
    return _det(sub)


def _det(m):
    if len(m) == 1:
        return m[0][0]
    return sum(((-1) ** j * m[0][j] * _det([r[:j] + r[j + 1:] for r in m[1:]]) for j in range(len(m))), Fraction(0))


def _semidefinite(m) -> bool:
    n = len(m)
    return _symmetric(m) and all(_minor(m, [i for i in range(n) if mask >> i & 1]) >= 0 for mask in range(1, 2 ** n))


HOLDS = {"orthogonal": _orthogonal, "symmetric": _symmetric, "psd": _semidefinite}


def _random(n, rng, cols=None):
    return [[Fraction(rng.randint(-3, 3), rng.choice([1, 1, 2])) for _ in range(cols or n)] for _ in range(n)]


def _draw_orthogonal(n, rng):
    perm = list(range(n))
    rng.shuffle(perm)
    q = [[Fraction(rng.choice([1, -1]) if perm[i] == j else 0) for j in range(n)] for i in range(n)]
    if n >= 2 and rng.randint(0, 1):  # a rational rotation in two coordinates (3-4-5)
        c, s = Fraction(3, 5), Fraction(4, 5) * rng.choice([1, -1])
        r = _eye(n)
        r[0][0], r[0][1], r[1][0], r[1][1] = c, -s, s, c
        q = _mm(r, q)
    return q


def _draw(condition: Optional[str], n, rng):
    if condition == "orthogonal":
        return _draw_orthogonal(n, rng)
    m = _random(n, rng)
    if condition == "symmetric":
        return _add(m, _t(m))
    if condition == "psd":
        return _mm(m, _t(m))
    return m


# -- steps: their text and their truth as a function of an instance {letter: matrix}

@dataclasses.dataclass(frozen=True)
class Template:
    text: str
    # the step at an instance (A, B n x n, x, y n x 1): True when it holds
    holds: Callable
    # letters it uses
    letters: str


def _norm_eq(m, v):
    mv = _mm(m, v)
    return _dot(mv, mv) == _dot(v, v)


TEMPLATES = [
    Template("A^T A x = x", lambda e: _mm(_t(e["A"]), _mm(e["A"], e["x"])) == e["x"], "Ax"),
    Template("A A^T x = x", lambda e: _mm(e["A"], _mm(_t(e["A"]), e["x"])) == e["x"], "Ax"),
    Template(r"\|A x\| = \|x\|", lambda e: _norm_eq(e["A"], e["x"]), "Ax"),
    Template("A^T A x = A x", lambda e: _mm(_t(e["A"]), _mm(e["A"], e["x"])) == _mm(e["A"], e["x"]), "Ax"),
    Template("x^T B y = y^T B x", lambda e: _mm(_t(e["x"]), _mm(e["B"], e["y"])) == _mm(_t(e["y"]), _mm(e["B"], e["x"])), "Bxy"),
    Template("x^T B y = y^T B^T x", lambda e: True, "Bxy"),
    Template("x^T B y = x^T B^T y", lambda e: _mm(_t(e["x"]), _mm(e["B"], e["y"])) == _mm(_t(e["x"]), _mm(_t(e["B"]), e["y"])), "Bxy"),
    Template(r"x^T B x \ge 0", lambda e: _mm(_t(e["x"]), _mm(e["B"], e["x"]))[0][0] >= 0, "Bx"),
    Template("A B = B A", lambda e: _mm(e["A"], e["B"]) == _mm(e["B"], e["A"]), "AB"),
    Template("(A B)^T = B^T A^T", lambda e: True, "AB"),
    Template("(A B)^T = A^T B^T", lambda e: _t(_mm(e["A"], e["B"])) == _mm(_t(e["A"]), _t(e["B"])), "AB"),
    Template("(A + B)^T = A^T + B^T", lambda e: True, "AB"),
    Template("A^T B^T = B A", lambda e: _mm(_t(e["A"]), _t(e["B"])) == _mm(e["B"], e["A"]), "AB"),
]

# scalar readings of the steps that make sense for numbers A, B (a part that declares them numbers)
SCALAR = [
    ("A B = B A", True), ("(A + B)^2 = A^2 + 2 A B + B^2", True), ("(A + B)^2 = A^2 + B^2", False),
    ("A B - B A = 0", True), ("A (B + 1) = A B + B", False),
]


def decide(template: Template, conditions: dict, rng: random.Random, tries: int = 24) -> tuple[bool, Optional[dict]]:
    """(whether the step holds on every instance drawn under the conditions, a failing instance)."""
    for k in range(tries):
        n = 1 + k % 3
        env = {"A": _draw(conditions.get("A"), n, rng), "B": _draw(conditions.get("B"), n, rng),
               "x": _random(n, rng, 1), "y": _random(n, rng, 1)}
        if not template.holds(env):
            return False, env
    return True, None


# -- material

@dataclasses.dataclass
class Expected:
    text: str
    # "true", "false", "ambiguous" (the material allows readings of different truth: any verdict but a wrong replay)
    truth: str
    # letter -> condition in force where the step stands (for replaying a counterexample)
    conditions: dict
    template: Optional[Template] = None
    scalar: bool = False
    # for a step in a number s: whether it holds at a value (to replay a counterexample)
    at: Optional[Callable] = None


@dataclasses.dataclass
class Material:
    text: str
    steps: list


_WORDS = {
    "orthogonal": ["Assume ${L}$ is orthogonal.", "Suppose ${L}^T {L} = I$.", "Let ${L}$ be orthogonal."],
    "symmetric": ["Assume ${L}$ is symmetric.", "Suppose ${L}^T = {L}$.", "Let ${L}$ be a symmetric matrix."],
    "psd": ["Assume ${L} \\succeq 0$.", "Suppose ${L}$ is positive semidefinite."],
}
_GENERAL = ["Now take any ${L}$.", "For an arbitrary ${L} \\in \\mathbb{{R}}^{{n \\times n}}$, show the following.",
            "Let ${L}$ be a general matrix.", "Now ${L}$ is arbitrary."]
_LABELS = ["({c})", "**({c})**", "**Part ({c})**", "- ({c})"]
def _condition_for(src: Source, letter: str) -> str:
    return "orthogonal" if letter == "A" else src.choice(["symmetric", "psd"])


def _display(text: str) -> str:
    return f"$${text}$$"


def _exercise(src: Source, number: int, rng: random.Random, out: list, steps: list) -> None:
    heading = src.choice([f"## {number} Matrices", f"## Exercise {number}", f"### {number}. Shapes", f"## Problem {number}"])
    out.append(heading)
    intro: dict = {}
    words = "Let $A, B \\in \\mathbb{R}^{n \\times n}$ and $x, y \\in \\mathbb{R}^n$."
    if src.integer(0, 2) == 0:
        letter = src.choice(["A", "B"])
        intro[letter] = _condition_for(src, letter)
        words += " " + src.choice(_WORDS[intro[letter]]).format(L=letter)
    out.append(words)
    if src.integer(0, 2) == 0:  # the parts under a sub-heading of the exercise, which the introduction covers
        out.append(("####" if heading.startswith("###") else "###") + f" {number}.1 " + src.choice(["Steps", "Warm-up"]))
    held = dict(intro)  # the conditions in force for the next part
    parts = src.integer(2, 4)
    for k in range(parts):
        label = src.choice(_LABELS).format(c="abcd"[k])
        action = src.choice(["none", "none", "condition", "condition", "general", "scalar", "since"])
        prose = src.choice(["Show", "Then", "We have", "Check"])
        here = dict(held)
        if action == "condition":
            letter = src.choice(["A", "B"])
            cond = _condition_for(src, letter)
            if held.get(letter) not in (None, cond):
                action = "none"  # (two conditions on one letter: not drawn)
            else:
                here[letter] = held[letter] = cond
                prose = src.choice(_WORDS[cond]).format(L=letter) + " " + prose
        elif action == "general":
            letter = src.choice(["A", "B"])
            here.pop(letter, None)
            held.pop(letter, None)
            prose = src.choice(_GENERAL).format(L=letter)
        if action == "scalar":
            out.append(f"{label} Here $A \\in \\mathbb{{R}}$ is a number and $B \\in \\mathbb{{R}}$ too.")
            text, truth = src.choice(SCALAR)
            out.append(_display(text))
            steps.append(Expected(text, "true" if truth else "false", {}, None, True))
            # after a part that makes the letters numbers, whether earlier conditions still hold is the reader's guess
            for letter in ("A", "B"):
                if letter in held and letter not in intro:
                    held[letter] = "?"
            continue
        if action == "since":
            out.append(f"{label} {prose}")
            first = next(t for t in TEMPLATES if t.text == "x^T B y = y^T B x")
            second = src.choice([t for t in TEMPLATES if "B" in t.letters])
            (l1, r1), (l2, rel2, r2) = first.text.split(" = "), re.split(r" (=|\\ge) ", second.text)
            out.append(f"$$\\begin{{aligned}} {l1} &= {r1} \\quad \\text{{since }} B^T = B \\\\ {l2} &{rel2} {r2} "
                       "\\end{aligned}$$")
            steps.append(_expected(first, {**here, "B": "symmetric"} if here.get("B") != "?" else here, rng))
            steps.append(_expected(second, here, rng))
            continue
        out.append(f"{label} {prose}")
        for _ in range(src.integer(1, 2)):
            template = src.choice(TEMPLATES)
            out.append(_display(template.text))
            steps.append(_expected(template, here, rng))


def _expected(template: Template, conditions: dict, rng: random.Random) -> Expected:
    uncertain = [a for a in template.letters if conditions.get(a) == "?"]
    if uncertain:
        known = {a: c for a, c in conditions.items() if c != "?"}
        return Expected(template.text, "ambiguous", known, template)
    truth, _ = decide(template, conditions, rng)
    return Expected(template.text, "true" if truth else "false", {a: c for a, c in conditions.items() if a in template.letters},
                    template)


# -- numbers: assumptions a part states ("Assume $s \\ge 0$.") hold in the later parts until one takes the letter in general

_SCALAR_ASSUME = {"nonnegative": ("s \\ge 0", lambda v: v >= 0), "positive": ("s > 0", lambda v: v > 0)}
_SCALAR_STEPS = [
    ("|s| = s", lambda v: abs(v) == v), ("\\sqrt{s^2} = s", lambda v: abs(v) == v), ("|s| = -s", lambda v: abs(v) == -v),
    ("s^2 = |s| s", lambda v: v * v == abs(v) * v), ("|s| + s = 2 s", lambda v: abs(v) + v == 2 * v),
    ("|s - 1| = s - 1", lambda v: abs(v - 1) == v - 1), ("(s + 1)^2 = s^2 + 2 s + 1", lambda v: True),
]
_SCALAR_GENERAL = ["Now take any $s$.", "For an arbitrary $s \\in \\mathbb{{R}}$, show the following.",
                   "Now $s$ is arbitrary.", "Let $s$ be any real number."]
_GRID = [Fraction(k, 2) for k in range(-8, 9)]


def _scalar_exercise(src: Source, number: int, out: list, steps: list) -> None:
    out.append(src.choice([f"## {number} Numbers", f"## Exercise {number}", f"### {number}. Absolute values"]))
    assumed: Optional[str] = None
    if src.integer(0, 2) == 0:
        assumed = src.choice(list(_SCALAR_ASSUME))
        out.append(f"Throughout, assume ${_SCALAR_ASSUME[assumed][0]}$.")
    for k in range(src.integer(2, 4)):
        label = src.choice(_LABELS).format(c="abcd"[k])
        action = src.choice(["none", "assume", "general"])
        words = src.choice(["Then", "So", "We have"])
        if action == "assume":
            assumed = src.choice(list(_SCALAR_ASSUME))
            words = f"Assume ${_SCALAR_ASSUME[assumed][0]}$. " + words
        elif action == "general":
            assumed = None
            words = src.choice(_SCALAR_GENERAL) + " " + words
        text, holds = src.choice(_SCALAR_STEPS)
        where = [v for v in _GRID if assumed is None or _SCALAR_ASSUME[assumed][1](v)]
        truth = "true" if all(holds(v) for v in where) else "false"
        out.append(f"{label} {words} ${text}$.")
        steps.append(Expected(text, truth, {"s": assumed} if assumed else {}, None, True, holds))


def generate(src: Source, exercises: int = 2, seed: int = 0) -> Material:
    rng = random.Random(seed * 7919 + 17)
    out, steps = ["# Matrix exercises"], []
    for number in range(1, exercises + 1):
        if src.integer(0, 3) == 0:
            _scalar_exercise(src, number, out, steps)
        else:
            _exercise(src, number, rng, out, steps)
    return Material("\n\n".join(out) + "\n", steps)


# -- judging

def _plain(text: str) -> str:
    return "".join(text.replace("&", "").split()).rstrip(".,")


_ENTRY = re.compile(r"-?\d+(?:/\d+)?")


def _matrix(raw) -> Optional[list]:
    """A counterexample's value as the scan reports it ("[[1, -1/2], [0, 3]]", a list, a number) as Fractions."""
    if isinstance(raw, (int, float, str)) and not str(raw).lstrip("-").startswith("["):
        try:
            return [[Fraction(str(raw))]]
        except (ValueError, ZeroDivisionError):
            return None
    if isinstance(raw, str):
        rows = re.findall(r"\[([^\[\]]*)\]", raw)
        return [[Fraction(v) for v in _ENTRY.findall(r)] for r in rows] or None
    if isinstance(raw, list):
        return [[Fraction(str(v)) for v in (r if isinstance(r, list) else [r])] for r in raw]
    return None


def replays(e: Expected, counterexample: Optional[dict]) -> bool:
    """Whether a refuted step fails at the scan's counterexample by this module's evaluator, the counterexample
    satisfying the conditions in force."""
    if e.at is not None:  # a step in the number s: fails at the counterexample's s, which satisfies the assumption
        try:
            v = Fraction(str((counterexample or {}).get("values", {}).get("s")))
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        ok = e.conditions.get("s") is None or _SCALAR_ASSUME[e.conditions["s"]][1](v)
        return ok and not e.at(v)
    if not counterexample or e.template is None:
        return e.scalar  # (a scalar step's replay is exact arithmetic the judge does not redo)
    values = counterexample.get("values", {})
    env = {}
    for letter in "ABxy":
        if letter in values:
            m = _matrix(values[letter])
            if m is None:
                return False
            env[letter] = m
    n = len(next(iter(env.values()))) if env else 1
    for letter in "AB":
        env.setdefault(letter, _eye(n))
    for letter in "xy":
        env.setdefault(letter, [[Fraction(1)] for _ in range(n)])
    for letter, condition in e.conditions.items():
        if condition in HOLDS and not HOLDS[condition](env[letter]):
            return False
    try:
        return not e.template.holds(env)
    except (IndexError, TypeError):
        return False


@dataclasses.dataclass
class Tally:
    steps: int = 0
    # true steps marked for review because a condition the material states is not honoured (named in the reason)
    unhonoured: int = 0
    false_proofs: list = dataclasses.field(default_factory=list)
    false_alarms: list = dataclasses.field(default_factory=list)
    unreplayed: list = dataclasses.field(default_factory=list)
    rows: dict = dataclasses.field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        self.steps += other.steps
        self.unhonoured += other.unhonoured
        self.false_proofs += other.false_proofs
        self.false_alarms += other.false_alarms
        self.unreplayed += other.unreplayed
        for truth, row in other.rows.items():
            mine = self.rows.setdefault(truth, {})
            for k, v in row.items():
                mine[k] = mine.get(k, 0) + v


def judge(material: Material, scanned: list) -> Tally:
    out = Tally()
    expected = list(material.steps)
    for step in scanned:
        if step.status == "definition":
            continue
        match = next((k for k, e in enumerate(expected[:3]) if _plain(e.text) == _plain(step.text)), None)
        if match is None:
            continue  # a condition the prose states as a formula (B^T = B), read as such
        e = expected.pop(match)
        del expected[:match]
        out.steps += 1
        row = out.rows.setdefault(e.truth, {})
        row[step.status] = row.get(step.status, 0) + 1
        where = f"{step.text} (line {step.line}, {e.truth} under {e.conditions or 'no condition'})"
        if e.truth == "false" and step.status in ("proved", "checked"):
            out.false_proofs.append(f"{where}: {step.status} ({step.reason})")
        elif e.truth == "true" and step.status == "needs review" and "review it (it fails unless" in step.reason:
            out.unhonoured += 1  # a condition or fact the reading does not honour, named: fails closed, decides nothing
        elif e.truth == "true" and step.status in ("refuted", "needs review"):
            out.false_alarms.append(f"{where}: {step.status} ({step.reason})")
        if step.status == "refuted" and e.truth != "true" and not replays(e, step.counterexample):
            out.unreplayed.append(f"{where}: refuted at {step.counterexample}, which does not replay")
    return out
