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

Against a dense-sampled brute-force geodesic reference the error stays within a
centimetre up to 300 km (``tests/test_distance.py``, ``benchmarks/distance_speed.py``).

Targets: ``"admin1"`` (the nearest border between two admin-1 units),
``"country"`` (Ukraine's international border), ``"border:A/B"`` (one named
border), ``"frontline:FILE"`` (the front line of an occupied-territory snapshot),
or any Shapely geometry (lines as they are, polygons by their boundary, points).
"""

from __future__ import annotations

import collections
import csv
import functools
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike
from pyproj import Geod, Transformer

from tracker.errors import BorderError, ReportError
from tracker.models import DISTANCE_COLUMNS

__all__ = ["ExtentWarning", "distance", "read_points", "reference_distance"]

Target = str | shapely.Geometry

GEOD = Geod(ellps="WGS84")
#: Lambert conformal conic fitted to Ukraine; used only to *choose* candidates.
PROJECTION = "+proj=lcc +lat_1=45 +lat_2=51 +lat_0=48.5 +lon_0=31.5 +ellps=WGS84 +units=m"
#: Where the candidate bound below holds (scale factor within [0.9986, 1.023]).
EXTENT = (12.0, 38.0, 52.0, 60.0)  # lon_min, lat_min, lon_max, lat_max
#: Absolute slack (m) for the difference between a segment drawn straight in
#: longitude/latitude and straight in the projection (segments are <= ~2 km, so the
#: two differ by well under a metre).
SLACK_M = 10.0
#: Longer segments are split so the slack above holds (degrees).
MAX_SEGMENT_DEG = 0.02
#: Side (m) of the plane's cells that share one candidate list.
CELL_M = 10_000.0
#: Coarse cells (COARSE x COARSE cells) get their lists from the STRtree; cells filter them.
COARSE = 2
#: Points handled at once (bounds the memory of the candidate pairs).
CHUNK = 50_000
_HALF32 = 1 << 31  # cell keys: column << 32 | (row + 2**31)
_KEY = 1e8  # sort key stride per cell (m): larger than any candidate distance
#: Candidates per cell (nearest to its centre) giving each point's first upper bound.
HEAD = 4


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
    index = _target_index(to, name)
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
        d, qlat, qlon, seg = _nearest(index, lat[inside], lon[inside])
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
    lines = shapely.segmentize(_as_lines(target), spacing_m / 111_320.0 / 2.0)
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


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class _Index:
    """Segments of a target, in lon/lat and projected, with an STRtree over them."""

    label: str
    names: np.ndarray  # line names
    segment_line: np.ndarray  # segment -> line number
    a: np.ndarray  # (n, 2) lon/lat of segment starts
    b: np.ndarray  # (n, 2) lon/lat of segment ends
    tree: shapely.STRtree
    plane: np.ndarray  # (n, 5) projected start x, y, vector dx, dy, 1 / length² (m)
    oriented: bool = False  # admin1: name the point's own unit first
    sides: np.ndarray | None = None  # (lines, 2) side names, for ``oriented``
    cells: dict = field(default_factory=dict, compare=False)  # cell key -> candidates

    @property
    def n_segments(self) -> int:
        return int(self.a.shape[0])


@functools.cache
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)


def _build_index(label: str, names, geoms, *, oriented=False, sides=None) -> _Index:
    starts, ends, owner = [], [], []
    for number, geom in enumerate(geoms):
        geom = shapely.segmentize(_as_lines(geom), MAX_SEGMENT_DEG)
        for part in shapely.get_parts(geom):
            coords = shapely.get_coordinates(part)
            if len(coords) == 1:  # a point: a segment of length 0
                coords = np.vstack([coords, coords])
            starts.append(coords[:-1])
            ends.append(coords[1:])
            owner.append(np.full(len(coords) - 1, number))
    a = np.vstack(starts) if starts else np.empty((0, 2))
    b = np.vstack(ends) if ends else np.empty((0, 2))
    transform = _transformer()
    ax, ay = transform.transform(a[:, 0], a[:, 1])
    bx, by = transform.transform(b[:, 0], b[:, 1])
    segments = shapely.linestrings(np.stack([np.column_stack([ax, ay]),
                                             np.column_stack([bx, by])], axis=1))
    return _Index(label=label, names=np.asarray(names, dtype=object),
                  segment_line=np.concatenate(owner) if owner else np.empty(0, int),
                  a=a, b=b, tree=shapely.STRtree(segments), plane=_plane(ax, ay, bx, by),
                  oriented=oriented, sides=sides)


def _as_lines(geom: shapely.Geometry) -> shapely.Geometry:
    """Lines as they are, polygons by their boundary, points as points."""
    parts = shapely.get_parts(geom)
    out = []
    for part in parts:
        kind = shapely.get_type_id(part)
        if kind == 3:  # Polygon
            out.extend(shapely.get_parts(shapely.boundary(part)))
        elif kind == 7:  # nested collection
            out.extend(shapely.get_parts(_as_lines(part)))
        elif not part.is_empty:
            out.append(part)
    return shapely.geometrycollections(out) if out else shapely.GeometryCollection()


def _target_index(to: Target, name: str | None) -> _Index:
    if isinstance(to, shapely.Geometry):
        return _geometry_index(to, name or "geometry")
    if not isinstance(to, str):
        raise BorderError(f"target {to!r} is neither a name nor a shapely geometry; "
                          "valid: admin1, country, border:A/B, frontline:FILE")
    text = to.strip()
    key = text.casefold()
    if key == "admin1":
        return _named_index("admin1")
    if key == "country":
        return _named_index("country")
    if key.startswith("border:"):
        from tracker.boundaries import resolve_border

        pair = text.split(":", 1)[1].replace("|", "/")
        if pair.count("/") != 1:
            resolve_border(pair, "")  # raises with the list of valid borders
        first, second = (p.strip() for p in pair.split("/"))
        canonical = resolve_border(first, second)
        index = _named_index(f"border:{canonical}")
        label = f"{first}|{second}"
        if label.casefold() != canonical.casefold():  # keep the user's order
            canonical_sides = canonical.split("|")
            ordered = sorted(canonical_sides, key=lambda s: s.casefold() != first.casefold())
            label = "|".join(ordered)
        return _relabel(index, label)
    if key.startswith("frontline:"):
        path = Path(text.split(":", 1)[1])
        stamp = path.stat().st_mtime_ns if path.exists() else 0
        return _frontline_index(str(path), stamp, name or "frontline")
    raise BorderError(f"unknown target {to!r}; valid: admin1, country, border:A/B "
                      "(e.g. border:Donetsk/Dnipropetrovsk), frontline:FILE, or a geometry")


def _relabel(index: _Index, label: str) -> _Index:
    return _Index(label=label, names=np.array([label], dtype=object),
                  segment_line=index.segment_line, a=index.a, b=index.b, tree=index.tree,
                  plane=index.plane, cells=index.cells)


@functools.cache
def _named_index(key: str) -> _Index:
    from tracker.boundaries import border_lines, resolve_border

    lines = border_lines()
    if key == "admin1":
        lines = lines[lines["kind"] == "admin1"]
        sides = lines[["side_a", "side_b"]].to_numpy(dtype=object)
        return _build_index("admin1", lines["border"], lines.geometry, oriented=True,
                            sides=sides)
    if key == "country":
        lines = lines[lines["kind"] == "international"]
        return _build_index("country", lines["border"], lines.geometry)
    canonical = resolve_border(*key.split(":", 1)[1].split("|"))
    lines = lines[lines["border"] == canonical]
    return _build_index(canonical, lines["border"], lines.geometry)


_GEOMETRY_CACHE: collections.OrderedDict[tuple[bytes, str], _Index] = collections.OrderedDict()


def _geometry_index(geom: shapely.Geometry, name: str) -> _Index:
    key = (shapely.to_wkb(geom), name)
    if key in _GEOMETRY_CACHE:
        _GEOMETRY_CACHE.move_to_end(key)
        return _GEOMETRY_CACHE[key]
    index = _build_index(name, [name], [geom])
    _GEOMETRY_CACHE[key] = index
    if len(_GEOMETRY_CACHE) > 16:
        _GEOMETRY_CACHE.popitem(last=False)
    return index


@functools.lru_cache(maxsize=16)
def _frontline_index(path: str, stamp: int, name: str) -> _Index:
    from tracker.errors import SnapshotError
    from tracker.frontline import front_line, load_snapshot

    snapshot, notes = load_snapshot(path)
    if snapshot is None:
        raise SnapshotError("; ".join(f"{where}: {what}" for where, what in notes))
    return _build_index(name, [name], [front_line(snapshot)])


# --------------------------------------------------------------------------- the search


def _nearest(index: _Index, lat: np.ndarray, lon: np.ndarray):
    """Geodesic distance (m), nearest point and segment for each point.

    Points are handled in chunks, in order of their cell of the plane (neighbours
    share candidates, which keeps the gathers local), and returned in input order.
    """
    n = lat.shape[0]
    x, y = _transformer().transform(lon, lat)
    order = np.argsort((np.floor(x / CELL_M).astype(np.int64) << 32)
                       + np.floor(y / CELL_M).astype(np.int64), kind="stable")
    d, qlat, qlon = np.empty(n), np.empty(n), np.empty(n)
    seg = np.empty(n, dtype=np.int64)
    for start in range(0, n, CHUNK):
        rows = order[start:start + CHUNK]
        d[rows], qlat[rows], qlon[rows], seg[rows] = _nearest_chunk(
            index, lat[rows], lon[rows], x[rows], y[rows])
    return d, qlat, qlon, seg


def _nearest_chunk(index: _Index, lat, lon, x, y):
    # 1. the plane's cells hold candidate segments sorted by distance to the centre
    col, row = np.floor(x / CELL_M).astype(np.int64), np.floor(y / CELL_M).astype(np.int64)
    cells, which = np.unique((col << 32) + (row + _HALF32), return_inverse=True)
    flat, dist_c, cell_start, cell_count = _cell_candidates(index, cells)
    start, count = cell_start[which], cell_count[which]
    offset = np.hypot(x - (col + 0.5) * CELL_M, y - (row + 0.5) * CELL_M)
    # 2. an upper bound of each point's planar distance from its cell's first candidates
    head = np.minimum(count, HEAD)
    hp, hs = _expand(start, head, flat)
    h_planar, h_t = _point_segment(x[hp], y[hp], index.plane[hs])
    upper = np.minimum.reduceat(h_planar, np.cumsum(head) - head)
    # 3. the other candidates whose distance to the centre leaves them a chance (sorted,
    #    so one searchsorted per point): d(p, s) >= d(centre, s) - |p - centre|
    bound = upper * _scale_ratio(lat, upper) + SLACK_M + offset
    keys = np.repeat(np.arange(cells.size, dtype=float), cell_count) * _KEY + dist_c
    end = np.minimum(np.searchsorted(keys, which * _KEY + bound, side="right"), start + count)
    more = np.maximum(end - start - head, 0)
    mp, ms = _expand(start + head, more, flat)
    m_planar, m_t = _point_segment(x[mp], y[mp], index.plane[ms])
    least = upper.copy()
    if mp.size:
        np.minimum.at(least, mp, m_planar)
    # 4. the scale bound: keep what can be geodesically nearest, measure on the ellipsoid
    limit = least * _scale_ratio(lat, least) + SLACK_M
    h_keep, m_keep = h_planar <= limit[hp], m_planar <= limit[mp]
    p = np.concatenate([hp[h_keep], mp[m_keep]])
    s = np.concatenate([hs[h_keep], ms[m_keep]])
    t = np.concatenate([h_t[h_keep], m_t[m_keep]])
    a, b = index.a[s], index.b[s]
    qlon = a[:, 0] + t * (b[:, 0] - a[:, 0])
    qlat = a[:, 1] + t * (b[:, 1] - a[:, 1])
    # two segments meeting at the nearest vertex give the same point: measure it once
    order = np.lexsort((qlat, qlon, p))
    unique = np.ones(order.size, dtype=bool)
    unique[1:] = ((p[order][1:] != p[order][:-1]) | (qlon[order][1:] != qlon[order][:-1])
                  | (qlat[order][1:] != qlat[order][:-1]))
    keep = order[unique]
    p, s, qlon, qlat = p[keep], s[keep], qlon[keep], qlat[keep]
    _, _, d = GEOD.inv(lon[p], lat[p], qlon, qlat)
    order = np.lexsort((d, p))
    best = order[np.unique(p[order], return_index=True)[1]]
    return d[best], qlat[best], qlon[best], s[best]


def _expand(start: np.ndarray, count: np.ndarray, flat: np.ndarray | None = None):
    """(point, candidate) pairs: for point i, positions start[i] .. start[i] + count[i]."""
    point = np.repeat(np.arange(start.size), count)
    first = np.cumsum(count) - count
    position = np.arange(count.sum()) - np.repeat(first, count) + np.repeat(start, count)
    return point, (position if flat is None else flat[position])


def _cell_candidates(index: _Index, cells: np.ndarray):
    """For each cell, the segments that can be geodesically nearest to a point in it.

    With D the planar distance from the cell's centre to the nearest segment and r the
    cell's half-diagonal, any point of the cell has a segment within D + r, so its
    geodesically nearest segment is within (D + r) * k_max / k_min of it, hence within
    that plus r of the centre. The lists are filtered from those of coarse cells
    (``COARSE`` x ``COARSE`` cells, the same rule, from the STRtree), which hold every
    segment any of their cells can need. Returned sorted by planar distance to the
    centre: flat segment numbers, their distances, and each cell's start and count.
    """
    missing = np.array([c for c in cells.tolist() if c not in index.cells], dtype=np.int64)
    if missing.size:
        col, row = missing >> 32, (missing & 0xFFFFFFFF) - _HALF32
        coarse = ((col // COARSE) << 32) + (row // COARSE + _HALF32)
        flat, _, start, count = _tree_cells(index, coarse, CELL_M * COARSE)
        cx, cy = (col + 0.5) * CELL_M, (row + 0.5) * CELL_M
        cell_idx, seg_idx = _expand(start, count, flat)
        dist = _point_segment(cx[cell_idx], cy[cell_idx], index.plane[seg_idx])[0]
        nearest = np.minimum.reduceat(dist, np.cumsum(count) - count)
        keep = dist <= _reach(nearest, cx, cy, CELL_M)[cell_idx]
        _store(index.cells, missing, cell_idx[keep], seg_idx[keep], dist[keep])
    return _gather(index.cells, cells)


def _tree_cells(index: _Index, keys: np.ndarray, size: float):
    """Candidate lists of cells of side ``size`` from the STRtree (cached on the index)."""
    cache = index.cells.setdefault(("tree", size), {})
    unique = np.unique(keys)
    missing = np.array([c for c in unique.tolist() if c not in cache], dtype=np.int64)
    if missing.size:
        cx = ((missing >> 32) + 0.5) * size
        cy = ((missing & 0xFFFFFFFF) - _HALF32 + 0.5) * size
        centres = shapely.points(cx, cy)
        _, nearest = index.tree.query_nearest(centres, return_distance=True, all_matches=False)
        cell_idx, seg_idx = index.tree.query(centres, predicate="dwithin",
                                             distance=_reach(nearest, cx, cy, size))
        dist = _point_segment(cx[cell_idx], cy[cell_idx], index.plane[seg_idx])[0]
        _store(cache, missing, cell_idx, seg_idx, dist)
    return _gather(cache, keys)


def _reach(nearest: np.ndarray, cx: np.ndarray, cy: np.ndarray, size: float) -> np.ndarray:
    """How far from a cell's centre a segment can still be nearest to one of its points."""
    half = size * np.sqrt(0.5)
    clat = _inverse_transformer().transform(cx, cy)[1]
    return (nearest + half) * _scale_ratio(clat, nearest + 3 * half) + half + SLACK_M


def _store(cache: dict, keys: np.ndarray, cell_idx, seg_idx, dist) -> None:
    order = np.lexsort((dist, cell_idx))
    cell_idx, seg_idx, dist = cell_idx[order], seg_idx[order], dist[order]
    bounds = np.searchsorted(cell_idx, np.arange(keys.size + 1))
    for i, key in enumerate(keys.tolist()):
        part = slice(bounds[i], bounds[i + 1])
        cache[key] = (seg_idx[part], dist[part])


def _gather(cache: dict, keys: np.ndarray):
    parts = [cache[c] for c in keys.tolist()]
    count = np.fromiter((p[0].size for p in parts), dtype=np.int64, count=len(parts))
    start = np.cumsum(count) - count
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            start, count)


def _point_segment(px, py, plane):
    """Planar distance from points to segments (pairwise), and the position t on each.

    ``plane`` holds the segments' rows of :func:`_plane`.
    """
    ex, ey = px - plane[:, 0], py - plane[:, 1]
    t = (ex * plane[:, 2] + ey * plane[:, 3]) * plane[:, 4]
    np.clip(t, 0.0, 1.0, out=t)
    ex -= t * plane[:, 2]
    ey -= t * plane[:, 3]
    return np.sqrt(ex * ex + ey * ey), t


def _plane(ax, ay, bx, by) -> np.ndarray:
    """Projected segments as rows: start x, y, vector dx, dy, and 1 / length² (0 if none)."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    inverse = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
    return np.ascontiguousarray(np.column_stack([ax, ay, dx, dy, inverse]))


@functools.cache
def _inverse_transformer() -> Transformer:
    return Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)


def _scale_ratio(lat: np.ndarray, planar: np.ndarray) -> np.ndarray:
    """Upper bound of k_max / k_min over the latitudes a path of length ``planar`` can reach.

    The projection is conformal, so its scale factor k depends on latitude only (with
    one minimum between the standard parallels); a path from the point to any segment
    within ``planar`` metres stays in the band ``lat +- planar / 110 km``.
    """
    table_lat, table_k = _scale_table()
    reach = planar / 110_000.0 * 1.05 + 0.01
    low, high = np.clip(lat - reach, -89.0, 89.0), np.clip(lat + reach, -89.0, 89.0)
    k_low, k_high = np.interp(low, table_lat, table_k), np.interp(high, table_lat, table_k)
    k_bottom = table_lat[np.argmin(table_k)]
    k_min = np.interp(np.clip(k_bottom, low, high), table_lat, table_k)
    # 1e-4 covers the interpolation error of the 0.05 degree table
    return np.maximum(k_low, k_high) / k_min + 1e-4


@functools.cache
def _scale_table() -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Proj

    lats = np.arange(-89.0, 89.0001, 0.05)
    factors = Proj(PROJECTION).get_factors(np.full_like(lats, 31.5), lats)
    return lats, np.asarray(factors.parallel_scale)


def _orient(index: _Index, seg: np.ndarray, lat: np.ndarray, lon: np.ndarray):
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
