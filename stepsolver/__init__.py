"""stepsolver: the mathematics of deep learning, worked step by step, every step machine-checked."""

from __future__ import annotations

from .calculus.api import differentiate
from .calculus.finite_difference import Slope, slope
from .calculus.gradient import Gradient, Hessian, gradient, hessian
from .core.derivation import Derivation, Step, VerificationReport
from .core.rules import RULES, Rule
from .errors import DomainError, ParseError, RuleError, StepsolverError, VerificationError
from .graph import ComputationGraph, computation_graph
from .parse import parse

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "ComputationGraph",
    "Derivation",
    "DomainError",
    "Gradient",
    "Hessian",
    "ParseError",
    "Rule",
    "RuleError",
    "Slope",
    "Step",
    "StepsolverError",
    "VerificationError",
    "VerificationReport",
    "computation_graph",
    "differentiate",
    "gradient",
    "hessian",
    "parse",
    "slope",
]
