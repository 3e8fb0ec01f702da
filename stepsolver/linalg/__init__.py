"""Linear algebra step by step: one function per operation of ``stepsolver linalg OP``.

Each takes lists, SymPy matrices or LaTeX, and returns an Answer whose ``result`` is
the SymPy value (a number such as det A, a Matrix, True/False for a check, for ``eigen`` a dict eigenvalue →
eigenvectors, for ``svd`` the tuple (U, Σ, V)) and whose ``numpy`` is the NumPy line that
computes the same (run it with ``run_numpy(derivation)``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..core.derivation import Answer
from ..core.envelope import worked
from . import decompositions as _d
from . import determinant as _det
from . import operations as _o
from . import spectral as _s
from .inputs import to_matrix, to_scalar
from .numpy_code import inputs_for, numpy_line
from .numpy_code import run_numpy as _run
from .properties import PROPERTIES, demonstrate

_READERS: dict[str, tuple[Callable[[Any, str], Any], ...]] = {
    "add": (to_matrix, to_matrix),
    "scale": (to_scalar, to_matrix),
    "dot": (_o.vector, _o.vector),
    "outer": (_o.vector, _o.vector),
    "matmul": (to_matrix, to_matrix),
    "solve": (to_matrix, _o.vector),
    "norm": (_o.vector,),
    "unit_vector": (_o.vector,),
}


def _with_numpy(kind: str, operation: Callable[..., Answer]) -> Callable[..., Answer]:
    """The operation as the user asks for it: its answer with the NumPy line that computes the
    same and the inputs that line runs on (a new answer; the verified one is not changed)."""

    @functools.wraps(operation)
    def answered(*args: Any, **kwargs: Any) -> Answer:
        # the whole operation in the envelope's time limit: row reduction of a symbolic matrix
        # can run long before there is anything to verify
        answer = worked(lambda: operation(*args, **kwargs), kind.replace("_", " "))
        if kind == "independence":
            values: list[Any] = [answer.start.args[0]]
        else:
            readers = _READERS.get(kind, (to_matrix,))
            values = [read(arg, name) for read, arg, name in zip(readers, args, "ABC", strict=False)]
            if kind == "norm":
                values.append(_o.read_p(kwargs.get("p", args[1] if len(args) > 1 else 2)))
        inputs = inputs_for(kind, values)
        context = replace(answer.context, numpy_inputs=inputs, whole=True)
        return Answer(replace(answer.derivation, context=context), answer.value, numpy_line(kind),
                      lambda: _run(kind, inputs))  # fmt: skip

    return answered


def run_numpy(answer: Answer) -> Any:
    """The answer's NumPy line, run on its own inputs (as floats)."""
    return answer.run_numpy()


add = _with_numpy("add", _o.add)
scale = _with_numpy("scale", _o.scale)
trace = _with_numpy("trace", _o.trace)
transpose = _with_numpy("transpose", _o.transpose)
is_symmetric = _with_numpy("is_symmetric", _o.is_symmetric)
is_orthogonal = _with_numpy("is_orthogonal", _o.is_orthogonal)
is_identity = _with_numpy("is_identity", _o.is_identity)
dot = _with_numpy("dot", _o.dot)
outer = _with_numpy("outer", _o.outer)
matmul = _with_numpy("matmul", _o.matmul)
norm = _with_numpy("norm", _o.norm)
unit_vector = _with_numpy("unit_vector", _o.unit_vector)
frobenius = _with_numpy("frobenius", _o.frobenius)
det = _with_numpy("det", _det.det)
inverse = _with_numpy("inverse", _d.inverse)
rank = _with_numpy("rank", _d.rank)
independence = _with_numpy("independence", _d.independence)
solve = _with_numpy("solve", _d.solve)
eigen = _with_numpy("eigen", _s.eigen)
svd = _with_numpy("svd", _s.svd)


def property(name: str, a: object, b: object = None, c: object = None) -> Answer:
    """``name`` is one of PROPERTIES; the result is True when the identity holds on these matrices."""
    return worked(lambda: demonstrate(name, a, b, c), "property")


OPERATIONS: dict[str, Callable[..., Answer]] = {
    "add": add, "scale": scale, "trace": trace, "transpose": transpose, "is_symmetric": is_symmetric,
    "is_identity": is_identity, "is_orthogonal": is_orthogonal, "dot": dot, "outer": outer, "matmul": matmul,
    "det": det, "inverse": inverse, "rank": rank, "independence": independence, "solve": solve, "norm": norm,
    "unit_vector": unit_vector, "frobenius": frobenius, "eigen": eigen, "svd": svd, "property": property,
}  # fmt: skip

__all__ = [
    "OPERATIONS", "PROPERTIES", "Answer", "add", "det", "dot", "eigen", "frobenius", "independence",
    "inverse", "is_identity", "is_orthogonal", "is_symmetric", "matmul", "norm", "outer", "property", "rank",
    "run_numpy", "scale", "solve", "svd", "trace", "transpose", "unit_vector",
]  # fmt: skip
