"""Targets of :func:`tracker.distance.distance` as indexed segments.

A target (``"admin1"``, ``"country"``, ``"border:A/B"``, ``"frontline:FILE"`` or a
Shapely geometry) becomes a :class:`TargetIndex`: its lines cut into segments of at
most ``MAX_SEGMENT_DEG`` (about 2 km), kept in longitude/latitude for the geodesic
measure and projected (``PROJECTION``) for a Shapely ``STRtree`` and the planar
bounds of :mod:`tracker.distance_search`. Indexes are cached per process: named
borders for good, geometries and front-line files (by modification time) in small
LRU caches.
"""

from __future__ import annotations

import collections
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from tracker.errors import BorderError
from tracker.geometry import as_lines

__all__ = ["MAX_SEGMENT_DEG", "PROJECTION", "Target", "TargetIndex", "from_plane",
           "target_index", "to_plane"]

Target = str | shapely.Geometry

#: Lambert conformal conic fitted to Ukraine; used only to *choose* candidates.
PROJECTION = "+proj=lcc +lat_1=45 +lat_2=51 +lat_0=48.5 +lon_0=31.5 +ellps=WGS84 +units=m"
#: Longer segments are split so the slack of the candidate search holds (degrees).
MAX_SEGMENT_DEG = 0.02


@dataclass(frozen=True)
class TargetIndex:
    """Segments of a target, in lon/lat and projected, with an STRtree over them."""

    label: str
    names: np.ndarray  # line names
    segment_line: np.ndarray  # segment -> line number
    a: np.ndarray  # (n, 2) lon/lat of segment starts
    b: np.ndarray  # (n, 2) lon/lat of segment ends
    tree: shapely.STRtree
    plane: np.ndarray  # (5, n) projected start x, y, vector dx, dy, 1 / length² (m)
    #: segment -> it starts exactly where the previous segment ends (a shared vertex)
    follows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    oriented: bool = False  # admin1: name the point's own unit first
    sides: np.ndarray | None = None  # (lines, 2) side names, for ``oriented``
    cells: dict = field(default_factory=dict, compare=False)  # kind of cell -> CellLists

    @property
    def n_segments(self) -> int:
        """How many segments the target has (0 for an empty geometry)."""
        return int(self.a.shape[0])


def target_index(to: Target, name: str | None = None) -> TargetIndex:
    """Resolve a target of :func:`tracker.distance.distance` to its (cached) index.

    Parameters
    ----------
    to : str or shapely.Geometry
        ``"admin1"``, ``"country"``, ``"border:A/B"``, ``"frontline:FILE"`` or a
        geometry in longitude/latitude.
    name : str, optional
        The line name for a geometry or front-line target.

    Returns
    -------
    TargetIndex

    Raises
    ------
    BorderError
        Unknown target or border name; the message lists the valid ones.

    Examples
    --------
    >>> index = target_index("border:Dnipropetrovsk/Donetsk")
    >>> index.label, index.n_segments > 100
    ('Dnipropetrovsk|Donetsk', True)
    """
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
        from tracker.boundaries import border_label, resolve_border

        label = border_label(text.split(":", 1)[1])  # the user's order
        index = _named_index(f"border:{resolve_border(*label.split('|'))}")
        return _relabel(index, label)
    if key.startswith("frontline:"):
        path = Path(text.split(":", 1)[1])
        stamp = path.stat().st_mtime_ns if path.exists() else 0
        return _frontline_index(str(path), stamp, name or "frontline")
    raise BorderError(f"unknown target {to!r}; valid: admin1, country, border:A/B "
                      "(e.g. border:Donetsk/Dnipropetrovsk), frontline:FILE, or a geometry")


@functools.cache
def to_plane() -> Transformer:
    """Longitude/latitude (EPSG:4326) to ``PROJECTION`` metres (cached)."""
    return Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)


@functools.cache
def from_plane() -> Transformer:
    """``PROJECTION`` metres back to longitude/latitude (cached)."""
    return Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)


def _relabel(index: TargetIndex, label: str) -> TargetIndex:
    return TargetIndex(label=label, names=np.array([label], dtype=object),
                       segment_line=index.segment_line, a=index.a, b=index.b, tree=index.tree,
                       plane=index.plane, follows=index.follows, cells=index.cells)


@functools.cache
def _named_index(key: str) -> TargetIndex:
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


_GEOMETRY_CACHE: collections.OrderedDict[tuple[bytes, str], TargetIndex] = (
    collections.OrderedDict())


def _geometry_index(geom: shapely.Geometry, name: str) -> TargetIndex:
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
def _frontline_index(path: str, stamp: int, name: str) -> TargetIndex:
    from tracker.errors import SnapshotError
    from tracker.frontline import front_line, load_snapshot

    snapshot, notes = load_snapshot(path)
    if snapshot is None:
        raise SnapshotError("; ".join(f"{where}: {what}" for where, what in notes))
    return _build_index(name, [name], [front_line(snapshot)])


def _build_index(label: str, names, geoms, *, oriented=False, sides=None) -> TargetIndex:
    starts, ends, owner = [], [], []
    for number, geom in enumerate(geoms):
        geom = shapely.segmentize(as_lines(geom), MAX_SEGMENT_DEG)
        for part in shapely.get_parts(geom):
            coords = shapely.get_coordinates(part)
            if len(coords) == 1:  # a point: a segment of length 0
                coords = np.vstack([coords, coords])
            starts.append(coords[:-1])
            ends.append(coords[1:])
            owner.append(np.full(len(coords) - 1, number))
    a = np.vstack(starts) if starts else np.empty((0, 2))
    b = np.vstack(ends) if ends else np.empty((0, 2))
    transform = to_plane()
    ax, ay = transform.transform(a[:, 0], a[:, 1])
    bx, by = transform.transform(b[:, 0], b[:, 1])
    segments = shapely.linestrings(np.stack([np.column_stack([ax, ay]),
                                             np.column_stack([bx, by])], axis=1))
    follows = np.zeros(len(a), dtype=bool)
    follows[1:] = (a[1:] == b[:-1]).all(axis=1)
    return TargetIndex(label=label, names=np.asarray(names, dtype=object),
                       segment_line=np.concatenate(owner) if owner else np.empty(0, int),
                       a=a, b=b, tree=shapely.STRtree(segments),
                       plane=_plane(ax, ay, bx, by), follows=follows, oriented=oriented,
                       sides=sides)


def _plane(ax, ay, bx, by) -> np.ndarray:
    """Projected segments as columns of five rows: start x, y, vector dx, dy, 1 / length².

    One row per quantity (not one per segment) keeps each gather by segment number
    contiguous, which halves the time of the distance kernel. 1 / length² is 0 for a
    segment of no length.
    """
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    inverse = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
    return np.ascontiguousarray(np.vstack([ax, ay, dx, dy, inverse]))
