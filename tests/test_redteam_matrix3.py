"""Matrix material written as teaching assistants write it (least squares, quadratic forms, Mahalanobis distances,
weight decay, rank-one updates), each step's truth fixed by hand: the classes of wrong verdict it found, each with a
true variant that must not be refuted and a slip whose counterexample must replay in a plain evaluator of this file
(fractions; gradients by exact central differences, which are exact for the quadratics used here; no code of the
scan)."""

from fractions import Fraction



def steps(tmp_path, text, timeout=60.0):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return {s.text: s for s in scan_document(read(tmp_path, "a.md"), timeout=timeout, second_reader=False)}


# -- a plain evaluator: matrices as lists of Fraction rows


def _m(rows):
    return [[Fraction(v) for v in row] for row in rows]


def _mm(a, b):
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))]
            for i in range(len(a))]


def _t(a):
    return [list(r) for r in zip(*a)]


def _add(a, b, s=1):
    return [[x + s * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def _scale(c, a):
    return [[c * x for x in r] for r in a]


def _inv(a):
    """Gauss-Jordan over fractions."""
    n = len(a)
    m = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(a)]
    for c in range(n):
        p = next(r for r in range(c, n) if m[r][c] != 0)
        m[c], m[p] = m[p], m[c]
        m[c] = [x / m[c][c] for x in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                m[r] = [x - m[r][c] * y for x, y in zip(m[r], m[c])]
    return [r[n:] for r in m]


def _gradient(f, w):
    """df/dw for a column vector w, entry by entry, by central differences: exact for a polynomial of degree 2."""
    out = []
    for i in range(len(w)):
        up = [[w[r][0] + (1 if r == i else 0)] for r in range(len(w))]
        down = [[w[r][0] - (1 if r == i else 0)] for r in range(len(w))]
        out.append([(f(up) - f(down)) / 2])
    return out


def _scalar(a):
    return a[0][0] if isinstance(a, list) else a


LEAST_SQUARES = r"""# Exercise 1

Let $X \in \mathbb{R}^{n \times d}$, $y \in \mathbb{R}^{n}$ and $w \in \mathbb{R}^{d}$. A gradient has the shape of the
variable.

$$E = (y - Xw)^\top (y - Xw)$$

"""
LS_TRUE = r"\nabla_w E = -2 X^\top (y - Xw)"
LS_SIGN = r"\nabla_w E = 2 X^\top (y - Xw)"


def test_a_name_defined_by_a_product_that_opens_with_a_parenthesis_is_a_definition(tmp_path):
    """E = (y - Xw)^T (y - Xw): the left side and the right side were searched for a name before a parenthesis as one
    text, 'E (y - Xw)', so E was read as applied and also used bare, a variable; the definition was then decided as
    an identity with E free and refuted, and every gradient of E skipped."""
    found = steps(tmp_path, LEAST_SQUARES + f"$${LS_TRUE}$$\n\n$${LS_SIGN}$$\n")
    assert found["E = (y - Xw)^\\top (y - Xw)"].status == "definition"
    assert found[LS_TRUE].status == "checked", found[LS_TRUE].reason
    slip = found[LS_SIGN]
    assert slip.status == "refuted", slip.reason
    v = slip.counterexample["values"]
    X, y, w = _m(v["X"]), _m(v["y"]), _m(v["w"])

    def E(w):
        r = _add(y, _mm(X, w), -1)
        return _scalar(_mm(_t(r), r))

    truth = _gradient(E, w)
    printed = _scale(2, _mm(_t(X), _add(y, _mm(X, w), -1)))
    assert printed != truth and _scale(-1, printed) == truth


def test_a_scalar_definition_that_opens_with_a_parenthesis_is_a_definition(tmp_path):
    """The same reading in scalar material: E = (y - wx)^2 was skipped as 'a value or a bound' and its derivatives
    with it."""
    text = ("# Exercise 1\n\nLet $w$, $x$ and $y$ be numbers.\n\n$$E = (y - w x)^2$$\n\n"
            "$$\\frac{\\partial E}{\\partial w} = -2 x (y - w x)$$\n\n$$\\frac{\\partial E}{\\partial w} = 2 x (y - w x)$$\n")
    found = steps(tmp_path, text)
    assert found["E = (y - w x)^2"].status == "definition"
    assert found[r"\frac{\partial E}{\partial w} = -2 x (y - w x)"].status in ("proved", "checked")
    slip = found[r"\frac{\partial E}{\partial w} = 2 x (y - w x)"]
    assert slip.status == "refuted", slip.reason
    v = {k: Fraction(x) for k, x in slip.counterexample["values"].items()}
    w, x, y = v["w"], v["x"], v["y"]
    assert (y - (w + 1) * x) ** 2 - (y - (w - 1) * x) ** 2 != 2 * (2 * x * (y - w * x))


def test_a_name_given_a_value_the_scan_does_not_take_for_a_definition_is_not_refuted(tmp_path):
    """e = (y - Xw)^T (y - Xw): e is not defined (the definitions take it for Euler's number), so the matrix reading
    decided it as an identity with e a free number and refuted it; a bare name on one side that the other does not
    read and no forward equation defines is given a value, as the scalar reading already says."""
    found = steps(tmp_path, LEAST_SQUARES.replace("$$E = ", "$$e = "))
    step = found["e = (y - Xw)^\\top (y - Xw)"]
    assert step.status == "skipped", step.reason
    assert "appears nowhere else" in step.reason


MAHALANOBIS = r"""# Exercise 2

Let $B \in \mathbb{R}^{d \times d}$ be invertible and $x, \mu \in \mathbb{R}^{d}$. A gradient has the shape of the
variable.

$$Q = (x - \mu)^\top B^{-1} (x - \mu)$$

"""
MAHA_TRUE = r"\nabla_x Q = \left(B^{-1} + (B^{-1})^\top\right) (x - \mu)"
MAHA_SYMMETRIC_ONLY = r"\nabla_x Q = 2 B^{-1} (x - \mu)"


def test_a_quadratic_form_in_an_inverse_is_differentiated_for_a_matrix_that_is_not_symmetric(tmp_path):
    """Q = (x - mu)^T B^{-1} (x - mu) was refuted as an identity (the same reading); its gradient 2 B^{-1} (x - mu)
    holds only for a symmetric B and is refuted, (B^{-1} + B^{-T}) (x - mu) checked."""
    found = steps(tmp_path, MAHALANOBIS + f"$${MAHA_TRUE}$$\n\n$${MAHA_SYMMETRIC_ONLY}$$\n")
    assert found[r"Q = (x - \mu)^\top B^{-1} (x - \mu)"].status == "definition"
    assert found[MAHA_TRUE].status == "checked", found[MAHA_TRUE].reason
    slip = found[MAHA_SYMMETRIC_ONLY]
    assert slip.status == "refuted", slip.reason
    v = slip.counterexample["values"]
    B, x, mu = _m(v["B"]), _m(v["x"]), _m(v["mu"])
    Binv = _inv(B)

    def Q(x):
        r = _add(x, mu, -1)
        return _scalar(_mm(_mm(_t(r), Binv), r))

    truth = _gradient(Q, x)
    assert _scale(2, _mm(Binv, _add(x, mu, -1))) != truth
    assert _mm(_add(Binv, _t(Binv)), _add(x, mu, -1)) == truth


TRACE_GRADIENT = r"""# Exercise 3

Let $A \in \mathbb{R}^{m \times n}$ and $B \in \mathbb{R}^{n \times m}$. A gradient has the shape of the variable.

$$f = \operatorname{tr}(A B)$$

"""


def test_a_bare_name_the_other_side_reads_through_a_forward_equation_is_not_given_a_value(tmp_path):
    """\\nabla_A f = B reads B through f = tr(AB): a wrong gradient, refuted (its shapes are A's and B's), not a
    name given a value."""
    found = steps(tmp_path, TRACE_GRADIENT + "$$\\nabla_A f = B^\\top$$\n\n$$\\nabla_A f = B$$\n")
    assert found["\\nabla_A f = B^\\top"].status == "checked", found["\\nabla_A f = B^\\top"].reason
    slip = found["\\nabla_A f = B"]
    assert slip.status == "refuted", slip.reason
    shapes = slip.counterexample["shapes"]
    assert shapes["A"] != shapes["B"] and shapes["A"] == shapes["B"][::-1]  # the gradient has A's shape; B does not


CAPITAL_SIZES = r"""# Exercise 4

We have $N$ examples. Let $X \in \mathbb{R}^{N \times D}$, $y \in \mathbb{R}^{N}$ and $w \in \mathbb{R}^{D}$. A gradient
has the shape of the variable.

$$E = \frac{1}{2N} \|X w - y\|^2$$

"""
SIZE_TRUE = [r"(N X)^\top = N X^\top", r"(D X)^\top = X^\top D", r"\|N y\|^2 = N^2 \|y\|^2",
             r"\nabla_w E = \frac{1}{N} X^\top (X w - y)", r"N \nabla_w E = X^\top (X w - y)"]
SIZE_SLIPS = [r"\|N y\|^2 = N \|y\|^2", r"\nabla_w E = \frac{2}{N} X^\top (X w - y)"]


def test_a_capital_letter_the_material_uses_as_a_size_is_a_number(tmp_path):
    """N of X in R^{N x D} was read as a matrix in the steps (an undeclared capital): (N X)^T = N X^T was refuted with
    N a 2x1 matrix beside N = 1, and every step with 1/N skipped as a division by a matrix. A size is the number it
    is on each instance, as a small size name already was."""
    found = steps(tmp_path, CAPITAL_SIZES + "".join(f"$${s}$$\n\n" for s in SIZE_TRUE + SIZE_SLIPS))
    for s in SIZE_TRUE:
        assert found[s].status == "checked", (s, found[s].status, found[s].reason)
    norm = found[SIZE_SLIPS[0]]
    assert norm.status == "refuted", norm.reason
    ce = norm.counterexample
    n, y = Fraction(ce["values"]["N"]), _m(ce["values"]["y"])
    assert n == ce["sizes"]["N"] == len(y)  # the number N is the length of y
    sq = sum(v[0] * v[0] for v in y)
    assert n * n * sq != n * sq
    gradient = found[SIZE_SLIPS[1]]
    assert gradient.status == "refuted", gradient.reason
    v = gradient.counterexample["values"]
    X, y, w, n = _m(v["X"]), _m(v["y"]), _m(v["w"]), Fraction(v["N"])
    assert n == len(X) == len(y)

    def E(w):
        r = _add(_mm(X, w), y, -1)
        return _scalar(_mm(_t(r), r)) / (2 * n)

    truth = _gradient(E, w)
    assert _scale(2 / n, _mm(_t(X), _add(_mm(X, w), y, -1))) != truth
    assert _scale(1 / n, _mm(_t(X), _add(_mm(X, w), y, -1))) == truth


GATED = r"""# Exercise 5

Let $x \in \mathbb{R}^{n}$, $s \in \mathbb{R}^{m}$, $W \in \mathbb{R}^{m \times n}$, $U \in \mathbb{R}^{m \times n}$ and
$v \in \mathbb{R}^{m}$. The function $\sigma$ is the logistic sigmoid and $\phi$ any differentiable function, both
applied entry by entry. A gradient has the shape of the variable.

$$f = \sigma(W x)$$

$$u = U x$$

$$c = f \odot s + (1 - f) \odot \phi(u)$$

$$L = v^\top c$$

"""
GATE_TRUE = r"\frac{\partial L}{\partial u} = v \odot (1 - f) \odot \phi'(u)"
GATE_SLIP = r"\frac{\partial L}{\partial u} = v \odot f \odot \phi'(u)"


def test_a_gradient_through_a_gate_and_an_arbitrary_function_is_replayed(tmp_path):
    """The plain replay added an interval (the gate, through exp) to a dual number (phi(u), u the variable) with the
    interval's own sum, which read the dual number as its value alone: it failed (or would drop the derivative), so a
    slip in a gated unit's gradient was left unknown."""
    import math

    found = steps(tmp_path, GATED + f"$${GATE_TRUE}$$\n\n$${GATE_SLIP}$$\n")
    assert found[GATE_TRUE].status == "checked", found[GATE_TRUE].reason
    slip = found[GATE_SLIP]
    assert slip.status == "refuted", slip.reason
    v = slip.counterexample["values"]
    W, U, x, vv = _m(v["W"]), _m(v["U"]), _m(v["x"]), _m(v["v"])
    z, u = _mm(W, x), _mm(U, x)
    dphi = {Fraction(k[5:-1]): Fraction(val) for k, val in v.items() if k.startswith("phi'(")}
    for i in range(len(u)):  # dL/du_i = v_i (1 - f_i) phi'(u_i), against v_i f_i phi'(u_i)
        f = 1 / (1 + math.exp(-float(z[i][0])))
        d = float(vv[i][0] * dphi[u[i][0]])
        if abs(d * (1 - f) - d * f) > 1e-9:
            return
    raise AssertionError(f"the counterexample does not separate the sides: {v}")


def test_an_interval_plus_a_dual_number_keeps_the_derivative():
    from proofs.scan.matrix_replay import _Dual, _Interval

    for total in (_Interval(1) + _Dual(2, 3), _Dual(2, 3) + _Interval(1), _Interval(1) - _Dual(2, 3)):
        assert isinstance(total, _Dual) and abs(total.d) == 3


ROWS = r"""# Exercise 6

Vectors are row vectors. Let $x \in \mathbb{R}^{n}$, $W \in \mathbb{R}^{n \times m}$ and $b \in \mathbb{R}^{m}$.

$$h = x W + b$$

"""


def test_a_forward_equation_never_fixes_a_size_the_material_names_and_leaves_free(tmp_path):
    """h = x W + b with x in R^n read as a column: the product fixed n = 1 and then m = 1, and every step was decided
    at n = m = 1 only ("the sizes the material fixes"), where h^T = W x^T + b^T (false for every n, m with W not
    symmetric) holds: a slip checked."""
    true, slip = r"h^\top = W^\top x^\top + b^\top", r"h^\top = W x^\top + b^\top"
    found = steps(tmp_path, ROWS + f"$${true}$$\n\n$${slip}$$\n")
    assert found[slip].status not in ("checked", "proved"), found[slip].reason
    assert found[true].status not in ("refuted", "needs review"), found[true].reason
    # the slip is false at n = m = 2 with rows: x = [1, 0], W = [[0, 1], [0, 0]], b = 0: h = x W = [0, 1]
    x, W = [[Fraction(1), Fraction(0)]], _m([[0, 1], [0, 0]])
    assert _t(_mm(x, W)) != _mm(W, _t(x)) and _t(_mm(x, W)) == _mm(_t(W), _t(x))


def test_a_vector_the_material_writes_as_a_row_is_not_read_as_a_column(tmp_path):
    """x, w in R^d with "all vectors are row vectors" were read as columns: x w^T = w x^T (two equal numbers for rows)
    was refuted, and x^T w = w^T x (an outer product and its transpose for rows, false) checked."""
    text = (r"# Exercise 7" "\n\nIn this exercise all vectors are row vectors, $x \\in \\mathbb{R}^{d}$ and "
            "$w \\in \\mathbb{R}^{d}$.\n\n$$x w^\\top = w x^\\top$$\n\n$$x^\\top w = w^\\top x$$\n")
    found = steps(tmp_path, text)
    true, slip = found[r"x w^\top = w x^\top"], found[r"x^\top w = w^\top x"]
    assert true.status not in ("refuted", "needs review"), true.reason
    assert slip.status not in ("checked", "proved"), slip.reason
    # for rows: x^T w is the outer product, w^T x its transpose; unequal at x = [1, 0], w = [0, 1]
    x, w = [[Fraction(1), Fraction(0)]], [[Fraction(0), Fraction(1)]]
    assert _mm(_t(x), w) != _mm(_t(w), x) and _mm(x, _t(w)) == _mm(w, _t(x))


PD_WITH_A_FALSE_FACT = r"""# 1 Quadratic forms

Let $S \in \mathbb{R}^{n \times n}$ be a positive definite matrix and $x \in \mathbb{R}^{n}$.

A sign error: $$x^T S x \leq 0$$

A missing transpose: $$(S x)^T = x S$$

The transpose: $$(S x)^T = x^T S$$
"""


def test_a_stated_fact_no_instance_of_the_right_shape_honours_does_not_check_a_shape_mismatch(tmp_path):
    # x^T S x <= 0 with S positive definite holds only at x = 0, and xS is a product of n x 1 and n x n, which fits
    # at n = 1 only: the instances honouring the fact at n = 1 must not make the mismatch "checked"
    found = steps(tmp_path, PD_WITH_A_FALSE_FACT)
    assert found["(S x)^T = x S"].status in ("refuted", "needs review")
    assert found["(S x)^T = x^T S"].status == "checked"


BOUND_AND_MATRIX = r"""# Exercise 1

The average is

$$\frac{1}{K} \sum_{k=1}^{K} 1 = 1$$

and the Gram matrix satisfies

$$K^T K = K K^T$$

$$K + K^T = 2 K$$
"""


def test_a_sums_bound_the_section_also_reads_as_a_matrix_does_not_make_matrix_slips_checked(tmp_path):
    # K bounds a sum and is transposed: two readings, neither the material's; the slips (false for a matrix K) were
    # checked with K read as a number everywhere in the section
    found = steps(tmp_path, BOUND_AND_MATRIX)
    assert found[r"\frac{1}{K} \sum_{k=1}^{K} 1 = 1"].status in ("proved", "checked")
    for slip in ("K^T K = K K^T", "K + K^T = 2 K"):
        assert found[slip].status not in ("checked", "proved"), found[slip].reason
        assert found[slip].status == "refuted" or "bound of a sum" in found[slip].reason, found[slip].reason
    K = _m([[0, 1], [0, 0]])  # both fail for this matrix
    assert _mm(_t(K), K) != _mm(K, _t(K)) and _add(K, _t(K)) != _scale(2, K)


ROW_OF_A_MATRIX = r"""# Exercise 1

Let $x \in \mathbb{R}^{n}$ and $W \in \mathbb{R}^{n \times n}$; the $i$-th row vector of $W$ is written $w_i$.

$$x^T W x = x^T W^T x$$

$$x^T W x = 2 x^T W x$$

# Exercise 2

Let $y \in \mathbb{R}^{n}$.

$$y^T y = 2 y^T y$$
"""


def test_a_row_of_a_matrix_is_no_convention_that_vectors_are_rows(tmp_path):
    # "the i-th row vector of W" states no convention: every vector step of the file was skipped
    found = steps(tmp_path, ROW_OF_A_MATRIX)
    assert found["x^T W x = x^T W^T x"].status == "checked", found["x^T W x = x^T W^T x"].reason
    for slip in ("x^T W x = 2 x^T W x", "y^T y = 2 y^T y"):
        assert found[slip].status == "refuted", found[slip].reason
    x, W = _m([[1], [0]]), _m([[1, 0], [0, 0]])  # x^T W x = 1, twice it 2
    assert _mm(_mm(_t(x), W), x) != _scale(2, _mm(_mm(_t(x), W), x))


def test_vectors_written_as_rows_hold_in_the_section_that_says_so(tmp_path):
    text = ("# Exercise 1\n\nIn this exercise vectors are row vectors. Let $y \\in \\mathbb{R}^{n}$.\n\n"
            "$$y^T y = 2 y^T y$$\n\n# Exercise 2\n\nLet $y \\in \\mathbb{R}^{n}$.\n\n$$y^T y = 2 y^T y$$\n\n"
            "$$(y^T y)^T = y^T y$$\n")
    found = [s for s in steps_list(tmp_path, text)]
    first, second, true = found
    assert first.status == "skipped" and "rows" in first.reason, first.reason
    assert second.status == "refuted", second.reason
    assert true.status in ("checked", "proved"), true.reason


def test_a_letter_stated_a_row_vector_skips_the_steps_that_read_it_only(tmp_path):
    text = ("# Exercise 1\n\nLet $x, y \\in \\mathbb{R}^{n}$, where $x$ is a row vector.\n\n"
            "$$x^T x = 2 x^T x$$\n\n$$y^T y = 2 y^T y$$\n")
    found = steps(tmp_path, text)
    assert found["x^T x = 2 x^T x"].status == "skipped", found["x^T x = 2 x^T x"].reason
    assert found["y^T y = 2 y^T y"].status == "refuted", found["y^T y = 2 y^T y"].reason


def steps_list(tmp_path, text, timeout=60.0):
    from proofs.material import read
    from proofs.scan.steps import scan_document

    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    return [s for s in scan_document(read(tmp_path, "a.md"), timeout=timeout, second_reader=False)
            if s.status != "definition"]


def test_a_matrix_step_before_the_sum_whose_bound_is_its_letter_is_not_decided_under_one_reading(tmp_path):
    text = ("# Exercise 1\n\nThe Gram matrix satisfies\n\n$$K + K^T = 2 K$$\n\nand the average is\n\n"
            "$$\\frac{1}{K} \\sum_{k=1}^{K} 1 = 1$$\n\n# Exercise 2\n\n$$K + K^T = 2 K$$\n")
    first, _, second = steps_list(tmp_path, text)
    assert first.status == "skipped" and "bound of a sum" in first.reason, first.reason
    assert second.status == "refuted", second.reason  # no sum in this section: K is a matrix
    K = _m([[0, 1], [0, 0]])
    assert _add(K, _t(K)) != _scale(2, K)
