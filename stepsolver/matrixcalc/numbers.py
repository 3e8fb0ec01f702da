"""A worked gradient evaluated at the user's own arrays, sizes read from the arrays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from ..errors import ParseError
from . import terms as t
from .evaluate import numeric

if TYPE_CHECKING:
    from .api import MatrixGradient


def as_matrix(name: str, value: Any, leaf: t.Sym) -> np.ndarray:
    """The user's array as the 2-D matrix the evaluator works with: a vector (n,) is a column."""
    if value is None or np.iscomplexobj(value):
        raise ParseError(f"{name} must be real numbers (a float, or an array of floats), not {type(value).__name__}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParseError(f"{name} must be a float or an array of floats") from None
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ParseError(f"{name} is empty or not finite: give it values")
    if array.ndim == 0:
        array = array.reshape(1, 1)
    elif array.ndim == 1:
        array = array.reshape(-1, 1) if leaf.shape[1] == 1 else array.reshape(1, -1)
    elif array.ndim != 2:
        raise ParseError(f"{name} has {array.ndim} dimensions: give a scalar, a vector or a matrix")
    return array


def sizes_from(values: Mapping[t.Sym, np.ndarray]) -> dict[sp.Symbol, int]:
    """Each dimension name's size, from the arrays given; two arrays that disagree are an error."""
    sizes: dict[sp.Symbol, int] = {}
    for leaf, array in values.items():
        for dim, size in zip(leaf.shape, array.shape, strict=True):
            if dim.is_Integer:
                if int(dim) != size:
                    raise ParseError(f"{leaf.name} must have {dim} in that dimension, not {size} (shape {array.shape})")
            elif dim.is_Symbol and sizes.setdefault(dim, size) != size:
                raise ParseError(f"{dim} is {sizes[dim]} by one array and {size} by {leaf.name} (shape {array.shape})")
    return sizes


def evaluate_at(result: MatrixGradient, values: Mapping[str, Any]) -> np.ndarray:
    from .read import bare_name

    needed = {leaf.name: leaf for leaf in t.leaves(result.f)} | {result.var.name: result.var}
    given = {bare_name(k): v for k, v in values.items()}
    missing = sorted(set(needed) - set(given))
    if missing:
        raise ParseError(f"no value given for {', '.join(missing)}")
    arrays = {needed[name]: as_matrix(name, given[name], needed[name]) for name in needed}
    sizes = sizes_from(arrays)
    out = np.real(numeric(result.gradient, arrays, sizes))
    if result.context.what == "gradient" and result.var.shape[1] == 1 and not result.var.is_scalar:
        return out.reshape(-1)
    if result.context.what == "gradient" and result.var.is_scalar:
        return out.reshape(())
    return out
