"""Report loaders, one per format, behind :class:`~tracker.loaders.base.Loader`.

``LOADERS`` maps a format name to its loader class (as geopy maps service names
to geocoders); :func:`loader_for` picks one for a file by its suffix, and for a
``.csv`` by its header (an ACLED export has its own columns).
"""

from __future__ import annotations

from pathlib import Path

from tracker.loaders.acled import AcledLoader
from tracker.loaders.base import MAX_BYTES, Loader
from tracker.loaders.csv import CsvLoader, is_acled
from tracker.loaders.feed import FeedLoader
from tracker.loaders.jsonl import JsonlLoader
from tracker.loaders.text import TextLoader

#: Format name -> loader class.
LOADERS: dict[str, type[Loader]] = {
    "text": TextLoader,
    "jsonl": JsonlLoader,
    "csv": CsvLoader,
    "acled": AcledLoader,
    "feed": FeedLoader,
}

__all__ = ["LOADERS", "MAX_BYTES", "Loader", "loader_for", "supported_suffixes"]


def supported_suffixes() -> set[str]:
    """Return the file suffixes some loader reads (lower case, with the dot)."""
    return {s for cls in LOADERS.values() for s in cls.suffixes}


def loader_for(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Loader | None:
    """Return the loader for a file, chosen by suffix (and header, for CSV); None if none fits.

    Examples
    --------
    >>> type(loader_for("inbox/a.md")).__name__
    'TextLoader'
    >>> loader_for("inbox/photo.jpg") is None
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return (AcledLoader if _csv_is_acled(path) else CsvLoader)(max_bytes=max_bytes)
    for cls in LOADERS.values():
        if suffix in cls.suffixes and cls is not AcledLoader:
            return cls(max_bytes=max_bytes)
    return None


def _csv_is_acled(path: Path) -> bool:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = handle.readline(65536)
    except OSError:
        return False
    import csv

    try:
        header = next(csv.reader([first]))
    except (StopIteration, csv.Error):
        return False
    return is_acled(header)
