"""HTML fragments for notebooks (Jupyter's ``_repr_html_``): the page's own MathJax typesets the
maths, written as \\( … \\) and \\[ … \\]; steps in an aligned block with each rule beside it,
side derivations folded in <details>, tables as tables and pictures as inline SVG.

A fragment, not a page: a page needs its own maths engine, and that is the handout's job."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.notation import assignments, decimal, latex, second_partial_latex
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import approx, checks, point
from .latex import chain_lines
from .samples import drawable
from .svg import SvgRenderer

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.gradient import Gradient, Hessian
    from ..calculus.one_sided import OneSidedSlopes
    from ..check.answer import CheckResult
    from ..core.derivation import Answer, Derivation
    from ..graph.api import ComputationGraph
    from ..lecture import Handout
    from ..matrixcalc.api import MatrixGradient
    from ..matrixcalc.entrywise import EntrywiseView
    from ..models.api import FitResult, ModelDerivation
    from ..models.compare import SklearnComparison
    from ..models.gradcheck import GradientCheck


def inline(tex: str) -> str:
    return rf"\({escape(tex)}\)"


def shown(tex: str) -> str:
    return rf"\[{escape(tex)}\]"


def _box(*parts: str) -> str:
    return '<div class="stepsolver">\n' + "\n".join(part for part in parts if part) + "\n</div>"


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _sentence(words: str, tex: str) -> str:
    """A sentence with its maths as maths where it has a LaTeX form ("$x_j$ and $y$ are …") whose
    words need no TeX to read; else its Unicode words."""
    pieces = re.split(r"\$([^$]*)\$", tex) if tex else []
    if not pieces or any("\\" in words for words in pieces[::2]):
        return escape(words)
    return "".join(inline(piece) if index % 2 else escape(piece) for index, piece in enumerate(pieces))


def _part_title(title: str) -> str:
    """A part's title with its ∇ as maths ("∇_W_1 J, textbook form" as ∇_{W_1} J, …); others as they are."""
    match = re.fullmatch(r"∇_(\w+) J(.*)", title, re.S)
    if match is None:
        return escape(title)
    return inline(rf"\nabla_{{{match.group(1)}}} J") + escape(match.group(2))


def _lines(lines: list[str]) -> list[str]:
    """A heading line, then its indented items as a list (the text format's layout, in HTML)."""
    items = "".join(f"<li>{escape(line.strip())}</li>" for line in lines[1:])
    return [f"<p>{escape(lines[0])}</p>", f"<ul>{items}</ul>" if items else ""]


def _number(value: sp.Expr | None) -> str:
    return "—" if value is None else escape(decimal(value, 12))


class HtmlRenderer(Renderer):
    format = "html"

    def said_back(self, shown: str, reading: list[str]) -> str:
        return f"<p><em>Reading:</em> {escape('; '.join(reading))}</p>\n{shown}"

    def _chain(self, derivation: Derivation) -> str:
        body = r" \\ ".join(chain_lines(derivation))
        out = [shown(rf"\begin{{aligned}}{body}\end{{aligned}}")]
        for step in derivation.steps:
            for sub in step.substeps:
                out.append(
                    f"<details><summary>Side derivation: {escape(step.rule.title)}</summary>\n"
                    f"{self._chain(sub.derivation)}\n</details>"
                )
        if derivation.context.concludes():
            out.append(f"<p><strong>⇒ {escape(derivation.context.concludes())}</strong></p>")
        return "\n".join(out)

    def _render_Derivation(self, derivation: Derivation, **_: Any) -> str:
        return _box(self._chain(derivation))

    def _render_Answer(self, answer: Answer, **_: Any) -> str:
        from .text import _numpy_line

        numpy = f"<pre><code>{escape(_numpy_line(answer))}</code></pre>" if answer.numpy else ""
        return _box(self._chain(answer.derivation), numpy)

    def _render_Gradient(self, gradient: Gradient, **_: Any) -> str:
        parts = [f"<h4>Gradient of {inline('f = ' + latex(gradient.function))}</h4>"]
        for x, derivation in zip(gradient.variables, gradient.partials, strict=True):
            head = inline(rf"\partial f / \partial {latex(x)}")
            parts += [f"<p><strong>{head}</strong></p>", self._chain(derivation)]
        parts.append(shown(rf"\nabla f = {latex(gradient.symbolic, typed=False)}"))
        if gradient.point and gradient.at_point is not None:
            norm = latex(gradient.norm or sp.S.Zero)
            parts.append(shown(rf"\nabla f = {latex(gradient.at_point, typed=False)},\quad \|\nabla f\| = {norm}"))
            if gradient.direction is not None:
                direction = inline(rf"\nabla f/\|\nabla f\| = {latex(gradient.direction, typed=False)}")
                parts.append(f"<p>Direction of steepest ascent {direction}</p>")
        return _box(*parts)

    def _render_Hessian(self, hessian: Hessian, **_: Any) -> str:
        parts = [f"<h4>Hessian of {inline('f = ' + latex(hessian.function))}</h4>"]
        for first, then, derivation in hessian.upper():
            head = inline(second_partial_latex(first, then))
            parts += [f"<p><strong>{head}</strong></p>", self._chain(derivation)]
        parts.append(shown(rf"H = {latex(hessian.symbolic, typed=False)}"))
        parts.append("<p>Symmetric (the mixed partials agree), checked entry by entry.</p>" if hessian.symmetric
                     else "<p><strong>Not symmetric</strong>: the mixed partials differ.</p>")  # fmt: skip
        if hessian.at_point is not None:
            where = assignments(hessian.point, latex, r",\ ")
            parts.append(shown(rf"H\big|_{{{where}}} = {latex(hessian.at_point, typed=False)}"))
            if hessian.definiteness:
                parts.append(f"<p>The Hessian there is {hessian.definiteness}.</p>")
        return _box(*parts)

    def _render_Slope(self, s: Slope, **_: Any) -> str:
        rows = [[escape(decimal(r.h)), _number(r.forward), escape(decimal(r.forward_error, 3)), _number(r.central),
                 escape(decimal(r.central_error, 3))] for r in s.table]  # fmt: skip
        title = f"Slope of {inline(latex(s.function))} at {inline(f'{latex(s.variable)} = {latex(s.a)}')}"
        exact = f"f'({latex(s.a)}) = {latex(s.exact, typed=False)}"
        return _box(
            f"<h4>{title}, {inline(f'h = {decimal(s.h)}')}</h4>",
            self._chain(s.derivation),
            f"<p>Exact derivative {inline(exact)}; error {escape(decimal(s.error))}</p>",
            _table(["h", "forward", "error", "central", "error"], rows),
            SvgRenderer().render(s) if drawable(s) else "",
        )

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, **_: Any) -> str:
        a = latex(s.a)
        parts = [
            f"<h4>Slopes of {inline(latex(s.function))} at {inline(f'{latex(s.variable)} = {a}')} from each side</h4>",
            self._chain(s.secant),
            f"<p>The derivative's formula has no value at {inline(a)}: the slopes from each side decide.</p>",
        ]
        for side, derivation in s.sides:
            if derivation is None:
                parts.append(f"<p><strong>From the {side}:</strong> f is not defined to the {side} of {inline(a)}.</p>")
            else:
                parts += [f"<p><strong>From the {side}:</strong></p>", self._chain(derivation)]
        rows = [[escape(decimal(r.h)), _number(r.left), _number(r.right)] for r in s.table]
        parts += [
            _table(["h", "from the left", "from the right"], rows),
            SvgRenderer().render(s) if drawable(s) else "",
            f"<p><strong>⇒ {escape(s.conclusion)}</strong></p>",
        ]
        return _box(*parts)

    def _render_ComputationGraph(self, graph: ComputationGraph, **_: Any) -> str:
        g = graph.graph
        parts = [f"<h4>Computation graph of {inline(latex(graph.function))}</h4>", SvgRenderer().render(graph)]
        nodes = r" \\ ".join(rf"{latex(n.symbol)} &= {latex(n.local)}" for n in g.operations)
        parts.append(shown(rf"\begin{{aligned}}{nodes}\end{{aligned}}"))
        if graph.forward is not None:
            parts += [f"<h5>Forward pass at {inline(point(graph, latex))}</h5>", self._chain(graph.forward)]
        parts.append("<h5>Backward pass (reverse mode)</h5>")
        for derivation in graph.backward:
            name = graph.adjoint_symbol(derivation.context.node)
            parts += [f"<p><strong>{inline(latex(name))}</strong></p>", self._chain(derivation)]
        if graph.tangents:
            parts.append(f"<h5>Forward mode for {inline(graph.forward_mode_input or '')}</h5>")
            for derivation in graph.tangents.values():
                name = graph.tangent_symbol(derivation.context.node)
                parts += [f"<p><strong>{inline(latex(name))}</strong></p>", self._chain(derivation)]
        gradient = "".join(
            "<li>"
            + inline(rf"\frac{{\partial {g.output}}}{{\partial {name}}} = {latex(v, typed=False)}")
            + f"{escape(approx(v))}</li>"
            for name, v in graph.gradient.items()
        )
        parts += [f"<h5>Gradient</h5>\n<ul>{gradient}</ul>", f"<p><em>Checked: {escape(checks(graph))}</em></p>"]
        return _box(*parts)

    def _render_CheckResult(self, result: CheckResult, **_: Any) -> str:
        message = f" ({escape(result.message)})" if result.message else ""
        items = []
        if result.answer is not None:
            items.append(f"<li>the answer as read: {inline(latex(result.answer))}</li>")
        if result.read_as:
            items.append(f"<li>reading: {escape('; '.join(result.read_as))}</li>")
        if result.counterexample:
            shown_at = ", ".join(f"{k} = {v}" for k, v in result.counterexample.items())
            items.append(f"<li>counterexample: {escape(shown_at)}</li>")
        items += [f"<li>mistake {escape(d.mistake)}: {escape(d.message)}</li>" for d in result.diagnosis]
        if result.expected is not None and result.verdict != "correct":
            items.append(f"<li>expected: {inline(latex(result.expected, typed=False))}</li>")
        listed = f"<ul>{''.join(items)}</ul>" if items else ""
        return _box(f"<p><strong>{escape(result.verdict)}</strong>: {escape(result.method)}{message}</p>", listed)

    def _render_MatrixGradient(self, result: MatrixGradient, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        heading = f"{matrix_words.what(result)} of {inline(latex_of(result.f))}"
        heading += f" with respect to {inline(latex_of(result.var))}"
        parts = [f"<h3>{heading}</h3>", f"<p>Shapes: {escape(matrix_words.shapes(result))}.</p>"]
        if result.first is not None:
            parts += ["<h4>The gradient</h4>", self._render_MatrixGradient(result.first), "<h4>Its Jacobian</h4>"]
        names = matrix_words.names(result, latex_of)
        if names:
            parts.append("<p>where " + ", ".join(inline(n) for n in names) + "</p>")
        if result.note:
            parts.append(f"<p>{escape(result.note)}</p>")
        if result.differential is not None:
            parts += ["<p><strong>The differential</strong></p>", self._chain(result.differential)]
        parts += [f"<p><strong>The {matrix_words.what(result).lower()}</strong></p>", self._chain(result)]
        parts.append(f"<p><em>{escape(matrix_words.checked(result))}</em></p>")
        return _box(*parts)

    def _render_EntrywiseView(self, view: EntrywiseView, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        x = latex_of(view.result.var)
        sizes = ", ".join(f"{dim} = {size}" for dim, size in view.sizes.items())
        gradient = inline(rf"\nabla_{{{x}}} f")
        parts = [f"<h3>{gradient} entry by entry at {inline(sizes)}</h3>", shown(f"f = {latex(view.function)}")]
        for _place, entry, worked in view.partials:
            head = inline(rf"\partial f / \partial {latex(entry)}")
            parts += [f"<p><strong>{head}</strong></p>", self._chain(worked)]
        parts += [shown(rf"\nabla_{{{x}}} f = {latex(view.by_entries)}"),
                  shown(f"G = {latex_of(view.result.gradient)} = {latex(view.from_g)}"),
                  "<p>Equal, entry by entry.</p>" if view.equal
                  else "<p><strong>Not equal</strong>: the entries and G differ.</p>"]  # fmt: skip
        return _box(*parts)

    def _render_ModelDerivation(self, d: ModelDerivation, **_: Any) -> str:
        parts: list[str] = []
        for block in model_words.outline(d):
            if block.kind == "heading":
                level = 3 if not parts else 4
                parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
            elif block.kind == "formula":
                parts.append(shown(block.latex))
            elif block.kind == "sentence":
                parts.append(f"<p>{_sentence(block.text, block.latex)}</p>")
            else:
                parts += [f"<p><strong>{_part_title(block.text)}</strong></p>", self.render(block.part)]
        return _box(*parts)

    def _render_GradientCheck(self, c: GradientCheck, **_: Any) -> str:
        return _box(*_lines(model_words.check_lines(c)))

    def _render_FitResult(self, r: FitResult, **_: Any) -> str:
        return _box(*_lines(model_words.fit_lines(r)))

    def _render_SklearnComparison(self, c: SklearnComparison, **_: Any) -> str:
        if not c.rows:
            return _box(f"<p>{escape(c.note)}</p>")
        rows = [[escape(what), f"{ours:.10g}", f"{ref:.10g}", f"{ours - ref:.2e}"] for what, ours, ref in c.rows]
        rows += [["iterations", str(c.iterations[0]), str(c.iterations[1]), ""],
                 ["seconds", f"{c.seconds[0]:.3f}", f"{c.seconds[1]:.3f}", ""]]  # fmt: skip
        return _box(
            f"<p>Beside scikit-learn's <code>{escape(c.reference)}</code>:</p>",
            _table(["", "gradient descent", "scikit-learn", "difference"], rows),
            f"<p>{escape(c.note)}</p>" if c.note else "",
        )

    def _render_Handout(self, handout: Handout, **_: Any) -> str:
        return self._sections(handout, "\n", "<h3>{title}</h3>")

    _display_Derivation = _display_Answer = _display_Gradient = _display_Hessian = Renderer.render
    _display_Slope = _display_OneSidedSlopes = _display_ComputationGraph = _display_CheckResult = Renderer.render
    _display_Handout = Renderer.render
