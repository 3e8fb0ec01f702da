"""Taking the differential: d(·) is the pending operation, and each step rewrites the outermost
open one by the rule its shape calls for (the house's rewriting machinery, with d in place of
d/dx). A d(·) of the variable becomes dX and one of a constant is dropped in the same step, as
on the board; an element-wise function's derivative is worked by the scalar engine as the step's
side derivation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.rewriting import Application, RewriteRule, Strategy, first_open
from ..core.rules import Rule
from ..errors import RuleError
from . import rules as r
from . import terms as t

U = sp.Symbol("u")  # the scalar an element-wise function's derivative is worked in


@dataclass(frozen=True)
class DiffContext:
    var: t.Sym


class _Pending:
    """d(·) as the house's PendingKind."""

    def open_node(self, term: sp.Basic) -> t.D | None:
        return term if isinstance(term, t.D) else None

    def operand(self, node: t.D) -> tuple[sp.Expr, Any]:
        raise NotImplementedError  # the context is the derivation's, not the node's


PENDING = _Pending()


def d(term: t.MTerm, ctx: DiffContext) -> t.MTerm | None:
    """d(term) as the next step shows it: dX for the variable, None for a constant, else pending."""
    if term == ctx.var:
        return t.Dvar(ctx.var)
    if not t.depends_on(term, ctx.var):
        return None
    return t.D(term)


def _rule(rule: Rule, rewrite: Any, matcher: Any = None) -> RewriteRule:
    return RewriteRule(rule.id, rule.title, rule.formula, matcher or (lambda f, ctx: True), rewrite)


def _sum(f: t.Sum, ctx: DiffContext, engine: Any) -> Application:
    parts = [p for p in (d(term, ctx) for term in f.args) if p is not None]
    return Application(r.D_SUM, t.plus(*parts))


def _product(f: t.Prod, ctx: DiffContext, engine: Any) -> Application:
    factors = list(f.args)
    varying = [i for i, factor in enumerate(factors) if t.depends_on(factor, ctx.var)]
    terms = []
    for i in varying:
        differential = d(factors[i], ctx)
        assert differential is not None
        terms.append(t.times(*factors[:i], differential, *factors[i + 1 :]))
    rule = r.D_LINEAR if len(varying) == 1 else r.D_PRODUCT
    if len(varying) == 1 and all(isinstance(factor, t.Const) for j, factor in enumerate(factors) if j != varying[0]):
        rule = r.D_SCALAR
    return Application(rule, t.plus(*terms))


def _hadamard(f: t.Had, ctx: DiffContext, engine: Any) -> Application:
    factors = list(f.args)
    terms = []
    for i, factor in enumerate(factors):
        differential = d(factor, ctx)
        if differential is not None:
            terms.append(t.Had(*factors[:i], differential, *factors[i + 1 :]))
    return Application(r.D_HADAMARD, t.plus(*terms))


def _unary(rule: Rule, build: Any) -> Any:
    def rewrite(f: t.Unary, ctx: DiffContext, engine: Any) -> Application:
        inner = d(f.arg, ctx)
        assert inner is not None
        return Application(rule, build(f.arg, inner))

    return rewrite


def _inverse(u: t.MTerm, du: t.MTerm) -> t.MTerm:
    return t.times(t.Const(-1), t.Inv(u), du, t.Inv(u))


def _det(u: t.MTerm, du: t.MTerm) -> t.MTerm:
    return t.times(t.Det(u), t.Tr(t.times(t.Inv(u), du)))


def _norm(u: t.MTerm, du: t.MTerm) -> t.MTerm:
    inner = t.times(t.transpose(u), du) if u.shape[1] == 1 else t.Tr(t.times(t.transpose(u), du))
    return t.times(t.Elementwise(t.T_ARG**-1, t.Norm2(u)), inner)


def _softmax(u: t.MTerm, du: t.MTerm) -> t.MTerm:
    s = t.Softmax(u)
    return t.plus(t.Had(s, du), t.neg(t.times(s, t.times(t.transpose(s), du))))


def _elementwise(f: t.Elementwise, ctx: DiffContext, engine: Any) -> Application:
    inner = d(f.arg, ctx)
    assert inner is not None
    function = f.function.xreplace({t.T_ARG: U})
    side = engine.scalar_derivative(function)
    derivative = engine.in_t(side) if side is not None else f.derivative()
    slope = t.Elementwise(derivative, f.arg)
    if derivative.is_number:
        slope = t.Const(derivative) if f.arg.is_scalar else t.times(t.Const(derivative), t.Ones(*f.arg.shape))
    replacement = t.times(slope, inner) if f.arg.is_scalar else t.Had(slope, inner)
    bindings = {"f(u)": function, "f'(u)": derivative.xreplace({t.T_ARG: U})}
    return Application(r.D_ELEMENTWISE, replacement, bindings, [side] if side is not None else [])


def _variable(f: t.Sym, ctx: DiffContext, engine: Any) -> Application:
    if f != ctx.var:
        return Application(r.D_CONSTANT, t.Zero(*f.shape))
    return Application(r.D_VARIABLE, t.Dvar(ctx.var))


def _named(f: t.Named, ctx: DiffContext, engine: Any) -> Application:
    inner = d(f.definition, ctx)
    assert inner is not None
    return Application(r.D_NAMED, inner, {f.name: f.definition})


NAMES = ("z", "u", "v", "q", "r", "s", "p")


def name_parts(term: t.MTerm, var: t.Sym, taken: set[str]) -> tuple[t.MTerm, list[t.Named]]:
    """The compound arguments of element-wise functions (Xw + b𝟏 in σ(Xw + b𝟏)) named z, u, …,
    so that the steps stay readable; the same part gets the same name."""
    names: dict[t.MTerm, t.Named] = {}
    free = [n for n in NAMES if n not in taken]

    def walk(node: sp.Basic) -> sp.Basic:
        if not isinstance(node, t.MTerm) or isinstance(node, (t.Sym, t.Dvar, t.Const, t.Ones, t.Identity, t.Zero)):
            return node
        if isinstance(node, (t.Elementwise, t.Softmax)):
            arg = walk(node.arg)
            linear = not arg.has(t.Elementwise, t.Softmax, t.Named)  # Xw + b𝟏, not 𝟏 − σ(z)
            if isinstance(arg, (t.Sum, t.Prod)) and linear and t.depends_on(arg, var) and not arg.is_scalar:
                if arg not in names and free:
                    names[arg] = t.Named(free.pop(0), arg)
                arg = names.get(arg, arg)
            return t.Elementwise(node.function, arg) if isinstance(node, t.Elementwise) else t.Softmax(arg)
        return node.func(*[walk(a) for a in node.args])

    return walk(term), list(names.values())


STRATEGY = Strategy(
    first=(),
    by_type={
        t.Sum: (_rule(r.D_SUM, _sum),),
        t.Prod: (_rule(r.D_PRODUCT, _product),),
        t.Had: (_rule(r.D_HADAMARD, _hadamard),),
        t.T: (_rule(r.D_TRANSPOSE, _unary(r.D_TRANSPOSE, lambda u, du: t.transpose(du))),),
        t.Tr: (_rule(r.D_TRACE, _unary(r.D_TRACE, lambda u, du: t.Tr(du))),),
        t.Inv: (_rule(r.D_INVERSE, _unary(r.D_INVERSE, _inverse)),),
        t.Det: (_rule(r.D_DET, _unary(r.D_DET, _det)),),
        t.LogAbsDet: (_rule(r.D_LOGDET, _unary(r.D_LOGDET, lambda u, du: t.Tr(t.times(t.Inv(u), du)))),),
        t.Norm2: (_rule(r.D_NORM, _unary(r.D_NORM, _norm)),),
        t.Softmax: (_rule(r.D_SOFTMAX, _unary(r.D_SOFTMAX, _softmax)),),
        t.Diag: (_rule(r.D_DIAG, _unary(r.D_DIAG, lambda u, du: t.Diag(du))),),
        t.Elementwise: (_rule(r.D_ELEMENTWISE, _elementwise),),
        t.Named: (_rule(r.D_NAMED, _named),),
        t.Sym: (_rule(r.D_VARIABLE, _variable),),
    },
    last=(),
)


class Engine:
    """What a rule may ask for on the way: the scalar derivative f'(u) as a worked derivation."""

    @staticmethod
    def in_t(worked: Any) -> sp.Expr:
        """f'(u) of the scalar engine (whose u is its own real symbol) as a function of t."""
        return sp.sympify(worked.result).xreplace({worked.context.wrt: t.T_ARG})

    def __init__(self) -> None:
        self._seen: dict[sp.Expr, Any] = {}

    def scalar_derivative(self, function: sp.Expr) -> Any:
        if function in self._seen:
            return self._seen[function]
        from ..calculus.api import differentiate

        try:
            worked = differentiate(function, U.name)
        except Exception:  # a function the scalar engine cannot work: SymPy's derivative, unshown
            worked = None
        self._seen[function] = worked
        return worked


def differential_steps(term: t.MTerm, ctx: DiffContext, make_step: Any) -> tuple[list[Any], t.MTerm]:
    """Steps from d(f) until no d(·) is pending; ``make_step(rule, before, after, bindings, substeps)``."""
    engine = Engine()
    steps: list[Any] = []
    while (node := first_open(term, PENDING)) is not None:
        if len(steps) > 200:
            raise RuleError("more than 200 steps: the expression is too large to work by hand")
        application = STRATEGY.choose(node.arg, ctx, engine)
        after = tidy(_replace(term, node, application.replacement))
        steps.append(make_step(application.rule, term, after, application.bindings, application.substeps))
        term = after
    return steps, term


def _replace(term: sp.Basic, old: sp.Basic, new: sp.Basic) -> sp.Basic:
    if term == old:
        return new
    if not isinstance(term, t.MTerm) or not term.args:
        return term
    for index, arg in enumerate(term.args):
        if arg.has(old):
            args = list(term.args)
            args[index] = _replace(arg, old, new)
            return term.func(*args)
    return term


def _ones_blocks(factors: list[sp.Basic]) -> list[sp.Basic]:
    """𝟏𝟏ᵀ as the all-ones block (whose ⊙ then drops): 𝟏ᵀ(…)𝟏 sums all entries."""
    out: list[sp.Basic] = []
    for factor in factors:
        if (
            out
            and isinstance(out[-1], t.Ones)
            and out[-1].shape[1] == 1
            and isinstance(factor, t.T)
            and isinstance(factor.arg, t.Ones)
            and factor.arg.shape[1] == 1
        ):
            out[-1] = t.Ones(out[-1].shape[0], factor.arg.shape[0])
        else:
            out.append(factor)
    return out


def tidy(term: sp.Basic) -> sp.Basic:
    """Nested sums and products flattened, numbers merged, zeros dropped: what a teacher writes
    without a step (the step's check covers it)."""
    if not isinstance(term, t.MTerm) or not term.args:
        return term
    if isinstance(term, (t.Sym, t.Dvar, t.Const, t.Ones, t.Identity, t.Zero, t.Named)):
        return term
    args = [tidy(a) for a in term.args]
    if isinstance(term, t.Sum):
        return t.plus(*args)
    if isinstance(term, t.Prod):
        return t.times(*_ones_blocks(args))
    if isinstance(term, t.Had):
        flat: list[sp.Basic] = []
        for a in args:
            flat.extend(a.args if isinstance(a, t.Had) else [a])
        kept = [a for a in flat if not isinstance(a, t.Ones)] or flat[:1]  # a ⊙ 𝟏 = a
        return t.Had(*kept)
    if isinstance(term, t.T):
        return t.transpose(args[0])
    return term.func(*args)
