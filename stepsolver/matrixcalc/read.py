"""Reading matrix-calculus expressions: LaTeX or plain text to the nodes of ``terms``.

``declare`` turns the shapes a user gives (``{"X": ("n", "m"), "w": ("m",), "\\lambda": ()}``,
or the command line's ``"n,m"``) into named ``Sym`` nodes; ``read_matrix`` reads an expression
over them; ``bare_name`` is the one spelling of a name (``\\boldsymbol{\\Sigma}`` is ``Sigma``) and
``dim`` the one Symbol of a dimension name.

A small hand-written tokenizer and a precedence-climbing parser, not Lark: the lecture's
notation leans on juxtaposition (``x^\\top A x``, ``y^\\top \\ln\\sigma(Xw + b\\mathbf{1})``), on
bars that open or close by where they stand (``\\ln|\\det X|``), on superscripts that are
transposes, inverses or powers, and on functions whose argument is bracketed or not
(``\\det X``, ``\\log\\det X``, ``\\operatorname{tr} AB``); each is one small rule here, where a
grammar would need a post-lexer and ambiguity resolution as well. Every loop moves forward
over the tokens and nothing is retried, so time is linear in the input.

Three passes:

1. tokens to an untyped tree (``_Node``), names still strings;
2. shapes: names resolved (declared variables, dimension names as scalars, ``I`` as the
   identity) and the unknown sizes of 𝟏 and I inferred by unification — each unknown size is a
   variable, sums and Hadamard products equate shapes, products equate inner dimensions (1×1
   factors scale), tr/det/inverse make their argument square; so sizes flow both up (``b𝟏`` in
   a sum with ``Xw``) and down (``𝟏ᵀu``) in one pass; a size left unknown is an error;
3. the nodes, built with the sizes known, through the constructors of ``terms`` (which check
   conformity and raise their own one-line ShapeError naming both shapes).

Reading rules (each an ambiguity resolved):

- LaTeX if the text has a backslash or a brace, else plain text (matrixcalculus.org's style:
  ``x'*A*x``, ``inv(X)``, ``X.*Y``, ``norm2(x)^2``, ``vector(1)``);
- a run of letters is single-letter names unless it is a declared name (longest first), or, as
  a whole, a function's name (``tr(A)``, ``ReLU(x)``); plain text also splits off function and
  Greek names (``trAx`` is tr A x, ``lambda`` is λ) and reads ``x1`` as x_1;
- ``^T``, ``^\\top``, ``'`` and ``ᵀ`` transpose (``^T`` even when T is declared); ``^{-1}`` is the
  inverse of a matrix; a power of a square matrix is the product of its factors; of a scalar it
  is the element-wise power; ``^{\\odot k}`` (``.^k``) the element-wise power of anything;
- ``\\sigma`` is the sigmoid when an argument in brackets follows, otherwise a name;
- a function's argument is what its brackets hold; without brackets it is the next function
  application (``\\ln\\sigma(z)`` is ln(σ(z))) or bar (``\\ln|\\det X|``), for tr and det the run of
  juxtaposed factors that follows (``\\operatorname{tr} AB`` is tr(AB)), for the others the next
  factor with its superscripts (``\\exp x^2`` is exp(x²)); brackets after an application are
  its result's (``\\det(X)^{-1}``, ``\\sigma(z)^\\top``);
- ln or log of det X, or of |det X|, is LogAbsDet(X); ‖X‖_F of a matrix is its Frobenius norm;
  ‖X‖₂ (and an unsubscripted ‖X‖) of a matrix is refused (it would be the spectral norm);
- ``a - b`` is a + (−1)·b; numbers are exact (1.5 is 3/2); numbers in a product merge in front
  (``x^\\top 2 x`` is 2·xᵀx); a division is by a scalar, written first (A/c is (1/c)·A);
- a dimension name used as a scalar is that number (``\\frac{1}{n}`` with X n×m is 1/n);
- a bare number added to a vector is an error naming both shapes, never broadcast.

Limits, checked before anything is built: 10,000 characters, 100 nested brackets, 200 nested
applications, bars or brackets, a tree 250 deep, numbers of 100 digits, exponents up to 1,000
(32 for a matrix power, which is written out). No text is ever eval'd or sympified.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

import sympy as sp

from ..errors import ParseError
from ..functions import ReLU, sigmoid, softplus
from ..parse.brackets import check_brackets
from ..parse.limits import check_nesting
from ..parse.names import GREEK
from . import terms as t

ShapeSpec: TypeAlias = "tuple[Any, ...] | list[Any] | str"

MAX_LENGTH = 10_000  # characters of input
MAX_DEPTH = 250  # depth of the tree read, and (200) of nested applications, bars and brackets
MAX_PARSE_NESTING = 200
MAX_DIGITS = 100  # digits of one number
MAX_EXPONENT = 1_000  # |k| in a power
MAX_MATRIX_POWER = 32  # X^k is written out as k factors
MAX_NAME = 32  # characters of a name

_ONE = sp.Integer(1)


# -- names and shapes -------------------------------------------------------------------------------


def dim(name: str) -> sp.Symbol:
    """The Symbol of a dimension name: the same name is always the same Symbol."""
    return sp.Symbol(name, positive=True, integer=True)


_GREEK = frozenset(GREEK) | {"ell", "varrho", "varsigma", "varpi", "Varsigma"}
_GREEK_LETTERS = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
                  "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu",
                  "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
                  "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
                  "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega"}  # fmt: skip

# A function's names, in both syntaxes (plain ``tr(A)``, LaTeX ``\operatorname{tr}``), to what it is.
_FUNCTION_WORDS = {
    "tr": "tr", "Tr": "tr", "trace": "tr", "Trace": "tr", "det": "det", "logdet": "logdet",
    "exp": "exp", "log": "log", "ln": "log", "tanh": "tanh", "sigmoid": "sigmoid", "softplus": "softplus",
    "relu": "relu", "ReLU": "relu", "softmax": "softmax", "diag": "diag", "sum": "sum", "sqrt": "sqrt",
    "abs": "abs", "inv": "inv", "norm": "norm", "normF": "normF", "vector": "vector", "matrix": "matrix",
}  # fmt: skip
# LaTeX commands that are functions: \det, \exp, \log, \ln, \tanh, and the macros people define.
_FUNCTION_COMMANDS = {w: _FUNCTION_WORDS[w] for w in ("det", "exp", "log", "ln", "tanh", "tr", "Tr", "trace",
                      "diag", "softmax", "softplus", "relu", "ReLU", "sigmoid", "logdet", "sqrt", "norm")}  # fmt: skip
_ELEMENTWISE = {"exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "sigmoid": sigmoid, "softplus": softplus,
                "relu": ReLU, "sqrt": sp.sqrt, "abs": sp.Abs}  # fmt: skip
_RUN_ARGUMENT = {"tr", "det", "logdet"}  # tr AB is tr(AB)
_SHOWN = {"tr": "tr", "det": "det", "logdet": "logdet", "exp": "exp", "log": "ln", "tanh": "tanh",
          "sigmoid": "σ", "softplus": "softplus", "relu": "ReLU", "softmax": "softmax", "diag": "diag",
          "sum": "sum", "sqrt": "sqrt", "abs": "abs", "inv": "inv", "norm": "norm", "norm2": "norm2",
          "normF": "normF", "vector": "vector", "matrix": "matrix"}  # fmt: skip
_RESERVED = frozenset(_FUNCTION_WORDS) | {"norm2"}  # names a variable may not have

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_WRAPPED = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|pmb|mathrm|mathit|mathsf|operatorname|text)\s*\{(.*)\}\Z", re.S)
_WRAPPED_BARE = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|pmb)\s*(\\?[A-Za-z]+(?:_.*)?)\Z", re.S)
_COMMAND_NAME = re.compile(r"\\([A-Za-z]+)\s*(.*)\Z", re.S)
_INDEX = re.compile(r"(.*?)_\{\s*([A-Za-z0-9]+)\s*\}\Z|(.*?)_([A-Za-z0-9]+)\Z", re.S)


def _unwrap_name(text: str) -> str:
    """\\boldsymbol{\\mathrm{x}} to x: a few wrappers deep at most, each around the whole name."""
    for _ in range(8):
        wrapped = _WRAPPED.match(text)
        if wrapped and _balanced(wrapped.group(1)):
            text = wrapped.group(1).strip()
            continue
        bare = _WRAPPED_BARE.match(text)
        if not bare:
            break
        text = bare.group(1).strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bare_name(name: str) -> str:
    """The one spelling of a variable's name: ``\\Sigma``, ``Σ``, ``\\boldsymbol{\\Sigma}`` are
    ``Sigma``; ``\\mathbf{x}`` and ``\\vec x`` are ``x``; ``W_{1}``, ``W_1`` and ``W1`` are ``W_1``."""
    if not isinstance(name, str):
        raise ParseError(f"a name must be a string, got {type(name).__name__}")
    text = _unwrap_name(name.strip())
    index = ""
    indexed = _INDEX.match(text)
    if indexed:
        text, index = (indexed.group(1), indexed.group(2)) if indexed.group(2) else (indexed.group(3), indexed.group(4))
        text = _unwrap_name(text.strip())  # \mathbf{x}_1
    command = _COMMAND_NAME.match(text)
    if command:
        if command.group(1) not in _GREEK or command.group(2):
            raise ParseError(f"{name!r} is not a name: give a letter, a Greek letter such as \\lambda, or a word")
        text = command.group(1)
    elif text[:1] in _GREEK_LETTERS and len(text) == 1:
        text = _GREEK_LETTERS[text]
    digits = re.fullmatch(r"([A-Za-z]+)([0-9]+)", text)
    if digits and not index:
        text, index = digits.group(1), digits.group(2)  # x1 is x_1, as the plain-text reader reads it
    if not re.fullmatch(r"[A-Za-z]+", text) or len(text) > MAX_NAME or len(index) > MAX_NAME:
        raise ParseError(f"{name!r} is not a name: give a letter, a Greek letter such as \\lambda, or a word")
    return f"{text}_{index}" if index else text


def _dimension(value: Any, name: str) -> t.Dim:
    if isinstance(value, bool):
        raise ParseError(f"the shape of {name} has {value!r} as a dimension: give a positive whole number or a name")
    if isinstance(value, (int, sp.Integer)):
        if int(value) < 1:
            raise ParseError(f"the shape of {name} has {value} as a dimension: a dimension is at least 1")
        return sp.Integer(int(value))
    if isinstance(value, sp.Symbol):
        value = value.name
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]{1,9}", text):
            return _dimension(int(text), name)
        if _IDENTIFIER.match(text) and len(text) <= MAX_NAME and text not in _RESERVED:
            return dim(text)
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ParseError(
            f"the shape of {name} has {shown!r} as a dimension: give a positive whole number or a name such as n"
        )
    raise ParseError(f"the shape of {name} has a {type(value).__name__} as a dimension: give a whole number or a name")


def _shape(spec: Any, name: str) -> t.Shape:
    if isinstance(spec, t.Sym):
        return spec.shape
    if isinstance(spec, str):
        text = spec.strip()
        if text[:1] in "([" and text[-1:] in ")]":
            text = text[1:-1].strip()
        parts: list[Any] = [p.strip() for p in re.split(r"[,×]", text)] if text else []
    elif isinstance(spec, (tuple, list)):
        parts = list(spec)
    else:
        raise ParseError(f"the shape of {name} must be a tuple such as ('n',) or ('m', 'n'), or a text such as 'm,n'")
    if len(parts) > 2:
        raise ParseError(f"the shape of {name} has {len(parts)} dimensions: a matrix has at most 2")
    dims = [_dimension(part, name) for part in parts]
    if len(dims) == 0:
        return t.SCALAR
    if len(dims) == 1:
        return (dims[0], _ONE)
    return (dims[0], dims[1])


def declare(shapes: Mapping[str, ShapeSpec]) -> dict[str, t.Sym]:
    """The named nodes of the shapes a user gives: ``("n",)`` a column vector n×1, ``(1, "n")`` a
    row vector, ``()`` or ``""`` a scalar, ``("m", "n")`` or ``"m,n"`` an m×n matrix; each
    dimension a positive whole number or a dimension name (``dim``). Keys are names as written in
    LaTeX or bare (``\\lambda`` or ``lambda``); the result is keyed by the bare name."""
    if not isinstance(shapes, Mapping):
        raise ParseError("shapes must be a mapping of names to shapes, such as {'x': ('n',)}")
    declared: dict[str, t.Sym] = {}
    for key, spec in shapes.items():
        name = bare_name(key)
        if name in _RESERVED:
            raise ParseError(f"{name} is the name of a function: give the variable another name")
        rows, cols = _shape(spec, name)
        symbol = t.Sym(name, rows, cols)
        if name in declared and declared[name] != symbol:
            raise ParseError(f"{name} is declared twice with different shapes")
        declared[name] = symbol
    for symbol in declared.values():
        for d in symbol.shape:
            for s in d.free_symbols:
                if s.name in declared:
                    raise ParseError(f"{s.name} is both a dimension (of {symbol.name}) and a variable: rename one")
    return declared


def _variables(shapes: Mapping[str, Any]) -> dict[str, t.Sym]:
    if isinstance(shapes, Mapping) and all(isinstance(v, t.Sym) for v in shapes.values()):
        variables = {v.name: v for v in shapes.values()}
        for symbol in variables.values():
            for d in symbol.shape:
                if any(s.name in variables for s in d.free_symbols):
                    raise ParseError(f"{d} is both a dimension (of {symbol.name}) and a variable: rename one")
        return variables
    return declare(shapes)


# -- tokens ---------------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str
    pos: int
    end: int
    text: str = ""
    value: Any = None


_SIZING = re.compile(r"(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)\Z")
_IGNORED = {"displaystyle", "textstyle", "quad", "qquad", "limits", "nolimits", "nonumber"}
_BOLD = {"mathbf", "boldsymbol", "bm", "vec", "mathbb", "pmb", "mathbfit"}
_ROMAN = {"operatorname", "mathrm", "text", "textrm", "mathit", "mathsf", "textit"}
_LETTERS = re.compile(r"[A-Za-z]+")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_SUB_LATEX = re.compile(
    r"_\s*(?:\{\s*(?:\\(?:mathrm|text|rm|mathsf|operatorname)\s*\{\s*([A-Za-z0-9]+)\s*\}|([A-Za-z0-9]+))\s*\}"
    r"|([A-Za-z0-9]))"
)
_SUB_TEXT = re.compile(r"_([0-9]+|[A-Za-z]+)")  # W_1x is W_1·x
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SINGLE = {"+": "+", "*": "*", "/": "/", "(": "(", ")": ")", "[": "[", "]": "]", "{": "{", "}": "}", ",": ",",
           "'": "'", "-": "-", "−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "∗": "*", "⊙": "had", "∘": "had",
           "⊘": "hdiv", "ᵀ": "postT", "𝟏": "ones", "√": "func"}  # fmt: skip


def _describe(char: str) -> str:
    return repr(char) if char.isprintable() else f"U+{ord(char):04X} {char!r}"


class _Lexer:
    def __init__(self, text: str, latex: bool, names: frozenset[str], known: frozenset[str]):
        self.text = text
        self.latex = latex
        self.known = known  # declared variables and dimension names: whole words
        words = {n for n in names if len(n) > 1 and n.isalpha()}
        if not latex:
            words |= set(_FUNCTION_WORDS) | _GREEK | {"ones"}
        self.words = sorted(words, key=len, reverse=True)
        self.tokens: list[_Token] = []
        self.second_argument: set[int] = set()  # where \frac's second argument starts, after its first {…}
        self.bold_brace: set[int] = set()  # braces of \mathbf{x}: a name, not a function's argument
        self.match = self._braces() if latex else {}

    def _braces(self) -> dict[int, int]:
        match: dict[int, int] = {}
        stack: list[int] = []
        text = self.text
        for pos, char in enumerate(text):
            if char in "{}" and pos > 0 and text[pos - 1] == "\\" and not (pos > 1 and text[pos - 2] == "\\"):
                continue
            if char == "{":
                stack.append(pos)
            elif char == "}" and stack:
                match[stack.pop()] = pos
        return match

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def add(self, kind: str, pos: int, end: int, text: str = "", value: Any = None) -> None:
        self.tokens.append(_Token(kind, pos, end, text, value))

    def run(self) -> list[_Token]:
        self._run(0, len(self.text))
        self.add("end", len(self.text), len(self.text))
        return self.tokens

    def _run(self, i: int, stop: int) -> None:
        while i < stop:
            if i in self.second_argument:
                self.second_argument.discard(i)
                i = self._argument(i, stop, "\\frac needs a second argument (the denominator)")
                continue
            if self.text[i].isspace():
                i += 1
                continue
            i = self._one(i, stop)
        if stop in self.second_argument:
            self.second_argument.discard(stop)
            self._argument(stop, stop, "\\frac needs a second argument (the denominator)")

    def _skip(self, i: int, stop: int) -> int:
        while i < stop and self.text[i].isspace():
            i += 1
        return i

    def _one(self, i: int, stop: int) -> int:
        text = self.text
        char = text[i]
        if char == "\\":
            return self._command(i, stop)
        if (char.isdigit() and char.isascii()) or (char == "." and text[i + 1 : i + 2].isdigit()):
            return self._number(i, stop)
        if char.isascii() and char.isalpha():
            return self._letters(i, stop)
        if char == "_":
            return self._subscript(i)
        if char == "^":
            self.add("^", i, i + 1)
            return self._argument(i + 1, stop, "^ needs an exponent") if self.latex else i + 1
        if char == "*" and text[i + 1 : i + 2] == "*" and not self.latex:
            self.add("^", i, i + 2)  # x**2, as Python writes it
            return i + 2
        if char == "." and text[i + 1 : i + 2] in ("*", "/", "^"):
            kind = {"*": "had", "/": "hdiv", "^": "epow"}[text[i + 1]]
            self.add(kind, i, i + 2)
            return i + 2
        if char == "|":
            if not self.latex and text[i + 1 : i + 2] == "|":
                self.add("norm", i, i + 2)
                return i + 2
            self.add("bar", i, i + 1)
            return i + 1
        if char == "‖":
            self.add("norm", i, i + 1)
            return i + 1
        if char == "⁻" and text[i + 1 : i + 2] == "¹":
            self.add("postInv", i, i + 2)
            return i + 2
        if char == "⁻" and text[i + 1 : i + 2] == "ᵀ":
            self.add("postInvT", i, i + 2)
            return i + 2
        if char in "⁻⁰¹²³⁴⁵⁶⁷⁸⁹":
            j = i + 1
            while j < stop and text[j] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
                j += 1
            digits = text[i:j].lstrip("⁻").translate(_SUPERSCRIPT_DIGITS)
            if not digits:
                raise self.error("⁻ must be followed by ¹, ᵀ or superscript digits", i)
            self._check_digits(digits, i)
            power = int(digits) * (-1 if char == "⁻" else 1)
            self.add("postPow", i, j, text[i:j], power)
            return j
        if char in "₀₁₂₃₄₅₆₇₈₉":
            j = i
            while j < stop and text[j] in "₀₁₂₃₄₅₆₇₈₉":
                j += 1
            self.add("sub", i, j, text[i:j].translate(_SUBSCRIPT_DIGITS))
            return j
        if char in _GREEK_LETTERS:
            self.add("name", i, i + 1, _GREEK_LETTERS[char])
            return i + 1
        if char in _SINGLE:
            kind = _SINGLE[char]
            self.add(kind, i, i + 1, "sqrt" if kind == "func" else char)
            return i + 1
        hint = ": plain text has no braces; write LaTeX with a backslash command" if char in "{}" else ""
        raise self.error(f"unexpected character {_describe(char)}{hint}", i)

    def _check_digits(self, digits: str, pos: int) -> None:
        if len(digits.replace(".", "")) > MAX_DIGITS:
            raise self.error(f"a number of {len(digits):,} digits; the limit is {MAX_DIGITS}", pos)

    def _number(self, i: int, stop: int) -> int:
        match = _NUMBER.match(self.text, i, stop)
        assert match is not None
        digits = match.group(0)
        self._check_digits(digits, i)
        whole, _, fraction = digits.partition(".")
        value = sp.Rational(int(whole or "0") * 10 ** len(fraction) + int(fraction or "0"), 10 ** len(fraction))
        self.add("num", i, match.end(), digits, value)
        return match.end()

    def _letters(self, i: int, stop: int) -> int:
        match = _LETTERS.match(self.text, i, stop)
        assert match is not None
        run, end = match.group(0), match.end()
        if run in self.known or run in _FUNCTION_WORDS:
            words = [run]
        else:
            words = []
            at = 0
            while at < len(run):
                word = next((w for w in self.words if run.startswith(w, at)), run[at])
                words.append(word)
                at += len(word)
        after = self._skip(end, len(self.text))
        if (
            len(run) > 1
            and all(len(w) == 1 for w in words)
            and self.text[after : after + 1] == "("
            and any(w not in self.known and w != "I" for w in words)
        ):
            raise self.error(f"unknown function {run}", i)
        at = i
        for n, word in enumerate(words):
            stop_at = at + len(word)
            last = n == len(words) - 1
            if last and word == "norm" and not self.latex:
                variant = re.compile(r"_fro|_Fro|_F|_2|2(?![0-9])").match(self.text, stop_at)
                if variant:
                    self.add("func", at, variant.end(), "norm2" if "2" in variant.group(0) else "normF")
                    return variant.end()
            if word in self.known:
                self.add("name", at, stop_at, word)
            elif word in _FUNCTION_WORDS:
                self.add("func", at, stop_at, _FUNCTION_WORDS[word])
            elif word == "ones":
                self.add("ones", at, stop_at, word)
            else:
                self.add("name", at, stop_at, word)
            at = stop_at
        if not self.latex:
            digits = re.compile(r"[0-9]+").match(self.text, end)
            if digits and self.tokens[-1].kind == "name":  # x1 is x_1
                self.add("sub", end, digits.end(), digits.group(0))
                return digits.end()
            if digits and self.tokens[-1].kind == "func":
                written = run + digits.group(0)
                raise self.error(f"{written} is not read: write {run}(…), or {run}(…)*{digits.group(0)}", i)
        return end

    def _subscript(self, i: int) -> int:
        match = (_SUB_LATEX if self.latex else _SUB_TEXT).match(self.text, i)
        if not match:
            raise self.error("a subscript must be letters or digits, such as x_1 or W_{12}", i)
        index = next(g for g in match.groups() if g)
        if len(index) > MAX_NAME:
            raise self.error(f"a subscript of {len(index)} characters; the limit is {MAX_NAME}", i)
        self.add("sub", i, match.end(), index)
        return match.end()

    def _argument(self, i: int, stop: int, missing: str) -> int:
        """One LaTeX argument (of ^, \\frac, \\sqrt): a braced group is read as it comes; a single
        character or command gets braces of its own (``x^23`` is x²·3, ``\\frac12`` is ½)."""
        i = self._skip(i, stop)
        if i >= stop or self.text[i] in "}])":
            raise self.error(missing, i)
        if self.text[i] == "{":
            return i
        end = self._unit_end(i, stop)
        self.add("{", i, i)
        self._run(i, end)
        self.add("}", end, end)
        return end

    def _unit_end(self, i: int, stop: int) -> int:
        text = self.text
        char = text[i]
        if char in "-−" and i + 1 < stop and not text[i + 1].isspace():
            return self._unit_end(i + 1, stop)  # X^-1, X^-T
        if char != "\\":
            return i + 1
        command = _COMMAND.match(text, i)
        if not command:
            return min(i + 2, stop)
        name = command.group(1)
        if name in _BOLD or name in _ROMAN:
            j = self._skip(command.end(), stop)
            if j < stop and text[j] == "{":
                if j not in self.match:
                    raise self.error("'{' is never closed", j)
                return self.match[j] + 1
            if name in _BOLD and j < stop:
                return self._unit_end(j, stop)
        if name in ("frac", "dfrac", "tfrac", "cfrac", "sqrt") or _SIZING.match(name):
            raise self.error(f"write the argument of \\{name} in braces here", i)
        return command.end()

    def _command(self, i: int, stop: int) -> int:
        text = self.text
        command = _COMMAND.match(text, i)
        if not command:
            second = text[i + 1 : i + 2]
            if second in (",", ";", ":", "!", " ", "\t", "\n"):
                return i + 2
            if second == "|":
                self.add("norm", i, i + 2)
                return i + 2
            if second in "{}" and second:
                self.add("(" if second == "{" else ")", i, i + 2, second)
                return i + 2
            shown = "\\" + second if second else "a lone backslash"
            raise self.error(f"unknown command {shown}", i)
        name, end = command.group(1), command.end()
        if _SIZING.match(name):
            return self._sized(name, i, end, stop)
        if name in _IGNORED:
            return end
        if name in ("cdot", "times", "ast"):
            self.add("*", i, end)
        elif name in ("odot", "circ"):
            self.add("had", i, end)
        elif name == "oslash":
            self.add("hdiv", i, end)
        elif name in ("top", "intercal", "prime", "T"):
            self.add("tmark", i, end, "\\" + name)
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            return self._frac(i, end, stop)
        elif name in ("lVert", "rVert", "Vert"):
            self.add("norm", i, end, value={"lVert": "open", "rVert": "close"}.get(name))
        elif name in ("lvert", "rvert", "vert"):
            self.add("bar", i, end, value={"lvert": "open", "rvert": "close"}.get(name))
        elif name in _BOLD:
            return self._bold(name, i, end, stop)
        elif name in _ROMAN:
            return self._roman(name, i, end)
        elif name in _FUNCTION_COMMANDS:
            self.add("func", i, end, _FUNCTION_COMMANDS[name])
            if name == "sqrt":
                j = self._skip(end, stop)
                if text[j : j + 1] == "[":
                    raise self.error("\\sqrt[n]{…}, an n-th root, is not read", i)
                return self._argument(end, stop, "\\sqrt needs an argument")
        elif name in _GREEK:
            self.add("name", i, end, name)
        elif name == "sum":
            raise self.error("\\sum is not read: write the sum of the entries of u as \\mathbf{1}^\\top u", i)
        else:
            after = self._skip(end, stop)
            what = "function" if text[after : after + 1] == "(" else "command"
            raise self.error(f"unknown {what} \\{name}", i)
        return end

    def _sized(self, name: str, i: int, end: int, stop: int) -> int:
        """\\left( and \\bigl[ are their bracket; \\left| opens a bar and \\right| closes it."""
        direction = None
        if name == "left" or name.endswith("l"):
            direction = "open"
        elif name == "right" or name.endswith("r"):
            direction = "close"
        j = self._skip(end, stop)
        text = self.text
        if j >= stop:
            raise self.error(f"\\{name} must be followed by a bracket", i)
        char = text[j]
        if char in "()[]":
            return j
        if char == "|":
            self.add("bar", i, j + 1, value=direction)
            return j + 1
        if char == ".":
            raise self.error(f"\\{name}. (an invisible bracket) is not read: write the brackets both sides", i)
        if char == "\\":
            command = _COMMAND.match(text, j)
            word = command.group(1) if command else text[j + 1 : j + 2]
            after = command.end() if command else j + 2
            if word in ("|", "Vert", "lVert", "rVert"):
                self.add("norm", i, after, value=direction)
                return after
            if word in ("vert", "lvert", "rvert"):
                self.add("bar", i, after, value=direction)
                return after
            if word in ("{", "}"):
                self.add("(" if word == "{" else ")", i, after, word)
                return after
            if word in ("lbrack", "rbrack"):
                self.add("[" if word == "lbrack" else "]", i, after)
                return after
        if name in ("left", "right"):
            raise self.error(f"\\{name} must be followed by a bracket, such as \\{name}( or \\{name}|", i)
        return end  # \big alone only sizes what follows

    def _frac(self, i: int, end: int, stop: int) -> int:
        self.add("frac", i, end)
        j = self._skip(end, stop)
        if j < stop and self.text[j] == "{":
            if j not in self.match:
                raise self.error("'{' is never closed", j)
            self.second_argument.add(self.match[j] + 1)
            return j
        k = self._argument(j, stop, "\\frac needs two arguments, such as \\frac{1}{2}")
        return self._argument(k, stop, "\\frac needs a second argument (the denominator)")

    def _bold(self, name: str, i: int, end: int, stop: int) -> int:
        """\\mathbf{1} (and \\mathbb 1, \\boldsymbol{1}) is 𝟏; around a name, bold is how vectors are
        written, and the name is read as if plain."""
        text = self.text
        j = self._skip(end, stop)
        if j < stop and text[j] == "{":
            close = self.match.get(j)
            if close is None:
                raise self.error("'{' is never closed", j)
            inner = text[j + 1 : close].strip()
            if inner == "1":
                self.add("ones", i, close + 1, "\\" + name)
                return close + 1
            if inner == "0":
                raise self.error("a zero vector or matrix is not read: leave the term out", i)
            if not inner:
                raise self.error(f"\\{name}{{}} is empty", i)
            self.bold_brace.add(j)
            return j
        if text[j : j + 1] == "1" and not text[j + 1 : j + 2].isdigit():
            self.add("ones", i, j + 1, "\\" + name)
            return j + 1
        if text[j : j + 1] == "0" and not text[j + 1 : j + 2].isdigit():
            raise self.error("a zero vector or matrix is not read: leave the term out", i)
        if j >= stop:
            raise self.error(f"\\{name} needs an argument", i)
        return end

    def _roman(self, name: str, i: int, end: int) -> int:
        word_match = re.compile(r"\*?\s*\{\s*([A-Za-z]+)\s*\}").match(self.text, end)
        if not word_match:
            raise self.error(f"\\{name} needs a name in braces, such as \\{name}{{tr}}", i)
        word = word_match.group(1)
        if word in _FUNCTION_WORDS and word not in self.known:
            self.add("func", i, word_match.end(), _FUNCTION_WORDS[word])
        elif len(word) == 1 or word in self.known or word in _GREEK:
            self.add("name", i, word_match.end(), word)
        else:
            raise self.error(f"unknown function \\{name}{{{word}}}", i)
        return word_match.end()

    def _wrap_bold(self) -> None:
        for token in self.tokens:
            if token.kind == "{" and token.pos in self.bold_brace:
                token.value = "bold"


# -- the untyped tree ----------------------------------------------------------------------------------


class _Node:
    """kind: num, name, ones, add, mul, div, had, hdiv, neg, T, inv, invT, pow, epow, func, abs, norm;
    after the shapes pass also sym, dimconst, identity."""

    __slots__ = ("data", "depth", "kids", "kind", "pos")
    kind: str
    pos: int
    kids: tuple[_Node, ...]
    data: Any
    depth: int

    def __init__(self, kind: str, pos: int, kids: tuple[_Node, ...] = (), data: Any = None):
        self.kind = kind
        self.pos = pos
        self.kids = kids
        self.data = data
        self.depth = 1 + max((k.depth for k in kids), default=0)
        if self.depth > MAX_DEPTH:
            raise ParseError(f"the expression is nested more than {MAX_DEPTH} levels deep", pos)


def _product(factors: list[_Node]) -> _Node:
    return factors[0] if len(factors) == 1 else _Node("mul", factors[0].pos, tuple(factors))


_CLOSER = {"(": ")", "[": "]", "{": "}"}
_OPENERS = ("(", "[", "{")


class _Parser:
    def __init__(self, tokens: list[_Token], text: str, latex: bool, known: frozenset[str]):
        self.tokens = tokens
        self.text = text
        self.latex = latex
        self.known = known
        self.i = 0
        self.depth = 0
        self.opened: list[str] = []  # the delimiters open around here, innermost last

    # helpers
    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def shown(self, token: _Token) -> str:
        if token.kind == "end":
            return "the end of the input"
        written = self.text[token.pos : token.end].strip()
        return f"'{written}'" if written else f"'{token.kind}'"

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_PARSE_NESTING:
            raise self.error(f"brackets, bars and functions nested more than {MAX_PARSE_NESTING} deep", pos)

    def closes(self, token: _Token) -> bool:
        return token.value == "close" or (token.value is None and bool(self.opened) and self.opened[-1] == token.kind)

    def starts_atom(self, token: _Token) -> bool:
        if token.kind in ("num", "name", "ones", "func", "frac", *_OPENERS):
            return True
        return token.kind in ("bar", "norm") and not self.closes(token)

    def starts_function(self, token: _Token, ahead: int = 0) -> bool:
        return token.kind == "func" or (
            token.kind == "name" and token.text == "sigma" and self.peek(ahead + 1).kind in ("(", "[")
        )

    # grammar
    def parse(self) -> _Node:
        node = self.sum()
        token = self.peek()
        if token.kind != "end":
            raise self.unexpected(token)
        return node

    def unexpected(self, token: _Token) -> ParseError:
        if token.kind == "end":
            return self.error("the input ends where an expression is expected", token.pos)
        if token.kind == "tmark":
            return self.error(f"{self.shown(token)} outside a superscript: write x^\\top", token.pos)
        if token.kind in (")", "]", "}"):
            return self.error(f"unexpected {self.shown(token)}", token.pos)
        if token.kind in ("bar", "norm"):
            return self.error(f"unexpected {self.shown(token)}: a bar with nothing between it and its partner",
                              token.pos)  # fmt: skip
        if token.kind == "sub":
            return self.error(f"unexpected subscript {self.shown(token)}: a subscript follows a name, such as x_1",
                              token.pos)  # fmt: skip
        return self.error(f"unexpected {self.shown(token)}: an expression is expected here", token.pos)

    def sum(self) -> _Node:
        terms: list[_Node] = []
        while True:
            start = self.peek()
            negative = False
            while self.peek().kind in ("+", "-"):
                negative ^= self.take().kind == "-"
            node = self.hadamard()
            terms.append(_Node("neg", start.pos, (node,)) if negative else node)
            if self.peek().kind not in ("+", "-"):
                break
        return terms[0] if len(terms) == 1 else _Node("add", terms[0].pos, tuple(terms))

    def hadamard(self) -> _Node:
        items = [self.product()]
        while self.peek().kind in ("had", "hdiv"):
            op = self.take()
            right = self.signed(self.product)
            if op.kind == "had":
                items.append(right)
            else:
                left = items[0] if len(items) == 1 else _Node("had", items[0].pos, tuple(items))
                items = [_Node("hdiv", op.pos, (left, right))]
        return items[0] if len(items) == 1 else _Node("had", items[0].pos, tuple(items))

    def signed(self, parse: Any) -> _Node:
        start = self.peek()
        negative = False
        while self.peek().kind in ("+", "-"):
            negative ^= self.take().kind == "-"
        node: _Node = parse()
        return _Node("neg", start.pos, (node,)) if negative else node

    def product(self) -> _Node:
        factors = [self.factor()]
        while True:
            token = self.peek()
            if token.kind == "*":
                self.take()
                factors.append(self.signed(self.factor))
            elif token.kind == "/":
                self.take()
                denominator = self.signed(self.factor)
                factors = [_Node("div", token.pos, (_product(factors), denominator))]
            elif self.starts_atom(token):
                factors.append(self.factor())
            else:
                return _product(factors)

    def factor(self) -> _Node:
        return self.postfix(self.atom())

    def postfix(self, node: _Node) -> _Node:
        while True:
            token = self.peek()
            if token.kind == "^":
                self.take()
                node = self.superscript(node, token)
            elif token.kind in ("'", "postT"):
                self.take()
                node = _Node("T", token.pos, (node,))
            elif token.kind == "postInv":
                self.take()
                node = _Node("inv", token.pos, (node,))
            elif token.kind == "postInvT":
                self.take()
                node = _Node("invT", token.pos, (node,))
            elif token.kind == "postPow":
                self.take()
                node = self.power(node, token.value, token.pos, "pow")
            elif token.kind == "epow":
                self.take()
                node = self.power(node, self.exponent_number(token), token.pos, "epow")
            elif token.kind == "sub":
                self.take()
                node = self.subscripted(node, token)
            else:
                return node

    def power(self, node: _Node, k: int, pos: int, kind: str) -> _Node:
        if abs(k) > MAX_EXPONENT:
            raise self.error(f"the exponent {k} is beyond ±{MAX_EXPONENT:,}", pos)
        return _Node(kind, pos, (node,), k)

    def exponent_number(self, op: _Token) -> int:
        """The k of x.^k: a whole number, perhaps signed or in brackets."""
        tokens = self.superscript_tokens(op)
        signature, number = self.signature(tokens)
        if signature in ("N", "-N", "+N") and number is not None:
            return -number if signature == "-N" else number
        raise self.error("an element-wise power takes a whole number, such as x.^2", op.pos)

    def superscript_tokens(self, caret: _Token) -> list[_Token]:
        token = self.peek()
        if token.kind in ("{", "("):
            opener = self.take()
            depth = 0
            inside: list[_Token] = []
            while True:
                token = self.take()
                if token.kind == "end":
                    raise self.error(f"the superscript opened by {self.shown(opener)} is never closed", opener.pos)
                if token.kind in _OPENERS:
                    depth += 1
                elif token.kind in (")", "]", "}"):
                    if depth == 0:
                        break
                    depth -= 1
                inside.append(token)
            if inside and inside[0].kind == "(" and inside[-1].kind == ")":
                inside = inside[1:-1]
            return inside
        inside = []
        while self.peek().kind in ("+", "-"):
            inside.append(self.take())
        if self.peek().kind == "end":
            raise self.error(f"{self.shown(caret)} needs an exponent, such as ^\\top or ^2", caret.pos)
        inside.append(self.take())
        return inside

    def signature(self, tokens: list[_Token]) -> tuple[str, int | None]:
        marks = []
        number = None
        for token in tokens:
            if token.kind == "tmark" or (token.kind == "name" and token.text == "T") or token.kind == "'":
                marks.append("T")
            elif token.kind in ("+", "-"):
                marks.append(token.kind)
            elif token.kind == "num":
                if not token.value.is_Integer:
                    raise self.error(f"the exponent {token.text} is not a whole number", token.pos)
                if number is not None:
                    marks.append("?")
                number = int(token.value)
                marks.append("N")
            elif token.kind == "had":
                marks.append("o")
            else:
                marks.append("?")
        return "".join(marks), number

    def superscript(self, node: _Node, caret: _Token) -> _Node:
        if node.kind == "name" and node.data == "e" and "e" not in self.known:
            return self.exponential(caret)
        tokens = self.superscript_tokens(caret)
        if not tokens:
            raise self.error("an empty superscript", caret.pos)
        signature, number = self.signature(tokens)
        if signature == "T":
            return _Node("T", caret.pos, (node,))
        if signature == "-N" and number == 1:
            return _Node("inv", caret.pos, (node,))
        if signature in ("-T", "T-N") or (signature == "-NT" and number == 1):
            if signature == "T-N" and number != 1:
                raise self.unreadable_exponent(tokens)
            return _Node("invT", caret.pos, (node,))
        if signature in ("N", "-N", "+N") and number is not None:
            return self.power(node, -number if signature == "-N" else number, caret.pos, "pow")
        if signature in ("oN", "o-N") and number is not None:
            return self.power(node, -number if signature == "o-N" else number, caret.pos, "epow")
        raise self.unreadable_exponent(tokens)

    def unreadable_exponent(self, tokens: list[_Token]) -> ParseError:
        written = self.text[tokens[0].pos : tokens[-1].end].strip()
        if len(written) > 30:
            written = written[:30] + "…"
        return self.error(
            f"cannot read the exponent {written!r}: write ^\\top, ^{{-1}}, ^{{-\\top}}, a whole number, or"
            " ^{\\odot k} for an element-wise power",
            tokens[0].pos,
        )

    def exponential(self, caret: _Token) -> _Node:
        """e^{…}: the exponential, when e is not a declared name."""
        self.enter(caret.pos)
        token = self.peek()
        exponent = self.group() if token.kind in _OPENERS else self.signed(self.factor)
        self.depth -= 1
        return _Node("func", caret.pos, (exponent,), "exp")

    def subscripted(self, node: _Node, sub: _Token) -> _Node:
        if (
            node.kind in ("name", "ones")
            and not (node.kind == "name" and "_" in node.data)
            and not (node.kind == "ones" and node.data is not None)
        ):
            if node.kind == "name":
                return _Node("name", node.pos, (), f"{node.data}_{sub.text}")
            return _Node("ones", node.pos, (), sub.text)
        if node.kind == "pow" and node.kids[0].kind == "norm" and node.kids[0].data is None:
            node.kids[0].data = self.norm_kind(sub)  # ‖x‖^2_2
            return node
        raise self.error(f"unexpected subscript {self.shown(sub)}: a subscript follows a name, such as x_1", sub.pos)

    def norm_kind(self, sub: _Token) -> str:
        if sub.text == "2":
            return "2"
        if sub.text in ("F", "fro", "Fro"):
            return "F"
        raise self.error(f"‖·‖_{sub.text} is not read: only the 2-norm ‖x‖₂ and the Frobenius norm ‖X‖_F are", sub.pos)

    def atom(self) -> _Node:
        token = self.peek()
        kind = token.kind
        if kind == "num":
            self.take()
            return _Node("num", token.pos, (), token.value)
        if kind == "name":
            self.take()
            if token.text == "sigma" and self.peek().kind in ("(", "["):
                return self.application("sigmoid", token)
            return _Node("name", token.pos, (), token.text)
        if kind == "ones":
            self.take()
            return _Node("ones", token.pos, (), None)
        if kind == "func":
            self.take()
            return self.application(token.text, token)
        if kind in _OPENERS:
            return self.group()
        if kind == "frac":
            self.take()
            numerator = self.braced(token, "numerator")
            denominator = self.braced(token, "denominator")
            return _Node("div", token.pos, (numerator, denominator))
        if kind in ("bar", "norm") and not self.closes(token):
            return self.bars(token)
        raise self.unexpected(token)

    def braced(self, frac: _Token, what: str) -> _Node:
        if self.peek().kind != "{":
            raise self.error(f"\\frac needs its {what} in braces, such as \\frac{{1}}{{2}}", frac.pos)
        return self.group()

    def group(self, counted: bool = True) -> _Node:
        opener = self.take()
        closer = _CLOSER[opener.kind]
        if counted:
            self.enter(opener.pos)
        self.opened.append(opener.kind)
        if self.peek().kind == closer:
            written = self.text[opener.pos : opener.end] + self.text[self.peek().pos : self.peek().end]
            raise self.error(f"empty brackets {written.strip()}", opener.pos)
        inner = self.sum()
        token = self.take()
        if token.kind != closer:
            if token.kind == "end":
                raise self.error(f"{self.shown(opener)} is never closed", opener.pos)
            raise self.error(
                f"{self.shown(token)} where {self.shown(opener)} (column {opener.pos + 1}) expects '{closer}'",
                token.pos,
            )
        self.opened.pop()
        if counted:
            self.depth -= 1
        return inner

    def bars(self, opener: _Token) -> _Node:
        self.take()
        self.enter(opener.pos)
        self.opened.append(opener.kind)
        inner = self.sum()
        token = self.peek()
        if token.kind != opener.kind or token.value == "open":
            if token.kind == "end":
                raise self.error(f"{self.shown(opener)} is never closed", opener.pos)
            raise self.error(f"{self.shown(token)} where the bar {self.shown(opener)} (column {opener.pos + 1}) "
                             "expects its closing partner", token.pos)  # fmt: skip
        self.take()
        self.opened.pop()
        self.depth -= 1
        if opener.kind == "bar":
            return _Node("abs", opener.pos, (inner,))
        norm = None
        if self.peek().kind == "sub":
            norm = self.norm_kind(self.take())
        return _Node("norm", opener.pos, (inner,), norm)

    def application(self, function: str, token: _Token) -> _Node:
        self.enter(token.pos)
        following = self.peek()
        shown = _SHOWN.get(function, function)
        if following.kind == "^":
            raise self.error(f"a power of {shown} itself is not read: write ({shown} x)^2 as {shown}(x)^2",
                             following.pos)  # fmt: skip
        if following.kind == "sub":
            raise self.error(f"a subscript on {shown} is not read", following.pos)
        if following.kind in _OPENERS and following.value != "bold":
            argument = self.group(counted=False)
        elif self.starts_function(following) or (following.kind in ("bar", "norm") and not self.closes(following)):
            argument = self.factor()
        elif function in _RUN_ARGUMENT and self.starts_atom(following):
            factors = [self.factor()]
            while (
                self.starts_atom(self.peek())
                and not self.starts_function(self.peek())
                and self.peek().kind not in ("bar", "norm")
            ):
                factors.append(self.factor())
            argument = _product(factors)
        elif self.starts_atom(following):
            argument = self.factor()
        else:
            raise self.error(f"{shown} needs an argument, such as {shown}(x)", token.pos)
        self.depth -= 1
        if function in ("vector", "matrix"):
            return self.filled(function, token, argument)
        if function in ("norm", "norm2", "normF"):
            return _Node("norm", token.pos, (argument,), {"norm": None, "norm2": "2", "normF": "F"}[function])
        return _Node("func", token.pos, (argument,), function)

    def filled(self, function: str, token: _Token, argument: _Node) -> _Node:
        """vector(c), matrix(c): every entry c, the size from where it stands."""
        value = argument
        negative = False
        if value.kind == "neg":
            negative, value = True, value.kids[0]
        if value.kind != "num":
            raise self.error(f"{function}(…) takes a number: {function}(1) is all ones", token.pos)
        ones = _Node("ones", token.pos, (), None if function == "vector" else "matrix")
        number = -value.data if negative else value.data
        if number == 1:
            return ones
        return _Node("mul", token.pos, (_Node("num", token.pos, (), number), ones))


# -- shapes: names resolved, the sizes of 𝟏 and I inferred ---------------------------------------------


class _Var:
    """An unknown size; ``link`` is None, another _Var it equals, or the size."""

    __slots__ = ("link",)

    def __init__(self) -> None:
        self.link: _Var | sp.Expr | None = None


DimT: TypeAlias = "_Var | sp.Expr"
ShapeT: TypeAlias = "tuple[DimT, DimT]"


def _find(d: DimT) -> DimT:
    path = []
    while isinstance(d, _Var) and d.link is not None:
        path.append(d)
        d = d.link
    for v in path:
        v.link = d
    return d


def _unify(a: DimT, b: DimT) -> None:
    a, b = _find(a), _find(b)
    if a is b:
        return
    if isinstance(a, _Var):
        a.link = b
    elif isinstance(b, _Var):
        b.link = a
    # two known sizes that differ: the build says so, naming both shapes


def _unify_shapes(a: ShapeT, b: ShapeT) -> None:
    """Equal shapes (a sum, a Hadamard product); shapes that already differ in a known size are
    left alone, so that 𝟏ᵀ + x does not make 𝟏 of length 1 before the error names the shapes."""
    pairs = [(_find(a[0]), _find(b[0])), (_find(a[1]), _find(b[1]))]
    if any(not isinstance(p, _Var) and not isinstance(q, _Var) and p != q for p, q in pairs):
        return
    for p, q in pairs:
        _unify(p, q)


def _is_one(shape: ShapeT) -> bool:
    rows, cols = _find(shape[0]), _find(shape[1])
    return not isinstance(rows, _Var) and not isinstance(cols, _Var) and rows == 1 and cols == 1


_SCALAR_T: ShapeT = (_ONE, _ONE)


class _Shapes:
    def __init__(self, variables: dict[str, t.Sym], dims: dict[str, sp.Symbol], text: str):
        self.variables = variables
        self.dims = dims
        self.text = text
        self.sizes: dict[_Node, tuple[DimT, ...]] = {}

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def run(self, tree: _Node) -> dict[_Node, tuple[sp.Expr, ...]]:
        self.infer(tree)
        known: dict[_Node, tuple[sp.Expr, ...]] = {}
        for node, sizes in self.sizes.items():
            found = [_find(s) for s in sizes]
            if any(isinstance(s, _Var) for s in found):
                if node.kind == "identity":
                    raise self.error("the size of I cannot be inferred from where it stands: write it as I_n, or add"
                                     " it to or multiply it by a matrix of known size", node.pos)  # fmt: skip
                raise self.error("the length of 𝟏 cannot be inferred from where it stands: write it as \\mathbf{1}_n,"
                                 " or add it to or multiply it by a vector of known length", node.pos)  # fmt: skip
            known[node] = tuple(s for s in found if not isinstance(s, _Var))
        return known

    def size(self, index: str | None, node: _Node) -> DimT:
        if index is None:
            return _Var()
        if index.isdigit():
            if int(index) < 1 or len(index) > 9:
                raise self.error(f"a size of {index}", node.pos)
            return sp.Integer(int(index))
        if index in self.dims:
            return self.dims[index]
        raise self.error(f"{index} is not a dimension of a declared variable", node.pos)

    def infer(self, node: _Node) -> ShapeT:
        kind = node.kind
        if kind == "num":
            return _SCALAR_T
        if kind == "name":
            return self.name(node)
        if kind == "ones":
            if node.data == "matrix":
                sizes: tuple[DimT, DimT] = (_Var(), _Var())
            else:
                sizes = (self.size(node.data, node), _ONE)
            self.sizes[node] = sizes
            return sizes
        shapes = [self.infer(kid) for kid in node.kids]
        if kind in ("add", "had", "hdiv"):
            for shape in shapes[1:]:
                _unify_shapes(shapes[0], shape)
            return shapes[0]
        if kind == "mul":
            current: ShapeT | None = None
            for shape in shapes:
                if _is_one(shape):
                    continue
                if current is None or _is_one(current):
                    current = shape
                else:
                    _unify(current[1], shape[0])
                    current = (current[0], shape[1])
            return current or _SCALAR_T
        shape = shapes[0]
        if kind == "div":
            _unify(shapes[1][0], _ONE)
            _unify(shapes[1][1], _ONE)
            return shapes[0]
        if kind in ("neg", "epow", "abs"):
            return shape
        if kind == "T":
            return (shape[1], shape[0])
        if kind in ("inv", "invT"):
            _unify(shape[0], shape[1])
            return shape
        if kind == "pow":
            if _is_one(shape):
                return shape
            _unify(shape[0], shape[1])
            return shape
        if kind == "norm":
            return _SCALAR_T
        if kind == "func":
            function = node.data
            if function in ("tr", "det", "logdet", "inv"):
                _unify(shape[0], shape[1])
                return _SCALAR_T if function != "inv" else shape
            if function == "sum":
                return _SCALAR_T
            if function == "softmax":
                _unify(shape[1], _ONE)
                return shape
            if function == "diag":
                _unify(shape[1], _ONE)
                return (shape[0], shape[0])
            return shape  # element-wise
        raise AssertionError(kind)

    def name(self, node: _Node) -> ShapeT:
        name: str = node.data
        if name in self.variables:
            node.kind, node.data = "sym", self.variables[name]
            return node.data.shape
        if name in self.dims:
            node.kind, node.data = "dimconst", self.dims[name]
            return _SCALAR_T
        base, _, index = name.partition("_")
        if base == "I" and "I" not in self.variables:
            node.kind = "identity"
            size = self.size(index or None, node)
            self.sizes[node] = (size,)
            return (size, size)
        example = f"shapes={{'{name}': ('n',)}} or --shape {name}=n"
        hint = ""
        if name == "e":
            hint = "; for the exponential write \\exp(…) or exp(…)"
        elif name == "sigma":
            hint = "; for the sigmoid write \\sigma(…) with its argument in brackets"
        raise self.error(f"{name} is not declared: give its shape ({example}){hint}", node.pos)


# -- building the nodes --------------------------------------------------------------------------------


def _times(*factors: t.MTerm) -> t.MTerm:
    """terms.times without its tidying (AI = A, 0·x = 0): nested products flattened, numbers merged
    in front, the rest kept as written, so that an I of the wrong size (I_p x) is still checked by
    Prod's conformity and the engine, not the reader, decides what to tidy. A bracketed product
    stays whole where its factors would not conform in the row: bᵀ(aᵀx)x is a scalar times bᵀx."""
    number, rest = t.flattened(factors)
    if number != 1 or not rest:
        rest.insert(0, t.Const(number))
    return t.Prod(*rest) if len(rest) > 1 else rest[0]


def _neg(term: t.MTerm) -> t.MTerm:
    return _times(t.Const(-1), term)


def _real(value: sp.Expr, what: str, pos: int, text: str) -> t.Const:
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError(f"{what} is undefined (a division by zero)", pos, text)
    if value.is_real is False:
        raise ParseError(f"{what} is not a real number", pos, text)
    return t.Const(value)


class _Builder:
    def __init__(self, sizes: dict[_Node, tuple[sp.Expr, ...]], text: str):
        self.sizes = sizes
        self.text = text

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def build(self, node: _Node) -> t.MTerm:
        kind = node.kind
        if kind == "num":
            return t.Const(node.data)
        if kind == "sym":
            return node.data
        if kind == "dimconst":
            return t.Const(node.data)
        if kind == "ones":
            sizes = self.sizes[node]
            return t.Ones(*sizes) if len(sizes) == 2 and sizes[1] != 1 else t.Ones(sizes[0])
        if kind == "identity":
            return t.Identity(self.sizes[node][0])
        kids = [self.build(kid) for kid in node.kids]
        if kind == "add":
            return self.sum(kids)
        if kind == "mul":
            return _times(*kids)
        if kind == "neg":
            return _neg(kids[0])
        if kind == "div":
            return self.divide(kids[0], kids[1], node)
        if kind == "had":
            flat: list[t.MTerm] = []
            for kid in kids:
                flat.extend(kid.args if isinstance(kid, t.Had) else [kid])
            return t.Had(*flat)
        if kind == "hdiv":
            reciprocal = self.reciprocal(kids[1], node)
            if isinstance(kids[0], t.Ones):
                if kids[0].shape != kids[1].shape:
                    return t.Had(kids[0], reciprocal)  # the Hadamard product's own message
                return reciprocal
            return t.Had(kids[0], reciprocal)
        if kind == "T":
            return t.T(kids[0])
        if kind == "inv":
            if kids[0].is_scalar:
                return self.scalar_power(kids[0], -1, node)
            return t.Inv(kids[0])
        if kind == "invT":
            return t.T(t.Inv(kids[0]))
        if kind == "pow":
            return self.power(kids[0], node.data, node)
        if kind == "epow":
            return self.scalar_power(kids[0], node.data, node)
        if kind == "abs":
            return self.elementwise("abs", kids[0], node)
        if kind == "norm":
            return self.norm(kids[0], node)
        if kind == "func":
            return self.function(node.data, kids[0], node)
        raise AssertionError(kind)

    def sum(self, terms: list[t.MTerm]) -> t.MTerm:
        try:
            return t.plus(*terms)
        except t.ShapeError as error:
            if any(isinstance(term, t.Const) for term in terms) and not all(term.is_scalar for term in terms):
                raise t.ShapeError(f"{error}; a number is not added to every entry: write \\mathbf{{1}} (plain text:"
                                   " vector(1)) for a vector of ones") from None  # fmt: skip
            raise

    def reciprocal(self, term: t.MTerm, node: _Node) -> t.MTerm:
        if isinstance(term, t.Const):
            if term.value == 0:
                raise self.error("division by zero", node.pos)
            return t.Const(1 / term.value)
        return t.Elementwise(t.T_ARG**-1, term)

    def divide(self, numerator: t.MTerm, denominator: t.MTerm, node: _Node) -> t.MTerm:
        if not denominator.is_scalar:
            raise t.ShapeError(
                f"cannot divide by {denominator} ({t.shape_text(denominator.shape)}): only by a scalar;"
                " for a matrix, multiply by its inverse"
            )
        return _times(self.reciprocal(denominator, node), numerator)

    def scalar_power(self, base: t.MTerm, k: int, node: _Node) -> t.MTerm:
        """Element-wise power (of a scalar, the power)."""
        if isinstance(base, t.Const):
            if base.value == 0 and k < 0:
                raise self.error("division by zero", node.pos)
            value = base.value
            if value.is_Rational and value not in (0, 1, -1):
                digits = abs(k) * max(len(str(abs(value.p))), len(str(value.q)))
                if digits > 4 * MAX_EXPONENT:
                    raise self.error(f"the power {value}^{k} has about {digits:,} digits; too large", node.pos)
            return t.Const(value**k)
        return t.Elementwise(t.T_ARG**k, base)

    def power(self, base: t.MTerm, k: int, node: _Node) -> t.MTerm:
        if base.is_scalar:
            return self.scalar_power(base, k, node)
        rows, cols = base.shape
        if rows != cols:
            raise t.ShapeError(
                f"a power needs a square matrix, and {base} is {t.shape_text(base.shape)}: for the squares of"
                " the entries write ^{\\odot 2}, for the inner product x^\\top x"
            )
        if abs(k) > MAX_MATRIX_POWER:
            raise self.error(f"a matrix power is written out as a product; the limit is {MAX_MATRIX_POWER}", node.pos)
        if k == 0:
            return t.Identity(rows)
        factor = base if k > 0 else t.Inv(base)
        return _times(*[factor] * abs(k))

    def elementwise(self, function: str, arg: t.MTerm, node: _Node) -> t.MTerm:
        f = _ELEMENTWISE[function]
        if isinstance(arg, t.Const):
            return _real(f(arg.value), f"{_SHOWN[function]}({arg.value})", node.pos, self.text)
        return t.Elementwise(f(t.T_ARG), arg)

    def norm(self, arg: t.MTerm, node: _Node) -> t.MTerm:
        rows, cols = arg.shape
        if node.data == "F" or rows == 1 or cols == 1:
            return t.Norm2(arg)
        written = "‖X‖₂" if node.data == "2" else "‖X‖"
        raise self.error(
            f"{written} of the matrix {arg} ({t.shape_text(arg.shape)}) would be the spectral norm, which is not read:"
            " write \\|X\\|_F (plain text normF(X)) for the Frobenius norm",
            node.pos,
        )

    def function(self, function: str, arg: t.MTerm, node: _Node) -> t.MTerm:
        if function == "tr":
            return t.Tr(arg)
        if function == "det":
            return t.Det(arg)
        if function == "logdet":
            return t.LogAbsDet(arg)
        if function == "inv":
            return t.Inv(arg)
        if function == "diag":
            return t.Diag(arg)
        if function == "softmax":
            return t.Softmax(arg)
        if function == "sum":
            rows, cols = arg.shape
            factors: list[t.MTerm] = [arg]
            if rows != 1:
                factors.insert(0, t.T(t.Ones(rows)))
            if cols != 1:
                factors.append(t.Ones(cols))
            return _times(*factors)
        if function == "log":
            if isinstance(arg, t.Det):
                return t.LogAbsDet(arg.arg)
            if isinstance(arg, t.Elementwise) and arg.function == sp.Abs(t.T_ARG) and isinstance(arg.arg, t.Det):
                return t.LogAbsDet(arg.arg.arg)
        return self.elementwise(function, arg, node)


# -- reading -----------------------------------------------------------------------------------------------

_DELIMITERS = [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")]


def _unwrapped(source: str) -> str:
    """$…$, \\(…\\) or \\[…\\] around the maths blanked out, so that columns stay those typed."""
    text = source.strip()
    for opener, closer in _DELIMITERS:
        if len(text) > len(opener) + len(closer) and text.startswith(opener) and text.endswith(closer):
            start = source.index(opener)
            end = source.rindex(closer)
            return " " * (start + len(opener)) + source[start + len(opener) : end] + " " * (len(source) - end)
    return source


def _check_text(text: str) -> None:
    if not text.strip():
        raise ParseError("empty input: type an expression such as x^\\top A x", 0, text)
    check_nesting(text)
    check_brackets(text, latex=False)


@contextmanager
def _room() -> Iterator[None]:
    """Recursion enough for the limits above: 200 nested constructs take about 1,600 frames of the
    parser, more than Python's default 1,000; the old limit is put back afterwards."""
    old = sys.getrecursionlimit()
    if old < _FRAMES:
        sys.setrecursionlimit(_FRAMES)
    try:
        yield
    finally:
        if old < _FRAMES:
            sys.setrecursionlimit(old)


_FRAMES = 3_000


def read_matrix(source: str, shapes: Mapping[str, Any], syntax: str = "auto") -> t.MTerm:
    """The node tree of ``source`` (LaTeX or plain text; ``syntax`` "auto", "latex" or "text"),
    over the names ``shapes`` declares (the result of ``declare``, or shapes as ``declare`` takes
    them). Raises ParseError (one line, with a column where known) or terms.ShapeError."""
    if not isinstance(source, str):
        raise ParseError(f"expected the expression as a string, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ParseError(f"input is {len(source):,} characters long; the limit is {MAX_LENGTH:,}", MAX_LENGTH)
    if syntax not in ("auto", "latex", "text"):
        raise ParseError(f"unknown syntax {syntax!r}: use auto, latex or text")
    variables = _variables(shapes)
    dims = {s.name: s for symbol in variables.values() for d in symbol.shape for s in d.free_symbols}
    text = _unwrapped(source)
    latex = syntax == "latex" or (syntax == "auto" and ("\\" in text or "{" in text))
    _check_text(text)
    names = frozenset(variables) | frozenset(dims)
    with _room():
        try:
            lexer = _Lexer(text, latex, names, names)
            tokens = lexer.run()
            lexer._wrap_bold()
            tree = _Parser(tokens, text, latex, names).parse()
            sizes = _Shapes(variables, dims, text).run(tree)
            return _Builder(sizes, text).build(tree)
        except RecursionError:
            raise ParseError(f"the expression is nested too deeply (the limit is {MAX_DEPTH} levels)") from None


__all__ = ["ShapeSpec", "bare_name", "declare", "dim", "read_matrix"]
