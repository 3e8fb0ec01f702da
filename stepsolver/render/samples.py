"""The curve, tangent and secant of a slope, as numbers for the SVG and the pgfplots plot.

The curve is sampled here (exactly evaluated, then rounded) rather than handed to pgfplots as
a formula, so that what is drawn is the function the derivation worked on, in any notation.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import FormatNotAvailable

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.one_sided import OneSidedSlopes

SAMPLES = 161
HALF_WIDTH = 2


FARTHEST = 1e6  # |a| beyond which a picture of [a − 2, a + 2] has no room for the curve in floats


def drawable(s: Slope | OneSidedSlopes) -> bool:
    """Whether a, f(a) and the slopes are numbers a picture can place (10^309 is not a float)."""
    try:
        values = [float(s.a), float(s.function.subs(s.variable, s.a).evalf(15)), float(s.slope.evalf(15))]
    except (TypeError, ValueError, OverflowError):
        return False
    return all(math.isfinite(v) for v in values) and abs(values[0]) <= FARTHEST


def require_drawable(s: Slope | OneSidedSlopes) -> None:
    if not drawable(s):
        raise FormatNotAvailable(f"no picture: the point or its values are too large to draw (|a| > {FARTHEST:g}?)")


def samples(s: Slope | OneSidedSlopes) -> list[list[tuple[float, float]]]:
    """The curve on [a − 2, a + 2] as polyline pieces, broken where f is undefined or not real."""
    a = float(s.a)
    pieces: list[list[tuple[float, float]]] = [[]]
    for index in range(SAMPLES):
        x = a - HALF_WIDTH + 2 * HALF_WIDTH * index / (SAMPLES - 1)
        value = s.function.subs(s.variable, sp.Rational(repr(x))).evalf(15)
        if value.is_real and value.is_finite and abs(float(value)) < 1e6:
            pieces[-1].append((x, float(value)))
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if len(piece) > 1]


def lines(s: Slope) -> tuple[float, float, float, float]:
    """(f(a), tangent slope, secant slope, a + h) as floats."""
    fa = float(s.function.subs(s.variable, s.a).evalf(15))
    return fa, float(s.exact.evalf(15)), float(s.slope.evalf(15)), float((s.a + s.h).evalf(15))


def at_a_plus_h(s: Slope) -> float:
    """f(a + h), the secant's second point."""
    return float(s.function.subs(s.variable, s.a + s.h).evalf(15))


def half_tangents(s: OneSidedSlopes) -> list[tuple[str, float, float, float]]:
    """(side, slope, x at the far end, y there) for each finite one-sided slope: the two half-lines
    from (a, f(a)) whose slopes differ at a corner."""
    a, fa = float(s.a), float(s.function.subs(s.variable, s.a).evalf(15))
    out = []
    for side, value, end in (("left", s.left_slope, a - HALF_WIDTH), ("right", s.right_slope, a + HALF_WIDTH)):
        if value is not None and value.is_finite and value.is_real:
            out.append((side, float(value), end, fa + float(value) * (end - a)))
    return out
