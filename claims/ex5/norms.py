"""Exercise 5 (b): the gradient's norm and its bound, with the operator-norm lemmas they trust."""

from __future__ import annotations

from fractions import Fraction

import sympy
from proofs.claims.ex5.gradient import ASSUMPTIONS, STATED, gradient, gradient_product_corrected
from proofs.claims.sheet import cites
from proofs.claims.witness import listof, rational, read
from proofs import (
    ColumnVector, Correction, Diagonal, ForgedWitness, Lemma, MatrixSequence, Nat, Outcome, Perturbation, Replay, SquareMatrix, Verdict,
    claim, forall, given, matrices, norm, nprod, sample, sampled,
)


# The operator 2-norm, as the statements this module records print it.
NORM = sympy.Function("norm", real=True, nonnegative=True)


# Lemmas the bounds trust, sampled


def cayley_orthogonal(S, scale=Fraction(1)):
    """An exactly orthogonal rational matrix, (I - S)(I + S)^-1 for skew-symmetric S, times `scale`."""
    try:
        return matrices.cayley(S, scale)
    except ValueError as exc:
        raise ForgedWitness(str(exc)) from None


_LEMMA_FIELDS = {"matrix_vector": ("A", "v"), "transpose": ("A",), "orthogonal": ("A", "B")}


def _lemma_holds(lemma, factor, s) -> tuple[bool, dict]:
    """The lemma at one sample, decided exactly, with what each side evaluated to."""
    if set(s) != set(_LEMMA_FIELDS[lemma]):
        raise ForgedWitness(f"a {lemma} sample has fields {sorted(_LEMMA_FIELDS[lemma])}")
    A, B, v = s["A"], s.get("B"), s.get("v")
    c2 = Fraction(factor) ** 2
    if lemma == "matrix_vector":
        lhs, vv = matrices.vec_sq(matrices.matvec(A, v)), matrices.vec_sq(v)
        ok = lhs == 0 or (vv > 0 and matrices.norm_sq_at_least(A, lhs / (c2 * vv)))
        return ok, {"||Av||^2": lhs, "c^2 ||v||^2": c2 * vv, "||A||^2 >= ||Av||^2 / (c^2 ||v||^2)": ok}
    if lemma == "transpose":
        # A A^T and c^2 A^T A have the same characteristic polynomial iff the traces of their powers agree
        left = matrices.trace_powers(matrices.gram(matrices.transpose(A)), len(A))
        right = matrices.trace_powers([[c2 * x for x in row] for row in matrices.gram(A)], len(A))
        return left == right, {"tr((A A^T)^k)": left, "tr((c^2 A^T A)^k)": right}
    Q = cayley_orthogonal(A, factor)
    left, right = matrices.gram(matrices.matmul(Q, B)), matrices.gram(B)
    return left == right, {"Q (Cayley transform of A)": Q, "(QB)^T (QB)": left, "B^T B": right}


def _replay_lemma(witness, *, lemma, factor, **_):
    matrix, vector = listof(listof(rational()), nonempty=True), listof(rational(), nonempty=True)
    sample_ = read(witness, **{k: vector if k == "v" else matrix for k in _LEMMA_FIELDS[lemma]})
    n = len(sample_["A"])
    if any(len(v) != n or any(isinstance(row, list) and len(row) != n for row in v) for v in sample_.values()):
        raise ForgedWitness(f"a {lemma} sample holds square matrices and vectors of one size")
    ok, sides = _lemma_holds(lemma, factor, sample_)
    return Replay(ok, sides)


# The lemmas are sampled on this many random matrices of these sizes, from this seed.
LEMMA_SAMPLES, LEMMA_SIZES, LEMMA_SEED = 120, (2, 3), 11


def _lemma_statement(lemma, factor):
    """What one sample of the lemma decides, over a sample's n x n matrices (n its size)."""
    n = sympy.Symbol("n", integer=True, positive=True)
    A, B, v = sympy.MatrixSymbol("A", n, n), sympy.MatrixSymbol("B", n, n), sympy.MatrixSymbol("v", n, 1)
    c = sympy.Rational(Fraction(factor).numerator, Fraction(factor).denominator)
    if lemma == "matrix_vector":
        return sympy.Le(NORM(A * v), c * NORM(A) * NORM(v))
    if lemma == "transpose":
        return sympy.Eq(NORM(A.T), c * NORM(A), evaluate=False)
    Q = sympy.MatrixSymbol("Q", n, n)  # Q = (I - A)^-1 (I + A) for skew-symmetric A: orthogonal, times the factor
    return sympy.Implies(sympy.Eq(Q.T * Q, c**2 * sympy.Identity(n)), sympy.Eq(NORM(Q * B), NORM(B)))


def _lemma_check(lemma, factor, n_samples=LEMMA_SAMPLES, seed=LEMMA_SEED) -> Outcome:
    def draw(rng):
        n = rng.choice(LEMMA_SIZES)
        full = {"A": matrices.random_skew(rng, n) if lemma == "orthogonal" else matrices.random_matrix(rng, n), "B": matrices.random_matrix(rng, n),
                "v": [Fraction(rng.randint(-9, 9), 2) for _ in range(n)]}
        return {k: full[k] for k in _LEMMA_FIELDS[lemma]}

    return sampled(sample(draw, lambda s: _lemma_holds(lemma, factor, s)[0], n=n_samples, seed=seed),
                   evidence={"sizes": list(LEMMA_SIZES), "arithmetic": "exact rationals"}, counterexample=lambda s: s,
                   statement=_lemma_statement(lemma, factor))


def _lemma_claim(claim_id, part, statement, asserts, lemma, perturbed, anchors):
    return claim(
        claim_id, exercise=5, part=part, statement=statement, asserts=asserts, anchors=anchors,
        formal=f"sampled: {LEMMA_SAMPLES} random rational " + " and ".join(f"{n} x {n}" for n in LEMMA_SIZES)
               + f" matrices (seed {LEMMA_SEED}), each decided exactly; never called proved",
        requires=Verdict.NOT_REFUTED,
        params={"lemma": lemma, "factor": 1},
        assumptions=("a lemma taken as known: sampled, reported as not refuted",),
        perturbations=(Perturbation("factor", {"factor": perturbed}, f"with a factor {perturbed}"),),
        replay=_replay_lemma,
    )(lambda lemma, factor: _lemma_check(lemma, factor))


lemma_matrix_vector = _lemma_claim(
    "ex5.b.lemma_matrix_vector", "b", "||A v|| <= ||A|| ||v|| for the operator 2-norm.",
    "the hint: for matrix A and vector v, ||Av|| <= ||A|| ||v||", "matrix_vector", Fraction(1, 2),
    cites(r"\|Av\| \leq \|A\| \|v\|"))
lemma_transpose = _lemma_claim(
    "ex5.b.lemma_transpose", "b", "||A^T|| = ||A|| for the operator 2-norm.",
    "(used to move between row and column forms of the gradient)", "transpose", 2,
    cites("the norm of a matrix to be the operator 2-norm"))
lemma_orthogonal = _lemma_claim(
    "ex5.c.lemma_orthogonal", "c", "||Q B|| = ||B|| for orthogonal Q (exactly orthogonal rational Q by the Cayley transform).",
    "the hint: if A is orthogonal, ||AB|| = ||B||", "orthogonal", 2,
    cites(r"\|\mathbf{AB}\| = \|\mathbf{B}\|", r"\mathbf{A}^T \mathbf{A} = \mathbf{I}"))

MATRIX_VECTOR = Lemma("operator_norm_matrix_vector", "||A v|| <= ||A|| ||v|| for the operator 2-norm",
                      source="the sheet's hint", sampled_by=lemma_matrix_vector)
TRANSPOSE = Lemma("operator_norm_transpose", "||A^T|| = ||A|| for the operator 2-norm",
                  source="textbook linear algebra", sampled_by=lemma_transpose)
ORTHOGONAL = Lemma("operator_norm_orthogonal", "||A B|| = ||B|| and ||B A|| = ||B|| for orthogonal A",
                   source="the sheet's hint",
                   sampled_by=lemma_orthogonal)
DIAGONAL = Lemma("operator_norm_diagonal", "the operator norm of a diagonal matrix is its largest entry in absolute value",
                 source="textbook linear algebra")



@forall(
    "ex5.b.norm_equality",
    "||dl/dh_t|| = ||dl/dh_T prod_{k=t}^{T-1} D_{k+1} W_k^T||: the gradient's norm is the norm of (a)'s printed product, "
    "for every hidden size and number of steps.",
    cites=cites(r"\left\| \frac{\delta l}{\delta h_t} \right\| = \left\| \frac{\delta l}{\delta h_T} \prod_{k=t}^{T-1} "
                r"D_{k+1} W_k^T \right\|"),
    assumptions=ASSUMPTIONS,
    trusts=(gradient_product_corrected,),
    erratum=Correction(
        "the norm of (a)'s printed product is not the gradient's norm: one step with W = [[0, 1], [0, 0]], D = I and "
        "dl/dh_T = e_1 has true gradient W^T D dl/dh_T = e_2 (norm 1) while dl/dh_T D W^T = 0 (norm 0); with the true "
        "product prod_{k=t}^{T-1} W_k^T D_{k+1} dl/dh_T the norms agree",
        "||dl/dh_t|| = ||prod_{k=t}^{T-1} W_k^T D_{k+1} dl/dh_T||, for every hidden size and number of steps.",
        {"formula": "column"},
    ),
    perturb=(Perturbation("no_transpose", {"formula": "column_no_transpose"}, "W instead of W^T"),),
)
def norm_equality(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector,
                  formula="printed"):
    return given(t <= T, norm(gradient(g, W, D, t, T)) == norm(STATED[formula](g, W, D, t, T)))


norm_equality_corrected, = norm_equality.companions

# The per-step matrix whose norm the bound multiplies: the printed D W^T, the true W^T D, or W D.
FACTORS = {"D W^T": lambda W, D: D @ W.T, "W^T D": lambda W, D: W.T @ D, "W D": lambda W, D: W @ D}


@forall(
    "ex5.b.norm_bound",
    "||dl/dh_t|| <= ||dl/dh_T|| prod_{k=t}^{T-1} ||D_{k+1} W_k^T|| for the true gradient.",
    cites=cites(r"\leq \left\| \frac{\delta l}{\delta h_T} \right\| \prod_{k=t}^{T-1} \| \mathbf{D}_{k+1} \mathbf{W}_k^T \|"),
    assumptions=ASSUMPTIONS,
    trusts=(gradient_product_corrected, MATRIX_VECTOR),
    erratum=Correction(
        "the bound inherits the printed product's factors: ||D W^T|| can be smaller than ||W^T D||, which is what "
        "the true gradient is bounded by (e.g. W = [[0, 1], [0, 0]], D = diag(1, 1/4): ||W^T D|| = 1, ||D W^T|| = 1/4)",
        "||dl/dh_t|| <= ||dl/dh_T|| prod_{k=t}^{T-1} ||W_k^T D_{k+1}|| for the true gradient.",
        {"factor": "W^T D"},
    ),
    perturb=(Perturbation("factor_w_d", {"factor": "W D"}, "the factor W D"),),
)
def norm_bound(t: Nat, T: Nat, W: MatrixSequence(SquareMatrix), D: MatrixSequence(Diagonal), g: ColumnVector, factor="D W^T"):
    return given(t <= T, norm(gradient(g, W, D, t, T)) <= norm(g) * nprod(lambda k: norm(FACTORS[factor](W[k], D[k + 1])), t, T - 1))


norm_bound_corrected, = norm_bound.companions
