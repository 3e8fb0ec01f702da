"""Gradient and Hessian of a scalar function of several variables, each entry worked by the
step engine; at a point, the gradient's length and the direction of steepest ascent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.derivation import Derivation
from ..core.terms import substitute_held
from ..core.values import undefined_at
from ..core.verify import Check, prove_equal
from ..errors import DomainError, ParseError, RuleError
from ..parse import Syntax, parse
from ..parse.inputs import Point, read_point, read_variables
from ..render.json import derivation_dict, expression
from ..render.latex import render_document, render_latex
from ..render.markdown import render_markdown
from ..render.printers import decimal, latex, text
from ..render.text import render_text
from .api import differentiate

MAX_GRADIENT_VARIABLES = 8
MAX_HESSIAN_VARIABLES = 5


def matrix_text(matrix: sp.Matrix) -> str:
    """[[2·y, 2·x], [2·x, 6·y]]: one line, in the notation of the rest of the text output."""
    rows = [", ".join(text(v, typed=False) for v in matrix.row(i)) for i in range(matrix.rows)]
    return "[" + ", ".join(f"[{row}]" for row in rows) + "]"


def _pair(value: sp.Expr) -> str:
    return text(value, typed=False) + ("" if value.is_Rational or value.free_symbols else f" ≈ {decimal(value, 6)}")


@dataclass
class Gradient:
    function: sp.Expr
    variables: list[sp.Symbol]
    partials: list[Derivation]  # ∂f/∂x_i, each worked (and evaluated at the point, if one is given)
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

    def to_text(self) -> str:
        out = [f"Gradient of f = {text(self.function)}", ""]
        for x, derivation in zip(self.variables, self.partials, strict=True):
            out += [f"∂f/∂{x}:", render_text(derivation, "  "), ""]
        out.append("∇f = (" + ", ".join(text(v, typed=False) for v in self.symbolic) + ")")
        if self.point:
            where = ", ".join(f"{s} = {text(v)}" for s, v in self.point.items())
            out.append(f"∇f at {where} = (" + ", ".join(_pair(v) for v in self.at_point or []) + ")")
            out.append(f"‖∇f‖ = {_pair(self.norm or sp.S.Zero)}")
            direction = self.direction
            out.append(
                "direction of steepest ascent ∇f/‖∇f‖ = (" + ", ".join(_pair(v) for v in direction) + ")"
                if direction is not None
                else "∇f = 0 here: a stationary point, with no direction of steepest ascent"
            )
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        out = [f"### Gradient of $f = {latex(self.function)}$", ""]
        for x, derivation in zip(self.variables, self.partials, strict=True):
            out += [rf"**$\partial f / \partial {latex(x)}$**", "", render_markdown(derivation)]
        out += [rf"$$\nabla f = {latex(self.symbolic.T, typed=False)}^{{T}}$$", ""]
        if self.point and self.at_point is not None:
            out += [
                rf"$$\nabla f = {latex(self.at_point.T, typed=False)}^{{T}}, \quad \|\nabla f\| = "
                rf"{latex(self.norm or sp.S.Zero)}$$",
                "",
            ]
        return "\n".join(out)

    def to_latex(self, standalone: bool = False) -> str:
        parts = []
        for x, derivation in zip(self.variables, self.partials, strict=True):
            parts += [rf"\paragraph{{$\partial f / \partial {latex(x)}$}}", render_latex(derivation)]
        parts.append(rf"\[ \nabla f = {latex(self.symbolic, typed=False)} \]")
        if self.point and self.at_point is not None:
            parts.append(
                rf"\[ \nabla f = {latex(self.at_point, typed=False)}, \quad "
                rf"\|\nabla f\| = {latex(self.norm or sp.S.Zero)} \]"
            )
            if self.direction is not None:
                parts.append(
                    rf"Direction of steepest ascent: \[ \frac{{\nabla f}}{{\|\nabla f\|}} = "
                    rf"{latex(self.direction, typed=False)} \]"
                )
        body = "\n".join(parts)
        return render_document(rf"Gradient of $f = {latex(self.function)}$", body) if standalone else body

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "gradient",
            "function": expression(self.function),
            "variables": [s.name for s in self.variables],
            "gradient": [expression(v, typed=False) for v in self.symbolic],
            "partials": [derivation_dict(d) for d in self.partials],
            "at": {s.name: expression(v) for s, v in self.point.items()},
        }
        if self.point and self.at_point is not None:
            out["gradient_at_point"] = [expression(v, typed=False) for v in self.at_point]
            out["norm"] = expression(self.norm or sp.S.Zero)
            direction = self.direction
            out["steepest_ascent"] = None if direction is None else [expression(v) for v in direction]
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        return self.to_text()


def _symbolic_result(derivation: Derivation) -> sp.Expr:
    """The partial derivative before it was evaluated at a point."""
    steps = derivation.steps
    return steps[-2].after if steps and steps[-1].rule.id == "substitute" and len(steps) > 1 else derivation.result


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
    partials = [differentiate(f, wrt=x, at=point or None) for x in chosen]
    symbolic = sp.Matrix([_symbolic_result(d) for d in partials])
    return Gradient(f, chosen, partials, symbolic, point)


@dataclass
class Hessian:
    function: sp.Expr
    variables: list[sp.Symbol]
    entries: list[list[Derivation]]  # entries[i][j]: ∂/∂x_j of ∂f/∂x_i, worked
    symbolic: sp.Matrix
    symmetry: list[tuple[int, int, Check]]  # Schwarz: H_ij = H_ji, each pair checked
    point: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    @property
    def at_point(self) -> sp.Matrix | None:
        return self.symbolic.subs(self.point) if self.point else None

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
        return "semidefinite"

    def to_text(self) -> str:
        out = [f"Hessian of f = {text(self.function)}", ""]
        for i, row in enumerate(self.entries):
            for j, derivation in enumerate(row):
                if j >= i:
                    xi, xj = self.variables[i], self.variables[j]
                    out += [f"∂²f/∂{xj}∂{xi}:", render_text(derivation, "  "), ""]
        symmetric = all(c.ok for *_, c in self.symmetry)
        out.append("H = " + matrix_text(self.symbolic))
        out.append("symmetric (∂²f/∂x∂y = ∂²f/∂y∂x), checked entry by entry" if symmetric else "NOT symmetric")
        if self.at_point is not None:
            out.append("H at the point = " + matrix_text(self.at_point))
            if self.definiteness:
                out.append(f"the Hessian there is {self.definiteness}")
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "hessian",
            "function": expression(self.function),
            "variables": [s.name for s in self.variables],
            "hessian": [[expression(v, typed=False) for v in self.symbolic.row(i)] for i in range(self.symbolic.rows)],
            "entries": [[derivation_dict(d) for d in row] for row in self.entries],
            "symmetric": all(c.ok for *_, c in self.symmetry),
            "at_point": None
            if self.at_point is None
            else [[expression(v) for v in self.at_point.row(i)] for i in range(self.at_point.rows)],
            "definiteness": self.definiteness,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        return self.to_text()


def hessian(
    expr: str | sp.Expr, variables: Sequence[str] | str | None = None, at: Point = None, syntax: Syntax = "auto"
) -> Hessian:
    """The matrix of second partial derivatives, each worked from the gradient's entries."""
    first = gradient(expr, variables, None, syntax)
    n = len(first.variables)
    if n > MAX_HESSIAN_VARIABLES:
        raise RuleError(f"{n} variables; a worked Hessian takes at most {MAX_HESSIAN_VARIABLES}")
    entries = [[differentiate(first.symbolic[i], wrt=xj) for xj in first.variables] for i in range(n)]
    symbolic = sp.Matrix(n, n, lambda i, j: entries[i][j].result)
    symmetry = [(i, j, prove_equal(symbolic[i, j], symbolic[j, i])) for i in range(n) for j in range(i + 1, n)]
    point = read_point(first.function, first.variables[0], at, syntax) if at is not None else {}
    if point:
        _require_real_entries(first.function, symbolic, point)
    return Hessian(first.function, first.variables, entries, symbolic, symmetry, point)


def _require_real_entries(f: sp.Expr, matrix: sp.Matrix, point: dict[sp.Symbol, sp.Expr]) -> None:
    """Variables are real: a Hessian at a point outside f's real domain has no value (√x at x = -1)."""
    where = ", ".join(f"{s} = {text(v)}" for s, v in point.items())
    for term in (f, *matrix):
        reason = undefined_at(term, substitute_held(term, point).doit(), dict(point))
        if reason:
            raise DomainError(f"the Hessian has no value at {where}: {reason}")
