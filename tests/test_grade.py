"""Batch grading: never a submission lost or doubled (kills at random moments, a second grader,
a changed key), every row of a malformed file accounted for, spreadsheet-safe and deterministic
grades, and warm workers that are replaced when an answer hangs or crashes them."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from stepsolver.check.grade import GradeRun, grade, key_of, submissions
from stepsolver.check.grade_input import ANSWER_LIMIT, read_csv, read_json
from stepsolver.check.grade_output import COLUMNS, TEST_SLOW_WRITE, plain_cell, safe_cell
from stepsolver.cli import main

KEY = {"p1": {"derivative_of": r"x^2 \sin x"}, "p2": {"expected": r"\frac{1}{2}"}, "p3": {"derivative_of": "2 e^x x"}}
ANSWERS = {
    "p1": [r"2x \sin x + x^2 \cos x", r"2x \cos x", "9^{9^{9^9}}", "__import__('os')"],
    "p2": ["0.5", "2", "1/2"],
    "p3": ["2e^x", "2e^x x + 2 e^x", "2x e^x"],
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_batch(folder: Path, count: int, resubmit: bool = False) -> tuple[Path, Path]:
    """``count`` rows over three problems; with ``resubmit``, each student answers each problem
    several times (new answers, and the same answer twice)."""
    key = folder / "key.json"
    key.write_text(json.dumps(KEY))
    path = folder / "subs.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "problem", "answer"])
        for i in range(count):
            problem = f"p{i % 3 + 1}"
            student = f"s{i // 6}" if resubmit else f"s{i}"
            writer.writerow([student, problem, ANSWERS[problem][(i // 3) % len(ANSWERS[problem])]])
    return path, key


def _command(folder: Path, subs: Path, key: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "stepsolver.cli", "grade", str(subs), "--key", str(key), "--out",
            str(folder / "grades.csv"), "--report", str(folder / "report"), "--timeout", "3", *extra]  # fmt: skip


def _identities(path: Path) -> list[tuple[str, str]]:
    return [(row["row"], row["hash"]) for row in _rows(path)]


# -- never lost, never doubled -----------------------------------------------------------------


@pytest.mark.parametrize("resubmit", [False, True], ids=["distinct", "resubmissions"])
def test_killed_at_random_moments_then_resumed_grades_each_submission_once(tmp_path: Path, resubmit: bool) -> None:
    """SIGKILL at 6 random moments (every write paused halfway, so kills land mid-write too), a
    resume after each; the finished file is byte for byte that of a run never killed."""
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    clean.mkdir()
    killed.mkdir()
    subs, key = _write_batch(tmp_path, 36, resubmit)
    subprocess.run(_command(clean, subs, key), check=True, capture_output=True, timeout=120)
    expected = (clean / "grades.csv").read_bytes()
    env = {**os.environ, TEST_SLOW_WRITE: "0.04"}
    rng = random.Random(1 if resubmit else 0)
    torn = 0
    for attempt in range(6):
        run = subprocess.Popen(_command(killed, subs, key), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        time.sleep(rng.uniform(0.8, 2.0))
        if attempt % 2:
            os.kill(run.pid, signal.SIGKILL)  # the grader alone: its orphaned workers must not block the resume
        else:
            os.killpg(run.pid, signal.SIGKILL)  # the grader and its workers
        run.wait()
        data = (killed / "grades.csv").read_bytes() if (killed / "grades.csv").exists() else b""
        torn += bool(data) and not data.endswith(b"\n")
        lines = data.split(b"\n")[1:-1]
        assert len(lines) == len(set(lines))  # nothing written twice, even across resumes
    assert torn >= 1  # at least one kill landed in the middle of a write
    subprocess.run(_command(killed, subs, key), check=True, capture_output=True, timeout=120)
    assert (killed / "grades.csv").read_bytes() == expected
    rows = _rows(killed / "grades.csv")
    assert len(rows) == 36 and len(set(_identities(killed / "grades.csv"))) == 36
    if resubmit:  # the same student and problem, graded once per submission, new answer or not
        assert max(Counter((r["student"], r["problem"]) for r in rows).values()) == 2


def test_second_grader_on_the_same_output_refuses(tmp_path: Path) -> None:
    subs, key = _write_batch(tmp_path, 12)
    env = {**os.environ, TEST_SLOW_WRITE: "0.1"}
    first = subprocess.Popen(_command(tmp_path, subs, key), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(_command(tmp_path, subs, key), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in (first, second)]  # type: ignore[union-attr]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2]
    refusal = next(err for code, err in results if code == 2)
    assert refusal.startswith("stepsolver: another grader") and refusal.count("\n") == 1
    assert len(_rows(tmp_path / "grades.csv")) == 12


def test_a_row_cut_short_by_a_kill_is_graded_again(tmp_path: Path) -> None:
    items = submissions([(f"s{i}", "p", "3x^2") for i in range(3)])
    key = key_of({"p": {"derivative_of": "x^3"}})
    out = tmp_path / "g.csv"
    whole = grade(items[:1], key, out, progress=False)
    out.write_bytes(out.read_bytes() + b"2,")  # a kill in the middle of the second line
    run = grade(items, key, out, progress=False)
    assert (whole.graded, run.earlier, run.graded) == (1, 1, 2)
    assert [row["student"] for row in _rows(out)] == ["s0", "s1", "s2"]


def test_resume_goes_by_identity_whatever_changed(tmp_path: Path) -> None:
    """An edited row is a new submission; a removed row's grade leaves the finished file; a row
    added in the middle is graded; identical rows are two submissions, both graded."""
    key = key_of({"p": {"derivative_of": "x^3"}})
    out = tmp_path / "g.csv"
    first = submissions([("ann", "p", "3x^2"), ("bob", "p", "3x"), ("bob", "p", "3x")])
    run = grade(first, key, out, progress=False)
    assert run.graded == 3 and [r["verdict"] for r in _rows(out)] == ["correct", "incorrect", "incorrect"]
    second = submissions([("ann", "p", "3x^2"), ("bob", "p", "3x^2"), ("bob", "p", "3x")])
    run = grade(second, key, out, progress=False)
    assert (run.earlier, run.graded, run.dropped) == (2, 1, 1)
    assert [(r["student"], r["verdict"]) for r in _rows(out)] == [("ann", "correct"), ("bob", "correct"),
                                                                  ("bob", "incorrect")]  # fmt: skip


def test_a_changed_key_or_timeout_is_refused_unless_regrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subs, key = _write_batch(tmp_path, 6)
    out, stem = str(tmp_path / "g.csv"), str(tmp_path / "r")
    arguments = ["grade", str(subs), "--key", str(key), "--out", out, "--report", stem]
    assert main(arguments) == 0
    before = (tmp_path / "g.csv").read_bytes()
    key.write_text(json.dumps({**KEY, "p2": {"expected": "2"}}))
    capsys.readouterr()
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert "another key or other options" in error and "--regrade" in error and error.count("\n") == 1
    assert (tmp_path / "g.csv").read_bytes() == before  # nothing mixed in
    key.write_text(json.dumps(KEY))
    assert main([*arguments, "--timeout", "5"]) == 2
    assert main(arguments) == 0
    key.write_text(json.dumps({**KEY, "p2": {"expected": "2"}}))
    assert main([*arguments, "--regrade"]) == 0
    assert [r["verdict"] for r in _rows(tmp_path / "g.csv") if r["problem"] == "p2"] == ["incorrect", "correct"]


# -- bad input, refused up front or graded invalid ---------------------------------------------


BAD_OPTIONS = [["--timeout", "nan"], ["--timeout", "-1"], ["--timeout", "inf"], ["--timeout", "0"],
               ["--workers", "-3"], ["--workers", "0"], ["--diagnosis-timeout", "nan"]]  # fmt: skip


@pytest.mark.parametrize("options", BAD_OPTIONS, ids=lambda o: " ".join(o))
def test_bad_options_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         options: list[str]) -> None:  # fmt: skip
    subs, key = _write_batch(tmp_path, 3)
    out = tmp_path / "g.csv"
    assert main(["grade", str(subs), "--key", str(key), "--out", str(out), *options]) == 2
    error = capsys.readouterr().err
    assert error.startswith("stepsolver: --") and error.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", "{}", '"p1"', b"\xff\xfe{}"],
    ids=["syntax", "list", "empty", "string", "undecodable"],
)
def test_malformed_key_file_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: str | bytes) -> None:  # fmt: skip
    subs, key = _write_batch(tmp_path, 3)
    key.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["grade", str(subs), "--key", str(key), "--out", str(tmp_path / "g.csv")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("stepsolver: ") and error.count("\n") == 1 and "Traceback" not in error
    assert main(["grade", str(subs), "--key", str(tmp_path / "missing.json")]) == 2
    key.write_text(json.dumps(KEY))
    assert main(["grade", str(subs), "--key", str(key), "--out", str(subs), "--regrade"]) == 2  # not over the input
    assert capsys.readouterr().err.count("\n") == 2 and subs.read_text().startswith("student,problem,answer")


def test_bad_key_entries_spoil_only_their_problem(tmp_path: Path) -> None:
    key = key_of({
        "ok": {"derivative_of": "x^2"},
        "typo": {"expected": r"\frac{1}{"},
        "neither": {"wrt": "x"},
        "both": {"expected": "1", "derivative_of": "x"},
        "misspelt": {"expectd": "1"},
        "bad_wrt": {"derivative_of": "x", "wrt": "1+"},
        "not_object": "x^2",  # type: ignore[dict-item]
    })  # fmt: skip
    items = submissions([("s", name, "2x") for name in [*key, "unknown"]])
    run = grade(items, key, tmp_path / "g.csv", progress=False)
    verdicts = {run.cell(row, "problem"): run.cell(row, "verdict") for row in run.rows}
    assert verdicts == {"ok": "correct", **{name: "invalid" for name in key if name != "ok"}, "unknown": "invalid"}
    assert any("'typo' cannot be read" in warning for warning in run.warnings)


MALFORMED = (
    b"\xef\xbb\xbfstudent,problem,answer\r\n"  # a BOM, CRLF line ends
    b's1,p2,"0.5"\r\n'
    b'"s2\nwith a newline",p2,"1/2"\r\n'  # a line break inside a quoted cell
    b's3,p2,"2\xe2\x80\xa8"\r\n'  # U+2028 inside a cell: not a row end
    b"s4,p2\r\n"  # a short row
    b"s5,p2,0.5,extra\r\n"  # too many cells
    b"s6,p2,\xff\xfe0.5\r\n"  # not UTF-8
    b"\r\n"  # a blank line: no submission
    b's7,p2,"' + b"x" * 10_000_000 + b'"\r\n'  # a 10 MB cell
    b's8,p2,"0.5\r\n'  # an unterminated quote ...
    b"s9,p2,0.5\r\n"  # ... must not swallow the rows after it
    b"s10,p2,1/2"  # no final line end
)


def test_every_row_of_a_malformed_csv_is_accounted_for(tmp_path: Path) -> None:
    items = read_csv(MALFORMED)
    assert [s.student for s in items] == ["s1", "s2\nwith a newline", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10"]
    assert [s.row for s in items] == [2, 3, 5, 6, 7, 8, 10, 11, 12, 13]
    reasons = {s.student: s.invalid for s in items}
    assert reasons["s4"].startswith("short row on line 6") and reasons["s5"].startswith("too many cells on line 7")
    assert "line 8 is not UTF-8" in reasons["s6"] and reasons["s7"].startswith("too long")
    assert reasons["s8"].startswith("malformed CSV on line 11") and "never closed" in reasons["s8"]
    assert not any(reasons[s] for s in ("s1", "s2\nwith a newline", "s3", "s9", "s10"))
    assert all(s.answer != "None" for s in items)
    subs = tmp_path / "subs.csv"
    subs.write_bytes(MALFORMED)
    (tmp_path / "key.json").write_text(json.dumps(KEY))
    assert main(["grade", str(subs), "--key", str(tmp_path / "key.json"), "--out", str(tmp_path / "g.csv"),
                 "--report", str(tmp_path / "r")]) == 0  # fmt: skip
    rows = _rows(tmp_path / "g.csv")
    assert [row["row"] for row in rows] == ["2", "3", "5", "6", "7", "8", "10", "11", "12", "13"]
    assert [row["verdict"] for row in rows] == ["correct", "correct", "incorrect", *["invalid"] * 5, "correct",
                                                "correct"]  # fmt: skip
    assert all(len(cell) <= 300 for row in rows for cell in row.values())
    report = (tmp_path / "r.md").read_text()
    assert "| 11 | malformed CSV on line 11" in report and "| 8 | line 8 is not UTF-8" in report


def test_csv_with_a_bad_header_is_refused() -> None:
    with pytest.raises(ValueError, match="no 'answer' column"):
        read_csv(b"student,problem\ns1,p1\n")
    with pytest.raises(ValueError, match="separated by ';'"):
        read_csv(b"student;problem;answer\ns1;p1;x\n")
    with pytest.raises(ValueError, match="no header"):
        read_csv(b"")
    assert [s.answer for s in read_csv(b"Answer , Student,problem,when\nx^2,ann,p1,monday\n")] == ["x^2"]


def test_json_submissions_with_bad_entries() -> None:
    data = json.dumps([{"student": "a", "problem": "p", "answer": 0.5}, {"student": "b", "problem": "p"}, 3,
                       {"student": "c", "problem": "p", "answer": None}]).encode()  # fmt: skip
    items = read_json(data.replace(b'"b"', b'"b\xff"'))
    assert [(s.row, s.answer, bool(s.invalid)) for s in items] == [(1, "0.5", False), (2, "", True), (3, "", True),
                                                                   (4, "", True)]  # fmt: skip
    assert "not UTF-8" in items[1].invalid or "no answer" in items[1].invalid
    with pytest.raises(ValueError, match="not valid JSON"):
        read_json(b"[{")


def test_answer_limit_is_the_documented_input_limit() -> None:
    from stepsolver.parse.limits import MAX_LENGTH

    assert ANSWER_LIMIT == MAX_LENGTH
    (long,) = submissions([("s", "p", "x+" * ANSWER_LIMIT)])
    assert long.invalid.startswith("too long")


# -- spreadsheet-safe and deterministic ----------------------------------------------------------


def test_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    names = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1", "'quoted", "plain"]
    for name in names:
        cell = safe_cell(name)
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
        assert "\n" not in cell and "\r" not in cell
    assert plain_cell(safe_cell("=1+1")) == "=1+1" and plain_cell(safe_cell("'quoted")) == "'quoted"
    items = submissions([(name, "p", "-3x^2") for name in names[:4]])
    out = tmp_path / "g.csv"
    run = grade(items, key_of({"p": {"derivative_of": "x^3"}}), out, progress=False)
    for row in csv.reader(io.StringIO(out.read_text(), newline="")):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert [run.cell(row, "student") for row in run.rows] == names[:4]
    assert grade(items, key_of({"p": {"derivative_of": "x^3"}}), out, progress=False).graded == 0  # resume sees them


def test_same_batch_graded_twice_gives_identical_bytes(tmp_path: Path) -> None:
    """The 1,000-row version is in benchmarks/bench_check.py."""
    rng = random.Random(7)
    key = key_of(KEY)
    rows = [(f"s{i}", p, rng.choice(ANSWERS[p])) for i in range(120) for p in [rng.choice(list(KEY))]]
    items = submissions(rows)
    grade(items, key, tmp_path / "a.csv", workers=2, progress=False)
    grade(items, key, tmp_path / "b.csv", workers=1, progress=False)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    verdicts = Counter(row["verdict"] for row in _rows(tmp_path / "a.csv"))
    assert verdicts["undecided"] == 0 and verdicts["correct"] and verdicts["incorrect"]


def test_report_has_students_problems_and_mistakes_in_words(tmp_path: Path) -> None:
    from stepsolver.check.grade_report import report

    items = submissions([("ann", "p3", "2e^x"), ("ann", "p3", "2e^x x + 2e^x"), ("bob", "p3", "2e^x")])
    run = grade(items, key_of(KEY), tmp_path / "g.csv", progress=False)
    assert run.cell(run.rows[0], "mistakes") == "(fg)' taken as f'g'"
    markdown, page = report(run)
    assert "| ann | 2 | 1 | 1 | 0 | 0 | 0 | 1 of 1 |" in markdown and "| bob | 1 | 0 | 1 |" in markdown
    assert "| p3 | 3 | 1 | 2 | 0 | 0 | 0 | 33% | (fg)' taken as f'g' (2) |" in markdown
    assert "product_as_product" not in markdown and "<table" in page


# -- warm workers, replaced when an answer hangs or kills them ---------------------------------


def _hostile_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check_answer that hangs where no signal reaches it (as C code does), or dies; the
    workers, forked after the patch, use it."""
    import stepsolver.check.answer as answer

    real = answer.check_answer

    def check(text: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if text == "HANG":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(30)
        if text == "DIE":
            os.kill(os.getpid(), signal.SIGKILL)
        if text == "MEM":
            bytearray(2 * 10**9)  # past the worker's 1 GB address space
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(answer, "check_answer", check)


def test_a_hung_or_dead_worker_is_replaced_and_its_row_undecided(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    _hostile_checker(monkeypatch)
    items = submissions([("a", "p", "HANG"), ("b", "p", "3x^2"), ("c", "p", "DIE"), ("d", "p", "3x"),
                         ("e", "p", "HANG"), ("f", "p", "MEM"), ("g", "p", "3x^2 + 0")])  # fmt: skip
    start = time.monotonic()
    run: GradeRun = grade(items, key_of({"p": {"derivative_of": "x^3"}}), tmp_path / "g.csv", workers=2,
                          seconds=0.5, progress=False)  # fmt: skip
    assert time.monotonic() - start < 15
    got = {run.cell(row, "student"): (run.cell(row, "verdict"), run.cell(row, "method")) for row in run.rows}
    assert got["a"] == got["e"] == ("undecided", "time limit (0.5 s)")
    assert got["c"][0] == "undecided" and "stopped" in got["c"][1]
    assert got["f"] == ("undecided", "memory limit (1 GB)")
    assert got["b"][0] == got["g"][0] == "correct" and got["d"][0] == "incorrect"


def test_time_limit_per_answer_is_enforced(tmp_path: Path) -> None:
    """With a limit far below what a check takes, every answer is graded undecided and the batch ends."""
    items = submissions([(f"s{i}", "p", rf"2x \sin x + x^{i} \cos x") for i in range(3)])
    start = time.perf_counter()
    run = grade(items, key_of({"p": {"derivative_of": r"x^2 \sin x"}}), tmp_path / "g.csv", seconds=0.001,
                progress=False)  # fmt: skip
    assert [run.cell(row, "verdict") for row in run.rows] == ["undecided"] * 3
    assert all("time limit" in run.cell(row, "method") for row in run.rows)
    assert time.perf_counter() - start < 30


def test_batch_with_every_hostile_answer_completes(tmp_path: Path) -> None:
    from stepsolver import check_answer as exported
    from stepsolver.check import check_answer

    from .test_check import HOSTILE

    assert exported is check_answer

    items = submissions([(f"s{i}", "p", answer) for i, answer in enumerate(HOSTILE)])
    run = grade(items, key_of({"p": {"derivative_of": "x^3"}}), tmp_path / "g.csv", progress=False)
    assert len(run.rows) == len(HOSTILE) and all(run.cell(row, "verdict") != "correct" for row in run.rows)


def test_progress_line_redraws_only_on_a_terminal(tmp_path: Path) -> None:
    from stepsolver.check.grade import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        bar = Progress(3, 1, stream)
        bar.update("correct")
        bar.update("undecided")
        bar.close()
    assert pipe.getvalue() == ""
    assert screen.getvalue().count("\r") >= 2 and screen.getvalue().endswith("\n") and "3/3" in screen.getvalue()
    assert COLUMNS[:2] == ["row", "hash"]
