"""Conditions of a piecewise derivative in one variable, solved: x < 3/2 for (x < 3/2) ∧ (x < 3),
no branch at all for (x > 0) ∧ (x < 0), x > 0 for x = |x| ∧ sgn x = 1."""

from __future__ import annotations

import sympy as sp
from sympy.core.relational import Relational

from ..core.timeout import time_limit
from ..functions import to_elementary


def where(condition: sp.Basic, x: sp.Symbol) -> sp.Basic:
    """x < 3/2 for (x < 3/2) ∧ (x < 3), false for (x > 3) ∧ (x > 2x), x > 0 for x = |x| ∧ sgn x = 1:
    a condition in x alone, solved when it can be (quickly); otherwise as it is."""
    if condition.free_symbols != {x}:
        return condition
    try:
        with time_limit(1.0) as limit:
            solved = _solution(to_elementary(condition).rewrite(sp.Piecewise), x)
        if limit.expired:
            return condition
        return sp.false if solved is sp.EmptySet else solved.as_relational(x)
    except (NotImplementedError, ValueError, TypeError):
        return condition


def _solution(condition: sp.Basic, x: sp.Symbol) -> sp.Set:
    """The set of real x where ``condition`` holds; a piece at a time where |·|, sgn or a max make
    it piecewise (SymPy's own solver gives up on those)."""
    if isinstance(condition, sp.And):
        return sp.Intersection(*(_solution(part, x) for part in condition.args))
    if isinstance(condition, sp.Or):
        return sp.Union(*(_solution(part, x) for part in condition.args))
    if condition in (sp.true, sp.false):
        return sp.S.Reals if condition == sp.true else sp.EmptySet
    if isinstance(condition, Relational) and condition.has(sp.Piecewise):
        folded = sp.piecewise_fold(condition)
        if isinstance(folded, sp.Piecewise):
            pieces, covered = [], sp.EmptySet
            for holds, where in folded.args:
                region = sp.Complement(_solution(where, x), covered)
                pieces.append(sp.Intersection(_solution(holds, x), region))
                covered = sp.Union(covered, region)
            return sp.Union(*pieces)
    solved = condition.as_set()
    if isinstance(solved, sp.ConditionSet):
        raise NotImplementedError("not solved")
    return solved


def tidy_conditions(expr: sp.Expr) -> sp.Expr:
    """Each branch condition of each piecewise term solved where it can be, and branches that can
    never hold dropped (piecewise_fold leaves (x > 0) ∧ (x < 0) behind)."""

    def tidy(piecewise: sp.Expr) -> sp.Expr:
        symbols = piecewise.free_symbols
        if len(symbols) != 1:
            return piecewise
        (x,) = symbols
        kept = [(e, where(c, x)) for e, c in piecewise.args]
        kept = [(e, c) for e, c in kept if c != sp.false]
        return sp.Piecewise(*kept) if kept else piecewise

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), tidy)
