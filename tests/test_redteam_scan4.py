"""Course material on convolutions, activations, losses, optimisers and information a scan must not decide wrongly,
with each step's truth computed by hand: a true step is never refuted, a slip never checked or proved, and a
counterexample replays in plain fractions here."""

import math
from fractions import Fraction

import pytest

from conftest import scan_steps

PASS = ("proved", "checked")
FAIL = ("refuted", "needs review")


# X^T with the letter T is a transpose or a power: where the section uses T as a size (the bound of a product, a
# number of steps), gamma^T of a number is a power, and the matrix reading's transpose is no reading of the material.
# A letter the material declares a vector or a matrix, or writes in bold, is still transposed.
@pytest.mark.parametrize("intro, step, status", [
    ("Consider an RNN with $T$ steps.", r"\prod_{k=1}^{T} \gamma = \gamma^{T}", ("skipped",)),
    ("Consider an RNN with $T$ steps.", r"\prod_{k=1}^{T} 2\gamma = 2^{T}\gamma^{T}", ("skipped",)),
    (r"The gradient is bounded by $\prod_{k=1}^{T} \|W\|$.", r"\prod_{k=1}^{T} \gamma = \gamma^{T}", ("skipped",)),
    (r"Let $x \in \mathbb{R}^n$, $W \in \mathbb{R}^{n \times n}$ and $\prod_{k=1}^{T} a_k$.", "(W x)^T = x^T W^T", PASS),
    (r"Let $x \in \mathbb{R}^n$, $W \in \mathbb{R}^{n \times n}$ and $\prod_{k=1}^{T} a_k$.", "(W x)^T = x^T W", FAIL),
    (r"Let $W \in \mathbb{R}^{n \times n}$ and $\prod_{k=1}^{T} a_k$.", r"(W \mathbf{v})^T = \mathbf{v}^T W^T", PASS),
    (r"Let $x \in \mathbb{R}^n$ and $W \in \mathbb{R}^{n \times n}$.", "(W x)^T = x^T W^T", PASS),
])
def test_a_superscript_t_where_t_is_a_size_is_not_only_a_transpose(tmp_path, intro, step, status):
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{intro}\n\n(a) Then ${step}$.\n")
    assert steps[step]["status"] in status, steps[step]


# "In bits" beside a formula that prints the base of each of its logs (\log_2) gives no base to the \log written
# without one elsewhere: log x <= x - 1 is the natural log's inequality, false in base 2 at x = 3/2.
@pytest.mark.parametrize("sentence, step, status", [
    (r"In bits, $-\frac14\log_2\frac14 - \frac34\log_2\frac34 \approx 0.811$.", r"\log x \le x - 1", PASS),
    (r"In bits, $-\frac14\log_2\frac14 - \frac34\log_2\frac34 \approx 0.811$.", r"\log x \ge x - 1", FAIL),
    (r"In bits, $-\frac14\log_2\frac14 - \frac34\log_2\frac34 \approx 0.811$.", r"\log 8 = 3", ("skipped",)),
    ("Entropy is measured in bits.", r"\log 8 = 3", ("proved",)),
    (r"The entropy in bits is $-\frac12\log\frac12 - \frac12\log\frac12$.", r"\log 8 = 3", ("proved",)),
])
def test_in_bits_beside_a_printed_base_is_no_base_for_other_logs(tmp_path, sentence, step, status):
    code, steps = scan_steps(tmp_path, f"# Ex\n\n(a) {sentence}\n\n(b) ${step}$ for $x > 0$.\n")
    assert steps[step]["status"] in status, steps[step]
    if steps[step]["status"] == "refuted" and steps[step]["counterexample"]["values"]:
        x = Fraction(steps[step]["counterexample"]["values"]["x"])
        assert not (math.log(x) >= x - 1)


def test_log_x_is_the_natural_log_by_hand():
    # the truth of the steps above, in plain floats: ln x <= x - 1 everywhere, log2 x > x - 1 at 3/2
    assert all(math.log(k / 7) <= k / 7 - 1 for k in range(1, 50))
    assert math.log2(1.5) > 0.5


# A second formula for a function or a value its section defined withdraws the name (a claim or a new definition:
# the scan cannot tell); a third formula for it is neither either, and is never read as its definition: with
# f(z) = z^2 + 1, f(2) = 5 is true and was refuted after "f(z) = z^2 + 2, or f(z) = z^2" (and f(1) = 1 proved).
@pytest.mark.parametrize("text, step, status", [
    ("Let $f(z) = z^2 + 1$.\n\n(a) $f(z) = z^2 + 2$, or $f(z) = z^2$.\n\n(b) $f(2) = 5$.", "f(2) = 5", ("skipped",)),
    ("Let $f(z) = z^2 + 1$.\n\n(a) $f(z) = z^2 + 2$, or $f(z) = z^2$.\n\n(b) $f(1) = 1$.", "f(1) = 1", ("skipped",)),
    ("Let $f(z) = z^2 + 1$.\n\n(a) $f(z) = z^2 + 2$, or $f(z) = z^2$.\n\n(b) $f(1) = 1$.", "f(z) = z^2", ("skipped",)),
    ("Let $s = a + b$.\n\n(a) Then $s = a - b$, or $s = 2a$, and $s - b = a$.", "s - b = a", ("skipped",)),
    ("Let $f(z) = z^2 + 1$.\n\n(a) $f(2) = 5$.", "f(2) = 5", ("proved",)),
    ("Let $f(z) = z^2 + 1$.\n\n(a) $f(2) = 4$.", "f(2) = 4", ("refuted",)),
    # a second formula equal to the first once tanh is written with exp is the same definition, and a slip after it
    # withdraws sigma: a true step about it is then skipped, never refuted, and a false one never proved
    (r"Let $\sigma(z) = \frac{1}{1 + e^{-z}}$." "\n\n"
     r"(a) $\sigma(z) = \frac{1}{2}\left(1 + \tanh\frac{z}{2}\right)$; a slip: $\sigma(z) = \frac{1}{2}(1 + \tanh z)$."
     "\n\n" r"(b) $\log\frac{\sigma(z)}{1 - \sigma(z)} = z$.", r"\log\frac{\sigma(z)}{1 - \sigma(z)} = z", ("skipped",)),
    (r"Let $\sigma(z) = \frac{1}{1 + e^{-z}}$." "\n\n"
     r"(a) $\sigma(z) = \frac{1}{2}\left(1 + \tanh\frac{z}{2}\right)$; a slip: $\sigma(z) = \frac{1}{2}(1 + \tanh z)$."
     "\n\n" r"(b) $\sigma(3) - \sigma(-3) = \tanh 3$.", r"\sigma(3) - \sigma(-3) = \tanh 3", ("skipped",)),
    (r"Let $\sigma(z) = \frac{1}{1 + e^{-z}}$." "\n\n"
     r"(a) $\sigma(z) = \frac{1}{2}\left(1 + \tanh\frac{z}{2}\right)$." "\n\n" r"(b) $\sigma(3) - \sigma(-3) = \tanh 3$.",
     r"\sigma(3) - \sigma(-3) = \tanh 3", ("refuted",)),
])
def test_a_third_formula_for_a_withdrawn_name_defines_nothing(tmp_path, text, step, status):
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{text}\n")
    assert steps[step]["status"] in status, steps[step]


def test_the_sigmoid_steps_by_hand():
    # sigma(3) - sigma(-3) = tanh(3/2), not tanh 3; the log-odds of sigma(z) is z
    s = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    assert abs(s(3) - s(-3) - math.tanh(1.5)) < 1e-12 and abs(s(3) - s(-3) - math.tanh(3)) > 0.05
    assert abs(math.log(s(0.5) / (1 - s(0.5))) - 0.5) < 1e-12
    assert abs(s(0.7) - (1 + math.tanh(0.35)) / 2) < 1e-12


# A one-hot label stated as a consequence ("so $\sum_k y_k = 1$") is a fact of its section as much as one stated as
# a condition ("assume ..."): the cross-entropy written with the log-sum-exp holds under it and fails without it
# (y = (4/3, 5/3) was the counterexample of a true step). The slip (the log-sum-exp subtracted) still fails under it.
_ONE_HOT = (r"For $K$ classes, $\hat y_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}$ and the label $y$ is one-hot, so "
            r"$\sum_{k} y_k = 1$.")


@pytest.mark.parametrize("step, status", [
    (r"-\sum_{k} y_k \log \hat y_k = -\sum_{k} y_k z_k + \log\sum_{j} e^{z_j}", ("checked",)),
    (r"-\sum_{k} y_k \log \hat y_k = -\sum_{k} y_k z_k - \log\sum_{j} e^{z_j}", FAIL),
])
def test_a_one_hot_label_stated_as_a_consequence_is_a_fact(tmp_path, step, status):
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{_ONE_HOT}\n\n(a) Then ${step}$.\n")
    assert steps[step]["status"] in status, steps[step]


def test_the_cross_entropy_by_hand():
    # one-hot y = (0, 1), z = (1/2, 2): -log softmax_2 = -z_2 + log(e^{z_1} + e^{z_2}); the slip's right side differs
    z1, z2 = 0.5, 2.0
    lse = math.log(math.exp(z1) + math.exp(z2))
    assert abs(-math.log(math.exp(z2) / (math.exp(z1) + math.exp(z2))) - (-z2 + lse)) < 1e-12
    assert abs(-math.log(math.exp(z2) / (math.exp(z1) + math.exp(z2))) - (-z2 - lse)) > 1


# The same fact written with bounds (\sum_{k=1}^{K} y_k = 1) is not honoured yet: the true step needs review.
@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="a stated fact with a bounded sum is not honoured by the sums reading")
def test_a_one_hot_label_with_bounds_is_a_fact(tmp_path):
    step = r"-\sum_{k=1}^{K} y_k \log \hat y_k = -\sum_{k=1}^{K} y_k z_k + \log\sum_{j=1}^{K} e^{z_j}"
    text = (r"For $K$ classes, $\hat y_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}$ and the label $y$ is one-hot. "
            r"Assume $\sum_{k=1}^{K} y_k = 1$.")
    _, steps = scan_steps(tmp_path, f"# Ex\n\n{text}\n\n(a) Then ${step}$.\n")
    assert steps[step]["status"] == "checked", steps[step]


# Generated: a function given three formulas in its section (the first its definition, two more that differ), then a
# value of it that is true by the first formula or by the third; and a product of T equal factors against a power
# with the letter T. Truth by the plain evaluation here (fractions), never by the scan: a true step is never refuted
# or needs review, a false one never proved or checked.
def _poly(rng, name):
    c = [rng.randint(-3, 3) for _ in range(3)]
    c[2] = c[2] or 1
    text = f"{c[2]}{name}^2 + {c[1]}{name} + {c[0]}".replace("+ -", "- ")
    return text, (lambda v, c=c: c[2] * v * v + c[1] * v + c[0])


def _generated(rng):
    first, f1 = _poly(rng, "z")
    second, _ = _poly(rng, "z")
    third, f3 = _poly(rng, "z")
    at = rng.randint(-3, 3)
    value = rng.choice([f1(at), f3(at), f1(at) + 1])
    c = rng.randint(2, 4)
    power = rng.choice([f"{c}^{{T}}\\gamma^{{T}}", f"{c}\\gamma^{{T}}"])
    text = (f"# Ex\n\nLet $f(z) = {first}$.\n\n(a) $f(z) = {second}$, or $f(z) = {third}$.\n\n(b) $f({at}) = {value}$.\n\n"
            f"# Ex 2\n\nConsider an RNN with $T$ steps.\n\n(a) $\\prod_{{k=1}}^{{T}} {c}\\gamma = {power}$.\n")
    # the product of T factors c gamma against the power as written, at T = 1..3 and a few gammas
    written = (lambda g, t: c ** t * g ** t) if power.startswith(f"{c}^") else (lambda g, t: c * g ** t)
    product = all(math.prod([c * g] * t) == written(g, t) for g in (Fraction(1, 2), 1, 2, -3) for t in (1, 2, 3))
    return text, {f"f({at}) = {value}": f1(at) == value, f"\\prod_{{k=1}}^{{T}} {c}\\gamma = {power}": product}


@pytest.mark.parametrize("seed", range(4))
def test_generated_third_formulas_and_powers_of_t(tmp_path, seed):
    import random

    text, truth = _generated(random.Random(1000 + seed))
    _, steps = scan_steps(tmp_path, text)
    for step, true in truth.items():
        status = steps[step]["status"]
        assert status not in (FAIL if true else PASS), (step, true, steps[step])


# An equation after a claim in its sentence that gives a name a formula ("... where $s = t + 1$", "... when $\mu =
# \frac{1}{n}\sum_i x_i$"), or an equation a hypothesis states ("... when $m = 0$", "if $a = b$"), is what the claim
# holds under: the true step was refuted at a point that ignores it (s = t = 1/2), and "if $a = b$" then defined a
# for the rest of the section. A number given to a name after a claim by other words stays an example.
@pytest.mark.parametrize("text, step, status", [
    ("$(x - m)^2 = x^2$ when $m = 0$.", "(x - m)^2 = x^2", PASS),
    ("$(x - m)^2 = x^2 + 1$ when $m = 0$.", "(x - m)^2 = x^2 + 1", ("refuted",)),
    ("$a + b = 2b$ if $a = b$.", "a + b = 2b", PASS),
    ("$a + b = 3b$ if $a = b$.", "a + b = 3b", ("refuted",)),
    ("$a + b = 2b$ if $a = b$.\n\n(b) Then $a + c = 2c$ when $a = c$.", "a + c = 2c", PASS),
    ("$s^2 - 1 = t^2 + 2t$ where $s = t + 1$.", "s^2 - 1 = t^2 + 2t", PASS),
    ("$s^2 - 1 = t^2 + t$ where $s = t + 1$.", "s^2 - 1 = t^2 + t", ("refuted",)),
    (r"$\frac{1}{n}\sum_{i=1}^{n}(x_i - \mu)^2 = \frac{1}{n}\sum_{i=1}^{n} x_i^2 - \mu^2$ where "
     r"$\mu = \frac{1}{n}\sum_{i=1}^{n} x_i$.",
     r"\frac{1}{n}\sum_{i=1}^{n}(x_i - \mu)^2 = \frac{1}{n}\sum_{i=1}^{n} x_i^2 - \mu^2", PASS + ("unknown",)),
    ("If $f(x) = x^2$, then $f'(x) = 2x$.", "f'(x) = 2x", ("proved",)),
    ("If $g(x) = x^3$, then $g'(x) = 2x^2$.", "g'(x) = 2x^2", ("refuted",)),
    (r"$\eta \cdot 20 = 2$ with $\eta = 0.1$.", r"\eta \cdot 20 = 2", ("checked",)),
    (r"$\eta \cdot 20 = 3$ with $\eta = 0.1$.", r"\eta \cdot 20 = 3", FAIL),
])
def test_an_equation_after_a_claim_or_in_a_hypothesis_is_its_condition(tmp_path, text, step, status):
    _, steps = scan_steps(tmp_path, f"# Ex\n\n(a) {text}\n")
    assert steps[step]["status"] in status, steps[step]
    if steps[step]["status"] == "refuted":  # replayed here: the counterexample satisfies the condition and fails
        values = {k: Fraction(v) for k, v in steps[step]["counterexample"]["values"].items()}
        if "m" in values:
            assert values["m"] == 0 and (values["x"] - 0) ** 2 != values["x"] ** 2 + 1
        if "a" in values:
            assert values["a"] == values["b"] and values["a"] + values["b"] != 3 * values["b"]
        if "s" in values:
            assert values["s"] == values["t"] + 1 and values["s"] ** 2 - 1 != values["t"] ** 2 + values["t"]


# A piece's formula claimed for the function under a condition wider than the piece (z <= 2 against z < 3) fails on
# (2, 3) alone: the search tries points between the edges and on each side of one, not only random draws (the soak's
# seed 545595910 checked it after 81 points that missed the interval).
_PSI = r"Let $$\psi(z) = \begin{cases} -z^2 + (-z) - 3, & z \le 2 \\ -2z - 3, & \text{else} \end{cases}$$"


@pytest.mark.parametrize("condition, status", [("z < 3", ("refuted",)), ("z < 2", PASS), ("z \\le 2", PASS),
                                               ("z > 2", FAIL)])
def test_a_piece_claimed_past_its_edge_is_refuted(tmp_path, condition, status):
    step = "-z^2 + (-z) - 3 = \\psi(z)"
    _, steps = scan_steps(tmp_path, f"# Ex\n\n(a) {_PSI}\n\nFor ${condition}$, ${step}$.\n")
    assert steps[step]["status"] in status, steps[step]
    if steps[step]["status"] == "refuted":  # replayed by hand: a point past 2 that the condition allows, where psi is
        z = Fraction(steps[step]["counterexample"]["values"]["z"])  # its second piece
        assert z > 2 and (condition != "z < 3" or z < 3) and -z * z - z - 3 != -2 * z - 3
