"""Derivatives of the elementary functions of one argument u: d/du F(u) = F'(u), with the rule id.

This is the outer-derivative table the chain rule consults; the formulas are the ones a
textbook gives (sec² for tan, σ(1−σ) for the sigmoid), and every use of them is verified
against SymPy's own derivative when the step is checked.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..functions import ReLU, sigmoid, softplus

Outer = Callable[[sp.Expr], sp.Expr]


def _recip(e: sp.Expr) -> sp.Expr:
    return sp.Pow(e, -1, evaluate=False)


TABLE: dict[type, tuple[str, Outer]] = {
    sp.exp: ("exp", lambda u: sp.exp(u)),
    sp.log: ("ln", lambda u: _recip(u)),
    sp.sin: ("trig", lambda u: sp.cos(u)),
    sp.cos: ("trig", lambda u: -sp.sin(u)),
    sp.tan: ("trig", lambda u: sp.sec(u) ** 2),
    sp.cot: ("trig", lambda u: -(sp.csc(u) ** 2)),
    sp.sec: ("trig", lambda u: sp.Mul(sp.sec(u), sp.tan(u), evaluate=False)),
    sp.csc: ("trig", lambda u: -sp.Mul(sp.csc(u), sp.cot(u), evaluate=False)),
    sp.asin: ("inverse_trig", lambda u: _recip(sp.sqrt(1 - u**2))),
    sp.acos: ("inverse_trig", lambda u: -_recip(sp.sqrt(1 - u**2))),
    sp.atan: ("inverse_trig", lambda u: _recip(1 + u**2)),
    sp.acot: ("inverse_trig", lambda u: -_recip(1 + u**2)),
    sp.sinh: ("hyperbolic", lambda u: sp.cosh(u)),
    sp.cosh: ("hyperbolic", lambda u: sp.sinh(u)),
    sp.tanh: ("tanh", lambda u: 1 - sp.tanh(u) ** 2),
    sp.asinh: ("inverse_hyperbolic", lambda u: _recip(sp.sqrt(u**2 + 1))),
    sp.atanh: ("inverse_hyperbolic", lambda u: _recip(1 - u**2)),
    sp.Abs: ("abs", lambda u: sp.sign(u)),
    sigmoid: ("sigmoid", lambda u: sp.Mul(sigmoid(u), 1 - sigmoid(u), evaluate=False)),
    softplus: ("softplus", lambda u: sigmoid(u)),
    ReLU: ("relu", lambda u: sp.Piecewise((0, u < 0), (1, u > 0))),
}

# Families whose remaining members take their derivative from SymPy's own table, under the
# family's rule id (arcsec, coth, arcosh, …).
FAMILIES: dict[type, str] = {
    sp.asec: "inverse_trig",
    sp.acsc: "inverse_trig",
    sp.coth: "hyperbolic",
    sp.sech: "hyperbolic",
    sp.csch: "hyperbolic",
    sp.acosh: "inverse_hyperbolic",
    sp.acoth: "inverse_hyperbolic",
    sp.asech: "inverse_hyperbolic",
    sp.acsch: "inverse_hyperbolic",
}


def outer_derivative(function: sp.Function, u: sp.Symbol) -> tuple[str, sp.Expr] | None:
    """(rule id, F'(u)) for a one-argument function F, or None if SymPy cannot differentiate it."""
    func = type(function)
    if func in TABLE:
        rule_id, derivative = TABLE[func]
        return rule_id, derivative(u)
    if len(function.args) != 1:
        return None
    try:
        derivative = func(u).fdiff(1)
    except (sp.core.function.ArgumentIndexError, AttributeError, TypeError, NotImplementedError):
        return None
    if derivative.has(sp.Derivative, sp.Subs):
        return None
    return FAMILIES.get(func, "generic"), derivative
