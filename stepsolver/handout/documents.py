"""The handout's documents, from templates: exercise sheet, worked solutions, answer key (LaTeX,
Markdown, HTML) and the exam-class version (LaTeX). Templates are found in the teacher's folder
first (``--templates DIR``), then in the package; ``init_templates`` copies the package's out.

The templates get prepared text: statements, solutions and answers already in the document's
format (the renderers make the solutions); the template only arranges them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import jinja2.sandbox
from markupsafe import Markup

from ..core.notation import tex_text
from ..core.timeout import time_limit
from ..errors import StepsolverError
from .draw import Variant
from .problems import ProblemSet, substitute
from .tex_guard import formula_problem
from .work import Worked

FORMATS = ("latex", "markdown", "html")
SUFFIX = {"latex": "tex", "markdown": "md", "html": "html"}
DOCUMENTS = {"latex": ("sheet", "solutions", "key", "exam"), "markdown": ("sheet", "solutions", "key"),
             "html": ("sheet", "solutions", "key")}  # fmt: skip
TITLES = {"sheet": "exercises", "solutions": "worked solutions", "key": "answer key", "exam": "exam"}
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)
LONG_INLINE = 70  # characters of LaTeX above which a statement's formula is displayed on its own line


class TemplateError(StepsolverError):
    """A template that cannot be found or rendered: one line naming the template."""


def template_names() -> list[str]:
    folder = resources.files("stepsolver") / "templates" / "handout"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".j2"))


def init_templates(target: Path) -> list[Path]:
    """Copy the packaged templates into ``target`` (created), refusing to overwrite a file."""
    folder = resources.files("stepsolver") / "templates" / "handout"
    if target.exists() and not target.is_dir():
        raise TemplateError(f"--init-templates {target}: that is a file; name a folder to copy the templates into")
    target.mkdir(parents=True, exist_ok=True)
    existing = [name for name in template_names() if (target / name).exists()]
    if existing:
        raise TemplateError(f"{target / existing[0]} exists: copy the templates into an empty folder")
    written = []
    for name in template_names():
        (target / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target / name)
    return written


RENDER_SECONDS = 30  # arranging prepared text takes milliseconds: a template that runs longer is looping
MAX_LENGTH = 1_000_000  # the longest string or list a template may make by * (a page is some thousand)


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja2's sandbox (no attribute of Python's internals, range() bounded) that also refuses
    the arithmetic that would take the machine: 'a' * 10**9, 9 ** 9 ** 9."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if operator == "**" and numbers and (abs(right) > 64 or abs(left) > 10**6):
            raise jinja2.sandbox.SecurityError(f"{left!r} ** {right!r} is more than a template needs")
        if operator == "*":
            sized, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(sized, str | list | tuple) and isinstance(times, int) and len(sized) * times > MAX_LENGTH:
                raise jinja2.sandbox.SecurityError(f"a sequence of {len(sized) * times:,} items is too long")
        return super().call_binop(context, operator, left, right)


def _environment(kind: str, templates: Path | None) -> jinja2.Environment:
    packaged = jinja2.PackageLoader("stepsolver", "templates/handout")
    loader: jinja2.BaseLoader = (
        jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates)), packaged]) if templates else packaged
    )
    # sandboxed: a template from a shared folder can arrange text, not run code
    if kind == "latex":
        return _Sandbox(
            loader=loader, block_start_string=r"\BLOCK{", block_end_string="}", variable_start_string=r"\VAR{",
            variable_end_string="}", comment_start_string=r"\#{", comment_end_string="}",
            line_statement_prefix="%-", line_comment_prefix="%#", trim_blocks=True, lstrip_blocks=True,
            autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        )  # fmt: skip
    return _Sandbox(
        loader=loader, trim_blocks=True, lstrip_blocks=True, autoescape=kind == "html",
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )  # fmt: skip


# -- text in each format ---------------------------------------------------------------------------

_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0327": "c", "\u030c": "v",
            "\u0304": "="}  # fmt: skip


# commands a teacher may use in their words: they set text and nothing else (\\input, \\def, \\end and
# the rest are printed as typed, a backslash and a name)
_TEXT_COMMANDS_NAMES = (
    "emph textbf textit texttt textsc textsf textrm textup textsl underline ldots dots LaTeX TeX quad "
    "qquad enspace thinspace newline linebreak textbackslash S P dag ddag copyright pounds ss o O ae AE "
    "oe OE aa AA i j l L c d b t r u v H k"
)
TEXT_COMMANDS = frozenset(_TEXT_COMMANDS_NAMES.split())


def _balanced(text: str) -> bool:
    """Whether the braces of ``text`` pair up (an escaped \\{ does not count): if not, every brace is
    printed as a brace, so that a stray one cannot swallow the rest of the document."""
    depth = 0
    for found in re.finditer(r"\\.|[{}]", text, re.DOTALL):
        token = found.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _latex_words(text: str) -> str:
    """Words for LaTeX: the house's Unicode maths as LaTeX, accented letters as accent commands,
    so that nothing but ASCII reaches the .tex file; & % # _ ^ < > | as the characters themselves,
    while the teacher's own commands (\\emph{…}, an escaped \\%) are kept as written."""
    out = []
    balanced = _balanced(text)
    at = 0
    while at < len(text):
        character = text[at]
        at += 1
        if character == "\\":  # a command or an escape: kept if it only sets text, else printed as typed
            name = re.match(r"[A-Za-z]+|.?", text[at:], re.DOTALL).group(0)  # type: ignore[union-attr]
            at += len(name)
            kept = name in TEXT_COMMANDS if name.isalpha() else name != ""  # \\% \\{ \\' are escapes
            out.append("\\" + name if kept else r"\textbackslash{}" + _latex_words(name))
            continue
        if character in "{}" and not balanced:
            out.append("\\" + character)
            continue
        if not character.isascii():
            decomposed = unicodedata.normalize("NFD", character)
            base, marks = decomposed[0], decomposed[1:]
            if base.isascii() and marks and all(m in _ACCENTS for m in marks):
                shown = base
                for mark in marks:
                    shown = rf"\{_ACCENTS[mark]}{{{shown}}}"
                out.append(shown)
                continue
        out.append(tex_text(character))  # & % # _ ^ < > | and the house's Unicode maths, as text
    return "".join(out)


def _with_maths(text: str, words: Callable[[str], str], maths: Callable[[str, bool], str]) -> str:
    """``text`` with its words and its $…$ formulas each written by their own function; a formula
    longer than LONG_INLINE is asked for on a line of its own (``maths(tex, True)``), the full
    stop or comma after it taken into the display (never a lone "." on the next line)."""
    pieces, last = [], 0
    for match in _MATH.finditer(text):
        if match.start() < last:
            continue
        pieces.append(words(text[last : match.start()]))
        tex, own_line, last = match.group(1), len(match.group(1)) > LONG_INLINE, match.end()
        stop = re.match(r"[.,;:]", text[last:])
        if own_line and stop:
            tex, last = tex + r"\," + stop.group(0), last + 1
        pieces.append(maths(tex, own_line))
    pieces.append(words(text[last:]))
    return "".join(pieces)


def _safe_maths(tex: str) -> str:
    """The formula as written, if it holds only maths (``tex_guard``: the reader refused a teacher's
    formula that does not; this is the same check on everything that reaches the .tex)."""
    refused = formula_problem(tex)
    if refused:
        raise StepsolverError(f"the formula ${tex[:60]}$ uses {refused}, which a handout may not write")
    return tex


def latex_text(text: str) -> str:
    """A statement (words, maths in $…$) for LaTeX; a long formula goes on a line of its own."""
    return _with_maths(text, _latex_words, lambda tex, own_line: rf"\[ {_safe_maths(tex)} \]" if own_line
                       else f"${_safe_maths(tex)}$")  # fmt: skip


def html_text(text: str) -> Markup:
    return Markup(_with_maths(text, escape, lambda tex, own_line: rf"\[{escape(tex)}\]" if own_line
                              else rf"\({escape(tex)}\)"))  # fmt: skip


def markdown_text(text: str) -> str:
    return _MATH.sub(lambda m: f"\n\n$${m.group(1)}$$\n\n" if len(m.group(1)) > LONG_INLINE else m.group(0), text)


def _text(text: str, kind: str) -> Any:
    return {"latex": latex_text, "html": html_text, "markdown": markdown_text}[kind](text)


def _answer(worked: Worked, kind: str) -> Any:
    lines = worked.answer_lines
    if kind == "latex":
        return r"\begin{gather*}" + "\n" + " \\\\\n".join(lines) + "\n" + r"\end{gather*}"
    if kind == "html":
        return Markup("<br>".join(rf"\({escape(line)}\)" for line in lines))
    return ", ".join(f"${line}$" for line in lines)


def _answer_inline(worked: Worked, kind: str) -> Any:
    """The answer on the line of its label when it is short, displayed below it when not."""
    lines = worked.answer_lines
    if kind != "latex" or len(lines) > 1 or len(lines[0]) > LONG_INLINE:
        return _answer(worked, kind)
    return rf"$\displaystyle {lines[0]}$"


def _points(points: float) -> str:
    shown = f"{points:g}"
    return f"{shown} point" + ("" if points == 1 else "s")


# -- the documents -----------------------------------------------------------------------------------


@dataclass
class Document:
    name: str  # "sheet", "solutions", "key", "exam"
    kind: str  # "latex", "markdown", "html"
    text: str
    fallbacks: int = 0  # HTML only: formulas shown as TeX because MathML could not be made

    @property
    def filename(self) -> str:
        return f"{self.name}.{SUFFIX[self.kind]}"


def _fit_shown(worked: Worked, kind: str) -> str:
    """A model's training after its derivation: the fit in words and, in LaTeX and HTML, its cost
    curve (pgfplots, an inline SVG); Markdown has no picture to show it in."""
    from ..render import render
    from ..render.cost_curve import cost_curve_pgfplots, cost_curve_svg

    fit = worked.fit
    heading = _text(f"Trained by gradient descent on {worked.fit_data}.", kind)
    if kind == "latex":
        picture = cost_curve_pgfplots(fit.history)
        return f"\n\n{heading}\n\n{render(fit, 'latex')}\n\n\\begin{{center}}\n{picture}\n\\end{{center}}\n"
    if kind == "html":
        return f"<p>{heading}</p>\n{render(fit, 'html')}\n<figure>{cost_curve_svg(fit.history)}</figure>\n"
    return f"\n\n{heading}\n\n{render(fit, 'markdown')}\n"


def _context(problems: ProblemSet, variant: Variant, numbered: bool, kind: str, name: str) -> dict[str, Any]:
    from ..render import render

    fmt = kind
    shown = []
    for number, drawn in enumerate(variant.problems, 1):
        parts = []
        for index, worked in enumerate(drawn.parts):
            solution: Any = ""
            if name == "solutions":
                rendered = render(worked.result, fmt)
                if worked.fit is not None:
                    rendered += _fit_shown(worked, kind)
                solution = Markup(rendered) if kind == "html" else rendered
            parts.append({
                "id": worked.id, "label": chr(ord("a") + index), "statement": _text(worked.statement, kind),
                "points_value": f"{worked.part.points:g}", "points_text": _points(worked.part.points),
                "solution": solution, "answer_display": _answer(worked, kind),
                "answer_inline": _answer_inline(worked, kind),
                "space": f"{max(3.0, 1.5 * worked.part.points):g}cm", "kind": worked.kind,
            })  # fmt: skip
        problem = drawn.problem
        statement = _text(substitute(problem.statement, drawn.values), kind) if problem.statement else ""
        shown.append({"number": number, "id": problem.id, "title": _plain(problem.title, kind),
                      "statement": statement, "points_text": _points(problem.points), "parts": parts})  # fmt: skip
    instructions = _text(problems.instructions, kind) if problems.instructions else ""
    total = sum(p.problem.points for p in variant.problems)
    sheet = {
        "title": _plain(problems.title, kind), "instructions": instructions, "course": _plain(problems.course, kind),
        "date": _plain(problems.date, kind), "variant": variant.number if numbered else None,
        "total_points": f"{total:g}",
    }  # fmt: skip
    return {"sheet": sheet, "problems": shown}


def _plain(text: str, kind: str) -> Any:
    return latex_text(text) if kind == "latex" else text  # HTML escapes it, Markdown shows it


def document(problems: ProblemSet, variant: Variant, name: str, kind: str, numbered: bool = False,
             templates: Path | None = None) -> Document:  # fmt: skip
    if kind not in FORMATS:
        raise TemplateError(f"unknown handout format {kind!r}; the formats are {', '.join(FORMATS)}")
    filename = f"{name}.{SUFFIX[kind]}.j2"
    context = _context(problems, variant, numbered, kind, name)
    try:
        template = _environment(kind, templates).get_template(filename)
        with time_limit(RENDER_SECONDS) as limit:
            text = template.render(**context)
        if limit.expired:
            raise TemplateError(f"template {filename} ran for more than {RENDER_SECONDS} s and was stopped")
    except jinja2.TemplateNotFound as error:
        missing = error.name if isinstance(error.name, str) else filename
        raise TemplateError(f"template {missing} not found (in {templates or 'the package'})") from None
    except (OverflowError, MemoryError) as error:  # range() past the sandbox's limit, a string too long
        raise TemplateError(f"template {filename} asked for too much: {error}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:  # the template's own mistake
        raise TemplateError(f"template {filename} failed: {type(error).__name__}: {error}") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"template {error.name or filename}, line {error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise TemplateError(f"template {filename}: {error.message}") from None
    except jinja2.sandbox.SecurityError as error:
        raise TemplateError(f"template {filename} tried something a template may not: {error}") from None
    if kind == "html":
        from ..render.page import page

        made = page(f"{problems.title}: {TITLES[name]}", text, open_details=True)
        return Document(name, kind, made.html, made.fallbacks)
    return Document(name, kind, text)


def documents(problems: ProblemSet, variant: Variant, kind: str, numbered: bool = False,
              templates: Path | None = None) -> list[Document]:  # fmt: skip
    return [document(problems, variant, name, kind, numbered, templates) for name in DOCUMENTS[kind]]
