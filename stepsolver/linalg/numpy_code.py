"""The lecture's "In Python" slides: each operation's NumPy one-liner, and the same line run on
the same numbers, to show it gives what the worked solution gives.

The lines are fixed text written here, one per operation, and each has a function beside it
that does exactly what the line says; nothing is ever evaluated from text. A test runs the text
itself against the function, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from ..errors import StepsolverError

Namespace = dict[str, Any]

LINES: dict[str, tuple[str, Callable[[Any, Namespace], Any]]] = {
    "add": ("A + B", lambda np, n: n["A"] + n["B"]),
    "scale": ("c * A", lambda np, n: n["c"] * n["A"]),
    "trace": ("np.trace(A)", lambda np, n: np.trace(n["A"])),
    "transpose": ("A.T", lambda np, n: n["A"].T),
    "is_symmetric": ("np.array_equal(A, A.T)", lambda np, n: np.array_equal(n["A"], n["A"].T)),
    "is_identity": ("np.array_equal(A, np.eye(len(A)))", lambda np, n: np.array_equal(n["A"], np.eye(len(n["A"])))),
    "is_orthogonal": (
        "np.allclose(A.T @ A, np.eye(len(A)))",
        lambda np, n: np.allclose(n["A"].T @ n["A"], np.eye(len(n["A"]))),
    ),
    "dot": ("x @ y", lambda np, n: n["x"] @ n["y"]),
    "outer": ("np.outer(x, y)", lambda np, n: np.outer(n["x"], n["y"])),
    "matmul": ("A @ B", lambda np, n: n["A"] @ n["B"]),
    "det": ("np.linalg.det(A)", lambda np, n: np.linalg.det(n["A"])),
    "inverse": ("np.linalg.inv(A)", lambda np, n: np.linalg.inv(n["A"])),
    "rank": ("np.linalg.matrix_rank(A)", lambda np, n: np.linalg.matrix_rank(n["A"])),
    "independence": (
        "np.linalg.matrix_rank(X) == X.shape[1]",
        lambda np, n: np.linalg.matrix_rank(n["X"]) == n["X"].shape[1],
    ),
    "solve": ("np.linalg.solve(A, b)", lambda np, n: np.linalg.solve(n["A"], n["b"])),
    "norm": ("np.linalg.norm(x, p)", lambda np, n: np.linalg.norm(n["x"], n["p"])),
    "unit_vector": ("x / np.linalg.norm(x)", lambda np, n: n["x"] / np.linalg.norm(n["x"])),
    "frobenius": ("np.linalg.norm(A, 'fro')", lambda np, n: np.linalg.norm(n["A"], "fro")),
    # eig, not eigvals: the lecture's question is the vectors too (NumPy's are unit columns)
    "eigen": ("np.linalg.eig(A)", lambda np, n: tuple(np.linalg.eig(n["A"]))),
    "svd": ("np.linalg.svd(A, compute_uv=False)", lambda np, n: np.linalg.svd(n["A"], compute_uv=False)),
}

# How each operation's arguments are called in its line.
NAMES: dict[str, Sequence[str]] = {
    "add": ("A", "B"),
    "scale": ("c", "A"),
    "dot": ("x", "y"),
    "outer": ("x", "y"),
    "matmul": ("A", "B"),
    "solve": ("A", "b"),
    "norm": ("x", "p"),
    "unit_vector": ("x",),
    "independence": ("X",),
}


# Operations on a matrix as a matrix: a 3×1 or 1×1 A stays two-dimensional (np.linalg.svd and det
# refuse a one-dimensional array); elsewhere a column is the vector NumPy writes as a 1-D array.
MATRICES = {"det", "inverse", "rank", "eigen", "svd"}


def _array(value: Any, np: Any, matrix: bool = False) -> Any:
    if isinstance(value, sp.MatrixBase):
        if value.free_symbols:
            raise StepsolverError("NumPy works on numbers: this matrix has symbols in it")
        array = np.array(value.evalf(), dtype=float)
        return array.ravel() if value.cols == 1 and not matrix else array
    if value == sp.oo:
        return np.inf
    return float(value)


def numpy_line(kind: str) -> str:
    return LINES[kind][0] if kind in LINES else ""


def run_numpy(kind: str, inputs: Namespace) -> Any:
    """The operation's NumPy line, run on the same inputs (as floats)."""
    import numpy as np

    _, run = LINES[kind]
    return run(np, {name: _array(value, np, kind in MATRICES) for name, value in inputs.items()})


def inputs_for(kind: str, matrices: Sequence[Any]) -> Namespace:
    names = NAMES.get(kind, ("A",))
    return dict(zip(names, matrices, strict=False))
