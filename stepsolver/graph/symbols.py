"""∂p/∂u as a term of its own, so a chain-rule step can be written before its factors are known."""

from __future__ import annotations

import sympy as sp


class Partial(sp.Expr):
    """The partial derivative of node ``numerator`` with respect to node ``denominator``: an
    opaque factor that a later step replaces by its value (and that the step's check does too)."""

    is_commutative = True

    def __new__(cls, numerator: sp.Symbol, denominator: sp.Expr) -> Partial:
        return super().__new__(cls, numerator, denominator)

    @property
    def numerator(self) -> sp.Basic:
        return self.args[0]

    @property
    def denominator(self) -> sp.Basic:
        return self.args[1]

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        body = rf"\frac{{\partial {printer._print(self.numerator)}}}{{\partial {printer._print(self.denominator)}}}"
        return rf"\left({body}\right)^{{{exp}}}" if exp else body

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"∂{printer._print(self.numerator)}/∂{printer._print(self.denominator)}"
