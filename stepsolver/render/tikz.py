"""The computation graph as a tikzpicture for LaTeX handouts (needs \\usepackage{tikz})."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Renderer
from .graph_layout import edge_label, labels, layout

if TYPE_CHECKING:
    from ..graph.api import ComputationGraph


class TikzRenderer(Renderer):
    format = "tikz"

    def _render_ComputationGraph(self, graph: ComputationGraph, **_: Any) -> str:
        """Values in black, adjoints ∂f/∂u in red, each edge labelled with its local derivative ∂p/∂u."""
        placed = layout(graph)
        ids = {p.node.name: f"n{index}" for index, p in enumerate(placed)}
        lines = [
            r"\begin{tikzpicture}[>=stealth, x=4.2cm, y=1.9cm, font=\small,",
            r"  op/.style={draw, rounded corners, fill=blue!6, align=center, inner sep=3pt},",
            r"  input/.style={draw, rounded corners=6pt, fill=green!10, align=center, inner sep=3pt},",
            r"  constant/.style={draw, dashed, circle, align=center, inner sep=1pt, minimum size=1.6em,",
            r"    font=\footnotesize},",
            r"  local/.style={font=\scriptsize, fill=white, inner sep=1pt, sloped}]",
        ]
        for p in placed:
            title, value, adjoint = labels(graph, p.node, as_latex=True)
            style = {"operation": "op", "input": "input", "constant": "constant"}[p.node.kind]
            body = rf"${title}$"
            if value:
                body += rf"\\ ${value}$"
            if adjoint:
                body += rf"\\ \textcolor{{red}}{{${adjoint}$}}"
            lines.append(rf"\node[{style}] ({ids[p.node.name]}) at ({p.column}, {-p.row:.2f}) {{{body}}};")
        where = {p.node.name: p for p in placed}
        for p in placed:
            for child in p.node.children:
                label = edge_label(graph, p.node.name, child, as_latex=True)
                mid = rf" node[local] {{${label}$}}" if label else ""
                start = where[child]
                # an edge that skips a column would cross the boxes between: it bends round them, outwards
                path = "--"
                if p.column - start.column > 1:
                    path = "to[bend left=12]" if start.row <= p.row else "to[bend right=12]"
                lines.append(rf"\draw[->] ({ids[child]}) {path}{mid} ({ids[p.node.name]});")
        lines.append(r"\end{tikzpicture}")
        return "\n".join(lines)
