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

from collections import defaultdict

import numpy as np

from tracker.geoparse_find import Hit, _fuzzy
from tracker.geoparse_index import (
    FUZZY_MIN_POPULATION,
    UNKNOWN_POPULATION,
    WELL_KNOWN_POPULATION,
    NameIndex,
)
from tracker.models import Mention, Place

__all__ = ["resolve_hits"]

_KIND_ORDER = ("country", "settlement", "oblast", "region", "water", "raion", "hromada", "other")
_NEAR_KM = ((30.0, 3.0), (60.0, 2.0), (120.0, 1.0))
_LEVEL_WEIGHT = (1.0, 0.8, 0.5)  # sentence, paragraph, report
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
    live = [h for h in hits if not h.reject and len(h.candidates)]
    _one_sense_per_report(live, index)
    for hit in live:
        hit.candidates = _narrow(hit, index)
    live = [h for h in live if len(h.candidates)]
    oblast_ctx = _oblast_context(live, index)
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
            pos = int(cands[0])
            choice[gkey] = (pos, 1.0, f"only {index.kind[pos]} of this name")
            if index.kind[pos] == "settlement" and index.population[pos] < FUZZY_MIN_POPULATION:
                ambiguous.append(gkey)  # a lone village: checked against the report's geography
        else:
            ambiguous.append(gkey)
    anchors = _Anchors(live, choice, index)
    for round_ in range(2):  # the second round uses the first round's choices as anchors too
        for gkey in ambiguous:
            choice[gkey] = _choose(groups[gkey], index, oblast_ctx, anchors, choice, frontline)
        if round_ == 0 and ambiguous:
            anchors = _Anchors(live, choice, index)
        else:
            break
    mentions = []
    for hit in hits:
        if hit.reject or not len(hit.candidates):
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
            why = f"{hit.match} match of {str(index.names[pos])!r} ({hit.match_score:.2f}); {why}"
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


def _one_sense_per_report(hits: list[Hit], index: NameIndex) -> None:
    """Make a bare "Kursk" the oblast when the report calls it a region and never a city."""
    cues: dict[str, set[str]] = defaultdict(set)
    oblast_sentences: dict[str, set[int]] = defaultdict(set)
    for hit in hits:
        cues[hit.base].add(hit.cue)
        if hit.cue == "oblast":
            oblast_sentences[hit.base].add(hit.sentence)
    for hit in hits:
        if hit.cue or hit.match == "fuzzy":
            continue
        seen = cues[hit.base]
        # "Sumy and the Sumy region" in one sentence sets the city against the region.
        if hit.sentence in oblast_sentences[hit.base]:
            continue
        if "oblast" in seen and "settlement" not in seen and "oblast" in set(
                index.kind[hit.candidates].tolist()):
            hit.cue, hit.cue_why = "oblast", "the report calls it a region elsewhere"


def _narrow(hit: Hit, index: NameIndex) -> np.ndarray:
    cands = hit.candidates
    kinds = index.kind[cands]
    if hit.cue == "raion":
        keep = np.isin(kinds, ["raion", "hromada"])
        if keep.any():
            return cands[keep]
        return cands[kinds == "settlement"] if (kinds == "settlement").any() else cands
    if hit.cue in {"oblast", "settlement", "water"} and (kinds == hit.cue).any():
        return cands[kinds == hit.cue]
    if hit.cue == "oblast":
        # "the Pokrovsk region" is the area around a town; a village is never a region.
        towns = (kinds == "settlement") & (index.population[cands] >= REGION_TOWN_POPULATION)
        if hit.precision is None:
            hit.precision = 2
        return cands[towns]
    for kind in _KIND_ORDER:
        if (kinds == kind).any():
            return cands[kinds == kind]
    return cands


def _oblast_context(hits: list[Hit], index: NameIndex) -> list[tuple[int, int, str, str]]:
    """(sentence, paragraph, admin1, raion) of every oblast or raion named in the report."""
    out = []
    for hit in hits:
        cands = hit.candidates
        kinds = set(index.kind[cands].tolist())
        if len(cands) == 1 and kinds <= {"oblast", "raion", "hromada"}:
            pos = int(cands[0])
            raion = str(index.names[pos]) if index.kind[pos] == "raion" else ""
            out.append((hit.sentence, hit.paragraph, str(index.admin1[pos]), raion))
        elif hit.cue == "raion" and len(set(index.admin1[cands].tolist())) == 1:
            out.append((hit.sentence, hit.paragraph, str(index.admin1[cands[0]]), ""))
    return out


def _choose(members: list[Hit], index: NameIndex, oblast_ctx, anchors, choice=None,
            frontline=None) -> tuple[int | None, float, str]:
    cands = members[0].candidates
    fuzzy = members[0].match == "fuzzy"
    lat, lon = index.latitude[cands], index.longitude[cands]
    if len(cands) == 1 and not fuzzy:
        # A lone village: doubted only when far from every other place of the report.
        pos = int(cands[0])
        known = {a for _, _, a, _ in oblast_ctx}
        if (index.admin1[pos] in known or anchors.n_other(members[0].key) < 2
                or anchors.nearest_km(lat, lon, members[0].key) <= FAR_KM):
            return pos, 1.0, f"only {index.kind[pos]} of this name"
        return None, 0.0, (f"the only {members[0].text!r} in the gazetteer is a village far from "
                           "every other place of the report (probably another place of that name)")
    admin1 = index.admin1[cands]
    population = index.population[cands].astype(float)
    population = np.where(population > 0, population, UNKNOWN_POPULATION)
    score = np.where(index.in_scope[cands], 2.0, 0.0) + 0.4 * np.log10(population + 1.0)
    ctx_bonus = np.zeros(len(cands))
    sentence_oblasts: set[str] = set()
    sentences = {h.sentence for h in members}
    paragraphs = {h.paragraph for h in members}
    raions = index.raion[cands]
    for sent, para, a1, raion in oblast_ctx:
        level = 0 if sent in sentences else 1 if para in paragraphs else 2
        if level == 0:
            sentence_oblasts.add(a1)
        ctx_bonus = np.maximum(ctx_bonus, np.where(admin1 == a1, (3.0, 2.0, 1.0)[level], 0))
        if raion:
            ctx_bonus = np.maximum(ctx_bonus, np.where(raions == raion, (5.0, 4.0, 2.0)[level], 0))
    near_bonus = anchors.bonus(members, lat, lon)
    for hit in members:  # "A, 10 km west of C": A lies close to C
        target = hit.relative_to
        picked = (choice or {}).get((target.key, getattr(target, "group", target.cue))
                                   ) if target is not None else None
        if picked is not None and picked[0] is not None and index.kind[picked[0]] == "settlement":
            d = _km(lat, lon, index.latitude[picked[0]], index.longitude[picked[0]])
            near_bonus = np.maximum(near_bonus, np.where(d <= 40, 6.0, np.where(d <= 80, 3.0, 0)))
    front_bonus = np.zeros(len(cands))
    if frontline is not None and len(cands) > 1:
        front_bonus = np.where(_front_km(frontline, lat, lon) <= FRONT_KM, 2.0, 0.0)
        near_bonus = near_bonus + front_bonus
    total = score + ctx_bonus + near_bonus
    order = np.argsort(-total)
    best = int(order[0])
    pos = int(cands[best])
    name = members[0].text
    probs = np.exp(total - total.max())
    confidence = float(probs[best] / probs.sum())
    support = ctx_bonus[best] + near_bonus[best]
    big = population[best] >= WELL_KNOWN_POPULATION or index.kind[pos] != "settlement"
    if fuzzy and support == 0 and population[best] < FUZZY_MIN_POPULATION:
        return None, 0.0, (f"fuzzy match {str(index.names[pos])!r} is a small place and nothing "
                           "in the report points to it")
    if len(cands) == 1:
        return pos, 1.0, f"only {index.kind[pos]} of this name"
    if sentence_oblasts and not set(admin1.tolist()) & sentence_oblasts:
        biggest = int(np.argmax(population))
        if population[biggest] >= WELL_KNOWN_POPULATION and index.kind[cands[biggest]] == (
                "settlement"):
            pos = int(cands[biggest])  # a city is named in its own right ("near Nikolayev")
            return pos, 0.6, (f"none of {len(cands)} places named {name!r} is in "
                              f"{', '.join(sorted(sentence_oblasts))}; the city of "
                              f"{int(index.population[pos]):,} is meant")
        # Known elsewhere, but the sentence names another oblast: a near spelling there?
        near = _fuzzy(members[0].key, index) if not fuzzy else None
        if near is not None:
            inside = near[1][np.isin(index.admin1[near[1]], list(sentence_oblasts))]
            if len(inside):
                best_near = int(inside[np.argmax(index.population[inside])])
                return best_near, 0.5 / len(inside), (
                    f"no {name!r} in {', '.join(sorted(sentence_oblasts))} (named in the same "
                    f"sentence); the near spelling {str(index.names[best_near])!r} is there")
        return None, 0.0, (f"{len(cands)} places named {name!r}, none in "
                           f"{', '.join(sorted(sentence_oblasts))} named in the same sentence")
    if not big and near_bonus[best] == 0 and ctx_bonus[best] <= 1.0:
        # Weak support only, and far from the places named in the same sentence:
        # another place of that name (or a near spelling) close to them is meant.
        far = anchors.nearest_in_sentence(lat[best], lon[best], members)
        if far > FAR_KM:
            near = _fuzzy(members[0].key, index) if not fuzzy else None
            if near is not None:
                dist = np.array([anchors.nearest_in_sentence(index.latitude[p], index.longitude[p],
                                                             members) for p in near[1]])
                if len(dist) and dist.min() <= 60.0:
                    pos = int(near[1][int(np.argmin(dist))])
                    return pos, 0.5, (f"no {name!r} near the other places of the sentence; the "
                                      f"near spelling {str(index.names[pos])!r} is "
                                      f"{dist.min():.0f} km from one")
            if np.isfinite(far):
                return None, 0.0, (f"{len(cands)} places named {name!r}, all far from the other "
                                   "places of the same sentence")
    if not big and support == 0 and (oblast_ctx or anchors.has_other(members[0].key)):
        return None, 0.0, (f"{len(cands)} places named {name!r}, none in an oblast or near a "
                           "place this report names")
    parts = [f"{len(cands)} {index.kind[pos]} candidates"]
    if ctx_bonus[best] > 0:
        parts.append(f"its oblast ({admin1[best]}) is named nearby (+{ctx_bonus[best]:.1f})")
    if near_bonus[best] - front_bonus[best] > 0:
        parts.append(f"close to other places in the report "
                     f"(+{near_bonus[best] - front_bonus[best]:.1f})")
    if front_bonus[best] > 0:
        parts.append(f"within {FRONT_KM:.0f} km of the front line (+{front_bonus[best]:.1f})")
    parts.append(f"population {int(index.population[pos]):,}")
    rival = int(cands[int(order[1])])
    parts.append(f"beat {index.names[rival]} ({index.admin1[rival] or index.country[rival]}) "
                 f"{total[int(order[1])]:.2f} < {total[best]:.2f}")
    return pos, confidence, "; ".join(parts)


class _Anchors:
    """Settlements resolved with confidence: the report's geography, for proximity scores."""

    def __init__(self, hits: list[Hit], choice, index: NameIndex):
        rows = []
        for hit in hits:
            pos, confidence, _ = choice.get((hit.key, hit.group), (None, 0.0, ""))
            if pos is not None and confidence >= 0.3 and index.kind[pos] == "settlement" and (
                    hit.match != "fuzzy"):
                rows.append((hit.key, hit.sentence, hit.paragraph, pos))
        self.keys = np.array([r[0] for r in rows], dtype=object)
        self.sentence = np.array([r[1] for r in rows], dtype=np.int64)
        self.paragraph = np.array([r[2] for r in rows], dtype=np.int64)
        pos = np.array([r[3] for r in rows], dtype=np.int64)
        self.lat = np.radians(index.latitude[pos]) if len(pos) else np.zeros(0)
        self.lon = np.radians(index.longitude[pos]) if len(pos) else np.zeros(0)

    def n_other(self, key: str) -> int:
        """How many distinct other names anchor the report."""
        names = self.__dict__.setdefault("_names", set(self.keys.tolist()))
        return len(names) - (key in names)

    def nearest_km(self, lat: np.ndarray, lon: np.ndarray, key: str) -> float:
        """Distance from the first candidate to the nearest anchor of another name."""
        other = self.keys != key
        if not len(self.keys) or not other.any():
            return float("inf")
        la1, lo1 = np.radians(lat[0]), np.radians(lon[0])
        la2, lo2 = self.lat[other], self.lon[other]
        a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
        return float((2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).min())

    def nearest_in_sentence(self, lat0: float, lon0: float, members: list[Hit]) -> float:
        """Return the km from a point to the nearest other-name anchor in the members' sentences.

        Infinite when there is none.
        """
        if not len(self.keys):
            return float("inf")
        sentences = [h.sentence for h in members]
        mask = (self.keys != members[0].key) & np.isin(self.sentence, sentences)
        if not mask.any():
            return float("inf")
        la1, lo1 = np.radians(lat0), np.radians(lon0)
        la2, lo2 = self.lat[mask], self.lon[mask]
        a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
        return float((2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).min())

    def has_other(self, key: str) -> bool:
        """Whether any anchor has another name than ``key``."""
        return bool((self.keys != key).any()) if len(self.keys) else False

    def bonus(self, members: list[Hit], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Best proximity bonus of each candidate (rows) to the anchors of other names."""
        if not len(self.keys):
            return np.zeros(len(lat))
        other = self.keys != members[0].key
        if not other.any():
            return np.zeros(len(lat))
        same_sentence = np.zeros(len(self.keys), dtype=bool)
        same_paragraph = np.zeros(len(self.keys), dtype=bool)
        for hit in members:
            same_sentence |= self.sentence == hit.sentence
            same_paragraph |= self.paragraph == hit.paragraph
        weight = np.where(same_sentence, _LEVEL_WEIGHT[0],
                          np.where(same_paragraph, _LEVEL_WEIGHT[1], _LEVEL_WEIGHT[2]))[other]
        la1, lo1 = np.radians(lat)[:, None], np.radians(lon)[:, None]
        la2, lo2 = self.lat[other][None, :], self.lon[other][None, :]
        a = (np.sin((la2 - la1) / 2) ** 2
             + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2)
        d = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        value = np.zeros_like(d)
        for limit, points in reversed(_NEAR_KM):
            value = np.where(d <= limit, points, value)
        return (value * weight[None, :]).max(axis=1)


def _at_precision(place: Place, hit: Hit) -> Place:
    if hit.cue == "raion" and place.kind == "settlement":
        from dataclasses import replace

        return replace(place, place_id=f"{place.place_id}/raion", name=f"{place.name} Raion",
                       kind="raion", geo_precision=3, hromada="")
    if hit.precision and place.kind == "settlement" and place.geo_precision < hit.precision:
        from dataclasses import replace

        return replace(place, geo_precision=hit.precision)
    return place


def _km(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Great-circle distances (km) from arrays of points to one point."""
    la1, lo1 = np.radians(lat), np.radians(lon)
    la2, lo2 = np.radians(lat0), np.radians(lon0)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _front_km(frontline, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Approximate km from points to a lon/lat geometry (local equirectangular scale)."""
    import shapely

    scale = np.cos(np.radians(np.nanmean(lat))) if len(lat) else 1.0
    points = shapely.points(np.asarray(lon) * scale, np.asarray(lat))
    scaled = shapely.transform(frontline, lambda xy: xy * np.array([scale, 1.0]))
    return shapely.distance(points, scaled) * 111.2
