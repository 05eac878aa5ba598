"""The scan's vocabulary: the names and commands it reads, and those it does not, with the reason shown."""

from __future__ import annotations

import re

import sympy

__all__ = ["GREEK", "LOGISTIC", "FUNCTIONS", "UNREAD", "WORDS", "FUNCTION_LETTERS", "FUNCTION_NAMES", "SIGMOID", "MAX_EXPONENT",
           "MAX_DIGITS", "COUNT_NOUNS", "LENGTH_NOUNS", "SUM_BOUND", "INTEGER_KINDS", "KIND_OF_LETTER",
           "kind_words"]

# The nouns that count things ("$K$ classes", "$n$ is the number of samples"), one list for both readings: a count (a
# whole number) the prose states, and (all but layers) a length it gives the vectors its sentence writes entries of
# ("$T$ hidden layers ... $h_t$": the layers are counted, not the entries of h).
_NOUNS = (r"classes categories labels samples examples data\s+points points observations words tokens time\s*steps "
          r"steps features dimensions entries terms items documents units neurons inputs outputs trials episodes "
          r"iterations epochs rounds").split()
COUNT_NOUNS = "(?:" + "|".join(_NOUNS + ["layers"]) + ")"
LENGTH_NOUNS = "(?:" + "|".join(_NOUNS) + ")"
# The kinds of whole number the scan does not read ("odd", "prime", "a power of 2", "divisible by 4", "a perfect
# square"), one list for both readings: a condition the scalar search over fractions cannot honour (proofs.scan.steps,
# proofs.scan.kinds) and a size the matrix instances may not honour (proofs.scan.matrix_steps).
INTEGER_KINDS = (r"odd", r"even", r"primes?", r"powers?\s+of", r"multiples?\s+of", r"divisible(?:\s+by)?",
                 r"perfect\s+squares?", r"square\s+numbers?")
# A letter said to be a whole number of such a kind: after it ("$n$ is odd", "$d$ is a power of two", "let $m$ be a
# multiple of 3") or, for an adjective, before it ("for even $n$", "prime $p$").
KIND_OF_LETTER = re.compile(r"\$\s*(?P<letter>[A-Za-z])\s*\$\s+(?:is|be|are)\s+(?:an?\s+)?(?P<kind>"
                            + "|".join(INTEGER_KINDS) + r")(?!\w)"
                            r"|\b(?P<adjective>odd|even|primes?)\s+\$\s*(?P<described>[A-Za-z])\s*\$", re.IGNORECASE)


def kind_words(words: str) -> str:
    """The words of a kind as a reason shows them ("odd", "power of something", "divisible by something")."""
    words = " ".join(words.lower().split())
    return f"{words} something" if words.endswith((" of", " by")) else words


# The bound of a sum or a product that is one letter: \sum_{i=1}^{N}, \prod_{k=1}^K (a size, a whole number).
SUM_BOUND = re.compile(r"\\(?:sum|prod)\s*_\s*\{[^{}]*\}\s*\^\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))")
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho varrho sigma tau "
    "upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega ell".split())  # with \\ell
# functions the parser knows by their command: one argument each
FUNCTIONS = {"exp": sympy.exp, "log": sympy.log, "tanh": sympy.tanh, "sinh": sympy.sinh, "cosh": sympy.cosh,
              "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan}
# commands that mean notation the scan does not read, with the reason shown
UNREAD = {
    "|": "norm notation (\\|...\\|)", "mathbf": "bold (vector or matrix) notation", "boldsymbol": "bold (vector or matrix) notation",
    "bm": "bold (vector or matrix) notation", "vec": "vector notation", "text": "prose inside math (\\text{...})",
    "textbf": "prose inside math (\\textbf{...})", "mbox": "prose inside math (\\mbox{...})", "mathrm": "a named operator (\\mathrm{...})",
    "operatorname": "a named operator (\\operatorname{...})", "dots": "an ellipsis", "ldots": "an ellipsis", "cdots": "an ellipsis",
    "vdots": "an ellipsis", "{": "set notation (\\{...\\})", "begin": "an environment (cases or a matrix)", "infty": "infinity",
    "nabla": "a gradient (\\nabla)", "langle": "inner product notation", "partial": "a partial derivative outside \\frac",
    "pm": "a ± sign", "mp": "a ∓ sign", "in": "set membership", "mid": "conditional notation (\\mid)", "arg": "argmax/argmin",
    "otimes": "a tensor or outer product", "odot": "an elementwise product", "circ": "a composition", "star": "a convolution",
    "ast": "a convolution", "int": "an integral", "lim": "a limit", "det": "a determinant", "mathcal": "calligraphic names",
    "mathbb": "blackboard names", "cup": "set notation", "cap": "set notation", "setminus": "set notation", "emptyset": "set notation",
    "forall": "a quantifier", "exists": "a quantifier", "neg": "logic", "wedge": "logic", "vee": "logic",
}
# words a formula may spell without a backslash; read as products of letters they would be guessed
WORDS = {"max", "min", "exp", "log", "sin", "cos", "tan", "arg", "det", "diag", "tr", "ln", "sgn", "sign", "softmax", "var",
         "cov", "std", "mse", "relu", "loss", "err", "acc"}
# Greek letters that, before a parenthesis, name a function (phi(z)); any other letter multiplies (beta(u + g))
FUNCTION_LETTERS = frozenset({"sigma", "phi", "varphi", "Phi", "psi", "Psi", "rho", "chi", "ell"})
# Latin letters that, before a parenthesis, name a function (f(x), p(x), L(w)); any other letter multiplies (2wx(b - t))
FUNCTION_NAMES = frozenset("fghpqFGHPQLJE")
# Words that make an undefined \sigma the logistic function, in the scalar and the matrix reading alike: elsewhere
# \sigma may be any activation ("h = \sigma(W x) for an activation function \sigma").
LOGISTIC = re.compile(r"\b(?:sigmoids?|logistic)\b", re.IGNORECASE)
# The logistic function, as the scan reads \sigma(z) when the material does not define sigma itself.
_Z = sympy.Symbol("z", real=True)
SIGMOID = ((_Z,), 1 / (1 + sympy.exp(-_Z)))


# Numeric powers are evaluated only up to these sizes (2^{10^{10}} would take the machine's memory).
MAX_EXPONENT = 10_000
MAX_DIGITS = 100_000
