"""Which kind of place a mention is, and where the text itself puts it.

Before homonyms are scored (:mod:`tracker.geoparse_resolve`), the candidates of a
mention are narrowed by what the words around it ask for (:func:`narrow`: "the
city of Donetsk", "the Donetsk region", "Pokrovsk district", "Zaporizhzhya
Region" in a spelling only the city has) and by where the text puts it
(:func:`keep_where_stated`: "Mirny in the Kursk region", "the Russian villages of
A and B"). After the choice, :func:`hromada_of` turns a town cued as a community
into its hromada and :func:`at_precision` a town cued as a district into its
area.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tracker.geoparse_filters import has_oblast_form, oblast_capitals
from tracker.geoparse_find import Hit
from tracker.geoparse_fuzzy import _fuzzy
from tracker.geoparse_index import NameIndex, memoised
from tracker.models import Place
from tracker.names import normalize

__all__ = ["narrow", "keep_where_stated", "hromada_of", "at_precision", "community_seats"]

_KIND_ORDER = ("country", "settlement", "oblast", "region", "water", "raion", "hromada", "other")
#: "X region" without an oblast X is the area around town X, if X has this many people.
REGION_TOWN_POPULATION = 10_000


#: "Pokrovsk community": the unit word a community's name may carry in the key.
_COMMUNITY_TAIL = re.compile(r" (?:community|hromada|municipality)$")


def community_seats(hit: Hit, index: NameIndex) -> tuple[int, ...]:
    """Seats of the hromadas whose adjective the name of a "community" hit is read back from.

    The press writes "the Pokrovsk community" for any Pokrovska hromada, whatever its seat
    (Pokrovsk in Donetsk oblast, the village of Pokrovske in Nikopol raion): the seat of
    every hromada whose adjective is the name plus -a (Pokrovsk-a) or -ska (Nikopol-ska)
    is a candidate, and :func:`hromada_of` turns the chosen seat into its hromada.
    """
    stem = _COMMUNITY_TAIL.sub("", hit.base)
    cols = index.py
    forms = (f"{stem}a hromada", f"{stem}ska hromada") if stem.endswith("sk") else (
        f"{stem}ska hromada",)
    seats = _seats(index)
    return tuple(seat for form in forms for c in index.tkeys.get(form, ())
                 if cols.kind[c] == "hromada" for seat in seats.get(c, ()))


def _seats(index: NameIndex) -> dict[int, tuple[int, ...]]:
    """Hromada position -> the settlements at its point in it (its seat; built once)."""
    seats = index.__dict__.get("_hromada_seats")
    if seats is None:
        cols = index.py
        by_unit: dict[tuple[str, str, float, float], int] = {}
        for c, kind in enumerate(cols.kind):
            if kind == "hromada":
                by_unit[(cols.names[c], cols.admin1[c], cols.latitude[c], cols.longitude[c])] = c
        found: dict[int, list[int]] = {}
        for c, kind in enumerate(cols.kind):
            if kind == "settlement" and cols.hromada[c]:
                unit = by_unit.get((cols.hromada[c], cols.admin1[c], cols.latitude[c],
                                    cols.longitude[c]))
                if unit is not None:
                    found.setdefault(unit, []).append(c)
        seats = index.__dict__["_hromada_seats"] = {u: tuple(v) for u, v in found.items()}
    return seats


def narrow(hit: Hit, index: NameIndex) -> tuple[int, ...]:
    """Keep the candidates of the kind the words around the hit ask for (memoised)."""
    cols = index.py
    cands = hit.candidates
    if len(cands) == 1 and not hit.cue:
        return cands  # the kind order below keeps a lone candidate whatever its kind
    if hit.cue == "oblast" and not any(cols.kind[c] == "oblast" for c in cands):
        # "the Kirovograd and Dnepropetrovsk regions": bare, an old name of the city
        # (Dnipro); with a region word, the oblast indexed as "Dnepropetrovsk region".
        if has_oblast_form(hit.base, index):
            return tuple(c for c in index.tkeys[f"{hit.base} region"] if cols.kind[c] == "oblast")
    # the same (candidates, cue) recur in every report
    keep, town_region = memoised(cols, "_narrow", (cands, hit.cue),
                                 lambda: _narrowed(cands, hit.cue, index))
    if town_region and hit.precision is None:
        hit.precision = 2
    return keep


def _narrowed(cands: tuple[int, ...], cue: str, index: NameIndex
              ) -> tuple[tuple[int, ...], bool]:
    """Keep the candidates of the kind the cue asks for; say if "X region" is a town's area."""
    cols = index.py
    kinds = [cols.kind[c] for c in cands]
    if cue == "raion":
        keep = tuple(c for c, k in zip(cands, kinds, strict=True) if k in ("raion", "hromada"))
        if keep:
            return keep, False
        towns = tuple(c for c, k in zip(cands, kinds, strict=True) if k == "settlement")
        return towns or cands, False
    if cue in {"oblast", "settlement", "water"} and cue in kinds:
        return tuple(c for c, k in zip(cands, kinds, strict=True) if k == cue), False
    if cue == "oblast":
        # "Zaporizhzhya Region", a spelling only the city has: the oblast named after it.
        capitals = oblast_capitals(index)
        for c in cands:
            oblast = index.oblast_of.get(cols.admin1[c]) if c in capitals else None
            if oblast is not None:
                return (oblast,), False
        # "the Pokrovsk region" is the area around a town; a village is never a region.
        population = cols.population
        return tuple(c for c, k in zip(cands, kinds, strict=True)
                     if k == "settlement" and population[c] >= REGION_TOWN_POPULATION), True
    for wanted in _KIND_ORDER:
        if wanted in kinds:
            return tuple(c for c, k in zip(cands, kinds, strict=True) if k == wanted), False
    return cands, False


#: Kinds of area a text may put a place in.
_UNITS = frozenset({"oblast", "raion", "hromada"})


def _units_named(base: str, index: NameIndex, kinds: tuple[str, ...]) -> tuple[int, ...]:
    """Return the hromadas or raions named after a town ("Nova Sloboda hromada")."""
    kind = index.py.kind
    return tuple(c for word in kinds for c in index.tkeys.get(f"{base} {word}", ())
                 if kind[c] == word)


def _stated_region(hit: Hit, index: NameIndex) -> tuple[str, str, str] | None:
    """Where the text itself puts a hit: a raion, a hromada, an oblast or a country, if anywhere.

    Returns (field, value, oblast): ("raion", name, its oblast), ("hromada", name, its
    oblast), ("admin1", oblast, oblast), ("unit", oblast, oblast) for communities of one
    oblast, ("country", code, "") or None.

    "A in the Kursk region" (an unambiguous oblast right after it), "A, B, Kupiansk
    district;" and "A in Nova Sloboda hromada" (one raion, or units of one oblast), "the
    Russian villages of A and B" (a country word before a list).
    """
    cols = index.py
    target = hit.located_in
    if target is not None and not target.reject and target.candidates:
        cands = target.candidates
        if target.cue == "raion" and not any(cols.kind[c] in _UNITS for c in cands):
            # "in Nova Sloboda hromada": the units named after the towns of that name
            cands = _units_named(target.base, index, ("hromada", "raion"))
        if len(cands) == 1 and cols.kind[cands[0]] in ("raion", "hromada"):
            return cols.kind[cands[0]], cols.names[cands[0]], cols.admin1[cands[0]]
        oblasts = {cols.admin1[c] for c in cands}
        if len(oblasts) == 1 and all(cols.kind[c] in _UNITS for c in cands):
            oblast = oblasts.pop()
            # a district or community only: trusted unless the report names other oblasts
            # and not this one ("the Kryvyi Rih community" of a Donetsk report is a
            # mistranslated Kryvorizka hromada, not Kryvyi Rih's)
            field = "admin1" if all(cols.kind[c] == "oblast" for c in cands) else "unit"
            return field, oblast, oblast
    if hit.country:
        return "country", hit.country, ""
    return None


def keep_where_stated(hit: Hit, index: NameIndex, named_oblasts: frozenset[str] = frozenset()
                      ) -> None:
    """Drop the settlements a hit cannot be, given where the text says it lies.

    With none left, the mention stays unresolved with the reason: the gazetteer
    lacks that place ("Mirny in the Kursk region" is not the Myrnyi of Crimea). A
    district or community (not an oblast) is trusted only when the report names no
    oblast or names the one it lies in (``named_oblasts``).
    """
    if hit.cue not in ("", "settlement"):
        return
    cols = index.py
    stated = _stated_region(hit, index)
    if stated is None:
        return
    field, value, oblast = stated
    if field in ("raion", "hromada", "unit") and named_oblasts and oblast not in named_oblasts:
        return
    if field == "unit":
        field = "admin1"
    cands = hit.candidates
    if field in ("raion", "hromada"):
        # Reports also use the raions of before 2020 and loose ones: none of the name in
        # the raion (or hromada: "Yelyzavetivka of the Maryinka community") stated, the
        # unit's oblast is still stated.
        unit = cols.raion if field == "raion" else cols.hromada
        keep = tuple(c for c in cands if cols.kind[c] != "settlement" or unit[c] == value)
        if keep:
            hit.candidates = keep
            return
        field, value = "admin1", oblast
    column = cols.admin1 if field == "admin1" else cols.country
    keep = tuple(c for c in cands if cols.kind[c] != "settlement" or column[c] == value)
    if len(keep) == len(cands):
        return
    if not keep and hit.match == "exact":
        # "Borshchove ... in the Kharkiv region": a near spelling there (Borshchova).
        near = _fuzzy(hit.key, index)
        inside = tuple(sorted(p for p in (near[1] if near else ())
                              if cols.kind[p] == "settlement" and column[p] == value))
        if inside:
            hit.candidates, hit.match, hit.match_score = inside, "fuzzy", near[2]
            return
    if not keep:
        where = f"country {value}" if field == "country" else value
        hit.reject = (f"no place named {hit.text!r} in {where}, where the text puts it "
                      "(the gazetteer lacks it)")
    hit.candidates = keep


def hromada_of(hit: Hit, place: Place, index: NameIndex, place_of) -> Place | None:
    """Return the hromada named after the mentioned town ("Esman community"), if any.

    The gazetteer names each hromada after its seat as well ("Esman hromada"); among
    several, the one in the oblast of the town the resolver chose; failing that, the
    town's own hromada if the town is its seat.
    """
    cols = index.py
    found = _units_named(hit.base, index, ("hromada",))
    same = [c for c in found if cols.admin1[c] == place.admin1]
    if len(same) == 1:
        return place_of(same[0])
    # Else the town's own hromada, when the town is its seat (a hromada sits at its seat).
    for c in index.tkeys.get(normalize(place.hromada), ()) if place.hromada else ():
        if cols.kind[c] == "hromada" and (cols.latitude[c], cols.longitude[c]) == (
                place.latitude, place.longitude):
            return place_of(c)
    return place_of(found[0]) if len(found) == 1 else None


def at_precision(place: Place, hit: Hit) -> Place:
    """Return the place at the precision its cue asks: a town cued as a district is its area."""
    if hit.cue == "raion" and place.kind == "settlement":
        return replace(place, place_id=f"{place.place_id}/raion", name=f"{place.name} Raion",
                       kind="raion", geo_precision=3, hromada="")
    if hit.precision and place.kind == "settlement" and place.geo_precision < hit.precision:
        return replace(place, geo_precision=hit.precision)
    return place
