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

The KATOTTG join lives in ``katottg.py``, the spellings in ``place_spellings.py`` and the
Parquet/PROVENANCE writers in ``places_output.py``; this module selects and assembles.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry import shape

from tracker.gazetteer_rank import NAME_TYPE_RANK, rank_names
from tracker.names import (
    is_cyrillic,
    normalize,
    translit_ru,
    translit_uk,
)

from .common import RU_ADMIN1, UA_ADMIN1
from .katottg import KATOTTG_OBLAST, SETTLEMENT_CATEGORIES, join_katottg, km, read_katottg
from .place_spellings import (
    COUNTRY_FORMS,
    DONBAS_FORMS,
    foreign_spellings,
    oblast_spellings,
    ua_spellings,
    unit_spellings,
)
from .places_output import provenance, write_parquet
from .postal import (
    RU_BORDER,
    place_russian_villages,
    place_villages,
    read_postal,
    read_russian_villages,
)
from .seats import seat_of

# Capitals and million cities outside the neighbourhood; all of UA, BY, MD and the RU regions.
FULL_COUNTRIES = {"UA", "BY", "MD"}
MILLION = 1_000_000
# A GeoNames place KATOTTG lacks, of this many people or more, within this distance of a
# city of BIG_CITY people, is one of its neighbourhoods (kind "other").
CITY_PART_MIN = 3_000
CITY_PART_KM = 20.0
BIG_CITY = 100_000
_CITY_PART = re.compile(r"(district|raion|rayon|район|микрорайон|мікрорайон)", re.I)

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
    kat = read_katottg(Path(sources["kodifikator"]))
    match, figures = join_katottg(kat, gn)
    postal = read_postal(Path(sources["postal"]))
    ru_villages = place_russian_villages(read_russian_villages(Path(sources["postal"])),
                                         _border_towns(gn))
    places, names, located = _assemble(gn, kat, match, polygons, admin_country, countries,
                                       postal, ru_villages)
    figures["located"] = located

    write_parquet(places, PLACE_SCHEMA, out_dir / "places.parquet", sort=["place_id"])
    # Stored ranked, so Gazetteer.load() need not sort (tracker.gazetteer_rank.rank_names).
    names = rank_names(names.sort_values(["key", "place_id", "name"]),
                       places.set_index("place_id"))
    write_parquet(names, NAME_SCHEMA, out_dir / "names.parquet", sort=None)
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
    (out_dir / "PROVENANCE.md").write_text(provenance(figures), encoding="utf-8")
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


# --- Assembly ---------------------------------------------------------------------------

def _near_big_city(rec: dict, big_cities: list[tuple[float, float]]) -> bool:
    """A town-sized GeoNames place near a big city that KATOTTG does not list is a part of it."""
    if rec["population"] < CITY_PART_MIN or rec["admin1"] == "Sevastopol":
        return False
    return any(km(lat, lon, rec["latitude"], rec["longitude"]) <= CITY_PART_KM
               for lat, lon in big_cities)


def _round(x: float) -> float:
    return round(float(x), 5)


def _border_towns(gn: pd.DataFrame) -> dict[str, list[tuple[list[str], int, float, float]]]:
    """admin1 -> (Cyrillic names, population, lat, lon) of the cities500 places of Russia's
    border regions (the seats of their districts, for the post-office villages)."""
    out: dict[str, list] = defaultdict(list)
    ru = gn[(gn["country"] == "RU") & gn["admin1"].isin(RU_BORDER.values())]
    for alts, population, lat, lon, admin1 in zip(ru["alternatenames"], ru["population"],
                                                  ru["latitude"], ru["longitude"],
                                                  ru["admin1"], strict=True):
        names = [a for a in alts if is_cyrillic(a)]
        if names:
            out[admin1].append((names, int(population), float(lat), float(lon)))
    return out


def _assemble(gn, kat, match, polygons, admin_country, countries, postal, ru_villages):
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
    seat_h = {code: seat_of(members_h.get(code, settle.iloc[:0]), name, pop)
              for code, name in zip(hromadas["code"], hromadas["name"], strict=True)}
    seat_r = {code: seat_of(members_r.get(code, settle.iloc[:0]), name, pop)
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

    todo = [(row.code, row.oblast, row.name, *locate(row.code, row.l3, row.l2, row.oblast)[:2])
            for row in settle.itertuples(index=False) if row.code not in match]
    by_post_office = place_villages(todo, postal, polygons)

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
        elif row.code in by_post_office:
            pid = f"ua:{row.code}"
            (lat, lon), how = by_post_office[row.code], "GeoNames postal codes"
            located[how] += 1
            precision, population, source, alts = 1, 0, "katottg+postal", []
        else:
            pid = f"ua:{row.code}"
            lat, lon, how = locate(row.code, row.l3, row.l2, row.oblast)
            located[how] += 1
            precision, population, source, alts = 2, 0, "katottg", []
        spellings, ru_forms = ua_spellings(uk, alts)
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
            add_names(pid, unit_spellings(row.name, seat_name, kind,
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
            spellings, ru_forms = ua_spellings(uk_forms[0] if uk_forms else "", alts)
            name_uk = uk_forms[0] if uk_forms else ""
        else:
            spellings = foreign_spellings(alts, romanise=rec["country"] in ("RU", "BY"))
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

    # Villages of Russia's border regions that cities500 lacks, from post offices.
    for code, name, admin1, lat, lon, precision in ru_villages:
        pid = f"postal:RU{code}"
        places.append({
            "place_id": pid, "name": translit_ru(name), "kind": "settlement",
            "admin1": admin1, "country": "RU", "latitude": _round(lat),
            "longitude": _round(lon), "population": 0, "geo_precision": precision,
            "source": "postal", "raion": "", "hromada": "", "name_uk": "", "name_ru": name,
            "katottg": "",
        })
        add_names(pid, foreign_spellings([name], romanise=True))
        located["GeoNames postal codes (Russia)" if precision == 1
                else "Russian district seat"] += 1

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
        add_names(pid, oblast_spellings(admin1, oblast_uk.get(admin1, "")))
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
