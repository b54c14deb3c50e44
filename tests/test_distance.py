"""Geodesic distances: values, names, inputs, extent, and agreement with brute force."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, box

from tracker.boundaries import border, border_lines, ukraine
from tracker.distance import (
    PROJECTION,
    ExtentWarning,
    distance,
    reference_distance,
)
from tracker.errors import BorderError
from tracker.models import DISTANCE_COLUMNS

GEOD = Geod(ellps="WGS84")
POKROVSK = (48.28014, 37.17706)
DD = "border:Donetsk/Dnipropetrovsk"
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtentWarning)
        return distance(*args, **kwargs)


def test_pokrovsk_to_the_donetsk_dnipropetrovsk_border():
    frame = distance(*POKROVSK, to=DD)
    assert list(frame.columns) == DISTANCE_COLUMNS
    row = frame.iloc[0]
    assert row["distance_km"] == pytest.approx(19.6, abs=0.05)
    assert row["border"] == "Donetsk|Dnipropetrovsk"
    # the nearest point is on the border and really that far away
    line = border("Donetsk", "Dnipropetrovsk")
    assert line.distance(Point(row["nearest_longitude"], row["nearest_latitude"])) < 1e-7
    km = GEOD.inv(POKROVSK[1], POKROVSK[0], row["nearest_longitude"],
                  row["nearest_latitude"])[2] / 1000
    assert km == pytest.approx(row["distance_km"], abs=1e-6)


def test_border_name_keeps_the_users_order():
    assert distance(*POKROVSK, to="border:Dnipropetrovsk/Donetsk").loc[0, "border"] == (
        "Dnipropetrovsk|Donetsk")
    assert distance(*POKROVSK, to="border: donetsk / dnipropetrovsk").loc[0, "border"] == (
        "Donetsk|Dnipropetrovsk")


def test_admin1_names_the_points_own_unit_first():
    frame = distance([48.28014, 48.45, 50.6], [37.17706, 35.05, 36.6])  # Pokrovsk, Dnipro, Belgorod
    assert frame["border"].str.split("|").str[0].tolist() == [
        "Donetsk", "Dnipropetrovsk", "Belgorod"]
    # and the nearest admin-1 border is the closest of all of them
    lines = border_lines().query("kind == 'admin1'")
    each = [distance(48.45, 35.05, to=geom).loc[0, "distance_km"] for geom in lines.geometry]
    assert frame.loc[1, "distance_km"] == pytest.approx(min(each), abs=1e-9)


def test_country_target_is_the_international_border():
    frame = distance([50.6, 51.5, 48.3], [36.6, 30.9, 22.6], to="country")
    assert frame["border"].tolist() == ["Ukraine|Russia", "Ukraine|Belarus", "Ukraine|Hungary"]
    assert (frame["distance_km"] < 80).all()


def test_inputs_scalar_list_array_and_geoseries_agree():
    lats, lons = [48.28014, 48.73106], [37.17706, 37.56779]
    a = distance(lats, lons, to=DD)
    b = distance(np.array(lats), np.array(lons), to=DD)
    c = distance(gpd.GeoSeries(gpd.points_from_xy(lons, lats), crs=4326), to=DD)
    d = distance(gpd.GeoSeries(gpd.points_from_xy(lons, lats), crs=4326).to_crs(3857), to=DD)
    assert np.allclose(a["distance_km"], b["distance_km"])
    assert np.allclose(a["distance_km"], c["distance_km"])
    assert np.allclose(a["distance_km"], d["distance_km"], atol=1e-6)
    assert distance(lats[0], lons[0], to=DD).shape[0] == 1


def test_nan_input_gives_a_nan_row():
    frame = distance([np.nan, 48.28014, 48.0], [37.0, np.nan, 37.0], to=DD)
    assert frame["distance_km"].isna().tolist() == [True, True, False]
    assert frame["border"].tolist()[:2] == ["", ""]
    assert frame[["nearest_latitude", "nearest_longitude"]].iloc[:2].isna().all().all()


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 latitudes but 1 longitudes"):
        distance([1.0, 2.0], [3.0])


def test_unknown_targets_list_the_valid_ones():
    with pytest.raises(BorderError, match="valid borders: .*Dnipropetrovsk/Donetsk"):
        distance(*POKROVSK, to="border:Donetsk/Atlantis")
    with pytest.raises(BorderError, match="valid: admin1, country, border:A/B"):
        distance(*POKROVSK, to="coast")
    with pytest.raises(BorderError, match="valid borders"):
        distance(*POKROVSK, to="border:Donetsk")


def test_points_outside_the_data_are_reported_not_silently_wrong():
    with pytest.warns(ExtentWarning, match=r"1 point\(s\) outside .*#1 \(52.2297, 21.0122\)"):
        frame = distance([48.28014, 52.2297], [37.17706, 21.0122], flag=True)
    assert frame["outside_extent"].tolist() == [False, True]
    # far outside the projection's guaranteed zone: NaN, never a wrong number
    with pytest.warns(ExtentWarning):
        far = distance([0.0, 48.28014], [0.0, 37.17706], to="country", flag=True)
    assert np.isnan(far.loc[0, "distance_km"]) and far["outside_extent"].tolist() == [True, False]
    # no warning for points inside the mapped units
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExtentWarning)
        distance([48.28014, 50.45], [37.17706, 30.52])


def test_geometry_targets_points_lines_polygons():
    # to a point: exactly the geodesic inverse
    frame = distance(50.0, 30.0, to=Point(31.0, 51.0), name="somewhere")
    assert frame.loc[0, "distance_km"] == pytest.approx(
        GEOD.inv(30.0, 50.0, 31.0, 51.0)[2] / 1000, abs=1e-9)
    assert frame.loc[0, "border"] == "somewhere"
    # a polygon is measured to its boundary, also from inside
    square = box(37.0, 48.0, 38.2, 49.0)
    inside = distance(48.5, 37.5, to=square)
    assert inside.loc[0, "distance_km"] == pytest.approx(
        reference_distance([48.5], [37.5], square)[0], abs=0.01)
    assert inside.loc[0, "nearest_longitude"] == pytest.approx(37.0, abs=1e-6)  # west side
    assert inside.loc[0, "border"] == "geometry"


def test_points_nearest_to_a_vertex_get_that_vertex():
    # A bent line: points beyond the corner, in the wedge where neither segment's
    # interior is nearest, must get the corner itself (both segments reach it; it is
    # measured once) at exactly its geodesic distance.
    corner = (36.0, 48.5)
    line = LineString([(35.0, 48.0), corner, (35.2, 49.2)])
    lats, lons = np.array([48.55, 48.5, 48.45]), np.array([36.3, 36.4, 36.35])
    frame = distance(lats, lons, to=line)
    expected = GEOD.inv(lons, lats, np.full(3, corner[0]), np.full(3, corner[1]))[2] / 1000
    assert frame["distance_km"].to_numpy() == pytest.approx(expected, abs=1e-6)
    assert frame["nearest_longitude"].to_numpy() == pytest.approx([corner[0]] * 3, abs=1e-9)
    assert frame["nearest_latitude"].to_numpy() == pytest.approx([corner[1]] * 3, abs=1e-9)


def test_frontline_file_target(tmp_path):
    path = tmp_path / "occupied_2025-05-20.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": shapely.geometry
                                .mapping(box(37.5, 48.0, 38.0, 48.5))}))
    frame = distance(48.25, 37.0, to=f"frontline:{path}")
    assert frame.loc[0, "border"] == "frontline"
    assert frame.loc[0, "nearest_longitude"] == pytest.approx(37.5, abs=1e-6)
    assert frame.loc[0, "distance_km"] == pytest.approx(
        GEOD.inv(37.0, 48.25, 37.5, 48.25)[2] / 1000, abs=0.01)


def test_projection_distortion_does_not_choose_the_wrong_segment():
    # From P, target A lies 200 km due north and B 200.8 km due south. The conformal
    # projection stretches the northern path more, so in the plane B looks nearer.
    lat, lon = 56.0, 30.0
    a_lon, a_lat, _ = GEOD.fwd(lon, lat, 0.0, 200_000.0)
    b_lon, b_lat, _ = GEOD.fwd(lon, lat, 180.0, 200_800.0)
    to_plane = Transformer.from_crs(4326, PROJECTION, always_xy=True)
    p, a, b = (Point(to_plane.transform(x, y)) for x, y in ((lon, lat), (a_lon, a_lat),
                                                          (b_lon, b_lat)))
    assert p.distance(b) < p.distance(a), "precondition: the plane ranks them the other way"
    target = shapely.MultiLineString([[(a_lon - 0.01, a_lat), (a_lon + 0.01, a_lat)],
                                      [(b_lon - 0.01, b_lat), (b_lon + 0.01, b_lat)]])
    row = distance(lat, lon, to=target).iloc[0]
    assert row["nearest_latitude"] > lat
    assert row["distance_km"] == pytest.approx(200.0, abs=0.01)


# ----------------------------------------------------------------- property tests

UKRAINE = ukraine()
DD_LINE = border("Donetsk", "Dnipropetrovsk")
HU_LINE = border("Ukraine", "Hungary")

lat_st = st.floats(44.3, 52.4)
lon_st = st.floats(22.1, 40.2)


@SETTINGS
@given(lat=lat_st, lon=lon_st, which=st.sampled_from(["dd", "hu"]))
def test_agrees_with_brute_force_geodesic_reference(lat, lon, which):
    to, line = ("border:Donetsk/Dnipropetrovsk", DD_LINE) if which == "dd" else (
        "border:Ukraine/Hungary", HU_LINE)
    got = distance(lat, lon, to=to).loc[0, "distance_km"]
    reference = reference_distance([lat], [lon], line, spacing_m=10)[0]
    if reference <= 300:
        # the reference overestimates by at most half its spacing
        assert -0.020 <= got - reference <= 0.005


COUNTRY_LINE = shapely.union_all(border_lines().query("kind == 'international'").geometry
                                 .to_numpy())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=st.floats(43.5, 53.5), lon=st.floats(21.0, 41.0))
def test_country_target_agrees_with_brute_force(lat, lon):
    got = distance(lat, lon, to="country").loc[0, "distance_km"]
    reference = reference_distance([lat], [lon], COUNTRY_LINE, spacing_m=50)[0]
    # never farther than a sample of the border (a wrong segment would be), and the
    # 50 m sampling overestimates by at most 25 m
    assert reference - 0.025 <= got <= reference + 0.0005


@SETTINGS
@given(p=st.tuples(lat_st, lon_st), q=st.tuples(lat_st, lon_st))
def test_symmetry_between_two_points(p, q):
    forward = distance(p[0], p[1], to=Point(q[1], q[0])).loc[0, "distance_km"]
    backward = distance(q[0], q[1], to=Point(p[1], p[0])).loc[0, "distance_km"]
    assert forward == pytest.approx(backward, abs=1e-6)
    assert forward == pytest.approx(GEOD.inv(p[1], p[0], q[1], q[0])[2] / 1000, abs=1e-6)


@SETTINGS
@given(p=st.tuples(lat_st, lon_st), q=st.tuples(lat_st, lon_st))
def test_triangle_type_invariants(p, q):
    frame = _quiet([p[0], q[0]], [p[1], q[1]], to="admin1")
    d_p, d_q = frame["distance_km"]
    pq = GEOD.inv(p[1], p[0], q[1], q[0])[2] / 1000
    # 1-Lipschitz: moving a point by pq changes its distance by at most pq
    assert abs(d_p - d_q) <= pq + 1e-6
    # the reported nearest point is at the reported distance, and no vertex is nearer
    row = frame.iloc[0]
    assert GEOD.inv(p[1], p[0], row["nearest_longitude"], row["nearest_latitude"])[2] / 1000 \
        == pytest.approx(d_p, abs=1e-6)
    lines = border_lines().query("kind == 'admin1'")
    vertices = shapely.get_coordinates(lines.geometry.to_numpy())
    to_vertices = GEOD.inv(np.full(len(vertices), p[1]), np.full(len(vertices), p[0]),
                           vertices[:, 0], vertices[:, 1])[2] / 1000
    assert d_p <= to_vertices.min() + 1e-6
    # the nearest of all admin-1 borders is the minimum over the borders one by one
    named = row["border"].split("|")
    alone = _quiet(p[0], p[1], to=f"border:{named[0]}/{named[1]}").loc[0, "distance_km"]
    assert alone == pytest.approx(d_p, abs=1e-9)


@SETTINGS
@given(lat=lat_st, lon=lon_st)
def test_union_of_targets_is_the_minimum(lat, lon):
    a = LineString([(30.0, 47.0), (31.0, 48.0), (33.0, 48.5)])
    b = LineString([(35.0, 50.0), (36.0, 49.0)])
    both = distance(lat, lon, to=shapely.MultiLineString([a, b])).loc[0, "distance_km"]
    each = min(distance(lat, lon, to=g).loc[0, "distance_km"] for g in (a, b))
    assert both == pytest.approx(each, abs=1e-9)


@pytest.mark.parametrize("kind", ["international", "admin1"])
def test_random_points_are_never_farther_than_a_border_sample(kind):
    # A wrong candidate segment would show up as a distance larger than the distance
    # to some sample of the right border; sampling every 200 m bounds from above.
    rng = np.random.default_rng(1 if kind == "admin1" else 2)
    lat, lon = rng.uniform(44.0, 52.5, 500), rng.uniform(22.0, 40.3, 500)
    target = shapely.union_all(border_lines().query("kind == @kind").geometry.to_numpy())
    got = _quiet(lat, lon, to=target)["distance_km"].to_numpy()
    upper = reference_distance(lat, lon, target, spacing_m=200)
    assert (got <= upper + 0.0005).all(), np.max(got - upper)
    assert (got >= upper - 0.101).all()


def test_many_points_in_one_call_match_one_by_one():
    rng = np.random.default_rng(11)
    lat = rng.uniform(44.5, 52.3, 2000)
    lon = rng.uniform(22.2, 40.0, 2000)
    keep = shapely.contains_xy(UKRAINE, lon, lat)
    lat, lon = lat[keep], lon[keep]
    batch = distance(lat, lon, to="country")
    for i in range(0, len(lat), 97):
        single = distance(lat[i], lon[i], to="country").iloc[0]
        assert single["distance_km"] == batch.loc[i, "distance_km"]
        assert single["border"] == batch.loc[i, "border"]
