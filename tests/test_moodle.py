"""The Moodle XML writer against what Moodle's importer reads and refuses.

``moodle_problems`` below is a structural validator written from Moodle's own importer (the
moodle/moodle repository), each rule with the file and function it comes from:

- ``question/format/xml/format.php``, ``qformat_xml``: ``readquestions`` reads ``$xml['quiz']['#']
  ['question']`` (a ``<quiz>`` of ``<question>`` elements); ``import_question`` dispatches on the
  ``type`` attribute; ``import_headers`` needs ``name/text`` (else the error ``xmlimportnoname``) and
  reads ``questiontext``, ``generalfeedback`` (with ``format``), ``defaultgrade``, ``penalty``,
  ``idnumber``; ``trans_format`` knows five formats; ``import_multichoice`` reads ``answer`` without
  a default (so at least one must be there), ``single``, ``shuffleanswers``, ``answernumbering``,
  ``showstandardinstruction`` and the combined feedback; ``import_answer`` takes the ``fraction``
  attribute in percent; ``import_numerical`` reads ``answer/text`` and ``answer/tolerance``;
  ``import_essay`` reads ``responseformat``, ``responserequired``, ``responsefieldlines``,
  ``attachments``, ``attachmentsrequired``, ``graderinfo``, ``responsetemplate``;
  ``import_category`` reads ``category/text`` without a default and ``info``'s ``format``
  attribute whenever ``info`` is there; ``writequestion`` fixes the order of the elements.
- ``question/format.php``, ``qformat_default::importprocess``: every answer's fraction goes through
  ``match_grade_options`` (``lib/questionlib.php``: within 0.00001 of an option, else the question is
  not imported) against ``question_bank::fraction_options_full`` (``question/engine/bank.php``,
  ``ensure_fraction_options_initialised``: 1, 0.9, 0.8333333, …, 0.05, 0 and the negatives).
- ``question/type/multichoice/questiontype.php``, ``save_question_options``: at least two answers
  (``notenoughanswers``); a single-answer question needs an answer worth 100 % (``fractionsnomax``).
- ``question/type/numerical/questiontype.php``, ``save_question_options`` / ``apply_unit``: an answer
  is a number or ``*`` (``invalidnumericanswer``), a tolerance a number (``invalidnumerictolerance``);
  the number as ``qtype_numerical_answer_processor::build_regex`` reads it.
- ``question/type/essay/questiontype.php``, ``response_formats``: the five response formats.
- ``lib/xmlize.php``, ``core_xml_parser::characterdata``: how a text is put together from the XML
  parser's pieces (a piece that is only white space is dropped) — ``moodle_texts`` does the same.

The references are Moodle's own files, copied in: its fixture ``error_invalid_grades.xml`` (from
``question/format/xml/tests/fixtures``) and the expected exports of ``xmlformat_test.php``
(``test_export_multichoice``, ``test_export_numerical``, ``test_export_essay``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import xml.parsers.expat

import pytest
import sympy as sp

from stepsolver import parse
from stepsolver.check.mistakes import MISTAKES, candidates
from stepsolver.core.notation import latex
from stepsolver.handout.distractors import Distractor, derivative_distractors
from stepsolver.handout.moodle import (
    Category,
    Choice,
    Question,
    category_path,
    essay,
    moodle_xml,
    multichoice,
    numerical,
    tex,
)

from .helpers import numerically_equal

# ---------------------------------------------------------------- the validator, from Moodle's code

FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}  # qformat_xml::trans_format
_RAW = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
        0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)  # fmt: skip
FRACTIONS = sorted({s * f for f in _RAW for s in (1, -1)})  # question_bank::fraction_options_full
NUMBER = re.compile(r"[+-]?\d*(?:\.\d*)?(?:[eE][+-]?\d+)?")  # qtype_numerical_answer_processor::build_regex
ESSAY_FORMATS = {"editor", "editorfilepicker", "plain", "monospaced", "noinline"}  # qtype_essay::response_formats
HEADER = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]
ORDER = {  # qformat_xml::writequestion, then write_hints and the tags
    "category": ["category", "info", "idnumber"],
    "multichoice": [*HEADER, "single", "shuffleanswers", "answernumbering", "showstandardinstruction",
                    "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "answer",
                    "hint", "coursetags", "tags"],
    "numerical": [*HEADER, "answer", "units", "unitgradingtype", "unitpenalty", "showunits", "unitsleft",
                  "instructions", "hint", "coursetags", "tags"],
    "essay": [*HEADER, "responseformat", "responserequired", "responsefieldlines", "minwordlimit", "maxwordlimit",
              "attachments", "attachmentsrequired", "maxbytes", "filetypeslist", "graderinfo", "responsetemplate",
              "hint", "coursetags", "tags"],
}  # fmt: skip
TEXTS = {"questiontext", "generalfeedback", "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback",
         "graderinfo", "responsetemplate", "info"}  # fmt: skip


def _legal_fraction(percent: str) -> bool:
    """match_grade_options(…, 'error'): the attribute / 100 within 0.00001 of a grade option."""
    try:
        value = float(percent) / 100
    except ValueError:
        return False
    return any(abs(value - option) < 0.00001 for option in FRACTIONS)


def _text_of(element: ET.Element | None) -> str | None:
    found = None if element is None else element.find("text")
    return None if found is None else (found.text or "").strip()


def _question_problems(question: ET.Element, where: str) -> list[str]:
    kind = question.get("type", "")
    if kind not in ORDER:
        return [f"{where}: no importer for type {kind!r} (import_question)"]
    problems = []
    tags = [child.tag for child in question]
    unknown = [t for t in tags if t not in ORDER[kind]]
    if unknown:
        problems.append(f"{where}: elements the importer does not read: {unknown}")
    positions = [ORDER[kind].index(t) for t in tags if t in ORDER[kind]]
    if positions != sorted(positions):
        problems.append(f"{where}: elements not in the order Moodle writes them: {tags}")
    formats = {e.get("format", "html") for e in question.iter() if e.tag in {*TEXTS, "answer", "feedback"}}
    if formats - FORMATS:
        problems.append(f"{where}: unknown text formats {sorted(formats - FORMATS)} (trans_format)")
    if kind == "category":
        if _text_of(question.find("category")) in (None, ""):
            problems.append(f"{where}: a category switch needs category/text (import_category)")
        info = question.find("info")
        if info is not None and "format" not in info.attrib:
            problems.append(f"{where}: info needs its format attribute (import_category)")
        return problems
    if not _text_of(question.find("name")):
        problems.append(f"{where}: no name/text (xmlimportnoname)")
    if question.find("questiontext") is None:
        problems.append(f"{where}: no questiontext (import_headers)")
    for tag in ("defaultgrade", "penalty"):
        if question.find(tag) is not None and not re.fullmatch(r"\d+(\.\d+)?", question.findtext(tag, "").strip()):
            problems.append(f"{where}: {tag} is not a number")
    answers = question.findall("answer")
    fractions = [a.get("fraction", "0") for a in answers]
    bad = [f for f in fractions if not _legal_fraction(f)]
    if bad:
        problems.append(f"{where}: grades not among Moodle's options: {bad} (invalidgrade, match_grade_options)")
    if kind == "multichoice":
        if len([a for a in answers if _text_of(a)]) < 2:
            problems.append(f"{where}: fewer than two answers (notenoughanswers)")
        single = question.findtext("single", "true").strip() not in ("false", "", "0")  # trans_single
        if single and not any(abs(float(f) - 100) < 0.001 for f in fractions if _legal_fraction(f)):
            problems.append(f"{where}: no answer worth 100 % (fractionsnomax)")
    if kind == "numerical":
        if not answers:
            problems.append(f"{where}: no answer (import_numerical)")
        for answer in answers:
            value = _text_of(answer) or ""
            if value != "*" and not (value and NUMBER.fullmatch(value) and re.search(r"\d", value)):
                problems.append(f"{where}: answer {value!r} is not a number (invalidnumericanswer)")
            tolerance = answer.findtext("tolerance", "").strip()
            if tolerance and not NUMBER.fullmatch(tolerance):
                problems.append(f"{where}: tolerance {tolerance!r} is not a number (invalidnumerictolerance)")
        if not any(abs(float(f) - 100) < 0.001 for f in fractions if _legal_fraction(f)):
            problems.append(f"{where}: no answer worth 100 %")
    if kind == "essay":
        if question.findtext("responseformat", "editor").strip() not in ESSAY_FORMATS:
            problems.append(f"{where}: unknown responseformat (qtype_essay::response_formats)")
        for tag in ("responserequired", "responsefieldlines", "attachments", "attachmentsrequired"):
            if question.find(tag) is not None and not re.fullmatch(r"-?\d+", question.findtext(tag, "").strip()):
                problems.append(f"{where}: {tag} is not a whole number")
    return problems


def moodle_problems(document: str) -> list[str]:
    """Everything Moodle's XML import would refuse or misread in ``document``; [] when none."""
    try:
        quiz = ET.fromstring(document.encode("utf-8"))
    except ET.ParseError as error:
        return [f"not well-formed: {error}"]
    if quiz.tag != "quiz":
        return [f"the root is <{quiz.tag}>, Moodle reads <quiz> (readquestions)"]
    problems = [f"<{c.tag}> in <quiz>: only <question> is read" for c in quiz if c.tag != "question"]
    for index, question in enumerate(quiz.findall("question")):
        problems += _question_problems(question, f"question {index + 1} ({_text_of(question.find('name'))})")
    return problems


def moodle_texts(document: str) -> list[str]:
    """Every <text> as Moodle's importer gets it: the parser's pieces put together by
    core_xml_parser::characterdata (a piece that is only white space is dropped), then trimmed
    (qformat_xml::getpath, import_text). Expat is the parser PHP's xml extension runs too."""
    texts: list[str] = []
    pieces: list[list[str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        pieces.append([])

    def end(name: str) -> None:
        mine = pieces.pop()
        if name == "text":
            texts.append("".join(mine).strip())

    def characters(data: str) -> None:
        if data == "0" or data.strip():
            pieces[-1].append(data)

    parser = xml.parsers.expat.ParserCreate("UTF-8")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    parser.Parse(document.encode("utf-8"), True)
    return texts


# ------------------------------------------------------------- Moodle's own files, the references

INVALID_GRADES = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 1  -->
  <question type="multichoice">
    <name>
      <text><![CDATA[Question with <strong>invalid grades</strong> : x > 1 & x < 2]]></text>
    </name>
    <questiontext format="html">
      <text><![CDATA[Select all prime numbers :<br>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>false</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="-50" format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">1<br></p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="33" format="html"> <!-- Invalid grade. -->
      <text><![CDATA[<p dir="ltr" style="text-align: left;">2<br></p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="33.33333" format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">3<br></p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="-50" format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">4<br></p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="33.33333" format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">5<br></p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>
</quiz>
"""

# xmlformat_test.php: test_export_multichoice, test_export_numerical, test_export_essay (in a <quiz>)
MOODLE_EXPORTS = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
        <text>$course$/Default for testhead/Multichoice</text>
    </category>
  </question>
  <question type="multichoice">
    <name>
      <text>Multiple choice question</text>
    </name>
    <questiontext format="html">
      <text>Which are the even numbers?</text>
    </questiontext>
    <generalfeedback format="html">
      <text>The even numbers are 2 and 4.</text>
    </generalfeedback>
    <defaultgrade>2</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>false</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text><![CDATA[<p>Your answer is correct.</p>]]></text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text><![CDATA[<p>Your answer is partially correct.</p>]]></text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text><![CDATA[<p>Your answer is incorrect.</p>]]></text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="0" format="plain_text">
      <text>1</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="100" format="plain_text">
      <text>2</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="0" format="plain_text">
      <text>3</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="100" format="plain_text">
      <text>4</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <hint format="html">
      <text>Hint 1.</text>
    </hint>
    <hint format="html">
      <text>Hint 2.</text>
    </hint>
  </question>
  <question type="numerical">
    <name>
      <text>Numerical question</text>
    </name>
    <questiontext format="html">
      <text>What is the answer?</text>
    </questiontext>
    <generalfeedback format="html">
      <text>General feedback: Think Hitch-hikers guide to the Galaxy.</text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.1</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="plain_text">
      <text>42</text>
      <feedback format="html">
        <text>Well done!</text>
      </feedback>
      <tolerance>0.001</tolerance>
    </answer>
    <answer fraction="0" format="plain_text">
      <text>13</text>
      <feedback format="html">
        <text>What were you thinking?!</text>
      </feedback>
      <tolerance>1</tolerance>
    </answer>
    <answer fraction="0" format="plain_text">
      <text>*</text>
      <feedback format="html">
        <text>Completely wrong.</text>
      </feedback>
      <tolerance>0</tolerance>
    </answer>
  </question>
  <question type="essay">
    <name>
      <text>An essay</text>
    </name>
    <questiontext format="moodle_auto_format">
      <text>Write something.</text>
    </questiontext>
    <generalfeedback format="moodle_auto_format">
      <text>I hope you wrote something interesting.</text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <responseformat>monospaced</responseformat>
    <responserequired>0</responserequired>
    <responsefieldlines>42</responsefieldlines>
    <minwordlimit>10</minwordlimit>
    <maxwordlimit>20</maxwordlimit>
    <attachments>-1</attachments>
    <attachmentsrequired>1</attachmentsrequired>
    <maxbytes>52428800</maxbytes>
    <filetypeslist>.pdf,.zip.,.docx</filetypeslist>
    <graderinfo format="html">
      <text><![CDATA[<p>Grade <b>generously</b>!</p>]]></text>
    </graderinfo>
    <responsetemplate format="html">
      <text><![CDATA[<p>Here is something <b>really</b> interesting.</p>]]></text>
    </responsetemplate>
  </question>
</quiz>
"""


def test_the_validator_accepts_moodles_own_exports() -> None:
    assert moodle_problems(MOODLE_EXPORTS) == []


def test_the_validator_refuses_what_moodles_fixture_refuses() -> None:
    problems = moodle_problems(INVALID_GRADES)
    assert len(problems) == 1 and "['33']" in problems[0]
    assert moodle_problems(INVALID_GRADES.replace('fraction="33"', 'fraction="33.33333"')) == []


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        (("<name>\n      <text>Numerical question</text>\n    </name>", ""), "xmlimportnoname"),
        (("<text>42</text>", "<text>forty-two</text>"), "invalidnumericanswer"),
        (("<responseformat>monospaced", "<responseformat>latex"), "response_formats"),
        (('<answer fraction="100" format="plain_text">\n      <text>2', '<answer fraction="45" format="plain_text">'
          "\n      <text>2"), "invalidgrade"),
        (('<answer fraction="100" format="plain_text">\n      <text>42', '<answer fraction="90" format="plain_text">'
          "\n      <text>42"), "no answer worth 100 %"),
        (("<tolerance>0.001</tolerance>", "<tolerance>1 %</tolerance>"), "invalidnumerictolerance"),
        (("<attachments>-1</attachments>", "<attachments>many</attachments>"), "whole number"),
        (("<quiz>", "<quiz><questions/>"), "only <question>"),
        (('<generalfeedback format="html">', '<generalfeedback format="tex">'), "trans_format"),
        (("<single>false</single>", "<single>true</single><answernumber>abc</answernumber>"), "does not read"),
        (("<text>$course$/Default for testhead/Multichoice</text>", ""), "import_category"),
    ],
)  # fmt: skip
def test_the_validator_refuses_each_broken_rule(broken: tuple[str, str], complaint: str) -> None:
    old, new = broken
    assert old in MOODLE_EXPORTS
    problems = moodle_problems(MOODLE_EXPORTS.replace(old, new, 1))
    assert any(complaint in p for p in problems), problems


# ------------------------------------------------------------------------------------ the writer

x = sp.Symbol("x", real=True)
PROBLEMS = ["x^2 e^{3x}", "\\frac{\\sin(x^2)}{x}", "\\ln(x^2 + 1)", "x^2 \\sin x", "\\frac{x^2}{x + 1}"]
POINTS = {"x^2 e^{3x}": 1, "\\ln(x^2 + 1)": 2}


def _distractors(problem: str) -> tuple[sp.Expr, sp.Expr, list[Distractor]]:
    f = parse(problem)
    key = sp.diff(f, x)
    return f, key, derivative_distractors(f, x, key)


def _quiz() -> list[Category]:
    derivatives, values = [], []
    for index, problem in enumerate(PROBLEMS):
        f, key, found = _distractors(problem)
        text = f"<p>Differentiate {tex(latex(f))} with respect to {tex('x')}.</p>"
        derivatives.append(multichoice(f"Derivative {index + 1}", text, latex(key), found, points=2))
    for problem, point in POINTS.items():
        f = parse(problem)
        value = sp.diff(f, x).subs(x, point)
        text = f"<p>Work out {tex(f'f({point})')} for {tex('f(x) = ' + latex(f))}.</p>"
        values.append(numerical(f"Slope at {point}", text, value, general_feedback_html=f"<p>{tex(latex(value))}</p>"))
    explain = essay("Why the chain rule", "<p>Explain why (sin x²)' is not cos x².</p>", "<p>The inner 2x.</p>")
    return [Category("Handout/Derivatives", derivatives), Category("Handout/Slopes", [*values, explain])]


@pytest.fixture(scope="module")
def quiz() -> tuple[list[Category], str]:
    categories = _quiz()
    return categories, moodle_xml(categories)


def test_the_quiz_is_valid_for_moodles_importer(quiz: tuple[list[Category], str]) -> None:
    assert moodle_problems(quiz[1]) == []


def test_the_quiz_has_the_expected_questions(quiz: tuple[list[Category], str]) -> None:
    root = ET.fromstring(quiz[1])
    kinds = [q.get("type") for q in root.findall("question")]
    assert kinds == ["category", *["multichoice"] * len(PROBLEMS), "category", "numerical", "numerical", "essay"]
    paths = [q.findtext("category/text") for q in root.findall("question[@type='category']")]
    assert paths == ["$course$/top/Handout/Derivatives", "$course$/top/Handout/Slopes"]
    assert [q.findtext("defaultgrade") for q in root.findall("question[@type='multichoice']")] == ["2"] * 5


def test_every_multichoice_question_has_three_real_mistakes_none_the_key(quiz: tuple[list[Category], str]) -> None:
    root = ET.fromstring(quiz[1])
    questions = root.findall("question[@type='multichoice']")
    for problem, question in zip(PROBLEMS, questions, strict=True):
        f = parse(problem)
        key = sp.diff(f, x)
        answers = question.findall("answer")
        right = [a for a in answers if a.get("fraction") == "100"]
        wrong = [a for a in answers if a.get("fraction") == "0"]
        assert len(right) == 1 and len(wrong) >= 3 and len(right) + len(wrong) == len(answers)
        assert right[0].findtext("text") == f"\\({latex(key)}\\)"
        # each wrong option is the answer a mistake gives here, worked again by the mistake engine
        engine = {c.mistake: c.answer for c in candidates(f, x)}
        shown = {f"\\({latex(answer)}\\)": mistake for mistake, answer in engine.items()}
        mistakes = [shown[a.findtext("text", "")] for a in wrong]
        for option, mistake in zip(wrong, mistakes, strict=True):
            answer = engine[mistake]
            assert MISTAKES[mistake].meaning in (option.findtext("feedback/text") or "")
            assert sp.simplify(answer - key) != 0 and not numerically_equal(answer, key, domain_of=f), mistake
        for i, a in enumerate(mistakes):
            for b in mistakes[i + 1 :]:
                assert not numerically_equal(engine[a], engine[b], domain_of=f), (a, b)


def test_numerical_answers_are_the_values_with_a_tolerance(quiz: tuple[list[Category], str]) -> None:
    root = ET.fromstring(quiz[1])
    for (problem, point), question in zip(POINTS.items(), root.findall("question[@type='numerical']"), strict=True):
        value = float(sp.diff(parse(problem), x).subs(x, point))
        answer = question.find("answer")
        assert answer is not None and answer.get("fraction") == "100"
        assert float(answer.findtext("text", "")) == pytest.approx(value, rel=1e-15)
        tolerance = float(answer.findtext("tolerance", ""))
        assert 5e-4 * abs(value) < tolerance < 2e-3 * abs(value)  # four significant figures are right


def test_same_input_gives_byte_identical_output(quiz: tuple[list[Category], str]) -> None:
    again = moodle_xml(_quiz())
    assert again.encode("utf-8") == quiz[1].encode("utf-8")


HOSTILE = "A]]>B <script>alert(\"x\" & 'y')</script> — é ü 日本 λ ∂ 🙂\x01\x0b\ud800 &amp; ]]]]><![CDATA["


def test_hostile_strings_are_escaped_and_read_back() -> None:
    mc = multichoice(HOSTILE, f"<p>{HOSTILE}</p>", "x < 1 & y > 2", _distractors("x^2 \\sin x")[2],
                     general_feedback_html=HOSTILE)  # fmt: skip
    questions = [mc, numerical(HOSTILE, HOSTILE, sp.Rational(1, 3)), essay(HOSTILE, HOSTILE, HOSTILE)]
    document = moodle_xml([Category(HOSTILE.replace("/", ""), questions)])
    root = ET.fromstring(document.encode("utf-8"))  # well-formed
    outside_cdata = re.sub(r"<!\[CDATA\[.*?\]\]>", "", document, flags=re.DOTALL)
    assert "<script" not in outside_cdata and "]]>" not in outside_cdata and "&amp;amp;" not in document
    assert moodle_problems(document) == []
    clean = re.sub(r"[\x01\x0b\ud800]", "", HOSTILE)
    names = [q.findtext("name/text") for q in root.findall("question") if q.get("type") != "category"]
    assert names == [clean] * 3  # every character XML can carry is read back
    assert root.findtext("question/category/text") == "$course$/top/" + clean.replace("/", "")
    # and Moodle's own text assembly gets them too
    texts = moodle_texts(document)
    assert clean in texts and f"<p>{clean}</p>" in texts and tex("x < 1 & y > 2") in texts


def test_text_comes_in_as_moodle_reads_it() -> None:
    html = "<p><b>chain</b> <i>rule</i></p>\n<p>second\nline</p>"
    document = moodle_xml([Category("T", [essay("e", html, "<p>a &amp; b</p> <p>c</p>")])])
    texts = moodle_texts(document)
    assert "<p><b>chain</b> <i>rule</i></p> <p>second line</p>" in texts
    assert "<p>a &amp; b</p> <p>c</p>" in texts
    # entities instead of CDATA would lose the space between two tags on the way in
    escaped = ET.tostring(ET.fromstring("<t><text>x</text></t>"), encoding="unicode")
    escaped = escaped.replace(">x<", ">&lt;b&gt;chain&lt;/b&gt; &lt;i&gt;rule&lt;/i&gt;<")
    assert moodle_texts(escaped) == ["<b>chain</b><i>rule</i>"]


def test_the_writer_refuses_what_moodle_would_not_import() -> None:
    with pytest.raises(ValueError, match="grade options"):
        moodle_xml([Category("T", [Question("q", "multichoice", "t", choices=[Choice("a", 100), Choice("b", 33)])])])
    with pytest.raises(ValueError, match="two options"):
        moodle_xml([Category("T", [Question("q", "multichoice", "t", choices=[Choice("a", 100)])])])
    with pytest.raises(ValueError, match="100 %"):
        moodle_xml([Category("T", [Question("q", "multichoice", "t", choices=[Choice("a", 50), Choice("b", 50)])])])
    with pytest.raises(ValueError, match="wrong option"):
        multichoice("q", "t", "x", [])
    with pytest.raises(ValueError, match="finite"):
        numerical("q", "t", sp.zoo)
    with pytest.raises(ValueError, match="name"):
        moodle_xml([Category("T", [essay("  ", "t")])])
    with pytest.raises(ValueError, match="empty part"):
        category_path("Handout/ /Derivatives")
    # Moodle splits a category path at a single "/" (question/format.php): "//" is a slash in a name
    assert category_path("Handout//Derivatives/1 Rules") == "$course$/top/Handout//Derivatives/1 Rules"


def test_grade_options_are_written_as_moodle_writes_them() -> None:
    choices = [Choice("a", 100), Choice("b", 83.33333), Choice("c", 100 / 3), Choice("d", -50), Choice("e", 0)]
    document = moodle_xml([Category("T", [Question("q", "multichoice", "t", choices=choices)])])
    fractions = [a.get("fraction") for a in ET.fromstring(document).iter("answer")]
    assert fractions == ["100", "83.33333", "33.33333", "-50", "0"]
    assert moodle_problems(document) == []
