"""The picture of a gradient-descent fit: its cost history J(t), t = 0 … T, as a standalone SVG
(Markdown, HTML), a pgfplots axis, or a whole LaTeX document.

Only the numbers of the history are drawn, so this module needs nothing beyond the standard
library. Both pictures are made from one ``_Curve`` (the kept points, the ranges, the ticks and
the notes), so the SVG and the LaTeX show the same points, ticks and words.

Choices:

* A long history is cut down to at most ``MAX_POINTS`` points (``downsample``): every point of the
  first ``HEAD`` iterations, then the smallest and the largest J of each bucket, the buckets cut
  both log-spaced (the early fall) and evenly (no stretch of the linear x-axis left out); the
  first and the last point are always kept.
* ``log_y=None`` draws J on a log scale when every J is > 0 and max/min > 100, the axis label
  saying so; ``log_y=True`` with some J <= 0 is an error.
* NaN, ±inf and |J| > 10³⁰⁰ (a diverging fit) are left out, the line broken there, and a note
  under the title says how many and from where; a history with nothing left is an error.
"""

from __future__ import annotations

import math
import unicodedata
import zlib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

DEFAULT_TITLE = "Cost J during gradient descent"
MAX_POINTS = 400
HEAD = 50  # iterations drawn point by point: where gradient descent usually makes its fall
CEILING = 1e300  # |J| beyond this is drawn as missing: axis padding and ticks would overflow floats
FLOOR = 1e-300  # on a log scale smaller J are drawn here: subnormal floats have lost their digits
# A J that varies by less than this fraction of its size is drawn as flat, ±10 %: pgfplots'
# arithmetic cannot place points closer than about 5·10⁻⁶ of their size ("Dimension too large"),
# and no picture could show the difference.
FLAT = 1e-4
_MIN_WIDTH, _MIN_HEIGHT = 240, 180
_STEPS = (1, 2, 5)  # nice tick steps, times a power of ten
_DECADE_STEPS = (1, 2, 3, 5, 10, 20, 25, 50, 100)  # decades between log ticks

Label: TypeAlias = tuple[str, "int | None"]  # a number as (mantissa, power of ten); mantissa "" is 10^k itself


@dataclass(frozen=True)
class _Curve:
    """What both pictures draw, worked out once from the history."""

    pieces: list[list[tuple[int, float]]]  # unbroken runs of kept (t, J)
    last: int  # T, the last iteration
    final: float  # J(T), perhaps NaN or inf
    marked: tuple[int, float]  # the last point drawn (t, J), labelled
    log: bool
    y_lo: float
    y_hi: float
    x_ticks: list[tuple[float, Label]]
    y_ticks: list[tuple[float, Label]]
    missing: int  # how many J were left out (NaN, inf, too large)
    first_missing: int  # the first iteration left out, if any
    floored: int  # how many J were raised to FLOOR on the log scale

    @property
    def x_hi(self) -> int:
        return max(self.last, 1)  # one point still needs an axis of some width


def cost_curve_svg(
    history: Sequence[float],
    *,
    title: str = DEFAULT_TITLE,
    width: int = 640,
    height: int = 400,
    log_y: bool | None = None,
) -> str:
    """The cost history as a self-contained SVG: no fonts, scripts or links outside it."""
    if width < _MIN_WIDTH or height < _MIN_HEIGHT:
        raise ValueError(f"a cost curve needs at least {_MIN_WIDTH}×{_MIN_HEIGHT} pixels, not {width}×{height}")
    return _Svg(_curve(history, log_y), title, width, height).draw()


def cost_curve_pgfplots(history: Sequence[float], *, title: str = DEFAULT_TITLE, log_y: bool | None = None) -> str:
    """The cost history as a ``tikzpicture`` holding one pgfplots axis (needs ``\\usepackage{pgfplots}``)."""
    c = _curve(history, log_y)
    digits = 6 if c.log else _digits(c)
    heading = "".join([_tex_text(title), *(r"\\{\footnotesize " + note + "}" for note in _notes(c, tex=True))])
    options = [
        "width=11cm, height=7cm",
        f"title={{{heading}}}",
        "title style={align=center}",
        "xlabel={iteration}",
        "ylabel={$J$ (log scale)}" if c.log else "ylabel={$J$}",
        *(["ymode=log, log basis y=10"] if c.log else []),
        f"xmin=0, xmax={c.x_hi}, ymin={_coordinate(c.y_lo, digits + 2)}, ymax={_coordinate(c.y_hi, digits + 2)}",
        "xtick={" + ",".join(_coordinate(t, 10) for t, _ in c.x_ticks) + "}",
        "xticklabels={" + ",".join(_tex_label(label) for _, label in c.x_ticks) + "}",
        "ytick={" + ",".join(_coordinate(t, 10) for t, _ in c.y_ticks) + "}",
        "yticklabels={" + ",".join(_tex_label(label) for _, label in c.y_ticks) + "}",
        "minor tick num=0, scaled x ticks=false, scaled y ticks=false",
    ]
    body = [r"\begin{tikzpicture}", r"\begin{axis}[" + ",\n  ".join(options) + "]"]
    for piece in c.pieces:
        points = " ".join(f"({t},{_coordinate(j, digits)})" for t, j in piece)
        body.append(r"\addplot[black, thick, mark=none] coordinates {" + points + "};")
    t, j = c.marked
    words = _final_words(c, tex=True)
    # \small in an 11 cm × 7 cm axis: about 1.5 % of its width a character, 7 % of its height a line
    place = _place(c, 0.015 * max(len(_plain(line)) for line in words), 0.07 * len(words))
    anchor = ("south " if place.bottom else "north ") + ("west" if place.left else "east")
    align = "left" if place.left else "right"
    lines = r"\\".join(words)
    body += [
        rf"\addplot[red, only marks, mark=*, mark size=2pt] coordinates {{({t},{_coordinate(j, digits)})}};",
        rf"\node[anchor={anchor}, align={align}, red, font=\small, fill=white, inner sep=2pt] "
        rf"at (rel axis cs:{place.u:.4f},{place.v:.4f}) {{{lines}}};",
        r"\end{axis}",
        r"\end{tikzpicture}",
    ]
    return "\n".join(body)


def cost_curve_document(history: Sequence[float], **kw: Any) -> str:
    """A whole LaTeX document, for pdflatex, holding ``cost_curve_pgfplots(history, **kw)``."""
    picture = cost_curve_pgfplots(history, **kw)
    return "\n".join(
        [
            r"\documentclass{article}",
            r"\usepackage[utf8]{inputenc}",
            r"\usepackage{pgfplots}",
            r"\pgfplotsset{compat=1.16}",  # the house's; Debian's texlive has pgfplots 1.18
            r"\usepackage[margin=2cm]{geometry}",
            r"\pagestyle{empty}",
            r"\begin{document}",
            r"\begin{center}",
            picture,
            r"\end{center}",
            r"\end{document}",
            "",
        ]
    )


def downsample(history: Sequence[float], *, log_y: bool | None = None) -> list[int]:
    """The iterations whose J the pictures draw, in order: all of them up to ``MAX_POINTS``, else
    every one of the first ``HEAD`` and each bucket's smallest and largest J; always the first and
    the last drawable J."""
    return [t for piece in _curve(history, log_y).pieces for t, _ in piece]


def _downsampled(kept: list[int], values: list[float], limit: int) -> list[int]:
    if len(kept) <= limit:
        return kept
    head = min(HEAD, limit // 8)
    start, end = head, kept[-1] + 1
    # two partitions of [head, T] with k buckets each; merged, at most 2k − 1 buckets of 2 points
    k = max(1, (limit - head - 1) // 4)
    edges = {start, end}
    for i in range(1, k):
        edges.add(round(start * (end / start) ** (i / k)) if start > 0 else round(end ** (i / k)))
        edges.add(start + round((end - start) * i / k))
    cuts = sorted(e for e in edges if start <= e <= end)
    chosen = [t for t in kept if t < head]
    for lo, hi in pairwise(cuts):
        inside = kept[bisect_left(kept, lo) : bisect_left(kept, hi)]
        if inside:
            low = min(inside, key=values.__getitem__)
            high = max(inside, key=values.__getitem__)
            chosen += sorted({low, high})
    if chosen[-1] != kept[-1]:
        chosen.append(kept[-1])
    return chosen


def _numbers(history: Sequence[float]) -> list[float]:
    if history is None or len(history) == 0:
        raise ValueError("no cost history to draw")
    values = []
    for t, v in enumerate(history):
        if isinstance(v, (str, bytes)):
            raise ValueError(f"the cost history holds {v!r} at iteration {t}, not a number")
        try:
            values.append(float(v))
        except (TypeError, ValueError):
            raise ValueError(f"the cost history holds {v!r} at iteration {t}, not a number") from None
    return values


def _drawable(v: float) -> bool:
    return math.isfinite(v) and abs(v) <= CEILING


def _curve(history: Sequence[float], log_y: bool | None) -> _Curve:
    values = _numbers(history)
    kept = [t for t, v in enumerate(values) if _drawable(v)]
    if not kept:
        raise ValueError("no finite cost in the history to draw (every J is NaN, infinite or beyond 1e300)")
    missing = [t for t, v in enumerate(values) if not _drawable(v)]
    drawn = [values[t] for t in kept]
    if log_y:
        bad = next((t for t in kept if values[t] <= 0), None)
        if bad is not None:
            raise ValueError(f"a log scale needs every cost > 0, but J = {values[bad]:g} at iteration {bad}")
    log = log_y if log_y is not None else min(drawn) > 0 and max(drawn) / min(drawn) > 100
    floored = sum(1 for v in drawn if v < FLOOR) if log else 0
    shown = [max(v, FLOOR) for v in values] if log else values
    chosen = _downsampled(kept, shown, MAX_POINTS)
    lo, hi = min(shown[t] for t in kept), max(shown[t] for t in kept)
    y_lo, y_hi, y_ticks = _log_axis(lo, hi) if log else _linear_axis(lo, hi)
    return _Curve(
        pieces=_pieces(chosen, shown, missing),
        last=len(values) - 1,
        final=values[-1],
        marked=(kept[-1], shown[kept[-1]]),
        log=log,
        y_lo=y_lo,
        y_hi=y_hi,
        x_ticks=_x_ticks(max(len(values) - 1, 1)),
        y_ticks=y_ticks,
        missing=len(missing),
        first_missing=missing[0] if missing else -1,
        floored=floored,
    )


def _pieces(chosen: list[int], values: list[float], missing: list[int]) -> list[list[tuple[int, float]]]:
    """The kept points as unbroken runs: a run ends where an undrawable J lies between two points."""
    pieces: list[list[tuple[int, float]]] = [[]]
    for t in chosen:
        previous = pieces[-1][-1][0] if pieces[-1] else None
        if previous is not None and bisect_left(missing, t) > bisect_left(missing, previous):
            pieces.append([])
        pieces[-1].append((t, values[t]))
    return pieces


# ---- axes and ticks ----------------------------------------------------------------------------


def _linear_axis(lo: float, hi: float) -> tuple[float, float, list[tuple[float, Label]]]:
    size, positive = max(abs(lo), abs(hi)), lo >= 0
    if hi - lo <= FLAT * size or size == 0:
        middle = (lo + hi) / 2
        half = 0.1 * abs(middle) or 1.0
        lo, hi = middle - half, middle + half
    else:
        pad = 0.05 * (hi - lo)
        lo, hi = lo - pad, hi + pad
    if positive:  # costs are >= 0: the axis need not show negative J
        lo = max(lo, 0.0)
    return lo, hi, _nice_ticks(lo, hi, 6)


def _nice_ticks(lo: float, hi: float, target: int, whole: bool = False) -> list[tuple[float, Label]]:
    """Ticks at n·m·10^e (m one of 1, 2, 5) between lo and hi, about ``target`` of them, labelled
    exactly from the integer n·m (no float noise such as 0.30000000000000004)."""
    raw = (hi - lo) / target
    e = math.floor(math.log10(raw))
    m = next((s for s in _STEPS if s * 10.0**e >= raw * (1 - 1e-9)), None)
    if m is None:
        m, e = 1, e + 1
    if whole and e < 0:
        m, e = 1, 0
    step = m * 10.0**e
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    ticks = []
    for i in range(first, last + 1):
        # iterations are written out whole (100000, not 1×10⁵)
        biggest = 1 if whole else max(abs(first), abs(last)) * m
        ticks.append((i * step, _exact_label(i * m, e, biggest)))
    return ticks


def _exact_label(n: int, e: int, biggest: int) -> Label:
    """n·10^e written out: fixed while the largest tick (biggest·10^e) lies in [0.001, 10⁵), else m·10^k."""
    if n == 0:
        return "0", None
    sign, digits = ("-" if n < 0 else ""), str(abs(n))
    whole_digits = len(str(biggest)) + e  # of the largest tick: 0 for 0.5, −2 for 0.002, 5 for 12000
    if -2 <= whole_digits <= 5 and e >= -9:
        if e >= 0:
            return sign + digits + "0" * e, None
        digits = digits.rjust(-e + 1, "0")
        return sign + digits[:e] + "." + digits[e:], None
    power = e + len(digits) - 1
    mantissa = (digits[0] + "." + digits[1:]).rstrip("0").rstrip(".")
    return sign + mantissa, power


def _x_ticks(last: int) -> list[tuple[float, Label]]:
    return _nice_ticks(0, last, 6, whole=True)


def _log_axis(lo: float, hi: float) -> tuple[float, float, list[tuple[float, Label]]]:
    a, b = math.log10(lo), math.log10(hi)
    if b - a < 1:  # less than a decade: widen to one around the middle, so ticks 1, 2, 5 land in it
        middle = (a + b) / 2
        a, b = middle - 0.5, middle + 0.5
    pad = 0.04 * (b - a)
    # no further than a decade beyond FLOOR and CEILING: 10^(300 + 4 % of 600) is not a float
    a, b = max(a - pad, math.log10(FLOOR) - 1), min(b + pad, math.log10(CEILING) + 1)
    decades = list(range(math.ceil(a), math.floor(b) + 1))
    if len(decades) >= 3:
        every = next((d for d in _DECADE_STEPS if len(decades) / d <= 7), 10 ** math.ceil(math.log10(len(decades))))
        ticks: list[tuple[float, Label]] = [(10.0**k, ("", k)) for k in decades if k % every == 0]
    else:
        ticks = []
        for k in range(math.floor(a), math.ceil(b) + 1):
            for m in _STEPS:
                if a <= k + math.log10(m) <= b:
                    ticks.append((m * 10.0**k, _exact_label(m, k, m)))
    return 10.0**a, 10.0**b, ticks


def _fraction_up(c: _Curve, j: float) -> float:
    """How high J sits in the plot, 0 at the bottom and 1 at the top."""
    if c.log:
        return (math.log10(j) - math.log10(c.y_lo)) / (math.log10(c.y_hi) - math.log10(c.y_lo))
    return (j - c.y_lo) / (c.y_hi - c.y_lo)


def _digits(c: _Curve) -> int:
    """Significant digits for linear coordinates: six, more when the range is narrow beside J's size."""
    size = max(abs(c.y_lo), abs(c.y_hi))
    return min(12, 6 + max(0, math.floor(math.log10(size / (c.y_hi - c.y_lo))))) if size else 6


@dataclass(frozen=True)
class _Place:
    """Where the final words go, in fractions of the plot (0, 0 bottom left; 1, 1 top right): the
    corner (u, v) of their box, which is its left or right and its bottom or top corner."""

    u: float
    v: float
    left: bool
    bottom: bool


def _place(c: _Curve, w: float, h: float) -> _Place:
    """Next to the final point if the curve leaves room there, else in a corner it leaves free
    (a falling curve leaves the top right free), for words ``w`` wide and ``h`` high."""
    pu, pv = c.marked[0] / c.x_hi, _fraction_up(c, c.marked[1])
    left = pu < 0.5  # words run away from the nearer side edge
    near = pu + 0.015 if left else pu - 0.015
    corner = 0.02 if left else 0.98
    candidates = [
        _Place(near, pv + 0.03, left, True),
        _Place(near, pv - 0.03, left, False),
        _Place(corner, 0.97, left, False),
        _Place(corner, 0.03, left, True),
    ]
    curve = _samples(c)
    for place in candidates:
        u0 = min(max(place.u if place.left else place.u - w, 0.0), 1.0 - w)
        v0 = place.v if place.bottom else place.v - h
        if v0 < 0 or v0 + h > 1:
            continue
        if not any(u0 - 0.01 <= u <= u0 + w + 0.01 and v0 - 0.01 <= v <= v0 + h + 0.01 for u, v in curve):
            return place
    return candidates[0] if pv + 0.03 + h <= 1 else candidates[1]


def _samples(c: _Curve) -> list[tuple[float, float]]:
    """Points along the drawn curve, in fractions of the plot, close enough to find what it crosses."""
    points = [[(t / c.x_hi, _fraction_up(c, j)) for t, j in piece] for piece in c.pieces]
    out = []
    for piece in points:
        out += piece
        for (u1, v1), (u2, v2) in pairwise(piece):
            steps = min(50, int(max(abs(u2 - u1), abs(v2 - v1)) / 0.005))
            out += [(u1 + (u2 - u1) * i / steps, v1 + (v2 - v1) * i / steps) for i in range(1, steps)]
    return out


def _plain(tex: str) -> str:
    """Roughly the characters LaTeX prints for ``tex`` (to guess its width)."""
    for macro in ("\\mathrm", "\\infty", "\\cdot", "$", "{", "}", "^"):
        tex = tex.replace(macro, "" if macro != "\\infty" else "o")
    return tex


# ---- words -------------------------------------------------------------------------------------


def _significant(v: float, digits: int) -> Label:
    text = f"{v:.{digits}g}"
    if "e" not in text:
        return text, None
    mantissa, power = text.split("e")
    return mantissa, int(power)


def _final_words(c: _Curve, tex: bool) -> list[str]:
    """The lines at the final point: J = 0.5346 after 27 iterations (and after NaN or inf, the last J drawn)."""
    iterations = f"after {c.last} iteration{'' if c.last == 1 else 's'}"
    if _drawable(c.final):
        return [f"{_equation(c.final, tex)} {iterations}"]
    t, j = c.marked
    return [f"{_equation(c.final, tex)} {iterations}", f"last drawn: {_equation(j, tex)} at iteration {t}"]


def _equation(v: float, tex: bool) -> str:
    """J = v, v to four significant digits (or NaN, ∞)."""
    if math.isnan(v):
        return "$J = \\mathrm{NaN}$" if tex else "J = NaN"
    if math.isinf(v):
        return ("$J = -\\infty$" if v < 0 else "$J = \\infty$") if tex else ("J = −∞" if v < 0 else "J = ∞")
    label = _significant(v, 4)
    return f"$J = {_tex_number(label)}$" if tex else f"J = {_svg_label(label)}"


def _notes(c: _Curve, tex: bool) -> list[str]:
    notes = []
    if c.missing:
        values = "value" if c.missing == 1 else "values"
        odd = r"NaN, $\pm\infty$ or beyond $10^{300}$" if tex else "NaN, ±∞ or beyond 10³⁰⁰"
        notes.append(f"{c.missing} {values} of {_j(tex)} not drawn ({odd}), the first at iteration {c.first_missing}")
    if c.floored:
        floor = "$10^{-300}$" if tex else "10⁻³⁰⁰"
        notes.append(f"{c.floored} {'value' if c.floored == 1 else 'values'} below {floor} drawn at {floor}")
    return notes


def _j(tex: bool) -> str:
    return "$J$" if tex else "J"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _svg_label(label: Label) -> str:
    mantissa, power = label
    mantissa = mantissa.replace("-", "−")
    if power is None:
        return mantissa
    ten = "10" + str(power).translate(_SUPERSCRIPT)
    return ten if mantissa == "" else f"{mantissa}×{ten}"


def _tex_label(label: Label) -> str:
    return f"${_tex_number(label)}$"


def _tex_number(label: Label) -> str:
    mantissa, power = label
    if power is None:
        return mantissa
    return f"10^{{{power}}}" if mantissa == "" else f"{mantissa} \\cdot 10^{{{power}}}"


def _coordinate(v: float, digits: int) -> str:
    """A number as pgfplots reads it: at most ``digits`` significant digits, exponents as 1e-12."""
    mantissa, power = _significant(v, digits)
    return mantissa if power is None else f"{mantissa}e{power}"


_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_TEX_SYMBOLS = {
    "−": "$-$", "×": r"$\times$", "·": r"$\cdot$", "²": "$^2$", "³": "$^3$", "…": r"\dots{}", "∂": r"$\partial$",
    "∇": r"$\nabla$", "≤": r"$\leq$", "≥": r"$\geq$", "→": r"$\to$", "‖": r"$\|$", "∑": r"$\sum$", "∞": r"$\infty$",
}  # fmt: skip
# the Greek letters LaTeX has macros for (no \omicron, no \Alpha: those are Latin letters)
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
}  # fmt: skip


def _tex_text(s: str) -> str:
    """Plain text (a title) for LaTeX: its special characters escaped, Greek letters as macros."""
    out = []
    for ch in s:
        if ch in _TEX_SPECIALS:
            out.append(_TEX_SPECIALS[ch])
        elif ch in _TEX_SYMBOLS:
            out.append(_TEX_SYMBOLS[ch])
        elif ch in "\n\r\t" or unicodedata.category(ch).startswith("C"):
            out.append(" ")
        elif _greek(ch) in _GREEK:
            out.append(f"$\\{_greek(ch)}$")
        else:
            out.append(ch)
    return "".join(out)


def _greek(ch: str) -> str:
    """'sigma' for σ, 'Sigma' for Σ, '' for what is not a Greek letter."""
    name = unicodedata.name(ch, "").split()
    if name[:2] not in (["GREEK", "SMALL"], ["GREEK", "CAPITAL"]) or len(name) != 4:
        return ""
    letter = "lambda" if name[3] == "LAMDA" else name[3].lower()  # Unicode spells λ "LAMDA"
    return letter.capitalize() if name[1] == "CAPITAL" else letter


def _svg_text(s: str) -> str:
    """Text for SVG: XML-escaped, without the characters XML cannot hold at all (controls, lone
    surrogates, U+FFFE and U+FFFF)."""
    return escape("".join(" " if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff" else ch for ch in s))


# ---- the SVG -----------------------------------------------------------------------------------


class _Svg:
    """The frame of a cost picture: title, notes, axes box, ticks, the curve and its final point."""

    def __init__(self, c: _Curve, title: str, width: int, height: int):
        self.c, self.title, self.width, self.height = c, title, width, height
        self.notes = _notes(c, tex=False)
        widest = max(len(_svg_label(label)) for _, label in c.y_ticks)
        self.left = 34 + 7 * widest  # room for the rotated "J" and the widest tick label
        # room for half the last x tick's label ("100000") beyond the plot's right edge
        self.right = width - max(18, 4 + 3.5 * len(_svg_label(c.x_ticks[-1][1])))
        self.top = 34 + 15 * len(self.notes)
        self.bottom = height - 44

    def px(self, t: float) -> float:
        return self.left + t / self.c.x_hi * (self.right - self.left)

    def py(self, j: float) -> float:
        return self.bottom - _fraction_up(self.c, j) * (self.bottom - self.top)

    def draw(self) -> str:
        c, width, height = self.c, self.width, self.height
        left, right, top, bottom = self.left, self.right, self.top, self.bottom
        # one id per picture: a page holding several must not share one clip path
        clip = f"cost-{zlib.crc32(repr((c.pieces, width, height, c.log)).encode()):08x}"
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="13">',
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<defs><clipPath id="{clip}"><rect x="{left}" y="{top - 3}" width="{right - left}" '
            f'height="{bottom - top + 6}"/></clipPath></defs>',
            f'<text class="title" x="{width / 2:.1f}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
            f"{_svg_text(self.title)}</text>",
        ]
        for index, note in enumerate(self.notes):
            out.append(
                f'<text class="note" x="{width / 2:.1f}" y="{36 + 15 * index}" text-anchor="middle" font-size="11" '
                f'fill="#555">{_svg_text(note)}</text>'
            )
        out.append(
            f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#999"/>'
        )
        out += self.ticks()
        out.append(f'<g clip-path="url(#{clip})">')
        for piece in c.pieces:
            if len(piece) == 1:
                t, j = piece[0]
                out.append(f'<circle class="cost" cx="{self.px(t):.1f}" cy="{self.py(j):.1f}" r="1.5" fill="black"/>')
            else:
                points = " ".join(f"{self.px(t):.1f},{self.py(j):.1f}" for t, j in piece)
                out.append(f'<polyline class="cost" points="{points}" fill="none" stroke="black" stroke-width="2"/>')
        out.append("</g>")
        out += self.final()
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def ticks(self) -> list[str]:
        c, left, bottom = self.c, self.left, self.bottom
        out = []
        for t, label in c.x_ticks:
            x = self.px(t)
            out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#999"/>')
            out.append(
                f'<text class="x-tick" x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="11">'
                f"{_svg_label(label)}</text>"
            )
        for j, label in c.y_ticks:
            y = self.py(j)
            out.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#999"/>')
            out.append(
                f'<text class="y-tick" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                f"{_svg_label(label)}</text>"
            )
        middle_x, middle_y = (left + self.right) / 2, (self.top + bottom) / 2
        out.append(
            f'<text class="x-label" x="{middle_x:.1f}" y="{self.height - 10}" text-anchor="middle">iteration</text>'
        )
        out.append(
            f'<text class="y-label" x="16" y="{middle_y:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 16 {middle_y:.1f})">'
            f"{'J (log scale)' if c.log else 'J'}</text>"
        )
        return out

    def final(self) -> list[str]:
        t, j = self.c.marked
        x, y = self.px(t), self.py(j)
        words = _final_words(self.c, tex=False)
        plot_width, plot_height = self.right - self.left, self.bottom - self.top
        place = _place(self.c, 7.5 * max(len(line) for line in words) / plot_width, 17 * len(words) / plot_height)
        tx = self.left + place.u * plot_width
        # the baseline of the first line: above a bottom corner the box grows upwards
        ty = self.bottom - place.v * plot_height + (-4 - 17 * (len(words) - 1) if place.bottom else 13)
        lines = "".join(
            f'<tspan x="{tx:.1f}" dy="{0 if index == 0 else 17}">{_svg_text(line)}</tspan>'
            for index, line in enumerate(words)
        )
        return [
            f'<circle class="final" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#c01c28"/>',
            # a white halo keeps the words readable should they cross the curve
            f'<text class="final" x="{tx:.1f}" y="{ty:.1f}" text-anchor="{"start" if place.left else "end"}" '
            f'fill="#c01c28" stroke="white" stroke-width="3" paint-order="stroke">{lines}</text>',
        ]
