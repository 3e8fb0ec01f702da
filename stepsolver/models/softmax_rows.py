"""softmax(Z) row by row, as the matrix calculus writes it out: ((𝟏 ⊘ (e^Z 𝟏))𝟏ᵀ) ⊙ e^Z. Found
in a result and named, so that ∇_W J reads (1/n)Xᵀ(softmax(XW + 𝟏bᵀ) − Y)."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..matrixcalc import terms as t


def row_softmax_argument(term: sp.Basic) -> t.MTerm | None:
    """Z if ``term`` is ((𝟏 ⊘ (e^Z 𝟏))𝟏ᵀ) ⊙ e^Z, else None."""
    if not (isinstance(term, t.Had) and len(term.args) == 2):
        return None
    scale, exp = term.args
    if not (isinstance(exp, t.Elementwise) and exp.function == sp.exp(t.T_ARG)):
        return None
    if not (isinstance(scale, t.Prod) and len(scale.args) == 2 and isinstance(scale.args[1], t.T)):
        return None
    inverse, ones_row = scale.args
    if not (isinstance(ones_row.args[0], t.Ones) and isinstance(inverse, t.Elementwise)):
        return None
    if inverse.function != t.T_ARG**-1:
        return None
    total = inverse.arg
    if isinstance(total, t.Prod) and total.args == (exp, ones_row.args[0]):
        return exp.arg
    return None


def named_softmax(term: t.MTerm) -> t.MTerm:
    """``term`` with every row-wise softmax written out replaced by softmax(Z)."""

    def name(node: sp.Basic) -> sp.Basic | None:
        argument = row_softmax_argument(node)
        return None if argument is None else t.NamedFunction("softmax", node, argument)

    return rewritten(term, name)


def ones_matrices(term: t.MTerm) -> t.MTerm:
    """𝟏𝟏ᵀ as read, a product of two vectors of ones, as the one matrix of ones it is (as the
    engine writes it)."""

    def merge(node: sp.Basic) -> sp.Basic | None:
        if isinstance(node, t.Prod) and len(node.args) == 2 and isinstance(node.args[0], t.Ones):
            other = node.args[1]
            if isinstance(other, t.T) and isinstance(other.args[0], t.Ones):
                return t.Ones(node.args[0].shape[0], other.args[0].shape[0])
        return None

    return rewritten(term, merge)


def rewritten(term: t.MTerm, rule: Callable[[sp.Basic], sp.Basic | None]) -> t.MTerm:
    """``term`` with ``rule`` applied wherever it matches, outermost first."""

    def rebuild(node: sp.Basic) -> sp.Basic:
        replaced = rule(node)
        if replaced is not None:
            return replaced
        if isinstance(node, (t.Sym, t.Ones, t.Zero, t.Identity, t.Const)) or not node.args:
            return node
        if isinstance(node, t.Elementwise):
            return t.Elementwise(node.function, rebuild(node.arg))
        if isinstance(node, t.Named):
            return node
        return type(node)(*(rebuild(a) for a in node.args))

    return rebuild(term)  # type: ignore[return-value]
