"""The functions and constants a user may name, shared by the LaTeX and plain-text readers."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..functions import ReLU, sigmoid, softplus

FunctionBuilder = Callable[[sp.Expr], sp.Expr]

# One table for both syntaxes: a LaTeX command `\name` or a plain-text call `name(…)`.
FUNCTIONS: dict[str, FunctionBuilder] = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "cot": sp.cot,
    "sec": sp.sec,
    "csc": sp.csc,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "arccot": sp.acot,
    "arcsec": sp.asec,
    "arccsc": sp.acsc,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "acot": sp.acot,
    "asec": sp.asec,
    "acsc": sp.acsc,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "coth": sp.coth,
    "sech": sp.sech,
    "csch": sp.csch,
    "arsinh": sp.asinh,
    "arcosh": sp.acosh,
    "artanh": sp.atanh,
    "arcoth": sp.acoth,
    "arcsinh": sp.asinh,
    "arccosh": sp.acosh,
    "arctanh": sp.atanh,
    "arccoth": sp.acoth,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "acoth": sp.acoth,
    "asech": sp.asech,
    "acsch": sp.acsch,
    "exp": sp.exp,
    "ln": sp.log,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "Abs": sp.Abs,
    "sign": sp.sign,
    "sgn": sp.sign,
    "sigma": sigmoid,
    "sigmoid": sigmoid,
    "softplus": softplus,
    "relu": ReLU,
    "ReLU": ReLU,
    "erf": sp.erf,
    "erfc": sp.erfc,
    "factorial": sp.factorial,
}

# `\sin^{-1} x` is how many textbooks write arcsin.
INVERSE_BY_POWER_MINUS_ONE: dict[FunctionBuilder, FunctionBuilder] = {
    sp.sin: sp.asin,
    sp.cos: sp.acos,
    sp.tan: sp.atan,
    sp.cot: sp.acot,
    sp.sec: sp.asec,
    sp.csc: sp.acsc,
    sp.sinh: sp.asinh,
    sp.cosh: sp.acosh,
    sp.tanh: sp.atanh,
    sp.coth: sp.acoth,
}

CONSTANTS: dict[str, sp.Expr] = {"e": sp.E, "E": sp.E, "pi": sp.pi, "π": sp.pi}

GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
]


# Functions written as a LaTeX command \name (\sqrt has a grammar rule of its own).
# \sigma is a Greek letter there: the reader turns \sigma( into the sigmoid before the grammar sees it.
LATEX_FUNCTIONS = sorted(set(FUNCTIONS) - {"sqrt", "factorial", "sigma"}, key=lambda name: (-len(name), name))


def symbol(name: str) -> sp.Symbol:
    """Variables are real: the lecture's functions are real functions of real arguments."""
    return sp.Symbol(name, real=True)
