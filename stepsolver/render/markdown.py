"""Markdown with $$…$$ maths: a derivation as a numbered list of steps, each with its rule and
formula; graphs, gradients and slopes as sections of those."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.notation import (
    assignments,
    binding,
    binding_name,
    continued,
    decimal,
    latex,
    runs,
    second_partial_latex,
)
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import approx, checks, point

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.gradient import Gradient, Hessian
    from ..calculus.one_sided import OneSidedSlopes
    from ..core.derivation import Answer, Derivation, Step
    from ..graph.api import ComputationGraph
    from ..lecture import Handout
    from ..matrixcalc.api import MatrixGradient
    from ..matrixcalc.entrywise import EntrywiseView
    from ..models.api import FitResult, ModelDerivation
    from ..models.compare import SklearnComparison
    from ..models.gradcheck import GradientCheck


class MarkdownRenderer(Renderer):
    format = "markdown"

    def said_back(self, shown: str, reading: list[str]) -> str:
        line = "; ".join(reading)
        return f"*Reading:* {line}\n\n{shown}"

    def _render_Derivation(self, derivation: Derivation, level: int = 0, **_: Any) -> str:
        partial = derivation.partial
        pad = "   " * level
        out = [f"{pad}$${latex(derivation.start, partial)}$$", ""]
        # a step that shows the line before it again is that line: one item, both rules
        groups = runs(derivation.steps, lambda step: latex(step.after, partial, step.typed_order))
        for number, (shown, steps) in enumerate(groups, start=1):
            rules = "; ".join(self._rule(same, partial, first=index == 0) for index, same in enumerate(_by_rule(steps)))
            out.append(f"{pad}{number}. {rules}")
            out += [f"{pad}   *{step.verify().caveat}*" for step in steps if step.verify().caveat]
            out += ["", f"{pad}   $$= {shown}$$", ""]
            for step in steps:
                for sub in step.substeps:
                    out += [f"{pad}   Side derivation:", "", self._render_Derivation(sub.derivation, level + 1)]
        if derivation.context.concludes():
            out += [f"{pad}**⇒ {derivation.context.concludes()}**", ""]
        return "\n".join(out).rstrip() + "\n"

    def _rule(self, steps: list[Step], partial: bool, first: bool) -> str:
        """**Product rule** $(fg)' = f'g + fg'$ with $f = …$, $g = …$ (the bindings of each step of it)."""
        bindings = ", ".join(
            f"${binding(name, value, partial_latex(partial, step.typed_order), binding_name)}$"
            for step in steps
            for name, value in step.bindings.items()
        )
        rule = steps[0].rule
        title = rule.title if first else continued(rule.title)
        return f"**{title}** ${rule.formula}$" + (f" with {bindings}" if bindings else "")

    def _render_Answer(self, answer: Answer, **_: Any) -> str:
        return self._render_Derivation(answer.derivation)

    def _render_ComputationGraph(self, graph: ComputationGraph, **_: Any) -> str:
        g = graph.graph
        out = [f"### Computation graph of ${latex(graph.function)}$", ""]
        out += [f"- ${latex(n.symbol)} = {latex(n.local)}$" for n in g.operations]
        if graph.forward is not None:
            out += ["", f"#### Forward pass at ${point(graph, latex)}$", "", self._render_Derivation(graph.forward)]
        out += ["#### Backward pass (reverse mode)", ""]
        for derivation in graph.backward:
            name = graph.adjoint_symbol(derivation.context.node)
            out += [f"**${latex(name)}$**", "", self._render_Derivation(derivation)]
        if graph.tangents:
            out += [f"#### Forward mode for ${graph.forward_mode_input}$", ""]
            for derivation in graph.tangents.values():
                name = graph.tangent_symbol(derivation.context.node)
                out += [f"**${latex(name)}$**", "", self._render_Derivation(derivation)]
        out += ["#### Gradient", ""]
        out += [
            f"- $\\frac{{\\partial {g.output}}}{{\\partial {name}}} = {latex(v, typed=False)}${approx(v)}"
            for name, v in graph.gradient.items()
        ]
        out += ["", f"*Checked: {checks(graph)}*", ""]
        return "\n".join(out)

    def _render_Gradient(self, gradient: Gradient, **_: Any) -> str:
        out = [f"### Gradient of $f = {latex(gradient.function)}$", ""]
        for x, derivation in zip(gradient.variables, gradient.partials, strict=True):
            out += [rf"**$\partial f / \partial {latex(x)}$**", "", self._render_Derivation(derivation)]
        out += [rf"$$\nabla f = {latex(gradient.symbolic.T, typed=False)}^{{T}}$$", ""]
        if gradient.point and gradient.at_point is not None:
            out += [
                rf"$$\nabla f = {latex(gradient.at_point.T, typed=False)}^{{T}}, \quad \|\nabla f\| = "
                rf"{latex(gradient.norm or sp.S.Zero)}$$",
                "",
            ]
        return "\n".join(out)

    def _render_Slope(self, s: Slope, **_: Any) -> str:
        head = "| h | forward | error | central | error |\n|---|---|---|---|---|"
        rows = [
            f"| {decimal(r.h)} | {decimal(r.forward)} | {decimal(r.forward_error, 3)} | "
            f"{decimal(r.central)} | {decimal(r.central_error, 3)} |"
            for r in s.table
        ]
        title = f"### Slope of ${latex(s.function)}$ at ${latex(s.variable)} = {latex(s.a)}$, $h = {decimal(s.h)}$"
        exact = f"Exact derivative: $f'({latex(s.a)}) = {latex(s.exact, typed=False)}$; error ${decimal(s.error)}$"
        return "\n".join([title, "", self._render_Derivation(s.derivation), exact, "", head, *rows, ""])

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, **_: Any) -> str:
        a = latex(s.a)
        out = [f"### Slopes of ${latex(s.function)}$ at ${latex(s.variable)} = {a}$ from each side", ""]
        out += [self._render_Derivation(s.secant), f"The derivative's formula has no value at ${a}$: "
                "the slopes from each side decide.", ""]  # fmt: skip
        for side, derivation in s.sides:
            if derivation is None:
                out += [f"**From the {side}:** $f$ is not defined to the {side} of ${a}$.", ""]
            else:
                out += [f"**From the {side}:**", "", self._render_Derivation(derivation)]

        def shown(value: sp.Expr | None) -> str:
            return "—" if value is None else decimal(value, 12)

        out += ["| h | from the left | from the right |", "|---|---|---|"]
        out += [f"| {decimal(r.h)} | {shown(r.left)} | {shown(r.right)} |" for r in s.table]
        return "\n".join([*out, "", f"**⇒ {s.conclusion}**", ""])

    def _render_Hessian(self, hessian: Hessian, **_: Any) -> str:
        out = [f"### Hessian of $f = {latex(hessian.function)}$", ""]
        for first, then, derivation in hessian.upper():
            out += [f"**${second_partial_latex(first, then)}$**", "", self._render_Derivation(derivation)]
        out += [rf"$$H = {latex(hessian.symbolic, typed=False)}$$", ""]
        out += ["Symmetric (the mixed partials agree), checked entry by entry." if hessian.symmetric
                else "**Not symmetric**: the mixed partials differ.", ""]  # fmt: skip
        if hessian.at_point is not None:
            where = assignments(hessian.point, latex, r",\ ")
            out += [rf"$$H\big|_{{{where}}} = {latex(hessian.at_point, typed=False)}$$", ""]
            if hessian.definiteness:
                out += [f"The Hessian there is {hessian.definiteness}.", ""]
        return "\n".join(out)

    def _render_Handout(self, handout: Handout, **_: Any) -> str:
        return self._sections(handout, "\n---\n\n", "## {title}")

    # a notebook shows these as Markdown (the others as their repr, as they always have)
    def _render_MatrixGradient(self, result: MatrixGradient, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        out = [f"## {matrix_words.what(result)} of ${latex_of(result.f)}$ with respect to ${latex_of(result.var)}$", "",
               f"Shapes: {matrix_words.shapes(result)}.", ""]  # fmt: skip
        if result.first is not None:
            out += ["### The gradient", "", self._render_MatrixGradient(result.first), "### Its Jacobian", ""]
        names = matrix_words.names(result, latex_of)
        if names:
            out += ["where " + ", ".join(f"${n}$" for n in names), ""]
        if result.note:
            out += [result.note, ""]
        if result.differential is not None:
            out += ["**The differential**", "", self._render_Derivation(result.differential)]
        out += [f"**The {matrix_words.what(result).lower()}**", "", self._render_Derivation(result)]
        out += [f"*{matrix_words.checked(result)}*", ""]
        return "\n".join(out)

    def _render_EntrywiseView(self, view: EntrywiseView, **_: Any) -> str:
        from ..matrixcalc.notation import latex_of

        x = latex_of(view.result.var)
        sizes = ", ".join(f"{dim} = {size}" for dim, size in view.sizes.items())
        out = [f"## $\\nabla_{{{x}}} f$ entry by entry at {sizes}", "", f"$$f = {latex(view.function)}$$", ""]
        for _place, entry, worked in view.partials:
            out += [f"**$\\partial f / \\partial {latex(entry)}$**", "", self._render_Derivation(worked)]
        out += [f"$$\\nabla_{{{x}}} f = {latex(view.by_entries)}$$", "",
                f"$$G = {latex_of(view.result.gradient)} = {latex(view.from_g)}$$", "",
                "Equal, entry by entry." if view.equal else "**Not equal**: the entries and G differ.", ""]  # fmt: skip
        return "\n".join(out)

    def _display_Derivation(self, result: object) -> str:
        return self.render(result)

    _display_Answer = _display_ComputationGraph = _display_Derivation
    _display_Gradient = _display_Hessian = _display_Slope = _display_OneSidedSlopes = _display_Derivation
    # a model's derivation, its fit, check and comparison: print() and a notebook show them whole
    _display_ModelDerivation = _display_FitResult = _display_GradientCheck = _display_SklearnComparison = (
        _display_Derivation
    )

    def _render_ModelDerivation(self, d: ModelDerivation, **_: Any) -> str:
        out: list[str] = []
        for block in model_words.outline(d):
            if block.kind == "heading":
                out += [("# " if not out else "## ") + block.text, ""]
            elif block.kind == "formula":
                out += [f"$$ {block.latex} $$", ""]
            elif block.kind == "sentence":
                out += [block.text, ""]
            else:
                out += [f"**{block.text}**", "", self.render(block.part), ""]
        return "\n".join(out)

    def _render_GradientCheck(self, c: GradientCheck, **_: Any) -> str:
        lines = model_words.check_lines(c)
        return "\n".join([lines[0], "", *(f"- {line.strip()}" for line in lines[1:])]) + "\n"

    def _render_SklearnComparison(self, c: SklearnComparison, **_: Any) -> str:
        if not c.rows:
            return c.note + "\n"
        out = [f"Beside scikit-learn's `{c.reference}`:", "", "| | gradient descent | scikit-learn | difference |",
               "|---|---:|---:|---:|"]  # fmt: skip
        out += [f"| {what} | {ours:.10g} | {ref:.10g} | {ours - ref:.2e} |" for what, ours, ref in c.rows]
        out += [f"| iterations | {c.iterations[0]} | {c.iterations[1]} | |",
                f"| seconds | {c.seconds[0]:.3f} | {c.seconds[1]:.3f} | |"]  # fmt: skip
        return "\n".join(out + (["", c.note] if c.note else [])) + "\n"

    def _render_FitResult(self, r: FitResult, **_: Any) -> str:
        lines = model_words.fit_lines(r)
        return "\n".join([lines[0], "", *(f"- {line.strip()}" for line in lines[1:])]) + "\n"


def partial_latex(partial: bool, typed: bool) -> Callable[[sp.Basic], str]:
    """``latex`` with the derivation's settings fixed: how a step shows its bindings."""
    return lambda value: latex(value, partial, typed)


def _by_rule(steps: list[Step]) -> list[list[Step]]:
    """Steps of one line, the same rule twice in a row as one."""
    out: list[list[Step]] = []
    for step in steps:
        if out and out[-1][0].rule is step.rule:
            out[-1].append(step)
        else:
            out.append([step])
    return out
