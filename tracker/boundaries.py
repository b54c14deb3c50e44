"""Admin-1 polygons, the border lines between them, and point-in-oblast.

Everything comes from the bundled Natural Earth 10m data (``data/admin1.geojson``:
Ukraine's 27 admin-1 units and Russia's six regions on Ukraine's border;
``data/neighbours.geojson``: the admin-0 outlines of Belarus, Poland, Slovakia,
Hungary, Romania and Moldova), in WGS84 longitude/latitude (EPSG:4326).

A *border line* is the stretch of boundary two units share: ``Donetsk|Dnipropetrovsk``
(kind ``admin1``) or ``Ukraine|Russia`` (kind ``international``). Coastline is never a
border: it is the part of an outline that no other unit shares. The lines are
derived from the polygons once per process and cached.
"""

from __future__ import annotations

import difflib
import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from tracker.errors import BorderError
from tracker.geometry import lines_only
from tracker.resources import data_path

__all__ = ["admin1", "admin1_at", "border", "border_label", "border_lines", "border_names",
           "resolve_border", "ukraine", "unit_polygon"]

#: How far (degrees, ~1 m) a boundary may stray from its neighbour's and still count as
#: shared. Natural Earth's admin-1 edges are shared vertex for vertex and the build snaps
#: them to a 1e-6 degree grid, but Ukraine's outline (a union of 27 units) and the
#: neighbours' admin-0 outlines come from different source files and different GEOS
#: operations, so an exact ``intersection`` can lose stretches to last-bit differences.
#: 1 m catches those while taking at most ~1 m of coast at each end of a border.
SHARED_TOLERANCE_DEG = 1e-5

COUNTRY_NAMES = {
    "UA": "Ukraine", "RU": "Russia", "BY": "Belarus", "PL": "Poland", "SK": "Slovakia",
    "HU": "Hungary", "RO": "Romania", "MD": "Moldova",
}


def admin1_at(latitudes: ArrayLike, longitudes: ArrayLike) -> np.ndarray | str:
    """Name the admin-1 unit each point lies in (vectorised, STRtree).

    Parameters
    ----------
    latitudes, longitudes : float or array-like of float
        WGS84 decimal degrees. NaN gives ``""``.

    Returns
    -------
    numpy.ndarray of str, or str for scalar input
        The ``admin1`` name (e.g. ``"Donetsk"``, ``"Belgorod"``), or ``""`` for a point
        outside every unit in the data (the sea, Poland, ...). A point exactly on a
        shared border gets one of the two names.

    Examples
    --------
    >>> admin1_at(48.28014, 37.17706)
    'Donetsk'
    >>> admin1_at([50.45, 50.6, 52.23, float("nan")], [30.52, 36.6, 21.01, 30.0]).tolist()
    ['Kyiv City', 'Belgorod', '', '']
    """
    lat = np.asarray(latitudes, dtype=float)
    lon = np.asarray(longitudes, dtype=float)
    scalar = lat.ndim == 0 and lon.ndim == 0
    lat, lon = np.broadcast_arrays(np.atleast_1d(lat), np.atleast_1d(lon))
    out = np.full(lat.shape, "", dtype=object)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.any():
        frame = _admin1()
        x, y = lon[ok], lat[ok]
        # bounding-box candidates from the STRtree, then the exact test per polygon
        # (prepared, so each costs ~log(vertices)); first unit wins on a shared edge
        point_idx, poly_idx = _admin1_tree().query(shapely.points(x, y))
        names = np.full(x.shape, "", dtype=object)
        for poly in np.unique(poly_idx):
            cand = point_idx[poly_idx == poly]
            cand = cand[names[cand] == ""]
            geom = frame.geometry.iloc[poly]
            shapely.prepare(geom)
            hit = cand[shapely.intersects_xy(geom, x[cand], y[cand])]
            names[hit] = frame["admin1"].iloc[poly]
        out[ok] = names
    return str(out[0]) if scalar else out


def admin1() -> gpd.GeoDataFrame:
    """Return the admin-1 polygons (cached; a copy, so callers may modify it).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``admin1``, ``country`` (``UA``/``RU``), ``russian_claim``
        (``claimed_2022``, ``annexed_2014`` or ``""``), ``gn_a1_code``, ``geometry``;
        CRS EPSG:4326. Ukraine's 27 units first, then Russia's six border regions.

    Examples
    --------
    >>> frame = admin1()
    >>> len(frame), frame.crs.to_epsg()
    (33, 4326)
    >>> frame.set_index("admin1").loc["Donetsk", "russian_claim"]
    'claimed_2022'
    """
    return _admin1().copy()


def border_lines() -> gpd.GeoDataFrame:
    """Return every border line in the data (cached; a copy).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per border: ``border`` (``"A|B"``), ``kind`` (``"admin1"`` for two
        admin-1 units, at least one of them Ukrainian; ``"international"`` for
        Ukraine against a neighbouring country), ``side_a``, ``side_b`` and a line
        ``geometry`` (EPSG:4326). Coastline appears in no row.

    Examples
    --------
    >>> lines = border_lines()
    >>> sorted(lines.loc[lines["kind"] == "international", "border"])
    ['Ukraine|Belarus', 'Ukraine|Hungary', 'Ukraine|Moldova', 'Ukraine|Poland', \
'Ukraine|Romania', 'Ukraine|Russia', 'Ukraine|Slovakia']
    >>> "Dnipropetrovsk|Donetsk" in set(lines["border"])
    True
    """
    return _border_lines().copy()


def border(a: str, b: str) -> shapely.Geometry:
    """Return the line two units share, by name, in either order.

    Parameters
    ----------
    a, b : str
        Admin-1 names (``Donetsk``, ``Dnipropetrovsk``) or, for the international
        border, ``Ukraine`` and a neighbouring country (``Russia``, ``Belarus``...).
        Case and surrounding spaces are ignored.

    Returns
    -------
    shapely.LineString or shapely.MultiLineString
        In WGS84 longitude/latitude.

    Raises
    ------
    BorderError
        If the two units share no border; the message lists the valid borders.

    Examples
    --------
    >>> border("Donetsk", "Dnipropetrovsk").geom_type
    'LineString'
    >>> border("Kyiv", "Donetsk")
    Traceback (most recent call last):
    ...
    tracker.errors.BorderError: no border 'Kyiv/Donetsk': the two units do not touch; ...
    >>> border("Donetks", "Dnipropetrovsk")
    Traceback (most recent call last):
    ...
    tracker.errors.BorderError: no border ...: unknown unit 'Donetks' (did you mean Donetsk?); ...
    """
    return _border_lookup()[_border_key(resolve_border(a, b))]


def resolve_border(a: str, b: str) -> str:
    """Return the canonical ``"A|B"`` name of the border between ``a`` and ``b``.

    Parameters
    ----------
    a, b : str
        Unit names in any order and case.

    Returns
    -------
    str
        The name as :func:`border_lines` spells it.

    Raises
    ------
    BorderError
        If there is no such border; the message suggests close names and lists all.

    Examples
    --------
    >>> resolve_border("donetsk", "Dnipropetrovsk")
    'Dnipropetrovsk|Donetsk'
    >>> resolve_border("Russia", "Ukraine")
    'Ukraine|Russia'
    """
    key = _border_key(f"{a}|{b}")
    lookup = _border_names_by_key()
    if key in lookup:
        return lookup[key]
    names = border_names()
    wanted = f"{a.strip()}/{b.strip()}"
    listing = ", ".join(n.replace("|", "/") for n in names)
    units = sorted({side for name in names for side in name.split("|")})
    folded = {u.casefold(): u for u in units}
    unknown = [s.strip() for s in (a, b) if s.strip().casefold() not in folded]
    if unknown:
        hints = []
        for side in unknown:
            close = difflib.get_close_matches(side, units, n=3, cutoff=0.6)
            hints.append(f"unknown unit {side!r}" + (f" (did you mean {', '.join(close)}?)"
                                                      if close else ""))
        raise BorderError(f"no border {wanted!r}: {'; '.join(hints)}; valid borders: {listing}")
    own = [f"{folded[s.strip().casefold()]}: " + ", ".join(
        n.replace("|", "/") for n in names if folded[s.strip().casefold()] in n.split("|"))
        for s in (a, b)]
    raise BorderError(f"no border {wanted!r}: the two units do not touch; their borders are "
                      f"{'; '.join(own)}")


def border_label(pair: str) -> str:
    """Name a border given as ``"A/B"`` (or ``"A|B"``): canonical spellings, the order given.

    Parameters
    ----------
    pair : str
        Two unit names joined by ``/`` or ``|``, in any order and case.

    Returns
    -------
    str
        ``"A|B"`` spelled as :func:`border_lines` spells its units, ``A`` first.

    Raises
    ------
    BorderError
        If ``pair`` does not name two units that share a border (see :func:`resolve_border`).

    Examples
    --------
    >>> border_label("donetsk/dnipropetrovsk")
    'Donetsk|Dnipropetrovsk'
    >>> border_label("Russia|Ukraine")
    'Russia|Ukraine'
    """
    text = pair.replace("|", "/")
    if text.count("/") != 1:
        resolve_border(text, "")  # raises with the list of valid borders
    first, second = (side.strip() for side in text.split("/"))
    sides = resolve_border(first, second).split("|")
    if sides[0].casefold() != first.casefold():
        sides.reverse()
    return "|".join(sides)


def border_names(kind: str | None = None) -> list[str]:
    """List the border names (``"A|B"``), sorted, optionally of one ``kind``.

    Examples
    --------
    >>> border_names("international")[:2]
    ['Ukraine|Belarus', 'Ukraine|Hungary']
    """
    lines = _border_lines()
    if kind is not None:
        lines = lines[lines["kind"] == kind]
    return sorted(lines["border"])


def unit_polygon(name: str) -> shapely.Geometry:
    """Return one admin-1 unit's polygon, prepared for fast point tests (cached).

    Examples
    --------
    >>> unit_polygon("Donetsk").contains(shapely.Point(37.17706, 48.28014))
    True
    """
    return _unit_polygons()[name]


def ukraine() -> shapely.Geometry:
    """Return Ukraine's outline: the union of its 27 admin-1 units (cached).

    Examples
    --------
    >>> round(ukraine().bounds[0], 1), round(ukraine().bounds[2], 1)
    (22.1, 40.2)
    """
    return _ukraine()


# --------------------------------------------------------------------------- helpers


@functools.cache
def _admin1() -> gpd.GeoDataFrame:
    frame = gpd.read_file(data_path("admin1.geojson"))
    frame = frame[["admin1", "country", "russian_claim", "gn_a1_code", "geometry"]]
    return frame.set_crs(4326, allow_override=True).reset_index(drop=True)


@functools.cache
def _unit_polygons() -> dict[str, shapely.Geometry]:
    frame = _admin1()
    polygons = dict(zip(frame["admin1"], frame.geometry, strict=True))
    shapely.prepare(list(polygons.values()))
    return polygons


@functools.cache
def _admin1_tree() -> shapely.STRtree:
    return shapely.STRtree(_admin1().geometry.to_numpy())


@functools.cache
def _neighbours() -> gpd.GeoDataFrame:
    return gpd.read_file(data_path("neighbours.geojson")).set_crs(4326, allow_override=True)


@functools.cache
def _ukraine() -> shapely.Geometry:
    frame = _admin1()
    return shapely.union_all(frame.loc[frame["country"] == "UA", "geometry"].to_numpy())


def _shared(line: shapely.Geometry, other: shapely.Geometry) -> shapely.Geometry:
    """Return the part of ``line`` lying on ``other``'s boundary (within the tolerance)."""
    part = shapely.intersection(line, shapely.buffer(other, SHARED_TOLERANCE_DEG))
    part = shapely.line_merge(lines_only(part))
    return part


@functools.cache
def _border_lines() -> gpd.GeoDataFrame:
    frame = _admin1()
    geoms = frame.geometry.to_numpy()
    names = frame["admin1"].to_numpy()
    countries = frame["country"].to_numpy()
    boundaries = shapely.boundary(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    rows = []
    for i, j in zip(left, right, strict=True):
        if i >= j or (countries[i] != "UA" and countries[j] != "UA"):
            continue
        line = _shared(boundaries[i], geoms[j])
        if line.is_empty or shapely.length(line) < 10 * SHARED_TOLERANCE_DEG:
            continue  # touching at a corner only
        rows.append((f"{names[i]}|{names[j]}", "admin1", names[i], names[j], line))
    outline = shapely.boundary(_ukraine())
    others = [("Russia", shapely.union_all(geoms[countries == "RU"]))]
    others += [(COUNTRY_NAMES[c], g) for c, g in zip(
        _neighbours()["country"], _neighbours().geometry, strict=True)]
    for name, geom in others:
        line = _shared(outline, geom)
        if not line.is_empty:
            rows.append((f"Ukraine|{name}", "international", "Ukraine", name, line))
    lines = pd.DataFrame(rows, columns=["border", "kind", "side_a", "side_b", "geometry"])
    return gpd.GeoDataFrame(lines, geometry="geometry", crs=4326)


def _border_key(name: str) -> frozenset[str]:
    return frozenset(part.strip().casefold() for part in name.replace("/", "|").split("|"))


@functools.cache
def _border_names_by_key() -> dict[frozenset[str], str]:
    return {_border_key(name): name for name in _border_lines()["border"]}


@functools.cache
def _border_lookup() -> dict[frozenset[str], shapely.Geometry]:
    lines = _border_lines()
    return {_border_key(n): g for n, g in zip(lines["border"], lines.geometry, strict=True)}
