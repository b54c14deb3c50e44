"""The nearest segment of a :class:`~tracker.distance_index.TargetIndex`, geodesically.

Steps 2 and 3 of :mod:`tracker.distance`: candidates from 10 km cells of the plane
(lists cached on the index, filtered from coarse STRtree lists), per-point planar
bounds widened by the projection's scale ratio, then ``Geod.inv`` on the ellipsoid
for every segment that can still be the nearest.
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from pyproj import Geod

from tracker.distance_index import PROJECTION, TargetIndex, from_plane, to_plane

__all__ = ["GEOD", "nearest"]

GEOD = Geod(ellps="WGS84")
#: Absolute slack (m) for the difference between a segment drawn straight in
#: longitude/latitude and straight in the projection (segments are <= ~2 km, so the
#: two differ by well under a metre).
SLACK_M = 10.0
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


def nearest(index: TargetIndex, lat: np.ndarray, lon: np.ndarray):
    """Geodesic distance (m), nearest point and segment for each point.

    Parameters
    ----------
    index : TargetIndex
        The target's segments (its candidate lists are cached on it).
    lat, lon : numpy.ndarray
        Finite WGS84 degrees, inside ``tracker.distance.EXTENT``.

    Returns
    -------
    tuple of numpy.ndarray
        Distance (m), nearest latitude, nearest longitude, segment number.

    Points are handled in chunks, in order of their cell of the plane (neighbours
    share candidates, which keeps the gathers local), and returned in input order.
    """
    n = lat.shape[0]
    x, y = to_plane().transform(lon, lat)
    order = np.argsort((np.floor(x / CELL_M).astype(np.int64) << 32)
                       + np.floor(y / CELL_M).astype(np.int64), kind="stable")
    d, qlat, qlon = np.empty(n), np.empty(n), np.empty(n)
    seg = np.empty(n, dtype=np.int64)
    for start in range(0, n, CHUNK):
        rows = order[start:start + CHUNK]
        d[rows], qlat[rows], qlon[rows], seg[rows] = _nearest_chunk(
            index, lat[rows], lon[rows], x[rows], y[rows])
    return d, qlat, qlon, seg


def _nearest_chunk(index: TargetIndex, lat, lon, x, y):
    # 1. the plane's cells hold candidate segments sorted by distance to the centre
    col, row = np.floor(x / CELL_M).astype(np.int64), np.floor(y / CELL_M).astype(np.int64)
    cells, which = np.unique((col << 32) + (row + _HALF32), return_inverse=True)
    flat, dist_c, cell_start, cell_count = _cell_candidates(index, cells)
    start, count = cell_start[which], cell_count[which]
    offset = np.hypot(x - (col + 0.5) * CELL_M, y - (row + 0.5) * CELL_M)
    # 2. an upper bound of each point's planar distance from its cell's first candidates
    head = np.minimum(count, HEAD)
    hp, hs = _expand(start, head, flat)
    h_planar, h_t = _point_segment(x[hp], y[hp], index.plane, hs)
    upper = np.minimum.reduceat(h_planar, np.cumsum(head) - head)
    # 3. the other candidates whose distance to the centre leaves them a chance (sorted,
    #    so one searchsorted per point): d(p, s) >= d(centre, s) - |p - centre|
    bound = upper * _scale_ratio(lat, upper) + SLACK_M + offset
    keys = np.repeat(np.arange(cells.size, dtype=float), cell_count) * _KEY + dist_c
    end = np.minimum(np.searchsorted(keys, which * _KEY + bound, side="right"), start + count)
    more = np.maximum(end - start - head, 0)
    mp, ms = _expand(start + head, more, flat)
    m_planar, m_t = _point_segment(x[mp], y[mp], index.plane, ms)
    least = upper.copy()
    if mp.size:
        np.minimum.at(least, mp, m_planar)
    # 4. the scale bound: keep what can be geodesically nearest, measure on the ellipsoid
    limit = least * _scale_ratio(lat, least) + SLACK_M
    # a point nearest to a shared vertex finds it on both segments: keep it once, as
    # the end of the earlier one (which is then a candidate too: it is no farther)
    h_keep = (h_planar <= limit[hp]) & ~((h_t == 0.0) & index.follows[hs])
    m_keep = (m_planar <= limit[mp]) & ~((m_t == 0.0) & index.follows[ms])
    p = np.concatenate([hp[h_keep], mp[m_keep]])
    s = np.concatenate([hs[h_keep], ms[m_keep]])
    t = np.concatenate([h_t[h_keep], m_t[m_keep]])
    a, b = index.a[s], index.b[s]
    qlon = a[:, 0] + t * (b[:, 0] - a[:, 0])
    qlat = a[:, 1] + t * (b[:, 1] - a[:, 1])
    _, _, d = GEOD.inv(lon[p], lat[p], qlon, qlat)
    # one float key sorts by point, then distance (cheaper than lexsort + unique)
    order = np.argsort(p * _KEY + d)
    first = np.ones(order.size, dtype=bool)
    first[1:] = p[order][1:] != p[order][:-1]
    best = order[first]
    return d[best], qlat[best], qlon[best], s[best]


def _expand(start: np.ndarray, count: np.ndarray, flat: np.ndarray | None = None):
    """(point, candidate) pairs: for point i, positions start[i] .. start[i] + count[i]."""
    point = np.repeat(np.arange(start.size), count)
    first = np.cumsum(count) - count
    position = np.arange(count.sum()) - np.repeat(first, count) + np.repeat(start, count)
    return point, (position if flat is None else flat[position])


def _cell_candidates(index: TargetIndex, cells: np.ndarray):
    """For each cell, the segments that can be geodesically nearest to a point in it.

    With D the planar distance from the cell's centre to the nearest segment and r the
    cell's half-diagonal, any point of the cell has a segment within D + r, so its
    geodesically nearest segment is within (D + r) * k_max / k_min of it, hence within
    that plus r of the centre. The lists are filtered from those of coarse cells
    (``COARSE`` x ``COARSE`` cells, the same rule, from the STRtree), which hold every
    segment any of their cells can need. Returned sorted by planar distance to the
    centre: flat segment numbers, their distances, and each cell's start and count.
    """
    lists = _lists(index, "cells")
    missing = lists.missing(cells)
    if missing.size:
        col, row = missing >> 32, (missing & 0xFFFFFFFF) - _HALF32
        coarse = ((col // COARSE) << 32) + (row // COARSE + _HALF32)
        flat, _, start, count = _tree_cells(index, coarse, CELL_M * COARSE)
        cx, cy = (col + 0.5) * CELL_M, (row + 0.5) * CELL_M
        cell_idx, seg_idx = _expand(start, count, flat)
        dist = _point_segment(cx[cell_idx], cy[cell_idx], index.plane, seg_idx)[0]
        nearest = np.minimum.reduceat(dist, np.cumsum(count) - count)
        keep = dist <= _reach(nearest, cx, cy, CELL_M)[cell_idx]
        lists.add(missing, cell_idx[keep], seg_idx[keep], dist[keep])
    return lists.gather(cells)


def _tree_cells(index: TargetIndex, keys: np.ndarray, size: float):
    """Candidate lists of cells of side ``size`` from the STRtree (cached on the index)."""
    lists = _lists(index, ("tree", size))
    missing = lists.missing(np.unique(keys))
    if missing.size:
        cx = ((missing >> 32) + 0.5) * size
        cy = ((missing & 0xFFFFFFFF) - _HALF32 + 0.5) * size
        centres = shapely.points(cx, cy)
        _, nearest = index.tree.query_nearest(centres, return_distance=True, all_matches=False)
        cell_idx, seg_idx = index.tree.query(centres, predicate="dwithin",
                                             distance=_reach(nearest, cx, cy, size))
        dist = _point_segment(cx[cell_idx], cy[cell_idx], index.plane, seg_idx)[0]
        # coarse lists feed only the cells' filter, which needs no order
        lists.add(missing, cell_idx, seg_idx, dist, ordered=False)
    return lists.gather(keys)


def _reach(nearest: np.ndarray, cx: np.ndarray, cy: np.ndarray, size: float) -> np.ndarray:
    """How far from a cell's centre a segment can still be nearest to one of its points."""
    half = size * np.sqrt(0.5)
    clat = from_plane().transform(cx, cy)[1]
    return (nearest + half) * _scale_ratio(clat, nearest + 3 * half) + half + SLACK_M


def _lists(index: TargetIndex, kind) -> CellLists:
    return index.cells.setdefault(kind, CellLists())


class CellLists:
    """Cells' candidate lists, sorted by distance to the centre, kept flat (CSR).

    A dict of per-cell arrays cost a Python step per cell to fill and to gather (a
    tenth of a second for the ~7,000 cells over Ukraine); flat arrays with a sorted
    key column make both one vectorised step.
    """

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.int64)  # sorted cell keys
        self.start = np.empty(0, dtype=np.int64)  # per key: first position in seg/dist
        self.count = np.empty(0, dtype=np.int64)
        self.seg = np.empty(0, dtype=np.int64)  # segment numbers, cell after cell
        self.dist = np.empty(0)  # their planar distance to the cell's centre (m)

    def missing(self, keys: np.ndarray) -> np.ndarray:
        """Return the ``keys`` (sorted, unique) that have no list yet."""
        if not self.keys.size:
            return keys
        pos = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return keys[self.keys[pos] != keys]

    def add(self, keys: np.ndarray, cell_idx: np.ndarray, seg_idx: np.ndarray,
            dist: np.ndarray, *, ordered: bool = True) -> None:
        """Store lists for new ``keys`` from (cell number into keys, segment, distance) pairs.

        ``ordered`` sorts each list by distance; otherwise pairs are only grouped by
        cell (a stable sort, linear on the already grouped output of STRtree queries).
        """
        if ordered:
            # one float key sorts by cell, then distance (faster than a two-key lexsort)
            order = np.argsort(cell_idx * _KEY + dist)
        else:
            order = np.argsort(cell_idx, kind="stable")
        count = np.bincount(cell_idx, minlength=keys.size)
        start = np.cumsum(count) - count + self.seg.size
        self.seg = np.concatenate([self.seg, seg_idx[order]])
        self.dist = np.concatenate([self.dist, dist[order]])
        merged = np.concatenate([self.keys, keys])
        by_key = np.argsort(merged, kind="stable")
        self.keys = merged[by_key]
        self.start = np.concatenate([self.start, start])[by_key]
        self.count = np.concatenate([self.count, count])[by_key]

    def gather(self, keys: np.ndarray):
        """Return the lists of ``keys`` (all stored, repeats allowed), one after the other.

        Returns flat segment numbers, their distances, and each key's start and count.
        """
        pos = np.searchsorted(self.keys, keys)
        start, count = self.start[pos], self.count[pos]
        position = _expand(start, count)[1]
        return self.seg[position], self.dist[position], np.cumsum(count) - count, count


def _point_segment(px, py, plane, seg):
    """Planar distance from points to segments (pairwise), and the position t on each.

    ``plane`` holds the rows of :func:`tracker.distance_index._plane`; ``seg`` the
    segment number of each pair. Updated in place to spare temporaries: this is
    the hottest loop of the search.
    """
    x0, y0, dx, dy, inverse = (row[seg] for row in plane)
    ex, ey = px - x0, py - y0
    t = ex * dx
    t += ey * dy
    t *= inverse
    np.clip(t, 0.0, 1.0, out=t)
    dx *= t
    dy *= t
    ex -= dx
    ey -= dy
    ex *= ex
    ey *= ey
    ex += ey
    return np.sqrt(ex, out=ex), t


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
