"""A worked linear-algebra operation: its derivation, made and verified in the house's envelope,
composed with the value the operation asks for (a number, a Matrix, True/False for a check,
eigenvalues with their eigenvectors, (U, Σ, V)) and the NumPy line that computes the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step
from ..core.envelope import worked


def finish(
    kind: str,
    text: str,
    start: sp.Basic,
    steps: list[Step],
    value: Any = None,
    numpy: str = "",
    conclusion: str = "",
    singular_values: Sequence[sp.Expr] = (),
) -> Answer:
    """Assemble and verify (every step and side derivation); refuse anything unverified."""
    context = LinalgContext(kind, conclusion, tuple(singular_values))
    derivation = worked(lambda: Derivation(text, start, steps, context), kind)
    return Answer(derivation, derivation.result if value is None else value, numpy)
