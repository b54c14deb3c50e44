"""Geodesic distances to borders and front lines, vectorised over many points.

Every distance here is a *geodesic* on the WGS84 ellipsoid, in kilometres: the
length of the shortest path over the Earth's surface, as pyproj's ``Geod``
(GeographicLib, accurate to nanometres) computes it. A planar distance measured
in a projected CRS is wrong by the projection's scale error, which grows with the
distance from the projection's standard lines: UTM zone 36 stretches lengths by
up to ~0.5 % at Ukraine's western edge (3 zones away), Web Mercator by ~50 % at
48° N. Over Ukraine's 1,300 km that is kilometres, the size of the answers an
analyst cares about ("less than 5 km from the border").

How a distance is found, for N points against a target made of line segments
(split to at most 0.02°, about 2 km):

1. Project points and segments with a Lambert conformal conic fitted to Ukraine
   (standard parallels 45° and 51° N). It is conformal, so its scale factor k only
   depends on latitude; between 38° and 60° N it stays in [0.9986, 1.023]. So a
   planar length lies between ``k_min`` and ``k_max`` times the geodesic length,
   with k's bounds taken over the band of latitudes the path can reach.
2. Candidates, with a Shapely 2 ``STRtree``: the plane is cut into 10 km cells;
   for each cell holding points (once per process, cached), the tree gives the
   segments that can be geodesically nearest to *any* point of the cell: all
   within ``(D + r) * k_max / k_min + r`` of its centre (D: the centre's nearest
   segment, r: the half-diagonal). Per point, NumPy computes planar distances to
   the candidates that can still win and keeps every segment within
   ``d_min * k_max / k_min + 10 m``: the geodesically nearest segment is always
   among them, whatever the projection's distortion did to the planar ranking
   (no single UTM zone gets to choose).
3. On the ellipsoid: for each kept segment, ``Geod.inv`` measures the geodesic to
   the point's closest position on it; the smallest is the answer, with that
   position as the nearest point.

Step 1's segment index lives in :mod:`tracker.distance_index`, steps 2 and 3 in
:mod:`tracker.distance_search`; this module checks the input and names the borders.

Against a dense-sampled brute-force geodesic reference the error stays within a
centimetre up to 300 km (``tests/test_distance.py``, ``benchmarks/distance_speed.py``).

Targets: ``"admin1"`` (the nearest border between two admin-1 units),
``"country"`` (Ukraine's international border), ``"border:A/B"`` (one named
border), ``"frontline:FILE"`` (the front line of an occupied-territory snapshot),
or any Shapely geometry (lines as they are, polygons by their boundary, points).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from tracker.distance_index import PROJECTION, Target, TargetIndex, target_index
from tracker.distance_search import GEOD, nearest
from tracker.errors import ReportError
from tracker.geometry import as_lines
from tracker.models import DISTANCE_COLUMNS

__all__ = ["PROJECTION", "ExtentWarning", "Target", "distance", "read_points",
           "reference_distance"]

#: Where the candidate bound holds (the projection's scale factor within [0.9986, 1.023]).
EXTENT = (12.0, 38.0, 52.0, 60.0)  # lon_min, lat_min, lon_max, lat_max


class ExtentWarning(UserWarning):
    """Some points lie outside the data's extent; their rows are flagged or NaN."""


class PointsError(ReportError):
    """A points CSV that cannot be read; names the file and line."""


def distance(
    latitudes: ArrayLike,
    longitudes: ArrayLike | None = None,
    to: Target = "admin1",
    *,
    name: str | None = None,
    flag: bool = False,
) -> pd.DataFrame:
    """Geodesic distance (km) from each point to the nearest point of a border or line.

    Parameters
    ----------
    latitudes : float, array-like or geopandas.GeoSeries
        WGS84 latitudes, or a GeoSeries of points (then ``longitudes`` is omitted;
        it is converted to EPSG:4326 if it has another CRS).
    longitudes : float or array-like, optional
        WGS84 longitudes.
    to : str or shapely.Geometry, default "admin1"
        ``"admin1"``: the nearest line shared by two admin-1 units (coast is not a
        border), named with the point's own unit first, e.g. ``Donetsk|Dnipropetrovsk``.
        ``"country"``: Ukraine's international border (``Ukraine|Russia``, ...).
        ``"border:A/B"``: one named border, either order (``border:Donetsk/Dnipropetrovsk``,
        ``border:Ukraine/Belarus``). ``"frontline:FILE"``: the front line of an
        occupied-territory GeoJSON snapshot (see :func:`tracker.frontline.front_line`).
        A Shapely geometry in longitude/latitude: its lines, a polygon's boundary, points.
    name : str, optional
        What to put in the ``border`` column for a geometry target (default
        ``"geometry"``; ``"frontline"`` for ``frontline:FILE``).
    flag : bool, default False
        Add a boolean ``outside_extent`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``latitude, longitude, distance_km, border, nearest_latitude,
        nearest_longitude`` (DESIGN.md contract 3), one row per input point in order.
        A NaN input gives a NaN row with an empty ``border``.

    Raises
    ------
    BorderError
        Unknown target or border name; the message lists the valid ones.

    Warns
    -----
    ExtentWarning
        For points outside the data's extent: beyond 38-60° N / 12-52° E the row is
        NaN (the candidate search is not guaranteed there); for ``to="admin1"``, points
        outside the mapped admin-1 units (Ukraine and Russia's six border regions) get
        the distance to the nearest *mapped* border, which may not be theirs.

    Examples
    --------
    Pokrovsk to the Donetsk/Dnipropetrovsk oblast border:

    >>> row = distance(48.28014, 37.17706, to="border:Donetsk/Dnipropetrovsk").iloc[0]
    >>> print(f"{row.distance_km:.1f} km to {row.border} at "
    ...       f"{row.nearest_latitude:.4f}, {row.nearest_longitude:.4f}")
    19.6 km to Donetsk|Dnipropetrovsk at 48.2542, 36.9160

    Vectorised, to the nearest admin-1 border (the point's own unit named first),
    with a point in Russia's Belgorod region and a NaN:

    >>> distance([48.28014, 50.6, float("nan")], [37.17706, 36.6, 30.0])[
    ...     ["distance_km", "border"]].round(1)  # doctest: +NORMALIZE_WHITESPACE
       distance_km                  border
    0         19.6  Donetsk|Dnipropetrovsk
    1         35.4        Belgorod|Kharkiv
    2          NaN

    Ukraine's international border; Warsaw is outside the mapped admin-1 units:

    >>> row = distance(50.6, 36.6, to="country").iloc[0]
    >>> round(float(row.distance_km), 1), row.border
    (35.4, 'Ukraine|Russia')
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     frame = distance(52.23, 21.01, flag=True)
    >>> bool(frame.loc[0, "outside_extent"]), caught[0].category.__name__
    (True, 'ExtentWarning')
    """
    lat, lon = _coordinates(latitudes, longitudes)
    index = target_index(to, name)
    n = lat.shape[0]
    dist = np.full(n, np.nan)
    near_lat = np.full(n, np.nan)
    near_lon = np.full(n, np.nan)
    border = np.full(n, "", dtype=object)
    finite = np.isfinite(lat) & np.isfinite(lon)
    lon_min, lat_min, lon_max, lat_max = EXTENT
    inside = finite & (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)
    outside = finite & ~inside
    if inside.any() and index.n_segments:
        d, qlat, qlon, seg = nearest(index, lat[inside], lon[inside])
        dist[inside], near_lat[inside], near_lon[inside] = d / 1000.0, qlat, qlon
        border[inside] = index.names[index.segment_line[seg]]
        if index.oriented:
            border[inside], unmapped = _orient(index, seg, lat[inside], lon[inside])
            where = np.flatnonzero(inside)[unmapped]
            outside[where] = True
    if outside.any():
        rows = np.flatnonzero(outside)
        sample = ", ".join(f"#{i} ({lat[i]:.4f}, {lon[i]:.4f})" for i in rows[:5])
        warnings.warn(
            f"{len(rows)} point(s) outside the data's extent for to={index.label!r}: {sample}"
            f"{' ...' if len(rows) > 5 else ''}", ExtentWarning, stacklevel=2)
    frame = pd.DataFrame({
        "latitude": lat, "longitude": lon, "distance_km": dist, "border": border,
        "nearest_latitude": near_lat, "nearest_longitude": near_lon,
    }, columns=DISTANCE_COLUMNS)
    if flag:
        frame["outside_extent"] = outside
    return frame


def read_points(path: str | Path) -> pd.DataFrame:
    """Read a CSV of points with ``latitude`` and ``longitude`` columns.

    Parameters
    ----------
    path : str or Path
        UTF-8 CSV with a header row; other columns are kept.

    Returns
    -------
    pandas.DataFrame
        The rows (blank lines skipped), with float ``latitude``/``longitude``
        (empty cells are NaN).

    Raises
    ------
    PointsError
        Missing file or columns, a row with the wrong number of fields, or a value
        that is not a number or out of range; the message names the file and line.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise PointsError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PointsError(f"not a readable UTF-8 CSV ({exc})", path=path) from None
    if not rows:
        raise PointsError("empty file; expected a header row with latitude,longitude",
                          path=path, line=1)
    header = [h.strip() for h in rows[0]]
    columns = {h.casefold(): i for i, h in enumerate(header)}
    missing = [c for c in ("latitude", "longitude") if c not in columns]
    if missing:
        raise PointsError(f"missing column(s) {', '.join(missing)}; found "
                          f"{', '.join(header) or 'none'}", path=path, line=1)
    body = rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header) and any(cell.strip() for cell in row):
            raise PointsError(f"{len(row)} fields, the header has {len(header)}",
                              path=path, line=number)
    body = [row for row in body if any(cell.strip() for cell in row)]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    lines = [n for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    for column, limit in (("latitude", 90.0), ("longitude", 180.0)):
        raw = frame.iloc[:, columns[column]].str.strip()
        values = pd.to_numeric(raw.replace("", np.nan), errors="coerce")
        bad = (values.isna() & raw.ne("")) | values.abs().gt(limit)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise PointsError(f"{column} {raw.iloc[row]!r} is not a number in "
                              f"[-{limit:g}, {limit:g}]", path=path, line=lines[row])
        frame.isetitem(columns[column], values.astype(float))
    frame.columns = [c if c.casefold() not in ("latitude", "longitude") else c.casefold()
                     for c in header]
    return frame


def reference_distance(
    latitudes: ArrayLike, longitudes: ArrayLike, target: shapely.Geometry, *,
    spacing_m: float = 10.0,
) -> np.ndarray:
    """Brute-force geodesic distance (km), the yardstick for :func:`distance`.

    The target is sampled every ``spacing_m`` metres (at most) along its lines and
    the geodesic to every sample is measured with ``Geod.inv``; a spherical
    pre-filter (1 % + 2 km wider than its own minimum, far more than the sphere's
    0.5 % error) only skips samples that cannot be the nearest. No projection and
    no spatial index are involved. The result overestimates by at most half the
    spacing. Slow: for tests and benchmarks.

    Parameters
    ----------
    latitudes, longitudes : array-like of float
        WGS84 decimal degrees.
    target : shapely.Geometry
        Lines (or a polygon's boundary) in longitude/latitude.
    spacing_m : float, default 10
        Sampling step along the target.

    Returns
    -------
    numpy.ndarray
        Distances in km.

    Examples
    --------
    >>> from tracker.boundaries import border
    >>> line = border("Donetsk", "Dnipropetrovsk")
    >>> round(float(reference_distance([48.28014], [37.17706], line)[0]), 2)
    19.6
    """
    lat = np.atleast_1d(np.asarray(latitudes, dtype=float))
    lon = np.atleast_1d(np.asarray(longitudes, dtype=float))
    lines = shapely.segmentize(as_lines(target), spacing_m / 111_320.0 / 2.0)
    samples = shapely.get_coordinates(lines)
    s_lon, s_lat = np.radians(samples[:, 0]), np.radians(samples[:, 1])
    out = np.full(lat.shape, np.nan)
    for i, (p_lat, p_lon) in enumerate(zip(lat, lon, strict=True)):
        if not (np.isfinite(p_lat) and np.isfinite(p_lon)):
            continue
        rad_lat, rad_lon = np.radians(p_lat), np.radians(p_lon)
        hav = (np.sin((s_lat - rad_lat) / 2) ** 2 + np.cos(rad_lat) * np.cos(s_lat)
               * np.sin((s_lon - rad_lon) / 2) ** 2)
        sphere = 2 * 6_371_008.8 * np.arcsin(np.sqrt(np.clip(hav, 0, 1)))
        near = sphere <= sphere.min() * 1.01 + 2000.0
        _, _, d = GEOD.inv(np.full(near.sum(), p_lon), np.full(near.sum(), p_lat),
                           samples[near, 0], samples[near, 1])
        out[i] = d.min() / 1000.0
    return out



# --------------------------------------------------------------------------- helpers


def _orient(index: TargetIndex, seg: np.ndarray, lat: np.ndarray, lon: np.ndarray):
    """Name each admin-1 border with the point's own unit first; flag unmapped points.

    A point is nearly always in one of the two units of its nearest border, so those
    two polygons are tested first; only the rest go through :func:`admin1_at`.
    """
    from tracker.boundaries import admin1_at, unit_polygon

    line = index.segment_line[seg]
    side = np.full(lat.shape, -1)  # 0: side_a, 1: side_b, -1: neither
    order = np.argsort(line, kind="stable")
    numbers, starts = np.unique(line[order], return_index=True)
    for number, rows in zip(numbers, np.split(order, starts[1:]), strict=True):
        for column in (0, 1):
            rows = rows[side[rows] < 0]
            polygon = unit_polygon(index.sides[number, column])
            side[rows[shapely.intersects_xy(polygon, lon[rows], lat[rows])]] = column
    own = index.sides[line, np.maximum(side, 0)]
    rest = np.flatnonzero(side < 0)
    if rest.size:
        own[rest] = admin1_at(lat[rest], lon[rest])
    # both orders of every line's name, picked per point (no per-point f-strings)
    table = np.array([name for a, b in index.sides for name in (f"{a}|{b}", f"{b}|{a}")],
                     dtype=object)
    swap = own == index.sides[line, 1]
    return table[line * 2 + swap], own == ""


def _coordinates(latitudes, longitudes):
    if longitudes is None:
        series = latitudes
        crs = getattr(series, "crs", None)
        if crs is not None and crs.to_epsg() != 4326:
            series = series.to_crs(4326)
        geoms = np.asarray(getattr(series, "values", series), dtype=object)
        geoms = np.atleast_1d(geoms)
        missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        lon = np.where(missing, np.nan, shapely.get_x(np.where(missing, None, geoms)))
        lat = np.where(missing, np.nan, shapely.get_y(np.where(missing, None, geoms)))
        return lat.astype(float), lon.astype(float)
    lat = np.atleast_1d(np.asarray(latitudes, dtype=float))
    lon = np.atleast_1d(np.asarray(longitudes, dtype=float))
    if lat.shape != lon.shape:
        raise ValueError(f"{lat.shape[0]} latitudes but {lon.shape[0]} longitudes")
    return lat.ravel(), lon.ravel()
