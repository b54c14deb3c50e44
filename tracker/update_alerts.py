"""What ``tracker update`` reports about the places: control changes and alerts.

:func:`compare_places` compares each place's latest control with the status the
store remembered from the last update; :func:`find_alerts` lists the places with
new (non-mention) events within ``alert_km`` of a (watched) border or a watched
city, using WGS84 geodesic distances.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.update import Stages, UpdateSummary


def compare_places(db, places, summary: UpdateSummary, place_ids=None) -> None:
    """Record control changes against the last update and remember the new status.

    ``place_ids``: only these places changed and ``places`` holds just their rows
    (the others keep the status remembered for them).
    """
    before = db.place_status()
    rows = []
    for row in places.itertuples(index=False):
        control = str(row.latest_control)
        dist = _maybe_float(getattr(row, "dist_border_km", None))
        rows.append((row.place_id, control, dist, str(getattr(row, "nearest_border", "") or "")))
        old = before.get(row.place_id, ("unknown",))[0]
        if control != old and not (old == "unknown" and control == "unknown"):
            summary.control_changes.append({"place_id": row.place_id,
                                            "place_name": row.place_name,
                                            "before": old, "after": control})
    db.set_place_status(rows, place_ids)


def find_alerts(timeline, new_event_ids: set[str], summary: UpdateSummary, *, alert_km: float,
            watch_borders: Sequence[str], watch_cities: Sequence[str | dict], gazetteer,
            stages: Stages) -> None:
    """Places with new (non-mention) events within ``alert_km`` of a border or a city."""
    if timeline is None or timeline.empty or not new_event_ids:
        return
    fresh = timeline[timeline["event_id"].isin(new_event_ids)
                     & (timeline["event_type"] != "mention")
                     & timeline["latitude"].notna() & timeline["longitude"].notna()]
    fresh = fresh[fresh["geo_precision"].astype(float) <= 2]
    if fresh.empty:
        return
    per_place = fresh.groupby("place_id", sort=True).agg(
        place_name=("place_name", "first"), latitude=("latitude", "first"),
        longitude=("longitude", "first"), event_types=("event_type", lambda s: sorted(set(s))),
        dist_border_km=("dist_border_km", "min"), nearest_border=("nearest_border", "first"))
    if watch_borders:
        from tracker.distance import distance

        for border in watch_borders:
            result = distance(per_place["latitude"].to_numpy(float),
                              per_place["longitude"].to_numpy(float), to=f"border:{border}")
            for (place_id, row), km in zip(per_place.iterrows(), result["distance_km"],
                                           strict=True):
                if km <= alert_km:
                    summary.border_alerts.append(_alert(place_id, row, km, border))
    else:
        for place_id, row in per_place.iterrows():
            km = _maybe_float(row["dist_border_km"])
            if km is not None and km <= alert_km:
                summary.border_alerts.append(_alert(place_id, row, km, row["nearest_border"]))
    summary.border_alerts.sort(key=lambda a: (a["distance_km"], a["place_name"]))
    for city in _cities(watch_cities, gazetteer, stages):
        km = _geodesic_km(per_place["latitude"].to_numpy(float),
                          per_place["longitude"].to_numpy(float), city["latitude"],
                          city["longitude"])
        for (place_id, row), dist in zip(per_place.iterrows(), km, strict=True):
            if dist <= alert_km:
                summary.city_alerts.append(_alert(place_id, row, dist, city["name"]))
    summary.city_alerts.sort(key=lambda a: (a["distance_km"], a["place_name"]))


def _alert(place_id: str, row, km: float, target: str) -> dict:
    return {"place_id": place_id, "place_name": row["place_name"], "distance_km": round(km, 1),
            "to": str(target), "event_types": list(row["event_types"])}


def _cities(watch: Sequence[str | dict], gazetteer, stages: Stages) -> list[dict]:
    cities = []
    for city in watch:
        if isinstance(city, dict):
            cities.append({"name": city["name"], "latitude": float(city["latitude"]),
                           "longitude": float(city["longitude"])})
            continue
        gazetteer = gazetteer if gazetteer is not None else stages.gazetteer()
        found = gazetteer.lookup(city, limit=1)
        if len(found) == 0:
            raise TrackerError(f"watched city {city!r} is not in the gazetteer; give it as "
                               "{name, latitude, longitude}")
        best = found.iloc[0]
        cities.append({"name": city, "latitude": float(best["latitude"]),
                       "longitude": float(best["longitude"])})
    return cities


def _geodesic_km(lats, lons, lat: float, lon: float):
    import numpy as np
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lons, lats, np.full(len(lons), lon),
                                           np.full(len(lats), lat))
    return np.asarray(metres) / 1000.0


def _maybe_float(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


