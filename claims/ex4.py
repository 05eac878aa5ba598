"""Exercise 4 (exploding RNN): the backward recurrence, the threshold alpha = 4, and the residual variant."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import sympy

from proofs.claims.sheet import cites
from proofs import Claim, Correction, Function, Lemma, OneOf, Perturbation, Real, Row, Verdict, diff, exists, forall, implies, sigmoid
from proofs import annotate as annotated

# The sheet's shift 0.5, exactly, for the statements.
HALF_EXACT = Fraction(1, 2)

ASSUMPTIONS = (
    "the network: h^(1) = phi(u x), then z^t = w h^(t) and h^(t+1) = phi(z^t) (plus h^(t) in the residual variant) "
    "for t = 1 .. T-1, prediction y = v h^(T), loss l(y) for any differentiable l",
    "phi(z) = sigma(z) - shift with the sheet's shift 1/2; sigma the logistic function",
)
GEOMETRIC = Lemma(
    "geometric_regimes",
    "a gradient scaled by r at every step, g_{T-k} = r^k g_T, vanishes (tends to 0) iff |r| < 1 and explodes "
    "(grows without bound) iff |r| > 1; with |r| = 1 it does neither",
    source="the geometric sequence r^k",
)


# (a) and (c): the backward recurrence, for every T and t < T: with the loss written as a function G of h^(t+1) (any
# differentiable function: whatever T is, the steps after t compose into one), dl/dh^(t) is the derivative of
# G(h^(t+1)) with h^(t+1) = phi(w h^(t)) (+ h^(t) in the residual network), for every phi and G.

ACTIVATION, LOSS = Function("φ"), Function("G")


def _stated_factor(formula: str, dphi_t, dphi_next, w):
    """The factor multiplying dl/dh^(t+1), as the material writes it (or a perturbed version)."""
    return {
        "dphi(z_t) w": dphi_t * w,
        "dphi(z_t) w + 1": dphi_t * w + 1,
        "dphi(z_t)": dphi_t,
        "w": w,
        "dphi(z_t+1) w": dphi_next * w,
        "dphi(z_t) w - 1": dphi_t * w - 1,
    }[formula]


RECURRENCE_PERTURBATIONS = (
    Perturbation("no_w", {"formula": "dphi(z_t)"}, "the factor w left out"),
    Perturbation("no_dphi", {"formula": "w"}, "the factor phi'(z^t) left out"),
    Perturbation("next_index", {"formula": "dphi(z_t+1) w"}, "phi' taken at z^(t+1)"),
)


@forall(
    assumptions=(*ASSUMPTIONS, "for every T and t < T the loss is a differentiable function G of h^(t+1) alone (the "
                 "steps t+1 .. T-1 and the output composed), so dl/dh^(t+1) = G'(h^(t+1)): the statement for every G "
                 "and phi covers every T"),
    rows=(
        Row("ex4.a.backward_recurrence", "For t < T, dl/dh^(t) = dl/dh^(t+1) * phi'(z^t) * w.",
            {"formula": "dphi(z_t) w", "residual": False},
            anchors=cites(r"\phi(z) = \sigma(z) - 0.5",
                          r"\frac{\delta l}{\delta h^{(t)}} = \frac{\delta l}{\delta h^{(t+1)}} \phi'(z^t) w"),
            perturbations=RECURRENCE_PERTURBATIONS),
        Row("ex4.c.residual_recurrence", "With h^(t+1) = phi(z^t) + h^t, dl/dh^(t) = dl/dh^(t+1) * (phi'(z^t) * w + 1).",
            {"formula": "dphi(z_t) w + 1", "residual": True},
            anchors=cites(r"h^{(t+1)} = \phi(z^t) + h^t", r"\frac{\delta l}{\delta h^{(t+1)}} (\phi'(z^t)w + 1)"),
            perturbations=(*RECURRENCE_PERTURBATIONS, Perturbation("minus_one", {"formula": "dphi(z_t) w - 1"}, "- 1 for + 1"))),
    ),
)
def recurrences(h: Real, w: Real, phi=ACTIVATION, G=LOSS, formula="dphi(z_t) w", residual=False):
    # h is h^(t), z^t = w h^(t); h^(t+1) = phi(z^t) (+ h^(t)); l = G(h^(t+1)), so dl/dh^(t+1) = G'(h^(t+1))
    following = phi(w * h) + h if residual else phi(w * h)
    return diff(G(following), h) == G.prime(following) * _stated_factor(formula, phi.prime(w * h), phi.prime(w * following), w)


backward_recurrence, residual_recurrence = recurrences


# (b) zero input


@forall(
    "ex4.b.zero_input_states",
    "With input x = 0 every hidden state is 0: phi(0) = 0, so h^(1) = phi(u * 0) = 0 and h^(t+1) = phi(w * 0) = 0; "
    "every pre-activation z^t = w h^(t) is then 0, whatever w.",
    cites=cites("h^{(t)} = 0", "we will have  $z^t = 0$  for all"),
    assumptions=ASSUMPTIONS,
    perturb={"shift_0_4": {"shift": Fraction(2, 5)}},
)
def zero_input_states(w: Real, u: Real, shift=HALF_EXACT, stated=0):
    # phi(z) = sigma(z) - shift. By induction on t: h^(1) = phi(u * 0) is 0; if h^(t) is 0 then z^t = w h^(t) is 0
    # and h^(t+1) = phi(z^t) is 0 again, for every u and w
    h = sigmoid(u * 0) - shift
    z = w * h
    return (h == stated) & (z == stated) & (sigmoid(z) - shift == stated)


@exists(
    "ex4.b.phi_prime_zero",
    "phi'(0) = sigma'(0) = 1/4.",
    cites=cites(r"\sigma'(0) = 0.25", r"\phi(z) = \sigma(z) - 0.5"),
    assumptions=ASSUMPTIONS,
    perturb={"half": {"stated": HALF_EXACT}},
    # the one point of {0} is checked exactly, which decides the closed fact phi'(0) = stated
    requires=Verdict.PROVED,
)
def phi_prime_zero(z: OneOf(0), shift=HALF_EXACT, stated=Fraction(1, 4)):
    return diff(sigmoid(z) - shift, z) == stated


@forall(
    "ex4.b.alpha",
    "At x = 0 the gradient is carried unchanged from step to step exactly when phi'(0) w = 1, that is w = 4.",
    cites=cites(r"\phi'(0)w = 1", r"w = \alpha = 4"),
    assumptions=ASSUMPTIONS,
    perturb={"alpha_5": {"alpha": 5}},
    trusts=(phi_prime_zero,),
)
def alpha(w: Real, slope=Fraction(1, 4), alpha=4):
    # slope is phi'(0), established by ex4.b.phi_prime_zero
    return implies(slope * w == 1, w == alpha) & implies(w == alpha, slope * w == 1)


@forall(
    "ex4.b.stable_condition",
    "dl/dh^(t) = dl/dh^(t+1) holds for every gradient dl/dh^(t+1) exactly when phi'(z^t) w = 1.",
    cites=cites(r"If we have  $\frac{\delta l}{\delta h^{(t)}} = \frac{\delta l}{\delta h^{(t+1)}}$",
                r"we want  $\phi'(z^t)w = 1$"),
    assumptions=ASSUMPTIONS,
    perturb={"factor_2": {"factor": 2}},
    trusts=(backward_recurrence,),
)
def stable_condition(g: Real, slope: Real, w: Real, factor=1):
    # g is dl/dh^(t+1) and slope is phi'(z^t); by ex4.a.backward_recurrence dl/dh^(t) = g phi'(z^t) w. The gradient is
    # carried unchanged when the factor is 1, and a nonzero gradient carried unchanged forces the factor to be 1
    carried = g * slope * w
    return implies(slope * w == factor, carried == g) & implies((g != 0) & (carried == g), slope * w == factor)


def _magnitudes(factor, ws, steps=20) -> dict:
    return {f"w={w}": [float(abs(Fraction(factor(w))) ** k) for k in range(steps + 1)] for w in ws}


def _regimes(residual: bool, plot_ws) -> dict:
    """The exact sets of w in each regime at x = 0 (sympy solveset), and |r|^k against k for a plot."""
    ws = sympy.Symbol("w", real=True)
    rs = ws / 4 + (1 if residual else 0)
    sets = {name: str(sympy.solveset(cond, ws, sympy.S.Reals))
            for name, cond in (("vanishes", sympy.Abs(rs) < 1), ("explodes", sympy.Abs(rs) > 1), ("neither", sympy.Eq(sympy.Abs(rs), 1)))}
    factor = lambda v: Fraction(v) / 4 + (1 if residual else 0)  # noqa: E731
    plot = {"title": "|dl/dh^(T-k)| / |dl/dh^(T)| at x = 0" + (" (residual)" if residual else ""), "x_label": "k",
            "x": list(range(21)), "series": _magnitudes(factor, plot_ws)}
    return {"exact_sets": sets, "plot": plot}


def _with_regimes(c: Claim, residual: bool, plot_ws) -> Claim:
    """The claim with the exact regime sets and the plot of |r|^k beside its verdict (evidence only: the verdict is
    the statement's)."""
    decide = c.check
    return dataclasses.replace(c, check=lambda **p: annotated(decide(**p), method="z3 + sympy", **_regimes(residual, plot_ws)))


@forall(
    "ex4.b.vanish_explode",
    "With x = 0: if w < 4 the gradient vanishes, and if w > 4 it explodes.",
    cites=cites(
        r"if  $w < \alpha$ , the gradient vanishes, while if  $w > \alpha$ , the gradient explodes",
        r"w = \alpha = 4",
    ),
    assumptions=ASSUMPTIONS,
    trusts=(phi_prime_zero, GEOMETRIC),
    erratum=Correction(
        "the factor is w/4 and its size is what matters: for w <= -4 it is at least 1 in size, so the gradient does "
        "not vanish (it explodes with alternating sign for w < -4, and neither vanishes nor explodes at w = -4); it "
        "vanishes exactly for -4 < w < 4 and explodes exactly for |w| > 4",
        "With x = 0 the gradient vanishes exactly when |w| < 4, explodes exactly when |w| > 4, and does neither at "
        "w = 4 and w = -4.",
        {"magnitude": 1},
    ),
    perturb={"bound_5": {"alpha": 5}},
)
def vanish_explode(w: Real, slope=Fraction(1, 4), alpha=4, magnitude=0):
    # the per-step factor at x = 0 is r = phi'(0) w (slope from ex4.b.phi_prime_zero); by the geometric lemma the
    # gradient vanishes iff |r| < 1, explodes iff |r| > 1, and does neither iff |r| = 1. The sheet compares w itself
    # with alpha (magnitude = 0); the correction compares |w| (magnitude = 1).
    size = abs(slope * w)
    compared = magnitude * abs(w) + (1 - magnitude) * w
    return implies(compared < alpha, size < 1) & implies(compared > alpha, size > 1) & implies(compared == alpha, size == 1)


vanish_explode = dataclasses.replace(vanish_explode, companions=tuple(
    _with_regimes(c, False, (-5, -4, -3, 3, 4, 5)) for c in vanish_explode.companions))


@forall(
    "ex4.c.stable_setting",
    "In the residual network, w = 0 makes the per-step factor phi'(z^t) w + 1 equal to 1 for every z^t, so the "
    "gradient neither vanishes nor explodes, whatever the input.",
    cites=cites(r"\phi'(z^t)w + 1 = 1", "Setting  $w = 0$"),
    assumptions=ASSUMPTIONS,
    trusts=(GEOMETRIC,),
    perturb={"w_1": {"weight": 1}},
)
def stable_setting(z: Real, shift=HALF_EXACT, weight=0):
    return diff(sigmoid(z) - shift, z) * weight + 1 == 1


@forall(
    "ex4.c.stable_set",
    "With x = 0 the residual network's gradient neither vanishes nor explodes exactly for w = 0 and w = -8.",
    cites=cites(r"\phi'(z^t)w + 1 = 1", "Setting  $w = 0$"),
    assumptions=ASSUMPTIONS,
    trusts=(phi_prime_zero, GEOMETRIC),
    perturb={"only_zero": {"low": 0}},
)
def stable_set(w: Real, slope=Fraction(1, 4), low=-8, high=0):
    # (beyond the sheet) the complete set of w keeping the residual factor phi'(0) w + 1 at size 1
    stable = abs(slope * w + 1) == 1
    return implies(stable, (w == low) | (w == high)) & implies((w == low) | (w == high), stable)


stable_set = _with_regimes(stable_set, True, (-9, -8, -7, -1, 0, 1))


CLAIMS = (
    backward_recurrence,
    zero_input_states,
    phi_prime_zero,
    alpha,
    stable_condition,
    vanish_explode,
    *vanish_explode.companions,
    residual_recurrence,
    stable_setting,
    stable_set,
)
