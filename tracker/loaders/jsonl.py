"""JSON Lines reports: one object per line with ``date`` and ``text``.

Optional keys: ``source``, ``title``, ``url``, ``id``. Blank lines are skipped;
a bad line is refused with its line number and the others load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from tracker.errors import ReportError
from tracker.loaders.base import Item, Loader, make_report


class JsonlLoader(Loader):
    """Load a ``.jsonl`` file of report objects."""

    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield one report (or error) per non-blank line."""
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReportError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                  path=origin, line=number)
                continue
            if not isinstance(record, dict):
                yield ReportError(f"expected a JSON object, got {type(record).__name__}",
                                  path=origin, line=number)
                continue
            try:
                yield make_report(record, origin=origin, line=number)
            except ReportError as exc:
                yield exc
