"""Deep-learning functions SymPy lacks: the sigmoid, softplus and ReLU.

Each knows its derivative (``fdiff``), can rewrite itself into elementary SymPy functions
(so that tests can compare against ``sympy.diff`` independently) and evaluates numerically.
"""

from __future__ import annotations

import sympy as sp


def _powered(latex: str, exp: str | None) -> str:
    """SymPy's printer passes the exponent when the function is the base of a power."""
    return latex if exp is None else rf"\left({latex}\right)^{{{exp}}}"


class sigmoid(sp.Function):
    """The logistic sigmoid σ(z) = 1 / (1 + e^{-z})."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z.is_zero:
            return sp.Rational(1, 2)
        return None

    def _eval_rewrite_as_exp(self, z: sp.Expr, **kwargs: object) -> sp.Expr:
        return 1 / (1 + sp.exp(-z))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        return _powered(rf"\sigma\left({printer._print(self.args[0])}\right)", exp)

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"σ({printer._print(self.args[0])})"


class softplus(sp.Function):
    """softplus(z) = ln(1 + e^z), whose derivative is the sigmoid."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, z: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.log(1 + sp.exp(z))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.log(1 + sp.exp(self.args[0]))._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        return _powered(rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)", exp)


class ReLU(sp.Function):
    """ReLU(z) = max(0, z); its derivative is 0 for z < 0, 1 for z > 0, undefined at 0."""

    nargs = 1

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        """A number's ReLU is a number (ReLU(1/100) = 1/100), as SymPy's own functions do."""
        if z.is_Rational:
            return sp.Max(0, z)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z = self.args[0]
        return sp.Piecewise((0, z < 0), (1, z > 0))

    def _eval_rewrite_as_Max(self, z: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.Max(0, z)

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.Max(0, self.args[0])._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        return _powered(rf"\operatorname{{ReLU}}\left({printer._print(self.args[0])}\right)", exp)


def to_elementary(expr: sp.Expr) -> sp.Expr:
    """The same expression with σ, softplus and ReLU written in SymPy's own functions."""
    return expr.replace(
        lambda e: isinstance(e, (sigmoid, softplus, ReLU)),
        lambda e: e.rewrite(sp.Max) if isinstance(e, ReLU) else e.rewrite(sp.exp),
    )
