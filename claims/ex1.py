"""Exercise 1 (ConvNets): receptive field, unit and parameter counts, the derivative of max pooling."""

from __future__ import annotations

from typing import Sequence


from proofs.claims.sheet import cites
from proofs import (Erratum, Int, Interval, IntRange, Nat, OneOf, Positive, Real, Vector, every, forall, implies, ite, maximum,
                    note)

# The sheet's stack, input side first: (kind, kernel, stride, padding).
SHEET_LAYERS = (("conv", 3, 1, 1), ("pool", 2, 2, 0))

RECEPTIVE_ASSUMPTIONS = (
    "a unit depends on a unit of the layer below when that unit lies in its window (structural dependency)",
    "units away from the border are modelled on an unbounded grid, so no window reaches the zero padding "
    "(the sheet lets us assume the field lies within the image)",
    "square kernels and pooling windows act on rows and columns alike",
)


def receptive_field_size(layers: Sequence[tuple]) -> int:
    """General formula: r = 1 + sum_l (k_l - 1) * prod_{j<l} s_j, layers listed input side first."""
    r, jump = 1, 1
    for _, k, s, _ in layers:
        r += (k - 1) * jump
        jump *= s
    return r


def field_start(layers: Sequence[tuple], i: int) -> int:
    """Index of the first input pixel in the field of unit i of the top layer: i * prod s - sum p_l * prod_{j<l} s_j."""
    start, jump = 0, 1
    for _, _, s, p in layers:
        start -= p * jump
        jump *= s
    return start + i * jump


def influence_1d(layers: Sequence[tuple], i: int) -> set[int]:
    """Reference: the input indices that feed top-layer unit i, by walking every window down the stack."""
    frontier = {i}
    for _, k, s, p in reversed(layers):
        frontier = {s * u - p + a for u in frontier for a in range(k)}
    return frontier


def influence_2d_finite(n: int, layers: Sequence[tuple], unit: tuple[int, int]) -> tuple[set, bool]:
    """Reference on a real n x n image: pixels feeding the top unit, and whether any window touched padding."""
    sizes = [n]
    for _, k, s, p in layers:
        sizes.append((sizes[-1] + 2 * p - k) // s + 1)
    frontier, touched = {unit}, False
    for level in range(len(layers) - 1, -1, -1):
        _, k, s, p = layers[level]
        below = sizes[level]
        nxt = set()
        for (r, c) in frontier:
            for a in range(k):
                for b in range(k):
                    rr, cc = s * r - p + a, s * c - p + b
                    if 0 <= rr < below and 0 <= cc < below:
                        nxt.add((rr, cc))
                    else:
                        touched = True
        frontier = nxt
    return frontier, touched


def _either(options):
    out = options[0]
    for option in options[1:]:
        out = out | option
    return out


def _every(parts):
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def _fed(layers, top, pixel):
    """Input pixel `pixel` is read by unit `top` of the top layer: going down, unit u of a layer reads s * u - p + a
    of the layer below for every offset a in its window; each choice of offsets reaches coefficient * top + constant."""
    reached = {(1, 0)}
    for _, k, s, p in reversed(layers):
        reached = {(s * coef, s * const - p + a) for coef, const in reached for a in range(k)}
    return _either([pixel == coef * top + const for coef, const in sorted(reached)])


@forall(
    "ex1.a.receptive_field",
    "Every pooling unit of the sheet's network (away from the border) depends on exactly a 4 x 4 square of input pixels.",
    cites=cites(r"receptive field is  $4 \times 4$", r"stride of 2 and  $2 \times 2$  filters",
                "4 of the input units feed into the pooling unit"),
    assumptions=RECEPTIVE_ASSUMPTIONS,
    perturb={
        "size_3": {"size": 3},
        "size_5": {"size": 5},
        "conv_stride_2": {"layers": (("conv", 3, 2, 1), ("pool", 2, 2, 0))},
        "pool_3": {"layers": (("conv", 3, 1, 1), ("pool", 3, 2, 0))},
    },
)
def receptive_field(i: Int, j: Int, x: Int, y: Int, layers=SHEET_LAYERS, size=4):
    # pixel (x, y) feeds pooling unit (i, j) exactly when it lies in the size x size square starting at
    # (x0(i), y0(j)); and the general formula r = 1 + sum_l (k_l - 1) prod_{j<l} s_j gives that size too
    start, jump = field_start(layers, 0), field_start(layers, 1) - field_start(layers, 0)
    fed = _fed(layers, i, x) & _fed(layers, j, y)
    square = _every([start + jump * i <= x, x < start + jump * i + size, start + jump * j <= y, y < start + jump * j + size])
    return implies(fed, square) & implies(square, fed) & (receptive_field_size(layers) == size)


def conv_side(n: int, k: int, stride: int, pad: int) -> int:
    """The sheet's output-size formula (n + 2p - k)/s + 1, rounded down when s does not divide n + 2p - k."""
    return (n + 2 * pad - k) // stride + 1


def _count_windows(n: int, k: int, stride: int, pad: int) -> int:
    """Reference: count the window placements along one side of the padded input."""
    return len(range(0, n + 2 * pad - k + 1, stride))


CONV_ASSUMPTIONS = ("one unit per filter per output position",)


@forall(
    "ex1.b.conv_units",
    "The 1-pixel zero border makes the input 258 x 258; the convolution layer has 256 x 256 positions per filter and "
    "256 * 256 * 3 = 196608 units.",
    cites=cites("(256 + 2 * 1 - 3)/1 + 1 = 256", "256 * 256 * 3", r"the new size is  $258 \times 258$"),
    assumptions=CONV_ASSUMPTIONS,
    perturb={
        "no_padding": {"pad": 0},
        "stride_2": {"stride": 2},
        "units_3x258": {"units": 258 * 258 * 3},
        "padded_257": {"padded": 257},
    },
)
def conv_units(p: Nat, n=256, k=3, stride=1, pad=1, padded=258, filters=3, side=256, units=196608):
    # a border of pad pixels on each side makes the input padded x padded; the formula gives side, and side is the
    # number of window placements: placement p (pixels stride*p .. stride*p + k - 1 of the padded input
    # 0 .. padded - 1) fits exactly when p < side
    formula = (n + 2 * pad == padded) & ((n + 2 * pad - k) / stride + 1 == side) & (side * side * filters == units)
    return formula & implies(p < side, stride * p + k <= padded) & implies(p >= side, stride * p + k > padded)


@forall(
    "ex1.b.conv_params",
    "Each of the 3 filters has 3 * 3 weights and one bias, 10 parameters, 30 in all.",
    cites=cites("3 * 3 + 1 = 10", "3 * 10 = 30"),
    assumptions=(
        "the input image has one channel: the sheet gives no channel count, and its 3 * 3 + 1 per filter implies one; "
        "with 3 input channels (RGB) the count would be 3 * (3 * 3 * 3 + 1) = 84",
        "one bias per filter, shared across positions",
    ),
    perturb={
        "rgb_input": {"in_channels": 3},
        "no_bias": {"biases": 0},
        "per_position": {"params": 196608 * 10},
    },
)
def conv_params(k=3, filters=3, in_channels=1, biases=1, per_filter=10, params=30):
    other = 4 - in_channels  # the other reading of the channels: 3 for 1, 1 for 3
    note(f"under the other reading of the input's channels ({other}): {filters * (k * k * other + biases)} parameters")
    return (k * k * in_channels + biases == per_filter) & (filters * per_filter == params)


POOL_ASSUMPTIONS = ("pooling acts on each of the 3 feature maps separately",)


@forall(
    "ex1.c.pool_units",
    "2 x 2 max pooling with stride 2 on the 256 x 256 x 3 convolution output gives 128 x 128 x 3 = 49152 units: each "
    "side shrinks by a factor of 2.",
    cites=cites("(256 - 2)/2 + 1 = 128", "3 * 128 * 128", "reduces the size of each dimension by a factor of 2"),
    assumptions=("pooling acts on each of the 3 feature maps separately",),
    perturb={
        "stride_1": {"stride": 1},
        "units_one_map": {"units": 128 * 128},
        "window_3": {"k": 3},
        "factor_4": {"factor": 4},
    },
)
def pool_units(p: Nat, n=256, k=2, stride=2, filters=3, side=128, units=49152, factor=2):
    # as conv_units: the formula gives side, which is n divided by factor, and window placement p fits in the n
    # pixels exactly when p < side
    formula = ((n - k) / stride + 1 == side) & (filters * side * side == units) & (side * factor == n)
    return formula & implies(p < side, stride * p + k <= n) & implies(p >= side, stride * p + k > n)


# (d) y = max(z1, z2, z3, z4)

MAX_ASSUMPTIONS = (
    "inputs z range over all of R^4; i* is any index attaining the maximum",
    "a one-sided directional slope that differs from the stated partial derivative rules that derivative out",
)


def _at(z, i):
    """z[i] for an index i that is a quantified variable."""
    return ite(i == 0, z[0], ite(i == 1, z[1], ite(i == 2, z[2], z[3])))


def _max4(z):
    return maximum(maximum(z[0], z[1]), maximum(z[2], z[3]))


@forall(
    "ex1.d.max_pool_derivative",
    "For every input z of a 2 x 2 max pooling unit, dy/dz_i* = 1 and dy/dz_j = 0 for j != i*, where i* is an argmax.",
    cites=cites(
        r"y = \max\{z_1, z_2, z_3, z_4\}",
        r"\frac{\partial y}{\partial z_{i^*}} = 1",
        r"\frac{\partial y}{\partial z_j} = 0",
    ),
    assumptions=MAX_ASSUMPTIONS,
    erratum=Erratum(
        "at a tie (two or more inputs share the maximum) y is not differentiable: along -e_i* the slope is 0, along "
        "+e_i* it is 1, so no derivative exists there; the statement holds exactly when the maximum is unique",
        corrected_by="ex1.d.max_pool_derivative_unique_max",
    ),
)
def max_pool_derivative(z: Vector(Real, 4), i: IntRange(0, 3), k: IntRange(0, 3), s: OneOf(1, -1), c: Real, g_star=1, g_other=0):
    # i is an argmax; if y has the same one-sided slope c along s e_k for every step t in (0, 1], that slope is what
    # the partial derivative dy/dz_k must be: the stated g_k (g_star at i, g_other elsewhere)
    y = _max4(z)
    argmax = _every([_at(z, i) >= z[n] for n in range(4)])
    slope = every(Interval(0, 1, lower_open=True),
                  lambda t: _max4([z[n] + ite(k == n, s * t, 0) for n in range(4)]) - y == s * t * c)
    return implies(argmax & slope, c == ite(k == i, g_star, g_other))


@forall(
    "ex1.d.max_pool_derivative_unique_max",
    "Where the maximum of z is attained by one index i*, y = max(z) is differentiable with gradient e_i*.",
    cites=cites(
        r"y = \max\{z_1, z_2, z_3, z_4\}",
        r"\frac{\partial y}{\partial z_{i^*}} = 1",
        r"\frac{\partial y}{\partial z_j} = 0",
    ),
    assumptions=("inputs z range over R^4 with a unique maximiser",),
    perturb={"g_star_2": {"g_star": 2}, "g_other_1": {"g_other": 1}, "g_star_0": {"g_star": 0}},
)
def max_pool_derivative_unique_max(z: Vector(Real, 4), d: Vector(Real, 4), i: IntRange(0, 3), g_star=1, g_other=0):
    # z_i exceeds every other input by more than twice every |d_n|: then y(z + d) = y(z) + g.d with g = g_star at i and
    # g_other elsewhere, so y is affine near z and its derivative there is g
    top = _at(z, i)
    apart = _every([implies(i != k, (z[k] < top) & _every([(2 * d[n] < top - z[k]) & (-2 * d[n] < top - z[k]) for n in range(4)]))
                    for k in range(4)])
    slope = sum(ite(i == n, g_star, g_other) * d[n] for n in range(4))
    return implies(apart, _max4([z[n] + d[n] for n in range(4)]) == top + slope)


@forall(
    "ex1.d.max_pool_nondifferentiable_at_ties",
    "Where two or more inputs share the maximum, y = max(z) has right slope 1 and left slope 0 along a "
    "maximising coordinate, so it is not differentiable there.",
    cites=cites(r"y = \max\{z_1, z_2, z_3, z_4\}", r"i^* = \arg \max_i z_i"),
    assumptions=("inputs z range over R^4",),
    perturb={"left_1": {"left_slope": 1}, "right_0": {"right_slope": 0}},
)
def max_pool_nondifferentiable_at_ties(z: Vector(Real, 4), i: IntRange(0, 3), j: IntRange(0, 3), t: Positive,
                                       right_slope=1, left_slope=0):
    # (the conditions under which the sheet's derivative exists: a unique maximum) at a tie z_i = z_j = max z the
    # one-sided slopes along e_i differ, so the partial derivative dy/dz_i does not exist
    y = _max4(z)
    up = _max4([z[n] + ite(i == n, t, 0) for n in range(4)])
    down = _max4([z[n] - ite(i == n, t, 0) for n in range(4)])
    tie = (i != j) & (_at(z, i) == y) & (_at(z, j) == y)
    return implies(tie, (up - y == right_slope * t) & (y - down == left_slope * t))
