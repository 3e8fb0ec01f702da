"""Reference costs and gradients for ``stepsolver.model``: the independent side of the model tests.

Written from the cost definitions in the issue-11 contract, never from ``stepsolver/models``, so
that a shared mistake cannot pass. Every gradient here is derived by hand and is itself checked
against central finite differences of the cost (the ``test_reference_*`` tests in
``tests/test_models_reference.py``), so a wrong reference cannot pass silently either.

Conventions (those of the contract):

* X is n×m (rows are examples), labels y have shape (n,): 0/1 floats for the binary models,
  reals for "linear", integers 0…k−1 for "softmax" (k = max(y) + 1);
* a parameter the contract calls a float (b, b2) is a Python float here, an array otherwise;
* every cost is computed stably: ln σ(z) = −logaddexp(0, −z), ln softmax by log-sum-exp with
  the row maximum shifted out, so no ln 0 and no overflow at |z| in the hundreds.

Relative errors: ``relative_error`` is the norm-based CS231n error ‖a − b‖ / (‖a‖ + ‖b‖) over all
parameters flattened together; ``elementwise_relative_error`` is the elementwise max of
|aᵢ − bᵢ| / (|aᵢ| + |bᵢ|), with components where both sides are below ``floor`` in absolute
value skipped (there the quotient measures rounding, not a wrong formula).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Params = dict[str, Any]  # name -> np.ndarray, or float for a scalar parameter
Shapes = dict[str, tuple[int, ...]]  # () marks a scalar (a float)
CostFn = Callable[[np.ndarray, np.ndarray, Mapping[str, Any]], float]
GradFn = Callable[[np.ndarray, np.ndarray, Mapping[str, Any]], Params]

ACTIVATIONS = ("tanh", "relu", "sigmoid")


# --- elementary pieces ------------------------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) without overflow: e^(−z) is only formed for z ≥ 0, e^z only for z < 0."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def binary_cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    """−(1/n) Σ [y ln σ(z) + (1−y) ln(1−σ(z))] from the logits: −ln σ(z) = logaddexp(0, −z)
    and −ln(1−σ(z)) = −ln σ(−z) = logaddexp(0, z)."""
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise ln softmax: Z − max − ln Σ e^(Z − max), so the largest exponent is e⁰."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(Z: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(Z))


def one_hot(y: np.ndarray, k: int) -> np.ndarray:
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), np.asarray(y, dtype=int)] = 1.0
    return Y


def activation(name: str, A: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(A)
    if name == "relu":
        return np.maximum(A, 0.0)
    if name == "sigmoid":
        return sigmoid(A)
    raise ValueError(f"unknown activation {name!r}")


def activation_derivative(name: str, A: np.ndarray) -> np.ndarray:
    """act'(A) elementwise; relu' is taken as 0 at exactly 0 (random data never lands there)."""
    if name == "tanh":
        return 1.0 - np.tanh(A) ** 2
    if name == "relu":
        return (A > 0).astype(float)
    if name == "sigmoid":
        s = sigmoid(A)
        return s * (1.0 - s)
    raise ValueError(f"unknown activation {name!r}")


def _f(value: Any) -> float:
    return float(np.asarray(value, dtype=float))


def _a(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=float)


# --- the models' costs and gradients ----------------------------------------------------------


def logistic_cost(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any], lam: float = 0.0) -> float:
    """J = −(1/n) Σ [y ln ŷ + (1−y) ln(1−ŷ)] + (λ/2)‖w‖², ŷ = σ(Xw + b); b is not penalised."""
    w = _a(p["w"])
    return binary_cross_entropy(X @ w + _f(p["b"]), y) + 0.5 * lam * float(w @ w)


def logistic_gradient(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any], lam: float = 0.0) -> Params:
    """∂J/∂z_i = (σ(z_i) − y_i)/n, so ∇_w J = (1/n) Xᵀ(σ(Xw+b) − y) + λw and ∂J/∂b = mean(σ − y)."""
    w = _a(p["w"])
    r = sigmoid(X @ w + _f(p["b"])) - y
    return {"w": X.T @ r / len(y) + lam * w, "b": float(np.mean(r))}


def linear_cost(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> float:
    """J = (1/n) Σ (ŷ − y)², ŷ = Xw + b (the mean squared error, no ½)."""
    e = X @ _a(p["w"]) + _f(p["b"]) - y
    return float(np.mean(e**2))


def linear_gradient(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> Params:
    """∇_w J = (2/n) Xᵀ(ŷ − y), ∂J/∂b = (2/n) Σ (ŷ − y)."""
    e = X @ _a(p["w"]) + _f(p["b"]) - y
    return {"w": 2.0 * X.T @ e / len(y), "b": 2.0 * float(np.mean(e))}


def softmax_cost(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> float:
    """J = −(1/n) Σ ln softmax(x⁽ⁱ⁾W + bᵀ)_{yᵢ}."""
    L = log_softmax(X @ _a(p["W"]) + _a(p["b"]))
    return float(-np.mean(L[np.arange(len(y)), np.asarray(y, dtype=int)]))


def softmax_gradient(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> Params:
    """With P = softmax(XW + 𝟏bᵀ) and Y one-hot: ∇_W J = (1/n) Xᵀ(P − Y), ∇_b J = (1/n) 𝟏ᵀ(P − Y)."""
    W = _a(p["W"])
    R = softmax(X @ W + _a(p["b"])) - one_hot(y, W.shape[1])
    return {"W": X.T @ R / len(y), "b": R.mean(axis=0)}


def mlp_forward(X: np.ndarray, p: Mapping[str, Any], act: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A, H, z): A = XW1 + 𝟏b1ᵀ, H = act(A), z = H w2 + b2 (the output logit)."""
    A = X @ _a(p["W1"]) + _a(p["b1"])
    H = activation(act, A)
    return A, H, H @ _a(p["w2"]) + _f(p["b2"])


def mlp_cost(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any], act: str = "tanh") -> float:
    """J = the logistic cross-entropy of ŷ = σ(H w2 + b2), H = act(XW1 + 𝟏b1ᵀ)."""
    return binary_cross_entropy(mlp_forward(X, p, act)[2], y)


def mlp_gradient(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any], act: str = "tanh") -> Params:
    """Backpropagation: δz = (σ(z) − y)/n; ∇w2 = Hᵀδz, ∂b2 = Σδz; δH = δz w2ᵀ; δA = δH ⊙ act'(A);
    ∇W1 = XᵀδA, ∇b1 = 𝟏ᵀδA."""
    A, H, z = mlp_forward(X, p, act)
    dz = (sigmoid(z) - y) / len(y)
    dA = np.outer(dz, _a(p["w2"])) * activation_derivative(act, A)
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "w2": H.T @ dz, "b2": float(dz.sum())}


# --- naive second implementations, only to cross-check the stable ones at moderate logits -------


def logistic_cost_naive(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any], lam: float = 0.0) -> float:
    """The textbook formula taken literally (fine while |z| is small): a second opinion."""
    w = _a(p["w"])
    yhat = 1.0 / (1.0 + np.exp(-(X @ w + _f(p["b"]))))
    return float(-np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)) + lam / 2 * np.sum(w * w))


def softmax_cost_naive(X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> float:
    """Loop over examples with the unshifted exponentials: a second opinion."""
    W, b = _a(p["W"]), _a(p["b"])
    total = 0.0
    for i in range(len(y)):
        scores = np.exp(X[i] @ W + b)
        total += -np.log(scores[int(y[i])] / scores.sum())
    return total / len(y)


# --- one handle per model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A model as the contract defines it: its API name and options, its J and ∇J, its shapes."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)
    cost_fn: CostFn | None = None
    gradient_fn: GradFn | None = None

    def cost(self, X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> float:
        assert self.cost_fn is not None
        return self.cost_fn(X, y, p)

    def gradient(self, X: np.ndarray, y: np.ndarray, p: Mapping[str, Any]) -> Params:
        assert self.gradient_fn is not None
        return self.gradient_fn(X, y, p)

    def shapes(self, X: np.ndarray, y: np.ndarray) -> Shapes:
        """The contract's parameter shapes for data X (n×m), y."""
        m = X.shape[1]
        if self.name in ("logistic", "linear", "logistic_l2"):
            return {"w": (m,), "b": ()}
        if self.name == "softmax":
            k = int(np.max(y)) + 1
            return {"W": (m, k), "b": (k,)}
        h = int(self.options.get("hidden", 4))
        return {"W1": (m, h), "b1": (h,), "w2": (h,), "b2": ()}

    @property
    def label(self) -> str:
        """A test id: the name and its options."""
        opts = ",".join(f"{k}={v}" for k, v in sorted(self.options.items()))
        return f"{self.name}[{opts}]" if opts else self.name


def reference(name: str, **options: Any) -> Reference:
    """The reference for ``model(name, **options)``; options default as the contract says."""
    if name == "logistic":
        return Reference(name, options, logistic_cost, logistic_gradient)
    if name == "linear":
        return Reference(name, options, linear_cost, linear_gradient)
    if name == "logistic_l2":
        lam = float(options.get("lam", 0.01))
        return Reference(
            name, options, lambda X, y, p: logistic_cost(X, y, p, lam), lambda X, y, p: logistic_gradient(X, y, p, lam)
        )
    if name == "softmax":
        return Reference(name, options, softmax_cost, softmax_gradient)
    if name == "mlp":
        act = str(options.get("activation", "tanh"))
        return Reference(
            name, options, lambda X, y, p: mlp_cost(X, y, p, act), lambda X, y, p: mlp_gradient(X, y, p, act)
        )
    raise ValueError(f"no reference for {name!r}")


# --- data, random parameters ------------------------------------------------------------------


def labels_for(ref: Reference, X: np.ndarray, rng: np.random.Generator, k: int = 3) -> np.ndarray:
    """Labels of the right kind for the model: reals, 0/1 floats, or integers 0…k−1 (all present)."""
    n = X.shape[0]
    if ref.name == "linear":
        return X @ rng.normal(size=X.shape[1]) + 0.5 + 0.3 * rng.normal(size=n)
    if ref.name == "softmax":
        classes = np.asarray(rng.integers(0, k, size=n), dtype=np.int64)
        classes[:k] = np.arange(k)  # every class appears, so k = max(y) + 1 is the intended k
        return classes
    binary = np.asarray(rng.random(n) < 0.5, dtype=float)
    binary[:2] = [0.0, 1.0]
    return binary


def random_params(shapes: Shapes, rng: np.random.Generator, scale: float = 1.0) -> Params:
    """Normal(0, scale²) entries of the given shapes; a () shape gives a Python float."""
    return {k: float(scale * rng.normal()) if s == () else scale * rng.normal(size=s) for k, s in shapes.items()}


def logistic_data(n: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Well-conditioned, non-separable binary data: standard normal features, labels drawn from
    σ(x·w* + b*) with moderate w*, so the maximum-likelihood optimum exists and is unique."""
    X = rng.normal(size=(n, m))
    w_true = np.linspace(1.0, -0.8, m)
    y = (rng.random(n) < sigmoid(X @ w_true + 0.3)).astype(float)
    return X, y


def softmax_data(n: int, m: int, k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Non-separable k-class data: labels drawn from softmax(xW* + b*) with moderate W*."""
    X = rng.normal(size=(n, m))
    W_true = 0.8 * rng.normal(size=(m, k))
    P = softmax(X @ W_true + np.linspace(-0.2, 0.2, k))
    u = rng.random(n)[:, None]
    y = (u > np.cumsum(P, axis=1)).sum(axis=1)
    return X, np.minimum(y, k - 1).astype(np.int64)


def linear_data(n: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, m))
    return X, X @ np.linspace(2.0, -1.0, m) + 0.7 + 0.1 * rng.normal(size=n)


# --- finite differences and relative errors -------------------------------------------------


def flatten(p: Mapping[str, Any], keys: list[str] | None = None) -> np.ndarray:
    keys = sorted(p) if keys is None else keys
    return np.concatenate([np.ravel(np.asarray(p[k], dtype=float)) for k in keys])


def central_difference(f: Callable[[Params], float], p: Mapping[str, Any], h: float = 1e-6) -> Params:
    """(f(θ + h eⱼ) − f(θ − h eⱼ)) / 2h for every entry θⱼ of every parameter (float64, h = 1e-6:
    truncation ~h² ≈ 1e-12, rounding ~ε|f|/h ≈ 1e-10). Scalars stay Python floats in the calls."""
    base: Params = {k: (float(v) if np.ndim(v) == 0 else np.array(v, dtype=float)) for k, v in p.items()}
    out: Params = {}
    for key, value in base.items():
        if np.ndim(value) == 0:
            plus, minus = dict(base), dict(base)
            plus[key], minus[key] = value + h, value - h
            out[key] = (f(plus) - f(minus)) / (2 * h)
            continue
        grad = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            shifted = value.copy()
            shifted[idx] = value[idx] + h
            fp = f({**base, key: shifted})
            shifted[idx] = value[idx] - h
            fm = f({**base, key: shifted})
            grad[idx] = (fp - fm) / (2 * h)
        out[key] = grad
    return out


def relative_error(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Norm-based CS231n relative error ‖a − b‖ / (‖a‖ + ‖b‖) over all parameters together."""
    keys = sorted(a)
    va, vb = flatten(a, keys), flatten(b, keys)
    denom = np.linalg.norm(va) + np.linalg.norm(vb)
    return 0.0 if denom == 0 else float(np.linalg.norm(va - vb) / denom)


def elementwise_relative_error(a: Mapping[str, Any], b: Mapping[str, Any], floor: float = 1e-7) -> float:
    """max |aᵢ − bᵢ| / (|aᵢ| + |bᵢ|) over components where max(|aᵢ|, |bᵢ|) ≥ floor."""
    keys = sorted(a)
    va, vb = flatten(a, keys), flatten(b, keys)
    keep = np.maximum(np.abs(va), np.abs(vb)) >= floor
    if not keep.any():
        return 0.0
    return float(np.max(np.abs(va - vb)[keep] / (np.abs(va) + np.abs(vb))[keep]))


def gradient_norm(g: Mapping[str, Any]) -> float:
    return float(np.linalg.norm(flatten(g)))


# --- optima and smoothness, independent of any gradient descent -------------------------------


def with_ones(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def logistic_newton(X: np.ndarray, y: np.ndarray, lam: float = 0.0, iterations: int = 50) -> Params:
    """The (regularised) logistic optimum by Newton's method on θ = (w, b): H = X̃ᵀ diag(ŷ(1−ŷ)) X̃/n + λ diag(1,…,1,0).
    Converges quadratically from 0 on non-separable data; a reference optimum GD knows nothing of."""
    Xt = with_ones(X)
    n, d = Xt.shape
    reg = lam * np.diag(np.r_[np.ones(d - 1), 0.0])
    theta = np.zeros(d)
    for _ in range(iterations):
        s = sigmoid(Xt @ theta)
        g = Xt.T @ (s - y) / n + reg @ theta
        H = (Xt * (s * (1 - s))[:, None]).T @ Xt / n + reg
        step = np.linalg.solve(H, g)
        theta = theta - step
        if np.linalg.norm(step) < 1e-15 * (1 + np.linalg.norm(theta)):
            break
    return {"w": theta[:-1], "b": float(theta[-1])}


def linear_lstsq(X: np.ndarray, y: np.ndarray) -> Params:
    """The least-squares optimum of the MSE from np.linalg.lstsq on [X 1]."""
    theta = np.linalg.lstsq(with_ones(X), y, rcond=None)[0]
    return {"w": theta[:-1], "b": float(theta[-1])}


def smoothness(name: str, X: np.ndarray, lam: float = 0.0) -> float:
    """A Lipschitz constant L of ∇J (the largest Hessian eigenvalue can be at most L), so plain
    gradient descent with lr ≤ 1/L decreases J at every step (descent lemma):
    linear 2λmax(X̃ᵀX̃/n); logistic σ' ≤ 1/4 → λmax/4 (+λ); softmax λmax(diag p − ppᵀ) ≤ 1/2 → λmax/2."""
    Xt = with_ones(X)
    top = float(np.linalg.eigvalsh(Xt.T @ Xt / X.shape[0])[-1])
    factor = {"linear": 2.0, "logistic": 0.25, "logistic_l2": 0.25, "softmax": 0.5}[name]
    return factor * top + (lam if name == "logistic_l2" else 0.0)


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Z = (X − μ)/s column by column (population std); returns (Z, μ, s)."""
    mu, s = X.mean(axis=0), X.std(axis=0)
    return (X - mu) / s, mu, s


def to_original_units(p: Mapping[str, Any], mu: np.ndarray, s: np.ndarray) -> Params:
    """Parameters fitted on Z = (X − μ)/s, rewritten for X: x·(w/s) + (b − μ·(w/s)) = z·w + b.
    Works for w (m,) with float b and for W (m,k) with b (k,)."""
    if "w" in p:
        w = _a(p["w"]) / s
        return {"w": w, "b": _f(p["b"]) - float(mu @ w)}
    W = _a(p["W"]) / s[:, None]
    return {"W": W, "b": _a(p["b"]) - mu @ W}


def predict(name: str, X: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
    """ŷ of the linear models: Xw + b, σ(Xw + b), or the softmax probabilities (n×k)."""
    if name == "linear":
        return X @ _a(p["w"]) + _f(p["b"])
    if name in ("logistic", "logistic_l2"):
        return sigmoid(X @ _a(p["w"]) + _f(p["b"]))
    return softmax(X @ _a(p["W"]) + _a(p["b"]))
