"""det A as a teacher works it: ad − bc for a 2×2; for a 3×3 the cofactor (Laplace) expansion
along the first row, its 2×2 minors in the next step; beyond, row reduction to a triangular
matrix with what each row operation does to the determinant kept in front of it."""

from __future__ import annotations

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step
from ..core.notation import latex, text
from ..core.rules import ARITHMETIC, SIMPLIFY
from .elimination import RowOperation, assumptions, triangularise
from .inputs import to_matrix
from .objects import Bracket, Words
from .operations import held_add, held_mul, square
from .result import finish
from .rules import COFACTOR_EXPANSION, DETERMINANT, DETERMINANT_ROW_OPERATION, TRIANGULAR_DETERMINANT
from .words import Maths, said, words


def _two_by_two(M: sp.MatrixBase) -> sp.Expr:
    """ad − bc, held: 1·4 - 2·3."""
    return sp.Add(held_mul(M[0, 0], M[1, 1]), sp.Mul(-1, held_mul(M[0, 1], M[1, 0]), evaluate=False), evaluate=False)


def _sign(j: int) -> sp.Expr:
    """(−1)^(1+j), held, for the column j (from 1)."""
    return sp.Pow(-1, sp.Add(1, j, evaluate=False), evaluate=False)


def _in_front(factor: sp.Expr, matrix: sp.ImmutableMatrix) -> sp.Expr:
    """factor · det(M), held; just det(M) when the factor is 1."""
    det = sp.Determinant(matrix)
    return det if factor == 1 else sp.Mul(factor, det, evaluate=False)


def _tidy_steps(held: sp.Expr, value: sp.Expr) -> list[Step]:
    """The arithmetic down to the value, multiplied out; then, with symbols, factored if that changes it."""
    expanded = sp.expand(value)
    steps = [Step(ARITHMETIC, held, expanded, typed_order=False)] if held != expanded else []
    factored = sp.factor(expanded) if expanded.free_symbols else expanded
    if factored != expanded:
        steps.append(Step(SIMPLIFY, expanded, factored, typed_order=False))
    return steps


def _ordered(value: sp.Expr) -> sp.Expr:
    """Multiplied out, its terms held in the usual order (λ² - 12·λ + 11, not 11 + λ² - 12·λ) inside a
    step whose other terms keep the order they were written in."""
    expanded = sp.expand(value)
    return sp.Add(*expanded.as_ordered_terms(), evaluate=False) if isinstance(expanded, sp.Add) else expanded


def _cofactor_steps(A: sp.ImmutableMatrix, start: sp.Expr) -> list[Step]:
    """det A = Σ_j a_1j (−1)^(1+j) det M_1j, then each 2×2 minor as ad − bc, then the numbers."""
    minors = [sp.ImmutableMatrix(A[1:, [k for k in range(A.cols) if k != j]]) for j in range(A.cols)]
    expansion = held_add([held_mul(A[0, j], _sign(j + 1), sp.Determinant(minors[j])) for j in range(A.cols)])
    written = held_add([held_mul(A[0, j], _sign(j + 1), _two_by_two(minors[j])) for j in range(A.cols)])
    values = held_add([held_mul(A[0, j], (-1) ** j, _ordered(minors[j].det())) for j in range(A.cols)])
    steps = [
        Step(COFACTOR_EXPANSION, start, expansion),
        Step(DETERMINANT, expansion, written),
        Step(ARITHMETIC, written, values),
    ]
    return steps + _tidy_steps(values, A.det())


def _effect(operation: RowOperation) -> str:
    if operation.det_factor == -1:
        return "a swap flips the sign"
    if operation.det_factor == 1:
        return "unchanged by adding a multiple of a row"
    c = 1 / operation.det_factor
    return f"scaling a row by {words(c)} divides det by {words(c)}: ×{words(operation.det_factor)} in front"


def _elimination_steps(A: sp.ImmutableMatrix, start: sp.Expr) -> tuple[list[Step], list[RowOperation]]:
    """Row operations to a triangular U, the factor in front of det kept up to date, then
    det = factor · (the product of U's diagonal)."""
    operations = triangularise(A)
    steps, before, factor, matrix = [], start, sp.S.One, A
    for operation in operations:
        factor, matrix = factor * operation.det_factor, operation.matrix
        after = _in_front(factor, matrix)
        bindings = {"operation": operation.formula, "effect": Words(_effect(operation))}
        steps.append(Step(DETERMINANT_ROW_OPERATION, before, after, bindings))
        before = after
    diagonal = [matrix[i, i] for i in range(matrix.rows)]
    product = held_mul(*diagonal)
    held = product if factor == 1 else held_mul(factor, Bracket(product))
    steps.append(Step(TRIANGULAR_DETERMINANT, before, held))
    value = sp.cancel(factor * sp.Mul(*diagonal))
    steps += _tidy_steps(held, value)
    return steps, operations


def determinant(A: sp.ImmutableMatrix) -> Derivation:
    """det A for a square A: ad − bc (2×2), the cofactor expansion along row 1 (3×3), row
    reduction to a triangular matrix beyond. A side derivation of inverse and of eigen."""
    return _determinant(A)[0]


def _determinant(A: sp.ImmutableMatrix) -> tuple[Derivation, str]:
    """The derivation, and what symbolic entries must satisfy for its row operations."""
    start = sp.Determinant(A)
    operations: list[RowOperation] = []
    if A.rows == 1:
        steps = [Step(TRIANGULAR_DETERMINANT, start, A[0, 0])]
    elif A.rows == 2:
        held = _two_by_two(A)
        steps = [Step(DETERMINANT, start, held), *_tidy_steps(held, A.det())]
        if text(held) == text(steps[1].after, typed=False):  # a·d - b·c: the arithmetic has nothing to do
            steps = [Step(DETERMINANT, start, steps[1].after, typed_order=False), *steps[2:]]
    elif A.rows == 3:
        steps = _cofactor_steps(A, start)
    else:
        steps, operations = _elimination_steps(A, start)
    return Derivation("det A", start, steps, LinalgContext("determinant")), assumptions(operations)


def det(a: object) -> Answer:
    """det A, worked the way the lecture's size calls for; ``result`` is its value."""
    A = to_matrix(a, "A")
    square(A, "A", "a determinant")
    worked, assumed = _determinant(A)
    value = worked.result
    shown = Maths(f"det A = {words(value)}", rf"\det A = {latex(value, typed=False)}")
    if value.free_symbols:
        conclusion = said(shown, ": A is invertible exactly where ", sp.Ne(value, 0, evaluate=False))
    elif value == 0:
        conclusion = said(shown, ": A is singular (no inverse; its rows are linearly dependent)")
    else:
        conclusion = said(Maths(shown.shown + " ≠ 0", shown.latex + r" \neq 0"), ": A is invertible")
    return finish("det", "det A", worked.start, worked.steps, value, "np.linalg.det(A)", conclusion + assumed)
