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
from . import terms as t
from .evaluate import ExactPoint, NumericPoint

SYMBOLIC_SIZES = (2, 3, 4, 5)
NUMERIC_SIZES = ((3, 4, 2, 5, 6, 7), (4, 2, 3, 6, 5, 7), (2, 3, 4, 7, 6, 5))
SYMBOLIC_ENTRIES = 48  # more entry symbols than this and SymPy's expansion is slower than it is worth
SYMBOLIC_SECONDS = 0.6
RELATIVE = 1e-8


def _sizes(dims: list[sp.Symbol], sizes: tuple[int, ...]) -> dict[sp.Symbol, int]:
    return {dim: sizes[i % len(sizes)] + (i // len(sizes)) * len(sizes) for i, dim in enumerate(dims)}


def size_text(sizes: dict[sp.Symbol, int]) -> str:
    return ", ".join(f"{dim} = {size}" for dim, size in sizes.items())


@dataclass
class Draw:
    sizes: dict[sp.Symbol, int]
    values: dict[sp.Basic, Any]
    point: Any = None


@dataclass
class MatrixChecker:
    """The sizes and random draws one derivation's steps are all checked at (values are reused
    from step to step: a step changes one part of a term and the rest is not evaluated again)."""

    var: t.Sym
    leaves: list[t.Sym]
    dims: list[sp.Symbol]
    symmetric: frozenset[str] = frozenset()
    positive: bool = False
    draws: list[Draw] = field(default_factory=list)
    symbolic: Draw | None = None
    symbolic_off: bool = False

    def __post_init__(self) -> None:
        rng = np.random.default_rng(20261202)
        for sizes in NUMERIC_SIZES:
            values = self._random(rng, _sizes(self.dims, sizes))
            self.draws.append(Draw(_sizes(self.dims, sizes), values, NumericPoint(values, _sizes(self.dims, sizes), self.var)))
        symbolic_sizes = _sizes(self.dims, SYMBOLIC_SIZES)
        entries = sum(_count(leaf, symbolic_sizes) for leaf in self.leaves) + _count(self.var, symbolic_sizes)
        if entries <= SYMBOLIC_ENTRIES:
            values = self._symbols(symbolic_sizes)
            self.symbolic = Draw(symbolic_sizes, values, ExactPoint(values, symbolic_sizes, self.var))

    def _random(self, rng: np.random.Generator, sizes: dict[sp.Symbol, int]) -> dict[sp.Basic, Any]:
        values: dict[sp.Basic, Any] = {}
        for leaf in [*self.leaves, self.var]:
            rows, cols = (int(d.xreplace(sizes)) for d in leaf.shape)
            if self.positive:
                value = rng.uniform(0.5, 1.5, (rows, cols))
            else:
                value = rng.normal(0, 1, (rows, cols))
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
            if leaf.name in self.symmetric:
                values[leaf] = sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{leaf.name}_{min(i, j)}{max(i, j)}", real=True))
            else:
                values[leaf] = sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{leaf.name}_{i}{j}", real=True))
        rows, cols = values[self.var].shape
        values[t.Dvar(self.var)] = sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"d{self.var.name}_{i}{j}", real=True))
        return values

    def check(self, before: sp.Basic, after: sp.Basic) -> Check:
        worst = 0.0
        for draw in self.draws:
            try:
                left = draw.point(before)
                right = draw.point(after)
            except (np.linalg.LinAlgError, ValueError, ZeroDivisionError, FloatingPointError, OverflowError) as error:
                return Check("undecided", f"could not evaluate at random matrices ({type(error).__name__})")
            if left.shape != right.shape:
                return Check("failed", f"the two sides have shapes {left.shape} and {right.shape} at {size_text(draw.sizes)}")
            scale = max(float(np.max(np.abs(left), initial=0.0)), float(np.max(np.abs(right), initial=0.0)), 1e-300)
            if not (np.all(np.isfinite(left)) and np.all(np.isfinite(right))):
                return Check("undecided", "a side has no finite value at a random draw")
            error = float(np.max(np.abs(left - right), initial=0.0)) / scale
            worst = max(worst, error)
            if error > RELATIVE:
                return Check("failed", f"differ by {error:.1e} (relative) at random matrices with {size_text(draw.sizes)}",
                             {"sizes": size_text(draw.sizes)})  # fmt: skip
        numerically = f"at {len(self.draws)} random draws ({size_text(self.draws[0].sizes)}; …)"
        symbolically = self._symbolic(before, after)
        if symbolically:
            return Check("sizes", f"entry by entry, symbolically at sizes {symbolically}, and numerically {numerically}")
        return Check("numeric", numerically)

    def _symbolic(self, before: sp.Basic, after: sp.Basic) -> str:
        if self.symbolic is None or self.symbolic_off or _transcendental(before) or _transcendental(after):
            return ""
        draw = self.symbolic
        try:
            with time_limit(SYMBOLIC_SECONDS) as limit:
                left = draw.point(before)
                right = draw.point(after)
                difference = left - right
                for entry in difference:
                    if sp.expand(entry) != 0 and sp.cancel(sp.together(entry)) != 0:
                        return ""
        except (TimeLimitExceeded, ValueError, ZeroDivisionError, TypeError, sp.PolynomialError):
            return ""
        if limit.expired:
            self.symbolic_off = True  # one slow step: the next ones on the same terms will be slower
            return ""
        return size_text(draw.sizes)


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
    def make(rule: Any, before: sp.Basic, after: sp.Basic, bindings: dict | None = None,
             substeps: list | None = None) -> MatrixStep:  # fmt: skip
        step = MatrixStep(rule, before, after, bindings or {}, substeps or [])
        step.checker = checker
        return step

    return make
