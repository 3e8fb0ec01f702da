"""Is a student's answer equal to the reference, as real functions? Numeric disproof first, at
points covering the whole domain; then a bounded symbolic proof.

Domain policy (also in the README): variables are real, and each expression keeps the domain of
its written form (e^{ln x} is defined for x > 0 only). A point where one side is defined and
real and the other is not is a domain mismatch, reported with the point: the answer is wrong
there. Real odd roots of negative numbers are real (∛(−8) = −2). Points are drawn in general
position: a single point where a formula has a removable gap or a kink (x/|x| and sgn x at 0)
is not a mismatch.

Points: for each variable, values at every scale |x| = 10⁻³ … 10⁶ of both signs (inside a stated
interval: distances 10⁻³ … 10⁶ from its ends), simple values (±1, ±1/2, ±2/3, …) where
integer and fractional powers of negative numbers meet, and values just either side of each
breakpoint (a zero of the argument of |·|, sgn, max, min, H, ReLU or a piecewise condition, or
of ln, an even root, arcsin ∓ 1), drawn from a seed derived from both expressions, so a verdict
is reproducible. Then, from a stream of their own (the points above stay what they were):
far values (10⁹, 10¹², and past the widest constant written, whose decade also extends the
breakpoint search and brings breakpoint neighbours as close as 10^{−(that decade + 1)}),
values off the decimal lattice (p/q with q a random prime), and, only once nothing else has
told the sides apart, the turning points of the arguments of ln and even roots where those
come close to 0 (√((x − 7)² − 10⁻³⁰) has a gap of width 2·10⁻¹⁵ at 7 that no sampling finds).

Values at a point: exact fractions as far as they go, else decimals at a precision chosen from
the sizes of the numbers written (30 digits plus twice the widest exponent, up to 1,000; a
numeric "equal" that would need more is "undecided"). A difference is judged against the sizes
of the two values; one that is not within their rounding is re-evaluated at twice and four
times the precision and is a counterexample only if stable both times and beyond the rounding
of the largest magnitude met while evaluating (inside ln u that magnitude is taken relative to
|u|); one within that rounding is looked at again with enough digits to see past it. Where
the sides agree, the first two points are looked at again at 200 digits (1,000 for two
constants): 1 and tanh 100 differ by 10⁻⁸⁷.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import mpmath
import sympy as sp

from ..core import reals
from ..core.reals import Compiled, TooLarge, Undefined, Unsupported, Value, to_mpf
from ..core.timeout import time_limit
from ..functions import ReLU, to_elementary
from .domains import REAL, Domain, candidates, read_assumption

Assumption = str  # "positive", "integer", "(0, 1)", "(10, inf)", "> 10", … (see domains.read_assumption)

MIN_AGREEING = 8  # points that must agree, besides every breakpoint, for "equal numerically"
BASE_DIGITS = 30
MAX_DIGITS = 4_000
MAX_WORKING_DIGITS = MAX_DIGITS // 4  # judged again at twice and four times this
DEEP_DIGITS = 200  # a second look at the first points where the sides agree: 1 − tanh(100) is 10⁻⁸⁷
DEEP_CONSTANT_DIGITS = 1_000  # the same for two constants (one point, so it can afford more)
PROBE_DIGITS = 400  # constants written are looked at with these, for how close they come to a short number
MAX_SCALE = 1_000  # the farthest decade looked at
CHEAP_PROOF_SECONDS = 0.5
FULL_PROOF_SECONDS = 1.5
SPECIAL_POINTS = 80  # combinations of simple values, with several variables


@dataclass
class Comparison:
    status: Literal["equal", "different", "undecided"]
    method: str
    counterexample: dict[str, str] = field(default_factory=dict)
    domain_mismatch: bool = False
    note: str = ""  # said to the student with the verdict (which side a domain mismatch is on)


def domains_of(assume: dict[str, Assumption] | None) -> dict[str, Domain]:
    """Each stated assumption read once; a ValueError names the one that cannot be read."""
    return {name: read_assumption(text) for name, text in (assume or {}).items()}


def assumed_symbols(expr: sp.Expr, assume: dict[str, Assumption]) -> dict[sp.Symbol, sp.Symbol]:
    """Symbols carrying what the problem states about them, for the symbolic test."""
    stated = domains_of(assume)
    out = {}
    for symbol in expr.free_symbols:
        if isinstance(symbol, sp.Symbol) and symbol.name in stated:
            out[symbol] = sp.Symbol(symbol.name, real=True, **stated[symbol.name].flags())
    return out


def seed_of(*exprs: sp.Basic) -> int:
    """A seed from the inputs themselves: the same pair always gets the same points."""
    digest = hashlib.sha256("\x00".join(sp.srepr(e) for e in exprs).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _widest(exprs: Iterable[sp.Basic]) -> tuple[float, float]:
    """The widest decade (log10 of the size, either way) of the numbers written, and of those
    and every constant power (e^{30}) together."""
    written = constants = 0.0
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Rational, sp.Float)):
                parts = (node.p, node.q) if isinstance(node, sp.Rational) else (node,)
                for part in parts:
                    magnitude = abs(mpmath.mpf(part)) if isinstance(part, sp.Float) else abs(int(part))
                    if magnitude and magnitude != 1:
                        written = max(written, abs(float(mpmath.log10(mpmath.mpf(magnitude)))))
            elif isinstance(node, (sp.exp, sp.Pow)) and not node.free_symbols:
                try:
                    value = to_mpf(reals.evaluate(reals.compile_real(node), {}, 15)[0])
                except (Undefined, TooLarge, Unsupported, TypeError, AttributeError):
                    continue
                if value:
                    constants = max(constants, abs(float(mpmath.log10(abs(value)))))
    return written, max(written, constants)


def _deep_digits(exprs: Iterable[sp.Basic], digits: int) -> int:
    """Digits for the second look: ``DEEP_DIGITS``, or more where a constant written is within
    far less than the working precision of a short number (tanh 300 is 1 − 10⁻²⁶¹)."""
    deep = DEEP_DIGITS
    probes = [node for expr in exprs for node in sp.preorder_traversal(expr)
              if isinstance(node, (sp.Function, sp.Pow)) and not node.free_symbols]  # fmt: skip
    for node in probes[:8]:
        try:
            value = to_mpf(reals.evaluate(reals.compile_real(node), {}, PROBE_DIGITS)[0])
        except (Undefined, TooLarge, Unsupported, TypeError, AttributeError):
            continue
        if not value:
            continue
        with mpmath.workdps(PROBE_DIGITS):
            short = mpmath.mpf(mpmath.nstr(value, 15))
            offset = abs(value - short) / abs(value)
            if offset and offset < mpmath.mpf(10) ** (10 - digits):
                deep = max(deep, min(int(-mpmath.log10(offset)) + 30, PROBE_DIGITS))
    return deep


def needed_digits(*exprs: sp.Basic) -> int:
    """30 plus twice the widest exponent written: enough that no tolerance can hide a term."""
    return int(BASE_DIGITS + 2 * _widest(exprs)[0])


def working_digits(*exprs: sp.Basic) -> int:
    """The digits values are computed with: ``needed_digits``, up to a cap (beyond it no verdict
    of "equal" is given)."""
    return min(needed_digits(*exprs), MAX_WORKING_DIGITS)


# -- one point ---------------------------------------------------------------------------

Outcome = Literal["agree", "differ", "answer_undefined", "expected_undefined", "skip", "unreliable"]


@dataclass
class Judged:
    outcome: Outcome
    answer: Value | str | None = None
    expected: Value | str | None = None
    pole: bool = False  # the undefined side divides by zero there (a gap, not a domain)


def _side(compiled: Compiled, point: dict[sp.Symbol, Value], digits: int) -> tuple[Value, mpmath.mpf] | str:
    try:
        return reals.evaluate(compiled, point, digits)
    except Undefined as why:
        return "undefined (division by zero)" if why.pole else "undefined"
    except TooLarge:
        return "too large to evaluate"


def _tolerance(digits: int, size: mpmath.mpf) -> mpmath.mpf:
    return mpmath.mpf(10) ** (10 - digits) * size


def _close(a: tuple[Value, mpmath.mpf], e: tuple[Value, mpmath.mpf], digits: int) -> tuple[bool, mpmath.mpf]:
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
    first = _side(difference, point, digits)
    if isinstance(first, str):
        return None
    if isinstance(first[0], Fraction):
        return first[0] if first[0] != 0 else None
    with mpmath.workdps(digits):
        if abs(first[0]) <= mpmath.mpf(10) ** (10 - digits) * first[1]:
            return None
    second = _side(difference, point, 2 * digits)
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
    a, e = _side(answer, point, digits), _side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        if isinstance(a, str) and isinstance(e, str) and a.startswith("undefined") and e.startswith("undefined"):
            return Judged("skip")
        if a == e:
            gap = _difference_differs(difference, point, digits)
            return Judged("unreliable") if gap is None else Judged("differ", a, f"{a} (they differ by {_show(gap)})")
        # confirm at twice the precision: an edge of a domain may be a matter of rounding
        a, e = _side(answer, point, 2 * digits), _side(expected, point, 2 * digits)
        if isinstance(a, str) and a.startswith("undefined") and not isinstance(e, str):
            return Judged("answer_undefined", a, e[0], pole=a != "undefined")
        if isinstance(e, str) and e.startswith("undefined") and not isinstance(a, str):
            return Judged("expected_undefined", a[0], e, pole=e != "undefined")
        if isinstance(a, str) and isinstance(e, str):
            return Judged("unreliable")
        # one side could not be evaluated (beyond e^{10^7} somewhere inside): that proves nothing
        return Judged("unreliable")
    close, gap = _close(a, e, digits)
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
    a, e = _side(answer, point, digits), _side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        return Judged("unreliable")
    close, gap = _close(a, e, digits)
    return Judged("agree") if close else (a, e, gap)


def _deep(answer: Compiled, expected: Compiled, point: dict[sp.Symbol, Value], digits: int) -> Judged:
    """A second look, at many more digits, where the sides agreed: 1 and tanh 100 differ by 10⁻⁸⁷."""
    a, e = _side(answer, point, digits), _side(expected, point, digits)
    if isinstance(a, str) or isinstance(e, str):
        return Judged("agree")  # seen defined at the working precision; nothing more to learn
    close, gap = _close(a, e, digits)
    if close:
        return Judged("agree")
    more = digits + digits // 2
    a2, e2 = _side(answer, point, more), _side(expected, point, more)
    if isinstance(a2, str) or isinstance(e2, str):
        return Judged("unreliable")
    close, gap2 = _close(a2, e2, more)
    if close or _rounding(a2, e2, more):
        return Judged("agree")
    with mpmath.workdps(more):
        stable = abs(gap - gap2) <= mpmath.mpf("1e-3") * gap2
    return Judged("differ", a2[0], e2[0]) if stable else Judged("unreliable")


# -- where to look -------------------------------------------------------------------------

_KINKS = (sp.Abs, sp.sign, sp.Heaviside, ReLU)


def kink_arguments(*exprs: sp.Basic) -> list[sp.Expr]:
    """Where an expression changes form: zeros of these are its breakpoints."""
    found: list[sp.Expr] = []
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, _KINKS):
                found.append(node.args[0])
            elif isinstance(node, (sp.Max, sp.Min)):
                args = list(node.args)
                found += [args[i] - args[j] for i in range(len(args)) for j in range(i + 1, len(args))]
            elif isinstance(node, sp.Piecewise):
                for cond in (c for _, c in node.args):
                    found += [r.lhs - r.rhs for r in cond.atoms(sp.core.relational.Relational)]
    unique: list[sp.Expr] = []
    for arg in found:
        if arg.free_symbols and all(arg != seen for seen in unique):
            unique.append(arg)
    return unique


def _domain_edges(*exprs: sp.Basic) -> list[sp.Expr]:
    """Where a written domain starts: the arguments of ln, of even roots, of arcsin ∓ 1."""
    found: list[sp.Expr] = []
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, sp.log):
                found.append(node.args[0])
            elif isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer:
                found.append(node.base)
            elif isinstance(node, (sp.asin, sp.acos)):
                found += [node.args[0] - 1, node.args[0] + 1]
    return [f for f in found if f.free_symbols]


def _grid(widest: int = 0) -> list[Fraction]:
    """Quarter decades from 10⁻⁴ to 10⁷, whole decades beyond, past the widest constant
    written, both signs, and 0: where sign changes are looked for."""
    steps = [Fraction(mpmath.nstr(mpmath.mpf(10) ** (Fraction(k, 4)), 6)) for k in range(-16, 29)]
    steps += [Fraction(10) ** k for k in range(8, max(12, widest + 2) + 1)]
    return sorted([-s for s in steps] + [Fraction(0)] + steps)


_GRID = _grid()


def _value(compiled: Compiled, point: dict[sp.Symbol, Value], digits: int = 15) -> mpmath.mpf | None:
    try:
        return to_mpf(reals.evaluate(compiled, point, digits)[0])
    except (Undefined, TooLarge):
        return None


def breakpoints(
    argument: sp.Expr, symbol: sp.Symbol, base: dict[sp.Symbol, Value], domain: Domain, widest: int = 0,
    digits: int = 15, steps: int = 48, limit: int = 8, outward: bool = False,
) -> list[Fraction]:  # fmt: skip
    """Zeros of ``argument`` in ``symbol`` (the others held at ``base``), found by sign changes on
    a wide grid and bisection, at most ``limit`` of them."""
    try:
        compiled = reals.compile_real(argument)
    except Unsupported:
        return []
    grid = [v for v in (_GRID if widest <= 10 else _grid(widest)) if domain.contains(v)]
    for end in (domain.low, domain.high):
        if end is not None:
            grid.append(end)
    grid.sort()
    if outward:  # the ones nearest 0 first: sin x changes sign between most far grid points
        return _outward(compiled, symbol, base, grid, digits, steps, limit)
    roots: list[Fraction] = []
    previous: tuple[Fraction, mpmath.mpf] | None = None
    for value in grid:
        if len(roots) >= limit:
            break
        g = _value(compiled, {**base, symbol: value}, digits)
        if g is None:
            previous = None
            continue
        if g == 0:
            roots.append(value)
        elif previous is not None and (previous[1] < 0) != (g < 0):
            roots.append(_bisect(compiled, symbol, base, previous[0], value, previous[1] < 0, digits, steps))
        previous = (value, g)
    return roots[:limit]


def _outward(
    compiled: Compiled, symbol: sp.Symbol, base: dict[sp.Symbol, Value], grid: list[Fraction], digits: int,
    steps: int, limit: int,
) -> list[Fraction]:  # fmt: skip
    values = [_value(compiled, {**base, symbol: v}, digits) for v in grid]
    found: list[tuple[Fraction, Fraction, Fraction | None, bool]] = []  # (|x|, low, high or None, low negative)
    for i, (v, g) in enumerate(zip(grid, values, strict=True)):
        if g is None:
            continue
        if g == 0:
            found.append((abs(v), v, None, False))
        elif i > 0 and values[i - 1] is not None and (values[i - 1] < 0) != (g < 0):  # type: ignore[operator]
            found.append((min(abs(v), abs(grid[i - 1])), grid[i - 1], v, values[i - 1] < 0))  # type: ignore[operator]
    found.sort(key=lambda f: f[0])
    return [low if high is None else _bisect(compiled, symbol, base, low, high, negative, digits, steps)
            for _, low, high, negative in found[:limit]]  # fmt: skip


def _bisect(
    compiled: Compiled, symbol: sp.Symbol, base: dict[sp.Symbol, Value], low: Fraction, high: Fraction,
    low_negative: bool, digits: int = 15, steps: int = 48,
) -> Fraction:  # fmt: skip
    for _ in range(steps):
        middle = (low + high) / 2
        g = _value(compiled, {**base, symbol: middle}, digits)
        if g is None or g == 0:
            return middle
        if (g < 0) == low_negative:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _near(root: Fraction, domain: Domain, widest: int = 0) -> list[Fraction]:
    size = max(Fraction(1), abs(root))
    root = Fraction(float(root)).limit_denominator(10**12) if root.denominator > 10**12 else root
    # a breakpoint smoothed by a large constant (tanh(10¹⁰x) for sgn x) shows only closer in
    ks = (2, 4, 7) + ((widest + 1,) if widest > 6 else ())
    out = [root + s * size * Fraction(1, 10**k) * Fraction(1_234_567, 1_000_000) for k in ks for s in (1, -1)]
    return [v for v in out if domain.contains(v)]


def _critical_points(
    edge: sp.Expr, symbol: sp.Symbol, base: dict[sp.Symbol, Value], domain: Domain, digits: int
) -> list[Fraction]:
    """Where the argument of a root or logarithm turns (its derivative is zero): a narrow gap in
    the written domain, such as √((x − 7)² − 10⁻³⁰) near 7, is there and nowhere else."""
    slope: sp.Expr | None = None
    try:
        with time_limit(0.2):
            slope = sp.diff(edge, symbol)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return []
    if slope is None or not slope.has(symbol):
        return []
    turns = breakpoints(slope, symbol, base, domain, limit=3, outward=True)
    compiled_edge, compiled_slope = _compile(edge), _compile(slope)
    if not turns or compiled_edge is None or compiled_slope is None:
        return []
    out = []
    for turn in turns:
        height = _value(compiled_edge, {**base, symbol: turn})
        if height is not None and abs(height) > mpmath.mpf("1e-6") * max(1, abs(to_mpf(turn))) ** 2:
            continue  # the argument turns far from 0: no narrow gap here
        # close in on the turning point at the working precision
        width = max(Fraction(1), abs(turn)) * Fraction(1, 10**12)
        low, high = turn - width, turn + width
        at_low, at_high = _value(compiled_slope, {**base, symbol: low}), _value(compiled_slope, {**base, symbol: high})
        if at_low is not None and at_high is not None and (at_low < 0) != (at_high < 0):
            turn = _bisect(compiled_slope, symbol, base, low, high, at_low < 0, digits, 3 * digits)
        if domain.contains(turn):
            out.append(turn)
    return out


def _far_and_irregular(domain: Domain, widest: int, rng: random.Random) -> list[Fraction]:
    """Values past the usual scales (10⁹, 10¹², and past the widest constant written) and
    values off the decimal lattice (p/q, q a random prime): sin(6·10⁹πx) is 0 at every x with
    a denominator dividing 10⁹."""
    decades = sorted({9, 12} | ({widest + 1} if widest > 6 else set()))
    out: list[Fraction] = []
    for k in decades:
        m = Fraction(rng.randrange(1_000_001, 9_999_999), 1_000_000) * Fraction(10) ** k
        if domain.low is None and domain.high is None:
            out += [m, -m]
        elif domain.high is None:
            out.append(domain.low + m)  # type: ignore[operator]
        elif domain.low is None:
            out.append(domain.high - m)
    for _ in range(3):
        q = int(sp.prevprime(rng.randrange(2_000_000, 9_000_000)))
        fraction = Fraction(rng.randrange(q // 10, 3 * q), q)
        if domain.low is not None and domain.high is not None:
            out.append(domain.low + (domain.high - domain.low) * Fraction(rng.randrange(1, q), q))
        elif domain.low is not None:
            out.append(domain.low + fraction)
        elif domain.high is not None:
            out.append(domain.high - fraction)
        else:
            out += [fraction, -fraction]
    if domain.integer:
        out = [Fraction(round(v)) for v in out]
    return [v for v in out if domain.contains(v)]


def points(
    symbols: list[sp.Symbol], domains: dict[str, Domain], kinks: list[sp.Expr], rng: random.Random,
    edges: list[sp.Expr] | None = None, widest: int = 0,
) -> tuple[list[dict[sp.Symbol, Value]], list[dict[sp.Symbol, Value]], int, dict[sp.Symbol, Value]]:  # fmt: skip
    """Points in general position, points at simple values (where integer and fractional
    powers of negative numbers meet), how many of the first are next to a breakpoint, and the
    point the breakpoints are looked for from. ``kinks`` and ``edges``: arguments whose zeros
    are breakpoints; ``widest``: the decade of the largest constant written."""
    if not symbols:
        return [{}], [], 0, {}
    edges = edges or []
    values = {s: candidates(domains.get(s.name, REAL), rng) for s in symbols}
    out: list[dict[sp.Symbol, Value]] = []
    if len(symbols) == 1:
        (s,) = symbols
        out += [{s: v} for v in values[s][0]]
        special = [{s: v} for v in values[s][1]]
    else:
        count = 16 + 12 * len(symbols)
        out += [{s: rng.choice(values[s][0]) for s in symbols} for _ in range(count)]
        specials = {s: values[s][1] or values[s][0] for s in symbols}
        special = [{s: rng.choice(specials[s]) for s in symbols} for _ in range(SPECIAL_POINTS)]
    near = 0
    base = {s: rng.choice(values[s][0]) for s in symbols}
    for argument in kinks + edges:
        for s in symbols:
            if s not in argument.free_symbols:
                continue
            domain = domains.get(s.name, REAL)
            for root in breakpoints(argument, s, base, domain, widest):
                for value in _near(root, domain, widest):
                    out.append({**base, s: value})
                    near += 1
    # drawn from their own stream, after the others: the points above (and so the
    # counterexamples they give) stay what they were
    extra = random.Random(rng.random())
    for s in symbols:
        domain = domains.get(s.name, REAL)
        out += [{**base, s: v} for v in _far_and_irregular(domain, widest, extra)]
    return out, special, near, base


def turning_points(
    symbols: list[sp.Symbol], domains: dict[str, Domain], edges: list[sp.Expr], base: dict[sp.Symbol, Value],
    digits: int,
) -> list[dict[sp.Symbol, Value]]:  # fmt: skip
    """Points where the argument of a root or logarithm turns close to 0 (see ``_critical_points``)."""
    out = []
    for s in symbols:
        domain = domains.get(s.name, REAL)
        for edge in edges:
            if s in edge.free_symbols:
                out += [{**base, s: v} for v in _critical_points(edge, s, base, domain, digits)]
    return out


# -- the verdict -----------------------------------------------------------------------------


def _show(value: Value | str | None) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, str):
        return value
    if isinstance(value, Fraction) and len(str(value)) <= 12:
        return str(value)
    return mpmath.nstr(to_mpf(value), 10)


def _where(point: dict[sp.Symbol, Value]) -> dict[str, str]:
    return {s.name: _show(v) if isinstance(v, Fraction) and len(str(v)) <= 12 else mpmath.nstr(to_mpf(v), 8)
            for s, v in point.items()}  # fmt: skip


def _on_a_kink(kinks: list[Compiled], point: dict[sp.Symbol, Value]) -> bool:
    """A point where some breakpoint argument is exactly 0 (sgn(x−1) at x = 1): not in general position."""
    for kink in kinks:
        try:
            if reals.evaluate(kink, point, 15)[0] == 0:
                return True
        except (Undefined, TooLarge):
            continue
    return False


def _difference(answer: sp.Expr, reference: sp.Expr) -> Compiled | None:
    """a − r with like terms combined (the readers keep the written forms unevaluated)."""
    combined: sp.Expr | None = None
    try:
        with time_limit(0.2):
            combined = (answer - reference).doit()
    except (TypeError, ValueError, ArithmeticError, RecursionError, MemoryError):
        pass  # its own limit ending is swallowed by ``time_limit``; an enclosing one's goes on up
    return None if combined is None else _compile(combined)


def _compile(expr: sp.Expr) -> Compiled | None:
    try:
        return reals.compile_real(expr)
    except (Unsupported, TypeError, AttributeError):
        return None


def compare(
    answer: sp.Expr,
    reference: sp.Expr,
    assume: dict[str, Assumption] | None = None,
    seed: int | None = None,
    within: Iterable[sp.Expr] = (),
) -> Comparison:
    """Compare as real functions. ``within``: expressions whose domain the points must stay in
    (the function whose derivative was asked for). ``seed`` defaults to one derived from the
    inputs."""
    assume = assume or {}
    domains = domains_of(assume)
    within = list(within)
    if answer.has(sp.I) or reference.has(sp.I):
        return _compare_complex(answer, reference, seed if seed is not None else seed_of(answer, reference))
    compiled_answer, compiled_reference = _compile(answer), _compile(reference)
    if compiled_answer is None or compiled_reference is None:
        return _compare_elementary(answer, reference, assume)
    # the function of a derivative problem may have variables its derivative lost (c in x + c)
    free = answer.free_symbols | reference.free_symbols
    free |= set().union(*(w.free_symbols for w in within))
    symbols = sorted(free, key=lambda s: s.name)  # type: ignore[attr-defined]
    rng = random.Random(seed if seed is not None else seed_of(answer, reference))
    kinks = kink_arguments(answer, reference)
    written, widest_constant = _widest((answer, reference))
    needed = int(BASE_DIGITS + 2 * written)
    digits = min(needed, MAX_WORKING_DIGITS)
    widest = min(int(mpmath.ceil(widest_constant)), MAX_SCALE)
    edges = _domain_edges(answer, reference)
    drawn, special, near, base = points(symbols, domains, kinks, rng, edges, widest)
    difference = _difference(answer, reference)
    compiled_kinks = [k for k in (_compile(arg) for arg in kinks) if k is not None]
    compiled_within = [c for c in (_compile(w) for w in within) if c is not None]
    deep = DEEP_CONSTANT_DIGITS if not symbols else _deep_digits((answer, reference), digits)
    counts = {"agree": 0, "skip": 0, "unreliable": 0}
    def looked_at() -> Iterator[dict[sp.Symbol, Value]]:
        yield from drawn + special
        # only once nothing else has told the sides apart: they cost a root search each
        yield from turning_points(symbols, domains, edges, base, digits)

    for index, point in enumerate(looked_at()):
        if compiled_kinks and _on_a_kink(compiled_kinks, point):
            continue
        if any(_side(w, point, 15) == "undefined" for w in compiled_within):
            continue  # outside the domain of the function the problem is about
        # a − r as one expression only at a few points: it catches differences hidden by magnitude
        # and a second look at many more digits at the first two
        judged = judge(compiled_answer, compiled_reference, point, digits, difference if index < 3 else None,
                       deep if index < 2 else 0)  # fmt: skip
        if index >= len(drawn) and judged.pole:
            judged.outcome = "skip"  # a simple value that is a gap (x = 1 in 1/(x − 1)), not a domain
        if judged.outcome in counts:
            counts[judged.outcome] += 1
            continue
        where = _where(point)
        shown = {**where, "answer": _show(judged.answer), "expected": _show(judged.expected)}
        if judged.outcome == "differ":
            return Comparison("different", "counterexample", shown)
        if judged.outcome == "answer_undefined":
            note = "the answer is undefined at a point where the expected answer is defined"
        else:
            note = "the answer is defined at a point where the expected answer is not"
        return Comparison("different", "counterexample (domain mismatch)", shown, True, note)
    if counts["agree"] == 0 and bool(answer.free_symbols) != bool(reference.free_symbols):
        varying = _varies(compiled_reference if reference.free_symbols else compiled_answer, drawn, digits)
        if varying:
            which = "expected answer" if reference.free_symbols else "answer"
            return Comparison("different", f"counterexample (a constant, but the {which} takes two values)", varying)
    decided = _decide(answer, reference, assume, counts, near, bool(symbols), digits)
    numeric = decided.status == "equal" and not decided.method.startswith("proved")
    if numeric and needed > digits:
        return Comparison("undecided", f"equal to {digits - 10} digits, but the numbers written need more; no proof")
    return decided


def _varies(compiled: Compiled, drawn: list[dict[sp.Symbol, Value]], digits: int) -> dict[str, str]:
    """Two points where ``compiled`` takes clearly and stably different values (so it equals no
    constant): sin(πn) at n = 3 and n = 7 is rounding noise, 10⁻³⁰ one way or the other."""
    seen: list[tuple[dict[sp.Symbol, Value], tuple[Value, mpmath.mpf], tuple[Value, mpmath.mpf]]] = []
    for point in drawn[:12]:
        value, finer = _side(compiled, point, digits), _side(compiled, point, 2 * digits)
        if isinstance(value, str) or isinstance(finer, str):
            continue
        for other, earlier, earlier_finer in seen:
            close, gap = _close(value, earlier, digits)
            close_finer, gap_finer = _close(finer, earlier_finer, 2 * digits)
            with mpmath.workdps(2 * digits):
                stable = abs(gap - gap_finer) <= mpmath.mpf("1e-3") * gap_finer
            if not close and not close_finer and stable:
                first = {f"{k} (1)": v for k, v in _where(other).items()} | {"value (1)": _show(earlier[0])}
                return first | {f"{k} (2)": v for k, v in _where(point).items()} | {"value (2)": _show(value[0])}
        seen.append((point, value, finer))
    return {}


def _decide(
    answer: sp.Expr, reference: sp.Expr, assume: dict[str, Assumption], counts: dict[str, int], near: int,
    has_symbols: bool, digits: int,
) -> Comparison:  # fmt: skip
    agreed, unreliable = counts["agree"], counts["unreliable"]
    covered = agreed >= (MIN_AGREEING if has_symbols else 1) and unreliable <= agreed
    if agreed == 0 and answer != reference and not unreliable:
        return Comparison("undecided", "no point where both sides are defined")
    proof = _prove(answer, reference, assume, CHEAP_PROOF_SECONDS if covered else FULL_PROOF_SECONDS)
    if agreed == 0 and answer != reference and not proof:
        return Comparison("undecided", "no point where both sides could be evaluated, and no proof")
    if proof:
        return Comparison("equal", f"proved symbolically ({proof}); no counterexample at {agreed} points")
    if not covered:
        return Comparison("undecided", f"equal at {agreed} point(s), {unreliable} could not be evaluated; no proof")
    if not has_symbols:
        return Comparison("equal", f"numerically, equal to {max(digits, DEEP_CONSTANT_DIGITS) - 10} digits, not proved")
    breakpoints = f", {near} of them next to breakpoints" if near else ""
    where = "from |x| = 10⁻³ to 10¹²" if not assume else "across the scales"
    return Comparison("equal", f"numerically, equal at {agreed} points {where}{breakpoints}; not proved")


def _prove(a: sp.Expr, r: sp.Expr, assume: dict[str, Assumption], seconds: float) -> str:
    """A bounded symbolic proof of a − r = 0, only ever asked after the points found no difference."""
    if a == r:
        return "identical"
    try:
        with time_limit(seconds):
            left, right = to_elementary(a.doit()), to_elementary(r.doit())
            difference = left - right
            difference = difference.xreplace(assumed_symbols(difference, assume))
            if difference == 0:
                return "identical after evaluation"
            strategies = [("expand", sp.expand), ("cancel", lambda d: sp.cancel(sp.together(d)))]
            if seconds >= FULL_PROOF_SECONDS:
                strategies += [("simplify", sp.simplify)]
            for name, strategy in strategies:
                if strategy(difference) == 0:
                    return name
    except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError,
            MemoryError):  # fmt: skip
        pass  # its own limit ending is swallowed by ``time_limit``; an enclosing one's goes on up
    return ""


def _compare_elementary(answer: sp.Expr, reference: sp.Expr, assume: dict[str, Assumption]) -> Comparison:
    """Functions the real evaluator does not know: only a symbolic proof can say equal."""
    proof = _prove(answer, reference, assume, FULL_PROOF_SECONDS)
    if proof:
        return Comparison("equal", f"proved symbolically ({proof}); not checked at points")
    return Comparison("undecided", "a function the numeric check does not know, and no proof")


def _compare_complex(answer: sp.Expr, reference: sp.Expr, seed: int) -> Comparison:
    """A problem with i in it: complex values at random points, no domain policy."""
    rng = random.Random(seed)
    symbols = sorted((answer.free_symbols | reference.free_symbols), key=lambda s: s.name)  # type: ignore[attr-defined]
    agreed = 0
    for _ in range(12 if symbols else 1):
        point = {s: sp.Rational(rng.randrange(-3_000_000, 3_000_000), 1_000_000) for s in symbols}
        try:
            a = complex(answer.evalf(BASE_DIGITS, subs=point))
            e = complex(reference.evalf(BASE_DIGITS, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            continue
        if abs(a - e) > 1e-12 * max(abs(a), abs(e), 1e-300):
            where = {s.name: str(v) for s, v in point.items()}
            return Comparison("different", "counterexample", {**where, "answer": str(a), "expected": str(e)})
        agreed += 1
    proof = _prove(answer, reference, {}, FULL_PROOF_SECONDS)
    if proof:
        return Comparison("equal", f"proved symbolically ({proof})")
    if agreed >= (MIN_AGREEING if symbols else 1):
        return Comparison("equal", f"numerically, equal at {agreed} complex-valued points; not proved")
    return Comparison("undecided", "too few points where both sides could be evaluated, and no proof")
