"""ACLED exports: rows that already are events.

An ACLED CSV is recognised by its own columns (``event_date``, ``event_type``,
``sub_event_type``, ``latitude``, ``longitude``, usually also ``notes``,
``location``, ``admin1``, ``country``, ``source``, ``actor1``...). Each row
becomes one Report whose text is the row's ``notes`` and whose ``extra`` keeps
every field of the row (as strings) plus ``"acled": True``, so the pipeline can
tell it apart and turn it into an event at ACLED's own coordinates with ACLED's
own type.
"""

from __future__ import annotations

from collections.abc import Iterator

from tracker.errors import ReportError
from tracker.loaders.base import Item, Loader, make_report
from tracker.loaders.csv import is_acled, row_items


class AcledLoader(Loader):
    """Load an ACLED export (CSV), one report per event row."""

    name = "acled"
    suffixes = (".csv",)

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield one report (or error) per ACLED row."""
        yield from row_items(text, origin, problem=_not_acled,
                             build=lambda row, line: _report(row, origin, line))


def _not_acled(header: list[str]) -> str:
    if is_acled(header):
        return ""
    return ("not an ACLED export: it lacks event_date, event_type, sub_event_type, latitude "
            "or longitude")


def _report(row: dict, origin: str, line: int):
    extra: dict = {k: v.strip() for k, v in row.items() if k and k != "acled"}
    for column in ("latitude", "longitude"):
        try:
            float(extra.get(column, ""))
        except ValueError:
            raise ReportError(f"{column} {extra.get(column, '')!r} is not a number",
                              path=origin, line=line) from None
    where = ", ".join(x for x in (extra.get("location"), extra.get("admin1")) if x)
    title = " / ".join(x for x in (extra.get("event_type"), extra.get("sub_event_type")) if x)
    title = f"{title} in {where}" if where else title
    fields = {
        "date": extra.get("event_date"),
        "source": extra.get("source") or "ACLED",
        "title": title,
        "id": f"acled:{extra['event_id_cnty']}" if extra.get("event_id_cnty") else "",
    }
    text = extra.get("notes") or title
    extra["acled"] = True
    return make_report(fields, origin=origin, line=line, text=text, extra=extra)
