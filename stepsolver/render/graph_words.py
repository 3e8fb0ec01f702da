"""What the text, Markdown and LaTeX of a computation graph say alike: the point, the decimal
beside an exact value, and the sentence of how the graph was checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import sympy as sp

from ..core.notation import assignments, decimal, text

if TYPE_CHECKING:
    from ..graph.api import ComputationGraph

DIGITS = 6  # of the decimals beside exact values


def approx(value: sp.Expr) -> str:
    return "" if value.free_symbols or value.is_Rational else f" ≈ {decimal(value, DIGITS)}"


def point(graph: ComputationGraph, show: Callable[[sp.Expr], str] = text) -> str:
    return assignments(graph.point, show)


def checks(graph: ComputationGraph) -> str:
    compared = set(graph.backward_pass.compared.values())
    agreement = (
        "; ".join(f"∂f/∂{name}: {how}" for name, how in graph.backward_pass.compared.items())
        if len(compared) > 1
        else (f"every input's adjoint is {compared.pop()}" if compared else "")
    )
    return graph.report.summary() + (f"; {agreement}" if agreement else "")
