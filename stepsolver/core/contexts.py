"""What a derivation is about, typed: the few kinds of derivation the house works, each with the
facts its steps do not hold (the variable, the point, the node, the operation).

``variables()`` is the context as the JSON output's ``variables``, with the names of the
interface contract, in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import sympy as sp


@dataclass(frozen=True)
class Context:
    @property
    def kind(self) -> str:
        raise NotImplementedError

    def variables(self) -> dict[str, Any]:
        raise NotImplementedError

    def concludes(self) -> str:
        """What the derivation concludes in words (an operation's verdict), or nothing."""
        return ""


@dataclass(frozen=True)
class DerivativeContext(Context):
    """d^order/dx^order f, evaluated at ``at`` if given. A sequence of partials (first by x, then
    by y, …) keeps its variables in ``sequence``, in the order they are taken; ``wrt`` is the last."""

    wrt: sp.Symbol
    order: int = 1
    at: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    sequence: tuple[sp.Symbol, ...] = ()

    @property
    def kind(self) -> str:
        return "derivative"

    @property
    def mixed(self) -> bool:
        return len(set(self.sequence)) > 1

    def variables(self) -> dict[str, Any]:
        wrt: Any = list(self.sequence) if self.mixed else self.wrt
        order = {"order": self.order} if self.order != 1 else {}
        return {"wrt": wrt, **order, **({"at": self.at} if self.at else {})}


@dataclass(frozen=True)
class SlopeContext(Context):
    """The difference quotient with step h (``central``: (f(a + h) − f(a − h))/2h)."""

    wrt: sp.Symbol
    h: sp.Expr
    central: bool = False

    @property
    def kind(self) -> str:
        return "slope"

    def variables(self) -> dict[str, Any]:
        return {"wrt": self.wrt, "h": self.h, "central": self.central}


GraphRole = Literal["forward_pass", "forward_node", "adjoint", "tangent"]


@dataclass(frozen=True)
class GraphContext(Context):
    """A part of a worked computation graph: its forward pass (at a point), one node's value,
    one node's adjoint ∂f/∂node, or one node's tangent ∂node/∂x."""

    role: GraphRole
    node: str = ""
    at: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.role

    def variables(self) -> dict[str, Any]:
        return {"node": self.node} if self.node else ({"at": self.at} if self.at else {})


@dataclass(frozen=True)
class LinalgContext(Context):
    """A linear-algebra operation (or a side computation of one: a determinant, a dependency),
    with what it concludes in words and, for a whole operation, the inputs its NumPy line runs on."""

    operation: str
    conclusion: str = ""
    singular_values: tuple[sp.Expr, ...] = ()
    numpy_inputs: dict[str, Any] = field(default_factory=dict)
    whole: bool = False  # an operation the user asked for, not a side computation

    @property
    def kind(self) -> str:
        return self.operation

    def concludes(self) -> str:
        return self.conclusion

    def variables(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.singular_values:
            out["singular_values"] = list(self.singular_values)
        if self.conclusion:
            out["conclusion"] = self.conclusion
        if self.whole:
            out |= {"numpy_inputs": self.numpy_inputs, "operation": self.operation}
        return out
