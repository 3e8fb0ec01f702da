"""One example's computation graph and its backward pass, with the house's graph code.

The graph is the lecture's: z = x⁽ⁱ⁾w + b, ŷ = σ(z), L = −[y ln ŷ + (1 − y) ln(1 − ŷ)]. The
features and the label are data (constants of the graph); w_j and b are its inputs, whose
adjoints the backward pass works out node by node, each local derivative by the step engine,
each input's adjoint compared with the step engine's own ∂L/∂w_j. z is written
x_j w_j + Σ_{k≠j} x_k w_k + b so that what is shown for w_j holds for every feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from ..calculus.api import differentiate
from ..core.derivation import Derivation, Step, check_link
from ..core.notation import text
from ..core.rules import SIMPLIFY
from ..core.verify import Check
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
        Operation("z", s.z, sp.Add(sp.Mul(s.x_j, s.w_j, evaluate=False), s.others, s.b, evaluate=False), "+"),
        Operation("yhat", s.yhat, sigmoid(s.z), "σ"),
        Operation("L", s.L, -(s.y * sp.log(s.yhat) + (1 - s.y) * sp.log(1 - s.yhat)), "L"),
    ]


def linear_operations() -> list[Operation]:
    return [
        Operation("yhat", s.yhat, sp.Add(sp.Mul(s.x_j, s.w_j, evaluate=False), s.others, s.b, evaluate=False), "+"),
        Operation("L", s.L, (s.yhat - s.y) ** 2, "L"),
    ]


@dataclass
class NamedStep(Step):
    """A term written in a node's name (σ(z) as ŷ): checked with the name replaced by what the
    node computes, on the side that uses the name."""

    names: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)

    def _verify(self) -> Check:
        return check_link(self.before, self.after.xreplace(self.names))


def _sigma_as_yhat() -> Derivation:
    """∂ŷ/∂z by the step engine, σ(z)(1 − σ(z)), then in the node's name: ŷ(1 − ŷ)."""
    worked = differentiate(sigmoid(s.z), wrt=s.z)
    named = sp.Mul(s.yhat, sp.Add(1, -s.yhat, evaluate=False), evaluate=False)
    step = NamedStep(NODE_NAME, worked.result, named, {"ŷ": sigmoid(s.z)}, names={s.yhat: sigmoid(s.z)})
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
    # ∂ŷ/∂z in the node's name, where ŷ is the sigmoid of z (backward_pass checks it is that derivative)
    sigmoid_of_z = "yhat" in nodes and nodes["yhat"].local == sigmoid(s.z)
    local = {("yhat", "z"): _sigma_as_yhat()} if sigmoid_of_z else {}
    backward = backward_pass(graph, None, {}, local)
    for adjoint in backward.adjoints.values():
        adjoint.steps[:] = _as_the_lecture_writes(adjoint.steps)
    return PerExample(graph, backward, ("w_j", "b"))


def _as_the_lecture_writes(steps: list[Step]) -> list[Step]:
    """ŷ − y and (ŷ − y)x_j as the lecture writes them, not SymPy's −y + ŷ; a tidy step that only
    reorders is dropped (the next step starts where the chain rule ended)."""
    out: list[Step] = []
    for step in steps:
        if step.rule is SIMPLIFY:
            lecture = _lecture_form(step.after)
            if lecture is not None and out and text(out[-1].after) == text(lecture):
                continue  # (ŷ − y)·x_j = x_j·(−y + ŷ): nothing a reader gains
            if lecture is not None:
                step = Step(step.rule, step.before, lecture, step.bindings, step.substeps)
        if out and step.before != out[-1].after and step.rule is NODE_DEFINITIONS:
            step = Step(step.rule, out[-1].after, step.after, step.bindings, step.substeps,
                        substitution=step.substitution)  # fmt: skip
        out.append(step)
    return out


def _lecture_form(expr: sp.Expr) -> sp.Expr | None:
    """c·(ŷ − y) or c·(ŷ − y)·x_j, held in that order, if ``expr`` is one of them."""
    error = sp.Add(s.yhat, -s.y, evaluate=False)
    for tail in (sp.S.One, s.x_j):
        ratio = sp.simplify(expr / ((s.yhat - s.y) * tail))
        if ratio.is_number and ratio != 0:
            factors = [f for f in (ratio, error, tail) if f != 1]
            return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
    return None


def _in_order(expr: sp.Expr, known: dict[sp.Expr, str]) -> list[sp.Expr]:
    seen: list[sp.Expr] = []
    for term in sp.preorder_traversal(expr):
        if term in known and term not in seen:
            seen.append(term)
    return seen


OPERATIONS = {"logistic": logistic_operations, "linear": linear_operations}
