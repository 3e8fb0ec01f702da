"""stepsolver: the mathematics of deep learning, worked step by step, every step machine-checked."""

from __future__ import annotations

from .calculus.api import differentiate
from .core.derivation import Derivation, Step, VerificationReport
from .core.rules import RULES, Rule
from .errors import ParseError, RuleError, StepsolverError, VerificationError
from .parse import parse

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Derivation",
    "ParseError",
    "Rule",
    "RuleError",
    "Step",
    "StepsolverError",
    "VerificationError",
    "VerificationReport",
    "differentiate",
    "parse",
]
