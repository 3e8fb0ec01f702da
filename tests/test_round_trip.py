"""Text output means what it prints: every line of the text output of the lecture's derivations,
and the result of every corpus derivation, read back with the plain-text reader, equals the term
it shows (compared by plain evalf at random points, not by stepsolver's verifier)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sympy as sp

from stepsolver import differentiate, linalg
from stepsolver.calculus.finite_difference import slope
from stepsolver.core.derivation import Derivation
from stepsolver.core.notation import text
from stepsolver.lecture import LECTURE_EXAMPLES
from stepsolver.parse import parse

from .helpers import numerically_equal, worked
from .test_corpus import CORPUS

# what the text output writes but the plain-text reader has no syntax for, by design
UNREADABLE = (sp.Piecewise, sp.Limit, sp.Subs, sp.MatrixBase, sp.MatrixExpr, sp.Determinant)


def lines(derivation: Derivation) -> Iterator[tuple[str, sp.Expr]]:
    """(printed text, the term it shows) for the start and every step, side derivations included."""
    yield text(derivation.start, derivation.partial), derivation.start
    for step in derivation.steps:
        yield text(step.after, derivation.partial, step.typed_order), step.after
        for sub in step.substeps:
            yield from lines(sub.derivation)


def reads_back(printed: str, term: sp.Expr) -> bool:
    read = parse(printed, "text")
    return numerically_equal(read.doit(), term.doit(), points=4)


def readable(term: sp.Basic) -> bool:
    return isinstance(term, sp.Expr) and not term.has(*UNREADABLE) and not any(
        isinstance(f, sp.core.function.AppliedUndef) for f in term.atoms(sp.Function)
    )


def test_every_line_of_the_lecture_derivations_reads_back() -> None:
    worked = [differentiate(f) for f in LECTURE_EXAMPLES]
    worked += [differentiate("x^2 y^3 + \\sin(x y)", wrt="x,y"), differentiate("x^3", order=3)]
    worked += [slope("x^2", 2).derivation, slope("e^x", 0, central=True).derivation]
    failures, checked = [], 0
    for derivation in worked:
        for printed, term in lines(derivation):
            if readable(term):
                checked += 1
                if not reads_back(printed, term):
                    failures.append((printed, term))
    assert checked > 100
    assert not failures, failures[:5]


def corpus_worked() -> list[Derivation]:
    """The corpus derivations, as tests/test_corpus.py works them (once per run)."""
    return [worked(sp.latex(f)) for f in CORPUS]


def test_every_corpus_result_reads_back() -> None:
    failures = []
    for f, derivation in zip(CORPUS, corpus_worked(), strict=True):
        shown = text(derivation.result, derivation.partial, derivation.steps[-1].typed_order)
        if readable(derivation.result) and not reads_back(shown, derivation.result):
            failures.append((f, shown))
    assert not failures, failures[:5]


@pytest.mark.parametrize(
    "printed",
    [text(differentiate("x^{3/2}").result, typed=False), text(differentiate("x^(5/3)").result, typed=False),
     text(linalg.OPERATIONS["norm"]("[3,-4]", p=3).result), text(slope("e^x", 0, h="0.001", central=True).slope)],
)  # fmt: skip
def test_the_reported_misprints_are_gone(printed: str) -> None:
    """x^{3/2} once printed as x^3/2, 5·x^2/3/3, 91^1/3 and e^1/1000: each read (x³)/2 and so on."""
    assert "^3/2" not in printed and "^2/3/" not in printed and "^1/3" not in printed and "^1/1000" not in printed


def test_every_latex_line_of_the_lecture_and_corpus_derivations_reads_back() -> None:
    """The same for LaTeX (what handouts and notebooks show), read back with the LaTeX reader:
    a held product must keep its brackets and its · before a number (2 x \\cdot 3 y^{2})."""
    from stepsolver.core.notation import latex

    worked = [differentiate(f) for f in LECTURE_EXAMPLES] + corpus_worked()[::4]
    worked += [differentiate("x^2 y^3 + \\sin(x y)", wrt="x,y"), differentiate("x \\cos(2x)")]
    failures, checked = [], 0
    for derivation in worked:
        for _, term in lines(derivation):
            if not readable(term):
                continue
            for step in [s for s in derivation.steps if s.after is term] or [None]:
                typed = step.typed_order if step is not None else True
                shown = latex(term, derivation.partial, typed)
                checked += 1
                try:
                    read = parse(shown, "latex")
                except ValueError as error:
                    failures.append((shown, str(error)))
                    continue
                if not numerically_equal(read.doit(), term.doit(), points=4):
                    failures.append((shown, term))
    assert checked > 300
    assert not failures, failures[:5]
