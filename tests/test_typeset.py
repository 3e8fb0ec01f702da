"""LaTeX that looks typeset by hand (issue 12, item 5), and the same care in every format.

Every document a user makes (the demo, the README's examples as whole documents, the long
derivative, every model, the lecture's matrix-calculus cases, graphs, linear algebra) is compiled
with pdflatex: no line may be too wide (the log's Overfull \\hbox over 1pt, and nothing printed
past the margin in the PDF), and the LaTeX is pure ASCII. Then: no Python syntax in any format,
row operations and identities as maths, a number after a factor never glued to it, a line that
repeats the one before merged into it, and each document headed by what it is."""

from __future__ import annotations

import itertools
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import sympy as sp

from stepsolver import computation_graph, linalg
from stepsolver.core.derivation import Derivation
from stepsolver.core.notation import latex, text
from stepsolver.render import render
from stepsolver.render.latex import chain, chain_lines
from stepsolver.render.latex_layout import break_lines
from stepsolver.render.latex_width import TEXTWIDTH, width

from .golden.record import GRAPHS, LINALG, run
from .helpers import SHARED, compile_latex, has_tikz, overfull, pdf_words
from .test_readme import _examples

LONG = r"\sin(x^2)\cos(3x) e^{x}"
LECTURE_GRAPH = ["graph", r"x(\ln(3y) + z^2)", "--at", "x=1,y=2,z=3"]
MODELS = ["logistic", "linear", "logistic_l2", "softmax", "mlp"]
MORE_LINALG = [
    ("det", "[[1,2,3],[4,5,6],[7,8,10]]"), ("det", "[[2,1,0,1],[1,3,1,0],[0,1,4,1],[1,0,1,5]]"),
    ("inverse", "[[1,2],[3,4]]"), ("inverse", "[[1,2,3],[0,1,4],[5,6,0]]"), ("inverse", "[[a,b],[c,d]]"),
    ("rank", "[[1,1,3],[2,0,4],[3,0,6]]"), ("eigen", "[[2,1,0],[1,2,1],[0,1,2]]"), ("svd", "[[1,2],[2,1]]"),
    ("solve", "[[1,2,3],[4,5,6],[7,8,9]]", "[1,2,3]"), ("independence", "[1,2,3]", "[4,5,6]", "[7,8,9]"),
    ("property", "trace_cyclic", "[[1,2],[3,4]]", "[[0,1],[1,0]]", "[[2,0],[1,1]]"),
    ("property", "not_commutative", "[[1,2],[3,4]]", "[[0,1],[1,0]]"), ("is_symmetric", "[[1,2],[3,4]]"),
]  # fmt: skip
STANDALONE = ["--format", "latex", "--standalone"]


def _readme_commands() -> list[list[str]]:
    """The README's console examples that make a document (not its error examples, fits and checks;
    a handout's documents are compiled by tests/test_handout.py)."""
    out = []
    for command, shown in _examples():
        words = shlex.split(command)[1:]
        refused = any(line.startswith("stepsolver:") for line in shown)
        if words[0] in ("check", "grade", "handout") or "--fit" in words or refused:
            continue
        if "--format" in words:
            at = words.index("--format")
            words = words[:at] + words[at + 2 :]
        out.append(words)
    return out


def _matrix_cases() -> list[list[str]]:
    path = SHARED / "cases" / "lecture.json"
    if not path.exists():
        return []
    out = []
    for case in json.loads(path.read_text())["matrix_calculus"]:
        shapes = [f"--shape={name}={','.join(dims)}" for name, dims in case["shapes"].items()]
        out.append(["grad", case["f"], "--wrt", case["wrt"], *shapes])
        if all(len(dims) <= 1 for name, dims in case["shapes"].items() if name == case["wrt"]):
            out.append(["grad", case["f"], "--wrt", case["wrt"], *shapes, "--hessian"])
    return out


def documents() -> dict[str, list[str]]:
    """Every document of the issue's list, by a name, as the arguments of ``stepsolver``."""
    out = {"demo": ["demo"], "diff long": ["diff", LONG]}
    out |= {f"readme {' '.join(words)[:70]}": words for words in _readme_commands()}
    out |= {f"model {name}": ["model", name] for name in MODELS}
    out["model logistic --check"] = ["model", "logistic", "--check"]
    out |= {f"matrix {' '.join(words)[:70]}": words for words in _matrix_cases()}
    out |= {f"graph {expr} {at}": ["graph", expr, "--at", at] for expr, at in GRAPHS}
    out["graph forward mode"] = [*LECTURE_GRAPH, "--forward-mode", "x"]
    out |= {f"linalg {' '.join(args)}": ["linalg", *args] for args in [*LINALG, *MORE_LINALG]}
    out |= {"slope": ["slope", "x^2 + 1", "--at", "2"], "slope kink": ["slope", "|x|", "--at", "0"],
            "grad": ["grad", "x^2 y + y^3", "--at", "x=1,y=2"],
            "hessian": ["grad", "x^2 y + y^3", "--hessian", "--at", "x=1,y=2"]}  # fmt: skip
    return out


DOCUMENTS = documents()
_MARK = "STEPSOLVER-DOCUMENT"


@pytest.fixture(scope="module")
def latex_documents() -> dict[str, str]:
    out = {}
    for name, words in DOCUMENTS.items():
        printed = run([*words, *STANDALONE])
        shown, _, status = printed.rpartition("[exit ")
        if status.startswith("0"):  # a Hessian of a matrix variable is refused: that is not a document
            out[name] = shown
    return out


@pytest.fixture(scope="module")
def compiled(latex_documents: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """All the documents compiled as one (the same preamble and page): each one's part of the log."""
    if shutil.which("pdflatex") is None or not has_tikz():
        pytest.skip("pdflatex with TikZ and pgfplots is not installed (.ci/run installs them)")
    bodies = []
    preamble = ""
    for tex in latex_documents.values():
        head, _, rest = tex.partition("\\begin{document}")
        body, _, _ = rest.partition("\\end{document}")
        if "tikz" in head or not preamble:
            preamble = head if "tikz" in head else preamble or head
        bodies.append(f"\\clearpage\\typeout{{{_MARK} {len(bodies)}}}\n{body}")
    path = tmp_path_factory.mktemp("typeset")
    log = compile_latex(preamble + "\\begin{document}\n" + "\n".join(bodies) + "\\end{document}\n", path)
    parts = re.split(rf"{_MARK} (\d+)", log)
    by_number = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    return {name: by_number.get(i, "") for i, name in enumerate(latex_documents)}, path / "doc.pdf"


def test_every_document_of_the_issue_is_made(latex_documents: dict[str, str]) -> None:
    assert len(latex_documents) >= 60, sorted(set(DOCUMENTS) - set(latex_documents))
    for name in ("demo", "diff long", "model mlp", "model softmax", "graph forward mode"):
        assert name in latex_documents


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_line_runs_off_the_page(name: str, compiled: tuple[dict[str, str], Path]) -> None:
    logs, _ = compiled
    if name not in logs:
        pytest.skip(f"{name}: refused (not a document)")
    assert overfull(logs[name]) == [], f"{name}: lines too wide by {overfull(logs[name])} pt"


def test_nothing_is_printed_past_the_margins(compiled: tuple[dict[str, str], Path]) -> None:
    """The PDF itself, word by word: every glyph within the 2 cm margins (a line hidden from the log
    in a box of no width would still be caught here)."""
    _, pdf = compiled
    words = pdf_words(pdf)
    if not words:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    margin = 2 / 2.54 * 72
    outside = [(page, word) for page, left, right, page_width, word in words
               if left < margin - 2 or right > page_width - margin + 2]  # fmt: skip
    assert not outside, f"{len(outside)} words past the margins, e.g. {outside[:5]}"


def test_the_demo_alone_compiles_without_a_line_too_wide(tmp_path: Path) -> None:
    if shutil.which("pdflatex") is None or not has_tikz():
        pytest.skip("pdflatex with TikZ and pgfplots is not installed (.ci/run installs them)")
    log = compile_latex(render(_demo(), "latex", standalone=True), tmp_path)
    assert overfull(log, over=0.0) == []


def _demo() -> object:
    from stepsolver.lecture import handout

    return handout()


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_latex_is_ascii(name: str, latex_documents: dict[str, str]) -> None:
    if name not in latex_documents:
        pytest.skip(f"{name}: refused (not a document)")
    tex = latex_documents[name]
    strays = sorted({c for c in tex if not c.isascii()})
    assert not strays, f"{name}: Unicode in the LaTeX: {strays}"
    prose = re.sub(r"\$[^$]*\$", "", " ".join(re.findall(r"\\text\{([^{}]*)\}", tex)))
    assert "<" not in prose and "|" not in prose, f"{name}: < or | in text mode prints as ¡ or —"


def test_text_mode_symbols_are_written_as_maths() -> None:
    tex = render(linalg.inverse([[1, 2], [3, 4]]), "latex", standalone=True)
    assert r"Gauss--Jordan: write [A $|$ I]" in tex
    assert "[A | I]" not in tex and "[A — I]" not in tex
    graph = render(computation_graph(r"\sigma(w x + b)", at="w=1,x=2,b=-1"), "latex", standalone=True)
    assert "= ≈" not in graph and r"\approx" in graph and graph.isascii()


# ---------------------------------------------------------------- no Python syntax in any format

PYTHON = re.compile(r"\*\*|[\w)\]]\s?\*\s?[\w(]|sqrt\(|\bEq\(|\bAbs\(")
SYNTAX_COMMANDS = [
    ["demo"], ["linalg", "inverse", "[[a,b],[c,d]]"], ["linalg", "det", "[[a,b],[c,d]]"],
    ["linalg", "solve", "[[1,2,3],[4,5,6],[7,8,9]]", "[1,2,3]"], ["linalg", "svd", "[[3,0],[0,4]]"],
    ["linalg", "inverse", "[[1,2],[3,4]]"], ["linalg", "rank", "[[1,1,3],[2,0,4],[3,0,6]]"],
    ["linalg", "eigen", "[[2,1,0],[1,2,1],[0,1,2]]"], ["linalg", "is_symmetric", "[[1,2],[3,4]]"],
    ["linalg", "inverse", "[[1/2,1],[0,3]]"], ["diff", LONG], LECTURE_GRAPH, ["model", "logistic"],
]  # fmt: skip


@pytest.mark.parametrize("words", SYNTAX_COMMANDS, ids=[" ".join(w)[:40] for w in SYNTAX_COMMANDS])
@pytest.mark.parametrize("form", ["text", "markdown", "latex"])
def test_no_python_syntax_in_any_format(words: list[str], form: str) -> None:
    shown = run([*words, "--format", form])
    # the NumPy line is Python on purpose, and pgfplots writes its formulas so
    lines = [line for line in shown.splitlines() if not line.startswith("In Python:") and "addplot" not in line]
    if form == "markdown":  # **bold** and *italic* are Markdown's own
        lines = [re.sub(r"\*\*(.+?)\*\*|\*([^*\s][^*]*)\*", r"\1\2", line) for line in lines]
    found = [line for line in lines if PYTHON.search(line)]
    assert not found, f"{' '.join(words)} --format {form}: {found[:3]}"


def test_row_operations_are_maths() -> None:
    answer = linalg.inverse([[1, 2], [3, 4]])
    tex = render(answer, "latex")
    assert r"R_{2} \leftarrow R_{2} - 3R_{1}" in tex
    assert r"R_{2} \leftarrow -\tfrac{1}{2} R_{2}" in tex
    assert r"\text{R2" not in tex and "operation} =" not in tex
    shown = render(answer, "text")
    assert "R₂ ← R₂ − 3R₁" in shown and "R₂ ← −R₂/2" in shown and "R₁ ← R₁ − 2R₂" in shown
    assert "R2 ←" not in shown and "/ (-2)" not in shown and "- 3" not in shown.split("Row operation")[1]
    markdown = render(answer, "markdown")
    assert r"$R_{2} \leftarrow R_{2} - 3R_{1}$" in markdown


def test_an_identity_is_maths() -> None:
    answer = linalg.property("trace_sum", [[0, 2], [3, 0]], [[0, 0], [2, 0]])
    tex = render(answer, "latex", standalone=True)
    identity = r"\operatorname{tr}(A + B) = \operatorname{tr}(A) + \operatorname{tr}(B)"
    assert f"${identity}$" in tex, tex  # in the justification and the conclusion, as maths
    assert r"\text{Tr(A + B)" not in tex and "Tr(" not in tex


def test_conclusions_are_typeset_and_free_of_python() -> None:
    inverse = linalg.inverse([["a", "b"], ["c", "d"]])
    assert "a*d" not in inverse.derivation.context.concludes()
    tex = render(inverse, "latex")
    assert r"$\det A = a d - b c$" in tex and r"$A^{-1}$ exists" in tex
    solved = render(linalg.solve([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 2, 3]), "text")
    assert "2*t1" not in solved and "2·t1" in solved


# ---------------------------------------------------------------- a number after a factor


def test_a_number_after_a_factor_gets_an_operator_or_goes_in_front() -> None:
    x, z = sp.symbols("x z")
    held = sp.Mul(x, sp.Mul(2, z, evaluate=False), evaluate=False)
    assert latex(held) == r"x \cdot 2 z" and latex(held, typed=False) == r"x \cdot 2 z"
    assert latex(sp.Mul(x, 2, z, evaluate=False), typed=False) == "2 x z"
    assert text(held) == "x·(2·z)"
    assert text(sp.Mul(sp.Rational(-1, 2), 3, evaluate=False)) == "-(1/2)·3"  # never 1/2·3, which reads 1/6


@pytest.mark.parametrize("form", ["text", "markdown", "latex"])
def test_the_backward_pass_never_writes_x2z(form: str) -> None:
    shown = run([*LECTURE_GRAPH, "--format", form])
    glued = r"x 2 z|x2z|x 2z" if form != "text" else r"x2|x·2z|x2z"
    assert not re.search(glued, shown), re.search(glued, shown)
    assert {"text": "x·(2·z)", "markdown": r"x \cdot 2 z", "latex": r"x \cdot 2 z"}[form] in shown


# ---------------------------------------------------------------- a repeated line is merged


def _maths_rows(tex: str) -> list[list[str]]:
    """The right-hand sides of each align* of ``tex``, in order."""
    out = []
    for body in re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", tex, re.S):
        rows = [row.split("&= ", 1)[1].split(" &&")[0].strip() for row in body.split(" \\\\\n") if "&= " in row]
        out.append(rows)
    return out


def test_a_line_that_repeats_the_one_before_is_merged() -> None:
    graph = computation_graph(r"x(\ln(3y) + z^2)", at="x=1,y=2,z=3")
    tex = render(graph, "latex")
    assert r"&= 2 x z && \text{Simplify};\ \text{agrees with direct differentiation}" in tex
    for rows in _maths_rows(render(_demo(), "latex", standalone=True)):
        assert all(a != b for a, b in itertools.pairwise(rows)), rows
    shown = render(graph, "text")
    assert "    = 2·x·z\n        [Simplify]\n        [Agrees with direct differentiation]" in shown
    equals = [line for line in shown.splitlines() if line.lstrip().startswith("= ")]
    assert all(a != b for a, b in itertools.pairwise(equals))
    markdown = render(graph, "markdown")
    assert "**Simplify** $" in markdown and "; **agrees with direct differentiation** $" in markdown
    assert markdown.count("\n   $$= 2 x z$$") == 1  # once in the chain (its side derivation ends so too)
    html = [line for d in graph.backward for line in chain_lines(d)]  # what the HTML renderer shows
    assert sum(r"&= 2 x z &&" in line for line in html) == 1
    # the derivation and its check are as they were: both steps are still there, in the JSON too
    adjoint = next(d for d in graph.backward if "2 x z" in render(d, "latex"))
    assert [s.rule.id for s in adjoint.steps].count("simplify") == 1 and len(adjoint.steps) == 5
    assert len(json.loads(render(adjoint, "json"))["steps"]) == 5
    assert adjoint.verify().ok


def test_the_power_rule_line_of_18_x_to_the_k_shows_once() -> None:
    tex = run(["diff", "18 x^k", "--format", "latex"])
    assert tex.count("18 k x^{k - 1}") == 1 and r"\text{Power rule}\ \left(n = k\right);\ \text{arithmetic}" in tex


# ---------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("words", "heading"),
    [
        (["linalg", "inverse", "[[1,2],[3,4]]"], r"Inverse of $A$ by Gauss--Jordan elimination"),
        (["linalg", "eigen", "[[4,2],[2,1]]"], r"Eigenvalues and eigenvectors of $A$"),
        (["linalg", "rank", "[[1,2],[2,4]]"], r"Rank of $A$"),
        (["linalg", "det", "[[1,2],[3,4]]"], r"Determinant of $A$"),
        (["linalg", "svd", "[[3,0],[0,4]]"], r"Singular value decomposition of $A$"),
        (["linalg", "solve", "[[2,1],[1,3]]", "[3,5]"], r"Solution of $Ax = b$"),
        (["diff", "x^2"], r"Derivative of $x^{2}$ with respect to $x$"),
        (["diff", "x^2 y", "--wrt", "y"], r"Partial derivative of $x^{2} y$ with respect to $y$"),
        (LECTURE_GRAPH, r"Computation graph of $x \left(\ln{\left(3 y \right)} + z^{2}\right)$"),
        (["slope", "x^2 + 1", "--at", "2"], r"Slope of $f(x) = x^{2} + 1$ at $x = 2$"),
        (["grad", "x^2 y + y^3"], r"Gradient of $f = x^{2} y + y^{3}$"),
        (["model", "logistic_l2", "--check"], "L2-regularised logistic regression"),
    ],
)
def test_each_document_is_headed_by_what_it_is(words: list[str], heading: str) -> None:
    tex = run([*words, *STANDALONE])
    first = re.search(r"\\section\*\{(.*)\}", tex)
    assert first is not None and first.group(1) == heading, first
    assert "Worked solution" not in tex and "Differentiate" not in tex.split("\\section*")[1].split("\n")[0]


def test_a_heading_too_wide_for_its_line_leaves_the_function_to_a_display() -> None:
    case = json.loads((SHARED / "cases" / "lecture.json").read_text())["matrix_calculus"][-1]
    shapes = [f"--shape={name}={','.join(dims)}" for name, dims in case["shapes"].items()]
    tex = run(["grad", case["f"], "--wrt", case["wrt"], *shapes, *STANDALONE])
    assert r"\section*{Gradient of $f$ with respect to $w$}" in tex
    assert "\\[ f = " in tex or "\\begin{align*}\nf &= " in tex


def test_the_demo_heads_every_worked_example() -> None:
    tex = render(_demo(), "latex", standalone=True)
    algebra = tex.split(r"\section*{Linear algebra}")[1]
    headings = re.findall(r"\\subsection\*\{(.*)\}", algebra)
    assert "Inverse of $A$ by Gauss--Jordan elimination" in headings
    assert "Eigenvalues and eigenvectors of $A$" in headings and "Linear independence of the vectors" in headings
    assert not any(h.startswith("Differentiate") for h in headings)
    # every chain of the linear algebra follows a heading of its own
    blocks = re.split(r"\\subsection\*\{", algebra)[1:]
    assert len(blocks) == algebra.count(r"\subsection*{") >= 14
    slopes = tex.split(r"\section*{Finite differences}")[1].split(r"\section*")[0]
    assert r"\subsection*{Slope of $f(x) = 2 x + 1$ at $x = 2$}" in slopes


# ---------------------------------------------------------------- the width estimate and the breaking


def test_the_width_estimate_is_calibrated_against_pdflatex(tmp_path: Path) -> None:
    """Lines from real outputs, measured by TeX itself: the estimate stays within 10%, and on a
    long line (where a break is decided) never more than 3% short."""
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    samples = [
        r"\frac{d}{d x} \left(\frac{\ln{\left(x \right)}}{x^{2}}\right)",
        r"= \frac{\frac{d}{d x} \left(\ln{\left(x \right)}\right) x^{2} - \ln{\left(x \right)} \frac{d}{d x} "
        r"\left(x^{2}\right)}{x^{4}}",
        r"\text{Quotient rule}\ \left(f = \ln{\left(x \right)},\ g = x^{2}\right)",
        r"= \left(\begin{array}{cc|cc}1 & 2 & 1 & 0 \\ 0 & 1 & \frac{3}{2} & - \frac{1}{2}\end{array}\right)",
        r"\left[\begin{matrix}1 & 2\\3 & 4\\5 & 6\end{matrix}\right] \left[\begin{matrix}1 & 3 & 5 & 4\\2 & 4 & 6 "
        r"& 8\end{matrix}\right]",
        r"= -\frac{1}{n} \left(y^\top \ln\left(\sigma\left(z\right)\right) + \left(\mathbf{1} - y\right)^\top "
        r"\ln\left(\mathbf{1} - \sigma\left(z\right)\right)\right)",
        r"= \cos{\left(x^{2} \right)} \cdot 2 x \cos{\left(3 x \right)} e^{x} + \sin{\left(x^{2} \right)} \left(- "
        r"\sin{\left(3 x \right)} \cdot 3\right) e^{x} + \sin{\left(x^{2} \right)} \cos{\left(3 x \right)} e^{x}",
        r"\text{Chain rule, entry by entry; checked numerically (at 3 random draws of the declared shapes)}",
        r"= \left[\begin{matrix}1 \cdot 1 + 2 \cdot 2 & 1 \cdot 3 + 2 \cdot 4\\3 \cdot 1 + 4 \cdot 2 & 3 \cdot 3 + 4"
        r" \cdot 4\end{matrix}\right]",
        r"\frac{\partial f}{\partial z} = \frac{\partial f}{\partial v} \frac{\partial v}{\partial z}",
        r"= \operatorname{span}\left\{\left[\begin{matrix}- \frac{1}{2}\\1\end{matrix}\right]\right\}",
        r"\left\lVert X w + b \mathbf{1} - y\right\rVert_{2}^{2} + \frac{\lambda}{2} \left\lVert w\right\rVert_{2}^{2}",
    ]
    lines = [r"\documentclass[11pt]{article}", r"\usepackage{amsmath,amssymb}",
             r"\usepackage[a4paper,margin=2cm]{geometry}", r"\begin{document}",
             r"\typeout{TEXTWIDTH \the\textwidth}"]  # fmt: skip
    lines += [rf"\setbox0\hbox{{$\displaystyle {{}}{s}$}}\typeout{{WIDTH {i}: \the\wd0}}"
              for i, s in enumerate(samples)]  # fmt: skip
    log = compile_latex("\n".join([*lines, r"x\end{document}"]), tmp_path)
    assert abs(float(re.findall(r"TEXTWIDTH ([\d.]+)pt", log)[0]) - TEXTWIDTH) < 0.1  # the handouts' geometry
    measured = {int(i): float(w) for i, w in re.findall(r"WIDTH (\d+): ([\d.]+)pt", log)}
    for i, sample in enumerate(samples):
        estimate, real = width("{}" + sample), measured[i]
        assert 0.9 * real <= estimate <= 1.1 * real, (sample, estimate, real)
        if real > 200:
            assert estimate >= 0.97 * real, (sample, estimate, real)


def _normalised(tex: str) -> str:
    """The maths without what a break changes: spaces, delimiter sizes, the · a break inserts."""
    tex = re.sub(r"\\(big|Big|bigg)[lr]|\\left|\\right", "", tex)
    return re.sub(r"\s+|\\cdot", "", tex)


@pytest.mark.parametrize("room", [250.0, 350.0, 450.0])
def test_a_broken_expression_keeps_its_maths_and_fits(room: float) -> None:
    """Sums broken before their + and −, products between factors, brackets inside: the same maths."""
    rights = [line.right for line in chain(_differentiated(LONG))]
    assert max(width("{}= " + right) for right in rights) > 400  # there is something to break
    for right in rights:
        pieces = break_lines(right, room, room - 12)
        assert _normalised(" ".join(pieces)) == _normalised(right)
        for piece in pieces:
            assert width("{}" + piece) <= room, (piece, room)
        assert all(re.match(r"[-+]|\\cdot", piece) for piece in pieces[1:]), pieces  # each goes on by its operator


def test_a_fraction_too_wide_is_written_one_over_its_denominator_times_its_numerator() -> None:
    numerator = r"a x^{2} + \sin{\left(x \right)} + " * 12 + "b"
    pieces = break_lines(rf"\frac{{{numerator}}}{{x + 1}}", 300, 290)
    assert pieces[0].startswith(r"\frac{1}{x + 1} \Bigl(") and pieces[-1].endswith(r"\Bigr)")
    inside = " ".join(pieces).removeprefix(r"\frac{1}{x + 1} \Bigl(").removesuffix(r"\Bigr)")
    assert _normalised(inside) == _normalised(numerator)
    assert all(width("{}" + piece) <= 300 for piece in pieces)


def _differentiated(expr: str) -> Derivation:
    from stepsolver import differentiate

    return differentiate(expr)


def test_a_chain_that_fits_is_written_as_before() -> None:
    """One row per step, the rule in its own column: the layout only changes what does not fit."""
    derivation = _differentiated(r"x^2 \sin x")
    body = render(derivation, "latex").split("\\begin{align*}\n")[1].split("\n\\end{align*}")[0]
    assert body == " \\\\\n".join(chain_lines(derivation))


def test_a_chain_too_wide_puts_its_rules_on_lines_of_their_own() -> None:
    tex = render(_differentiated(LONG), "latex")
    assert r" &\qquad \text{Product rule for n factors}" in tex
    assert re.search(r"\n &\\quad \+ ", tex), "the long sum goes on over a line that starts with +"
