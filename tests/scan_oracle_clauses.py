"""Generated notes whose scalar steps hang on the prose around them, with each step's truth known.

Three kinds of part:

- clauses: a sentence ending in words that make the display after a blank line a result ("so", "hence",
  "therefore", "we get", "which gives", "so that" after a computation) or a wish, a choice or a condition ("such
  that", "we want", "we need", "so that" after a choice), with or without a colon: a result is a claim, the rest is
  never decided as one;
- conditions: a condition stated the ways course prose does ("where $n \\ge 3$" and a blank line, "for which", "For
  $n \\ge 3$ we have the following." and a display, "Let $n \\ge 3$.", "If $x > 0$, ..." without "then", numbers
  "such that" a relation followed by a display and a later claim of the same sentence, names a sentence introduces
  with a condition before the claims of the next: "Take real numbers $x, y$ such that ...", "Consider $n$ with ..."),
  a sentence after the claim saying where it holds ("This holds for $n \\ge 3$.", "..., since $n \\ge 3$"), an
  existential stated after its formula ("... for some real number $a$");
- sum bounds: a name bounded only through a sum or product in a condition ("for every $n$ with $\\sum_{i=1}^{n} 1 \\ge
  2$").

Every truth is computed here, in exact arithmetic on a grid of the points the words allow (a sum over an empty range
is 0, a product 1), never by the scan; a refuted step's counterexample is replayed here: it must lie where the words'
condition holds (and be a whole number where they say integers) and the step must fail there. The judge is
tests/scan_oracle_notation.judge: a false step proved or checked, a true one refuted, a counterexample that does not
replay, a condition or an existential decided as a claim, and a claim skipped as a condition are all reported.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from scan_oracle import Source
from scan_oracle_notation import Expected, Material

__all__ = ["PARTS", "KINDS", "generate"]

_RATIONALS = sorted({Fraction(n, d) for n in range(-6, 9) for d in (1, 2, 3)})
_PAIRS = [(x, y) for x in _RATIONALS[::2] for y in _RATIONALS[::2]]

# (text, holds(n)) of claims about n, true where n >= 3 (over the reals) and false at some n < 3, and slips false at
# n = 3 itself
_AT_LEAST_3 = [
    ("n^2 \\ge 3 n", lambda n: n * n >= 3 * n, False),
    ("n^2 - 2 n \\ge 3", lambda n: n * n - 2 * n >= 3, False),
    ("n^3 \\ge 9 n", lambda n: n ** 3 >= 9 * n, False),
    ("n^2 \\ge 4 n", lambda n: n * n >= 4 * n, True),
    ("n^2 - 2 n \\ge 4", lambda n: n * n - 2 * n >= 4, True),
    ("n^3 \\ge 10 n", lambda n: n ** 3 >= 10 * n, True),
]
# (text, holds(x)) of claims about x, true where x > 0 and false at some x < 0, and slips false for x > 0 too
_POSITIVE = [
    ("|x| = x", lambda x: abs(x) == x, False),
    ("\\frac{|x|}{x} = 1", lambda x: x != 0 and abs(x) / x == 1, False),
    ("x + |x| = 2 x", lambda x: x + abs(x) == 2 * x, False),
    ("|x| = -x", lambda x: abs(x) == -x, True),
    ("x + |x| = 0", lambda x: x + abs(x) == 0, True),
]
# (text, holds(x, y)) of claims true where x^2 + y^2 <= 1 and false at some point outside, with names on both sides
# (a relation of names to a number alone is a condition to the scan), and slips false inside too
_DISC = [
    ("x^2 \\le 1 - y^2", lambda x, y: x * x <= 1 - y * y, False),
    ("y^2 \\le 1 - x^2", lambda x, y: y * y <= 1 - x * x, False),
    ("x^2 y^2 \\le 1 - y^2", lambda x, y: x * x * y * y <= 1 - y * y, False),
    ("x^2 + y^2 \\le 2 x y", lambda x, y: x * x + y * y <= 2 * x * y, True),
    ("x \\le y^2", lambda x, y: x <= y * y, True),
]


def _one(points, holds: Callable, condition: Callable, text: str, kind: str, slip: bool, names: str) -> Expected:
    """The step `text` with its truth over the points where the condition holds, and its replay."""
    inside = [p for p in points if condition(*p)]
    truth = "true" if all(holds(*p) for p in inside) else "false"
    if not slip and truth != "true":
        raise AssertionError(f"the generator built a false claim under its condition: {text}")
    return Expected(text, truth, kind, slip and truth == "false", _replay(holds, condition, names))


def _replay(holds: Callable, condition: Callable, names: str):
    def fails_at(cx: dict, reason: str) -> bool:
        values = cx.get("values", {})
        try:
            point = [Fraction(str(values[name])) for name in names]
        except (KeyError, ValueError, ZeroDivisionError):
            return False
        return condition(*point) and not holds(*point)
    return fails_at


def _whole(condition: Callable) -> Callable:
    return lambda n: n.denominator == 1 and condition(n)


# -- clauses before a display across a blank line

# the display of a clause: (text, holds(a), true) identities in a, and slips
_IDENTITIES = [
    ("(a + 1)^2 = a^2 + 2 a + 1", lambda a: (a + 1) ** 2 == a * a + 2 * a + 1),
    ("(a + 2)(a - 2) = a^2 - 4", lambda a: (a + 2) * (a - 2) == a * a - 4),
    ("a (a + 3) = a^2 + 3 a", lambda a: a * (a + 3) == a * a + 3 * a),
    ("(a + 1)^2 = a^2 + 1", lambda a: (a + 1) ** 2 == a * a + 1),
    ("(a + 2)(a - 2) = a^2 - 2", lambda a: (a + 2) * (a - 2) == a * a - 2),
    ("a (a + 3) = a^2 + 3", lambda a: a * (a + 3) == a * a + 3),
]
# words that make the display what the sentence concludes
_RESULTS = ["Expanding the square, so", "Collecting the terms, hence", "Therefore", "Collecting terms we get",
            "We multiply out, which gives", "Adding the two lines, so that", "Multiplying out, so that", "Hence",
            "Expanding, we get", "So", "Thus", "It follows that", "Simplifying, this gives", "Multiplying out yields",
            "Adding the terms, so that we get"]
# words that make the display a wish, a choice or a condition
_WISHES = ["We choose $a$ so that", "Pick $a$ so that", "We want $a$ such that", "We want", "We need",
           "Take a number $a$ such that", "We need $a$ so that", "We want to find $a$ so that",
           "The values of $a$ we want are those such that", "We require", "We would like $a$ to satisfy",
           "We set $a$ so that", "It remains to find $a$ such that", "We look for $a$ for which", "The goal is",
           "Our aim is that", "We would like to have", "Solve for $a$:", "It suffices that", "It is enough to have"]


def _clause_part(src: Source, slips: bool) -> tuple[str, list]:
    """A sentence ending in result words or wish words, a blank line, and a display: a result is a claim (true or a
    slip), a wish is a condition, never decided."""
    text, holds = src.choice(_IDENTITIES if slips else _IDENTITIES[:3])
    colon = src.choice(["", ":", ""])
    if src.integer(0, 1):
        words = src.choice(_RESULTS)
        truth = "true" if all(holds(a) for a in _RATIONALS) else "false"
        step = Expected(text, truth, "clause-result", truth == "false", _replay(lambda a: holds(a), lambda a: True, "a"))
    else:
        words = src.choice(_WISHES)
        step = Expected(text, "condition", "clause-wish")
    return f"{words}{colon if not words.endswith(':') else ''}\n\n$${text}$$", [step]


# -- conditions stated the ways course prose states them

_N_WORDS = [
    # (words with {claim}, kind, whether n is said to be an integer)
    ("We now look at integers $n$ where $n \\ge 3$\n\n$${claim}$$", "where-blank", True),
    ("We now look at numbers $n$ where $n \\ge 3$\n\n$${claim}$$", "where-blank", False),
    ("Consider the real numbers $n$ for which $n \\ge 3$; for them ${claim}$.", "for-which", False),
    ("For the integers $n$ for which $n \\ge 3$, ${claim}$.", "for-which", True),
    ("We take the $n$ for which $n \\ge 3$\n\n$${claim}$$", "for-which", False),
    ("For $n \\ge 3$ we have the following.\n\n$${claim}$$", "following", False),
    ("For every $n \\ge 3$ the bound is as follows.\n\n$${claim}$$", "following", False),
    ("Let $n \\ge 3$.\n\n$${claim}$$", "let", False),
    ("Let $n \\ge 3$. Then ${claim}$.", "let", False),
    ("Let $n \\ge 3$ and consider the following.\n\n$${claim}$$", "following", False),
    ("If $n \\ge 3$ we get the following.\n\n$${claim}$$", "following", False),
    ("Whenever $n \\ge 3$, ${claim}$.", "if-comma", False),
    ("We have ${claim}$ provided $n \\ge 3$.", "after", False),
    ("We have ${claim}$ whenever $n \\ge 3$.", "after", False),
    ("Here ${claim}$, for every $n$ with $n \\ge 3$.", "after", False),
    ("Consider $n$ with $n \\ge 3$. Then ${claim}$.", "introduced", False),
    ("Fix an integer $n$ such that $n \\ge 3$.\n\n$${claim}$$", "introduced", True),
    ("We now restrict to $n \\ge 3$.\n\n$${claim}$$", "introduced", False),
    ("$${claim}$$\n\nThis holds for $n \\ge 3$.", "restricted", False),
    ("We get ${claim}$. This is valid for $n \\ge 3$ only.", "restricted", False),
    ("$${claim}$$\n\nThis is true for all $n \\ge 3$.", "restricted", False),
    ("We get ${claim}$, since $n \\ge 3$.", "restricted", False),
    ("We get ${claim}$. It holds because $n \\ge 3$.", "restricted", False),
]
_X_WORDS = [
    ("If $x > 0$, ${claim}$.", "if-comma"),
    ("If $x > 0$, we have ${claim}$.", "if-comma"),
    ("When $x > 0$, ${claim}$.", "if-comma"),
    ("Suppose $x > 0$; then ${claim}$.", "if-comma"),
    ("Assuming $x > 0$, one has ${claim}$.", "if-comma"),
    ("If $x > 0$, it follows that ${claim}$.", "if-comma"),
]
_DISC_WORDS = [
    ("Take real numbers $x, y$ such that\n\n$$x^2 + y^2 \\le 1$$\n\nand for them ${claim}$ holds.", "such-that-display"),
    ("Take real numbers $x, y$ such that $x^2 + y^2 \\le 1$, and note\n\n$${claim}$$\n\nand also ${second}$.",
     "such-that-later"),
    ("For numbers $x, y$ such that $x^2 + y^2 \\le 1$ we have\n\n$${claim}$$\n\nand also ${second}$.", "such-that-later"),
    ("Take real numbers $x, y$ such that $x^2 + y^2 \\le 1$. Then ${claim}$.", "introduced"),
    ("Let $x, y$ be reals with $x^2 + y^2 \\le 1$. Then\n\n$${claim}$$\n\nand also ${second}$.", "introduced"),
]
# existentials stated after their formula: true somewhere, false as an identity
_SOME = [
    ("a^2 + 1 = 2 a", "a = 1"), ("a^2 = 4", "a = 2"), ("a^2 - 3 a + 2 = 0", "a = 1"), ("(a - 1)^2 = 0", "a = 1"),
]
_SOME_WORDS = ["Note that ${claim}$ for some real number $a$.", "We have ${claim}$ for some $a$.",
               "The equation ${claim}$ holds for at least one $a$.", "Indeed ${claim}$ for some real $a$."]


def _condition_part(src: Source, slips: bool) -> tuple[str, list]:
    """A claim under a condition its prose states (a slip fails under it too); an existential after its formula."""
    how = src.choice(["n", "n", "x", "disc", "disc", "some"])
    pick = (lambda pool: src.choice(pool if slips else [t for t in pool if not t[2]]))
    if how == "n":
        words, kind, integers = src.choice(_N_WORDS)
        text, holds, slip = pick(_AT_LEAST_3)
        condition = (lambda n: n >= 3) if not integers else _whole(lambda n: n >= 3)
        points = [(n,) for n in _RATIONALS]
        return words.replace("{claim}", text), [_one(points, holds, condition, text, f"condition-{kind}", slip, "n")]
    if how == "x":
        words, kind = src.choice(_X_WORDS)
        text, holds, slip = pick(_POSITIVE)
        return words.replace("{claim}", text), [_one([(x,) for x in _RATIONALS], holds, lambda x: x > 0, text,
                                                     f"condition-{kind}", slip, "x")]
    if how == "disc":
        words, kind = src.choice(_DISC_WORDS)
        inside = (lambda x, y: x * x + y * y <= 1)
        first = pick(_DISC)
        steps = [_one(_PAIRS, first[1], inside, first[0], f"condition-{kind}", first[2], "xy")]
        out = words.replace("{claim}", first[0])
        if "{second}" in words:
            second = pick([t for t in _DISC if t[0] != first[0]])
            steps.append(_one(_PAIRS, second[1], inside, second[0], f"condition-{kind}", second[2], "xy"))
            out = out.replace("{second}", second[0])
        return out, steps
    text, _ = src.choice(_SOME)
    return src.choice(_SOME_WORDS).replace("{claim}", text), [Expected(text, "ambiguous", "condition-some")]


# -- a name bounded only through a sum or product in a condition

# (condition text, allowed(n) over the integers with an empty sum 0 and an empty product 1)
_SUM_CONDITIONS = [
    ("\\sum_{i=1}^{n} 1 \\ge 2", lambda n: max(n, 0) >= 2),
    ("\\sum_{i=1}^{n} i \\ge 3", lambda n: sum(range(1, n + 1)) >= 3),
    ("\\prod_{i=1}^{n} 2 \\ge 4", lambda n: 2 ** max(n, 0) >= 4),
    ("\\sum_{i=1}^{n} 1 \\le 2", lambda n: max(n, 0) <= 2),
]
# claims about a whole n: (text, holds(n), slip)
_SUM_CLAIMS = [
    ("n^2 \\ge 2 n", lambda n: n * n >= 2 * n, False),
    ("\\sum_{i=3}^{n} 1 = n - 2", lambda n: max(n - 2, 0) == n - 2, False),
    ("\\sum_{i=1}^{n} 2 = 2 n", lambda n: 2 * max(n, 0) == 2 * n, False),
    ("\\sum_{i=2}^{n} 1 = n - 1", lambda n: max(n - 1, 0) == n - 1, False),
    ("n^2 \\ge 3 n", lambda n: n * n >= 3 * n, True),
    ("\\sum_{i=1}^{n} 1 = n + 1", lambda n: max(n, 0) == n + 1, True),
]
_SUM_WORDS = ["For every $n$ with ${condition}$, ${claim}$.", "For all $n$ such that ${condition}$, ${claim}$.",
              "If ${condition}$, then ${claim}$."]


def _sum_bound_part(src: Source, slips: bool) -> tuple[str, list]:
    """A claim about n under a condition that bounds n only through a sum or product from 1 to n, whose notation
    presupposes n is a count: true at every count the condition allows (empty sums 0, empty products 1), false at
    one (a slip, or a claim that needs more)."""
    condition, allowed = src.choice(_SUM_CONDITIONS)
    text, holds, slip = src.choice(_SUM_CLAIMS if slips else [t for t in _SUM_CLAIMS if not t[2]])
    counts = [n for n in range(0, 13) if allowed(n)]
    truth = "true" if all(holds(n) for n in counts) else "false"
    step = Expected(text, truth, "sum-bound", slip and truth == "false",
                    _replay(lambda n: holds(int(n)), lambda n: n.denominator == 1 and n >= 0 and allowed(int(n)), "n"))
    words = src.choice(_SUM_WORDS).replace("{condition}", condition).replace("{claim}", text)
    return words, [step]


# -- the scope of a condition: a case's negation, a restriction that claims more, a fact joined by "or" or denied, an
# announcing sentence that sets a case aside, an assumption lifted or replaced, a wish beside a claim

# (text, holds(x)) under "otherwise" after "If $x > 0$": decided over x <= 0 (a slip fails there)
_OTHERWISE_CLAIMS = [("|x| = -x", lambda x: abs(x) == -x), ("x + |x| = 0", lambda x: x + abs(x) == 0),
                     ("|x| = x", lambda x: abs(x) == x), ("x + |x| = 2 x", lambda x: x + abs(x) == 2 * x)]
_OTHERWISE_WORDS = ["If $x > 0$, ${first}$; otherwise ${claim}$.", "If $x > 0$, we have ${first}$, and otherwise ${claim}$.",
                    "If $x > 0$, there is nothing to show; otherwise ${claim}$.",
                    "If $x > 0$, then ${first}$, and otherwise ${claim}$.", "For $x > 0$ the claim is clear; otherwise ${claim}$.",
                    "If $x > 0$, ${first}$; else ${claim}$.", "When $x > 0$, ${first}$; in the other case ${claim}$.",
                    "If $x > 0$, ${first}$; if not, ${claim}$.", "We have ${first}$ if $x > 0$ and ${claim}$ otherwise.",
                    "If $x > 0$, ${first}$.\nOtherwise, ${claim}$."]
# (text, holds(x)) of claims about x read over x >= 1 or x <= 0
_EITHER = [("x^2 \\ge x", lambda x: x * x >= x), ("x (x - 1) \\ge 0", lambda x: x * (x - 1) >= 0),
           ("x^4 \\ge x^3", lambda x: x ** 4 >= x ** 3), ("x^3 \\ge x", lambda x: x ** 3 >= x)]
_EITHER_WORDS = ["We get ${claim}$, since $x \\ge 1$ or $x \\le 0$.", "Since $x \\ge 1$ or $x \\le 0$, we get ${claim}$.",
                 "We get ${claim}$ because either $x \\ge 1$ or $x \\le 0$.",
                 "As $x \\ge 1$ or $x \\le 0$, we have ${claim}$.", "We get ${claim}$, as $x \\ge 1$ or $x \\le 0$.",
                 "We get ${claim}$ unless $0 < x < 1$.", "Here ${claim}$, except when $0 < x < 1$."]
_DENIED_WORDS = ["Here ${claim}$ need not hold, since $x \\ge 1$ is not assumed.", "In general ${claim}$ is false.",
                 "Without $x \\ge 1$, ${claim}$ does not hold."]
# (text, holds(n)) of claims true for every n < 3 and false at some n >= 3, and slips false at some n < 3
_BELOW_3 = [("|n - 3| = 3 - n", lambda n: abs(n - 3) == 3 - n), ("(n - 3)^2 \\ge n - 3", lambda n: (n - 3) ** 2 >= n - 3),
            ("n^2 \\ge 3 n", lambda n: n * n >= 3 * n), ("n^2 \\ge 2 n - 1 + (n - 3)(n - 1)",
                                                       lambda n: n * n >= 2 * n - 1 + (n - 3) * (n - 1))]
_APART_WORDS = ["The case where $n \\ge 3$ is done; for every other real $n$ we show the following.",
                "For $n \\ge 3$ there is nothing left to do; for the remaining $n$ we show the following.",
                "We have settled $n \\ge 3$. For all other $n$ the bound is as follows.",
                "The case $n \\ge 3$ is not what we need here; we show the following."]
# (text, holds(n)) of claims about any real n, and of claims about n >= 1
_ANY_N = [("n^2 \\ge 2 n - 1", lambda n: n * n >= 2 * n - 1), ("n^2 + 1 \\ge 2 n", lambda n: n * n + 1 >= 2 * n),
          ("n^2 \\ge 3 n", lambda n: n * n >= 3 * n), ("n^2 \\ge 2 n", lambda n: n * n >= 2 * n)]
_AT_LEAST_1 = [("n^2 \\ge n", lambda n: n * n >= n), ("n^3 \\ge n", lambda n: n ** 3 >= n),
               ("n^2 \\ge 2 n", lambda n: n * n >= 2 * n), ("n^2 \\ge 3 n", lambda n: n * n >= 3 * n)]
_INTRODUCE = ["Consider $n$ with $n \\ge 3$. Then ${first}$.", "Let $n \\ge 3$. Then ${first}$."]
_LIFT_WORDS = ["Now drop this assumption. Then ${claim}$.", "We now remove the condition on $n$: ${claim}$.",
               "From here on $n$ is arbitrary. Then ${claim}$.", "Without this assumption, ${claim}$.",
               "The condition no longer holds. We get ${claim}$."]
_REPLACE_WORDS = ["Next, consider $n$ with $n \\ge 1$. Then ${claim}$.", "Next, let $n \\ge 1$. Then ${claim}$.",
                  "Now let $n \\ge 1$. Then ${claim}$.", "Suppose now that $n \\ge 1$ instead. Then ${claim}$."]
_RESTRICT_WORDS = ["Hence ${first}$. This is true for all real $n$, and for $n \\ge 3$ it improves to ${claim}$.",
                   "So ${first}$. This holds for every $n$, and for $n \\ge 3$ even ${claim}$.",
                   "Thus ${first}$. It is valid for any real $n$; for $n \\ge 3$ we also get ${claim}$."]
_WISH_BESIDE = ["We would like $x \\ge 1$ here, but all we know is that ${claim}$ for every real $x$.",
                "We want $x \\ge 1$ here, but all we know is that ${claim}$ for every real $x$.",
                "The goal is $x \\ge 1$, but all we know is that ${claim}$ for every real $x$.",
                "It suffices that $x \\ge 1$, and we know that ${claim}$ for every real $x$."]
_ANY_X = [("x^2 \\ge x", lambda x: x * x >= x), ("x^2 + 1 \\ge 2 x", lambda x: x * x + 1 >= 2 * x),
          ("x^3 \\ge x", lambda x: x ** 3 >= x), ("x^2 \\ge 2 x - 1", lambda x: x * x >= 2 * x - 1)]


def _decided(text: str, holds: Callable, condition: Callable, kind: str, name: str) -> Expected:
    """A claim whose truth is taken over the rationals of the grid where `condition` holds."""
    points = [(v,) for v in _RATIONALS]
    truth = "true" if all(holds(*p) for p in points if condition(*p)) else "false"
    return Expected(text, truth, kind, truth == "false", _replay(holds, condition, name))


def _scope_part(src: Source, slips: bool) -> tuple[str, list]:
    """A claim whose condition is in scope only in part: under a case's negation ("otherwise"), after a restriction
    that claims more, beside a fact joined by "or" or denied, after an announcing sentence that sets a case aside,
    after an assumption lifted or replaced, beside a wish. Each truth is over the points the words really allow."""
    how = src.choice(["otherwise", "restrict", "every", "either", "denied", "apart", "lift", "replace", "wish"])
    if how == "otherwise":
        words = src.choice(_OTHERWISE_WORDS)
        text, holds = src.choice(_OTHERWISE_CLAIMS if slips else _OTHERWISE_CLAIMS[:2])
        steps = [_one([(x,) for x in _RATIONALS], lambda x: abs(x) == x, lambda x: x > 0, "|x| = x", "scope-case",
                      False, "x")] if "{first}" in words else []
        steps.append(_decided(text, holds, lambda x: x <= 0, "scope-otherwise", "x"))
        return words.replace("{first}", "|x| = x").replace("{claim}", text), steps
    if how == "restrict":
        first, first_holds, _ = src.choice([t for t in _AT_LEAST_3 if not t[2]])
        text, holds, slip = src.choice(_AT_LEAST_3 if slips else [t for t in _AT_LEAST_3 if not t[2]])
        words = src.choice(_RESTRICT_WORDS).replace("{first}", first).replace("{claim}", text)
        return words, [_decided(first, first_holds, lambda n: True, "scope-restrict-wide", "n"),
                       _one([(n,) for n in _RATIONALS], holds, lambda n: n >= 3, text, "scope-restrict", slip, "n")]
    if how == "every":
        first, first_holds, _ = src.choice([t for t in _AT_LEAST_3 if not t[2]])
        text, holds, slip = src.choice(_AT_LEAST_3 if slips else [t for t in _AT_LEAST_3 if not t[2]])
        words = src.choice(["For $n \\ge 3$ we have ${claim}$, but ${first}$ holds for every real $n$.",
                            "For $n \\ge 3$ we get ${claim}$; but ${first}$ is true for all $n$."])
        return words.replace("{first}", first).replace("{claim}", text), [
            _one([(n,) for n in _RATIONALS], holds, lambda n: n >= 3, text, "scope-restrict", slip, "n"),
            _decided(first, first_holds, lambda n: True, "scope-restrict-wide", "n")]
    if how in ("either", "denied"):
        text, holds = src.choice(_EITHER if slips else _EITHER[:3])
        if how == "denied":
            return src.choice(_DENIED_WORDS).replace("{claim}", text), [Expected(text, "ambiguous", "scope-denied")]
        either = (lambda x: x >= 1 or x <= 0)
        return src.choice(_EITHER_WORDS).replace("{claim}", text), [_decided(text, holds, either, "scope-either", "x")]
    if how == "apart":
        text, holds = src.choice(_BELOW_3 if slips else _BELOW_3[:2])
        words = src.choice(_APART_WORDS)
        below = (lambda n: n < 3) if "other" in words or "remaining" in words else (lambda n: True)
        return f"{words}\n\n$${text}$$", [_decided(text, holds, below, "scope-apart", "n")]
    if how in ("lift", "replace"):
        first, first_holds, _ = src.choice([t for t in _AT_LEAST_3 if not t[2]])
        opening = src.choice(_INTRODUCE).replace("{first}", first)
        steps = [_one([(n,) for n in _RATIONALS], first_holds, lambda n: n >= 3, first, "scope-introduced", False, "n")]
        if how == "lift":
            text, holds = src.choice(_ANY_N if slips else _ANY_N[:2])
            later = src.choice(_LIFT_WORDS).replace("{claim}", text)
            steps.append(_decided(text, holds, lambda n: True, "scope-lifted", "n"))
        else:
            text, holds = src.choice(_AT_LEAST_1 if slips else _AT_LEAST_1[:2])
            later = src.choice(_REPLACE_WORDS).replace("{claim}", text)
            steps.append(_decided(text, holds, lambda n: n >= 1, "scope-replaced", "n"))
        return f"{opening}\n\n{later}", steps
    text, holds = src.choice(_ANY_X if slips else [_ANY_X[1], _ANY_X[3]])
    return src.choice(_WISH_BESIDE).replace("{claim}", text), [_decided(text, holds, lambda x: True, "scope-wish", "x")]


PARTS = [_clause_part, _condition_part, _sum_bound_part, _scope_part]
# what each part is made of, for the per-kind counts of a test: kind prefixes
KINDS = ["clause-result", "clause-wish", "condition-where-blank", "condition-for-which", "condition-following",
         "condition-let", "condition-if-comma", "condition-such-that-display", "condition-such-that-later",
         "condition-some", "condition-after", "condition-introduced", "condition-restricted",
         "sum-bound", "scope-case", "scope-otherwise", "scope-restrict-wide", "scope-restrict", "scope-either",
         "scope-denied", "scope-apart", "scope-introduced", "scope-lifted", "scope-replaced", "scope-wish"]


def generate(src: Source, parts: int = 4, slips: bool = True) -> Material:
    """Notes of `parts` sections, each one part."""
    out, steps = ["# Notes"], []
    for number in range(1, parts + 1):
        text, found = src.choice(PARTS)(src, slips)
        out += [f"## {number} Exercise", text]
        steps += found
    return Material("\n\n".join(out) + "\n", steps)
