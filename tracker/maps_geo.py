"""Geometry payloads for the map: oblasts, the international border, snapshots, lines.

Shapes are simplified (a few hundred metres, invisible at oblast zoom) and their
coordinates rounded to 4 decimals (about 10 m) so the HTML stays small.  Every
label here is escaped text ready for the map's templates.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from tracker.maps_data import CONTROL_COLORS, distance_label, escape_text
from tracker.resources import data_path

#: Simplification tolerance (degrees) of oblast outlines and front-line snapshots.
SIMPLIFY_DEG = 0.003
#: Coordinates are rounded to this many decimals.
DECIMALS = 4

_CLAIM_NOTES = {
    "claimed_2022": "claimed by Russia since 2022 (annexation not recognised)",
    "annexed_2014": "occupied by Russia since 2014 (annexation not recognised)",
}
_COUNTRY_NAMES = {"UA": "Ukraine", "RU": "Russia"}


def admin1_frame() -> gpd.GeoDataFrame:
    """Return admin-1 polygons (``tracker.boundaries.admin1()`` or the bundled file)."""
    try:
        from tracker.boundaries import admin1

        frame = admin1()
    except (ImportError, AttributeError):
        frame = gpd.read_file(data_path("admin1.geojson"))
    return frame.to_crs(4326) if frame.crs is not None else frame.set_crs(4326)


def admin1_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return simplified admin-1 features with ``label`` (escaped) and ``style`` properties."""
    features = []
    geometries = _compact(frame.geometry.to_numpy())
    for row, geometry in zip(frame.itertuples(index=False), geometries, strict=True):
        claim = str(getattr(row, "russian_claim", "") or "")
        country = str(getattr(row, "country", "") or "")
        label = f"{row.admin1} ({_COUNTRY_NAMES.get(country, country)})"
        if claim in _CLAIM_NOTES:
            label += f": {_CLAIM_NOTES[claim]}"
        features.append({
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(geometry)),
            "properties": {"admin1": escape_text(row.admin1), "country": escape_text(country),
                           "russian_claim": claim, "label": escape_text(label)},
        })
    return {"type": "FeatureCollection", "features": features}


def admin1_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of one admin-1 feature: claimed oblasts hatched red, Russia grey."""
    props = feature["properties"]
    if props["russian_claim"] == "claimed_2022":
        return {"color": "#b03a2e", "weight": 2, "dashArray": "6 4", "fillColor": "#e74c3c",
                "fillOpacity": 0.12}
    if props["russian_claim"] == "annexed_2014":
        return {"color": "#6c3483", "weight": 2, "dashArray": "6 4", "fillColor": "#8e44ad",
                "fillOpacity": 0.12}
    if props["country"] != "UA":
        return {"color": "#777777", "weight": 1, "fillColor": "#999999", "fillOpacity": 0.15}
    return {"color": "#555555", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.02}


def label_points(frame: gpd.GeoDataFrame) -> list[tuple[float, float, str]]:
    """Return ``(lat, lon, escaped name)`` of a point inside each admin-1 unit."""
    points = frame.geometry.representative_point()
    return [(p.y, p.x, escape_text(name)) for p, name in zip(points, frame["admin1"], strict=True)]


def international_border(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Return Ukraine's international land border as line items for the map.

    Uses ``tracker.boundaries.border_lines()`` (rows of kind ``international``)
    when that module is available; otherwise the part of Ukraine's outline that
    touches Russia's regions or the neighbours in ``data/neighbours.geojson``.
    """
    try:
        from tracker.boundaries import border_lines

        lines = border_lines()
        lines = lines[lines["kind"] == "international"]
        named = [(str(b), g) for b, g in zip(lines["border"], lines.geometry, strict=True)]
    except (ImportError, AttributeError, KeyError):
        ukraine = shapely.union_all(frame.loc[frame["country"] == "UA"].geometry.to_numpy())
        others = list(frame.loc[frame["country"] != "UA"].geometry)
        others += list(gpd.read_file(data_path("neighbours.geojson")).geometry)
        neighbours = shapely.union_all(np.array(others, dtype=object)).buffer(0.03)
        named = [("Ukraine|neighbours", ukraine.boundary.intersection(neighbours))]
    items = []
    for border, geometry in named:
        sides = border.split("|")
        text = ("Ukraine's international border" if sides[-1] == "neighbours"
                else f"International border: {' / '.join(sides)}")
        for coords in _line_coords(geometry):
            items.append({"coords": coords, "label": escape_text(text)})
    return items


def snapshot_items(snapshots: Iterable[Any], kind: str) -> list[dict[str, Any]]:
    """Return ``{"date", "geojson", "label"}`` per snapshot of ``kind``, sorted by date."""
    chosen = sorted((s for s in snapshots if getattr(s, "kind", "occupied") == kind),
                    key=lambda s: iso_date(s.date))
    what = "Occupied territory" if kind == "occupied" else "Grey zone"
    items = []
    for snap, geometry in zip(chosen, _compact([s.geometry for s in chosen]), strict=True):
        date = iso_date(snap.date)
        items.append({"date": date, "geojson": json.loads(shapely.to_geojson(geometry)),
                      "label": escape_text(f"{what} ({date})")})
    return items


def approach_items(approaches: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Closest-approach lines per date from ``frontline.stats`` rows (FRONTLINE_COLUMNS)."""
    if approaches is None or len(approaches) == 0:
        return []
    items = []
    columns = ["occupied_latitude", "occupied_longitude", "border_latitude", "border_longitude",
               "distance_km"]
    rows = approaches.copy()
    for column in columns:
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    rows = rows.dropna(subset=columns)
    for row in rows.sort_values("date").itertuples(index=False):
        date = iso_date(row.date)
        border = "/".join(str(row.border).split("|"))
        crossed = pd.to_numeric(getattr(row, "border_crossed_km", 0), errors="coerce")
        text = approach_label(row.distance_km, border, 0.0 if pd.isna(crossed) else crossed)
        text = f"{text} ({date})"
        line = [[round(row.occupied_latitude, 5), round(row.occupied_longitude, 5)],
                [round(row.border_latitude, 5), round(row.border_longitude, 5)]]
        items.append({"date": date, "label": escape_text(text),
                      "geojson": {"type": "LineString", "coordinates": [p[::-1] for p in line]}})
    return items


def approach_label(distance_km: float, border: str, crossed_km: float = 0.0) -> str:
    """Phrase a snapshot's closest approach to a border.

    Examples
    --------
    >>> approach_label(3.31, "Donetsk/Dnipropetrovsk")
    '3.3 km from occupied territory to the Donetsk/Dnipropetrovsk border'
    >>> approach_label(0.0, "Donetsk/Dnipropetrovsk", 20.66)
    'Occupied territory reaches the Donetsk/Dnipropetrovsk border: 20.7 km of it occupied'
    >>> approach_label(2.0, "Kharkiv/Luhansk", 1.5)
    '2.0 km from occupied territory to the rest of the Kharkiv/Luhansk border (1.5 km occupied)'
    """
    if crossed_km > 0 and distance_km <= 0.05:
        return (f"Occupied territory reaches the {border} border: {crossed_km:.1f} km of it "
                "occupied")
    if crossed_km > 0:
        return (f"{distance_km:.1f} km from occupied territory to the rest of the {border} border"
                f" ({crossed_km:.1f} km occupied)")
    return f"{distance_km:.1f} km from occupied territory to the {border} border"


def place_features(places: pd.DataFrame) -> dict[str, Any]:
    """Point features of places with their latest control (escaped popup, colour)."""
    frame = _with_coords(places)
    features = []
    for row in _records(frame):
        control = str(row.get("latest_control") or "unknown")
        if control == "nan":
            control = "unknown"
        lines = [f"<b>{escape_text(row.get('place_name'))}</b>"
                 + (f", {escape_text(row.get('admin1'))}" if _text(row.get("admin1")) else ""),
                 f"Latest control: {escape_text(control)}",
                 f"Latest event: {escape_text(row.get('latest_event_type'))}",
                 f"Seen {escape_text(row.get('first_seen'))} to {escape_text(row.get('last_seen'))}"
                 f" in {escape_text(_count(row.get('n_reports')))} reports,"
                 f" {escape_text(_count(row.get('n_events')))} events"]
        label = _place_distance_label(row)
        if label:
            lines.append(escape_text(label))
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {"popup": "<br>".join(lines),
                           "color": CONTROL_COLORS.get(control, CONTROL_COLORS["unknown"])},
        })
    return {"type": "FeatureCollection", "features": features}


def distance_items(places: pd.DataFrame, border_range_km: float) -> list[dict[str, Any]]:
    """Lines from each place within ``border_range_km`` of a border to its nearest point."""
    frame = _with_coords(places)
    for column in ("dist_border_km", "nearest_latitude", "nearest_longitude"):
        frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    frame = frame.dropna(subset=["dist_border_km", "nearest_latitude", "nearest_longitude"])
    frame = frame[frame["dist_border_km"] <= border_range_km].sort_values("dist_border_km")
    items = []
    for row in frame.to_dict("records"):
        label = _place_distance_label(row)
        if not label:
            continue
        name = _text(row.get("place_name"))
        items.append({
            "coords": [[round(row["latitude"], 5), round(row["longitude"], 5)],
                       [round(row["nearest_latitude"], 5), round(row["nearest_longitude"], 5)]],
            "label": escape_text(f"{name}: {label}" if name else label),
        })
    return items


def iso_date(value: Any) -> str:
    """Return ``YYYY-MM-DD`` for a date, datetime, Timestamp or ISO string.

    Examples
    --------
    >>> import datetime
    >>> iso_date(datetime.date(2025, 5, 20)), iso_date("2025-05-20T03:00:00")
    ('2025-05-20', '2025-05-20')
    """
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _place_distance_label(row: dict[str, Any]) -> str:
    km = pd.to_numeric(row.get("dist_border_km"), errors="coerce")
    border = _text(row.get("nearest_border"))
    if pd.isna(km) or not border:
        return ""
    return distance_label(float(km), border, admin1=_text(row.get("admin1")),
                          country=_text(row.get("country")))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, built column by column (a third of the time)."""
    columns = [frame[name].tolist() for name in frame.columns]
    return [dict(zip(frame.columns, values, strict=True)) for values in zip(*columns, strict=True)]


def _with_coords(places: pd.DataFrame) -> pd.DataFrame:
    frame = places.copy()
    frame["latitude"] = pd.to_numeric(frame.get("latitude"), errors="coerce")
    frame["longitude"] = pd.to_numeric(frame.get("longitude"), errors="coerce")
    return frame.dropna(subset=["latitude", "longitude"])


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _count(value: Any) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "?" if pd.isna(number) else str(int(number))


def _compact(geometries: Any) -> list[Any]:
    """Simplify and round geometries; empty or invalid input gives empty geometries."""
    array = np.asarray(list(geometries), dtype=object)
    if array.size == 0:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        simple = shapely.simplify(array, SIMPLIFY_DEG, preserve_topology=True)
        rounded = shapely.transform(simple, lambda xy: np.round(xy, DECIMALS))
    return list(rounded)


def _line_coords(geometry: Any) -> list[list[list[float]]]:
    """Return ``[[lat, lon], ...]`` per line part of a (multi)line or collection."""
    parts = []
    merged = shapely.line_merge(_lines_only(geometry))
    for part in shapely.get_parts(_compact([merged])[0]):
        coords = np.round(shapely.get_coordinates(part), DECIMALS)
        if len(coords) >= 2:
            parts.append(coords[:, ::-1].tolist())
    return parts


def _lines_only(geometry: Any) -> Any:
    parts = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "MultiLineString":
            parts.extend(shapely.get_parts(part))
        elif part.geom_type in ("LineString", "LinearRing"):
            parts.append(part)
    return shapely.multilinestrings(parts) if parts else shapely.MultiLineString()
