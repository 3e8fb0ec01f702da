"""The derivatives of the functions of one argument, each family one rule with its table of
F'(x) as a textbook gives it (sec² for tan, σ(1−σ) for the sigmoid), and the mistakes made with
them. Every use of a formula is verified against SymPy's own derivative when its step is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.rewriting import Application, RewriteRule
from ..core.rules import declare
from ..core.terms import pending
from ..functions import ReLU, sigmoid, softplus
from .rules import CHAIN, EXP_BASE, derivative_rule, mistake, mul, neg, recip, sympy_outer

Outer = Callable[[sp.Expr], sp.Expr]


@dataclass(frozen=True)
class TableRule(RewriteRule):
    """d/dx F(x) = F'(x) for each F in ``table`` (formulas as a textbook gives them), and for
    each F in ``family`` the derivative SymPy's own table gives, under this rule's name."""

    table: dict[type, Outer] = field(default_factory=dict, compare=False, repr=False)
    family: tuple[type, ...] = field(default=(), compare=False, repr=False)

    def matches(self, f: sp.Expr, x: Any) -> bool:
        if not (isinstance(f, sp.Function) and len(f.args) == 1 and f.args[0] == x):
            return False
        return type(f) in self.table or (type(f) in self.family and sympy_outer(f, x) is not None)

    def apply(self, f: sp.Expr, x: Any, engine: Any) -> Application:
        outer = self.table.get(type(f))
        derivative = outer(x) if outer is not None else sympy_outer(f, x)
        assert derivative is not None  # matches() made sure SymPy has it
        return Application(self, derivative)


def table_rule(rule_id: str, title: str, formula: str, table: dict[type, Outer],
               family: tuple[type, ...] = ()) -> TableRule:  # fmt: skip
    return declare(TableRule(rule_id, title, formula, table=table, family=family))


EXP = table_rule("exp", "Exponential rule", r"\frac{d}{dx} e^{x} = e^{x}", {sp.exp: lambda u: sp.exp(u)})
LN = table_rule("ln", "Logarithm rule", r"\frac{d}{dx} \ln x = \frac{1}{x}", {sp.log: lambda u: recip(u)})


def _reciprocal_of_log(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application | None:
    """(ln g)' taken as 1/ln g: on a composite the whole formula is misread, inner factor and all."""
    return Application(CHAIN, recip(f)) if isinstance(f, sp.log) else None


mistake("log_reciprocal_of_log", "(ln u)' taken as 1/ln(u)", LN,
        {LN: lambda f, x, e: Application(LN, recip(sp.log(x))), CHAIN: _reciprocal_of_log})  # fmt: skip
TRIG = table_rule(
    "trig", "Trigonometric derivative", r"(\sin x)' = \cos x,\ (\cos x)' = -\sin x,\ (\tan x)' = \sec^{2} x",
    {sp.sin: lambda u: sp.cos(u), sp.cos: lambda u: -sp.sin(u), sp.tan: lambda u: sp.sec(u) ** 2,
     sp.cot: lambda u: -(sp.csc(u) ** 2), sp.sec: lambda u: sp.Mul(sp.sec(u), sp.tan(u), evaluate=False),
     sp.csc: lambda u: -sp.Mul(sp.csc(u), sp.cot(u), evaluate=False)},
)  # fmt: skip
mistake("trig_sign", "sign error in a trigonometric derivative (cos' = sin, ...)", TRIG,
        {TRIG: lambda f, x, e: Application(TRIG, neg(TRIG.table[type(f)](x)))})  # fmt: skip
INVERSE_TRIG = table_rule(
    "inverse_trig", "Inverse trigonometric derivative",
    r"(\arcsin x)' = \frac{1}{\sqrt{1-x^{2}}},\ (\arctan x)' = \frac{1}{1+x^{2}}",
    {sp.asin: lambda u: recip(sp.sqrt(1 - u**2)), sp.acos: lambda u: -recip(sp.sqrt(1 - u**2)),
     sp.atan: lambda u: recip(1 + u**2), sp.acot: lambda u: -recip(1 + u**2)},
    family=(sp.asec, sp.acsc),
)  # fmt: skip
HYPERBOLIC = table_rule(
    "hyperbolic", "Hyperbolic derivative", r"(\sinh x)' = \cosh x,\ (\cosh x)' = \sinh x",
    {sp.sinh: lambda u: sp.cosh(u), sp.cosh: lambda u: sp.sinh(u)}, family=(sp.coth, sp.sech, sp.csch),
)  # fmt: skip
INVERSE_HYPERBOLIC = table_rule(
    "inverse_hyperbolic", "Inverse hyperbolic derivative", r"(\operatorname{arsinh} x)' = \frac{1}{\sqrt{x^{2}+1}}",
    {sp.asinh: lambda u: recip(sp.sqrt(u**2 + 1)), sp.atanh: lambda u: recip(1 - u**2)},
    family=(sp.acosh, sp.acoth, sp.asech, sp.acsch),
)  # fmt: skip
TANH = table_rule("tanh", "Derivative of tanh", r"\frac{d}{dx} \tanh x = 1 - \tanh^{2} x",
                  {sp.tanh: lambda u: 1 - sp.tanh(u) ** 2})  # fmt: skip


ABS = table_rule("abs", "Absolute value", r"\frac{d}{dx} |x| = \operatorname{sgn}(x) = \frac{x}{|x|} \quad (x \neq 0)",
                 {sp.Abs: lambda u: sp.sign(u)})  # fmt: skip
SIGMOID = table_rule("sigmoid", "Sigmoid", r"\sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)",
                     {sigmoid: lambda u: sp.Mul(sigmoid(u), 1 - sigmoid(u), evaluate=False)})  # fmt: skip
SOFTPLUS = table_rule("softplus", "Softplus", r"\frac{d}{dx} \ln\left(1 + e^{x}\right) = \sigma(x)",
                      {softplus: lambda u: sigmoid(u)})  # fmt: skip
RELU = table_rule(
    "relu", "ReLU (piecewise)",
    r"\frac{d}{dx} \operatorname{ReLU}(x) = \begin{cases} 0 & x < 0 \\ 1 & x > 0 \end{cases}"
    r"\ \text{(undefined at } x = 0\text{)}",
    {ReLU: lambda u: sp.Piecewise((0, u < 0), (1, u > 0))},
)  # fmt: skip


def _extremum(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    """max(u, v)' is u' where u is the largest and v' where v is; where two are equal no branch
    holds, so the derivative has no value there (|x|'s kink, by another name)."""
    parts = list(f.args)
    wins = (lambda a, b: a > b) if isinstance(f, sp.Max) else (lambda a, b: a < b)
    branches = [(pending(u, x), sp.And(*(wins(u, v) for v in parts if v is not u))) for u in parts]
    return Application(EXTREMUM, sp.Piecewise(*branches, evaluate=False))


EXTREMUM = derivative_rule(
    "max_min", "Derivative of max and min",
    r"\frac{d}{dx} \max(u, v) = \begin{cases} u' & u > v \\ v' & v > u \end{cases}"
    r"\ \text{(undefined where } u = v\text{, unless } u' = v'\text{)}",
    lambda f, x: isinstance(f, (sp.Max, sp.Min)), _extremum,
)  # fmt: skip
STEP_FUNCTIONS = table_rule(
    "floor_ceiling", "Floor and ceiling are flat between the whole numbers",
    r"\frac{d}{dx} \lfloor x \rfloor = \frac{d}{dx} \lceil x \rceil = 0 \quad (x \notin \mathbb{Z})",
    {sp.floor: lambda u: sp.Piecewise((0, sp.Ne(u, sp.floor(u)))),
     sp.ceiling: lambda u: sp.Piecewise((0, sp.Ne(u, sp.ceiling(u))))},
)  # fmt: skip


def _exponent_brought_down(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application | None:
    """(e^g)' taken as g e^(g-1), (a^g)' as g a^(g-1): the power rule on the whole, no chain rule."""
    if isinstance(f, sp.exp):
        return Application(CHAIN, mul(f.args[0], sp.exp(f.args[0] - 1)))
    if isinstance(f, sp.Pow) and not f.base.has(x):
        return Application(CHAIN, mul(f.exp, sp.Pow(f.base, f.exp - 1, evaluate=False)))
    return None


mistake("power_rule_on_exponential", "power rule applied to a^x or e^x: x a^(x-1)", EXP, {
    EXP: lambda f, x, e: Application(EXP, mul(x, sp.exp(x - 1))),
    EXP_BASE: lambda f, x, e: Application(EXP_BASE, mul(x, sp.Pow(f.base, x - 1, evaluate=False))),
    CHAIN: _exponent_brought_down,
})  # fmt: skip
