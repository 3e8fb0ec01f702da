"""Checking a matrix step before = after, independently of the rule that wrote it.

Entry by entry, symbolically, at concrete small sizes (distinct for each dimension name, so that
a transposition error cannot cancel), and numerically at random matrices of the declared shapes.
A check at sizes 2, 3, 4 is not a proof for every size: the report says "checked at sizes …".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..core.derivation import Step
from ..core.timeout import TimeLimitExceeded, time_limit
from ..core.verify import Check
from ..errors import RuleError
from . import terms as t
from .evaluate import NumericPoint
from .exact import NotPolynomial, PolynomialPoint, equal

SYMBOLIC_SIZES = (2, 3, 4, 5)
NUMERIC_SIZES = ((3, 4, 2, 5, 6, 7), (4, 2, 3, 6, 5, 7), (2, 3, 4, 7, 6, 5))
SPARE_SIZES = ((4, 3, 2, 5, 6, 7), (3, 2, 4, 6, 5, 7), (2, 4, 3, 7, 6, 5), (3, 5, 4, 2, 6, 7))
SYMBOLIC_ENTRIES = 80  # entry symbols beyond this make the exact polynomials slower than they are worth
SYMBOLIC_SECONDS = 0.6
RELATIVE = 1e-8


def _sizes(dims: list[sp.Symbol], sizes: tuple[int, ...]) -> dict[sp.Symbol, int]:
    return {dim: sizes[i % len(sizes)] + (i // len(sizes)) * len(sizes) for i, dim in enumerate(dims)}


def size_text(sizes: dict[sp.Symbol, int]) -> str:
    return ", ".join(f"{dim} = {size}" for dim, size in sizes.items()) or "the declared sizes"


def sizes_phrase(sizes: dict[sp.Symbol, int]) -> str:
    """ "sizes n = 2, m = 3", or "the declared sizes" when every size is a number."""
    shown = size_text(sizes)
    return shown if not sizes else f"sizes {shown}"


@dataclass
class Draw:
    sizes: dict[sp.Symbol, int]
    values: dict[sp.Basic, Any]
    point: Any = None

    @property
    def magnitude(self) -> float:
        """The largest entry of the draw: the scale rounding errors are measured against."""
        return max((float(np.max(np.abs(v), initial=0.0)) for v in self.values.values()), default=1.0)


@dataclass
class MatrixChecker:
    """The sizes and random draws one derivation's steps are all checked at (values are reused
    from step to step: a step changes one part of a term and the rest is not evaluated again)."""

    var: t.Sym
    leaves: list[t.Sym]
    dims: list[sp.Symbol]
    symmetric: frozenset[str] = frozenset()
    f: t.MTerm | None = None  # draws are kept only where f has a real value and its inverses exist
    draws: list[Draw] = field(default_factory=list)
    symbolic: Draw | None = None
    symbolic_off: bool = False

    def __post_init__(self) -> None:
        rng = np.random.default_rng(20261202)
        # distinct sizes per dimension name, in several orders (det(AXB) needs m ≤ n), then
        # positive entries (ln x needs x > 0): the first draws where f is defined
        for positive in (False, True):
            for sizes in NUMERIC_SIZES + SPARE_SIZES:
                if len(self.draws) == len(NUMERIC_SIZES):
                    break
                assignment = _sizes(self.dims, sizes)
                if any(draw.sizes == assignment for draw in self.draws) and len(self.dims) > 1:
                    continue
                values = self._random(rng, assignment, positive)
                draw = Draw(assignment, values, NumericPoint(values, assignment, self.var))
                if self._defined(draw):
                    self.draws.append(draw)
            if self.draws:
                break
        if not self.draws:
            raise RuleError(
                "f has no real finite value at any random draw of the declared shapes (a log of a negative"
                " number, a singular matrix, an overflow?): nothing can be checked"
            )
        symbolic_sizes = _sizes(self.dims, SYMBOLIC_SIZES)
        entries = sum(_count(leaf, symbolic_sizes) for leaf in self.leaves) + _count(self.var, symbolic_sizes)
        if entries <= SYMBOLIC_ENTRIES:
            values = self._symbols(symbolic_sizes)
            self.symbolic = Draw(symbolic_sizes, values, PolynomialPoint(values, symbolic_sizes, self.var))

    def _defined(self, draw: Draw) -> bool:
        if self.f is None:
            return True
        try:
            with np.errstate(all="ignore"):
                for node in sp.preorder_traversal(self.f):
                    if isinstance(node, (t.Inv, t.Det, t.LogAbsDet)):
                        matrix = np.real(draw.point(node.arg))
                        if not np.all(np.isfinite(matrix)) or np.linalg.cond(matrix) > 1e8:
                            return False
                value = draw.point(self.f)
        except (np.linalg.LinAlgError, ValueError, ZeroDivisionError, FloatingPointError, OverflowError):
            return False
        finite = bool(np.all(np.isfinite(value)))
        return finite and float(np.max(np.abs(np.imag(value)), initial=0.0)) <= 1e-9 * (
            1 + float(np.max(np.abs(value)))
        )

    def _random(self, rng: np.random.Generator, sizes: dict[sp.Symbol, int], positive: bool) -> dict[sp.Basic, Any]:
        values: dict[sp.Basic, Any] = {}
        for leaf in [*self.leaves, self.var]:
            rows, cols = (int(d.xreplace(sizes)) for d in leaf.shape)
            value = rng.uniform(0.5, 1.5, (rows, cols)) if positive else rng.normal(0, 1, (rows, cols))
            if rows == cols and leaf.shape[0] == leaf.shape[1] and rows > 1:
                # well conditioned, not symmetric (so that A and Aᵀ differ), det > 0
                value = 2 * np.eye(rows) + 0.4 * value / np.sqrt(rows)
                if leaf.name in self.symmetric:
                    value = (value + value.T) / 2
            values[leaf] = value
        values[t.Dvar(self.var)] = rng.normal(0, 1, values[self.var].shape)
        return values

    def _symbols(self, sizes: dict[sp.Symbol, int]) -> dict[sp.Basic, Any]:
        values: dict[sp.Basic, Any] = {}
        for leaf in [*self.leaves, self.var]:
            rows, cols = (int(d.xreplace(sizes)) for d in leaf.shape)
            # the variable's entries are each its own symbol, as the gradient is taken (∂f/∂x_ij apart)
            shared = leaf.name in self.symmetric and leaf != self.var
            values[leaf] = _entry_symbols(leaf.name, rows, cols, shared)
        rows, cols = values[self.var].shape
        values[t.Dvar(self.var)] = sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"d{self.var.name}_{i}{j}", real=True))
        return values

    def check(self, before: sp.Basic, after: sp.Basic) -> Check:
        symbolically: str | None = None  # the exact check, made once, when it is needed
        for draw in self.draws:
            try:
                left = draw.point(before)
                right = draw.point(after)
            except (np.linalg.LinAlgError, ValueError, ZeroDivisionError, FloatingPointError, OverflowError) as error:
                return Check("undecided", f"could not evaluate at random matrices ({type(error).__name__})")
            if left.shape != right.shape:
                return Check(
                    "failed", f"the two sides have shapes {left.shape} and {right.shape} at {size_text(draw.sizes)}"
                )
            if not (np.all(np.isfinite(left)) and np.all(np.isfinite(right))):
                return Check("undecided", "a side has no finite value at a random draw")
            # relative to the sides, and to the draw's own entries when both sides are rounding-size
            # (tr(C⁻¹C) has differential 0: both sides are 1e-16, not equal to 8 digits of each other)
            scale = max(float(np.max(np.abs(left), initial=0.0)), float(np.max(np.abs(right), initial=0.0)))
            scale = max(scale, 1e-6 * draw.magnitude, 1e-300)
            gap = float(np.max(np.abs(left - right), initial=0.0)) / scale
            # a Hessian by its definition is central differences of a gradient: good to ~1e-9, not 1e-15
            by_differences = any(isinstance(n, t.Jac) and isinstance(n.args[0], t.Grad) for n in (before, after))
            if gap > (1e-6 if by_differences else RELATIVE):
                symbolically = self._symbolic(before, after)
                if symbolically not in ("", "differ"):  # exact at the sizes: the numbers rounded
                    break
                return Check(
                    "failed",
                    f"differ by {gap:.1e} (relative) at random matrices with {size_text(draw.sizes)}",
                    {"sizes": size_text(draw.sizes)},
                )
        more = len(self.draws) - 1
        others = f" and {more} more" if more else ""
        numerically = (
            f"at {len(self.draws)} random draws of the declared shapes ({size_text(self.draws[0].sizes)}{others})"
        )
        if symbolically is None:
            symbolically = self._symbolic(before, after)
        if symbolically == "differ":  # equal at three random draws, yet not as exact entries
            return Check(
                "failed", f"the exact entries differ at sizes {size_text(self.symbolic.sizes) if self.symbolic else ''}"
            )
        if symbolically:
            return Check("sizes", f"entry by entry, symbolically at {symbolically}, and numerically {numerically}")
        return Check("numeric", numerically)

    def _symbolic(self, before: sp.Basic, after: sp.Basic) -> str:
        if self.symbolic is None or self.symbolic_off or _transcendental(before) or _transcendental(after):
            return ""
        draw = self.symbolic
        try:
            with time_limit(SYMBOLIC_SECONDS) as limit:
                if not equal(draw.point(before), draw.point(after)):
                    return "differ"
        except (TimeLimitExceeded, NotPolynomial, ValueError, ZeroDivisionError, TypeError):
            return ""
        if limit.expired:
            self.symbolic_off = True  # one slow step: the next ones on the same terms will be slower
            return ""
        return sizes_phrase(draw.sizes)


def _entry_symbols(name: str, rows: int, cols: int, symmetric: bool = False) -> sp.Matrix:
    """X as the matrix of its entries X_ij (X_ij = X_ji for a symmetric X)."""

    def entry(i: int, j: int) -> sp.Symbol:
        first, second = (min(i, j), max(i, j)) if symmetric else (i, j)
        return sp.Symbol(f"{name}_{first}{second}", real=True)

    return sp.Matrix(rows, cols, entry)


def _transcendental(term: sp.Basic) -> bool:
    """exp, ln, σ … entry by entry: SymPy proves those identities slowly, if at all; numbers decide."""
    for node in sp.preorder_traversal(term):
        if isinstance(node, t.Elementwise) and not node.function.is_rational_function(t.T_ARG):
            return True
        if isinstance(node, (t.Softmax, t.LogAbsDet, t.Norm2)):
            return True
    return False


def _count(leaf: t.Sym, sizes: dict[sp.Symbol, int]) -> int:
    rows, cols = (int(d.xreplace(sizes)) for d in leaf.shape)
    return rows * cols


class MatrixStep(Step):
    """A step of a matrix derivation, checked by its derivation's checker."""

    checker: MatrixChecker | None = None

    def _verify(self) -> Check:
        assert self.checker is not None
        return self.checker.check(self.before, self.after)


def make_step_factory(checker: MatrixChecker) -> Any:
    def make(
        rule: Any, before: sp.Basic, after: sp.Basic, bindings: dict | None = None, substeps: list | None = None
    ) -> MatrixStep:
        step = MatrixStep(rule, before, after, bindings or {}, substeps or [])
        step.checker = checker
        return step

    return make
