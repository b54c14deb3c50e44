"""The RSS/Atom feeds of ``tracker update``: a listing of feed URLs or paths, read into reports.

Each URL is fetched with a timeout and a size limit (:func:`tracker.loaders.feed.fetch`);
a path is read relative to the listing. A failing feed is refused with its message
and the others proceed.
"""

from __future__ import annotations

from pathlib import Path

from tracker.errors import ReportError
from tracker.models import Report


def load_feeds(listing: Path, *, timeout: float,
               max_bytes: int) -> tuple[list[Report], list[tuple[str, str]]]:
    """Fetch or read every feed named in ``listing``; one failing feed never stops the rest."""
    from tracker.loaders.feed import FeedLoader, fetch

    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [], [(str(listing), f"{listing}: cannot read feed list: {exc.strerror or exc}")]
    loader = FeedLoader(max_bytes=max_bytes)
    reports: list[Report] = []
    refused: list[tuple[str, str]] = []
    for line in lines:
        target = line.split("#", 1)[0].strip() if not line.lstrip().startswith("http") \
            else line.strip().split()[0]
        if not target:
            continue
        try:
            if target.startswith(("http://", "https://")):
                items = loader.load_bytes(fetch(target, timeout=timeout, max_bytes=max_bytes),
                                          target)
            else:
                items = loader.load(listing.parent / target)
            for item in items:
                if isinstance(item, ReportError):
                    refused.append((target, str(item)))
                else:
                    reports.append(item)
        except ReportError as exc:
            refused.append((target, str(exc)))
    return reports, refused
