"""The report of a grading run, as Markdown and as HTML: totals per student, statistics per
problem, the most frequent mistakes in words, and every row that could not be read, by line."""

from __future__ import annotations

import html
from collections import Counter, defaultdict

from .grade import GradeRun

VERDICTS = ["correct", "incorrect", "unparseable", "invalid", "undecided"]


def _tables(run: GradeRun) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of each table of the report."""
    students: dict[str, Counter[str]] = defaultdict(Counter)
    solved: dict[str, set[str]] = defaultdict(set)
    tried: dict[str, set[str]] = defaultdict(set)
    problems: dict[str, Counter[str]] = defaultdict(Counter)
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    unread = []
    for row in run.rows:
        student, problem, verdict = (run.cell(row, c) for c in ("student", "problem", "verdict"))
        students[student][verdict] += 1
        tried[student].add(problem)
        if verdict == "correct":
            solved[student].add(problem)
        problems[problem][verdict] += 1
        for mistake in filter(None, run.cell(row, "mistakes").split("; ")):
            mistakes[problem][mistake] += 1
        if run.cell(row, "method") == "the row could not be read":
            unread.append([run.cell(row, "row"), run.cell(row, "message")])
    per_student = [
        [name, str(sum(c.values())), *(str(c[v]) for v in VERDICTS), f"{len(solved[name])} of {len(tried[name])}"]
        for name, c in sorted(students.items())
        if name
    ]
    per_problem = []
    for name, c in sorted(problems.items()):
        if not name:
            continue
        total = sum(c.values())
        top = "; ".join(f"{m} ({n})" for m, n in mistakes[name].most_common(3)) or "–"
        share = f"{100 * c['correct'] / total:.0f}%"
        per_problem.append([name, str(total), *(str(c[v]) for v in VERDICTS), share, top])
    overall: Counter[str] = Counter()
    for counter in mistakes.values():
        overall.update(counter)
    return [
        ("Per student", ["student", "submissions", *VERDICTS, "problems solved"], per_student),
        ("Per problem", ["problem", "answers", *VERDICTS, "% correct", "most frequent mistakes"], per_problem),
        ("Most frequent mistakes", ["mistake", "answers"], [[m, str(n)] for m, n in overall.most_common(10)]),
        ("Rows that could not be read", ["line", "why"], unread),
    ]


def _summary(run: GradeRun) -> list[str]:
    counts = Counter(run.cell(row, "verdict") for row in run.rows)
    lines = [
        f"{len(run.rows)} submissions graded: " + ", ".join(f"{counts[v]} {v}" for v in VERDICTS) + ".",
        f"{run.graded} graded by this run, {run.earlier} by an earlier one"
        + (f"; {run.dropped} grades of rows no longer in the input left out" if run.dropped else "") + ".",
    ]
    return lines + [f"Warning: {warning}." for warning in run.warnings]


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def report(run: GradeRun) -> tuple[str, str]:
    """(Markdown, HTML)."""
    summary = _summary(run)
    lines = ["# Grades", "", *summary]
    page = ["<!doctype html><meta charset=utf-8><title>Grades</title><h1>Grades</h1>"]
    page += [f"<p>{html.escape(line)}</p>" for line in summary]
    for title, header, rows in _tables(run):
        lines += ["", f"## {title}", ""]
        page.append(f"<h2>{html.escape(title)}</h2>")
        if not rows:
            lines.append("None.")
            page.append("<p>None.</p>")
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in rows]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        page.append(f"<table border=1 cellpadding=4><tr>{head}</tr>{body}</table>")
    return "\n".join(lines) + "\n", "".join(page) + "\n"
