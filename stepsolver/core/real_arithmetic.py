"""The numbers the real evaluator computes with, and their arithmetic: exact fractions while they
stay small, mpmath decimals at the working precision beyond.

A sum, a product or a power of values is exact while its size stays under ``MAX_EXACT_BITS``, then
carried on as a decimal; a power whose value would be too large to represent raises ``TooLarge``,
one that is not a real number (an even root of a negative number, 0 to a negative power) raises
``Undefined``. Kept apart from the functions (``real_functions``) and the compiler that puts them
together (``reals``): both are built on it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Union

import mpmath
import sympy as sp

Value = Union[Fraction, mpmath.mpf]  # noqa: UP007 (an alias evaluated at run time, Python 3.10 too)
Point = dict[sp.Symbol, Value]

MAX_EXP_ARGUMENT = 10**7  # e^{10^7} has 4 million digits: still an mpf, computed quickly
MAX_EXACT_BITS = 4_000  # a fraction bigger than this is carried on as a decimal


class Undefined(Exception):
    """Not a real number at this point (outside the domain of some sub-term). ``pole``: a
    division by zero (a gap such as x = 1 in (x² − 1)/(x − 1)), not a departure from the reals."""

    def __init__(self, what: str, pole: bool = False):
        super().__init__(what)
        self.pole = pole


class TooLarge(Exception):
    """Too large (or too finely cancelling) to evaluate; ``sign`` is the sign when known."""

    def __init__(self, what: str, sign: int = 0):
        super().__init__(what)
        self.sign = sign


class Context:
    """Per-evaluation state: the point, the precision, and the largest magnitude met in a sum
    (the scale against which rounding errors are judged; inside ln u, relative to |u|)."""

    __slots__ = ("dps", "eps", "point", "scale")

    def __init__(self, point: Point, dps: int):
        self.point = point
        self.dps = dps
        self.scale = mpmath.mpf(0)
        self.eps = mpmath.mpf(10) ** (8 - dps)  # slack for rounding at the edge of a domain


def to_mpf(value: Value) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return value


def comparable(a: Value, b: Value) -> tuple[Value, Value]:
    """mpmath cannot compare its decimals with fractions: mixed pairs become decimals."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a, b
    return to_mpf(a), to_mpf(b)


def _exact_ok(value: Fraction) -> Value:
    if value.numerator.bit_length() + value.denominator.bit_length() > MAX_EXACT_BITS:
        return to_mpf(value)
    return value


def add(ctx: Context, parts: list[Value]) -> Value:
    if all(isinstance(p, Fraction) for p in parts):
        return _exact_ok(sum(parts, Fraction(0)))  # type: ignore[arg-type]
    values = [to_mpf(p) for p in parts]
    biggest = max(abs(v) for v in values)
    if biggest > ctx.scale:
        ctx.scale = biggest
    return mpmath.fsum(values)


def mul(parts: list[Value]) -> Value:
    if all(isinstance(p, Fraction) for p in parts):
        out = Fraction(1)
        for p in parts:
            out *= p  # type: ignore[assignment]
            if out.numerator.bit_length() + out.denominator.bit_length() > MAX_EXACT_BITS:
                return mpmath.fprod([to_mpf(q) for q in parts])
        return out
    return mpmath.fprod([to_mpf(p) for p in parts])


def sign(value: Value) -> int:
    return (value > 0) - (value < 0)


def _integer_power(base: Value, n: int) -> Value:
    if base == 0 and n < 0:
        raise Undefined("division by zero", pole=True)
    if isinstance(base, Fraction):
        bits = base.numerator.bit_length() + base.denominator.bit_length()
        if bits * abs(n) <= MAX_EXACT_BITS:
            return base**n
    value = to_mpf(base)
    if value != 0 and abs(n) * abs(float(mpmath.log(abs(value), 2))) > 2**60:
        raise TooLarge("a power too large to represent", sign(value) if n % 2 else 1)
    return value**n


def power(ctx: Context, base: Value, exponent: Value) -> Value:
    if isinstance(exponent, Fraction):
        if exponent.denominator == 1:
            return _integer_power(base, exponent.numerator)
        if base == 0:
            if exponent > 0:
                return Fraction(0)
            raise Undefined("0 to a negative power", pole=True)
        if base < 0:
            if exponent.denominator % 2 == 0:
                raise Undefined("even root of a negative number")
            magnitude = mpmath.root(to_mpf(-base), exponent.denominator)  # the real odd root
            value = _integer_power(magnitude, exponent.numerator)
            return -to_mpf(value) if exponent.numerator % 2 else value
        root = mpmath.root(to_mpf(base), exponent.denominator)
        return _integer_power(root, exponent.numerator)
    # an inexact exponent: a negative base has no real power (we cannot know it is an integer)
    if base < 0:
        if to_mpf(base) > -ctx.eps:
            base = Fraction(0)
        else:
            raise Undefined("a negative number to a non-rational power")
    if base == 0:
        if exponent > 0:
            return Fraction(0)
        raise Undefined("0 to a non-positive power")
    log_value = to_mpf(exponent) * mpmath.log(to_mpf(base))
    return exp(log_value)


def exp(value: Value) -> mpmath.mpf:
    if value > MAX_EXP_ARGUMENT:
        raise TooLarge("e to a power beyond 10^7", 1)
    if value < -MAX_EXP_ARGUMENT * 100:
        raise TooLarge("e to a power below -10^9")  # tiny, but not worth its exponent's digits
    return mpmath.exp(to_mpf(value))
