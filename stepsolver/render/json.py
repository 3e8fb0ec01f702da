"""JSON per the interface contract: every expression as LaTeX and as SymPy srepr."""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from ..core.derivation import Derivation, Step
from .printers import latex


def expression(expr: sp.Basic, partial: bool = False, typed: bool = True) -> dict[str, str]:
    return {"latex": latex(expr, partial, typed), "sympy": sp.srepr(expr)}


def step_dict(step: Step, partial: bool) -> dict[str, Any]:
    check = step.verify()
    return {
        "rule": step.rule.id,
        "title": step.rule.title,
        "formula": step.rule.formula,
        "before": expression(step.before, partial),
        "after": expression(step.after, partial, step.typed_order),
        "bindings": {name: expression(value, partial) for name, value in step.bindings.items()},
        "substeps": [derivation_dict(sub) for sub in step.substeps],
        "verified": {"status": check.status, "method": check.method},
    }


def derivation_dict(derivation: Derivation) -> dict[str, Any]:
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
    return {
        "kind": derivation.kind,
        "input": derivation.input,
        "start": expression(derivation.start, derivation.partial),
        "result": value_json(derivation.result, derivation.partial, _result_typed(derivation)),
        "variables": variables,
        "steps": [step_dict(step, derivation.partial) for step in derivation.steps],
        **({"numpy": numpy} if (numpy := getattr(derivation, "numpy", "")) else {}),
    }


def value_json(value: Any, partial: bool = False, typed: bool = True) -> Any:
    """A result as JSON: an expression, True/False, or (eigen) a list of eigenvalue and vectors."""
    if isinstance(value, dict):
        return [{"value": expression(k), "vectors": [expression(v) for v in vs]} for k, vs in value.items()]
    if isinstance(value, bool):
        return value
    return expression(value, partial, typed)


def _result_typed(derivation: Derivation) -> bool:
    return derivation.steps[-1].typed_order if derivation.steps else True


def render_json(derivation: Derivation, indent: int | None = 2) -> str:
    return json.dumps(derivation_dict(derivation), indent=indent, ensure_ascii=False)
