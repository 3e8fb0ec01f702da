"""Numbers at a point: exact while they stay a size one can print, 30-digit decimals beyond.

x^{999999} at x = 10 is an exact integer of a million digits: computing it is quick, printing
it is not (Python refuses to turn more than 4,300 digits into text), and at x = 10^{999} even
computing it would not finish. The size is estimated before anything is computed.
"""

from __future__ import annotations

import math

import sympy as sp

from ..parse.limits import MAX_RESULT_DIGITS, number_digits
from ..parse.reading import current
from .notation import text

DECIMAL_DIGITS = 30


def _shown(expr: sp.Basic) -> str:
    return text(expr, typed=False)  # x² - 1 in a message, as the output writes it, never x**2 - 1


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
        specific = not_real_reason(derivative, point)
        return specific if specific != _NOT_REAL else "it is undefined there (division by zero or a kink)"
    if (value.has(sp.I) or value.is_real is False) and not current()[0].complex:
        return not_real_reason(derivative, point)  # variables are real: a complex value is no value
    for term in sp.preorder_traversal(derivative):
        if isinstance(term, (sp.sign, sp.Heaviside)) and term.args[0].xreplace(point) == 0:
            argument = text(term.args[0], typed=False)
            shown = text(term, typed=False)
            return f"{shown}, the derivative of |{argument}|, has no value where {argument} = 0"
    return None


_NOT_REAL = "the value is not a real number (variables are real)"
# Inverse functions defined on [-1, 1] only, and those on an open or half line.
_UNIT_INTERVAL = (sp.asin, sp.acos)
_DOMAINS: dict[type, tuple[str, object]] = {
    sp.acosh: ("arcosh needs an argument ≥ 1", lambda a: a >= 1),
    sp.atanh: ("artanh needs an argument in (-1, 1)", lambda a: abs(a) < 1),
    sp.asec: ("arcsec needs |argument| ≥ 1", lambda a: abs(a) >= 1),
    sp.acsc: ("arccsc needs |argument| ≥ 1", lambda a: abs(a) >= 1),
}


def not_real_reason(expr: sp.Expr, point: dict[sp.Basic, sp.Expr]) -> str:
    """The first sub-term (innermost first) that leaves the real numbers at ``point``, said the way
    a teacher would: ln of a negative number, an even root of a negative number, arcsin of 2."""
    for term in sp.postorder_traversal(expr):
        if not isinstance(term, sp.Expr) or not term.args:
            continue
        if isinstance(term, sp.log):
            argument = term.args[0].xreplace(point)
            if argument == 0:
                return f"ln(0) is undefined ({_shown(term.args[0])} = 0)"
            if argument.is_negative:
                return f"ln of a negative number, ln({_shown(argument)}), is not real"
        elif isinstance(term, sp.Pow):
            base, exponent = term.base.xreplace(point), term.exp.xreplace(point)
            if base == 0 and exponent.is_negative:
                return f"division by zero ({_shown(term.base)} = 0)"
            if base.is_negative and exponent.is_integer is False:
                kind = "the square root" if exponent == sp.Rational(1, 2) else "a fractional power"
                return f"{kind} of a negative number ({_shown(base)}) is not real"
        elif isinstance(term, _UNIT_INTERVAL):
            argument = term.args[0].xreplace(point)
            if argument.is_number and argument.is_real and abs(argument) > 1:
                name = "arcsin" if isinstance(term, sp.asin) else "arccos"
                return f"{name} needs an argument in [-1, 1], and {_shown(term.args[0])} = {_shown(argument)}"
        elif type(term) in _DOMAINS:
            reason, holds = _DOMAINS[type(term)]
            argument = term.args[0].xreplace(point)
            if argument.is_number and argument.is_real and not holds(argument):  # type: ignore[operator]
                return f"{reason}, and {_shown(term.args[0])} = {_shown(argument)}"
    return _NOT_REAL
