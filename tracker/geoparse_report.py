"""What a report says as a whole, for the resolver (:mod:`tracker.geoparse_resolve`).

- which oblasts, raions and hromadas it names, sentence by sentence
  (:func:`oblast_context`), and the countries they lie in (:func:`countries_of`);
- one sense per report: a bare "Kursk" is the oblast when the report calls it a region
  and never a city (:func:`one_sense_per_report`), and a bare mention follows the
  mentions of its name that say where they are (:func:`follow_located_mentions`);
- near spellings placed by the report's geography (:func:`near_spelling_in_report`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from tracker.geoparse_context import great_circle_km
from tracker.geoparse_filters import DATELINE, DIRECTION_OF_OBLAST, NEAR_NOTE, NEAR_POINT
from tracker.geoparse_fuzzy import _fuzzy
from tracker.geoparse_index import NameIndex, PlaceColumns
from tracker.geoparse_lists import BRACKETED, IN_LIST

if TYPE_CHECKING:
    from tracker.geoparse_find import Hit

__all__ = ["oblast_context", "countries_of", "km_to_oblasts", "one_sense_per_report",
           "follow_located_mentions", "near_spelling_in_report", "NEAR_SPELLING_KM"]

#: A near spelling stands for a name whose places are all far off only this close to
#: another place of the report.
NEAR_SPELLING_KM = 60.0


def follow_located_mentions(choice: dict, cols: PlaceColumns, oblasts: set[str]) -> None:
    """Give a bare mention the place its name's located mentions agree on, if it has none.

    "They have taken Grigoryevka" in a headline is the "Grigoryevka near Seversk" of the
    body (one sense per report): when every mention of a name that says where it is
    ("A, near C", "A in X Oblast") went to one place, a bare mention of the name with
    the same kind cue goes there too if it was left unresolved or went to an oblast
    the report does not name while that place's oblast is named (``oblasts``). Else
    it keeps its own choice: an explainer of homonyms ("the other Petropavlivka, near
    Kupiansk") means another place by the bare name.
    """
    located: dict[tuple[str, str], dict] = defaultdict(dict)
    for (key, group), (pos, confidence, _) in choice.items():
        if "@" in group:
            places = located[(key, group.split("@", 1)[0])]
            places[pos] = min(confidence, places.get(pos, confidence))
    if not located:
        return
    for gkey, (pos, _, _) in list(choice.items()):
        places = located.get(gkey)
        if places and len(places) == 1 and None not in places and pos not in places:
            ((where, confidence),) = places.items()
            if pos is not None and (cols.admin1[pos] in oblasts
                                    or cols.admin1[where] not in oblasts):
                continue
            choice[gkey] = (where, confidence, f"the place of this name the report locates "
                            f"({cols.names[where]}, {cols.admin1[where] or cols.country[where]})")

def one_sense_per_report(hits: list[Hit], cols: PlaceColumns) -> None:
    """Make a bare "Kursk" the oblast when the report calls it a region and never a city."""
    if not any(hit.cue == "oblast" for hit in hits):
        return  # nothing is called a region: no bare name to promote
    cues: dict[str, set[str]] = defaultdict(set)
    oblast_sentences: dict[str, set[int]] = defaultdict(set)
    for hit in hits:
        # "The Kharkiv direction" is the oblast's front, but a report that writes it
        # uses the bare name for the city (as it did before directions were oblasts).
        # A dateline names where the story was filed, not what the writer calls the name.
        if hit.cue_why != DATELINE:
            cues[hit.base].add("settlement" if hit.cue_why == DIRECTION_OF_OBLAST else hit.cue)
        if hit.cue == "oblast":
            oblast_sentences[hit.base].add(hit.sentence)
    kind = cols.kind
    for hit in hits:
        if hit.cue or hit.match == "fuzzy":
            continue
        # "Olhivka, and Kherson", "north of Kharkiv": a member of a list or a point to
        # measure from is the city, whatever the report calls a region elsewhere.
        if IN_LIST in hit.notes or NEAR_POINT in hit.notes:
            continue
        seen = cues[hit.base]
        # "Sumy and the Sumy region" in one sentence sets the city against the region.
        if hit.sentence in oblast_sentences[hit.base]:
            continue
        if "oblast" in seen and "settlement" not in seen and any(
                kind[c] == "oblast" for c in hit.candidates):
            hit.cue, hit.cue_why = "oblast", "the report calls it a region elsewhere"

def oblast_context(hits: list[Hit], cols: PlaceColumns, unit_oblasts: frozenset[str] = frozenset()
                    ) -> list[tuple[int, int, str, str]]:
    """(sentence, paragraph, admin1, raion) of every oblast or raion named in the report.

    A raion or hromada says which oblast only when that oblast is one of ``unit_oblasts``
    (empty: any): "the Khotyn community" of a report about Sumy and its villages is
    Sumy's Khotin, not Chernivtsi's Khotyn.
    """
    out = []
    kind, admin1 = cols.kind, cols.admin1
    for hit in hits:
        # "... evacuated to Bakhmut (Donetsk Oblast)": the bracket places Bakhmut only; to
        # the sentence's other places it is an oblast the report names, no more.
        sentence, paragraph = (-1, -1) if BRACKETED in hit.notes else (hit.sentence,
                                                                       hit.paragraph)
        if hit.precision == 2 and NEAR_NOTE in hit.notes:
            continue  # "north of the Donetsk region", "near the Kursk region": not in it
        if hit.match == "fuzzy":
            continue  # a near spelling of a district does not say which oblast is meant
        cands = hit.candidates
        unit = kind[cands[0]] != "oblast"
        if unit and unit_oblasts and admin1[cands[0]] not in unit_oblasts:
            continue
        if len(cands) == 1 and kind[cands[0]] in ("oblast", "raion", "hromada"):
            pos = cands[0]
            raion = cols.names[pos] if kind[pos] == "raion" else ""
            out.append((sentence, paragraph, admin1[pos], raion))
        elif hit.cue == "raion" and len({admin1[c] for c in cands}) == 1:
            out.append((sentence, paragraph, admin1[cands[0]], ""))
    return out

def km_to_oblasts(pos: int, oblasts: set[str], index: NameIndex) -> float:
    """Km from a place to the nearest centre of the given oblasts (infinite if none)."""
    centres = [index.oblast_of[a] for a in oblasts if a in index.oblast_of]
    if not centres:
        return float("inf")
    return float(great_circle_km(index.py, centres, pos).min())

def countries_of(oblast_ctx, index: NameIndex) -> frozenset[str]:
    """Countries of the oblasts (and raions) the report names."""
    cols = index.py
    return frozenset(cols.country[index.oblast_of[a]] for _, _, a, _ in oblast_ctx
                     if a in index.oblast_of)

def near_spelling_in_report(key: str, cands: tuple[int, ...], index: NameIndex, oblast_ctx,
                             anchors) -> tuple[int, float] | None:
    """Find the settlement spelt nearly like ``key`` closest to the report's places, if near one.

    Only in an oblast the report names and within ``NEAR_SPELLING_KM`` of a place of
    another name the report resolved without doubt. Returns (position, km).
    """
    oblasts = {a for _, _, a, _ in oblast_ctx}
    near = _fuzzy(key, index) if oblasts else None
    if near is None:
        return None
    cols = index.py
    inside = [p for p in near[1] if p not in cands and cols.admin1[p] in oblasts
              and cols.kind[p] == "settlement"]
    if not inside:
        return None
    km, pos = min((anchors.nearest_km(p, key), p) for p in inside)
    return (pos, km) if km <= NEAR_SPELLING_KM else None
