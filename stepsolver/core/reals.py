"""Real values of an expression at a point, as written, in bounded time.

An expression is compiled once into nested closures and evaluated at many points. Values are
exact fractions while they stay small (sums, products and integer powers of the rational points
and literals), mpmath decimals at a chosen precision beyond. Every sub-term must be real: ln x
at x < 0 makes e^{ln x} undefined there, √x at x < 0 makes (√x)² undefined, so the domain of the
written form is kept. A rational power p/q with q odd of a negative base is the real root
(∛(−8) = −2); with q even it is undefined. Values too large to represent (e^{e^{e^{10}}},
nested factorials) raise ``TooLarge`` instead of running out of time or memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Union

import mpmath
import sympy as sp

from ..functions import ReLU, sigmoid, softplus

Value = Union[Fraction, mpmath.mpf]  # noqa: UP007 (an alias evaluated at run time, Python 3.10 too)
Point = dict[sp.Symbol, Value]

MAX_EXP_ARGUMENT = 10**7  # e^{10^7} has 4 million digits: still an mpf, computed quickly
MAX_FACTORIAL_ARGUMENT = 10**6
MAX_TRIG_ARGUMENT = 10**40  # beyond, reducing the argument mod π would need huge precision
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


class Unsupported(Exception):
    """A node this evaluator does not know (the caller falls back to SymPy's evalf)."""


class Context:
    """Per-evaluation state: the point, the precision, and the largest magnitude met in a sum
    (the scale against which rounding errors are judged; inside ln u, relative to |u|)."""

    __slots__ = ("dps", "eps", "point", "scale")

    def __init__(self, point: Point, dps: int):
        self.point = point
        self.dps = dps
        self.scale = mpmath.mpf(0)
        self.eps = mpmath.mpf(10) ** (8 - dps)  # slack for rounding at the edge of a domain


Compiled = Callable[[Context], Value]


def to_mpf(value: Value) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return value


def _comparable(a: Value, b: Value) -> tuple[Value, Value]:
    """mpmath cannot compare its decimals with fractions: mixed pairs become decimals."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a, b
    return to_mpf(a), to_mpf(b)


def _exact_ok(value: Fraction) -> Value:
    if value.numerator.bit_length() + value.denominator.bit_length() > MAX_EXACT_BITS:
        return to_mpf(value)
    return value


def _add(ctx: Context, parts: list[Value]) -> Value:
    if all(isinstance(p, Fraction) for p in parts):
        return _exact_ok(sum(parts, Fraction(0)))  # type: ignore[arg-type]
    values = [to_mpf(p) for p in parts]
    biggest = max(abs(v) for v in values)
    if biggest > ctx.scale:
        ctx.scale = biggest
    return mpmath.fsum(values)


def _mul(parts: list[Value]) -> Value:
    if all(isinstance(p, Fraction) for p in parts):
        out = Fraction(1)
        for p in parts:
            out *= p  # type: ignore[assignment]
            if out.numerator.bit_length() + out.denominator.bit_length() > MAX_EXACT_BITS:
                return mpmath.fprod([to_mpf(q) for q in parts])
        return out
    return mpmath.fprod([to_mpf(p) for p in parts])


def _sign(value: Value) -> int:
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
        raise TooLarge("a power too large to represent", _sign(value) if n % 2 else 1)
    return value**n


def _power(ctx: Context, base: Value, exponent: Value) -> Value:
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
    return _exp(log_value)


def _exp(value: Value) -> mpmath.mpf:
    if value > MAX_EXP_ARGUMENT:
        raise TooLarge("e to a power beyond 10^7", 1)
    if value < -MAX_EXP_ARGUMENT * 100:
        raise TooLarge("e to a power below -10^9")  # tiny, but not worth its exponent's digits
    return mpmath.exp(to_mpf(value))


def _log(ctx: Context, value: Value) -> mpmath.mpf:
    if value <= 0:
        raise Undefined("logarithm of a number that is not positive")
    return mpmath.log(to_mpf(value))


def _unit(ctx: Context, value: Value) -> mpmath.mpf:
    """An argument of arcsin or arccos: in [−1, 1], up to rounding."""
    v = to_mpf(value)
    if abs(v) > 1:
        if abs(v) > 1 + ctx.eps:
            raise Undefined("arcsin or arccos of a number outside [−1, 1]")
        v = mpmath.mpf(_sign(v))
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
        small = _exp(v)
        return small / (1 + small)
    return 1 / (1 + _exp(-v))


def _softplus(ctx: Context, value: Value) -> Value:
    v = to_mpf(value)
    if v > 50:
        return v + mpmath.log1p(mpmath.exp(-v))
    return mpmath.log1p(_exp(v))


def _floor(ctx: Context, value: Value) -> Value:
    if isinstance(value, Fraction):
        return Fraction(math.floor(value))
    if abs(value) > 10**30:
        raise TooLarge("the floor of a huge number")
    return Fraction(int(mpmath.floor(value)))


def _ceiling(ctx: Context, value: Value) -> Value:
    return -_floor(ctx, -value)


def _heaviside(ctx: Context, value: Value, at_zero: Value | None = None) -> Value:
    if value == 0:
        return Fraction(1, 2) if at_zero is None else at_zero
    return Fraction(1) if value > 0 else Fraction(0)


_UNARY: dict[type, Callable[[Context, Value], Value]] = {
    sp.exp: lambda ctx, v: _exp(v),
    sp.log: _log,
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
    sp.sign: lambda ctx, v: Fraction(_sign(v)),
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


_CONSTANTS: dict[sp.Basic, Callable[[], mpmath.mpf]] = {
    sp.pi: lambda: +mpmath.pi,
    sp.E: lambda: +mpmath.e,
    sp.EulerGamma: lambda: +mpmath.euler,
    sp.GoldenRatio: lambda: +mpmath.phi,
    sp.Catalan: lambda: +mpmath.catalan,
}


def _relation(node: sp.Basic) -> Callable[[Context], bool]:
    """A condition of a Piecewise (or of a comparison), evaluated with the same arithmetic."""
    if node is sp.true:
        return lambda ctx: True
    if node is sp.false:
        return lambda ctx: False
    if isinstance(node, (sp.And, sp.Or)):
        parts = [_relation(arg) for arg in node.args]
        if isinstance(node, sp.And):
            return lambda ctx: all(p(ctx) for p in parts)
        return lambda ctx: any(p(ctx) for p in parts)
    if isinstance(node, sp.Not):
        inner = _relation(node.args[0])
        return lambda ctx: not inner(ctx)
    if isinstance(node, sp.core.relational.Relational):
        left, right = compile_real(node.lhs), compile_real(node.rhs)
        test: Callable[[Value, Value], bool] = {
            "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
        }[node.rel_op]  # fmt: skip
        return lambda ctx: test(*_comparable(left(ctx), right(ctx)))
    raise Unsupported(f"condition {type(node).__name__}")


def _compile_piecewise(node: sp.Piecewise) -> Compiled:
    branches = [(compile_real(expr), _relation(cond)) for expr, cond in node.args]

    def evaluate(ctx: Context) -> Value:
        for value, condition in branches:
            if condition(ctx):
                return value(ctx)
        raise Undefined("no branch of the piecewise function applies")

    return evaluate


def _compile_function(node: sp.Basic) -> Compiled:
    args = [compile_real(arg) for arg in node.args]
    kind = type(node)
    if kind is sp.log and len(args) == 1:
        (arg,) = args

        def log(ctx: Context) -> Value:
            # ln u is off by the relative error of u: the magnitudes met inside, over |u|
            outer, ctx.scale = ctx.scale, mpmath.mpf(0)
            u = arg(ctx)
            inner, value = ctx.scale, _log(ctx, u)
            ctx.scale = max(outer, inner / abs(to_mpf(u)))
            return value

        return log
    if kind in _UNARY and len(args) == 1:
        function, (arg,) = _UNARY[kind], args
        return lambda ctx: function(ctx, arg(ctx))
    if kind is sp.log and len(args) == 2:  # log(x, b)
        value, base = args
        return lambda ctx: _log(ctx, value(ctx)) / _log(ctx, base(ctx))
    if kind in (sp.Max, sp.Min):
        pick = max if kind is sp.Max else min
        return lambda ctx: pick((a(ctx) for a in args), key=to_mpf)
    if kind is sp.Heaviside:
        if len(args) == 1:
            return lambda ctx: _heaviside(ctx, args[0](ctx))
        return lambda ctx: _heaviside(ctx, args[0](ctx), args[1](ctx))
    if kind is sp.atan2:
        y, x = args

        def atan2(ctx: Context) -> Value:
            yv, xv = y(ctx), x(ctx)
            if yv == 0 and xv == 0:
                raise Undefined("atan2(0, 0)")
            return mpmath.atan2(to_mpf(yv), to_mpf(xv))

        return atan2
    raise Unsupported(kind.__name__)


def compile_real(expr: sp.Basic) -> Compiled:
    """A function of a ``Context`` giving the real value of ``expr`` there (raising
    ``Undefined`` or ``TooLarge``); raises ``Unsupported`` for a node it does not know."""
    if isinstance(expr, sp.Symbol):
        return lambda ctx: ctx.point[expr]  # type: ignore[index]
    if isinstance(expr, sp.Rational):
        exact = Fraction(int(expr.p), int(expr.q))
        return lambda ctx: exact
    if isinstance(expr, sp.Float):
        mpf_value = expr._mpf_
        return lambda ctx: mpmath.mpf(mpf_value)
    if expr in _CONSTANTS:
        constant = _CONSTANTS[expr]
        return lambda ctx: constant()
    if expr in (sp.I, sp.zoo, sp.nan, sp.oo, -sp.oo):  # a sum or product with one of these is not real either
        return _undefined("not a real number")
    if isinstance(expr, sp.Add):
        parts = [compile_real(arg) for arg in expr.args]
        return lambda ctx: _add(ctx, [p(ctx) for p in parts])
    if isinstance(expr, sp.Mul):
        factors = [compile_real(arg) for arg in expr.args]
        return lambda ctx: _mul([f(ctx) for f in factors])
    if isinstance(expr, sp.Pow):
        base, exponent = compile_real(expr.base), compile_real(expr.exp)
        return lambda ctx: _power(ctx, base(ctx), exponent(ctx))
    if isinstance(expr, sp.Piecewise):
        return _compile_piecewise(expr)
    if isinstance(expr, (sp.Function, sp.Max, sp.Min)):  # Max and Min are not Functions in SymPy
        return _compile_function(expr)
    raise Unsupported(type(expr).__name__)


def _undefined(why: str) -> Compiled:
    def evaluate(ctx: Context) -> Value:
        raise Undefined(why)

    return evaluate


def evaluate(compiled: Compiled, point: Point, dps: int) -> tuple[Value, mpmath.mpf]:
    """(value, scale) at ``point`` with ``dps`` digits; scale is the largest magnitude met."""
    with mpmath.workdps(dps):
        ctx = Context(point, dps)
        try:
            value = compiled(ctx)
        except (ZeroDivisionError, mpmath.libmp.ComplexResult) as error:
            raise Undefined(str(error) or "division by zero", pole=isinstance(error, ZeroDivisionError)) from None
        except (OverflowError, MemoryError) as error:
            raise TooLarge(str(error) or "too large") from None
        if not isinstance(value, Fraction):
            if mpmath.isnan(value) or mpmath.isinf(value):
                raise Undefined("not a finite number")
            value = +value  # rounded to the working precision
        return value, max(ctx.scale, abs(to_mpf(value)))
