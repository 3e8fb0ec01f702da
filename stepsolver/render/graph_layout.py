"""Where the TikZ and SVG pictures of a graph put each node, and what its box says.

Both pictures share one layered layout: inputs and constants on the left, each operation one
column right of its deepest child, the output last; within a column, nodes are ordered by the
mean height of their children so that edges cross as little as a single pass can manage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from ..core.notation import decimal, latex, text

if TYPE_CHECKING:
    from ..graph.api import ComputationGraph
    from ..graph.model import Node

DIGITS = 4


@dataclass
class Placed:
    node: Node
    column: int
    row: float


def layout(graph: ComputationGraph) -> list[Placed]:
    nodes = graph.graph.nodes
    column: dict[str, int] = {}
    for node in nodes.values():  # topological order: children are placed first
        column[node.name] = 1 + max((column[c] for c in node.children), default=-1)
    rows: dict[str, float] = {}
    by_column: dict[int, list[str]] = {}
    for name in nodes:
        by_column.setdefault(column[name], []).append(name)
    for index in sorted(by_column):
        names = by_column[index]
        if index > 0:
            names.sort(key=lambda n: sum(rows[c] for c in nodes[n].children) / max(len(nodes[n].children), 1))
        offset = (len(names) - 1) / 2
        for position, name in enumerate(names):
            rows[name] = position - offset
    return [Placed(node, column[node.name], rows[node.name]) for node in nodes.values()]


def labels(graph: ComputationGraph, node: Node, as_latex: bool) -> tuple[str, str, str]:
    """(title, value, adjoint) of a node's box: "u = ln(3·y)", "= ln 6 ≈ 1.792", "∂f/∂u = 1"."""

    def show(expr: sp.Expr) -> str:  # values in SymPy's usual order: ln 6 + 9
        return latex(expr, typed=False) if as_latex else text(expr, typed=False)

    name = show(node.symbol)
    title = name
    if node.kind == "operation":  # the node's formula as typed: f = x·w
        title = f"{name} = {latex(node.local) if as_latex else text(node.local)}"
    value = adjoint = ""
    if node.name in graph.values and node.kind != "constant":
        exact = graph.values[node.name]
        value = f"= {show(exact)}" if exact.is_Rational else f"= {show(exact)} ≈ {decimal(exact, DIGITS)}"
        if as_latex:
            value = value.replace("≈", r"\approx")
    if node.kind != "constant" and node.name in graph.adjoints:
        d = graph.adjoints[node.name]
        shown = (
            show(d)
            if (d.is_Rational or len(text(d)) <= 16)
            else f"≈ {decimal(d, DIGITS)}"
            if not d.free_symbols
            else "…"
        )
        out = show(graph.graph.nodes[graph.graph.output].symbol)
        adjoint = rf"\partial {out}/\partial {name} = {shown}" if as_latex else f"∂{out}/∂{name} = {shown}"
    return title, value, adjoint


def edge_label(graph: ComputationGraph, parent: str, child: str, as_latex: bool) -> str:
    """The edge's local derivative ∂parent/∂child at the point, if it is short enough to read."""
    local = graph.backward_pass.local.get((parent, child))
    if local is None:
        return ""
    symbols = {n.symbol: v for n in graph.graph.nodes.values() if (v := graph.values.get(n.name)) is not None}
    value = local.result.subs(symbols) if symbols else local.result
    show = latex if as_latex else text
    return (
        show(value, typed=False)
        if len(text(value)) <= 14
        else (decimal(value, DIGITS) if not value.free_symbols else "")
    )
