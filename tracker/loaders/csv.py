"""CSV reports: a header row with ``date`` and ``text`` (optional source, title, url, id).

A CSV whose header carries ACLED's own columns is read by
:class:`~tracker.loaders.acled.AcledLoader` instead (see :func:`is_acled`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from tracker.errors import ReportError
from tracker.loaders.base import Item, Loader, make_report
from tracker.models import Report

#: The columns that identify an ACLED export.
ACLED_MARKERS = frozenset({"event_date", "event_type", "sub_event_type", "latitude", "longitude"})


def is_acled(header: list[str]) -> bool:
    """Whether a CSV header is an ACLED export's (it has ACLED's own columns).

    Examples
    --------
    >>> is_acled(["event_id_cnty", "event_date", "event_type", "sub_event_type",
    ...           "latitude", "longitude", "notes"])
    True
    >>> is_acled(["date", "text"])
    False
    """
    return ACLED_MARKERS <= {h.strip().lower() for h in header}


def read_rows(text: str, origin: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Parse CSV text into its header and (line number, row dict) pairs.

    Raises
    ------
    ReportError
        When the file has no header row.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ReportError("empty CSV file: no header row", path=origin, line=1) from None
    except csv.Error as exc:
        raise ReportError(f"not valid CSV: {exc}", path=origin, line=1) from None

    def rows() -> Iterator[tuple[int, dict]]:
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, {"__error__": str(exc)}
                start = reader.line_num + 1
                continue
            if any(v.strip() for v in values):
                yield start, dict(zip(header, values, strict=False))
            start = reader.line_num + 1

    return header, rows()



def row_items(text: str, origin: str, *, problem: Callable[[list[str]], str],
              build: Callable[[dict, int], Report]) -> Iterator[Item]:
    """Yield one report per data row of a CSV, or the error that replaced it.

    Parameters
    ----------
    text : str
        The CSV text.
    origin : str
        The file, for error messages.
    problem : callable
        ``problem(header)``: what makes the header unusable, or ``""``; a problem
        refuses the whole file (one error at line 1).
    build : callable
        ``build(row, line)``: the report of one row (a dict keyed by the lower-case
        header); a :class:`~tracker.errors.ReportError` it raises is yielded instead.

    Yields
    ------
    Report or ReportError
        In file order; a row the CSV parser rejects gives ``not valid CSV: ...``.
    """
    try:
        header, rows = read_rows(text, origin)
    except ReportError as exc:
        yield exc
        return
    message = problem(header)
    if message:
        yield ReportError(message, path=origin, line=1)
        return
    for number, row in rows:
        if "__error__" in row:
            yield ReportError(f"not valid CSV: {row['__error__']}", path=origin, line=number)
            continue
        try:
            yield build(row, number)
        except ReportError as exc:
            yield exc


class CsvLoader(Loader):
    """Load a ``.csv`` file of reports, one per row."""

    name = "csv"
    suffixes = (".csv",)

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield one report (or error) per data row."""
        yield from row_items(text, origin, problem=_missing_columns,
                             build=lambda row, line: make_report(row, origin=origin, line=line))


def _missing_columns(header: list[str]) -> str:
    missing = [c for c in ("date", "text") if c not in header]
    if not missing:
        return ""
    return f"CSV header lacks column(s) {', '.join(missing)}; found: {', '.join(header)}"
