"""What a reader made of the input: the expression, and a note for every reading rule that
resolved an ambiguity (``xz`` read as x·z), so that a command can say how it read what it was given."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import sympy as sp


@dataclass(frozen=True)
class ReadOptions:
    """What the problem tells the reader: multi-letter names it declares (``rate``, or the key's
    own variables when grading), and whether ``i`` is the imaginary unit."""

    names: frozenset[str] = frozenset()
    complex: bool = False
    left_to_right_division: bool = False  # 1/2x as (1/2)·x: the other reading, to tell an ambiguous answer

    @staticmethod
    def of(names: Iterable[str] = (), complex: bool = False) -> ReadOptions:
        return ReadOptions(frozenset(n for n in names if n), complex)


@dataclass
class Notes:
    """Collects one line per resolved ambiguity, each once, in reading order."""

    lines: list[str] = field(default_factory=list)
    divisions: list[str] = field(default_factory=list)  # 1/2x read as 1/(2x): the reading a verdict may hang on

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


@dataclass(frozen=True)
class Reading:
    expr: sp.Expr
    notes: tuple[str, ...]
    syntax: str
    divisions: tuple[str, ...] = ()  # each "/2x read as /(2x)": the other reading is (1/2)·x


@dataclass
class _Context:
    options: ReadOptions
    notes: Notes


_CONTEXT: ContextVar[_Context | None] = ContextVar("stepsolver_reading", default=None)


@contextmanager
def reading(names: Iterable[str] = (), complex: bool = False) -> Iterator[Notes]:
    """Everything read inside uses these names and this domain, and its notes collect here:
    how a command says back what it read, across every expression and value it was given."""
    context = _Context(ReadOptions.of(names, complex), Notes())
    token = _CONTEXT.set(context)
    try:
        yield context.notes
    finally:
        _CONTEXT.reset(token)


def current() -> tuple[ReadOptions, Notes | None]:
    context = _CONTEXT.get()
    return (context.options, context.notes) if context else (ReadOptions(), None)
