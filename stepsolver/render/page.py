"""A whole HTML page that needs nothing else: the maths as MathML, made here with latex2mathml, so
the page opens offline, prints, and has no <script> and no address to fetch.

The HTML renderer writes its maths as \\( … \\) and \\[ … \\] for a notebook's MathJax; ``page``
replaces each by MathML. What latex2mathml gets wrong is mended here: a derivation's aligned
block (which it does not know: its ``&`` comes out as a literal, unescaped ``<mi>&</mi>``) becomes
an HTML table, a row per step, with the rule in its own column as text; maths inside \\text{…};
text-mode escapes (\\&, \\_, --); raw ``<`` and ``&`` in text (its own serialiser does not escape
them); \\operatorname as an operator; bold and double-struck letters and the lines of an
array{cc|cc}, which only Firefox draws from MathML attributes, as Unicode letters and CSS borders.
A fragment that still fails is shown as its TeX in <code>, and counted."""

from __future__ import annotations

import re
import unicodedata
from html import escape, unescape
from typing import NamedTuple
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element

from ..errors import StepsolverError

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"


class MathMLError(StepsolverError, ValueError):
    """A TeX fragment latex2mathml cannot turn into MathML that shows it faithfully."""


class Page(NamedTuple):
    html: str
    fallbacks: int  # TeX fragments shown as TeX, not MathML: a caller (or test) asserts 0


def html_page(title: str, body_html: str, lang: str = "en", *, open_details: bool = False) -> str:
    """A complete HTML5 document around ``body_html``, its maths as MathML (see ``page``)."""
    return page(title, body_html, lang, open_details=open_details).html


def page(title: str, body_html: str, lang: str = "en", *, open_details: bool = False) -> Page:
    """The page and how many fragments fell back to TeX. ``title`` is plain text (escaped here);
    ``open_details``: side derivations unfolded, for a page that will be printed (a browser
    prints a closed <details> closed)."""
    body, fallbacks = convert_maths(_inline_svg(body_html))
    if open_details:
        body = re.sub(r"<details(?=[\s>])(?![^>]*\bopen\b)", "<details open", body)
    document = _PAGE.format(lang=escape(lang, quote=True), title=escape(title), style=_STYLE, body=body)
    return Page(document, fallbacks)


def mathml(tex: str, display: bool = False) -> str:
    """``tex`` (maths mode, no delimiters) as one <math> element; MathMLError if it cannot be
    shown faithfully (a command latex2mathml does not know, unbalanced braces)."""
    return _serialised(_element(tex, display))


def _element(tex: str, display: bool) -> Element:
    if not _balanced(tex):
        # latex2mathml closes a missing } where it likes: shown so, it would not be what was meant
        raise MathMLError(f"unbalanced braces or environments in {tex!r}")
    try:
        root = convert_to_element(_prepare(tex), display="block" if display else "inline")
    # latex2mathml raises its own exception classes, and IndexError or StopIteration on input
    # it cannot read: none of them is documented, so any of them means "not converted"
    except Exception as error:
        raise MathMLError(f"latex2mathml cannot convert {tex!r}: {type(error).__name__} {error}") from error
    _mend(root, tex)
    return root


def _serialised(root: Element) -> str:
    return tostring(root, encoding="unicode", short_empty_elements=False)


def convert_maths(body_html: str) -> tuple[str, int]:
    """``body_html`` with each \\( … \\), \\[ … \\] and $$ … $$ in its text replaced by MathML (or
    by the TeX in <code>), and the number of fallbacks. Text inside <pre>, <code>, <svg>, <math>,
    <script>, <style> and <textarea> is left alone, and so are attributes."""
    out: list[str] = []
    fallbacks = 0
    raw: list[str] = []
    for piece in _TAGS.split(body_html):
        if piece.startswith("<"):
            out.append(piece)
            name = _tag_name(piece)
            if name in _RAW and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if raw and raw[-1] == name:
                        raw.pop()
                else:
                    raw.append(name)
            continue
        if raw:
            out.append(piece)
            continue
        shown, failed = _text_with_maths(piece)
        out.append(shown)
        fallbacks += failed
    return "".join(out), fallbacks


# ---- the body's text: find the maths, convert each piece ----

_TAGS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW = {"pre", "code", "svg", "math", "script", "style", "textarea"}
# a TeX token at a time (\\ and \) are tokens), so \\) inside maths does not end it
_MATHS = re.compile(
    r"\\\((?P<inline>(?:\\.|[^\\])*?)\\\)|\\\[(?P<display>(?:\\.|[^\\])*?)\\\]|\$\$(?P<dollars>(?:\\.|[^\\$])*?)\$\$",
    re.S,
)
_LEFT_OVER = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$")


def _tag_name(tag: str) -> str:
    match = re.match(r"</?\s*([A-Za-z][\w:-]*)", tag)
    return match.group(1).lower() if match else ""


def _text_with_maths(text: str) -> tuple[str, int]:
    out: list[str] = []
    fallbacks = 0
    end = 0
    for match in _MATHS.finditer(text):
        before = text[end : match.start()]
        # an opening delimiter with no closing one stays as typed: visible, so counted
        fallbacks += len(_LEFT_OVER.findall(before))
        display = match.group("inline") is None
        tex = match.group("inline") if not display else match.group("display") or match.group("dollars") or ""
        shown, failed = _maths(unescape(tex), display)
        out += [before, shown]
        fallbacks += failed
        end = match.end()
    fallbacks += len(_LEFT_OVER.findall(text[end:]))
    return "".join(out) + text[end:], fallbacks


def _maths(tex: str, display: bool) -> tuple[str, int]:
    aligned = _whole_aligned(tex) if display else None
    if aligned is not None:
        return _aligned_table(aligned)
    try:
        return mathml(tex, display), 0
    except MathMLError:
        return _fallback(tex, display), 1


def _fallback(tex: str, display: bool) -> str:
    code = f'<code class="tex-fallback" title="TeX: not converted to MathML">{escape(tex.strip())}</code>'
    return f'<div class="tex-fallback-block">{code}</div>' if display else code


# ---- TeX at the top level: rows, cells, \text{…} ----

_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)", re.S)
_ALIGNED = re.compile(r"\s*\\begin\{(aligned|align\*?|split|gathered)\}(?P<body>.*)\\end\{\1\}\s*", re.S)
_SPACING = re.compile(r"(?:\\[ ,;:!]|\\q?quad|~|\s)*")


def _top_level(tex: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of each token outside every brace, environment and \\left … \\right:
    the places where an aligned block's rows and cells, and a rule's words, may be split."""
    tokens = []
    depth = 0
    i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            match = _COMMAND.match(tex, i)
            token = match.group(0) if match else "\\"
            if token in (r"\begin", r"\left"):
                depth += 1
            elif token in (r"\end", r"\right"):
                depth -= 1
            elif depth == 0:
                tokens.append((i, i + len(token), token))
            i += len(token)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            tokens.append((i, i + 1, char))
        i += 1
    return tokens


def _balanced(tex: str) -> bool:
    depth = 0
    i = 0
    while i < len(tex):
        if tex[i] == "\\":
            match = _COMMAND.match(tex, i)
            token = match.group(0) if match else "\\"
            depth += {r"\begin": 1, r"\end": -1}.get(token, 0)
            i += len(token)
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def _split(tex: str, separator: str) -> list[str]:
    parts = []
    start = 0
    for begin, end, token in _top_level(tex):
        if token == separator:
            parts.append(tex[start:begin])
            start = end
    return [*parts, tex[start:]]


def _whole_aligned(tex: str) -> str | None:
    """The body of a display that is one aligned block and nothing else, or None."""
    match = _ALIGNED.fullmatch(tex)
    if match is None or not _balanced(match.group("body")):
        return None
    return match.group("body")


# How wide a page's line of maths is, in characters of maths as _width counts them (measured in
# Chrome: 0.53em each, 0.44 to 0.66): 49em on screen (54rem less padding) and in print (A4 less
# margins at 10.5pt)
_LINE = 86
_NOTE = 22  # the least a rule column needs beside the maths before it is better under it
_NOTE_LINE = 60  # a rule's bindings, in its smaller type under the step
_INDENT = 4  # a left side on a line of its own: the steps below it start this far in


class _Cell(NamedTuple):
    html: str
    width: float


class _Fallbacks:
    def __init__(self) -> None:
        self.count = 0


def _aligned_table(body: str) -> tuple[str, int]:
    """An aligned block as an HTML table: each line a row, the maths of each cell converted on
    its own; after ``&&`` the rule, its \\text{…} as words in a muted column. MathML does not
    break lines, so a chain too wide for the page is laid out as one would make TeX lay it out:
    the rules under their steps, the left side on a line of its own, a long right side broken
    before a + or − (inside its outer parentheses if need be), and only then a smaller size."""
    lines = [re.sub(r"^\s*\[[^\]]*\]", "", line) for line in _split(body, "\\\\")]  # \\[2pt] spacing
    if len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    rows = [_split(line, "&") for line in lines]
    # a && in any row makes column 3 on the annotation: the chains' "left &= right && \text{rule}"
    notes = any(len(cells) > 2 and not cells[2].strip() for cells in rows)
    fallbacks = _Fallbacks()
    if not notes and max(len(cells) for cells in rows) > 2:
        return _grid(rows, fallbacks), fallbacks.count
    rows = [[*cells, "", ""][:2] + cells[2:] for cells in rows]
    maths = [(_cell(cells[0], False, fallbacks), _cell(cells[1], True, fallbacks)) for cells in rows]
    words = []
    for cells in rows:
        shown, failed = _words_and_maths(" ".join(c for c in cells[2:] if c.strip())) if notes else ("", 0)
        words.append(shown)
        fallbacks.count += failed
    lhs = max(row[0].width for row in maths)
    rhs = max(row[1].width for row in maths)
    lead = lhs > _LINE / 3 and lhs + rhs > _LINE and bool(maths[0][0].html)
    left = _INDENT if lead else lhs
    below = notes and left + rhs + _NOTE > _LINE
    out = []
    used = left + 1.0
    if lead:
        span = 2 if below or not notes else 3
        parts = [maths[0][0]]
        if lhs > _LINE:
            parts = _broken(rows[0][0], _LINE, fallbacks, right=False) or parts
        used = max(part.width for part in parts)
        for number, part in enumerate(parts):
            shown = f'<td class="lhs" colspan="{span}">{part.html}</td>'
            out.append(f'<tr class="lead{" cont" if number else ""}">{shown}</tr>')
    else:
        used = max(used, lhs)
    for (first_cell, right_cell), cells, note in zip(maths, rows, words, strict=True):
        parts = [right_cell]
        if left + right_cell.width > _LINE:
            parts = _broken(cells[1], _LINE - left - 1, fallbacks) or parts
        used = max(used, left + max(part.width for part in parts))
        for number, part in enumerate(parts):
            first, last = number == 0, number == len(parts) - 1
            shown = part.html + (f'<div class="note">{note}</div>' if below and last and note else "")
            lhs_html = first_cell.html if first and not lead else ""
            row = [f'<td class="lhs">{lhs_html}</td>', f'<td class="rhs">{shown}</td>']
            if notes and not below:
                row.append(f'<td class="note">{note if first else ""}</td>')
            out.append(("<tr>" if first else '<tr class="cont">') + "".join(row) + "</tr>")
    classes = "chain" + (" lead" if lead else "") + (" notes-below" if below else "")
    return _wrapped(classes, out, used), fallbacks.count


def _grid(rows: list[list[str]], fallbacks: _Fallbacks) -> str:
    """An aligned block of several equations a line (a &= b & c &= d): cells as they are."""
    columns = max(len(cells) for cells in rows)
    out = []
    used = 0.0
    for cells in rows:
        shown = [_cell(cell, index % 2 == 1, fallbacks) for index, cell in enumerate(cells + [""] * columns)][:columns]
        used = max(used, sum(cell.width for cell in shown))
        row = "".join(f'<td class="{"rhs" if i % 2 else "lhs"}">{c.html}</td>' for i, c in enumerate(shown))
        out.append(f"<tr>{row}</tr>")
    return _wrapped("chain", out, used)


def _wrapped(classes: str, rows: list[str], used: float) -> str:
    # what is still too wide is made smaller, down to three quarters, rather than cut off
    scale = max(0.75, min(1.0, _LINE / used)) if used else 1.0
    size = f' style="font-size:{scale:.2f}em"' if scale < 1 else ""
    return f'<div class="chain-wrap"><table class="{classes}"{size}>\n' + "\n".join(rows) + "\n</table></div>"


def _cell(tex: str, right: bool, fallbacks: _Fallbacks, display_style: bool = True) -> _Cell:
    if not tex.strip():
        return _Cell("", 0.0)
    # amsmath puts {} before a right-hand cell, so "= x" is a relation with its spacing
    source = (r"\displaystyle " if display_style else "") + ("{}" if right else "") + tex
    try:
        root = _element(source, display=False)
    except MathMLError:
        fallbacks.count += 1
        return _Cell(_fallback(tex, display=False), len(tex) * 0.6)
    return _Cell(_serialised(root), _width(root))


def _broken(
    tex: str, budget: float, fallbacks: _Fallbacks, right: bool = True, display_style: bool = True
) -> list[_Cell] | None:
    r"""A right side too wide for the page, broken before a binary operator (+, −, ⊙, ⊘, ·)
    into lines that fit, each line's \left … \right closed with a \right. or opened with a
    \left.; None where there is nowhere to break. Of the places a line could end, the one
    inside the fewest parentheses is taken, once the line is over half full."""
    cuts = _cuts(tex)
    if not cuts:
        return None
    starts = [0, *(at for at, _ in cuts)]
    depths = [0, *(depth for _, depth in cuts)]
    ends = [*starts[1:], len(tex)]
    # a line is about as wide as its pieces side by side: each piece measured once, on its own
    pieces = [tex[a:b] for a, b in zip(starts, ends, strict=True)]
    sizes = [_cell(_closed(piece), True, _Fallbacks(), display_style).width for piece in pieces]
    lines: list[str] = []
    first = 0  # the piece the current line starts with
    width = 0.0
    for index, size in enumerate(sizes):
        if index > first and width + size > budget:
            full = [j for j in range(first, index) if sum(sizes[first : j + 1]) >= budget / 2] or [index - 1]
            end = min(full, key=lambda j: (depths[j + 1], -j))
            lines.append(tex[starts[first] : ends[end]])
            first = end + 1
            width = sum(sizes[first:index])
        width += size
    lines.append(tex[starts[first] :])
    if len(lines) == 1:
        return None
    return [_cell(_closed(line), right or n > 0, fallbacks, display_style) for n, line in enumerate(lines)]


# after these a + or − is a sign, not a place to break the line
_NO_BREAK_AFTER = set("=+-({[,^_&<>") | {
    r"\cdot", r"\odot", r"\oslash", r"\times", r"\le", r"\ge", r"\ne", r"\approx", r"\to", r"\leftarrow",
    r"\pm", r"\mp", r"\quad", r"\,",
}  # fmt: skip
_BINARY = {"+", "-", r"\odot", r"\oslash", r"\cdot", r"\times"}


def _cuts(tex: str) -> list[tuple[int, int]]:
    r"""Where ``tex`` may break, and inside how many \left … \right: before each binary operator
    outside every brace and environment."""
    cuts = []
    groups: list[str] = []
    previous = ""
    i = 0
    while i < len(tex):
        char = tex[i]
        if char.isspace():
            i += 1
            continue
        at = i
        if char == "\\":
            match = _COMMAND.match(tex, i)
            token = match.group(0) if match else "\\"
            i += len(token)
            if token in (r"\begin", r"\left"):
                groups.append(token)
            elif token in (r"\end", r"\right") and groups:
                groups.pop()
            if token in (r"\left", r"\right"):  # the delimiter belongs to the \left or \right
                while i < len(tex) and tex[i].isspace():
                    i += 1
                delimiter = _COMMAND.match(tex, i)
                i += len(delimiter.group(0)) if delimiter else 1
                previous = "(" if token == r"\left" else ")"
                continue
        else:
            token = char
            i += 1
            if char == "{":
                groups.append(char)
            elif char == "}" and groups:
                groups.pop()
        breaks = token in _BINARY and previous and previous not in _NO_BREAK_AFTER
        if breaks and all(group == r"\left" for group in groups):
            cuts.append((at, len(groups)))
        previous = token
    return cuts


def _closed(line: str) -> str:
    r"""A line cut out of \left( … \right): what it opens closed by \right., what it closes
    opened by \left. (so each line is TeX on its own); {} before a leading operator keeps it binary."""
    opened = missing = 0
    for token in _COMMAND.findall(line):
        if token == r"\left":
            opened += 1
        elif token == r"\right":
            if opened:
                opened -= 1
            else:
                missing += 1
    stripped = line.lstrip()
    binary = any(stripped.startswith(op) for op in _BINARY) and not stripped.startswith(r"\cdots")
    return r"\left." * missing + ("{}" if binary else "") + line + r"\right." * opened


def _width(element: Element) -> float:
    """About how many characters wide ``element`` is drawn: enough to tell a chain that fits
    the page from one that does not."""
    children = list(element)
    tag = element.tag
    if tag in _TOKENS:
        text = element.text or ""
        return len(text) + (0.8 if tag == "mo" and text not in "()[]{}|" else 0.0)
    if tag == "mspace":
        match = re.match(r"(-?[\d.]+)em", element.get("width", ""))
        return float(match.group(1)) * 1.8 if match else 0.0
    if tag in ("mfrac", "munder", "mover", "munderover"):
        return max((_width(child) for child in children), default=0.0) + 0.4
    if tag in ("msub", "msup", "msubsup", "mmultiscripts") and children:
        return _width(children[0]) + 0.7 * max((_width(child) for child in children[1:]), default=0.0)
    if tag == "mtable":
        rows = [list(row) for row in children]
        count = max((len(row) for row in rows), default=0)
        return sum(max((_width(row[i]) for row in rows if i < len(row)), default=0.0) + 1.2 for i in range(count))
    if tag in ("msqrt", "mroot"):
        return sum(_width(child) for child in children) + 1.2
    return sum(_width(child) for child in children)


_TEXT_COMMANDS = (r"\text", r"\textrm", r"\textnormal", r"\mbox")


def _words_and_maths(tex: str) -> tuple[str, int]:
    """A rule column's TeX: its \\text{…} as HTML words, the maths between as MathML."""
    pieces: list[tuple[str, str]] = []  # ("text" | "maths", content)
    start = 0
    tokens = _top_level(tex)
    for begin, end, token in tokens:
        if token in _TEXT_COMMANDS and begin >= start:
            argument = _argument(tex, end)
            if argument is None:
                continue
            content, after = argument
            pieces.append(("maths", tex[start:begin]))
            pieces.append(("text", content))
            start = after
    pieces.append(("maths", tex[start:]))
    out = []
    fallbacks = 0
    for kind, content in pieces:
        if kind == "text":
            shown, failed = _text_mode(content)
        elif _SPACING.fullmatch(content):
            shown, failed = (" " if content else ""), 0
        else:
            shown, failed = _note_maths(content)
            shown = " " + shown
        out.append(shown)
        fallbacks += failed
    return "".join(out).strip(), fallbacks


def _note_maths(tex: str) -> tuple[str, int]:
    """A rule's bindings (G = …), broken into lines as the steps are where they are too wide."""
    fallbacks = _Fallbacks()
    cell = _cell(tex, False, fallbacks, display_style=False)
    if cell.width > _NOTE_LINE and not fallbacks.count:
        lines = _broken(tex, _NOTE_LINE, fallbacks, right=False, display_style=False)
        if lines:
            return "<br>".join(line.html for line in lines), fallbacks.count
    return cell.html, fallbacks.count


def _argument(tex: str, at: int) -> tuple[str, int] | None:
    """The braced argument starting at ``at`` (spaces before it allowed) and the index after it."""
    i = at
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex) or tex[i] != "{":
        return None
    depth = 0
    j = i
    while j < len(tex):
        if tex[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return tex[i + 1 : j], j + 1
        j += 1
    return None


_TEXT_ESCAPES = [(r"\^{}", "^"), (r"\~{}", "~"), (r"\textbackslash{}", "\\"), ("---", "—"), ("--", "–"),
                 ("``", "“"), ("''", "”")]  # fmt: skip
_TEXT_ESCAPED = re.compile(r"\\([&%_#$\{\}])")
_DOLLARS = re.compile(r"(?<!\\)\$((?:\\.|[^\\$])+)\$")


def _text_mode(content: str) -> tuple[str, int]:
    """TeX text mode as HTML: escapes decoded, dashes as dashes, $…$ inside it as MathML."""
    out = []
    fallbacks = 0
    end = 0
    for match in _DOLLARS.finditer(content):
        out.append(_plain(content[end : match.start()]))
        shown, failed = _maths(match.group(1), display=False)
        out.append(shown)
        fallbacks += failed
        end = match.end()
    out.append(_plain(content[end:]))
    words = "".join(out)
    if any(_COMMAND.match(part) for part in re.findall(r"\\[A-Za-z]+", _plain_tex(content))):
        return _fallback(content, display=False), fallbacks + 1
    return words, fallbacks


def _plain_tex(content: str) -> str:
    """The text with its maths and known escapes taken out: what is left over is TeX not read."""
    rest = _DOLLARS.sub("", content)
    for tex, _ in _TEXT_ESCAPES:
        rest = rest.replace(tex, "")
    return _TEXT_ESCAPED.sub("", rest)


def _plain(words: str) -> str:
    for tex, char in _TEXT_ESCAPES:
        words = words.replace(tex, char)
    return escape(_TEXT_ESCAPED.sub(r"\1", words).replace("~", "\u00a0"), quote=False)


# ---- before latex2mathml: what it reads wrongly, rewritten into what it reads right ----


def _prepare(tex: str) -> str:
    # an aligned block inside other maths: latex2mathml knows align* (a two-column mtable)
    tex = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{align*}", tex)
    # \mathrm{d}: one upright letter, which latex2mathml leaves italic; as an operator name it
    # comes out as <mo>, which _mend makes an upright <mi>
    tex = re.sub(r"\\mathrm\{([A-Za-z])\}", r"\\operatorname{\1}", tex)
    return _maths_out_of_text(tex)


def _maths_out_of_text(tex: str) -> str:
    r"""\text{R1 $\leftarrow$ R1}: latex2mathml prints the $…$ as typed; split into text and maths."""
    out = []
    i = 0
    for match in re.finditer(r"\\(?:text|textrm|textnormal|mbox)(?![A-Za-z])", tex):
        if match.start() < i:
            continue
        argument = _argument(tex, match.end())
        if argument is None or not _DOLLARS.search(argument[0]):
            continue
        content, after = argument
        pieces = []
        end = 0
        for inner in _DOLLARS.finditer(content):
            if content[end : inner.start()]:
                pieces.append(rf"\text{{{content[end : inner.start()]}}}")
            pieces.append("{" + inner.group(1) + "}")
            end = inner.end()
        if content[end:]:
            pieces.append(rf"\text{{{content[end:]}}}")
        out += [tex[i : match.start()], "{" + "".join(pieces) + "}"]
        i = after
    return "".join(out) + tex[i:]


# ---- after latex2mathml: its element tree, mended for browsers' MathML Core ----

_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]+);")
_TOKENS = {"mi", "mo", "mn", "mtext", "ms"}
# operators the MathML operator dictionary knows (limits under them in display): left as <mo>
_DICTIONARY_WORDS = {"lim", "max", "min", "sup", "inf", "liminf", "limsup", "det", "gcd", "Pr"}
_VARIANTS = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
             "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
             "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD", "monospace": "MONOSPACE"}  # fmt: skip
_TEXT_STYLES = {"bold": "font-weight:bold", "italic": "font-style:italic",
                "bold-italic": "font-weight:bold;font-style:italic", "monospace": "font-family:monospace",
                "sans-serif": "font-family:sans-serif"}  # fmt: skip
_NAMED_SPACES = {"veryverythinmathspace": 1, "verythinmathspace": 2, "thinmathspace": 3, "mediummathspace": 4,
                 "thickmathspace": 5, "verythickmathspace": 6, "veryverythickmathspace": 7}  # fmt: skip


def _decoded(value: str) -> str:
    return _REFERENCE.sub(lambda m: chr(int(m.group(1), 16)), value)


def _mend(root: Element, tex: str) -> None:
    for element in root.iter():
        # latex2mathml writes characters as "&#x…;" strings and relies on un-escaping its whole
        # output, which also un-escapes a "<" or "&" of the text: characters here, escaped by tostring
        if element.text:
            element.text = _decoded(element.text)
        if element.tail:
            element.tail = _decoded(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = _decoded(value)
        tag = element.tag
        if tag in _TOKENS:
            _mend_token(element, tex)
        elif tag == "mtable":
            _lines_as_borders(element)
        elif tag == "mspace":
            _named_space(element)
        if tag == "mtd" and "columnalign" in element.attrib:
            # MathML Core has no columnalign: Chrome centres every cell
            _add_style(element, f"text-align:{element.attrib.pop('columnalign')}")
    for row in list(root.iter("mrow")):
        _fit_fences(row)
    for parent in root.iter():
        _signs(parent)


_TALL = {"mfrac", "mtable", "msqrt", "mroot", "munder", "mover", "munderover"}
_CLOSING = set(")]}|‖⟩⌉⌋")
_SIGNS = {"−", "-", "+", "±", "∓"}


def _fit_fences(row: Element) -> None:
    """\\left( … \\right) as latex2mathml writes it, mended: what is between the fences in its
    own <mrow> (so a − first inside is a sign, not a binary minus with space around it), and
    around nothing taller than a line plain parentheses: Chrome draws a stretchy one from the
    math font's size variants with wide side bearings, ( x ) for (x)."""
    children = list(row)
    if len(children) < 3:
        return
    first, last = children[0], children[-1]
    if not all(f.tag == "mo" and f.get("fence") == "true" for f in (first, last)):
        return
    if first.get("form") != "prefix" or last.get("form") != "postfix":
        return
    inside = children[1:-1]
    if len(inside) > 1:
        inner = Element("mrow")
        for child in inside:
            row.remove(child)
            inner.append(child)
        row.insert(1, inner)
    tall = any(
        element.tag in _TALL and not (element.tag == "mover" and element.get("accent") == "true")
        for child in inside
        for element in child.iter()
    )
    if not tall:
        for fence in (first, last):
            fence.set("stretchy", "false")


def _signs(parent: Element) -> None:
    """A − right after an operator (= −2x, (−1)) is a sign: MathML Core reads it as a binary
    minus, with space on both sides, unless it is first in its row; TeX reads it as a sign."""
    previous: Element | None = None
    for child in parent:
        if child.tag == "mo" and (child.text or "") in _SIGNS and "form" not in child.attrib and previous is not None:
            after_operator = previous.tag == "mo" and previous.get("form") != "postfix"
            if after_operator and (previous.text or "") not in _CLOSING:
                child.set("form", "prefix")
        previous = child


def _mend_token(element: Element, tex: str) -> None:
    text = element.text or ""
    if ("\\" in text and element.tag != "mtext") or (element.tag in ("mi", "mo") and text == "&"):
        # an unknown command (\foo as <mi>\foo</mi>) or an alignment & outside an environment
        raise MathMLError(f"latex2mathml leaves {text!r} of {tex!r} as TeX")
    if element.tag == "mtext":
        for before, after in _TEXT_ESCAPES:
            text = text.replace(before, after)
        text = _TEXT_ESCAPED.sub(r"\1", text)
        if "\\" in text:
            raise MathMLError(f"latex2mathml leaves {text!r} of {tex!r} as TeX")
        element.text = text
    # \operatorname{tr}: latex2mathml makes it an operator, spaced as one and not upright when
    # a single letter; a name is an identifier (MathML Core draws a multi-letter <mi> upright)
    if element.tag == "mo" and text.isalpha() and text not in _DICTIONARY_WORDS and not element.attrib:
        element.tag = "mi"
        if len(text) == 1:
            element.set("mathvariant", "normal")
    variant = element.attrib.get("mathvariant")
    if variant is None or variant == "normal":
        return
    if element.tag == "mtext":
        if variant in _TEXT_STYLES:
            del element.attrib["mathvariant"]
            _add_style(element, _TEXT_STYLES[variant])
        return
    # MathML Core (Chrome) draws mathvariant="normal" only: bold, double-struck … must be the
    # Unicode mathematical letters themselves
    styled = [_styled(char, variant) for char in text]
    if all(char is not None for char in styled):
        element.text = "".join(char for char in styled if char is not None)
        del element.attrib["mathvariant"]


def _styled(char: str, variant: str) -> str | None:
    style = _VARIANTS.get(variant)
    name = unicodedata.name(char, "")
    if style is None or not name:
        return None
    if name.startswith("MATHEMATICAL "):
        return char  # already styled
    letter = re.fullmatch(r"(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER (\w+)", name)
    digit = re.fullmatch(r"DIGIT (\w+)", name)
    if letter:
        wanted = [f"MATHEMATICAL {style} {letter[1]} {letter[2]}", f"{style} {letter[1]} {letter[2]}"]
    elif digit:
        wanted = [f"MATHEMATICAL {style} DIGIT {digit[1]}"]
    else:
        return None
    for candidate in wanted:  # ℝ, ℕ, ℤ … live among the letterlike symbols, not the mathematical ones
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return None


def _lines_as_borders(table: Element) -> None:
    """array{cc|cc}'s columnlines (and rowlines) as CSS borders on the cells: MathML Core has no lines."""
    columns = table.attrib.pop("columnlines", "").split()
    rows = table.attrib.pop("rowlines", "").split()
    if not columns and not rows:
        return
    for row_index, row in enumerate(child for child in table if child.tag in ("mtr", "mlabeledtr")):
        row_line = rows[min(row_index, len(rows) - 1)] if rows else "none"
        cells = [child for child in row if child.tag == "mtd"]
        for column, cell in enumerate(cells):
            line = columns[min(column, len(columns) - 1)] if columns and column < len(cells) - 1 else "none"
            if line in ("solid", "dashed"):
                _add_style(cell, f"border-right:0.06em {line} currentColor")
            if row_line in ("solid", "dashed") and row_index < len(rows):
                _add_style(cell, f"border-bottom:0.06em {row_line} currentColor")


def _named_space(space: Element) -> None:
    """MathML Core has no named spaces (\\! is "negativethinmathspace"): lengths in em instead."""
    width = space.attrib.get("width", "")
    name = width.removeprefix("negative")
    if name in _NAMED_SPACES:
        sign = "-" if width.startswith("negative") else ""
        space.set("width", f"{sign}{_NAMED_SPACES[name] / 18:.4f}em")


def _add_style(element: Element, style: str) -> None:
    before = element.attrib.get("style", "")
    element.set("style", f"{before};{style}" if before else style)


# ---- the page ----


def _inline_svg(body: str) -> str:
    """The pictures as inline SVG in HTML: no namespace address (HTML's parser gives it), and
    each picture's ids its own (two graphs both defining "arrow" would share the first one's)."""
    count = 0

    def own_ids(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        picture = re.sub(r'\s+xmlns="http://www\.w3\.org/2000/svg"', "", match.group(0), count=1)
        for name in set(re.findall(r"""\bid=['"]([^'"]+)['"]""", picture)):
            own = f"{name}-{count}"
            picture = re.sub(rf"""\bid=(['"]){re.escape(name)}\1""", rf"id=\g<1>{own}\g<1>", picture)
            picture = re.sub(rf"url\(#{re.escape(name)}\)", f"url(#{own})", picture)
            picture = re.sub(rf"""href=(['"])#{re.escape(name)}\1""", rf"href=\g<1>#{own}\g<1>", picture)
        return picture

    return re.sub(r"<svg\b.*?</svg>", own_ids, body, flags=re.S)


_STYLE = """
:root { --ink: #1d1f23; --muted: #5c6370; --line: #d5d9e0; --soft: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 2rem auto; max-width: 54rem; padding: 0 1.25rem; color: var(--ink); background: #fff;
  font: 1.05rem/1.55 "Latin Modern Roman", "STIX Two Text", "Cambria", Georgia, serif; }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", math; }
math[display="block"] { margin: 0.7em 0; overflow-x: auto; overflow-y: hidden; padding: 0.1em 0; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 1rem; padding-bottom: 0.35em;
  border-bottom: 1px solid var(--line); }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
h4, h5 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
.stepsolver { margin: 0.8em 0 1.6em; }
.stepsolver .stepsolver { margin: 0.4em 0 1em; }
.chain-wrap { overflow-x: auto; margin: 0.5em 0 0.8em; }
table.chain { border-collapse: collapse; }
table.chain td { padding: 0.28em 0.2em; vertical-align: baseline; }
table.chain td.lhs { text-align: right; white-space: nowrap; }
table.chain td.rhs { text-align: left; }
table.chain .note { color: var(--muted); font-size: 0.86em; line-height: 1.35;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
table.chain td.note { padding-left: 1.6em; min-width: 12em; max-width: 24em; }
table.chain div.note { margin: 0.1em 0 0.3em 1.2em; max-width: 36em; }
table.chain tr.lead td { text-align: left; }
table.chain.lead tr:not(.lead) td.lhs { width: 2.2em; min-width: 2.2em; }
table.chain tr.cont td.rhs, table.chain tr.lead.cont td { padding-left: 2em; }
.stepsolver table:not(.chain) { border-collapse: collapse; margin: 0.6em 0 1em;
  font-variant-numeric: tabular-nums; font-size: 0.92em; }
.stepsolver table:not(.chain) th, .stepsolver table:not(.chain) td { padding: 0.25em 0.75em;
  border-bottom: 1px solid var(--line); text-align: right; }
.stepsolver table:not(.chain) th { background: var(--soft); font-weight: 600; }
.stepsolver table:not(.chain) td:first-child, .stepsolver table:not(.chain) th:first-child { text-align: left; }
details { margin: 0.5em 0 0.9em; padding: 0.2em 0 0.2em 0.9em; border-left: 3px solid var(--line); }
details > summary { cursor: pointer; color: var(--muted); font-size: 0.92em; }
details[open] > summary { margin-bottom: 0.3em; }
pre { background: var(--soft); padding: 0.6em 0.8em; overflow-x: auto; font-size: 0.88em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
code.tex-fallback { background: #fff3e0; border: 1px solid #f0b860; padding: 0 0.25em; white-space: pre-wrap; }
.tex-fallback-block { margin: 0.6em 0; }
svg { max-width: 100%; height: auto; }
ul { padding-left: 1.4em; }
@page { margin: 16mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  .chain-wrap, math[display="block"], pre { overflow: visible; }
  h1, h2, h3, h4, h5 { break-after: avoid-page; }
  tr, svg, math[display="block"], details > summary { break-inside: avoid; }
  details > summary { color: var(--ink); }
  a { color: inherit; text-decoration: none; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stepsolver">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header><h1>{title}</h1></header>
<main>
{body}
</main>
</body>
</html>
"""

__all__ = ["MATHML_NAMESPACE", "MathMLError", "Page", "convert_maths", "html_page", "mathml", "page"]
