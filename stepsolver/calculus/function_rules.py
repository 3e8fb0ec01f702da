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
from ..core.timeout import time_limit
from ..errors import RuleError
from ..functions import ReLU, sigmoid, softplus, to_elementary
from .conditions import where
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
    """max(u, v)' is u' where u is the largest and v' where v is. Where two tie, the derivative
    exists only if theirs agree: max(x, |x|)' = 1 on x > 0, where x = |x|; at a corner no branch
    holds, so the derivative has no value there (|x|'s kink, by another name)."""
    parts = [sp.Integer(0), f.args[0]] if isinstance(f, ReLU) else list(f.args)
    wins = (lambda a, b: a > b) if not isinstance(f, sp.Min) else (lambda a, b: a < b)
    slopes = {u: _no_value_at_kinks(sp.diff(to_elementary(u), x)) for u in parts}
    branches = [(pending(u, x), where(sp.And(*(wins(u, v) for v in parts if v is not u)), x)) for u in parts]
    for i, u in enumerate(parts):
        for v in parts[i + 1 :]:
            others = sp.And(*(wins(u, w) for w in parts if w is not u and w is not v))
            equal = sp.true if _identical(u, v) else sp.Eq(u, v)  # max(sin²x, 1 − cos²x): a tie everywhere
            agree = sp.And(_exists(slopes[u]), _exists(slopes[v]), sp.Eq(slopes[u], slopes[v]))
            tie = where(sp.And(equal, agree, others), x)
            branches.append((pending(u, x), tie))
            if equal == sp.true:  # neither wins anywhere: only the tie is a branch
                branches = [(d, c) for d, c in branches if d.expr not in (u, v) or c is tie]
    kept = [(d, c) for d, c in branches if c != sp.false]
    if not kept:
        raise RuleError(f"no branch of the derivative of {f} holds anywhere")
    return Application(EXTREMUM, sp.Piecewise(*kept, evaluate=False))


def _no_value_at_kinks(slope: sp.Expr) -> sp.Expr:
    """SymPy's slope of |w| is sgn w, 0 at w = 0, of max H(w), 1/2 at w = 0, and of sgn w 2δ(w):
    values where there is no derivative. A tie counts only where both slopes truly exist and agree."""
    def real(e: sp.Expr) -> sp.Expr:
        w = e.args[0]
        if isinstance(e, sp.sign):
            return sp.Piecewise((1, w > 0), (-1, w < 0))
        if isinstance(e, sp.Heaviside):
            return sp.Piecewise((1, w > 0), (0, w < 0))
        return sp.Piecewise((0, sp.Ne(w, 0)))  # δ(w), sgn's slope: 0 away from 0

    return slope.replace(lambda e: isinstance(e, (sp.sign, sp.Heaviside, sp.DiracDelta)), real)


def _exists(slope: sp.Expr) -> sp.Basic:
    """Where every piece of ``slope`` has a value (SymPy takes 2·{0 if x ≠ 0} = 0 for true)."""
    return sp.And(*(sp.Or(*(c for _, c in p.args)) for p in slope.atoms(sp.Piecewise)))


def _identical(u: sp.Expr, v: sp.Expr) -> bool:
    try:
        with time_limit(1.0) as limit:
            same = sp.simplify(to_elementary(u - v)) == 0
        return same and not limit.expired
    except (NotImplementedError, ValueError, TypeError):
        return False


def _ties_on_intervals(f: sp.Expr, x: sp.Symbol) -> bool:
    """max, min, or a ReLU of something that can be 0 on a whole interval (another ReLU, a max)."""
    if isinstance(f, (sp.Max, sp.Min)):
        return True
    pieces = (ReLU, sp.Max, sp.Min, sp.Abs, sp.Piecewise, sp.floor, sp.ceiling, sp.sign)
    return isinstance(f, ReLU) and f.args[0] != x and f.args[0].has(*pieces)


EXTREMUM = derivative_rule(
    "max_min", "Derivative of max and min",
    r"\frac{d}{dx} \max(u, v) = \begin{cases} u' & u > v \\ v' & v > u \\ u' & u = v,\ u' = v' \end{cases}"
    r"\ \text{(none where } u = v,\ u' \neq v'\text{)};\ \operatorname{ReLU}(u) = \max(0, u)",
    _ties_on_intervals, _extremum,
)  # fmt: skip
SIGN = table_rule(
    "sign", "sgn is flat away from 0",
    r"\frac{d}{dx} \operatorname{sgn} x = 0 \quad (x \neq 0)",
    {sp.sign: lambda u: sp.Piecewise((0, sp.Ne(u, 0)))},
)  # fmt: skip
def _interior(condition: sp.Basic) -> sp.Basic:
    """Where a branch holds on an open set: x ≥ 0 becomes x > 0, and x = 0 no set at all; a
    derivative needs the function on both sides of the point."""
    if isinstance(condition, (sp.And, sp.Or)):
        return condition.func(*(_interior(c) for c in condition.args))
    if isinstance(condition, sp.GreaterThan):
        return sp.StrictGreaterThan(condition.lhs, condition.rhs)
    if isinstance(condition, sp.LessThan):
        return sp.StrictLessThan(condition.lhs, condition.rhs)
    if isinstance(condition, sp.Eq):
        return sp.false
    return condition


def _piecewise(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    branches = [(pending(e, x), _interior(c)) for e, c in f.args]
    kept = [(d, c) for d, c in branches if c != sp.false]
    if not kept:
        raise RuleError("no branch of this piecewise function holds on an interval: it has no derivative")
    return Application(PIECEWISE, sp.Piecewise(*kept, evaluate=False))


PIECEWISE = derivative_rule(
    "piecewise", "A piecewise function, branch by branch",
    r"\frac{d}{dx} \begin{cases} f & x \in A \\ g & x \in B \end{cases} = "
    r"\begin{cases} f' & x \text{ inside } A \\ g' & x \text{ inside } B \end{cases}",
    lambda f, x: isinstance(f, sp.Piecewise), _piecewise,
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
