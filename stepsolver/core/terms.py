"""Terms with pending operations: rewriting a sub-term in place, substituting, measuring size.

Sums, products and powers are rebuilt with ``evaluate=False`` so that the textbook form
survives each rewrite (SymPy would otherwise turn (1/x)·x² into x at once).
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

_HELD = (sp.Add, sp.Mul, sp.Pow)


def rebuild(expr: sp.Basic, args: list[sp.Basic]) -> sp.Basic:
    if isinstance(expr, _HELD):
        if all(arg.is_Number for arg in args):
            return expr.func(*args)  # −1·0 is just 0 on the board
        return expr.func(*args, evaluate=False)
    if isinstance(expr, sp.Derivative):
        return sp.Derivative(*args, evaluate=False)
    return expr.func(*args)


def is_final(node: sp.Derivative) -> bool:
    """f'(x) of a function f that is not given: nothing more can be done with it."""
    return isinstance(node.expr, AppliedUndef) and all(arg in node.variables for arg in node.expr.args)


def replace_first(term: sp.Basic, old: sp.Basic, new: sp.Basic) -> sp.Basic:
    """``term`` with its first (pre-order) occurrence of ``old`` replaced by ``new``."""
    result, _ = _replace(term, old, new)
    return result


def _replace(term: sp.Basic, old: sp.Basic, new: sp.Basic) -> tuple[sp.Basic, bool]:
    if term == old:
        return new, True
    args = list(term.args)
    for index, arg in enumerate(args):
        replaced, done = _replace(arg, old, new)
        if done:
            args[index] = replaced
            return rebuild(term, args), True
    return term, False


def substitute(term: sp.Basic, mapping: dict[sp.Basic, sp.Basic]) -> sp.Basic:
    """``term`` with sub-terms replaced, keeping held-back forms (1/u at u = 3y stays 1/(3y))."""
    if term in mapping:
        return mapping[term]
    if not term.args:
        return term
    return rebuild(term, [substitute(arg, mapping) for arg in term.args])


def substitute_held(term: sp.Basic, mapping: dict[sp.Basic, sp.Basic]) -> sp.Basic:
    """Like ``substitute``, but the arithmetic stays on the board too: x·w at x = 1 is 1·w, and
    z² at z = 3 is 3², not 9, until a step says so."""
    if term in mapping:
        return mapping[term]
    if not term.args:
        return term
    args = [substitute_held(arg, mapping) for arg in term.args]
    if isinstance(term, sp.Mul) and len(args) == 2 and args[0] == -1 and args[1].is_Number:
        return -args[1]  # −h at h = 1/10 is −1/10 on the board, not −1·1/10
    if isinstance(term, _HELD):
        return term.func(*args, evaluate=False)
    return rebuild(term, args)


def size(term: sp.Basic) -> int:
    """How many sub-terms a term has (itself included): what printing it costs."""
    return sum(1 for _ in sp.preorder_traversal(term))


def pending(expr: sp.Expr, variable: sp.Symbol, order: int = 1) -> sp.Derivative:
    return sp.Derivative(expr, (variable, order), evaluate=False)
