"""The store's output caches: each place's share of the outputs, kept between updates.

Every output row belongs to one place: a timeline row to its event's place and a
``places.csv`` row to its place. Settling conflicting control claims looks only at
the other claims about the same place, and distances depend on the row's own point,
date and the front-line snapshots, so the rows of one place can be computed from that
place's events alone. :class:`OutputCache` keeps, per place, one ``output_parts`` row
(migration 4 of :mod:`tracker.store_schema`) holding two Arrow IPC record batches
(read back with the schemas the cache records once, with the CSV headers):

- its timeline rows: the sort keys, the ``timeline.csv`` line, the map payload's
  per-row values (:func:`tracker.maps_data.payload_rows`) and the columns the charts
  read;
- its ``places.csv`` row: the typed row and its line.

Triggers mark a place dirty (``dirty_places``) whenever one of its events, its own
record or a report title it shows changes, whoever writes the store (``tracker run
--store`` too), and a new front-line snapshot marks the places with events in the
dates it governs (:meth:`OutputCache.follow_fronts`). An update recomputes the dirty
places only and assembles the outputs from the parts; everything is recomputed when
the cache key changes: the bundled borders, the code that derives the rows or the
libraries that format them (:func:`cache_key`). Parts, dirty marks and key change in
the update's one transaction, so a crash leaves caches that match the stored events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["CachedOutputs", "LayoutChanged", "OutputCache", "cache_key", "changed_ranges",
           "fronts"]

#: Bump when the layout of the parts changes.
CACHE_FORMAT = 1
#: Modules whose code decides what a cached row holds (tracker/<pattern>).
KEY_SOURCES = ("timeline.py", "pipeline.py", "maps_data.py", "distance*.py", "boundaries.py",
               "frontline*.py", "geometry.py", "models.py", "store.py", "store_frames.py",
               "store_outputs.py")
#: Bundled data the distances are measured against.
KEY_DATA = ("admin1.geojson", "neighbours.geojson")
#: Libraries whose behaviour shapes the rows (number formatting, sorting, geodesics).
KEY_LIBRARIES = ("numpy", "pandas", "pyarrow", "shapely", "pyproj")
#: Timeline columns the charts beside the map read.
CHART_COLUMNS = ["event_date", "event_type", "place_id", "place_name", "dist_border_km",
                 "nearest_border"]
_META_KEY = "output_cache_key"
_META_LAYOUT = "output_cache_layout"
_META_FRONTS = "output_cache_fronts"


@dataclass
class CachedOutputs:
    """The outputs of a whole store, assembled from the parts.

    Attributes
    ----------
    timeline_csv, places_csv : list of bytes-like
        ``timeline.csv`` and ``places.csv`` (UTF-8) as chunks to write one after
        the other (the rows straight from Arrow's buffer, not copied).
    payload : dict
        The map's event payload (:func:`tracker.maps_data.event_payload`).
    timeline : pandas.DataFrame
        :data:`CHART_COLUMNS` of every timeline row, in timeline order.
    places : pandas.DataFrame
        The place table.
    """

    timeline_csv: list[Any]
    places_csv: list[Any]
    payload: dict[str, Any]
    timeline: pd.DataFrame
    places: pd.DataFrame


def cache_key(build: Callable | None = None) -> str:
    """Fingerprint of the code, data and libraries the cached rows are derived with.

    (The stored events and front-line snapshots are followed by the dirty marks and
    :meth:`OutputCache.follow_fronts`.)

    Parameters
    ----------
    build : callable, optional
        The function that builds the tables (``Stages.build``).

    Returns
    -------
    str
        A SHA-256 hex digest.
    """
    from importlib.metadata import PackageNotFoundError, version

    from tracker.resources import data_path

    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    if build is not None:  # (stand-in stages in tests build other rows)
        name = getattr(build, "__qualname__", type(build).__qualname__)
        digest.update(f"{getattr(build, '__module__', '')}.{name}\n".encode())
    for library in KEY_LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    here = Path(__file__).parent
    sources = sorted({p for pattern in KEY_SOURCES for p in here.glob(pattern)})
    for path in sources + [data_path(name) for name in KEY_DATA]:
        digest.update(path.name.encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


def fronts(snapshots: Iterable[dict[str, Any]]) -> list[list[str]]:
    """Return the snapshots the timeline measures front-line distances to, ``[date, hash]``.

    Parameters
    ----------
    snapshots : iterable of dict
        :meth:`tracker.store.Store.snapshots` (by date, kind, path: the order in
        which the timeline picks the latest one of a date).

    Returns
    -------
    list of [str, str]
        The occupied ones, ISO date and content hash.
    """
    return [[s["date"].isoformat(), s["content_hash"]] for s in snapshots
            if s["kind"] == "occupied"]


def changed_ranges(old: list[list[str]], new: list[list[str]]
                   ) -> list[tuple[str | None, str | None]]:
    """Date ranges ``[start, end)`` (None: open) whose governing snapshot differs.

    An event gets the distance to the latest occupied snapshot dated on or before
    it (the last of a date), so only events in these ranges change.

    Examples
    --------
    >>> changed_ranges([["2025-05-01", "a"]], [["2025-05-01", "a"], ["2025-05-10", "b"]])
    [('2025-05-10', None)]
    >>> changed_ranges([["2025-05-10", "b"]], [["2025-05-01", "a"], ["2025-05-10", "b"]])
    [('2025-05-01', '2025-05-10')]
    """
    bounds = sorted({day for day, _ in old} | {day for day, _ in new})

    def governing(snapshots: list[list[str]], day: str) -> str | None:
        found = None
        for date, digest in snapshots:  # by date: the last one on or before the day
            if date <= day:
                found = digest
        return found

    ranges = []
    for i, start in enumerate(bounds):
        if governing(old, start) != governing(new, start):
            end = bounds[i + 1] if i + 1 < len(bounds) else None
            if ranges and ranges[-1][1] == start:  # one range for neighbours
                start = ranges.pop()[0]
            ranges.append((start, end))
    return ranges


class OutputCache:
    """The per-place output parts of one store (see the module docstring).

    Parameters
    ----------
    db : tracker.store.Store
        An open store (migrated to version 4 or later).
    """

    def __init__(self, db: Any):
        self.db = db
        self.conn = db.conn

    def is_current(self, key: str) -> bool:
        """Whether the parts were made under ``key`` (else they must all be rebuilt)."""
        return self.db.get_meta(_META_KEY) == key

    def fronts_changed(self, current: list[list[str]]) -> bool:
        """Whether the parts were measured against other front-line snapshots."""
        return json.loads(self.db.get_meta(_META_FRONTS, "null")) != current

    def follow_fronts(self, current: list[list[str]]) -> None:
        """Mark dirty the places with events whose governing snapshot changed.

        ``current`` is :func:`fronts` of the stored snapshots; the parts must have
        been made against a known list (as every rebuild records).
        """
        recorded = json.loads(self.db.get_meta(_META_FRONTS, "null"))
        with self.db.transaction():
            for start, end in changed_ranges(recorded or [], current):
                self.conn.execute(
                    "INSERT INTO dirty_places SELECT DISTINCT place_id FROM events "
                    "WHERE event_date >= coalesce(?, '') AND (? IS NULL OR event_date < ?) "
                    "AND place_id NOT IN (SELECT place_id FROM dirty_places)", (start, end, end))
            self.db.set_meta(_META_FRONTS, json.dumps(current))

    def dirty(self) -> list[str]:
        """Places whose events, record or report titles changed since their part was made."""
        return [row[0] for row in
                self.conn.execute("SELECT place_id FROM dirty_places ORDER BY place_id")]

    def rebuild(self, key: str, timeline: pd.DataFrame, places: pd.DataFrame,
                current_fronts: list[list[str]]) -> None:
        """Replace every part with those of the whole store's tables; record ``key``.

        ``current_fronts`` (:func:`fronts`) are the snapshots the tables were built with.
        """
        with self.db.transaction():
            self.db.set_meta(_META_FRONTS, json.dumps(current_fronts))
            parts, layout = self._parts(timeline, places, None)
            self.conn.execute("DELETE FROM output_parts")
            self._insert(parts)
            self.conn.execute("DELETE FROM dirty_places")
            self.db.set_meta(_META_LAYOUT, json.dumps(layout))
            self.db.set_meta(_META_KEY, key)

    def refresh(self, place_ids: Sequence[str], timeline: pd.DataFrame,
                places: pd.DataFrame) -> None:
        """Replace the parts of ``place_ids`` with their rows in ``timeline`` and ``places``.

        ``timeline`` and ``places`` must hold every row of those places (built from
        all their events) and nothing else.

        Raises
        ------
        LayoutChanged
            When the new rows do not have the columns and types of the stored
            parts (nothing is written; rebuild them all).
        """
        with self.db.transaction():
            ids = json.dumps(sorted(set(place_ids)))
            parts, layout = self._parts(timeline, places, ids)
            if parts and layout != self._layout():
                raise LayoutChanged("the new rows do not fit the stored parts")
            self.conn.execute("DELETE FROM output_parts WHERE place_id IN "
                              "(SELECT value FROM json_each(?))", (ids,))
            self._insert(parts)
            self.conn.execute("DELETE FROM dirty_places WHERE place_id IN "
                              "(SELECT value FROM json_each(?))", (ids,))

    def assemble(self) -> CachedOutputs | None:
        """Join the parts into the outputs; None when there are none (an empty store)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from tracker.maps_data import PAYLOAD_COLUMNS, assemble_payload

        layout = self._layout()
        parts = self.conn.execute("SELECT events, place FROM output_parts").fetchall()
        if not parts or layout is None:
            return None
        headers = layout["headers"]
        schemas = [pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(s))) for s in layout["schemas"]]
        # Record batches of one known schema: no schema to parse per part.
        events, places = (pa.Table.from_batches([pa.ipc.read_record_batch(row[i], schemas[i])
                                                 for row in parts], schemas[i])
                          for i in (0, 1))
        # timeline order: date, report, position in the report (as build_timeline sorts);
        # one contiguous table first: sorting and taking from it is quicker than from parts
        events, places = events.combine_chunks(), places.combine_chunks()
        events = events.take(pc.sort_indices(events, [("event_date", "ascending"),
                                                      ("report_id", "ascending"),
                                                      ("_ord", "ascending")]))
        places = places.take(pc.sort_indices(places, [("place_name", "ascending"),
                                                      ("place_id", "ascending")]))
        chart = [c for c in CHART_COLUMNS if c in events.column_names]
        return CachedOutputs(
            timeline_csv=[(headers[0] + "\n").encode(), _joined(events["_line"])],
            places_csv=[(headers[1] + "\n").encode(), _joined(places["_line"])],
            payload=assemble_payload(_frame(events.select([f"_p_{c}" for c in PAYLOAD_COLUMNS]),
                                            prefix="_p_"), arrays=True),
            timeline=_frame(events.select(chart)),
            places=_frame(places.drop_columns(["_line"])),
        )

    def _layout(self) -> dict[str, Any] | None:
        return json.loads(self.db.get_meta(_META_LAYOUT, "null") or "null")

    def _parts(self, timeline: pd.DataFrame, places: pd.DataFrame, ids: str | None
               ) -> tuple[list[tuple[str, bytes, bytes]], dict[str, Any]]:
        """Return the ``output_parts`` rows of the places in ``timeline``, and their layout."""
        import pyarrow as pa

        from tracker.maps_data import payload_rows
        from tracker.pipeline import csv_lines

        if timeline.empty:
            return [], {}
        where = "" if ids is None else "WHERE place_id IN (SELECT value FROM json_each(?))"
        order = dict(self.conn.execute(f"SELECT event_id, ord FROM events {where}",
                                       () if ids is None else (ids,)))
        timeline_header, timeline_lines = csv_lines(timeline, arrow=True)
        places_header, places_lines = csv_lines(places, arrow=True)
        rows = timeline[[c for c in CHART_COLUMNS if c in timeline]].reset_index(drop=True)
        rows["place_id"] = timeline["place_id"].to_numpy()
        rows["report_id"] = timeline["report_id"].to_numpy()
        rows["_ord"] = [order[event_id] for event_id in timeline["event_id"]]
        # The text columns go to Arrow directly (through pandas they cost twice as much).
        extra = {"_line": _lines(timeline_lines)}
        payload = payload_rows(timeline)
        for column in payload.columns:
            values = payload[column]
            extra[f"_p_{column}"] = (pa.array(values.to_numpy(float)) if values.dtype == float
                                     else pa.array(values.tolist(), type=pa.large_string()))
        events, event_schema = _by_place(rows, extra)
        place_parts, place_schema = _by_place(places.reset_index(drop=True),
                                              {"_line": _lines(places_lines)})
        empty = _batch(pa.Table.from_pylist([], schema=place_schema))
        layout = {"headers": [timeline_header, places_header],
                  "schemas": [event_schema.serialize().to_pybytes().hex(),
                              place_schema.serialize().to_pybytes().hex()]}
        return [(place_id, blob, place_parts.get(place_id, empty))
                for place_id, blob in events.items()], layout

    def _insert(self, parts: list[tuple[str, bytes, bytes]]) -> None:
        self.conn.executemany("INSERT INTO output_parts (place_id, events, place) "
                              "VALUES (?, ?, ?)", parts)


class LayoutChanged(Exception):
    """New output rows have other columns or types than the stored parts."""


def _by_place(frame: pd.DataFrame, extra: dict[str, Any]) -> tuple[dict[str, bytes], Any]:
    """One record batch per place (the rows of ``frame`` by ``place_id``), and their schema.

    ``extra`` holds more columns, as Arrow arrays aligned with ``frame``.
    """
    import numpy as np

    codes, uniques = pd.factorize(frame["place_id"], sort=False)
    table = _table(frame)
    for name, array in extra.items():
        table = table.append_column(name, array)
    table = _canonical(table).take(np.argsort(codes, kind="stable")).combine_chunks()
    counts = np.bincount(codes, minlength=len(uniques))
    starts = np.cumsum(counts) - counts
    return {place_id: _batch(table.slice(start, count))
            for place_id, start, count in zip(uniques, starts, counts, strict=True)}, table.schema


def _table(frame: pd.DataFrame) -> Any:
    """``frame`` as an Arrow table, without pandas' metadata."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)


def _canonical(table: Any) -> Any:
    """Text (and all-empty) columns as large_string: parts of any rows get one schema."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.large_string()) if pa.types.is_null(f.type)
              or pa.types.is_string(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def _lines(lines: Any) -> Any:
    """CSV lines (an Arrow array or a list) each ending in a line feed, as large_string."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = lines if isinstance(lines, (pa.Array, pa.ChunkedArray)) else pa.array(
        lines, type=pa.large_string())
    text = pa.large_string()
    return pc.binary_join_element_wise(array.cast(text), pa.scalar("", text),
                                       pa.scalar("\n", text))


def _batch(table: Any) -> bytes:
    """Serialise ``table`` as one IPC record batch message (read back with its schema)."""
    import pyarrow as pa

    batches = table.combine_chunks().to_batches()
    batch = batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)
    return batch.serialize().to_pybytes()


def _frame(table: Any, prefix: str = "") -> pd.DataFrame:
    frame = table.to_pandas()
    if prefix:
        frame.columns = [c[len(prefix):] if c.startswith(prefix) else c for c in frame.columns]
    return frame


def _joined(lines: Any) -> Any:
    """Join lines that end in a line feed: a view of the Arrow buffer that holds them."""
    import numpy as np
    import pyarrow as pa

    array = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    array = array.cast(pa.large_string())
    if len(array) == 0:
        return b""
    bounds = np.frombuffer(array.buffers()[1], dtype=np.int64)[
        array.offset: array.offset + len(array) + 1]
    return memoryview(array.buffers()[2])[int(bounds[0]): int(bounds[-1])]
