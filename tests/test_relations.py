"""Relative locations and geodesic offsets."""

from __future__ import annotations

import pytest
from pyproj import Geod

from tracker.relations import border_distance, border_named, offset, parse_relation

GEOD = Geod(ellps="WGS84")


def rel(text: str, name: str, canonical: str | None = None):
    start = text.index(name)
    return parse_relation(text, start, start + len(name), canonical or name)


@pytest.mark.parametrize(("bearing", "km"), [(225, 5), (0, 12.5), (90, 1), (315, 40)])
def test_offset_lands_at_the_distance_and_bearing(bearing, km):
    lat, lon = offset(48.28014, 37.17706, km, bearing)
    azimuth, _, metres = GEOD.inv(37.17706, 48.28014, lon, lat)
    assert metres == pytest.approx(km * 1000, abs=0.5)
    assert azimuth % 360 == pytest.approx(bearing % 360, abs=0.001)


@pytest.mark.parametrize(
    ("text", "name", "expected", "km", "bearing"),
    [
        ("fighting 5 km SW of Pokrovsk", "Pokrovsk", "5 km SW of Pokrovsk", 5.0, 225.0),
        ("about 3 kilometres northwest of the village of Pokrovsk", "Pokrovsk",
         "~3 km NW of Pokrovsk", 3.0, 315.0),
        ("2 miles (3 km) north-east of Toretsk", "Toretsk", "3.2 km NE of Toretsk", 3.219, 45.0),
        ("a 10-km south of Bakhmut", "Bakhmut", "10 km S of Bakhmut", 10.0, 180.0),
    ],
)
def test_distance_and_direction(text, name, expected, km, bearing):
    relation = rel(text, name)
    assert relation.text == expected
    assert relation.distance_km == pytest.approx(km, abs=0.001)
    assert relation.bearing == bearing
    assert relation.moves_point


@pytest.mark.parametrize(
    ("text", "name", "canonical", "expected", "kind"),
    [
        ("positions northwest of Pokrovsk", "Pokrovsk", None, "NW of Pokrovsk", "direction"),
        ("battles in the northern part of Toretsk", "Toretsk", None, "northern part of Toretsk",
         "part"),
        ("battles in northern Totretsk", "Totretsk", "Toretsk", "northern part of Toretsk", "part"),
        ("fighting on the outskirts of Pokrovsk", "Pokrovsk", None, "outskirts of Pokrovsk",
         "outskirts"),
        ("surrounded near the village of Olgovka", "Olgovka", None, "near Olgovka", "near"),
        ("on the approaches to Kupiansk", "Kupiansk", None, "approaches to Kupiansk",
         "approaches"),
        ("just 10 kilometers from Pokrovsk", "Pokrovsk", None, "<10 km from Pokrovsk",
         "distance"),
        ("on their way to the city of Sumy", "Sumy", None, "toward Sumy", "toward"),
        ("heavy battles in the Pokrovsk area", "Pokrovsk", None, "Pokrovsk area", "area"),
        ("advances in the Toretsk direction", "Toretsk", None, "Toretsk direction",
         "direction_axis"),
        ("approached the administrative edge of the Donetsk region", "Donetsk region",
         "Donetsk oblast", "border of Donetsk oblast", "border"),
    ],
)
def test_relation_forms(text, name, canonical, expected, kind):
    relation = rel(text, name, canonical)
    assert (relation.text, relation.kind) == (expected, kind)
    assert not relation.moves_point


def test_no_relation_and_no_false_compass():
    assert rel("Heavy battles raged in Pokrovsk.", "Pokrovsk") is None
    assert rel("the fate of Pokrovsk", "Pokrovsk") is None


def test_approximate_relations_are_precision_two():
    assert rel("near Pokrovsk", "Pokrovsk").approximate
    assert not rel("the Pokrovsk direction", "Pokrovsk").approximate


def test_border_phrases():
    assert border_named("approached the administrative edge of the Donetsk region")[0][0] == (
        "Donetsk")
    assert border_named("reached the Dnipropetrovsk Oblast border")[0][0] == "Dnipropetrovsk"
    assert border_named("crossed the state border") == []
    assert border_distance("shows the Russians less than 5 km from this border") == (
        "<", 5.0, "this")
    assert border_distance("about 3 miles from the border") == ("~", 4.828, "the")
    assert border_distance("5 km from Pokrovsk") is None


def test_origin_is_where_attackers_come_from_not_a_place_nearby():
    origin = rel("assaults on Siversk from the direction of Bakhmut", "Bakhmut")
    assert (origin.kind, origin.text) == ("origin", "from the direction of Bakhmut")
    assert not origin.approximate and not origin.moves_point
    assert rel("advancing in the direction of Bakhmut", "Bakhmut").kind == "toward"
