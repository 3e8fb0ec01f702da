"""The wrong options of a multiple-choice derivative: each is what one common mistake gives for that
very problem (recomputed here with ``check.mistakes``, not through the code under test), none is
the key in another form, no two are the same, and an odd problem gives fewer, never an error."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from stepsolver import parse
from stepsolver.check.answer import check_answer
from stepsolver.check.mistakes import MISTAKES, candidates, derivative
from stepsolver.handout import distractors
from stepsolver.handout.distractors import MISTAKE_SECONDS, ORDER, Distractor, derivative_distractors

from .helpers import numerically_equal

x = sp.Symbol("x", real=True)

# textbook problems on which the engine has at least three mistakes to offer
TEXTBOOK = [
    "x^2 e^{3x}",
    "\\frac{\\sin(x^2)}{x}",
    "\\ln(x^2 + 1)",
    "x^2 \\sin x",
    "\\frac{x^2}{x + 1}",
    "e^{x} \\cos x",
    "x \\ln x",
    "\\frac{\\ln x}{x^2}",
    "(x^2 + 1)^3",
    "\\sqrt{x^2 + 1}",
    "\\tan(2x)",
    "x e^{-x^2}",
    "\\frac{1}{1 + e^{-x}}",
]
# and problems with fewer: the caller asks a numerical or essay question instead
FEWER = {"x^3": 2, "\\sin(x + 1)": 2, "\\cos x": 1, "\\ln x": 2, "3x^4 - 2x + 1": 2, "5": 1, "x": 1, "x^x": 0}


def _distractors(problem: str, **options: object) -> tuple[sp.Expr, sp.Expr, list[Distractor]]:
    f = parse(problem)
    key = sp.diff(f, x)  # the key from sympy, not from the step engine
    return f, key, derivative_distractors(f, x, key, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("problem", TEXTBOOK)
def test_textbook_problems_give_three_real_mistakes(problem: str) -> None:
    f, key, found = _distractors(problem)
    assert 3 <= len(found) <= 4
    engine = {c.mistake: c for c in candidates(f, x)}
    for d in found:
        assert d.mistake in engine, d  # a mistake that applies here …
        assert numerically_equal(d.answer, engine[d.mistake].answer, domain_of=f)  # … and its very answer
        assert sp.simplify(d.answer - key) != 0, d
        assert not numerically_equal(d.answer, key, domain_of=f), d
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            assert sp.simplify(a.answer - b.answer) != 0 and not numerically_equal(a.answer, b.answer, domain_of=f)
    assert [d.mistake for d in found] == [m for m in ORDER if m in {d.mistake for d in found}]  # declared order


@pytest.mark.parametrize(("problem", "count"), FEWER.items())
def test_problems_with_few_mistakes_give_fewer(problem: str, count: int) -> None:
    assert len(_distractors(problem, most=6)[2]) == count


def test_a_mistake_that_gives_the_right_answer_is_no_option() -> None:
    # sin(x + 1): the inner derivative is 1, so leaving it out is no mistake here
    f, key, found = _distractors("\\sin(x + 1)")
    chain = derivative(f, x, "chain_missing_inner")
    assert chain[1] and numerically_equal(chain[0], key)
    assert "chain_missing_inner" not in {d.mistake for d in found}


def test_two_mistakes_with_one_answer_give_one_option_named_by_the_rule() -> None:
    # (cos x)' as sin x is the sign error and the antiderivative alike: one option, the rule's
    f, _, found = _distractors("\\cos x")
    assert numerically_equal(derivative(f, x, "integrated_instead")[0], derivative(f, x, "trig_sign")[0])
    assert [(d.mistake, d.answer) for d in found] == [("trig_sign", sp.sin(x))]


def test_most_bounds_and_keeps_the_order() -> None:
    every = _distractors("x^2 e^{3x}", most=10)[2]
    assert len(every) == 6
    assert _distractors("x^2 e^{3x}", most=2)[2] == every[:2]
    assert _distractors("x^2 e^{3x}", most=0)[2] == []


def test_values_at_a_point_are_exact_numbers_different_from_the_key_and_each_other() -> None:
    f = parse("x^2 e^{3x}")
    key = sp.diff(f, x)
    found = derivative_distractors(f, x, key, at={x: sp.Integer(1)})
    engine = {c.mistake: c.answer for c in candidates(f, x)}
    assert len(found) >= 3
    values = [d.answer for d in found]
    assert all(v.free_symbols == set() and v.is_real for v in values)
    assert all(sp.simplify(v - engine[d.mistake].subs(x, 1)) == 0 for v, d in zip(values, found, strict=True))
    # 5e³ (x^n)' as n x^n happens to be the key at 1: it is left out
    assert "exponent_not_reduced" not in {d.mistake for d in found}
    assert all(abs(float(v - key.subs(x, 1))) > 1e-6 for v in values)
    assert len({round(float(v), 9) for v in values}) == len(values)


def test_at_a_point_where_they_coincide_fewer_are_left() -> None:
    f = parse("x^2 e^{3x}")
    found = derivative_distractors(f, x, sp.diff(f, x), at={x: sp.Integer(0)})  # most mistakes give 0 at 0
    assert [d.latex for d in found] == ["3", "\\frac{2}{27}"]


def test_a_value_that_is_not_real_is_no_option() -> None:
    f = parse("\\ln x")  # 1/ln(x) and x ln x − x at −1 are complex: no option to a real question
    assert derivative_distractors(f, x, sp.diff(f, x), at={x: sp.Integer(-1)}) == []


def test_feedback_is_the_diagnosis_check_answer_gives_for_that_answer() -> None:
    f, _, found = _distractors("x^2 e^{3x}")
    for d in found[:2]:
        diagnosis = check_answer(d.answer, derivative_of=f).diagnosis
        assert [g.mistake for g in diagnosis] == [d.mistake]
        message, rule = diagnosis[0].message, MISTAKES[d.mistake].rule
        # the same sentence, its maths as inline TeX
        assert d.feedback.split(", at ")[0] == message.split(", at ")[0] == MISTAKES[d.mistake].meaning
        assert message.endswith(f"; the {rule.title.lower()} is {rule.formula}")
        assert d.feedback.endswith(f"; the {rule.title.lower()} is \\({rule.formula}\\)")


@pytest.mark.parametrize("problem", ["|x|", "\\lfloor x \\rfloor", "x^x", "7", "\\frac{1}{x - x}", "y x^2"])
def test_odd_problems_never_raise(problem: str) -> None:
    try:
        f = parse(problem)
    except Exception:
        pytest.skip(f"{problem} does not parse")
    found = derivative_distractors(f, x, sp.diff(f, x))
    assert all(isinstance(d, Distractor) for d in found)


def test_a_mistake_that_runs_away_is_skipped_within_the_bound() -> None:
    # ∫ of sin(x²)cos(3x)eˣ (integrated_instead) runs for minutes: that mistake is dropped, not the rest
    started = time.monotonic()
    found = _distractors("\\sin(x^2)\\cos(3x) e^{x}", most=10)[2]  # every mistake is tried
    assert time.monotonic() - started < MISTAKE_SECONDS + 3
    assert len(found) == 6 and "integrated_instead" not in {d.mistake for d in found}


def test_the_whole_problem_has_a_bound_and_keeps_what_it_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # the six rule-level mistakes take a fraction of a second; ∫ is then cut short by the whole
    # problem's bound, not by its own second
    monkeypatch.setattr(distractors, "TOTAL_SECONDS", 0.5)
    started = time.monotonic()
    found = _distractors("\\sin(x^2)\\cos(3x) e^{x}", most=10)[2]
    assert time.monotonic() - started < MISTAKE_SECONDS
    assert len(found) <= 6 and all(isinstance(d, Distractor) for d in found)
