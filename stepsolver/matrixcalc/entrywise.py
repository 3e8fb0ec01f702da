"""The lecture's view of a matrix gradient: at concrete small sizes, ∇_A f is the matrix of
∂f/∂a_ij, each worked by the scalar engine — and it equals the G the differentials gave."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from ..core.display import Displayable
from ..errors import RuleError
from . import terms as t
from .evaluate import Evaluator, SymPyBackend

if TYPE_CHECKING:
    from ..core.derivation import Derivation
    from .api import MatrixGradient

SIZES = (2, 3, 4)
MAX_ENTRIES = 12  # partials worked one by one: a 4×3 matrix is as far as a page goes


@dataclass
class EntrywiseView(Displayable):
    """∂f/∂x_ij for each entry of the variable at ``sizes``, and G at the same sizes."""

    result: MatrixGradient
    sizes: dict[sp.Symbol, int]
    function: sp.Expr  # f written out in the entries
    partials: list[tuple[tuple[int, int], sp.Symbol, Derivation[Any]]] = field(default_factory=list)
    by_entries: sp.Matrix = field(default_factory=lambda: sp.zeros(1, 1))
    from_g: sp.Matrix = field(default_factory=lambda: sp.zeros(1, 1))

    @property
    def equal(self) -> bool:
        return all(sp.simplify(a - b) == 0 for a, b in zip(self.by_entries, self.from_g, strict=True))


def entrywise(result: MatrixGradient) -> EntrywiseView:
    if result.context.what != "gradient":
        raise RuleError("--entrywise shows a gradient entry by entry; ask for the gradient, not a Jacobian or Hessian")
    dims = sorted(t.dims_of(result.f) | t.dims_of(result.var), key=lambda d: d.name)
    sizes = {dim: SIZES[i % len(SIZES)] for i, dim in enumerate(dims)}
    rows, cols = (int(d.xreplace(sizes)) for d in result.var.shape)
    if rows * cols > MAX_ENTRIES:
        at = ", ".join(f"{dim} = {size}" for dim, size in sizes.items()) or "its declared size"
        raise RuleError(
            f"{result.var.name} has {rows * cols} entries at {at}: too many to work one by one (at most {MAX_ENTRIES})"
        )
    values: dict[sp.Basic, Any] = {}
    for leaf in {*t.leaves(result.f), result.var}:
        r, c = (int(d.xreplace(sizes)) for d in leaf.shape)
        letter = leaf.name.lower() if leaf.name.isalpha() else leaf.name
        if leaf.is_scalar:
            values[leaf] = sp.Matrix([[sp.Symbol(leaf.name, real=True)]])
        elif c == 1:
            values[leaf] = sp.Matrix([sp.Symbol(f"{letter}_{i + 1}", real=True) for i in range(r)])
        else:
            values[leaf] = sp.Matrix(
                [[sp.Symbol(f"{letter}_{i + 1}{j + 1}", real=True) for j in range(c)] for i in range(r)]
            )
    point = Evaluator(SymPyBackend(), values, sizes)
    function = point(result.f)[0, 0]
    from ..calculus.api import differentiate

    view = EntrywiseView(result, sizes, function)
    entries = values[result.var]
    by_entries = sp.zeros(rows, cols)
    for i in range(rows):
        for j in range(cols):
            worked = differentiate(function, entries[i, j])
            view.partials.append(((i + 1, j + 1), entries[i, j], worked))
            by_entries[i, j] = worked.result
    view.by_entries = by_entries
    view.from_g = point(result.gradient)
    return view
