"""The LaTeX source before the grammar sees it: synonyms and short forms rewritten to the one
spelling the grammar knows, and what it cannot know refused with a column.

``normalise`` rewrites in place on a ``Mapped`` text, which keeps the column each character came
from, so an error found later still points into what was typed: spacing commands are blanked,
``\\cdot``, ``\\dfrac``, ``\\lvert`` and friends become one spelling, plain-text habits
(``x**2``, ``5.1e-2``, ``x²``, ``√``) their LaTeX, a declared multi-letter name one command, a bold
or arrowed name (``\\mathbf{x}``, ``\\boldsymbol{x}``, ``\\bm{x}``, ``\\vec{x}``) the plain symbol x (the
lecture's vectors, scalars here; ``\\mathbf{1}`` is the number 1), and single-character arguments
of ``^``, ``\\frac`` and ``\\sqrt`` get their braces; each reading that resolves an ambiguity or
assumes something leaves a note; ``\\max`` and ``\\min`` without brackets are refused. ``prescan``
refuses unknown commands and stray characters. Kept apart from the grammar and the tree
transformer (``latex``), which see only the rewritten text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from sympy.printing.pretty.pretty_symbology import greek_unicode

from ..errors import ParseError
from .names import BOLD_COMMANDS, EXTREMA, FUNCTIONS, GREEK
from .reading import Notes, ReadOptions
from .text_tokens import known_words

# Commands that only space or size things: blanked out before parsing.
_SPACING = re.compile(
    r"\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg|displaystyle|textstyle"
    r"|quad|qquad|limits)(?![a-zA-Z])|\\[,;:! ]|~|\\left\.|\\right\.|&"
)
# Same-meaning spellings, replaced in place by a shorter one padded with spaces.
_SPELLINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\(cdot|times|ast)(?![a-zA-Z])"), "*"),
    (re.compile(r"\\(lvert|rvert|vert|mid)(?![a-zA-Z])|\\\|"), "|"),
    (re.compile(r"\\\{"), "("),
    (re.compile(r"\\\}"), ")"),
    (re.compile(r"\\lbrack(?![a-zA-Z])"), "["),
    (re.compile(r"\\rbrack(?![a-zA-Z])"), "]"),
    (re.compile(r"\\[dt]frac(?![a-zA-Z])"), r"\\frac"),
    (re.compile(r"\\(mathrm|mathit|operatorname|text)\s*\{\s*e\s*\}"), "e"),
]
_OPERATORNAME = re.compile(r"\\(operatorname\*?|mathrm|text|mathit)\s*\{\s*([a-zA-Z]+)\s*\}")
_COMMAND = re.compile(r"\\([a-zA-Z]+)|\\(.)")
_KNOWN_COMMANDS = set(FUNCTIONS) | set(GREEK) | {"frac", "sqrt", "pi", "partial", "imaginaryunit"}
_KNOWN_COMMANDS |= {"lfloor", "rfloor", "lceil", "rceil"}
_KNOWN_COMMANDS |= {f"declared{chr(65 + n)}" for n in range(26)}
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9\s+\-*/^_(){}\[\]|!.\\,]")


class Mapped:
    """Text being rewritten, with the original column of every character kept alongside."""

    def __init__(self, text: str):
        self.text = text  # the text as rewritten so far
        self.origin = list(range(len(text)))

    def sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> None:
        pieces: list[str] = []
        origin: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            pieces.append(self.text[last : match.start()])
            origin.extend(self.origin[last : match.start()])
            new = replace(match)
            pieces.append(new)
            origin.extend([self.origin[match.start()]] * len(new))
            last = match.end()
        pieces.append(self.text[last:])
        origin.extend(self.origin[last:])
        self.text = "".join(pieces)
        self.origin = origin

    def original(self, position: int | None) -> int | None:
        if position is None or not self.origin:
            return position
        return self.origin[min(position, len(self.origin) - 1)] + max(0, position - len(self.origin) + 1)


# A single character after ^, \frac or \sqrt is that command's argument: braced explicitly.
_SHORT_ARGUMENTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\\frac\s*([0-9a-zA-Z])\s*([0-9a-zA-Z])"), r"\\frac{\1}{\2}"),
    (re.compile(r"\\frac\s*([0-9a-zA-Z])\s*\{"), r"\\frac{\1}{"),
    (re.compile(r"\\sqrt\s*([0-9a-zA-Z])"), r"\\sqrt{\1}"),
    (re.compile(r"\\frac\s*(\{[^{}]*\})\s*([0-9a-zA-Z])"), r"\\frac\1{\2}"),
    (re.compile(r"\^\s*([0-9]+(?:\.[0-9]+)?|[a-zA-Z])"), r"^{\1}"),
]
# Plain-text habits inside LaTeX: x**2, 5.1e-2, unicode operators and superscripts.
_SCIENTIFIC = re.compile(r"(?<![0-9a-zA-Z.\\])([0-9]+\.?[0-9]*|\.[0-9]+)[eE]([+-]?[0-9]+)(?![0-9.])")
_UNICODE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\*\*"), "^"),
    (re.compile("[−–]"), "-"),
    (re.compile("[·×⋅∗]"), "*"),
    (re.compile("√"), r" \\sqrt "),
    (re.compile("π"), r" \\pi "),
]
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_NUMBERS_SIDE_BY_SIDE = re.compile(r"(?<![0-9a-zA-Z_\\])([0-9.]+)\s+([0-9.]+)(?![0-9a-zA-Z])|[0-9]\.[0-9]*\.")


_ONE_CHARACTER_EXPONENT = re.compile(
    r"((?<![\\a-zA-Z])[0-9a-zA-Z]|[)}])?\^\s*([0-9]+(?![0-9.])|[a-zA-Z])([0-9a-zA-Z(])"
)
# x^-1, e^-x^2: a minus and one atom (and its own power) as the exponent, as in plain text
_SIGNED_EXPONENT = re.compile(r"\^\s*-\s*([0-9]+|[a-zA-Z])(?:\s*\^\s*([0-9]+|[a-zA-Z]))?")
_DIGITS_EXPONENT = re.compile(r"([0-9a-zA-Z)}]?)\^\s*([0-9]{2,})")
_GREEK_BEFORE_BRACKET = re.compile(r"\\(" + "|".join(GREEK) + r")(?![a-zA-Z])\s*\(")
_SIGMOID = re.compile(r"\\sigma(?=\s*\()")
_SIGMA_ALONE = re.compile(r"\\sigma(?![a-zA-Z])(?!\s*\()")
_IMAGINARY = re.compile(r"\\(mathrm|mathit|operatorname|text)\s*\{\s*i\s*\}")


# \mathbf{x}, \mathbf x, \boldsymbol{\theta}, \vec{x}: the command and its one argument (braced, one
# command, one letter or a whole number), or nothing after it, which is refused.
_BOLD = re.compile(
    r"\\(" + "|".join(BOLD_COMMANDS) + r")(?![a-zA-Z])\s*(?:\{((?:[^{}]|\{[^{}]*\})*)\}|(\\[a-zA-Z]+|[a-zA-Z]|[0-9]+))?"
)
# What may be bold: a letter or a Greek letter, with an index (x_1, x1), or a whole number (\mathbf{1}).
_BOLD_NAME = re.compile(r"([a-zA-Z]|\\[a-zA-Z]+)([0-9]+|\s*_\s*(\{\s*[a-zA-Z0-9]+\s*\}|[a-zA-Z0-9]))?")
_BOLD_NUMBER = re.compile(r"[0-9]+")
# \max and \min take their arguments in brackets: \max(a, b), \max\{a, b\} (by now '(').
_EXTREMUM_WITHOUT_BRACKETS = re.compile(r"\\(" + "|".join(EXTREMA) + r")(?![a-zA-Z])(?!\s*\()")


def _bold(mapped: Mapped, options: ReadOptions, notes: Notes | None) -> None:
    """\\mathbf{x}, \\boldsymbol{x}, \\bm{x}, \\vec{x} (braced or not) are the plain symbol x: how the
    lecture writes a vector, and in scalar calculus a variable like any other (said back). \\mathbf{1} is
    the number 1 (said back: not a vector of ones). \\mathbf{e} is refused: e alone is Euler's number."""

    def plain(m: re.Match[str]) -> str:
        command, braced, bare = m.group(1), m.group(2), m.group(3)
        typed = m.group(0).strip()
        if braced is None and bare is None:
            raise ParseError(f"\\{command} needs a name after it, such as \\{command}{{x}}", m.start())
        content = (braced if braced is not None else bare).strip()
        if not content:
            raise ParseError(f"\\{command}{{}} is empty: write a name inside, such as \\{command}{{x}}", m.start())
        if _BOLD_NUMBER.fullmatch(content):
            if notes is not None:
                notes.add(f"{typed} read as the number {content} (scalar calculus: not a vector)")
            return " " + content
        name = _BOLD_NAME.fullmatch(content)
        command_name = name.group(1)[1:] if name and name.group(1).startswith("\\") else None
        known = command_name is None or command_name in GREEK or command_name.startswith("declared")
        if name is None or not known:
            raise ParseError(f"\\{command}{{{content}}}: a bold or arrowed name is one letter or Greek letter, "
                             f"such as \\{command}{{x}} or \\{command}{{x_1}}", m.start())  # fmt: skip
        if content == "e":
            raise ParseError(f"\\{command}{{e}}: e alone is Euler's number here; name the vector with another letter "
                             f"or an index, such as \\{command}{{e}}_1", m.start())  # fmt: skip
        if notes is not None:
            shown = content
            if command_name is not None and command_name.startswith("declared"):
                shown = declared_names(options)[ord(command_name[-1]) - 65] + content[len(name.group(1)) :]
            elif command_name is not None:
                shown = greek_unicode.get(command_name, command_name) + content[len(name.group(1)) :]
            notes.add(
                f"{_shown(typed, options)} read as the variable {shown}: a bold or arrowed name is the plain symbol"
            )
        # what follows reads as after the plain letter (\\mathbf{x}2 as x2, x₂), or a command (\\theta x)
        return " " + content + (" " if command_name is not None and content[-1].isalpha() else "")

    mapped.sub(_BOLD, plain)


def _shown(typed: str, options: ReadOptions) -> str:
    """What was typed, with the placeholders of declared names (\\declaredA) written back as the names."""
    names = declared_names(options)
    return re.sub(r"\s*\\declared([A-Z])\s*", lambda m: names[ord(m.group(1)) - 65], typed)


_LETTER_RUN = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z]{2,}")
_LETTER_DIGITS = re.compile(r"(?<![\\a-zA-Z^_])([a-df-zA-Z])([0-9]+)(?![0-9.])")
_IN_SUBSCRIPT = re.compile(r"_\s*\{[^{}]*$")
_IN_OPERATOR = re.compile(r"\\frac\s*\{\s*(d|\\partial)[^{}]*\}\s*\{\s*$")  # the dx of \frac{d}{dx}


def _bare_letters(mapped: Mapped, notes: Notes | None) -> None:
    """Letters outside commands: xz is x·z (said back); sin or pi without a backslash is refused,
    since x·s·i·n is never what was meant; x1 is x₁, as in plain text."""
    for match in _LETTER_RUN.finditer(mapped.text):
        before = mapped.text[: match.start()]
        if _IN_SUBSCRIPT.search(before) or _IN_OPERATOR.search(before):
            continue  # x_{max}: a subscript's name; \frac{d}{dx}: the operator's
        words = known_words(match.group(0))
        named = next((w for w in words if len(w) > 1 and (w in FUNCTIONS or w == "pi")), None)
        if named in ("floor", "ceil", "ceiling"):
            side = "floor" if named == "floor" else "ceil"
            raise ParseError(f"{named} without a backslash: in LaTeX write \\l{side} … \\r{side}", match.start())
        if named:
            raise ParseError(f"{named} without a backslash: in LaTeX write \\{named}", match.start())
        if notes is not None:
            notes.add(f"{match.group(0)} read as {'·'.join(words)}")

    def indexed(m: re.Match[str]) -> str:
        if notes is not None:
            notes.add(f"{m.group(0)} read as {m.group(1)}_{m.group(2)}")
        return f"{m.group(1)}_{{{m.group(2)}}}"

    mapped.sub(_LETTER_DIGITS, indexed)


def declared_names(options: ReadOptions) -> list[str]:
    """The problem's multi-letter names, longest first, at most 26 (\\declaredA … \\declaredZ)."""
    return sorted((n for n in options.names if len(n) > 1 and n.isalpha()), key=lambda n: (-len(n), n))[:26]


def normalise(mapped: Mapped, options: ReadOptions | None = None, notes: Notes | None = None) -> None:
    """Rewrite synonyms and short forms in place; ``mapped`` keeps each character's original column."""
    options = options or ReadOptions()
    text = mapped.text
    mapped.sub(_SPACING, lambda m: " ")
    for pattern, replacement in _UNICODE:
        mapped.sub(pattern, _constant(replacement.replace("\\\\", "\\")))
    mapped.sub(_SUPERSCRIPT_RUN, lambda m: "^{" + m.group(0).translate(_SUPERSCRIPT_DIGITS) + "}")

    def scientific(m: re.Match[str]) -> str:
        if notes is not None:
            notes.add(f"{m.group(0)} read as the number {m.group(1)}·10^{{{int(m.group(2))}}} (scientific notation)")
        return f"({m.group(1)}*10^{{{m.group(2)}}})"

    mapped.sub(_SCIENTIFIC, scientific)
    for pattern, replacement in _SPELLINGS:
        mapped.sub(pattern, _constant(replacement.replace("\\\\", "\\")))
    if notes is not None and _SIGMA_ALONE.search(mapped.text):
        notes.add("\\sigma read as the variable σ (\\sigma(…) applied to an argument is the sigmoid)")
    mapped.sub(_SIGMOID, _constant("\\sigmoid"))

    def imaginary(m: re.Match[str]) -> str:
        if not options.complex:
            raise ParseError("\\mathrm{i} is the imaginary unit, but this problem is real (use --complex)", m.start())
        return " \\imaginaryunit "

    mapped.sub(_IMAGINARY, imaginary)
    for number, name in enumerate(declared_names(options)):
        # a declared multi-letter name (--var rate) is one variable, bare or in \mathrm{…}
        pattern = re.compile(
            rf"\\(mathrm|mathit|operatorname|text)\s*\{{\s*{name}\s*\}}|(?<![\\a-zA-Z]){name}(?![a-zA-Z])"
        )
        mapped.sub(pattern, _constant(f" \\declared{chr(65 + number)} "))

    def operatorname(m: re.Match[str]) -> str:
        name = m.group(2)
        if name not in FUNCTIONS:
            raise ParseError(f"unknown function \\{m.group(1)}{{{name}}}", m.start(), text)
        return "\\" + name

    mapped.sub(_OPERATORNAME, operatorname)
    _bold(mapped, options, notes)
    extremum = _EXTREMUM_WITHOUT_BRACKETS.search(mapped.text)
    if extremum:
        name = extremum.group(0)
        raise ParseError(f"{name} needs its arguments in brackets, such as {name}(a, b) or {name}\\{{a, b\\}}",
                         extremum.start())  # fmt: skip
    _bare_letters(mapped, notes)
    side_by_side = _NUMBERS_SIDE_BY_SIDE.search(mapped.text)
    if side_by_side:
        raise ParseError(f"two numbers side by side ({side_by_side.group(0).strip()!r}): write * between them, "
                         "or one number", side_by_side.start())  # fmt: skip
    if notes is not None:
        for match in _DIGITS_EXPONENT.finditer(mapped.text):
            base, digits = match.groups()
            notes.add(f"{base}^{digits} read as {base}^{{{digits}}} (TeX itself would raise only {digits[0]})")
        for match in _ONE_CHARACTER_EXPONENT.finditer(mapped.text):
            base, exponent, following = match.groups()
            if base is None:
                continue  # \sin^2x: x is the argument; \pi^2x: a command's power
            following = "(…)" if following == "(" else following
            notes.add(f"{base}^{exponent}{following} read as {base}^{{{exponent}}}·{following}: "
                      "an exponent without braces is one character")  # fmt: skip

    def signed_exponent(m: re.Match[str]) -> str:
        following = mapped.text[m.end() : m.end() + 1]
        if notes is not None and following and (following.isalnum() or following == "("):
            notes.add(f"^-{m.group(1)}{following}… read as ^{{-{m.group(1)}}}·{following}…: write ^{{-…}} for more")
        return "^{-" + m.group(1) + (f"^{{{m.group(2)}}}" if m.group(2) else "") + "}"

    mapped.sub(_SIGNED_EXPONENT, signed_exponent)
    if notes is not None:  # 3. \gamma(x): a Greek letter is a variable, and this is a product
        for match in _GREEK_BEFORE_BRACKET.finditer(mapped.text):
            notes.add(f"\\{match.group(1)}(…) read as the product {match.group(1)}·(…): a Greek letter is a variable")
    for pattern, template in _SHORT_ARGUMENTS:
        mapped.sub(pattern, _expander(template))


def _constant(text: str) -> Callable[[re.Match[str]], str]:
    return lambda match: text


def _expander(template: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.expand(template)


def prescan(text: str) -> None:
    """Unknown commands and stray characters, reported before the grammar sees them."""
    for pos, char in enumerate(text):
        if not _ALLOWED_CHARS.fullmatch(char):
            raise ParseError(f"unexpected character {char!r}", pos, text)
    for match in _COMMAND.finditer(text):
        name = match.group(1)
        if name is None:
            raise ParseError(f"unknown command \\{match.group(2)}", match.start(), text)
        if name not in _KNOWN_COMMANDS:
            close = difflib.get_close_matches(name, sorted(_KNOWN_COMMANDS | {"left", "right", "cdot"}), n=2)
            hint = "; did you mean " + " or ".join(f"\\{c}" for c in close) + "?" if close else ""
            raise ParseError(f"unknown command \\{name}{hint}", match.start(), text)
