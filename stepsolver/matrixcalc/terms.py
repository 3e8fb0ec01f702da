"""Matrix expressions as the lecture writes them, each node knowing its shape.

Every node is a SymPy ``Expr`` (so that steps, JSON's ``srepr`` and the house's printers take
them as they take scalar terms) that SymPy never multiplies out or reorders: products keep
their order, and nothing is evaluated on construction. A scalar is a 1×1 node; in a product a
1×1 factor scales (the lecture's α∇f), every other factor must conform. SymPy's own matrix
expressions are not used for the work because they evaluate eagerly, print ``PermuteDims``
forms and have no softmax, norm or element-wise function of several arguments; ``to_sympy``
gives SymPy's form of a result where SymPy has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any, TypeAlias

import sympy as sp

from ..errors import RuleError

Dim: TypeAlias = sp.Expr  # an Integer or a dimension name (a Symbol)
Shape: TypeAlias = tuple[Dim, Dim]
SCALAR: Shape = (sp.Integer(1), sp.Integer(1))


class ShapeError(RuleError):
    """A product or sum that does not conform, or an operation that needs a square matrix."""


def shape_text(shape: Shape) -> str:
    return f"{shape[0]}×{shape[1]}"


# notation.py registers its printers here when the package loads: terms know no output code
PRINTERS: dict[str, Any] = {}


class MTerm(sp.Expr):
    """A node of a matrix expression."""

    is_commutative = False

    @property
    def shape(self) -> Shape:
        raise NotImplementedError

    @property
    def is_scalar(self) -> bool:
        return self.shape == SCALAR

    def _latex(self, printer: Any, **_: Any) -> str:
        return PRINTERS["latex"](self)

    def _sympystr(self, printer: Any) -> str:
        return PRINTERS["text"](self)

    def __str__(self) -> str:
        return PRINTERS["text"](self)

    __repr__ = sp.Basic.__repr__


class Sym(MTerm):
    """A named matrix, vector or scalar: Sym("X", m, n); a column vector is (n, 1)."""

    def __new__(cls, name: str | sp.Symbol, rows: Dim = 1, cols: Dim = 1) -> Sym:
        symbol = name if isinstance(name, sp.Symbol) else sp.Symbol(name)
        return sp.Expr.__new__(cls, symbol, sp.sympify(rows), sp.sympify(cols))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def shape(self) -> Shape:
        return (self.args[1], self.args[2])


class Dvar(MTerm):
    """dX, the differential of a variable: the direction the derivative is taken in."""

    def __new__(cls, var: Sym) -> Dvar:
        return sp.Expr.__new__(cls, var)

    @property
    def var(self) -> Sym:
        return self.args[0]

    @property
    def shape(self) -> Shape:
        return self.var.shape


class Const(MTerm):
    """A scalar that does not depend on any matrix: 2, −1, 1/n (n a dimension name)."""

    def __new__(cls, value: Any) -> Const:
        return sp.Expr.__new__(cls, sp.sympify(value))

    @property
    def value(self) -> sp.Expr:
        return self.args[0]

    @property
    def shape(self) -> Shape:
        return SCALAR


class Ones(MTerm):
    """𝟏, all ones (a column of n, or an n×k block)."""

    def __new__(cls, rows: Dim, cols: Dim = 1) -> Ones:
        return sp.Expr.__new__(cls, sp.sympify(rows), sp.sympify(cols))

    @property
    def shape(self) -> Shape:
        return (self.args[0], self.args[1])


class Identity(MTerm):
    def __new__(cls, n: Dim) -> Identity:
        return sp.Expr.__new__(cls, sp.sympify(n))

    @property
    def shape(self) -> Shape:
        return (self.args[0], self.args[0])


class Zero(MTerm):
    def __new__(cls, rows: Dim, cols: Dim = 1) -> Zero:
        return sp.Expr.__new__(cls, sp.sympify(rows), sp.sympify(cols))

    @property
    def shape(self) -> Shape:
        return (self.args[0], self.args[1])


class Unary(MTerm):
    def __new__(cls, arg: MTerm) -> Unary:
        node = sp.Expr.__new__(cls, arg)
        node._check()
        return node

    @property
    def arg(self) -> MTerm:
        return self.args[0]

    def _check(self) -> None:
        pass


def _square(node: Unary, what: str) -> None:
    rows, cols = node.arg.shape
    if rows != cols:
        raise ShapeError(f"{what} needs a square matrix, and {node.arg} is {shape_text(node.arg.shape)}")


class T(Unary):
    """Aᵀ"""

    @property
    def shape(self) -> Shape:
        rows, cols = self.arg.shape
        return (cols, rows)


class Inv(Unary):
    """A⁻¹"""

    def _check(self) -> None:
        _square(self, "the inverse")

    @property
    def shape(self) -> Shape:
        return self.arg.shape


class Tr(Unary):
    def _check(self) -> None:
        _square(self, "the trace")

    @property
    def shape(self) -> Shape:
        return SCALAR


class Det(Unary):
    def _check(self) -> None:
        _square(self, "the determinant")

    @property
    def shape(self) -> Shape:
        return SCALAR


class LogAbsDet(Unary):
    """ln|det X| (written log det X where det X > 0)."""

    def _check(self) -> None:
        _square(self, "log det")

    @property
    def shape(self) -> Shape:
        return SCALAR


class Norm2(Unary):
    """‖x‖₂ of a vector; of a matrix, the Frobenius norm ‖X‖_F (the 2-norm of its entries)."""

    @property
    def shape(self) -> Shape:
        return SCALAR


class Diag(Unary):
    """diag(v): the square matrix with the vector v on its diagonal."""

    def _check(self) -> None:
        if self.arg.shape[1] != 1:
            raise ShapeError(f"diag needs a column vector, and {self.arg} is {shape_text(self.arg.shape)}")

    @property
    def shape(self) -> Shape:
        return (self.arg.shape[0], self.arg.shape[0])


class Softmax(Unary):
    """softmax(z) = exp(z)/(𝟏ᵀexp(z)) of a column vector."""

    def _check(self) -> None:
        if self.arg.shape[1] != 1:
            raise ShapeError(f"softmax is taken of a column vector, and {self.arg} is {shape_text(self.arg.shape)}")

    @property
    def shape(self) -> Shape:
        return self.arg.shape


class D(Unary):
    """d(·), the pending differential of an expression."""

    @property
    def shape(self) -> Shape:
        return self.arg.shape


class Named(MTerm):
    """A name for a part (z = Xw + b𝟏), as the lecture names z and ŷ: printed by its name,
    evaluated by its definition."""

    def __new__(cls, name: str | sp.Symbol, definition: MTerm) -> Named:
        symbol = name if isinstance(name, sp.Symbol) else sp.Symbol(name)
        return sp.Expr.__new__(cls, symbol, definition)

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def definition(self) -> MTerm:
        return self.args[1]

    @property
    def shape(self) -> Shape:
        return self.definition.shape


class NamedFunction(Named):
    """A function of a part, printed by its name and evaluated by its definition: softmax(Z) row
    by row, written out as ((𝟏 ⊘ (e^Z𝟏))𝟏ᵀ) ⊙ e^Z."""

    def __new__(cls, name: str, definition: MTerm, argument: MTerm) -> NamedFunction:
        return sp.Expr.__new__(cls, sp.Symbol(name), definition, argument)

    @property
    def argument(self) -> MTerm:
        return self.args[2]


class Grad(MTerm):
    """∇_X f, the gradient by definition: the matrix of ∂f/∂x_ij, shaped like X."""

    def __new__(cls, f: MTerm, var: Sym) -> Grad:
        return sp.Expr.__new__(cls, f, var)

    @property
    def shape(self) -> Shape:
        return self.args[1].shape


class Jac(MTerm):
    """∂f/∂x, the Jacobian by definition (numerator layout: rows for f, columns for x)."""

    def __new__(cls, f: MTerm, var: Sym) -> Jac:
        return sp.Expr.__new__(cls, f, var)

    @property
    def shape(self) -> Shape:
        return (self.args[0].shape[0], self.args[1].shape[0])


T_ARG = sp.Symbol("t")  # the scalar an element-wise function is written in


class Elementwise(MTerm):
    """f applied entry by entry: Elementwise(σ(t), z) is σ(z); Elementwise(t**-1, u) is 𝟏 ⊘ u.
    Of a 1×1 argument it is the scalar function (exp tr X)."""

    def __new__(cls, function: sp.Expr, arg: MTerm) -> Elementwise:
        return sp.Expr.__new__(cls, sp.sympify(function), arg)

    @property
    def function(self) -> sp.Expr:
        return self.args[0]

    @property
    def arg(self) -> MTerm:
        return self.args[1]

    @property
    def shape(self) -> Shape:
        return self.arg.shape

    def derivative(self) -> sp.Expr:
        return sp.diff(self.function, T_ARG)


class Sum(MTerm):
    def __new__(cls, *terms: MTerm) -> MTerm:
        if len(terms) == 1:
            return terms[0]
        node = sp.Expr.__new__(cls, *terms)
        first = terms[0].shape
        for term in terms[1:]:
            if term.shape != first:
                raise ShapeError(
                    f"cannot add {terms[0]} ({shape_text(first)}) and {term} ({shape_text(term.shape)}):"
                    " a sum needs equal shapes"
                )
        return node

    @property
    def shape(self) -> Shape:
        return self.args[0].shape


class Prod(MTerm):
    """A product in the order written; 1×1 factors scale, the others must conform."""

    def __new__(cls, *factors: MTerm) -> MTerm:
        if len(factors) == 1:
            return factors[0]
        node = sp.Expr.__new__(cls, *factors)
        node.shape  # noqa: B018 -- conformity is checked on construction
        return node

    @cached_property
    def shape(self) -> Shape:
        # a run of factors whose product is 1×1 is a scalar again: (xᵀy) z scales z
        seen: list[MTerm] = []
        rows: Dim = sp.Integer(1)
        cols: Dim = sp.Integer(1)
        for factor in self.args:
            if factor.is_scalar:
                continue
            if seen and (rows, cols) != SCALAR and cols != factor.shape[0]:
                so_far = Prod(*seen) if len(seen) > 1 else seen[0]
                raise ShapeError(
                    f"cannot multiply {so_far} ({shape_text((rows, cols))}) by {factor}"
                    f" ({shape_text(factor.shape)}): the columns of the first must equal the rows of the second"
                )
            if not seen or (rows, cols) == SCALAR:
                rows = factor.shape[0]
            cols = factor.shape[1]
            seen.append(factor)
        return (rows, cols)


class Had(MTerm):
    """A ⊙ B, the entry-by-entry product."""

    def __new__(cls, *factors: MTerm) -> MTerm:
        if len(factors) == 1:
            return factors[0]
        node = sp.Expr.__new__(cls, *factors)
        first = factors[0].shape
        for factor in factors[1:]:
            if factor.shape != first:
                raise ShapeError(
                    f"cannot take {factors[0]} ({shape_text(first)}) ⊙ {factor} ({shape_text(factor.shape)}):"
                    " the Hadamard product needs equal shapes"
                )
        return node

    @property
    def shape(self) -> Shape:
        return self.args[0].shape


# -- building, with the obvious tidying a teacher does without a step --------------------------


def times(*factors: MTerm) -> MTerm:
    """A product with nested products flattened and numeric factors merged in front. A nested
    product stays whole where flattening would not conform (aᵀ(xᵀy)z, 𝟏ᵀ((xᵀy)z)); an identity factor
    goes only where the product keeps its shape without it (AI = A, but (aᵀx)·I stays n×n)."""
    number, rest = flattened(factors)
    if number == 0:
        return Zero(*_shape_of(rest))
    if any(isinstance(f, Zero) for f in rest):
        return Zero(*_shape_of(rest))
    without = [f for f in rest if not isinstance(f, Identity)]
    if without and len(without) < len(rest) and conforms(without) and _shape_of(without) == _shape_of(rest):
        rest = without
    if number != 1 or not rest:
        rest.insert(0, Const(number))
    return Prod(*rest) if len(rest) > 1 else rest[0]


def flattened(factors: Iterable[MTerm]) -> tuple[sp.Expr, list[MTerm]]:
    """(the product of the numbers, the other factors in order), nested products flattened where
    the flat row still conforms: what a product is before any tidying."""
    flat: list[MTerm] = []
    for factor in factors:
        if isinstance(factor, Prod) and conforms([*flat, *factor.args]):
            flat.extend(factor.args)
        else:
            flat.append(factor)
    number: sp.Expr = sp.Integer(1)
    rest = []
    for factor in flat:
        if isinstance(factor, Const):
            number *= factor.value
        else:
            rest.append(factor)
    return number, rest


def grouped(factors: list[MTerm]) -> list[MTerm]:
    """The factors with each run whose product is 1×1 (followed by more) as one nested product:
    xᵀ y z as (xᵀy) z, the scalar apart from what it scales."""
    out: list[MTerm] = []
    run: list[MTerm] = []
    for index, factor in enumerate(factors):
        run.append(factor)
        if len(run) > 1 and Prod(*run).shape == SCALAR and any(not f.is_scalar for f in factors[index + 1 :]):
            out.append(Prod(*run))
            run = []
        elif len(run) == 1 and factor.is_scalar:
            out.append(factor)
            run = []
    return out + run


def conforms(factors: list[MTerm]) -> bool:
    """Whether the factors multiply in this order (a 1×1 run scales what follows)."""
    try:
        _shape_of(factors)
    except ShapeError:
        return False
    return True


def _shape_of(factors: list[MTerm]) -> Shape:
    if not factors:
        return SCALAR
    return Prod(*factors).shape if len(factors) > 1 else factors[0].shape


def plus(*terms: MTerm) -> MTerm:
    """A sum with nested sums flattened and zeros dropped."""
    flat: list[MTerm] = []
    for term in terms:
        flat.extend(term.args if isinstance(term, Sum) else [term])
    kept = [t for t in flat if not isinstance(t, Zero)]
    if not kept:
        return terms[0] if terms and isinstance(terms[0], Zero) else Zero(*terms[0].shape)
    return Sum(*kept)


def neg(term: MTerm) -> MTerm:
    return times(Const(-1), term)


def transpose(term: MTerm) -> MTerm:
    """Aᵀ, with (Aᵀ)ᵀ = A and a scalar's transpose itself said without a step."""
    if isinstance(term, T):
        return term.arg
    if isinstance(term, (Const, Identity)) or term.is_scalar:
        return term
    if isinstance(term, Zero):
        return Zero(term.shape[1], term.shape[0])
    if isinstance(term, Ones) and term.shape[1] != 1:  # a block of ones, not the vector 𝟏 (𝟏ᵀ stays)
        return Ones(term.shape[1], term.shape[0])
    return T(term)


def leaves(term: sp.Basic) -> Iterable[Sym]:
    return (node for node in sp.preorder_traversal(term) if isinstance(node, Sym))


def depends_on(term: sp.Basic, var: Sym) -> bool:
    return any(node == var for node in sp.preorder_traversal(term))


def dims_of(term: sp.Basic) -> set[sp.Symbol]:
    """The dimension names the term's shapes use."""
    found: set[sp.Symbol] = set()
    for node in sp.preorder_traversal(term):
        if isinstance(node, MTerm):
            for dim in node.shape:
                found |= dim.free_symbols
        if isinstance(node, Const):
            found |= node.value.free_symbols
    return found
