"""Gradient and Hessian of a scalar function of several variables, each entry worked by the
step engine; at a point, the gradient's length and the direction of steepest ascent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from ..core import envelope
from ..core.derivation import Derivation, DerivativeContext, VerificationReport
from ..core.display import Displayable
from ..core.envelope import worked
from ..core.notation import text
from ..core.terms import substitute_held
from ..core.values import undefined_at
from ..core.verify import Check, prove_equal
from ..errors import DomainError, ParseError, RuleError
from ..parse import Syntax, parse
from ..parse.inputs import Point, read_point, read_variables
from .api import differentiate

MAX_GRADIENT_VARIABLES = 8
MAX_HESSIAN_VARIABLES = 5


@dataclass
class Gradient(Displayable):
    function: sp.Expr
    variables: list[sp.Symbol]
    partials: list[Derivation[DerivativeContext]]  # ∂f/∂x_i, each worked (and evaluated at the point, if one is given)
    symbolic: sp.Matrix
    point: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    @property
    def at_point(self) -> sp.Matrix | None:
        return sp.Matrix([d.result for d in self.partials]) if self.point else None

    @property
    def norm(self) -> sp.Expr | None:
        """‖∇f‖ at the point: the rate of increase in the steepest direction."""
        at = self.at_point
        return None if at is None else sp.sqrt(sum(v**2 for v in at))

    @property
    def direction(self) -> sp.Matrix | None:
        """∇f/‖∇f‖ at the point: the direction of steepest ascent (None where ∇f = 0)."""
        at, norm = self.at_point, self.norm
        if at is None or norm is None or norm == 0:
            return None
        return sp.Matrix([sp.radsimp(v / norm) for v in at])

    def verify(self) -> VerificationReport:
        return VerificationReport.of((f"∂f/∂{x}", d) for x, d in zip(self.variables, self.partials, strict=True))


def _symbolic_result(derivation: Derivation[DerivativeContext]) -> sp.Expr:
    """The partial derivative before it was evaluated at a point (the substitution is the last step)."""
    steps = derivation.steps
    return steps[-2].after if derivation.context.at and len(steps) > 1 else derivation.result


def gradient(
    expr: str | sp.Expr, variables: Sequence[str] | str | None = None, at: Point = None, syntax: Syntax = "auto"
) -> Gradient:
    """∇f: every first partial derivative worked step by step; ``at`` evaluates it at a point."""
    f = parse(expr, syntax)
    chosen = read_variables(f, variables)
    if len(chosen) > MAX_GRADIENT_VARIABLES:
        raise RuleError(f"{len(chosen)} variables; a worked gradient takes at most {MAX_GRADIENT_VARIABLES}")
    point = read_point(f, chosen[0], at, syntax) if at is not None else {}
    missing = [s.name for s in f.free_symbols if s not in point] if point else []
    if missing:
        raise ParseError(f"no value given for {', '.join(sorted(missing))}")

    def build() -> Gradient:
        partials = [differentiate(f, wrt=x, at=point or None) for x in chosen]
        return Gradient(f, chosen, partials, sp.Matrix([_symbolic_result(d) for d in partials]), point)

    return worked(build, "gradient", seconds=3 * envelope.MAX_SECONDS)


@dataclass
class Hessian(Displayable):
    function: sp.Expr
    variables: list[sp.Symbol]
    entries: list[list[Derivation[DerivativeContext]]]  # entries[i][j]: ∂/∂x_j of ∂f/∂x_i, worked
    symbolic: sp.Matrix
    symmetry: list[tuple[int, int, Check]]  # Schwarz: H_ij = H_ji, each pair checked
    point: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    @property
    def at_point(self) -> sp.Matrix | None:
        return self.symbolic.subs(self.point) if self.point else None

    @property
    def symmetric(self) -> bool:
        return all(check.ok for *_, check in self.symmetry)

    def upper(self) -> list[tuple[sp.Symbol, sp.Symbol, Derivation[DerivativeContext]]]:
        """(x_i, x_j, ∂/∂x_j of ∂f/∂x_i) for j ≥ i: the entries a worked Hessian shows (H is symmetric)."""
        n = len(self.variables)
        v = self.variables
        return [(v[i], v[j], self.entries[i][j]) for i in range(n) for j in range(i, n)]

    @property
    def definiteness(self) -> str | None:
        at = self.at_point
        if at is None or at.free_symbols:
            return None
        if at.is_positive_definite:
            return "positive definite"
        if at.is_negative_definite:
            return "negative definite"
        if at.is_indefinite:
            return "indefinite"
        if at.is_positive_semidefinite:
            return "positive semidefinite (the second-derivative test cannot decide)"
        if at.is_negative_semidefinite:
            return "negative semidefinite (the second-derivative test cannot decide)"
        return "semidefinite"

    def verify(self) -> VerificationReport:
        """Every entry's steps (the symmetry H_ij = H_ji is a finding, reported beside them)."""
        n = len(self.variables)
        return VerificationReport.of((f"H[{i + 1},{j + 1}]", self.entries[i][j]) for i in range(n) for j in range(n))


def hessian(
    expr: str | sp.Expr, variables: Sequence[str] | str | None = None, at: Point = None, syntax: Syntax = "auto"
) -> Hessian:
    """The matrix of second partial derivatives, each worked from the gradient's entries."""
    first = gradient(expr, variables, None, syntax)
    n = len(first.variables)
    if n > MAX_HESSIAN_VARIABLES:
        raise RuleError(f"{n} variables; a worked Hessian takes at most {MAX_HESSIAN_VARIABLES}")
    point = read_point(first.function, first.variables[0], at, syntax) if at is not None else {}

    def build() -> Hessian:
        entries = [[differentiate(first.symbolic[i], wrt=xj) for xj in first.variables] for i in range(n)]
        symbolic = sp.Matrix(n, n, lambda i, j: entries[i][j].result)
        symmetry = [(i, j, prove_equal(symbolic[i, j], symbolic[j, i])) for i in range(n) for j in range(i + 1, n)]
        if point:
            _require_real_entries(first.function, symbolic, point)
        return Hessian(first.function, first.variables, entries, symbolic, symmetry, point)

    return worked(build, "Hessian", seconds=3 * envelope.MAX_SECONDS)


def _require_real_entries(f: sp.Expr, matrix: sp.Matrix, point: dict[sp.Symbol, sp.Expr]) -> None:
    """Variables are real: a Hessian at a point outside f's real domain has no value (√x at x = -1)."""
    where = ", ".join(f"{s} = {text(v)}" for s, v in point.items())
    for term in (f, *matrix):
        reason = undefined_at(term, substitute_held(term, point).doit(), dict(point))
        if reason:
            raise DomainError(f"the Hessian has no value at {where}: {reason}")
