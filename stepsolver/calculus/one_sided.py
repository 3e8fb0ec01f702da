"""One-sided slopes where the derivative's formula has no value (|x| at 0, ReLU at 0, √x at 0):
the difference quotient from the left and from the right, each simplified for the sign of h and
taken to the limit, a table of both for shrinking h, and what they decide — a kink, a vertical
tangent, the edge of the domain, or a derivative after all (both sides agree)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from ..core.contexts import Context
from ..core.derivation import Derivation, SlopeContext, Step, VerificationReport
from ..core.display import Displayable
from ..core.notation import text
from ..core.terms import substitute_held
from ..core.timeout import time_limit
from ..core.values import exact_or_decimal
from ..core.verify import real_value
from ..errors import DomainError
from ..functions import to_elementary
from .rules import SIMPLIFY_NEGATIVE_H, SIMPLIFY_POSITIVE_H, SLOPE_FROM_THE_LEFT, SLOPE_FROM_THE_RIGHT

Side = Literal["left", "right"]
LIMIT_SECONDS = 5.0
DIGITS = 30


@dataclass(frozen=True)
class OneSidedContext(Context):
    """lim (f(a + h) − f(a))/h as h → 0 from one side."""

    wrt: sp.Symbol
    at: sp.Expr
    side: Side
    conclusion: str = ""

    @property
    def kind(self) -> str:
        return "one_sided_slope"

    def concludes(self) -> str:
        return self.conclusion

    def variables(self) -> dict[str, object]:
        return {"wrt": self.wrt, "at": self.at, "side": self.side}


@dataclass
class OneSidedRow:
    h: sp.Expr
    left: sp.Expr | None  # (f(a) − f(a − h))/h, None where f(a − h) is not defined
    right: sp.Expr | None  # (f(a + h) − f(a))/h


@dataclass
class OneSidedSlopes(Displayable):
    """The slope at a point where f' has no value: the secant asked for, both one-sided slopes
    (None for a side outside f's domain), a table of both, and the conclusion in words."""

    function: sp.Expr
    variable: sp.Symbol
    a: sp.Expr
    h: sp.Expr
    secant: Derivation[SlopeContext]  # the difference quotient with the h asked for, worked exactly
    left: Derivation[OneSidedContext] | None
    right: Derivation[OneSidedContext] | None
    table: list[OneSidedRow] = field(default_factory=list)
    conclusion: str = ""
    derivative: sp.Expr | None = None  # f'(a) when both sides agree and are finite

    @property
    def differentiable(self) -> bool:
        return self.derivative is not None

    @property
    def left_slope(self) -> sp.Expr | None:
        return None if self.left is None else self.left.result

    @property
    def right_slope(self) -> sp.Expr | None:
        return None if self.right is None else self.right.result

    @property
    def slope(self) -> sp.Expr:
        return self.secant.result

    @property
    def sides(self) -> list[tuple[Side, Derivation[OneSidedContext] | None]]:
        return [("left", self.left), ("right", self.right)]

    def verify(self) -> VerificationReport:
        sides = [(f"slope from the {side}", d) for side, d in self.sides if d is not None]
        return VerificationReport.of([("slope", self.secant), *sides])


def real_at(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> sp.Expr:
    """f(at), a real number, or DomainError. Held, then exact only while printable: x^x^x^x at 2
    would be a number of millions of digits."""
    value = exact_or_decimal(substitute_held(f, {x: at}))
    if real_value(value, [], {}) is None:
        raise DomainError(f"f is not defined (as a real number) at {x} = {text(at)}")
    return value


def _defined(f: sp.Expr, x: sp.Symbol, at: sp.Expr) -> sp.Expr | None:
    """f(at) as an exact real number, or None where f has no real value."""
    try:
        return real_at(f, x, at)
    except DomainError:
        return None


def _side(f: sp.Expr, x: sp.Symbol, a: sp.Expr, side: Side) -> Derivation[OneSidedContext] | None:
    """lim_{h→0±} (f(a + h) − f(a))/h worked: simplified for the sign of h, then the limit."""
    sign = 1 if side == "right" else -1
    if any(_defined(f, x, a + sign * sp.Rational(1, 10**k)) is None for k in (3, 6, 9)):
        return None  # f is not defined on that side of a
    # h keeps its sign while it shrinks: |h| is h from the right and −h from the left
    h = sp.Symbol("h", positive=True) if side == "right" else sp.Symbol("h", negative=True)
    with sp.evaluate(False):  # written as a teacher plugs in: (|0 + h| − |0|)/h
        moved, fixed = f.xreplace({x: sp.Add(a, h)}), f.xreplace({x: a})
        quotient = (moved - fixed) / h
    direction = "+" if side == "right" else "-"
    start = sp.Limit(quotient, h, 0, direction)
    steps = []
    try:
        with time_limit(LIMIT_SECONDS) as limit:
            simpler = sp.simplify(_limit_ready(quotient))
            value = sp.limit(simpler, h, 0, direction)
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError):
        raise DomainError(f"SymPy could not take the slope from the {side} at {x} = {text(a)}") from None
    if limit.expired:
        raise DomainError(f"the slope from the {side} at {x} = {text(a)} could not be found in time")
    if simpler != quotient:
        simplify = SIMPLIFY_POSITIVE_H if side == "right" else SIMPLIFY_NEGATIVE_H
        # checked where it is claimed: the two quotients agree for every h of that sign
        after = sp.Limit(simpler, h, 0, direction)
        steps.append(Step(simplify, start, after, redex=(quotient, simpler), typed_order=False))
    rule = SLOPE_FROM_THE_RIGHT if side == "right" else SLOPE_FROM_THE_LEFT
    before = steps[-1].after if steps else start
    steps.append(Step(rule, before, value, {x.name: a}, typed_order=False))
    said = "does not exist" if _undetermined(value) else f"is {text(value)}"
    context = OneSidedContext(x, a, side, f"the slope from the {side} {said}")
    return Derivation("", start, steps, context)


def _undetermined(value: sp.Expr) -> bool:
    return not (value.is_extended_real and (value.is_finite or value in (sp.oo, -sp.oo)))


def _table(f: sp.Expr, x: sp.Symbol, a: sp.Expr, steps: list[sp.Expr]) -> list[OneSidedRow]:
    fa = _defined(f, x, a)
    rows = []
    for h in steps:
        right, left = _defined(f, x, a + h), _defined(f, x, a - h)
        rows.append(OneSidedRow(
            h,
            None if left is None or fa is None else sp.N((fa - left) / h, DIGITS),
            None if right is None or fa is None else sp.N((right - fa) / h, DIGITS),
        ))  # fmt: skip
    return rows


def _limit_ready(expr: sp.Expr) -> sp.Expr:
    """In elementary functions, max and min as pieces: SymPy's limit takes no max (it gives up
    on max(1 + h, (1 + h)²)) but does take a piecewise."""
    elementary = to_elementary(expr).doit()
    return elementary.rewrite(sp.Piecewise) if elementary.has(sp.Max, sp.Min) else elementary


def _jump(f: sp.Expr, x: sp.Symbol, a: sp.Expr) -> str:
    """How f fails to be continuous at a (a jump, a hole), or nothing: limits from each side."""
    fa = _defined(f, x, a)
    elementary = _limit_ready(f)
    try:
        with time_limit(LIMIT_SECONDS) as limit:
            sides = {
                side: sp.limit(elementary, x, a, direction) if _defined(f, x, a + step) is not None else None
                for side, direction, step in (
                    ("left", "-", -sp.Rational(1, 10**6)),
                    ("right", "+", sp.Rational(1, 10**6)),
                )
            }
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, RecursionError):
        return ""
    if limit.expired or fa is None:
        return ""
    broken = [(side, value) for side, value in sides.items() if value is not None and sp.simplify(value - fa) != 0]
    if not broken:
        return ""
    said = " and ".join(f"from the {side} f tends to {text(value)}" for side, value in broken)
    return f"f is not continuous there: f({text(a)}) = {text(fa)}, but {said}"


def _conclusion(f: sp.Expr, x: sp.Symbol, a: sp.Expr, left: sp.Expr | None,
                right: sp.Expr | None) -> tuple[str, sp.Expr | None]:  # fmt: skip
    where = f"{x} = {text(a)}"
    jump = _jump(f, x, a)
    if jump:
        return f"not differentiable at {where}: {jump}", None
    if left is None and right is None:
        return f"f is defined on neither side of {where}: it has no derivative there", None
    if left is None or right is None:
        side, value = ("right", right) if left is None else ("left", left)
        other = "left" if side == "right" else "right"
        said = "does not exist" if _undetermined(value) else f"is {text(value)}"  # type: ignore[arg-type]
        return (f"f is not defined to the {other} of {where}; the slope from the {side} {said}, but no "
                f"two-sided derivative exists there: not differentiable at {where}"), None  # fmt: skip
    if _undetermined(left) or _undetermined(right):
        which = "left" if _undetermined(left) else "right"
        return f"not differentiable at {where}: the slope from the {which} does not exist", None
    if left.is_infinite or right.is_infinite:
        return (f"not differentiable at {where}: the slope from the left is {text(left)} and from the right "
                f"{text(right)} (the secants turn vertical)"), None  # fmt: skip
    if sp.simplify(left - right) != 0:
        return (f"not differentiable at {where}: the slope from the left is {text(left)} and from the right "
                f"{text(right)}, and they differ (a corner)"), None  # fmt: skip
    return (f"differentiable at {where}: both one-sided slopes are {text(left)}, so f'({text(a)}) = {text(left)}, "
            f"though the derivative's formula has no value there"), left  # fmt: skip


def one_sided_slopes(
    f: sp.Expr, x: sp.Symbol, a: sp.Expr, h: sp.Expr, secant: Derivation[SlopeContext], steps: list[sp.Expr]
) -> OneSidedSlopes:
    left, right, conclusion, derivative = _decided(f, x, a)
    return OneSidedSlopes(f, x, a, h, secant, left, right, _table(f, x, a, steps), conclusion, derivative)


def _decided(
    f: sp.Expr, x: sp.Symbol, a: sp.Expr
) -> tuple[Derivation[OneSidedContext] | None, Derivation[OneSidedContext] | None, str, sp.Expr | None]:
    """Both sides worked, and what they decide (the conclusion, and f'(a) if it exists)."""
    left, right = _side(f, x, a, "left"), _side(f, x, a, "right")
    conclusion, derivative = _conclusion(f, x, a, None if left is None else left.result,
                                         None if right is None else right.result)  # fmt: skip
    return left, right, conclusion, derivative


def one_sided_conclusion(f: sp.Expr, x: sp.Symbol, a: sp.Expr) -> str:
    """What the slopes from each side decide at a, in words, or nothing if they cannot be taken."""
    try:
        left, right, conclusion, _ = _decided(f, x, a)
    except DomainError:
        return ""
    return "" if any(d is not None and not d.verify().ok for d in (left, right)) else conclusion
