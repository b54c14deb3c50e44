"""GeoNames postal codes: a position for villages that cities500 lacks.

cities500 holds places of 500 people or more, so most KATOTTG villages have no
GeoNames point and were put at their hromada's seat (several km off). GeoNames'
postal-code table names the village of each Ukrainian post office; rows whose
accuracy is 4 carry the position of the GeoNames gazetteer entry of that village.
A settlement without a cities500 match takes the nearest such point of its name in
its oblast, if that lies within ``HROMADA_KM`` of where it would otherwise be put (its
hromada seat), each point serving one settlement.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import shapely
import shapely.prepared

from tracker.names import normalize

from .common import UA_ADMIN1
from .katottg import HROMADA_KM, km

#: GeoNames' postal accuracy code for "the position of the GeoNames place" (1 and 3 are
#: guesses from neighbouring codes, 6 a centroid).
GAZETTEER_ACCURACY = "4"
#: Natural Earth's oblast outlines are coarse: a village this far (degrees) outside is kept.
EDGE_DEG = 0.05
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")


def read_postal(path: Path) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(admin1, name key) -> distinct positions of Ukrainian post-office villages."""
    out: dict[tuple[str, str], set[tuple[float, float]]] = defaultdict(set)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("UA\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 12 or cols[11] != GAZETTEER_ACCURACY:
                continue
            admin1 = UA_ADMIN1.get(cols[4], "")
            # "Есмань (Есманська селищна рада)": the bracket names the council.
            key = normalize(_BRACKETS.sub("", cols[2]).replace("\u2019", "'"))
            if admin1 and key:
                out[(admin1, key)].add((round(float(cols[9]), 5), round(float(cols[10]), 5)))
    return {k: sorted(v) for k, v in out.items()}


def place_villages(todo: list[tuple[str, str, str, float, float]],
                   postal: dict[tuple[str, str], list[tuple[float, float]]],
                   polygons: dict) -> dict[str, tuple[float, float]]:
    """Give settlements a post-office position: nearest first, each position used once.

    Parameters
    ----------
    todo : list of (code, admin1, Ukrainian name, lat, lon)
        Settlements without a GeoNames point and where they would be put otherwise.
    postal : dict
        From :func:`read_postal`.
    polygons : dict
        admin1 -> shapely polygon; a point farther than ``EDGE_DEG`` outside its
        oblast is a mislabelled row and is not used.

    Returns
    -------
    dict
        KATOTTG code -> (lat, lon).
    """
    pairs = []
    grown = {}
    for code, admin1, name, lat, lon in todo:
        for point in postal.get((admin1, normalize(name)), ()):
            dist = km(lat, lon, *point)
            if dist > HROMADA_KM:
                continue
            if admin1 not in grown:
                grown[admin1] = shapely.prepared.prep(polygons[admin1].buffer(EDGE_DEG))
            if grown[admin1].contains(shapely.Point(point[1], point[0])):
                pairs.append((dist, code, point))
    out: dict[str, tuple[float, float]] = {}
    used: set[tuple[float, float]] = set()
    for _dist, code, point in sorted(pairs):
        if code not in out and point not in used:
            out[code] = point
            used.add(point)
    return out


# --- Russia's border regions -------------------------------------------------------------

#: The postal table's Russian region names -> admin1 (the regions the news is about).
RU_BORDER = {"Курская Область": "Kursk", "Белгородская Область": "Belgorod",
             "Брянская Область": "Bryansk"}
#: The same village as a cities500 place when that close (km).
SAME_PLACE_KM = 5.0
_ADJECTIVE_END = re.compile(r"(?:ский|цкий|ской|ной|ный)$")


def read_russian_villages(path: Path) -> list[tuple[str, str, str, str, float, float, bool]]:
    """(postal code, name, admin1, district, lat, lon, exact) of border-region villages.

    ``exact`` marks rows of accuracy 4 (a GeoNames gazetteer point); in Russia many of
    those still carry a namesake's point hundreds of km away, and the other rows an
    approximate one: :func:`place_russian_villages` sorts them out.
    """
    out = []
    seen: set[tuple[str, str, float, float]] = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("RU\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 12 or cols[3] not in RU_BORDER:
                continue
            name = _BRACKETS.sub("", cols[2]).strip()
            point = (round(float(cols[9]), 5), round(float(cols[10]), 5))
            key = (RU_BORDER[cols[3]], normalize(name), *point)
            if name and key not in seen:
                seen.add(key)
                out.append((cols[1], name, RU_BORDER[cols[3]], cols[5], *point,
                            cols[11] == GAZETTEER_ACCURACY))
    return sorted(out)


def district_seat(district: str, towns: list[tuple[list[str], int, float, float]]
                  ) -> tuple[float, float] | None:
    """Where a Russian district's seat is: the town its adjective comes from.

    ``towns`` are (Cyrillic names, population, lat, lon) of the region's cities500
    places; "СУДЖАНСКИЙ РАЙОН" -> Суджа, "ГРАЙВОРОНСКИЙ РАЙОН" -> Грайворон: the
    biggest town whose name shares the stem's beginning (at least 4 letters and all
    but 2 of the stem), as a district's seat is its main town.
    """
    stem = _ADJECTIVE_END.sub("", district.split()[0].lower()) if district else ""
    if len(stem) < 4:
        return None
    best: tuple[int, float, float] | None = None
    for names, population, lat, lon in towns:
        for name in names:
            shared = len(os.path.commonprefix([name.lower(), stem]))
            if shared >= max(4, len(stem) - 2) and (best is None or population > best[0]):
                best = (population, lat, lon)
    return None if best is None else (best[1], best[2])


def place_russian_villages(villages, towns_by_admin1
                           ) -> list[tuple[str, str, str, float, float, int]]:
    """Place each village new to cities500: at its own point, else at its district's seat.

    A village keeps its own point (geo_precision 1) when the row is a gazetteer point
    within ``HROMADA_KM`` of its district's seat; otherwise (a namesake's point, an
    approximate row) it is put at the seat, geo_precision 2, as the Ukrainian villages
    without a point of their own sit at their hromada's seat. One entry per name and
    district (several post offices may serve a village), the point first; none where a
    cities500 place of the name lies within ``SAME_PLACE_KM`` of the point (or, for a
    seat, within ``HROMADA_KM``), nor where the district's seat is unknown.

    Parameters
    ----------
    villages : list
        From :func:`read_russian_villages`.
    towns_by_admin1 : dict
        admin1 -> list of (Cyrillic names, population, lat, lon) of cities500 places.

    Returns
    -------
    list of (postal code, name, admin1, lat, lon, geo_precision)
    """
    seats: dict[tuple[str, str], tuple[float, float] | None] = {}
    placed: dict[tuple[str, str, str], tuple[str, str, str, float, float, int]] = {}
    # The towns' name keys, once per region (not once per village and town).
    town_keys = {admin1: [({normalize(n) for n in names}, t_lat, t_lon)
                          for names, _, t_lat, t_lon in towns]
                 for admin1, towns in towns_by_admin1.items()}
    # Gazetteer points first, so that a village's own point wins over its other rows.
    for code, name, admin1, district, lat, lon, exact in sorted(
            villages, key=lambda v: (not v[6], v[0])):
        towns = towns_by_admin1.get(admin1, [])
        if (admin1, district) not in seats:
            seats[(admin1, district)] = district_seat(district, towns)
        seat = seats[(admin1, district)]
        key = normalize(name)
        if seat is None or (admin1, district, key) in placed:
            continue
        if exact and km(lat, lon, *seat) <= HROMADA_KM:
            point, precision, reach = (lat, lon), 1, SAME_PLACE_KM
        else:
            point, precision, reach = seat, 2, HROMADA_KM
        if any(key in keys and km(*point, t_lat, t_lon) <= reach
               for keys, t_lat, t_lon in town_keys.get(admin1, ())):
            continue
        placed[(admin1, district, key)] = (code, name, admin1, *point, precision)
    return sorted(placed.values())
