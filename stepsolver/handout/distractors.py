"""Wrong options for a multiple-choice derivative: the answers the common mistakes give for that
very problem (``check.mistakes``), each with the mistake explained as its feedback.

An option is kept only when the house's checker (``check.equivalence.compare``) finds it
different from the key and from every option kept before it: a mistake that happens to give the
right answer in another form, or the same wrong answer as an earlier mistake, would be a second
right option or a duplicate. "Undecided" is not different: an option that might be right is out.

Every step has a wall-clock bound (``core.timeout``); a mistake that fails or runs out of time is
skipped, and the whole call ends, with what it has found, after ``TOTAL_SECONDS``. Off the main
thread there are no signals and so no bounds (see ``core.timeout``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import sympy as sp

from ..check import mistakes
from ..check.equivalence import compare
from ..core.notation import latex
from ..core.timeout import time_limit

MISTAKE_SECONDS = 1.0  # working one mistake: ∫ (integrated_instead) of a long product can run for minutes
COMPARE_SECONDS = 2.0  # one option against the key and the options already kept
TOTAL_SECONDS = 10.0  # the whole problem: a handout of many variants is never held up by one

T = TypeVar("T")

# the declared order, whole-answer mistakes (an antiderivative handed in) after the rule-level
# ones, as a diagnosis lists them: where two mistakes give the same answer, the rule's is named
ORDER = sorted(mistakes.MISTAKES, key=lambda bug: mistakes.MISTAKES[bug].answer is not None)


@dataclass(frozen=True)
class Distractor:
    mistake: str  # an id of ``check.mistakes.MISTAKES``
    answer: sp.Expr  # what the mistake hands in (its value at the point, when one is given)
    latex: str
    feedback: str  # the mistake in words, its maths as inline TeX \( … \)


def feedback(mistake: str, site: sp.Expr) -> str:
    """The sentence ``check_answer`` names a mistake with (``check.answer._diagnose``): its
    meaning, where it was made, and the right rule; the maths set as inline TeX, which both
    MathJax (Moodle, HTML) and LaTeX typeset."""
    meaning, correct = mistakes.MISTAKES[mistake].meaning, mistakes.MISTAKES[mistake].rule
    return f"{meaning}, at \\({latex(site)}\\); the {correct.title.lower()} is \\({correct.formula}\\)"


def _bounded(seconds: float, work: Callable[[], T]) -> T | None:
    """``work()``, or None when it fails as an odd problem can make it fail or runs out of time."""
    with time_limit(seconds):
        try:
            return work()
        except mistakes.FAILURES:
            return None
    return None  # its own expiry is swallowed by ``time_limit``; an enclosing one's goes on up


def _worked(f: sp.Expr, x: sp.Symbol, bug: str) -> tuple[sp.Expr, sp.Expr] | None:
    """The answer of mistake ``bug`` and the first term it was made at, as ``candidates`` works
    it (a mistake that could not be made here has no site and is not a candidate)."""
    answer, sites = mistakes.derivative(f, x, bug)
    return (sp.sympify(answer), sites[0]) if sites else None


def _at(value: sp.Expr, at: dict[sp.Symbol, sp.Expr] | None) -> sp.Expr | None:
    """The exact value at the point; None where the formula is undefined or not real there (a
    student's formula with ln of a negative number is no option to a real question)."""
    if not at:
        return value
    exact = sp.sympify(value).subs(at).doit()
    if exact.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or exact.is_finite is False or exact.is_real is False:
        return None
    return exact


def _new(answer: sp.Expr, key: sp.Expr, kept: list[Distractor], within: list[sp.Expr]) -> bool:
    return all(
        compare(answer, other, within=within).status == "different" for other in [key, *(d.answer for d in kept)]
    )


def _option(
    f: sp.Expr, x: sp.Symbol, bug: str, key: sp.Expr, at: dict[sp.Symbol, sp.Expr] | None, kept: list[Distractor]
) -> Distractor | None:
    worked = _bounded(MISTAKE_SECONDS, partial(_worked, f, x, bug))
    if worked is None:
        return None
    answer = _at(worked[0], at)
    if answer is None:
        return None
    # a derivative is compared where f is defined, as check_answer does; a value needs no domain
    within = [] if at else [f]
    if not _bounded(COMPARE_SECONDS, partial(_new, answer, key, kept, within)):
        return None
    return Distractor(bug, answer, latex(answer), feedback(bug, worked[1]))


def derivative_distractors(
    f: sp.Expr, x: sp.Symbol, key: sp.Expr, at: dict[sp.Symbol, sp.Expr] | None = None, most: int = 4
) -> list[Distractor]:
    """At most ``most`` wrong answers to d/dx f, one per mistake in ``ORDER``, each different
    from ``key`` and from the others. ``at``: the point the derivative is asked at; the options
    (and the key) are then the exact values there."""
    kept: list[Distractor] = []
    with time_limit(TOTAL_SECONDS):
        right = _bounded(COMPARE_SECONDS, partial(_at, sp.sympify(key), at))
        for bug in ORDER:
            if right is None or len(kept) >= most:
                break
            try:
                option = _option(f, x, bug, right, at, kept)
            except mistakes.FAILURES:
                continue  # an answer the notation cannot print: the mistake is skipped, not the problem
            if option is not None:
                kept.append(option)
    return kept


__all__ = ["Distractor", "derivative_distractors", "feedback"]
