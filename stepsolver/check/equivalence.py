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
breakpoint (a zero of the argument of |·|, sgn, max, min, H, ReLU or a piecewise condition),
drawn from a seed derived from both expressions, so a verdict is reproducible.

Values at a point: exact fractions as far as they go, else decimals at a precision chosen from
the sizes of the numbers written (30 digits plus twice the widest exponent), a difference judged
against the largest magnitude met while evaluating, and confirmed at twice the precision.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import mpmath
import sympy as sp

from ..core import reals
from ..core.reals import Compiled, TooLarge, Undefined, Unsupported, Value, to_mpf
from ..core.timeout import TimeLimitExceeded, time_limit
from ..functions import ReLU, to_elementary
from .domains import REAL, Domain, candidates, read_assumption

Assumption = str  # "positive", "integer", "(0, 1)", "(10, inf)", "> 10", … (see domains.read_assumption)

MIN_AGREEING = 8  # points that must agree, besides every breakpoint, for "equal numerically"
BASE_DIGITS = 30
MAX_DIGITS = 1_200
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


def working_digits(*exprs: sp.Basic) -> int:
    """Enough digits that no tolerance can hide a term: 30 plus twice the widest exponent written."""
    widest = 0.0
    for expr in exprs:
        for atom in expr.atoms(sp.Rational, sp.Float):
            for part in (atom.p, atom.q) if isinstance(atom, sp.Rational) else (atom,):
                magnitude = abs(sp.Float(part, 15)) if isinstance(part, sp.Float) else abs(int(part))
                if magnitude:
                    widest = max(widest, abs(float(mpmath.log10(mpmath.mpf(magnitude)))))
    return int(min(BASE_DIGITS + 2 * widest, MAX_DIGITS // 4))


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


def _close(a: tuple[Value, mpmath.mpf], e: tuple[Value, mpmath.mpf], digits: int) -> tuple[bool, mpmath.mpf]:
    """(within rounding of each other, |a − e|) at ``digits`` digits."""
    (va, scale_a), (ve, scale_e) = a, e
    if isinstance(va, Fraction) and isinstance(ve, Fraction):
        return va == ve, to_mpf(abs(va - ve))
    with mpmath.workdps(digits):
        difference = abs(to_mpf(va) - to_mpf(ve))
        tolerance = mpmath.mpf(10) ** (10 - digits) * max(scale_a, scale_e)
        return difference <= tolerance, difference


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
    answer: Compiled, expected: Compiled, point: dict[sp.Symbol, Value], digits: int, difference: Compiled | None = None
) -> Judged:
    """How the two sides compare at one point. ``difference``, when given, is a − r as one
    expression, consulted where the sides agree only up to their own (large) magnitudes."""
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
        return Judged("agree")
    if isinstance(a[0], Fraction) and isinstance(e[0], Fraction):
        return Judged("differ", a[0], e[0])
    # a real difference is stable as the precision grows; a rounding artefact shrinks
    for more in (2 * digits, 4 * digits):
        a2, e2 = _side(answer, point, more), _side(expected, point, more)
        if isinstance(a2, str) or isinstance(e2, str):
            return Judged("unreliable")
        close, gap2 = _close(a2, e2, more)
        if close:
            return Judged("agree")
        with mpmath.workdps(more):
            if abs(gap - gap2) <= mpmath.mpf("1e-3") * gap2:
                return Judged("differ", a2[0], e2[0])
        gap = gap2
    return Judged("unreliable")


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


def _grid() -> list[Fraction]:
    """Quarter decades from 10⁻⁴ to 10⁷, both signs, and 0: where sign changes are looked for."""
    steps = [Fraction(mpmath.nstr(mpmath.mpf(10) ** (Fraction(k, 4)), 6)) for k in range(-16, 29)]
    return sorted([-s for s in steps] + [Fraction(0)] + steps)


_GRID = _grid()


def _value15(compiled: Compiled, point: dict[sp.Symbol, Value]) -> mpmath.mpf | None:
    try:
        return to_mpf(reals.evaluate(compiled, point, 15)[0])
    except (Undefined, TooLarge):
        return None


def breakpoints(argument: sp.Expr, symbol: sp.Symbol, base: dict[sp.Symbol, Value], domain: Domain) -> list[Fraction]:
    """Zeros of ``argument`` in ``symbol`` (the others held at ``base``), found by sign changes on
    a wide grid and bisection."""
    try:
        compiled = reals.compile_real(argument)
    except Unsupported:
        return []
    grid = [v for v in _GRID if domain.contains(v)]
    for end in (domain.low, domain.high):
        if end is not None:
            grid.append(end)
    grid.sort()
    roots: list[Fraction] = []
    previous: tuple[Fraction, mpmath.mpf] | None = None
    for value in grid:
        g = _value15(compiled, {**base, symbol: value})
        if g is None:
            previous = None
            continue
        if g == 0:
            roots.append(value)
        elif previous is not None and (previous[1] < 0) != (g < 0):
            roots.append(_bisect(compiled, symbol, base, previous[0], value, previous[1] < 0))
        previous = (value, g)
    return roots[:8]


def _bisect(
    compiled: Compiled, symbol: sp.Symbol, base: dict[sp.Symbol, Value], low: Fraction, high: Fraction,
    low_negative: bool,
) -> Fraction:  # fmt: skip
    for _ in range(48):
        middle = (low + high) / 2
        g = _value15(compiled, {**base, symbol: middle})
        if g is None or g == 0:
            return middle
        if (g < 0) == low_negative:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _near(root: Fraction, domain: Domain) -> list[Fraction]:
    size = max(Fraction(1), abs(root))
    root = Fraction(float(root)).limit_denominator(10**12) if root.denominator > 10**12 else root
    out = [root + s * size * Fraction(1, 10**k) * Fraction(1_234_567, 1_000_000) for k in (2, 4, 7) for s in (1, -1)]
    return [v for v in out if domain.contains(v)]


def points(
    symbols: list[sp.Symbol], domains: dict[str, Domain], kinks: list[sp.Expr], rng: random.Random
) -> tuple[list[dict[sp.Symbol, Value]], list[dict[sp.Symbol, Value]], int]:
    """Points in general position, points at simple values (where integer and fractional
    powers of negative numbers meet), and how many of the first are next to a breakpoint."""
    if not symbols:
        return [{}], [], 0
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
    for argument in kinks:
        for s in symbols:
            if s not in argument.free_symbols:
                continue
            domain = domains.get(s.name, REAL)
            for root in breakpoints(argument, s, base, domain):
                for value in _near(root, domain):
                    out.append({**base, s: value})
                    near += 1
    return out, special, near


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
    except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, RecursionError, MemoryError):
        pass
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
    drawn, special, near = points(symbols, domains, kinks + _domain_edges(answer, reference), rng)
    difference = _difference(answer, reference)
    compiled_kinks = [k for k in (_compile(arg) for arg in kinks) if k is not None]
    compiled_within = [c for c in (_compile(w) for w in within) if c is not None]
    digits = working_digits(answer, reference)
    counts = {"agree": 0, "skip": 0, "unreliable": 0}
    for index, point in enumerate(drawn + special):
        if compiled_kinks and _on_a_kink(compiled_kinks, point):
            continue
        if any(_side(w, point, 15) == "undefined" for w in compiled_within):
            continue  # outside the domain of the function the problem is about
        # a − r as one expression only at a few points: it catches differences hidden by magnitude
        judged = judge(compiled_answer, compiled_reference, point, digits, difference if index < 3 else None)
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
    return _decide(answer, reference, assume, counts, near, bool(symbols), digits)


def _varies(compiled: Compiled, drawn: list[dict[sp.Symbol, Value]], digits: int) -> dict[str, str]:
    """Two points where ``compiled`` takes clearly different values (so it equals no constant)."""
    seen: list[tuple[dict[sp.Symbol, Value], tuple[Value, mpmath.mpf]]] = []
    for point in drawn[:12]:
        value = _side(compiled, point, digits)
        if isinstance(value, str):
            continue
        for other, earlier in seen:
            if not _close(value, earlier, digits)[0] and not _close(value, earlier, 2 * digits)[0]:
                first = {f"{k} (1)": v for k, v in _where(other).items()} | {"value (1)": _show(earlier[0])}
                return first | {f"{k} (2)": v for k, v in _where(point).items()} | {"value (2)": _show(value[0])}
        seen.append((point, value))
    return {}


def _decide(
    answer: sp.Expr, reference: sp.Expr, assume: dict[str, Assumption], counts: dict[str, int], near: int,
    has_symbols: bool, digits: int,
) -> Comparison:  # fmt: skip
    agreed, unreliable = counts["agree"], counts["unreliable"]
    covered = agreed >= (MIN_AGREEING if has_symbols else 1) and unreliable <= agreed
    if agreed == 0 and answer != reference:
        why = "no point where both sides could be evaluated" if unreliable else "no point where both sides are defined"
        return Comparison("undecided", why)
    proof = _prove(answer, reference, assume, CHEAP_PROOF_SECONDS if covered else FULL_PROOF_SECONDS)
    if proof:
        return Comparison("equal", f"proved symbolically ({proof}); no counterexample at {agreed} points")
    if not covered:
        return Comparison("undecided", f"equal at {agreed} point(s), {unreliable} could not be evaluated; no proof")
    if not has_symbols:
        return Comparison("equal", f"numerically, equal to {digits - 10} digits (at two precisions), not proved")
    breakpoints = f", {near} of them next to breakpoints" if near else ""
    return Comparison("equal", f"numerically, equal at {agreed} points from |x| = 10⁻³ to 10⁶{breakpoints}; not proved")


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
    except (TimeLimitExceeded, TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError,
            AttributeError, MemoryError):  # fmt: skip
        pass
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
