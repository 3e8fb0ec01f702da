"""One example's computation graph and its backward pass, with the house's graph code.

The graph is the lecture's: z = x⁽ⁱ⁾w + b, ŷ = σ(z), L = −[y ln ŷ + (1 − y) ln(1 − ŷ)]. The
features and the label are data (constants of the graph); w_j and b are its inputs, whose
adjoints the backward pass works out node by node, each local derivative by the step engine,
each input's adjoint compared with the step engine's own ∂L/∂w_j. z is written
x_j w_j + Σ_{k≠j} x_k w_k + b so that what is shown for w_j holds for every feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..calculus.api import differentiate
from ..core.derivation import Derivation, Step
from ..functions import sigmoid
from ..graph.model import Graph, Node
from ..graph.passes import BackwardPass, backward_pass
from ..graph.rules import NODE_DEFINITIONS
from . import symbols as s
from .rules import NODE_NAME


@dataclass(frozen=True)
class Operation:
    name: str
    symbol: sp.Symbol
    local: sp.Expr
    label: str  # for the picture: "+", "σ", "L"


@dataclass
class PerExample:
    """The worked graph of one example: its nodes and the backward pass from L."""

    graph: Graph
    backward: BackwardPass
    params: tuple[str, ...]  # the graph inputs that are parameters: w_j, b

    @property
    def adjoints(self) -> list[Derivation]:
        """∂L/∂node for the operation nodes and the parameters, from L back to w_j and b."""
        return [d for name, d in self.backward.adjoints.items() if name != self.graph.output]

    def in_node_names(self, node: str) -> sp.Expr:
        """∂L/∂node as the backward pass first finds it, in the node names (ŷ − y, (ŷ − y)x_j)."""
        steps = self.backward.adjoints[node].steps
        for step in steps:
            if step.rule is NODE_DEFINITIONS:
                return step.before
        return steps[-1].after


def logistic_operations() -> list[Operation]:
    return [
        Operation("z", s.z, sp.Add(sp.Mul(s.x_j, s.w_j), s.others, s.b, evaluate=False), "+"),
        Operation("yhat", s.yhat, sigmoid(s.z), "σ"),
        Operation("L", s.L, -(s.y * sp.log(s.yhat) + (1 - s.y) * sp.log(1 - s.yhat)), "L"),
    ]


def linear_operations() -> list[Operation]:
    return [
        Operation("yhat", s.yhat, sp.Add(sp.Mul(s.x_j, s.w_j), s.others, s.b, evaluate=False), "+"),
        Operation("L", s.L, (s.yhat - s.y) ** 2, "L"),
    ]


def _sigma_as_yhat() -> Derivation:
    """∂ŷ/∂z by the step engine, σ(z)(1 − σ(z)), then in the node's name: ŷ(1 − ŷ)."""
    worked = differentiate(sigmoid(s.z), wrt=s.z)
    named = sp.Mul(s.yhat, sp.Add(1, -s.yhat, evaluate=False), evaluate=False)
    step = Step(NODE_NAME, worked.result, named, {"yhat": sigmoid(s.z)}, substitution={s.yhat: sigmoid(s.z)})
    return Derivation(worked.input, worked.start, [*worked.steps, step], worked.context)


def per_example_graph(operations: Sequence[Operation]) -> PerExample:
    data = [("x_j", s.x_j), ("s_j", s.others), ("y", s.y)]
    params = [("w_j", s.w_j), ("b", s.b)]
    nodes: dict[str, Node] = {}
    written: dict[sp.Symbol, sp.Expr] = {}
    for name, symbol in data:
        nodes[name] = Node(name, "constant", symbol, symbol, (), symbol, "")
    for name, symbol in params:
        nodes[name] = Node(name, "input", symbol, symbol, (), symbol, "")
    by_symbol = {node.symbol: name for name, node in nodes.items()}
    for op in operations:
        children = tuple(by_symbol[c] for c in _in_order(op.local, by_symbol))
        expr = op.local.xreplace(written)
        nodes[op.name] = Node(op.name, "operation", op.symbol, op.local, children, expr, op.label)
        written[op.symbol] = expr
        by_symbol[op.symbol] = op.name
    parents: dict[str, list[str]] = {name: [] for name in nodes}
    for node in nodes.values():
        for child in node.children:
            parents[child].append(node.name)
    graph = Graph(nodes, operations[-1].name, parents)
    local = {("yhat", "z"): _sigma_as_yhat()} if "z" in nodes and "yhat" in nodes else {}
    return PerExample(graph, backward_pass(graph, None, {}, local), ("w_j", "b"))


def _in_order(expr: sp.Expr, known: dict[sp.Expr, str]) -> list[sp.Expr]:
    seen: list[sp.Expr] = []
    for term in sp.preorder_traversal(expr):
        if term in known and term not in seen:
            seen.append(term)
    return seen
