"""What the readers of CSV files (a class's submissions, a training table) share: Python's csv
module's field limit lifted while a bounded file is read, and its errors said in words."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def any_cell_length(size: int) -> Iterator[None]:
    """Cells of up to ``size`` characters read whole (the file is bounded), the limit restored
    after: Python's default of 131,072 would abort the file instead of letting the reader say
    which cell is too long, on which line."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def quote_error(error: str) -> str | None:
    """A csv.Error about quotes, as a person would say it; None for any other."""
    if "unexpected end of data" in error:
        return "a quote opened on this line is never closed"
    if "expected after" in error:
        return "a stray quote (a quoted cell must be followed by a comma or the line end)"
    return None
