"""The ``stepsolver`` command: ``diff`` works one derivative, ``graph`` a computation graph, ``slope``
finite differences, ``grad`` a gradient or Hessian, ``demo`` the lecture's examples."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .models.catalogue import ACTIVATIONS, MODELS
from .render import DOCUMENTS, PICTURES

# every document format render/ has; a picture is asked for with --picture
FORMATS = tuple(DOCUMENTS)
EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"stepsolver: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stepsolver", description="Deep-learning mathematics, worked step by step and machine-checked."
    )
    parser.add_argument("--version", action="version", version=f"stepsolver {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    diff = commands.add_parser("diff", help="differentiate an expression step by step")
    diff.add_argument("expr", nargs="?", help="LaTeX or plain text; read from standard input if absent or '-'")
    diff.add_argument("--wrt", default="x", help="the variable (default x; others are held constant), or partials "
                      "in the order taken: --wrt x,y is ∂/∂y of ∂f/∂x")  # fmt: skip
    diff.add_argument("--order", type=int, default=1, help="order of the derivative (1 to 10)")
    diff.add_argument("--at", help="evaluate at a point: 2, or x=1,y=2")
    diff.add_argument(
        "--syntax",
        choices=("auto", "latex", "text", "latex2sympy2"),
        default="auto",
        help="how to read EXPR (auto: LaTeX if it has a backslash or brace)",
    )
    _add_reading(diff)
    _add_format(diff)

    graph = commands.add_parser("graph", help="computation graph: forward pass, backward pass, gradient")
    graph.add_argument("expr", nargs="?", help="the function; read from standard input if absent or '-'")
    graph.add_argument("--at", help="a value for every input: x=1,y=2,z=3")
    graph.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="U=TERM",
        help="name an intermediate node, e.g. --name 'u=\\ln(3y)' (repeatable)",
    )
    graph.add_argument("--picture", choices=tuple(PICTURES), help="print only the picture of the graph (tikz, svg)")
    graph.add_argument("--forward-mode", metavar="X", help="also work forward mode for the input X")
    graph.add_argument("--syntax", choices=("auto", "latex", "text"), default="auto")
    _add_reading(graph)
    _add_format(graph)

    slope = commands.add_parser("slope", help="finite differences: the secant slope (f(a+h) - f(a))/h")
    slope.add_argument("expr", nargs="?", help="the function; read from standard input if absent or '-'")
    slope.add_argument("--at", required=True, help="the point a")
    slope.add_argument("--h", default="0.01", help="the step h (default 0.01)")
    slope.add_argument("--wrt", help="the variable, if f has several")
    slope.add_argument("--central", action="store_true", help="the central difference (f(a+h) - f(a-h))/2h")
    slope.add_argument("--picture", choices=tuple(PICTURES), help="print only the plot (pgfplots, svg)")
    slope.add_argument("--syntax", choices=("auto", "latex", "text"), default="auto")
    _add_reading(slope)
    _add_format(slope)

    grad = commands.add_parser("grad", help="gradient (and Hessian) of a scalar function of several variables")
    grad.add_argument("expr", nargs="?", help="the function; read from standard input if absent or '-'")
    grad.add_argument("--wrt", help="the variables, comma-separated (default: all, alphabetically)")
    grad.add_argument("--at", help="evaluate at a point: x=1,y=2")
    grad.add_argument("--hessian", action="store_true", help="the Hessian matrix instead of the gradient")
    grad.add_argument(
        "--shape", action="append", default=[], metavar="NAME=DIMS",
        help="matrix calculus: a name's shape, e.g. X=m,n (matrix), w=n (column vector), lambda= (scalar); repeatable",
    )  # fmt: skip
    grad.add_argument("--assume", action="append", default=[], metavar="NAME=symmetric",
                      help="matrix calculus: a matrix declared symmetric (repeatable)")  # fmt: skip
    grad.add_argument("--check", action="store_true", help="matrix calculus: say how each step was checked")
    grad.add_argument("--numpy", action="store_true", help="matrix calculus: print NumPy code for f and its gradient")
    grad.add_argument("--entrywise", action="store_true",
                      help="matrix calculus: the lecture's view, ∂f/∂a_ij entry by entry at small sizes")  # fmt: skip
    grad.add_argument("--syntax", choices=("auto", "latex", "text"), default="auto")
    _add_reading(grad)
    _add_format(grad)

    linalg = commands.add_parser(
        "linalg",
        help="linear algebra step by step",
        description="OP is one of: " + ", ".join(LINALG_ARITY) + ". Vectors and matrices as JSON "
        "([1, 2], [[1, 2], [3, 4]]) or LaTeX (\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}).",
    )
    linalg.add_argument("op", help="the operation")
    linalg.add_argument("args", nargs="*", help="its vectors, matrices or numbers (property: NAME A [B [C]])")
    linalg.add_argument("--p", default="2", help="for norm: 1, 2, any p >= 1, or inf")
    _add_format(linalg)

    check = commands.add_parser("check", help="check a student's answer (or working)")
    check.add_argument("--answer", required=True, help="the answer, LaTeX or plain text; lines of working allowed")
    problem = check.add_mutually_exclusive_group(required=True)
    problem.add_argument("--expected", help="the reference answer")
    problem.add_argument("--derivative-of", help="the function whose derivative was asked for")
    check.add_argument("--wrt", default="x", help="with --derivative-of: the variable, or partials in order (x,y)")
    check.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="NAME=WHAT",
        help="what the problem states: a=positive, n=integer, t=(0,1) (repeatable)",
    )
    _add_reading(check)
    check.add_argument("--format", choices=("text", "json"), default="text")

    grade = commands.add_parser("grade", help="grade a class: submissions CSV/JSON against a key")
    grade.add_argument("submissions", help="CSV or JSON with student, problem, answer")
    grade.add_argument("--key", required=True, help="JSON or CSV: problem → expected or derivative_of (+ wrt)")
    grade.add_argument("--out", default="grades.csv", help="grades CSV, appended to (a rerun resumes)")
    grade.add_argument("--report", default="report", help="report file stem: STEM.md and STEM.html")
    grade.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    grade.add_argument("--timeout", type=float, default=2.0, help="seconds for each answer's verdict (default 2)")
    grade.add_argument(
        "--diagnosis-timeout", type=float, default=2.0, help="seconds to name the mistake in a wrong answer (default 2)"
    )
    grade.add_argument("--regrade", action="store_true", help="start over: drop the grades already in --out")

    handout = commands.add_parser(
        "handout", help="exercise sheet, worked solutions, answer key and exam from a problem set (YAML)"
    )
    handout.add_argument("problems", nargs="?", help="the problem set (YAML); default: the lecture's own")
    handout.add_argument("--out", help="the folder to write into (made if missing)")
    handout.add_argument("--variants", type=int, default=1, help="how many seeded variants (default 1)")
    handout.add_argument("--seed", type=int, help="the seed of the draw (default: the file's seed:, else 0)")
    handout.add_argument("--format", choices=("latex", "markdown", "html"), default="latex", help="default latex")
    handout.add_argument("--pdf", action="store_true", help="compile the LaTeX (latexmk or pdflatex, if installed)")
    handout.add_argument("--moodle", action="store_true", help="also write quiz.xml: a Moodle question bank")
    handout.add_argument("--templates", help="a folder of templates to use before the packaged ones")
    handout.add_argument("--init-templates", metavar="DIR", help="copy the packaged templates into DIR and stop")

    demo = commands.add_parser("demo", help="work the lecture's examples")
    demo.add_argument(
        "--topic",
        choices=("all", "derivatives", "graphs", "slopes", "linalg"),
        default="all",
        help="which of the lecture's worked examples (default: all of them)",
    )
    _add_format(demo)

    model = commands.add_parser("model", help="a model of the lecture: derive its gradient, check it, fit it")
    model.add_argument("name", choices=MODELS)
    model.add_argument("--lam", type=float, help="logistic_l2: the penalty λ of (λ/2)‖w‖² (default 0.01)")
    model.add_argument("--hidden", type=int, help="mlp: hidden units (default 4)")
    model.add_argument("--activation", choices=ACTIVATIONS, help="mlp: hidden activation")
    model.add_argument("--check", action="store_true", help="add the gradient against central differences")
    model.add_argument("--fit", metavar="DATA.csv", help="fit by gradient descent on a CSV with a header")
    model.add_argument("--target", help="with --fit: the label column (default: the last)")
    model.add_argument("--standardize", action="store_true", help="with --fit: descend on standardised features")
    model.add_argument("--lr", type=float, default=0.1, help="with --fit: the learning rate α (default 0.1)")
    model.add_argument("--tol", type=float, default=1e-6, help="with --fit: stop when ‖∇J‖ and |ΔJ| are below it")
    model.add_argument("--max-iter", type=int, default=10_000, help="with --fit: at most this many steps")
    model.add_argument("--plot", metavar="cost.svg|cost.tex", help="with --fit: write the cost curve")
    _add_format(model)
    return parser


def _add_reading(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME",
        help="a multi-letter variable name, kept whole instead of read as a product of letters (repeatable)",
    )
    parser.add_argument("--complex", action="store_true", help="i is the imaginary unit (variables stay real)")


def _declared(args: argparse.Namespace) -> list[str]:
    """--var names, and a multi-letter --wrt (differentiating by `rate` declares it)."""
    names = [name.strip() for value in getattr(args, "var", []) for name in value.split(",") if name.strip()]
    wrt = getattr(args, "wrt", None) or ""
    return names + [name.strip() for name in wrt.split(",") if len(name.strip()) > 1]


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--standalone", action="store_true", help="with --format latex: a whole document that pdflatex compiles"
    )


def _shown(result: object, args: argparse.Namespace, reading: list[str] | None) -> str:
    """Anything worked, as --picture or --format asks: render/ knows every format of every result,
    and how to say in it how an ambiguous input was read (``reading``)."""
    from .errors import FormatNotAvailable
    from .render import render

    picture = getattr(args, "picture", None)
    if picture:
        if reading:  # a picture stays a valid SVG or TikZ file: the reading goes to stderr
            print("reading: " + "; ".join(reading), file=sys.stderr)
        try:
            return render(result, picture)
        except FormatNotAvailable as error:
            why = str(error) if str(error).startswith("no picture") else "not available for this command"
            raise ValueError(f"--picture {picture}: {why}") from None
    try:
        return render(result, args.format, standalone=getattr(args, "standalone", False), reading=reading,
                      checks=getattr(args, "check", False))  # fmt: skip
    except FormatNotAvailable:
        raise ValueError(f"--format {args.format} is not available for this command; use text or json") from None


def _model(args: argparse.Namespace) -> object:
    """The derivation (and --check), or with --fit the fit, its comparison and its picture."""
    from .models.api import model

    m = model(args.name, lam=args.lam, hidden=args.hidden, activation=args.activation)
    if args.fit is None:
        if args.plot or args.target or args.standardize:
            raise ValueError("--plot, --target and --standardize need --fit DATA.csv")
        if not args.check:
            return m.derivation
        return _joined(args, [m.derivation, m.check()])
    if args.check:
        raise ValueError("--check checks the derivation's gradient: run it without --fit")
    return _fit(args, m)


def _fit(args: argparse.Namespace, m: Any) -> object:
    import time

    from .check.grade import Progress
    from .models.compare import compare_with_sklearn
    from .models.data import read_table

    if args.plot and not args.plot.endswith((".svg", ".tex")):
        raise ValueError(f"--plot {args.plot}: the picture is a .svg or a .tex file")
    table = read_table(args.fit, target=args.target, task=m.spec.labels)
    bar = Progress(args.max_iter, 0, sys.stderr, "gradient descent") if args.max_iter >= 2000 else None

    def progress(done: int, total: int, cost: float) -> None:
        if bar is not None:
            bar.at(done)

    m.compiled  # noqa: B018 -- derived and compiled now: the fit's time is the descent's alone
    started = time.perf_counter()
    try:
        result = m.fit(table.X, table.y, lr=args.lr, tol=args.tol, max_iter=args.max_iter,
                       standardize=args.standardize, progress=progress)  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - started
    result.features, result.classes = table.features, table.classes
    if args.plot:
        from .render.cost_curve import cost_curve_document, cost_curve_svg

        picture = cost_curve_svg(result.history) if args.plot.endswith(".svg") else cost_curve_document(result.history)
        with open(args.plot, "w", encoding="utf-8") as out:
            out.write(picture)
    if args.format == "json":
        return result
    return _joined(args, [result, compare_with_sklearn(m, table.X, table.y, result, seconds)])


def _joined(args: argparse.Namespace, results: list[object]) -> str:
    """Several results in one output: JSON as one list, the other formats one after the other."""
    if args.format == "json":
        import json as json_module

        from .render import render

        return json_module.dumps([json_module.loads(render(r, "json")) for r in results], indent=2, ensure_ascii=False)
    if args.format == "latex" and args.standalone:  # one document around them all, headed by what it is
        from .render.latex import joined_document

        return joined_document(results)
    return "\n\n".join(_shown(r, args, None).rstrip("\n") for r in results)


def _read_expression(arg: str | None) -> str:
    if arg is None or arg == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise ValueError("no expression given: pass EXPR or pipe it on standard input")
        return sys.stdin.read(200_000).strip()
    return arg


def _diff(args: argparse.Namespace) -> object:
    from . import differentiate

    derivation = differentiate(
        _read_expression(args.expr), wrt=args.wrt, order=args.order, at=args.at, syntax=args.syntax
    )
    return derivation


def _pairs(values: list[str], option: str, shape: str) -> dict[str, str]:
    """Repeated NAME=VALUE options as a dict (the value may itself contain '=')."""
    pairs = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"{option} expects {shape}, got {pair!r}")
        pairs[name.strip()] = value
    return pairs


def _graph(args: argparse.Namespace) -> object:
    from .graph import computation_graph

    names = _pairs(args.name, "--name", "U=TERM")
    graph = computation_graph(
        _read_expression(args.expr), at=args.at, names=names, syntax=args.syntax, forward_mode=args.forward_mode
    )
    return graph


def _slope(args: argparse.Namespace) -> object:
    from .calculus.finite_difference import slope

    result = slope(
        _read_expression(args.expr), at=args.at, h=args.h, wrt=args.wrt, syntax=args.syntax, central=args.central
    )
    return result


def _grad(args: argparse.Namespace) -> object:
    if args.shape:
        return _matrix_grad(args)
    for option in ("assume", "check", "numpy", "entrywise"):
        if getattr(args, option):
            raise ValueError(f"--{option} is for matrix calculus: declare the shapes with --shape NAME=DIMS")
    from .calculus.gradient import gradient, hessian

    work = hessian if args.hessian else gradient
    return work(_read_expression(args.expr), args.wrt, args.at, args.syntax)


def _matrix_grad(args: argparse.Namespace) -> object:
    from .matrixcalc.api import matrix_gradient

    if not args.wrt or "," in args.wrt:
        raise ValueError("matrix calculus takes one variable: --wrt NAME")
    if args.at:
        raise ValueError("--at is not available with --shape: use matrix_gradient(...).evaluate(values) in Python")
    shapes = _pairs(args.shape, "--shape", "NAME=DIMS")
    names = [pair.partition("=")[0].strip() for pair in args.shape]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"--shape gives {twice[0]} twice: declare each name once")
    assume = _pairs(args.assume, "--assume", "NAME=symmetric")
    result = matrix_gradient(_read_expression(args.expr), args.wrt, shapes, order=2 if args.hessian else 1,
                             assume=assume)  # fmt: skip
    if args.numpy:
        return result.numpy()
    if args.entrywise:
        from .matrixcalc.entrywise import entrywise

        return entrywise(result)
    return result


# How many arguments each linear-algebra operation takes (least, most).
LINALG_ARITY = {
    "add": (2, 2), "scale": (2, 2), "trace": (1, 1), "transpose": (1, 1), "is_symmetric": (1, 1), "is_identity": (1, 1),
    "is_orthogonal": (1, 1), "dot": (2, 2), "outer": (2, 2), "matmul": (2, 2), "det": (1, 1), "inverse": (1, 1),
    "rank": (1, 1), "independence": (1, 12), "solve": (2, 2), "norm": (1, 1), "unit_vector": (1, 1),
    "frobenius": (1, 1), "eigen": (1, 1), "svd": (1, 1), "property": (2, 4),
}  # fmt: skip


def _linalg(args: argparse.Namespace) -> object:
    from . import linalg

    if args.op not in LINALG_ARITY:
        raise ValueError(f"unknown operation {args.op!r}; known: {', '.join(LINALG_ARITY)}")
    least, most = LINALG_ARITY[args.op]
    if not least <= len(args.args) <= most:
        count = str(least) if least == most else f"{least} to {most}"
        raise ValueError(f"linalg {args.op} takes {count} argument(s), got {len(args.args)}")
    operation = linalg.OPERATIONS[args.op]
    derivation = operation(args.args[0], p=args.p) if args.op == "norm" else operation(*args.args)
    return derivation


def _demo(args: argparse.Namespace) -> object:
    from .lecture import handout

    return handout(args.topic)


def _check(args: argparse.Namespace) -> object:
    from .check import check_answer

    assume = {name: what.strip() for name, what in _pairs(args.assume, "--assume", "NAME=WHAT").items()}
    result = check_answer(args.answer, expected=args.expected, derivative_of=args.derivative_of, wrt=args.wrt,
                          assume=assume)  # fmt: skip
    return result


def _grade(args: argparse.Namespace) -> str:
    from pathlib import Path

    from .check.grade import grade_file
    from .check.grade_report import report

    run = grade_file(Path(args.submissions), Path(args.key), Path(args.out), workers=args.workers,
                     seconds=args.timeout, diagnosis_seconds=args.diagnosis_timeout, regrade=args.regrade)  # fmt: skip
    markdown, page = report(run)
    try:
        Path(f"{args.report}.md").write_text(markdown, encoding="utf-8")
        Path(f"{args.report}.html").write_text(page, encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot write the report {args.report}: {error.strerror or error}") from None
    summary = markdown.split("\n\n## ")[0].removeprefix("# Grades\n\n")
    return f"{summary}\ngrades in {args.out}, report in {args.report}.md and {args.report}.html\n"


def _handout(args: argparse.Namespace) -> str:
    from .handout.run import NotCompiled, run

    try:
        return _handout_run(args, run)
    except NotCompiled as failed:  # what was written is still worth saying, on stdout; the error after it
        sys.stdout.write(failed.report)
        raise


def _handout_run(args: argparse.Namespace, run: Callable[..., str]) -> str:
    from pathlib import Path

    return run(
        problems=Path(args.problems) if args.problems else None, out=Path(args.out) if args.out else None,
        variants=args.variants, seed=args.seed, kind=args.format, pdf=args.pdf, moodle=args.moodle,
        templates=Path(args.templates) if args.templates else None,
        init_templates=Path(args.init_templates) if args.init_templates else None,
    )  # fmt: skip


_VALUE_OPTIONS = {"--wrt", "--order", "--at", "--syntax", "--format", "--h", "--name", "--picture", "--forward-mode",
                  "--shape"}  # fmt: skip
_EXPRESSION_COMMANDS = {"diff", "graph", "slope", "grad"}


_ANSWER_OPTIONS = {"--answer", "--expected", "--derivative-of", "--assume", "--var"}


def _minus_values(argv: list[str]) -> list[str]:
    """``--answer -1`` and ``--at -x`` give a value that starts with a minus: join it as ``--answer=-1``."""
    out: list[str] = []
    skip = False
    for index, word in enumerate(argv):
        if skip:
            skip = False
            continue
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if word in _VALUE_OPTIONS | _ANSWER_OPTIONS and following.startswith("-") and not following.startswith("--"):
            out.append(f"{word}={following}")
            skip = True
        else:
            out.append(word)
    return out


def _expression_last(argv: list[str]) -> list[str]:
    """``stepsolver diff -x^2`` means the expression -x², not an option: move it after ``--``."""
    argv = _minus_values(argv)
    if not argv or argv[0] not in _EXPRESSION_COMMANDS or "--" in argv:
        return argv
    for index in range(1, len(argv)):
        word = argv[index]
        if word.startswith("-") and not word.startswith("--") and word not in ("-", "-h"):
            return [*argv[:index], *argv[index + 1 :], "--", word]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(_expression_last(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as stop:  # --help, --version, or a usage error already reported
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    from .errors import StepsolverError

    try:
        commands: dict[str, Callable[[argparse.Namespace], object]] = {
            "diff": _diff,
            "graph": _graph,
            "slope": _slope,
            "grad": _grad,
            "linalg": _linalg,
            "check": _check,
            "grade": _grade,
            "demo": _demo,
            "handout": _handout,
            "model": _model,
        }
        from .parse import reading

        with reading(names=_declared(args), complex=getattr(args, "complex", False)) as notes:
            worked = commands[args.command](args)
        # the expression commands always say how their input was read (JSON: "read_as", [] if plainly)
        said = notes.lines if args.command in _EXPRESSION_COMMANDS else None
        output = worked if isinstance(worked, str) else _shown(worked, args, said)
    except OSError as error:  # a missing file, a directory, no permission: say which, in one line
        where = f": {error.filename}" if error.filename else ""
        print(f"stepsolver: {error.strerror or error}{where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StepsolverError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"stepsolver: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        print("stepsolver: the expression is too deeply nested", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # a bug of ours, not bad input: still one line, and a different status
        print(f"stepsolver: internal error ({type(error).__name__}: {error}); please report it", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
