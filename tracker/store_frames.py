"""Stored events as one pandas table (what the timeline builder reads), built column by column."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from tracker.store_schema import EVENT_COLUMNS, FLOAT_FIELDS


def events_frame(conn: sqlite3.Connection, place_ids: Iterable[str] | None = None
                 ) -> pd.DataFrame:
    """Return the stored events as :data:`tracker.timeline.EVENT_FRAME_COLUMNS`.

    See :meth:`tracker.store.Store.events_frame`.
    """
    import numpy as np

    from tracker.timeline import EVENT_FRAME_COLUMNS

    fields = [c for c in EVENT_COLUMNS if c != "ord"]
    where, args = "", ()
    if place_ids is not None:
        where, args = "WHERE place_id IN (SELECT value FROM json_each(?)) ", (
            json.dumps(sorted(set(place_ids))),)
    rows = conn.execute(f"SELECT {', '.join(fields)} FROM events {where}"
                        "ORDER BY report_id, ord", args).fetchall()
    columns = dict(zip(fields, zip(*rows, strict=True) if rows else [()] * len(fields),
                       strict=True))
    places = conn.execute("SELECT place_id, name, kind, admin1, country, latitude, "
                          "longitude FROM places").fetchall()
    known, *place_fields = zip(*places, strict=True) if places else [()] * 7
    which = pd.Index(known, dtype=object).get_indexer(columns["place_id"])
    for name, values in zip(("place_name", "place_kind", "admin1", "country",
                             "place_latitude", "place_longitude"), place_fields, strict=True):
        columns[name] = np.array(values, dtype=object)[which]
    # (a few places: only their reports' titles, by primary key)
    titles = dict(conn.execute(
        "SELECT id, title FROM reports" if place_ids is None else
        "SELECT id, title FROM reports WHERE id IN (SELECT value FROM json_each(?))",
        () if place_ids is None else (json.dumps(sorted(set(columns["report_id"]))),)))
    columns["title"] = [titles[report_id] for report_id in columns["report_id"]]
    text = _text_array()
    data: dict[str, Any] = {}
    for name in EVENT_FRAME_COLUMNS:
        values = columns[name]
        if name in FLOAT_FIELDS:
            data[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        elif name == "geo_precision":
            data[name] = np.array(values, dtype=int)
        else:
            data[name] = text(values)
    return pd.DataFrame(data)


def _text_array() -> Callable[[Sequence[str]], Any]:
    """Return a function making pandas' default text column from Python strings.

    With pandas' Arrow-backed ``str`` dtype the strings go into Arrow directly
    (a third of the time of letting pandas infer and check each value).
    """
    import pandas as pd

    dtype = pd.Series(["x"]).dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return list
    import pyarrow as pa

    kind = pd.Series(["x"]).array._pa_array.type  # large_string in pandas 3

    def make(values: Sequence[str]) -> Any:
        return pd.array(pa.array(values, type=kind), dtype=dtype)

    return make
