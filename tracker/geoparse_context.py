"""The report's geography for the resolver: distances between places and proximity bonuses.

:class:`Anchors` holds the settlements of a report resolved with confidence and
scores each candidate of an ambiguous name by how close it lies to them (front-line
reports cluster): 3 points within 30 km, 2 within 60 km, 1 within 120 km, weighted
1, 0.8 or 0.5 as the anchor is in the same sentence, paragraph or only the report.

Distances are great-circle (haversine, mean Earth radius 6371.0088 km) between
gazetteer places (:func:`great_circle_km`), computed in plain Python for the few
pairs a report has and with NumPy arrays for larger blocks. The proximity points of
the candidates of a name to an anchor are memoised on the name index, as the same
homonyms and front-line villages come back report after report. :func:`front_km`
measures points against a front-line geometry in a local equirectangular scale,
precise enough for a 30 km threshold.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from tracker.geoparse_index import FUZZY_MIN_POPULATION, index_memo

if TYPE_CHECKING:
    from tracker.geoparse_find import Hit
    from tracker.geoparse_index import PlaceColumns

__all__ = ["Anchors", "great_circle_km", "front_km"]

_NEAR_KM = ((30.0, 3.0), (60.0, 2.0), (120.0, 1.0))
_WITHIN_30 = bytes.maketrans(bytes([0, 1, 2, 3]), bytes([0, 0, 0, 1]))
_LEVEL_WEIGHT = (1.0, 0.8, 0.5)  # sentence, paragraph, report
#: Up to this many values, plain Python beats NumPy's per-call overhead.
_SMALL = 24


class Anchors:
    """Settlements resolved with confidence: the report's geography, for proximity scores.

    A handful per report, so they are kept as Python lists; distances go through
    :func:`great_circle_km` (haversine, NumPy only for the final arcsine).
    """

    def __init__(self, hits: list[Hit], choice, cols: PlaceColumns, previous=None):
        self.cols = cols
        self.keys: list[str] = []
        self.sentence: list[int] = []
        self.paragraph: list[int] = []
        self.pos: list[int] = []
        for hit in hits:
            pos, confidence, _ = choice.get((hit.key, hit.group), (None, 0.0, ""))
            # A near spelling anchors only when it reached a town ("Belopol" is
            # Bilopillia); a fuzzy village may be another word.
            if pos is not None and confidence >= 0.3 and cols.kind[pos] == "settlement" and (
                    hit.match != "fuzzy" or cols.population[pos] >= FUZZY_MIN_POPULATION):
                self.keys.append(hit.key)
                self.sentence.append(hit.sentence)
                self.paragraph.append(hit.paragraph)
                self.pos.append(pos)
        self.names = set(self.keys)
        self.rows = set(zip(self.keys, self.sentence, self.paragraph, self.pos, strict=True))
        #: The anchors of the previous round and the bonuses computed with them: when
        #: this round only adds anchors, a group's bonus is the old one maxed with the
        #: bonus from the added anchors (a maximum, so exactly the full computation).
        self.previous = previous if previous is not None and previous.rows <= self.rows else None
        self.bonuses: dict[tuple[str, str], list[float]] = {}

    def n_other(self, key: str) -> int:
        """How many distinct other names anchor the report."""
        return len(self.names) - (key in self.names)

    def nearest_km(self, pos: int, key: str) -> float:
        """Distance from place ``pos`` to the nearest anchor of another name."""
        other = [p for k, p in zip(self.keys, self.pos, strict=True) if k != key]
        if not other:
            return float("inf")
        return float(great_circle_km(self.cols, other, pos, reverse=True).min())

    def in_sentences(self, members: list[Hit]) -> list[int]:
        """Places anchoring the members' sentences under another name than theirs."""
        key = members[0].key
        sentences = {h.sentence for h in members}
        return [p for k, s, p in zip(self.keys, self.sentence, self.pos, strict=True)
                if k != key and s in sentences]

    def nearest_in_sentence(self, pos: int, members: list[Hit]) -> float:
        """Km from place ``pos`` to the nearest other-name anchor in the members' sentences.

        Infinite when there is none.
        """
        other = self.in_sentences(members)
        if not other:
            return float("inf")
        return float(great_circle_km(self.cols, other, pos, reverse=True).min())

    def spread_in_sentence(self, members: list[Hit]) -> float:
        """Km between the two farthest other-name anchors of the members' sentences.

        Infinite when there are fewer than two: a lone anchor shows no cluster.
        """
        other = sorted(set(self.in_sentences(members)))
        if len(other) < 2:
            return float("inf")
        return max(float(great_circle_km(self.cols, other[i + 1:], p).max())
                   for i, p in enumerate(other[:-1]))

    def nearest_in_sentence_many(self, places, members: list[Hit]) -> np.ndarray:
        """:meth:`nearest_in_sentence` of several places at once."""
        other = self.in_sentences(members)
        if not other:
            return np.full(len(places), np.inf)
        if not len(places):
            return np.zeros(0)
        return _km_pairs(self.cols, places, other).reshape(len(places), len(other)).min(axis=1)

    def has_other(self, key: str) -> bool:
        """Whether any anchor has another name than ``key``."""
        return any(k != key for k in self.keys)

    def bonus(self, members: list[Hit], cands: tuple[int, ...]) -> list[float]:
        """Best proximity bonus of each candidate to the anchors of other names."""
        gkey = (members[0].key, members[0].group)
        old = self.previous.bonuses.get(gkey) if self.previous is not None else None
        if old is None:
            out = self._bonus(members, cands, range(len(self.keys)))
        else:
            added = [j for j, row in enumerate(zip(self.keys, self.sentence, self.paragraph,
                                                   self.pos, strict=True))
                     if row not in self.previous.rows]
            new = self._bonus(members, cands, added)
            out = [max(a, b) for a, b in zip(old, new, strict=True)]
        self.bonuses[gkey] = out
        return out

    def _bonus(self, members: list[Hit], cands: tuple[int, ...], rows) -> list[float]:
        key = members[0].key
        other = [j for j in rows if self.keys[j] != key]
        if not other:
            return [0.0] * len(cands)
        sentences = {h.sentence for h in members}
        paragraphs = {h.paragraph for h in members}
        # A place anchoring the report several times counts with its best weight only
        # (the same points times a smaller weight never make a larger product).
        best: dict[int, float] = {}
        for j in other:
            w = (_LEVEL_WEIGHT[0] if self.sentence[j] in sentences
                 else _LEVEL_WEIGHT[1] if self.paragraph[j] in paragraphs else _LEVEL_WEIGHT[2])
            if w > best.get(self.pos[j], 0.0):
                best[self.pos[j]] = w
        weight = list(best.values())
        near = _near_columns(self.cols, cands, list(best))
        if len(cands) * len(weight) > _SMALL:
            # Many homonyms x many anchors: arrays pay off.
            value = np.frombuffer(b"".join(near), dtype=np.uint8).reshape(len(weight), len(cands))
            return (value * np.array(weight)[:, None]).max(axis=0).tolist()
        return [max(column[i] * w for column, w in zip(near, weight, strict=True))
                for i in range(len(cands))]


    def density(self, members: list[Hit], cands: tuple[int, ...]) -> list[int]:
        """How many distinct places of other names lie within 30 km of each candidate.

        Plus one when a place of the same sentence lies in the candidate's hromada. A
        tie-breaker for homonyms that are each near some place of the report: the
        one among many of them is meant (a list of shelled villages clusters).
        """
        key = members[0].key
        others = sorted({p for k, p in zip(self.keys, self.pos, strict=True) if k != key})
        if not others:
            return [0] * len(cands)
        near = _near_columns(self.cols, cands, others)
        # Points 3 (within 30 km) -> 1, else 0; then one sum per candidate across anchors.
        within = [column.translate(_WITHIN_30) for column in near]
        counts = [sum(row) for row in zip(*within, strict=True)]
        # Each place of the members' sentences in the candidate's own hromada counts once
        # more ("Synkivka, Ivanivka, Berestove": the Ivanivka of Synkivka's hromada).
        hromada = self.cols.hromada
        listed = {hromada[p] for p in self.in_sentences(members) if hromada[p]}
        if listed:
            counts = [n + (hromada[c] in listed) for n, c in zip(counts, cands, strict=True)]
        return counts


def great_circle_km(cols: PlaceColumns, places, pos: int, *, reverse: bool = False
                    ) -> np.ndarray:
    """Great-circle km from each of ``places`` to place ``pos`` (``reverse``: ``pos`` first).

    The order of the points is the order of the floating-point operations, kept
    as the former array code had it so that results are identical to the bit.

    Parameters
    ----------
    cols : PlaceColumns
        The place columns of the name index (``NameIndex.py``).
    places : sequence of int
        Place positions.
    pos : int
        One place position.
    reverse : bool, optional
        Take ``pos`` as the first point of each pair.

    Returns
    -------
    numpy.ndarray
        One distance per place of ``places``, in km.
    """
    if reverse:
        return _to_km([_hav(cols, pos, q) for q in places])
    return _to_km([_hav(cols, p, pos) for p in places])


def front_km(frontline, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Approximate km from points to a lon/lat geometry (local equirectangular scale).

    Parameters
    ----------
    frontline : shapely geometry
        The front line or occupied territory, lon/lat.
    lat, lon : numpy.ndarray
        The points, degrees.

    Returns
    -------
    numpy.ndarray
        Km from each point to the geometry (0 inside a polygon).
    """
    import shapely

    scale = np.cos(np.radians(np.nanmean(lat))) if len(lat) else 1.0
    points = shapely.points(np.asarray(lon) * scale, np.asarray(lat))
    scaled = shapely.transform(frontline, lambda xy: xy * np.array([scale, 1.0]))
    return shapely.distance(points, scaled) * 111.2


def _near_points(d: float) -> int:
    for limit, points in _NEAR_KM:
        if d <= limit:
            return int(points)
    return 0


def _near_columns(cols: PlaceColumns, cands: tuple[int, ...], anchors: list[int]
                  ) -> list[bytes]:
    """Return the proximity points (3, 2, 1 or 0) of each candidate to each anchor.

    One bytes per anchor, memoised per (candidates, anchor) on the name index: the
    same villages and homonyms come back report after report, and their distances
    never change. A miss is measured with :func:`_km_pairs`, whose two paths agree
    to the bit, so what the memo holds does not depend on how many places were
    measured at once.
    """
    memo = index_memo(cols, "_near_columns")
    out = [memo.get((cands, q)) for q in anchors]
    missing = sorted({q for q, column in zip(anchors, out, strict=True) if column is None})
    if missing:
        dist = _km_pairs(cols, cands, missing).tolist()
        k = len(missing)
        for j, q in enumerate(missing):
            memo[(cands, q)] = bytes(_near_points(d) for d in dist[j::k])
        out = [memo[(cands, q)] for q in anchors]
    return out


def _hav(cols: PlaceColumns, p: int, q: int) -> float:
    """Haversine term between places ``p`` (first point) and ``q``, as NumPy computed it."""
    s1 = math.sin((cols.rlat[q] - cols.rlat[p]) / 2)
    s2 = math.sin((cols.rlon[q] - cols.rlon[p]) / 2)
    return s1 * s1 + cols.coslat[p] * cols.coslat[q] * (s2 * s2)


def _to_km(terms: list[float]) -> np.ndarray:
    # Clipping and square roots are exact in Python; NumPy's arcsine is kept (it may
    # differ from math.asin in the last bit).
    roots = [math.sqrt(min(max(a, 0.0), 1.0)) for a in terms]
    return 2 * 6371.0088 * np.arcsin(np.array(roots, dtype=float))


def _km_pairs(cols: PlaceColumns, firsts, seconds) -> np.ndarray:
    """Great-circle km of every (first, second) pair, row-major (firsts x seconds)."""
    if len(firsts) * len(seconds) <= _SMALL:
        return _to_km([_hav(cols, p, q) for p in firsts for q in seconds])
    p, q = np.asarray(firsts), np.asarray(seconds)
    la1, lo1 = cols.rlat_array[p][:, None], cols.rlon_array[p][:, None]
    la2, lo2 = cols.rlat_array[q][None, :], cols.rlon_array[q][None, :]
    a = (np.sin((la2 - la1) / 2) ** 2
         + cols.coslat_array[p][:, None] * cols.coslat_array[q][None, :]
         * np.sin((lo2 - lo1) / 2) ** 2)
    return (2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).ravel()
