"""Scalar derivatives by rewriting: each step applies one rule to one pending d/dx.

The term starts as d/dx f. Each step finds the outermost pending derivative, lets the strategy
pick the rule its shape calls for (sum, product, quotient, chain, …), and replaces it by the
rule's right-hand side, which may hold new pending derivatives of the parts. When nothing is
pending, the textbook form is tidied by named arithmetic and simplification steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from ..core.derivation import Derivation, DerivativeContext, Step
from ..core.notation import text
from ..core.rewriting import Application, Strategy, rewrite_all
from ..core.rules import ARITHMETIC
from ..core.terms import is_final, pending, substitute
from ..errors import RuleError
from .final_forms import as_the_input_wrote_roots, final_steps
from .simplify import tidy_steps
from .strategy import DERIVATIVE


class PendingDerivative:
    """d/dx f as a pending operation: open unless it is f'(x) of a function that is not given."""

    def open_node(self, term: sp.Basic) -> sp.Derivative | None:
        return term if isinstance(term, sp.Derivative) and not is_final(term) else None

    def operand(self, node: sp.Derivative) -> tuple[sp.Expr, sp.Symbol]:
        if len(node.variables) > 1:
            raise RuleError("a pending mixed or higher derivative inside a step")
        return node.expr, node.variables[0]


PENDING = PendingDerivative()


@dataclass(frozen=True)
class Engine:
    """The step engine with one strategy: the house's, or a student's with a rule swapped.
    ``inside`` maps the letters of side derivations back to the problem (u → 3x in sin u)."""

    strategy: Strategy = DERIVATIVE
    inside: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    def choose(self, f: sp.Expr, x: sp.Symbol) -> Application:
        return self.strategy.choose(f, x, self)

    def steps(self, f: sp.Expr, x: sp.Symbol, start: sp.Expr | None = None) -> list[Step]:
        """Steps from d/dx f (or ``start``) until no derivative is pending."""
        return rewrite_all(pending(f, x) if start is None else start, PENDING, self.choose)

    def side_derivation(self, f: sp.Expr, u: sp.Symbol, inner: sp.Expr) -> Derivation[DerivativeContext]:
        """F'(u) for the chain rule (u standing for ``inner``), worked with the same rules, not tidied."""
        engine = Engine(self.strategy, {**self.inside, u: self.as_written(inner)})
        return derivation_of("", pending(f, u), engine.steps(f, u), f, u, tidy=False)

    def as_written(self, term: sp.Expr) -> sp.Expr:
        return substitute(term, self.inside) if self.inside else term


ENGINE = Engine()


def derive_chain(f: sp.Expr, x: sp.Symbol, start: sp.Expr | None = None) -> list[Step]:
    """Steps from d/dx f (or ``start``) until no derivative is pending."""
    return ENGINE.steps(f, x, start)


def differentiate_expr(
    f: sp.Expr, x: sp.Symbol, input_text: str | None, simplify: bool = True
) -> Derivation[DerivativeContext]:
    """The first derivative of f with respect to x, as a derivation."""
    return derivation_of(input_text or "", pending(f, x), derive_chain(f, x), f, x, tidy=simplify)


def _without_repeats(steps: list[Step]) -> list[Step]:
    """An Arithmetic step that prints exactly the line before it (2·x + 1, then 2·x + 1 again) is
    folded into that line: the line keeps its text and takes the evaluated term."""
    out: list[Step] = []
    for step in steps:
        if out and step.rule is ARITHMETIC and not step.substeps:
            last = out[-1]
            if text(step.after, typed=step.typed_order) == text(last.after, typed=last.typed_order):
                out[-1] = replace(last, after=step.after, typed_order=step.typed_order, check=None, _checked=None)
                continue
        out.append(step)
    return out


def derivation_of(
    text: str, start: sp.Expr, steps: list[Step], f: sp.Expr, x: sp.Symbol, tidy: bool = True, order: int = 1
) -> Derivation[DerivativeContext]:
    """A derivative's Derivation from its rule steps, with the tidying steps after them."""
    derivation = Derivation(text, start, steps, DerivativeContext(x, order), partial=len(f.free_symbols) > 1)
    if tidy:
        derivation.steps = as_the_input_wrote_roots(_without_repeats([*steps, *tidy_steps(derivation.result)]), f)
        typed = derivation.steps[-1].typed_order if derivation.steps else True
        derivation.steps.extend(final_steps(derivation.result, typed))
    return derivation
