"""The rules a computation graph's steps cite: forward pass, backward pass (reverse mode),
forward mode, and the check against the step engine."""

from __future__ import annotations

from ..core.rules import Rule, declare

FORWARD_NODE = declare(
    Rule("forward_node", "Forward pass: evaluate a node", r"u = g(a, b) \text{ from the values of its inputs } a, b")
)
SEED = declare(Rule("seed", "Seed of the backward pass", r"\frac{\partial f}{\partial f} = 1"))
REVERSE_MODE = declare(Rule(
    "reverse_mode", "Chain rule, reverse mode",
    r"\frac{\partial f}{\partial u} = \sum_{p \text{ uses } u} "
    r"\frac{\partial f}{\partial p} \frac{\partial p}{\partial u}",
))  # fmt: skip
TANGENT_SEED = declare(Rule(
    "tangent_seed", "Seed of the forward mode", r"\frac{\partial x}{\partial x} = 1,\ \frac{\partial y}{\partial x} = 0"
))  # fmt: skip
FORWARD_MODE = declare(Rule(
    "forward_mode", "Chain rule, forward mode",
    r"\frac{\partial u}{\partial x} = \sum_{c \text{ input of } u} "
    r"\frac{\partial u}{\partial c} \frac{\partial c}{\partial x}",
))  # fmt: skip
NODE_DEFINITIONS = declare(Rule("node_definitions", "Write the nodes in terms of the inputs", r"u = g(x, y, \dots)"))
DIRECT_PARTIAL = declare(Rule(
    "direct_partial", "Agrees with direct differentiation",
    r"\text{the adjoint } \frac{\partial f}{\partial x} "
    r"\text{ equals the step engine's } \frac{\partial}{\partial x} f",
))  # fmt: skip
