"""``check_answer``: a student's answer against a problem, with the verdict, how it was reached,
a counterexample when it is wrong, and the mistake that explains it when one does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.display import Displayable
from ..core.notation import text
from ..core.timeout import TimeLimitExceeded, time_limit
from ..errors import ParseError, StepsolverError
from ..parse import parse, read
from .assumptions import Assumption
from .equivalence import compare
from .mistakes import MISTAKES, candidates
from .objects import compare_matrices, compare_sets, kind_of
from .working import check_lines, is_working, split_working

VERDICTS = ("correct", "incorrect", "unparseable", "invalid", "undecided")
DIAGNOSIS_SECONDS = 2.0  # naming the mistake is a courtesy: the verdict never waits longer for it
VERDICT_OF = {"equal": "correct", "different": "incorrect", "undecided": "undecided"}  # of a comparison


@dataclass
class Diagnosis(Displayable):
    mistake: str
    message: str


@dataclass
class CheckResult(Displayable):
    verdict: str
    method: str
    counterexample: dict[str, str] = field(default_factory=dict)
    diagnosis: list[Diagnosis] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    answer: sp.Expr | None = None
    expected: sp.Expr | None = None
    message: str = ""
    read_as: list[str] = field(default_factory=list)  # how an ambiguous answer was read (xz as x·z)


def _diagnose(
    answer: sp.Expr, f: sp.Expr, x: sp.Symbol, reference: sp.Expr, assume: dict[str, Assumption]
) -> list[Diagnosis]:
    found = []
    for candidate in candidates(f, x):
        if compare(candidate.answer, reference, assume).status == "equal":
            continue  # a mistake that happens to give the right answer here explains nothing
        if compare(answer, candidate.answer, assume).status != "equal":
            continue
        meaning, correct = MISTAKES[candidate.mistake].meaning, MISTAKES[candidate.mistake].rule
        where = text(candidate.sites[0])
        message = f"{meaning}, at {where}; the {correct.title.lower()} is {correct.formula}"
        found.append(Diagnosis(candidate.mistake, message))
    # a whole-answer explanation (the antiderivative) only after the rule-level ones
    return sorted(found, key=lambda d: d.mistake == "integrated_instead")


FORMS = ("simplified", "expanded", "factored")


def _wrong_form(answer: sp.Expr, reference: sp.Expr, form: str) -> str:
    value = answer.doit()
    if form == "expanded" and sp.expand(value) != value:
        return f"not expanded: {text(sp.expand(value), typed=False)} is the expanded form"
    if form == "factored" and sp.factor(value) != value:
        return f"not factored: {text(sp.factor(value), typed=False)} is the factored form"
    if form == "simplified":
        simplest = sp.simplify(reference.doit())
        if sp.count_ops(value) > sp.count_ops(simplest) + 2:
            shown = text(simplest, typed=False)
            return f"not simplified: {sp.count_ops(value)} operations where {shown} needs {sp.count_ops(simplest)}"
    return ""


def _check_object(answer: object, expected: object, assume: dict[str, Assumption]) -> CheckResult:
    wanted = kind_of(expected)
    given = kind_of(answer, wanted)
    if given != wanted:
        return CheckResult("invalid", f"a {wanted} was asked for, the answer is a {given}")
    try:
        comparison = (
            compare_sets(answer, expected, assume) if wanted == "set" else compare_matrices(answer, expected, assume)
        )
    except ParseError as error:
        verdict = "invalid" if "was asked for" in str(error) else "unparseable"
        return CheckResult(verdict, "the answer could not be compared", message=str(error))
    verdict = VERDICT_OF[comparison.status]
    return CheckResult(verdict, comparison.method, comparison.counterexample)


def _other_reading(answer: str | sp.Expr, names: list[str], complex_problem: bool) -> sp.Expr | None:
    try:
        return read(answer, names=names, complex=complex_problem, left_to_right_division=True).expr
    except (ParseError, StepsolverError, RecursionError):
        return None


def _problem_names(problem: str | sp.Expr | None) -> tuple[list[str], bool]:
    """The key's multi-letter variables (a student's `rate` is then not r·a·t·e) and whether it is complex."""
    if problem is None:
        return [], False
    try:
        reference = parse(problem)
    except (ParseError, StepsolverError, RecursionError):
        return [], False  # reported where the key itself is read
    names = [s.name.split("_")[0] for s in reference.free_symbols if isinstance(s, sp.Symbol) and len(s.name) > 1]
    return names, reference.has(sp.I)


def check_answer(
    answer: str | sp.Expr,
    expected: str | sp.Expr | None = None,
    derivative_of: str | sp.Expr | None = None,
    wrt: str = "x",
    assume: dict[str, Assumption] | None = None,
    form: str | None = None,
    diagnose: bool = True,
) -> CheckResult:
    """Check ``answer`` against ``expected``, or against the derivative of ``derivative_of``
    with respect to ``wrt`` (worked by the step engine). ``assume``: {"a": "positive"}, …;
    ``form``: "simplified", "expanded" or "factored" when the form counts too. Vectors and
    matrices (lists, LaTeX) are compared entry by entry, sets ("{5, 0}") as multisets."""
    if (expected is None) == (derivative_of is None):
        raise ValueError("give exactly one of expected= and derivative_of=")
    if form not in (None, *FORMS):
        raise ValueError(f"form must be one of {', '.join(FORMS)}")
    assume = dict(assume or {})
    if expected is not None and kind_of(expected) != "scalar":
        return _check_object(answer, expected, assume)
    lines: list[dict[str, Any]] = []
    first_wrong: int | None = None
    if isinstance(answer, str) and len(parts := split_working(answer)) == 1:
        answer = parts[0]  # "f'(x) = 2x": the name of the thing, then the answer
    if is_working(answer):
        lines, last, first_wrong = check_lines(answer)  # type: ignore[arg-type]
        if last is None:
            return CheckResult("unparseable", "the last line could not be read", lines=lines)
        answer = last
    names, complex_problem = _problem_names(expected if expected is not None else derivative_of)
    try:
        reading = read(answer, names=names, complex=complex_problem)
        student = reading.expr
    except ParseError as error:
        return CheckResult("unparseable", "the answer could not be read", message=str(error))
    except (RecursionError, StepsolverError) as error:
        return CheckResult("unparseable", "the answer could not be read", message=str(error) or "too deeply nested")
    if student.has(sp.Derivative):
        return CheckResult("invalid", "the answer still contains a derivative operator", answer=student,
                           message="work out the derivative; d/dx must not appear in the answer")  # fmt: skip
    if isinstance(student, sp.MatrixBase):
        return CheckResult("invalid", "the answer is a matrix; a scalar was asked for", answer=student)
    f = x = None
    if derivative_of is not None:
        from ..calculus.api import differentiate

        worked = differentiate(derivative_of, wrt=wrt)
        reference, f, x = worked.result, worked.function, worked.context.wrt
        if worked.context.order > 1:
            x = None  # the common mistakes are mistakes of a first derivative: none names a wrong f_xy
    else:
        reference = parse(expected)  # type: ignore[arg-type]
    # a derivative is compared where the function is defined (e^{-ln x} is (ln x)' for every x > 0)
    within = [f] if f is not None else []
    comparison = compare(student, reference, assume, within=within)
    verdict = VERDICT_OF[comparison.status]
    result = CheckResult(verdict, comparison.method, comparison.counterexample, answer=student, expected=reference,
                         read_as=list(reading.notes))  # fmt: skip
    if verdict == "incorrect" and reading.divisions:
        other = _other_reading(answer, names, complex_problem)
        if other is not None and compare(other, reference, assume, within=within).status == "equal":
            result.verdict, result.method = "undecided", "ambiguous: the answer is right only if read another way"
            result.counterexample = {}
            shown = reading.divisions[0]
            result.message = (f"{shown}, which is wrong; read left to right it would be right. "
                              "Write the brackets, e.g. (1/2)x or 1/(2x)")  # fmt: skip
            return result
    if verdict == "correct" and form:
        reason = _wrong_form(student, reference, form)
        if reason:
            result.verdict, result.method, result.message = "incorrect", "correct value, wrong form", reason
    if comparison.domain_mismatch:
        result.message = comparison.note
    if diagnose and verdict == "incorrect" and f is not None and x is not None:  # False: a grader's budget
        try:
            with time_limit(DIAGNOSIS_SECONDS):
                result.diagnosis = _diagnose(student, f, x, reference, assume)
        except TimeLimitExceeded:
            result.diagnosis = []  # out of time: the verdict stands, no mistake is named
    if lines:
        result.lines = lines
        if first_wrong is not None:
            wrong = lines[first_wrong]
            result.message = f"line {wrong['line']} ({wrong['text']}) does not follow from the line before"
            if result.diagnosis:
                result.message += f"; {result.diagnosis[0].mistake} explains the answer"
    return result


__all__ = ["VERDICTS", "CheckResult", "Diagnosis", "check_answer"]
