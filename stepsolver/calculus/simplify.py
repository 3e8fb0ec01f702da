"""Named simplification steps from the textbook form to a tidy result.

Only cheap, predictable rewrites are tried (cancel, factor_terms, together, factor), within a
time bound. SymPy's general ``simplify`` is left out on purpose: its first call imports
``sympy.physics`` (~0.2 s) and its choices are hard to explain to a student. The shortest
form wins; nothing is shown unless it is a real change, and each change is a step the
verifier checks like any other.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..core.derivation import Step
from ..core.rules import ARITHMETIC, SIMPLIFY
from ..core.timeout import time_limit
from .conditions import tidy_conditions

SIMPLIFY_SECONDS = 1.0


def _size(expr: sp.Expr) -> tuple[int, int]:
    return (sp.count_ops(expr), len(str(expr)))


_CANDIDATES: list[Callable[[sp.Expr], sp.Expr]] = [
    sp.cancel,
    sp.factor_terms,
    lambda e: sp.factor_terms(sp.cancel(e)),
    sp.together,
]


def best_form(expr: sp.Expr, thorough: bool = True) -> sp.Expr:
    """The shortest of the candidate forms; ``thorough`` adds full factorisation."""
    best, best_size = expr, _size(expr)
    candidates = list(_CANDIDATES)
    if thorough:
        candidates.append(sp.factor)
    try:
        with time_limit(SIMPLIFY_SECONDS):
            for candidate in candidates:
                form = candidate(expr)
                size = _size(form)
                if size < best_size:
                    best, best_size = form, size
    except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError):
        pass  # a rewrite that does not apply to this form is simply not a candidate
    return best


def tidy_steps(term: sp.Expr) -> list[Step]:
    """Arithmetic (what SymPy does by itself), then simplification if it shortens the result."""
    steps: list[Step] = []
    evaluated = term.doit()
    if evaluated.has(sp.Piecewise):  # 2x·{0 if x < 0; 1 if x > 0} is {0 if x < 0; 2x if x > 0}
        folded = tidy_conditions(sp.piecewise_fold(evaluated))
        if _size(folded) <= _size(evaluated):  # folding copies what multiplies into every branch
            evaluated = folded
    if evaluated != term:
        steps.append(Step(ARITHMETIC, term, evaluated, typed_order=False))
    if not evaluated.has(sp.Piecewise):
        simplest = best_form(evaluated, thorough=sp.count_ops(evaluated) > 4)
        if simplest != evaluated:
            steps.append(Step(SIMPLIFY, evaluated, simplest, typed_order=False))
    return steps
