"""The self-contained HTML page (render/page.py): every result the handout shows becomes a page
whose maths is all MathML (no TeX left, no fallback), that parses with balanced tags and holds no
script and no address; and what latex2mathml gets wrong is mended, or shown as TeX and counted."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pytest

import stepsolver as ss
from stepsolver import matrix_gradient
from stepsolver.lecture import lecture_work
from stepsolver.render import render
from stepsolver.render.page import MATHML_NAMESPACE, MathMLError, Page, html_page, mathml, page
from tests.helpers import load_cases

MATRIX_CASES = load_cases("lecture.json")["matrix_calculus"]
MODELS = ["logistic", "linear", "logistic_l2", "softmax", "mlp"]
# elements HTML closes itself; inside <svg> and <math> a "/>" closes the element instead
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@functools.cache
def lecture_items() -> dict[str, Any]:
    return {f"{topic}-{index}": item for topic, items in lecture_work().items() for index, item in enumerate(items)}


@functools.cache
def matrix_item(index: int) -> Any:
    case = MATRIX_CASES[index]
    return matrix_gradient(case["f"], case["wrt"], {name: tuple(shape) for name, shape in case["shapes"].items()})


@functools.cache
def model_item(name: str) -> Any:
    from stepsolver.models.api import model

    return model(name).derivation


class _Balanced(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-3:]}")
            return
        self.open.pop()


def assert_sound_page(built: Page) -> None:
    html = built.html
    assert built.fallbacks == 0, re.findall(r'<code class="tex-fallback"[^>]*>(.*?)</code>', html)[:3]
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    for delimiter in ("\\(", "\\)", "\\[", "\\]", "$$"):
        assert delimiter not in html, (delimiter, html[max(0, html.find(delimiter) - 200) : html.find(delimiter) + 200])
    parser = _Balanced()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:3]
    assert not parser.open, parser.open
    assert "<script" not in html.lower()
    assert "http" not in html.replace(f'xmlns="{MATHML_NAMESPACE}"', "").lower()
    maths = re.findall(r"<math\b.*?</math>", html, re.S)
    assert maths
    for element in maths:  # each one well-formed XML too: what a strict (XHTML) reader needs
        ElementTree.fromstring(element)


@pytest.mark.parametrize("name", list(lecture_items()))
def test_every_lecture_example_makes_a_sound_page(name: str) -> None:
    item = lecture_items()[name]
    assert_sound_page(page(f"Lecture: {name}", render(item, "html")))


@pytest.mark.parametrize("index", range(len(MATRIX_CASES)), ids=[case["f"][:24] for case in MATRIX_CASES])
def test_the_lectures_matrix_gradients_make_sound_pages(index: int) -> None:
    assert_sound_page(page("Matrix gradient", render(matrix_item(index), "html")))


@pytest.mark.parametrize("name", MODELS)
def test_every_model_derivation_makes_a_sound_page(name: str) -> None:
    built = page(f"The {name} model", render(model_item(name), "html"), open_details=True)
    assert_sound_page(built)
    assert "<details open>" in built.html
    # wide chains are broken into lines rather than run off the page
    if name == "mlp":
        assert 'class="cont"' in built.html


def test_the_other_model_results_render_as_html() -> None:
    from stepsolver.models.api import model
    from stepsolver.models.compare import SklearnComparison

    linear = model("linear")
    X, y = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([2.0, 4.1, 5.9, 8.2])
    comparison = SklearnComparison("linear", rows=[("w", 2.04, 2.04), ("b", -0.05, -0.05)], iterations=(404, 1),
                                   seconds=(0.01, 0.002), reference="LinearRegression")  # fmt: skip
    for result in (linear.check(), linear.fit(X, y), comparison, SklearnComparison("linear", note="not installed")):
        # these are words and numbers: the \\(x\\) is there for the page's maths checks
        assert_sound_page(page("Model", render(result, "html") + r"<p>\(x\)</p>"))


def test_an_entrywise_view_renders_as_html() -> None:
    from stepsolver.matrixcalc.entrywise import entrywise

    view = entrywise(matrix_gradient(r"b^\top x", "x", {"b": ("n",), "x": ("n",)}))
    assert_sound_page(page("Entry by entry", render(view, "html")))


def test_the_maths_is_mathml_of_the_right_expression() -> None:
    built = page("d/dx x^2", render(ss.differentiate("x^2"), "html"))
    assert_sound_page(built)
    assert "<mn>2</mn><mi>x</mi>" in built.html  # the answer 2x
    # a derivation is a table, a row per step, the rule as words in its own column
    assert '<table class="chain">' in built.html
    assert re.search(r'<td class="note">Power rule\b', built.html)
    assert mathml("x^2").startswith(f'<math xmlns="{MATHML_NAMESPACE}" display="inline">')
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in mathml("x^2")
    assert 'display="block"' in mathml("x^2", display=True)


def test_hostile_text_in_the_title_and_language_is_escaped() -> None:
    html = html_page("<script>alert(1)</script> & co", r"<p>\(x\)</p>", lang='en"><script>')
    assert "<script" not in html.lower()
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in html
    assert 'lang="en&quot;&gt;&lt;script&gt;"' in html


def test_text_in_maths_is_escaped_and_its_tex_escapes_read() -> None:
    shown = mathml(r"\text{a < b \& c --- d}")
    assert "&lt;" in shown and "&amp;" in shown and "—" in shown and "\\" not in shown
    ElementTree.fromstring(shown)
    # $…$ inside \text{…} is maths (the row operations' "R2 $\leftarrow$ R2 - 3$\cdot$R1")
    shown = mathml(r"\text{R2 $\leftarrow$ R2}")
    assert "<mo>←</mo>" in shown and "$" not in shown


@pytest.mark.parametrize(
    "tex, expected",
    [
        (r"\mathbb{1}", "𝟙"),
        (r"\mathbf{x}", "𝐱"),
        (r"\mathbf{1}", "𝟏"),
        (r"\boldsymbol{x}", "𝒙"),
        (r"\mathbb{R}^n", "ℝ"),
        (r"\operatorname{diag}(x)", "<mi>diag</mi>"),
        (r"\mathrm{d}x", '<mi mathvariant="normal">d</mi>'),
        (r"a \odot b \oslash c", "<mo>⊙</mo>"),
        (r"X^\top", "<mo>⊤</mo>"),
        (r"R_2 \leftarrow R_2 - 3 R_1", "<mo>←</mo>"),
        (r"\frac{\partial f}{\partial x}", "<mo>∂</mo>"),
        (r"\left(\begin{array}{cc|cc}1 & 2 & 1 & 0\\3 & 4 & 0 & 1\end{array}\right)", "border-right"),
        (r"\begin{matrix}1 & 2\\3 & 4\end{matrix}", "<mtd><mn>4</mn></mtd>"),
        (r"x = \begin{aligned}a &= b\\ &= c\end{aligned}", "<mtable"),
        (r"2 \cdot \left(-1\right)", "<mrow><mo>−</mo><mn>1</mn></mrow>"),  # a sign: first in its row
        (r"a = -2x", '<mo>=</mo><mo form="prefix">−</mo>'),
        (r"\sigma\!\left(z\right)", 'width="-0.1667em"'),
    ],
)
def test_what_latex2mathml_gets_wrong_is_mended(tex: str, expected: str) -> None:
    shown = mathml(tex)
    assert expected in shown, shown
    assert 'mathvariant="bold' not in shown and "double-struck" not in shown and "columnlines" not in shown
    ElementTree.fromstring(shown)


def test_plain_parentheses_where_nothing_is_tall_and_stretchy_ones_around_a_fraction() -> None:
    assert 'stretchy="true"' not in mathml(r"\ln\left(x\right)")
    assert 'stretchy="true"' in mathml(r"\left(\frac{1}{x}\right)")


def test_what_cannot_be_converted_is_shown_as_tex_and_counted() -> None:
    with pytest.raises(MathMLError):
        mathml(r"\foo x")
    with pytest.raises(MathMLError):
        mathml(r"a & b")
    built = page("t", r"<p>\(\foo x\) and \[x^{2\] and \(y\)</p>")
    assert built.fallbacks == 2
    assert '<code class="tex-fallback" title="TeX: not converted to MathML">\\foo x</code>' in built.html
    assert built.html.count("<math") == 1
    # an opening delimiter with no closing one stays as typed, and is counted
    assert page("t", r"<p>\(x</p>").fallbacks == 1


def test_code_pictures_and_attributes_are_left_alone() -> None:
    body = r'<pre><code>\(x\)</code></pre><p title="\(y\)">\(z\)</p><svg xmlns="http://www.w3.org/2000/svg"><text>\(w\)</text></svg>'
    built = page("t", body)
    assert r"<pre><code>\(x\)</code></pre>" in built.html
    assert r'title="\(y\)"' in built.html and r"<text>\(w\)</text>" in built.html
    assert built.html.count("<math") == 1
    assert "http://www.w3.org/2000/svg" not in built.html  # inline SVG needs no namespace in HTML


def test_two_pictures_keep_their_own_ids() -> None:
    picture = "<svg><defs><marker id='arrow'></marker></defs><line marker-end='url(#arrow)'/></svg>"
    html = html_page("t", picture + picture)
    assert "id='arrow-1'" in html and "url(#arrow-2)" in html and "id='arrow'" not in html


def test_a_chain_too_wide_for_the_page_breaks_before_an_operator() -> None:
    terms = " + ".join(rf"\frac{{a_{{{i}}}}}{{b_{{{i}}}}} x^{{{i}}}" for i in range(40))
    body = rf"<p>\[\begin{{aligned}}f &= {terms} && \text{{Sum rule}}\\ &= g && \text{{Simplify}}\end{{aligned}}\]</p>"
    built = page("t", body)
    assert built.fallbacks == 0
    rows = re.findall(r"<tr[^>]*>.*?</tr>", built.html, re.S)
    assert sum('class="cont"' in row for row in rows) >= 2
    # every term is still there, once, and the sum is still sums: the lines start with "+"
    assert built.html.count("<mi>a</mi>") == 40
    assert all(re.search(r'<td class="rhs"><math[^>]*><mrow><mstyle[^>]*><mrow></mrow><mrow></mrow><mo>\+</mo>', row)
               for row in rows if 'class="cont"' in row)  # fmt: skip
