"""The forward pass (values, node by node) and the backward pass (adjoints, reverse mode).

Both are Derivations built from the same kind of machine-checked step as a derivative. The
backward pass is reverse-mode automatic differentiation written out: ∂f/∂u is the sum, over
the nodes p that use u, of ∂f/∂p · ∂p/∂u; each local derivative ∂p/∂u is worked by the step
engine as a side derivation, and the adjoint of every input is compared with the step
engine's own ∂f/∂x.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..calculus.api import differentiate
from ..calculus.simplify import best_form
from ..core.derivation import Derivation, GraphContext, Step, Worked
from ..core.notation import text
from ..core.rules import ARITHMETIC, SIMPLIFY, SUBSTITUTE
from ..core.terms import replace_first, size, substitute, substitute_held
from ..core.timeout import time_limit
from ..core.values import exact_or_decimal, not_real_reason, undefined_at
from ..core.verify import real_value
from ..errors import DomainError, StepsolverError
from .model import Graph, Node
from .rules import DIRECT_PARTIAL, FORWARD_NODE, NODE_DEFINITIONS, REVERSE_MODE, SEED
from .symbols import Partial

# Beyond this many parts, writing ∂f/∂x out in the inputs and working it again by the step
# engine costs more than the whole reverse-mode pass (expression swell), and a teacher would
# not put either on the board; each reverse-mode step is verified all the same.
DIRECT_LIMIT = 40
EXACT_LIMIT = 40  # parts of an exact node value before it is carried as a 30-digit decimal instead
DIGITS = 30
EVALUATION_SECONDS = 2.0


def _check_value(node: Node, values: dict[sp.Basic, sp.Expr], value: sp.Expr) -> None:
    if real_value(value, [], {}) is not None:
        return
    given = ", ".join(f"{text(s)} = {text(v)}" for s, v in values.items() if s in node.local.free_symbols)
    raise DomainError(
        f"the forward pass fails at node {node.name} = {text(node.local)} with {given}: {_why(node.local, values)}"
    )


def _why(local: sp.Expr, values: dict[sp.Basic, sp.Expr]) -> str:
    """The first sub-term that leaves the real numbers, said the way a teacher would."""
    return not_real_reason(local, values)


@dataclass
class ForwardPass:
    derivation: Derivation
    values: dict[str, sp.Expr]  # node name → value: exact, or a 30-digit decimal once exact grows too long
    held: dict[str, sp.Expr] = field(default_factory=dict)  # node name → its inputs' values plugged in
    nodes: dict[str, Derivation] = field(default_factory=dict)  # node name → its own evaluation


_GROWING = (sp.exp, sp.sinh, sp.cosh)
MAX_EXPONENT = 9000  # e^9000 has about 3,900 digits: the largest a forward pass will carry


def _check_magnitude(node: Node, given: dict[sp.Basic, sp.Expr]) -> None:
    """Refuse e^(e^(e^10)) before evaluating it: its digits would not fit in memory. Children's
    values are already known to be of printable size, so only e^a and its kin can explode."""
    for term in sp.preorder_traversal(node.local):
        if isinstance(term, _GROWING) or (isinstance(term, sp.Pow) and term.base == sp.E):
            argument = (term.exp if isinstance(term, sp.Pow) else term.args[0]).xreplace(given)
            try:
                with time_limit(EVALUATION_SECONDS) as limit:
                    exponent = abs(sp.N(argument, 15))
            except (TypeError, ValueError, ArithmeticError):
                continue
            if limit.expired or (exponent.is_number and exponent > MAX_EXPONENT):
                raise DomainError(
                    f"the forward pass stops at node {node.name} = {text(node.local)}: the value is about "
                    f"e^{sp.N(exponent, 6) if not limit.expired else '(too large to estimate)'}, "
                    f"beyond e^{MAX_EXPONENT}, the largest carried"
                )


def _node_value(node: Node, plugged: sp.Expr, given: dict[sp.Basic, sp.Expr]) -> sp.Expr:
    _check_magnitude(node, given)
    value = exact_or_decimal(plugged)
    _check_value(node, given, value)
    if size(value) > EXACT_LIMIT:  # sin(cos(sin(…))) 500 nodes deep is exact but helps no one
        value = sp.Float(value.evalf(DIGITS), DIGITS)
    return value


def forward_pass(graph: Graph, point: dict[sp.Symbol, sp.Expr], input_text: str) -> ForwardPass:
    """Every node's value at ``point``, in the order the graph computes them.

    A small graph's forward pass is one chain, f written out at the point and evaluated node by
    node, as on the slide. A large one (more than DIRECT_LIMIT parts) would make that chain
    quadratic in the size of f, so there each node's evaluation is a side derivation of its own.
    """
    missing = [node.name for node in graph.inputs if node.symbol not in point]
    if missing:
        raise DomainError(f"no value given for {', '.join(missing)}: the forward pass needs every input")
    result = ForwardPass(Derivation(input_text, sp.S.Zero, [], GraphContext("forward_pass")), {})
    given: dict[sp.Basic, sp.Expr] = dict(point)
    for node in graph.nodes.values():
        if node.kind == "input":
            result.values[node.name] = point[node.variable]
        elif node.kind == "constant":
            result.values[node.name] = node.symbol
        else:
            plugged = substitute_held(node.local, given)
            value = _node_value(node, plugged, given)
            result.values[node.name], result.held[node.name] = value, plugged
            step = Step(FORWARD_NODE, plugged, value, {node.name: value}, typed_order=False)
            result.nodes[node.name] = Derivation(node.name, plugged, [step], GraphContext("forward_node", node.name))
        given[node.symbol] = result.values[node.name]
    small = graph.output_size <= DIRECT_LIMIT
    steps = _forward_chain(graph, point, result) if small else _forward_by_node(graph, result)
    result.derivation = Derivation(input_text, steps[0].before, steps, GraphContext("forward_pass", at=dict(point)))
    return result


def _forward_chain(graph: Graph, point: dict[sp.Symbol, sp.Expr], result: ForwardPass) -> list[Step]:
    output = graph.nodes[graph.output]
    term = substitute_held(output.expr, dict(point))
    bindings = {s.name: v for s, v in point.items()}
    steps = [Step(SUBSTITUTE, output.expr, term, bindings, substitution=dict(point))]
    for name, plugged in result.held.items():
        value = result.values[name]
        after = replace_first(term, plugged, value)
        steps.append(Step(FORWARD_NODE, term, after, {name: value}, redex=(plugged, value), typed_order=False))
        term = after
    return steps


def _forward_by_node(graph: Graph, result: ForwardPass) -> list[Step]:
    output = graph.nodes[graph.output]
    value = result.values[output.name]
    return [
        Step(
            FORWARD_NODE,
            output.symbol,
            value,
            {output.name: value},
            substeps=list(result.nodes.values()),
            substitution={output.symbol: value},
        )
    ]


@dataclass
class BackwardPass:
    adjoints: dict[str, Derivation]  # node name → how ∂f/∂node was found, in reverse order
    symbolic: dict[str, sp.Expr]  # node name → ∂f/∂node (inputs: in the inputs alone)
    values: dict[str, sp.Expr] = field(default_factory=dict)  # node name → ∂f/∂node at the point
    compared: dict[str, str] = field(default_factory=dict)  # input → how it was checked against ∂f/∂x
    local: dict[tuple[str, str], Derivation] = field(default_factory=dict)  # (p, u) → ∂p/∂u


class _Backward:
    def __init__(self, graph: Graph, forward: ForwardPass | None, point: dict[sp.Symbol, sp.Expr]):
        self.graph = graph
        self.forward = forward
        self.point = point
        self.out = graph.nodes[graph.output]
        self.result = BackwardPass({}, {})
        self.by_symbol = graph.by_symbol()
        self.local = self.result.local
        # every operation node written in the inputs: what an input's adjoint is rewritten with
        self.definitions = {n.symbol: n.expr for n in graph.operations}

    def local_derivative(self, parent: Node, child: Node) -> Derivation:
        key = (parent.name, child.name)
        if key not in self.local:
            self.local[key] = differentiate(parent.local, wrt=child.variable)
        return self.local[key]

    def run(self) -> BackwardPass:
        for node in reversed(list(self.graph.nodes.values())):
            if node.kind == "constant":
                continue
            steps = self._seed() if node is self.out else self._accumulate(node)
            if node.kind == "input":
                steps += self._in_inputs(node, steps[-1].after)
            self.result.symbolic[node.name] = steps[-1].after
            if self.forward is not None:
                steps += self._at_point(steps[-1].after)
                self.result.values[node.name] = steps[-1].after
            start = steps[0].before
            self.result.adjoints[node.name] = Derivation(
                f"∂{self.out.name}/∂{node.name}", start, steps, GraphContext("adjoint", node.name), partial=True
            )
        return self.result

    def _seed(self) -> list[Step]:
        seed = Partial(self.out.symbol, self.out.symbol)
        return [Step(SEED, seed, sp.S.One, substitution={seed: sp.S.One})]

    def _accumulate(self, node: Node) -> list[Step]:
        terms, values, substitution = [], [], {}
        substeps: list[Worked] = []
        for parent_name in self.graph.parents[node.name]:
            parent = self.graph.nodes[parent_name]
            inner = Partial(parent.symbol, node.symbol)
            local = self.local_derivative(parent, node)
            substitution[inner] = local.result
            substeps.append(local)
            if parent is self.out:  # ∂f/∂w itself, not ∂f/∂f · ∂f/∂w
                terms.append(inner)
                values.append(local.result)
                continue
            outer = Partial(self.out.symbol, parent.symbol)
            substitution[outer] = self.result.symbolic[parent.name]
            terms.append(sp.Mul(outer, inner, evaluate=False))
            values.append(sp.Mul(substitution[outer], local.result, evaluate=False))
        start = held_sum(terms)
        written = held_sum(values)
        steps = [Step(REVERSE_MODE, start, written, substeps=substeps, substitution=substitution)]
        return steps + tidy_steps(written)

    def _in_inputs(self, node: Node, adjoint: sp.Expr) -> list[Step]:
        """∂f/∂x in the inputs alone, and the step engine's own ∂f/∂x beside it."""
        parts = self.graph.output_size
        if parts > DIRECT_LIMIT:
            self.result.compared[node.name] = (
                f"not compared: f has {parts} parts, more than the {DIRECT_LIMIT} of a derivative worked "
                "on the board; each reverse-mode step is checked all the same"
            )
            return []
        steps: list[Step] = []
        definitions = self.definitions
        written = adjoint
        for _ in range(len(definitions) + 1):  # nodes are defined through earlier nodes
            if not written.free_symbols & set(definitions):
                break
            written = substitute(written, definitions)
        if written != adjoint:
            steps.append(Step(NODE_DEFINITIONS, adjoint, written, substitution=definitions))
        try:
            direct = differentiate(self.out.expr, wrt=node.variable)
        except StepsolverError as error:
            self.result.compared[node.name] = f"not compared: the step engine could not work ∂f/∂{node.name} ({error})"
            return steps
        steps.append(Step(DIRECT_PARTIAL, written, direct.result, substeps=[direct], typed_order=False))
        self.result.compared[node.name] = "equal to the step engine's partial derivative"
        return steps

    def _at_point(self, adjoint: sp.Expr) -> list[Step]:
        assert self.forward is not None
        return at_point_steps(adjoint, self.by_symbol, self.forward, self.point)


def tidy_steps(written: sp.Expr) -> list[Step]:
    """x·1 → x: one simplify step, or none when the tidy form would print the same."""
    tidy = best_form(written.doit(), thorough=False)
    return [] if text(tidy) == text(written) else [Step(SIMPLIFY, written, tidy, typed_order=False)]


def at_point_steps(
    term: sp.Expr, by_symbol: dict[sp.Expr, Node], forward: ForwardPass, point: dict[sp.Symbol, sp.Expr]
) -> list[Step]:
    """``term`` (in node names and inputs) at the point: values plugged in, then the arithmetic."""
    if not term.free_symbols:  # ∂f/∂f = 1 holds at every point
        return []
    values = {s: forward.values[by_symbol[s].name] for s in term.free_symbols if s in by_symbol}
    plugged = substitute_held(term, values)
    value = exact_or_decimal(plugged)
    reason = undefined_at(term, value, dict(values))
    if reason:
        where = ", ".join(f"{s} = {text(v)}" for s, v in point.items())
        raise DomainError(f"{text(term)} has no value at {where}: {reason}")
    bindings = {s.name: v for s, v in point.items()}
    if text(value) == text(plugged):  # 1/2 held and 1/2 evaluated: one line, not two
        return [Step(SUBSTITUTE, term, value, bindings, substitution=values, typed_order=False)]
    return [
        Step(SUBSTITUTE, term, plugged, bindings, substitution=values),
        Step(ARITHMETIC, plugged, value, typed_order=False),
    ]


def held_sum(terms: list[sp.Expr]) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def backward_pass(
    graph: Graph,
    forward: ForwardPass | None,
    point: dict[sp.Symbol, sp.Expr],
    local: dict[tuple[str, str], Derivation] | None = None,
) -> BackwardPass:
    """The adjoint ∂f/∂node of every node, from the output back to the inputs. ``local`` gives
    local derivatives ∂p/∂u worked beforehand (a model writes ∂ŷ/∂z = σ(z)(1 − σ(z)) as ŷ(1 − ŷ))."""
    run = _Backward(graph, forward, point)
    for (parent, child), derivation in (local or {}).items():
        wanted = sp.Derivative(graph.nodes[parent].local, graph.nodes[child].variable)
        if derivation.start != wanted:  # its steps are checked; that it is this node's derivative, here
            raise ValueError(f"the local derivative given for ({parent}, {child}) starts at {derivation.start}, "
                             f"not at {wanted}")  # fmt: skip
    run.local.update(local or {})
    return run.run()
