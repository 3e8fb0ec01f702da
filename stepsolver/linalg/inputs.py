"""Vectors and matrices from what a user gives: nested lists, SymPy matrices, JSON text, or
LaTeX (pmatrix, bmatrix, …). Every entry is read exactly by stepsolver's own parser (never
``eval``/``sympify`` on user text): integers, fractions, decimals (0.5 is 1/2), surds, symbols."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy as sp

from ..errors import ParseError
from ..parse import parse
from ..parse.limits import MAX_INTEGER_DIGITS
from ..parse.lists import split_list

MAX_DIMENSION = 12  # rows or columns; the worked steps of a bigger matrix fill pages, not a board
MAX_TEXT = 20_000
_ENVIRONMENT = re.compile(r"^\s*\\begin\{([pbBvV]?matrix|array)\}(\{[^}]*\})?(.*)\\end\{\1\}\s*$", re.DOTALL)


def _entry(value: object, where: str) -> sp.Expr:
    if isinstance(value, bool):
        raise ParseError(f"{where}: {value!r} is not a number")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise ParseError(f"{where}: a number of more than {MAX_INTEGER_DIGITS:,} digits")
        return sp.Integer(value)
    if isinstance(value, float):
        return sp.Rational(repr(value))
    if isinstance(value, str):
        try:
            return parse(value)
        except ParseError as error:
            raise ParseError(f"{where}: {error}") from None
    if isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixBase):
        return parse(value)
    raise ParseError(f"{where}: {value!r} is not a number or an expression")


def _from_latex(text: str) -> list[list[str]]:
    match = _ENVIRONMENT.match(text)
    if not match:
        raise ParseError(r"a LaTeX matrix is written \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}")
    body = match.group(3).strip().rstrip("\\").strip()
    return [[cell.strip() for cell in row.split("&")] for row in re.split(r"\\\\", body) if row.strip()]


def _rows_of(value: object) -> list[list[object]] | list[object]:
    if isinstance(value, sp.MatrixBase):
        return [list(value.row(i)) for i in range(value.rows)]
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TEXT:
            raise ParseError(f"the matrix text is {len(text):,} characters long; the limit is {MAX_TEXT:,}")
        if text.startswith("\\begin"):
            return _from_latex(text)  # type: ignore[return-value]
        if text.startswith(("[", "(")):
            return split_list(text)  # type: ignore[return-value]
        raise ParseError(f"not a vector or matrix: {text[:40]!r} (write [1, 2], [[1, 2], [3, 4]] or a pmatrix)")
    if isinstance(value, Sequence):
        return list(value)
    raise ParseError(f"not a vector or matrix: {value!r}")


def to_matrix(value: object, name: str = "A") -> sp.ImmutableMatrix:
    """A matrix, or a vector as an n×1 column, with exact entries."""
    rows = _rows_of(value)
    if not rows:
        raise ParseError(f"{name} is empty")
    if len(rows) > MAX_DIMENSION:
        raise ParseError(f"{name} has {len(rows)} rows; the limit is {MAX_DIMENSION}")
    nested = [isinstance(row, (list, tuple)) for row in rows]
    if any(nested) and not all(nested):
        raise ParseError(f"{name} mixes numbers and rows")
    if not any(nested):  # a vector: a column, as the lecture writes x = (x_1, …, x_n)ᵀ
        return sp.ImmutableMatrix([[_entry(v, f"{name}[{i + 1}]")] for i, v in enumerate(rows)])
    widths = {len(row) for row in rows}  # type: ignore[arg-type]
    if len(widths) > 1:
        lengths = ", ".join(str(len(row)) for row in rows)  # type: ignore[arg-type]
        raise ParseError(f"the rows of {name} have different lengths ({lengths}): a matrix is a rectangle")
    width = widths.pop()
    if width == 0:
        raise ParseError(f"{name} has empty rows")
    if width > MAX_DIMENSION:
        raise ParseError(f"{name} has {width} columns; the limit is {MAX_DIMENSION}")
    table: list[list[object]] = [list(row) for row in rows]  # type: ignore[call-overload]
    return sp.ImmutableMatrix(
        [[_entry(v, f"{name}[{i + 1},{j + 1}]") for j, v in enumerate(row)] for i, row in enumerate(table)]
    )


def to_scalar(value: object, name: str = "c") -> sp.Expr:
    if isinstance(value, (list, tuple, sp.MatrixBase)):
        raise ParseError(f"{name} must be a number, not a vector or matrix")
    return _entry(value, name)


def shape(matrix: sp.MatrixBase) -> str:
    return f"{matrix.rows}×{matrix.cols}"
