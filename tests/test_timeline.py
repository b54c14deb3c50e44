import datetime as dt
import math
from dataclasses import dataclass

import pytest
from shapely.geometry import box

from tracker.models import PLACES_COLUMNS, TIMELINE_COLUMNS, Event, Place
from tracker.timeline import build_timeline, place_table

POKROVSK = Place("t:pokrovsk", "Pokrovsk", "settlement", "Donetsk", "UA", 48.28014, 37.17706, 60127)
KOTLIARIVKA = Place("t:kotliarivka", "Kotliarivka", "settlement", "Donetsk", "UA", 48.0655, 36.9567,
                    300)
DONETSK_OBLAST = Place("admin1:Donetsk", "Donetsk", "oblast", "Donetsk", "UA", 48.0, 37.8, 0, 3)
ISTANBUL = Place("t:istanbul", "Istanbul", "settlement", "", "TR", 41.01384, 28.94966, 15_000_000)


def event(place, day, event_type="battle", control="contested", source="S", report="r1", n=0,
          lat=None, lon=None, precision=None):
    return Event(
        event_id=f"{report}-{place.place_id}-{n}", event_date=dt.date(2025, 5, day),
        report_id=report, source=source, place=place,
        latitude=place.latitude if lat is None else lat,
        longitude=place.longitude if lon is None else lon,
        geo_precision=place.geo_precision if precision is None else precision,
        event_type=event_type, actor="RU", claim="reported", control=control,
        relation="", quote=f"Something at {place.name}.", confidence=0.8,
    )


def test_columns_follow_the_contract():
    timeline = build_timeline([event(POKROVSK, 20)])
    assert timeline.columns[: len(TIMELINE_COLUMNS)].tolist() == TIMELINE_COLUMNS
    places = place_table(timeline)
    assert places.columns[: len(PLACES_COLUMNS)].tolist() == PLACES_COLUMNS


def test_pokrovsk_is_19_6_km_from_the_dnipropetrovsk_border():
    timeline = build_timeline([event(POKROVSK, 20)])
    row = timeline.iloc[0]
    assert row["dist_border_km"] == pytest.approx(19.6, abs=0.3)
    assert set(row["nearest_border"].split("|")) == {"Donetsk", "Dnipropetrovsk"}


def test_no_border_distance_for_oblasts_and_foreign_places():
    timeline = build_timeline([event(DONETSK_OBLAST, 20, "mention", "unknown", n=1),
                               event(ISTANBUL, 20, "negotiation", "unknown", n=2)])
    assert timeline["dist_border_km"].isna().all()
    assert (timeline["nearest_border"] == "").all()


def test_opposite_claims_on_the_same_days_make_a_place_contested_and_keep_both_sources():
    events = [
        event(KOTLIARIVKA, 22, "capture", "RU", source="Russian MoD", report="a"),
        event(KOTLIARIVKA, 22, "battle", "UA", source="General Staff", report="b"),
        event(POKROVSK, 22, "capture", "RU", source="Russian MoD", report="a", n=1),
    ]
    timeline = build_timeline(events)
    kot = timeline[timeline["place_id"] == KOTLIARIVKA.place_id]
    assert kot["control"].tolist() == ["contested", "contested"]
    assert set(kot["source"]) == {"Russian MoD", "General Staff"}
    assert any("General Staff" in note for note in kot["control_note"])
    pok = timeline[timeline["place_id"] == POKROVSK.place_id]
    assert pok["control"].tolist() == ["RU"]


def test_claims_a_week_apart_are_a_change_not_a_conflict():
    events = [event(KOTLIARIVKA, 10, "capture", "RU", report="a"),
              event(KOTLIARIVKA, 20, "liberation", "UA", report="b")]
    timeline = build_timeline(events)
    assert timeline["control"].tolist() == ["RU", "UA"]
    places = place_table(timeline)
    assert places.loc[0, "latest_control"] == "UA"
    assert places.loc[0, "latest_event_type"] == "liberation"
    assert places.loc[0, "first_seen"] == "2025-05-10"
    assert places.loc[0, "last_seen"] == "2025-05-20"
    assert places.loc[0, "n_reports"] == 2


def test_latest_event_type_ignores_later_mentions_and_control_keeps_last_known():
    events = [event(POKROVSK, 10, "battle", "contested", report="a"),
              event(POKROVSK, 12, "mention", "unknown", report="b")]
    places = place_table(build_timeline(events))
    assert places.loc[0, "latest_event_type"] == "battle"
    assert places.loc[0, "latest_control"] == "contested"
    assert places.loc[0, "n_events"] == 2


def test_a_moved_event_keeps_the_place_at_its_own_coordinates():
    moved = event(POKROVSK, 20, lat=48.25, lon=37.13, precision=2)
    timeline = build_timeline([moved])
    assert timeline.loc[0, "latitude"] == pytest.approx(48.25)
    places = place_table(timeline)
    assert places.loc[0, "latitude"] == pytest.approx(POKROVSK.latitude)
    assert places.loc[0, "dist_border_km"] == pytest.approx(19.6, abs=0.3)


def test_same_event_twice_is_counted_once():
    timeline = build_timeline([event(POKROVSK, 20), event(POKROVSK, 20)])
    assert len(timeline) == 1


@dataclass
class _Snapshot:
    date: dt.date
    geometry: object
    kind: str = "occupied"


def test_frontline_distance_uses_the_latest_snapshot_on_or_before_the_event():
    # Occupied squares whose west edge lies 0.2 and 0.1 degrees east of Pokrovsk.
    early = _Snapshot(dt.date(2025, 5, 1), box(37.37706, 47.9, 37.9, 48.6))
    later = _Snapshot(dt.date(2025, 5, 15), box(37.27706, 47.9, 37.9, 48.6))
    events = [event(POKROVSK, 10, n=1), event(POKROVSK, 20, n=2), event(POKROVSK, 1, n=0)]
    timeline = build_timeline(events, snapshots=[later, early]).set_index("event_date")
    km_per_deg = 111.32 * math.cos(math.radians(48.28))
    assert timeline.loc["2025-05-10", "dist_frontline_km"] == pytest.approx(0.2 * km_per_deg,
                                                                             rel=0.02)
    assert timeline.loc["2025-05-20", "dist_frontline_km"] == pytest.approx(0.1 * km_per_deg,
                                                                             rel=0.02)
    assert timeline.loc["2025-05-20", "frontline_side"] == "free"
    assert timeline.loc["2025-05-01", "frontline_date"] == "2025-05-01"
