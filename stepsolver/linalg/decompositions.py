"""Row reduction and what it decides: inverse (Gauss–Jordan), rank and linear (in)dependence,
Ax = b; and the spectral side: eigenvalues and eigenvectors, singular values and the SVD."""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step
from ..core.rules import ARITHMETIC, SIMPLIFY
from ..core.terms import size
from ..errors import DomainError, RuleError, ShapeError
from .elimination import RowOperation, assumptions, nullspace, row_reduce
from .inputs import shape, to_matrix
from .objects import Augmented, Rank, System, Words
from .operations import held_add, held_mul, product, square, vector
from .result import finish
from .rules import (
    CHARACTERISTIC_POLYNOMIAL,
    DETERMINANT,
    EIGENVECTOR,
    GAUSS_JORDAN,
    INVERSE_CHECK,
    LINEAR_COMBINATION,
    MATRIX_PRODUCT,
    RANK,
    ROW_OPERATION,
    SVD,
)

MAX_SPECTRAL = 6  # eigen and SVD: beyond 6×6 the characteristic polynomial is rarely solvable exactly
MAX_ROOT_PARTS = 30  # an eigenvalue longer than this is a cube root of a complex number, not a board answer
LAMBDA = sp.Symbol("lambda")


def determinant(A: sp.ImmutableMatrix) -> Derivation:
    """det A: ad − bc written out for a 2×2, SymPy's expansion beyond."""
    start = sp.Determinant(A)
    value = sp.factor(A.det())
    if A.rows == 2:
        held = sp.Add(
            held_mul(A[0, 0], A[1, 1]), sp.Mul(-1, held_mul(A[0, 1], A[1, 0]), evaluate=False), evaluate=False
        )
        steps = [Step(DETERMINANT, start, held), Step(ARITHMETIC, held, value, typed_order=False)]
    else:
        steps = [Step(DETERMINANT, start, value, typed_order=False)]
    return Derivation("det A", start, steps, LinalgContext("determinant"))


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
        steps.append(Step(ROW_OPERATION, before, after, {"operation": Words(operation.description)}))
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
    det_text = sp.sstr(det.result)
    if det.result.free_symbols:
        exists = f"det A = {det_text}: A⁻¹ exists where {det_text} ≠ 0"
    else:
        exists = f"det A = {det_text} ≠ 0, so A⁻¹ exists"
    said = f"{exists}; A⁻¹A = I checked{assumed}"
    return finish("inverse", "A^{-1}", start, steps, value, "np.linalg.inv(A)", said)


def _dependencies(columns: sp.ImmutableMatrix, names: Sequence[str]) -> tuple[list[Derivation], list[str]]:
    """For each column that is not a pivot column, how it is made of the pivot columns before it
    (read off the reduced echelon form), as an equation checked entry by entry."""
    reduced, pivots = columns.rref()
    out, words = [], []
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
        said = " + ".join(f"{sp.sstr(c)}·{names[p]}" for c, p in coefficients) or "0"
        words.append(f"{names[j]} = {said}")
    return out, words


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
    dependencies, words = _dependencies(A, names)
    steps[-1].substeps.extend(dependencies)
    said = f"rank A = {value}" + (f"; the columns are dependent: {'; '.join(words)}" if words else "; full column rank")
    return finish("rank", "rank A", Rank(A), steps, sp.Integer(value), "np.linalg.matrix_rank(A)", said + assumed)


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
    dependencies, words = _dependencies(X, names)
    steps[-1].substeps.extend(dependencies)
    independent = value == X.cols
    said = (
        f"rank = {value} = number of vectors: linearly independent"
        if independent
        else f"rank = {value} < {X.cols} vectors: linearly dependent, {'; '.join(words)}"
    ) + assumed
    return finish(
        "independence",
        "x_1, ..., x_m independent?",
        Rank(X),
        steps,
        sp.true if independent else sp.false,
        "np.linalg.matrix_rank(X) == X.shape[1]",
        said,
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
        said = f"row {row + 1} of the reduced system reads 0 = {sp.sstr(reduced[row, A.cols])}: no solution"
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
        if free:
            names = ", ".join(sp.sstr(parameters[j]) for j in free)
            said = (
                f"{len(free)} free variable(s): infinitely many solutions, x = {sp.sstr(list(value))} for any {names}"
            )
            code = "np.linalg.lstsq(A, b)  # one of infinitely many solutions"
        else:
            said = f"exactly one solution: x = {sp.sstr(list(value))}"
            code = "np.linalg.solve(A, b)  # not inv(A) @ b, which is less stable"
    if not steps:
        steps = [Step(ROW_OPERATION, start, start)]
    return finish("solve", "A x = b", start, steps, value, code, said + assumed)


def _integer_direction(v: sp.MatrixBase) -> sp.ImmutableMatrix:
    """The same direction with whole-number entries where possible: (−1/2, 1) → (−1, 2)."""
    denominators = [sp.fraction(sp.nsimplify(e))[1] for e in v if e.is_Rational]
    if len(denominators) == len(v):
        v = v * sp.ilcm(*denominators, 1)
        common = math.gcd(*[int(e) for e in v])
        v = v / (common or 1)
    return sp.ImmutableMatrix(v.applyfunc(sp.simplify))


def _eigenvalues(A: sp.ImmutableMatrix) -> tuple[Derivation, dict[sp.Expr, int]]:
    shifted = sp.ImmutableMatrix(A - LAMBDA * sp.eye(A.rows))
    start = sp.Determinant(shifted)
    polynomial = sp.expand(shifted.det())
    steps = []
    if A.rows == 2:
        held = sp.Add(
            held_mul(shifted[0, 0], shifted[1, 1]),
            sp.Mul(-1, held_mul(shifted[0, 1], shifted[1, 0]), evaluate=False),
            evaluate=False,
        )
        steps.append(Step(CHARACTERISTIC_POLYNOMIAL, start, held))
        steps.append(Step(ARITHMETIC, held, polynomial, typed_order=False))
    else:
        steps.append(Step(CHARACTERISTIC_POLYNOMIAL, start, polynomial, typed_order=False))
    factored = sp.factor(polynomial)
    if factored != polynomial:
        steps.append(Step(SIMPLIFY, polynomial, factored, typed_order=False))
    roots = sp.roots(sp.Poly(polynomial, LAMBDA))
    if sum(roots.values()) < A.rows or any(size(r) > MAX_ROOT_PARTS for r in roots):
        raise RuleError(
            f"the characteristic polynomial {sp.sstr(polynomial)} has roots that cannot be written exactly; "
            "simply (a cubic's casus irreducibilis, or no formula at all); stepsolver works eigenvalues only when "
            "they are rational numbers or simple surds"
        )
    return Derivation("det(A - lambda I)", start, steps, LinalgContext("characteristic_polynomial")), roots


def _eigen_check(A: sp.ImmutableMatrix, eigenvalue: sp.Expr, v: sp.ImmutableMatrix) -> Derivation:
    start = sp.MatMul(A, v)
    held = sp.ImmutableMatrix(A.rows, 1, lambda i, j: held_add([held_mul(A[i, k], v[k]) for k in range(A.cols)]))
    value = sp.ImmutableMatrix((A * v).applyfunc(sp.simplify))
    steps = [Step(MATRIX_PRODUCT, start, held), Step(ARITHMETIC, held, value, typed_order=False)]
    steps.append(Step(EIGENVECTOR, value, sp.MatMul(eigenvalue, v), {"λ": eigenvalue}))
    return Derivation("A v = lambda v", start, steps, LinalgContext("eigenvector"))


def _largest_first(values: list[sp.Expr]) -> list[sp.Expr]:
    try:
        return sorted(values, key=lambda r: (-sp.re(r), sp.im(r)))
    except TypeError:  # symbolic eigenvalues have no order: keep SymPy's canonical one
        return sorted(values, key=sp.default_sort_key)


def eigen(a: object) -> Answer:
    """Eigenvalues from det(A − λI) = 0, eigenvectors from the null space of A − λI, each with
    Av = λv checked. ``result``: {eigenvalue: [eigenvectors]}."""
    A = to_matrix(a, "A")
    square(A, "A", "eigenvalues")
    if A.rows > MAX_SPECTRAL:
        raise ShapeError(f"A is {shape(A)}; eigenvalues are worked for matrices up to {MAX_SPECTRAL}×{MAX_SPECTRAL}")
    polynomial, roots = _eigenvalues(A)
    value: dict[sp.Expr, list[sp.ImmutableMatrix]] = {}
    checks = []
    used: list[RowOperation] = []
    for eigenvalue in _largest_first(list(roots)):
        basis, operations = nullspace(sp.Matrix(A - eigenvalue * sp.eye(A.rows)))
        used += operations
        vectors = [_integer_direction(v) for v in basis]
        value[eigenvalue] = vectors
        checks += [_eigen_check(A, eigenvalue, v) for v in vectors]
    steps = list(polynomial.steps)
    steps[-1].substeps.extend(checks)
    said = "; ".join(f"λ = {sp.sstr(k)}: v = {', '.join(sp.sstr(list(v)) for v in vs)}" for k, vs in value.items())
    said += assumptions(used)
    return finish("eigen", "eigenvalues of A", polynomial.start, steps, value, "np.linalg.eig(A)", said)


def _orthonormal(vectors: list[sp.MatrixBase]) -> list[sp.ImmutableMatrix]:
    if not vectors:
        return []
    return [sp.ImmutableMatrix(v.applyfunc(sp.radsimp)) for v in sp.GramSchmidt([sp.Matrix(v) for v in vectors], True)]


def svd(a: object) -> Answer:
    """Singular values as √(eigenvalues of AᵀA), then A = UΣVᵀ with U, V orthogonal, checked.
    ``result``: (U, Σ, V); the singular values are in ``context.singular_values``."""
    A = to_matrix(a, "A")
    if max(A.shape) > MAX_SPECTRAL:
        raise ShapeError(f"A is {shape(A)}; the SVD is worked for matrices up to {MAX_SPECTRAL}×{MAX_SPECTRAL}")
    if A.free_symbols:
        raise ShapeError("the SVD is worked for numeric matrices: singular values are ordered, and symbols cannot be")
    gram = product(sp.ImmutableMatrix(A.T), A, "A^T", "A")
    spectrum = eigen(gram.result)
    pairs = sorted(spectrum.result.items(), key=lambda kv: -kv[0])
    v_columns, sigmas = [], []
    for eigenvalue, vectors in pairs:
        for v in _orthonormal(vectors):
            v_columns.append(v)
            sigmas.append(sp.sqrt(eigenvalue))
    n, m = A.shape
    u_columns = [
        sp.ImmutableMatrix((A * v / s).applyfunc(sp.radsimp)) for v, s in zip(v_columns, sigmas, strict=True) if s != 0
    ]
    if len(u_columns) < n:  # complete U with an orthonormal basis of what A does not reach
        complement = (
            sp.Matrix.hstack(*u_columns).T.nullspace() if u_columns else [sp.Matrix(sp.eye(n).col(i)) for i in range(n)]
        )
        u_columns += _orthonormal(list(complement))[: n - len(u_columns)]
    U = sp.ImmutableMatrix.hstack(*u_columns)
    V = sp.ImmutableMatrix.hstack(*v_columns)
    Sigma = sp.ImmutableMatrix(n, m, lambda i, j: sigmas[i] if i == j and i < len(sigmas) else 0)
    start = sp.MatMul(U, Sigma, sp.Transpose(V))
    first = Step(SVD, start, A, substeps=[gram, spectrum])
    values = ", ".join(sp.sstr(s) for s in sigmas)
    return finish(
        "svd",
        "A = U Sigma V^T",
        start,
        [first],
        sp.Tuple(U, Sigma, V),
        "np.linalg.svd(A)",
        f"singular values {values} (square roots of the eigenvalues of AᵀA); UΣVᵀ = A checked",
        singular_values=sigmas,
    )
