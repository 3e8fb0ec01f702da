"""Matrix calculus by differentials: gradients, Jacobians and Hessians of vector and matrix
expressions, each step citing its identity and checked at concrete sizes and random matrices."""

from . import notation  # noqa: F401 -- registers how matrix terms print
