"""Common mistakes, worked on the problem itself: the answer a student who makes one mistake
every time its rule comes up would hand in ((fg)' as f'g', the quotient rule's numerator
reversed, the chain rule's inner factor forgotten, …) is what a wrong answer is matched against.

The mistakes are declared beside the rules they corrupt (``calculus/rules.py`` and
``calculus/function_rules.py``); this module only works them: the step engine, with the house's
strategy, except that the corrupted rules take the place of the right ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..calculus import function_rules  # noqa: F401  (declares the mistakes made with the functions' rules)
from ..calculus import rules as derivative_rules
from ..calculus.derivative import Engine
from ..calculus.strategy import DERIVATIVE
from ..core.rewriting import Application, Mistake, RewriteRule
from ..core.terms import pending
from ..errors import StepsolverError
from ..functions import to_elementary

# id → the mistake, in the order the rules declare them (which is the order a diagnosis lists them in)
MISTAKES: dict[str, Mistake] = dict(derivative_rules.MISTAKES)
FAILURES = (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError,
            StepsolverError)  # fmt: skip


def _worked_whole(f: sp.Expr, x: sp.Symbol, engine: Any) -> Application:
    return Application(derivative_rules.LOG_DIFFERENTIATION, sp.diff(to_elementary(f), x))


# f^g is not worked rule by rule by a student: its product g ln f is the engine's own rewrite, not
# something the student wrote, so no mistake is made (or diagnosed) inside it
_LOG = derivative_rules.LOG_DIFFERENTIATION
STUDENT = DERIVATIVE.swapped({_LOG: RewriteRule(_LOG.id, _LOG.title, _LOG.formula, _LOG.matches, _worked_whole)})


@dataclass
class Candidate:
    mistake: str
    answer: sp.Expr
    sites: list[sp.Expr]


def derivative(f: sp.Expr, x: sp.Symbol, bug: str) -> tuple[sp.Expr, list[sp.Expr]]:
    """f' as a student making mistake ``bug`` every time would work it, and where it was made
    (each site a term of the problem as written)."""
    mistake = MISTAKES[bug]
    if mistake.answer is not None:
        return mistake.answer(f, x), [f]
    sites: list[sp.Expr] = []
    steps = Engine(mistake.strategy(STUDENT, sites)).steps(f, x)
    answer = steps[-1].after if steps else pending(f, x)
    return sp.sympify(answer).doit(), sites


def candidates(f: sp.Expr, x: sp.Symbol) -> list[Candidate]:
    """Every listed mistake that applies to this problem, with the answer it produces."""
    out = []
    for mistake in MISTAKES:
        try:
            answer, sites = derivative(f, x, mistake)
        except FAILURES:
            continue
        if sites:
            out.append(Candidate(mistake, answer, sites))
    return out
