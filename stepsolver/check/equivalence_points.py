"""Where an equivalence check looks: the points the two sides are compared at.

For each variable, values at every scale |x| = 10⁻³ … 10⁶ of both signs (inside a stated
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

Kept apart from judging the sides at a point (``equivalence_judge``) and from the verdict
(``equivalence``): this module only decides where to look.
"""

from __future__ import annotations

import hashlib
import random
from fractions import Fraction

import mpmath
import sympy as sp

from ..core import reals
from ..core.real_arithmetic import TooLarge, Undefined, Value, to_mpf
from ..core.reals import Compiled, Unsupported
from ..core.timeout import time_limit
from ..functions import ReLU
from .domains import REAL, Domain, candidates
from .equivalence_judge import compile_or_none

SPECIAL_POINTS = 80  # combinations of simple values, with several variables


def seed_of(*exprs: sp.Basic) -> int:
    """A seed from the inputs themselves: the same pair always gets the same points."""
    digest = hashlib.sha256("\x00".join(sp.srepr(e) for e in exprs).encode()).digest()
    return int.from_bytes(digest[:8], "big")


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


def domain_edges(*exprs: sp.Basic) -> list[sp.Expr]:
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
    compiled_edge, compiled_slope = compile_or_none(edge), compile_or_none(slope)
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
