"""Generated statements over matrices of symbolic size, with their truth known without the engine.

Each case is a small word of matrices (plain tuples) turned into a `@forall` claim through the public API. Its truth is
fixed when it is built: an identity made by a valid rewrite (transpose of a product, Qᵀ Q = I, D D = D for a 0/1
diagonal, the chain rule's order) or a theorem (submultiplicativity, orthogonal invariance) is true; a planted change is
false only once numpy, in floating point with random Gaussian matrices and a wide margin, finds where it fails. Nothing
here uses sympy, z3 or the engine's exact evaluator.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from proofs import (ColumnVector, Diagonal, Lemma, MatrixSequence, Nat, Orthogonal, SquareMatrix, ZeroOneDiagonal, backward, forall,
                    given, mprod, norm)

ROLES = {"A": SquareMatrix, "B": SquareMatrix, "Q": Orthogonal, "E": ZeroOneDiagonal}
LEMMAS = tuple(Lemma(name, name.replace("_", " ")) for name in (
    "operator_norm_matrix_vector", "operator_norm_submultiplicative", "operator_norm_orthogonal", "operator_norm_transpose",
    "operator_norm_diagonal"))


# --- numpy values -----------------------------------------------------------------------------------------------------

def _sample(rng: np.random.Generator, role: str, n: int) -> np.ndarray:
    if role == "Q":
        q, r = np.linalg.qr(rng.standard_normal((n, n)))
        return q * np.sign(np.diag(r))
    if role == "E":
        return np.diag(rng.integers(0, 2, n).astype(float))
    if role == "D":
        return np.diag(rng.standard_normal(n))
    if role == "v":
        return rng.standard_normal((n, 1))
    return rng.standard_normal((n, n))


def _word_value(word: tuple, env: dict) -> np.ndarray:
    """A word: ("sym", name) ("T", w) ("mul", w1, w2, ...)."""
    if word[0] == "sym":
        return env[word[1]]
    if word[0] == "T":
        return _word_value(word[1], env).T
    out = _word_value(word[1], env)
    for w in word[2:]:
        out = out @ _word_value(w, env)
    return out


def _word_term(word: tuple, env: dict):
    if word[0] == "sym":
        return env[word[1]]
    if word[0] == "T":
        return _word_term(word[1], env).T
    out = _word_term(word[1], env)
    for w in word[2:]:
        out = out @ _word_term(w, env)
    return out


def _numeric_fails(check, draws: int = 30) -> bool:
    """Whether numpy finds a point where `check(env) -> (lhs, rhs, relation)` clearly fails, at n = 1..4."""
    rng = np.random.default_rng(12345)
    for n in (1, 2, 3, 4):
        for _ in range(draws):
            env = {name: _sample(rng, name if name in "QEDv" else "A", n) for name in ("A", "B", "Q", "E", "v")}
            lhs, rhs, op = check(env, n, rng)
            if op == "eq" and not np.allclose(lhs, rhs, atol=1e-6):
                return True
            if op == "le" and lhs > rhs + 1e-6 * (1 + abs(rhs)):
                return True
    return False


class Seeded:
    """The generators' draws from a seeded random source (a fixed case without Hypothesis)."""

    def __init__(self, seed):
        import random

        self.rng = random.Random(seed)

    def int(self, lo, hi):
        return self.rng.randint(lo, hi)

    def pick(self, seq):
        return self.rng.choice(list(seq))


# --- cases ----------------------------------------------------------------------------------------------------------

class SizedCase:
    """One generated statement: build() gives the claim; truth as fixed here."""

    kind = "sized"
    quantifier = "forall"

    def __init__(self, name: str, text: str, build, truth: bool) -> None:
        self.name, self.text, self.build, self.truth = name, text, build, truth
        self.witness = None

    def claim(self):
        return self.build()


def _word(draw, length: int) -> tuple:
    atoms = [("sym", "A"), ("sym", "B"), ("sym", "Q"), ("sym", "E"), ("T", ("sym", "A")), ("T", ("sym", "Q"))]
    return ("mul", *(draw.pick(atoms) for _ in range(length)))


def _transpose_of(word: tuple) -> tuple:
    """The transpose of a product, rewritten by (X Y)ᵀ = Yᵀ Xᵀ and (Xᵀ)ᵀ = X."""
    factors = [f[1] if f[0] == "T" else ("T", f) for f in reversed(word[1:])]
    return ("mul", *factors)


def _identity(draw, name: str) -> SizedCase:
    word = _word(draw, draw.int(2, 4))
    shape = draw.int(0, 3)
    if shape == 0:  # (X Y ...)ᵀ against the reversed transposes, or the same factors not reversed (a planted error)
        rhs = _transpose_of(word) if draw.int(0, 1) else ("mul", *(("T", f) if f[0] == "sym" else f[1] for f in word[1:]))
        lhs = ("T", word)
    elif shape == 1:  # Qᵀ Q or Q Qᵀ inserted (true), or Q Q (planted)
        at = draw.int(1, len(word) - 1)
        pair = draw.pick(((("T", ("sym", "Q")), ("sym", "Q")), (("sym", "Q"), ("T", ("sym", "Q"))), (("sym", "Q"), ("sym", "Q"))))
        lhs, rhs = ("mul", *word[1:at], *pair, *word[at:]), word
    elif shape == 2:  # E E = E and Eᵀ = E (true), or E = Aᵀ... a factor swapped (planted)
        at = draw.int(1, len(word) - 1)
        extra = draw.pick((("sym", "E"), ("T", ("sym", "E")), ("sym", "A")))
        lhs, rhs = ("mul", *word[1:at], ("sym", "E"), extra, *word[at:]), ("mul", *word[1:at], ("sym", "E"), *word[at:])
    else:  # two factors swapped: true only when they are equal
        factors = list(word[1:])
        i = draw.int(0, len(factors) - 2)
        factors[i], factors[i + 1] = factors[i + 1], factors[i]
        lhs, rhs = word, ("mul", *factors)
    fails = _numeric_fails(lambda env, n, rng: (_word_value(lhs, env), _word_value(rhs, env), "eq"))

    def build():
        def body(A: SquareMatrix, B: SquareMatrix, Q: Orthogonal, E: ZeroOneDiagonal):
            env = {"A": A, "B": B, "Q": Q, "E": E}
            return _word_term(lhs, env) == _word_term(rhs, env)
        return forall(f"oracle.ex5.a.{name}", "generated identity of symbolic size")(body)
    return SizedCase(name, f"{lhs} = {rhs}", build, not fails)


_STEPS = {"DW": lambda W, D: D @ W, "WD": lambda W, D: W @ D, "DWt": lambda W, D: D @ W.T, "WtD": lambda W, D: W.T @ D,
          "W": lambda W, D: W, "Wt": lambda W, D: W.T}


def _chain(draw, name: str) -> SizedCase:
    """∂l/∂h_t by the chain rule against a product of index-ordered factors, as a column or as a transposed row."""
    jac, factor, row = draw.pick(sorted(_STEPS)), draw.pick(sorted(_STEPS)), draw.int(0, 1) == 1

    def numeric(W, D, g, t, T):
        grad = g
        for k in range(T - 1, t - 1, -1):
            grad = _STEPS[jac](W[k], D[k + 1]).T @ grad
        prod = np.eye(len(g))
        for k in range(t, T):
            prod = prod @ _STEPS[factor](W[k], D[k + 1])
        return grad, ((g.T @ prod).T if row else prod @ g)

    def check(env, n, rng):
        W = [_sample(rng, "A", n) for _ in range(5)]
        D = [_sample(rng, "D", n) for _ in range(6)]
        T = int(rng.integers(0, 4))
        lhs, rhs = numeric(W, D, env["v"], 0, T)
        return lhs, rhs, "eq"
    fails = _numeric_fails(check, draws=10)

    def build():
        def body(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector):
            grad = backward(g, lambda k: _STEPS[jac](W[k], D[k + 1]), t, T)
            P = mprod(lambda k: _STEPS[factor](W[k], D[k + 1]), t, T - 1)
            return given(t <= T, grad == ((g.T @ P).T if row else P @ g))
        return forall(f"oracle.ex5.a.{name}", "generated chain rule of symbolic length")(body)
    return SizedCase(name, f"J = {jac}, factor = {factor}, row = {row}", build, not fails)


def _norm(draw, name: str) -> SizedCase:
    """‖X v‖ ≤ c ∏ ‖F_i‖ ‖v‖ (true for c ≥ 1: submultiplicativity) or ‖c Q X‖ = ‖X‖ (true for c = ±1)."""
    word = _word(draw, draw.int(1, 3))
    c = draw.pick((Fraction(1), Fraction(2), Fraction(1, 2), Fraction(-1)))
    if draw.int(0, 1):
        def check(env, n, rng):
            bound = float(abs(c)) * np.prod([np.linalg.norm(_word_value(f, env), 2) for f in word[1:]]) * np.linalg.norm(env["v"])
            return np.linalg.norm(_word_value(word, env) @ env["v"]), bound, "le"
        truth = abs(c) >= 1

        def body(A: SquareMatrix, B: SquareMatrix, Q: Orthogonal, E: ZeroOneDiagonal, v: ColumnVector):
            env = {"A": A, "B": B, "Q": Q, "E": E}
            bound = norm(v)
            for f in word[1:]:
                bound = norm(_word_term(f, env)) * bound
            return norm(_word_term(word, env) @ v) <= abs(c) * bound
    else:
        def check(env, n, rng):
            X = _word_value(word, env)
            return np.linalg.norm(float(c) * env["Q"] @ X, 2), np.linalg.norm(X, 2), "eq"
        truth = abs(c) == 1

        def body(A: SquareMatrix, B: SquareMatrix, Q: Orthogonal, E: ZeroOneDiagonal):
            env = {"A": A, "B": B, "Q": Q, "E": E}
            return norm(c * Q @ _word_term(word, env)) == norm(_word_term(word, env))
    if not truth and not _numeric_fails(check):
        return None  # a planted change numpy cannot show false: its truth is not settled here
    if truth and _numeric_fails(check):
        raise AssertionError(f"a theorem fails numerically: {word}, c = {c}")

    def build():
        return forall(f"oracle.ex5.b.{name}", "generated norm bound of symbolic size", trusts=LEMMAS)(body)
    return SizedCase(name, f"{word}, c = {c}", build, truth)


def _premised(draw, name: str) -> SizedCase:
    """A norm relation under a matrix premise on the 0/1 diagonal E: given(E != 0, ‖X‖ = c) with X a word of E between
    orthogonal factors (true exactly for c = 1: ‖E‖ is its largest entry), given(E == 0, ‖X‖ = 0) with X any word
    holding E (true), or either relation with its premise dropped or turned around (false once numpy shows it)."""
    pick = draw.int(0, 2)
    middle = ("mul", *draw.pick(((("sym", "E"),), (("sym", "Q"), ("sym", "E")), (("sym", "E"), ("T", ("sym", "Q"))),
                                 (("sym", "Q"), ("sym", "E"), ("T", ("sym", "Q"))), (("sym", "E"), ("sym", "E")))))
    if pick == 2:
        middle = ("mul", *draw.pick(((("sym", "A"), ("sym", "E")), (("sym", "E"), ("sym", "B"), ("sym", "Q")))))
    premise = draw.pick(("ne", "eq", None))
    c = Fraction(0) if pick == 2 else draw.pick((Fraction(1), Fraction(1), Fraction(1, 2), Fraction(2)))

    def holds(env) -> bool:
        zero = not np.any(env["E"])
        return premise is None or (premise == "ne") != zero

    def check(env, n, rng):
        if not holds(env):
            return 0.0, 0.0, "eq"
        return np.linalg.norm(_word_value(middle, env), 2), float(c), "eq"
    # a theorem: ‖Q E Qᵀ‖ = ‖E‖ = max entry, 1 when E ≠ 0; and a product holding E = 0 is 0
    truth = (premise == "ne" and c == 1 and pick != 2) or (premise == "eq" and c == 0)
    if not truth and not _numeric_fails(check):
        return None
    if truth and _numeric_fails(check):
        raise AssertionError(f"a theorem fails numerically: {middle}, premise {premise}, c = {c}")

    def body(A: SquareMatrix, B: SquareMatrix, Q: Orthogonal, E: ZeroOneDiagonal):
        stated = norm(_word_term(middle, {"A": A, "B": B, "Q": Q, "E": E})) == c
        return stated if premise is None else given(E != 0 if premise == "ne" else E == 0, stated)

    def build():
        return forall(f"oracle.ex5.d.{name}", "generated norm relation under a matrix premise", trusts=LEMMAS)(body)
    return SizedCase(name, f"{premise}: ‖{middle}‖ = {c}", build, truth)


def _killed(draw, name: str) -> SizedCase:
    """A chain of symbolic length under several premises, one on a single member of a sequence: given(t <= k, k < T,
    X[m] == 0, chain == 0) with the chain ∂l/∂h_t (backward) or ∏ F(W_j, D_{j+1}) g, and X[m] the factor's D_{k+1} or
    W_k. True exactly when the premise is == 0, the zeroed member is a factor of the chain at j = k (k < T, and D in
    the step) and the right side is 0; a premise turned into != 0, k <= T, a step without D, or the right side g make
    it false once numpy shows it."""
    form, step = draw.pick(("backward", "column")), draw.pick(sorted(_STEPS))
    member, op, upper, rhs = draw.pick(("D", "W")), draw.pick(("eq", "eq", "ne")), draw.pick(("lt", "lt", "le")), \
        draw.pick(("0", "0", "g"))
    holds_d = step not in ("W", "Wt")
    truth = op == "eq" and upper == "lt" and rhs == "0" and (member == "W" or holds_d)

    def chain(W, D, g, t, T):
        if form == "backward":
            grad = g
            for j in range(T - 1, t - 1, -1):
                grad = _STEPS[step](W[j], D[j + 1]).T @ grad
            return grad
        prod = np.eye(len(g))
        for j in range(t, T):
            prod = prod @ _STEPS[step](W[j], D[j + 1])
        return prod @ g

    def check(env, n, rng):
        T = int(rng.integers(0, 5))
        k = int(rng.integers(0, T + (1 if upper == "le" else 0))) if T + (upper == "le") > 0 else None
        if k is None:
            return 0.0, 0.0, "eq"  # no k with k < T: the premises are false
        t = int(rng.integers(0, k + 1))
        W = [_sample(rng, "A", n) for _ in range(7)]
        D = [_sample(rng, "E", n) for _ in range(7)]
        seq = W if member == "W" else D
        at = k if member == "W" else k + 1
        if op == "eq":
            seq[at] = np.zeros((n, n))
        elif not np.any(seq[at]):
            return 0.0, 0.0, "eq"  # the premise != 0 is false here
        lhs = chain(W, D, env["v"], t, T)
        return lhs, (np.zeros_like(lhs) if rhs == "0" else env["v"]), "eq"
    fails = _numeric_fails(check, draws=12)
    if not truth and not fails:
        return None
    if truth and fails:
        raise AssertionError(f"a theorem fails numerically: {form} {step}, {member} {op} 0, k {upper} T, rhs {rhs}")

    def build():
        def body(t: Nat, k: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(ZeroOneDiagonal), g: ColumnVector):
            if form == "backward":
                lhs = backward(g, lambda j: _STEPS[step](W[j], D[j + 1]), t, T)
            else:
                lhs = mprod(lambda j: _STEPS[step](W[j], D[j + 1]), t, T - 1) @ g
            zeroed = W[k] if member == "W" else D[k + 1]
            return given(t <= k, k < T if upper == "lt" else k <= T, zeroed == 0 if op == "eq" else zeroed != 0,
                         lhs == (0 if rhs == "0" else g))
        return forall(f"oracle.ex5.d.{name}", "generated chain under several premises")(body)
    return SizedCase(name, f"{form} {step}: {member} {op} 0, k {upper} T, = {rhs}", build, truth)


def _chain_guard(draw, name: str) -> SizedCase:
    """The chain rule's identity (g back through W_k from T to t equals ∏ W_kᵀ g) under a premise on t and T: t <= T or
    t < T keep t at most T (true); no premise, or t <= T + 1, let t pass T, where backward(...) has no value (false)."""
    guard = draw.pick(("le", "lt", "none", "one_past"))

    def build():
        def body(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), g: ColumnVector):
            rel = backward(g, lambda k: W[k], t, T) == mprod(lambda k: W[k].T, t, T - 1) @ g
            premise = {"le": lambda: t <= T, "lt": lambda: t < T, "one_past": lambda: t <= T + 1,
                       "none": lambda: None}[guard]()
            return rel if premise is None else given(premise, rel)
        return forall(f"oracle.ex5.e.{name}", "generated chain rule under a premise on its steps")(body)
    return SizedCase(name, f"chain rule, premise {guard}", build, guard in ("le", "lt"))


def generate(draw, name: str):
    """One case: an identity, a chain rule of symbolic length, a norm relation, one under a matrix premise, a chain
    under several premises, the chain rule under a premise on its steps (None where nothing is settled), or a statement
    over vectors of two independent sizes (tests/oracle_shaped.py)."""
    import oracle_shaped

    return (_identity, _chain, _norm, _premised, _killed, _chain_guard, oracle_shaped.generate)[draw.int(0, 6)](draw, name)
