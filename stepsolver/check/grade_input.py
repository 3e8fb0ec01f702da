"""Reading a class's submissions: every row of the input becomes exactly one Submission with an
identity (its line and a hash of its bytes), readable or not. A row that cannot be graded
(malformed CSV, undecodable bytes, too long, cells missing) carries the reason and is graded
``invalid`` with its line number; nothing is dropped, nothing is merged into its neighbour.

Only the file as a whole can be refused (no header, no answer column, not JSON): a one-line
error, before anything is graded. Nothing here imports SymPy.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..csv_cells import any_cell_length, quote_error
from ..errors import StepsolverError

# The documented input limit (README, "How input is read": 10,000 characters). An answer above
# it is graded "invalid: too long" here, so that the batch goes on and says why.
ANSWER_LIMIT = 10_000
NAME_LIMIT = 1_000  # characters of a student or problem name
MAX_INPUT_BYTES = 512 * 1024 * 1024
REQUIRED = ("student", "problem", "answer")
# optional: which variant of a handout the student got; its problem is then named "v3/chain" in the key
VARIANT = "variant"


class InputError(StepsolverError, ValueError):
    """The submissions or key file as a whole cannot be read: one line, exit status 2."""


@dataclass(frozen=True)
class Submission:
    row: int  # the input line where the row starts (CSV), or its position from 1 (JSON)
    digest: str  # hash of the row as written: with ``row``, the identity that resume goes by
    student: str
    problem: str
    answer: str
    invalid: str = ""  # why the row cannot be graded, or ""

    @property
    def identity(self) -> tuple[int, str]:
        return (self.row, self.digest)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def submissions(rows: Iterable[tuple[str, str, str]]) -> list[Submission]:
    """Submissions made in Python: (student, problem, answer), numbered from 1."""
    made = []
    for number, (student, problem, answer) in enumerate(rows, 1):
        raw = json.dumps([student, problem, answer], ensure_ascii=False).encode("utf-8", "surrogatepass")
        made.append(_checked(Submission(number, digest(raw), student, problem, answer)))
    return made


def _checked(submission: Submission) -> Submission:
    """The limits every row must respect, whichever reader made it."""
    reason = submission.invalid
    if not reason:
        if not submission.student.strip():
            reason = "no student named"
        elif not submission.problem.strip():
            reason = "no problem named"
        elif max(len(submission.student), len(submission.problem)) > NAME_LIMIT:
            reason = f"a student or problem name over {NAME_LIMIT:,} characters"
        elif len(submission.answer) > ANSWER_LIMIT:
            reason = f"too long: the answer has {len(submission.answer):,} characters; the limit is {ANSWER_LIMIT:,}"
    if reason == submission.invalid:
        return submission
    return Submission(submission.row, submission.digest, submission.student, submission.problem, "", reason)


def read_submissions(path: Path) -> list[Submission]:
    data = _read_bytes(path)
    if path.suffix.lower() == ".json":
        return read_json(data, path.name)
    return read_csv(data, path.name)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path.name} is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


# -- CSV ---------------------------------------------------------------------------------------


def _lines(data: bytes) -> tuple[list[bytes], list[str], dict[int, str]]:
    """The physical lines (split on \\n only: U+2028 and friends are text inside a cell), each
    decoded on its own so that one bad byte spoils one row, not the file."""
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    texts, undecodable = [], {}
    for number, line in enumerate(raw, 1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            text = line.decode("utf-8", "replace")
            undecodable[number] = f"line {number} is not UTF-8 (undecodable byte at column {error.start + 1})"
        texts.append(text + "\n")  # the csv module sees the line end, as with a file opened newline=""
    if texts and texts[0].startswith("\ufeff"):
        texts[0] = texts[0][1:]  # a BOM, as spreadsheets write it
    return raw, texts, undecodable


def _records(texts: list[str], start: int) -> Iterator[tuple[int, int, list[str] | None, str]]:
    """(first line, last line, cells, error), lines from 1. ``strict`` makes a stray or
    unterminated quote an error instead of a cell that swallows the rows after it; the bad
    row's first line is then reported and reading starts again on the line after it."""
    index = start
    while index < len(texts):
        reader = csv.reader(iter(texts[index:]), strict=True)
        consumed = 0
        try:
            for cells in reader:
                first = index + consumed + 1
                consumed = reader.line_num
                yield first, index + consumed, cells, ""
        except csv.Error as error:
            first = index + consumed + 1
            yield first, first, None, str(error)
            index = first
            continue
        return


def _explain(error: str) -> str:
    return quote_error(error) or error


def _preview(text: str) -> str:
    shown = text.strip()
    return repr(shown[:40] + ("…" if len(shown) > 40 else ""))


def read_csv(data: bytes, name: str = "submissions.csv") -> list[Submission]:
    raw, texts, undecodable = _lines(data)
    # Any cell is read whole, however long (the file is bounded); a long answer is then graded
    # "too long" with its row, instead of aborting the batch as Python's 131,072 default does.
    with any_cell_length(len(data)):
        header = next((record for record in _records(texts, 0) if record[2] != []), None)
        if header is None:
            raise InputError(f"{name}: no header row; the first line must name the columns {', '.join(REQUIRED)}")
        header_line, header_end, header_cells, error = header
        if header_cells is None:
            raise InputError(f"{name}: the header (line {header_line}) is malformed: {_explain(error)}")
        if header_line in undecodable:
            raise InputError(f"{name}: {undecodable[header_line]}")
        columns = _columns(header_cells, name, header_line)
        return [
            _csv_submission(first, last, cells, error, raw, texts, undecodable, columns, len(header_cells))
            for first, last, cells, error in _records(texts, header_end)
            if cells is None or any(cell.strip() for cell in cells)  # a blank line is no submission
        ]


def _columns(header: list[str], name: str, line: int) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for column in REQUIRED:
        if names.count(column) != 1:
            problem = "no" if column not in names else "more than one"
            hint = " (is it separated by ';'? use commas)" if len(header) == 1 and ";" in header[0] else ""
            raise InputError(
                f"{name}: the header (line {line}) has {problem} {column!r} column; it needs {', '.join(REQUIRED)}"
                + hint
            )
        columns[column] = names.index(column)
    if names.count(VARIANT) > 1:
        raise InputError(f"{name}: the header (line {line}) has more than one {VARIANT!r} column")
    if VARIANT in names:
        columns[VARIANT] = names.index(VARIANT)
    return columns


def _csv_submission(
    first: int,
    last: int,
    cells: list[str] | None,
    error: str,
    raw: list[bytes],
    texts: list[str],
    undecodable: dict[int, str],
    columns: dict[str, int],
    width: int,
) -> Submission:
    # the identity: where the row starts, and its bytes (line ends normalised, so that a file
    # saved again with CRLF is still the same submissions)
    identity = digest(b"\n".join(line.rstrip(b"\r") for line in raw[first - 1 : last]))
    # a malformed row: the cells before the bad quote still say whose row it is, for the report
    found = cells if cells is not None else next(csv.reader([texts[first - 1].rstrip("\r\n")]), [])
    values = {column: found[i] if i < len(found) else "" for column, i in columns.items()}
    if cells is None:
        values["answer"] = ""
    reason = ""
    if cells is None:
        reason = f"malformed CSV on line {first}: {_explain(error)}: {_preview(texts[first - 1])}"
    elif any(number in undecodable for number in range(first, last + 1)):
        reason = next(undecodable[n] for n in range(first, last + 1) if n in undecodable)
    elif len(cells) < width:
        reason = f"short row on line {first}: {len(cells)} cell(s) where the header has {width}"
    elif len(cells) > width:
        reason = (f"too many cells on line {first}: {len(cells)} where the header has {width} "
                  "(an answer with a comma must be quoted)")  # fmt: skip
    problem = in_variant(values["problem"], values.get(VARIANT, ""))
    return _checked(Submission(first, identity, values["student"], problem, values["answer"], reason))


# -- JSON --------------------------------------------------------------------------------------


def load_json(text: str, name: str) -> Any:
    """JSON from a file the user gave, its errors as one line naming the file and the place."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise InputError(f"{name} is nested too deeply") from None


def read_json(data: bytes, name: str = "submissions.json") -> list[Submission]:
    """A list of {"student", "problem", "answer"} objects. Undecodable bytes survive decoding as
    lone surrogates, so that the one submission holding them is reported, not the file."""
    items = load_json(data.decode("utf-8", "surrogateescape").removeprefix("\ufeff"), name)
    if isinstance(items, dict) and isinstance(items.get("submissions"), list):
        items = items["submissions"]
    if not isinstance(items, list):
        raise InputError(f"{name} must be a list of submissions, each with student, problem and answer")
    return [_json_submission(number, item) for number, item in enumerate(items, 1)]


def _json_submission(number: int, item: object) -> Submission:
    raw = json.dumps(item, sort_keys=True, ensure_ascii=True).encode("ascii", "backslashreplace")
    identity = digest(raw)
    if not isinstance(item, dict):
        return Submission(number, identity, "", "", "", f"submission {number} is not an object")
    values, reason = {}, ""
    for column in REQUIRED:
        value = item.get(column)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            reason = reason or f"submission {number} has no {column} (a string)"
            value = ""
        values[column] = str(value)
        if any("\udc80" <= ch <= "\udcff" for ch in values[column]):
            reason = reason or f"submission {number}: its {column} is not UTF-8 (undecodable bytes)"
            values[column] = values[column].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    variant = item.get(VARIANT, "")
    if isinstance(variant, bool) or not isinstance(variant, (str, int)):
        reason = reason or f"submission {number}: its variant must be a number"
        variant = ""
    problem = in_variant(values["problem"], str(variant))
    return _checked(Submission(number, identity, values["student"], problem, values["answer"], reason))


def in_variant(problem: str, variant: str) -> str:
    """The key's name for ``problem`` in the handout variant a student got ("v3/chain")."""
    variant = variant.strip()
    return f"v{variant.removeprefix('v')}/{problem.strip()}" if variant and problem.strip() else problem
