"""Real values of an expression at a point, as written, in bounded time.

An expression is compiled once into nested closures and evaluated at many points. Values are
exact fractions while they stay small (sums, products and integer powers of the rational points
and literals), mpmath decimals at a chosen precision beyond. Every sub-term must be real: ln x
at x < 0 makes e^{ln x} undefined there, √x at x < 0 makes (√x)² undefined, so the domain of the
written form is kept. A rational power p/q with q odd of a negative base is the real root
(∛(−8) = −2); with q even it is undefined. Values too large to represent (e^{e^{e^{10}}},
nested factorials) raise ``TooLarge`` instead of running out of time or memory.

This module walks the expression (``compile_real``) and runs the result (``evaluate``); the
numbers and their arithmetic are in ``real_arithmetic``, the functions in ``real_functions``.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import mpmath
import sympy as sp

from .real_arithmetic import Context, Point, TooLarge, Undefined, Value, add, comparable, mul, power, to_mpf
from .real_functions import CONSTANTS, UNARY, heaviside, logarithm


class Unsupported(Exception):
    """A node this evaluator does not know (the caller falls back to SymPy's evalf)."""


Compiled = Callable[[Context], Value]


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
        return lambda ctx: test(*comparable(left(ctx), right(ctx)))
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
            inner, value = ctx.scale, logarithm(ctx, u)
            ctx.scale = max(outer, inner / abs(to_mpf(u)))
            return value

        return log
    if kind in UNARY and len(args) == 1:
        function, (arg,) = UNARY[kind], args
        return lambda ctx: function(ctx, arg(ctx))
    if kind is sp.log and len(args) == 2:  # log(x, b)
        value, base = args
        return lambda ctx: logarithm(ctx, value(ctx)) / logarithm(ctx, base(ctx))
    if kind in (sp.Max, sp.Min):
        pick = max if kind is sp.Max else min
        return lambda ctx: pick((a(ctx) for a in args), key=to_mpf)
    if kind is sp.Heaviside:
        if len(args) == 1:
            return lambda ctx: heaviside(ctx, args[0](ctx))
        return lambda ctx: heaviside(ctx, args[0](ctx), args[1](ctx))
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
    if expr in CONSTANTS:
        constant = CONSTANTS[expr]
        return lambda ctx: constant()
    if expr in (sp.I, sp.zoo, sp.nan, sp.oo, -sp.oo):  # a sum or product with one of these is not real either
        return _undefined("not a real number")
    if isinstance(expr, sp.Add):
        parts = [compile_real(arg) for arg in expr.args]
        return lambda ctx: add(ctx, [p(ctx) for p in parts])
    if isinstance(expr, sp.Mul):
        factors = [compile_real(arg) for arg in expr.args]
        return lambda ctx: mul([f(ctx) for f in factors])
    if isinstance(expr, sp.Pow):
        base, exponent = compile_real(expr.base), compile_real(expr.exp)
        return lambda ctx: power(ctx, base(ctx), exponent(ctx))
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
