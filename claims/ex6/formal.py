"""Exercise 6 (c), (d): gradient structure of the forked multi-task network, and parameter counts."""

from __future__ import annotations

import sympy

from proofs.claims.sheet import cites
from proofs import Function, IntRange, Real, Vector, diff, exists, forall

__all__ = ["CLAIMS", "forked_losses", "fork_parameters", "separate_parameters", "count_parameters"]

GROUPS = ("shared", "branch_a", "branch_b", "breed_head", "gender_head", "time_head", "dog_head")

ASSUMPTIONS = (
    "one unit per layer in the symbolic network (which parameters a loss reaches depends on the graph, not on widths); "
    "activations and per-task losses are arbitrary differentiable functions (undefined in sympy)",
    "shared: two layers; branch A (breed, gender, and in (d) dog) and branch B (time) one hidden layer each; a linear "
    "output head per task",
    "a cat image contributes the breed, gender and time losses; a dog image only the dog loss",
)


# The network's functions: any differentiable activation and per-task losses (their values and slopes free).
ACTIVATION = Function("f")
TASK_LOSSES = {task: Function(f"loss_{task}") for task in ("breed", "gender", "time", "dog")}
# One unit per layer: each group's (weight, bias).
Pair = Vector(Real, 2)


def forked_losses(P, x, cat_counts_dog=0):
    """The forked network of (c) with the dog head of (d), as statement terms: the per-image and per-task losses for
    the parameter groups P (group -> (weight, bias)) at the input x; cat_counts_dog = 1 also counts the dog loss for
    a cat image."""
    f = ACTIVATION
    h1 = f(P["shared"][0] * x + P["shared"][1])
    h2 = f(h1 * P["shared"][1] + P["shared"][0])
    a = f(P["branch_a"][0] * h2 + P["branch_a"][1])
    b = f(P["branch_b"][0] * h2 + P["branch_b"][1])
    out = {"breed": P["breed_head"][0] * a + P["breed_head"][1], "gender": P["gender_head"][0] * a + P["gender_head"][1],
           "dog": P["dog_head"][0] * a + P["dog_head"][1], "time": P["time_head"][0] * b + P["time_head"][1]}
    per_task = {t: TASK_LOSSES[t](out[t]) for t in out}
    cat = per_task["breed"] + per_task["gender"] + per_task["time"] + cat_counts_dog * per_task["dog"]
    return {"cat": cat, **per_task}


def _all(relations):
    out = relations[0]
    for r in relations[1:]:
        out = out & r
    return out


def _gradients(loss, group):
    """d(loss)/d(weight) and d(loss)/d(bias) of a parameter group."""
    return [diff(loss, p) for p in group]


# The (image, parameter group) pairs whose gradient the claim says is zero: the outputs the image does not train.
MASKED = (("cat", "dog_head"), ("dog", "breed_head"), ("dog", "gender_head"), ("dog", "time_head"), ("dog", "branch_b"))


@forall(
    "ex6.d.masked_gradients",
    "With a dog output added to the breed/gender branch, a cat image's loss has zero gradient with respect to the dog "
    "output's parameters and a dog image's loss zero gradient with respect to the cat outputs' parameters, for every "
    "weight setting and input.",
    cites=cites("the output node for the dog is neglected"),
    assumptions=ASSUMPTIONS,
    perturb={"unmasked": {"cat_counts_dog": 1}},
)
def masked_gradients(x: Real, shared: Pair, branch_a: Pair, branch_b: Pair, breed_head: Pair, gender_head: Pair,
                     time_head: Pair, dog_head: Pair, cat_counts_dog=0):
    P = dict(shared=shared, branch_a=branch_a, branch_b=branch_b, breed_head=breed_head, gender_head=gender_head,
             time_head=time_head, dog_head=dog_head)
    losses = forked_losses(P, x, cat_counts_dog)
    return _all([g == 0 for image, group in MASKED for g in _gradients(losses[image], P[group])])


@exists(
    "ex6.d.shared_gradients",
    "The shared layers get gradient from both kinds of image: for some weights, input, activation and losses, the "
    "gradient of a cat image's loss and that of a dog image's loss with respect to the shared weight are not 0.",
    cites=cites("the output node for the dog is neglected"),
    assumptions=ASSUMPTIONS,
    perturb={"dog_from_branch_b": {"dog_group": "branch_b"}},
)
def shared_gradients(x: Real, shared: Pair, branch_a: Pair, branch_b: Pair, breed_head: Pair, gender_head: Pair,
                     time_head: Pair, dog_head: Pair, dog_group="shared"):
    P = dict(shared=shared, branch_a=branch_a, branch_b=branch_b, breed_head=breed_head, gender_head=gender_head,
             time_head=time_head, dog_head=dog_head)
    losses = forked_losses(P, x)
    return (diff(losses["cat"], P["shared"][0]) != 0) & (diff(losses["dog"], P[dog_group][0]) != 0)


FORK_REACH = {
    "breed": ("shared", "branch_a", "breed_head"),
    "gender": ("shared", "branch_a", "gender_head"),
    "time": ("shared", "branch_b", "time_head"),
}
# The groups of the fork of (c): the dog head comes in (d).
FORK_GROUPS = GROUPS[:-1]


def _fork(x, shared, branch_a, branch_b, breed_head, gender_head, time_head):
    """The fork's parameter groups (no dog head: it comes in (d)) and each task's loss at input x."""
    P = dict(shared=shared, branch_a=branch_a, branch_b=branch_b, breed_head=breed_head, gender_head=gender_head,
             time_head=time_head, dog_head=(0, 0))
    return P, forked_losses(P, x)


@forall(
    "ex6.c.fork_gradient_structure",
    "In the forked network (two shared layers, a breed/gender branch and a time branch), the breed and gender losses "
    "change only the shared layers, their branch and their own head; the time loss only the shared layers, its branch "
    "and its head: its gradient with respect to every other group is 0, for every weight setting and input.",
    cites=cites("Share the first two layers across all tasks"),
    assumptions=ASSUMPTIONS,
    perturb={"time_uses_branch_a": {"reach": {**FORK_REACH, "time": ("shared", "branch_a", "time_head")}}},
)
def fork_gradient_structure(x: Real, shared: Pair, branch_a: Pair, branch_b: Pair, breed_head: Pair, gender_head: Pair,
                            time_head: Pair, reach=FORK_REACH):
    P, losses = _fork(x, shared, branch_a, branch_b, breed_head, gender_head, time_head)
    return _all([g == 0 for task in reach for group in FORK_GROUPS if group not in reach[task]
                 for g in _gradients(losses[task], P[group])])


@exists(
    "ex6.c.fork_gradient_reach",
    "Each task's loss does change each group listed for it (the shared layers, its branch and its head): for some "
    "weights, input, activation and losses, each of those gradients is not 0.",
    cites=cites("Share the first two layers across all tasks"),
    assumptions=ASSUMPTIONS,
    perturb={"time_uses_branch_a": {"reach": {**FORK_REACH, "time": ("shared", "branch_a", "time_head")}}},
)
def fork_gradient_reach(x: Real, shared: Pair, branch_a: Pair, branch_b: Pair, breed_head: Pair, gender_head: Pair,
                        time_head: Pair, reach=FORK_REACH):
    P, losses = _fork(x, shared, branch_a, branch_b, breed_head, gender_head, time_head)
    return _all([diff(losses[task], P[group][0]) != 0 for task in reach for group in reach[task]])


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


CLAIMS = (fork_gradient_structure, fork_gradient_reach, fork_parameter_count, masked_gradients, shared_gradients)
