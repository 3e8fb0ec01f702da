"""The seeded draw: each variant's parameters, redrawn until the problem's conditions hold and the
variant differs from those before it. A draw depends only on (seed, variant, problem id, try):
the same seed gives the same sheets, and adding a problem does not change the others' draws."""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from .problems import COMPARISON, Problem, ProblemSet, ProblemSetError, substitute
from .work import Worked, work

MAX_TRIES = 200  # draws of one problem before its conditions are called unsatisfiable
MAX_VARIANTS = 500


@dataclass
class DrawnProblem:
    problem: Problem
    values: dict[str, Any]
    parts: list[Worked]


@dataclass
class Variant:
    number: int  # from 1
    problems: list[DrawnProblem]

    def signature(self) -> tuple[Any, ...]:
        return tuple((p.problem.id, tuple(w.statement for w in p.parts)) for p in self.problems)


def _rng(seed: int, variant: int, problem: str, attempt: int) -> random.Random:
    # a string seed is hashed with SHA-512 by random.seed: stable across runs and platforms
    return random.Random(f"stepsolver/{seed}/{variant}/{problem}/{attempt}")


def _compare(values: dict[str, Any], condition: str) -> bool:
    match = COMPARISON.match(condition)
    assert match is not None  # read_problem_set accepted only conditions it can read
    left, op, right = match.groups()

    def value(name: str) -> Any:
        given = values[name] if name in values else int(name)
        if isinstance(given, bool) or not isinstance(given, int | float | Fraction):
            raise TypeError(f"{name} = {given!r} is not a number")  # refused when the file was read
        return sp.Rational(str(given)) if isinstance(given, float) else sp.Rational(given)  # 0.1 as written

    a, b = value(left), value(right)
    if op in ("==", "!="):
        equal = sp.simplify(a - b) == 0
        return equal if op == "==" else not equal
    return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def _invertible(problem: Problem, values: dict[str, Any]) -> bool:
    """Every linear-algebra part's first matrix is square with a nonzero determinant: checked
    before the part is worked (an inverse of a singular matrix is refused, not worked)."""
    from ..linalg.inputs import to_matrix

    for part in problem.parts:
        if part.kind == "linalg":
            args = substitute(part.fields.get("args"), values)
            if not isinstance(args, list) or not args:
                continue
            matrix = to_matrix(args[0])
            if not matrix.is_square or matrix.det() == 0:
                return False
    return True


def _holds(problem: Problem, values: dict[str, Any], worked: list[Worked] | None) -> bool:
    """The conditions on the parameters alone (worked is None), or on the answers too."""
    for condition in problem.require:
        if condition == "answer is not 0":
            if worked is not None and any(w.is_zero for w in worked):
                return False
        elif condition == "integer answer":
            if worked is not None and any(not (w.value is not None and w.value.is_integer) for w in worked):
                return False
        elif condition == "invertible":
            if worked is None and not _invertible(problem, values):
                return False
        elif worked is None and not _compare(values, condition):
            return False
    return True


def draw_problem(problem: Problem, seed: int, variant: int, attempt: int = 0) -> DrawnProblem:
    for tries in range(MAX_TRIES):
        rng = _rng(seed, variant, problem.id, attempt * MAX_TRIES + tries)
        values = {p.name: rng.choice(p.values) for p in problem.parameters}
        if not _holds(problem, values, None):
            continue
        worked = [work(part, values) for part in problem.parts]
        if _holds(problem, values, worked):
            return DrawnProblem(problem, values, worked)
        if not problem.parameters:
            break
    conditions = "; ".join(problem.require) or "its conditions"
    raise ProblemSetError(f"problem {problem.id!r}: no draw of its parameters satisfies {conditions} "
                          f"in {MAX_TRIES} tries")  # fmt: skip


def draw(problems: ProblemSet, variants: int = 1, seed: int | None = None, progress: Any = None) -> list[Variant]:
    """``variants`` variants of the set, all distinct when it has parameters (an error otherwise
    names how many distinct ones the parameters allow)."""
    if isinstance(variants, bool) or not isinstance(variants, int) or not 1 <= variants <= MAX_VARIANTS:
        raise ProblemSetError(f"--variants must be a whole number from 1 to {MAX_VARIANTS}, got {variants}")
    seed = problems.seed if seed is None else seed
    drawn: list[Variant] = []
    seen: set[tuple[Any, ...]] = set()
    varying = any(p.parameters for p in problems.problems)
    for number in range(1, variants + 1):
        for attempt in range(50 if varying else 1):
            variant = Variant(number, [draw_problem(p, seed, number, attempt) for p in problems.problems])
            if variant.signature() not in seen:
                break
        else:
            raise ProblemSetError(f"only {len(drawn)} distinct variants: the parameters of {problems.source} allow "
                                  f"no more (asked for {variants})")  # fmt: skip
        if varying:
            seen.add(variant.signature())
        drawn.append(variant)
        if progress is not None:
            progress(number)
    if variants > 1 and not varying:
        raise ProblemSetError(f"{problems.source} has no parameters: every one of the {variants} variants would be "
                              "the same (add parameters, or build one)")  # fmt: skip
    return drawn
