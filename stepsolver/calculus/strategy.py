"""Which derivative rule is tried for which shape: the strategy, kept apart from the rules.

d/dx f tries, in order, the rules ``first`` (a constant, x itself), then the candidates for the
class of f, then the last resort (SymPy's own table). Within a class the order is the one a
teacher follows: a written fraction takes the quotient rule only once constants are out of it.
"""

from __future__ import annotations

import sympy as sp
from sympy.functions.elementary.miscellaneous import MinMaxBase

from ..core.rewriting import Strategy, restricted
from . import function_rules as fr
from . import rules as r

FUNCTIONS = (fr.EXP, fr.LN, fr.TRIG, fr.INVERSE_TRIG, fr.HYPERBOLIC, fr.INVERSE_HYPERBOLIC, fr.TANH, fr.ABS,
             fr.SIGMOID, fr.SOFTPLUS, fr.RELU, fr.SIGN, fr.STEP_FUNCTIONS)  # fmt: skip


DERIVATIVE = Strategy(
    first=(r.CONSTANT, r.IDENTITY),
    by_type={
        sp.Add: (r.SUM,),
        sp.Mul: (r.LOG_BASE, r.CONSTANT_MULTIPLE, r.QUOTIENT, r.RECIPROCAL, r.PRODUCT, r.PRODUCT_N),
        sp.Pow: (r.POWER, r.RECIPROCAL, r.EXP_BASE, r.CHAIN, r.LOG_DIFFERENTIATION),
        sp.Function: (restricted(r.GENERIC, r.is_unknown_function), fr.PIECEWISE, fr.EXTREMUM, *FUNCTIONS, r.CHAIN),
        MinMaxBase: (fr.EXTREMUM,),
    },
    last=(r.GENERIC,),
)
