"""Is a student's answer equal to the reference? Numeric disproof first, on the reference's real
domain and the problem's stated assumptions; then a bounded symbolic proof.

Domain policy: variables are real. Points are drawn where the reference is defined (redrawn
where it is not); a point where the reference is defined and the answer is not is a domain
mismatch (2 ln x for ln(x²) at x < 0), reported with the point, and the answer is wrong there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from ..core.timeout import time_limit
from ..core.verify import domain_conditions, real_value
from ..functions import to_elementary

POINTS = 8  # agreeing points needed for "equal numerically"
TRIES = 60
DIGITS = 30
SYMBOLIC_SECONDS = 1.5

Assumption = str  # "positive", "nonnegative", "negative", "nonzero", "integer", or an interval "(0, 1)", "[1, 2]"


@dataclass
class Comparison:
    status: Literal["equal", "different", "undecided"]
    method: str
    counterexample: dict[str, str] = field(default_factory=dict)
    domain_mismatch: bool = False


def _interval(text: str) -> tuple[float, float] | None:
    text = text.strip()
    if len(text) < 5 or text[0] not in "([" or text[-1] not in ")]":
        return None
    low, _, high = text[1:-1].partition(",")
    try:
        return float(low), float(high)
    except ValueError:
        return None


def _draw(rng: random.Random, assumption: Assumption | None) -> sp.Expr:
    if assumption == "integer":
        return sp.Integer(rng.randint(-6, 6))
    interval = _interval(assumption) if assumption else None
    if interval:
        low, high = interval
        return sp.Float(rng.uniform(low, high), DIGITS)
    magnitude = rng.uniform(0.15, 3.0)
    if assumption in ("positive", "nonnegative"):
        return sp.Float(magnitude, DIGITS)
    if assumption == "negative":
        return sp.Float(-magnitude, DIGITS)
    return sp.Float(rng.choice([-1, 1]) * magnitude, DIGITS)


def assumed_symbols(expr: sp.Expr, assume: dict[str, Assumption]) -> dict[sp.Symbol, sp.Symbol]:
    """Symbols carrying what the problem states about them, for the symbolic test."""
    keys = {"positive": {"positive": True}, "nonnegative": {"nonnegative": True}, "negative": {"negative": True},
            "nonzero": {"nonzero": True}, "integer": {"integer": True}}  # fmt: skip
    out = {}
    for symbol in expr.free_symbols:
        if isinstance(symbol, sp.Symbol) and symbol.name in assume:
            flags = keys.get(assume[symbol.name], {})
            interval = _interval(assume[symbol.name])
            if interval and interval[0] >= 0:
                flags = {"nonnegative": True} if interval[0] == 0 else {"positive": True}
            out[symbol] = sp.Symbol(symbol.name, real=True, **flags)
    return out


def _show(value: sp.Expr | None) -> str:
    return "undefined" if value is None else sp.sstr(sp.Float(value, 10))


def compare(
    answer: sp.Expr, reference: sp.Expr, assume: dict[str, Assumption] | None = None, seed: int = 0
) -> Comparison:
    assume = assume or {}
    a, r = to_elementary(answer.doit()), to_elementary(reference.doit())
    symbols = sorted((a.free_symbols | r.free_symbols), key=lambda s: s.name)  # type: ignore[attr-defined]
    rng = random.Random(seed)
    # the domain of what was written, before SymPy tidies √x² into x
    answer_conditions = domain_conditions(to_elementary(answer))
    reference_conditions = domain_conditions(to_elementary(reference))
    agreed = 0
    for _ in range(TRIES if symbols else 1):
        point = {s: _draw(rng, assume.get(s.name)) for s in symbols}
        expected = real_value(r, reference_conditions, point)
        if expected is None:
            continue  # outside the reference's domain: draw again
        got = real_value(a, answer_conditions, point)
        where = {s.name: sp.sstr(sp.Float(v, 6)) for s, v in point.items()}
        if got is None:
            return Comparison("different", "counterexample (domain mismatch)",
                              {**where, "answer": "undefined", "expected": _show(expected)}, True)  # fmt: skip
        if abs(got - expected) > sp.Float(10) ** (8 - DIGITS) * (1 + abs(expected) + abs(got)):
            return Comparison(
                "different", "counterexample", {**where, "answer": _show(got), "expected": _show(expected)}
            )
        agreed += 1
        if agreed >= POINTS:
            break
    if agreed == 0:
        return Comparison("undecided", "no point where the expected answer is defined")
    proved = _prove(a, r, assume)
    if proved:
        return Comparison("equal", f"proved symbolically ({proved})")
    if agreed < 3:
        return Comparison("undecided", f"equal at only {agreed} point(s), and no proof")
    return Comparison("equal", f"numerically, equal at {agreed} random points (30 digits)")


def _prove(a: sp.Expr, r: sp.Expr, assume: dict[str, Assumption]) -> str:
    replacements = assumed_symbols(a - r, assume)
    difference = (a - r).xreplace(replacements)
    strategies = [("identical", lambda d: d), ("expand", sp.expand), ("cancel", lambda d: sp.cancel(sp.together(d))),
                  ("simplify", sp.simplify)]  # fmt: skip
    try:
        with time_limit(SYMBOLIC_SECONDS):
            for name, strategy in strategies:
                if strategy(difference) == 0:
                    return name
    except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError):
        pass
    return ""
