"""A bounded symbolic proof that two expressions are equal, only ever asked for once the points
found no difference: expanded, cancelled, or (given more time) simplified to 0, within a time
limit. Kept apart from the numeric check (``equivalence``), which decides when a proof is tried
and how long it may take.
"""

from __future__ import annotations

import sympy as sp

from ..core.timeout import time_limit
from ..functions import to_elementary
from .assumptions import Assumption, assumed_symbols

CHEAP_PROOF_SECONDS = 0.5
FULL_PROOF_SECONDS = 1.5


def prove(a: sp.Expr, r: sp.Expr, assume: dict[str, Assumption], seconds: float) -> str:
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
    except (TypeError, ValueError, NotImplementedError, RecursionError, ArithmeticError, AttributeError,
            MemoryError):  # fmt: skip
        pass  # its own limit ending is swallowed by ``time_limit``; an enclosing one's goes on up
    return ""
