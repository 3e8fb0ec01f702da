"""The lecture's identities demonstrated on the user's own matrices: both sides worked out,
every product and sum as its own side derivation, and the two values shown equal (or, for
AB ≠ BA, shown different, or BA shown not to exist)."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..core.derivation import Answer, Step, Worked
from ..core.rules import ARITHMETIC
from ..errors import ParseError, ShapeError
from .decompositions import inverse
from .inputs import shape, to_matrix
from .operations import add, product, trace, transpose
from .result import finish
from .rules import MATRIX_IDENTITY
from .words import Maths, Statement, formula_latex, maths, said


def work(expr: sp.Basic) -> tuple[sp.Basic, list[Worked]]:
    """The value of a held matrix expression, with a worked derivation for each operation in it."""
    if isinstance(expr, sp.MatrixBase):
        return expr, []
    if isinstance(expr, (sp.MatMul, sp.MatAdd)):
        value, worked = work(expr.args[0])
        for arg in expr.args[1:]:
            right, more = work(arg)
            step = product(value, right) if isinstance(expr, sp.MatMul) else add(value, right)  # type: ignore[arg-type]
            worked += [*more, step]
            value = step.result
        return value, worked
    single: dict[type, Callable[[sp.Basic], Answer]] = {
        sp.Transpose: transpose,
        sp.Inverse: inverse,
        sp.Trace: trace,
    }
    operand = expr.args[0] if expr.args else expr
    for kind, operation in single.items():
        if isinstance(expr, kind):
            inner, worked = work(operand)
            done = operation(inner)
            return done.result, [*worked, done]
    raise TypeError(f"cannot work {expr}")


def _sides(
    name: str, A: sp.ImmutableMatrix, B: sp.ImmutableMatrix | None, C: sp.ImmutableMatrix | None
) -> list[sp.Basic]:
    T, M, S, Inv, Tr = sp.Transpose, sp.MatMul, sp.MatAdd, sp.Inverse, sp.Trace

    def need(*matrices: sp.ImmutableMatrix | None) -> None:
        if any(m is None for m in matrices):
            raise ParseError(f"the property {name} needs {len(matrices) + 1} matrices")

    if name == "transpose_transpose":
        return [T(T(A)), A]
    if name == "inverse_transpose":
        return [T(Inv(A)), Inv(T(A))]
    need(B)
    assert B is not None
    if name == "trace_sum":
        return [Tr(S(A, B, evaluate=False)), sp.Add(Tr(A), Tr(B), evaluate=False)]
    if name == "transpose_product":
        return [T(M(A, B)), M(T(B), T(A))]
    if name == "transpose_sum":
        return [T(S(A, B, evaluate=False)), S(T(A), T(B), evaluate=False)]
    if name == "inverse_product":
        return [Inv(M(A, B)), M(Inv(B), Inv(A))]
    need(B, C)
    assert C is not None
    if name == "trace_cyclic":
        return [Tr(M(A, B, C)), Tr(M(C, A, B)), Tr(M(B, C, A))]
    if name == "associative":
        return [M(M(A, B), C), M(A, M(B, C))]
    if name == "distributive":
        return [M(A, S(B, C, evaluate=False)), S(M(A, B), M(A, C), evaluate=False)]
    raise ParseError(f"unknown property {name!r}; known: {', '.join(PROPERTIES)}")


# each identity in LaTeX where its Unicode does not say it all (words in it)
_PROPERTIES_LATEX = {"not_commutative": r"AB \neq BA \text{ in general}"}


def identity_maths(name: str) -> Maths:
    """The identity as maths in a sentence (text and LaTeX)."""
    shown = PROPERTIES[name]
    return Maths(shown, _PROPERTIES_LATEX.get(name) or formula_latex(shown))


def identity(name: str) -> Statement:
    """The identity as a step's justification: Tr(A + B) = Tr(A) + Tr(B), typeset in LaTeX."""
    return Statement(PROPERTIES[name], identity_maths(name).latex)


PROPERTIES = {
    "trace_cyclic": "Tr(ABC) = Tr(CAB) = Tr(BCA)",
    "trace_sum": "Tr(A + B) = Tr(A) + Tr(B)",
    "transpose_transpose": "(Aᵀ)ᵀ = A",
    "transpose_product": "(AB)ᵀ = BᵀAᵀ",
    "transpose_sum": "(A + B)ᵀ = Aᵀ + Bᵀ",
    "associative": "(AB)C = A(BC)",
    "distributive": "A(B + C) = AB + AC",
    "not_commutative": "AB ≠ BA in general",
    "inverse_product": "(AB)⁻¹ = B⁻¹A⁻¹",
    "inverse_transpose": "(A⁻¹)ᵀ = (Aᵀ)⁻¹",
}


def _value_of(side: sp.Basic) -> tuple[sp.Basic, list[Worked]]:
    if isinstance(side, sp.Add):  # Tr(A) + Tr(B): each trace worked, then added
        parts = [work(arg) for arg in side.args]
        return sp.Add(*[value for value, _ in parts]), [d for _, worked in parts for d in worked]
    return work(side)


def demonstrate(name: str, a: object, b: object = None, c: object = None) -> Answer:
    """``name`` is one of PROPERTIES; the result is True when the identity holds on these matrices."""
    if name not in PROPERTIES:
        raise ParseError(f"unknown property {name!r}; known: {', '.join(PROPERTIES)}")
    A = to_matrix(a, "A")
    B = None if b is None else to_matrix(b, "B")
    C = None if c is None else to_matrix(c, "C")
    if name == "not_commutative":
        if B is None:
            raise ParseError("the property not_commutative needs 2 matrices")
        return _commutes(A, B)
    sides = _sides(name, A, B, C)
    value, worked = _value_of(sides[0])
    steps = [Step(ARITHMETIC, sides[0], value, substeps=worked, typed_order=False)]
    for side in sides[1:]:
        other, more = _value_of(side)
        steps.append(Step(MATRIX_IDENTITY, value, side, {"identity": identity(name)}, substeps=more))
        if other != value:  # never: the identity holds for all matrices it applies to
            raise ShapeError(f"{PROPERTIES[name]} does not hold here: {other} ≠ {value}")
        value = other
    return finish(
        "property",
        PROPERTIES[name],
        sides[0],
        steps,
        sp.true,
        "",
        said(identity_maths(name), " holds on these matrices: both sides are ", value),
    )


def _commutes(A: sp.ImmutableMatrix, B: sp.ImmutableMatrix) -> Answer:
    ab = product(A, B, "A", "B")
    start = sp.MatMul(A, B)
    steps = [Step(ARITHMETIC, start, ab.result, substeps=[ab], typed_order=False)]
    if B.cols != A.rows:
        why = f" does not exist: B is {shape(B)} and A is {shape(A)}, and the columns of B ({B.cols}) ≠ the rows of A"
        conclusion = said(maths("AB"), f" is {shape(ab.result)}, but ", maths("BA"), why + f" ({A.rows})")
        return finish("property", PROPERTIES["not_commutative"], start, steps, sp.false, "", conclusion)
    ba = product(B, A, "B", "A")
    steps[-1].substeps.append(ba)
    if ab.result.shape != ba.result.shape:
        conclusion = said(maths("AB"), f" is {shape(ab.result)} and ", maths("BA"), f" is {shape(ba.result)}: "
                          "they cannot be equal")  # fmt: skip
        verdict = sp.false
    elif ab.result == ba.result:
        conclusion = said(maths("AB = BA"), " for these two matrices (they commute), though not in general")
        verdict = sp.true
    else:
        i, j = next((i, j) for i in range(A.rows) for j in range(B.cols) if ab.result[i, j] != ba.result[i, j])
        conclusion = said(maths("AB ≠ BA"), f": entry ({i + 1}, {j + 1}) is ", ab.result[i, j], " in ", maths("AB"),
                          " and ", ba.result[i, j], " in ", maths("BA"))  # fmt: skip
        verdict = sp.false
    return finish("property", PROPERTIES["not_commutative"], start, steps, verdict, "", conclusion)
