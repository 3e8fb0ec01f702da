"""``differentiate``: the public entry point for scalar derivatives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sympy as sp

from ..core.derivation import Derivation, DerivativeContext, Step
from ..core.envelope import require_size, worked
from ..core.rules import SUBSTITUTE
from ..core.terms import pending, substitute_held
from ..core.values import exact_or_decimal, undefined_at
from ..errors import DomainError, ParseError, RuleError
from ..parse import Syntax, parse
from ..parse.inputs import Point, read_point, variable_of
from .derivative import derivation_of, derive_chain, differentiate_expr
from .rules import HIGHER_ORDER, MIXED_PARTIAL, SCHWARZ
from .simplify import best_form

MAX_ORDER = 10


def differentiate(
    expr: str | sp.Expr,
    wrt: str | sp.Symbol | Sequence[str | sp.Symbol] = "x",
    order: int = 1,
    at: Point = None,
    syntax: Syntax = "auto",
) -> Derivation[DerivativeContext]:
    """Differentiate ``expr`` step by step; every step is machine-checked before it is returned.

    ``expr`` is LaTeX, plain text or a SymPy expression. ``wrt`` is one variable or a sequence of
    partials in the order they are taken (``"x,y,x"`` or ``["x", "y", "x"]``: first by x, then by
    y, then by x). ``at`` gives the point at which to evaluate the derivative (``2``, ``"x=2"`` or
    ``{"x": 2}``). Raises ``ParseError`` (a ``ValueError``) for input it cannot read.
    """
    f = parse(expr, syntax)
    if f.has(sp.Derivative):
        raise ParseError("the input already contains a derivative operator (d/dx): give the function itself")
    if f.has(sp.Integral, sp.Limit, sp.Sum, sp.Product):
        raise ParseError("integrals, limits, sums and products are not supported in a derivative input")
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise ParseError(f"the order must be a whole number from 1 to {MAX_ORDER}, got {order!r}")
    require_size(f)
    sequence = _sequence(f, wrt)
    if len(sequence) > 1 and order != 1:
        raise ParseError("give either an order or a sequence of variables (--wrt x,y), not both")
    if len(sequence) > MAX_ORDER:
        raise ParseError(f"at most {MAX_ORDER} partials in a sequence, got {len(sequence)}")
    x = sequence[-1]
    point = read_point(f, x, at, syntax)
    text = expr if isinstance(expr, str) else sp.latex(expr)

    def build() -> Derivation[DerivativeContext]:
        if len(set(sequence)) > 1:
            derivation = _mixed(f, sequence, text)
        else:
            derivation = _partials(f, (x,) * max(order, len(sequence)), text, mixed=False)
        _require_a_value_where_f_has_one(f, derivation.result)
        if point:
            _require_defined(f, point)
            try:
                derivation.steps.append(_substitute(derivation.result, point))
            except DomainError as error:
                raise DomainError(f"{error}{_from_each_side(f, x, point)}") from None
            derivation.context = replace(derivation.context, at=point)
        return derivation

    return worked(build, "derivation")


def _sequence(f: sp.Expr, wrt: str | sp.Symbol | Sequence[str | sp.Symbol]) -> tuple[sp.Symbol, ...]:
    names = wrt.split(",") if isinstance(wrt, str) else [wrt] if isinstance(wrt, sp.Symbol) else list(wrt)
    if not names or any(isinstance(name, str) and not name.strip() for name in names):
        raise ParseError(f"expected variables separated by commas, got {wrt!r}")
    return tuple(variable_of(f, name) for name in names)


def _partials(f: sp.Expr, sequence: tuple[sp.Symbol, ...], text: str, mixed: bool) -> Derivation[DerivativeContext]:
    """∂/∂v_k ⋯ ∂/∂v_1 f: the derivative of the previous one, one variable at a time; ``mixed``: a
    sequence of partials (each a partial of a partial), else d^n/dx^n (each a higher order)."""
    x = sequence[-1]
    if len(sequence) == 1:
        return differentiate_expr(f, x, text)
    lower = _partials(f, sequence[:-1], text, mixed)
    start = sp.Derivative(f, *sequence, evaluate=False)
    rule, bindings = (MIXED_PARTIAL, {}) if mixed else (HIGHER_ORDER, {"n": sp.Integer(len(sequence))})
    first = Step(rule, start, pending(lower.result, x), bindings, [lower])
    derivation = derivation_of(text, start, [first, *derive_chain(lower.result, x)], f, x, order=len(sequence))
    if mixed:
        derivation.context = replace(derivation.context, sequence=sequence)
    if len(set(sequence)) > 1:  # ∂²f/∂y∂x even when f happens to hold only x
        derivation.partial = lower.partial = True
    return derivation


def _mixed(f: sp.Expr, sequence: tuple[sp.Symbol, ...], text: str) -> Derivation[DerivativeContext]:
    """The partials in the order asked, then the same partials in the other order as a check that
    they agree (Schwarz), worked as its own side derivation."""
    derivation = _partials(f, sequence, text, mixed=True)
    other = tuple(reversed(sequence))
    if other == sequence:
        other = tuple(sorted(sequence, key=lambda s: s.name))
    if other != sequence:
        check = _partials(f, other, text, mixed=True)
        derivation.steps.append(Step(SCHWARZ, derivation.result, check.result, {}, [check], typed_order=False))
    return derivation


def _require_a_value_where_f_has_one(f: sp.Expr, result: sp.Expr) -> None:
    """A piecewise-smooth f has a derivative almost everywhere it is defined; a formula with no
    value at a random point where f has one has lost a piece (max(x, |x|) where x = |x|, or
    ReLU(ReLU(x)) where the inner one is 0). Such a result is refused, never shown: each of its
    steps holds where it has a value, but it is not f'."""
    if not result.has(sp.Piecewise, sp.Max, sp.Min, sp.sign, sp.floor, sp.ceiling):
        return
    from ..core.verify import domain_conditions, random_points, real_value
    from ..functions import to_elementary

    symbols = sorted(f.free_symbols | result.free_symbols, key=lambda s: s.name)
    function, derivative = to_elementary(f), to_elementary(result.doit())
    conditions = domain_conditions(function)
    for point in random_points(symbols, seed=1, wanted=12):
        if real_value(function, conditions, point) is not None and real_value(derivative, [], point) is None:
            where = ", ".join(f"{s} = {sp.Float(v, 6)}" for s, v in point.items())
            raise RuleError(f"the rules give a derivative with no value at {where}, where f has one (pieces "
                            "that tie on an interval?): not shown, since it would not be f'")  # fmt: skip


def _from_each_side(f: sp.Expr, x: sp.Symbol, point: dict[sp.Symbol, sp.Expr]) -> str:
    """Where f' has no value by its formula, what the slopes from each side say (|x| at 0: a
    corner; x|x| at 0: f'(0) = 0 after all), for a function of x alone."""
    if set(point) != {x} or f.free_symbols - {x}:
        return ""
    from .one_sided import one_sided_conclusion

    said = one_sided_conclusion(f, x, point[x])
    return f"; from each side: {said} (`stepsolver slope` works it)" if said else ""


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
        raise DomainError(f"the formula for the derivative is undefined at {where}: {reason}")
    value = best_form(value.doit(), thorough=True)
    bindings = {s.name: v for s, v in point.items()}
    return Step(SUBSTITUTE, result, value, bindings, substitution=dict(point), typed_order=False)
