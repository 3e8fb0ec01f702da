"""Building a computation graph from an expression: one node per elementary operation.

Inputs and numeric constants are leaves; every sum, product, power and function application is
an operation node whose ``local`` expression is written in its children's names (w = u + v).
Identical sub-terms become one node, so a shared sub-expression is computed once and its
adjoint accumulates over every use. Two shapes a teacher does not draw as nodes of their own
are folded into the operation that uses them: a number times an input (3y in ln(3y), −y in
x − y) and the reciprocal of an input (1/y in x/y).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import sympy as sp

from ..core.terms import rebuild, size
from ..errors import ParseError, RuleError

NodeKind = Literal["input", "constant", "operation"]

MAX_GRAPH_NODES = 2000
# The names a teacher reaches for first; then numbered u's.
_TEACHER_NAMES = ["u", "v", "w", "p", "q", "r", "s", "t", "a", "b", "c", "d", "g", "h", "k", "m"]


@dataclass(frozen=True)
class Node:
    name: str
    kind: NodeKind
    symbol: sp.Expr  # the node's name as a SymPy symbol (a constant stands for itself)

    @property
    def variable(self) -> sp.Symbol:
        """The symbol of an input or operation node, to differentiate with respect to."""
        if not isinstance(self.symbol, sp.Symbol):
            raise TypeError(f"constant node {self.name} is not a variable")
        return self.symbol

    local: sp.Expr  # what the node computes, in its children's symbols
    children: tuple[str, ...]
    expr: sp.Expr  # the same, written out in the inputs (held back as typed)
    operation: str  # a short label for pictures: "+", "×", "ln", "^2", …


@dataclass
class Graph:
    nodes: dict[str, Node]  # in topological order: every child before the nodes that use it
    output: str
    parents: dict[str, list[str]] = field(default_factory=dict)

    @property
    def inputs(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "input"]

    @property
    def operations(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "operation"]

    @cached_property
    def output_size(self) -> int:
        """How many parts f has written out in the inputs (what decides how much is shown)."""
        return size(self.nodes[self.output].expr)

    def by_symbol(self) -> dict[sp.Expr, Node]:
        return {node.symbol: node for node in self.nodes.values()}


def _label(expr: sp.Expr) -> str:
    if isinstance(expr, sp.Add):
        return "+"
    if isinstance(expr, sp.Mul):
        return "×"
    if isinstance(expr, sp.Pow):
        exponent = expr.exp
        if exponent == -1:
            return "1/·"
        if exponent == sp.Rational(1, 2):
            return "√"
        return f"^{exponent}" if exponent.is_Number else "^"
    name = type(expr).__name__
    return {"log": "ln", "exp": "exp", "sigmoid": "σ", "Abs": "|·|"}.get(name, name)


def _is_folded(expr: sp.Expr) -> bool:
    """3y, −y, 1/y: one input scaled or inverted, written inside the operation that uses it."""
    if isinstance(expr, sp.Pow):  # 1/y: x/y is one division, not a product with a reciprocal node
        return isinstance(expr.base, sp.Symbol) and expr.exp == -1
    if not isinstance(expr, sp.Mul) or len(expr.args) != 2:
        return False
    number, other = expr.args
    return bool(number.is_Number) and isinstance(other, sp.Symbol)


class _Builder:
    def __init__(self, expr: sp.Expr, names: Mapping[sp.Expr, str]):
        self.names = dict(names)
        self.taken = {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)} | set(names.values())
        self.nodes: dict[str, Node] = {}
        self.seen: dict[sp.Expr, str] = {}
        self.auto = iter(self._auto_names())

    def _auto_names(self) -> Iterator[str]:
        for name in _TEACHER_NAMES:
            if name not in self.taken and name != "f":
                yield name
        index = 1
        while True:
            if f"u_{index}" not in self.taken:
                yield f"u_{index}"
            index += 1

    def visit(self, expr: sp.Expr) -> str:
        """Post-order: children first, so nodes are numbered in the order they are computed."""
        stack: list[tuple[sp.Expr, bool]] = [(expr, False)]
        while stack:
            term, expanded = stack.pop()
            if term in self.seen:
                continue
            if term.is_Atom or (_is_folded(term) and term is not expr):
                self._leaf_or_folded(term)
                continue
            if not expanded:
                stack.append((term, True))
                stack.extend((arg, False) for arg in reversed(term.args) if arg not in self.seen)
                continue
            self._operation(term, output=term is expr)
        return self.seen[expr]

    def _leaf_or_folded(self, term: sp.Expr) -> None:
        if isinstance(term, sp.Symbol):
            self._add(Node(term.name, "input", term, term, (), term, term.name), term)
        elif term.is_Atom:
            if not term.is_number:
                raise ParseError(f"cannot build a graph node for {term}")
            name = sp.sstr(term)
            self._add(Node(name, "constant", term, term, (), term, name), term)
        else:  # folded: its input is a child of whichever node uses it
            (symbol,) = term.free_symbols
            self.visit(symbol)

    def _operation(self, term: sp.Expr, output: bool) -> None:
        children: list[str] = []
        local_args = []
        for arg in term.args:
            if _is_folded(arg):
                child = self.seen[next(iter(arg.free_symbols))]
                local_args.append(arg)
            else:
                child = self.seen[arg]
                local_args.append(self.nodes[child].symbol)
            if child not in children:  # x·x uses x once as a child, twice in its local expression
                children.append(child)
        name = self.names.get(term) or ("f" if output and "f" not in self.taken else next(self.auto))
        symbol = sp.Symbol(name, real=True)
        local = rebuild(term, local_args)
        self._add(Node(name, "operation", symbol, local, tuple(children), term, _label(term)), term)

    def _add(self, node: Node, term: sp.Expr) -> None:
        if len(self.nodes) >= MAX_GRAPH_NODES:
            raise RuleError(f"the graph would have more than {MAX_GRAPH_NODES} nodes; give a smaller expression")
        if node.name in self.nodes and self.nodes[node.name].expr != term:
            raise ParseError(f"two different nodes would both be called {node.name}")
        self.nodes[node.name] = node
        self.seen[term] = node.name


def build_graph(expr: sp.Expr, names: Mapping[sp.Expr, str] | None = None) -> Graph:
    """The computation graph of ``expr``; ``names`` maps sub-terms to the names the user gives them."""
    if expr.free_symbols == set():
        raise ParseError("the expression has no inputs: a computation graph needs at least one variable")
    builder = _Builder(expr, names or {})
    output = builder.visit(expr)
    nodes = builder.nodes
    if nodes[output].kind != "operation":
        raise ParseError("the expression is a single input; a computation graph needs at least one operation")
    unused = set(names or {}) - set(builder.seen)
    if unused:
        term = next(iter(unused))
        raise ParseError(f"no node of the graph computes {(names or {})[term]} = {term}")
    parents: dict[str, list[str]] = {name: [] for name in nodes}
    for node in nodes.values():
        for child in node.children:
            parents[child].append(node.name)
    return Graph(nodes, output, parents)
