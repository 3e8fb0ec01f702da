"""The graph drawn with its values and adjoints: TikZ for LaTeX handouts, SVG for Markdown/HTML.

Both pictures share one layered layout: inputs and constants on the left, each operation one
column right of its deepest child, the output last; within a column, nodes are ordered by the
mean height of their children so that edges cross as little as a single pass can manage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import sympy as sp

from ..render.printers import decimal, latex, text
from .model import Node

if TYPE_CHECKING:
    from .api import ComputationGraph

_DIGITS = 4


@dataclass
class Placed:
    node: Node
    column: int
    row: float
    value: str  # "= ln 6 ≈ 1.792" (text) or the LaTeX of it
    adjoint: str


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
    return [Placed(node, column[node.name], rows[node.name], "", "") for node in nodes.values()]


def _labels(graph: ComputationGraph, node: Node, as_latex: bool) -> tuple[str, str, str]:
    def show(expr: sp.Expr) -> str:  # values in SymPy's usual order: ln 6 + 9
        return latex(expr, typed=False) if as_latex else text(expr, typed=False)

    name = show(node.symbol)
    title = name
    if node.kind == "operation":  # the node's formula as typed: f = x·w
        title = f"{name} = {latex(node.local) if as_latex else text(node.local)}"
    value = adjoint = ""
    if node.name in graph.values and node.kind != "constant":
        exact = graph.values[node.name]
        value = f"= {show(exact)}" if exact.is_Rational else f"= {show(exact)} ≈ {decimal(exact, _DIGITS)}"
        if as_latex:
            value = value.replace("≈", r"\approx")
    if node.kind != "constant" and node.name in graph.adjoints:
        d = graph.adjoints[node.name]
        shown = (
            show(d)
            if (d.is_Rational or len(text(d)) <= 16)
            else f"≈ {decimal(d, _DIGITS)}"
            if not d.free_symbols
            else "…"
        )
        out = show(graph.graph.nodes[graph.graph.output].symbol)
        adjoint = rf"\partial {out}/\partial {name} = {shown}" if as_latex else f"∂{out}/∂{name} = {shown}"
    return title, value, adjoint


def _edge_label(graph: ComputationGraph, parent: str, child: str, as_latex: bool) -> str:
    local = graph.backward_pass.local.get((parent, child))
    if local is None:
        return ""
    symbols = {n.symbol: v for n in graph.graph.nodes.values() if (v := graph.values.get(n.name)) is not None}
    value = local.result.subs(symbols) if symbols else local.result
    show = latex if as_latex else text
    return (
        show(value, typed=False)
        if len(text(value)) <= 14
        else (decimal(value, _DIGITS) if not value.free_symbols else "")
    )


def graph_tikz(graph: ComputationGraph) -> str:
    """A tikzpicture (needs \\usepackage{tikz}): values in black, adjoints ∂f/∂u in red, and
    each edge labelled with its local derivative ∂p/∂u."""
    placed = layout(graph)
    ids = {p.node.name: f"n{index}" for index, p in enumerate(placed)}
    lines = [
        r"\begin{tikzpicture}[>=stealth, x=4.2cm, y=1.9cm, font=\small,",
        r"  op/.style={draw, rounded corners, fill=blue!6, align=center, inner sep=3pt},",
        r"  input/.style={draw, rounded corners=6pt, fill=green!10, align=center, inner sep=3pt},",
        r"  constant/.style={draw, dashed, circle, align=center, inner sep=1pt, font=\footnotesize},",
        r"  local/.style={font=\scriptsize, fill=white, inner sep=1pt, sloped}]",
    ]
    for p in placed:
        title, value, adjoint = _labels(graph, p.node, as_latex=True)
        style = {"operation": "op", "input": "input", "constant": "constant"}[p.node.kind]
        body = rf"${title}$"
        if value:
            body += rf"\\ ${value}$"
        if adjoint:
            body += rf"\\ \textcolor{{red}}{{${adjoint}$}}"
        lines.append(rf"\node[{style}] ({ids[p.node.name]}) at ({p.column}, {-p.row:.2f}) {{{body}}};")
    for p in placed:
        for child in p.node.children:
            label = _edge_label(graph, p.node.name, child, as_latex=True)
            mid = rf" node[local] {{${label}$}}" if label else ""
            lines.append(rf"\draw[->] ({ids[child]}) --{mid} ({ids[p.node.name]});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


_W, _H, _PAD = 230, 96, 20


def _box_width(lines: list[str]) -> int:
    return max(60, 8 * max(len(line) for line in lines) + 16)


def graph_svg(graph: ComputationGraph) -> str:
    """A standalone SVG: the same picture as the TikZ, in Unicode text."""
    placed = layout(graph)
    rows = [p.row for p in placed]
    top = min(rows)
    columns = max(p.column for p in placed) + 1
    width = columns * _W + 2 * _PAD
    height = int((max(rows) - top + 1) * _H) + 2 * _PAD
    centre = {p.node.name: (_PAD + p.column * _W + _W / 2 - 20, _PAD + (p.row - top) * _H + _H / 2) for p in placed}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="13">',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' "
        "orient='auto-start-reverse'><path d='M 0 0 L 10 5 L 0 10 z' fill='#444'/></marker></defs>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    boxes = {}
    for p in placed:
        lines = [part for part in _labels(graph, p.node, as_latex=False) if part]
        boxes[p.node.name] = (_box_width(lines), 18 * len(lines) + 10, lines)
    for p in placed:
        x2, y2 = centre[p.node.name]
        w2 = boxes[p.node.name][0]
        for child in p.node.children:
            x1, y1 = centre[child]
            w1 = boxes[child][0]
            out.append(
                f'<line x1="{x1 + w1 / 2:.1f}" y1="{y1:.1f}" x2="{x2 - w2 / 2:.1f}" y2="{y2:.1f}" '
                'stroke="#444" stroke-width="1.2" marker-end="url(#arrow)"/>'
            )
            label = _edge_label(graph, p.node.name, child, as_latex=False)
            if label:
                mx, my = (x1 + w1 / 2 + x2 - w2 / 2) / 2, (y1 + y2) / 2 - 4
                out.append(
                    f'<text x="{mx:.1f}" y="{my:.1f}" font-size="11" fill="#1a5fb4" '
                    f'text-anchor="middle">{escape(label)}</text>'
                )
    fills = {"operation": "#eef2fb", "input": "#e9f7e9", "constant": "#f5f5f5"}
    for p in placed:
        x, y = centre[p.node.name]
        w, h, lines = boxes[p.node.name]
        dash = ' stroke-dasharray="4 3"' if p.node.kind == "constant" else ""
        out.append(
            f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w}" height="{h}" rx="8" '
            f'fill="{fills[p.node.kind]}" stroke="#333"{dash}/>'
        )
        for index, line in enumerate(lines):
            colour = "#c01c28" if line.startswith("∂") else "#000"
            ty = y - h / 2 + 19 + 18 * index
            out.append(f'<text x="{x:.1f}" y="{ty:.1f}" text-anchor="middle" fill="{colour}">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
