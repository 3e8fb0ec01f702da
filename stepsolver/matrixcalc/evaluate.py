"""A matrix expression's value at concrete matrices: in floating point with NumPy, or exactly
with SymPy matrices of entry symbols (the entry-by-entry view; the steps' exact checks use the
faster polynomials of exact.py). A pending d(u) is the derivative of u along dX computed from u
itself (a complex step), never from the differential rules the steps apply."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from ..functions import to_elementary
from . import terms as t

COMPLEX_STEP = 1e-30  # u(X + i h dX) = u + i h du + O(h²): exact du to machine precision


class Backend:
    """The operations a matrix expression needs, on one kind of matrix."""

    def matmul(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def scale(self, c: Any, a: Any) -> Any:
        raise NotImplementedError

    def add(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def hadamard(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def transpose(self, a: Any) -> Any:
        raise NotImplementedError

    def inverse(self, a: Any) -> Any:
        raise NotImplementedError

    def trace(self, a: Any) -> Any:
        raise NotImplementedError

    def det(self, a: Any) -> Any:
        raise NotImplementedError

    def log_abs_det(self, a: Any) -> Any:
        raise NotImplementedError

    def norm(self, a: Any) -> Any:
        raise NotImplementedError

    def diag(self, a: Any) -> Any:
        raise NotImplementedError

    def softmax(self, a: Any) -> Any:
        raise NotImplementedError

    def row_softmax(self, a: Any) -> Any:
        """softmax of each row: a NamedFunction softmax(Z) is evaluated by this, not by its definition."""
        raise NotImplementedError

    def entrywise(self, f: sp.Expr, a: Any) -> Any:
        raise NotImplementedError

    def constant(self, value: Any, rows: int, cols: int) -> Any:
        raise NotImplementedError

    def identity(self, n: int) -> Any:
        raise NotImplementedError

    def is_scalar(self, a: Any) -> bool:
        raise NotImplementedError


class NumPyBackend(Backend):
    def matmul(self, a: Any, b: Any) -> Any:
        if a.shape == (1, 1) or b.shape == (1, 1):
            return a * b  # a 1×1 factor scales
        return a @ b

    def scale(self, c: Any, a: Any) -> Any:
        return c * a

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def hadamard(self, a: Any, b: Any) -> Any:
        return a * b

    def transpose(self, a: Any) -> Any:
        return a.T

    def inverse(self, a: Any) -> Any:
        return np.linalg.inv(a)

    def trace(self, a: Any) -> Any:
        return np.trace(a).reshape(1, 1)

    def det(self, a: Any) -> Any:
        return np.linalg.det(a).reshape(1, 1)

    def log_abs_det(self, a: Any) -> Any:
        det = np.linalg.det(a)
        # ln|det X| continued analytically off the real axis, so that the complex step works
        return np.log(det * np.sign(det.real)).reshape(1, 1)

    def norm(self, a: Any) -> Any:
        return np.sqrt(np.sum(a * a)).reshape(1, 1)  # no conjugate: analytic in the entries

    def diag(self, a: Any) -> Any:
        return np.diag(a[:, 0])

    def softmax(self, a: Any) -> Any:
        shifted = np.exp(a - a.real.max())
        return shifted / shifted.sum()

    def row_softmax(self, a: Any) -> Any:
        shifted = np.exp(a - a.real.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def entrywise(self, f: sp.Expr, a: Any) -> Any:
        return _numpy_function(f)(a)

    def constant(self, value: Any, rows: int, cols: int) -> Any:
        return np.full((rows, cols), complex(value) if np.iscomplexobj(value) else float(value))

    def identity(self, n: int) -> Any:
        return np.eye(n)

    def is_scalar(self, a: Any) -> bool:
        return bool(a.shape == (1, 1))


@lru_cache(maxsize=256)
def _numpy_function(f: sp.Expr) -> Callable[[Any], Any]:
    elementary = to_elementary(f)
    relu = elementary.has(sp.Max, sp.Heaviside)

    def heaviside(x: Any, *_: Any) -> Any:
        return np.where(np.real(x) > 0, 1.0, 0.0)

    def maximum(*xs: Any) -> Any:
        return np.where(np.real(xs[0]) > np.real(xs[1]), xs[0], xs[1]) if len(xs) == 2 else np.maximum(*xs)

    def absolute(x: Any) -> Any:  # |x| by its sign on the real part: analytic on each side of 0
        return np.where(np.real(x) >= 0, x, -x)

    def sign(x: Any) -> Any:
        return np.sign(np.real(x))

    # the complex step needs every function analytic where it is evaluated: NumPy's |z| and
    # sgn z of a complex z are not, so the pieces are taken on the real part
    pieces = {"Heaviside": heaviside, "Max": maximum, "Abs": absolute, "sign": sign}
    modules = [pieces, "numpy"] if relu or elementary.has(sp.Abs, sp.sign) else ["numpy"]
    return sp.lambdify(t.T_ARG, elementary, modules=modules)


class SymPyBackend(Backend):
    def matmul(self, a: Any, b: Any) -> Any:
        if a.shape == (1, 1):
            return a[0, 0] * b
        if b.shape == (1, 1):
            return a * b[0, 0]
        return a * b

    def scale(self, c: Any, a: Any) -> Any:
        return a * c

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def hadamard(self, a: Any, b: Any) -> Any:
        return a.multiply_elementwise(b)

    def transpose(self, a: Any) -> Any:
        return a.T

    def inverse(self, a: Any) -> Any:
        return a.adjugate() / a.det()

    def trace(self, a: Any) -> Any:
        return sp.Matrix([[a.trace()]])

    def det(self, a: Any) -> Any:
        return sp.Matrix([[a.det()]])

    def log_abs_det(self, a: Any) -> Any:
        return sp.Matrix([[sp.log(a.det())]])  # where det X > 0, which the numeric draws make so

    def norm(self, a: Any) -> Any:
        return sp.Matrix([[sp.sqrt(sum(v**2 for v in a))]])

    def diag(self, a: Any) -> Any:
        return sp.diag(*list(a))

    def softmax(self, a: Any) -> Any:
        exps = a.applyfunc(sp.exp)
        return exps / sum(exps)

    def row_softmax(self, a: Any) -> Any:
        exps = a.applyfunc(sp.exp)
        return sp.Matrix(exps.rows, exps.cols, lambda i, j: exps[i, j] / sum(exps.row(i)))

    def entrywise(self, f: sp.Expr, a: Any) -> Any:
        # σ, softplus and ReLU by their definitions: their derivatives are then SymPy's, not ours
        elementary = to_elementary(f)
        return a.applyfunc(lambda v: elementary.xreplace({t.T_ARG: v}))

    def constant(self, value: Any, rows: int, cols: int) -> Any:
        return sp.Matrix(rows, cols, lambda i, j: value)

    def identity(self, n: int) -> Any:
        return sp.eye(n)

    def is_scalar(self, a: Any) -> bool:
        return bool(a.shape == (1, 1))


class Evaluator:
    """Values of terms at one assignment: ``values`` maps each Sym (and each Dvar) to a matrix,
    ``sizes`` each dimension name to an int; ``along`` gives d(u) from u (the backend's way)."""

    def __init__(
        self,
        backend: Backend,
        values: Mapping[sp.Basic, Any],
        sizes: Mapping[sp.Symbol, int],
        along: Callable[[t.MTerm], Any] | None = None,
        exact_numbers: bool = False,
        by_definition: Callable[[Any, Evaluator], Any] | None = None,
    ):
        self.backend = backend
        self.values = values
        self.sizes = sizes
        self.along = along
        self.exact_numbers = exact_numbers or isinstance(backend, SymPyBackend)
        self.by_definition = by_definition
        self._memo: dict[sp.Basic, Any] = {}

    def size(self, dim: sp.Expr) -> int:
        return int(dim.xreplace(dict(self.sizes)))

    def number(self, value: sp.Expr) -> Any:
        exact = sp.sympify(value).xreplace({dim: sp.Integer(size) for dim, size in self.sizes.items()})
        if self.exact_numbers:
            return exact
        return complex(exact) if not exact.is_real else float(exact)

    def __call__(self, term: sp.Basic) -> Any:
        if term in self._memo:
            return self._memo[term]
        value = self._value(term)
        self._memo[term] = value
        return value

    def _value(self, term: sp.Basic) -> Any:
        b = self.backend
        if isinstance(term, (t.Sym, t.Dvar)):
            return self.values[term]
        if isinstance(term, t.Const):
            return b.constant(self.number(term.value), 1, 1)
        if isinstance(term, t.Ones):
            return b.constant(1, self.size(term.shape[0]), self.size(term.shape[1]))
        if isinstance(term, t.Zero):
            return b.constant(0, self.size(term.shape[0]), self.size(term.shape[1]))
        if isinstance(term, t.Identity):
            return b.identity(self.size(term.shape[0]))
        if isinstance(term, t.NamedFunction):  # by what its name says, so that naming it is checked
            if term.name != "softmax":
                raise ValueError(f"no evaluation for the function {term.name}")
            return b.row_softmax(self(term.argument))
        if isinstance(term, t.Named):
            return self(term.definition)
        if isinstance(term, (t.Grad, t.Jac)):
            if self.by_definition is not None:
                return self.by_definition(term, self)
            return self._by_definition(term)
        if isinstance(term, t.D):
            if self.along is None:
                raise ValueError("a pending differential needs a direction")
            return self.along(term.arg)
        if isinstance(term, t.Sum):
            out = self(term.args[0])
            for arg in term.args[1:]:
                out = b.add(out, self(arg))
            return out
        if isinstance(term, t.Prod):
            out = self(term.args[0])
            for arg in term.args[1:]:
                out = b.matmul(out, self(arg))
            return out
        if isinstance(term, t.Had):
            out = self(term.args[0])
            for arg in term.args[1:]:
                out = b.hadamard(out, self(arg))
            return out
        if isinstance(term, t.Elementwise):
            return b.entrywise(term.function, self(term.arg))
        unary: dict[type, Callable[[Any], Any]] = {
            t.T: b.transpose,
            t.Inv: b.inverse,
            t.Tr: b.trace,
            t.Det: b.det,
            t.LogAbsDet: b.log_abs_det,
            t.Norm2: b.norm,
            t.Diag: b.diag,
            t.Softmax: b.softmax,
        }
        return unary[type(term)](self(term.args[0]))

    def _by_definition(self, term: t.Grad | t.Jac) -> Any:
        """∂f/∂x_ij entry by entry from f itself: the definition the read-off step is checked by."""
        f, var = term.args
        point = self.values[var]
        rows, cols = point.shape
        out = None
        for index in np.ndindex(rows, cols):
            bump = np.zeros((rows, cols))
            bump[index] = 1.0
            if isinstance(term, t.Grad) or not isinstance(f, t.Grad):  # f analytic: a complex step, exact
                moved = dict(self.values)
                moved[var] = point + 1j * COMPLEX_STEP * bump
                slope = np.imag(Evaluator(self.backend, moved, self.sizes)(f)) / COMPLEX_STEP
            else:  # a Jacobian of a gradient: central differences of the complex-step gradient
                h = 1e-5 * max(1.0, float(np.max(np.abs(point))))
                up, down = dict(self.values), dict(self.values)
                up[var], down[var] = point + h * bump, point - h * bump
                slope = (
                    np.real(Evaluator(self.backend, up, self.sizes)(f))
                    - np.real(Evaluator(self.backend, down, self.sizes)(f))
                ) / (2 * h)
            if isinstance(term, t.Grad):
                out = np.zeros((rows, cols)) if out is None else out
                out[index] = np.real(slope).item()
            else:
                out = np.zeros((slope.shape[0], rows)) if out is None else out
                out[:, index[0]] = np.real(slope)[:, 0]
        return out


class NumericPoint:
    """One random draw, evaluated in float64; d(u) by a complex step along values[Dvar(var)].
    Values are remembered from term to term: consecutive steps share most of their parts."""

    def __init__(self, values: Mapping[sp.Basic, np.ndarray], sizes: Mapping[sp.Symbol, int], var: t.Sym | None):
        self.plain = Evaluator(NumPyBackend(), values, sizes, self._along if var is not None else None)
        if var is not None:
            stepped = dict(values)
            stepped[var] = values[var] + 1j * COMPLEX_STEP * values[t.Dvar(var)]
            self.stepped = Evaluator(NumPyBackend(), stepped, sizes)

    def _along(self, u: t.MTerm) -> np.ndarray:
        return np.imag(self.stepped(u)) / COMPLEX_STEP

    def __call__(self, term: sp.Basic) -> np.ndarray:
        # a log of a negative entry is a nan that the checks report; NumPy's warning is not for the user
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.plain(term)


def numeric(
    term: sp.Basic, values: Mapping[sp.Basic, np.ndarray], sizes: Mapping[sp.Symbol, int], var: t.Sym | None = None
) -> np.ndarray:
    """The value in float64 (complex inside), once."""
    return NumericPoint(values, sizes, var)(term)
