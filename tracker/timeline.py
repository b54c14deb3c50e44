"""Events -> the dated territorial timeline and the per-place table.

:func:`build_timeline` turns :class:`~tracker.models.Event` records into the
``timeline.csv`` table of DESIGN.md (contract 4), settles conflicting control
claims and adds geodesic distances to the nearest admin-1 border and, when
front-line snapshots are given, to the front line of the latest snapshot on or
before each event's date. :func:`place_table` folds that timeline into
``places.csv``: one row per place with its latest status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tracker.models import PLACES_COLUMNS, TIMELINE_COLUMNS, Event

#: Columns written after the contract ones (the contract allows more to follow).
TIMELINE_EXTRA = [
    "url", "title", "place_latitude", "place_longitude", "nearest_latitude", "nearest_longitude",
    "control_note", "frontline_date", "dist_frontline_km", "frontline_side",
]
PLACES_EXTRA = ["nearest_latitude", "nearest_longitude", "sources"]
#: Columns of an event table :func:`build_timeline` accepts instead of Event objects.
EVENT_FRAME_COLUMNS = [
    "event_id", "event_date", "report_id", "source", "place_id", "place_name", "place_kind",
    "admin1", "country", "latitude", "longitude", "geo_precision", "event_type", "actor", "claim",
    "control", "relation", "quote", "confidence", "acled_event_type", "acled_sub_event_type",
    "url", "title", "place_latitude", "place_longitude",
]
#: Opposite control claims about one place this many days apart or less make it contested.
CONFLICT_DAYS = 1
#: Distances to borders are reported for points located at least this precisely
#: (1 = the settlement, 2 = near it); an oblast centroid's distance means nothing.
MAX_PRECISION_FOR_DISTANCE = 2


def build_timeline(
    events: Sequence[Event] | pd.DataFrame,
    *,
    snapshots: Sequence[Any] = (),
    titles: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Turn events into the timeline table.

    Parameters
    ----------
    events : sequence of Event or pandas.DataFrame
        Events of any number of reports, in any order; or the same events as
        a table with :data:`EVENT_FRAME_COLUMNS` (``event_date`` as ISO text,
        ``title`` optional), as :meth:`tracker.store.Store.events_frame` reads
        them. Both give the same timeline.
    snapshots : sequence of frontline.Snapshot, optional
        Occupied-territory snapshots; each event gets the distance to the front
        line of the latest ``occupied`` snapshot dated on or before it.
    titles : dict, optional
        Report id -> report title, shown in the map's popups.

    Returns
    -------
    pandas.DataFrame
        ``TIMELINE_COLUMNS`` then ``TIMELINE_EXTRA``, sorted by date, report and
        position in the report; one row per event.

    Examples
    --------
    >>> build_timeline([]).columns[:3].tolist()
    ['event_id', 'event_date', 'report_id']
    """
    if isinstance(events, pd.DataFrame):
        frame = _table_frame(events, titles or {})
    else:
        frame = _events_frame(events, titles or {})
    if frame.empty:
        return frame
    frame = _settle_conflicts(frame)
    frame = _add_border_distance(frame)
    frame = _add_frontline_distance(frame, snapshots)
    frame = frame.drop_duplicates("event_id", keep="first")
    frame = frame.sort_values(["event_date", "report_id", "_order"], kind="stable")
    return frame[TIMELINE_COLUMNS + TIMELINE_EXTRA].reset_index(drop=True)


def place_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """Fold the timeline into one row per place.

    Parameters
    ----------
    timeline : pandas.DataFrame
        The output of :func:`build_timeline` (or ``timeline.csv`` read back).

    Returns
    -------
    pandas.DataFrame
        ``PLACES_COLUMNS`` then ``PLACES_EXTRA``, sorted by place name.
        ``latest_event_type`` is the latest event that is more than a mention
        (a mention only when nothing else happened there); ``latest_control`` is
        the latest known control status (``unknown`` when nothing said it).

    Examples
    --------
    >>> place_table(build_timeline([])).columns[:2].tolist()
    ['place_id', 'place_name']
    """
    if timeline.empty:
        return pd.DataFrame(columns=PLACES_COLUMNS + PLACES_EXTRA)
    frame = timeline.sort_values(["event_date", "event_id"], kind="stable")
    grouped = frame.groupby("place_id", sort=False)
    first = grouped.first()
    table = pd.DataFrame({
        "place_id": first.index,
        "place_name": first["place_name"].to_numpy(),
        "kind": first["place_kind"].to_numpy(),
        "admin1": first["admin1"].to_numpy(),
        "country": first["country"].to_numpy(),
    }, index=first.index.rename(None))
    # A place sits at its own coordinates, not where a relative location
    # ("5 km SW of X") moved one of its events.
    table["latitude"] = first["place_latitude"].astype(float).to_numpy()
    table["longitude"] = first["place_longitude"].astype(float).to_numpy()
    table["geo_precision"] = grouped["geo_precision"].min()
    own = _nearest_border(table)
    for column in ("dist_border_km", "nearest_border", "nearest_latitude", "nearest_longitude"):
        table[column] = own[column].to_numpy()
    table["first_seen"] = grouped["event_date"].min()
    table["last_seen"] = grouped["event_date"].max()
    table["n_reports"] = grouped["report_id"].nunique()
    table["n_events"] = grouped.size()
    substantive = frame[frame["event_type"] != "mention"]
    latest_type = substantive.groupby("place_id", sort=False)["event_type"].last()
    table["latest_event_type"] = latest_type.reindex(table.index).fillna("mention")
    known = frame[frame["control"] != "unknown"]
    latest_control = known.groupby("place_id", sort=False)["control"].last()
    table["latest_control"] = latest_control.reindex(table.index).fillna("unknown")
    sources = frame[["place_id", "source"]].astype(str).drop_duplicates()
    table["sources"] = sources.groupby("place_id", sort=False)["source"].agg("; ".join)
    table = table.sort_values(["place_name", "place_id"], kind="stable")
    return table[PLACES_COLUMNS + PLACES_EXTRA].reset_index(drop=True)


def _events_frame(events: Sequence[Event], titles: dict[str, str]) -> pd.DataFrame:
    # Column by column: a dict per row costs three times as much for 50k events.
    places = [event.place for event in events]
    columns = {
        "event_id": [e.event_id for e in events],
        "event_date": [e.event_date.isoformat() for e in events],
        "report_id": [e.report_id for e in events],
        "source": [e.source for e in events],
        "place_id": [p.place_id for p in places],
        "place_name": [p.name for p in places],
        "place_kind": [p.kind for p in places],
        "admin1": [p.admin1 for p in places],
        "country": [p.country for p in places],
        "latitude": np.array([e.latitude for e in events], dtype=float),
        "longitude": np.array([e.longitude for e in events], dtype=float),
        "geo_precision": np.array([e.geo_precision for e in events], dtype=int),
        "event_type": [e.event_type for e in events],
        "actor": [e.actor for e in events],
        "claim": [e.claim for e in events],
        "control": [e.control for e in events],
        "relation": [e.relation for e in events],
        "quote": [e.quote for e in events],
        "confidence": np.round(np.array([e.confidence for e in events], dtype=float), 3),
        "acled_event_type": [e.acled_event_type for e in events],
        "acled_sub_event_type": [e.acled_sub_event_type for e in events],
        "url": [e.url for e in events],
        "title": [titles.get(e.report_id, "") for e in events],
        "place_latitude": np.array([p.latitude for p in places], dtype=float),
        "place_longitude": np.array([p.longitude for p in places], dtype=float),
        "_order": np.arange(len(events)),
    }
    return _complete(pd.DataFrame(columns))


def _table_frame(table: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Return the frame of :func:`_events_frame` built from a table of events."""
    missing = [c for c in EVENT_FRAME_COLUMNS if c not in table and c != "title"]
    if missing:
        raise ValueError(f"event table lacks column(s) {', '.join(missing)}")
    frame = table.reset_index(drop=True).copy()
    if "title" not in frame:
        frame["title"] = [titles.get(report_id, "") for report_id in frame["report_id"]]
    frame = frame[EVENT_FRAME_COLUMNS]
    for column in ("latitude", "longitude", "place_latitude", "place_longitude"):
        frame[column] = frame[column].astype(float)
    frame["geo_precision"] = frame["geo_precision"].astype(int)
    frame["confidence"] = np.round(frame["confidence"].to_numpy(dtype=float), 3)
    if not isinstance(frame["event_date"].dtype, pd.StringDtype):
        frame["event_date"] = [d if isinstance(d, str) else d.isoformat()
                               for d in frame["event_date"]]
    frame["_order"] = np.arange(len(frame))
    return _complete(frame)


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    for column in TIMELINE_COLUMNS + TIMELINE_EXTRA:
        if column not in frame:
            frame[column] = pd.Series(dtype=object)
    return frame


def _settle_conflicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Opposite control claims about one place within CONFLICT_DAYS -> contested.

    Both rows are kept, each with its own source, and ``control_note`` names the
    other side's claim so an analyst sees why the place is contested. Claims are
    paired by place and day offset (not all against all), so the cost grows with
    the claims per place and day, not with the square of a place's history.
    """
    frame = frame.copy()
    frame["control_note"] = ""
    decided = frame.loc[frame["control"].isin(["RU", "UA"]),
                        ["place_id", "event_date", "control", "source"]].reset_index()
    if decided.empty:
        return frame
    decided["day"] = pd.to_datetime(decided["event_date"])
    pairs = []
    for offset in range(-CONFLICT_DAYS, CONFLICT_DAYS + 1):
        other = decided.assign(day=decided["day"] + pd.Timedelta(days=offset))
        pairs.append(decided.merge(other, on=["place_id", "day"], suffixes=("", "_other")))
    clash = pd.concat(pairs)
    clash = clash[clash["control"] != clash["control_other"]]
    if clash.empty:
        return frame
    clash = clash.assign(note=clash["control_other"] + " per " + clash["source_other"].astype(str))
    clash = clash.drop_duplicates(["index", "note"]).sort_values(["index", "note"])
    notes = "conflicting claims: " + clash.groupby("index")["note"].agg("; ".join)
    frame.loc[notes.index, "control"] = "contested"
    frame.loc[notes.index, "control_note"] = notes.to_numpy()
    return frame


def _distance_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose distances mean something: located precisely, inside the mapped units.

    Point-in-oblast runs once per distinct point: a timeline repeats few places many times.
    """
    from tracker.boundaries import admin1_at

    wanted = (frame["geo_precision"].astype(float).le(MAX_PRECISION_FOR_DISTANCE)
              & frame["latitude"].notna() & frame["longitude"].notna()).to_numpy().copy()
    if wanted.any():
        points = frame.loc[wanted, ["latitude", "longitude"]].to_numpy(dtype=float)
        unique, inverse = np.unique(points, axis=0, return_inverse=True)
        inside = admin1_at(unique[:, 0], unique[:, 1]) != ""
        wanted[wanted] = inside[inverse.ravel()]
    return wanted


def _nearest_border(frame: pd.DataFrame) -> pd.DataFrame:
    """Nearest admin-1 border (geodesic) for each row of ``frame``, aligned with it.

    Computed once per distinct point, and only for points located precisely
    enough and inside the mapped admin-1 units; other rows get NaN and "".
    """
    out = pd.DataFrame(index=frame.index, data={
        "dist_border_km": np.nan, "nearest_border": "",
        "nearest_latitude": np.nan, "nearest_longitude": np.nan,
    })
    wanted = _distance_rows(frame)
    if not wanted.any():
        return out
    from tracker.distance import distance

    points = frame.loc[wanted, ["latitude", "longitude"]].to_numpy(dtype=float)
    unique, inverse = np.unique(points, axis=0, return_inverse=True)
    result = distance(unique[:, 0], unique[:, 1], to="admin1")
    inverse = inverse.ravel()
    out.loc[wanted, "dist_border_km"] = result["distance_km"].round(2).to_numpy()[inverse]
    out.loc[wanted, "nearest_border"] = result["border"].to_numpy()[inverse]
    # 1e-6 degree is about 0.1 m: enough for a border point, and readable in a CSV.
    for column in ("nearest_latitude", "nearest_longitude"):
        out.loc[wanted, column] = result[column].round(6).to_numpy()[inverse]
    out["nearest_border"] = out["nearest_border"].fillna("")
    return out


def _add_border_distance(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    nearest = _nearest_border(frame)
    for column in nearest.columns:
        frame[column] = nearest[column]
    return frame


def _add_frontline_distance(frame: pd.DataFrame, snapshots: Sequence[Any]) -> pd.DataFrame:
    """Distance to the front line of the latest occupied snapshot on or before each event."""
    frame = frame.copy()
    frame["frontline_date"] = ""
    frame["dist_frontline_km"] = np.nan
    frame["frontline_side"] = ""
    occupied = sorted((s for s in snapshots if getattr(s, "kind", "occupied") == "occupied"),
                      key=lambda s: s.date)
    if not occupied:
        return frame
    import shapely

    from tracker.distance import distance
    from tracker.frontline import front_line

    dates = np.array([s.date for s in occupied], dtype="datetime64[D]")
    event_dates = frame["event_date"].to_numpy(dtype="datetime64[D]")
    which = np.searchsorted(dates, event_dates, side="right") - 1
    wanted = _distance_rows(frame) & (which >= 0)
    for index in np.unique(which[wanted]):
        snapshot = occupied[index]
        rows = wanted & (which == index)
        lats = frame["latitude"].to_numpy()[rows]
        lons = frame["longitude"].to_numpy()[rows]
        result = distance(lats, lons, to=front_line(snapshot))
        inside = shapely.contains_xy(snapshot.geometry, lons, lats)
        frame.loc[rows, "frontline_date"] = snapshot.date.isoformat()
        frame.loc[rows, "dist_frontline_km"] = result["distance_km"].round(2).to_numpy()
        frame.loc[rows, "frontline_side"] = np.where(inside, "occupied", "free")
    return frame
