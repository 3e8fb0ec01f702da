"""The plain-text reader (``10x(x^2+1)^4``, ``sin^2 x``, ``5.1e-2``): a precedence parser over
the tokens of ``text_tokens``, written for the conventions people type by, never Python's eval or
sympify.

The conventions (the README's "How input is read" says the same; how letters and numbers become
tokens is in ``text_tokens``):

- a power, an index and a factorial bind to the one atom or bracketed group right before them,
  and an exponent without brackets is one atom (``x^2y`` is x²·y, ``e^x(x+1)`` is eˣ·(x+1));
- juxtaposition is a product of the pieces, and binds tighter than ``*`` and ``/``
  (``1/2x`` is 1/(2x)); ``*``, ``/`` are left-associative;
- a function name applies to a bracketed argument, or else to the product of powers after it up
  to the next operator or function (``sin 2x`` is sin(2x), ``sin x cos x`` is sin x · cos x);
  ``sin^2 x`` is (sin x)², ``sin^-1 x`` is arcsin x; ``sigma`` applied is the sigmoid, alone it
  is the variable σ; ``max`` and ``min`` take two or more arguments in brackets (``max(a, b)``);
- ``e`` alone is Euler's number; ``i`` is the imaginary unit only when the problem is complex.

Every rule that resolved an ambiguity leaves a note ("xz read as x·z").
"""

from __future__ import annotations

import sys

import sympy as sp

from ..errors import ParseError
from . import limits
from .brackets import check_brackets
from .build import (
    Chain,
    Grouped,
    apply_extremum,
    apply_function,
    make_div,
    make_factorial,
    make_mul,
    make_neg,
    make_pow,
    make_product,
    unwrap,
)
from .names import CONSTANTS, EXTREMA, FUNCTIONS, GREEK, INVERSE_BY_POWER_MINUS_ONE, symbol
from .reading import Notes, ReadOptions
from .text_tokens import Lexer, Token

_ATOM_STARTS = {"NUM", "NAME", "FUNC", "ROOT", "DERIV", "(", "["}


class _Parser:
    """Precedence climbing over the tokens; brackets nest at most limits.MAX_NESTING deep."""

    def __init__(self, text: str, tokens: list[Token], options: ReadOptions, notes: Notes):
        self.text = text
        self.tokens = tokens
        self.options = options
        self.notes = notes
        self.i = 0
        self.bars = 0  # |…| open around the current position
        self.depth = 0  # brackets and towers of powers open around the current position

    def enter(self, token: Token) -> None:
        """One level deeper; the recursion stays bounded whatever the input."""
        self.depth += 1
        if self.depth > limits.MAX_NESTING:
            raise ParseError(f"expression nested more than {limits.MAX_NESTING} levels deep", token.pos)

    # --- tokens ---------------------------------------------------------------------------------
    @property
    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        if self.peek.kind != kind:
            raise self.unexpected(f"expected {what}")
        return self.take()

    def unexpected(self, hint: str = "") -> ParseError:
        token = self.peek
        if token.kind == "END":
            return ParseError("unexpected end of input" + (f": {hint}" if hint else ""), len(self.text.rstrip()))
        return ParseError(f"unexpected {token.text!r}" + (f": {hint}" if hint else ""), token.pos)

    def after_next(self, kind: str) -> bool:
        return self.tokens[min(self.i + 1, len(self.tokens) - 1)].kind == kind

    def source(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    # --- grammar --------------------------------------------------------------------------------
    def expression(self) -> sp.Expr:
        terms = [self.term()]
        while self.peek.kind in ("+", "-"):
            op = self.take().kind
            term = self.term()
            terms.append(term if op == "+" else make_neg(term))
        return unwrap(terms[0]) if len(terms) == 1 else sp.Add(*map(unwrap, terms), evaluate=False)

    def term(self) -> object:
        begins = self.peek.pos
        result = self.signed()
        divided = False
        while self.peek.kind in ("*", "/") or (divided and self.starts_factor()):
            if self.peek.kind not in ("*", "/"):  # 1/2 x: the space ends the divisor; x multiplies 1/2
                if self.peek.kind == "NUM" and self.tokens[self.i - 1].kind == "NUM":
                    raise ParseError(f"two numbers side by side ({self.tokens[self.i - 1].text} {self.peek.text}): "
                                     "write * between them, or one number", self.peek.pos)  # fmt: skip
                quotient = self.source(begins, self.peek.pos)
                self.notes.add(f"{quotient} {self.peek.text}… read as ({quotient})·{self.peek.text}…")
                result = make_mul(result, self.implicit())
                continue
            op = self.take()
            start = self.peek.pos
            if op.kind == "*":
                result = make_mul(result, self.signed())
                continue
            right = self.signed_power() if self.options.left_to_right_division else self.signed(glued_only=True)
            if isinstance(right, Chain) and right.kind is sp.Mul and len(right.items) > 1:
                shown = self.source(start, self.tokens[self.i - 1].end)
                self.notes.add(f"/{shown} read as /({shown}): a product written without a space or * stays together")
                self.notes.divisions.append(f"/{shown} read as /({shown})")
            result = make_div(result, right, op.pos)
            divided = True
        return result

    def signs(self) -> bool:
        """Leading signs, taken: whether they make a minus (--x is x)."""
        negative = False
        while self.peek.kind in ("+", "-"):
            negative ^= self.take().kind == "-"
        return negative

    def signed_power(self) -> object:
        """Left-to-right reading of a divisor (1/2x as (1/2)·x): a sign and one power."""
        negative = self.signs()
        item = self.power()
        return make_neg(item) if negative else item

    def signed(self, glued_only: bool = False) -> object:
        negative = self.signs()
        item = self.implicit(glued_only)
        return make_neg(item) if negative else item

    def starts_factor(self) -> bool:
        token = self.peek
        return token.kind in _ATOM_STARTS or (token.kind == "|" and self.bars == 0)

    def implicit(self, glued_only: bool = False) -> object:
        factors = [self.power()]
        while self.starts_factor() and (self.peek.glued or not glued_only):
            if self.peek.kind == "NUM" and self.tokens[self.i - 1].kind == "NUM":
                first = self.tokens[self.i - 1].text
                raise ParseError(f"two numbers side by side ({first} {self.peek.text}): write * between "
                                 "them, or one number", self.peek.pos)  # fmt: skip
            factors.append(self.power())
        return make_product(factors)

    def power(self) -> object:
        start = self.peek.pos
        base = self.postfix()
        if self.peek.kind != "^":
            return base
        caret = self.take()
        exponent, bare = self.exponent()
        result = make_pow(base, exponent, caret.pos)
        after = self.tokens[self.i - 1].end
        if bare and self.starts_factor() and self.peek.glued:
            # x^2y, e^x(x+1), e^2x: the exponent is the one atom after ^, and what follows multiplies
            power, following = self.source(start, after), self._next_piece()
            self.notes.add(f"{power}{following} read as {power}·{following}")
        elif bare and self.peek.kind == "/" and self.tokens[self.i - 1].text == "1" and self.after_next("NUM"):
            self.notes.add(f"{self.source(start, after)}/… read as ({self.source(start, after)})/…; "
                           f"write ^(a/b) for a fractional power")  # fmt: skip
        return result

    def _next_piece(self) -> str:
        """The source of the atom that starts at the current token, for a note."""
        token = self.peek
        if token.kind in ("(", "["):
            depth, j = 0, self.i
            while j < len(self.tokens) - 1:
                kind = self.tokens[j].kind
                depth += kind in ("(", "[")
                depth -= kind in (")", "]")
                if depth == 0:
                    return self.source(token.pos, self.tokens[j].end)
                j += 1
        return token.text

    def exponent(self) -> tuple[sp.Expr, bool]:
        """The exponent: a sign and one atom (x^-1, x^2, e^x, x^(a+b)), right-associative."""
        negative = self.signs()
        bracketed = self.peek.kind in ("(", "[")
        atom = self.postfix(in_exponent=True)
        if self.peek.kind == "^":
            caret = self.take()
            self.enter(caret)
            inner, _ = self.exponent()
            self.depth -= 1
            atom = make_pow(atom, inner, caret.pos)
            bracketed = False
        value = unwrap(atom)
        return (make_neg(value) if negative else value), not bracketed

    def postfix(self, in_exponent: bool = False) -> object:
        item = self.atom(in_exponent)
        while self.peek.kind == "!":
            bang = self.take()
            item = make_factorial(item, bang.pos)
        return item

    def atom(self, in_exponent: bool = False) -> object:
        token = self.peek
        if token.kind == "NUM":
            self.take()
            assert token.value is not None
            return token.value
        if token.kind == "NAME":
            return self.name(in_exponent)
        if token.kind == "FUNC":
            return self.function(in_exponent)
        if token.kind == "ROOT":
            return self.radical()
        if token.kind == "DERIV":
            return self.derivative()
        if token.kind in ("(", "["):
            return self.group()
        if token.kind == "|":
            self.enter(self.take())
            self.bars += 1
            inner = self.expression()
            self.bars -= 1
            if self.peek.kind != "|":
                raise ParseError("a '|' is never closed", token.pos)
            self.take()
            self.depth -= 1
            return sp.Abs(inner)
        raise self.unexpected()

    def group(self) -> object:
        opener = self.take()
        closer = ")" if opener.kind == "(" else "]"
        bars, self.bars = self.bars, 0
        self.enter(opener)
        inner = self.expression()
        self.depth -= 1
        self.bars = bars
        if self.peek.kind == ",":
            raise ParseError("a ',' inside brackets: a list of values is not an expression here", self.peek.pos)
        self.expect(closer, f"{closer!r}")
        return Grouped(inner)

    def name(self, in_exponent: bool = False) -> sp.Expr:
        token = self.take()
        word = token.text
        if word in ("i", "I") and token.index is None and self.options.complex:
            return sp.I
        if word in CONSTANTS and token.index is None:
            return CONSTANTS[word]
        if word == "sigma":
            self.notes.add("sigma read as the variable σ (sigma(…) is the sigmoid)")
        value = symbol(f"{word}_{token.index}" if token.index is not None else word)
        if self.peek.kind == "(" and self.peek.glued and (len(word) == 1 or word in GREEK) and not in_exponent:
            self.notes.add(f"{word}(…) read as the product {word}·(…): {word} is not a known function")
        return value

    def function(self, in_exponent: bool) -> object:
        token = self.take()
        name = token.text
        if name == "sigma" and self.peek.kind != "(":
            token.kind = "NAME"  # σ alone or squared is a variable; applied, it is the sigmoid
            self.i -= 1
            return self.name()
        base = self._log_base(token)
        if name in EXTREMA:
            return self.extremum(token)
        power: sp.Expr | None = None
        power_text = ""
        if self.peek.kind == "^":
            caret = self.take()
            power, _ = self.exponent()
            power_text = self.source(caret.pos, self.tokens[self.i - 1].end)
        argument_text: str | None = None
        inside = ""
        if self.peek.kind == "(":
            start = self.peek.pos
            arguments = self.arguments(name)
            inside = self.source(start, self.tokens[self.i - 1].end)
        else:
            if not self.starts_factor():
                raise self.unexpected(f"{name} needs an argument, such as {name}(x)")
            start = self.peek.pos
            arguments = [self.bare_argument(single=in_exponent)]
            argument_text = self.source(start, self.tokens[self.i - 1].end)
            inside = f"({argument_text})"
        written = self.source(token.pos, token.end) + power_text
        applied = f"{name}{inside}"
        if power == -1 and FUNCTIONS[name] in INVERSE_BY_POWER_MINUS_ONE:
            inverse = INVERSE_BY_POWER_MINUS_ONE[FUNCTIONS[name]].__name__.replace("a", "arc", 1)
            self.notes.add(f"{written} read as {inverse}, the inverse function, not 1/{name}")
        elif power is not None:
            typed = f" {argument_text}" if argument_text is not None else inside
            self.notes.add(f"{written}{typed} read as ({applied}){power_text}")
        elif argument_text is not None:
            self.notes.add(f"{self.source(token.pos, self.tokens[self.i - 1].end)} read as {applied}")
        if name == "log" and len(arguments) == 2 and base is None:
            arguments, base = arguments[:1], arguments[1]
        if len(arguments) != 1:
            raise ParseError(f"{name} takes one argument, not {len(arguments)}", token.pos)
        return apply_function(name, arguments[0], power, base, token.pos)

    def extremum(self, token: Token) -> sp.Expr:
        """max(a, b, …), min(a, b, …): two or more arguments, always in brackets."""
        name = token.text
        if self.peek.kind == "^":
            raise ParseError(f"write the power after the brackets, such as {name}(a, b)^2", self.peek.pos)
        if self.peek.kind != "(":
            raise ParseError(f"{name} needs its arguments in brackets, such as {name}(a, b)", token.pos)
        return apply_extremum(name, self.arguments(name), token.pos)

    def radical(self) -> object:
        """√x, ∛(x+1): the radical sign covers the one atom after it, as a bar drawn over it would."""
        sign = self.take()
        if not self.starts_factor():
            raise self.unexpected(f"{sign.text} needs something under it, such as {sign.text}x or {sign.text}(x+1)")
        radicand = self.postfix()
        if self.peek.kind == "^":  # √x^2: the power is of √x, as the bar ends before it
            covered = self.source(sign.end, self.tokens[self.i - 1].end)
            self.notes.add(f"{sign.text}{covered}^… read as ({sign.text}{covered})^…")
        if self.starts_factor() and self.peek.glued:
            covered = self.source(sign.end, self.tokens[self.i - 1].end)
            self.notes.add(f"{sign.text}{covered}{self.peek.text}… read as {sign.text}{covered}·{self.peek.text}…")
        assert sign.value is not None
        return make_pow(Grouped(unwrap(radicand)), 1 / sign.value, sign.pos)

    def derivative(self) -> sp.Expr:
        """d/dx (x^2), d/dx x^2, d^2/dx^2 sin x: the operator applied to what follows."""
        token = self.take()
        assert token.value is not None and token.index is not None
        if not self.starts_factor():
            raise self.unexpected(f"{token.text} needs a function to differentiate, such as {token.text}(x^2)")
        argument = self.arguments(token.text)[0] if self.peek.kind == "(" else self.bare_argument(single=False)
        if "," in token.index or token.index[-1:].isdigit():  # ∂²/∂y∂x: "x1,y1", variables in the order taken
            taken = [(symbol(part[0]), int(part[1:])) for part in token.index.split(",")]
            return sp.Derivative(argument, *taken, evaluate=False)
        variable = symbol(token.index)
        return sp.Derivative(argument, (variable, int(token.value)), evaluate=False)

    def _log_base(self, token: Token) -> sp.Expr | None:
        if token.index is None:
            return None
        if token.text != "log":
            raise ParseError(f"{token.text} takes no subscript", token.pos)
        if token.index.isdigit():
            return sp.Integer(token.index)
        return CONSTANTS.get(token.index) or symbol(token.index)

    def arguments(self, name: str) -> list[sp.Expr]:
        self.enter(self.take())
        bars, self.bars = self.bars, 0
        values = [self.expression()]
        while self.peek.kind == ",":
            self.take()
            values.append(self.expression())
        self.bars = bars
        self.depth -= 1
        self.expect(")", f"')' to close {name}(")
        return values

    def bare_argument(self, single: bool) -> sp.Expr:
        """sin 2x, ln x^2, sin x cos x: powers multiplied up to an operator or another function."""
        factors = [self.power()]
        while not single and self.starts_factor() and self.peek.kind != "FUNC":
            factors.append(self.power())
        return unwrap(make_product(factors))


def parse_text(text: str, options: ReadOptions | None = None, notes: Notes | None = None) -> sp.Expr:
    """Read a plain-text expression; raise ParseError with a column for anything else."""
    options = options or ReadOptions()
    notes = notes if notes is not None else Notes()
    limits.check_text(text)
    check_brackets(text)
    tokens = Lexer(text, options, notes).run()
    parser = _Parser(text, tokens, options, notes)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4000))  # brackets are at most 100 deep: ~10 frames a level
    try:
        result = unwrap(parser.expression())
        if parser.peek.kind != "END":
            token = parser.peek
            if token.kind in (")", "]"):
                raise ParseError(f"unmatched {token.text!r}", token.pos)
            raise parser.unexpected()
    except ParseError as error:
        raise ParseError(error.message, error.position, text) from None
    except RecursionError:
        raise ParseError(f"expression nested more than {limits.MAX_NESTING} levels deep", None, text) from None
    finally:
        sys.setrecursionlimit(limit)
    limits.check_depth(result)
    return result


__all__ = ["parse_text"]
