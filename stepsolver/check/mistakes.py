"""Common mistakes, worked on the problem itself: the answer a student who makes one mistake
every time its rule comes up would hand in ((fg)' as f'g', the quotient rule's numerator
reversed, the chain rule's inner factor forgotten, …) is what a wrong answer is matched against.

The mistakes are declared beside the rules they corrupt (``calculus/rules.py`` and
``calculus/function_rules.py``); this module only works them: the step engine, with its own
strategy, except that the corrupted rules take the place of the right ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..calculus import function_rules as _functions  # noqa: F401  (declares the functions' mistakes)
from ..calculus.derivative import Engine
from ..calculus.rules import MISTAKES as DECLARED
from ..calculus.strategy import DERIVATIVE
from ..core.rewriting import Mistake
from ..core.terms import pending
from ..errors import StepsolverError

# id → the mistake (what it is in words, the rule it gets wrong), in the order of the shared
# vocabulary (../shared/cases/answers.json), which is the order a diagnosis lists them in
_ORDER = (
    "product_as_product", "product_as_sum", "quotient_sign", "quotient_no_square", "quotient_as_quotient",
    "chain_missing_inner", "log_reciprocal_of_log", "power_rule_on_exponential", "exponent_not_reduced",
    "integrated_instead", "negative_power", "trig_sign", "constant_as_variable", "reciprocal_of_derivative",
    "partial_dropped_factor",
)  # fmt: skip
MISTAKES: dict[str, Mistake] = {i: DECLARED[i] for i in sorted(DECLARED, key=_ORDER.index)}
FAILURES = (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError,
            StepsolverError)  # fmt: skip


@dataclass
class Candidate:
    mistake: str
    answer: sp.Expr
    sites: list[sp.Expr]


def derivative(f: sp.Expr, x: sp.Symbol, bug: str | None = None) -> tuple[sp.Expr, list[sp.Expr]]:
    """f' as a student making ``bug`` (None: no mistake) would work it, and where the bug struck."""
    if bug is None:
        return sp.diff(f, x), []
    mistake = DECLARED[bug]
    if mistake.answer is not None:
        return mistake.answer(f, x), [f]
    sites: list[sp.Expr] = []
    engine = Engine(mistake.strategy(DERIVATIVE, sites))
    steps = engine.steps(f, x)
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
