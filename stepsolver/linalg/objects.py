"""Terms for the linear-algebra chains that SymPy has no held form of.

A row operation does not keep a matrix equal, but it keeps some things about it equal, and a
derivation is a chain of equalities about those: rank(A) = rank(R₁) = …; the inverse encoded by
[M | N] (that is M⁻¹N, unchanged when both halves get the same row operation) for Gauss–Jordan;
and the solution set of the system [M | c] (unchanged by row operations) for Ax = b. Each of
these evaluates (``doit``) to a canonical value, so the verifier checks every step exactly.
"""

from __future__ import annotations

import sympy as sp

from .elimination import is_zero


def _matrix_latex(printer: sp.printing.latex.LatexPrinter, matrix: sp.MatrixBase, split: int | None = None) -> str:
    columns = "c" * matrix.cols if split is None else "c" * split + "|" + "c" * (matrix.cols - split)
    rows = [" & ".join(printer._print(v) for v in matrix.row(i)) for i in range(matrix.rows)]
    return rf"\left(\begin{{array}}{{{columns}}}" + r" \\ ".join(rows) + r"\end{array}\right)"


def _matrix_text(printer: sp.printing.str.StrPrinter, matrix: sp.MatrixBase, split: int | None = None) -> str:
    rows = []
    for i in range(matrix.rows):
        cells = [printer._print(v) for v in matrix.row(i)]
        if split is not None:
            cells = [*cells[:split], "|", *cells[split:]]
        rows.append("[" + ", ".join(cells).replace(", |,", " |") + "]")
    return "[" + ", ".join(rows) + "]"


class Rank(sp.Expr):
    """rank(M): unchanged by row operations."""

    is_commutative = True

    def __new__(cls, matrix: sp.ImmutableMatrix) -> Rank:
        return super().__new__(cls, matrix)

    def doit(self, **hints: object) -> sp.Expr:
        return sp.Integer(self.args[0].doit().rank())

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        return r"\operatorname{rank}" + _matrix_latex(printer, self.args[0])

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"rank{_matrix_text(printer, self.args[0])}"


class _Split(sp.Expr):
    """[M | N]: two matrices side by side, drawn with the bar between them."""

    is_commutative = True

    def __new__(cls, left: sp.ImmutableMatrix, right: sp.ImmutableMatrix) -> _Split:
        return super().__new__(cls, left, right)

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        left, right = self.args
        return _matrix_latex(printer, left.row_join(right), split=left.cols)

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        left, right = self.args
        return _matrix_text(printer, left.row_join(right), split=left.cols)


class Augmented(_Split):
    """[M | N], standing for M⁻¹N: Gauss–Jordan turns [A | I] into [I | A⁻¹] one row operation at
    a time, and each operation (applied to both halves) leaves M⁻¹N as it was."""

    def doit(self, **hints: object) -> sp.Expr:
        left, right = (arg.doit() for arg in self.args)
        return sp.ImmutableMatrix(left.inv() * right)


class System(_Split):
    """The linear system with augmented matrix [M | c], as its set of solutions: row operations
    keep the set, and two systems have the same solutions exactly when their reduced row echelon
    forms agree (zero rows left out), which is what ``doit`` gives."""

    def doit(self, **hints: object) -> sp.Expr:
        matrix, rhs = (arg.doit() for arg in self.args)
        return _reduced_rows(matrix.row_join(rhs))


def _reduced_rows(matrix: sp.MatrixBase) -> sp.ImmutableMatrix:
    """The reduced row echelon form without its zero rows (one zero row if that is all there is).
    Zero is decided as the row reduction decides it: SymPy's own test takes a surd that is zero
    (3/2 − √17/2 − (3/2 − √17/2)·1, unsimplified) for a pivot, and finds no null space at all."""
    reduced, _ = matrix.rref(iszerofunc=is_zero)
    rows = [reduced.row(i) for i in range(reduced.rows) if not all(is_zero(v) for v in reduced.row(i))]
    return sp.ImmutableMatrix.vstack(*rows) if rows else sp.ImmutableMatrix.zeros(1, reduced.cols)


class Span(sp.Expr):
    """span{v₁, …, v_k}: the null space an eigenvalue's row reduction ends with. As a set it is the
    solution set of one linear system (x ⟂ everything orthogonal to the v's), so ``doit`` gives
    that system's reduced rows, as a ``System`` of the same size does: the step from the reduced
    (A − λI | 0) to the span is checked exactly, the number of vectors included."""

    is_commutative = True

    def __new__(cls, *vectors: sp.ImmutableMatrix) -> Span:
        return super().__new__(cls, *vectors)

    def doit(self, **hints: object) -> sp.Expr:
        basis = sp.Matrix.hstack(*(v.doit() for v in self.args))
        complement = basis.T.nullspace(iszerofunc=is_zero)
        if not complement:
            return sp.ImmutableMatrix.zeros(1, basis.rows + 1)
        rows = _reduced_rows(sp.Matrix.hstack(*complement).T)
        return sp.ImmutableMatrix(rows.row_join(sp.zeros(rows.rows, 1)))

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        vectors = ", ".join(printer._print(v) for v in self.args)
        return rf"\operatorname{{span}}\left\{{{vectors}\right\}}"

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return "span{" + ", ".join(printer._print(v) for v in self.args) + "}"


class Norm(sp.Expr):
    """‖x‖_p of a vector (p = 1, 2, any p ≥ 1, or ∞ for the max norm), or ‖A‖_F with p = "F"."""

    is_commutative = True

    def __new__(cls, vector: sp.ImmutableMatrix, p: sp.Expr) -> Norm:
        order = p if isinstance(p, sp.Basic) else sp.Integer(p)  # never sympify: p may have come from a user
        return super().__new__(cls, vector, order)

    def doit(self, **hints: object) -> sp.Expr:
        matrix, p = self.args[0].doit(), self.args[1]
        entries = list(matrix)
        if p == sp.Symbol("F"):
            return sp.sqrt(sum(v**2 for v in entries))
        if p == sp.oo:
            return sp.Max(*[sp.Abs(v) for v in entries])
        return sp.Pow(sum(sp.Abs(v) ** p for v in entries), 1 / p)

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        body = rf"\left\|{printer._print(self.args[0])}\right\|_{{{printer._print(self.args[1])}}}"
        return rf"{body}^{{{exp}}}" if exp else body

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        p = "∞" if self.args[1] == sp.oo else printer._print(self.args[1])
        return f"‖{printer._print(self.args[0])}‖_{p}"


class Bracket(sp.Expr):
    """(a·b·c), held in its brackets: the product of a diagonal after the factor in front of it,
    which SymPy's printers would otherwise merge with it (−2·1·3 printed as −2·3)."""

    is_commutative = True

    def __new__(cls, inner: sp.Expr) -> Bracket:
        return super().__new__(cls, inner)

    def doit(self, **hints: object) -> sp.Expr:
        return self.args[0].doit()

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        return rf"\left({printer._print(self.args[0])}\right)"

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"({printer._print(self.args[0])})"


class Words(sp.Symbol):
    """A note in a step's bindings ("R₂ ← R₂ − 3·R₁", "(AB)ᵀ = BᵀAᵀ"): Unicode in text, \\text in LaTeX."""

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        from ..core.notation import tex_text

        return rf"\text{{{tex_text(self.name)}}}"

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return self.name
