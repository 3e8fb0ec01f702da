"""Answer checking: answers.json, a test set of 150+ cases with no wrong "correct", hostile answers,
and working checked line by line. Batch grading is tested in test_grade.py."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from stepsolver.check import check_answer
from stepsolver.check.mistakes import MISTAKES
from stepsolver.cli import main

from .check_cases import all_cases
from .helpers import SHARED, load_cases

ANSWERS = load_cases("answers.json")


def _check(answer: str, problem: dict[str, str]):  # type: ignore[no-untyped-def]
    assume = dict(pair.split("=") for pair in problem["assume"].split(",")) if "assume" in problem else None
    return check_answer(answer, expected=problem.get("expected"), derivative_of=problem.get("derivative_of"),
                        assume=assume)  # fmt: skip


def test_mistake_vocabulary_is_the_shared_one() -> None:
    assert set(MISTAKES) == set(ANSWERS["mal_rules"])


@pytest.mark.parametrize("case", ANSWERS["cases"], ids=[c["answer"] for c in ANSWERS["cases"]])
def test_answers_json_verdict_and_mistake(case: dict) -> None:
    result = check_answer(case["answer"], derivative_of=case["f"], wrt=case["wrt"])
    assert result.verdict == case["verdict"]
    if case["mal_rule"]:
        assert result.diagnosis and result.diagnosis[0].mistake == case["mal_rule"]
        assert result.counterexample  # a wrong answer comes with a point and both values


CASES = all_cases()


def test_test_set_accuracy_and_no_false_correct() -> None:
    """Prints the confusion table; a wrong answer called correct fails the test outright."""
    assert len(CASES) >= 150
    confusion: Counter[tuple[str, str]] = Counter()
    false_correct = []
    for answer, problem, expected in CASES:
        got = _check(answer, problem).verdict
        confusion[(expected, got)] += 1
        if got == "correct" and expected != "correct":
            false_correct.append((answer, problem))
    right = sum(n for (e, g), n in confusion.items() if e == g)
    print(f"\naccuracy {right}/{len(CASES)}; confusion (expected → got): {dict(confusion)}")
    assert not false_correct
    assert right / len(CASES) >= 0.97


HOSTILE = [
    "__import__('os').system('true')", "exec('1')", "lambda: 1", "x; import os", "x.__class__", "eval('2')",
    "9^{9^{9^9}}", "(10^6)!", "10^{10^{10}}", "x^{99999999}", "(" * 200 + "x" + ")" * 200, "{" * 200 + "x" + "}" * 200,
    "x" * 20_000, "1" * 5_000, r"\input{/etc/passwd}", r"\def\x{1}", "\\" * 50, "$$x$$", "x &= 3 \\\\ &= 4",
    r"\frac{d}{dx} x^3", r"\frac{d}{dx}", r"\int x dx", r"\lim_{x \to 0} x", "", "   ", "=", "x ==== y", "\x00",
    "é" * 100, r"\sin^{9999999}(x)", "2^{2^{2^{2^{2^{2}}}}}", "x" + "+x" * 3000,
]  # fmt: skip


@pytest.mark.parametrize("answer", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_answer_gets_a_verdict_fast(answer: str) -> None:
    start = time.perf_counter()
    result = check_answer(answer, derivative_of="x^3")
    assert result.verdict in {"incorrect", "unparseable", "invalid", "undecided"}
    assert time.perf_counter() - start < 2.0


def test_one_megabyte_answer() -> None:
    start = time.perf_counter()
    assert check_answer("x+" * 500_000 + "x", derivative_of="x^3").verdict == "unparseable"
    assert time.perf_counter() - start < 2.0


def test_working_is_checked_line_by_line() -> None:
    working = r"\frac{d}{dx}(2 e^x x) &= 2 e^x \cdot 1 \\ &= 2 e^x"
    result = check_answer(working, derivative_of="2 e^x x")
    assert [line["valid"] for line in result.lines] == [True, False, True]
    assert "line 2" in result.message and result.diagnosis[0].mistake == "product_as_product"
    good = check_answer(r"\frac{d}{dx}(x^2 + 1) = 2x + 0 = 2x", derivative_of="x^2 + 1")
    assert good.verdict == "correct" and all(line["valid"] for line in good.lines)


def test_vectors_matrices_sets_and_forms() -> None:
    assert check_answer("[5, 12]", expected="[5, 11]").counterexample == {"wrong entries": "(2, 1): 12 should be 11"}
    assert check_answer("5", expected="[5, 11]").verdict == "invalid"
    assert check_answer(r"\{0, 5\}", expected=r"\{5, 0\}").verdict == "correct"
    assert check_answer("2x(x+1)", expected="2x^2 + 2x", form="expanded").method == "correct value, wrong form"


def test_command_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--answer", "2e^x", "--derivative-of", "2 e^x x", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "incorrect" and data["diagnosis"][0]["mistake"] == "product_as_product"
    assert main(["check", "--answer", "x", "--expected", r"\sqrt{x^2}", "--assume", "x=positive"]) == 0
    assert capsys.readouterr().out.startswith("correct")


def test_shared_cases_file_is_there() -> None:
    assert (SHARED / "cases" / "answers.json").exists()
