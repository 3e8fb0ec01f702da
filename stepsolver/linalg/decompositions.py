"""Row reduction and what it decides: inverse (Gauss–Jordan, with det A worked first), rank and
linear (in)dependence, Ax = b. The spectral side (eigen, SVD) is in ``spectral``, det A in
``determinant``."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step
from ..core.notation import latex
from ..errors import DomainError, ShapeError
from .determinant import determinant
from .elimination import assumptions, row_reduce
from .inputs import shape, to_matrix
from .objects import Augmented, Rank, System
from .operations import product, square, vector
from .result import finish
from .rules import GAUSS_JORDAN, INVERSE_CHECK, LINEAR_COMBINATION, RANK, ROW_OPERATION
from .words import Maths, maths, said, words
from .words import value as value_of


def _chain(
    start_object: type, left: sp.ImmutableMatrix, right: sp.ImmutableMatrix | None, columns: int
) -> tuple[list[Step], str]:
    """One step per row operation, each a term of ``start_object`` (Rank, Augmented or System),
    and what has to be assumed of symbolic entries for them to be valid."""
    whole = left if right is None else left.row_join(right)
    operations, _ = row_reduce(whole, columns)
    steps = []
    before = start_object(left) if right is None else start_object(left, right)
    for operation in operations:
        matrix = operation.matrix
        after = start_object(matrix) if right is None else start_object(matrix[:, :columns], matrix[:, columns:])
        steps.append(Step(ROW_OPERATION, before, after, {"operation": operation.formula}))
        before = after
    return steps, assumptions(operations)


def inverse(a: object) -> Answer:
    """A⁻¹ by Gauss–Jordan on [A | I]: existence from det A ≠ 0, then A⁻¹A = I checked."""
    A = to_matrix(a, "A")
    square(A, "A", "an inverse")
    det = determinant(A)
    if det.result == 0:
        raise DomainError(
            f"A is singular: det A = 0 (rank {A.rank()} < {A.rows}), so A has no inverse; "
            "its rows (and columns) are linearly dependent"
        )
    identity = sp.ImmutableMatrix.eye(A.rows)
    start = sp.Inverse(A)
    first = Step(GAUSS_JORDAN, start, Augmented(A, identity), substeps=[det])
    chain, assumed = _chain(Augmented, A, identity, A.cols)
    steps = [first, *chain]
    value = sp.ImmutableMatrix(A.inv())
    check = product(value, A, "A^{-1}", "A")
    steps.append(Step(INVERSE_CHECK, steps[-1].after, value, substeps=[check]))
    det_words, det_latex = words(det.result), latex(det.result, typed=False)
    if det.result.free_symbols:
        exists = said(Maths(f"det A = {det_words}", rf"\det A = {det_latex}"), ": ", maths("A⁻¹"), " exists where ",
                      Maths(f"{det_words} ≠ 0", rf"{det_latex} \neq 0"))  # fmt: skip
    else:
        exists = said(Maths(f"det A = {det_words} ≠ 0", rf"\det A = {det_latex} \neq 0"), ", so ", maths("A⁻¹"),
                      " exists")  # fmt: skip
    conclusion = exists + said("; ", maths("A⁻¹A = I"), " checked") + assumed
    return finish("inverse", "A^{-1}", start, steps, value, "np.linalg.inv(A)", conclusion)


def _dependencies(columns: sp.ImmutableMatrix, names: Sequence[str]) -> tuple[list[Derivation], list[Maths]]:
    """For each column that is not a pivot column, how it is made of the pivot columns before it
    (read off the reduced echelon form), as an equation checked entry by entry."""
    reduced, pivots = columns.rref()
    out: list[Derivation] = []
    found: list[Maths] = []
    for j in range(columns.cols):
        if j in pivots:
            continue
        coefficients = [(reduced[row, j], p) for row, p in enumerate(pivots) if p < j and reduced[row, j] != 0]
        target = sp.ImmutableMatrix(columns.col(j))
        terms = [sp.MatMul(c, sp.ImmutableMatrix(columns.col(p))) for c, p in coefficients]
        combination = (
            sp.MatAdd(*terms, evaluate=False)
            if len(terms) > 1
            else (terms[0] if terms else sp.ZeroMatrix(columns.rows, 1))
        )
        step = Step(LINEAR_COMBINATION, target, combination)
        out.append(Derivation(names[j], target, [step], LinalgContext("dependency")))
        # the text keeps each coefficient, 1 included (x3 = 2·x1 + 1·x2); LaTeX writes x_3 = 2x_1 + x_2
        shown = " + ".join(f"{_operand(c)}·{names[p]}" for c, p in coefficients) or "0"
        combined = sp.Add(*(c * sp.Symbol(names[p]) for c, p in coefficients))
        found.append(Maths(f"{names[j]} = {shown}", f"{latex(sp.Symbol(names[j]))} = {latex(combined, typed=False)}"))
    return out, found


def _operand(c: sp.Expr) -> str:
    shown = words(c)
    return shown if c.is_Atom and not (c.is_Number and c < 0) else f"({shown})"


def _rank_steps(A: sp.ImmutableMatrix) -> tuple[list[Step], int, str]:
    steps, assumed = _chain(Rank, A, None, A.cols)
    last = steps[-1].after if steps else Rank(A)
    value = int(last.doit())  # the pivots of the echelon form, under the same assumptions as its row operations
    steps.append(Step(RANK, last, sp.Integer(value)))
    return steps, value, assumed


def rank(a: object) -> Answer:
    """rank A by row reduction, naming the column dependencies it finds (x₃ = 2x₁ + x₂)."""
    A = to_matrix(a, "A")
    steps, value, assumed = _rank_steps(A)
    names = [f"x{j + 1}" for j in range(A.cols)]
    dependencies, found = _dependencies(A, names)
    steps[-1].substeps.extend(dependencies)
    conclusion = said(maths(f"rank A = {value}"), *(["; the columns are dependent: ", *_listed(found)] if found
                                                     else ["; full column rank"]))  # fmt: skip
    return finish("rank", "rank A", Rank(A), steps, sp.Integer(value), "np.linalg.matrix_rank(A)",
                  conclusion + assumed)  # fmt: skip


def _listed(found: list[Maths]) -> list[str | Maths]:
    """x₃ = 2x₁ + x₂; x₄ = x₁: the dependencies one after another."""
    out: list[str | Maths] = []
    for index, dependency in enumerate(found):
        out += ["; ", dependency] if index else [dependency]
    return out


def independence(*vectors: object) -> Answer:
    """Are x₁, …, x_m linearly independent? By the rank of the matrix with them as columns."""
    if (
        len(vectors) == 1
        and isinstance(vectors[0], (list, tuple))
        and vectors[0]
        and all(isinstance(v, (list, tuple, sp.MatrixBase)) for v in vectors[0])
    ):
        vectors = tuple(vectors[0])  # one list of vectors
    if len(vectors) < 1:
        raise ShapeError("give at least one vector")
    columns = [vector(v, f"x{i + 1}") for i, v in enumerate(vectors)]
    if len({c.rows for c in columns}) > 1:
        lengths = ", ".join(str(c.rows) for c in columns)
        raise ShapeError(f"the vectors have different lengths ({lengths}) (check dimensions!)")
    X = sp.ImmutableMatrix.hstack(*columns)
    steps, value, assumed = _rank_steps(X)
    names = [f"x{i + 1}" for i in range(X.cols)]
    dependencies, found = _dependencies(X, names)
    steps[-1].substeps.extend(dependencies)
    independent = value == X.cols
    conclusion = (
        said(maths(f"rank = {value}"), " = number of vectors: linearly independent")
        if independent
        else said(maths(f"rank = {value} < {X.cols}"), " vectors: linearly dependent, ", *_listed(found))
    ) + assumed
    return finish(
        "independence",
        "x_1, ..., x_m independent?",
        Rank(X),
        steps,
        sp.true if independent else sp.false,
        "np.linalg.matrix_rank(X) == X.shape[1]",
        conclusion,
    )


def solve(a: object, b: object) -> Answer:
    """Ax = b by row reduction of [A | b]: no solution, exactly one, or infinitely many
    (parametrised by the free variables), with Ax = b checked on the answer."""
    A, rhs = to_matrix(a, "A"), vector(b, "b")
    if A.rows != rhs.rows:
        raise ShapeError(
            f"A is {shape(A)} but b has {rhs.rows} entries: b needs one entry per row of A (check dimensions!)"
        )
    steps, assumed = _chain(System, A, rhs, A.cols)
    start = System(A, rhs)
    reduced, pivots = A.row_join(rhs).rref()
    if A.cols in pivots:  # a row 0 = c with c ≠ 0
        row = pivots.index(A.cols)
        conclusion = said(f"row {row + 1} of the reduced system reads ", sp.Eq(0, reduced[row, A.cols], evaluate=False),
                          ": no solution")  # fmt: skip
        value: sp.Basic = sp.EmptySet
        code = "np.linalg.lstsq(A, b)  # no exact solution: least squares"
    else:
        free = [j for j in range(A.cols) if j not in pivots]
        parameters = {j: sp.Symbol(f"t{k + 1}") for k, j in enumerate(free)}
        x = [sp.S.Zero] * A.cols
        for j in free:
            x[j] = parameters[j]
        for row, p in enumerate(pivots):
            x[p] = reduced[row, A.cols] - sum((reduced[row, j] * parameters[j] for j in free), sp.S.Zero)
        value = sp.ImmutableMatrix(x)
        if not steps:  # already reduced: nothing to do but read it
            steps = [Step(ROW_OPERATION, start, start)]
        steps[-1].substeps.append(product(A, value, "A", "x"))
        x_is = value_of(value)
        x_is = Maths("x = " + x_is.shown, "x = " + x_is.latex)
        if free:
            names = ", ".join(words(parameters[j]) for j in free)
            named = Maths(names, ", ".join(latex(parameters[j]) for j in free))
            conclusion = said(f"{len(free)} free variable(s): infinitely many solutions, ", x_is, " for any ", named)
            code = "np.linalg.lstsq(A, b)  # one of infinitely many solutions"
        else:
            conclusion = said("exactly one solution: ", x_is)
            code = "np.linalg.solve(A, b)  # not inv(A) @ b, which is less stable"
    if not steps:
        steps = [Step(ROW_OPERATION, start, start)]
    return finish("solve", "A x = b", start, steps, value, code, conclusion + assumed)


__all__ = ["determinant", "independence", "inverse", "rank", "solve"]
