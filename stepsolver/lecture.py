"""The lecture's worked examples, as the slides write them, and the handout the demo makes of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .core.display import Displayable

# The lecture's derivative examples ("A few important derivatives", "Some rules about handling
# derivatives"), as the slides write them.
LECTURE_EXAMPLES = [
    "1",
    "x",
    "x^2",
    "x^3 - 1",
    r"\sqrt{x}",
    r"\ln(x)",
    "e^x",
    "x^2 + 1",
    "18 x^k",
    r"\ln(x) - x^2 + 5",
    "2 e^x x",
    r"\frac{1}{\ln(x)}",
    r"\frac{\ln(x)}{x^2}",
    "e^{x^2}",
]

# The lecture's other worked examples: its computation graph, its two slopes, and its linear
# algebra (operation, arguments), as the slides write them.
LECTURE_GRAPH = (r"x(\ln(3y) + z^2)", "x=1,y=2,z=3")
LECTURE_SLOPES = [("2x + 1", "2", "0.01"), ("x^2 + 1", "2", "0.01")]
LECTURE_LINALG: list[tuple[str, tuple[object, ...]]] = [
    ("trace", ([[1, 2, 5], [4, 3, 0], [2, 1, 0]],)),
    ("transpose", ([[1, 2], [3, 4]],)),
    ("is_symmetric", ([[1, 3], [3, 2]],)),
    ("dot", ([1, 2, 3], [2, 0, 1])),
    ("outer", ([1, 2], [3, 4, 5])),
    ("matmul", ([[1, 2], [3, 4]], [1, 2])),
    ("matmul", ([[1, 2], [3, 4], [5, 6]], [[1, 3, 5, 4], [2, 4, 6, 8]])),
    ("inverse", ([[1, 2], [3, 4]],)),
    ("independence", ([1, 2, 3], [1, 0, 0], [3, 4, 6])),
    ("norm", ([1, 2],)),
    ("unit_vector", ([1, 2],)),
    ("frobenius", ([[1, 2], [3, 4]],)),
    ("eigen", ([[4, 2], [2, 1]],)),
    ("property", ("trace_sum", [[0, 2], [3, 0]], [[0, 0], [2, 0]])),
]

TITLES = {
    "derivatives": "Derivatives",
    "graphs": "Computation graph",
    "slopes": "Finite differences",
    "linalg": "Linear algebra",
}


@dataclass
class Section:
    topic: str  # the key in JSON ("derivatives")
    title: str  # the heading elsewhere ("Derivatives")
    items: list[Any] = field(default_factory=list)


@dataclass
class Handout(Displayable):
    """Worked results under headings: what ``stepsolver demo`` prints, in any format."""

    title: str
    sections: list[Section]


def lecture_work(topic: str = "all") -> dict[str, list[Any]]:
    """Every worked example of the chosen topic ("all", or a key of TITLES), by topic."""
    from . import linalg
    from .calculus.api import differentiate
    from .calculus.finite_difference import slope
    from .graph.api import computation_graph

    work: dict[str, list[Any]] = {}
    if topic in ("all", "derivatives"):
        work["derivatives"] = [differentiate(example) for example in LECTURE_EXAMPLES]
    if topic in ("all", "graphs"):
        work["graphs"] = [computation_graph(LECTURE_GRAPH[0], at=LECTURE_GRAPH[1])]
    if topic in ("all", "slopes"):
        work["slopes"] = [slope(f, at=a, h=h) for f, a, h in LECTURE_SLOPES]
    if topic in ("all", "linalg"):
        work["linalg"] = [linalg.OPERATIONS[op](*arguments) for op, arguments in LECTURE_LINALG]
    return work


def handout(topic: str = "all") -> Handout:
    """The lecture's worked examples of ``topic`` as one handout."""
    sections = [Section(name, TITLES[name], items) for name, items in lecture_work(topic).items()]
    return Handout("Worked examples from the lecture", sections)


__all__ = ["LECTURE_EXAMPLES", "LECTURE_GRAPH", "LECTURE_LINALG", "LECTURE_SLOPES", "Handout", "Section", "handout"]
