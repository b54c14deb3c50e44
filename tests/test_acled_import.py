import datetime as dt

import pytest

from tests.conftest import ROOT
from tracker.acled_import import events_from_acled
from tracker.gazetteer import Gazetteer
from tracker.models import Report
from tracker.reports import load_reports


def _row(**fields) -> Report:
    extra = {"acled": True, "event_type": "Battles", "sub_event_type": "Armed clash",
             "actor1": "Military Forces of Russia (2000-)", "latitude": "48.2801",
             "longitude": "37.1771", "location": "Pokrovsk", "admin1": "Donetsk",
             "country": "Ukraine", "iso": "804", "geo_precision": "1",
             "notes": "Clashes in Pokrovsk."}
    extra.update(fields)
    return Report(id="acled:X1", date=dt.date(2025, 5, 20), source="ACLED", text=extra["notes"],
                  extra=extra)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def test_a_clash_is_a_battle_at_the_gazetteer_place_with_acleds_own_point(gazetteer):
    (event,) = events_from_acled(_row(), gazetteer)
    assert event.event_type == "battle" and event.actor == "RU" and event.control == "contested"
    assert event.place.name == "Pokrovsk" and event.place.admin1 == "Donetsk"
    assert (event.latitude, event.longitude) == (48.2801, 37.1771)
    assert (event.acled_event_type, event.acled_sub_event_type) == ("Battles", "Armed clash")


@pytest.mark.parametrize(("acled_type", "sub_type", "actor1", "expected", "control"), [
    ("Battles", "Non-state actor overtakes territory", "Military Forces of Russia (2000-)",
     "capture", "RU"),
    ("Battles", "Government regains territory", "Military Forces of Ukraine (2019-)",
     "liberation", "UA"),
    ("Explosions/Remote violence", "Air/drone strike", "Military Forces of Russia (2000-)",
     "strike", "unknown"),
    ("Strategic developments", "Agreement", "Government of Ukraine (2019-)", "negotiation",
     "unknown"),
])
def test_acled_types_map_back_to_tracker_types(gazetteer, acled_type, sub_type, actor1, expected,
                                               control):
    (event,) = events_from_acled(_row(event_type=acled_type, sub_event_type=sub_type,
                                      actor1=actor1), gazetteer)
    assert event.event_type == expected
    assert event.control == control


def test_a_location_far_from_the_gazetteer_place_keeps_acleds_own(gazetteer):
    # "Pokrovsk" 100 km away from the city is not the city.
    (event,) = events_from_acled(_row(latitude="47.40", longitude="37.20",
                                      location="Nowhere Farm"), gazetteer)
    assert event.place.place_id.startswith("acled:")
    assert event.place.country == "UA"
    assert event.geo_precision == 1


def test_the_seed_acled_sample_loads_and_converts(gazetteer):
    loaded = load_reports([ROOT / "seeds" / "acled_sample_2025-05.csv"])
    assert not loaded.refused
    events = [e for r in loaded.reports for e in events_from_acled(r, gazetteer)]
    assert {(e.place.name, e.event_type) for e in events} == {("Pokrovsk", "battle"),
                                                             ("Kharkiv", "strike")}
