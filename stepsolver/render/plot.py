"""A function with the secant and the tangent at a point: pgfplots for LaTeX, SVG elsewhere.

The curve is sampled here (exactly evaluated, then rounded) rather than handed to pgfplots as
a formula, so that what is drawn is the function the derivation worked on, in any notation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import sympy as sp

from .printers import latex, text

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope

SAMPLES = 161
_HALF_WIDTH = 2


def _samples(s: Slope) -> list[list[tuple[float, float]]]:
    """The curve on [a − 2, a + 2] as polyline pieces, broken where f is undefined or not real."""
    a = float(s.a)
    pieces: list[list[tuple[float, float]]] = [[]]
    for index in range(SAMPLES):
        x = a - _HALF_WIDTH + 2 * _HALF_WIDTH * index / (SAMPLES - 1)
        value = s.function.subs(s.variable, sp.Rational(repr(x))).evalf(15)
        if value.is_real and value.is_finite and abs(float(value)) < 1e6:
            pieces[-1].append((x, float(value)))
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if len(piece) > 1]


def _lines(s: Slope) -> tuple[float, float, float, float]:
    """(f(a), tangent slope, secant slope, a + h) as floats."""
    fa = float(s.function.subs(s.variable, s.a).evalf(15))
    return fa, float(s.exact.evalf(15)), float(s.slope.evalf(15)), float((s.a + s.h).evalf(15))


def slope_pgfplots(s: Slope) -> str:
    a = float(s.a)
    fa, tangent, secant, ah = _lines(s)
    curves = "\n".join(
        r"\addplot[black, thick] coordinates {" + " ".join(f"({x:.5g},{y:.5g})" for x, y in piece) + "};"
        for piece in _samples(s)
    )
    lo, hi = a - _HALF_WIDTH, a + _HALF_WIDTH
    return "\n".join(
        [
            r"\begin{tikzpicture}",
            rf"\begin{{axis}}[width=11cm, height=7cm, xmin={lo:.4g}, xmax={hi:.4g}, axis lines=middle, "
            rf"xlabel=${latex(s.variable)}$, legend pos=outer north east, legend cell align=left]",
            curves,
            rf"\addlegendentry{{$f({latex(s.variable)}) = {latex(s.function)}$}}",
            rf"\addplot[red, domain={lo:.4g}:{hi:.4g}] {{{fa:.8g} + {tangent:.8g}*(x - {a:.8g})}};",
            rf"\addlegendentry{{tangent, slope ${latex(s.exact, typed=False)}$}}",
            rf"\addplot[blue, dashed, domain={lo:.4g}:{hi:.4g}] {{{fa:.8g} + {secant:.8g}*(x - {a:.8g})}};",
            rf"\addlegendentry{{secant, $h = {sp.sstr(s.h)}$}}",
            rf"\addplot[only marks, mark=*, mark size=1.5pt] coordinates {{({a:.8g},{fa:.8g}) ({ah:.8g},"
            rf"{float(s.function.subs(s.variable, s.a + s.h).evalf(15)):.8g})}};",
            r"\end{axis}",
            r"\end{tikzpicture}",
        ]
    )


def slope_svg(s: Slope, width: int = 640, height: int = 400) -> str:
    a = float(s.a)
    fa, tangent, secant, ah = _lines(s)
    pieces = _samples(s)
    ys = [y for piece in pieces for _, y in piece] + [fa]
    y_lo, y_hi = min(ys), max(ys)
    if y_hi - y_lo < 1e-9:
        y_lo, y_hi = y_lo - 1, y_hi + 1
    pad = 40
    lo, hi = a - _HALF_WIDTH, a + _HALF_WIDTH

    def px(x: float) -> float:
        return pad + (x - lo) / (hi - lo) * (width - 2 * pad)

    def py(y: float) -> float:
        return height - pad - (y - y_lo) / (y_hi - y_lo) * (height - 2 * pad)

    def line(m: float, colour: str, dash: str = "") -> str:
        x1, x2 = lo, hi
        return (
            f'<line x1="{px(x1):.1f}" y1="{py(fa + m * (x1 - a)):.1f}" x2="{px(x2):.1f}" '
            f'y2="{py(fa + m * (x2 - a)):.1f}" stroke="{colour}" stroke-width="1.5"{dash}/>'
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, sans-serif" font-size="13">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<defs><clipPath id="plot"><rect x="{pad}" y="{pad}" width="{width - 2 * pad}" '
        f'height="{height - 2 * pad}"/></clipPath></defs>',
        f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" fill="none" stroke="#999"/>',
        '<g clip-path="url(#plot)">',
    ]
    for piece in pieces:
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in piece)
        out.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-width="2"/>')
    out.append(line(tangent, "#c01c28"))
    out.append(line(secant, "#1a5fb4", ' stroke-dasharray="6 4"'))
    fah = float(s.function.subs(s.variable, s.a + s.h).evalf(15))
    for x, y in ((a, fa), (ah, fah)):
        out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="black"/>')
    out.append("</g>")
    legend = [
        ("black", f"f({text(s.variable)}) = {text(s.function)}"),
        ("#c01c28", f"tangent, slope {text(s.exact, typed=False)}"),
        ("#1a5fb4", f"secant, h = {sp.sstr(s.h)}, slope {text(s.slope, typed=False)}"),
    ]
    for index, (colour, label) in enumerate(legend):
        out.append(f'<text x="{pad + 8}" y="{pad + 18 + 18 * index}" fill="{colour}">{escape(label)}</text>')
    for tick in range(-_HALF_WIDTH, _HALF_WIDTH + 1):
        x = a + tick
        out.append(
            f'<line x1="{px(x):.1f}" y1="{height - pad}" x2="{px(x):.1f}" y2="{height - pad + 5}" stroke="#999"/>'
        )
        out.append(f'<text x="{px(x):.1f}" y="{height - pad + 18}" text-anchor="middle" font-size="11">{x:g}</text>')
    for y in (y_lo, y_hi):
        out.append(f'<text x="{pad - 4}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="11">{y:.3g}</text>')
    out.append(f'<text x="{width - pad:.0f}" y="{height - 8}" text-anchor="end">{escape(text(s.variable))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
