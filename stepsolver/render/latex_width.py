"""How wide a piece of LaTeX maths comes out, estimated in Python, so that the renderer can break a
line before pdflatex finds it too wide (a derivation is rendered without compiling it).

The LaTeX is read into a small tree (groups, \\left…\\right pairs, fractions, scripts, matrices,
\\text) and measured with Computer Modern's own glyph widths and TeX's spacing between atoms (thin,
medium and thick spaces around operators and relations). The geometry is the handouts': article
at 11pt, A4, 2 cm margins. Calibrated against pdflatex: on the project's outputs the estimate is
within a few per cent, and the layout keeps a margin for the rest (tests/test_typeset.py compiles
the documents and reads the log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# article 11pt on A4 with 2 cm margins: 210 mm − 40 mm
TEXTWIDTH = 483.7
# Computer Modern at 11pt is the 10pt design scaled by 1.095; every table below is for 10pt
_SCALE = 1.095
_EM = 10.0
# TeX's math spaces in mu (1/18 em): thin, medium and thick
_THIN, _MED, _THICK = 3 / 18 * _EM, 4 / 18 * _EM, 5 / 18 * _EM

# glyph widths at 10pt (cmr10, cmmi10, cmsy10, as TeX's font metrics give them)
_ROMAN = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    5.0, 5.556, 4.444, 5.556, 4.444, 3.056, 5.0, 5.556, 2.778, 3.056, 5.278, 2.778, 8.333, 5.556, 5.0, 5.556,
    5.278, 3.917, 3.944, 3.889, 5.556, 5.278, 7.222, 5.278, 5.278, 4.444), strict=True))  # fmt: skip
_ROMAN |= dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    7.5, 7.083, 7.222, 7.639, 6.806, 6.528, 7.847, 7.5, 3.611, 5.139, 7.778, 6.25, 9.167, 7.5, 7.778, 6.806,
    7.778, 7.361, 5.556, 7.222, 7.5, 7.5, 10.278, 7.5, 7.5, 6.111), strict=True))  # fmt: skip
_ROMAN |= {d: 5.0 for d in "0123456789"}
_ROMAN |= {" ": 3.333, "!": 2.778, "(": 3.889, ")": 3.889, ",": 2.778, "-": 3.333, ".": 2.778, "/": 5.0,
           ":": 2.778, ";": 2.778, "=": 7.778, "+": 7.778, "[": 2.778, "]": 2.778, "'": 2.778, "?": 4.722,
           "*": 5.0, "<": 7.778, ">": 7.778, "|": 2.778, "\"": 5.0, "`": 2.778, "@": 7.778}  # fmt: skip
_ITALIC = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    5.286, 4.292, 4.328, 5.205, 4.656, 4.896, 4.770, 5.762, 3.445, 4.118, 5.208, 2.981, 8.779, 6.002, 4.847,
    5.031, 4.464, 4.513, 4.688, 3.611, 5.724, 4.847, 7.159, 5.715, 4.902, 4.651), strict=True))  # fmt: skip
_ITALIC |= dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    7.5, 7.590, 7.153, 8.281, 7.382, 6.431, 7.864, 8.313, 4.396, 5.545, 8.489, 6.806, 9.701, 8.035, 7.628,
    6.420, 7.906, 7.590, 6.132, 5.844, 6.828, 5.833, 9.444, 8.285, 5.809, 6.826), strict=True))  # fmt: skip
# italic letters lean out of their box; TeX adds the overhang before an upright neighbour
_ITALIC_CORRECTION = {"f": 1.08, "j": 0.57, "p": 0.0, "y": 0.36, "V": 2.22, "W": 1.39, "T": 1.39, "F": 1.39,
                      "P": 1.39, "Y": 2.22, "U": 1.09, "X": 0.78, "H": 0.81, "N": 1.09, "K": 0.71,
                      "M": 1.09}  # fmt: skip
_GREEK = {"alpha": 6.40, "beta": 5.66, "gamma": 5.18, "delta": 4.44, "epsilon": 4.66, "varepsilon": 4.66,
          "zeta": 4.38, "eta": 4.97, "theta": 4.69, "iota": 3.54, "kappa": 5.76, "lambda": 5.83, "mu": 6.03,
          "nu": 4.94, "xi": 4.38, "pi": 5.70, "rho": 5.17, "sigma": 5.71, "tau": 4.37, "upsilon": 5.40,
          "phi": 5.96, "varphi": 6.54, "chi": 6.26, "psi": 6.51, "omega": 6.22, "Gamma": 6.25, "Delta": 8.33,
          "Theta": 7.78, "Lambda": 6.94, "Xi": 6.67, "Pi": 7.50, "Sigma": 7.22, "Upsilon": 7.78, "Phi": 7.22,
          "Psi": 7.78, "Omega": 7.22, "partial": 5.56, "nabla": 8.33, "infty": 10.0, "ell": 4.17,
          "hbar": 5.56, "imath": 3.45, "top": 7.78, "bot": 7.78, "emptyset": 5.0, "prime": 2.75,
          "ldots": 13.33, "cdots": 13.33, "dots": 13.33, "vdots": 2.78, "ddots": 13.33, "lvert": 2.78,
          "rvert": 2.78, "lVert": 5.0, "rVert": 5.0, "lfloor": 4.44, "rfloor": 4.44, "lceil": 4.44,
          "rceil": 4.44, "surd": 8.33, "forall": 5.56, "exists": 5.56, "neg": 6.67, "angle": 7.78}  # fmt: skip
# binary operators and relations: their glyph widths (the spaces around them are added by class)
_BINARY = {"+": 7.778, "-": 7.778, "cdot": 2.778, "times": 7.778, "pm": 7.778, "mp": 7.778, "odot": 7.778,
           "oslash": 7.778, "otimes": 7.778, "oplus": 7.778, "circ": 5.0, "ast": 5.0, "setminus": 5.0,
           "cup": 6.67, "cap": 6.67, "wedge": 6.67, "vee": 6.67, "bullet": 5.0, "star": 5.0, "div": 7.778}  # fmt: skip
_RELATION = {"=": 7.778, "<": 7.778, ">": 7.778, "le": 7.778, "leq": 7.778, "ge": 7.778, "geq": 7.778,
             "ne": 7.778, "neq": 7.778, "approx": 7.778, "equiv": 7.778, "sim": 7.778, "simeq": 7.778,
             "to": 10.0, "rightarrow": 10.0, "leftarrow": 10.0, "gets": 10.0, "leftrightarrow": 10.0,
             "Rightarrow": 10.0, "Leftarrow": 10.0, "Leftrightarrow": 10.0, "mapsto": 10.0, "in": 6.667,
             "notin": 6.667, "subset": 7.778, "subseteq": 7.778, "perp": 7.778, "mid": 2.778,
             "propto": 7.778, "iff": 13.33, "implies": 13.33, "longrightarrow": 13.33, ":": 2.778}  # fmt: skip
_LARGE_OPERATORS = {"sum": (14.44, 10.56), "prod": (12.78, 9.44), "int": (5.56, 4.17), "bigcup": (11.1, 8.33),
                    "bigcap": (11.1, 8.33), "max": (14.2, 14.2), "min": (12.5, 12.5), "lim": (11.1, 11.1)}  # fmt: skip
_FUNCTIONS = {"ln", "log", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth",
              "arcsin", "arccos", "arctan", "det", "dim", "ker", "deg", "gcd", "sup", "inf", "arg", "Pr",
              "sgn", "tr", "rank"}  # fmt: skip
_SPACES = {",": _THIN, ":": _MED, ";": _THICK, "!": -_THIN, " ": 3.333, "quad": _EM, "qquad": 2 * _EM,
           "enspace": _EM / 2, "thinspace": _THIN, "medspace": _MED, "thickspace": _THICK}  # fmt: skip
# \left/\right delimiters: widths at the sizes TeX steps through (normal, \big, \Big, \bigg, \Bigg,
# and the extensible one built for anything taller)
_DELIMITERS = {"(": (3.89, 4.58, 5.90, 7.36, 7.92, 8.75), ")": (3.89, 4.58, 5.90, 7.36, 7.92, 8.75),
               "[": (2.78, 4.17, 4.72, 5.28, 5.83, 6.67), "]": (2.78, 4.17, 4.72, 5.28, 5.83, 6.67),
               "\\{": (5.0, 5.83, 6.67, 7.50, 8.33, 8.89), "\\}": (5.0, 5.83, 6.67, 7.50, 8.33, 8.89),
               "|": (2.78, 3.33, 3.33, 3.33, 3.33, 3.33), "\\|": (5.0, 5.56, 5.56, 5.56, 5.56, 5.56),
               "\\lvert": (2.78, 3.33, 3.33, 3.33, 3.33, 3.33), "\\rvert": (2.78, 3.33, 3.33, 3.33, 3.33, 3.33),
               "\\lVert": (5.0, 5.56, 5.56, 5.56, 5.56, 5.56), "\\rVert": (5.0, 5.56, 5.56, 5.56, 5.56, 5.56),
               "\\lfloor": (4.44, 5.28, 5.83, 6.39, 6.94, 6.94), "\\rfloor": (4.44, 5.28, 5.83, 6.39, 6.94, 6.94),
               "\\lceil": (4.44, 5.28, 5.83, 6.39, 6.94, 6.94), "\\rceil": (4.44, 5.28, 5.83, 6.39, 6.94, 6.94),
               "\\langle": (3.89, 4.72, 6.11, 7.50, 8.06, 8.06), "\\rangle": (3.89, 4.72, 6.11, 7.50, 8.06, 8.06),
               ".": (1.2, 1.2, 1.2, 1.2, 1.2, 1.2)}  # fmt: skip
# the height (in lines, as Box.height counts) up to which each size is enough
_DELIMITER_HEIGHTS = (1.25, 1.6, 2.1, 2.7, 3.0)
_NULL_DELIMITER = 1.2  # \nulldelimiterspace, on each side of a fraction
_ARRAYCOLSEP = 5.0  # \arraycolsep at 11pt (5pt, not scaled)
# sizes of the math styles relative to the text size (11pt: 10.95, 8, 6)
_STYLE_SIZE = {"display": 1.0, "text": 1.0, "script": 8 / 10.95, "scriptscript": 6 / 10.95}
_SMALLER = {"display": "text", "text": "script", "script": "scriptscript", "scriptscript": "scriptscript"}
_SCRIPT = {"display": "script", "text": "script", "script": "scriptscript", "scriptscript": "scriptscript"}
_MATRICES = {"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array", "cases",
             "aligned", "gathered", "split"}  # fmt: skip
_ONE_ARGUMENT = {"text", "textbf", "textit", "textrm", "emph", "mathrm", "mathbf", "mathit", "mathsf", "mathbb",
                 "mathcal", "boldsymbol", "operatorname", "hat", "bar", "tilde", "vec", "dot", "ddot",
                 "overline", "underline", "widehat", "widetilde", "mbox", "hbox", "displaystyle", "textstyle",
                 "check", "breve", "acute", "grave", "phantom", "hphantom", "vphantom", "mathop"}  # fmt: skip
_TWO_ARGUMENTS = {"frac", "dfrac", "tfrac", "binom", "textcolor", "genfrac", "overset", "underset", "stackrel"}


@dataclass
class Node:
    """One piece of parsed LaTeX: ``kind`` says which; ``src`` is its exact source, so a broken
    line is written back from the same text it was read from."""

    kind: str  # char, command, group, left, frac, sqrt, text, env, script, space
    src: str
    name: str = ""  # the command or environment's name, the character, the delimiter
    children: list[Node] = field(default_factory=list)  # a group's or \left…\right's inside
    args: list[list[Node]] = field(default_factory=list)  # a command's arguments, parsed
    right: str = ""  # the closing delimiter of a \left…\right
    left_src: str = ""  # "\left(" as written
    right_src: str = ""  # "\right)" as written
    sup: list[Node] | None = None
    sub: list[Node] | None = None
    rows: list[list[list[Node]]] = field(default_factory=list)  # a matrix's cells
    spec: str = ""  # an array's column specification
    text: str = ""  # the words of \text{…}


_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[{}^_&]|\s+|.", re.DOTALL)


def tokens(tex: str) -> list[str]:
    return _TOKEN.findall(tex)


class _Reader:
    def __init__(self, tex: str) -> None:
        self.tokens = tokens(tex)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def skip_spaces(self) -> str:
        skipped = ""
        while (token := self.peek()) is not None and token.isspace():
            skipped += self.take()
        return skipped

    def sequence(self, until: tuple[str, ...] = ()) -> list[Node]:
        """Nodes up to (not including) one of the ``until`` tokens or the end."""
        out: list[Node] = []
        while (token := self.peek()) is not None and token not in until:
            if token in ("^", "_"):
                start = self.at
                self.take()
                argument = self.argument()
                base = out.pop() if out and out[-1].kind != "space" else Node("group", "")
                if base.kind != "script":
                    base = Node("script", base.src, children=[base])
                if token == "^":
                    base.sup = argument
                else:
                    base.sub = argument
                base.src += self._since(start)
                out.append(base)
                continue
            node = self.node()
            if node is not None:
                out.append(node)
        return out

    def argument(self) -> list[Node]:
        """A command's argument: a braced group's inside, or the next single token."""
        self.skip_spaces()
        token = self.peek()
        if token is None:
            return []
        if token == "{":
            self.take()
            inside = self.sequence(("}",))
            if self.peek() == "}":
                self.take()
            return inside
        node = self.node()
        return [node] if node is not None else []

    def raw_argument(self) -> str:
        """A braced argument's text, unparsed (an array's column specification, an environment's name)."""
        self.skip_spaces()
        if self.peek() != "{":
            return ""
        self.take()
        depth, out = 1, ""
        while (token := self.peek()) is not None:
            self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                break
            out += token
        return out

    def node(self) -> Node | None:
        start = self.at
        token = self.take()
        if token.isspace():
            return Node("space", token, " ")
        if token == "{":
            inside = self.sequence(("}",))
            if self.peek() == "}":
                self.take()
            return Node("group", self._since(start), children=inside)
        if token in ("}", "&"):
            return Node("char", token, token)
        if not token.startswith("\\"):
            return Node("char", token, token)
        name = token[1:]
        if name == "left":
            self.skip_spaces()
            opening = self.take() if self.peek() is not None else "."
            left_src = self._since(start)
            inside = self.sequence(("\\right",))
            right_start = self.at
            closing = "."
            if self.peek() == "\\right":
                self.take()
                self.skip_spaces()
                closing = self.take() if self.peek() is not None else "."
            return Node("left", self._since(start), opening, children=inside, right=closing,
                        left_src=left_src, right_src="".join(self.tokens[right_start:self.at]))  # fmt: skip
        if name == "begin":
            environment = self.raw_argument()
            spec = self.raw_argument() if environment == "array" else ""
            rows = self._rows(environment)
            return Node("env", self._since(start), environment, rows=rows, spec=spec)
        if name in ("frac", "dfrac", "tfrac", "binom"):
            numerator, denominator = self.argument(), self.argument()
            return Node("frac", self._since(start), name, args=[numerator, denominator])
        if name == "sqrt":
            index: list[Node] = []
            self.skip_spaces()
            if self.peek() == "[":
                self.take()
                index = self.sequence(("]",))
                if self.peek() == "]":
                    self.take()
            body = self.argument()
            return Node("sqrt", self._since(start), name, args=[body, index])
        if name in ("text", "textrm", "textbf", "textit", "emph", "mbox", "hbox"):
            words = self.raw_argument()
            return Node("text", self._since(start), name, text=words)
        if name in _ONE_ARGUMENT:
            argument = self.argument()
            return Node("command", self._since(start), name, args=[argument])
        if name in _TWO_ARGUMENTS:
            first, second = self.argument(), self.argument()
            return Node("command", self._since(start), name, args=[first, second])
        if name in ("big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl",
                    "Biggr", "bigm", "Bigm"):  # fmt: skip
            self.skip_spaces()
            delimiter = self.take() if self.peek() is not None else "."
            return Node("sized", self._since(start), name, right=delimiter)
        if name in _SPACES or name in (",", ":", ";", "!", " "):
            return Node("space", token, name)
        if name in ("hspace", "hspace*"):
            amount = self.raw_argument()
            return Node("space", self._since(start), "hspace", text=amount)
        return Node("command", token, name)

    def _rows(self, environment: str) -> list[list[list[Node]]]:
        rows: list[list[list[Node]]] = [[]]
        while (token := self.peek()) is not None:
            if token == "\\end":
                self.take()
                self.raw_argument()
                break
            if token == "\\\\":
                self.take()
                rows.append([])
                continue
            cell = self.sequence(("&", "\\\\", "\\end"))
            rows[-1].append(cell)
            if self.peek() == "&":
                self.take()
                if self.peek() in ("\\\\", "\\end"):
                    rows[-1].append([])
        return [row for row in rows if row]

    def _since(self, start: int) -> str:
        return "".join(self.tokens[start : self.at])


@lru_cache(maxsize=4096)
def _parsed(tex: str) -> tuple[Node, ...]:
    return tuple(_Reader(tex).sequence())


def parse(tex: str) -> list[Node]:
    """The LaTeX as a list of nodes (a fresh list: callers may rearrange it)."""
    return list(_parsed(tex))


# ---------------------------------------------------------------- measuring

# the atom classes TeX spaces by: ord, op, bin, rel, open, close, punct, inner
_SPACING = {
    ("ord", "op"): _THIN, ("ord", "bin"): _MED, ("ord", "rel"): _THICK, ("ord", "inner"): _THIN,
    ("op", "ord"): _THIN, ("op", "op"): _THIN, ("op", "rel"): _THICK, ("op", "inner"): _THIN,
    ("bin", "ord"): _MED, ("bin", "op"): _MED, ("bin", "open"): _MED, ("bin", "inner"): _MED,
    ("rel", "ord"): _THICK, ("rel", "op"): _THICK, ("rel", "open"): _THICK, ("rel", "inner"): _THICK,
    ("close", "op"): _THIN, ("close", "bin"): _MED, ("close", "rel"): _THICK, ("close", "inner"): _THIN,
    ("punct", "ord"): _THIN, ("punct", "op"): _THIN, ("punct", "rel"): _THIN, ("punct", "open"): _THIN,
    ("punct", "close"): _THIN, ("punct", "punct"): _THIN, ("punct", "inner"): _THIN,
    ("inner", "ord"): _THIN, ("inner", "op"): _THIN, ("inner", "bin"): _MED, ("inner", "rel"): _THICK,
    ("inner", "open"): _THIN, ("inner", "punct"): _THIN, ("inner", "inner"): _THIN,
}  # fmt: skip
# in script sizes only these remain (TeX's table, the entries not in brackets)
_SCRIPT_SPACING = {("ord", "op"), ("op", "ord"), ("op", "op"), ("close", "op"), ("inner", "op")}


@dataclass(frozen=True)
class Box:
    """A measured piece: its width (pt) and how tall it stands, in lines of text (a fraction is
    about 2, a three-row matrix 3), which decides how large \\left( grows around it."""

    width: float
    height: float = 1.0


def measure(tex: str, style: str = "display") -> Box:
    return _measure_nodes(parse(tex), style)


def width(tex: str, style: str = "display") -> float:
    """The width in points of ``tex`` set as maths in ``style`` (an align* cell is display style)."""
    return measure(tex, style).width


def text_width(words: str) -> float:
    """The width of words in text mode (\\text{…}), inline maths ($…$) included."""
    return _text_box(words, "text").width


def nodes_width(nodes: list[Node], style: str = "display") -> float:
    return _measure_nodes(nodes, style).width


def nodes_box(nodes: list[Node], style: str = "display") -> Box:
    return _measure_nodes(nodes, style)


def _measure_nodes(nodes: list[Node], style: str) -> Box:
    atoms = _atoms(nodes, style)
    scale = _STYLE_SIZE[style] * _SCALE
    total, height = 0.0, 1.0
    previous: str | None = None
    for index, (kind, piece) in enumerate(atoms):
        if kind == "bin" and (previous in (None, "bin", "op", "rel", "open", "punct")):
            kind = "ord"  # a sign in front: −x, not a − x
        following = atoms[index + 1][0] if index + 1 < len(atoms) else None
        if kind == "bin" and following in (None, "rel", "close", "punct"):
            kind = "ord"
        if kind == "space":
            total += piece.width
            continue
        if previous is not None:
            space = _SPACING.get((previous, kind), 0.0)
            if style in ("script", "scriptscript") and (previous, kind) not in _SCRIPT_SPACING:
                space = 0.0
            total += space * scale
        total += piece.width
        height = max(height, piece.height)
        previous = kind
    return Box(total, height)


def _atoms(nodes: list[Node], style: str) -> list[tuple[str, Box]]:
    """Each node as (TeX atom class, its box); spaces as ("space", box)."""
    scale = _STYLE_SIZE[style] * _SCALE
    out: list[tuple[str, Box]] = []
    for node in nodes:
        out += _atom(node, style, scale)
    return out


def _atom(node: Node, style: str, scale: float) -> list[tuple[str, Box]]:
    kind = node.kind
    if kind == "space":
        return [("space", Box(_space(node) * scale))]
    if kind == "char":
        return [_char(node.name, scale)]
    if kind == "group":
        inner = _measure_nodes(node.children, style)
        return [("ord", inner)]
    if kind == "script":
        return [_script(node, style, scale)]
    if kind == "left":
        inner = _measure_nodes(node.children, style)
        return [("inner", Box(inner.width + _delimiter(node.name, inner.height, scale)
                              + _delimiter(node.right, inner.height, scale), inner.height + 0.15))]  # fmt: skip
    if kind == "sized":
        size = {"big": 1, "Big": 2, "bigg": 3, "Bigg": 4}[node.name.rstrip("lrm")]
        widths = _DELIMITERS.get(node.right, _DELIMITERS["("])
        side = node.name[-1]
        kind_of = "open" if side == "l" else "close" if side == "r" else "rel" if side == "m" else "ord"
        return [(kind_of, Box(widths[size] * scale, 1.0 + 0.5 * size))]
    if kind == "frac":
        return [("ord", _fraction(node, style, scale))]
    if kind == "sqrt":
        body = _measure_nodes(node.args[0], style)
        index = _measure_nodes(node.args[1], "scriptscript").width if node.args[1] else 0.0
        surd = 8.33 * scale * (1.0 if body.height < 1.6 else 1.2)
        return [("ord", Box(body.width + surd + max(0.0, index - 5.0 * scale), body.height + 0.2))]
    if kind == "text":
        return [("ord", _text_box(node.text, style, bold=node.name == "textbf"))]
    if kind == "env":
        return [("inner" if node.name != "array" else "ord", _matrix(node, style, scale))]
    return _command(node, style, scale)


def _space(node: Node) -> float:
    if node.name == "hspace":
        found = re.match(r"\s*(-?[\d.]+)\s*(pt|em|cm|mm|ex)", node.text)
        if not found:
            return 0.0
        value, unit = float(found.group(1)), found.group(2)
        points = {"pt": 1.0, "em": _EM, "cm": 28.45, "mm": 2.845, "ex": 4.3}[unit] * value
        return points / _SCALE  # the caller scales by the style's size, hspace is absolute
    if node.name == " " and node.src.isspace():
        return 0.0  # a space in maths is nothing
    return _SPACES.get(node.name, 0.0)


def _char(character: str, scale: float) -> tuple[str, Box]:
    if character in "+-*":
        return ("bin", Box(_BINARY.get(character, 7.778) * scale))
    if character in "=<>":
        return ("rel", Box(_RELATION[character] * scale))
    if character in "([":
        return ("open", Box(_ROMAN[character] * scale))
    if character in ")]":
        return ("close", Box(_ROMAN[character] * scale))
    if character in ",;":
        return ("punct", Box(_ROMAN[character] * scale))
    if character == ":":
        return ("rel", Box(2.778 * scale))
    if character == "|":
        return ("ord", Box(2.778 * scale))
    if character == "'":
        return ("ord", Box(2.75 * scale))
    if character.isdigit():
        return ("ord", Box(5.0 * scale))
    if character.isalpha() and character.isascii():
        return ("ord", Box((_ITALIC[character] + _ITALIC_CORRECTION.get(character, 0.0) * 0.5) * scale))
    return ("ord", Box(_ROMAN.get(character, 5.0) * scale))


def _script(node: Node, style: str, scale: float) -> tuple[str, Box]:
    base = node.children[0] if node.children else Node("group", "")
    small = _SCRIPT[style]
    up = _measure_nodes(node.sup, small) if node.sup is not None else Box(0.0, 0.0)
    down = _measure_nodes(node.sub, small) if node.sub is not None else Box(0.0, 0.0)
    if base.kind == "command" and base.name in _LARGE_OPERATORS and style == "display":
        shown = _atom(base, style, scale)[0][1]  # limits above and below: the widest line counts
        return ("op", Box(max(shown.width, up.width, down.width), 2.9))
    kinds = _atom(base, style, scale)
    kind, shown = kinds[0] if kinds else ("ord", Box(0.0))
    script = max(up.width, down.width) + 0.5 * scale  # \scriptspace
    tall = 0.0
    if node.sup is not None:  # x² stays below \big; Aᵀ and xᵏ reach higher, a power of a power higher still
        tall = 0.4 if all(_short(n) for n in node.sup) else 0.62
    return (kind, Box(shown.width + script, max(shown.height, 1.0) + tall + 0.6 * max(0.0, up.height - 1.0)))


def _short(node: Node) -> bool:
    """A superscript that stays low: digits, signs and letters without ascenders."""
    if node.kind == "char":
        return node.name in "0123456789+-acemnorsuvwxz ,"
    if node.kind == "group":
        return all(_short(n) for n in node.children)
    return node.kind == "space"


def _fraction(node: Node, style: str, scale: float) -> Box:
    inner = "text" if node.name == "tfrac" else _SMALLER[style] if node.name != "dfrac" else "text"
    if node.name == "tfrac" and style in ("script", "scriptscript"):
        inner = "scriptscript"
    numerator = _measure_nodes(node.args[0], inner)
    denominator = _measure_nodes(node.args[1], inner)
    widest = max(numerator.width, denominator.width)
    shrink = 0.75 if inner in ("script", "scriptscript") else 1.0
    height = (numerator.height + denominator.height) * shrink + 0.5
    if node.name == "binom":
        widest += 2 * _DELIMITERS["("][2] * scale
    return Box(widest + 2 * _NULL_DELIMITER * scale / _SCALE * _SCALE, height)


def _delimiter(delimiter: str, height: float, scale: float) -> float:
    widths = _DELIMITERS.get(delimiter, _DELIMITERS["("])
    size = next((i for i, limit in enumerate(_DELIMITER_HEIGHTS) if height <= limit), len(_DELIMITER_HEIGHTS))
    return widths[size] * scale


def _matrix(node: Node, style: str, scale: float) -> Box:
    cell_style = "text" if node.name not in ("aligned", "gathered", "split") else "display"
    if node.name == "smallmatrix":
        cell_style = "script"
    columns: dict[int, float] = {}
    heights = []
    for row in node.rows:
        tallest = 1.0
        for j, cell in enumerate(row):
            box = _measure_nodes(cell, cell_style)
            columns[j] = max(columns.get(j, 0.0), box.width)
            tallest = max(tallest, box.height)
        heights.append(tallest)
    count = len(columns)
    body = sum(columns.values())
    if node.name == "array":
        body += 2 * _ARRAYCOLSEP * count + 0.4 * node.spec.count("|")
    elif node.name == "cases":
        body += _DELIMITERS["\\{"][2] * scale + (count - 1) * 2 * _EM * scale * 0.5
    elif node.name in ("aligned", "split"):
        body += 0.0
    else:
        body += 2 * _ARRAYCOLSEP * max(0, count - 1)
        fences = {"pmatrix": "(", "bmatrix": "[", "Bmatrix": "\\{", "vmatrix": "|", "Vmatrix": "\\|"}
        if node.name in fences:
            body += 2 * _delimiter(fences[node.name], sum(heights), scale)
    # a column of two rows needs \bigg brackets, of three the extensible ones
    return Box(body, 0.9 * sum(heights) + 0.7)


def _command(node: Node, style: str, scale: float) -> list[tuple[str, Box]]:
    name = node.name
    if name in _GREEK:
        return [("ord", Box(_GREEK[name] * scale))]
    if name in _BINARY:
        return [("bin", Box(_BINARY[name] * scale))]
    if name in _RELATION:
        return [("rel", Box(_RELATION[name] * scale))]
    if name in _LARGE_OPERATORS:
        display, text = _LARGE_OPERATORS[name]
        if name in ("max", "min", "lim"):
            return [("op", Box(display * scale))]
        return [("op", Box((display if style == "display" else text) * scale, 2.0 if style == "display" else 1.3))]
    if name in _FUNCTIONS:
        return [("op", Box(sum(_ROMAN.get(c, 5.0) for c in name) * scale))]
    if name == "operatorname":
        letters = "".join(n.src for n in node.args[0])
        return [("op", Box(sum(_ROMAN.get(c, 5.0) for c in letters.replace("\\", "")) * scale))]
    if name in ("mathrm", "mathbf", "mathsf", "textrm"):
        letters = "".join(n.src for n in node.args[0])
        factor = 1.1 if name == "mathbf" else 1.0
        if not any(c.isalpha() for c in letters) or "\\" not in letters:
            return [("ord", Box(sum(_ROMAN.get(c, 5.0) for c in letters if not c.isspace()) * scale * factor))]
        return [("ord", _measure_nodes(node.args[0], style))]
    if name in ("mathbb", "mathcal", "mathit", "boldsymbol"):
        box = _measure_nodes(node.args[0], style)
        return [("ord", Box(box.width * 1.08, box.height))]
    if name in ("hat", "bar", "tilde", "vec", "dot", "ddot", "check", "breve", "acute", "grave", "widehat",
                "widetilde", "overline", "underline"):  # fmt: skip
        box = _measure_nodes(node.args[0], style)
        return [("ord", Box(box.width, box.height + 0.2))]
    if name in ("displaystyle", "textstyle", "mathop"):
        return [("ord", _measure_nodes(node.args[0], "display" if name == "displaystyle" else "text"))]
    if name in ("phantom", "hphantom"):
        return [("ord", Box(_measure_nodes(node.args[0], style).width))]
    if name == "vphantom":
        return [("ord", Box(0.0))]
    if name == "textcolor":
        return _atoms(node.args[1], style) or [("ord", Box(0.0))]
    if name in ("overset", "underset", "stackrel"):
        return [("rel", _measure_nodes(node.args[1], style))]
    if name in ("{", "}"):
        return [("open" if name == "{" else "close", Box(5.0 * scale))]
    if name == "|":
        return [("ord", Box(5.0 * scale))]
    if name in ("lbrace", "rbrace"):
        return [("ord", Box(5.0 * scale))]
    if name in ("%", "#", "&", "$", "_"):
        return [("ord", Box(_ROMAN.get(name, 7.0) * scale))]
    if name in ("\\", "par", "noindent", "allowbreak", "nonumber", "notag", "displaybreak", "relax"):
        return []
    return [("ord", Box(5.5 * scale))]  # a command not in the tables: a letter's width


def _text_box(words: str, style: str, bold: bool = False) -> Box:
    """\\text{…}: upright roman at the surrounding size, with $…$ maths inside measured as maths."""
    scale = _STYLE_SIZE["text" if style == "display" else style] * _SCALE
    total, height = 0.0, 1.0
    pieces = re.split(r"(\$[^$]*\$)", words)
    for piece in pieces:
        if piece.startswith("$") and piece.endswith("$") and len(piece) >= 2:
            box = _measure_nodes(parse(piece[1:-1]), "text" if style == "display" else style)
            total += box.width
            height = max(height, box.height)
            continue
        for token in _TOKEN.findall(piece):
            if token.startswith("\\"):
                total += _text_command(token[1:]) * scale
            elif token in "{}":
                continue
            elif token.isspace():
                total += 3.333 * scale
            else:
                total += _ROMAN.get(token, 5.0) * scale * (1.1 if bold else 1.0)
    return Box(total, height)


def _text_command(name: str) -> float:
    return {" ": 3.333, "_": 5.0, "&": 7.778, "%": 8.333, "#": 8.333, "quad": _EM, "qquad": 2 * _EM,
            ",": _THIN, "textbar": 2.778, "ldots": 10.0, "textendash": 5.0, "textemdash": 10.0,
            "{": 5.0, "}": 5.0, "^": 5.0, "$": 5.0}.get(name, 0.0)  # fmt: skip


__all__ = ["TEXTWIDTH", "Box", "Node", "measure", "nodes_box", "nodes_width", "parse", "text_width", "width"]
