"""Values put into words for a conclusion: the house's text notation, with powers written x^2 (a
conclusion is also LaTeX text, where ² has no letter), and a short decimal beside a long exact form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.symbol import Str

from ..core.notation import Said, decimal, latex, tex_text, text

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


class Formula(sp.Expr):
    """A note in a step's bindings that is maths, written for each format: R₂ ← R₂ − 3R₁ in text,
    R_2 \\leftarrow R_2 - 3R_1 in LaTeX (never words in \\text, nor a hyphen for a minus)."""

    is_commutative = True

    def __new__(cls, shown: str, latex: str | None = None) -> Formula:
        return super().__new__(cls, Str(shown), Str(formula_latex(shown) if latex is None else latex))

    @property
    def shown(self) -> str:
        return str(self.args[0].name)

    def _latex(self, printer: object, exp: str | None = None) -> str:
        return str(self.args[1].name)

    def _sympystr(self, printer: object) -> str:
        return self.shown


class Statement(Formula):
    """A formula that says all there is (a row operation, an identity): shown in a step's
    justification without its binding's name ("Row operation (R₂ ← R₂ − 3R₁)")."""

    statement = True


@dataclass(frozen=True)
class Maths:
    """A formula inside a sentence: the text output's Unicode, and its LaTeX."""

    shown: str
    latex: str


def maths(shown: str) -> Maths:
    """A formula written in the text output's Unicode (A⁻¹A = I, x₃ = 2x₁ + x₂), with its LaTeX."""
    return Maths(shown, formula_latex(shown))


def value(v: sp.Basic) -> Maths:
    """A worked value in a sentence: as ``words`` gives it in text, SymPy's form in LaTeX."""
    if isinstance(v, sp.MatrixBase) and 1 in v.shape:  # a vector in running text: (2, 1)ᵀ, not a column
        return Maths(words(v), "(" + ", ".join(latex(e, typed=False) for e in v) + ")^{T}")
    return Maths(words(v), latex(v, typed=False))


def said(*parts: str | Maths | sp.Basic) -> Said:
    """A sentence of words and maths, for the text output and, with the maths typeset, for LaTeX."""
    shown, tex = [], []
    for part in parts:
        if isinstance(part, str):
            shown.append(part)
            tex.append(_matrices_italic(tex_text(part)))
            continue
        piece = part if isinstance(part, Maths) else value(part)
        shown.append(piece.shown)
        tex.append(f"${piece.latex}$")
    return Said("".join(shown), "".join(tex))


def _matrices_italic(words: str) -> str:
    """A, B, AB, U's in a sentence about matrices are maths: $A$, $B$, $AB$, $U$'s."""
    return re.sub(r"(?<![A-Za-z\\$])([A-Z]{1,2})(?![A-Za-z$])", r"$\1$", words)


_OPERATORS = {"det": r"\det", "rank": r"\operatorname{rank}", "tr": r"\operatorname{tr}",
              "Tr": r"\operatorname{tr}", "span": r"\operatorname{span}", "diag": r"\operatorname{diag}"}  # fmt: skip
_SYMBOLS = {"≠": r" \neq ", "≤": r" \leq ", "≥": r" \geq ", "≈": r" \approx ", "−": "-", "·": r" \cdot ",
            "λ": r"\lambda ", "σ": r"\sigma ", "Σ": r"\Sigma ", "‖": r"\|", "∞": r"\infty ", "×": r" \times ",
            "←": r" \leftarrow ", "↔": r" \leftrightarrow ", "∈": r" \in ", "⇒": r" \Rightarrow ",
            "√": r"\surd "}  # fmt: skip
_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUPERSCRIPT = {"⁻¹": "^{-1}", "ᵀ": "^{T}", "⁻ᵀ": "^{-T}", "²": "^{2}", "³": "^{3}"}


def formula_latex(shown: str) -> str:
    """A formula in the text output's Unicode as LaTeX maths: A⁻¹A = I → A^{-1}A = I,
    R₂ ← R₂ − 3R₁ → R_{2} \\leftarrow R_{2} - 3R_{1}, tr(A + B) → \\operatorname{tr}(A + B)."""
    out = ""
    for found in re.finditer(r"[A-Za-z]+|[₀-₉]+|⁻¹|⁻ᵀ|.", shown):
        piece = found.group()
        if piece in _OPERATORS:
            out += _OPERATORS[piece] + ("" if shown[found.end() :].startswith("(") else " ")
        elif piece[0] in "₀₁₂₃₄₅₆₇₈₉":
            out += "_{" + piece.translate(_SUBSCRIPT) + "}"
        elif piece in _SUPERSCRIPT:
            out += _SUPERSCRIPT[piece]
        else:
            out += _SYMBOLS.get(piece, piece)
    return re.sub(r" {2,}", " ", out).strip()
