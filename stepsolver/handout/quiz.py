"""--moodle: the handout as a Moodle question bank. One category per problem (or part), holding
that problem's variants, so a quiz can draw one at random per student. A derivative becomes a
multiple choice question whose wrong options are the answers the common mistakes give for it (at
least three, or it is not asked that way); a value at a point, a slope, a trace or a norm is a
number to type in; anything else is an essay question with the worked answer for the marker."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from html import escape
from pathlib import Path

from .build import Built
from .distractors import derivative_distractors
from .documents import html_text
from .moodle import Category, Question, essay, moodle_xml, multichoice, numerical
from .problems import substitute
from .work import Worked

FEWEST = 3  # wrong options a multiple choice question must have


def _answer_html(worked: Worked) -> str:
    return "<p>Answer: " + ", ".join(rf"\({escape(line)}\)" for line in worked.answer_lines) + "</p>"


def question(worked: Worked, name: str, setting: str = "") -> Question:
    """``worked`` as a Moodle question; ``setting``: its problem's own words before the parts."""
    text = (f"<p>{html_text(setting)}</p>" if setting else "") + f"<p>{html_text(worked.statement)}</p>"
    answer = _answer_html(worked)
    points = worked.part.points or 1.0
    if worked.kind == "derivative" and len(worked.wrt) == 1 and not worked.at and worked.function is not None:
        options = derivative_distractors(worked.function, worked.wrt[0], worked.answer)
        if len(options) >= FEWEST:
            return multichoice(name, text, worked.answer_latex, options, points, answer)
    value = worked.value
    if value is not None:
        return numerical(name, text + "<p>Give the value as a decimal number.</p>", value, None, points, answer)
    return essay(name, text, answer, points, answer)


def quiz(built: Built) -> tuple[list[Category], Counter[str], list[str]]:
    """The categories, how many questions of each type, and the parts asked as essays that are
    derivatives (too few mistakes apply to them to make three wrong options)."""
    categories: dict[str, Category] = {}
    kinds: Counter[str] = Counter()
    too_few: list[str] = []
    top = built.problems.title or "stepsolver"
    for variant in built.variants:
        for number, drawn in enumerate(variant.problems, 1):
            for index, worked in enumerate(drawn.parts):
                label = f"{number}" + (f"({chr(ord('a') + index)})" if len(drawn.parts) > 1 else "")
                # a "/" inside a name is written "//" (Moodle's category paths split at a single one)
                path = "/".join(seg.replace("/", "//") for seg in (top, f"{label} {drawn.problem.title or worked.id}"))
                name = f"{label} {drawn.problem.title or worked.id}" + (
                    f", variant {variant.number}" if len(built.variants) > 1 else "")  # fmt: skip
                made = question(worked, name, substitute(drawn.problem.statement, drawn.values))
                kept = categories.setdefault(path, Category(path, [])).questions
                if any(_same(made, other) for other in kept):  # two variants drew the same values for this part
                    continue
                kept.append(made)
                kinds[made.kind] += 1
                single = worked.kind == "derivative" and len(worked.wrt) == 1 and not worked.at
                if made.kind != "multichoice" and single and variant.number == 1:
                    too_few.append(worked.id)
    return list(categories.values()), kinds, too_few


def _same(one: Question, other: Question) -> bool:
    """The same question but for its name: Moodle's random pick would draw it twice."""
    return replace(one, name="", idnumber="") == replace(other, name="", idnumber="")


def write_quiz(built: Built, path: Path) -> tuple[Path, list[str]]:
    categories, kinds, too_few = quiz(built)
    path.write_text(moodle_xml(categories), encoding="utf-8")
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    lines = [f"{path}: {sum(kinds.values())} Moodle questions in {len(categories)} categories ({counted})"]
    if too_few:
        lines.append(f"  fewer than {FEWEST} common mistakes apply to {', '.join(too_few)}: asked as "
                     "essay or numerical questions, not multiple choice")  # fmt: skip
    return path, lines
