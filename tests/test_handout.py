"""Handouts from problem sets (`stepsolver handout`): the lecture's set builds and its PDFs compile
with no line off the page; 30 seeded variants are distinct, reproducible byte for byte, and their
keys agree with sympy.diff (computed here, apart from the engine) and with check_answer; the
Moodle quiz parses and its wrong options are the mistakes' own answers; the grader takes the
handout's key; bad problem sets and templates are one-line errors."""

from __future__ import annotations

import filecmp
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
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, homework, [str(p) for p in mine], shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_other_sheets(tmp_path: Path) -> None:
    problems = read_problem_set(HOMEWORK)
    one = draw(problems, 3, seed=1)
    two = draw(problems, 3, seed=2)
    assert [v.signature() for v in one] != [v.signature() for v in two]


def test_the_quiz_has_three_real_mistakes_per_multiple_choice(homework: Path) -> None:
    quiz = ET.parse(homework / "quiz.xml").getroot()
    handout = json.loads((homework / "handout.json").read_text())
    questions = [q for q in quiz if q.get("type") != "category"]
    assert len(questions) == 30 * 7  # 5 problems and one of two parts
    multichoice = [q for q in questions if q.get("type") == "multichoice"]
    assert len(multichoice) >= 30 * 3
    functions = {}
    for variant in handout["variants"]:
        for problem in variant["problems"]:
            if problem["kind"] == "derivative" and "at" not in problem and isinstance(problem["wrt"], str):
                functions[problem["statement"]["latex"]] = problem
    for question in multichoice:
        text = question.find("questiontext/text").text or ""
        problem = next(p for s, p in functions.items() if s.replace("$", "") in text.replace(r"\(", "").replace(r"\)", ""))
        x = sp.Symbol(problem["wrt"], real=True)
        from stepsolver.parse import parse

        f = parse(problem["function"]["latex"])
        key = sp.sympify(problem["answer"]["sympy"]).subs(sp.Symbol(problem["wrt"]), x)
        answers = question.findall("answer")
        wrong = [a for a in answers if a.get("fraction") == "0"]
        assert len(wrong) >= 3
        assert sum(a.get("fraction") == "100" for a in answers) == 1
        mistakes = {}
        from stepsolver.check.mistakes import MISTAKES

        for bug in MISTAKES:
            try:
                mistakes[bug] = sp.sympify(mistaken_derivative(f, x, bug)[0])
            except Exception:  # noqa: BLE001 - a mistake that does not apply to this problem
                continue
        for option in wrong:
            shown = (option.find("text").text or "").removeprefix(r"\(").removesuffix(r"\)")
            matches = [bug for bug, answer in mistakes.items() if sp.latex(answer) == shown or
                       _same_latex(answer, shown)]  # fmt: skip
            assert matches, (shown, problem["id"])
            assert sp.simplify(mistakes[matches[0]] - key) != 0


def _same_latex(answer: sp.Expr, shown: str) -> bool:
    from stepsolver.core.notation import latex

    return latex(answer) == shown


def test_the_grader_takes_the_handout_as_its_key(homework: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
    code, out, _ = run(["handout", "--init-templates", str(folder)], capsys)
    assert code == 0 and "sheet.tex.j2" in {p.name for p in folder.iterdir()}
    sheet = folder / "sheet.tex.j2"
    sheet.write_text(sheet.read_text().replace(": exercises}", ": Aufgaben}"))
    code, out, err = run(["handout", str(HOMEWORK), "--out", str(tmp_path / "o"), "--templates", str(folder)], capsys)
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


# -- the problem-set file ---------------------------------------------------------------------------


def test_parameters_ranges_lists_and_steps() -> None:
    problems = problem_set({"problems": [{"kind": "derivative", "f": "{a} x^{n}", "parameters": {
        "a": "-2..2, not 0, 1", "n": [2, 3], "c": "0.5..1.5 step 0.5", "d": 4}}]})  # fmt: skip
    values = {p.name: p.values for p in problems.problems[0].parameters}
    assert values == {"a": (-2, -1, 2), "n": (2, 3), "c": (0.5, 1, 1.5), "d": (4,)}


def test_substitution_replaces_only_parameters() -> None:
    assert substitute(r"{a} x^{n} e^{{b} x} + \frac{1}{x}", {"a": 2, "n": 3, "b": -1}) == r"2 x^3 e^{-1 x} + \frac{1}{x}"


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
    assert "(5 points)" in sheet and "(2 points)" in sheet and "(3 points)" in sheet and r"\emph{Go.}" in sheet
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
    ("a: &a [*a]\nproblems: x", "unknown field"),
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
        code, out, _ = run(["handout", "--out", "h", "--format", "markdown"], capsys)
    finally:
        os.chdir(cwd)
    assert code == 0 and (tmp_path / "h" / "key.md").exists()
