"""Finite differences, as the lecture introduces the derivative: the slope of a secant,
(f(a + h) − f(a))/h, worked exactly, and a table of forward and central differences for
shrinking h, each with its error against the exact derivative from the step engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..core.derivation import Derivation, DerivativeContext, SlopeContext, Step, VerificationReport
from ..core.display import Displayable
from ..core.envelope import worked
from ..core.rules import ARITHMETIC
from ..core.terms import substitute_held
from ..errors import DomainError, ParseError
from ..parse import Syntax, parse
from ..parse.inputs import read_number, variable_of
from .api import differentiate
from .one_sided import OneSidedSlopes, one_sided_slopes, real_at
from .rules import CENTRAL_DIFFERENCE, DIFFERENCE_QUOTIENT

DIGITS = 30  # working precision of the table: exact differences, evaluated without cancellation
TABLE_STEPS = [sp.Rational(1, 10**k) for k in range(0, 7)]


@dataclass
class DifferenceRow:
    h: sp.Expr
    forward: sp.Expr
    central: sp.Expr
    forward_error: sp.Expr
    central_error: sp.Expr


@dataclass
class Slope(Displayable):
    """The secant slope at ``a`` with step ``h``, the exact derivative there, and a table."""

    function: sp.Expr
    variable: sp.Symbol
    a: sp.Expr
    h: sp.Expr
    derivation: Derivation[SlopeContext]  # the difference quotient, worked exactly
    derivative: Derivation[DerivativeContext]  # f'(a) from the step engine
    table: list[DifferenceRow] = field(default_factory=list)

    @property
    def central(self) -> bool:
        return self.derivation.context.central

    def verify(self) -> VerificationReport:
        """The difference quotient's steps and those of f'(a) (the table is decimals, not steps)."""
        return VerificationReport.of([("slope", self.derivation), ("f'(a)", self.derivative)])

    @property
    def slope(self) -> sp.Expr:
        return self.derivation.result

    @property
    def exact(self) -> sp.Expr:
        return self.derivative.result

    @property
    def error(self) -> sp.Expr:
        return sp.Abs(self.slope - self.exact)


def difference_table(f: sp.Expr, x: sp.Symbol, a: sp.Expr, exact: sp.Expr, steps: list[sp.Expr]) -> list[DifferenceRow]:
    """Rows for each h at which f(a ± h) is defined (ln x at a = 1 has no row for h = 1)."""
    rows = []
    target = exact.evalf(DIGITS)
    fa = real_at(f, x, a)
    for h in steps:
        try:
            right, left = real_at(f, x, a + h), real_at(f, x, a - h)
        except DomainError:
            continue
        forward = sp.N((right - fa) / h, DIGITS)
        central = sp.N((right - left) / (2 * h), DIGITS)
        rows.append(DifferenceRow(h, forward, central, abs(forward - target), abs(central - target)))
    return rows


def _quotient(f: sp.Expr, x: sp.Symbol, h: sp.Symbol, central: bool) -> sp.Expr:
    """(f(x + h) − f(x))/h, or (f(x + h) − f(x − h))/(2h), written out and held back."""
    right = substitute_held(f, {x: sp.Add(x, h, evaluate=False)})
    left = substitute_held(f, {x: sp.Add(x, sp.Mul(-1, h, evaluate=False), evaluate=False)}) if central else f
    width = sp.Mul(2, h, evaluate=False) if central else h
    difference = sp.Add(right, sp.Mul(-1, left, evaluate=False), evaluate=False)
    return sp.Mul(difference, sp.Pow(width, -1, evaluate=False), evaluate=False)


def slope(
    expr: str | sp.Expr,
    at: object,
    h: object = "0.01",
    wrt: str | None = None,
    syntax: Syntax = "auto",
    central: bool = False,
) -> Slope | OneSidedSlopes:
    """The forward difference (f(a + h) − f(a))/h at ``at`` (``central``: (f(a + h) − f(a − h))/2h),
    worked exactly, beside f'(a) from the step engine and a table for shrinking h."""
    f = parse(expr, syntax)
    free = sorted((s for s in f.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
    if wrt is None and len(free) > 1:
        raise ParseError(f"f has the variables {', '.join(s.name for s in free)}: say which one with wrt")
    x = variable_of(f, wrt) if wrt else (free[0] if free else sp.Symbol("x", real=True))
    a = read_number(at, "the point", syntax)
    step = read_number(h, "h", syntax)
    if step == 0 or not step.is_real:
        raise ParseError("h must be a non-zero real number")
    h_symbol = sp.Symbol("h" if "h" not in {s.name for s in free} else r"\Delta x", real=True)
    quotient = _quotient(f, x, h_symbol, central)
    values = {x: a, h_symbol: step}
    text_input = expr if isinstance(expr, str) else sp.latex(expr)

    def build() -> Slope | OneSidedSlopes:
        for point in (a, a + step, a - step) if central else (a, a + step):
            real_at(f, x, point)
        plugged = substitute_held(quotient, values)
        bindings = {x.name: a, h_symbol.name: step}
        cited = CENTRAL_DIFFERENCE if central else DIFFERENCE_QUOTIENT
        steps = [Step(cited, quotient, plugged, bindings, substitution=values)]
        worked_out = plugged.doit()
        if worked_out != plugged:
            steps.append(Step(ARITHMETIC, plugged, worked_out, typed_order=False))
        derivation = Derivation(text_input, quotient, steps, SlopeContext(x, step, central))
        table_steps = sorted({*TABLE_STEPS, abs(step)}, reverse=True)
        try:
            derivative = differentiate(f, wrt=x, at={x.name: a})
        except DomainError:  # f is defined at a but f' is not (|x| at 0): where a teacher shows both sides
            return one_sided_slopes(f, x, a, step, derivation, table_steps)
        table = difference_table(f, x, a, derivative.result, table_steps)
        return Slope(f, x, a, step, derivation, derivative, table)

    return worked(build, "slope")
