"""Numbers at a point: exact while they stay a size one can print, 30-digit decimals beyond.

x^{999999} at x = 10 is an exact integer of a million digits: computing it is quick, printing
it is not (Python refuses to turn more than 4,300 digits into text), and at x = 10^{999} even
computing it would not finish. The size is estimated before anything is computed.
"""

from __future__ import annotations

import math

import sympy as sp

from ..parse.limits import MAX_RESULT_DIGITS, number_digits

DECIMAL_DIGITS = 30


def estimated_digits(expr: sp.Expr) -> float:
    """About how many digits the exact value of a numeric term has (a generous upper bound)."""
    if expr.is_Rational:
        return number_digits(expr)
    if isinstance(expr, sp.Pow) and expr.exp.is_Rational:
        return estimated_digits(expr.base) * abs(float(expr.exp))
    if isinstance(expr, (sp.Mul, sp.Add)):
        parts = [estimated_digits(arg) for arg in expr.args]
        return sum(parts) if isinstance(expr, sp.Mul) else max(parts, default=0.0) + math.log10(len(parts))
    return max((estimated_digits(arg) for arg in expr.args if isinstance(arg, sp.Expr)), default=0.0)


def too_large_to_expand(expr: sp.Expr) -> bool:
    """A number (no variables) whose exact value would not be printable."""
    return not expr.free_symbols and estimated_digits(expr) > MAX_RESULT_DIGITS


def exact_or_decimal(expr: sp.Expr) -> sp.Expr:
    """``expr`` (numbers only) carried out exactly if the result stays printable, else as a
    30-digit decimal."""
    if estimated_digits(expr) > MAX_RESULT_DIGITS:
        return sp.Float(expr.evalf(DECIMAL_DIGITS), DECIMAL_DIGITS)
    value = expr.doit()
    if value.is_Rational and number_digits(value) > MAX_RESULT_DIGITS:
        return sp.Float(value.evalf(DECIMAL_DIGITS), DECIMAL_DIGITS)
    return value


def undefined_at(derivative: sp.Expr, value: sp.Expr, point: dict[sp.Basic, sp.Expr]) -> str | None:
    """Why a derivative has no value at a point, or None. sgn(x) at x = 0 is 0 by SymPy's
    convention, but as the derivative of |x| it does not exist there: d|x|/dx = x/|x|."""
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return "it is undefined there (division by zero or a kink)"
    for term in sp.preorder_traversal(derivative):
        if isinstance(term, (sp.sign, sp.Heaviside)) and term.args[0].xreplace(point) == 0:
            argument = sp.sstr(term.args[0])
            return f"{sp.sstr(term)}, the derivative of |{argument}|, has no value where {argument} = 0"
    return None
