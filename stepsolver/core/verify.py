"""Machine-checking one equality: proved symbolically, or numerically at points, or refuted.

A step is shown as verified only if its equality was proved; a step that could only be checked
at random points says so. Numeric disproof runs first, so a wrong step is caught in
milliseconds, before any (bounded) symbolic effort.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from ..functions import to_elementary
from .timeout import time_limit
from .values import too_large_to_expand

Status = Literal["proved", "sizes", "numeric", "failed", "undecided"]

NUMERIC_POINTS = 6
NUMERIC_DIGITS = 30
SYMBOLIC_SECONDS = 2.0


@dataclass
class Check:
    status: Status
    method: str
    counterexample: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("proved", "sizes", "numeric")

    @property
    def caveat(self) -> str:
        """What a reader must be told next to the step; empty for a proved step."""
        return "" if self.status in ("proved", "sizes") else self.describe()

    def describe(self) -> str:
        return {
            "proved": f"proved ({self.method})",
            "sizes": f"checked {self.method}",
            "numeric": f"checked numerically ({self.method}), not proved",
            "failed": f"FAILS ({self.method})",
            "undecided": f"undecided ({self.method})",
        }[self.status]


def domain_conditions(expr: sp.Expr) -> list[tuple[sp.Expr, str]]:
    """Sub-terms that must stay real and in range for the expression to be a real function here."""
    found = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_number and not node.exp.is_integer:
            found.append((node.base, "nonnegative"))
        elif isinstance(node, sp.log):
            found.append((node.args[0], "positive"))
        elif isinstance(node, (sp.asin, sp.acos)):
            found.append((node.args[0], "unit"))
        elif isinstance(node, sp.acosh):
            found.append((node.args[0], "at_least_one"))
        elif isinstance(node, sp.atanh):
            found.append((node.args[0], "open_unit"))
    return found


_IN_RANGE = {
    "nonnegative": lambda v: v >= 0,
    "positive": lambda v: v > 0,
    "unit": lambda v: -1 <= v <= 1,
    "at_least_one": lambda v: v >= 1,
    "open_unit": lambda v: -1 < v < 1,
}


def in_real_domain(conditions: list[tuple[sp.Expr, str]], point: dict[sp.Symbol, sp.Expr]) -> bool:
    """Variables are real: a point where a square root or logarithm inside leaves the reals is
    outside the domain, even if the whole expression happens to come back real there.
    ``conditions`` comes from ``domain_conditions(expr)``, worked out once per expression."""
    for argument, condition in conditions:
        if not argument.free_symbols:
            continue
        try:
            value = complex(argument.evalf(15, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            return False
        if abs(value.imag) > 1e-12 or not _IN_RANGE[condition](value.real):
            return False
    return True


def real_value(expr: sp.Expr, conditions: list[tuple[sp.Expr, str]], point: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The real value at a point, or None where undefined (or not real: variables are real)."""
    if not in_real_domain(conditions, point):
        return None
    try:
        value = expr.evalf(NUMERIC_DIGITS, subs=point)
    except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):
        return None
    if not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    re_part, im_part = value.as_real_imag()
    if abs(im_part) > 1e-20 * (1 + abs(re_part)):
        return None
    return re_part


def random_points(symbols: list[sp.Symbol], seed: int, wanted: int = NUMERIC_POINTS) -> list[dict[sp.Symbol, sp.Expr]]:
    """8 × ``wanted`` points: every other one near the origin (|v| in 0.1 … 2.5), the others
    spread from 0.03 to 10, so that two sides that agree only near 0 are told apart (and no
    farther: sin(e^x) at x = 100 needs more than 30 digits)."""
    generator = random.Random(seed)
    points = []
    for index in range(8 * wanted):
        point = {}
        for s in symbols:
            magnitude = generator.uniform(0.1, 2.5) if index % 2 == 0 else 10 ** generator.uniform(-1.5, 1)
            sign = 1 if s.is_positive else -1 if s.is_negative else 1 if generator.random() < 0.6 else -1
            point[s] = sp.Float(sign * magnitude, NUMERIC_DIGITS)
        points.append(point)
    return points


_PIECES = (sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.floor, sp.ceiling, sp.Max, sp.Min)


def numeric_check(a: sp.Expr, b: sp.Expr, seed: int = 0) -> Check:
    symbols = sorted((a.free_symbols | b.free_symbols), key=lambda s: s.name)  # type: ignore[attr-defined]
    # a function with pieces can agree on a few points and differ between its break points
    wanted = 4 * NUMERIC_POINTS if any(e.has(*_PIECES) for e in (a, b)) else NUMERIC_POINTS
    if not symbols:
        points: list[dict[sp.Symbol, sp.Expr]] = [{}]
    else:
        points = random_points(symbols, seed, wanted)
    conditions_a, conditions_b = domain_conditions(a), domain_conditions(b)
    agreed = 0
    for point in points:
        value_a, value_b = real_value(a, conditions_a, point), real_value(b, conditions_b, point)
        if value_a is None and value_b is None:
            continue
        if value_a is None or value_b is None:
            continue  # defined on one side only: a domain question, not a disproof of the formula
        scale = 1 + abs(value_a) + abs(value_b)
        if abs(value_a - value_b) > sp.Float(10) ** (-(NUMERIC_DIGITS - 8)) * scale:
            return Check(
                "failed",
                "counterexample",
                {str(s): str(sp.Float(v, 6)) for s, v in point.items()}
                | {"left": str(sp.Float(value_a, 10)), "right": str(sp.Float(value_b, 10))},
            )
        agreed += 1
        if agreed >= wanted or not symbols:
            break
    if agreed == 0:
        return Check("undecided", "no point where both sides are defined")
    if not symbols:
        return Check("numeric", f"equal to {NUMERIC_DIGITS - 8} digits")
    return Check("numeric", f"equal at {agreed} random point{'s' if agreed > 1 else ''}")


# Each strategy gets the difference and what the previous strategy made of it, so that
# trigsimp works on simplify's result instead of simplifying all over again.
_STRATEGIES: list[tuple[str, Callable[[sp.Expr, sp.Expr], sp.Expr]]] = [
    ("expand", lambda d, previous: sp.expand(d)),
    ("cancel", lambda d, previous: sp.cancel(sp.together(d))),
    ("radicals", lambda d, previous: sp.expand(sp.radsimp(d)) if not d.free_symbols else d),
    ("elementary functions", lambda d, previous: sp.cancel(sp.together(to_elementary(d).rewrite(sp.exp)))),
    ("sign as u/|u|", lambda d, previous: sp.cancel(sp.together(_sign_where_nonzero(d)))),
    ("branch by branch", lambda d, previous: _branch_by_branch(d)),
    ("|u| as u·sgn u", lambda d, previous: _abs_as_sign(d)),
    ("simplify", lambda d, previous: sp.simplify(d)),
    ("trigsimp", lambda d, previous: sp.trigsimp(previous)),
]


def _abs_as_sign(d: sp.Expr) -> sp.Expr:
    """|u| = u·sgn u, for every real u, 0 included: x·sgn x − |x| is 0."""
    return sp.cancel(d.replace(sp.Abs, lambda u: u * sp.sign(u))) if d.has(sp.Abs) else d


def _branch_by_branch(d: sp.Expr) -> sp.Expr:
    """0 if d, folded into one piecewise term, is 0 on every branch: equal wherever both sides
    have a value (where no branch holds neither has one)."""
    if not d.has(sp.Piecewise):
        return d
    folded = sp.piecewise_fold(d)
    if not isinstance(folded, sp.Piecewise) or any(sp.cancel(e) != 0 for e, _ in folded.args):
        return d
    # and the branches cover the line but for finitely many points: else one side has no value on
    # a whole interval where the other has one ({x if x > 0} is not x), and that is no equality
    conditions = [c for _, c in folded.args]
    if sp.true in conditions:
        return sp.S.Zero
    if len(folded.free_symbols) != 1:
        return d
    try:
        uncovered = sp.Complement(sp.S.Reals, sp.Or(*conditions).as_set())
    except (NotImplementedError, ValueError, TypeError):
        return d
    return sp.S.Zero if isinstance(uncovered, sp.FiniteSet) or uncovered is sp.EmptySet else d


def _sign_where_nonzero(d: sp.Expr) -> sp.Expr:
    """sgn u = u/|u| wherever u ≠ 0; so rewritten only where u also divides, so that at u = 0 the
    difference has no value either way (sgn(0)² = 0 ≠ 1 must not be proved equal to 1)."""
    if d.has(sp.Piecewise):
        return d  # a divisor in a branch not taken says nothing about the point
    divisors = {p.base for p in d.atoms(sp.Pow) if p.exp.is_negative}
    nonzero = {b.args[0] if isinstance(b, sp.Abs) else b for b in divisors}
    return d.replace(lambda e: isinstance(e, sp.sign) and e.args[0] in nonzero, lambda e: e.args[0] / sp.Abs(e.args[0]))


def _as_matrix(value: sp.Basic) -> sp.MatrixBase:
    if isinstance(value, sp.MatrixBase):
        return value
    if isinstance(value, sp.MatrixExpr):  # c·M with a symbolic c stays a product until written out
        return value.as_explicit()
    return sp.ImmutableMatrix([[value]])


def _prove_matrices_equal(a: sp.Basic, b: sp.Basic, seed: int, seconds: float) -> Check:
    left, right = _as_matrix(a), _as_matrix(b)
    if left.shape != right.shape:
        shapes = f"{left.rows}×{left.cols} and {right.rows}×{right.cols}"
        return Check("failed", "shapes differ", {"shapes": shapes})
    checks = []
    for i in range(left.rows):
        for j in range(left.cols):
            check = prove_equal(left[i, j], right[i, j], seed, seconds)
            if check.status == "failed":
                where = {"entry": f"({i + 1}, {j + 1})"} | (check.counterexample or {})
                return Check("failed", f"entry ({i + 1}, {j + 1}): {check.method}", where)
            checks.append(check)
    for status in ("undecided", "numeric"):
        weakest = [c for c in checks if c.status == status]
        if weakest:
            return Check(status, f"entry by entry; {weakest[0].method}")
    return Check("proved", "entry by entry")


_FUNCTION_STRATEGIES = {"simplify", "trigsimp"}


def prove_equal(a: sp.Expr, b: sp.Expr, seed: int = 0, seconds: float = SYMBOLIC_SECONDS) -> Check:
    """Decide a = b: identical forms, numeric disproof, then bounded symbolic strategies.
    Matrices are compared entry by entry (a 1×1 matrix equals its entry)."""
    if isinstance(a, (sp.MatrixBase, sp.MatrixExpr)) or isinstance(b, (sp.MatrixBase, sp.MatrixExpr)):
        return _prove_matrices_equal(a, b, seed, seconds)
    if a == b:
        return Check("proved", "identical")
    if too_large_to_expand(a) or too_large_to_expand(b):
        return numeric_check(a, b, seed)  # even a − b would expand them: compare decimals only
    difference = a - b
    if difference == 0:
        return Check("proved", "identical after evaluation")
    numeric = numeric_check(a, b, seed)
    if numeric.status == "failed":
        return numeric
    if not difference.free_symbols and difference.has(sp.Float):
        return numeric  # decimals that agree to the working precision: no algebra can say more
    try:
        with time_limit(seconds):
            previous = difference
            for name, strategy in _STRATEGIES:
                if name in _FUNCTION_STRATEGIES and not difference.free_symbols:
                    break  # a constant that agrees to 30 digits: simplify would only spend the time limit
                previous = strategy(difference, previous)
                if previous == 0:
                    return Check("proved", name)
    except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError):
        pass  # a strategy that cannot handle this form just does not prove it
    return numeric
