"""A chain of equalities laid out on the page as a typesetter would: when a line is too wide for
the text block, the rule moves to its own line below the expression, a long expression is broken
before a top-level + or −, else between its factors (with · where the break falls), else inside
its widest bracket; a start too long to stand beside "=" gets a line of its own.

Widths come from ``latex_width`` (estimated, not compiled), with a small allowance for its error.
A chain that fits is written exactly as before: one row per step, the rule in a column of its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .latex_width import TEXTWIDTH, Node, nodes_box, parse, text_width, width

# the estimate errs by up to 2-3% on long lines: a line is taken to fit only with this to spare
_ALLOWANCE = 1.03
_SPARE = 2.0
_MIN_ALIGN_SEP = 10.0  # amsmath's \minalignsep between the expression and the rule's column
_QUAD = 10.95
_INDENT = _QUAD  # a continuation line starts a quad in from the "="
_RULE_INDENT = 2 * _QUAD  # a rule on its own line, two quads in
_NARROWEST_RULE_COLUMN = 150.0  # narrower than this, a wrapped rule reads worse than one below
_BREAK_AFTER_ROWS = 12  # longer chains may break across pages, between steps


@dataclass(frozen=True)
class Note:
    """A step's justification: its words (LaTeX text mode) and its bindings (LaTeX maths)."""

    label: str
    bindings: tuple[str, ...] = ()

    def maths(self) -> str:
        """\\text{Product rule}\\ \\left(f = …,\\ g = …\\right)"""
        shown = rf"\text{{{self.label}}}"
        between = r",\ "
        return shown + (rf"\ \left({between.join(self.bindings)}\right)" if self.bindings else "")

    def words(self) -> str:
        """The same for a paragraph box: the bindings as inline maths, each its own (so lines may break)."""
        return self.label + (" (" + ", ".join(f"${b}$" for b in self.bindings) + ")" if self.bindings else "")


@dataclass(frozen=True)
class Line:
    """One line of a chain: what stands left of "=" (the start, on the first line), the expression
    after it, and the justifications of the steps that end in it (two when a step's result shows
    the same as the one before: one line, both rules)."""

    left: str
    right: str
    notes: tuple[Note, ...] = ()

    def annotation(self) -> str:
        return r";\ ".join(note.maths() for note in self.notes)

    def annotation_words(self) -> str:
        return "; ".join(note.words() for note in self.notes)


def plain_rows(lines: list[Line]) -> list[str]:
    """One row per line, the rule in its own column: how a chain that fits is written."""
    rows = []
    for line in lines:
        annotation = line.annotation()
        if line.right or annotation:
            rows.append(f"{line.left} &= {line.right} " + (f"&& {annotation}" if annotation else "").rstrip())
        else:
            rows.append(f"{line.left} &")
    return [row.rstrip() for row in rows]


def _fits(points: float, room: float) -> bool:
    return points * _ALLOWANCE + _SPARE <= room


def _cell(tex: str) -> float:
    """The width of an align* cell on the right of "&" ({} in front, as amsmath sets it)."""
    return width("{}" + tex) if tex else 0.0


def chain_rows(lines: list[Line], room: float = TEXTWIDTH) -> list[str]:
    """The rows of an align* for ``lines``, laid out to fit ``room`` points."""
    if not lines:
        return []
    left = max(width(line.left) for line in lines)
    rights = [_cell("= " + line.right) if line.right else 0.0 for line in lines]
    notes = [_cell(line.annotation()) for line in lines]
    widest_right, widest_note = max(rights), max(notes)
    if _fits(left + widest_right + (_MIN_ALIGN_SEP + widest_note if widest_note else 0.0), room):
        return plain_rows(lines)
    column = room - (left + widest_right) * _ALLOWANCE - _SPARE - _MIN_ALIGN_SEP
    if widest_note and column >= _NARROWEST_RULE_COLUMN and _bindings_fit(lines, column):
        return _beside_wrapped(lines, notes, column)
    return _below(lines, left, room)


def _bindings_fit(lines: list[Line], room: float) -> bool:
    return all(_fits(_cell(b), room) for line in lines for note in line.notes for b in note.bindings)


def _beside_wrapped(lines: list[Line], notes: list[float], column: float) -> list[str]:
    """The rule beside its expression, in a column narrower than the longest rule: those that do
    not fit wrap in a paragraph box of the column's width."""
    rows = []
    for line, note in zip(lines, notes, strict=True):
        annotation = line.annotation()
        if annotation and not _fits(note, column):
            annotation = _box(line.annotation_words(), column)
        row = f"{line.left} &= {line.right}" if line.right else f"{line.left} &"
        rows.append(row + (f" && {annotation}" if annotation else ""))
    return rows


def _box(words: str, room: float) -> str:
    return rf"\parbox[t]{{{room / _ALLOWANCE:.0f}pt}}{{\raggedright {words}}}"


def _below(lines: list[Line], left: float, room: float) -> list[str]:
    """Each rule on its own line under its expression; expressions too wide broken over lines; the
    start on a line of its own when it is too long to stand beside "=" as well."""
    start = lines[0].left
    alone = bool(start) and _start_alone(lines, left, room)
    beside = 0.0 if alone else left
    rows: list[str] = []
    if alone:
        pieces = break_lines(start, room - _SPARE, room - _INDENT * _ALLOWANCE - _SPARE)
        rows += [f"&{pieces[0]}", *(rf" &\quad {piece}" for piece in pieces[1:])]
    ends = []  # the rows that end a step: where a page may break
    for line in lines:
        shown_left = "" if alone else line.left
        first_room = room - beside - _cell("= ") * _ALLOWANCE - _SPARE
        pieces = break_lines(line.right, first_room, room - beside - _INDENT * _ALLOWANCE - _SPARE)
        rows.append(f"{shown_left} &= {pieces[0]}" if line.right else f"{shown_left} &")
        rows += [rf" &\quad {piece}" for piece in pieces[1:]]
        rows += _notes_below(line, room - beside - _RULE_INDENT - _SPARE)
        ends.append(len(rows) - 1)
    if len(rows) >= _BREAK_AFTER_ROWS:
        for end in ends[:-1]:
            rows[end] += r" \displaybreak[1]"  # a long chain may go on over the page, between steps
    return rows


def _notes_below(line: Line, room: float) -> list[str]:
    """The rules of a line on rows of their own, two quads in; a rule too long for the row wraps,
    and a binding too long to sit in the words (a whole matrix expression) is displayed below them."""
    if not line.notes:
        return []
    annotation = line.annotation()
    if _fits(_cell(annotation), room):
        return [rf" &\qquad {annotation}"]
    short = tuple(Note(n.label, tuple(b for b in n.bindings if _fits(_cell(b), room / 2))) for n in line.notes)
    long = [b for n in line.notes for b in n.bindings if not _fits(_cell(b), room / 2)]
    shortened = Line(line.left, line.right, short)
    words = shortened.annotation()
    rows = [rf" &\qquad {words if _fits(_cell(words), room) else _box(shortened.annotation_words(), room)}"]
    for binding in long:
        pieces = break_lines(binding, room, room - _INDENT * _ALLOWANCE)
        rows += [rf" &\qquad {pieces[0]}", *(rf" &\qquad\quad {piece}" for piece in pieces[1:])]
    return rows


def _start_alone(lines: list[Line], left: float, room: float) -> bool:
    """The start goes on a line of its own when beside "=" it leaves an expression too little room."""
    if left > 0.45 * room:
        return True
    widest = max(_cell("= " + line.right) for line in lines)
    return not _fits(left + widest, room) and left > 0.25 * room


# ---------------------------------------------------------------- breaking an expression


@dataclass
class _Item:
    """A piece of the expression between two places it may break."""

    src: str
    points: float
    kind: str = "piece"  # piece, open, close
    group: int = -1  # for open and close: which \left…\right
    sized: str = ""  # for open and close: the fixed-size delimiter written when the group is broken
    # a break before this item: how much it costs (-1: none), and what is written at the start of the
    # next line in place of the nothing between two factors
    cost: float = -1.0
    insert: str = ""
    trail: str = ""  # the spaces written after it


_SUM_BREAK, _PRODUCT_BREAK, _FACTOR_BREAK, _INSIDE = 0.0, 60.0, 300.0, 220.0
_SHORT_LINE = 250.0  # a line broken off nearly empty (−1/n, then the rest) costs up to this
_LINE_COST = 400.0
_PRODUCT_OPERATORS = {"cdot", "odot", "oslash", "times", "otimes"}


def break_lines(tex: str, first: float, rest: float) -> list[str]:
    """``tex`` as lines, the first at most ``first`` points wide, the others ``rest``; each line after
    the first begins with the operator it was broken before. An expression that fits is one line."""
    if not tex or _fits(width("{}" + tex), first):
        return [tex]
    items = _items(parse(tex), depth=0, counter=[0], room=rest)
    lines = [tex]
    squeeze = 0.0  # the items' widths leave out some spaces between them: measured, and taken off
    for _ in range(4):
        chosen = _choose(items, first - squeeze, rest - squeeze)
        if not chosen:
            return lines
        lines = _write(items, chosen)
        over = max(width("{}" + line) * _ALLOWANCE + _SPARE - (first if i == 0 else rest)
                   for i, line in enumerate(lines))  # fmt: skip
        if over <= 0:
            break
        squeeze += over + 1.0
    return lines


def _items(nodes: list[Node], depth: int, counter: list[int], room: float) -> list[_Item]:
    """The nodes as items with their break opportunities: before a binary + or −, before ·, ⊙, ⊘,
    between two factors, and (dearer the deeper) the same inside a \\left( … \\right) group. A
    fraction too wide for a line is written 1/D·(N), so that its numerator can break."""
    out: list[_Item] = []
    previous: str | None = None  # the class of the last atom: is a + after it binary?
    for node in nodes:
        if node.kind == "space":
            if out:
                out[-1].trail += node.src  # kept as written, and no place to break
            continue
        kind = _class(node)
        if kind == "bin" and previous in ("ord", "close", "inner"):
            out.append(_Item(node.src, _points_binary(node), cost=depth * _INSIDE + (
                _SUM_BREAK if node.name in "+-" else _PRODUCT_BREAK)))  # fmt: skip
            previous = "bin"
            continue
        factor_break = previous in ("ord", "close", "inner") and kind in ("ord", "inner", "op", "open")
        group, script = node, ""
        if node.kind == "script" and node.children and node.children[0].kind == "left":
            group, script = node.children[0], node.src[len(node.children[0].src) :]  # (…)ᵀ: the ᵀ follows
        if group.kind == "left" and _worth_opening(group):
            number = counter[0]
            counter[0] += 1
            size = _size_for(group)
            open_src, close_src = _sized(group.name, size, "l"), _sized(group.right, size, "r")
            opening = _Item(group.left_src, _delimiter_points(open_src), "open", number, open_src)
            out.append(opening)
            out += _items(group.children, depth + 1, counter, room)
            closing = group.right_src + script
            out.append(_Item(closing, _delimiter_points(close_src + script), "close", number, close_src + script))
            first = opening
        elif node.kind == "frac" and node.name in ("frac", "dfrac") and _points(node) > room:
            below = "".join(n.src for n in node.args[1])
            first = _Item(rf"\frac{{1}}{{{below}}} ", _points(Node("frac", "", "frac", args=[[], node.args[1]])))
            number = counter[0]
            counter[0] += 1
            size = min(3, _size_for(Node("left", "", "(", children=node.args[0])) + 1)
            open_src, close_src = _sized("(", size, "l"), _sized(")", size, "r")
            out += [first, _Item(r"\left(", _delimiter_points(open_src), "open", number, open_src)]
            out += _items(node.args[0], depth + 1, counter, room)
            out.append(_Item(r"\right)", _delimiter_points(close_src), "close", number, close_src))
        else:
            first = _Item(node.src, _points(node))
            out.append(first)
        if factor_break:
            first.cost, first.insert = depth * _INSIDE + _FACTOR_BREAK, r"\cdot "
        previous = kind
    return out


def _class(node: Node) -> str:
    if node.kind == "char":
        if node.name in "+-":
            return "bin"
        if node.name in "=<>":
            return "rel"
        if node.name in "([":
            return "open"
        if node.name in ")]":
            return "close"
        if node.name in ",;":
            return "punct"
        return "ord"
    if node.kind == "command":
        if node.name in _PRODUCT_OPERATORS or node.name in ("pm", "mp"):
            return "bin"
        if node.name in ("ln", "log", "exp", "sin", "cos", "tan", "det", "operatorname", "sum", "prod"):
            return "op"
        return "ord"
    if node.kind == "left":
        return "inner"
    if node.kind == "space":
        return "space"
    if node.kind == "script" and node.children:
        return _class(node.children[0])
    return "ord"


def _points(node: Node) -> float:
    return nodes_box([node]).width


def _points_binary(node: Node) -> float:
    # the operator and the medium spaces either side of it (4mu each at 11pt)
    return nodes_box([Node("char", "x", "x"), node, Node("char", "x", "x")]).width - 2 * nodes_box(
        [Node("char", "x", "x")]
    ).width


def _worth_opening(node: Node) -> bool:
    """A bracket is broken inside only when its content is long (a short one moves whole)."""
    return node.name in ("(", "[", "\\{", "\\lVert", "|") and nodes_box(node.children).width > 120


def _size_for(node: Node) -> int:
    height = nodes_box(node.children).height
    return 0 if height <= 1.25 else 1 if height <= 1.6 else 2 if height <= 2.1 else 3


def _sized(delimiter: str, size: int, side: str) -> str:
    if delimiter == ".":
        return ""
    if delimiter == "\\{":
        delimiter = "\\{" if side == "l" else "\\}"
    if size == 0:
        return {"\\lVert": "\\|", "\\rVert": "\\|"}.get(delimiter, delimiter)
    return "\\" + ("big", "Big", "bigg")[size - 1] + side + delimiter


def _delimiter_points(src: str) -> float:
    return width(src) if src else 0.0


def _choose(items: list[_Item], first: float, rest: float) -> list[int]:
    """The break positions (indices of items that begin a line) that need the fewest lines, each line
    within its room, and among those the cheapest breaks; [] if there is no such choice."""
    candidates = [0] + [i for i, item in enumerate(items) if item.cost >= 0 and i > 0]
    prefix = [0.0]
    for item in items:
        prefix.append(prefix[-1] + item.points)
    cdot = width("{}" + r"\cdot ")
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for j_index, j in enumerate([*candidates[1:], len(items)], start=1):
        options = []
        for i in candidates[:j_index]:
            if i not in best:
                continue
            inserted = cdot if i and items[i].insert else 0.0
            points = prefix[j] - prefix[i] + inserted
            room = first if i == 0 else rest
            excess = points * _ALLOWANCE + _SPARE - room
            cost = best[i][0] + _LINE_COST + (items[j].cost if j < len(items) else 0.0)
            if j < len(items):
                cost += _SHORT_LINE * max(0.0, 0.4 - points / room) / 0.4
            if excess > 0:
                cost += 10_000 + 100 * excess  # too wide: only when nothing else is possible
            options.append((cost, [*best[i][1], i]))
        if options:
            best[j] = min(options, key=lambda option: option[0])
    if len(items) not in best:
        return []
    return best[len(items)][1]


def _write(items: list[_Item], starts: list[int]) -> list[str]:
    """The lines, with the groups that a break falls inside written with fixed-size delimiters."""
    broken: set[int] = set()
    opened: dict[int, int] = {}
    for index, item in enumerate(items):
        if item.kind == "open":
            opened[item.group] = index
        elif item.kind == "close":
            start = opened.pop(item.group)
            if any(start < s <= index for s in starts):
                broken.add(item.group)
    lines: list[str] = []
    bounds = [*starts, len(items)]
    for a, b in itertools.pairwise(bounds):
        parts = [items[a].insert] if a and items[a].insert else []
        for item in items[a:b]:
            if item.kind in ("open", "close") and item.group in broken:
                parts.append(item.sized + item.trail)
            else:
                parts.append(item.src + item.trail)
        lines.append(_joined(parts))
    return lines


def _joined(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if out and out[-1].isalpha() and part[:1].isalpha():
            out += " "  # \cdot x, never \cdotx
        out += part
    return out.strip()


def display(tex: str, room: float = TEXTWIDTH) -> str:
    """A displayed equation \\[ … \\] that fits, or broken at its "=" and its sums as an align*."""
    if _fits(width(tex), room):
        return rf"\[ {tex} \]"
    nodes = parse(tex)
    at = next((i for i, n in enumerate(nodes) if n.kind == "char" and n.name == "="), None)
    if at is None:
        left, right = "", tex
    else:
        left, right = "".join(n.src for n in nodes[:at]).strip(), "".join(n.src for n in nodes[at + 1 :]).strip()
    return "\\begin{align*}\n" + " \\\\\n".join(chain_rows([Line(left, right)], room)) + "\n\\end{align*}"


def heading_fits(heading: str, room: float = TEXTWIDTH) -> bool:
    """Does a \\section* heading (14.4pt bold, its maths unbreakable) fit on one line?"""
    return _fits(text_width(heading) * 14.4 / 10.95 * 1.1, room)


__all__ = ["Line", "Note", "break_lines", "chain_rows", "display", "heading_fits", "plain_rows"]
