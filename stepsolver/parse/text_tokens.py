"""The tokenizer of the plain-text reader (``text``): characters to tokens, and a note for each
reading it chose on the way.

- a run of letters is split into single-letter variables unless it starts with a known function,
  constant or Greek name, or a name the problem declares (longest match first: ``xsinx`` is
  x·sin(x), ``beta`` is β); a letter followed by digits is indexed (``x1`` is x₁), and ``log2``
  is the logarithm to base 2;
- ``5.1e-2`` and ``1.5E3`` are numbers, exact (``1e-400`` is not 0);
- ``d/dx`` and ``d^2/dx^2`` are one token each, the derivative operator;
- unicode operators, superscripts (``x²``), radicals (``√``), fractions (``½``) and Greek letters
  become the tokens their ASCII spellings would.

Kept apart from the parser (``text``), which never looks at characters, only at these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from ..errors import ParseError
from . import limits
from .names import CONSTANTS, FUNCTIONS, GREEK
from .reading import Notes, ReadOptions

_NAME_LIMIT = 32
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                 "⁹": "9", "⁻": "-", "⁺": "+"}  # fmt: skip
_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅙": (1, 6), "⅛": (1, 8)}
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_ROOTS = {"√": 2, "∛": 3, "∜": 4}
_DERIVATIVE = re.compile(r"d(\^?([0-9]))?\s*/\s*d([a-zA-Z])(\^?[0-9])?(?![a-zA-Z])")
# what the text printer writes for partials and higher orders: ∂/∂y, d²/dx², ∂²/∂y∂x (y taken last)
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PRINTED_DERIVATIVE = re.compile(
    r"([d∂])([²³⁴⁵⁶⁷⁸⁹]?)/((?:\1[a-zA-Z][²³⁴⁵⁶⁷⁸⁹]?)+)(?=\[)"
)
_PRINTED_VARIABLE = re.compile(r"[d∂]([a-zA-Z])([²³⁴⁵⁶⁷⁸⁹]?)")
_OPERATOR_SPELLINGS = {"·": "*", "×": "*", "⋅": "*", "∗": "*", "−": "-", "–": "-", "÷": "/"}
_GREEK_LETTERS = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
                  "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
                  "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
                  "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi",
                  "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "π": "pi", "µ": "mu"}  # fmt: skip
_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+(?![.0-9]))?")
_LETTERS = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"[0-9]+")
_FRACTIONAL_EXPONENT = re.compile(r"[eE][+-]?[0-9]+\.[0-9]")
_UNICODE_SUBSCRIPT = re.compile("[₀₁₂₃₄₅₆₇₈₉]+")
_SUBSCRIPT = re.compile(r"_(\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9]+)")
_DIGIT_CHARS = set("0123456789")
_SINGLE = set("+-*/^()[]|!,")
# Names a run of letters may start with, longest first; "e" and "E" are single letters anyway.
_KNOWN_WORDS = set(FUNCTIONS) | set(GREEK) | {"pi"}


@dataclass
class Token:
    kind: str  # NUM, NAME, FUNC, OP (the character itself in text), END
    text: str
    pos: int
    end: int
    glued: bool = False  # no space before it: `2x`, not `2 x`
    value: sp.Expr | None = None
    index: str | None = None  # x_1, log_2


_BY_LENGTH = sorted(_KNOWN_WORDS, key=len, reverse=True)


def known_words(run: str) -> list[str]:
    """A run of letters split as the plain-text reader splits it (no declared names)."""
    return _words(run, frozenset())


def _words(run: str, declared: frozenset[str]) -> list[str]:
    """Split a run of letters: the longest known or declared name at each place, else one letter."""
    known = sorted(_KNOWN_WORDS | declared, key=len, reverse=True) if declared else _BY_LENGTH
    out: list[str] = []
    i = 0
    while i < len(run):
        word = next((w for w in known if len(w) > 1 and run.startswith(w, i)), run[i])
        out.append(word)
        i += len(word)
    return out


class Lexer:
    def __init__(self, text: str, options: ReadOptions, notes: Notes):
        self.text = text
        self.options = options
        self.notes = notes
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            glued = i > 0 and not text[i - 1].isspace()
            if char.isspace():
                i += 1
            elif char in _DIGIT_CHARS or (char == "." and text[i + 1 : i + 2] in _DIGIT_CHARS):
                i = self._number(i, glued)
            elif (char == "∂" or char == "d") and (printed := _PRINTED_DERIVATIVE.match(text, i)):
                i = self._printed_derivative(printed, i, glued)
            elif char.isascii() and char.isalpha():
                i = self._name(i, glued)
            elif char in _GREEK_LETTERS:
                self._word(_GREEK_LETTERS[char], i, i + 1, glued)
                i += 1
            elif char in _SUPERSCRIPTS:
                i = self._superscript(i)
            elif char in _ROOTS:
                self.tokens.append(Token("ROOT", char, i, i + 1, glued, sp.Integer(_ROOTS[char])))
                i += 1
            elif char in _VULGAR:
                p, q = _VULGAR[char]
                self.tokens.append(Token("NUM", char, i, i + 1, glued, sp.Rational(p, q)))
                i += 1
            elif char == "*" and text.startswith("**", i):
                self.tokens.append(Token("^", "**", i, i + 2, glued))
                i += 2
            elif char in _SINGLE or char in _OPERATOR_SPELLINGS:
                op = _OPERATOR_SPELLINGS.get(char, char)
                self.tokens.append(Token(op, char, i, i + 1, glued))
                i += 1
            else:
                hint = ": plain text has no braces; write LaTeX with a backslash command" if char in "{}" else ""
                raise ParseError(f"unexpected character {char!r}{hint}", i)
        self.tokens.append(Token("END", "", len(text), len(text)))
        return self.tokens

    def _number(self, i: int, glued: bool) -> int:
        match = _NUMBER.match(self.text, i)
        assert match is not None  # a digit or '.digit' starts here
        mantissa, exponent = match.group(1), match.group(2)
        limits.check_literal(mantissa, i)
        value: sp.Expr = sp.Rational(mantissa.rstrip(".")) if "." in mantissa else sp.Integer(mantissa)
        fractional = _FRACTIONAL_EXPONENT.match(self.text, match.end(1))
        if fractional:  # 1e-2.5: not e·… by accident, and not a number either
            raise ParseError(f"{self.text[i:fractional.end()]} has a fractional exponent: scientific notation "
                             "takes a whole one", i)  # fmt: skip
        if exponent:
            limits.check_literal(exponent[1:].lstrip("+-"), i)
            power = int(exponent[1:])
            if abs(power) > limits.MAX_RESULT_DIGITS:
                raise ParseError(f"the number {match.group(0)} has an exponent beyond ±{limits.MAX_RESULT_DIGITS}", i)
            value = value * sp.Integer(10) ** power
            self.notes.add(f"{match.group(0)} read as the number {_decimal(mantissa, power)} (scientific notation)")
        self.tokens.append(Token("NUM", match.group(0), i, match.end(), glued, value))
        return match.end()

    def _printed_derivative(self, match: re.Match[str], i: int, glued: bool) -> int:
        """∂²/∂y∂x[f] as the text printer writes it: the order, then the variables taken last first."""
        order = _SUPERSCRIPT_DIGITS.index(match.group(2)) if match.group(2) else 1
        below = _PRINTED_VARIABLE.findall(match.group(3))
        variables = [(v, _SUPERSCRIPT_DIGITS.index(n) if n else 1) for v, n in below]
        if sum(count for _, count in variables) != order:
            raise ParseError(f"{match.group(0)}: the order above does not match the variables below", i)
        taken = ",".join(f"{v}{count}" for v, count in reversed(variables))  # in the order they are taken
        self.tokens.append(Token("DERIV", match.group(0), i, match.end(), glued, sp.Integer(order), taken))
        return match.end()

    def _name(self, i: int, glued: bool) -> int:
        derivative = _DERIVATIVE.match(self.text, i)
        if derivative and (derivative.group(2) or "1") == (derivative.group(4) or "1").lstrip("^"):
            order = int(derivative.group(2) or 1)
            self.tokens.append(Token("DERIV", derivative.group(0), i, derivative.end(), glued,
                                      sp.Integer(order), derivative.group(3)))  # fmt: skip
            return derivative.end()
        run = _LETTERS.match(self.text, i)
        assert run is not None
        letters, end = run.group(0), run.end()
        if len(letters) > _NAME_LIMIT:
            raise ParseError(f"a name of {len(letters)} characters; the limit is {_NAME_LIMIT}", i)
        words = [letters] if letters in self.options.names else _words(letters, self.options.names)
        last = words[-1]
        if len(letters) > 1 and all(len(w) == 1 for w in words) and self.text[end : end + 1] == "(":
            raise ParseError(f"unknown function {letters}; for a product write {'*'.join(letters)}*(…)", i)
        index = None
        subscript = _SUBSCRIPT.match(self.text, end)
        digits = _DIGITS.match(self.text, end)
        unicode_index = _UNICODE_SUBSCRIPT.match(self.text, end)
        if subscript:
            index, end = subscript.group(1).strip("{} "), subscript.end()
        elif unicode_index:
            index, end = unicode_index.group(0).translate(_SUBSCRIPT_DIGITS), unicode_index.end()
        elif digits and last == "log":
            index, end = digits.group(0), digits.end()  # log10(x), log2 x: the base
            self.notes.add(f"log{index} read as log_{index}, the logarithm to base {index}")
        elif digits and last not in CONSTANTS and (last not in FUNCTIONS or last == "sigma"):
            index, end = digits.group(0), digits.end()  # x1 is x₁: how features are typed
        elif digits and last in CONSTANTS:
            self.notes.add(f"{self.text[i : digits.end()]} read as {last}·{digits.group(0)}")
        shown = [*words[:-1], f"{last}_{index}" if index is not None else last]
        applied_at_once = len(words) == 2 and words[0] in FUNCTIONS and index is None  # sinx: said by the reader of sin
        indexed_by_digits = digits and index is not None and not subscript and last != "log"
        if (len(words) > 1 and not applied_at_once) or indexed_by_digits:
            reading = "".join(w + (" " if w in FUNCTIONS else "·") for w in shown[:-1]) + shown[-1]
            self.notes.add(f"{self.text[i:end]} read as {reading}")
        start = i
        for n, word in enumerate(words):
            stop = end if n == len(words) - 1 else start + len(word)
            kind = "FUNC" if word in FUNCTIONS else "NAME"
            token = Token(kind, word, start, stop, glued or n > 0)
            if n == len(words) - 1 and index is not None:
                token.index = index
            self.tokens.append(token)
            start = stop
        return end

    def _word(self, word: str, start: int, end: int, glued: bool) -> None:
        kind = "FUNC" if word in FUNCTIONS else "NAME"
        self.tokens.append(Token(kind, word, start, end, glued))

    def _superscript(self, i: int) -> int:
        j = i
        while j < len(self.text) and self.text[j] in _SUPERSCRIPTS:
            j += 1
        exponent = "".join(_SUPERSCRIPTS[c] for c in self.text[i:j])
        self.tokens.append(Token("^", "^", i, i, True))
        sign = exponent[0] if exponent[0] in "+-" else ""
        digits = exponent[len(sign) :]
        limits.check_literal(digits, i)
        if not digits.isdigit():
            raise ParseError("a superscript exponent must be a whole number, such as x² or x⁻¹", i)
        self.tokens.append(Token("(", "", i, i, True))
        if sign:
            self.tokens.append(Token(sign, sign, i, i + 1, True))
        self.tokens.append(Token("NUM", digits, i + len(sign), j, True, sp.Integer(digits)))
        self.tokens.append(Token(")", "", j, j, True))
        return j


def _decimal(mantissa: str, power: int) -> str:
    """The exact value of mantissa·10^power as a decimal while that stays short (1e-400 is not 0)."""
    whole, _, fraction = mantissa.partition(".")
    written = whole + fraction
    digits = written.lstrip("0") or "0"
    point = len(whole) + power - (len(written) - len(digits))  # where the point falls among the digits
    if len(digits) + abs(point) > 30:
        return f"{mantissa}·10^{power}"
    if point <= 0:
        return "0." + "0" * -point + digits.rstrip("0")
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return f"{digits[:point]}.{digits[point:].rstrip('0')}".rstrip(".")
