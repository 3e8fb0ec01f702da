"""The one envelope every worked result is made in: a size limit on what comes in, a time limit
on the work, deep nesting reported as bad input, every step verified, and nothing shown that
does not verify. Calculus, graphs, linear algebra, slopes and gradients all go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

import sympy as sp

from ..errors import RuleError, StepsolverError, VerificationError
from .derivation import VerificationReport
from .terms import size
from .timeout import time_limit

MAX_SECONDS = 20.0  # for one worked result, checks included
MAX_PARTS = 600  # sub-terms of an input expression: each becomes at least one step on the board


class Verifiable(Protocol):
    def verify(self) -> VerificationReport: ...


W = TypeVar("W", bound=Verifiable)


def require_size(expr: sp.Basic, limit: int = MAX_PARTS) -> None:
    parts = size(expr)
    if parts > limit:
        raise RuleError(f"the expression has {parts} parts; the limit for a worked solution is {limit}")


def worked(build: Callable[[], W], what: str, seconds: float | None = None) -> W:
    """``build()`` within ``seconds`` (default MAX_SECONDS), verified; ``what`` names the result
    in a refusal."""
    seconds = MAX_SECONDS if seconds is None else seconds
    try:
        with time_limit(seconds) as limit:
            result = build()
            report = result.verify()
    except RecursionError:
        raise RuleError("the expression is nested too deeply to work step by step") from None
    except (OverflowError, MemoryError):  # an exact number past what can be held: 2^2^2^2^2^2^2^2
        raise RuleError(f"the numbers in this {what} grow too large to work exactly; try smaller ones") from None
    except (NotImplementedError, ValueError) as error:
        if isinstance(error, StepsolverError):
            raise
        # SymPy's own limits (a piecewise in two variables it cannot rewrite): said in one line
        said = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
        raise RuleError(f"SymPy could not work this {what}: {said[:200]}") from None
    if limit.expired:
        raise RuleError(f"the {what} took longer than {seconds:.0f} s; try a smaller expression")
    if not report.ok:
        raise VerificationError(f"refusing to show an unverified {what}: {report.summary()}")
    return result
