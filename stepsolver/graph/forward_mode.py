"""Forward mode for one input x: the tangent ∂u/∂x of every node, from the inputs to the output.

The same local derivatives as the backward pass, used in the other direction: ∂u/∂x is the sum,
over u's children c, of ∂u/∂c · ∂c/∂x. One pass gives ∂f/∂x for one input, where reverse mode
gives every input at once; the two must agree, and the tests hold them to it.
"""

from __future__ import annotations

import sympy as sp

from ..core.derivation import Derivation, GraphContext, Step, Worked
from ..errors import ParseError
from .model import Graph, Node
from .passes import BackwardPass, ForwardPass, at_point_steps, held_sum, tidy_steps
from .rules import FORWARD_MODE, TANGENT_SEED
from .symbols import Partial


def forward_mode(
    graph: Graph, backward: BackwardPass, forward: ForwardPass | None, point: dict[sp.Symbol, sp.Expr], wrt: str
) -> dict[str, Derivation]:
    """Node name → the derivation of ∂node/∂wrt, in the order the graph computes them."""
    if wrt not in graph.nodes or graph.nodes[wrt].kind != "input":
        inputs = ", ".join(n.name for n in graph.inputs)
        raise ParseError(f"{wrt} is not an input of the graph (its inputs are {inputs})")
    x = graph.nodes[wrt].variable
    tangents: dict[str, sp.Expr] = {}
    by_symbol = graph.by_symbol()
    out: dict[str, Derivation] = {}
    for node in graph.nodes.values():
        if node.kind == "constant":
            continue
        steps = _seed(node, x) if node.kind == "input" else _propagate(graph, backward, node, x, tangents)
        tangents[node.name] = steps[-1].after
        if forward is not None:
            steps += at_point_steps(tangents[node.name], by_symbol, forward, point)
        out[node.name] = Derivation(f"∂{node.name}/∂{wrt}", steps[0].before, steps, GraphContext("tangent", node.name))
    return out


def _seed(node: Node, x: sp.Symbol) -> list[Step]:
    tangent = Partial(node.symbol, x)
    value = sp.S.One if node.symbol == x else sp.S.Zero
    return [Step(TANGENT_SEED, tangent, value, substitution={tangent: value})]


def _propagate(
    graph: Graph, backward: BackwardPass, node: Node, x: sp.Symbol, tangents: dict[str, sp.Expr]
) -> list[Step]:
    terms, values, substitution = [], [], {}
    substeps: list[Worked] = []
    for child_name in node.children:
        child = graph.nodes[child_name]
        if child.kind == "constant":
            continue
        local = backward.local[(node.name, child_name)]
        outer = Partial(node.symbol, child.symbol)
        substitution[outer] = local.result
        substeps.append(local)
        if child.symbol == x:  # ∂u/∂x itself, not ∂u/∂x · ∂x/∂x
            terms.append(outer)
            values.append(local.result)
            continue
        inner = Partial(child.symbol, x)
        substitution[inner] = tangents[child_name]
        terms.append(sp.Mul(outer, inner, evaluate=False))
        values.append(sp.Mul(local.result, tangents[child_name], evaluate=False))
    step = Step(FORWARD_MODE, held_sum(terms), held_sum(values), substeps=substeps, substitution=substitution)
    return [step, *tidy_steps(step.after)]
