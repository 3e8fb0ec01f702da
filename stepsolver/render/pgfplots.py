"""A slope drawn for LaTeX: the function, the tangent and the secant at a, in a pgfplots axis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.notation import latex
from .base import Renderer
from .samples import HALF_WIDTH, at_a_plus_h, half_tangents, lines, require_drawable, samples

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.one_sided import OneSidedSlopes

COLOURS = {"left": "red", "right": "blue"}


class PgfplotsRenderer(Renderer):
    format = "pgfplots"

    def _render_Slope(self, s: Slope, **_: Any) -> str:
        require_drawable(s)
        a = float(s.a)
        fa, tangent, secant, ah = lines(s)
        curves = "\n".join(
            r"\addplot[black, thick] coordinates {" + " ".join(f"({x:.5g},{y:.5g})" for x, y in piece) + "};"
            for piece in samples(s)
        )
        lo, hi = a - HALF_WIDTH, a + HALF_WIDTH
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
                rf"{at_a_plus_h(s):.8g})}};",
                r"\end{axis}",
                r"\end{tikzpicture}",
            ]
        )

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, **_: Any) -> str:
        require_drawable(s)
        a = float(s.a)
        fa = float(s.function.subs(s.variable, s.a).evalf(15))
        curves = "\n".join(
            r"\addplot[black, thick] coordinates {" + " ".join(f"({x:.5g},{y:.5g})" for x, y in piece) + "};"
            for piece in samples(s)
        )
        lo, hi = a - HALF_WIDTH, a + HALF_WIDTH
        body = [
            r"\begin{tikzpicture}",
            rf"\begin{{axis}}[width=11cm, height=7cm, xmin={lo:.4g}, xmax={hi:.4g}, axis lines=middle, "
            rf"xlabel=${latex(s.variable)}$, legend pos=outer north east, legend cell align=left]",
            curves,
            rf"\addlegendentry{{$f({latex(s.variable)}) = {latex(s.function)}$}}",
        ]
        for side, slope, end, y in half_tangents(s):
            body += [
                rf"\addplot[{COLOURS[side]}, dashed] coordinates {{({a:.8g},{fa:.8g}) ({end:.8g},{y:.8g})}};",
                rf"\addlegendentry{{slope from the {side} ${slope:.6g}$}}",
            ]
        body += [
            rf"\addplot[only marks, mark=*, mark size=1.5pt] coordinates {{({a:.8g},{fa:.8g})}};",
            r"\end{axis}",
            r"\end{tikzpicture}",
        ]
        return "\n".join(body)
