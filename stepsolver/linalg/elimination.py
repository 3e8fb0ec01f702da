"""Row reduction to reduced row echelon form, one named row operation at a time, exactly."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class RowOperation:
    description: str  # "R₂ ← R₂ − 3·R₁", as a teacher writes it
    matrix: sp.ImmutableMatrix  # the whole (possibly augmented) matrix after the operation
    divisor: sp.Expr | None = None  # the pivot a row was divided by: with symbols, assumed non-zero


def _row(i: int) -> str:
    return f"R{i + 1}"


def _coefficient(c: sp.Expr) -> str:
    return sp.sstr(c) if c.is_Atom else f"({sp.sstr(c)})"


def _tidy(value: sp.Expr) -> sp.Expr:
    """Fractions are already tidy; surds get their denominators rationalised."""
    return value if value.is_Rational else sp.radsimp(value)


def is_zero(value: sp.Expr) -> bool:
    """Exactly zero; surds that simplification leaves as a long zero are caught at 50 digits
    (every result built on this is verified afterwards, so a wrong call cannot go unnoticed)."""
    if value == 0:
        return True
    if value.is_number:
        return bool(abs(sp.N(value, 50)) < sp.Float("1e-40"))
    return bool(sp.simplify(value) == 0)


def nullspace(matrix: sp.MatrixBase) -> tuple[list[sp.Matrix], list[RowOperation]]:
    """A basis of {v : Mv = 0}, read off the reduced echelon form (one vector per free column),
    and the row operations that found it (their pivots are what symbolic entries must avoid)."""
    operations, pivots = row_reduce(matrix)
    reduced = operations[-1].matrix if operations else sp.ImmutableMatrix(matrix)
    basis = []
    for free in (j for j in range(matrix.cols) if j not in pivots):
        v = sp.zeros(matrix.cols, 1)
        v[free] = 1
        for row, pivot in enumerate(pivots):
            v[pivot] = sp.radsimp(-reduced[row, free])
        basis.append(v)
    return basis, operations


def assumptions(operations: list[RowOperation]) -> str:
    """With symbols in the matrix, the answer holds where every pivot divided by is non-zero."""
    pivots = list(dict.fromkeys(op.divisor for op in operations if op.divisor is not None and op.divisor.free_symbols))
    if not pivots:
        return ""
    return " (for symbolic entries: where " + ", ".join(f"{sp.sstr(p)} ≠ 0" for p in pivots) + ")"


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
        pivot = next((r for r in range(row, m.rows) if not is_zero(m[r, col])), None)
        if pivot is None:
            continue
        if pivot != row:
            m.row_swap(pivot, row)
            operations.append(RowOperation(f"{_row(row)} ↔ {_row(pivot)}", sp.ImmutableMatrix(m)))
        lead = m[row, col]
        if lead != 1:
            m[row, :] = (m[row, :] / lead).applyfunc(_tidy)
            operations.append(
                RowOperation(f"{_row(row)} ← {_row(row)} / {_coefficient(lead)}", sp.ImmutableMatrix(m), lead)
            )
        for other in range(m.rows):
            factor = m[other, col]
            if other == row or is_zero(factor):
                m[other, col] = 0 if other != row else m[other, col]
                continue
            m[other, :] = (m[other, :] - factor * m[row, :]).applyfunc(_tidy)
            m[other, col] = 0  # exactly, whatever form the arithmetic left it in
            sign = "−" if not factor.could_extract_minus_sign() else "+"
            shown = _coefficient(-factor if sign == "+" else factor)
            operations.append(
                RowOperation(f"{_row(other)} ← {_row(other)} {sign} {shown}·{_row(row)}", sp.ImmutableMatrix(m))
            )
        pivots.append(col)
        row += 1
    return operations, pivots
