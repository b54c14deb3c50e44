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

from tracker.geoparse_find import Hit
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


def resolve_hits(hits: list[Hit], index: NameIndex, place_of) -> list[Mention]:
    """Turn hits into mentions: each resolved to one place, or kept with a reason.

    Parameters
    ----------
    hits : list of Hit
        From :func:`tracker.geoparse_find.find_hits`.
    index : NameIndex
        The gazetteer's name index.
    place_of : callable
        Place position -> :class:`tracker.models.Place`.

    Returns
    -------
    list of Mention
        In text order.
    """
    live = [h for h in hits if not h.reject and len(h.candidates)]
    _one_sense_per_report(live, index)
    for hit in live:
        hit.candidates = _narrow(hit, index)
    oblast_ctx = _oblast_context(live, index)
    anchors = [(h, int(h.candidates[0])) for h in live
               if len(h.candidates) == 1 and index.kind[h.candidates[0]] == "settlement"
               and h.match != "fuzzy"]
    groups: dict[tuple[str, str], list[Hit]] = defaultdict(list)
    for hit in live:
        groups[(hit.key, hit.cue)].append(hit)
    choice: dict[tuple[str, str], tuple[int | None, float, str]] = {}
    for _ in range(2):  # the second pass uses the first pass's choices as anchors too
        for gkey, members in groups.items():
            choice[gkey] = _choose(members, index, oblast_ctx, anchors)
        anchors = [(h, choice[(h.key, h.cue)][0]) for h in live
                   if choice[(h.key, h.cue)][0] is not None
                   and index.kind[choice[(h.key, h.cue)][0]] == "settlement"
                   and choice[(h.key, h.cue)][1] >= 0.3]
    mentions = []
    for hit in hits:
        if hit.reject or not len(hit.candidates):
            mentions.append(Mention(hit.start, hit.end, hit.text, None, 0.0,
                                    hit.reject or "no gazetteer place of this name"))
            continue
        pos, confidence, why = choice[(hit.key, hit.cue)]
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


def _one_sense_per_report(hits: list[Hit], index: NameIndex) -> None:
    """Make a bare "Kursk" the oblast when the report calls it a region and never a city."""
    cues: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        cues[hit.base].add(hit.cue)
    for hit in hits:
        if hit.cue or hit.match == "fuzzy":
            continue
        seen = cues[hit.base]
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
    for kind in _KIND_ORDER:
        if (kinds == kind).any():
            return cands[kinds == kind]
    return cands


def _oblast_context(hits: list[Hit], index: NameIndex) -> list[tuple[int, int, str]]:
    """(sentence, paragraph, admin1) of every oblast named in the report."""
    out = []
    for hit in hits:
        cands = hit.candidates
        if len(cands) == 1 and index.kind[cands[0]] == "oblast":
            out.append((hit.sentence, hit.paragraph, str(index.admin1[cands[0]])))
        elif hit.cue == "raion" and len(set(index.admin1[cands].tolist())) == 1:
            out.append((hit.sentence, hit.paragraph, str(index.admin1[cands[0]])))
    return out


def _choose(members: list[Hit], index: NameIndex, oblast_ctx, anchors
            ) -> tuple[int | None, float, str]:
    cands = members[0].candidates
    fuzzy = members[0].match == "fuzzy"
    lat, lon = index.latitude[cands], index.longitude[cands]
    admin1 = index.admin1[cands]
    population = index.population[cands].astype(float)
    population = np.where(population > 0, population, UNKNOWN_POPULATION)
    score = np.where(index.in_scope[cands], 2.0, 0.0) + 0.4 * np.log10(population + 1.0)
    ctx_bonus = np.zeros(len(cands))
    near_bonus = np.zeros(len(cands))
    sentence_oblasts: set[str] = set()
    member_set = {id(m) for m in members}
    for hit in members:
        for sent, para, a1 in oblast_ctx:
            level = 0 if sent == hit.sentence else 1 if para == hit.paragraph else 2
            if level == 0:
                sentence_oblasts.add(a1)
            ctx_bonus = np.maximum(ctx_bonus, np.where(admin1 == a1, (3.0, 2.0, 1.0)[level], 0))
        for other, apos in anchors:
            if id(other) in member_set or other.key == hit.key:
                continue
            level = 0 if other.sentence == hit.sentence else (
                1 if other.paragraph == hit.paragraph else 2)
            d = _km(lat, lon, index.latitude[apos], index.longitude[apos])
            bonus = np.zeros(len(cands))
            for limit, value in reversed(_NEAR_KM):
                bonus = np.where(d <= limit, value, bonus)
            near_bonus = np.maximum(near_bonus, bonus * _LEVEL_WEIGHT[level])
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
    if not big and sentence_oblasts and not set(admin1.tolist()) & sentence_oblasts:
        return None, 0.0, (f"{len(cands)} places named {name!r}, none in "
                           f"{', '.join(sorted(sentence_oblasts))} named in the same sentence")
    if not big and support == 0 and (oblast_ctx or anchors):
        return None, 0.0, (f"{len(cands)} places named {name!r}, none in an oblast or near a "
                           "place this report names")
    parts = [f"{len(cands)} {index.kind[pos]} candidates"]
    if ctx_bonus[best] > 0:
        parts.append(f"its oblast ({admin1[best]}) is named nearby (+{ctx_bonus[best]:.1f})")
    if near_bonus[best] > 0:
        parts.append(f"close to other places in the report (+{near_bonus[best]:.1f})")
    parts.append(f"population {int(index.population[pos]):,}")
    rival = int(cands[int(order[1])])
    parts.append(f"beat {index.names[rival]} ({index.admin1[rival] or index.country[rival]}) "
                 f"{total[int(order[1])]:.2f} < {total[best]:.2f}")
    return pos, confidence, "; ".join(parts)


def _at_precision(place: Place, hit: Hit) -> Place:
    if hit.cue == "raion" and place.kind == "settlement":
        from dataclasses import replace

        return replace(place, place_id=f"{place.place_id}/raion", name=f"{place.name} Raion",
                       kind="raion", geo_precision=3, hromada="")
    if hit.precision and place.kind == "settlement" and place.geo_precision < hit.precision:
        from dataclasses import replace

        return replace(place, geo_precision=hit.precision)
    return place


def _km(lat1, lon1, lat2, lon2):
    lat1, lon1 = np.radians(lat1), np.radians(lon1)
    lat2, lon2 = math.radians(lat2), math.radians(lon2)
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * math.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))
