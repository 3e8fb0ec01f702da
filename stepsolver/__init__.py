"""stepsolver: the mathematics of deep learning, worked step by step, every step machine-checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .calculus.api import differentiate
from .core.derivation import Derivation, Step, VerificationReport
from .core.rules import Rule
from .errors import DomainError, ParseError, RuleError, StepsolverError, VerificationError
from .parse import parse

if TYPE_CHECKING:
    from .calculus.finite_difference import Slope, slope
    from .calculus.gradient import Gradient, Hessian, gradient, hessian
    from .calculus.one_sided import OneSidedSlopes
    from .check import CheckResult, check_answer
    from .core.rules import RULES
    from .graph import ComputationGraph, computation_graph
    from .matrixcalc.api import MatrixGradient, matrix_gradient
    from .models import FitResult, Model, model

__version__ = "0.1.0"

# Graphs, gradients and slopes load on first use: `stepsolver diff` should not pay for them
# (or for Jinja2, which their LaTeX needs) at start-up.
_LAZY = {
    "ComputationGraph": ".graph",
    "computation_graph": ".graph",
    "Gradient": ".calculus.gradient",
    "Hessian": ".calculus.gradient",
    "gradient": ".calculus.gradient",
    "hessian": ".calculus.gradient",
    "Slope": ".calculus.finite_difference",
    "OneSidedSlopes": ".calculus.one_sided",
    "slope": ".calculus.finite_difference",
    "check_answer": ".check",
    "matrix_gradient": ".matrixcalc.api",
    "MatrixGradient": ".matrixcalc.api",
    "CheckResult": ".check",
    "model": ".models",
    "Model": ".models",
    "FitResult": ".models",
}


# Each domain declares its rules where it lives; RULES is every one of them.
_RULE_MODULES = (
    ".calculus.rules",
    ".calculus.function_rules",
    ".calculus.final_forms",
    ".graph.rules",
    ".linalg.rules",
    ".matrixcalc.rules",
    ".models.rules",
)


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    if name == "RULES":
        for module in _RULE_MODULES:
            import_module(module, __name__)
        from .core.rules import RULES

        return RULES
    raise AttributeError(f"module 'stepsolver' has no attribute {name!r}")


__all__ = [
    "RULES",
    "CheckResult",
    "ComputationGraph",
    "Derivation",
    "DomainError",
    "FitResult",
    "Gradient",
    "Hessian",
    "MatrixGradient",
    "Model",
    "OneSidedSlopes",
    "ParseError",
    "Rule",
    "RuleError",
    "Slope",
    "Step",
    "StepsolverError",
    "VerificationError",
    "VerificationReport",
    "check_answer",
    "computation_graph",
    "differentiate",
    "gradient",
    "hessian",
    "matrix_gradient",
    "model",
    "parse",
    "slope",
]
