"""Standalone SVG pictures for Markdown and HTML: the computation graph (the same picture as
its TikZ, in Unicode text), a slope's function with its tangent and secant, and at a kink the
two one-sided slopes."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import sympy as sp

from ..core.notation import text
from .base import Renderer
from .graph_layout import edge_label, labels, layout
from .samples import HALF_WIDTH, at_a_plus_h, half_tangents, lines, require_drawable, samples

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.one_sided import OneSidedSlopes
    from ..graph.api import ComputationGraph

_W, _H, _PAD = 230, 96, 20  # a graph's column width, row height and margin
_FILLS = {"operation": "#eef2fb", "input": "#e9f7e9", "constant": "#f5f5f5"}


def _box_width(lines: list[str]) -> int:
    return max(60, 8 * max(len(line) for line in lines) + 16)


class SvgRenderer(Renderer):
    format = "svg"

    def _render_ComputationGraph(self, graph: ComputationGraph, **_: Any) -> str:
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
            shown = [part for part in labels(graph, p.node, as_latex=False) if part]
            boxes[p.node.name] = (_box_width(shown), 18 * len(shown) + 10, shown)
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
                label = edge_label(graph, p.node.name, child, as_latex=False)
                if label:
                    mx, my = (x1 + w1 / 2 + x2 - w2 / 2) / 2, (y1 + y2) / 2 - 4
                    out.append(
                        f'<text x="{mx:.1f}" y="{my:.1f}" font-size="11" fill="#1a5fb4" '
                        f'text-anchor="middle">{escape(label)}</text>'
                    )
        for p in placed:
            x, y = centre[p.node.name]
            w, h, shown = boxes[p.node.name]
            dash = ' stroke-dasharray="4 3"' if p.node.kind == "constant" else ""
            out.append(
                f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w}" height="{h}" rx="8" '
                f'fill="{_FILLS[p.node.kind]}" stroke="#333"{dash}/>'
            )
            for index, line in enumerate(shown):
                colour = "#c01c28" if line.startswith("∂") else "#000"
                ty = y - h / 2 + 19 + 18 * index
                out.append(f'<text x="{x:.1f}" y="{ty:.1f}" text-anchor="middle" fill="{colour}">{escape(line)}</text>')
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _render_Slope(self, s: Slope, width: int = 640, height: int = 400, **_: Any) -> str:
        require_drawable(s)
        a = float(s.a)
        fa, tangent, secant, ah = lines(s)
        plot = _Plot(s, fa, width, height)
        out = plot.begin()
        out.append(plot.line(tangent, "#c01c28"))
        out.append(plot.line(secant, "#1a5fb4", ' stroke-dasharray="6 4"'))
        out += [plot.dot(a, fa), plot.dot(ah, at_a_plus_h(s))]
        legend = [
            ("#c01c28", f"tangent, slope {text(s.exact, typed=False)}"),
            ("#1a5fb4", f"secant, h = {sp.sstr(s.h)}, slope {text(s.slope, typed=False)}"),
        ]
        return plot.end(out, legend)

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, width: int = 640, height: int = 400, **_: Any) -> str:
        require_drawable(s)
        a = float(s.a)
        fa = float(s.function.subs(s.variable, s.a).evalf(15))
        plot = _Plot(s, fa, width, height)
        out = plot.begin()
        legend = []
        for side, slope, end, y in half_tangents(s):
            colour = "#c01c28" if side == "left" else "#1a5fb4"
            out.append(
                f'<line x1="{plot.px(a):.1f}" y1="{plot.py(fa):.1f}" x2="{plot.px(end):.1f}" y2="{plot.py(y):.1f}" '
                f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            )
            legend.append((colour, f"slope from the {side} {slope:.6g}"))
        out.append(plot.dot(a, fa))
        return plot.end(out, legend)


class _Plot:
    """The frame of a slope picture: axes box, the sampled curve, ticks and a legend."""

    pad = 40

    def __init__(self, s: Slope | OneSidedSlopes, fa: float, width: int, height: int):
        self.s, self.width, self.height = s, width, height
        self.a = float(s.a)
        self.pieces = samples(s)
        ys = [y for piece in self.pieces for _, y in piece] + [fa]
        self.y_lo, self.y_hi = min(ys), max(ys)
        if self.y_hi - self.y_lo < 1e-9:
            self.y_lo, self.y_hi = self.y_lo - 1, self.y_hi + 1
        self.fa = fa
        self.lo, self.hi = self.a - HALF_WIDTH, self.a + HALF_WIDTH

    def px(self, x: float) -> float:
        return self.pad + (x - self.lo) / (self.hi - self.lo) * (self.width - 2 * self.pad)

    def py(self, y: float) -> float:
        return self.height - self.pad - (y - self.y_lo) / (self.y_hi - self.y_lo) * (self.height - 2 * self.pad)

    def line(self, m: float, colour: str, dash: str = "") -> str:
        x1, x2, a, fa = self.lo, self.hi, self.a, self.fa
        return (
            f'<line x1="{self.px(x1):.1f}" y1="{self.py(fa + m * (x1 - a)):.1f}" x2="{self.px(x2):.1f}" '
            f'y2="{self.py(fa + m * (x2 - a)):.1f}" stroke="{colour}" stroke-width="1.5"{dash}/>'
        )

    def dot(self, x: float, y: float) -> str:
        return f'<circle cx="{self.px(x):.1f}" cy="{self.py(y):.1f}" r="3.5" fill="black"/>'

    def begin(self) -> list[str]:
        width, height, pad = self.width, self.height, self.pad
        # one id per picture: a notebook or page with several must not share one clip path
        clip = f"plot-{zlib.crc32(f'{sp.srepr(self.s.function)}@{self.s.a}@{type(self.s).__name__}'.encode()):08x}"
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="13">',
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<defs><clipPath id="{clip}"><rect x="{pad}" y="{pad}" width="{width - 2 * pad}" '
            f'height="{height - 2 * pad}"/></clipPath></defs>',
            f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" '
            'fill="none" stroke="#999"/>',
            f'<g clip-path="url(#{clip})">',
        ]
        for piece in self.pieces:
            points = " ".join(f"{self.px(x):.1f},{self.py(y):.1f}" for x, y in piece)
            out.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-width="2"/>')
        return out

    def end(self, out: list[str], legend: list[tuple[str, str]]) -> str:
        s, pad, height = self.s, self.pad, self.height
        out.append("</g>")
        legend = [("black", f"f({text(s.variable)}) = {text(s.function)}"), *legend]
        for index, (colour, label) in enumerate(legend):
            out.append(f'<text x="{pad + 8}" y="{pad + 18 + 18 * index}" fill="{colour}">{escape(label)}</text>')
        for tick in range(-HALF_WIDTH, HALF_WIDTH + 1):
            x = self.a + tick
            out.append(
                f'<line x1="{self.px(x):.1f}" y1="{height - pad}" x2="{self.px(x):.1f}" y2="{height - pad + 5}" '
                'stroke="#999"/>'
            )
            out.append(
                f'<text x="{self.px(x):.1f}" y="{height - pad + 18}" text-anchor="middle" font-size="11">{x:g}</text>'
            )
        for y in (self.y_lo, self.y_hi):
            out.append(f'<text x="{pad - 4}" y="{self.py(y) + 4:.1f}" text-anchor="end" font-size="11">{y:.3g}</text>')
        out.append(
            f'<text x="{self.width - pad:.0f}" y="{height - 8}" text-anchor="end">{escape(text(s.variable))}</text>'
        )
        out.append("</svg>")
        return "\n".join(out) + "\n"
