"""The spectral side: eigenvalues from det(A − λI) = 0 and, for each, its eigenvectors solved
from (A − λI | 0) by row reduction, then checked (Av = λv); singular values and the SVD
A = UΣVᵀ, with V's columns normalised, U's made from them, and UΣVᵀ = A multiplied out."""

from __future__ import annotations

import math

import sympy as sp

from ..core.derivation import Answer, Derivation, LinalgContext, Step, Worked
from ..core.notation import Said, latex, text
from ..core.rules import ARITHMETIC, SIMPLIFY
from ..core.terms import size
from ..errors import RuleError, ShapeError
from .determinant import determinant
from .elimination import RowOperation, assumptions, is_zero, row_reduce
from .inputs import shape, to_matrix
from .objects import Norm, Span, System, Words
from .operations import held_add, held_mul, product, square
from .result import finish
from .rules import (
    CHARACTERISTIC_POLYNOMIAL,
    EIGENSPACE,
    EIGENVECTOR,
    GRAM_SCHMIDT,
    MATRIX_PRODUCT,
    NORM,
    ROW_OPERATION,
    SVD,
    UNIT_VECTOR,
)
from .words import Formula, Maths, decimals, formula_latex, maths, nested, said, with_decimal, words
from .words import value as value_of

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

MAX_SPECTRAL = 6  # eigen and SVD: beyond 6×6 the characteristic polynomial is rarely solvable exactly
MAX_ROOT_PARTS = 30  # an eigenvalue longer than this is a cube root of a complex number, not a board answer
LAMBDA = sp.Symbol("lambda")


def _tidy(value: sp.Expr) -> sp.Expr:
    """Fractions as they are; surds with their denominators rationalised (√10/10, not 1/√10); a
    nested root as it came (see ``words.nested``)."""
    if value.is_Rational or (value.is_number and nested(value)):
        return value
    return sp.radsimp(value)


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
    else:  # a 3×3 by its cofactor expansion, worked beside; beyond, SymPy's expansion, checked
        worked: list[Worked] = [determinant(shifted)] if A.rows == 3 else []
        steps.append(Step(CHARACTERISTIC_POLYNOMIAL, start, polynomial, typed_order=False, substeps=worked))
    factored = sp.factor(polynomial)
    if factored != polynomial:
        steps.append(Step(SIMPLIFY, polynomial, factored, typed_order=False))
    roots = sp.roots(sp.Poly(polynomial, LAMBDA))
    if sum(roots.values()) < A.rows or any(size(r) > MAX_ROOT_PARTS for r in roots):
        raise RuleError(
            f"the characteristic polynomial {words(polynomial)} has roots that cannot be written exactly and "
            "simply (a cubic's casus irreducibilis, or no formula at all); stepsolver works eigenvalues only when "
            "they are rational numbers or simple surds"
        )
    return Derivation("det(A - lambda I)", start, steps, LinalgContext("characteristic_polynomial")), roots


def _shifted_held(A: sp.ImmutableMatrix, eigenvalue: sp.Expr) -> sp.ImmutableMatrix:
    """A − λI with the number λ put in and the subtraction not yet done: [[4 - 5, 2], [2, 1 - 5]]."""
    return sp.ImmutableMatrix(
        A.rows, A.cols, lambda i, j: sp.Add(A[i, j], -eigenvalue, evaluate=False) if i == j else A[i, j]
    )


def _free_words(free: list[int]) -> Formula:
    names = ["x" + str(j + 1).translate(_SUBSCRIPTS) for j in free]
    if len(names) == 1:
        return Formula(f"{names[0]} = 1")
    listed = ", ".join(names)
    return Formula(f"{listed}, each = 1 in turn with the others 0",
                   formula_latex(listed) + r"\ \text{each} = 1 \text{ in turn with the others } 0")  # fmt: skip


def _eigenspace(
    A: sp.ImmutableMatrix, eigenvalue: sp.Expr
) -> tuple[Derivation, list[sp.ImmutableMatrix], list[RowOperation]]:
    """(A − λI | 0) row-reduced, its null space read off (each free variable 1 in turn) and
    scaled to whole numbers: the eigenvectors of λ, as a basis of its eigenspace."""
    n = A.rows
    zero = sp.ImmutableMatrix.zeros(n, 1)
    shifted = sp.ImmutableMatrix((A - eigenvalue * sp.eye(n)).applyfunc(_tidy))
    start = System(A, zero) if eigenvalue == 0 else System(_shifted_held(A, eigenvalue), zero)
    before = System(shifted, zero)
    steps = [] if start == before else [Step(ARITHMETIC, start, before, {"eigenvalue": eigenvalue})]
    operations, pivots = row_reduce(shifted.row_join(zero), n)
    for operation in operations:
        after = System(operation.matrix[:, :n], operation.matrix[:, n:])
        steps.append(Step(ROW_OPERATION, before, after, {"operation": operation.formula}))
        before = after
    reduced = operations[-1].matrix if operations else shifted
    free = [j for j in range(n) if j not in pivots]
    if not free:  # never for a root of the characteristic polynomial: the pivots are decided exactly
        raise RuleError(f"(A − λI)v = 0 has only v = 0 for λ = {words(eigenvalue)}: no eigenvector found")
    read = []
    for j in free:
        v = sp.zeros(n, 1)
        v[j] = 1
        for row, pivot in enumerate(pivots):
            v[pivot] = _tidy(-reduced[row, j])
        read.append(sp.ImmutableMatrix(v))
    steps.append(Step(EIGENSPACE, before, Span(*read), {"eigenvalue": eigenvalue, "free": _free_words(free)}))
    vectors = [_integer_direction(v) for v in read]
    if vectors != read:
        scales = [v[j] for v, j in zip(vectors, free, strict=True)]  # the free variable was 1
        shown = ", ".join(f"×{words(c)}" for c in scales)
        scale = Words(f"{shown}: whole numbers, the same direction")
        steps.append(Step(SIMPLIFY, Span(*read), Span(*vectors), {"scale": scale}))
    derivation = Derivation("(A - lambda I) v = 0", start, steps, LinalgContext("eigenspace"))
    return derivation, vectors, operations


def _eigen_check(A: sp.ImmutableMatrix, eigenvalue: sp.Expr, v: sp.ImmutableMatrix) -> Derivation:
    start = sp.MatMul(A, v)
    held = sp.ImmutableMatrix(A.rows, 1, lambda i, j: held_add([held_mul(A[i, k], v[k]) for k in range(A.cols)]))
    value = sp.ImmutableMatrix((A * v).applyfunc(sp.simplify))
    steps = [Step(MATRIX_PRODUCT, start, held), Step(ARITHMETIC, held, value, typed_order=False)]
    steps.append(Step(EIGENVECTOR, value, sp.MatMul(eigenvalue, v), {"eigenvalue": eigenvalue}))
    return Derivation("A v = lambda v", start, steps, LinalgContext("eigenvector"))


def _largest_first(values: list[sp.Expr]) -> list[sp.Expr]:
    try:
        return sorted(values, key=lambda r: (-sp.re(r), sp.im(r)))
    except TypeError:  # symbolic eigenvalues have no order: keep SymPy's canonical one
        return sorted(values, key=sp.default_sort_key)


_MULTIPLE = {2: "double", 3: "triple"}


def _eigen_words(value: dict[sp.Expr, list[sp.ImmutableMatrix]], roots: dict[sp.Expr, int]) -> Said:
    """λ = 5: v = [2, 1]; λ = 0: v = [-1, 2], and what a repeated or complex eigenvalue means."""
    parts: list[str | Maths] = []
    for eigenvalue, vectors in value.items():
        if parts:
            parts.append("; ")
        parts.append(Maths(f"λ = {words(eigenvalue)}", rf"\lambda = {latex(eigenvalue, typed=False)}"))
        times = roots[eigenvalue]
        if times > 1:
            root = f"{_MULTIPLE.get(times, f'{times}-fold')} root"
            found = len(vectors)
            parts.append(
                f" ({root}, a {found}-dimensional eigenspace)"
                if found == times
                else f" ({root}, but only {found} independent eigenvector{'s' if found > 1 else ''})"
            )
        shown = [value_of(v) for v in vectors]
        parts += [": ", Maths("v = " + ", ".join(v.shown for v in shown), "v = " + ", ".join(v.latex for v in shown))]
    found = sum(len(vs) for vs in value.values())
    n = sum(roots.values())
    if found < n:
        parts.append(
            f"; A is defective: {found} independent eigenvector{'s' if found > 1 else ''} for a {n}×{n} matrix, "
            "so it is not diagonalisable"
        )
    complex_values = [k for k in value if k.is_real is False]
    if complex_values:
        listed = ", ".join(f"λ = {words(k)}" for k in complex_values)
        parts += ["; ", maths(listed), " are complex, and so are their eigenvectors: no real vector ", maths("v"),
                  " has ", maths("Av = λv"), " for them"]  # fmt: skip
    return said(*parts)


def eigen(a: object) -> Answer:
    """Eigenvalues from det(A − λI) = 0; for each, the eigenvectors solved from (A − λI | 0) by
    row reduction and checked (Av = λv). ``result``: {eigenvalue: [eigenvectors]}."""
    A = to_matrix(a, "A")
    square(A, "A", "eigenvalues")
    if A.rows > MAX_SPECTRAL:
        raise ShapeError(f"A is {shape(A)}; eigenvalues are worked for matrices up to {MAX_SPECTRAL}×{MAX_SPECTRAL}")
    polynomial, roots = _eigenvalues(A)
    value: dict[sp.Expr, list[sp.ImmutableMatrix]] = {}
    solved: list[Worked] = []
    used: list[RowOperation] = []
    for eigenvalue in _largest_first(list(roots)):
        space, vectors, operations = _eigenspace(A, eigenvalue)
        used += operations
        value[eigenvalue] = vectors
        solved += [space, *(_eigen_check(A, eigenvalue, v) for v in vectors)]
    steps = list(polynomial.steps)
    steps[-1].substeps.extend(solved)
    said = _eigen_words(value, roots) + assumptions(used)
    return finish("eigen", "eigenvalues of A", polynomial.start, steps, value, "np.linalg.eig(A)", said)


# The SVD


def _length(v: sp.ImmutableMatrix) -> Derivation:
    """‖v‖₂ = √(v₁² + … + v_n²), the sum multiplied out."""
    start = Norm(v, 2)
    held = sp.Pow(held_add([sp.Pow(e, 2, evaluate=False) for e in v]), sp.S.Half, evaluate=False)
    value = sp.sqrt(sp.expand(sum(e**2 for e in v)))
    steps = [Step(NORM, start, held, {"p": sp.Integer(2)}), Step(ARITHMETIC, held, value, typed_order=False)]
    return Derivation("||v||", start, steps, LinalgContext("norm"))


def _over(numerator: sp.Expr, length: sp.Expr) -> sp.Expr:
    """numerator / length, tidied; by a nested root only the numerator is (see ``words.nested``)."""
    if not nested(length):
        return _tidy(numerator / length)
    top, bottom = sp.fraction(sp.together(_tidy(numerator)))
    if top == 0:
        return sp.S.Zero
    # held, so that it prints as the fraction it is: (-1 + √5)/(2·√(5/2 - √5/2))
    below = sp.Pow(length if bottom == 1 else sp.Mul(bottom, length), -1, evaluate=False)
    return below if top == 1 else sp.Mul(top, below, evaluate=False)


def _unit(v: sp.ImmutableMatrix) -> tuple[list[Worked], sp.ImmutableMatrix, sp.Expr]:
    """v / ‖v‖ and ‖v‖, worked beside (nothing to do for a vector of length 1)."""
    length = _length(v)
    if length.result == 1:
        return [], v, sp.S.One
    start = sp.MatMul(sp.Pow(Norm(v, 2), -1), v)
    held = sp.ImmutableMatrix(v.rows, 1, lambda i, j: held_mul(v[i], sp.Pow(length.result, -1, evaluate=False)))
    value = sp.ImmutableMatrix(v.applyfunc(lambda e: _over(e, length.result)))
    steps = [Step(UNIT_VECTOR, start, held, substeps=[length]), Step(ARITHMETIC, held, value, typed_order=False)]
    return [Derivation("v / ||v||", start, steps, LinalgContext("unit_vector"))], value, length.result


Unit = tuple[sp.ImmutableMatrix, sp.ImmutableMatrix, sp.Expr]  # q = w / ‖w‖: (q, w, ‖w‖)


def _orthonormal(vectors: list[sp.ImmutableMatrix]) -> tuple[list[Worked], list[Unit]]:
    """An orthonormal basis of the span of ``vectors`` (a basis of one eigenspace, or of what U
    still lacks): Gram–Schmidt where two are not orthogonal, then each divided by its length."""
    worked: list[Worked] = []
    basis: list[Unit] = []
    for v in vectors:
        projections = [(q, _tidy((q.T * v)[0])) for q, _, _ in basis]
        projections = [(q, c) for q, c in projections if not is_zero(c)]
        w = v
        if projections:
            start = sp.MatAdd(v, *[sp.MatMul(-c, q) for q, c in projections], evaluate=False)
            w = sp.ImmutableMatrix((v - sum((c * q for q, c in projections), sp.zeros(v.rows, 1))).applyfunc(_tidy))
            step = Step(GRAM_SCHMIDT, start, w)
            worked.append(Derivation("w = v - (q^T v) q", start, [step], LinalgContext("gram_schmidt")))
        shown, q, length = _unit(w)
        worked += shown
        basis.append((q, w, length))
    return worked, basis


def _left_vector(A: sp.ImmutableMatrix, unit: Unit, sigma: sp.Expr) -> Derivation:
    """u = A v / σ, the product worked entry by entry (v = w / ‖w‖: u = (A w / σ) / ‖w‖)."""
    v, w, length = unit
    inverse = sp.Pow(sigma, -1, evaluate=False)
    start = sp.MatMul(inverse, A, v)
    held = sp.ImmutableMatrix(
        A.rows, 1, lambda i, j: held_mul(inverse, held_add([held_mul(A[i, k], v[k]) for k in range(A.cols)]))
    )
    value = sp.ImmutableMatrix((A * w / sigma).applyfunc(lambda e: _over(e, length)))
    steps = [Step(MATRIX_PRODUCT, start, held), Step(ARITHMETIC, held, value, typed_order=False)]
    return Derivation("u = A v / sigma", start, steps, LinalgContext("left_singular_vector"))


def _orthonormal_check(Q: sp.ImmutableMatrix, name: str) -> Derivation:
    """QᵀQ = I, entry by entry: the columns have length 1 and are orthogonal."""
    start = sp.MatMul(sp.Transpose(Q), Q)
    held = sp.ImmutableMatrix(
        Q.cols, Q.cols, lambda i, j: held_add([held_mul(Q[k, i], Q[k, j]) for k in range(Q.rows)])
    )
    identity = sp.ImmutableMatrix.eye(Q.cols)
    steps = [Step(MATRIX_PRODUCT, start, held), Step(ARITHMETIC, held, identity, typed_order=False)]
    return Derivation(f"{name}^T {name} = I", start, steps, LinalgContext("orthonormal_columns"))


def _singular_value(eigenvalue: sp.Expr) -> tuple[list[Worked], sp.Expr]:
    """σ = √λ, worked when it simplifies: √45 = 3·√5; a nested root denested, σ = √(3/2 + √5/2) =
    1/2 + √5/2, shown by squaring it back (σ > 0 and σ² = λ: a check that is exact algebra)."""
    sigma = sp.sqrt(eigenvalue)
    root = sp.Pow(eigenvalue, sp.S.Half, evaluate=False)
    denested = sp.expand(sp.sqrtdenest(sigma)) if nested(sigma) else sigma
    if denested != sigma and not nested(denested):
        said = f"σ = √({words(eigenvalue)}) = {words(denested)}: it is positive, and its square is λ"
        squared = sp.Pow(denested, 2, evaluate=False)
        step = Step(ARITHMETIC, squared, eigenvalue, typed_order=False)
        return [Derivation("sigma^2 = lambda", squared, [step], LinalgContext("singular_value", said))], denested
    if eigenvalue in (0, 1) or text(root) == text(sigma):
        return [], sigma
    step = Step(ARITHMETIC, root, sigma, typed_order=False)
    return [Derivation("sigma = sqrt(lambda)", root, [step], LinalgContext("singular_value"))], sigma


def svd(a: object) -> Answer:
    """Singular values as √(eigenvalues of AᵀA); V from their eigenvectors, normalised; U from
    u = Av/σ (completed to an orthonormal basis when A has fewer non-zero σ than rows); then
    UΣVᵀ multiplied out and shown equal to A, with UᵀU = I and VᵀV = I checked.
    ``result``: (U, Σ, V); the singular values are in ``context.singular_values``."""
    A = to_matrix(a, "A")
    if max(A.shape) > MAX_SPECTRAL:
        raise ShapeError(f"A is {shape(A)}; the SVD is worked for matrices up to {MAX_SPECTRAL}×{MAX_SPECTRAL}")
    if A.free_symbols:
        raise ShapeError("the SVD is worked for numeric matrices: singular values are ordered, and symbols cannot be")
    n, m = A.shape
    gram = product(sp.ImmutableMatrix(A.T), A, "A^T", "A")
    spectrum = eigen(gram.result)
    found: list[Worked] = [gram, spectrum]
    v_columns: list[Unit] = []
    sigmas, eigenvalues = [], []
    for eigenvalue, vectors in sorted(spectrum.result.items(), key=lambda kv: -kv[0]):
        shown, sigma = _singular_value(eigenvalue)
        orthonormal, basis = _orthonormal(vectors)
        found += shown + orthonormal
        v_columns += basis
        sigmas += [sigma] * len(basis)
        eigenvalues += [eigenvalue] * len(basis)
    u_columns = []
    for unit, sigma in zip(v_columns, sigmas, strict=True):
        if sigma != 0:
            left = _left_vector(A, unit, sigma)
            found.append(left)
            u_columns.append(left.result)
    completed = n - len(u_columns)
    if completed:  # an orthonormal basis of what A does not reach, for U's last columns
        reached = sp.Matrix.hstack(*u_columns)
        complement = reached.T.nullspace(iszerofunc=is_zero) if u_columns else [sp.eye(n).col(i) for i in range(n)]
        orthonormal, basis = _orthonormal([_integer_direction(c) for c in complement])
        found += orthonormal
        u_columns += [q for q, _, _ in basis[:completed]]
    U = sp.ImmutableMatrix.hstack(*u_columns)
    V = sp.ImmutableMatrix.hstack(*[q for q, _, _ in v_columns])
    Sigma = sp.ImmutableMatrix(n, m, lambda i, j: sigmas[i] if i == j else 0)
    checks = [_orthonormal_check(V, "V"), _orthonormal_check(U, "U")]
    found += checks
    multiplied = sp.MatMul(U, Sigma, sp.Transpose(V))
    r = min(n, m)
    held = sp.ImmutableMatrix(n, m, lambda i, j: _entry(U, sigmas[:r], V, i, j))
    steps = [
        Step(SVD, A, multiplied, {"U": U, "Sigma": Sigma, "V": V}, substeps=found),
        Step(MATRIX_PRODUCT, multiplied, held),
        Step(ARITHMETIC, held, A, typed_order=False),
    ]
    return finish(
        "svd",
        "A = U Sigma V^T",
        A,
        steps,
        sp.Tuple(U, Sigma, V),
        "np.linalg.svd(A)",
        _svd_words(sigmas[:r], eigenvalues[:r], U, V, completed, steps, checks),
        singular_values=sigmas[:r],
    )


def _entry(U: sp.ImmutableMatrix, sigmas: list[sp.Expr], V: sp.ImmutableMatrix, i: int, j: int) -> sp.Expr:
    """(UΣVᵀ)_ij = Σ_k σ_k U_ik V_jk, held; the terms of zero singular values left out."""
    terms = [held_mul(s, U[i, k], V[j, k]) for k, s in enumerate(sigmas) if s != 0]
    return held_add(terms) if terms else sp.S.Zero


def _svd_words(
    sigmas: list[sp.Expr],
    eigenvalues: list[sp.Expr],
    U: sp.ImmutableMatrix,
    V: sp.ImmutableMatrix,
    completed: int,
    steps: list[Step],
    checks: list[Derivation],
) -> Said:
    values = ", ".join(with_decimal(s) for s in sigmas)
    roots = ", ".join(words(e) for e in eigenvalues)
    values_latex = ", ".join(latex(s, typed=False) for s in sigmas)
    roots_latex = ", ".join(latex(e, typed=False) for e in eigenvalues)
    parts: list[str | Maths] = (
        ["singular values ", Maths(values, values_latex), " (the square roots of ", Maths(roots, roots_latex),
         ", the eigenvalues of ", maths("AᵀA"), ")"]
        if len(sigmas) > 1
        else ["singular value ", Maths(values, values_latex), " (the square root of ", Maths(roots, roots_latex),
              ", the eigenvalue of ", maths("AᵀA"), ")"]
    )  # fmt: skip
    for name, Q in (("U", U), ("V", V)):
        if with_decimal(Q) != words(Q):
            rows = r" \\ ".join(" & ".join(decimals(e) for e in Q.row(i)) for i in range(Q.rows))
            small = rf"{name} \approx \left[\begin{{smallmatrix}}{rows}\end{{smallmatrix}}\right]"
            parts += ["; ", Maths(f"{name} ≈ {decimals(Q)}", small)]
    if completed:
        rank = U.cols - completed
        last = f"last {completed} columns complete" if completed > 1 else "last column completes"
        parts.append(f"; A has rank {rank} < {U.rows}, so U's {last} an orthonormal basis")
    exactly = all(step.verify().status == "proved" for step in steps)
    orthogonal = all(c.status == "proved" for check in checks for _, c in check.verify().checks)
    parts += ["; ", maths("UΣVᵀ = A"), f" checked {'exactly' if exactly else 'numerically'}, and ",
              maths("UᵀU = I"), ", ", maths("VᵀV = I"), f" {'exactly' if orthogonal else 'numerically'}"]  # fmt: skip
    return said(*parts)


__all__ = ["LAMBDA", "MAX_SPECTRAL", "eigen", "svd"]
