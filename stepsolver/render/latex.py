"""LaTeX: a derivation as an align* chain with each step's rule beside it (plain amsmath);
graphs, gradients and slopes as sections of those, and whole documents from the templates."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import sympy as sp

from ..core.contexts import DerivativeContext
from ..core.notation import assignments, binding_name, decimal, latex, second_partial_latex, tex_text
from ..errors import StepsolverError
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import DIGITS, checks, point
from .pgfplots import PgfplotsRenderer
from .samples import drawable
from .tikz import TikzRenderer

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.gradient import Gradient, Hessian
    from ..calculus.one_sided import OneSidedSlopes
    from ..check.answer import CheckResult
    from ..core.derivation import Answer, Derivation, Step
    from ..graph.api import ComputationGraph
    from ..lecture import Handout
    from ..matrixcalc.api import MatrixGradient
    from ..matrixcalc.entrywise import EntrywiseView
    from ..models.api import FitResult, ModelDerivation
    from ..models.compare import SklearnComparison
    from ..models.gradcheck import GradientCheck


class LatexRenderer(Renderer):
    format = "latex"

    def said_back(self, shown: str, reading: list[str]) -> str:
        line = "; ".join(reading)
        return f"% reading: {line}\n{shown}"

    def _render_Derivation(
        self, derivation: Derivation, standalone: bool = False, environment: str = "align*", **_: Any
    ) -> str:
        body = " \\\\\n".join(chain_lines(derivation))
        chain = f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
        if derivation.context.concludes() and environment == "align*":
            chain += "\n" + rf"\noindent$\Rightarrow$ {tex_text(derivation.context.concludes())}" + "\n"
        if not standalone:
            return chain
        return _template().render(
            derivation=derivation, task=_task(derivation), chain=chain, side=self._side(derivation)
        )

    def _side(self, derivation: Derivation) -> list[tuple[str, str]]:
        """Each distinct substep chain, with the step title it belongs to, for the handout."""
        seen: set[str] = set()
        out = []
        for step in derivation.steps:
            for sub in step.substeps:
                shown = self._render_Derivation(sub.derivation)
                if shown not in seen:
                    seen.add(shown)
                    out.append((step.rule.title, shown))
        return out

    def _display_Derivation(self, derivation: Derivation) -> str:
        """A notebook's MathJax renders one aligned block, not align*; what it concludes (the
        eigenvectors, a verdict) follows in words."""
        shown = "$$" + self._render_Derivation(derivation, environment="aligned") + "$$"
        concludes = derivation.context.concludes()
        return shown + (f"\n\n⇒ {concludes}" if concludes else "")

    def _render_Answer(self, answer: Answer, **options: Any) -> str:
        return self._render_Derivation(answer.derivation, **options)

    def _display_Answer(self, answer: Answer) -> str:
        return self._display_Derivation(answer.derivation)

    def _display_MatrixGradient(self, result: MatrixGradient) -> str:
        first = [self._display_MatrixGradient(result.first)] if result.first is not None else []
        chains = [d for d in (result.differential, result) if d is not None]
        return "\n".join([*first, *(self._display_Derivation(d) for d in chains), matrix_words.checked(result)])

    # A notebook's text/latex view is MathJax over the whole string: words, then $$ blocks
    def _display_Gradient(self, gradient: Gradient) -> str:
        blocks = [self._display_Derivation(d) for d in gradient.partials]
        return "\n".join([*blocks, rf"$$\nabla f = {latex(gradient.symbolic, typed=False)}$$"])

    def _display_Hessian(self, hessian: Hessian) -> str:
        blocks = [self._display_Derivation(derivation) for *_, derivation in hessian.upper()]
        return "\n".join([*blocks, rf"$$H = {latex(hessian.symbolic, typed=False)}$$"])

    def _display_Slope(self, s: Slope) -> str:
        exact = rf"$$f'({latex(s.a)}) = {latex(s.exact, typed=False)}$$"
        return "\n".join([self._display_Derivation(s.derivation), self._display_Derivation(s.derivative), exact])

    def _display_OneSidedSlopes(self, s: OneSidedSlopes) -> str:
        sides = [self._display_Derivation(d) for _, d in s.sides if d is not None]
        return "\n".join([self._display_Derivation(s.secant), *sides, s.conclusion])

    def _display_ComputationGraph(self, graph: ComputationGraph) -> str:
        g = graph.graph
        nodes = " \\\\ ".join(rf"{latex(n.symbol)} &= {latex(n.local)}" for n in g.operations)
        passes = [graph.forward] if graph.forward is not None else []
        blocks = [self._display_Derivation(d) for d in [*passes, *graph.backward]]
        gradient = ",\\ ".join(
            rf"\frac{{\partial {g.output}}}{{\partial {name}}} = {latex(v, typed=False)}"
            for name, v in graph.gradient.items()
        )
        return "\n".join([rf"$$\begin{{aligned}}{nodes}\end{{aligned}}$$", *blocks, f"$${gradient}$$"])

    def _display_CheckResult(self, result: CheckResult) -> str:
        out = [f"{result.verdict}: {result.method}" + (f" ({result.message})" if result.message else "")]
        if result.answer is not None:
            out.append(rf"$$\text{{the answer as read: }} {latex(result.answer)}$$")
        if result.counterexample:
            out.append("counterexample: " + ", ".join(f"{k} = {v}" for k, v in result.counterexample.items()))
        out += [f"mistake {d.mistake}: {d.message}" for d in result.diagnosis]
        if result.expected is not None and result.verdict != "correct":
            out.append(rf"$$\text{{expected: }} {latex(result.expected, typed=False)}$$")
        return "\n\n".join(out)

    def _display_Handout(self, handout: Handout) -> str:
        return "\n\n".join(
            str(self.display(item)) for section in handout.sections for item in section.items if self.display(item)
        )

    def _render_ComputationGraph(
        self, graph: ComputationGraph, standalone: bool = False, picture: bool = True, **_: Any
    ) -> str:
        g = graph.graph
        nodes = " \\\\\n".join(f"{latex(n.symbol)} &= {latex(n.local)}" for n in g.operations)
        parts = [r"\subsection*{The graph}", "\\begin{align*}\n" + nodes + "\n\\end{align*}"]
        if picture:
            tikz = TikzRenderer().render(graph)
            parts += [r"\begin{center}", r"\resizebox{\linewidth}{!}{%", tikz + "}", r"\end{center}"]
        if graph.forward is not None:
            forward = self._render_Derivation(graph.forward)
            parts += [rf"\subsection*{{Forward pass at ${point(graph, latex)}$}}", forward]
            rows = [
                rf"${latex(n.symbol)}$ & ${latex(graph.held[n.name])}$ & "
                rf"${latex(graph.values[n.name], typed=False)}$ & {decimal(graph.values[n.name], DIGITS)} \\"
                for n in g.operations
            ]
            parts += [
                r"\begin{tabular}{llll}",
                r"node & inputs' values & exact & decimal \\ \hline",
                *rows,
                r"\end{tabular}",
            ]
        parts.append(r"\subsection*{Backward pass (reverse mode)}")
        parts += [self._named(d, graph.adjoint_symbol(d.context.node)) for d in graph.backward]
        if graph.tangents:
            parts.append(rf"\subsection*{{Forward mode for ${graph.forward_mode_input}$}}")
            parts += [self._named(d, graph.tangent_symbol(d.context.node)) for d in graph.tangents.values()]
        parts.append(r"\subsection*{Gradient}")
        entries = " \\\\\n".join(
            rf"\frac{{\partial {g.output}}}{{\partial {latex(g.nodes[name].symbol)}}} &= {latex(v, typed=False)}"
            for name, v in graph.gradient.items()
        )
        parts += ["\\begin{align*}\n" + entries + "\n\\end{align*}", rf"\emph{{Checked: {tex_text(checks(graph))}}}"]
        body = "\n".join(parts)
        return render_document(rf"Computation graph of ${latex(graph.function)}$", body) if standalone else body

    def _named(self, derivation: Derivation, name: sp.Expr) -> str:
        """A pass's chain, its first line saying what it works out (∂f/∂u = …) unless it starts so."""
        lines = chain_lines(derivation)
        if derivation.start != name:
            lines[0] = f"{latex(name)} = {lines[0]}"
        return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"

    def _render_Gradient(self, gradient: Gradient, standalone: bool = False, **_: Any) -> str:
        parts = []
        for x, derivation in zip(gradient.variables, gradient.partials, strict=True):
            parts += [rf"\paragraph{{$\partial f / \partial {latex(x)}$}}", self._render_Derivation(derivation)]
        parts.append(rf"\[ \nabla f = {latex(gradient.symbolic, typed=False)} \]")
        if gradient.point and gradient.at_point is not None:
            parts.append(
                rf"\[ \nabla f = {latex(gradient.at_point, typed=False)}, \quad "
                rf"\|\nabla f\| = {latex(gradient.norm or sp.S.Zero)} \]"
            )
            if gradient.direction is not None:
                parts.append(
                    rf"Direction of steepest ascent: \[ \frac{{\nabla f}}{{\|\nabla f\|}} = "
                    rf"{latex(gradient.direction, typed=False)} \]"
                )
        body = "\n".join(parts)
        return render_document(rf"Gradient of $f = {latex(gradient.function)}$", body) if standalone else body

    def _render_Slope(self, s: Slope, standalone: bool = False, plot: bool = True, **_: Any) -> str:
        rows = [
            rf"{decimal(r.h)} & {decimal(r.forward)} & {decimal(r.forward_error, 3)} & "
            rf"{decimal(r.central)} & {decimal(r.central_error, 3)} \\"
            for r in s.table
        ]
        parts = [
            self._render_Derivation(s.derivation),
            rf"Exact derivative $f'({latex(s.a)}) = {latex(s.exact, typed=False)}$; "
            rf"error of the slope ${decimal(s.error)}$.",
            r"\begin{center}\begin{tabular}{lllll}",
            r"$h$ & forward & error & central & error \\ \hline",
            *rows,
            r"\end{tabular}\end{center}",
        ]
        if plot and drawable(s):
            parts += [r"\begin{center}", PgfplotsRenderer().render(s), r"\end{center}"]
        body = "\n".join(parts)
        x = latex(s.variable)
        title = rf"Slope of $f({x}) = {latex(s.function)}$ at ${x} = {latex(s.a)}$"
        return render_document(title, body) if standalone else body

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, standalone: bool = False, plot: bool = True, **_: Any) -> str:
        a = latex(s.a)
        parts = [
            self._render_Derivation(s.secant),
            rf"The derivative's formula has no value at ${latex(s.variable)} = {a}$: the slopes from each side decide.",
        ]
        for side, derivation in s.sides:
            if derivation is None:
                parts.append(rf"\paragraph{{From the {side}}} $f$ is not defined to the {side} of ${a}$.")
                continue
            lines = chain_lines(derivation)
            lines[0] = rf"f'_{{{'-' if side == 'left' else '+'}}}({a}) = {lines[0]}"
            parts += [
                rf"\paragraph{{From the {side}}}",
                "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}",
            ]

        def shown(value: sp.Expr | None) -> str:
            return "---" if value is None else decimal(value, 12)

        rows = [rf"{decimal(r.h)} & {shown(r.left)} & {shown(r.right)} \\" for r in s.table]
        parts += [
            r"\begin{center}\begin{tabular}{lll}",
            r"$h$ & from the left $\frac{f(a) - f(a - h)}{h}$ & from the right $\frac{f(a + h) - f(a)}{h}$ \\ \hline",
            *rows,
            r"\end{tabular}\end{center}",
        ]
        if plot and drawable(s):
            parts += [r"\begin{center}", PgfplotsRenderer().render(s), r"\end{center}"]
        parts.append(rf"\noindent$\Rightarrow$ {tex_text(s.conclusion)}")
        body = "\n".join(parts)
        x = latex(s.variable)
        title = rf"Slopes of $f({x}) = {latex(s.function)}$ at ${x} = {a}$ from each side"
        return render_document(title, body) if standalone else body

    def _render_Hessian(self, hessian: Hessian, standalone: bool = False, **_: Any) -> str:
        parts = []
        for first, then, derivation in hessian.upper():
            parts += [rf"\paragraph{{${second_partial_latex(first, then)}$}}", self._render_Derivation(derivation)]
        parts.append(rf"\[ H = {latex(hessian.symbolic, typed=False)} \]")
        parts.append(_symmetry(hessian))
        if hessian.at_point is not None:
            where = assignments(hessian.point, latex, r",\ ")
            parts.append(rf"\[ H\big|_{{{where}}} = {latex(hessian.at_point, typed=False)} \]")
            if hessian.definiteness:
                parts.append(tex_text(f"The Hessian there is {hessian.definiteness}."))
        body = "\n".join(parts)
        return render_document(rf"Hessian of $f = {latex(hessian.function)}$", body) if standalone else body

    def _render_MatrixGradient(self, result: MatrixGradient, standalone: bool = False, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        parts = []
        if result.first is not None:
            parts += [r"\subsection*{The gradient}", self._render_MatrixGradient(result.first),
                      r"\subsection*{The Hessian: the Jacobian of the gradient}"]  # fmt: skip
        names = matrix_words.names(result, latex_of)
        if names:
            parts.append("\n" + r"where $" + r"$, $".join(names) + "$.\n")
        if result.note:
            parts.append(tex_text(result.note))
        if result.differential is not None:
            parts += [r"\paragraph{The differential}", self._render_Derivation(result.differential)]
        parts += [rf"\paragraph{{The {matrix_words.what(result).lower()}}}", self._render_Derivation(result)]
        parts.append(rf"\emph{{{tex_text(matrix_words.checked(result))}}}")
        body = "\n".join(parts)
        title = rf"{matrix_words.what(result)} of $f = {latex_of(result.f)}$"
        title += rf" with respect to ${latex_of(result.var)}$"
        if not standalone:
            return body
        return render_document(title, tex_text(f"Shapes: {matrix_words.shapes(result)}.") + "\n\n" + body)

    def _render_EntrywiseView(self, view: EntrywiseView, standalone: bool = False, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        x = latex_of(view.result.var)
        parts = [rf"\[ f = {latex(view.function)} \]"]
        for _place, entry, worked in view.partials:
            parts += [rf"\paragraph{{$\partial f / \partial {latex(entry)}$}}", self._render_Derivation(worked)]
        parts.append(rf"\[ \nabla_{{{x}}} f = {latex(view.by_entries)} \]")
        parts.append(rf"\[ G = {latex_of(view.result.gradient)} = {latex(view.from_g)} \]")
        parts.append("Equal, entry by entry." if view.equal else r"\textbf{Not equal}: the entries and $G$ differ.")
        body = "\n".join(parts)
        sizes = ", ".join(f"{dim} = {size}" for dim, size in view.sizes.items())
        return render_document(rf"$\nabla_{{{x}}} f$ entry by entry at ${sizes}$", body) if standalone else body

    def _render_Handout(self, handout: Handout, standalone: bool = False, **_: Any) -> str:
        if not standalone:
            return self._sections(handout, "\n\n", "% {title}")
        parts = []
        for section in handout.sections:
            parts.append(rf"\section*{{{section.title}}}")
            for item in section.items:
                heading = self._method("_heading_", item)
                if heading is not None and (line := heading(item)):
                    parts.append(line)
                parts.append(self.render(item))
        return render_document(handout.title, "\n".join(parts))

    def _render_ModelDerivation(self, d: ModelDerivation, standalone: bool = False, **_: Any) -> str:
        parts: list[str] = []
        title = ""
        for block in model_words.outline(d):
            if block.kind == "heading":
                if not title:
                    title = block.text
                    continue
                parts.append(rf"\subsection*{{{block.latex or tex_text(block.text)}}}")
            elif block.kind == "formula":
                parts.append(rf"\[ {block.latex} \]")
            elif block.kind == "sentence":
                parts.append((block.latex or tex_text(block.text)) + "\n")
            else:
                parts += [rf"\paragraph{{{tex_text(block.text)}}}", self.render(block.part)]
        # the graph's adjoints are named ∂L/∂ŷ in their input; inside align* that must be LaTeX
        body = "\n".join(parts).replace("∂", r"\partial ").replace("ŷ", r"\hat{y}")
        if standalone:
            return render_document(tex_text(title), body)
        return rf"\section*{{{tex_text(title)}}}" + "\n" + body

    def _render_GradientCheck(self, c: GradientCheck, standalone: bool = False, **_: Any) -> str:
        lines = model_words.check_lines(c)
        body = tex_text(lines[0]) + "\n\\begin{itemize}\n" + "".join(
            rf"\item {tex_text(line.strip())}" + "\n" for line in lines[1:]
        ) + "\\end{itemize}"
        return render_document("Gradient check", body) if standalone else body

    def _render_SklearnComparison(self, c: SklearnComparison, standalone: bool = False, **_: Any) -> str:
        if not c.rows:
            return tex_text(c.note)
        rows = "".join(rf"{tex_text(what)} & {ours:.10g} & {ref:.10g} & {ours - ref:.2e} \\" + "\n"
                       for what, ours, ref in c.rows)  # fmt: skip
        body = (tex_text(f"Beside scikit-learn's {c.reference}:") + "\n\n\\begin{tabular}{lrrr}\n"
                r"& gradient descent & scikit-learn & difference \\ \hline" + "\n" + rows
                + rf"iterations & {c.iterations[0]} & {c.iterations[1]} & \\" + "\n"
                + rf"seconds & {c.seconds[0]:.3f} & {c.seconds[1]:.3f} & \\" + "\n\\end{tabular}"
                + ("\n\n" + tex_text(c.note) if c.note else ""))  # fmt: skip
        return render_document("Beside scikit-learn", body) if standalone else body

    def _render_FitResult(self, r: FitResult, standalone: bool = False, **_: Any) -> str:
        lines = model_words.fit_lines(r)
        body = tex_text(lines[0]) + "\n\\begin{itemize}\n" + "".join(
            rf"\item {tex_text(line.strip())}" + "\n" for line in lines[1:]
        ) + "\\end{itemize}"
        return render_document("Gradient descent", body) if standalone else body

    def _heading_Derivation(self, derivation: Derivation) -> str:
        """In the handout each derivative has its own heading; other results title themselves."""
        if not isinstance(derivation.context, DerivativeContext):
            return ""
        return rf"\subsection*{{Differentiate $\displaystyle {latex(derivation.function)}$}}"


def _task(derivation: Derivation) -> str:
    """The sentence that opens a worked solution: what is differentiated, or what is worked out."""
    context = derivation.context
    if isinstance(context, DerivativeContext):
        if not derivation.input:
            return ""
        variables = context.sequence if context.mixed else (context.wrt,)
        taken = ", then ".join(f"${latex(v)}$" for v in variables)
        return rf"Differentiate $\displaystyle {latex(derivation.function)}$ with respect to {taken}."
    return rf"Work out $\displaystyle {latex(derivation.start)}$."


def _symmetry(hessian: Hessian) -> str:
    if hessian.symmetric:
        mixed = r"\frac{\partial^2 f}{\partial x\,\partial y} = \frac{\partial^2 f}{\partial y\,\partial x}"
        return rf"Symmetric (${mixed}$), checked entry by entry."
    return r"\textbf{Not symmetric}: the mixed partials differ."


def _binding_text(step: Step, partial: bool) -> str:
    if not step.bindings:
        return ""
    typed = step.typed_order
    parts = [f"{binding_name(name)} = {latex(value, partial, typed)}" for name, value in step.bindings.items()]
    return r",\ ".join(parts)


def _annotation(step: Step, partial: bool) -> str:
    caveat = step.verify().caveat
    label = rf"\text{{{tex_text(step.rule.title)}{'; ' + tex_text(caveat) if caveat else ''}}}"
    bindings = _binding_text(step, partial)
    return rf"&& {label}" + (rf"\ \left({bindings}\right)" if bindings else "")


def chain_lines(derivation: Derivation) -> list[str]:
    """The body of the align*: one line per step, the rule and bindings on the right."""
    partial = derivation.partial
    lines = []
    for index, step in enumerate(derivation.steps):
        left = latex(derivation.start, partial) if index == 0 else ""
        lines.append(rf"{left} &= {latex(step.after, partial, step.typed_order)} {_annotation(step, partial)}")
    if not lines:
        lines.append(rf"{latex(derivation.start, partial)} &")
    return lines


def _loader() -> jinja2.BaseLoader:
    """The templates shipped inside the package (so a plain `pip install .` has them), or a
    teacher's own copies first, from the folder $STEPSOLVER_TEMPLATES names."""
    packaged = jinja2.PackageLoader("stepsolver", "templates")
    configured = os.environ.get("STEPSOLVER_TEMPLATES")
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(configured), packaged]) if configured else packaged


@lru_cache(maxsize=4)
def _template(name: str = "derivation.tex.j2") -> jinja2.Template:
    environment = jinja2.Environment(
        loader=_loader(),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_statement_prefix="%-",
        trim_blocks=True,
        autoescape=False,
    )
    try:
        return environment.get_template(name)
    except jinja2.TemplateNotFound:
        raise StepsolverError(f"template {name} not found (in the package, or in $STEPSOLVER_TEMPLATES)") from None


def render_document(title: str, body: str) -> str:
    """A whole document around ``body`` (graphs, gradients, slopes), with TikZ and pgfplots loaded."""
    return _template("document.tex.j2").render(title=title, body=body)


__all__ = ["LatexRenderer", "chain_lines", "render_document"]
