"""Shared fixtures: the lecture's cases file and a numeric comparison independent of the engine."""

from __future__ import annotations

import functools
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from stepsolver.core.verify import domain_conditions, in_real_domain
from stepsolver.functions import to_elementary

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def load_cases(name: str) -> dict:
    path = SHARED / "cases" / name
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout", allow_module_level=True)
    return json.loads(path.read_text())


def numerically_equal(a: sp.Expr, b: sp.Expr, points: int = 5, seed: int = 1, domain_of: sp.Expr | None = None) -> bool:
    """Plain evalf at random real points where both are defined, independent of stepsolver's
    verifier. ``domain_of``: only points where that function is real (every √ and ln inside too)."""
    a, b = to_elementary(a), to_elementary(b)
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    conditions = domain_conditions(domain_of) if domain_of is not None else []
    rng = random.Random(seed)
    agreed = 0
    for _ in range(60):
        point = {s: sp.Float(rng.choice([-1, 1]) * rng.uniform(0.2, 2.0), 30) for s in symbols}
        if not in_real_domain(conditions, point):
            continue
        try:
            va, vb = complex(a.evalf(30, subs=point)), complex(b.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v != v or abs(v) == float("inf") or abs(v.imag) > 1e-12 for v in (va, vb)):
            continue
        if abs(va - vb) > 1e-9 * (1 + abs(va) + abs(vb)):
            return False
        agreed += 1
        if agreed >= points:
            return True
    return agreed >= min(points, 3)


def compile_latex(tex: str, tmp_path: Path) -> str:
    """pdflatex must compile ``tex`` without an error and produce a PDF; gives back the log."""
    (tmp_path / "doc.tex").write_text(tex)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000
    return (tmp_path / "doc.log").read_text(errors="replace")


def has_tikz() -> bool:
    """pdflatex with TikZ and pgfplots (Debian's texlive-pictures), as .ci/run installs them."""
    if shutil.which("pdflatex") is None or shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", "tikz.sty", "pgfplots.sty"], capture_output=True, text=True, check=False)
    return found.stdout.count("\n") == 2


@functools.cache
def worked(text: str) -> Any:
    """``differentiate(text)``, worked once per test run: the corpus is differentiated by several
    test files (against SymPy, for proofs, for the round trips), each reading the same result."""
    from stepsolver import differentiate

    return differentiate(text)


def overfull(log: str, over: float = 1.0) -> list[float]:
    """How much too wide (pt) each line is that pdflatex reports in ``log`` as an overfull \\hbox
    by more than ``over`` points: what ran off the page."""
    import re

    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    return [w for w in widths if w > over]


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """Every word pdftotext finds in ``pdf``: (page, its left and right edge, the page's width, the
    word), in points; [] without pdftotext (poppler-utils)."""
    import re

    if shutil.which("pdftotext") is None:
        return []
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>')
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        found = re.match(r'width="([\d.]+)"', page)
        page_width = float(found.group(1)) if found else 0.0
        words += [(number, float(a), float(b), page_width, w) for a, b, w in word.findall(page)]
    return words
