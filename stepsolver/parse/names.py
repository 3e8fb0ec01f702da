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
    "arsech": sp.asech,
    "arcsch": sp.acsch,
    "arcsech": sp.asech,
    "arccsch": sp.acsch,
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
    "floor": sp.floor,
    "ceil": sp.ceiling,
    "ceiling": sp.ceiling,
    "max": sp.Max,
    "min": sp.Min,
    "Max": sp.Max,
    "Min": sp.Min,
}

# Functions of two or more arguments, max(a, b, …) and min(a, b, …): typed with their arguments in
# brackets (plain text max(a, b); LaTeX \max(a, b) or \max\{a, b\}), never bare.
EXTREMA: dict[str, Callable[..., sp.Expr]] = {"max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min}

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


# Functions written as a LaTeX command \name (\sqrt and \max, \min have grammar rules of their own).
# \sigma is a Greek letter there: the reader turns \sigma( into the sigmoid before the grammar sees it.
LATEX_FUNCTIONS = sorted(
    set(FUNCTIONS) - {"sqrt", "factorial", "sigma"} - set(EXTREMA), key=lambda name: (-len(name), name)
)
LATEX_EXTREMA = sorted(EXTREMA, key=lambda name: (-len(name), name))

# \mathbf{x}, \boldsymbol{x}, \bm{x}, \vec{x}: how the lecture writes a vector; in scalar calculus the
# plain symbol x (said back). \mathbf{1} is the number 1, also said back.
BOLD_COMMANDS = ["mathbf", "boldsymbol", "bm", "vec"]


def symbol(name: str) -> sp.Symbol:
    """Variables are real: the lecture's functions are real functions of real arguments."""
    return sp.Symbol(name, real=True)
