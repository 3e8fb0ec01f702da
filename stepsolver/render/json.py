"""JSON per the interface contract: every expression as LaTeX and as SymPy srepr.

``data(result)`` is the result as Python data (what ``to_dict()`` gives), dispatched on the
type like ``render``: each type's ``_data_<ClassName>`` method; ``render`` writes it out."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from ..core.notation import decimal, latex
from . import matrix_words, model_words
from .base import Renderer
from .graph_words import DIGITS

if TYPE_CHECKING:
    from ..calculus.finite_difference import Slope
    from ..calculus.gradient import Gradient, Hessian
    from ..calculus.one_sided import OneSidedSlopes
    from ..check.answer import CheckResult, Diagnosis
    from ..core.derivation import Answer, Derivation, Step
    from ..graph.api import ComputationGraph
    from ..lecture import Handout
    from ..matrixcalc.api import MatrixGradient
    from ..matrixcalc.entrywise import EntrywiseView
    from ..models.api import FitResult, ModelDerivation
    from ..models.gradcheck import GradientCheck


def expression(expr: sp.Basic, partial: bool = False, typed: bool = True) -> dict[str, str]:
    return {"latex": latex(expr, partial, typed), "sympy": sp.srepr(expr)}


def value_json(value: Any, partial: bool = False, typed: bool = True) -> Any:
    """A result as JSON: an expression, True/False, or (eigen) a list of eigenvalue and vectors."""
    if isinstance(value, dict):
        return [{"value": expression(k), "vectors": [expression(v) for v in vs]} for k, vs in value.items()]
    if isinstance(value, bool):
        return value
    return expression(value, partial, typed)


class JsonRenderer(Renderer):
    format = "json"

    def render(self, result: object, reading: list[str] | None = None, indent: int | None = 2, **_: Any) -> str:
        """``reading`` (even empty: the interface contract always has it for an expression) is
        the JSON's "read_as", first."""
        data = self.data(result)
        if reading is not None and isinstance(data, dict):
            data = {"read_as": reading, **data}
        return json.dumps(data, indent=indent, ensure_ascii=False)

    def data(self, result: object) -> Any:
        return self._dispatch("_data_", result)(result)

    def _step(self, step: Step, partial: bool) -> dict[str, Any]:
        check = step.verify()
        return {
            "rule": step.rule.id,
            "title": step.rule.title,
            "formula": step.rule.formula,
            "before": expression(step.before, partial),
            "after": expression(step.after, partial, step.typed_order),
            "bindings": {name: expression(value, partial) for name, value in step.bindings.items()},
            "substeps": [self.data(sub) for sub in step.substeps],
            "verified": {"status": check.status, "method": check.method},
        }

    def _data_Derivation(self, derivation: Derivation) -> dict[str, Any]:
        variables: dict[str, Any] = {}
        for key, value in derivation.variables.items():
            if isinstance(value, (list, tuple)):
                variables[key] = [expression(v) if isinstance(v, sp.Basic) else v for v in value]
            elif isinstance(value, dict):
                variables[key] = {str(k): expression(v) for k, v in value.items()}
            elif isinstance(value, sp.Basic):
                variables[key] = str(value)
            else:
                variables[key] = value
        typed = derivation.steps[-1].typed_order if derivation.steps else True
        return {
            "kind": derivation.kind,
            "input": derivation.input,
            "start": expression(derivation.start, derivation.partial),
            "result": value_json(derivation.result, derivation.partial, typed),
            "variables": variables,
            "steps": [self._step(step, derivation.partial) for step in derivation.steps],
        }

    def _data_MatrixGradient(self, result: MatrixGradient) -> dict[str, Any]:
        from ..matrixcalc.notation import latex_of, text_of

        def shown(term: sp.Basic) -> dict[str, str]:
            return {"latex": latex_of(term), "text": text_of(term), "sympy": sp.srepr(term)}

        report = result.verify()
        steps = [self._step(step, False) for step in result.steps]
        for data, step in zip(steps, result.steps, strict=True):
            data["before"], data["after"] = shown(step.before), shown(step.after)
        out: dict[str, Any] = {
            "kind": result.kind,
            "input": result.input,
            "function": shown(result.f),
            "wrt": result.var.name,
            "variables": result.variables,
            "names": {named.name: shown(named.definition) for named in result.context.names},
            "start": shown(result.start),
            "result": shown(result.gradient),
            "steps": steps,
            "note": result.note,
            "verified": {"ok": report.ok, "proved": report.proved},
            "checked": matrix_words.checked(result),
        }
        if result.differential is not None:
            differential = self._data_Derivation(result.differential)
            for data, step in zip(differential["steps"], result.differential.steps, strict=True):
                data["before"], data["after"] = shown(step.before), shown(step.after)
            differential["start"] = shown(result.differential.start)
            differential["result"] = shown(result.differential.result)
            out["differential"] = differential
        if result.finite_differences is not None:
            fd = result.finite_differences
            out["finite_differences"] = {"relative_error": fd.relative_error, "h": fd.h, "ok": fd.ok,
                                         "sizes": {str(k): v for k, v in fd.sizes.items()}}  # fmt: skip
        if result.first is not None:
            out["gradient"] = self._data_MatrixGradient(result.first)
        return out

    def _data_EntrywiseView(self, view: EntrywiseView) -> dict[str, Any]:
        return {
            "kind": "matrix_gradient_entrywise",
            "input": view.result.input,
            "sizes": {str(k): v for k, v in view.sizes.items()},
            "function": expression(view.function),
            "partials": [
                {"entry": [i, j], "variable": str(entry), "derivation": self.data(worked)}
                for (i, j), entry, worked in view.partials
            ],
            "by_entries": expression(view.by_entries),
            "from_g": expression(view.from_g),
            "equal": view.equal,
        }

    def _data_Answer(self, answer: Answer) -> dict[str, Any]:
        """The derivation's JSON, whose result is the answer's value (a verdict, eigenpairs, …)."""
        out = self._data_Derivation(answer.derivation)
        typed = answer.steps[-1].typed_order if answer.steps else True
        out["result"] = value_json(answer.value, answer.partial, typed)
        return {**out, "numpy": answer.numpy} if answer.numpy else out

    def _data_ComputationGraph(self, graph: ComputationGraph) -> dict[str, Any]:
        g = graph.graph
        nodes = []
        for n in g.nodes.values():
            entry: dict[str, Any] = {
                "name": n.name,
                "kind": n.kind,
                "operation": n.operation,
                "local": expression(n.local),
                "expression": expression(n.expr),
                "children": list(n.children),
                "parents": g.parents[n.name],
            }
            if n.name in graph.values:
                entry["value"] = {
                    **expression(graph.values[n.name], typed=False),
                    "decimal": decimal(graph.values[n.name], DIGITS),
                }
            if n.kind != "constant":
                adjoint = graph.adjoints[n.name]
                entry["adjoint"] = expression(adjoint, typed=False)
                entry["adjoint_symbolic"] = expression(graph.backward_pass.symbolic[n.name], typed=False)
                if not adjoint.free_symbols:
                    entry["adjoint"]["decimal"] = decimal(adjoint, DIGITS)
            nodes.append(entry)
        return {
            "kind": "computation_graph",
            "input": graph.input,
            "output": g.output,
            "at": {s.name: expression(v) for s, v in graph.point.items()},
            "nodes": nodes,
            "value": None if graph.value is None else expression(graph.value, typed=False),
            "gradient": {name: expression(v, typed=False) for name, v in graph.gradient.items()},
            "forward": None if graph.forward is None else self.data(graph.forward),
            "backward": [self.data(d) for d in graph.backward],
            "compared_with_step_engine": graph.backward_pass.compared,
            "forward_mode": None
            if not graph.tangents
            else {"input": graph.forward_mode_input, "tangents": [self.data(d) for d in graph.tangents.values()]},
            "verified": {"ok": graph.report.ok, "proved": graph.report.proved, "summary": graph.report.summary()},
        }

    def _data_Gradient(self, gradient: Gradient) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "gradient",
            "function": expression(gradient.function),
            "variables": [s.name for s in gradient.variables],
            "gradient": [expression(v, typed=False) for v in gradient.symbolic],
            "partials": [self.data(d) for d in gradient.partials],
            "at": {s.name: expression(v) for s, v in gradient.point.items()},
        }
        if gradient.point and gradient.at_point is not None:
            out["gradient_at_point"] = [expression(v, typed=False) for v in gradient.at_point]
            out["norm"] = expression(gradient.norm or sp.S.Zero)
            direction = gradient.direction
            out["steepest_ascent"] = None if direction is None else [expression(v) for v in direction]
        return out

    def _data_Hessian(self, hessian: Hessian) -> dict[str, Any]:
        symbolic, at = hessian.symbolic, hessian.at_point
        return {
            "kind": "hessian",
            "function": expression(hessian.function),
            "variables": [s.name for s in hessian.variables],
            "hessian": [[expression(v, typed=False) for v in symbolic.row(i)] for i in range(symbolic.rows)],
            "entries": [[self.data(d) for d in row] for row in hessian.entries],
            "symmetric": hessian.symmetric,
            "at_point": None if at is None else [[expression(v) for v in at.row(i)] for i in range(at.rows)],
            "definiteness": hessian.definiteness,
        }

    def _data_Slope(self, s: Slope) -> dict[str, Any]:
        return {
            "kind": "slope",
            "function": expression(s.function),
            "variable": s.variable.name,
            "at": expression(s.a),
            "h": expression(s.h),
            "central": s.central,
            "slope": {**expression(s.slope), "decimal": decimal(s.slope)},
            "derivative": {**expression(s.exact, typed=False), "decimal": decimal(s.exact)},
            "error": decimal(s.error),
            "difference_quotient": self.data(s.derivation),
            "derivative_derivation": self.data(s.derivative),
            "table": [
                {
                    "h": decimal(r.h),
                    "forward": decimal(r.forward, 15),
                    "forward_error": decimal(r.forward_error, 4),
                    "central": decimal(r.central, 15),
                    "central_error": decimal(r.central_error, 4),
                }
                for r in s.table
            ],
        }

    def _data_OneSidedSlopes(self, s: OneSidedSlopes) -> dict[str, Any]:
        def side(value: sp.Expr | None) -> Any:
            return None if value is None else {**expression(value, typed=False), "decimal": decimal(value)}

        return {
            "kind": "one_sided_slopes",
            "function": expression(s.function),
            "variable": s.variable.name,
            "at": expression(s.a),
            "h": expression(s.h),
            "slope": {**expression(s.slope), "decimal": decimal(s.slope)},
            "difference_quotient": self.data(s.secant),
            "from_the_left": side(s.left_slope),
            "from_the_right": side(s.right_slope),
            "left_derivation": None if s.left is None else self.data(s.left),
            "right_derivation": None if s.right is None else self.data(s.right),
            "differentiable": s.differentiable,
            "derivative": side(s.derivative),
            "conclusion": s.conclusion,
            "table": [
                {
                    "h": decimal(r.h),
                    "left": None if r.left is None else decimal(r.left, 15),
                    "right": None if r.right is None else decimal(r.right, 15),
                }
                for r in s.table
            ],
        }

    def _data_CheckResult(self, result: CheckResult) -> dict[str, Any]:
        return {
            "verdict": result.verdict,
            "method": result.method,
            "message": result.message,
            "read_as": result.read_as,
            "counterexample": result.counterexample,
            "diagnosis": [self.data(d) for d in result.diagnosis],
            "lines": result.lines,
            "answer": None if result.answer is None else latex(result.answer),
            "expected": None if result.expected is None else latex(result.expected, typed=False),
        }

    def _data_Diagnosis(self, diagnosis: Diagnosis) -> dict[str, str]:
        return {"mistake": diagnosis.mistake, "message": diagnosis.message}

    def _data_Handout(self, handout: Handout) -> Any:
        """Topic → its results; the bare list when the demo was asked for one topic."""
        topics = {section.topic: [self.data(item) for item in section.items] for section in handout.sections}
        return topics if len(topics) > 1 else next(iter(topics.values()))

    def _data_ModelDerivation(self, d: ModelDerivation) -> dict[str, Any]:
        report = d.verify()
        parts = [{"name": name, **self.data(part)} for name, part in d.parts()]  # in full, side derivations too
        first = next(iter(d.gradients.values()))
        return {
            "kind": "model",
            "model": d.spec.name,
            "title": d.spec.title,
            "cost": {**self._data_MatrixGradient(first)["function"], "lecture": d.spec.cost_text},
            "parameters": {p.name: {"symbol": p.symbol, "shape": list(p.dims)} for p in d.spec.parameters},
            "gradients": {
                p.name: self._data_MatrixGradient(d.gradients[p.symbol])["result"] for p in d.spec.parameters
            },
            "parts": parts,
            "verified": {"ok": report.ok, "proved": report.proved, "summary": model_words.checked(d)},
        }

    def _data_GradientCheck(self, c: GradientCheck) -> dict[str, Any]:
        return {
            "kind": "gradient_check", "model": c.model, "n": c.n, "m": c.m, "seed": c.seed,
            "relative_error": {"float64": c.float64, "float32": c.float32},
            "h": {"float64": c.h64, "float32": c.h32}, "tolerance": c.tolerance, "ok": c.ok,
        }  # fmt: skip

    def _data_FitResult(self, r: FitResult) -> dict[str, Any]:
        def value(name: str, v: Any) -> Any:
            labels = r.labels(name)
            flat = [float(x) for x in np.ravel(v)]
            if labels and len(labels) == len(flat) and np.ndim(v) == 1:
                return dict(zip(labels, flat, strict=True))
            if np.ndim(v) == 2 and len(r.features) == np.shape(v)[0]:  # W: feature → its row (one per class or unit)
                return {f: [float(x) for x in row] for f, row in zip(r.features, np.asarray(v), strict=True)}
            return float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float).tolist()

        return {
            "model": r.model,
            "parameters": {name: value(name, v) for name, v in r.params.items()},
            "cost": r.cost, "iterations": r.iterations, "converged": r.converged, "stopped": r.stopped, "note": r.note,
            "gradient_norm": r.gradient_norm, "lr": r.lr, "tol": r.tol, "max_iter": r.max_iter,
            "standardized": r.standardized, "history": r.history,
        }  # fmt: skip

    def _data_SklearnComparison(self, c: Any) -> dict[str, Any]:
        return {
            "reference": c.reference, "note": c.note, "iterations": list(c.iterations), "seconds": list(c.seconds),
            "rows": [{"what": what, "ours": ours, "sklearn": ref} for what, ours, ref in c.rows],
        }  # fmt: skip
