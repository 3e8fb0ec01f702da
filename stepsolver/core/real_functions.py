"""Real values of the elementary and special functions, each refusing an argument outside its
domain (``Undefined``) or too large to evaluate in bounded time (``TooLarge``).

``UNARY`` maps each SymPy function class of one argument to its value at a ``Context``;
``CONSTANTS`` the named constants to their mpmath values. Kept apart from the compiler
(``reals``), which looks nodes up here: this is the catalogue of functions, that is how an
expression is walked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import mpmath
import sympy as sp

from ..functions import ReLU, sigmoid, softplus
from .real_arithmetic import MAX_EXP_ARGUMENT, Context, TooLarge, Undefined, Value, exp, sign, to_mpf

MAX_FACTORIAL_ARGUMENT = 10**6
MAX_TRIG_ARGUMENT = 10**40  # beyond, reducing the argument mod π would need huge precision


def logarithm(ctx: Context, value: Value) -> mpmath.mpf:
    if value <= 0:
        raise Undefined("logarithm of a number that is not positive")
    return mpmath.log(to_mpf(value))


def _unit(ctx: Context, value: Value) -> mpmath.mpf:
    """An argument of arcsin or arccos: in [−1, 1], up to rounding."""
    v = to_mpf(value)
    if abs(v) > 1:
        if abs(v) > 1 + ctx.eps:
            raise Undefined("arcsin or arccos of a number outside [−1, 1]")
        v = mpmath.mpf(sign(v))
    return v


def _trig(function: Callable[[mpmath.mpf], mpmath.mpf]) -> Callable[[Context, Value], Value]:
    def apply(ctx: Context, value: Value) -> Value:
        if abs(value) > MAX_TRIG_ARGUMENT:
            raise TooLarge("a trigonometric function of a huge argument")
        return function(to_mpf(value))

    return apply


def _reciprocal(function: Callable[[mpmath.mpf], mpmath.mpf]) -> Callable[[Context, Value], Value]:
    def apply(ctx: Context, value: Value) -> Value:
        denominator = function(to_mpf(value))
        if denominator == 0:
            raise Undefined("division by zero", pole=True)
        return 1 / denominator

    return apply


def _in(low: float, high: float, low_open: bool, high_open: bool, what: str) -> Callable[[Context, Value], Value]:
    def check(ctx: Context, value: Value) -> Value:
        if value < low or value > high or (low_open and value == low) or (high_open and value == high):
            raise Undefined(what)
        return value

    return check


def _factorial(ctx: Context, value: Value) -> Value:
    if isinstance(value, Fraction) and value.denominator == 1:
        if value < 0:  # a pole of the gamma function: a gap, like x = 1 in 1/(x − 1)
            raise Undefined("factorial of a negative integer", pole=True)
        if value <= 300:
            return Fraction(math.factorial(int(value)))
    if value > MAX_FACTORIAL_ARGUMENT:
        raise TooLarge("a factorial beyond 10^6!", 1)
    shifted = to_mpf(value) + 1
    if shifted <= 0 and shifted == mpmath.floor(shifted):
        raise Undefined("factorial of a negative integer", pole=True)
    return mpmath.gamma(shifted)


def _gamma(ctx: Context, value: Value) -> Value:
    return _factorial(ctx, value - 1)


def _sigmoid(ctx: Context, value: Value) -> Value:
    v = to_mpf(value)
    if v < 0:  # e^{-v} would overflow for very negative v: σ(v) = e^v / (1 + e^v)
        small = exp(v)
        return small / (1 + small)
    return 1 / (1 + exp(-v))


def _softplus(ctx: Context, value: Value) -> Value:
    v = to_mpf(value)
    if v > 50:
        return v + mpmath.log1p(mpmath.exp(-v))
    return mpmath.log1p(exp(v))


def _floor(ctx: Context, value: Value) -> Value:
    if isinstance(value, Fraction):
        return Fraction(math.floor(value))
    if abs(value) > 10**30:
        raise TooLarge("the floor of a huge number")
    return Fraction(int(mpmath.floor(value)))


def _ceiling(ctx: Context, value: Value) -> Value:
    return -_floor(ctx, -value)


def heaviside(ctx: Context, value: Value, at_zero: Value | None = None) -> Value:
    if value == 0:
        return Fraction(1, 2) if at_zero is None else at_zero
    return Fraction(1) if value > 0 else Fraction(0)


UNARY: dict[type, Callable[[Context, Value], Value]] = {
    sp.exp: lambda ctx, v: exp(v),
    sp.log: logarithm,
    sp.sin: _trig(mpmath.sin),
    sp.cos: _trig(mpmath.cos),
    sp.tan: _trig(mpmath.tan),
    sp.cot: _reciprocal(mpmath.tan),
    sp.sec: _reciprocal(mpmath.cos),
    sp.csc: _reciprocal(mpmath.sin),
    sp.asin: lambda ctx, v: mpmath.asin(_unit(ctx, v)),
    sp.acos: lambda ctx, v: mpmath.acos(_unit(ctx, v)),
    sp.atan: lambda ctx, v: mpmath.atan(to_mpf(v)),
    sp.acot: lambda ctx, v: mpmath.acot(to_mpf(v)),
    sp.asec: lambda ctx, v: mpmath.acos(1 / to_mpf(_outside_unit(ctx, v))),
    sp.acsc: lambda ctx, v: mpmath.asin(1 / to_mpf(_outside_unit(ctx, v))),
    sp.sinh: lambda ctx, v: _hyperbolic(mpmath.sinh, v),
    sp.cosh: lambda ctx, v: _hyperbolic(mpmath.cosh, v),
    sp.tanh: lambda ctx, v: mpmath.tanh(to_mpf(v)),
    sp.coth: lambda ctx, v: _reciprocal(mpmath.tanh)(ctx, v),
    sp.sech: lambda ctx, v: 1 / _hyperbolic(mpmath.cosh, v),
    sp.csch: lambda ctx, v: _reciprocal(mpmath.sinh)(ctx, _hyperbolic_argument(v)),
    sp.asinh: lambda ctx, v: mpmath.asinh(to_mpf(v)),
    sp.acosh: lambda ctx, v: mpmath.acosh(to_mpf(_in(1, math.inf, False, False, "arcosh below 1")(ctx, v))),
    sp.atanh: lambda ctx, v: mpmath.atanh(to_mpf(_in(-1, 1, True, True, "artanh outside (−1, 1)")(ctx, v))),
    sp.acoth: lambda ctx, v: mpmath.atanh(1 / to_mpf(_outside_closed_unit(ctx, v))),
    sp.Abs: lambda ctx, v: abs(v),
    sp.sign: lambda ctx, v: Fraction(sign(v)),
    sp.floor: _floor,
    sp.ceiling: _ceiling,
    sp.factorial: _factorial,
    sp.gamma: _gamma,
    sp.erf: lambda ctx, v: mpmath.erf(to_mpf(v)),
    sp.erfc: lambda ctx, v: mpmath.erfc(to_mpf(v)),
    sigmoid: _sigmoid,
    softplus: _softplus,
    ReLU: lambda ctx, v: v if v > 0 else Fraction(0),
}


def _outside_unit(ctx: Context, value: Value) -> Value:
    if abs(value) < 1:
        raise Undefined("arcsec or arccsc of a number inside (−1, 1)")
    return value


def _outside_closed_unit(ctx: Context, value: Value) -> Value:
    if abs(value) <= 1:
        raise Undefined("arcoth of a number in [−1, 1]")
    return value


def _hyperbolic_argument(value: Value) -> Value:
    if abs(value) > MAX_EXP_ARGUMENT:
        raise TooLarge("a hyperbolic function of a huge argument", 1)
    return value


def _hyperbolic(function: Callable[[mpmath.mpf], mpmath.mpf], value: Value) -> mpmath.mpf:
    return function(to_mpf(_hyperbolic_argument(value)))


CONSTANTS: dict[sp.Basic, Callable[[], mpmath.mpf]] = {
    sp.pi: lambda: +mpmath.pi,
    sp.E: lambda: +mpmath.e,
    sp.EulerGamma: lambda: +mpmath.euler,
    sp.GoldenRatio: lambda: +mpmath.phi,
    sp.Catalan: lambda: +mpmath.catalan,
}
