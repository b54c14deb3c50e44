"""Users' own places: the extra-places CSV of :meth:`tracker.gazetteer.Gazetteer.load`.

Columns ``name, latitude, longitude`` and optionally ``admin1, aliases, kind, country,
population`` (``aliases`` separated by ``;``). Each row becomes a place with the id
``extra:<normalised name>`` and source ``extra``; its spellings are indexed with the
name type ``extra``, which ranks before the bundled ones of the same match quality.
A bad file or row raises :class:`~tracker.errors.GazetteerError` naming ``file:line``.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.errors import GazetteerError
from tracker.gazetteer import _PLACE_COLUMNS, _read_bundled
from tracker.gazetteer_rank import KIND_ORDER
from tracker.names import normalize

__all__ = ["read_extra"]

_REQUIRED = ("name", "latitude", "longitude")
_OPTIONAL = ("admin1", "aliases", "kind", "country", "population")


def read_extra(path: Path, *, known: pd.DataFrame | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV of extra places into ``places`` and ``names`` frames.

    Parameters
    ----------
    path : Path
        UTF-8 CSV with a header row: ``name, latitude, longitude`` and optionally ``admin1``
        (one of DESIGN.md's admin-1 names; found from the coordinates when empty),
        ``aliases`` (separated by ``;``), ``kind`` (default ``settlement``), ``country``
        (ISO alpha-2; default from ``admin1``), ``population``.
    known : pandas.DataFrame, optional
        The bundled places (to look up the admin-1 names and their countries).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(places, names)`` shaped like :attr:`Gazetteer.places` and :attr:`Gazetteer.names`;
        ids are ``extra:<normalised name>``, source ``extra``, geo_precision 1.

    Raises
    ------
    GazetteerError
        ``file: ...`` for a missing file or column, ``file:line: ...`` for a bad row.
    """
    from tracker.models import Kind  # noqa: F401  (documents the valid kinds)

    valid_admin1 = _admin1_countries(known)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read extra places file ({exc.strerror})") from None
    places, names, seen = [], [], set()
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise GazetteerError(
                    f"{path}:1: missing column(s) {', '.join(missing)}; expected "
                    f"{', '.join(_REQUIRED)} and optionally {', '.join(_OPTIONAL)}")
            reader.fieldnames = header
            for row in reader:
                line = reader.line_num
                place, spellings = _extra_row(row, path, line, valid_admin1)
                pid = "extra:" + place["name_key"].replace(" ", "-")
                n = 2
                while pid in seen:
                    pid = f"extra:{place['name_key'].replace(' ', '-')}-{n}"
                    n += 1
                seen.add(pid)
                place["place_id"] = pid
                places.append(place)
                names.extend((normalize(s), s, pid, "extra") for s in spellings)
        except UnicodeDecodeError:
            raise GazetteerError(f"{path}: not UTF-8 text") from None
        except csv.Error as exc:
            raise GazetteerError(f"{path}:{reader.line_num}: {exc}") from None
    places_df = pd.DataFrame(places, columns=["place_id", *_PLACE_COLUMNS])
    if not places_df.empty and (places_df["admin1"] == "").any():
        _fill_admin1(places_df)
    places_df = places_df.set_index("place_id")
    places_df["geo_precision"] = places_df["geo_precision"].astype("int8")
    names_df = pd.DataFrame(names, columns=["key", "name", "place_id", "name_type"])
    return places_df, names_df


def _extra_row(row: dict, path: Path, line: int, valid_admin1: dict[str, str]):
    def fail(message: str) -> GazetteerError:
        return GazetteerError(f"{path}:{line}: {message}")

    if None in row:
        raise fail(f"more fields than the header has: {row[None]!r}")
    name = (row.get("name") or "").strip()
    if not normalize(name):
        raise fail(f"empty place name {name!r}")
    coords = []
    for col, bound in (("latitude", 90), ("longitude", 180)):
        text = (row.get(col) or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise fail(f"{col} {text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > bound:
            raise fail(f"{col} {text!r} is outside -{bound}..{bound}")
        coords.append(value)
    admin1 = (row.get("admin1") or "").strip()
    if admin1:
        match = {a.casefold(): a for a in valid_admin1}.get(
            re.sub(r"\s+(oblast|region)$", "", admin1, flags=re.I).casefold())
        if match is None:
            raise fail(f"admin1 {admin1!r} is not one of {', '.join(sorted(valid_admin1))}")
        admin1 = match
    kind = (row.get("kind") or "").strip().lower() or "settlement"
    if kind not in KIND_ORDER:
        raise fail(f"kind {kind!r} is not one of {', '.join(KIND_ORDER)}")
    country_text = (row.get("country") or "").strip()
    country = country_text.upper() or valid_admin1.get(admin1, "")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise fail(f"country {country_text!r} is not an ISO 3166-1 alpha-2 code such as UA")
    pop_text = (row.get("population") or "").strip()
    try:
        population = int(float(pop_text)) if pop_text else 0
    except ValueError:
        raise fail(f"population {pop_text!r} is not a number") from None
    aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if normalize(a)]
    place = {
        "name": name, "kind": kind, "admin1": admin1, "country": country,
        "latitude": coords[0], "longitude": coords[1], "population": population,
        "geo_precision": 1, "source": "extra", "raion": "", "hromada": "",
        "name_key": normalize(name),
    }
    return place, [name, *aliases]


def _admin1_countries(known: pd.DataFrame | None) -> dict[str, str]:
    if known is None:
        known = _read_bundled()[0]
    oblasts = known[known["kind"] == "oblast"]
    return dict(zip(oblasts["admin1"], oblasts["country"], strict=True))


def _fill_admin1(places: pd.DataFrame) -> None:
    """Set the admin-1 (and country) of extra places given without one, from the polygons."""
    from tracker.boundaries import admin1, admin1_at

    units = admin1()
    country_of = dict(zip(units["admin1"], units["country"], strict=True))
    todo = places["admin1"] == ""
    found = admin1_at(places.loc[todo, "latitude"].to_numpy(),
                      places.loc[todo, "longitude"].to_numpy())
    country = np.array([country_of.get(name, "") for name in found], dtype=object)
    places.loc[todo, "admin1"] = found
    no_country = todo & (places["country"] == "")
    places.loc[no_country, "country"] = country[no_country[todo].to_numpy()]
