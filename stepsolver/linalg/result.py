"""A linear-algebra derivation: the usual chain of checked equalities, whose ``result`` is the
value the operation asks for (a number, a Matrix, True/False for a check, or for eigen a dict
eigenvalue → eigenvectors), and the NumPy line that computes the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.derivation import Derivation, Step
from ..errors import VerificationError


@dataclass
class LinalgDerivation(Derivation):
    value: Any = None
    numpy: str = ""  # the lecture's "In Python" line, e.g. np.trace(A)

    @property
    def result(self) -> Any:
        return self.value if self.value is not None else super().result


def finish(
    kind: str,
    text: str,
    start: sp.Basic,
    steps: list[Step],
    value: Any = None,
    numpy: str = "",
    conclusion: str = "",
    **variables: Any,
) -> LinalgDerivation:
    """Assemble, verify (every step and side derivation) and refuse anything unverified."""
    if conclusion:
        variables["conclusion"] = conclusion
    derivation = LinalgDerivation(kind, text, start, steps, variables, value=value, numpy=numpy)
    report = derivation.verify()
    if not report.ok:
        raise VerificationError(f"refusing to show an unverified {kind}: {report.summary()}")
    return derivation
