"""The lecture's symbols for one example and for the sum over the examples.

One example (the per-example graph): x_j, w_j, b, y, z, ŷ, L, and the part of z = x⁽ⁱ⁾w + b that
does not involve w_j, written Σ_{k≠j} x_k w_k: one symbol, so that ∂z/∂w_j = x_j holds for any
number of features m, not for a number chosen to draw. Over the examples: y⁽ⁱ⁾, ŷ⁽ⁱ⁾, x_j⁽ⁱ⁾
as indexed symbols, which a check at n = 1, 2, 3 examples writes out one by one.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

REAL = {"real": True}

x_j = sp.Symbol("x_j", **REAL)
w_j = sp.Symbol("w_j", **REAL)
b = sp.Symbol("b", **REAL)
y = sp.Symbol("y", **REAL)
z = sp.Symbol("z", **REAL)
yhat = sp.Symbol("yhat", **REAL)
L = sp.Symbol("L", **REAL)
lam = sp.Symbol("lambda", positive=True)


class OtherFeatures(sp.Symbol):
    """Σ_{k≠j} x_k w_k: the features other than j, which hold still when w_j moves."""

    def __new__(cls) -> OtherFeatures:
        return super().__new__(cls, "s_j", real=True)  # type: ignore[no-any-return]

    def _latex(self, printer: Any) -> str:
        return r"\sum_{k \ne j} x_k w_k"

    def _sympystr(self, printer: Any) -> str:
        return "Σ_{k≠j} x_k·w_k"


others = OtherFeatures()


class OtherWeights(sp.Symbol):
    """Σ_{k≠j} w_k²: the rest of ‖w‖², which holds still when w_j moves."""

    def __new__(cls) -> OtherWeights:
        return super().__new__(cls, "t_j", nonnegative=True)  # type: ignore[no-any-return]

    def _latex(self, printer: Any) -> str:
        return r"\sum_{k \ne j} w_k^2"

    def _sympystr(self, printer: Any) -> str:
        return "Σ_{k≠j} w_k²"


other_weights = OtherWeights()

# over the examples
i = sp.Symbol("i", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
X_ = sp.IndexedBase("x")
Y_ = sp.IndexedBase("y")
S_ = sp.IndexedBase("s_j")  # Σ_{k≠j} x_k⁽ⁱ⁾ w_k, example by example
j = sp.Symbol("j", integer=True, positive=True)
