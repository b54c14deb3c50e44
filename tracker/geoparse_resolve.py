"""Resolving found mentions to one place each (the second half of :mod:`tracker.geoparse`).

Candidates are first narrowed by what the words around the mention say (an
oblast, a raion, a settlement, a river; a country name is the country) and by
where the text puts it (:mod:`tracker.geoparse_kinds`), then scored, and the best
wins:

- the oblast of the candidate is named in the same sentence (+4), paragraph (+2)
  or report (+1) ("Novoselivka Persha in the Donetsk region"), or its raion (+5, +4,
  +2; what the report names as a whole is read by :mod:`tracker.geoparse_report`);
- the candidate is close to places resolved without doubt in the same sentence,
  paragraph or report (front-line reports cluster): up to +3 within 30 km
  (:class:`tracker.geoparse_context.Anchors`);
- it lies in Ukraine or a Russian border region (+2);
- its population (``0.4 * log10(population)``), the tie-breaker.

All mentions of one name with the same kind cue in a report are resolved
together (one sense per report), so a name repeated three times pools its
context. The confidence is the winner's softmax share of the scores times the
match quality (1 for an exact match, lower for fuzzy and lowercase matches).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

import numpy as np

from tracker.geoparse_context import Anchors, front_km, great_circle_km
from tracker.geoparse_filters import (
    COMMUNITY,
    DIRECTION_OF_TOWN,
    REGIONAL_BODY,
)
from tracker.geoparse_find import Hit
from tracker.geoparse_fuzzy import _fuzzy
from tracker.geoparse_index import (
    FUZZY_MIN_POPULATION,
    WELL_KNOWN_POPULATION,
    NameIndex,
    PlaceColumns,
    memoised,
)
from tracker.geoparse_kinds import (
    at_precision,
    community_seats,
    hromada_of,
    keep_where_stated,
    narrow,
)
from tracker.geoparse_lists import IN_LIST
from tracker.geoparse_report import (
    countries_of,
    follow_located_mentions,
    km_to_oblasts,
    near_spelling_in_report,
    oblast_context,
    one_sense_per_report,
)
from tracker.models import Mention

__all__ = ["resolve_hits"]

#: Homonyms this close to a given front line score higher.
FRONT_KM = 30.0
#: Each other place of the report within 30 km adds this much, up to DENSITY_CAP places,
#: when the two best candidates are closer than that can add (a tie-breaker).
DENSITY_STEP = 0.05
DENSITY_CAP = 10
#: Points for a town (5,000 people or more) among the homonyms an operational direction
#: is named after.
DIRECTION_TOWN_BONUS = 1.5
#: A name borne by more places than this is a village name, not a city's own.
CITY_NAME_MAX_HOMONYMS = 10
#: Bonus of a near spelling's candidate that the report names exactly elsewhere.
SAME_PLACE_BONUS = 3.0
#: A lone village farther than this from every other place of the report is doubted.
FAR_KM = 150.0
#: A homonym this close to another place of its sentence is not vetoed by an oblast the
#: sentence names: "in Bakhmut, Avdiivka, Vuhledar, and the Kursk region" lists the Kursk
#: region beside Avdiivka, it does not hold it.
SENTENCE_NEIGHBOUR_KM = 60.0
#: Prior points a city loses when the name matched is only an alternate of its own and
#: another candidate's current name ("Stanislav": a Kherson village, and Ivano-Frankivsk
#: until 1962).
ALT_NAME_PENALTY = 1.0
#: A lone village of another country than all the oblasts a report names is doubted
#: this far from their centres (and from every other place of the report).
OTHER_COUNTRY_KM = 300.0


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
    one_sense_per_report(live, cols)
    for hit in live:
        if hit.cue == "raion" and COMMUNITY in hit.notes:
            seats = community_seats(hit, index)
            if seats:
                hit.candidates = tuple(sorted(set(hit.candidates) | set(seats)))
        hit.candidates = narrow(hit, index)
    named_oblasts = frozenset(cols.admin1[h.candidates[0]] for h in live
                              if h.cue == "oblast" and len(h.candidates) == 1
                              and cols.kind[h.candidates[0]] == "oblast")
    for hit in live:
        keep_where_stated(hit, index, named_oblasts)
    live = [h for h in live if h.candidates]
    # A district or community places its villages in its oblast when the report names
    # that oblast, or none, or a town there without doubt (a single candidate).
    unit_oblasts = named_oblasts and named_oblasts | frozenset(
        cols.admin1[h.candidates[0]] for h in live
        if len(h.candidates) == 1 and cols.kind[h.candidates[0]] == "settlement")
    oblast_ctx = oblast_context(live, cols, unit_oblasts) + [
        (-1, -1, admin1, "") for admin1 in _administered(hits, cols)]
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
        _choose_all(ambiguous, groups, live, choice, index, oblast_ctx, frontline)
    follow_located_mentions(choice, cols, {a for _, _, a, _ in oblast_ctx})
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
        place = place_of(pos)
        if hit.cue == "raion" and COMMUNITY in hit.notes and place.kind == "settlement":
            # "Nova Sloboda hromada", "Esman community": the hromada the town is in.
            place = hromada_of(hit, place, index, place_of) or place
        place = at_precision(place, hit)
        if hit.cue_why:
            why = f"{hit.cue}: {hit.cue_why}; {why}"
        if hit.match != "exact":
            why = f"{hit.match} match of {cols.names[pos]!r} ({hit.match_score:.2f}); {why}"
        mentions.append(Mention(hit.start, hit.end, hit.text, place,
                                round(confidence * hit.match_score, 3), why))
    return mentions


def _choose_all(ambiguous, groups, live, choice, index: NameIndex, oblast_ctx, frontline, *,
                reuse: bool = True) -> None:
    """Choose a place for each ambiguous group, twice: the second round with more anchors.

    The second round uses the first round's choices as anchors. A group whose
    choice depends on no new anchor (none of another name came or went, and none
    of its mentions lies relative to another place) keeps its first choice, which
    the second round would only compute again (``reuse=False`` does; the tests
    check both agree).
    """
    cols = index.py
    anchors = Anchors(live, choice, cols)
    added: set[str] | None = set()
    for round_ in range(2):
        for gkey in ambiguous:
            if round_ and reuse and added is not None and added <= {gkey[0]} and all(
                    h.relative_to is None for h in groups[gkey]):
                continue
            choice[gkey] = _choose(groups[gkey], index, oblast_ctx, anchors, choice, frontline)
        if round_ == 0:
            anchors = Anchors(live, choice, cols, previous=anchors)
            added = (None if anchors.previous is None
                     else {row[0] for row in anchors.rows - anchors.previous.rows})


def _administered(hits: list[Hit], cols: PlaceColumns) -> set[str]:
    """Return the oblasts whose administration the report quotes ("the Kherson RMA").

    They count as oblasts named elsewhere in the report (the least of the bonuses).
    """
    return {cols.admin1[c] for h in hits if REGIONAL_BODY in h.notes for c in h.candidates
            if cols.kind[c] == "oblast" or cols.names[c] == cols.admin1[c]}


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


def _choose(members: list[Hit], index: NameIndex, oblast_ctx, anchors, choice=None,
            frontline=None) -> tuple[int | None, float, str]:
    cols = index.py
    cands = members[0].candidates
    key = members[0].key
    fuzzy = members[0].match == "fuzzy"
    if len(cands) == 1 and not fuzzy:
        pos = cands[0]
        named = {a for _, _, a, _ in oblast_ctx}
        if (named and cols.admin1[pos] not in named and not any(h.country for h in members)
                and cols.country[pos] not in (countries := countries_of(oblast_ctx, index))
                and countries
                and anchors.nearest_km(pos, key) > FAR_KM
                and km_to_oblasts(pos, named, index) > OTHER_COUNTRY_KM):
            # "the village of Rozhdestvenka" of a Belgorod report is no village of Zaporizhzhia
            # (unless the text says "the Ukrainian village of ..."); a village across the
            # border from the oblasts named is near them.
            return None, 0.0, (f"the only {members[0].text!r} in the gazetteer is in "
                               f"{cols.country[pos]}; the report names oblasts of "
                               f"{', '.join(sorted(countries))} only")
        # A lone village: doubted only when far from every other place of the report.
        if (cols.admin1[pos] in named or anchors.n_other(key) < 2
                or anchors.nearest_km(pos, key) <= FAR_KM):
            return pos, 1.0, f"only {cols.kind[pos]} of this name"
        return None, 0.0, (f"the only {members[0].text!r} in the gazetteer is a village far from "
                           "every other place of the report (probably another place of that name)")
    n = len(cands)
    admin1, population, score = _columns(cands, cols)
    sentence_oblasts: set[str] = set()
    paragraph_oblasts: set[str] = set()
    sentences = {h.sentence for h in members}
    paragraphs = {h.paragraph for h in members}
    # Best points of each oblast (4, 2, 1) and raion (5, 4, 2) named in the report.
    by_admin1: dict[str, float] = {}
    by_raion: dict[str, float] = {}
    for sent, para, a1, raion in oblast_ctx:
        level = 0 if sent in sentences else 1 if para in paragraphs else 2
        if level == 0:
            sentence_oblasts.add(a1)
        if level <= 1:
            paragraph_oblasts.add(a1)
        by_admin1[a1] = max(by_admin1.get(a1, 0.0), (4.0, 2.0, 1.0)[level])
        if raion:
            by_raion[raion] = max(by_raion.get(raion, 0.0), (5.0, 4.0, 2.0)[level])
    ctx_bonus = [by_admin1.get(a, 0.0) for a in admin1] if by_admin1 else [0.0] * n
    if by_raion:
        ctx_bonus = [max(b, by_raion.get(cols.raion[c], 0.0))
                     for b, c in zip(ctx_bonus, cands, strict=True)]
    near_bonus = anchors.bonus(members, cands)
    for hit in members:  # "A, 10 km west of C": A lies close to C
        target = hit.relative_to
        picked = (choice or {}).get((target.key, getattr(target, "group", target.cue))
                                   ) if target is not None else None
        if picked is not None and picked[0] is not None and cols.kind[picked[0]] == "settlement":
            dist = great_circle_km(cols, cands, picked[0]).tolist()
            near_bonus = [max(b, 6.0 if d <= 40 else 3.0 if d <= 80 else 0.0)
                          for b, d in zip(near_bonus, dist, strict=True)]
    if fuzzy and n > 1 and choice:
        # "Pishchane ... Pischane": a near spelling of a place the report names exactly
        # is that place (one sense per report across spellings).
        own = (key, members[0].group)
        named = {c[0] for g, c in choice.items() if g != own and c[0] is not None}
        near_bonus = [b + (SAME_PLACE_BONUS if c in named else 0.0)
                      for b, c in zip(near_bonus, cands, strict=True)]
    if n > 1 and any(h.cue_why == DIRECTION_OF_TOWN for h in members):
        # The General Staff names its directions after towns, not after villages.
        near_bonus = [b + (DIRECTION_TOWN_BONUS if p >= FUZZY_MIN_POPULATION else 0.0)
                      for b, p in zip(near_bonus, population, strict=True)]
    front_bonus = [0.0] * n
    if frontline is not None and n > 1:
        lat = np.array([cols.latitude[c] for c in cands])
        lon = np.array([cols.longitude[c] for c in cands])
        front_bonus = np.where(front_km(frontline, lat, lon) <= FRONT_KM, 2.0, 0.0).tolist()
        near_bonus = [b + f for b, f in zip(near_bonus, front_bonus, strict=True)]
    alt = index.alt_cities.get(key) if n > 1 else None
    if alt and 0 < len(alt.intersection(cands)) < n:
        # A city's alternate (often former) name weighs less than a namesake's own name
        # (a village's former name does not: the renamed village is often the one meant).
        score = [s - ALT_NAME_PENALTY if c in alt else s for s, c in zip(score, cands, strict=True)]
    totals = [s + c + b for s, c, b in zip(score, ctx_bonus, near_bonus, strict=True)]
    if n > 1:
        first, second = heapq.nlargest(2, totals)
        if first - second <= DENSITY_STEP * DENSITY_CAP:  # a tie-breaker: only near ties
            dense = anchors.density(members, cands)
            near_bonus = [b + DENSITY_STEP * min(d, DENSITY_CAP)
                          for b, d in zip(near_bonus, dense, strict=True)]
            totals = [t + DENSITY_STEP * min(d, DENSITY_CAP)
                      for t, d in zip(totals, dense, strict=True)]
    total = np.array(totals)
    order = np.argsort(-total)
    best = int(order[0])
    pos = cands[best]
    name = members[0].text
    probs = np.exp(total - total.max())
    confidence = float(probs[best] / probs.sum())
    support = ctx_bonus[best] + near_bonus[best]
    big = population[best] >= WELL_KNOWN_POPULATION or cols.kind[pos] != "settlement"
    if (big and n > 1 and cols.kind[pos] == "settlement" and near_bonus[best] == 0
            and ctx_bonus[best] <= 1.0 and all(IN_LIST in h.notes for h in members)
            and anchors.spread_in_sentence(members) <= FAR_KM):
        # "Chervonyi Mayak, Osokorivka, Lvov, Dudchany": a big city in a list of
        # villages that lie close together is doubted like a village (Lviv is not meant).
        big = False
    if fuzzy and support == 0 and population[best] < FUZZY_MIN_POPULATION:
        return None, 0.0, (f"fuzzy match {cols.names[pos]!r} is a small place and nothing "
                           "in the report points to it")
    if (fuzzy and paragraph_oblasts and not set(admin1) & paragraph_oblasts
            and population[best] < FUZZY_MIN_POPULATION):
        # A near spelling of a village is weak evidence; the oblast the paragraph names
        # is strong.
        return None, 0.0, (f"fuzzy match: no place spelt like {name!r} in "
                           f"{', '.join(sorted(paragraph_oblasts))}, named in the same paragraph")
    if n == 1:
        return pos, 1.0, f"only {cols.kind[pos]} of this name"
    if (sentence_oblasts and not set(admin1) & sentence_oblasts
            and anchors.nearest_in_sentence(pos, members) > SENTENCE_NEIGHBOUR_KM):
        biggest = max(range(n), key=population.__getitem__)  # the first of equals, as argmax
        # A city is named in its own right ("near Nikolayev"), unless the name is that
        # of countless villages ("Aleksandrovka": a hundred, one of them a city part).
        if population[biggest] >= WELL_KNOWN_POPULATION and cols.kind[cands[biggest]] == (
                "settlement") and n <= CITY_NAME_MAX_HOMONYMS:
            pos = cands[biggest]
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
        # "Peschanoye" near Kupyansk: the Russian form of a Kharkiv Pishchane that the
        # gazetteer spells otherwise, not the Peschanoye of Belgorod.
        near = near_spelling_in_report(key, cands, index, oblast_ctx, anchors) if not fuzzy \
            else None
        if near is not None:
            pos, km = near
            return pos, 0.5, (f"no {name!r} in an oblast or near a place this report names; "
                              f"the near spelling {cols.names[pos]!r} in {cols.admin1[pos]} "
                              f"(named in the report) is {km:.0f} km from one")
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


def _columns(cands: tuple[int, ...], cols: PlaceColumns
             ) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
    """Admin1, effective population and prior score of each candidate (memoised per tuple)."""
    return memoised(cols, "_columns", cands,
                    lambda: (tuple(cols.admin1[c] for c in cands),
                             tuple(cols.population_eff[c] for c in cands),
                             tuple(cols.score[c] for c in cands)))


