"""Front-line snapshots: occupied area, its change, and closest approach per date.

A *snapshot* is one GeoJSON file of occupied territory (polygons or multipolygons,
as DeepStateMap's are published), dated by its file name (``*_YYYY-MM-DD.geojson``)
or a ``date`` property. Files whose name says ``greyzone`` hold DeepState's grey
zone instead and load with ``kind="greyzone"``.

Per date, :func:`stats` reports the occupied area (geodesic, on the WGS84
ellipsoid), its change since the previous snapshot of the same kind, the closest
approach to a chosen border measured to the part of that border *not already
inside* occupied territory (with both nearest points), how many km of the border
lie inside occupied territory, and the closest approach to chosen cities.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from tracker.errors import GazetteerError
from tracker.models import FRONTLINE_COLUMNS

__all__ = ["Snapshot", "chart", "front_line", "load_snapshot", "load_snapshots",
           "resolve_city", "stats"]

GEOD = Geod(ellps="WGS84")
#: Work CRS (metres) for the front-line cut: Lambert conformal conic fitted to Ukraine.
WORK_CRS = "+proj=lcc +lat_1=45 +lat_2=51 +lat_0=48.5 +lon_0=31.5 +ellps=WGS84 +units=m"
#: Free territory narrower than twice this (m) is treated as a mismatch between the
#: snapshot's coast/border and Natural Earth's, not as territory facing a front.
SLIVER_M = 3000.0
DEFAULT_BORDER = "Donetsk/Dnipropetrovsk"

_DATE_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[^\d].*)?$")
_GREY = re.compile(r"gr[ae]y[ _-]?zone|unknown status", re.IGNORECASE)

Problem = tuple[str, str]


@dataclass(frozen=True)
class Snapshot:
    """One dated snapshot of occupied territory (or of the grey zone).

    Attributes
    ----------
    date : datetime.date
    path : str
        The file it came from.
    geometry : shapely.Polygon or shapely.MultiPolygon
        WGS84 longitude/latitude, valid.
    kind : {"occupied", "greyzone"}
    notes : tuple of str
        What was repaired or ignored while reading it.
    """

    date: dt.date
    path: str
    geometry: shapely.Geometry
    kind: Literal["occupied", "greyzone"] = "occupied"
    notes: tuple[str, ...] = field(default=(), compare=False)


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
    >>> from shapely.geometry import box
    >>> snap = Snapshot(dt.date(2025, 5, 20), "toy.geojson", box(37.2, 47.9, 37.6, 48.2))
    >>> row = stats([snap], cities=[("Pokrovsk", 48.28014, 37.17706)]).iloc[0]
    >>> print(row["date"], row["area_km2"], row["distance_km"], row["border_crossed_km"])
    2025-05-20 994.8 20.281 0.0
    >>> print(row["pokrovsk_km"], row["pokrovsk_occupied_latitude"])
    9.073 48.2
    """
    from tracker.boundaries import border as border_line
    from tracker.boundaries import resolve_border

    first, _, second = border.replace("|", "/").partition("/")
    canonical = resolve_border(first, second)
    label = canonical
    if canonical.split("|")[0].casefold() != first.strip().casefold():
        label = "|".join(reversed(canonical.split("|")))
    line = border_line(first, second)
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


def load_snapshots(paths: Iterable[str | Path]) -> tuple[list[Snapshot], list[Problem]]:
    """Read snapshot files; bad ones are reported, the rest still load.

    Parameters
    ----------
    paths : iterable of str or Path
        GeoJSON files, or folders (their ``*.geojson`` files, sorted).

    Returns
    -------
    snapshots : list of Snapshot
        Sorted by date, then kind. A second file for the same date and kind is
        left out (and reported).
    problems : list of (path, message)
        Refused files (not GeoJSON, no polygon, empty, no date) and notes on the
        loaded ones (rings repaired with ``make_valid``, features ignored).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "occupied_2025-05-20.geojson").write_text(
    ...     '{"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 48]]]}')
    >>> _ = (folder / "broken_2025-05-21.geojson").write_text("{not json")
    >>> snaps, problems = load_snapshots([folder])
    >>> [(s.date.isoformat(), s.kind) for s in snaps]
    [('2025-05-20', 'occupied')]
    >>> problems[0][0].endswith("broken_2025-05-21.geojson"), problems[0][1][:14]
    (True, 'not valid JSON')
    """
    files: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            files.extend(sorted(item.glob("*.geojson")))
        else:
            files.append(item)
    loaded: list[Snapshot] = []
    problems: list[Problem] = []
    for path in files:
        snapshot, notes = load_snapshot(path)
        problems.extend(notes)
        if snapshot is not None:
            loaded.append(snapshot)
    loaded.sort(key=lambda s: (s.date, s.kind, s.path))
    kept: list[Snapshot] = []
    for snap in loaded:
        if kept and (kept[-1].date, kept[-1].kind) == (snap.date, snap.kind):
            problems.append((snap.path, f"a second {snap.kind} snapshot for {snap.date}; "
                                        f"left out in favour of {kept[-1].path}"))
            continue
        kept.append(snap)
    return kept, problems


def load_snapshot(path: str | Path) -> tuple[Snapshot | None, list[Problem]]:
    """Read one snapshot file.

    Parameters
    ----------
    path : str or Path
        A GeoJSON FeatureCollection, Feature or bare geometry with polygons.

    Returns
    -------
    snapshot : Snapshot or None
        None when the file cannot be used.
    problems : list of (path, message)
        Why it was refused, or what was repaired or ignored.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [(name, f"cannot read the file ({exc.__class__.__name__}: {exc})")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [(name, f"not valid JSON (line {exc.lineno}: {exc.msg})")]
    if not isinstance(data, dict):
        return None, [(name, "not GeoJSON (expected an object)")]
    features = _features(data)
    if features is None:
        return None, [(name, f"not GeoJSON (type {data.get('type')!r})")]
    notes: list[Problem] = []
    polygons, skipped, repaired, broken = [], 0, 0, 0
    for feature in features:
        try:
            geom = shapely.geometry.shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError,
                shapely.errors.GEOSException):
            broken += 1
            continue
        if not shapely.is_valid(geom):
            geom = shapely.make_valid(geom)
            repaired += 1
        parts = [p for p in shapely.get_parts(_flatten(geom))
                 if shapely.get_type_id(p) == 3 and not p.is_empty]
        if not parts:
            skipped += 1
        polygons.extend(parts)
    if broken:
        notes.append((name, f"ignored {broken} feature(s) with unreadable geometry"))
    if skipped:
        notes.append((name, f"ignored {skipped} feature(s) without polygons"))
    if repaired:
        notes.append((name, f"repaired {repaired} invalid geometr{'y' if repaired == 1 else 'ies'}"
                            " (self-intersecting or badly nested rings) with make_valid"))
    geometry = shapely.union_all(polygons) if polygons else shapely.MultiPolygon()
    if geometry.is_empty or shapely.area(geometry) == 0:
        return None, [*notes, (name, "no polygon geometry (empty or no polygons)")]
    date = _date(Path(path), data, features)
    if date is None:
        return None, [*notes, (name, "no date: name the file *_YYYY-MM-DD.geojson or give "
                                     "the features a 'date' property (YYYY-MM-DD)")]
    kind = "greyzone" if _is_grey(Path(path), data, features) else "occupied"
    return Snapshot(date, name, geometry, kind, tuple(m for _, m in notes)), notes


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


def chart(frame: pd.DataFrame, path: str | Path, *, title: str | None = None) -> Path:
    """Draw occupied area and closest approaches over time to a PNG.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`stats`.
    path : str or Path
        PNG to write (its folder is created).
    title : str, optional
        Figure title.

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = frame[frame["kind"] == "occupied"] if "kind" in frame else frame
    dates = pd.to_datetime(rows["date"])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    top.plot(dates, rows["area_km2"], marker="o", color="firebrick")
    top.set_ylabel("occupied area (km²)")
    top.grid(alpha=0.3)
    border = str(rows["border"].iloc[0]).replace("|", "/") if len(rows) else ""
    bottom.plot(dates, rows["distance_km"], marker="o", label=f"{border} border (free part)")
    for column in [c for c in rows.columns if c.endswith("_km") and c not in FRONTLINE_COLUMNS]:
        bottom.plot(dates, rows[column], marker=".", label=column[:-3].replace("_", " ").title())
    bottom.set_ylabel("closest approach (km)")
    bottom.set_ylim(bottom=0)
    bottom.grid(alpha=0.3)
    bottom.legend(loc="best", fontsize="small")
    fig.suptitle(title or "Occupied territory over time (DeepStateMap-style snapshots)")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- helpers


def _features(data: dict) -> list[dict] | None:
    kind = data.get("type")
    if kind == "FeatureCollection":
        feats = data.get("features")
        return [f for f in feats if isinstance(f, dict)] if isinstance(feats, list) else None
    if kind == "Feature":
        return [data]
    if kind in {"Polygon", "MultiPolygon", "GeometryCollection"}:
        return [{"type": "Feature", "properties": {}, "geometry": data}]
    return None


def _flatten(geom: shapely.Geometry) -> shapely.Geometry:
    parts = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) == 7:
            parts.extend(shapely.get_parts(_flatten(part)))
        else:
            parts.append(part)
    return shapely.geometrycollections(parts) if parts else shapely.GeometryCollection()


def _date(path: Path, data: dict, features: list[dict]) -> dt.date | None:
    match = _DATE_IN_NAME.search(path.name)
    if match and path.name.endswith((".geojson", ".json")):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    candidates = [data.get("date")] + [(f.get("properties") or {}).get("date") for f in features]
    for value in candidates:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def _is_grey(path: Path, data: dict, features: list[dict]) -> bool:
    if _GREY.search(path.name):
        return True
    for props in [data.get("properties") or {}] + [f.get("properties") or {} for f in features]:
        for key in ("kind", "status", "name"):
            value = props.get(key) if isinstance(props, dict) else None
            if isinstance(value, str) and _GREY.search(value):
                return True
    return False


@functools.cache
def _work() -> tuple:
    from pyproj import Transformer

    forward = Transformer.from_crs("EPSG:4326", WORK_CRS, always_xy=True)
    inverse = Transformer.from_crs(WORK_CRS, "EPSG:4326", always_xy=True)
    return forward, inverse


def _to_work(geom: shapely.Geometry, inverse: bool = False) -> shapely.Geometry:
    transformer = _work()[1 if inverse else 0]
    return shapely.transform(geom, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1])))


@functools.lru_cache(maxsize=64)
def _front_line(wkb: bytes) -> shapely.Geometry:
    occupied = shapely.from_wkb(wkb)
    ua = _ua_work()
    free = shapely.difference(ua, _to_work(occupied))
    core = shapely.buffer(shapely.buffer(free, -SLIVER_M), SLIVER_M)
    facing = _to_work(shapely.buffer(core, SLIVER_M), inverse=True)
    line = shapely.intersection(shapely.boundary(occupied), facing)
    parts = shapely.get_parts(shapely.line_merge(_lines(line)))
    return shapely.multilinestrings(parts) if len(parts) else shapely.MultiLineString()


@functools.cache
def _ua_work() -> shapely.Geometry:
    from tracker.boundaries import ukraine

    return _to_work(ukraine())


def _lines(geom: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(_flatten(geom))
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    return shapely.multilinestrings(parts) if len(parts) else shapely.MultiLineString()


def _area_km2(geometry: shapely.Geometry) -> float:
    # exteriors counter-clockwise, holes clockwise: Geod sums signed ring areas
    area, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return round(abs(area) / 1e6, 1)


def _border_approach(occupied: shapely.Geometry, line: shapely.Geometry) -> dict:
    from tracker.distance import distance

    crossed = _lines(shapely.intersection(line, occupied))
    free = _lines(shapely.difference(line, occupied))
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
