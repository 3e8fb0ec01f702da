"""A derived matrix expression compiled to NumPy: the cost and gradients a fit runs on.

The functions are built from the derivation's own result term by walking it once, never from a
hand-written formula and never through eval. Three things make them fit for data rather than for
a check at 3×4 matrices:

- products are evaluated in the cheapest order for the actual shapes, and a scalar factor is
  applied last, to the smallest operand: (1/n)·Xᵀv never copies X;
- ln σ(u), ln(𝟏 − σ(u)) and ln(e^Z𝟏) are evaluated in their stable forms (−log(1 + e^(−u)), the
  same at −u, and the log-sum-exp), mathematically the same functions, so a confident model's
  cost is finite;
- a cost that is a mean over the examples plus a penalty of the parameters alone has, on row
  blocks of the data, the gradient Σ_b (n_b/n) ∇J_b: evaluated block by block, each block of X is
  read from memory once and multiplied twice while it sits in the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from ..functions import sigmoid
from ..matrixcalc import terms as t

# the named matrices (2-D arrays) of ONE evaluation: the compiled parts keep their values there too
# (under their compiler's own key), so that a part shared by several terms (σ(Xw + b𝟏) in ∇_w and
# ∇_b) is computed once; a new evaluation takes a new dict
Values = dict[Any, Any]
Compiled = Callable[[Values, dict[sp.Symbol, int]], np.ndarray]

# a block of X that stays in the cache between its two products: measured at n = 10⁶, m = 100 on
# this machine (2 cores, 260 MB L3), 16 MB blocks ran at 1.1× the two-pass bound, 1 MB at 2.3×
# (the products too small for both cores), the whole X at once at 1.4×
BLOCK_BYTES = 16 << 20


def compile_term(term: t.MTerm) -> Compiled:
    """``term`` as a function of the named matrices and the sizes of its dimensions."""
    return compile_terms([term])[0]


def compile_terms(terms: list[t.MTerm]) -> list[Compiled]:
    """Several terms, sharing their common parts: evaluate them with one ``values`` dict."""
    compiler = _Compiler()
    return [compiler.walk(term) for term in terms]


class _Compiler:
    def __init__(self) -> None:
        self.built: dict[t.MTerm, Compiled] = {}
        self.memo = object()  # where this compiler's parts keep their values in one evaluation's dict

    def walk(self, term: t.MTerm) -> Compiled:
        if term in self.built:
            return self.built[term]
        fn = self._build(term)
        if isinstance(term, t.Sym):
            self.built[term] = fn
            return fn
        key, memo = len(self.built), self.memo

        def remembered(v: Values, d: dict[sp.Symbol, int]) -> np.ndarray:
            values = v.setdefault(memo, {})
            found = values.get(key)
            if found is None:
                found = values[key] = fn(v, d)
            return found

        self.built[term] = remembered
        return remembered

    def _build(self, term: t.MTerm) -> Compiled:
        stable = self._stable(term)
        if stable is not None:
            return stable
        if isinstance(term, t.Sym):
            name = term.name
            return lambda v, d: v[name]
        if isinstance(term, t.Const):
            number = _of_sizes(sp.sympify(term.value))
            return lambda v, d: np.array([[number(d)]], dtype=_dtype(v))
        if isinstance(term, (t.Ones, t.Zero)):
            fill = 1.0 if isinstance(term, t.Ones) else 0.0
            rows, cols = (_of_sizes(sp.sympify(dim)) for dim in term.shape)
            return lambda v, d: np.full((int(rows(d)), int(cols(d))), fill, dtype=_dtype(v))
        if isinstance(term, t.Identity):
            rows = _of_sizes(sp.sympify(term.shape[0]))
            return lambda v, d: np.eye(int(rows(d)), dtype=_dtype(v))
        if isinstance(term, t.NamedFunction) and term.name == "softmax":  # by rows, shifted: e^709 overflows
            z = self.walk(term.argument)
            return lambda v, d: _softmax_rows(z(v, d))
        if isinstance(term, t.Named):
            return self.walk(term.definition)
        if isinstance(term, t.Sum):
            parts = [self.walk(a) for a in term.args]
            return lambda v, d: _sum(p(v, d) for p in parts)
        if isinstance(term, t.Prod):
            return self._product(term)
        if isinstance(term, t.Had):
            parts = [self.walk(a) for a in term.args]
            return lambda v, d: _hadamard(p(v, d) for p in parts)
        if isinstance(term, t.T):
            inner = self.walk(term.args[0])
            return lambda v, d: inner(v, d).T
        if isinstance(term, t.Tr):
            inner = self.walk(term.args[0])
            return lambda v, d: np.array([[np.trace(inner(v, d))]])
        if isinstance(term, t.Norm2):
            inner = self.walk(term.args[0])
            return lambda v, d: np.array([[np.linalg.norm(inner(v, d))]])
        if isinstance(term, t.Diag):
            inner = self.walk(term.args[0])
            return lambda v, d: np.diag(inner(v, d)[:, 0])
        if isinstance(term, t.Elementwise):
            f, inner = _entrywise(term.function), self.walk(term.arg)
            return lambda v, d: f(inner(v, d))
        raise TypeError(f"cannot compile {type(term).__name__} to NumPy")

    def _stable(self, term: t.MTerm) -> Compiled | None:
        if not (isinstance(term, t.Elementwise) and term.function == sp.log(t.T_ARG)):
            return None
        arg = term.arg
        if _is_sigmoid(arg):  # ln σ(u) = −ln(1 + e^(−u))
            u = self.walk(arg.arg)
            return lambda v, d: -np.logaddexp(0.0, -u(v, d))
        rest = _one_minus(arg)
        if rest is not None and _is_sigmoid(rest):  # ln(1 − σ(u)) = −ln(1 + e^u)
            u = self.walk(rest.arg)
            return lambda v, d: -np.logaddexp(0.0, u(v, d))
        if isinstance(arg, t.Prod) and len(arg.args) == 2 and isinstance(arg.args[1], t.Ones):
            inner = arg.args[0]
            if isinstance(inner, t.Elementwise) and inner.function == sp.exp(t.T_ARG):  # ln(e^Z 𝟏): log-sum-exp
                z = self.walk(inner.arg)
                return lambda v, d: _logsumexp_rows(z(v, d))
        return None

    def _product(self, term: t.Prod) -> Compiled:
        scalars = [self.walk(a) for a in term.args if a.shape == (1, 1) and not isinstance(a, t.Ones)]
        factors = [self.walk(a) for a in term.args if not (a.shape == (1, 1) and not isinstance(a, t.Ones))]

        def product(v: Values, d: dict[sp.Symbol, int]) -> np.ndarray:
            out = _chain([f(v, d) for f in factors]) if factors else np.ones((1, 1))
            scale = 1.0
            for c in scalars:
                scale = scale * c(v, d).item()
            return out if scale == 1.0 else scale * out

        return product


def _chain(mats: list[np.ndarray]) -> np.ndarray:
    """A matrix product in the cheapest order for these shapes (the textbook dynamic programme)."""
    if len(mats) == 1:
        return mats[0]
    if len(mats) == 2:
        return mats[0] @ mats[1]
    dims = [mats[0].shape[0]] + [m.shape[1] for m in mats]
    count = len(mats)
    cost = [[0.0] * count for _ in range(count)]
    split = [[0] * count for _ in range(count)]
    for length in range(1, count):
        for a in range(count - length):
            b = a + length
            cost[a][b] = float("inf")
            for k in range(a, b):
                c = cost[a][k] + cost[k + 1][b] + dims[a] * dims[k + 1] * dims[b + 1]
                if c < cost[a][b]:
                    cost[a][b], split[a][b] = c, k

    def build(a: int, b: int) -> np.ndarray:
        if a == b:
            return mats[a]
        k = split[a][b]
        return build(a, k) @ build(k + 1, b)

    return build(0, count - 1)


def _sum(parts: Any) -> np.ndarray:
    out = None
    for p in parts:
        out = p if out is None else out + p
    assert out is not None
    return out


def _hadamard(parts: Any) -> np.ndarray:
    out = None
    for p in parts:
        out = p if out is None else out * p
    assert out is not None
    return out


def _dtype(values: Values) -> Any:
    """The data's float type: float32 values stay float32 (the check of what float32 would show)."""
    return values["X"].dtype if "X" in values else np.float64


def _of_sizes(expr: sp.Expr) -> Callable[[dict[sp.Symbol, int]], float]:
    """A number written in the dimensions (−1/n, 2/n, m) as a function of their sizes, walked once."""
    if expr.is_number:
        value = float(expr)
        return lambda d: value
    if isinstance(expr, sp.Symbol):
        return lambda d: float(d[expr])
    parts = [_of_sizes(a) for a in expr.args]
    if isinstance(expr, sp.Add):
        return lambda d: sum(p(d) for p in parts)
    if isinstance(expr, sp.Mul):
        return lambda d: float(np.prod([p(d) for p in parts]))
    if isinstance(expr, sp.Pow):
        base, power = parts
        return lambda d: base(d) ** power(d)
    raise TypeError(f"cannot compile the number {expr} to NumPy")


def _is_sigmoid(term: t.MTerm) -> bool:
    return isinstance(term, t.Elementwise) and term.function == sigmoid(t.T_ARG)


def _one_minus(term: t.MTerm) -> t.MTerm | None:
    """u for 𝟏 − u, else None."""
    if isinstance(term, t.Sum) and len(term.args) == 2 and isinstance(term.args[0], t.Ones):
        other = term.args[1]
        negated = isinstance(other, t.Prod) and len(other.args) == 2 and isinstance(other.args[0], t.Const)
        if negated and other.args[0].value == -1:
            return other.args[1]
    return None


def _logsumexp_rows(z: np.ndarray) -> np.ndarray:
    top = np.max(z, axis=1, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=1, keepdims=True))


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - np.max(z, axis=1, keepdims=True))
    return shifted / np.sum(shifted, axis=1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # σ(x) = ½(1 + tanh(x/2)): no overflow of e^(−x) for very negative x
    return 0.5 * (1.0 + np.tanh(0.5 * x))


_KNOWN: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": _sigmoid,
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "ReLU": lambda x: np.maximum(x, 0.0),
    "softplus": lambda x: np.logaddexp(0.0, x),
}


_RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "!=": np.not_equal,
}  # fmt: skip


def _entrywise(f: sp.Expr) -> Callable[[np.ndarray], np.ndarray]:
    """f(T_ARG) entry by entry: a known function by its stable NumPy form, a power by **."""
    if isinstance(f, sp.Function) and f.args == (t.T_ARG,) and f.func.__name__ in _KNOWN:
        return _KNOWN[f.func.__name__]
    return _scalar(f)


def _scalar(f: sp.Expr) -> Callable[[np.ndarray], np.ndarray]:
    """A scalar expression in T_ARG, walked once into NumPy operations (σ(t)(1 − σ(t)), t², H(t))."""
    if f == t.T_ARG:
        return lambda x: x
    if f.is_number:
        value = float(f)
        return lambda x: np.full_like(x, value)
    if isinstance(f, sp.Piecewise):  # ReLU′: where no piece holds (t = 0), there is no derivative
        pieces = [(_scalar(e), _scalar(c)) for e, c in f.args]
        return lambda x: np.select([c(x) for _, c in pieces], [e(x) for e, _ in pieces], np.nan)
    if f is sp.true:
        return lambda x: np.ones_like(x, dtype=bool)
    parts = [_scalar(a) for a in f.args]
    if isinstance(f, sp.Add):
        return lambda x: _sum(p(x) for p in parts)
    if isinstance(f, sp.Mul):
        return lambda x: _hadamard(p(x) for p in parts)
    if isinstance(f, sp.Pow) and f.exp.is_number:
        base, power = parts[0], float(f.exp)
        return lambda x: np.power(base(x), power)
    if isinstance(f, sp.Heaviside):  # ReLU′: 0 below, 1 above (at 0 exactly, its value is ½)
        inner = parts[0]
        return lambda x: np.heaviside(inner(x), 0.5)
    if isinstance(f, sp.core.relational.Relational) and f.rel_op in _RELATIONS:
        left, right, op = parts[0], parts[1], _RELATIONS[f.rel_op]
        return lambda x: op(left(x), right(x))
    if isinstance(f, sp.Function) and len(parts) == 1 and f.func.__name__ in _KNOWN:
        known, inner = _KNOWN[f.func.__name__], parts[0]
        return lambda x: known(inner(x))
    raise TypeError(f"cannot compile the entry-wise function {f} to NumPy")


def row_blocks(rows: int, cols: int) -> list[slice]:
    """Row blocks of a rows×cols float64 matrix of about BLOCK_BYTES each."""
    size = max(64, BLOCK_BYTES // max(1, 8 * cols))
    return [slice(start, min(rows, start + size)) for start in range(0, rows, size)]
