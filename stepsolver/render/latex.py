"""LaTeX: a derivation as an align* chain with each step's rule beside it (plain amsmath);
graphs, gradients and slopes as sections of those, and whole documents from the templates."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import sympy as sp

from ..core.contexts import DerivativeContext, LinalgContext
from ..core.notation import (
    assignments,
    binding,
    binding_name,
    continued,
    decimal,
    latex,
    runs,
    second_partial_latex,
    tex_text,
)
from ..errors import StepsolverError
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import DIGITS, checks, point
from .latex_layout import Line, Note, chain_rows, display, heading_fits, plain_rows
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

    def render(self, result: object, reading: list[str] | None = None, **options: Any) -> str:
        return ascii_only(super().render(result, reading, **options))

    def said_back(self, shown: str, reading: list[str]) -> str:
        line = "; ".join(tex_text(note) for note in reading)
        return f"% reading: {line}\n{shown}"

    def _render_Derivation(
        self, derivation: Derivation, standalone: bool = False, environment: str = "align*", **_: Any
    ) -> str:
        lines = chain(derivation)
        rows = chain_rows(lines) if environment == "align*" else plain_rows(lines)
        body = " \\\\\n".join(rows)
        shown = f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
        if derivation.context.concludes() and environment == "align*":
            shown += "\n" + rf"\noindent$\Rightarrow$ {tex_text(derivation.context.concludes())}" + "\n"
        if not standalone:
            return shown
        return _template().render(
            derivation=derivation, title=title(derivation), task=_task(derivation), chain=shown,
            side=self._side(derivation),
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
                    out.append((tex_text(step.rule.title), shown))
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
            # the picture's labels are written for every format: an adjoint known only by its
            # decimal reads "= ≈ 0.39" there, in LaTeX "\approx 0.39"
            tikz = TikzRenderer().render(graph).replace("= ≈", r"\approx").replace("≈", r"\approx")
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
        if not standalone:
            return body
        return _headed_document(rf"Computation graph of ${latex(graph.function)}$", "Computation graph",
                                rf"f = {latex(graph.function)}", body)  # fmt: skip

    def _named(self, derivation: Derivation, name: sp.Expr) -> str:
        """A pass's chain, its first line saying what it works out (∂f/∂u = …) unless it starts so."""
        lines = chain(derivation)
        if derivation.start != name:
            lines[0] = replace(lines[0], left=f"{latex(name)} = {lines[0].left}")
        return _align(lines)

    def _render_Gradient(self, gradient: Gradient, standalone: bool = False, **_: Any) -> str:
        parts = []
        for x, derivation in zip(gradient.variables, gradient.partials, strict=True):
            parts += [rf"\paragraph{{$\partial f / \partial {latex(x)}$}}", self._render_Derivation(derivation)]
        parts.append(display(rf"\nabla f = {latex(gradient.symbolic, typed=False)}"))
        if gradient.point and gradient.at_point is not None:
            parts.append(
                display(
                    rf"\nabla f = {latex(gradient.at_point, typed=False)}, \quad "
                    rf"\|\nabla f\| = {latex(gradient.norm or sp.S.Zero)}"
                )
            )
            if gradient.direction is not None:
                parts.append(
                    rf"Direction of steepest ascent: \[ \frac{{\nabla f}}{{\|\nabla f\|}} = "
                    rf"{latex(gradient.direction, typed=False)} \]"
                )
        body = "\n".join(parts)
        if not standalone:
            return body
        f = latex(gradient.function)
        return _headed_document(rf"Gradient of $f = {f}$", "Gradient of $f$", f"f = {f}", body)

    def _render_Slope(self, s: Slope, standalone: bool = False, plot: bool = True, **_: Any) -> str:
        rows = [
            rf"{_decimal(r.h)} & {_decimal(r.forward)} & {_decimal(r.forward_error, 3)} & "
            rf"{_decimal(r.central)} & {_decimal(r.central_error, 3)} \\"
            for r in s.table
        ]
        parts = [
            self._render_Derivation(s.derivation),
            rf"Exact derivative $f'({latex(s.a)}) = {latex(s.exact, typed=False)}$; "
            rf"error of the slope {_decimal(s.error)}.",
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
            lines = chain(derivation)
            lines[0] = replace(lines[0], left=rf"f'_{{{'-' if side == 'left' else '+'}}}({a}) = {lines[0].left}")
            parts += [rf"\paragraph{{From the {side}}}", _align(lines)]

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
        parts.append(display(rf"H = {latex(hessian.symbolic, typed=False)}"))
        parts.append(_symmetry(hessian))
        if hessian.at_point is not None:
            where = assignments(hessian.point, latex, r",\ ")
            parts.append(display(rf"H\big|_{{{where}}} = {latex(hessian.at_point, typed=False)}"))
            if hessian.definiteness:
                parts.append(tex_text(f"The Hessian there is {hessian.definiteness}."))
        body = "\n".join(parts)
        if not standalone:
            return body
        f = latex(hessian.function)
        return _headed_document(rf"Hessian of $f = {f}$", "Hessian of $f$", f"f = {f}", body)

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
        f, x = latex_of(result.f), latex_of(result.var)
        what = matrix_words.what(result)
        if not standalone:
            return body
        shapes = tex_text(f"Shapes: {matrix_words.shapes(result)}.") + "\n\n" + body
        return _headed_document(rf"{what} of $f = {f}$ with respect to ${x}$", rf"{what} of $f$ with respect to ${x}$",
                                f"f = {f}", shapes)  # fmt: skip

    def _render_EntrywiseView(self, view: EntrywiseView, standalone: bool = False, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        x = latex_of(view.result.var)
        parts = [display(rf"f = {latex(view.function)}")]
        for _place, entry, worked in view.partials:
            parts += [rf"\paragraph{{$\partial f / \partial {latex(entry)}$}}", self._render_Derivation(worked)]
        parts.append(display(rf"\nabla_{{{x}}} f = {latex(view.by_entries)}"))
        parts.append(display(rf"G = {latex_of(view.result.gradient)} = {latex(view.from_g)}"))
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
                parts.append(display(block.latex))
            elif block.kind == "sentence":
                parts.append((block.latex or tex_text(block.text)) + "\n")
            else:
                parts += [rf"\paragraph{{{block.latex or tex_text(block.text)}}}", self.render(block.part)]
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
        return render_document("The gradient against central differences", body) if standalone else body

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
        heading = tex_text(f"Gradient descent on the {r.model} model")
        return render_document(heading, body) if standalone else body

    def _heading_Derivation(self, derivation: Derivation) -> str:
        """In the handout each derivative has its own heading; other results title themselves."""
        if not isinstance(derivation.context, DerivativeContext):
            return ""
        return rf"\subsection*{{Differentiate $\displaystyle {latex(derivation.function)}$}}"

    def _heading_Answer(self, answer: Answer) -> str:
        """A linear-algebra operation in the handout: headed by what it is (Inverse of A, Rank of A)."""
        return rf"\subsection*{{{title(answer.derivation)}}}"

    def _heading_Slope(self, s: Slope) -> str:
        x = latex(s.variable)
        return rf"\subsection*{{Slope of $f({x}) = {latex(s.function)}$ at ${x} = {latex(s.a)}$}}"

    _heading_OneSidedSlopes = _heading_Slope


def _task(derivation: Derivation) -> str:
    """The sentence that opens a worked solution: what is differentiated, or what is worked out
    (a linear-algebra operation's heading says it, and its chain starts with it)."""
    context = derivation.context
    if isinstance(context, DerivativeContext):
        if not derivation.input:
            return ""
        variables = context.sequence if context.mixed else (context.wrt,)
        taken = ", then ".join(f"${latex(v)}$" for v in variables)
        return rf"Differentiate $\displaystyle {latex(derivation.function)}$ with respect to {taken}."
    if isinstance(context, LinalgContext):
        return ""
    return rf"Work out $\displaystyle {latex(derivation.start)}$."


_ORDINALS = {2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth"}

# what each linear-algebra operation is, as its heading says it
_LINALG_TITLES = {
    "add": r"Sum of matrices $A + B$", "scale": r"Scalar multiple $cA$", "trace": r"Trace of $A$",
    "transpose": r"Transpose of $A$", "is_symmetric": r"Is $A$ symmetric?", "is_identity": r"Is $A$ the identity?",
    "is_orthogonal": r"Is $A$ orthogonal?", "dot": r"Inner product $x^{T} y$", "outer": r"Outer product $x y^{T}$",
    "matmul": r"Matrix product $AB$", "det": r"Determinant of $A$",
    "inverse": r"Inverse of $A$ by Gauss--Jordan elimination", "rank": r"Rank of $A$",
    "independence": r"Linear independence of the vectors", "solve": r"Solution of $Ax = b$",
    "unit_vector": r"Unit vector in the direction of $x$", "frobenius": r"Frobenius norm of $A$",
    "eigen": r"Eigenvalues and eigenvectors of $A$", "svd": r"Singular value decomposition of $A$",
}  # fmt: skip


def title(derivation: Derivation) -> str:
    """What a worked derivation is, as its document's (or its section's) heading says it."""
    context = derivation.context
    if isinstance(context, DerivativeContext):
        f = latex(derivation.function)
        if context.mixed:
            what = "Mixed partial derivative"
        elif context.order > 1:
            what = _ORDINALS.get(context.order, f"Order-{context.order}") + " derivative"
        else:
            what = "Derivative"
        if derivation.partial and not context.mixed:
            what = "Partial " + what.lower()
        wrt = ", then ".join(f"${latex(v)}$" for v in (context.sequence if context.mixed else (context.wrt,)))
        where = f" at ${assignments(context.at, latex, ', ')}$" if context.at else ""
        shown = rf"{what} of ${f}$ with respect to {wrt}{where}"
        return shown if heading_fits(shown) else rf"{what} with respect to {wrt}{where}"
    if isinstance(context, LinalgContext):
        return _linalg_title(derivation)
    return "Worked solution"


def _linalg_title(derivation: Derivation) -> str:
    kind = derivation.context.kind
    start = derivation.start
    if kind == "matmul" and isinstance(start, sp.MatMul) and start.args[-1].shape[1] == 1:
        return r"Matrix--vector product $Ay$, entry by entry and by columns"
    if kind == "norm" and len(start.args) == 2:
        return rf"Norm $\|x\|_{{{latex(start.args[1])}}}$"
    if kind == "property":
        identities = [v for step in derivation.steps for v in step.bindings.values() if getattr(v, "statement", 0)]
        if identities:
            return rf"The identity ${latex(identities[0])}$, on these matrices"
        return r"Is $AB = BA$ for these matrices?"
    return _LINALG_TITLES.get(kind, "Worked solution")


def _symmetry(hessian: Hessian) -> str:
    if hessian.symmetric:
        mixed = r"\frac{\partial^2 f}{\partial x\,\partial y} = \frac{\partial^2 f}{\partial y\,\partial x}"
        return rf"Symmetric (${mixed}$), checked entry by entry."
    return r"\textbf{Not symmetric}: the mixed partials differ."


def _note(step: Step, partial: bool, continuing: bool = False) -> Note:
    """A step's rule (with its caveat, if it was not proved) and its bindings; ``continuing``: the
    second rule on a line, read after the first ("Simplify; agrees with direct differentiation")."""
    verification = step.verify()
    caveat = verification.caveat
    if verification.status == "numeric" and "random draws of the declared shapes" in verification.method:
        # the matrix calculus's summary under the chain says once where the draws were: each step says how
        caveat = "checked numerically, not proved"
    title = continued(step.rule.title) if continuing else step.rule.title
    label = tex_text(title) + ("; " + tex_text(caveat) if caveat else "")
    typed = step.typed_order
    bindings = tuple(
        binding(name, value, lambda v: latex(v, partial, typed), binding_name) for name, value in step.bindings.items()
    )
    return Note(label, bindings)


def _decimal(value: sp.Expr, digits: int = 10) -> str:
    """A decimal as maths: 4.01, and 1.0e-5 as $10^{-5}$, 2.5e-7 as $2.5 \\cdot 10^{-7}$ (never Python's e)."""
    shown = decimal(value, digits)
    power = re.fullmatch(r"(-?)(\d+(?:\.\d+)?)e([+-]?)0*(\d+)", shown)
    if power is None:
        return f"${shown}$"
    sign, mantissa, minus, exponent = power.groups()
    mantissa = mantissa.removesuffix(".0")
    exponent = ("-" if minus == "-" else "") + exponent
    return f"${sign}10^{{{exponent}}}$" if mantissa == "1" else rf"${sign}{mantissa} \cdot 10^{{{exponent}}}$"


def chain(derivation: Derivation) -> list[Line]:
    """The derivation's lines: the start and each step's expression, with its rule. A step whose
    expression shows as the line before it does is that line, both rules beside it."""
    partial = derivation.partial
    start = latex(derivation.start, partial)
    groups = runs(derivation.steps, lambda step: latex(step.after, partial, step.typed_order))
    if not groups:
        return [Line(start, "")]
    return [
        Line(start if index == 0 else "", shown, _notes([_note(s, partial, k > 0) for k, s in enumerate(steps)]))
        for index, (shown, steps) in enumerate(groups)
    ]


def _notes(notes: list[Note]) -> tuple[Note, ...]:
    """The rules of one line, the same rule twice in a row once, with both its bindings."""
    out: list[Note] = []
    for note in notes:
        if out and note.label.lower() == out[-1].label.lower():
            out[-1] = Note(out[-1].label, out[-1].bindings + note.bindings)
        else:
            out.append(note)
    return tuple(out)


def chain_lines(derivation: Derivation) -> list[str]:
    """The body of an aligned chain, one row per line, the rule and bindings on the right (for
    MathJax, which has no page to fit: the handout's align* is laid out by ``chain_rows``)."""
    return plain_rows(chain(derivation))


def _align(lines: list[Line]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(chain_rows(lines)) + "\n\\end{align*}"


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


# a result's heading inside a document that something else heads
_SUBHEADINGS = {"GradientCheck": "The gradient against central differences", "SklearnComparison": "Beside scikit-learn"}


def joined_document(results: list[object]) -> str:
    """Several results as one document (a model's derivation and its gradient check; a fit and
    its comparison): headed by the first, the others as its subsections."""
    renderer = LatexRenderer()
    heading, parts = "", []
    for result in results:
        body = renderer.render(result).rstrip("\n")
        kind = type(result).__name__
        if kind == "ModelDerivation" and body.startswith(r"\section*{"):
            first, _, body = body.partition("\n")  # its own heading heads the document
            heading = heading or first.removeprefix(r"\section*{").removesuffix("}")
        elif kind == "FitResult":
            heading = heading or tex_text(f"Gradient descent on the {getattr(result, 'model', '')} model")
        elif heading:
            parts.append(rf"\subsection*{{{_SUBHEADINGS.get(kind, '')}}}")
        else:
            heading = _SUBHEADINGS.get(kind, "")
        parts.append(body)
    return render_document(heading, "\n\n".join(parts))


# what may still be Unicode in a result's LaTeX (words of a domain put straight in), as LaTeX
# that works in text and in maths alike
_UNICODE = {"≈": r"\ensuremath{\approx}", "≠": r"\ensuremath{\neq}", "≤": r"\ensuremath{\leq}",
            "≥": r"\ensuremath{\geq}", "←": r"\ensuremath{\leftarrow}", "→": r"\ensuremath{\to}",
            "↔": r"\ensuremath{\leftrightarrow}", "⇒": r"\ensuremath{\Rightarrow}", "·": r"\ensuremath{\cdot}",
            "×": r"\ensuremath{\times}", "−": r"\ensuremath{-}", "–": "--", "—": "---", "…": r"\ldots{}",
            "‖": r"\ensuremath{\|}", "∞": r"\ensuremath{\infty}", "∂": r"\ensuremath{\partial}",
            "∇": r"\ensuremath{\nabla}", "√": r"\ensuremath{\surd}", "⊙": r"\ensuremath{\odot}",
            "⊘": r"\ensuremath{\oslash}", "∈": r"\ensuremath{\in}", "ᵀ": r"\ensuremath{^{T}}",
            "²": r"\ensuremath{^{2}}", "³": r"\ensuremath{^{3}}", "’": "'", "“": "``", "”": "''",
            "ŷ": r"\ensuremath{\hat{y}}", "𝟏": r"\ensuremath{\mathbf{1}}"}  # fmt: skip


def ascii_only(tex: str) -> str:
    """LaTeX that pdflatex reads whatever its input encoding: each Unicode character left in it
    (none, where the renderers write LaTeX themselves) as LaTeX; a letter without its accent."""
    if tex.isascii():
        return tex
    from sympy.printing.pretty.pretty_symbology import greek_unicode

    greek = {letter: name for name, letter in greek_unicode.items() if isinstance(letter, str)}
    out = []
    for character in tex:
        if character.isascii():
            out.append(character)
        elif character in _UNICODE:
            out.append(_UNICODE[character])
        elif character in greek:
            out.append(rf"\ensuremath{{\{greek[character]}}}")
        else:
            plain = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def _headed_document(heading: str, short: str, statement: str, body: str) -> str:
    """A document headed by what it is; when the heading's maths would run off the line, the short
    heading, and the function displayed first."""
    if heading_fits(heading):
        return render_document(heading, body)
    return render_document(short, display(statement) + "\n" + body)


def render_document(title: str, body: str) -> str:
    """A whole document around ``body`` (graphs, gradients, slopes), with TikZ and pgfplots loaded."""
    return ascii_only(_template("document.tex.j2").render(title=title, body=body))


__all__ = ["LatexRenderer", "ascii_only", "chain_lines", "joined_document", "render_document", "title"]
