"""Row reduction to reduced row echelon form, one named row operation at a time, exactly."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class RowOperation:
    description: str  # "R₂ ← R₂ − 3·R₁", as a teacher writes it
    matrix: sp.ImmutableMatrix  # the whole (possibly augmented) matrix after the operation


def _row(i: int) -> str:
    return f"R{i + 1}"


def _coefficient(c: sp.Expr) -> str:
    return sp.sstr(c) if c.is_Atom else f"({sp.sstr(c)})"


def row_reduce(matrix: sp.MatrixBase, columns: int | None = None) -> tuple[list[RowOperation], list[int]]:
    """Gauss–Jordan on the first ``columns`` columns (all by default; fewer for an augmented
    [A | b] or [A | I]). Returns the operations and the pivot columns."""
    m = sp.Matrix(matrix)
    limit = m.cols if columns is None else columns
    operations: list[RowOperation] = []
    pivots: list[int] = []
    row = 0
    for col in range(limit):
        if row >= m.rows:
            break
        pivot = next((r for r in range(row, m.rows) if sp.simplify(m[r, col]) != 0), None)
        if pivot is None:
            continue
        if pivot != row:
            m.row_swap(pivot, row)
            operations.append(RowOperation(f"{_row(row)} ↔ {_row(pivot)}", sp.ImmutableMatrix(m)))
        lead = m[row, col]
        if lead != 1:
            m[row, :] = (m[row, :] / lead).applyfunc(sp.simplify)
            operations.append(RowOperation(f"{_row(row)} ← {_row(row)} / {_coefficient(lead)}", sp.ImmutableMatrix(m)))
        for other in range(m.rows):
            factor = m[other, col]
            if other == row or factor == 0:
                continue
            m[other, :] = (m[other, :] - factor * m[row, :]).applyfunc(sp.simplify)
            sign = "−" if not factor.could_extract_minus_sign() else "+"
            shown = _coefficient(-factor if sign == "+" else factor)
            operations.append(
                RowOperation(f"{_row(other)} ← {_row(other)} {sign} {shown}·{_row(row)}", sp.ImmutableMatrix(m))
            )
        pivots.append(col)
        row += 1
    return operations, pivots
