"""ACLED export rows -> tracker events, at ACLED's own coordinates and with ACLED's coding.

An analyst merges ACLED's hand-coded events with their own reports in one
timeline. ACLED's ``event_type``/``sub_event_type`` map back onto the tracker's
event types (the inverse of :mod:`tracker.acled`), ``actor1`` gives the actor,
and the row's ``location`` is matched to the gazetteer place of that name
nearest to ACLED's point (within :data:`MATCH_KM`), so ACLED events and report
events about one village share a place id. A location the gazetteer lacks keeps
ACLED's coordinates under an ``acled:`` place id.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from pyproj import Geod

from tracker.models import Event, Place, Report
from tracker.names import normalize

#: A gazetteer place of the same name this close to ACLED's point is the same place.
MATCH_KM = 10.0
_GEOD = Geod(ellps="WGS84")

#: (ACLED event_type, sub_event_type) -> tracker event_type; by event_type when the
#: sub-type is not listed.
_SUB_TYPES = {
    "Government regains territory": "liberation",
    "Non-state actor overtakes territory": "capture",
    "Non-violent transfer of territory": "withdrawal",
    "Armed clash": "battle",
    "Agreement": "negotiation",
}
_TYPES = {
    "Battles": "battle",
    "Explosions/Remote violence": "strike",
    "Violence against civilians": "strike",
    "Strategic developments": "mention",
    "Protests": "mention",
    "Riots": "mention",
}
#: ACLED geo_precision is 1-3 like ours (3 = a region); anything else counts as 2.
_PRECISIONS = {"1": 1, "2": 2, "3": 3}


def events_from_acled(report: Report, gazetteer: Any) -> list[Event]:
    """Turn one ACLED row (a report whose ``extra`` holds the row) into its event.

    Parameters
    ----------
    report : Report
        From the ACLED loader: ``extra`` has ``event_type``, ``sub_event_type``,
        ``latitude``, ``longitude`` and usually ``location``, ``actor1``,
        ``admin1``, ``country``, ``geo_precision``, ``notes``.
    gazetteer : Gazetteer
        Used to give the event the place id the reports use for that location.

    Returns
    -------
    list of Event
        One event (ACLED rows are single events).
    """
    row = report.extra
    latitude, longitude = float(row["latitude"]), float(row["longitude"])
    acled_type, acled_sub = row.get("event_type", ""), row.get("sub_event_type", "")
    event_type = _SUB_TYPES.get(acled_sub) or _TYPES.get(acled_type, "mention")
    actor = _actor(row.get("actor1", ""))
    if event_type == "liberation" and actor == "RU":
        event_type = "capture"  # Russia "regaining" ground in Kursk is a capture on our map
    place = _place(row, latitude, longitude, gazetteer)
    control = {"capture": actor, "liberation": actor, "battle": "contested"}.get(event_type,
                                                                                  "unknown")
    if control not in ("RU", "UA", "contested"):
        control = "unknown"
    key = f"{report.id}|{place.place_id}"
    return [Event(
        event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        event_date=report.date, report_id=report.id, source=report.source, place=place,
        latitude=latitude, longitude=longitude,
        geo_precision=_PRECISIONS.get(str(row.get("geo_precision", "")).strip(), 2),
        event_type=event_type, actor=actor, claim="reported", control=control,
        relation="", quote=" ".join((row.get("notes") or report.text).split()),
        confidence=1.0, url=report.url, acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
    )]


def _actor(actor1: str) -> str:
    text = actor1.lower()
    if "russia" in text:
        return "RU"
    if "ukraine" in text:
        return "UA"
    return "unknown"


def _place(row: dict, latitude: float, longitude: float, gazetteer: Any) -> Place:
    """Return the gazetteer place named ``location`` nearest to the point, else ACLED's own."""
    location = (row.get("location") or "").strip()
    if location and gazetteer is not None:
        ids = gazetteer.exact(normalize(location))
        if ids:
            found = gazetteer.places.loc[ids, ["latitude", "longitude"]].to_numpy(dtype=float)
            _, _, metres = _GEOD.inv(np.full(len(ids), longitude), np.full(len(ids), latitude),
                                     found[:, 1], found[:, 0])
            best = int(np.argmin(metres))
            if metres[best] <= MATCH_KM * 1000:
                return gazetteer.place(ids[best])
    country = _country_code(row.get("iso", ""), row.get("country", ""))
    slug = normalize(location or "unnamed").replace(" ", "-")
    return Place(
        place_id=f"acled:{slug}:{latitude:.4f},{longitude:.4f}", name=location or "(unnamed)",
        kind="settlement", admin1=row.get("admin1", ""), country=country,
        latitude=latitude, longitude=longitude, geo_precision=2, source="ACLED",
    )


def _country_code(iso_numeric: str, name: str) -> str:
    codes = {"804": "UA", "643": "RU", "112": "BY", "498": "MD"}
    names = {"ukraine": "UA", "russia": "RU", "belarus": "BY", "moldova": "MD"}
    return codes.get(str(iso_numeric).strip()) or names.get(name.strip().lower(), "")
