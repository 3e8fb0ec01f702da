"""The closed-form gradient against central differences of the cost, as CS231n checks it:
relative error |a − n| / (|a| + |n|) per parameter, in float64 and — to show why float64 — in
float32, where the same correct gradient looks wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.display import Displayable

if TYPE_CHECKING:
    from .api import Model

TOLERANCE = 1e-7  # CS231n: ≤ 1e-7 is right; 1e-4 … 1e-2 suspicious; > 1e-2 wrong
H64, H32 = 1e-6, 1e-5  # float64: about the cube root of its rounding; float32: CS231n's h, as people use it


@dataclass
class GradientCheck(Displayable):
    model: str
    n: int
    m: int
    seed: int
    float64: dict[str, float]  # parameter → relative error
    float32: dict[str, float]
    h64: float = H64
    h32: float = H32
    tolerance: float = TOLERANCE

    @property
    def kind(self) -> str:
        return "gradient_check"

    @property
    def ok(self) -> bool:
        return all(error <= TOLERANCE for error in self.float64.values())


def relative_error(a: np.ndarray, n: np.ndarray) -> float:
    a, n = np.ravel(a), np.ravel(n)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


def check_gradient(m: Model, n: int = 20, features: int = 3, seed: int = 0) -> GradientCheck:
    """At random data (n examples, ``features`` features) and random parameters."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    if m.spec.labels == "binary":
        y = np.array([i % 2 for i in range(n)], dtype=float)
    elif m.spec.labels == "classes":
        y = np.array([i % 3 for i in range(n)])
    else:
        y = rng.normal(size=n)
    params = {k: (v + rng.normal(scale=0.5, size=np.shape(v))) for k, v in m.init(X, y, seed=seed).items()}
    params = {k: float(v) if np.ndim(v) == 0 else v for k, v in params.items()}
    analytic = m.gradient(X, y, **params)
    out64, out32 = {}, {}
    for name in params:
        out64[name] = relative_error(analytic[name], _differences(m, X, y, params, name, np.float64, H64))
        out32[name] = relative_error(analytic[name], _differences(m, X, y, params, name, np.float32, H32))
    return GradientCheck(m.name, n, features, seed, out64, out32)


def _differences(
    m: Model, X: np.ndarray, y: np.ndarray, params: dict[str, Any], name: str, dtype: Any, h: float
) -> Any:
    point = np.asarray(params[name], dtype=float)
    out = np.zeros(point.shape)
    for index in np.ndindex(*point.shape):
        slopes = []
        for sign in (1, -1):
            moved = point.copy()
            moved[index] += sign * h
            shifted = dict(params)
            shifted[name] = float(moved) if moved.ndim == 0 else moved
            slopes.append(m.cost_in(dtype, X, y, **shifted))
        out[index] = (slopes[0] - slopes[1]) / (2 * h)
    return out
