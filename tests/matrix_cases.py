"""Matrix-calculus cases with hand-written NumPy gradients: the reference side for ``matrix_gradient``.

Written apart from the engine so that it can catch the engine's mistakes. Each case gives the
function in LaTeX (as the engine reads it), the same function as plain NumPy (``function``) and
its gradient as plain NumPy (``reference``). ``reference`` is checked against central finite
differences of ``function`` (``tests/test_matrix_identities.py``), so a wrong reference cannot
pass silently; ``function`` is written straight from the LaTeX, never from the gradient.

Conventions the references follow:

* the gradient has the shape of the variable: entry (i, j) is ∂f/∂X_ij, vectors are 1-D arrays;
* no structure is assumed: a symmetric positive-definite Σ is still differentiated as a general
  matrix, so ∂ ln|det Σ|/∂Σ = Σ⁻ᵀ, not 2Σ⁻¹ − diag Σ⁻¹;
* sizes are n = 3, m = 4, p = 2 — distinct, and rectangular wherever the identity allows, so
  that a transposed or swapped factor cannot slip through on conforming square shapes.

``cookbook`` is the equation number in The Matrix Cookbook (Petersen & Pedersen, version of
15 November 2012); "cf." marks a case that is a special case or a variant of that equation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

Value = np.ndarray | float
Values = dict[str, Value]
Dim = int | str
Shape = tuple[Dim, ...]

SIZES: dict[str, int] = {"n": 3, "m": 4, "p": 2}


@dataclass(frozen=True)
class Case:
    name: str
    latex: str
    wrt: str
    shapes: Mapping[str, Shape]
    reference: Callable[[Values], np.ndarray]
    function: Callable[[Values], float]
    cookbook: str = ""
    # How to draw a variable whose entries are not plain standard normal (see ``draw``): "spd",
    # "posdef" (xᵀXx > 0 but X unsymmetric), "wellcond" (singular values in [1, 2]; if square,
    # det of either sign), "positive", "labels01", "labels_pm1", "onehot".
    kinds: Mapping[str, str] = field(default_factory=dict)


# --- plain NumPy pieces --------------------------------------------------------------------------
# Written here rather than taken from SciPy so that the module needs NumPy only.

inv = np.linalg.inv
det = np.linalg.det


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the tanh form cannot overflow for large |z|


def softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z))
    return e / e.sum()


# --- the cases ---------------------------------------------------------------------------------

CASES: list[Case] = []


def case(
    name: str,
    latex: str,
    wrt: str,
    shapes: Mapping[str, Shape],
    function: Callable[..., object],
    reference: Callable[..., object],
    cookbook: str = "",
    kinds: Mapping[str, str] | None = None,
) -> None:
    """Register a case; ``function`` and ``reference`` take the values as keyword arguments
    (``lambda x, A: ...``), which keeps each formula on one readable line."""

    def call(f: Callable[..., object]) -> Callable[[Values], object]:
        return lambda values: f(**{k: values[k] for k in shapes})

    CASES.append(
        Case(
            name=name,
            latex=latex,
            wrt=wrt,
            shapes=dict(shapes),
            reference=lambda values: np.asarray(call(reference)(values), dtype=float),
            function=lambda values: float(np.asarray(call(function)(values))),
            cookbook=cookbook,
            kinds=dict(kinds or {}),
        )
    )


vec_n = ("n",)
vec_m = ("m",)
vec_p = ("p",)
nn = ("n", "n")
mn = ("m", "n")

# Linear and quadratic forms in a vector.
case("aT_x", r"a^\top x", "x", {"a": vec_n, "x": vec_n}, lambda a, x: a @ x, lambda a, x: a, "69")
case("xT_a", r"x^T a", "x", {"a": vec_n, "x": vec_n}, lambda a, x: x @ a, lambda a, x: a, "69")
case("xT_x", r"x^\top x", "x", {"x": vec_n}, lambda x: x @ x, lambda x: 2 * x, "cf. 131")
case("xT_x_size5", r"x^\top x", "x", {"x": (5,)}, lambda x: x @ x, lambda x: 2 * x, "cf. 131")  # an int dimension
case("xT_A_x", r"x^\top A x", "x", {"x": vec_n, "A": nn}, lambda x, A: x @ A @ x, lambda x, A: (A + A.T) @ x, "81")
case(
    "xT_AT_x",
    r"x^\top A^\top x",
    "x",
    {"x": vec_n, "A": nn},
    lambda x, A: x @ A.T @ x,
    lambda x, A: (A + A.T) @ x,
    "81",
)
case(
    "xT_A_x_wrt_A", r"x^\top A x", "A", {"x": vec_n, "A": nn}, lambda x, A: x @ A @ x, lambda x, A: np.outer(x, x), "72"
)
case(
    "Bx_b_C_Dx_d",
    r"(Bx + b)^\top C (Dx + d)",
    "x",
    {"x": vec_n, "B": mn, "b": vec_m, "C": ("m", "p"), "D": ("p", "n"), "d": vec_p},
    lambda x, B, b, C, D, d: (B @ x + b) @ C @ (D @ x + d),
    lambda x, B, b, C, D, d: B.T @ C @ (D @ x + d) + D.T @ C.T @ (B @ x + b),
    "78",
)
case(
    "aTx_squared",
    r"(a^\top x)^2",
    "x",
    {"a": vec_n, "x": vec_n},
    lambda a, x: (a @ x) ** 2,
    lambda a, x: 2 * (a @ x) * a,
)
case(
    "xT_hadamard_a_x",
    r"x^\top (a \odot x)",
    "x",
    {"a": vec_n, "x": vec_n},
    lambda a, x: x @ (a * x),
    lambda a, x: 2 * a * x,
)
# W is a general (not symmetric) matrix here, so the Cookbook's 2W becomes W + Wᵀ.
case(
    "x_As_W_wrt_s",
    r"(x - As)^\top W (x - As)",
    "s",
    {"x": vec_m, "A": mn, "s": vec_n, "W": ("m", "m")},
    lambda x, A, s, W: (x - A @ s) @ W @ (x - A @ s),
    lambda x, A, s, W: -A.T @ (W + W.T) @ (x - A @ s),
    "cf. 84 (W symmetric there)",
)
case(
    "x_As_W_wrt_A",
    r"(x - As)^\top W (x - As)",
    "A",
    {"x": vec_m, "A": mn, "s": vec_n, "W": ("m", "m")},
    lambda x, A, s, W: (x - A @ s) @ W @ (x - A @ s),
    lambda x, A, s, W: -np.outer((W + W.T) @ (x - A @ s), s),
    "cf. 88 (W symmetric there)",
)

# Bilinear forms in a matrix.
case(
    "aT_X_b",
    r"a^\top X b",
    "X",
    {"a": vec_m, "X": mn, "b": vec_n},
    lambda a, X, b: a @ X @ b,
    lambda a, X, b: np.outer(a, b),
    "70",
)
case(
    "aT_XT_b",
    r"a^\top X^\top b",
    "X",
    {"a": vec_n, "X": mn, "b": vec_m},
    lambda a, X, b: a @ X.T @ b,
    lambda a, X, b: np.outer(b, a),
    "71",
)
case("aT_X_a", r"a^\top X a", "X", {"a": vec_n, "X": nn}, lambda a, X: a @ X @ a, lambda a, X: np.outer(a, a), "72")
case(
    "bT_XT_X_c",
    r"b^\top X^\top X c",
    "X",
    {"b": vec_n, "X": mn, "c": vec_n},
    lambda b, X, c: b @ X.T @ X @ c,
    lambda b, X, c: X @ (np.outer(b, c) + np.outer(c, b)),
    "77",
)
case(
    "bT_XT_D_X_c",
    r"b^\top X^\top D X c",
    "X",
    {"b": vec_n, "X": mn, "D": ("m", "m"), "c": vec_n},
    lambda b, X, D, c: b @ X.T @ D @ X @ c,
    lambda b, X, D, c: D.T @ X @ np.outer(b, c) + D @ X @ np.outer(c, b),
    "82",
)
case(
    "Xb_c_D_Xb_c",
    r"(Xb + c)^\top D (Xb + c)",
    "X",
    {"X": mn, "b": vec_n, "c": vec_m, "D": ("m", "m")},
    lambda X, b, c, D: (X @ b + c) @ D @ (X @ b + c),
    lambda X, b, c, D: np.outer((D + D.T) @ (X @ b + c), b),
    "83",
)

# Traces.
case("tr_X", r"\operatorname{Tr}(X)", "X", {"X": nn}, lambda X: np.trace(X), lambda X: np.eye(len(X)), "99")
case(
    "tr_AX",
    r"\operatorname{Tr}(AX)",
    "X",
    {"A": ("n", "m"), "X": mn},
    lambda A, X: np.trace(A @ X),
    lambda A, X: A.T,
    "cf. 100",
)
case(
    "tr_XA",
    r"\operatorname{Tr}(XA)",
    "X",
    {"X": mn, "A": ("n", "m")},
    lambda X, A: np.trace(X @ A),
    lambda X, A: A.T,
    "100",
)
case(
    "tr_AXB",
    r"\operatorname{Tr}(AXB)",
    "X",
    {"A": ("p", "m"), "X": mn, "B": ("n", "p")},
    lambda A, X, B: np.trace(A @ X @ B),
    lambda A, X, B: A.T @ B.T,
    "101",
)
case(
    "tr_AXTB",
    r"\operatorname{Tr}(AX^\top B)",
    "X",
    {"A": ("p", "n"), "X": mn, "B": ("m", "p")},
    lambda A, X, B: np.trace(A @ X.T @ B),
    lambda A, X, B: B @ A,
    "102",
)
case(
    "tr_XTA",
    r"\operatorname{tr}(X^\top A)",
    "X",
    {"X": mn, "A": mn},
    lambda X, A: np.trace(X.T @ A),
    lambda X, A: A,
    "103",
)
case(
    "tr_AXT", r"\operatorname{Tr}(AX^T)", "X", {"A": mn, "X": mn}, lambda A, X: np.trace(A @ X.T), lambda A, X: A, "104"
)
case("tr_X_squared", r"\operatorname{Tr}(X^2)", "X", {"X": nn}, lambda X: np.trace(X @ X), lambda X: 2 * X.T, "106")
case(
    "tr_X2_B",
    r"\operatorname{Tr}(X^2 B)",
    "X",
    {"X": nn, "B": nn},
    lambda X, B: np.trace(X @ X @ B),
    lambda X, B: (X @ B + B @ X).T,
    "107",
)
case(
    "tr_XT_B_X",
    r"\operatorname{Tr}(X^\top B X)",
    "X",
    {"X": mn, "B": ("m", "m")},
    lambda X, B: np.trace(X.T @ B @ X),
    lambda X, B: B @ X + B.T @ X,
    "108",
)
case(
    "tr_X_B_XT",
    r"\operatorname{Tr}(X B X^\top)",
    "X",
    {"X": mn, "B": nn},
    lambda X, B: np.trace(X @ B @ X.T),
    lambda X, B: X @ B.T + X @ B,
    "111",
)
case(
    "tr_AXBX",
    r"\operatorname{Tr}(AXBX)",
    "X",
    {"A": ("n", "m"), "X": mn, "B": ("n", "m")},
    lambda A, X, B: np.trace(A @ X @ B @ X),
    lambda A, X, B: A.T @ X.T @ B.T + B.T @ X.T @ A.T,
    "114",
)
case("tr_XT_X", r"\operatorname{Tr}(X^\top X)", "X", {"X": mn}, lambda X: np.trace(X.T @ X), lambda X: 2 * X, "115")
case(
    "tr_XT_B_X_C",
    r"\operatorname{Tr}(X^\top B X C)",
    "X",
    {"X": mn, "B": ("m", "m"), "C": nn},
    lambda X, B, C: np.trace(X.T @ B @ X @ C),
    lambda X, B, C: B @ X @ C + B.T @ X @ C.T,
    "117",
)
case(
    "tr_A_X_B_XT",
    r"\operatorname{Tr}(A X B X^\top)",
    "X",
    {"A": ("m", "m"), "X": mn, "B": nn},
    lambda A, X, B: np.trace(A @ X @ B @ X.T),
    lambda A, X, B: A.T @ X @ B.T + A @ X @ B,
    "cf. 118 (C = I)",
)
case(
    "tr_A_X_B_XT_C",
    r"\operatorname{Tr}(A X B X^\top C)",
    "X",
    {"A": ("p", "m"), "X": mn, "B": nn, "C": ("m", "p")},
    lambda A, X, B, C: np.trace(A @ X @ B @ X.T @ C),
    lambda A, X, B, C: A.T @ C.T @ X @ B.T + C @ A @ X @ B,
    "118",
)
case(
    "tr_AXB_C_squared",
    r"\operatorname{Tr}\left((AXB + C)(AXB + C)^\top\right)",
    "X",
    {"A": ("p", "m"), "X": mn, "B": ("n", "m"), "C": ("p", "m")},
    lambda A, X, B, C: np.trace((A @ X @ B + C) @ (A @ X @ B + C).T),
    lambda A, X, B, C: 2 * A.T @ (A @ X @ B + C) @ B.T,
    "119",
)
case(
    "tr_X_plus_tr_X2",
    r"\operatorname{Tr}(X) + \operatorname{Tr}(X^2)",
    "X",
    {"X": nn},
    lambda X: np.trace(X) + np.trace(X @ X),
    lambda X: np.eye(len(X)) + 2 * X.T,
    "cf. 99, 106",
)
case(
    "tr_X_squared_scalar",
    r"\left(\operatorname{Tr}(X)\right)^2",
    "X",
    {"X": nn},
    lambda X: np.trace(X) ** 2,
    lambda X: 2 * np.trace(X) * np.eye(len(X)),
    "120",
)
case(
    "exp_tr_X",
    r"\exp(\operatorname{Tr}(X))",
    "X",
    {"X": nn},
    lambda X: np.exp(np.trace(X)),
    lambda X: np.exp(np.trace(X)) * np.eye(len(X)),
)

# Inverses and determinants. "wellcond" draws keep the condition number at most 2.
case(
    "tr_X_inv",
    r"\operatorname{Tr}(X^{-1})",
    "X",
    {"X": nn},
    lambda X: np.trace(inv(X)),
    lambda X: -(inv(X) @ inv(X)).T,
    "cf. 64 (A = 0)",
    {"X": "wellcond"},
)
case(
    "aT_Xinv_b",
    r"a^\top X^{-1} b",
    "X",
    {"a": vec_n, "X": nn, "b": vec_n},
    lambda a, X, b: a @ inv(X) @ b,
    lambda a, X, b: -inv(X).T @ np.outer(a, b) @ inv(X).T,
    "61",
    {"X": "wellcond"},
)
case(
    "aT_X_invT_b",
    r"a^\top X^{-\top} b",
    "X",
    {"a": vec_n, "X": nn, "b": vec_n},
    lambda a, X, b: a @ inv(X).T @ b,
    lambda a, X, b: -inv(X).T @ np.outer(b, a) @ inv(X).T,  # = (61) for bᵀX⁻¹a
    "cf. 61",
    {"X": "wellcond"},
)
case(
    "tr_A_Xinv_B",
    r"\operatorname{Tr}(A X^{-1} B)",
    "X",
    {"A": mn, "X": nn, "B": ("n", "m")},
    lambda A, X, B: np.trace(A @ inv(X) @ B),
    lambda A, X, B: -(inv(X) @ B @ A @ inv(X)).T,
    "63",
    {"X": "wellcond"},
)
case("det_X", r"\det(X)", "X", {"X": nn}, lambda X: det(X), lambda X: det(X) * inv(X).T, "49", {"X": "wellcond"})
case(
    "det_X_inv",
    r"\det(X^{-1})",
    "X",
    {"X": nn},
    lambda X: det(inv(X)),
    lambda X: -det(inv(X)) * inv(X).T,
    "62",
    {"X": "wellcond"},
)
# A and B rectangular, so AXB is square while X is not n×n: the Cookbook's det(AXB)X⁻ᵀ (for
# square A, B) does not apply; the chain rule gives det(M) Aᵀ M⁻ᵀ Bᵀ with M = AXB.
case(
    "det_AXB",
    r"\det(AXB)",
    "X",
    {"A": ("n", "m"), "X": ("m", "m"), "B": ("m", "n")},
    lambda A, X, B: det(A @ X @ B),
    lambda A, X, B: det(A @ X @ B) * A.T @ inv(A @ X @ B).T @ B.T,
    "cf. 51 (A, B square there)",
    {"A": "wellcond", "X": "wellcond", "B": "wellcond"},
)
case(
    "ln_abs_det_X",
    r"\ln\lvert\det X\rvert",
    "X",
    {"X": nn},
    lambda X: np.log(abs(det(X))),
    lambda X: inv(X).T,
    "57",
    {"X": "wellcond"},
)
case(
    "log_det_X_spd",
    r"\log\det X",
    "X",
    {"X": nn},
    lambda X: np.log(det(X)),
    lambda X: inv(X).T,
    "cf. 57",
    {"X": "spd"},
)
# The gradient at a symmetric X is symmetric, so the case above cannot tell X⁻ᵀ from X⁻¹. A
# positive-definite but unsymmetric X (xᵀXx > 0, hence det X > 0) can.
case(
    "log_det_X_unsymmetric",
    r"\log\det X",
    "X",
    {"X": nn},
    lambda X: np.log(det(X)),
    lambda X: inv(X).T,
    "cf. 57",
    {"X": "posdef"},
)
case(
    "ln_det_XT_X",
    r"\ln\det(X^\top X)",
    "X",
    {"X": mn},
    lambda X: np.log(det(X.T @ X)),
    lambda X: 2 * X @ inv(X.T @ X),  # 2(X⁺)ᵀ with X⁺ = (XᵀX)⁻¹Xᵀ
    "55",
    {"X": "wellcond"},
)

# Norms.
case(
    "norm2_x", r"\lVert x\rVert_2", "x", {"x": vec_n}, lambda x: np.sqrt(x @ x), lambda x: x / np.sqrt(x @ x), "cf. 129"
)
case(
    "norm2_x_minus_a",
    r"\lVert x - a\rVert_2",
    "x",
    {"x": vec_n, "a": vec_n},
    lambda x, a: np.linalg.norm(x - a),
    lambda x, a: (x - a) / np.linalg.norm(x - a),
    "129",
)
case("norm2_sq_x", r"\lVert x\rVert_2^2", "x", {"x": vec_n}, lambda x: np.sum(x**2), lambda x: 2 * x, "131")
case(
    "norm2_sq_Ax_b",
    r"\lVert Ax - b\rVert_2^2",
    "x",
    {"A": mn, "x": vec_n, "b": vec_m},
    lambda A, x, b: np.sum((A @ x - b) ** 2),
    lambda A, x, b: 2 * A.T @ (A @ x - b),
)
case("fro_X", r"\lVert X\rVert_F", "X", {"X": mn}, lambda X: np.sqrt(np.sum(X**2)), lambda X: X / np.sqrt(np.sum(X**2)))
case("fro_sq_X", r"\lVert X\rVert_F^2", "X", {"X": mn}, lambda X: np.sum(X**2), lambda X: 2 * X, "132")
case(
    "fro_sq_AX_B",
    r"\lVert AX - B\rVert_F^2",
    "X",
    {"A": ("p", "m"), "X": mn, "B": ("p", "n")},
    lambda A, X, B: np.sum((A @ X - B) ** 2),
    lambda A, X, B: 2 * A.T @ (A @ X - B),
    "cf. 119",
)

# Element-wise functions.
case(
    "bT_sigma_Ax",
    r"b^\top \sigma(Ax)",
    "x",
    {"b": vec_m, "A": mn, "x": vec_n},
    lambda b, A, x: b @ sigmoid(A @ x),
    lambda b, A, x: A.T @ (b * sigmoid(A @ x) * (1 - sigmoid(A @ x))),
)
case(
    "bT_sigma_Ax_wrt_A",
    r"b^\top \sigma(Ax)",
    "A",
    {"b": vec_m, "A": mn, "x": vec_n},
    lambda b, A, x: b @ sigmoid(A @ x),
    lambda b, A, x: np.outer(b * sigmoid(A @ x) * (1 - sigmoid(A @ x)), x),
)
case(
    "sum_exp_Ax",
    r"\mathbf{1}^\top \exp(Ax)",
    "x",
    {"A": mn, "x": vec_n},
    lambda A, x: np.sum(np.exp(A @ x)),
    lambda A, x: A.T @ np.exp(A @ x),
)
case(
    "sum_tanh_Ax",
    r"\mathbf{1}^\top \tanh(Ax)",
    "x",
    {"A": mn, "x": vec_n},
    lambda A, x: np.sum(np.tanh(A @ x)),
    lambda A, x: A.T @ (1 - np.tanh(A @ x) ** 2),
)
case(
    "sum_softplus_Ax",
    r"\mathbf{1}^\top \operatorname{softplus}(Ax)",
    "x",
    {"A": mn, "x": vec_n},
    lambda A, x: np.sum(softplus(A @ x)),
    lambda A, x: A.T @ sigmoid(A @ x),
)
# Normal draws are never within h of ReLU's kink (the chance is of order 1e-6 per entry).
case(
    "bT_relu_Ax",
    r"b^\top \operatorname{ReLU}(Ax)",
    "x",
    {"b": vec_m, "A": mn, "x": vec_n},
    lambda b, A, x: b @ np.maximum(A @ x, 0.0),
    lambda b, A, x: A.T @ (b * (A @ x > 0)),
)
case(
    "sum_ln_x",
    r"\mathbf{1}^\top \ln(x)",
    "x",
    {"x": vec_n},
    lambda x: np.sum(np.log(x)),
    lambda x: 1 / x,
    kinds={"x": "positive"},
)
case(
    "aT_softmax_x",
    r"a^\top \operatorname{softmax}(x)",
    "x",
    {"a": vec_n, "x": vec_n},
    lambda a, x: a @ softmax(x),
    lambda a, x: softmax(x) * (a - a @ softmax(x)),  # (diag s − s sᵀ) a
)

# Losses of machine learning: n examples (rows of X), m features, p classes.
case(
    "least_squares_w",
    r"\frac{1}{2n}\lVert Xw - y\rVert_2^2",
    "w",
    {"X": ("n", "m"), "w": vec_m, "y": vec_n},
    lambda X, w, y: np.sum((X @ w - y) ** 2) / (2 * len(y)),
    lambda X, w, y: X.T @ (X @ w - y) / len(y),
)
case(
    "ridge_w",
    r"\lVert Xw - y\rVert_2^2 + \lambda\lVert w\rVert_2^2",
    "w",
    {"X": ("n", "m"), "w": vec_m, "y": vec_n, "lambda": ()},
    lambda X, w, y, **k: np.sum((X @ w - y) ** 2) + k["lambda"] * np.sum(w**2),
    lambda X, w, y, **k: 2 * X.T @ (X @ w - y) + 2 * k["lambda"] * w,
    kinds={"lambda": "positive"},
)
case(
    "ridge_lambda",
    r"\lVert Xw - y\rVert_2^2 + \lambda\lVert w\rVert_2^2",
    "lambda",
    {"X": ("n", "m"), "w": vec_m, "y": vec_n, "lambda": ()},
    lambda X, w, y, **k: np.sum((X @ w - y) ** 2) + k["lambda"] * np.sum(w**2),
    lambda X, w, y, **k: np.sum(w**2),
    kinds={"lambda": "positive"},
)
LOGISTIC = (
    r"-\frac{1}{n}\left[y^\top \ln\sigma(Xw + b\mathbf{1})"
    r" + (\mathbf{1} - y)^\top \ln(\mathbf{1} - \sigma(Xw + b\mathbf{1}))\right]"
)
LOGISTIC_SHAPES: dict[str, Shape] = {"X": ("n", "m"), "w": vec_m, "b": (), "y": vec_n}


def _logistic_loss(X: np.ndarray, w: np.ndarray, b: float, y: np.ndarray) -> float:
    s = sigmoid(X @ w + b)
    return -float(np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


case(
    "logistic_w",
    LOGISTIC,
    "w",
    LOGISTIC_SHAPES,
    _logistic_loss,
    lambda X, w, b, y: X.T @ (sigmoid(X @ w + b) - y) / len(y),
    kinds={"y": "labels01"},
)
case(
    "logistic_b",
    LOGISTIC,
    "b",
    LOGISTIC_SHAPES,
    _logistic_loss,
    lambda X, w, b, y: np.mean(sigmoid(X @ w + b) - y),
    kinds={"y": "labels01"},
)
case(
    "logistic_pm1_w",
    r"\frac{1}{n}\mathbf{1}^\top \ln(\mathbf{1} + \exp(-y \odot (Xw)))",
    "w",
    {"X": ("n", "m"), "w": vec_m, "y": vec_n},
    lambda X, w, y: np.mean(np.log(1 + np.exp(-y * (X @ w)))),
    lambda X, w, y: -X.T @ (y * sigmoid(-y * (X @ w))) / len(y),
    kinds={"y": "labels_pm1"},
)
# (s 𝟏ᵀy − y) rather than the textbook s − y: the two agree for a one-hot y, and this one is
# the gradient for any y, so the reference does not lean on the draw.
case(
    "softmax_ce_W",
    r"-y^\top \ln\operatorname{softmax}(Wx)",
    "W",
    {"y": vec_p, "W": ("p", "m"), "x": vec_m},
    lambda y, W, x: -y @ np.log(softmax(W @ x)),
    lambda y, W, x: np.outer(softmax(W @ x) * y.sum() - y, x),
    kinds={"y": "onehot"},
)
case(
    "softmax_ce_x",
    r"-y^\top \ln\operatorname{softmax}(Wx)",
    "x",
    {"y": vec_p, "W": ("p", "m"), "x": vec_m},
    lambda y, W, x: -y @ np.log(softmax(W @ x)),
    lambda y, W, x: W.T @ (softmax(W @ x) * y.sum() - y),
    kinds={"y": "onehot"},
)
GAUSSIAN = r"\frac{1}{2}(x-\mu)^\top \Sigma^{-1}(x-\mu) + \frac{1}{2}\ln\lvert\det\Sigma\rvert"
GAUSSIAN_SHAPES: dict[str, Shape] = {"x": vec_n, "mu": vec_n, "Sigma": nn}


def _gaussian_nll(x: np.ndarray, mu: np.ndarray, Sigma: np.ndarray) -> float:
    return 0.5 * (x - mu) @ inv(Sigma) @ (x - mu) + 0.5 * np.log(abs(det(Sigma)))


case(
    "gaussian_nll_mu",
    GAUSSIAN,
    "mu",
    GAUSSIAN_SHAPES,
    _gaussian_nll,
    # ½(Σ⁻¹ + Σ⁻ᵀ)(μ − x): no symmetry of Σ assumed; it is −Σ⁻¹(x − μ) for a symmetric Σ.
    lambda x, mu, Sigma: 0.5 * (inv(Sigma) + inv(Sigma).T) @ (mu - x),
    "cf. 86 (W = Σ⁻¹/2)",
    {"Sigma": "spd"},
)
case(
    "gaussian_nll_Sigma",
    GAUSSIAN,
    "Sigma",
    GAUSSIAN_SHAPES,
    _gaussian_nll,
    lambda x, mu, Sigma: -0.5 * inv(Sigma).T @ np.outer(x - mu, x - mu) @ inv(Sigma).T + 0.5 * inv(Sigma).T,
    "cf. 61, 57",
    {"Sigma": "spd"},
)
# As for log det: at a symmetric Σ a Σ⁻¹-for-Σ⁻ᵀ slip goes unseen; not a covariance, but the
# function and its gradient are defined for this Σ all the same.
case(
    "gaussian_nll_Sigma_unsymmetric",
    GAUSSIAN,
    "Sigma",
    GAUSSIAN_SHAPES,
    _gaussian_nll,
    lambda x, mu, Sigma: -0.5 * inv(Sigma).T @ np.outer(x - mu, x - mu) @ inv(Sigma).T + 0.5 * inv(Sigma).T,
    "cf. 61, 57",
    {"Sigma": "posdef"},
)


# --- drawing values and checking a reference ---------------------------------------------------------


def dims_of(shape: Shape, sizes: Mapping[str, int] = SIZES) -> tuple[int, ...]:
    return tuple(sizes[d] if isinstance(d, str) else int(d) for d in shape)


def _orthonormal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((rows, cols)))
    return q * np.sign(np.diag(r))  # Haar-distributed, so the sign of det varies between draws


def _value(kind: str, dims: tuple[int, ...], rng: np.random.Generator) -> Value:
    v: np.ndarray
    if kind == "normal":
        v = rng.standard_normal(dims)
    elif kind == "positive":
        v = rng.uniform(0.5, 2.0, dims)
    elif kind in ("spd", "posdef"):
        (k, _) = dims
        g = rng.standard_normal((k, k))
        v = g @ g.T / k + np.eye(k)
        if kind == "posdef":  # add a skew part: xᵀXx is unchanged, X is no longer symmetric
            skew = rng.standard_normal((k, k))
            v = v + (skew - skew.T) / 2
    elif kind == "wellcond":
        # U diag(s) Vᵀ with s in [1, 2]: condition number ≤ 2 (so inverses and the finite
        # differences through them stay accurate), full rank when rectangular, det of either sign.
        rows, cols = dims
        k = min(rows, cols)
        v = _orthonormal(rng, rows, k) @ np.diag(rng.uniform(1.0, 2.0, k)) @ _orthonormal(rng, cols, k).T
    elif kind == "labels01":
        v = rng.integers(0, 2, dims).astype(float)
    elif kind == "labels_pm1":
        v = 2.0 * rng.integers(0, 2, dims) - 1.0
    elif kind == "onehot":
        v = np.zeros(dims)
        v[rng.integers(dims[0])] = 1.0
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return float(v) if dims == () else v


def draw(case: Case, rng: np.random.Generator, sizes: Mapping[str, int] = SIZES) -> Values:
    """Random values of the declared shapes (vectors 1-D, scalars float), drawn as ``case.kinds`` asks."""
    return {
        name: _value(case.kinds.get(name, "normal"), dims_of(shape, sizes), rng) for name, shape in case.shapes.items()
    }


def finite_difference(case: Case, values: Values, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``case.function`` in every entry of ``values[case.wrt]``."""
    base = np.array(values[case.wrt], dtype=float)
    gradient = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        shifted = []
        for step in (h, -h):
            moved = base.copy()
            moved[index] += step
            shifted.append(case.function({**values, case.wrt: float(moved) if moved.ndim == 0 else moved}))
        gradient[index] = (shifted[0] - shifted[1]) / (2 * h)
    return gradient


def relative_error(a: Value, b: Value) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖), 0 when both vanish; over the whole array, so that an entry that is
    exactly 0 in one and 1e-11 in the other does not count as a 100 % error."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(x) + np.linalg.norm(y)
    return 0.0 if scale == 0 else float(np.linalg.norm(x - y) / scale)


def reference_error(case: Case, values: Values) -> float:
    """How far ``case.reference`` is from finite differences of ``case.function`` at ``values``;
    raises if the reference has the wrong shape."""
    reference = case.reference(values)
    numeric = finite_difference(case, values)
    if reference.shape != numeric.shape:
        raise AssertionError(f"{case.name}: reference has shape {reference.shape}, {case.wrt} has {numeric.shape}")
    return relative_error(reference, numeric)


def _check_names() -> None:
    names = [c.name for c in CASES]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, duplicates
    for c in CASES:
        assert c.wrt in c.shapes, c.name
        assert set(c.kinds) <= set(c.shapes), c.name


_check_names()
