"""A decimal printed beside the number it approximates (`\\sigma(1) = 0.73`, `\\sqrt{2} \\approx 1.414`): rounding, not equality."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Optional

import mpmath
import sympy

from proofs.scan.replay import Undefined, evaluate

__all__ = ["decimal_side", "rounded", "rounding", "approximately", "MAX_DECIMALS"]

# The most decimals a rounded value is printed with (a double printed in full has 16 or 17 significant digits); a
# decimal printed with more claims to be exact (1/3 = 0.333333333333333333333333333333 is refuted).
MAX_DECIMALS = 17
# A side that is one decimal number as printed: digits, a point, at least one digit after it.
_DECIMAL = re.compile(r"^\s*(-?)\s*(\d*)\.(\d+)\s*[.,;]?\s*$")


def _printed(text: str) -> Optional[tuple[Fraction, int, int]]:
    """(the value, its decimals, its significant digits) of a side printed as one decimal number, else None."""
    m = _DECIMAL.match(text)
    if not m:
        return None
    whole, decimals = m.group(2), m.group(3)
    value = Fraction(int(whole or "0") * 10 ** len(decimals) + int(decimals), 10 ** len(decimals))
    return (-value if m.group(1) else value), len(decimals), len((whole + decimals).lstrip("0"))


def decimal_side(left: str, right: str) -> bool:
    """Whether a side of a step is printed as one decimal number (0.731, -1.5)."""
    return _printed(left) is not None or _printed(right) is not None


def _within(value, centre: Fraction, radius: Fraction) -> Optional[bool]:
    """Whether an exact value or a 60-digit interval lies within radius of centre: True, False, or None when the
    interval straddles the edge."""
    if isinstance(value, Fraction):
        return abs(value - centre) <= radius
    lo, hi = mpmath.mpf(value.a), mpmath.mpf(value.b)
    low, high = (mpmath.mpf(c.numerator) / c.denominator for c in (centre - radius, centre + radius))
    if lo >= low and hi <= high:
        return True
    if hi < low or lo > high:
        return False
    return None


def _terminating(value) -> Optional[int]:
    """The decimals of an exact value that is a terminating decimal (1/8 = 0.125: 3), else None."""
    if not isinstance(value, Fraction):
        return None
    d, twos, fives = value.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    return max(twos, fives) if d == 1 else None


# A decimal number printed in a formula (the 0.001 of 0.12 + 0.001), and its decimals.
_LITERAL = re.compile(r"(?<![A-Za-z\\])\d*\.(\d+)")


def _number(side: sympy.Expr, other_text: str):
    """The printed decimal of the other side and this side's plain value, when this side is a number; else None."""
    printed = _printed(other_text)
    if printed is None or not isinstance(side, sympy.Expr) or side.free_symbols:
        return None
    try:
        with mpmath.workdps(60):
            return printed, evaluate(side, {})
    except (Undefined, ZeroDivisionError, ValueError, TypeError, ArithmeticError):
        return None


def _shown(value) -> str:
    return str(value) if isinstance(value, Fraction) else "≈ " + mpmath.nstr(mpmath.mpf(value.a), 12)


def rounded(left_text: str, right_text: str, left: sympy.Expr, right: sympy.Expr) -> Optional[str]:
    """Why `A = 0.73` is an approximation and not an exact equality (see `rounding`: the reason when it is one, else
    None)."""
    found = rounding(left_text, right_text, left, right)
    return found[1] if found is not None and found[0] == "skipped" else None


def rounding(left_text: str, right_text: str, left: sympy.Expr, right: sympy.Expr) -> Optional[tuple[str, str]]:
    """How `A = 0.73`, A a number that is not 0.73, is decided against the decimals printed: ("skipped", why) for a
    rounding (A lies within half a unit of the last decimal printed and is not a terminating decimal of at most
    MAX_DECIMALS + 1 decimals: an approximation, never proved); ("needs review", why) for a terminating decimal within
    half a unit, the edge included (1/8 = 0.12 under either round-half convention, 1 - 10^{-3} = 1.0: a rounding or
    a slip); None when the step is decided exactly: a terminating value with no more decimals than the decimals the
    material computes it from (0.12 + 0.001 = 0.12, 1.15 * 3 = 3.4: its printed digits show the slip), a value
    past half a unit.
    Only a decimal of two or more significant digits, or all zeros (0.00, a rounding of a value below half a unit),
    and at most MAX_DECIMALS decimals is taken for a rounded value; one of one significant digit within half a unit
    needs review (`= 0.8` for 0.75, `= 0.03` for 1/30 may be a slip as well as a rounding); a decimal equal to the
    other side is no rounding."""
    for side, text, other_text in ((left, left_text, right_text), (right, right_text, left_text)):
        found = _number(side, other_text)
        if found is None:
            continue
        (centre, decimals, significant), value = found
        if decimals > MAX_DECIMALS or (isinstance(value, Fraction) and value == centre):
            continue
        if not _within(value, centre, Fraction(1, 2 * 10 ** decimals)):
            continue
        side_text, printed = " ".join(text.split()), " ".join(other_text.split())
        places = f"{decimals} decimal{'s' if decimals > 1 else ''}"
        exact = _terminating(value)
        if exact is not None and exact <= MAX_DECIMALS + 1:  # (a value on the edge of half a unit is one)
            used = max((len(m.group(1)) for m in _LITERAL.finditer(text)), default=0)
            if exact <= used:
                return None  # computed from decimals that show its exact value: decided exactly (a slip is refuted)
            return "needs review", (f"{side_text} is exactly {_decimal(value, exact)}, a decimal of {exact} places, "
                                    f"printed as {printed} to {places}: a rounding or a slip; review it")
        if significant == 1:  # (`= 0.03` for 1/30, `= 0.8` for 0.75: a rounding or a slip, never refuted)
            return "needs review", (f"{side_text} is {_shown(value)}, printed as {printed}, one significant digit, "
                                    f"to {places}: a rounding or a slip; review it")
        return "skipped", (f"a rounded value: {side_text} is {_shown(value)}, which is {printed} to the {places} "
                           "printed; = is read as an approximation here, not checked as an exact equality")
    return None


def _decimal(value: Fraction, places: int) -> str:
    """A terminating decimal written out with its places (1/8, 3: "0.125")."""
    digits = str(abs(value.numerator) * 10 ** places // value.denominator).rjust(places + 1, "0")
    return ("-" if value < 0 else "") + (f"{digits[:-places]}.{digits[-places:]}" if places else digits)


def _inside(value, low: Fraction, high: Fraction, closed: tuple[bool, bool]) -> Optional[bool]:
    """Whether an exact value or a 60-digit interval lies between low and high (each end included as `closed` says):
    True, False, or None when the interval straddles an end."""
    if isinstance(value, Fraction):
        return (low < value or (closed[0] and value == low)) and (value < high or (closed[1] and value == high))
    lo, hi = mpmath.mpf(value.a), mpmath.mpf(value.b)
    low_, high_ = (mpmath.mpf(c.numerator) / c.denominator for c in (low, high))
    if lo > low_ and hi < high_:
        return True
    if hi < low_ or lo > high_:
        return False
    return None


def approximately(left_text: str, right_text: str, left: sympy.Expr, right: sympy.Expr) -> Optional[tuple[bool, str]]:
    """Whether `A \\approx 0.731`, A a number, holds to the decimals printed: A rounds to it (within half a unit of
    the last decimal, the edge included as either round-half convention rounds it) or A cut off after the decimals
    printed is it (|A| at least the decimal's size and less than one unit more, of the same sign); and why. None when
    no side is a decimal beside a number, or the value sits on an edge."""
    for side, text, other_text in ((left, left_text, right_text), (right, right_text, left_text)):
        found = _number(side, other_text)
        if found is None:
            continue
        (centre, decimals, _), value = found
        unit = Fraction(1, 10 ** decimals)
        if centre > 0:
            cut = _inside(value, centre, centre + unit, (True, False))
        elif centre < 0:
            cut = _inside(value, centre - unit, centre, (False, True))
        else:
            cut = _inside(value, -unit, unit, (False, False))
        near = _within(value, centre, unit / 2)
        if True in (near, cut):
            holds = True
        elif near is None or cut is None:
            return None
        else:
            holds = False
        side_text, printed = " ".join(text.split()), " ".join(other_text.split())
        if holds:
            return True, (f"{side_text} is {_shown(value)}, which rounds or cuts off to {printed} at the "
                          f"{decimals} decimal{'s' if decimals > 1 else ''} printed (an approximation: not proved)")
        return False, (f"{side_text} is {_shown(value)} (plain evaluation), not {printed} to the decimals printed: it "
                       f"neither rounds nor cuts off to it")
    return None
