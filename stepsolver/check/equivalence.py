"""Is a student's answer equal to the reference, as real functions? Numeric disproof first, at
points covering the whole domain; then a bounded symbolic proof.

Domain policy (also in the README): variables are real, and each expression keeps the domain of
its written form (e^{ln x} is defined for x > 0 only). A point where one side is defined and
real and the other is not is a domain mismatch, reported with the point: the answer is wrong
there. Real odd roots of negative numbers are real (∛(−8) = −2). Points are drawn in general
position: a single point where a formula has a removable gap or a kink (x/|x| and sgn x at 0)
is not a mismatch.

Where the points come from is in ``equivalence_points``, how the sides are judged at one of them
in ``equivalence_judge`` (with the digits from ``equivalence_precision``), the symbolic proof in
``equivalence_proof``; this module puts them together into the verdict.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import mpmath
import sympy as sp

from ..core import reals
from ..core.real_arithmetic import TooLarge, Undefined, Value
from ..core.reals import Compiled
from ..core.timeout import time_limit
from .assumptions import Assumption, domains_of
from .equivalence_judge import closeness, compile_or_none, evaluate_side, judge, show, show_point
from .equivalence_points import domain_edges, kink_arguments, points, seed_of, turning_points
from .equivalence_precision import BASE_DIGITS, DEEP_CONSTANT_DIGITS, MAX_WORKING_DIGITS, deep_digits, widest_decades
from .equivalence_proof import CHEAP_PROOF_SECONDS, FULL_PROOF_SECONDS, prove

MIN_AGREEING = 8  # points that must agree, besides every breakpoint, for "equal numerically"
MAX_SCALE = 1_000  # the farthest decade looked at


@dataclass
class Comparison:
    status: Literal["equal", "different", "undecided"]
    method: str
    counterexample: dict[str, str] = field(default_factory=dict)
    domain_mismatch: bool = False
    note: str = ""  # said to the student with the verdict (which side a domain mismatch is on)


def _on_a_step(arguments: list[Compiled], point: dict[sp.Symbol, Value]) -> bool:
    for argument in arguments:
        try:
            value = reals.evaluate(argument, point, 15)[0]
        except (Undefined, TooLarge):
            continue
        if value == int(value):
            return True
    return False


def _moved(value: Value, index: int) -> Value:
    if isinstance(value, Fraction):
        return value * (1 + Fraction(index + 1, 10**6)) + Fraction(index + 1, 10**9)
    return value * (1 + mpmath.mpf(index + 1) / 10**6) + mpmath.mpf(index + 1) / 10**9


def _on_a_kink(kinks: list[Compiled], point: dict[sp.Symbol, Value]) -> bool:
    """A point where some breakpoint argument is exactly 0 (sgn(x−1) at x = 1): not in general
    position. An argument that is 0 all around the point too (the inner ReLU of ReLU(ReLU(x)) for
    x < 0) marks no breakpoint there: that is a whole interval, which must be compared."""
    # each coordinate moved by its own amount: x − y at x = y, or x·y at x = 0, moves off 0 too
    nearby = {s: _moved(v, index) for index, (s, v) in enumerate(point.items())}
    for kink in kinks:
        try:
            if reals.evaluate(kink, point, 15)[0] == 0 and reals.evaluate(kink, nearby, 15)[0] != 0:
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
    return None if combined is None else compile_or_none(combined)


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
    compiled_answer, compiled_reference = compile_or_none(answer), compile_or_none(reference)
    if compiled_answer is None or compiled_reference is None:
        return _compare_elementary(answer, reference, assume)
    # the function of a derivative problem may have variables its derivative lost (c in x + c)
    free = answer.free_symbols | reference.free_symbols
    free |= set().union(*(w.free_symbols for w in within))
    symbols = sorted(free, key=lambda s: s.name)  # type: ignore[attr-defined]
    rng = random.Random(seed if seed is not None else seed_of(answer, reference))
    kinks = kink_arguments(answer, reference)
    written, widest_constant = widest_decades((answer, reference))
    needed = int(BASE_DIGITS + 2 * written)
    digits = min(needed, MAX_WORKING_DIGITS)
    widest = min(int(mpmath.ceil(widest_constant)), MAX_SCALE)
    edges = domain_edges(answer, reference)
    drawn, special, near, base = points(symbols, domains, kinks, rng, edges, widest)
    difference = _difference(answer, reference)
    compiled_kinks = [k for k in (compile_or_none(arg) for arg in kinks) if k is not None]
    steps = {
        n.args[0]
        for e in (answer, reference)
        for n in sp.preorder_traversal(e)
        if isinstance(n, (sp.floor, sp.ceiling))
    }
    compiled_steps = [c for c in (compile_or_none(arg) for arg in steps) if c is not None]
    compiled_within = [c for c in (compile_or_none(w) for w in within) if c is not None]
    deep = DEEP_CONSTANT_DIGITS if not symbols else deep_digits((answer, reference), digits)
    counts = {"agree": 0, "skip": 0, "unreliable": 0}

    def looked_at() -> Iterator[dict[sp.Symbol, Value]]:
        yield from drawn + special
        # only once nothing else has told the sides apart: they cost a root search each
        yield from turning_points(symbols, domains, edges, base, digits)

    for index, point in enumerate(looked_at()):
        if compiled_kinks and _on_a_kink(compiled_kinks, point):
            continue
        if compiled_steps and _on_a_step(compiled_steps, point):
            continue  # floor jumps at every whole number: 10¹² is one, not a point in general position
        if any(evaluate_side(w, point, 15) == "undefined" for w in compiled_within):
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
        where = show_point(point)
        shown = {**where, "answer": show(judged.answer), "expected": show(judged.expected)}
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
        value, finer = evaluate_side(compiled, point, digits), evaluate_side(compiled, point, 2 * digits)
        if isinstance(value, str) or isinstance(finer, str):
            continue
        for other, earlier, earlier_finer in seen:
            close, gap = closeness(value, earlier, digits)
            close_finer, gap_finer = closeness(finer, earlier_finer, 2 * digits)
            with mpmath.workdps(2 * digits):
                stable = abs(gap - gap_finer) <= mpmath.mpf("1e-3") * gap_finer
            if not close and not close_finer and stable:
                first = {f"{k} (1)": v for k, v in show_point(other).items()} | {"value (1)": show(earlier[0])}
                return first | {f"{k} (2)": v for k, v in show_point(point).items()} | {"value (2)": show(value[0])}
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
    proof = prove(answer, reference, assume, CHEAP_PROOF_SECONDS if covered else FULL_PROOF_SECONDS)
    if agreed == 0 and answer != reference and not proof:
        return Comparison("undecided", "no point where both sides could be evaluated, and no proof")
    if proof:
        points = f"{agreed} point{'s' if agreed != 1 else ''}"
        return Comparison("equal", f"proved symbolically ({proof}); no counterexample at {points}")
    if not covered:
        return Comparison("undecided", f"equal at {agreed} point(s), {unreliable} could not be evaluated; no proof")
    if not has_symbols:
        return Comparison("equal", f"numerically, equal to {max(digits, DEEP_CONSTANT_DIGITS) - 10} digits, not proved")
    breakpoints = f", {near} of them next to breakpoints" if near else ""
    where = "from |x| = 10⁻³ to 10¹²" if not assume else "across the scales"
    return Comparison("equal", f"numerically, equal at {agreed} points {where}{breakpoints}; not proved")


def _compare_elementary(answer: sp.Expr, reference: sp.Expr, assume: dict[str, Assumption]) -> Comparison:
    """Functions the real evaluator does not know: only a symbolic proof can say equal."""
    proof = prove(answer, reference, assume, FULL_PROOF_SECONDS)
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
    proof = prove(answer, reference, {}, FULL_PROOF_SECONDS)
    if proof:
        return Comparison("equal", f"proved symbolically ({proof})")
    if agreed >= (MIN_AGREEING if symbols else 1):
        return Comparison("equal", f"numerically, equal at {agreed} complex-valued points; not proved")
    return Comparison("undecided", "too few points where both sides could be evaluated, and no proof")
