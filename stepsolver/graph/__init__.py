"""Computation graphs: forward pass, backward pass (reverse mode), forward mode."""

from .api import ComputationGraph, computation_graph

__all__ = ["ComputationGraph", "computation_graph"]
