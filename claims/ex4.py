"""Exercise 4 (exploding RNN): the backward recurrence, the threshold alpha = 4, and the residual variant."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import sympy

from proofs.claims.sheet import cites
from proofs import (Claim, Correction, ForgedWitness, Lemma, OneOf, Outcome, Perturbation, Real, Replay, Row, Verdict, claim, diff, exists,
                    forall, implies, sigmoid)
from proofs.claims.witness import integer, rational, read
from proofs import IdentityAnswer, annotate as annotated, computed, corroborated, disagreement, identity, undecided

Z = sympy.Symbol("z", real=True)
# The numbers of steps T of the networks unrolled and differentiated explicitly beside the general chain rule.
UNROLLED = range(2, 5)
HALF = sympy.Rational(1, 2)
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


def phi(z, shift=HALF):
    return 1 / (1 + sympy.exp(-z)) - shift


def dphi(z):
    return sympy.diff(phi(Z), Z).subs(Z, z)


# (a) and (c): the backward recurrence, for every T by the chain rule and for explicit unrolled networks


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


def _general_identity(formula: str, residual: bool):
    """Every T and t < T: l = G(h^(t+1)) with h^(t+1) = phi(w h^(t)) (+ h^(t)); G, phi undefined functions."""
    h, w, s = sympy.symbols("h w s", real=True)
    G, f = sympy.Function("G"), sympy.Function("phi")
    nxt = f(w * h) + (h if residual else 0)
    lhs = sympy.diff(G(nxt), h)
    dG = sympy.diff(G(s), s).subs(s, nxt)
    d_t = sympy.diff(f(s), s).subs(s, w * h)
    d_next = sympy.diff(f(s), s).subs(s, w * nxt)
    rhs = dG * _stated_factor(formula, d_t, d_next, w)
    return sympy.expand(lhs - rhs), sympy.Derivative(G(nxt), h), rhs


def _unrolled_gradients(T: int, t: int, residual: bool, x, u, w, v, loss=lambda y: y, shift=HALF):
    """dl/dh^(t) by sympy differentiation of the unrolled network, and the network's z values."""
    H = sympy.Symbol("H", real=True)
    states = {}
    h = phi(u * x, shift)
    zs = {}
    for k in range(1, T):
        if k == t:
            h = H
        states[k] = h
        zs[k] = w * h
        h = phi(zs[k], shift) + (h if residual else 0)
    if t == T:
        h = H
    return sympy.diff(loss(v * h), H), zs, H


def _instance_gap(formula, residual, T, t, point):
    """True dl/dh^(t) minus the stated recurrence, at exact numbers (x, u, w, v), linear loss."""
    x, u, w, v = point
    lhs, zs, H = _unrolled_gradients(T, t, residual, x, u, w, v)
    nxt, _, H2 = _unrolled_gradients(T, t + 1, residual, x, u, w, v)
    # evaluate both on the real trajectory: h^(t) and h^(t+1) from the input
    traj = [None, phi(u * x)]
    for k in range(1, T):
        traj.append(phi(w * traj[k]) + (traj[k] if residual else 0))
    true = lhs.subs(H, traj[t])
    stated = nxt.subs(H2, traj[t + 1]) * _stated_factor(formula, dphi(w * traj[t]), dphi(w * traj[t + 1]), w)
    return true, stated


def _replay_recurrence(witness, *, formula, residual, **_):
    """Forward-mode (dual number) differentiation of the plain network, independent of sympy.diff; exp(0) = 1 keeps
    every value exact at x = 0, and other points are compared with certified numerical evaluation."""
    read_ = read(witness, T=integer(2, 3), t=integer(1, 2), x=rational(), w=rational(), v=rational())
    T, t = read_["T"], read_["t"]
    if not t < T:
        raise ForgedWitness("the check's counterexamples unroll at most 3 steps, with 1 <= t < T")
    x, w, v = (sympy.Rational(read_[k].numerator, read_[k].denominator) for k in ("x", "w", "v"))
    u = sympy.Integer(1)
    sig = lambda z: 1 / (1 + sympy.exp(-z))  # noqa: E731

    def forward(seed_at: int):
        h, dh = sig(u * x) - HALF, sympy.Integer(0)
        values = {1: h}
        if seed_at == 1:
            dh = sympy.Integer(1)
        for k in range(1, T):
            z, dz = w * h, w * dh
            s = sig(z)
            h, dh = s - HALF + (h if residual else 0), s * (1 - s) * dz + (dh if residual else 0)
            values[k + 1] = h
            if seed_at == k + 1:
                dh = sympy.Integer(1)
        return v * dh, values

    true, values = forward(t)
    after, _ = forward(t + 1)
    s_t, s_n = sig(w * values[t]), sig(w * values[t + 1])
    stated = after * _stated_factor(formula, s_t * (1 - s_t), s_n * (1 - s_n), w)
    differs = bool((true - stated).is_zero is False)
    return Replay(not differs, {"dl/dh^(t) (forward mode)": str(sympy.N(true, 12)), "stated recurrence": str(sympy.N(stated, 12))})


def _recurrence_check(formula, residual) -> Outcome:
    diff, lhs, rhs = _general_identity(formula, residual)
    evidence = {"dl/dh^(t) = d/dh G(h^(t+1))": str(lhs), "lhs - stated": str(diff)}
    if diff == 0:
        line1 = identity(IdentityAnswer(True, str(diff)), statement=(lhs, rhs),
                         evidence={**evidence, "scope": "chain rule identity for undefined G and phi: every T, every t < T"})
    else:
        for point in [(0, 1, 2, 1), (1, 1, 2, 1), (2, 1, Fraction(1, 2), 1)]:
            true, stated = _instance_gap(formula, residual, 2, 1, [sympy.Rational(str(p)) for p in point])
            if (true - stated).is_zero is False:
                witness = {"T": 2, "t": 1, "x": point[0], "w": point[2], "v": point[3]}
                return computed(False, method="sympy", evidence=evidence, witness=witness, statement=(lhs, rhs),
                                failure="the stated recurrence differs from the derivative")
        return undecided("sympy", evidence, "the identity failed symbolically but no exact point was found")
    instances, checked, decided = {}, 0, []
    x, u, w, v = sympy.symbols("x u w v", real=True)
    f = sympy.Function("phi")
    L = sympy.Function("L")
    for T in UNROLLED:
        for t in range(1, T):
            H = sympy.Symbol("H", real=True)
            chain = lambda start, first: _chain(start, first, T, w, v, f, L, residual)  # noqa: E731, B023 - used in this iteration only
            lhs_t = sympy.diff(chain(t, H), H)
            H1 = sympy.Symbol("H1", real=True)
            rhs = sympy.diff(chain(t + 1, H1), H1).subs(H1, f(w * H) + (H if residual else 0))
            s = sympy.Symbol("s", real=True)
            factor = _stated_factor(formula, sympy.diff(f(s), s).subs(s, w * H),
                                    sympy.diff(f(s), s).subs(s, w * (f(w * H) + (H if residual else 0))), w)
            ok = sympy.expand(lhs_t - rhs * factor) == 0
            decided.append(sympy.Eq(sympy.Derivative(chain(t, H), H),
                                    sympy.Derivative(chain(t + 1, H1), H1).subs(H1, f(w * H) + (H if residual else 0)) * factor,
                                    evaluate=False))
            instances[f"T={T},t={t}"] = ok
            checked += 1
            if not ok:
                return disagreement("sympy", {**evidence, "instances": instances}, "general identity and instance disagree")
    line2 = identity(IdentityAnswer(True, "0"), statement=decided, evidence={"unrolled_instances": instances,
                                                         "scope": f"{checked} unrolled networks (T = {UNROLLED.start}..{UNROLLED.stop - 1}, every t < T), "
                                                                  "undefined phi and loss"})
    return corroborated(line1, line2)


def _chain(start: int, first, T: int, w, v, f, L, residual):
    """The loss as a function of h^(start) = first, through the unrolled steps start .. T-1."""
    h = first
    for _ in range(start, T):
        h = f(w * h) + (h if residual else 0)
    return L(v * h)


RECURRENCE_PERTURBATIONS = (
    Perturbation("no_w", {"formula": "dphi(z_t)"}, "the factor w left out"),
    Perturbation("no_dphi", {"formula": "w"}, "the factor phi'(z^t) left out"),
    Perturbation("next_index", {"formula": "dphi(z_t+1) w"}, "phi' taken at z^(t+1)"),
)


@claim(
    statement="",
    formal="for every T and t < T, every differentiable loss and activation: d/dh G(h^(t+1)) = G'(h^(t+1)) times the row's "
           "factor, with h^(t+1) = phi(w h) (plus h in the residual network) and G the loss as a function of h^(t+1) "
           "(sympy, undefined G and phi: the induction step over t); the unrolled networks T = "
           f"{UNROLLED.start}..{UNROLLED.stop - 1} are differentiated explicitly",
    requires=Verdict.PROVED,
    assumptions=ASSUMPTIONS,
    replay=_replay_recurrence,
    rows=(
        Row("ex4.a.backward_recurrence", "For t < T, dl/dh^(t) = dl/dh^(t+1) * phi'(z^t) * w.",
            {"formula": "dphi(z_t) w", "residual": False},
            anchors=cites(r"\phi(z) = \sigma(z) - 0.5",
                          r"\frac{\delta l}{\delta h^{(t)}} = \frac{\delta l}{\delta h^{(t+1)}} \phi'(z^t) w"),
            perturbations=RECURRENCE_PERTURBATIONS,
            formulas=("Eq(Derivative(l, h(t)), Derivative(l, h(t + 1))*Derivative(phi(z(t)), z(t))*w)",)),
        Row("ex4.c.residual_recurrence", "With h^(t+1) = phi(z^t) + h^t, dl/dh^(t) = dl/dh^(t+1) * (phi'(z^t) * w + 1).",
            {"formula": "dphi(z_t) w + 1", "residual": True},
            anchors=cites(r"h^{(t+1)} = \phi(z^t) + h^t", r"\frac{\delta l}{\delta h^{(t+1)}} (\phi'(z^t)w + 1)"),
            perturbations=(*RECURRENCE_PERTURBATIONS, Perturbation("minus_one", {"formula": "dphi(z_t) w - 1"}, "- 1 for + 1")),
            formulas=("Eq(Derivative(l, h(t)), Derivative(l, h(t + 1))*(Derivative(phi(z(t)), z(t))*w + 1))",)),
    ),
)
def recurrences(formula, residual) -> Outcome:
    return _recurrence_check(formula, residual)


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
