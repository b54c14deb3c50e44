"""Exceptions of the tracker.

One base class, :class:`TrackerError`; each subclass also inherits the builtin a
caller would expect, so ``except ValueError`` keeps working (as in geopy/exc.py).
The CLI turns these into a message on stderr and exit code 1; a batch reports
the bad input and carries on.
"""

from __future__ import annotations

from pathlib import Path


class TrackerError(Exception):
    """Base class of every error the tracker raises on purpose."""


class ReportError(TrackerError, ValueError):
    """A report file or record that cannot be used.

    Parameters
    ----------
    message : str
        What is wrong, naming the value that was found.
    path : str or Path, optional
        The file the report came from.
    line : int, optional
        The 1-based line (or record) number in that file.

    Examples
    --------
    >>> str(ReportError("date '2025-13-01' is not YYYY-MM-DD", path="seeds/a.md", line=3))
    "seeds/a.md:3: date '2025-13-01' is not YYYY-MM-DD"
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class GazetteerError(TrackerError, ValueError):
    """Bad gazetteer input: an empty name, a malformed extra-places CSV row."""


class BorderError(TrackerError, ValueError):
    """An unknown border or target name; the message lists the valid ones."""


class SnapshotError(TrackerError, ValueError):
    """A front-line snapshot file that cannot be read (not GeoJSON, no date, empty)."""


class StoreError(TrackerError, RuntimeError):
    """The SQLite store is locked by another run, or its schema is too new."""
