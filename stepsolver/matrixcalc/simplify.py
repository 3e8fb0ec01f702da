"""Tidying a gradient once it is read off: symmetry where declared, common factors collected,
element-wise blocks simplified as the scalar expressions they are entry by entry, the sign
brought inside. Each is a step of its own, checked like every other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from ..core.rules import Rule
from . import rules as r
from . import terms as t
from .differential import tidy

_ENTRYWISE = (t.Had, t.Elementwise, t.Ones)


def simplify_steps(
    term: t.MTerm, symmetric: frozenset[str], make_step: Callable[..., Any]
) -> tuple[list[Any], t.MTerm]:
    steps: list[Any] = []
    passes: list[tuple[Rule, Callable[[t.MTerm], t.MTerm]]] = [
        (r.SYMMETRIC, lambda x: _symmetric(x, symmetric)),
        (r.INVERSE_CANCELS, _inverses),
        (r.SCALARS_FIRST, _scalars),
        (r.COLLECT_FACTOR, _collect),
        (r.INNER_AS_SUM, _inner_as_sum),
        (r.SIMPLIFY_ENTRYWISE, _entrywise),
        (r.SCALARS_FIRST, _scalars),
        (r.COLLECT_FACTOR, _collect),
        (r.TRANSPOSE_OUT, _transpose_out),
        (r.TIDY_SIGN, _tidy_sign),
    ]
    for rule, rewrite in passes:
        after = tidy(rewrite(term))
        if after != term and str(after) != str(term):  # a step that shows no change is not shown
            steps.append(make_step(rule, term, after))
            term = after
    return steps, term


def _map(term: sp.Basic, rewrite: Callable[[t.MTerm], t.MTerm]) -> sp.Basic:
    """``rewrite`` applied bottom-up to every matrix node."""
    if not isinstance(term, t.MTerm) or isinstance(term, (t.Sym, t.Dvar, t.Const, t.Ones, t.Identity, t.Zero, t.Named)):
        return term
    if isinstance(term, t.Elementwise):
        return rewrite(t.Elementwise(term.function, _map(term.arg, rewrite)))
    return rewrite(term.func(*[_map(a, rewrite) for a in term.args]))


def _symmetric(term: t.MTerm, symmetric: frozenset[str]) -> t.MTerm:
    def one(node: t.MTerm) -> t.MTerm:
        if isinstance(node, t.T) and isinstance(node.arg, t.Sym) and node.arg.name in symmetric:
            return node.arg
        if (
            isinstance(node, t.T)
            and isinstance(node.arg, t.Inv)
            and isinstance(node.arg.arg, t.Sym)
            and node.arg.arg.name in symmetric
        ):
            return node.arg
        return node

    return _map(term, one)


# -- inverses and scalars -------------------------------------------------------------------


def _inverses(term: t.MTerm) -> t.MTerm:
    def one(node: t.MTerm) -> t.MTerm:
        if isinstance(node, t.Inv) and isinstance(node.arg, t.Inv):
            return node.arg.arg
        if isinstance(node, t.Prod):
            return _cancel_inverses(node)
        return node

    return _map(term, one)


def _inverse_of(a: sp.Basic, b: sp.Basic) -> bool:
    """a b = I: A⁻¹A, AA⁻¹, A⁻ᵀAᵀ, AᵀA⁻ᵀ."""

    def plain(x: sp.Basic) -> tuple[bool, sp.Basic, bool]:
        transposed = isinstance(x, t.T)
        inner = x.arg if transposed else x
        inverse = isinstance(inner, t.Inv)
        return transposed, inner.arg if inverse else inner, inverse

    ta, ba, ia = plain(a)
    tb, bb, ib = plain(b)
    return ta == tb and ba == bb and ia != ib


def _cancel_inverses(node: t.Prod) -> t.MTerm:
    kept: list[sp.Basic] = []
    for factor in node.args:
        if kept and _inverse_of(kept[-1], factor):
            size = factor.shape[0]
            kept.pop()
            if not kept or all(k.is_scalar for k in kept):
                kept.append(t.Identity(size))
            continue
        kept.append(factor)
    return t.times(*kept)


def _scalars(term: t.MTerm) -> t.MTerm:
    return _map(term, lambda node: _scalars_in(node) if isinstance(node, t.Prod) else node)


def _scalars_in(node: t.Prod) -> t.MTerm:
    """The scalar factors of a product in front, multiplied out: x (1/‖x‖)(2‖x‖) = 2x, X⁻ᵀ det X = det X · X⁻ᵀ."""
    scalars = [f for f in node.args if f.is_scalar]
    others = [f for f in node.args if not f.is_scalar]
    if not scalars or not others:
        return node
    atoms: dict[sp.Symbol, t.MTerm] = {}
    value = sp.Mul(*[_scalar_value(f, atoms) for f in scalars])
    simpler = sp.factor_terms(sp.cancel(sp.powsimp(value)))
    try:
        front = _scalar_factors(simpler, atoms)
    except _Unrepresentable:
        front = scalars
    return t.times(*front, *others)


def _scalar_value(node: t.MTerm, atoms: dict[sp.Symbol, t.MTerm]) -> sp.Expr:
    if isinstance(node, t.Const):
        return node.value
    if isinstance(node, t.Elementwise) and node.arg.is_scalar:
        return node.function.xreplace({t.T_ARG: _scalar_value(node.arg, atoms)})
    for symbol, known in atoms.items():
        if known == node:
            return symbol
    symbol = sp.Dummy(f"s{len(atoms)}", positive=isinstance(node, t.Norm2))
    atoms[symbol] = node
    return symbol


def _scalar_factors(expr: sp.Expr, atoms: dict[sp.Symbol, t.MTerm]) -> list[t.MTerm]:
    constant = sp.Mul(*[f for f in sp.Mul.make_args(expr) if not (f.free_symbols & set(atoms))])
    rest = [f for f in sp.Mul.make_args(expr) if f.free_symbols & set(atoms)]
    used = {a for f in rest for a in f.free_symbols if a in atoms}
    if constant != 1 and len(rest) == 1 and rest[0] not in atoms and len(used) == 1:
        atom = used.pop()  # 2·(1/s) as one function of s: (2/s)
        return [t.Elementwise((constant * rest[0]).xreplace({atom: t.T_ARG}), atoms[atom])]
    out: list[t.MTerm] = [t.Const(constant)] if constant != 1 else []
    for factor in sp.Mul.make_args(expr):
        if not (factor.free_symbols & set(atoms)):
            continue
        inside = [a for a in factor.free_symbols if a in atoms]
        if factor in atoms:
            out.append(atoms[factor])
        elif len(inside) == 1:
            out.append(t.Elementwise(factor.xreplace({inside[0]: t.T_ARG}), atoms[inside[0]]))
        else:
            raise _Unrepresentable(factor)
    return out


# -- common factors ---------------------------------------------------------------------------


def _parts(term: t.MTerm) -> tuple[sp.Expr, list[t.MTerm]]:
    """(number, the other factors) of a term of a sum."""
    factors = list(term.args) if isinstance(term, t.Prod) else [term]
    number = sp.Integer(1)
    rest = []
    for factor in factors:
        if isinstance(factor, t.Const):
            number *= factor.value
        else:
            rest.append(factor)
    return number, rest


def _collect(term: t.MTerm) -> t.MTerm:
    return _map(term, _collect_sum)


def _inner_as_sum(term: t.MTerm) -> t.MTerm:
    def one(node: t.MTerm) -> t.MTerm:
        if isinstance(node, t.Sum):
            sums = _as_sums(node)
            if sums is not None:
                return sums
        return node

    return _map(term, one)


def _collect_sum(node: t.MTerm) -> t.MTerm:
    if not isinstance(node, t.Sum):
        return node
    parts = [_parts(a) for a in node.args]
    # like terms: the same factors with different numbers
    merged: dict[tuple[t.MTerm, ...], sp.Expr] = {}
    for number, rest in parts:
        merged[tuple(rest)] = merged.get(tuple(rest), sp.Integer(0)) + number
    if len(merged) < len(parts):
        terms = [t.times(t.Const(c), *rest) for rest, c in merged.items() if c != 0]
        return _collect_sum(t.plus(*terms)) if terms else t.Zero(*node.shape)
    scalings = {_common_scalar(parts)}
    common = scalings.pop()
    if common is not None:
        terms = [t.times(t.Const(number / common), *rest) for number, rest in parts]
        return t.times(t.Const(common), _collect_sum(t.plus(*terms)))
    for side in ("left", "right"):
        factored = _factor_out(parts, side)
        if factored is not None:
            return factored
    return node


def _factor_out(parts: list[tuple[sp.Expr, list[t.MTerm]]], side: str) -> t.MTerm | None:
    """AB + AC = A(B + C) (left) or AC + BC = (A + B)C (right), scalar factors kept with each
    term; a term that is the common factor alone leaves an identity (Ax + x = (A + I)x)."""
    chains = []
    for number, rest in parts:
        units = t.grouped(rest)  # (𝟏ᵀy) in (𝟏ᵀy)WᵀDW is one scalar, not 𝟏ᵀ then y
        scalars = [f for f in units if f.is_scalar]
        chain = [f for f in units if not f.is_scalar]
        if not chain:
            return None
        chains.append((number, scalars, chain))
    ends = {chain[0] if side == "left" else chain[-1] for _, _, chain in chains}
    if len(ends) != 1:
        return None
    common = next(iter(ends))
    pieces = []
    for number, scalars, chain in chains:
        remaining = chain[1:] if side == "left" else chain[:-1]
        if not remaining:
            size = common.shape[1] if side == "left" else common.shape[0]
            remaining = [t.Identity(size)]
        pieces.append(t.times(t.Const(number), *scalars, *remaining))
    if len({piece.shape for piece in pieces}) != 1:
        return None
    inner = _collect_sum(t.plus(*pieces))
    return t.times(common, inner) if side == "left" else t.times(inner, common)


def _common_scalar(parts: list[tuple[sp.Expr, list[t.MTerm]]]) -> sp.Expr | None:
    """A factor every term carries (−1/n and 1/n in the logistic gradient's two terms), to go in
    front: the terms' numbers are then plain numbers."""
    numbers = [number for number, _ in parts]
    if len(numbers) < 2:
        return None
    first = numbers[0]
    if not all(sp.simplify(n / first).is_number for n in numbers):
        return None
    if all(n.is_number for n in numbers) and len({abs(n) for n in numbers}) > 1:
        return None  # 2xxᵀ + (xᵀx)I, not 2(xxᵀ + ½(xᵀx)I)
    common = -first if first.could_extract_minus_sign() and not all(n == first for n in numbers) else first
    return None if common == 1 else common


def _as_sums(node: t.Sum) -> t.MTerm | None:
    """Σ cᵢ aᵢᵀbᵢ over vectors, as 𝟏ᵀ(Σ cᵢ aᵢ ⊙ bᵢ): the form in which the terms can be collected."""
    terms = []
    for arg in node.args:
        number, rest = _parts(arg)
        if len(rest) != 2 or not isinstance(rest[0], t.T):
            return None
        a, b = rest[0].arg, rest[1]
        if a.shape[1] != 1 or a.shape != b.shape or a.is_scalar:
            return None
        terms.append(t.times(t.Const(number), t.Had(a, b)))
    return t.times(t.T(t.Ones(*terms[0].shape)), t.plus(*terms))


# -- entry by entry ---------------------------------------------------------------------------


def _is_block(node: sp.Basic) -> bool:
    return (
        isinstance(node, t.MTerm)
        and not node.is_scalar
        and (isinstance(node, _ENTRYWISE) or (isinstance(node, t.Sum) and any(_has_entrywise(a) for a in node.args)))
    )


def _has_entrywise(node: sp.Basic) -> bool:
    return any(isinstance(n, (t.Had, t.Elementwise)) for n in sp.preorder_traversal(node))


def _entrywise(term: t.MTerm) -> t.MTerm:
    if _is_block(term):
        return _simplified_block(term)
    if isinstance(term, t.Prod):
        term = _inner_products(term)
        if not isinstance(term, t.Prod):
            return _entrywise(term)
    if not isinstance(term, t.MTerm) or not term.args or isinstance(term, (t.Sym, t.Dvar, t.Const, t.Ones, t.Named)):
        return term
    if isinstance(term, t.Elementwise):
        return t.Elementwise(term.function, _entrywise(term.arg))
    return term.func(*[_entrywise(a) for a in term.args])


def _inner_products(node: t.Prod) -> t.MTerm:
    """aᵀb with b entry by entry (sᵀ(y ⊙ (𝟏 ⊘ s))) as 𝟏ᵀ(a ⊙ b) simplified (𝟏ᵀy), when that is shorter."""
    factors = list(node.args)
    for i in range(len(factors) - 1):
        left, right = factors[i], factors[i + 1]
        if not (
            isinstance(left, t.T) and left.arg.shape == right.shape and right.shape[1] == 1 and not right.is_scalar
        ):
            continue
        if not (_has_entrywise(right) or _has_entrywise(left.arg)):
            continue
        simplified = _simplified_block(t.Had(left.arg, right))
        candidate = [*factors[:i], t.T(t.Ones(*right.shape)), simplified, *factors[i + 2 :]]
        if len(str(t.times(*candidate))) < len(str(node)):
            return t.times(*candidate)
    return node


def _simplified_block(block: t.MTerm) -> t.MTerm:
    atoms: dict[sp.Symbol, t.MTerm] = {}
    scalar = _to_scalar(block, atoms)
    candidates = [scalar, sp.expand(scalar), sp.factor(sp.cancel(scalar)), sp.cancel(scalar)]
    candidates += [_as_sigmoids(c) for c in candidates[1:]]
    # fewest operations; on a tie, σ(v) over its exponentials (the lecture's form)
    best = min(candidates, key=lambda e: (sp.count_ops(e), e.count(sp.exp), candidates.index(e)))
    try:
        rebuilt = _from_scalar(best, atoms, block.shape)
    except _Unrepresentable:
        return block
    return rebuilt if len(str(rebuilt)) <= len(str(block)) else block


def _as_sigmoids(expr: sp.Expr) -> sp.Expr:
    """1/(1 + e^{-v}) as σ(v), and 1/(1 + e^{v}) as σ(−v): the form the lecture writes."""
    from ..functions import sigmoid

    def is_logistic(e: sp.Basic) -> bool:
        if not (isinstance(e, sp.Pow) and e.exp == -1 and isinstance(e.base, sp.Add) and len(e.base.args) == 2):
            return False
        one, other = sorted(e.base.args, key=lambda a: not a.is_Number)
        return one == 1 and isinstance(other, sp.exp)

    def sigma(e: sp.Pow) -> sp.Expr:
        other = next(a for a in e.base.args if isinstance(a, sp.exp))
        return sigmoid(-other.args[0])

    def is_ratio(e: sp.Basic) -> bool:  # e^v/(1 + e^v)
        return isinstance(e, sp.Mul) and _ratio(e) is not None

    def ratio(e: sp.Mul) -> sp.Expr:
        found = _ratio(e)
        assert found is not None
        v, pair = found
        return sp.Mul(*[f for f in e.args if f not in pair]) * sigmoid(v)

    if not expr.has(sp.exp):
        return expr
    return sp.cancel(sp.cancel(expr).replace(is_ratio, ratio).replace(is_logistic, sigma))


def _ratio(e: sp.Mul) -> tuple[sp.Expr, tuple[sp.Expr, sp.Expr]] | None:
    for f in e.args:
        if isinstance(f, sp.exp):
            v = f.args[0]
            below = (1 + sp.exp(v)) ** -1
            if below in e.args:
                return v, (f, below)
    return None


def _to_scalar(node: t.MTerm, atoms: dict[sp.Symbol, t.MTerm]) -> sp.Expr:
    if isinstance(node, t.Sum):
        return sp.Add(*[_to_scalar(a, atoms) for a in node.args])
    if isinstance(node, t.Had):
        return sp.Mul(*[_to_scalar(a, atoms) for a in node.args])
    if isinstance(node, t.Elementwise) and not node.arg.is_scalar:
        return node.function.xreplace({t.T_ARG: _to_scalar(node.arg, atoms)})
    if isinstance(node, t.Ones):
        return sp.Integer(1)
    if isinstance(node, t.Prod):
        scalars = [a for a in node.args if isinstance(a, t.Const)]
        others = [a for a in node.args if not isinstance(a, t.Const)]
        if scalars and len(others) == 1:
            return sp.Mul(*[s.value for s in scalars]) * _to_scalar(others[0], atoms)
    if isinstance(node, t.Prod):
        node = _entrywise(node)  # sᵀ(y ⊙ (𝟏 ⊘ s)) inside s sᵀ(…): its own inner product first
    for symbol, known in atoms.items():
        if known == node:
            return symbol
    symbol = sp.Dummy(f"a{len(atoms)}", real=True)
    atoms[symbol] = node
    return symbol


def _from_scalar(expr: sp.Expr, atoms: dict[sp.Symbol, t.MTerm], shape: t.Shape) -> t.MTerm:
    if expr in atoms:
        return atoms[expr]
    if not (expr.free_symbols & set(atoms)):
        return t.Ones(*shape) if expr == 1 else t.times(t.Const(expr), t.Ones(*shape))
    if isinstance(expr, sp.Add):
        terms = sorted(expr.args, key=lambda a: (a.could_extract_minus_sign(), not a.is_number))
        return t.plus(*[_from_scalar(a, atoms, shape) for a in terms])
    if isinstance(expr, sp.Mul):
        constant = sp.Mul(*[f for f in expr.args if not (f.free_symbols & set(atoms))])
        factors = [f for f in expr.args if f.free_symbols & set(atoms)]
        had = t.Had(*[_from_scalar(f, atoms, shape) for f in factors])
        return t.times(t.Const(constant), had) if constant != 1 else had
    if isinstance(expr, sp.Pow) and not (expr.exp.free_symbols & set(atoms)):
        return t.Elementwise(t.T_ARG**expr.exp, _from_scalar(expr.base, atoms, shape))
    if isinstance(expr, sp.Function) and len(expr.args) == 1 and not isinstance(expr, sp.Piecewise):
        return t.Elementwise(expr.func(t.T_ARG), _from_scalar(expr.args[0], atoms, shape))
    raise _Unrepresentable(expr)


class _Unrepresentable(Exception):
    """A scalar form with no matrix notation of its own (a power with an entry in its exponent)."""


# -- transposes out ---------------------------------------------------------------------------


def _transpose_out(term: t.MTerm) -> t.MTerm:
    return _map(term, lambda node: _sum_of_transposes(node) if isinstance(node, t.Sum) else node)


def _untransposed(term: t.MTerm) -> t.MTerm | None:
    """A with term = Aᵀ, when the term is a transpose or a product of them (BᵀXᵀ = (XB)ᵀ)."""
    number, rest = _parts(term)
    if rest and all(isinstance(f, t.T) or f.is_scalar for f in rest) and any(isinstance(f, t.T) for f in rest):
        inner = [f.arg if isinstance(f, t.T) else f for f in reversed(rest)]
        return t.times(t.Const(number), *inner)
    return None


def _sum_of_transposes(node: t.Sum) -> t.MTerm:
    """Aᵀ + Bᵀ = (A + B)ᵀ when every term is a transpose and the result reads shorter."""
    inner = [_untransposed(a) for a in node.args]
    if any(i is None for i in inner):
        return node
    out = t.T(t.plus(*[i for i in inner if i is not None]))
    return out if len(str(out)) < len(str(node)) else node


# -- the sign ------------------------------------------------------------------------------


def _tidy_sign(term: t.MTerm) -> t.MTerm:
    return _map(_flip_sign(term), _positive_first)


def _positive_first(node: t.MTerm) -> t.MTerm:
    """Σ⁻ᵀ − Σ⁻ᵀ(x − μ)(x − μ)ᵀΣ⁻ᵀ rather than −Σ⁻ᵀ(x − μ)(x − μ)ᵀΣ⁻ᵀ + Σ⁻ᵀ."""
    if not isinstance(node, t.Sum) or not _parts(node.args[0])[0].could_extract_minus_sign():
        return node
    ordered = sorted(node.args, key=lambda a: _parts(a)[0].could_extract_minus_sign())
    return t.Sum(*ordered)


def _flip_sign(term: t.MTerm) -> t.MTerm:
    """−c A (b − a) as c A (a − b): a negative number in front of a product with one difference."""
    number, rest = _parts(term)
    if not number.could_extract_minus_sign():
        return term
    sums = [
        i
        for i, f in enumerate(rest)
        if isinstance(f, t.Sum) and any(_parts(a)[0].could_extract_minus_sign() for a in f.args)
    ]
    if len(sums) != 1:
        return term
    i = sums[0]
    flipped = t.plus(*sorted((t.neg(a) for a in rest[i].args), key=lambda a: _parts(a)[0].could_extract_minus_sign()))
    return t.times(t.Const(-number), *rest[:i], tidy(flipped), *rest[i + 1 :])
