"""A result in SymPy's own matrix expressions (MatrixSymbol, Transpose, MatMul, …), for users who
go on with SymPy. A 1×1 product used as a scalar is SymPy's entry [0, 0] of it. Where SymPy has
no such expression (softmax), the result stays in this package's nodes, which are SymPy
expressions too."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from . import terms as t


class _NoForm(Exception):
    pass


def to_sympy(term: t.MTerm) -> Any:
    try:
        return _convert(term)
    except (_NoForm, TypeError, ValueError, sp.ShapeError):
        return term


def _scalar(value: Any) -> Any:
    return value[0, 0] if isinstance(value, sp.MatrixExpr) else value


def _convert(term: sp.Basic) -> Any:
    if isinstance(term, t.Sym):
        if term.is_scalar:
            return sp.Symbol(term.name, real=True)
        return sp.MatrixSymbol(term.name, *term.shape)
    if isinstance(term, t.Const):
        return term.value
    if isinstance(term, t.Ones):
        return sp.OneMatrix(*term.shape)
    if isinstance(term, t.Identity):
        return sp.Identity(term.shape[0])
    if isinstance(term, t.Zero):
        return sp.ZeroMatrix(*term.shape) if not term.is_scalar else sp.Integer(0)
    if isinstance(term, t.T):
        inner = _convert(term.arg)
        return sp.Transpose(inner) if isinstance(inner, sp.MatrixExpr) else inner
    if isinstance(term, t.Inv):
        return sp.Inverse(_convert(term.arg))
    if isinstance(term, t.Tr):
        return sp.Trace(_convert(term.arg))
    if isinstance(term, t.Det):
        return sp.Determinant(_convert(term.arg))
    if isinstance(term, t.LogAbsDet):
        return sp.log(sp.Abs(sp.Determinant(_convert(term.arg))))
    if isinstance(term, t.Norm2):
        inner = _convert(term.arg)
        return sp.sqrt(sp.Trace(sp.Transpose(inner) * inner))
    if isinstance(term, t.Diag):
        from sympy.matrices.expressions.diagonal import DiagMatrix

        return DiagMatrix(_convert(term.arg))
    if isinstance(term, t.Elementwise):
        inner = _convert(term.arg)
        if term.arg.is_scalar:
            return term.function.xreplace({t.T_ARG: _scalar(inner)})
        return ElementwiseApplyFunction(sp.Lambda(t.T_ARG, term.function), inner)
    if isinstance(term, t.Sum):
        parts = [_convert(a) for a in term.args]
        if term.is_scalar:
            return sp.Add(*[_scalar(p) for p in parts])
        return sp.MatAdd(*parts)
    if isinstance(term, t.Prod):
        scalars: list[Any] = []
        matrices: list[Any] = []
        run: list[Any] = []  # factors whose product so far is 1×1 become a scalar
        for factor in term.args:
            value = _convert(factor)
            if factor.is_scalar:
                scalars.append(_scalar(value))
                continue
            run.append(value)
            product = sp.MatMul(*run) if len(run) > 1 else run[0]
            if product.shape == (1, 1):
                scalars.append(product[0, 0])
                run = []
        matrices = run
        if term.is_scalar or not matrices:
            return sp.Mul(*scalars)
        return sp.Mul(*scalars) * (sp.MatMul(*matrices) if len(matrices) > 1 else matrices[0])
    if isinstance(term, t.Had):
        return sp.HadamardProduct(*[_convert(a) for a in term.args])
    raise _NoForm(type(term).__name__)
