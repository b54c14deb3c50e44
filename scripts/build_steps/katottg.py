"""KATOTTG, Ukraine's codifier of territorial units: its settlements joined to GeoNames.

Used by :mod:`build_steps.places`. Settlements are matched to GeoNames places
Cyrillic-to-Cyrillic (and by national transliteration) within their oblast; homonyms are
settled by distance to the settlement's hromada / raion anchor (``HROMADA_KM``,
``RAION_KM``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.names import (
    is_cyrillic,
    is_latin,
    normalize,
    translit_uk,
)

# KATOTTG oblast (level-1) names -> admin1 names of DESIGN.md.
KATOTTG_OBLAST = {
    "Автономна Республіка Крим": "Crimea", "Вінницька": "Vinnytsia", "Волинська": "Volyn",
    "Дніпропетровська": "Dnipropetrovsk", "Донецька": "Donetsk", "Житомирська": "Zhytomyr",
    "Закарпатська": "Zakarpattia", "Запорізька": "Zaporizhzhia",
    "Івано-Франківська": "Ivano-Frankivsk", "Київська": "Kyiv", "Кіровоградська": "Kirovohrad",
    "Луганська": "Luhansk", "Львівська": "Lviv", "Миколаївська": "Mykolaiv", "Одеська": "Odesa",
    "Полтавська": "Poltava", "Рівненська": "Rivne", "Сумська": "Sumy",
    "Тернопільська": "Ternopil", "Харківська": "Kharkiv", "Херсонська": "Kherson",
    "Хмельницька": "Khmelnytskyi", "Черкаська": "Cherkasy", "Чернівецька": "Chernivtsi",
    "Чернігівська": "Chernihiv", "Київ": "Kyiv City", "Севастополь": "Sevastopol",
}
# KATOTTG categories: M city, X selyshche (incl. former urban-type), C village, K special city.
SETTLEMENT_CATEGORIES = {"M": 0, "K": 0, "X": 1, "C": 2}
# Homonyms: a GeoNames candidate is accepted for a KATOTTG settlement only within this many km
# of the settlement's hromada (raion) anchor.
HROMADA_KM = 35.0
RAION_KM = 80.0


def read_katottg(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, header=None, dtype=str, skiprows=4).fillna("")
    raw.columns = ["l1", "l2", "l3", "l4", "l5", "cat", "name"]
    raw["name"] = raw["name"].str.strip().str.replace("\u2019", "'").str.replace("\u02bc", "'")
    raw["code"] = raw[["l5", "l4", "l3", "l2", "l1"]].apply(
        lambda r: next(c for c in r if c), axis=1)
    names = dict(zip(raw["code"], raw["name"], strict=True))
    raw["oblast"] = raw["l1"].map(names).map(KATOTTG_OBLAST).fillna("")
    raw["raion_uk"] = raw["l2"].map(names).fillna("")
    raw["hromada_uk"] = raw["l3"].map(names).fillna("")
    return raw[raw["cat"].isin(["O", "K", "P", "H", "M", "X", "C"])].reset_index(drop=True)


def join_katottg(kat: pd.DataFrame, gn: pd.DataFrame) -> tuple[dict[str, int], dict]:
    """Match each KATOTTG settlement to at most one GeoNames place (index into ``gn``)."""
    ua = gn[gn["country"] == "UA"]
    by_cyr: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_lat: dict[tuple[str, str], set[int]] = defaultdict(set)
    for idx, admin1, admin1_poly, name, alts in zip(
            ua.index, ua["admin1"], ua["admin1_polygon"], ua["name"], ua["alternatenames"],
            strict=True):
        for alt in [name, *alts]:
            key = normalize(alt)
            if not key:
                continue
            for where in {admin1, admin1_poly} - {""}:
                if is_cyrillic(alt):
                    by_cyr[(where, key)].add(idx)
                elif is_latin(alt):
                    by_lat[(where, key)].add(idx)
    settle = kat[kat["cat"].isin(list(SETTLEMENT_CATEGORIES))]
    cand: dict[str, set[int]] = {}
    how: dict[str, str] = {}
    for code, oblast, name in zip(settle["code"], settle["oblast"], settle["name"], strict=True):
        found = by_cyr.get((oblast, _cyr_key(name)), set())
        kind = "cyrillic"
        if not found:
            found = by_lat.get((oblast, normalize(translit_uk(name))), set())
            kind = "translit"
        if found:
            cand[code] = set(found)
            how[code] = kind
    claims: dict[int, list[str]] = defaultdict(list)
    for code, found in cand.items():
        for idx in found:
            claims[idx].append(code)
    match: dict[str, int] = {}
    for code, found in cand.items():
        if len(found) == 1:
            idx = next(iter(found))
            if len(claims[idx]) == 1:
                match[code] = idx
    info = settle.set_index("code")
    lat = gn["latitude"].to_dict()
    lon = gn["longitude"].to_dict()
    rejected = _reject_far(match, settle, lat, lon)
    # Homonyms: nearest candidate to the hromada (else raion) anchor of the unambiguous ones.
    anchors = {}
    for level in ("l3", "l2"):
        acc: dict[str, list[int]] = defaultdict(list)
        for code, idx in match.items():
            acc[info.at[code, level]].append(idx)
        anchors[level] = {k: (np.mean([lat[i] for i in v]), np.mean([lon[i] for i in v]))
                          for k, v in acc.items()}
    pairs = []
    for code, found in cand.items():
        if code in match:
            continue
        for level, limit in (("l3", HROMADA_KM), ("l2", RAION_KM)):
            anchor = anchors[level].get(info.at[code, level])
            if anchor is None:
                continue
            for idx in found:
                dist = km(anchor[0], anchor[1], lat[idx], lon[idx])
                if dist <= limit:
                    pairs.append((dist, code, idx))
            break
    used = set(match.values())
    for _dist, code, idx in sorted(pairs):
        if code in match or idx in used:
            continue
        match[code] = idx
        used.add(idx)
        how[code] = how[code] + "+distance"
    figures = {"katottg_settlements": int(len(settle)), "matched": len(match), "by_oblast": {},
               "rejected_too_far": rejected, "with_a_name_candidate": len(cand)}
    for oblast, group in settle.groupby("oblast", sort=True):
        codes = group["code"]
        n_match = sum(c in match for c in codes)
        figures["by_oblast"][oblast] = {
            "settlements": int(len(group)),
            "matched": int(n_match),
            "cyrillic": int(sum(c in match and how[c] == "cyrillic" for c in codes)),
            "translit": int(sum(c in match and how[c] == "translit" for c in codes)),
            "homonym_by_distance": int(sum(c in match and how[c].endswith("+distance")
                                           for c in codes)),
        }
    geonames_ua = int(len(ua))
    figures["geonames_ua"] = geonames_ua
    figures["geonames_ua_joined"] = len(set(match.values()))
    return match, figures


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _cyr_key(name: str) -> str:
    return normalize(name)


def _reject_far(match: dict[str, int], settle: pd.DataFrame, lat: dict, lon: dict) -> int:
    """Drop name matches far from where the settlement must be; return how many.

    A unique name match can still be wrong (a renamed place elsewhere in the oblast kept the
    name in GeoNames). The reference is the hromada's seat (its first settlement in KATOTTG)
    when that is matched, else the median position of the raion's matches.
    """
    seat = settle.groupby("l3", sort=False)["code"].first().to_dict()
    by_raion: dict[str, list[int]] = defaultdict(list)
    for code, raion in zip(settle["code"], settle["l2"], strict=True):
        if code in match:
            by_raion[raion].append(match[code])
    median = {r: (float(np.median([lat[i] for i in v])), float(np.median([lon[i] for i in v])))
              for r, v in by_raion.items()}
    drop = []
    for code, hromada, raion in zip(settle["code"], settle["l3"], settle["l2"], strict=True):
        if code not in match or not hromada or not raion:  # Kyiv, Sevastopol: no hierarchy
            continue
        idx = match[code]
        ref_code = seat.get(hromada)
        if ref_code and ref_code != code and ref_code in match:
            ref, limit = match[ref_code], HROMADA_KM + 10
            dist = km(lat[ref], lon[ref], lat[idx], lon[idx])
        elif raion in median:
            limit = RAION_KM
            dist = km(*median[raion], lat[idx], lon[idx])
        else:
            continue
        if dist > limit:
            drop.append(code)
    for code in drop:
        del match[code]
    return len(drop)
