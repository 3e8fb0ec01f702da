"""Unicode text for terminals: one line per step, the rule on the line below; every result type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.notation import assignments, binding, decimal, runs, text
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import approx, checks, point

if TYPE_CHECKING:
    from ..calculus.finite_difference import DifferenceRow, Slope
    from ..calculus.gradient import Gradient, Hessian
    from ..calculus.one_sided import OneSidedRow, OneSidedSlopes
    from ..check.answer import CheckResult
    from ..core.derivation import Answer, Derivation, Step
    from ..graph.api import ComputationGraph
    from ..lecture import Handout
    from ..matrixcalc.api import MatrixGradient
    from ..matrixcalc.entrywise import EntrywiseView
    from ..models.api import FitResult, ModelDerivation
    from ..models.gradcheck import GradientCheck


class TextRenderer(Renderer):
    format = "text"

    def said_back(self, shown: str, reading: list[str]) -> str:
        line = "; ".join(reading)
        return f"reading: {line}\n{shown}"

    def _render_Derivation(self, derivation: Derivation, indent: str = "", **_: Any) -> str:
        partial = derivation.partial
        lines = [f"{indent}{text(derivation.start, partial)}"]
        # a step that shows the line before it again is that line: its rule goes under it too
        for shown, steps in runs(derivation.steps, lambda step: text(step.after, partial, step.typed_order)):
            lines.append(f"{indent}  = {shown}")
            for step in steps:
                lines += self._justified(step, partial, indent)
        if derivation.context.concludes():
            lines.append(f"{indent}⇒ {derivation.context.concludes()}")
        return "\n".join(lines)

    def _justified(self, step: Step, partial: bool, indent: str) -> list[str]:
        """A step's rule with its bindings, its caveat if it was not proved, its side derivations."""
        typed = step.typed_order
        bindings = ", ".join(
            binding(name, value, lambda v: text(v, partial, typed)) for name, value in step.bindings.items()
        )
        lines = [f"{indent}      [{step.rule.title}{'; ' + bindings if bindings else ''}]"]
        if step.verify().caveat:
            lines.append(f"{indent}      (!) {step.verify().caveat}")
        lines += [self._render_Derivation(sub.derivation, indent + "        ") for sub in step.substeps]
        return lines

    def _render_Answer(self, answer: Answer, **_: Any) -> str:
        shown = self._render_Derivation(answer.derivation)
        return shown.rstrip("\n") + "\n" + _numpy_line(answer) if answer.numpy else shown

    def _render_ComputationGraph(self, graph: ComputationGraph, **_: Any) -> str:
        g = graph.graph
        out = [f"Computation graph of {text(graph.function)}", "", "Nodes, in the order they are computed:"]
        out += [f"  {n.name} = {text(n.local)}" for n in g.operations]
        if graph.forward is not None:
            out += ["", f"Forward pass at {point(graph)}:", self._render_Derivation(graph.forward, "  "), "", "Values:"]
            for n in g.operations:
                value = graph.values[n.name]
                held, shown = text(graph.held[n.name]), text(value, typed=False)
                worked = f"{held} = " if held != shown else ""  # w = ln(6) + 9, not w = ln(6) + 9 = ln(6) + 9
                out.append(f"  {n.name} = {worked}{shown}{approx(value)}")
        out += ["", f"Backward pass (reverse mode), from {g.output} back to the inputs:"]
        for derivation in graph.backward:
            out += [*self._named(derivation, graph.adjoint_symbol(derivation.context.node)), ""]
        if graph.tangents:
            out.append(f"Forward mode for {graph.forward_mode_input}, from the inputs to {g.output}:")
            for derivation in graph.tangents.values():
                out += [*self._named(derivation, graph.tangent_symbol(derivation.context.node)), ""]
        where = f" at {point(graph)}" if graph.point else ""
        out.append(f"Gradient{where}:")
        for name, value in graph.gradient.items():
            out.append(f"  ∂{g.output}/∂{name} = {text(value, typed=False)}{approx(value)}")
        out += ["", f"Checked: {checks(graph)}"]
        return "\n".join(out) + "\n"

    def _named(self, derivation: Derivation, name: sp.Expr) -> list[str]:
        """A pass's derivation, its first line saying what it works out (∂f/∂u = …) unless it starts so."""
        lines = self._render_Derivation(derivation, "  ").splitlines()
        if derivation.start != name:
            lines[0] = f"  {text(name)} = {lines[0].strip()}"
        return lines

    def _render_Gradient(self, gradient: Gradient, **_: Any) -> str:
        out = [f"Gradient of f = {text(gradient.function)}", ""]
        for x, derivation in zip(gradient.variables, gradient.partials, strict=True):
            out += [f"∂f/∂{x}:", self._render_Derivation(derivation, "  "), ""]
        out.append("∇f = (" + ", ".join(text(v, typed=False) for v in gradient.symbolic) + ")")
        if gradient.point:
            where = assignments(gradient.point, name=str)
            out.append(f"∇f at {where} = (" + ", ".join(_pair(v) for v in gradient.at_point or []) + ")")
            out.append(f"‖∇f‖ = {_pair(gradient.norm or sp.S.Zero)}")
            direction = gradient.direction
            out.append(
                "direction of steepest ascent ∇f/‖∇f‖ = (" + ", ".join(_pair(v) for v in direction) + ")"
                if direction is not None
                else "∇f = 0 here: a stationary point, with no direction of steepest ascent"
            )
        return "\n".join(out) + "\n"

    def _render_Hessian(self, hessian: Hessian, **_: Any) -> str:
        out = [f"Hessian of f = {text(hessian.function)}", ""]
        for first, then, derivation in hessian.upper():
            head = f"∂²f/∂{then}∂{first}" if first != then else f"∂²f/∂{first}²"
            out += [f"{head}:", self._render_Derivation(derivation, "  "), ""]
        out.append("H = " + matrix_text(hessian.symbolic))
        out.append("symmetric (∂²f/∂x∂y = ∂²f/∂y∂x), checked entry by entry" if hessian.symmetric else "NOT symmetric")
        if hessian.at_point is not None:
            where = assignments(hessian.point, name=str)
            out.append(f"H at {where} = " + matrix_text(hessian.at_point))
            if hessian.definiteness:
                out.append(f"the Hessian there is {hessian.definiteness}")
        return "\n".join(out) + "\n"

    def _render_Slope(self, s: Slope, **_: Any) -> str:
        x, a = s.variable, s.a
        out = [
            f"Slope of the {'central ' if s.central else ''}secant of f({x}) = {text(s.function)} "
            f"at {x} = {text(a)} with h = {decimal(s.h)}",
            "",
            self._render_Derivation(s.derivation, "  "),
            "",
            f"slope = {_with_decimal(s.slope)}",
            f"exact derivative f'({text(a)}) = {_with_decimal(s.exact)} (worked below by the step engine)",
            f"error |slope − f'({text(a)})| = {decimal(s.error)}",
            "",
            "Forward and central differences as h shrinks:",
            _table(s.table),
            "",
            f"f'({text(a)}) by the step engine:",
            self._render_Derivation(s.derivative, "  "),
        ]
        return "\n".join(out) + "\n"

    def _render_OneSidedSlopes(self, s: OneSidedSlopes, **_: Any) -> str:
        x, a = s.variable, text(s.a)
        out = [
            f"Slope of the secant of f({x}) = {text(s.function)} at {x} = {a} with h = {decimal(s.h)}",
            "",
            self._render_Derivation(s.secant, "  "),
            "",
            f"slope = {_with_decimal(s.slope)}",
            f"f'({a}) has no value by the derivative's formula: the slopes from each side decide",
        ]
        for side, derivation in s.sides:
            out.append("")
            if derivation is None:
                out.append(f"From the {side}: f is not defined to the {side} of {x} = {a}")
                continue
            lines = self._render_Derivation(derivation, "  ").splitlines()
            lines[0] = f"  f'{'₋' if side == 'left' else '₊'}({a}) = {lines[0].strip()}"
            out += [f"From the {side}:", *lines[:-1]]  # the side's own conclusion is said below
        out += [
            "",
            "Difference quotients from each side as h shrinks:",
            _one_sided_table(s.table),
            "",
            f"⇒ {s.conclusion}",
        ]
        return "\n".join(out) + "\n"

    def _render_CheckResult(self, result: CheckResult, **_: Any) -> str:
        out = [f"{result.verdict}: {result.method}" + (f" ({result.message})" if result.message else "")]
        if result.read_as:
            shown = f"; the answer as read: {text(result.answer)}" if result.answer is not None else ""
            out.append("  reading: " + "; ".join(result.read_as) + shown)
        if result.counterexample:
            out.append("  counterexample: " + ", ".join(f"{k} = {v}" for k, v in result.counterexample.items()))
        out += [f"  mistake {d.mistake}: {d.message}" for d in result.diagnosis]
        if result.expected is not None and result.verdict != "correct":
            out.append(f"  expected: {text(result.expected, typed=False)}")
        return "\n".join(out) + "\n"

    def _render_Handout(self, handout: Handout, **_: Any) -> str:
        return self._sections(handout, "\n\n", "== {title} ==")

    # print() shows these as their text; a CheckResult prints as the dataclass it always was
    def _render_MatrixGradient(self, result: MatrixGradient, checks: bool = False, **_: Any) -> str:
        from ..matrixcalc.notation import text_of

        out = [f"{matrix_words.what(result)} of f = {text_of(result.f)} with respect to {text_of(result.var)}"
               f"  ({matrix_words.shapes(result)})"]  # fmt: skip
        if result.first is not None:
            out += ["", "First the gradient:", self._render_MatrixGradient(result.first), "", "Then its Jacobian:"]
        out += [f"where {line}" for line in matrix_words.names(result, text_of)]
        if result.note:
            out += ["", result.note]
        if result.differential is not None:
            out += ["", "The differential:", self._render_Derivation(result.differential)]
        out += ["", self._render_Derivation(result)]
        out += ["", matrix_words.checked(result)]
        if checks:
            out += ["", "Each check:", *(f"  {where}: {check.describe()}" for where, check in result.verify().checks)]
        return "\n".join(out)

    def _render_EntrywiseView(self, view: EntrywiseView, **_: Any) -> str:
        from ..matrixcalc.notation import text_of

        x = text_of(view.result.var)
        sizes = ", ".join(f"{dim} = {size}" for dim, size in view.sizes.items())
        out = [f"∇_{x} f entry by entry at {sizes or 'its declared size'}: f = {text(view.function)}", ""]
        for _place, entry, worked in view.partials:
            out += [f"∂f/∂{text(entry)}:", self._render_Derivation(worked, "  "), ""]
        out += [f"∇_{x} f = {matrix_text(view.by_entries)}",
                f"G = {text_of(view.result.gradient)} = {matrix_text(view.from_g)}",
                "equal, entry by entry" if view.equal else "NOT EQUAL: the entries and G differ"]  # fmt: skip
        return "\n".join(out)

    def _display_Derivation(self, result: object) -> str:
        return self.render(result)

    _display_Answer = _display_ComputationGraph = _display_Gradient = _display_Derivation
    _display_Hessian = _display_Slope = _display_OneSidedSlopes = _display_Derivation
    # a model's derivation, its fit, check and comparison: print() and a notebook show them whole
    _display_ModelDerivation = _display_FitResult = _display_GradientCheck = _display_SklearnComparison = (
        _display_Derivation
    )

    def _render_ModelDerivation(self, d: ModelDerivation, **_: Any) -> str:
        out: list[str] = []
        for block in model_words.outline(d):
            if block.kind == "heading":
                out += ["", f"== {block.text} ==" if not out else f"-- {block.text} --", ""]
            elif block.kind == "formula":
                out.append(f"  {block.text}")
            elif block.kind == "sentence":
                out.append(block.text)
            else:
                out += [f"{block.text}:", self.render(block.part), ""]
        return "\n".join(out).strip() + "\n"

    def _render_GradientCheck(self, c: GradientCheck, **_: Any) -> str:
        return "\n".join(model_words.check_lines(c)) + "\n"

    def _render_FitResult(self, r: FitResult, **_: Any) -> str:
        return "\n".join(model_words.fit_lines(r)) + "\n"

    def _render_SklearnComparison(self, c: Any, **_: Any) -> str:
        return "\n".join(model_words.comparison_lines(c)) + "\n"


def matrix_text(matrix: sp.Matrix) -> str:
    """[[2·y, 2·x], [2·x, 6·y]]: one line, in the notation of the rest of the text output."""
    rows = [", ".join(text(v, typed=False) for v in matrix.row(i)) for i in range(matrix.rows)]
    return "[" + ", ".join(f"[{row}]" for row in rows) + "]"


def _pair(value: sp.Expr) -> str:
    return text(value, typed=False) + ("" if value.is_Rational or value.free_symbols else f" ≈ {decimal(value, 6)}")


def _with_decimal(value: sp.Expr) -> str:
    shown = text(value, typed=False)
    return shown if value.is_Integer else f"{shown} = {decimal(value)}"


def _table(rows: list[DifferenceRow]) -> str:
    lines = [f"  {'h':>9}  {'forward':>16}  {'error':>10}  {'central':>16}  {'error':>10}"]
    for r in rows:
        lines.append(
            f"  {decimal(r.h):>9}  {decimal(r.forward, 12):>16}  {decimal(r.forward_error, 3):>10}  "
            f"{decimal(r.central, 12):>16}  {decimal(r.central_error, 3):>10}"
        )
    return "\n".join(lines)


def _one_sided_table(rows: list[OneSidedRow]) -> str:
    def shown(value: sp.Expr | None) -> str:
        return "—" if value is None else decimal(value, 12)

    lines = [f"  {'h':>9}  {'left: (f(a) − f(a − h))/h':>28}  {'right: (f(a + h) − f(a))/h':>28}"]
    lines += [f"  {decimal(r.h):>9}  {shown(r.left):>28}  {shown(r.right):>28}" for r in rows]
    return "\n".join(lines)


def _numpy_line(answer: Answer) -> str:
    try:
        value = answer.run_numpy()
    except Exception as error:  # NumPy's own refusal (singular, symbols) is the answer to show
        return f"In Python: {answer.numpy}  # NumPy: {str(error).splitlines()[0]}"
    shown = " ".join(str(value).split())
    return f"In Python: {answer.numpy}  # gives {shown}"
