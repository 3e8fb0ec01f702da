"""Bringing a differential to the form the gradient is read from: tr(Gᵀ dX) for a matrix X,
gᵀ dx for a vector, g dλ for a scalar, J dx for a vector function.

After the differential is taken every term is linear in dX. It is distributed into terms with one
dX each; then, round by round, each term takes its next move (the cyclic property, a transpose,
a Hadamard factor moved across) until dX stands last, each round one step per identity used;
then the terms are collected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.rules import Rule
from ..errors import RuleError
from . import rules as r
from . import terms as t
from .differential import tidy

MAX_ROUNDS = 50

Move = tuple[Rule, t.MTerm]


@dataclass(frozen=True)
class Target:
    """What the differential is brought to: ``kind`` is "matrix", "vector", "scalar" or "jacobian"."""

    var: t.Sym
    kind: str

    @property
    def dvar(self) -> t.Dvar:
        return t.Dvar(self.var)


def has_d(term: sp.Basic, dvar: t.Dvar) -> bool:
    return term == dvar or term.has(dvar)


# -- distributing ---------------------------------------------------------------------------


def distribute(term: t.MTerm, dvar: t.Dvar) -> list[t.MTerm]:
    """The terms of ``term`` with one dX each; sums without dX stay whole."""
    if not has_d(term, dvar):
        return [term]
    if isinstance(term, t.Sum):
        return [part for arg in term.args for part in distribute(arg, dvar)]
    if isinstance(term, (t.Prod, t.Had)):
        factors = list(term.args)
        index = next(i for i, f in enumerate(factors) if has_d(f, dvar))
        out = []
        for part in distribute(factors[index], dvar):
            if isinstance(term, t.Prod):
                out.append(t.times(*factors[:index], part, *factors[index + 1 :]))
            else:
                number, rest = _split_const(part)
                inner = t.Had(*factors[:index], rest, *factors[index + 1 :])
                out.append(t.times(t.Const(number), inner) if number != 1 else inner)
        return [tidy(o) for o in out]
    if isinstance(term, t.T):
        return [_transposed(part) for part in distribute(term.arg, dvar)]
    if isinstance(term, t.Tr):
        out = []
        for part in distribute(term.arg, dvar):
            number, rest = _split_const(part)
            out.append(t.times(t.Const(number), t.Tr(rest)) if number != 1 else t.Tr(rest))
        return out
    if isinstance(term, t.Diag):
        return [t.Diag(part) for part in distribute(term.arg, dvar)]
    return [term]


def _split_const(term: t.MTerm) -> tuple[sp.Expr, t.MTerm]:
    if isinstance(term, t.Prod) and isinstance(term.args[0], t.Const):
        rest = term.args[1:]
        return term.args[0].value, (t.Prod(*rest) if len(rest) > 1 else rest[0])
    return sp.Integer(1), term


def _transposed(term: t.MTerm) -> t.MTerm:
    """term ᵀ with the transpose taken through products: (AB)ᵀ = BᵀAᵀ."""
    if isinstance(term, t.Prod):
        return t.times(*[_transposed(f) for f in reversed(term.args)])
    if isinstance(term, t.Sum) and term.has(t.Dvar):  # (A dX + B)ᵀ: the dX terms are worked apart
        return t.plus(*[_transposed(a) for a in term.args])
    return t.transpose(term)


def transposed_chain(chain: list[t.MTerm]) -> list[t.MTerm]:
    return [_transposed(f) for f in reversed(chain)]


# -- one term's next move -------------------------------------------------------------------


def _spliced(term: t.MTerm) -> list[t.MTerm]:
    """A product's factors to splice into a chain, each 1×1 run kept as one scalar ((xᵀdx)x):
    a scalar in the middle of a chain would not conform once its factors stand alone."""
    return t.grouped(list(term.args)) if isinstance(term, t.Prod) else [term]


def _factors(term: t.MTerm) -> list[t.MTerm]:
    return list(term.args) if isinstance(term, t.Prod) else [term]


def next_move(term: t.MTerm, target: Target) -> Move | None:
    """The identity this term needs next, and the term after it; None once it is in final form."""
    dvar = target.dvar
    factors = _factors(term)
    index = next(i for i, f in enumerate(factors) if has_d(f, dvar))
    before, core, after = factors[:index], factors[index], factors[index + 1 :]
    if target.kind == "jacobian" and not dvar.is_scalar:
        return _jacobian_move(factors, index, dvar)
    if target.kind == "scalar" or target.kind == "jacobian":  # dλ for a scalar λ: it commutes to the end
        return _scalar_move(factors, index, dvar)
    if isinstance(core, t.Tr):
        inner = _factors(core.arg)
        j = _locate(inner, dvar)
        if inner[j].is_scalar and not isinstance(inner[j], (t.Dvar, t.Tr)):
            # tr(L c R) = c tr(L R) for a scalar c that holds dX
            rest = inner[:j] + inner[j + 1 :]
            outside = [t.Tr(t.times(*rest))] if rest and not _scalar_valued(rest) else rest
            return r.SCALAR_TRACE, t.times(*before, *outside, inner[j], *after)
        moved = _trace_move(inner, dvar, target)
        if moved is None:
            if target.kind == "vector":  # tr(gᵀ dx) = gᵀ dx: a 1×1 product is its own trace
                return r.SCALAR_TRACE, t.times(*before, core.arg, *after)
            return None
        rule, chain = moved
        return rule, t.times(*before, t.Tr(t.times(*chain)), *after)
    # the term's dX sits in a 1×1 product among scalar factors
    chain, scalars = _split_scalars(factors, dvar)
    if target.kind == "matrix":
        return r.SCALAR_TRACE, t.times(*scalars, t.Tr(t.times(*chain)))
    moved = _vector_move(chain, dvar)
    if moved is None:
        if scalars and factors != [*scalars, *chain]:
            return r.SCALAR_COMMUTES, t.times(*scalars, *chain)
        return None
    rule, new_chain = moved
    return rule, t.times(*scalars, *new_chain)


def _split_scalars(factors: list[t.MTerm], dvar: t.Dvar) -> tuple[list[t.MTerm], list[t.MTerm]]:
    """(the product around dX, the scalar factors without dX that stand apart from it)."""
    chain: list[t.MTerm] = []
    scalars: list[t.MTerm] = []
    for factor in factors:
        if factor.is_scalar and not has_d(factor, dvar) and not chain:
            scalars.append(factor)
        else:
            chain.append(factor)
    while chain and chain[-1].is_scalar and not has_d(chain[-1], dvar) and _scalar_valued(chain[:-1]):
        scalars.append(chain.pop())
    return chain, scalars


def _locate(chain: list[t.MTerm], dvar: t.Dvar) -> int:
    return next(i for i, f in enumerate(chain) if has_d(f, dvar))


def _trace_move(chain: list[t.MTerm], dvar: t.Dvar, target: Target) -> tuple[Rule, list[t.MTerm]] | None:
    """tr(chain) toward tr(P dX)."""
    i = _locate(chain, dvar)
    left, core, right = chain[:i], chain[i], chain[i + 1 :]
    if core == dvar:
        if not right:
            return None
        return r.CYCLIC, [*right, *left, core]
    if isinstance(core, t.T):
        # tr(L Yᵀ R) = tr(R L Yᵀ) = tr(Y (R L)ᵀ)
        return r.TRACE_TRANSPOSE, [*_spliced(core.arg), *transposed_chain([*right, *left])]
    if isinstance(core, t.Had):
        if right:
            return r.CYCLIC, [*right, *left, core]
        return hadamard_last(chain, dvar)
    if isinstance(core, t.Prod):
        return r.CYCLIC, [*left, *t.grouped(list(core.args)), *right]
    if isinstance(core, t.Diag):
        if right:
            return r.CYCLIC, [*right, *left, core]
        # tr(P diag(v)) = Σ P_ii v_i = ((P ⊙ I)𝟏)ᵀ v
        n = core.shape[0]
        p = t.times(*left) if left else t.Identity(n)
        return r.TRACE_DIAG, [t.T(t.times(t.Had(p, t.Identity(n)), t.Ones(n))), *_factors(core.arg)]
    if isinstance(core, t.Tr):  # tr(P tr(Y)) with P a scalar: P tr(Y) = tr(P Y)
        return r.SCALAR_TRACE, [*left, *right, *_factors(core.arg)]
    raise RuleError(f"no rule brings {t.Tr(t.times(*chain))} to the form tr(Gᵀ dX)")


def hadamard_last(chain: list[t.MTerm], dvar: t.Dvar) -> tuple[Rule, list[t.MTerm]] | None:
    """P (B ⊙ C) with dX in C, as (Pᵀ ⊙ B)ᵀ C, for a trace or a 1×1 product whose last factor
    is the Hadamard product."""
    core = chain[-1]
    if not isinstance(core, t.Had):
        return None
    parts = list(core.args)
    j = _locate(parts, dvar)
    others = parts[:j] + parts[j + 1 :]
    p = t.times(*chain[:-1]) if len(chain) > 1 else t.Identity(core.shape[0])
    moved = t.transpose(t.Had(_transposed(p), *others))
    return r.HADAMARD_TRACE, [moved, *_spliced(parts[j])]


def _scalar_valued(factors: list[t.MTerm]) -> bool:
    return not factors or t.times(*factors).is_scalar


def _vector_move(chain: list[t.MTerm], dvar: t.Dvar) -> tuple[Rule, list[t.MTerm]] | None:
    """A 1×1 product toward gᵀ dx; what the scalar moves cannot reach goes into a trace."""
    i = _locate(chain, dvar)
    left, core, right = chain[:i], chain[i], chain[i + 1 :]
    as_trace = (r.SCALAR_TRACE, [t.Tr(t.times(*chain))])  # a 1×1 product is its own trace
    if core == dvar:
        if not right:
            return None
        return (r.SCALAR_COMMUTES, [*right, *left, core]) if _scalar_valued(right) else as_trace
    if core.is_scalar and isinstance(core, t.Prod):  # (xᵀy) inside aᵀ(xᵀy)z: a scalar commutes
        return r.SCALAR_COMMUTES, [*left, *right, *core.args]
    if isinstance(core, t.T) and _scalar_valued(left):  # L (Yᵀ R) with L a scalar: (Yᵀ R) = Rᵀ Y
        return r.SCALAR_TRANSPOSE, [*left, *transposed_chain(right), *_spliced(core.arg)]
    if isinstance(core, t.Had):
        if not right:
            return hadamard_last(chain, dvar)
        return (r.SCALAR_COMMUTES, [*right, *left, core]) if _scalar_valued(right) else as_trace
    if isinstance(core, t.Prod):
        return r.SCALAR_COMMUTES, [*left, *t.grouped(list(core.args)), *right]
    return as_trace


def _scalar_move(factors: list[t.MTerm], index: int, dvar: t.Dvar) -> Move | None:
    """Toward g dλ: dλ commutes to the end; out of a trace or a Hadamard product first."""
    core = factors[index]
    if core == dvar:
        if index == len(factors) - 1:
            return None
        return r.SCALAR_COMMUTES, t.times(*factors[:index], *factors[index + 1 :], core)
    if isinstance(core, t.Tr):
        inner = _factors(core.arg)
        j = _locate(inner, dvar)
        if inner[j] == dvar:
            rest = inner[:j] + inner[j + 1 :]
            return r.SCALAR_COMMUTES, t.times(
                *factors[:index], t.Tr(t.times(*rest)) if rest else t.Const(1), *factors[index + 1 :], dvar
            )
    if isinstance(core, t.Had):
        parts = list(core.args)
        j = _locate(parts, dvar)
        inner = _factors(parts[j])
        k = _locate(inner, dvar)
        if inner[k] == dvar:
            rest = inner[:k] + inner[k + 1 :]
            had = t.Had(*parts[:j], t.times(*rest), *parts[j + 1 :])
            return r.SCALAR_COMMUTES, t.times(*factors[:index], had, *factors[index + 1 :], dvar)
    if isinstance(core, t.T):
        return r.SCALAR_TRANSPOSE, t.times(*factors[:index], _transposed(core.arg), *factors[index + 1 :])
    if isinstance(core, t.Prod):
        return r.SCALAR_COMMUTES, t.times(*factors[:index], *t.grouped(list(core.args)), *factors[index + 1 :])
    raise RuleError(f"no rule brings {t.times(*factors)} to the form g dλ")


def _jacobian_move(chain: list[t.MTerm], i: int, dvar: t.Dvar) -> Move | None:
    left, core, right = chain[:i], chain[i], chain[i + 1 :]
    if core == dvar:
        if not right:
            return None
        return r.SCALAR_COMMUTES, t.times(*right, *left, core)
    if core.is_scalar and isinstance(core, (t.Prod, t.Tr)):
        if isinstance(core, t.Tr):  # tr(…dx…) a scalar: first as tr(P dx), then P dx
            moved = _trace_move(_factors(core.arg), dvar, Target(dvar.var, "vector"))
            if moved is not None:
                rule, inner = moved
                return rule, t.times(*left, t.Tr(t.times(*inner)), *right)
            return r.SCALAR_TRACE, t.times(*left, *right, *_factors(core.arg))
        return r.SCALAR_COMMUTES, t.times(*left, *right, *core.args)  # (dxᵀv) a scalar: to the end
    if isinstance(core, t.T):
        # Yᵀ v … with Yᵀ v a scalar: = vᵀ Y (dxᵀv = vᵀdx, (a ⊙ dx)ᵀv = vᵀ(a ⊙ dx))
        for j in range(i + 2, len(chain) + 1):
            if t.times(*chain[i:j]).is_scalar:
                scalar = t.Prod(*transposed_chain(chain[i + 1 : j]), *_spliced(core.arg))
                return r.SCALAR_TRANSPOSE, t.times(*left, scalar, *chain[j:])
        raise RuleError(f"no rule brings {t.times(*chain)} to the form J dx")
    if isinstance(core, t.Had):
        parts = list(core.args)
        j = _locate(parts, dvar)
        others = parts[:j] + parts[j + 1 :]
        if core.shape[1] != 1:
            raise RuleError(f"no rule brings {t.times(*chain)} to the form J dx (⊙ of matrices around dx)")
        return r.HADAMARD_DIAG, t.times(*left, t.Diag(t.Had(*others)), *_spliced(parts[j]), *right)
    if isinstance(core, t.Prod):
        return r.SCALAR_COMMUTES, t.times(*left, *t.grouped(list(core.args)), *right)
    if isinstance(core, t.Diag) and right and t.times(*right).shape[1] == 1:
        # diag(du) v = du ⊙ v = diag(v) du
        return r.HADAMARD_DIAG, t.times(*left, t.Diag(t.times(*right)), *_spliced(core.arg))
    raise RuleError(f"no rule brings {t.times(*chain)} to the form J dx")


# -- the whole differential ------------------------------------------------------------------


def _coefficient_of_trace(term: t.MTerm, dvar: t.Dvar) -> t.MTerm:
    factors = _factors(term)
    index = next(i for i, f in enumerate(factors) if has_d(f, dvar))
    inner = _factors(factors[index].arg)[:-1]
    outside = factors[:index] + factors[index + 1 :]
    coefficient = t.times(*outside, *inner) if outside or inner else t.Const(1)
    if coefficient.is_scalar and not dvar.is_scalar:  # tr(c dX) = tr((cI) dX)
        return t.times(coefficient, t.Identity(dvar.shape[0]))
    return coefficient


def canonical_steps(
    differential: t.MTerm, target: Target, make_step: Callable[..., Any]
) -> tuple[list[Any], t.MTerm, t.MTerm]:
    """Steps from the differential to tr(Gᵀ dX) (or gᵀ dx, g dλ, J dx), and G (or J)."""
    dvar = target.dvar
    steps: list[Any] = []
    term = differential
    spread = distribute(term, dvar)
    flat = t.plus(*spread)
    if flat != term:
        steps.append(make_step(r.EXPAND, term, flat))
        term = flat
    terms = list(spread)
    for _ in range(MAX_ROUNDS):
        moves = [next_move(x, target) for x in terms]
        if all(m is None for m in moves):
            break
        for rule in dict.fromkeys(m[0] for m in moves if m is not None):
            terms = [tidy(m[1]) if m is not None and m[0] == rule else x for x, m in zip(terms, moves, strict=True)]
            after = t.plus(*terms)
            if after != term:
                steps.append(make_step(rule, term, after))
                term = after
    else:
        raise RuleError("the differential did not reach the form tr(Gᵀ dX): no rule applies")
    return _collect(terms, target, term, steps, make_step)


def _collect(
    terms: list[t.MTerm], target: Target, term: t.MTerm, steps: list[Any], make_step: Callable[..., Any]
) -> tuple[list[Any], t.MTerm, t.MTerm]:
    dvar = target.dvar
    if target.kind == "matrix":
        parts = [_coefficient_of_trace(x, dvar) for x in terms]
        collected = t.Tr(t.times(t.plus(*parts), dvar)) if len(parts) > 1 else None
        gradient = t.plus(*[_transposed(p) for p in parts])
        if collected is not None and collected != term:
            steps.append(make_step(r.COLLECT_TRACE, term, collected))
            term = collected
        final = t.Tr(t.times(t.transpose(gradient) if not isinstance(gradient, t.Sum) else t.T(gradient), dvar))
        if final != term:
            steps.append(make_step(r.GRADIENT_FORM, term, final, {"G": gradient}))
        return steps, final, gradient
    parts = [_linear_coefficient(x, dvar) for x in terms]
    if target.kind == "jacobian":  # d(2x) = 2 dx = (2I) dx: a scalar coefficient is a multiple of I
        parts = [t.times(p, t.Identity(dvar.shape[0])) if p.is_scalar and not dvar.is_scalar else p for p in parts]
        jacobian = t.plus(*parts)
        final = t.times(jacobian, dvar)
        if final != term:
            steps.append(make_step(r.COLLECT_LINEAR, term, final))
        return steps, final, jacobian
    if target.kind == "scalar":
        gradient = t.plus(*parts)
        final = t.times(gradient, dvar)
        if final != term:
            steps.append(make_step(r.COLLECT_LINEAR, term, final))
        return steps, final, gradient
    gradient = t.plus(*[_transposed(p) for p in parts])
    row = t.transpose(gradient) if not isinstance(gradient, t.Sum) else t.T(gradient)
    final = t.times(row, dvar)
    if final != term:
        steps.append(make_step(r.COLLECT_LINEAR, term, final))
    return steps, final, gradient


def _linear_coefficient(term: t.MTerm, dvar: t.Dvar) -> t.MTerm:
    factors = _factors(term)
    rest = [f for f in factors if f != dvar]
    return t.times(*rest) if rest else t.Const(1)
