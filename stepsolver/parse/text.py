"""The plain-text reader (``x^2*sin(x)``): a Lark grammar, never Python's eval or sympify."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import sympy as sp
from lark import Lark, Token, UnexpectedInput, v_args

from ..errors import ParseError
from . import limits
from .brackets import check_brackets
from .build import ExprBuilder, apply_function, make_mul, make_name, unwrap
from .latex import BarSides, syntax_error
from .names import CONSTANTS, FUNCTIONS

_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9\s+\-*/^_()\[\]|!.,·×πσ]")
_NAME_LIMIT = 32


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files(__package__).joinpath("text.lark").read_text()
    return Lark(grammar, parser="lalr", lexer="contextual", postlex=BarSides(), propagate_positions=True, cache=True)


@v_args(meta=True, inline=True)
class _TextBuilder(ExprBuilder):
    def name(self, meta: Any, token: Token) -> sp.Expr:
        text = token.value
        if len(text) > _NAME_LIMIT:
            raise ParseError(f"a name of {len(text)} characters; the limit is {_NAME_LIMIT}", token.start_pos)
        if text in CONSTANTS:
            return CONSTANTS[text]
        if text in FUNCTIONS:
            raise ParseError(f"{text} is a function: write {text}(…)", token.start_pos)
        if "_" in text:
            base, _, sub = text.partition("_")
            return make_name(base, sub, token.start_pos)
        return make_name(text, None, token.start_pos)

    def call(self, meta: Any, token: Token, *arguments: Any) -> sp.Expr:
        name = token.value
        args = [unwrap(a) for a in arguments]
        if name == "σ":
            name = "sigma"
        if name not in FUNCTIONS:
            if len(name) == 1 and len(args) == 1:
                return make_mul(self.name(meta, token), args[0])  # x(y+1) is a product
            raise ParseError(f"unknown function {name}", token.start_pos)
        if name == "log" and len(args) == 2:
            return apply_function("log", args[0], None, args[1], token.start_pos)
        if len(args) != 1:
            raise ParseError(f"{name} takes one argument, not {len(args)}", token.start_pos)
        return apply_function(name, args[0], None, None, token.start_pos)


def parse_text(text: str) -> sp.Expr:
    """Read a plain-text expression; raise ParseError with a column for anything else."""
    limits.check_text(text)
    for pos, char in enumerate(text):
        if not _ALLOWED_CHARS.fullmatch(char):
            raise ParseError(f"unexpected character {char!r}", pos, text)
    check_brackets(text.replace("{", " ").replace("}", " "))  # braces are not plain-text brackets
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise syntax_error(error, text, text) from None
    try:
        result = unwrap(_TextBuilder().transform(tree))
    except Exception as error:  # Lark wraps what the builder raises in a VisitError
        inner = getattr(error, "orig_exc", error)
        if isinstance(inner, ParseError):
            raise ParseError(inner.message, inner.position, text) from None
        if isinstance(inner, RecursionError):
            raise ParseError(f"expression nested more than {limits.MAX_NESTING} levels deep", None, text) from None
        raise ParseError(f"cannot read this expression ({type(inner).__name__})", None, text) from None
    limits.check_depth(result)
    return result
