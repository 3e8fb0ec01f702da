"""The fit beside scikit-learn's, when scikit-learn is installed (an optional extra, never
required): coefficients, intercept, cost and iterations, side by side."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.display import Displayable

if TYPE_CHECKING:
    from .api import FitResult, Model

MISSING = "scikit-learn is not installed (pip install 'stepsolver[compare]'): no comparison"


@dataclass
class SklearnComparison(Displayable):
    model: str
    rows: list[tuple[str, float, float]] = field(default_factory=list)  # what, ours, scikit-learn's
    iterations: tuple[int, int] = (0, 0)
    seconds: tuple[float, float] = (0.0, 0.0)
    reference: str = ""
    note: str = ""

    @property
    def kind(self) -> str:
        return "comparison"

    @property
    def largest_difference(self) -> float:
        return max((abs(a - b) for _, a, b in self.rows), default=0.0)


def compare_with_sklearn(m: Model, X: Any, y: Any, ours: FitResult, seconds: float) -> SklearnComparison:
    try:
        from sklearn.linear_model import LinearRegression, LogisticRegression
    except ImportError:
        return SklearnComparison(m.name, note=MISSING)
    X, y = m._data(X, y)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # C=np.inf: scikit-learn says it penalises nothing, which is what we ask
        if m.name == "linear":
            reference, what = LinearRegression().fit(X, y), "LinearRegression()"
            iterations = 1
        elif m.name in ("logistic", "logistic_l2", "softmax"):
            lam = m.spec.scalars.get("lambda", 0.0)
            C = np.inf if lam == 0 else 1.0 / (lam * X.shape[0])
            reference = LogisticRegression(C=C, solver="lbfgs", tol=1e-10, max_iter=100_000).fit(X, y)
            what = f"LogisticRegression(C={'np.inf' if np.inf == C else f'{C:.6g}'}, solver='lbfgs')"
            iterations = int(np.max(reference.n_iter_))
        else:
            return SklearnComparison(m.name, note=f"scikit-learn has no model that minimises the {m.name} cost")
    spent = time.perf_counter() - started
    coef = np.asarray(reference.coef_, dtype=float)
    intercept = np.asarray(reference.intercept_, dtype=float)
    if m.name == "softmax":  # scikit-learn's W has a row per class: ours is its transpose
        params = {"W": coef.T, "b": intercept}
    else:
        params = {"w": coef.reshape(-1), "b": float(intercept.reshape(-1)[0])}
    rows: list[tuple[str, float, float]] = []
    for name, value in params.items():
        flat_ref, flat_ours = np.ravel(value), np.ravel(ours.params[name])
        labels = ours.labels(name) or ([name] if len(flat_ref) == 1 else [f"{name}[{i}]" for i in range(len(flat_ref))])
        if m.name == "softmax":  # defined up to a shift per class: compare the centred parameters
            flat_ref = np.ravel(_centred(np.asarray(value)))
            flat_ours = np.ravel(_centred(np.asarray(ours.params[name])))
        rows += [(label, float(a), float(b)) for label, a, b in zip(labels, flat_ours, flat_ref, strict=True)]
    rows.append(("J", ours.cost, m.cost(X, y, **params)))
    note = (
        "softmax parameters are compared centred (each row minus its mean over the classes)"
        if m.name == "softmax"
        else ""
    )
    return SklearnComparison(m.name, rows, (ours.iterations, iterations), (seconds, spent), what, note)


def _centred(value: np.ndarray) -> np.ndarray:
    return value - value.mean(axis=-1, keepdims=True)
