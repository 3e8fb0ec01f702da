"""The errors a user can cause, each carrying a one-line message and, for input, a position."""

from __future__ import annotations


class StepsolverError(Exception):
    """Base class for every error stepsolver reports to a user."""


class ParseError(StepsolverError, ValueError):
    """The input could not be read; ``position`` is the 0-based character offset, if known."""

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        self.message = message
        self.position = position
        self.text = text
        super().__init__(self.one_line())

    def one_line(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at column {self.position + 1})"


class RuleError(StepsolverError):
    """A derivation was asked for something the rules cannot do (e.g. a bad variable)."""


class VerificationError(StepsolverError):
    """A step failed its machine check; the engine refuses to emit such a derivation."""


class DomainError(StepsolverError, ValueError):
    """A value asked for outside the real domain: ln of a negative number, division by zero."""


class ShapeError(StepsolverError, ValueError):
    """Vectors or matrices whose shapes do not fit the operation (check dimensions!)."""


class FormatNotAvailable(StepsolverError, ValueError):
    """A result asked for in a format its renderer has no method for (a Hessian as LaTeX)."""
