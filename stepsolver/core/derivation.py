"""A derivation: a start term and a chain of justified, machine-checked equalities."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import sympy as sp

from ..functions import to_elementary
from .contexts import Context, DerivativeContext, GraphContext, LinalgContext, SlopeContext
from .display import Displayable
from .rules import Rule
from .terms import replace_first, substitute_held
from .values import too_large_to_expand
from .verify import Check, prove_equal

__all__ = [
    "Answer", "Context", "Derivation", "DerivativeContext", "GraphContext", "LinalgContext", "SlopeContext", "Step",
    "Worked",
]  # fmt: skip

C = TypeVar("C", bound=Context)


@dataclass
class Step:
    """``before = after`` because ``rule``, with ``bindings``; ``substeps`` are side derivations.

    ``redex`` is the sub-term the step rewrote and what replaced it. When it is set, the step
    is verified locally: the rest of the term is checked to be unchanged, and the rewritten
    piece is checked to equal its replacement, which proves before = after.
    """

    rule: Rule
    before: sp.Expr
    after: sp.Expr
    bindings: dict[str, sp.Expr] = field(default_factory=dict)
    substeps: list[Worked] = field(default_factory=list)
    redex: tuple[sp.Expr, sp.Expr] | None = None
    substitution: dict[sp.Symbol, sp.Expr] | None = None
    # False once SymPy has evaluated the result: then it prints in SymPy's usual term order
    typed_order: bool = True
    check: Check | None = field(default=None, compare=False)
    _checked: tuple[sp.Expr, sp.Expr] | None = field(default=None, repr=False, compare=False)

    def verify(self) -> Check:
        """The check of before = after, done once and redone if either side is replaced."""
        if self.check is None or self._checked != (self.before, self.after):
            self.check = self._verify()
            self._checked = (self.before, self.after)
        return self.check

    def _verify(self) -> Check:
        if self.substitution is not None:
            return prove_equal(_substituted(_evaluate(self.before), self.substitution), _evaluate(self.after))
        if self.redex is not None:
            old, new = self.redex
            if replace_first(self.before, old, new) == self.after:
                return check_link(old, new)
        return check_link(self.before, self.after)


def check_link(before: sp.Expr, after: sp.Expr) -> Check:
    """before = after, with pending derivatives and held-back arithmetic carried out first: the
    check of one step, whether the engine wrote it or a student did."""
    try:
        left, right = _evaluate(before), _evaluate(after)
    except (NotImplementedError, ValueError, TypeError, ArithmeticError) as error:
        # SymPy cannot carry out a side (a limit it has no method for): nothing is proved either way
        return Check("undecided", f"SymPy could not evaluate a side ({type(error).__name__})")
    return prove_equal(left, right)


def _substituted(expr: sp.Expr, substitution: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``subs`` replaces one key at a time, each a walk over the whole term: quadratic for the
    adjoint of an input used by hundreds of nodes. One ``xreplace`` walk does the same unless a
    derivative is left in the term (f'(x) at x = 2 must become a Subs, which only ``subs`` does)."""
    if expr.has(sp.Derivative, sp.Subs):
        return expr.subs(substitution)
    held = substitute_held(expr, substitution)
    if too_large_to_expand(held):
        return held  # x^999998 at x = 10^999: the verifier compares decimals, never the exact integer
    return expr.xreplace(substitution)


def _evaluate(expr: sp.Expr) -> sp.Expr:
    """Carry out pending derivatives and held-back arithmetic, with σ, softplus and ReLU written
    out in elementary functions first, so that their derivatives are checked against their
    definitions and not against the derivative formulas this package gives them. A number too
    large to write out exactly stays held; the verifier compares it in decimals."""
    elementary = to_elementary(expr)
    if too_large_to_expand(elementary):
        return elementary
    if elementary.has(sp.Limit) and elementary.has(sp.Max, sp.Min):
        elementary = elementary.rewrite(sp.Piecewise)  # SymPy's limit takes pieces, not max
    done = elementary.doit()
    if done.has(sp.DiracDelta):
        done = _as_functions_of_reals(done)
    return _step_function_slopes(done) if done.has(sp.floor, sp.ceiling) else done


def _as_functions_of_reals(expr: sp.Expr) -> sp.Expr:
    """SymPy's δ(u), from (sgn u)′, as the function it is away from u = 0: 0 there, and no value at
    u = 0. (Its H(u), from max′, stays: H(0) = 1/2 averages two slopes that tie, which is right
    exactly where max(u, v) has a derivative on a tie — u′ = v′.)"""
    return expr.replace(
        lambda e: isinstance(e, sp.DiracDelta) and len(e.args) == 1,
        lambda e: sp.Piecewise((0, sp.Ne(e.args[0], 0))),
    )


def _step_function_slopes(expr: sp.Expr) -> sp.Expr:
    """SymPy leaves (floor u)' unevaluated. floor and ceiling are constant between the whole
    numbers, so there their derivative is 0, and at a whole number there is none."""

    def flat(step: sp.Expr, at: sp.Expr) -> sp.Expr:
        return sp.Piecewise((0, sp.Ne(at, type(step)(at))))

    def slope_of(node: sp.Expr) -> sp.Expr:
        # any partial of floor(u), of any order: floor(u) is constant wherever u is not a whole number
        if isinstance(node, sp.Derivative) and isinstance(node.expr, (sp.floor, sp.ceiling)):
            return flat(node.expr, node.expr.args[0])
        return node

    # (floor u)' of a chain rule comes as Subs(d/dξ floor ξ, ξ, u): replaced inside, then substituted
    return expr.replace(lambda n: isinstance(n, sp.Derivative), slope_of).doit()


@dataclass
class VerificationReport:
    checks: list[tuple[str, Check]]

    @classmethod
    def of(cls, parts: Iterable[tuple[str, Any]]) -> VerificationReport:
        """One report of several worked parts (each with a ``verify()``), each check named by its part."""
        return cls([(f"{name}, {where}", check) for name, part in parts for where, check in part.verify().checks])

    @property
    def ok(self) -> bool:
        return all(check.ok for _, check in self.checks)

    @property
    def proved(self) -> bool:
        return all(check.status == "proved" for _, check in self.checks)

    @property
    def first_failure(self) -> tuple[str, Check] | None:
        return next(((where, c) for where, c in self.checks if not c.ok), None)

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        failure = self.first_failure
        if failure is not None:
            where, check = failure
            return f"{where}: {check.describe()}"
        numeric = [where for where, c in self.checks if c.status == "numeric"]
        if len(numeric) > 3:  # a model's 80 matrix steps: counted, not listed
            shown = ", ".join(numeric[:2])
            return (f"all {len(self.checks)} steps verified; {len(numeric)} of them numerically only "
                    f"({shown} and {len(numeric) - 2} more)")  # fmt: skip
        if numeric:
            return f"all {len(self.checks)} steps verified; {', '.join(numeric)} checked numerically only"
        sized = [c for _, c in self.checks if c.status == "sizes"]
        if sized:
            return f"all {len(self.checks)} steps checked ({sized[0].method})"
        return f"all {len(self.checks)} steps proved"


@dataclass
class Derivation(Displayable, Generic[C]):
    """A start term and a chain of justified steps, with what it is about (its ``context``: a
    derivative with respect to x, a slope, a node of a graph, a linear-algebra operation);
    ``Derivation[DerivativeContext]`` is a derivative, whose ``context.wrt`` is its variable."""

    input: str
    start: sp.Expr
    steps: list[Step]
    context: C
    partial: bool = False

    @property
    def kind(self) -> str:
        return self.context.kind

    @property
    def derivation(self) -> Derivation[C]:
        """Itself: the derivation of a part of a worked solution, whether a plain derivation or
        an Answer that composes one."""
        return self

    @property
    def variables(self) -> dict[str, Any]:
        """The context as the JSON's ``variables`` (the interface contract's names)."""
        return self.context.variables()

    @property
    def function(self) -> sp.Expr:
        """What is differentiated: f in d/dx f (or d^n/dx^n f)."""
        return self.start.expr if isinstance(self.start, sp.Derivative) else self.start

    @property
    def result(self) -> sp.Expr:
        return self.steps[-1].after if self.steps else self.start

    def verify(self) -> VerificationReport:
        """Check every step (and every substep); the report names the first one that fails."""
        checks: list[tuple[str, Check]] = []
        previous = self.start
        for number, step in enumerate(self.steps, start=1):
            for sub_number, sub in enumerate(step.substeps, start=1):
                for where, check in sub.verify().checks:
                    checks.append((f"step {number}, side derivation {sub_number}, {where}", check))
            if step.before != previous:  # the chain shows previous = after: a step starts where the last ended
                link = check_link(previous, step.before)
                checks.append((f"step {number} starts where step {number - 1} ended", link))
            checks.append((f"step {number} ({step.rule.title})", step.verify()))
            previous = step.after
        return VerificationReport(checks)


@dataclass
class Answer(Displayable):
    """A worked answer that is not the last expression of its derivation: a verdict (True/False),
    eigenvalues with their eigenvectors, U Σ Vᵀ, a number with the line of code that computes the
    same. It composes the derivation (whose ``result`` stays an expression) with that value."""

    derivation: Derivation[LinalgContext]
    value: Any
    numpy: str = ""  # the lecture's "In Python" line, e.g. np.trace(A)
    runs: Callable[[], Any] | None = field(default=None, compare=False, repr=False)  # that line, on these inputs

    def run_numpy(self) -> Any:
        """What the NumPy line gives on the answer's own inputs (run when asked: it imports NumPy)."""
        if self.runs is None:
            raise ValueError("this answer has no NumPy line")
        return self.runs()

    @property
    def result(self) -> Any:
        return self.value

    @property
    def steps(self) -> list[Step]:
        return self.derivation.steps

    @property
    def start(self) -> sp.Expr:
        return self.derivation.start

    @property
    def input(self) -> str:
        return self.derivation.input

    @property
    def context(self) -> LinalgContext:
        return self.derivation.context

    @property
    def kind(self) -> str:
        return self.derivation.kind

    @property
    def variables(self) -> dict[str, Any]:
        return self.derivation.variables

    @property
    def partial(self) -> bool:
        return self.derivation.partial

    def verify(self) -> VerificationReport:
        return self.derivation.verify()


# A part of a worked solution: a side derivation, or a worked answer used on the way (A⁻¹A = I
# checked by a worked product).
Worked = Derivation[Any] | Answer
