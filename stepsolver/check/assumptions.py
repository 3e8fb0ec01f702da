"""What a problem states about its variables ("positive", "(0, 1)", "> 10"), read once: as the
domains the points are drawn from, and as SymPy assumptions on the symbols a proof works with.

Kept apart from the equivalence checker, which uses both readings, and from the answer checker and
its objects, which only pass the stated text on.
"""

from __future__ import annotations

import sympy as sp

from .domains import Domain, read_assumption

Assumption = str  # "positive", "integer", "(0, 1)", "(10, inf)", "> 10", … (see domains.read_assumption)


def domains_of(assume: dict[str, Assumption] | None) -> dict[str, Domain]:
    """Each stated assumption read once; a ValueError names the one that cannot be read."""
    return {name: read_assumption(text) for name, text in (assume or {}).items()}


def assumed_symbols(expr: sp.Expr, assume: dict[str, Assumption]) -> dict[sp.Symbol, sp.Symbol]:
    """Symbols carrying what the problem states about them, for the symbolic test."""
    stated = domains_of(assume)
    out = {}
    for symbol in expr.free_symbols:
        if isinstance(symbol, sp.Symbol) and symbol.name in stated:
            out[symbol] = sp.Symbol(symbol.name, real=True, **stated[symbol.name].flags())
    return out
