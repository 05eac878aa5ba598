"""Exercise 6 (c), (d): gradient structure of the forked multi-task network, and parameter counts."""

from __future__ import annotations

from fractions import Fraction

import sympy

from proofs.claims.sheet import cites
from proofs import ForgedWitness, IntRange, Outcome, Perturbation, Replay, Verdict, claim, computed, forall, undecided
from proofs.claims.witness import member, read

__all__ = ["CLAIMS", "forked_losses", "fork_parameters", "separate_parameters", "count_parameters"]

GROUPS = ("shared", "branch_a", "branch_b", "breed_head", "gender_head", "time_head", "dog_head")

ASSUMPTIONS = (
    "one unit per layer in the symbolic network (which parameters a loss reaches depends on the graph, not on widths); "
    "activations and per-task losses are arbitrary differentiable functions (undefined in sympy)",
    "shared: two layers; branch A (breed, gender, and in (d) dog) and branch B (time) one hidden layer each; a linear "
    "output head per task",
    "a cat image contributes the breed, gender and time losses; a dog image only the dog loss",
)


def forked_losses(mask_dog: bool = True):
    """The forked network of (c) with the dog head of (d), as sympy expressions: per-image losses and parameter groups."""
    x = sympy.Symbol("x", real=True)
    f = sympy.Function("f")
    loss = {name: sympy.Function(f"loss_{name}") for name in ("breed", "gender", "time", "dog")}
    P = {g: sympy.symbols(f"{g}_w {g}_b", real=True) for g in GROUPS}
    h1 = f(P["shared"][0] * x + P["shared"][1])
    h2 = f(h1 * P["shared"][1] + P["shared"][0])
    a = f(P["branch_a"][0] * h2 + P["branch_a"][1])
    b = f(P["branch_b"][0] * h2 + P["branch_b"][1])
    out = {"breed": P["breed_head"][0] * a + P["breed_head"][1], "gender": P["gender_head"][0] * a + P["gender_head"][1],
           "dog": P["dog_head"][0] * a + P["dog_head"][1], "time": P["time_head"][0] * b + P["time_head"][1]}
    per_task = {t: loss[t](out[t]) for t in out}
    cat = per_task["breed"] + per_task["gender"] + per_task["time"] + (0 if mask_dog else per_task["dog"])
    return {"cat": cat, "dog": per_task["dog"], **per_task}, P, x


def _reaches(expr, params) -> bool:
    """Whether the loss's gradient with respect to a parameter group is not identically zero."""
    return any(sympy.diff(expr, p) != 0 for p in params)


def _plain_gradient(mask_dog: bool, group: str, which: str) -> Fraction:
    """d(loss)/d(group weight) at one point of a plain network: identity activation, squared losses, all weights 1/2,
    x = 1, targets 0, by forward-mode differentiation in exact arithmetic."""
    half = Fraction(1, 2)
    w = {g: [half, half] for g in GROUPS}

    def value(eps):
        ww = {g: list(v) for g, v in w.items()}
        ww[group][0] += eps
        h1 = ww["shared"][0] * 1 + ww["shared"][1]
        h2 = h1 * ww["shared"][1] + ww["shared"][0]
        a = ww["branch_a"][0] * h2 + ww["branch_a"][1]
        b = ww["branch_b"][0] * h2 + ww["branch_b"][1]
        out = {"breed": ww["breed_head"][0] * a + ww["breed_head"][1], "gender": ww["gender_head"][0] * a + ww["gender_head"][1],
               "dog": ww["dog_head"][0] * a + ww["dog_head"][1], "time": ww["time_head"][0] * b + ww["time_head"][1]}
        sq = {t: v * v / 2 for t, v in out.items()}
        cat = sq["breed"] + sq["gender"] + sq["time"] + (0 if mask_dog else sq["dog"])
        return cat if which == "cat" else sq["dog"]
    # the loss is a polynomial of degree <= 2 in one weight: the central difference at step 1 is its exact derivative
    return (value(Fraction(1)) - value(Fraction(-1))) / 2


# The (image, parameter group) pairs whose gradient the claim says is zero: the outputs the image does not train.
MASKED = (("cat", "dog_head"), ("dog", "breed_head"), ("dog", "gender_head"), ("dog", "time_head"), ("dog", "branch_b"))


def _replay_masking(witness, *, mask_dog, **_):
    w = read(witness, image=member(("cat", "dog")), group=member(GROUPS))
    if (w["image"], w["group"]) not in MASKED:
        raise ForgedWitness(f"the claim says nothing about a {w['image']} image's gradient for {w['group']}: it names {MASKED}")
    g = _plain_gradient(mask_dog, w["group"], w["image"])
    return Replay(g == 0, {f"d(loss of a {w['image']} image)/d({w['group']} weight)": g})


@claim(
    "ex6.d.masked_gradients",
    exercise=6, part="d",
    anchors=cites("the output node for the dog is neglected"),
    statement="With a dog output added to the breed/gender branch, a cat image's loss has zero gradient with respect to "
              "the dog output's parameters and a dog image's loss zero gradient with respect to the cat outputs' "
              "parameters, for every weight setting; the shared layers get gradient from both kinds of image.",
    requires=Verdict.PROVED,
    params={"mask_dog": True},
    assumptions=ASSUMPTIONS,
    perturbations=(Perturbation("unmasked", {"mask_dog": False}, "the dog loss also counted for cat images"),),
    replay=_replay_masking,
)
def masked_gradients(mask_dog) -> Outcome:
    losses, P, _ = forked_losses(mask_dog)
    must_be_zero = MASKED
    evidence = {}
    # what is decided: each masked gradient is identically 0; the shared layers' is not, for either kind of image
    decided = [*(sympy.Eq(sympy.Derivative(losses[image], p), 0, evaluate=False) for image, group in MASKED for p in P[group]),
               *(sympy.Ne(sympy.Derivative(losses[image], P["shared"][0]), 0, evaluate=False) for image in ("cat", "dog"))]
    for image, group in must_be_zero:
        reaches = _reaches(losses[image], P[group])
        evidence[f"d({image} loss)/d({group})"] = "not identically 0" if reaches else "0"
        if reaches:
            point = _plain_gradient(mask_dog, group, image)
            if point != 0:
                return computed(False, method="sympy", evidence=evidence, witness={"image": image, "group": group},
                                failure=f"the {image} loss reaches the {group}", statement=decided)
            return undecided("sympy", evidence, "structural gradient with no exact point found")
    for image in ("cat", "dog"):
        value = _plain_gradient(mask_dog, "shared", image)
        evidence[f"d({image} loss)/d(shared) at the plain point"] = value
        if value == 0:
            return undecided("sympy", evidence, f"no point shows the shared layers learning from {image} images")
    return computed(True, method="sympy + exact arithmetic", evidence=evidence, witness={"image": "cat", "group": "dog_head"},
                    reason="masked heads get zero gradient; the trunk learns from both", statement=decided)


FORK_REACH = {
    "breed": ("shared", "branch_a", "breed_head"),
    "gender": ("shared", "branch_a", "gender_head"),
    "time": ("shared", "branch_b", "time_head"),
}


def _replay_reach(witness, *, reach, **_):
    losses, P, _ = forked_losses()
    w = read(witness, task=member(tuple(reach)), group=member(GROUPS[:-1]))
    task, group = w["task"], w["group"]
    actual = _reaches(losses[task], P[group])
    return Replay(actual == (group in reach[task]), {f"{task} loss reaches {group}": actual, "stated": group in reach[task]})


@claim(
    "ex6.c.fork_gradient_structure",
    exercise=6, part="c",
    anchors=cites("Share the first two layers across all tasks"),
    statement="In the forked network (two shared layers, a breed/gender branch and a time branch), the breed and gender "
              "losses change only the shared layers, their branch and their own head; the time loss only the shared "
              "layers, its branch and its head.",
    requires=Verdict.PROVED,
    params={"reach": FORK_REACH},
    assumptions=ASSUMPTIONS,
    perturbations=(Perturbation("time_uses_branch_a", {"reach": {**FORK_REACH, "time": ("shared", "branch_a", "time_head")}},
                                "the time loss said to reach branch A"),),
    replay=_replay_reach,
)
def fork_gradient_structure(reach) -> Outcome:
    losses, P, _ = forked_losses()
    table = {}
    # what is decided: d(loss)/d(group) is identically 0 for a group not listed for the task, and not for a listed one
    decided = [(sympy.Ne if group in reach[task] else sympy.Eq)(sympy.Derivative(losses[task], P[group][0]), 0, evaluate=False)
               for task in reach for group in GROUPS[:-1]]
    for task in reach:
        for group in GROUPS[:-1]:
            actual = _reaches(losses[task], P[group])
            table[f"{task}/{group}"] = actual
            if actual != (group in reach[task]):
                return computed(False, method="sympy", evidence={"reaches": table}, witness={"task": task, "group": group},
                                failure=f"the {task} loss {'reaches' if actual else 'does not reach'} {group}",
                                statement=decided)
    return computed(True, method="sympy", evidence={"reaches": table}, witness={"task": "time", "group": "branch_a"},
                    reason="every task reaches exactly its listed groups", statement=decided)


# Parameter counts: widths d (input), s1, s2 (shared), a, b (branches), kb, kg, kt (outputs), weights and biases.
WIDTHS = sympy.symbols("d s1 s2 a b kb kg kt", positive=True, integer=True)


def _dense(i, o):
    return i * o + o


def fork_parameters(d, s1, s2, a, b, kb, kg, kt):
    return _dense(d, s1) + _dense(s1, s2) + _dense(s2, a) + _dense(a, kb) + _dense(a, kg) + _dense(s2, b) + _dense(b, kt)


def separate_parameters(d, s1, s2, a, b, kb, kg, kt):
    trunk = _dense(d, s1) + _dense(s1, s2)
    return (trunk + _dense(s2, a) + _dense(a, kb)) + (trunk + _dense(s2, a) + _dense(a, kg)) + (trunk + _dense(s2, b) + _dense(b, kt))


def count_parameters(layers) -> int:
    """Reference: build every weight matrix and bias vector as nested lists and count their entries."""
    return sum(len([[0] * o for _ in range(i)]) * o + len([0] * o) for i, o in layers)


def _instance_layers(widths, fork: bool):
    d, s1, s2, a, b, kb, kg, kt = widths
    trunk = [(d, s1), (s1, s2)]
    if fork:
        return trunk + [(s2, a), (a, kb), (a, kg), (s2, b), (b, kt)]
    return (trunk + [(s2, a), (a, kb)]) + (trunk + [(s2, a), (a, kg)]) + (trunk + [(s2, b), (b, kt)])


# A width of a layer: a positive integer.
Width = IntRange(1, None)


@forall(
    "ex6.c.fork_parameter_count",
    "The forked network has 2(d s1 + s1 + s1 s2 + s2) + s2 a + a fewer parameters than three separate networks "
    "of the same widths, a positive saving for every choice of widths.",
    cites=cites("Share the first two layers across all tasks"),
    asserts="(beyond the sheet) what sharing the first two layers and the breed/gender branch saves",
    assumptions=("dense layers with a bias per unit; 'same widths' means each separate network repeats the fork's "
                 "layers on its task's path",),
    perturb={"no_factor_2": {"trunk_copies": 1}},
)
def fork_parameter_count(d: Width, s1: Width, s2: Width, a: Width, b: Width, kb: Width, kg: Width, kt: Width,
                         trunk_copies=2, branch_copies=1):
    # the stated saving: the two shared layers counted trunk_copies more times, the breed/gender branch branch_copies
    saving = trunk_copies * (d * s1 + s1 + s1 * s2 + s2) + branch_copies * (s2 * a + a)
    widths = (d, s1, s2, a, b, kb, kg, kt)
    return (separate_parameters(*widths) - fork_parameters(*widths) == saving) & (saving > 0)


CLAIMS = (fork_gradient_structure, fork_parameter_count, masked_gradients)
