"""Checking homework answers: equivalence, the mistake named."""

from .answer import CheckResult, Diagnosis, check_answer

__all__ = ["CheckResult", "Diagnosis", "check_answer"]
