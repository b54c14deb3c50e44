"""CSV reports: a header row with ``date`` and ``text`` (optional source, title, url, id).

A CSV whose header carries ACLED's own columns is read by
:class:`~tracker.loaders.acled.AcledLoader` instead (see :func:`is_acled`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from tracker.errors import ReportError
from tracker.loaders.base import Item, Loader, make_report

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


class CsvLoader(Loader):
    """Load a ``.csv`` file of reports, one per row."""

    name = "csv"
    suffixes = (".csv",)

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield one report (or error) per data row."""
        try:
            header, rows = read_rows(text, origin)
        except ReportError as exc:
            yield exc
            return
        missing = [c for c in ("date", "text") if c not in header]
        if missing:
            yield ReportError(
                f"CSV header lacks column(s) {', '.join(missing)}; found: {', '.join(header)}",
                path=origin, line=1,
            )
            return
        for number, row in rows:
            if "__error__" in row:
                yield ReportError(f"not valid CSV: {row['__error__']}", path=origin, line=number)
                continue
            try:
                yield make_report(row, origin=origin, line=number)
            except ReportError as exc:
                yield exc
