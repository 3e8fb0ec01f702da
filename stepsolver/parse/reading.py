"""What a reader made of the input: the expression, and a note for every reading rule that
resolved an ambiguity (``xz`` read as x·z), so that a command can say how it read what it was given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sympy as sp


@dataclass(frozen=True)
class ReadOptions:
    """What the problem tells the reader: multi-letter names it declares (``rate``, or the key's
    own variables when grading), and whether ``i`` is the imaginary unit."""

    names: frozenset[str] = frozenset()
    complex: bool = False

    @staticmethod
    def of(names: Iterable[str] = (), complex: bool = False) -> ReadOptions:
        return ReadOptions(frozenset(n for n in names if n), complex)


@dataclass
class Notes:
    """Collects one line per resolved ambiguity, each once, in reading order."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


@dataclass(frozen=True)
class Reading:
    expr: sp.Expr
    notes: tuple[str, ...]
    syntax: str
