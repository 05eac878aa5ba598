"""Matrix steps decided on instances: every size up to MAX_SIZE, every index range up to MAX_STEPS, matrices drawn
exactly (sympy Rational matrices, norms as exact algebraic numbers), gradients computed from the forward equations."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import random
from fractions import Fraction
from typing import Optional

import sympy

from proofs.scan import derivatives, elementwise
from proofs.scan.check import Timeout, larger_length
from proofs.scan.matrices import Node
from proofs.scan.normalise import Skip
from proofs.scan.shapes import ROWS, SQUARE, Mismatch, Model, Shapes

__all__ = ["Instance", "Evaluator", "Verdict", "decide", "MAX_SIZE", "MAX_STEPS", "DRAWS", "matrix_text"]

# Every size variable takes 1 .. MAX_SIZE; every free index 1 .. MAX_STEPS + 1 (so a product has 1 .. MAX_STEPS factors).
MAX_SIZE = 3
MAX_STEPS = 3
# Matrices drawn for each choice of sizes and indices, and the fewest instances in all.
DRAWS = 2
ENOUGH = 12
# The most size and index choices tried: every one with no size above 2 (up to this many), then a seeded sample of
# those with a size 3; fewer for a step with a gradient (each one is differentiated exactly).
MAX_CHOICES = 30
MAX_GRADIENT_CHOICES = 14
# Draws per instance kept, at most, when instances must honour facts the material states (most draws do not).
FACT_TRIES = 20
# The most drawn instances set aside for a step (the rest of its choices are then not tried).
FACT_DRAWS = 300
_POOL = [Fraction(n, d) for n in (-3, -2, -1, 1, 2, 3) for d in (1, 2)] + [Fraction(0)]
# Besides the draws, some choices of sizes and indices are tried at copies of their first draw with every drawn
# number scaled: by a small rational of each sign (every entry below 1 in magnitude, fractions only: a step true for
# integer entries or for entries of magnitude 1 or more, or whose sides differ in degree, fails there), by a large
# one, and by 0. A condition a scaled copy would break is not scaled (orthogonal, 0/1 entries), is kept by the draw
# (a definite matrix is s^2 (B^T B + cI), a signed number is made to have its sign) or is checked exactly (invertible,
# nonzero): a copy that fails it is not tried. Sizes, index bounds and stated totals are never scaled.
SCALES = (Fraction(1, 10), Fraction(-1, 10), Fraction(10), Fraction(0))
# The choices of sizes and indices given scaled copies, spread from the smallest to the largest tried.
SCALED_CHOICES = 3
# Besides the sizes up to MAX_SIZE, a step without a gradient is tried once at a larger size, every size the same: past
# MAX_SIZE and past c^2 and 1/c^2 for each number c the step prints (a bound sum x_i <= 2 ||x|| or ||A||_F^2 <= 3
# ||A||^2 fails only at a size above 4 or 3), at most LARGE_SIZE. Its values are the extremes such bounds meet: every
# vector all ones and every matrix the identity (a block of it where not square), then every entry 1.
LARGE_SIZE = 12
STRUCTURED = ("identity", "ones")
# A bound between sides that grow differently with the size (1^T x <= 5 ||x||: n against 5 sqrt(n) at a vector of ones)
# may hold at every size tried and fail past them. Where a size is free to grow past the larger size, a bound is also
# evaluated at the structured values at twice that size; where the ratio of its sides moves toward failing, it is tried
# at the sizes where that ratio, taken as a power of the size, passes 1 (and at every size up to a stated bound near
# the larger size), up to GROWTH_SIZE (GROWTH_VECTOR_SIZE where it draws vectors only: the exact replay of a matrix's
# 2-norm grows as the cube of its size), and refuted there or sent to review.
GROWTH_SIZE = 32
GROWTH_VECTOR_SIZE = 512
_EVERY_SIZE_UP_TO = 24
# Orthogonal 2 x 2 blocks with rational entries (from the Pythagorean triples 3-4-5 and 5-12-13).
_ROTATIONS = [((3, 5), (4, 5)), ((5, 13), (12, 13)), ((4, 5), (3, 5))]
_DIGITS = 60
# Partial derivatives at a point by forward-mode differentiation where the expression allows it (proofs.scan.derivatives),
# else symbolically; the two give the same values (the tests compare them).
FORWARD_MODE = True


class ShapeError(Exception):
    """Shapes that do not fit at an instance (the message names them)."""


@dataclasses.dataclass
class Instance:
    """One choice of sizes, indices and values: what `evaluate` reads names at."""

    sizes: dict
    indices: dict
    # the gradient layout: "column" (denominator layout, a gradient has the variable's shape) or "row"
    layout: str
    rng: random.Random
    # (letter, index) -> sympy Matrix or number: drawn lazily, or computed from a forward equation
    values: dict = dataclasses.field(default_factory=dict)
    # (function, point) -> value, and (function, point) -> derivative: an arbitrary differentiable function
    function_values: dict = dataclasses.field(default_factory=dict)
    derivative_values: dict = dataclasses.field(default_factory=dict)
    # (letter, index) of a variable being differentiated -> its matrix of symbols
    variables: dict = dataclasses.field(default_factory=dict)
    # gradients given free (the boundary of a backward recurrence): (target, (letter, index)) -> matrix
    given: dict = dataclasses.field(default_factory=dict)
    # every drawn number is multiplied by it (see SCALES): 1 for an ordinary draw
    scale: Fraction = Fraction(1)
    # how many drawn numbers a scale other than 1 multiplied (a copy that scaled none is its draw again: not counted)
    scaled_draws: int = 0
    # one of STRUCTURED for the values at the larger size (see LARGE_SIZE): matrices and vectors are not drawn
    structured: Optional[str] = None
    # what the arbitrary functions' values are drawn from (see `_function_value`): the text `rng` was seeded with, or,
    # when none is given, a digest of `rng`'s state when the instance is made
    seed: Optional[str] = None
    # (the vectors said orthonormal together, index) -> the orthogonal matrix whose columns they are; (a family said
    # orthonormal, "family") -> (that matrix, member -> its column)
    frames: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.seed is None:
            self.seed = hashlib.sha256(repr(self.rng.getstate()).encode()).hexdigest()


def _size(shapes: Shapes, d, inst: Instance) -> int:
    d = shapes.find(d)
    return d if isinstance(d, int) else inst.sizes[d]


def _draw(inst: Instance) -> sympy.Rational:
    inst.scaled_draws += inst.scale != 1
    v = inst.rng.choice(_POOL) * inst.scale
    return sympy.Rational(v.numerator, v.denominator)


def _function_value(inst: Instance, name: str, x: sympy.Rational, derivative: bool) -> sympy.Rational:
    """The value of an arbitrary function, or of its derivative, at a number: drawn as `_draw` draws, from a generator
    of its own seeded by the instance, the function, the number and which of the two, so that it is the same whatever
    the order in which an evaluation meets the values (forward or symbolic differentiation) and whatever was drawn
    before it (random seeds text by SHA-512: PYTHONHASHSEED does not matter)."""
    rng = random.Random(f"{inst.seed}|{name}|{'derivative' if derivative else 'value'}|{x}")
    inst.scaled_draws += inst.scale != 1
    v = rng.choice(_POOL) * inst.scale
    return sympy.Rational(v.numerator, v.denominator)


def _magnitude(inst: Instance, power: int) -> sympy.Rational:
    """|scale|^power: what a positive shift of a definite matrix is scaled by (no definite matrix is a copy at 0)."""
    if inst.scale == 0:
        raise _NotDrawn()
    inst.scaled_draws += inst.scale != 1
    return sympy.Rational(abs(inst.scale) ** power)


class _NotDrawn(Exception):
    """A scaled copy of an instance that cannot honour a stated condition (a zero invertible matrix): not tried."""


def _orthogonal(n: int, rng: random.Random) -> sympy.Matrix:
    """A rational orthogonal matrix: a signed permutation, times either a rational rotation in a 2 x 2 block or a
    Cayley transform (I - S)(I + S)^-1 of a rational skew-symmetric S, whose entries are all nonzero in general (a
    unit vector or an orthonormal frame anywhere on the sphere, not only near the axes), when n >= 2."""
    order = list(range(n))
    rng.shuffle(order)
    M = sympy.zeros(n, n)
    for i, j in enumerate(order):
        M[i, j] = rng.choice((1, -1))
    if n >= 2 and rng.random() < 0.7:
        if rng.random() < 0.5:
            (a, c), (b, _) = rng.choice(_ROTATIONS)
            R = sympy.eye(n)
            i, j = rng.sample(range(n), 2)
            cos, sin = sympy.Rational(a, c), sympy.Rational(b, c)
            R[i, i], R[i, j], R[j, i], R[j, j] = cos, -sin, sin, cos
        else:
            S = sympy.zeros(n, n)
            for i in range(n):
                for j in range(i + 1, n):
                    S[i, j] = sympy.Rational(rng.choice((-3, -2, -1, 1, 2, 3)), rng.choice((1, 2, 3)))
                    S[j, i] = -S[i, j]
            R = (sympy.eye(n) - S) * (sympy.eye(n) + S).inv()  # I + S is invertible: S has no real eigenvalue but 0
        M = R * M
    return M


def _signed(x: sympy.Rational, conditions) -> sympy.Rational:
    """A number drawn for a name the material states the sign of ("$\\lambda > 0$"), made to have it."""
    if "positive" in conditions or "nonnegative" in conditions:
        x = abs(x) or (sympy.Integer(1) if "positive" in conditions else x)
    if "negative" in conditions or "nonpositive" in conditions:
        x = -abs(x) or (sympy.Integer(-1) if "negative" in conditions else x)
    if "nonzero" in conditions and x == 0:
        x = sympy.Integer(1)
    return x


def _structured(rows: int, cols: int, conditions: set, inst: Instance) -> sympy.Matrix:
    """A vector of ones, or the identity (a block of it) or a matrix of ones: the values at the larger size."""
    if rows == 1 or cols == 1 or inst.structured == "ones":
        if rows * cols > 1 and conditions & {"orthogonal", "orthonormal", ROWS, "diagonal", "invertible", "definite"}:
            raise _NotDrawn()  # (a matrix of ones is none of these; the identity was tried)
        return sympy.ones(rows, cols)
    if conditions & {"orthogonal", "orthonormal"} and rows < cols or ROWS in conditions and rows > cols:
        raise _NotDrawn()  # (a block of the identity wider than tall has no orthonormal columns, nor one taller rows)
    return sympy.eye(rows, cols)


def _orthogonal_partners(model: Model, letter: str, conditions: set) -> list:
    """The vectors a vector must be drawn orthogonal to: the others said orthogonal with it ("$u, v$ are orthogonal
    vectors"). A word only a square matrix can meet, said of a vector listed beside a matrix the word is also said of
    ("$x \\in \\mathbb{R}^n$ and $A \\in \\mathbb{R}^{n \\times n}$ symmetric"), is about the matrix; said of a vector
    otherwise, it is a condition the draw does not honour, and the step is not checked (a Skip), never dropped."""
    words = conditions & SQUARE
    if not words:
        return []
    vectors = sorted(x for x, c in model.conditions.items() if model.kind(x) == "vector" and words & c)
    matrices = [x for x, c in model.conditions.items() if model.kind(x) == "matrix" and words & c]
    if words in ({"orthogonal"}, {"orthonormal"}) and len(vectors) >= 2 and not matrices:
        return [x for x in vectors if x != letter]
    if matrices and len(vectors) == 1:
        return []
    raise Skip(f"{letter} is a vector said to be {' and '.join(sorted(words))}, a condition the scan does not draw "
               "(orthogonal to what is not stated, or a word for a square matrix)")


def _unit_vector(n: int, rng: random.Random) -> sympy.Matrix:
    """A rational unit vector anywhere on the sphere: the inverse stereographic projection (2t, |t|^2 - 1) / (|t|^2 + 1)
    of a rational t drawn in R^(n-1), its entries in a random order and signs."""
    t = [sympy.Rational(rng.choice((-3, -2, -1, 0, 1, 2, 3)), rng.choice((1, 2, 3))) for _ in range(n - 1)]
    square = sum((x**2 for x in t), sympy.Integer(0))
    entries = [2 * x / (square + 1) for x in t] + [(square - 1) / (square + 1)]
    rng.shuffle(entries)
    return sympy.Matrix([e * rng.choice((1, -1)) for e in entries])


def _spread_unit_vector(n: int) -> sympy.Matrix:
    """A rational unit vector with every entry positive and all of them near 1/sqrt(n) (the inverse stereographic
    projection of t = (a, ..., a), a a fraction near (1 + sqrt(n)) / (n - 1)): where a bound on a vector of stated norm
    fails away from the axes ((1^T x)^2 <= ||x||^2), it fails here."""
    if n == 1:
        return sympy.Matrix([1])
    a = Fraction((1 + math.sqrt(n)) / (n - 1)).limit_denominator(60)
    square = (n - 1) * a * a
    entries = [2 * a / (square + 1)] * (n - 1) + [(square - 1) / (square + 1)]
    return sympy.Matrix([sympy.Rational(e.numerator, e.denominator) for e in entries])


def _stated_norm(facts: tuple, letter: str) -> Optional[sympy.Rational]:
    """The positive number a fact the material states gives the 2-norm of the vector `letter` (||x|| = 1), or None."""
    for left, relation, right in facts:
        for a, b in ((left, right), (right, left)):
            if relation == "=" and a.kind == "norm" and a.data == "2" and a.args[0].kind == "name" \
                    and a.args[0].data[0] == letter:
                value = _numeral(b)
                if value is not None and value > 0:
                    return value
    return None


def _numeral(t) -> Optional[sympy.Rational]:
    """The rational number a side written with numerals, signs, fractions and arithmetic denotes (`-1`, `\\frac{1}{2}`,
    `0.5`), or None."""
    if t.kind == "num":
        return sympy.Rational(Fraction(t.data).numerator, Fraction(t.data).denominator)
    args = [_numeral(a) for a in t.args] if t.args else [None]
    if any(a is None for a in args):
        return None
    if t.kind == "neg" and len(args) == 1:
        return -args[0]
    if t.kind == "add":
        return sum(args, sympy.Integer(0))
    if t.kind == "mul":
        return sympy.Mul(*args)
    if t.kind == "div" and len(args) == 2 and args[1] != 0:
        return args[0] / args[1]
    if t.kind == "pow" and len(args) == 1 and isinstance(t.data, int) and not (args[0] == 0 and t.data < 0):
        return args[0] ** t.data
    return None


def _orthonormal(letter: str, partners: list, shape: tuple, at, inst: Instance) -> sympy.Matrix:
    """A vector said orthonormal with others ("$u, v$ are orthonormal vectors"): its column of one orthogonal matrix
    drawn for them all at the instance (each of norm 1, orthogonal to each other exactly); not drawn where they are more
    than their length."""
    group = sorted([letter, *partners])
    if inst.structured or shape[1] != 1 or len(group) > shape[0]:
        raise _NotDrawn()
    frame = inst.frames.get((tuple(group), at))
    if frame is None:
        frame = inst.frames[(tuple(group), at)] = _orthogonal(shape[0], inst.rng)
    return frame[:, group.index(letter)]


def _frame_member(letter: str, at: int, n: int, conditions: set, inst: Instance) -> sympy.Matrix:
    """A member q_k of a family of vectors said orthonormal (or orthogonal) together ("$q_1, q_2$ are orthonormal
    vectors"): its own column of one orthogonal matrix drawn for the family at the instance, times a nonzero number
    where they are only orthogonal; not drawn where the family has more members than their length, or at the
    structured values."""
    if inst.structured:
        raise _NotDrawn()
    key = (letter, "family")
    frame = inst.frames.get(key)
    if frame is None:
        frame = inst.frames[key] = (_orthogonal(n, inst.rng), {})
    matrix, columns = frame
    if at not in columns:
        if len(columns) >= n:
            raise _NotDrawn()
        length = sympy.Integer(1) if "orthonormal" in conditions else _signed(_draw(inst), {"nonzero"})
        columns[at] = matrix[:, len(columns)] * length
    return columns[at]


def _orthogonalised(value: sympy.Matrix, others: list) -> sympy.Matrix:
    """value with its components along each of others taken out (Gram-Schmidt over the rationals: others are already
    orthogonal to each other); orthogonal to each of them exactly, or not drawn."""
    flat = sympy.Matrix(list(value))
    for w in others:
        w = sympy.Matrix(list(w))
        norm = (w.T * w)[0, 0]
        if norm != 0:
            flat = flat - ((w.T * flat)[0, 0] / norm) * w
    if any((sympy.Matrix(list(w)).T * flat)[0, 0] != 0 for w in others):
        raise _NotDrawn()
    return sympy.Matrix(value.shape[0], value.shape[1], list(flat))


def _draw_matrix(letter: str, rows: int, cols: int, conditions: set, inst: Instance) -> sympy.Matrix:
    rng = inst.rng
    if inst.structured:
        return _structured(rows, cols, conditions, inst)
    if ROWS in conditions:
        # X X^T = I: its rows those of a square orthogonal matrix (a tall one has no orthonormal rows, and one whose
        # columns are orthonormal too is square: else not drawn)
        if rows > cols or conditions & {"orthogonal", "orthonormal"} and rows != cols:
            raise _NotDrawn()
        return _orthogonal(cols, rng)[:rows, :]
    if conditions & {"orthogonal", "orthonormal"}:  # (an orthonormal matrix is an orthogonal one)
        # of a tall one, its columns orthonormal: those of a square orthogonal matrix (a wide one has no orthonormal
        # columns: not drawn)
        if rows < cols:
            raise _NotDrawn()
        return _orthogonal(rows, rng)[:, :cols]
    if "diagonal" in conditions:  # with "binary", entries 0 and 1 only; symmetric too
        pick = (lambda: sympy.Integer(rng.choice((0, 1)))) if "binary" in conditions else (lambda: _draw(inst))
        M = sympy.zeros(rows, cols)
        for i in range(min(rows, cols)):
            M[i, i] = pick()
        if "definite" in conditions or "semidefinite" in conditions:
            # (the shift scaled as the entries are: a scaled copy of a definite diagonal matrix)
            shift = sympy.Rational(1, 10) * _magnitude(inst, 1) if "definite" in conditions else 0
            M = M.applyfunc(abs) + shift * sympy.eye(rows)
        if "invertible" in conditions and M.det() == 0:
            if inst.scale != 1:
                raise _NotDrawn()
            raise Skip(f"no invertible {letter} was drawn")  # a diagonal of zeros and ones that is invertible is I
        if "nonzero" in conditions and M.is_zero_matrix:
            raise _NotDrawn()
        return M
    if "definite" in conditions or "semidefinite" in conditions:
        # B^T B for a B of 1 to n rows (singular ones too), plus a multiple of I for a definite one (a small one:
        # every positive definite matrix is B^T B + c I for some B and c > 0)
        B = sympy.Matrix(rng.randint(1, rows), rows, lambda i, j: _draw(inst))
        shift = rng.choice((sympy.Rational(1, 10), sympy.Rational(1, 2), sympy.Integer(1))) if "definite" in conditions else 0
        return B.T * B + shift * _magnitude(inst, 2) * sympy.eye(rows)  # a scaled copy is s^2 (B^T B + c I)
    for _ in range(20):
        M = sympy.Matrix(rows, cols, lambda i, j: _draw(inst))
        if "symmetric" in conditions:
            M = M + M.T
        if "invertible" in conditions and M.det() == 0 or "nonzero" in conditions and M.is_zero_matrix:
            if inst.scale == 0:
                break
            continue
        return M
    if inst.scale != 1:
        raise _NotDrawn()
    raise Skip(f"no invertible {letter} was drawn")


def _concrete(index, inst: Instance) -> Optional[int]:
    if index is None:
        return None
    v = index.xreplace({s: sympy.Integer(inst.indices[s.name]) for s in index.free_symbols if s.name in inst.indices})
    if not v.is_Integer:
        raise Skip(f"an index {index} the instances do not fix")
    return int(v)


class _AtPoint:
    """The indices of a step's instance as `_concrete` reads them."""

    def __init__(self, indices: dict) -> None:
        self.indices = indices


class Evaluator:
    """Evaluates trees at an instance, exactly; gradients by differentiating the forward equations (sympy)."""

    def __init__(self, model: Model, shapes: Shapes, inst: Instance, lowest: dict) -> None:
        self.model, self.shapes, self.inst = model, shapes, inst
        # letter -> the lowest index of it the step reads: below that, a member of a recurrence is an input
        self.lowest = lowest
        # the step's own indices: `lowest` is read at them, not at an index a forward equation rebinds (the step's t
        # and the recurrence's t are one letter, and h_{t+1} = phi(W h_t) evaluates its body at t := at - 1)
        self.point = dict(inst.indices)
        self.active: set = set()
        # why a gradient at this instance is zero for want of a path (then the instance refutes nothing)
        self.independent: set = set()
        # every (letter, index) read: the members a stated fact about a letter must hold for
        self.read: set = set()
        # the facts the instance must honour (see `decide`), and the members they were checked for
        self.facts: tuple = ()
        self.honoured: set = set()
        # whether a derivative of a vector with respect to a vector was a diagonal Jacobian at this instance (dh/dz
        # for h = phi(z)), which the material may mean as the vector of its diagonal (dL/dh ⊙ dh/dz)
        self.diagonal_jacobian = False
        # whether a diagonal Jacobian is read as the vector of its diagonal (the second reading of a shape error)
        self.as_diagonal = False

    def shape_of(self, letter: str, at: Optional[int] = None):
        s = self.shapes.family(letter, None if at is None else sympy.Integer(at))
        if s == "scalar":
            return s
        return (_size(self.shapes, s[0], self.inst), _size(self.shapes, s[1], self.inst))

    def name(self, letter: str, index) -> object:
        value = self._name(letter, index)
        if self.facts:
            key = (letter, _concrete(index, self.inst))
            if key not in self.honoured:
                self.honoured.add(key)
                if not _member_honours(self, self.facts, key):
                    raise _Unhonoured()  # set aside at once: the rest of the instance is not worth evaluating
        return value

    def _name(self, letter: str, index) -> object:
        inst = self.inst
        at = _concrete(index, inst)
        key = (letter, at)
        self.read.add(key)
        if key in inst.variables:
            return inst.variables[key]
        if at is None and isinstance(inst.indices.get(letter), int) and not isinstance(inst.sizes.get(letter), int) \
                and self.shape_of(letter) == "scalar":
            return sympy.Integer(inst.indices[letter])  # an index read as a number (k of \sum_k k A): never kept
        if key in inst.values:
            return inst.values[key]
        equation = self._equation(letter, at)
        if equation is not None:
            if key in self.active:
                raise Skip(f"{letter} is defined in terms of itself")
            self.active.add(key)
            try:
                var, body = equation
                saved = dict(inst.indices)
                if var is not None:
                    inst.indices[var[0]] = var[1]
                value = self.ev(body)
                inst.indices.clear()
                inst.indices.update(saved)
            finally:
                self.active.discard(key)
            family = self.shape_of(letter, at)
            got = "scalar" if not _is_matrix(value) else value.shape
            if family != got and not (family == (1, 1) and got == "scalar") and self.model.kind(letter) != "defined":
                raise Skip(f"the forward equation of {letter} gives a value of shape {_shape(value)} where {letter} has "
                           f"shape {'scalar' if family == 'scalar' else f'{family[0]}×{family[1]}'}")
            if not inst.variables:
                inst.values[key] = value
            return value
        shape = self.shape_of(letter, at)
        if shape == "scalar" and at is None and isinstance(inst.sizes.get(letter), int):
            value = sympy.Integer(inst.sizes[letter])  # a size the material declares (x in R^n), read as a number: n
        elif shape == "scalar" and at is None and isinstance(inst.indices.get(letter), int):
            value = sympy.Integer(inst.indices[letter])  # the bound of a sum (T of \sum_{t=1}^{T}), read as a number
        elif shape == "scalar":
            value = _signed(_draw(inst), self.model.conditions.get(letter, ()))
        elif at is not None and self._vector_member(letter, at) and \
                self.model.conditions.get(letter, set()) & {"orthogonal", "orthonormal"}:
            value = _frame_member(letter, at, shape[0], self.model.conditions[letter], inst)
        else:
            conditions = self.model.conditions.get(letter, set())
            partners: list = []
            orthonormal = False
            if self.model.kind(letter) == "vector":
                partners = _orthogonal_partners(self.model, letter, conditions)
                orthonormal = bool(partners) and "orthonormal" in conditions
                conditions = conditions - SQUARE
            length = _stated_norm(self.facts, letter) if shape[1] == 1 and not partners else None
            if orthonormal:
                value = _orthonormal(letter, partners, shape, at, inst)
            elif length is not None and inst.structured:
                # the extremes a vector of that norm meets: along an axis, and spread evenly over every entry
                value = (_spread_unit_vector(shape[0]) if inst.structured == "ones" else sympy.eye(shape[0], 1)) * length
            elif length is not None:
                # a vector whose norm a fact states ("assume $\|x\| = 1$"): that many times a unit vector, so that the
                # instances honour it (drawn entries seldom do); whether they do is still checked exactly
                value = _unit_vector(shape[0], inst.rng) * length
            else:
                value = _draw_matrix(letter, shape[0], shape[1], conditions, inst)
            if partners and not orthonormal:
                if inst.structured:
                    raise _NotDrawn()  # (vectors of ones are not orthogonal)
                value = _orthogonalised(value, [inst.values[k] for k in sorted(inst.values, key=str)
                                                if k[0] in partners and k[1] == at])
            total = self.model.totals.get(letter)
            if total is not None and 1 in shape:  # the stated sum of its entries holds exactly: the last one makes it
                value = value.copy()
                value[len(value) - 1] = sympy.Rational(total.numerator, total.denominator) - sum(list(value)[:-1])
        inst.values[key] = value
        return value

    def _vector_member(self, letter: str, at: int) -> bool:
        """Whether the material declares the family, or this member of it, a vector (q_1, q_2 in R^n), not a matrix
        (W_k) whose values at a size of 1 are vectors too."""
        return self.model.kind(letter) == "vector" or self.model.kinds.get(f"{letter}_{at}") == "vector"

    def _equation(self, letter: str, at: Optional[int]):
        for pattern, body in self.model.equations.get(letter, ()):
            if pattern is None:
                if at is None:
                    return None, body
                continue
            if at is None:
                continue
            free = sorted(pattern.free_symbols, key=str)
            if not free:
                if int(pattern) == at:
                    return None, body
                continue
            if len(free) != 1:
                continue
            solved = derivatives.solve_index(pattern, at, free[0])
            if len(solved) != 1 or not solved[0].is_Integer:
                continue
            lows = self.lowest.get(letter)
            # below the first member the step reads (or, for a recurrence the step does not read, below 1) a member of
            # a recurrence is an input: any value is a state the network can be in
            if at <= (min(_concrete(e, _AtPoint(self.point)) for e in lows) if lows else 0):
                return None  # the first member the step reads is an input of the recurrence
            return (free[0].name, int(solved[0])), body
        return None

    def ev(self, n: Node):
        k, a = n.kind, n.args
        if k == "num":
            return sympy.Rational(n.data.numerator, n.data.denominator)
        if k == "name":
            return self.name(*n.data)
        if k == "I":
            size = self._implicit(n)
            return "I" if size is None else sympy.eye(size)  # sized where the step fixes its size (A + 2I, x^T I x)
        if k == "ones":
            size = self._implicit(n)
            if size is None:
                raise Skip("a vector of ones whose length the step does not fix")
            return sympy.ones(size, 1)
        if k == "add":
            values = [self.ev(x) for x in a]
            out = values[0]
            for v in values[1:]:
                out = _add(out, v)
            return out
        if k == "neg":
            v = self.ev(a[0])
            return _scale(sympy.Integer(-1), v)
        if k == "mul":
            out = sympy.Integer(1)
            for x in a:
                out = _mul(out, self.ev(x))
            return out
        if k == "had":
            x, y = self.ev(a[0]), self.ev(a[1])
            if x == "I" or y == "I":
                raise Skip("an elementwise product with an I whose size the step does not fix")
            if _is_matrix(x) and _is_matrix(y):
                if x.shape != y.shape:
                    raise ShapeError(f"an elementwise product of {_shape(x)} and {_shape(y)}")
                return x.multiply_elementwise(y)
            return _mul(x, y)
        if k == "div":
            x, y = self.ev(a[0]), self.ev(a[1])
            y = _scalar(y)
            if y is None:
                raise Skip("a division by a matrix")
            if y == 0:
                raise ZeroDivisionError
            return _scale(1 / y, x)
        if k == "T":
            v = self.ev(a[0])
            return v.T if _is_matrix(v) else v
        if k == "inv":
            v = self.ev(a[0])
            if not _is_matrix(v):
                if v == 0:
                    raise ZeroDivisionError
                return 1 / v
            if v.rows != v.cols:
                raise ShapeError(f"the inverse of a {_shape(v)} matrix")
            if v.det() == 0:
                raise ZeroDivisionError
            return v.inv()
        if k == "pow" and n.data == 2 and a[0].kind == "norm":
            v = self.ev(a[0].args[0])  # a squared vector or Frobenius norm is a sum of squares
            if _is_matrix(v) and (1 in v.shape or a[0].data == "F" or self.model.matrix_norm == "F"):
                return sum(x**2 for x in v)
            if not _is_matrix(v):
                return v**2
        if k == "pow":
            v = self.ev(a[0])
            out = v
            for _ in range(n.data - 1):
                out = _mul(out, v)
            return out
        if k == "norm":
            return self.norm(_sized(self.ev(a[0]), "a norm of"), n.data)
        if k == "abs":
            v = _scalar(_sized(self.ev(a[0]), "bars around"))
            if v is None:
                raise ShapeError("bars around a matrix")
            return abs(v)
        if k == "tr":
            v = _sized(self.ev(a[0]), "the trace of")
            if not _is_matrix(v):
                return v
            if v.rows != v.cols:
                raise ShapeError(f"the trace of a {_shape(v)} matrix")
            return v.trace()
        if k in ("Diag", "diag"):
            v = self.ev(a[0])
            if not _is_matrix(v):
                return v
            if v.cols == 1:
                return sympy.diag(*list(v))
            if k == "diag" and v.rows == v.cols:
                return sympy.Matrix([v[i, i] for i in range(v.rows)])
            raise ShapeError(f"{k} of a {_shape(v)} matrix")
        if k == "elem":
            v = self.ev(a[0])
            return v.applyfunc(lambda x: elementwise.apply(n.data, x)) if _is_matrix(v) else elementwise.apply(n.data, v)
        if k == "softmax":
            return elementwise.softmax(self.ev(a[0]))
        if k == "vec":  # a vector defined entry by entry
            saved = self.inst.indices.get(n.data.name)
            items = []
            for j in range(1, self._length(a[0], n.data) + 1):
                self.inst.indices[n.data.name] = j
                items.append(_scalar(self.ev(a[0])))
            if saved is None:
                self.inst.indices.pop(n.data.name, None)
            else:
                self.inst.indices[n.data.name] = saved
            if any(x is None for x in items):
                raise ShapeError("an entry that is not a number")
            return sympy.Matrix(items)
        if k == "at":
            v = self.ev(a[0])
            if not _is_matrix(v):
                raise ShapeError(f"an entry of a {_shape(v)} value")
            row, col = (_concrete(i, self.inst) for i in n.data)
            if col is None:
                if 1 not in v.shape:
                    raise ShapeError(f"entry {row} of a {_shape(v)} matrix")
                if not 1 <= row <= len(v):
                    raise _Outside(n.data[0], len(v))
                return v[row - 1]
            if not 1 <= row <= v.rows:
                raise _Outside(n.data[0], v.rows)
            if not 1 <= col <= v.cols:
                raise _Outside(n.data[1], v.cols)
            return v[row - 1, col - 1]
        if k == "entry":
            v = self.ev(a[0])
            if not _is_matrix(v) or 1 not in v.shape:
                raise ShapeError(f"an entry of a {_shape(v)} value")
            at = _concrete(n.data, self.inst)  # x_{T-1-k'} of a product read from the top down: at an expression
            if not 1 <= at <= len(v):
                raise Skip(f"an entry {n.data} the instances do not fix")
            return v[at - 1]
        if k in ("apply", "dapply"):
            v = self.ev(a[0])
            if _is_matrix(v):
                return v.applyfunc(lambda x: self.function(n.data, x, k == "dapply"))
            return self.function(n.data, v, k == "dapply")
        if k == "grad":
            return self.gradient(a[0], a[1])
        if k == "hess":
            return self.hessian(a[0], a[1])
        if k in ("prod", "sum"):
            var, lo, hi = n.data
            lo_v = _concrete(lo, self.inst)
            hi_v = self._length(a[0], var) if hi is None else _concrete(hi, self.inst)
            if hi_v < lo_v:
                raise _Empty(f"an empty \\{k}")
            saved = self.inst.indices.get(var.name)
            out = sympy.Integer(1 if k == "prod" else 0)
            for j in range(lo_v, hi_v + 1):  # in index order, each factor to the right of the ones before
                self.inst.indices[var.name] = j
                try:
                    term = self.ev(a[0])
                except _Outside as exc:
                    if exc.index is not None and var in exc.index.free_symbols and \
                            {s.name for s in (lo.free_symbols | (hi.free_symbols if hi is not None else set()))} <= set(self.inst.sizes):
                        # the sum's own bounds (numbers, declared sizes) run past the end of what it reads: the step
                        # does not fit at these sizes (\sum_{i=1}^{n} A_{ij} with A of m rows), not an index to set aside
                        raise _Overrun(f"\\{k}_{{{var}={lo}}}^{{{hi}}} reads an entry {var} = {j} past the end of "
                                       f"what it indexes ({exc.length} entries) at {self.inst.sizes}") from None
                    raise
                out = _mul(out, term) if k == "prod" else (term if j == lo_v else _add(out, term))
            if saved is None:
                self.inst.indices.pop(var.name, None)
            else:
                self.inst.indices[var.name] = saved
            return out
        raise Skip(f"{k} is not read in matrix notation")

    def _implicit(self, n: Node) -> Optional[int]:
        """The size of an I or a ones vector on this instance, where the shapes fix it (to a number or a size tried)."""
        d = self.shapes.size_of(n)
        if isinstance(d, int):
            return d
        return self.inst.sizes.get(d) if isinstance(d, str) else None

    def _length(self, body: Node, var) -> int:
        """The number of entries a sum over the entries of vectors runs over: their common length."""
        lengths = set()
        for vector in elementwise.entry_vectors(body, var):
            v = self.ev(vector)
            if not _is_matrix(v) or 1 not in v.shape:
                raise ShapeError(f"entries of a {_shape(v)} value")
            lengths.add(len(v))
        for m, axis in elementwise.entry_axes(body, var):  # W_{ij} x_j: the columns of W too
            v = self.ev(m)
            if not _is_matrix(v) or (axis is None and 1 not in v.shape):
                raise ShapeError(f"entries of a {_shape(v)} value")
            lengths.add(len(v) if axis is None else v.shape[axis])
        if len(lengths) != 1:
            raise ShapeError(f"a sum over the entries of vectors of lengths {sorted(lengths)}")
        return lengths.pop()

    def function(self, name: str, x, derivative: bool):
        if x.is_Rational:
            table = self.inst.derivative_values if derivative else self.inst.function_values
            if (name, x) not in table:
                table[(name, x)] = _function_value(self.inst, name, x, derivative)
            return table[(name, x)]
        f = sympy.Function(name)
        if derivative:
            d = sympy.Dummy("u")
            return sympy.Subs(sympy.Derivative(f(d), d), d, x)
        return f(x)

    def norm(self, v, kind: str):
        if not _is_matrix(v):
            return abs(v)
        if kind == "F" or v.rows == 1 or v.cols == 1 or self.model.matrix_norm == "F":
            return sympy.sqrt(sum(x**2 for x in v))
        x = sympy.Symbol("x")
        roots = sympy.real_roots(sympy.Poly((v.T * v).charpoly(x).as_expr(), x))
        return sympy.sqrt(max(roots))

    def gradient(self, target: Node, variable: Node):
        letter, index = variable.data
        at = _concrete(index, self.inst)
        t_letter, t_index = target.data if target.kind == "name" else (None, None)
        given = self.inst.given.get((t_letter, (letter, at)))
        if given is not None:
            return given if self.inst.layout == "column" or not _is_matrix(given) else given.T
        shape = self.shape_of(letter, at)
        point = self.name(letter, index)
        saved_values = dict(self.inst.values)
        rows, cols = (1, 1) if shape == "scalar" else shape
        symbols = sympy.Matrix(rows, cols, lambda i, j: sympy.Dummy(f"{letter}{i}{j}", real=True))
        self.inst.variables = {(letter, at): symbols if shape != "scalar" else symbols[0, 0]}
        self.inst.values = {k: v for k, v in saved_values.items() if k == (letter, at) or self._input(k)}
        try:
            value = self.ev(target) if t_letter is None else self._through(t_letter, t_index, (letter, at))
        finally:
            drawn = {k: v for k, v in self.inst.values.items() if self._input(k)}
            self.inst.variables = {}
            self.inst.values = {**saved_values, **drawn}
        jacobian = _is_matrix(value) and value.shape != (1, 1)
        if jacobian and (1 not in value.shape or cols != 1 or shape == "scalar"):
            raise Skip(f"a derivative of {target}, which is not a scalar, with respect to something other than a vector")
        if _is_matrix(value) and not jacobian:
            value = value[0, 0]
        if not any(s in value.free_symbols for s in symbols):
            # no path from the variable to the target at this instance (a zero weight, or none the material writes)
            self.independent.add(f"{t_letter} does not depend on {letter} through the forward equations the material writes")
        if t_letter is None:
            self.ev(target)  # the forward pass at the point: the functions' values there
        else:
            self._through(t_letter, t_index, (letter, at))
        subs = dict(zip(list(symbols), list(point) if _is_matrix(point) else [point]))

        # an arbitrary function's values are drawn by (function, number) whatever the order they are met in: forward
        # mode through them reads the same values the symbolic route reads
        def partials(value):
            quick = derivatives.partials_at(value, subs, self.function) if FORWARD_MODE else {}

            def partial(symbol):  # the other entries at the point first: a derivative of a far smaller expression
                if symbol in quick:
                    return quick[symbol]
                return self._resolve(derivatives.diff(value.xreplace({s: v for s, v in subs.items() if s != symbol}), symbol)
                                     .subs(symbol, subs[symbol]))
            return sympy.Matrix(rows, cols, lambda i, j: partial(symbols[i, j]))
        if jacobian:
            # the Jacobian of a vector with respect to a vector: entry (i, k) is d value_k / d x_i in the denominator
            # layout (the gradient of each entry a column), (k, i) in the numerator layout
            columns = [partials(e) for e in value]
            grad = sympy.Matrix.hstack(*columns)
            if grad.rows == grad.cols > 1 and all(grad[i, j] == 0 for i in range(grad.rows) for j in range(grad.cols) if i != j):
                # diagonal (h = phi(z) entry by entry): ML notation also writes it as the vector of its diagonal
                self.diagonal_jacobian = True
                if self.as_diagonal:
                    diagonal = sympy.Matrix([grad[i, i] for i in range(grad.rows)])
                    return diagonal if self.inst.layout == "column" else diagonal.T
            return grad if self.inst.layout == "column" else grad.T
        grad = partials(value)
        if shape == "scalar":
            return grad[0, 0]
        return grad if self.inst.layout == "column" else grad.T

    def hessian(self, target: Node, variable: Node):
        """The matrix of second derivatives of a number with respect to a vector (or a number), exactly: of a target
        that applies no function the material leaves arbitrary (whose second derivatives the instances do not draw)."""
        letter, index = variable.data
        at = _concrete(index, self.inst)
        shape = self.shape_of(letter, at)
        point = self.name(letter, index)
        if shape != "scalar" and shape[1] != 1:
            raise Skip("a Hessian with respect to a matrix")
        n = 1 if shape == "scalar" else shape[0]
        symbols = [sympy.Dummy(f"{letter}{i}", real=True) for i in range(n)]
        saved_values = dict(self.inst.values)
        self.inst.variables = {(letter, at): sympy.Matrix(symbols) if shape != "scalar" else symbols[0]}
        self.inst.values = {k: v for k, v in saved_values.items() if k == (letter, at) or self._input(k)}
        try:
            value = self.ev(target) if target.kind != "name" else self._through(target.data[0], target.data[1], (letter, at))
        finally:
            drawn = {k: v for k, v in self.inst.values.items() if self._input(k)}
            self.inst.variables = {}
            self.inst.values = {**saved_values, **drawn}
        if _is_matrix(value):
            if value.shape != (1, 1):
                raise Skip(f"a Hessian of {target}, which is not a number")
            value = value[0, 0]
        if value.has(sympy.core.function.AppliedUndef, sympy.Subs, sympy.Derivative):
            raise Skip("a second derivative of a function the material leaves arbitrary")
        subs = dict(zip(symbols, list(point) if _is_matrix(point) else [point]))
        out = derivatives.hessian_at(value, symbols, subs, FORWARD_MODE)
        return out[0, 0] if shape == "scalar" else out

    def _input(self, key) -> bool:
        """Whether a value drawn before is an input (no forward equation gives it)."""
        return self._equation(key[0], key[1]) is None

    def _through(self, t_letter: str, t_index, variable) -> object:
        """The target as a function of the variable's symbols: its forward equation, or, for a target the
        material leaves undefined (a loss l), the given gradients at the boundary dotted with what they differentiate."""
        if self.model.equations.get(t_letter):
            return self.name(t_letter, t_index)
        boundary = [(k, g) for k, g in self.inst.given.items() if k[0] == t_letter]
        if not boundary:
            raise Skip(f"a derivative of {t_letter}, which no forward equation defines")
        total = sympy.Integer(0)
        for (_, (b_letter, b_at)), g in boundary:
            inner = self.name(b_letter, sympy.Integer(b_at) if b_at is not None else None)
            # the given gradient's entries times the entries they differentiate (g^T h for vectors, tr(g^T H) for
            # matrices): the loss as the boundary's linear function
            total = _add(total, sum(g.multiply_elementwise(inner)) if _is_matrix(g) and _is_matrix(inner)
                         and g.shape == inner.shape else _mul(g.T, inner) if _is_matrix(g) else g * inner)
        return total

    def _resolve(self, e):
        """A derivative's value with the arbitrary functions' values and derivatives at numbers filled in."""
        def sub(x):
            point = x.point[0]
            if not point.is_Rational:
                raise Skip("a derivative at a point that is not a number")
            return self.function(x.expr.args[0].func.__name__, point, True)
        if e.has(sympy.Subs) or e.has(sympy.Derivative):
            def as_subs(x):  # d phi(psi(r)) / d psi(r), as sympy writes phi'(psi(r)): phi' at the point psi(r)
                d = sympy.Dummy("u")
                return sympy.Subs(sympy.Derivative(x.expr.func(d), d), d, x.variables[0])
            e = e.replace(lambda x: isinstance(x, sympy.Derivative) and len(x.variables) == 1
                          and not x.variables[0].is_Symbol and isinstance(x.expr, sympy.core.function.AppliedUndef)
                          and x.expr.args == (x.variables[0],), as_subs)
            # innermost first: through two steps of a recurrence a derivative's point holds a function's value
            # (phi'(W phi(z_2) + ...)), a number only once that value is filled in
            for _ in range(64):
                if all(x.point[0].is_Rational for x in e.atoms(sympy.Subs)):
                    break
                before = e
                e = e.replace(lambda x: isinstance(x, sympy.core.function.AppliedUndef) and x.args[0].is_Rational,
                              lambda x: self.function(x.func.__name__, x.args[0], False))
                e = e.replace(lambda x: isinstance(x, sympy.Subs) and x.point[0].is_Rational, sub)
                if e == before:
                    break
        e = e.replace(lambda x: isinstance(x, sympy.Subs), sub)
        e = e.replace(lambda x: isinstance(x, sympy.Derivative), lambda x: self.function(x.expr.func.__name__, x.expr.args[0], True))
        e = e.replace(lambda x: isinstance(x, sympy.core.function.AppliedUndef) and x.args[0].is_Rational,
                      lambda x: self.function(x.func.__name__, x.args[0], False))
        return sympy.nsimplify(e) if e.has(sympy.Float) else e


def _transcendental(*values) -> bool:
    return any(elementwise.transcendental(x) for v in values for x in (v if _is_matrix(v) else [v]))


def _rational(v) -> bool:
    if _is_matrix(v):
        return all(x.is_Rational for x in v)
    return v == "I" or getattr(v, "is_Rational", False)


def _is_matrix(v) -> bool:
    return isinstance(v, sympy.MatrixBase)


def _shape(v) -> str:
    return f"{v.rows}×{v.cols}" if _is_matrix(v) else "scalar"


def _scalar(v):
    if _is_matrix(v):
        return v[0, 0] if v.shape == (1, 1) else None
    return v


def _scale(s, v):
    if v == "I":
        return _mul(s, v)
    return v.applyfunc(lambda x: s * x) if _is_matrix(v) else s * v


def _add(x, y):
    if x == "I" or y == "I":
        other = y if x == "I" else x
        if not _is_matrix(other):
            raise Skip("a sum with I whose size the step does not fix")
        if other.rows != other.cols:
            raise ShapeError("I added to something that is not a square matrix")
        return other + sympy.eye(other.rows)
    if _is_matrix(x) and _is_matrix(y):
        if x.shape != y.shape:
            raise ShapeError(f"a sum of {_shape(x)} and {_shape(y)}")
        return x + y
    if _is_matrix(x) or _is_matrix(y):
        m = x if _is_matrix(x) else y
        if m.shape == (1, 1):
            return m[0, 0] + (y if m is x else x)
        if 1 in m.shape:  # 1 - h for a vector h: the number added to each entry, as ML notation writes it
            s = y if m is x else x
            return m.applyfunc(lambda e: e + s)
        raise Skip(f"a number added to a {_shape(m)} matrix (to each entry, or times I: the notation does not say)")
    return x + y


def _mul(x, y):
    if x == "I" or y == "I":
        other = y if x == "I" else x
        if _is_matrix(other) or other == "I" or other == 1:
            return other if _is_matrix(other) else "I"
        # c I: an identity scaled by a number, whose size the step does not fix (never the identity itself)
        raise Skip("a multiple of I whose size the step does not fix")
    if _is_matrix(x) and _is_matrix(y):
        if x.cols != y.rows:
            if x.shape == (1, 1):
                return _scale(x[0, 0], y)
            if y.shape == (1, 1):
                return _scale(y[0, 0], x)
            raise ShapeError(f"a product of {_shape(x)} and {_shape(y)}")
        return x * y
    if _is_matrix(x):
        return _scale(y, x)
    if _is_matrix(y):
        return _scale(x, y)
    return x * y


def matrix_text(v) -> str:
    if _is_matrix(v):
        return "[" + ", ".join("[" + ", ".join(_number_text(x) for x in v.row(i)) + "]" for i in range(v.rows)) + "]"
    return _number_text(v)


def _number_text(x) -> str:
    """A value as text: exactly when rational, else to 15 digits (≈), as an exp or a log of a rational has no short
    exact form."""
    if isinstance(x, sympy.Basic) and x.is_number and not x.is_Rational and elementwise.transcendental(x):
        return "0" if elementwise.exact_sign(x) == 0 else f"≈{float(sympy.N(x, 20)):.15g}"
    return str(x)


def _sized(v, what: str):
    """v, unless it is an identity I whose size nothing in the step fixes (tr(I), ||I||_F): its value depends on that
    size, so the step is skipped with a reason."""
    if isinstance(v, str) and v == "I":
        raise Skip(f"{what} an identity I whose size the step does not fix (its value depends on that size)")
    return v


def compare(x, relation: str, y) -> Optional[bool]:
    """Whether x RELATION y: exactly for rationals, else by 60 digits (None when they agree to 60 digits)."""
    if not (_is_matrix(x) or _is_matrix(y)):
        x, y = _sized(x, "a side that is"), _sized(y, "a side that is")
    if _is_matrix(x) or _is_matrix(y):
        if x == "I" or y == "I":
            m = y if x == "I" else x
            x, y = (sympy.eye(m.rows), m) if x == "I" else (m, sympy.eye(m.rows))
        if _is_matrix(x) and _is_matrix(y) and x.shape == y.shape:
            if relation not in ("=", "!="):
                raise Skip("an inequality between matrices")
            verdicts = [compare(a, "=", b) for a, b in zip(x, y)]
            equal = None if None in verdicts and False not in verdicts else all(verdicts)
            return equal if relation == "=" or equal is None else not equal
        sx, sy = _scalar(x), _scalar(y)
        if sx is None or sy is None:
            raise ShapeError(f"sides of shapes {_shape(x)} and {_shape(y)}")
        x, y = sx, sy
    d = sympy.nsimplify(x - y) if (x - y).has(sympy.Float) else x - y
    if not d.is_Rational and elementwise.transcendental(d):
        sign = elementwise.exact_sign(d)  # equal only symbolically, apart only by certified intervals
        if sign is None:
            return None
    elif d.is_Rational:
        sign = int(bool(d > 0)) - int(bool(d < 0))
    else:
        value = sympy.N(d, _DIGITS)
        if not value.is_real:
            raise Skip("a value that is not a real number")
        scale = max(abs(sympy.N(x, 20)), abs(sympy.N(y, 20)), 1)
        if abs(value) < scale * sympy.Float(10) ** (-(_DIGITS - 15)):
            return None
        sign = 1 if value > 0 else -1
    return {"=": sign == 0, "!=": sign != 0, "<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}[relation]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """Returned by `decide`: "refuted" (with the instance), "checked" (with where) or "skipped" (why)."""

    status: str
    reason: str
    # for a refuted step: sizes, indices, the values of the names read, and both sides
    counterexample: Optional[dict] = None


def _free_indices(*trees: Node) -> list[str]:
    names: set = set()
    bound: set = set()

    def walk(n: Node) -> None:
        if n.kind == "name" and n.data[1] is not None:
            names.update(s.name for s in n.data[1].free_symbols)
        if n.kind == "at":
            names.update(s.name for i in n.data if i is not None for s in i.free_symbols)
        if n.kind in ("prod", "sum"):
            var, lo, hi = n.data
            bound.add(var.name)
            names.update(s.name for s in lo.free_symbols | (hi.free_symbols if hi is not None else set()))
        for x in n.args:
            walk(x)
    for t in trees:
        walk(t)
    return sorted(names - bound)


def _ranges(*trees: Node) -> list:
    out = []

    def walk(n: Node) -> None:
        if n.kind in ("prod", "sum") and n.data[2] is not None:  # (a sum over entries runs over all of them)
            out.append((n.data[1], n.data[2]))
        for x in n.args:
            walk(x)
    for t in trees:
        walk(t)
    return out


def _grads(*trees: Node) -> list:
    out = []

    def walk(n: Node) -> None:
        if n.kind == "grad":
            out.append(n)
        for x in n.args:
            walk(x)
    for t in trees:
        walk(t)
    return out


def _spread(choices: list) -> list:
    """The choices of sizes and indices taken in turn across the choices of sizes (the first index point of each, then
    the second, ...), at each size the points whose indices all fall within its largest size first: a budget cut
    then keeps every choice of sizes, with points where entries can be read, instead of spending itself on the
    smallest sizes at indices past their end ((A^T)_{ij} = A_{ij} with A of N × q was checked on 1 × 1 matrices
    alone)."""
    groups: dict = {}
    for c in choices:
        groups.setdefault(tuple(sorted(c[0].items())), []).append(c)
    for key, group in groups.items():
        top = max((v for _, v in key), default=0)
        group.sort(key=lambda c: any(v > top for v in c[1].values()))
    out = []
    for k in range(max((len(g) for g in groups.values()), default=0)):
        out += [g[k] for g in groups.values() if k < len(g)]
    return out


def _index_choices(indices: list[str], ranges: list) -> list[dict]:
    values = range(1, MAX_STEPS + 2)
    out = []
    for combo in itertools.product(values, repeat=len(indices)):
        point = dict(zip(indices, combo))
        ok = True
        for lo, hi in ranges:
            if any(s.name not in point for s in lo.free_symbols | hi.free_symbols):
                continue  # a bound that reads a size (j = 1..n-1, x in R^n): its range is the size's on each instance
            subs = {s: sympy.Integer(point[s.name]) for s in lo.free_symbols | hi.free_symbols}
            lo_v, hi_v = lo.xreplace(subs), hi.xreplace(subs)
            if not (lo_v.is_Integer and hi_v.is_Integer and 0 <= hi_v - lo_v < MAX_STEPS):
                ok = False
        if ok:
            out.append(point)
    return out or [{}]


def decide(left: Node, relation: str, right: Node, model: Model, seed: str, lowest: dict, facts: tuple = (),
           sizes: Optional[dict] = None, worded: Optional[str] = None) -> Verdict:
    """Decide `left RELATION right` on every instance: refuted only when every layout its gradients allow fails.
    `facts`: relations (left, relation, right) the material states about names of the step (||D_k|| = 1 for every k);
    only instances at which each holds, for every member of its names the step reads, are kept. `sizes`: letter ->
    (lowest, highest, whether a condition on it is not read), what the section states about a letter that may be a
    size (None for no bound): the larger size honours it, and a step failing only there under a condition not read
    needs review. `worded`: words of the section that may state a size the scan does not read ("with $16$ entries",
    "at most 16"): a step failing only at the larger size then needs review."""
    grads = _grads(left, right)
    layouts = list(model.layouts) if any(g.args[1].kind == "name" and model.kind(g.args[1].data[0]) != "scalar" for g in grads) \
        else ["column"]
    failures = []
    for layout in layouts:
        verdict = _decide_layout(left, relation, right, model, seed, lowest, layout, grads, facts, sizes or {}, worded)
        if verdict.status != "refuted":
            if verdict.status == "checked" and len(layouts) > 1:
                what = "numerator layout (gradients of vectors are rows)" if layout == "row" else \
                    "denominator layout (a gradient has the shape of its variable)"
                return Verdict("checked", f"{verdict.reason}, reading gradients in the {what}")
            return verdict
        failures.append(verdict)
    if len(failures) > 1:
        # every reading fails; the counterexample kept is one of values when there is one (shapes alone are weaker)
        kept = next((f for f in failures if not f.counterexample.get("shapes_only")), failures[0])
        texts = [f"read with gradients as {'columns (denominator' if layout == 'column' else 'rows (numerator'} layout): "
                 f"{f.reason}" for layout, f in zip(layouts, failures)]
        return Verdict("refuted", "fails under every layout its gradients allow: " + "; ".join(texts), kept.counterexample)
    return failures[0]


def _decide_layout(left, relation, right, model, seed, lowest, layout, grads, facts=(), stated=None,
                   worded=None) -> Verdict:
    shapes = Shapes(model)
    # a letter that is an index of the step (T of \\sum_{k=t}^{T-1}) is that number wherever the step reads it, unless
    # the material declares or defines it
    shapes.scalars |= {i for i in _free_indices(left, right) if i not in model.kinds and i not in model.equations}
    # A forward equation the scan cannot give a shape (Diag of a scalar) is left out, unless the step reads its letter.
    read = {n[0] for n in _names(left, right, model)}
    unread = set()
    try:
        for _ in range(3):  # a definition whose value is a scalar (L = ||y - Xw||^2) makes its letter one
            for letter, eqs in model.equations.items():
                probe = Shapes(model)
                probe.scalars = set(shapes.scalars)
                try:
                    if letter not in model.kinds and all(probe.infer(body, strict=True, layout=layout) == "scalar"
                                                         for _, body in eqs):
                        shapes.scalars.add(letter)
                except Skip:
                    if letter in read:
                        raise
                    unread.add(letter)
        for letter, eqs in model.equations.items():
            if letter in unread:
                continue
            for _, body in eqs:  # noqa: B007 - the index pattern names the family (W_1)
                family = shapes.family(letter, _)
                inferred = shapes.infer(body, strict=True, layout=layout)
                if family != "scalar" and inferred != "scalar":
                    shapes.unify(family[0], inferred[0], True)
                    shapes.unify(family[1], inferred[1], True)
    except Mismatch as exc:
        return Verdict("skipped", f"the forward equations' shapes do not fit ({exc})")
    inferred = []
    for side in (left, right):
        try:
            inferred.append(shapes.infer(side, layout=layout))
        except Mismatch:
            pass  # the instances show where (a counterexample of shapes, replayed)
    if len(inferred) == 2 and "scalar" not in inferred:
        # sizes the material does not name take the sizes that make the sides alike (a W written without its shape is
        # as square as the step needs); two sizes it names stay apart, so a step mixing them is refuted
        for a, b in zip(*inferred):
            a, b = shapes.find(a), shapes.find(b)
            if isinstance(a, str) and isinstance(b, str) and (_unnamed(a) or _unnamed(b)):
                shapes.unify(a, b, False)
    # (the size of I is the size it is used at: it takes none of its own)
    dims = sorted({shapes.find(d) for name in _names(left, right, model) for d in _dims(shapes, *name)
                   if isinstance(shapes.find(d), str)})
    if len(dims) > 6:
        return Verdict("skipped", f"{len(dims)} independent sizes, too many to try every one")
    # a bound of a sum that is a size the step's shapes read (\sum_{i=1}^{n} x_i y_i with x in R^n) is that size on
    # each instance, not an index of its own
    sized = {i: shapes.find(i) for i in _free_indices(left, right) if shapes.find(i) in dims}
    indices = [i for i in _free_indices(left, right) if i not in sized]
    small_sizes = {d: _small_sizes(d, stated or {}) for d in dims}
    ruled_out = [d for d in dims if not small_sizes[d]]
    if ruled_out:
        return Verdict("skipped", f"the value or bounds the section states on {ruled_out[0]} allow no size")
    choices = [(dict(zip(dims, sizes)), point) for sizes in itertools.product(*(small_sizes[d] for d in dims))
               for point in _index_choices(indices, _ranges(left, right))]
    choices.sort(key=lambda c: (max(c[0].values(), default=0), sum(c[0].values()), sorted(c[1].items())))
    rng = random.Random(seed + layout)
    budget = MAX_GRADIENT_CHOICES if grads else MAX_CHOICES
    small = [c for c in choices if max(c[0].values(), default=0) <= 2]
    if len(choices) > budget:
        small = _spread(small)[:budget * 2 // 3]
        large = [c for c in choices if c not in small]
        choices = small + rng.sample(large, min(len(large), budget - len(small)))
    held, undecided, tried, independent, close, inexact, dropped = 0, 0, set(), set(), 0, 0, 0
    unsettled, elementary, outside, scaled, overrun = 0, False, 0, 0, ""
    empty, empty_kind = 0, ""
    held_sizes: set = set()
    draws = max(DRAWS, -(-ENOUGH // max(len(choices), 1)))  # at least ENOUGH instances in all
    copied = {round(i * (len(choices) - 1) / max(SCALED_CHOICES - 1, 1)) for i in range(SCALED_CHOICES)}
    large = _large_size(left, right)
    larger = _honoured(dims, large, stated or {})
    # (where the material fixes every size by a number, x in R^3, the values are tried at those sizes: a bound with a
    # constant that holds only up to a size fails there with a vector of ones, which the draws seldom meet)
    structured = [] if grads or larger is None else \
        [(larger, _large_point(indices, _ranges(left, right), large) or choices[0][1], kind) for kind in STRUCTURED]
    unread = sorted(d for d in dims if (stated or {}).get(d, (None, None, False))[2])
    large_held = 0
    for number, (sizes, point, kind) in enumerate([(s, p, None) for s, p in choices] + structured):
        kept = [0, None]  # the draws kept, and the first of them (the one the scaled copies copy)
        plan = [(0, Fraction(1))] if kind else \
            _plan(draws, draws * (FACT_TRIES if facts else 1), kept, SCALES if number in copied else ())
        for draw, scale in plan:
            if dropped >= FACT_DRAWS:
                break
            at = {**point, **{i: sizes[d] for i, d in sized.items()}}
            identity = f"{seed}|{layout}|{sizes}|{point}|{draw}"
            inst = Instance({d: v for d, v in sizes.items()}, at, layout, random.Random(identity), scale=scale,
                            structured=kind, seed=identity)
            ev = Evaluator(model, shapes, inst, lowest)
            ev.facts = facts
            lv = rv = None
            try:
                _give(ev, grads, lowest)
                lv, rv = ev.ev(left), ev.ev(right)
                verdict = compare(lv, relation, rv)
            except _Unhonoured:
                dropped += 1
                continue
            except _NotDrawn:
                continue
            except ShapeError as exc:
                if _elementwise_reading(left, right, lv, rv) or (ev.diagonal_jacobian and _fits_as_diagonal(
                        model, shapes, inst, lowest, grads, left, right, f"{seed}|{layout}|{sizes}|{point}|{draw}")):
                    return Verdict("skipped", _ELEMENTWISE)
                return _refuted(inst, ev, left, right, None, None, f"the shapes do not fit: {exc}", shapes)
            except ZeroDivisionError:
                undecided += 1
                continue
            except _Overrun as exc:
                overrun = overrun or str(exc)  # the step does not fit here: it is never checked
                continue
            except _Outside:
                outside += 1  # an index past the end of the vector or matrix it reads an entry of, at these sizes
                continue
            except _Empty as exc:
                empty += 1  # a sum or a product over an empty range at these sizes (j = 1..n-1 at n = 1): set aside
                empty_kind = str(exc)
                continue
            except Timeout:
                raise
            if ev.independent:
                independent |= ev.independent
                continue
            if scale != 1 and not inst.scaled_draws:
                continue  # a copy that scaled no number (a vector of stated norm, an orthogonal frame): its draw again
            if verdict is False and unread:
                found = _refuted(inst, ev, left, right, lv, rv, "", shapes)
                where = "only at the larger size" if kind is not None else f"at {unread[0]} = {sizes[unread[0]]}"
                return Verdict("needs review", f"{found.reason}; but {where}, and the section states a condition on "
                                               f"{unread[0]} the scan does not read: review it (it fails unless the "
                                               "condition excludes that size)", found.counterexample)
            if verdict is False and kind is not None and worded and max(sizes.values(), default=0) > MAX_SIZE:
                found = _refuted(inst, ev, left, right, lv, rv, "", shapes)
                return Verdict("needs review", f"{found.reason}; but only at the larger size, and the section states "
                                               f"something of a size in words the scan does not read ('{worded}'): review "
                                               "it (it fails unless those words exclude that size)", found.counterexample)
            if verdict is False:
                return _refuted(inst, ev, left, right, lv, rv, "", shapes)
            if verdict is None and _transcendental(lv, rv):
                unsettled += 1  # equal to every digit evaluated, not shown equal: never counted as held
                continue
            held += 1
            large_held += kind is not None
            scaled += scale != 1
            if scale == 1:
                kept[0] += 1
                kept[1] = draw if kept[1] is None else kept[1]
            close += verdict is None
            inexact += not all(_rational(v) for v in (lv, rv))
            elementary = elementary or _transcendental(lv, rv)
            tried.add(tuple(sorted(sizes.items())) + tuple(sorted(point.items())))
            held_sizes.add(tuple(sizes[d] for d in dims))
    if overrun:
        return Verdict("skipped", f"a sum whose own bounds run past the end of what it reads: {overrun} (the step does "
                                  "not fit at those sizes; not checked)")
    if unsettled:
        return Verdict("skipped", f"the sides agree to every digit evaluated at {unsettled} instance(s) but were not shown "
                                  "equal exactly (exp and log values): not checked")
    if not held and independent:
        return Verdict("skipped", sorted(independent)[0])
    if not held and dropped:
        return Verdict("skipped", f"no instance drawn honours the facts the material states about its names ({dropped} "
                                  "drawn did not)")
    if not held and empty:
        return Verdict("skipped", empty_kind)
    if not held:
        return Verdict("skipped", f"no instance could be evaluated ({undecided} divided by zero, {outside} with an index "
                                  "past the end of what it indexes)")
    if large_held and relation in ("<", "<=", ">", ">=") and dims and not facts:
        # (a vector of stated norm spread over its entries is rational only near 1/sqrt(n): its ratios do not grow
        # as powers of the size, and are not compared)
        grown = _Growth(left, relation, right, model, shapes, lowest, seed, layout, facts, stated or {}, dims, sized,
                        (indices, _ranges(left, right), choices[0][1])).verdict(larger)
        if grown is not None and grown.status == "refuted":
            # (never refuted: a size past every size the instances draw may be one the prose rules out in words the
            # scan does not read, "a vector with $16$ entries")
            return Verdict("needs review", f"{grown.reason}; but only at a size past every size the instances draw, "
                                           "which the section may rule out in words the scan does not read: review it "
                                           "(it fails unless the section excludes that size)", grown.counterexample)
        if grown is not None:
            return grown
    tried_sizes = {tuple(c[0][d] for d in dims) for c in choices}
    every = len(tried_sizes) == math.prod(len(small_sizes[d]) for d in dims)
    size_text = (", ".join(f"{_dim_name(d)} = {_span(small_sizes[d])}" for d in dims) + ("" if every else
                 f" ({len(tried_sizes)} of the {math.prod(len(small_sizes[d]) for d in dims)} choices: all up to 2 that "
                 "fit the budget, and a seeded sample of the others)")) if dims else "the sizes the material fixes"
    index_text = f"; {', '.join(indices)} = 1..{MAX_STEPS + 1} with every product of 1..{MAX_STEPS} factors" if indices else ""
    if outside:
        index_text += f" (the {outside} instance(s) whose index is past the end of what it indexes set aside)"
    if empty:
        index_text += f" (the {empty} instance(s) at which it has {empty_kind} set aside: not decided there)"
    how = "exactly" if not inexact else f"(norms as exact algebraic numbers, compared to {_DIGITS} digits)"
    if elementary:
        how = ("exactly (exp and log values shown equal symbolically: each exp(p/D) a power of the transcendental "
               "e^(1/D), the difference cancelling to 0)" + ("" if not close else f", norms compared to {_DIGITS} digits"))
    if close:
        how += f", equal to {_DIGITS} digits at {close} of them"
    honoured = (f", each honouring the stated fact(s) ({dropped} drawn that did not were set aside; such instances were "
                f"found at {len(held_sizes)} of the {len(tried_sizes)} choices of sizes)") if facts else ""
    copies = f", {scaled} of them copies of a draw scaled by {', '.join(str(x) for x in SCALES)}" if scaled else ""
    if large_held:
        at = ", ".join([f"{_dim_name(d)} = {v}" for d, v in structured[0][0].items()] +
                       [f"{i} = {v}" for i, v in structured[0][1].items() if i not in sized]) or "the sizes the material fixes"
        copies += f", {large_held} of them at {at} with vectors of ones and matrices the identity or of ones"
    return Verdict("checked", f"held {how} at {held} instances ({size_text}{index_text}){honoured}{copies}; no proof was found")


class _Growth:
    """A bound's sides at the structured values at sizes past the larger one (see GROWTH_SIZE)."""

    def __init__(self, left, relation, right, model, shapes, lowest, seed, layout, facts, stated, dims, sized,
                 points) -> None:
        self.left, self.relation, self.right, self.model, self.shapes = left, relation, right, model, shapes
        self.lowest, self.seed, self.layout, self.facts, self.stated = lowest, seed, layout, facts, stated
        # (the free indices, the ranges of the sums and products, the index point of the smallest choice)
        self.dims, self.sized, self.points = dims, sized, points

    def at(self, size: int, kind: str) -> Optional[tuple]:
        """(instance, evaluator, left value, right value) at every size `size` (as the section allows), or None where
        the values cannot be evaluated there."""
        sizes = _honoured(self.dims, size, self.stated)
        if sizes is None:
            return None
        indices, ranges, fallback = self.points
        point = _large_point(indices, ranges, size) or fallback
        at = {**point, **{i: sizes[d] for i, d in self.sized.items()}}
        identity = f"{self.seed}|{self.layout}|{kind}|growth"  # (the same numbers at every size: only the size differs)
        inst = Instance(dict(sizes), at, self.layout, random.Random(identity), structured=kind, seed=identity)
        ev = Evaluator(self.model, self.shapes, inst, self.lowest)
        ev.facts = self.facts
        try:
            return inst, ev, ev.ev(self.left), ev.ev(self.right)
        except Timeout:
            raise
        except Exception:  # noqa: BLE001 - a size the values do not fit decides nothing here
            return None

    def sides(self, got: Optional[tuple]) -> Optional[tuple]:
        """The side that must be the smaller and the other, where both are positive numbers; else None."""
        if got is None:
            return None
        small, big = (got[2], got[3]) if self.relation in ("<", "<=") else (got[3], got[2])
        small, big = _scalar(small) if _is_matrix(small) else small, _scalar(big) if _is_matrix(big) else big
        if small is None or big is None or _is_matrix(small) or _is_matrix(big):
            return None
        try:
            if compare(small, ">", 0) is not True or compare(big, ">", 0) is not True:
                return None
        except (Skip, ShapeError, TypeError):
            return None
        return small, big

    def verdict(self, larger: dict) -> Optional[Verdict]:
        """Refuted at a size past the larger one, needs review where the ratio grows and no size tried fails, or None
        where it does not grow (or no size past the larger one is allowed)."""
        first = max(larger.values())
        grown = _honoured(self.dims, 2 * first, self.stated)
        if grown in (None, _honoured(self.dims, first, self.stated)):
            return None  # the section's bounds keep every size at the larger one
        second = max(grown.values())
        his = [hi for d in self.dims for hi in [self.stated.get(d, (None, None, False))[1]] if hi is not None]
        for kind in STRUCTURED:
            base = self.at(first, kind)
            one, two = self.sides(base), self.sides(self.at(second, kind))
            if one is None or two is None:
                continue
            r1, r2 = one[0] / one[1], two[0] / two[1]
            if compare(r2, ">", r1) is not True:
                continue  # the smaller side does not gain on the other
            vectors = all(1 in v.shape for v in base[0].values.values() if _is_matrix(v))
            most = GROWTH_VECTOR_SIZE if vectors else GROWTH_SIZE
            hi = min([math.floor(h) for h in his] + [most])
            try:  # where the ratio, as a power of the size through its values at the two sizes, passes 1
                past = min(first * float(1 / r1) ** (math.log(second / first) / math.log(float(r2 / r1))), hi + 1)
            except (OverflowError, ZeroDivisionError, ValueError):
                past = hi + 1
            tries = {math.ceil(past), math.ceil(past) + 1, second}
            every = bool(his) and hi == min(math.floor(h) for h in his) and hi <= first + _EVERY_SIZE_UP_TO
            if every:
                tries |= set(range(first + 1, hi + 1))
            for size in sorted(s for s in tries if first < s <= hi):
                got = self.at(size, kind)
                if got is not None and compare(got[2], self.relation, got[3]) is False:
                    return _refuted(got[0], got[1], self.left, self.right, got[2], got[3], "", self.shapes)
            if every:
                continue  # held at every size the section allows past the larger one
            if past <= hi and compare(two[1] - two[0], ">=", one[1] - one[0]) is True:
                # held where its ratio would pass 1, and its slack does not shrink (||Xw||^2 <= ||Xw||^2 + lambda
                # ||w||^2: the ratio tends to 1 and the difference grows)
                continue
            what = "vectors of ones and the identity" if kind == "identity" else "vectors and matrices of ones"
            return Verdict("needs review", f"held at the sizes tried, but its sides grow differently with the size: with "
                                           f"{what}, the ratio of its sides goes from {_number_text(r1)} at size {first} "
                                           f"to {_number_text(r2)} at size {second}, toward failing, and it was tried "
                                           f"up to size {hi} only: a bound with a constant may fail past the sizes "
                                           "tried; review it")
        return None


def _small_sizes(d: str, stated: dict) -> list:
    """The sizes 1..MAX_SIZE a size is tried at that the section's stated value or bounds on it allow ("with $n = 3$",
    "$n \\le 2$"); where they allow none of them ("for $d \\ge 5$"), the two smallest they allow."""
    lo, hi, _ = stated.get(d, (None, None, False))
    lowest = max(1, math.ceil(lo)) if lo is not None else 1
    highest = math.floor(hi) if hi is not None else None
    sizes = [s for s in range(lowest, max(MAX_SIZE, lowest + 1) + 1) if highest is None or s <= highest]
    return [s for s in sizes if s <= MAX_SIZE] or sizes[:2]


def _span(sizes: list) -> str:
    return f"{sizes[0]}..{sizes[-1]}" if len(sizes) > 1 and sizes == list(range(sizes[0], sizes[-1] + 1)) else \
        ", ".join(str(s) for s in sizes)


def _honoured(dims: list, large: int, stated: dict) -> Optional[dict]:
    """The larger size of each size of the step: `large`, or the nearest to it the section's stated value or bounds on
    that size allow; None when they allow none."""
    out = {}
    for d in dims:
        lo, hi, _ = stated.get(d, (None, None, False))
        size = large
        if hi is not None:
            size = min(size, math.floor(hi))
        if lo is not None:
            size = max(size, math.ceil(lo))
        if size < 1 or (hi is not None and size > hi):
            return None
        out[d] = size
    return out


def _large_point(indices: list[str], ranges: list, large: int) -> Optional[dict]:
    """Free indices for the larger size: each 1 or `large`, every range a sum or product runs over at least empty,
    the ranges as long in all as they can be; None when no such choice fits (or there are no indices)."""
    best, longest = None, -1
    for combo in itertools.product((1, large), repeat=len(indices)):
        point = dict(zip(indices, combo))
        total = 0
        for lo, hi in ranges:
            subs = {s: sympy.Integer(point.get(s.name, 1)) for s in lo.free_symbols | hi.free_symbols}
            lo_v, hi_v = lo.xreplace(subs), hi.xreplace(subs)
            if not (lo_v.is_Integer and hi_v.is_Integer and hi_v - lo_v >= -1):
                break
            total += int(hi_v - lo_v) + 1
        else:
            if total > longest:
                best, longest = point, total
    return best if indices else None


def _large_size(*trees: Node) -> int:
    """The larger size a step is also tried at (see LARGE_SIZE): past MAX_SIZE and past c^2 and 1/c^2 for each number
    c it prints."""
    numbers: list = []

    def walk(n: Node) -> None:
        if n.kind == "num" and n.data:
            numbers.append(Fraction(n.data))
        for x in n.args:
            walk(x)
    for t in trees:
        walk(t)
    return larger_length(numbers, MAX_SIZE, LARGE_SIZE)


def _plan(draws: int, tries: int, kept: list, scales: tuple):
    """The (draw, scale) pairs tried at one choice of sizes and indices: draws until `draws` of them are kept (of at
    most `tries`), then copies of the first kept one (else of the first) at each of `scales`."""
    for draw in range(tries):
        if kept[0] >= draws:
            break
        yield draw, Fraction(1)
    for scale in scales:
        yield kept[1] or 0, scale


_ELEMENTWISE = ("a derivative of a vector with respect to a vector written as a vector (dh/dz = phi'(z)): the "
                "Jacobian's diagonal, the derivative entry by entry, or the Jacobian itself; the notation does not say")


def _fits_as_diagonal(model, shapes, inst: Instance, lowest: dict, grads: list, left: Node, right: Node, seed: str) -> bool:
    """Whether the sides' shapes fit once each diagonal Jacobian is read as the vector of its diagonal (dh/dz =
    phi'(z)): a shape error only of the Jacobian reading is the notation's, one of both readings is the material's.
    Anything but a shape error in that reading decides nothing, and the step stays unrefuted."""
    again = Instance(dict(inst.sizes), dict(inst.indices), inst.layout, random.Random(seed), seed=seed)
    ev = Evaluator(model, shapes, again, lowest)
    ev.as_diagonal = True
    try:
        _give(ev, grads, lowest)
        a, b = ev.ev(left), ev.ev(right)
    except ShapeError:
        return False
    except Timeout:
        raise
    except Exception:  # noqa: BLE001 - the second reading could not be evaluated: the shape error is not decided
        return True
    shape = [x.shape if _is_matrix(x) and x.shape != (1, 1) else () for x in (a, b)]
    return shape[0] == shape[1]  # sides of two shapes are a shape error of this reading too


def _elementwise_reading(left: Node, right: Node, lv, rv) -> bool:
    """Whether one side is a Jacobian (a square matrix) printed as a derivative and the other a vector of its size:
    the derivative entry by entry, as ML notation often writes dh/dz for h = phi(z), which is not refuted."""
    for side, value, other in ((left, lv, rv), (right, rv, lv)):
        if side.kind == "grad" and _is_matrix(value) and _is_matrix(other) and value.rows == value.cols > 1 \
                and 1 in other.shape and len(other) == value.rows:
            return True
    return False


class _Empty(Skip):
    """An instance at which a sum or a product runs over an empty range (j = 1..n-1 at n = 1): the scan does not read
    an empty sum, so that instance decides nothing and the others are decided."""


class _Overrun(Exception):
    """A sum or a product whose own bounds (numbers, declared sizes) run past the end of the vector or matrix it reads
    an entry of (\\sum_{i=1}^{n} A_{ij} with A of m < n rows): the step does not fit at these sizes."""


class _Outside(Exception):
    """An instance whose free index is past the end of the vector or matrix the step reads an entry of (i = 3 of a
    vector of 2 entries): it decides nothing."""

    def __init__(self, index=None, length: int = 0) -> None:
        super().__init__(f"{index} past {length}")
        # the index expression that is past the end, and the length it is past
        self.index, self.length = index, length


class _Unhonoured(Exception):
    """An instance at which a fact the material states does not hold (it is set aside)."""


def _member_honours(ev: Evaluator, facts: tuple, member: tuple) -> bool:
    """Whether every fact about the member's letter holds, exactly, for that member (a fact about D_k, for D_j: with
    k = j); a fact that cannot be evaluated there, or whose index cannot be matched, is not honoured."""
    from proofs.scan.matrices import names_of
    letter, at = member
    inst = ev.inst
    for fact_left, fact_relation, fact_right in facts:
        for fact_letter, index in names_of(fact_left) | names_of(fact_right):
            if fact_letter != letter:
                continue
            binding = {}
            if index is not None:
                free = sorted(index.free_symbols, key=str)
                if at is None or len(free) > 1:
                    return False
                if free:
                    solved = derivatives.solve_index(index, at, free[0])
                    if len(solved) != 1 or not solved[0].is_Integer:
                        return False
                    binding = {free[0].name: int(solved[0])}
                elif int(index) != at:
                    continue
            saved = dict(inst.indices)
            inst.indices.update(binding)
            try:
                if compare(ev.ev(fact_left), fact_relation, ev.ev(fact_right)) is not True:
                    return False
            except (Skip, ShapeError, ZeroDivisionError):
                return False
            finally:
                inst.indices.clear()
                inst.indices.update(saved)
    return True


def _unnamed(d: str) -> bool:
    """Whether a size is one the scan made up (the size of a letter the material gives no shape)."""
    return d.startswith(("n_", "r_", "c_", "#"))


def _give(ev: Evaluator, grads: list, lowest: dict) -> None:
    """Draw the gradients the step is written in terms of: of a target no forward equation defines, the one with
    respect to the last member of a recurrence (dl/dh_T) is given; the others are computed through it."""
    by_target: dict = {}
    for g in grads:
        target, variable = g.args
        if target.kind == "name" and not ev.model.equations.get(target.data[0]):
            by_target.setdefault(target.data[0], []).append(variable)
    for t_letter, variables in by_target.items():
        keys = {(v.data[0], _concrete(v.data[1], ev.inst)) for v in variables}
        if len(variables) < 2:
            # one gradient of a target nothing defines: any value is possible, so nothing can refute the step
            raise Skip(f"a derivative of {t_letter}, which no forward equation defines, written once")
        last = max(sorted(keys, key=str), key=lambda k: (k[1] is not None, k[1] or 0))  # a tie: the first in order
        shape = ev.shape_of(last[0], last[1])
        value = _draw(ev.inst) if shape == "scalar" else sympy.Matrix(shape[0], shape[1], lambda i, j: _draw(ev.inst))
        ev.inst.given[(t_letter, last)] = value


def _names(left: Node, right: Node, model: Model) -> set:
    """The (letter, index) pairs the step reads, with those its forward equations read."""
    from proofs.scan.matrices import names_of
    out = names_of(left) | names_of(right)
    todo = list(out)
    while todo:
        letter = todo.pop()[0]
        for pattern, body in model.equations.get(letter, ()):
            for n in names_of(body) | {(letter, pattern)}:
                if n not in out:
                    out.add(n)
                    todo.append(n)
    return out


def _dims(shapes: Shapes, letter: str, index=None) -> list:
    s = shapes.family(letter, index)
    return [] if s == "scalar" else list(s)


def _dim_name(d: str) -> str:
    what = {"n_": "the size", "r_": "the rows", "c_": "the columns"}.get(d[:2])
    return f"{what} of {d[2:]}" if what else d


def _refuted(inst: Instance, ev: Evaluator, left, right, lv, rv, why: str, shapes: Shapes) -> Verdict:
    values: dict = {}
    for (letter, at), v in sorted(inst.values.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        if ev._input((letter, at)):
            values[letter if at is None else f"{letter}_{at}"] = _plain(v)
    for (target, (letter, at)), v in inst.given.items():
        values[f"d{target}/d{letter}" + ("" if at is None else f"_{at}")] = _plain(v)
    for (name, x), v in sorted(inst.function_values.items(), key=str):
        values[f"{name}({x})"] = str(v)
    for key in sorted(inst.function_values, key=str):
        # a derivative value the decision never met (its term cancelled: a weight of 0 after phi'(z_j)) is free; one is
        # drawn so that the replay, which carries every value's derivative, has it (the sides do not depend on it)
        if key not in inst.derivative_values:
            inst.derivative_values[key] = _function_value(inst, *key, True)
    for (name, x), v in sorted(inst.derivative_values.items(), key=str):
        values[f"{name}'({x})"] = str(v)
    sizes = {_dim_name(d): v for d, v in inst.sizes.items()}
    families = {}
    for letter, index in sorted(_names(left, right, ev.model), key=lambda n: (n[0], str(n[1]))):  # not set order
        s = ev.shapes.family(letter, index)
        key = f"{letter}_{int(index)}" if index is not None and index.is_Integer and f"{letter}_{int(index)}" in ev.model.kinds \
            else letter
        families[key] = [0, 0] if s == "scalar" else [_size(ev.shapes, s[0], inst), _size(ev.shapes, s[1], inst)]
    # an index that is also a size (the bound m of a sum over j = 1..m) is shown once
    where = ", ".join([f"{k} = {v}" for k, v in sizes.items()] +
                      [f"{k} = {v}" for k, v in inst.indices.items() if sizes.get(str(k)) != v])
    example = {"values": values, "sizes": sizes, "indices": dict(inst.indices), "layout": inst.layout, "shapes": families}
    if why:
        shown = ", ".join(f"{k}: {r}×{c}" for k, (r, c) in sorted(families.items()) if (r, c) != (0, 0))
        return Verdict("refuted", f"at {where or 'every size'}: {why} ({shown})",
                       {**example, "shapes_only": True, "left": why, "right": why})
    values_text = "; ".join(f"{k} = {_show_value(v)}" for k, v in values.items())
    return Verdict("refuted", f"fails at {where}{'; ' if where else ''}{values_text}: the left side is {matrix_text(lv)}, "
                              f"the right side {matrix_text(rv)}",
                   {**example, "left": matrix_text(lv), "right": matrix_text(rv)})


def _plain(v):
    """A value as JSON: a matrix as rows of "p/q" texts, a number as its text."""
    if _is_matrix(v):
        return [[str(x) for x in v.row(i)] for i in range(v.rows)]
    return str(v)


def _show_value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join("[" + ", ".join(row) + "]" for row in v) + "]"
    return v
