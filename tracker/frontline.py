"""Front-line snapshots: occupied area, its change, and closest approach per date.

A *snapshot* is one GeoJSON file of occupied territory, dated by its file name or
a ``date`` property (read by :mod:`tracker.frontline_snapshots`, whose names are
re-exported here); :func:`chart` (from :mod:`tracker.charts_frontline`) draws
:func:`stats` over time.

Per date, :func:`stats` reports the occupied area (geodesic, on the WGS84
ellipsoid), its change since the previous snapshot of the same kind, the closest
approach to a chosen border measured to the part of that border *not already
inside* occupied territory (with both nearest points), how many km of the border
lie inside occupied territory, and the closest approach to chosen cities.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from tracker.charts_frontline import chart
from tracker.distance_index import from_plane, to_plane
from tracker.errors import GazetteerError
from tracker.frontline_snapshots import Problem, Snapshot, load_snapshot, load_snapshots
from tracker.geometry import lines_only
from tracker.models import FRONTLINE_COLUMNS

__all__ = ["Problem", "Snapshot", "chart", "front_line", "load_snapshot", "load_snapshots",
           "resolve_city", "stats"]

GEOD = Geod(ellps="WGS84")
#: Free territory narrower than twice this (m) is treated as a mismatch between the
#: snapshot's coast/border and Natural Earth's, not as territory facing a front.
SLIVER_M = 3000.0
DEFAULT_BORDER = "Donetsk/Dnipropetrovsk"


def stats(
    snapshots: Sequence[Snapshot],
    border: str = DEFAULT_BORDER,
    cities: Iterable[str | tuple[str, float, float]] = (),
) -> pd.DataFrame:
    """Area, area change and closest approaches, one row per snapshot.

    Parameters
    ----------
    snapshots : sequence of Snapshot
        As from :func:`load_snapshots`; sorted by date here.
    border : str, default "Donetsk/Dnipropetrovsk"
        ``A/B`` (either order): two admin-1 units, or ``Ukraine/<neighbour>``.
    cities : iterable of str or (name, latitude, longitude)
        Places to measure the closest approach to: gazetteer names (``Pokrovsk``),
        ``"LAT,LON"`` or ``"NAME=LAT,LON"`` strings, or tuples.

    Returns
    -------
    pandas.DataFrame
        ``FRONTLINE_COLUMNS`` (``date, area_km2, area_change_km2, border, distance_km,
        occupied_latitude, occupied_longitude, border_latitude, border_longitude,
        border_crossed_km``), then ``kind``, then per city ``<slug>_km``,
        ``<slug>_occupied_latitude``, ``<slug>_occupied_longitude``. ``distance_km`` is
        measured to the part of the border outside occupied territory (0 once the
        front has crossed it, NaN if none is left); ``area_change_km2`` is against
        the previous snapshot of the same kind (NaN for the first).

    Raises
    ------
    BorderError
        Unknown border name (the message lists the valid ones).
    GazetteerError
        A city name the gazetteer does not know.

    Examples
    --------
    >>> import datetime as dt
    >>> from shapely.geometry import box
    >>> snap = Snapshot(dt.date(2025, 5, 20), "toy.geojson", box(37.2, 47.9, 37.6, 48.2))
    >>> row = stats([snap], cities=[("Pokrovsk", 48.28014, 37.17706)]).iloc[0]
    >>> print(row["date"], row["area_km2"], row["distance_km"], row["border_crossed_km"])
    2025-05-20 994.8 20.281 0.0
    >>> print(row["pokrovsk_km"], row["pokrovsk_occupied_latitude"])
    9.073 48.2
    """
    from tracker.boundaries import border as border_line
    from tracker.boundaries import border_label

    label = border_label(border)
    line = border_line(*label.split("|"))
    places = [resolve_city(city) for city in cities]
    rows = []
    for snap in sorted(snapshots, key=lambda s: (s.date, s.kind)):
        row = {"date": snap.date.isoformat(), "kind": snap.kind, "border": label,
               "area_km2": _area_km2(snap.geometry)}
        row.update(_border_approach(snap.geometry, line))
        for name, lat, lon in places:
            row.update(_city_approach(snap.geometry, name, lat, lon))
        rows.append(row)
    frame = pd.DataFrame(rows)
    extra = [c for c in frame.columns if c not in FRONTLINE_COLUMNS and c != "kind"]
    if frame.empty:
        return pd.DataFrame(columns=[*FRONTLINE_COLUMNS, "kind"])
    frame["area_change_km2"] = frame.groupby("kind")["area_km2"].diff().round(1)
    return frame[[*FRONTLINE_COLUMNS, "kind", *extra]]


def front_line(snapshot: Snapshot | shapely.Geometry) -> shapely.Geometry:
    """Return the front line of a snapshot: where occupied territory faces free Ukraine.

    The boundary of the occupied polygons, minus the stretches on the international
    border or the coast. Snapshots draw their own coast and border, which stray a
    few km from Natural Earth's; so a stretch counts as front only where it lies
    within ``SLIVER_M`` (3 km) of free Ukrainian territory at least 6 km wide
    (a morphological opening of Ukraine minus the occupied area). Slivers between
    the two coastlines vanish; the Dnipro in Kherson oblast stays a front.

    Parameters
    ----------
    snapshot : Snapshot or shapely geometry
        Occupied territory in longitude/latitude.

    Returns
    -------
    shapely.MultiLineString
        In longitude/latitude; empty if nothing faces free territory.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> line = front_line(box(37.0, 47.0, 39.0, 48.0))  # a box reaching the Azov coast
    >>> 100 < GEOD.geometry_length(line) / 1000 < 400
    True
    """
    geometry = getattr(snapshot, "geometry", snapshot)
    return _front_line(shapely.to_wkb(geometry))


def resolve_city(city: str | tuple[str, float, float]) -> tuple[str, float, float]:
    """Return ``(name, latitude, longitude)`` of a city given by name or coordinates.

    Parameters
    ----------
    city : str or tuple
        A gazetteer name (``"Pokrovsk"``), ``"LAT,LON"``, ``"NAME=LAT,LON"`` or a
        ``(name, latitude, longitude)`` tuple.

    Raises
    ------
    GazetteerError
        Unknown name (with the closest candidates) or bad coordinates.

    Examples
    --------
    >>> resolve_city("Kramatorsk=48.73106,37.56779")
    ('Kramatorsk', 48.73106, 37.56779)
    >>> resolve_city("Pokrovsk")
    ('Pokrovsk', 48.28014, 37.17706)
    """
    if isinstance(city, tuple):
        name, lat, lon = city
        return str(name), float(lat), float(lon)
    text = str(city).strip()
    label, _, coords = text.rpartition("=") if "=" in text else ("", "", text)
    parts = coords.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"city {text!r}: coordinates out of range")
            return (label.strip() or f"{lat:g},{lon:g}"), lat, lon
    from tracker.gazetteer import Gazetteer

    found = Gazetteer.load().lookup(text, limit=5)
    exact = found[found["match"] == "exact"] if len(found) else found
    if len(exact) == 0:
        close = ", ".join(dict.fromkeys(found["name"])) if len(found) else "none"
        raise GazetteerError(f"no place called {text!r} in the gazetteer (closest: {close}); "
                             "give coordinates as NAME=LAT,LON")
    best = exact.iloc[0]
    return str(best["name"]), float(best["latitude"]), float(best["longitude"])


# --------------------------------------------------------------------------- helpers


def _to_plane(geom: shapely.Geometry, inverse: bool = False) -> shapely.Geometry:
    """Project to (or, inverse, back from) the Lambert conformal conic of tracker.distance."""
    transformer = from_plane() if inverse else to_plane()
    return shapely.transform(geom, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1])))


@functools.lru_cache(maxsize=64)
def _front_line(wkb: bytes) -> shapely.Geometry:
    occupied = shapely.from_wkb(wkb)
    ua = _ua_plane()
    free = shapely.difference(ua, _to_plane(occupied))
    core = shapely.buffer(shapely.buffer(free, -SLIVER_M), SLIVER_M)
    facing = _to_plane(shapely.buffer(core, SLIVER_M), inverse=True)
    line = shapely.intersection(shapely.boundary(occupied), facing)
    parts = shapely.get_parts(shapely.line_merge(lines_only(line)))
    return shapely.multilinestrings(parts) if len(parts) else shapely.MultiLineString()


@functools.cache
def _ua_plane() -> shapely.Geometry:
    from tracker.boundaries import ukraine

    return _to_plane(ukraine())


def _area_km2(geometry: shapely.Geometry) -> float:
    # exteriors counter-clockwise, holes clockwise: Geod sums signed ring areas
    area, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return round(abs(area) / 1e6, 1)


def _border_approach(occupied: shapely.Geometry, line: shapely.Geometry) -> dict:
    from tracker.distance import distance

    crossed = lines_only(shapely.intersection(line, occupied))
    free = lines_only(shapely.difference(line, occupied))
    out = {"border_crossed_km": round(GEOD.geometry_length(crossed) / 1000.0, 3),
           "distance_km": np.nan, "occupied_latitude": np.nan, "occupied_longitude": np.nan,
           "border_latitude": np.nan, "border_longitude": np.nan}
    if free.is_empty:
        return out
    # The shortest link between two polylines ends at a vertex of one of them, so
    # measure both ways: free-border vertices -> occupied boundary, and occupied
    # vertices near the border -> free border.
    border_xy = shapely.get_coordinates(free)
    occupied_xy = shapely.get_coordinates(shapely.boundary(occupied))
    reach = shapely.buffer(shapely.envelope(free), 3.0)  # degrees: prefilter only
    occupied_xy = occupied_xy[shapely.contains_xy(reach, occupied_xy[:, 0], occupied_xy[:, 1])]
    one = distance(border_xy[:, 1], border_xy[:, 0], to=occupied)
    best = {"d": np.inf}
    if len(one):
        i = int(np.nanargmin(one["distance_km"].to_numpy()))
        best = {"d": one["distance_km"].iat[i],
                "occ": (one["nearest_latitude"].iat[i], one["nearest_longitude"].iat[i]),
                "bor": (border_xy[i, 1], border_xy[i, 0])}
    if len(occupied_xy):
        two = distance(occupied_xy[:, 1], occupied_xy[:, 0], to=free)
        j = int(np.nanargmin(two["distance_km"].to_numpy()))
        if two["distance_km"].iat[j] < best["d"]:
            best = {"d": two["distance_km"].iat[j],
                    "occ": (occupied_xy[j, 1], occupied_xy[j, 0]),
                    "bor": (two["nearest_latitude"].iat[j], two["nearest_longitude"].iat[j])}
    if np.isfinite(best["d"]):
        out.update(distance_km=round(float(best["d"]), 3),
                   occupied_latitude=round(float(best["occ"][0]), 6),
                   occupied_longitude=round(float(best["occ"][1]), 6),
                   border_latitude=round(float(best["bor"][0]), 6),
                   border_longitude=round(float(best["bor"][1]), 6))
    return out


def _city_approach(occupied: shapely.Geometry, name: str, lat: float, lon: float) -> dict:
    from tracker.distance import distance

    slug = re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_") or "city"
    if shapely.intersects_xy(occupied, lon, lat):
        d, qlat, qlon = 0.0, lat, lon
    else:
        row = distance(lat, lon, to=occupied).iloc[0]
        d, qlat, qlon = row["distance_km"], row["nearest_latitude"], row["nearest_longitude"]
    return {f"{slug}_km": round(float(d), 3), f"{slug}_occupied_latitude": round(float(qlat), 6),
            f"{slug}_occupied_longitude": round(float(qlon), 6)}

