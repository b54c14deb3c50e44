"""Typed records passed between the stages: reports -> mentions -> events.

The stages hand each other these frozen dataclasses (or DataFrames with the
columns named in ``*_COLUMNS``); nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["settlement", "oblast", "raion", "hromada", "country", "region", "water", "other"]
EventType = Literal[
    "battle", "advance", "capture", "liberation", "withdrawal", "strike", "negotiation", "mention"
]
Actor = Literal["RU", "UA", "unknown"]
Claim = Literal["reported", "claimed", "denied", "assessed"]
Control = Literal["RU", "UA", "contested", "unknown"]

#: ``tracker gazetteer lookup`` CSV columns (DESIGN.md contract 1).
LOOKUP_COLUMNS = [
    "query", "rank", "place_id", "name", "kind", "admin1", "country", "latitude", "longitude",
    "population", "geo_precision", "source",
]
#: ``tracker geocode`` CSV columns (DESIGN.md contract 2).
GEOCODE_COLUMNS = [
    "report_id", "start", "end", "mention", "place_id", "name", "kind", "admin1", "country",
    "latitude", "longitude", "geo_precision", "confidence",
]
#: ``tracker distance`` CSV columns (DESIGN.md contract 3).
DISTANCE_COLUMNS = [
    "latitude", "longitude", "distance_km", "border", "nearest_latitude", "nearest_longitude",
]
#: ``timeline.csv`` columns (DESIGN.md contract 4); more may follow.
TIMELINE_COLUMNS = [
    "event_id", "event_date", "report_id", "source", "place_id", "place_name", "place_kind",
    "admin1", "country", "latitude", "longitude", "geo_precision", "event_type", "actor", "claim",
    "control", "relation", "quote", "confidence", "dist_border_km", "nearest_border",
    "acled_event_type", "acled_sub_event_type",
]
#: ``places.csv`` columns (DESIGN.md contract 4).
PLACES_COLUMNS = [
    "place_id", "place_name", "kind", "admin1", "country", "latitude", "longitude", "first_seen",
    "last_seen", "n_reports", "n_events", "latest_event_type", "latest_control", "dist_border_km",
    "nearest_border",
]
#: ``tracker frontline stats`` columns (DESIGN.md contract 6).
FRONTLINE_COLUMNS = [
    "date", "area_km2", "area_change_km2", "border", "distance_km", "occupied_latitude",
    "occupied_longitude", "border_latitude", "border_longitude", "border_crossed_km",
]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a settlement, raion, hromada, oblast, country, region or water body."""

    place_id: str
    name: str
    kind: Kind
    admin1: str
    country: str
    latitude: float
    longitude: float
    population: int = 0
    geo_precision: int = 1
    source: str = ""
    raion: str = ""
    hromada: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """One dated report: an article, an assessment, a post, a feed item or an ACLED row."""

    id: str
    date: dt.date
    source: str
    text: str
    title: str = ""
    url: str = ""
    path: str = ""
    #: For ACLED rows: the row's own fields (coordinates, event type, notes).
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a report, with the place it resolved to (or why not)."""

    start: int
    end: int
    text: str
    place: Place | None
    confidence: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """What one sentence says happened at one place on one date."""

    event_id: str
    event_date: dt.date
    report_id: str
    source: str
    place: Place
    latitude: float
    longitude: float
    geo_precision: int
    event_type: EventType
    actor: Actor
    claim: Claim
    control: Control
    relation: str
    quote: str
    confidence: float
    url: str = ""
    acled_event_type: str = ""
    acled_sub_event_type: str = ""
