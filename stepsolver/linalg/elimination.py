"""Row reduction to reduced row echelon form, one named row operation at a time, exactly."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from .words import words


@dataclass(frozen=True)
class RowOperation:
    description: str  # "R₂ ← R₂ − 3·R₁", as a teacher writes it
    matrix: sp.ImmutableMatrix  # the whole (possibly augmented) matrix after the operation
    divisor: sp.Expr | None = None  # the pivot a row was divided by: with symbols, assumed non-zero
    # for a square matrix, det(before) = det_factor · det(after): −1 for a swap, c for a row divided by
    # c, 1 for adding a multiple of another row
    det_factor: sp.Expr = sp.S.One


def _row(i: int) -> str:
    return f"R{i + 1}"


def _coefficient(c: sp.Expr) -> str:
    """A divisor as it reads after "/": 4, (−1), (1/2), (a² − 1); never "R1 / -1"."""
    if c.is_Atom and not (c.is_Number and c.is_negative):
        return words(c) if c is sp.I else sp.sstr(c)
    return f"({words(c)})"


def _tidy(value: sp.Expr) -> sp.Expr:
    """Fractions are already tidy; surds get their denominators rationalised."""
    return value if value.is_Rational else sp.radsimp(value)


def _tidy_entry(value: sp.Expr) -> sp.Expr:
    """As ``_tidy``, and a symbolic entry as one fraction, multiplied out (1 - a² - 1, not a·(1 - a²) - 1)."""
    return sp.cancel(value) if value.free_symbols else _tidy(value)


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
    divisors = [op.divisor for op in operations if op.divisor is not None and op.divisor.free_symbols]
    pivots = list(dict.fromkeys(-p if p.could_extract_minus_sign() else p for p in divisors))  # b and -b: once
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
            operations.append(
                RowOperation(f"{_row(row)} ↔ {_row(pivot)}", sp.ImmutableMatrix(m), None, sp.S.NegativeOne)
            )
        lead = m[row, col]
        if lead != 1:
            m[row, :] = (m[row, :] / lead).applyfunc(_tidy)
            operations.append(
                RowOperation(f"{_row(row)} ← {_row(row)} / {_coefficient(lead)}", sp.ImmutableMatrix(m), lead, lead)
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


def _content(row: sp.MatrixBase) -> sp.Rational:
    """The positive rational c with row / c whole numbers without a common factor: 2 for
    (2, 4, 6), 1/4 for (1/2, 3/4); 1 for a row with anything but rational numbers in it."""
    values = [v for v in row if v != 0]
    if not values or not all(v.is_Rational for v in values):
        return sp.S.One
    numerators = [abs(int(sp.fraction(v)[0])) for v in values]
    denominators = [int(sp.fraction(v)[1]) for v in values]
    return sp.Rational(math.gcd(*numerators), math.lcm(*denominators))


def _pivot_row(m: sp.Matrix, col: int, candidates: list[int]) -> int:
    """A 1 or −1 if there is one (no fractions follow), else a number (no division by a symbol),
    else any non-zero entry; the row already in place when it qualifies (no needless swap)."""
    tests = (lambda r: m[r, col] in (1, -1), lambda r: m[r, col].is_number, lambda r: True)
    for test in tests:
        chosen = [r for r in candidates if test(r)]
        if chosen:
            return col if col in chosen else chosen[0]
    raise AssertionError("no candidates")  # never: the caller passes at least one


def triangularise(matrix: sp.MatrixBase) -> list[RowOperation]:
    """Gaussian elimination of a square matrix to upper triangular form for its determinant:
    row swaps (det changes sign), a pivot row divided by its common factor (det = c·det of the
    result), and multiples of the pivot row subtracted from the rows below (det unchanged). A
    column with no pivot leaves a 0 on the diagonal, and the determinant is 0."""
    m = sp.Matrix(matrix)
    operations: list[RowOperation] = []
    for col in range(min(m.rows, m.cols)):
        candidates = [r for r in range(col, m.rows) if not is_zero(m[r, col])]
        for r in range(col, m.rows):
            if r not in candidates:
                m[r, col] = 0  # exactly
        if not candidates:
            continue
        pivot = _pivot_row(m, col, candidates)
        if pivot != col:
            m.row_swap(pivot, col)
            operations.append(
                RowOperation(f"{_row(col)} ↔ {_row(pivot)}", sp.ImmutableMatrix(m), None, sp.S.NegativeOne)
            )
        content = _content(m.row(col))
        if content != 1:
            m[col, :] = m[col, :] / content
            shown = (
                f"{_row(col)} / {_coefficient(content)}"
                if content.is_Integer
                else (f"{_coefficient(1 / content)}·{_row(col)}")
            )
            operations.append(RowOperation(f"{_row(col)} ← {shown}", sp.ImmutableMatrix(m), None, content))
        lead = m[col, col]
        for other in range(col + 1, m.rows):
            entry = m[other, col]
            if is_zero(entry):
                m[other, col] = 0
                continue
            factor = _tidy(sp.cancel(entry / lead))
            m[other, :] = (m[other, :] - factor * m[col, :]).applyfunc(_tidy_entry)
            m[other, col] = 0  # exactly, whatever form the arithmetic left it in
            sign = "−" if not factor.could_extract_minus_sign() else "+"
            shown = _coefficient(-factor if sign == "+" else factor)
            divisor = lead if lead.free_symbols else None
            operations.append(
                RowOperation(
                    f"{_row(other)} ← {_row(other)} {sign} {shown}·{_row(col)}", sp.ImmutableMatrix(m), divisor
                )
            )
    return operations
