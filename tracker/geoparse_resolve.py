"""Resolving found mentions to one place each (the second half of :mod:`tracker.geoparse`).

Candidates are first narrowed by what the words around the mention say (an
oblast, a raion, a settlement, a river; a country name is the country), then
scored, and the best wins:

- the oblast of the candidate is named in the same sentence (+3), paragraph (+2)
  or report (+1) ("Novoselivka Persha in the Donetsk region");
- the candidate is close to places resolved without doubt in the same sentence,
  paragraph or report (front-line reports cluster): up to +3 within 30 km;
- it lies in Ukraine or a Russian border region (+2);
- its population (``0.4 * log10(population)``), the tie-breaker.

All mentions of one name with the same kind cue in a report are resolved
together (one sense per report), so a name repeated three times pools its
context. The confidence is the winner's softmax share of the scores times the
match quality (1 for an exact match, lower for fuzzy and lowercase matches).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from tracker.geoparse_find import Hit, _fuzzy
from tracker.geoparse_index import (
    FUZZY_MIN_POPULATION,
    WELL_KNOWN_POPULATION,
    NameIndex,
    PlaceColumns,
)
from tracker.models import Mention, Place

__all__ = ["resolve_hits"]

_KIND_ORDER = ("country", "settlement", "oblast", "region", "water", "raion", "hromada", "other")
_NEAR_KM = ((30.0, 3.0), (60.0, 2.0), (120.0, 1.0))
_LEVEL_WEIGHT = (1.0, 0.8, 0.5)  # sentence, paragraph, report
#: Up to this many values, plain Python beats NumPy's per-call overhead.
_SMALL = 24
#: "X region" without an oblast X is the area around town X, if X has this many people.
REGION_TOWN_POPULATION = 10_000
#: Homonyms this close to a given front line score higher.
FRONT_KM = 30.0
#: A lone village farther than this from every other place of the report is doubted.
FAR_KM = 150.0


def resolve_hits(hits: list[Hit], index: NameIndex, place_of, *, frontline=None
                 ) -> list[Mention]:
    """Turn hits into mentions: each resolved to one place, or kept with a reason.

    Parameters
    ----------
    hits : list of Hit
        From :func:`tracker.geoparse_find.find_hits`.
    index : NameIndex
        The gazetteer's name index.
    place_of : callable
        Place position -> :class:`tracker.models.Place`.
    frontline : shapely geometry, optional
        The front line or occupied territory (lon/lat); homonyms within
        ``FRONT_KM`` of it score higher (+2), as front-line reports are about it.

    Returns
    -------
    list of Mention
        In text order.
    """
    cols = index.py
    live = [h for h in hits if not h.reject and h.candidates]
    _one_sense_per_report(live, cols)
    for hit in live:
        hit.candidates = _narrow(hit, cols)
    live = [h for h in live if h.candidates]
    oblast_ctx = _oblast_context(live, cols)
    for hit in live:
        hit.group = _with_hint(hit)
    groups: dict[tuple[str, str], list[Hit]] = defaultdict(list)
    for hit in live:
        groups[(hit.key, hit.group)].append(hit)
    choice: dict[tuple[str, str], tuple[int | None, float, str]] = {}
    ambiguous = []
    for gkey, members in groups.items():
        cands = members[0].candidates
        if len(cands) == 1 and members[0].match != "fuzzy":
            # Unambiguous: decided without scoring (a lone village is still checked
            # against the report's geography below).
            pos = cands[0]
            choice[gkey] = (pos, 1.0, f"only {cols.kind[pos]} of this name")
            if cols.kind[pos] == "settlement" and cols.population[pos] < FUZZY_MIN_POPULATION:
                ambiguous.append(gkey)
        else:
            ambiguous.append(gkey)
    if ambiguous:
        anchors = _Anchors(live, choice, cols)
        for round_ in range(2):  # the second round uses the first round's choices as anchors
            for gkey in ambiguous:
                choice[gkey] = _choose(groups[gkey], index, oblast_ctx, anchors, choice,
                                       frontline)
            if round_ == 0:
                anchors = _Anchors(live, choice, cols, previous=anchors)
    mentions = []
    for hit in hits:
        if hit.reject or not hit.candidates:
            why = hit.reject or ("a region or district the gazetteer does not have"
                                 if hit.cue == "oblast" else "no gazetteer place of this name")
            mentions.append(Mention(hit.start, hit.end, hit.text, None, 0.0, why))
            continue
        pos, confidence, why = choice[(hit.key, hit.group)]
        if pos is None:
            mentions.append(Mention(hit.start, hit.end, hit.text, None, 0.0, why))
            continue
        place = _at_precision(place_of(pos), hit)
        if hit.cue_why:
            why = f"{hit.cue}: {hit.cue_why}; {why}"
        if hit.match != "exact":
            why = f"{hit.match} match of {cols.names[pos]!r} ({hit.match_score:.2f}); {why}"
        mentions.append(Mention(hit.start, hit.end, hit.text, place,
                                round(confidence * hit.match_score, 3), why))
    return mentions


def _with_hint(hit: Hit) -> str:
    """Group key suffix: a name tied to its own place ("A, south of C"; "A in X Oblast").

    Mentions of one name are resolved together (one sense per report) unless one of
    them says where it is ("A, south of C", "A in X Oblast"), as explainers listing
    homonyms do.
    """
    if hit.relative_to is not None:
        return f"{hit.cue}@{hit.relative_to.key}"
    if hit.located_in is not None:
        return f"{hit.cue}@{hit.located_in.key}"
    return hit.cue


def _one_sense_per_report(hits: list[Hit], cols: PlaceColumns) -> None:
    """Make a bare "Kursk" the oblast when the report calls it a region and never a city."""
    cues: dict[str, set[str]] = defaultdict(set)
    oblast_sentences: dict[str, set[int]] = defaultdict(set)
    for hit in hits:
        cues[hit.base].add(hit.cue)
        if hit.cue == "oblast":
            oblast_sentences[hit.base].add(hit.sentence)
    if not oblast_sentences:
        return  # nothing is called a region: no bare name to promote
    kind = cols.kind
    for hit in hits:
        if hit.cue or hit.match == "fuzzy":
            continue
        seen = cues[hit.base]
        # "Sumy and the Sumy region" in one sentence sets the city against the region.
        if hit.sentence in oblast_sentences[hit.base]:
            continue
        if "oblast" in seen and "settlement" not in seen and any(
                kind[c] == "oblast" for c in hit.candidates):
            hit.cue, hit.cue_why = "oblast", "the report calls it a region elsewhere"


def _narrow(hit: Hit, cols: PlaceColumns) -> tuple[int, ...]:
    cands = hit.candidates
    kind = cols.kind
    if len(cands) == 1 and not hit.cue:
        return cands  # the kind order below keeps a lone candidate whatever its kind
    kinds = [kind[c] for c in cands]
    if hit.cue == "raion":
        keep = tuple(c for c, k in zip(cands, kinds, strict=True) if k in ("raion", "hromada"))
        if keep:
            return keep
        towns = tuple(c for c, k in zip(cands, kinds, strict=True) if k == "settlement")
        return towns or cands
    if hit.cue in {"oblast", "settlement", "water"} and hit.cue in kinds:
        return tuple(c for c, k in zip(cands, kinds, strict=True) if k == hit.cue)
    if hit.cue == "oblast":
        # "the Pokrovsk region" is the area around a town; a village is never a region.
        population = cols.population
        if hit.precision is None:
            hit.precision = 2
        return tuple(c for c, k in zip(cands, kinds, strict=True)
                     if k == "settlement" and population[c] >= REGION_TOWN_POPULATION)
    for wanted in _KIND_ORDER:
        if wanted in kinds:
            return tuple(c for c, k in zip(cands, kinds, strict=True) if k == wanted)
    return cands


def _oblast_context(hits: list[Hit], cols: PlaceColumns) -> list[tuple[int, int, str, str]]:
    """(sentence, paragraph, admin1, raion) of every oblast or raion named in the report."""
    out = []
    kind, admin1 = cols.kind, cols.admin1
    for hit in hits:
        cands = hit.candidates
        if len(cands) == 1 and kind[cands[0]] in ("oblast", "raion", "hromada"):
            pos = cands[0]
            raion = cols.names[pos] if kind[pos] == "raion" else ""
            out.append((hit.sentence, hit.paragraph, admin1[pos], raion))
        elif hit.cue == "raion" and len({admin1[c] for c in cands}) == 1:
            out.append((hit.sentence, hit.paragraph, admin1[cands[0]], ""))
    return out


def _choose(members: list[Hit], index: NameIndex, oblast_ctx, anchors, choice=None,
            frontline=None) -> tuple[int | None, float, str]:
    cols = index.py
    cands = members[0].candidates
    key = members[0].key
    fuzzy = members[0].match == "fuzzy"
    if len(cands) == 1 and not fuzzy:
        # A lone village: doubted only when far from every other place of the report.
        pos = cands[0]
        if (cols.admin1[pos] in {a for _, _, a, _ in oblast_ctx} or anchors.n_other(key) < 2
                or anchors.nearest_km(pos, key) <= FAR_KM):
            return pos, 1.0, f"only {cols.kind[pos]} of this name"
        return None, 0.0, (f"the only {members[0].text!r} in the gazetteer is a village far from "
                           "every other place of the report (probably another place of that name)")
    n = len(cands)
    admin1 = [cols.admin1[c] for c in cands]
    population = [cols.population_eff[c] for c in cands]
    score = [cols.score[c] for c in cands]
    ctx_bonus = [0.0] * n
    sentence_oblasts: set[str] = set()
    sentences = {h.sentence for h in members}
    paragraphs = {h.paragraph for h in members}
    raions = None
    for sent, para, a1, raion in oblast_ctx:
        level = 0 if sent in sentences else 1 if para in paragraphs else 2
        if level == 0:
            sentence_oblasts.add(a1)
        points = (3.0, 2.0, 1.0)[level]
        for i in range(n):
            if admin1[i] == a1 and points > ctx_bonus[i]:
                ctx_bonus[i] = points
        if raion:
            if raions is None:
                raions = [cols.raion[c] for c in cands]
            points = (5.0, 4.0, 2.0)[level]
            for i in range(n):
                if raions[i] == raion and points > ctx_bonus[i]:
                    ctx_bonus[i] = points
    near_bonus = anchors.bonus(members, cands)
    for hit in members:  # "A, 10 km west of C": A lies close to C
        target = hit.relative_to
        picked = (choice or {}).get((target.key, getattr(target, "group", target.cue))
                                   ) if target is not None else None
        if picked is not None and picked[0] is not None and cols.kind[picked[0]] == "settlement":
            dist = _km(cols, cands, picked[0]).tolist()
            near_bonus = [max(b, 6.0 if d <= 40 else 3.0 if d <= 80 else 0.0)
                          for b, d in zip(near_bonus, dist, strict=True)]
    front_bonus = [0.0] * n
    if frontline is not None and n > 1:
        lat = np.array([cols.latitude[c] for c in cands])
        lon = np.array([cols.longitude[c] for c in cands])
        front_bonus = np.where(_front_km(frontline, lat, lon) <= FRONT_KM, 2.0, 0.0).tolist()
        near_bonus = [b + f for b, f in zip(near_bonus, front_bonus, strict=True)]
    total = np.array([s + c + b for s, c, b in zip(score, ctx_bonus, near_bonus, strict=True)])
    order = np.argsort(-total)
    best = int(order[0])
    pos = cands[best]
    name = members[0].text
    probs = np.exp(total - total.max())
    confidence = float(probs[best] / probs.sum())
    support = ctx_bonus[best] + near_bonus[best]
    big = population[best] >= WELL_KNOWN_POPULATION or cols.kind[pos] != "settlement"
    if fuzzy and support == 0 and population[best] < FUZZY_MIN_POPULATION:
        return None, 0.0, (f"fuzzy match {cols.names[pos]!r} is a small place and nothing "
                           "in the report points to it")
    if n == 1:
        return pos, 1.0, f"only {cols.kind[pos]} of this name"
    if sentence_oblasts and not set(admin1) & sentence_oblasts:
        biggest = max(range(n), key=population.__getitem__)  # the first of equals, as argmax
        if population[biggest] >= WELL_KNOWN_POPULATION and cols.kind[cands[biggest]] == (
                "settlement"):
            pos = cands[biggest]  # a city is named in its own right ("near Nikolayev")
            return pos, 0.6, (f"none of {n} places named {name!r} is in "
                              f"{', '.join(sorted(sentence_oblasts))}; the city of "
                              f"{cols.population[pos]:,} is meant")
        # Known elsewhere, but the sentence names another oblast: a near spelling there?
        near = _fuzzy(key, index) if not fuzzy else None
        if near is not None:
            inside = [p for p in near[1] if cols.admin1[p] in sentence_oblasts]
            if inside:
                best_near = max(inside, key=cols.population.__getitem__)
                return best_near, 0.5 / len(inside), (
                    f"no {name!r} in {', '.join(sorted(sentence_oblasts))} (named in the same "
                    f"sentence); the near spelling {cols.names[best_near]!r} is there")
        return None, 0.0, (f"{n} places named {name!r}, none in "
                           f"{', '.join(sorted(sentence_oblasts))} named in the same sentence")
    if not big and near_bonus[best] == 0 and ctx_bonus[best] <= 1.0:
        # Weak support only, and far from the places named in the same sentence:
        # another place of that name (or a near spelling) close to them is meant.
        far = anchors.nearest_in_sentence(pos, members)
        if far > FAR_KM:
            near = _fuzzy(key, index) if not fuzzy else None
            if near is not None:
                dist = anchors.nearest_in_sentence_many(near[1], members)
                if len(dist) and dist.min() <= 60.0:
                    pos = near[1][int(np.argmin(dist))]
                    return pos, 0.5, (f"no {name!r} near the other places of the sentence; the "
                                      f"near spelling {cols.names[pos]!r} is "
                                      f"{dist.min():.0f} km from one")
            if math.isfinite(far):
                return None, 0.0, (f"{n} places named {name!r}, all far from the other "
                                   "places of the same sentence")
    if not big and support == 0 and (oblast_ctx or anchors.has_other(key)):
        return None, 0.0, (f"{n} places named {name!r}, none in an oblast or near a "
                           "place this report names")
    parts = [f"{n} {cols.kind[pos]} candidates"]
    if ctx_bonus[best] > 0:
        parts.append(f"its oblast ({admin1[best]}) is named nearby (+{ctx_bonus[best]:.1f})")
    if near_bonus[best] - front_bonus[best] > 0:
        parts.append(f"close to other places in the report "
                     f"(+{near_bonus[best] - front_bonus[best]:.1f})")
    if front_bonus[best] > 0:
        parts.append(f"within {FRONT_KM:.0f} km of the front line (+{front_bonus[best]:.1f})")
    parts.append(f"population {cols.population[pos]:,}")
    rival = cands[int(order[1])]
    parts.append(f"beat {cols.names[rival]} ({cols.admin1[rival] or cols.country[rival]}) "
                 f"{total[int(order[1])]:.2f} < {total[best]:.2f}")
    return pos, confidence, "; ".join(parts)


class _Anchors:
    """Settlements resolved with confidence: the report's geography, for proximity scores.

    A handful per report, so they are kept as Python lists; distances go through
    :func:`_km` (haversine, NumPy only for the final arcsine).
    """

    def __init__(self, hits: list[Hit], choice, cols: PlaceColumns, previous=None):
        self.cols = cols
        self.keys: list[str] = []
        self.sentence: list[int] = []
        self.paragraph: list[int] = []
        self.pos: list[int] = []
        for hit in hits:
            pos, confidence, _ = choice.get((hit.key, hit.group), (None, 0.0, ""))
            if pos is not None and confidence >= 0.3 and cols.kind[pos] == "settlement" and (
                    hit.match != "fuzzy"):
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
        return float(_km(self.cols, other, pos, reverse=True).min())

    def nearest_in_sentence(self, pos: int, members: list[Hit]) -> float:
        """Km from place ``pos`` to the nearest other-name anchor in the members' sentences.

        Infinite when there is none.
        """
        key = members[0].key
        sentences = {h.sentence for h in members}
        other = [p for k, s, p in zip(self.keys, self.sentence, self.pos, strict=True)
                 if k != key and s in sentences]
        if not other:
            return float("inf")
        return float(_km(self.cols, other, pos, reverse=True).min())

    def nearest_in_sentence_many(self, places, members: list[Hit]) -> np.ndarray:
        """:meth:`nearest_in_sentence` of several places at once."""
        key = members[0].key
        sentences = {h.sentence for h in members}
        other = [p for k, s, p in zip(self.keys, self.sentence, self.pos, strict=True)
                 if k != key and s in sentences]
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
        weight = [_LEVEL_WEIGHT[0] if self.sentence[j] in sentences
                  else _LEVEL_WEIGHT[1] if self.paragraph[j] in paragraphs
                  else _LEVEL_WEIGHT[2] for j in other]
        points = [self.pos[j] for j in other]
        if len(cands) * len(points) > _SMALL:
            # Many homonyms x many anchors: arrays pay off.
            dist = _km_pairs(self.cols, cands, points).reshape(len(cands), len(points))
            value = np.zeros(dist.shape)
            steps = [p for _, p in _NEAR_KM[1:]] + [0.0]
            for (limit, score), lower in zip(_NEAR_KM, steps, strict=True):
                value += (dist <= limit) * (score - lower)  # nested limits: 3, 2, 1 or 0
            return (value * np.array(weight)[None, :]).max(axis=1).tolist()
        dist = _km_pairs(self.cols, cands, points).tolist()
        out = []
        m = len(points)
        for i in range(len(cands)):
            row = dist[i * m:(i + 1) * m]
            out.append(max(_near_points(d) * w for d, w in zip(row, weight, strict=True)))
        return out


def _near_points(d: float) -> float:
    for limit, points in _NEAR_KM:
        if d <= limit:
            return points
    return 0.0


def _at_precision(place: Place, hit: Hit) -> Place:
    if hit.cue == "raion" and place.kind == "settlement":
        from dataclasses import replace

        return replace(place, place_id=f"{place.place_id}/raion", name=f"{place.name} Raion",
                       kind="raion", geo_precision=3, hromada="")
    if hit.precision and place.kind == "settlement" and place.geo_precision < hit.precision:
        from dataclasses import replace

        return replace(place, geo_precision=hit.precision)
    return place


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


def _km(cols: PlaceColumns, places, pos: int, *, reverse: bool = False) -> np.ndarray:
    """Great-circle km from each of ``places`` to place ``pos`` (``reverse``: ``pos`` first).

    The order of the points is the order of the floating-point operations, kept
    as the former array code had it so that results are identical to the bit.
    """
    if reverse:
        return _to_km([_hav(cols, pos, q) for q in places])
    return _to_km([_hav(cols, p, pos) for p in places])


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


def _front_km(frontline, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Approximate km from points to a lon/lat geometry (local equirectangular scale)."""
    import shapely

    scale = np.cos(np.radians(np.nanmean(lat))) if len(lat) else 1.0
    points = shapely.points(np.asarray(lon) * scale, np.asarray(lat))
    scaled = shapely.transform(frontline, lambda xy: xy * np.array([scale, 1.0]))
    return shapely.distance(points, scaled) * 111.2
