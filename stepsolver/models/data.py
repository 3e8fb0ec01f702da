"""A training table read from CSV, and the standardisation a fit may run on.

``read_table`` reads a CSV with a header row: one column is the target, every other column a
numeric feature. Anything it cannot use is refused whole with a one-line ``ParseError`` naming
the file, the line (from 1; the header is line 1) and the column: a fit on silently repaired
data (a dropped row, a NaN read as 0) would report an optimum of some other table.

Hostile input is bounded: the file's size is checked before it is read, every cell and the
number of columns and classes have limits, and the reading is one pass of the csv module (with
``strict`` quotes, so an unclosed quote is an error, not a cell that swallows the file).
Nothing is evaluated; only decimal numbers as written in a CSV are read.
"""

from __future__ import annotations

import array
import contextlib
import csv
import io
import itertools
import math
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NoReturn

import numpy as np

from ..csv_cells import any_cell_length, quote_error
from ..errors import ParseError, ShapeError

MAX_BYTES = 500_000_000  # a file over it is refused before it is read
MAX_CELL = 10_000  # characters of one cell, as the rest of stepsolver limits its input
MAX_FEATURES = 10_000
MAX_VALUES = 50_000_000  # rows × features: 400 MB of float64
MAX_ROWS = 10_000_000  # the models' own limit on examples: refused while reading, not after
MAX_CLASSES = 1_000

Task = Literal["binary", "regression", "classes"]
TASKS = ("binary", "regression", "classes")

# A number as a CSV writes it: ASCII digits, a point, an exponent. Python's float() would also
# take "1_000", "١٢" and "infinity", which no spreadsheet means as these numbers.
_NUMBER_TEXT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(_NUMBER_TEXT)
# A row of numbers joined by commas, checked in one match: the common case without a Python
# loop per cell. Spaces and digits never overlap, so the match is linear.
_ROW = re.compile(rf"\s*{_NUMBER_TEXT}\s*(?:,\s*{_NUMBER_TEXT}\s*)*")
_NOT_FINITE = {"nan", "inf", "infinity"}
_MISSING = {"na", "n/a", "null", "none", "?", "-", "missing"}


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays is elementwise, not a bool
class Table:
    """Features X (n, m), target y (n,) and their names; for "classes", the label of each class."""

    X: np.ndarray
    y: np.ndarray
    features: tuple[str, ...]
    target: str
    classes: tuple[str, ...] = ()
    source: str = "data.csv"

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def m(self) -> int:
        return int(self.X.shape[1])


# -- reading -----------------------------------------------------------------------------------


def read_table(
    source: str | Path | bytes,
    *,
    target: str | None = None,
    task: Task = "regression",
    name: str | None = None,
) -> Table:
    """The table in ``source`` (a path, or the file's bytes). ``target`` names the label column
    (default: the last); ``task`` says what the labels are: "binary" (0 or 1, as floats),
    "regression" (real numbers) or "classes" (any text, numbered 0…k−1 in sorted order)."""
    if task not in TASKS:
        raise ParseError(f"the task must be one of {', '.join(TASKS)}, not {task!r}")
    data, name = _load(source, name)
    text = _decode(data, name)
    del data  # the bytes are not needed again: only the text is held while reading (bounded memory)
    records = _records(text, name, _delimiter(text))
    try:
        header_line, header = next(records, (0, []))
        if not header:
            raise ParseError(f"{name} is empty: it needs a header row naming the columns, then one row per example")
        columns = _columns(header, header_line, name)
        where = _target_index(columns, target, header_line, name)
        return _read_rows(records, columns, where, task, header_line, name)
    finally:
        records.close()  # now, not when a traceback lets go of it: it restores csv's field limit


def _load(source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "data.csv"
        if len(data) > MAX_BYTES:
            raise ParseError(f"{name} is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
        return data, name
    path = Path(source)
    name = name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParseError(f"{name} is {size:,} bytes; the limit is {MAX_BYTES:,}")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # a file that grows (or a device) is cut off here
    except OSError as error:
        raise ParseError(f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise ParseError(f"{name} is over {MAX_BYTES:,} bytes, the limit")
    return data, name


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ParseError(
            f"{name}, line {line}: not UTF-8 (an undecodable byte at byte {column} of the line); save it as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")  # the byte-order mark spreadsheets write
    if "\n" not in text:
        text = text.replace("\r", "\n")  # a file with old Mac line ends (CR only)
    return text


def _delimiter(text: str) -> str:
    """A comma, unless the header has none and a semicolon or tab instead (as spreadsheets set
    to a decimal comma write it)."""
    end = text.find("\n")
    first = text[: end if end >= 0 else len(text)]
    if "," not in first:
        for other in (";", "\t"):
            if other in first:
                return other
    return ","


def _chunks(text: str, size: int = 1 << 20) -> Iterator[str]:
    """The text in pieces of about ``size`` characters, each ending at a line end. Read line by
    line through a StringIO each (split on \\n only, where str.splitlines would also split on
    U+2028 and other characters that are text inside a cell), so that only one piece at a time is
    copied into the StringIO's 4-byte-per-character buffer, not the whole file."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _records(text: str, name: str, delimiter: str) -> Generator[tuple[int, list[str]], None, None]:
    """(first line of the record, its cells), blank lines skipped. Python's csv refuses a field
    over 131,072 characters by default; the limit is lifted while reading (the file is
    bounded) so that a long cell is reported by ``_check_length`` with its line and column."""
    with any_cell_length(len(text)):
        lines = itertools.chain.from_iterable(io.StringIO(chunk, newline="\n") for chunk in _chunks(text))
        reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True, strict=True)
        done = 0  # lines consumed before the record being read
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ParseError(f"{name}, line {done + 1}: {_explain(str(error))}") from None
            first, done = done + 1, reader.line_num
            if (cells and cells[0].strip()) or any(cell.strip() for cell in cells):  # the first: fast
                yield first, cells


def _explain(error: str) -> str:
    if "new-line character" in error:
        return "a carriage return inside an unquoted cell"
    return quote_error(error) or f"malformed CSV ({error})"


def _shown(text: str, limit: int = 40) -> str:
    """A cell or name as a message quotes it: in quotes, long ones shortened."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _check_length(cells: list[str], line: int, name: str, columns: list[str] | None = None) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL:
            where = f"column {_shown(columns[index])}" if columns and index < len(columns) else f"cell {index + 1}"
            raise ParseError(
                f"{name}, line {line}, {where}: a cell of {len(cell):,} characters; the limit is {MAX_CELL:,}"
            )


def _columns(header: list[str], line: int, name: str) -> list[str]:
    _check_length(header, line, name)
    columns = [cell.strip() for cell in header]
    seen: dict[str, int] = {}
    for index, column in enumerate(columns, 1):
        if not column:
            raise ParseError(f"{name}, line {line}: column {index} of the header is empty; every column needs a name")
        if column in seen:
            raise ParseError(
                f"{name}, line {line}: the header names {_shown(column)} twice (columns {seen[column]} and {index})"
            )
        seen[column] = index
    if len(columns) < 2:
        hint = ""
        if any(mark in columns[0] for mark in (" ", "|")):
            hint = " (are the columns separated by commas?)"
        raise ParseError(
            f"{name}, line {line}: the header has 1 column ({_shown(columns[0])}); "
            f"a table needs at least one feature and a target{hint}"
        )
    if len(columns) - 1 > MAX_FEATURES:
        raise ParseError(f"{name}, line {line}: {len(columns) - 1:,} feature columns; the limit is {MAX_FEATURES:,}")
    return columns


def _target_index(columns: list[str], target: str | None, line: int, name: str) -> int:
    if target is None:
        return len(columns) - 1
    wanted = target.strip()
    if wanted in columns:
        return columns.index(wanted)
    shown = ", ".join(_shown(column, 30) for column in columns[:8])
    if len(columns) > 8:
        shown += f", … ({len(columns):,} in all)"
    folded = [column for column in columns if column.casefold() == wanted.casefold()]
    hint = f"; did you mean {_shown(folded[0])}?" if len(folded) == 1 else ""
    raise ParseError(f"{name}, line {line}: no column {_shown(wanted)} for the target; the columns are {shown}{hint}")


def _number(cell: str) -> float | str:
    """The cell's value, or why it has none (a phrase the caller puts after the place)."""
    text = cell.strip()
    if _NUMBER.fullmatch(text):
        value = float(text)
        if math.isinf(value):  # 1e999: a number as written, but not as a float64
            return f"{_shown(text)} is not a finite number (it overflows a float64)"
        return value
    if not text:
        return "the value is missing (an empty cell)"
    folded = text.casefold()
    if folded.lstrip("+-") in _NOT_FINITE:
        return f"{_shown(text)} is not a finite number"
    if folded in _MISSING:
        return f"the value is missing ({_shown(text)})"
    if re.fullmatch(r"[+-]?[0-9]*,[0-9]+", text):
        return f"{_shown(text)} is not a number (the decimal mark must be a point)"
    return f"{_shown(text)} is not a number"


class _Labels:
    """The target column, read as the task says; ``finish`` gives y and the class names."""

    def __init__(self, task: Task, column: str, name: str):
        self.task, self.column, self.name = task, column, name
        self.values = array.array("d")
        self.texts: list[str] = []
        self.codes: dict[str, int] = {}  # "classes": the distinct labels, in order of appearance

    def add(self, cell: str, line: int) -> None:
        if self.task == "classes":
            label = cell.strip()
            if label not in self.codes:
                if not label:
                    self._refuse(line, "the label is missing (an empty cell)")
                if len(self.codes) == MAX_CLASSES:
                    self._refuse(line, f"more than {MAX_CLASSES:,} classes; is {_shown(self.column)} a class label?")
                self.codes[label] = len(self.codes)
            self.texts.append(label)
            return
        value = _number(cell)
        if self.task == "binary":
            if value not in (0.0, 1.0):  # a str (not a number, or missing) is neither
                text = cell.strip()
                self._refuse(line, f"{_shown(text)} is not a binary label (0 or 1)" if text else "the label is missing")
            value = 1.0 if value == 1.0 else 0.0  # "-0" is 0 too, but not as -0.0
        elif isinstance(value, str):
            self._refuse(line, value)
        self.values.append(float(value))

    def _refuse(self, line: int, why: str) -> NoReturn:
        raise ParseError(f"{self.name}, line {line}, column {_shown(self.column)}: {why}")

    def finish(self) -> tuple[np.ndarray, tuple[str, ...]]:
        where = f"{self.name}, column {_shown(self.column)}"
        if self.task == "regression":
            return np.frombuffer(self.values, dtype=np.float64).copy(), ()
        if self.task == "binary":
            y = np.frombuffer(self.values, dtype=np.float64).copy()
            present = np.unique(y)
            if len(present) < 2:
                raise ParseError(f"{where}: only class {int(present[0])} occurs: a classifier needs both 0 and 1")
            return y, ()
        classes = _sorted_labels(list(self.codes))
        if len(classes) < 2:
            raise ParseError(f"{where}: only class {_shown(classes[0])} occurs: a classifier needs at least 2 classes")
        number = {label: code for code, label in enumerate(classes)}
        return np.array([number[label] for label in self.texts], dtype=np.int64), tuple(classes)


def _sorted_labels(labels: list[str]) -> list[str]:
    """Numerically if every label is a number (so "10" comes after "9"), else as text."""
    if all(_NUMBER.fullmatch(label) for label in labels):
        return sorted(labels, key=lambda label: (float(label), label))
    return sorted(labels)


def _row_values(row: list[str], names: list[str], line: int, name: str) -> list[float]:
    """The numbers of a row's feature cells, cell by cell (the authority of what a number is):
    the first cell that is not a finite number is reported."""
    checked = []
    for cell, column in zip(row, names, strict=True):
        value = _number(cell)
        if isinstance(value, str):
            raise ParseError(f"{name}, line {line}, column {_shown(column)}: {value}")
        checked.append(value)
    return checked


def _read_rows(
    records: Iterator[tuple[int, list[str]]], columns: list[str], where: int, task: Task, header_line: int, name: str
) -> Table:
    features = [index for index in range(len(columns)) if index != where]
    names = [columns[index] for index in features]
    labels = _Labels(task, columns[where], name)
    X = array.array("d")
    n, width, most = 0, len(columns), min(MAX_VALUES // len(features), MAX_ROWS)
    for line, cells in records:
        if len(cells) != width:
            few = "too few" if len(cells) < width else "too many"
            hint = " (a cell holding the delimiter must be quoted)" if len(cells) > width else ""
            raise ParseError(f"{name}, line {line}: {few} cells: {len(cells)} where the header has {width}{hint}")
        if max(map(len, cells)) > MAX_CELL:
            _check_length(cells, line, name, columns)
        row = cells[:where] + cells[where + 1 :]
        # the common case in one match for the row, not a Python loop per cell; float() then
        # fails on a cell holding a comma itself (the joined row matched across it)
        values: list[float] = []
        if _ROW.fullmatch(",".join(row)):
            with contextlib.suppress(ValueError):
                values = list(map(float, row))
        if len(values) != len(row) or math.inf in values or -math.inf in values:
            values = _row_values(row, names, line, name)
        X.extend(values)
        labels.add(cells[where], line)
        n += 1
        if n > most:
            what = f"{MAX_ROWS:,} rows" if most == MAX_ROWS else f"{MAX_VALUES:,} feature values"
            raise ParseError(f"{name}, line {line}: more than {what}, the limit")
    if n == 0:
        raise ParseError(f"{name}: no rows after the header (line {header_line}); a fit needs at least one example")
    y, classes = labels.finish()
    matrix = np.frombuffer(X, dtype=np.float64).reshape(n, len(features)).copy()
    return Table(matrix, y, tuple(names), columns[where], classes, name)


# -- standardisation ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Standardization:
    """z = (x − mean) / scale per column, with the population standard deviation (ddof=0). A
    constant column has scale 1 (dividing by 0 would make NaN) and is named in ``constant``."""

    mean: np.ndarray
    scale: np.ndarray
    constant: tuple[int, ...] = field(default=())

    @property
    def m(self) -> int:
        return int(self.mean.shape[0])

    def apply(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.m:
            raise ShapeError(f"X is {X.shape}; the standardisation was fitted on {self.m} columns")
        return (X - self.mean) / self.scale

    def original(self, w: np.ndarray, b: float | np.ndarray) -> tuple[np.ndarray, float | np.ndarray]:
        """Coefficients fitted on standardised features, in the original units: the same
        predictions, since Σ w_j (x_j − μ_j)/s_j + b = Σ (w_j/s_j) x_j + (b − Σ w_j μ_j/s_j).
        ``w`` is (m,) with a float b, or (m, k) with b (k,)."""
        w = np.asarray(w, dtype=np.float64)
        if w.ndim not in (1, 2) or w.shape[0] != self.m:
            raise ShapeError(f"w is {w.shape}; the standardisation has {self.m} columns")
        ratio = self.mean / self.scale
        if w.ndim == 1:
            return w / self.scale, float(np.asarray(b, dtype=np.float64)) - float(ratio @ w)
        b = np.asarray(b, dtype=np.float64)
        if b.shape != (w.shape[1],):
            raise ShapeError(f"b is {b.shape}; W is {w.shape}, so b must be ({w.shape[1]},)")
        return w / self.scale[:, None], b - ratio @ w


def standardize(X: np.ndarray) -> Standardization:
    """The mean and population standard deviation of each column of X (n, m)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ShapeError(f"X is {X.shape}; standardising needs a matrix with at least one row")
    with np.errstate(all="ignore"):
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
    wild = np.flatnonzero(~(np.isfinite(mean) & np.isfinite(scale)))
    if wild.size:  # 1e308 squared overflows: such a column cannot be standardised (or fitted) in float64
        raise ParseError(f"feature column {int(wild[0]) + 1} is too large to standardise: its values reach "
                         f"{np.max(np.abs(X[:, wild[0]])):.3g}; rescale it first")  # fmt: skip
    # max == min, not std == 0: the std of a constant column can come out as 1e-17, not 0
    flat = np.ptp(X, axis=0) == 0
    scale[flat] = 1.0
    return Standardization(mean, scale, tuple(int(j) for j in np.flatnonzero(flat)))
