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
