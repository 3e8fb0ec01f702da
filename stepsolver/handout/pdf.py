"""--pdf: the LaTeX documents compiled where TeX is installed (latexmk if there is one, otherwise
pdflatex run twice, for the exam's grade table), each in its own folder, with a time limit.
Without TeX the .tex files stay, and one line says what to install."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# A problem set's words and formulas reach TeX as written (a teacher's \\emph, their maths): TeX may
# read and write only files in the document's own folder (kpathsea's paranoid mode) and run nothing.
CONFINED = {**os.environ, "openin_any": "p", "openout_any": "p", "shell_escape": "f"}
SECONDS = 120  # per document: a handout of many pages compiles in seconds; a hang must not block the command
INSTALL = "apt install texlive-latex-recommended texlive-latex-extra texlive-pictures latexmk (or TeX Live / MiKTeX)"


@dataclass
class Compiled:
    pdfs: list[Path]
    failures: list[str]  # one line each: which document, and the first LaTeX error
    missing: str = ""  # what to install, when TeX is not there at all


def _first_error(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return "no log written"
    for number, line in enumerate(lines):
        if line.startswith("!"):
            where = next((ln for ln in lines[number : number + 8] if ln.startswith("l.")), "")
            return f"{line[1:].strip()} {where.split(' ')[0]}".strip()
    return "see the log"


def _has_class(name: str) -> bool:
    if shutil.which("kpsewhich") is None:
        return True  # cannot tell: let the compiler say
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False, timeout=30)
    return bool(found.stdout.strip())


def compile_pdfs(sources: list[Path]) -> Compiled:
    latexmk, pdflatex = shutil.which("latexmk"), shutil.which("pdflatex")
    if pdflatex is None:
        return Compiled([], [], f"no PDF: pdflatex is not installed; the .tex files are written ({INSTALL})")
    pdfs, failures = [], []
    for source in sources:
        if source.name.startswith("exam") and not _has_class("exam.cls"):
            failures.append(f"{source}: the exam class is not installed ({INSTALL})")
            continue
        once = [pdflatex, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", source.name]
        if latexmk:
            commands = [[latexmk, "-pdf", "-quiet", f"-pdflatex={' '.join(once[:-1])} %O %S", source.name]]
        else:
            commands = [once, once]
        try:
            ok = all(subprocess.run(command, cwd=source.parent, capture_output=True, timeout=SECONDS, check=False,
                                    env=CONFINED).returncode == 0 for command in commands)  # fmt: skip
        except subprocess.TimeoutExpired:  # the same words loop in every document: stop at the first
            failures.append(f"{source}: LaTeX took more than {SECONDS} s and was stopped; the rest were not compiled")
            break
        pdf = source.with_suffix(".pdf")
        if ok and pdf.exists():
            pdfs.append(pdf)
            for suffix in (".aux", ".fls", ".fdb_latexmk", ".out"):  # the log stays: it says how the page came out
                source.with_suffix(suffix).unlink(missing_ok=True)
        else:
            failures.append(f"{source}: LaTeX failed: {_first_error(source.with_suffix('.log'))}")
    return Compiled(pdfs, failures)
