"""What every format says around a matrix derivation: its title, the shapes, the named parts,
and how it was checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..matrixcalc.api import MatrixGradient


def what(result: MatrixGradient) -> str:
    return {"gradient": "Gradient", "jacobian": "Jacobian", "hessian": "Hessian"}[result.context.what]


def shapes(result: MatrixGradient) -> str:
    """x ∈ ℝ^{n×1}, A ∈ ℝ^{n×n} in words: "x: n×1, A: n×n"."""
    from ..matrixcalc import terms as t
    from ..matrixcalc.notation import text_of

    seen: dict[str, str] = {}
    for leaf in [result.var, *t.leaves(result.f)]:
        rows, cols = leaf.shape
        seen.setdefault(text_of(leaf), "scalar" if leaf.is_scalar else f"{rows}×{cols}")
    return ", ".join(f"{name}: {shape}" for name, shape in seen.items())


def names(result: MatrixGradient, show: Callable[[object], str]) -> list[str]:
    return [f"{show(named)} = {show(named.definition)}" for named in result.context.names]


def checked(result: MatrixGradient) -> str:
    """One sentence: how the steps were checked and what the finite differences gave."""
    report = result.verify()
    failure = report.first_failure
    if failure is not None:
        where, check = failure
        return f"NOT VERIFIED: {where}: {check.describe()}"
    steps = [(w, c) for w, c in report.checks if not w.endswith("the result")]
    proved = [c for _, c in steps if c.status == "proved"]
    sized = [c for _, c in steps if c.status == "sizes"]
    numeric = [c for _, c in steps if c.status == "numeric"]
    parts = [f"{len(steps)} step{'s' if len(steps) != 1 else ''}"]
    if proved:
        parts.append(f"{len(proved)} proved (the scalar side derivations)")
    if sized:
        parts.append(f"{len(sized)} {sized[0].method}")
    if numeric:
        parts.append(f"{len(numeric)} numerically only, {numeric[0].method}")
    fd = result.finite_differences
    if fd is not None:
        parts.append(f"the result {fd.as_check().method}")
    return "Checked: " + "; ".join(parts) + "."
