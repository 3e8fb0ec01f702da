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


def compare_with_sklearn(m: Model, X: Any, y: Any, ours: FitResult, seconds: float) -> SklearnComparison:
    try:
        from sklearn.linear_model import LinearRegression, LogisticRegression
    except ImportError:
        return SklearnComparison(m.name, note=MISSING)
    if m.name == "mlp":
        return SklearnComparison(m.name, note="scikit-learn has no model that minimises the mlp cost exactly")
    if not np.isfinite(ours.cost) or "diverged" in ours.stopped:
        return SklearnComparison(m.name, note="the descent diverged: no comparison with scikit-learn")
    from .data import standardize

    X, y = m._data(X, y)
    lam = m.spec.scalars.get("lambda", 0.0)
    # a penalty on standardised weights is another problem than on raw ones: fit the same one
    scaling = standardize(X) if ours.standardized and lam > 0 else None
    Xf = scaling.apply(X) if scaling is not None else X
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # C=np.inf: scikit-learn says it penalises nothing, which is what we ask
        if m.name == "linear":
            reference, what, iterations = LinearRegression().fit(Xf, y), "LinearRegression()", 1
        else:
            C = np.inf if lam == 0 else 1.0 / (lam * X.shape[0])
            reference = LogisticRegression(C=C, solver="lbfgs", tol=1e-10, max_iter=100_000).fit(Xf, y)
            what = f"LogisticRegression(C={'np.inf' if np.inf == C else f'{C:.6g}'}, solver='lbfgs')"
            iterations = int(np.max(reference.n_iter_))
    spent = time.perf_counter() - started
    coef = np.asarray(reference.coef_, dtype=float)
    intercept = np.asarray(reference.intercept_, dtype=float).reshape(-1)
    if m.name == "softmax" and coef.shape[0] == 1:  # two classes: scikit-learn keeps one, σ(xc + b)
        params: dict[str, Any] = {
            "W": np.stack([-coef[0] / 2, coef[0] / 2], axis=1),
            "b": np.array([-1, 1]) * intercept[0] / 2,
        }
    elif m.name == "softmax":  # a row per class: ours is its transpose
        params = {"W": coef.T, "b": intercept}
    else:
        params = {"w": coef.reshape(-1), "b": float(intercept[0])}
    cost = m.cost(Xf, y, **params)
    if scaling is not None:
        weights, bias = m.parameters[0], m.parameters[1]
        params[weights], params[bias] = scaling.original(params[weights], params[bias])
    rows: list[tuple[str, float, float]] = []
    for name, value in params.items():
        reference_values, our_values = np.asarray(value, dtype=float), np.asarray(ours.params[name], dtype=float)
        if m.name == "softmax":  # defined up to a shift per class: compare the centred parameters
            reference_values, our_values = _centred(reference_values), _centred(our_values)
        labels = ours.entry_labels(name)
        pairs = zip(labels, np.ravel(our_values), np.ravel(reference_values), strict=True)
        rows += [(label, float(a), float(b)) for label, a, b in pairs]
    rows.append(("J", ours.cost, cost))
    notes = []
    if m.name == "softmax":
        notes.append("softmax parameters are compared centred (each row minus its mean over the classes)")
    if scaling is not None:
        notes.append("λ penalises the standardised weights: scikit-learn was fitted to the standardised features too,"
                     " its coefficients given back in the data's units; J is that problem's cost")  # fmt: skip
    return SklearnComparison(m.name, rows, (ours.iterations, iterations), (seconds, spent), what, "; ".join(notes))


def _centred(value: np.ndarray) -> np.ndarray:
    return value - value.mean(axis=-1, keepdims=True)
