"""The lecture's "typical operations" and norms, each worked as the slide works it: the
entry-by-entry arithmetic first, held back so it can be read, then its value."""

from __future__ import annotations

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step, Worked
from ..core.notation import latex
from ..core.rules import ARITHMETIC
from ..errors import ParseError, ShapeError
from .inputs import shape, to_matrix, to_scalar
from .objects import Norm
from .result import finish
from .rules import (
    COLUMN_COMBINATION,
    FROBENIUS,
    INNER_PRODUCT,
    MATRIX_ADD,
    MATRIX_PRODUCT,
    NORM,
    OUTER_PRODUCT,
    SCALAR_MULTIPLE,
    TRACE,
    TRANSPOSE,
    UNIT_VECTOR,
)
from .words import Maths, maths, said, words


def held_add(terms: list[sp.Expr]) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def held_mul(*factors: sp.Expr) -> sp.Expr:
    return sp.Mul(*factors, evaluate=False)


def entries(rows: int, cols: int, entry: object) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(rows, cols, entry)


def vector(value: object, name: str) -> sp.ImmutableMatrix:
    """A vector as a column, whether it came as a list, a row or a column."""
    matrix = to_matrix(value, name)
    if matrix.rows == 1 and matrix.cols > 1:
        matrix = sp.ImmutableMatrix(matrix.T)
    if matrix.cols != 1:
        raise ShapeError(f"{name} must be a vector, got a {shape(matrix)} matrix")
    return matrix


def square(matrix: sp.ImmutableMatrix, name: str, what: str) -> None:
    if matrix.rows != matrix.cols:
        raise ShapeError(f"{what} needs a square matrix; {name} is {shape(matrix)} (check dimensions!)")


def _arithmetic(held: sp.Basic, value: sp.Basic) -> list[Step]:
    return [] if held == value else [Step(ARITHMETIC, held, value, typed_order=False)]


def add(a: object, b: object) -> Answer:
    """A + B, entry by entry."""
    A, B = to_matrix(a, "A"), to_matrix(b, "B")
    if A.shape != B.shape:
        raise ShapeError(
            f"cannot add a {shape(A)} and a {shape(B)} matrix: A + B needs the same shape (check dimensions!)"
        )
    start = sp.MatAdd(A, B, evaluate=False)
    held = entries(A.rows, A.cols, lambda i, j: sp.Add(A[i, j], B[i, j], evaluate=False))
    steps = [Step(MATRIX_ADD, start, held), *_arithmetic(held, A + B)]
    return finish("add", "A + B", start, steps, numpy="A + B")


def scale(c: object, a: object) -> Answer:
    """c·A, entry by entry."""
    factor, A = to_scalar(c, "c"), to_matrix(a, "A")
    start = sp.MatMul(factor, A)
    held = entries(A.rows, A.cols, lambda i, j: held_mul(factor, A[i, j]))
    steps = [Step(SCALAR_MULTIPLE, start, held, {"c": factor}), *_arithmetic(held, factor * A)]
    return finish("scale", "c A", start, steps, numpy="c * A")


def trace(a: object) -> Answer:
    """Tr(A) = A₁₁ + A₂₂ + …"""
    A = to_matrix(a, "A")
    square(A, "A", "the trace")
    start = sp.Trace(A)
    held = held_add([A[i, i] for i in range(A.rows)])
    steps = [Step(TRACE, start, held), *_arithmetic(held, A.trace())]
    return finish("trace", "Tr(A)", start, steps, numpy="np.trace(A)")


def transpose(a: object) -> Answer:
    """Aᵀ: rows become columns."""
    A = to_matrix(a, "A")
    start = sp.Transpose(A)
    return finish("transpose", "A^T", start, [Step(TRANSPOSE, start, sp.ImmutableMatrix(A.T))], numpy="A.T")


def _first_difference(left: sp.MatrixBase, right: sp.MatrixBase) -> tuple[int, int] | None:
    for i in range(left.rows):
        for j in range(left.cols):
            if sp.simplify(left[i, j] - right[i, j]) != 0:
                return i, j
    return None


def _entry(name: str, i: int, j: int, value: sp.Expr) -> Maths:
    """A_12 = 3 (rows and columns counted from 1), in text and in LaTeX."""
    return Maths(f"{name}_{i + 1}{j + 1} = {words(value)}", f"{name}_{{{i + 1}{j + 1}}} = {latex(value, typed=False)}")


def is_symmetric(a: object) -> Answer:
    """Is A = Aᵀ? The transpose is worked, then compared with A entry by entry."""
    A = to_matrix(a, "A")
    start = sp.Transpose(A)
    steps = [Step(TRANSPOSE, start, sp.ImmutableMatrix(A.T))]
    if A.rows != A.cols:
        reason = said(f"A is {shape(A)} and ", maths("Aᵀ"), f" is {A.cols}×{A.rows}: only a square matrix can be "
                      "symmetric")  # fmt: skip
        verdict = False
    else:
        where = _first_difference(A.T, A)
        verdict = where is None
        if where is None:
            reason = said(maths("Aᵀ = A"), ", so A is symmetric")
        else:
            i, j = where
            mirrored = _entry("A", j, i, A[j, i])
            where_shown = f"(Aᵀ)_{i + 1}{j + 1}", f"(A^{{T}})_{{{i + 1}{j + 1}}}"
            transposed = Maths(f"{where_shown[0]} = {mirrored.shown}", f"{where_shown[1]} = {mirrored.latex}")
            entry = _entry("A", i, j, A[i, j])
            reason = said(maths("Aᵀ ≠ A"), ": ", transposed, " but ", entry, ", so A is not symmetric")
    return finish(
        "is_symmetric", "A = A^T ?", start, steps, sp.true if verdict else sp.false, "np.array_equal(A, A.T)", reason
    )


def is_identity(a: object) -> Answer:
    """Is A = I? Entry by entry: ones on the diagonal, zeros elsewhere."""
    A = to_matrix(a, "A")
    identity = sp.ImmutableMatrix.eye(A.rows)
    start, steps = A, list[Step]()  # nothing to work out: the verdict is read off the entries
    if A.rows != A.cols:
        verdict, reason = False, f"A is {shape(A)}: an identity matrix is square"
    else:
        where = _first_difference(A, identity)
        verdict = where is None
        if where is None:
            reason = said(Maths(f"A = I_{A.rows}", f"A = I_{{{A.rows}}}"), ": ones on the diagonal, zeros elsewhere")
        else:
            i, j = where
            reason = said(maths("A ≠ I"), ": ", _entry("A", i, j, A[i, j]), ", not ", identity[i, j])
    return finish("is_identity", "A = I ?", start, steps, sp.true if verdict else sp.false,
                  "np.array_equal(A, np.eye(len(A)))", reason)  # fmt: skip


def matmul(a: object, b: object) -> Answer:
    """C = AB with C_ij = Σ_k A_ik B_kj; for a vector B, also the columns view y₁A₍:,1₎ + …"""
    A, B = to_matrix(a, "A"), to_matrix(b, "B")
    return product(A, B, "A", "B")


def product(A: sp.ImmutableMatrix, B: sp.ImmutableMatrix, left: str = "A", right: str = "B") -> Answer:
    if A.cols != B.rows:
        raise ShapeError(
            f"cannot multiply {left} ({shape(A)}) by {right} ({shape(B)}): the columns of {left} ({A.cols}) must "
            f"equal the rows of {right} ({B.rows}) (check dimensions!)"
        )
    start = sp.MatMul(A, B)
    held = entries(A.rows, B.cols, lambda i, j: held_add([held_mul(A[i, k], B[k, j]) for k in range(A.cols)]))
    value = sp.ImmutableMatrix(A * B)
    substeps: list[Worked] = [_columns_view(A, B, value)] if B.cols == 1 and A.cols > 1 else []
    steps = [Step(MATRIX_PRODUCT, start, held, substeps=substeps), *_arithmetic(held, value)]
    return finish("matmul", f"{left} {right}", start, steps, numpy=f"{left} @ {right}")


def _columns_view(A: sp.ImmutableMatrix, y: sp.ImmutableMatrix, value: sp.ImmutableMatrix) -> Derivation:
    start = sp.MatMul(A, y)
    combination = sp.MatAdd(*[sp.MatMul(y[k], sp.ImmutableMatrix(A.col(k))) for k in range(A.cols)], evaluate=False)
    steps = [Step(COLUMN_COMBINATION, start, combination), Step(ARITHMETIC, combination, value)]
    return Derivation("A y", start, steps, LinalgContext("matmul_columns"))


def dot(x: object, y: object) -> Answer:
    """xᵀy = Σ x_i y_i: a scalar."""
    u, v = vector(x, "x"), vector(y, "y")
    if u.rows != v.rows:
        raise ShapeError(f"x has {u.rows} entries and y has {v.rows}: xᵀy needs the same length (check dimensions!)")
    start = sp.MatMul(sp.Transpose(u), v)
    products = held_add([held_mul(u[i], v[i]) for i in range(u.rows)])
    evaluated = held_add([u[i] * v[i] for i in range(u.rows)])
    value = sum((u[i] * v[i] for i in range(u.rows)), sp.S.Zero)
    steps = [Step(INNER_PRODUCT, start, products), Step(ARITHMETIC, products, evaluated)]
    steps += _arithmetic(evaluated, value)
    return finish("dot", "x^T y", start, steps, value, "x @ y")


def outer(x: object, y: object) -> Answer:
    """x yᵀ: an n×m matrix of all products x_i y_j."""
    u, v = vector(x, "x"), vector(y, "y")
    start = sp.MatMul(u, sp.Transpose(v))
    held = entries(u.rows, v.rows, lambda i, j: held_mul(u[i], v[j]))
    steps = [Step(OUTER_PRODUCT, start, held), *_arithmetic(held, sp.ImmutableMatrix(u * v.T))]
    return finish("outer", "x y^T", start, steps, numpy="np.outer(x, y)")


def is_orthogonal(a: object) -> Answer:
    """Is AᵀA = I? The product is worked entry by entry, then compared with I."""
    A = to_matrix(a, "A")
    square(A, "A", "orthogonality")
    worked = product(sp.ImmutableMatrix(A.T), A, "A^T", "A")
    identity = sp.ImmutableMatrix.eye(A.rows)
    where = _first_difference(worked.result, identity)
    if where is None:
        reason = said(maths("AᵀA = I"), ", so A is orthogonal (", maths("Aᵀ = A⁻¹"), ")")
    else:
        i, j = where
        reason = said(maths("AᵀA ≠ I"), f": entry ({i + 1}, {j + 1}) is ", worked.result[i, j], ", not ",
                      identity[i, j], ", so A is not orthogonal")  # fmt: skip
    return finish(
        "is_orthogonal",
        "A^T A = I ?",
        worked.start,
        worked.steps,
        sp.true if where is None else sp.false,
        "np.allclose(A.T @ A, np.eye(len(A)))",
        reason,
    )


def read_p(p: object) -> sp.Expr:
    """1, 2, any p ≥ 1, or inf/∞ for the max norm."""
    if isinstance(p, str) and p.strip().lower() in {"inf", "infinity", "∞", "max", r"\infty"}:
        return sp.oo
    value = sp.oo if p == float("inf") else to_scalar(p, "p")
    if value != sp.oo and not (value.is_number and value.is_real and value >= 1):
        raise ParseError(f"p must be a number ≥ 1 or inf, got {p!r}")
    return value


def _abs(v: sp.Expr) -> sp.Expr:
    return sp.Abs(v, evaluate=False)


def norm(x: object, p: object = 2) -> Answer:
    """‖x‖_p of a vector: L¹, L², Lᵖ, or the max norm (p = inf)."""
    matrix = to_matrix(x, "x")
    if matrix.rows > 1 and matrix.cols > 1:
        raise ShapeError(f"‖·‖_p is a vector norm and x is a {shape(matrix)} matrix: use frobenius for a matrix")
    u, order = vector(x, "x"), read_p(p)
    start = Norm(u, order)
    values = list(u)
    if order == sp.oo:
        held: sp.Expr = sp.Max(*[_abs(v) for v in values], evaluate=False) if len(values) > 1 else _abs(values[0])
        code = "np.linalg.norm(x, np.inf)"
    elif order == 1:
        held = held_add([_abs(v) for v in values])
        code = "np.linalg.norm(x, 1)"
    elif order == 2:
        held = sp.Pow(held_add([sp.Pow(v, 2, evaluate=False) for v in values]), sp.Rational(1, 2), evaluate=False)
        code = "np.linalg.norm(x)"
    else:
        inner = held_add([sp.Pow(_abs(v), order, evaluate=False) for v in values])
        held = sp.Pow(inner, 1 / order, evaluate=False)
        code = f"np.linalg.norm(x, {sp.sstr(order)})"
    value = sp.nsimplify(start.doit()) if start.doit().is_Float else start.doit()
    steps = [Step(NORM, start, held, {"p": order}), *_arithmetic(held, value)]
    return finish("norm", f"||x||_{sp.sstr(order)}", start, steps, numpy=code)


def unit_vector(x: object) -> Answer:
    """x/‖x‖₂, with ‖x‖₂ worked beside it and ‖x/‖x‖‖ = 1 checked."""
    u = vector(x, "x")
    length = norm(u, 2)
    if length.result == 0:
        raise ShapeError("the zero vector has no direction: it has no unit vector")
    start = sp.MatMul(sp.Pow(Norm(u, 2), -1), u)
    held = entries(u.rows, 1, lambda i, j: held_mul(u[i], sp.Pow(length.result, -1, evaluate=False)))
    value = sp.ImmutableMatrix(u / length.result)
    check = norm(value, 2)
    steps = [Step(UNIT_VECTOR, start, held, substeps=[length]), *_arithmetic(held, value)]
    if steps[-1].rule is ARITHMETIC:
        steps[-1].substeps.append(check)
    return finish(
        "unit_vector",
        "x / ||x||",
        start,
        steps,
        numpy="x / np.linalg.norm(x)",
        conclusion=said(Maths(f"‖y‖₂ = {words(check.result)}", rf"\|y\|_{{2}} = {latex(check.result)}"),
                        ": a unit vector"),
    )


def frobenius(a: object) -> Answer:
    """‖A‖_F as the double sum, and again as √Tr(AᵀA) in a side derivation."""
    A = to_matrix(a, "A")
    start = Norm(A, sp.Symbol("F"))
    squares = held_add([sp.Pow(v, 2, evaluate=False) for v in A])
    held = sp.Pow(squares, sp.Rational(1, 2), evaluate=False)
    value = sp.sqrt(sum(v**2 for v in A))
    gram = product(sp.ImmutableMatrix(A.T), A, "A^T", "A")
    via_trace = sp.Pow(sp.Trace(sp.MatMul(sp.Transpose(A), A)), sp.Rational(1, 2), evaluate=False)
    trace_of_gram = sp.Pow(held_add([gram.result[i, i] for i in range(A.cols)]), sp.Rational(1, 2), evaluate=False)
    side = Derivation(
        "sqrt(Tr(A^T A))",
        via_trace,
        [Step(TRACE, via_trace, trace_of_gram, substeps=[gram]), *_arithmetic(trace_of_gram, value)],
        LinalgContext("frobenius_trace"),
    )
    steps = [Step(FROBENIUS, start, held, substeps=[side]), *_arithmetic(held, value)]
    return finish("frobenius", "||A||_F", start, steps, numpy="np.linalg.norm(A, 'fro')")
