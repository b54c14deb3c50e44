"""Load dated reports from files and folders, in every supported format.

:func:`load_reports` is the one door: give it files and folders, get back the
reports and the refused inputs. Formats (see :mod:`tracker.loaders`):

- ``.txt`` / ``.md`` with YAML front matter (``date``, optional ``source``,
  ``title``, ``url``, ``id``);
- ``.jsonl`` objects with ``date`` and ``text`` (same optional keys);
- ``.csv`` with columns ``date,text`` (same optional columns), or an ACLED export,
  recognised by its own columns, whose rows keep their fields in ``Report.extra``;
- RSS / Atom feeds (``.rss``, ``.atom``, ``.xml``), HTML turned into text.

A report's id is the id it gives, else a hash of (source, date, normalised
text). The same text seen twice is counted once. A record without a usable date,
an unreadable, binary or oversized file is refused with a ``path:line: message``
and the rest of the batch proceeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ReportError
from tracker.loaders import MAX_BYTES, loader_for, supported_suffixes
from tracker.loaders.base import content_hash, parse_date, report_id
from tracker.models import Report

__all__ = ["LoadResult", "content_hash", "iter_files", "load_reports", "parse_date", "report_id"]


@dataclass
class LoadResult:
    """What :func:`load_reports` found.

    Attributes
    ----------
    reports : list of Report
        The usable reports, each text once, in file order.
    refused : list of (str, str)
        ``(path, message)`` for each refused file or record; the message reads
        ``path:line: what is wrong``.
    duplicates : list of (str, str)
        ``(path, message)`` for each report dropped because its id or text was
        already loaded (not an error).
    skipped : list of str
        Files inside the given folders that no loader reads (hidden files excluded).
    """

    reports: list[Report] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_reports(paths: Iterable[str | Path] | str | Path, *,
                 max_bytes: int = MAX_BYTES) -> LoadResult:
    r"""Load every report from files and folders (folders are walked, sorted by path).

    Parameters
    ----------
    paths : path or iterable of paths
        Report files and folders.
    max_bytes : int, optional
        Refuse files larger than this (default 16 MiB).

    Returns
    -------
    LoadResult
        The reports (same text once) and the refused inputs.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text("---\ndate: 2025-05-20\nsource: ISW\n---\n"
    ...                                  "Battles in Pokrovsk.\n")
    >>> _ = (folder / "b.md").write_text("---\ndate: 2025-13-01\n---\nText.\n")
    >>> result = load_reports([folder])
    >>> [(r.date.isoformat(), r.source, r.text) for r in result.reports]
    [('2025-05-20', 'ISW', 'Battles in Pokrovsk.')]
    >>> result.refused[0][1].endswith("b.md:2: date '2025-13-01' is not a valid YYYY-MM-DD "
    ...                               "date (month must be in 1..12)")
    True
    """
    result = LoadResult()
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in iter_files(paths, skipped=result.skipped):
        loader = loader_for(path, max_bytes=max_bytes)
        if loader is None:
            result.refused.append((str(path), str(ReportError(
                f"unsupported file type {path.suffix or '(none)'!r}; expected one of "
                f"{', '.join(sorted(supported_suffixes()))}", path=path))))
            continue
        try:
            for item in loader.load(path):
                if isinstance(item, ReportError):
                    result.refused.append((str(path), str(item)))
                    continue
                digest = content_hash(item)
                first = ids.get(item.id) or texts.get(digest)
                if first is not None:
                    why = "id" if item.id in ids else "text"
                    result.duplicates.append((str(path), f"{item.path}: report {item.id} "
                                              f"repeats the {why} of {first}"))
                    continue
                where = f"{item.path} ({item.id})"
                ids[item.id] = where
                texts[digest] = where
                result.reports.append(item)
        except ReportError as exc:
            result.refused.append((str(path), str(exc)))
    return result


def iter_files(paths: Iterable[str | Path] | str | Path, *,
               skipped: list[str] | None = None) -> Iterator[Path]:
    """Yield report files: given files as they are, folders walked in sorted order.

    Inside folders, hidden files and files no loader reads are left out (and
    listed in ``skipped``); a path that does not exist is yielded so that
    loading it reports the error.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    suffixes = supported_suffixes()
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path)
            if any(part.startswith(".") for part in rel.parts) or not child.is_file():
                continue
            if child.suffix.lower() in suffixes:
                yield child
            elif skipped is not None:
                skipped.append(str(child))
