"""Rewriting a term step by step, generic in the kind of pending operation.

A term holds pending operations (today d/dx f; next, a differential d(·) of a matrix expression).
Each step takes the outermost, leftmost open one, lets a strategy pick the rule its shape calls
for, and replaces it by the rule's right-hand side, which may hold new pending operations of the
parts. The rules are small typed definitions with a matcher and a rewrite; the strategy is a
table kept apart from them (type → ordered candidates), as in SymPy's ``manualintegrate``. A
mistake is the same strategy with one rule swapped for a corrupted one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import sympy as sp

from ..errors import RuleError
from .derivation import Step, Worked
from .rules import Rule
from .terms import replace_first, size

MAX_STEPS = 1_000  # a derivation longer than this is not a worked solution any more
MAX_SHOWN_PARTS = 100_000  # sub-terms printed over all steps: (x_1⋯x_300)' would print 27 million

Node = TypeVar("Node", bound=sp.Basic)


class PendingKind(Protocol[Node]):
    """A kind of pending operation: which nodes are open, and what a rule is asked to rewrite."""

    def open_node(self, term: sp.Basic) -> Node | None:
        """The node itself if it is an open pending operation of this kind, else None."""

    def operand(self, node: Node) -> tuple[sp.Expr, Any]:
        """(what the operation acts on, the rest of its meaning: for d/dx f, (f, x))."""


@dataclass
class Application:
    """What one rule does to one pending operation: its right-hand side, what its letters stand
    for, and the side derivations it needed (F'(u) for the chain rule)."""

    rule: Rule
    replacement: sp.Expr
    bindings: dict[str, sp.Expr] = field(default_factory=dict)
    substeps: list[Worked] = field(default_factory=list)


@dataclass(frozen=True)
class RewriteRule(Rule):
    """A rule that rewrites a pending operation: ``matches(f, ctx)`` says whether it applies to
    the operand f (with the rest of the operation's meaning: for d/dx, the variable x);
    ``apply(f, ctx, engine)`` gives its application; ``engine`` runs side derivations with the
    same strategy. Two rules are the same rule when their id, title and formula are."""

    matcher: Callable[[Any, Any], bool] = field(default=lambda f, ctx: True, compare=False, repr=False)
    rewriter: Callable[[Any, Any, Any], Application] | None = field(default=None, compare=False, repr=False)

    def matches(self, f: sp.Expr, ctx: Any) -> bool:
        return self.matcher(f, ctx)

    def apply(self, f: sp.Expr, ctx: Any, engine: Any) -> Application:
        if self.rewriter is None:
            raise NotImplementedError(f"rule {self.id} has no rewrite")
        return self.rewriter(f, ctx, engine)


def _with_rewrite(slot: RewriteRule, replacement: RewriteRule) -> RewriteRule:
    return RewriteRule(slot.id, slot.title, slot.formula, slot.matches, replacement.apply)


def restricted(rule: RewriteRule, matcher: Callable[[Any, Any], bool]) -> RewriteRule:
    """The same rule, tried only where ``matcher`` says (a strategy may offer a rule early for
    one shape and again as the last resort)."""
    return RewriteRule(rule.id, rule.title, rule.formula, matcher, rule.apply)


@dataclass(frozen=True)
class Strategy:
    """Rule choice: ``first`` is tried on every operand, then the candidates listed for the first
    class in the operand's MRO that has any, then ``last``. The first rule that matches wins."""

    first: tuple[RewriteRule, ...]
    by_type: dict[type, tuple[RewriteRule, ...]]
    last: tuple[RewriteRule, ...]

    def candidates(self, f: sp.Basic) -> Iterable[RewriteRule]:
        yield from self.first
        for cls in type(f).__mro__:
            if cls in self.by_type:
                yield from self.by_type[cls]
                break
        yield from self.last

    def choose(self, f: sp.Expr, ctx: Any, engine: Any) -> Application:
        for rule in self.candidates(f):
            if rule.matches(f, ctx):
                return rule.apply(f, ctx, engine)
        raise RuleError(f"no rule applies to {f}")

    @property
    def rules(self) -> list[RewriteRule]:
        seen = [*self.first, *(r for group in self.by_type.values() for r in group), *self.last]
        return list(dict.fromkeys(seen))

    def swapped(self, swaps: dict[RewriteRule, RewriteRule]) -> Strategy:
        """The same strategy with some rules' rewrites replaced (a mistake's corrupted versions);
        each slot keeps its own matcher, so a rule offered early for one shape stays so."""

        def swap(rules: tuple[RewriteRule, ...]) -> tuple[RewriteRule, ...]:
            return tuple(_with_rewrite(rule, swaps[rule]) if rule in swaps else rule for rule in rules)

        return Strategy(swap(self.first), {t: swap(rs) for t, rs in self.by_type.items()}, swap(self.last))


class Student(Protocol):
    def as_written(self, term: sp.Expr) -> sp.Expr:
        """A term of a side derivation (sin u, u = 3x) in the problem's own terms (sin 3x)."""


def corrupted(rule: RewriteRule, wrong: Callable[[Any, Any, Any], Application | None],
              sites: list[sp.Expr]) -> RewriteRule:  # fmt: skip
    """``rule`` as a student who gets it wrong: ``wrong`` gives the wrong application, or None
    where this mistake cannot be made; each place it was made, in the problem's own terms (the
    engine is a ``Student``), is appended to ``sites``."""

    def rewrite(f: Any, ctx: Any, engine: Student) -> Application:
        application = wrong(f, ctx, engine)
        if application is None:
            return rule.apply(f, ctx, engine)
        sites.append(engine.as_written(f))
        return application

    return RewriteRule(rule.id, rule.title, rule.formula, rule.matches, rewrite)


def first_open(term: sp.Basic, kind: PendingKind[Node]) -> Node | None:
    """The outermost, leftmost open pending operation: the one a teacher works on next."""
    stack = [term]
    while stack:
        node = stack.pop()
        found = kind.open_node(node)
        if found is not None:
            return found
        stack.extend(reversed(node.args))
    return None


def rewrite_all(
    term: sp.Expr, kind: PendingKind[Node], choose: Callable[[sp.Expr, Any], Application]
) -> list[Step]:
    """Steps from ``term`` until nothing of ``kind`` is pending: each rewrites one open node by
    the application ``choose`` picks for its operand. Each step is verified locally: only the
    rewritten node and its replacement are compared (``redex``)."""
    steps: list[Step] = []
    shown = 0
    while (node := first_open(term, kind)) is not None:
        if len(steps) >= MAX_STEPS:
            raise RuleError(f"more than {MAX_STEPS} steps: the expression is too large to work by hand")
        shown += size(term)
        if shown > MAX_SHOWN_PARTS:
            raise RuleError("the worked solution would be too long to read: try a smaller expression")
        operand, ctx = kind.operand(node)
        application = choose(operand, ctx)
        after = replace_first(term, node, application.replacement)
        steps.append(
            Step(application.rule, term, after, application.bindings, application.substeps,
                 redex=(node, application.replacement))
        )  # fmt: skip
        term = after
    return steps


Wrong = Callable[[Any, Any, Any], Application | None]


@dataclass(frozen=True)
class Mistake:
    """A common mistake, declared beside the rule it corrupts: ``wrong`` gives, for each rule it
    touches, the wrong application (None where it cannot be made). ``rule`` is the rule a
    diagnosis names as the right one. A mistake of the whole answer (an antiderivative handed
    in) has no wrong rule but an ``answer``."""

    id: str
    meaning: str
    rule: Rule
    wrong: dict[RewriteRule, Wrong] = field(default_factory=dict, compare=False, repr=False)
    answer: Callable[[Any, Any], sp.Expr] | None = field(default=None, compare=False, repr=False)

    def strategy(self, strategy: Strategy, sites: list[sp.Expr]) -> Strategy:
        """``strategy`` as a student who makes this mistake every time; sites collects where."""
        return strategy.swapped({rule: corrupted(rule, wrong, sites) for rule, wrong in self.wrong.items()})
