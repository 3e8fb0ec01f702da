"""Finite differences, as the lecture introduces the derivative: the slope of a secant,
(f(a + h) − f(a))/h, worked exactly, and a table of forward and central differences for
shrinking h, each with its error against the exact derivative from the step engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.derivation import Derivation, Step
from ..core.rules import rule
from ..core.terms import substitute_held
from ..core.verify import real_value
from ..errors import DomainError, ParseError, VerificationError
from ..parse import Syntax, parse
from ..parse.inputs import read_number
from ..render.json import derivation_dict, expression
from ..render.latex import render_document, render_latex
from ..render.markdown import render_markdown
from ..render.printers import decimal, latex, text
from ..render.text import render_text
from .api import differentiate

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
class Slope:
    """The secant slope at ``a`` with step ``h``, the exact derivative there, and a table."""

    function: sp.Expr
    variable: sp.Symbol
    a: sp.Expr
    h: sp.Expr
    derivation: Derivation  # the difference quotient, worked exactly
    derivative: Derivation  # f'(a) from the step engine
    table: list[DifferenceRow] = field(default_factory=list)

    @property
    def central(self) -> bool:
        return bool(self.derivation.variables.get("central"))

    @property
    def slope(self) -> sp.Expr:
        return self.derivation.result

    @property
    def exact(self) -> sp.Expr:
        return self.derivative.result

    @property
    def error(self) -> sp.Expr:
        return sp.Abs(self.slope - self.exact)

    def to_text(self) -> str:
        x, a = self.variable, self.a
        out = [
            f"Slope of the {'central ' if self.central else ''}secant of f({x}) = {text(self.function)} "
            f"at {x} = {text(a)} with h = {decimal(self.h)}",
            "",
            render_text(self.derivation, "  "),
            "",
            f"slope = {_withdecimal(self.slope)}",
            f"exact derivative f'({text(a)}) = {_withdecimal(self.exact)} (worked below by the step engine)",
            f"error |slope − f'({text(a)})| = {decimal(self.error)}",
            "",
            "Forward and central differences as h shrinks:",
            _table_text(self.table),
            "",
            f"f'({text(a)}) by the step engine:",
            render_text(self.derivative, "  "),
        ]
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        head = "| h | forward | error | central | error |\n|---|---|---|---|---|"
        rows = [
            f"| {decimal(r.h)} | {decimal(r.forward)} | {decimal(r.forward_error, 3)} | "
            f"{decimal(r.central)} | {decimal(r.central_error, 3)} |"
            for r in self.table
        ]
        title = (
            f"### Slope of ${latex(self.function)}$ at ${latex(self.variable)} = {latex(self.a)}$, "
            f"$h = {decimal(self.h)}$"
        )
        exact = (
            f"Exact derivative: $f'({latex(self.a)}) = {latex(self.exact, typed=False)}$; error ${decimal(self.error)}$"
        )
        return "\n".join([title, "", render_markdown(self.derivation), exact, "", head, *rows, ""])

    def to_latex(self, standalone: bool = False, plot: bool = True) -> str:
        rows = [
            rf"{decimal(r.h)} & {decimal(r.forward)} & {decimal(r.forward_error, 3)} & "
            rf"{decimal(r.central)} & {decimal(r.central_error, 3)} \\"
            for r in self.table
        ]
        parts = [
            render_latex(self.derivation),
            rf"Exact derivative $f'({latex(self.a)}) = {latex(self.exact, typed=False)}$; "
            rf"error of the slope ${decimal(self.error)}$.",
            r"\begin{center}\begin{tabular}{lllll}",
            r"$h$ & forward & error & central & error \\ \hline",
            *rows,
            r"\end{tabular}\end{center}",
        ]
        if plot:
            from ..render.plot import slope_pgfplots

            parts += [r"\begin{center}", slope_pgfplots(self), r"\end{center}"]
        body = "\n".join(parts)
        x = latex(self.variable)
        title = rf"Slope of $f({x}) = {latex(self.function)}$ at ${x} = {latex(self.a)}$"
        return render_document(title, body) if standalone else body

    def to_svg(self) -> str:
        from ..render.plot import slope_svg

        return slope_svg(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "slope",
            "function": expression(self.function),
            "variable": self.variable.name,
            "at": expression(self.a),
            "h": expression(self.h),
            "central": self.central,
            "slope": {**expression(self.slope), "decimal": decimal(self.slope)},
            "derivative": {**expression(self.exact, typed=False), "decimal": decimal(self.exact)},
            "error": decimal(self.error),
            "difference_quotient": derivation_dict(self.derivation),
            "derivative_derivation": derivation_dict(self.derivative),
            "table": [
                {
                    "h": decimal(r.h),
                    "forward": decimal(r.forward, 15),
                    "forward_error": decimal(r.forward_error, 4),
                    "central": decimal(r.central, 15),
                    "central_error": decimal(r.central_error, 4),
                }
                for r in self.table
            ],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        return self.to_text()


def _withdecimal(value: sp.Expr) -> str:
    shown = text(value, typed=False)
    return shown if value.is_Integer else f"{shown} = {decimal(value)}"


def _table_text(rows: list[DifferenceRow]) -> str:
    lines = [f"  {'h':>9}  {'forward':>16}  {'error':>10}  {'central':>16}  {'error':>10}"]
    for r in rows:
        lines.append(
            f"  {decimal(r.h):>9}  {decimal(r.forward, 12):>16}  {decimal(r.forward_error, 3):>10}  "
            f"{decimal(r.central, 12):>16}  {decimal(r.central_error, 3):>10}"
        )
    return "\n".join(lines)


def _value(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> sp.Expr:
    value = f.subs(x, at).doit()
    if real_value(value, [], {}) is None:
        raise DomainError(f"f is not defined (as a real number) at {x} = {text(at)}")
    return value


def difference_table(f: sp.Expr, x: sp.Symbol, a: sp.Expr, exact: sp.Expr, steps: list[sp.Expr]) -> list[DifferenceRow]:
    """Rows for each h at which f(a ± h) is defined (ln x at a = 1 has no row for h = 1)."""
    rows = []
    target = exact.evalf(DIGITS)
    fa = _value(f, x, a)
    for h in steps:
        try:
            right, left = _value(f, x, a + h), _value(f, x, a - h)
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
) -> Slope:
    """The forward difference (f(a + h) − f(a))/h at ``at`` (``central``: (f(a + h) − f(a − h))/2h),
    worked exactly, beside f'(a) from the step engine and a table for shrinking h."""
    f = parse(expr, syntax)
    free = sorted((s for s in f.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
    if wrt is None and len(free) > 1:
        raise ParseError(f"f has the variables {', '.join(s.name for s in free)}: say which one with wrt")
    name = wrt or (free[0].name if free else "x")
    x = next((s for s in free if s.name == name), sp.Symbol(name, real=True))
    a = read_number(at, "the point", syntax)
    step = read_number(h, "h", syntax)
    if step == 0 or not step.is_real:
        raise ParseError("h must be a non-zero real number")
    h_symbol = sp.Symbol("h" if "h" not in {s.name for s in free} else r"\Delta x", real=True)
    for point in (a, a + step, a - step) if central else (a, a + step):
        _value(f, x, point)
    quotient = _quotient(f, x, h_symbol, central)
    values = {x: a, h_symbol: step}
    plugged = substitute_held(quotient, values)
    bindings = {x.name: a, h_symbol.name: step}
    cited = rule("central_difference" if central else "difference_quotient")
    steps = [Step(cited, quotient, plugged, bindings, substitution=values)]
    worked = plugged.doit()
    if worked != plugged:
        steps.append(Step(rule("arithmetic"), plugged, worked, typed_order=False))
    text_input = expr if isinstance(expr, str) else sp.latex(expr)
    derivation = Derivation("slope", text_input, quotient, steps, {"wrt": x, "h": step, "central": central})
    report = derivation.verify()
    if not report.ok:
        raise VerificationError(f"refusing to show an unverified slope: {report.summary()}")
    derivative = differentiate(f, wrt=x, at={x.name: a})
    table_steps = sorted({*TABLE_STEPS, abs(step)}, reverse=True)
    table = difference_table(f, x, a, derivative.result, table_steps)
    return Slope(f, x, a, step, derivation, derivative, table)
