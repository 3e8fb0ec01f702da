"""``differentiate``: the public entry point for scalar derivatives."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeAlias

import sympy as sp

from ..core.derivation import Derivation, Step
from ..core.rules import rule
from ..core.terms import pending, size, substitute_held
from ..core.timeout import time_limit
from ..core.values import exact_or_decimal, undefined_at
from ..errors import DomainError, ParseError, RuleError, VerificationError
from ..parse import Syntax, parse
from .derivative import derivation_of, derive_chain, differentiate_expr
from .simplify import best_form

MAX_ORDER = 10
MAX_NODES = 600  # sub-terms of the input: each becomes at least one step on the board
MAX_SECONDS = 20.0  # for the whole derivation, checks included
_INDEXED = re.compile(r"^([A-Za-z]+?)([0-9]+)$")
_NAME = re.compile(r"^\\?[A-Za-z][A-Za-z0-9]*(_\{?[A-Za-z0-9]+\}?)?$")

Point: TypeAlias = Mapping[str, object] | str | int | float | sp.Expr | None


def variable_of(expr: sp.Expr, name: str | sp.Symbol) -> sp.Symbol:
    """The variable of ``expr`` that ``name`` names (x1 names x₁, as the reader reads it)."""
    if isinstance(name, sp.Symbol):
        return name
    if not isinstance(name, str) or not _NAME.match(name.strip()):
        raise ParseError(f"not a variable name: {name!r}")
    clean = name.strip().lstrip("\\").replace("{", "").replace("}", "")
    indexed = _INDEXED.sub(r"\1_\2", clean)  # x1 names the variable the reader reads x1 as: x₁
    for spelling in (clean, indexed):
        for symbol in expr.free_symbols:
            if isinstance(symbol, sp.Symbol) and symbol.name == spelling:
                return symbol
    return sp.Symbol(clean, real=True)


def parse_point(expr: sp.Expr, wrt: sp.Symbol, at: Point, syntax: Syntax) -> dict[sp.Symbol, sp.Expr]:
    """``at`` as {symbol: exact value}: a number for the variable, "x=2, y=3", or a mapping."""
    if at is None:
        return {}
    if isinstance(at, str) and "=" not in at:
        at = {wrt.name: at}
    elif isinstance(at, str):
        pairs = {}
        for part in at.split(","):
            name, sep, text = part.partition("=")
            if not sep or not name.strip() or not text.strip():
                raise ParseError(f"expected name=value in --at, got {part.strip()!r}")
            if name.strip() in pairs:
                raise ParseError(f"{name.strip()} is given twice in --at")
            pairs[name.strip()] = text.strip()
        at = pairs
    elif not isinstance(at, Mapping):
        at = {wrt.name: at}
    point: dict[sp.Symbol, sp.Expr] = {}
    for name, raw in at.items():
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str, sp.Expr)):
            raise ParseError(f"the value of {name} must be a number, got {raw!r}")
        if isinstance(raw, float):
            value: sp.Expr = sp.Rational(repr(raw))
        elif isinstance(raw, str):
            value = parse(raw, "auto" if syntax == "latex2sympy2" else syntax)
        else:
            value = sp.sympify(raw) if isinstance(raw, int) else raw  # ints and SymPy values only
        if value.free_symbols:
            raise ParseError(f"the value of {name} must be a number, got {value}")
        variable = variable_of(expr, name)
        if variable not in expr.free_symbols and variable != wrt:
            names = ", ".join(sorted(s.name for s in expr.free_symbols)) or "none"
            raise ParseError(f"there is no variable {name} in the function (its variables: {names})")
        point[variable] = value
    return point


def differentiate(
    expr: str | sp.Expr,
    wrt: str | sp.Symbol = "x",
    order: int = 1,
    at: Point = None,
    syntax: Syntax = "auto",
) -> Derivation:
    """Differentiate ``expr`` step by step; every step is machine-checked before it is returned.

    ``expr`` is LaTeX, plain text or a SymPy expression. ``at`` gives the point at which to
    evaluate the derivative (``2``, ``"x=2"`` or ``{"x": 2}``). Raises ``ParseError`` (a
    ``ValueError``) for input it cannot read.
    """
    f = parse(expr, syntax)
    if f.has(sp.Derivative):
        raise ParseError("the input already contains a derivative operator (d/dx): give the function itself")
    if f.has(sp.Integral, sp.Limit, sp.Sum, sp.Product):
        raise ParseError("integrals, limits, sums and products are not supported in a derivative input")
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise ParseError(f"the order must be a whole number from 1 to {MAX_ORDER}, got {order!r}")
    nodes = size(f)
    if nodes > MAX_NODES:
        raise RuleError(f"the expression has {nodes} parts; the limit for a worked solution is {MAX_NODES}")
    x = variable_of(f, wrt)
    point = parse_point(f, x, at, syntax)
    text = expr if isinstance(expr, str) else sp.latex(expr)
    try:
        with time_limit(MAX_SECONDS) as limit:
            derivation = _nth_derivative(f, x, order, text)
            if point:
                _require_defined(f, point)
                derivation.steps.append(_substitute(derivation.result, point))
                derivation.variables["at"] = point
            report = derivation.verify()
    except RecursionError:
        raise RuleError("the expression is nested too deeply to work step by step") from None
    if limit.expired:
        raise RuleError(f"the derivation took longer than {MAX_SECONDS:.0f} s; try a smaller expression")
    if not report.ok:
        raise VerificationError(f"refusing to show an unverified derivation: {report.summary()}")
    return derivation


def _nth_derivative(f: sp.Expr, x: sp.Symbol, order: int, text: str) -> Derivation:
    if order == 1:
        return differentiate_expr(f, x, text)
    lower = _nth_derivative(f, x, order - 1, text)
    start = sp.Derivative(f, (x, order), evaluate=False)
    first = Step(rule("higher_order"), start, pending(lower.result, x), {"n": sp.Integer(order)}, [lower])
    return derivation_of(text, start, [first, *derive_chain(lower.result, x)], f, x, order=order)


def _require_defined(f: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> None:
    """A derivative at a point outside f's real domain is no derivative (ln x at x = -1)."""
    reason = undefined_at(f, exact_or_decimal(substitute_held(f, point)), dict(point))
    if reason:
        where = ", ".join(f"{s} = {v}" for s, v in point.items())
        raise DomainError(f"f is not defined at {where}: {reason}")


def _substitute(result: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> Step:
    value = exact_or_decimal(substitute_held(result, point)) if not result.has(sp.Derivative) else result.subs(point)
    reason = undefined_at(result, value, dict(point))
    if reason:
        where = ", ".join(f"{s} = {v}" for s, v in point.items())
        raise DomainError(f"the derivative is undefined at {where}: {reason}")
    value = best_form(value.doit(), thorough=True)
    bindings = {s.name: v for s, v in point.items()}
    return Step(rule("substitute"), result, value, bindings, substitution=dict(point), typed_order=False)
