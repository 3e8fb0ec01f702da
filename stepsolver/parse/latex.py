"""The LaTeX reader: a Lark LALR grammar (fast, exact error columns), no eval anywhere."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import sympy as sp
from lark import Lark, Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, v_args

from ..errors import ParseError
from . import limits
from .brackets import check_brackets
from .build import (
    Chain,
    ExprBuilder,
    Grouped,
    apply_function,
    make_div,
    make_mul,
    make_name,
    make_number,
    make_pow,
    make_product,
    position_of,
    subscript_text,
    unwrap,
)
from .names import FUNCTIONS, GREEK, LATEX_FUNCTIONS
from .reading import Notes, ReadOptions

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
_KNOWN_COMMANDS |= {f"declared{chr(65 + n)}" for n in range(26)}
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9\s+\-*/^_(){}\[\]|!.\\,]")


class _Mapped:
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


_LETTER_RUN = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z]{2,}")
_LETTER_DIGITS = re.compile(r"(?<![\\a-zA-Z^_])([a-df-zA-Z])([0-9]+)(?![0-9.])")
_IN_SUBSCRIPT = re.compile(r"_\s*\{[^{}]*$")
_IN_OPERATOR = re.compile(r"\\frac\s*\{\s*(d|\\partial)[^{}]*\}\s*\{\s*$")  # the dx of \frac{d}{dx}


def _bare_letters(mapped: _Mapped, notes: Notes | None) -> None:
    """Letters outside commands: xz is x·z (said back); sin or pi without a backslash is refused,
    since x·s·i·n is never what was meant; x1 is x₁, as in plain text."""
    from .text import known_words

    for match in _LETTER_RUN.finditer(mapped.text):
        before = mapped.text[: match.start()]
        if _IN_SUBSCRIPT.search(before) or _IN_OPERATOR.search(before):
            continue  # x_{max}: a subscript's name; \frac{d}{dx}: the operator's
        words = known_words(match.group(0))
        named = next((w for w in words if len(w) > 1 and (w in FUNCTIONS or w == "pi")), None)
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


def normalise(mapped: _Mapped, options: ReadOptions | None = None, notes: Notes | None = None) -> None:
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


class BarSides:
    """Lark post-lexer: decides whether each `|` opens or closes an absolute value."""

    always_accept = ("BAR",)
    _ENDS_OPERAND = frozenset(
        {"NUMBER", "LETTER", "NAME", "SUB", "GREEK", "PI", "RPAR", "RSQB", "RBRACE", "RBAR", "BANG"}
    )

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        previous: str | None = None
        open_bars = 0
        for token in stream:
            if token.type == "BAR":
                if previous in self._ENDS_OPERAND and open_bars > 0:
                    token = Token.new_borrow_pos("RBAR", token.value, token)
                    open_bars -= 1
                else:
                    token = Token.new_borrow_pos("LBAR", token.value, token)
                    open_bars += 1
            previous = token.type
            yield token


def grammar_text() -> str:
    """latex.lark with the function and Greek names filled in from ``names``; the same text in
    every process, since Lark keys its table cache on it."""
    return (
        resources.files(__package__)
        .joinpath("latex.lark")
        .read_text()
        .replace("@GREEK@", "|".join(GREEK))
        .replace("@FUNCTIONS@", "|".join(LATEX_FUNCTIONS))
    )


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # The LALR tables come from JSON shipped in the package (stepsolver/parse/tables.py), never from
    # Lark's cache=True, which would unpickle a predictably named file in the shared temp dir.
    from .tables import load

    return load(grammar_text(), BarSides())


def _derivative_variable(token: Token) -> tuple[sp.Symbol, int]:
    match = re.search(r"\{\s*(?:d|\\partial)\s*([a-zA-Z])\s*(?:\^\s*\{?\s*(\d+))?", token.value[5:])
    assert match is not None  # the DERIV terminal guarantees the shape
    return make_name(match.group(1), None, token.start_pos), int(match.group(2) or 1)


@v_args(meta=True, inline=True)
class _LatexBuilder(ExprBuilder):
    def __init__(self, options: ReadOptions, notes: Notes):
        super().__init__()
        self.options = options
        self.notes = notes

    def name(self, meta: Any, token: Token, sub: Token | None = None) -> sp.Expr:
        if token.value == "\\imaginaryunit" or (token.value == "i" and sub is None and self.options.complex):
            return sp.I
        if token.value.startswith("\\declared"):
            name = declared_names(self.options)[ord(token.value[-1]) - 65]
            return make_name(name, subscript_text(sub) if sub else None, token.start_pos)
        return make_name(token.value, subscript_text(sub) if sub else None, token.start_pos)

    def frac(self, meta: Any, _frac: Token, numerator: Any, denominator: Any) -> sp.Expr:
        return make_div(Grouped(unwrap(numerator)), Grouped(unwrap(denominator)), _frac.start_pos)

    def sqrt(self, meta: Any, _sqrt: Token, radicand: Any) -> sp.Expr:
        return make_pow(Grouped(unwrap(radicand)), sp.Rational(1, 2), _sqrt.start_pos)

    def root(self, meta: Any, _sqrt: Token, index: Any, radicand: Any) -> sp.Expr:
        index = unwrap(index)
        if index.is_zero:
            raise ParseError("a root of index 0", _sqrt.start_pos)
        exponent = 1 / index if index.is_Number else sp.Pow(index, -1, evaluate=False)
        return make_pow(Grouped(unwrap(radicand)), exponent, _sqrt.start_pos)

    def np_arg(self, meta: Any, *items: Any) -> Any:
        return Grouped(unwrap(make_product(list(items))))

    def head(self, meta: Any, token: Token, *rest: Any) -> tuple[Token, sp.Expr | None, Token | None]:
        power = next((unwrap(r) for r in rest if not isinstance(r, Token)), None)
        sub = next((r for r in rest if isinstance(r, Token) and r.type == "SUB"), None)
        return token, power, sub

    def _call(
        self, head: tuple[Token, sp.Expr | None, Token | None], argument: Any, outer_power: Any = None
    ) -> sp.Expr:
        token, power, sub = head
        argument = unwrap(argument)
        if token.type == "DERIV":
            if power is not None or sub is not None:
                raise ParseError("a derivative operator takes no power or subscript", token.start_pos)
            variable, order = _derivative_variable(token)
            value: sp.Expr = sp.Derivative(argument, (variable, order), evaluate=False)
        else:
            base = None
            if sub is not None:
                text = subscript_text(sub)
                base = make_number(text, sub.start_pos) if text.isdigit() else make_name(text, None, sub.start_pos)
            value = apply_function(token.value.lstrip("\\"), argument, power, base, token.start_pos)
            if power is not None:
                shown = sp.sstr(power).replace("**", "^")
                name = token.value
                meaning = "the inverse function" if power == -1 else f"({name} …)^{shown}"
                self.notes.add(f"{name}^{{{shown}}} read as {meaning}")
        if outer_power is not None:
            return make_pow(Grouped(value), outer_power, token.start_pos)
        return value

    def call_paren(self, meta: Any, head: Any, argument: Any) -> sp.Expr:
        return self._call(head, argument)

    call_brace = call_paren
    def imul(self, meta: Any, left: Any, right: Any) -> Chain:
        chain = make_mul(left, right)
        chain.implicit = True
        return chain

    def div(self, meta: Any, left: Any, right: Any) -> Any:
        """x/2y: a product written without * after '/' stays together (said back, as in plain text);
        read left to right on request, (x/2)·y, to tell whether a verdict hangs on it."""
        if not (isinstance(right, Chain) and right.implicit and len(right.items) > 1):
            return make_div(left, right, position_of(meta))
        shown = sp.sstr(right.build()).replace("**", "^").replace("*", "·")
        self.notes.add(f"/{shown} read as /({shown}): a product written without * stays together")
        self.notes.divisions.append(f"/{shown} read as /({shown})")
        if not self.options.left_to_right_division:
            return make_div(left, right, position_of(meta))
        result: Any = make_div(left, right.items[0], position_of(meta))
        for item in right.items[1:]:
            result = make_mul(result, item)
        return result

    def call_bare(self, meta: Any, head: Any, argument: Any) -> sp.Expr:
        token, power, _ = head
        if token.type == "FUNC" and power is None:  # \sin^2 x is said by _call
            shown = sp.sstr(unwrap(argument)).replace("**", "^").replace("*", "·")
            self.notes.add(f"{token.value} {shown} read as {token.value}({shown})")
        return self._call(head, argument)

    def call_paren_pow(self, meta: Any, head: Any, argument: Any, power: Any) -> sp.Expr:
        return self._call(head, argument, unwrap(power))

    call_brace_pow = call_paren_pow


def normalised(text: str) -> str:
    """The text the grammar sees, after the synonyms and short forms are rewritten."""
    mapped = _Mapped(text)
    normalise(mapped)
    return mapped.text


def parse_latex(text: str, options: ReadOptions | None = None, notes: Notes | None = None) -> sp.Expr:
    """Read a LaTeX expression; raise ParseError with a column for anything else."""
    options = options or ReadOptions()
    limits.check_text(text)
    original = text
    mapped = _Mapped(text)
    try:
        normalise(mapped, options, notes)
        prescan(mapped.text)
        check_brackets(mapped.text)
    except ParseError as error:
        raise ParseError(error.message, mapped.original(error.position), original) from None
    try:
        tree = _parser().parse(mapped.text)
    except UnexpectedInput as error:
        error_here = syntax_error(error, mapped.text)
        raise ParseError(error_here.message, mapped.original(error_here.position), original) from None
    try:
        result = unwrap(_LatexBuilder(options, notes if notes is not None else Notes()).transform(tree))
    except Exception as error:  # Lark wraps what the builder raises in a VisitError
        inner = getattr(error, "orig_exc", error)
        if isinstance(inner, ParseError):
            raise ParseError(inner.message, mapped.original(inner.position), original) from None
        if isinstance(inner, RecursionError):
            raise ParseError(f"expression nested more than {limits.MAX_NESTING} levels deep", None, original) from None
        raise ParseError(f"cannot read this expression ({type(inner).__name__})", None, original) from None
    limits.check_depth(result)
    return result


def syntax_error(error: UnexpectedInput, text: str, original: str | None = None) -> ParseError:
    """A one-line message for Lark's error; ``original`` is the text to quote, when known."""
    position = getattr(error, "pos_in_stream", None)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        # brackets were matched before parsing; an absolute-value bar is the one that can stay open
        hint = ": a '|' is never closed" if "RBAR" in getattr(error, "expected", ()) else ""
        return ParseError(f"unexpected end of input{hint}", len(text.rstrip()), original)
    if isinstance(error, UnexpectedToken):
        token = error.token
        shown = token.value if token.type != "$END" else "end of input"
        message = f"unexpected {shown!r}"
        if token.type in ("RBRACE", "RPAR", "RSQB"):  # brackets are balanced by now: something is missing
            message = f"unexpected {shown!r}: something is missing before it"
        return ParseError(message, token.start_pos, original)
    if isinstance(error, UnexpectedCharacters):
        char = text[position] if position is not None and position < len(text) else "?"
        message = f"unexpected {char!r}"
        if char == "^":
            message = "a '^' needs an exponent: write x^{2} or x^2"
        elif char == "_":
            message = "a subscript must be a letter or digit, e.g. x_1 or x_{12}"
        return ParseError(message, position, original)
    return ParseError("cannot read this expression", position, original)
