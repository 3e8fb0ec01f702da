"""Answer checking: answers.json, a test set of 150+ cases with no wrong "correct", hostile answers,
working checked line by line, and batch grading that survives being killed."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

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


def _write_batch(folder: Path, count: int) -> tuple[Path, Path]:
    key = folder / "key.json"
    key.write_text(json.dumps({"p1": {"derivative_of": r"x^2 \sin x"}, "p2": {"expected": r"\frac{1}{2}"}}))
    answers = {"p1": [r"2x \sin x + x^2 \cos x", r"2x \cos x", "9^{9^{9^9}}", "__import__('os')"], "p2": ["0.5", "2"]}
    submissions = folder / "subs.csv"
    with submissions.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "problem", "answer"])
        for i in range(count):
            problem = "p1" if i % 2 else "p2"
            writer.writerow([f"s{i}", problem, answers[problem][i % len(answers[problem])]])
    return submissions, key


def test_batch_grading_survives_a_kill_and_resumes(tmp_path: Path) -> None:
    submissions, key = _write_batch(tmp_path, 60)
    out = tmp_path / "grades.csv"
    command = [sys.executable, "-m", "stepsolver", "grade", str(submissions), "--key", str(key), "--out", str(out),
               "--report", str(tmp_path / "report")]  # fmt: skip
    run = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not out.exists() or out.read_text().count("\n") < 15):
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)  # the grader and its children, midway
    run.wait()
    partial = out.read_text().count("\n") - 1
    assert 0 < partial < 60
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["student"] for row in rows) == sorted(f"s{i}" for i in range(60))  # each exactly once
    assert (tmp_path / "report.md").read_text().startswith("# Grades")
    assert "<table" in (tmp_path / "report.html").read_text()
    verdicts = Counter(row["verdict"] for row in rows)
    assert verdicts["unparseable"] >= 1 and verdicts["correct"] >= 1


def test_batch_with_every_hostile_answer_completes(tmp_path: Path) -> None:
    from stepsolver import check_answer as exported
    from stepsolver.check.grade import Submission, grade

    assert exported is check_answer
    submissions = [Submission(f"s{i}", "p", answer) for i, answer in enumerate(HOSTILE)]
    rows = list(grade(submissions, {"p": {"derivative_of": "x^3"}}, tmp_path / "g.csv", progress=False))
    assert len(rows) == len(HOSTILE) and all(row["verdict"] != "correct" for row in rows)


def test_shared_cases_file_is_there() -> None:
    assert (SHARED / "cases" / "answers.json").exists()


def test_a_row_cut_short_by_a_kill_is_graded_again(tmp_path: Path) -> None:
    from stepsolver.check.grade import Submission, grade

    out = tmp_path / "g.csv"
    out.write_text("student,problem,verdict,method,mistakes,message\ns0,p,correct,proved,,\ns1,p,inco")
    submissions = [Submission(f"s{i}", "p", "3x^2") for i in range(3)]
    new = list(grade(submissions, {"p": {"derivative_of": "x^3"}}, out, progress=False))
    assert sorted(row["student"] for row in new) == ["s1", "s2"]
    with out.open() as handle:
        assert sorted(row["student"] for row in csv.DictReader(handle)) == ["s0", "s1", "s2"]


def test_time_limit_per_answer_is_enforced(tmp_path: Path) -> None:
    """With a limit far below what a check takes, every answer is graded undecided and the batch ends."""
    from stepsolver.check.grade import Submission, grade

    submissions = [Submission(f"s{i}", "p", r"2x \sin x + x^2 \cos x") for i in range(3)]
    start = time.perf_counter()
    rows = list(grade(submissions, {"p": {"derivative_of": r"x^2 \sin x"}}, tmp_path / "g.csv", seconds=0.001,
                      progress=False))  # fmt: skip
    assert [row["verdict"] for row in rows] == ["undecided"] * 3
    assert all("time limit" in row["method"] for row in rows)
    assert time.perf_counter() - start < 10
