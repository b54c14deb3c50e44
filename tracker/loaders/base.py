"""The loader base class and the helpers every report format shares.

A loader turns one file (or one fetched feed) into :class:`~tracker.models.Report`
records. It never raises for a bad record: it yields a
:class:`~tracker.errors.ReportError` in its place, naming the file and line, so
the rest of the batch proceeds. File-level problems (unreadable, binary,
oversized) are raised by :func:`read_text` and caught by the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar

from tracker.errors import ReportError
from tracker.models import Report

#: Files larger than this are refused (bytes); ``load_reports(max_bytes=...)`` overrides it.
MAX_BYTES = 16 * 1024 * 1024

#: What a loader yields: a report, or the error that replaced a bad record.
Item = Report | ReportError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WS = re.compile(r"\s+")
_DAY_MONTH_YEAR = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y")


class Loader:
    """Base class of the report loaders (one subclass per format, see ``LOADERS``).

    Subclasses set ``name`` and ``suffixes`` and implement :meth:`load_text`.

    Parameters
    ----------
    max_bytes : int, optional
        Refuse files larger than this many bytes.
    """

    #: Registry key of the loader.
    name: ClassVar[str] = ""
    #: File name suffixes the loader reads (lower case, with the dot).
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes

    def load(self, path: str | Path) -> Iterator[Item]:
        """Yield the reports of one file, or a ReportError for each bad record.

        Raises
        ------
        ReportError
            If the whole file cannot be used (unreadable, binary, too large).
        """
        path = Path(path)
        yield from self.load_text(read_text(path, max_bytes=self.max_bytes), str(path))

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield the reports found in ``text``, read from ``origin`` (a path or URL)."""
        raise NotImplementedError


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a report file as UTF-8 text, refusing binary, undecodable and oversized files.

    Parameters
    ----------
    path : Path
        The file.
    max_bytes : int
        The size limit in bytes.

    Returns
    -------
    str
        The text, without a UTF-8 byte-order mark.

    Raises
    ------
    ReportError
        Naming the file (and the line of the first bad byte) when it cannot be used.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(
                f"file is {size:,} bytes, larger than the {max_bytes:,}-byte limit", path=path
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    return decode_bytes(data, path)


def decode_bytes(data: bytes, origin: str | Path) -> str:
    r"""Decode report bytes as UTF-8, refusing binary data with the line of the bad byte.

    Examples
    --------
    >>> decode_bytes(b"ok\n", "a.txt")
    'ok\n'
    >>> decode_bytes(b"ok\n\x00\x01", "a.bin")
    Traceback (most recent call last):
    ...
    tracker.errors.ReportError: a.bin:2: binary file (NUL byte at offset 3), not UTF-8 text
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReportError(
            f"binary file (NUL byte at offset {nul}), not UTF-8 text",
            path=origin, line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=origin, line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.removeprefix("\ufeff")


def parse_date(value: object, *, path: str | Path | None = None, line: int | None = None,
               field: str = "date") -> dt.date:
    """Parse a report date: ``YYYY-MM-DD`` or an ISO 8601 datetime (its calendar date).

    Parameters
    ----------
    value : str, date or datetime
        The value found in the report.
    path, line : optional
        Where the value was found, for the error message.
    field : str
        The field name, for the error message.

    Returns
    -------
    datetime.date

    Raises
    ------
    ReportError
        Naming the value when it is missing or not a real date.

    Examples
    --------
    >>> parse_date("2025-05-20")
    datetime.date(2025, 5, 20)
    >>> parse_date("2025-05-20T23:10:00+03:00")
    datetime.date(2025, 5, 20)
    >>> parse_date("2025-13-01", path="seeds/a.md", line=2)
    Traceback (most recent call last):
    ...
    tracker.errors.ReportError: seeds/a.md:2: date '2025-13-01' is not a valid YYYY-MM-DD date \
(month must be in 1..12)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise ReportError(f"no {field}: every report needs a date (YYYY-MM-DD)",
                          path=path, line=line)
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ReportError(f"{field} {text!r} is not a valid YYYY-MM-DD date ({exc})",
                              path=path, line=line) from None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in _DAY_MONTH_YEAR:  # ACLED's older exports: "15 May 2024"
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ReportError(
        f"{field} {text!r} is not YYYY-MM-DD or an ISO 8601 datetime", path=path, line=line
    )


def normalise_text(text: str) -> str:
    r"""Normalise report text for hashing: NFC, case-folded, whitespace collapsed.

    Examples
    --------
    >>> normalise_text("  Heavy  battles\nin Pokrovsk. ")
    'heavy battles in pokrovsk.'
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def report_id(source: str, date: dt.date, text: str) -> str:
    """Stable id of a report that has none: a hash of (source, date, normalised text).

    Examples
    --------
    >>> import datetime as dt
    >>> a = report_id("ISW", dt.date(2025, 5, 20), "Battles in  Pokrovsk.")
    >>> a == report_id("ISW", dt.date(2025, 5, 20), "battles in Pokrovsk.")
    True
    >>> a == report_id("ISW", dt.date(2025, 5, 21), "Battles in Pokrovsk.")
    False
    """
    key = json.dumps([source.strip(), date.isoformat(), normalise_text(text)], ensure_ascii=False)
    return "r" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def content_hash(report: Report) -> str:
    """Hash of what a report says: its normalised text (plus its ACLED row, if any).

    Two reports with the same text are the same report, whatever their source;
    ACLED rows are told apart by their own fields, since short notes can repeat.
    """
    key = normalise_text(report.text)
    if report.extra:
        key += "\x00" + json.dumps(report.extra, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def make_report(fields: Mapping[str, object], *, origin: str, line: int | None,
                text: str | None = None, extra: dict | None = None) -> Report:
    """Build a Report from a record's fields (date, text, optional source/title/url/id).

    Raises
    ------
    ReportError
        When the date is missing or invalid, or the text is empty.
    """
    date = parse_date(fields.get("date"), path=origin, line=line)
    body = str(fields.get("text") if text is None else text or "").strip()
    if not body:
        raise ReportError("empty report: no text", path=origin, line=line)
    source = _str(fields.get("source"))
    given = _str(fields.get("id"))
    for name, value in (("text", body), ("source", source), ("id", given),
                        ("title", _str(fields.get("title"))), ("url", _str(fields.get("url")))):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ReportError(f"{name} is not valid Unicode (lone surrogate at character "
                              f"{exc.start})", path=origin, line=line) from None
    return Report(
        id=given or report_id(source, date, body),
        date=date,
        source=source,
        text=body,
        title=_str(fields.get("title")),
        url=_str(fields.get("url")),
        path=origin,
        extra=extra or {},
    )


def _str(value: object) -> str:
    return "" if value is None else str(value).strip()
