"""``stepsolver handout``: the command's work, in the order a teacher needs it — read the set,
draw and work the variants (a progress bar for many), write the documents and the key, then
the PDFs and the quiz if asked; the summary names every file and anything not made."""

from __future__ import annotations

import sys
import time
from importlib import resources
from pathlib import Path

from .build import build
from .documents import init_templates as init_templates_into
from .problems import ProblemSetError, load_yaml, problem_set, read_problem_set


def lecture_problem_set_text() -> str:
    return (resources.files("stepsolver") / "handout" / "lecture.yaml").read_text(encoding="utf-8")


def run(
    problems: Path | None,
    out: Path | None,
    variants: int = 1,
    seed: int | None = None,
    kind: str = "latex",
    pdf: bool = False,
    moodle: bool = False,
    templates: Path | None = None,
    init_templates: Path | None = None,
) -> str:
    if init_templates is not None:
        written = init_templates_into(init_templates)
        return f"copied {len(written)} templates into {init_templates}; use them with --templates {init_templates}\n"
    if out is None:
        raise ProblemSetError("say where to write the handout: --out DIR")
    if templates is not None and not templates.is_dir():
        raise ProblemSetError(f"--templates {templates}: no such folder")
    if pdf and kind != "latex":
        raise ProblemSetError("--pdf compiles LaTeX: use it with --format latex")
    if problems is not None:
        chosen = read_problem_set(problems)
    else:
        chosen = problem_set(load_yaml(lecture_problem_set_text(), "lecture.yaml"), "the lecture's problem set")
    from ..check.grade import Progress

    bar = Progress(variants, 0, sys.stderr, "variants") if variants > 1 else None
    started = time.monotonic()
    built = build(chosen, out, variants, seed, kind, templates, progress=bar.at if bar else None)
    if bar is not None:
        bar.close()
    lines = [f"{len(built.variants)} variant(s) of {len(chosen.problems)} problem(s), seed {built.seed}, "
             f"built in {time.monotonic() - started:.1f} s"]  # fmt: skip
    if pdf:
        from .pdf import compile_pdfs

        compiled = compile_pdfs([p for p in built.written if p.suffix == ".tex"])
        if compiled.missing:
            lines.append(compiled.missing)
        built.written += compiled.pdfs
        lines += compiled.failures
    if moodle:
        from .quiz import write_quiz

        quiz, said = write_quiz(built, out / "quiz.xml")
        built.written.append(quiz)
        lines += said
    lines += built.notes
    shown = sorted({str(p.parent) for p in built.written if p.parent != out})
    lines.append(f"wrote {len(built.written)} files in {out}" + (f" ({len(shown)} variant folders)" if shown else ""))
    for path in built.written:
        if path.parent == out:
            lines.append(f"  {path}")
    report = "\n".join(lines) + "\n"
    if pdf and compiled.failures:
        more = f" (and {len(compiled.failures) - 1} more)" if len(compiled.failures) > 1 else ""
        raise NotCompiled(report, compiled.failures[0] + more)
    return report


class NotCompiled(ProblemSetError):
    """--pdf asked for and a document did not compile: the report of what was written, and the
    first failure as the command's one-line error (exit 2)."""

    def __init__(self, report: str, failure: str) -> None:
        super().__init__(failure)
        self.report = report
