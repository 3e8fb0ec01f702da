"""``model(name)``: a model of the lecture, derived step by step, checked, and fitted.

The derivation composes the house's parts: the per-example computation graph and its backward
pass (graph code, step engine), the average over the examples (checked at n = 1, 2, 3), the
matrix form of every parameter's gradient (matrix calculus), shown equal to the averaged form
and, where the lecture writes it otherwise, to its textbook form; the Hessian for convexity.
The cost and the gradients the fit runs on are compiled from those results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from ..core.derivation import Derivation, VerificationReport
from ..core.display import Displayable
from ..core.rules import Rule
from ..errors import DomainError, ParseError, ShapeError
from ..matrixcalc import terms as t
from ..matrixcalc.api import MatrixGradient, matrix_gradient
from ..matrixcalc.check import MatrixStep
from ..matrixcalc.read import declare, read_matrix
from .averaging import Averaged, averaged
from .catalogue import Parameter, Spec, spec
from .compile import Compiled, compile_terms, row_blocks
from .contexts import ModelContext
from .data import MAX_ROWS
from .fit import FitResult, gradient_descent
from .gradcheck import GradientCheck, check_gradient
from .per_example import OPERATIONS, PerExample, per_example_graph
from .rules import ROW_SOFTMAX, TEXTBOOK_FORM
from .softmax_rows import named_softmax, ones_matrices

MAX_FEATURES = 100_000


@dataclass
class ModelDerivation(Displayable):
    """The whole derivation of a model: every part a house derivation, every step checked."""

    spec: Spec
    per_example: PerExample | None
    averaged: Averaged | None
    gradients: dict[str, MatrixGradient]  # parameter name → ∇ by the matrix calculus
    forms: dict[str, Derivation[ModelContext]] = field(default_factory=dict)  # engine's form = textbook form
    hessian: MatrixGradient | None = None
    names: dict[str, t.Named] = field(default_factory=dict)  # A = XW_1 + 𝟏b_1ᵀ: the parts the forms name

    def __repr__(self) -> str:
        report = self.verify()
        numeric = sum(check.status == "numeric" for _, check in report.checks)
        state = f"{len(report.checks)} checks hold, {numeric} of them numerically only" if report.ok else "NOT VERIFIED"
        return f"<derivation of the {self.spec.name} model: {len(self.parts())} parts, {state}>"

    @property
    def input(self) -> str:
        return self.spec.cost

    @property
    def kind(self) -> str:
        return "model"

    def final(self, parameter: str) -> t.MTerm:
        """∇ of the cost with respect to a parameter, in the form shown last (and compiled)."""
        if parameter in self.forms:
            return self.forms[parameter].result  # type: ignore[no-any-return]
        return self.gradients[parameter].gradient

    def parts(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        if self.per_example is not None:
            out += [(f"per-example {d.input.replace('yhat', 'ŷ')}", d) for d in self.per_example.adjoints]
        if self.averaged is not None:
            out += [(f"averaged {name}", d) for name, d in self.averaged.parts.items()]
        out += [(f"matrix form ∇_{name}", g) for name, g in self.gradients.items()]
        out += [(f"textbook form ∇_{name}", d) for name, d in self.forms.items()]
        if self.hessian is not None:
            out.append(("Hessian", self.hessian))
        return out

    def verify(self) -> VerificationReport:
        return VerificationReport.of(self.parts())


def derive(s: Spec) -> ModelDerivation:
    declared = declare(s.shapes)
    gradients = {p.symbol: matrix_gradient(s.cost, p.symbol, s.shapes) for p in s.parameters}
    forms: dict[str, Derivation[ModelContext]] = {}
    named = {n: t.Named(n, read_matrix(d, declared)) for n, d in s.definitions.items()}
    if s.step_of:  # ReLU′(A): 1 where A > 0, 0 where A < 0 (SymPy's H(0) = ½ is never drawn)
        named["D"] = t.Named("D", t.Elementwise(sp.Heaviside(t.T_ARG), named[s.step_of]))
    for symbol, text in s.forms.items():
        written = read_matrix(text, {**declared, **{n: t.Sym(n, *v.shape) for n, v in named.items()}})
        written = ones_matrices(written.xreplace({t.Sym(n, *v.shape): v for n, v in named.items()}))
        forms[symbol] = _in_another_form(TEXTBOOK_FORM, gradients[symbol], written)
    if s.softmax:
        for p in s.parameters:
            engine = gradients[p.symbol]
            forms[p.symbol] = _in_another_form(ROW_SOFTMAX, engine, named_softmax(engine.gradient))
    per_example = averaged_parts = None
    if s.graph:
        per_example = per_example_graph(OPERATIONS[s.graph]())
        matrix = {"w": forms["w"].result if "w" in forms else gradients["w"].gradient, "b": gradients["b"].gradient}
        averaged_parts = averaged(per_example, matrix, declared, penalised="lambda" in s.scalars)
    hessian = matrix_gradient(s.cost, s.hessian, s.shapes, order=2) if s.hessian else None
    return ModelDerivation(s, per_example, averaged_parts, gradients, forms, hessian, named)


def _in_another_form(rule: Rule, engine: MatrixGradient, written: t.MTerm) -> Derivation[ModelContext]:
    """The engine's gradient = the same gradient as the lecture writes it: one step, checked at the
    engine's own random draws of the shapes (its checker)."""
    step = MatrixStep(rule, engine.gradient, written)
    step.checker = engine.steps[-1].checker  # type: ignore[attr-defined]
    name = engine.var.name
    return Derivation(f"∇_{name} J", engine.gradient, [step], ModelContext("textbook", name))


class Model:
    """A model of the lecture: ``derivation``, ``init``, ``cost``, ``gradient``, ``fit``."""

    def __init__(self, s: Spec, key: tuple[Any, ...] = ()):
        self.spec = s
        self.name = s.name
        self.key = key or (s.name,)

    def __repr__(self) -> str:
        return f"model({self.name!r})"

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.spec.parameters)

    @property
    def derivation(self) -> ModelDerivation:
        """Derived once per model and options in a process (it takes seconds: the steps are checked)."""
        from ..core.envelope import worked

        if self.key not in _DERIVED:
            _DERIVED[self.key] = worked(lambda: derive(self.spec), f"the {self.name} model", seconds=120.0)
        return _DERIVED[self.key]

    @cached_property
    def compiled(self) -> tuple[Compiled, dict[str, Compiled]]:
        """J and every ∇ as NumPy, from the derivation's results, sharing their common parts
        (derived and compiled on first use: a caller timing a fit asks for them first)."""
        d = self.derivation
        terms = [d.gradients[self.spec.parameters[0].symbol].f] + [d.final(p.symbol) for p in self.spec.parameters]
        f, *grads = compile_terms(terms)
        return f, {p.name: g for p, g in zip(self.spec.parameters, grads, strict=True)}

    # --- data and parameters -------------------------------------------------------------
    def _data(self, X: Any, y: Any, scan: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """X and y as arrays, checked; ``scan=False`` leaves X's entries to the results' check
        (a NaN or ∞ in X makes the gradient NaN or ∞): an extra pass over a large X costs more
        than the gradient itself."""
        X = _numbers(X, "X")
        if X.ndim == 1:
            X = X.reshape(-1, 1)
        if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
            raise ShapeError(f"X must be a non-empty n×m matrix, not of shape {X.shape}")
        if X.shape[0] > MAX_ROWS or X.shape[1] > MAX_FEATURES:
            raise ShapeError(f"X is {X.shape[0]}×{X.shape[1]}: at most {MAX_ROWS} rows and {MAX_FEATURES} columns")
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ShapeError(f"y must be a vector of the {X.shape[0]} labels of X's rows, not of shape {y.shape}")
        if scan:
            _require_finite(X)
        labels = self.spec.labels
        if labels == "binary":
            y = _numbers(y, "y")
            bad = ~((y == 0) | (y == 1))
            if bad.any():
                raise ParseError(f"{self.name} needs labels 0 or 1; y[{int(np.argmax(bad))}] = {y[bad][0]!r}")
        elif labels == "classes":
            yf = _numbers(y, "y")
            if not np.all(np.isfinite(yf)) or np.any(yf != np.round(yf)) or np.any(yf < 0):
                raise ParseError("softmax needs integer class labels 0, 1, …, k − 1")
            y = yf.astype(np.int64)
        else:
            y = _numbers(y, "y")
            if not np.all(np.isfinite(y)):
                raise ParseError("y has a value that is not a finite number")
        return X, y

    def _classes(self, y: np.ndarray, given: Mapping[str, Any] | None = None) -> int:
        if given and "b" in given:
            return int(np.asarray(given["b"]).reshape(-1).shape[0])
        return max(2, int(y.max()) + 1)

    def _sizes(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        sizes = {"n": X.shape[0], "m": X.shape[1]}
        if self.spec.labels == "classes":
            sizes["k"] = self._classes(y, params)
        sizes.update(self.spec.fixed)
        return sizes

    def init(self, X: Any, y: Any, seed: int = 0) -> dict[str, Any]:
        """Random parameters of the right shapes (small, and different per unit where that matters)."""
        X, y = self._data(X, y)
        sizes = self._sizes(X, y)
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ParseError(f"seed must be a whole number ≥ 0, not {seed!r}")
        rng = np.random.default_rng(seed)
        out: dict[str, Any] = {}
        for p in self.spec.parameters:
            shape = tuple(sizes[d] for d in p.dims)
            scale = 1.0 / np.sqrt(sizes["m"]) if self.name == "mlp" else 0.01
            value = rng.normal(scale=scale, size=shape)
            out[p.name] = float(value) if shape == () else value
        return out

    def _values(
        self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any]
    ) -> tuple[dict[Any, Any], dict[sp.Symbol, int]]:
        sizes = self._sizes(X, y, params)
        values: dict[str, np.ndarray] = {"X": X}
        if self.spec.labels == "classes":
            if int(y.max()) >= sizes["k"]:
                raise ParseError(f"label {int(y.max())} needs k > {int(y.max())}, but b has {sizes['k']} entries")
            onehot = np.zeros((X.shape[0], sizes["k"]))
            onehot[np.arange(X.shape[0]), y] = 1.0
            values["Y"] = onehot
        else:
            values["y"] = y.reshape(-1, 1)
        missing = [p.name for p in self.spec.parameters if p.name not in params]
        extra = [k for k in params if k not in self.parameters]
        if missing or extra:
            raise ParseError(
                f"{self.name} has the parameters {', '.join(self.parameters)}; "
                + (f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(extra)}")
            )
        for p in self.spec.parameters:
            values[p.symbol] = _as_matrix(p, params[p.name], sizes)
        for name, number in self.spec.scalars.items():
            values[name] = np.array([[number]])
        dims = {sp.Symbol(k, integer=True, positive=True): v for k, v in sizes.items()}
        return values, dims

    # --- evaluation ----------------------------------------------------------------------
    def cost(self, X: Any, y: Any, **params: Any) -> float:
        X, y = self._data(X, y, scan=False)
        value = self.raw_cost(X, y, params)
        if not np.isfinite(value):
            _require_finite(X)
            raise DomainError(f"J is not a finite number at these parameters ({value}): an overflow")
        return value

    def raw_cost(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any]) -> float:
        """J on data already checked, finite or not (a diverging descent sees ∞)."""
        f, _ = self.compiled
        with np.errstate(all="ignore"):
            (value,) = self._blocked(X, y, params, [f])
        return float(value.item())

    def cost_in(self, dtype: Any, X: Any, y: Any, **params: Any) -> float:
        """The cost with every number in ``dtype`` (float32: what a float32 check would see)."""
        X, y = self._data(X, y)
        f, _ = self.compiled
        values, dims = self._values(X, y, params)
        return float(f({k: v.astype(dtype) for k, v in values.items()}, dims).item())

    def check(self, n: int = 20, features: int = 3, seed: int = 0) -> GradientCheck:
        """The derived gradient against central differences in float64 (and what float32 shows)."""
        return check_gradient(self, n, features, seed)

    def gradient(self, X: Any, y: Any, **params: Any) -> dict[str, Any]:
        X, y = self._data(X, y, scan=False)
        out = self.raw_gradient(X, y, params)
        if not all(np.all(np.isfinite(g)) for g in out.values()):
            _require_finite(X)
            raise DomainError("the gradient is not finite at these parameters: an overflow")
        return out

    def raw_gradient(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any]) -> dict[str, Any]:
        return self.raw_cost_and_gradient(X, y, params, cost=False)[1]

    def raw_cost_and_gradient(
        self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any], cost: bool = True
    ) -> tuple[float, dict[str, Any]]:
        """J and ∇J in one pass over the data (a descent needs both at every step), unchecked."""
        f, grads = self.compiled
        fns = ([f] if cost else []) + [grads[p.name] for p in self.spec.parameters]
        with np.errstate(all="ignore"):
            values = self._blocked(X, y, params, fns)
        value = float(values.pop(0).item()) if cost else float("nan")
        out: dict[str, Any] = {}
        for p, part in zip(self.spec.parameters, values, strict=True):
            out[p.name] = float(part.item()) if p.dims == () else part.reshape(_shape(p, part))
        return value, out

    def _blocked(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, Any], fns: list[Compiled]) -> list[Any]:
        """Σ_b (n_b/n)·fn on row blocks, for each fn: J is a mean over the examples plus a penalty
        of the parameters alone, so its value and gradient on the whole data are these weighted
        sums; each block of X is read from memory once for all of them."""
        values, dims = self._values(X, y, params)
        n = X.shape[0]
        rows_dim = next(dim for dim in dims if dim.name == "n")
        data = [name for name in ("X", "y", "Y") if name in values]
        totals: list[Any] = [None] * len(fns)
        for rows in row_blocks(n, X.shape[1]):
            block = {name: (v[rows] if name in data else v) for name, v in values.items()}
            sizes = {**dims, rows_dim: rows.stop - rows.start}
            weight = (rows.stop - rows.start) / n
            for index, fn in enumerate(fns):
                part = fn(block, sizes) * weight
                totals[index] = part if totals[index] is None else totals[index] + part
        return totals

    def fit(
        self,
        X: Any,
        y: Any,
        lr: float = 0.1,
        tol: float = 1e-6,
        max_iter: int = 10_000,
        standardize: bool = False,
        init: Mapping[str, Any] | None = None,
        seed: int = 0,
        progress: Any = None,
    ) -> FitResult:
        return gradient_descent(self, X, y, lr, tol, max_iter, standardize, init, seed, progress)


def _numbers(values: Any, name: str) -> np.ndarray:
    """An array of real numbers, or a one-line error (text, complex numbers, ragged lists)."""
    try:
        array = np.asarray(values)
        if np.iscomplexobj(array):
            raise ParseError(f"{name} holds complex numbers: the models are real")
        return np.asarray(array, dtype=float)
    except (TypeError, ValueError) as error:
        if isinstance(error, ParseError):
            raise
        raise ParseError(f"{name} must hold numbers only ({str(error).splitlines()[0]})") from None


def _require_finite(X: np.ndarray) -> None:
    if not np.all(np.isfinite(X)):
        row = int(np.argwhere(~np.isfinite(X))[0][0])
        raise ParseError(f"X has a value that is not a finite number (row {row})")


def _as_matrix(p: Parameter, value: Any, sizes: Mapping[str, int]) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    want = tuple(sizes[d] for d in p.dims)
    if array.shape != want and not (p.dims == () and array.size == 1):
        raise ShapeError(f"{p.name} must have shape {want}, not {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ParseError(f"{p.name} has a value that is not a finite number")
    return array.reshape(-1, 1) if len(p.dims) <= 1 else array


def _shape(p: Parameter, value: np.ndarray) -> tuple[int, ...]:
    return (value.shape[0],) if len(p.dims) == 1 else value.shape


def model(name: str, *, lam: float | None = None, hidden: int | None = None, activation: str | None = None) -> Model:
    """One of the lecture's models: ``"logistic"``, ``"linear"``, ``"logistic_l2"`` (``lam=λ``),
    ``"softmax"``, ``"mlp"`` (``hidden=h``, ``activation="tanh"|"relu"|"sigmoid"``)."""
    return Model(spec(name, lam=lam, hidden=hidden, activation=activation), (name, lam, hidden, activation))


_DERIVED: dict[tuple[Any, ...], ModelDerivation] = {}
