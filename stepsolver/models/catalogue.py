"""The models: each one's cost as the matrix calculus reads it, its parameters, its labels, its
per-example graph (where the lecture draws one) and the textbook forms its gradient is shown in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ParseError

Labels = Literal["binary", "regression", "classes"]

_SIGMA = r"\sigma(Xw + b\mathbf{1})"
_LOGISTIC = rf"-\frac{{1}}{{n}}(y^T \ln({_SIGMA}) + (\mathbf{{1}} - y)^T \ln(\mathbf{{1}} - {_SIGMA}))"
_LOGITS = r"(XW + \mathbf{1}b^T)"
_ACTIVATIONS = {"tanh": r"\tanh", "relu": r"\operatorname{ReLU}", "sigmoid": r"\sigma"}
# act′(A) in the same notation, for the layer-by-layer form (ReLU′ has no term here: its form is the engine's)
_SLOPES = {
    "tanh": r"(\mathbf{1}\mathbf{1}^T - \tanh(A) \odot \tanh(A))",
    "sigmoid": r"(\sigma(A) \odot (\mathbf{1}\mathbf{1}^T - \sigma(A)))",
    "relu": "D",  # ReLU′(A) = H(A), the step function entry by entry: built as a term, LaTeX has no reader for it
}


@dataclass(frozen=True)
class Parameter:
    name: str  # as the API names it: w, b, W1
    symbol: str  # as the derivation writes it: w, b, W_1
    dims: tuple[str, ...]  # () a number, ("m",) a vector, ("m", "k") a matrix


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    cost: str  # LaTeX, in the declared shapes
    cost_text: str  # the cost as the README and the output write it
    parameters: tuple[Parameter, ...]
    labels: Labels
    data: dict[str, tuple[str, ...]]  # X, y or Y
    scalars: dict[str, float] = field(default_factory=dict)  # λ: fixed numbers the cost contains
    graph: str = ""  # the per-example graph the lecture draws ("logistic", "linear"), if any
    forms: dict[str, str] = field(default_factory=dict)  # parameter → its gradient as the lecture writes it
    definitions: dict[str, str] = field(default_factory=dict)  # A = XW_1 + 𝟏b_1ᵀ, named in the forms
    hessian: str = ""  # the parameter whose Hessian is shown (convexity)
    note: str = ""
    fixed: dict[str, int] = field(default_factory=dict)  # sizes the model fixes: h hidden units
    softmax: bool = False  # its gradients contain softmax(Z) row by row, written out: name it
    step_of: str = ""  # D = H(A), the step function of this named part entry by entry (ReLU′), in the forms

    @property
    def shapes(self) -> dict[str, tuple[str, ...]]:
        out = dict(self.data)
        out.update({p.symbol: p.dims for p in self.parameters})
        out.update({name: () for name in self.scalars})
        return out


MODELS = ("logistic", "linear", "logistic_l2", "softmax", "mlp")
ACTIVATIONS = tuple(_ACTIVATIONS)


def spec(name: str, lam: float | None = None, hidden: int | None = None, activation: str | None = None) -> Spec:
    """The model called ``name``, with its options checked."""
    makers: dict[str, Callable[[], Spec]] = {
        "logistic": _logistic,
        "linear": _linear,
        "logistic_l2": lambda: _logistic_l2(0.01 if lam is None else lam),
        "softmax": _softmax,
        "mlp": lambda: _mlp(4 if hidden is None else hidden, "tanh" if activation is None else activation),
    }
    assert tuple(makers) == MODELS
    if not isinstance(name, str) or name not in makers:
        raise ParseError(f"unknown model {name!r}: the models are {', '.join(makers)}")
    if lam is not None and name != "logistic_l2":
        raise ParseError(f"lam= is an option of logistic_l2, not of {name}")
    if (hidden is not None or activation is not None) and name != "mlp":
        raise ParseError(f"hidden= and activation= are options of mlp, not of {name}")
    return makers[name]()


_VECTOR_DATA: dict[str, tuple[str, ...]] = {"X": ("n", "m"), "y": ("n",)}
_WB = (Parameter("w", "w", ("m",)), Parameter("b", "b", ()))


def _logistic() -> Spec:
    return Spec(
        "logistic", "Logistic regression", _LOGISTIC,
        "J(w, b) = −(1/n) Σᵢ [y⁽ⁱ⁾ ln ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) ln(1 − ŷ⁽ⁱ⁾)], ŷ⁽ⁱ⁾ = σ(x⁽ⁱ⁾w + b)",
        _WB, "binary", _VECTOR_DATA, graph="logistic", hessian="w",
    )  # fmt: skip


def _linear() -> Spec:
    return Spec(
        "linear", "Linear regression (mean squared error)",
        r"\frac{1}{n}\lVert Xw + b\mathbf{1} - y\rVert_2^2",
        "J(w, b) = (1/n) Σᵢ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b",
        _WB, "regression", _VECTOR_DATA, graph="linear", hessian="w",
    )  # fmt: skip


def _logistic_l2(lam: float) -> Spec:
    if not isinstance(lam, (int, float)) or isinstance(lam, bool) or not 0 <= lam < 1e6 or lam != lam:
        raise ParseError(f"lam must be a number with 0 ≤ λ < 10⁶, not {lam!r}")
    return Spec(
        "logistic_l2", "L2-regularised logistic regression", _LOGISTIC + r" + \frac{\lambda}{2} w^T w",
        "J(w, b) = −(1/n) Σᵢ [y⁽ⁱ⁾ ln ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) ln(1 − ŷ⁽ⁱ⁾)] + (λ/2)‖w‖², b not penalised",
        _WB, "binary", _VECTOR_DATA, scalars={"lambda": float(lam)}, graph="logistic",
        forms={"w": rf"\frac{{1}}{{n}} X^T ({_SIGMA} - y) + \lambda w"}, hessian="w",
        note=f"λ = {lam:g}; scikit-learn's LogisticRegression(C = 1/(λn)) minimises C·Σᵢ L⁽ⁱ⁾ + ½‖w‖² = J/λ:"
        " the same minimum",
    )  # fmt: skip


def _softmax() -> Spec:
    return Spec(
        "softmax", "Softmax regression (k classes, cross-entropy)",
        rf"-\frac{{1}}{{n}}(\operatorname{{tr}}(Y^T {_LOGITS}) - \mathbf{{1}}^T \ln(\exp{_LOGITS}\mathbf{{1}}))",
        "J(W, b) = −(1/n) Σᵢ ln softmax(x⁽ⁱ⁾W + bᵀ)_{y⁽ⁱ⁾} = −(1/n)[tr(Yᵀ(XW + 𝟏bᵀ)) − 𝟏ᵀ ln(e^(XW + 𝟏bᵀ)𝟏)]",
        (Parameter("W", "W", ("m", "k")), Parameter("b", "b", ("k",))), "classes",
        {"X": ("n", "m"), "Y": ("n", "k")},
        note="Y is the one-hot matrix of the labels; softmax is taken row by row", softmax=True,
    )  # fmt: skip


def _mlp(hidden: int, activation: str) -> Spec:
    if not isinstance(hidden, int) or isinstance(hidden, bool) or not 1 <= hidden <= 1000:
        raise ParseError(f"hidden must be a whole number of units from 1 to 1000, not {hidden!r}")
    if activation not in _ACTIVATIONS:
        raise ParseError(f"unknown activation {activation!r}: the activations are {', '.join(_ACTIVATIONS)}")
    act = _ACTIVATIONS[activation]
    hid = rf"{act}(XW_1 + \mathbf{{1}}b_1^T)"
    out = rf"\sigma({hid} w_2 + b_2\mathbf{{1}})"
    forms: dict[str, str] = {}
    definitions: dict[str, str] = {}
    if activation in _SLOPES:
        delta = rf"((\sigma({act}(A) w_2 + b_2\mathbf{{1}}) - y) w_2^T) \odot {_SLOPES[activation]}"
        forms = {"W_1": rf"\frac{{1}}{{n}} X^T ({delta})", "b_1": rf"\frac{{1}}{{n}} ({delta})^T \mathbf{{1}}"}
        definitions = {"A": r"XW_1 + \mathbf{1}b_1^T"}

    return Spec(
        "mlp", f"One-hidden-layer network ({hidden} {activation} units, sigmoid output)",
        rf"-\frac{{1}}{{n}}(y^T \ln({out}) + (\mathbf{{1}} - y)^T \ln(\mathbf{{1}} - {out}))",
        f"H = {activation}(XW₁ + 𝟏b₁ᵀ), ŷ = σ(Hw₂ + b₂𝟏), J = −(1/n) Σᵢ [y⁽ⁱ⁾ ln ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) ln(1 − ŷ⁽ⁱ⁾)]",
        (Parameter("W1", "W_1", ("m", "h")), Parameter("b1", "b_1", ("h",)), Parameter("w2", "w_2", ("h",)),
         Parameter("b2", "b_2", ())),
        "binary", _VECTOR_DATA, forms=forms, definitions=definitions,
        note=f"h = {hidden} hidden units", fixed={"h": hidden}, step_of="A" if activation == "relu" else "",
    )  # fmt: skip
