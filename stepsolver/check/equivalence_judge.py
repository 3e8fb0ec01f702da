"""The two sides of an equivalence check at one point: their values, and whether they agree.

Values at a point: exact fractions as far as they go, else decimals at a precision chosen from
the sizes of the numbers written (30 digits plus twice the widest exponent, up to 1,000; a
numeric "equal" that would need more is "undecided"). A difference is judged against the sizes
of the two values; one that is not within their rounding is re-evaluated at twice and four
times the precision and is a counterexample only if stable both times and beyond the rounding
of the largest magnitude met while evaluating (inside ln u that magnitude is taken relative to
|u|); one within that rounding is looked at again with enough digits to see past it. Where
the sides agree, the first two points are looked at again at 200 digits (1,000 for two
constants): 1 and tanh 100 differ by 10⁻⁸⁷.

The values shown with a verdict (``show``, ``show_point``) are formatted here too. Kept apart
from where the points come from (``equivalence_points``) and from the verdict over all of them
(``equivalence``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import mpmath
import sympy as sp

from ..core import reals
from ..core.real_arithmetic import TooLarge, Undefined, Value, to_mpf
from ..core.reals import Compiled, Unsupported
from .equivalence_precision import MAX_DIGITS

Outcome = Literal["agree", "differ", "answer_undefined", "expected_undefined", "skip", "unreliable"]


@dataclass
class Judged:
    outcome: Outcome
    answer: Value | str | None = None
    expected: Value | str | None = None
    pole: bool = False  # the undefined side divides by zero there (a gap, not a domain)


def evaluate_side(compiled: Compiled, point: dict[sp.Symbol, Value], digits: int) -> tuple[Value, mpmath.mpf] | str:
    try:
        return reals.evaluate(compiled, point, digits)
    except Undefined as why:
        return "undefined (division by zero)" if why.pole else "undefined"
    except TooLarge:
        return "too large to evaluate"


def _tolerance(digits: int, size: mpmath.mpf) -> mpmath.mpf:
    return mpmath.mpf(10) ** (10 - digits) * size


def closeness(a: tuple[Value, mpmath.mpf], e: tuple[Value, mpmath.mpf], digits: int) -> tuple[bool, mpmath.mpf]:
    """(within rounding of each other, |a − e|) at ``digits`` digits, judged against the sizes of
    the two values themselves (never against a term inside a logarithm or a root)."""
    (va, _), (ve, _) = a, e
    if isinstance(va, Fraction) and isinstance(ve, Fraction):
        return va == ve, to_mpf(abs(va - ve))
    with mpmath.workdps(digits):
        difference = abs(to_mpf(va) - to_mpf(ve))
        size = max(abs(to_mpf(va)), abs(to_mpf(ve)))
        return difference <= _tolerance(digits, size), difference


def _rounding(a: tuple[Value, mpmath.mpf], e: tuple[Value, mpmath.mpf], digits: int) -> bool:
    """|a − e| within rounding of the largest magnitude met while evaluating (a cancellation
    such as cosh² x − sinh² x at x = 10⁶): only ever used once the difference is known to be
    unstable as the precision grows."""
    with mpmath.workdps(digits):
        difference = abs(to_mpf(a[0]) - to_mpf(e[0]))
        return difference <= _tolerance(digits, max(a[1], e[1]))


def _difference_differs(difference: Compiled | None, point: dict[sp.Symbol, Value], digits: int) -> Value | None:
    """a − r as SymPy combines it (e^{e^{10}} − (e^{e^{10}} + 1) is −1): a difference that the
    sides' own magnitudes would hide. Its value where it is clearly and stably nonzero, else None."""
    if difference is None:
        return None
    first = evaluate_side(difference, point, digits)
    if isinstance(first, str):
        return None
    if isinstance(first[0], Fraction):
        return first[0] if first[0] != 0 else None
    with mpmath.workdps(digits):
        if abs(first[0]) <= mpmath.mpf(10) ** (10 - digits) * first[1]:
            return None
    second = evaluate_side(difference, point, 2 * digits)
    if isinstance(second, str):
        return None
    with mpmath.workdps(2 * digits):
        stable = abs(to_mpf(first[0]) - to_mpf(second[0])) <= mpmath.mpf("1e-3") * abs(to_mpf(second[0]))
    return second[0] if stable else None


def judge(
    answer: Compiled, expected: Compiled, point: dict[sp.Symbol, Value], digits: int,
    difference: Compiled | None = None, deep: int = 0,
) -> Judged:  # fmt: skip
    """How the two sides compare at one point. ``difference``, when given, is a − r as one
    expression, consulted where the sides agree only up to their own (large) magnitudes;
    ``deep``, when more than ``digits``, the precision of a second look where they agree."""
    a, e = evaluate_side(answer, point, digits), evaluate_side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        if isinstance(a, str) and isinstance(e, str) and a.startswith("undefined") and e.startswith("undefined"):
            return Judged("skip")
        if a == e:
            gap = _difference_differs(difference, point, digits)
            return Judged("unreliable") if gap is None else Judged("differ", a, f"{a} (they differ by {show(gap)})")
        # confirm at twice the precision: an edge of a domain may be a matter of rounding
        a, e = evaluate_side(answer, point, 2 * digits), evaluate_side(expected, point, 2 * digits)
        if isinstance(a, str) and a.startswith("undefined") and not isinstance(e, str):
            return Judged("answer_undefined", a, e[0], pole=a != "undefined")
        if isinstance(e, str) and e.startswith("undefined") and not isinstance(a, str):
            return Judged("expected_undefined", a[0], e, pole=e != "undefined")
        if isinstance(a, str) and isinstance(e, str):
            return Judged("unreliable")
        # one side could not be evaluated (beyond e^{10^7} somewhere inside): that proves nothing
        return Judged("unreliable")
    close, gap = closeness(a, e, digits)
    if close:
        exact = isinstance(a[0], Fraction) and isinstance(e[0], Fraction)
        if not exact and _difference_differs(difference, point, digits) is not None:
            return Judged("differ", a[0], e[0])
        if not exact and deep > digits:
            return _deep(answer, expected, point, deep)
        return Judged("agree")
    if isinstance(a[0], Fraction) and isinstance(e[0], Fraction):
        return Judged("differ", a[0], e[0])
    # a real difference is stable as the precision grows (twice over, beyond the rounding of the
    # largest magnitude met); a rounding artefact shrinks or jumps
    steady, last = 0, (a, e, digits)
    for more in (2 * digits, 4 * digits):
        looked = _closer_look(answer, expected, point, more)
        if isinstance(looked, Judged):
            return looked
        a2, e2, gap2 = looked
        with mpmath.workdps(more):
            steady = steady + 1 if abs(gap - gap2) <= mpmath.mpf("1e-3") * gap2 else 0
        gap, last = gap2, (a2, e2, more)
    if steady == 2 and not _rounding(*last):
        return Judged("differ", last[0][0], last[1][0])
    if not _rounding(*last):
        return Judged("unreliable")
    # within the rounding of a cancellation (√(e^{4000} + 1) − e^{2000}): enough digits to see past it
    (final_a, scale_a), (final_e, scale_e), more = last
    with mpmath.workdps(more):
        size = max(abs(to_mpf(final_a)), abs(to_mpf(final_e)), gap, mpmath.mpf(10) ** (-more))
        ratio = max(scale_a, scale_e) / size
    enough = more + int(mpmath.log10(ratio)) + 20 if ratio > 1 else more
    if more < enough <= MAX_DIGITS:
        looked = _closer_look(answer, expected, point, enough)
        if isinstance(looked, Judged):
            return looked
        a3, e3, gap3 = looked
        with mpmath.workdps(enough):
            if not _rounding(a3, e3, enough) and abs(gap - gap3) <= mpmath.mpf("1e-3") * gap3:
                return Judged("differ", a3[0], e3[0])
    return Judged("agree")


def _closer_look(
    answer: Compiled, expected: Compiled, point: dict[sp.Symbol, Value], digits: int
) -> Judged | tuple[tuple[Value, mpmath.mpf], tuple[Value, mpmath.mpf], mpmath.mpf]:
    """Both sides again at ``digits``: "unreliable" or "agree" as a verdict, else the values and their gap."""
    a, e = evaluate_side(answer, point, digits), evaluate_side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        return Judged("unreliable")
    close, gap = closeness(a, e, digits)
    return Judged("agree") if close else (a, e, gap)


def _deep(answer: Compiled, expected: Compiled, point: dict[sp.Symbol, Value], digits: int) -> Judged:
    """A second look, at many more digits, where the sides agreed: 1 and tanh 100 differ by 10⁻⁸⁷."""
    a, e = evaluate_side(answer, point, digits), evaluate_side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        return Judged("agree")  # seen defined at the working precision; nothing more to learn
    close, gap = closeness(a, e, digits)
    if close:
        return Judged("agree")
    more = digits + digits // 2
    a2, e2 = evaluate_side(answer, point, more), evaluate_side(expected, point, more)
    if isinstance(a2, str) or isinstance(e2, str):
        return Judged("unreliable")
    close, gap2 = closeness(a2, e2, more)
    if close or _rounding(a2, e2, more):
        return Judged("agree")
    with mpmath.workdps(more):
        stable = abs(gap - gap2) <= mpmath.mpf("1e-3") * gap2
    return Judged("differ", a2[0], e2[0]) if stable else Judged("unreliable")


def show(value: Value | str | None) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, str):
        return value
    if isinstance(value, Fraction) and len(str(value)) <= 12:
        return str(value)
    return mpmath.nstr(to_mpf(value), 10)


def show_point(point: dict[sp.Symbol, Value]) -> dict[str, str]:
    return {s.name: show(v) if isinstance(v, Fraction) and len(str(v)) <= 12 else mpmath.nstr(to_mpf(v), 8)
            for s, v in point.items()}  # fmt: skip


def compile_or_none(expr: sp.Expr) -> Compiled | None:
    try:
        return reals.compile_real(expr)
    except (Unsupported, TypeError, AttributeError):
        return None
