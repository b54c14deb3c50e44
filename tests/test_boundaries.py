"""Admin-1 polygons, border lines and point-in-oblast on the bundled Natural Earth data."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from tracker import boundaries
from tracker.errors import BorderError

GEOD = Geod(ellps="WGS84")
DESIGN_NAMES = {
    "Cherkasy", "Chernihiv", "Chernivtsi", "Crimea", "Dnipropetrovsk", "Donetsk",
    "Ivano-Frankivsk", "Kharkiv", "Kherson", "Khmelnytskyi", "Kirovohrad", "Kyiv", "Kyiv City",
    "Luhansk", "Lviv", "Mykolaiv", "Odesa", "Poltava", "Rivne", "Sevastopol", "Sumy", "Ternopil",
    "Vinnytsia", "Volyn", "Zakarpattia", "Zaporizhzhia", "Zhytomyr",
    "Belgorod", "Bryansk", "Kursk", "Rostov", "Voronezh", "Krasnodar",
}


def test_admin1_has_the_design_names_in_wgs84():
    frame = boundaries.admin1()
    assert set(frame["admin1"]) == DESIGN_NAMES
    assert frame.crs.to_epsg() == 4326
    assert set(frame.columns) >= {"admin1", "country", "russian_claim", "geometry"}
    assert (frame.loc[frame["country"] == "RU", "admin1"].nunique()) == 6


def test_admin1_returns_a_copy():
    frame = boundaries.admin1()
    frame["admin1"] = "changed"
    assert "Donetsk" in set(boundaries.admin1()["admin1"])


@pytest.mark.parametrize(("lat", "lon", "expected"), [
    (48.28014, 37.17706, "Donetsk"),      # Pokrovsk
    (50.4501, 30.5234, "Kyiv City"),
    (49.8397, 24.0297, "Lviv"),
    (49.9935, 36.2304, "Kharkiv"),
    (46.4825, 30.7233, "Odesa"),
    (44.58, 33.60, "Sevastopol"),         # (the city centre's bay is sea in Natural Earth)
    (50.5997, 36.5983, "Belgorod"),       # Belgorod city, Russia
    (52.2297, 21.0122, ""),               # Warsaw: not in the data
    (43.0, 34.0, ""),                     # the Black Sea
])
def test_admin1_at_known_places(lat, lon, expected):
    assert boundaries.admin1_at(lat, lon) == expected


def test_admin1_at_is_vectorised_and_matches_a_polygon_loop():
    rng = np.random.default_rng(3)
    lat = rng.uniform(44.0, 53.0, 3000)
    lon = rng.uniform(21.0, 41.0, 3000)
    lat[::500] = np.nan
    got = boundaries.admin1_at(lat, lon)
    frame = boundaries.admin1()
    expected = np.full(lat.shape, "", dtype=object)
    for name, geom in zip(frame["admin1"], frame.geometry, strict=True):
        inside = shapely.contains_xy(geom, lon, lat)
        expected[inside & (expected == "")] = name
    assert got.shape == lat.shape
    assert (got == expected).all()
    assert (got[::500] == "").all()


def test_border_lines_name_both_sides_and_cover_the_neighbours():
    lines = boundaries.border_lines()
    international = set(lines.loc[lines["kind"] == "international", "border"])
    assert international == {f"Ukraine|{c}" for c in (
        "Russia", "Belarus", "Poland", "Slovakia", "Hungary", "Romania", "Moldova")}
    admin = lines[lines["kind"] == "admin1"]
    assert {"Dnipropetrovsk|Donetsk", "Kharkiv|Belgorod", "Crimea|Kherson"} <= set(admin["border"])
    assert all(row.border == f"{row.side_a}|{row.side_b}" for row in lines.itertuples())
    # every admin-1 border has a Ukrainian side; Russia's internal borders are not listed
    ua = set(boundaries.admin1().query("country == 'UA'")["admin1"])
    assert all(row.side_a in ua or row.side_b in ua for row in admin.itertuples())
    assert set(lines.geom_type) <= {"LineString", "MultiLineString"}


def test_each_admin1_border_lies_on_both_polygons():
    frame = boundaries.admin1().set_index("admin1")
    for row in boundaries.border_lines().query("kind == 'admin1'").itertuples():
        vertices = shapely.points(shapely.get_coordinates(row.geometry))
        for side in (row.side_a, row.side_b):
            outline = frame.loc[side, "geometry"].boundary
            assert shapely.distance(vertices, outline).max() < 2e-5, (row.border, side)


def test_coast_is_not_a_border():
    lines = boundaries.border_lines()
    everything = shapely.union_all(lines.geometry.to_numpy())
    # Mariupol and Odesa city centres are on the coast but far from any border line
    for lat, lon, farther_than_km in ((47.0971, 37.5434, 25), (46.4825, 30.7233, 30)):
        nearest = shapely.ops.nearest_points(shapely.Point(lon, lat), everything)[1]
        km = GEOD.inv(lon, lat, nearest.x, nearest.y)[2] / 1000
        assert km > farther_than_km, (lat, lon, km)


def test_international_border_lengths_are_plausible():
    lines = boundaries.border_lines().set_index("border")
    km = {name: GEOD.geometry_length(geom) / 1000 for name, geom in lines.geometry.items()}
    # Natural Earth 10m is generalised, so a little shorter than the official figures
    assert 1400 < km["Ukraine|Russia"] < 2100
    assert 700 < km["Ukraine|Belarus"] < 1200
    assert 60 < km["Ukraine|Slovakia"] < 110
    assert 140 < km["Dnipropetrovsk|Donetsk"] < 220


def test_border_by_name_in_either_order_and_case():
    a = boundaries.border("Donetsk", "Dnipropetrovsk")
    b = boundaries.border(" dnipropetrovsk", "DONETSK ")
    assert a.equals(b)
    assert boundaries.resolve_border("Russia", "ukraine") == "Ukraine|Russia"


@pytest.mark.parametrize(("pair", "label"), [
    ("Donetsk/Dnipropetrovsk", "Donetsk|Dnipropetrovsk"),
    ("dnipropetrovsk/donetsk", "Dnipropetrovsk|Donetsk"),
    (" DONETSK | dnipropetrovsk ", "Donetsk|Dnipropetrovsk"),
    ("russia/UKRAINE", "Russia|Ukraine"),
])
def test_border_label_keeps_the_order_given_with_canonical_spelling(pair, label):
    assert boundaries.border_label(pair) == label


def test_border_label_needs_two_units():
    with pytest.raises(BorderError, match="valid borders: .*Dnipropetrovsk/Donetsk"):
        boundaries.border_label("Donetsk")
    with pytest.raises(BorderError, match="no border"):
        boundaries.border_label("Donetsk/Dnipropetrovsk/Kharkiv")


def test_distance_and_frontline_stats_name_a_border_alike():
    """Both take the label from border_label: the user's order, canonical spelling."""
    import datetime as dt

    from shapely.geometry import box

    from tracker.distance import distance
    from tracker.frontline import Snapshot, stats

    row = distance(48.28014, 37.17706, to="border:dnipropetrovsk/donetsk").iloc[0]
    snap = Snapshot(dt.date(2025, 5, 20), "toy.geojson", box(37.2, 47.9, 37.6, 48.2))
    frame = stats([snap], border="dnipropetrovsk/donetsk")
    assert row["border"] == frame.loc[0, "border"] == "Dnipropetrovsk|Donetsk"


def test_unknown_border_lists_the_valid_ones():
    with pytest.raises(BorderError, match=r"unknown unit 'Donetks' \(did you mean Donetsk\?\)"
                       r".*valid borders: .*Dnipropetrovsk/Donetsk.*Ukraine/Russia"):
        boundaries.border("Donetks", "Dnipropetrovsk")
    with pytest.raises(BorderError, match=r"do not touch.*Kyiv: .*Kyiv/Zhytomyr.*Donetsk: "):
        boundaries.border("Kyiv", "Donetsk")
    with pytest.raises(ValueError):  # BorderError is also a ValueError
        boundaries.border("Atlantis", "Donetsk")


def test_ukraine_outline_contains_kyiv_not_belgorod():
    outline = boundaries.ukraine()
    assert outline.contains(shapely.Point(30.52, 50.45))
    assert not outline.contains(shapely.Point(36.6, 50.6))
