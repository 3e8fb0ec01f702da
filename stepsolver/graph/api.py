"""``computation_graph``: build the graph, run both passes, verify every step, and hand it out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from ..core import envelope
from ..core.derivation import Derivation, VerificationReport
from ..core.display import Displayable
from ..core.envelope import worked
from ..errors import ParseError
from ..parse import Syntax, parse
from ..parse.inputs import Point, read_point
from .forward_mode import forward_mode as tangents_for
from .model import Graph, build_graph
from .passes import BackwardPass, ForwardPass, backward_pass, forward_pass
from .symbols import Partial


@dataclass
class ComputationGraph(Displayable):
    """A worked computation graph: nodes, forward values, backward adjoints, all verified."""

    input: str
    graph: Graph
    point: dict[sp.Symbol, sp.Expr]
    forward_pass: ForwardPass | None
    backward_pass: BackwardPass
    tangents: dict[str, Derivation] = field(default_factory=dict)  # forward mode: node → ∂node/∂x
    forward_mode_input: str | None = None

    @property
    def function(self) -> sp.Expr:
        return self.graph.nodes[self.graph.output].expr

    @property
    def value(self) -> sp.Expr | None:
        """f at the point (exact), or None when no point was given."""
        return None if self.forward_pass is None else self.forward_pass.values[self.graph.output]

    @property
    def values(self) -> dict[str, sp.Expr]:
        return {} if self.forward_pass is None else dict(self.forward_pass.values)

    @property
    def held(self) -> dict[str, sp.Expr]:
        """Node name → its formula with its inputs' values plugged in, before the arithmetic."""
        return {} if self.forward_pass is None else dict(self.forward_pass.held)

    @property
    def adjoints(self) -> dict[str, sp.Expr]:
        """∂f/∂node for every node: at the point if one was given, else symbolic."""
        return dict(self.backward_pass.values or self.backward_pass.symbolic)

    @property
    def gradient(self) -> dict[str, sp.Expr]:
        """Input name → ∂f/∂input, exact at the point (symbolic when there is no point)."""
        return {node.name: self.adjoints[node.name] for node in self.graph.inputs}

    @property
    def symbolic_gradient(self) -> dict[str, sp.Expr]:
        return {node.name: self.backward_pass.symbolic[node.name] for node in self.graph.inputs}

    @property
    def forward(self) -> Derivation | None:
        return None if self.forward_pass is None else self.forward_pass.derivation

    @property
    def backward(self) -> list[Derivation]:
        """One derivation per node, output first, in the order reverse mode finds them."""
        return list(self.backward_pass.adjoints.values())

    @property
    def report(self) -> VerificationReport:
        """How every step was checked (each step's check is made once and kept)."""
        return self.verify()

    def adjoint_symbol(self, node: str) -> sp.Expr:
        """∂f/∂node: what the backward pass's derivation for ``node`` works out."""
        return Partial(self.graph.nodes[self.graph.output].symbol, self.graph.nodes[node].symbol)

    def tangent_symbol(self, node: str) -> sp.Expr:
        """∂node/∂x for the forward-mode input x: what forward mode's derivation for ``node`` works out."""
        return Partial(self.graph.nodes[node].symbol, self.graph.nodes[self.forward_mode_input or ""].symbol)

    def verify(self) -> VerificationReport:
        forward = [] if self.forward is None else [("forward pass", self.forward)]
        adjoints = [(f"adjoint of {name}", d) for name, d in self.backward_pass.adjoints.items()]
        return VerificationReport.of([*forward, *adjoints, *((f"tangent of {n}", d) for n, d in self.tangents.items())])


_NODE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}(_[A-Za-z0-9]{1,5})?")


def _names(names: Mapping[str, str | sp.Expr] | None, syntax: Syntax) -> dict[sp.Expr, str]:
    out: dict[sp.Expr, str] = {}
    for name, term in (names or {}).items():
        # a letter, then letters or digits, at most one _ before an index (u_1): what LaTeX can print
        if not isinstance(name, str) or not _NODE_NAME.fullmatch(name) or name in ("pi", "e", "E", "I", "oo"):
            raise ParseError(f"not a node name: {name!r} (a letter, then letters or digits, such as u, u2 or u_1)")
        out[parse(term, syntax)] = name
    return out


def _graph_point(graph: Graph, at: Point, syntax: Syntax) -> dict[sp.Symbol, sp.Expr]:
    inputs = graph.inputs
    single = isinstance(at, (int, float, sp.Expr)) or (isinstance(at, str) and "=" not in at)
    if single and len(inputs) > 1:
        raise ParseError(f"the graph has {len(inputs)} inputs; give each a value, e.g. --at x=1,y=2")
    output = graph.nodes[graph.output].expr
    point = read_point(output, inputs[0].variable, at, syntax)
    unknown = [s.name for s in point if s not in {n.symbol for n in inputs}]
    if unknown:
        raise ParseError(f"{', '.join(unknown)} is not an input of the graph")
    return point


def computation_graph(
    expr: str | sp.Expr,
    at: Point = None,
    names: Mapping[str, str | sp.Expr] | None = None,
    syntax: Syntax = "auto",
    forward_mode: str | None = None,
) -> ComputationGraph:
    """The computation graph of ``expr`` with its forward pass at ``at`` and its backward pass.

    ``at`` gives every input a value (``{"x": 1, "y": 2}`` or ``"x=1,y=2"``); without it only
    the symbolic backward pass is worked. ``names`` names intermediate nodes
    (``{"u": r"\\ln(3y)"}``); the others get u, v, w, … in the order they are computed.
    ``forward_mode`` names one input x for which forward mode is worked too (∂u/∂x for every
    node u, from the inputs to the output).
    """
    f = parse(expr, syntax)
    if f.has(sp.Derivative, sp.Integral, sp.Limit, sp.Sum, sp.Product):
        raise ParseError("a computation graph is built from a function: no d/dx, integrals, limits or sums")
    graph = build_graph(f, _names(names, syntax))
    point = _graph_point(graph, at, syntax) if at is not None else {}
    text = expr if isinstance(expr, str) else sp.latex(expr)

    def build() -> ComputationGraph:
        forward = forward_pass(graph, point, text) if point else None
        backward = backward_pass(graph, forward, point)
        if forward_mode is None:
            return ComputationGraph(text, graph, point, forward, backward)
        tangents = tangents_for(graph, backward, forward, point, forward_mode)
        return ComputationGraph(text, graph, point, forward, backward, tangents, forward_mode)

    return worked(build, "computation graph", seconds=3 * envelope.MAX_SECONDS)
