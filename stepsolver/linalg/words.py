"""Values put into words for a conclusion: the house's text notation, with powers written x^2 (a
conclusion is also LaTeX text, where ² has no letter), and a short decimal beside a long exact form."""

from __future__ import annotations

import re

import sympy as sp

from ..core.notation import decimal, text

LONG = 20  # characters: an exact form longer than this gets its decimal beside it
DIGITS = 4
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def words(value: sp.Basic) -> str:
    """5/2 + √17/2, λ^2 - 1, [2, 1] for a vector."""
    if isinstance(value, sp.MatrixBase) and 1 in value.shape:
        return "[" + ", ".join(words(v) for v in value) + "]"
    shown = text(value, typed=False)
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", lambda m: "^" + m.group().translate(_SUPERSCRIPTS), shown)


def decimals(value: sp.Basic) -> str:
    """0.3162, or [[0.3162, -0.9487], [0.9487, 0.3162]] for a matrix."""
    if isinstance(value, sp.MatrixBase):
        rows = [", ".join(decimals(v) for v in value.row(i)) for i in range(value.rows)]
        return "[" + ", ".join(f"[{row}]" for row in rows) + "]"
    return decimal(value, DIGITS)


def nested(value: sp.Basic) -> bool:
    """A root with a root inside it, √(5/2 + √5/2): hard to read, and rationalising or denesting it
    would be a step the verifier cannot follow (it proves such equalities only as decimals)."""

    def roots(expr: sp.Basic) -> list[sp.Pow]:
        return [p for p in sp.preorder_traversal(expr) if isinstance(p, sp.Pow) and not p.exp.is_Integer]

    return any(roots(root.base) for root in roots(value))


def with_decimal(value: sp.Basic) -> str:
    """The exact value, and ≈ its decimal when the exact form is long (or a nested root) and not
    all whole numbers."""
    shown = words(value)
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    if value.free_symbols or all(e.is_Integer for e in entries) or (len(shown) <= LONG and not nested(value)):
        return shown
    return f"{shown} ≈ {decimals(value)}"
