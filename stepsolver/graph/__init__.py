"""Computation graphs: forward pass, backward pass (reverse mode), pictures."""

from .api import ComputationGraph, computation_graph

__all__ = ["ComputationGraph", "computation_graph"]
