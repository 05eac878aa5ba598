"""What the prose of a section says a name is when it is not a real number ("let $a$ and $b$ be $2 \\times 2$
matrices", "for complex $z$", "$q \\in \\mathbb{H}$"), and whether it says \\sigma is some other function than the
logistic: the scalar reading, which checks steps over the reals, reads neither."""

from __future__ import annotations

import functools
import re
from typing import Optional

import sympy

from proofs.scan.normalise import Skip
from proofs.scan.shapes import bounds
from proofs.scan.vocabulary import COUNT_NOUNS, KIND_OF_LETTER, kind_words

__all__ = ["declared", "nonreal_in", "sigma_declared_otherwise"]

# What a name may be said to be that is not a real number (singular and plural; "complex" alone is an adjective).
# Not "function": course material calls a name a function and uses it as its value ("the loss function $L$").
_NOUN = (r"(?:column\s+|row\s+)?vectors?|matri(?:x|ces)|tensors?|complex(?:\s+(?:numbers?|scalars?|variables?|values?))?|"
         r"quaternions?|permutations?|operators?|sets?|linear\s+maps?|random\s+vectors?")
# A formula that is a name or a list of names: $a$, $a, b$, $\mathbf{x}$, $w_{ij}$.
_FORMULA = r"\$[^$]{1,80}\$"
_NAMES = rf"{_FORMULA}(?:\s*(?:,|,?\s*and\b|,?\s*or\b)\s*{_FORMULA})*+"
# Words between "be" and the noun ("a square", "two $2 \times 2$", "$n$-dimensional column"); not "of", "in", ...
_WORD = r"(?!(?:of|in|on|from|for|with|to|by|at|as|than|and|or|is|are|be)\b)(?:[A-Za-z-]+|\$[^$]{1,40}\$(?:-[A-Za-z]+)?)"
_AFTER = re.compile(rf"({_NAMES})\s+(?:is|are|be|being|denotes?|represents?|stands?\s+for)\s+"
                    rf"((?:{_WORD}\s+){{0,4}}?)({_NOUN})\b", re.IGNORECASE)
_BEFORE = re.compile(rf"\b({_NOUN})\s+({_NAMES})", re.IGNORECASE)
_SPACE = re.compile(r"\$([^$]{1,80}?)\\in\s*\\mathbb\s*\{?\s*([CRH])\s*\}?\s*(?:\^\s*(\{[^{}]*\}|\\?[A-Za-z0-9]+))?[^$]*\$")
_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathrm|mathit)\s*\{\s*([^{}]*)\}")
_NAME = re.compile(r"\s*(?:\\(?:hat|bar|tilde)\s*\{?\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\}?|\\[A-Za-z]+|[A-Za-z])"
                   r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?\s*")


def _names(formulas: str) -> list[sympy.Basic]:
    """The names a run of formulas lists ($a$ and $b$, $x, y$), as the scan reads them; not a formula of anything else."""
    out = []
    for formula in re.findall(r"\$([^$]*)\$", formulas):
        for item in _BOLD.sub(r"\1", formula).split(","):
            if not _NAME.fullmatch(item):
                continue
            atom = _atom(item.strip())
            if atom is not None:
                out.append(atom)
    return out


@functools.lru_cache(maxsize=512)
def _atom(text: str) -> Optional[sympy.Basic]:
    from proofs.scan.parse import parse

    try:
        e = parse(text)
    except Skip:
        return None
    return e if isinstance(e, (sympy.Symbol, sympy.Indexed)) else None


def declared(prose: str) -> dict:
    """{name (a sympy Symbol or Indexed): what the prose says it is} for each name the prose says is not a real
    number: a vector, a matrix, a complex number, a quaternion, a set, a function, ..."""
    out: dict = {}
    for m in _AFTER.finditer(prose):
        for name in _names(m.group(1)):
            out.setdefault(name, " ".join(m.group(3).split()).lower())
    for m in _BEFORE.finditer(prose):
        for name in _names(m.group(2)):
            out.setdefault(name, " ".join(m.group(1).split()).lower())
    for m in _SPACE.finditer(prose):
        field, power = m.group(2), (m.group(3) or "").strip("{} ")
        if field == "R" and power in ("", "1"):
            continue
        shown = {"C": "\\mathbb{C}", "H": "\\mathbb{H}", "R": "\\mathbb{R}"}[field] + (f"^{{{power}}}" if power else "")
        for name in _names(f"${m.group(1)}$"):
            out.setdefault(name, f"in {shown}")
    return out


def _outside(e: sympy.Basic) -> set:
    """The symbols of an expression that stand by themselves, and the entries with a number for an index."""
    if isinstance(e, sympy.Indexed):
        inner = {s for i in e.indices for s in _outside(i)}
        return inner | {e} if all(i.is_number for i in e.indices) else inner
    if isinstance(e, sympy.Symbol):
        return {e}
    return {s for a in e.args for s in _outside(a)}


def nonreal_in(exprs, names: dict) -> Optional[tuple]:
    """(name, what the prose says it is) for a name of the expressions its section says is not a real number, used
    as a whole (x, not its entry x_i), or None."""
    if not names:
        return None
    used = {a for e in exprs for a in _outside(e)}
    by_name = {str(k): v for k, v in names.items()}
    for a in sorted(used, key=str):
        if str(a) in by_name:
            return str(a), by_name[str(a)]
    return None


# A sentence that says what \sigma is: "let $\sigma$ be ...", "$\sigma$ denotes ...", "where $\sigma(\cdot)$ is ...".
_SIGMA = re.compile(r"\$\s*\\sigma\s*(?:\(\s*(?:\\cdot|[A-Za-z])\s*\))?\s*\$\s*(?:,\s*)?(?:is|be|being|denotes?|represents?|"
                    r"stands?\s+for|refers?\s+to|here\s+is)\b([^.;:]*)", re.IGNORECASE)
_LOGISTIC_WORDS = re.compile(r"\b(?:sigmoids?|logistic)\b", re.IGNORECASE)
# "for any activation $\sigma$", "an arbitrary differentiable function $\sigma$": \sigma named as a general function
_SIGMA_ANY = re.compile(r"\b(?:any|arbitrary|generic|general|every|some)\s+(?:[A-Za-z-]+\s+){0,2}?(?:activation|function|"
                        r"non-?linearity)s?(?:\s+functions?)?\s*\$\s*\\sigma\b", re.IGNORECASE)


def sigma_declared_otherwise(prose: str) -> bool:
    """Whether the prose says \\sigma is something other than the logistic function ("let $\\sigma$ be an arbitrary
    activation", "$\\sigma$ denotes the ReLU"): whatever it says that does not name the sigmoid or logistic function,
    or names it only to set it apart ("unlike the sigmoid", "not the sigmoid")."""
    if _SIGMA_ANY.search(prose):
        return True
    for m in _SIGMA.finditer(prose):
        words = m.group(1)
        logistic = _LOGISTIC_WORDS.search(words)
        if logistic is None or re.search(r"\b(?:not|unlike|instead\s+of|rather\s+than|other\s+than|than)\s+(?:the\s+|a\s+)?"
                                         r"(?:sigmoid|logistic)", words, re.IGNORECASE):
            return True
    return False


# What the prose says the base of a \log written without one is: "all logarithms are base 2", "base-10 logs",
# "\log denotes the natural logarithm", "we write $\log$ for $\log_2$", "measured in bits".
_BASE_AFTER = re.compile(r"(?:\blog(?:arithm)?s?\b|\\log(?![A-Za-z_]))[^.;]{0,60}?\b(?:in\s+)?base[- ]?\{?(2|10|e)\b", re.IGNORECASE)
_BASE_BEFORE = re.compile(r"\bbase[- ]?\{?(2|10|e)\}?\s+log(?:arithm)?s?\b", re.IGNORECASE)
_BASE_FOR = re.compile(r"\\log\s*\$?\s+(?:for|to\s+mean|denotes?|means?|is)\s+\$?\s*\\log_\{?\s*(2|10|e)\b")
_NATURAL = re.compile(r"(?:\blog(?:arithm)?s?\b|\\log(?![A-Za-z_]))[^.;]{0,40}?\bnatural\b|\bnatural\s+log(?:arithm)?s?\b[^.;]{0,30}"
                      r"(?:throughout|everywhere|always|written|denoted)|\bin\s+nats\b", re.IGNORECASE)
_BITS = re.compile(r"\bin\s+bits\b", re.IGNORECASE)


def log_base(prose: str) -> Optional[str]:
    """The base the prose gives a \\log written without one ("2", "10" or "e"), "several" when it gives more than one,
    or None when it gives none."""
    bases = {m.group(1).lower() for p in (_BASE_AFTER, _BASE_BEFORE, _BASE_FOR) for m in p.finditer(prose)}
    if _NATURAL.search(prose):
        bases.add("e")
    if any(_bits_of_bare_logs(prose, m) for m in _BITS.finditer(prose)):
        bases.add("2")
    if bases:  # "some logs are base 2, others base 10": every base the prose names, once it speaks of one
        bases |= {m.group(1) for m in re.finditer(r"\bbase[- ]?\{?(2|10)\b", prose, re.IGNORECASE)}
    if len(bases) > 1:
        return "several"
    return next(iter(bases), None)


_BARE_LOG = re.compile(r"\\log(?![A-Za-z])(?!\s*_)")
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(*\\])|\n\s*\n")
_BASED_LOG = re.compile(r"\\log\s*_|\\lg(?![A-Za-z])")


def _bits_of_bare_logs(prose: str, bits: re.Match) -> bool:
    """Whether "in bits" speaks of the \\log written without a base: not when its sentence writes each of its logs
    with one ("In bits, $-\\frac14\\log_2\\frac14 ...$": the base is printed, and a later \\log is still natural)."""
    start = max((m.end() for m in _SENTENCE.finditer(prose, 0, bits.start())), default=0)
    end = _SENTENCE.search(prose, bits.end())
    sentence = prose[start:end.start() if end else len(prose)]
    return not (_BASED_LOG.search(sentence) and not _BARE_LOG.search(sentence))


def in_base(side: str, base: Optional[str]) -> str:
    """A side with each \\log written without a base given the base its prose declares (\\log_{2}); \\ln stays natural."""
    if base in (None, "e", "several"):
        return side
    return _BARE_LOG.sub(lambda m: f"\\log_{{{base}}}", side)


def has_bare_log(side: str) -> bool:
    return _BARE_LOG.search(side) is not None


# "let $\pi$ be the probability ...", "$e$ denotes the error": \pi and e as names, not the constants.
_CONSTANT_NAMED = re.compile(r"(?:\blet\s+|\bwhere\s+|\bthe\s+(?:error|residual|probability|policy|proportion|prior|event|edge)"
                             r"\s+)?\$\s*(\\pi|e)\s*\$\s*(?:,\s*)?(?:(is|be|being|denotes?|represents?|stands?\s+for)\b([^.;]*))?",
                             re.IGNORECASE)
_CONSTANT_WORDS = re.compile(r"\b(?:constant|euler|napier|ratio|circle|circumference|3\.14|2\.71|base\s+of\s+the\s+natural)",
                             re.IGNORECASE)


def constants_named(prose: str) -> frozenset:
    """{"pi", "e"}: those of \\pi and e the prose introduces as names ("let $\\pi$ be a probability", "the error $e$"),
    which are then read as variables, not as the constants."""
    out = set()
    for m in _CONSTANT_NAMED.finditer(prose):
        introduced = m.group(0)[:1].lower() in ("l", "w", "t") and not m.group(0).startswith("$")
        if m.group(2) is None and not introduced:
            continue
        if _CONSTANT_WORDS.search(m.group(3) or ""):
            continue
        out.add("pi" if m.group(1) == "\\pi" else "e")
    return frozenset(out)


# A name the prose introduces again in words ("now let $f$ be the ReLU", "let $s$ denote the step size", "$g$ now
# denotes ..."), which replaces a formula the section gave it.
_AGAIN = re.compile(r"(?:\b(?:let|now|redefine|instead|henceforth|hereafter|on)\s+(?:let\s+)?\$\s*(\\?[A-Za-z]+)\s*\$\s*,?\s*"
                    r"(?:be|denotes?|stands?\s+for|is|now\s+be|now\s+denotes?)\b"
                    r"|\$\s*(\\?[A-Za-z]+)\s*\$\s*,?\s*(?:(?:now\s+)?(?:denotes?|stands?\s+for|refers?\s+to)|now\s+is|is\s+now)\b)"
                    r"([^.;]{0,60})", re.IGNORECASE)
_SAME = re.compile(r"^\s*(?:as\s+(?:above|before|defined|in)|defined\s+(?:above|before)|the\s+same|given|still)", re.IGNORECASE)


def introduced_again(sentence: str) -> list[str]:
    """The names a sentence introduces in words as something ("let $f$ be the ReLU"), not as what they were
    ("let $f$ be as above")."""
    return [m.group(1) or m.group(2) for m in _AGAIN.finditer(sentence) if not _SAME.match(m.group(3))]


# Names a sentence introduces with a condition ("Let $x, y$ be reals with", "Take real numbers $x, y$ such that",
# "Consider $n$ for which"): the condition holds for what follows, as "Let $n \ge 3$." does.
_INTRODUCED = (r"(?:let|take|consider|fix|pick|choose)\s+(?:(?:any|some|two|three|real|positive|numbers?|integers?|reals?|"
               r"an?|the)\s+){0,3}\$[^$]*\$\s+(?:(?:be|to\s+be)\s+(?:[A-Za-z-]+\s+){0,3})?"
               r"(?:such\s+that|with|where|for\s+which|satisfying)")
# Words that open a sentence stating an assumption for what follows ("assume $x > 0$.", "throughout, $a \neq b$").
_STANDING = re.compile(r"(?:^\s*|[.!?:]\s+|,?\s+and\s+|\n\s*\n\s*|(?:\(\w\)|(?<![\w(])[a-z]\)):?(?:\*\*|__)?:?\s*)"
                       r"(?:(?:next|now|then|finally|also|again|second(?:ly)?|third(?:ly)?)\s*,?\s*)?"
                       r"(?:(?:throughout|henceforth|in\s+what\s+follows|from\s+(?:now|here)\s+on)\s*,?\s*)?"
                       r"(?:we\s+(?:will\s+|shall\s+)?)?(?:(?:assume|suppose)(?:\s+(?:now|instead|throughout|"
                       r"henceforth|from\s+now\s+on|from\s+here\s+on))?|let|throughout|henceforth|from\s+(?:now|here)\s+on|"
                       r"in\s+what\s+follows|it\s+is\s+assumed|"
                       r"in\s+(?:this|the\s+following)\s+(?:part|section|exercise)|we\s+work\s+with|for\s+the\s+(?:rest|remainder)\b[^$]*?|"
                       r"(?:now\s+)?restrict(?:\s+(?:attention|ourselves))?\s+to|" + _INTRODUCED + ")"
                       r"(?:\s+that)?[\s,]*(?:\$[^$]*\$[\s,]*(?:and|,)?[\s,]*)*$", re.IGNORECASE)


def standing(words_before: str) -> bool:
    """Whether the words of its sentence before a condition make it an assumption for the rest of its section
    ("Assume $x > 0$.", "Throughout, $a > 0$ and $b > 0$."), not one for its own sentence only ("for $x > 0$, ...")."""
    words = re.sub(r"(?:\$\$|\$|\\\[|\\begin\{[A-Za-z*]+\})\s*$", "", words_before[-200:])
    return _STANDING.search(words) is not None


# "$p$ is a probability", "let $\hat y$ denote the predicted probability", "the probability $p$": 0 <= p <= 1.
_PROBABILITY = re.compile(rf"({_NAMES})\s+(?:is|are|be|denotes?|represents?)\s+(?:an?\s+|the\s+)?(?:(?:[A-Za-z-]+|\$[^$]*\$)\s+){{0,3}}?"
                          r"probabilit(?:y|ies)\b|\bprobabilit(?:y|ies)\s+(" + _NAMES + ")", re.IGNORECASE)
# "$x \in (0, 1)$", "$w \in [-1, 1]$": an interval with numbers for ends
_INTERVAL = re.compile(r"\$([^$]{1,60}?)\\in\s*(?:\\left\s*)?([(\[])\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*(?:\\right\s*)?([)\]])\s*\$")
# "$t$ is the number of steps", "$n$ denotes the sample size", "let $k$ count ...": a count (a whole number)
_COUNT = re.compile(rf"({_NAMES})\s+(?:(?:is|be|denotes?|represents?|counts?)\s+(?:the\s+|a\s+)?(?:[A-Za-z-]+\s+){{0,2}}?"
                    r"(?:number\s+of|count|size|length|index|dimension|degree)\b|" + COUNT_NOUNS + r"\b)", re.IGNORECASE)

# "a sequence of length $T$", "a batch of size $B$", "vectors with length $n$": a count
_OF_LENGTH = re.compile(r"\b(?:of|with)\s+(?:length|size)\s+(\$\s*\\?[A-Za-z]+\s*\$)", re.IGNORECASE)


# A name the material makes a whole number by a formula: "$n \in \mathbb{N}$", "$k \in \mathbb{Z}$", or the upper
# bound of a sum or a product (\sum_{t=1}^{T}): a count, which the search over fractions cannot honour.
_WHOLE = re.compile(r"\$\s*((?:\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?\s*,\s*)*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)\s*"
                    r"\\in\s*(?:\\mathbb\s*\{?\s*([NZ])\s*\}?|\\([NZ])(?![A-Za-z])|(ℕ|ℤ))"
                    r"(?:\s*([_^])\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s$]))?")
# "$n$ is an integer", "let $n$ be any integer", "$k$ is a natural number": a whole number, said in words
_INTEGER_LETTER = re.compile(rf"({_NAMES})\s+(?:is|are|be)\s+(?:now\s+)?(?:an?\s+|any\s+|some\s+)?"
                             r"(integers?|whole\s+numbers?|natural\s+numbers?)\b", re.IGNORECASE)
# A decoration of N or Z (Z^{+}, Z_{>0}, Z_{\ge 1}, N_0, N^{*}): the lower (or upper) bound it gives, (relation, number)
_DECORATION = re.compile(r"^(>|\\gt|<|\\lt|\\geq?(?:slant)?|≥|\\leq?(?:slant)?|≤)\s*(-?\d+)$")
_DIMENSIONS = re.compile(r"\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*(\{[^{}]*\}|[A-Za-z])")
_BETWEEN = re.compile(rf"({_NAMES})\s+(?:(?:lies|is|are|be|lie)\s+)?(?:strictly\s+)?between\s+\$?\s*(-?\d+(?:\.\d+)?)\s*\$?\s+and\s+"
                      r"\$?\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)


# "Let $x$ be positive.", "Assume that $a$ and $b$ are positive numbers.", "Suppose $w$ is nonzero.": a sign the prose
# gives names in a sentence of its own, which holds for its section (not "if $x$ is positive, ...", a condition).
_SIGNED = re.compile(rf"(?:^|[.!?:]\s+|\n\s*\n\s*|\(\w\)\s*)(?:we\s+)?(?:let|assume|suppose)(?:\s+that)?\s+({_NAMES})\s+"
                     r"(?:is|are|be)\s+(?:a\s+|an\s+)?(?:strictly\s+)?(positive|negative|non-?negative|non-?positive|non-?zero)"
                     r"(?:\s+(?:real\s+)?(?:numbers?|reals?|values?|scalars?)|\s+(integers?|whole\s+numbers?|natural\s+numbers?))?"
                     r"\s*[.;]", re.IGNORECASE)
_SIGNS = {"positive": (">", 0), "negative": ("<", 0), "nonnegative": (">=", 0), "nonpositive": ("<=", 0), "nonzero": ("!=", 0)}


def _decoration(natural: bool, mark: Optional[str], text: Optional[str]):
    """What a decoration of N or Z says of its members: () for none (a count for N, any integer for Z), (relation,
    number) for a bound it gives (Z^{+}, Z_{>0}, Z_{\\ge 1}, N^{*}: at least 1; N_0, Z_{\\ge 0}: at least 0; Z^{-}: at
    most -1), or None for one not understood (Z^{*}, Z_{2}, Z^n)."""
    if mark is None:
        return ()
    body = text[1:-1].strip() if text.startswith("{") else text
    if body in ("+", "*") and (natural or body == "+"):
        return (">=", 1)
    if body == "-" and not natural:
        return ("<=", -1)
    if body == "0" and natural and mark == "_":
        return (">=", 0)
    m = _DECORATION.match(body)
    if m is None:
        return None
    relation, number = m.group(1), int(m.group(2))
    if relation in (">", "\\gt"):
        return (">=", number + 1)
    if relation in ("<", "\\lt"):
        return ("<=", number - 1)
    return (">=", number) if relation.startswith(("\\ge", "≥")) else ("<=", number)


def _members(names: list, natural: bool, mark: Optional[str], text: Optional[str], written: str, where: str,
             read: list, unread: list) -> None:
    """What "names in N or Z (decorated by mark and text)" says, appended to `read` ((name, relation, number)) and
    `unread` ((name, what)): a bound a decoration gives is read, a whole number is not (the search is over fractions)."""
    bound = _decoration(natural, mark, text)
    for name in names:
        if bound is None:  # a decoration not understood: nothing is read, and a refutation needs review
            unread.append((name, f"{name} is in {written} (a set the scan does not read), {where} says"))
        elif bound == ():
            unread.append((name, f"{name} is a count (a whole number), {where} says" if natural else
                           f"{name} is an integer, {where} says"))
        else:
            relation, number = bound
            read.append((name, relation, sympy.Integer(number)))
            unread.append((name, f"{name} is an integer {'at least' if relation == '>=' else 'at most'} {number}, "
                                 f"{where} says"))


# N or Z, decorated or not, as the right side of a condition "n \in \mathbb{N}"
_SET = re.compile(r"\s*(?:\\mathbb\s*\{?\s*([NZ])\s*\}?|\\([NZ])(?![A-Za-z])|(ℕ|ℤ))"
                  r"(?:\s*([_^])\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s$]))?\s*")


def whole_numbers(left: str, right: str) -> Optional[tuple[list, list]]:
    """A condition "left \\in right" of a sentence with N or Z (decorated or not) on the right: ([(name, relation,
    number)], [what the scan does not read]) of the names on the left, as a section's "$n \\in \\mathbb{N}$" is read
    (see domains); None for any other set."""
    m = _SET.fullmatch(right)
    names = _names(f"${left}$")
    if m is None or not names:
        return None
    read: list = []
    unread: list = []
    _members(names, (m.group(1) or m.group(2) or m.group(3)) in ("N", "ℕ"), m.group(4), m.group(5), right.strip(),
             "its sentence", read, unread)
    return read, [what for _, what in unread]


def domains(prose: str) -> tuple[list, list]:
    """What the prose says about the values of names: ([(name, relation, number)], [(name, what)]), the first read
    (a probability is between 0 and 1, an interval with numbers for ends), the second not (a count is a whole
    number, a name is odd or a power of 3: the search over fractions cannot honour it)."""
    read, unread = [], []
    for m in _PROBABILITY.finditer(prose):
        for name in _names(m.group(1) or m.group(2)):
            read += [(name, ">=", 0), (name, "<=", 1)]
    for m in _INTERVAL.finditer(prose):
        lo, hi = sympy.Rational(m.group(3)), sympy.Rational(m.group(4))
        for name in _names(f"${m.group(1)}$"):
            read += [(name, ">" if m.group(2) == "(" else ">=", lo), (name, "<" if m.group(5) == ")" else "<=", hi)]
    for m in _SIGNED.finditer(prose):
        relation, bound = _SIGNS[m.group(2).lower().replace("-", "")]
        for name in _names(m.group(1)):
            read.append((name, relation, sympy.Integer(bound)))
            if m.group(3):  # "a positive integer": a whole number too, which the search over fractions cannot honour
                whole = {">": ("at least", 1), ">=": ("at least", 0), "<": ("at most", -1), "<=": ("at most", 0)}.get(relation)
                unread.append((name, f"{name} is an integer {whole[0]} {whole[1]}, its section says" if whole else
                               f"{name} is an integer, its section says"))
    for m in _BETWEEN.finditer(prose):  # ends in or out: not read
        for name in _names(m.group(1)):
            unread.append((name, f"{name} lies between {m.group(2)} and {m.group(3)}, its section says"))
    for m in (*_COUNT.finditer(prose), *_OF_LENGTH.finditer(prose)):
        for name in _names(m.group(1)):
            unread.append((name, f"{name} is a count (a whole number), its section says"))
    for m in KIND_OF_LETTER.finditer(prose):  # "Let $n$ be odd.", "$m$ is a power of 3": the matrix reading's words
        for name in _names(f"${m.group('letter') or m.group('described')}$"):
            unread.append((name, f"{name} is {kind_words(m.group('kind') or m.group('adjective'))}, its section says"))
    for m in _INTEGER_LETTER.finditer(prose):  # "let $n$ be any integer", "$k$ is a natural number"
        natural = m.group(2).lower().startswith("natural")
        for name in _names(m.group(1)):
            unread.append((name, f"{name} is an integer at least 0, its section says" if natural else
                           f"{name} is an integer, its section says"))
    for m in _WHOLE.finditer(prose):
        natural = (m.group(2) or m.group(3) or m.group(4)) in ("N", "ℕ")
        written = m.group(0)[m.group(0).index("\\in") + 3:].strip()
        _members(_names(f"${m.group(1)}$"), natural, m.group(5), m.group(6), written, "its section", read, unread)
    for formula in re.findall(r"\$\$?([^$]+)\$\$?", prose):
        for letter in sorted(bounds(formula)):
            for name in _names(f"${letter}$"):
                unread.append((name, f"{name} is a count (a whole number: the bound of a sum), its section says"))
        for m in _DIMENSIONS.finditer(formula):  # R^{n \times d}: each letter a dimension
            for letter in re.findall(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])", m.group(1)):
                for name in _names(f"${letter}$"):
                    unread.append((name, f"{name} is a count (a whole number: a dimension), its section says"))
    return read, unread
