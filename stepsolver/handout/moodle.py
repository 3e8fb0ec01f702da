"""Moodle XML, the question format Moodle's question bank imports (``question/format/xml/format.php``).

What the importer reads, and what it refuses, decides the shape: a ``<quiz>`` of ``<question>``
elements, a ``type="category"`` one switching the category the questions after it go into; every
question with a name, an HTML question text and general feedback, a mark and a penalty; a
multiple choice answer or a numerical answer carries a ``fraction`` in percent that must be one of
Moodle's grade options (``question_bank::fraction_options_full`` in ``question/engine/bank.php``,
matched within 0.00001 by ``match_grade_options`` in ``lib/questionlib.php``, which
``question/format.php`` runs on every import), or the question is not imported.

The questions are built as an ElementTree (so the file is well-formed whatever the texts hold) and
written the way Moodle's own exporter writes them: a text with markup in CDATA, a "]]>" in it
split across two sections (``qformat_xml::xml_escape``). Entities would be escaped too, but not
read back the same: Moodle's parser (``core_xml_parser::characterdata`` in ``lib/xmlize.php``)
drops every piece of text that is only white space, and the XML parser hands it the text between
two entities, or a line break, as such a piece ("</b> <i>" would come in as "</b><i>", and two
words on two lines as one). So each run of white space is written as one space, which is what
HTML and TeX read it as.
Characters XML 1.0 cannot carry at all are dropped. Same questions, same bytes.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal
from xml.sax.saxutils import quoteattr

import sympy as sp

from .distractors import Distractor

# question_bank::ensure_fraction_options_initialised: 100 %, 0 and these, and their negatives
GRADE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                   0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)  # fmt: skip
GRADE_PERCENTS = tuple(sorted({round(100 * s * g, 5) for g in GRADE_FRACTIONS for s in (1, -1)}, reverse=True))

# the defaults Moodle's own forms and exports use (qformat_xml::writequestion, the tests' fixtures)
PENALTY = 0.3333333
RIGHT, PARTLY, WRONG = "Your answer is correct.", "Your answer is partially correct.", "Your answer is incorrect."
ESSAY_FORMATS = ("editor", "editorfilepicker", "plain", "monospaced", "noinline")  # qtype_essay::response_formats
UNITNONE = 3  # qtype_numerical::UNITNONE: no unit is asked for or shown

# XML 1.0 Char: no C0 controls but tab, newline and return; no lone surrogates, U+FFFE or U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Choice:
    html_text: str
    fraction: float  # percent, one of GRADE_PERCENTS: 100 for the right answer, 0 for a distractor
    feedback: str = ""  # HTML, shown when this option is chosen


@dataclass
class Question:
    name: str
    kind: Literal["multichoice", "numerical", "essay"]
    text_html: str
    general_feedback_html: str = ""
    points: float = 1.0
    choices: list[Choice] = field(default_factory=list)  # multichoice
    numeric_answer: float | None = None  # numerical
    tolerance: float = 0.0  # numerical: absolute, the answer ± tolerance is right
    answer_feedback_html: str = ""  # numerical: shown with the right answer
    grader_info_html: str = ""  # essay: the worked answer, for whoever marks it
    penalty: float = PENALTY  # taken off per wrong try when the quiz allows several
    idnumber: str = ""


@dataclass
class Category:
    path: str  # under the course's top category: "Derivatives/Week 3"
    questions: list[Question] = field(default_factory=list)


def tex(latex: str) -> str:
    r"""Inline maths as HTML for Moodle's MathJax filter: \( … \), the TeX escaped as text."""
    return html.escape(f"\\({latex}\\)", quote=False)


def _paragraph(words: str) -> str:
    return f"<p>{html.escape(words, quote=False)}</p>" if words else ""


def multichoice(
    name: str,
    text_html: str,
    right_latex: str,
    distractors: list[Distractor],
    points: float = 1.0,
    general_feedback_html: str = "",
    right_feedback_html: str = "",
) -> Question:
    """One right option (100 %) and one option per distractor (0 %), its mistake as the feedback.
    Moodle shuffles the options for each attempt, so their order here does not give the answer."""
    if not distractors:
        raise ValueError(f"{name}: a multiple choice question needs at least one wrong option")
    choices = [Choice(tex(right_latex), 100.0, right_feedback_html)]
    choices += [Choice(tex(d.latex), 0.0, _paragraph(d.feedback)) for d in distractors]
    return Question(name, "multichoice", text_html, general_feedback_html, points, choices)


def numerical(
    name: str,
    text_html: str,
    value: float | sp.Expr,
    tolerance: float | None = None,
    points: float = 1.0,
    general_feedback_html: str = "",
    answer_feedback_html: str = "",
) -> Question:
    """A number to type in. ``tolerance`` is absolute; None: 0.1 % of the value, so an answer
    rounded to four significant figures is right (and 10⁻⁹ for a value of 0)."""
    try:
        number = float(sp.N(value, 17)) if isinstance(value, sp.Basic) else float(value)
    except (TypeError, ValueError):  # complex, or still a formula
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{name}: the answer {value} is not a finite real number")
    if tolerance is None:  # two digits: 0.1, not 0.10042768461593833
        tolerance = float(f"{max(abs(number) * 1e-3, 1e-9):.2g}")
    return Question(name, "numerical", text_html, general_feedback_html, points, numeric_answer=number,
                    tolerance=tolerance, answer_feedback_html=answer_feedback_html, penalty=0.1)  # fmt: skip


def essay(
    name: str, text_html: str, grader_info_html: str = "", points: float = 1.0, general_feedback_html: str = ""
) -> Question:
    """A worked answer typed in and marked by hand: for a problem with no single checkable answer."""
    return Question(name, "essay", text_html, general_feedback_html, points, grader_info_html=grader_info_html,
                    penalty=0.0)  # fmt: skip


def _clean(text: str) -> str:
    return re.sub(r"[ \t\n\r]+", " ", _NOT_XML.sub("", text))  # XML's white space: a no-break space stays


def _number(value: float) -> str:
    """Positional, shortest round trip, no exponent: Moodle's number reader
    (qtype_numerical_answer_processor) is locale-bound, plain digits and a point always read."""
    shown = format(Decimal(repr(float(value))), "f")
    shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
    return "0" if shown in ("-0", "") else shown


def _percent(fraction: float) -> str:
    """A grade option as Moodle writes it (83.33333, 100, -50)."""
    legal = min(GRADE_PERCENTS, key=lambda p: abs(p - fraction))
    if abs(legal - fraction) >= 1e-3:  # match_grade_options: within 0.00001 of a fraction of 1
        raise ValueError(f"the fraction {fraction} % is not one of Moodle's grade options")
    return _number(legal)


def _text(parent: ET.Element, tag: str, content: str, format: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": format} if format else {})
    ET.SubElement(element, "text").text = _clean(content)
    return element


def _leaf(parent: ET.Element, tag: str, content: str) -> None:
    ET.SubElement(parent, tag).text = _clean(content)


def _answer(parent: ET.Element, fraction: float, text: str, feedback: str, answer_format: str) -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": _percent(fraction), "format": answer_format})
    ET.SubElement(answer, "text").text = _clean(text)
    _text(answer, "feedback", feedback)
    return answer


def _check(question: Question) -> None:
    """What the importer or the question type would refuse, refused here with the question's name."""
    if question.kind not in ("multichoice", "numerical", "essay"):
        raise ValueError(f"{question.name}: no writer for questions of kind {question.kind!r}")
    if not question.name.strip():
        raise ValueError("a question needs a name (the importer stops at one without: xmlimportnoname)")
    if question.points < 0 or not math.isfinite(question.points):
        raise ValueError(f"{question.name}: points must be a finite number ≥ 0")
    if question.kind == "multichoice":
        if len(question.choices) < 2:  # qtype_multichoice::save_question_options: notenoughanswers
            raise ValueError(f"{question.name}: a multiple choice question needs at least two options")
        if max(c.fraction for c in question.choices) != 100:  # single answer: fractionsnomax
            raise ValueError(f"{question.name}: one option must be worth 100 %")
    if question.kind == "numerical":
        if question.numeric_answer is None or not math.isfinite(question.numeric_answer):
            raise ValueError(f"{question.name}: a numerical question needs a finite answer")
        if question.tolerance < 0 or not math.isfinite(question.tolerance):
            raise ValueError(f"{question.name}: the tolerance must be a finite number ≥ 0")


def _question(quiz: ET.Element, question: Question) -> None:
    _check(question)
    element = ET.SubElement(quiz, "question", {"type": question.kind})
    _text(element, "name", question.name, format=None)
    _text(element, "questiontext", question.text_html)
    _text(element, "generalfeedback", question.general_feedback_html)
    _leaf(element, "defaultgrade", _number(question.points))
    _leaf(element, "penalty", _number(question.penalty))
    _leaf(element, "hidden", "0")
    _leaf(element, "idnumber", question.idnumber)
    if question.kind == "multichoice":
        for tag, value in (("single", "true"), ("shuffleanswers", "true"), ("answernumbering", "abc"),
                           ("showstandardinstruction", "0")):  # fmt: skip
            _leaf(element, tag, value)
        for tag, words in (("correctfeedback", RIGHT), ("partiallycorrectfeedback", PARTLY),
                           ("incorrectfeedback", WRONG)):  # fmt: skip
            _text(element, tag, _paragraph(words))
        for choice in question.choices:
            _answer(element, choice.fraction, choice.html_text, choice.feedback, "html")
    elif question.kind == "numerical":
        assert question.numeric_answer is not None  # _check
        answer = _answer(element, 100, _number(question.numeric_answer), question.answer_feedback_html, "plain_text")
        _leaf(answer, "tolerance", _number(question.tolerance))
        for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1"), ("showunits", str(UNITNONE)),
                           ("unitsleft", "0")):  # fmt: skip
            _leaf(element, tag, value)
    else:
        for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "15"),
                           ("attachments", "0"), ("attachmentsrequired", "0")):  # fmt: skip
            _leaf(element, tag, value)
        _text(element, "graderinfo", question.grader_info_html)
        _text(element, "responsetemplate", "")


def category_path(path: str) -> str:
    """``$course$/top/…``; Moodle splits the path at a single "/" (a "//" is a slash inside a
    name, as Moodle's importer reads it); an empty part is refused."""
    parts = [part.strip() for part in re.split(r"(?<!/)/(?!/)", _clean(path))]
    if not path.strip() or any(not part for part in parts):
        raise ValueError(f"the category path {path!r} has an empty part")
    return "$course$/top/" + "/".join(parts)


def moodle_xml(categories: list[Category]) -> str:
    """The quiz file: for each category, the category switch and then its questions."""
    quiz = ET.Element("quiz")
    for category in categories:
        switch = ET.SubElement(quiz, "question", {"type": "category"})
        _text(switch, "category", category_path(category.path), format=None)
        for question in category.questions:
            _question(quiz, question)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write(quiz, 0, lines)
    return "\n".join(lines) + "\n"


def _content(text: str) -> str:
    """qformat_xml::xml_escape: as it is when nothing in it needs escaping, else in CDATA."""
    if html.escape(text) == text:
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _write(element: ET.Element, depth: int, lines: list[str]) -> None:
    """An element per line, indented as Moodle's exports are; a leaf's text on its line."""
    pad, tag = "  " * depth, element.tag
    opening = tag + "".join(f" {name}={quoteattr(value)}" for name, value in element.attrib.items())
    children = list(element)
    if not children:
        lines.append(f"{pad}<{opening}>{_content(element.text or '')}</{tag}>")
        return
    lines.append(f"{pad}<{opening}>")
    for child in children:
        _write(child, depth + 1, lines)
    lines.append(f"{pad}</{tag}>")


__all__ = ["GRADE_PERCENTS", "Category", "Choice", "Question", "category_path", "essay", "moodle_xml", "multichoice",
           "numerical", "tex"]  # fmt: skip
