"""Exercise 4 (exploding RNN): the backward recurrence, the threshold alpha = 4, and the residual variant."""

from __future__ import annotations

from fractions import Fraction

import sympy
import z3

from proofs.claims.sheet import cites
from proofs import Erratum, ForgedWitness, Outcome, Perturbation, Replay, Verdict, claim
from proofs.claims.witness import exactly, integer, member, rational, read
from proofs.interpret import annotated, computed, corroborated, disagreement, identity, undecided, validity
from proofs.solvers.symbolic import IdentityAnswer
from proofs.solvers.smt import prove

Z = sympy.Symbol("z", real=True)
# The numbers of steps T of the networks unrolled and differentiated explicitly beside the general chain rule.
UNROLLED = range(2, 5)
HALF = sympy.Rational(1, 2)

ASSUMPTIONS = (
    "the network: h^(1) = phi(u x), then z^t = w h^(t) and h^(t+1) = phi(z^t) (plus h^(t) in the residual variant) "
    "for t = 1 .. T-1, prediction y = v h^(T), loss l(y) for any differentiable l",
    "phi(z) = sigma(z) - shift with the sheet's shift 1/2; sigma the logistic function",
)
GEOMETRIC = ("a gradient scaled by r at every step, g_{T-k} = r^k g_T, vanishes (tends to 0) iff |r| < 1 and explodes "
             "(grows without bound) iff |r| > 1; with |r| = 1 it does neither")


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
    return sympy.expand(lhs - rhs), str(lhs)


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
    diff, lhs = _general_identity(formula, residual)
    evidence = {"dl/dh^(t) = d/dh G(h^(t+1))": lhs, "lhs - stated": str(diff)}
    if diff == 0:
        line1 = identity(IdentityAnswer(True, str(diff)), evidence={**evidence, "scope": "chain rule identity for undefined G and phi: every T, every t < T"})
    else:
        for point in [(0, 1, 2, 1), (1, 1, 2, 1), (2, 1, Fraction(1, 2), 1)]:
            true, stated = _instance_gap(formula, residual, 2, 1, [sympy.Rational(str(p)) for p in point])
            if (true - stated).is_zero is False:
                witness = {"T": 2, "t": 1, "x": point[0], "w": point[2], "v": point[3]}
                return computed(False, method="sympy", evidence=evidence, witness=witness,
                                failure="the stated recurrence differs from the derivative")
        return undecided("sympy", evidence, "the identity failed symbolically but no exact point was found")
    instances, checked = {}, 0
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
            instances[f"T={T},t={t}"] = ok
            checked += 1
            if not ok:
                return disagreement("sympy", {**evidence, "instances": instances}, "general identity and instance disagree")
    line2 = identity(IdentityAnswer(True, "0"), evidence={"unrolled_instances": instances,
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
    "ex4.a.backward_recurrence",
    exercise=4, part="a",
    anchors=cites(
        r"\phi(z) = \sigma(z) - 0.5",
        r"\frac{\delta l}{\delta h^{(t)}} = \frac{\delta l}{\delta h^{(t+1)}} \phi'(z^t) w",
    ),
    statement="For t < T, dl/dh^(t) = dl/dh^(t+1) * phi'(z^t) * w.",
    asserts="dl/dh^(t) = dl/dh^(t+1) phi'(z^t) w",
    formal="for every T and t < T, every differentiable loss and activation: d/dh G(phi(w h)) = G'(phi(w h)) phi'(w h) w "
           "with G the loss as a function of h^(t+1) (sympy, undefined G and phi: the induction step over t); the "
           f"unrolled networks T = {UNROLLED.start}..{UNROLLED.stop - 1} are differentiated explicitly",
    requires=Verdict.PROVED,
    params={"formula": "dphi(z_t) w", "residual": False},
    assumptions=ASSUMPTIONS,
    perturbations=RECURRENCE_PERTURBATIONS,
    replay=_replay_recurrence,
    formulas=("Eq(Derivative(l, h(t)), Derivative(l, h(t + 1))*Derivative(phi(z(t)), z(t))*w)",),
)
def backward_recurrence(formula, residual) -> Outcome:
    return _recurrence_check(formula, residual)


@claim(
    "ex4.c.residual_recurrence",
    exercise=4, part="c",
    anchors=cites(r"h^{(t+1)} = \phi(z^t) + h^t", r"\frac{\delta l}{\delta h^{(t+1)}} (\phi'(z^t)w + 1)"),
    statement="With h^(t+1) = phi(z^t) + h^t, dl/dh^(t) = dl/dh^(t+1) * (phi'(z^t) * w + 1).",
    asserts="dl/dh^(t) = dl/dh^(t+1) (phi'(z^t) w + 1)",
    formal="as ex4.a.backward_recurrence with h^(t+1) = phi(w h^(t)) + h^(t)",
    requires=Verdict.PROVED,
    params={"formula": "dphi(z_t) w + 1", "residual": True},
    assumptions=ASSUMPTIONS,
    perturbations=(*RECURRENCE_PERTURBATIONS, Perturbation("minus_one", {"formula": "dphi(z_t) w - 1"}, "- 1 for + 1")),
    replay=_replay_recurrence,
    formulas=("Eq(Derivative(l, h(t)), Derivative(l, h(t + 1))*(Derivative(phi(z(t)), z(t))*w + 1))",),
)
def residual_recurrence(formula, residual) -> Outcome:
    return _recurrence_check(formula, residual)


# (b) zero input


def _checked(witness, value, stated, label) -> Replay:
    """The value computed by hand (exact) against the stated one; the witness must carry that same value."""
    read(witness, computed=exactly(str(value)))
    return Replay(value == stated, {label: str(value), "stated": str(stated)})


@claim(
    "ex4.b.zero_input_states",
    exercise=4, part="b",
    anchors=cites("h^{(t)} = 0"),
    statement="With input x = 0 every hidden state is 0: phi(0) = 0, so h^(1) = phi(u * 0) = 0 and h^(t+1) = phi(w * 0) = 0.",
    asserts="with x = 0, h^(t) = 0 for all t",
    formal="phi(0) = sigma(0) - 1/2 = 0 exactly (sympy); induction on t: h^(1) = phi(0), h^(t+1) = phi(w h^(t)) = phi(0) "
           "for every real w",
    requires=Verdict.PROVED,
    params={"shift": HALF, "stated": 0},
    assumptions=ASSUMPTIONS,
    perturbations=(Perturbation("shift_0_4", {"shift": sympy.Rational(2, 5)}, "phi = sigma - 0.4"),),
    replay=lambda witness, *, shift, stated: _checked(witness, sympy.Rational(1, 2) - shift, stated, "sigma(0) - shift"),
)
def zero_input_states(shift, stated) -> Outcome:
    value = phi(sympy.Integer(0), shift)
    w = sympy.Symbol("w", real=True)
    step = sympy.simplify(phi(w * value, shift) - value)
    evidence = {"phi(0)": str(value), "phi(w * phi(0)) - phi(0)": str(step)}
    return computed(bool(value == stated and step == 0), method="sympy", evidence=evidence, witness={"computed": str(value)},
                    reason="phi(0) = 0, so every step maps 0 to 0, for every w", failure="phi(0) is not 0")


@claim(
    "ex4.b.phi_prime_zero",
    exercise=4, part="b",
    anchors=cites(r"\sigma'(0) = 0.25", r"\phi(z) = \sigma(z) - 0.5"),
    statement="phi'(0) = sigma'(0) = 1/4.",
    asserts="sigma'(0) = 0.25",
    formal="d/dz (1/(1 + e^-z) - 1/2) at z = 0 equals the stated value (sympy, exact)",
    requires=Verdict.PROVED,
    params={"stated": sympy.Rational(1, 4)},
    assumptions=ASSUMPTIONS,
    perturbations=(Perturbation("half", {"stated": HALF}, "phi'(0) = 1/2"),),
    replay=lambda witness, *, stated: _checked(witness, sympy.Rational(1, 4), stated, "sigma(0) (1 - sigma(0))"),
    formulas=("Eq(phi(z), 1/(1 + exp(-z)) - 1/2)", "Eq(Subs(Derivative(phi(z), z), z, 0), 1/4)"),
)
def phi_prime_zero(stated) -> Outcome:
    value = sympy.simplify(dphi(sympy.Integer(0)))
    evidence = {"phi'(z)": str(sympy.simplify(dphi(Z))), "phi'(0)": str(value)}
    return computed(bool(value == stated), method="sympy", evidence=evidence, witness={"computed": str(value)},
                    reason="exact derivative at 0", failure="a different value")


def _replay_alpha(witness, *, alpha, **_):
    read(witness, alpha=exactly(alpha))
    factor = sympy.Rational(1, 4) * sympy.Rational(str(alpha))
    return Replay(factor == 1, {"phi'(0) * alpha": str(factor)})


@claim(
    "ex4.b.alpha",
    exercise=4, part="b",
    anchors=cites(r"\phi'(0)w = 1", r"w = \alpha = 4"),
    statement="At x = 0 the gradient is carried unchanged from step to step exactly when phi'(0) w = 1, that is w = 4.",
    asserts="alpha = 4, from phi'(0) w = 1",
    formal="the solutions of phi'(0) w = 1 over the reals are exactly {alpha} (sympy solveset)",
    requires=Verdict.PROVED,
    params={"alpha": 4},
    assumptions=ASSUMPTIONS,
    perturbations=(Perturbation("alpha_5", {"alpha": 5}, "alpha = 5"),),
    replay=_replay_alpha,
    formulas=("Eq(Derivative(phi(z), z)*alpha, 1)", "Eq(alpha, 4)"),
)
def alpha(alpha) -> Outcome:
    w = sympy.Symbol("w", real=True)
    solutions = sympy.solveset(sympy.Eq(dphi(sympy.Integer(0)) * w, 1), w, sympy.S.Reals)
    evidence = {"solutions of phi'(0) w = 1": str(solutions)}
    return computed(bool(solutions == sympy.FiniteSet(alpha)), method="sympy", evidence=evidence, witness={"alpha": alpha},
                    reason="unique solution", failure="alpha does not solve phi'(0) w = 1")


def _magnitudes(factor, ws, steps=20) -> dict:
    return {f"w={w}": [float(abs(Fraction(factor(w))) ** k) for k in range(steps + 1)] for w in ws}


def _replay_regime(witness, *, residual, **_):
    """The per-step factor r at x = 0 and |r|^k for k = 1..20, exactly: which regime w is really in."""
    read_ = read(witness, w=rational(), claimed=member(("vanishes", "explodes", "neither")))
    w, claimed = read_["w"], read_["claimed"]
    r = w / 4 + (1 if residual else 0)
    regime = "vanishes" if abs(r) < 1 else "explodes" if abs(r) > 1 else "neither"
    return Replay(regime == claimed, {"r = phi'(0) w" + (" + 1" if residual else ""): r, "|r|^20": abs(r) ** 20,
                                      "regime": regime, "claimed": claimed})


def _regime_check(below: str, above: str, alpha, residual=False, plot_ws=()) -> Outcome:
    """For every real w: w < alpha puts the gradient in regime `below`, w > alpha in regime `above` (z3, with the
    geometric lemma turning |r| into a regime)."""
    w = z3.Real("w")
    r = w / 4 + (1 if residual else 0)
    abs_r = z3.If(r >= 0, r, -r)
    regime = {"vanishes": abs_r < 1, "explodes": abs_r > 1, "neither": abs_r == 1}
    a = z3.RealVal(str(alpha))
    for side, cond, claimed in (("below", w < a, below), ("above", w > a, above)):
        answer = prove(z3.Implies(cond, regime[claimed]), [w])
        if answer.answer != "unsat":
            return validity(answer, evidence={"side": side}, counterexample=lambda m, c=claimed: {"w": m["w"], "claimed": c})
    # both sides unsatisfiable (the loop returns at the first that is not): the last answer proves the claim
    return annotated(validity(answer, evidence={"sides": "below and above"}), **_regimes(residual, plot_ws))


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



@claim(
    "ex4.b.vanish_explode",
    exercise=4, part="b",
    anchors=cites(
        r"if  $w < \alpha$ , the gradient vanishes, while if  $w > \alpha$ , the gradient explodes",
        r"w = \alpha = 4",
    ),
    statement="With x = 0: if w < 4 the gradient vanishes, and if w > 4 it explodes.",
    asserts="if w < alpha the gradient vanishes, while if w > alpha the gradient explodes; alpha = 4",
    formal="for all real w: (w < 4 -> |w/4| < 1) and (w > 4 -> |w/4| > 1), the per-step factor at x = 0 being "
           "phi'(0) w = w/4 (z3)",
    requires=Verdict.PROVED,
    params={"below": "vanishes", "above": "explodes", "alpha": 4, "residual": False},
    assumptions=(*ASSUMPTIONS, GEOMETRIC),
    erratum=Erratum(
        "the factor is w/4 and its size is what matters: for w <= -4 it is at least 1 in size, so the gradient does "
        "not vanish (it explodes with alternating sign for w < -4, and neither vanishes nor explodes at w = -4); it "
        "vanishes exactly for -4 < w < 4 and explodes exactly for |w| > 4",
        corrected_by="ex4.b.vanish_explode_corrected",
    ),
    perturbations=(Perturbation("alpha_5", {"alpha": 5}, "alpha = 5"),),
    replay=_replay_regime,
)
def vanish_explode(below, above, alpha, residual) -> Outcome:
    return _regime_check(below, above, alpha, residual, plot_ws=(-5, -4, -3, 3, 4, 5))


def _replay_interval(witness, *, bound, **_):
    w = read(witness, w=rational())["w"]
    r = abs(w / 4)
    regime = "vanishes" if r < 1 else "explodes" if r > 1 else "neither"
    predicted = "vanishes" if abs(w) < bound else "explodes" if abs(w) > bound else "neither"
    return Replay(regime == predicted, {"|w/4|": r, "regime": regime, f"predicted by |w| vs {bound}": predicted})


@claim(
    "ex4.b.vanish_explode_corrected",
    exercise=4, part="b",
    anchors=cites(
        r"if  $w < \alpha$ , the gradient vanishes, while if  $w > \alpha$ , the gradient explodes",
        r"w = \alpha = 4",
    ),
    statement="With x = 0 the gradient vanishes exactly when |w| < 4, explodes exactly when |w| > 4, and does neither "
              "at w = 4 and w = -4.",
    asserts="(corrected) vanishing for -4 < w < 4, exploding for w < -4 or w > 4",
    formal="for all real w: |w/4| < 1 <-> |w| < 4, |w/4| > 1 <-> |w| > 4, |w/4| = 1 <-> |w| = 4 (z3); the sets "
           "are derived with sympy solveset",
    requires=Verdict.PROVED,
    params={"bound": 4},
    assumptions=(*ASSUMPTIONS, GEOMETRIC),
    perturbations=(Perturbation("bound_5", {"bound": 5}, "threshold 5"),),
    replay=_replay_interval,
)
def vanish_explode_corrected(bound) -> Outcome:
    w = z3.Real("w")
    r = z3.If(w >= 0, w, -w) / 4
    aw = z3.If(w >= 0, w, -w)
    b = z3.RealVal(str(bound))
    statement = z3.And((r < 1) == (aw < b), (r > 1) == (aw > b), (r == 1) == (aw == b))
    answer = prove(statement, [w])
    return annotated(validity(answer), method="z3 + sympy", **_regimes(False, (-5, -4, -3, 3, 4, 5)))


def _replay_stable(witness, *, w_setting, **_):
    """phi'(z) w + 1 at the witness's real z, exactly: sigma(z)(1 - sigma(z)) w + 1."""
    z = read(witness, z=rational())["z"]
    s = 1 / (1 + sympy.exp(-sympy.Rational(z.numerator, z.denominator)))
    factor = s * (1 - s) * sympy.Rational(str(w_setting)) + 1
    return Replay(bool(sympy.simplify(factor - 1) == 0), {f"phi'({z}) w + 1": str(factor)})


@claim(
    "ex4.c.stable_setting",
    exercise=4, part="c",
    anchors=cites(r"\phi'(z^t)w + 1 = 1", "Setting  $w = 0$"),
    statement="In the residual network, w = 0 makes the per-step factor phi'(z^t) w + 1 equal to 1 for every z^t, so the "
              "gradient neither vanishes nor explodes, whatever the input.",
    asserts="setting w = 0 achieves phi'(z^t) w + 1 = 1",
    formal="for all real z: phi'(z) * w + 1 = 1 with w = 0 (sympy identity); refuted otherwise at z = 0",
    requires=Verdict.PROVED,
    params={"w_setting": 0},
    assumptions=(*ASSUMPTIONS, GEOMETRIC),
    perturbations=(Perturbation("w_1", {"w_setting": 1}, "w = 1"),),
    replay=_replay_stable,
)
def stable_setting(w_setting) -> Outcome:
    factor = sympy.simplify(dphi(Z) * w_setting + 1)
    at_zero = sympy.simplify(factor.subs(Z, 0) - 1)
    answer = IdentityAnswer(True, "0") if factor == 1 else IdentityAnswer(False, str(factor - 1), {"z": 0}) if at_zero != 0 \
        else IdentityAnswer(None, str(factor - 1))
    return identity(answer, evidence={"factor": str(factor)})


def _replay_set(witness, *, stable, **_):
    w = read(witness, w=rational())["w"]
    r = w / 4 + 1
    in_set = w in {Fraction(str(v)) for v in stable}
    return Replay((abs(r) == 1) == in_set, {"1 + w/4": r, "|1 + w/4| = 1": abs(r) == 1, "w in the stated set": in_set})


@claim(
    "ex4.c.stable_set",
    exercise=4, part="c",
    anchors=cites(r"\phi'(z^t)w + 1 = 1", "Setting  $w = 0$"),
    statement="With x = 0 the residual network's gradient neither vanishes nor explodes exactly for w = 0 and w = -8.",
    asserts="(beyond the sheet) the complete set of w that keep the residual gradient stable at x = 0",
    formal="for all real w: |w/4 + 1| = 1 <-> w in {-8, 0} (z3); the regimes over all w derived with sympy solveset",
    requires=Verdict.PROVED,
    params={"stable": (-8, 0)},
    assumptions=(*ASSUMPTIONS, GEOMETRIC),
    perturbations=(Perturbation("only_zero", {"stable": (0,)}, "only w = 0"),),
    replay=_replay_set,
)
def stable_set(stable) -> Outcome:
    w = z3.Real("w")
    r = w / 4 + 1
    member = z3.Or(*[w == z3.RealVal(str(v)) for v in stable])
    answer = prove((z3.If(r >= 0, r, -r) == 1) == member, [w])
    return annotated(validity(answer), method="z3 + sympy", **_regimes(True, (-9, -8, -7, -1, 0, 1)))


CLAIMS = (
    backward_recurrence,
    zero_input_states,
    phi_prime_zero,
    alpha,
    vanish_explode,
    vanish_explode_corrected,
    residual_recurrence,
    stable_setting,
    stable_set,
)
