"""matrix_gradient: the gradient (Jacobian, Hessian) of a matrix expression by differentials,
every step checked, the result checked against central finite differences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..core.contexts import Context
from ..core.derivation import Derivation, VerificationReport
from ..core.envelope import worked
from ..core.verify import Check
from ..errors import ParseError, RuleError
from . import rules as r
from . import terms as t
from .check import MatrixChecker, make_step_factory, size_text
from .differential import DiffContext, differential_steps, name_parts, tidy
from .linear_form import Target, canonical_steps
from .simplify import simplify_steps

FD_TOLERANCE = 1e-7  # CS231n's bound on |a − n| / (|a| + |n|) in float64


@dataclass(frozen=True)
class MatrixContext(Context):
    """What a matrix derivation is about: f, the variable, the declared shapes, which object."""

    what: str  # "differential", "gradient", "jacobian", "hessian"
    var: t.Sym
    shapes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    names: tuple[t.Named, ...] = ()  # the parts the steps call z, u, … (z = Xw + b𝟏)

    @property
    def kind(self) -> str:
        return {"differential": "matrix_differential", "gradient": "matrix_gradient"}.get(self.what, self.what)

    def variables(self) -> dict[str, Any]:
        return {
            "wrt": self.var.name,
            "shapes": {name: list(dims) for name, dims in self.shapes},
            "layout": "denominator (∇ has the shape of the variable)"
            if self.what == "gradient"
            else "numerator (rows for f, columns for the variable)",
        }


@dataclass
class FiniteDifferenceCheck:
    """The result against central differences of f in float64, as the last check."""

    relative_error: float
    sizes: dict[sp.Symbol, int]
    h: float
    # what rounding alone can make |a − n|: f's values are good to ~1e-16·|f|, divided by 2h
    # (x ᵀx + 10⁸ cannot be differenced to 7 digits; a zero gradient has no relative error)
    rounding: float = 0.0
    difference: float = 0.0

    @property
    def within_rounding(self) -> bool:
        return self.relative_error > FD_TOLERANCE and self.difference <= self.rounding

    @property
    def ok(self) -> bool:
        return self.relative_error <= FD_TOLERANCE or self.difference <= self.rounding

    def as_check(self) -> Check:
        method = (
            f"against central differences in float64 at random matrices with {size_text(self.sizes)}:"
            f" relative error {self.relative_error:.1e}"
        )
        if self.within_rounding:
            method += f" (|a − n| = {self.difference:.1e}, within the rounding of f's values, {self.rounding:.1e})"
        return Check("numeric" if self.ok else "failed", method)


@dataclass
class MatrixGradient(Derivation[MatrixContext]):
    """∇_X f (or the Jacobian ∂f/∂x, or the Hessian) worked by differentials.

    The steps read the result off the differential (its derivation is the first step's side
    derivation, ``differential``) and tidy it. ``gradient`` is the result in this package's
    nodes; ``result`` is SymPy's own matrix expression of it where SymPy has one."""

    f: t.MTerm = field(default=None)  # type: ignore[assignment]
    var: t.Sym = field(default=None)  # type: ignore[assignment]
    differential: Derivation[MatrixContext] | None = None
    finite_differences: FiniteDifferenceCheck | None = None
    first: MatrixGradient | None = None  # for a Hessian: the gradient it is the Jacobian of
    note: str = ""

    @property
    def gradient(self) -> t.MTerm:
        return self.steps[-1].after if self.steps else self.start

    @property
    def result(self) -> Any:
        from .sympy_form import to_sympy

        return to_sympy(self.gradient)

    def verify(self) -> VerificationReport:
        report = super().verify()
        checks = list(report.checks)
        if self.differential is not None:
            checks = [(f"the differential, {where}", c) for where, c in self.differential.verify().checks] + checks
        if self.first is not None:
            checks = [(f"the gradient, {where}", c) for where, c in self.first.verify().checks] + checks
        if self.finite_differences is not None:
            checks.append(("the result", self.finite_differences.as_check()))
        return VerificationReport(checks)

    def evaluate(self, values: Mapping[str, Any]) -> np.ndarray:
        from .numbers import evaluate_at

        return evaluate_at(self, values)

    def numpy(self) -> str:
        from .numpy_code import numpy_code

        return numpy_code(self)


def matrix_gradient(
    f: str | t.MTerm,
    wrt: str,
    shapes: Mapping[str, Any],
    order: int = 1,
    assume: Mapping[str, str] | None = None,
) -> MatrixGradient:
    """The gradient of ``f`` with respect to ``wrt`` (a Jacobian if f is a vector; ``order=2``:
    the Hessian), step by step by differentials.

    ``shapes``: each name's shape, dims ints or dimension names (``{"X": ("m", "n"), "w": ("n",),
    "lambda": ()}``); ``assume``: ``{"A": "symmetric"}``."""
    from .read import declare, read_matrix

    declared = declare(shapes)
    # (Xᵀ)ᵀ = X and a scalar's transpose, as typed, tidied before the first step
    term = tidy(read_matrix(f, declared) if isinstance(f, str) else f)
    name = _bare(wrt)
    if name not in declared:
        raise ParseError(f"{wrt} is not declared: give its shape (shapes={{'{wrt}': ('n',)}} or --shape {wrt}=n)")
    var = declared[name]
    symmetric = frozenset(_bare(k) for k, v in (assume or {}).items() if str(v).lower() in ("symmetric", "sym"))
    for key, value in (assume or {}).items():
        if str(value).lower() not in ("symmetric", "sym"):
            raise ParseError(f"unknown assumption {value!r} for {key}: say 'symmetric'")
        if _bare(key) not in declared:
            raise ParseError(f"the assumption names {key}, which is not declared")
        rows, cols = declared[_bare(key)].shape
        if rows != cols:
            raise ParseError(f"{key} is assumed symmetric but is {rows}×{cols}")
    if order not in (1, 2):
        raise ParseError(f"order must be 1 (gradient or Jacobian) or 2 (Hessian), got {order!r}")
    _require_workable(term, declared, name)
    text = f if isinstance(f, str) else str(f)
    context_shapes = tuple((k, tuple(str(d) for d in v.shape)) for k, v in declared.items())
    if order == 2:
        result = worked(lambda: _hessian(term, var, symmetric, text, context_shapes), "Hessian", MAX_SECONDS)
    else:
        result = worked(lambda: _derive(term, var, symmetric, text, context_shapes), "matrix gradient", MAX_SECONDS)
    if var.name in symmetric:
        result.note = (result.note + " " if result.note else "") + (
            f"{var.name} is declared symmetric: this is the gradient over all matrices (each ∂f/∂x_ij on its own);"
            " over symmetric matrices it is G + Gᵀ − diag(G), the Cookbook's rule for structured matrices"
        )
    return result


MAX_SECONDS = 10.0  # for one matrix derivation, every check included
MAX_NODES = 80  # matrix parts of f: each becomes at least one step, and most several
MAX_OCCURRENCES = 16  # the variable's appearances: the differential has a term for each
MAX_NESTING = 8  # element-wise functions inside each other: each level repeats the ones inside
MAX_SIZE = 50  # a dimension given as a number: every check works at that size


def _require_workable(term: t.MTerm, declared: Mapping[str, t.Sym], var_name: str) -> None:
    """Refuse, in one line and at once, what would take minutes: f too large, too deeply
    nested, or sizes too large to check at."""
    nodes = sum(1 for node in sp.preorder_traversal(term) if isinstance(node, t.MTerm))
    if nodes > MAX_NODES:
        raise RuleError(f"f has {nodes} matrix parts; the limit for a worked solution is {MAX_NODES}")
    occurrences = sum(1 for node in sp.preorder_traversal(term) if node in declared.values() and node.name == var_name)
    if occurrences > MAX_OCCURRENCES:
        raise RuleError(
            f"{var_name} appears {occurrences} times in f, and its differential has a term for each; the limit for"
            f" a worked solution is {MAX_OCCURRENCES}"
        )
    depth = _nesting(term)
    if depth > MAX_NESTING:
        raise RuleError(f"f nests {depth} element-wise functions; the limit for a worked solution is {MAX_NESTING}")
    for name, leaf in declared.items():
        for size in leaf.shape:
            if size.is_Integer and int(size) > MAX_SIZE:
                raise RuleError(
                    f"{name} is declared with a size of {size}: the derivation is the same for every size, so"
                    f" declare it by name ({name}=n or {name}=m,n); sizes above {MAX_SIZE} are too large to check at"
                )


def _nesting(term: sp.Basic) -> int:
    inner = max((_nesting(arg) for arg in term.args), default=0)
    return inner + (1 if isinstance(term, (t.Elementwise, t.Softmax)) else 0)


def _bare(name: str) -> str:
    from .read import bare_name

    return bare_name(name)


def _kind(term: t.MTerm, var: t.Sym) -> str:
    rows, cols = term.shape
    if term.is_scalar:
        if var.is_scalar:
            return "scalar"
        return "vector" if var.shape[1] == 1 else "matrix"
    if cols == 1 and var.shape[1] == 1:
        return "jacobian"
    if cols == 1:
        raise RuleError(
            f"f is a vector ({rows}×1) and {var.name} a matrix: its derivative is a three-way array;"
            " take the gradient of a scalar function of it"
        )
    raise RuleError(
        f"f is a {rows}×{cols} matrix: a gradient needs a scalar f and a Jacobian a vector f"
        f" (take the trace, a norm or a sum of it, such as tr(f) or 𝟏ᵀf𝟏)"
    )


def _derive(
    term: t.MTerm,
    var: t.Sym,
    symmetric: frozenset[str],
    text: str,
    shapes: tuple[tuple[str, tuple[str, ...]], ...],
    start: t.MTerm | None = None,
    domain: t.MTerm | None = None,
) -> MatrixGradient:
    """``domain``: the function whose real values decide where to check (for a Hessian, f itself
    and not its gradient: ∇ ln s = 1/s has values where ln s has none)."""
    kind = _kind(term, var)
    what = "jacobian" if kind == "jacobian" else "gradient"
    seen = [*t.leaves(term), *(t.leaves(domain) if domain is not None else [])]
    leaves = sorted({leaf for leaf in seen if leaf != var}, key=lambda leaf: leaf.name)
    dims = sorted(t.dims_of(term) | t.dims_of(var), key=lambda d: d.name)
    checker = MatrixChecker(var, leaves, dims, symmetric, f=domain if domain is not None else term)
    make = make_step_factory(checker)
    defined = start if start is not None else (t.Jac(term, var) if kind == "jacobian" else t.Grad(term, var))
    if not t.depends_on(term, var):
        zero = t.Zero(*defined.shape)
        step = make(r.D_CONSTANT, defined, zero)
        result = MatrixGradient(
            text,
            defined,
            [step],
            MatrixContext(what, var, shapes),
            f=term,
            var=var,
            note=f"f does not depend on {var.name}: its gradient is 0",
        )
        result.finite_differences = _finite_differences(term, var, zero, checker, jacobian=kind == "jacobian")
        return result
    ctx = DiffContext(var)
    taken = {leaf.name for leaf in t.leaves(term)} | {str(d) for d in dims}
    named, names = name_parts(term, var, taken)
    start_d = t.D(named)
    d_steps, linear = differential_steps(start_d, ctx, make)
    target = Target(var, kind)
    c_steps, _, raw = canonical_steps(linear, target, make)
    differential = Derivation(
        text, start_d, [*d_steps, *c_steps], MatrixContext("differential", var, shapes, tuple(names))
    )
    rule = r.READ_OFF_JACOBIAN if kind == "jacobian" else r.READ_OFF
    if isinstance(defined, t.Jac) and isinstance(defined.args[0], t.Grad):
        rule = r.READ_OFF_HESSIAN
    read_off = make(rule, defined, raw)
    tidy_steps, tidied = simplify_steps(raw, symmetric, make)
    if tidied.has(t.Named):
        plain = tidy(tidied.replace(lambda n: isinstance(n, t.Named), lambda n: n.definition))
        bindings = {name.name: name.definition for name in names}
        tidy_steps.append(make(r.SUBSTITUTE_NAMED, tidied, plain, bindings))
    note = ""
    if kind == "jacobian" and start is None:
        note = f"f is a vector ({term.shape[0]}×1), not a scalar: its derivative is the Jacobian ∂f/∂{var.name}"
    result = MatrixGradient(
        text,
        defined,
        [read_off, *tidy_steps],
        MatrixContext(what, var, shapes, tuple(names)),
        f=term,
        var=var,
        note=note,
        differential=differential,
    )
    result.finite_differences = _finite_differences(term, var, result.gradient, checker, jacobian=kind == "jacobian")
    return result


def _hessian(
    term: t.MTerm, var: t.Sym, symmetric: frozenset[str], text: str, shapes: tuple[tuple[str, tuple[str, ...]], ...]
) -> MatrixGradient:
    if not term.is_scalar or var.shape[1] != 1:
        raise RuleError("the Hessian is taken of a scalar function of a vector (or a scalar)")
    first = _derive(term, var, symmetric, text, shapes)
    hessian = _derive(first.gradient, var, symmetric, text, shapes, start=t.Jac(t.Grad(term, var), var), domain=term)
    hessian.context = MatrixContext("hessian", var, shapes, hessian.context.names)
    hessian.first = first
    hessian.f = term
    return hessian


def _finite_differences(
    f: t.MTerm, var: t.Sym, result: t.MTerm, checker: MatrixChecker, jacobian: bool = False
) -> FiniteDifferenceCheck:
    from .evaluate import numeric

    draw = checker.draws[0]
    values = dict(draw.values)
    point = values[var]
    h = 1e-6 * max(1.0, float(np.max(np.abs(point))))
    analytic = np.real(numeric(result, values, draw.sizes))
    estimate = np.zeros_like(analytic)
    largest = 0.0
    for index in np.ndindex(*point.shape):
        bump = np.zeros(point.shape)
        bump[index] = h
        up, down = dict(values), dict(values)
        up[var], down[var] = point + bump, point - bump
        high, low = np.real(numeric(f, up, draw.sizes)), np.real(numeric(f, down, draw.sizes))
        largest = max(largest, float(np.max(np.abs(high))), float(np.max(np.abs(low))))
        slope = (high - low) / (2 * h)
        if jacobian:
            estimate[:, index[0]] = slope[:, 0]
        else:
            estimate[index] = slope.item()
    error = _relative(analytic, estimate)
    rounding = 100 * np.finfo(float).eps * (largest + 1.0) / h * np.sqrt(estimate.size)
    difference = float(np.linalg.norm(analytic - estimate))
    return FiniteDifferenceCheck(error, draw.sizes, h, float(rounding), difference)


def _relative(a: np.ndarray, n: np.ndarray) -> float:
    denominator = float(np.linalg.norm(a) + np.linalg.norm(n))
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - n)) / denominator
