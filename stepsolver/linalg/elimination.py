"""Row reduction to reduced row echelon form, one named row operation at a time, exactly."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ..core.notation import Said, latex
from .words import Statement, said, words


@dataclass(frozen=True)
class RowOperation:
    formula: Statement  # R₂ ← R₂ − 3R₁, as a teacher writes it (and in LaTeX, R_2 \leftarrow R_2 - 3R_1)
    matrix: sp.ImmutableMatrix  # the whole (possibly augmented) matrix after the operation
    divisor: sp.Expr | None = None  # the pivot a row was divided by: with symbols, assumed non-zero
    # for a square matrix, det(before) = det_factor · det(after): −1 for a swap, c for a row divided by
    # c, 1 for adding a multiple of another row
    det_factor: sp.Expr = sp.S.One


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _row(i: int) -> str:
    return "R" + str(i + 1).translate(_SUBSCRIPTS)


def _row_latex(i: int) -> str:
    return f"R_{{{i + 1}}}"


def _minus(shown: str) -> str:
    """The text printer's hyphen-minus as a minus sign, inside a row operation."""
    shown = shown.replace(" - ", " − ").replace("(-", "(−")
    return "−" + shown[1:] if shown.startswith("-") else shown


def _times(c: sp.Expr, i: int) -> tuple[str, str]:
    """c times row i as a teacher writes it: 3R₂, −R₂, R₂/2, (2/3)R₂, R₁/a; in LaTeX 3R_{2}, -R_{2},
    \tfrac{1}{2} R_{2}, \frac{1}{a} R_{1}."""
    negative = c.could_extract_minus_sign()
    size = -c if negative else c
    sign, sign_latex = ("−", "-") if negative else ("", "")
    row, row_latex = _row(i), _row_latex(i)
    if size == 1:
        return sign + row, sign_latex + row_latex
    if size.is_Integer:
        return f"{sign}{size}{row}", f"{sign_latex}{size}{row_latex}"
    if size.is_Rational:
        shown = f"{row}/{size.q}" if size.p == 1 else f"({size.p}/{size.q}){row}"
        return sign + shown, rf"{sign_latex}\tfrac{{{size.p}}}{{{size.q}}} {row_latex}"
    if isinstance(size, sp.Pow) and size.exp == -1:  # divided by a symbol or a surd: R₁/a, R₁/(a − 1)
        below = size.base
        shown = _minus(words(below))
        shown = shown if below.is_Atom else f"({shown})"
        return f"{sign}{row}/{shown}", rf"{sign_latex}\frac{{{row_latex}}}{{{latex(below, typed=False)}}}"
    shown = _minus(words(size))
    factor = latex(size, typed=False)
    if not size.is_Atom:  # (√2/2)R₁, (a + 1)R₁: a coefficient that is not one symbol is bracketed
        shown = f"({shown})"
        factor = rf"\left({factor}\right)" if isinstance(size, sp.Add) else factor
    return f"{sign}{shown}{row}", f"{sign_latex}{factor} {row_latex}"


def _swap(i: int, j: int) -> Statement:
    return Statement(f"{_row(i)} ↔ {_row(j)}", rf"{_row_latex(i)} \leftrightarrow {_row_latex(j)}")


def _scaled(i: int, c: sp.Expr) -> Statement:
    """Row i replaced by c times itself."""
    shown, tex = _times(c, i)
    return Statement(f"{_row(i)} ← {shown}", rf"{_row_latex(i)} \leftarrow {tex}")


def _subtracted(target: int, factor: sp.Expr, source: int) -> Statement:
    """Row ``target`` minus ``factor`` times row ``source``: R₂ ← R₂ − 3R₁ (a negative factor adds)."""
    negative = factor.could_extract_minus_sign()
    shown, tex = _times(-factor if negative else factor, source)
    sign, sign_latex = ("+", "+") if negative else ("−", "-")
    return Statement(f"{_row(target)} ← {_row(target)} {sign} {shown}",
                   rf"{_row_latex(target)} \leftarrow {_row_latex(target)} {sign_latex} {tex}")  # fmt: skip


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


def assumptions(operations: list[RowOperation]) -> Said:
    """With symbols in the matrix, the answer holds where every pivot divided by is non-zero."""
    divisors = [op.divisor for op in operations if op.divisor is not None and op.divisor.free_symbols]
    pivots = list(dict.fromkeys(-p if p.could_extract_minus_sign() else p for p in divisors))  # b and -b: once
    if not pivots:
        return Said("")
    parts: list[object] = [" (for symbolic entries: where "]
    for index, pivot in enumerate(pivots):
        parts += [", "] if index else []
        parts += [sp.Ne(pivot, 0, evaluate=False)]
    return said(*parts, ")")  # type: ignore[arg-type]


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
            operations.append(RowOperation(_swap(row, pivot), sp.ImmutableMatrix(m), None, sp.S.NegativeOne))
        lead = m[row, col]
        if lead != 1:
            m[row, :] = (m[row, :] / lead).applyfunc(_tidy)
            operations.append(RowOperation(_scaled(row, _tidy(1 / lead)), sp.ImmutableMatrix(m), lead, lead))
        for other in range(m.rows):
            factor = m[other, col]
            if other == row or is_zero(factor):
                m[other, col] = 0 if other != row else m[other, col]
                continue
            m[other, :] = (m[other, :] - factor * m[row, :]).applyfunc(_tidy)
            m[other, col] = 0  # exactly, whatever form the arithmetic left it in
            operations.append(RowOperation(_subtracted(other, factor, row), sp.ImmutableMatrix(m)))
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
            operations.append(RowOperation(_swap(col, pivot), sp.ImmutableMatrix(m), None, sp.S.NegativeOne))
        content = _content(m.row(col))
        if content != 1:
            m[col, :] = m[col, :] / content
            operations.append(RowOperation(_scaled(col, 1 / content), sp.ImmutableMatrix(m), None, content))
        lead = m[col, col]
        for other in range(col + 1, m.rows):
            entry = m[other, col]
            if is_zero(entry):
                m[other, col] = 0
                continue
            factor = _tidy(sp.cancel(entry / lead))
            m[other, :] = (m[other, :] - factor * m[col, :]).applyfunc(_tidy_entry)
            m[other, col] = 0  # exactly, whatever form the arithmetic left it in
            divisor = lead if lead.free_symbols else None
            operations.append(RowOperation(_subtracted(other, factor, col), sp.ImmutableMatrix(m), divisor))
    return operations
