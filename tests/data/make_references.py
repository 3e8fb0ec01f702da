"""Writes the real data sets of tests/data/ and their reference optima, once; the tests only read them.

    python tests/data/make_references.py        # needs scikit-learn and SciPy (not the tests)

Each optimum is computed three ways that must agree: Newton's method in NumPy (float64, to a
gradient norm near rounding), scikit-learn (the independent implementation), and a check of the
gradient at the stored numbers. Before any fit, a linear program checks that the classes are not
separable (complete or quasi-complete), so that the unpenalised optimum exists: its value is 0
exactly when no direction puts every example on its own class's side. Plain batch gradient
descent is then counted from zero on the standardised features (and the raw ones), so a test can
choose lr and max_iter. See README.md beside this file for the data sets and their licences.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn
from scipy.optimize import linprog
from scipy.special import expit, log_softmax, softmax
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.linear_model import LinearRegression, LogisticRegression

HERE = Path(__file__).resolve().parent
LAM = 0.1  # the logistic_l2 reference
TOLERANCE = 1e-5  # |θ − θ*| (Euclidean, original units) that the gradient-descent counts reach
CAP = 200_000  # gradient-descent iterations tried before giving up
GRADIENT_LIMIT = 1e-8  # every stored optimum has a gradient norm below this

Vector = np.ndarray
Gradient = Callable[[np.ndarray, np.ndarray, Vector], Vector]  # (X, y, θ) -> ∇J(θ), θ = (w…, b)


def augmented(X: np.ndarray) -> np.ndarray:
    return np.c_[X, np.ones(len(X))]


def standardised(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = X.mean(axis=0), X.std(axis=0)  # population std (ddof=0), as stepsolver's standardize
    return (X - mean) / scale, mean, scale


def to_original(theta: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(w, b) fitted on standardised features, in the original units; θ is (m+1,) or (m+1, k)."""
    w, b = theta[:-1], theta[-1]
    if w.ndim == 1:
        return np.r_[w / scale, b - (mean / scale) @ w]
    return np.vstack([w / scale[:, None], b - (mean / scale) @ w])


# -- the costs and gradients of the contract, in float64 ---------------------------------------


def logistic_cost(X: np.ndarray, y: np.ndarray, theta: Vector, lam: float = 0.0) -> float:
    """Mean cross-entropy, stably: −[y ln σ(z) + (1−y) ln(1−σ(z))] = ln(1 + eᶻ) − y z."""
    z = augmented(X) @ theta
    w = theta[:-1]
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + lam / 2 * (w @ w))


def logistic_gradient(X: np.ndarray, y: np.ndarray, theta: Vector, lam: float = 0.0) -> Vector:
    A = augmented(X)
    penalty = lam * np.r_[theta[:-1], 0.0]  # b is not penalised
    return A.T @ (expit(A @ theta) - y) / len(y) + penalty


def logistic_newton(X: np.ndarray, y: np.ndarray, lam: float = 0.0, start: Vector | None = None) -> Vector:
    A = augmented(X)
    n, p = A.shape
    P = lam * np.eye(p)
    P[-1, -1] = 0.0
    theta = np.zeros(p) if start is None else start.copy()
    for _ in range(100):
        q = expit(A @ theta)
        H = (A * (q * (1 - q))[:, None]).T @ A / n + P
        step = np.linalg.solve(H, logistic_gradient(X, y, theta, lam))
        theta = theta - step
        if np.max(np.abs(step)) <= 1e-15 * max(1.0, float(np.max(np.abs(theta)))):
            break
    return theta


def mse_cost(X: np.ndarray, y: np.ndarray, theta: Vector) -> float:
    return float(np.mean((augmented(X) @ theta - y) ** 2))


def mse_gradient(X: np.ndarray, y: np.ndarray, theta: Vector) -> Vector:
    A = augmented(X)
    return 2.0 * A.T @ (A @ theta - y) / len(y)  # of J = (1/n) Σ (ŷ − y)²: the 2 stays


def softmax_cost(X: np.ndarray, labels: np.ndarray, theta: np.ndarray) -> float:
    """θ is (m+1, k): W above b. J = −(1/n) Σ ln softmax(xW + b)_y, by log_softmax (stable)."""
    logp = log_softmax(augmented(X) @ theta, axis=1)
    return float(-np.mean(logp[np.arange(len(labels)), labels]))


def softmax_gradient(X: np.ndarray, labels: np.ndarray, theta: np.ndarray) -> np.ndarray:
    A = augmented(X)
    R = softmax(A @ theta, axis=1)
    R[np.arange(len(labels)), labels] -= 1.0
    return A.T @ R / len(labels)


def softmax_newton(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Newton with the last class's column fixed at 0 (the over-parameterisation removed, so the
    Hessian is invertible), then centred: each row of W, and b, summing to 0 over the classes."""
    A = augmented(X)
    n, p = A.shape
    theta = np.zeros((p, k))
    for _ in range(100):
        P = softmax(A @ theta, axis=1)
        G = softmax_gradient(X, labels, theta)[:, : k - 1]
        H = np.zeros((p * (k - 1), p * (k - 1)))
        for a in range(k - 1):
            for c in range(k - 1):
                weight = P[:, a] * (float(a == c) - P[:, c])
                H[a * p : (a + 1) * p, c * p : (c + 1) * p] = (A * weight[:, None]).T @ A / n
        step = np.linalg.solve(H, G.T.ravel()).reshape(k - 1, p).T
        theta[:, : k - 1] -= step
        if np.max(np.abs(step)) <= 1e-15 * max(1.0, float(np.max(np.abs(theta)))):
            break
    return theta - theta.mean(axis=1, keepdims=True)


# -- separability: the unpenalised optimum exists ----------------------------------------------


def binary_separation(X: np.ndarray, y: np.ndarray) -> float:
    """max Σᵢ sᵢ(x̃ᵢ·d) over |d|∞ ≤ 1 with every sᵢ(x̃ᵢ·d) ≥ 0 (sᵢ = ±1 by class): 0 iff no
    hyperplane has every example on its side or on the plane (no complete or quasi-complete
    separation), which is when the unpenalised logistic optimum exists (Albert & Anderson 1984)."""
    Z = augmented(standardised(X)[0]) * np.where(y == 1, 1.0, -1.0)[:, None]
    found = linprog(-Z.sum(axis=0), A_ub=-Z, b_ub=np.zeros(len(Z)), bounds=[(-1, 1)] * Z.shape[1], method="highs")
    return float(-found.fun)


def multinomial_separation(X: np.ndarray, labels: np.ndarray, k: int) -> float:
    """The same for k classes: directions D (last class's column 0) with (x̃ᵢD)_yᵢ ≥ (x̃ᵢD)_j for
    all i and j; the largest total of those margins is 0 iff the multinomial optimum exists."""
    A = augmented(standardised(X)[0])
    p = A.shape[1]
    rows = []
    for i, label in enumerate(labels):
        for j in range(k):
            if j != label:
                row = np.zeros((p, k))
                row[:, label] += A[i]
                row[:, j] -= A[i]
                rows.append(row[:, : k - 1].T.ravel())
    M = np.array(rows)
    found = linprog(-M.sum(axis=0), A_ub=-M, b_ub=np.zeros(len(M)), bounds=[(-1, 1)] * M.shape[1], method="highs")
    return float(-found.fun)


# -- gradient descent, counted -----------------------------------------------------------------

Step = Callable[[np.ndarray], np.ndarray]
Measure = Callable[[np.ndarray], float]


def descend(gradient: Step, cost: Measure, lr: float, distance: Measure, best: float, start: np.ndarray) -> dict:
    """θ ← θ − lr ∇J(θ) from ``start``: the first iteration with distance(θ) < TOLERANCE (the
    parameters) and with J − J* < 1e-10 (the cost; reached much sooner, since the cost's error
    is quadratic in the parameters'), None if not within CAP iterations (or diverged)."""
    theta = start.copy()
    found: dict[str, int | None] = {"iterations": None, "iterations_cost_within_1e-10": None}
    iteration = 0
    for iteration in range(1, CAP + 1):
        theta = theta - lr * gradient(theta)
        if not np.all(np.isfinite(theta)):
            break
        if found["iterations_cost_within_1e-10"] is None and cost(theta) - best < 1e-10:
            found["iterations_cost_within_1e-10"] = iteration
        if distance(theta) < TOLERANCE:
            found["iterations"] = iteration
            break
    run: dict[str, Any] = {"lr": float(f"{lr:.4g}"), **found}
    if found["iterations"] is None:
        run |= {"after": iteration, "distance": distance(theta), "cost_gap": cost(theta) - best}
    return run  # no timings: the files are the same each time they are made (same versions)


def counts(
    X: np.ndarray,
    target: np.ndarray,
    gradient: Gradient,
    cost: Callable[[np.ndarray, np.ndarray, np.ndarray], float],
    optimum: np.ndarray,
    smoothness: float,
    lrs: list[float],
    centred: bool = False,
) -> dict[str, Any]:
    """Gradient descent from θ = 0 on the standardised features (the distance measured after
    mapping back to original units) at each lr, and on the raw features at lr = 1/L, where L =
    smoothness · λmax(ÃᵀÃ/n) bounds the curvature (so lr < 2/L is stable)."""
    Z, mean, scale = standardised(X)
    best = cost(X, target, optimum)
    start = np.zeros_like(optimum)

    def centre(theta: np.ndarray) -> np.ndarray:
        return theta - theta.mean(axis=1, keepdims=True) if centred else theta

    def from_standardised(theta: np.ndarray) -> float:
        return float(np.linalg.norm(centre(to_original(theta, mean, scale)) - optimum))

    runs = [
        {"features": "standardized"}
        | descend(lambda t: gradient(Z, target, t), lambda t: cost(Z, target, t), lr, from_standardised, best, start)
        for lr in lrs
    ]
    runs.append(
        {"features": "raw"}
        | descend(
            lambda t: gradient(X, target, t),
            lambda t: cost(X, target, t),
            1.0 / (smoothness * largest(augmented(X))),
            lambda t: float(np.linalg.norm(centre(t) - optimum)),
            best,
            start,
        )
    )
    return {
        "from": "θ = 0 (all of w and b)",
        "until": f"‖θ − θ*‖₂ < {TOLERANCE:g} over all of w and b, in original units"
        + (" (W, b centred over the classes first)" if centred else ""),
        "cap": CAP,
        "null_means": f"not within {CAP:,} iterations: 'distance' and 'cost_gap' are where it stopped",
        "stable_lr_below_standardized": float(f"{2.0 / (smoothness * largest(augmented(Z))):.4g}"),
        "runs": runs,
    }


def largest(A: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(A.T @ A / len(A))[-1])


def condition(hessian: np.ndarray) -> float:
    values = np.linalg.eigvalsh(hessian)
    return float(values[-1] / values[0])


# -- the data sets -----------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], X: np.ndarray, target: np.ndarray) -> None:
    """repr of each float64: the shortest text that reads back as the same number."""
    lines = [",".join(header)]
    for row, label in zip(X, target, strict=True):
        cells = [repr(float(v)) for v in row]
        lines.append(
            ",".join([*cells, str(int(label)) if np.issubdtype(target.dtype, np.integer) else repr(float(label))])
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def check_read_back(path: Path, X: np.ndarray) -> None:
    text = path.read_text(encoding="utf-8").splitlines()[1:]  # our own file: no U+2028 in it
    back = np.array([[float(cell) for cell in line.split(",")[:-1]] for line in text])
    assert np.array_equal(back, X), f"{path.name} does not read back exactly"


def breast_cancer() -> tuple[np.ndarray, np.ndarray, list[str]]:
    data = load_breast_cancer()
    chosen = ["mean radius", "mean texture", "mean smoothness"]
    columns = [list(data.feature_names).index(name) for name in chosen]
    malignant = (data.target == 0).astype(np.int64)  # sklearn codes malignant as 0, benign as 1
    return data.data[:, columns], malignant, [name.replace(" ", "_") for name in chosen]


def diabetes() -> tuple[np.ndarray, np.ndarray, list[str]]:
    data = load_diabetes(scaled=False)  # the original units (age in years, bmi, bp in mm Hg…), not sklearn's scaling
    return data.data, data.target, list(data.feature_names)


def wine() -> tuple[np.ndarray, np.ndarray, list[str]]:
    data = load_wine()
    chosen = ["alcohol", "malic_acid", "hue"]
    columns = [list(data.feature_names).index(name) for name in chosen]
    return data.data[:, columns], data.target.astype(np.int64), chosen


def base(model: str, csv: str, target: str, features: list[str], X: np.ndarray) -> dict[str, Any]:
    return {
        "model": model,
        "csv": csv,
        "target": target,
        "features": features,
        "n": len(X),
        "m": X.shape[1],
        "standardized": False,
    }


def versions() -> dict[str, str]:
    return {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "python_version": sys.version.split()[0],
    }


def logistic_reference(X: np.ndarray, y01: np.ndarray, features: list[str], lam: float) -> dict[str, Any]:
    y = y01.astype(np.float64)
    n = len(y)
    separation = binary_separation(X, y)
    assert lam > 0 or separation < 1e-9, f"the classes are separable ({separation}): no finite optimum"
    # Newton on the standardised features (well conditioned), mapped back, then Newton on the raw
    # ones from there. Unpenalised, that start is already the optimum up to rounding; with λ it is
    # only a start, since the penalty is on w in the units fitted.
    Z, mean, scale = standardised(X)
    start = to_original(logistic_newton(Z, y, 0.0), mean, scale)
    theta = logistic_newton(X, y, lam, start=start)
    gradient = logistic_gradient(X, y, theta, lam)
    norm = float(np.linalg.norm(gradient))
    assert norm < GRADIENT_LIMIT, norm

    C = np.inf if lam == 0 else 1.0 / (lam * n)
    sk: dict[str, Any] = {}
    for solver in ("lbfgs", "newton-cholesky"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a ConvergenceWarning or deprecation is a failure here
            fitted = LogisticRegression(C=C, solver=solver, tol=1e-12, max_iter=100_000).fit(X, y01)
        other = np.r_[fitted.coef_.ravel(), fitted.intercept_]
        sk[solver] = {
            "w": dict(zip(features, map(float, other[:-1]), strict=True)),
            "b": float(other[-1]),
            "n_iter": int(fitted.n_iter_[0]),
            "max_relative_difference": float(np.max(np.abs(other - theta) / np.abs(theta))),
            "cost_difference": logistic_cost(X, y, other, lam) - logistic_cost(X, y, theta, lam),
        }
    assert sk["newton-cholesky"]["max_relative_difference"] < 1e-8, sk
    assert sk["lbfgs"]["max_relative_difference"] < 1e-4, sk

    A = augmented(X)
    q = expit(A @ theta)
    P = lam * np.eye(A.shape[1])
    P[-1, -1] = 0.0
    hessian = (A * (q * (1 - q))[:, None]).T @ A / n + P
    A_std = augmented(Z)  # unpenalised, the same predictions q: the Hessian in standardised units
    hessian_std = (A_std * (q * (1 - q))[:, None]).T @ A_std / n

    model = "logistic" if lam == 0 else "logistic_l2"
    reference = base(model, "breast_cancer.csv", "malignant", features, X)
    if lam:
        reference["lam"] = lam
    reference |= {
        "w": dict(zip(features, map(float, theta[:-1]), strict=True)),
        "b": float(theta[-1]),
        "cost": logistic_cost(X, y, theta, lam),
        "cost_formula": "mean(logaddexp(0, z) − y z)" + (" + (lam/2)‖w‖²" if lam else "") + ", z = Xw + b",
        "gradient_norm": norm,
        "gradient": dict(zip([*features, "b"], map(float, gradient), strict=True)),
        "accuracy": float(np.mean((A @ theta > 0) == (y == 1))),
        "separation_lp": separation,
        "hessian_condition_raw": condition(hessian),
        "sklearn": {"C": "inf" if lam == 0 else C, "tol": 1e-12, "max_iter": 100_000} | sk,
        **versions(),
        "how": (
            "Newton's method in NumPy float64 on the raw features (started from the standardised Newton "
            "optimum mapped back), stopped when a step is below 1e-15 relative; checked against sklearn "
            f"LogisticRegression(C={'np.inf' if lam == 0 else '1/(lam n)'}, tol=1e-12, max_iter=100000) with "
            "solvers lbfgs and newton-cholesky (differences above); the gradient is evaluated at the stored numbers."
        ),
    }
    if lam == 0:
        reference["hessian_condition_standardized"] = condition(hessian_std)
        # σ' ≤ 1/4, so L = λmax(ÃᵀÃ/n)/4
        reference["gradient_descent"] = counts(
            X, y, logistic_gradient, logistic_cost, theta, 0.25, [0.5, 1.0, 2.0, 4.0, 5.0]
        )
    else:
        reference["gradient_descent"] = counts_raw_only(X, y, theta, lam)
    return reference


def counts_raw_only(X: np.ndarray, y: np.ndarray, optimum: np.ndarray, lam: float) -> dict[str, Any]:
    """The raw-penalty optimum is reached only on the raw features: standardising first would
    minimise another cost, (λ/2)‖w‖² of the standardised w."""
    lipschitz = 0.25 * largest(augmented(X)) + lam
    best = logistic_cost(X, y, optimum, lam)
    runs = [
        {"features": "raw"}
        | descend(
            lambda t: logistic_gradient(X, y, t, lam),
            lambda t: logistic_cost(X, y, t, lam),
            factor / lipschitz,
            lambda t: float(np.linalg.norm(t - optimum)),
            best,
            np.zeros_like(optimum),
        )
        for factor in (1.0, 1.9)
    ]
    return {
        "from": "θ = 0 (all of w and b)",
        "until": f"‖θ − θ*‖₂ < {TOLERANCE:g} over all of w and b",
        "cap": CAP,
        "null_means": f"not within {CAP:,} iterations: 'distance' and 'cost_gap' are where it stopped",
        "stable_lr_below_raw": float(f"{2 / lipschitz:.4g}"),
        "runs": runs,
        "note": "standardising first would minimise a different cost: (lam/2)‖w‖² of the standardised w",
    }


def logistic_l2_standardised_reference(
    X: np.ndarray, y01: np.ndarray, features: list[str], lam: float
) -> dict[str, Any]:
    """The same λ with the penalty on the standardised w: what fit(standardize=True) minimises if it
    penalises the coefficients it fits. A different optimum from the raw one (the penalty is not
    invariant under rescaling); stored in both units."""
    y = y01.astype(np.float64)
    n = len(y)
    Z, mean, scale = standardised(X)
    theta = logistic_newton(Z, y, lam)
    gradient = logistic_gradient(Z, y, theta, lam)
    norm = float(np.linalg.norm(gradient))
    assert norm < GRADIENT_LIMIT, norm
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted = LogisticRegression(C=1.0 / (lam * n), solver="newton-cholesky", tol=1e-12, max_iter=100_000).fit(
            Z, y01
        )
    other = np.r_[fitted.coef_.ravel(), fitted.intercept_]
    difference = float(np.max(np.abs(other - theta) / np.abs(theta)))
    assert difference < 1e-8, difference
    original = to_original(theta, mean, scale)
    reference = base("logistic_l2", "breast_cancer.csv", "malignant", features, X)
    reference |= {
        "lam": lam,
        "standardized": True,
        "standardization": {
            "mean": dict(zip(features, map(float, mean), strict=True)),
            "scale": dict(zip(features, map(float, scale), strict=True)),
            "ddof": 0,
        },
        "w": dict(zip(features, map(float, theta[:-1]), strict=True)),
        "b": float(theta[-1]),
        "w_original": dict(zip(features, map(float, original[:-1]), strict=True)),
        "b_original": float(original[-1]),
        "cost": logistic_cost(Z, y, theta, lam),
        "cost_formula": "on the standardised features Z: mean(logaddexp(0, z) − y z) + (lam/2)‖w‖², z = Zw + b",
        "gradient_norm": norm,
        "sklearn": {"solver": "newton-cholesky", "C": 1.0 / (lam * n), "max_relative_difference": difference},
        **versions(),
        "how": "Newton in NumPy on the standardised features (population std); sklearn newton-cholesky on the same",
    }
    best = reference["cost"]
    reference["gradient_descent"] = {
        "from": "θ = 0 (all of w and b)",
        "until": f"‖θ − θ*‖₂ < {TOLERANCE:g} in standardised units",
        "runs": [
            {"features": "standardized"}
            | descend(
                lambda t: logistic_gradient(Z, y, t, lam),
                lambda t: logistic_cost(Z, y, t, lam),
                lr,
                lambda t: float(np.linalg.norm(t - theta)),
                best,
                np.zeros_like(theta),
            )
            for lr in (1.0, 2.0, 4.0)
        ],
    }
    return reference


def linear_reference(X: np.ndarray, y: np.ndarray, features: list[str]) -> dict[str, Any]:
    A = augmented(X)
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    # one step of iterative refinement: the residual's normal equations solved again
    correction, *_ = np.linalg.lstsq(A, y - A @ theta, rcond=None)
    theta = theta + correction
    gradient = mse_gradient(X, y, theta)
    norm = float(np.linalg.norm(gradient))
    assert norm < GRADIENT_LIMIT, norm
    fitted = LinearRegression().fit(X, y)
    other = np.r_[fitted.coef_, fitted.intercept_]
    difference = float(np.max(np.abs(other - theta) / np.abs(theta)))
    assert difference < 1e-9, difference
    cost = mse_cost(X, y, theta)
    reference = base("linear", "diabetes.csv", "progression", features, X)
    reference |= {
        "w": dict(zip(features, map(float, theta[:-1]), strict=True)),
        "b": float(theta[-1]),
        "cost": cost,
        "cost_formula": "mean((Xw + b − y)²)  (no ½)",
        "r2": 1.0 - cost / float(np.var(y)),
        "gradient_norm": norm,
        "gradient": dict(zip([*features, "b"], map(float, gradient), strict=True)),
        "sklearn": {"model": "LinearRegression()", "max_relative_difference": difference},
        "hessian_condition_raw": condition(2 * A.T @ A / len(A)),
        "hessian_condition_standardized": condition(
            2 * augmented(standardised(X)[0]).T @ augmented(standardised(X)[0]) / len(A)
        ),
        **versions(),
        "how": "np.linalg.lstsq on [X, 1] with one step of iterative refinement; sklearn LinearRegression agrees",
    }
    # ∇J = (2/n)Aᵀ(Aθ − y), so L = 2 λmax(AᵀA/n)
    reference["gradient_descent"] = counts(X, y, mse_gradient, mse_cost, theta, 2.0, [0.05, 0.1, 0.2, 0.24])
    return reference


def softmax_reference(X: np.ndarray, labels: np.ndarray, features: list[str]) -> dict[str, Any]:
    k = int(labels.max()) + 1
    separation = multinomial_separation(X, labels, k)
    one_vs_rest = [binary_separation(X, (labels == c).astype(np.int64)) for c in range(k)]
    assert separation < 1e-9 and max(one_vs_rest) < 1e-9, (separation, one_vs_rest)
    Z, mean, scale = standardised(X)
    theta = to_original(softmax_newton(Z, labels, k), mean, scale)
    theta = theta - theta.mean(axis=1, keepdims=True)
    gradient = softmax_gradient(X, labels, theta)
    norm = float(np.linalg.norm(gradient))
    assert norm < 1e-9, norm
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted = LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-12, max_iter=100_000).fit(X, labels)
        tight = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=100_000).fit(X, labels)
    probabilities = softmax(augmented(X) @ theta, axis=1)
    sk = {}
    for name, model in (("lbfgs", fitted), ("newton-cholesky", tight)):
        other = np.vstack([model.coef_.T, model.intercept_])
        other = other - other.mean(axis=1, keepdims=True)
        sk[name] = {
            "n_iter": int(np.max(model.n_iter_)),
            "max_probability_difference": float(np.max(np.abs(model.predict_proba(X) - probabilities))),
            "max_relative_difference_centred": float(np.max(np.abs(other - theta) / np.abs(theta))),
            "cost_difference": softmax_cost(X, labels, other) - softmax_cost(X, labels, theta),
        }
    assert sk["newton-cholesky"]["max_probability_difference"] < 1e-9, sk
    assert sk["lbfgs"]["max_probability_difference"] < 1e-5, sk
    reference = base("softmax", "wine.csv", "cultivar", features, X)
    reference |= {
        "classes": [str(c) for c in range(k)],
        "centred": "each row of W and b sum to 0 over the classes (softmax is unchanged by W + c𝟏ᵀ, b + c𝟏): "
        "compare probabilities and cost, or centre before comparing W, b",
        "W": {feature: list(map(float, row)) for feature, row in zip(features, theta[:-1], strict=True)},
        "b": list(map(float, theta[-1])),
        "cost": softmax_cost(X, labels, theta),
        "cost_formula": "−mean(log_softmax(XW + b)[i, y_i])",
        "gradient_norm": norm,
        "accuracy": float(np.mean(np.argmax(probabilities, axis=1) == labels)),
        "separation_lp": {"multinomial": separation, "one_vs_rest": one_vs_rest},
        "probabilities": [list(map(float, row)) for row in probabilities],
        "sklearn": {"C": "inf", "tol": 1e-12, "max_iter": 100_000, "multinomial": True} | sk,
        **versions(),
        "how": (
            "Newton in NumPy on the standardised features with the last class as reference (its column 0), "
            "mapped back to raw units and centred; sklearn LogisticRegression(C=np.inf) (multinomial for k = 3) "
            "with lbfgs and newton-cholesky agrees in the probabilities"
        ),
    }
    # the softmax Jacobian diag(p) − ppᵀ has norm at most 1/2, so L = λmax(ÃᵀÃ/n)/2
    reference["gradient_descent"] = counts(
        X, labels, softmax_gradient, softmax_cost, theta, 0.5, [0.5, 1.0, 2.0, 2.5], centred=True
    )
    return reference


def write_json(name: str, reference: dict[str, Any]) -> None:
    """json writes each float by repr: 17 significant digits, the float64 exactly."""
    (HERE / name).write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {name}: cost {reference['cost']!r}, gradient norm {reference['gradient_norm']:.2e}")


def main() -> None:
    X, malignant, features = breast_cancer()
    write_csv(HERE / "breast_cancer.csv", [*features, "malignant"], X, malignant)
    check_read_back(HERE / "breast_cancer.csv", X)
    write_json("breast_cancer_logistic.json", logistic_reference(X, malignant, features, 0.0))
    write_json("breast_cancer_logistic_l2.json", logistic_reference(X, malignant, features, LAM))
    write_json(
        "breast_cancer_logistic_l2_standardized.json", logistic_l2_standardised_reference(X, malignant, features, LAM)
    )

    X, progression, features = diabetes()
    write_csv(HERE / "diabetes.csv", [*features, "progression"], X, progression)
    check_read_back(HERE / "diabetes.csv", X)
    write_json("diabetes_linear.json", linear_reference(X, progression, features))

    X, cultivar, features = wine()
    write_csv(HERE / "wine.csv", [*features, "cultivar"], X, cultivar)
    check_read_back(HERE / "wine.csv", X)
    write_json("wine_softmax.json", softmax_reference(X, cultivar, features))


if __name__ == "__main__":
    main()
