"""The grades file: a lock, one line per grade appended as it is known, and a resume by identity.

- **Lock**: ``flock`` on ``OUT.lock`` beside the grades, taken without waiting; a second grader
  on the same output is refused at once instead of grading everything twice.
- **Journal**: each grade is one physical line (line breaks inside cells become spaces) written
  with one ``write`` to a file opened ``O_APPEND``. A kill leaves whole lines plus at most a
  torn last line without its newline, which the next run cuts off and grades again.
- **Identity**: the columns ``row`` and ``hash`` (the input line and a hash of the row's bytes).
  Resume goes by them, never by student and problem, so resubmissions all count.
- **Key**: the column ``key`` holds the fingerprint of the key and options each grade was made
  with; grades of another key are refused unless the run starts over (``--regrade``). A column
  rather than a comment line keeps the file a plain table for spreadsheets.
- **Spreadsheet-safe**: a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
  ``@``, tab, CR first) gets a leading ``'`` (OWASP's advice for CSV injection).
- **Finish**: a complete run rewrites the file atomically in input order (temporary file,
  fsync, rename), so that the same batch gives the same bytes, killed on the way or not.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import os
import re
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .grade_input import InputError

COLUMNS = ["row", "hash", "student", "problem", "verdict", "method", "mistakes", "message", "read_as", "key"]
VERDICTS = {"correct", "incorrect", "unparseable", "invalid", "undecided"}
CELL_LIMIT = 300  # characters of one cell shown in the grades (the identity does not need more)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
TEST_SLOW_WRITE = "STEPSOLVER_TEST_SLOW_WRITE"  # seconds to pause in the middle of each write (kill tests)
SYNC_SECONDS = 1.0
_HASH = re.compile(r"[0-9a-f]{16}\Z")
_KEY = re.compile(r"[0-9a-f]{12}\Z")

Identity = tuple[int, str]


class OutputError(InputError):
    """The grades file cannot be used as it is: one line, exit status 2."""


def safe_cell(value: str) -> str:
    """One line, bounded, and inert in a spreadsheet. A leading quote is doubled as well, so that
    ``plain_cell`` gives back exactly what was meant."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return "'" + text if text.lstrip(" ").startswith((*FORMULA_START, "'")) else text


def plain_cell(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _line(cells: Iterable[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(cells))
    return buffer.getvalue().encode("utf-8", "backslashreplace")


HEADER = _line(COLUMNS)
VERDICT_AT, KEY_AT = COLUMNS.index("verdict"), COLUMNS.index("key")


def grade_line(row: int, digest: str, student: str, problem: str, values: Iterable[str], key: str) -> list[str]:
    """The cells of one grade as they are written."""
    return [str(row), digest, *(safe_cell(v) for v in (student, problem, *values)), key]


class Lock:
    """``flock`` on a file beside the grades, taken without waiting; released when the process
    ends, however it ends."""

    def __init__(self, out: Path):
        self.path = out.with_name(out.name + ".lock")
        self.fd = -1

    def __enter__(self) -> Lock:
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputError(f"cannot create the lock {self.path}: {error.strerror or error}") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = os.read(self.fd, 32).decode(errors="replace").strip()
            os.close(self.fd)
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"cannot lock {self.path}: {error.strerror or error}") from None
            who = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(f"another grader{who} is writing {self.path.name[:-5]}; wait for it to finish "
                              "or choose another --out") from None  # fmt: skip
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing releases the lock; the file stays, since removing it would race
            self.fd = -1


def load(out: Path, key: str, regrade: bool) -> dict[Identity, list[str]]:
    """The grades an earlier run finished, by identity (the lock must be held). A torn last line
    is cut off; a file that is not ours, or holds grades of another key, is refused."""
    for left in out.parent.glob(f".{out.name}.*.tmp"):  # a finish cut short by a kill; the lock is ours
        left.unlink(missing_ok=True)
    if regrade or not out.exists():
        _replace(out, [])
        return {}
    data = out.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) < len(data):
        with out.open("r+b") as handle:  # what a kill cut short is graded again
            handle.truncate(len(whole))
    if not whole:
        _replace(out, [])
        return {}
    refuse = "; pass --regrade to start over, or choose another --out"
    if not whole.startswith(HEADER):
        raise OutputError(f"{out.name} exists and is not a stepsolver grades file{refuse}")
    try:
        text = whole.decode("utf-8")
    except UnicodeDecodeError:
        raise OutputError(f"{out.name} is damaged (not UTF-8){refuse}") from None
    done: dict[Identity, list[str]] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        if number == 1:
            continue
        if len(cells) != len(COLUMNS) or not cells[0].isdigit() or not _HASH.match(cells[1]) \
                or cells[VERDICT_AT] not in VERDICTS or not _KEY.match(cells[KEY_AT]):  # fmt: skip
            raise OutputError(f"{out.name} is damaged on line {number}{refuse}")
        if cells[KEY_AT] != key:
            raise OutputError(f"{out.name} holds grades made with another key or other options "
                              f"(key {cells[KEY_AT]}, now {key}){refuse}")  # fmt: skip
        done.setdefault((int(cells[0]), cells[1]), cells)
    return done


class Journal:
    """Appends one grade at a time; each is in the kernel (safe from a kill) when ``add`` returns,
    and on the disk (safe from a power cut) within a second."""

    def __init__(self, out: Path):
        self.fd = os.open(out, os.O_WRONLY | os.O_APPEND)
        self.synced = time.monotonic()
        self.pause = float(os.environ.get(TEST_SLOW_WRITE, "0") or 0)

    def add(self, cells: list[str]) -> None:
        line = _line(cells)
        if self.pause:  # the kill tests' window: half a line is on the disk, the rest is not
            os.write(self.fd, line[: len(line) // 2])
            time.sleep(self.pause)
            line = line[len(line) // 2 :]
        while line:
            line = line[os.write(self.fd, line) :]
        if time.monotonic() - self.synced > SYNC_SECONDS:
            os.fsync(self.fd)
            self.synced = time.monotonic()

    def close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1


def finish(out: Path, rows: list[list[str]]) -> None:
    """The complete grades, in input order, in place of the journal in one atomic step."""
    _replace(out, rows)


def _replace(out: Path, rows: list[list[str]]) -> None:
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(HEADER + b"".join(_line(cells) for cells in rows))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {out}: {error.strerror or error}") from None
    directory = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
