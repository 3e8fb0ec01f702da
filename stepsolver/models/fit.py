"""The lecture's algorithm: batch gradient descent with the derived gradient, until J does not
change any more and the gradient is (near) zero."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.display import Displayable
from ..errors import ParseError

if TYPE_CHECKING:
    from .api import Model


@dataclass
class FitResult(Displayable):
    """A gradient-descent fit: the parameters (in the data's own units), the cost history."""

    model: str
    params: dict[str, Any]
    cost: float
    history: list[float]
    iterations: int
    converged: bool
    gradient_norm: float
    lr: float
    tol: float
    max_iter: int
    standardized: bool = False
    features: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # softmax: the label of class 0, 1, …
    stopped: str = ""  # why the descent stopped, in words
    note: str = ""  # what the reported J is, where that needs saying

    @property
    def kind(self) -> str:
        return "fit"

    def __repr__(self) -> str:
        state = "converged" if self.converged else "not converged"
        return f"<fit of the {self.model} model: J = {self.cost:.6g} after {self.iterations} iterations, {state}>"

    def entry_labels(self, name: str) -> list[str]:
        """A name for every entry of a parameter, in NumPy's order: w[age], W[age, class 1], b[class 0], b."""
        value = np.asarray(self.params[name])
        rows = list(self.features) if self.features and value.ndim >= 1 and value.shape[0] == len(self.features) else []
        classes = list(self.classes) if value.ndim and value.shape[-1] == len(self.classes) else []
        if value.ndim == 0:
            return [name]
        if value.ndim == 1:
            by_class = [f"class {c}" for c in classes] if classes and name.startswith("b") else []
            names = rows if name.startswith("w") and rows else by_class
            names = names or [str(i) for i in range(value.shape[0])]
            return [f"{name}[{n}]" for n in names]
        row_names = rows or [str(i) for i in range(value.shape[0])]
        column_names = [f"class {c}" for c in classes] if classes else [str(j) for j in range(value.shape[1])]
        return [f"{name}[{r}, {c}]" for r in row_names for c in column_names]

    def labels(self, name: str) -> list[str]:
        """The feature names of a weight vector's entries (w: one per column of X), else none."""
        value: Any = self.params.get(name)
        if (
            name == "w"
            and self.features
            and value is not None
            and np.ndim(value) == 1
            and len(value) == len(self.features)
        ):
            return list(self.features)
        return []


def _check_settings(lr: float, tol: float, max_iter: int) -> None:
    if not isinstance(lr, (int, float)) or not 0 < lr < 1e6 or lr != lr:
        raise ParseError(f"the learning rate must be a number with 0 < α < 10⁶, not {lr!r}")
    if not isinstance(tol, (int, float)) or not 0 <= tol < 1e3 or tol != tol:
        raise ParseError(f"tol must be a number ≥ 0, not {tol!r}")
    if not isinstance(max_iter, int) or isinstance(max_iter, bool) or not 0 <= max_iter <= 10_000_000:
        raise ParseError(f"max_iter must be a whole number from 0 to 10⁷, not {max_iter!r}")


def _require_classes(m: Model, y: np.ndarray) -> None:
    """A classifier fitted to one class only has no optimum: its weights run off to infinity."""
    present = np.unique(y)
    if m.spec.labels != "regression" and present.size < 2:
        raise ParseError(f"only class {present[0]:g} occurs in y: a classifier needs at least two classes to fit")


def _not_descending(history: list[float], lr: float, standardized: bool) -> str:
    """Why a descent that ran out of steps is not worth reading, if it is not: J rose, or ended
    above where it started (a learning rate too large for these features makes J oscillate)."""
    recent = history[-101:]
    rises = sum(b > a + 1e-12 * max(1.0, abs(a)) for a, b in pairwise(recent))
    if history[-1] <= history[0] and rises <= len(recent) // 10:
        return ""
    hint = "a smaller --lr" + ("" if standardized else " or --standardize")
    return (f"; J is not descending (it rose in {rises} of the last {len(recent) - 1} steps, ends at {history[-1]:.4g},"
            f" lowest {min(history):.4g}): α = {lr:g} is too large for these features, try {hint}")  # fmt: skip


def _norm(grads: Mapping[str, Any]) -> float:
    with np.errstate(all="ignore"):  # an overflowing gradient has norm ∞: the descent reports it
        return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def gradient_descent(
    m: Model,
    X: Any,
    y: Any,
    lr: float,
    tol: float,
    max_iter: int,
    standardize: bool,
    init: Mapping[str, Any] | None,
    seed: int,
    progress: Any,
) -> FitResult:
    """θ := θ − α ∇J(θ), from ``init`` (or m.init), until ‖∇J‖ ≤ tol and |ΔJ| ≤ tol·max(1, |J|),
    or ``max_iter`` steps; with ``standardize`` the descent runs on standardised features and
    the parameters are given back in the data's own units."""
    from .data import standardize as standardise

    _check_settings(lr, tol, max_iter)
    X, y = m._data(X, y)
    _require_classes(m, y)
    scaling = standardise(X) if standardize else None
    Xs = scaling.apply(X) if scaling is not None else X
    params = dict(init) if init is not None else m.init(Xs, y, seed=seed)
    params = {k: (np.array(v, dtype=float) if np.ndim(v) else float(v)) for k, v in params.items()}
    cost = m.cost(Xs, y, **params)  # checks X once; the descent then runs on checked data
    history = [cost]
    grads = m.gradient(Xs, y, **params)
    norm = _norm(grads)
    converged, stopped, iterations = False, f"stopped after max_iter = {max_iter} iterations", 0
    if norm <= tol:  # started at the optimum: no step to take
        converged, stopped = True, f"‖∇J‖ = {norm:.1e} ≤ tol at the start"
    with np.errstate(all="ignore"):  # a diverging descent overflows: it is reported, not warned about
        for iterations in range(1, 0 if converged else max_iter + 1):
            params = {k: v - lr * grads[k] for k, v in params.items()}
            new, grads = m.raw_cost_and_gradient(Xs, y, params)
            change = abs(new - cost)
            cost = new
            history.append(cost)
            if not np.isfinite(cost) or cost > 1e6 * (1 + abs(history[0])):
                stopped = f"diverged at iteration {iterations} (J = {cost:.3g}): the learning rate {lr:g} is too large"
                stopped += "" if standardize else " for these features (try --standardize)"
                break
            norm = _norm(grads)
            if progress is not None:
                progress(iterations, max_iter, cost)
            if norm <= tol and change <= tol * max(1.0, abs(cost)):
                converged = True
                stopped = f"‖∇J‖ = {norm:.1e} ≤ tol and |ΔJ| = {change:.1e} after {iterations} iterations"
                break
        else:
            stopped += "" if converged else _not_descending(history, lr, standardize)
    note = ""
    if scaling is not None and "lambda" in m.spec.scalars:
        note = ("λ penalises the standardised weights (as a scaler-then-model pipeline does): J is that problem's"
                " cost, and its minimum is not the minimum of the penalty on the weights below")  # fmt: skip
    if scaling is not None:  # the first layer back in the data's units; what follows it is unchanged
        weights, bias = m.parameters[0], m.parameters[1]
        params[weights], params[bias] = scaling.original(params[weights], params[bias])
    return FitResult(
        m.name, params, float(cost), history, iterations, converged, norm, float(lr), float(tol), max_iter,
        standardized=standardize, stopped=stopped, note=note,
    )  # fmt: skip
