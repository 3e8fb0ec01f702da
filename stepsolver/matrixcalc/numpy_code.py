"""NumPy code for f and its gradient, with shape asserts and a finite-difference check, as
matrixcalculus.org generates it: a script a student can run and change."""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from ..functions import to_elementary
from . import terms as t

if TYPE_CHECKING:
    from .api import MatrixGradient


def python_name(name: str) -> str:
    """A name as a Python identifier: lambda is a keyword, so lambda_."""
    return (
        f"{name}_"
        if keyword.iskeyword(name) or name in ("np", "f", "check", "softmax", "gradient", "jacobian")
        else name
    )


def code_of(term: sp.Basic) -> str:
    """A NumPy expression; every vector is a column (n, 1), every scalar a 1×1 array."""
    if isinstance(term, t.Sym):
        return python_name(term.name)
    if isinstance(term, t.Named):
        return code_of(term.definition)
    if isinstance(term, t.Const):
        return f"({_number(term.value)})"
    if isinstance(term, t.Ones):
        return f"np.ones(({_dim(term.shape[0])}, {_dim(term.shape[1])}))"
    if isinstance(term, t.Identity):
        return f"np.eye({_dim(term.shape[0])})"
    if isinstance(term, t.Zero):
        return f"np.zeros(({_dim(term.shape[0])}, {_dim(term.shape[1])}))"
    if isinstance(term, t.T):
        return f"{_wrapped(term.arg)}.T"
    if isinstance(term, t.Inv):
        return f"np.linalg.inv({code_of(term.arg)})"
    if isinstance(term, t.Tr):
        return f"np.trace({code_of(term.arg)}).reshape(1, 1)"
    if isinstance(term, t.Det):
        return f"np.linalg.det({code_of(term.arg)}).reshape(1, 1)"
    if isinstance(term, t.LogAbsDet):
        return f"np.linalg.slogdet({code_of(term.arg)})[1].reshape(1, 1)"
    if isinstance(term, t.Norm2):
        return f"np.linalg.norm({code_of(term.arg)}).reshape(1, 1)"
    if isinstance(term, t.Diag):
        return f"np.diag({code_of(term.arg)}[:, 0])"
    if isinstance(term, t.Softmax):
        return f"softmax({code_of(term.arg)})"
    if isinstance(term, t.Elementwise):
        placeholder = sp.Symbol("ARG")
        body = NumPyPrinter({"fully_qualified_modules": True}).doprint(
            to_elementary(term.function).xreplace({t.T_ARG: placeholder})
        )
        return "(" + body.replace("numpy.", "np.").replace("ARG", f"({code_of(term.arg)})") + ")"
    if isinstance(term, t.Sum):
        return "(" + " + ".join(code_of(a) for a in term.args) + ")"
    if isinstance(term, t.Had):
        return "(" + " * ".join(code_of(a) for a in term.args) + ")"
    if isinstance(term, t.Prod):
        out = code_of(term.args[0])
        shape = term.args[0].shape
        for factor in term.args[1:]:
            scalar = shape == t.SCALAR or factor.is_scalar
            out = f"({out} {'*' if scalar else '@'} {code_of(factor)})"
            shape = (
                factor.shape if shape == t.SCALAR else (shape[0], factor.shape[1]) if not factor.is_scalar else shape
            )
        return out
    raise TypeError(f"no NumPy code for {type(term).__name__}")


def _wrapped(term: sp.Basic) -> str:
    shown = code_of(term)
    return shown if shown.startswith("(") or isinstance(term, t.Sym) else f"({shown})"


def _dim(dim: sp.Expr) -> str:
    return str(dim)


def _number(value: sp.Expr) -> str:
    return NumPyPrinter().doprint(value).replace("numpy.", "np.")


def numpy_code(result: MatrixGradient) -> str:
    leaves = sorted({leaf for leaf in t.leaves(result.f)} | {result.var}, key=lambda leaf: leaf.name)
    names = [python_name(leaf.name) for leaf in leaves]
    signature = ", ".join(names)
    dims: dict[str, str] = {}
    lines = []
    for leaf in leaves:
        rows, cols = leaf.shape
        name = python_name(leaf.name)
        if leaf.is_scalar:
            lines.append(f"    {name} = np.asarray({name}, dtype=float).reshape(1, 1)")
            continue
        column = cols == 1
        lines.append(f"    {name} = np.asarray({name}, dtype=float)" + (".reshape(-1, 1)" if column else ""))
        lines.append(f"    assert {name}.ndim == 2, '{name} must be a {'vector' if column else 'matrix'}'")
        for axis, dim in enumerate((rows, cols)):
            if dim.is_Symbol and str(dim) not in dims:
                dims[str(dim)] = f"{name}.shape[{axis}]"
                lines.append(f"    {dim} = {name}.shape[{axis}]")
            else:
                size = dims.get(str(dim), str(dim))
                lines.append(f"    assert {name}.shape[{axis}] == {size}, '{name}: dimension {axis} must be {dim}'")
    prologue = "\n".join(lines)
    what = result.context.what
    var = python_name(result.var.name)
    column = result.var.shape[1] == 1 and not result.var.is_scalar
    uses_softmax = any(isinstance(n, t.Softmax) for n in sp.preorder_traversal(result.f))
    softmax = "\n\ndef softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n" if uses_softmax else ""
    value = ".item()" if result.f.is_scalar else ".reshape(-1)"
    checker = result.steps[0].checker if result.steps and hasattr(result.steps[0], "checker") else None
    checked_sizes = {str(k): v for k, v in checker.draws[0].sizes.items()} if checker is not None else {}
    dim_names = sorted({str(d) for d in t.dims_of(result.f) | t.dims_of(result.var)})
    default_sizes = ", ".join(
        f"{name!r}: sizes.get({name!r}, {checked_sizes.get(name, 3 + i)})" for i, name in enumerate(dim_names)
    )
    functions = [f"def f({signature}):\n{prologue}\n    return ({code_of(result.f)}){value}"]
    if what == "hessian" and result.first is not None:
        # the Hessian is checked against central differences of the gradient, as it is its Jacobian
        functions.append(
            f"def gradient({signature}):\n{prologue}\n    return ({code_of(result.first.gradient)}).reshape(-1)"
        )
        functions.append(f"def hessian({signature}):\n{prologue}\n    return {code_of(result.gradient)}")
        checked, of, put = "hessian", "gradient", "numeric[(slice(None),) + index] = slope"
    elif what == "jacobian":
        functions.append(f"def jacobian({signature}):\n{prologue}\n    return {code_of(result.gradient)}")
        checked, of, put = "jacobian", "f", "numeric[(slice(None),) + index] = slope"
    else:
        shaped = ".reshape(-1)" if column else ".item()" if result.var.is_scalar else ""
        functions.append(f"def gradient({signature}):\n{prologue}\n    return ({code_of(result.gradient)}){shaped}")
        checked, of, put = "gradient", "f", "numeric[index] = slope"
    body = "\n\n\n".join(functions)
    return f'''"""f and its {what} as derived by stepsolver (f = {result.f}), with a check by central differences."""

import functools  # noqa: F401 -- used by NumPy's printing of max/min in element-wise functions

import numpy as np
{softmax}

{body}


def _draw(rng, sizes, positive):
    values = {{}}
{_draws(leaves)}
    return values


def check(seed=0, h=1e-6, **sizes):
    """Relative error |a - n| / (|a| + |n|) of the {what} against central differences at random inputs
    (drawn again with positive entries where f has no real value, as for a logarithm)."""
    rng = np.random.default_rng(seed)
    sizes = {{{default_sizes}}}
    for positive in (False, True):
        values = _draw(rng, sizes, positive)
        with np.errstate(all="ignore"):
            if np.all(np.isfinite(f(**values))):
                break
    analytic = np.asarray({checked}(**values), dtype=float)
    point = np.asarray(values[{var!r}], dtype=float)
    numeric = np.zeros(analytic.shape)
    for index in np.ndindex(*point.shape):
        up, down = dict(values), dict(values)
        bump = np.zeros(point.shape)
        bump[index] = h
        up[{var!r}], down[{var!r}] = point + bump, point - bump
        slope = (np.asarray({of}(**up)) - np.asarray({of}(**down))) / (2 * h)
        {put}
    return float(np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric) + 1e-300))


if __name__ == "__main__":
    print("relative error:", check())
'''


def _draws(leaves: list[t.Sym]) -> str:
    """Random values of the declared shapes; square matrices well conditioned, not symmetric."""
    lines = [
        "    entries = (lambda size: rng.uniform(0.5, 1.5, size)) if positive else (lambda size: rng.normal(size=size))"
    ]
    for leaf in leaves:
        rows, cols = leaf.shape
        name = python_name(leaf.name)
        if leaf.is_scalar:
            lines.append(f"    values[{name!r}] = float(entries(()))")
            continue
        r = f"sizes[{str(rows)!r}]" if rows.is_Symbol else str(rows)
        c = f"sizes[{str(cols)!r}]" if cols.is_Symbol else str(cols)
        if cols == 1:
            lines.append(f"    values[{name!r}] = entries({r})")
        elif rows == cols:
            lines.append(f"    values[{name!r}] = 2 * np.eye({r}) + 0.4 * entries(({r}, {c})) / np.sqrt({r})")
        else:
            lines.append(f"    values[{name!r}] = entries(({r}, {c}))")
    return "\n".join(lines)
