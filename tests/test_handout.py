"""Handouts from problem sets (`stepsolver handout`): the lecture's set builds and its PDFs compile
with no line off the page; 30 seeded variants are distinct, reproducible byte for byte, and their
keys agree with sympy.diff (computed here, apart from the engine) and with check_answer; the
Moodle quiz parses and its wrong options are the mistakes' own answers; the grader takes the
handout's key; bad problem sets and templates are one-line errors."""

from __future__ import annotations

import filecmp
import itertools
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

from stepsolver.check import check_answer
from stepsolver.check.mistakes import derivative as mistaken_derivative
from stepsolver.cli import main
from stepsolver.errors import StepsolverError
from stepsolver.handout.build import build
from stepsolver.handout.draw import draw
from stepsolver.handout.problems import ProblemSetError, problem_set, read_problem_set, substitute

from .helpers import has_tikz

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "examples" / "homework.yaml"
TEX = shutil.which("pdflatex") is not None and has_tikz()
EXAM = TEX and subprocess.run(["kpsewhich", "exam.cls"], capture_output=True, text=True).stdout.strip() != ""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def overfull(log: str) -> list[float]:
    return [float(points) for points in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


def compile_twice(source: Path) -> str:
    for _ in range(2):  # the exam's grade table needs a second run
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
                              cwd=source.parent, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:]
    return source.with_suffix(".log").read_text(errors="replace")


# -- the lecture's problem set ------------------------------------------------------------------------


def test_the_lecture_set_in_examples_is_the_packaged_one() -> None:
    packaged = ROOT / "stepsolver" / "handout" / "lecture.yaml"
    assert (ROOT / "examples" / "lecture.yaml").read_text() == packaged.read_text()


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lecture")
    assert main(["handout", "--out", str(out), "--moodle"]) == 0
    return out


def test_the_lecture_set_covers_every_kind_of_the_lecture(lecture: Path) -> None:
    handout = json.loads((lecture / "handout.json").read_text())
    kinds = {p["kind"] for p in handout["variants"][0]["problems"]}
    assert kinds == {"derivative", "slope", "graph", "gradient", "linalg", "matrix_gradient", "model"}
    by_id = {p["id"]: p for p in handout["variants"][0]["problems"]}
    assert len([i for i in by_id if i.startswith(("derivatives.", "rules."))]) == 14  # the derivative table and rules
    assert sp.sympify(by_id["graph"]["answer"]["sympy"]) == [sp.log(6) + 9, sp.Rational(1, 2), 6]
    assert by_id["eigen"]["key"] == {"expected": "{5, 0}"}
    assert by_id["products.d"]["answer"]["sympy"] == "[[5, 11, 17, 20], [11, 25, 39, 44], [17, 39, 61, 68]]"
    assert r"\frac{1}{n} X^\top" in by_id["logistic"]["answer"]["latex"]
    solutions = (lecture / "solutions.tex").read_text()
    assert r"\begin{tikzpicture}" in solutions and r"\begin{axis}" in solutions  # the graph and the slopes drawn
    assert solutions.count(r"\begin{axis}") == 3 and "Cost J during gradient descent" in solutions  # and the cost


def test_the_examples_are_what_the_readme_commands_make_today(lecture: Path) -> None:
    """examples/lecture-quiz.xml is the lecture's quiz as built now (the README's command), and the
    first page of each lecture PDF is there as a PNG."""
    assert (ROOT / "examples" / "lecture-quiz.xml").read_bytes() == (lecture / "quiz.xml").read_bytes()
    readme = (ROOT / "README.md").read_text()
    assert "cp /tmp/lecture/quiz.xml examples/lecture-quiz.xml" in readme
    for name in ("sheet", "solutions", "key", "exam"):
        assert (ROOT / "examples" / f"lecture-{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_the_lecture_model_is_trained_and_its_cost_curve_falls(lecture: Path) -> None:
    """The cost curve is drawn from a real fit: J starts near ln 2 (weights near 0) and ends lower,
    and scikit-learn's unpenalised fit on the same seeded data reaches a cost no lower than 0.9 of it."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    solutions = (lecture / "solutions.tex").read_text()
    curve = solutions[solutions.index("Cost J during gradient descent") :]
    points = [float(j) for j in re.findall(r"\(\d+,([-\d.e]+)\)", curve.split(r"\end{axis}")[0])]
    assert abs(points[0] - np.log(2)) < 0.01 and points[-1] < 0.5 * points[0]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(points))  # gradient descent descends
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-1.0, 1.0, (40, 2)), rng.normal(1.0, 1.0, (40, 2))])
    y = np.concatenate([np.zeros(40), np.ones(40)])
    best = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)
    p = best.predict_proba(X)[:, 1]
    optimum = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert optimum <= points[-1] + 1e-9 and points[-1] < optimum + 0.02  # 300 steps of α = 0.5 come close
    for name in ("sheet", "solutions", "key", "exam"):
        tex = (lecture / f"{name}.tex").read_text()
        assert tex.isascii(), name
        assert not re.search(r"\*\*|sqrt\(|[a-z]\*[a-z]", tex), name


@pytest.mark.skipif(not TEX, reason="pdflatex with TikZ and pgfplots is not installed")
@pytest.mark.parametrize("name", ["sheet", "solutions", "key"])
def test_the_lecture_pdfs_compile_with_no_line_off_the_page(lecture: Path, name: str) -> None:
    log = compile_twice(lecture / f"{name}.tex")
    assert [p for p in overfull(log) if p > 1] == []


@pytest.mark.skipif(not EXAM, reason="the exam class (Debian's texlive-latex-extra) is not installed")
def test_the_exam_compiles_with_its_grade_table(lecture: Path) -> None:
    log = compile_twice(lecture / "exam.tex")
    assert [p for p in overfull(log) if p > 1] == []
    assert "Run LaTeX again" not in log


def test_the_lecture_quiz_is_well_formed(lecture: Path) -> None:
    quiz = ET.parse(lecture / "quiz.xml").getroot()
    assert quiz.tag == "quiz"
    handout = json.loads((lecture / "handout.json").read_text())
    questions = [q for q in quiz if q.get("type") != "category"]
    assert len(questions) == len(handout["variants"][0]["problems"])


# -- the homework set: 30 seeded variants --------------------------------------------------------------


@pytest.fixture(scope="module")
def homework(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("homework")
    assert main(["handout", str(HOMEWORK), "--out", str(out), "--variants", "30", "--seed", "7", "--moodle"]) == 0
    return out


def test_thirty_variants_are_distinct(homework: Path) -> None:
    handout = json.loads((homework / "handout.json").read_text())
    assert len(handout["variants"]) == 30
    statements = [tuple(p["statement"]["latex"] for p in v["problems"]) for v in handout["variants"]]
    assert len(set(statements)) == 30
    sheets = {(homework / f"variant-{n:02d}" / "sheet.tex").read_text() for n in range(1, 31)}
    assert len(sheets) == 30


def test_each_key_is_sympy_diff_of_its_function_and_check_answer_accepts_it(homework: Path) -> None:
    handout = json.loads((homework / "handout.json").read_text())
    checked = 0
    for variant in handout["variants"]:
        for problem in variant["problems"]:
            if problem["kind"] != "derivative":
                continue
            f = sp.sympify(problem["function"]["sympy"])  # SymPy's own reading of the function
            wrt = problem["wrt"] if isinstance(problem["wrt"], list) else [problem["wrt"]]
            reference = f
            for name in wrt:
                reference = sp.diff(reference, sp.Symbol(name))
            if "at" in problem:
                reference = reference.subs({sp.Symbol(k): sp.sympify(v) for k, v in problem["at"].items()
                                            if not v.startswith("\\")})  # fmt: skip
            answer = sp.sympify(problem["answer"]["sympy"])
            assert sp.simplify(answer.subs({s: sp.Symbol(s.name) for s in answer.free_symbols}) - reference) == 0
            if len(wrt) == 1 and "at" not in problem:
                verdict = check_answer(problem["answer"]["latex"], derivative_of=problem["function"]["latex"],
                                       wrt=wrt[0])  # fmt: skip
            else:
                verdict = check_answer(problem["answer"]["latex"], expected=problem["key"]["expected"])
            assert verdict.verdict == "correct", (problem["id"], variant["variant"], verdict.verdict)
            checked += 1
    assert checked == 30 * 6


def test_the_drawn_parameters_respect_ranges_exclusions_and_conditions(homework: Path) -> None:
    handout = json.loads((homework / "handout.json").read_text())
    for variant in handout["variants"]:
        by_id = {p["id"]: p for p in variant["problems"]}
        drawn = by_id["product"]["parameters"]
        assert 2 <= drawn["a"] <= 9 and drawn["n"] in (2, 3, 4) and -3 <= drawn["b"] <= 3 and drawn["b"] != 0
        inverse = by_id["inverse"]["parameters"]
        assert inverse["a"] * inverse["d"] - inverse["b"] * inverse["c"] != 0  # require: invertible


def test_the_same_seed_gives_byte_identical_files(homework: Path, tmp_path: Path) -> None:
    assert main(["handout", str(HOMEWORK), "--out", str(tmp_path), "--variants", "30", "--seed", "7",
                 "--moodle"]) == 0  # fmt: skip
    mine = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(homework) for p in homework.rglob("*") if p.is_file() and p.suffix != ".pdf")
    assert mine == theirs
    _match, mismatch, errors = filecmp.cmpfiles(tmp_path, homework, [str(p) for p in mine], shallow=False)
    assert mismatch == [] and errors == []


def test_many_variants_show_a_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["handout", str(HOMEWORK), "--out", str(tmp_path), "--variants", "3", "--seed", "1"]) == 0
    assert "variants [" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_another_seed_gives_other_sheets(tmp_path: Path) -> None:
    problems = read_problem_set(HOMEWORK)
    one = draw(problems, 3, seed=1)
    two = draw(problems, 3, seed=2)
    assert [v.signature() for v in one] != [v.signature() for v in two]


def test_the_quiz_has_three_real_mistakes_per_multiple_choice(homework: Path) -> None:
    """Each wrong option names its mistake in its feedback; that mistake, made again here on the
    problem's function, gives the option's very answer, and it differs from the key (at random
    points, and from the other options)."""
    from stepsolver.check.mistakes import MISTAKES
    from stepsolver.core.notation import latex
    from stepsolver.parse import parse

    quiz = ET.parse(homework / "quiz.xml").getroot()
    handout = json.loads((homework / "handout.json").read_text())
    questions = [q for q in quiz if q.get("type") != "category"]
    # one question per part and variant (6 problems, one in two parts), less the repeats: two variants
    # that drew the same values for a part would put the same question twice in its category
    distinct = {(p["id"], p["statement"]["latex"]) for v in handout["variants"] for p in v["problems"]}
    assert len(questions) == len(distinct) and len(distinct) > 60
    multichoice = [q for q in questions if q.get("type") == "multichoice"]
    single = {d for d in distinct if d[0] in ("product", "quotient", "chain", "partials.a")}
    assert len(multichoice) >= len(single) - 5  # a derivative is multiple choice (≥ 3 mistakes apply)
    texts = [q.findtext("questiontext/text") for q in questions]
    assert len(set(texts)) == len(texts)
    functions = {}
    for variant in handout["variants"]:
        for problem in variant["problems"]:
            if problem["kind"] == "derivative" and "at" not in problem and isinstance(problem["wrt"], str):
                functions[_bare(problem["statement"]["latex"])] = problem
    by_meaning = sorted(MISTAKES, key=lambda bug: -len(MISTAKES[bug].meaning))
    for question in multichoice:
        asked = _bare(question.find("questiontext/text").text or "")
        problem = next(p for statement, p in functions.items() if statement in asked)
        f = parse(problem["function"]["latex"])
        x = next(s for s in f.free_symbols if s.name == problem["wrt"])
        key = sp.sympify(problem["answer"]["sympy"], locals={problem["wrt"]: x})
        answers = question.findall("answer")
        wrong = [a for a in answers if a.get("fraction") == "0"]
        assert len(wrong) >= 3 and sum(a.get("fraction") == "100" for a in answers) == 1
        made = []
        for option in wrong:
            said = re.sub(r"<[^>]+>", "", option.find("feedback/text").text or "")
            bug = next((b for b in by_meaning if said.startswith(MISTAKES[b].meaning)), None)
            assert bug is not None, ("the feedback names no mistake", said)
            answer = sp.sympify(mistaken_derivative(f, x, bug)[0]).subs(sp.Symbol(x.name), x)
            shown = (option.find("text").text or "").removeprefix(r"\(").removesuffix(r"\)")
            assert latex(answer) == shown, (bug, shown, problem["id"])
            made.append(answer)
        for i, answer in enumerate(made):
            for other in [key, *made[:i]]:
                assert _differ(answer, other, x), (answer, other, problem["id"])


def _bare(statement: str) -> str:
    return re.sub(r"\\[()]|\$|\s", "", statement)


def _differ(one: sp.Expr, two: sp.Expr, x: sp.Symbol) -> bool:
    """Numerically different at some point of 0.3..2.7 (every variable there, y at 1.3 more than
    x) where both are defined: an independent check, no engine code, only SymPy's evaluation."""
    names = sorted({s.name for s in (one - two).free_symbols} | {x.name})
    for point in (0.3, 0.7, 1.1, 1.9, 2.7):
        at = {name: point + 1.3 * i for i, name in enumerate(names)}
        a, b = (complex(sp.N(e.subs({s: at[s.name] for s in e.free_symbols}))) for e in (one, two))
        if abs(a - b) > 1e-9 * (1 + abs(a)):
            return True
    return False


def test_the_grader_takes_the_handout_as_its_key(
    homework: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handout = json.loads((homework / "handout.json").read_text())
    rows = ["student,variant,problem,answer"]
    for variant in handout["variants"][:3]:
        product = next(p for p in variant["problems"] if p["id"] == "product")
        rows.append(f'right{variant["variant"]},{variant["variant"]},product,"{product["answer"]["latex"]}"')
    other = next(p for p in handout["variants"][0]["problems"] if p["id"] == "product")
    rows.append(f'copied,2,product,"{other["answer"]["latex"]}"')  # variant 1's answer handed in for variant 2
    (tmp_path / "subs.csv").write_text("\n".join(rows) + "\n")
    code, out, _ = run(["grade", str(tmp_path / "subs.csv"), "--key", str(homework / "handout.json"),
                        "--out", str(tmp_path / "g.csv"), "--report", str(tmp_path / "r")], capsys)  # fmt: skip
    assert code == 0, out
    grades = (tmp_path / "g.csv").read_text().splitlines()
    verdicts = {line.split(",")[2]: line.split(",")[4] for line in grades[1:]}
    assert verdicts == {"right1": "correct", "right2": "correct", "right3": "correct", "copied": "incorrect"}


# -- formats, templates -----------------------------------------------------------------------------


def test_markdown_and_html_handouts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("markdown", "html"):
        code, out, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path / kind), "--format", kind], capsys)
        assert code == 0, err
        assert "formula(s) shown as TeX" not in out
    page = (tmp_path / "html" / "solutions.html").read_text()
    assert "<math" in page and "<script" not in page and r"\(" not in page
    assert not re.search(r"https?://(?!www\.w3\.org/1998/Math/MathML)", page)
    markdown = (tmp_path / "markdown" / "solutions.md").read_text()
    assert "## Exercise 1" in markdown and "$$" in markdown


def test_templates_are_copied_out_and_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    code, _, _ = run(["handout", "--init-templates", str(folder)], capsys)
    assert code == 0 and "sheet.tex.j2" in {p.name for p in folder.iterdir()}
    sheet = folder / "sheet.tex.j2"
    sheet.write_text(sheet.read_text().replace(": exercises}", ": Aufgaben}"))
    code, _out, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path / "o"), "--templates", str(folder)], capsys)
    assert code == 0, err
    assert "Aufgaben" in (tmp_path / "o" / "sheet.tex").read_text()
    code, _, err = run(["handout", "--init-templates", str(folder)], capsys)
    assert code == 2 and "exists" in err  # never overwrites a teacher's templates


def test_a_template_cannot_run_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "sheet.tex.j2").write_text(r"\VAR{ ''.__class__.__mro__[1].__subclasses__() }")
    code, _, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path / "o"), "--templates", str(folder)], capsys)
    assert code == 2 and err.count("\n") == 1 and "sheet.tex.j2" in err


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (r"\VAR{ 'a' * 10**9 }", "too long"),
        (r"\VAR{ 9 ** 9 ** 9 }", "more than a template needs"),
        (r"\VAR{ range(10**9)|list|length }", "asked for too much"),
        (r"\VAR{ 1 / 0 }", "ZeroDivisionError"),
        (r"\BLOCK{ include '/etc/passwd' }", "template /etc/passwd not found"),
    ],
)
def test_a_template_cannot_take_the_machine(
    body: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Huge strings, powers and ranges, a template's own error and an include of a file that is
    no template: each a one-line error (exit 2) naming what it was, at once."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "sheet.tex.j2").write_text(body)
    code, _, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path / "o"), "--templates", str(folder)], capsys)
    assert code == 2 and err.count("\n") == 1 and said in err, err


@pytest.mark.skipif(not TEX, reason="pdflatex is not installed")
def test_a_teachers_words_cannot_read_files_or_end_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """\\input, \\end{document} and a stray brace in a title are printed as typed, not obeyed."""
    source = tmp_path / "set.yaml"
    source.write_text(json.dumps({"title": r"Quiz \input{/etc/hostname} \end{document} {", "problems": [
        {"id": "p", "kind": "derivative", "f": "x^2"}]}))  # fmt: skip
    code, out, err = run(["handout", str(source), "--out", str(tmp_path / "o"), "--pdf"], capsys)
    assert code == 0, out + err
    sheet = (tmp_path / "o" / "sheet.tex").read_text()
    assert r"Quiz \textbackslash{}input\{/etc/hostname\} \textbackslash{}end\{document\} \{" in sheet
    if shutil.which("pdftotext"):
        shown = subprocess.run(["pdftotext", str(tmp_path / "o" / "sheet.pdf"), "-"], capture_output=True, text=True)
        assert "Differentiate" in shown.stdout  # the document went on past the title


@pytest.mark.skipif(not TEX, reason="pdflatex is not installed")
def test_a_document_that_does_not_compile_is_an_error_after_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "set.yaml"
    source.write_text(json.dumps({"instructions": r"See $\left( x$.", "problems": [
        {"id": "p", "kind": "derivative", "f": "x^2"}]}))  # fmt: skip
    code, out, err = run(["handout", str(source), "--out", str(tmp_path / "o"), "--pdf"], capsys)
    assert code == 2 and "wrote" in out and "sheet.tex" in out
    assert err.count("\n") == 1 and "LaTeX failed: Missing \\right. inserted" in err, err


def test_a_long_formula_takes_its_full_stop_into_the_display() -> None:
    from stepsolver.handout.documents import latex_text

    matrix = r"\left[\begin{matrix}1 & 2 & 3\\4 & 5 & 6\end{matrix}\right]"
    matrix += r" + \left[\begin{matrix}1\\2\end{matrix}\right]"
    shown = latex_text(f"Find ${matrix}$. Then go on.")
    assert shown == rf"Find \[ {matrix}\,. \] Then go on."


def test_the_moodle_categories_are_course_then_set_then_problem(homework: Path) -> None:
    quiz = ET.parse(homework / "quiz.xml").getroot()
    paths = [q.findtext("category/text") for q in quiz if q.get("type") == "category"]
    assert paths and all(p.startswith("$course$/top/Homework 2") and p.count("$course$") == 1 for p in paths)
    assert len(paths) == len(set(paths)) == 7


def test_slope_tables_write_small_numbers_as_powers_of_ten() -> None:
    from stepsolver import slope
    from stepsolver.render import render

    tex = render(slope("x^2 + 1", at=2), "latex")
    assert r"$10^{-5}$" in tex and "e-5" not in tex and "e-0" not in tex


def test_without_tex_pdf_says_what_to_install(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdflatex, no latexmk
    code, out, _ = run(["handout", str(HOMEWORK), "--out", str(tmp_path / "o"), "--pdf"], capsys)
    assert code == 0
    assert "pdflatex is not installed" in out and "apt install" in out
    assert (tmp_path / "o" / "sheet.tex").exists()


@pytest.mark.skipif(not EXAM, reason="TeX with the exam class is not installed")
def test_pdf_compiles_every_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path), "--pdf"], capsys)
    assert code == 0, err
    assert "failed" not in out
    assert {p.name for p in tmp_path.glob("*.pdf")} == {"sheet.pdf", "solutions.pdf", "key.pdf", "exam.pdf"}


@pytest.mark.skipif(not EXAM, reason="TeX with the exam class is not installed")
def test_a_teachers_own_words_reach_latex_as_the_characters_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """& % # _ ^ < > | in a title or instructions are printed, not read as LaTeX; a teacher's own
    \\emph{…} and \\% stay commands; accented letters become accent commands."""
    words = r"Q&A #2: 50% of file_name, a<b^2 and |x| -- \emph{Café} 100\%"
    source = tmp_path / "set.yaml"
    source.write_text(json.dumps({"title": words, "instructions": words, "problems": [
        {"id": "p", "title": words, "kind": "derivative", "f": "x^2"}]}))  # fmt: skip
    code, out, err = run(["handout", str(source), "--out", str(tmp_path / "o"), "--pdf"], capsys)
    assert code == 0 and "failed" not in out, out + err
    sheet = (tmp_path / "o" / "sheet.tex").read_text()
    assert r"Q\&A \#2: 50\% of file\_name, a$<$b\^{}2 and $|$x$|$ -- \emph{Caf\'{e}} 100\%" in sheet
    assert sheet.isascii()
    if shutil.which("pdftotext") is None:
        return
    shown = subprocess.run(["pdftotext", str(tmp_path / "o" / "sheet.pdf"), "-"], capture_output=True, text=True)
    assert "Q&A #2: 50% of file" in shown.stdout and "a<b" in shown.stdout  # OT1 draws _ as a rule


# -- the problem-set file ---------------------------------------------------------------------------


def test_parameters_ranges_lists_and_steps() -> None:
    problems = problem_set({"problems": [{"kind": "derivative", "f": "{a} x^{n}", "parameters": {
        "a": "-2..2, not 0, 1", "n": [2, 3], "c": "0.5..1.5 step 0.5", "d": 4}}]})  # fmt: skip
    values = {p.name: p.values for p in problems.problems[0].parameters}
    assert values == {"a": (-2, -1, 2), "n": (2, 3), "c": (0.5, 1, 1.5), "d": (4,)}


def test_substitution_replaces_only_parameters() -> None:
    drawn = {"a": 2, "n": 3, "b": -1}
    assert substitute(r"{a} x^{n} e^{{b} x} + \frac{1}{x}", drawn) == r"2 x^{3} e^{- x} + \frac{1}{x}"


@pytest.mark.parametrize(
    ("template", "values", "shown"),
    [
        (r"{a} x^{n} e^{{b} x}", {"a": 2, "n": 1, "b": 1}, r"2 x e^{ x}"),  # never 1 x, never x^1
        (r"{a} x^{{n}}", {"a": -1, "n": 1}, r"- x"),
        (r"x^3 - {a} x + {c}", {"a": -2, "c": -3}, r"x^3 + 2 x - 3"),  # never - -2 x + -3
        (r"x^{a} + {c}", {"a": 1, "c": 1}, r"x + 1"),  # a constant 1 stays
        (r"{a} \cdot x + {b}\sin(x) - {c}(x+1)", {"a": 1, "b": 1, "c": -1}, r"1 \cdot x + \sin(x) + (x+1)"),
        (r"[[{a},{b}],[{c},{d}]]", {"a": 1, "b": -1, "c": 1, "d": 2}, r"[[1,-1],[1,2]]"),  # entries stay
        (r"x={p}", {"p": -1}, r"x=-1"),
    ],
)
def test_a_drawn_value_is_written_as_a_teacher_writes_it(template: str, values: dict, shown: str) -> None:
    assert substitute(template, values) == shown


_TEMPLATES = [
    r"{a} x^{n} e^{{b} x}", r"x^{n} y", r"x^{n}(x+1)", r"2^{n} x", r"x - {a}^2", r"- {a}^2 + x", r"{a}^2 + x",
    r"\frac{a}{b} x", r"x^3 - {a} x + {b}", r"{a} \sin(x) - {b} \cos(x)", r"{a} \cdot x + {b}", r"e^{{a}} x",
    r"\frac{{a}}{x} + {b}(x+1)", r"x^{{n}} + {a} x y", r"\ln({a} x^2 + {b})", r"x {a}", r"(x + {a})^{n}",
    r"{a} (x - {b})^2", r"x^2 - {a} \cdot {b} x", r"\sqrt{n} x",
    r"2{a} x", r"{a}{b} x", r"x - {a}{b}", r"x^{2{a}}", r"{a}^2{b}", r"x{a}", r"x{a}y", r"{a}x{b}", r"x^{a}{b}",
    r"x\,{a}", r"{a} {b} x", r"x^2 {a}", r"{a} 2 x", r"-{a}x", r"{a}/{b}", r"x^{-{a}}", r"e^{-{a} x}",
]  # fmt: skip


@pytest.mark.parametrize("template", _TEMPLATES)
def test_a_drawn_value_changes_the_notation_never_the_mathematics(template: str) -> None:
    """Each value of -3, -1, 0, 1, 2, 0.5 (n: 1, 2, 4 under a root) written as the teacher would, read back
    by the parser, is the same function as the template with the value in brackets, (-3)."""
    from stepsolver.parse import parse

    names = sorted(set(re.findall(r"\{([abn])\}", template)))
    choices = [1, 2, 4] if "sqrt" in template else [-3, -1, 0, 1, 2, 0.5]
    for values in itertools.product(choices, repeat=len(names)):
        drawn = dict(zip(names, values, strict=True))
        bracketed = re.sub(r"\{([abn])\}", lambda m, d=drawn: "{(" + str(d[m.group(1)]) + ")}", template)
        written = substitute(template, drawn)
        try:
            reference = parse(bracketed)
        except StepsolverError:  # 1/0, √(-3): refused either way
            with pytest.raises(StepsolverError):
                parse(written)
            continue
        assert sp.simplify(parse(written) - reference) == 0, (template, drawn, written)


def test_a_comparison_never_reads_text_as_sympy(tmp_path: Path) -> None:
    """A text parameter in a comparison would reach SymPy's eval: refused when the file is read."""
    with pytest.raises(ProblemSetError, match="whose values are not all numbers"):
        evil = ["__import__('os').system('true')", 1]
        problem_set({"problems": [{"id": "p", "kind": "derivative", "f": "{a} x", "require": ["a != b"],
                                   "parameters": {"a": evil, "b": [1, 2]}}]})  # fmt: skip


def test_a_multi_part_problems_own_words_get_the_drawn_values(tmp_path: Path) -> None:
    parts = [{"kind": "derivative", "f": "{a} x^2"}, {"kind": "derivative", "f": "{a} x^2", "at": "x=1"}]
    problems = problem_set({"problems": [{"id": "q", "parameters": {"a": "2..2"}, "statement": "Let $g(x) = {a} x^2$.",
                                          "parts": parts}]})  # fmt: skip
    build(problems, tmp_path)
    assert "Let $g(x) = 2 x^2$." in (tmp_path / "sheet.tex").read_text()


def test_a_range_with_step_0_is_empty_not_step_1() -> None:
    with pytest.raises(ProblemSetError, match="is empty"):
        problem_set({"problems": [{"kind": "derivative", "f": "{a} x", "parameters": {"a": "0..2 step 0"}}]})


def test_conditions_redraw(tmp_path: Path) -> None:
    problems = problem_set({"problems": [
        {"id": "p", "kind": "derivative", "f": "{a} x", "parameters": {"a": "-3..3", "b": "-3..3"},
         "require": ["answer is not 0", "a < b"]},
    ]})  # fmt: skip
    for variant in draw(problems, 5):
        values = variant.problems[0].values
        assert values["a"] != 0 and values["a"] < values["b"]


def test_multi_part_problems_carry_points_per_part(tmp_path: Path) -> None:
    problems = problem_set({"title": "T", "instructions": "Go.", "problems": [{"id": "q", "parameters": {"a": "2..3"},
        "parts": [{"kind": "derivative", "f": "x^{a}", "points": 2}, {"kind": "slope", "f": "x^{a}", "at": 1,
                                                                     "points": 3}]}]})  # fmt: skip
    built = build(problems, tmp_path)
    sheet = (tmp_path / "sheet.tex").read_text()
    assert "(5 points)" in sheet and r"\partpoints{2 points}" in sheet and r"\partpoints{3 points}" in sheet
    assert r"\emph{Go.}" in sheet
    handout = json.loads((tmp_path / "handout.json").read_text())
    assert [p["id"] for p in handout["variants"][0]["problems"]] == ["q.a", "q.b"]
    assert all(p["part_of"] == "q" for p in handout["variants"][0]["problems"])
    assert built.variants[0].problems[0].values["a"] in (2, 3)


BAD = [
    ("title: [unclosed", "is not valid YAML"),
    ("- just a list", "must be a mapping"),
    ("problems: []", "needs a list of problems"),
    ("problems:\n  - {kind: integral, f: x}", "kind must be one of"),
    ("problems:\n  - {kind: derivative}", "needs 'f'"),
    ("problems:\n  - {kind: derivative, f: x, colour: red}", "unknown field 'colour'"),
    ("problems:\n  - {kind: derivative, f: '{a} x', parameters: {a: '9..2'}}", "is empty"),
    ("problems:\n  - {kind: derivative, f: '{a} x', parameters: {a: '1..x'}}", "cannot read the range"),
    ("problems:\n  - {kind: derivative, f: '{a} x', parameters: {a: '0..0'}, require: [answer is not 0]}",
     "no draw of its parameters satisfies"),
    ("problems:\n  - {kind: derivative, f: 'x', require: [c > 2]}", "'c' is not a parameter"),
    ("problems:\n  - {kind: derivative, f: '\\frac{1}{'}", "problem 'p1'"),
    ("problems:\n  - {kind: derivative, f: '{a} x', parameters: {a: '1..1000000'}}", "more than"),
    ("problems:\n  - {id: a, kind: derivative, f: x}\n  - {id: a, kind: derivative, f: x}", "used twice"),
    ("!!python/object/apply:os.system ['echo hi']", "is not valid YAML"),
    ("a: &a [*a]\nproblems: x", "once its aliases"),  # a list that holds itself: endless
    # a billion laughs: 9 levels of 9 aliases, 461 bytes that expand to 387 million values
    ("problems:\n  - {id: p, kind: linalg, op: trace, args: [&a0 [1,1,1,1,1,1,1,1,1]"
     + "".join(f", &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)) + "]}", "once its aliases"),
    ("problems:\n  - {id: p, kind: derivative, f: '{zz} x^2', parameters: {a: '1..3'}}", "{zz} is not a parameter"),
    ("problems:\n  - {id: p, kind: linalg, op: trace, args: ['[[1,2],[3,4]]', '[1]', '[2]']}",
     "op trace takes 1 argument(s) in args, got 3"),
    ("instructions: 'see $\\input{/etc/hostname}$'\nproblems:\n  - {kind: derivative, f: x}",
     "uses \\input in a formula"),
    # expl3 writes files with commands no block-list names: formulas are checked against an allow-list
    ("problems:\n  - {kind: derivative, f: x, statement: 'Here $\\ExplSyntaxOn \\iow_open:Nn \\g_tmpa_iow"
     " { handout.json } x$.'}", "uses \\ExplSyntaxOn in a formula"),
    ("title: '$\\begin{filecontents*}{a.tex} x \\end{filecontents*}$'\nproblems:\n  - {kind: derivative, f: x}",
     "the environment 'filecontents*'"),
    ("title: 'see $^^5cinput{a}$'\nproblems:\n  - {kind: derivative, f: x}", "uses ^^"),
    ("problems:\n  - {kind: derivative, f: '{g}(x)', parameters: {g: ['\\sin', '\\csname']}}", "uses \\csname"),
    ("s: &s '" + "x" * 20_000 + "'\nt: [" + ", ".join(["*s"] * 200) + "]\nproblems: x", "2,000,000 characters"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_problem_sets_are_one_line_errors(text: str, message: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = tmp_path / "set.yaml"
    path.write_text(text)
    code, out, err = run(["handout", str(path), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and out == ""
    assert err.startswith("stepsolver: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err, err


def test_too_many_variants_for_the_parameters(tmp_path: Path) -> None:
    problems = problem_set({"problems": [{"kind": "derivative", "f": "{a} x^2", "parameters": {"a": [2, 3]}}]})
    with pytest.raises(ProblemSetError, match="only 2 distinct variants"):
        draw(problems, 3)


def test_missing_out_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["handout"], capsys)
    assert code == 2 and "--out" in err
    code, _, err = run(["handout", str(tmp_path / "none.yaml"), "--out", str(tmp_path)], capsys)
    assert code == 2 and "none.yaml" in err


def test_the_lecture_build_needs_no_file_from_the_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        code, _out, _ = run(["handout", "--out", "h", "--format", "markdown"], capsys)
    finally:
        os.chdir(cwd)
    assert code == 0 and (tmp_path / "h" / "key.md").exists()
